//! `thidua person …` and `thidua staff …` — people and staff lists from the
//! command line, through the same app functions as the pages.

use crate::common::{DbArg, cli_who, open, print_json, read_input_file, today};
use crate::org_cmd::find;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
use thidua_app::movements::Enterer;
use thidua_app::people::{self, Joining, Move, PersonInput, StaffPlan};
use thidua_domain::date::VnDate;
use thidua_domain::staff::{MembershipEnd, PersonId};

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Find people by name, ignoring diacritics and case ("nguyen van duc" finds "Nguyễn Văn Đức"); Vietnamese name order
    Search {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Add a person to a unit's staff list (refuses a duplicate; a namesake elsewhere needs --namesake-confirmed)
    Add {
        #[arg(long)]
        name: String,
        /// dd/mm/yyyy
        #[arg(long)]
        birth: String,
        /// nam | nu
        #[arg(long)]
        sex: String,
        /// The unit's code
        #[arg(long)]
        unit: String,
        /// First day in the unit, dd/mm/yyyy
        #[arg(long)]
        from: String,
        #[arg(long, default_value = "")]
        ethnicity: String,
        #[arg(long, default_value = "")]
        id_number: String,
        /// cong chuc, vien chuc, cong nhan, nong dan, …
        #[arg(long, default_value = "")]
        category: String,
        #[arg(long, default_value = "")]
        position: String,
        /// The person with the same name and birth date elsewhere is someone else
        #[arg(long)]
        namesake_confirmed: bool,
        #[arg(long)]
        json: bool,
    },
    /// A person with their stints (memberships)
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Transfer a person (chuyển công tác): the open stint ends on DATE and one in the new unit begins
    Transfer {
        id: i64,
        /// The new unit's code
        #[arg(long)]
        to: String,
        /// dd/mm/yyyy
        #[arg(long)]
        date: String,
        #[arg(long)]
        position: Option<String>,
    },
    /// End a person's stint: thoi_viec (leave) or nghi_huu (retire)
    End {
        id: i64,
        #[arg(long)]
        date: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Write the staff list template (XLSX)
    Template {
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Import a staff list: every row checked first; all or nothing
    Import {
        file: PathBuf,
        /// Check only: print what would be written
        #[arg(long)]
        check: bool,
        /// Rows naming someone with the same name and birth date elsewhere are new people
        #[arg(long)]
        namesakes_confirmed: bool,
        #[arg(long)]
        json: bool,
    },
}

fn date(s: &str) -> Result<time::Date> {
    Ok(VnDate::parse(s)?.0)
}

pub async fn run_person(db: &DbArg, cmd: PersonCommand) -> Result<()> {
    let store = open(db).await?;
    let who = cli_who();
    let today = today();
    match cmd {
        PersonCommand::Search { query, limit, json } => {
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
                        "{}\t{}\t{}\t{}",
                        p.id,
                        p.full_name,
                        birth,
                        p.position.as_deref().unwrap_or("")
                    );
                }
                eprintln!("{} người.", people.len());
            }
        }
        PersonCommand::Add {
            name,
            birth,
            sex,
            unit,
            from,
            ethnicity,
            id_number,
            category,
            position,
            namesake_confirmed,
            json,
        } => {
            let from = date(&from)?;
            let unit = find(&store, &unit, None, from).await?;
            let input = PersonInput {
                name,
                birth,
                sex,
                ethnicity,
                id_number,
                category,
                position,
            };
            let joining = Joining {
                unit: unit.id,
                from,
                namesake_confirmed,
            };
            let id = people::add(&store, &who, Enterer::System, &input, joining, today).await?;
            show(&store, id, json, today).await?;
        }
        PersonCommand::Show { id, json } => show(&store, PersonId(id), json, today).await?,
        PersonCommand::Transfer {
            id,
            to,
            date: on,
            position,
        } => {
            let on = date(&on)?;
            let to = find(&store, &to, None, on).await?;
            let m = Move {
                to: to.id,
                date: on,
                position,
            };
            people::transfer(&store, &who, Enterer::System, PersonId(id), &m, today).await?;
            println!("Đã chuyển công tác đến {} từ ngày {}.", to.name, VnDate(on));
        }
        PersonCommand::End {
            id,
            date: on,
            reason,
        } => {
            let on = date(&on)?;
            let reason = MembershipEnd::parse(&reason)?;
            people::end_stint(
                &store,
                &who,
                Enterer::System,
                PersonId(id),
                on,
                reason,
                today,
            )
            .await?;
            println!("Đã ghi: {} từ ngày {}.", reason.label(), VnDate(on));
        }
    }
    Ok(())
}

async fn show(
    store: &thidua_store::Store,
    id: PersonId,
    json: bool,
    today: time::Date,
) -> Result<()> {
    let v = people::show(store, Enterer::System, id, today).await?;
    if json {
        let mut out = serde_json::to_value(&v.person)?;
        out["memberships"] = serde_json::to_value(&v.memberships)?;
        out["has_id_number"] = serde_json::Value::Bool(v.has_id_number);
        print_json(&out)?;
    } else {
        let p = &v.person;
        println!(
            "{} (mã {})\t{}\t{}",
            p.full_name,
            p.id,
            p.birth_date
                .map(|d| VnDate(d).to_string())
                .unwrap_or_default(),
            p.gender.map(|g| g.label()).unwrap_or("")
        );
        for m in &v.memberships {
            println!(
                "  {} {}\t{} – {}\t{}",
                m.unit_code,
                m.unit_name,
                m.from.as_deref().unwrap_or("?"),
                m.until.as_deref().unwrap_or("nay"),
                m.end_label.unwrap_or("")
            );
        }
    }
    Ok(())
}

pub async fn run_staff(db: &DbArg, cmd: StaffCommand) -> Result<()> {
    match cmd {
        StaffCommand::Template { output } => {
            std::fs::write(&output, people::staff_template()?)
                .with_context(|| format!("không ghi được {}", output.display()))?;
            println!("Đã ghi mẫu danh sách cán bộ: {}", output.display());
        }
        StaffCommand::Import {
            file,
            check,
            namesakes_confirmed,
            json,
        } => {
            let store = open(db).await?;
            let bytes = read_input_file(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (plan, done) = if check {
                (
                    people::preview_staff(&store, Enterer::System, today(), &name, &bytes).await?,
                    None,
                )
            } else {
                let (p, d) = people::import_staff(
                    &store,
                    &cli_who(),
                    Enterer::System,
                    today(),
                    &name,
                    &bytes,
                    namesakes_confirmed,
                )
                .await?;
                (p, Some(d))
            };
            if json {
                let mut out = serde_json::to_value(&plan)?;
                out["written"] = serde_json::to_value(&done)?;
                print_json(&out)?;
            } else {
                for r in &plan.rows {
                    let what = match &r.plan {
                        StaffPlan::New => "thêm mới".to_owned(),
                        StaffPlan::Join { person } => format!("chuyển đến (mã {person})"),
                        StaffPlan::Unchanged { person } => format!("đã có (mã {person})"),
                        StaffPlan::Namesake { people } => format!(
                            "trùng tên với mã {}: cần xác nhận",
                            people
                                .iter()
                                .map(i64::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    println!("dòng {}\t{}\t{}\t{what}", r.line, r.name, r.unit_code);
                }
                let verb = if done.is_some() {
                    "Đã nhập"
                } else {
                    "Kiểm tra xong"
                };
                println!(
                    "{verb}: {} người mới, {} chuyển đến, {} đã có, {} trùng tên.",
                    plan.new, plan.joining, plan.unchanged, plan.namesakes
                );
            }
        }
    }
    Ok(())
}
