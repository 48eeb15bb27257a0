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
    /// Resident memory of this process (server and clients) before and
    /// after the run, in MB; `None` where /proc is not available.
    pub rss_before_mb: Option<f64>,
    pub rss_after_mb: Option<f64>,
}

/// This process's resident memory in MB, from /proc (Linux).
pub fn resident_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
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
        )?;
        if let (Some(a), Some(b)) = (self.rss_before_mb, self.rss_after_mb) {
            write!(f, ", bộ nhớ {a:.0} → {b:.0} MB")?;
        }
        Ok(())
    }
}

/// Drives `path` on `base` from `sessions` concurrent sessions (one cookie
/// each) for `seconds`, on loopback. Bounded in time by construction.
pub async fn load(base: &str, path: &str, cookies: &[String], seconds: u64) -> Result<LoadResult> {
    load_paths(base, &[path.to_owned()], cookies, seconds).await
}

/// As [`load`], each session asking the paths in turn (starting at its
/// own place in the list).
pub async fn load_paths(
    base: &str,
    paths: &[String],
    cookies: &[String],
    seconds: u64,
) -> Result<LoadResult> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(cookies.len())
        .build()?;
    let rss_before_mb = resident_mb();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    let urls: Vec<String> = paths.iter().map(|p| format!("{base}{p}")).collect();
    let sessions = cookies.len().max(1);
    for (n, cookie) in cookies.iter().enumerate() {
        let (client, urls, cookie) = (
            client.clone(),
            urls.clone(),
            format!("thidua_session={cookie}"),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            let mut next = n * urls.len() / sessions;
            while Instant::now() < deadline {
                let t = Instant::now();
                let Some(url) = urls.get(next % urls.len().max(1)) else {
                    break;
                };
                next += 1;
                match client.get(url).header("cookie", &cookie).send().await {
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
        endpoint: match paths {
            [one] => one.clone(),
            _ => format!("{} đường dẫn", paths.len()),
        },
        sessions: cookies.len(),
        seconds: elapsed,
        requests: all.len(),
        errors,
        requests_per_second: all.len() as f64 / elapsed,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        rss_before_mb,
        rss_after_mb: resident_mb(),
    })
}

/// `thidua bench rollup`: 19 criteria × every commune of today's map ×
/// `years` years, entered and approved, then the national report (figures,
/// a row per province, a point per year) timed.
#[derive(Serialize)]
pub struct RollupBench {
    pub engine: String,
    pub communes: usize,
    pub years: usize,
    pub values: usize,
    pub entry_seconds: f64,
    pub runs: usize,
    pub report_median_ms: f64,
    pub report_p95_ms: f64,
    pub summary: Option<String>,
}

impl fmt::Display for RollupBench {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Cơ sở dữ liệu: {}", self.engine)?;
        writeln!(
            f,
            "Số liệu: {} đơn vị cấp xã × 19 tiêu chí × {} năm = {} giá trị (nhập và duyệt trong {:.1} s)",
            self.communes, self.years, self.values, self.entry_seconds
        )?;
        writeln!(
            f,
            "Báo cáo toàn quốc (chỉ tiêu, 34 tỉnh, chuỗi {} năm): trung vị {:.0} ms, p95 {:.0} ms ({} lần)",
            self.years, self.report_median_ms, self.report_p95_ms, self.runs
        )?;
        if let Some(s) = &self.summary {
            writeln!(f, "{s}.")?;
        }
        Ok(())
    }
}

pub async fn rollup(
    store: &Store,
    years: usize,
    runs: usize,
    progress: &dyn Fn(u64, u64),
) -> Result<RollupBench> {
    use thidua_app::movements::{self, Enterer, RawValue};
    use thidua_domain::movement::{MovementCode, MovementStatus};
    use thidua_domain::org::UnitKind;
    use thidua_sheets::Cell;
    let who = thidua_store::Who::system("bench");
    if store.count_units().await? == 0 {
        admin_units::import(store, &who, &admin_units::embedded_files(), &|_| {}).await?;
    }
    let code = MovementCode::parse("BENCH-NTM")?;
    if store.movement_by_code(&code).await?.is_some() {
        bail!("cơ sở dữ liệu đã có phong trào BENCH-NTM: dùng một cơ sở dữ liệu mới");
    }
    let first_year = 2026;
    let last_year = first_year + years as i32 - 1;
    let text = format!(
        "indicator_set = \"nong-thon-moi-2021-2025\"\n[movement]\ncode = \"BENCH-NTM\"\nname = \"Đo tổng hợp\"\nkind = \"thematic\"\nlevel = \"prime_minister\"\nstart = \"{first_year}-01-01\"\nend = \"{last_year}-12-31\"\n"
    );
    let mut new = movements::parse_movement_file(store, &text).await?;
    // Every commune-level unit enters, not only the xã: the figure asked for
    // covers all 3,321 of them.
    for i in &mut new.indicators {
        i.entry.admin_types.clear();
    }
    let id = store.create_movement(&who, &new).await?;
    for s in [MovementStatus::Launched, MovementStatus::Running] {
        store.set_movement_status(&who, id, s, None).await?;
    }
    let m = store
        .movement(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("BENCH-NTM"))?;
    let on = date!(2026 - 01 - 01);
    let communes: Vec<String> = store
        .units_as_of(on, Some(UnitKind::Commune))
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    let started = Instant::now();
    let mut values = 0;
    let mut seed = 7u64;
    for (y, year) in (first_year..=last_year).enumerate() {
        progress(y as u64, years as u64);
        let mut rows = Vec::with_capacity(communes.len() * 19);
        for c in &communes {
            for k in 1..=19 {
                // A deterministic mix that improves year by year.
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let met = (seed >> 33) % 100 < 55 + 8 * y as u64;
                rows.push(RawValue {
                    line: 0,
                    unit_code: c.clone(),
                    period: year.to_string(),
                    indicator: format!("TC{k:02}"),
                    value: Cell::Text(if met { "1" } else { "0" }.to_owned()),
                    note: None,
                });
            }
        }
        let today = date!(2026 - 11 - 22);
        values += movements::enter_values(store, &who, Enterer::System, &m, "bench", &rows, today)
            .await?
            .inserted;
    }
    movements::approve_all(store, &who, &m).await?;
    progress(years as u64, years as u64);
    let entry_seconds = started.elapsed().as_secs_f64();
    let as_of = Date::from_calendar_date(last_year, time::Month::December, 31)?;
    let mut times = Vec::new();
    let mut summary = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let r = thidua_app::report::movement_report(store, &m, None, as_of, None, as_of).await?;
        times.push(t.elapsed());
        if r.series.len() != years || r.children.len() != 34 {
            bail!(
                "báo cáo sai: {} năm, {} tỉnh",
                r.series.len(),
                r.children.len()
            );
        }
        summary = r.summary;
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    Ok(RollupBench {
        engine: store.engine().to_string(),
        communes: communes.len(),
        years,
        values,
        entry_seconds,
        runs: times.len(),
        report_median_ms: ms(at(0.5)),
        report_p95_ms: ms(at(0.95)),
        summary,
    })
}

