//! What `thidua bench run` asks of a database directly: the peers' SQL
//! (bench/peers/sweeps.sql) run as written, and the CSV export the DuckDB
//! peer loads. Benchmarks only: nothing here is reachable from a request.

use crate::{StoreResult, on_pool};
use futures_util::TryStreamExt;
use std::io::Write;

impl crate::Store {
    /// Runs a peer's query and returns its first column.
    pub async fn bench_query_ids(&self, sql: &str) -> StoreResult<Vec<i64>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_all(p)
                .await?
        }))
    }

    /// Runs a peer's setup statement (an index, an extension).
    pub async fn bench_execute(&self, sql: &str) -> StoreResult<()> {
        on_pool!(self, |p| {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// Runs a peer's query of two integer columns.
    pub async fn bench_query_pairs(&self, sql: &str) -> StoreResult<Vec<(i64, i64)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_all(p)
                .await?
        }))
    }

    /// Drops and creates a database of the server this store is connected
    /// to (PostgreSQL): the benchmark's own copy, made afresh.
    pub async fn bench_recreate_database(&self, name: &str) -> StoreResult<()> {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(crate::StoreError::Refused(format!(
                "tên cơ sở dữ liệu «{name}» không hợp lệ"
            )));
        }
        let crate::Pool::Postgres(p) = &self.pool else {
            return Err(crate::StoreError::Refused("cần PostgreSQL".into()));
        };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "drop database if exists {name} with (force)"
        )))
        .execute(p)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(p)
            .await?;
        Ok(())
    }

    /// Writes `select` (every column cast to text) as CSV with a header;
    /// NULL is written `\N`. Returns the rows written.
    pub async fn bench_export_csv(
        &self,
        select: &str,
        header: &[&str],
        out: &mut dyn Write,
    ) -> StoreResult<u64> {
        let io =
            |e: std::io::Error| crate::StoreError::Refused(format!("không ghi được tệp CSV: {e}"));
        let mut w = csv::Writer::from_writer(out);
        w.write_record(header).map_err(|e| io(e.into()))?;
        let mut n = 0u64;
        on_pool!(self, |p| {
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(select.to_owned())).fetch(p);
            while let Some(row) = rows.try_next().await? {
                use sqlx::Row;
                let mut rec = Vec::with_capacity(header.len());
                for i in 0..header.len() {
                    let v: Option<String> = row.try_get(i)?;
                    rec.push(v.unwrap_or_else(|| "\\N".to_owned()));
                }
                w.write_record(&rec).map_err(|e| io(e.into()))?;
                n += 1;
            }
        });
        w.flush().map_err(io)?;
        Ok(n)
    }
}
