//! `thidua backup FILE` / `thidua restore FILE --db URL`: one tar file
//! holding a manifest (the schema's version, every table's row count,
//! every stored file's SHA-256, the payload's SHA-256) and the payload —
//! SQLite's own online copy (`VACUUM INTO`, a consistent snapshot taken
//! while the server runs) or PostgreSQL's `pg_dump` custom format, taken
//! from the very snapshot the manifest was counted in.

use super::inventory::{FILE_TABLES, StoredFile, TableRows, hex, known_schema_version};
use crate::{Engine, Store, StoreError, StoreResult};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the manifest's `format` says; a restore refuses anything else.
pub const BACKUP_FORMAT: &str = "thidua-backup/1";
const MANIFEST: &str = "manifest.json";
/// A manifest is a page of JSON; a bigger one is not ours.
const MANIFEST_LIMIT: u64 = 64 << 20;

pub type ManifestTable = TableRows;

pub type ManifestFile = StoredFile;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// `sqlite` or `postgresql`.
    pub engine: String,
    pub schema_version: i64,
    pub app_version: String,
    pub created_at: String,
    pub tables: Vec<ManifestTable>,
    pub files: Vec<ManifestFile>,
    /// The payload's name inside the archive, size and SHA-256.
    pub payload: String,
    pub payload_bytes: u64,
    pub payload_sha256: String,
}

fn refused(msg: impl Into<String>) -> StoreError {
    StoreError::Refused(msg.into())
}

fn io(what: &str, e: std::io::Error) -> StoreError {
    refused(format!("{what}: {e}"))
}

fn engine_name(e: Engine) -> &'static str {
    match e {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgresql",
    }
}

/// A PostgreSQL program (`pg_dump`, `pg_restore`): from `THIDUA_PG_BIN`,
/// else the newest Debian cluster's, else the one on the PATH.
fn pg_program(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("THIDUA_PG_BIN") {
        return PathBuf::from(dir).join(name);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|d| d.join(name).exists())
        .collect();
    dirs.sort_by_key(|d| {
        d.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop()
        .map(|d| d.join(name))
        .unwrap_or_else(|| PathBuf::from(name))
}

fn run(mut cmd: Command, what: &str) -> StoreResult<()> {
    let out = cmd.output().map_err(|e| io(what, e))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(refused(format!(
            "{what} thất bại: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

fn sha256_file(path: &Path) -> StoreResult<(u64, String)> {
    let mut f = std::fs::File::open(path).map_err(|e| io("đọc bản sao", e))?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(|e| io("đọc bản sao", e))?;
        if k == 0 {
            break;
        }
        n += k as u64;
        hash.update(&buf[..k]);
    }
    Ok((n, hex(&hash.finalize())))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> StoreResult<T> + Send + 'static,
) -> StoreResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| refused(format!("tác vụ nền dừng: {e}")))?
}

async fn stock(store: &Store) -> StoreResult<(Vec<ManifestTable>, Vec<ManifestFile>)> {
    let tables = store.table_rows().await?;
    Ok((tables, store.file_digests().await?))
}

/// Writes a backup of `store` to `out` (which must not exist yet).
pub async fn backup(store: &Store, out: &Path, app_version: &str) -> StoreResult<Manifest> {
    if out.exists() {
        return Err(refused(format!(
            "«{}» đã có: chọn một tên tệp mới, bản sao lưu không ghi đè",
            out.display()
        )));
    }
    let work = tempfile::tempdir().map_err(|e| io("thư mục tạm", e))?;
    let (payload_name, tables, files) = match &store.pool {
        crate::Pool::Sqlite(pool) => {
            let path = work.path().join("database.sqlite");
            let quoted = path.display().to_string().replace('\'', "''");
            sqlx::query(sqlx::AssertSqlSafe(format!("vacuum into '{quoted}'")))
                .execute(pool)
                .await?;
            // Counted on the copy itself, not on a database still written to.
            let copy = Store::connect(&format!("sqlite://{}", path.display())).await?;
            let (tables, files) = stock(&copy).await?;
            copy.close().await;
            // The copy's own WAL files are folded in by closing it.
            ("database.sqlite", tables, files)
        }
        crate::Pool::Postgres(pool) => {
            // The dump and the counts read one snapshot: the transaction
            // that exported it stays open until the dump is done.
            let mut tx = pool.begin().await?;
            sqlx::query("set transaction isolation level repeatable read, read only")
                .execute(&mut *tx)
                .await?;
            let snapshot: String = sqlx::query_scalar("select pg_export_snapshot()")
                .fetch_one(&mut *tx)
                .await?;
            let (tables, files) = stock_in(&mut tx).await?;
            let path = work.path().join("database.pgdump");
            let mut cmd = Command::new(pg_program("pg_dump"));
            cmd.arg("--format=custom")
                .arg("--no-owner")
                .arg("--no-privileges")
                .arg(format!("--snapshot={snapshot}"))
                .arg("--file")
                .arg(&path)
                .arg("--dbname")
                .arg(store.url());
            blocking(move || run(cmd, "pg_dump")).await?;
            tx.commit().await?;
            ("database.pgdump", tables, files)
        }
    };
    let payload = work.path().join(payload_name);
    let p = payload.clone();
    let (payload_bytes, payload_sha256) = blocking(move || sha256_file(&p)).await?;
    let manifest = Manifest {
        format: BACKUP_FORMAT.to_owned(),
        engine: engine_name(store.engine()).to_owned(),
        schema_version: store.schema_version().await?,
        app_version: app_version.to_owned(),
        created_at: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        tables,
        files,
        payload: payload_name.to_owned(),
        payload_bytes,
        payload_sha256,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| refused(e.to_string()))?;
    let out = out.to_owned();
    blocking(move || {
        // Written beside the target and renamed: a backup cut short never
        // looks like a whole one.
        let partial = out.with_extension("partial");
        let f = std::fs::File::create(&partial).map_err(|e| io("ghi bản sao lưu", e))?;
        let mut tar = tar::Builder::new(f);
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, json.as_slice())
            .map_err(|e| io("ghi bản sao lưu", e))?;
        tar.append_path_with_name(&payload, payload_name)
            .map_err(|e| io("ghi bản sao lưu", e))?;
        let f = tar.into_inner().map_err(|e| io("ghi bản sao lưu", e))?;
        f.sync_all().map_err(|e| io("ghi bản sao lưu", e))?;
        std::fs::rename(&partial, &out).map_err(|e| io("ghi bản sao lưu", e))?;
        drop(work);
        Ok(())
    })
    .await?;
    Ok(manifest)
}

async fn stock_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
) -> StoreResult<(Vec<ManifestTable>, Vec<ManifestFile>)> {
    let names: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace \
         where n.nspname = current_schema() and c.relkind = 'r' and c.relname not like '_sqlx%' \
         order by c.oid",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut tables = Vec::new();
    for name in names {
        let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select count(*) from \"{name}\""
        )))
        .fetch_one(&mut **tx)
        .await?;
        tables.push(TableRows { name, rows });
    }
    let mut files = Vec::new();
    for table in FILE_TABLES {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "select id, content from {table} order by id"
        )))
        .fetch_all(&mut **tx)
        .await?;
        for (id, content) in rows {
            files.push(StoredFile::of(table, id, &content));
        }
    }
    Ok((tables, files))
}

