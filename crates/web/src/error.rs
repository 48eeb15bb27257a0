//! The web layer's one error type and the Vietnamese page or typed answer
//! each error becomes.

use super::state::UPLOAD_FILE_LIMIT;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// Errors a page request can end in, each with its page and status.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("cần đăng nhập")]
    LoginRequired(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("biểu mẫu không hợp lệ (CSRF)")]
    Csrf,
    #[error("quá nhiều yêu cầu")]
    TooMany,
    #[error("{0}")]
    TooLarge(String),
    /// Input refused as it stands (422), with a sentence naming the field.
    #[error("{0}")]
    Unprocessable(String),
    /// The database is away (503): try again shortly.
    #[error("cơ sở dữ liệu tạm thời không truy cập được")]
    Unavailable,
    #[error("lỗi hệ thống: {0}")]
    Internal(String),
}

impl From<thidua_app::AppError> for WebError {
    fn from(e: thidua_app::AppError) -> Self {
        use thidua_app::AppError as A;
        match e {
            A::NotFound(m) => WebError::NotFound(format!("Không tìm thấy {m}.")),
            A::Invalid { message, .. } => WebError::BadRequest(message),
            A::TooMany(_) => WebError::TooMany,
            A::Fields(problems) => WebError::BadRequest(
                problems
                    .into_iter()
                    .map(|p| p.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            A::Password(p) => WebError::BadRequest(p.to_string()),
            A::Denied(d) => d.into(),
            A::Store(s) => s.into(),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<thidua_store::StoreError> for WebError {
    fn from(e: thidua_store::StoreError) -> Self {
        use thidua_store::StoreError as S;
        match e {
            S::NotFound(m) => WebError::NotFound(format!("Không tìm thấy {m}.")),
            S::Conflict(m) => WebError::BadRequest(m),
            S::Org(o) => WebError::BadRequest(o.to_string()),
            other if other.is_unavailable() => {
                tracing::warn!(error = %other, "database unavailable");
                WebError::Unavailable
            }
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<thidua_domain::policy::Denied> for WebError {
    fn from(d: thidua_domain::policy::Denied) -> Self {
        WebError::Forbidden(format!("Bạn không có quyền truy cập: {d}."))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match &self {
            WebError::LoginRequired(next) => {
                let to = format!("/dang-nhap?tiep={}", crate::chrome::url_encode(next));
                return Redirect::to(&to).into_response();
            }
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Yêu cầu không hợp lệ", m.clone()),
            WebError::NotFound(m) => (StatusCode::NOT_FOUND, "Không tìm thấy", m.clone()),
            WebError::Forbidden(m) => (StatusCode::FORBIDDEN, "Không có quyền truy cập", m.clone()),
            WebError::Csrf => (
                StatusCode::FORBIDDEN,
                "Biểu mẫu không hợp lệ",
                "Biểu mẫu đã hết hạn hoặc không xuất phát từ thidua. Vui lòng tải lại trang và thử lại.".to_owned(),
            ),
            WebError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "Tệp quá lớn", m.clone()),
            WebError::Unprocessable(m) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Dữ liệu không hợp lệ",
                m.clone(),
            ),
            WebError::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                "Quá nhiều yêu cầu",
                "Bạn đã thử quá nhiều lần trong một phút. Vui lòng đợi rồi thử lại.".to_owned(),
            ),
            WebError::Unavailable => {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(axum::http::header::RETRY_AFTER, "5")],
                    crate::chrome::error_page("Hệ thống tạm thời gián đoạn", UNAVAILABLE),
                )
                    .into_response();
            }
            WebError::Internal(m) => {
                // The cause goes to the log; people get a plain sentence.
                tracing::error!(error = %m, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Lỗi hệ thống",
                    "Đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.".to_owned(),
                )
            }
        };
        (status, crate::chrome::error_page(heading, &message)).into_response()
    }
}

/// What people read while the database is away.
pub const UNAVAILABLE: &str = "Cơ sở dữ liệu đang tạm thời gián đoạn. Những gì đã ghi vẫn còn nguyên; vui lòng thử lại sau ít phút.";

/// A multipart body that could not be read, in words: too large for the
/// route (413, with the route's limit), or cut off or malformed. The
/// library's own text goes to the log only.
pub fn upload_error(e: axum::extract::multipart::MultipartError) -> WebError {
    tracing::info!(error = %e, "multipart body refused");
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::TooLarge(format!(
            "Tệp quá lớn: tối đa {} MB mỗi lần tải lên.",
            UPLOAD_FILE_LIMIT / 1024 / 1024
        ))
    } else {
        WebError::BadRequest(
            "Biểu mẫu tải lên bị lỗi hoặc bị cắt ngang; vui lòng chọn tệp và gửi lại.".into(),
        )
    }
}
