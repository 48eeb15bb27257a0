//! One movement's page: indicators, registrations, status and documents.

use super::common::{d, may_manage, movement, movement_href};
use super::files::{attachment, content_type_static, read_multipart};
use crate::extract::CheckedForm;
use crate::extract::Path;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use thidua_app::movements::{self as app_mv};
use thidua_domain::date::VnDate;
use thidua_domain::indicator::Measure;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{self, Action};
use thidua_store::{IndicatorRow, MovementRow};

pub struct IndicatorLine {
    pub code: String,
    pub name: String,
    pub measure: &'static str,
    pub how: String,
    pub group: String,
}

pub struct RegistrationLine {
    pub who: String,
    pub on: String,
    pub pledges: String,
    pub targets: String,
}

pub struct UnitChoice {
    pub id: i64,
    pub label: String,
}

pub struct TargetField {
    pub id: i64,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "movement.html")]
pub(super) struct DetailPage {
    chrome: Chrome,
    m: MovementRow,
    kind: &'static str,
    level: &'static str,
    status: &'static str,
    period: String,
    doc_date: String,
    deadline: String,
    authority: String,
    parent: Option<(String, String)>,
    reviews: Vec<(String, String, String, String)>,
    files: Vec<(i64, String)>,
    indicators: Vec<IndicatorLine>,
    may_manage: bool,
    next: Vec<(&'static str, &'static str, bool)>,
    registrations: Vec<RegistrationLine>,
    may_register: bool,
    register_units: Vec<UnitChoice>,
    targets: Vec<TargetField>,
    unregistered: Vec<String>,
    may_enter: bool,
    tasks: super::tasks::TaskSection,
}

