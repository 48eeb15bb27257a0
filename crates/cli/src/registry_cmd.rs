//! `thidua decision …`, `thidua registry search`, `thidua stats awards` —
//! decisions as documents, the registry and its counts for scripts.

use crate::common::{DbArg, open, print_json, today};
use anyhow::{Context, Result, anyhow};
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;
use thidua_app::decisions::{self, Format};
use thidua_app::registry::{self, Search};
use thidua_app::report::Boundaries;
use thidua_app::stats::{self, StatsQuery};
use thidua_domain::VnDate;
use thidua_store::{Store, SubjectFilter};

#[derive(Subcommand)]
pub enum DecisionCommand {
    /// Decisions, newest first
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print a decision with its list as PDF or DOCX
    Render {
        /// Its number, e.g. 123/QĐ-UBND (or #ID)
        number: String,
        #[arg(long, default_value = "pdf")]
        format: String,
        /// Output file
        #[arg(short, long)]
        output: PathBuf,
        /// The certificates (one page per award) instead of the decision
        #[arg(long)]
        certificates: bool,
    },
}

#[derive(Subcommand)]
pub enum RegistryCommand {
    /// Search awards and titles by name (diacritics and small typos forgiven)
    Search {
        query: String,
        /// Catalogue code of the form or title (repeatable)
        #[arg(long = "code")]
        codes: Vec<String>,
        #[arg(long)]
        from: Option<i32>,
        #[arg(long)]
        to: Option<i32>,
        #[arg(long)]
        issuer: Option<String>,
        /// A unit code; its subtree counts
        #[arg(long)]
        unit: Option<String>,
        /// current (after 01/07/2025) or legacy
        #[arg(long, default_value = "current")]
        boundaries: String,
        #[arg(long, default_value_t = 200)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Write the XLSX template for importing historical awards
    Template {
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Import historical awards from the XLSX template: every row checked
    /// first, then all written in one transaction, or nothing
    Import {
        file: PathBuf,
        /// Only check and show what would be written
        #[arg(long)]
        check: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct ImportJson {
    file: String,
    sha256: String,
    rows: usize,
    written: bool,
    seconds: f64,
}

#[derive(Subcommand)]
pub enum StatsCommand {
    /// Award counts by year, form, issuer and movement, with the report sentence
    Awards {
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long = "code")]
        codes: Vec<String>,
        #[arg(long)]
        from: Option<i32>,
        #[arg(long)]
        to: Option<i32>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, default_value = "current")]
        boundaries: String,
        /// Only the awards of one movement (its code)
        #[arg(long)]
        movement: Option<String>,
        /// Only the decisions of one kind of office: chu_tich_ubnd_tinh,
        /// chu_tich_ubnd_xa, chu_tich_ubnd_huyen, thu_truong_co_quan,
        /// bo_truong, thu_tuong, chu_tich_nuoc
        #[arg(long)]
        issuer_kind: Option<String>,
        /// Also write the tables (and Biểu 0602.N) as XLSX
        #[arg(long)]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

async fn unit_filter(
    store: &Store,
    code: Option<&str>,
    boundaries: &str,
) -> Result<Option<(thidua_domain::org::UnitId, Boundaries)>> {
    let Some(code) = code else { return Ok(None) };
    let b = Boundaries::parse(boundaries).map_err(|e| anyhow!("{e}"))?;
    let day = match b {
        Boundaries::Current => today(),
        Boundaries::Legacy => registry::LEGACY_DAY,
    };
    let u = store
        .resolve_code(code, None, day)
        .await?
        .ok_or_else(|| anyhow!("không có đơn vị mã {code} vào ngày {}", VnDate(day)))?;
    Ok(Some((u.id, b)))
}

#[derive(Serialize)]
struct DecisionJson {
    id: thidua_domain::decision::DecisionId,
    number: String,
    date: String,
    kind: &'static str,
    issuer: String,
    signer: String,
    lines: i64,
    refers_to: Option<i64>,
    dossier: Option<i64>,
}

pub async fn run_decision(db: &DbArg, cmd: DecisionCommand) -> Result<()> {
    let store = open(db).await?;
    match cmd {
        DecisionCommand::List { json } => {
            let rows: Vec<DecisionJson> = store
                .decisions(None, 10_000)
                .await?
                .into_iter()
                .map(|d| DecisionJson {
                    id: d.id,
                    number: d.number.clone(),
                    date: d.decision_date.to_string(),
                    kind: d.kind().as_str(),
                    issuer: d.issuer.clone(),
                    signer: d.signer.clone(),
                    lines: d.lines,
                    refers_to: d.refers_to,
                    dossier: d.dossier_id,
                })
                .collect();
            if json {
                print_json(&rows)?;
            } else {
                for d in rows {
                    println!(
                        "{:<16} {}  {:<10} {:>4} dòng  {}",
                        d.number, d.date, d.kind, d.lines, d.issuer
                    );
                }
            }
        }
        DecisionCommand::Render {
            number,
            format,
            output,
            certificates,
        } => {
            let id = match number.strip_prefix('#') {
                Some(id) => id
                    .parse()
                    .map(thidua_domain::decision::DecisionId)
                    .map_err(|_| anyhow!("mã quyết định không hợp lệ: {number}"))?,
                None => {
                    let found = store.decisions(Some(number.trim()), 10).await?;
                    match found.as_slice() {
                        [one] => one.id,
                        [] => return Err(anyhow!("không có quyết định số {number}")),
                        many => {
                            return Err(anyhow!(
                                "có {} quyết định số {number} (của các cấp khác nhau); dùng #ID: {}",
                                many.len(),
                                many.iter()
                                    .map(|d| format!("#{} ({})", d.id, d.issuer))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ));
                        }
                    }
                }
            };
            let bytes = if certificates {
                decisions::certificates(&store, id).await?
            } else {
                decisions::render(&store, id, Format::parse(&format)?).await?
            };
            std::fs::write(&output, &bytes)
                .with_context(|| format!("không ghi được {}", output.display()))?;
            eprintln!("Đã ghi {} ({} byte)", output.display(), bytes.len());
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct HitJson {
    kind: String,
    person_id: Option<i64>,
    unit_id: Option<i64>,
    name: String,
    birth_date: Option<String>,
    code: String,
    decision_number: Option<String>,
    decision_date: Option<String>,
    issuer: Option<String>,
    period: Option<String>,
    status: String,
    unit: Option<String>,
}

#[derive(Serialize)]
struct SearchJson {
    query: String,
    corrections: Vec<(String, Vec<String>)>,
    count: usize,
    hits: Vec<HitJson>,
}

pub async fn run_registry(db: &DbArg, cmd: RegistryCommand) -> Result<()> {
    let store = open(db).await?;
    let (query, codes, from, to, issuer, unit, boundaries, limit, json) = match cmd {
        RegistryCommand::Search {
            query,
            codes,
            from,
            to,
            issuer,
            unit,
            boundaries,
            limit,
            json,
        } => (
            query, codes, from, to, issuer, unit, boundaries, limit, json,
        ),
        RegistryCommand::Template { output } => {
            let bytes = thidua_app::registry_import::template(&store).await?;
            std::fs::write(&output, bytes)
                .with_context(|| format!("không ghi được {}", output.display()))?;
            println!("Đã ghi mẫu nhập sổ khen thưởng: {}", output.display());
            return Ok(());
        }
        RegistryCommand::Import { file, check, json } => {
            return import(&store, &file, check, json).await;
        }
    };
    let s = Search {
        text: query.clone(),
        codes,
        year_from: from,
        year_to: to,
        issuer,
        unit: unit_filter(&store, unit.as_deref(), &boundaries).await?,
        movement: None,
        subjects: SubjectFilter::Any,
        include_revoked: false,
        limit,
    };
    let found = registry::search_in(&store, None, None, &s).await?;
    let hits: Vec<HitJson> = found
        .hits
        .into_iter()
        .map(|h| HitJson {
            kind: h.source,
            person_id: h.person_id,
            unit_id: h.unit_id,
            name: h.subject_name,
            birth_date: h.birth_date.map(|d| d.to_string()),
            code: h.code,
            decision_number: h.decision_number,
            decision_date: h.decision_date.map(|d| d.to_string()),
            issuer: h.issuer,
            period: match (h.period_from, h.period_to) {
                (Some(a), Some(b)) if a != b => Some(format!("{a}–{b}")),
                (_, Some(b)) => Some(b.to_string()),
                _ => None,
            },
            status: h.status,
            unit: h.subject_unit,
        })
        .collect();
    if json {
        print_json(&SearchJson {
            query,
            corrections: found.corrections,
            count: hits.len(),
            hits,
        })?;
    } else {
        for (typed, read) in &found.corrections {
            println!("(đã tìm cả {} cho «{typed}»)", read.join(", "));
        }
        for h in &hits {
            println!(
                "{:<28} {:<28} {:<16} {}  {}",
                h.name,
                h.code,
                h.decision_number.as_deref().unwrap_or("—"),
                h.decision_date.as_deref().unwrap_or(""),
                h.unit.as_deref().unwrap_or("")
            );
        }
        println!("{} kết quả", hits.len());
    }
    Ok(())
}

pub async fn run_stats(db: &DbArg, cmd: StatsCommand) -> Result<()> {
    let store = open(db).await?;
    let StatsCommand::Awards {
        issuer,
        codes,
        from,
        to,
        unit,
        boundaries,
        movement,
        issuer_kind,
        xlsx,
        json,
    } = cmd;
    let issuer_kind = issuer_kind
        .as_deref()
        .map(thidua_domain::eligibility::catalogue::Authority::parse)
        .transpose()
        .map_err(|e| anyhow!("--issuer-kind: {e}"))?;
    let movement = match movement {
        Some(code) => {
            let c = thidua_domain::movement::MovementCode::parse(&code)?;
            Some(
                store
                    .movement_by_code(&c)
                    .await?
                    .ok_or_else(|| anyhow!("không có phong trào mã «{code}»"))?
                    .id,
            )
        }
        None => None,
    };
    let q = StatsQuery {
        codes,
        issuer,
        year_from: from,
        year_to: to,
        unit: unit_filter(&store, unit.as_deref(), &boundaries).await?,
        movement,
        issuer_kind,
    };
    let s = stats::award_stats_in(&store, None, today(), &q).await?;
    if let Some(path) = xlsx {
        std::fs::write(&path, stats::stats_xlsx(&s)?)
            .with_context(|| format!("không ghi được {}", path.display()))?;
    }
    if json {
        print_json(&s)?;
    } else {
        println!("{}", s.sentence);
        for (y, t) in &s.by_year {
            println!("{y}: {} tập thể, {} cá nhân", t.collectives, t.individuals);
        }
    }
    Ok(())
}

/// `thidua registry import`: the command line holds the database itself,
/// so it imports as the system, in every unit's scope.
async fn import(store: &Store, file: &std::path::Path, check: bool, json: bool) -> Result<()> {
    use thidua_app::movements::Enterer;
    use thidua_app::registry_import;
    let bytes = crate::common::read_input_file(file)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(format!(
        "{} «{name}»",
        if check {
            "kiểm tra"
        } else {
            "kiểm tra và ghi"
        }
    ));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let started = std::time::Instant::now();
    let who = thidua_store::Who::system("registry-import");
    let result = if check {
        registry_import::preview(store, Enterer::System, today(), &name, &bytes).await
    } else {
        registry_import::import(store, &who, Enterer::System, today(), &name, &bytes)
            .await
            .map(|(plan, _)| plan)
    };
    bar.finish_and_clear();
    let plan = result?;
    let seconds = started.elapsed().as_secs_f64();
    if json {
        print_json(&ImportJson {
            file: plan.file.clone(),
            sha256: plan.sha256.clone(),
            rows: plan.rows.len(),
            written: !check,
            seconds,
        })?;
    } else {
        for r in plan.rows.iter().take(20) {
            println!(
                "dòng {:>5}  {:<28} {:<40} {} ngày {}",
                r.line, r.subject, r.form, r.decision_number, r.decision_date
            );
        }
        if plan.rows.len() > 20 {
            println!("… và {} dòng nữa", plan.rows.len() - 20);
        }
        println!(
            "{} {} dòng từ «{}» ({:.1} s)",
            if check {
                "Hợp lệ, sẽ ghi"
            } else {
                "Đã ghi"
            },
            plan.rows.len(),
            plan.file,
            seconds
        );
    }
    Ok(())
}
