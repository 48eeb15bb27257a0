//! The movements of the demo, with values entered the way units enter them
//! (checked rows, then approval) so that the roll-ups give the published
//! figures: Đắk Nông 38/60 xã and 16,42 tiêu chí/xã (2023, with Cư Jút and
//! Đắk R'Lấp at 100 %), Cao Bằng 15 xã and 9,86 (2018), Bắc Kạn 15 xã and
//! 10,83 (2019), Bắc Trà My 2/12 xã, 10,08 and planning done in 12/12
//! (2020); Đắk Nông's twinning 2018–2022 (87 agencies, 79 bon/buôn, 311
//! visits, 27.247 people, 438 supported in production, 13 models, 32
//! households out of poverty with 882 million, 16 works) and poverty in 2022
//! (rate down 3,22 points, 8,25 among local ethnic minorities; 13 houses,
//! 905 million); and the peak campaign of Kế hoạch 461/KH-UBND with its
//! tasks.
//!
//! The communes are the official legacy list (2024), so the 2018 figures are
//! reproduced on the communes known today rather than the 2018 map.

use crate::movements::{self, RawValue};
use crate::{AppError, AppResult};
use thidua_domain::movement::MovementStatus;
use thidua_domain::official::REFORM_2025;
use thidua_domain::org::{CodeList, UnitCode, UnitId, UnitKind};
use thidua_domain::twinning::PairKind;
use thidua_sheets::Cell;
use thidua_store::{
    Activity, MovementRow, NewPair, NewUnit, Registrant, Review, Store, UnitRow, Who,
};
use time::Date;
use time::macros::date;

const FILES: [&str; 12] = [
    include_str!("../demo/ntm-tq-2011.toml"),
    include_str!("../demo/ntm-cb-2016.toml"),
    include_str!("../demo/ntm-bk-2011.toml"),
    include_str!("../demo/ntm-qna-2016.toml"),
    include_str!("../demo/ntm-dno-2021.toml"),
    include_str!("../demo/vnn-dno-2021.toml"),
    include_str!("../demo/kn-dno-2021.toml"),
    include_str!("../demo/ntm-ld-2026.toml"),
    include_str!("../demo/cd20-dno-2022.toml"),
    include_str!("../demo/bgqg-cb-2014.toml"),
    include_str!("../demo/antq-cb-2014.toml"),
    include_str!("../demo/ndsx-cb-2014.toml"),
];

/// The commune the journey's browser test enters values for (Xã Quảng Sơn,
/// Lâm Đồng); the demo leaves its 2026 values empty.
pub const JOURNEY_COMMUNE: &str = "24616";

fn demo_err(e: impl std::fmt::Display) -> AppError {
    AppError::Demo(e.to_string())
}

/// `n` whole numbers adding up to `total`, as even as possible, larger first.
fn spread(n: usize, total: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    (0..n)
        .map(|i| total / n + usize::from(i < total % n))
        .collect()
}

/// The 19 criteria of a commune meeting `met` of them, the missing ones
/// varying from commune to commune.
fn criteria(met: usize, salt: usize) -> [bool; 19] {
    let mut out = [false; 19];
    for (j, c) in out.iter_mut().enumerate() {
        *c = (j + salt) % 19 < met;
    }
    out
}

/// The xã of a legacy province or district on a day, in code order.
async fn legacy_xa(store: &Store, code: &str, on: Date) -> AppResult<Vec<UnitRow>> {
    let root = store
        .units_by_code(code, Some(CodeList::Legacy), on)
        .await?
        .into_iter()
        .find(|u| u.period.contains(on))
        .ok_or_else(|| demo_err(format!("thiếu đơn vị {code}")))?;
    let mut xa: Vec<UnitRow> = store
        .subtree_as_of(root.id, on)
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .filter(|u| u.kind == UnitKind::Commune && u.admin_type.as_deref() == Some("xã"))
        .collect();
    xa.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(xa)
}

/// As [`criteria`], with planning (TC01) among those met whenever any is.
fn criteria_planned(met: usize, salt: usize) -> [bool; 19] {
    let mut out = [false; 19];
    out[0] = met > 0;
    for (j, c) in out.iter_mut().enumerate().skip(1) {
        *c = (j - 1 + salt) % 18 < met.saturating_sub(1);
    }
    out
}

