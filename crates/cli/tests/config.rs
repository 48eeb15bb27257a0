//! `thidua config check`: the effective configuration, where each value
//! came from, secrets hidden, a bad file refused with its key.

use std::process::Command;

fn check(
    dir: &std::path::Path,
    file: &str,
    envs: &[(&str, &str)],
    extra: &[&str],
) -> std::process::Output {
    let path = dir.join("thidua.toml");
    std::fs::write(&path, file).expect("write config");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thidua"));
    cmd.arg("--config")
        .arg(&path)
        .args(extra)
        .args(["config", "check", "--json"]);
    for k in [
        "THIDUA_DB",
        "THIDUA_CONFIG",
        "THIDUA_TRUSTED_PROXIES",
        "THIDUA_METRICS_TOKEN",
        "THIDUA_ADDR",
        "THIDUA_LOGINS_PER_MINUTE",
    ] {
        cmd.env_remove(k);
    }
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run thidua")
}

#[test]
fn each_value_says_where_it_came_from_and_secrets_stay_hidden() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = check(
        dir.path(),
        "db = \"postgres://thidua:mat-khau@127.0.0.1/thidua\"\naddr = \"0.0.0.0:9000\"\nmetrics_token = \"bi-mat\"\n",
        &[
            ("THIDUA_LOGINS_PER_MINUTE", "50"),
            ("THIDUA_TRUSTED_PROXIES", "127.0.0.1,::1"),
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        !text.contains("mat-khau") && !text.contains("bi-mat"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let setting = |name: &str| {
        v["settings"]
            .as_array()
            .expect("settings")
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    assert!(
        setting("db")["source"]
            .as_str()
            .unwrap_or("")
            .starts_with("tệp ")
    );
    assert_eq!(
        setting("db")["value"],
        "postgres://thidua:***@127.0.0.1/thidua"
    );
    assert_eq!(setting("addr")["value"], "0.0.0.0:9000");
    assert_eq!(setting("metrics_token")["value"], "***");
    assert_eq!(setting("logins_per_minute")["value"], 50);
    assert_eq!(
        setting("logins_per_minute")["source"],
        "biến môi trường THIDUA_LOGINS_PER_MINUTE"
    );
    assert_eq!(
        setting("trusted_proxies")["value"],
        serde_json::json!(["127.0.0.1", "::1"])
    );
    assert_eq!(setting("behind_tls")["source"], "mặc định");
    // The command line has the last word.
    let out = check(dir.path(), "db = \"a.db\"\n", &[], &["--db", "b.db"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let db = v["settings"][0].clone();
    assert_eq!(
        (db["value"].as_str(), db["source"].as_str()),
        (Some("b.db"), Some("dòng lệnh --db"))
    );
}

#[test]
fn a_bad_file_is_refused_with_its_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (file, said) in [
        ("dbx = 1\n", "dbx"),
        ("addr = \"khong-phai-dia-chi\"\n", "addr"),
        ("log_format = \"xml\"\n", "log_format"),
    ] {
        let out = check(dir.path(), file, &[], &[]);
        assert!(!out.status.success(), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("cấu hình không hợp lệ") && err.contains(said),
            "{err}"
        );
    }
}
