//! `thidua org`: the organisation from the command line.

use super::common::{DbArg, cli_who, open, parse_date, parse_kind, parse_list, print_json, today};
use anyhow::{Result, anyhow};
use clap::Subcommand;
use thidua_app::org_view;
use thidua_domain::date::VnDate;
use thidua_domain::org::{CodeList, UnitCode, UnitKind};
use thidua_store::{NewUnit, Store};
use time::Date;

#[derive(Subcommand)]
pub(super) enum OrgCommand {
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

pub(super) async fn find(
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

pub(super) async fn org(db: &DbArg, cmd: OrgCommand) -> Result<()> {
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

pub(super) fn print_view(v: &org_view::UnitView) {
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
