//! Reading the official administrative unit lists (see
//! `data/admin_units/README.md`) with every problem located by file, line
//! and column, and loading them into the registry in one transaction.

use crate::{AppError, AppResult};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use thidua_domain::official::{self, MappingRow, OfficialDataset, OfficialUnit};
use thidua_domain::org::{CodeList, UnitCode, UnitKind};
use thidua_domain::text;
use thidua_store::{ImportReport, Store, Who};

/// Stop collecting after this many problems: enough to fix a file in one go.
pub const MAX_PROBLEMS: usize = 100;

pub const FILES: [&str; 6] = [
    "provinces_legacy.csv",
    "districts_legacy.csv",
    "communes_legacy.csv",
    "provinces_2025.csv",
    "communes_2025.csv",
    "mapping_legacy_to_2025.csv",
];

/// The official files compiled into the binary, for `demo`.
pub const EMBEDDED: [(&str, &[u8]); 6] = [
    (
        "provinces_legacy.csv",
        include_bytes!("../../../data/admin_units/provinces_legacy.csv"),
    ),
    (
        "districts_legacy.csv",
        include_bytes!("../../../data/admin_units/districts_legacy.csv"),
    ),
    (
        "communes_legacy.csv",
        include_bytes!("../../../data/admin_units/communes_legacy.csv"),
    ),
    (
        "provinces_2025.csv",
        include_bytes!("../../../data/admin_units/provinces_2025.csv"),
    ),
    (
        "communes_2025.csv",
        include_bytes!("../../../data/admin_units/communes_2025.csv"),
    ),
    (
        "mapping_legacy_to_2025.csv",
        include_bytes!("../../../data/admin_units/mapping_legacy_to_2025.csv"),
    ),
];

pub use crate::error::Problem;

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(
        &mut self,
        file: &str,
        line: u64,
        column: Option<(usize, &str)>,
        message: impl Into<String>,
    ) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(Problem {
                file: file.to_owned(),
                line,
                column: column.map(|(i, _)| i + 1),
                column_name: column.map(|(_, n)| n.to_owned()),
                message: message.into(),
            });
        }
    }
}

/// A parsed row: its line and its fields by column name.
struct Row {
    line: u64,
    fields: Vec<String>,
}

/// Reads one CSV file: checks the header, the column count and UTF-8 of
/// every field; rows with any problem are reported and left out.
fn read_csv(file: &str, bytes: &[u8], expected: &[&str], problems: &mut Problems) -> Vec<Row> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (i, rec) in rdr.byte_records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(i as u64 + 1);
                problems.push(file, line, None, format!("không đọc được dòng CSV: {e}"));
                break;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(i as u64 + 1);
        let mut fields = Vec::with_capacity(rec.len());
        let mut ok = true;
        for (c, raw) in rec.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => fields.push(s.to_owned()),
                Err(e) => {
                    let name = expected.get(c).copied().unwrap_or("?");
                    problems.push(
                        file,
                        line,
                        Some((c, name)),
                        format!(
                            "không phải UTF-8 hợp lệ (byte thứ {} của ô)",
                            e.valid_up_to() + 1
                        ),
                    );
                    ok = false;
                }
            }
        }
        if !header_seen {
            header_seen = true;
            let got: Vec<&str> = fields
                .iter()
                .map(|s| s.trim_start_matches('\u{feff}'))
                .collect();
            if got != expected {
                problems.push(
                    file,
                    line,
                    None,
                    format!(
                        "dòng tiêu đề phải là «{}», nhận được «{}»",
                        expected.join(","),
                        got.join(",")
                    ),
                );
                return Vec::new();
            }
            continue;
        }
        if !ok {
            continue;
        }
        if fields.len() != expected.len() {
            problems.push(
                file,
                line,
                None,
                format!("cần {} cột, dòng này có {}", expected.len(), fields.len()),
            );
            continue;
        }
        rows.push(Row { line, fields });
    }
    if !header_seen {
        problems.push(file, 1, None, "tệp rỗng, thiếu dòng tiêu đề");
    }
    rows
}

/// Parser state for one file: reports problems at the current row.
struct Cursor<'a> {
    file: &'a str,
    columns: &'a [&'a str],
}

