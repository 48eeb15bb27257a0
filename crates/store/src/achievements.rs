//! Thành tích trong phong trào — achievements recorded at a movement's
//! review, the thematic dossier lines that rest on them, and the awards
//! that used them; and the re-checks of awards: findings (Điều 93) and the
//! flags raised on awards whose verdict rested on one later revoked.

use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::{StoreResult, SubjectRef, on_pool};
use serde::Serialize;
use serde_json::json;
use thidua_domain::org::UnitId;

/// An achievement to record.
#[derive(Debug, Clone)]
pub struct NewAchievement {
    pub movement: i64,
    pub review: Option<i64>,
    pub subject: SubjectRef,
    pub home: UnitId,
    pub period_from: i32,
    pub period_to: i32,
    pub outstanding: bool,
    pub summary: String,
    /// `entered`, or `indicator` when proposed from the movement's figures.
    pub source: &'static str,
}

/// An achievement as lists show it: its subject, its review, and the
/// awards already given for it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AchievementRow {
    pub id: i64,
    pub movement_id: i64,
    pub review_id: Option<i64>,
    /// `interim` (sơ kết) or `final` (tổng kết).
    pub review_kind: Option<String>,
    pub person_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub subject_name: String,
    pub home_unit_id: i64,
    pub period_from: i32,
    pub period_to: i32,
    pub outstanding: bool,
    pub summary: String,
    pub source: String,
    /// A code of an award given for it (all of them: `achievement_awards`).
    pub awarded: Option<String>,
    /// The open dossier that proposes it, if any.
    pub proposed_in: Option<i64>,
}

impl AchievementRow {
    pub fn subject(&self) -> SubjectRef {
        match (self.person_id, self.unit_id) {
            (Some(p), _) => SubjectRef::Person(p),
            (None, u) => SubjectRef::Unit(UnitId(u.unwrap_or(0))),
        }
    }
}

const ACHIEVEMENT_SELECT: &str = "select a.id, a.movement_id, a.review_id, r.kind as review_kind, \
    a.person_id, a.unit_id, coalesce(p.full_name, u.name, '') as subject_name, a.home_unit_id, \
    a.period_from, a.period_to, a.outstanding, a.summary, a.source, \
    (select min(l.code) from dossier_lines l where l.achievement_id = a.id and l.status = 'awarded') as awarded, \
    (select max(l.dossier_id) from dossier_lines l join dossiers d on d.id = l.dossier_id \
       where l.achievement_id = a.id and d.state not in ('decided', 'rejected', 'forwarded', 'withdrawn')) as proposed_in \
    from achievements a left join movement_reviews r on r.id = a.review_id \
    left join people p on p.id = a.person_id left join org_units u on u.id = a.unit_id";

/// A later conclusion about an award, as recorded.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FindingRow {
    pub id: i64,
    pub award_id: i64,
    pub year: i32,
    pub ground: String,
    pub document: String,
    pub note: String,
}

/// A flag on an award whose ground gave way.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AwardFlagRow {
    pub id: i64,
    pub award_id: i64,
    pub cause: String,
    pub source_decision_id: Option<i64>,
    pub source_finding_id: Option<i64>,
    pub message: String,
    pub created_at: String,
}

/// A flag to raise.
#[derive(Debug, Clone)]
pub struct NewFlag {
    pub award: i64,
    pub cause: &'static str,
    pub decision: Option<i64>,
    pub finding: Option<i64>,
    pub message: String,
}

/// One award as a re-check needs it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AwardBrief {
    pub id: i64,
    pub person_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub subject_unit_id: Option<i64>,
    pub code: String,
    pub decision_number: Option<String>,
    pub decision_date: time::Date,
    pub status: String,
}

impl AwardBrief {
    pub fn subject(&self) -> SubjectRef {
        match (self.person_id, self.unit_id) {
            (Some(p), _) => SubjectRef::Person(p),
            (None, u) => SubjectRef::Unit(UnitId(u.unwrap_or(0))),
        }
    }
}

