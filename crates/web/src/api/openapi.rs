//! The OpenAPI document, built from the handlers' own annotations.

use super::accounts::{
    AuditDto, AuditPage, MeDto, NewTokenRequest, NewTokenResponse, NewUserRequest, UserDto,
    UsersPage,
};
use super::common::Created;
use super::units::{
    EventDto, NewUnitRequest, PersonDto, RenameRequest, UnitDetail, UnitDto, UnitsPage,
};
use crate::api_error::{ApiError, ErrorBody, ErrorDetail, ProblemDto};
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "thidua API",
        description = "Thi đua – khen thưởng: the JSON API. Authenticate with a session cookie (plus X-CSRF-Token on changes) or `Authorization: Bearer <token>`."
    ),
    paths(
        super::accounts::me,
        super::units::units_list,
        super::units::unit_get,
        super::units::unit_create,
        super::units::unit_rename,
        super::units::people,
        super::accounts::users_list,
        super::accounts::user_create,
        super::accounts::audit_list,
        super::accounts::token_create,
        super::accounts::token_revoke,
        crate::api_movements::list,
        crate::api_movements::get_one,
        crate::api_movements::report,
        crate::api_movements::enter,
        crate::api_eligibility::check,
        crate::api_eligibility::open,
        crate::api_eligibility::get_one,
        crate::api_eligibility::update_line,
        crate::api_eligibility::close
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        UnitDto,
        EventDto,
        UnitDetail,
        UnitsPage,
        MeDto,
        PersonDto,
        UserDto,
        UsersPage,
        AuditDto,
        AuditPage,
        NewUnitRequest,
        RenameRequest,
        NewUserRequest,
        NewTokenRequest,
        NewTokenResponse,
        Created,
        ProblemDto,
        crate::api_movements::MovementDto,
        crate::api_movements::IndicatorDto,
        crate::api_movements::MovementDetailDto,
        crate::api_movements::FigureDto,
        crate::api_movements::ChildDto,
        crate::api_movements::ReportDto,
        crate::api_movements::ValueIn,
        crate::api_movements::ValuesRequest,
        crate::api_movements::ValuesResponse,
        crate::api_eligibility::NewReviewRequest,
        crate::api_eligibility::CloseReviewRequest,
        crate::api_eligibility::ClosedReview
    ))
)]
pub struct ApiDoc;

/// The OpenAPI 3 document of this API.
/// The API's OpenAPI document, with the errors every operation can answer
/// in the JSON envelope (a malformed body or path, authentication, scope,
/// limits, a database away) listed where the operation's own annotation
/// does not already: clients and Schemathesis see every status that occurs.
pub fn document() -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let mut doc = ApiDoc::openapi();
    let error = |what: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(what)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    let common = [
        (
            "400",
            "Malformed request: body, query or path (code bad_request)",
        ),
        ("401", "No session or token (unauthorized)"),
        (
            "403",
            "Not allowed for this role or scope (forbidden, csrf)",
        ),
        ("404", "No such object or path (not_found)"),
        ("413", "Body past its limit (too_large)"),
        ("422", "Refused by a rule, with the field (validation)"),
        ("429", "Too many requests (too_many)"),
        ("500", "Unexpected failure (internal)"),
        ("503", "Database unavailable for now (unavailable)"),
    ];
    for item in doc.paths.paths.values_mut() {
        let writes = [
            &mut item.post,
            &mut item.patch,
            &mut item.put,
            &mut item.delete,
        ];
        for op in writes.into_iter().flatten() {
            op.responses
                .responses
                .entry("409".into())
                .or_insert_with(|| error("Conflicts with the current state (conflict)"));
        }
        let all = [
            &mut item.get,
            &mut item.post,
            &mut item.patch,
            &mut item.put,
            &mut item.delete,
        ];
        for op in all.into_iter().flatten() {
            for (status, what) in common {
                op.responses
                    .responses
                    .entry(status.into())
                    .or_insert_with(|| error(what));
            }
        }
    }
    doc
}

pub async fn openapi() -> Response {
    match document().to_json() {
        Ok(json) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}
