//! Khen thưởng của thủ trưởng đơn vị: the page where a unit's officer
//! prepares and records the decisions of the unit's head (a department
//! director's, a commune chairman's Giấy khen), and lists them.

use crate::chrome::Chrome;
use crate::extract::{CheckedText, Path};
use crate::pages::{redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use thidua_app::AppError;
use thidua_app::unit_awards::{self as app, UnitAward, UnitAwardLine};
use thidua_domain::date::VnDate;
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::org::UnitId;
use thidua_store::SubjectRef;

#[derive(Template, WebTemplate)]
#[template(path = "unit_awards.html")]
struct Page {
    chrome: Chrome,
    id: i64,
    unit_name: String,
    office: String,
    forms: Vec<(String, String)>,
    people: Vec<(i64, String, String)>,
    /// Number, date, form, lines.
    decisions: Vec<(i64, String, String, String, i64)>,
    today: String,
    this_year: i32,
}

pub async fn page(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let v = app::view(&st.store, &s.user, today, UnitId(id)).await?;
    let catalogue = st.store.catalogue_versions().await?;
    Ok(Page {
        chrome: Chrome::new("to-chuc", Some(&s)),
        id,
        unit_name: v.unit_name,
        office: v.office,
        forms: v.forms,
        people: v.people,
        decisions: v
            .decisions
            .into_iter()
            .map(|d| {
                let form = d
                    .award_code
                    .as_deref()
                    .map(|c| thidua_app::decisions::form_name(&catalogue, c, d.decision_date))
                    .unwrap_or_default();
                (
                    d.id.0,
                    d.number,
                    VnDate(d.decision_date).to_string(),
                    form,
                    d.lines,
                )
            })
            .collect(),
        today: VnDate(today).to_string(),
        this_year: today.year(),
    }
    .into_response())
}

fn refused(e: AppError) -> WebError {
    match e {
        AppError::Invalid { message, .. } => WebError::Unprocessable(message),
        e => e.into(),
    }
}

/// The form: repeated `person` fields (and `whole_unit`) name the subjects.
pub async fn issue(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    CheckedText(s, body): CheckedText,
) -> Result<Response, WebError> {
    let today = today_vn();
    let mut subjects = Vec::new();
    let mut field = std::collections::HashMap::new();
    for (k, v) in form_urlencoded::parse(body.as_bytes()) {
        match &*k {
            "person" => subjects
                .push(SubjectRef::Person(v.parse().map_err(|_| {
                    WebError::BadRequest("Mã cá nhân không hợp lệ.".into())
                })?)),
            "whole_unit" => subjects.push(SubjectRef::Unit(UnitId(id))),
            _ => {
                field.insert(k.into_owned(), v.into_owned());
            }
        }
    }
    let get = |k: &str| {
        field
            .get(k)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let year = |k: &str| -> Result<i32, WebError> {
        get(k)
            .parse()
            .map_err(|_| WebError::Unprocessable(format!("Năm «{}» không hợp lệ.", get(k))))
    };
    let date = thidua_app::people::day_field("date", &get("date")).map_err(refused)?;
    let (from, to) = (year("period_from")?, year("period_to")?);
    let award = UnitAward {
        unit: UnitId(id),
        code: get("code"),
        award_type: match get("award_type").as_str() {
            "ad_hoc" => AwardType::AdHoc,
            "thematic" => AwardType::Thematic,
            _ => AwardType::Regular,
        },
        movement: None,
        number: get("number"),
        date,
        signer: get("signer"),
        signer_title: get("signer_title"),
        lines: subjects
            .into_iter()
            .map(|subject| UnitAwardLine {
                subject,
                period_from: from,
                period_to: to,
                summary: get("summary"),
            })
            .collect(),
    };
    let decision = app::issue(
        &st.store,
        thidua_app::movements::Enterer::User(&s.user),
        &s.who(),
        today,
        &award,
    )
    .await
    .map_err(refused)?;
    Ok(redirect_with_flash(
        &st,
        &format!("/quyet-dinh/{}", decision.0),
        "Đã ban hành quyết định khen thưởng của thủ trưởng đơn vị.",
    ))
}
