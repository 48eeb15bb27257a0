//! Scale-out on PostgreSQL's own replication: a streaming hot standby made
//! with pg_basebackup from the test cluster, `serve --db-replica` reading
//! from it, a write read back at once, and the primary answering when the
//! replica is stopped.

mod common;

use common::ok;
use common::server::{Empty, csrf_of, sign_in, sqlx_admin, start};
use std::path::{Path, PathBuf};
use std::process::Command;
use thidua_store::Engine;

fn pg_bin() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("Debian's PostgreSQL in /usr/lib/postgresql")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| d.join("pg_basebackup").exists())
        .collect();
    dirs.sort();
    dirs.pop().expect("pg_basebackup")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A PostgreSQL program, as the cluster's owner when we are root (the
/// server refuses to run as root).
fn pg(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

/// The standby: its data directory and port; stopped when dropped.
struct Standby {
    dir: tempfile::TempDir,
    port: u16,
}

impl Standby {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn stop(&self) {
        let _ = pg(&pg_bin().join("pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

impl Drop for Standby {
    fn drop(&mut self) {
        self.stop();
    }
}

/// host, port of an admin URL `postgres://user@host:port/db`.
fn host_port(url: &str) -> (String, u16) {
    let rest = url.split('@').nth(1).expect("user@host");
    let hp = rest.split('/').next().expect("host:port");
    let (h, p) = hp.rsplit_once(':').expect("port");
    (h.to_owned(), p.parse().expect("port number"))
}

async fn standby_of(admin: &str) -> Standby {
    let (host, port) = host_port(admin);
    // A hot standby needs at least the primary's limits.
    let pool = sqlx_admin(admin).await;
    let mut limits = Vec::new();
    for name in [
        "max_connections",
        "max_worker_processes",
        "max_wal_senders",
        "max_prepared_transactions",
        "max_locks_per_transaction",
    ] {
        let v: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("show {name}")))
            .fetch_one(&pool)
            .await
            .expect("setting");
        limits.push(format!("-c {name}={v}"));
    }
    pool.close().await;
    let dir = tempfile::tempdir().expect("tempdir");
    if is_root() {
        let ok = Command::new("chown")
            .args(["postgres"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "chown the standby's directory");
    }
    let s = Standby {
        port: common::server::free_port(),
        dir,
    };
    let out = pg(&pg_bin().join("pg_basebackup"))
        .args(["-h", &host, "-p", &port.to_string(), "-U", "postgres"])
        .arg("-D")
        .arg(s.data())
        .args(["-R", "-X", "stream", "-c", "fast"])
        .output()
        .expect("pg_basebackup");
    assert!(
        out.status.success(),
        "pg_basebackup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let opts = format!(
        "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} -c hot_standby=on {}",
        s.port,
        s.dir.path().display(),
        limits.join(" ")
    );
    let out = pg(&pg_bin().join("pg_ctl"))
        .arg("-D")
        .arg(s.data())
        .arg("-l")
        .arg(s.dir.path().join("standby.log"))
        .args(["-w", "-o", &opts, "start"])
        .output()
        .expect("pg_ctl start");
    assert!(
        out.status.success(),
        "standby start: {} {}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(s.dir.path().join("standby.log")).unwrap_or_default()
    );
    s
}

fn replica_reads(metrics: &str) -> u64 {
    metrics
        .lines()
        .filter(|l| l.starts_with("thidua_db_replica_reads_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test]
async fn read_only_pages_are_served_by_a_streaming_replica() {
    let Ok(admin) = std::env::var("THIDUA_TEST_PG") else {
        assert_ne!(
            std::env::var("THIDUA_REQUIRE_PG").as_deref(),
            Ok("1"),
            "THIDUA_REQUIRE_PG=1 but THIDUA_TEST_PG is not set"
        );
        eprintln!(
            "skipped: PostgreSQL not configured (set THIDUA_TEST_PG; scripts/with-postgres.sh does)"
        );
        return;
    };
    let primary = Empty::new(Engine::Postgres).await;
    ok(&primary.url, &["demo"]);
    let standby = standby_of(&admin).await;
    let (base_url, db) = primary.url.rsplit_once('/').expect("URL");
    let (host, _) = host_port(&primary.url);
    let user = base_url
        .split("://")
        .nth(1)
        .and_then(|r| r.split('@').next())
        .expect("user");
    let replica = format!("postgres://{user}@{host}:{}/{db}", standby.port);
    let (server, base, c) = start(&primary.url, &["--db-replica", &replica]).await;
    let home = sign_in(&c, &base, "hoa.snv").await;
    assert!(home.contains("Nguyễn Thị Hoa"), "signed in: {home}");
    let get = |path: &str| {
        let (c, url) = (c.clone(), format!("{base}{path}"));
        async move {
            let r = c.get(&url).send().await.expect("GET");
            assert!(r.status().is_success(), "{url}: {}", r.status());
            r.text().await.expect("text")
        }
    };

    // Reads reach the replica once it has replayed the demo.
    let mut served = 0;
    for _ in 0..40 {
        assert!(
            get("/so-khen-thuong?q=nguyen+thi+hoa")
                .await
                .contains("1630/QĐ-UBND")
        );
        served = replica_reads(&get("/metrics").await);
        if served > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(served > 0, "the registry search was read from the replica");

    // A write goes to the primary and is read back at once.
    let form = get("/ca-nhan/moi").await;
    let r = c
        .post(format!("{base}/ca-nhan/moi"))
        .form(&[
            ("_csrf", csrf_of(&form).as_str()),
            ("name", "Phạm Thị Bản Sao"),
            ("birth", "02/03/1990"),
            ("sex", "nữ"),
            ("unit", "24615"),
            ("from", "01/01/2026"),
        ])
        .send()
        .await
        .expect("add person");
    let status = r.status();
    let body = r.text().await.expect("text");
    assert!(
        status.is_success() && !body.contains("field-error"),
        "{status}: {body}"
    );
    assert!(
        get("/ca-nhan?q=ban+sao").await.contains("Phạm Thị Bản Sao"),
        "the person just added is listed"
    );
    let before = replica_reads(&get("/metrics").await);
    let mut after = before;
    for _ in 0..40 {
        assert!(get("/ca-nhan?q=ban+sao").await.contains("Phạm Thị Bản Sao"));
        after = replica_reads(&get("/metrics").await);
        if after > before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(
        after > before,
        "the replica serves the new person once it has replayed the write"
    );

    // Without the replica, the primary answers.
    standby.stop();
    for _ in 0..3 {
        assert!(
            get("/so-khen-thuong?q=nguyen+thi+hoa")
                .await
                .contains("1630/QĐ-UBND")
        );
    }
    let metrics = get("/metrics").await;
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("thidua_db_replica_resting{") && l.ends_with(" 1")),
        "the stopped replica is left alone: {metrics}"
    );
    drop(server);
    drop(standby);
    primary.drop_db().await;
}
