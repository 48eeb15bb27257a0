//! `thidua bench run --scale province|national`: the same generated
//! registry in SQLite, PostgreSQL and DuckDB; thidua's sweep (and name
//! index) against the peers' SQL (bench/peers/sweeps.sql), each figure the
//! median of several runs, with the ratio; the answers' counts and
//! checksums must agree or the run fails.

use crate::bench_page::PageRun;
use crate::bench_scale::generate_with_progress;
use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use thidua_app::generate::{Generated, Scale};
use thidua_app::sweep::RegistrySnapshot;
use thidua_domain::eligibility::AwardCode;
use thidua_domain::eligibility::sweep::checksum;
use thidua_store::Store;
use time::Date;
use time::macros::date;

/// The peers' SQL and the DuckDB script, carried in the binary.
pub const SWEEPS_SQL: &str = include_str!("../../../bench/peers/sweeps.sql");
pub const DUCKDB_PEER: &str = include_str!("../../../bench/peers/duckdb_peer.py");

/// The year judged and the day the decisions are taken.
pub const YEAR: i32 = 2025;
pub const DECIDED: Date = date!(2026 - 03 - 01);

/// The codes the peers judge, with their query's name.
pub const PEER_CODES: [(AwardCode, &str); 7] = [
    (AwardCode::LaoDongTienTien, "sweep_ldtt"),
    (AwardCode::ChienSiThiDuaCoSo, "sweep_cstdcs"),
    (AwardCode::ChienSiThiDuaTinh, "sweep_cstd_tinh"),
    (AwardCode::ChienSiThiDuaToanQuoc, "sweep_cstd_tq"),
    (AwardCode::BangKhenTinh, "sweep_bk_tinh"),
    (AwardCode::BangKhenThuTuong, "sweep_bk_ttg"),
    (AwardCode::HuanChuongLaoDongHangBa, "sweep_hcld3"),
];

/// One compared figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    pub thidua_ms: f64,
    pub peers: BTreeMap<String, f64>,
    pub agree: bool,
    /// What thidua answered (a count of people, rows), for the report.
    pub answer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Startup {
    pub engine: String,
    /// From opening the database to the snapshot ready.
    pub seconds: f64,
    pub resident_mb: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub scale: String,
    pub seed: u64,
    pub people: u64,
    pub person_years: u64,
    pub runs: usize,
    pub machine: String,
    pub figures: Vec<Figure>,
    pub snapshot_mb: f64,
    pub whole_histories: usize,
    pub startup: Vec<Startup>,
}

/// A peer's answer to one query.
#[derive(Debug, Clone, Deserialize)]
struct PeerQuery {
    ms: Vec<f64>,
    #[serde(default)]
    count: Option<u64>,
    #[serde(default)]
    checksum: Option<u64>,
    #[serde(default)]
    rows: Option<Vec<(i64, i64)>>,
}

