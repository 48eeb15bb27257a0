//! The CSV reader on arbitrary bytes, within the same limits as XLSX.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = thidua_sheets::read_csv(data) {
        let cells: usize = rows.iter().map(Vec::len).sum();
        assert!(cells <= thidua_sheets::LIMITS.max_cells);
    }
});
