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
    let mut rows = RowChecker::new(store, enterer, movement, indicators, today).await?;
    let mut lines: Vec<(u64, String)> = Vec::new();
    let mut out = Vec::new();
    for r in raw {
        match rows.check(r).await? {
            Ok((entry, unit_name)) => {
                out.push(entry);
                lines.push((r.line, unit_name));
            }
            Err((column, message)) => push(r.line, column, message),
        }
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

/// A row's problem: the column it is in and what is wrong, in Vietnamese.
type RowProblem = (&'static str, String);

/// Checks one row after another, remembering what earlier rows looked up
/// (units by code and date, the territory, the enterer's scope) and which
/// indicator, unit and period they already gave.
struct RowChecker<'a> {
    store: &'a Store,
    enterer: Enterer<'a>,
    movement: &'a MovementRow,
    by_code: HashMap<&'a str, &'a IndicatorRow>,
    today: Date,
    /// The launching unit and the successions, to tell its territory.
    launcher: Option<(i64, Vec<thidua_store::SuccessionEdge>)>,
    units: HashMap<(String, Date), Option<UnitRow>>,
    inside: HashMap<(UnitId, Date), bool>,
    allowed: HashMap<UnitId, Result<(), Denied>>,
    seen: HashMap<(i64, i64, String), u64>,
}

impl<'a> RowChecker<'a> {
    async fn new(
        store: &'a Store,
        enterer: Enterer<'a>,
        movement: &'a MovementRow,
        indicators: &'a [IndicatorRow],
        today: Date,
    ) -> AppResult<Self> {
        // Values come only from the launching unit's territory, whoever
        // enters them (the CLI too), as that territory stood in each period.
        let launcher = match movement.authority {
            Some(a) => Some((a.0, store.succession_edges().await?)),
            None => None,
        };
        Ok(RowChecker {
            store,
            enterer,
            movement,
            by_code: indicators
                .iter()
                .map(|i| (i.def.code.as_str(), i))
                .collect(),
            today,
            launcher,
            units: HashMap::new(),
            inside: HashMap::new(),
            allowed: HashMap::new(),
            seen: HashMap::new(),
        })
    }

    async fn check(&mut self, r: &RawValue) -> AppResult<Result<(ValueEntry, String), RowProblem>> {
        let (ind, period, value) = match self.measured(r) {
            Ok(found) => found,
            Err(problem) => return Ok(Err(problem)),
        };
        let def = &ind.def;
        // A value belongs to the unit that existed at the end of its period.
        let on = period.end();
        let unit = match self.unit(r, on).await? {
            Ok(unit) => unit,
            Err(problem) => return Ok(Err(problem)),
        };
        if !def.entry.admits(unit.kind, unit.admin_type.as_deref()) {
            return Ok(Err((
                "Mã đơn vị",
                format!(
                    "{} không thuộc cấp nhập chỉ tiêu {} ({})",
                    unit.name,
                    def.code,
                    def.entry.noun()
                ),
            )));
        }
        if let Err(problem) = self.may_enter(&unit, on).await? {
            return Ok(Err(problem));
        }
        let dup = (ind.id, unit.id.0, period.key());
        if let Some(first) = self.seen.insert(dup, r.line) {
            return Ok(Err((
                "Mã chỉ tiêu",
                format!(
                    "{} của {} kỳ {} đã có ở dòng {first}",
                    def.code,
                    unit.name,
                    period.label()
                ),
            )));
        }
        let entry = ValueEntry {
            indicator_id: ind.id,
            unit: unit.id,
            period,
            value,
            note: r.note.clone(),
        };
        Ok(Ok((entry, unit.name)))
    }

    /// The row's indicator, period (inside the movement's) and value.
    fn measured(&self, r: &RawValue) -> Result<(&'a IndicatorRow, PeriodKey, f64), RowProblem> {
        let movement = self.movement;
        let Some(ind) = IndicatorCode::parse(&r.indicator)
            .ok()
            .and_then(|c| self.by_code.get(c.as_str()).copied())
        else {
            return Err((
                "Mã chỉ tiêu",
                format!(
                    "phong trào {} không có chỉ tiêu «{}»",
                    movement.code, r.indicator
                ),
            ));
        };
        let def = &ind.def;
        if def.is_derived() {
            return Err((
                "Mã chỉ tiêu",
                format!(
                    "chỉ tiêu {} được tính bằng công thức, không nhập trực tiếp",
                    def.code
                ),
            ));
        }
        let period = PeriodKey::parse(def.period, &r.period).map_err(|e| ("Kỳ", e.to_string()))?;
        if period.start() < movement.start || movement.end.is_some_and(|e| period.end() > e) {
            return Err((
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
            ));
        }
        let value = match &r.value {
            Cell::Empty => return Err(("Giá trị", "thiếu giá trị".to_owned())),
            Cell::Number(v) => def.measure.check_value(&def.code, *v),
            Cell::Text(t) => def.measure.parse_value(&def.code, t),
        };
        let value = value.map_err(|e| ("Giá trị", e.to_string()))?;
        Ok((ind, period, value))
    }

    /// The unit of the row's code as it stood on the day.
    async fn unit(&mut self, r: &RawValue, on: Date) -> AppResult<Result<UnitRow, RowProblem>> {
        let key = (r.unit_code.trim().to_owned(), on);
        if !self.units.contains_key(&key) {
            let found = match UnitCode::parse(&r.unit_code) {
                Ok(c) => {
                    let u = self
                        .store
                        .resolve_code(c.as_str(), None::<CodeList>, on)
                        .await?;
                    u.filter(|u| u.period.contains(on))
                }
                Err(_) => None,
            };
            self.units.insert(key.clone(), found);
        }
        Ok(self.units.get(&key).cloned().flatten().ok_or_else(|| {
            (
                "Mã đơn vị",
                format!(
                    "không có đơn vị mã «{}» vào ngày {}",
                    r.unit_code,
                    VnDate(on)
                ),
            )
        }))
    }

    /// Whether the unit lies in the launcher's territory on the day and in
    /// the enterer's scope.
    async fn may_enter(&mut self, unit: &UnitRow, on: Date) -> AppResult<Result<(), RowProblem>> {
        if let Some((authority, edges)) = &self.launcher {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                self.inside.entry((unit.id, on))
            {
                let family = lineage(edges, *authority, on);
                let mut line: Vec<i64> = self
                    .store
                    .ancestors_as_of(unit.id, on)
                    .await?
                    .iter()
                    .map(|u| u.id.0)
                    .collect();
                line.push(unit.id.0);
                slot.insert(line.iter().any(|u| family.contains(u)));
            }
            if self.inside.get(&(unit.id, on)) == Some(&false) {
                return Ok(Err((
                    "Mã đơn vị",
                    format!(
                        "{} không thuộc địa bàn của đơn vị phát động phong trào {}",
                        unit.name, self.movement.code
                    ),
                )));
            }
        }
        if let Enterer::User(user) = self.enterer {
            if let std::collections::hash_map::Entry::Vacant(slot) = self.allowed.entry(unit.id) {
                let verdict =
                    auth::may_on_unit(self.store, user, Action::EnterValues, unit.id, self.today)
                        .await?
                        .unwrap_or(Err(Denied::Scope));
                slot.insert(verdict);
            }
            if let Some(Err(denied)) = self.allowed.get(&unit.id) {
                return Ok(Err(("Mã đơn vị", format!("{}: {denied}", unit.name))));
            }
        }
        Ok(Ok(()))
    }
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
