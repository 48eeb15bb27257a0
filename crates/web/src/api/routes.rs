//! The API's addresses.

use super::accounts::{audit_list, me, token_create, token_revoke, user_create, users_list};
use super::openapi::openapi;
use super::units::{people, unit_create, unit_get, unit_rename, units_list};
use crate::AppState;
use crate::api_error::ApiError;
use axum::Router;
use axum::routing::{get, patch};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/v1/me", get(me))
        .route("/v1/units", get(units_list).post(unit_create))
        .route("/v1/units/{id}", patch(unit_rename).get(unit_get))
        .route("/v1/people", get(people))
        .route("/v1/movements", get(crate::api_movements::list))
        .route("/v1/movements/{code}", get(crate::api_movements::get_one))
        .route(
            "/v1/movements/{code}/report",
            get(crate::api_movements::report),
        )
        .route(
            "/v1/movements/{code}/values",
            axum::routing::post(crate::api_movements::enter),
        )
        .route(
            "/v1/eligibility/check",
            axum::routing::post(crate::api_eligibility::check),
        )
        .route(
            "/v1/reviews",
            axum::routing::post(crate::api_eligibility::open),
        )
        .route("/v1/reviews/{id}", get(crate::api_eligibility::get_one))
        .route(
            "/v1/reviews/{id}/lines/{line}",
            axum::routing::post(crate::api_eligibility::update_line),
        )
        .route(
            "/v1/reviews/{id}/close",
            axum::routing::post(crate::api_eligibility::close),
        )
        .route("/v1/users", get(users_list).post(user_create))
        .route("/v1/audit", get(audit_list))
        .route("/v1/tokens", axum::routing::post(token_create))
        .route("/v1/tokens/{id}", axum::routing::delete(token_revoke))
        .fallback(|| async { ApiError::NotFound("không có đường dẫn API này".into()) })
}
