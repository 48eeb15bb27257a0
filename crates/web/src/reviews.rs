//! Bình xét pages: the annual title review of a unit — open it, rate and
//! decide each line with the engine's verdict beside it, produce the list
//! (and its Excel file).

use crate::extract::CheckedForm;
use crate::extract::Path;
use crate::pages::{Chrome, guard_unit, redirect_with_error, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::auth;
use thidua_app::eligibility::{self as app_el, LineInput, ReviewView};
use thidua_domain::date::VnDate;
use thidua_domain::eligibility::review::{COLLECTIVE_TITLES, INDIVIDUAL_TITLES, Want};
use thidua_domain::eligibility::{AwardCode, Outcome, Rating};
use thidua_domain::policy::Action;
use thidua_sheets::Cell;

pub struct ReviewLine {
    pub name: String,
    pub subject: String,
    pub unit_line: bool,
    pub rating: String,
    pub proposed: String,
    pub proposed_label: String,
    pub outcome: &'static str,
    pub outcome_label: &'static str,
    pub checks: Vec<(bool, String, String)>,
    pub missing: Vec<String>,
    pub next_year: Option<i32>,
    pub uncertain: Vec<String>,
    pub decision: &'static str,
    pub decision_label: &'static str,
    pub reason: String,
    pub id: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews.html")]
pub struct ReviewsPage {
    pub chrome: Chrome,
    pub reviews: Vec<(i64, String, i32, bool, String)>,
    pub default_unit: String,
    pub year: i32,
    pub unit_text: String,
    pub year_text: String,
    pub status: String,
    /// Why the filters could not be read, shown next to them.
    pub error: String,
    pub xlsx_href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub chrome: Chrome,
    pub id: i64,
    pub unit: String,
    pub year: i32,
    pub closed: bool,
    pub decision: String,
    pub pending: usize,
    pub quotas: Vec<(bool, String)>,
    pub lines: Vec<ReviewLine>,
    pub ratings: Vec<(&'static str, &'static str)>,
    pub person_titles: Vec<(&'static str, &'static str)>,
    pub unit_titles: Vec<(&'static str, &'static str)>,
    pub proposed_count: usize,
    pub typed_number: String,
    pub typed_date: String,
}

fn titles(codes: &[AwardCode]) -> Vec<(&'static str, &'static str)> {
    codes.iter().map(|c| (c.code(), c.label())).collect()
}

/// A review the user may work on, or not found: another unit's review is
/// not theirs to see.
async fn load(st: &AppState, s: &Session, id: i64) -> Result<ReviewView, WebError> {
    let not_found = || WebError::NotFound("Không có bình xét này.".into());
    let r = st.store.review(id).await?.ok_or_else(not_found)?;
    match auth::may_on_unit(
        &st.store,
        &s.user,
        Action::ReviewTitles,
        r.unit_id,
        today_vn(),
    )
    .await?
    {
        Some(Ok(())) => {}
        _ => return Err(not_found()),
    }
    Ok(app_el::review_view(&st.store, id, today_vn()).await?)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// A unit, by name or code: the reviews of its subtree.
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    nam: String,
    /// `dang`: still open; `da-chot`: closed.
    #[serde(default)]
    trang_thai: String,
    /// `xlsx`: the list as a spreadsheet.
    #[serde(default)]
    xuat: String,
}

async fn filter_of(st: &AppState, q: &ListQuery) -> Result<app_el::ReviewFilter, String> {
    let f = crate::list_filter::unit_and_year(st, &q.don_vi, &q.nam).await?;
    let closed = crate::list_filter::two_states(&q.trang_thai, "da-chot", "dang")?;
    Ok(app_el::ReviewFilter {
        unit: f.unit,
        year: f.year,
        closed,
    })
}

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let (listed, error) = match filter_of(&st, &q).await {
        Ok(f) => (
            app_el::reviews(&st.store, &s.user, today, &f).await?,
            String::new(),
        ),
        Err(e) => (Vec::new(), crate::list_filter::sentence(&e)),
    };
    let reviews: Vec<(i64, String, i32, bool, String)> = listed
        .into_iter()
        .map(|l| {
            let r = l.review;
            let status = match (r.closed, &r.decision_number) {
                (true, Some(n)) => format!("Đã chốt — {n}"),
                (true, None) => "Đã chốt".to_owned(),
                (false, _) => "Đang bình xét".to_owned(),
            };
            (r.id, l.unit_name, r.year, r.closed, status)
        })
        .collect();
    if q.xuat == "xlsx" && error.is_empty() {
        return crate::list_export::xlsx(
            "Binh xet danh hieu",
            &["Đơn vị", "Năm", "Trạng thái"],
            reviews
                .into_iter()
                .map(|(_, unit, year, _, status)| vec![unit, year.to_string(), status])
                .collect(),
        );
    }
    let default_unit = match s.user.unit_id {
        Some(u) => st
            .store
            .unit(u, today)
            .await?
            .map(|u| u.code)
            .unwrap_or_default(),
        None => String::new(),
    };
    let query = serde_urlencoded::to_string([
        ("don_vi", &q.don_vi),
        ("nam", &q.nam),
        ("trang_thai", &q.trang_thai),
    ])
    .unwrap_or_default();
    Ok(ReviewsPage {
        chrome: Chrome::new("khen-thuong", Some(&s)),
        reviews,
        default_unit,
        year: today.year(),
        unit_text: q.don_vi.clone(),
        year_text: q.nam.clone(),
        status: q.trang_thai.clone(),
        error,
        xlsx_href: format!("/binh-xet?{query}&xuat=xlsx"),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct OpenForm {
    unit: String,
    year: String,
}

pub async fn open(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<OpenForm>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let unit_id = thidua_app::org_view::pick_unit(&st.store, &f.unit, today).await?;
    let unit = st
        .store
        .unit(unit_id, today)
        .await?
        .ok_or_else(|| WebError::NotFound("Không tìm thấy đơn vị.".into()))?;
    guard_unit(&st, &s, Action::ReviewTitles, unit.id).await?;
    let year: i32 = f
        .year
        .trim()
        .parse()
        .map_err(|_| WebError::BadRequest(format!("Năm «{}» không hợp lệ.", f.year.trim())))?;
    // One review per unit and year: opening it again goes to it.
    if let Some(r) = st
        .store
        .reviews(Some(&[unit.id]))
        .await?
        .into_iter()
        .find(|r| r.year == year)
    {
        return Ok(redirect_with_flash(
            &st,
            &format!("/binh-xet/{}", r.id),
            &format!("{} đã có bình xét năm {year}.", unit.name),
        ));
    }
    let id = app_el::open_review(&st.store, &s.who(), unit.id, year, today).await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/binh-xet/{id}"),
        &format!("Đã mở bình xét năm {year} của {}.", unit.name),
    ))
}

/// What the closing form was given when it was refused, typed back in.
#[derive(Deserialize, Default)]
pub struct Typed {
    #[serde(default)]
    so: String,
    #[serde(default)]
    ngay: String,
}

pub async fn detail(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
    axum::extract::Query(typed): axum::extract::Query<Typed>,
) -> Result<Response, WebError> {
    let v = load(&st, &s, id).await?;
    let lines = v
        .lines
        .iter()
        .map(|l| {
            let checked = l.checked.as_ref();
            let outcome = l.line.outcome;
            ReviewLine {
                name: l
                    .line
                    .person_name
                    .clone()
                    .unwrap_or_else(|| v.unit.name.clone()),
                subject: if l.line.person_id.is_some() {
                    "Cá nhân".into()
                } else {
                    "Tập thể".into()
                },
                unit_line: l.line.person_id.is_none(),
                rating: l.rating.map(|r| r.code().to_owned()).unwrap_or_default(),
                proposed: l
                    .line
                    .proposed
                    .map(|c| c.code().to_owned())
                    .unwrap_or_default(),
                proposed_label: l
                    .line
                    .proposed
                    .map(|c| c.label().to_owned())
                    .unwrap_or_default(),
                outcome: outcome.map_or("", Outcome::as_str),
                outcome_label: outcome.map_or("Chưa kiểm tra", Outcome::label),
                checks: checked
                    .map(|c| {
                        c.checks
                            .iter()
                            .map(|k| (k.passed, k.article.clone(), k.message.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                missing: checked.map(|c| c.missing.clone()).unwrap_or_default(),
                next_year: checked.and_then(|c| c.next_eligible_year),
                uncertain: checked
                    .map(|c| {
                        c.uncertain
                            .iter()
                            .map(|id| thidua_domain::eligibility::params::describe(id))
                            .collect()
                    })
                    .unwrap_or_default(),
                decision: l.line.decision.as_str(),
                decision_label: l.line.decision.label(),
                reason: l.line.reason.clone().unwrap_or_default(),
                id: l.line.id,
            }
        })
        .collect::<Vec<_>>();
    Ok(ReviewPage {
        chrome: Chrome::new("khen-thuong", Some(&s)),
        id,
        unit: v.unit.name.clone(),
        year: v.review.year,
        closed: v.review.closed,
        decision: match (&v.review.decision_number, v.review.decision_date) {
            (Some(n), Some(d)) => format!("{n} ngày {}", VnDate(d)),
            (Some(n), None) => n.clone(),
            _ => String::new(),
        },
        pending: v.pending,
        quotas: v
            .quotas
            .iter()
            .map(|q| (q.over, q.sentence.clone()))
            .collect(),
        typed_number: typed.so,
        typed_date: typed.ngay,
        proposed_count: v
            .lines
            .iter()
            .filter(|l| l.line.decision.proposes())
            .count(),
        lines,
        ratings: Rating::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        person_titles: titles(&INDIVIDUAL_TITLES),
        unit_titles: titles(&COLLECTIVE_TITLES),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct LineForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    proposed: String,
    #[serde(default)]
    want: String,
    #[serde(default)]
    reason: String,
}

pub async fn update_line(
    State(st): State<AppState>,
    Path((id, line)): Path<(i64, i64)>,
    CheckedForm(s, f): CheckedForm<LineForm>,
) -> Result<Response, WebError> {
    load(&st, &s, id).await?;
    let bad = |what: &str, v: &str| WebError::BadRequest(format!("{what} «{v}» không hợp lệ."));
    let input = LineInput {
        rating: match f.rating.trim() {
            "" => None,
            r => Some(Rating::parse(r).ok_or_else(|| bad("Xếp loại", r))?),
        },
        proposed: match f.proposed.trim() {
            "" => None,
            c => Some(AwardCode::parse(c).ok_or_else(|| bad("Danh hiệu", c))?),
        },
        want: match f.want.as_str() {
            "propose" => Some(Want::Propose),
            "drop" => Some(Want::Drop),
            "" | "check" => None,
            w => return Err(bad("Thao tác", w)),
        },
        reason: Some(f.reason.clone()),
    };
    let back = format!("/binh-xet/{id}#dong-{line}");
    match app_el::update_line(&st.store, &s.who(), id, line, &input, today_vn()).await {
        Ok(()) => Ok(redirect_with_flash(&st, &back, "Đã ghi.")),
        // The officer stays on the page and reads why nothing was written.
        Err(thidua_app::AppError::Invalid { message, .. }) => Ok(redirect_with_error(
            &st,
            &back,
            &format!("Chưa ghi: {message}."),
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    decision_number: String,
    #[serde(default)]
    decision_date: String,
}

pub async fn close(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    CheckedForm(s, f): CheckedForm<CloseForm>,
) -> Result<Response, WebError> {
    load(&st, &s, id).await?;
    // A refusal comes back to the form with what was typed.
    let back = format!(
        "/binh-xet/{id}?so={}&ngay={}#close-review",
        crate::pages::url_encode(f.decision_number.trim()),
        crate::pages::url_encode(f.decision_date.trim())
    );
    let date = match f.decision_date.trim() {
        "" => None,
        d => match VnDate::parse(d) {
            Ok(d) => Some(d.0),
            Err(e) => return Ok(redirect_with_error(&st, &back, &format!("Chưa chốt: {e}."))),
        },
    };
    let number = Some(f.decision_number.as_str());
    match app_el::close_review(&st.store, &s.who(), id, number, date, today_vn()).await {
        Ok(n) => Ok(redirect_with_flash(
            &st,
            &format!("/binh-xet/{id}"),
            &format!("Đã chốt danh sách: {n} danh hiệu được ghi vào sổ khen thưởng."),
        )),
        Err(thidua_app::AppError::Invalid { message, .. }) => Ok(redirect_with_error(
            &st,
            &back,
            &format!("Chưa chốt: {message}."),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Danh sách đề nghị — the list for the unit's decision, as Excel.
pub async fn list_xlsx(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let v = load(&st, &s, id).await?;
    let header = [
        "STT",
        "Họ và tên / Tập thể",
        "Xếp loại",
        "Danh hiệu đề nghị",
        "Kết luận của hệ thống",
        "Quyết định",
        "Lý do",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut rows = Vec::new();
    let mut n = 0;
    for l in v.lines.iter().filter(|l| l.line.decision.proposes()) {
        n += 1;
        rows.push(vec![
            Cell::Number(f64::from(n)),
            Cell::Text(
                l.line
                    .person_name
                    .clone()
                    .unwrap_or_else(|| v.unit.name.clone()),
            ),
            Cell::Text(l.rating.map(|r| r.code().to_owned()).unwrap_or_default()),
            Cell::Text(
                l.line
                    .proposed
                    .map(|c| c.label().to_owned())
                    .unwrap_or_default(),
            ),
            Cell::Text(l.line.outcome.map_or("", Outcome::label).to_owned()),
            Cell::Text(l.line.decision.label().to_owned()),
            Cell::Text(l.line.reason.clone().unwrap_or_default()),
        ]);
    }
    let bytes = thidua_sheets::write(&[thidua_sheets::Sheet {
        name: format!("Danh sách năm {}", v.review.year),
        header,
        rows,
    }])
    .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"binh-xet-{}-{}.xlsx\"",
                    v.review.year, id
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
