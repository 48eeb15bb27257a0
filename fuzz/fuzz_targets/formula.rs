//! The formula language of derived indicators: parsed, its references
//! listed, and evaluated.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thidua_domain::formula::Formula;

fuzz_target!(|text: &str| {
    if let Ok(f) = Formula::parse(text) {
        let _ = f.references();
        let _ = f.eval(&|c| Some(c.as_str().len() as f64 - 3.0));
        let _ = f.eval(&|_| None);
    }
});
