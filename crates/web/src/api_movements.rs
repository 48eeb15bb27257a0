//! `/api/v1/movements`: movements, their reports, and values sent by programs.

use crate::AppState;
use crate::api::ApiPath;
use crate::api::{ApiError, ApiJson, ApiQuery, ErrorBody};
use crate::movements::{DashboardQuery, movement, run_report};
use crate::pages::today_vn;
use crate::session::ApiSession;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use thidua_app::movements::{self as app_mv, Enterer, RawValue};
use thidua_app::report::MovementReport;
use thidua_domain::date::VnDate;
use thidua_sheets::Cell;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct MovementDto {
    pub code: String,
    pub name: String,
    /// regular, thematic, campaign
    pub kind: String,
    /// prime_minister, ministry, province, district_legacy, commune, agency
    pub level: String,
    /// draft, launched, running, interim_review, final_review, closed
    pub status: String,
    /// yyyy-mm-dd
    pub start: String,
    pub end: Option<String>,
    pub document: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorDto {
    pub code: String,
    pub name: String,
    /// count, vnd, percent, square_metre, workdays, households, persons, criterion, number
    pub measure: String,
    /// year, quarter, date
    pub period: String,
    /// The kind of unit that enters it (commune, state_agency…).
    pub level: String,
    pub admin_types: Vec<String>,
    /// For computed indicators.
    pub formula: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MovementDetailDto {
    pub movement: MovementDto,
    pub indicators: Vec<IndicatorDto>,
}

fn dto(m: &thidua_store::MovementRow) -> MovementDto {
    MovementDto {
        code: m.code.to_string(),
        name: m.name.clone(),
        kind: m.kind.as_str().into(),
        level: m.level.as_str().into(),
        status: m.status.as_str().into(),
        start: VnDate(m.start).iso(),
        end: m.end.map(|e| VnDate(e).iso()),
        document: m.doc_number.clone(),
    }
}

#[utoipa::path(get, path = "/api/v1/movements", tag = "movements",
    responses((status = 200, body = [MovementDto]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    s: ApiSession,
) -> Result<Json<Vec<MovementDto>>, ApiError> {
    let today = crate::pages::today_vn();
    Ok(Json(
        thidua_app::movements::access::visible(&st.store, &s.0.user, today)
            .await?
            .iter()
            .map(dto)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/movements/{code}", tag = "movements", params(("code" = String, Path)),
    responses((status = 200, body = MovementDetailDto), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<MovementDetailDto>, ApiError> {
    let m = movement(&st, &s.0, &code).await?;
    let indicators = st
        .store
        .indicators(m.id)
        .await?
        .into_iter()
        .map(|i| IndicatorDto {
            code: i.def.code.to_string(),
            name: i.def.name.clone(),
            measure: i.def.measure.as_str().into(),
            period: i.def.period.as_str().into(),
            level: i.def.entry.level.as_str().into(),
            admin_types: i.def.entry.admin_types.clone(),
            formula: i.def.formula.as_ref().map(|f| f.text().to_owned()),
        })
        .collect();
    Ok(Json(MovementDetailDto {
        movement: dto(&m),
        indicators,
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct ReportQuery {
    /// Unit id (default: the movement's launching unit, or the caller's unit)
    unit: Option<String>,
    /// dd/mm/yyyy or yyyy-mm-dd (default: today)
    as_of: Option<String>,
    /// legacy or current (default: the map of that day)
    boundaries: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FigureDto {
    pub indicator: String,
    /// sum, avg, min, max, count_ge_1, share_ge_1, ratio_TH, groups_district_ge_1…
    pub rollup: String,
    pub label: String,
    pub value: Option<f64>,
    /// As people read it: "16,42".
    pub display: String,
    /// Entering units under the unit.
    pub total: usize,
    /// Of those, how many have an approved value.
    pub reported: usize,
    /// Change since the roll-up's baseline, when it has one.
    pub change: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ChildDto {
    pub code: String,
    pub name: String,
    pub figures: Vec<FigureDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportDto {
    pub movement: String,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// yyyy-mm-dd
    pub as_of: String,
    pub boundaries: String,
    /// "Toàn tỉnh có 38/60 xã đạt chuẩn nông thôn mới; …"
    pub summary: Option<String>,
    pub figures: Vec<FigureDto>,
    pub children: Vec<ChildDto>,
    /// The twinning sentence, when the movement has twinning pairs.
    pub twinning: Option<String>,
}

fn figures(f: &[thidua_domain::rollup::Figure]) -> Vec<FigureDto> {
    f.iter()
        .map(|f| FigureDto {
            indicator: f.indicator.to_string(),
            rollup: f.rollup.clone(),
            label: f.label.clone(),
            value: f.value,
            display: f.display.clone(),
            total: f.total,
            reported: f.reported,
            change: f.change,
        })
        .collect()
}

fn report_dto(r: MovementReport) -> ReportDto {
    ReportDto {
        movement: r.movement,
        unit_code: r.unit.as_ref().map(|u| u.code.clone()),
        unit_name: r.unit.as_ref().map(|u| u.name.clone()),
        as_of: r.as_of.iso(),
        boundaries: r.boundaries.as_str().into(),
        summary: r.summary,
        figures: figures(&r.figures),
        children: r
            .children
            .iter()
            .map(|c| ChildDto {
                code: c.unit.code.clone(),
                name: c.unit.name.clone(),
                figures: figures(&c.figures),
            })
            .collect(),
        twinning: r.twinning.map(|t| t.sentence),
    }
}

#[utoipa::path(get, path = "/api/v1/movements/{code}/report", tag = "movements",
    params(("code" = String, Path), ReportQuery),
    responses((status = 200, body = ReportDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Json<ReportDto>, ApiError> {
    let m = movement(&st, &s.0, &code).await?;
    let q = DashboardQuery {
        don_vi: q.unit,
        ngay: q.as_of,
        dia_gioi: q.boundaries,
        chi_so: None,
    };
    let r = run_report(&st, &s.0, &m, &q).await?;
    Ok(Json(report_dto(std::sync::Arc::unwrap_or_clone(r))))
}

#[derive(Deserialize, ToSchema)]
pub struct ValueIn {
    pub unit_code: String,
    /// 2026, Q2/2026 or 31/12/2026, as the indicator is kept
    pub period: String,
    pub indicator: String,
    /// A number, or text such as "16,42" or "Đạt"
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ValuesRequest {
    pub values: Vec<ValueIn>,
}

#[derive(Serialize, ToSchema)]
pub struct ValuesResponse {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[utoipa::path(post, path = "/api/v1/movements/{code}/values", tag = "movements",
    params(("code" = String, Path)), request_body = ValuesRequest,
    responses((status = 200, body = ValuesResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, description = "Rows refused; `problems` gives each line (the n-th value is line n) and field", body = ErrorBody)))]
pub async fn enter(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<ValuesRequest>,
) -> Result<Json<ValuesResponse>, ApiError> {
    let m = movement(&st, &s.0, &code).await?;
    let raw: Vec<RawValue> = body
        .values
        .into_iter()
        .enumerate()
        .map(|(i, v)| RawValue {
            line: i as u64 + 1,
            unit_code: v.unit_code,
            period: v.period,
            indicator: v.indicator,
            value: match v.value {
                serde_json::Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
                serde_json::Value::String(t) => Cell::Text(t),
                serde_json::Value::Bool(b) => Cell::Text(if b { "1" } else { "0" }.into()),
                _ => Cell::Empty,
            },
            note: v.note,
        })
        .collect();
    let r = app_mv::enter_values(
        &st.store,
        &s.0.who(),
        Enterer::User(&s.0.user),
        &m,
        "api",
        &raw,
        today_vn(),
    )
    .await?;
    Ok(Json(ValuesResponse {
        inserted: r.inserted,
        updated: r.updated,
        unchanged: r.unchanged,
    }))
}
