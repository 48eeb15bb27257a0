//! Báo cáo phong trào — a movement's figures for a unit, a day and a set of
//! boundaries: the roll-ups, the table by child unit, the series over
//! time, progress against commitments, and twinning totals.
//!
//! Values stay on the unit they were entered for. To report them in other
//! boundaries, each entering unit is *placed* in the reporting tree: itself
//! if it exists there, else what it became (following each step's primary
//! successor) or, going back in time, the smallest unit containing
//! everything it was formed from. Since a unit is placed once, totals agree
//! in every boundary set.

use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use thidua_domain::date::VnDate;
use thidua_domain::indicator::{IndicatorDef, PeriodKey, check_indicators};
use thidua_domain::number::{format_vi, format_vnd};
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::rollup::{
    Figure, LeafTable, Member, coverage_sentence, figures, scope_words, summary_sentence,
};
use thidua_domain::twinning::PairKind;
use thidua_store::{IndicatorRow, MovementRow, Store, SuccessionEdge, ValuePoint};
use time::Date;

pub use map::MapCache;
pub use map::{Boundaries, ChildFigures, UnitRef};
use map::{Map, Maps, unit_ref};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub date: VnDate,
    pub figures: Vec<Figure>,
}

/// Progress against what registered units committed to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub indicator: String,
    pub indicator_name: String,
    pub registered: usize,
    pub met: usize,
    pub target_total: f64,
    pub actual_total: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TwinningFigures {
    pub pairs: usize,
    pub organisations: usize,
    pub villages: usize,
    pub households: usize,
    pub visits: i64,
    pub people: i64,
    pub money_vnd: f64,
    pub in_kind_vnd: f64,
    pub houses_built: i64,
    pub houses_repaired: i64,
    /// Xã được giúp đỡ.
    pub communes: usize,
    /// Đảng viên, cán bộ giúp đỡ hộ.
    pub helpers: usize,
    pub beneficiaries: i64,
    pub production_models: i64,
    pub households_out_of_poverty: i64,
    pub works_built: i64,
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovementReport {
    pub movement: String,
    pub movement_name: String,
    pub unit: Option<UnitRef>,
    pub as_of: VnDate,
    pub boundaries: Boundaries,
    /// The day whose map the figures are placed on.
    pub map_date: VnDate,
    pub summary: Option<String>,
    /// How many entering units the summary rests on, out of how many.
    pub coverage: Option<String>,
    /// What the unit asked for is on this map, when that differs from it
    /// (a province merged in 2025, seen before 01/07/2025).
    pub parts: Vec<UnitRef>,
    pub figures: Vec<Figure>,
    pub children: Vec<ChildFigures>,
    pub series: Vec<SeriesPoint>,
    pub commitments: Vec<Commitment>,
    pub twinning: Option<TwinningFigures>,
    /// Entering units that could not be placed on the map.
    pub unplaced: usize,
}

/// Reorganisation steps, indexed both ways.
struct Succession {
    forward: HashMap<i64, Vec<SuccessionEdge>>,
    backward: HashMap<i64, Vec<SuccessionEdge>>,
}

impl Succession {
    fn new(edges: Vec<SuccessionEdge>) -> Succession {
        let mut forward: HashMap<i64, Vec<SuccessionEdge>> = HashMap::new();
        let mut backward: HashMap<i64, Vec<SuccessionEdge>> = HashMap::new();
        for e in edges {
            forward.entry(e.predecessor).or_default().push(e);
            backward.entry(e.successor).or_default().push(e);
        }
        for v in forward.values_mut() {
            // Primary successor first, then the earliest step.
            v.sort_by_key(|e| (!e.is_primary, e.effective, e.successor));
        }
        Succession { forward, backward }
    }

    /// Where unit `u` (valid on the data day) sits on `map` (of day `t`).
    fn place(&self, u: i64, map: &Map, data_day: Date, t: Date) -> Option<i64> {
        if map.units.contains_key(&u) {
            return Some(u);
        }
        if t > data_day {
            let mut cur = u;
            for _ in 0..16 {
                let next = self
                    .forward
                    .get(&cur)?
                    .iter()
                    .find(|e| e.effective > data_day && e.effective <= t)?;
                if map.units.contains_key(&next.successor) {
                    return Some(next.successor);
                }
                cur = next.successor;
            }
            None
        } else {
            // Back in time: everything it was formed from, then the smallest
            // unit of the map that holds all of it.
            let mut found = Vec::new();
            let mut frontier = vec![u];
            let mut seen = HashSet::from([u]);
            while let Some(c) = frontier.pop() {
                for e in self.backward.get(&c).into_iter().flatten() {
                    if e.effective <= t || !seen.insert(e.predecessor) {
                        continue;
                    }
                    if map.units.contains_key(&e.predecessor) {
                        found.push(e.predecessor);
                    } else {
                        frontier.push(e.predecessor);
                    }
                }
            }
            let chains: Vec<Vec<(UnitId, UnitKind)>> =
                found.iter().map(|f| map.chain(*f)).collect();
            let first = chains.first()?;
            first
                .iter()
                .find(|(a, _)| chains.iter().all(|c| c.iter().any(|(b, _)| b == a)))
                .map(|(a, _)| a.0)
        }
    }
}

/// Whether a unit whose chain is `chain` is in the report's scope.
fn under(roots: Option<&[i64]>, chain: &[(UnitId, UnitKind)]) -> bool {
    roots.is_none_or(|r| chain.iter().any(|(c, _)| r.contains(&c.0)))
}

/// The entering units valid on `data_day`, placed on `map`.
#[allow(clippy::too_many_arguments)]
fn members(
    defs: &[IndicatorDef],
    data_map: &Map,
    map: &Map,
    succession: &Succession,
    data_day: Date,
    t: Date,
    roots: Option<&[i64]>,
    authority: Option<i64>,
) -> (Vec<Member>, usize) {
    // Only the launching body's own units take part: the new Lâm Đồng's
    // communes from Bình Thuận never entered Đắk Nông's movement.
    let authority = authority.filter(|a| data_map.units.contains_key(a));
    let mut out = Vec::new();
    let mut unplaced = 0;
    let mut ids: Vec<&i64> = data_map.units.keys().collect();
    ids.sort();
    for id in ids {
        let (Some(u), Some(kind)) = (data_map.units.get(id), data_map.kinds.get(id)) else {
            continue;
        };
        if !defs
            .iter()
            .any(|d| d.entry.admits(*kind, u.admin_type.as_deref()))
        {
            continue;
        }
        if authority.is_some_and(|a| !data_map.chain(u.id).iter().any(|(c, _)| c.0 == a)) {
            continue;
        }
        let Some(place) = succession.place(u.id, map, data_day, t) else {
            unplaced += 1;
            continue;
        };
        let chain = map.chain(place);
        if !under(roots, &chain) {
            continue;
        }
        out.push(Member {
            unit: UnitId(u.id),
            kind: *kind,
            admin_type: u.admin_type.clone(),
            chain,
        });
    }
    (out, unplaced)
}

/// An approved value with the first day of its period.
struct Point {
    indicator: i64,
    unit: i64,
    start: Date,
    end: Date,
    value: f64,
}

/// The values with their periods read, ordered by period end.
fn points(values: Vec<ValuePoint>) -> AppResult<Vec<Point>> {
    let mut keys: HashMap<String, (Date, Date)> = HashMap::new();
    let mut out = values
        .into_iter()
        .map(|v| {
            let (start, end) = match keys.get(&v.period) {
                Some(k) => *k,
                None => {
                    let key = PeriodKey::from_key(&v.period).map_err(|e| {
                        AppError::Internal(format!("kỳ đã lưu «{}»: {e}", v.period))
                    })?;
                    keys.insert(v.period.clone(), (key.start(), key.end()));
                    (key.start(), key.end())
                }
            };
            Ok(Point {
                indicator: v.indicator_id,
                unit: v.unit_id,
                start,
                end,
                value: v.value,
            })
        })
        .collect::<AppResult<Vec<Point>>>()?;
    out.sort_by_key(|p| p.end);
    Ok(out)
}

/// The figure of each indicator and unit on `day`: the value of the latest
/// period that has begun by then — the current year's figure counts as soon
/// as it is approved, not only once the year is over.
fn snapshot(points: &[Point], day: Date) -> HashMap<(i64, i64), f64> {
    let mut m = HashMap::new();
    // Points are ordered by period end, so later periods overwrite earlier.
    for p in points.iter().filter(|p| p.start <= day) {
        m.insert((p.indicator, p.unit), p.value);
    }
    m
}

fn table(
    defs: &[IndicatorDef],
    ids: &[i64],
    order: &[usize],
    members: &[Member],
    snap: &HashMap<(i64, i64), f64>,
) -> LeafTable {
    LeafTable::build(defs, order, members.len(), |m, i| {
        snap.get(&(ids[i], members[m].unit.0)).copied()
    })
}

/// How many points the series keeps (the most recent).
const SERIES_POINTS: usize = 12;

/// Computes a movement's report.
pub async fn movement_report(
    store: &Store,
    movement: &MovementRow,
    root: Option<UnitId>,
    as_of: Date,
    boundaries: Option<Boundaries>,
    today: Date,
) -> AppResult<MovementReport> {
    report_with(
        store,
        Maps { cache: None },
        movement,
        root,
        as_of,
        boundaries,
        today,
    )
    .await
}

/// [`movement_report`], reading its maps from `maps`.
async fn report_with(
    store: &Store,
    maps: Maps<'_>,
    movement: &MovementRow,
    root: Option<UnitId>,
    as_of: Date,
    boundaries: Option<Boundaries>,
    today: Date,
) -> AppResult<MovementReport> {
    let rows: Vec<IndicatorRow> = store.indicators(movement.id).await?;
    let defs: Vec<IndicatorDef> = rows.iter().map(|r| r.def.clone()).collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let order = check_indicators(&defs).map_err(|e| {
        AppError::Internal(
            e.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let boundaries = boundaries.unwrap_or(Boundaries::natural(as_of));
    let t = boundaries.map_date(as_of, today);
    let map_arc = maps.get(store, t).await?;
    let map: &Map = &map_arc;
    let roots = match root {
        Some(r) => Some(scope::scope_on_map(store, r, map, t, boundaries).await?),
        None => None,
    };
    let roots = roots.as_deref();
    let (unit, parts) = scope::named_scope(store, map, root, roots, as_of.min(today)).await?;
    let succession = Succession::new(store.succession_edges().await?);
    let points = points(store.approved_values(movement.id).await?)?;

    // The units that entered the latest values: a movement whose figures
    // stop before the 2025 reform is read from the communes of the day,
    // then placed on the chosen map.
    let data_day = points
        .iter()
        .filter(|p| p.start <= as_of)
        .map(|p| p.end.min(as_of))
        .max()
        .unwrap_or(as_of);
    let data_map_owned;
    let data_map: &Map = if data_day == t {
        map
    } else {
        data_map_owned = maps.get(store, data_day).await?;
        &data_map_owned
    };
    let authority = movement.authority.map(|a| a.0);
    let place =
        |dm: &Map, day: Date| members(&defs, dm, map, &succession, day, t, roots, authority);
    let (members_now, unplaced) = place(data_map, data_day);
    let snap = snapshot(&points, as_of);
    let leaf = table(&defs, &ids, &order, &members_now, &snap);
    let baseline = |d: Date| {
        Some(table(
            &defs,
            &ids,
            &order,
            &members_now,
            &snapshot(&points, d),
        ))
    };
    let everyone: Vec<usize> = (0..members_now.len()).collect();
    let figs = figures(&defs, &members_now, &everyone, &leaf, &baseline);
    let scope_unit = roots
        .and_then(|r| r.first())
        .and_then(|id| map.units.get(id));
    let scope = scope_words(scope_unit.map(|u| {
        (
            map.kinds.get(&u.id).copied().unwrap_or(UnitKind::Province),
            u.admin_type.as_deref(),
        )
    }));
    let summary = summary_sentence(&scope, &figs);

    let children = scope::child_figures(map, roots, &members_now, &|part| {
        figures(&defs, &members_now, part, &leaf, &baseline)
    });

    // The series: each earlier period end, with that day's units placed on
    // the same map.
    let mut days: Vec<Date> = points
        .iter()
        .filter(|p| p.start <= as_of)
        .map(|p| p.end.min(as_of))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if days.len() > SERIES_POINTS {
        days.drain(..days.len() - SERIES_POINTS);
    }
    let mut series = Vec::new();
    for day in days {
        let (ms, _) = if day == as_of {
            (members_now.clone(), 0)
        } else {
            place(&*maps.get(store, day).await?, day)
        };
        let lt = table(&defs, &ids, &order, &ms, &snapshot(&points, day));
        let all: Vec<usize> = (0..ms.len()).collect();
        series.push(SeriesPoint {
            date: VnDate(day),
            figures: figures(&defs, &ms, &all, &lt, &|_| None),
        });
    }

    let commitments = commitments(store, movement, &rows, &members_now, &leaf).await?;
    let twinning = twinning(store, movement, map, data_map, &succession, as_of, t, roots).await?;
    Ok(MovementReport {
        movement: movement.code.to_string(),
        movement_name: movement.name.clone(),
        unit,
        parts,
        coverage: coverage_sentence(&figs),
        as_of: VnDate(as_of),
        boundaries,
        map_date: VnDate(t),
        summary,
        figures: figs,
        children,
        series,
        commitments,
        twinning,
        unplaced,
    })
}

async fn commitments(
    store: &Store,
    movement: &MovementRow,
    rows: &[IndicatorRow],
    members: &[Member],
    leaf: &LeafTable,
) -> AppResult<Vec<Commitment>> {
    let index: HashMap<i64, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.unit.0, i))
        .collect();
    let mut by_indicator: HashMap<i64, Commitment> = HashMap::new();
    for reg in store.registrations(movement.id).await? {
        let Some(m) = reg.unit.and_then(|u| index.get(&u.0)) else {
            continue;
        };
        for (ind, target) in &reg.targets {
            let Some(pos) = rows.iter().position(|r| r.id == *ind) else {
                continue;
            };
            let c = by_indicator.entry(*ind).or_insert_with(|| Commitment {
                indicator: rows[pos].def.code.to_string(),
                indicator_name: rows[pos].def.name.clone(),
                registered: 0,
                met: 0,
                target_total: 0.0,
                actual_total: 0.0,
            });
            c.registered += 1;
            c.target_total += target;
            if let Some(v) = leaf.get(*m, pos) {
                c.actual_total += v;
                if v >= *target {
                    c.met += 1;
                }
            }
        }
    }
    let mut out: Vec<Commitment> = by_indicator.into_values().collect();
    out.sort_by(|a, b| a.indicator.cmp(&b.indicator));
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn twinning(
    store: &Store,
    movement: &MovementRow,
    map: &Map,
    data_map: &Map,
    succession: &Succession,
    as_of: Date,
    t: Date,
    roots: Option<&[i64]>,
) -> AppResult<Option<TwinningFigures>> {
    let pairs = store.twinning_pairs(movement.id, as_of).await?;
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut f = TwinningFigures::default();
    let (mut orgs, mut villages, mut households) = (HashSet::new(), HashSet::new(), HashSet::new());
    let (mut communes, mut helpers) = (HashSet::new(), HashSet::new());
    for p in pairs {
        // A pair counts where its village is (or, for a household, its organisation).
        let anchor = p.village_unit_id.unwrap_or(p.org_unit_id);
        let placed = if data_map.units.contains_key(&anchor) {
            succession.place(anchor, map, as_of, t)
        } else {
            map.units.contains_key(&anchor).then_some(anchor)
        };
        let Some(placed) = placed else { continue };
        if !under(roots, &map.chain(placed)) {
            continue;
        }
        f.pairs += 1;
        match p.person_id {
            Some(person) => {
                helpers.insert(person);
            }
            None => {
                orgs.insert(p.org_unit_id);
            }
        }
        match (p.kind, p.village_unit_id) {
            (PairKind::OrgCommune, Some(c)) => {
                communes.insert(c);
            }
            (_, Some(v)) => {
                villages.insert(v);
            }
            _ => {}
        }
        if let Some(h) = &p.household {
            households.insert(h.clone());
        }
        f.visits += p.visits;
        f.people += p.people;
        f.money_vnd += p.money_vnd;
        f.in_kind_vnd += p.in_kind_vnd;
        f.houses_built += p.houses_built;
        f.houses_repaired += p.houses_repaired;
        f.beneficiaries += p.beneficiaries;
        f.production_models += p.production_models;
        f.households_out_of_poverty += p.households_out_of_poverty;
        f.works_built += p.works_built;
    }
    f.communes = communes.len();
    f.helpers = helpers.len();
    f.organisations = orgs.len();
    f.villages = villages.len();
    f.households = households.len();
    let n = |v: f64| format_vi(v, 0);
    let mut parts = Vec::new();
    let mut partners = Vec::new();
    if f.communes > 0 {
        partners.push(format!("{} xã", n(f.communes as f64)));
    }
    if f.villages > 0 {
        partners.push(format!("{} thôn, bon, buôn", n(f.villages as f64)));
    }
    if f.households > 0 {
        partners.push(format!("{} hộ", n(f.households as f64)));
    }
    let helping = match (f.organisations, f.helpers) {
        (o, 0) => format!("{} cơ quan, đơn vị", n(o as f64)),
        (0, h) => format!("{} đảng viên, cán bộ", n(h as f64)),
        (o, h) => format!(
            "{} cơ quan, đơn vị và {} đảng viên, cán bộ",
            n(o as f64),
            n(h as f64)
        ),
    };
    parts.push(format!(
        "{helping} kết nghĩa, giúp đỡ {}",
        partners.join(" và ")
    ));
    if f.visits > 0 || f.people > 0 {
        parts.push(format!(
            "{} lượt thăm hỏi, {} người được hỗ trợ",
            n(f.visits as f64),
            n(f.people as f64)
        ));
    }
    if f.beneficiaries > 0 || f.production_models > 0 {
        let mut p = format!(
            "hỗ trợ phát triển sản xuất cho {} đối tượng",
            n(f.beneficiaries as f64)
        );
        if f.production_models > 0 {
            p.push_str(&format!(
                ", {} mô hình sản xuất",
                n(f.production_models as f64)
            ));
        }
        parts.push(p);
    }
    if f.households_out_of_poverty > 0 {
        parts.push(format!(
            "{} hộ thoát nghèo",
            n(f.households_out_of_poverty as f64)
        ));
    }
    if f.works_built > 0 {
        parts.push(format!(
            "sửa chữa, xây mới {} công trình",
            n(f.works_built as f64)
        ));
    }
    if f.houses_built > 0 {
        parts.push(format!("xây mới {} căn nhà", n(f.houses_built as f64)));
    }
    if f.houses_repaired > 0 {
        parts.push(format!("sửa chữa {} căn nhà", n(f.houses_repaired as f64)));
    }
    if f.money_vnd + f.in_kind_vnd > 0.0 {
        parts.push(format!(
            "tổng giá trị hỗ trợ {}",
            format_vnd(f.money_vnd + f.in_kind_vnd)
        ));
    }
    f.sentence = parts.join("; ");
    Ok(Some(f))
}

mod map;
pub mod period;
mod scope;
pub mod warm;
pub mod xlsx;

pub mod cache;

#[cfg(test)]
mod tests;
