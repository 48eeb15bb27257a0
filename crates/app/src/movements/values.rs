//! Indicator values from a form or a spreadsheet: read, checked against the
//! indicators and the territory, entered and approved.

use crate::admin_units::Problem;
use crate::{AppError, AppResult, auth};
use std::collections::{BTreeSet, HashMap, HashSet};
use thidua_domain::date::VnDate;
use thidua_domain::indicator::{IndicatorCode, PeriodKey};
use thidua_domain::org::{CodeList, UnitCode, UnitId};
use thidua_domain::policy::{Action, Denied};
use thidua_sheets::Cell;
use thidua_store::{IndicatorRow, MovementRow, Store, UnitRow, UserRow, ValueEntry, Who};
use time::Date;

/// One value as it arrives, before checking: text from a form or a file.
#[derive(Debug, Clone, PartialEq)]
pub struct RawValue {
    /// Where it came from: the file's line (header = 1), or 0 for a form.
    pub line: u64,
    pub unit_code: String,
    pub period: String,
    pub indicator: String,
    pub value: Cell,
    pub note: Option<String>,
}

/// The columns of value files (CSV and XLSX) and of the entry template.
pub const VALUE_COLUMNS: [&str; 8] = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Kỳ",
    "Mã chỉ tiêu",
    "Tên chỉ tiêu",
    "Đơn vị tính",
    "Giá trị",
    "Ghi chú",
];

/// Column names accepted for each needed field (Vietnamese or English).
pub(super) const COLUMN_ALIASES: [(&str, &[&str]); 5] = [
    ("unit", &["ma don vi", "unit code", "unit_code"]),
    ("period", &["ky", "period"]),
    (
        "indicator",
        &["ma chi tieu", "indicator code", "indicator_code"],
    ),
    ("value", &["gia tri", "value"]),
    ("note", &["ghi chu", "note"]),
];

/// Reads rows of a value file: the header names the columns.
pub fn raw_values(file: &str, rows: &[Vec<Cell>]) -> Result<Vec<RawValue>, Vec<Problem>> {
    let problem = |line: u64, column: Option<(usize, String)>, message: String| Problem {
        file: file.to_owned(),
        line,
        column: column.as_ref().map(|(i, _)| i + 1),
        column_name: column.map(|(_, n)| n),
        message,
    };
    let Some(header) = rows.first() else {
        return Err(vec![problem(1, None, "tệp trống".to_owned())]);
    };
    let names: Vec<String> = header
        .iter()
        .map(|c| thidua_domain::text::fold(&c.text()))
        .collect();
    let mut cols: HashMap<&str, usize> = HashMap::new();
    for (field, aliases) in COLUMN_ALIASES {
        if let Some(i) = names.iter().position(|n| aliases.contains(&n.as_str())) {
            cols.insert(field, i);
        }
    }
    let missing: Vec<&str> = ["unit", "period", "indicator", "value"]
        .into_iter()
        .filter(|f| !cols.contains_key(f))
        .collect();
    if !missing.is_empty() {
        return Err(vec![problem(
            1,
            None,
            format!(
                "thiếu cột: cần các cột «Mã đơn vị», «Kỳ», «Mã chỉ tiêu», «Giá trị» (thiếu {})",
                missing.join(", ")
            ),
        )]);
    }
    let cell = |row: &Vec<Cell>, f: &str| {
        cols.get(f)
            .and_then(|&i| row.get(i))
            .cloned()
            .unwrap_or(Cell::Empty)
    };
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let note = cell(row, "note");
        out.push(RawValue {
            line: i as u64 + 1,
            unit_code: cell(row, "unit").text(),
            period: cell(row, "period").text(),
            indicator: cell(row, "indicator").text(),
            value: cell(row, "value"),
            note: (!note.is_empty()).then(|| note.text()),
        });
    }
    Ok(out)
}

/// Reads an uploaded value file: XLSX (by its zip signature) or CSV
/// (UTF-8, comma or semicolon), within `thidua_sheets::LIMITS`.
pub fn read_value_file(file: &str, bytes: &[u8]) -> Result<Vec<RawValue>, Vec<Problem>> {
    let read = if bytes.starts_with(b"PK") {
        thidua_sheets::read_first(bytes)
    } else {
        thidua_sheets::read_csv(bytes)
    };
    let rows = read.map_err(|e| {
        vec![Problem {
            file: file.to_owned(),
            line: e.line().unwrap_or(1),
            column: None,
            column_name: None,
            message: e.to_string(),
        }]
    })?;
    raw_values(file, &rows)
}

/// Refuses, before a file is read, an account whose role never enters
/// values (each row's unit is then checked against the scope).
pub fn may_enter_values(user: &UserRow) -> AppResult<()> {
    role_may(user, Action::EnterValues)
}

