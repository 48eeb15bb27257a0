//! What the dossier pages share: the actor, dates, verdict labels, forms.

use crate::pages::{redirect_with_error, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use axum::response::Response;
use thidua_app::AppError;
use thidua_domain::VnDate;

pub(super) fn by(s: &Session) -> (thidua_store::Who, time::Date) {
    (s.who(), today_vn())
}

pub(super) fn parse_date(field: &str, v: &str) -> Result<Option<time::Date>, String> {
    match v.trim() {
        "" => Ok(None),
        t => VnDate::parse(t)
            .map(|d| Some(d.0))
            .map_err(|e| format!("{field}: {e}")),
    }
}

/// A form whose checkboxes repeat `key`: the checked ids apart, the rest
/// read into `T`.
pub(crate) fn form_with_checked<T: serde::de::DeserializeOwned>(
    body: &str,
    key: &str,
) -> Result<(Vec<i64>, T), WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body)
        .map_err(|e| WebError::BadRequest(format!("Biểu mẫu không hợp lệ: {e}")))?;
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == key)
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let rest: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != key).collect();
    let f: T = serde_urlencoded::from_str(
        &serde_urlencoded::to_string(&rest).map_err(|e| WebError::Internal(e.to_string()))?,
    )
    .map_err(|e| WebError::BadRequest(format!("Biểu mẫu không hợp lệ: {e}")))?;
    Ok((ids, f))
}

/// A refused change goes back to the page with the reason; nothing was
/// written.
pub(crate) fn outcome<T>(
    st: &AppState,
    back: &str,
    ok: &str,
    r: Result<T, AppError>,
) -> Result<Response, WebError> {
    match r {
        Ok(_) => Ok(redirect_with_flash(st, back, ok)),
        Err(AppError::Invalid { message, .. }) => Ok(redirect_with_error(
            st,
            back,
            &format!("Chưa ghi: {message}."),
        )),
        Err(AppError::Store(thidua_store::StoreError::Conflict(m))) => {
            Ok(redirect_with_error(st, back, &format!("Chưa ghi: {m}.")))
        }
        Err(e) => Err(e.into()),
    }
}

/// HH:MM in Việt Nam of a stored UTC timestamp.
pub(super) fn local_time(at: &str) -> String {
    let (Some(h), Some(m)) = (
        at.get(11..13).and_then(|h| h.parse::<u32>().ok()),
        at.get(14..16),
    ) else {
        return String::new();
    };
    format!("{:02}:{m}", (h + 7) % 24)
}
