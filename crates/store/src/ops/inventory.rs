//! Taking stock of a database: its tables and rows, stored files, the
//! schema's version, and digests that compare two copies.

use crate::{Engine, Store, StoreResult, on_pool};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Tables whose rows carry an uploaded file (`content`).
pub const FILE_TABLES: [&str; 3] = ["movement_files", "dossier_files", "cluster_evidence"];

/// The highest migration this build knows for `engine`.
pub fn known_schema_version(engine: Engine) -> i64 {
    let m = match engine {
        Engine::Sqlite => &crate::pool::SQLITE_MIGRATIONS,
        Engine::Postgres => &crate::pool::POSTGRES_MIGRATIONS,
    };
    m.iter().map(|m| m.version).max().unwrap_or(0)
}

/// A table's name and how many rows it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableRows {
    pub name: String,
    pub rows: i64,
}

/// One uploaded file, by its table and row, with its size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredFile {
    pub table: String,
    pub id: i64,
    pub sha256: String,
    pub bytes: i64,
}

impl StoredFile {
    pub(crate) fn of(table: &str, id: i64, content: &[u8]) -> StoredFile {
        StoredFile {
            table: table.to_owned(),
            id,
            sha256: hex(&Sha256::digest(content)),
            bytes: content.len() as i64,
        }
    }
}

impl Store {
    /// The application's tables: on SQLite in the order the migrations
    /// created them, on PostgreSQL by name (a restore creates them anew).
    /// [`crate::ops::copy_database`] orders them by their foreign keys.
    pub async fn table_names(&self) -> StoreResult<Vec<String>> {
        Ok(on_pool!(self, |p| {
            match self.engine() {
                Engine::Sqlite => {
                    sqlx::query_scalar(
                        "select name from sqlite_master where type = 'table' \
                         and name not like 'sqlite_%' and name not like '_sqlx%' order by rowid",
                    )
                    .fetch_all(p)
                    .await?
                }
                Engine::Postgres => {
                    sqlx::query_scalar(
                        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace \
                         where n.nspname = current_schema() and c.relkind = 'r' and c.relname not like '_sqlx%' \
                         order by c.relname",
                    )
                    .fetch_all(p)
                    .await?
                }
            }
        }))
    }

    /// Every table with its row count.
    pub async fn table_rows(&self) -> StoreResult<Vec<TableRows>> {
        let mut out = Vec::new();
        for name in self.table_names().await? {
            let sql = format!("select count(*) from \"{name}\"");
            let rows: i64 = on_pool!(self, |p| {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_one(p)
                    .await?
            });
            out.push(TableRows { name, rows });
        }
        Ok(out)
    }

    /// The last migration applied to this database (0 when none).
    pub async fn schema_version(&self) -> StoreResult<i64> {
        let v: Option<i64> = on_pool!(self, |p| {
            sqlx::query_scalar("select max(version) from _sqlx_migrations where success")
                .fetch_one(p)
                .await?
        });
        Ok(v.unwrap_or(0))
    }

    /// The SHA-256 of every stored file, by table and row id.
    pub async fn file_digests(&self) -> StoreResult<Vec<StoredFile>> {
        let mut out = Vec::new();
        for table in FILE_TABLES {
            let sql = format!("select id, content from {table} order by id");
            let rows: Vec<(i64, Vec<u8>)> = on_pool!(self, |p| {
                sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .fetch_all(p)
                    .await?
            });
            for (id, content) in rows {
                out.push(StoredFile::of(table, id, &content));
            }
        }
        Ok(out)
    }

    /// A digest of a table's every row, in this engine's own spelling of
    /// its values: two databases of the same engine holding the same rows
    /// give the same digest.
    pub async fn table_digest(&self, table: &str) -> StoreResult<String> {
        let mut hash = Sha256::new();
        match &self.pool {
            crate::Pool::Sqlite(p) => {
                let cols: Vec<String> =
                    sqlx::query_scalar("select name from pragma_table_info($1) order by cid")
                        .bind(table)
                        .fetch_all(p)
                        .await?;
                let expr = cols
                    .iter()
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || char(31) || ");
                let sql = format!("select {expr} from \"{table}\" order by 1");
                for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(p).await? {
                    let line: Option<String> = r.try_get(0)?;
                    hash.update(line.unwrap_or_default().as_bytes());
                    hash.update(b"\n");
                }
            }
            crate::Pool::Postgres(p) => {
                let sql = format!("select t::text from \"{table}\" t order by 1");
                for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(p).await? {
                    let line: String = r.try_get(0)?;
                    hash.update(line.as_bytes());
                    hash.update(b"\n");
                }
            }
        }
        Ok(hex(&hash.finalize()))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