impl Cursor<'_> {
    fn field<'r>(&self, row: &'r Row, name: &str) -> (usize, &'r str) {
        let i = self.columns.iter().position(|c| *c == name).unwrap_or(0);
        (i, row.fields.get(i).map(String::as_str).unwrap_or(""))
    }

    fn code(&self, row: &Row, name: &str, digits: usize, p: &mut Problems) -> Option<UnitCode> {
        let (i, v) = self.field(row, name);
        match UnitCode::official(v, digits) {
            Ok(c) => Some(c),
            Err(_) => {
                p.push(
                    self.file,
                    row.line,
                    Some((i, name)),
                    format!("mã «{v}» phải gồm đúng {digits} chữ số"),
                );
                None
            }
        }
    }

    fn text(&self, row: &Row, name: &str, p: &mut Problems) -> Option<String> {
        let (i, v) = self.field(row, name);
        let n = text::normalize(v);
        if n.is_empty() {
            p.push(self.file, row.line, Some((i, name)), "không được để trống");
            None
        } else {
            Some(n)
        }
    }

    fn one_of(&self, row: &Row, name: &str, allowed: &[&str], p: &mut Problems) -> Option<String> {
        let (i, v) = self.field(row, name);
        if allowed.contains(&v) {
            Some(v.to_owned())
        } else {
            p.push(
                self.file,
                row.line,
                Some((i, name)),
                format!(
                    "giá trị «{v}» không hợp lệ (chấp nhận: {})",
                    allowed.join(", ")
                ),
            );
            None
        }
    }

    fn flag(&self, row: &Row, name: &str, p: &mut Problems) -> Option<bool> {
        self.one_of(row, name, &["0", "1"], p).map(|v| v == "1")
    }
}

const PROVINCE_TYPES: [&str; 2] = ["tỉnh", "thành phố trực thuộc trung ương"];
const DISTRICT_TYPES: [&str; 4] = ["huyện", "quận", "thị xã", "thành phố"];
const LEGACY_COMMUNE_TYPES: [&str; 3] = ["xã", "phường", "thị trấn"];
const COMMUNE_2025_TYPES: [&str; 3] = ["xã", "phường", "đặc khu"];

