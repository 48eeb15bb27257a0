//! A unit's annual review of its people for emulation titles.

use super::rows::{
    LINE_SELECT, LineCheck, LineDecided, LineRec, LineRow, REVIEW_COLS, ReviewRec, ReviewRow,
};
use crate::audit::{Change, Who, record};
use crate::movements::{conflict, now};
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use thidua_domain::eligibility::review::LineDecision;
use thidua_domain::eligibility::{AwardCode, Outcome, Rating};
use thidua_domain::org::UnitId;
use time::Date;

/// At most this many reviews come back from one list.
pub const REVIEW_LIST_MAX: i64 = 5000;

/// What a list of annual reviews asks for.
#[derive(Debug, Clone, Default)]
pub struct ReviewListing {
    /// Only reviews of these units; `None` for every unit.
    pub units: Option<Vec<UnitId>>,
    pub year: Option<i32>,
    /// Only closed (`true`) or still open (`false`) reviews.
    pub closed: Option<bool>,
}

impl crate::Store {
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
        self.reviews_listed(&ReviewListing {
            units: units.map(<[UnitId]>::to_vec),
            ..Default::default()
        })
        .await
    }

    /// The reviews a listing asks for, latest year first, at most
    /// [`REVIEW_LIST_MAX`].
    pub async fn reviews_listed(&self, l: &ReviewListing) -> StoreResult<Vec<ReviewRow>> {
        let recs: Vec<ReviewRec> = on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "select {REVIEW_COLS} from title_reviews where 1 = 1"
            ));
            if let Some(units) = &l.units {
                qb.push(" and unit_id in (");
                let mut sep = qb.separated(", ");
                sep.push_bind(-1i64);
                for u in units {
                    sep.push_bind(u.0);
                }
                qb.push(")");
            }
            if let Some(y) = l.year {
                qb.push(" and year = ");
                qb.push_bind(y);
            }
            match l.closed {
                Some(true) => {
                    qb.push(" and status = 'closed'");
                }
                Some(false) => {
                    qb.push(" and status = 'open'");
                }
                None => {}
            }
            qb.push(" order by year desc, id desc limit ");
            qb.push_bind(REVIEW_LIST_MAX);
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
                     decided_by_unit_id, review_id, subject_unit_id, created_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(person)
                .bind(unit)
                .bind(r.year)
                .bind(code)
                .bind(decision_number)
                .bind(decision_date)
                .bind(r.unit_id)
                .bind(review)
                // Reviewed by their unit: that is where they stood that year,
                // for the registry's unit filters and a subtree's statistics.
                .bind(r.unit_id)
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
