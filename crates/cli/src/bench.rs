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

/// Requests/s and latency of one endpoint under load.
#[derive(Serialize)]
pub struct LoadResult {
    pub endpoint: String,
    pub sessions: usize,
    pub seconds: f64,
    pub requests: usize,
    pub errors: usize,
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl fmt::Display for LoadResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} phiên đồng thời, {:.0} yêu cầu/s, p50 {:.1} ms, p99 {:.1} ms ({} yêu cầu, {} lỗi, {:.0} s)",
            self.endpoint,
            self.sessions,
            self.requests_per_second,
            self.p50_ms,
            self.p99_ms,
            self.requests,
            self.errors,
            self.seconds
        )
    }
}

/// Drives `path` on `base` from `sessions` concurrent sessions (one cookie
/// each) for `seconds`, on loopback. Bounded in time by construction.
pub async fn load(base: &str, path: &str, cookies: &[String], seconds: u64) -> Result<LoadResult> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(cookies.len())
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for cookie in cookies {
        let (client, url, cookie) = (
            client.clone(),
            format!("{base}{path}"),
            format!("thidua_session={cookie}"),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                let t = Instant::now();
                match client.get(&url).header("cookie", &cookie).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await?;
        all.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let at = |q: f64| {
        all.get(((all.len().max(1) - 1) as f64 * q).round() as usize)
            .map(|d| ms(*d))
            .unwrap_or(0.0)
    };
    Ok(LoadResult {
        endpoint: path.to_owned(),
        sessions: cookies.len(),
        seconds: elapsed,
        requests: all.len(),
        errors,
        requests_per_second: all.len() as f64 / elapsed,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
    })
}
