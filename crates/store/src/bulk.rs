//! Bulk loading of generated data (`thidua bench generate`): each engine's
//! own fast path — COPY on PostgreSQL, one transaction of multi-row
//! prepared inserts on SQLite — into tables whose secondary indexes and
//! triggers are dropped first and built again after the rows, all in one
//! transaction: the load lands whole or not at all.

use crate::{Engine, Pool, Store, StoreResult};
use std::fmt::Write as _;
use std::time::{Duration, Instant};
use time::Date;

/// One value of a generated row.
#[derive(Debug, Clone)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Word(&'static str),
    Day(Date),
}

/// Rows of one table, `columns.len()` cells each, one after another.
#[derive(Debug, Clone)]
pub struct BulkTable {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub cells: Vec<Cell>,
}

impl BulkTable {
    pub fn new(name: &'static str, columns: &'static [&'static str]) -> BulkTable {
        BulkTable {
            name,
            columns,
            cells: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.cells.len() / self.columns.len().max(1)
    }

    /// Appends one row; its width must be the table's.
    pub fn push(&mut self, row: impl IntoIterator<Item = Cell>) {
        self.cells.extend(row);
        debug_assert_eq!(self.cells.len() % self.columns.len(), 0);
    }
}

enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// A load in progress: one open transaction.
pub struct BulkLoad {
    tx: Tx,
    /// The statements that build again what was dropped.
    rebuild: Vec<String>,
    rows: u64,
    started: Instant,
}

/// What a finished load took.
#[derive(Debug, Clone, Copy)]
pub struct LoadTimes {
    pub rows: u64,
    pub load: Duration,
    pub indexes: Duration,
}

/// SQLite takes at most 32 766 parameters in one statement.
const SQLITE_PARAMS: usize = 30_000;

fn copy_text(cell: &Cell, out: &mut String) {
    match cell {
        Cell::Null => out.push_str("\\N"),
        Cell::Int(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Day(d) => {
            let _ = write!(
                out,
                "{:04}-{:02}-{:02}",
                d.year(),
                u8::from(d.month()),
                d.day()
            );
        }
        Cell::Text(s) => escape(s, out),
        Cell::Word(s) => escape(s, out),
    }
}

/// COPY's text format: backslash, tab and line ends are escaped.
fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

impl Store {
    /// Opens a load into `tables`: their secondary indexes and triggers
    /// are dropped inside the transaction and built again by `finish`.
    pub async fn bulk_begin(&self, tables: &[&str]) -> StoreResult<BulkLoad> {
        let names: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
        let mut rebuild = Vec::new();
        let tx = match &self.pool {
            Pool::Sqlite(p) => {
                let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
                let list = serde_json::to_string(&names).unwrap_or_default();
                let objects: Vec<(String, String, String)> = sqlx::query_as(
                    "select type, name, sql from sqlite_master where type in ('index', 'trigger') \
                     and sql is not null and tbl_name in (select value from json_each($1)) \
                     order by type, name",
                )
                .bind(list)
                .fetch_all(&mut *tx)
                .await?;
                for (kind, name, sql) in objects {
                    let drop = format!("drop {kind} \"{}\"", name.replace('"', "\"\""));
                    sqlx::query(sqlx::AssertSqlSafe(drop))
                        .execute(&mut *tx)
                        .await?;
                    rebuild.push(sql);
                }
                Tx::Sqlite(tx)
            }
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                let indexes: Vec<(String, String)> = sqlx::query_as(
                    "select i.indexname::text, i.indexdef from pg_indexes i \
                     where i.schemaname = current_schema() and i.tablename = any($1) \
                     and not exists (select 1 from pg_constraint c where c.conname = i.indexname) \
                     order by 1",
                )
                .bind(&names)
                .fetch_all(&mut *tx)
                .await?;
                let triggers: Vec<(String, String, String)> = sqlx::query_as(
                    "select t.tgname::text, c.relname::text, pg_get_triggerdef(t.oid) from pg_trigger t \
                     join pg_class c on c.oid = t.tgrelid \
                     join pg_namespace n on n.oid = c.relnamespace \
                     where not t.tgisinternal and n.nspname = current_schema() and c.relname = any($1) \
                     order by 1, 2",
                )
                .bind(&names)
                .fetch_all(&mut *tx)
                .await?;
                for (name, def) in indexes {
                    sqlx::query(sqlx::AssertSqlSafe(format!("drop index \"{name}\"")))
                        .execute(&mut *tx)
                        .await?;
                    rebuild.push(def);
                }
                for (name, table, def) in triggers {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "drop trigger \"{name}\" on \"{table}\""
                    )))
                    .execute(&mut *tx)
                    .await?;
                    rebuild.push(def);
                }
                Tx::Postgres(tx)
            }
        };
        Ok(BulkLoad {
            tx,
            rebuild,
            rows: 0,
            started: Instant::now(),
        })
    }
}

