//! What the registry keeps: titles, awards, initiatives, disciplines, reviews.

use crate::{StoreError, StoreResult, parse_stored};
use serde::Serialize;
use thidua_domain::eligibility::catalogue::{
    Authority, CatalogueCode, CatalogueEntry, Category, Level,
};
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::eligibility::review::{LineDecision, Quota};
use thidua_domain::eligibility::{
    AwardCode, DisciplineLevel, InitiativeScope, Outcome, Rating, SubjectKind,
};
use thidua_domain::org::UnitId;
use time::Date;

/// Whose registry row: a person or a unit (a collective).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SubjectRef {
    Person(i64),
    Unit(UnitId),
}

/// The unit a titled person belonged to in the title's year (a collective
/// is its own), for the registry's unit filters.
pub(super) const SUBJECT_UNIT_OF_TITLE: &str = "update titles set subject_unit_id = coalesce(unit_id, (\
    select m.unit_id from person_memberships m where m.person_id = titles.person_id \
    and (m.valid_from is null or m.valid_from <= coalesce(titles.decision_date, m.valid_from)) \
    order by m.valid_from desc limit 1)) where id = $1";

/// The unit an awarded person belonged to on the decision day.
pub(super) const SUBJECT_UNIT_OF_AWARD: &str = "update awards set subject_unit_id = coalesce(unit_id, (\
    select m.unit_id from person_memberships m where m.person_id = awards.person_id \
    and (m.valid_from is null or m.valid_from <= awards.decision_date) \
    and (m.valid_until is null or m.valid_until > awards.decision_date) \
    order by m.valid_from desc limit 1)) where id = $1";

impl SubjectRef {
    /// The person's or the unit's id.
    pub fn id(self) -> i64 {
        match self {
            SubjectRef::Person(p) => p,
            SubjectRef::Unit(u) => u.0,
        }
    }

    pub(crate) fn columns(self) -> (Option<i64>, Option<i64>) {
        match self {
            SubjectRef::Person(p) => (Some(p), None),
            SubjectRef::Unit(u) => (None, Some(u.0)),
        }
    }

