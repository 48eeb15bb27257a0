//! Movements as files, and values as they come in: typed in a form or
//! uploaded as CSV/XLSX, checked row by row, stored all or nothing.

use crate::admin_units::Problem;
use crate::{AppError, AppResult, auth};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use thidua_domain::date::VnDate;
use thidua_domain::document::DocumentNumber;
use thidua_domain::indicator::{IndicatorCode, IndicatorDef, PeriodKey, check_indicators};
use thidua_domain::movement::{LaunchLevel, MovementCode, MovementKind, check_dates};
use thidua_domain::org::{CodeList, UnitCode, UnitId};
use thidua_domain::policy::{Action, Denied};
use thidua_sheets::{Cell, Sheet};
use thidua_store::{
    IndicatorRow, MovementRow, NewMovement, Store, UnitRow, UserRow, ValueEntry, Who,
};
use time::Date;

/// Reusable indicator sets shipped with thidua, by name.
pub const INDICATOR_SETS: &[(&str, &str)] = &[(
    "nong-thon-moi-2021-2025",
    include_str!("../templates/nong-thon-moi-2021-2025.toml"),
)];

/// The movement file: `[movement]`, optional `indicator_set` and
/// `[defaults]`, then `[[indicators]]`. Documented in docs/formats/movement.md.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovementFile {
    pub movement: MovementHeader,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator_set: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<toml::Table>,
    #[serde(default)]
    pub indicators: Vec<toml::Table>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovementHeader {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub level: String,
    /// Mã đơn vị phát động (a unit code, read as of the start date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentHeader>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_deadline: Option<String>,
    /// Mã phong trào cấp trên.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_collectives: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_individuals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content_areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub award_forms: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentHeader {
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

#[derive(Deserialize)]
struct IndicatorSetFile {
    #[serde(default)]
    defaults: Option<toml::Table>,
    indicators: Vec<toml::Table>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field,
        message: message.into(),
    }
}

/// Reads indicator tables with defaults filled in.
fn indicator_defs(
    tables: &[toml::Table],
    defaults: Option<&toml::Table>,
) -> AppResult<Vec<IndicatorDef>> {
    tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut t = t.clone();
            for (k, v) in defaults.into_iter().flatten() {
                t.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let code = t
                .get("code")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
                .unwrap_or_else(|| format!("#{}", i + 1));
            toml::Value::Table(t)
                .try_into::<IndicatorDef>()
                .map_err(|e| invalid("indicators", format!("chỉ tiêu {code}: {}", e.message())))
        })
        .collect()
}

/// The indicators of a shipped set.
pub fn indicator_set(name: &str) -> AppResult<Vec<IndicatorDef>> {
    let (_, text) = INDICATOR_SETS
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| {
            invalid(
                "indicator_set",
                format!(
                    "không có bộ chỉ tiêu «{name}» (có: {})",
                    INDICATOR_SETS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    let set: IndicatorSetFile =
        toml::from_str(text).map_err(|e| AppError::Internal(format!("bộ chỉ tiêu {name}: {e}")))?;
    indicator_defs(&set.indicators, set.defaults.as_ref())
}

fn date(field: &'static str, s: &str) -> AppResult<Date> {
    VnDate::parse(s)
        .map(|d| d.0)
        .map_err(|e| invalid(field, e.to_string()))
}

fn opt_text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(thidua_domain::text::normalize)
}

/// Turns a movement file (TOML) into a movement to create: every field
/// parsed, unit and parent codes resolved.
pub async fn parse_movement_file(store: &Store, text: &str) -> AppResult<NewMovement> {
    let file: MovementFile = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(" (dòng {line})")
            })
            .unwrap_or_default();
        invalid("file", format!("tệp phong trào sai{at}: {}", e.message()))
    })?;
    let mut indicators = match &file.indicator_set {
        Some(name) => indicator_set(name)?,
        None => Vec::new(),
    };
    indicators.extend(indicator_defs(&file.indicators, file.defaults.as_ref())?);
    header_to_new(store, &file.movement, indicators).await
}