fn criteria_rows(unit: &UnitRow, year: i32, met: usize, salt: usize) -> Vec<RawValue> {
    rows_of(unit, year, &criteria(met, salt))
}

fn rows_of(unit: &UnitRow, year: i32, met: &[bool; 19]) -> Vec<RawValue> {
    met.iter()
        .enumerate()
        .map(|(j, ok)| RawValue {
            line: 0,
            unit_code: unit.code.clone(),
            period: year.to_string(),
            indicator: format!("TC{:02}", j + 1),
            value: Cell::Text(if *ok { "Đạt" } else { "Không đạt" }.to_owned()),
            note: None,
        })
        .collect()
}

/// Enters values as the system and approves them.
async fn enter_and_approve(
    store: &Store,
    who: &Who,
    m: &MovementRow,
    rows: &[RawValue],
    today: Date,
) -> AppResult<usize> {
    let report = movements::enter_approved_values(store, who, m, "demo", rows, today).await?;
    Ok(report.inserted)
}

async fn advance(
    store: &Store,
    who: &Who,
    m: &MovementRow,
    to: &[(MovementStatus, Option<(Date, &str)>)],
) -> AppResult<()> {
    for (status, review) in to {
        let review = review.map(|(held_on, report)| Review {
            held_on,
            doc_number: None,
            report: report.to_owned(),
        });
        store
            .set_movement_status(who, m.id, *status, review.as_ref())
            .await?;
    }
    Ok(())
}

const RUN: [(MovementStatus, Option<(Date, &str)>); 2] = [
    (MovementStatus::Launched, None),
    (MovementStatus::Running, None),
];

/// The movement as stored now (its status moves on as the demo runs).
async fn fresh(store: &Store, code: &str) -> AppResult<MovementRow> {
    let c = thidua_domain::movement::MovementCode::parse(code).map_err(demo_err)?;
    store
        .movement_by_code(&c)
        .await?
        .ok_or_else(|| demo_err(code))
}

/// "Huyện Cư Jút" → "huyện Cư Jút", as it reads after an office's name.
fn lower_first_word(name: &str) -> String {
    for word in ["Thành phố ", "Thị xã ", "Huyện "] {
        if let Some(rest) = name.strip_prefix(word) {
            return format!("{}{rest}", word.to_lowercase());
        }
    }
    name.to_owned()
}

