//! One generated person's life in the registry, year by year, and the
//! chunks of rows many of them make.

use super::names::{ETHNIC, full_name, weighted};
use fastrand::Rng;
use std::collections::HashSet;
use thidua_domain::person::PersonName;
use thidua_store::{BulkTable, Cell};
use time::{Date, Month};

/// First and last year of generated history.
pub const FIRST_YEAR: i32 = 2011;
pub const LAST_YEAR: i32 = 2025;

/// Units people are spread over: communes and agencies, each with its
/// province's name (for the issuer of its awards).
#[derive(Clone)]
pub(crate) struct Place {
    pub(crate) unit: i64,
    pub(crate) agency: bool,
}

/// People per chunk handed to the loader.
pub(super) const CHUNK: u64 = 10_000;

/// Rows of `CHUNK` people.
pub(super) struct Chunk {
    pub(super) people: u64,
    pub(super) tables: Vec<BulkTable>,
}

/// Name words already written (name_words holds each once).
#[derive(Default)]
pub(super) struct Words {
    seen: HashSet<String>,
    issuers_written: bool,
}

const STAMP: &str = "2026-01-01T00:00:00Z";

/// Ratings: HTXSNV, HTTNV, HTNV, KHTNV in per-mille (about 20/55/20/5 %).
const RATINGS: &[(&str, u32)] = &[
    ("HTXSNV", 200),
    ("HTTNV", 550),
    ("HTNV", 200),
    ("KHTNV", 50),
];
/// How often a person's rating is last year's again (per-mille): people
/// keep their level, which is what makes streaks.
const KEEP_RATING: u32 = 600;

const PROVINCE_ISSUER: &str = "Chủ tịch Ủy ban nhân dân tỉnh";
const PM_ISSUER: &str = "Thủ tướng Chính phủ";
const PRESIDENT_ISSUER: &str = "Chủ tịch nước";
const UNIT_ISSUER: &str = "Thủ trưởng đơn vị";
const COMMUNE_ISSUER: &str = "Chủ tịch Ủy ban nhân dân xã";

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap_or(Month::January), d)
        .unwrap_or(Date::MIN)
}

fn chance(rng: &mut Rng, per_mille: u32) -> bool {
    rng.u32(0..1000) < per_mille
}

fn tables() -> Vec<BulkTable> {
    vec![
        BulkTable::new(
            "people",
            &[
                "id",
                "full_name",
                "name_folded",
                "sort_key",
                "gender",
                "birth_date",
                "ethnicity",
                "created_at",
            ],
        ),
        BulkTable::new(
            "person_memberships",
            &[
                "person_id",
                "unit_id",
                "valid_from",
                "valid_until",
                "end_reason",
            ],
        ),
        BulkTable::new(
            "person_ratings",
            &[
                "person_id",
                "year",
                "rating",
                "unit_id",
                "recorded_by",
                "recorded_at",
            ],
        ),
        BulkTable::new(
            "titles",
            &[
                "person_id",
                "year",
                "code",
                "decision_number",
                "decision_date",
                "created_at",
                "subject_unit_id",
            ],
        ),
        BulkTable::new(
            "awards",
            &[
                "person_id",
                "code",
                "award_type",
                "decision_number",
                "decision_date",
                "issuer",
                "period_from",
                "period_to",
                "created_at",
                "subject_unit_id",
            ],
        ),
        BulkTable::new(
            "initiatives",
            &[
                "person_id",
                "year",
                "name",
                "scope",
                "recognised_by",
                "used_by_code",
                "used_by_year",
                "created_at",
            ],
        ),
        BulkTable::new(
            "disciplines",
            &[
                "person_id",
                "year",
                "level",
                "decision_number",
                "created_at",
            ],
        ),
        BulkTable::new(
            "person_words",
            &["word", "person_id", "sort_key", "name_folded"],
        ),
        BulkTable::new("name_words", &["word"]),
        BulkTable::new("award_issuers", &["name"]),
    ]
}

