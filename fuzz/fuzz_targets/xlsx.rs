//! The spreadsheet reader on arbitrary bytes (uploads of values, registry
//! imports, cluster score sheets): never a panic, never past the limits.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = thidua_sheets::read_first(data) {
        let cells: usize = rows.iter().map(Vec::len).sum();
        assert!(cells <= thidua_sheets::LIMITS.max_cells);
    }
    let _ = thidua_sheets::read_sheet(data, "Khen thưởng");
});