/// Creates the demo movements and their data; returns (movements, values).
pub async fn seed(store: &Store, who: &Who, today: Date) -> AppResult<(usize, usize)> {
    let mut created = Vec::new();
    for text in FILES {
        let new = movements::parse_movement_file(store, text).await?;
        let id = store.create_movement(who, &new).await?;
        created.push(
            store
                .movement(id)
                .await?
                .ok_or_else(|| demo_err("phong trào vừa tạo"))?,
        );
    }
    let mut values = 0;
    for m in &created {
        advance(store, who, m, &RUN).await?;
    }
    let m = fresh(store, "NTM-TQ-2011").await?;
    advance(
        store,
        who,
        &m,
        &[(
            MovementStatus::FinalReview,
            Some((
                date!(2020 - 12 - 15),
                "Tổng kết 10 năm Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
            )),
        )],
    )
    .await?;

    // Cao Bằng, 31/12/2018: 15 of 139 xã meet the standard; 1.370 criteria.
    let m = fresh(store, "NTM-CB-2016").await?;
    values += simple_year(
        store,
        who,
        &m,
        "04",
        date!(2018 - 12 - 31),
        2018,
        15,
        1370,
        false,
        today,
    )
    .await?;
    // Bắc Kạn, 2019: 15 of 95 xã; 1.029 criteria.
    let m = fresh(store, "NTM-BK-2011").await?;
    values += simple_year(
        store,
        who,
        &m,
        "06",
        date!(2019 - 12 - 31),
        2019,
        15,
        1029,
        false,
        today,
    )
    .await?;
    // Bắc Trà My (Quảng Nam), 2020: 2 of 12 xã; 121 criteria; every xã
    // has its New Rural plan (TC01).
    let m = fresh(store, "NTM-QNA-2016").await?;
    values += simple_year(
        store,
        who,
        &m,
        "515",
        date!(2020 - 12 - 31),
        2020,
        2,
        121,
        true,
        today,
    )
    .await?;
    for code in ["NTM-CB-2016", "NTM-BK-2011", "NTM-QNA-2016"] {
        let m = fresh(store, code).await?;
        advance(
            store,
            who,
            &m,
            &[
                (
                    MovementStatus::InterimReview,
                    Some((date!(2018 - 06 - 30), "Sơ kết giữa giai đoạn")),
                ),
                (
                    MovementStatus::FinalReview,
                    Some((date!(2020 - 11 - 30), "Tổng kết giai đoạn 2016–2020")),
                ),
                (MovementStatus::Closed, None),
            ],
        )
        .await?;
    }

    values += dak_nong_new_rural(store, who, &fresh(store, "NTM-DNO-2021").await?, today).await?;
    values += dak_nong_poverty(store, who, &fresh(store, "VNN-DNO-2021").await?, today).await?;
    let pairs = dak_nong_twinning(
        store,
        who,
        &fresh(store, "KN-DNO-2021").await?,
        &fresh(store, "VNN-DNO-2021").await?,
    )
    .await?;
    values += pairs;
    values += lam_dong_2026(store, who, &fresh(store, "NTM-LD-2026").await?, today).await?;
    peak_campaign(store, who, &fresh(store, "CD20-DNO-2022").await?).await?;
    Ok((created.len(), values))
}

/// One year of criteria for the xã under `code`: the first `meet` meet all
/// 19; the others share the remaining criteria evenly.
#[allow(clippy::too_many_arguments)]
async fn simple_year(
    store: &Store,
    who: &Who,
    m: &MovementRow,
    code: &str,
    on: Date,
    year: i32,
    meet: usize,
    total: usize,
    planned: bool,
    today: Date,
) -> AppResult<usize> {
    let xa = legacy_xa(store, code, on).await?;
    let rest = spread(xa.len() - meet, total - 19 * meet);
    let mut rows = Vec::new();
    for (i, u) in xa.iter().enumerate() {
        let met = if i < meet { 19 } else { rest[i - meet] };
        if planned {
            rows.extend(rows_of(u, year, &criteria_planned(met, i)));
        } else {
            rows.extend(criteria_rows(u, year, met, i));
        }
    }
    enter_and_approve(store, who, m, &rows, today).await
}

/// Đắk Nông 2021–2023. In 2023: 38 of 60 xã meet the standard, including
/// every xã of Cư Jút (662) and Đắk R'Lấp (666); the 22 others meet 11 or
/// 12 criteria (263 in all), so none is below 10 and the average is
/// 985 / 60 = 16,42. (Gia Nghĩa finished the 2016–2020 programme in 2020;
/// against the 2021–2025 criteria one of its two xã falls short again.)
async fn dak_nong_new_rural(
    store: &Store,
    who: &Who,
    m: &MovementRow,
    today: Date,
) -> AppResult<usize> {
    let on = date!(2023 - 12 - 31);
    let xa = legacy_xa(store, "67", on).await?;
    let mut district_of = Vec::new();
    for u in &xa {
        let up = store.ancestors_as_of(u.id, on).await?;
        district_of.push(up.first().map(|d| d.code.clone()).unwrap_or_default());
    }
    // The first k xã of each other district fall short.
    let short: [(&str, usize); 6] = [
        ("660", 1),
        ("661", 5),
        ("663", 5),
        ("664", 5),
        ("665", 3),
        ("667", 3),
    ];
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut meets = Vec::new();
    for d in &district_of {
        let k = seen.entry(d.clone()).or_default();
        *k += 1;
        let limit = short.iter().find(|(c, _)| c == d).map_or(0, |(_, n)| *n);
        meets.push(*k > limit);
    }
    let shortfall = spread(meets.iter().filter(|m| !**m).count(), 263);
    let mut rows = Vec::new();
    let mut s = 0;
    let mut met_2023 = Vec::new();
    for (i, u) in xa.iter().enumerate() {
        let met = if meets[i] {
            19
        } else {
            s += 1;
            shortfall[s - 1]
        };
        met_2023.push(met);
        rows.extend(criteria_rows(u, 2023, met, i));
    }
    // Earlier years: fewer xã at the standard, the others a little behind.
    let mut count_met = 0;
    for (i, u) in xa.iter().enumerate() {
        let (y21, y22) = if met_2023[i] == 19 {
            count_met += 1;
            (
                if count_met <= 28 { 19 } else { 17 },
                if count_met <= 33 { 19 } else { 18 },
            )
        } else {
            (met_2023[i].saturating_sub(2), met_2023[i].saturating_sub(1))
        };
        rows.extend(criteria_rows(u, 2021, y21, i));
        rows.extend(criteria_rows(u, 2022, y22, i));
    }
    let n = enter_and_approve(store, who, m, &rows, today).await?;
    advance(
        store,
        who,
        m,
        &[(
            MovementStatus::InterimReview,
            Some((date!(2023 - 12 - 20), "Sơ kết 3 năm thực hiện phong trào")),
        )],
    )
    .await?;
    Ok(n)
}

