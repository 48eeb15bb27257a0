//! The national-scale benchmark in its short form: `bench generate`
//! refuses a database that holds anything, and `bench run` on a small
//! generated province prints one JSON object whose every figure agrees
//! between thidua, PostgreSQL, SQLite and DuckDB.

mod common;

use common::{ok, thidua};
use std::process::Command;
use thidua_store::Store;

#[tokio::test]
async fn generate_refuses_a_database_with_data_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    ok(&db, &["demo"]);
    let rows = |s: Store| async move {
        let mut v: Vec<(String, i64)> = s
            .table_rows()
            .await
            .expect("rows")
            .into_iter()
            .map(|t| (t.name, t.rows))
            .collect();
        v.sort();
        s.close().await;
        v
    };
    let before = rows(Store::connect(&db).await.expect("open")).await;
    let out = thidua(&db, &["bench", "generate", "--scale", "province"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("đã có dữ liệu") && err.contains("không có gì được thay đổi"),
        "{err}"
    );
    let after = rows(Store::connect(&db).await.expect("open")).await;
    assert_eq!(before, after);
}

fn duckdb_present() -> bool {
    Command::new("python3")
        .args(["-c", "import duckdb"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_short_run_agrees_with_every_peer() {
    let Ok(pg) = std::env::var("THIDUA_TEST_PG") else {
        assert_ne!(std::env::var("THIDUA_REQUIRE_PG").as_deref(), Ok("1"));
        eprintln!("skipped: PostgreSQL not configured (set THIDUA_TEST_PG)");
        return;
    };
    if !duckdb_present() {
        assert_ne!(
            std::env::var("THIDUA_REQUIRE_DUCKDB").as_deref(),
            Ok("1"),
            "THIDUA_REQUIRE_DUCKDB=1 but python3 cannot import duckdb"
        );
        eprintln!("skipped: python3 -m pip install duckdb");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args([
            "bench", "run", "--scale", "province", "--people", "1500", "--runs", "1", "--json",
        ])
        .arg("--pg")
        .arg(&pg)
        .arg("--dir")
        .arg(dir.path())
        .env_remove("THIDUA_DB")
        .output()
        .expect("bench run");
    assert!(
        out.status.success(),
        "bench run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["people"], 1500);
    assert!(v["person_years"].as_u64().unwrap_or(0) > 10_000, "{v}");
    let figures = v["figures"].as_array().expect("figures");
    // Every figure agrees and has thidua's number; the search page under
    // load has no DuckDB side (DuckDB serves no pages).
    for (name, peers) in [
        ("sweep_cstd_tinh", ALL_PEERS),
        ("sweep_bk_ttg", ALL_PEERS),
        ("streak_histogram", ALL_PEERS),
        ("full_sweep", ALL_PEERS),
        ("search_exact_p99", ALL_PEERS),
        ("search_typo_p99", ALL_PEERS),
        ("load_rows_per_s", ALL_PEERS),
        ("search_page_p99", SERVING_PEERS),
        ("search_page_per_s", SERVING_PEERS),
    ] {
        let f = figures
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("figure {name} in {v}"));
        assert_eq!(f["agree"], true, "{name}: {f}");
        assert!(f["thidua_ms"].as_f64().is_some_and(|x| x > 0.0), "{f}");
        for peer in ALL_PEERS {
            let value = &f["peers"][peer];
            if peers.contains(peer) {
                assert!(
                    value.as_f64().is_some_and(|x| x > 0.0),
                    "{name} {peer}: {f}"
                );
            } else {
                assert!(value.is_null(), "{name} {peer}: {f}");
            }
        }
    }
}

const ALL_PEERS: &[&str] = &["postgresql", "sqlite", "duckdb"];
const SERVING_PEERS: &[&str] = &["postgresql", "sqlite"];
