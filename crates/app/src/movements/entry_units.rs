//! Which units enter a movement's values on a date, and their template.

use super::file::invalid;
use super::values::VALUE_COLUMNS;
use crate::{AppError, AppResult, auth};
use std::collections::{BTreeSet, HashMap};
use thidua_domain::indicator::PeriodKey;
use thidua_domain::org::UnitId;
use thidua_sheets::{Cell, Sheet};
use thidua_store::{IndicatorRow, MovementRow, Store, UnitRow, UserRow};
use time::Date;

/// The entering units in the enterer's scope, valid at `on`, for a
/// movement's input indicators.
pub async fn entry_units(
    store: &Store,
    user: Option<&UserRow>,
    indicators: &[IndicatorRow],
    on: Date,
    today: Date,
) -> AppResult<Vec<UnitRow>> {
    let roots: Vec<UnitId> = match user {
        Some(u) if !thidua_domain::policy::unscoped(u.role) => {
            auth::actor(store, u, today).await?.scope_roots
        }
        _ => store
            .roots_as_of(on)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
    };
    let mut out: Vec<UnitRow> = Vec::new();
    let mut seen = BTreeSet::new();
    for root in roots {
        // The scope is today's; on an earlier date it is what it was formed from.
        let mut tops = vec![root];
        if store
            .unit(root, on)
            .await?
            .is_none_or(|u| !u.period.contains(on))
        {
            tops = predecessors_valid_on(store, root, on).await?;
        }
        for top in tops {
            let mut units: Vec<UnitRow> = store
                .subtree_as_of(top, on)
                .await?
                .into_iter()
                .map(|(u, _)| u)
                .collect();
            if let Some(u) = store.unit(top, on).await? {
                units.insert(0, u);
            }
            for u in units {
                let admitted = indicators.iter().any(|i| {
                    !i.def.is_derived() && i.def.entry.admits(u.kind, u.admin_type.as_deref())
                });
                if admitted && seen.insert(u.id) {
                    out.push(u);
                }
            }
        }
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// The units valid on `on` that `unit` was formed from, however many steps back.
pub(super) async fn predecessors_valid_on(
    store: &Store,
    unit: UnitId,
    on: Date,
) -> AppResult<Vec<UnitId>> {
    let mut out = Vec::new();
    let mut frontier = vec![unit];
    let mut seen = BTreeSet::from([unit]);
    while let Some(u) = frontier.pop() {
        for link in store.predecessors(u).await? {
            if !seen.insert(link.unit.id) {
                continue;
            }
            if link.unit.period.contains(on) {
                out.push(link.unit.id);
            } else {
                frontier.push(link.unit.id);
            }
        }
    }
    Ok(out)
}

/// The XLSX a unit officer fills in: one row per entering unit and input
/// indicator for the period, with what is stored already.
pub async fn entry_template(
    store: &Store,
    user: Option<&UserRow>,
    movement: &MovementRow,
    period_text: &str,
    today: Date,
) -> AppResult<Vec<u8>> {
    let indicators = store.indicators(movement.id).await?;
    let inputs: Vec<&IndicatorRow> = indicators.iter().filter(|i| !i.def.is_derived()).collect();
    let kind = inputs
        .first()
        .map(|i| i.def.period)
        .ok_or_else(|| invalid("period", "phong trào chưa có chỉ tiêu nhập liệu"))?;
    let period =
        PeriodKey::parse(kind, period_text).map_err(|e| invalid("period", e.to_string()))?;
    let units = entry_units(store, user, &indicators, period.end(), today).await?;
    let ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
    let stored: HashMap<(i64, i64), f64> = store
        .value_rows(movement.id, Some(&ids))
        .await?
        .into_iter()
        .filter(|v| v.period == period.key())
        .map(|v| ((v.indicator_id, v.unit.0), v.value))
        .collect();
    let mut rows = Vec::new();
    for u in &units {
        for i in &inputs {
            if i.def.period != kind || !i.def.entry.admits(u.kind, u.admin_type.as_deref()) {
                continue;
            }
            let value = stored.get(&(i.id, u.id.0)).map(|v| {
                if i.def.measure == thidua_domain::indicator::Measure::Criterion {
                    Cell::Text(i.def.measure.display(*v))
                } else {
                    Cell::Number(*v)
                }
            });
            rows.push(vec![
                Cell::Text(u.code.clone()),
                Cell::Text(u.name.clone()),
                Cell::Text(period.key()),
                Cell::Text(i.def.code.to_string()),
                Cell::Text(i.def.name.clone()),
                Cell::Text(i.def.measure.label().to_owned()),
                value.unwrap_or(Cell::Empty),
                Cell::Empty,
            ]);
        }
    }
    let sheet = Sheet {
        name: format!("{} {}", movement.code, period.key()),
        header: VALUE_COLUMNS.iter().map(|s| (*s).to_owned()).collect(),
        rows,
    };
    thidua_sheets::write(&[sheet]).map_err(|e| AppError::Internal(e.to_string()))
}
