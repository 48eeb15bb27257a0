//! The award registry as one list (awards and annual titles), searched by
//! folded name with filters, and counted for statistics.

use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::{StoreResult, on_pool};
use serde::Serialize;
use serde_json::json;
use time::Date;

/// Awards and annual titles as one relation. Titles have no issuer text
/// and no movement; their period is their year.
const REGISTRY_ROWS: &str = "(select 'award' as source, a.id, a.person_id, a.unit_id, a.code, a.decision_number, \
    a.decision_date, a.issuer, a.period_from, a.period_to, a.status, a.subject_unit_id, a.movement_id, a.decision_id \
    from awards a \
    union all \
    select 'title' as source, t.id, t.person_id, t.unit_id, t.code, t.decision_number, \
    t.decision_date, null as issuer, t.year as period_from, t.year as period_to, \
    t.status, t.subject_unit_id, null as movement_id, null as decision_id from titles t)";

/// Who is counted: people, collectives, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum SubjectFilter {
    #[default]
    Any,
    People,
    Collectives,
}

/// A registry question. Name terms are folded words, each with the
/// spellings it may stand for (the corrections of a typo); every term must
/// begin a word of the name.
#[derive(Debug, Clone, Default)]
pub struct RegistryQuery {
    pub name_terms: Vec<Vec<String>>,
    /// Collectives whose names matched (found by the caller in the forest).
    pub named_units: Vec<i64>,
    pub codes: Vec<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// The issuers (exact texts) to keep; `None` keeps all, an empty list
    /// nothing.
    pub issuers: Option<Vec<String>>,
    /// The subject's unit on the decision day must be one of these.
    pub units: Option<Vec<i64>>,
    pub movement: Option<i64>,
    /// One person's or one collective's rows only.
    pub person: Option<i64>,
    pub collective: Option<i64>,
    pub subjects: SubjectFilter,
    pub include_revoked: bool,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RegistryHit {
    pub source: String,
    pub id: i64,
    pub person_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub subject_name: String,
    pub birth_date: Option<Date>,
    pub code: String,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub issuer: Option<String>,
    pub period_from: Option<i32>,
    pub period_to: Option<i32>,
    pub status: String,
    pub subject_unit: Option<String>,
    pub decision_id: Option<i64>,
}

/// One cell of the statistics: how many awards share these traits.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CountRow {
    pub year: i32,
    pub code: String,
    pub issuer: Option<String>,
    pub collective: bool,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub grassroots: Option<String>,
    pub movement_id: Option<i64>,
    pub subject_unit_id: Option<i64>,
    pub count: i64,
}

fn push_filters<DB: sqlx::Database>(qb: &mut sqlx::QueryBuilder<DB>, q: &RegistryQuery)
where
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> Date: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    if !q.include_revoked {
        qb.push(" and r.status = 'active'");
    }
    if !q.codes.is_empty() {
        qb.push(" and r.code in (");
        let mut sep = qb.separated(", ");
        for c in &q.codes {
            sep.push_bind(c.clone());
        }
        qb.push(")");
    }
    let new_year = |y: i32| Date::from_calendar_date(y, time::Month::January, 1).ok();
    if let Some(d) = q.year_from.and_then(new_year) {
        qb.push(" and r.decision_date >= ");
        qb.push_bind(d);
    }
    if let Some(d) = q.year_to.and_then(|y| new_year(y + 1)) {
        qb.push(" and r.decision_date < ");
        qb.push_bind(d);
    }
    if let Some(issuers) = &q.issuers {
        qb.push(" and r.issuer in (''");
        for i in issuers {
            qb.push(", ");
            qb.push_bind(i.clone());
        }
        qb.push(")");
    }
    if let Some(units) = &q.units {
        // With a name to look for, the name is the selective test: the unary
        // plus keeps SQLite from walking a whole province's rows by unit.
        qb.push(if q.name_terms.is_empty() {
            " and r.subject_unit_id in ("
        } else {
            " and +r.subject_unit_id in ("
        });
        let mut sep = qb.separated(", ");
        sep.push_bind(-1i64);
        for u in units {
            sep.push_bind(*u);
        }
        qb.push(")");
    }
    if let Some(m) = q.movement {
        qb.push(" and r.movement_id = ");
        qb.push_bind(m);
    }
    if let Some(p) = q.person {
        qb.push(" and r.person_id = ");
        qb.push_bind(p);
    }
    if let Some(u) = q.collective {
        qb.push(" and r.unit_id = ");
        qb.push_bind(u);
    }
    match q.subjects {
        SubjectFilter::Any => {}
        SubjectFilter::People => {
            qb.push(" and r.person_id is not null");
        }
        SubjectFilter::Collectives => {
            qb.push(" and r.unit_id is not null");
        }
    }
}

