//! Nhập sổ khen thưởng — historical award records from a spreadsheet
//! thidua generates: every row is checked (subject, form, issuer, decision,
//! dates, duplicates, scope) and every problem reported with its sheet, row
//! and column before anything is written; then the whole file lands in one
//! transaction or not at all.

mod plan;
mod reading;
mod template;

pub use plan::{ImportPlan, PlannedRow, import, may_import, preview, require_import};
pub use template::{SHEET, template};

pub use thidua_sheets::column_letter;

#[cfg(test)]
mod tests;
