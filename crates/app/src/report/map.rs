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

/// Maps of days already read, kept while nothing changes (the store's
/// report mark): a dashboard's series reads up to a dozen days, each a
/// whole forest of some 14 000 units, and that was most of its time.
#[derive(Default)]
pub struct MapCache {
    inner: Mutex<(i64, HashMap<Date, Arc<Map>>)>,
}

/// Where a report gets its maps: a cache under a mark, or (no mark) a
/// fresh read each time.
#[derive(Clone, Copy)]
pub(super) struct Maps<'a> {
    pub(super) cache: Option<(&'a MapCache, i64)>,
}

impl MapCache {
    /// Days kept at most; past it the cache starts afresh.
    const CAPACITY: usize = 64;
}

impl Maps<'_> {
    pub(super) async fn get(self, store: &Store, day: Date) -> AppResult<Arc<Map>> {
        let Some((cache, mark)) = self.cache else {
            return Ok(Arc::new(Map::load(store, day).await?));
        };
        if let Ok(g) = cache.inner.lock()
            && g.0 == mark
            && let Some(m) = g.1.get(&day)
        {
            return Ok(m.clone());
        }
        let m = Arc::new(Map::load(store, day).await?);
        if let Ok(mut g) = cache.inner.lock()
            && mark >= g.0
        {
            if mark > g.0 || g.1.len() >= MapCache::CAPACITY {
                g.0 = mark;
                g.1.clear();
            }
            g.1.insert(day, m.clone());
        }
        Ok(m)
    }
}
