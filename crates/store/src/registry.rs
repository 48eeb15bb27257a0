//! The award catalogue, the registry the eligibility engine reads
//! (ratings, titles, awards, initiatives, discipline) and the annual title
//! review (bình xét). Every write is audited in its transaction.

use crate::audit::{Change, Who, record};
use crate::movements::{conflict, now};
use crate::{StoreError, StoreResult, on_pool, parse_stored};
use serde::Serialize;
use serde_json::json;
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
const SUBJECT_UNIT_OF_TITLE: &str = "update titles set subject_unit_id = coalesce(unit_id, (\
    select m.unit_id from person_memberships m where m.person_id = titles.person_id \
    and (m.valid_from is null or m.valid_from <= coalesce(titles.decision_date, m.valid_from)) \
    order by m.valid_from desc limit 1)) where id = $1";

/// The unit an awarded person belonged to on the decision day.
const SUBJECT_UNIT_OF_AWARD: &str = "update awards set subject_unit_id = coalesce(unit_id, (\
    select m.unit_id from person_memberships m where m.person_id = awards.person_id \
    and (m.valid_from is null or m.valid_from <= awards.decision_date) \
    and (m.valid_until is null or m.valid_until > awards.decision_date) \
    order by m.valid_from desc limit 1)) where id = $1";

impl SubjectRef {
    pub(crate) fn columns(self) -> (Option<i64>, Option<i64>) {
        match self {
            SubjectRef::Person(p) => (Some(p), None),
            SubjectRef::Unit(u) => (None, Some(u.0)),
        }
    }

