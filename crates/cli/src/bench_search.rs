//! `thidua bench search`: registry search latency on a generated province
//! registry (default 300 000 people and 3 000 000 award rows), on whichever
//! engine `--db` names, and the bulk load rate.

use anyhow::{Result, anyhow};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::fmt;
use std::time::Instant;
use thidua_app::registry::{self, Search};
use thidua_app::report::Boundaries;
use thidua_domain::VnDate;
use thidua_domain::person::PersonName;
use thidua_store::{BenchBatch, Store, SubjectFilter};
use time::Date;

const FAMILY: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
    "H'",
];
const MIDDLE_M: [&str; 6] = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công"];
const MIDDLE_F: [&str; 5] = ["Thị", "Ngọc", "Thu", "Thanh", "Kim"];
const GIVEN_M: [&str; 16] = [
    "Đức", "Dũng", "Hùng", "Cường", "Tuấn", "Hải", "Long", "Nam", "Phong", "Quang", "Sơn", "Thắng",
    "Việt", "Khánh", "Toàn", "Bình",
];
const GIVEN_F: [&str; 16] = [
    "Hoa", "Lan", "Hương", "Mai", "Linh", "Trang", "Thảo", "Ngân", "Hằng", "Yến", "Nhung", "Thủy",
    "Huyền", "Thắm", "Hường", "Loan",
];
const ETHNIC: [&str; 6] = ["Kinh", "Kinh", "Kinh", "M'Nông", "Ê Đê", "Tày"];
const CODES: [&str; 6] = [
    "LAO_DONG_TIEN_TIEN",
    "CHIEN_SI_THI_DUA_CO_SO",
    "GIAY_KHEN",
    "BANG_KHEN_TINH",
    "BANG_KHEN_THU_TUONG",
    "CHIEN_SI_THI_DUA_TINH",
];
const ISSUERS: [&str; 3] = [
    "Chủ tịch Ủy ban nhân dân tỉnh",
    "Chủ tịch Ủy ban nhân dân xã",
    "Thủ tướng Chính phủ",
];

#[derive(Serialize)]
pub struct SearchBench {
    pub engine: String,
    pub people: usize,
    pub awards: usize,
    /// `None` when an earlier run's registry was reused.
    pub load_seconds: Option<f64>,
    pub rows_per_second: Option<f64>,
    pub queries: Vec<QueryTiming>,
    pub import: ImportTiming,
}

/// The XLSX import of historical awards: a generated file in the template's
/// shape, checked and written whole.
#[derive(Serialize)]
pub struct ImportTiming {
    pub rows: usize,
    pub file_bytes: usize,
    /// Reading and checking every row (the preview).
    pub check_seconds: f64,
    /// Checking again and writing in one transaction (the import).
    pub import_seconds: f64,
    pub rows_per_second: f64,
}

