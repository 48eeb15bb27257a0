//! Upgrading a province: a database written by an earlier thidua (the demo
//! province at schema version 12, dumped per engine by
//! `scripts/upgrade-fixture.sh fe02209` into `tests/fixtures/upgrade/`) is
//! opened by this build. Its migrations run, every row it held is still
//! there, the audit chain still verifies, and the server passes the same
//! smoke test as a new database. A migration that fails leaves the
//! database exactly as it was.

mod common;

use common::server::{Empty, smoke};
use common::{ok, thidua};
use std::io::Read;
use thidua_store::Engine;

/// The schema version the fixtures were written at.
const FIXTURE_VERSION: i64 = 12;

fn postgres_configured() -> bool {
    if std::env::var("THIDUA_TEST_PG").is_ok() {
        return true;
    }
    assert!(
        std::env::var("THIDUA_REQUIRE_PG").as_deref() != Ok("1"),
        "THIDUA_REQUIRE_PG=1 but THIDUA_TEST_PG is not set"
    );
    eprintln!("skipped: PostgreSQL not configured (set THIDUA_TEST_PG)");
    false
}

fn fixture(engine: Engine) -> String {
    let name = match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    };
    let path = format!(
        "{}/tests/fixtures/upgrade/{name}-v{FIXTURE_VERSION}.sql.gz",
        env!("CARGO_MANIFEST_DIR")
    );
    let file = std::fs::File::open(&path).expect("fixture");
    let mut sql = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut sql)
        .expect("gzip'd SQL");
    sql
}

/// The database as an earlier thidua left it, read without this build's
/// store (which would migrate it on opening).
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    async fn load(engine: Engine) -> (Empty, Raw) {
        let db = Empty::new(engine).await;
        let raw = match engine {
            Engine::Sqlite => {
                let options = db
                    .url
                    .parse::<sqlx::sqlite::SqliteConnectOptions>()
                    .expect("URL")
                    .create_if_missing(true)
                    // The dump creates tables by name, not in the order
                    // their references need; checked whole after loading.
                    .foreign_keys(false);
                Raw::Sqlite(
                    sqlx::sqlite::SqlitePoolOptions::new()
                        .max_connections(1)
                        .connect_with(options)
                        .await
                        .expect("SQLite"),
                )
            }
            Engine::Postgres => Raw::Postgres(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect(&db.url)
                    .await
                    .expect("PostgreSQL"),
            ),
        };
        raw.execute(&fixture(engine)).await;
        if let Raw::Sqlite(p) = &raw {
            let broken: Vec<(String,)> =
                sqlx::query_as("select \"table\" from pragma_foreign_key_check")
                    .fetch_all(p)
                    .await
                    .expect("foreign key check");
            assert!(
                broken.is_empty(),
                "the fixture's references hold: {broken:?}"
            );
        }
        if engine == Engine::Postgres {
            // pg_dump's script empties the session's search path.
            raw.execute("select pg_catalog.set_config('search_path', 'public', false)")
                .await;
        }
        (db, raw)
    }

    async fn execute(&self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Raw::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
            Raw::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
        }
        .expect("SQL");
    }

    async fn number(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Raw::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
            Raw::Postgres(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
        }
        .expect("a number")
    }

    async fn tables(&self) -> Vec<String> {
        let sql = match self {
            Raw::Sqlite(_) => {
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"
            }
            Raw::Postgres(_) => {
                "select tablename::text from pg_tables where schemaname = 'public' order by tablename"
            }
        };
        match self {
            Raw::Sqlite(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await,
            Raw::Postgres(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await,
        }
        .expect("tables")
    }

    /// Every table with its number of rows.
    async fn counts(&self) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        for t in self.tables().await {
            let n = self.number(&format!("select count(*) from \"{t}\"")).await;
            out.push((t, n));
        }
        out
    }

    async fn version(&self) -> i64 {
        self.number("select max(version) from _sqlx_migrations")
            .await
    }

    async fn has_column(&self, table: &str, column: &str) -> bool {
        let sql = match self {
            Raw::Sqlite(_) => {
                format!("select count(*) from pragma_table_info('{table}') where name = '{column}'")
            }
            Raw::Postgres(_) => format!(
                "select count(*) from information_schema.columns where table_schema = 'public' and table_name = '{table}' and column_name = '{column}'"
            ),
        };
        self.number(&sql).await > 0
    }

    async fn close(self) {
        match self {
            Raw::Sqlite(p) => p.close().await,
            Raw::Postgres(p) => p.close().await,
        }
    }
}

