//! The movements of the demo, with values entered the way units enter them
//! (checked rows, then approval) so that the roll-ups give the published
//! figures: Đắk Nông 38/60 xã and 16,42 tiêu chí/xã (2023), Cao Bằng 15 xã
//! and 9,86 (2018), Bắc Kạn 15 xã and 10,83 (2019), Bắc Trà My 2/12 xã and
//! 10,08 (2020); Đắk Nông's twinning (87 agencies, 79 bon/buôn, 311 visits,
//! 27.247 people) and poverty (rate down 3,22 points; 13 houses, 905 million).
//!
//! The communes are the official legacy list (2024), so the 2018 figures are
//! reproduced on the communes known today rather than the 2018 map.

use crate::movements::{self, RawValue};
use crate::{AppError, AppResult};
use thidua_domain::movement::MovementStatus;
use thidua_domain::official::REFORM_2025;
use thidua_domain::org::{CodeList, UnitCode, UnitId, UnitKind};
use thidua_sheets::Cell;
use thidua_store::{
    Activity, MovementRow, NewPair, NewUnit, Registrant, Review, Store, UnitRow, Who,
};
use time::Date;
use time::macros::date;

const FILES: [&str; 8] = [
    include_str!("../demo/ntm-tq-2016.toml"),
    include_str!("../demo/ntm-cb-2016.toml"),
    include_str!("../demo/ntm-bk-2016.toml"),
    include_str!("../demo/ntm-qna-2016.toml"),
    include_str!("../demo/ntm-dno-2021.toml"),
    include_str!("../demo/vnn-dno-2021.toml"),
    include_str!("../demo/kn-dno-2021.toml"),
    include_str!("../demo/ntm-ld-2026.toml"),
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

fn criteria_rows(unit: &UnitRow, year: i32, met: usize, salt: usize) -> Vec<RawValue> {
    criteria(met, salt)
        .iter()
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
    let m = fresh(store, "NTM-TQ-2016").await?;
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
        today,
    )
    .await?;
    // Bắc Kạn, 2019: 15 of 95 xã; 1.029 criteria.
    let m = fresh(store, "NTM-BK-2016").await?;
    values += simple_year(
        store,
        who,
        &m,
        "06",
        date!(2019 - 12 - 31),
        2019,
        15,
        1029,
        today,
    )
    .await?;
    // Bắc Trà My (Quảng Nam), 2020: 2 of 12 xã; 121 criteria.
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
        today,
    )
    .await?;
    for code in ["NTM-CB-2016", "NTM-BK-2016", "NTM-QNA-2016"] {
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
    today: Date,
) -> AppResult<usize> {
    let xa = legacy_xa(store, code, on).await?;
    let rest = spread(xa.len() - meet, total - 19 * meet);
    let mut rows = Vec::new();
    for (i, u) in xa.iter().enumerate() {
        let met = if i < meet { 19 } else { rest[i - meet] };
        rows.extend(criteria_rows(u, year, met, i));
    }
    enter_and_approve(store, who, m, &rows, today).await
}

/// Đắk Nông 2021–2023. In 2023: 38 of 60 xã meet the standard, including
/// every xã of Gia Nghĩa (660) and Đắk Glong (667); the 22 others meet 11
/// or 12 criteria (263 in all), so none is below 10 and the average is
/// 985 / 60 = 16,42.
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
        ("661", 4),
        ("662", 4),
        ("663", 4),
        ("664", 4),
        ("665", 3),
        ("666", 3),
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
/// 2021, 7.428 at the end of 2023 — the rate falls by 3,22 points.
async fn dak_nong_poverty(
    store: &Store,
    who: &Who,
    m: &MovementRow,
    today: Date,
) -> AppResult<usize> {
    let on = date!(2023 - 12 - 31);
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
    for (year, poor) in [(2021, 12_000), (2023, 7_428)] {
        let households = spread(n, 142_000);
        let poor = spread(n, poor);
        for (i, u) in communes.iter().enumerate() {
            for (code, v) in [("HN", poor[i]), ("TH", households[i])] {
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
    let visits = spread(orgs.len(), 311);
    let people = spread(orgs.len(), 27_247);
    let mut activities = 0;
    for (i, org) in orgs.iter().enumerate() {
        let pair = store
            .add_twinning_pair(
                who,
                twinning.id,
                &NewPair {
                    org: *org,
                    village: Some(villages[i % villages.len()]),
                    household: None,
                    since: date!(2021 - 03 - 26),
                    note: None,
                },
            )
            .await?;
        // Visits over two years; the people supported counted once a year.
        for (year, share) in [(2022, visits[i] / 2), (2023, visits[i] - visits[i] / 2)] {
            let held_on =
                Date::from_calendar_date(year, time::Month::December, 10).map_err(demo_err)?;
            store
                .add_twinning_activity(
                    who,
                    pair,
                    &Activity {
                        held_on: Some(held_on),
                        visits: share as i64,
                        people: if year == 2022 {
                            (people[i] / 2) as i64
                        } else {
                            (people[i] - people[i] / 2) as i64
                        },
                        money_vnd: 0.0,
                        in_kind_vnd: 0.0,
                        houses_built: 0,
                        houses_repaired: 0,
                    },
                )
                .await?;
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
                    org: orgs[i],
                    village: None,
                    household: Some((*family).to_owned()),
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
                    held_on: Some(date!(2023 - 09 - 02)),
                    visits: 1,
                    people: 5,
                    money_vnd: if i == 0 { 65_000_000.0 } else { 70_000_000.0 },
                    in_kind_vnd: 0.0,
                    houses_built: 1,
                    houses_repaired: 0,
                },
            )
            .await?;
        activities += 1;
    }
    Ok(activities)
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
