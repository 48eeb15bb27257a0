//! Operating a province's database: a backup restores whole into an empty
//! database on each engine (every table, every file, the audit chain),
//! refuses what it must, and a province that started on SQLite moves to
//! PostgreSQL, where the server then passes the same smoke test.

mod common;

use common::server::{Empty, smoke};
use common::{ok, thidua};
use std::path::Path;
use thidua_store::{Engine, Store};

fn failed(db: &str, args: &[&str]) -> String {
    let out = thidua(db, args);
    assert!(!out.status.success(), "thidua {args:?} should have refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every table's rows and every file, compared between two databases of
/// the same engine.
async fn same_content(a: &Store, b: &Store) {
    let tables = a.table_names().await.expect("tables");
    assert_eq!(tables, b.table_names().await.expect("tables"));
    for t in &tables {
        assert_eq!(
            a.table_digest(t).await.expect("digest"),
            b.table_digest(t).await.expect("digest"),
            "table {t}"
        );
    }
    assert_eq!(
        a.file_digests().await.expect("files"),
        b.file_digests().await.expect("files")
    );
}

/// Rewrites a backup with its manifest changed by `edit`.
fn with_manifest(from: &Path, to: &Path, edit: impl Fn(&mut serde_json::Value)) {
    let mut input = tar::Archive::new(std::fs::File::open(from).expect("backup"));
    let mut out = tar::Builder::new(std::fs::File::create(to).expect("create"));
    for entry in input.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let name = entry.path().expect("path").to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&bytes).expect("manifest");
            edit(&mut m);
            bytes = serde_json::to_vec(&m).expect("json");
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        out.append_data(&mut header, &name, bytes.as_slice())
            .expect("append");
    }
    out.finish().expect("finish");
}

thidua_store::engine_tests!(
    a_backup_restores_whole_into_an_empty_database,
    |store| async move {
        let db = store.url().to_owned();
        ok(&db, &["demo"]);
        // A file attached to a movement travels with the backup.
        let content = match store.engine() {
            Engine::Sqlite => "X'255044462D312E34'",
            Engine::Postgres => "'\\x255044462d312e34'::bytea",
        };
        store
        .raw_execute(&format!(
            "insert into movement_files (movement_id, file_name, content_type, content, uploaded_by, uploaded_at) \
             select id, 'ke-hoach.pdf', 'application/pdf', {content}, 'test', '2026-12-06T00:00:00Z' \
             from movements order by id limit 1"
        ))
        .await
        .expect("a file");
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("thidua.tar");
        let file_s = file.to_str().expect("path");
        let said = ok(&db, &["backup", file_s]);
        assert!(said.contains("1 tệp đính kèm"), "{said}");
        // A backup never overwrites.
        assert!(failed(&db, &["backup", file_s]).contains("đã có"));

        let target = Empty::new(store.engine()).await;
        let said = ok(&target.url, &["restore", file_s]);
        assert!(said.contains("nhật ký toàn vẹn"), "{said}");
        let restored = Store::connect(&target.url).await.expect("restored");
        same_content(store, &restored).await;
        assert!(restored.audit_verify().await.expect("audit").is_ok());
        // The restored database takes new writes after the copied ids.
        ok(&target.url, &["audit", "verify"]);
        restored.close().await;
        // Only into an empty database.
        assert!(failed(&target.url, &["restore", file_s]).contains("trống"));
        target.drop_db().await;

        // A backup from a newer thidua, or a damaged one, is refused and
        // leaves nothing behind.
        let newer = dir.path().join("newer.tar");
        with_manifest(&file, &newer, |m| {
            m["schema_version"] = serde_json::json!(m["schema_version"].as_i64().unwrap_or(0) + 1);
        });
        let target = Empty::new(store.engine()).await;
        let said = failed(&target.url, &["restore", newer.to_str().expect("path")]);
        assert!(said.contains("lược đồ mới hơn"), "{said}");
        let damaged = dir.path().join("damaged.tar");
        with_manifest(&file, &damaged, |m| {
            m["payload_sha256"] = serde_json::json!("0".repeat(64));
        });
        let said = failed(&target.url, &["restore", damaged.to_str().expect("path")]);
        assert!(said.contains("đã hỏng"), "{said}");
        if store.engine() == Engine::Sqlite {
            let path = target.url.trim_start_matches("sqlite://");
            assert!(!Path::new(path).exists(), "nothing left behind");
        }
        target.drop_db().await;
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_province_moves_to_postgresql_and_serves() {
    if std::env::var("THIDUA_TEST_PG").is_err() {
        assert!(
            std::env::var("THIDUA_REQUIRE_PG").as_deref() != Ok("1"),
            "THIDUA_REQUIRE_PG=1 but THIDUA_TEST_PG is not set"
        );
        eprintln!("skipped: PostgreSQL not configured (set THIDUA_TEST_PG)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = format!("sqlite://{}", dir.path().join("tinh.db").display());
    ok(&sqlite, &["demo"]);
    let target = Empty::new(Engine::Postgres).await;
    let said = ok(
        &sqlite,
        &["migrate-data", "--from", &sqlite, "--to", &target.url],
    );
    assert!(said.contains("đã kiểm tra khớp"), "{said}");
    // Into a database that now holds data: refused, nothing changes.
    let said = String::from_utf8_lossy(
        &thidua(
            &sqlite,
            &["migrate-data", "--from", &sqlite, "--to", &target.url],
        )
        .stderr,
    )
    .into_owned();
    assert!(said.contains("trống"), "{said}");
    smoke(&sqlite).await;
    smoke(&target.url).await;
    target.drop_db().await;
}
