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

use crate::AppResult;
use crate::demo_kit::{
    RUN, advance, criteria_planned, criteria_rows, demo_err, enter_and_approve, fresh, legacy_xa,
    rows_of, spread,
};
use crate::movements::{self, RawValue};
use thidua_domain::movement::MovementStatus;
use thidua_domain::org::{CodeList, UnitKind};
use thidua_sheets::Cell;
use thidua_store::{MovementRow, Registrant, Store, UnitRow, Who};
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
    let pairs = crate::demo_dak_nong::dak_nong_twinning(
        store,
        who,
        &fresh(store, "KN-DNO-2021").await?,
        &fresh(store, "VNN-DNO-2021").await?,
    )
    .await?;
    values += pairs;
    values += lam_dong_2026(store, who, &fresh(store, "NTM-LD-2026").await?, today).await?;
    crate::demo_dak_nong::peak_campaign(store, who, &fresh(store, "CD20-DNO-2022").await?).await?;
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
