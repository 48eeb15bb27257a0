//! Entering indicator values: the form, a spreadsheet, the template.

use super::common::movement;
use super::detail::UnitChoice;
use super::files::{attachment, read_multipart};
use crate::extract::Path;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use thidua_app::admin_units::Problem;
use thidua_app::movements::{self as app_mv, Enterer, RawValue};
use thidua_app::{AppError, auth};
use thidua_domain::indicator::{Measure, PeriodKey};
use thidua_domain::org::UnitId;
use thidua_domain::policy::{self, Action};
use thidua_sheets::Cell;
use thidua_store::{IndicatorRow, MovementRow, UnitRow, ValueStatus};
use time::Date;

pub struct EntryField {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub group: String,
    pub measure: &'static str,
    pub criterion: bool,
    pub value: String,
    pub status: &'static str,
    pub locked: bool,
    pub value_id: i64,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "entry.html")]
pub(super) struct EntryPage {
    chrome: Chrome,
    m: MovementRow,
    units: Vec<UnitChoice>,
    unit_id: i64,
    unit_name: String,
    period: String,
    period_label: String,
    fields: Vec<EntryField>,
    may_approve: bool,
    problems: Vec<String>,
}

#[derive(Deserialize)]
pub struct EntryQuery {
    don_vi: Option<i64>,
    ky: Option<String>,
}

/// The period kind and a default period for a movement.
pub(super) fn default_period(
    m: &MovementRow,
    indicators: &[IndicatorRow],
) -> Result<(PeriodKey, thidua_domain::indicator::PeriodKind), WebError> {
    let kind = indicators
        .iter()
        .find(|i| !i.def.is_derived())
        .map(|i| i.def.period)
        .ok_or_else(|| WebError::BadRequest("Phong trào chưa có chỉ tiêu nhập liệu.".into()))?;
    let day = today_vn().min(m.end.unwrap_or(Date::MAX)).max(m.start);
    let p = match kind {
        thidua_domain::indicator::PeriodKind::Year => PeriodKey::Year(day.year()),
        thidua_domain::indicator::PeriodKind::Quarter => {
            PeriodKey::Quarter(day.year(), (u8::from(day.month()) - 1) / 3 + 1)
        }
        thidua_domain::indicator::PeriodKind::Date => PeriodKey::Date(day),
    };
    Ok((p, kind))
}

pub(super) async fn entry_page(
    st: &AppState,
    s: &Session,
    m: MovementRow,
    unit: Option<i64>,
    period: Option<&str>,
    problems: &[Problem],
) -> Result<EntryPage, WebError> {
    // A role that never enters values (the viewer) gets no form at all.
    app_mv::may_enter_values(&s.user)?;
    let today = today_vn();
    let indicators = st.store.indicators(m.id).await?;
    let (default, kind) = default_period(&m, &indicators)?;
    let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => PeriodKey::parse(kind, p).map_err(|e| WebError::BadRequest(e.to_string()))?,
        None => default,
    };
    let user = (!policy::unscoped(s.user.role)).then_some(&s.user);
    let units = app_mv::entry_units(&st.store, user, &indicators, period.end(), today).await?;
    if units.is_empty() {
        return Err(WebError::Forbidden(
            "Không có đơn vị nào trong phạm vi của bạn nhập số liệu cho phong trào này.".into(),
        ));
    }
    let chosen: &UnitRow = unit
        .and_then(|id| units.iter().find(|u| u.id.0 == id))
        .or_else(|| units.first())
        .ok_or_else(|| WebError::NotFound("Không có đơn vị này.".into()))?;
    let stored: HashMap<i64, thidua_store::ValueRow> = st
        .store
        .value_rows(m.id, Some(&[chosen.id]))
        .await?
        .into_iter()
        .filter(|v| v.period == period.key())
        .map(|v| (v.indicator_id, v))
        .collect();
    let may_approve =
        auth::may_on_unit(&st.store, &s.user, Action::ApproveValues, chosen.id, today)
            .await?
            .is_some_and(|r| r.is_ok());
    let mut fields = Vec::new();
    for (n, i) in indicators.iter().enumerate() {
        if i.def.is_derived()
            || i.def.period != kind
            || !i
                .def
                .entry
                .admits(chosen.kind, chosen.admin_type.as_deref())
        {
            continue;
        }
        let v = stored.get(&i.id);
        let error = problems
            .iter()
            .filter(|p| p.line == n as u64 + 1)
            .map(|p| p.message.clone())
            .next();
        fields.push(EntryField {
            id: i.id,
            code: i.def.code.to_string(),
            name: i.def.name.clone(),
            group: i.def.group.clone().unwrap_or_default(),
            measure: i.def.measure.label(),
            criterion: i.def.measure == Measure::Criterion,
            value: v
                .map(|v| match i.def.measure {
                    Measure::Criterion => if v.value != 0.0 { "1" } else { "0" }.to_owned(),
                    m => thidua_domain::number::format_vi(
                        v.value,
                        if m.is_integral() { 0 } else { 2 },
                    ),
                })
                .unwrap_or_default(),
            status: v.map(|v| v.status.label()).unwrap_or("Chưa nhập"),
            locked: v.is_some_and(|v| v.status == ValueStatus::Approved),
            value_id: v.map(|v| v.id).unwrap_or_default(),
            error,
        });
    }
    Ok(EntryPage {
        chrome: Chrome::new("phong-trao", Some(s)),
        units: units
            .iter()
            .map(|u| UnitChoice {
                id: u.id.0,
                label: format!("{} ({})", u.name, u.code),
            })
            .collect(),
        unit_id: chosen.id.0,
        unit_name: chosen.name.clone(),
        period: period.key(),
        period_label: period.label(),
        fields,
        may_approve,
        problems: problems
            .iter()
            .filter(|p| p.line == 0 || p.column.is_none())
            .map(|p| p.message.clone())
            .collect(),
        m,
    })
}