/// Poor households of Đắk Nông's 71 communes: 12.000 of 142.000 at the end of
/// 2021, 7.428 at the end of 2022 — the rate falls by 3,22 points; among the
/// 20.000 households of local ethnic minorities, 4.000 then 2.350 — down by
/// 8,25 points.
async fn dak_nong_poverty(
    store: &Store,
    who: &Who,
    m: &MovementRow,
    today: Date,
) -> AppResult<usize> {
    let on = date!(2022 - 12 - 31);
    let prov = store
        .units_by_code("67", Some(CodeList::Legacy), on)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| demo_err("67"))?;
    let communes: Vec<UnitRow> = store
        .subtree_as_of(prov.id, on)
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .filter(|u| u.kind == UnitKind::Commune)
        .collect();
    let n = communes.len();
    let mut rows = Vec::new();
    for (year, poor, poor_local) in [(2021, 12_000, 4_000), (2022, 7_428, 2_350)] {
        let households = spread(n, 142_000);
        let local = spread(n, 20_000);
        let poor = spread(n, poor);
        let poor_local = spread(n, poor_local);
        for (i, u) in communes.iter().enumerate() {
            for (code, v) in [
                ("HN", poor[i]),
                ("TH", households[i]),
                ("HN_DTTS", poor_local[i]),
                ("TH_DTTS", local[i]),
            ] {
                rows.push(RawValue {
                    line: 0,
                    unit_code: u.code.clone(),
                    period: year.to_string(),
                    indicator: code.to_owned(),
                    value: Cell::Number(v as f64),
                    note: None,
                });
            }
        }
    }
    enter_and_approve(store, who, m, &rows, today).await
}

