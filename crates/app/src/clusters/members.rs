//! Thành viên khối, cụm — who belongs to a year's block or cluster: every
//! member stands under the organising authority, and members come and go
//! during the year (a unit merged or dissolved leaves with its scores).

use crate::{AppError, AppResult};
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_store::Store;
use time::{Date, Month};

pub(super) fn member_problem(message: String) -> AppError {
    AppError::Invalid {
        field: "members",
        message,
    }
}

/// The day membership is judged on: the year's last day, or today while
/// the year runs.
pub(super) fn judged_on(year: i32, today: Date) -> Date {
    Date::from_calendar_date(year, Month::December, 31)
        .map(|end| end.min(today))
        .unwrap_or(today)
}

/// Refuses a member that does not stand under the organising authority on
/// `on` (a block of Cao Bằng's departments cannot hold a department of
/// another province).
pub(super) async fn check_under_authority(
    store: &Store,
    authority: UnitId,
    unit: UnitId,
    on: Date,
) -> AppResult<()> {
    let row = store
        .unit(unit, on)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", unit.0)))?;
    if unit == authority {
        return Err(member_problem(format!(
            "{} là đơn vị tổ chức, không là thành viên.",
            row.name
        )));
    }
    let chain = store.ancestors_as_of(unit, on).await?;
    if !chain.iter().any(|a| a.id == authority) {
        let auth = store
            .unit(authority, on)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        return Err(member_problem(format!(
            "{} không thuộc {auth} vào ngày {}.",
            row.name,
            VnDate(on)
        )));
    }
    Ok(())
}

/// The province an office works for: the province above (or at) the
/// account's scope, as of today.
pub async fn office_province(
    store: &Store,
    user: &thidua_store::UserRow,
    today: Date,
) -> AppResult<Option<(UnitId, String)>> {
    let actor = crate::auth::actor(store, user, today).await?;
    for root in actor.scope_roots {
        let mut chain = store.ancestors_as_of(root, today).await?;
        if let Some(u) = store.unit(root, today).await? {
            chain.insert(0, u);
        }
        if let Some(p) = chain
            .into_iter()
            .find(|u| u.kind == thidua_domain::org::UnitKind::Province)
        {
            return Ok(Some((p.id, p.name)));
        }
    }
    Ok(None)
}
