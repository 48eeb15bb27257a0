//! The demo against its sources: each published fact of the five news
//! pages the demo reproduces (`../shared/sources/`, outside the repository)
//! comes out of the demo's data through the product's own reports, at the
//! date the page gives. The sentences checked are thidua's own phrasing of
//! those facts.

use crate::report::{Boundaries, MovementReport, movement_report};
use crate::stats::{StatsQuery, award_stats_in};
use thidua_domain::movement::MovementCode;
use thidua_domain::number::format_vi;
use thidua_store::{Store, Who};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 12 - 06);

async fn report(store: &Store, code: &str, unit: &str, on: Date) -> MovementReport {
    let m = store
        .movement_by_code(&MovementCode::parse(code).unwrap())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("movement {code}"));
    let root = store
        .resolve_code(unit, None, on)
        .await
        .unwrap()
        .filter(|u| u.period.contains(on))
        .unwrap_or_else(|| panic!("unit {unit} on {on}"))
        .id;
    movement_report(store, &m, Some(root), on, Some(Boundaries::Legacy), TODAY)
        .await
        .unwrap()
}

fn value(r: &MovementReport, indicator: &str, rollup: &str) -> (Option<f64>, usize) {
    let f = r
        .figures
        .iter()
        .find(|f| f.indicator.as_str() == indicator && f.rollup == rollup)
        .unwrap_or_else(|| panic!("{indicator}.{rollup}"));
    (f.value, f.total)
}

/// The statistics' sentence for one form, one movement and some years.
async fn awards(
    store: &Store,
    codes: &[&str],
    movement: &str,
    years: (i32, i32),
    issuer: Option<&str>,
) -> String {
    let m = store
        .movement_by_code(&MovementCode::parse(movement).unwrap())
        .await
        .unwrap()
        .unwrap();
    let q = StatsQuery {
        codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        issuer: issuer.map(str::to_owned),
        year_from: Some(years.0),
        year_to: Some(years.1),
        unit: None,
        movement: Some(m.id),
        issuer_kind: None,
    };
    let sentence = award_stats_in(store, None, TODAY, &q)
        .await
        .unwrap()
        .sentence;
    // The sentence names the movement; the rest is the source's figure.
    let clause = format!(", trong phong trào thi đua «{}»", m.name);
    assert!(sentence.contains(&clause), "{sentence}");
    sentence.replacen(&clause, "", 1)
}

/// Đắk Nông, 2023 and 2022 (source 000).
async fn dak_nong(store: &Store) {
    // 38 of 60 xã at the standard, 16,42 criteria each, none under 10, and
    // the two districts at 100 % are Cư Jút and Đắk R'Lấp.
    let r = report(store, "NTM-DNO-2021", "67", date!(2023 - 12 - 31)).await;
    assert_eq!(
        r.summary.as_deref(),
        Some(
            "Toàn tỉnh có 38/60 xã đạt chuẩn nông thôn mới; 2 huyện có 100 % số xã đạt chuẩn nông thôn mới; bình quân 16,42 tiêu chí/xã; không còn xã đạt dưới 10 tiêu chí"
        )
    );
    let complete: Vec<&str> = r
        .children
        .iter()
        .filter(|c| {
            c.figures.iter().any(|f| {
                f.indicator.as_str() == "NTM"
                    && f.rollup == "groups_district_ge_1"
                    && f.value == Some(1.0)
            })
        })
        .map(|c| c.unit.name.as_str())
        .collect();
    assert_eq!(complete, ["Huyện Cư Jút", "Huyện Đắk R'Lấp"]);

    // 2022: the poverty rate down 3,22 points, 8,25 among local minorities.
    let r = report(store, "VNN-DNO-2021", "67", date!(2022 - 12 - 31)).await;
    assert_eq!(
        r.summary.as_deref(),
        Some(
            "Toàn tỉnh có tỷ lệ hộ nghèo giảm 3,22 % so với cuối năm 2021; tỷ lệ hộ nghèo đồng bào dân tộc thiểu số tại chỗ giảm 8,25 %"
        )
    );
    // 13 houses worth 905 million, built in 2022 (none by the end of 2021).
    let t = r.twinning.expect("houses");
    assert_eq!((t.houses_built, t.money_vnd), (13, 905_000_000.0));
    let before = report(store, "VNN-DNO-2021", "67", date!(2021 - 12 - 31)).await;
    assert_eq!(before.twinning.map(|t| t.houses_built).unwrap_or(0), 0);

    // Twinning 2018–2022: 87 agencies, 79 bon and buôn, and what it brought.
    let r = report(store, "KN-DNO-2021", "67", date!(2022 - 12 - 31)).await;
    let t = r.twinning.expect("twinning");
    assert_eq!(
        t.sentence,
        "87 cơ quan, đơn vị kết nghĩa, giúp đỡ 79 thôn, bon, buôn; 311 lượt thăm hỏi, 27.247 người được hỗ trợ; hỗ trợ phát triển sản xuất cho 438 đối tượng, 13 mô hình sản xuất; 32 hộ thoát nghèo; sửa chữa, xây mới 16 công trình; tổng giá trị hỗ trợ 882 triệu đồng"
    );
    // Paired by eight decisions, the first in 2004.
    let m = store
        .movement_by_code(&MovementCode::parse("KN-DNO-2021").unwrap())
        .await
        .unwrap()
        .unwrap();
    let since: std::collections::BTreeSet<Date> = store
        .twinning_pairs(m.id, date!(2022 - 12 - 31))
        .await
        .unwrap()
        .iter()
        .map(|p| p.since)
        .collect();
    assert_eq!(since.len(), 8);
    assert_eq!(since.first().map(|d| d.year()), Some(2004));

    // The province's own honours, by year.
    let dak = store
        .resolve_code("67", None, date!(2020 - 01 - 01))
        .await
        .unwrap()
        .unwrap();
    let years = |code: &'static str| {
        let q = StatsQuery {
            codes: vec![code.to_owned()],
            issuer: None,
            year_from: None,
            year_to: None,
            unit: Some((dak.id, Boundaries::Legacy)),
            movement: None,
            issuer_kind: None,
        };
        async move {
            award_stats_in(store, None, TODAY, &q)
                .await
                .unwrap()
                .by_year
                .iter()
                .map(|(y, _)| *y)
                .collect::<Vec<i32>>()
        }
    };
    assert_eq!(years("HUAN_CHUONG_DOC_LAP_HANG_BA").await, [2008]);
    assert_eq!(years("HUAN_CHUONG_DOC_LAP_HANG_NHI").await, [2013]);
    assert_eq!(
        years("CO_THI_DUA_CHINH_PHU").await,
        [2010, 2012, 2020, 2021]
    );
    assert_eq!(years("BANG_KHEN_THU_TUONG").await, [2016]);
}

