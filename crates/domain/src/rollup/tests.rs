use super::*;
use crate::formula::Formula;
use crate::indicator::{Cmp, EntryLevel, PeriodKind, RollupSpec};
use proptest::prelude::*;
use time::macros::date;

fn spec(rollup: Rollup, phrase: Option<&str>, zero: Option<&str>) -> RollupSpec {
    RollupSpec {
        rollup,
        phrase: phrase.map(str::to_owned),
        phrase_zero: zero.map(str::to_owned),
        decimals: None,
        baseline: None,
    }
}

fn def(
    code: &str,
    measure: Measure,
    formula: Option<&str>,
    rollups: Vec<RollupSpec>,
) -> IndicatorDef {
    IndicatorDef {
        code: IndicatorCode::parse(code).unwrap(),
        name: code.to_owned(),
        measure,
        entry: EntryLevel {
            level: UnitKind::Commune,
            admin_types: vec!["xã".to_owned()],
        },
        period: PeriodKind::Year,
        group: None,
        formula: formula.map(|f| Formula::parse(f).unwrap()),
        rollups,
        at_most: None,
    }
}

/// Three criteria; a commune meets the standard when it meets all three.
fn defs() -> Vec<IndicatorDef> {
    vec![
        def("C1", Measure::Criterion, None, vec![]),
        def("C2", Measure::Criterion, None, vec![]),
        def("C3", Measure::Criterion, None, vec![]),
        def(
            "STD",
            Measure::Criterion,
            Some("all(C1..C3)"),
            vec![
                spec(
                    Rollup::CountWhere {
                        op: Cmp::Ge,
                        value: 1.0,
                    },
                    Some("{value}/{total} xã đạt chuẩn"),
                    None,
                ),
                spec(
                    Rollup::GroupsAllMeet {
                        level: UnitKind::District,
                        op: Cmp::Ge,
                        value: 1.0,
                    },
                    Some("{value} huyện có 100 % số xã đạt chuẩn"),
                    Some("chưa có huyện nào có 100 % số xã đạt chuẩn"),
                ),
            ],
        ),
        def(
            "N",
            Measure::Number,
            Some("count(C1..C3)"),
            vec![
                spec(Rollup::Avg, Some("bình quân {value} tiêu chí/xã"), None),
                spec(
                    Rollup::CountWhere {
                        op: Cmp::Lt,
                        value: 2.0,
                    },
                    Some("còn {value} xã đạt dưới 2 tiêu chí"),
                    Some("không còn xã đạt dưới 2 tiêu chí"),
                ),
                spec(Rollup::Min, None, None),
            ],
        ),
    ]
}

fn member(id: i64, district: i64, admin_type: &str) -> Member {
    Member {
        unit: UnitId(id),
        kind: UnitKind::Commune,
        admin_type: Some(admin_type.to_owned()),
        chain: vec![
            (UnitId(id), UnitKind::Commune),
            (UnitId(district), UnitKind::District),
            (UnitId(1), UnitKind::Province),
        ],
    }
}

fn table(defs: &[IndicatorDef], criteria: &[[u8; 3]]) -> LeafTable {
    let order = crate::indicator::check_indicators(defs).unwrap();
    LeafTable::build(defs, &order, criteria.len(), |m, i| {
        criteria[m].get(i).map(|v| f64::from(*v))
    })
}

#[test]
fn counts_averages_groups_and_the_sentence() {
    let defs = defs();
    // District 10: two communes, both meet. District 20: one meets, one not,
    // plus a town (thị trấn) that the "xã" indicators do not count.
    let members = vec![
        member(11, 10, "xã"),
        member(12, 10, "Xã"),
        member(21, 20, "xã"),
        member(22, 20, "xã"),
        member(23, 20, "thị trấn"),
    ];
    let t = table(
        &defs,
        &[[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 0, 1], [0, 0, 0]],
    );
    let all: Vec<usize> = (0..members.len()).collect();
    let f = figures(&defs, &members, &all, &t, &|_| None);
    let get = |code: &str, key: &str| {
        f.iter()
            .find(|x| x.indicator.as_str() == code && x.rollup == key)
            .unwrap()
    };
    assert_eq!(get("STD", "count_ge_1").value, Some(3.0));
    assert_eq!(get("STD", "count_ge_1").total, 4);
    assert_eq!(get("STD", "groups_district_ge_1").value, Some(1.0));
    assert_eq!(get("N", "avg").display, "2,75");
    assert_eq!(get("N", "min").value, Some(2.0));
    assert_eq!(coverage_sentence(&f).unwrap(), "Số liệu đủ của 4/4 đơn vị");
    let mut partial = f.clone();
    if let Some(x) = partial.iter_mut().find(|x| x.phrase.is_some()) {
        x.reported = 1;
    }
    assert_eq!(
        coverage_sentence(&partial).unwrap(),
        "Mới có 1/4 đơn vị có số liệu: các con số trên chỉ tính trên những đơn vị này"
    );
    assert_eq!(
        summary_sentence("Toàn tỉnh", &f).unwrap(),
        "Toàn tỉnh có 3/4 xã đạt chuẩn; 1 huyện có 100 % số xã đạt chuẩn; bình quân 2,75 tiêu chí/xã; không còn xã đạt dưới 2 tiêu chí"
    );

    // The same figures for one district: only its members.
    let d20: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&m| members[m].is_under(UnitId(20)))
        .collect();
    let f = figures(&defs, &members, &d20, &t, &|_| None);
    assert_eq!(f[0].display, "1");
    assert_eq!(f[0].total, 2);
    assert_eq!(
        f[1].phrase.as_deref(),
        Some("chưa có huyện nào có 100 % số xã đạt chuẩn")
    );
}

