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
    pub may_create: bool,
    pub default_unit: String,
    pub award_types: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    trang_thai: String,
    trang: Option<String>,
}

/// Dossiers per page of the list.
pub(super) const LIST_PAGE: i64 = 50;

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let (calendar, params) = app::procedure(&st.store).await?;
    // Newest first, a page at a time: only the page's rows are dated.
    let page = crate::admin::Pager::requested(q.trang.as_deref());
    let offset = (page - 1) * LIST_PAGE;
    let (visible, total) = match q.trang_thai.as_str() {
        "" => app::list(&st.store, &s.user, today, &[], offset, LIST_PAGE).await?,
        state => match DossierState::parse(state) {
            Ok(state) => app::list(&st.store, &s.user, today, &[state], offset, LIST_PAGE).await?,
            // An unknown state filters everything out, as a typed one would.
            Err(_) => (Vec::new(), 0),
        },
    };
    let state = q.trang_thai.clone();
    let pager = crate::admin::Pager::new(page, total, LIST_PAGE, |p| {
        format!("/ho-so?trang_thai={state}&trang={p}")
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
        state: q.trang_thai,
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
