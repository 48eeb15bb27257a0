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
    #[error("tệp Excel không có trang «{wanted}» (có: {found})")]
    MissingSheet { wanted: String, found: String },
}

/// A worksheet as read: its cells (header included) and its merged
/// regions, each as (first row, first column, last row, last column),
/// counted from 0.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
    pub merged: Vec<(u32, u32, u32, u32)>,
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

/// Cells joined into one: sheet index, then first row, first column, last
/// row, last column (from 0). The first cell's value is kept.
#[derive(Debug, Clone, Copy)]
pub struct Merge {
    pub sheet: usize,
    pub first: (u32, u16),
    pub last: (u32, u16),
}

/// Writes the sheets into one workbook, header rows bold and frozen.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, SheetError> {
    write_merged(sheets, &[])
}

/// [`write`], with some cells merged (report forms with grouped headings).
pub fn write_merged(sheets: &[Sheet], merges: &[Merge]) -> Result<Vec<u8>, SheetError> {
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
    for m in merges {
        let Some(sheet) = sheets.get(m.sheet) else {
            continue;
        };
        let first = sheet
            .rows
            .get(m.first.0.saturating_sub(1) as usize)
            .and_then(|r| r.get(m.first.1 as usize))
            .filter(|_| m.first.0 > 0)
            .map(Cell::text)
            .unwrap_or_default();
        wb.worksheet_from_index(m.sheet)?.merge_range(
            m.first.0,
            m.first.1,
            m.last.0,
            m.last.1,
            &first,
            &Format::new(),
        )?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Reads the worksheet named `wanted` (case and diacritics as typed, or
/// the same letters in another case), with its merged regions, which a
/// table of one record per row must not have.
pub fn read_sheet(bytes: &[u8], wanted: &str) -> Result<Table, SheetError> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| SheetError::Read(e.to_string()))?;
    let names = wb.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == wanted)
        .or_else(|| {
            names
                .iter()
                .find(|n| n.trim().to_lowercase() == wanted.to_lowercase())
        })
        .cloned()
        .ok_or_else(|| SheetError::MissingSheet {
            wanted: wanted.to_owned(),
            found: names
                .iter()
                .map(|n| format!("«{n}»"))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| SheetError::Read(e.to_string()))?;
    let merged = wb
        .merge_cells_by_sheet_name(&name)
        .map_err(|e| SheetError::Read(e.to_string()))?
        .into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    Ok(Table {
        rows: cells_of(&range),
        merged,
    })
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
    Ok(cells_of(&range))
}

/// The cells of a range from A1 on: the range starts at the first used
/// cell, so the rows above it and the columns left of it are empty.
/// Trailing empty rows are dropped.
fn cells_of(range: &calamine::Range<Data>) -> Vec<Vec<Cell>> {
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
    rows
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
    fn a_named_sheet_is_read_with_its_merged_cells() {
        let sheet = |name: &str| Sheet {
            name: name.to_owned(),
            header: vec!["A".into(), "B".into()],
            rows: vec![vec!["x".into(), "y".into()], vec!["z".into(), Cell::Empty]],
        };
        let bytes = write_merged(
            &[sheet("Hướng dẫn"), sheet("Khen thưởng")],
            &[Merge {
                sheet: 1,
                first: (1, 0),
                last: (2, 0),
            }],
        )
        .unwrap();
        let t = read_sheet(&bytes, "khen thưởng").unwrap();
        assert_eq!(t.rows[1][0].text(), "x");
        assert_eq!(t.merged, vec![(1, 0, 2, 0)]);
        assert!(read_sheet(&bytes, "Hướng dẫn").unwrap().merged.is_empty());
        let err = read_sheet(&bytes, "Danh sách").unwrap_err();
        assert_eq!(
            err.to_string(),
            "tệp Excel không có trang «Danh sách» (có: «Hướng dẫn», «Khen thưởng»)"
        );
    }

    #[test]
    fn garbage_is_refused_with_a_message() {
        let err = read_first(b"not a spreadsheet").unwrap_err();
        assert!(err.to_string().starts_with("không đọc được tệp Excel"));
    }
}
