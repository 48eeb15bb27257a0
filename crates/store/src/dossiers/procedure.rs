//! The working-day calendar's exceptions and the procedure's limits.

use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use thidua_domain::calendar::Override;
use time::Date;

impl crate::Store {
    pub async fn calendar_overrides(&self) -> StoreResult<Vec<Override>> {
        let rows: Vec<(Date, bool, String)> = on_pool!(self, |p| {
            sqlx::query_as("select day, off, name from calendar_overrides order by day")
                .fetch_all(p)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(date, off, name)| Override { date, off, name })
            .collect())
    }

    /// Adds or replaces the override of a day.
    pub async fn set_calendar_override(&self, who: &Who, o: &Override) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let before: Option<(bool, String)> =
                sqlx::query_as("select off, name from calendar_overrides where day = $1")
                    .bind(o.date)
                    .fetch_optional(&mut *tx)
                    .await?;
            sqlx::query("delete from calendar_overrides where day = $1")
                .bind(o.date)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into calendar_overrides (day, off, name, set_by, set_at) values ($1, $2, $3, $4, $5)",
            )
            .bind(o.date)
            .bind(o.off)
            .bind(o.name.trim())
            .bind(&who.login)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("calendar.override", "calendar", o.date.to_string())
                    .before_opt(before.map(|(off, name)| json!({ "off": off, "name": name })))
                    .after(json!({ "off": o.off, "name": o.name }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn remove_calendar_override(&self, who: &Who, day: Date) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query("delete from calendar_overrides where day = $1")
                .bind(day)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("ngày điều chỉnh {day}")));
            }
            record!(
                tx,
                d,
                who,
                Change::new("calendar.override_remove", "calendar", day.to_string())
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// (key, value) of the procedure figures the administrator has set.
    pub async fn procedure_settings(&self) -> StoreResult<Vec<(String, i64)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as("select key, cast(value as bigint) from procedure_settings order by key")
                .fetch_all(p)
                .await?
        }))
    }

    /// Sets procedure figures, all in one transaction.
    pub async fn set_procedure_settings(
        &self,
        who: &Who,
        values: &[(String, u32)],
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            for (key, value) in values {
                let before: Option<(i64,)> = sqlx::query_as(
                    "select cast(value as bigint) from procedure_settings where key = $1",
                )
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
                sqlx::query("delete from procedure_settings where key = $1")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "insert into procedure_settings (key, value, set_by, set_at) values ($1, $2, $3, $4)",
                )
                .bind(key)
                .bind(i64::from(*value))
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                record!(
                    tx,
                    d,
                    who,
                    Change::new("procedure.setting", "procedure", key.clone())
                        .before_opt(before.map(|(v,)| json!({ "value": v })))
                        .after(json!({ "value": value }))
                );
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
