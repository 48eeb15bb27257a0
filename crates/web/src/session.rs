//! Who is asking: the session cookie or API token of a request, CSRF
//! checks, cookies and flash messages.

use crate::{AppState, WebError};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use std::net::SocketAddr;
use thidua_app::auth;
use thidua_store::{UserRow, Who};

pub const SESSION_COOKIE: &str = "thidua_session";
pub const LOGIN_CSRF_COOKIE: &str = "thidua_login_csrf";
pub const FLASH_COOKIE: &str = "thidua_flash";

/// A signed-in user, by session cookie (browser) or bearer token (API client).
#[derive(Debug, Clone)]
pub struct Session {
    pub user: UserRow,
    /// The session's CSRF token; `None` for token clients, which have no cookie to abuse.
    pub csrf: Option<String>,
    pub cookie: Option<String>,
    pub ip: Option<String>,
    /// A flash message left by the previous request.
    pub flash: Option<String>,
}

impl Session {
    pub fn who(&self) -> Who {
        Who {
            user_id: Some(self.user.id),
            login: self.user.login.clone(),
            ip: self.ip.clone(),
        }
    }

    /// A state-changing form must carry the session's token.
    pub fn check_form_csrf(&self, sent: &str) -> Result<(), WebError> {
        match &self.csrf {
            Some(expected) if constant_time_eq(expected.as_bytes(), sent.as_bytes()) => Ok(()),
            Some(_) => Err(WebError::Csrf),
            None => Ok(()),
        }
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, whole site, Secure
/// when served over TLS.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn flash_cookie(message: &str, secure: bool) -> HeaderValue {
    set_cookie(FLASH_COOKIE, &percent_encode(message), 60, secure)
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The client's address: the TCP peer, or — when the peer is one of the
/// configured proxies — the last address in `X-Forwarded-For` that is not
/// itself a configured proxy. A forwarded header from anyone else is
/// ignored, so a client cannot choose its own address (and its own rate
/// limit bucket) by sending one.
pub fn client_ip(parts: &Parts, trusted: &[std::net::IpAddr]) -> Option<String> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip())?;
    Some(forwarded_client(peer, &parts.headers, trusted).to_string())
}

/// [`client_ip`]'s rule, apart from the request.
pub fn forwarded_client(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|h| h.trim().parse::<std::net::IpAddr>())
        .collect::<Result<_, _>>()
        // A malformed header is no client address at all: the proxy's.
        .unwrap_or_default();
    hops.into_iter()
        .rev()
        .find(|h| !trusted.contains(h))
        .unwrap_or(peer)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The session of a request, if any.
pub async fn resolve(st: &AppState, parts: &Parts) -> Result<Option<Session>, WebError> {
    let ip = client_ip(parts, &st.config.trusted_proxies);
    let flash = cookie(&parts.headers, FLASH_COOKIE)
        .map(percent_decode)
        .filter(|s| !s.is_empty());
    if let Some(token) = bearer(&parts.headers) {
        return Ok(auth::token_user(&st.store, token)
            .await?
            .map(|user| Session {
                user,
                csrf: None,
                cookie: None,
                ip,
                flash: None,
            }));
    }
    let Some(c) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(auth::session(&st.store, c).await?.map(|info| Session {
        user: info.user,
        csrf: Some(info.csrf_token),
        cookie: Some(c.to_owned()),
        ip,
        flash,
    }))
}

/// The client's address, when the server knows it.
pub struct ClientIp(pub Option<String>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, &st.config.trusted_proxies)))
    }
}

/// Extracts the optional session of a page request.
pub struct MaybeSession(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeSession(resolve(st, parts).await?))
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        match resolve(st, parts).await? {
            Some(s) => Ok(s),
            None => Err(WebError::LoginRequired(
                parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| "/".into()),
            )),
        }
    }
}

/// The session of an API request. A browser session changing anything must
/// also send its CSRF token in `X-CSRF-Token`.
pub struct ApiSession(pub Session);

impl FromRequestParts<AppState> for ApiSession {
    type Rejection = crate::api::ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        use crate::api::ApiError;
        let s = resolve(st, parts)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::Unauthorized)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe && let Some(expected) = &s.csrf {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(expected.as_bytes(), sent.as_bytes()) {
                return Err(ApiError::Csrf);
            }
        }
        Ok(ApiSession(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_messages_survive_the_cookie() {
        let m = "Đã thêm đơn vị «Thôn 1»; 100% xong";
        assert_eq!(percent_decode(&percent_encode(m)), m);
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; thidua_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
