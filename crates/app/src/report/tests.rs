//! The published figures, reproduced from commune values through the
//! roll-ups, on both engines; and the same data in both boundary sets.

use super::*;
use crate::demo;
use thidua_domain::movement::MovementCode;
use thidua_store::Who;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 22);

async fn seeded(store: &Store) {
    demo::seed(store, &Who::system("test"), &|_| {})
        .await
        .expect("demo");
}

async fn report_of(
    store: &Store,
    code: &str,
    unit: Option<&str>,
    as_of: Date,
    b: Option<Boundaries>,
) -> MovementReport {
    let m = store
        .movement_by_code(&MovementCode::parse(code).unwrap())
        .await
        .unwrap()
        .unwrap();
    let map_date = b
        .unwrap_or(Boundaries::natural(as_of))
        .map_date(as_of, TODAY);
    let root = match unit {
        Some(c) => Some(
            store
                .resolve_code(c, None, map_date)
                .await
                .unwrap()
                .filter(|u| u.period.contains(map_date))
                .unwrap_or_else(|| panic!("unit {c} on {map_date}"))
                .id,
        ),
        None => None,
    };
    movement_report(store, &m, root, as_of, b, TODAY)
        .await
        .unwrap()
}

fn figure<'a>(r: &'a MovementReport, indicator: &str, rollup: &str) -> &'a Figure {
    r.figures
        .iter()
        .find(|f| f.indicator.as_str() == indicator && f.rollup == rollup)
        .unwrap_or_else(|| panic!("{indicator}.{rollup} in {:?}", r.figures))
}

thidua_store::engine_tests!(
    the_published_figures_come_out_of_the_roll_ups,
    |store| async move {
        seeded(store).await;

        // Đắk Nông, 2023, legacy boundaries.
        let r = report_of(
            store,
            "NTM-DNO-2021",
            Some("67"),
            date!(2023 - 12 - 31),
            Some(Boundaries::Legacy),
        )
        .await;
        assert_eq!(figure(&r, "NTM", "count_ge_1").display, "38");
        assert_eq!(figure(&r, "NTM", "count_ge_1").total, 60);
        assert_eq!(figure(&r, "SO_TC", "avg").display, "16,42");
        assert_eq!(figure(&r, "SO_TC", "count_lt_10").value, Some(0.0));
        assert_eq!(figure(&r, "NTM", "groups_district_ge_1").value, Some(2.0));
        assert_eq!(
            r.summary.as_deref(),
            Some(
                "Toàn tỉnh có 38/60 xã đạt chuẩn nông thôn mới; 2 huyện có 100 % số xã đạt chuẩn nông thôn mới; bình quân 16,42 tiêu chí/xã; không còn xã đạt dưới 10 tiêu chí"
            )
        );
        // Eight districts, their counts adding up to the province's.
        assert_eq!(r.children.len(), 8);
        let sum: f64 = r.children.iter().filter_map(|c| c.figures[0].value).sum();
        assert_eq!(sum, 38.0);
        // The series shows 2021, 2022 and 2023, rising.
        let counts: Vec<Option<f64>> = r.series.iter().map(|p| p.figures[0].value).collect();
        assert_eq!(counts, vec![Some(28.0), Some(33.0), Some(38.0)]);

        // Cao Bằng, 31/12/2018.
        let r = report_of(
            store,
            "NTM-CB-2016",
            Some("04"),
            date!(2018 - 12 - 31),
            None,
        )
        .await;
        assert_eq!(figure(&r, "NTM", "count_ge_1").display, "15");
        assert_eq!(figure(&r, "SO_TC", "avg").display, "9,86");
        // Bắc Kạn, 2019.
        let r = report_of(
            store,
            "NTM-BK-2011",
            Some("06"),
            date!(2019 - 12 - 31),
            None,
        )
        .await;
        assert_eq!(figure(&r, "NTM", "count_ge_1").display, "15");
        assert_eq!(figure(&r, "SO_TC", "avg").display, "10,83");
        // Bắc Trà My, 2020: 2 of 12 xã.
        let r = report_of(
            store,
            "NTM-QNA-2016",
            Some("515"),
            date!(2020 - 12 - 31),
            None,
        )
        .await;
        assert_eq!(figure(&r, "NTM", "count_ge_1").display, "2");
        assert_eq!(figure(&r, "NTM", "count_ge_1").total, 12);
        assert_eq!(figure(&r, "SO_TC", "avg").display, "10,08");
        assert!(
            r.summary
                .as_deref()
                .unwrap()
                .starts_with("Toàn huyện có 2/12 xã đạt chuẩn")
        );

        // Đắk Nông's twinning and "Vì người nghèo".
        let r = report_of(
            store,
            "KN-DNO-2021",
            Some("67"),
            date!(2022 - 12 - 31),
            None,
        )
        .await;
        let t = r.twinning.expect("twinning");
        assert_eq!(
            (t.organisations, t.villages, t.visits, t.people),
            (87, 79, 311, 27_247)
        );
        assert!(t.sentence.starts_with("87 cơ quan, đơn vị kết nghĩa, giúp đỡ 79 thôn, bon, buôn; 311 lượt thăm hỏi, 27.247 người"));
        let r = report_of(
            store,
            "VNN-DNO-2021",
            Some("67"),
            date!(2022 - 12 - 31),
            None,
        )
        .await;
        let rate = figure(&r, "HN", "ratio_TH");
        assert_eq!(
            rate.change.map(|c| format_vi(c, 2)),
            Some("-3,22".to_owned())
        );
        assert_eq!(
            r.summary.as_deref(),
            Some(
                "Toàn tỉnh có tỷ lệ hộ nghèo giảm 3,22 % so với cuối năm 2021; tỷ lệ hộ nghèo đồng bào dân tộc thiểu số tại chỗ giảm 8,25 %"
            )
        );
        let t = r.twinning.expect("houses");
        assert_eq!((t.houses_built, t.money_vnd), (13, 905_000_000.0));
        assert!(
            t.sentence
                .contains("xây mới 13 căn nhà; tổng giá trị hỗ trợ 905 triệu đồng")
        );
    }
);

