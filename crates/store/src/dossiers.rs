//! Nomination dossiers (hồ sơ đề nghị khen thưởng): their lines, files,
//! timeline, council votes and public feedback; the calendar's overrides,
//! the procedure's limits and notifications. The state machine is the
//! domain's; this module writes what the application decided, refusing a
//! change made on a version someone else has moved on from.

use crate::audit::{Change, Who, record};
use crate::movements::{conflict, now};
use crate::registry::SubjectRef;
use crate::{StoreError, StoreResult, on_pool};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use thidua_domain::calendar::Override;
use thidua_domain::dossier::{DossierAction, DossierState, LineStatus, VoteChoice};
use thidua_domain::eligibility::Outcome;
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::org::UnitId;
use time::Date;

/// The header of a dossier as the proposing unit writes it.
#[derive(Debug, Clone, Default)]
pub struct DossierHeader {
    pub award_type: AwardType,
    pub movement_id: Option<i64>,
    /// Trích yếu — what the dossier asks for, in a line.
    pub title: String,
    /// Tờ trình: số, ngày, người ký.
    pub letter_number: Option<String>,
    pub letter_date: Option<Date>,
    pub letter_signer: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DossierRow {
    pub id: i64,
    pub unit_id: UnitId,
    pub award_type: AwardType,
    pub movement_id: Option<i64>,
    pub title: String,
    pub state: DossierState,
    pub version: i64,
    pub letter_number: Option<String>,
    pub letter_date: Option<Date>,
    pub letter_signer: Option<String>,
    pub receipt_number: Option<String>,
    pub posted_from: Option<Date>,
    pub posted_until: Option<Date>,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub decision_signer: Option<String>,
    pub decision_issuer: Option<String>,
    pub forward_number: Option<String>,
    pub forward_date: Option<Date>,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct DossierRec {
    id: i64,
    unit_id: i64,
    award_type: String,
    movement_id: Option<i64>,
    title: String,
    state: String,
    version: i64,
    letter_number: Option<String>,
    letter_date: Option<Date>,
    letter_signer: Option<String>,
    receipt_number: Option<String>,
    posted_from: Option<Date>,
    posted_until: Option<Date>,
    decision_number: Option<String>,
    decision_date: Option<Date>,
    decision_signer: Option<String>,
    decision_issuer: Option<String>,
    forward_number: Option<String>,
    forward_date: Option<Date>,
    reason: Option<String>,
    created_by: String,
    created_at: String,
    updated_at: String,
}

const DOSSIER_COLS: &str = "id, unit_id, award_type, movement_id, title, state, cast(version as bigint) as version, \
    letter_number, letter_date, letter_signer, receipt_number, posted_from, posted_until, decision_number, \
    decision_date, decision_signer, decision_issuer, forward_number, forward_date, reason, created_by, \
    created_at, updated_at";

impl TryFrom<DossierRec> for DossierRow {
    type Error = StoreError;
    fn try_from(r: DossierRec) -> StoreResult<Self> {
        Ok(DossierRow {
            id: r.id,
            unit_id: UnitId(r.unit_id),
            award_type: AwardType::parse(&r.award_type)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            movement_id: r.movement_id,
            title: r.title,
            state: DossierState::parse(&r.state).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            version: r.version,
            letter_number: r.letter_number,
            letter_date: r.letter_date,
            letter_signer: r.letter_signer,
            receipt_number: r.receipt_number,
            posted_from: r.posted_from,
            posted_until: r.posted_until,
            decision_number: r.decision_number,
            decision_date: r.decision_date,
            decision_signer: r.decision_signer,
            decision_issuer: r.decision_issuer,
            forward_number: r.forward_number,
            forward_date: r.forward_date,
            reason: r.reason,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// A subject proposed in a dossier.
#[derive(Debug, Clone)]
pub struct NewDossierLine {
    pub subject: SubjectRef,
    pub code: String,
    pub period_from: i32,
    pub period_to: i32,
    /// Tóm tắt thành tích.
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DossierLineRow {
    pub id: i64,
    pub dossier_id: i64,
    pub subject: SubjectRef,
    /// The person's or the collective's name today.
    pub name: String,
    pub birth_date: Option<Date>,
    pub code: String,
    pub period_from: i32,
    pub period_to: i32,
    pub summary: String,
    pub outcome: Option<Outcome>,
    pub verdict: Option<String>,
    pub checked_on: Option<Date>,
    pub override_reason: Option<String>,
    pub status: LineStatus,
    pub note: Option<String>,
    pub tally: Option<String>,
}

/// A posted line's id, proposing unit and last day of posting.
type PostingOf = (i64, i64, Option<Date>);

/// A line on the public page.
#[derive(Debug, Clone)]
pub struct PostedLine {
    pub line: DossierLineRow,
    pub proposer: UnitId,
    pub posted_until: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct LineRec {
    id: i64,
    dossier_id: i64,
    person_id: Option<i64>,
    unit_id: Option<i64>,
    person_name: Option<String>,
    unit_name: Option<String>,
    birth_date: Option<Date>,
    code: String,
    period_from: i32,
    period_to: i32,
    summary: String,
    outcome: Option<String>,
    verdict: Option<String>,
    checked_on: Option<Date>,
    override_reason: Option<String>,
    status: String,
    note: Option<String>,
    tally: Option<String>,
}

const LINE_SELECT: &str = "select l.id, l.dossier_id, l.person_id, l.unit_id, p.full_name as person_name, \
    u.name as unit_name, p.birth_date, l.code, l.period_from, l.period_to, l.summary, l.outcome, l.verdict, \
    l.checked_on, l.override_reason, l.status, l.note, l.tally \
    from dossier_lines l left join people p on p.id = l.person_id left join org_units u on u.id = l.unit_id";

impl TryFrom<LineRec> for DossierLineRow {
    type Error = StoreError;
    fn try_from(r: LineRec) -> StoreResult<Self> {
        let subject = match (r.person_id, r.unit_id) {
            (Some(p), None) => SubjectRef::Person(p),
            (None, Some(u)) => SubjectRef::Unit(UnitId(u)),
            _ => {
                return Err(StoreError::Corrupt(
                    "dossier line without one subject".into(),
                ));
            }
        };
        Ok(DossierLineRow {
            id: r.id,
            dossier_id: r.dossier_id,
            subject,
            name: r.person_name.or(r.unit_name).unwrap_or_default(),
            birth_date: r.birth_date,
            code: r.code,
            period_from: r.period_from,
            period_to: r.period_to,
            summary: r.summary,
            outcome: match r.outcome {
                Some(o) => Some(
                    Outcome::parse(&o)
                        .ok_or_else(|| StoreError::Corrupt(format!("outcome «{o}»")))?,
                ),
                None => None,
            },
            verdict: r.verdict,
            checked_on: r.checked_on,
            override_reason: r.override_reason,
            status: LineStatus::parse(&r.status).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            note: r.note,
            tally: r.tally,
        })
    }
}

/// A step of the timeline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DossierEvent {
    pub id: i64,
    pub at: String,
    pub on_day: Date,
    pub login: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DossierFileRow {
    pub id: i64,
    pub line_id: Option<i64>,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

/// An uploaded file, checked by the caller (type by content, size, hash).
#[derive(Debug, Clone)]
pub struct NewDossierFile<'a> {
    pub line_id: Option<i64>,
    pub kind: &'static str,
    pub file_name: &'a str,
    pub content_type: &'static str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

/// Fields a step sets on the dossier; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct DossierPatch {
    pub receipt_number: Option<String>,
    pub posted_from: Option<Date>,
    pub posted_until: Option<Date>,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub decision_signer: Option<String>,
    pub decision_issuer: Option<String>,
    pub forward_number: Option<String>,
    pub forward_date: Option<Date>,
    pub reason: Option<String>,
}

/// A line's new status within a step.
#[derive(Debug, Clone)]
pub struct LineChange {
    pub line: i64,
    pub status: LineStatus,
    pub note: Option<String>,
    pub tally: Option<String>,
}

/// What enters the registry when a decision is recorded.
#[derive(Debug, Clone)]
pub struct RegistryEntry {
    pub subject: SubjectRef,
    pub code: String,
    /// Annual titles go to `titles` (one per subject-year); the rest to
    /// `awards` with their achievement period.
    pub annual_title: bool,
    pub period_from: i32,
    pub period_to: i32,
    /// Loại hình: regular, thematic, ad_hoc…
    pub award_type: String,
    /// Thành tích, as the decision's list states it.
    pub achievement: Option<String>,
    pub bonus_vnd: Option<i64>,
    /// The unit the subject belonged to on the decision day.
    pub subject_unit: Option<UnitId>,
    pub movement: Option<i64>,
}

/// A notice for one account, with its e-mail copy in the outbox.
#[derive(Debug, Clone)]
pub struct Notice {
    pub user_id: i64,
    pub login: String,
    pub kind: &'static str,
    pub message: String,
    pub dedup_key: Option<String>,
}

/// A step of the procedure, decided by the application.
/// A line's verdict: its id, the outcome and the verdict as JSON.
pub type LineVerdict = (i64, Outcome, String);

#[derive(Debug, Clone)]
pub struct Step {
    pub dossier: i64,
    /// The version the actor read; a different current version is a
    /// conflict.
    pub version: i64,
    pub from: DossierState,
    pub to: DossierState,
    pub action: DossierAction,
    pub on_day: Date,
    pub note: Option<String>,
    pub patch: DossierPatch,
    /// The engine's fresh verdicts on the lines, recorded with the step.
    pub checks: Vec<LineVerdict>,
    pub lines: Vec<LineChange>,
    pub registry: Vec<RegistryEntry>,
    /// The decision the step issues or records; the registry entries
    /// then belong to it.
    pub decision: Option<crate::decisions::NewDecision>,
    pub notices: Vec<Notice>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VoteRow {
    pub line_id: i64,
    pub user_id: i64,
    pub login: String,
    pub vote: String,
    pub voted_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: i64,
    pub dossier_id: i64,
    pub line_id: Option<i64>,
    pub name: String,
    pub contact: String,
    pub body: String,
    pub received_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub dossier_id: Option<i64>,
    pub kind: String,
    pub message: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// Another open dossier proposing the same subject.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OpenProposal {
    pub dossier_id: i64,
    pub line_id: i64,
    pub code: String,
    pub state: String,
}

fn stale(id: i64) -> StoreError {
    StoreError::Conflict(format!(
        "hồ sơ #{id} vừa được người khác cập nhật; hãy tải lại trang để xem trạng thái mới rồi thao tác lại"
    ))
}

/// Records the engine's verdicts on a dossier's lines, and their audit
/// entry, inside the open transaction.
macro_rules! line_checks {
    ($tx:expr, $d:expr, $who:expr, $dossier:expr, $checks:expr, $on:expr) => {{
        let checks: &[LineVerdict] = $checks;
        for (line, outcome, verdict) in checks {
            sqlx::query(
                "update dossier_lines set outcome = $1, verdict = $2, checked_on = $3 where id = $4 and dossier_id = $5",
            )
            .bind(outcome.as_str())
            .bind(verdict)
            .bind($on)
            .bind(line)
            .bind($dossier)
            .execute(&mut *$tx)
            .await?;
        }
        record!(
            $tx,
            $d,
            $who,
            Change::new("dossier.check", "dossier", $dossier).after(json!({
                "lines": checks.iter().map(|(l, o, _)| json!({"line": l, "outcome": o.as_str()})).collect::<Vec<_>>(),
            }))
        );
    }};
}

/// Appends a step to the dossier's timeline inside the open transaction.
macro_rules! timeline {
    ($tx:expr, $dossier:expr, $who:expr, $action:expr, $from:expr, $to:expr, $note:expr, $day:expr) => {
        sqlx::query(
            "insert into dossier_events (dossier_id, at, on_day, login, action, from_state, to_state, note) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($dossier)
        .bind(now())
        .bind($day)
        .bind(&$who.login)
        .bind($action)
        .bind($from)
        .bind($to)
        .bind($note)
        .execute(&mut *$tx)
        .await?
    };
}

/// Inserts a notice and its e-mail copy in the outbox inside the open
/// transaction.
macro_rules! notice {
    ($tx:expr, $dossier:expr, $n:expr) => {{
        let n: &Notice = $n;
        let (nid,): (i64,) = sqlx::query_as(
            "insert into notifications (user_id, dossier_id, kind, message, dedup_key, created_at) \
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(n.user_id)
        .bind($dossier)
        .bind(n.kind)
        .bind(&n.message)
        .bind(n.dedup_key.as_deref())
        .bind(now())
        .fetch_one(&mut *$tx)
        .await?;
        sqlx::query(
            "insert into outbox (notification_id, channel, recipient, subject, body, created_at) \
             values ($1, 'email', $2, $3, $4, $5)",
        )
        .bind(nid)
        .bind(&n.login)
        .bind(format!("[thidua] Hồ sơ #{}", $dossier))
        .bind(&n.message)
        .bind(now())
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Moves a dossier that is editable by its unit to a new version, or
/// says why not.
macro_rules! touch_editable {
    ($tx:expr, $id:expr) => {{
        let cur: Option<(String,)> = sqlx::query_as("select state from dossiers where id = $1")
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let Some((state,)) = cur else {
            return Err(StoreError::NotFound(format!("hồ sơ #{}", $id)));
        };
        let state = DossierState::parse(&state).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if !state.editable_by_proposer() {
            return Err(StoreError::Conflict(format!(
                "hồ sơ đang ở trạng thái «{}», đơn vị không sửa được",
                state.label()
            )));
        }
        sqlx::query("update dossiers set version = version + 1, updated_at = $1 where id = $2")
            .bind(now())
            .bind($id)
            .execute(&mut *$tx)
            .await?;
    }};
}

/// Inserts a draft dossier with its first timeline step and audit entry
/// inside the open transaction; `extra` goes into the audit entry.
macro_rules! insert_dossier {
    ($tx:expr, $d:expr, $who:expr, $unit:expr, $h:expr, $today:expr, $extra:expr) => {{
        let (id,): (i64,) = sqlx::query_as(
            "insert into dossiers (unit_id, award_type, movement_id, title, state, letter_number, letter_date, \
             letter_signer, created_by, created_at, updated_at) values ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $9) \
             returning id",
        )
        .bind($unit.0)
        .bind($h.award_type.as_str())
        .bind($h.movement_id)
        .bind($h.title.trim())
        .bind($h.letter_number.as_deref())
        .bind($h.letter_date)
        .bind($h.letter_signer.as_deref())
        .bind(&$who.login)
        .bind(now())
        .fetch_one(&mut *$tx)
        .await?;
        timeline!(
            $tx,
            id,
            $who,
            "create",
            None::<&str>,
            Some("draft"),
            None::<&str>,
            $today
        );
        let mut after = json!({
            "unit_id": $unit.0, "award_type": $h.award_type.as_str(), "title": $h.title,
            "movement_id": $h.movement_id,
        });
        let extra: serde_json::Value = $extra;
        if !extra.is_null() {
            after["proposals"] = extra;
        }
        record!($tx, $d, $who, Change::new("dossier.create", "dossier", id).after(after));
        id
    }};
}

/// A flag proposal's dossier: the proposing unit, its header, and each
/// line with the cluster whose result it rests on.
#[derive(Debug, Clone)]
pub struct FlagDossier<'a> {
    pub unit: UnitId,
    pub header: &'a DossierHeader,
    pub today: Date,
    pub lines: Vec<(i64, NewDossierLine)>,
}

impl crate::Store {
    pub async fn create_dossier(
        &self,
        who: &Who,
        unit: UnitId,
        h: &DossierHeader,
        today: Date,
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let id = insert_dossier!(tx, d, who, unit, h, today, json!(null));
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Creates, in one transaction, a dossier proposing the leaders of
    /// emulation clusters for a flag: its lines, and a proposal row per
    /// leader, so that a leader is never proposed twice for the same flag
    /// from the same cluster.
    pub async fn create_flag_dossier(&self, who: &Who, f: &FlagDossier<'_>) -> StoreResult<i64> {
        let extra = json!(
            f.lines
                .iter()
                .map(|(c, l)| {
                    let unit = match l.subject {
                        SubjectRef::Unit(u) => Some(u.0),
                        SubjectRef::Person(_) => None,
                    };
                    json!({ "cluster": c, "unit_id": unit, "code": l.code })
                })
                .collect::<Vec<_>>()
        );
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let id = insert_dossier!(tx, d, who, f.unit, f.header, f.today, extra.clone());
            for (cluster, l) in &f.lines {
                let SubjectRef::Unit(unit) = l.subject else {
                    return Err(StoreError::Conflict("cờ thi đua chỉ tặng tập thể".into()));
                };
                sqlx::query(
                    "insert into dossier_lines (dossier_id, person_id, unit_id, code, period_from, period_to, summary) \
                     values ($1, null, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(unit.0)
                .bind(&l.code)
                .bind(l.period_from)
                .bind(l.period_to)
                .bind(l.summary.trim())
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "insert into cluster_proposals (cluster_id, unit_id, award_code, dossier_id, created_by, created_at) \
                     values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(cluster)
                .bind(unit.0)
                .bind(&l.code)
                .bind(id)
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    crate::movements::conflict(
                        e,
                        format!("đơn vị #{} đã được đề nghị {} từ khối, cụm này", unit.0, l.code),
                    )
                })?;
            }
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Rewrites the header while the unit may edit the dossier.
    pub async fn update_dossier_header(
        &self,
        who: &Who,
        id: i64,
        h: &DossierHeader,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, id);
            sqlx::query(
                "update dossiers set award_type = $1, movement_id = $2, title = $3, letter_number = $4, \
                 letter_date = $5, letter_signer = $6 where id = $7",
            )
            .bind(h.award_type.as_str())
            .bind(h.movement_id)
            .bind(h.title.trim())
            .bind(h.letter_number.as_deref())
            .bind(h.letter_date)
            .bind(h.letter_signer.as_deref())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("dossier.header", "dossier", id).after(json!({
                    "award_type": h.award_type.as_str(), "title": h.title,
                    "letter_number": h.letter_number, "letter_date": h.letter_date.map(|d| d.to_string()),
                    "letter_signer": h.letter_signer,
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn add_dossier_line(
        &self,
        who: &Who,
        dossier: i64,
        l: &NewDossierLine,
    ) -> StoreResult<i64> {
        let (person, unit) = match l.subject {
            SubjectRef::Person(p) => (Some(p), None),
            SubjectRef::Unit(u) => (None, Some(u.0)),
        };
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, dossier);
            let dup: Option<(i64,)> = sqlx::query_as(
                "select id from dossier_lines where dossier_id = $1 and person_id is not distinct from $2 \
                 and unit_id is not distinct from $3 and code = $4",
            )
            .bind(dossier)
            .bind(person)
            .bind(unit)
            .bind(&l.code)
            .fetch_optional(&mut *tx)
            .await?;
            if dup.is_some() {
                return Err(StoreError::Conflict(
                    "đối tượng này đã có trong hồ sơ với cùng hình thức".into(),
                ));
            }
            let (id,): (i64,) = sqlx::query_as(
                "insert into dossier_lines (dossier_id, person_id, unit_id, code, period_from, period_to, summary) \
                 values ($1, $2, $3, $4, $5, $6, $7) returning id",
            )
            .bind(dossier)
            .bind(person)
            .bind(unit)
            .bind(&l.code)
            .bind(l.period_from)
            .bind(l.period_to)
            .bind(l.summary.trim())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("dossier.line_add", "dossier", dossier).after(json!({
                    "line": id, "person_id": person, "unit_id": unit, "code": l.code,
                    "period_from": l.period_from, "period_to": l.period_to,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn remove_dossier_line(&self, who: &Who, dossier: i64, line: i64) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, dossier);
            let done = sqlx::query("delete from dossier_lines where id = $1 and dossier_id = $2")
                .bind(line)
                .bind(dossier)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("dòng #{line}")));
            }
            record!(
                tx,
                d,
                who,
                Change::new("dossier.line_remove", "dossier", dossier)
                    .before(json!({ "line": line }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The unit's text for a line (tóm tắt thành tích) and its reason for
    /// proposing against the engine.
    pub async fn update_dossier_line(
        &self,
        who: &Who,
        dossier: i64,
        line: i64,
        summary: &str,
        override_reason: Option<&str>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, dossier);
            let done = sqlx::query(
                "update dossier_lines set summary = $1, override_reason = $2, \
                 status = case when status = 'needs_completion' then 'proposed' else status end \
                 where id = $3 and dossier_id = $4",
            )
            .bind(summary.trim())
            .bind(override_reason.map(str::trim).filter(|r| !r.is_empty()))
            .bind(line)
            .bind(dossier)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("dòng #{line}")));
            }
            record!(
                tx,
                d,
                who,
                Change::new("dossier.line_edit", "dossier", dossier).after(json!({
                    "line": line, "summary": summary, "override_reason": override_reason,
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records the engine's verdict on lines (at submission, at appraisal,
    /// on demand). Not an edit of the dossier: the version stays.
    pub async fn record_line_checks(
        &self,
        who: &Who,
        dossier: i64,
        checks: &[LineVerdict],
        on: Date,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            line_checks!(tx, d, who, dossier, checks, on);
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn attach_dossier_file(
        &self,
        who: &Who,
        dossier: i64,
        f: &NewDossierFile<'_>,
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, dossier);
            if let Some(line) = f.line_id {
                let ok: Option<(i64,)> = sqlx::query_as(
                    "select id from dossier_lines where id = $1 and dossier_id = $2",
                )
                .bind(line)
                .bind(dossier)
                .fetch_optional(&mut *tx)
                .await?;
                if ok.is_none() {
                    return Err(StoreError::NotFound(format!("dòng #{line}")));
                }
            }
            let (id,): (i64,) = sqlx::query_as(
                "insert into dossier_files (dossier_id, line_id, kind, file_name, content_type, size, sha256, content, \
                 uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
            )
            .bind(dossier)
            .bind(f.line_id)
            .bind(f.kind)
            .bind(f.file_name)
            .bind(f.content_type)
            .bind(i64::try_from(f.content.len()).unwrap_or(i64::MAX))
            .bind(f.sha256)
            .bind(f.content)
            .bind(&who.login)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("dossier.file", "dossier", dossier).after(json!({
                    "file": id, "line": f.line_id, "kind": f.kind, "file_name": f.file_name,
                    "bytes": f.content.len(), "sha256": f.sha256,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn dossier_files(&self, dossier: i64) -> StoreResult<Vec<DossierFileRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, line_id, kind, file_name, content_type, cast(size as bigint) as size, sha256, uploaded_by, \
                 uploaded_at from dossier_files where dossier_id = $1 order by id",
            )
            .bind(dossier)
            .fetch_all(p)
            .await?
        }))
    }

    /// (file name, content type, bytes) of one file of a dossier.
    pub async fn dossier_file(
        &self,
        dossier: i64,
        file: i64,
    ) -> StoreResult<Option<(String, String, Vec<u8>)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select file_name, content_type, content from dossier_files where dossier_id = $1 and id = $2",
            )
            .bind(dossier)
            .bind(file)
            .fetch_optional(p)
            .await?
        }))
    }

    pub async fn dossier(&self, id: i64) -> StoreResult<Option<DossierRow>> {
        let rec: Option<DossierRec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {DOSSIER_COLS} from dossiers where id = $1"
            )))
            .bind(id)
            .fetch_optional(p)
            .await?
        });
        rec.map(DossierRow::try_from).transpose()
    }

    /// Every dossier, newest first; callers filter by what the user may see.
    pub async fn dossiers(&self) -> StoreResult<Vec<DossierRow>> {
        let recs: Vec<DossierRec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {DOSSIER_COLS} from dossiers order by id desc"
            )))
            .fetch_all(p)
            .await?
        });
        recs.into_iter().map(DossierRow::try_from).collect()
    }

    pub async fn dossier_lines(&self, dossier: i64) -> StoreResult<Vec<DossierLineRow>> {
        let recs: Vec<LineRec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{LINE_SELECT} where l.dossier_id = $1 order by (l.person_id is null), l.id"
            )))
            .bind(dossier)
            .fetch_all(p)
            .await?
        });
        recs.into_iter().map(DossierLineRow::try_from).collect()
    }

    /// Lines of the dossiers in the given states, for the public page.
    pub async fn dossier_lines_in_states(
        &self,
        states: &[DossierState],
    ) -> StoreResult<Vec<DossierLineRow>> {
        let list = states
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let recs: Vec<LineRec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{LINE_SELECT} join dossiers dd on dd.id = l.dossier_id where dd.state in ({list}) \
                 order by l.dossier_id, l.id"
            )))
            .fetch_all(p)
            .await?
        });
        recs.into_iter().map(DossierLineRow::try_from).collect()
    }

    /// The lines posted publicly on `today` (the posting has begun and not
    /// ended, the line still in the running), with their proposing unit
    /// and last day, one page in dossier order, and how many there are.
    pub async fn posted_lines_on(
        &self,
        today: Date,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<PostedLine>, i64)> {
        let active = [
            LineStatus::Proposed,
            LineStatus::NeedsCompletion,
            LineStatus::CouncilPassed,
        ]
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
        let posted = DossierState::Posted.as_str();
        let filter = format!(
            "dd.state = '{posted}' and dd.posted_from is not null and dd.posted_from <= $1 \
             and (dd.posted_until is null or dd.posted_until >= $1) and l.status in ({active})"
        );
        let (recs, extra, total): (Vec<LineRec>, Vec<PostingOf>, i64) = on_pool!(self, |p| {
            let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "select count(*) from dossier_lines l join dossiers dd on dd.id = l.dossier_id where {filter}"
                )))
                .bind(today)
                .fetch_one(p)
                .await?;
            let recs: Vec<LineRec> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{LINE_SELECT} join dossiers dd on dd.id = l.dossier_id where {filter} \
                     order by l.dossier_id, l.id limit $2 offset $3"
            )))
            .bind(today)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?;
            let extra: Vec<PostingOf> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "select l.id, dd.unit_id, dd.posted_until from dossier_lines l join dossiers dd on dd.id = l.dossier_id \
                     where {filter} order by l.dossier_id, l.id limit $2 offset $3"
                )))
                .bind(today)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await?;
            (recs, extra, total)
        });
        let extra: HashMap<i64, (i64, Option<Date>)> =
            extra.into_iter().map(|(l, u, d)| (l, (u, d))).collect();
        let mut out = Vec::with_capacity(recs.len());
        for r in recs {
            let line = DossierLineRow::try_from(r)?;
            let (unit, until) = extra.get(&line.id).copied().unwrap_or((0, None));
            out.push(PostedLine {
                line,
                proposer: UnitId(unit),
                posted_until: until,
            });
        }
        Ok((out, total))
    }

    pub async fn dossier_events(&self, dossier: i64) -> StoreResult<Vec<DossierEvent>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, at, on_day, login, action, from_state, to_state, note from dossier_events \
                 where dossier_id = $1 order by id",
            )
            .bind(dossier)
            .fetch_all(p)
            .await?
        }))
    }

    /// Takes a step: the dossier must still be at `from` and `version`.
    /// Lines, registry entries, the timeline, notices and the audit entry
    /// land together or not at all.
    pub async fn take_step(&self, who: &Who, s: &Step) -> StoreResult<i64> {
        let version = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let p = &s.patch;
            let done = sqlx::query(
                "update dossiers set state = $1, version = version + 1, updated_at = $2, \
                 receipt_number = coalesce($3, receipt_number), posted_from = coalesce($4, posted_from), \
                 posted_until = coalesce($5, posted_until), decision_number = coalesce($6, decision_number), \
                 decision_date = coalesce($7, decision_date), decision_signer = coalesce($8, decision_signer), \
                 decision_issuer = coalesce($9, decision_issuer), forward_number = coalesce($10, forward_number), \
                 forward_date = coalesce($11, forward_date), reason = coalesce($12, reason) \
                 where id = $13 and version = $14 and state = $15",
            )
            .bind(s.to.as_str())
            .bind(now())
            .bind(p.receipt_number.as_deref())
            .bind(p.posted_from)
            .bind(p.posted_until)
            .bind(p.decision_number.as_deref())
            .bind(p.decision_date)
            .bind(p.decision_signer.as_deref())
            .bind(p.decision_issuer.as_deref())
            .bind(p.forward_number.as_deref())
            .bind(p.forward_date)
            .bind(p.reason.as_deref())
            .bind(s.dossier)
            .bind(s.version)
            .bind(s.from.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(stale(s.dossier));
            }
            if !s.checks.is_empty() {
                line_checks!(tx, d, who, s.dossier, &s.checks, s.on_day);
            }
            for l in &s.lines {
                sqlx::query(
                    "update dossier_lines set status = $1, note = coalesce($2, note), tally = coalesce($3, tally) \
                     where id = $4 and dossier_id = $5",
                )
                .bind(l.status.as_str())
                .bind(l.note.as_deref())
                .bind(l.tally.as_deref())
                .bind(l.line)
                .bind(s.dossier)
                .execute(&mut *tx)
                .await?;
            }
            let decision = match &s.decision {
                Some(n) => Some(crate::decisions::decision_insert!(tx, who, n)),
                None => None,
            };
            for e in &s.registry {
                crate::decisions::registry_insert!(
                    tx,
                    e,
                    decision,
                    p.decision_number.as_deref(),
                    p.decision_date,
                    p.decision_issuer.as_deref()
                );
            }
            timeline!(
                tx,
                s.dossier,
                who,
                s.action.as_str(),
                Some(s.from.as_str()),
                Some(s.to.as_str()),
                s.note.as_deref(),
                s.on_day
            );
            for n in &s.notices {
                notice!(tx, s.dossier, n);
            }
            record!(
                tx,
                d,
                who,
                Change::new("dossier.transition", "dossier", s.dossier)
                    .before(json!({ "state": s.from.as_str(), "version": s.version }))
                    .after(json!({
                        "state": s.to.as_str(), "action": s.action.as_str(), "note": s.note,
                        "lines": s.lines.iter().map(|l| json!({"line": l.line, "status": l.status.as_str(), "note": l.note})).collect::<Vec<_>>(),
                        "registry": s.registry.len(),
                        "receipt_number": p.receipt_number, "decision_number": p.decision_number,
                        "forward_number": p.forward_number,
                    }))
            );
            tx.commit().await?;
            s.version + 1
        });
        Ok(version)
    }

    /// An appraiser's change to one line outside a step (exclude it, or
    /// mark it for completion), on the version they read.
    pub async fn set_dossier_line_status(
        &self,
        who: &Who,
        dossier: i64,
        version: i64,
        change: &LineChange,
        on_day: Date,
    ) -> StoreResult<i64> {
        let v = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query(
                "update dossiers set version = version + 1, updated_at = $1 where id = $2 and version = $3",
            )
            .bind(now())
            .bind(dossier)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(stale(dossier));
            }
            let done = sqlx::query(
                "update dossier_lines set status = $1, note = $2 where id = $3 and dossier_id = $4",
            )
            .bind(change.status.as_str())
            .bind(change.note.as_deref())
            .bind(change.line)
            .bind(dossier)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("dòng #{}", change.line)));
            }
            timeline!(
                tx,
                dossier,
                who,
                "line_status",
                None::<&str>,
                None::<&str>,
                Some(format!(
                    "Dòng #{}: {}{}",
                    change.line,
                    change.status.label(),
                    change
                        .note
                        .as_deref()
                        .map(|n| format!(" — {n}"))
                        .unwrap_or_default()
                )),
                on_day
            );
            record!(
                tx,
                d,
                who,
                Change::new("dossier.line_status", "dossier", dossier).after(json!({
                    "line": change.line, "status": change.status.as_str(), "note": change.note,
                }))
            );
            tx.commit().await?;
            version + 1
        });
        Ok(v)
    }

    /// One member's vote on one line, while the council sits.
    pub async fn cast_vote(
        &self,
        who: &Who,
        user_id: i64,
        dossier: i64,
        line: i64,
        vote: VoteChoice,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let st: Option<(String,)> = sqlx::query_as(
                "select d.state from dossiers d join dossier_lines l on l.dossier_id = d.id \
                 where d.id = $1 and l.id = $2 and l.status = 'proposed'",
            )
            .bind(dossier)
            .bind(line)
            .fetch_optional(&mut *tx)
            .await?;
            match st {
                None => return Err(StoreError::NotFound(format!("dòng #{line} đang xét"))),
                Some((s,)) if s != DossierState::CouncilReview.as_str() => {
                    return Err(StoreError::Conflict(
                        "hồ sơ không ở bước Hội đồng xét, không biểu quyết được".into(),
                    ));
                }
                Some(_) => {}
            }
            sqlx::query(
                "insert into council_votes (line_id, dossier_id, user_id, vote, voted_at) values ($1, $2, $3, $4, $5)",
            )
            .bind(line)
            .bind(dossier)
            .bind(user_id)
            .bind(vote.as_str())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(|e| conflict(e, "bạn đã biểu quyết cho đối tượng này".into()))?;
            record!(
                tx,
                d,
                who,
                Change::new("dossier.vote", "dossier", dossier)
                    .after(json!({ "line": line, "vote": vote.as_str() }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn votes(&self, dossier: i64) -> StoreResult<Vec<VoteRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select v.line_id, v.user_id, u.login, v.vote, v.voted_at from council_votes v \
                 join users u on u.id = v.user_id where v.dossier_id = $1 order by v.line_id, u.login",
            )
            .bind(dossier)
            .fetch_all(p)
            .await?
        }))
    }

    /// Public feedback on a posted dossier; refused once posting is over.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_feedback(
        &self,
        who: &Who,
        dossier: i64,
        line: Option<i64>,
        name: &str,
        contact: &str,
        body: &str,
        address_hash: &str,
        today: Date,
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let open: Option<(String, Option<Date>, Option<Date>)> = sqlx::query_as(
                "select state, posted_from, posted_until from dossiers where id = $1",
            )
            .bind(dossier)
            .fetch_optional(&mut *tx)
            .await?;
            match open {
                // Only what is posted today takes feedback: not before the
                // posting begins, not after it ends.
                Some((s, Some(from), until))
                    if s == DossierState::Posted.as_str()
                        && from <= today
                        && until.is_none_or(|u| today <= u) => {}
                Some(_) => {
                    return Err(StoreError::Conflict(
                        "danh sách này đã hết thời gian công khai".into(),
                    ));
                }
                None => return Err(StoreError::NotFound(format!("hồ sơ #{dossier}"))),
            }
            if let Some(line) = line {
                let found: Option<(i64,)> = sqlx::query_as(
                    "select id from dossier_lines where id = $1 and dossier_id = $2",
                )
                .bind(line)
                .bind(dossier)
                .fetch_optional(&mut *tx)
                .await?;
                if found.is_none() {
                    return Err(StoreError::NotFound(format!(
                        "dòng #{line} của hồ sơ #{dossier}"
                    )));
                }
            }
            let (id,): (i64,) = sqlx::query_as(
                "insert into public_feedback (dossier_id, line_id, name, contact, body, address_hash, received_at) \
                 values ($1, $2, $3, $4, $5, $6, $7) returning id",
            )
            .bind(dossier)
            .bind(line)
            .bind(name.trim())
            .bind(contact.trim())
            .bind(body.trim())
            .bind(address_hash)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            timeline!(
                tx,
                dossier,
                who,
                "feedback",
                None::<&str>,
                None::<&str>,
                Some(format!("Ý kiến của nhân dân #{id}")),
                today
            );
            record!(
                tx,
                d,
                who,
                Change::new("dossier.feedback", "dossier", dossier)
                    .after(json!({ "feedback": id, "line": line }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// How many feedback messages an address hash sent since `since`.
    pub async fn feedback_count_since(&self, address_hash: &str, since: &str) -> StoreResult<i64> {
        let (n,): (i64,) = on_pool!(self, |p| {
            sqlx::query_as(
                "select count(*) from public_feedback where address_hash = $1 and received_at >= $2",
            )
            .bind(address_hash)
            .bind(since)
            .fetch_one(p)
            .await?
        });
        Ok(n)
    }

    pub async fn feedback(&self, dossier: i64) -> StoreResult<Vec<FeedbackRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, dossier_id, line_id, name, contact, body, received_at from public_feedback \
                 where dossier_id = $1 order by id",
            )
            .bind(dossier)
            .fetch_all(p)
            .await?
        }))
    }

    /// Lines proposing the same subject in other open dossiers.
    pub async fn open_proposals(
        &self,
        subject: SubjectRef,
        except_dossier: i64,
    ) -> StoreResult<Vec<OpenProposal>> {
        let (person, unit) = match subject {
            SubjectRef::Person(p) => (Some(p), None),
            SubjectRef::Unit(u) => (None, Some(u.0)),
        };
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select d.id as dossier_id, l.id as line_id, l.code, d.state from dossier_lines l \
                 join dossiers d on d.id = l.dossier_id where d.id <> $1 \
                 and (l.person_id = $2 or l.unit_id = $3) \
                 and d.state not in ('draft', 'decided', 'rejected', 'withdrawn') \
                 and l.status in ('proposed', 'needs_completion', 'council_passed') order by d.id",
            )
            .bind(except_dossier)
            .bind(person)
            .bind(unit)
            .fetch_all(p)
            .await?
        }))
    }

    pub async fn calendar_overrides(&self) -> StoreResult<Vec<Override>> {
        let rows: Vec<(Date, bool, String)> = on_pool!(self, |p| {
            sqlx::query_as("select day, off, name from calendar_overrides order by day")
                .fetch_all(p)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(date, off, name)| Override { date, off, name })
            .collect())
    }

    /// Adds or replaces the override of a day.
    pub async fn set_calendar_override(&self, who: &Who, o: &Override) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let before: Option<(bool, String)> =
                sqlx::query_as("select off, name from calendar_overrides where day = $1")
                    .bind(o.date)
                    .fetch_optional(&mut *tx)
                    .await?;
            sqlx::query("delete from calendar_overrides where day = $1")
                .bind(o.date)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into calendar_overrides (day, off, name, set_by, set_at) values ($1, $2, $3, $4, $5)",
            )
            .bind(o.date)
            .bind(o.off)
            .bind(o.name.trim())
            .bind(&who.login)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("calendar.override", "calendar", o.date.to_string())
                    .before_opt(before.map(|(off, name)| json!({ "off": off, "name": name })))
                    .after(json!({ "off": o.off, "name": o.name }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn remove_calendar_override(&self, who: &Who, day: Date) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query("delete from calendar_overrides where day = $1")
                .bind(day)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("ngày điều chỉnh {day}")));
            }
            record!(
                tx,
                d,
                who,
                Change::new("calendar.override_remove", "calendar", day.to_string())
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// (key, value) of the procedure figures the administrator has set.
    pub async fn procedure_settings(&self) -> StoreResult<Vec<(String, i64)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as("select key, cast(value as bigint) from procedure_settings order by key")
                .fetch_all(p)
                .await?
        }))
    }

    /// Sets procedure figures, all in one transaction.
    pub async fn set_procedure_settings(
        &self,
        who: &Who,
        values: &[(String, u32)],
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            for (key, value) in values {
                let before: Option<(i64,)> = sqlx::query_as(
                    "select cast(value as bigint) from procedure_settings where key = $1",
                )
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
                sqlx::query("delete from procedure_settings where key = $1")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "insert into procedure_settings (key, value, set_by, set_at) values ($1, $2, $3, $4)",
                )
                .bind(key)
                .bind(i64::from(*value))
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                record!(
                    tx,
                    d,
                    who,
                    Change::new("procedure.setting", "procedure", key.clone())
                        .before_opt(before.map(|(v,)| json!({ "value": v })))
                        .after(json!({ "value": value }))
                );
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Notices outside a step (overdue sweeps). A notice whose dedup key
    /// was already used for that account is skipped; returns how many
    /// were new.
    pub async fn notify(&self, who: &Who, dossier: i64, notices: &[Notice]) -> StoreResult<usize> {
        let n = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let mut n = 0usize;
            for x in notices {
                let seen: Option<(i64,)> = sqlx::query_as(
                    "select id from notifications where user_id = $1 and dedup_key = $2",
                )
                .bind(x.user_id)
                .bind(x.dedup_key.as_deref())
                .fetch_optional(&mut *tx)
                .await?;
                if seen.is_some() {
                    continue;
                }
                notice!(tx, dossier, x);
                n += 1;
            }
            if n > 0 {
                record!(
                    tx,
                    d,
                    who,
                    Change::new("dossier.notify", "dossier", dossier)
                        .after(json!({ "notices": n }))
                );
            }
            tx.commit().await?;
            n
        });
        Ok(n)
    }

    pub async fn notifications(
        &self,
        user_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<NotificationRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, dossier_id, kind, message, created_at, read_at from notifications \
                 where user_id = $1 order by id desc limit $2",
            )
            .bind(user_id)
            .bind(limit)
            .fetch_all(p)
            .await?
        }))
    }

    /// Marks an account's notices read (not audited: reading is not a change
    /// of the record).
    pub async fn mark_notifications_read(&self, user_id: i64) -> StoreResult<()> {
        on_pool!(self, |p| {
            sqlx::query(
                "update notifications set read_at = $1 where user_id = $2 and read_at is null",
            )
            .bind(now())
            .bind(user_id)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// (recipient, subject) of the outbox, oldest first.
    pub async fn outbox(&self) -> StoreResult<Vec<(String, String, String)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as("select recipient, subject, body from outbox order by id")
                .fetch_all(p)
                .await?
        }))
    }
}
