//! Files that pages send and receive: uploads read within limits, downloads
//! with their type and name.

use crate::WebError;
use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The `_csrf` field and the first file of a multipart form.
pub(crate) async fn read_multipart(
    mp: &mut Multipart,
) -> Result<(String, Option<(String, Vec<u8>)>), WebError> {
    let bad = crate::upload_error;
    let mut csrf = String::new();
    let mut file = None;
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = crate::input_guard::file_name(field.file_name());
                let bytes = field.bytes().await.map_err(bad)?;
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    Ok((csrf, file))
}

/// The stored content type as served: only the types uploads are checked
/// for are named; anything else goes out as plain bytes.
pub(crate) fn content_type_static(ct: &str) -> &'static str {
    match ct {
        "application/pdf" => "application/pdf",
        DOCX => DOCX,
        _ => "application/octet-stream",
    }
}

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Always an attachment, never rendered in the browser.
pub(crate) fn attachment(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    // An ASCII fallback name plus the UTF-8 one (RFC 6266).
    let ascii: String = thidua_domain::text::fold(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::pages::url_encode(name)
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
