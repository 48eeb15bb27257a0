//! A movement's report is computed from whole maps of units and every
//! approved value, which is far too much work to repeat on each view of a
//! dashboard (a province's officers open it all day, and it once fell to 17
//! requests a second under 50 clients). Reports are therefore kept, keyed
//! by what they are computed from, and thrown away as soon as anything
//! changes: the store's report mark (the last audit entry of a kind that
//! reports read) is part of the key, and every write is audited.

use super::map::{MapCache, Maps};
use super::{Boundaries, MovementReport, report_with};
use crate::AppResult;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use thidua_domain::org::UnitId;
use thidua_store::{MovementRow, Store};
use time::Date;

/// What a report depends on, besides the data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    movement: i64,
    root: Option<i64>,
    as_of: Date,
    boundaries: Option<Boundaries>,
    today: Date,
}

/// Reports computed since the last change, at most [`ReportCache::CAPACITY`].
#[derive(Default)]
pub struct ReportCache {
    inner: Mutex<Entries>,
    /// The maps of the days reports read, under the same mark.
    maps: MapCache,
}

/// One report, computed once however many people ask for it at the same
/// time: the first computes, the others wait for its result (fifty officers
/// opening the dashboard together must not compute it fifty times).
type Slot = Arc<tokio::sync::OnceCell<Arc<MovementReport>>>;

#[derive(Default)]
struct Entries {
    mark: i64,
    reports: HashMap<Key, Slot>,
}

impl ReportCache {
    /// Enough for every movement × a few units and days people look at;
    /// past it the cache starts afresh rather than tracking use.
    pub const CAPACITY: usize = 256;

    /// The report, computed only if nothing was kept for these inputs
    /// since the last change. Permission is the caller's business: the
    /// report of a unit is the same for everyone allowed to see it.
    pub async fn report(
        &self,
        store: &Store,
        movement: &MovementRow,
        root: Option<UnitId>,
        as_of: Date,
        boundaries: Option<Boundaries>,
        today: Date,
    ) -> AppResult<Arc<MovementReport>> {
        // No boundaries means the natural ones: one kept report for both.
        let boundaries = Some(boundaries.unwrap_or(Boundaries::natural(as_of)));
        let key = Key {
            movement: movement.id,
            root: root.map(|r| r.0),
            as_of,
            boundaries,
            today,
        };
        let mark = store.report_mark().await?;
        let maps = Maps {
            cache: Some(&self.maps),
        };
        let compute = || async {
            report_with(store, maps, movement, root, as_of, boundaries, today)
                .await
                .map(Arc::new)
        };
        match self.slot(mark, key) {
            Some(slot) => slot.get_or_try_init(compute).await.cloned(),
            // A request that read an older mark than the cache holds: its
            // answer is computed for it alone.
            None => compute().await,
        }
    }

    /// The slot for `key` under `mark`: a change seen for the first time
    /// empties the cache.
    fn slot(&self, mark: i64, key: Key) -> Option<Slot> {
        let mut e = self.lock();
        if mark < e.mark {
            return None;
        }
        if mark > e.mark {
            e.mark = mark;
            e.reports.clear();
        }
        if !e.reports.contains_key(&key) && e.reports.len() >= Self::CAPACITY {
            e.reports.clear();
        }
        Some(e.reports.entry(key).or_default().clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves only a map of slots behind,
        // which stays valid.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many reports are kept (for tests and the benchmark).
    pub fn len(&self) -> usize {
        self.lock()
            .reports
            .values()
            .filter(|s| s.initialized())
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The maps kept for the reports (for tests).
    pub fn maps(&self) -> &MapCache {
        &self.maps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::movements::{RawValue, enter_approved_values};
    use thidua_domain::movement::MovementCode;
    use thidua_sheets::Cell;
    use thidua_store::Who;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 22);
    const AS_OF: Date = date!(2023 - 12 - 31);

    fn average(r: &MovementReport) -> String {
        r.figures
            .iter()
            .find(|f| f.indicator.as_str() == "SO_TC" && f.rollup == "avg")
            .map(|f| f.display.clone())
            .unwrap_or_default()
    }

    thidua_store::engine_tests!(
        a_kept_report_lasts_until_the_next_change,
        |store| async move {
            let who = Who::system("test");
            crate::demo::seed(store, &who, &|_| {}).await.expect("demo");
            let m = store
                .movement_by_code(&MovementCode::parse("NTM-DNO-2021").unwrap())
                .await
                .unwrap()
                .unwrap();
            let dak_nong = store
                .resolve_code("67", None, AS_OF)
                .await
                .unwrap()
                .map(|u| u.id);
            let cache = ReportCache::default();
            let b = Some(Boundaries::Legacy);
            // Four people at once: one computation, one shared answer.
            let ask = || cache.report(store, &m, dak_nong, AS_OF, b, TODAY);
            let (w, x, y, z) = tokio::join!(ask(), ask(), ask(), ask());
            let first = w.unwrap();
            for other in [x, y, z] {
                assert!(Arc::ptr_eq(&first, &other.unwrap()), "computed once");
            }
            let again = cache
                .report(store, &m, dak_nong, AS_OF, b, TODAY)
                .await
                .unwrap();
            assert!(
                Arc::ptr_eq(&first, &again),
                "the second view is the kept one"
            );
            assert_eq!(cache.len(), 1);
            let other_day = cache
                .report(store, &m, dak_nong, date!(2022 - 12 - 31), b, TODAY)
                .await
                .unwrap();
            assert!(!Arc::ptr_eq(&first, &other_day));
            assert_eq!(cache.len(), 2);
            assert_eq!(average(&first), "16,42");

            // What reports never read (here a setting) leaves them kept.
            store.setting_or_create(&who, "thu", "1").await.unwrap();
            let still = cache
                .report(store, &m, dak_nong, AS_OF, b, TODAY)
                .await
                .unwrap();
            assert!(Arc::ptr_eq(&first, &still));
            // One commune's 2023 criteria all fail: the next view sees it.
            let commune = store
                .approved_values(m.id)
                .await
                .unwrap()
                .into_iter()
                .next()
                .expect("a value")
                .unit_id;
            let code = store
                .unit(UnitId(commune), AS_OF)
                .await
                .unwrap()
                .expect("unit")
                .code;
            let raw: Vec<RawValue> = (1..=19)
                .map(|i| RawValue {
                    line: 0,
                    unit_code: code.clone(),
                    period: "2023".into(),
                    indicator: format!("TC{i:02}"),
                    value: Cell::Text("Không đạt".into()),
                    note: None,
                })
                .collect();
            for v in store
                .value_rows(m.id, Some(&[UnitId(commune)]))
                .await
                .unwrap()
                .into_iter()
                .filter(|v| v.period == "2023")
            {
                store.reopen_value(&who, v.id, "sửa lại").await.unwrap();
            }
            enter_approved_values(store, &who, &m, "thử", &raw, TODAY)
                .await
                .expect("value");
            let after = cache
                .report(store, &m, dak_nong, AS_OF, b, TODAY)
                .await
                .unwrap();
            assert!(!Arc::ptr_eq(&first, &after));
            assert_ne!(average(&after), "16,42", "the change is seen at once");
            assert_eq!(cache.len(), 1, "what was kept before the change is gone");
        }
    );
}
