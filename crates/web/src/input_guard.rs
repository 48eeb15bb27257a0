//! Ký tự điều khiển — NUL and the other control characters have no place
//! in anything a person types, and PostgreSQL refuses NUL in text (which
//! made six forms answer 500 there while SQLite stored it silently). They
//! are refused here, at the edge, before any handler runs: in the path and
//! query, in form bodies and in JSON bodies, each time naming the field.
//! Tab, line feed and carriage return stay allowed (text areas).
//! Multipart bodies carry files, which are binary by nature; their text
//! fields and file names are cleaned where they are read.

use crate::api::ApiError;
use crate::{BODY_LIMIT, WebError};
use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A character nobody types: C0 controls other than tab and line breaks,
/// DEL and the C1 controls.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// The first field of `pairs` holding a forbidden character.
fn bad_pair<'a>(
    pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) -> Option<String> {
    for (k, v) in pairs {
        if k.chars().any(is_forbidden) || v.chars().any(is_forbidden) {
            return Some(k.chars().filter(|c| !is_forbidden(*c)).take(60).collect());
        }
    }
    None
}

/// The path of the first JSON string (key or value) holding one.
fn bad_json(v: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) if s.chars().any(is_forbidden) => Some(path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| bad_json(x, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.chars().any(is_forbidden) {
                Some(p.chars().filter(|c| !is_forbidden(*c)).collect())
            } else {
                bad_json(x, &p)
            }
        }),
        _ => None,
    }
}

fn refuse(api: bool, field: String) -> Response {
    let message = format!(
        "Trường «{field}» chứa ký tự điều khiển (như NUL) không được phép; hãy nhập lại bằng chữ thường."
    );
    if api {
        ApiError::Validation { field, message }.into_response()
    } else {
        WebError::Unprocessable(message).into_response()
    }
}

/// The largest form or JSON body a path takes.
fn form_limit(path: &str) -> usize {
    if path == crate::IMPORT_CONFIRM_PATH || path == crate::STAFF_CONFIRM_PATH {
        crate::CONFIRM_LIMIT
    } else {
        BODY_LIMIT
    }
}

fn too_large(api: bool) -> Response {
    let message = format!(
        "Yêu cầu quá lớn: biểu mẫu gửi tối đa {} MB.",
        BODY_LIMIT / (1024 * 1024)
    );
    if api {
        ApiError::TooLarge(message).into_response()
    } else {
        WebError::TooLarge(message).into_response()
    }
}

pub async fn refuse_control_chars(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let path = percent_decode_lossy(req.uri().path());
    if path.chars().any(is_forbidden) {
        return refuse(api, "đường dẫn".into());
    }
    if let Some(q) = req.uri().query()
        && let Some(field) = bad_pair(form_urlencoded::parse(q.as_bytes()))
    {
        return refuse(api, field);
    }
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = kind.starts_with("application/x-www-form-urlencoded");
    let json = kind.starts_with("application/json");
    if !form && !json {
        return next.run(req).await;
    }
    // Forms and JSON are small, except the import confirmation that
    // carries its checked file back. A declared length past the limit is
    // refused at once: waiting for a body we will refuse anyway would let
    // a client hold a connection (and this task) open for nothing.
    let limit = form_limit(req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(api);
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return too_large(api);
    };
    let field = if form {
        bad_pair(form_urlencoded::parse(&bytes))
    } else {
        // Invalid JSON is left for the handler to refuse with its own words.
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| bad_json(&v, ""))
    };
    if let Some(field) = field {
        return refuse(api, field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A multipart text field, refused (422, naming it) if it holds a control
/// character.
pub fn multipart_text(field: &str, value: String) -> Result<String, WebError> {
    if value.chars().any(is_forbidden) {
        return Err(WebError::Unprocessable(format!(
            "Trường «{field}» chứa ký tự điều khiển (như NUL) không được phép; hãy nhập lại bằng chữ thường."
        )));
    }
    Ok(value)
}

/// An uploaded file's name as kept: without control characters or path.
pub fn file_name(raw: Option<&str>) -> String {
    let base = raw.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !is_forbidden(*c))
        .take(200)
        .collect();
    if clean.trim().is_empty() {
        "tep".into()
    } else {
        clean.trim().to_owned()
    }
}

fn percent_decode_lossy(s: &str) -> String {
    crate::session::percent_decode(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_with_their_field() {
        assert_eq!(
            bad_pair(form_urlencoded::parse(b"name=Hoa&unit=%00x")),
            Some("unit".into())
        );
        assert_eq!(
            bad_pair(form_urlencoded::parse(
                b"body=d%C3%B2ng+1%0D%0Ad%C3%B2ng+2%09"
            )),
            None
        );
        let v: serde_json::Value =
            serde_json::from_str(r#"{"history":{"ratings":[{"year":2024},{"note":"a\u0000"}]}}"#)
                .unwrap();
        assert_eq!(bad_json(&v, ""), Some("history.ratings[1].note".into()));
        assert!(is_forbidden('\u{7f}') && is_forbidden('\u{85}') && !is_forbidden('đ'));
    }
}
