//! The award registry as one list (awards and annual titles), searched by
//! folded name with filters, and counted for statistics.

use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::{Engine, StoreResult, on_pool};
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
    t.status, t.subject_unit_id, null as movement_id, t.decision_id from titles t)";

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
    /// The people those terms name, when an in-memory name index has
    /// found them already (`app::name_index`); the store then reads their
    /// rows a page at a time instead of finding them itself.
    pub named_people: Option<NamedPeople>,
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

/// People found by name outside the database.
#[derive(Debug, Clone, Default)]
pub struct NamedPeople {
    /// In name order (`people.sort_key`, then id).
    pub in_order: Vec<i64>,
    /// Written since the index was built, in any order.
    pub recent: Vec<i64>,
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
    /// The subject's place in name order (people by given name first).
    #[serde(skip)]
    pub sort_key: String,
}

/// The subjects a registry read is limited to.
#[derive(Debug, Clone, Copy)]
enum Subjects<'a> {
    People(&'a [i64]),
    Units(&'a [i64]),
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

fn push_filters<DB: sqlx::Database>(
    qb: &mut sqlx::QueryBuilder<DB>,
    q: &RegistryQuery,
    by_subject: bool,
) where
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> Date: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    // With the subjects given they are the selective test; a unary plus
    // keeps SQLite from choosing a code, date or unit index over them and
    // walking a whole province's rows (PostgreSQL weighs this itself).
    let np = if by_subject && DB::NAME == "SQLite" {
        "+"
    } else {
        ""
    };
    if !q.include_revoked {
        qb.push(" and r.status = 'active'");
    }
    if !q.codes.is_empty() {
        qb.push(format!(" and {np}r.code in ("));
        let mut sep = qb.separated(", ");
        for c in &q.codes {
            sep.push_bind(c.clone());
        }
        qb.push(")");
    }
    let new_year = |y: i32| Date::from_calendar_date(y, time::Month::January, 1).ok();
    if let Some(d) = q.year_from.and_then(new_year) {
        qb.push(format!(" and {np}r.decision_date >= "));
        qb.push_bind(d);
    }
    if let Some(d) = q.year_to.and_then(|y| new_year(y + 1)) {
        qb.push(format!(" and {np}r.decision_date < "));
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
        qb.push(format!(" and {np}r.subject_unit_id in ("));
        let mut sep = qb.separated(", ");
        sep.push_bind(-1i64);
        for u in units {
            sep.push_bind(*u);
        }
        qb.push(")");
    }
    if let Some(m) = q.movement {
        qb.push(format!(" and {np}r.movement_id = "));
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

/// Postings of one term are counted no further than this; a term that
/// reaches it is never the one a search starts from.
const POSTINGS_CAP: i64 = 50_000;
/// When the names that match are at least this share of all names (one in
/// twenty), walking every name in order finds a page sooner than reading
/// the rarest term's postings.
const WALK_SHARE: f64 = 0.05;
/// People per page; a page grows fourfold while the filters leave the
/// result short, up to the cap.
const FIRST_PAGE: i64 = 500;
const PAGE_CAP: i64 = 8_000;

/// How the pages of people are found: by walking every name in order, or
/// from the postings of the rarest term.
#[derive(Debug, Clone, Copy)]
enum Driver {
    Walk,
    Postings(usize),
}

/// Escapes LIKE's wildcards: folded text has no other specials.
fn like_escaped(t: &str) -> String {
    t.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The upper bound of the words beginning with `t` in byte order: every
/// folded word is ASCII, so `t` followed by DEL is past all of them.
fn prefix_end(t: &str) -> String {
    format!("{t}\u{7f}")
}

/// `(w.word >= a and w.word < a…) or …` over a term's alternatives.
fn push_word_ranges<DB: sqlx::Database>(qb: &mut sqlx::QueryBuilder<DB>, alternatives: &[String])
where
    for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    // No constant `1 = 0 or …` in front: SQLite then stops using the index.
    qb.push("(");
    for (i, t) in alternatives.iter().enumerate() {
        qb.push(if i == 0 {
            "(w.word >= "
        } else {
            " or (w.word >= "
        });
        qb.push_bind(t.clone());
        qb.push(" and w.word < ");
        qb.push_bind(prefix_end(t));
        qb.push(")");
    }
    if alternatives.is_empty() {
        qb.push("1 = 0");
    }
    qb.push(")");
}

const HIT_COLS: &str = "r.source, r.id, r.person_id, r.unit_id, coalesce(p.full_name, u.name, '') as subject_name, \
    p.birth_date, r.code, r.decision_number, r.decision_date, r.issuer, r.period_from, r.period_to, \
    r.status, su.name as subject_unit, r.decision_id, coalesce(p.sort_key, u.name, '') as sort_key";

impl crate::Store {
    /// Registry rows matching the query: people by name (every term must
    /// begin a word of the folded name), collectives by the ids given.
    /// Subjects in name order (people by Vietnamese name order), each
    /// subject's rows newest first.
    ///
    /// A name search runs in two steps so that neither engine reads the
    /// whole registry: the people whose names match are taken a page at a
    /// time in name order (from `person_words` when a term is rare, by
    /// walking the names otherwise), then their rows are fetched through
    /// the person index with the filters, until the limit is reached.
    pub async fn registry_search(&self, q: &RegistryQuery) -> StoreResult<Vec<RegistryHit>> {
        if q.name_terms.is_empty() {
            return self.registry_rows(q, None).await;
        }
        let limit = q.limit.max(1);
        let mut hits = if q.named_units.is_empty() {
            Vec::new()
        } else {
            let mut by_units = q.clone();
            by_units.subjects = SubjectFilter::Collectives;
            self.registry_rows(&by_units, Some(Subjects::Units(&q.named_units)))
                .await?
        };
        if q.subjects != SubjectFilter::Collectives {
            let driver = match q.named_people {
                Some(_) => Driver::Walk,
                None => self.name_driver(&q.name_terms).await?,
            };
            let mut people = Vec::new();
            let mut after: Option<(String, i64)> = None;
            let mut taken = 0;
            let mut page = FIRST_PAGE;
            while (people.len() as i64) < limit {
                let ids: Vec<i64> = match &q.named_people {
                    // The recent ones join the first page: sorted with the
                    // rest below, any that come after the last page's names
                    // fall past the limit unless the list ran out.
                    Some(named) => {
                        let end = (taken + page as usize).min(named.in_order.len());
                        let mut ids = named.in_order[taken..end].to_vec();
                        if taken == 0 {
                            ids.extend(&named.recent);
                        }
                        taken = end;
                        ids
                    }
                    None => {
                        let ids = self
                            .people_page(&q.name_terms, driver, after.as_ref(), page)
                            .await?;
                        after = ids.last().map(|(id, key)| (key.clone(), *id));
                        ids.into_iter().map(|(id, _)| id).collect()
                    }
                };
                if ids.is_empty() {
                    break;
                }
                let mut rest = q.clone();
                rest.limit = limit - people.len() as i64;
                people.extend(
                    self.registry_rows(&rest, Some(Subjects::People(&ids)))
                        .await?,
                );
                let exhausted = match &q.named_people {
                    Some(named) => taken >= named.in_order.len(),
                    None => (ids.len() as i64) < page,
                };
                if exhausted {
                    break;
                }
                page = (page * 4).min(PAGE_CAP);
            }
            hits.extend(people);
            // Both lists are in name order; one stable sort interleaves them.
            hits.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
        }
        hits.truncate(limit as usize);
        Ok(hits)
    }

    /// Chooses how to find the people a name search names: the expected
    /// share of matching names is the product of each term's share.
    async fn name_driver(&self, terms: &[Vec<String>]) -> StoreResult<Driver> {
        let total = on_pool!(self, |pool| {
            let (n,): (Option<i64>,) = sqlx::query_as("select max(id) from people")
                .fetch_one(pool)
                .await?;
            n.unwrap_or(0)
        })
        .max(1) as f64;
        let mut share = 1.0;
        let mut rarest: Option<(usize, i64)> = None;
        for (i, term) in terms.iter().enumerate() {
            let n = self.word_postings(term).await?;
            share *= (n as f64 / total).min(1.0);
            if rarest.is_none_or(|(_, m)| n < m) {
                rarest = Some((i, n));
            }
        }
        Ok(match rarest {
            Some((i, n)) if n < POSTINGS_CAP && share < WALK_SHARE => Driver::Postings(i),
            _ => Driver::Walk,
        })
    }

    /// How many name words begin with one of the term's spellings, counted
    /// no further than [`POSTINGS_CAP`].
    async fn word_postings(&self, alternatives: &[String]) -> StoreResult<i64> {
        Ok(on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(
                "select count(*) from (select 1 from person_words w where ",
            );
            push_word_ranges(&mut qb, alternatives);
            qb.push(" limit ");
            qb.push_bind(POSTINGS_CAP);
            qb.push(") c");
            let (n,): (i64,) = qb.build_query_as().fetch_one(pool).await?;
            n
        }))
    }

    /// The next page of people whose names match, in name order after
    /// `after` (sort key, id): from the rarest term's postings, or walking
    /// the names; the other terms are tested on each name.
    async fn people_page(
        &self,
        terms: &[Vec<String>],
        driver: Driver,
        after: Option<&(String, i64)>,
        page: i64,
    ) -> StoreResult<Vec<(i64, String)>> {
        Ok(on_pool!(self, |pool| {
            // `p` is the people table when walking, the postings (which
            // carry the name and its sort key) otherwise.
            let mut qb = match driver {
                Driver::Walk => {
                    sqlx::QueryBuilder::new("select p.id, p.sort_key from people p where 1 = 1")
                }
                Driver::Postings(i) => {
                    let mut qb = sqlx::QueryBuilder::new(
                        "select distinct w.person_id as id, w.sort_key from person_words w where ",
                    );
                    push_word_ranges(&mut qb, &terms[i]);
                    qb
                }
            };
            let p = match driver {
                Driver::Walk => "p",
                Driver::Postings(_) => "w",
            };
            for (i, alternatives) in terms.iter().enumerate() {
                if matches!(driver, Driver::Postings(r) if r == i) {
                    continue;
                }
                qb.push(" and (");
                for (k, t) in alternatives.iter().enumerate() {
                    if k > 0 {
                        qb.push(" or ");
                    }
                    qb.push(format!("(' ' || {p}.name_folded) like "));
                    qb.push_bind(format!("% {}%", like_escaped(t)));
                    qb.push(" escape '\\'");
                }
                if alternatives.is_empty() {
                    qb.push("1 = 0");
                }
                qb.push(")");
            }
            let id_col = match driver {
                Driver::Walk => "p.id",
                Driver::Postings(_) => "w.person_id",
            };
            if let Some((key, id)) = after {
                qb.push(format!(" and ({p}.sort_key > "));
                qb.push_bind(key.clone());
                qb.push(format!(" or ({p}.sort_key = "));
                qb.push_bind(key.clone());
                qb.push(format!(" and {id_col} > "));
                qb.push_bind(*id);
                qb.push("))");
            }
            qb.push(format!(" order by {p}.sort_key, {id_col} limit "));
            qb.push_bind(page);
            qb.build_query_as().fetch_all(pool).await?
        }))
    }

    /// Registry rows with the filters, optionally of the subjects given
    /// only, in subject name order.
    async fn registry_rows(
        &self,
        q: &RegistryQuery,
        subjects: Option<Subjects<'_>>,
    ) -> StoreResult<Vec<RegistryHit>> {
        // The ids come from the store itself: integers written into the
        // statement, which both engines turn into index probes. Repeating
        // them on the joined table keeps PostgreSQL from hashing all people.
        let list = |ids: &[i64]| {
            std::iter::once(-1)
                .chain(ids.iter().copied())
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (people_join, units_join, only) = match subjects {
            None => (String::new(), String::new(), String::new()),
            Some(Subjects::People(ids)) => {
                let l = list(ids);
                (
                    format!(" and p.id in ({l})"),
                    " and 1 = 0".to_owned(),
                    format!(" and r.person_id in ({l})"),
                )
            }
            Some(Subjects::Units(ids)) => {
                let l = list(ids);
                (
                    " and 1 = 0".to_owned(),
                    format!(" and u.id in ({l})"),
                    format!(" and r.unit_id in ({l})"),
                )
            }
        };
        Ok(on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "select {HIT_COLS} from {REGISTRY_ROWS} r \
                 left join people p on p.id = r.person_id{people_join} \
                 left join org_units u on u.id = r.unit_id{units_join} \
                 left join org_units su on su.id = r.subject_unit_id where 1 = 1{only}"
            ));
            push_filters(&mut qb, q, subjects.is_some());
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
            push_filters(&mut qb, q, false);
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
            // Kept as awards are written: an issuer filter never reads the awards.
            sqlx::query_as("select name from award_issuers order by name")
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
        let ids = on_pool!(self, |pool, d| {
            let mut tx = pool.begin().await?;
            sqlx::query(d.bulk_write).execute(&mut *tx).await?;
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
            let postings: Vec<(&str, i64, usize)> = b
                .people
                .iter()
                .zip(&ids)
                .enumerate()
                .flat_map(|(i, (p, id))| {
                    p.1.split(' ')
                        .filter(|w| !w.is_empty())
                        .map(move |w| (w, *id, i))
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            for chunk in postings.chunks(1000) {
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into person_words (word, person_id, sort_key, name_folded) ",
                );
                qb.push_values(chunk, |mut row, (w, id, i)| {
                    row.push_bind(*w)
                        .push_bind(*id)
                        .push_bind(b.people[*i].2.clone())
                        .push_bind(b.people[*i].1.clone());
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

    /// People a benchmark import can name without ambiguity: the only one
    /// with their name and birth date.
    pub async fn bench_unique_people(&self, limit: i64) -> StoreResult<Vec<(String, Date)>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "select min(full_name), birth_date from people where birth_date is not null \
                 group by name_folded, birth_date having count(*) = 1 \
                 order by min(id) limit $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Refreshes the planner's statistics after a bulk load.
    pub async fn analyze(&self) -> StoreResult<()> {
        self.refresh_stats(|d| d.refresh_stats).await
    }

    /// Runs a statistics statement over thidua's own tables, by name on
    /// PostgreSQL: a database-wide ANALYZE by an owner who is not a
    /// superuser (the packaged set-up) warns about every system catalog.
    pub(crate) async fn refresh_stats(
        &self,
        statement: impl Fn(&crate::pool::Dialect) -> &'static str,
    ) -> StoreResult<()> {
        let tables = match self.engine() {
            Engine::Sqlite => String::new(),
            Engine::Postgres => self
                .table_names()
                .await?
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(", "),
        };
        on_pool!(self, |p, d| {
            let sql = format!("{} {tables}", statement(d));
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await?;
        });
        Ok(())
    }
}
