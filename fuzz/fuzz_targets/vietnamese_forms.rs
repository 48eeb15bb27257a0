//! Dates, numbers, codes, periods and document numbers as people write
//! them in Vietnamese forms and files.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thidua_domain::date::VnDate;
use thidua_domain::document::DocumentNumber;
use thidua_domain::eligibility::catalogue::CatalogueCode;
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::indicator::{IndicatorCode, Measure, PeriodKey, PeriodKind};
use thidua_domain::movement::MovementCode;
use thidua_domain::number::{format_vi, parse_vi};
use thidua_domain::org::UnitCode;

fuzz_target!(|text: &str| {
    if let Ok(d) = VnDate::parse(text) {
        // What is shown reads back to the same day.
        assert_eq!(VnDate::parse(&d.to_string()).ok(), Some(d));
    }
    if let Ok(n) = parse_vi(text) {
        let _ = format_vi(n, 2);
    }
    let code = IndicatorCode::parse("X").expect("code");
    for m in Measure::ALL {
        if let Ok(v) = m.parse_value(&code, text) {
            assert!(v.is_finite() && v.abs() <= m.ceiling());
        }
    }
    for k in [PeriodKind::Year, PeriodKind::Quarter, PeriodKind::Date] {
        if let Ok(p) = PeriodKey::parse(k, text) {
            assert!(p.start() <= p.end());
            let _ = PeriodKey::from_key(&p.key());
        }
    }
    let _ = UnitCode::parse(text);
    let _ = MovementCode::parse(text);
    let _ = DocumentNumber::parse(text);
    let _ = CatalogueCode::parse(text);
    let _ = AwardType::parse(text);
    let _ = IndicatorCode::parse(text);
});