impl crate::Store {
    /// Registry rows matching the query: people by name (every term must
    /// begin a word of the folded name), collectives by the ids given.
    /// People first in Vietnamese name order, then by decision date.
    pub async fn registry_search(&self, q: &RegistryQuery) -> StoreResult<Vec<RegistryHit>> {
        Ok(on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "select r.source, r.id, r.person_id, r.unit_id, coalesce(p.full_name, u.name, '') as subject_name, \
                 p.birth_date, r.code, r.decision_number, r.decision_date, r.issuer, r.period_from, r.period_to, \
                 r.status, su.name as subject_unit, r.decision_id \
                 from {REGISTRY_ROWS} r left join people p on p.id = r.person_id \
                 left join org_units u on u.id = r.unit_id \
                 left join org_units su on su.id = r.subject_unit_id where 1 = 1"
            ));
            if !q.name_terms.is_empty() {
                qb.push(" and (r.person_id in (select p2.id from people p2 where 1 = 1");
                for alternatives in &q.name_terms {
                    qb.push(" and (1 = 0");
                    for t in alternatives {
                        // Escape LIKE's wildcards: folded text has no other specials.
                        let t = t
                            .replace('\\', "\\\\")
                            .replace('%', "\\%")
                            .replace('_', "\\_");
                        qb.push(" or (' ' || p2.name_folded) like ");
                        qb.push_bind(format!("% {t}%"));
                        qb.push(" escape '\\'");
                    }
                    qb.push(")");
                }
                qb.push(") or r.unit_id in (");
                let mut sep = qb.separated(", ");
                sep.push_bind(-1i64);
                for u in &q.named_units {
                    sep.push_bind(*u);
                }
                qb.push("))");
            }
            push_filters(&mut qb, q);
            qb.push(" order by coalesce(p.sort_key, u.name), r.person_id, r.unit_id, r.decision_date desc, r.id limit ");
            qb.push_bind(q.limit.max(1));
            qb.build_query_as().fetch_all(pool).await?
        }))
    }

    /// Counts of registry rows grouped by year, code, issuer, subject kind,
    /// sex, ethnicity, grassroots group, movement and unit — the cube the
    /// statistics pages slice.
    pub async fn registry_counts(&self, q: &RegistryQuery) -> StoreResult<Vec<CountRow>> {
        Ok(on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "select cast(substr(cast(r.decision_date as text), 1, 4) as integer) as year, r.code, r.issuer, \
                 (r.unit_id is not null) as collective, p.gender, p.ethnicity, p.grassroots, r.movement_id, \
                 r.subject_unit_id, count(*) as count \
                 from {REGISTRY_ROWS} r left join people p on p.id = r.person_id \
                 where r.decision_date is not null"
            ));
            push_filters(&mut qb, q);
            qb.push(
                " group by substr(cast(r.decision_date as text), 1, 4), r.code, r.issuer, (r.unit_id is not null), \
                 p.gender, p.ethnicity, p.grassroots, r.movement_id, r.subject_unit_id",
            );
            qb.build_query_as().fetch_all(pool).await?
        }))
    }

    /// The collectives the registry holds awards for, with their names.
    pub async fn awarded_collectives(&self) -> StoreResult<Vec<(i64, String)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select u.id, u.name from org_units u where u.id in \
                 (select unit_id from awards where unit_id is not null \
                  union select unit_id from titles where unit_id is not null)",
            )
            .fetch_all(p)
            .await?
        }))
    }

    /// Every issuer the registry names.
    pub async fn issuers(&self) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = on_pool!(self, |p| {
            sqlx::query_as(
                "select distinct issuer from awards where issuer is not null order by issuer",
            )
            .fetch_all(p)
            .await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The folded words of every name: the vocabulary for typo tolerance.
    pub async fn name_words(&self) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = on_pool!(self, |p| {
            sqlx::query_as("select word from name_words order by word")
                .fetch_all(p)
                .await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Records a person's grassroots group (công nhân, nông dân, người lao
    /// động trực tiếp), or clears it.
    pub async fn set_grassroots(
        &self,
        who: &Who,
        person: i64,
        group: Option<&str>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query("update people set grassroots = $1 where id = $2")
                .bind(group)
                .bind(person)
                .execute(&mut *tx)
                .await?;
            record!(
                tx,
                d,
                who,
                Change::new("person.grassroots", "person", person)
                    .after(json!({ "grassroots": group, "at": now() }))
            );
            tx.commit().await?;
        });
        Ok(())
    }
}

/// A generated registry for benchmarks: people and award rows written in
/// large batches, without audit entries (the data is synthetic and the
/// database a throw-away one).
pub struct BenchBatch<'a> {
    /// (full name, folded name, sort key, gender, birth date, ethnicity, unit)
    pub people: &'a [(
        String,
        String,
        String,
        &'static str,
        Date,
        &'static str,
        i64,
    )],
    /// (person index within `people`, code, decision date, issuer)
    pub awards: &'a [(usize, &'static str, Date, &'static str)],
}