/// The rows of people `first..=last`; each person's draws depend only on
/// the seed and their id, so a chunk is the same whatever came before.
pub(super) fn chunk(
    seed: u64,
    first: u64,
    last: u64,
    places: &[Place],
    words: &mut Words,
) -> Chunk {
    let mut t = tables();
    for id in first..=last {
        let mut rng = Rng::with_seed(seed ^ id.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        life(&mut rng, id as i64, places, &mut t, words);
    }
    if !words.issuers_written {
        words.issuers_written = true;
        for i in [
            PROVINCE_ISSUER,
            PM_ISSUER,
            PRESIDENT_ISSUER,
            UNIT_ISSUER,
            COMMUNE_ISSUER,
        ] {
            t[9].push([Cell::Word(i)]);
        }
    }
    Chunk {
        people: last - first + 1,
        tables: t,
    }
}

/// What the simulation remembers of a person's past.
#[derive(Default)]
struct Past {
    /// Years with a CSTĐCS title.
    cstdcs: Vec<i32>,
    /// Years rated HTTNV or better.
    good: Vec<i32>,
    /// (year, index in initiatives table, used) of provincial initiatives.
    provincial: Vec<(i32, bool)>,
    bk_tinh_end: Option<i32>,
    bk_ttg_end: Option<i32>,
    hcld3_end: Option<i32>,
    cstd_tinh_end: Option<i32>,
}

impl Past {
    fn run_ending(years: &[i32], y: i32, after: Option<i32>) -> i32 {
        let mut n = 0;
        while years.contains(&(y - n)) && after.is_none_or(|a| y - n > a) {
            n += 1;
        }
        n
    }
}

/// Who the person is: name, sex, birth, ethnicity, and the words of the
/// name for the search tables; returns the year of birth.
fn identity(rng: &mut Rng, id: i64, t: &mut [BulkTable], words: &mut Words) -> Option<i32> {
    let female = rng.bool();
    let ethnicity = weighted(rng, ETHNIC);
    let raw = full_name(rng, ethnicity, female);
    let name = PersonName::parse(&raw).ok()?;
    let birth_year = rng.i32(1962..=2001);
    let birth = day(birth_year, rng.u8(1..=12), rng.u8(1..=28));
    let folded = name.folded();
    let sort_key = name.sort_key();
    t[0].push([
        Cell::Int(id),
        Cell::Text(name.as_str().to_owned()),
        Cell::Text(folded.clone()),
        Cell::Text(sort_key.clone()),
        Cell::Word(if female { "female" } else { "male" }),
        Cell::Day(birth),
        Cell::Word(ethnicity),
        Cell::Word(STAMP),
    ]);
    let mut own: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    own.sort_unstable();
    own.dedup();
    for w in own {
        t[7].push([
            Cell::Text(w.to_owned()),
            Cell::Int(id),
            Cell::Text(sort_key.clone()),
            Cell::Text(folded.clone()),
        ]);
        if words.seen.insert(w.to_owned()) {
            t[8].push([Cell::Text(w.to_owned())]);
        }
    }
    Some(birth_year)
}

fn life(rng: &mut Rng, id: i64, places: &[Place], t: &mut [BulkTable], words: &mut Words) {
    let Some(birth_year) = identity(rng, id, t, words) else {
        return;
    };
    // A career: starts between 22 and 30, never before 1990; some move
    // once, some retire or leave before the last year.
    let start_year = (birth_year + rng.i32(22..=30)).clamp(1990, LAST_YEAR);
    let start_month = rng.u8(1..=12);
    let start = day(start_year, start_month, 1);
    let first_unit = &places[rng.usize(0..places.len())];
    let first_rated = start_year.max(FIRST_YEAR);
    let moves = chance(rng, 150).then(|| rng.i32(first_rated + 1..=LAST_YEAR + 1));
    let leaves = chance(rng, 40).then(|| rng.i32(first_rated + 1..=LAST_YEAR + 1));
    let last_rated = leaves.map_or(LAST_YEAR, |l| (l - 1).min(LAST_YEAR));
    let move_year = moves.filter(|m| *m <= last_rated);
    let mut stints: Vec<(i64, Date, Option<Date>, Option<&'static str>)> = Vec::new();
    let mut from = start;
    let second = match move_year {
        Some(m) => {
            let at = day(m, rng.u8(1..=12), 1);
            stints.push((first_unit.unit, from, Some(at), Some("transfer")));
            from = at;
            &places[rng.usize(0..places.len())]
        }
        None => first_unit,
    };
    match leaves {
        Some(l) if l <= LAST_YEAR => {
            stints.push((second.unit, from, Some(day(l, 1, 1)), Some("retire")));
        }
        _ => stints.push((second.unit, from, None, None)),
    }
    for (u, f, until, why) in &stints {
        t[1].push([
            Cell::Int(id),
            Cell::Int(*u),
            Cell::Day(*f),
            until.map_or(Cell::Null, Cell::Day),
            why.map_or(Cell::Null, Cell::Word),
        ]);
    }
    let unit_in = |y: i32| -> &Place {
        match move_year {
            Some(m) if y < m => first_unit,
            _ => second,
        }
    };

    let mut past = Past::default();
    let mut last_rating = weighted(rng, RATINGS);
    for y in first_rated..=last_rated {
        let place = unit_in(y);
        let rating = if chance(rng, KEEP_RATING) {
            last_rating
        } else {
            weighted(rng, RATINGS)
        };
        last_rating = rating;
        t[2].push([
            Cell::Int(id),
            Cell::Int(i64::from(y)),
            Cell::Word(rating),
            Cell::Int(place.unit),
            Cell::Word("bench"),
            Cell::Word(STAMP),
        ]);
        let good = matches!(rating, "HTXSNV" | "HTTNV");
        let excellent = rating == "HTXSNV";
        if good {
            past.good.push(y);
        }
        let disciplined = chance(rng, 4);
        if disciplined {
            let level = ["khien_trach", "canh_cao", "ha_bac_luong"][rng.usize(0..3)];
            t[6].push([
                Cell::Int(id),
                Cell::Int(i64::from(y)),
                Cell::Word(level),
                Cell::Text(format!("{}/QĐ-KL", rng.u32(1..999))),
                Cell::Word(STAMP),
            ]);
        }
        // Initiatives: mostly from people who excel.
        let mut coso_initiative = false;
        if chance(
            rng,
            if excellent {
                250
            } else if good {
                30
            } else {
                0
            },
        ) {
            let scope = match rng.u32(0..1000) {
                0..850 => "co_so",
                850..980 => "tinh",
                _ => "toan_quoc",
            };
            coso_initiative = true;
            if scope != "co_so" {
                past.provincial.push((y, false));
            }
            t[5].push([
                Cell::Int(id),
                Cell::Int(i64::from(y)),
                Cell::Text(format!("Sáng kiến cải tiến quy trình công việc năm {y}")),
                Cell::Word(scope),
                Cell::Word("Hội đồng sáng kiến"),
                Cell::Null,
                Cell::Null,
                Cell::Word(STAMP),
            ]);
        }
        // The annual title: months worked in the first year, no discipline.
        let worked = start_year < y || (start_year == y && start_month <= 3);
        let title = if good && !disciplined && worked && chance(rng, 950) {
            if (excellent || coso_initiative) && chance(rng, 550) {
                past.cstdcs.push(y);
                Some("CHIEN_SI_THI_DUA_CO_SO")
            } else {
                Some("LAO_DONG_TIEN_TIEN")
            }
        } else {
            None
        };
        if let Some(code) = title {
            title_row(t, id, y, code, place, rng);
        }
        forms(rng, &mut past, id, y, place.unit, t);
    }
}

/// An annual title entered by the unit's decision, and now and then the
/// Giấy khen that goes with it.
fn title_row(
    t: &mut [BulkTable],
    id: i64,
    y: i32,
    code: &'static str,
    place: &Place,
    rng: &mut Rng,
) {
    t[3].push([
        Cell::Int(id),
        Cell::Int(i64::from(y)),
        Cell::Word(code),
        Cell::Text(format!("{}/QĐ-UBND", 100 + rng.u32(0..900))),
        Cell::Day(day(y + 1, 1, rng.u8(5..=25))),
        Cell::Word(STAMP),
        Cell::Int(place.unit),
    ]);
    if chance(rng, 80) {
        award(
            t,
            id,
            "GIAY_KHEN",
            (y, y),
            day(y + 1, 2, 10),
            if place.agency {
                UNIT_ISSUER
            } else {
                COMMUNE_ISSUER
            },
            place.unit,
            rng,
        );
    }
}

/// The provincial and central forms a history reaches in year `y`,
/// given with the chance a province proposes them.
fn forms(rng: &mut Rng, past: &mut Past, id: i64, y: i32, unit: i64, t: &mut [BulkTable]) {
    let covered = |end: Option<i32>| end.is_some_and(|e| e >= y);
    // Bằng khen tỉnh: CSTĐCS twice in a row.
    if !covered(past.bk_tinh_end)
        && Past::run_ending(&past.cstdcs, y, past.bk_tinh_end) >= 2
        && chance(rng, 500)
    {
        past.bk_tinh_end = Some(y);
        award(
            t,
            id,
            "BANG_KHEN_TINH",
            (y - 1, y),
            day(y + 1, 4, 20),
            PROVINCE_ISSUER,
            unit,
            rng,
        );
    }
    // Chiến sĩ thi đua tỉnh: three CSTĐCS since the last, a provincial
    // initiative not used.
    if !covered(past.cstd_tinh_end) && Past::run_ending(&past.cstdcs, y, past.cstd_tinh_end) >= 3 {
        let free = past
            .provincial
            .iter()
            .position(|(iy, used)| !used && (y - 2..=y).contains(iy));
        if let Some(i) = free
            && chance(rng, 600)
        {
            past.provincial[i].1 = true;
            past.cstd_tinh_end = Some(y);
            award(
                t,
                id,
                "CHIEN_SI_THI_DUA_TINH",
                (y - 2, y),
                day(y + 1, 4, 25),
                PROVINCE_ISSUER,
                unit,
                rng,
            );
            // The initiative is marked used by this award: the last
            // initiative row of that year and scope stands for it.
            mark_used(t, id, past.provincial[i].0, y);
        }
    }
    // Bằng khen Thủ tướng: five good years after the Bằng khen tỉnh, three
    // CSTĐCS among them.
    if let Some(base) = past.bk_tinh_end
        && !covered(past.bk_ttg_end)
    {
        let from = base.max(past.bk_ttg_end.unwrap_or(i32::MIN)) + 1;
        let run = Past::run_ending(&past.good, y, Some(from - 1));
        let cstdcs = past
            .cstdcs
            .iter()
            .filter(|c| (y - run + 1..=y).contains(*c))
            .count();
        if run >= 5 && cstdcs >= 3 && chance(rng, 400) {
            past.bk_ttg_end = Some(y);
            award(
                t,
                id,
                "BANG_KHEN_THU_TUONG",
                (y - 4, y),
                day(y + 1, 6, 1),
                PM_ISSUER,
                unit,
                rng,
            );
        }
    }
    // Huân chương Lao động hạng Ba: five good years after the Thủ tướng's.
    if let Some(base) = past.bk_ttg_end
        && !covered(past.hcld3_end)
        && base < y
    {
        let from = base.max(past.hcld3_end.unwrap_or(i32::MIN)) + 1;
        let run = Past::run_ending(&past.good, y, Some(from - 1));
        let cstdcs = past
            .cstdcs
            .iter()
            .filter(|c| (y - run + 1..=y).contains(*c))
            .count();
        if run >= 5 && cstdcs >= 3 && chance(rng, 300) {
            past.hcld3_end = Some(y);
            award(
                t,
                id,
                "HUAN_CHUONG_LAO_DONG_HANG_BA",
                (y - 4, y),
                day(y + 1, 8, 20),
                PRESIDENT_ISSUER,
                unit,
                rng,
            );
        }
    }
}

/// Marks the person's initiative of `year` (provincial or national) as
/// used for the CSTĐ tỉnh of `for_year`.
fn mark_used(t: &mut [BulkTable], id: i64, year: i32, for_year: i32) {
    let width = t[5].columns.len();
    let cells = &mut t[5].cells;
    let mut row = cells.len() / width;
    while row > 0 {
        row -= 1;
        let r = &mut cells[row * width..(row + 1) * width];
        let mine = matches!(r[0], Cell::Int(p) if p == id);
        if !mine {
            break;
        }
        let scope_ok = matches!(r[3], Cell::Word(s) if s != "co_so");
        let year_ok = matches!(r[1], Cell::Int(y) if y == i64::from(year));
        if scope_ok && year_ok && matches!(r[5], Cell::Null) {
            r[5] = Cell::Word("CHIEN_SI_THI_DUA_TINH");
            r[6] = Cell::Int(i64::from(for_year));
            return;
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn award(
    t: &mut [BulkTable],
    id: i64,
    code: &'static str,
    (from, to): (i32, i32),
    decided: Date,
    issuer: &'static str,
    unit: i64,
    rng: &mut Rng,
) {
    t[4].push([
        Cell::Int(id),
        Cell::Word(code),
        Cell::Word("regular"),
        Cell::Text(format!(
            "{}/QĐ-{}",
            100 + rng.u32(0..2900),
            match issuer {
                PM_ISSUER => "TTg",
                PRESIDENT_ISSUER => "CTN",
                _ => "UBND",
            }
        )),
        Cell::Day(decided),
        Cell::Word(issuer),
        Cell::Int(i64::from(from)),
        Cell::Int(i64::from(to)),
        Cell::Word(STAMP),
        Cell::Int(unit),
    ]);
}
