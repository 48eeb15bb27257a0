//! `thidua calendar …` — the working-day calendar from the command line,
//! and `thidua dossier remind` — notices for late steps.

use crate::common::{DEFAULT_DB, DbArg, open, print_json};
use anyhow::{Result, anyhow};
use clap::Subcommand;
use serde::Serialize;
use thidua_domain::calendar::{DayOffKind, WorkCalendar};
use thidua_domain::date::VnDate;
use time::Date;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print the date N working days after DATE (DATE itself not counted), in DATE's format
    AddWorkingDays {
        /// YYYY-MM-DD or dd/mm/yyyy
        date: String,
        n: u32,
    },
    /// The days off of a year with their names (holidays, make-up days, decided days)
    Holidays {
        year: i32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum DossierCommand {
    /// Notify those a late step waits on (once per step); `serve` does this every hour
    Remind,
}

/// The calendar with the database's overrides, when there is a database:
/// the default file is not created just to read a calendar.
async fn calendar(db: &DbArg) -> Result<WorkCalendar> {
    let exists = db.url != DEFAULT_DB || std::path::Path::new(DEFAULT_DB).exists();
    if !exists {
        return Ok(WorkCalendar::default());
    }
    let store = open(db).await?;
    Ok(WorkCalendar::new(store.calendar_overrides().await?))
}

#[derive(Serialize)]
struct DayJson {
    date: String,
    weekday: u8,
    name: String,
    kind: DayOffKind,
}

pub async fn run_calendar(db: &DbArg, cmd: CalendarCommand) -> Result<()> {
    let cal = calendar(db).await?;
    match cmd {
        CalendarCommand::AddWorkingDays { date, n } => {
            let iso = Date::parse(
                date.trim(),
                &time::format_description::well_known::Iso8601::DATE,
            )
            .ok();
            let day = match iso {
                Some(d) => d,
                None => VnDate::parse(date.trim()).map_err(|e| anyhow!("{e}"))?.0,
            };
            let end = cal
                .add_working_days(day, n)
                .ok_or_else(|| anyhow!("ngày vượt quá phạm vi lịch"))?;
            if iso.is_some() {
                println!("{end}");
            } else {
                println!("{}", VnDate(end));
            }
        }
        CalendarCommand::Holidays { year, json } => {
            if !(1900..=2199).contains(&year) {
                return Err(anyhow!("năm {year} nằm ngoài 1900–2199"));
            }
            let days = cal.days_off(year);
            if json {
                let out: Vec<DayJson> = days
                    .into_iter()
                    .map(|d| DayJson {
                        date: d.date.to_string(),
                        weekday: d.date.weekday().number_from_monday(),
                        name: d.name,
                        kind: d.kind,
                    })
                    .collect();
                print_json(&out)?;
            } else {
                for d in days {
                    println!("{}  {}", VnDate(d.date), d.name);
                }
            }
        }
    }
    Ok(())
}

pub async fn run_dossier(db: &DbArg, cmd: DossierCommand) -> Result<()> {
    match cmd {
        DossierCommand::Remind => {
            let store = open(db).await?;
            let n = thidua_app::dossiers::notify_overdue(&store, crate::common::today()).await?;
            println!("Đã gửi {n} thông báo quá hạn.");
        }
    }
    Ok(())
}
