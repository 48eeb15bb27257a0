//! Nhập danh sách cán bộ: the template, an upload that is only checked
//! (every problem by row and column; what each row would do), and the
//! confirmation that writes the checked file whole.

use crate::chrome::{Chrome, today_vn};
use crate::pages::redirect_with_flash;
use crate::registry_import::{ProblemLine, hex, problem_lines, unhex};
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
use thidua_app::people::{self, StaffPlan, StaffPreview};
use thidua_domain::policy::{Action, role_allows};

#[derive(Template, WebTemplate)]
#[template(path = "staff_import.html")]
struct StaffPage {
    chrome: Chrome,
    file: String,
    problems: Vec<ProblemLine>,
    plan: Option<StaffPreview>,
    lines: Vec<(u64, String, String, String)>,
    data: String,
    sha256: String,
    message: Option<String>,
}

impl StaffPage {
    fn new(s: &Session) -> StaffPage {
        StaffPage {
            chrome: Chrome::new("ca-nhan", Some(s)),
            file: String::new(),
            problems: Vec::new(),
            plan: None,
            lines: Vec::new(),
            data: String::new(),
            sha256: String::new(),
            message: None,
        }
    }
}

/// The session of someone who keeps staff lists; as an extractor it runs
/// before the body is read.
pub struct StaffImporter(Session);

impl axum::extract::FromRequestParts<AppState> for StaffImporter {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        st: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let s = Session::from_request_parts(parts, st).await?;
        if role_allows(s.user.role, Action::ManagePeople) {
            Ok(StaffImporter(s))
        } else {
            Err(WebError::Forbidden(
                "Vai trò của bạn không quản lý danh sách cán bộ.".into(),
            ))
        }
    }
}

pub async fn form(StaffImporter(s): StaffImporter) -> Result<Response, WebError> {
    Ok(StaffPage::new(&s).into_response())
}

pub async fn template(StaffImporter(_s): StaffImporter) -> Result<Response, WebError> {
    Ok(crate::movements::attachment(
        "Mẫu danh sách cán bộ.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        people::staff_template()?,
    ))
}

fn what(plan: &StaffPlan) -> String {
    match plan {
        StaffPlan::New => "Thêm mới".into(),
        StaffPlan::Join { person } => format!("Chuyển đến (mã cá nhân {person})"),
        StaffPlan::Unchanged { person } => format!("Đã có trong đơn vị (mã {person}) — bỏ qua"),
        StaffPlan::Namesake { people } => format!(
            "Trùng họ tên và ngày sinh với mã {} ở đơn vị khác — cần xác nhận",
            people
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn outcome(
    mut page: StaffPage,
    file: &str,
    bytes: &[u8],
    result: Result<StaffPreview, AppError>,
) -> Result<Response, WebError> {
    page.file = file.to_owned();
    match result {
        Ok(plan) => {
            page.data = hex(bytes);
            page.sha256 = plan.sha256.clone();
            page.lines = plan
                .rows
                .iter()
                .map(|r| {
                    (
                        r.line,
                        format!("{} ({})", r.name, r.birth),
                        r.unit_name.clone(),
                        what(&r.plan),
                    )
                })
                .collect();
            page.plan = Some(plan);
            let status = if page.message.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            Ok((status, page).into_response())
        }
        Err(AppError::Import(problems)) => {
            page.problems = problem_lines(problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn check(
    State(st): State<AppState>,
    StaffImporter(s): StaffImporter,
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
    let result =
        people::preview_staff(&st.store, Enterer::User(&s.user), today_vn(), &name, &bytes).await;
    outcome(StaffPage::new(&s), &name, &bytes, result)
}

#[derive(Deserialize)]
pub struct Confirm {
    #[serde(rename = "_csrf")]
    csrf: String,
    file: String,
    data: String,
    sha256: String,
    #[serde(default)]
    namesakes_confirmed: Option<String>,
}

pub async fn confirm(
    State(st): State<AppState>,
    StaffImporter(s): StaffImporter,
    Form(f): Form<Confirm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let bytes = unhex(&f.data)
        .filter(|b| thidua_app::auth::sha256_bytes(b) == f.sha256)
        .ok_or_else(|| WebError::BadRequest("Tệp đã kiểm tra bị hỏng; hãy tải lên lại.".into()))?;
    let user = Enterer::User(&s.user);
    match people::import_staff(
        &st.store,
        &s.who(),
        user,
        today_vn(),
        &f.file,
        &bytes,
        f.namesakes_confirmed.is_some(),
    )
    .await
    {
        Ok((plan, done)) => Ok(redirect_with_flash(
            &st,
            "/ca-nhan",
            &format!(
                "Đã nhập danh sách «{}»: {} người mới, {} chuyển đến, {} đã có.",
                plan.file,
                done.created.len(),
                done.joined.len(),
                plan.unchanged
            ),
        )),
        Err(e @ AppError::Import(_)) => outcome(StaffPage::new(&s), &f.file, &bytes, Err(e)),
        Err(AppError::Invalid { message, .. }) => {
            let mut page = StaffPage::new(&s);
            page.message = Some(message);
            let again = people::preview_staff(&st.store, user, today_vn(), &f.file, &bytes).await;
            outcome(page, &f.file, &bytes, again)
        }
        Err(e) => Err(e.into()),
    }
}
