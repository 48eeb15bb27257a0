//! Approving and reopening entered values.

use super::common::movement;
use crate::extract::CheckedForm;
use crate::extract::Path;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use thidua_app::auth;
use thidua_app::movements::{self as app_mv};
use thidua_domain::org::UnitId;
use thidua_domain::policy::{Action, authorize};
use thidua_store::{Decision, MovementRow, ValueStatus};

pub struct ApprovalGroup {
    pub unit_id: i64,
    pub unit: String,
    pub period: String,
    pub period_label: String,
    pub submitted: usize,
    pub approved: usize,
    pub returned: usize,
    pub entered_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "approvals.html")]
pub(super) struct ApprovalsPage {
    chrome: Chrome,
    m: MovementRow,
    waiting: Vec<ApprovalGroup>,
    done: Vec<ApprovalGroup>,
}

pub async fn approvals(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    app_mv::may_approve_values(&s.user)?;
    let m = movement(&st, &s, &code).await?;
    let today = today_vn();
    let actor = auth::actor(&st.store, &s.user, today).await?;
    let mut allowed: HashMap<UnitId, Option<String>> = HashMap::new();
    let mut groups: BTreeMap<(String, String), ApprovalGroup> = BTreeMap::new();
    for v in st.store.value_rows(m.id, None).await? {
        if let std::collections::hash_map::Entry::Vacant(slot) = allowed.entry(v.unit) {
            let name = match auth::unit_object(&st.store, v.unit, today).await? {
                Some(obj) if authorize(&actor, Action::ApproveValues, &obj).is_ok() => st
                    .store
                    .unit(v.unit, v.period_end)
                    .await?
                    .map(|u| format!("{} ({})", u.name, u.code)),
                _ => None,
            };
            slot.insert(name);
        }
        let Some(Some(name)) = allowed.get(&v.unit) else {
            continue;
        };
        let g = groups
            .entry((name.clone(), v.period.clone()))
            .or_insert_with(|| ApprovalGroup {
                unit_id: v.unit.0,
                unit: name.clone(),
                period: v.period.clone(),
                period_label: v.period.clone(),
                submitted: 0,
                approved: 0,
                returned: 0,
                entered_by: v.entered_by.clone(),
            });
        match v.status {
            ValueStatus::Submitted => g.submitted += 1,
            ValueStatus::Approved => g.approved += 1,
            ValueStatus::Returned => g.returned += 1,
        }
    }
    let (waiting, done): (Vec<ApprovalGroup>, Vec<ApprovalGroup>) =
        groups.into_values().partition(|g| g.submitted > 0);
    Ok(ApprovalsPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        m,
        waiting,
        done,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    unit: i64,
    period: String,
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(st): State<AppState>,
    Path(code): Path<String>,
    CheckedForm(s, f): CheckedForm<DecideForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let d = app_mv::approval::ValuesDecision {
        unit: UnitId(f.unit),
        period: f.period,
        decision: f.decision,
        reason: f.reason,
    };
    let (decision, n) =
        app_mv::approval::decide(&st.store, &s.user, &s.who(), &m, &d, today_vn()).await?;
    let what = if decision == Decision::Approve {
        "duyệt"
    } else {
        "trả lại"
    };
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}/duyet", m.code),
        &format!("Đã {what} {n} giá trị."),
    ))
}

#[derive(Deserialize)]
pub struct ReopenForm {
    reason: String,
}

pub async fn reopen(
    State(st): State<AppState>,
    Path((code, value_id)): Path<(String, i64)>,
    CheckedForm(s, f): CheckedForm<ReopenForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let (unit, period) = app_mv::approval::reopen(
        &st.store,
        &s.user,
        &s.who(),
        &m,
        value_id,
        &f.reason,
        today_vn(),
    )
    .await?;
    Ok(redirect_with_flash(
        &st,
        &format!(
            "/phong-trao/{}/nhap-lieu?don_vi={}&ky={}",
            m.code, unit.0, period
        ),
        "Đã mở lại số liệu để sửa.",
    ))
}
