//! Reading the workbook's rows, every problem with its row and column.

use super::template::{COLUMNS, REQUIRED, SHEET};
use crate::admin_units::{MAX_PROBLEMS, Problem};
use crate::{AppError, AppResult};
use std::collections::HashMap;
use thidua_domain::date::VnDate;
use thidua_domain::document::DocumentNumber;
use thidua_domain::text;
use thidua_sheets::Cell;
pub use thidua_sheets::column_letter;
use time::{Date, Duration, Month};

/// Problems of one file, capped so that a wrong file cannot flood the page.
pub(super) struct Problems {
    file: String,
    list: Vec<Problem>,
    more: usize,
    /// The file's own columns by key, once its header is read: files may
    /// order their columns differently from the template.
    cols: HashMap<&'static str, usize>,
}

impl Problems {
    pub(super) fn new(file: &str) -> Problems {
        Problems {
            file: format!("{file}, trang «{SHEET}»"),
            list: Vec::new(),
            more: 0,
            cols: HashMap::new(),
        }
    }

    /// The file's column of a key (the template's before the header is read).
    pub(super) fn at(&self, key: &str) -> Option<usize> {
        self.cols
            .get(key)
            .copied()
            .or_else(|| COLUMNS.iter().position(|(k, _)| *k == key))
    }

    pub(super) fn push(&mut self, line: u64, column: Option<usize>, message: impl Into<String>) {
        if self.list.len() >= MAX_PROBLEMS {
            self.more += 1;
            return;
        }
        self.list.push(Problem {
            file: self.file.clone(),
            line,
            column: column.map(|c| c + 1),
            column_name: column.map(|c| {
                let key = self.cols.iter().find(|(_, i)| **i == c).map(|(k, _)| *k);
                let header = COLUMNS
                    .iter()
                    .find(|(k, _)| Some(*k) == key)
                    .map_or("", |(_, h)| *h);
                format!("{} – {header}", column_letter(c))
            }),
            message: message.into(),
        });
    }

    pub(super) fn into_result<T>(mut self, ok: T) -> AppResult<T> {
        if self.list.is_empty() {
            return Ok(ok);
        }
        if self.more > 0 {
            let more = self.more;
            self.list.push(Problem {
                file: self.file.clone(),
                line: 0,
                column: None,
                column_name: None,
                message: format!("… và {more} lỗi khác"),
            });
        }
        Err(AppError::Import(self.list))
    }
}

