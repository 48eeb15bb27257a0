//! A movement's life, as its managers and the units that join it act on it:
//! created in draft, launched, reviewed (sơ kết, tổng kết), with its
//! documents; units register and pledge targets (đăng ký thi đua). Each
//! change is one function here, whatever door it comes through.

use super::access::may_manage;
use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::date::VnDate;
use thidua_domain::document::DocumentNumber;
use thidua_domain::movement::MovementStatus;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{Action, Denied};
use thidua_store::{MovementRow, NewMovement, Registrant, Review, Store, UserRow, Who};
use time::Date;

/// Creates a movement in draft for an authority the user manages (the
/// administrator for a national one).
pub async fn create(
    store: &Store,
    user: &UserRow,
    who: &Who,
    new: &NewMovement,
    today: Date,
) -> AppResult<()> {
    let verdict = match new.authority {
        Some(u) => auth::may_on_unit(store, user, Action::ManageMovements, u, today)
            .await?
            .unwrap_or(Err(Denied::Scope)),
        None => auth::may_on_system(store, user, Action::ManageMovements, today).await?,
    };
    verdict.map_err(AppError::Denied)?;
    store.create_movement(who, new).await?;
    Ok(())
}

/// A change of status as typed; a review (sơ kết, tổng kết) also needs
/// its day and report, and may cite its document.
#[derive(Debug, Clone, Default)]
pub struct StatusChange {
    pub status: String,
    pub held_on: String,
    pub report: String,
    pub doc_number: String,
}

/// Moves a movement to a new status; returns it.
pub async fn change_status(
    store: &Store,
    user: &UserRow,
    who: &Who,
    m: &MovementRow,
    c: &StatusChange,
    today: Date,
) -> AppResult<MovementStatus> {
    may_manage(store, user, m, today)
        .await?
        .map_err(AppError::Denied)?;
    let to = MovementStatus::parse(&c.status).map_err(|e| invalid("status", e.to_string()))?;
    let review = if to.is_review() {
        let held_on = VnDate::parse(&c.held_on)
            .map_err(|e| invalid("held_on", format!("Ngày sơ kết/tổng kết: {e}")))?
            .0;
        if c.report.trim().is_empty() {
            return Err(invalid("report", "Cần nội dung báo cáo sơ kết/tổng kết."));
        }
        let doc_number = match c.doc_number.trim() {
            "" => None,
            n => Some(DocumentNumber::parse(n).map_err(|e| invalid("doc_number", e.to_string()))?),
        };
        Some(Review {
            held_on,
            doc_number,
            report: c.report.clone(),
        })
    } else {
        None
    };
    store
        .set_movement_status(who, m.id, to, review.as_ref())
        .await?;
    Ok(to)
}

/// Attaches a document (the plan, a report…) to a movement.
pub async fn attach_file(
    store: &Store,
    user: &UserRow,
    who: &Who,
    m: &MovementRow,
    name: &str,
    bytes: &[u8],
    today: Date,
) -> AppResult<()> {
    may_manage(store, user, m, today)
        .await?
        .map_err(AppError::Denied)?;
    let content_type = if name.to_lowercase().ends_with(".pdf") {
        "application/pdf"
    } else {
        "application/octet-stream"
    };
    store
        .attach_movement_file(who, m.id, name, content_type, bytes)
        .await?;
    Ok(())
}

/// A unit's registration as typed: its pledges and a target per
/// indicator id.
#[derive(Debug, Clone)]
pub struct Registration {
    pub unit: UnitId,
    pub pledges: String,
    pub targets: Vec<(i64, String)>,
}

/// Registers a unit the user enters values for, while the movement takes
/// registrations and before its deadline.
pub async fn register(
    store: &Store,
    user: &UserRow,
    who: &Who,
    m: &MovementRow,
    r: &Registration,
    today: Date,
) -> AppResult<()> {
    if !m.status.accepts_registrations() {
        return Err(invalid(
            "status",
            format!(
                "Phong trào đang «{}», không nhận đăng ký.",
                m.status.label()
            ),
        ));
    }
    if let Some(dl) = m.registration_deadline
        && today > dl
    {
        return Err(invalid(
            "deadline",
            format!("Đã quá hạn đăng ký ({}).", VnDate(dl)),
        ));
    }
    auth::may_on_unit(store, user, Action::EnterValues, r.unit, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", r.unit.0)))?
        .map_err(AppError::Denied)?;
    let indicators = store.indicators(m.id).await?;
    let mut targets = Vec::new();
    for (id, raw) in &r.targets {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let Some(i) = indicators.iter().find(|i| i.id == *id) else {
            continue;
        };
        let value = i
            .def
            .measure
            .parse_value(&i.def.code, raw)
            .map_err(|e| invalid("targets", e.to_string()))?;
        targets.push((i.id, value));
    }
    store
        .register(
            who,
            m.id,
            Registrant::Unit(r.unit),
            today,
            Some(&r.pledges),
            &targets,
        )
        .await?;
    Ok(())
}
