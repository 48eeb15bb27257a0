//! What every command shares: the database argument, opening the store,
//! progress bars, JSON output and the parsers of arguments.

use anyhow::{Context, Result, anyhow};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use thidua_app::{admin_units, demo};
use thidua_domain::date::VnDate;
use thidua_domain::org::{CodeList, UnitKind};
use thidua_domain::policy::Role;
use thidua_store::{Store, Who};
use time::Date;

/// The embedded database used when neither --db nor THIDUA_DB is given.
pub const DEFAULT_DB: &str = "thidua.db";

#[derive(Args, Clone)]
pub(super) struct DbArg {
    /// Database: a SQLite file path (sqlite://PATH also works) or postgres://USER@HOST/DB
    #[arg(id = "db", long = "db", global = true, env = "THIDUA_DB", default_value = DEFAULT_DB)]
    pub(super) url: String,
    /// The configuration file (TOML); by default /etc/thidua/thidua.toml when it exists
    #[arg(long = "config", global = true, env = "THIDUA_CONFIG")]
    pub(super) config: Option<std::path::PathBuf>,
}

// Domain words on the command line are parsed by the domain itself
// (dashes and underscores alike: `province-officer` = `province_officer`).
pub(super) fn parse_kind(s: &str) -> Result<UnitKind, String> {
    UnitKind::parse(&s.replace('-', "_")).map_err(|e| e.to_string())
}

pub(super) fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(&s.replace('-', "_")).map_err(|e| e.to_string())
}

pub(super) fn parse_list(s: &str) -> Result<CodeList, String> {
    CodeList::parse(s).map_err(|e| e.to_string())
}

pub(super) fn parse_date(s: &str) -> Result<Date, String> {
    VnDate::parse(s).map(|d| d.0).map_err(|e| e.to_string())
}

pub(super) fn today() -> Date {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}

pub(super) fn progress_bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

pub(super) async fn open(db: &DbArg) -> Result<Store> {
    Store::connect(&db.url).await.with_context(|| {
        format!(
            "không mở được cơ sở dữ liệu {}",
            thidua_store::redact(&db.url)
        )
    })
}

/// Changes made from the command line are audited as the OS user running it.
/// Reads a file named on the command line, refusing one larger than the
/// upload limit before reading it: the same limits as the web pages.
pub(super) fn read_input_file(path: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let limit = thidua_sheets::LIMITS.max_file_bytes;
    let file =
        std::fs::File::open(path).with_context(|| format!("không đọc được {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("không đọc được {}", path.display()))?;
    if bytes.len() > limit {
        return Err(anyhow!(
            "{}: tệp lớn hơn {} MB; hãy chia thành nhiều tệp",
            path.display(),
            limit / 1024 / 1024
        ));
    }
    Ok(bytes)
}

pub(super) fn cli_who() -> Who {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    Who::system(&format!("cli:{user}"))
}

pub(super) fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

pub(super) async fn run_demo(store: &Store) -> Result<demo::DemoReport> {
    let plan = admin_units::prepare(&admin_units::embedded_files())?;
    let bar = progress_bar(admin_units::work(&plan), "Nạp danh mục đơn vị hành chính");
    let report = demo::seed(store, &Who::system("demo"), &|n| bar.inc(n)).await?;
    bar.finish_and_clear();
    if report.already_seeded {
        eprintln!("Dữ liệu mẫu đã có sẵn; không thay đổi gì.");
    } else {
        eprintln!(
            "Đã tạo dữ liệu mẫu: {} đơn vị hành chính, {} cơ quan/đơn vị, {} thôn/bon/xóm, {} cá nhân, {} tài khoản, {} phong trào với {} số liệu (mật khẩu: {}).",
            report.official_units_inserted,
            report.organisations,
            report.villages,
            report.people,
            report.accounts,
            report.movements,
            report.values,
            demo::DEMO_PASSWORD
        );
    }
    Ok(report)
}

/// The database, seeded with the demo if it is empty (the load benchmarks
/// log in as the demo's accounts).
pub(super) async fn open_with_demo(db: &DbArg) -> Result<Store> {
    let store = open(db).await?;
    if store.count_units().await? == 0 {
        run_demo(&store).await?;
    }
    Ok(store)
}

/// Sessions opened directly for `login` (the benchmarks measure requests,
/// not argon2): (cookie, CSRF token) each, valid for an hour.
pub(super) async fn open_sessions(
    store: &Store,
    login: &str,
    n: usize,
) -> Result<Vec<(String, String)>> {
    let (user, _) = store
        .user_for_login(login)
        .await?
        .ok_or_else(|| anyhow!("thiếu tài khoản mẫu {login}: chạy trên cơ sở dữ liệu mẫu"))?;
    let now = time::OffsetDateTime::now_utc();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let cookie = thidua_app::auth::random_secret("")?;
        let csrf = thidua_app::auth::random_secret("")?;
        store
            .create_session(
                &Who::system("bench"),
                user.id,
                &thidua_app::auth::sha256_hex(&cookie),
                &csrf,
                &thidua_domain::audit::timestamp(now),
                &thidua_domain::audit::timestamp(now + time::Duration::hours(1)),
            )
            .await?;
        out.push((cookie, csrf));
    }
    Ok(out)
}
