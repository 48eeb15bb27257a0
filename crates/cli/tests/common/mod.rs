//! Running the `thidua` binary from the integration tests.

#![allow(dead_code)]

pub mod server;

use serde_json::Value;
use std::process::{Command, Output};

pub fn thidua(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("THIDUA_DB")
        .output()
        .expect("run thidua")
}

pub fn ok(db: &str, args: &[&str]) -> String {
    let out = thidua(db, args);
    assert!(
        out.status.success(),
        "thidua {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

pub fn json(db: &str, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).expect("JSON output")
}