/// Cao Bằng (source 001).
async fn cao_bang(store: &Store) {
    // The blocks work under the regulation of Quyết định 589/QĐ-UBND.
    let c = store.clusters(None).await.unwrap();
    assert!(
        c.iter()
            .any(|c| c.regulation.contains("589/QĐ-UBND ngày 25/5/2018")),
        "{c:?}"
    );
    // Bằng khen of the chairman, 2014–2018, by movement.
    for (movement, sentence) in [
        (
            "BGQG-CB-2014",
            "Trong giai đoạn 2014 – 2018 đã có 47 tập thể và 103 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen.",
        ),
        (
            "ANTQ-CB-2014",
            "Trong giai đoạn 2014 – 2018 đã có 39 tập thể và 47 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen.",
        ),
        (
            "NDSX-CB-2014",
            "Trong giai đoạn 2014 – 2018 đã có 12 tập thể và 126 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen.",
        ),
    ] {
        assert_eq!(
            awards(
                store,
                &["BANG_KHEN_TINH"],
                movement,
                (2014, 2018),
                Some("Chủ tịch UBND tỉnh")
            )
            .await,
            sentence,
            "{movement}"
        );
    }
    // New Rural at the end of 2018: 15 xã, 9,86 criteria each.
    let r = report(store, "NTM-CB-2016", "04", date!(2018 - 12 - 31)).await;
    assert_eq!(value(&r, "NTM", "count_ge_1").0, Some(15.0));
    assert_eq!(figure_display(&r, "SO_TC", "avg"), "9,86");
}

fn figure_display(r: &MovementReport, indicator: &str, rollup: &str) -> String {
    let (v, _) = value(r, indicator, rollup);
    format_vi(v.unwrap_or_default(), 2)
}

/// The peak campaign of Kế hoạch 461/KH-UBND (source 002).
async fn plan_461(store: &Store) {
    let m = store
        .movement_by_code(&MovementCode::parse("CD20-DNO-2022").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.doc_number.as_deref(), Some("461/KH-UBND"));
    assert_eq!(m.doc_date, Some(date!(2022 - 08 - 11)));
    assert_eq!(
        (m.start, m.end),
        (date!(2022 - 08 - 11), Some(date!(2023 - 10 - 31)))
    );
    assert_eq!(m.kind, thidua_domain::movement::MovementKind::Campaign);
    assert!(
        m.award_forms
            .iter()
            .any(|f| f.starts_with("Bằng khen của Chủ tịch UBND tỉnh"))
    );
    assert!(m.award_forms.iter().any(|f| f.starts_with("Giấy khen")));
    // Not the New Rural movement's plan.
    let ntm = store
        .movement_by_code(&MovementCode::parse("NTM-DNO-2021").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ntm.doc_number, None);
    // Its tasks: the Department of Home Affairs, the Department of
    // Information and Communications, the Fatherland Front.
    let tasks: Vec<String> = store
        .movement_tasks(m.id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.unit_code)
        .collect();
    assert_eq!(tasks, ["DNO.SNV", "DNO.STTTT", "DNO.MTTQ"]);
    // Reviewed with the year-end reviews of 2022 and 2023.
    let reviews: Vec<i32> = store
        .movement_reviews(m.id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.held_on.year())
        .collect();
    assert_eq!(reviews, [2022, 2023]);
}

