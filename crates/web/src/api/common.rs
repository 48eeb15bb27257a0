//! What the API's handlers share: dates, ids, paging, the scope guard.

use crate::AppState;
use crate::api_error::ApiError;
use crate::pages::today_vn;
use crate::session::ApiSession;
use serde::{Deserialize, Serialize};
use thidua_app::auth;
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use utoipa::{IntoParams, ToSchema};

pub(super) fn parse_date(s: Option<&str>) -> Result<time::Date, ApiError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today_vn()),
        Some(d) => VnDate::parse(d)
            .map(|d| d.0)
            .map_err(|e| ApiError::Validation {
                field: "as_of".into(),
                message: e.to_string(),
            }),
    }
}

pub(super) fn parse_id(s: &str) -> Result<i64, ApiError> {
    s.parse()
        .map_err(|_| ApiError::NotFound("đối tượng".into()))
}

pub(crate) async fn guard_unit(
    st: &AppState,
    s: &ApiSession,
    action: Action,
    id: UnitId,
) -> Result<(), ApiError> {
    match auth::may_on_unit(&st.store, &s.0.user, action, id, today_vn()).await? {
        None => Err(ApiError::NotFound("đơn vị".into())),
        Some(r) => r.map_err(ApiError::from),
    }
}

pub(super) async fn guard_system(
    st: &AppState,
    s: &ApiSession,
    action: Action,
) -> Result<(), ApiError> {
    Ok(auth::may_on_system(&st.store, &s.0.user, action, today_vn()).await??)
}

// ---------------------------------------------------------------- DTOs

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Deserialize, IntoParams)]
pub struct AsOfQuery {
    pub as_of: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    pub q: Option<String>,
    pub role: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub(super) fn paging(page: Option<i64>, per_page: Option<i64>) -> (i64, i64) {
    (
        page.unwrap_or(1).clamp(1, 1_000_000),
        per_page.unwrap_or(100).clamp(1, 1000),
    )
}

// ---------------------------------------------------------------- handlers
