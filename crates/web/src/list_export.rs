//! A list exported as it is shown: the same filters, every matching row
//! (not only the page), the same columns, in one XLSX sheet.

use crate::WebError;
use crate::movements::{XLSX, attachment};
use axum::response::Response;
use thidua_sheets::{Cell, Sheet};

/// At most this many rows go into one export; past it the sheet says so.
pub const EXPORT_ROWS: i64 = 5000;

/// The XLSX answer of a list: `name` is the file's and the sheet's name.
pub fn xlsx(name: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<Response, WebError> {
    let sheet = Sheet {
        name: name.to_owned(),
        header: header.iter().map(|h| (*h).to_owned()).collect(),
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(Cell::Text).collect())
            .collect(),
    };
    let bytes = thidua_sheets::write(&[sheet]).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(attachment(&format!("{name}.xlsx"), XLSX, bytes))
}
