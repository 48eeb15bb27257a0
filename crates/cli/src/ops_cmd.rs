//! An operator's commands for a whole database: back up, restore, move
//! from SQLite to PostgreSQL.

use crate::common::{DbArg, open, print_json, progress_bar};
use anyhow::{Context, Result};
use std::path::PathBuf;
use thidua_store::{Store, ops};

pub(super) async fn backup(db: &DbArg, file: PathBuf, json: bool) -> Result<()> {
    let store = open(db).await?;
    let m = ops::backup(&store, &file, env!("CARGO_PKG_VERSION")).await?;
    if json {
        return print_json(&m);
    }
    let rows: i64 = m.tables.iter().map(|t| t.rows).sum();
    println!(
        "Đã sao lưu vào {}: {} bảng, {rows} dòng, {} tệp đính kèm, lược đồ {} ({}; {:.1} MB, SHA-256 {}).",
        file.display(),
        m.tables.len(),
        m.files.len(),
        m.schema_version,
        m.engine,
        m.payload_bytes as f64 / 1e6,
        &m.payload_sha256[..16]
    );
    Ok(())
}

pub(super) async fn restore(db: &DbArg, file: PathBuf, json: bool) -> Result<()> {
    let (m, store) = ops::restore(&file, &db.url)
        .await
        .with_context(|| format!("không khôi phục được {}", file.display()))?;
    let now = store.schema_version().await?;
    store.close().await;
    if json {
        return print_json(&m);
    }
    let rows: i64 = m.tables.iter().map(|t| t.rows).sum();
    println!(
        "Đã khôi phục {} vào {}: {} bảng, {rows} dòng và {} tệp đúng như mục lục; nhật ký toàn vẹn; lược đồ {} → {now}.",
        file.display(),
        thidua_store::redact(&db.url),
        m.tables.len(),
        m.files.len(),
        m.schema_version
    );
    Ok(())
}

pub(super) async fn migrate_data(from: &str, to: &str, json: bool) -> Result<()> {
    let source = Store::connect(from)
        .await
        .with_context(|| format!("không mở được {}", thidua_store::redact(from)))?;
    let target = Store::connect(to)
        .await
        .with_context(|| format!("không mở được {}", thidua_store::redact(to)))?;
    let total: i64 = source.table_rows().await?.iter().map(|t| t.rows).sum();
    let bar = progress_bar(total.max(0) as u64, "Chép dữ liệu");
    let copied = ops::copy_database(&source, &target, &|table, done, _| {
        bar.set_message(format!("Chép bảng {table}"));
        bar.set_position(done);
    })
    .await;
    bar.finish_and_clear();
    let copied = copied?;
    if json {
        return print_json(&copied);
    }
    let rows: i64 = copied.iter().map(|t| t.rows).sum();
    println!(
        "Đã chuyển {rows} dòng của {} bảng từ {} sang {}; số dòng, tệp đính kèm và nhật ký thay đổi đã kiểm tra khớp.",
        copied.len(),
        thidua_store::redact(from),
        thidua_store::redact(to)
    );
    Ok(())
}
