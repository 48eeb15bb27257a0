//! Khối, cụm in files and over the years: the scoring sheet as XLSX (to
//! prepare in Excel and load back), a member's ranking year by year, and
//! the year's results as an XLSX report.

use crate::clusters::{self, ClusterView, RankLine};
use crate::registry_import::column_letter;
use crate::{AppError, AppResult};
use serde::Serialize;
use thidua_domain::cluster::{Criterion, CriterionKind, Group, Level, Points, Sheet};
use thidua_domain::number::parse_vi;
use thidua_sheets::{Cell, Sheet as Table};
use thidua_store::Store;

/// The sheet's one worksheet, and its columns in order.
pub const SHEET_TAB: &str = "Bảng điểm";
const COLUMNS: [&str; 9] = [
    "Mã nhóm",
    "Tên nhóm",
    "Mã tiêu chí",
    "Tên tiêu chí",
    "Điểm tối đa",
    "Loại",
    "Các mức (tên = điểm; …)",
    "Chỉ tiêu",
    "Cần minh chứng",
];

const KINDS: [(&str, &str); 5] = [
    ("fixed", "Cố định"),
    ("levels", "Theo mức"),
    ("proportional", "Theo tỷ lệ"),
    ("bonus", "Điểm thưởng"),
    ("penalty", "Điểm trừ"),
];

fn kind_label(k: &CriterionKind) -> &'static str {
    let key = match k {
        CriterionKind::Fixed => "fixed",
        CriterionKind::Levels { .. } => "levels",
        CriterionKind::Proportional { .. } => "proportional",
        CriterionKind::Bonus => "bonus",
        CriterionKind::Penalty => "penalty",
    };
    KINDS.iter().find(|(k, _)| *k == key).map_or("", |(_, l)| l)
}

/// The sheet as a workbook: one row per criterion, its group repeated.
pub fn sheet_to_xlsx(sheet: &Sheet) -> AppResult<Vec<u8>> {
    let rows = sheet
        .groups
        .iter()
        .flat_map(|g| g.criteria.iter().map(move |c| (g, c)))
        .map(|(g, c)| {
            let (levels, target) = match &c.kind {
                CriterionKind::Levels { levels } => (
                    levels
                        .iter()
                        .map(|l| format!("{} = {}", l.label, l.points))
                        .collect::<Vec<_>>()
                        .join("; "),
                    Cell::Empty,
                ),
                CriterionKind::Proportional { target } => (String::new(), Cell::Number(*target)),
                _ => (String::new(), Cell::Empty),
            };
            vec![
                Cell::from(g.code.as_str()),
                Cell::from(g.name.as_str()),
                Cell::from(c.code.as_str()),
                Cell::from(c.name.as_str()),
                Cell::Number(c.max.0 as f64 / 100.0),
                Cell::from(kind_label(&c.kind)),
                Cell::from(levels),
                target,
                Cell::from(if c.evidence_required { "Có" } else { "Không" }),
            ]
        })
        .collect();
    thidua_sheets::write(&[Table {
        name: SHEET_TAB.into(),
        header: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        rows,
    }])
    .map_err(|e| AppError::Internal(e.to_string()))
}

fn points_cell(cell: &Cell) -> Option<Points> {
    match cell {
        Cell::Number(v) if v.is_finite() => Some(Points((v * 100.0).round() as i64)),
        other => Points::parse(&other.text()),
    }
}

/// [`sheet_from_xlsx`] on the parsing pool (see [`crate::intake`]).
pub async fn parse_sheet(bytes: Vec<u8>) -> AppResult<Result<Sheet, Vec<String>>> {
    crate::intake::off_thread(move || sheet_from_xlsx(&bytes)).await
}