/// 87 agencies of Đắk Nông's districts twinned with 79 bon and buôn (311
/// visits, 27.247 people), and 13 of them building a house each for a poor
/// household (905 million đồng in all). Returns the activities recorded.
async fn dak_nong_twinning(
    store: &Store,
    who: &Who,
    twinning: &MovementRow,
    poverty: &MovementRow,
) -> AppResult<usize> {
    const OFFICES: [&str; 11] = [
        "Phòng Nội vụ",
        "Phòng Tài chính – Kế hoạch",
        "Phòng Giáo dục và Đào tạo",
        "Phòng Nông nghiệp và Phát triển nông thôn",
        "Phòng Văn hóa và Thông tin",
        "Phòng Lao động – Thương binh và Xã hội",
        "Phòng Tài nguyên và Môi trường",
        "Phòng Y tế",
        "Phòng Tư pháp",
        "Phòng Kinh tế và Hạ tầng",
        "Phòng Dân tộc",
    ];
    let before = date!(2021 - 01 - 01);
    let prov = store
        .units_by_code("67", Some(CodeList::Legacy), before)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| demo_err("67"))?;
    let districts = store.children_as_of(prov.id, before).await?;
    let code = |s: String| UnitCode::parse(&s).map_err(demo_err);
    let mut orgs = Vec::new();
    'outer: for d in &districts {
        for (k, office) in OFFICES.iter().enumerate() {
            if orgs.len() == 87 {
                break 'outer;
            }
            let id = store
                .create_unit(
                    who,
                    &NewUnit {
                        code: code(format!("DNO.H{}.P{:02}", d.code, k + 1))?,
                        kind: UnitKind::StateAgency,
                        admin_type: None,
                        name: format!("{office} {}", lower_first_word(&d.name)),
                        short_name: None,
                        parent: Some(d.id),
                        valid_from: Some(date!(2010 - 01 - 01)),
                    },
                )
                .await?;
            orgs.push(id);
        }
    }
    let villages = dak_nong_villages(store, who, before).await?;
    // Eight decisions of the province paired them, from 2004 on.
    const DECISIONS: [Date; 8] = [
        date!(2004 - 09 - 15),
        date!(2006 - 03 - 20),
        date!(2008 - 05 - 12),
        date!(2010 - 04 - 05),
        date!(2013 - 06 - 18),
        date!(2016 - 08 - 22),
        date!(2019 - 03 - 11),
        date!(2021 - 03 - 26),
    ];
    // 2018–2022: visits and people in three of the years; production
    // support in 2020; works in 2018; models and households out of poverty
    // (882 million) in 2022.
    let visits = spread(orgs.len(), 311);
    let people = spread(orgs.len(), 27_247);
    let supported = spread(orgs.len(), 438);
    let mut activities = 0;
    for (i, org) in orgs.iter().enumerate() {
        let pair = store
            .add_twinning_pair(
                who,
                twinning.id,
                &NewPair {
                    kind: PairKind::OrgVillage,
                    org: *org,
                    village: Some(villages[i % villages.len()]),
                    household: None,
                    person: None,
                    since: DECISIONS[i * DECISIONS.len() / orgs.len()],
                    note: None,
                },
            )
            .await?;
        let thirds = spread(3, visits[i]);
        let people_thirds = spread(3, people[i]);
        for (k, year) in [2018, 2020, 2022].into_iter().enumerate() {
            let held_on =
                Date::from_calendar_date(year, time::Month::December, 10).map_err(demo_err)?;
            let activity = Activity {
                held_on: Some(held_on),
                visits: thirds[k] as i64,
                people: people_thirds[k] as i64,
                beneficiaries: if year == 2020 { supported[i] as i64 } else { 0 },
                production_models: i64::from(year == 2022 && i < 13),
                households_out_of_poverty: i64::from(year == 2022 && (13..45).contains(&i)),
                money_vnd: if year == 2022 && (13..45).contains(&i) {
                    27_562_500.0
                } else {
                    0.0
                },
                works_built: i64::from(year == 2018 && (45..61).contains(&i)),
                ..Activity::default()
            };
            store.add_twinning_activity(who, pair, &activity).await?;
            activities += 1;
        }
    }
    activities += dak_nong_houses(store, who, poverty, &orgs).await?;
    Ok(activities)
}

/// 79 bon and buôn under Đắk Nông's xã, one or two per xã, moved at the
/// reform to the commune their xã became.
async fn dak_nong_villages(store: &Store, who: &Who, before: Date) -> AppResult<Vec<UnitId>> {
    let code = |s: String| UnitCode::parse(&s).map_err(demo_err);
    let xa = legacy_xa(store, "67", before).await?;
    let mut villages = Vec::new();
    for (i, x) in xa.iter().cycle().take(79).enumerate() {
        let word = if i % 2 == 0 { "Bon" } else { "Buôn" };
        let nth = i / xa.len() + 1;
        let v = store
            .create_unit(
                who,
                &NewUnit {
                    code: code(format!("V{}.B{nth}", x.code))?,
                    kind: UnitKind::Village,
                    admin_type: Some(word.to_lowercase()),
                    name: format!(
                        "{word} {nth} ({})",
                        x.short_name.as_deref().unwrap_or(&x.name)
                    ),
                    short_name: None,
                    parent: Some(x.id),
                    valid_from: Some(date!(2000 - 01 - 01)),
                },
            )
            .await?;
        if let Some(s) = store
            .became_as_of(x.id, REFORM_2025)
            .await?
            .into_iter()
            .find(|l| l.primary)
        {
            store
                .reparent(
                    who,
                    v,
                    s.unit.id,
                    REFORM_2025,
                    Some("Sắp xếp đơn vị hành chính cấp xã (01/07/2025)"),
                )
                .await?;
        }
        villages.push(v);
    }
    Ok(villages)
}

