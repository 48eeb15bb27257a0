//! Sổ khen thưởng — the award registry: search that forgives missing
//! diacritics and small typos, unit filters in today's or the legacy
//! boundaries, and the history of one person or collective across
//! transfers and the 2025 reorganisation.

use crate::report::Boundaries;
use crate::sweep::RegistrySnapshot;
use crate::{AppResult, invalid};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use thidua_domain::org::UnitId;
use thidua_domain::text;
use thidua_store::{
    NamedPeople, PersonRow, RegistryHit, RegistryQuery, Store, SubjectFilter, UserRow,
};
use time::Date;
use time::macros::date;

/// The last day of the legacy boundaries (the district level ended on
/// 01/07/2025).
pub const LEGACY_DAY: Date = date!(2025 - 06 - 30);

/// A registry question as people ask it.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub text: String,
    pub codes: Vec<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub issuer: Option<String>,
    /// Awards of subjects in this unit's subtree, drawn in these boundaries.
    pub unit: Option<(UnitId, Boundaries)>,
    pub movement: Option<i64>,
    pub subjects: SubjectFilter,
    pub include_revoked: bool,
    pub limit: i64,
}

/// A term typed and the words it was also read as.
pub type Correction = (String, Vec<String>);

/// What a search found, and which spellings it tried for typos.
#[derive(Debug, Clone)]
pub struct Found {
    pub hits: Vec<RegistryHit>,
    pub corrections: Vec<Correction>,
}

/// Every unit whose awards count under `root`: everything that ever stood
/// under it, and the units that were merged into it or came out of
/// it, so that a province's history survives the 2025 reorganisation.
/// The units under `root` on either map: what a list filtered by a unit
/// keeps, whether the record predates the 2025 reform or not.
pub async fn units_under_any_map(store: &Store, root: UnitId) -> AppResult<Vec<i64>> {
    let mut all = units_under(store, root, Boundaries::Current).await?;
    all.extend(units_under(store, root, Boundaries::Legacy).await?);
    all.sort_unstable();
    all.dedup();
    Ok(all)
}

pub async fn units_under(
    store: &Store,
    root: UnitId,
    boundaries: Boundaries,
) -> AppResult<Vec<i64>> {
    // Walking a province's whole history takes many small queries; the
    // answer only changes when the organisation registry does, so it is
    // kept per database, root and registry fingerprint.
    type Key = (String, i64, bool, (i64, i64, i64));
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Vec<i64>>>>> = OnceLock::new();
    let key: Key = (
        store.url().to_owned(),
        root.0,
        boundaries == Boundaries::Legacy,
        store.org_version().await?,
    );
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(hit.as_ref().clone());
    }
    let fresh = Arc::new(walk_units_under(store, root, boundaries).await?);
    if let Ok(mut c) = cache.lock() {
        // A small cache: a registry change makes every key stale at once.
        c.retain(|k, _| k.3 == key.3);
        c.insert(key, fresh.clone());
    }
    Ok(fresh.as_ref().clone())
}

