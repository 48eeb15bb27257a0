//! Entries of the registry and a subject's history.

use super::rows::{
    AwardRec, AwardRow, DisciplineRow, InitiativeRec, InitiativeRow, NewAward, NewInitiative,
    NewTitle, Registry, SUBJECT_UNIT_OF_AWARD, SUBJECT_UNIT_OF_TITLE, SubjectRef, TitleRec,
    TitleRow,
};
use crate::audit::{Change, Who, record};
use crate::movements::{conflict, now};
use crate::{StoreError, StoreResult, on_pool, parse_stored};
use serde_json::json;
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::eligibility::{DisciplineLevel, InitiativeScope, Rating};
use thidua_domain::org::UnitId;

impl crate::Store {
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
        let (person, id) = match subject {
            SubjectRef::Person(p) => (true, p),
            SubjectRef::Unit(u) => (false, u.0),
        };
        Ok(self
            .registries_between(person, id, id)
            .await?
            .remove(&id)
            .unwrap_or_default())
    }

    /// The registries of the people (or units) whose ids lie in `lo..=hi`,
    /// by id: one read per table for the whole range, each in the order the
    /// single-subject read gives (the sweep's snapshot is built from these
    /// and must see what `registry` sees).
    pub async fn registries_between(
        &self,
        person: bool,
        lo: i64,
        hi: i64,
    ) -> StoreResult<std::collections::BTreeMap<i64, Registry>> {
        let col = if person { "person_id" } else { "unit_id" };
        // A unit has no initiatives or discipline of its own here: a range
        // of NULLs matches no row. Its ratings are the collective's own.
        let (plo, phi) = if person {
            (Some(lo), Some(hi))
        } else {
            (None, None)
        };
        let ratings_table = if person {
            "person_ratings"
        } else {
            "unit_ratings"
        };
        let (ratings, titles, awards, initiatives, disciplines) = on_pool!(self, |pool| {
            let ratings: Vec<(i64, i32, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {col}, year, rating from {ratings_table} where {col} between $1 and $2 order by {col}, year"
            )))
            .bind(lo)
            .bind(hi)
            .fetch_all(pool)
            .await?;
            let titles: Vec<TitleRec> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select id, person_id, unit_id, year, code, decision_number, decision_date, review_id, status \
                 from titles where {col} between $1 and $2 order by {col}, year, id"
            )))
            .bind(lo)
            .bind(hi)
            .fetch_all(pool)
            .await?;
            let awards: Vec<AwardRec> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select id, person_id, unit_id, code, award_type, decision_number, decision_date, issuer, \
                 period_from, period_to, status from awards where {col} between $1 and $2 \
                 order by {col}, decision_date, id"
            )))
            .bind(lo)
            .bind(hi)
            .fetch_all(pool)
            .await?;
            let initiatives: Vec<InitiativeRec> = sqlx::query_as(
                "select id, person_id, year, name, scope, used_by_code, used_by_year, status \
                 from initiatives where person_id between $1 and $2 order by person_id, year, id",
            )
            .bind(plo)
            .bind(phi)
            .fetch_all(pool)
            .await?;
            let disciplines: Vec<(i64, i32, String, Option<String>)> = sqlx::query_as(
                "select person_id, year, level, decision_number from disciplines \
                 where person_id between $1 and $2 order by person_id, year, id",
            )
            .bind(plo)
            .bind(phi)
            .fetch_all(pool)
            .await?;
            (ratings, titles, awards, initiatives, disciplines)
        });
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("{what}: «{v}»"));
        let mut out: std::collections::BTreeMap<i64, Registry> = std::collections::BTreeMap::new();
        for (s, y, r) in ratings {
            let rating = Rating::parse(&r).ok_or_else(|| corrupt("rating", &r))?;
            out.entry(s).or_default().ratings.push((y, rating));
        }
        for t in titles {
            let subject = SubjectRef::from_columns(t.person_id, t.unit_id)?;
            out.entry(subject.id()).or_default().titles.push(TitleRow {
                id: t.id,
                subject,
                year: t.year,
                code: t.code,
                decision_number: t.decision_number,
                decision_date: t.decision_date,
                review_id: t.review_id,
                revoked: t.status == "revoked",
            });
        }
        for a in awards {
            let subject = SubjectRef::from_columns(a.person_id, a.unit_id)?;
            out.entry(subject.id()).or_default().awards.push(AwardRow {
                id: a.id,
                subject,
                award_type: parse_stored(AwardType::parse(&a.award_type))?,
                code: a.code,
                decision_number: a.decision_number,
                decision_date: a.decision_date,
                issuer: a.issuer,
                period_from: a.period_from,
                period_to: a.period_to,
                revoked: a.status == "revoked",
            });
        }
        for x in initiatives {
            out.entry(x.person_id)
                .or_default()
                .initiatives
                .push(InitiativeRow {
                    id: x.id,
                    person_id: x.person_id,
                    year: x.year,
                    name: x.name,
                    scope: InitiativeScope::parse(&x.scope)
                        .ok_or_else(|| corrupt("scope", &x.scope))?,
                    used_by: x.used_by_code,
                    used_by_year: x.used_by_year,
                    revoked: x.status == "revoked",
                });
        }
        for (p, y, l, n) in disciplines {
            out.entry(p).or_default().disciplines.push(DisciplineRow {
                person_id: p,
                year: y,
                level: DisciplineLevel::parse(&l).ok_or_else(|| corrupt("level", &l))?,
                decision_number: n,
            });
        }
        Ok(out)
    }
}
