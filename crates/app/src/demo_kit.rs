//! What the demo's movements share: their errors, even spreads of a
//! published total over units, the 19 criteria of a commune, and entering,
//! approving and advancing as the system.

use crate::movements::{self, RawValue};
use crate::{AppError, AppResult};
use thidua_domain::movement::MovementStatus;
use thidua_domain::org::{CodeList, UnitKind};
use thidua_sheets::Cell;
use thidua_store::{MovementRow, Review, Store, UnitRow, Who};
use time::Date;

pub(crate) fn demo_err(e: impl std::fmt::Display) -> AppError {
    AppError::Demo(e.to_string())
}

/// `n` whole numbers adding up to `total`, as even as possible, larger first.
pub(crate) fn spread(n: usize, total: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    (0..n)
        .map(|i| total / n + usize::from(i < total % n))
        .collect()
}

/// The 19 criteria of a commune meeting `met` of them, the missing ones
/// varying from commune to commune.
pub(crate) fn criteria(met: usize, salt: usize) -> [bool; 19] {
    let mut out = [false; 19];
    for (j, c) in out.iter_mut().enumerate() {
        *c = (j + salt) % 19 < met;
    }
    out
}

/// The xã of a legacy province or district on a day, in code order.
pub(crate) async fn legacy_xa(store: &Store, code: &str, on: Date) -> AppResult<Vec<UnitRow>> {
    let root = store
        .units_by_code(code, Some(CodeList::Legacy), on)
        .await?
        .into_iter()
        .find(|u| u.period.contains(on))
        .ok_or_else(|| demo_err(format!("thiếu đơn vị {code}")))?;
    let mut xa: Vec<UnitRow> = store
        .subtree_as_of(root.id, on)
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .filter(|u| u.kind == UnitKind::Commune && u.admin_type.as_deref() == Some("xã"))
        .collect();
    xa.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(xa)
}

/// As [`criteria`], with planning (TC01) among those met whenever any is.
pub(crate) fn criteria_planned(met: usize, salt: usize) -> [bool; 19] {
    let mut out = [false; 19];
    out[0] = met > 0;
    for (j, c) in out.iter_mut().enumerate().skip(1) {
        *c = (j - 1 + salt) % 18 < met.saturating_sub(1);
    }
    out
}

pub(crate) fn criteria_rows(unit: &UnitRow, year: i32, met: usize, salt: usize) -> Vec<RawValue> {
    rows_of(unit, year, &criteria(met, salt))
}

pub(crate) fn rows_of(unit: &UnitRow, year: i32, met: &[bool; 19]) -> Vec<RawValue> {
    met.iter()
        .enumerate()
        .map(|(j, ok)| RawValue {
            line: 0,
            unit_code: unit.code.clone(),
            period: year.to_string(),
            indicator: format!("TC{:02}", j + 1),
            value: Cell::Text(if *ok { "Đạt" } else { "Không đạt" }.to_owned()),
            note: None,
        })
        .collect()
}

/// Enters values as the system and approves them.
pub(crate) async fn enter_and_approve(
    store: &Store,
    who: &Who,
    m: &MovementRow,
    rows: &[RawValue],
    today: Date,
) -> AppResult<usize> {
    let report = movements::enter_approved_values(store, who, m, "demo", rows, today).await?;
    Ok(report.inserted)
}

pub(crate) async fn advance(
    store: &Store,
    who: &Who,
    m: &MovementRow,
    to: &[(MovementStatus, Option<(Date, &str)>)],
) -> AppResult<()> {
    for (status, review) in to {
        let review = review.map(|(held_on, report)| Review {
            held_on,
            doc_number: None,
            report: report.to_owned(),
        });
        store
            .set_movement_status(who, m.id, *status, review.as_ref())
            .await?;
    }
    Ok(())
}

pub(crate) const RUN: [(MovementStatus, Option<(Date, &str)>); 2] = [
    (MovementStatus::Launched, None),
    (MovementStatus::Running, None),
];

/// The movement as stored now (its status moves on as the demo runs).
pub(crate) async fn fresh(store: &Store, code: &str) -> AppResult<MovementRow> {
    let c = thidua_domain::movement::MovementCode::parse(code).map_err(demo_err)?;
    store
        .movement_by_code(&c)
        .await?
        .ok_or_else(|| demo_err(code))
}

/// "Huyện Cư Jút" → "huyện Cư Jút", as it reads after an office's name.
pub(crate) fn lower_first_word(name: &str) -> String {
    for word in ["Thành phố ", "Thị xã ", "Huyện "] {
        if let Some(rest) = name.strip_prefix(word) {
            return format!("{}{rest}", word.to_lowercase());
        }
    }
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_add_up() {
        assert_eq!(spread(22, 263).iter().sum::<usize>(), 263);
        assert_eq!(spread(3, 10), vec![4, 3, 3]);
        assert!(spread(0, 5).is_empty());
        assert_eq!(criteria(19, 7).iter().filter(|c| **c).count(), 19);
        assert_eq!(criteria(12, 7).iter().filter(|c| **c).count(), 12);
        assert!(criteria_planned(12, 5)[0]);
        assert_eq!(criteria_planned(12, 5).iter().filter(|c| **c).count(), 12);
    }
}
