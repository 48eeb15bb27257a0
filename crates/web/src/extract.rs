//! Extractors whose refusals speak Vietnamese: axum's own answer a path,
//! query or body that does not parse with English text/plain
//! («Invalid URL: Cannot parse `abc` to a `i64`», «Failed to deserialize
//! the JSON body…»). Pages get the error page, the API its JSON envelope
//! naming the field.

use crate::WebError;
use crate::api::ApiError;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;

/// A path parameter for pages: one that does not parse is a page that
/// does not exist (404).
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|_| WebError::NotFound("Trang này không tồn tại.".into()))
    }
}

/// A path parameter for the API: 404 in the JSON envelope.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|_| {
                ApiError::NotFound(format!(
                    "«{}» (mã trong đường dẫn không hợp lệ)",
                    parts.uri.path()
                ))
            })
    }
}

/// A JSON body for the API: a body that does not parse is a 422 naming the
/// field at fault (`history.ratings[1].year`) in Vietnamese.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
        if !json {
            return Err(ApiError::BadRequest(
                "Nội dung phải là JSON (Content-Type: application/json).".into(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                ApiError::BadRequest("Nội dung yêu cầu quá lớn hoặc bị cắt ngang.".into())
            })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de)
            .map(ApiJson)
            .map_err(|e| {
                let field = e.path().to_string();
                let inner = e.into_inner();
                let message = match inner.classify() {
                    serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                        format!(
                            "JSON sai cú pháp ở dòng {}, cột {}.",
                            inner.line(),
                            inner.column()
                        )
                    }
                    _ => in_vietnamese(&inner.to_string()),
                };
                // A body that does not fit the request's shape is a bad
                // request (400), with the field at fault named.
                if field == "." || field.is_empty() {
                    // A missing field is named by the message, not the path.
                    let missing = message
                        .strip_prefix("thiếu trường «")
                        .and_then(|m| m.strip_suffix('»'))
                        .unwrap_or_default()
                        .to_owned();
                    ApiError::Malformed {
                        field: missing,
                        message,
                    }
                } else {
                    ApiError::Malformed { field, message }
                }
            })
    }
}

/// serde's messages in Vietnamese. A message that is already Vietnamese
/// (the domain's own parsers speak it) is kept; serde's English ones are
/// recognised by their shape, the position suffix dropped.
pub fn in_vietnamese(message: &str) -> String {
    let m = message.split(" at line ").next().unwrap_or(message);
    if !m.is_ascii() {
        return m.to_owned();
    }
    let quoted = |m: &str| m.split('`').nth(1).unwrap_or("").to_owned();
    if m.starts_with("missing field") {
        format!("thiếu trường «{}»", quoted(m))
    } else if m.starts_with("unknown field") {
        format!("trường «{}» không có trong mẫu", quoted(m))
    } else if m.starts_with("unknown variant") {
        format!("giá trị «{}» không nằm trong danh sách cho phép", quoted(m))
    } else if m.starts_with("invalid type") {
        let expected = m.split("expected ").nth(1).unwrap_or("");
        format!("sai kiểu dữ liệu (cần {})", kind_in_vietnamese(expected))
    } else if m.starts_with("invalid length") {
        "số phần tử không đúng".to_owned()
    } else if m.starts_with("duplicate field") {
        format!("trường «{}» bị lặp", quoted(m))
    } else {
        "giá trị không hợp lệ".to_owned()
    }
}

fn kind_in_vietnamese(expected: &str) -> &'static str {
    let e = expected.to_ascii_lowercase();
    if e.contains("i64")
        || e.contains("i32")
        || e.contains("u32")
        || e.contains("u64")
        || e.contains("integer")
    {
        "số nguyên"
    } else if e.contains("f64") || e.contains("number") {
        "số"
    } else if e.contains("string") || e.contains("str") {
        "chuỗi ký tự"
    } else if e.contains("bool") {
        "true hoặc false"
    } else if e.contains("sequence") || e.contains("array") {
        "danh sách"
    } else if e.contains("map") || e.contains("struct") {
        "đối tượng"
    } else {
        "giá trị đúng kiểu"
    }
}

