//! The list of movements.

use super::common::{d, movement_href};
use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::movements::{self as app_mv};
use thidua_domain::date::VnDate;
use thidua_domain::movement::MovementStatus;
use thidua_domain::policy::{self, Action};

pub struct MovementLine {
    pub href: String,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub period: String,
    pub document: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "movements.html")]
pub(super) struct ListPage {
    chrome: Chrome,
    lines: Vec<MovementLine>,
    may_create: bool,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    pager: crate::admin::Pager,
}

#[derive(Deserialize)]
pub struct ListQuery {
    trang_thai: Option<String>,
    trang: Option<String>,
}

/// Movements per page of the list.
const LIST_PAGE: i64 = 50;

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let may_create = policy::role_allows(s.user.role, Action::ManageMovements);
    let wanted = q
        .trang_thai
        .as_deref()
        .filter(|t| !t.is_empty())
        .map(MovementStatus::parse)
        .transpose()
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let page = crate::admin::Pager::requested(q.trang.as_deref());
    let offset = (page - 1) * LIST_PAGE;
    let (movements, total) =
        app_mv::access::list(&st.store, &s.user, today_vn(), wanted, offset, LIST_PAGE).await?;
    let status = q.trang_thai.clone().unwrap_or_default();
    let pager = crate::admin::Pager::new(page, total, LIST_PAGE, |p| {
        format!("/phong-trao?trang_thai={status}&trang={p}")
    });
    let mut lines = Vec::new();
    for m in movements {
        lines.push(MovementLine {
            href: movement_href(&m),
            code: m.code.to_string(),
            name: m.name.clone(),
            kind: m.kind.label(),
            status: m.status.label(),
            period: format!("{} – {}", VnDate(m.start), d(m.end)),
            document: m.doc_number.clone().unwrap_or_default(),
        });
    }
    Ok(ListPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        lines,
        may_create,
        status: q.trang_thai.unwrap_or_default(),
        statuses: MovementStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        pager,
    }
    .into_response())
}
