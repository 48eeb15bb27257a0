//! Notifications to accounts and the outbox.

use super::rows::{Notice, NotificationRow};
use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::{StoreResult, on_pool};
use serde_json::json;
use thidua_domain::dossier::DossierId;

impl crate::Store {
    /// Notices outside a step (overdue sweeps). A notice whose dedup key
    /// was already used for that account is skipped; returns how many
    /// were new.
    pub async fn notify(
        &self,
        who: &Who,
        dossier: DossierId,
        notices: &[Notice],
    ) -> StoreResult<usize> {
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
                notice!(tx, dossier.0, x);
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

    /// Messages in the outbox not yet sent.
    pub async fn outbox_backlog(&self) -> StoreResult<i64> {
        Ok(on_pool!(self, |p| {
            sqlx::query_scalar("select count(*) from outbox where sent_at is null")
                .fetch_one(p)
                .await?
        }))
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