pub async fn detail(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let today = today_vn();
    let indicators = st.store.indicators(m.id).await?;
    let authority = match m.authority {
        Some(u) => st
            .store
            .unit(u, m.start)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => m.level.label().to_owned(),
    };
    let parent = match m.parent_id {
        Some(p) => st
            .store
            .movement(p)
            .await?
            .map(|p| (movement_href(&p), p.name)),
        None => None,
    };
    let reviews = st
        .store
        .movement_reviews(m.id)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.kind.label().to_owned(),
                VnDate(r.held_on).to_string(),
                r.doc_number.unwrap_or_default(),
                r.report,
            )
        })
        .collect();
    let files = st
        .store
        .movement_files(m.id)
        .await?
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    let may_manage = may_manage(&st, &s, &m).await?.is_ok();
    let next = m
        .status
        .next()
        .iter()
        .map(|n| (n.as_str(), n.label(), n.is_review()))
        .collect();
    // Registration: units the user may enter for, registered or not.
    let user = (!policy::unscoped(s.user.role)).then_some(&s.user);
    let units = if policy::role_allows(s.user.role, Action::EnterValues) {
        app_mv::entry_units(&st.store, user, &indicators, today.max(m.start), today).await?
    } else {
        Vec::new()
    };
    let regs = st.store.registrations(m.id).await?;
    let registered: std::collections::HashSet<i64> =
        regs.iter().filter_map(|r| r.unit.map(|u| u.0)).collect();
    let code_of: HashMap<i64, &str> = indicators
        .iter()
        .map(|i| (i.id, i.def.code.as_str()))
        .collect();
    let mut registrations = Vec::new();
    for r in &regs {
        let who = match r.unit {
            Some(u) => st
                .store
                .unit(u, today)
                .await?
                .map(|u| u.name)
                .unwrap_or_default(),
            None => format!("Cá nhân #{}", r.person_id.unwrap_or_default()),
        };
        registrations.push(RegistrationLine {
            who,
            on: VnDate(r.registered_on).to_string(),
            pledges: r.pledges.clone().unwrap_or_default(),
            targets: r
                .targets
                .iter()
                .map(|(i, t)| {
                    format!(
                        "{} ≥ {}",
                        code_of.get(i).copied().unwrap_or("?"),
                        thidua_domain::number::format_vi(*t, if t.fract() == 0.0 { 0 } else { 2 })
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let open_for_registration =
        m.status.accepts_registrations() && m.registration_deadline.is_none_or(|dl| today <= dl);
    let register_units: Vec<UnitChoice> = units
        .iter()
        .filter(|u| !registered.contains(&u.id.0))
        .map(|u| UnitChoice {
            id: u.id.0,
            label: format!("{} ({})", u.name, u.code),
        })
        .collect();
    let unregistered = if policy::unscoped(s.user.role) {
        Vec::new()
    } else {
        register_units.iter().map(|u| u.label.clone()).collect()
    };
    let targets = indicators
        .iter()
        .filter(|i| i.def.measure != Measure::Criterion)
        .map(|i| TargetField {
            id: i.id,
            label: format!("{} ({})", i.def.name, i.def.measure.label()),
        })
        .collect();
    Ok(DetailPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        kind: m.kind.label(),
        level: m.level.label(),
        status: m.status.label(),
        period: format!("{} – {}", VnDate(m.start), d(m.end)),
        doc_date: d(m.doc_date),
        deadline: d(m.registration_deadline),
        authority,
        parent,
        reviews,
        files,
        indicators: indicators.iter().map(indicator_line).collect(),
        may_manage,
        next,
        registrations,
        may_register: open_for_registration && !register_units.is_empty(),
        register_units,
        targets,
        unregistered,
        may_enter: m.status.accepts_values() && !units.is_empty(),
        tasks: super::tasks::section(&st, &s, &m).await?,
        m,
    }
    .into_response())
}

pub(super) fn indicator_line(i: &IndicatorRow) -> IndicatorLine {
    IndicatorLine {
        code: i.def.code.to_string(),
        name: i.def.name.clone(),
        measure: i.def.measure.label(),
        how: match &i.def.formula {
            Some(f) => format!("Tính: {}", f.in_words()),
            None => format!(
                "Nhập theo {} · {}",
                i.def.period.label().to_lowercase(),
                i.def.entry.noun()
            ),
        },
        group: i.def.group.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    report: String,
}

pub async fn set_status(
    State(st): State<AppState>,
    Path(code): Path<String>,
    CheckedForm(s, f): CheckedForm<StatusForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let change = app_mv::lifecycle::StatusChange {
        status: f.status,
        held_on: f.held_on,
        report: f.report,
        doc_number: f.doc_number,
    };
    let to =
        app_mv::lifecycle::change_status(&st.store, &s.user, &s.who(), &m, &change, today_vn())
            .await?;
    Ok(redirect_with_flash(
        &st,
        &movement_href(&m),
        &format!("Phong trào chuyển sang «{}».", to.label()),
    ))
}

pub async fn upload_file(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let (csrf, file) = read_multipart(&mut mp).await?;
    s.check_form_csrf(&csrf)?;
    may_manage(&st, &s, &m).await??;
    let (name, bytes) = file.ok_or_else(|| WebError::BadRequest("Chưa chọn tệp.".into()))?;
    app_mv::lifecycle::attach_file(&st.store, &s.user, &s.who(), &m, &name, &bytes, today_vn())
        .await?;
    Ok(redirect_with_flash(
        &st,
        &movement_href(&m),
        &format!("Đã đính kèm tệp «{name}»."),
    ))
}

pub async fn download_file(
    State(st): State<AppState>,
    s: Session,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let (name, content_type, bytes) = st
        .store
        .movement_file(m.id, id)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có tệp này.".into()))?;
    Ok(attachment(&name, content_type_static(&content_type), bytes))
}

pub async fn export_toml(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let text = app_mv::export_movement_file(&st.store, &m).await?;
    Ok(attachment(
        &format!("{}.toml", m.code),
        "application/toml",
        text.into_bytes(),
    ))
}

#[derive(Deserialize)]
pub struct RegisterForm {
    unit: i64,
    #[serde(default)]
    pledges: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

pub async fn register(
    State(st): State<AppState>,
    Path(code): Path<String>,
    CheckedForm(s, f): CheckedForm<RegisterForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let registration = app_mv::lifecycle::Registration {
        unit: UnitId(f.unit),
        pledges: f.pledges,
        targets: f
            .rest
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("t_")?.parse().ok()?, v.clone())))
            .collect(),
    };
    app_mv::lifecycle::register(&st.store, &s.user, &s.who(), &m, &registration, today_vn())
        .await?;
    Ok(redirect_with_flash(
        &st,
        &movement_href(&m),
        "Đã đăng ký thi đua.",
    ))
}