async fn an_earlier_database_is_migrated_and_keeps_its_data(engine: Engine) {
    let (db, raw) = Raw::load(engine).await;
    assert_eq!(raw.version().await, FIXTURE_VERSION);
    let people = raw.number("select count(*) from people").await;
    assert!(
        people > 100,
        "the fixture is the demo province: {people} people"
    );
    // What the earlier build wrote when a unit closed its annual review:
    // titles that name the review but not the unit (migration 14 places
    // them in the review's unit).
    raw.execute(
        "insert into title_reviews (unit_id, year, status, decision_number, decision_date, created_by, created_at, closed_at)
         select min(id), 2025, 'closed', '15/QĐ-UBND', '2025-12-20', 'review', '2025-12-01T08:00:00Z', '2025-12-20T08:00:00Z'
         from org_units where kind = 'state_agency'",
    )
    .await;
    raw.execute(
        "insert into titles (person_id, year, code, decision_number, decision_date, review_id, created_at)
         select p.id, 2025, 'LAO_DONG_TIEN_TIEN', '15/QĐ-UBND', '2025-12-20', r.id, '2025-12-20T08:00:00Z'
         from people p, title_reviews r
         where r.decision_number = '15/QĐ-UBND'
           and p.id not in (select person_id from titles where year = 2025 and person_id is not null)
           and p.id <= (select min(id) + 20 from people)",
    )
    .await;
    let unplaced =
        "select count(*) from titles where review_id is not null and subject_unit_id is null";
    let titles_to_place = raw.number(unplaced).await;
    assert!(titles_to_place > 0, "titles to place");
    let before = raw.counts().await;
    let review_unit = "select count(*) from titles t join title_reviews r on r.id = t.review_id where t.subject_unit_id = r.unit_id";

    // The first command of this build migrates; the audit chain written by
    // the earlier build verifies under it.
    let said = ok(&db.url, &["audit", "verify"]);
    assert!(!said.trim().is_empty(), "audit verify says something");
    let known = thidua_store::ops::known_schema_version(engine);
    assert!(known > FIXTURE_VERSION, "this build has newer migrations");
    assert_eq!(raw.version().await, known);
    assert!(raw.has_column("decisions", "issuer_kind").await);
    assert_eq!(raw.number(unplaced).await, 0, "of {titles_to_place} titles");
    assert_eq!(raw.number(review_unit).await, titles_to_place);

    // Every table the earlier build had keeps all its rows (the migrations
    // may add tables and rows of their own).
    let after = raw.counts().await;
    for (table, n) in &before {
        if table == "_sqlx_migrations" {
            continue;
        }
        let now = after
            .iter()
            .find(|(t, _)| t == table)
            .map(|(_, n)| *n)
            .unwrap_or_else(|| panic!("table {table} is gone"));
        assert!(now >= *n, "{table}: {n} rows before, {now} after");
    }
    raw.close().await;
    smoke(&db.url).await;
    db.drop_db().await;
}

async fn a_failing_migration_leaves_the_database_as_it_was(engine: Engine) {
    let (db, raw) = Raw::load(engine).await;
    // Something an operator made by hand stands where migration 13 creates
    // its table, after the migration has already altered `decisions`.
    raw.execute("create table achievements (id integer primary key, note text)")
        .await;
    let before = raw.counts().await;

    let out = thidua(&db.url, &["audit", "verify"]);
    assert!(!out.status.success(), "the migration must fail");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("13"), "the error names the migration: {said}");

    assert_eq!(raw.version().await, FIXTURE_VERSION);
    assert!(
        !raw.has_column("decisions", "issuer_kind").await,
        "the migration's first statement was undone"
    );
    assert_eq!(raw.counts().await, before, "every table as it was");
    raw.close().await;
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_earlier_database_is_migrated_and_keeps_its_data() {
    an_earlier_database_is_migrated_and_keeps_its_data(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_an_earlier_database_is_migrated_and_keeps_its_data() {
    if postgres_configured() {
        an_earlier_database_is_migrated_and_keeps_its_data(Engine::Postgres).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_failing_migration_leaves_the_database_as_it_was() {
    a_failing_migration_leaves_the_database_as_it_was(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_failing_migration_leaves_the_database_as_it_was() {
    if postgres_configured() {
        a_failing_migration_leaves_the_database_as_it_was(Engine::Postgres).await;
    }
}