impl crate::Store {
    pub async fn award_brief(&self, id: i64) -> StoreResult<Option<AwardBrief>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, person_id, unit_id, subject_unit_id, code, decision_number, decision_date, status \
                 from awards where id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        }))
    }

    /// An annual title in the same shape, when a decision gave it (a title
    /// from a review or an import has no decision day to weigh).
    pub async fn title_brief(&self, id: i64) -> StoreResult<Option<AwardBrief>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, person_id, unit_id, subject_unit_id, code, decision_number, decision_date, status \
                 from titles where id = $1 and decision_date is not null",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        }))
    }

    pub async fn add_achievement(&self, who: &Who, a: &NewAchievement) -> StoreResult<i64> {
        let (person, unit) = a.subject.columns();
        Ok(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into achievements (movement_id, review_id, person_id, unit_id, home_unit_id, period_from, \
                 period_to, outstanding, summary, source, created_by, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
            )
            .bind(a.movement)
            .bind(a.review)
            .bind(person)
            .bind(unit)
            .bind(a.home.0)
            .bind(a.period_from)
            .bind(a.period_to)
            .bind(a.outstanding)
            .bind(a.summary.trim())
            .bind(a.source)
            .bind(&who.login)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("achievement.record", "achievement", id).after(json!({
                    "movement_id": a.movement, "review_id": a.review, "person_id": person,
                    "unit_id": unit, "period_from": a.period_from, "period_to": a.period_to,
                    "outstanding": a.outstanding, "summary": a.summary, "source": a.source,
                }))
            );
            tx.commit().await?;
            id
        }))
    }

    /// A movement's achievements, in the order they were recorded.
    pub async fn achievements(&self, movement: i64) -> StoreResult<Vec<AchievementRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{ACHIEVEMENT_SELECT} where a.movement_id = $1 order by a.id"
            )))
            .bind(movement)
            .fetch_all(p)
            .await?
        }))
    }

    pub async fn achievement(&self, id: i64) -> StoreResult<Option<AchievementRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{ACHIEVEMENT_SELECT} where a.id = $1"
            )))
            .bind(id)
            .fetch_optional(p)
            .await?
        }))
    }

    /// The codes of awards already given for an achievement.
    pub async fn achievement_awards(&self, id: i64) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = on_pool!(self, |p| {
            sqlx::query_as(
                "select distinct code from dossier_lines where achievement_id = $1 and status = 'awarded' \
                 order by code",
            )
            .bind(id)
            .fetch_all(p)
            .await?
        });
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }

    pub async fn add_finding(
        &self,
        who: &Who,
        award: i64,
        year: i32,
        ground: &str,
        document: &str,
        note: &str,
    ) -> StoreResult<i64> {
        Ok(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into award_findings (award_id, year, ground, document, note, created_by, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7) returning id",
            )
            .bind(award)
            .bind(year)
            .bind(ground)
            .bind(document.trim())
            .bind(note.trim())
            .bind(&who.login)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("award.finding", "award", award).after(json!({
                    "finding": id, "year": year, "ground": ground, "document": document, "note": note,
                }))
            );
            tx.commit().await?;
            id
        }))
    }

    pub async fn findings_of(&self, award: i64) -> StoreResult<Vec<FindingRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, award_id, year, ground, document, note from award_findings where award_id = $1 \
                 order by id",
            )
            .bind(award)
            .fetch_all(p)
            .await?
        }))
    }

    /// Raises flags, in one transaction with one audit entry.
    pub async fn add_award_flags(&self, who: &Who, flags: &[NewFlag]) -> StoreResult<()> {
        if flags.is_empty() {
            return Ok(());
        }
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            for f in flags {
                sqlx::query(
                    "insert into award_flags (award_id, cause, source_decision_id, source_finding_id, message, \
                     created_at) values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(f.award)
                .bind(f.cause)
                .bind(f.decision)
                .bind(f.finding)
                .bind(&f.message)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("award.flag", "award", flags[0].award).after(json!({
                    "flags": flags.iter().map(|f| json!({
                        "award": f.award, "cause": f.cause, "decision": f.decision,
                        "finding": f.finding, "message": f.message,
                    })).collect::<Vec<_>>(),
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The flags on the awards of a subject.
    pub async fn flags_of_subject(&self, s: SubjectRef) -> StoreResult<Vec<AwardFlagRow>> {
        let (person, unit) = s.columns();
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select f.id, f.award_id, f.cause, f.source_decision_id, f.source_finding_id, f.message, \
                 f.created_at from award_flags f join awards a on a.id = f.award_id \
                 where a.person_id is not distinct from $1 and a.unit_id is not distinct from $2 order by f.id",
            )
            .bind(person)
            .bind(unit)
            .fetch_all(p)
            .await?
        }))
    }

    /// The flags on a list of awards.
    pub async fn flags_of_awards(&self, ids: &[i64]) -> StoreResult<Vec<AwardFlagRow>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let list = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let rows: Vec<AwardFlagRow> = on_pool!(self, |p| {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "select id, award_id, cause, source_decision_id, source_finding_id, message, created_at \
                     from award_flags where award_id in ({list}) order by id"
                )))
                .fetch_all(p)
                .await?
            });
            out.extend(rows);
        }
        Ok(out)
    }
}
