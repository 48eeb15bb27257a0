//! The list of dossiers, paged.

use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::dossiers::{self as app};
use thidua_domain::VnDate;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{self as d, DossierState};
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::policy::Action;

pub struct ListRow {
    pub id: DossierId,
    pub title: String,
    pub unit: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub updated: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub rows: Vec<ListRow>,
    pub pager: crate::admin::Pager,
    pub states: Vec<(&'static str, &'static str)>,
    pub state: String,
    pub unit_text: String,
    pub year: String,
    /// Why the filters could not be read, shown next to them.
    pub error: String,
    pub xlsx_href: String,
    pub may_create: bool,
    pub default_unit: String,
    pub award_types: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    trang_thai: String,
    /// A unit, by code or name: its subtree's dossiers.
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    nam: String,
    trang: Option<String>,
    /// `xlsx`: every matching dossier as a spreadsheet.
    #[serde(default)]
    xuat: String,
}

impl ListQuery {
    fn query_string(&self) -> String {
        serde_urlencoded::to_string([
            ("trang_thai", &self.trang_thai),
            ("don_vi", &self.don_vi),
            ("nam", &self.nam),
        ])
        .unwrap_or_default()
    }
}

/// Dossiers per page of the list.
pub(super) const LIST_PAGE: i64 = 50;

/// The filter the query asks for, or why it cannot be read.
async fn filter_of(st: &AppState, q: &ListQuery) -> Result<app::DossierFilter, String> {
    let states = match q.trang_thai.as_str() {
        "" => Vec::new(),
        s => vec![DossierState::parse(s).map_err(|e| e.to_string())?],
    };
    let f = crate::list_filter::unit_and_year(st, &q.don_vi, &q.nam).await?;
    Ok(app::DossierFilter {
        states,
        unit: f.unit,
        year: f.year,
    })
}

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let (calendar, params) = app::procedure(&st.store).await?;
    let export = q.xuat == "xlsx";
    // Newest first, a page at a time: only the page's rows are dated.
    let page = crate::admin::Pager::requested(q.trang.as_deref());
    let (offset, limit) = if export {
        (0, crate::list_export::EXPORT_ROWS)
    } else {
        ((page - 1) * LIST_PAGE, LIST_PAGE)
    };
    let (filter, error) = match filter_of(&st, &q).await {
        Ok(f) => (Some(f), String::new()),
        Err(e) => (None, crate::list_filter::sentence(&e)),
    };
    let (visible, total) = match &filter {
        Some(f) => app::list(&st.store, &s.user, today, f, offset, limit).await?,
        None => (Vec::new(), 0),
    };
    let query = q.query_string();
    let pager = crate::admin::Pager::new(page, total, LIST_PAGE, |p| {
        format!("/ho-so?{query}&trang={p}")
    });
    let mut rows = Vec::new();
    for dossier in visible {
        let events = st.store.dossier_events(dossier.id).await?;
        let passages = app::passages(&events);
        let dl = d::deadline(&passages, dossier.state, today, &calendar, &params);
        rows.push(ListRow {
            id: dossier.id,
            title: dossier.title.clone(),
            unit: st
                .store
                .unit(dossier.unit_id, today)
                .await?
                .map(|u| u.name)
                .unwrap_or_default(),
            state: dossier.state.as_str(),
            state_label: dossier.state.label(),
            updated: passages
                .last()
                .map(|p| VnDate(p.on).to_string())
                .unwrap_or_default(),
            due: dl
                .step_due
                .map(|d| VnDate(d).to_string())
                .unwrap_or_default(),
            overdue: dl.step_overdue || dl.overdue,
        });
    }
    if export {
        return crate::list_export::xlsx(
            "Ho so de nghi khen thuong",
            &[
                "Số",
                "Trích yếu",
                "Đơn vị đề nghị",
                "Trạng thái",
                "Từ ngày",
                "Hạn bước hiện tại",
                "Quá hạn",
            ],
            rows.into_iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.title,
                        r.unit,
                        r.state_label.to_owned(),
                        r.updated,
                        r.due,
                        if r.overdue {
                            "quá hạn".into()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect(),
        );
    }
    let default_unit = match s.user.unit_id {
        Some(u) => st
            .store
            .unit(u, today)
            .await?
            .map(|u| u.code)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(ListPage {
        chrome: Chrome::new("ho-so", Some(&s)),
        rows,
        pager,
        states: DossierState::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        state: q.trang_thai.clone(),
        unit_text: q.don_vi.clone(),
        year: q.nam.clone(),
        error,
        xlsx_href: format!("/ho-so?{query}&xuat=xlsx"),
        may_create: thidua_domain::policy::role_allows(s.user.role, Action::ProposeAwards),
        default_unit,
        award_types: AwardType::ALL
            .iter()
            .map(|t| {
                (
                    t.as_str(),
                    thidua_domain::eligibility::catalogue::award_type_label(*t),
                )
            })
            .collect(),
    }
    .into_response())
}
