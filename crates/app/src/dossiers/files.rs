//! Documents attached to a dossier: kinds, limits, checks.

use super::access::{By, editable};
use crate::AppResult;
use crate::invalid;
use sha2::{Digest, Sha256};
use thidua_domain::dossier::DossierId;
use thidua_store::{NewDossierFile, Store};

/// The largest file a dossier takes.
pub const MAX_UPLOAD: usize = thidua_sheets::LIMITS.max_file_bytes;

/// Checks an upload by its content, not its name: PDF or DOCX only.
/// Returns the content type it will be served with and its SHA-256.
pub fn check_upload(file_name: &str, bytes: &[u8]) -> AppResult<(&'static str, String)> {
    if bytes.is_empty() {
        return Err(invalid("file", "Tệp rỗng"));
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(invalid(
            "file",
            format!(
                "Tệp «{file_name}» quá lớn ({} MB); tối đa {} MB",
                bytes.len().div_ceil(1024 * 1024),
                MAX_UPLOAD / 1024 / 1024
            ),
        ));
    }
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let content_type = if bytes.starts_with(b"%PDF-") {
        if !is_whole_pdf(bytes) {
            return Err(invalid(
                "file",
                format!(
                    "Tệp «{file_name}» bắt đầu như PDF nhưng không trọn vẹn (thiếu phần kết «startxref … %%EOF»): hãy lưu lại tệp PDF rồi tải lên"
                ),
            ));
        }
        "application/pdf"
    } else if bytes.starts_with(b"PK\x03\x04")
        && contains(b"[Content_Types].xml")
        && contains(b"word/document.xml")
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else {
        return Err(invalid(
            "file",
            format!("Tệp «{file_name}» không phải PDF hoặc DOCX (kiểm tra theo nội dung tệp)"),
        ));
    };
    let sha = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    Ok((content_type, sha))
}

/// A PDF as every reader finds it: a version after the header
/// (`%PDF-1.7`), and at its end `startxref`, the offset of the
/// cross-reference inside the file, and `%%EOF`. A file cut off in
/// transfer, or anything else renamed .pdf that starts with `%PDF-`, fails.
pub fn is_whole_pdf(bytes: &[u8]) -> bool {
    let version = bytes
        .get(5..8)
        .is_some_and(|v| v[0].is_ascii_digit() && v[1] == b'.' && v[2].is_ascii_digit());
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let Some(at) = tail.windows(9).rposition(|w| w == b"startxref") else {
        return false;
    };
    let after = &tail[at + 9..];
    let digits: Vec<u8> = after
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take_while(u8::is_ascii_digit)
        .collect();
    let offset_inside = std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| d.parse::<usize>().ok())
        .is_some_and(|o| o > 0 && o < bytes.len());
    let ends = after.windows(5).any(|w| w == b"%%EOF");
    version && offset_inside && ends
}

/// A small, whole PDF (a catalogue with no pages) carrying `note` as a
/// comment: what tests and examples upload where any PDF will do.
pub fn sample_pdf(note: &str) -> Vec<u8> {
    let mut out = format!("%PDF-1.4\n% {}\n", note.replace(['\r', '\n'], " ")).into_bytes();
    let mut offsets = Vec::new();
    for body in [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [] /Count 0 >>",
    ] {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj {body} endobj\n", offsets.len()).bytes());
    }
    let xref = out.len();
    out.extend(b"xref\n0 3\n0000000000 65535 f \n");
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer << /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").bytes());
    out
}

/// A file name safe to store and to serve in a header: no control
/// characters, slashes or quotes, at most 200 characters, never empty.
pub fn clean_file_name(file_name: &str) -> String {
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .take(200)
        .collect();
    if name.is_empty() {
        "tep".to_owned()
    } else {
        name
    }
}

pub const FILE_KINDS: [(&str, &str); 4] = [
    ("letter", "Tờ trình"),
    ("report", "Báo cáo thành tích"),
    ("minutes", "Biên bản họp Hội đồng TĐKT đơn vị"),
    ("other", "Tài liệu khác"),
];

pub async fn attach(
    store: &Store,
    by: &By<'_>,
    id: DossierId,
    kind: &str,
    line: Option<i64>,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<i64> {
    let (user, who, today) = (by.user, by.who, by.today);
    editable(store, user, id, today).await?;
    let kind = FILE_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(k, _)| *k)
        .ok_or_else(|| invalid("kind", format!("Loại tài liệu «{kind}» không hợp lệ")))?;
    let (content_type, sha) = check_upload(file_name, bytes)?;
    let name = clean_file_name(file_name);
    Ok(store
        .attach_dossier_file(
            who,
            id,
            &NewDossierFile {
                line_id: line,
                kind,
                file_name: &name,
                content_type,
                sha256: &sha,
                content: bytes,
            },
        )
        .await?)
}
