//! `thidua`: the one binary. Every subcommand works on the database named by
//! `--db` (or `THIDUA_DB`), by default the embedded SQLite file `serve` uses.

mod args;
mod common;
mod config;
mod org_cmd;

use args::*;
use common::*;
use org_cmd::*;

use anyhow::{Context, Result, anyhow};
use std::process::ExitCode;
use thidua_app::{AppError, admin_units, demo};
use thidua_domain::org::CodeList;
use thidua_store::Who;
use time::Date;

mod bench;
mod bench_dashboard;
mod bench_mixed;
mod bench_names;
mod bench_page;
mod bench_run;
mod bench_scale;
mod bench_search;
mod calendar_cmd;
mod cluster_cmd;
mod movement_cmd;
mod ops_cmd;
mod person_cmd;
mod registry_cmd;
mod sweep_cmd;

async fn run(cli: Cli, config: config::Loaded) -> Result<()> {
    match cli.command {
        Command::Config(ConfigCommand::Check { json }) => {
            let lines = config.effective();
            if json {
                print_json(&serde_json::json!({
                    "file": config.file.as_ref().map(|p| p.display().to_string()),
                    "settings": lines,
                }))?;
            } else {
                match &config.file {
                    Some(p) => println!("Cấu hình có hiệu lực (tệp {}):", p.display()),
                    None => println!("Cấu hình có hiệu lực (không có tệp cấu hình):"),
                }
                for l in lines {
                    println!(
                        "  {:<18} = {:<32} ← {}",
                        l.name,
                        l.value.to_string(),
                        l.source
                    );
                    println!("  {:<18}   {}", "", l.description);
                }
            }
        }
        Command::Serve {
            demo: with_demo,
            ref db_replicas,
            ..
        } => {
            let config::Settings {
                addr,
                behind_tls,
                logins_per_minute,
                trusted_proxies,
                metrics_token,
                ..
            } = config.settings.clone();
            let store = open(&cli.db).await?.with_replicas(db_replicas)?;
            if with_demo {
                run_demo(&store).await?;
            }
            thidua_app::eligibility::ensure_catalogue(&store, &Who::system("catalogue")).await?;
            let engine = store.engine();
            if with_demo {
                println!(
                    "Tài khoản mẫu: admin, hoa.snv, yquang.xa, lan.stc, thu.snv, hung.hd, minh.ld, xem — mật khẩu {}",
                    demo::DEMO_PASSWORD
                );
            }
            let config = thidua_web::WebConfig {
                secure_cookies: behind_tls,
                logins_per_minute,
                trusted_proxies,
                metrics_token,
                ..thidua_web::WebConfig::default()
            };
            // The registry's snapshot and name index are built after the
            // server answers; searches read the database until then.
            let (slot, primary) = (config.snapshot.clone(), store.clone());
            tokio::spawn(async move {
                let t = std::time::Instant::now();
                match slot.build(&primary).await {
                    Ok(()) => tracing::info!(
                        seconds = t.elapsed().as_secs_f64(),
                        "registry snapshot built"
                    ),
                    Err(e) => {
                        tracing::warn!(error = %e, "registry snapshot not built; searches read the database")
                    }
                }
            });
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
            let files = match &dir {
                Some(dir) => admin_units::read_dir(dir)?,
                None => admin_units::embedded_files(),
            };
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
        Command::Person(cmd) => person_cmd::run_person(&cli.db, cmd).await?,
        Command::Staff(cmd) => person_cmd::run_staff(&cli.db, cmd).await?,
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
        Command::Eligibility(EligibilityCommand::Sweep {
            code,
            year,
            decided,
            unit,
            json,
        }) => sweep_cmd::run(&cli.db, &code, year, decided, unit, json).await?,
        Command::Movement(cmd) => movement_cmd::run_movement(&cli.db, cmd).await?,
        Command::Values(cmd) => movement_cmd::run_values(&cli.db, cmd).await?,
        Command::Report(cmd) => movement_cmd::run_report(&cli.db, cmd).await?,
        Command::Backup { file, json } => ops_cmd::backup(&cli.db, file, json).await?,
        Command::Restore { file, json } => ops_cmd::restore(&cli.db, file, json).await?,
        Command::MigrateData { from, to, json } => ops_cmd::migrate_data(&from, &to, json).await?,
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
        Command::Bench(BenchCommand::Dashboard { runs, json }) => {
            let store = open_with_demo(&cli.db).await?;
            let (cookie, _) = open_sessions(&store, "hoa.snv", 1)
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| anyhow!("không mở được phiên của hoa.snv"))?;
            // Lâm Đồng's 2026 movement (124 communes today) and former Đắk
            // Nông's 2021–2025 one, whose province the reform ended.
            let movements = ["NTM-LD-2026", "NTM-DNO-2021"];
            let addr = thidua_web::spawn(store.clone(), thidua_web::WebConfig::default()).await?;
            let cold =
                bench_dashboard::dashboards(&format!("http://{addr}"), &cookie, &movements, runs)
                    .await?;
            let reports = std::sync::Arc::new(thidua_web::ReportCache::default());
            let started = std::time::Instant::now();
            reports.warm(&store, today()).await?;
            let warm_up_ms = started.elapsed().as_secs_f64() * 1000.0;
            let addr =
                thidua_web::spawn_with(store.clone(), thidua_web::WebConfig::default(), reports)
                    .await?;
            let warmed =
                bench_dashboard::dashboards(&format!("http://{addr}"), &cookie, &movements, runs)
                    .await?;
            let result = bench_dashboard::DashboardBench {
                engine: store.engine().to_string(),
                target_ms: bench_dashboard::TARGET_MS,
                runs,
                cold,
                warm_up_ms,
                warmed,
            };
            if json {
                print_json(&result)?;
            } else {
                print!("{result}");
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
        Command::Bench(BenchCommand::Generate {
            scale,
            seed,
            people,
            json,
        }) => {
            let scale = bench_scale::scale(&scale, people)?;
            let store = open(&cli.db).await?;
            let g = bench_scale::generate_with_progress(&store, scale, seed).await?;
            if json {
                print_json(&g)?;
            } else {
                println!("{}", bench_scale::describe(&g));
            }
        }
        Command::Bench(BenchCommand::Run {
            scale,
            seed,
            people,
            runs,
            pg,
            dir,
            fresh,
            json,
        }) => {
            let scale = bench_scale::scale(&scale, people)?;
            let report = bench_run::run(scale, seed, runs, pg, dir, fresh).await?;
            if json {
                print_json(&report)?;
            } else {
                println!("{report}");
            }
            if let Some(f) = report.figures.iter().find(|f| !f.agree) {
                anyhow::bail!("«{}»: thidua và các bên so sánh trả lời khác nhau", f.name);
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

fn main() -> ExitCode {
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let mut cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let config = match config::load(&matches) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lỗi: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    // A benchmark's slow statements are what it measures, not news.
    let default = if matches!(cli.command, Command::Bench(_)) {
        "warn,sqlx::query=error"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("THIDUA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.settings.log_format {
        config::LogFormat::Json => logs.json().init(),
        config::LogFormat::Text => logs.init(),
    }
    cli.db.url = config.settings.db.clone();
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
    match rt.block_on(run(cli, config)) {
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
