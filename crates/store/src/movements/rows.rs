//! What the store keeps of a movement: its rows, values and registrations.

use crate::{StoreError, StoreResult, parse_stored};
use serde::Serialize;
use thidua_domain::document::DocumentNumber;
use thidua_domain::indicator::{IndicatorDef, PeriodKey};
use thidua_domain::movement::{
    LaunchLevel, MovementCode, MovementKind, MovementStatus, ReviewKind,
};
use thidua_domain::org::{UnitId, UnitKind};
use time::Date;

/// A movement to create, with its indicators.
#[derive(Debug, Clone)]
pub struct NewMovement {
    pub code: MovementCode,
    pub name: String,
    pub kind: MovementKind,
    pub level: LaunchLevel,
    pub authority: Option<UnitId>,
    pub doc_number: Option<DocumentNumber>,
    pub doc_date: Option<Date>,
    pub doc_signer: Option<String>,
    pub theme: Option<String>,
    pub start: Date,
    pub end: Option<Date>,
    pub registration_deadline: Option<Date>,
    pub parent: Option<i64>,
    pub target_collectives: Vec<String>,
    pub target_individuals: Vec<String>,
    pub content_areas: Vec<String>,
    pub award_forms: Vec<String>,
    /// Tiêu chuẩn thi đua — the movement's own criteria for its awards.
    pub criteria: Vec<String>,
    pub indicators: Vec<IndicatorDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MovementRow {
    pub id: i64,
    pub code: MovementCode,
    pub name: String,
    pub kind: MovementKind,
    pub level: LaunchLevel,
    pub authority: Option<UnitId>,
    pub doc_number: Option<String>,
    pub doc_date: Option<Date>,
    pub doc_signer: Option<String>,
    pub theme: Option<String>,
    pub start: Date,
    pub end: Option<Date>,
    pub registration_deadline: Option<Date>,
    pub parent_id: Option<i64>,
    pub target_collectives: Vec<String>,
    pub target_individuals: Vec<String>,
    pub content_areas: Vec<String>,
    pub award_forms: Vec<String>,
    pub criteria: Vec<String>,
    pub status: MovementStatus,
}

#[derive(sqlx::FromRow)]
pub(super) struct MovementRecord {
    id: i64,
    code: String,
    name: String,
    kind: String,
    level: String,
    authority_unit_id: Option<i64>,
    doc_number: Option<String>,
    doc_date: Option<Date>,
    doc_signer: Option<String>,
    theme: Option<String>,
    start_date: Date,
    end_date: Option<Date>,
    registration_deadline: Option<Date>,
    parent_id: Option<i64>,
    target_collectives: String,
    target_individuals: String,
    content_areas: String,
    award_forms: String,
    criteria: String,
    status: String,
}

pub(super) fn list(s: &str) -> StoreResult<Vec<String>> {
    parse_stored(serde_json::from_str(s))
}

impl TryFrom<MovementRecord> for MovementRow {
    type Error = StoreError;
    fn try_from(r: MovementRecord) -> StoreResult<Self> {
        Ok(MovementRow {
            id: r.id,
            code: parse_stored(MovementCode::parse(&r.code))?,
            name: r.name,
            kind: parse_stored(MovementKind::parse(&r.kind))?,
            level: parse_stored(LaunchLevel::parse(&r.level))?,
            authority: r.authority_unit_id.map(UnitId),
            doc_number: r.doc_number,
            doc_date: r.doc_date,
            doc_signer: r.doc_signer,
            theme: r.theme,
            start: r.start_date,
            end: r.end_date,
            registration_deadline: r.registration_deadline,
            parent_id: r.parent_id,
            target_collectives: list(&r.target_collectives)?,
            target_individuals: list(&r.target_individuals)?,
            content_areas: list(&r.content_areas)?,
            award_forms: list(&r.award_forms)?,
            criteria: list(&r.criteria)?,
            status: parse_stored(MovementStatus::parse(&r.status))?,
        })
    }
}

pub(super) const MOVEMENT_COLS: &str = "id, code, name, kind, level, authority_unit_id, doc_number, doc_date, doc_signer, theme, \
     start_date, end_date, registration_deadline, parent_id, target_collectives, target_individuals, \
     content_areas, award_forms, criteria, status";

/// An indicator as stored: its row id and its definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub id: i64,
    pub def: IndicatorDef,
}

/// A review (sơ kết, tổng kết) to record with a status change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub held_on: Date,
    pub doc_number: Option<DocumentNumber>,
    pub report: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ReviewKind,
    pub held_on: Date,
    pub doc_number: Option<String>,
    pub report: String,
    pub created_by: String,
}

/// One value to enter.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueEntry {
    pub indicator_id: i64,
    pub unit: UnitId,
    pub period: PeriodKey,
    pub value: f64,
    pub note: Option<String>,
}

/// What an entry of values did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EntryReport {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Trạng thái số liệu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueStatus {
    /// Chờ duyệt.
    Submitted,
    /// Đã duyệt.
    Approved,
    /// Trả lại — sent back for correction.
    Returned,
}

impl ValueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueStatus::Submitted => "submitted",
            ValueStatus::Approved => "approved",
            ValueStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> StoreResult<ValueStatus> {
        match s {
            "submitted" => Ok(ValueStatus::Submitted),
            "approved" => Ok(ValueStatus::Approved),
            "returned" => Ok(ValueStatus::Returned),
            _ => Err(StoreError::Corrupt(format!("trạng thái số liệu «{s}»"))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ValueStatus::Submitted => "Chờ duyệt",
            ValueStatus::Approved => "Đã duyệt",
            ValueStatus::Returned => "Trả lại",
        }
    }
}