impl BulkLoad {
    pub fn engine(&self) -> Engine {
        match self.tx {
            Tx::Sqlite(_) => Engine::Sqlite,
            Tx::Postgres(_) => Engine::Postgres,
        }
    }

    /// Writes one table's rows.
    pub async fn write(&mut self, t: &BulkTable) -> StoreResult<()> {
        let width = t.columns.len().max(1);
        let cols = t.columns.join(", ");
        match &mut self.tx {
            Tx::Sqlite(tx) => {
                let per = (SQLITE_PARAMS / width).max(1);
                for chunk in t.cells.chunks(per * width) {
                    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
                        "insert into {} ({cols}) ",
                        t.name
                    ));
                    qb.push_values(chunk.chunks(width), |mut row, cells| {
                        for c in cells {
                            match c {
                                Cell::Null => row.push_bind(None::<i64>),
                                Cell::Int(v) => row.push_bind(*v),
                                Cell::Text(s) => row.push_bind(s.clone()),
                                Cell::Word(s) => row.push_bind(*s),
                                Cell::Day(d) => row.push_bind(*d),
                            };
                        }
                    });
                    qb.build().persistent(true).execute(&mut **tx).await?;
                }
            }
            Tx::Postgres(tx) => {
                let mut copy = tx
                    .copy_in_raw(&format!("copy {} ({cols}) from stdin", t.name))
                    .await?;
                let mut buf = String::with_capacity(1 << 20);
                for row in t.cells.chunks(width) {
                    for (i, c) in row.iter().enumerate() {
                        if i > 0 {
                            buf.push('\t');
                        }
                        copy_text(c, &mut buf);
                    }
                    buf.push('\n');
                    if buf.len() > 1 << 20 {
                        copy.send(buf.as_bytes()).await?;
                        buf.clear();
                    }
                }
                if !buf.is_empty() {
                    copy.send(buf.as_bytes()).await?;
                }
                copy.finish().await?;
            }
        }
        self.rows += t.rows() as u64;
        Ok(())
    }

    /// Builds the indexes and triggers again, sets the id sequences past
    /// the ids given, and commits.
    pub async fn finish(self, id_tables: &[&str]) -> StoreResult<LoadTimes> {
        let load = self.started.elapsed();
        let t = Instant::now();
        match self.tx {
            Tx::Sqlite(mut tx) => {
                for sql in &self.rebuild {
                    sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            }
            Tx::Postgres(mut tx) => {
                for sql in &self.rebuild {
                    sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                        .execute(&mut *tx)
                        .await?;
                }
                for table in id_tables {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "select setval(pg_get_serial_sequence('{table}', 'id'), \
                         (select coalesce(max(id), 0) from {table}) + 1, false)"
                    )))
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
            }
        }
        Ok(LoadTimes {
            rows: self.rows,
            load,
            indexes: t.elapsed(),
        })
    }
}