/// A row as read, before anything is looked up.
pub(super) struct RawRow {
    pub(super) line: u64,
    pub(super) collective: bool,
    pub(super) name: String,
    pub(super) birth: Option<Birth>,
    pub(super) unit: Option<String>,
    pub(super) form: String,
    pub(super) issuer: String,
    pub(super) number: String,
    pub(super) date: Date,
    pub(super) from: Option<i32>,
    pub(super) to: Option<i32>,
    pub(super) achievement: Option<String>,
    pub(super) movement: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Birth {
    Day(Date),
    Year(i32),
}

impl Birth {
    pub(super) fn matches(self, d: Option<Date>) -> bool {
        match (self, d) {
            (Birth::Day(a), Some(b)) => a == b,
            (Birth::Year(y), Some(b)) => b.year() == y,
            (_, None) => false,
        }
    }
}

/// A date cell: dd/mm/yyyy (or ISO) text, or an Excel date serial.
pub(super) fn date_cell(cell: &Cell) -> Result<Date, String> {
    match cell {
        Cell::Number(v) if v.fract() == 0.0 && (1.0..=2_958_465.0).contains(v) => {
            // Excel counts days from 30/12/1899 (its 1900 leap-year bug
            // included, which this epoch absorbs for dates after 1/3/1900).
            Date::from_calendar_date(1899, Month::December, 30)
                .ok()
                .and_then(|epoch| epoch.checked_add(Duration::days(*v as i64)))
                .ok_or_else(|| format!("ngày không hợp lệ ({v})"))
        }
        other => VnDate::parse(&other.text())
            .map(|d| d.0)
            .map_err(|_| format!("ngày «{}» không đúng dạng dd/mm/yyyy", other.text())),
    }
}

pub(super) fn year_cell(cell: &Cell) -> Result<Option<i32>, String> {
    let t = cell.text();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i32>() {
        Ok(y) if (1945..=9999).contains(&y) => Ok(Some(y)),
        _ => Err(format!("năm «{t}» không hợp lệ")),
    }
}

/// Finds the header row (within the first rows, so a title above it is
/// allowed) and maps each known column to its index.
pub(super) fn header(rows: &[Vec<Cell>]) -> Option<(usize, HashMap<&'static str, usize>)> {
    for (r, row) in rows.iter().enumerate().take(10) {
        let mut cols = HashMap::new();
        for (c, cell) in row.iter().enumerate() {
            let h = text::fold(&cell.text());
            if h.is_empty() {
                continue;
            }
            for (key, label) in COLUMNS {
                let want = text::fold(label);
                let short = text::fold(label.split(" / ").next().unwrap_or(label));
                if h == want || h.starts_with(&short) {
                    cols.entry(key).or_insert(c);
                    break;
                }
            }
        }
        if cols.contains_key("name") && cols.contains_key("form") {
            return Some((r, cols));
        }
    }
    None
}

/// The sheet, its header row and the columns found in it, or why not.
fn open_table(
    bytes: &[u8],
    problems: &mut Problems,
) -> Option<(thidua_sheets::Table, usize, HashMap<&'static str, usize>)> {
    if !bytes.starts_with(b"PK") {
        problems.push(
            1,
            None,
            "tệp không phải bảng tính Excel (.xlsx); hãy dùng mẫu thidua tạo ra",
        );
        return None;
    }
    let table = match thidua_sheets::read_sheet(bytes, SHEET) {
        Ok(t) => t,
        Err(e) => {
            problems.push(1, None, e.to_string());
            return None;
        }
    };
    let Some((head, cols)) = header(&table.rows) else {
        problems.push(
            1,
            None,
            format!(
                "không thấy dòng tiêu đề: cần các cột {}",
                COLUMNS
                    .iter()
                    .skip(1)
                    .map(|(_, h)| format!("«{h}»"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        return None;
    };
    problems.cols = cols.clone();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|k| !cols.contains_key(*k))
        .map(|k| COLUMNS.iter().find(|(c, _)| c == k).map_or(*k, |(_, h)| *h))
        .collect();
    if !missing.is_empty() {
        problems.push(
            head as u64 + 1,
            None,
            format!("thiếu cột: {}", missing.join(", ")),
        );
        return None;
    }
    for (r0, c0, r1, c1) in &table.merged {
        if *r1 as usize > head {
            problems.push(
                u64::from(*r0) + 1,
                Some(*c0 as usize),
                format!(
                    "ô gộp {}{}:{}{}: mỗi dòng một khen thưởng, không gộp ô",
                    column_letter(*c0 as usize),
                    r0 + 1,
                    column_letter(*c1 as usize),
                    r1 + 1
                ),
            );
        }
    }
    Some((table, head, cols))
}

/// Reads the sheet into rows, reporting what is malformed.
pub(super) fn read_rows(bytes: &[u8], today: Date, problems: &mut Problems) -> Vec<RawRow> {
    let Some((table, head, cols)) = open_table(bytes, problems) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, row) in table.rows.iter().enumerate().skip(head + 1) {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        out.extend(read_row(i as u64 + 1, row, &cols, today, problems));
    }
    if out.is_empty() && problems.list.is_empty() {
        problems.push(head as u64 + 2, None, "trang không có dòng khen thưởng nào");
    }
    out
}

/// One row of the sheet (line counted from 1), or nothing when it has a
/// problem, which is reported.
fn read_row(
    line: u64,
    row: &[Cell],
    cols: &HashMap<&'static str, usize>,
    today: Date,
    problems: &mut Problems,
) -> Option<RawRow> {
    let at = |key: &str| cols.get(key).copied();
    let cell = |key: &str| {
        at(key)
            .and_then(|c| row.get(c))
            .cloned()
            .unwrap_or(Cell::Empty)
    };
    let text_of = |key: &str| text::normalize(&cell(key).text());
    let mut ok = true;
    let mut need = |key: &str, problems: &mut Problems| {
        let v = text_of(key);
        if v.is_empty() {
            let header = COLUMNS.iter().find(|(c, _)| *c == key).map_or("", |c| c.1);
            problems.push(line, at(key), format!("thiếu «{header}»"));
            ok = false;
        }
        v
    };
    let kind = need("kind", problems);
    let name = need("name", problems);
    let form = need("form", problems);
    let issuer = need("issuer", problems);
    let number = need("number", problems);
    let collective = match text::fold(&kind).as_str() {
        "ca nhan" => false,
        "tap the" => true,
        "" => false,
        other => {
            problems.push(
                line,
                at("kind"),
                format!("đối tượng «{other}»: ghi «Cá nhân» hoặc «Tập thể»"),
            );
            ok = false;
            false
        }
    };
    let unit = Some(text_of("unit")).filter(|u| !u.is_empty());
    if collective && unit.is_none() {
        problems.push(line, at("unit"), "tập thể cần «Mã đơn vị»");
        ok = false;
    }
    if !number.is_empty()
        && let Err(e) = DocumentNumber::parse(&number)
    {
        problems.push(line, at("number"), e.to_string());
        ok = false;
    }
    let date = match cell("date") {
        c if c.is_empty() => {
            problems.push(line, at("date"), "thiếu «Ngày quyết định»");
            None
        }
        c => match date_cell(&c) {
            Ok(d) if d > today => {
                problems.push(
                    line,
                    at("date"),
                    format!(
                        "ngày quyết định {} ở tương lai (hôm nay {})",
                        VnDate(d),
                        VnDate(today)
                    ),
                );
                None
            }
            Ok(d) if d.year() < 1945 => {
                problems.push(line, at("date"), "ngày quyết định trước năm 1945");
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                problems.push(line, at("date"), m);
                None
            }
        },
    };
    let birth = match cell("birth") {
        c if c.is_empty() => None,
        c => match year_cell(&c) {
            Ok(Some(y)) if c.text().len() == 4 => Some(Birth::Year(y)),
            _ => match date_cell(&c) {
                Ok(d) => Some(Birth::Day(d)),
                Err(m) => {
                    problems.push(line, at("birth"), m);
                    ok = false;
                    None
                }
            },
        },
    };
    let mut years = [None, None];
    for (slot, key) in years.iter_mut().zip(["from", "to"]) {
        match year_cell(&cell(key)) {
            Ok(y) => *slot = y,
            Err(m) => {
                problems.push(line, at(key), m);
                ok = false;
            }
        }
    }
    let [from, to] = years;
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        problems.push(line, at("from"), "«Từ năm» sau «Đến năm»");
        ok = false;
    }
    if let (Some(d), Some(y)) = (date, to.or(from))
        && y > d.year()
    {
        problems.push(
            line,
            at("to"),
            format!("năm thành tích {y} sau năm quyết định {}", d.year()),
        );
        ok = false;
    }
    let achievement = Some(text_of("achievement")).filter(|a| !a.is_empty());
    let movement = Some(text_of("movement")).filter(|a| !a.is_empty());
    let (true, Some(date)) = (ok, date) else {
        return None;
    };
    Some(RawRow {
        line,
        collective,
        name,
        birth,
        unit,
        form,
        issuer,
        number,
        date,
        from,
        to,
        achievement,
        movement,
    })
}