    fn from_columns(person: Option<i64>, unit: Option<i64>) -> StoreResult<SubjectRef> {
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
struct CatalogueRec {
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

fn words<T>(
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

fn list<T: Copy>(v: &[T], s: impl Fn(T) -> &'static str) -> String {
    serde_json::Value::from(v.iter().map(|x| s(*x)).collect::<Vec<_>>()).to_string()
}

#[derive(sqlx::FromRow)]
struct TitleRec {
    id: i64,
    person_id: Option<i64>,
    unit_id: Option<i64>,
    year: i32,
    code: String,
    decision_number: Option<String>,
    decision_date: Option<Date>,
    review_id: Option<i64>,
    status: String,
}

#[derive(sqlx::FromRow)]
struct AwardRec {
    id: i64,
    person_id: Option<i64>,
    unit_id: Option<i64>,
    code: String,
    award_type: String,
    decision_number: Option<String>,
    decision_date: Date,
    issuer: Option<String>,
    period_from: Option<i32>,
    period_to: Option<i32>,
    status: String,
}

#[derive(sqlx::FromRow)]
struct InitiativeRec {
    id: i64,
    person_id: i64,
    year: i32,
    name: String,
    scope: String,
    used_by_code: Option<String>,
    used_by_year: Option<i32>,
    status: String,
}

#[derive(sqlx::FromRow)]
struct ReviewRec {
    id: i64,
    unit_id: i64,
    year: i32,
    status: String,
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
struct LineRec {
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

const REVIEW_COLS: &str = "id, unit_id, year, status, unit_rating, decision_number, decision_date, created_by, created_at, closed_at";
const LINE_SELECT: &str = "select l.id, l.review_id, l.person_id, p.full_name, l.proposed, l.outcome, l.verdict, \
     l.decision, l.reason, l.decided_by, l.decided_at from title_review_lines l left join people p on p.id = l.person_id";

impl crate::Store {
    /// Every version of every catalogue entry, by code then date.
    pub async fn catalogue_versions(&self) -> StoreResult<Vec<CatalogueEntry>> {
        let recs: Vec<CatalogueRec> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select code, effective_from, name, category, subjects, authority, level, award_types, \
                 bonus_multiple, bonus_confirmed, article, note from award_catalogue order by code, effective_from",
            )
            .fetch_all(pool)
            .await?
        });
        recs.into_iter().map(CatalogueEntry::try_from).collect()
    }

    /// Adds versions of catalogue entries, all or none. A version already
    /// there for the same code and date is a conflict.
    pub async fn add_catalogue_versions(
        &self,
        who: &Who,
        entries: &[CatalogueEntry],
    ) -> StoreResult<usize> {
        for e in entries {
            e.check()
                .map_err(|err| StoreError::Conflict(format!("{}: {err}", e.code)))?;
        }
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            for e in entries {
                sqlx::query(
                    "insert into award_catalogue (code, effective_from, name, category, subjects, authority, level, \
                     award_types, bonus_multiple, bonus_confirmed, article, note, created_by, created_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                )
                .bind(e.code.as_str())
                .bind(e.effective_from)
                .bind(e.name.trim())
                .bind(e.category.as_str())
                .bind(list(&e.subjects, SubjectKind::as_str))
                .bind(list(&e.authorities, Authority::as_str))
                .bind(e.level.as_str())
                .bind(list(&e.award_types, AwardType::as_str))
                .bind(e.bonus_multiple)
                .bind(e.bonus_confirmed)
                .bind(e.article.as_deref())
                .bind(e.note.as_deref())
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(|err| {
                    conflict(
                        err,
                        format!(
                            "{} đã có phiên bản hiệu lực từ {}",
                            e.code, e.effective_from
                        ),
                    )
                })?;
            }
            let codes: Vec<String> = entries
                .iter()
                .map(|e| format!("{}@{}", e.code, e.effective_from))
                .collect();
            record!(
                tx,
                d,
                who,
                Change::new("catalogue.version", "award_catalogue", entries.len() as i64)
                    .after(json!({ "versions": codes }))
            );
            tx.commit().await?;
        });
        Ok(entries.len())
    }

    pub async fn quotas(&self) -> StoreResult<Vec<QuotaRow>> {
        type Rec = (String, f64, Option<String>, String, String, String);
        let recs: Vec<Rec> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select code, max_percent, of_code, source, set_by, set_at from award_quotas order by code",
            )
            .fetch_all(pool)
            .await?
        });
        let code = |s: &str| {
            AwardCode::parse(s).ok_or_else(|| StoreError::Corrupt(format!("quota code «{s}»")))
        };
        recs.into_iter()
            .map(|(c, max, of, source, set_by, set_at)| {
                Ok(QuotaRow {
                    quota: Quota {
                        code: code(&c)?,
                        max_percent: max,
                        of: of.as_deref().map(code).transpose()?,
                    },
                    source,
                    set_by,
                    set_at,
                })
            })
            .collect()
    }

    /// Sets (or with `None`, removes) the quota of a title.
    pub async fn set_quota(
        &self,
        who: &Who,
        code: AwardCode,
        quota: Option<(f64, Option<AwardCode>, &str)>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query("delete from award_quotas where code = $1")
                .bind(code.code())
                .execute(&mut *tx)
                .await?;
            if let Some((max, of, source)) = quota {
                sqlx::query(
                    "insert into award_quotas (code, max_percent, of_code, source, set_by, set_at) \
                     values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(code.code())
                .bind(max)
                .bind(of.map(AwardCode::code))
                .bind(source)
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("catalogue.quota", "award_quota", code.code()).after(json!({
                    "max_percent": quota.map(|q| q.0), "of": quota.and_then(|q| q.1).map(AwardCode::code),
                    "source": quota.map(|q| q.2),
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records (or replaces) a person's rating for a year.
    pub async fn set_rating(
        &self,
        who: &Who,
        person: i64,
        year: i32,
        rating: Rating,
        unit: Option<UnitId>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let before: Option<(String,)> = sqlx::query_as(
                "select rating from person_ratings where person_id = $1 and year = $2",
            )
            .bind(person)
            .bind(year)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "insert into person_ratings (person_id, year, rating, unit_id, recorded_by, recorded_at) \
                 values ($1, $2, $3, $4, $5, $6) on conflict (person_id, year) do update \
                 set rating = excluded.rating, unit_id = excluded.unit_id, \
                 recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
            )
            .bind(person)
            .bind(year)
            .bind(rating.code())
            .bind(unit.map(|u| u.0))
            .bind(&who.login)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("registry.rating", "person", person)
                    .before_opt(before.map(|b| json!({ "year": year, "rating": b.0 })))
                    .after(json!({ "year": year, "rating": rating.code() }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The ratings of many people for one year, in one query.
    pub async fn ratings_in_year(
        &self,
        people: &[i64],
        year: i32,
    ) -> StoreResult<std::collections::HashMap<i64, Rating>> {
        let mut out = std::collections::HashMap::new();
        for chunk in people.chunks(500) {
            let recs: Vec<(i64, String)> = on_pool!(self, |pool| {
                let mut qb = sqlx::QueryBuilder::new(
                    "select person_id, rating from person_ratings where year = ",
                );
                qb.push_bind(year);
                qb.push(" and person_id in (");
                let mut sep = qb.separated(", ");
                sep.push_bind(-1i64);
                for p in chunk {
                    sep.push_bind(*p);
                }
                qb.push(")");
                qb.build_query_as().fetch_all(pool).await?
            });
            for (p, r) in recs {
                let rating = Rating::parse(&r)
                    .ok_or_else(|| StoreError::Corrupt(format!("rating: «{r}»")))?;
                out.insert(p, rating);
            }
        }
        Ok(out)
    }

    pub async fn add_title(&self, who: &Who, t: &NewTitle) -> StoreResult<i64> {
        let (person, unit) = t.subject.columns();
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into titles (person_id, unit_id, year, code, decision_number, decision_date, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7) returning id",
            )
            .bind(person)
            .bind(unit)
            .bind(t.year)
            .bind(&t.code)
            .bind(t.decision_number.as_deref())
            .bind(t.decision_date)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, format!("đã có danh hiệu năm {}", t.year)))?;
            sqlx::query(SUBJECT_UNIT_OF_TITLE)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            record!(
                tx,
                d,
                who,
                Change::new("registry.title", "title", id).after(json!({
                    "person_id": person, "unit_id": unit, "year": t.year, "code": t.code,
                    "decision_number": t.decision_number,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn add_award(&self, who: &Who, a: &NewAward) -> StoreResult<i64> {
        let (person, unit) = a.subject.columns();
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into awards (person_id, unit_id, code, award_type, decision_number, decision_date, issuer, \
                 period_from, period_to, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
            )
            .bind(person)
            .bind(unit)
            .bind(&a.code)
            .bind(a.award_type.as_str())
            .bind(a.decision_number.as_deref())
            .bind(a.decision_date)
            .bind(a.issuer.as_deref())
            .bind(a.period_from)
            .bind(a.period_to)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(SUBJECT_UNIT_OF_AWARD)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if let Some(i) = a.issuer.as_deref() {
                sqlx::query("insert into award_issuers (name) values ($1) on conflict do nothing")
                    .bind(i)
                    .execute(&mut *tx)
                    .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("registry.award", "award", id).after(json!({
                    "person_id": person, "unit_id": unit, "code": a.code,
                    "decision_number": a.decision_number, "decision_date": a.decision_date.to_string(),
                    "period_from": a.period_from, "period_to": a.period_to,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn add_initiative(&self, who: &Who, x: &NewInitiative) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into initiatives (person_id, year, name, scope, recognised_by, used_by_code, used_by_year, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
            )
            .bind(x.person_id)
            .bind(x.year)
            .bind(x.name.trim())
            .bind(x.scope.as_str())
            .bind(x.recognised_by.as_deref())
            .bind(x.used_by.map(|u| u.0.code()))
            .bind(x.used_by.map(|u| u.1))
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("registry.initiative", "person", x.person_id).after(json!({
                    "initiative": id, "year": x.year, "name": x.name, "scope": x.scope.as_str(),
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn add_discipline(
        &self,
        who: &Who,
        person: i64,
        year: i32,
        level: DisciplineLevel,
        decision_number: Option<&str>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query(
                "insert into disciplines (person_id, year, level, decision_number, created_at) values ($1, $2, $3, $4, $5)",
            )
            .bind(person)
            .bind(year)
            .bind(level.as_str())
            .bind(decision_number)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("registry.discipline", "person", person)
                    .after(json!({ "year": year, "level": level.as_str(), "decision_number": decision_number }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Everything the registry holds on a subject.
    pub async fn registry(&self, subject: SubjectRef) -> StoreResult<Registry> {
        let (col, id) = match subject {
            SubjectRef::Person(p) => ("person_id", p),
            SubjectRef::Unit(u) => ("unit_id", u.0),
        };
        // A unit has no initiatives or discipline of its own here: binding
        // NULL matches no row. Its ratings are the collective's own.
        let person = matches!(subject, SubjectRef::Person(_)).then_some(id);
        let ratings_table = match subject {
            SubjectRef::Person(_) => "person_ratings",
            SubjectRef::Unit(_) => "unit_ratings",
        };
        let (ratings, titles, awards, initiatives, disciplines) = on_pool!(self, |pool| {
            let ratings: Vec<(i32, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select year, rating from {ratings_table} where {col} = $1 order by year"
            )))
            .bind(id)
            .fetch_all(pool)
            .await?;
            let titles: Vec<TitleRec> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select id, person_id, unit_id, year, code, decision_number, decision_date, review_id, status \
                 from titles where {col} = $1 order by year"
            )))
            .bind(id)
            .fetch_all(pool)
            .await?;
            let awards: Vec<AwardRec> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select id, person_id, unit_id, code, award_type, decision_number, decision_date, issuer, \
                 period_from, period_to, status from awards where {col} = $1 order by decision_date"
            )))
            .bind(id)
            .fetch_all(pool)
            .await?;
            let initiatives: Vec<InitiativeRec> = sqlx::query_as(
                "select id, person_id, year, name, scope, used_by_code, used_by_year, status \
                 from initiatives where person_id = $1 order by year, id",
            )
            .bind(person)
            .fetch_all(pool)
            .await?;
            let disciplines: Vec<(i64, i32, String, Option<String>)> = sqlx::query_as(
                "select person_id, year, level, decision_number from disciplines where person_id = $1 order by year",
            )
            .bind(person)
            .fetch_all(pool)
            .await?;
            (ratings, titles, awards, initiatives, disciplines)
        });
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("{what}: «{v}»"));
        Ok(Registry {
            ratings: ratings
                .into_iter()
                .map(|(y, r)| Ok((y, Rating::parse(&r).ok_or_else(|| corrupt("rating", &r))?)))
                .collect::<StoreResult<_>>()?,
            titles: titles
                .into_iter()
                .map(|t| {
                    Ok(TitleRow {
                        id: t.id,
                        subject: SubjectRef::from_columns(t.person_id, t.unit_id)?,
                        year: t.year,
                        code: t.code,
                        decision_number: t.decision_number,
                        decision_date: t.decision_date,
                        review_id: t.review_id,
                        revoked: t.status == "revoked",
                    })
                })
                .collect::<StoreResult<_>>()?,
            awards: awards
                .into_iter()
                .map(|a| {
                    Ok(AwardRow {
                        id: a.id,
                        subject: SubjectRef::from_columns(a.person_id, a.unit_id)?,
                        award_type: parse_stored(AwardType::parse(&a.award_type))?,
                        code: a.code,
                        decision_number: a.decision_number,
                        decision_date: a.decision_date,
                        issuer: a.issuer,
                        period_from: a.period_from,
                        period_to: a.period_to,
                        revoked: a.status == "revoked",
                    })
                })
                .collect::<StoreResult<_>>()?,
            initiatives: initiatives
                .into_iter()
                .map(|x| {
                    Ok(InitiativeRow {
                        id: x.id,
                        person_id: x.person_id,
                        year: x.year,
                        name: x.name,
                        scope: InitiativeScope::parse(&x.scope)
                            .ok_or_else(|| corrupt("scope", &x.scope))?,
                        used_by: x.used_by_code,
                        used_by_year: x.used_by_year,
                        revoked: x.status == "revoked",
                    })
                })
                .collect::<StoreResult<_>>()?,
            disciplines: disciplines
                .into_iter()
                .map(|(p, y, l, n)| {
                    Ok(DisciplineRow {
                        person_id: p,
                        year: y,
                        level: DisciplineLevel::parse(&l).ok_or_else(|| corrupt("level", &l))?,
                        decision_number: n,
                    })
                })
                .collect::<StoreResult<_>>()?,
        })
    }

    /// Opens the review of a unit for a year with its first lines.
    pub async fn open_review(
        &self,
        who: &Who,
        unit: UnitId,
        year: i32,
        lines: &[LineCheck],
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into title_reviews (unit_id, year, created_by, created_at) values ($1, $2, $3, $4) returning id",
            )
            .bind(unit.0)
            .bind(year)
            .bind(&who.login)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, format!("đơn vị đã có bình xét năm {year}")))?;
            for l in lines {
                sqlx::query(
                    "insert into title_review_lines (review_id, person_id, proposed, outcome, verdict) \
                     values ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(l.person_id)
                .bind(l.proposed.map(AwardCode::code))
                .bind(l.outcome.map(Outcome::as_str))
                .bind(l.verdict.as_deref())
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("review.open", "title_review", id)
                    .after(json!({ "unit_id": unit.0, "year": year, "lines": lines.len() }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn review(&self, id: i64) -> StoreResult<Option<ReviewRow>> {
        let rec: Option<ReviewRec> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {REVIEW_COLS} from title_reviews where id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(rec.map(ReviewRow::from))
    }

    /// Reviews of the given units (all units when `None`), latest year first.
    pub async fn reviews(&self, units: Option<&[UnitId]>) -> StoreResult<Vec<ReviewRow>> {
        let recs: Vec<ReviewRec> = on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "select {REVIEW_COLS} from title_reviews where 1 = 1"
            ));
            if let Some(units) = units {
                qb.push(" and unit_id in (");
                let mut sep = qb.separated(", ");
                sep.push_bind(-1i64);
                for u in units {
                    sep.push_bind(u.0);
                }
                qb.push(")");
            }
            qb.push(" order by year desc, id desc limit 500");
            qb.build_query_as().fetch_all(pool).await?
        });
        Ok(recs.into_iter().map(ReviewRow::from).collect())
    }

    /// The lines of a review: the unit's own line first, then its people
    /// in Vietnamese name order.
    pub async fn review_lines(&self, review: i64) -> StoreResult<Vec<LineRow>> {
        let recs: Vec<LineRec> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{LINE_SELECT} where l.review_id = $1 order by (l.person_id is not null), p.sort_key, l.id"
            )))
            .bind(review)
            .fetch_all(pool)
            .await?
        });
        recs.into_iter().map(LineRow::try_from).collect()
    }

    /// Re-checks lines and records decisions, in one transaction; refused
    /// once the review is closed. `decision` is `Some` when the officer
    /// decided, with the reason the audit log keeps.
    pub async fn update_lines(
        &self,
        who: &Who,
        review: i64,
        updates: &[(i64, LineCheck, LineDecided)],
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let status: Option<(String,)> =
                sqlx::query_as("select status from title_reviews where id = $1")
                    .bind(review)
                    .fetch_optional(&mut *tx)
                    .await?;
            match status {
                None => return Err(StoreError::NotFound(format!("bình xét #{review}"))),
                Some((s,)) if s == "closed" => {
                    return Err(StoreError::Conflict(
                        "bình xét đã chốt danh sách, không sửa được".into(),
                    ));
                }
                Some(_) => {}
            }
            for (line, c, decision) in updates {
                let before: Option<(Option<String>, String, Option<String>)> = sqlx::query_as(
                    "select proposed, decision, reason from title_review_lines where id = $1 and review_id = $2",
                )
                .bind(line)
                .bind(review)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(before) = before else {
                    return Err(StoreError::NotFound(format!("dòng #{line}")));
                };
                let (dec, reason) = match decision {
                    Some((dec, reason)) => (*dec, reason.clone()),
                    // A re-check resets a decision taken on another verdict.
                    None => (LineDecision::Pending, None),
                };
                let decided = decision.is_some();
                sqlx::query(
                    "update title_review_lines set proposed = $1, outcome = $2, verdict = $3, decision = $4, \
                     reason = $5, decided_by = $6, decided_at = $7 where id = $8",
                )
                .bind(c.proposed.map(AwardCode::code))
                .bind(c.outcome.map(Outcome::as_str))
                .bind(c.verdict.as_deref())
                .bind(dec.as_str())
                .bind(reason.as_deref())
                .bind(decided.then_some(who.login.as_str()))
                .bind(decided.then(now))
                .bind(line)
                .execute(&mut *tx)
                .await?;
                record!(
                    tx,
                    d,
                    who,
                    Change::new("review.line", "title_review", review)
                        .before(json!({ "line": line, "proposed": before.0, "decision": before.1, "reason": before.2 }))
                        .after(json!({
                            "line": line, "proposed": c.proposed.map(AwardCode::code),
                            "outcome": c.outcome.map(Outcome::as_str), "decision": dec.as_str(), "reason": reason,
                        }))
                );
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records the unit's own rating for the review's year.
    pub async fn set_review_rating(
        &self,
        who: &Who,
        review: i64,
        rating: Option<Rating>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query(
                "update title_reviews set unit_rating = $1 where id = $2 and status = 'open'",
            )
            .bind(rating.map(Rating::code))
            .bind(review)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(
                    "bình xét không còn mở, không sửa được".into(),
                ));
            }
            record!(
                tx,
                d,
                who,
                Change::new("review.unit_rating", "title_review", review)
                    .after(json!({ "rating": rating.map(Rating::code) }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Produces the list: the review closes and each proposed title enters
    /// the registry for the year, all or nothing.
    pub async fn close_review(
        &self,
        who: &Who,
        review: i64,
        decision_number: Option<&str>,
        decision_date: Option<Date>,
    ) -> StoreResult<usize> {
        let n = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let r: Option<ReviewRec> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {REVIEW_COLS} from title_reviews where id = $1"
            )))
            .bind(review)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(r) = r else {
                return Err(StoreError::NotFound(format!("bình xét #{review}")));
            };
            if r.status == "closed" {
                return Err(StoreError::Conflict("bình xét đã chốt danh sách".into()));
            }
            let lines: Vec<(Option<i64>, String)> = sqlx::query_as(
                "select person_id, proposed from title_review_lines where review_id = $1 \
                 and decision in ('accepted', 'overridden') and proposed is not null",
            )
            .bind(review)
            .fetch_all(&mut *tx)
            .await?;
            for (person, code) in &lines {
                let unit = person.is_none().then_some(r.unit_id);
                sqlx::query(
                    "insert into titles (person_id, unit_id, year, code, decision_number, decision_date, \
                     decided_by_unit_id, review_id, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(person)
                .bind(unit)
                .bind(r.year)
                .bind(code)
                .bind(decision_number)
                .bind(decision_date)
                .bind(r.unit_id)
                .bind(review)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    conflict(
                        e,
                        format!(
                            "{} đã có danh hiệu năm {} trong sổ",
                            person.map_or("đơn vị".to_owned(), |p| format!("cá nhân #{p}")),
                            r.year
                        ),
                    )
                })?;
            }
            sqlx::query(
                "update title_reviews set status = 'closed', decision_number = $1, decision_date = $2, closed_at = $3 where id = $4",
            )
            .bind(decision_number)
            .bind(decision_date)
            .bind(now())
            .bind(review)
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("review.close", "title_review", review).after(json!({
                    "titles": lines.len(), "decision_number": decision_number,
                    "decision_date": decision_date.map(|d| d.to_string()),
                }))
            );
            tx.commit().await?;
            lines.len()
        });
        Ok(n)
    }
}
