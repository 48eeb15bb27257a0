//! Lập khối, cụm — the emulation office creates a year's block or cluster
//! on the web (its regulation, members and roles), and changes its members
//! during the year.

use crate::chrome::{Chrome, today_vn};
use crate::extract::{CheckedForm, CheckedText, Path};
use crate::pages::redirect_with_flash;
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::movements::Enterer;
use thidua_app::people::{UnitChoice, day_field, staff_units, unit_for_code};
use thidua_app::{AppError, clusters as app};
use thidua_domain::cluster::{ClusterKind, MemberRole};
use thidua_domain::org::UnitId;
use thidua_domain::policy::{Action, role_allows};
use thidua_store::NewCluster;

/// Rows of members the form offers.
const MEMBER_ROWS: usize = 12;

#[derive(Default, Clone)]
pub struct ClusterForm {
    year: String,
    code: String,
    name: String,
    kind: String,
    regulation: String,
    covenant: String,
    flags: String,
    members: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cluster_new.html")]
struct NewPage {
    chrome: Chrome,
    form: ClusterForm,
    error: Option<String>,
    units: Vec<UnitChoice>,
    authority: String,
}

fn guard(s: &Session) -> Result<(), WebError> {
    if role_allows(s.user.role, Action::ManageClusters) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "Chỉ bộ phận thi đua – khen thưởng của tỉnh lập khối, cụm thi đua.".into(),
        ))
    }
}

async fn page(
    st: &AppState,
    s: &Session,
    form: ClusterForm,
    error: Option<String>,
) -> Result<Response, WebError> {
    let authority = app::office_province(&st.store, &s.user, today_vn())
        .await?
        .map(|(_, n)| n)
        .unwrap_or_default();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut form = form;
    form.members.resize(MEMBER_ROWS, Default::default());
    let page = NewPage {
        chrome: Chrome::new("khoi-cum", Some(s)),
        units: staff_units(&st.store, &s.user, today_vn(), 3000).await?,
        form,
        error,
        authority,
    };
    Ok((status, page).into_response())
}

pub async fn new_form(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    guard(&s)?;
    let form = ClusterForm {
        year: today_vn().year().to_string(),
        kind: "block".into(),
        flags: "1".into(),
        ..ClusterForm::default()
    };
    page(&st, &s, form, None).await
}

fn read_form(body: &str) -> ClusterForm {
    let mut f = ClusterForm::default();
    let mut units = Vec::new();
    let mut roles = Vec::new();
    for (k, v) in form_urlencoded::parse(body.as_bytes()) {
        let v = v.into_owned();
        match k.as_ref() {
            "year" => f.year = v,
            "code" => f.code = v,
            "name" => f.name = v,
            "kind" => f.kind = v,
            "regulation" => f.regulation = v,
            "covenant" => f.covenant = v,
            "flags" => f.flags = v,
            "member" => units.push(v),
            "role" => roles.push(v),
            _ => {}
        }
    }
    f.members = units
        .into_iter()
        .zip(roles.into_iter().chain(std::iter::repeat(String::new())))
        .collect();
    f
}

fn role_of(s: &str) -> MemberRole {
    match s {
        "head" => MemberRole::Head,
        "deputy" => MemberRole::Deputy,
        _ => MemberRole::Member,
    }
}

pub async fn create(
    State(st): State<AppState>,
    CheckedText(s, body): CheckedText,
) -> Result<Response, WebError> {
    guard(&s)?;
    let form = read_form(&body);
    let today = today_vn();
    let made = async {
        let year: i32 = form
            .year
            .trim()
            .parse()
            .ok()
            .filter(|y| (1945..=2100).contains(y))
            .ok_or_else(|| AppError::Invalid {
                field: "year",
                message: format!("«{}» không phải là năm.", form.year.trim()),
            })?;
        let on = time::Date::from_calendar_date(year, time::Month::December, 31)
            .map(|d| d.min(today))
            .unwrap_or(today);
        let mut members = Vec::new();
        for (code, role) in form.members.iter().filter(|(c, _)| !c.trim().is_empty()) {
            members.push((unit_for_code(&st.store, code, on).await?, role_of(role)));
        }
        let (authority, _) = app::office_province(&st.store, &s.user, today)
            .await?
            .ok_or_else(|| AppError::Invalid {
                field: "authority",
                message: "Tài khoản của bạn không thuộc tỉnh nào.".into(),
            })?;
        let new = NewCluster {
            code: form.code.trim().to_owned(),
            year,
            name: thidua_domain::text::normalize(&form.name),
            kind: if form.kind == "cluster" {
                ClusterKind::Cluster
            } else {
                ClusterKind::Block
            },
            authority,
            council_member: None,
            covenant: form.covenant.trim().to_owned(),
            regulation: form.regulation.trim().to_owned(),
            flag_count: form.flags.trim().parse().unwrap_or(1).clamp(0, 20),
            disagreement_threshold: 200,
            members,
            sheet: None,
        };
        app::create_checked(&st.store, &s.who(), Enterer::User(&s.user), today, &new).await
    }
    .await;
    match made {
        Ok(id) => Ok(redirect_with_flash(
            &st,
            &format!("/khoi-cum/{id}"),
            &format!("Đã lập {}.", thidua_domain::text::normalize(&form.name)),
        )),
        Err(e @ (AppError::Invalid { .. } | AppError::Store(_))) => {
            let message = match e {
                AppError::Invalid { message, .. } => message,
                e => WebError::from(e).to_string(),
            };
            page(&st, &s, form, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    role: String,
}

pub async fn add_member(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    CheckedForm(s, f): CheckedForm<AddForm>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let done = async {
        let unit = unit_for_code(&st.store, &f.unit, today).await?;
        app::add_member(
            &st.store,
            &s.who(),
            Enterer::User(&s.user),
            today,
            id,
            unit,
            role_of(&f.role),
        )
        .await
    }
    .await;
    match done {
        Ok(()) => Ok(redirect_with_flash(
            &st,
            &format!("/khoi-cum/{id}"),
            "Đã thêm thành viên.",
        )),
        Err(AppError::Invalid { message, .. }) => Err(WebError::Unprocessable(message)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LeaveForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    reason: String,
}

pub async fn remove_member(
    State(st): State<AppState>,
    Path((id, unit)): Path<(i64, i64)>,
    CheckedForm(s, f): CheckedForm<LeaveForm>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let done = async {
        let on = day_field("date", &f.date)?;
        app::remove_member(
            &st.store,
            &s.who(),
            Enterer::User(&s.user),
            today,
            id,
            UnitId(unit),
            (on, &f.reason),
        )
        .await
    }
    .await;
    match done {
        Ok(()) => Ok(redirect_with_flash(
            &st,
            &format!("/khoi-cum/{id}"),
            "Đã ghi đơn vị rời khối, cụm.",
        )),
        Err(AppError::Invalid { message, .. }) => Err(WebError::Unprocessable(message)),
        Err(e) => Err(e.into()),
    }
}

/// The members who left during the year, for the cluster's page.
pub async fn former_members(st: &AppState, cluster: i64) -> Result<Vec<String>, WebError> {
    Ok(st
        .store
        .cluster_former_members(cluster)
        .await?
        .into_iter()
        .map(|m| {
            format!(
                "{} — rời ngày {}{}",
                m.name,
                thidua_domain::date::VnDate(m.left_on),
                m.left_reason.map(|r| format!(" ({r})")).unwrap_or_default()
            )
        })
        .collect())
}