/// Reads a sheet back. Every problem is named by row and column letter;
/// a file with any problem gives no sheet.
pub fn sheet_from_xlsx(bytes: &[u8]) -> Result<Sheet, Vec<String>> {
    let table = thidua_sheets::read_sheet(bytes, SHEET_TAB).map_err(|e| vec![e.to_string()])?;
    let mut problems = Vec::new();
    let mut at = |row: usize, col: usize, message: String| {
        problems.push(format!(
            "dòng {}, cột {} ({}): {message}",
            row + 1,
            column_letter(col),
            COLUMNS[col]
        ))
    };
    let Some(header) = table.rows.first() else {
        return Err(vec![format!("trang «{SHEET_TAB}» trống")]);
    };
    for (i, name) in COLUMNS.iter().enumerate() {
        if header.get(i).map(Cell::text).as_deref() != Some(*name) {
            at(0, i, format!("cần tiêu đề «{name}»"));
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for (r, row) in table.rows.iter().enumerate().skip(1) {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let cell = |i: usize| row.get(i).cloned().unwrap_or(Cell::Empty);
        let text = |i: usize| cell(i).text();
        for i in [0, 2, 3, 4, 5] {
            if text(i).is_empty() {
                at(r, i, "không được để trống".into());
            }
        }
        let max = points_cell(&cell(4));
        if max.is_none() && !text(4).is_empty() {
            at(r, 4, format!("«{}» không phải là số điểm", text(4)));
        }
        let kind = match KINDS.iter().find(|(_, l)| *l == text(5)).map(|(k, _)| *k) {
            Some("fixed") => Some(CriterionKind::Fixed),
            Some("bonus") => Some(CriterionKind::Bonus),
            Some("penalty") => Some(CriterionKind::Penalty),
            Some("levels") => {
                let mut levels = Vec::new();
                for part in text(6).split(';').map(str::trim).filter(|p| !p.is_empty()) {
                    match part
                        .rsplit_once('=')
                        .map(|(l, p)| (l.trim(), Points::parse(p.trim())))
                    {
                        Some((label, Some(points))) if !label.is_empty() => levels.push(Level {
                            label: label.to_owned(),
                            points,
                        }),
                        _ => at(r, 6, format!("«{part}» cần dạng «tên mức = điểm»")),
                    }
                }
                if levels.is_empty() {
                    at(r, 6, "tiêu chí theo mức cần ít nhất một mức".into());
                }
                Some(CriterionKind::Levels { levels })
            }
            Some(_) => {
                let target = match cell(7) {
                    Cell::Number(v) => Some(v),
                    other => parse_vi(&other.text()).ok(),
                };
                if target.is_none() {
                    at(r, 7, format!("«{}» không phải là chỉ tiêu (số)", text(7)));
                }
                Some(CriterionKind::Proportional {
                    target: target.unwrap_or(0.0),
                })
            }
            None => {
                if !text(5).is_empty() {
                    at(
                        r,
                        5,
                        format!(
                            "«{}» không phải là loại tiêu chí ({})",
                            text(5),
                            KINDS.map(|(_, l)| l).join(", ")
                        ),
                    );
                }
                None
            }
        };
        let evidence = match text(8).to_lowercase().as_str() {
            "có" | "x" => true,
            "" | "không" => false,
            other => {
                at(r, 8, format!("«{other}»: ghi «Có» hoặc «Không»"));
                false
            }
        };
        let (Some(max), Some(kind)) = (max, kind) else {
            continue;
        };
        let criterion = Criterion {
            code: text(2),
            name: text(3),
            max,
            kind,
            evidence_required: evidence,
        };
        match groups.iter_mut().find(|g| g.code == text(0)) {
            Some(g) => g.criteria.push(criterion),
            None => groups.push(Group {
                code: text(0),
                name: text(1),
                criteria: vec![criterion],
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let sheet = Sheet { groups };
    sheet.check().map_err(|e| vec![e.to_string()])?;
    Ok(sheet)
}

/// A member's place in one year: (rank, total), or nothing that year.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    pub unit_id: i64,
    pub name: String,
    pub places: Vec<Option<(usize, Points)>>,
}

/// Xếp hạng qua các năm — the same cluster (code and organiser) year by
/// year, finalised years only, members of the latest year first.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub years: Vec<i32>,
    pub rows: Vec<HistoryRow>,
}

pub async fn history(store: &Store, c: &ClusterView) -> AppResult<History> {
    let mut years = Vec::new();
    let mut by_year: Vec<Vec<RankLine>> = Vec::new();
    let mut all = store.clusters(None).await?;
    all.retain(|r| {
        r.code == c.row.code
            && r.authority_unit_id == c.row.authority_unit_id
            && r.finalised_at.is_some()
    });
    all.sort_by_key(|r| r.year);
    for r in &all {
        years.push(r.year);
        by_year.push(clusters::ranking(store, r.id).await?);
    }
    let mut rows: Vec<HistoryRow> = Vec::new();
    for lines in by_year.iter().rev() {
        for l in lines {
            if !rows.iter().any(|x| x.unit_id == l.unit_id) {
                rows.push(HistoryRow {
                    unit_id: l.unit_id,
                    name: l.name.clone(),
                    places: Vec::new(),
                });
            }
        }
    }
    for row in &mut rows {
        row.places = by_year
            .iter()
            .map(|lines| {
                lines
                    .iter()
                    .find(|l| l.unit_id == row.unit_id)
                    .map(|l| (l.rank, l.total))
            })
            .collect();
    }
    Ok(History { years, rows })
}

/// The year's results and the years before, as a workbook of two sheets.
pub fn report_xlsx(c: &ClusterView, lines: &[RankLine], past: &History) -> AppResult<Vec<u8>> {
    let groups: Vec<String> = c
        .sheet
        .as_ref()
        .map(|(_, s)| {
            s.groups
                .iter()
                .map(|g| format!("{}. {}", g.code, g.name))
                .collect()
        })
        .unwrap_or_default();
    let number = |p: Points| Cell::Number(p.0 as f64 / 100.0);
    let mut header: Vec<String> = ["Hạng", "Đơn vị", "Vai trò", "Tổng điểm"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    header.extend(groups);
    header.push("Ghi chú".into());
    let ranking = Table {
        name: format!("Xếp hạng {}", c.row.year),
        header,
        rows: lines
            .iter()
            .map(|l| {
                let mut row = vec![
                    Cell::Number(l.rank as f64),
                    Cell::from(l.name.as_str()),
                    Cell::from(l.role.label()),
                    number(l.total),
                ];
                row.extend(l.groups.iter().map(|(_, p)| number(*p)));
                row.push(Cell::from(l.decided_by.clone().unwrap_or_default()));
                row
            })
            .collect(),
    };
    let mut header = vec!["Đơn vị".to_owned()];
    header.extend(past.years.iter().map(|y| format!("Hạng {y}")));
    header.extend(past.years.iter().map(|y| format!("Điểm {y}")));
    let years = Table {
        name: "Qua các năm".into(),
        header,
        rows: past
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![Cell::from(r.name.as_str())];
                row.extend(
                    r.places
                        .iter()
                        .map(|p| p.map_or(Cell::Empty, |(rank, _)| Cell::Number(rank as f64))),
                );
                row.extend(
                    r.places
                        .iter()
                        .map(|p| p.map_or(Cell::Empty, |(_, total)| number(total))),
                );
                row
            })
            .collect(),
    };
    thidua_sheets::write(&[ranking, years]).map_err(|e| AppError::Internal(e.to_string()))
}

/// "1 (100,2)" — a place as the page shows it.
pub fn place_text(p: Option<(usize, Points)>) -> String {
    p.map_or_else(|| "—".to_owned(), |(r, t)| format!("{r} ({t})"))
}

#[cfg(test)]
mod tests;
