//! `thidua eligibility sweep`: who is due for an award in a year, over the
//! whole registry or a unit's subtree, in one pass of the sweep.

use crate::common::{open, print_json, progress_bar};
use anyhow::{Result, anyhow};
use serde::Serialize;
use thidua_app::sweep::RegistrySnapshot;
use thidua_domain::date::VnDate;
use thidua_domain::eligibility::AwardCode;
use time::Month;

#[derive(Serialize)]
struct Swept {
    code: String,
    year: i32,
    decided: String,
    people: u64,
    eligible: u64,
    not_eligible: u64,
    needs_review: u64,
    refused: u64,
    eligible_ids: Vec<i64>,
    seconds_to_build: f64,
    milliseconds_to_sweep: f64,
}

pub async fn run(
    db: &crate::common::DbArg,
    code: &str,
    year: i32,
    decided: Option<String>,
    unit: Option<String>,
    json: bool,
) -> Result<()> {
    let award =
        AwardCode::parse(code).ok_or_else(|| anyhow!("không có mã khen thưởng «{code}»"))?;
    let on = match decided {
        Some(d) => VnDate::parse(&d).map_err(|e| anyhow!("--decided: {e}"))?.0,
        None => time::Date::from_calendar_date(year + 1, Month::March, 1)?,
    };
    let store = open(db).await?;
    let among = match unit {
        Some(text) => {
            let today = crate::common::today();
            let root = thidua_app::org_view::pick_unit_any_map(&store, &text, today).await?;
            let units = thidua_app::registry::units_under_any_map(&store, root).await?;
            Some(store.people_in_units(&units).await?)
        }
        None => None,
    };
    let bar = progress_bar(0, "Đọc sổ khen thưởng vào bộ nhớ");
    let t = std::time::Instant::now();
    let snap = RegistrySnapshot::load(&store, &|done, of| {
        bar.set_length(of);
        bar.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    let built = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let r = snap.sweep(&store, award, year, on, among).await?;
    let swept = t.elapsed().as_secs_f64() * 1000.0;
    let out = Swept {
        code: award.code().into(),
        year,
        decided: VnDate(on).to_string(),
        people: r.eligible + r.not_eligible + r.needs_review + r.refused,
        eligible: r.eligible,
        not_eligible: r.not_eligible,
        needs_review: r.needs_review,
        refused: r.refused,
        eligible_ids: r.eligible_ids,
        seconds_to_build: built,
        milliseconds_to_sweep: swept,
    };
    if json {
        print_json(&out)?;
    } else {
        println!(
            "{} năm {} (quyết định ngày {}): {} người được xét — {} đủ điều kiện, {} chưa đủ, {} cần xem xét, {} lịch sử không hợp lệ. Đọc sổ {:.1} s, quét {:.1} ms.",
            award.label(),
            year,
            out.decided,
            out.people,
            out.eligible,
            out.not_eligible,
            out.needs_review,
            out.refused,
            built,
            swept
        );
    }
    Ok(())
}
