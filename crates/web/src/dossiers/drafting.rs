//! Drafting a dossier: its header and its lines.

use super::common::{by, outcome, parse_date};
use crate::extract::Path;
use crate::extract::{CheckedForm, TokenOnly};
use crate::pages::{redirect_with_flash, today_vn};
use crate::{AppState, WebError};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::dossiers::{self as app, By};
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{LineStatus, Side};
use thidua_domain::eligibility::request::AwardType;
use thidua_store::{DossierHeader, SubjectRef};

#[derive(Deserialize)]
pub struct HeaderForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    award_type: String,
    #[serde(default)]
    letter_number: String,
    #[serde(default)]
    letter_date: String,
    #[serde(default)]
    letter_signer: String,
}

pub(super) fn header_of(f: &HeaderForm) -> Result<DossierHeader, String> {
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(DossierHeader {
        award_type: match f.award_type.trim() {
            "" => AwardType::Regular,
            t => AwardType::parse(t).map_err(|e| e.to_string())?,
        },
        movement_id: None,
        title: f.title.trim().to_owned(),
        letter_number: opt(&f.letter_number),
        letter_date: parse_date("Ngày tờ trình", &f.letter_date)?,
        letter_signer: opt(&f.letter_signer),
    })
}

pub async fn create(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<HeaderForm>,
) -> Result<Response, WebError> {
    let (who, today) = by(&s);
    let unit = thidua_app::org_view::pick_unit(&st.store, &f.unit, today).await?;
    let h = header_of(&f).map_err(WebError::BadRequest)?;
    match app::create(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        unit,
        &h,
    )
    .await
    {
        Ok(id) => Ok(redirect_with_flash(
            &st,
            &format!("/ho-so/{id}"),
            "Đã tạo dự thảo hồ sơ. Thêm đối tượng đề nghị, tài liệu, rồi gửi.",
        )),
        Err(e) => outcome(&st, "/ho-so", "", Err::<(), _>(e)),
    }
}

pub async fn update_header(
    State(st): State<AppState>,
    Path(id): Path<DossierId>,
    CheckedForm(s, f): CheckedForm<HeaderForm>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let back = format!("/ho-so/{id}");
    let who = s.who();
    let r = async {
        let h = header_of(&f).map_err(|m| AppError::Invalid {
            field: "header",
            message: m,
        })?;
        let by = By {
            user: &s.user,
            who: &who,
            today,
        };
        app::update_header(&st.store, &by, id, &h).await
    }
    .await;
    outcome(&st, &back, "Đã ghi thông tin hồ sơ.", r)
}

#[derive(Deserialize)]
pub struct LineAddForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    period_from: String,
    #[serde(default)]
    period_to: String,
    #[serde(default)]
    summary: String,
}

pub async fn add_line(
    State(st): State<AppState>,
    Path(id): Path<DossierId>,
    CheckedForm(s, f): CheckedForm<LineAddForm>,
) -> Result<Response, WebError> {
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}");
    let year = |v: &str, field: &'static str| {
        v.trim().parse::<i32>().map_err(|_| AppError::Invalid {
            field,
            message: format!("Năm «{}» không hợp lệ", v.trim()),
        })
    };
    let r = async {
        let subject = match f.subject.trim().split_once(':') {
            Some(("p", n)) => SubjectRef::Person(n.parse().unwrap_or(-1)),
            Some(("u", _)) => {
                let d = st
                    .store
                    .dossier(id)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("hồ sơ #{id}")))?;
                SubjectRef::Unit(d.unit_id)
            }
            _ => {
                return Err(AppError::Invalid {
                    field: "subject",
                    message: "Hãy chọn đối tượng".into(),
                });
            }
        };
        let input = app::LineInput {
            subject,
            code: f.code.clone(),
            period_from: year(&f.period_from, "period_from")?,
            period_to: year(&f.period_to, "period_to")?,
            summary: f.summary.clone(),
            achievement: None,
        };
        app::add_line(
            &st.store,
            &By {
                user: &s.user,
                who: &who,
                today,
            },
            id,
            &input,
        )
        .await
    }
    .await;
    outcome(&st, &back, "Đã thêm đối tượng và kiểm tra điều kiện.", r)
}

#[derive(Deserialize)]
pub struct LineEditForm {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    override_reason: String,
    #[serde(default)]
    remove: String,
}

pub async fn edit_line(
    State(st): State<AppState>,
    Path((id, line)): Path<(DossierId, i64)>,
    CheckedForm(s, f): CheckedForm<LineEditForm>,
) -> Result<Response, WebError> {
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}#dong-{line}");
    let by = By {
        user: &s.user,
        who: &who,
        today,
    };
    let r = if f.remove == "1" {
        app::remove_line(&st.store, &by, id, line).await
    } else {
        app::edit_line(&st.store, &by, id, line, &f.summary, &f.override_reason).await
    };
    outcome(&st, &back, "Đã ghi.", r)
}

#[derive(Deserialize)]
pub struct LineStatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    version: i64,
}

pub async fn line_status(
    State(st): State<AppState>,
    Path((id, line)): Path<(DossierId, i64)>,
    CheckedForm(s, f): CheckedForm<LineStatusForm>,
) -> Result<Response, WebError> {
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}#dong-{line}");
    let status = LineStatus::parse(&f.status).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let r = app::set_line_status(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        id,
        f.version,
        line,
        status,
        &f.note,
    )
    .await;
    outcome(&st, &back, "Đã ghi.", r)
}

pub async fn recheck(
    State(st): State<AppState>,
    Path(id): Path<DossierId>,
    CheckedForm(s, TokenOnly {}): CheckedForm<TokenOnly>,
) -> Result<Response, WebError> {
    let (who, today) = by(&s);
    let (_, access) = app::visible(&st.store, &s.user, id, today).await?;
    if !(access.has(Side::Proposer) || access.has(Side::Appraiser)) {
        return Err(thidua_domain::policy::Denied::Role.into());
    }
    app::recheck(&st.store, &who, id, today).await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/ho-so/{id}"),
        "Đã kiểm tra lại điều kiện theo sổ khen thưởng hiện tại.",
    ))
}
