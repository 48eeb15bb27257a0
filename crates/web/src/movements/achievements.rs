//! Thành tích trong phong trào: the achievements recorded at a movement's
//! sơ kết and tổng kết, the form that records one, and the form that turns
//! the chosen ones into a thematic dossier with a form the movement
//! promised.

use super::common::{may_manage, movement};
use crate::chrome::Chrome;
use crate::extract::{CheckedForm, CheckedText, Path};
use crate::pages::{redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::achievements::{self as app, TypedAchievement};
use thidua_domain::date::VnDate;
use thidua_domain::eligibility::catalogue::in_force;

pub struct Line {
    pub id: i64,
    pub subject: String,
    pub review: &'static str,
    pub period: String,
    pub outstanding: bool,
    pub summary: String,
    /// «Đã khen: …», «Trong hồ sơ #…», or empty while free.
    pub status: String,
    pub free: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "movement_achievements.html")]
struct Page {
    chrome: Chrome,
    code: String,
    name: String,
    lines: Vec<Line>,
    may_manage: bool,
    reviews: Vec<(i64, String)>,
    forms: Vec<(String, String)>,
    first_year: i32,
    last_year: i32,
}

pub async fn page(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let today = today_vn();
    let rows = app::list(&st.store, &s.user, today, m.id).await?;
    let catalogue = st.store.catalogue_versions().await?;
    let mut lines = Vec::new();
    for a in rows {
        let awarded = st.store.achievement_awards(a.id).await?;
        let status = if !awarded.is_empty() {
            format!(
                "Đã khen: {}",
                awarded
                    .iter()
                    .map(|c| thidua_app::decisions::form_name(&catalogue, c, today))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else if let Some(d) = a.proposed_in {
            format!("Trong hồ sơ #{d}")
        } else {
            String::new()
        };
        lines.push(Line {
            id: a.id,
            free: a.proposed_in.is_none(),
            subject: a.subject_name,
            review: match a.review_kind.as_deref() {
                Some("final") => "Tổng kết",
                Some("interim") => "Sơ kết",
                _ => "",
            },
            period: if a.period_from == a.period_to {
                a.period_to.to_string()
            } else {
                format!("{}–{}", a.period_from, a.period_to)
            },
            outstanding: a.outstanding,
            summary: a.summary,
            status,
        });
    }
    let reviews = st
        .store
        .movement_reviews(m.id)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                format!("{} ngày {}", r.kind.label(), VnDate(r.held_on)),
            )
        })
        .collect();
    // The forms a thematic dossier may ask for: the catalogue's forms that
    // take the thematic type, the movement's promised ones first.
    let mut forms: Vec<(String, String)> = in_force(&catalogue, today)
        .into_iter()
        .filter(|e| {
            e.award_types
                .contains(&thidua_domain::eligibility::request::AwardType::Thematic)
                && !thidua_domain::eligibility::AwardCode::only_by_annual_review(e.code.as_str())
        })
        .map(|e| (e.code.as_str().to_owned(), e.name.clone()))
        .collect();
    forms.sort_by_key(|(_, name)| {
        !m.award_forms
            .iter()
            .any(|f| name.starts_with(f.as_str()) || f.starts_with(name.as_str()))
    });
    Ok(Page {
        chrome: Chrome::new("phong-trao", Some(&s)),
        code: m.code.to_string(),
        name: m.name.clone(),
        lines,
        may_manage: may_manage(&st, &s, &m).await?.is_ok(),
        reviews,
        forms,
        first_year: m.start.year(),
        last_year: m.end.map_or(today.year(), |e| e.year()).min(today.year()),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct RecordForm {
    #[serde(default)]
    review: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    period_from: String,
    #[serde(default)]
    period_to: String,
    #[serde(default)]
    outstanding: Option<String>,
    #[serde(default)]
    summary: String,
}

fn refused(e: AppError) -> WebError {
    match e {
        AppError::Invalid { message, .. } => WebError::Unprocessable(message),
        e => e.into(),
    }
}

pub async fn record(
    State(st): State<AppState>,
    Path(code): Path<String>,
    CheckedForm(s, f): CheckedForm<RecordForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let t = TypedAchievement {
        review: f.review,
        person: f.person,
        unit: f.unit,
        period_from: f.period_from,
        period_to: f.period_to,
        outstanding: f.outstanding.is_some(),
        summary: f.summary,
    };
    app::record_typed(&st.store, &s.user, &s.who(), today_vn(), m.id, &t)
        .await
        .map_err(refused)?;
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}/thanh-tich", m.code),
        "Đã ghi thành tích.",
    ))
}

/// The chosen achievements (repeated `achievement` fields) and the form.
pub async fn propose(
    State(st): State<AppState>,
    Path(code): Path<String>,
    CheckedText(s, body): CheckedText,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let mut ids = Vec::new();
    let mut form = String::new();
    for (k, v) in form_urlencoded::parse(body.as_bytes()) {
        match &*k {
            "achievement" => ids.push(
                v.parse::<i64>()
                    .map_err(|_| WebError::BadRequest("Mã thành tích không hợp lệ.".into()))?,
            ),
            "code" => form = v.into_owned(),
            _ => {}
        }
    }
    let who = s.who();
    let by = thidua_app::dossiers::By {
        user: &s.user,
        who: &who,
        today: today_vn(),
    };
    let id = app::propose_dossier(&st.store, &by, m.id, &ids, &form)
        .await
        .map_err(refused)?;
    Ok(redirect_with_flash(
        &st,
        &format!("/ho-so/{id}"),
        "Đã lập hồ sơ khen thưởng theo đợt từ các thành tích đã chọn.",
    ))
}
