//! Thành viên khối, cụm — who belongs to a year's block or cluster: every
//! member stands under the organising authority, and members come and go
//! during the year (a unit merged or dissolved leaves with its scores).

use super::{create, load_as_office, may};
use crate::movements::Enterer;
use crate::{AppError, AppResult};
use thidua_domain::cluster::MemberRole;
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_store::{NewCluster, Store, Who};
use time::{Date, Month};

fn member_problem(message: String) -> AppError {
    AppError::Invalid {
        field: "members",
        message,
    }
}

/// The day membership is judged on: the year's last day, or today while
/// the year runs.
fn judged_on(year: i32, today: Date) -> Date {
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

/// Creates a year's block or cluster after checking that every member
/// stands under the organiser — the door the page and the CLI use.
pub async fn create_checked(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    new: &NewCluster,
) -> AppResult<i64> {
    if !may(store, actor, Action::ManageClusters, new.authority.0, today).await? {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    if new.code.trim().is_empty() || new.name.trim().is_empty() {
        return Err(AppError::Invalid {
            field: "code",
            message: "Hãy nhập mã và tên khối, cụm.".into(),
        });
    }
    if new.members.len() < 2 {
        return Err(member_problem(
            "Khối, cụm cần ít nhất hai đơn vị thành viên.".into(),
        ));
    }
    let on = judged_on(new.year, today);
    for (unit, _) in &new.members {
        check_under_authority(store, new.authority, *unit, on).await?;
    }
    create(store, who, actor, today, new).await
}

/// Adds a member during the year.
pub async fn add_member(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
    unit: UnitId,
    role: MemberRole,
) -> AppResult<()> {
    let c = load_as_office(store, actor, today, cluster).await?;
    if role == MemberRole::Head && c.members.iter().any(|m| m.role == MemberRole::Head)
        || role == MemberRole::Deputy && c.members.iter().any(|m| m.role == MemberRole::Deputy)
    {
        return Err(member_problem(format!(
            "Khối, cụm đã có {}.",
            role.label().to_lowercase()
        )));
    }
    check_under_authority(
        store,
        UnitId(c.row.authority_unit_id),
        unit,
        judged_on(c.row.year, today),
    )
    .await?;
    Ok(store.add_cluster_member(who, cluster, unit, role).await?)
}

/// A member leaves on `on` with its reason; the head cannot leave before
/// another is named.
pub async fn remove_member(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
    unit: UnitId,
    (on, reason): (Date, &str),
) -> AppResult<()> {
    let c = load_as_office(store, actor, today, cluster).await?;
    let Some(m) = c.members.iter().find(|m| m.unit_id == unit.0) else {
        return Err(AppError::NotFound(format!("thành viên #{}", unit.0)));
    };
    if m.role == MemberRole::Head {
        return Err(member_problem(
            "Đơn vị trưởng khối, cụm không rời khối khi chưa có trưởng khối mới.".into(),
        ));
    }
    if on.year() != c.row.year {
        return Err(AppError::Invalid {
            field: "on",
            message: format!("Ngày rời khối phải trong năm {}.", c.row.year),
        });
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Invalid {
            field: "reason",
            message: "Hãy ghi lý do (sáp nhập, giải thể, chuyển khối…).".into(),
        });
    }
    Ok(store
        .remove_cluster_member(who, cluster, unit, on, reason)
        .await?)
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
