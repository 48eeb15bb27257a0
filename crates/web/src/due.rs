//! Ai đủ điều kiện — the people of a unit (or of one's whole scope) who meet
//! a form's criteria for a year, from the sweep; the officer opens each
//! person's registry page or drafts the dossier from there.

use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::due::{self as app, DueQuery};
use thidua_domain::VnDate;
use thidua_domain::eligibility::AwardCode;

#[derive(Deserialize, Default, Clone)]
pub struct DueForm {
    #[serde(default)]
    hinh_thuc: String,
    #[serde(default)]
    nam: String,
    #[serde(default)]
    don_vi: String,
}

pub struct FormChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub struct DueRow {
    pub id: i64,
    pub name: String,
    pub born: String,
    pub position: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "due.html")]
pub struct DuePage {
    pub chrome: Chrome,
    pub f: DueForm,
    pub year: String,
    pub forms: Vec<FormChoice>,
    pub error: String,
    /// The sentence that sums the answer up; empty before a question.
    pub summary: String,
    pub rows: Vec<DueRow>,
    pub more: bool,
    pub by_snapshot: bool,
}

pub async fn page(
    State(st): State<AppState>,
    s: Session,
    Query(f): Query<DueForm>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let code = AwardCode::parse(&f.hinh_thuc);
    let year = match f.nam.trim() {
        "" => Ok(today.year() - 1),
        y => y
            .parse::<i32>()
            .map_err(|_| format!("Năm «{y}» không hợp lệ: hãy ghi bốn chữ số.")),
    };
    let mut page = DuePage {
        chrome: Chrome::new("so", Some(&s)),
        year: year
            .clone()
            .map(|y| y.to_string())
            .unwrap_or_else(|_| f.nam.clone()),
        forms: app::forms()
            .into_iter()
            .map(|c| FormChoice {
                value: c.code(),
                label: c.label(),
                selected: Some(c) == code,
            })
            .collect(),
        f: f.clone(),
        error: String::new(),
        summary: String::new(),
        rows: Vec::new(),
        more: false,
        by_snapshot: true,
    };
    let Some(code) = code else {
        if !f.hinh_thuc.is_empty() {
            page.error = "Hãy chọn một danh hiệu, hình thức trong danh sách.".into();
        }
        return Ok(page.into_response());
    };
    let unit = match f.don_vi.trim() {
        "" => Ok(None),
        c => thidua_app::org_view::pick_unit(&st.store, c, today)
            .await
            .map(Some)
            .map_err(|e| match e {
                thidua_app::AppError::Invalid { message, .. } => message,
                e => e.to_string(),
            }),
    };
    let (year, unit) = match (year, unit) {
        (Ok(y), Ok(u)) => (y, u),
        (Err(e), _) | (_, Err(e)) => {
            page.error = e;
            return Ok(page.into_response());
        }
    };
    let q = DueQuery { code, year, unit };
    match app::due(&st.store, st.config.snapshot.get(), &s.user, today, q).await {
        Ok(due) => {
            page.summary = format!(
                "Đã xét {} người đang công tác{}: {} người đủ điều kiện {} năm {year}{}, theo quy định có hiệu lực ngày {}.",
                due.judged,
                if unit.is_some() {
                    " trong đơn vị"
                } else {
                    " trong phạm vi của bạn"
                },
                due.eligible,
                code.label(),
                if due.needs_review > 0 {
                    format!(", {} người cần Hội đồng xem xét thêm", due.needs_review)
                } else {
                    String::new()
                },
                VnDate(due.decision_date)
            );
            page.more = due.eligible as usize > due.listed.len();
            page.by_snapshot = due.by_snapshot;
            page.rows = due
                .listed
                .into_iter()
                .map(|p| DueRow {
                    id: p.id,
                    name: p.full_name,
                    born: p
                        .birth_date
                        .map(|d| VnDate(d).to_string())
                        .unwrap_or_default(),
                    position: p.position.unwrap_or_default(),
                })
                .collect();
        }
        Err(thidua_app::AppError::Invalid { message, .. }) => page.error = message,
        Err(e) => return Err(e.into()),
    }
    Ok(page.into_response())
}
