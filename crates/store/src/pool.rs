//! The one [`Store`] over two engines: connecting, migrating, the
//! statements that differ between SQLite and PostgreSQL, and errors.

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;
use thidua_domain::org::OrgError;

/// Runs `$body` with `$pool` bound to the engine's own pool type (and `$d`
/// to its [`Dialect`], for the few statements that differ).
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
    ($store:expr, |$pool:ident, $d:ident| $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => {
                let $d = &$crate::SQLITE;
                $body
            }
            $crate::Pool::Postgres($pool) => {
                let $d = &$crate::POSTGRES;
                $body
            }
        }
    };
}
pub(crate) use on_pool;

/// The statements that differ between the engines.
pub(crate) struct Dialect {
    /// Starts a write transaction. SQLite takes the write lock at once so
    /// two writers wait for each other instead of failing on upgrade.
    pub begin_write: &'static str,
    /// Serialises audit appenders for the rest of the transaction.
    pub lock_audit: &'static str,
    /// Before writing many rows into a table that grows in the same
    /// transaction: PostgreSQL otherwise keeps the foreign-key checks'
    /// plans made while the table was empty (sequential scans), which turns
    /// a large import quadratic.
    pub bulk_write: &'static str,
    /// After a bulk load: the planner's statistics, and on PostgreSQL the
    /// visibility map that lets a search read an index alone.
    pub refresh_stats: &'static str,
    /// A set of ids bound as one JSON array text (`?` stands for the
    /// placeholder): a scope of thousands of units is one parameter.
    id_set: &'static str,
    /// Appended to a text column in `order by` to compare it byte by byte,
    /// as Rust compares strings (SQLite's default; PostgreSQL's collation
    /// is the database's otherwise).
    pub byte_order: &'static str,
}

impl Dialect {
    /// The subquery of the ids in the JSON array bound at `placeholder`.
    pub fn id_set(&self, placeholder: &str) -> String {
        self.id_set.replace('?', placeholder)
    }
}

pub(crate) const SQLITE: Dialect = Dialect {
    begin_write: "BEGIN IMMEDIATE",
    lock_audit: "select 1",
    bulk_write: "select 1",
    refresh_stats: "analyze",
    id_set: "select value from json_each(?)",
    byte_order: "",
};

pub(crate) const POSTGRES: Dialect = Dialect {
    begin_write: "BEGIN",
    lock_audit: "select pg_advisory_xact_lock(7263001)",
    bulk_write: "set local plan_cache_mode = force_custom_plan",
    refresh_stats: "vacuum analyze",
    id_set: "select cast(x as bigint) from jsonb_array_elements_text(cast(? as jsonb)) as x",
    byte_order: " collate \"C\"",
};

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        })
    }
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The one store. Cheap to clone (pools are shared).
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    pub(crate) url: std::sync::Arc<str>,
    /// Read replicas (`serve --db-replica`), PostgreSQL only.
    pub(crate) replicas: Option<std::sync::Arc<Replicas>>,
}

/// One read replica (`store::replicas`).
pub(crate) struct Replica {
    pub(crate) url: std::sync::Arc<str>,
    pub(crate) pool: PgPool,
    pub(crate) resting_until: std::sync::Mutex<Option<std::time::Instant>>,
    pub(crate) reads: std::sync::atomic::AtomicU64,
}

/// The replicas of a store and what routing them needs.
pub(crate) struct Replicas {
    pub(crate) list: Vec<Replica>,
    pub(crate) next: std::sync::atomic::AtomicUsize,
    /// The primary's WAL position after the last write this server made.
    pub(crate) written: std::sync::atomic::AtomicU64,
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("invalid database URL «{0}» (use a file path, sqlite://PATH or postgres://…)")]
    InvalidUrl(String),
    #[error("stored value is not valid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Org(#[from] OrgError),
    #[error("không tìm thấy {0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// An operator's command that will not go ahead (a backup over an
    /// existing file, a restore into a database that holds data…).
    #[error("{0}")]
    Refused(String),
}

impl StoreError {
    /// The database cannot be reached right now (stopped, restarting, the
    /// network between): the request may succeed later, unlike a bad query.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => match e {
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed => true,
                // 08…: connection exceptions; 57P01–57P03: the server is
                // shutting down or starting up.
                sqlx::Error::Database(d) => d.code().is_some_and(|c| {
                    c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")
                }),
                _ => false,
            },
            _ => false,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

pub(crate) static SQLITE_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/sqlite");
pub(crate) static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens the database named by `url` and applies pending migrations.
    ///
    /// `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite://PATH`,
    /// `sqlite:PATH` or a bare path selects SQLite (created if missing).
    pub async fn connect(url: &str) -> StoreResult<Store> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts =
                PgConnectOptions::from_str(url).map_err(|_| StoreError::InvalidUrl(redact(url)))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                // Long enough for a busy minute, short enough that people
                // see «tạm thời gián đoạn» rather than a hung page when
                // the database is away.
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            Store {
                pool: Pool::Postgres(pool),
                url: url.into(),
                replicas: None,
            }
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            if path.is_empty() || path.contains("://") {
                return Err(StoreError::InvalidUrl(redact(url)));
            }
            let opts = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
            Store {
                pool: Pool::Sqlite(pool),
                url: url.into(),
                replicas: None,
            }
        };
        Ok(store)
    }

    /// The URL this store was opened with (may hold a password: see [`redact`]).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Answers when the database answers (for `/healthz`).
    pub async fn ping(&self) -> StoreResult<()> {
        on_pool!(self, |p| {
            sqlx::query("select 1").execute(p).await?;
        });
        Ok(())
    }

    /// Connections the pool holds and how many of them are idle.
    pub fn pool_connections(&self) -> (u32, usize) {
        on_pool!(self, |p| (p.size(), p.num_idle()))
    }

    /// Table name → column names, for checking that both schemas agree.
    pub async fn schema_columns(&self) -> StoreResult<Vec<(String, String)>> {
        let mut cols: Vec<(String, String)> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_as(
                    "select m.name, c.name from sqlite_master m, pragma_table_info(m.name) c \
                     where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like '_sqlx%'",
                )
                .fetch_all(p)
                .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_as(
                    "select table_name::text, column_name::text from information_schema.columns \
                     where table_schema = current_schema() and table_name not like '_sqlx%'",
                )
                .fetch_all(p)
                .await?
            }
        };
        cols.sort();
        Ok(cols)
    }

    pub async fn close(&self) {
        on_pool!(self, |p| p.close().await)
    }
}

/// A URL with its password hidden, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub(crate) fn parse_stored<T, E: std::fmt::Display>(r: Result<T, E>) -> StoreResult<T> {
    r.map_err(|e| StoreError::Corrupt(e.to_string()))
}