/// Reads the manifest and extracts the payload of a backup into `dir`.
fn unpack(file: &Path, dir: &Path) -> StoreResult<(Manifest, PathBuf)> {
    let f = std::fs::File::open(file).map_err(|e| io("mở bản sao lưu", e))?;
    let mut tar = tar::Archive::new(f);
    let mut manifest: Option<Manifest> = None;
    let mut payload: Option<PathBuf> = None;
    for entry in tar.entries().map_err(|e| io("đọc bản sao lưu", e))? {
        let mut entry = entry.map_err(|e| io("đọc bản sao lưu", e))?;
        let name = entry
            .path()
            .map_err(|e| io("đọc bản sao lưu", e))?
            .to_string_lossy()
            .into_owned();
        match name.as_str() {
            MANIFEST => {
                if entry.size() > MANIFEST_LIMIT {
                    return Err(refused("tệp không phải bản sao lưu của thidua"));
                }
                let mut text = Vec::new();
                entry
                    .read_to_end(&mut text)
                    .map_err(|e| io("đọc bản sao lưu", e))?;
                manifest = Some(serde_json::from_slice(&text).map_err(|e| {
                    refused(format!("mục lục của bản sao lưu không đọc được: {e}"))
                })?);
            }
            "database.sqlite" | "database.pgdump" => {
                let to = dir.join(&name);
                let mut out = std::fs::File::create(&to).map_err(|e| io("giải nén", e))?;
                std::io::copy(&mut entry, &mut out).map_err(|e| io("giải nén", e))?;
                payload = Some(to);
            }
            other => {
                return Err(refused(format!(
                    "bản sao lưu có mục lạ «{other}»: không phải tệp do thidua tạo"
                )));
            }
        }
    }
    match (manifest, payload) {
        (Some(m), Some(p)) => Ok((m, p)),
        _ => Err(refused(
            "tệp không phải bản sao lưu của thidua (thiếu mục lục hoặc dữ liệu)",
        )),
    }
}

fn engine_of(url: &str) -> Engine {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Engine::Postgres
    } else {
        Engine::Sqlite
    }
}

fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Restores a backup into the empty database `url`, brings its schema up
/// to this build's, and checks every table's rows, every file's checksum
/// and the audit chain against the manifest.
pub async fn restore(file: &Path, url: &str) -> StoreResult<(Manifest, Store)> {
    let work = tempfile::tempdir().map_err(|e| io("thư mục tạm", e))?;
    let (f, dir) = (file.to_owned(), work.path().to_owned());
    let (manifest, payload) = blocking(move || unpack(&f, &dir)).await?;
    if manifest.format != BACKUP_FORMAT {
        return Err(refused(format!(
            "định dạng «{}» không đọc được (cần {BACKUP_FORMAT})",
            manifest.format
        )));
    }
    let p = payload.clone();
    let (bytes, sha) = blocking(move || sha256_file(&p)).await?;
    if bytes != manifest.payload_bytes || sha != manifest.payload_sha256 {
        return Err(refused(
            "dữ liệu trong bản sao lưu không khớp tổng kiểm của nó: tệp đã hỏng, không khôi phục",
        ));
    }
    let engine = engine_of(url);
    if manifest.engine != engine_name(engine) {
        return Err(refused(format!(
            "bản sao lưu của {} không khôi phục vào {}: dùng «thidua migrate-data» để chuyển giữa hai loại cơ sở dữ liệu",
            manifest.engine,
            engine_name(engine)
        )));
    }
    let known = known_schema_version(engine);
    if manifest.schema_version > known {
        return Err(refused(format!(
            "bản sao lưu có lược đồ mới hơn bản thidua này ({} > {known}): cài phiên bản thidua mới hơn rồi khôi phục",
            manifest.schema_version
        )));
    }
    match engine {
        Engine::Sqlite => {
            let target = PathBuf::from(sqlite_path(url));
            let empty = match std::fs::metadata(&target) {
                Ok(m) => m.len() == 0,
                Err(_) => true,
            };
            if !empty {
                return Err(refused(format!(
                    "«{}» đã có dữ liệu: chỉ khôi phục vào cơ sở dữ liệu trống",
                    target.display()
                )));
            }
            let p = payload.clone();
            let t = target.clone();
            blocking(move || {
                std::fs::copy(&p, &t)
                    .map(|_| ())
                    .map_err(|e| io("chép cơ sở dữ liệu", e))
            })
            .await?;
            match verified(url, &manifest).await {
                Ok(store) => Ok((manifest, store)),
                Err(e) => {
                    // All or nothing: a restore that does not verify leaves
                    // no database behind.
                    for suffix in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
                    }
                    Err(e)
                }
            }
        }
        Engine::Postgres => {
            let pool = sqlx::PgPool::connect(url).await?;
            let tables: i64 = sqlx::query_scalar(
                "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace \
                 where n.nspname = current_schema() and c.relkind = 'r'",
            )
            .fetch_one(&pool)
            .await?;
            pool.close().await;
            if tables > 0 {
                return Err(refused(format!(
                    "cơ sở dữ liệu {} đã có {tables} bảng: chỉ khôi phục vào cơ sở dữ liệu trống",
                    crate::redact(url)
                )));
            }
            let mut cmd = Command::new(pg_program("pg_restore"));
            cmd.arg("--no-owner")
                .arg("--no-privileges")
                .arg("--exit-on-error")
                .arg("--single-transaction")
                .arg("--dbname")
                .arg(url)
                .arg(&payload);
            blocking(move || run(cmd, "pg_restore")).await?;
            let store = verified(url, &manifest).await?;
            Ok((manifest, store))
        }
    }
}

/// Opens the restored database (migrating it forward) and checks it
/// against the manifest.
async fn verified(url: &str, manifest: &Manifest) -> StoreResult<Store> {
    let store = Store::connect(url).await?;
    let rows = store.table_rows().await?;
    for t in &manifest.tables {
        let now = rows.iter().find(|r| r.name == t.name).map(|r| r.rows);
        if now != Some(t.rows) {
            store.close().await;
            return Err(refused(format!(
                "bảng {} có {} dòng sau khôi phục, bản sao lưu ghi {}",
                t.name,
                now.map_or("không có".to_owned(), |n| n.to_string()),
                t.rows
            )));
        }
    }
    if store.file_digests().await? != manifest.files {
        store.close().await;
        return Err(refused(
            "tệp đính kèm sau khôi phục không khớp tổng kiểm trong mục lục",
        ));
    }
    if let Err(e) = store.audit_verify().await? {
        store.close().await;
        return Err(refused(format!(
            "nhật ký thay đổi không toàn vẹn sau khôi phục: {e}"
        )));
    }
    Ok(store)
}
