//! Adding and renaming units.

use super::common::{guard_unit, parse_id, redirect_with_flash};
use crate::chrome::{Chrome, today_vn};
use crate::extract::CheckedForm;
use crate::extract::Path;
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::org_edit::{self, UnitInput};
use thidua_domain::date::VnDate;
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::policy::Action;
use thidua_store::UnitRow;

/// The values and per-field messages of the new-unit form.
#[derive(Default, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    valid_from: String,
}

#[derive(Default)]
pub struct FieldErrors {
    code: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    valid_from: Option<String>,
}

impl FieldErrors {
    fn set(&mut self, field: &str, message: String) {
        match field {
            "code" => self.code = Some(message),
            "name" => self.name = Some(message),
            "kind" => self.kind = Some(message),
            _ => self.valid_from = Some(message),
        }
    }
}

pub struct KindOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "unit_new.html")]
pub(super) struct UnitNewPage {
    chrome: Chrome,
    parent_id: i64,
    parent_name: String,
    form: UnitForm,
    kinds: Vec<KindOption>,
    errors: FieldErrors,
}

pub(super) fn kind_options(parent: UnitKind, selected: &str) -> Vec<KindOption> {
    org_edit::kinds_under(parent)
        .into_iter()
        .map(|k| KindOption {
            value: k.as_str(),
            label: k.label(),
            selected: k.as_str() == selected,
        })
        .collect()
}

pub(super) async fn live_unit(st: &AppState, id: UnitId) -> Result<UnitRow, WebError> {
    let today = today_vn();
    let u = st
        .store
        .unit(id, today)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có đơn vị này.".into()))?;
    if !u.period.contains(today) {
        return Err(WebError::BadRequest(
            "Đơn vị này không còn hiệu lực; không thể thay đổi.".into(),
        ));
    }
    Ok(u)
}

pub async fn unit_new_form(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    guard_unit(&st, &s, Action::CreateUnit, id).await?;
    let parent = live_unit(&st, id).await?;
    let form = UnitForm {
        valid_from: VnDate(today_vn()).to_string(),
        ..UnitForm::default()
    };
    Ok(UnitNewPage {
        chrome: Chrome::new("to-chuc", Some(&s)),
        parent_id: id.0,
        parent_name: parent.name,
        kinds: kind_options(parent.kind, ""),
        form,
        errors: FieldErrors::default(),
    }
    .into_response())
}

pub async fn unit_create(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CheckedForm(s, form): CheckedForm<UnitForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let input = UnitInput {
        code: form.code.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        valid_from: form.valid_from.clone(),
    };
    let mut errors = FieldErrors::default();
    match org_edit::create_unit(&st.store, &s.user, &s.who(), id, &input, today_vn()).await {
        Ok(new_id) => {
            let msg = format!(
                "Đã thêm đơn vị «{}».",
                thidua_domain::text::normalize(&form.name)
            );
            return Ok(redirect_with_flash(
                &st,
                &format!("/to-chuc/{}", new_id.0),
                &msg,
            ));
        }
        Err(AppError::Fields(problems)) => {
            for p in problems {
                errors.set(p.field, p.message);
            }
        }
        Err(AppError::Store(thidua_store::StoreError::Conflict(m))) => errors.code = Some(m),
        Err(AppError::Invalid { field, message }) if field != "parent" => {
            errors.set(field, message)
        }
        Err(e) => return Err(e.into()),
    }
    let parent = live_unit(&st, id).await?;
    let kinds = kind_options(parent.kind, &form.kind);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        UnitNewPage {
            chrome: Chrome::new("to-chuc", Some(&s)),
            parent_id: id.0,
            parent_name: parent.name,
            kinds,
            form,
            errors,
        },
    )
        .into_response())
}

#[derive(Default, Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "unit_rename.html")]
pub(super) struct UnitRenamePage {
    chrome: Chrome,
    id: i64,
    current: String,
    form: RenameForm,
    error_name: Option<String>,
    error_date: Option<String>,
}

pub async fn unit_rename_form(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    guard_unit(&st, &s, Action::UpdateUnit, id).await?;
    let u = live_unit(&st, id).await?;
    Ok(UnitRenamePage {
        chrome: Chrome::new("to-chuc", Some(&s)),
        id: id.0,
        form: RenameForm {
            name: u.name.clone(),
            date: VnDate(today_vn()).to_string(),
        },
        current: u.name,
        error_name: None,
        error_date: None,
    }
    .into_response())
}

pub async fn unit_rename(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CheckedForm(s, form): CheckedForm<RenameForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    guard_unit(&st, &s, Action::UpdateUnit, id).await?;
    let u = live_unit(&st, id).await?;
    let mut error_name = None;
    let mut error_date = None;
    let date = VnDate::parse(&form.date)
        .map_err(|e| error_date = Some(e.to_string()))
        .ok();
    if let Some(date) = date {
        match thidua_app::org_edit::rename_unit(
            &st.store,
            &s.who(),
            id,
            &form.name,
            date.0,
            today_vn(),
        )
        .await
        {
            Ok(name) => {
                return Ok(redirect_with_flash(
                    &st,
                    &format!("/to-chuc/{}", id.0),
                    &format!("Đã đổi tên thành «{name}»."),
                ));
            }
            Err(thidua_app::AppError::Invalid { message, .. }) => error_name = Some(message),
            Err(thidua_app::AppError::Store(thidua_store::StoreError::Org(e))) => {
                error_date = Some(e.to_string())
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        UnitRenamePage {
            chrome: Chrome::new("to-chuc", Some(&s)),
            id: id.0,
            current: u.name,
            form,
            error_name,
            error_date,
        },
    )
        .into_response())
}