/// `thidua bench eligibility`: verdicts per second over a generated
/// province registry (people × 10 years of ratings, titles, initiatives and
/// a Bằng khen), for three awards.
#[derive(Serialize)]
pub struct EligibilityBench {
    pub people: usize,
    pub years: usize,
    pub awards: Vec<EligibilityTiming>,
}

#[derive(Serialize)]
pub struct EligibilityTiming {
    pub award: String,
    pub verdicts: usize,
    pub eligible: usize,
    pub seconds: f64,
    pub per_second: f64,
}

impl fmt::Display for EligibilityBench {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Sổ theo dõi sinh ra: {} người × {} năm",
            self.people, self.years
        )?;
        for a in &self.awards {
            writeln!(
                f,
                "{:<36} {:>9} kết luận trong {:.2} s = {:>10.0} kết luận/giây ({} đủ điều kiện)",
                a.award, a.verdicts, a.seconds, a.per_second, a.eligible
            )?;
        }
        Ok(())
    }
}

pub fn eligibility(people: usize) -> Result<EligibilityBench> {
    use thidua_domain::eligibility::{self as el, AwardCode, Outcome};
    let years = 10;
    let last = 2025;
    let mut seed = 11u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % 100
    };
    let mut histories = Vec::with_capacity(people);
    for _ in 0..people {
        let mut ratings = Vec::new();
        let mut titles = Vec::new();
        let mut initiatives = Vec::new();
        for y in last - years as i32 + 1..=last {
            let r = match next() {
                0..=4 => "HTNV",
                5..=59 => "HTTNV",
                _ => "HTXSNV",
            };
            ratings.push(serde_json::json!({"year": y, "rating": r}));
            if r != "HTNV" {
                titles.push(serde_json::json!({"year": y, "code": "LAO_DONG_TIEN_TIEN"}));
                if r == "HTXSNV" && next() < 70 {
                    titles.push(serde_json::json!({"year": y, "code": "CHIEN_SI_THI_DUA_CO_SO"}));
                }
            }
            if next() < 15 {
                initiatives.push(serde_json::json!({"year": y, "scope": if next() < 30 { "tinh" } else { "co_so" }}));
            }
        }
        let awards = if next() < 40 {
            let y = last - 9 + (next() % 4) as i32;
            vec![
                serde_json::json!({"code": "BANG_KHEN_TINH", "decision_date": format!("{}-03-01", y + 1), "period_from": y - 1, "period_to": y}),
            ]
        } else {
            Vec::new()
        };
        histories.push(serde_json::json!({"ratings": ratings, "titles": titles, "initiatives": initiatives, "awards": awards}));
    }
    let mut awards = Vec::new();
    for code in [
        AwardCode::ChienSiThiDuaCoSo,
        AwardCode::ChienSiThiDuaTinh,
        AwardCode::BangKhenThuTuong,
    ] {
        // Requests are parsed before timing: the figure is the engine's.
        let requests: Vec<el::CheckRequest> = histories
            .iter()
            .map(|h| {
                serde_json::from_value(serde_json::json!({
                    "subject": {"kind": "individual"}, "proposed": code, "year": last,
                    "decision_date": format!("{}-03-01", last + 1), "history": h
                }))
            })
            .collect::<Result<_, _>>()?;
        let started = Instant::now();
        let mut eligible = 0;
        for r in &requests {
            if el::check(r)?.verdict == Outcome::Eligible {
                eligible += 1;
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        awards.push(EligibilityTiming {
            award: code.label().to_owned(),
            verdicts: requests.len(),
            eligible,
            seconds,
            per_second: requests.len() as f64 / seconds.max(1e-9),
        });
    }
    Ok(EligibilityBench {
        people,
        years,
        awards,
    })
}
