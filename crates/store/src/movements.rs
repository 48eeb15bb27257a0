//! Movements (phong trào), their indicators, values and their approval,
//! registrations, and twinning programmes.

use crate::audit::{Change, Who, record};
use crate::{StoreError, StoreResult, on_pool, parse_stored};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use thidua_domain::document::DocumentNumber;
use thidua_domain::indicator::{IndicatorDef, PeriodKey};
use thidua_domain::movement::{LaunchLevel, MovementCode, MovementKind, MovementStatus};
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
    pub status: MovementStatus,
}

#[derive(sqlx::FromRow)]
struct MovementRecord {
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
    status: String,
}

fn list(s: &str) -> StoreResult<Vec<String>> {
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
            status: parse_stored(MovementStatus::parse(&r.status))?,
        })
    }
}

const MOVEMENT_COLS: &str = "id, code, name, kind, level, authority_unit_id, doc_number, doc_date, doc_signer, theme, \
     start_date, end_date, registration_deadline, parent_id, target_collectives, target_individuals, \
     content_areas, award_forms, status";

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
    pub kind: String,
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
struct ValueRecord {
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

const VALUE_COLS: &str = "v.id, v.indicator_id, i.code as indicator_code, v.unit_id, v.period, v.period_end, v.value, \
     v.status, v.note, v.version, v.entered_by, v.entered_at, v.decided_by, v.decided_at";

/// A value as stored, when new entries are compared with it.
#[derive(sqlx::FromRow)]
struct StoredValue {
    id: i64,
    indicator_id: i64,
    unit_id: i64,
    period: String,
    value: f64,
    status: String,
    version: i64,
    note: Option<String>,
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
    pub org: UnitId,
    pub village: Option<UnitId>,
    pub household: Option<String>,
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
}

/// A pair with the sum of its activities up to a day.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct PairRow {
    pub id: i64,
    pub org_unit_id: i64,
    pub village_unit_id: Option<i64>,
    pub household: Option<String>,
    pub since: Date,
    pub visits: i64,
    pub people: i64,
    pub money_vnd: f64,
    pub in_kind_vnd: f64,
    pub houses_built: i64,
    pub houses_repaired: i64,
}

pub(crate) fn now() -> String {
    thidua_domain::audit::timestamp(time::OffsetDateTime::now_utc())
}

fn strings(v: &[String]) -> String {
    serde_json::Value::from(v.to_vec()).to_string()
}

pub(crate) fn conflict(e: sqlx::Error, what: String) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what),
        _ => StoreError::Database(e),
    }
}

/// Rows bound per statement when a list of ids is spliced in as placeholders.
const CHUNK: usize = 500;

fn placeholders(from: usize, n: usize) -> String {
    (0..n)
        .map(|i| format!("${}", from + i))
        .collect::<Vec<_>>()
        .join(", ")
}