thidua_store::engine_tests!(
    a_merged_province_reports_the_same_totals_in_both_boundary_sets,
    |store| async move {
        seeded(store).await;
        let day = date!(2023 - 12 - 31);
        // Đắk Nông merged into the new Lâm Đồng on 01/07/2025.
        let legacy = report_of(
            store,
            "VNN-DNO-2021",
            Some("67"),
            day,
            Some(Boundaries::Legacy),
        )
        .await;
        let current = report_of(
            store,
            "VNN-DNO-2021",
            Some("68"),
            day,
            Some(Boundaries::Current),
        )
        .await;
        for (ind, rollup) in [("HN", "sum"), ("TH", "sum"), ("HN", "ratio_TH")] {
            assert_eq!(
                figure(&legacy, ind, rollup).value,
                figure(&current, ind, rollup).value,
                "{ind}.{rollup}"
            );
        }
        assert_eq!(figure(&current, "TH", "sum").value, Some(142_000.0));
        // In today's map the province's children are the new communes; what
        // they hold adds up to the province.
        let by_commune: f64 = current
            .children
            .iter()
            .filter_map(|c| {
                c.figures
                    .iter()
                    .find(|f| f.indicator.as_str() == "TH" && f.rollup == "sum")
            })
            .filter_map(|f| f.value)
            .sum();
        assert_eq!(by_commune, 142_000.0);
        assert!(
            current.children.iter().all(|c| c.unit.code.len() == 5),
            "communes, no districts"
        );

        let legacy = report_of(
            store,
            "NTM-DNO-2021",
            Some("67"),
            day,
            Some(Boundaries::Legacy),
        )
        .await;
        let current = report_of(
            store,
            "NTM-DNO-2021",
            Some("68"),
            day,
            Some(Boundaries::Current),
        )
        .await;
        assert_eq!(figure(&current, "NTM", "count_ge_1").value, Some(38.0));
        assert_eq!(
            figure(&current, "SO_TC", "avg").display,
            figure(&legacy, "SO_TC", "avg").display
        );
        // The new Lâm Đồng also holds the old Lâm Đồng and Bình Thuận, which
        // never took part in Đắk Nông's movement: the same 60 xã, all
        // reporting, not an average over 60 of 259.
        assert_eq!(figure(&current, "NTM", "count_ge_1").total, 60);
        assert_eq!(figure(&current, "NTM", "count_ge_1").reported, 60);
        assert_eq!(current.unplaced, 0);

        // Twinning pairs follow their villages into today's communes.
        let t = report_of(
            store,
            "KN-DNO-2021",
            Some("68"),
            day,
            Some(Boundaries::Current),
        )
        .await;
        assert_eq!(
            t.twinning.map(|t| (t.organisations, t.villages)),
            Some((87, 79))
        );

        // The 2026 figures of today's communes, read in the old map, land in
        // the old province that held them.
        let now = report_of(
            store,
            "NTM-LD-2026",
            Some("68"),
            date!(2026 - 12 - 31),
            None,
        )
        .await;
        let old = report_of(
            store,
            "NTM-LD-2026",
            None,
            date!(2026 - 12 - 31),
            Some(Boundaries::Legacy),
        )
        .await;
        assert_eq!(
            figure(&now, "NTM", "count_ge_1").value,
            figure(&old, "NTM", "count_ge_1").value
        );
    }
);

