//! `thidua migrate-data --from sqlite://… --to postgres://…`: a province
//! that started on the embedded SQLite moves onto PostgreSQL. Every table
//! is copied in the order the migrations created it, in one transaction
//! on the target (all or nothing), each value cast to the target column's
//! type; then row counts, stored files and the audit chain are checked.

use super::inventory::TableRows;
use crate::{Engine, Store, StoreError, StoreResult};
use sqlx::Row;

/// The table the registry's triggers write (migration 0015).
const CHANGE_FEED: &str = "registry_changes";

/// PostgreSQL takes at most 65 535 parameters in one statement.
const PARAMS_PER_INSERT: usize = 30_000;

fn refused(msg: impl Into<String>) -> StoreError {
    StoreError::Refused(msg.into())
}

/// One value on its way from SQLite to PostgreSQL.
enum Value {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
}

/// How a target column's values are read from SQLite and bound.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Bool,
    Bytes,
    /// Text, and what PostgreSQL reads from text (dates, timestamps).
    Text,
}

fn kind_of(pg_type: &str) -> Kind {
    match pg_type {
        "bigint" | "integer" | "smallint" => Kind::Int,
        "double precision" | "real" | "numeric" => Kind::Real,
        "boolean" => Kind::Bool,
        "bytea" => Kind::Bytes,
        _ => Kind::Text,
    }
}

fn read(row: &sqlx::sqlite::SqliteRow, i: usize, kind: Kind) -> StoreResult<Value> {
    Ok(match kind {
        Kind::Int => row
            .try_get_unchecked::<Option<i64>, _>(i)?
            .map_or(Value::Null, Value::Int),
        Kind::Real => row
            .try_get_unchecked::<Option<f64>, _>(i)?
            .map_or(Value::Null, Value::Real),
        Kind::Bool => row
            .try_get_unchecked::<Option<i64>, _>(i)?
            .map_or(Value::Null, |v| Value::Bool(v != 0)),
        Kind::Bytes => row
            .try_get_unchecked::<Option<Vec<u8>>, _>(i)?
            .map_or(Value::Null, Value::Bytes),
        Kind::Text => row
            .try_get_unchecked::<Option<String>, _>(i)?
            .map_or(Value::Null, Value::Text),
    })
}