/// A parsed list with where each code was defined, to report duplicates
/// and dangling references at the row that makes them.
struct UnitsFile {
    units: Vec<OfficialUnit>,
    parent_refs: Vec<(u64, usize, &'static str, UnitCode)>,
}

#[allow(clippy::too_many_arguments)]
fn parse_units(
    file: &'static str,
    bytes: &[u8],
    columns: &'static [&'static str],
    list: CodeList,
    kind: UnitKind,
    digits: usize,
    types: &[&str],
    parent_column: Option<(&'static str, usize)>,
    p: &mut Problems,
) -> UnitsFile {
    let rows = read_csv(file, bytes, columns, p);
    let cur = Cursor { file, columns };
    let mut seen: HashMap<UnitCode, u64> = HashMap::new();
    let mut out = UnitsFile {
        units: Vec::new(),
        parent_refs: Vec::new(),
    };
    for row in &rows {
        let code = cur.code(row, "code", digits, p);
        let name = cur.text(row, "name", p);
        let short = cur.text(row, "short_name", p);
        let admin_type = cur.one_of(row, "type", types, p);
        let parent = parent_column.and_then(|(col, d)| cur.code(row, col, d, p).map(|c| (col, c)));
        if let Some(c) = &code {
            if let Some(first) = seen.get(c) {
                let (i, _) = cur.field(row, "code");
                p.push(
                    file,
                    row.line,
                    Some((i, "code")),
                    format!("mã «{c}» trùng với dòng {first}"),
                );
                continue;
            }
            seen.insert(c.clone(), row.line);
        }
        if let (Some(code), Some(name), Some(short_name), Some(admin_type)) =
            (code, name, short, admin_type)
        {
            if parent_column.is_some() && parent.is_none() {
                continue;
            }
            if let Some((col, pc)) = &parent {
                let (i, _) = cur.field(row, col);
                out.parent_refs.push((row.line, i, col, pc.clone()));
            }
            out.units.push(OfficialUnit {
                list,
                code,
                kind,
                admin_type,
                name,
                short_name,
                parent: parent.map(|(_, c)| c),
            });
        }
    }
    out
}

fn check_refs(
    file: &str,
    refs: &[(u64, usize, &'static str, UnitCode)],
    target: &HashSet<&UnitCode>,
    target_file: &str,
    p: &mut Problems,
) {
    for (line, col, name, code) in refs {
        if !target.contains(code) {
            p.push(
                file,
                *line,
                Some((*col, name)),
                format!("mã «{code}» không có trong {target_file}"),
            );
        }
    }
}

/// Parses the six files (name → bytes) into the dataset, or every problem
/// found (up to [`MAX_PROBLEMS`]).
pub fn parse_dataset(files: &HashMap<String, Vec<u8>>) -> Result<OfficialDataset, Vec<Problem>> {
    let mut p = Problems::default();
    let get = |name: &str, p: &mut Problems| -> Vec<u8> {
        match files.get(name) {
            Some(b) => b.clone(),
            None => {
                p.push(name, 0, None, "thiếu tệp này trong thư mục");
                Vec::new()
            }
        }
    };
    let pl = get("provinces_legacy.csv", &mut p);
    let dl = get("districts_legacy.csv", &mut p);
    let cl = get("communes_legacy.csv", &mut p);
    let pn = get("provinces_2025.csv", &mut p);
    let cn = get("communes_2025.csv", &mut p);
    let mp = get("mapping_legacy_to_2025.csv", &mut p);
    if !p.0.is_empty() {
        return Err(p.0);
    }
    let [prov_l, dist_l, comm_l, prov_n, comm_n] = unit_files([&pl, &dl, &cl, &pn, &cn], &mut p);
    let codes =
        |f: &UnitsFile| -> HashSet<UnitCode> { f.units.iter().map(|u| u.code.clone()).collect() };
    let (set_pl, set_dl, set_cl, set_pn, set_cn) = (
        codes(&prov_l),
        codes(&dist_l),
        codes(&comm_l),
        codes(&prov_n),
        codes(&comm_n),
    );
    check_refs(
        "districts_legacy.csv",
        &dist_l.parent_refs,
        &set_pl.iter().collect(),
        "provinces_legacy.csv",
        &mut p,
    );
    check_refs(
        "communes_legacy.csv",
        &comm_l.parent_refs,
        &set_dl.iter().collect(),
        "districts_legacy.csv",
        &mut p,
    );
    check_refs(
        "communes_2025.csv",
        &comm_n.parent_refs,
        &set_pn.iter().collect(),
        "provinces_2025.csv",
        &mut p,
    );

    let sets = CodeSets {
        province_legacy: &set_pl,
        district_legacy: &set_dl,
        commune_legacy: &set_cl,
        province_2025: &set_pn,
        commune_2025: &set_cn,
    };
    let mapping = parse_mapping(&mp, &sets, &mut p);
    if !p.0.is_empty() {
        return Err(p.0);
    }
    let mut legacy = prov_l.units;
    legacy.extend(dist_l.units);
    legacy.extend(comm_l.units);
    let mut current = prov_n.units;
    current.extend(comm_n.units);
    Ok(OfficialDataset {
        legacy,
        current,
        mapping,
    })
}

/// The five lists of units, in the order legacy provinces, districts and
/// communes, then 2025 provinces and communes.
fn unit_files(bytes: [&[u8]; 5], p: &mut Problems) -> [UnitsFile; 5] {
    let [pl, dl, cl, pn, cn] = bytes;
    let prov_l = parse_units(
        "provinces_legacy.csv",
        pl,
        &[
            "code",
            "name",
            "short_name",
            "type",
            "province_2025_code",
            "name_nso_2025_01",
        ],
        CodeList::Legacy,
        UnitKind::Province,
        2,
        &PROVINCE_TYPES,
        None,
        p,
    );
    let dist_l = parse_units(
        "districts_legacy.csv",
        dl,
        &[
            "code",
            "name",
            "short_name",
            "type",
            "province_code",
            "name_nso_2025_01",
        ],
        CodeList::Legacy,
        UnitKind::District,
        3,
        &DISTRICT_TYPES,
        Some(("province_code", 2)),
        p,
    );
    let comm_l = parse_units(
        "communes_legacy.csv",
        cl,
        &[
            "code",
            "name",
            "short_name",
            "type",
            "district_code",
            "province_code",
            "name_nso_2025_01",
        ],
        CodeList::Legacy,
        UnitKind::Commune,
        5,
        &LEGACY_COMMUNE_TYPES,
        Some(("district_code", 3)),
        p,
    );
    let prov_n = parse_units(
        "provinces_2025.csv",
        pn,
        &[
            "code",
            "name",
            "short_name",
            "type",
            "codename",
            "later_name",
            "later_type",
        ],
        CodeList::Y2025,
        UnitKind::Province,
        2,
        &PROVINCE_TYPES,
        None,
        p,
    );
    let comm_n = parse_units(
        "communes_2025.csv",
        cn,
        &[
            "code",
            "name",
            "short_name",
            "type",
            "province_code",
            "codename",
        ],
        CodeList::Y2025,
        UnitKind::Commune,
        5,
        &COMMUNE_2025_TYPES,
        Some(("province_code", 2)),
        p,
    );
    [prov_l, dist_l, comm_l, prov_n, comm_n]
}

/// The codes of each list, which the mapping's rows must name.
struct CodeSets<'a> {
    province_legacy: &'a HashSet<UnitCode>,
    district_legacy: &'a HashSet<UnitCode>,
    commune_legacy: &'a HashSet<UnitCode>,
    province_2025: &'a HashSet<UnitCode>,
    commune_2025: &'a HashSet<UnitCode>,
}

/// The mapping from the legacy units to the 2025 ones, each pair once.
fn parse_mapping(mp: &[u8], sets: &CodeSets<'_>, p: &mut Problems) -> Vec<MappingRow> {
    let file = "mapping_legacy_to_2025.csv";
    let columns: &[&str] = &[
        "level",
        "legacy_code",
        "legacy_name",
        "legacy_district_code",
        "legacy_province_code",
        "new_code",
        "new_name",
        "new_province_code",
        "partial",
        "is_primary",
        "source",
        "note",
    ];
    let rows = read_csv(file, mp, columns, p);
    let cur = Cursor { file, columns };
    let mut mapping = Vec::new();
    let mut pairs: HashMap<(String, UnitCode, UnitCode), u64> = HashMap::new();
    for row in &rows {
        let Some(level) = cur.one_of(row, "level", &["province", "district", "commune"], p) else {
            continue;
        };
        let (kind, digits, legacy_set, legacy_file, new_digits, new_set, new_file) =
            match level.as_str() {
                "province" => (
                    UnitKind::Province,
                    2,
                    sets.province_legacy,
                    "provinces_legacy.csv",
                    2,
                    sets.province_2025,
                    "provinces_2025.csv",
                ),
                "district" => (
                    UnitKind::District,
                    3,
                    sets.district_legacy,
                    "districts_legacy.csv",
                    5,
                    sets.commune_2025,
                    "communes_2025.csv",
                ),
                _ => (
                    UnitKind::Commune,
                    5,
                    sets.commune_legacy,
                    "communes_legacy.csv",
                    5,
                    sets.commune_2025,
                    "communes_2025.csv",
                ),
            };
        let old = cur.code(row, "legacy_code", digits, p);
        let new = cur.code(row, "new_code", new_digits, p);
        let partial = cur.flag(row, "partial", p);
        let primary = cur.flag(row, "is_primary", p);
        if let Some(o) = &old
            && !legacy_set.contains(o)
        {
            let (i, _) = cur.field(row, "legacy_code");
            p.push(
                file,
                row.line,
                Some((i, "legacy_code")),
                format!("mã «{o}» không có trong {legacy_file}"),
            );
            continue;
        }
        if let Some(n) = &new
            && !new_set.contains(n)
        {
            let (i, _) = cur.field(row, "new_code");
            p.push(
                file,
                row.line,
                Some((i, "new_code")),
                format!("mã «{n}» không có trong {new_file}"),
            );
            continue;
        }
        if let (Some(legacy_code), Some(new_code), Some(partial), Some(primary)) =
            (old, new, partial, primary)
        {
            if let Some(first) = pairs.insert(
                (level.clone(), legacy_code.clone(), new_code.clone()),
                row.line,
            ) {
                p.push(
                    file,
                    row.line,
                    None,
                    format!("cặp {legacy_code} → {new_code} trùng với dòng {first}"),
                );
                continue;
            }
            mapping.push(MappingRow {
                level: kind,
                legacy_code,
                new_code,
                partial,
                primary,
            });
        }
    }
    mapping
}

/// Reads the six files of `dir`.
pub fn read_dir(dir: &Path) -> AppResult<HashMap<String, Vec<u8>>> {
    let mut files = HashMap::new();
    for name in FILES {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(b) => {
                files.insert(name.to_owned(), b);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(AppError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        }
    }
    Ok(files)
}

pub fn embedded_files() -> HashMap<String, Vec<u8>> {
    EMBEDDED
        .iter()
        .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
        .collect()
}

/// Parses and plans the official lists without touching the database.
pub fn prepare(files: &HashMap<String, Vec<u8>>) -> AppResult<official::ImportPlan> {
    let data = parse_dataset(files).map_err(AppError::Import)?;
    let plan = official::plan(&data).map_err(|errs| {
        AppError::Import(
            errs.into_iter()
                .map(|e| Problem {
                    file: "mapping_legacy_to_2025.csv".into(),
                    line: 0,
                    column: None,
                    column_name: None,
                    message: e.to_string(),
                })
                .collect(),
        )
    })?;
    Ok(plan)
}

/// How many progress steps writing `plan` reports.
pub fn work(plan: &official::ImportPlan) -> u64 {
    (plan.units.len() + plan.links.len() + plan.events.len()) as u64
}

/// Parses, plans and writes the official lists: all of it or nothing.
pub async fn import(
    store: &Store,
    who: &Who,
    files: &HashMap<String, Vec<u8>>,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> AppResult<(ImportReport, u64)> {
    let plan = prepare(files)?;
    let report = store.apply_import(who, &plan, progress).await?;
    Ok((report, work(&plan)))
}

#[cfg(test)]
mod tests;
