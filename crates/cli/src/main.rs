//! `thidua`: the one binary. Every subcommand works on the database named by
//! `--db` (or `THIDUA_DB`), by default the embedded SQLite file `serve` uses.

mod bench;
mod bench_mixed;
mod bench_search;
mod calendar_cmd;
mod cluster_cmd;
mod movement_cmd;
mod registry_cmd;

use anyhow::{Context, Result, anyhow};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use thidua_app::{AppError, admin_units, demo, org_view};
use thidua_domain::date::VnDate;
use thidua_domain::org::{CodeList, UnitCode, UnitKind};
use thidua_domain::policy::Role;
use thidua_store::{NewUnit, Store, Who};
use time::Date;

/// The embedded database used when neither --db nor THIDUA_DB is given.
pub const DEFAULT_DB: &str = "thidua.db";

#[derive(Parser)]
#[command(
    name = "thidua",
    version,
    about = "thidua — emulation movements and commendations (thi đua – khen thưởng) for Vietnamese provinces"
)]
struct Cli {
    #[command(flatten)]
    db: DbArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArg {
    /// Database: a SQLite file path (sqlite://PATH also works) or postgres://USER@HOST/DB
    #[arg(long = "db", global = true, env = "THIDUA_DB", default_value = DEFAULT_DB)]
    url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (Vietnamese UI)
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Seed the demo data first (see `thidua demo`)
        #[arg(long)]
        demo: bool,
        /// Served behind a TLS proxy: mark cookies Secure
        #[arg(long)]
        behind_tls: bool,
        /// Login attempts allowed per client address per minute
        #[arg(long, default_value_t = 20)]
        logins_per_minute: u32,
        /// A reverse proxy whose X-Forwarded-For names the client (repeat for several; comma-separated in the variable)
        #[arg(
            long = "trusted-proxy",
            env = "THIDUA_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<std::net::IpAddr>,
    },
    /// Seed demo data: official units plus organisations and people of Lâm Đồng, Cao Bằng, Thái Nguyên and Đà Nẵng
    Demo,
    /// Import data files
    #[command(subcommand)]
    Import(ImportCommand),
    /// The organisation registry (đơn vị): units as of a date
    #[command(subcommand)]
    Org(OrgCommand),
    /// People (cá nhân)
    #[command(subcommand)]
    Person(PersonCommand),
    /// Accounts (tài khoản)
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens for programs
    #[command(subcommand)]
    Token(TokenCommand),
    /// The append-only audit log (nhật ký thay đổi)
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Emulation movements (phong trào thi đua): list, show, import/export as TOML, lifecycle
    #[command(subcommand)]
    Movement(movement_cmd::MovementCommand),
    /// Indicator values: import from CSV/XLSX, entry templates
    #[command(subcommand)]
    Values(movement_cmd::ValuesCommand),
    /// Reports: a movement's figures for a unit and a day
    #[command(subcommand)]
    Report(movement_cmd::ReportCommand),
    /// Eligibility (xét điều kiện khen thưởng): judge a history against the law, with the articles
    #[command(subcommand)]
    Eligibility(EligibilityCommand),
    /// The working-day calendar (lịch làm việc): add working days, list a year's days off
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
    /// Nomination dossiers (hồ sơ đề nghị khen thưởng)
    #[command(subcommand)]
    Dossier(calendar_cmd::DossierCommand),
    /// Decisions (quyết định khen thưởng): list, and print as PDF/DOCX or certificates
    #[command(subcommand)]
    Decision(registry_cmd::DecisionCommand),
    /// The award registry (sổ khen thưởng): search
    #[command(subcommand)]
    Registry(registry_cmd::RegistryCommand),
    /// Statistics (thống kê khen thưởng)
    #[command(subcommand)]
    Stats(registry_cmd::StatsCommand),
    /// Emulation blocks and clusters (khối, cụm thi đua): list, ranking
    #[command(subcommand)]
    Cluster(cluster_cmd::ClusterCommand),
    /// Benchmarks (not tests): print timings of this machine
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum EligibilityCommand {
    /// Read a request (JSON: subject, proposed, year, decision_date, history) and print the verdict as JSON
    Check {
        /// The request file, or - for standard input
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password comes from --password, else THIDUA_PASSWORD, else a random one is printed
    Add {
        #[arg(long)]
        login: String,
        /// Full name (họ và tên)
        #[arg(long)]
        name: String,
        /// admin, province-officer, unit-officer, council-member, leader or viewer
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Code of the unit the account works in (its subtree is its scope); not needed for admin
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, env = "THIDUA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List accounts
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for an account; printed once
    Create {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain of the whole log; name the first broken entry
    Verify,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Load the official administrative units (đơn vị hành chính) before and after 01/07/2025 from DIR (see data/admin_units/README.md); idempotent
    AdminUnits {
        /// Directory holding the six CSV files
        dir: PathBuf,
    },
}

// Domain words on the command line are parsed by the domain itself
// (dashes and underscores alike: `province-officer` = `province_officer`).
fn parse_kind(s: &str) -> Result<UnitKind, String> {
    UnitKind::parse(&s.replace('-', "_")).map_err(|e| e.to_string())
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(&s.replace('-', "_")).map_err(|e| e.to_string())
}

fn parse_list(s: &str) -> Result<CodeList, String> {
    CodeList::parse(s).map_err(|e| e.to_string())
}

fn parse_date(s: &str) -> Result<Date, String> {
    VnDate::parse(s).map(|d| d.0).map_err(|e| e.to_string())
}

fn today() -> Date {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}

#[derive(Subcommand)]
enum OrgCommand {
    /// List the units valid on a date (province = tỉnh/thành phố, district = cấp huyện cũ, commune = xã/phường/đặc khu…)
    List {
        /// province, district, commune, party-agency, state-agency, public-service, enterprise, association, armed-forces, village
        #[arg(long, value_parser = parse_kind)]
        kind: Option<UnitKind>,
        /// Date (dd/mm/yyyy or yyyy-mm-dd); default today
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Only the units directly under this unit code
        #[arg(long)]
        parent: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show a unit on a date: its chain of parents, children, predecessors and what it became
    Show {
        /// Unit code (official: 2 digits province, 3 district, 5 commune; or an organisation code)
        code: String,
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Which code list the code belongs to, when it matters
        #[arg(long, value_parser = parse_list)]
        list: Option<CodeList>,
        #[arg(long)]
        json: bool,
    },
    /// Add an organisation (cơ quan, đơn vị, thôn/bon/buôn…) under a parent unit
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// province, district, commune, party-agency, state-agency, public-service, enterprise, association, armed-forces, village
        #[arg(long, value_parser = parse_kind)]
        kind: UnitKind,
        /// Parent unit code
        #[arg(long)]
        parent: Option<String>,
        /// Valid from (default: since before records)
        #[arg(long, value_parser = parse_date)]
        from: Option<Date>,
    },
    /// Move a unit under another parent from a date (điều chuyển)
    Move {
        code: String,
        #[arg(long)]
        parent: String,
        #[arg(long, value_parser = parse_date)]
        date: Date,
        /// The deciding document, e.g. 123/QĐ-UBND
        #[arg(long)]
        document: Option<String>,
    },
    /// Rename a unit from a date (đổi tên); the old name stays for earlier dates
    Rename {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_date)]
        date: Date,
        #[arg(long)]
        document: Option<String>,
    },
}

#[derive(Subcommand)]
enum PersonCommand {
    /// Find people by name, ignoring diacritics and case ("nguyen van duc" finds "Nguyễn Văn Đức"); Vietnamese name order
    Search {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Load test on loopback: N concurrent sessions on the organisation page, the API list, a movement dashboard and the public posting page, with resident memory before and after (seeds the demo if the database is empty)
    Load {
        /// Concurrent sessions, each with its own cookie
        #[arg(long, default_value_t = 200)]
        sessions: usize,
        /// Seconds per endpoint
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long)]
        json: bool,
    },
    /// A working day compressed: clients of three roles on dashboards, registry search, the organisation, dossiers, the public page, value entry and logins at once; p50/p99 per kind, errors, memory (seeds the demo if the database is empty)
    Mixed {
        #[arg(long, default_value_t = 100)]
        clients: usize,
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        #[arg(long)]
        json: bool,
    },
    /// Time the national roll-up: 19 criteria × every commune × N years, entered and approved, then reported (imports the official units if the database is empty)
    Rollup {
        #[arg(long, default_value_t = 5)]
        years: usize,
        /// Report repetitions
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
    /// Verdicts per second of the eligibility engine over a generated registry (no database)
    Eligibility {
        #[arg(long, default_value_t = 100_000)]
        people: usize,
        #[arg(long)]
        json: bool,
    },
    /// Registry search latency (p50/p99) on a generated province registry, and the bulk load rate (use a throw-away database)
    Search {
        #[arg(long, default_value_t = 300_000)]
        people: usize,
        #[arg(long, default_value_t = 3_000_000)]
        awards: usize,
        /// Repetitions of each query
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// Keep the registry an earlier run loaded into this database (no load rate then)
        #[arg(long)]
        reuse: bool,
        /// Rows of the generated XLSX whose import is timed
        #[arg(long, default_value_t = 20_000)]
        import_rows: usize,
        #[arg(long)]
        json: bool,
    },
    /// Time the full official import and as-of subtree queries of whole provinces (needs an empty database)
    Registry {
        /// Query repetitions
        #[arg(long, default_value_t = 50)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
}

fn progress_bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

async fn open(db: &DbArg) -> Result<Store> {
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
fn read_input_file(path: &std::path::Path) -> Result<Vec<u8>> {
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

fn cli_who() -> Who {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    Who::system(&format!("cli:{user}"))
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

async fn run_demo(store: &Store) -> Result<demo::DemoReport> {
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

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            addr,
            demo: with_demo,
            behind_tls,
            logins_per_minute,
            trusted_proxies,
        } => {
            let store = open(&cli.db).await?;
            if with_demo {
                run_demo(&store).await?;
            }
            thidua_app::eligibility::ensure_catalogue(&store, &Who::system("catalogue")).await?;
            let engine = store.engine();
            if with_demo {
                println!(
                    "Tài khoản mẫu: admin, hoa.snv, yquang.xa, lan.stc, hung.hd, minh.ld, xem — mật khẩu {}",
                    demo::DEMO_PASSWORD
                );
            }
            let config = thidua_web::WebConfig {
                secure_cookies: behind_tls,
                logins_per_minute,
                trusted_proxies,
                ..thidua_web::WebConfig::default()
            };
            // Late steps are announced once an hour (and at start).
            let sweeper = store.clone();
            tokio::spawn(async move {
                loop {
                    if let Err(e) = thidua_app::dossiers::notify_overdue(&sweeper, today()).await {
                        tracing::warn!(error = %e, "overdue notices failed");
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                }
            });
            thidua_web::serve(store, config, addr, |bound| {
                println!("thidua đang chạy ({engine}). Mở http://{bound}/ trong trình duyệt. Nhấn Ctrl+C để dừng.");
            })
            .await
            .with_context(|| format!("không mở được địa chỉ {addr}"))?;
        }
        Command::Demo => {
            let store = open(&cli.db).await?;
            run_demo(&store).await?;
            println!(
                "Chạy `thidua serve --db {}` rồi mở http://127.0.0.1:8080/",
                cli.db.url
            );
        }
        Command::Import(ImportCommand::AdminUnits { dir }) => {
            let store = open(&cli.db).await?;
            let files = admin_units::read_dir(&dir)?;
            let plan = admin_units::prepare(&files)?;
            let bar = progress_bar(admin_units::work(&plan), "Nạp danh mục đơn vị hành chính");
            let report = store
                .apply_import(&Who::system("import"), &plan, &|n| bar.inc(n))
                .await?;
            bar.finish_and_clear();
            println!(
                "Đã nạp: {} đơn vị mới, {} đơn vị cập nhật, {} không đổi; {} quan hệ trực thuộc, {} sự kiện sắp xếp mới.",
                report.units_inserted,
                report.units_updated,
                report.units_unchanged,
                report.links_inserted,
                report.events_inserted
            );
        }
        Command::Org(cmd) => org(&cli.db, cmd).await?,
        Command::Person(PersonCommand::Search { query, limit, json }) => {
            let store = open(&cli.db).await?;
            let people = store.search_people(&query, limit).await?;
            if json {
                print_json(&people)?;
            } else {
                for p in &people {
                    let birth = p
                        .birth_date
                        .map(|d| VnDate(d).to_string())
                        .unwrap_or_default();
                    println!(
                        "{}\t{}\t{}",
                        p.full_name,
                        birth,
                        p.position.as_deref().unwrap_or("")
                    );
                }
                eprintln!("{} người.", people.len());
            }
        }
        Command::User(UserCommand::Add {
            login,
            name,
            role,
            unit,
            password,
        }) => {
            let store = open(&cli.db).await?;
            let unit = match unit {
                Some(code) => Some(find(&store, &code, None, today()).await?.id),
                None => None,
            };
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => (
                    thidua_app::auth::random_secret("")?
                        .chars()
                        .take(16)
                        .collect(),
                    true,
                ),
            };
            let id = thidua_app::auth::create_user(
                &store,
                &cli_who(),
                &login,
                &name,
                role,
                unit,
                &password,
            )
            .await?;
            println!("Đã tạo tài khoản {login} (id {id}).");
            if generated {
                println!("Mật khẩu ban đầu: {password}");
            }
        }
        Command::User(UserCommand::List { json }) => {
            let store = open(&cli.db).await?;
            let (users, _) = store.users_page("", None, "login", 0, 10_000).await?;
            if json {
                print_json(&users)?;
            } else {
                for u in &users {
                    println!(
                        "{}\t{}\t{}\t{}",
                        u.login,
                        u.full_name,
                        u.role.label(),
                        if u.active { "" } else { "đã khóa" }
                    );
                }
            }
        }
        Command::Token(TokenCommand::Create { login, name }) => {
            let store = open(&cli.db).await?;
            let (user, _) = store
                .user_for_login(&login)
                .await?
                .ok_or_else(|| anyhow!("không có tài khoản «{login}»"))?;
            let (_, token) =
                thidua_app::auth::create_token(&store, &cli_who(), user.id, &name).await?;
            println!("{token}");
        }
        Command::Calendar(cmd) => calendar_cmd::run_calendar(&cli.db, cmd).await?,
        Command::Dossier(cmd) => calendar_cmd::run_dossier(&cli.db, cmd).await?,
        Command::Decision(cmd) => registry_cmd::run_decision(&cli.db, cmd).await?,
        Command::Registry(cmd) => registry_cmd::run_registry(&cli.db, cmd).await?,
        Command::Stats(cmd) => registry_cmd::run_stats(&cli.db, cmd).await?,
        Command::Cluster(cmd) => cluster_cmd::run_cluster(&cli.db, cmd).await?,
        Command::Eligibility(EligibilityCommand::Check { file }) => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)
                    .with_context(|| format!("không đọc được {}", file.display()))?
            };
            let fail = |field: &str, message: String| -> Result<()> {
                print_json(&serde_json::json!({"error": {"field": field, "message": message}}))?;
                Err(anyhow!("yêu cầu không hợp lệ: {field}: {message}"))
            };
            let req = match thidua_app::eligibility::parse_request(&text) {
                Ok(r) => r,
                Err(e) => return fail(&e.field, e.message),
            };
            match thidua_domain::eligibility::check(&req) {
                Ok(v) => print_json(&v)?,
                Err(e) => return fail(&e.field, e.message),
            }
        }
        Command::Movement(cmd) => movement_cmd::run_movement(&cli.db, cmd).await?,
        Command::Values(cmd) => movement_cmd::run_values(&cli.db, cmd).await?,
        Command::Report(cmd) => movement_cmd::run_report(&cli.db, cmd).await?,
        Command::Audit(AuditCommand::Verify) => {
            let store = open(&cli.db).await?;
            match store.audit_verify().await? {
                Ok(n) => println!("Nhật ký toàn vẹn: {n} mục đã kiểm tra."),
                Err(e) => {
                    eprintln!("Nhật ký KHÔNG toàn vẹn: {e}");
                    return Err(anyhow!("audit chain broken"));
                }
            }
        }
        Command::Bench(BenchCommand::Load {
            sessions,
            seconds,
            json,
        }) => {
            let store = open_with_demo(&cli.db).await?;
            let cookies: Vec<String> = open_sessions(&store, "hoa.snv", sessions)
                .await?
                .into_iter()
                .map(|(cookie, _)| cookie)
                .collect();
            let province = find(&store, "68", Some(CodeList::Y2025), today()).await?;
            let config = thidua_web::WebConfig::default();
            let addr = thidua_web::spawn(store.clone(), config).await?;
            let base = format!("http://{addr}");
            let engine = store.engine();
            let mut results = Vec::new();
            for path in [
                format!("/to-chuc/{}", province.id.0),
                "/api/v1/units?kind=commune&per_page=50".to_owned(),
                // The movement dashboard and the public posting page, which
                // once fell to 17 requests a second under 50 clients.
                "/phong-trao/NTM-DNO-2021/bao-cao".to_owned(),
                "/cong-khai".to_owned(),
            ] {
                let r = bench::load(&base, &path, &cookies, seconds).await?;
                if !json {
                    println!("{engine}: {r}");
                }
                results.push(r);
            }
            if json {
                print_json(&results)?;
            }
        }
        Command::Bench(BenchCommand::Mixed {
            clients,
            seconds,
            json,
        }) => {
            let store = open_with_demo(&cli.db).await?;
            // A third each: the province officer, the xã officer who enters
            // values, the viewer.
            let mut all = Vec::with_capacity(clients);
            for (login, role) in [
                ("hoa.snv", bench_mixed::Role::Province),
                ("son.xa", bench_mixed::Role::Commune),
                ("xem", bench_mixed::Role::Viewer),
            ] {
                let share = clients / 3 + usize::from(all.is_empty()) * (clients % 3);
                for (cookie, csrf) in open_sessions(&store, login, share).await? {
                    all.push(bench_mixed::Client { cookie, csrf, role });
                }
            }
            let commune = find(&store, "24616", None, today()).await?;
            let movement = store
                .movement_by_code(&thidua_domain::movement::MovementCode::parse(
                    "NTM-LD-2026",
                )?)
                .await?
                .ok_or_else(|| anyhow!("thiếu phong trào mẫu NTM-LD-2026"))?;
            let criteria = store
                .indicators(movement.id)
                .await?
                .into_iter()
                .filter(|i| !i.def.is_derived())
                .map(|i| i.id)
                .collect();
            let addr = thidua_web::spawn(
                store.clone(),
                thidua_web::WebConfig {
                    logins_per_minute: 1_000_000,
                    ..thidua_web::WebConfig::default()
                },
            )
            .await?;
            let day = |d: Date| thidua_domain::date::VnDate(d).to_string();
            let plan = bench_mixed::Plan {
                base: format!("http://{addr}"),
                commune: commune.id.0,
                commune_code: commune.code.clone(),
                criteria,
                post_from: day(today()),
                post_until: day(today() + time::Duration::days(14)),
                login: "xem".into(),
                password: thidua_app::demo::DEMO_PASSWORD.into(),
            };
            let result = bench_mixed::mixed(plan, all, seconds).await?;
            if json {
                print_json(&result)?;
            } else {
                println!("{}: {result}", store.engine());
            }
        }
        Command::Bench(BenchCommand::Rollup { years, runs, json }) => {
            let store = open(&cli.db).await?;
            let bar = progress_bar(years as u64, "Nhập và duyệt số liệu theo năm");
            let result =
                bench::rollup(&store, years, runs, &|done, _| bar.set_position(done)).await?;
            bar.finish_and_clear();
            if json {
                print_json(&result)?;
            } else {
                println!("{result}");
            }
        }
        Command::Bench(BenchCommand::Eligibility { people, json }) => {
            let result = bench::eligibility(people)?;
            if json {
                print_json(&result)?;
            } else {
                println!("{result}");
            }
        }
        Command::Bench(BenchCommand::Search {
            people,
            awards,
            runs,
            reuse,
            import_rows,
            json,
        }) => {
            let store = open(&cli.db).await?;
            let result =
                bench_search::search(&store, people, awards, runs, reuse, import_rows, today())
                    .await?;
            if json {
                print_json(&result)?;
            } else {
                println!("{result}");
            }
        }
        Command::Bench(BenchCommand::Registry { runs, json }) => {
            let store = open(&cli.db).await?;
            let result = bench::registry(&store, runs).await?;
            if json {
                print_json(&result)?;
            } else {
                println!("{result}");
            }
        }
    }
    Ok(())
}

/// The database, seeded with the demo if it is empty (the load benchmarks
/// log in as the demo's accounts).
async fn open_with_demo(db: &DbArg) -> Result<Store> {
    let store = open(db).await?;
    if store.count_units().await? == 0 {
        run_demo(&store).await?;
    }
    Ok(store)
}

/// Sessions opened directly for `login` (the benchmarks measure requests,
/// not argon2): (cookie, CSRF token) each, valid for an hour.
async fn open_sessions(store: &Store, login: &str, n: usize) -> Result<Vec<(String, String)>> {
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

async fn find(
    store: &Store,
    code: &str,
    list: Option<CodeList>,
    date: Date,
) -> Result<thidua_store::UnitRow> {
    store.resolve_code(code, list, date).await?.ok_or_else(|| {
        anyhow!(
            "không có đơn vị nào mang mã «{code}» vào ngày {}",
            VnDate(date)
        )
    })
}

async fn org(db: &DbArg, cmd: OrgCommand) -> Result<()> {
    let store = open(db).await?;
    match cmd {
        OrgCommand::List {
            kind,
            as_of,
            parent,
            json,
        } => {
            let date = as_of.unwrap_or_else(today);
            let mut units = match &parent {
                Some(code) => {
                    let p = find(&store, code, None, date).await?;
                    store.children_as_of(p.id, date).await?
                }
                None => store.units_as_of(date, kind).await?,
            };
            if let (Some(k), Some(_)) = (kind, &parent) {
                units.retain(|u| u.kind == k);
            }
            if json {
                print_json(&units)?;
            } else {
                for u in &units {
                    println!(
                        "{}\t{}\t{}",
                        u.code,
                        u.name,
                        u.admin_type.as_deref().unwrap_or(u.kind.label())
                    );
                }
                eprintln!("{} đơn vị vào ngày {}.", units.len(), VnDate(date));
            }
        }
        OrgCommand::Show {
            code,
            as_of,
            list,
            json,
        } => {
            let date = as_of.unwrap_or_else(today);
            let view = org_view::by_code(&store, &code, list, date)
                .await?
                .ok_or_else(|| {
                    anyhow!(
                        "không có đơn vị nào mang mã «{code}» vào ngày {}",
                        VnDate(date)
                    )
                })?;
            if json {
                print_json(&view)?;
            } else {
                print_view(&view);
            }
        }
        OrgCommand::Add {
            code,
            name,
            kind,
            parent,
            from,
        } => {
            let date = from.unwrap_or_else(today);
            let parent = match parent {
                Some(p) => Some(find(&store, &p, None, date).await?.id),
                None => None,
            };
            let code = UnitCode::parse(&code)?;
            let id = store
                .create_unit(
                    &cli_who(),
                    &NewUnit {
                        code: code.clone(),
                        kind,
                        admin_type: None,
                        name,
                        short_name: None,
                        parent,
                        valid_from: from,
                    },
                )
                .await?;
            println!("Đã thêm đơn vị {code} (id {}).", id.0);
        }
        OrgCommand::Move {
            code,
            parent,
            date,
            document,
        } => {
            let child = find(&store, &code, None, date).await?;
            let p = find(&store, &parent, None, date).await?;
            store
                .reparent(&cli_who(), child.id, p.id, date, document.as_deref())
                .await?;
            println!("Từ {}, {} trực thuộc {}.", VnDate(date), child.name, p.name);
        }
        OrgCommand::Rename {
            code,
            name,
            date,
            document,
        } => {
            let u = find(&store, &code, None, date).await?;
            store
                .rename(&cli_who(), u.id, &name, date, document.as_deref())
                .await?;
            println!(
                "Từ {}, {} đổi tên thành {}.",
                VnDate(date),
                u.name,
                name.trim()
            );
        }
    }
    Ok(())
}

fn print_view(v: &org_view::UnitView) {
    let u = &v.unit;
    println!("{} — mã {} ({})", u.name, u.code, u.code_list.as_str());
    println!(
        "Loại: {}{}",
        u.kind.label(),
        u.admin_type
            .as_deref()
            .map(|t| format!(" · {t}"))
            .unwrap_or_default()
    );
    println!("Hiệu lực: {}", u.period);
    println!("Ngày xem: {}", VnDate(v.as_of));
    if !v.ancestors.is_empty() {
        println!("Trực thuộc: {}", v.path());
    }
    if !v.valid_on_date {
        println!("Đơn vị không còn tồn tại vào ngày {}.", VnDate(v.as_of));
        for b in &v.became {
            let path: Vec<&str> = b.ancestors.iter().rev().map(|a| a.name.as_str()).collect();
            println!(
                "  → trở thành {}{} ({}), thuộc {}{}",
                if b.link.partial {
                    "một phần của "
                } else {
                    ""
                },
                b.link.unit.name,
                b.link.unit.code,
                path.join(" › "),
                if b.link.primary { " [chính]" } else { "" }
            );
        }
    }
    for p in &v.predecessors {
        println!(
            "Hình thành từ: {} ({}) — {} {}",
            p.unit.name,
            p.unit.code,
            p.kind.label().to_lowercase(),
            VnDate(p.effective)
        );
    }
    if v.valid_on_date {
        for s in &v.successors {
            println!(
                "Trở thành: {} ({}) — {} {}",
                s.unit.name,
                s.unit.code,
                s.kind.label().to_lowercase(),
                VnDate(s.effective)
            );
        }
    }
    println!("Đơn vị trực thuộc: {}", v.children.len());
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("THIDUA_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lỗi: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(AppError::Import(problems)) = e.downcast_ref::<AppError>() {
                for p in problems {
                    eprintln!("{p}");
                }
                eprintln!(
                    "Từ chối nhập: {} lỗi; cơ sở dữ liệu không thay đổi.",
                    problems.len()
                );
                return ExitCode::from(2);
            }
            eprintln!("lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}
