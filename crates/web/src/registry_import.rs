//! Nhập sổ khen thưởng: the template to download, an upload that is only
//! checked (every problem listed by sheet, row and column, nothing
//! written), and the confirmation that writes the checked file whole.

use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::movements::Enterer;
use thidua_app::registry_import::{self as app, ImportPlan};

/// Rows shown in the preview; the rest are counted.
const SHOWN: usize = 200;

pub struct ProblemLine {
    pub place: String,
    pub line: u64,
    pub column: String,
    pub message: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "registry_import.html")]
struct ImportPage {
    chrome: Chrome,
    file: String,
    problems: Vec<ProblemLine>,
    plan: Option<ImportPlan>,
    shown: usize,
    /// The checked file, carried to the confirmation as hex.
    data: String,
    sha256: String,
}

impl ImportPage {
    fn new(s: &Session) -> ImportPage {
        ImportPage {
            chrome: Chrome::new("so", Some(s)),
            file: String::new(),
            problems: Vec::new(),
            plan: None,
            shown: SHOWN,
            data: String::new(),
            sha256: String::new(),
        }
    }
}

/// Only to those who may import: a form nobody can send is a dead end.
pub async fn form(Importer(s): Importer) -> Result<Response, WebError> {
    Ok(ImportPage::new(&s).into_response())
}

pub async fn template(State(st): State<AppState>, _s: Session) -> Result<Response, WebError> {
    let bytes = app::template(&st.store).await?;
    Ok(crate::movements::attachment(
        "Mẫu nhập sổ khen thưởng.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

/// A file's problems as the import pages list them.
pub(crate) fn problem_lines(problems: Vec<thidua_app::admin_units::Problem>) -> Vec<ProblemLine> {
    problems
        .into_iter()
        .map(|p| ProblemLine {
            place: p.file,
            line: p.line,
            column: p.column_name.unwrap_or_default(),
            message: p.message,
        })
        .collect()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Shows the result of a check: the problems, or the rows and the form
/// that writes them.
fn outcome(
    mut page: ImportPage,
    file: &str,
    bytes: &[u8],
    result: Result<ImportPlan, AppError>,
) -> Result<Response, WebError> {
    page.file = file.to_owned();
    match result {
        Ok(plan) => {
            page.data = hex(bytes);
            page.sha256 = plan.sha256.clone();
            page.plan = Some(plan);
            Ok(page.into_response())
        }
        Err(AppError::Import(problems)) => {
            page.problems = problem_lines(problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The session of someone who may import old awards. As an extractor it
/// runs before the body's, so a file nobody may import is never read.
pub struct Importer(Session);

impl axum::extract::FromRequestParts<AppState> for Importer {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        st: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let s = Session::from_request_parts(parts, st).await?;
        if app::may_import(&st.store, &s.user, today_vn()).await? {
            Ok(Importer(s))
        } else {
            Err(WebError::Forbidden(
                "Chỉ bộ phận thi đua – khen thưởng của tỉnh hoặc quản trị viên được nhập sổ khen thưởng."
                    .into(),
            ))
        }
    }
}

/// Checks an uploaded file; writes nothing.
pub async fn check(
    State(st): State<AppState>,
    Importer(s): Importer,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let (csrf, file) = crate::movements::read_multipart(&mut mp).await?;
    s.check_form_csrf(&csrf)?;
    let (name, bytes) = file.ok_or_else(|| WebError::BadRequest("Chưa chọn tệp.".into()))?;
    if bytes.len() > crate::UPLOAD_FILE_LIMIT {
        return Err(WebError::TooLarge(format!(
            "Tệp lớn hơn {} MB; hãy chia thành nhiều tệp.",
            crate::UPLOAD_FILE_LIMIT / 1024 / 1024
        )));
    }
    let result = app::preview(&st.store, Enterer::User(&s.user), today_vn(), &name, &bytes).await;
    outcome(ImportPage::new(&s), &name, &bytes, result)
}

#[derive(Deserialize)]
pub struct Confirm {
    #[serde(rename = "_csrf")]
    csrf: String,
    file: String,
    data: String,
    sha256: String,
}

/// Writes a file checked a moment ago: it is checked again (the registry
/// may have changed), and written whole or not at all.
pub async fn confirm(
    State(st): State<AppState>,
    Importer(s): Importer,
    Form(f): Form<Confirm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let bytes = unhex(&f.data)
        .filter(|b| thidua_app::auth::sha256_bytes(b) == f.sha256)
        .ok_or_else(|| WebError::BadRequest("Tệp đã kiểm tra bị hỏng; hãy tải lên lại.".into()))?;
    match app::import(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        today_vn(),
        &f.file,
        &bytes,
    )
    .await
    {
        Ok((plan, _)) => Ok(redirect_with_flash(
            &st,
            "/so-khen-thuong",
            &format!(
                "Đã ghi {} dòng khen thưởng từ tệp «{}» vào sổ.",
                plan.rows.len(),
                plan.file
            ),
        )),
        Err(e @ AppError::Import(_)) => outcome(ImportPage::new(&s), &f.file, &bytes, Err(e)),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let b = b"PK\x03\x04\xff\x00";
        assert_eq!(unhex(&hex(b)).unwrap(), b);
        assert!(unhex("abc").is_none());
        assert!(unhex("zz").is_none());
    }
}
