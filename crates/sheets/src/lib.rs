//! Bảng tính — XLSX files thidua writes (exports, entry templates) and reads
//! (uploads). Tables only: a header row, then cells that are text or numbers.

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
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
    /// The cause (a library's words, in English) stays out of the message
    /// people see; it is kept for the log.
    #[error("không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không phải bảng tính")]
    Read(String),
    #[error("tệp Excel vượt giới hạn: {0}; hãy chia thành nhiều tệp nhỏ hơn")]
    TooLarge(String),
    #[error("tệp CSV: {message}")]
    Csv { line: u64, message: String },
    #[error("tệp Excel không có trang tính nào")]
    NoSheet,
    #[error("tệp Excel không có trang «{wanted}» (có: {found})")]
    MissingSheet { wanted: String, found: String },
}

impl SheetError {
    /// The line (from 1) the problem is on, where one is known.
    pub fn line(&self) -> Option<u64> {
        match self {
            SheetError::Csv { line, .. } => Some(*line),
            _ => None,
        }
    }
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

/// What a file read from outside may hold at most. Every upload and import
/// of a spreadsheet goes through these, so a hostile file is refused with a
/// sentence instead of exhausting the server's memory: the reader never
/// materialises a range from the sheet's declared size, only the cells that
/// hold something, and only after counting them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file as uploaded.
    pub max_file_bytes: usize,
    /// Every part of the zip, decompressed and added up (a «zip bomb» holds
    /// gigabytes in a few kilobytes).
    pub max_unpacked_bytes: u64,
    /// Parts of the zip.
    pub max_parts: usize,
    /// Rows and columns a cell with data may stand in (from 1).
    pub max_rows: u32,
    pub max_columns: u32,
    /// Cells kept in memory once read (rows as long as their last cell).
    pub max_cells: usize,
    /// Characters in one cell (Excel's own limit).
    pub max_cell_chars: usize,
}

/// The limits in force; `docs/security.md` states them to users and
/// operators.
pub const LIMITS: Limits = Limits {
    max_file_bytes: 10 * 1024 * 1024,
    max_unpacked_bytes: 100 * 1024 * 1024,
    max_parts: 1_000,
    max_rows: 100_000,
    max_columns: 200,
    max_cells: 2_000_000,
    max_cell_chars: 32_767,
};

/// A1-style column letters for a column counted from 0.
pub fn column_letter(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Reads the worksheet named `wanted` (case and diacritics as typed, or
/// the same letters in another case), with its merged regions, which a
/// table of one record per row must not have.
pub fn read_sheet(bytes: &[u8], wanted: &str) -> Result<Table, SheetError> {
    read_sheet_within(bytes, wanted, &LIMITS)
}

/// [`read_sheet`] under other limits (tests, and callers with smaller files).
pub fn read_sheet_within(bytes: &[u8], wanted: &str, limits: &Limits) -> Result<Table, SheetError> {
    let mut wb = open(bytes, limits)?;
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
    let rows = cells(&mut wb, &name, limits)?;
    let merged = wb
        .merge_cells_by_sheet_name(&name)
        .map_err(unreadable)?
        .into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    Ok(Table { rows, merged })
}

/// Reads the first worksheet's rows, header included. Trailing empty rows
/// are dropped; row numbers people see are the index plus one.
pub fn read_first(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, SheetError> {
    read_first_within(bytes, &LIMITS)
}

/// [`read_first`] under other limits.
pub fn read_first_within(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<Cell>>, SheetError> {
    let mut wb = open(bytes, limits)?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetError::NoSheet)?;
    cells(&mut wb, &name, limits)
}

fn unreadable(e: impl std::fmt::Display) -> SheetError {
    SheetError::Read(e.to_string())
}

/// Opens a workbook after measuring it: the file, the number of parts, and
/// every part decompressed (into nothing, stopping at the limit), so the
/// spreadsheet reader only ever sees a file whose size is known. The
/// shared-string table's declared count is checked too, since the reader
/// reserves memory for it before reading a string.
fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Xlsx<Cursor<&'a [u8]>>, SheetError> {
    use std::io::Read;
    if bytes.len() > limits.max_file_bytes {
        return Err(SheetError::TooLarge(format!(
            "tệp lớn hơn {} MB",
            limits.max_file_bytes / 1024 / 1024
        )));
    }
    if !bytes.starts_with(b"PK") {
        return Err(SheetError::Read("not a zip".into()));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if zip.len() > limits.max_parts {
        return Err(SheetError::TooLarge(format!(
            "tệp có hơn {} phần",
            limits.max_parts
        )));
    }
    let mut left = limits.max_unpacked_bytes;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(unreadable)?;
        let is_strings = part
            .name()
            .map_err(unreadable)?
            .ends_with("sharedStrings.xml");
        let mut head = Vec::new();
        if is_strings {
            (&mut part)
                .take(4096)
                .read_to_end(&mut head)
                .map_err(unreadable)?;
        }
        let read = head.len() as u64
            + std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink())
                .map_err(unreadable)?;
        if read > left {
            return Err(SheetError::TooLarge(format!(
                "nội dung giải nén lớn hơn {} MB",
                limits.max_unpacked_bytes / 1024 / 1024
            )));
        }
        left -= read;
        if is_strings && declared_strings(&head).is_some_and(|n| n > limits.max_cells as u64) {
            return Err(SheetError::TooLarge(format!(
                "bảng chuỗi khai báo hơn {} chuỗi",
                limits.max_cells
            )));
        }
    }
    open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| unreadable(e))
}

