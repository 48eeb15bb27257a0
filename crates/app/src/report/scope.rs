//! Where a report looks: a unit on the chosen map, or the units it stands
//! for there, and the figures of each child of that scope.

use super::map::{Boundaries, ChildFigures, Map, UnitRef, unit_ref};
use crate::{AppError, AppResult};
use thidua_domain::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::rollup::{Figure, Member};
use thidua_store::{ForestUnit, Store};
use time::Date;

/// The unit asked for, as the page names it, and what it is on this map
/// when that differs (the new Lâm Đồng before 01/07/2025 is three former
/// provinces).
pub(super) async fn named_scope(
    store: &Store,
    map: &Map,
    root: Option<UnitId>,
    roots: Option<&[i64]>,
    named_on: Date,
) -> AppResult<(Option<UnitRef>, Vec<UnitRef>)> {
    Ok(match (root, roots) {
        (Some(r), Some([only])) if *only == r.0 => (map.units.get(only).map(unit_ref), Vec::new()),
        (Some(r), Some(rs)) => (
            store.unit(r, named_on).await?.map(|u| UnitRef {
                id: u.id.0,
                code: u.code.to_string(),
                name: u.name,
            }),
            rs.iter()
                .filter_map(|id| map.units.get(id))
                .map(unit_ref)
                .collect(),
        ),
        _ => (None, Vec::new()),
    })
}

/// The figures of each child of the scope that has entering units under it.
pub(super) fn child_figures(
    map: &Map,
    roots: Option<&[i64]>,
    members: &[Member],
    figure_of: &dyn Fn(&[usize]) -> Vec<Figure>,
) -> Vec<ChildFigures> {
    let child_units: Vec<&ForestUnit> = match roots {
        Some([one]) => map.children(Some(*one)),
        Some(several) => several.iter().filter_map(|id| map.units.get(id)).collect(),
        None => map.children(None),
    };
    child_units
        .into_iter()
        .filter_map(|c| {
            let part: Vec<usize> = (0..members.len())
                .filter(|&m| members[m].is_under(UnitId(c.id)))
                .collect();
            (!part.is_empty()).then(|| ChildFigures {
                unit: unit_ref(c),
                figures: figure_of(&part),
            })
        })
        .collect()
}

/// The units of `map` that a unit stands for: itself when it is on the
/// map; else what it became by then, or (going back) the units it was
/// formed from that are on the map, of its own kind first.
pub(super) async fn scope_on_map(
    store: &Store,
    unit: UnitId,
    map: &Map,
    t: Date,
    boundaries: Boundaries,
) -> AppResult<Vec<i64>> {
    if map.units.contains_key(&unit.0) {
        return Ok(vec![unit.0]);
    }
    let mut out: Vec<i64> = store
        .became_as_of(unit, t)
        .await?
        .into_iter()
        .map(|l| l.unit.id.0)
        .filter(|id| map.units.contains_key(id))
        .collect();
    if out.is_empty() {
        let kind = store.unit(unit, t).await?.map(|u| u.kind);
        let before: Vec<(i64, bool)> = store
            .predecessors(unit)
            .await?
            .into_iter()
            .filter(|l| map.units.contains_key(&l.unit.id.0))
            .map(|l| (l.unit.id.0, Some(l.unit.kind) == kind))
            .collect();
        let same_kind = before.iter().any(|(_, same)| *same);
        out = before
            .into_iter()
            .filter(|(_, same)| *same || !same_kind)
            .map(|(id, _)| id)
            .collect();
    }
    if out.is_empty() {
        // A unit the reform dissolved (a district) stands for what its own
        // units became.
        if let Some(u) = store.unit(unit, t).await?
            && let Some(last) = u.period.last_day()
        {
            for child in store.children_as_of(unit, last).await? {
                for b in store.became_as_of(child.id, t).await? {
                    if map.units.contains_key(&b.unit.id.0) {
                        out.push(b.unit.id.0);
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    if out.is_empty() {
        return Err(AppError::Invalid {
            field: "unit",
            message: format!(
                "đơn vị này không có trên bản đồ {} (ngày {})",
                boundaries.label().to_lowercase(),
                VnDate(t)
            ),
        });
    }
    Ok(out)
}