/// A decision on submitted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Return,
}

/// A stored value with what people need to see about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueRow {
    pub id: i64,
    pub indicator_id: i64,
    pub indicator_code: String,
    pub unit: UnitId,
    pub period: String,
    pub period_end: Date,
    pub value: f64,
    pub status: ValueStatus,
    pub note: Option<String>,
    pub version: i64,
    pub entered_by: String,
    pub entered_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct ValueRecord {
    id: i64,
    indicator_id: i64,
    indicator_code: String,
    unit_id: i64,
    period: String,
    period_end: Date,
    value: f64,
    status: String,
    note: Option<String>,
    version: i64,
    entered_by: String,
    entered_at: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
}

impl TryFrom<ValueRecord> for ValueRow {
    type Error = StoreError;
    fn try_from(r: ValueRecord) -> StoreResult<Self> {
        Ok(ValueRow {
            id: r.id,
            indicator_id: r.indicator_id,
            indicator_code: r.indicator_code,
            unit: UnitId(r.unit_id),
            period: r.period,
            period_end: r.period_end,
            value: r.value,
            status: ValueStatus::parse(&r.status)?,
            note: r.note,
            version: r.version,
            entered_by: r.entered_by,
            entered_at: r.entered_at,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
        })
    }
}

pub(super) const VALUE_COLS: &str = "v.id, v.indicator_id, i.code as indicator_code, v.unit_id, v.period, v.period_end, v.value, \
     v.status, v.note, v.version, v.entered_by, v.entered_at, v.decided_by, v.decided_at";

/// A value as stored, when new entries are compared with it.
#[derive(sqlx::FromRow)]
pub(super) struct StoredValue {
    pub(super) id: i64,
    pub(super) indicator_id: i64,
    pub(super) unit_id: i64,
    pub(super) period: String,
    pub(super) value: f64,
    pub(super) status: String,
    pub(super) version: i64,
    pub(super) note: Option<String>,
}

/// One approved value, as reports read them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ValuePoint {
    pub indicator_id: i64,
    pub unit_id: i64,
    /// The period's key ("2023", "2023-Q2", "2018-12-31"), which says its end.
    pub period: String,
    pub value: f64,
}

/// One line of a value's history.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ValueHistoryRow {
    pub version: i64,
    pub action: String,
    pub value: f64,
    pub status: String,
    pub reason: Option<String>,
    pub by_login: String,
    pub at: String,
}

/// Who registers: a unit (tập thể) or a person (cá nhân).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Registrant {
    Unit(UnitId),
    Person(i64),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistrationRow {
    pub id: i64,
    pub unit: Option<UnitId>,
    pub person_id: Option<i64>,
    pub registered_on: Date,
    pub pledges: Option<String>,
    pub registered_by: String,
    /// (indicator id, target)
    pub targets: Vec<(i64, f64)>,
}

/// A unit of the forest valid on a day, with its parent then.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ForestUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub admin_type: Option<String>,
    pub parent_id: Option<i64>,
}

/// One predecessor → successor step of a reorganisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct SuccessionEdge {
    pub predecessor: i64,
    pub successor: i64,
    pub effective: Date,
    pub is_primary: bool,
}

/// A twinning pair (cặp kết nghĩa) to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPair {
    pub kind: thidua_domain::twinning::PairKind,
    pub org: UnitId,
    /// The partner unit: a commune or a village, as the kind says.
    pub village: Option<UnitId>,
    pub household: Option<String>,
    /// The party member or civil servant who helps, for a person's pair.
    pub person: Option<i64>,
    pub since: Date,
    pub note: Option<String>,
}

/// What one visit or support action brought (hoạt động kết nghĩa, hỗ trợ).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Activity {
    pub held_on: Option<Date>,
    pub visits: i64,
    pub people: i64,
    pub money_vnd: f64,
    pub in_kind_vnd: f64,
    pub houses_built: i64,
    pub houses_repaired: i64,
    /// Đối tượng được hỗ trợ phát triển sản xuất.
    pub beneficiaries: i64,
    /// Mô hình sản xuất tổ chức.
    pub production_models: i64,
    /// Hộ thoát nghèo.
    pub households_out_of_poverty: i64,
    /// Công trình sửa chữa, xây mới.
    pub works_built: i64,
}

/// A pair with the sum of its activities up to a day.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct PairRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: thidua_domain::twinning::PairKind,
    pub org_unit_id: i64,
    pub village_unit_id: Option<i64>,
    pub household: Option<String>,
    pub person_id: Option<i64>,
    pub since: Date,
    pub visits: i64,
    pub people: i64,
    pub money_vnd: f64,
    pub in_kind_vnd: f64,
    pub houses_built: i64,
    pub houses_repaired: i64,
    pub beneficiaries: i64,
    pub production_models: i64,
    pub households_out_of_poverty: i64,
    pub works_built: i64,
}

pub(crate) fn now() -> String {
    thidua_domain::audit::timestamp(time::OffsetDateTime::now_utc())
}

pub(super) fn strings(v: &[String]) -> String {
    serde_json::Value::from(v.to_vec()).to_string()
}

pub(crate) fn conflict(e: sqlx::Error, what: String) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what),
        _ => StoreError::Database(e),
    }
}

/// Rows bound per statement when a list of ids is spliced in as placeholders.
pub(super) const CHUNK: usize = 500;

pub(super) fn placeholders(from: usize, n: usize) -> String {
    (0..n)
        .map(|i| format!("${}", from + i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kind stored for a forest unit.
pub fn forest_kind(u: &ForestUnit) -> StoreResult<UnitKind> {
    Ok(UnitKind::parse(&u.kind)?)
}
