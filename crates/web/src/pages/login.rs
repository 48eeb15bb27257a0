//! Signing in and out, and changing one's password.

use super::common::redirect_with_flash;
use crate::chrome::Chrome;
use crate::extract::{CheckedForm, TokenOnly};
use crate::session::{self, LOGIN_CSRF_COOKIE, MaybeSession, SESSION_COOKIE, Session};
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::auth;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    chrome: Chrome,
    next: String,
    login: String,
    csrf: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    tiep: Option<String>,
}

/// Only a local path may follow a login (no open redirect).
/// Where to go after logging in: a path of this site only. Browsers drop
/// tabs and line breaks from addresses and read a backslash as a slash, so
/// `/\t/evil.example` would become `//evil.example`, another site; any
/// white space, control character or backslash sends the user home
/// instead (and CR/LF can never reach the `Location` header). Letters
/// beyond ASCII are percent-encoded.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else {
        return "/".to_owned();
    };
    let plain = n.starts_with('/')
        && !n.starts_with("//")
        && !n
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !plain {
        return "/".to_owned();
    }
    let mut out = String::with_capacity(n.len());
    for c in n.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

pub(super) fn login_page(
    st: &AppState,
    status: StatusCode,
    next: String,
    login: String,
    error: Option<String>,
) -> Result<Response, WebError> {
    let csrf = auth::random_secret("")?;
    let mut r = (
        status,
        LoginPage {
            chrome: Chrome::new("", None),
            next,
            login,
            csrf: csrf.clone(),
            error,
        },
    )
        .into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, st.config.secure_cookies),
    );
    Ok(r)
}

pub async fn login_form(
    State(st): State<AppState>,
    MaybeSession(s): MaybeSession,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(q.tiep.as_deref());
    if s.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    login_page(&st, StatusCode::OK, next, String::new(), None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn login(
    State(st): State<AppState>,
    headers: HeaderMap,
    session::ClientIp(ip): session::ClientIp,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    if !st.login_limiter.allow(ip.as_deref().unwrap_or("unknown")) {
        return Err(WebError::TooMany);
    }
    let expected = session::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !session::constant_time_eq(expected.as_bytes(), f.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    let next = safe_next(Some(&f.next));
    match auth::login(&st.store, &st.config.auth, &f.login, &f.password, ip).await? {
        Ok(new) => {
            let mut r = Redirect::to(&next).into_response();
            let h = r.headers_mut();
            h.append(
                header::SET_COOKIE,
                session::set_cookie(
                    SESSION_COOKIE,
                    &new.cookie,
                    new.max_age_seconds,
                    st.config.secure_cookies,
                ),
            );
            h.append(
                header::SET_COOKIE,
                session::set_cookie(LOGIN_CSRF_COOKIE, "", 0, st.config.secure_cookies),
            );
            Ok(r)
        }
        Err(e) => login_page(
            &st,
            StatusCode::UNAUTHORIZED,
            next,
            f.login,
            Some(e.to_string()),
        ),
    }
}

pub async fn logout(
    State(st): State<AppState>,
    CheckedForm(s, TokenOnly {}): CheckedForm<TokenOnly>,
) -> Result<Response, WebError> {
    if let Some(c) = &s.cookie {
        auth::logout(&st.store, &s.who(), c).await?;
    }
    let mut r = redirect_with_flash(&st, "/dang-nhap", "Bạn đã đăng xuất.");
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(SESSION_COOKIE, "", 0, st.config.secure_cookies),
    );
    Ok(r)
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
pub(super) struct PasswordPage {
    chrome: Chrome,
    error_current: Option<String>,
    error_new: Option<String>,
}

pub async fn password_form(s: Session) -> Result<Response, WebError> {
    Ok(PasswordPage {
        chrome: Chrome::new("", Some(&s)),
        error_current: None,
        error_new: None,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn password_change(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<PasswordForm>,
) -> Result<Response, WebError> {
    let page = |c: Option<String>, n: Option<String>| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage {
                chrome: Chrome::new("", Some(&s)),
                error_current: c,
                error_new: n,
            },
        )
            .into_response()
    };
    if f.new != f.confirm {
        return Ok(page(None, Some("Mật khẩu nhập lại không khớp.".into())));
    }
    match auth::change_password(
        &st.store,
        &s.who(),
        s.user.id,
        &f.current,
        &f.new,
        s.cookie.as_deref(),
    )
    .await
    {
        Ok(()) => Ok(redirect_with_flash(&st, "/", "Đã đổi mật khẩu.")),
        Err(thidua_app::AppError::Password(auth::PasswordError::WrongCurrent)) => Ok(page(
            Some(auth::PasswordError::WrongCurrent.to_string()),
            None,
        )),
        Err(thidua_app::AppError::Password(e)) => Ok(page(None, Some(e.to_string()))),
        Err(e) => Err(e.into()),
    }
}