/// A body read as text: bytes that are not UTF-8 are refused in Vietnamese
/// (axum's `String` answers English text/plain).
async fn utf8_body<S: Send + Sync>(req: Request, state: &S) -> Result<String, &'static str> {
    let bytes = axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|_| "Nội dung yêu cầu quá lớn hoặc bị cắt ngang.")?;
    String::from_utf8(bytes.to_vec()).map_err(|_| "Nội dung gửi lên không phải văn bản UTF-8.")
}

/// A body kept as text, for the API.
pub struct ApiTextBody(pub String);

impl<S: Send + Sync> FromRequest<S> for ApiTextBody {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        utf8_body(req, state)
            .await
            .map(ApiTextBody)
            .map_err(|m| ApiError::BadRequest(m.into()))
    }
}

/// `Query` whose rejections are typed API errors.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S>
    for ApiQuery<T>
{
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError::BadRequest(format!(
                "Tham số truy vấn không hợp lệ: {}.",
                in_vietnamese(e.body_text().rsplit(": ").next().unwrap_or_default())
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_english_becomes_vietnamese() {
        assert_eq!(
            in_vietnamese("missing field `year` at line 1 column 2"),
            "thiếu trường «year»"
        );
        assert_eq!(
            in_vietnamese("invalid type: string \"a\", expected i64"),
            "sai kiểu dữ liệu (cần số nguyên)"
        );
        assert_eq!(
            in_vietnamese("ngày không hợp lệ: 31/02/2026"),
            "ngày không hợp lệ: 31/02/2026"
        );
        assert_eq!(
            in_vietnamese("day was not in range"),
            "giá trị không hợp lệ"
        );
    }
}

/// A page's state-changing form with its session, the CSRF token checked
/// once, here, before a byte of the form itself is read: a handler taking
/// `CheckedForm(s, f)` cannot forget the check. The token travels as the
/// form's `_csrf` field; the form's own type need not name it.
pub struct CheckedForm<T>(pub crate::session::Session, pub T);

/// A form that carries nothing but its token: a button.
#[derive(serde::Deserialize)]
pub struct TokenOnly {}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

impl<T: serde::de::DeserializeOwned> FromRequest<crate::AppState> for CheckedForm<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = crate::session::Session::from_request_parts(&mut parts, state).await?;
        // Within the route's body limit, like axum's own form extractor.
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    WebError::TooLarge("Biểu mẫu quá lớn.".into())
                } else {
                    WebError::BadRequest("Biểu mẫu bị cắt ngang; vui lòng gửi lại.".into())
                }
            })?;
        let token: CsrfField = serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::Csrf)?;
        session.check_form_csrf(&token.csrf)?;
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            tracing::info!(error = %e, "form refused");
            WebError::Unprocessable(
                "Biểu mẫu thiếu trường bắt buộc hoặc có giá trị không đúng kiểu; vui lòng tải lại trang và nhập lại."
                    .into(),
            )
        })?;
        Ok(CheckedForm(session, form))
    }
}

/// A form body kept as text (for forms with repeated fields) with its
/// session, the CSRF token checked before the handler reads the rest.
pub struct CheckedText(pub crate::session::Session, pub String);

impl FromRequest<crate::AppState> for CheckedText {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = crate::session::Session::from_request_parts(&mut parts, state).await?;
        let text = utf8_body(Request::from_parts(parts, body), state)
            .await
            .map_err(|m| WebError::BadRequest(m.into()))?;
        let token: CsrfField = serde_urlencoded::from_str(&text).map_err(|_| WebError::Csrf)?;
        session.check_form_csrf(&token.csrf)?;
        Ok(CheckedText(session, text))
    }
}
