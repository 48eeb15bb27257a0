//! Bảng tính — XLSX files thidua writes (exports, entry templates) and reads
//! (uploads). Tables only: a header row, then cells that are text or numbers.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as a person would type it; numbers without a needless ".0".
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_owned(),
            Cell::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", *v as i64),
            Cell::Number(v) => format!("{v}"),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Number(v)
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Number)
    }
}

/// One worksheet: a name, a header row and the rows below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("không ghi được tệp Excel: {0}")]
    Write(#[from] rust_xlsxwriter::XlsxError),
    #[error("không đọc được tệp Excel (.xlsx): {0}")]
    Read(String),
    #[error("tệp Excel không có trang tính nào")]
    NoSheet,
}

/// Excel refuses some characters in sheet names and more than 31 of them.
fn sheet_name(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Trang 1".to_owned()
    } else {
        clean
    }
}

/// Writes the sheets into one workbook, header rows bold and frozen.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, SheetError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&sheet.name))?;
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Number(v) => {
                        ws.write_number(r, c, *v)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    Ok(wb.save_to_buffer()?)
}

/// Reads the first worksheet's rows, header included. Trailing empty rows
/// are dropped; row numbers people see are the index plus one.
pub fn read_first(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, SheetError> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| SheetError::Read(e.to_string()))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or(SheetError::NoSheet)?
        .map_err(|e| SheetError::Read(e.to_string()))?;
    // The range starts at the first used cell; rows above it are empty.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; left as usize];
        cells.extend(row.iter().map(|d: &Data| match d {
            Data::Empty => Cell::Empty,
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Float(f) => Cell::Number(*f),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Bool(b) => Cell::Text(if *b { "1" } else { "0" }.to_owned()),
            Data::DateTime(dt) => Cell::Number(dt.as_f64()),
            Data::Error(e) => Cell::Text(format!("#{e:?}")),
        }));
        rows.push(cells);
    }
    while rows.last().is_some_and(|r| r.iter().all(Cell::is_empty)) {
        rows.pop();
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_round_trips() {
        let sheet = Sheet {
            name: "Số liệu: 2023/NTM".to_owned(),
            header: vec!["Mã đơn vị".into(), "Kỳ".into(), "Giá trị".into()],
            rows: vec![
                vec!["24615".into(), "2023".into(), 16.42.into()],
                vec!["24616".into(), Cell::Empty, Cell::Number(905_000_000.0)],
            ],
        };
        let bytes = write(&[sheet]).unwrap();
        assert!(bytes.starts_with(b"PK"), "an XLSX is a zip file");
        let rows = read_first(&bytes).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][0].text(), "Mã đơn vị");
        assert_eq!(rows[1][2], Cell::Number(16.42));
        assert_eq!(rows[2][2].text(), "905000000");
        assert!(rows[2][1].is_empty());
    }

    #[test]
    fn garbage_is_refused_with_a_message() {
        let err = read_first(b"not a spreadsheet").unwrap_err();
        assert!(err.to_string().starts_with("không đọc được tệp Excel"));
    }
}