/// The tables ordered so that every table comes after those its foreign
/// keys point to (a column added by a later migration may point to a table
/// created after its own); a table's references to itself are met by
/// copying its rows in id order.
async fn parents_first(dst: &sqlx::PgPool, tables: Vec<TableRows>) -> StoreResult<Vec<TableRows>> {
    let edges: Vec<(String, String)> = sqlx::query_as(
        "select c.conrelid::regclass::text, c.confrelid::regclass::text from pg_constraint c \
         join pg_namespace n on n.oid = c.connamespace \
         where c.contype = 'f' and n.nspname = current_schema() and c.conrelid <> c.confrelid",
    )
    .fetch_all(dst)
    .await?;
    let unquote = |s: &str| s.trim_matches('"').to_owned();
    let mut left = tables;
    let mut out: Vec<TableRows> = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready = left.iter().position(|t| {
            edges.iter().all(|(child, parent)| {
                unquote(child) != t.name || out.iter().any(|o| o.name == unquote(parent))
            })
        });
        match ready {
            Some(i) => out.push(left.remove(i)),
            None => {
                return Err(refused(format!(
                    "khóa ngoại vòng quanh giữa các bảng {}",
                    left.iter()
                        .map(|t| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
    }
    Ok(out)
}

/// Copies every row of `from` (SQLite) into `to` (PostgreSQL, migrated and
/// empty), then checks the copy. `progress` hears each table's name, the
/// rows copied so far in all, and the rows to copy in all.
pub async fn copy_database(
    from: &Store,
    to: &Store,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> StoreResult<Vec<TableRows>> {
    let (crate::Pool::Sqlite(src), crate::Pool::Postgres(dst)) = (&from.pool, &to.pool) else {
        return Err(refused(
            "chỉ chuyển từ SQLite sang PostgreSQL (--from sqlite://… --to postgres://…); \
             giữa hai máy PostgreSQL hãy dùng «thidua backup» và «thidua restore»",
        ));
    };
    if from.schema_version().await? != to.schema_version().await? {
        return Err(refused("hai cơ sở dữ liệu khác phiên bản lược đồ"));
    }
    let source = from.table_rows().await?;
    let target = to.table_rows().await?;
    if let Some(t) = target.iter().find(|t| t.rows > 0) {
        return Err(refused(format!(
            "cơ sở dữ liệu đích đã có dữ liệu (bảng {} có {} dòng): chỉ chuyển vào cơ sở dữ liệu trống",
            t.name, t.rows
        )));
    }
    if let Some(t) = source
        .iter()
        .find(|s| !target.iter().any(|t| t.name == s.name))
    {
        return Err(refused(format!("cơ sở dữ liệu đích thiếu bảng {}", t.name)));
    }
    // The change feed is the source's own history of writes; the copy's
    // triggers write the target's, which nobody has read yet.
    let source: Vec<TableRows> = source
        .into_iter()
        .filter(|t| t.name != CHANGE_FEED)
        .collect();
    let source = parents_first(dst, source).await?;
    let total: u64 = source.iter().map(|t| t.rows.max(0) as u64).sum();
    let mut done = 0u64;
    let mut tx = dst.begin().await?;
    for t in &source {
        progress(&t.name, done, total);
        let columns: Vec<(String, String)> = sqlx::query_as(
            "select column_name::text, data_type::text from information_schema.columns \
             where table_schema = current_schema() and table_name = $1 order by ordinal_position",
        )
        .bind(&t.name)
        .fetch_all(&mut *tx)
        .await?;
        let names: Vec<String> = columns.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        let kinds: Vec<Kind> = columns.iter().map(|(_, ty)| kind_of(ty)).collect();
        let select = format!("select {} from \"{}\" order by 1", names.join(", "), t.name);
        let rows = sqlx::query(sqlx::AssertSqlSafe(select))
            .fetch_all(src)
            .await?;
        let per_insert = (PARAMS_PER_INSERT / columns.len().max(1)).clamp(1, 1000);
        for chunk in rows.chunks(per_insert) {
            let mut sql = format!("insert into \"{}\" ({}) values ", t.name, names.join(", "));
            let mut n = 0;
            for (r, _) in chunk.iter().enumerate() {
                sql.push_str(if r == 0 { "(" } else { ", (" });
                for (c, (_, ty)) in columns.iter().enumerate() {
                    n += 1;
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${n}::{ty}"));
                }
                sql.push(')');
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                for (i, kind) in kinds.iter().enumerate() {
                    q = match read(row, i, *kind)? {
                        Value::Null => q.bind(None::<String>),
                        Value::Int(v) => q.bind(v),
                        Value::Real(v) => q.bind(v),
                        Value::Bool(v) => q.bind(v),
                        Value::Text(v) => q.bind(v),
                        Value::Bytes(v) => q.bind(v),
                    };
                }
            }
            q.execute(&mut *tx).await.map_err(|e| {
                refused(format!(
                    "chép bảng {} thất bại, không có gì được ghi: {e}",
                    t.name
                ))
            })?;
            done += chunk.len() as u64;
            progress(&t.name, done, total);
        }
        // Ids were copied as they were: the next one given must follow.
        if columns.iter().any(|(c, _)| c == "id") {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "select setval(pg_get_serial_sequence('\"{0}\"', 'id'), \
                 (select coalesce(max(id), 0) from \"{0}\") + 1, false)",
                t.name
            )))
            .execute(&mut *tx)
            .await?;
        }
        // What was copied is what was there, before anything is kept.
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select count(*) from \"{}\"",
            t.name
        )))
        .fetch_one(&mut *tx)
        .await?;
        if n != t.rows {
            return Err(refused(format!(
                "bảng {}: {} dòng ở nguồn, {n} ở đích; không có gì được ghi",
                t.name, t.rows
            )));
        }
    }
    sqlx::query(sqlx::AssertSqlSafe(format!("delete from {CHANGE_FEED}")))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let copied = to.table_rows().await?;
    if from.file_digests().await? != to.file_digests().await? {
        return Err(refused("tệp đính kèm ở đích không khớp tổng kiểm ở nguồn"));
    }
    if let Err(e) = to.audit_verify().await? {
        return Err(refused(format!(
            "nhật ký thay đổi ở đích không toàn vẹn: {e}"
        )));
    }
    debug_assert_eq!(to.engine(), Engine::Postgres);
    Ok(copied)
}
