//! Search queries as people type them: folded into terms and matched.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thidua_domain::text::{edit_distance, fold, matches_terms, name_sort_key, query_terms};

fuzz_target!(|text: &str| {
    let (q, hay) = text.split_once('\n').unwrap_or((text, text));
    let terms = query_terms(q);
    let _ = matches_terms(&fold(hay), &terms);
    let _ = name_sort_key(hay);
    let _ = edit_distance(q, hay, 3);
});
