//! Movements as files, and values as they come in: typed in a form or
//! uploaded as CSV/XLSX, checked row by row, stored all or nothing.

mod entry_units;
mod file;
mod values;

pub use entry_units::{entry_template, entry_units};
pub use file::{
    DocumentHeader, INDICATOR_SETS, MovementFile, MovementHeader, export_movement_file,
    header_to_new, indicator_set, parse_movement_file,
};
pub use values::{
    Enterer, RawValue, VALUE_COLUMNS, approve_all, check_values, enter_approved_values,
    enter_values, may_approve_values, may_enter_values, parse_value_file, raw_values,
    read_value_file,
};

#[cfg(test)]
mod tests;

pub mod access;

pub mod approval;

pub mod lifecycle;

pub mod tasks;

pub mod twinning;
