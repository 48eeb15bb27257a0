//! The public's comments on a posted dossier.

use super::rows::FeedbackRow;
use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierState, TimelineEvent};
use time::Date;

impl crate::Store {
    /// Public feedback on a posted dossier; refused once posting is over.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_feedback(
        &self,
        who: &Who,
        dossier: DossierId,
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
            .bind(dossier.0)
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
                .bind(dossier.0)
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
            .bind(dossier.0)
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
                dossier.0,
                who,
                TimelineEvent::Feedback.as_str(),
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

    pub async fn feedback(&self, dossier: DossierId) -> StoreResult<Vec<FeedbackRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, dossier_id, line_id, name, contact, body, received_at from public_feedback \
                 where dossier_id = $1 order by id",
            )
            .bind(dossier.0)
            .fetch_all(p)
            .await?
        }))
    }
}
