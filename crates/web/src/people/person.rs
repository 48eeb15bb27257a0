//! A person's page and the forms that change a person: add, edit,
//! transfer, end a stint, and reading the identity number.

use crate::chrome::{Chrome, today_vn};
use crate::extract::{CheckedForm, Path};
use crate::pages::redirect_with_flash;
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::movements::Enterer;
use thidua_app::people::{
    self, Joining, Move, PersonInput, PersonView, UnitChoice, day_field, unit_for_code,
};
use thidua_domain::date::VnDate;
use thidua_domain::staff::{MembershipEnd, PersonCategory, PersonId};

/// The person form's fields, as typed (kept when the form comes back).
#[derive(Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    ethnicity: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    namesake_confirmed: Option<String>,
}

impl PersonForm {
    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            birth: self.birth.clone(),
            sex: self.sex.clone(),
            ethnicity: self.ethnicity.clone(),
            id_number: self.id_number.clone(),
            category: self.category.clone(),
            position: self.position.clone(),
        }
    }
}

pub struct Choice {
    value: &'static str,
    label: &'static str,
}

fn categories() -> Vec<Choice> {
    PersonCategory::ALL
        .into_iter()
        .map(|c| Choice {
            value: c.as_str(),
            label: c.label(),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    chrome: Chrome,
    /// `None` for a new person.
    person: Option<i64>,
    form: PersonForm,
    errors: Vec<(&'static str, String)>,
    units: Vec<UnitChoice>,
    categories: Vec<Choice>,
    namesake: bool,
}

impl PersonFormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn field_errors(e: AppError) -> Result<Vec<(&'static str, String)>, WebError> {
    match e {
        AppError::Fields(f) => Ok(f.into_iter().map(|p| (p.field, p.message)).collect()),
        AppError::Invalid { field, message } => Ok(vec![(field, message)]),
        e => Err(e.into()),
    }
}

async fn form_page(
    st: &AppState,
    s: &Session,
    person: Option<i64>,
    form: PersonForm,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, WebError> {
    let namesake = errors
        .iter()
        .any(|(f, m)| *f == "name" && m.contains("xác nhận"));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PersonFormPage {
        chrome: Chrome::new("ca-nhan", Some(s)),
        person,
        units: people::staff_units(&st.store, &s.user, today_vn(), 3000).await?,
        categories: categories(),
        form,
        errors,
        namesake,
    };
    Ok((status, page).into_response())
}

pub async fn new_form(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    let units = people::staff_units(&st.store, &s.user, today_vn(), 1).await?;
    if units.is_empty() {
        return Err(WebError::Forbidden(
            "Vai trò của bạn không quản lý danh sách cán bộ.".into(),
        ));
    }
    let form = PersonForm {
        from: VnDate(today_vn()).to_string(),
        ..PersonForm::default()
    };
    form_page(&st, &s, None, form, Vec::new()).await
}

pub async fn create(
    State(st): State<AppState>,
    CheckedForm(s, form): CheckedForm<PersonForm>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let added = async {
        let from = day_field("from", &form.from)?;
        let unit = unit_for_code(&st.store, &form.unit, from).await?;
        let joining = Joining {
            unit,
            from,
            namesake_confirmed: form.namesake_confirmed.is_some(),
        };
        people::add(
            &st.store,
            &s.who(),
            Enterer::User(&s.user),
            &form.input(),
            joining,
            today,
        )
        .await
    }
    .await;
    match added {
        Ok(id) => Ok(redirect_with_flash(
            &st,
            &format!("/ca-nhan/{id}"),
            &format!("Đã thêm {}.", thidua_domain::text::normalize(&form.name)),
        )),
        Err(e) => {
            let errors = field_errors(e)?;
            form_page(&st, &s, None, form, errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    view: PersonView,
    birth: String,
    gender: &'static str,
    category: &'static str,
    id_number: Option<String>,
    error: Option<String>,
    units: Vec<UnitChoice>,
    today: String,
    ends: Vec<Choice>,
}

async fn person_page(
    st: &AppState,
    s: &Session,
    id: PersonId,
    id_number: Option<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let view = people::show(&st.store, Enterer::User(&s.user), id, today).await?;
    let units = if view.may_edit {
        people::staff_units(&st.store, &s.user, today, 3000).await?
    } else {
        Vec::new()
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = PersonPage {
        chrome: Chrome::new("ca-nhan", Some(s)),
        birth: view
            .person
            .birth_date
            .map(|d| VnDate(d).to_string())
            .unwrap_or_default(),
        gender: view.person.gender.map(|g| g.label()).unwrap_or(""),
        category: view.person.category.map(|c| c.label()).unwrap_or(""),
        view,
        id_number,
        error,
        units,
        today: VnDate(today).to_string(),
        ends: [MembershipEnd::Retire, MembershipEnd::Leave]
            .into_iter()
            .map(|e| Choice {
                value: e.as_str(),
                label: e.label(),
            })
            .collect(),
    };
    Ok((status, page).into_response())
}

pub async fn person(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<PersonId>,
) -> Result<Response, WebError> {
    person_page(&st, &s, id, None, None).await
}

pub async fn edit_form(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<PersonId>,
) -> Result<Response, WebError> {
    let view = people::show(&st.store, Enterer::User(&s.user), id, today_vn()).await?;
    if !view.may_edit {
        return Err(WebError::Forbidden(
            "Chỉ đơn vị đang quản lý người này được sửa thông tin.".into(),
        ));
    }
    let p = view.person;
    let form = PersonForm {
        name: p.full_name,
        birth: p
            .birth_date
            .map(|d| VnDate(d).to_string())
            .unwrap_or_default(),
        sex: p
            .gender
            .map(|g| g.label().to_lowercase())
            .unwrap_or_default(),
        ethnicity: p.ethnicity.unwrap_or_default(),
        category: p
            .category
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        position: p.position.unwrap_or_default(),
        ..PersonForm::default()
    };
    form_page(&st, &s, Some(id.0), form, Vec::new()).await
}

pub async fn edit(
    State(st): State<AppState>,
    Path(id): Path<PersonId>,
    CheckedForm(s, form): CheckedForm<PersonForm>,
) -> Result<Response, WebError> {
    match people::edit(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        id,
        &form.input(),
        today_vn(),
    )
    .await
    {
        Ok(()) => Ok(redirect_with_flash(
            &st,
            &format!("/ca-nhan/{id}"),
            "Đã lưu thông tin cá nhân.",
        )),
        Err(e) => {
            let errors = field_errors(e)?;
            form_page(&st, &s, Some(id.0), form, errors).await
        }
    }
}

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    position: String,
}

pub async fn transfer(
    State(st): State<AppState>,
    Path(id): Path<PersonId>,
    CheckedForm(s, f): CheckedForm<TransferForm>,
) -> Result<Response, WebError> {
    let moved = async {
        let date = day_field("date", &f.date)?;
        let to = unit_for_code(&st.store, &f.to, date).await?;
        let m = Move {
            to,
            date,
            position: Some(f.position.clone()),
        };
        people::transfer(
            &st.store,
            &s.who(),
            Enterer::User(&s.user),
            id,
            &m,
            today_vn(),
        )
        .await
    }
    .await;
    match moved {
        Ok(()) => Ok(redirect_with_flash(
            &st,
            &format!("/ca-nhan/{id}"),
            &format!("Đã ghi chuyển công tác từ ngày {}.", f.date.trim()),
        )),
        Err(e) => {
            let message = field_errors(e)?
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" ");
            person_page(&st, &s, id, None, Some(message)).await
        }
    }
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    reason: String,
}

pub async fn end_stint(
    State(st): State<AppState>,
    Path(id): Path<PersonId>,
    CheckedForm(s, f): CheckedForm<EndForm>,
) -> Result<Response, WebError> {
    let ended = async {
        let date = day_field("date", &f.date)?;
        let reason = MembershipEnd::parse(&f.reason).map_err(|_| AppError::Invalid {
            field: "reason",
            message: "Hãy chọn lý do.".into(),
        })?;
        people::end_stint(
            &st.store,
            &s.who(),
            Enterer::User(&s.user),
            id,
            date,
            reason,
            today_vn(),
        )
        .await
        .map(|()| reason)
    }
    .await;
    match ended {
        Ok(reason) => Ok(redirect_with_flash(
            &st,
            &format!("/ca-nhan/{id}"),
            &format!("Đã ghi: {} từ ngày {}.", reason.label(), f.date.trim()),
        )),
        Err(e) => {
            let message = field_errors(e)?
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" ");
            person_page(&st, &s, id, None, Some(message)).await
        }
    }
}

/// Shows the identity number once, on this response only; the reading is
/// audited.
pub async fn reveal_id(
    State(st): State<AppState>,
    Path(id): Path<PersonId>,
    CheckedForm(s, _): CheckedForm<crate::extract::TokenOnly>,
) -> Result<Response, WebError> {
    let n = people::reveal_id_number(&st.store, &s.who(), Enterer::User(&s.user), id, today_vn())
        .await?;
    person_page(
        &st,
        &s,
        id,
        Some(n.unwrap_or_else(|| "(chưa có)".into())),
        None,
    )
    .await
}
