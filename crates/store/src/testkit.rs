//! Fresh databases for tests, on both engines.
//!
//! SQLite: a file in a temporary directory. PostgreSQL: a new database in the
//! cluster named by `THIDUA_TEST_PG` (an admin URL, e.g.
//! `postgres://postgres@127.0.0.1:54329/postgres`), dropped when the test
//! calls [`TestDb::finish`]. Without that variable a PostgreSQL test says it
//! was skipped, unless `THIDUA_REQUIRE_PG=1`, when it fails: CI sets both so
//! the suite cannot pass without having run on PostgreSQL.

use crate::{Engine, Store};

pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A fresh, migrated database, or `None` when PostgreSQL is not set up
    /// and not required.
    pub async fn fresh(engine: Engine) -> Option<TestDb> {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                let store = Store::connect(&url).await.expect("open SQLite");
                Some(TestDb {
                    store,
                    url,
                    _dir: Some(dir),
                    pg: None,
                })
            }
            Engine::Postgres => {
                let Ok(admin) = std::env::var("THIDUA_TEST_PG") else {
                    assert!(
                        std::env::var("THIDUA_REQUIRE_PG").as_deref() != Ok("1"),
                        "THIDUA_REQUIRE_PG=1 but THIDUA_TEST_PG is not set"
                    );
                    eprintln!("skipped: PostgreSQL not configured (set THIDUA_TEST_PG)");
                    return None;
                };
                let name = format!("thidua_test_{}", uuid::Uuid::new_v4().simple());
                let admin_pool = sqlx::PgPool::connect(&admin)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
                    .execute(&admin_pool)
                    .await
                    .expect("create test database");
                admin_pool.close().await;
                let (base, _) = admin.rsplit_once('/').expect("URL with a database name");
                let url = format!("{base}/{name}");
                let store = Store::connect(&url).await.expect("open PostgreSQL");
                Some(TestDb {
                    store,
                    url,
                    _dir: None,
                    pg: Some((admin, name)),
                })
            }
        }
    }

    /// Closes the store and drops a PostgreSQL test database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin, name)) = self.pg
            && let Ok(pool) = sqlx::PgPool::connect(&admin).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "drop database if exists {name} with (force)"
            )))
            .execute(&pool)
            .await;
            pool.close().await;
        }
    }
}

impl Store {
    /// Runs raw SQL, bypassing the store: for tests that play an intruder
    /// with direct database access.
    pub async fn raw_execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match &self.pool {
            crate::Pool::Sqlite(p) => Ok(sqlx::query(sql).execute(p).await?.rows_affected()),
            crate::Pool::Postgres(p) => Ok(sqlx::query(sql).execute(p).await?.rows_affected()),
        }
    }
}

/// Declares one test per engine: `NAME::sqlite` and `NAME::postgres`, so
/// the test output names the engine each run used.
///
/// ```ignore
/// engine_tests!(finds_people, |store| async move { /* uses store: &Store */ });
/// ```
#[macro_export]
macro_rules! engine_tests {
    ($name:ident, |$store:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($store: &$crate::Store) {
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::testkit::TestDb::fresh($crate::Engine::Sqlite)
                    .await
                    .expect("SQLite");
                run(&db.store).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::testkit::TestDb::fresh($crate::Engine::Postgres).await
                else {
                    return;
                };
                run(&db.store).await;
                db.finish().await;
            }
        }
    };
}