pub async fn entry_form(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Query(q): Query<EntryQuery>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    Ok(entry_page(&st, &s, m, q.don_vi, q.ky.as_deref(), &[])
        .await?
        .into_response())
}

pub async fn entry_save(
    State(st): State<AppState>,
    Path(code): Path<String>,
    crate::extract::CheckedForm(s, f): crate::extract::CheckedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    app_mv::may_enter_values(&s.user)?;
    let m = movement(&st, &s, &code).await?;
    let unit_id: i64 = f
        .get("don_vi")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest("Thiếu đơn vị.".into()))?;
    let period = f.get("ky").cloned().unwrap_or_default();
    let today = today_vn();
    let unit = st
        .store
        .unit(UnitId(unit_id), today)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có đơn vị này.".into()))?;
    let indicators = st.store.indicators(m.id).await?;
    // Each field is a "line" numbered by the indicator's position, so that
    // problems come back next to their field.
    let mut raw = Vec::new();
    for (n, i) in indicators.iter().enumerate() {
        if let Some(v) = f
            .get(&format!("v_{}", i.id))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            raw.push(RawValue {
                line: n as u64 + 1,
                unit_code: unit.code.clone(),
                period: period.clone(),
                indicator: i.def.code.to_string(),
                value: Cell::Text(v.to_owned()),
                note: None,
            });
        }
    }
    if raw.is_empty() {
        return Err(WebError::BadRequest("Chưa nhập giá trị nào.".into()));
    }
    match app_mv::enter_values(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        &m,
        "biểu mẫu",
        &raw,
        today,
    )
    .await
    {
        Ok(r) => Ok(redirect_with_flash(
            &st,
            &format!(
                "/phong-trao/{}/nhap-lieu?don_vi={unit_id}&ky={}",
                m.code,
                crate::pages::url_encode(&period)
            ),
            &format!(
                "Đã gửi {} giá trị chờ duyệt ({} mới, {} sửa).",
                r.inserted + r.updated,
                r.inserted,
                r.updated
            ),
        )),
        Err(AppError::Import(problems)) => {
            let page = entry_page(&st, &s, m, Some(unit_id), Some(&period), &problems).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "import_result.html")]
pub(super) struct ImportResultPage {
    chrome: Chrome,
    m: MovementRow,
    problems: Vec<String>,
}

pub async fn entry_upload(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    // Whoever may never enter values is refused before the file is read.
    app_mv::may_enter_values(&s.user)?;
    let (csrf, file) = read_multipart(&mut mp).await?;
    s.check_form_csrf(&csrf)?;
    let (name, bytes) = file.ok_or_else(|| WebError::BadRequest("Chưa chọn tệp.".into()))?;
    let result = match app_mv::parse_value_file(&name, bytes).await {
        Ok(raw) => {
            app_mv::enter_values(
                &st.store,
                &s.who(),
                Enterer::User(&s.user),
                &m,
                &name,
                &raw,
                today_vn(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(redirect_with_flash(
            &st,
            &format!("/phong-trao/{}/nhap-lieu", m.code),
            &format!(
                "Đã nhập tệp «{name}»: {} giá trị mới, {} giá trị sửa, {} không đổi; đang chờ duyệt.",
                r.inserted, r.updated, r.unchanged
            ),
        )),
        Err(AppError::Import(problems)) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ImportResultPage {
                chrome: Chrome::new("phong-trao", Some(&s)),
                problems: problems.iter().map(ToString::to_string).collect(),
                m,
            },
        )
            .into_response()),
        Err(AppError::Store(thidua_store::StoreError::Conflict(msg))) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ImportResultPage {
                chrome: Chrome::new("phong-trao", Some(&s)),
                problems: vec![msg],
                m,
            },
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    ky: Option<String>,
}

pub async fn entry_template(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let indicators = st.store.indicators(m.id).await?;
    let (default, _) = default_period(&m, &indicators)?;
    let period =
        q.ky.filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| default.key());
    let user = (!policy::unscoped(s.user.role)).then_some(&s.user);
    let bytes = app_mv::entry_template(&st.store, user, &m, &period, today_vn()).await?;
    Ok(attachment(
        &format!("mau-nhap-lieu-{}-{period}.xlsx", m.code),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}