/// The `uniqueCount` (or `count`) the shared-string table declares.
fn declared_strings(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = text.find("<sst")?;
    let tag = &text[sst..text[sst..].find('>').map_or(text.len(), |e| sst + e)];
    ["uniqueCount=", "count="]
        .iter()
        .filter_map(|attr| {
            let at = tag.find(attr)? + attr.len();
            let value = tag[at..].trim_start_matches(['"', '\'']);
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            // More digits than a u64 holds is as refused as a huge number.
            Some(digits.parse::<u64>().unwrap_or(u64::MAX))
        })
        .max()
}

/// The cells of a sheet that hold something, from A1 on, streamed one by
/// one: empty cells outside the limits are passed over, a cell with data
/// outside them refuses the file, and the table built at the end has each
/// row only as long as its last cell. Trailing empty rows are dropped.
fn cells(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<Vec<Cell>>, SheetError> {
    let at =
        |(row, col): (u32, u32)| format!("{}{}", column_letter(col as usize), u64::from(row) + 1);
    let mut reader = wb.worksheet_cells_reader(name).map_err(unreadable)?;
    let declared = reader.dimensions();
    if declared.end.0 >= limits.max_rows || declared.end.1 >= limits.max_columns {
        return Err(SheetError::TooLarge(format!(
            "trang «{name}» khai báo vùng dữ liệu đến ô {}, vượt giới hạn {} dòng × {} cột",
            at(declared.end),
            limits.max_rows,
            limits.max_columns
        )));
    }
    let mut found: Vec<(u32, u32, Cell)> = Vec::new();
    let mut seen: usize = 0;
    while let Some(c) = reader.next_cell().map_err(unreadable)? {
        seen += 1;
        if seen > limits.max_cells.saturating_mul(2) {
            return Err(SheetError::TooLarge(format!(
                "trang «{name}» có quá nhiều ô (hơn {})",
                limits.max_cells
            )));
        }
        let (row, col) = c.get_position();
        let cell = match c.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                Cell::Text(s.clone())
            }
            DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Int(i) => Cell::Number(*i as f64),
            DataRef::Bool(b) => Cell::Text(if *b { "1" } else { "0" }.to_owned()),
            DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
            DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
        };
        if row >= limits.max_rows || col >= limits.max_columns {
            return Err(SheetError::TooLarge(format!(
                "trang «{name}» có dữ liệu ở ô {}, vượt giới hạn {} dòng × {} cột",
                at((row, col)),
                limits.max_rows,
                limits.max_columns
            )));
        }
        if let Cell::Text(s) = &cell
            && s.chars().nth(limits.max_cell_chars).is_some()
        {
            return Err(SheetError::TooLarge(format!(
                "ô {} của trang «{name}» dài hơn {} ký tự",
                at((row, col)),
                limits.max_cell_chars
            )));
        }
        found.push((row, col, cell));
    }
    found.sort_by_key(|(r, c, _)| (*r, *c));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut kept: usize = 0;
    for (r, c, cell) in found {
        let (r, c) = (r as usize, c as usize);
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.len() <= c {
            kept += c + 1 - row.len();
            if kept > limits.max_cells {
                return Err(SheetError::TooLarge(format!(
                    "trang «{name}» có hơn {} ô",
                    limits.max_cells
                )));
            }
            row.resize(c + 1, Cell::Empty);
        }
        row[c] = cell;
    }
    while rows.last().is_some_and(|r| r.iter().all(Cell::is_empty)) {
        rows.pop();
    }
    // Every row as wide as the widest, as a spreadsheet shows them (and as
    // callers index them) — within the same cell limit.
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    if rows.len().saturating_mul(width) > limits.max_cells {
        return Err(SheetError::TooLarge(format!(
            "trang «{name}» có hơn {} ô",
            limits.max_cells
        )));
    }
    for row in &mut rows {
        row.resize(width, Cell::Empty);
    }
    Ok(rows)
}