#[test]
fn a_missing_criterion_leaves_the_commune_unreported() {
    let defs = defs();
    let members = vec![member(11, 10, "xã"), member(12, 10, "xã")];
    let order = crate::indicator::check_indicators(&defs).unwrap();
    let t = LeafTable::build(&defs, &order, 2, |m, i| (m == 0 || i != 1).then_some(1.0));
    let f = figures(&defs, &members, &[0, 1], &t, &|_| None);
    assert_eq!(f[0].value, Some(1.0));
    assert_eq!(f[0].reported, 1);
    assert_eq!(f[0].total, 2);
}

#[test]
fn ratios_and_baselines() {
    let mut poor = def("HN", Measure::Households, None, vec![]);
    poor.rollups = vec![RollupSpec {
        rollup: Rollup::Ratio {
            denominator: IndicatorCode::parse("TH").unwrap(),
            scale: 100.0,
        },
        phrase: Some("tỷ lệ hộ nghèo {trend} {abs} %".to_owned()),
        phrase_zero: None,
        decimals: None,
        baseline: Some(date!(2020 - 12 - 31)),
    }];
    let defs = vec![poor, def("TH", Measure::Households, None, vec![])];
    let order = crate::indicator::check_indicators(&defs).unwrap();
    let members = vec![member(11, 10, "xã"), member(12, 10, "xã")];
    // Now 30 of 1000 households are poor; at the baseline 61 of 1000 were.
    let now = LeafTable::build(&defs, &order, 2, |m, i| {
        Some([[10.0, 500.0], [20.0, 500.0]][m][i])
    });
    let then = LeafTable::build(&defs, &order, 2, |m, i| {
        Some([[30.0, 500.0], [31.0, 500.0]][m][i])
    });
    let f = figures(&defs, &members, &[0, 1], &now, &|d| {
        assert_eq!(d, date!(2020 - 12 - 31));
        Some(then.clone())
    });
    assert_eq!(f[0].display, "3,00");
    assert_eq!(f[0].phrase.as_deref(), Some("tỷ lệ hộ nghèo giảm 3,10 %"));
}

#[test]
fn scope_words_follow_the_unit() {
    assert_eq!(scope_words(None), "Cả nước");
    assert_eq!(
        scope_words(Some((UnitKind::Province, Some("tỉnh")))),
        "Toàn tỉnh"
    );
    assert_eq!(
        scope_words(Some((
            UnitKind::Province,
            Some("thành phố trực thuộc trung ương")
        ))),
        "Toàn thành phố"
    );
    assert_eq!(
        scope_words(Some((UnitKind::District, Some("huyện")))),
        "Toàn huyện"
    );
    assert_eq!(
        scope_words(Some((UnitKind::District, Some("thị xã")))),
        "Toàn thị xã"
    );
}

proptest! {
    /// Whatever the values, the figures of a unit agree with the figures
    /// of its parts: counts and sums add up, the average lies between the
    /// parts' minimum and maximum.
    #[test]
    fn parts_add_up(criteria in proptest::collection::vec(proptest::array::uniform3(0u8..=1), 1..40),
                    split in proptest::collection::vec(proptest::bool::ANY, 40)) {
        let defs = defs();
        let members: Vec<Member> = (0..criteria.len())
            .map(|i| member(100 + i as i64, if split[i] { 10 } else { 20 }, "xã"))
            .collect();
        let t = table(&defs, &criteria);
        let all: Vec<usize> = (0..members.len()).collect();
        let whole = figures(&defs, &members, &all, &t, &|_| None);
        let mut count = 0.0;
        let mut total = 0;
        for d in [10, 20] {
            let part: Vec<usize> = all.iter().copied().filter(|&m| members[m].is_under(UnitId(d))).collect();
            let f = figures(&defs, &members, &part, &t, &|_| None);
            count += f[0].value.unwrap_or(0.0);
            total += f[0].total;
        }
        prop_assert_eq!(whole[0].value, Some(count));
        prop_assert_eq!(whole[0].total, total);
        let met: f64 = criteria.iter().map(|c| c.iter().map(|v| f64::from(*v)).sum::<f64>()).sum();
        let avg = whole.iter().find(|f| f.rollup == "avg").and_then(|f| f.value).unwrap();
        prop_assert!((avg - met / criteria.len() as f64).abs() < 1e-9);
    }
}
