//! `thidua cluster …` — emulation blocks and clusters (khối, cụm thi đua):
//! the year's list and a cluster's ranking, for scripts and checks.

use crate::common::{DbArg, open, print_json};
use anyhow::{Result, anyhow};
use clap::Subcommand;
use serde::Serialize;
use thidua_app::clusters;
use thidua_domain::cluster::{ClusterKind, MemberRole};

#[derive(Subcommand)]
pub enum ClusterCommand {
    /// The blocks and clusters of a year, with their members
    List {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// A cluster's members in rank order, with totals per criteria group
    Ranking {
        /// The cluster's code, e.g. CB-K1
        code: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct ClusterJson {
    code: String,
    year: i32,
    name: String,
    kind: ClusterKind,
    covenant: String,
    finalised: bool,
    flag_count: i32,
    members: Vec<MemberJson>,
}

#[derive(Serialize)]
struct MemberJson {
    code: String,
    name: String,
    role: MemberRole,
}

#[derive(Serialize)]
struct RankJson {
    rank: usize,
    code: String,
    name: String,
    role: MemberRole,
    /// "8,75"-style points, and the same in hundredths.
    total: String,
    total_hundredths: i64,
    groups: Vec<GroupJson>,
    decided_by: Option<String>,
    stage: &'static str,
    disagreements: Vec<String>,
}

#[derive(Serialize)]
struct GroupJson {
    group: String,
    points: String,
}

pub async fn run_cluster(db: &DbArg, cmd: ClusterCommand) -> Result<()> {
    let store = open(db).await?;
    match cmd {
        ClusterCommand::List { year, json } => {
            let mut out = Vec::new();
            for c in store.clusters(year).await? {
                let members = store.cluster_members(c.id).await?;
                out.push(ClusterJson {
                    members: members
                        .into_iter()
                        .map(|m| MemberJson {
                            code: m.code,
                            name: m.name,
                            role: m.role,
                        })
                        .collect(),
                    finalised: c.finalised_at.is_some(),
                    code: c.code,
                    year: c.year,
                    name: c.name,
                    kind: c.kind,
                    covenant: c.covenant,
                    flag_count: c.flag_count,
                });
            }
            if json {
                print_json(&out)?;
            } else {
                for c in &out {
                    println!(
                        "{} {}  {}  {} đơn vị{}",
                        c.code,
                        c.year,
                        c.name,
                        c.members.len(),
                        if c.finalised {
                            ", đã chốt điểm"
                        } else {
                            ""
                        }
                    );
                }
            }
        }
        ClusterCommand::Ranking { code, year, json } => {
            let c = store
                .cluster_by_code(&code, year)
                .await?
                .ok_or_else(|| anyhow!("không có khối, cụm mã «{code}» năm {year}"))?;
            let lines: Vec<RankJson> = clusters::ranking(&store, c.id)
                .await?
                .into_iter()
                .map(|l| RankJson {
                    rank: l.rank,
                    code: l.code,
                    name: l.name,
                    role: l.role,
                    total: l.total.to_string(),
                    total_hundredths: l.total.0,
                    groups: l
                        .groups
                        .into_iter()
                        .map(|(g, p)| GroupJson {
                            group: g,
                            points: p.to_string(),
                        })
                        .collect(),
                    decided_by: l.decided_by,
                    stage: l.stage.as_str(),
                    disagreements: l
                        .disagreements
                        .into_iter()
                        .map(|(k, a, b)| format!("{k}: tự chấm {a}, trưởng khối chấm {b}"))
                        .collect(),
                })
                .collect();
            if json {
                print_json(&lines)?;
            } else {
                if c.finalised_at.is_none() {
                    println!("(chưa chốt điểm: xếp hạng tạm)");
                }
                for l in &lines {
                    println!("{:>2}. {:<50} {:>7}", l.rank, l.name, l.total);
                }
            }
        }
    }
    Ok(())
}
