//! `thidua cluster …` — emulation blocks and clusters (khối, cụm thi đua):
//! the year's list and a cluster's ranking, for scripts and checks.

use crate::common::{DbArg, cli_who, open, print_json, today};
use crate::org_cmd::find;
use anyhow::{Result, anyhow};
use clap::Subcommand;
use serde::Serialize;
use thidua_app::clusters;
use thidua_app::movements::Enterer;
use thidua_domain::cluster::{ClusterKind, MemberRole};

#[derive(Subcommand)]
pub enum ClusterCommand {
    /// Create a year's block or cluster with its regulation and members (CODE, CODE:head, CODE:deputy); exactly one head
    Create {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// block (khối) | cluster (cụm)
        #[arg(long)]
        kind: String,
        /// The regulation it works under, e.g. "Quyết định 589/QĐ-UBND ngày 25/5/2018"
        #[arg(long, default_value = "")]
        regulation: String,
        /// The organising unit's code (default: the province of the head member)
        #[arg(long)]
        authority: Option<String>,
        /// How many leaders go forward for the flag
        #[arg(long, default_value_t = 1)]
        flags: i32,
        #[arg(long = "member", required = true)]
        members: Vec<String>,
        #[arg(long)]
        json: bool,
    },
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
    regulation: String,
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

/// `CODE`, `CODE:head` or `CODE:deputy`.
fn member_arg(s: &str) -> Result<(&str, MemberRole)> {
    match s.rsplit_once(':') {
        Some((code, "head" | "truong")) => Ok((code, MemberRole::Head)),
        Some((code, "deputy" | "pho")) => Ok((code, MemberRole::Deputy)),
        Some((_, other)) => Err(anyhow!("vai trò «{other}» không hợp lệ (head hoặc deputy)")),
        None => Ok((s, MemberRole::Member)),
    }
}

#[allow(clippy::too_many_arguments)]
async fn create(
    store: &thidua_store::Store,
    year: i32,
    code: String,
    name: String,
    kind: &str,
    regulation: String,
    authority: Option<String>,
    flags: i32,
    members: &[String],
) -> Result<i64> {
    let kind = match thidua_domain::text::fold(kind).as_str() {
        "block" | "khoi" => ClusterKind::Block,
        "cluster" | "cum" => ClusterKind::Cluster,
        other => return Err(anyhow!("loại «{other}» không hợp lệ (block hoặc cluster)")),
    };
    let today = today();
    let on = time::Date::from_calendar_date(year, time::Month::December, 31)
        .map(|d| d.min(today))
        .map_err(|e| anyhow!("năm {year}: {e}"))?;
    let mut list = Vec::new();
    for m in members {
        let (c, role) = member_arg(m)?;
        list.push((find(store, c, None, on).await?.id, role));
    }
    let authority = match authority {
        Some(a) => find(store, &a, None, on).await?.id,
        None => {
            let head = list
                .iter()
                .find(|(_, r)| *r == MemberRole::Head)
                .ok_or_else(|| anyhow!("cần một thành viên là trưởng khối (MÃ:head)"))?
                .0;
            store
                .ancestors_as_of(head, on)
                .await?
                .into_iter()
                .find(|u| u.kind == thidua_domain::org::UnitKind::Province)
                .ok_or_else(|| anyhow!("không tìm được tỉnh của trưởng khối"))?
                .id
        }
    };
    let new = thidua_store::NewCluster {
        code,
        year,
        name,
        kind,
        authority,
        council_member: None,
        covenant: String::new(),
        regulation,
        flag_count: flags,
        disagreement_threshold: 200,
        members: list,
        sheet: None,
    };
    Ok(clusters::create_checked(store, &cli_who(), Enterer::System, today, &new).await?)
}

pub async fn run_cluster(db: &DbArg, cmd: ClusterCommand) -> Result<()> {
    let store = open(db).await?;
    match cmd {
        ClusterCommand::Create {
            year,
            code,
            name,
            kind,
            regulation,
            authority,
            flags,
            members,
            json,
        } => {
            let id = create(
                &store, year, code, name, &kind, regulation, authority, flags, &members,
            )
            .await?;
            let c = store
                .cluster(id)
                .await?
                .ok_or_else(|| anyhow!("khối, cụm vừa tạo"))?;
            let members = store.cluster_members(id).await?;
            if json {
                let mut out = serde_json::to_value(&c)?;
                out["members"] = serde_json::to_value(&members)?;
                print_json(&out)?;
            } else {
                println!(
                    "Đã tạo {} {} năm {} ({} thành viên).",
                    c.code,
                    c.name,
                    c.year,
                    members.len()
                );
            }
        }
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
                    regulation: c.regulation,
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