impl crate::Store {
    /// Creates a movement in draft with its indicators.
    pub async fn create_movement(&self, who: &Who, m: &NewMovement) -> StoreResult<i64> {
        thidua_domain::indicator::check_indicators(&m.indicators).map_err(|errs| {
            StoreError::Conflict(
                errs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let defs: Vec<String> = m
            .indicators
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into movements (code, name, kind, level, authority_unit_id, doc_number, doc_date, doc_signer, \
                 theme, start_date, end_date, registration_deadline, parent_id, target_collectives, target_individuals, \
                 content_areas, award_forms, status, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'draft', $18) returning id",
            )
            .bind(m.code.as_str())
            .bind(m.name.trim())
            .bind(m.kind.as_str())
            .bind(m.level.as_str())
            .bind(m.authority.map(|u| u.0))
            .bind(m.doc_number.as_ref().map(DocumentNumber::as_str))
            .bind(m.doc_date)
            .bind(m.doc_signer.as_deref())
            .bind(m.theme.as_deref())
            .bind(m.start)
            .bind(m.end)
            .bind(m.registration_deadline)
            .bind(m.parent)
            .bind(strings(&m.target_collectives))
            .bind(strings(&m.target_individuals))
            .bind(strings(&m.content_areas))
            .bind(strings(&m.award_forms))
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, format!("mã phong trào {} đã được dùng", m.code)))?;
            for (pos, (def, json)) in m.indicators.iter().zip(&defs).enumerate() {
                sqlx::query(
                    "insert into indicators (movement_id, position, code, definition) values ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(pos as i64)
                .bind(def.code.as_str())
                .bind(json)
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("movement.create", "movement", id).after(json!({
                    "code": m.code.as_str(), "name": m.name, "kind": m.kind.as_str(),
                    "level": m.level.as_str(), "start": m.start.to_string(),
                    "end": m.end.map(|d| d.to_string()),
                    "indicators": m.indicators.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn movements(&self) -> StoreResult<Vec<MovementRow>> {
        let sql = format!("select {MOVEMENT_COLS} from movements order by start_date desc, code");
        let recs: Vec<MovementRecord> =
            on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .fetch_all(p)
                .await?);
        recs.into_iter().map(MovementRow::try_from).collect()
    }

    pub async fn movement_by_code(&self, code: &MovementCode) -> StoreResult<Option<MovementRow>> {
        let sql = format!("select {MOVEMENT_COLS} from movements where code = $1");
        let rec: Option<MovementRecord> =
            on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(code.as_str())
                .fetch_optional(p)
                .await?);
        rec.map(MovementRow::try_from).transpose()
    }

    pub async fn movement(&self, id: i64) -> StoreResult<Option<MovementRow>> {
        let sql = format!("select {MOVEMENT_COLS} from movements where id = $1");
        let rec: Option<MovementRecord> =
            on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .fetch_optional(p)
                .await?);
        rec.map(MovementRow::try_from).transpose()
    }

    pub async fn indicators(&self, movement: i64) -> StoreResult<Vec<IndicatorRow>> {
        let recs: Vec<(i64, String)> = on_pool!(self, |p| sqlx::query_as(
            "select id, definition from indicators where movement_id = $1 order by position"
        )
        .bind(movement)
        .fetch_all(p)
        .await?);
        recs.into_iter()
            .map(|(id, def)| {
                Ok(IndicatorRow {
                    id,
                    def: parse_stored(serde_json::from_str(&def))?,
                })
            })
            .collect()
    }

    /// Moves a movement along its lifecycle; a review needs its date and report.
    pub async fn set_movement_status(
        &self,
        who: &Who,
        id: i64,
        to: MovementStatus,
        review: Option<&Review>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let cur: Option<(String,)> =
                sqlx::query_as("select status from movements where id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let cur = cur.ok_or_else(|| StoreError::NotFound(format!("phong trào #{id}")))?;
            let from = parse_stored(MovementStatus::parse(&cur.0))?;
            from.transition(to)
                .map_err(|e| StoreError::Conflict(e.to_string()))?;
            if to.is_review() {
                let r = review.ok_or_else(|| {
                    StoreError::Conflict("sơ kết, tổng kết cần ngày và báo cáo".to_owned())
                })?;
                sqlx::query(
                    "insert into movement_reviews (movement_id, kind, held_on, doc_number, report, created_by, created_at) \
                     values ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(if to == MovementStatus::FinalReview { "final" } else { "interim" })
                .bind(r.held_on)
                .bind(r.doc_number.as_ref().map(DocumentNumber::as_str))
                .bind(r.report.trim())
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("update movements set status = $2 where id = $1")
                .bind(id)
                .bind(to.as_str())
                .execute(&mut *tx)
                .await?;
            record!(
                tx,
                d,
                who,
                Change::new("movement.status", "movement", id)
                    .before(json!({ "status": from.as_str() }))
                    .after(json!({
                        "status": to.as_str(),
                        "review": review.map(|r| json!({
                            "held_on": r.held_on.to_string(),
                            "doc_number": r.doc_number.as_ref().map(DocumentNumber::as_str),
                        })),
                    }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn movement_reviews(&self, id: i64) -> StoreResult<Vec<ReviewRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select kind, held_on, doc_number, report, created_by from movement_reviews where movement_id = $1 order by held_on, id"
        )
        .bind(id)
        .fetch_all(p)
        .await?
        }))
    }

    /// Attaches the launching document's file.
    pub async fn attach_movement_file(
        &self,
        who: &Who,
        id: i64,
        file_name: &str,
        content_type: &str,
        content: &[u8],
    ) -> StoreResult<i64> {
        let file_id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (fid,): (i64,) = sqlx::query_as(
                "insert into movement_files (movement_id, file_name, content_type, content, uploaded_by, uploaded_at) \
                 values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(id)
            .bind(file_name)
            .bind(content_type)
            .bind(content)
            .bind(&who.login)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("movement.file", "movement", id).after(json!({
                    "file_id": fid, "file_name": file_name, "bytes": content.len(),
                }))
            );
            tx.commit().await?;
            fid
        });
        Ok(file_id)
    }

    /// (id, file name, content type, size) of a movement's files.
    pub async fn movement_files(&self, id: i64) -> StoreResult<Vec<(i64, String, String)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select id, file_name, content_type from movement_files where movement_id = $1 order by id"
        )
        .bind(id)
        .fetch_all(p)
        .await?
        }))
    }

    /// (file name, content type, bytes) of one file of a movement.
    pub async fn movement_file(
        &self,
        movement: i64,
        file: i64,
    ) -> StoreResult<Option<(String, String, Vec<u8>)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select file_name, content_type, content from movement_files where movement_id = $1 and id = $2"
        )
        .bind(movement)
        .bind(file)
        .fetch_optional(p)
        .await?
        }))
    }

    /// Enters values, all or none. An approved value is refused: it has to
    /// be reopened first. The caller has checked units, periods and types.
    pub async fn enter_values(
        &self,
        who: &Who,
        movement: i64,
        entries: &[ValueEntry],
    ) -> StoreResult<EntryReport> {
        self.enter_values_as(who, movement, entries, false).await
    }

    /// [`Store::enter_values`], and with `approve` the values of this batch
    /// — exactly these, new, changed or unchanged — approved in the same
    /// transaction (figures the province enters itself: `values import
    /// --approve`). Other pending values are left as they are.
    pub async fn enter_values_as(
        &self,
        who: &Who,
        movement: i64,
        entries: &[ValueEntry],
        approve: bool,
    ) -> StoreResult<EntryReport> {
        let mut report = EntryReport::default();
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query(d.bulk_write).execute(&mut *tx).await?;
            // What is stored now for this movement, keyed as entered.
            let existing: Vec<StoredValue> = sqlx::query_as(
                "select v.id, v.indicator_id, v.unit_id, v.period, v.value, v.status, v.version, v.note \
                 from indicator_values v join indicators i on i.id = v.indicator_id where i.movement_id = $1",
            )
            .bind(movement)
            .fetch_all(&mut *tx)
            .await?;
            let existing: HashMap<(i64, i64, String), StoredValue> = existing
                .into_iter()
                .map(|v| ((v.indicator_id, v.unit_id, v.period.clone()), v))
                .collect();
            let at = now();
            let mut refused = Vec::new();
            let mut batch: Vec<i64> = Vec::new();
            for e in entries {
                let key = (e.indicator_id, e.unit.0, e.period.key());
                let (value_id, version) = match existing.get(&key) {
                    Some(v) if v.status == "approved" => {
                        refused.push(format!("{} kỳ {}", e.indicator_id, e.period.label()));
                        continue;
                    }
                    Some(v)
                        if v.value == e.value && v.status == "submitted" && v.note == e.note =>
                    {
                        report.unchanged += 1;
                        batch.push(v.id);
                        continue;
                    }
                    Some(v) => {
                        let (id, version) = (v.id, v.version);
                        sqlx::query(
                            "update indicator_values set value = $2, status = 'submitted', note = $3, version = $4, \
                             entered_by = $5, entered_at = $6, decided_by = null, decided_at = null where id = $1",
                        )
                        .bind(id)
                        .bind(e.value)
                        .bind(e.note.as_deref())
                        .bind(version + 1)
                        .bind(&who.login)
                        .bind(&at)
                        .execute(&mut *tx)
                        .await?;
                        report.updated += 1;
                        (id, version + 1)
                    }
                    None => {
                        let (id,): (i64,) = sqlx::query_as(
                            "insert into indicator_values (indicator_id, unit_id, period, period_end, value, status, note, \
                             version, entered_by, entered_at) values ($1, $2, $3, $4, $5, 'submitted', $6, 1, $7, $8) returning id",
                        )
                        .bind(e.indicator_id)
                        .bind(e.unit.0)
                        .bind(e.period.key())
                        .bind(e.period.end())
                        .bind(e.value)
                        .bind(e.note.as_deref())
                        .bind(&who.login)
                        .bind(&at)
                        .fetch_one(&mut *tx)
                        .await?;
                        report.inserted += 1;
                        (id, 1)
                    }
                };
                sqlx::query(
                    "insert into indicator_value_history (value_id, version, action, value, status, reason, by_login, at) \
                     values ($1, $2, 'enter', $3, 'submitted', $4, $5, $6)",
                )
                .bind(value_id)
                .bind(version)
                .bind(e.value)
                .bind(e.note.as_deref())
                .bind(&who.login)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
                batch.push(value_id);
            }
            if !refused.is_empty() {
                // Dropping the transaction rolls back what was written above.
                return Err(StoreError::Conflict(format!(
                    "{} giá trị đã được duyệt, cần mở lại trước khi sửa",
                    refused.len()
                )));
            }
            if report.inserted + report.updated > 0 {
                let mut units: Vec<i64> = entries.iter().map(|e| e.unit.0).collect();
                units.sort_unstable();
                units.dedup();
                let mut periods: Vec<String> = entries.iter().map(|e| e.period.key()).collect();
                periods.sort();
                periods.dedup();
                record!(
                    tx,
                    d,
                    who,
                    Change::new("values.enter", "movement", movement).after(json!({
                        "inserted": report.inserted, "updated": report.updated,
                        "units": units, "periods": periods,
                    }))
                );
            }
            if approve && !batch.is_empty() {
                batch.sort_unstable();
                batch.dedup();
                for chunk in batch.chunks(CHUNK) {
                    let ids = placeholders(3, chunk.len());
                    let hist = format!(
                        "insert into indicator_value_history (value_id, version, action, value, status, reason, by_login, at) \
                         select id, version, 'approve', value, 'approved', null, $1, $2 from indicator_values \
                         where status = 'submitted' and id in ({ids})"
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(hist))
                        .bind(&who.login)
                        .bind(&at);
                    for id in chunk {
                        q = q.bind(id);
                    }
                    q.execute(&mut *tx).await?;
                    let upd = format!(
                        "update indicator_values set status = 'approved', decided_by = $1, decided_at = $2 \
                         where status = 'submitted' and id in ({ids})"
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(upd))
                        .bind(&who.login)
                        .bind(&at);
                    for id in chunk {
                        q = q.bind(id);
                    }
                    q.execute(&mut *tx).await?;
                }
                record!(
                    tx,
                    d,
                    who,
                    Change::new("values.approve", "movement", movement)
                        .after(json!({ "values": batch.len(), "value_ids": batch }))
                );
            }
            tx.commit().await?;
        });
        Ok(report)
    }

    /// Approves or returns the submitted values of `units` (all periods, or
    /// one). Returns how many values changed.
    pub async fn decide_values(
        &self,
        who: &Who,
        movement: i64,
        units: &[UnitId],
        period: Option<&str>,
        decision: Decision,
        reason: Option<&str>,
    ) -> StoreResult<u64> {
        let (status, action) = match decision {
            Decision::Approve => ("approved", "approve"),
            Decision::Return => ("returned", "return"),
        };
        let at = now();
        let mut changed = 0u64;
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            for chunk in units.chunks(CHUNK) {
                let sel = |first: usize| {
                    format!(
                        "v.status = 'submitted' and v.indicator_id in (select id from indicators where movement_id = $1) \
                         and ($2 is null or v.period = $2) and v.unit_id in ({})",
                        placeholders(first, chunk.len())
                    )
                };
                // History first, while the rows still say 'submitted'.
                let hist = format!(
                    "insert into indicator_value_history (value_id, version, action, value, status, reason, by_login, at) \
                     select v.id, v.version, '{action}', v.value, '{status}', $3, $4, $5 from indicator_values v where {}",
                    sel(6)
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(hist))
                    .bind(movement)
                    .bind(period)
                    .bind(reason)
                    .bind(&who.login)
                    .bind(&at);
                for u in chunk {
                    q = q.bind(u.0);
                }
                q.execute(&mut *tx).await?;
                let upd = format!(
                    "update indicator_values set status = '{status}', decided_by = ${}, decided_at = ${} \
                     where id in (select v.id from indicator_values v where {})",
                    chunk.len() + 3,
                    chunk.len() + 4,
                    sel(3)
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(upd))
                    .bind(movement)
                    .bind(period);
                for u in chunk {
                    q = q.bind(u.0);
                }
                changed += q
                    .bind(&who.login)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            if changed > 0 {
                record!(
                    tx,
                    d,
                    who,
                    Change::new(
                        if decision == Decision::Approve {
                            "values.approve"
                        } else {
                            "values.return"
                        },
                        "movement",
                        movement
                    )
                    .after(json!({
                        "values": changed, "units": units.iter().map(|u| u.0).collect::<Vec<_>>(),
                        "period": period, "reason": reason,
                    }))
                );
            }
            tx.commit().await?;
        });
        Ok(changed)
    }

    /// Reopens an approved value so it can be corrected; the reason is kept.
    pub async fn reopen_value(&self, who: &Who, value_id: i64, reason: &str) -> StoreResult<()> {
        let at = now();
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let cur: Option<(String, f64, i64)> =
                sqlx::query_as("select status, value, version from indicator_values where id = $1")
                    .bind(value_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (status, value, version) =
                cur.ok_or_else(|| StoreError::NotFound(format!("số liệu #{value_id}")))?;
            if status != "approved" {
                return Err(StoreError::Conflict(
                    "chỉ mở lại được số liệu đã duyệt".to_owned(),
                ));
            }
            sqlx::query(
                "update indicator_values set status = 'submitted', decided_by = null, decided_at = null where id = $1",
            )
            .bind(value_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "insert into indicator_value_history (value_id, version, action, value, status, reason, by_login, at) \
                 values ($1, $2, 'reopen', $3, 'submitted', $4, $5, $6)",
            )
            .bind(value_id)
            .bind(version)
            .bind(value)
            .bind(reason)
            .bind(&who.login)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("values.reopen", "indicator_value", value_id)
                    .before(json!({ "status": "approved" }))
                    .after(json!({ "status": "submitted", "reason": reason }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Values of a movement for some units (all units when `units` is None).
    pub async fn value_rows(
        &self,
        movement: i64,
        units: Option<&[UnitId]>,
    ) -> StoreResult<Vec<ValueRow>> {
        let base = format!(
            "select {VALUE_COLS} from indicator_values v join indicators i on i.id = v.indicator_id where i.movement_id = $1"
        );
        let mut recs: Vec<ValueRecord> = Vec::new();
        match units {
            None => {
                let sql = format!("{base} order by v.unit_id, v.period, i.position");
                recs = on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(movement)
                    .fetch_all(p)
                    .await?);
            }
            Some(units) => {
                for chunk in units.chunks(CHUNK) {
                    let sql = format!(
                        "{base} and v.unit_id in ({}) order by v.unit_id, v.period, i.position",
                        placeholders(2, chunk.len())
                    );
                    let part: Vec<ValueRecord> = on_pool!(self, |p| {
                        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(movement);
                        for u in chunk {
                            q = q.bind(u.0);
                        }
                        q.fetch_all(p).await?
                    });
                    recs.extend(part);
                }
            }
        }
        recs.into_iter().map(ValueRow::try_from).collect()
    }

    /// (movement id, unit id, values) of every unit with values in `status`.
    pub async fn values_waiting(&self, status: ValueStatus) -> StoreResult<Vec<(i64, i64, i64)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select i.movement_id, v.unit_id, count(*) from indicator_values v join indicators i on i.id = v.indicator_id \
             where v.status = $1 group by i.movement_id, v.unit_id order by i.movement_id, v.unit_id"
        )
        .bind(status.as_str())
        .fetch_all(p)
        .await?
        }))
    }

    pub async fn value_history(&self, value_id: i64) -> StoreResult<Vec<ValueHistoryRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select version, action, value, status, reason, by_login, at from indicator_value_history \
             where value_id = $1 order by id"
        )
        .bind(value_id)
        .fetch_all(p)
        .await?
        }))
    }

    /// Every approved value of a movement: what reports are computed from.
    pub async fn approved_values(&self, movement: i64) -> StoreResult<Vec<ValuePoint>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select v.indicator_id, v.unit_id, v.period, v.value from indicator_values v \
             where v.indicator_id in (select id from indicators where movement_id = $1) and v.status = 'approved'"
        )
        .bind(movement)
        .fetch_all(p)
        .await?
        }))
    }

    /// Registers a unit or a person, with targets per indicator.
    pub async fn register(
        &self,
        who: &Who,
        movement: i64,
        registrant: Registrant,
        on: Date,
        pledges: Option<&str>,
        targets: &[(i64, f64)],
    ) -> StoreResult<i64> {
        let (unit, person) = match registrant {
            Registrant::Unit(u) => (Some(u.0), None),
            Registrant::Person(p) => (None, Some(p)),
        };
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into registrations (movement_id, unit_id, person_id, registered_on, pledges, registered_by) \
                 values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(movement)
            .bind(unit)
            .bind(person)
            .bind(on)
            .bind(pledges.map(str::trim).filter(|s| !s.is_empty()))
            .bind(&who.login)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, "đơn vị hoặc cá nhân này đã đăng ký phong trào".to_owned()))?;
            for (indicator, target) in targets {
                sqlx::query(
                    "insert into registration_targets (registration_id, indicator_id, target) values ($1, $2, $3)",
                )
                .bind(id)
                .bind(indicator)
                .bind(target)
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("movement.register", "movement", movement).after(json!({
                    "registration": id, "unit_id": unit, "person_id": person,
                    "on": on.to_string(), "pledges": pledges, "targets": targets,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn registrations(&self, movement: i64) -> StoreResult<Vec<RegistrationRow>> {
        type Rec = (i64, Option<i64>, Option<i64>, Date, Option<String>, String);
        let (recs, targets): (Vec<Rec>, Vec<(i64, i64, f64)>) = on_pool!(self, |p| {
            let recs = sqlx::query_as(
                "select id, unit_id, person_id, registered_on, pledges, registered_by from registrations \
                 where movement_id = $1 order by registered_on, id",
            )
            .bind(movement)
            .fetch_all(p)
            .await?;
            let targets = sqlx::query_as(
                "select t.registration_id, t.indicator_id, t.target from registration_targets t \
                 join registrations r on r.id = t.registration_id where r.movement_id = $1",
            )
            .bind(movement)
            .fetch_all(p)
            .await?;
            (recs, targets)
        });
        let mut by_reg: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
        for (r, i, t) in targets {
            by_reg.entry(r).or_default().push((i, t));
        }
        Ok(recs
            .into_iter()
            .map(|(id, unit, person, on, pledges, by)| RegistrationRow {
                id,
                unit: unit.map(UnitId),
                person_id: person,
                registered_on: on,
                pledges,
                registered_by: by,
                targets: by_reg.remove(&id).unwrap_or_default(),
            })
            .collect())
    }

    /// Every unit valid on `date` with its parent on that day, in one read:
    /// reports place thousands of units and walk the tree in memory.
    pub async fn forest_as_of(&self, date: Date) -> StoreResult<Vec<ForestUnit>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select u.id, u.code, u.name, u.kind, u.admin_type, l.parent_id from org_units u \
             left join org_links l on l.child_id = u.id \
               and (l.valid_from is null or l.valid_from <= $1) and (l.valid_until is null or l.valid_until > $1) \
             where (u.valid_from is null or u.valid_from <= $1) and (u.valid_until is null or u.valid_until > $1)"
        )
        .bind(date)
        .fetch_all(p)
        .await?
        }))
    }

    /// Every predecessor → successor step of every reorganisation.
    pub async fn succession_edges(&self) -> StoreResult<Vec<SuccessionEdge>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select a.unit_id as predecessor, b.unit_id as successor, e.effective, a.is_primary \
             from reorg_event_units a join reorg_event_units b on b.event_id = a.event_id and b.role = 'successor' \
             join reorg_events e on e.id = a.event_id where a.role = 'predecessor'"
        )
        .fetch_all(p)
        .await?
        }))
    }

    pub async fn add_twinning_pair(
        &self,
        who: &Who,
        movement: i64,
        pair: &NewPair,
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into twinning_pairs (movement_id, org_unit_id, village_unit_id, household, since, note) \
                 values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(movement)
            .bind(pair.org.0)
            .bind(pair.village.map(|v| v.0))
            .bind(pair.household.as_deref())
            .bind(pair.since)
            .bind(pair.note.as_deref())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("twinning.pair", "movement", movement).after(json!({
                    "pair": id, "org_unit_id": pair.org.0, "village_unit_id": pair.village.map(|v| v.0),
                    "household": pair.household, "since": pair.since.to_string(),
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn add_twinning_activity(
        &self,
        who: &Who,
        pair: i64,
        a: &Activity,
    ) -> StoreResult<i64> {
        let held_on = a
            .held_on
            .ok_or_else(|| StoreError::Conflict("hoạt động cần ngày thực hiện".to_owned()))?;
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into twinning_activities (pair_id, held_on, visits, people, money_vnd, in_kind_vnd, \
                 houses_built, houses_repaired, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
            )
            .bind(pair)
            .bind(held_on)
            .bind(a.visits)
            .bind(a.people)
            .bind(a.money_vnd)
            .bind(a.in_kind_vnd)
            .bind(a.houses_built)
            .bind(a.houses_repaired)
            .bind(&who.login)
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("twinning.activity", "twinning_pair", pair).after(json!({
                    "activity": id, "held_on": held_on.to_string(), "visits": a.visits, "people": a.people,
                    "money_vnd": a.money_vnd, "in_kind_vnd": a.in_kind_vnd,
                    "houses_built": a.houses_built, "houses_repaired": a.houses_repaired,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The pairs of a movement, each with its activities summed up to `as_of`.
    pub async fn twinning_pairs(&self, movement: i64, as_of: Date) -> StoreResult<Vec<PairRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select t.id, t.org_unit_id, t.village_unit_id, t.household, t.since, \
             cast(coalesce(sum(a.visits), 0) as bigint) as visits, cast(coalesce(sum(a.people), 0) as bigint) as people, \
             cast(coalesce(sum(a.money_vnd), 0) as double precision) as money_vnd, \
             cast(coalesce(sum(a.in_kind_vnd), 0) as double precision) as in_kind_vnd, \
             cast(coalesce(sum(a.houses_built), 0) as bigint) as houses_built, \
             cast(coalesce(sum(a.houses_repaired), 0) as bigint) as houses_repaired \
             from twinning_pairs t left join twinning_activities a on a.pair_id = t.id and a.held_on <= $2 \
             where t.movement_id = $1 and t.since <= $2 group by t.id, t.org_unit_id, t.village_unit_id, t.household, t.since \
             order by t.id"
        )
        .bind(movement)
        .bind(as_of)
        .fetch_all(p)
        .await?
        }))
    }
}

/// The kind stored for a forest unit.
pub fn forest_kind(u: &ForestUnit) -> StoreResult<UnitKind> {
    Ok(UnitKind::parse(&u.kind)?)
}
