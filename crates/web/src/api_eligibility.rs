//! `/api/v1/eligibility/check` (the contract for external checks) and
//! `/api/v1/reviews` (the annual title review, as the page runs it).

use crate::AppState;
use crate::api::ApiPath;
use crate::api::{ApiError, ApiJson, ErrorBody, guard_unit};
use crate::pages::today_vn;
use crate::session::ApiSession;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use thidua_app::eligibility::{self as app_el, LineInput, ReviewView};
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use utoipa::ToSchema;

/// Judges a history sent by the caller (nothing is stored). The body is
/// the contract of `docs/formats/eligibility.md`; the answer is the
/// verdict with every check, its article and its sentence.
#[utoipa::path(post, path = "/api/v1/eligibility/check", tag = "eligibility",
    request_body(content = Object, description = "The eligibility request (subject, proposed, year, decision_date, history)", content_type = "application/json"),
    responses((status = 200, description = "The verdict: verdict, checks[rule, article, passed, message], uncertain, next_eligible_year, missing, rule_set", body = Object),
              (status = 401, body = ErrorBody), (status = 422, description = "`field` names the request field at fault", body = ErrorBody)))]
pub async fn check(
    _s: ApiSession,
    crate::extract::ApiTextBody(body): crate::extract::ApiTextBody,
) -> Result<Json<thidua_domain::eligibility::Verdict>, ApiError> {
    let bad = |e: thidua_domain::eligibility::RequestError| ApiError::Validation {
        field: e.field,
        message: e.message,
    };
    let req = app_el::parse_request(&body).map_err(bad)?;
    Ok(Json(thidua_domain::eligibility::check(&req).map_err(bad)?))
}

#[derive(Deserialize, ToSchema)]
pub struct NewReviewRequest {
    pub unit_id: i64,
    pub year: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct CloseReviewRequest {
    /// The unit's decision, e.g. 45/QĐ-UBND.
    pub decision_number: Option<String>,
    /// dd/mm/yyyy or yyyy-mm-dd.
    pub decision_date: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClosedReview {
    /// Titles entered into the registry.
    pub titles: usize,
}

async fn guarded(st: &AppState, s: &ApiSession, id: i64) -> Result<ReviewView, ApiError> {
    let r = st
        .store
        .review(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("bình xét".into()))?;
    // Out of scope answers as absent: another unit's review is its business.
    guard_unit(st, s, Action::ReviewTitles, r.unit_id)
        .await
        .map_err(|e| match e {
            ApiError::Forbidden(_) => ApiError::NotFound("bình xét".into()),
            other => other,
        })?;
    Ok(app_el::review_view(&st.store, id, today_vn()).await?)
}

/// Opens the annual title review of a unit for a year: every member with
/// the best title the engine finds, and the unit's own line.
#[utoipa::path(post, path = "/api/v1/reviews", tag = "eligibility", request_body = NewReviewRequest,
    responses((status = 201, description = "The review", body = Object), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open(
    State(st): State<AppState>,
    s: ApiSession,
    ApiJson(r): ApiJson<NewReviewRequest>,
) -> Result<(StatusCode, Json<ReviewView>), ApiError> {
    guard_unit(&st, &s, Action::ReviewTitles, UnitId(r.unit_id)).await?;
    let id =
        app_el::open_review(&st.store, &s.0.who(), UnitId(r.unit_id), r.year, today_vn()).await?;
    Ok((StatusCode::CREATED, Json(guarded(&st, &s, id).await?)))
}

#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "eligibility", params(("id" = i64, Path)),
    responses((status = 200, description = "The review with its lines, verdicts and quotas", body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewView>, ApiError> {
    Ok(Json(guarded(&st, &s, id).await?))
}

/// Changes one line: a rating, another title, a decision (`want`:
/// propose or drop) with the reason departing from the engine needs.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/lines/{line}", tag = "eligibility",
    params(("id" = i64, Path), ("line" = i64, Path)),
    request_body(content = Object, description = "{rating?: HTXSNV…, proposed?: LAO_DONG_TIEN_TIEN…, want?: propose|drop, reason?}"),
    responses((status = 200, description = "The review after the change", body = Object), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_line(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath((id, line)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<LineInput>,
) -> Result<Json<ReviewView>, ApiError> {
    guarded(&st, &s, id).await?;
    app_el::update_line(&st.store, &s.0.who(), id, line, &input, today_vn()).await?;
    Ok(Json(guarded(&st, &s, id).await?))
}

/// Produces the list: every line decided, no quota passed; the titles
/// enter the registry.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/close", tag = "eligibility", params(("id" = i64, Path)),
    request_body = CloseReviewRequest,
    responses((status = 200, body = ClosedReview), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn close(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<CloseReviewRequest>,
) -> Result<Json<ClosedReview>, ApiError> {
    guarded(&st, &s, id).await?;
    let date = match r
        .decision_date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(d) => Some(
            VnDate::parse(d)
                .map_err(|e| ApiError::Validation {
                    field: "decision_date".into(),
                    message: e.to_string(),
                })?
                .0,
        ),
        None => None,
    };
    let titles = app_el::close_review(
        &st.store,
        &s.0.who(),
        id,
        r.decision_number.as_deref(),
        date,
        today_vn(),
    )
    .await?;
    Ok(Json(ClosedReview { titles }))
}