/// 13 agencies building a house each for a poor household (905 million
/// đồng in all).
async fn dak_nong_houses(
    store: &Store,
    who: &Who,
    poverty: &MovementRow,
    orgs: &[UnitId],
) -> AppResult<usize> {
    let mut activities = 0;
    const FAMILIES: [&str; 13] = [
        "Hộ ông Y Bhiăn",
        "Hộ bà H'Mai",
        "Hộ ông Điểu K'Rang",
        "Hộ bà Thị Hoa",
        "Hộ ông Y Nhưm",
        "Hộ bà H'Luân",
        "Hộ ông Điểu Xuyên",
        "Hộ bà Thị Sen",
        "Hộ ông Y Krông",
        "Hộ bà H'Ngọc",
        "Hộ ông K'Thành",
        "Hộ bà Thị Lý",
        "Hộ ông Y Thuân",
    ];
    for (i, family) in FAMILIES.iter().enumerate() {
        let pair = store
            .add_twinning_pair(
                who,
                poverty.id,
                &NewPair {
                    kind: PairKind::OrgHousehold,
                    org: orgs[i],
                    village: None,
                    household: Some((*family).to_owned()),
                    person: None,
                    since: date!(2022 - 01 - 01),
                    note: Some("Nhà tình nghĩa".to_owned()),
                },
            )
            .await?;
        store
            .add_twinning_activity(
                who,
                pair,
                &Activity {
                    held_on: Some(date!(2022 - 12 - 15)),
                    visits: 1,
                    people: 5,
                    money_vnd: if i == 0 { 65_000_000.0 } else { 70_000_000.0 },
                    in_kind_vnd: 0.0,
                    houses_built: 1,
                    houses_repaired: 0,
                    ..Activity::default()
                },
            )
            .await?;
        activities += 1;
    }
    Ok(activities)
}

