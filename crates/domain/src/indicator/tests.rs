use super::*;
use proptest::prelude::*;
use time::macros::date;

fn code(s: &str) -> IndicatorCode {
    IndicatorCode::parse(s).unwrap()
}

#[test]
fn ranges_expand() {
    let r = code("TC01").range_to(&code("TC19")).unwrap();
    assert_eq!(r.len(), 19);
    assert_eq!(r[9].as_str(), "TC10");
    assert!(code("TC1").range_to(&code("TC19")).is_none());
    assert!(code("A1").range_to(&code("B2")).is_none());
    assert!(code("TC09").range_to(&code("TC01")).is_none());
}

#[test]
fn values_are_read_by_measure() {
    let c = code("X");
    assert_eq!(Measure::Criterion.parse_value(&c, "Đạt"), Ok(1.0));
    assert_eq!(Measure::Criterion.parse_value(&c, "không đạt"), Ok(0.0));
    assert_eq!(Measure::Criterion.parse_value(&c, "chua dat"), Ok(0.0));
    assert!(Measure::Criterion.parse_value(&c, "2").is_err());
    assert_eq!(Measure::Percent.parse_value(&c, "3,22 %"), Ok(3.22));
    assert!(Measure::Percent.parse_value(&c, "120").is_err());
    assert_eq!(
        Measure::Vnd.parse_value(&c, "905.000.000"),
        Ok(905_000_000.0)
    );
    assert!(Measure::Persons.parse_value(&c, "2,5").is_err());
    assert!(Measure::Count.parse_value(&c, "-1").is_err());
    assert!(Measure::Count.parse_value(&c, "mười").is_err());
    assert_eq!(
        Measure::Count
            .parse_value(&c, "mười")
            .unwrap_err()
            .to_string(),
        "chỉ tiêu X (số lượng) không nhận giá trị «mười»: không phải là số"
    );
}

#[test]
fn periods_parse_and_bound() {
    let q = PeriodKey::parse(PeriodKind::Quarter, "Quý II/2023").unwrap();
    assert_eq!(q, PeriodKey::Quarter(2023, 2));
    assert_eq!(PeriodKey::parse(PeriodKind::Quarter, "2023-Q2"), Ok(q));
    assert_eq!(PeriodKey::parse(PeriodKind::Quarter, "q2/2023"), Ok(q));
    assert_eq!(q.end(), date!(2023 - 06 - 30));
    assert_eq!(q.label(), "Quý II/2023");
    assert_eq!(PeriodKey::Quarter(2023, 4).end(), date!(2023 - 12 - 31));
    assert_eq!(
        PeriodKey::parse(PeriodKind::Year, "2023.0"),
        Ok(PeriodKey::Year(2023))
    );
    assert!(PeriodKey::parse(PeriodKind::Year, "23").is_err());
    assert!(PeriodKey::parse(PeriodKind::Quarter, "Q5/2023").is_err());
    let d = PeriodKey::parse(PeriodKind::Date, "31/12/2018").unwrap();
    assert_eq!(d.key(), "2018-12-31");
}

#[test]
fn entry_levels_narrow_by_type() {
    let xa = EntryLevel {
        level: UnitKind::Commune,
        admin_types: vec!["xã".into()],
    };
    assert!(xa.admits(UnitKind::Commune, Some("Xã")));
    assert!(!xa.admits(UnitKind::Commune, Some("phường")));
    assert!(!xa.admits(UnitKind::District, Some("xã")));
}

fn def(c: &str, formula: Option<&str>) -> IndicatorDef {
    IndicatorDef {
        code: code(c),
        name: c.to_owned(),
        measure: Measure::Count,
        entry: EntryLevel {
            level: UnitKind::Commune,
            admin_types: vec![],
        },
        period: PeriodKind::Year,
        group: None,
        formula: formula.map(|f| Formula::parse(f).unwrap()),
        rollups: vec![],
        at_most: None,
    }
}

#[test]
fn definitions_are_checked_and_ordered() {
    let defs = vec![def("S", Some("A + B")), def("A", None), def("B", None)];
    let order = check_indicators(&defs).unwrap();
    assert_eq!(order.last(), Some(&0));
    let cyc = vec![def("A", Some("B")), def("B", Some("A"))];
    assert!(matches!(
        check_indicators(&cyc).unwrap_err()[0],
        IndicatorError::Cycle(_)
    ));
    let missing = vec![def("A", Some("Z + 1"))];
    assert_eq!(
        check_indicators(&missing).unwrap_err()[0].to_string(),
        "chỉ tiêu A dùng chỉ tiêu Z chưa được khai báo"
    );
    let dup = vec![def("A", None), def("A", None)];
    assert!(check_indicators(&dup).is_err());
}

proptest! {
    #[test]
    fn period_keys_round_trip(y in 1950i32..2100, q in 1u8..=4) {
        for p in [PeriodKey::Year(y), PeriodKey::Quarter(y, q)] {
            prop_assert_eq!(PeriodKey::parse(p.kind(), &p.key()), Ok(p));
            prop_assert_eq!(PeriodKey::from_key(&p.key()), Ok(p));
            prop_assert!(p.start() <= p.end());
        }
    }

    #[test]
    fn value_parsing_never_panics(s in "\\PC{0,20}") {
        for m in Measure::ALL {
            let _ = m.parse_value(&IndicatorCode::parse("X").unwrap(), &s);
        }
    }

    #[test]
    fn accepted_values_are_plausible(v in proptest::num::f64::ANY) {
        for m in Measure::ALL {
            if let Ok(x) = m.check_value(&IndicatorCode::parse("X").unwrap(), v) {
                prop_assert!(x.is_finite() && x.abs() <= m.ceiling());
                prop_assert!(x.abs() < 2f64.powi(53), "sums stay exact");
            }
        }
    }
}

#[test]
fn implausible_values_are_refused_in_words() {
    let code = IndicatorCode::parse("HN").unwrap();
    let e = Measure::Households.parse_value(&code, "100000000000000000000000000000");
    assert!(
        e.unwrap_err().to_string().contains("vượt quá 1 tỷ"),
        "10^29 households"
    );
    assert!(Measure::Percent.parse_value(&code, "100000").is_err());
    assert_eq!(
        Measure::Households.parse_value(&code, "27.000").unwrap(),
        27_000.0
    );
    assert!(Measure::Vnd.parse_value(&code, "905.000.000.000").is_ok());
}

#[test]
fn at_most_names_a_sibling_entered_alike() {
    let mut poor = def("HN", None);
    let total = def("TH", None);
    poor.at_most = Some(IndicatorCode::parse("TH").unwrap());
    assert!(check_indicators(&[poor.clone(), total.clone()]).is_ok());
    poor.at_most = Some(IndicatorCode::parse("KHONG").unwrap());
    assert!(matches!(
        check_indicators(&[poor.clone(), total.clone()]).unwrap_err()[0],
        IndicatorError::UnknownReference { .. }
    ));
    poor.at_most = Some(IndicatorCode::parse("HN").unwrap());
    assert!(check_indicators(&[poor, total]).is_err(), "not itself");
}
