//! The JSON API under `/api/v1`: what the pages do, for programs. Same
//! policy as the pages, typed errors `{"error": {"code", "message"}}`, and an
//! OpenAPI 3 document generated from these handlers at `/api/openapi.json`.

use crate::AppState;
use crate::pages::{scope_units, today_vn};
use crate::session::ApiSession;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use thidua_app::{auth, org_view};
use thidua_domain::date::VnDate;
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::policy::{self, Action, Role};
use thidua_store::{AuditFilter, EventLink, UnitRow};
use utoipa::{IntoParams, OpenApi, ToSchema};

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

pub use crate::api_error::{ApiError, ErrorBody, ErrorDetail, ProblemDto};
pub use crate::extract::{ApiJson, ApiPath, ApiQuery};

fn parse_date(s: Option<&str>) -> Result<time::Date, ApiError> {
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

fn parse_id(s: &str) -> Result<i64, ApiError> {
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

async fn guard_system(st: &AppState, s: &ApiSession, action: Action) -> Result<(), ApiError> {
    Ok(auth::may_on_system(&st.store, &s.0.user, action, today_vn()).await??)
}

// ---------------------------------------------------------------- DTOs

#[derive(Serialize, ToSchema)]
pub struct UnitDto {
    pub id: i64,
    pub code: String,
    /// legacy (before 01/07/2025), 2025, or local (organisation codes).
    pub code_list: String,
    pub kind: String,
    pub admin_type: Option<String>,
    pub name: String,
    /// First day of validity (yyyy-mm-dd), absent if since before records.
    pub valid_from: Option<String>,
    /// First day no longer valid (yyyy-mm-dd), absent if still valid.
    pub valid_until: Option<String>,
}

impl From<&UnitRow> for UnitDto {
    fn from(u: &UnitRow) -> Self {
        UnitDto {
            id: u.id.0,
            code: u.code.clone(),
            code_list: u.code_list.as_str().into(),
            kind: u.kind.as_str().into(),
            admin_type: u.admin_type.clone(),
            name: u.name.clone(),
            valid_from: u.period.from.map(|d| VnDate(d).iso()),
            valid_until: u.period.until.map(|d| VnDate(d).iso()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventDto {
    pub event_id: i64,
    pub kind: String,
    pub effective: String,
    pub unit: UnitDto,
    pub partial: bool,
    pub primary: bool,
}

impl From<&EventLink> for EventDto {
    fn from(l: &EventLink) -> Self {
        EventDto {
            event_id: l.event_id,
            kind: l.kind.as_str().into(),
            effective: VnDate(l.effective).iso(),
            unit: (&l.unit).into(),
            partial: l.partial,
            primary: l.primary,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitDetail {
    pub as_of: String,
    pub unit: UnitDto,
    pub valid_on_date: bool,
    /// Parent first.
    pub ancestors: Vec<UnitDto>,
    pub children: Vec<UnitDto>,
    pub predecessors: Vec<EventDto>,
    pub successors: Vec<EventDto>,
    /// For an ended unit: what it is part of on `as_of`.
    pub became: Vec<EventDto>,
}

#[derive(Serialize, ToSchema)]
pub struct UnitsPage {
    pub items: Vec<UnitDto>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: Option<i64>,
    /// The units whose subtrees this account works in today.
    pub scope: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    pub full_name: String,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub ethnicity: Option<String>,
    pub position: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub active: bool,
}

#[derive(Serialize, ToSchema)]
pub struct UsersPage {
    pub items: Vec<UserDto>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct AuditDto {
    pub id: i64,
    pub at: String,
    pub actor_login: String,
    pub ip: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditDto>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct NewUnitRequest {
    pub parent_id: i64,
    /// Organisation code: letters, digits, `.`, `-`, `_`, with a letter.
    pub code: String,
    pub name: String,
    /// party_agency, state_agency, public_service, enterprise, association, armed_forces, village, commune.
    pub kind: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    pub valid_from: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct RenameRequest {
    pub name: String,
    /// dd/mm/yyyy or yyyy-mm-dd; default today.
    pub date: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewUserRequest {
    pub login: String,
    pub full_name: String,
    pub role: String,
    pub unit_code: Option<String>,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewTokenRequest {
    pub login: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewTokenResponse {
    pub id: i64,
    /// Shown once; send as `Authorization: Bearer <token>`.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Deserialize, IntoParams)]
pub struct UnitsQuery {
    /// dd/mm/yyyy or yyyy-mm-dd; default today.
    pub as_of: Option<String>,
    /// Unit kind (province, district, commune, state_agency…).
    pub kind: Option<String>,
    /// Only the children of this unit id.
    pub parent: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
pub struct AsOfQuery {
    pub as_of: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct PeopleQuery {
    /// Name, with or without diacritics.
    pub q: String,
}

#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    pub q: Option<String>,
    pub role: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

fn paging(page: Option<i64>, per_page: Option<i64>) -> (i64, i64) {
    (
        page.unwrap_or(1).clamp(1, 1_000_000),
        per_page.unwrap_or(100).clamp(1, 1000),
    )
}

// ---------------------------------------------------------------- handlers

/// The signed-in account and its scope.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeDto), (status = 401, body = ErrorBody)))]
pub async fn me(State(st): State<AppState>, s: ApiSession) -> Result<Json<MeDto>, ApiError> {
    let actor = auth::actor(&st.store, &s.0.user, today_vn()).await?;
    let u = &s.0.user;
    Ok(Json(MeDto {
        id: u.id,
        login: u.login.clone(),
        full_name: u.full_name.clone(),
        role: u.role.as_str().into(),
        unit_id: u.unit_id.map(|x| x.0),
        scope: actor.scope_roots.iter().map(|x| x.0).collect(),
    }))
}

/// Units valid on a date, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitsQuery),
    responses((status = 200, body = UnitsPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn units_list(
    State(st): State<AppState>,
    s: ApiSession,
    ApiQuery(q): ApiQuery<UnitsQuery>,
) -> Result<Json<UnitsPage>, ApiError> {
    let date = parse_date(q.as_of.as_deref())?;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(UnitKind::parse(k).map_err(|e| ApiError::Validation {
            field: "kind".into(),
            message: e.to_string(),
        })?),
        None => None,
    };
    let (page, per_page) = paging(q.page, q.per_page);
    let mut units: Vec<UnitRow> = if let Some(parent) = q.parent {
        guard_unit(&st, &s, Action::ViewUnit, UnitId(parent)).await?;
        st.store.children_as_of(UnitId(parent), date).await?
    } else if policy::unscoped(s.0.user.role) {
        st.store.units_as_of(date, kind).await?
    } else {
        let actor = auth::actor(&st.store, &s.0.user, today_vn()).await?;
        let mut v = Vec::new();
        for root in actor.scope_roots {
            if let Some(u) = st.store.unit(root, date).await?
                && u.period.contains(date)
            {
                v.push(u);
            }
            v.extend(
                st.store
                    .subtree_as_of(root, date)
                    .await?
                    .into_iter()
                    .map(|(u, _)| u),
            );
        }
        v
    };
    if let Some(k) = kind {
        units.retain(|u| u.kind == k);
    }
    let total = units.len() as i64;
    let items = units
        .iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .map(UnitDto::from)
        .collect();
    Ok(Json(UnitsPage {
        items,
        page,
        per_page,
        total,
    }))
}

/// One unit on a date: its chain, children, predecessors and successors.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path), AsOfQuery),
    responses((status = 200, body = UnitDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unit_get(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<AsOfQuery>,
) -> Result<Json<UnitDetail>, ApiError> {
    let id = UnitId(parse_id(&id)?);
    let date = parse_date(q.as_of.as_deref())?;
    guard_unit(&st, &s, Action::ViewUnit, id).await?;
    let v = org_view::by_id(&st.store, id, date)
        .await?
        .ok_or_else(|| ApiError::NotFound("đơn vị".into()))?;
    Ok(Json(UnitDetail {
        as_of: VnDate(date).iso(),
        unit: (&v.unit).into(),
        valid_on_date: v.valid_on_date,
        ancestors: v.ancestors.iter().map(UnitDto::from).collect(),
        children: v.children.iter().map(UnitDto::from).collect(),
        predecessors: v.predecessors.iter().map(EventDto::from).collect(),
        successors: v.successors.iter().map(EventDto::from).collect(),
        became: v.became.iter().map(|b| EventDto::from(&b.link)).collect(),
    }))
}

/// Adds a unit under a parent in the caller's scope.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = NewUnitRequest,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unit_create(
    State(st): State<AppState>,
    s: ApiSession,
    ApiJson(r): ApiJson<NewUnitRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let input = thidua_app::org_edit::UnitInput {
        code: r.code,
        name: r.name,
        kind: r.kind,
        valid_from: r.valid_from.unwrap_or_default(),
    };
    let id = thidua_app::org_edit::create_unit(
        &st.store,
        &s.0.user,
        &s.0.who(),
        UnitId(r.parent_id),
        &input,
        today_vn(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// Renames a unit from a date.
#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = RenameRequest,
    responses((status = 200, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unit_rename(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(id): ApiPath<String>,
    ApiJson(r): ApiJson<RenameRequest>,
) -> Result<Json<Created>, ApiError> {
    let id = UnitId(parse_id(&id)?);
    guard_unit(&st, &s, Action::UpdateUnit, id).await?;
    let date = match r.date.as_deref() {
        Some(d) => {
            VnDate::parse(d)
                .map_err(|e| ApiError::Validation {
                    field: "date".into(),
                    message: e.to_string(),
                })?
                .0
        }
        None => today_vn(),
    };
    thidua_app::org_edit::rename_unit(&st.store, &s.0.who(), id, &r.name, date, today_vn()).await?;
    Ok(Json(Created { id: id.0 }))
}

/// People in the caller's scope whose names match, without diacritics.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleQuery),
    responses((status = 200, body = Vec<PersonDto>), (status = 401, body = ErrorBody)))]
pub async fn people(
    State(st): State<AppState>,
    s: ApiSession,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> Result<Json<Vec<PersonDto>>, ApiError> {
    let scope = scope_units(&st, &s.0).await?;
    let rows = st
        .store
        .search_people_in(&q.q, 200, scope.as_deref())
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|p| PersonDto {
                id: p.id,
                full_name: p.full_name,
                gender: p.gender.map(|g| g.as_str().into()),
                birth_date: p.birth_date.map(|d| VnDate(d).iso()),
                ethnicity: p.ethnicity,
                position: p.position,
            })
            .collect(),
    ))
}

/// Accounts (administrators only).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(PageQuery),
    responses((status = 200, body = UsersPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn users_list(
    State(st): State<AppState>,
    s: ApiSession,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<UsersPage>, ApiError> {
    guard_system(&st, &s, Action::ManageUsers).await?;
    let (page, per_page) = paging(q.page, q.per_page);
    let role = q.role.as_deref().and_then(|r| Role::parse(r).ok());
    let (rows, total) = st
        .store
        .users_page(
            q.q.as_deref().unwrap_or(""),
            role,
            "login",
            (page - 1) * per_page,
            per_page,
        )
        .await?;
    let items = rows
        .into_iter()
        .map(|u| UserDto {
            id: u.id,
            login: u.login,
            full_name: u.full_name,
            role: u.role.as_str().into(),
            unit_id: u.unit_id.map(|x| x.0),
            active: u.active,
        })
        .collect();
    Ok(Json(UsersPage {
        items,
        page,
        per_page,
        total,
    }))
}

/// Creates an account (administrators only).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUserRequest,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn user_create(
    State(st): State<AppState>,
    s: ApiSession,
    ApiJson(r): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    guard_system(&st, &s, Action::ManageUsers).await?;
    let role = Role::parse(&r.role).map_err(|e| ApiError::Validation {
        field: "role".into(),
        message: e.to_string(),
    })?;
    let unit = match r
        .unit_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(code) => Some(
            st.store
                .resolve_code(code, None, today_vn())
                .await?
                .filter(|u| u.period.contains(today_vn()))
                .ok_or_else(|| ApiError::Validation {
                    field: "unit_code".into(),
                    message: format!("không có đơn vị đang hoạt động mang mã «{code}»"),
                })?
                .id,
        ),
        None => None,
    };
    let id = auth::create_user(
        &st.store,
        &s.0.who(),
        &r.login,
        &r.full_name,
        role,
        unit,
        &r.password,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The audit log, newest first (administrators only).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn audit_list(
    State(st): State<AppState>,
    s: ApiSession,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    guard_system(&st, &s, Action::ViewAudit).await?;
    let (page, per_page) = paging(q.page, q.per_page);
    let filter = AuditFilter {
        actor: q.actor,
        action: q.action,
        object_type: q.object_type,
        object_id: q.object_id,
    };
    let (rows, total) = st
        .store
        .audit_page(&filter, (page - 1) * per_page, per_page)
        .await?;
    let items = rows
        .into_iter()
        .map(|e| AuditDto {
            id: e.id,
            at: e.at,
            actor_login: e.actor_login,
            ip: e.ip,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            before_json: e.before_json,
            after_json: e.after_json,
            hash: e.hash,
        })
        .collect();
    Ok(Json(AuditPage {
        items,
        page,
        per_page,
        total,
    }))
}

/// Creates an API token for an account (administrators only).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = NewTokenRequest,
    responses((status = 201, body = NewTokenResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn token_create(
    State(st): State<AppState>,
    s: ApiSession,
    ApiJson(r): ApiJson<NewTokenRequest>,
) -> Result<(StatusCode, Json<NewTokenResponse>), ApiError> {
    guard_system(&st, &s, Action::ManageTokens).await?;
    let (user, _) = st
        .store
        .user_for_login(r.login.trim())
        .await?
        .ok_or_else(|| ApiError::Validation {
            field: "login".into(),
            message: format!("không có tài khoản «{}»", r.login.trim()),
        })?;
    let (id, token) = auth::create_token(&st.store, &s.0.who(), user.id, &r.name).await?;
    Ok((StatusCode::CREATED, Json(NewTokenResponse { id, token })))
}

/// Revokes an API token (administrators only).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn token_revoke(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    guard_system(&st, &s, Action::ManageTokens).await?;
    let id = parse_id(&id)?;
    auth::revoke_token(&st.store, &s.0.user, &s.0.who(), id, today_vn()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "thidua API",
        description = "Thi đua – khen thưởng: the JSON API. Authenticate with a session cookie (plus X-CSRF-Token on changes) or `Authorization: Bearer <token>`."
    ),
    paths(
        me,
        units_list,
        unit_get,
        unit_create,
        unit_rename,
        people,
        users_list,
        user_create,
        audit_list,
        token_create,
        token_revoke,
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
