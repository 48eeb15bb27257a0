//! Launching a movement: the form and the indicators file.

use super::common::require_officer;
use super::files::read_multipart;
use crate::extract::CheckedForm;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::movements::{self as app_mv, MovementHeader};
use thidua_domain::movement::{LaunchLevel, MovementKind};

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    doc_date: String,
    #[serde(default)]
    doc_signer: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    registration_deadline: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    target_collectives: String,
    #[serde(default)]
    target_individuals: String,
    #[serde(default)]
    content_areas: String,
    #[serde(default)]
    award_forms: String,
    #[serde(default)]
    criteria: String,
    #[serde(default)]
    indicator_set: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "movement_new.html")]
pub(super) struct NewPage {
    chrome: Chrome,
    form: NewForm,
    error: Option<String>,
    error_field: String,
    kinds: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    sets: Vec<&'static str>,
}

pub(super) fn new_page(s: &Session, form: NewForm, error: Option<(String, String)>) -> NewPage {
    let (error_field, error) = match error {
        Some((f, m)) => (f, Some(m)),
        None => (String::new(), None),
    };
    NewPage {
        chrome: Chrome::new("phong-trao", Some(s)),
        form,
        error,
        error_field,
        kinds: MovementKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        levels: LaunchLevel::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        sets: app_mv::INDICATOR_SETS.iter().map(|(n, _)| *n).collect(),
    }
}

pub async fn new_form(s: Session) -> Result<Response, WebError> {
    require_officer(&s)?;
    let form = NewForm {
        kind: "thematic".into(),
        level: "province".into(),
        ..NewForm::default()
    };
    Ok(new_page(&s, form, None).into_response())
}

pub(super) fn lines_of(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

pub async fn create(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<NewForm>,
) -> Result<Response, WebError> {
    require_officer(&s)?;
    let opt = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
    let header = MovementHeader {
        code: f.code.trim().to_owned(),
        name: f.name.clone(),
        kind: f.kind.clone(),
        level: f.level.clone(),
        authority: opt(&f.authority),
        document: opt(&f.doc_number).map(|number| app_mv::DocumentHeader {
            number,
            date: opt(&f.doc_date),
            signer: opt(&f.doc_signer),
        }),
        theme: opt(&f.theme),
        start: f.start.clone(),
        end: opt(&f.end),
        registration_deadline: opt(&f.registration_deadline),
        parent: opt(&f.parent),
        target_collectives: lines_of(&f.target_collectives),
        target_individuals: lines_of(&f.target_individuals),
        content_areas: lines_of(&f.content_areas),
        award_forms: lines_of(&f.award_forms),
        criteria: lines_of(&f.criteria),
    };
    let result = async {
        let indicators = match opt(&f.indicator_set) {
            Some(set) => app_mv::indicator_set(&set)?,
            None => Vec::new(),
        };
        app_mv::header_to_new(&st.store, &header, indicators).await
    }
    .await;
    let new = match result {
        Ok(n) => n,
        Err(AppError::Invalid { field, message }) => {
            return Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                new_page(&s, f, Some((field.to_owned(), message))),
            )
                .into_response());
        }
        Err(e) => return Err(e.into()),
    };
    match app_mv::lifecycle::create(&st.store, &s.user, &s.who(), &new, today_vn()).await {
        Ok(()) => Ok(redirect_with_flash(
            &st,
            &format!("/phong-trao/{}", new.code),
            &format!("Đã tạo phong trào {} ở trạng thái dự thảo.", new.code),
        )),
        Err(AppError::Store(thidua_store::StoreError::Conflict(m))) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            new_page(&s, f, Some(("code".to_owned(), m))),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// A movement file (TOML) uploaded instead of the form.
pub async fn import_file(
    State(st): State<AppState>,
    s: Session,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    require_officer(&s)?;
    let (csrf, file) = read_multipart(&mut mp).await?;
    s.check_form_csrf(&csrf)?;
    let (_, bytes) = file.ok_or_else(|| WebError::BadRequest("Chưa chọn tệp.".into()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| WebError::BadRequest("Tệp phải mã hóa UTF-8.".into()))?;
    let new = app_mv::parse_movement_file(&st.store, &text).await?;
    app_mv::lifecycle::create(&st.store, &s.user, &s.who(), &new, today_vn()).await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}", new.code),
        &format!(
            "Đã tạo phong trào {} từ tệp, với {} chỉ tiêu.",
            new.code,
            new.indicators.len()
        ),
    ))
}
