//! Đắk Nông in the demo: agencies twinned with bon and buôn since 2004 and
//! what the pairs brought in 2018–2022, the houses of "Vì người nghèo",
//! and the peak campaign of Kế hoạch 461/KH-UBND with its tasks.

use crate::AppResult;
use crate::demo_kit::{advance, demo_err, legacy_xa, lower_first_word, spread};
use thidua_domain::movement::MovementStatus;
use thidua_domain::official::REFORM_2025;
use thidua_domain::org::{CodeList, UnitCode, UnitId, UnitKind};
use thidua_domain::twinning::PairKind;
use thidua_store::{Activity, MovementRow, NewPair, NewUnit, Store, Who};
use time::Date;
use time::macros::date;

/// 87 agencies of Đắk Nông's districts twinned with 79 bon and buôn (311
/// visits, 27.247 people), and 13 of them building a house each for a poor
/// household (905 million đồng in all). Returns the activities recorded.
pub(crate) async fn dak_nong_twinning(
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
pub(crate) async fn peak_campaign(store: &Store, who: &Who, m: &MovementRow) -> AppResult<()> {
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
