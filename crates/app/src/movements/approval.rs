//! Duyệt số liệu — the level above a unit approves its values or returns
//! them with a reason, and may reopen an approved value for correction.

use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_store::{Decision, MovementRow, Store, UserRow, Who};
use time::Date;

async fn may(
    store: &Store,
    user: &UserRow,
    action: Action,
    unit: UnitId,
    today: Date,
) -> AppResult<()> {
    auth::may_on_unit(store, user, action, unit, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", unit.0)))?
        .map_err(AppError::Denied)
}

/// A decision on a unit's values of one period, as typed.
#[derive(Debug, Clone)]
pub struct ValuesDecision {
    pub unit: UnitId,
    pub period: String,
    /// `approve` or `return`.
    pub decision: String,
    pub reason: String,
}

/// Approves or returns (with a reason) a unit's submitted values of one
/// period; returns how many were decided.
pub async fn decide(
    store: &Store,
    user: &UserRow,
    who: &Who,
    m: &MovementRow,
    d: &ValuesDecision,
    today: Date,
) -> AppResult<(Decision, u64)> {
    let (unit, period, reason) = (d.unit, d.period.as_str(), d.reason.as_str());
    may(store, user, Action::ApproveValues, unit, today).await?;
    let decision = match d.decision.as_str() {
        "approve" => Decision::Approve,
        "return" => Decision::Return,
        _ => return Err(invalid("decision", "Quyết định không hợp lệ.")),
    };
    let reason = reason.trim();
    if decision == Decision::Return && reason.is_empty() {
        return Err(invalid("reason", "Cần ghi lý do trả lại."));
    }
    let n = store
        .decide_values(
            who,
            m.id,
            &[unit],
            Some(period),
            decision,
            (!reason.is_empty()).then_some(reason),
        )
        .await?;
    Ok((decision, n))
}

/// Reopens an approved value of the movement for correction, with the
/// reason; returns the value's unit and period.
pub async fn reopen(
    store: &Store,
    user: &UserRow,
    who: &Who,
    m: &MovementRow,
    value_id: i64,
    reason: &str,
    today: Date,
) -> AppResult<(UnitId, String)> {
    let value = store
        .value_rows(m.id, None)
        .await?
        .into_iter()
        .find(|v| v.id == value_id)
        .ok_or_else(|| AppError::NotFound("số liệu này".into()))?;
    may(store, user, Action::ReopenValues, value.unit, today).await?;
    if reason.trim().is_empty() {
        return Err(invalid("reason", "Cần ghi lý do mở lại."));
    }
    store.reopen_value(who, value_id, reason.trim()).await?;
    Ok((value.unit, value.period))
}
