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
    unit_text: String,
    year: String,
    /// Why the filters could not be read, shown next to them.
    error: String,
    xlsx_href: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    trang_thai: String,
    /// The launching unit and those under it, by name or code.
    #[serde(default)]
    don_vi: String,
    /// Movements running at some time in this year.
    #[serde(default)]
    nam: String,
    trang: Option<String>,
    /// `xlsx`: every matching movement as a spreadsheet.
    #[serde(default)]
    xuat: String,
}

/// Movements per page of the list.
const LIST_PAGE: i64 = 50;

async fn filter_of(st: &AppState, q: &ListQuery) -> Result<app_mv::access::MovementFilter, String> {
    let status = match q.trang_thai.as_str() {
        "" => None,
        t => Some(MovementStatus::parse(t).map_err(|e| e.to_string())?),
    };
    let f = crate::list_filter::unit_and_year(st, &q.don_vi, &q.nam).await?;
    Ok(app_mv::access::MovementFilter {
        status,
        unit: f.unit,
        year: f.year,
    })
}

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let may_create = policy::role_allows(s.user.role, Action::ManageMovements);
    let export = q.xuat == "xlsx";
    let page = crate::admin::Pager::requested(q.trang.as_deref());
    let (offset, limit) = if export {
        (0, crate::list_export::EXPORT_ROWS)
    } else {
        ((page - 1) * LIST_PAGE, LIST_PAGE)
    };
    let (movements, total, error) = match filter_of(&st, &q).await {
        Ok(f) => {
            let (m, total) =
                app_mv::access::list(&st.store, &s.user, today_vn(), &f, offset, limit).await?;
            (m, total, String::new())
        }
        Err(e) => (Vec::new(), 0, crate::list_filter::sentence(&e)),
    };
    let query = serde_urlencoded::to_string([
        ("trang_thai", &q.trang_thai),
        ("don_vi", &q.don_vi),
        ("nam", &q.nam),
    ])
    .unwrap_or_default();
    let pager = crate::admin::Pager::new(page, total, LIST_PAGE, |p| {
        format!("/phong-trao?{query}&trang={p}")
    });
    let lines: Vec<MovementLine> = movements
        .iter()
        .map(|m| MovementLine {
            href: movement_href(m),
            code: m.code.to_string(),
            name: m.name.clone(),
            kind: m.kind.label(),
            status: m.status.label(),
            period: format!("{} – {}", VnDate(m.start), d(m.end)),
            document: m.doc_number.clone().unwrap_or_default(),
        })
        .collect();
    if export && error.is_empty() {
        return crate::list_export::xlsx(
            "Phong trao thi dua",
            &[
                "Mã",
                "Tên phong trào",
                "Loại",
                "Thời gian",
                "Văn bản",
                "Trạng thái",
            ],
            lines
                .into_iter()
                .map(|l| {
                    vec![
                        l.code,
                        l.name,
                        l.kind.to_owned(),
                        l.period,
                        l.document,
                        l.status.to_owned(),
                    ]
                })
                .collect(),
        );
    }
    Ok(ListPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        lines,
        may_create,
        status: q.trang_thai.clone(),
        statuses: MovementStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        pager,
        unit_text: q.don_vi.clone(),
        year: q.nam.clone(),
        error,
        xlsx_href: format!("/phong-trao?{query}&xuat=xlsx"),
    }
    .into_response())
}