/// Reads a CSV file (UTF-8, with or without its byte-order mark; comma or
/// semicolon, whichever the first line has more of) within [`LIMITS`]:
/// the same rows, columns, cells and cell length as a workbook.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, SheetError> {
    read_csv_within(bytes, &LIMITS)
}

/// [`read_csv`] under other limits.
pub fn read_csv_within(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<Cell>>, SheetError> {
    let csv_error = |line: u64, message: String| SheetError::Csv { line, message };
    if bytes.len() > limits.max_file_bytes {
        return Err(SheetError::TooLarge(format!(
            "tệp lớn hơn {} MB",
            limits.max_file_bytes / 1024 / 1024
        )));
    }
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64
                + 1;
            csv_error(line, "tệp phải mã hóa UTF-8".into())
        })?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut kept = 0usize;
    for rec in rdr.records() {
        let line = rows.len() as u64 + 1;
        let rec = rec.map_err(|_| csv_error(line, format!("dòng {line} không đọc được")))?;
        if rows.len() >= limits.max_rows as usize {
            return Err(SheetError::TooLarge(format!(
                "tệp có hơn {} dòng",
                limits.max_rows
            )));
        }
        if rec.len() > limits.max_columns as usize {
            return Err(csv_error(
                line,
                format!("dòng {line} có hơn {} cột", limits.max_columns),
            ));
        }
        kept += rec.len();
        if kept > limits.max_cells {
            return Err(SheetError::TooLarge(format!(
                "tệp có hơn {} ô",
                limits.max_cells
            )));
        }
        let mut row = Vec::with_capacity(rec.len());
        for (c, field) in rec.iter().enumerate() {
            if field.chars().nth(limits.max_cell_chars).is_some() {
                return Err(csv_error(
                    line,
                    format!(
                        "ô {}{line} dài hơn {} ký tự",
                        column_letter(c),
                        limits.max_cell_chars
                    ),
                ));
            }
            row.push(Cell::Text(field.to_owned()));
        }
        rows.push(row);
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
        assert!(err.to_string().starts_with("không đọc được tệp"));
        // A zip that is not a workbook: the library's English stays out.
        let err = read_first(b"PK\x03\x04 broken").unwrap_err();
        assert!(!err.to_string().contains("rror"), "{err}");
    }

    /// A workbook assembled part by part, as a hostile sender would.
    fn workbook(sheet_xml: &str, strings: Option<&str>) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut part = |name: &str, body: &str| {
            zip.start_file(name, opts).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        };
        part(
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#,
        );
        part(
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        part(
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Trang 1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        );
        part(
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        );
        part("xl/worksheets/sheet1.xml", sheet_xml);
        if let Some(strings) = strings {
            part("xl/sharedStrings.xml", strings);
        }
        zip.finish().unwrap().into_inner()
    }

    fn sheet(dimension: Option<&str>, cells: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}<sheetData>{cells}</sheetData></worksheet>"#,
            dimension.map_or(String::new(), |d| format!(r#"<dimension ref="{d}"/>"#))
        )
    }

    #[test]
    fn a_hand_made_workbook_is_read_sparsely() {
        let xml = sheet(
            None,
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã</t></is></c></row><row r="3"><c r="C3"><v>16.42</v></c></row>"#,
        );
        let rows = read_first(&workbook(&xml, None)).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            vec![Cell::Text("Mã".into()), Cell::Empty, Cell::Empty]
        );
        assert!(rows[1].iter().all(Cell::is_empty));
        assert_eq!(rows[2][2], Cell::Number(16.42));
    }

    /// Finding 1 of issue 17: a cell at A1 and one at XFD1048576 made the
    /// reader allocate 17 billion cells and abort the process.
    #[test]
    fn a_cell_at_the_far_corner_is_refused_not_allocated() {
        let far = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#;
        let declared = workbook(&sheet(Some("A1:XFD1048576"), far), None);
        assert!(declared.len() < 2_000, "{} bytes", declared.len());
        let err = read_first(&declared).unwrap_err();
        assert!(matches!(err, SheetError::TooLarge(_)), "{err}");
        assert!(err.to_string().contains("XFD1048576"), "{err}");
        // Without a declared size, the cell itself is refused.
        let err = read_sheet(&workbook(&sheet(None, far), None), "Trang 1").unwrap_err();
        assert!(
            err.to_string()
                .contains("vượt giới hạn 100000 dòng × 200 cột"),
            "{err}"
        );
        // Written by a real spreadsheet library too.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_number(0, 0, 1.0).unwrap();
        ws.write_number(1_048_575, 16_383, 2.0).unwrap();
        let err = read_first(&wb.save_to_buffer().unwrap()).unwrap_err();
        assert!(matches!(err, SheetError::TooLarge(_)), "{err}");
    }

    #[test]
    fn a_sparse_sheet_cannot_make_a_dense_table() {
        let limits = Limits {
            max_cells: 1_000,
            ..LIMITS
        };
        // 60 rows, each with one cell in column 100: 6 000 cells once dense.
        let cells: String = (1..=60)
            .map(|r| format!(r#"<row r="{r}"><c r="CV{r}"><v>1</v></c></row>"#))
            .collect();
        let err = read_first_within(&workbook(&sheet(None, &cells), None), &limits).unwrap_err();
        assert!(err.to_string().contains("hơn 1000 ô"), "{err}");
    }

    /// Finding 2: a small file that unpacks to a huge one.
    #[test]
    fn a_decompression_bomb_is_refused_before_it_is_parsed() {
        let padding = " ".repeat(3 * 1024 * 1024);
        let xml = sheet(
            None,
            &format!(r#"<row r="1"><c r="A1"><v>1</v></c></row>{padding}"#),
        );
        let bytes = workbook(&xml, None);
        assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
        let limits = Limits {
            max_unpacked_bytes: 1024 * 1024,
            ..LIMITS
        };
        let err = read_first_within(&bytes, &limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "tệp Excel vượt giới hạn: nội dung giải nén lớn hơn 1 MB; hãy chia thành nhiều tệp nhỏ hơn"
        );
        assert!(read_first(&bytes).is_ok(), "within the default limits");
    }

    #[test]
    fn a_string_table_that_declares_billions_is_refused() {
        let xml = sheet(None, r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
        for count in ["99999999999", "99999999999999999999999999"] {
            let strings = format!(
                r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="{count}"><si><t>x</t></si></sst>"#
            );
            let err = read_first(&workbook(&xml, Some(&strings))).unwrap_err();
            assert!(err.to_string().contains("bảng chuỗi"), "{err}");
        }
        let fine = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Hòa</t></si></sst>"#;
        let rows = read_first(&workbook(&xml, Some(fine))).unwrap();
        assert_eq!(rows[0][0], Cell::Text("Hòa".into()));
    }

    #[test]
    fn a_cell_longer_than_excel_allows_is_refused() {
        let long = "x".repeat(LIMITS.max_cell_chars + 1);
        let xml = sheet(
            None,
            &format!(r#"<row r="2"><c r="B2" t="inlineStr"><is><t>{long}</t></is></c></row>"#),
        );
        let err = read_first(&workbook(&xml, None)).unwrap_err();
        assert!(err.to_string().contains("ô B2"), "{err}");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16_383), "XFD");
    }

    #[test]
    fn csv_is_read_within_limits() {
        let rows = read_csv("\u{feff}Mã đơn vị;Kỳ;Giá trị\n24615;2023;16,42\n".as_bytes()).unwrap();
        assert_eq!(rows[1][2], Cell::Text("16,42".into()));
        let small = Limits {
            max_rows: 2,
            ..LIMITS
        };
        let err = read_csv_within(b"a\nb\nc\n", &small).unwrap_err();
        assert!(err.to_string().contains("hơn 2 dòng"), "{err}");
        let wide = format!("{}\n", vec!["x"; 201].join(","));
        let err = read_csv(wide.as_bytes()).unwrap_err();
        assert_eq!(err.line(), Some(1));
        let err = read_csv(b"a,b\n\xff\xfe,c\n").unwrap_err();
        assert_eq!(err.to_string(), "tệp CSV: tệp phải mã hóa UTF-8");
        assert_eq!(err.line(), Some(2));
    }
}
