//! `thidua movement …`, `thidua values …` and `thidua report movement …`.

use crate::common::{DbArg, cli_who, open, parse_date, print_json, today};
use anyhow::{Context, Result, anyhow};
use clap::Subcommand;
use std::path::PathBuf;
use thidua_app::movements::{self, Enterer};
use thidua_app::report::{self, Boundaries, MovementReport};
use thidua_domain::date::VnDate;
use thidua_domain::movement::{MovementCode, MovementStatus};
use thidua_store::{MovementRow, Review, Store};
use time::Date;

#[derive(Subcommand)]
pub enum MovementCommand {
    /// List movements (phong trào thi đua)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one movement with its indicators
    Show {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Create a movement from a TOML file (format: docs/formats/movement.md)
    Import { file: PathBuf },
    /// Write a movement as a TOML file that `movement import` reads
    Export {
        code: String,
        /// Output file (default: standard output)
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Move a movement along its lifecycle: launched, running, interim-review, final-review, closed
    Status {
        code: String,
        status: String,
        /// Date of the review (sơ kết / tổng kết), dd/mm/yyyy
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// The review's report (báo cáo sơ kết / tổng kết)
        #[arg(long)]
        report: Option<String>,
        /// Document number of the report, e.g. 123/BC-UBND
        #[arg(long)]
        doc: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ValuesCommand {
    /// Import indicator values from CSV or XLSX (columns: Mã đơn vị, Kỳ, Mã chỉ tiêu, Giá trị[, Ghi chú]); all rows or none
    Import {
        movement: String,
        file: PathBuf,
        /// Approve the imported values at once (the province entering its own figures)
        #[arg(long)]
        approve: bool,
    },
    /// Write the XLSX entry template of a movement for a period (every entering unit)
    Template {
        movement: String,
        /// Period: 2026, Q2/2026 or 31/12/2026, as the indicators are kept
        #[arg(long)]
        period: String,
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// A movement's figures for a unit (or the whole country) on a day
    Movement {
        code: String,
        /// Unit code (default: the whole country)
        #[arg(long)]
        unit: Option<String>,
        /// Day of the figures (default: today)
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// legacy (before 01/07/2025) or current; default: the map of that day
        #[arg(long)]
        boundaries: Option<String>,
        #[arg(long)]
        json: bool,
        /// Also write the tables as XLSX
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// With --to: the figures of each year of a period and its total
        /// (sơ kết, tổng kết giai đoạn), with the awards of the movement
        #[arg(long, requires = "to")]
        from: Option<i32>,
        #[arg(long, requires = "from")]
        to: Option<i32>,
    },
}

pub async fn movement_by_code(store: &Store, code: &str) -> Result<MovementRow> {
    let c = MovementCode::parse(code)?;
    store
        .movement_by_code(&c)
        .await?
        .ok_or_else(|| anyhow!("không có phong trào mã {code}"))
}

fn d(date: Option<Date>) -> String {
    date.map(|d| VnDate(d).to_string())
        .unwrap_or_else(|| "…".to_owned())
}

pub async fn run_movement(db: &DbArg, cmd: MovementCommand) -> Result<()> {
    let store = open(db).await?;
    match cmd {
        MovementCommand::List { json } => {
            let list = store.movements().await?;
            if json {
                let rows: Vec<serde_json::Value> = list
                    .iter()
                    .map(|m| {
                        serde_json::json!({
                            "code": m.code, "name": m.name, "kind": m.kind, "level": m.level,
                            "status": m.status, "start": VnDate(m.start).iso(),
                            "end": m.end.map(|e| VnDate(e).iso()),
                            "document": m.doc_number,
                        })
                    })
                    .collect();
                print_json(&rows)?;
            } else {
                for m in list {
                    println!(
                        "{:<14} {:<14} {:<16} {} – {}  {}",
                        m.code,
                        m.kind.label(),
                        m.status.label(),
                        VnDate(m.start),
                        d(m.end),
                        m.name
                    );
                }
            }
        }
        MovementCommand::Show { code, json } => {
            let m = movement_by_code(&store, &code).await?;
            let indicators = store.indicators(m.id).await?;
            if json {
                print_json(&serde_json::json!({ "movement": m, "indicators": indicators }))?;
            } else {
                println!("{} — {}", m.code, m.name);
                println!(
                    "{} · {} · {} · {} – {}",
                    m.kind.label(),
                    m.level.label(),
                    m.status.label(),
                    VnDate(m.start),
                    d(m.end)
                );
                if let Some(n) = &m.doc_number {
                    println!(
                        "Văn bản phát động: {n} {}",
                        m.doc_date
                            .map(|x| format!("ngày {}", VnDate(x)))
                            .unwrap_or_default()
                    );
                }
                for i in indicators {
                    let how = if let Some(f) = &i.def.formula {
                        format!("= {f}")
                    } else {
                        format!(
                            "nhập theo {} ({})",
                            i.def.period.label().to_lowercase(),
                            i.def.entry.noun()
                        )
                    };
                    println!(
                        "  {:<8} {} [{}] {how}",
                        i.def.code,
                        i.def.name,
                        i.def.measure.label()
                    );
                }
            }
        }
        MovementCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("không đọc được {}", file.display()))?;
            let new = movements::parse_movement_file(&store, &text).await?;
            let id = store.create_movement(&cli_who(), &new).await?;
            println!(
                "Đã tạo phong trào {} (#{id}) với {} chỉ tiêu, ở trạng thái dự thảo.",
                new.code,
                new.indicators.len()
            );
        }
        MovementCommand::Export { code, output } => {
            let m = movement_by_code(&store, &code).await?;
            let text = movements::export_movement_file(&store, &m).await?;
            match output {
                Some(p) => std::fs::write(&p, text)?,
                None => print!("{text}"),
            }
        }
        MovementCommand::Status {
            code,
            status,
            date,
            report,
            doc,
        } => {
            let m = movement_by_code(&store, &code).await?;
            let to = MovementStatus::parse(&status.replace('-', "_"))?;
            let review = match (date, report) {
                (Some(held_on), Some(report)) => Some(Review {
                    held_on,
                    doc_number: doc
                        .as_deref()
                        .map(thidua_domain::document::DocumentNumber::parse)
                        .transpose()?,
                    report,
                }),
                _ => None,
            };
            store
                .set_movement_status(&cli_who(), m.id, to, review.as_ref())
                .await?;
            println!("Phong trào {} chuyển sang «{}».", m.code, to.label());
        }
    }
    Ok(())
}

pub async fn run_values(db: &DbArg, cmd: ValuesCommand) -> Result<()> {
    let store = open(db).await?;
    match cmd {
        ValuesCommand::Import {
            movement,
            file,
            approve,
        } => {
            let m = movement_by_code(&store, &movement).await?;
            let bytes = crate::common::read_input_file(&file)?;
            let name = file.display().to_string();
            let raw = movements::parse_value_file(&name, bytes).await?;
            let who = cli_who();
            let report = if approve {
                movements::enter_approved_values(&store, &who, &m, &name, &raw, today()).await?
            } else {
                movements::enter_values(&store, &who, Enterer::System, &m, &name, &raw, today())
                    .await?
            };
            println!(
                "Đã nhập {} giá trị mới, {} giá trị sửa, {} không đổi.",
                report.inserted, report.updated, report.unchanged
            );
            if approve {
                println!(
                    "Đã duyệt {} giá trị của tệp.",
                    report.inserted + report.updated + report.unchanged
                );
            }
        }
        ValuesCommand::Template {
            movement,
            period,
            output,
        } => {
            let m = movement_by_code(&store, &movement).await?;
            let bytes = movements::entry_template(&store, None, &m, &period, today()).await?;
            std::fs::write(&output, bytes)?;
            println!("Đã ghi mẫu nhập liệu {}.", output.display());
        }
    }
    Ok(())
}

pub async fn run_report(db: &DbArg, cmd: ReportCommand) -> Result<()> {
    let store = open(db).await?;
    let ReportCommand::Movement {
        code,
        unit,
        as_of,
        boundaries,
        json,
        xlsx,
        from,
        to,
    } = cmd;
    let m = movement_by_code(&store, &code).await?;
    if let (Some(from), Some(to)) = (from, to) {
        let root = match unit {
            None => None,
            Some(c) => Some(
                store
                    .resolve_code(&c, None, today())
                    .await?
                    .ok_or_else(|| anyhow!("không có đơn vị mã {c}"))?
                    .id,
            ),
        };
        let r = report::period::movement_period_report(&store, &m, root, from, to, today()).await?;
        if json {
            print_json(&r)?;
        } else {
            println!("{}", r.sentence);
            println!("{}", r.awards);
            for f in &r.figures {
                let years: Vec<String> = f
                    .years
                    .iter()
                    .map(|(y, v)| format!("{y}: {}", if v.is_empty() { "—" } else { v }))
                    .collect();
                println!(
                    "  {} — {} · {} {}",
                    f.label,
                    years.join(", "),
                    if f.summed { "cộng" } else { "cuối kỳ" },
                    f.total_display
                );
            }
        }
        return Ok(());
    }
    let as_of = as_of.unwrap_or_else(today);
    let boundaries = boundaries.as_deref().map(Boundaries::parse).transpose()?;
    let map_date = boundaries
        .unwrap_or(Boundaries::natural(as_of))
        .map_date(as_of, today());
    let root = match unit {
        None => None,
        Some(c) => {
            let u = store
                .resolve_code(&c, None, map_date)
                .await?
                .filter(|u| u.period.contains(map_date))
                .ok_or_else(|| {
                    anyhow!(
                        "không có đơn vị mã {c} trên bản đồ ngày {}",
                        VnDate(map_date)
                    )
                })?;
            Some(u.id)
        }
    };
    let r = report::movement_report(&store, &m, root, as_of, boundaries, today()).await?;
    if let Some(p) = xlsx {
        std::fs::write(&p, report::xlsx::report_xlsx(&r)?)?;
        eprintln!("Đã ghi {}.", p.display());
    }
    if json {
        print_json(&r)?;
    } else {
        print_report(&r);
    }
    Ok(())
}

fn print_report(r: &MovementReport) {
    println!("{} — {}", r.movement, r.movement_name);
    println!(
        "{} · ngày {} · {} (bản đồ ngày {})",
        r.unit
            .as_ref()
            .map(|u| u.name.as_str())
            .unwrap_or("Cả nước"),
        r.as_of,
        r.boundaries.label(),
        r.map_date
    );
    if let Some(s) = &r.summary {
        println!("\n{s}.\n");
    }
    for f in &r.figures {
        println!(
            "  {:<8} {:<34} {:>10}   ({}/{} đơn vị có số liệu)",
            f.indicator, f.label, f.display, f.reported, f.total
        );
    }
    if let Some(t) = &r.twinning {
        println!("\nKết nghĩa: {}.", t.sentence);
    }
    if !r.children.is_empty() {
        println!("\nTheo đơn vị:");
        for c in &r.children {
            let cells: Vec<String> = c.figures.iter().map(|f| f.display.clone()).collect();
            println!(
                "  {:<8} {:<36} {}",
                c.unit.code,
                c.unit.name,
                cells.join("  ")
            );
        }
    }
    if r.unplaced > 0 {
        println!("\n{} đơn vị không đặt được lên bản đồ đã chọn.", r.unplaced);
    }
}