/// The peak campaign of Kế hoạch 461/KH-UBND: its tasks for Sở Nội vụ,
/// Sở Thông tin và Truyền thông and the Fatherland Front, reviewed with the
/// year-end reviews of 2022 and 2023 and closed.
async fn peak_campaign(store: &Store, who: &Who, m: &MovementRow) -> AppResult<()> {
    let on = date!(2022 - 08 - 11);
    let prov = store
        .units_by_code("67", Some(CodeList::Legacy), on)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| demo_err("67"))?;
    // Two bodies the demo's agency list does not have.
    for (c, name, kind) in [
        (
            "DNO.STTTT",
            "Sở Thông tin và Truyền thông tỉnh Đắk Nông",
            UnitKind::StateAgency,
        ),
        (
            "DNO.MTTQ",
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Nông",
            UnitKind::Association,
        ),
    ] {
        store
            .create_unit(
                who,
                &NewUnit {
                    code: UnitCode::parse(c).map_err(demo_err)?,
                    kind,
                    admin_type: None,
                    name: name.to_owned(),
                    short_name: None,
                    parent: Some(prov.id),
                    valid_from: Some(date!(2004 - 01 - 01)),
                },
            )
            .await?;
    }
    let tasks = [
        (
            "DNO.SNV",
            "Hướng dẫn, đôn đốc, kiểm tra việc triển khai phong trào; hướng dẫn tiêu chuẩn khen thưởng; thẩm định hồ sơ, trình Chủ tịch UBND tỉnh khen thưởng và trình cấp trên khen thưởng",
            Some(date!(2023 - 10 - 31)),
            Some(
                "Đã ban hành hướng dẫn tiêu chuẩn khen thưởng của đợt thi đua; tổng hợp, thẩm định hồ sơ sơ kết năm 2022.",
            ),
        ),
        (
            "DNO.STTTT",
            "Chỉ đạo, hướng dẫn báo chí tuyên truyền phong trào và các hoạt động kỷ niệm 20 năm thành lập tỉnh; nêu gương người tốt, việc tốt, điển hình tiên tiến",
            Some(date!(2023 - 10 - 31)),
            None,
        ),
        (
            "DNO.MTTQ",
            "Vận động các tầng lớp Nhân dân, đoàn viên, hội viên hưởng ứng thi đua, lập thành tích chào mừng kỷ niệm 20 năm thành lập tỉnh",
            Some(date!(2023 - 10 - 31)),
            None,
        ),
    ];
    for (code, content, due, report) in tasks {
        let unit = store
            .resolve_code(code, None, on)
            .await?
            .ok_or_else(|| demo_err(code))?;
        let task = crate::movements::tasks::NewTask {
            unit: unit.id,
            content: content.to_owned(),
            due,
        };
        let id = crate::movements::tasks::assign(
            store,
            who,
            crate::movements::Enterer::System,
            m,
            &task,
            date!(2022 - 08 - 15),
        )
        .await?;
        if let Some(r) = report {
            store.report_movement_task(who, id, r).await?;
        }
    }
    advance(
        store,
        who,
        m,
        &[
            (
                MovementStatus::InterimReview,
                Some((
                    date!(2022 - 12 - 28),
                    "Sơ kết phong trào gắn với tổng kết nhiệm vụ công tác năm 2022",
                )),
            ),
            (
                MovementStatus::FinalReview,
                Some((
                    date!(2023 - 12 - 27),
                    "Tổng kết phong trào gắn với tổng kết nhiệm vụ công tác năm 2023",
                )),
            ),
            (MovementStatus::Closed, None),
        ],
    )
    .await
}

/// Lâm Đồng 2026 (today's boundaries): most xã have entered and had their
/// 2026 criteria approved; some registered with targets. The journey's xã
/// has registered but not entered anything yet.
async fn lam_dong_2026(store: &Store, who: &Who, m: &MovementRow, today: Date) -> AppResult<usize> {
    let on = date!(2026 - 06 - 30);
    let prov = store
        .units_by_code("68", Some(CodeList::Y2025), on)
        .await?
        .into_iter()
        .find(|u| u.period.contains(on))
        .ok_or_else(|| demo_err("68"))?;
    let mut xa: Vec<UnitRow> = store
        .children_as_of(prov.id, on)
        .await?
        .into_iter()
        .filter(|u| u.kind == UnitKind::Commune && u.admin_type.as_deref() == Some("xã"))
        .collect();
    xa.sort_by(|a, b| a.code.cmp(&b.code));
    let indicators = store.indicators(m.id).await?;
    let so_tc = indicators
        .iter()
        .find(|i| i.def.code.as_str() == "SO_TC")
        .map(|i| i.id);
    let mut rows = Vec::new();
    for (i, u) in xa.iter().enumerate() {
        if i % 3 == 0 || u.code == JOURNEY_COMMUNE {
            store
                .register(
                    who,
                    m.id,
                    Registrant::Unit(u.id),
                    date!(2026 - 02 - 10),
                    Some("Phấn đấu đạt thêm ít nhất 2 tiêu chí trong năm"),
                    &so_tc.map(|id| vec![(id, 19.0)]).unwrap_or_default(),
                )
                .await?;
        }
        if u.code == JOURNEY_COMMUNE || i % 5 == 4 {
            continue;
        }
        let met = [19, 19, 17, 15, 14, 18, 19, 12][i % 8];
        rows.extend(criteria_rows(u, 2026, met, i));
    }
    enter_and_approve(store, who, m, &rows, today).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_add_up() {
        assert_eq!(spread(22, 263).iter().sum::<usize>(), 263);
        assert_eq!(spread(3, 10), vec![4, 3, 3]);
        assert!(spread(0, 5).is_empty());
        assert_eq!(criteria(19, 7).iter().filter(|c| **c).count(), 19);
        assert_eq!(criteria(12, 7).iter().filter(|c| **c).count(), 12);
    }
}