/// Parses a header's fields, whether from a file or a web form.
pub async fn header_to_new(
    store: &Store,
    h: &MovementHeader,
    indicators: Vec<IndicatorDef>,
) -> AppResult<NewMovement> {
    let code = MovementCode::parse(&h.code).map_err(|e| invalid("code", e.to_string()))?;
    let name = thidua_domain::text::normalize(h.name.trim());
    if name.is_empty() {
        return Err(invalid("name", "cần tên phong trào"));
    }
    let kind = MovementKind::parse(&h.kind).map_err(|e| invalid("kind", e.to_string()))?;
    let level = LaunchLevel::parse(&h.level).map_err(|e| invalid("level", e.to_string()))?;
    let start = date("start", &h.start)?;
    let end = opt_text(&h.end).map(|s| date("end", &s)).transpose()?;
    let deadline = opt_text(&h.registration_deadline)
        .map(|s| date("registration_deadline", &s))
        .transpose()?;
    check_dates(start, end, deadline).map_err(|e| invalid("end", e.to_string()))?;
    let authority = match opt_text(&h.authority) {
        None => None,
        Some(code) => {
            let c = UnitCode::parse(&code).map_err(|e| invalid("authority", e.to_string()))?;
            let unit = store
                .resolve_code(c.as_str(), None, start)
                .await?
                .ok_or_else(|| invalid("authority", format!("không có đơn vị mã {code}")))?;
            Some(unit.id)
        }
    };
    let (doc_number, doc_date, doc_signer) = match &h.document {
        None => (None, None, None),
        Some(d) => (
            Some(
                DocumentNumber::parse(&d.number)
                    .map_err(|e| invalid("doc_number", e.to_string()))?,
            ),
            opt_text(&d.date)
                .map(|s| date("doc_date", &s))
                .transpose()?,
            opt_text(&d.signer),
        ),
    };
    let parent = match opt_text(&h.parent) {
        None => None,
        Some(p) => {
            let pc = MovementCode::parse(&p).map_err(|e| invalid("parent", e.to_string()))?;
            Some(
                store
                    .movement_by_code(&pc)
                    .await?
                    .ok_or_else(|| invalid("parent", format!("không có phong trào mã {p}")))?
                    .id,
            )
        }
    };
    check_indicators(&indicators).map_err(|errs| {
        invalid(
            "indicators",
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let clean = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| thidua_domain::text::normalize(s.trim()))
            .filter(|s| !s.is_empty())
            .collect()
    };
    Ok(NewMovement {
        code,
        name,
        kind,
        level,
        authority,
        doc_number,
        doc_date,
        doc_signer,
        theme: opt_text(&h.theme),
        start,
        end,
        registration_deadline: deadline,
        parent,
        target_collectives: clean(&h.target_collectives),
        target_individuals: clean(&h.target_individuals),
        content_areas: clean(&h.content_areas),
        award_forms: clean(&h.award_forms),
        indicators,
    })
}

/// Writes a movement back as a file that [`parse_movement_file`] reads.
pub async fn export_movement_file(store: &Store, m: &MovementRow) -> AppResult<String> {
    let authority = match m.authority {
        Some(u) => store.unit(u, m.start).await?.map(|u| u.code),
        None => None,
    };
    let parent = match m.parent_id {
        Some(p) => store.movement(p).await?.map(|p| p.code.to_string()),
        None => None,
    };
    let indicators = store
        .indicators(m.id)
        .await?
        .into_iter()
        .map(|i| toml::Table::try_from(&i.def).map_err(|e| AppError::Internal(e.to_string())))
        .collect::<AppResult<Vec<_>>>()?;
    let file = MovementFile {
        movement: MovementHeader {
            code: m.code.to_string(),
            name: m.name.clone(),
            kind: m.kind.as_str().to_owned(),
            level: m.level.as_str().to_owned(),
            authority,
            document: m.doc_number.as_ref().map(|n| DocumentHeader {
                number: n.clone(),
                date: m.doc_date.map(|d| VnDate(d).iso()),
                signer: m.doc_signer.clone(),
            }),
            theme: m.theme.clone(),
            start: VnDate(m.start).iso(),
            end: m.end.map(|d| VnDate(d).iso()),
            registration_deadline: m.registration_deadline.map(|d| VnDate(d).iso()),
            parent,
            target_collectives: m.target_collectives.clone(),
            target_individuals: m.target_individuals.clone(),
            content_areas: m.content_areas.clone(),
            award_forms: m.award_forms.clone(),
        },
        indicator_set: None,
        defaults: None,
        indicators,
    };
    toml::to_string_pretty(&file).map_err(|e| AppError::Internal(e.to_string()))
}

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
const COLUMN_ALIASES: [(&str, &[&str]); 5] = [
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

fn role_may(user: &UserRow, action: Action) -> AppResult<()> {
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
async fn over_bounds(
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
fn lineage(
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
async fn enter(
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

/// The entering units in the enterer's scope, valid at `on`, for a
/// movement's input indicators.
pub async fn entry_units(
    store: &Store,
    user: Option<&UserRow>,
    indicators: &[IndicatorRow],
    on: Date,
    today: Date,
) -> AppResult<Vec<UnitRow>> {
    let roots: Vec<UnitId> = match user {
        Some(u) if !thidua_domain::policy::unscoped(u.role) => {
            auth::actor(store, u, today).await?.scope_roots
        }
        _ => store
            .roots_as_of(on)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
    };
    let mut out: Vec<UnitRow> = Vec::new();
    let mut seen = BTreeSet::new();
    for root in roots {
        // The scope is today's; on an earlier date it is what it was formed from.
        let mut tops = vec![root];
        if store
            .unit(root, on)
            .await?
            .is_none_or(|u| !u.period.contains(on))
        {
            tops = predecessors_valid_on(store, root, on).await?;
        }
        for top in tops {
            let mut units: Vec<UnitRow> = store
                .subtree_as_of(top, on)
                .await?
                .into_iter()
                .map(|(u, _)| u)
                .collect();
            if let Some(u) = store.unit(top, on).await? {
                units.insert(0, u);
            }
            for u in units {
                let admitted = indicators.iter().any(|i| {
                    !i.def.is_derived() && i.def.entry.admits(u.kind, u.admin_type.as_deref())
                });
                if admitted && seen.insert(u.id) {
                    out.push(u);
                }
            }
        }
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// The units valid on `on` that `unit` was formed from, however many steps back.
async fn predecessors_valid_on(store: &Store, unit: UnitId, on: Date) -> AppResult<Vec<UnitId>> {
    let mut out = Vec::new();
    let mut frontier = vec![unit];
    let mut seen = BTreeSet::from([unit]);
    while let Some(u) = frontier.pop() {
        for link in store.predecessors(u).await? {
            if !seen.insert(link.unit.id) {
                continue;
            }
            if link.unit.period.contains(on) {
                out.push(link.unit.id);
            } else {
                frontier.push(link.unit.id);
            }
        }
    }
    Ok(out)
}

/// The XLSX a unit officer fills in: one row per entering unit and input
/// indicator for the period, with what is stored already.
pub async fn entry_template(
    store: &Store,
    user: Option<&UserRow>,
    movement: &MovementRow,
    period_text: &str,
    today: Date,
) -> AppResult<Vec<u8>> {
    let indicators = store.indicators(movement.id).await?;
    let inputs: Vec<&IndicatorRow> = indicators.iter().filter(|i| !i.def.is_derived()).collect();
    let kind = inputs
        .first()
        .map(|i| i.def.period)
        .ok_or_else(|| invalid("period", "phong trào chưa có chỉ tiêu nhập liệu"))?;
    let period =
        PeriodKey::parse(kind, period_text).map_err(|e| invalid("period", e.to_string()))?;
    let units = entry_units(store, user, &indicators, period.end(), today).await?;
    let ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
    let stored: HashMap<(i64, i64), f64> = store
        .value_rows(movement.id, Some(&ids))
        .await?
        .into_iter()
        .filter(|v| v.period == period.key())
        .map(|v| ((v.indicator_id, v.unit.0), v.value))
        .collect();
    let mut rows = Vec::new();
    for u in &units {
        for i in &inputs {
            if i.def.period != kind || !i.def.entry.admits(u.kind, u.admin_type.as_deref()) {
                continue;
            }
            let value = stored.get(&(i.id, u.id.0)).map(|v| {
                if i.def.measure == thidua_domain::indicator::Measure::Criterion {
                    Cell::Text(i.def.measure.display(*v))
                } else {
                    Cell::Number(*v)
                }
            });
            rows.push(vec![
                Cell::Text(u.code.clone()),
                Cell::Text(u.name.clone()),
                Cell::Text(period.key()),
                Cell::Text(i.def.code.to_string()),
                Cell::Text(i.def.name.clone()),
                Cell::Text(i.def.measure.label().to_owned()),
                value.unwrap_or(Cell::Empty),
                Cell::Empty,
            ]);
        }
    }
    let sheet = Sheet {
        name: format!("{} {}", movement.code, period.key()),
        header: VALUE_COLUMNS.iter().map(|s| (*s).to_owned()).collect(),
        rows,
    };
    thidua_sheets::write(&[sheet]).map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests;

pub mod access;
pub mod approval;
pub mod lifecycle;
pub mod twinning;
