//! Administration pages: accounts, the audit log, API tokens. Every handler
//! asks the policy for the system-level action first.

use crate::extract::Path;
use crate::extract::{CheckedForm, TokenOnly};
use crate::pages::{Chrome, format_int, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::auth;
use thidua_domain::policy::{Action, Role};
use thidua_store::AuditFilter;

async fn guard(st: &AppState, s: &Session, action: Action) -> Result<(), WebError> {
    auth::may_on_system(&st.store, &s.user, action, today_vn())
        .await?
        .map_err(WebError::from)
}

pub const PER_PAGE: i64 = 50;

/// Previous/next links of a paged list.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// The page a `?trang=` asks for: a number from 1 to 100 000, else the
    /// first page (a page past the end is simply empty).
    pub fn requested(trang: Option<&str>) -> i64 {
        trang
            .and_then(|t| t.trim().parse::<i64>().ok())
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1)
    }

    pub fn new(page: i64, total: i64, per_page: i64, link: impl Fn(i64) -> String) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        Pager {
            page,
            pages,
            total: format_int(total),
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

fn page_of(p: Option<i64>) -> i64 {
    p.unwrap_or(1).clamp(1, 1_000_000)
}

// ---------------------------------------------------------------- accounts

#[derive(Deserialize)]
pub struct UsersQuery {
    q: Option<String>,
    vai_tro: Option<String>,
    sap: Option<String>,
    trang: Option<i64>,
}

pub struct UserLine {
    id: i64,
    login: String,
    full_name: String,
    role: &'static str,
    unit: String,
    active: bool,
}

pub struct RoleOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

fn role_options(selected: &str) -> Vec<RoleOption> {
    Role::ALL
        .into_iter()
        .map(|r| RoleOption {
            value: r.as_str(),
            label: r.label(),
            selected: r.as_str() == selected,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    q: String,
    roles: Vec<RoleOption>,
    users: Vec<UserLine>,
    pager: Pager,
    sort_login: String,
    sort_name: String,
    sort_role: String,
}

pub async fn users(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<UsersQuery>,
) -> Result<Response, WebError> {
    guard(&st, &s, Action::ManageUsers).await?;
    let text = q.q.unwrap_or_default();
    let role_s = q.vai_tro.unwrap_or_default();
    let role = Role::parse(&role_s).ok();
    let sort = q.sap.unwrap_or_else(|| "login".into());
    let page = page_of(q.trang);
    let (rows, total) = st
        .store
        .users_page(&text, role, &sort, (page - 1) * PER_PAGE, PER_PAGE)
        .await?;
    let today = today_vn();
    let mut users = Vec::new();
    for u in rows {
        let unit = match u.unit_id {
            Some(id) => st
                .store
                .unit(id, today)
                .await?
                .map(|x| x.name)
                .unwrap_or_default(),
            None => "Toàn hệ thống".into(),
        };
        users.push(UserLine {
            id: u.id,
            login: u.login,
            full_name: u.full_name,
            role: u.role.label(),
            unit,
            active: u.active,
        });
    }
    let base = |sort: &str, page: i64| {
        format!(
            "/quan-tri/tai-khoan?q={}&vai_tro={}&sap={}&trang={page}",
            crate::pages::url_encode(&text),
            role_s,
            sort
        )
    };
    let flip = |key: &str| {
        if sort == key {
            format!("-{key}")
        } else {
            key.to_owned()
        }
    };
    Ok(UsersPage {
        chrome: Chrome::new("quan-tri", Some(&s)),
        roles: role_options(&role_s),
        users,
        pager: Pager::new(page, total, PER_PAGE, |p| base(&sort, p)),
        sort_login: base(&flip("login"), 1),
        sort_name: base(&flip("name"), 1),
        sort_role: base(&flip("role"), 1),
        q: text.clone(),
    }
    .into_response())
}

#[derive(Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    password: String,
}

#[derive(Default)]
pub struct UserErrors {
    login: Option<String>,
    full_name: Option<String>,
    role: Option<String>,
    unit_code: Option<String>,
    password: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "user_new.html")]
struct UserNewPage {
    chrome: Chrome,
    form: UserForm,
    roles: Vec<RoleOption>,
    errors: UserErrors,
}

pub async fn user_new_form(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    guard(&st, &s, Action::ManageUsers).await?;
    Ok(UserNewPage {
        chrome: Chrome::new("quan-tri", Some(&s)),
        form: UserForm::default(),
        roles: role_options(""),
        errors: UserErrors::default(),
    }
    .into_response())
}

pub async fn user_create(
    State(st): State<AppState>,
    CheckedForm(s, form): CheckedForm<UserForm>,
) -> Result<Response, WebError> {
    guard(&st, &s, Action::ManageUsers).await?;
    let mut errors = UserErrors::default();
    let role = Role::parse(&form.role)
        .map_err(|_| errors.role = Some("Hãy chọn vai trò.".into()))
        .ok();
    let unit = if form.unit_code.trim().is_empty() {
        None
    } else {
        match thidua_app::org_view::pick_unit(&st.store, &form.unit_code, today_vn()).await {
            Ok(u) => Some(u),
            Err(thidua_app::AppError::Invalid { message, .. }) => {
                errors.unit_code = Some(format!(
                    "{}.",
                    thidua_domain::text::capitalize_first(&message)
                ));
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    if let Some(role) = role
        && errors.unit_code.is_none()
    {
        match auth::create_user(
            &st.store,
            &s.who(),
            &form.login,
            &form.full_name,
            role,
            unit,
            &form.password,
        )
        .await
        {
            Ok(_) => {
                return Ok(redirect_with_flash(
                    &st,
                    "/quan-tri/tai-khoan",
                    &format!("Đã tạo tài khoản «{}».", form.login.trim()),
                ));
            }
            Err(thidua_app::AppError::Invalid { field, message }) => match field {
                "login" => errors.login = Some(message),
                "full_name" => errors.full_name = Some(message),
                _ => errors.unit_code = Some(message),
            },
            Err(thidua_app::AppError::Password(p)) => errors.password = Some(p.to_string()),
            Err(thidua_app::AppError::Store(thidua_store::StoreError::Conflict(m))) => {
                errors.login = Some(format!("{}.", capitalise(&m)))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let roles = role_options(&form.role);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        UserNewPage {
            chrome: Chrome::new("quan-tri", Some(&s)),
            form,
            roles,
            errors,
        },
    )
        .into_response())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

pub async fn user_set_active(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CheckedForm(s, f): CheckedForm<ActiveForm>,
) -> Result<Response, WebError> {
    let id: i64 = id
        .parse()
        .map_err(|_| WebError::NotFound("Không có tài khoản này.".into()))?;
    let active = f.active == "1";
    thidua_app::auth::set_user_active(&st.store, &s.user, &s.who(), id, active, today_vn()).await?;
    Ok(redirect_with_flash(
        &st,
        "/quan-tri/tai-khoan",
        if active {
            "Đã mở khóa tài khoản."
        } else {
            "Đã khóa tài khoản."
        },
    ))
}

// ---------------------------------------------------------------- audit

#[derive(Deserialize)]
pub struct AuditQuery {
    nguoi: Option<String>,
    thao_tac: Option<String>,
    doi_tuong: Option<String>,
    ma: Option<String>,
    trang: Option<i64>,
}

pub struct AuditLine {
    id: i64,
    at: String,
    actor: String,
    ip: String,
    action: String,
    object: String,
    before: String,
    after: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    nguoi: String,
    thao_tac: String,
    doi_tuong: String,
    ma: String,
    entries: Vec<AuditLine>,
    pager: Pager,
}

/// "2026-11-22T09:05:03.500000Z" → "22/11/2026 16:05:03" (Vietnam time).
fn vn_time(ts: &str) -> String {
    let parse = || -> Option<String> {
        let date = thidua_domain::date::VnDate::parse(ts.get(0..10)?).ok()?;
        let h: i64 = ts.get(11..13)?.parse().ok()?;
        let rest = ts.get(13..19)?;
        let local = h + 7;
        let (day, hour) = if local >= 24 {
            (date.0.next_day()?, local - 24)
        } else {
            (date.0, local)
        };
        Some(format!(
            "{} {hour:02}{rest}",
            thidua_domain::date::VnDate(day)
        ))
    };
    parse().unwrap_or_else(|| ts.to_owned())
}

pub async fn audit(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    guard(&st, &s, Action::ViewAudit).await?;
    let filter = AuditFilter {
        actor: q.nguoi.clone(),
        action: q.thao_tac.clone(),
        object_type: q.doi_tuong.clone(),
        object_id: q.ma.clone(),
    };
    let page = page_of(q.trang);
    let (rows, total) = st
        .store
        .audit_page(&filter, (page - 1) * PER_PAGE, PER_PAGE)
        .await?;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let (nguoi, thao_tac, doi_tuong, ma) = (v(&q.nguoi), v(&q.thao_tac), v(&q.doi_tuong), v(&q.ma));
    let link = |p: i64| {
        format!(
            "/quan-tri/nhat-ky?nguoi={}&thao_tac={}&doi_tuong={}&ma={}&trang={p}",
            crate::pages::url_encode(&nguoi),
            crate::pages::url_encode(&thao_tac),
            crate::pages::url_encode(&doi_tuong),
            crate::pages::url_encode(&ma)
        )
    };
    let entries = rows
        .into_iter()
        .map(|e| AuditLine {
            id: e.id,
            at: vn_time(&e.at),
            actor: e.actor_login,
            ip: e.ip.unwrap_or_default(),
            action: e.action,
            object: format!("{} {}", e.object_type, e.object_id.unwrap_or_default()),
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
        })
        .collect();
    Ok(AuditPage {
        chrome: Chrome::new("quan-tri", Some(&s)),
        pager: Pager::new(page, total, PER_PAGE, link),
        nguoi,
        thao_tac,
        doi_tuong,
        ma,
        entries,
    }
    .into_response())
}

// ---------------------------------------------------------------- tokens

pub struct TokenLine {
    id: i64,
    login: String,
    name: String,
    created: String,
    revoked: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tokens.html")]
struct TokensPage {
    chrome: Chrome,
    tokens: Vec<TokenLine>,
    new_token: Option<String>,
    error: Option<String>,
}

async fn tokens_page(
    st: &AppState,
    s: &Session,
    new_token: Option<String>,
    error: Option<String>,
) -> Result<TokensPage, WebError> {
    let tokens = st
        .store
        .tokens()
        .await?
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            login: t.login,
            name: t.name,
            created: vn_time(&t.created_at),
            revoked: t.revoked_at.map(|r| vn_time(&r)),
        })
        .collect();
    Ok(TokensPage {
        chrome: Chrome::new("quan-tri", Some(s)),
        tokens,
        new_token,
        error,
    })
}

pub async fn tokens(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    guard(&st, &s, Action::ManageTokens).await?;
    Ok(tokens_page(&st, &s, None, None).await?.into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    name: String,
}

pub async fn token_create(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<TokenForm>,
) -> Result<Response, WebError> {
    guard(&st, &s, Action::ManageTokens).await?;
    let Some((user, _)) = st.store.user_for_login(f.login.trim()).await? else {
        let page = tokens_page(
            &st,
            &s,
            None,
            Some(format!("Không có tài khoản «{}».", f.login.trim())),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    match auth::create_token(&st.store, &s.who(), user.id, &f.name).await {
        Ok((_, token)) => Ok(tokens_page(&st, &s, Some(token), None)
            .await?
            .into_response()),
        Err(thidua_app::AppError::Invalid { message, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            tokens_page(&st, &s, None, Some(message)).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

pub async fn token_revoke(
    State(st): State<AppState>,
    Path(id): Path<String>,
    CheckedForm(s, TokenOnly {}): CheckedForm<TokenOnly>,
) -> Result<Response, WebError> {
    let id: i64 = id
        .parse()
        .map_err(|_| WebError::NotFound("Không có mã truy cập này.".into()))?;
    thidua_app::auth::revoke_token(&st.store, &s.user, &s.who(), id, today_vn()).await?;
    Ok(redirect_with_flash(
        &st,
        "/quan-tri/ma-truy-cap",
        "Đã thu hồi mã truy cập.",
    ))
}
