//! Indicator values: entry, approval, reopening and history.

use super::rows::{
    CHUNK, Decision, EntryReport, StoredValue, VALUE_COLS, ValueEntry, ValueHistoryRow, ValuePoint,
    ValueRecord, ValueRow, ValueStatus, now, placeholders,
};
use crate::audit::{Change, Who, record};
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use std::collections::HashMap;
use thidua_domain::org::UnitId;

impl crate::Store {
    /// Enters values, all or none. An approved value is refused: it has to
    /// be reopened first. The caller has checked units, periods and types.
    pub async fn enter_values(
        &self,
        who: &Who,
        movement: i64,
        entries: &[ValueEntry],
    ) -> StoreResult<EntryReport> {
        self.enter_values_as(who, movement, entries, false).await
    }

    /// [`Store::enter_values`], and with `approve` the values of this batch
    /// — exactly these, new, changed or unchanged — approved in the same
    /// transaction (figures the province enters itself: `values import
    /// --approve`). Other pending values are left as they are.
    pub async fn enter_values_as(
        &self,
        who: &Who,
        movement: i64,
        entries: &[ValueEntry],
        approve: bool,
    ) -> StoreResult<EntryReport> {
        let mut report = EntryReport::default();
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query(d.bulk_write).execute(&mut *tx).await?;
            // What is stored now for this movement, keyed as entered.
            let existing: Vec<StoredValue> = sqlx::query_as(
                "select v.id, v.indicator_id, v.unit_id, v.period, v.value, v.status, v.version, v.note \
                 from indicator_values v join indicators i on i.id = v.indicator_id where i.movement_id = $1",
            )
            .bind(movement)
            .fetch_all(&mut *tx)
            .await?;
            let existing: HashMap<(i64, i64, String), StoredValue> = existing
                .into_iter()
                .map(|v| ((v.indicator_id, v.unit_id, v.period.clone()), v))
                .collect();
            let at = now();
            let mut refused = Vec::new();
            let mut batch: Vec<i64> = Vec::new();
            for e in entries {
                let key = (e.indicator_id, e.unit.0, e.period.key());
                let (value_id, version) = match existing.get(&key) {
                    Some(v) if v.status == "approved" => {
                        refused.push(format!("{} kỳ {}", e.indicator_id, e.period.label()));
                        continue;
                    }
                    Some(v)
                        if v.value == e.value && v.status == "submitted" && v.note == e.note =>
                    {
                        report.unchanged += 1;
                        batch.push(v.id);
                        continue;
                    }
                    Some(v) => {
                        let (id, version) = (v.id, v.version);
                        sqlx::query(
                            "update indicator_values set value = $2, status = 'submitted', note = $3, version = $4, \
                             entered_by = $5, entered_at = $6, decided_by = null, decided_at = null where id = $1",
                        )
                        .bind(id)
                        .bind(e.value)
                        .bind(e.note.as_deref())
                        .bind(version + 1)
                        .bind(&who.login)
                        .bind(&at)
                        .execute(&mut *tx)
                        .await?;
                        report.updated += 1;
                        (id, version + 1)
                    }
                    None => {
                        let (id,): (i64,) = sqlx::query_as(
                            "insert into indicator_values (indicator_id, unit_id, period, period_end, value, status, note, \
                             version, entered_by, entered_at) values ($1, $2, $3, $4, $5, 'submitted', $6, 1, $7, $8) returning id",
                        )
                        .bind(e.indicator_id)
                        .bind(e.unit.0)
                        .bind(e.period.key())
                        .bind(e.period.end())
                        .bind(e.value)
                        .bind(e.note.as_deref())
                        .bind(&who.login)
                        .bind(&at)
                        .fetch_one(&mut *tx)
                        .await?;
                        report.inserted += 1;
                        (id, 1)
                    }
                };
                sqlx::query(
                    "insert into indicator_value_history (value_id, version, action, value, status, reason, by_login, at) \
                     values ($1, $2, 'enter', $3, 'submitted', $4, $5, $6)",
                )
                .bind(value_id)
                .bind(version)
                .bind(e.value)
                .bind(e.note.as_deref())
                .bind(&who.login)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
                batch.push(value_id);
            }
            if !refused.is_empty() {
                // Dropping the transaction rolls back what was written above.
                return Err(StoreError::Conflict(format!(
                    "{} giá trị đã được duyệt, cần mở lại trước khi sửa",
                    refused.len()
                )));
            }
            if report.inserted + report.updated > 0 {
                let mut units: Vec<i64> = entries.iter().map(|e| e.unit.0).collect();
                units.sort_unstable();
                units.dedup();
                let mut periods: Vec<String> = entries.iter().map(|e| e.period.key()).collect();
                periods.sort();
                periods.dedup();
                record!(
                    tx,
                    d,
                    who,
                    Change::new("values.enter", "movement", movement).after(json!({
                        "inserted": report.inserted, "updated": report.updated,
                        "units": units, "periods": periods,
                    }))
                );
            }
            if approve && !batch.is_empty() {
                batch.sort_unstable();
                batch.dedup();
                for chunk in batch.chunks(CHUNK) {
                    let ids = placeholders(3, chunk.len());
                    let hist = format!(
                        "insert into indicator_value_history (value_id, version, action, value, status, reason, by_login, at) \
                         select id, version, 'approve', value, 'approved', null, $1, $2 from indicator_values \
                         where status = 'submitted' and id in ({ids})"
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(hist))
                        .bind(&who.login)
                        .bind(&at);
                    for id in chunk {
                        q = q.bind(id);
                    }
                    q.execute(&mut *tx).await?;
                    let upd = format!(
                        "update indicator_values set status = 'approved', decided_by = $1, decided_at = $2 \
                         where status = 'submitted' and id in ({ids})"
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(upd))
                        .bind(&who.login)
                        .bind(&at);
                    for id in chunk {
                        q = q.bind(id);
                    }
                    q.execute(&mut *tx).await?;
                }
                record!(
                    tx,
                    d,
                    who,
                    Change::new("values.approve", "movement", movement)
                        .after(json!({ "values": batch.len(), "value_ids": batch }))
                );
            }
            tx.commit().await?;
        });
        Ok(report)
    }

    /// Approves or returns the submitted values of `units` (all periods, or
    /// one). Returns how many values changed.
    pub async fn decide_values(
        &self,
        who: &Who,
        movement: i64,
        units: &[UnitId],
        period: Option<&str>,
        decision: Decision,
        reason: Option<&str>,
    ) -> StoreResult<u64> {
        let (status, action) = match decision {
            Decision::Approve => ("approved", "approve"),
            Decision::Return => ("returned", "return"),
        };
        let at = now();
        let mut changed = 0u64;
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            for chunk in units.chunks(CHUNK) {
                let sel = |first: usize| {
                    format!(
                        "v.status = 'submitted' and v.indicator_id in (select id from indicators where movement_id = $1) \
                         and ($2 is null or v.period = $2) and v.unit_id in ({})",
                        placeholders(first, chunk.len())
                    )
                };
                // History first, while the rows still say 'submitted'.
                let hist = format!(
                    "insert into indicator_value_history (value_id, version, action, value, status, reason, by_login, at) \
                     select v.id, v.version, '{action}', v.value, '{status}', $3, $4, $5 from indicator_values v where {}",
                    sel(6)
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(hist))
                    .bind(movement)
                    .bind(period)
                    .bind(reason)
                    .bind(&who.login)
                    .bind(&at);
                for u in chunk {
                    q = q.bind(u.0);
                }
                q.execute(&mut *tx).await?;
                let upd = format!(
                    "update indicator_values set status = '{status}', decided_by = ${}, decided_at = ${} \
                     where id in (select v.id from indicator_values v where {})",
                    chunk.len() + 3,
                    chunk.len() + 4,
                    sel(3)
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(upd))
                    .bind(movement)
                    .bind(period);
                for u in chunk {
                    q = q.bind(u.0);
                }
                changed += q
                    .bind(&who.login)
                    .bind(&at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            if changed > 0 {
                record!(
                    tx,
                    d,
                    who,
                    Change::new(
                        if decision == Decision::Approve {
                            "values.approve"
                        } else {
                            "values.return"
                        },
                        "movement",
                        movement
                    )
                    .after(json!({
                        "values": changed, "units": units.iter().map(|u| u.0).collect::<Vec<_>>(),
                        "period": period, "reason": reason,
                    }))
                );
            }
            tx.commit().await?;
        });
        Ok(changed)
    }

    /// Reopens an approved value so it can be corrected; the reason is kept.
    pub async fn reopen_value(&self, who: &Who, value_id: i64, reason: &str) -> StoreResult<()> {
        let at = now();
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let cur: Option<(String, f64, i64)> =
                sqlx::query_as("select status, value, version from indicator_values where id = $1")
                    .bind(value_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (status, value, version) =
                cur.ok_or_else(|| StoreError::NotFound(format!("số liệu #{value_id}")))?;
            if status != "approved" {
                return Err(StoreError::Conflict(
                    "chỉ mở lại được số liệu đã duyệt".to_owned(),
                ));
            }
            sqlx::query(
                "update indicator_values set status = 'submitted', decided_by = null, decided_at = null where id = $1",
            )
            .bind(value_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "insert into indicator_value_history (value_id, version, action, value, status, reason, by_login, at) \
                 values ($1, $2, 'reopen', $3, 'submitted', $4, $5, $6)",
            )
            .bind(value_id)
            .bind(version)
            .bind(value)
            .bind(reason)
            .bind(&who.login)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("values.reopen", "indicator_value", value_id)
                    .before(json!({ "status": "approved" }))
                    .after(json!({ "status": "submitted", "reason": reason }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Values of a movement for some units (all units when `units` is None).
    pub async fn value_rows(
        &self,
        movement: i64,
        units: Option<&[UnitId]>,
    ) -> StoreResult<Vec<ValueRow>> {
        let base = format!(
            "select {VALUE_COLS} from indicator_values v join indicators i on i.id = v.indicator_id where i.movement_id = $1"
        );
        let mut recs: Vec<ValueRecord> = Vec::new();
        match units {
            None => {
                let sql = format!("{base} order by v.unit_id, v.period, i.position");
                recs = on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(movement)
                    .fetch_all(p)
                    .await?);
            }
            Some(units) => {
                for chunk in units.chunks(CHUNK) {
                    let sql = format!(
                        "{base} and v.unit_id in ({}) order by v.unit_id, v.period, i.position",
                        placeholders(2, chunk.len())
                    );
                    let part: Vec<ValueRecord> = on_pool!(self, |p| {
                        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(movement);
                        for u in chunk {
                            q = q.bind(u.0);
                        }
                        q.fetch_all(p).await?
                    });
                    recs.extend(part);
                }
            }
        }
        recs.into_iter().map(ValueRow::try_from).collect()
    }

    /// (movement id, unit id, values) of every unit with values in `status`.
    pub async fn values_waiting(&self, status: ValueStatus) -> StoreResult<Vec<(i64, i64, i64)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select i.movement_id, v.unit_id, count(*) from indicator_values v join indicators i on i.id = v.indicator_id \
             where v.status = $1 group by i.movement_id, v.unit_id order by i.movement_id, v.unit_id"
        )
        .bind(status.as_str())
        .fetch_all(p)
        .await?
        }))
    }

    pub async fn value_history(&self, value_id: i64) -> StoreResult<Vec<ValueHistoryRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select version, action, value, status, reason, by_login, at from indicator_value_history \
             where value_id = $1 order by id"
        )
        .bind(value_id)
        .fetch_all(p)
        .await?
        }))
    }

    /// Every approved value of a movement: what reports are computed from.
    pub async fn approved_values(&self, movement: i64) -> StoreResult<Vec<ValuePoint>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select v.indicator_id, v.unit_id, v.period, v.value from indicator_values v \
             where v.indicator_id in (select id from indicators where movement_id = $1) and v.status = 'approved'"
        )
        .bind(movement)
        .fetch_all(p)
        .await?
        }))
    }
}
