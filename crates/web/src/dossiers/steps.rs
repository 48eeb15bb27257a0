//! Steps, votes and files of a dossier.

use super::common::{by, form_with_checked, outcome, parse_date};
use crate::extract::CheckedForm;
use crate::extract::Path;
use crate::pages::{redirect_with_error, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use axum::extract::{Multipart, State};
use axum::response::Response;
use serde::Deserialize;
use thidua_app::dossiers::{self as app, By, StepInput};
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierAction, VoteChoice};

/// Every step's form posts here; `action` names the step.
#[derive(Deserialize)]
pub struct StepForm_ {
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    note: String,
    #[serde(default)]
    receipt_number: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    signer: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    grounds: String,
    #[serde(default)]
    issuer: String,
}

pub async fn step(
    State(st): State<AppState>,
    Path(id): Path<DossierId>,
    crate::extract::CheckedText(s, body): crate::extract::CheckedText,
) -> Result<Response, WebError> {
    let (lines, f): (Vec<i64>, StepForm_) = form_with_checked(&body, "line")?;
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}");
    let dates = (|| -> Result<_, String> {
        Ok((
            parse_date("Từ ngày", &f.from)?,
            parse_date("Đến ngày", &f.until)?,
            parse_date("Ngày", &f.date)?,
        ))
    })();
    let (from, until, date) = match dates {
        Ok(x) => x,
        Err(m) => return Ok(redirect_with_error(&st, &back, &format!("Chưa ghi: {m}."))),
    };
    let action = DossierAction::parse(&f.action).ok();
    let input = StepInput {
        action,
        version: f.version,
        note: f.note.clone(),
        receipt_number: f.receipt_number.clone(),
        from,
        until,
        number: f.number.clone(),
        date,
        signer: f.signer.clone(),
        signer_title: f.signer_title.clone(),
        grounds: f.grounds.clone(),
        issuer: f.issuer.clone(),
        lines,
    };
    let r = app::take_step(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        id,
        &input,
    )
    .await;
    let ok = match &r {
        Ok(to) => format!(
            "{}: hồ sơ chuyển sang «{}».",
            action.map_or("", |a| a.label()),
            to.label()
        ),
        Err(_) => String::new(),
    };
    outcome(&st, &back, &ok, r)
}

#[derive(Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    vote: String,
}

pub async fn vote(
    State(st): State<AppState>,
    Path((id, line)): Path<(DossierId, i64)>,
    CheckedForm(s, f): CheckedForm<VoteForm>,
) -> Result<Response, WebError> {
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}#dong-{line}");
    let choice = VoteChoice::parse(&f.vote).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let r = app::vote(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        id,
        line,
        choice,
    )
    .await;
    outcome(&st, &back, &format!("Đã ghi phiếu: {}.", choice.label()), r)
}

pub async fn upload(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<DossierId>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let bad = crate::upload_error;
    let (mut csrf, mut kind, mut line, mut file) = (String::new(), String::new(), None, None);
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(bad)?,
            Some("kind") => {
                kind = crate::input_guard::multipart_text("kind", field.text().await.map_err(bad)?)?
            }
            Some("line") => line = field.text().await.map_err(bad)?.parse::<i64>().ok(),
            Some("file") => {
                let name = crate::input_guard::file_name(field.file_name());
                let bytes = field.bytes().await.map_err(bad)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    s.check_form_csrf(&csrf)?;
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}");
    let Some((name, bytes)) = file else {
        return Ok(redirect_with_error(&st, &back, "Chưa ghi: chưa chọn tệp."));
    };
    let r = app::attach(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        id,
        &kind,
        line,
        &name,
        &bytes,
    )
    .await;
    outcome(&st, &back, &format!("Đã đính kèm «{name}»."), r)
}

pub async fn download(
    State(st): State<AppState>,
    s: Session,
    Path((id, file)): Path<(DossierId, i64)>,
) -> Result<Response, WebError> {
    app::visible(&st.store, &s.user, id, today_vn()).await?;
    let (name, content_type, bytes) = st
        .store
        .dossier_file(id, file)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có tệp này.".into()))?;
    Ok(crate::movements::attachment(
        &name,
        crate::movements::content_type_static(&content_type),
        bytes,
    ))
}