async fn walk_units_under(
    store: &Store,
    root: UnitId,
    boundaries: Boundaries,
) -> AppResult<Vec<i64>> {
    let mut out: BTreeSet<i64> = store.subtree_ever(root).await?.into_iter().collect();
    out.insert(root.0);
    match boundaries {
        Boundaries::Current => {
            // What the unit (and its own predecessors) were before, with
            // everything that ever stood under them.
            let mut frontier = vec![root];
            let mut seen = BTreeSet::from([root.0]);
            while let Some(u) = frontier.pop() {
                for p in store.predecessors(u).await? {
                    if !seen.insert(p.unit.id.0) {
                        continue;
                    }
                    out.extend(store.subtree_ever(p.unit.id).await?);
                    out.insert(p.unit.id.0);
                    frontier.push(p.unit.id);
                }
            }
        }
        Boundaries::Legacy => {
            // What the legacy units became: the new units they mainly went into.
            let legacy: Vec<i64> = out.iter().copied().collect();
            for id in legacy {
                for s in store.successors(UnitId(id)).await? {
                    if s.primary && s.effective > LEGACY_DAY {
                        out.insert(s.unit.id.0);
                    }
                }
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// The units a user's registry reads are limited to; `None` for those who
/// see everything (administrators).
pub async fn reader_scope(
    store: &Store,
    user: &UserRow,
    today: Date,
) -> AppResult<Option<Vec<i64>>> {
    if thidua_domain::policy::unscoped(user.role) {
        return Ok(None);
    }
    let actor = crate::auth::actor(store, user, today).await?;
    let mut all = BTreeSet::new();
    for root in actor.scope_roots {
        all.extend(units_under(store, root, Boundaries::Current).await?);
    }
    Ok(Some(all.into_iter().collect()))
}

/// Folded query terms, each with the spellings it may stand for: itself
/// when some name has a word starting with it, else the nearest words.
pub fn read_terms(query: &str, vocabulary: &[&str]) -> (Vec<Vec<String>>, Vec<Correction>) {
    let mut terms = Vec::new();
    let mut corrections = Vec::new();
    for t in text::query_terms(query) {
        let known = vocabulary.iter().any(|w| w.starts_with(&t));
        if known {
            terms.push(vec![t]);
            continue;
        }
        let near: Vec<String> = text::near_words(&t, vocabulary.iter().copied())
            .into_iter()
            .take(5)
            .map(str::to_owned)
            .collect();
        if !near.is_empty() {
            corrections.push((t.clone(), near.clone()));
        }
        let mut alts = vec![t];
        alts.extend(near);
        terms.push(alts);
    }
    (terms, corrections)
}

/// The issuers whose names contain the words given (diacritics and case
/// forgiven); `None` when no text is given. A text that names no issuer
/// keeps nothing rather than everything.
pub async fn issuers_matching(store: &Store, text: Option<&str>) -> AppResult<Option<Vec<String>>> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    // "UBND" is how officers write Ủy ban nhân dân.
    let plain = |s: &str| text::fold(s).replace("ubnd", "uy ban nhan dan");
    let want = plain(t);
    Ok(Some(
        store
            .issuers()
            .await?
            .into_iter()
            .filter(|i| plain(i).contains(&want))
            .collect(),
    ))
}

/// Searches the registry within what the user may read; `names` is the
/// in-memory name index when the server has built it.
pub async fn search(
    store: &Store,
    names: Option<&RegistrySnapshot>,
    user: &UserRow,
    today: Date,
    s: &Search,
) -> AppResult<Found> {
    let scope = reader_scope(store, user, today).await?;
    search_in(store, names, scope, s).await
}

/// The query's name terms with their typo readings, and the people they
/// name: from the in-memory index when there is one (the database is then
/// asked only for those people's rows), else left to the database.
async fn read_names(
    store: &Store,
    names: Option<&RegistrySnapshot>,
    query: &str,
) -> AppResult<(Vec<Vec<String>>, Vec<Correction>, Option<NamedPeople>)> {
    if query.trim().is_empty() {
        return Ok((Vec::new(), Vec::new(), None));
    }
    let Some(snap) = names else {
        let words = store.name_words().await?;
        let vocabulary: Vec<&str> = words.iter().map(String::as_str).collect();
        let (terms, corrections) = read_terms(query, &vocabulary);
        return Ok((terms, corrections, None));
    };
    snap.catch_up(store).await?;
    let (snap, query) = (snap.clone(), query.to_owned());
    tokio::task::spawn_blocking(move || {
        snap.with_names(|index| {
            let (terms, corrections) = read_terms(&query, &index.words());
            let found = index.find(&terms);
            let named = NamedPeople {
                in_order: found.in_order,
                recent: found.recent,
            };
            (terms, corrections, Some(named))
        })
    })
    .await
    .map_err(|e| crate::AppError::Internal(e.to_string()))?
}

/// Searches the registry within `scope` (every unit when `None`: the
/// command line, which holds the database itself).
pub async fn search_in(
    store: &Store,
    names: Option<&RegistrySnapshot>,
    scope: Option<Vec<i64>>,
    s: &Search,
) -> AppResult<Found> {
    if let (Some(a), Some(b)) = (s.year_from, s.year_to)
        && a > b
    {
        return Err(invalid("year", "Năm bắt đầu phải trước năm kết thúc"));
    }
    let (name_terms, corrections, named_people) = read_names(store, names, &s.text).await?;
    let named_units = if name_terms.is_empty() || s.subjects == SubjectFilter::People {
        Vec::new()
    } else {
        let plain: Vec<String> = text::query_terms(&s.text);
        store
            .awarded_collectives()
            .await?
            .into_iter()
            .filter(|(_, name)| text::matches_terms(&text::fold(name), &plain))
            .map(|(id, _)| id)
            .collect()
    };
    let mut units = scope;
    if let Some((root, b)) = s.unit {
        let wanted = units_under(store, root, b).await?;
        units = Some(match units {
            Some(scope) => {
                let scope: BTreeSet<i64> = scope.into_iter().collect();
                wanted.into_iter().filter(|u| scope.contains(u)).collect()
            }
            None => wanted,
        });
    }
    let q = RegistryQuery {
        name_terms,
        named_people,
        named_units,
        codes: s.codes.clone(),
        year_from: s.year_from,
        year_to: s.year_to,
        issuers: issuers_matching(store, s.issuer.as_deref()).await?,
        units,
        movement: s.movement,
        person: None,
        collective: None,
        subjects: s.subjects,
        include_revoked: s.include_revoked,
        limit: if s.limit > 0 { s.limit.min(2000) } else { 200 },
    };
    Ok(Found {
        hits: store.registry_search(&q).await?,
        corrections,
    })
}

/// One membership on a person's page, with what its unit became.
#[derive(Debug, Clone)]
pub struct Stint {
    pub unit: String,
    /// The units above it then («Thành phố Gia Nghĩa, Tỉnh Đắk Nông»):
    /// the province a person worked in may no longer exist.
    pub within: String,
    pub position: Option<String>,
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// Where the unit went in a reorganisation, with its province today
    /// ("Phường Bắc Gia Nghĩa, Tỉnh Lâm Đồng").
    pub became: Vec<String>,
}

/// A unit's name followed by the units above it on `day`, nearest first.
async fn chain_of(store: &Store, unit: UnitId, day: Date) -> AppResult<String> {
    Ok(store
        .ancestors_as_of(unit, day)
        .await?
        .into_iter()
        .map(|u| u.name)
        .collect::<Vec<_>>()
        .join(", "))
}

/// A person's page: who they are, where they worked, everything awarded.
#[derive(Debug, Clone)]
pub struct PersonHistory {
    pub person: PersonRow,
    pub stints: Vec<Stint>,
    pub rows: Vec<RegistryHit>,
}

pub async fn person_history(
    store: &Store,
    user: &UserRow,
    today: Date,
    id: i64,
) -> AppResult<PersonHistory> {
    let person = store
        .person(id)
        .await?
        .ok_or_else(|| crate::AppError::NotFound(format!("người #{id}")))?;
    let memberships = store.memberships(id).await?;
    // A person is readable by those whose scope holds one of their units.
    if let Some(scope) = reader_scope(store, user, today).await?
        && !memberships.iter().any(|(u, _, _)| scope.contains(&u.0))
    {
        return Err(crate::AppError::NotFound(format!("người #{id}")));
    }
    let mut stints = Vec::new();
    for (unit, position, period) in &memberships {
        let on = period.last_day().unwrap_or(today).min(today);
        let row = store.unit(*unit, on).await?;
        let name = match &row {
            Some(u) => u.name.clone(),
            None => format!("#{}", unit.0),
        };
        let mut became = Vec::new();
        if let Some(u) = &row
            && !u.period.contains(today)
        {
            for l in store.became_as_of(*unit, today).await? {
                let above = chain_of(store, l.unit.id, today).await?;
                became.push(if above.is_empty() {
                    l.unit.name
                } else {
                    format!("{}, {above}", l.unit.name)
                });
            }
        }
        stints.push(Stint {
            within: chain_of(store, *unit, on).await?,
            unit: name,
            position: position.clone(),
            from: period.from,
            until: period.until,
            became,
        });
    }
    let rows = store
        .registry_search(&RegistryQuery {
            person: Some(id),
            include_revoked: true,
            limit: 1000,
            ..RegistryQuery::default()
        })
        .await?;
    Ok(PersonHistory {
        person,
        stints,
        rows,
    })
}

/// A collective's awards, newest first.
pub async fn collective_history(store: &Store, unit: UnitId) -> AppResult<Vec<RegistryHit>> {
    Ok(store
        .registry_search(&RegistryQuery {
            collective: Some(unit.0),
            include_revoked: true,
            limit: 1000,
            ..RegistryQuery::default()
        })
        .await?)
}

#[cfg(test)]
mod index_tests;