#[derive(Serialize)]
pub struct QueryTiming {
    pub query: String,
    pub hits: usize,
    pub runs: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl fmt::Display for SearchBench {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} người, {} dòng khen thưởng",
            self.engine, self.people, self.awards
        )?;
        match (self.load_seconds, self.rows_per_second) {
            (Some(s), Some(r)) => writeln!(f, "; nạp {s:.1} s ({r:.0} dòng/s)")?,
            _ => writeln!(f, "; dùng lại sổ đã nạp")?,
        }
        for q in &self.queries {
            writeln!(
                f,
                "  {:<58} {:>5} kết quả  p50 {:>7.1} ms  p99 {:>7.1} ms  ({} lần)",
                q.query, q.hits, q.p50_ms, q.p99_ms, q.runs
            )?;
        }
        let i = &self.import;
        writeln!(
            f,
            "  nhập Excel: {} dòng ({} KB): kiểm tra {:.1} s; kiểm tra và ghi {:.1} s ({:.0} dòng/s)",
            i.rows,
            i.file_bytes / 1024,
            i.check_seconds,
            i.import_seconds,
            i.rows_per_second
        )
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// Loads the generated registry into units of Lâm Đồng (the demo is seeded
/// first when the database is empty), then times the searches.
pub async fn search(
    store: &Store,
    people: usize,
    awards: usize,
    runs: usize,
    reuse: bool,
    import_rows: usize,
    today: Date,
) -> Result<SearchBench> {
    if store.count_units().await? == 0 {
        thidua_app::demo::seed(store, &thidua_store::Who::system("bench"), &|_| {}).await?;
    }
    let province = store
        .resolve_code("68", None, today)
        .await?
        .ok_or_else(|| anyhow!("thiếu tỉnh 68"))?;
    let units: Vec<i64> = store
        .subtree_as_of(province.id, today)
        .await?
        .into_iter()
        .map(|(u, _)| u.id.0)
        .collect();
    let per_person = awards / people.max(1);
    let mut rng = Rng(7);
    let batch = 10_000usize;
    let bar = ProgressBar::new(people as u64);
    bar.set_style(
        ProgressStyle::with_template("nạp sổ khen thưởng [{bar:30}] {pos}/{len} người ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let reused = reuse && store.count_people().await? >= people as i64;
    let started = Instant::now();
    let mut written = 0usize;
    let mut done = 0usize;
    while done < people && !reused {
        let n = batch.min(people - done);
        let mut ps = Vec::with_capacity(n);
        let mut aw = Vec::with_capacity(n * per_person);
        for i in 0..n {
            let female = rng.next(2) == 0;
            let raw = format!(
                "{} {} {}",
                FAMILY[rng.next(FAMILY.len())],
                if female {
                    MIDDLE_F[rng.next(MIDDLE_F.len())]
                } else {
                    MIDDLE_M[rng.next(MIDDLE_M.len())]
                },
                if female {
                    GIVEN_F[rng.next(GIVEN_F.len())]
                } else {
                    GIVEN_M[rng.next(GIVEN_M.len())]
                },
            );
            let raw = raw.replace("H' ", "H'");
            let name = PersonName::parse(&raw).map_err(|e| anyhow!("{e}"))?;
            let born =
                Date::from_ordinal_date(1960 + rng.next(40) as i32, 1 + rng.next(365) as u16)?;
            ps.push((
                name.as_str().to_owned(),
                name.folded(),
                name.sort_key(),
                if female { "female" } else { "male" },
                born,
                ETHNIC[rng.next(ETHNIC.len())],
                units[rng.next(units.len())],
            ));
            for _ in 0..per_person {
                let day =
                    Date::from_ordinal_date(2000 + rng.next(26) as i32, 1 + rng.next(365) as u16)?;
                aw.push((
                    i,
                    CODES[rng.next(CODES.len())],
                    day,
                    ISSUERS[rng.next(ISSUERS.len())],
                ));
            }
        }
        store
            .bench_insert(&BenchBatch {
                people: &ps,
                awards: &aw,
            })
            .await?;
        written += ps.len() + aw.len();
        done += n;
        bar.set_position(done as u64);
    }
    bar.finish();
    let load = started.elapsed().as_secs_f64();
    if !reused {
        store.analyze().await?;
    }
    let lam_dong = Some((province.id, Boundaries::Current));
    let cases: Vec<(String, Search)> = vec![
        (
            "nguyen thi hoa".into(),
            Search {
                text: "nguyen thi hoa".into(),
                ..base()
            },
        ),
        (
            "nguyen thi".into(),
            Search {
                text: "nguyen thi".into(),
                ..base()
            },
        ),
        (
            "tran van duc, typo «tran van dcu»".into(),
            Search {
                text: "tran van dcu".into(),
                ..base()
            },
        ),
        (
            "h'hen (a rare name)".into(),
            Search {
                text: "hhen".into(),
                ..base()
            },
        ),
        (
            "le thi lan + Bằng khen tỉnh 2015–2020".into(),
            Search {
                text: "le thi lan".into(),
                codes: vec!["BANG_KHEN_TINH".into()],
                year_from: Some(2015),
                year_to: Some(2020),
                ..base()
            },
        ),
        (
            "pham quoc + Thủ tướng".into(),
            Search {
                text: "pham quoc".into(),
                issuer: Some("Thủ tướng".into()),
                ..base()
            },
        ),
        (
            "pham quoc + unit 68 (current boundaries) + Thủ tướng".into(),
            Search {
                text: "pham quoc".into(),
                issuer: Some("Thủ tướng".into()),
                unit: lam_dong,
                ..base()
            },
        ),
    ];
    let mut queries = Vec::new();
    for (label, s) in cases {
        let mut times = Vec::with_capacity(runs);
        let mut hits = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let found = registry::search_in(store, None, None, &s).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            hits = found.hits.len();
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        queries.push(QueryTiming {
            query: label,
            hits,
            runs,
            p50_ms: at(0.5),
            p99_ms: at(0.99),
        });
    }
    let import = import_rate(store, import_rows, today).await?;
    Ok(SearchBench {
        import,
        engine: store.engine().to_string(),
        people,
        awards: per_person * people,
        load_seconds: (!reused).then_some(load),
        rows_per_second: (!reused).then(|| written as f64 / load.max(1e-9)),
        queries,
    })
}

/// Writes an XLSX in the template's shape naming `rows` generated people
/// (each the only one with their name and birth date), then times its check
/// and its import. Decision numbers carry a nonce so that a rerun on the
/// same database is not refused as duplicates.
async fn import_rate(store: &Store, rows: usize, today: Date) -> Result<ImportTiming> {
    use thidua_app::movements::Enterer;
    use thidua_app::registry_import::{self, SHEET};
    use thidua_sheets::{Cell, Sheet};
    let people = store.bench_unique_people(rows as i64).await?;
    let nonce = time::OffsetDateTime::now_utc().unix_timestamp() % 100_000;
    let forms = [
        ("BANG_KHEN_TINH", "Chủ tịch UBND tỉnh"),
        ("GIAY_KHEN", "Chủ tịch UBND xã"),
        ("BANG_KHEN_THU_TUONG", "Thủ tướng Chính phủ"),
    ];
    let mut rng = Rng(11);
    let mut lines = Vec::with_capacity(people.len());
    for (i, (name, born)) in people.iter().enumerate() {
        let (form, issuer) = forms[rng.next(forms.len())];
        let day = Date::from_ordinal_date(2001 + rng.next(24) as i32, 1 + rng.next(365) as u16)?;
        lines.push(vec![
            Cell::from((i + 1) as f64),
            Cell::from("Cá nhân"),
            Cell::from(name.as_str()),
            Cell::from(VnDate(*born).to_string()),
            Cell::Empty,
            Cell::from(form),
            Cell::from(issuer),
            Cell::from(format!("{}/QĐ-NH{nonce}", i + 1)),
            Cell::from(VnDate(day).to_string()),
            Cell::Empty,
            Cell::Empty,
            Cell::from("Hoàn thành xuất sắc nhiệm vụ"),
            Cell::Empty,
        ]);
    }
    let template = registry_import::template(store).await?;
    let header = thidua_sheets::read_sheet(&template, SHEET)?
        .rows
        .first()
        .map(|r| r.iter().map(Cell::text).collect())
        .unwrap_or_default();
    let bytes = thidua_sheets::write(&[Sheet {
        name: SHEET.to_owned(),
        header,
        rows: lines,
    }])?;
    let bar = ProgressBar::new_spinner();
    bar.set_message(format!("nhập Excel {} dòng", people.len()));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let t = Instant::now();
    let plan =
        registry_import::preview(store, Enterer::System, today, "bench.xlsx", &bytes).await?;
    let check_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let who = thidua_store::Who::system("bench");
    let (_, ids) =
        registry_import::import(store, &who, Enterer::System, today, "bench.xlsx", &bytes).await?;
    let import_seconds = t.elapsed().as_secs_f64();
    bar.finish_and_clear();
    if ids.len() != plan.rows.len() {
        return Err(anyhow!("nhập {} dòng, ghi {}", plan.rows.len(), ids.len()));
    }
    Ok(ImportTiming {
        rows: ids.len(),
        file_bytes: bytes.len(),
        check_seconds,
        import_seconds,
        rows_per_second: ids.len() as f64 / import_seconds.max(1e-9),
    })
}

fn base() -> Search {
    Search {
        subjects: SubjectFilter::Any,
        limit: 200,
        ..Search::default()
    }
}
