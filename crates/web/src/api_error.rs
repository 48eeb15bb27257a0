//! The API's one error type, answered as `{"error": {"code", "message"}}`
//! with its own status, and the query extractor whose rejections are typed.

use crate::WebError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use thidua_domain::policy::Denied;
use thidua_store::StoreError;
use utoipa::ToSchema;

// ---------------------------------------------------------------- errors

/// Every API error, as `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug)]
pub enum ApiError {
    Unauthorized,
    Forbidden(String),
    Csrf,
    NotFound(String),
    BadRequest(String),
    Validation {
        field: String,
        message: String,
    },
    /// A body that does not parse into the request's shape (400), with the
    /// field at fault where one is known.
    Malformed {
        field: String,
        message: String,
    },
    Conflict(String),
    /// A body past the request's limit (413).
    TooLarge(String),
    /// Too many requests from this client (429).
    TooMany,
    /// The database is away for now (503).
    Unavailable,
    /// Rows of an import refused, each with its line and column.
    Rows(Vec<thidua_app::admin_units::Problem>),
    Internal(String),
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code: unauthorized, forbidden, csrf, not_found, bad_request, validation, conflict, too_large, too_many, unavailable, internal.
    pub code: String,
    /// A Vietnamese sentence for people.
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For refused imports: every problem with its line and column.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ProblemDto {
    /// 1-based line of the input (the header is line 1; 0 when not about a line).
    pub line: u64,
    pub column: Option<usize>,
    pub column_name: Option<String>,
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut problems = Vec::new();
        let (status, code, message, field) = match self {
            ApiError::Rows(rows) => {
                let message = format!(
                    "{} lỗi trong dữ liệu gửi lên; không có gì được ghi.",
                    rows.len()
                );
                problems = rows
                    .into_iter()
                    .map(|p| ProblemDto {
                        line: p.line,
                        column: p.column,
                        column_name: p.column_name,
                        message: p.message,
                    })
                    .collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    message,
                    None,
                )
            }
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Cần đăng nhập hoặc mã truy cập hợp lệ.".to_owned(),
                None,
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m, None),
            ApiError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token).".to_owned(),
                None,
            ),
            ApiError::NotFound(m) => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("Không tìm thấy {m}."),
                None,
            ),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m, None),
            ApiError::Validation { field, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                message,
                Some(field),
            ),
            ApiError::Malformed { field, message } => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                message,
                (!field.is_empty()).then_some(field),
            ),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m, None),
            ApiError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", m, None),
            ApiError::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many",
                "Quá nhiều yêu cầu; vui lòng đợi rồi thử lại.".to_owned(),
                None,
            ),
            ApiError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                crate::UNAVAILABLE.to_owned(),
                None,
            ),
            ApiError::Internal(m) => {
                tracing::error!(error = %m, "API request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Lỗi hệ thống; vui lòng thử lại sau.".to_owned(),
                    None,
                )
            }
        };
        (
            status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code: code.into(),
                    message,
                    field,
                    problems,
                },
            }),
        )
            .into_response()
    }
}

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        match e {
            WebError::BadRequest(m) => ApiError::BadRequest(m),
            WebError::NotFound(m) => ApiError::NotFound(m),
            WebError::LoginRequired(_) => ApiError::Unauthorized,
            WebError::Forbidden(m) => ApiError::Forbidden(m),
            WebError::Csrf => ApiError::Csrf,
            WebError::TooMany => ApiError::TooMany,
            WebError::TooLarge(m) => ApiError::TooLarge(m),
            WebError::Unavailable => ApiError::Unavailable,
            WebError::Unprocessable(m) => ApiError::Validation {
                field: String::new(),
                message: m,
            },
            WebError::Internal(m) => ApiError::Internal(m),
        }
    }
}

impl From<thidua_app::AppError> for ApiError {
    fn from(e: thidua_app::AppError) -> Self {
        use thidua_app::AppError as A;
        match e {
            A::Invalid { field, message } => ApiError::Validation {
                field: field.into(),
                message,
            },
            // The API names one field: the first wrong one.
            A::Fields(mut problems) if !problems.is_empty() => {
                let first = problems.remove(0);
                ApiError::Validation {
                    field: first.field.into(),
                    message: first.message,
                }
            }
            A::Password(p) => ApiError::Validation {
                field: "password".into(),
                message: p.to_string(),
            },
            A::NotFound(m) => ApiError::NotFound(m),
            A::TooMany(_) => ApiError::TooMany,
            A::Denied(d) => d.into(),
            A::Import(rows) => ApiError::Rows(rows),
            A::Store(s) => s.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => ApiError::NotFound(m),
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::Org(o) => ApiError::Validation {
                field: "unit".into(),
                message: o.to_string(),
            },
            other if other.is_unavailable() => ApiError::Unavailable,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<Denied> for ApiError {
    fn from(d: Denied) -> Self {
        ApiError::Forbidden(format!("Không có quyền: {d}."))
    }
}