/// Whether the user's role may approve values anywhere (before listing
/// what waits for approval).
pub fn may_approve_values(user: &UserRow) -> AppResult<()> {
    role_may(user, Action::ApproveValues)
}

pub(super) fn role_may(user: &UserRow, action: Action) -> AppResult<()> {
    if thidua_domain::policy::role_allows(user.role, action) {
        Ok(())
    } else {
        Err(AppError::Denied(Denied::Role))
    }
}

/// [`read_value_file`] on the parsing pool (see [`crate::intake`]); a file
/// with problems is `AppError::Import`.
pub async fn parse_value_file(file: &str, bytes: Vec<u8>) -> AppResult<Vec<RawValue>> {
    let name = file.to_owned();
    crate::intake::off_thread(move || read_value_file(&name, &bytes))
        .await?
        .map_err(AppError::Import)
}

/// Who is entering: a user (checked against the policy) or the system.
#[derive(Clone, Copy)]
pub enum Enterer<'a> {
    User(&'a UserRow),
    System,
}

/// Checks raw values against the movement, its indicators, the units'
/// levels, the periods and the enterer's scope. Every problem is reported
/// with its line and column; nothing is returned unless all rows are good.
pub async fn check_values(
    store: &Store,
    enterer: Enterer<'_>,
    movement: &MovementRow,
    indicators: &[IndicatorRow],
    file: &str,
    raw: &[RawValue],
    today: Date,
) -> AppResult<Result<Vec<ValueEntry>, Vec<Problem>>> {
    let mut problems = Vec::new();
    let col = |name: &str| VALUE_COLUMNS.iter().position(|c| *c == name);
    let mut push = |line: u64, column: &str, message: String| {
        if problems.len() < 100 {
            problems.push(Problem {
                file: file.to_owned(),
                line,
                column: col(column).map(|i| i + 1),
                column_name: Some(column.to_owned()),
                message,
            });
        }
    };
    if !movement.status.accepts_values() {
        push(
            0,
            "Mã chỉ tiêu",
            format!(
                "phong trào đang ở trạng thái «{}», chưa (hoặc không còn) nhận số liệu",
                movement.status.label()
            ),
        );
    }
    let by_code: HashMap<&str, &IndicatorRow> = indicators
        .iter()
        .map(|i| (i.def.code.as_str(), i))
        .collect();
    let mut unit_cache: HashMap<(String, Date), Option<UnitRow>> = HashMap::new();
    let mut allowed: HashMap<UnitId, Result<(), Denied>> = HashMap::new();
    // Values come only from the launching unit's territory, whoever enters
    // them (the CLI too), as that territory stood in each period.
    let launcher = match movement.authority {
        Some(a) => Some((a.0, store.succession_edges().await?)),
        None => None,
    };
    let mut inside: HashMap<(UnitId, Date), bool> = HashMap::new();
    let mut lines: Vec<(u64, String)> = Vec::new();
    let mut seen: HashMap<(i64, i64, String), u64> = HashMap::new();
    let mut out = Vec::new();
    for r in raw {
        let Some(ind) = IndicatorCode::parse(&r.indicator)
            .ok()
            .and_then(|c| by_code.get(c.as_str()).copied())
        else {
            push(
                r.line,
                "Mã chỉ tiêu",
                format!(
                    "phong trào {} không có chỉ tiêu «{}»",
                    movement.code, r.indicator
                ),
            );
            continue;
        };
        let def = &ind.def;
        if def.is_derived() {
            push(
                r.line,
                "Mã chỉ tiêu",
                format!(
                    "chỉ tiêu {} được tính bằng công thức, không nhập trực tiếp",
                    def.code
                ),
            );
            continue;
        }
        let period = match PeriodKey::parse(def.period, &r.period) {
            Ok(p) => p,
            Err(e) => {
                push(r.line, "Kỳ", e.to_string());
                continue;
            }
        };
        if period.start() < movement.start || movement.end.is_some_and(|e| period.end() > e) {
            push(
                r.line,
                "Kỳ",
                format!(
                    "kỳ {} nằm ngoài thời gian phong trào ({} – {})",
                    period.label(),
                    VnDate(movement.start),
                    movement
                        .end
                        .map(|e| VnDate(e).to_string())
                        .unwrap_or_else(|| "…".into())
                ),
            );
            continue;
        }
        let value = match &r.value {
            Cell::Empty => {
                push(r.line, "Giá trị", "thiếu giá trị".to_owned());
                continue;
            }
            Cell::Number(v) => def.measure.check_value(&def.code, *v),
            Cell::Text(t) => def.measure.parse_value(&def.code, t),
        };
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                push(r.line, "Giá trị", e.to_string());
                continue;
            }
        };
        // A value belongs to the unit that existed at the end of its period.
        let on = period.end();
        let key = (r.unit_code.trim().to_owned(), on);
        if !unit_cache.contains_key(&key) {
            let found = match UnitCode::parse(&r.unit_code) {
                Ok(c) => {
                    let u = store.resolve_code(c.as_str(), None::<CodeList>, on).await?;
                    u.filter(|u| u.period.contains(on))
                }
                Err(_) => None,
            };
            unit_cache.insert(key.clone(), found);
        }
        let Some(unit) = unit_cache.get(&key).cloned().flatten() else {
            push(
                r.line,
                "Mã đơn vị",
                format!(
                    "không có đơn vị mã «{}» vào ngày {}",
                    r.unit_code,
                    VnDate(on)
                ),
            );
            continue;
        };
        if !def.entry.admits(unit.kind, unit.admin_type.as_deref()) {
            push(
                r.line,
                "Mã đơn vị",
                format!(
                    "{} không thuộc cấp nhập chỉ tiêu {} ({})",
                    unit.name,
                    def.code,
                    def.entry.noun()
                ),
            );
            continue;
        }
        if let Some((authority, edges)) = &launcher {
            if let std::collections::hash_map::Entry::Vacant(slot) = inside.entry((unit.id, on)) {
                let family = lineage(edges, *authority, on);
                let mut line: Vec<i64> = store
                    .ancestors_as_of(unit.id, on)
                    .await?
                    .iter()
                    .map(|u| u.id.0)
                    .collect();
                line.push(unit.id.0);
                slot.insert(line.iter().any(|u| family.contains(u)));
            }
            if inside.get(&(unit.id, on)) == Some(&false) {
                push(
                    r.line,
                    "Mã đơn vị",
                    format!(
                        "{} không thuộc địa bàn của đơn vị phát động phong trào {}",
                        unit.name, movement.code
                    ),
                );
                continue;
            }
        }
        if let Enterer::User(user) = enterer {
            if let std::collections::hash_map::Entry::Vacant(slot) = allowed.entry(unit.id) {
                let verdict = auth::may_on_unit(store, user, Action::EnterValues, unit.id, today)
                    .await?
                    .unwrap_or(Err(Denied::Scope));
                slot.insert(verdict);
            }
            if let Some(Err(denied)) = allowed.get(&unit.id) {
                push(r.line, "Mã đơn vị", format!("{}: {denied}", unit.name));
                continue;
            }
        }
        let dup = (ind.id, unit.id.0, period.key());
        if let Some(first) = seen.insert(dup, r.line) {
            push(
                r.line,
                "Mã chỉ tiêu",
                format!(
                    "{} của {} kỳ {} đã có ở dòng {first}",
                    def.code,
                    unit.name,
                    period.label()
                ),
            );
            continue;
        }
        out.push(ValueEntry {
            indicator_id: ind.id,
            unit: unit.id,
            period,
            value,
            note: r.note.clone(),
        });
        lines.push((r.line, unit.name.clone()));
    }
    if problems.is_empty() {
        let bounds = over_bounds(store, movement, indicators, &out, &lines).await?;
        problems.extend(bounds.into_iter().take(100).map(|(line, message)| Problem {
            file: file.to_owned(),
            line,
            column: col("Giá trị").map(|i| i + 1),
            column_name: Some("Giá trị".to_owned()),
            message,
        }));
    }
    Ok(if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    })
}