#[derive(Debug, Clone, Deserialize)]
struct PeerLoad {
    rows: u64,
    load_seconds: f64,
    index_seconds: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct DuckOut {
    load: PeerLoad,
    sqlite_load: Option<PeerLoad>,
    people: u64,
    queries: BTreeMap<String, PeerQuery>,
    #[serde(default)]
    search: BTreeMap<String, PeerSearch>,
}

#[derive(Debug, Clone, Deserialize)]
struct PeerSearch {
    p50: f64,
    p99: f64,
    checksum: u64,
}

pub fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A query of sweeps.sql in a dialect.
pub fn peer_sql(name: &str, dialect: &str) -> Result<String> {
    let text = SWEEPS_SQL
        .split("-- name: ")
        .skip(1)
        .find_map(|s| {
            let (head, body) = s.split_once('\n')?;
            (head.trim() == name).then(|| body.to_owned())
        })
        .ok_or_else(|| anyhow!("sweeps.sql has no query {name}"))?;
    let (year, month, greatest) = match dialect {
        "sqlite" => ("cast(strftime('%Y', ", "cast(strftime('%m', ", "max("),
        _ => (
            "cast(extract(year from ",
            "cast(extract(month from ",
            "greatest(",
        ),
    };
    // YEAR_OF(x) → cast(strftime('%Y', x) as integer): the closing part
    // follows the argument, so the replacement walks each call.
    let mut out = text.replace(":y", &YEAR.to_string());
    for (marker, open) in [("YEAR_OF(", year), ("MONTH_OF(", month)] {
        while let Some(at) = out.find(marker) {
            let arg_start = at + marker.len();
            let close = out[arg_start..]
                .find(')')
                .map(|i| arg_start + i)
                .ok_or_else(|| anyhow!("{marker} without ')'"))?;
            let arg = out[arg_start..close].to_owned();
            out.replace_range(at..=close, &format!("{open}{arg}) as integer)"));
        }
    }
    Ok(out.replace("GREATEST(", greatest))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or("?".into(), |k| format!("{:.0} GiB", k / 1024.0 / 1024.0));
    format!("{cpu}, {cores} lõi, {mem}")
}

/// The SQLite copy in `dir`, generated unless it already holds this scale
/// and seed; returns its store and what generating it measured.
async fn sqlite_copy(
    dir: &Path,
    scale: Scale,
    seed: u64,
    fresh: bool,
) -> Result<(Store, Generated)> {
    std::fs::create_dir_all(dir).with_context(|| format!("không tạo được {}", dir.display()))?;
    let db = dir.join("thidua.db");
    let marker = dir.join("generated.json");
    let wanted = format!("{}-{seed}", scale.name());
    if !fresh
        && let Ok(text) = std::fs::read_to_string(&marker)
        && let Ok((tag, g)) = serde_json::from_str::<(String, GeneratedMark)>(&text)
        && tag == wanted
        && db.exists()
    {
        let store = Store::connect(&format!("sqlite://{}", db.display())).await?;
        return Ok((store, g.into()));
    }
    for f in [
        "thidua.db",
        "thidua.db-wal",
        "thidua.db-shm",
        "generated.json",
    ] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    let store = Store::connect(&format!("sqlite://{}", db.display())).await?;
    let g = generate_with_progress(&store, scale, seed).await?;
    std::fs::write(
        &marker,
        serde_json::to_string(&(wanted, GeneratedMark::from(&g)))?,
    )?;
    Ok((store, g))
}

/// What generating measured, kept beside the SQLite copy.
#[derive(Serialize, Deserialize)]
struct GeneratedMark {
    people: u64,
    person_years: u64,
    rows: u64,
    load_seconds: f64,
    index_seconds: f64,
}

impl From<&Generated> for GeneratedMark {
    fn from(g: &Generated) -> Self {
        GeneratedMark {
            people: g.people,
            person_years: g.person_years,
            rows: g.rows,
            load_seconds: g.load_seconds,
            index_seconds: g.index_seconds,
        }
    }
}

impl From<GeneratedMark> for Generated {
    fn from(m: GeneratedMark) -> Self {
        Generated {
            people: m.people,
            person_years: m.person_years,
            rows: m.rows,
            load_seconds: m.load_seconds,
            index_seconds: m.index_seconds,
            ..Generated::default()
        }
    }
}

/// The PostgreSQL copy: a database of its own in the server `admin` names,
/// made afresh each run (so its load is measured).
async fn postgres_copy(admin: &str, scale: Scale, seed: u64) -> Result<(Store, Generated)> {
    let name = format!("thidua_bench_{}_{seed}", scale.name());
    let server = Store::connect(admin).await?;
    server.bench_recreate_database(&name).await?;
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .ok_or_else(|| anyhow!("URL PostgreSQL không có tên cơ sở dữ liệu: {admin}"))?;
    let url = format!("{base}/{name}");
    let store = Store::connect(&url).await?;
    let g = generate_with_progress(&store, scale, seed).await?;
    Ok((store, g))
}

const EXPORTS: [(&str, &str, &[&str]); 9] = [
    (
        "people",
        "select cast(id as text), full_name, name_folded from people order by id",
        &["id", "full_name", "name_folded"],
    ),
    (
        "person_memberships",
        "select cast(person_id as text), cast(unit_id as text), cast(valid_from as text), cast(valid_until as text) from person_memberships",
        &["person_id", "unit_id", "valid_from", "valid_until"],
    ),
    (
        "person_ratings",
        "select cast(person_id as text), cast(year as text), rating from person_ratings",
        &["person_id", "year", "rating"],
    ),
    (
        "titles",
        "select cast(id as text), cast(person_id as text), cast(year as text), code, cast(decision_date as text), status from titles",
        &["id", "person_id", "year", "code", "decision_date", "status"],
    ),
    (
        "awards",
        "select cast(id as text), cast(person_id as text), code, cast(decision_date as text), cast(period_from as text), cast(period_to as text), status from awards",
        &[
            "id",
            "person_id",
            "code",
            "decision_date",
            "period_from",
            "period_to",
            "status",
        ],
    ),
    (
        "initiatives",
        "select cast(person_id as text), cast(year as text), scope, used_by_code, cast(used_by_year as text), status from initiatives",
        &[
            "person_id",
            "year",
            "scope",
            "used_by_code",
            "used_by_year",
            "status",
        ],
    ),
    (
        "disciplines",
        "select cast(person_id as text), cast(year as text) from disciplines",
        &["person_id", "year"],
    ),
    (
        "person_words",
        "select word, cast(person_id as text) from person_words",
        &["word", "person_id"],
    ),
    ("name_words", "select word from name_words", &["word"]),
];

/// The registry as CSV files for the DuckDB peer; returns their rows.
async fn export(store: &Store, dir: &Path) -> Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut rows = 0;
    for (table, select, header) in EXPORTS {
        let file = std::fs::File::create(dir.join(format!("{table}.csv")))?;
        let mut w = std::io::BufWriter::new(file);
        rows += store.bench_export_csv(select, header, &mut w).await?;
    }
    Ok(rows)
}