impl crate::Store {
    /// Writes one benchmark batch in one transaction; returns the ids given
    /// to the people.
    pub async fn bench_insert(&self, b: &BenchBatch<'_>) -> StoreResult<Vec<i64>> {
        let ids = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(b.people.len());
            for chunk in b.people.chunks(500) {
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into people (full_name, name_folded, sort_key, gender, birth_date, ethnicity) ",
                );
                qb.push_values(chunk, |mut row, p| {
                    row.push_bind(p.0.clone())
                        .push_bind(p.1.clone())
                        .push_bind(p.2.clone())
                        .push_bind(p.3)
                        .push_bind(p.4)
                        .push_bind(p.5);
                });
                qb.push(" returning id");
                let got: Vec<(i64,)> = qb.build_query_as().fetch_all(&mut *tx).await?;
                ids.extend(got.into_iter().map(|r| r.0));
            }
            for chunk in b.awards.chunks(1000) {
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into awards (person_id, code, award_type, decision_number, decision_date, issuer, \
                     period_from, period_to, subject_unit_id, created_at) ",
                );
                let at = now();
                qb.push_values(chunk, |mut row, a| {
                    row.push_bind(ids[a.0])
                        .push_bind(a.1)
                        .push_bind("regular")
                        .push_bind(format!("{}/QĐ-UBND", a.0 % 2000 + 1))
                        .push_bind(a.2)
                        .push_bind(a.3)
                        .push_bind(a.2.year())
                        .push_bind(a.2.year())
                        .push_bind(b.people[a.0].6)
                        .push_bind(at.clone());
                });
                qb.build().execute(&mut *tx).await?;
            }
            let mut issuers: Vec<&str> = b.awards.iter().map(|a| a.3).collect();
            issuers.sort_unstable();
            issuers.dedup();
            for i in issuers {
                sqlx::query("insert into award_issuers (name) values ($1) on conflict do nothing")
                    .bind(i)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut words: Vec<&str> = b.people.iter().flat_map(|p| p.1.split(' ')).collect();
            words.sort_unstable();
            words.dedup();
            for w in words {
                sqlx::query("insert into name_words (word) values ($1) on conflict do nothing")
                    .bind(w)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            ids
        });
        Ok(ids)
    }

    /// Refreshes the planner's statistics after a bulk load.
    pub async fn analyze(&self) -> StoreResult<()> {
        on_pool!(self, |p| {
            sqlx::query("analyze").execute(p).await?;
        });
        Ok(())
    }
}