thidua_store::engine_tests!(
    reports_through_the_cache_equal_reports_read_afresh,
    |store| async move {
        seeded(store).await;
        let m = store
            .movement_by_code(&MovementCode::parse("NTM-DNO-2021").unwrap())
            .await
            .unwrap()
            .unwrap();
        let day = date!(2025 - 06 - 30);
        let cache = cache::ReportCache::default();
        // The province, then a district and a commune of it, then the
        // other map: the later ones read the days' maps from the cache.
        let mut roots = vec![None];
        for code in ["67", "664", "24616"] {
            roots.push(
                store
                    .resolve_code(code, None, day)
                    .await
                    .unwrap()
                    .map(|u| u.id),
            );
        }
        for b in [Some(Boundaries::Legacy), Some(Boundaries::Current)] {
            for root in &roots {
                let cached = cache.report(store, &m, *root, day, b, TODAY).await;
                let fresh = movement_report(store, &m, *root, day, b, TODAY).await;
                match (cached, fresh) {
                    (Ok(c), Ok(f)) => assert_eq!(*c, f, "{root:?} {b:?}"),
                    (Err(c), Err(f)) => assert_eq!(c.to_string(), f.to_string()),
                    (c, f) => panic!("{root:?} {b:?}: {c:?} against {f:?}"),
                }
            }
        }
        // Five years of period ends, two maps, eight reports: the days
        // before the reform share one map, those after it another.
        assert!(
            (1..=3).contains(&cache.maps().len()),
            "{} maps kept",
            cache.maps().len()
        );
        // Warming computes each launched movement's opening views, and the
        // dashboard then finds them kept.
        let before = cache.len();
        let kept = cache.warm(store, TODAY).await.expect("warm");
        assert!(kept > before, "{kept} after {before}");
        let as_of = crate::report::warm::default_as_of(store, &m, TODAY)
            .await
            .unwrap();
        let again = cache
            .report(store, &m, m.authority, as_of, None, TODAY)
            .await
            .unwrap();
        assert_eq!(cache.len(), kept, "the opening view was kept: {again:?}");
    }
);