fn duckdb(dir: &Path, runs: usize, searches: &serde_json::Value) -> Result<DuckOut> {
    let script = dir.join("duckdb_peer.py");
    let sql = dir.join("sweeps.sql");
    let names = dir.join("searches.json");
    std::fs::write(&script, DUCKDB_PEER)?;
    std::fs::write(&sql, SWEEPS_SQL)?;
    std::fs::write(&names, serde_json::to_vec(searches)?)?;
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg("--csv")
        .arg(dir.join("csv"))
        .arg("--sql")
        .arg(&sql)
        .arg("--year")
        .arg(YEAR.to_string())
        .arg("--runs")
        .arg(runs.to_string())
        .arg("--searches")
        .arg(&names)
        .arg("--sqlite-load")
        .arg(dir.join("peer-sqlite.db"))
        .output()
        .context("không chạy được python3 (cần Python 3 và gói duckdb)")?;
    if !out.status.success() {
        bail!(
            "DuckDB (bench/peers/duckdb_peer.py) thất bại: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("DuckDB trả về không phải JSON")
}

/// A peer's eligible set as (count, checksum).
type Answer = (u64, u64);

async fn sql_answer(
    store: &Store,
    dialect: &str,
    name: &str,
    runs: usize,
) -> Result<(f64, Answer)> {
    let sql = peer_sql(name, dialect)?;
    let mut times = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        ids = store.bench_query_ids(&sql).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((
        median(times),
        (ids.len() as u64, checksum(ids.iter().copied())),
    ))
}

async fn sql_histogram(store: &Store, dialect: &str, runs: usize) -> Result<(f64, Vec<u64>)> {
    let sql = peer_sql("streak_histogram", dialect)?;
    let mut times = Vec::new();
    let mut rows = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        rows = store.bench_query_pairs(&sql).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let people = store.bench_query_ids("select count(*) from people").await?;
    Ok((
        median(times),
        histogram(&rows, people.first().copied().unwrap_or(0)),
    ))
}

/// A peer's (length, people) rows as thidua's histogram (index = length,
/// the people with no streak at 0).
fn histogram(rows: &[(i64, i64)], people: i64) -> Vec<u64> {
    let mut h = vec![0u64; 61];
    let mut with = 0;
    for (len, n) in rows {
        if let Some(slot) = h.get_mut(*len as usize) {
            *slot += *n as u64;
            with += n;
        }
    }
    h[0] = (people - with).max(0) as u64;
    h
}

/// Runs the benchmark; the report says whether every answer agreed.
pub async fn run(
    scale: Scale,
    seed: u64,
    runs: usize,
    pg: Option<String>,
    dir: Option<PathBuf>,
    fresh: bool,
) -> Result<RunReport> {
    let admin = pg
        .or_else(|| std::env::var("THIDUA_BENCH_PG").ok())
        .or_else(|| std::env::var("THIDUA_TEST_PG").ok())
        .ok_or_else(|| {
            anyhow!("cần một máy chủ PostgreSQL cho bên so sánh: --pg postgres://… (hoặc chạy qua scripts/with-postgres.sh)")
        })?;
    let dir = dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("thidua-bench-{}-{seed}", scale.name()))
    });
    eprintln!("== SQLite: {}", dir.join("thidua.db").display());
    let (lite, g_lite) = sqlite_copy(&dir, scale, seed, fresh).await?;
    eprintln!("== PostgreSQL");
    let (pg, g_pg) = postgres_copy(&admin, scale, seed).await?;
    eprintln!("== CSV cho DuckDB");
    let exported = export(&lite, &dir.join("csv")).await?;
    eprintln!("== Chỉ mục văn bản của các bên, 200 tên");
    crate::bench_names::prepare(&lite, &pg).await?;
    let names = crate::bench_names::queries(&lite).await?;
    eprintln!("== DuckDB và bản SQLite nạp bằng Python");
    let duck = duckdb(&dir, runs, &crate::bench_names::duckdb_file(&names))?;

    // Start-up: the snapshot read from each engine.
    let mut startup = Vec::new();
    let t = Instant::now();
    let snap = RegistrySnapshot::load(&lite, &|_, _| {}).await?;
    startup.push(Startup {
        engine: "SQLite".into(),
        seconds: t.elapsed().as_secs_f64(),
        resident_mb: crate::bench::resident_mb(),
    });
    let t = Instant::now();
    let snap_pg = RegistrySnapshot::load(&pg, &|_, _| {}).await?;
    startup.push(Startup {
        engine: "PostgreSQL".into(),
        seconds: t.elapsed().as_secs_f64(),
        resident_mb: crate::bench::resident_mb(),
    });
    drop(snap_pg);
    let (people, whole, bytes) = snap.size()?;

    let mut figures = Vec::new();
    let time_thidua = |f: &dyn Fn() -> Answer| -> (f64, Answer) {
        let mut times = Vec::new();
        let mut a = (0, 0);
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            a = f();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        (median(times), a)
    };
    let sweep = |code: AwardCode| -> Answer {
        snap.with(|s| {
            s.sweep(code, YEAR, DECIDED, None)
                .map(|r| (r.eligible, r.checksum()))
                .unwrap_or((u64::MAX, 0))
        })
        .unwrap_or((u64::MAX, 0))
    };
    for (code, name, label) in [
        (
            AwardCode::ChienSiThiDuaTinh,
            "sweep_cstd_tinh",
            "sweep_cstd_tinh",
        ),
        (AwardCode::BangKhenThuTuong, "sweep_bk_ttg", "sweep_bk_ttg"),
    ] {
        let (ms, mine) = time_thidua(&|| sweep(code));
        let (ms_lite, a_lite) = sql_answer(&lite, "sqlite", name, runs).await?;
        let (ms_pg, a_pg) = sql_answer(&pg, "postgres", name, runs).await?;
        let d = duck
            .queries
            .get(name)
            .ok_or_else(|| anyhow!("DuckDB thiếu {name}"))?;
        let a_duck = (d.count.unwrap_or(u64::MAX), d.checksum.unwrap_or(0));
        figures.push(Figure {
            name: label.into(),
            thidua_ms: ms,
            peers: peers(ms_pg, ms_lite, median(d.ms.clone())),
            agree: mine == a_lite && mine == a_pg && mine == a_duck,
            answer: format!("{} người đủ điều kiện", mine.0),
        });
    }

    // The streak histogram.
    let mut hist = Vec::new();
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        hist = snap.with(|s| s.streak_histogram(YEAR).unwrap_or_default())?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (ms_lite, h_lite) = sql_histogram(&lite, "sqlite", runs).await?;
    let (ms_pg, h_pg) = sql_histogram(&pg, "postgres", runs).await?;
    let d = duck
        .queries
        .get("streak_histogram")
        .ok_or_else(|| anyhow!("DuckDB thiếu streak_histogram"))?;
    let h_duck = histogram(d.rows.as_deref().unwrap_or(&[]), duck.people as i64);
    figures.push(Figure {
        name: "streak_histogram".into(),
        thidua_ms: median(times),
        peers: peers(ms_pg, ms_lite, median(d.ms.clone())),
        agree: hist == h_lite && hist == h_pg && hist == h_duck,
        answer: format!(
            "{} người có chuỗi CSTĐCS đến {YEAR}",
            hist.iter().skip(1).sum::<u64>()
        ),
    });

    // Every award of the catalogue: thidua judges all 22 codes; the peers
    // the seven the data decides (the others are never «eligible»).
    let mut times = Vec::new();
    let mut all: Vec<(AwardCode, Answer)> = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        all = AwardCode::ALL.iter().map(|c| (*c, sweep(*c))).collect();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mine_full = combine(all.iter().filter(|(_, a)| a.0 > 0).map(|(c, a)| (*c, *a)));
    let others_empty = all
        .iter()
        .filter(|(c, _)| !PEER_CODES.iter().any(|(p, _)| p == c))
        .all(|(_, a)| a.0 == 0);
    let mut lite_ms = 0.0;
    let mut pg_ms = 0.0;
    let mut duck_ms = 0.0;
    let mut lite_all = Vec::new();
    let mut pg_all = Vec::new();
    let mut duck_all = Vec::new();
    for (code, name) in PEER_CODES {
        let (ms, a) = sql_answer(&lite, "sqlite", name, runs).await?;
        lite_ms += ms;
        lite_all.push((code, a));
        let (ms, a) = sql_answer(&pg, "postgres", name, runs).await?;
        pg_ms += ms;
        pg_all.push((code, a));
        let d = duck
            .queries
            .get(name)
            .ok_or_else(|| anyhow!("DuckDB thiếu {name}"))?;
        duck_ms += median(d.ms.clone());
        duck_all.push((code, (d.count.unwrap_or(u64::MAX), d.checksum.unwrap_or(0))));
    }
    let full = |v: Vec<(AwardCode, Answer)>| combine(v.into_iter().filter(|(_, a)| a.0 > 0));
    let (f_lite, f_pg, f_duck) = (full(lite_all), full(pg_all), full(duck_all));
    figures.push(Figure {
        name: "full_sweep".into(),
        thidua_ms: median(times),
        peers: peers(pg_ms, lite_ms, duck_ms),
        agree: others_empty && mine_full == f_lite && mine_full == f_pg && mine_full == f_duck,
        answer: format!(
            "{} mã khen thưởng, {} lượt đủ điều kiện",
            AwardCode::ALL.len(),
            all.iter().map(|(_, a)| a.0).sum::<u64>()
        ),
    });

    // Name search, exact and with one letter changed: p99 over every run
    // of every name.
    for (typo, label) in [(false, "search_exact_p99"), (true, "search_typo_p99")] {
        let mine = crate::bench_names::thidua(&snap, &names, typo, runs)?;
        let l = crate::bench_names::sql(&lite, "sqlite", &names, typo, runs).await?;
        let p = crate::bench_names::sql(&pg, "postgres", &names, typo, runs).await?;
        let kind = if typo { "typo" } else { "exact" };
        let d = duck
            .search
            .get(kind)
            .ok_or_else(|| anyhow!("DuckDB thiếu tìm kiếm {kind}"))?;
        figures.push(Figure {
            name: label.into(),
            thidua_ms: mine.p99,
            peers: peers(p.p99, l.p99, d.p99),
            agree: mine.checksum == l.checksum
                && mine.checksum == p.checksum
                && mine.checksum == d.checksum,
            answer: format!(
                "{} tên; p50 thidua {:.3} ms, PostgreSQL {:.2}, SQLite {:.2}, DuckDB {:.2}",
                names.len(),
                mine.p50,
                p.p50,
                l.p50,
                d.p50
            ),
        });
    }

    // The registry search page under load, with and without the index.
    let seconds = match scale {
        Scale::People(_) => 2,
        Scale::Province => 5,
        Scale::National => 10,
    };
    eprintln!("== Trang tra cứu sổ khen thưởng dưới tải ({seconds} s mỗi máy chủ)");
    let page = crate::bench_page::compare(&lite, &pg, &snap, &names, seconds).await?;
    let answer = format!(
        "{} trang, {} máy khách trong {seconds} s, {} dòng; p50 thidua {:.1} ms, PostgreSQL {:.1}, SQLite {:.1}",
        page.pages,
        page.clients,
        page.thidua.rows.iter().sum::<usize>(),
        page.thidua.p50_ms,
        page.postgresql.p50_ms,
        page.sqlite.p50_ms
    );
    for (name, of) in [
        ("search_page_p99", (|r| r.p99_ms) as fn(&PageRun) -> f64),
        ("search_page_per_s", |r| r.requests_per_second),
    ] {
        figures.push(Figure {
            name: name.into(),
            thidua_ms: of(&page.thidua),
            peers: peers(of(&page.postgresql), of(&page.sqlite), f64::NAN),
            agree: page.agree,
            answer: answer.clone(),
        });
    }

    // Loading: rows a second with the indexes built.
    let rate = |rows: u64, s: f64| rows as f64 / s.max(1e-9);
    let sqlite_peer = duck.sqlite_load.as_ref();
    figures.push(Figure {
        name: "load_rows_per_s".into(),
        thidua_ms: rate(g_lite.rows, g_lite.load_seconds + g_lite.index_seconds),
        peers: peers(
            rate(g_pg.rows, g_pg.load_seconds + g_pg.index_seconds),
            sqlite_peer.map_or(f64::NAN, |l| rate(l.rows, l.load_seconds + l.index_seconds)),
            rate(
                duck.load.rows,
                duck.load.load_seconds + duck.load.index_seconds,
            ),
        ),
        agree: g_lite.rows == g_pg.rows
            && duck.load.rows == exported
            && sqlite_peer.is_some_and(|l| l.rows == exported),
        answer: format!(
            "{} dòng (SQLite của thidua), {exported} dòng CSV cho các bên",
            g_lite.rows
        ),
    });

    Ok(RunReport {
        scale: scale.name().into(),
        seed,
        people: people as u64,
        person_years: g_lite.person_years,
        runs,
        machine: machine(),
        figures,
        snapshot_mb: bytes as f64 / 1024.0 / 1024.0,
        whole_histories: whole,
        startup,
    })
}

