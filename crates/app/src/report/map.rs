//! The map of one day in memory, and how reports name its units.

use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use thidua_domain::official::REFORM_2025;
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::rollup::Figure;
use thidua_store::{ForestUnit, Store};
use time::Date;

/// Địa giới — which administrative map figures are reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundaries {
    /// Địa giới cũ — provinces, districts and communes before 01/07/2025.
    Legacy,
    /// Địa giới hiện hành — today's map.
    Current,
}

impl Boundaries {
    pub fn parse(s: &str) -> AppResult<Boundaries> {
        match s.trim() {
            "legacy" | "cu" => Ok(Boundaries::Legacy),
            "current" | "hien-hanh" => Ok(Boundaries::Current),
            _ => Err(AppError::Invalid {
                field: "boundaries",
                message: format!("địa giới «{s}» không xác định (legacy hoặc current)"),
            }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Boundaries::Legacy => "legacy",
            Boundaries::Current => "current",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Boundaries::Legacy => "Địa giới trước 01/07/2025",
            Boundaries::Current => "Địa giới hiện hành",
        }
    }

    /// The boundaries a day's figures are naturally read in.
    pub fn natural(as_of: Date) -> Boundaries {
        if as_of < REFORM_2025 {
            Boundaries::Legacy
        } else {
            Boundaries::Current
        }
    }

    /// The day whose map is used.
    pub fn map_date(self, as_of: Date, today: Date) -> Date {
        match self {
            Boundaries::Legacy => as_of.min(REFORM_2025.previous_day().unwrap_or(REFORM_2025)),
            Boundaries::Current => as_of.max(today),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildFigures {
    pub unit: UnitRef,
    pub figures: Vec<Figure>,
}

/// The map of one day, in memory.
pub(super) struct Map {
    pub(super) units: HashMap<i64, ForestUnit>,
    pub(super) kinds: HashMap<i64, UnitKind>,
}

impl Map {
    pub(super) async fn load(store: &Store, on: Date) -> AppResult<Map> {
        let mut units = HashMap::new();
        let mut kinds = HashMap::new();
        for u in store.forest_as_of(on).await? {
            kinds.insert(u.id, thidua_store::forest_kind(&u)?);
            units.insert(u.id, u);
        }
        Ok(Map { units, kinds })
    }

    pub(super) fn chain(&self, id: i64) -> Vec<(UnitId, UnitKind)> {
        let mut out = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            let (Some(u), Some(k)) = (self.units.get(&c), self.kinds.get(&c)) else {
                break;
            };
            if out.len() > 16 {
                break;
            }
            out.push((UnitId(c), *k));
            cur = u.parent_id;
        }
        out
    }

    pub(super) fn children(&self, parent: Option<i64>) -> Vec<&ForestUnit> {
        let mut v: Vec<&ForestUnit> = self
            .units
            .values()
            .filter(|u| u.parent_id == parent)
            .filter(|u| {
                self.kinds
                    .get(&u.id)
                    .is_some_and(|k| k.is_administrative() || parent.is_some())
            })
            .collect();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }
}

pub(super) fn unit_ref(u: &ForestUnit) -> UnitRef {
    UnitRef {
        id: u.id,
        code: u.code.clone(),
        name: u.name.clone(),
    }
}

/// Maps already read, kept while the organisation registry stays as it
/// is (its version; entering values does not touch it). A map serves every
/// day on which the forest is the same (its span), so a dashboard's series
/// over a dozen period ends reads one or two maps, not a dozen forests of
/// some 14 000 units each.
#[derive(Default)]
pub struct MapCache {
    inner: Mutex<MapEntries>,
}

/// The organisation registry's version ([`Store::org_version`]).
pub(super) type OrgVersion = (i64, i64, i64);

#[derive(Default)]
struct MapEntries {
    version: OrgVersion,
    /// Each map with the days it serves: `[from, until)`, open ends `None`.
    spans: Vec<(Option<Date>, Option<Date>, Arc<Map>)>,
}

impl MapEntries {
    fn find(&self, version: OrgVersion, day: Date) -> Option<Arc<Map>> {
        if self.version != version {
            return None;
        }
        self.spans
            .iter()
            .find(|(from, until, _)| from.is_none_or(|f| f <= day) && until.is_none_or(|u| day < u))
            .map(|(_, _, m)| m.clone())
    }
}

/// Where a report gets its maps: a cache under the registry's version, or
/// (none) a fresh read each time.
#[derive(Clone, Copy)]
pub(super) struct Maps<'a> {
    pub(super) cache: Option<&'a MapCache>,
}

impl MapCache {
    /// Spans kept at most; past it the cache starts afresh.
    const CAPACITY: usize = 64;

    fn lock(&self) -> std::sync::MutexGuard<'_, MapEntries> {
        // A panic while holding the lock leaves only whole maps behind.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many maps are kept (for tests).
    pub fn len(&self) -> usize {
        self.lock().spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Maps<'_> {
    pub(super) async fn get(self, store: &Store, day: Date) -> AppResult<Arc<Map>> {
        let Some(cache) = self.cache else {
            return Ok(Arc::new(Map::load(store, day).await?));
        };
        let version = store.org_version().await?;
        if let Some(m) = cache.lock().find(version, day) {
            return Ok(m);
        }
        let (from, until) = store.forest_span(day).await?;
        let m = Arc::new(Map::load(store, day).await?);
        // Read again: a change between the version and the forest would
        // leave a map of the new registry under the old version.
        if store.org_version().await? != version {
            return Ok(m);
        }
        let mut g = cache.lock();
        if g.version != version || g.spans.len() >= MapCache::CAPACITY {
            g.version = version;
            g.spans.clear();
        }
        if let Some(kept) = g.find(version, day) {
            return Ok(kept);
        }
        g.spans.push((from, until, m.clone()));
        Ok(m)
    }
}
