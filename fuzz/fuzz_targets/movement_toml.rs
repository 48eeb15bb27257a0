//! A movement file's indicators as the app reads them: TOML tables into
//! indicator definitions, checked together (references, cycles), then the
//! formulas evaluated over arbitrary inputs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thidua_domain::indicator::{IndicatorDef, check_indicators};

fuzz_target!(|text: &str| {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return;
    };
    let Some(toml::Value::Array(items)) = table.get("indicators") else {
        return;
    };
    let defs: Vec<IndicatorDef> = items
        .iter()
        .filter_map(|v| v.clone().try_into().ok())
        .collect();
    if let Ok(order) = check_indicators(&defs) {
        assert_eq!(order.len(), defs.len());
        for i in order {
            if let Some(f) = &defs[i].formula {
                let _ = f.eval(&|c| Some(c.as_str().len() as f64));
            }
        }
    }
});