fn peers(pg: f64, lite: f64, duck: f64) -> BTreeMap<String, f64> {
    BTreeMap::from([
        ("postgresql".to_owned(), pg),
        ("sqlite".to_owned(), lite),
        ("duckdb".to_owned(), duck),
    ])
}

/// One checksum of several codes' answers (codes without eligible people
/// left out by the caller).
fn combine(answers: impl Iterator<Item = (AwardCode, Answer)>) -> Answer {
    let mut n = 0;
    let mut sum = 0u128;
    for (code, (count, sum_code)) in answers {
        let k = AwardCode::ALL.iter().position(|c| *c == code).unwrap_or(0) as u128 + 1;
        n += count;
        sum = (sum + k * u128::from(sum_code)) % ((1u128 << 61) - 1);
    }
    (n, sum as u64)
}

impl std::fmt::Display for RunReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Quy mô {} (seed {}): {} cá nhân, {} năm xếp loại; trung vị của {} lần chạy. Máy: {}",
            self.scale, self.seed, self.people, self.person_years, self.runs, self.machine
        )?;
        writeln!(
            f,
            "{:<18} {:>12} {:>12} {:>12} {:>12} {:>9}  kết quả",
            "chỉ số", "thidua", "PostgreSQL", "SQLite", "DuckDB", "khớp"
        )?;
        for g in &self.figures {
            let unit = if g.name.ends_with("_per_s") {
                ""
            } else {
                " ms"
            };
            let v = |x: f64| {
                if x.is_nan() {
                    "—".to_owned()
                } else if unit.is_empty() {
                    format!("{x:.0}")
                } else {
                    format!("{x:.2}{unit}")
                }
            };
            writeln!(
                f,
                "{:<18} {:>12} {:>12} {:>12} {:>12} {:>9}  {}",
                g.name,
                v(g.thidua_ms),
                v(g.peers["postgresql"]),
                v(g.peers["sqlite"]),
                v(g.peers["duckdb"]),
                if g.agree { "có" } else { "KHÔNG" },
                g.answer
            )?;
        }
        writeln!(
            f,
            "Bản chụp: {:.1} MiB cột, {} lịch sử xét nguyên vẹn.",
            self.snapshot_mb, self.whole_histories
        )?;
        for s in &self.startup {
            writeln!(
                f,
                "Khởi động trên {}: bản chụp sẵn sàng sau {:.2} s, bộ nhớ thường trú {}",
                s.engine,
                s.seconds,
                s.resident_mb.map_or("—".into(), |m| format!("{m:.0} MB"))
            )?;
        }
        Ok(())
    }
}
