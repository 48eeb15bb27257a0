//! The working-day calendar and the procedure's limits.

use super::common::{by, outcome};
use crate::extract::CheckedForm;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::dossiers::{self as app};
use thidua_domain::VnDate;
use thidua_domain::policy::Action;

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    pub chrome: Chrome,
    pub year: i32,
    pub days: Vec<(String, String, &'static str, String)>,
    pub overrides: Vec<(String, String, bool)>,
    pub limits: Vec<(&'static str, &'static str, u32, &'static str, bool)>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    nam: Option<i32>,
}

pub(super) fn weekday(d: time::Date) -> &'static str {
    use time::Weekday::*;
    match d.weekday() {
        Monday => "Thứ Hai",
        Tuesday => "Thứ Ba",
        Wednesday => "Thứ Tư",
        Thursday => "Thứ Năm",
        Friday => "Thứ Sáu",
        Saturday => "Thứ Bảy",
        Sunday => "Chủ nhật",
    }
}

pub async fn calendar(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    crate::pages::guard_system(&st, &s, Action::ManageCalendar).await?;
    let year = q.nam.unwrap_or_else(|| today_vn().year()).clamp(1990, 2100);
    let (cal, params) = app::procedure(&st.store).await?;
    Ok(CalendarPage {
        chrome: Chrome::new("quan-tri", Some(&s)),
        year,
        days: cal
            .days_off(year)
            .into_iter()
            .map(|d| {
                (
                    VnDate(d.date).to_string(),
                    d.name,
                    weekday(d.date),
                    match d.kind {
                        thidua_domain::calendar::DayOffKind::Holiday => "Ngày lễ, Tết".into(),
                        thidua_domain::calendar::DayOffKind::Compensatory => "Nghỉ bù".into(),
                        thidua_domain::calendar::DayOffKind::Decided => "Theo quyết định".into(),
                    },
                )
            })
            .collect(),
        overrides: cal
            .overrides(year)
            .into_iter()
            .map(|o| (VnDate(o.date).to_string(), o.name.clone(), o.off))
            .collect(),
        limits: params
            .limits
            .iter()
            .map(|l| (l.key, l.label, l.days, l.source, l.confirmed))
            .collect(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    remove: String,
}

pub async fn set_override(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<OverrideForm>,
) -> Result<Response, WebError> {
    let (who, today) = by(&s);
    let (store, user) = (&st.store, &s.user);
    let r = if f.remove == "1" {
        thidua_app::calendar::remove_day(store, user, &who, &f.day, today)
            .await
            .map(|d| (d, "Đã bỏ ngày điều chỉnh.".to_owned()))
    } else {
        let off = f.kind != "work";
        thidua_app::calendar::set_day(store, user, &who, &f.day, off, &f.name, today)
            .await
            .map(|d| (d, format!("Đã ghi ngày {}.", VnDate(d))))
    };
    match r {
        Ok((day, done)) => Ok(redirect_with_flash(
            &st,
            &format!("/quan-tri/lich?nam={}", day.year()),
            &done,
        )),
        Err(e) => outcome(&st, "/quan-tri/lich", "", Err::<(), _>(e)),
    }
}

pub async fn set_limits(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (who, today) = by(&s);
    let typed: Vec<(String, String)> = f.into_iter().filter(|(k, _)| k != "_csrf").collect();
    let r = thidua_app::calendar::set_limits(&st.store, &s.user, &who, &typed, today).await;
    outcome(&st, "/quan-tri/lich", "Đã ghi các thời hạn và ngưỡng.", r)
}