    pub(super) fn from_columns(person: Option<i64>, unit: Option<i64>) -> StoreResult<SubjectRef> {
        match (person, unit) {
            (Some(p), None) => Ok(SubjectRef::Person(p)),
            (None, Some(u)) => Ok(SubjectRef::Unit(UnitId(u))),
            _ => Err(StoreError::Corrupt(
                "registry row without one subject".into(),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleRow {
    pub id: i64,
    pub subject: SubjectRef,
    pub year: i32,
    /// A catalogue code; the engine reads those it knows.
    pub code: String,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub review_id: Option<i64>,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AwardRow {
    pub id: i64,
    pub subject: SubjectRef,
    pub code: String,
    pub award_type: AwardType,
    pub decision_number: Option<String>,
    pub decision_date: Date,
    pub issuer: Option<String>,
    pub period_from: Option<i32>,
    pub period_to: Option<i32>,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InitiativeRow {
    pub id: i64,
    pub person_id: i64,
    pub year: i32,
    pub name: String,
    pub scope: InitiativeScope,
    pub used_by: Option<String>,
    pub used_by_year: Option<i32>,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisciplineRow {
    pub person_id: i64,
    pub year: i32,
    pub level: DisciplineLevel,
    pub decision_number: Option<String>,
}

/// What the registry knows of one subject.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Registry {
    pub ratings: Vec<(i32, Rating)>,
    pub titles: Vec<TitleRow>,
    pub awards: Vec<AwardRow>,
    pub initiatives: Vec<InitiativeRow>,
    pub disciplines: Vec<DisciplineRow>,
}

#[derive(Debug, Clone)]
pub struct NewTitle {
    pub subject: SubjectRef,
    pub year: i32,
    pub code: String,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct NewAward {
    pub subject: SubjectRef,
    pub code: String,
    pub award_type: AwardType,
    pub decision_number: Option<String>,
    pub decision_date: Date,
    pub issuer: Option<String>,
    pub period_from: Option<i32>,
    pub period_to: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct NewInitiative {
    pub person_id: i64,
    pub year: i32,
    pub name: String,
    pub scope: InitiativeScope,
    pub recognised_by: Option<String>,
    pub used_by: Option<(AwardCode, i32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaRow {
    pub quota: Quota,
    pub source: String,
    pub set_by: String,
    pub set_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRow {
    pub id: i64,
    pub unit_id: UnitId,
    pub year: i32,
    pub closed: bool,
    pub unit_rating: Option<Rating>,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub created_by: String,
    pub created_at: String,
    pub closed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineRow {
    pub id: i64,
    pub review_id: i64,
    /// None: the line of the unit itself.
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub proposed: Option<AwardCode>,
    pub outcome: Option<Outcome>,
    /// The engine's verdict JSON when the line was last checked.
    pub verdict: Option<String>,
    pub decision: LineDecision,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

/// An officer's decision on a line, with the reason when one is given.
pub type LineDecided = Option<(LineDecision, Option<String>)>;

/// A line as the review opens, or as it is re-checked.
#[derive(Debug, Clone)]
pub struct LineCheck {
    pub person_id: Option<i64>,
    pub proposed: Option<AwardCode>,
    pub outcome: Option<Outcome>,
    pub verdict: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct CatalogueRec {
    code: String,
    effective_from: Date,
    name: String,
    category: String,
    subjects: String,
    authority: String,
    level: String,
    award_types: String,
    bonus_multiple: Option<f64>,
    bonus_confirmed: bool,
    article: Option<String>,
    note: Option<String>,
}

pub(super) fn words<T>(
    json_text: &str,
    parse: impl Fn(&str) -> Option<T>,
    field: &str,
) -> StoreResult<Vec<T>> {
    let v: Vec<String> = parse_stored(serde_json::from_str(json_text))?;
    v.iter()
        .map(|s| parse(s).ok_or_else(|| StoreError::Corrupt(format!("{field}: «{s}»"))))
        .collect()
}

impl TryFrom<CatalogueRec> for CatalogueEntry {
    type Error = StoreError;
    fn try_from(r: CatalogueRec) -> StoreResult<CatalogueEntry> {
        Ok(CatalogueEntry {
            code: parse_stored(CatalogueCode::parse(&r.code))?,
            effective_from: r.effective_from,
            name: r.name,
            category: parse_stored(Category::parse(&r.category))?,
            subjects: words(&r.subjects, SubjectKind::parse, "subjects")?,
            authorities: words(&r.authority, |s| Authority::parse(s).ok(), "authority")?,
            level: parse_stored(Level::parse(&r.level))?,
            award_types: words(&r.award_types, |s| AwardType::parse(s).ok(), "award_types")?,
            bonus_multiple: r.bonus_multiple,
            bonus_confirmed: r.bonus_confirmed,
            article: r.article,
            note: r.note,
        })
    }
}

pub(super) fn list<T: Copy>(v: &[T], s: impl Fn(T) -> &'static str) -> String {
    serde_json::Value::from(v.iter().map(|x| s(*x)).collect::<Vec<_>>()).to_string()
}

#[derive(sqlx::FromRow)]
pub(super) struct TitleRec {
    pub(super) id: i64,
    pub(super) person_id: Option<i64>,
    pub(super) unit_id: Option<i64>,
    pub(super) year: i32,
    pub(super) code: String,
    pub(super) decision_number: Option<String>,
    pub(super) decision_date: Option<Date>,
    pub(super) review_id: Option<i64>,
    pub(super) status: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct AwardRec {
    pub(super) id: i64,
    pub(super) person_id: Option<i64>,
    pub(super) unit_id: Option<i64>,
    pub(super) code: String,
    pub(super) award_type: String,
    pub(super) decision_number: Option<String>,
    pub(super) decision_date: Date,
    pub(super) issuer: Option<String>,
    pub(super) period_from: Option<i32>,
    pub(super) period_to: Option<i32>,
    pub(super) status: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct InitiativeRec {
    pub(super) id: i64,
    pub(super) person_id: i64,
    pub(super) year: i32,
    pub(super) name: String,
    pub(super) scope: String,
    pub(super) used_by_code: Option<String>,
    pub(super) used_by_year: Option<i32>,
    pub(super) status: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct ReviewRec {
    id: i64,
    pub(super) unit_id: i64,
    pub(super) year: i32,
    pub(super) status: String,
    unit_rating: Option<String>,
    decision_number: Option<String>,
    decision_date: Option<Date>,
    created_by: String,
    created_at: String,
    closed_at: Option<String>,
}

impl From<ReviewRec> for ReviewRow {
    fn from(r: ReviewRec) -> ReviewRow {
        ReviewRow {
            id: r.id,
            unit_id: UnitId(r.unit_id),
            year: r.year,
            closed: r.status == "closed",
            unit_rating: r.unit_rating.as_deref().and_then(Rating::parse),
            decision_number: r.decision_number,
            decision_date: r.decision_date,
            created_by: r.created_by,
            created_at: r.created_at,
            closed_at: r.closed_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct LineRec {
    id: i64,
    review_id: i64,
    person_id: Option<i64>,
    full_name: Option<String>,
    proposed: Option<String>,
    outcome: Option<String>,
    verdict: Option<String>,
    decision: String,
    reason: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<String>,
}

impl TryFrom<LineRec> for LineRow {
    type Error = StoreError;
    fn try_from(r: LineRec) -> StoreResult<LineRow> {
        let bad = |what: &str, v: &str| StoreError::Corrupt(format!("{what}: «{v}»"));
        Ok(LineRow {
            id: r.id,
            review_id: r.review_id,
            person_id: r.person_id,
            person_name: r.full_name,
            proposed: r
                .proposed
                .as_deref()
                .map(|c| AwardCode::parse(c).ok_or_else(|| bad("proposed", c)))
                .transpose()?,
            outcome: r
                .outcome
                .as_deref()
                .map(|c| Outcome::parse(c).ok_or_else(|| bad("outcome", c)))
                .transpose()?,
            verdict: r.verdict,
            decision: LineDecision::parse(&r.decision)
                .ok_or_else(|| bad("decision", &r.decision))?,
            reason: r.reason,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
        })
    }
}

pub(super) const REVIEW_COLS: &str = "id, unit_id, year, status, unit_rating, decision_number, decision_date, created_by, created_at, closed_at";

pub(super) const LINE_SELECT: &str = "select l.id, l.review_id, l.person_id, p.full_name, l.proposed, l.outcome, l.verdict, \
     l.decision, l.reason, l.decided_by, l.decided_at from title_review_lines l left join people p on p.id = l.person_id";
