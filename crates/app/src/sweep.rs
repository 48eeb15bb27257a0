//! Quét hàng loạt as a service: the registry's snapshot, built once from
//! the database and kept current from its change feed, and the sweeps
//! that read it. Every person's history comes from `eligibility::history_of`
//! over the same rows `person_history` reads, so a sweep and a per-person
//! check can only differ if the domain's sweep does (its property test).

use crate::eligibility::history_of;
use crate::name_index::{Match, NameIndex};
use crate::{AppError, AppResult};
use std::sync::{Arc, OnceLock, RwLock};
use thidua_domain::eligibility::AwardCode;
use thidua_domain::eligibility::sweep::{Snapshot, SweepResult};
use thidua_store::Store;
use time::Date;

/// People read per range at the build.
const BUILD_RANGE: i64 = 20_000;
/// Changes read per round when catching up.
const CHANGES_PER_ROUND: i64 = 5_000;

struct State {
    snap: Snapshot,
    names: NameIndex,
    /// The last change of the feed the snapshot holds.
    mark: i64,
}

/// The snapshot, shared by the server's requests.
#[derive(Clone)]
pub struct RegistrySnapshot {
    state: Arc<RwLock<State>>,
}

/// The snapshot a server builds in the background after it starts:
/// empty until then, and the registry search reads the database meanwhile.
#[derive(Clone, Default)]
pub struct SnapshotSlot(Arc<OnceLock<RegistrySnapshot>>);

impl std::fmt::Debug for SnapshotSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "SnapshotSlot(built)"
        } else {
            "SnapshotSlot(empty)"
        })
    }
}

impl SnapshotSlot {
    /// A slot holding a snapshot already built (a benchmark shares one).
    pub fn holding(snap: RegistrySnapshot) -> Self {
        let slot = SnapshotSlot::default();
        let _ = slot.0.set(snap);
        slot
    }

    pub fn get(&self) -> Option<&RegistrySnapshot> {
        self.0.get()
    }

    /// Builds the snapshot and fills the slot (a second build is dropped).
    pub async fn build(&self, store: &Store) -> AppResult<()> {
        let snap = RegistrySnapshot::load(store, &|_, _| ()).await?;
        let _ = self.0.set(snap);
        Ok(())
    }
}

fn poisoned() -> AppError {
    AppError::Internal("bản chụp sổ khen thưởng hỏng khóa".into())
}

