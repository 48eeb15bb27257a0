//! `thidua bench registry`: the official import and as-of subtree queries,
//! timed on whichever engine `--db` names.

use anyhow::{Result, bail};
use serde::Serialize;
use std::fmt;
use std::time::{Duration, Instant};
use thidua_app::admin_units;
use thidua_domain::date::VnDate;
use thidua_domain::org::CodeList;
use thidua_store::Store;
use time::Date;
use time::macros::date;

#[derive(Serialize)]
pub struct RegistryBench {
    pub engine: String,
    pub import_seconds: f64,
    pub units: i64,
    pub subtree: Vec<SubtreeTiming>,
}

#[derive(Serialize)]
pub struct SubtreeTiming {
    pub province: String,
    pub as_of: String,
    pub units_in_subtree: usize,
    pub runs: usize,
    pub median_ms: f64,
    pub p95_ms: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub async fn registry(store: &Store, runs: usize) -> Result<RegistryBench> {
    if store.count_units().await? > 0 {
        bail!("benchmark cần một cơ sở dữ liệu trống (để đo thời gian nạp toàn bộ danh mục)");
    }
    let files = admin_units::embedded_files();
    let started = Instant::now();
    admin_units::import(store, &thidua_store::Who::system("bench"), &files, &|_| {}).await?;
    let import_seconds = started.elapsed().as_secs_f64();
    // The largest province before the reform and two after it.
    let cases: [(&str, CodeList, Date); 3] = [
        ("01", CodeList::Legacy, date!(2024 - 01 - 01)),
        ("01", CodeList::Y2025, date!(2025 - 07 - 01)),
        ("68", CodeList::Y2025, date!(2025 - 07 - 01)),
    ];
    let mut subtree = Vec::new();
    for (code, list, on) in cases {
        let Some(unit) = store.resolve_code(code, Some(list), on).await? else {
            bail!("thiếu tỉnh {code}");
        };
        let mut times = Vec::with_capacity(runs);
        let mut size = 0;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            size = store.subtree_as_of(unit.id, on).await?.len();
            times.push(t.elapsed());
        }
        times.sort();
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        subtree.push(SubtreeTiming {
            province: unit.name,
            as_of: VnDate(on).to_string(),
            units_in_subtree: size,
            runs: times.len(),
            median_ms: ms(at(0.5)),
            p95_ms: ms(at(0.95)),
        });
    }
    Ok(RegistryBench {
        engine: store.engine().to_string(),
        import_seconds,
        units: store.count_units().await?,
        subtree,
    })
}

impl fmt::Display for RegistryBench {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: nạp toàn bộ danh mục ({} đơn vị) {:.2} s",
            self.engine, self.units, self.import_seconds
        )?;
        for s in &self.subtree {
            writeln!(
                f,
                "{}: cây con {} ngày {} ({} đơn vị): trung vị {:.2} ms, p95 {:.2} ms ({} lần)",
                self.engine, s.province, s.as_of, s.units_in_subtree, s.median_ms, s.p95_ms, s.runs
            )?;
        }
        Ok(())
    }
}
