//! What the store keeps of a dossier: its rows and what a step writes.

use crate::registry::SubjectRef;
use crate::{StoreError, StoreResult};
use serde::Serialize;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierState, LineStatus, TimelineEvent};
use thidua_domain::eligibility::Outcome;
use thidua_domain::eligibility::catalogue::CatalogueCode;
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
    pub id: DossierId,
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
pub(super) struct DossierRec {
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

pub(super) const DOSSIER_COLS: &str = "id, unit_id, award_type, movement_id, title, state, cast(version as bigint) as version, \
    letter_number, letter_date, letter_signer, receipt_number, posted_from, posted_until, decision_number, \
    decision_date, decision_signer, decision_issuer, forward_number, forward_date, reason, created_by, \
    created_at, updated_at";

impl TryFrom<DossierRec> for DossierRow {
    type Error = StoreError;
    fn try_from(r: DossierRec) -> StoreResult<Self> {
        Ok(DossierRow {
            id: DossierId(r.id),
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
    /// The achievement a thematic line rests on.
    pub achievement: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DossierLineRow {
    pub id: i64,
    pub dossier_id: DossierId,
    pub subject: SubjectRef,
    /// The person's or the collective's name today.
    pub name: String,
    pub birth_date: Option<Date>,
    pub code: CatalogueCode,
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
    pub achievement_id: Option<i64>,
}

/// A posted line's id, proposing unit and last day of posting.
pub(super) type PostingOf = (i64, i64, Option<Date>);

/// A line on the public page.
#[derive(Debug, Clone)]
pub struct PostedLine {
    pub line: DossierLineRow,
    pub proposer: UnitId,
    pub posted_until: Option<Date>,
}

#[derive(sqlx::FromRow)]
pub(super) struct LineRec {
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
    achievement_id: Option<i64>,
}

pub(super) const LINE_SELECT: &str = "select l.id, l.dossier_id, l.person_id, l.unit_id, p.full_name as person_name, \
    u.name as unit_name, p.birth_date, l.code, l.period_from, l.period_to, l.summary, l.outcome, l.verdict, \
    l.checked_on, l.override_reason, l.status, l.note, l.tally, l.achievement_id \
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
            dossier_id: DossierId(r.dossier_id),
            subject,
            name: r.person_name.or(r.unit_name).unwrap_or_default(),
            birth_date: r.birth_date,
            code: CatalogueCode::parse(&r.code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
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
            achievement_id: r.achievement_id,
        })
    }
}

/// A step of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct DossierEvent {
    pub id: i64,
    pub at: String,
    pub on_day: Date,
    pub login: String,
    pub action: TimelineEvent,
    pub from_state: Option<DossierState>,
    pub to_state: Option<DossierState>,
    pub note: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct EventRec {
    id: i64,
    at: String,
    on_day: Date,
    login: String,
    action: String,
    from_state: Option<String>,
    to_state: Option<String>,
    note: Option<String>,
}

impl TryFrom<EventRec> for DossierEvent {
    type Error = StoreError;
    fn try_from(r: EventRec) -> StoreResult<Self> {
        let corrupt = |e: thidua_domain::dossier::DossierError| StoreError::Corrupt(e.to_string());
        let state = |s: Option<String>| s.map(|s| DossierState::parse(&s)).transpose();
        Ok(DossierEvent {
            id: r.id,
            at: r.at,
            on_day: r.on_day,
            login: r.login,
            action: TimelineEvent::parse(&r.action).map_err(corrupt)?,
            from_state: state(r.from_state).map_err(corrupt)?,
            to_state: state(r.to_state).map_err(corrupt)?,
            note: r.note,
        })
    }
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

pub(super) fn stale(id: i64) -> StoreError {
    StoreError::Conflict(format!(
        "hồ sơ #{id} vừa được người khác cập nhật; hãy tải lại trang để xem trạng thái mới rồi thao tác lại"
    ))
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