impl RegistrySnapshot {
    /// Reads every person of the registry. `progress` hears the people
    /// read and the largest id (people are read by id range).
    pub async fn load(store: &Store, progress: &(dyn Fn(u64, u64) + Sync)) -> AppResult<Self> {
        // The mark is taken first: a write during the build is read again
        // by the first catch-up rather than missed.
        let mark = store.registry_change_head().await?;
        let max = store.max_person_id().await?;
        let mut snap = Snapshot::new();
        let mut names: Vec<(i64, String)> = Vec::new();
        let mut lo = 1;
        let mut read = 0u64;
        while lo <= max {
            let hi = lo.saturating_add(BUILD_RANGE - 1);
            let mut range = store.people_between(lo, hi).await?;
            read += range.people.len() as u64;
            names.append(&mut range.names);
            let packed = tokio::task::spawn_blocking(move || {
                let mut part = Vec::with_capacity(range.people.len());
                for (id, reg, first) in range.people {
                    part.push((id, history_of(&reg, first)));
                }
                part
            })
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
            for (id, h) in &packed {
                snap.push(*id, h)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
            }
            progress(read, max as u64);
            lo = hi + 1;
        }
        // The index answers in name order. Someone added after the ranges
        // were read is left out here and comes in with the first catch-up
        // (the mark was taken before).
        let order = store.people_in_name_order().await?;
        let names = tokio::task::spawn_blocking(move || {
            let mut names = names;
            let ordered: Vec<(i64, String)> = order
                .into_iter()
                .filter_map(|id| {
                    let at = names.binary_search_by_key(&id, |n| n.0).ok()?;
                    Some((id, std::mem::take(&mut names[at].1)))
                })
                .collect();
            NameIndex::build(&ordered)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(RegistrySnapshot {
            state: Arc::new(RwLock::new(State { snap, names, mark })),
        })
    }

    /// Re-reads the people the change feed names after the mark; returns
    /// how many. A request that has just written reads its own write
    /// because every sweep catches up first.
    pub async fn catch_up(&self, store: &Store) -> AppResult<usize> {
        let mut touched = 0;
        loop {
            let mark = self.state.read().map_err(|_| poisoned())?.mark;
            let (people, last) = store
                .registry_changes_since(mark, CHANGES_PER_ROUND)
                .await?;
            if last == mark {
                return Ok(touched);
            }
            let mut fresh = Vec::with_capacity(people.len());
            for id in &people {
                let range = store.people_between(*id, *id).await?;
                let name = range.names.into_iter().next().map(|n| n.1);
                fresh.push((*id, range.people.into_iter().next(), name));
            }
            let mut st = self.state.write().map_err(|_| poisoned())?;
            // Another request may have caught up meanwhile: its mark wins.
            if st.mark != mark {
                continue;
            }
            for (id, row, name) in fresh {
                st.names.set(id, name.as_deref());
                match row {
                    Some((_, reg, first)) => st
                        .snap
                        .set(id, &history_of(&reg, first))
                        .map_err(|e| AppError::Internal(e.to_string()))?,
                    None => st.snap.remove(id),
                }
            }
            st.mark = last;
            touched += people.len();
        }
    }

    /// Judges everyone (or the given people) for `code` in `year`.
    pub async fn sweep(
        &self,
        store: &Store,
        code: AwardCode,
        year: i32,
        decision_date: Date,
        among: Option<Vec<i64>>,
    ) -> AppResult<SweepResult> {
        self.catch_up(store).await?;
        let state = self.state.clone();
        tokio::task::spawn_blocking(move || {
            let st = state.read().map_err(|_| poisoned())?;
            let pos = among.map(|ids| st.snap.positions(&ids));
            st.snap
                .sweep(code, year, decision_date, pos.as_deref())
                .map_err(|e| crate::invalid("year", e.to_string()))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }

    /// The CSTĐCS streaks ending in `year` (index = length).
    pub async fn streak_histogram(&self, store: &Store, year: i32) -> AppResult<Vec<u64>> {
        self.catch_up(store).await?;
        let st = self.state.read().map_err(|_| poisoned())?;
        st.snap
            .streak_histogram(year)
            .map_err(|e| crate::invalid("year", e.to_string()))
    }

    /// The people whose folded name has a word matching every term.
    pub async fn find_names(
        &self,
        store: &Store,
        terms: &[String],
        how: Match,
    ) -> AppResult<Vec<i64>> {
        self.catch_up(store).await?;
        let st = self.state.read().map_err(|_| poisoned())?;
        Ok(st.names.search(terms, how))
    }

    /// Runs `f` on the name index as it is (the benchmark times it alone).
    pub fn with_names<T>(&self, f: impl FnOnce(&NameIndex) -> T) -> AppResult<T> {
        let st = self.state.read().map_err(|_| poisoned())?;
        Ok(f(&st.names))
    }

    /// People held, histories judged whole, and the columns' bytes.
    pub fn size(&self) -> AppResult<(usize, usize, usize)> {
        let st = self.state.read().map_err(|_| poisoned())?;
        Ok((st.snap.people(), st.snap.whole_count(), st.snap.bytes()))
    }

    /// Runs `f` on the snapshot as it is (no catch-up): the benchmark
    /// times the pass alone.
    pub fn with<T>(&self, f: impl FnOnce(&Snapshot) -> T) -> AppResult<T> {
        let st = self.state.read().map_err(|_| poisoned())?;
        Ok(f(&st.snap))
    }
}

#[cfg(test)]
mod tests;