/// Values that exceed the indicator they may not exceed («không vượt quá»),
/// for the same unit and period, taking each side from the batch or else
/// from what is stored: poor households above all households, whichever of
/// the two is entered last.
pub(super) async fn over_bounds(
    store: &Store,
    movement: &MovementRow,
    indicators: &[IndicatorRow],
    batch: &[ValueEntry],
    lines: &[(u64, String)],
) -> AppResult<Vec<(u64, String)>> {
    let by_code: HashMap<&str, &IndicatorRow> = indicators
        .iter()
        .map(|i| (i.def.code.as_str(), i))
        .collect();
    let pairs: Vec<(&IndicatorRow, &IndicatorRow)> = indicators
        .iter()
        .filter_map(|small| {
            let big = by_code.get(small.def.at_most.as_ref()?.as_str())?;
            Some((small, *big))
        })
        .collect();
    let involved: HashSet<i64> = pairs.iter().flat_map(|(a, b)| [a.id, b.id]).collect();
    if pairs.is_empty() || !batch.iter().any(|v| involved.contains(&v.indicator_id)) {
        return Ok(Vec::new());
    }
    let units: Vec<UnitId> = batch
        .iter()
        .map(|v| v.unit)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    type Slot = (i64, i64, String);
    let mut value: HashMap<Slot, f64> = store
        .value_rows(movement.id, Some(&units))
        .await?
        .into_iter()
        .filter(|v| involved.contains(&v.indicator_id))
        .map(|v| ((v.indicator_id, v.unit.0, v.period), v.value))
        .collect();
    let mut from_batch: HashMap<Slot, usize> = HashMap::new();
    for (i, v) in batch.iter().enumerate() {
        let slot = (v.indicator_id, v.unit.0, v.period.key());
        value.insert(slot.clone(), v.value);
        from_batch.insert(slot, i);
    }
    let mut out = Vec::new();
    for (small, big) in pairs {
        for (i, v) in batch.iter().enumerate() {
            if v.indicator_id != small.id && v.indicator_id != big.id {
                continue;
            }
            let key = v.period.key();
            let s_slot = (small.id, v.unit.0, key.clone());
            let b_slot = (big.id, v.unit.0, key);
            // Reported once, on the small side's line when both are here.
            if v.indicator_id == big.id && from_batch.contains_key(&s_slot) {
                continue;
            }
            if let (Some(s), Some(b)) = (value.get(&s_slot), value.get(&b_slot))
                && s > b
            {
                let (line, unit) = &lines[i];
                out.push((
                    *line,
                    format!(
                        "{unit} kỳ {}: {} ({}) không được lớn hơn {} ({})",
                        v.period.label(),
                        small.def.name,
                        small.def.measure.display(*s),
                        big.def.name,
                        big.def.measure.display(*b),
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// The units that stood for `unit`'s territory on `day`: itself, what it
/// became by then, and what it was formed from after then (Đắk Nông's
/// movement goes on in the Lâm Đồng of 2025, but a 2023 value of a commune
/// of the old Lâm Đồng is not Đắk Nông's).
pub(super) fn lineage(
    edges: &[thidua_store::SuccessionEdge],
    unit: i64,
    day: Date,
) -> std::collections::HashSet<i64> {
    let mut out = std::collections::HashSet::from([unit]);
    for forward in [true, false] {
        let mut todo = vec![unit];
        while let Some(u) = todo.pop() {
            for e in edges {
                let (from, to, applies) = if forward {
                    (e.predecessor, e.successor, e.effective <= day)
                } else {
                    (e.successor, e.predecessor, e.effective > day)
                };
                if applies && from == u && out.insert(to) {
                    todo.push(to);
                }
            }
        }
    }
    out
}

/// Checks then stores values: all or nothing.
pub async fn enter_values(
    store: &Store,
    who: &Who,
    enterer: Enterer<'_>,
    movement: &MovementRow,
    file: &str,
    raw: &[RawValue],
    today: Date,
) -> AppResult<thidua_store::EntryReport> {
    enter(store, who, enterer, movement, file, raw, today, false).await
}

/// Checks, stores and approves values the system enters for the province
/// (`thidua values import --approve`): exactly the file's values, approved
/// in the same transaction that stores them; nobody else's pending values.
pub async fn enter_approved_values(
    store: &Store,
    who: &Who,
    movement: &MovementRow,
    file: &str,
    raw: &[RawValue],
    today: Date,
) -> AppResult<thidua_store::EntryReport> {
    enter(
        store,
        who,
        Enterer::System,
        movement,
        file,
        raw,
        today,
        true,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn enter(
    store: &Store,
    who: &Who,
    enterer: Enterer<'_>,
    movement: &MovementRow,
    file: &str,
    raw: &[RawValue],
    today: Date,
    approve: bool,
) -> AppResult<thidua_store::EntryReport> {
    let indicators = store.indicators(movement.id).await?;
    match check_values(store, enterer, movement, &indicators, file, raw, today).await? {
        Ok(entries) => Ok(store
            .enter_values_as(who, movement.id, &entries, approve)
            .await?),
        Err(problems) => Err(AppError::Import(problems)),
    }
}

/// Approves every submitted value of a movement: for figures the province
/// enters itself (the demo, imports with `--approve`, benchmarks).
pub async fn approve_all(store: &Store, who: &Who, movement: &MovementRow) -> AppResult<u64> {
    let units: Vec<UnitId> = store
        .value_rows(movement.id, None)
        .await?
        .into_iter()
        .filter(|v| v.status == thidua_store::ValueStatus::Submitted)
        .map(|v| v.unit)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Ok(store
        .decide_values(
            who,
            movement.id,
            &units,
            None,
            thidua_store::Decision::Approve,
            None,
        )
        .await?)
}