/// Bắc Kạn, as reported in December 2019 (source 003).
async fn bac_kan(store: &Store) {
    let r = report(store, "NTM-BK-2011", "06", date!(2019 - 12 - 31)).await;
    assert_eq!(value(&r, "NTM", "count_ge_1").0, Some(15.0));
    assert_eq!(figure_display(&r, "SO_TC", "avg"), "10,83");
    let years = (2011, 2019);
    assert_eq!(
        awards(store, &["CO_THI_DUA_TINH"], "NTM-BK-2011", years, None).await,
        "Trong giai đoạn 2011 – 2019 đã có 4 tập thể được tặng Cờ thi đua cấp bộ, ban, ngành, tỉnh."
    );
    assert_eq!(
        awards(
            store,
            &["BANG_KHEN_TINH"],
            "NTM-BK-2011",
            years,
            Some("Chủ tịch UBND tỉnh")
        )
        .await,
        "Trong giai đoạn 2011 – 2019 đã có 54 tập thể và 57 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen."
    );
    assert_eq!(
        awards(
            store,
            &["BANG_KHEN_THU_TUONG"],
            "NTM-BK-2011",
            years,
            Some("Thủ tướng Chính phủ")
        )
        .await,
        "Trong giai đoạn 2011 – 2019 đã có 5 tập thể và 4 cá nhân được Thủ tướng Chính phủ tặng Bằng khen."
    );
    // The chairman's Bằng khen were signed by a vice-chair, for the chair.
    let signed: Vec<String> = store
        .decisions(None, 5000)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.signer == "Đỗ Thị Minh Hoa")
        .map(|d| d.signer_title)
        .collect();
    assert!(!signed.is_empty());
    assert!(signed.iter().all(|t| t == "Phó Chủ tịch"), "{signed:?}");
}

/// The examples Bắc Kạn's movement held up, honoured at its ceremony, and
/// Bắc Trà My's commune model (sources 003 and 004).
async fn examples(store: &Store) {
    let all = store.examples(None, false, 100).await.unwrap();
    let honoured: Vec<&str> = all
        .iter()
        .filter(|e| {
            e.event_name
                .as_deref()
                .is_some_and(|n| n.contains("Bắc Kạn"))
        })
        .map(|e| e.subject_name.as_str())
        .collect();
    for name in ["Bàn Văn Trị", "Hoàng Văn Mù", "Ma Văn Tình", "Thào A Súa"] {
        assert!(honoured.contains(&name), "{name} in {honoured:?}");
    }
    assert!(
        all.iter()
            .any(|e| e.subject_name == "Xã Trà Đông" && e.deeds.contains("rác thải"))
    );
    let public = store.examples(None, true, 100).await.unwrap();
    assert_eq!(public.len(), 3);
}

/// Bắc Trà My, 2020 (source 004).
async fn bac_tra_my(store: &Store) {
    let r = report(store, "NTM-QNA-2016", "515", date!(2020 - 12 - 31)).await;
    // Planning (TC01) is met in every one of the district's 12 xã.
    let m = store
        .movement_by_code(&MovementCode::parse("NTM-QNA-2016").unwrap())
        .await
        .unwrap()
        .unwrap();
    let tc01 = store
        .indicators(m.id)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.def.code.as_str() == "TC01")
        .unwrap()
        .id;
    let planned: Vec<f64> = store
        .approved_values(m.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|v| v.indicator_id == tc01 && v.period == "2020")
        .map(|v| v.value)
        .collect();
    assert_eq!(
        (planned.len(), planned.iter().filter(|v| **v >= 1.0).count()),
        (12, 12)
    );
    assert_eq!(value(&r, "NTM", "count_ge_1"), (Some(2.0), 12));
    assert_eq!(figure_display(&r, "SO_TC", "avg"), "10,08");
}

thidua_store::engine_tests!(the_demo_reproduces_its_sources, |store| async move {
    crate::demo::seed(store, &Who::system("test"), &|_| {})
        .await
        .expect("demo");
    dak_nong(store).await;
    cao_bang(store).await;
    plan_461(store).await;
    bac_kan(store).await;
    bac_tra_my(store).await;
    examples(store).await;
});
