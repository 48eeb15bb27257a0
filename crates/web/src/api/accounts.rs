//! Accounts, tokens and the audit log over the API.

use super::common::{Created, PageQuery, guard_system, paging, parse_id};
use crate::AppState;
use crate::api_error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pages::today_vn;
use crate::session::ApiSession;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use thidua_app::auth;
use thidua_domain::policy::{Action, Role};
use thidua_store::AuditFilter;
use utoipa::{IntoParams, ToSchema};

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

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

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
