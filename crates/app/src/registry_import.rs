//! Nhập sổ khen thưởng — historical award records from a spreadsheet
//! thidua generates: every row is checked (subject, form, issuer, decision,
//! dates, duplicates, scope) and every problem reported with its sheet, row
//! and column before anything is written; then the whole file lands in one
//! transaction or not at all.

use crate::admin_units::{MAX_PROBLEMS, Problem};
use crate::movements::Enterer;
use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use thidua_domain::date::VnDate;
use thidua_domain::document::DocumentNumber;
use thidua_domain::eligibility::catalogue::{Authority, CatalogueEntry};
use thidua_domain::eligibility::codes::SubjectKind;
use thidua_domain::movement::MovementCode;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_domain::text;
use thidua_sheets::{Cell, Sheet};
use thidua_store::{
    ImportSource, ImportedRecord, NamedPerson, RecordKey, RegistryEntry, Store, SubjectRef,
    UserRow, Who,
};
use time::{Date, Duration, Month};

/// The sheet the records are read from.
pub const SHEET: &str = "Khen thưởng";

/// The columns of the template, in order: (key, header).
const COLUMNS: [(&str, &str); 13] = [
    ("stt", "STT"),
    ("kind", "Đối tượng"),
    ("name", "Họ và tên / Tên tập thể"),
    ("birth", "Ngày sinh"),
    ("unit", "Mã đơn vị"),
    ("form", "Hình thức khen thưởng"),
    ("issuer", "Cấp quyết định"),
    ("number", "Số quyết định"),
    ("date", "Ngày quyết định"),
    ("from", "Từ năm"),
    ("to", "Đến năm"),
    ("achievement", "Thành tích"),
    ("movement", "Mã phong trào"),
];
const REQUIRED: [&str; 7] = ["kind", "name", "form", "issuer", "number", "date", "unit"];

/// A record ready to write, as the preview lists it.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub line: u64,
    pub subject: String,
    pub collective: bool,
    pub form: String,
    pub issuer: String,
    pub decision_number: String,
    pub decision_date: String,
    #[serde(skip)]
    pub record: ImportedRecord,
}

/// A file that passed every check.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    pub file: String,
    pub sha256: String,
    pub rows: Vec<PlannedRow>,
}

pub use thidua_sheets::column_letter;

/// "issuer" in the form issuers are compared: folded, "UBND" spelled out,
/// "cấp" dropped ("Chủ tịch UBND cấp tỉnh" is "Chủ tịch UBND tỉnh").
fn plain_issuer(s: &str) -> String {
    text::fold(s)
        .replace("ubnd", "uy ban nhan dan")
        .split(' ')
        .filter(|w| *w != "cap")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The issuers a record may name: those already in the registry, then the
/// catalogue's authorities.
async fn known_issuers(store: &Store) -> AppResult<Vec<String>> {
    let mut known = store.issuers().await?;
    known.push(crate::decisions::ISSUER_PROVINCE.to_owned());
    for a in Authority::ALL {
        known.push(a.label().to_owned());
    }
    let mut seen = HashSet::new();
    known.retain(|k| seen.insert(plain_issuer(k)));
    Ok(known)
}

/// The newest version of every catalogue entry: historical records are
/// matched by code or name whatever their date.
fn latest_entries(catalogue: &[CatalogueEntry]) -> Vec<&CatalogueEntry> {
    let mut best: BTreeMap<&str, &CatalogueEntry> = BTreeMap::new();
    for e in catalogue {
        best.entry(e.code.as_str())
            .and_modify(|b| {
                if e.effective_from > b.effective_from {
                    *b = e;
                }
            })
            .or_insert(e);
    }
    best.into_values().collect()
}

/// The template: the records sheet with its header, a guide, and the
/// forms and issuers a record may name.
pub async fn template(store: &Store) -> AppResult<Vec<u8>> {
    let catalogue = store.catalogue_versions().await?;
    let issuers = known_issuers(store).await?;
    let guide = [
        ("STT", "Số thứ tự (không bắt buộc)."),
        ("Đối tượng", "«Cá nhân» hoặc «Tập thể»."),
        (
            "Họ và tên / Tên tập thể",
            "Như trong danh sách nhân sự hoặc danh mục đơn vị của thidua.",
        ),
        (
            "Ngày sinh",
            "dd/mm/yyyy hoặc năm sinh; cần khi có người trùng họ tên.",
        ),
        (
            "Mã đơn vị",
            "Mã đơn vị tại ngày quyết định (mã cũ trước sáp nhập 2025 vẫn dùng được). Bắt buộc với tập thể; với cá nhân là đơn vị công tác.",
        ),
        (
            "Hình thức khen thưởng",
            "Mã hoặc tên trong trang «Hình thức».",
        ),
        ("Cấp quyết định", "Một dòng trong trang «Cấp quyết định»."),
        ("Số quyết định", "Ví dụ 589/QĐ-UBND."),
        ("Ngày quyết định", "dd/mm/yyyy, không sau ngày nhập."),
        (
            "Từ năm / Đến năm",
            "Thời gian lập thành tích; để trống là năm quyết định. Với danh hiệu thi đua, «Đến năm» là năm được công nhận.",
        ),
        ("Thành tích", "Không bắt buộc."),
        (
            "Mã phong trào",
            "Không bắt buộc; mã phong trào trong thidua.",
        ),
        (
            "Lưu ý",
            "Mỗi dòng một khen thưởng, không gộp ô. Tệp được kiểm tra toàn bộ trước khi ghi; có lỗi thì không dòng nào được ghi.",
        ),
    ];
    let sheets = [
        Sheet {
            name: SHEET.to_owned(),
            header: COLUMNS.iter().map(|(_, h)| (*h).to_owned()).collect(),
            rows: Vec::new(),
        },
        Sheet {
            name: "Hướng dẫn".to_owned(),
            header: vec!["Cột".into(), "Cách ghi".into()],
            rows: guide
                .iter()
                .map(|(c, h)| vec![Cell::from(*c), Cell::from(*h)])
                .collect(),
        },
        Sheet {
            name: "Hình thức".to_owned(),
            header: vec!["Mã".into(), "Tên".into(), "Loại".into()],
            rows: latest_entries(&catalogue)
                .into_iter()
                .map(|e| {
                    vec![
                        Cell::from(e.code.as_str()),
                        Cell::from(e.name.as_str()),
                        Cell::from(e.category.label()),
                    ]
                })
                .collect(),
        },
        Sheet {
            name: "Cấp quyết định".to_owned(),
            header: vec!["Cấp quyết định".into()],
            rows: issuers.into_iter().map(|i| vec![Cell::from(i)]).collect(),
        },
    ];
    thidua_sheets::write(&sheets).map_err(|e| AppError::Internal(e.to_string()))
}

/// Problems of one file, capped so that a wrong file cannot flood the page.
struct Problems {
    file: String,
    list: Vec<Problem>,
    more: usize,
    /// The file's own columns by key, once its header is read: files may
    /// order their columns differently from the template.
    cols: HashMap<&'static str, usize>,
}

impl Problems {
    fn new(file: &str) -> Problems {
        Problems {
            file: format!("{file}, trang «{SHEET}»"),
            list: Vec::new(),
            more: 0,
            cols: HashMap::new(),
        }
    }

    /// The file's column of a key (the template's before the header is read).
    fn at(&self, key: &str) -> Option<usize> {
        self.cols
            .get(key)
            .copied()
            .or_else(|| COLUMNS.iter().position(|(k, _)| *k == key))
    }

    fn push(&mut self, line: u64, column: Option<usize>, message: impl Into<String>) {
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

    fn into_result<T>(mut self, ok: T) -> AppResult<T> {
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
struct RawRow {
    line: u64,
    collective: bool,
    name: String,
    birth: Option<Birth>,
    unit: Option<String>,
    form: String,
    issuer: String,
    number: String,
    date: Date,
    from: Option<i32>,
    to: Option<i32>,
    achievement: Option<String>,
    movement: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum Birth {
    Day(Date),
    Year(i32),
}

impl Birth {
    fn matches(self, d: Option<Date>) -> bool {
        match (self, d) {
            (Birth::Day(a), Some(b)) => a == b,
            (Birth::Year(y), Some(b)) => b.year() == y,
            (_, None) => false,
        }
    }
}

/// A date cell: dd/mm/yyyy (or ISO) text, or an Excel date serial.
fn date_cell(cell: &Cell) -> Result<Date, String> {
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

fn year_cell(cell: &Cell) -> Result<Option<i32>, String> {
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
fn header(rows: &[Vec<Cell>]) -> Option<(usize, HashMap<&'static str, usize>)> {
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

/// Reads the sheet into rows, reporting what is malformed.
fn read_rows(bytes: &[u8], today: Date, problems: &mut Problems) -> Vec<RawRow> {
    if !bytes.starts_with(b"PK") {
        problems.push(
            1,
            None,
            "tệp không phải bảng tính Excel (.xlsx); hãy dùng mẫu thidua tạo ra",
        );
        return Vec::new();
    }
    let table = match thidua_sheets::read_sheet(bytes, SHEET) {
        Ok(t) => t,
        Err(e) => {
            problems.push(1, None, e.to_string());
            return Vec::new();
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
        return Vec::new();
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
        return Vec::new();
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
    let at = |key: &str| cols.get(key).copied();
    let mut out = Vec::new();
    for (i, row) in table.rows.iter().enumerate().skip(head + 1) {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let line = i as u64 + 1;
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
        if let (true, Some(date)) = (ok, date) {
            out.push(RawRow {
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
            });
        }
    }
    if out.is_empty() && problems.list.is_empty() {
        problems.push(head as u64 + 2, None, "trang không có dòng khen thưởng nào");
    }
    out
}

/// Refuses, before anything is read, a user who may not import old awards.
pub async fn require_import(store: &Store, user: &UserRow, today: Date) -> AppResult<()> {
    if may_import(store, user, today).await? {
        Ok(())
    } else {
        Err(AppError::Invalid {
            field: "file",
            message: "Chỉ bộ phận thi đua – khen thưởng của tỉnh hoặc quản trị viên được nhập sổ khen thưởng".into(),
        })
    }
}

/// Whether the user may import historical records: the province's
/// emulation office (those who appraise dossiers) or an administrator.
pub async fn may_import(store: &Store, user: &UserRow, today: Date) -> AppResult<bool> {
    Ok(thidua_domain::policy::unscoped(user.role)
        || match user.unit_id {
            Some(u) => matches!(
                crate::auth::may_on_unit(store, user, Action::AppraiseDossiers, u, today).await?,
                Some(Ok(()))
            ),
            None => false,
        })
}

/// Checks a file and returns what it would write, or every problem found.
pub async fn preview(
    store: &Store,
    importer: Enterer<'_>,
    today: Date,
    file: &str,
    bytes: &[u8],
) -> AppResult<ImportPlan> {
    // Permission first: a file nobody may import is never parsed.
    let scope: Option<HashSet<i64>> = match importer {
        Enterer::System => None,
        Enterer::User(user) => {
            require_import(store, user, today).await?;
            crate::registry::reader_scope(store, user, today)
                .await?
                .map(|s| s.into_iter().collect())
        }
    };
    let (raw, mut problems) = {
        let (file, bytes) = (file.to_owned(), bytes.to_vec());
        crate::intake::off_thread(move || {
            let mut problems = Problems::new(&file);
            let raw = read_rows(&bytes, today, &mut problems);
            (raw, problems)
        })
        .await?
    };
    let catalogue = store.catalogue_versions().await?;
    let entries = latest_entries(&catalogue);
    let mut forms: HashMap<String, &CatalogueEntry> = HashMap::new();
    for e in &entries {
        forms.insert(text::fold(e.code.as_str()), e);
        forms.insert(plain_issuer(&e.name), e);
        forms.insert(
            plain_issuer(&crate::decisions::form_name(
                &catalogue,
                e.code.as_str(),
                today,
            )),
            e,
        );
    }
    let issuers = known_issuers(store).await?;
    let issuer_of: HashMap<String, &String> =
        issuers.iter().map(|i| (plain_issuer(i), i)).collect();
    let keys: Vec<(String, Option<Date>)> = raw
        .iter()
        .filter(|r| !r.collective)
        .map(|r| {
            let day = match r.birth {
                Some(Birth::Day(d)) => Some(d),
                _ => None,
            };
            (text::fold(&r.name), day)
        })
        .collect();
    let mut people: HashMap<String, Vec<NamedPerson>> = HashMap::new();
    for p in store.people_named(&keys).await? {
        people.entry(p.name_folded.clone()).or_default().push(p);
    }
    let mut units: HashMap<(String, Date), Option<thidua_store::UnitRow>> = HashMap::new();
    let mut subtrees: HashMap<i64, HashSet<i64>> = HashMap::new();
    let mut movements: HashMap<String, Option<i64>> = HashMap::new();
    let mut rows = Vec::new();
    for r in &raw {
        let entry = forms.get(&plain_issuer(&r.form)).copied().or_else(|| {
            let want = plain_issuer(&r.form);
            let found: Vec<&&CatalogueEntry> = entries
                .iter()
                .filter(|e| plain_issuer(&e.name).starts_with(&want))
                .collect();
            (found.len() == 1).then(|| *found[0])
        });
        let Some(entry) = entry else {
            problems.push(
                r.line,
                problems.at("form"),
                format!(
                    "hình thức «{}» không có trong danh mục (xem trang «Hình thức» của mẫu)",
                    r.form
                ),
            );
            continue;
        };
        let kind = if r.collective {
            SubjectKind::Collective
        } else {
            SubjectKind::Individual
        };
        if !entry.subjects.contains(&kind) {
            problems.push(
                r.line,
                problems.at("kind"),
                format!(
                    "«{}» không dành cho {}",
                    entry.name,
                    if r.collective {
                        "tập thể"
                    } else {
                        "cá nhân"
                    }
                ),
            );
            continue;
        }
        let Some(issuer) = issuer_of.get(&plain_issuer(&r.issuer)) else {
            problems.push(
                r.line,
                problems.at("issuer"),
                format!(
                    "cấp quyết định «{}» không có trong danh mục (xem trang «Cấp quyết định» của mẫu)",
                    r.issuer
                ),
            );
            continue;
        };
        let unit = match &r.unit {
            None => None,
            Some(code) => {
                let key = (code.clone(), r.date);
                if !units.contains_key(&key) {
                    let found = store.resolve_code(code, None, r.date).await?;
                    units.insert(key.clone(), found);
                }
                match units.get(&key).cloned().flatten() {
                    Some(u) => Some(u),
                    None => {
                        problems.push(
                            r.line,
                            problems.at("unit"),
                            format!("không có đơn vị mã «{code}» vào ngày {}", VnDate(r.date)),
                        );
                        continue;
                    }
                }
            }
        };
        let (subject, subject_unit, subject_name) = if r.collective {
            let Some(u) = unit else { continue };
            if text::fold(&u.name) != text::fold(&r.name)
                && u.short_name.as_deref().map(text::fold) != Some(text::fold(&r.name))
            {
                problems.push(
                    r.line,
                    problems.at("name"),
                    format!(
                        "tên «{}» không khớp đơn vị mã {} («{}»)",
                        r.name, u.code, u.name
                    ),
                );
                continue;
            }
            (SubjectRef::Unit(u.id), Some(u.id), u.name.clone())
        } else {
            let all = people
                .get(&text::fold(&r.name))
                .map(Vec::as_slice)
                .unwrap_or_default();
            let mut found: Vec<&NamedPerson> = all.iter().collect();
            if let Some(b) = r.birth {
                found.retain(|p| b.matches(p.birth_date));
            }
            if let Some(u) = &unit {
                if let std::collections::hash_map::Entry::Vacant(slot) = subtrees.entry(u.id.0) {
                    slot.insert(store.subtree_ever(u.id).await?.into_iter().collect());
                }
                let tree = subtrees.get(&u.id.0);
                found.retain(|p| {
                    p.stints
                        .iter()
                        .any(|(s, _, _)| *s == u.id.0 || tree.is_some_and(|t| t.contains(s)))
                });
            }
            let person = match found.as_slice() {
                [one] => *one,
                [] => {
                    problems.push(
                        r.line,
                        problems.at("name"),
                        format!(
                            "không có người «{}»{}{} trong danh sách nhân sự",
                            r.name,
                            match r.birth {
                                Some(Birth::Day(d)) => format!(", sinh {}", VnDate(d)),
                                Some(Birth::Year(y)) => format!(", sinh năm {y}"),
                                None => String::new(),
                            },
                            unit.as_ref()
                                .map(|u| format!(" ở {}", u.name))
                                .unwrap_or_default()
                        ),
                    );
                    continue;
                }
                many => {
                    problems.push(
                        r.line,
                        problems.at("birth"),
                        format!(
                            "có {} người tên «{}»: ghi thêm ngày sinh hoặc mã đơn vị",
                            many.len(),
                            r.name
                        ),
                    );
                    continue;
                }
            };
            // The unit on the decision day; an older record than the
            // staff list's first stint belongs to that first unit, a later
            // one to the last (the unit typed in the file otherwise).
            let mut stints = person.stints.clone();
            stints.sort_by_key(|(_, from, _)| *from);
            let on_day = stints
                .iter()
                .find(|(_, f, u)| f.is_none_or(|f| f <= r.date) && u.is_none_or(|u| r.date < u))
                .or_else(|| {
                    stints
                        .iter()
                        .find(|(_, f, _)| f.is_some_and(|f| r.date < f))
                })
                .or(stints.last())
                .map(|(s, _, _)| UnitId(*s))
                .or(unit.as_ref().map(|u| u.id));
            (SubjectRef::Person(person.id), on_day, r.name.clone())
        };
        if let Some(scope) = &scope {
            let inside = match subject {
                SubjectRef::Unit(u) => scope.contains(&u.0),
                SubjectRef::Person(_) => subject_unit.is_some_and(|u| scope.contains(&u.0)),
            };
            if !inside {
                problems.push(
                    r.line,
                    problems.at("unit"),
                    format!("«{subject_name}» ngoài phạm vi đơn vị của bạn"),
                );
                continue;
            }
        }
        let movement = match &r.movement {
            None => None,
            Some(code) => {
                if !movements.contains_key(code) {
                    let id = match MovementCode::parse(code) {
                        Ok(c) => store.movement_by_code(&c).await?.map(|m| m.id),
                        Err(_) => None,
                    };
                    movements.insert(code.clone(), id);
                }
                match movements.get(code).copied().flatten() {
                    Some(id) => Some(id),
                    None => {
                        problems.push(
                            r.line,
                            problems.at("movement"),
                            format!("không có phong trào mã «{code}»"),
                        );
                        continue;
                    }
                }
            }
        };
        let year = r.date.year();
        let annual_title = thidua_domain::eligibility::review::is_annual_title(entry.code.as_str());
        let period_to = r.to.or(r.from).unwrap_or(year);
        let period_from = if annual_title {
            period_to
        } else {
            r.from.unwrap_or(period_to)
        };
        rows.push(PlannedRow {
            line: r.line,
            subject: subject_name,
            collective: r.collective,
            form: crate::decisions::form_name(&catalogue, entry.code.as_str(), r.date),
            issuer: (*issuer).clone(),
            decision_number: r.number.clone(),
            decision_date: VnDate(r.date).to_string(),
            record: ImportedRecord {
                entry: RegistryEntry {
                    subject,
                    code: entry.code.as_str().to_owned(),
                    annual_title,
                    period_from,
                    period_to,
                    award_type: "regular".to_owned(),
                    achievement: r.achievement.clone(),
                    bonus_vnd: None,
                    subject_unit,
                    movement,
                },
                decision_number: Some(r.number.clone()),
                decision_date: r.date,
                issuer: (!annual_title).then(|| (*issuer).clone()),
            },
        });
    }
    duplicates(store, &rows, &mut problems).await?;
    let sha256 = crate::auth::sha256_bytes(bytes);
    problems.into_result(ImportPlan {
        file: file.to_owned(),
        sha256,
        rows,
    })
}

/// An annual title's subject and year: one title per subject and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct TitleKey(Option<i64>, Option<i64>, Option<i32>);

/// Rows that repeat one another, or a record the registry already holds;
/// annual titles also clash by subject and year.
async fn duplicates(store: &Store, rows: &[PlannedRow], problems: &mut Problems) -> AppResult<()> {
    let key = |r: &ImportedRecord| {
        let (person_id, unit_id) = match r.entry.subject {
            SubjectRef::Person(p) => (Some(p), None),
            SubjectRef::Unit(u) => (None, Some(u.0)),
        };
        RecordKey {
            person_id,
            unit_id,
            code: r.entry.code.clone(),
            decision_number: r.decision_number.clone(),
            decision_date: Some(r.decision_date),
            year: r.entry.annual_title.then_some(r.entry.period_to),
        }
    };
    let title_key = |k: &RecordKey| TitleKey(k.person_id, k.unit_id, k.year);
    let wanted: Vec<(SubjectRef, String)> = rows
        .iter()
        .map(|r| (r.record.entry.subject, r.decision_number.clone()))
        .collect();
    let existing = store.record_keys(&wanted).await?;
    let held: HashSet<RecordKey> = existing
        .iter()
        .map(|k| RecordKey {
            year: None,
            ..k.clone()
        })
        .collect();
    let held_titles: HashSet<_> = existing
        .iter()
        .filter(|k| k.year.is_some())
        .map(title_key)
        .collect();
    let mut seen: HashMap<RecordKey, u64> = HashMap::new();
    let mut seen_titles: HashMap<TitleKey, u64> = HashMap::new();
    for r in rows {
        let k = key(&r.record);
        if let Some(first) = seen.get(&k) {
            problems.push(
                r.line,
                problems.at("name"),
                format!("trùng với dòng {first} (cùng đối tượng, hình thức và quyết định)"),
            );
            continue;
        }
        seen.insert(k.clone(), r.line);
        if held.contains(&RecordKey {
            year: None,
            ..k.clone()
        }) {
            problems.push(
                r.line,
                problems.at("number"),
                format!(
                    "«{}» đã có trong sổ khen thưởng theo Quyết định số {} ngày {}",
                    r.subject, r.decision_number, r.decision_date
                ),
            );
            continue;
        }
        if k.year.is_some() {
            let t = title_key(&k);
            if let Some(first) = seen_titles.get(&t) {
                problems.push(
                    r.line,
                    problems.at("to"),
                    format!(
                        "«{}» đã có danh hiệu năm {} ở dòng {first}",
                        r.subject, r.record.entry.period_to
                    ),
                );
                continue;
            }
            seen_titles.insert(t, r.line);
            if held_titles.contains(&t) {
                problems.push(
                    r.line,
                    problems.at("to"),
                    format!(
                        "«{}» đã có danh hiệu thi đua năm {} trong sổ",
                        r.subject, r.record.entry.period_to
                    ),
                );
            }
        }
    }
    Ok(())
}

/// Checks the file again and writes all of it in one transaction.
pub async fn import(
    store: &Store,
    who: &Who,
    importer: Enterer<'_>,
    today: Date,
    file: &str,
    bytes: &[u8],
) -> AppResult<(ImportPlan, Vec<i64>)> {
    let plan = preview(store, importer, today, file, bytes).await?;
    let records: Vec<ImportedRecord> = plan.rows.iter().map(|r| r.record.clone()).collect();
    let ids = store
        .import_records(
            who,
            &ImportSource {
                file: plan.file.clone(),
                sha256: plan.sha256.clone(),
            },
            &records,
        )
        .await?;
    Ok((plan, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn issuers_compare_without_accents_abbreviations_or_level_words() {
        assert_eq!(
            plain_issuer("Chủ tịch UBND cấp tỉnh"),
            plain_issuer("chu tich uy ban nhan dan tinh")
        );
        assert_ne!(
            plain_issuer("Chủ tịch UBND tỉnh"),
            plain_issuer("Chủ tịch UBND xã")
        );
    }

    #[test]
    fn excel_serials_and_typed_dates_are_both_read() {
        let d = |y, m, day| Date::from_calendar_date(y, m, day).unwrap();
        assert_eq!(
            date_cell(&Cell::Number(45_292.0)).unwrap(),
            d(2024, Month::January, 1)
        );
        assert_eq!(
            date_cell(&Cell::from("05/02/2016")).unwrap(),
            d(2016, Month::February, 5)
        );
        assert!(date_cell(&Cell::from("31/02/2016")).is_err());
        assert!(date_cell(&Cell::Number(0.5)).is_err());
    }

    use thidua_sheets::{Merge, read_sheet, write_merged};
    use thidua_store::{AuditFilter, RegistryQuery};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 22);

    fn row(cells: [&str; 13]) -> Vec<Cell> {
        cells.iter().map(|c| Cell::from(*c)).collect()
    }

    fn book(rows: Vec<Vec<Cell>>, merges: &[Merge]) -> Vec<u8> {
        write_merged(
            &[Sheet {
                name: SHEET.to_owned(),
                header: COLUMNS.iter().map(|(_, h)| (*h).to_owned()).collect(),
                rows,
            }],
            merges,
        )
        .unwrap()
    }

    async fn registry_rows(store: &Store) -> i64 {
        store
            .registry_counts(&RegistryQuery {
                include_revoked: true,
                ..RegistryQuery::default()
            })
            .await
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum()
    }

    fn messages(e: AppError) -> Vec<(u64, String, String)> {
        match e {
            AppError::Import(ps) => ps
                .into_iter()
                .map(|p| (p.line, p.column_name.unwrap_or_default(), p.message))
                .collect(),
            other => panic!("expected problems, got {other}"),
        }
    }

    thidua_store::engine_tests!(
        historical_awards_are_checked_whole_then_written_whole,
        |store| async move {
            let who = Who::system("test");
            crate::demo::seed(store, &who, &|_| {}).await.expect("demo");

            // The template names its sheet, columns, forms and issuers.
            let tpl = template(store).await.unwrap();
            let t = read_sheet(&tpl, SHEET).unwrap();
            assert_eq!(t.rows[0][2].text(), "Họ và tên / Tên tập thể");
            let forms = read_sheet(&tpl, "Hình thức").unwrap();
            assert!(forms.rows.iter().any(|r| r[0].text() == "BANG_KHEN_TINH"));
            let issuers = read_sheet(&tpl, "Cấp quyết định").unwrap();
            assert!(
                issuers
                    .rows
                    .iter()
                    .any(|r| r[0].text() == "Thủ tướng Chính phủ")
            );

            let good = book(
                vec![
                    row([
                        "1",
                        "Cá nhân",
                        "Nguyễn Thị Hoa",
                        "08/03/1985",
                        "",
                        "Bằng khen của Chủ tịch UBND tỉnh",
                        "Chủ tịch UBND tỉnh",
                        "4567/QĐ-UBND",
                        "12/01/2012",
                        "2010",
                        "2011",
                        "Hoàn thành xuất sắc nhiệm vụ 2010–2011",
                        "",
                    ]),
                    row([
                        "2",
                        "Tập thể",
                        "Tỉnh Đắk Nông",
                        "",
                        "67",
                        "HUAN_CHUONG_LAO_DONG_HANG_BA",
                        "Chủ tịch nước",
                        "1234/QĐ-CTN",
                        "02/09/2014",
                        "",
                        "",
                        "",
                        "",
                    ]),
                ],
                &[],
            );
            let before = registry_rows(store).await;
            let plan = preview(store, Enterer::System, TODAY, "cu.xlsx", &good)
                .await
                .expect("a clean file");
            assert_eq!(plan.rows.len(), 2);
            assert_eq!(plan.rows[0].form, "Bằng khen của Chủ tịch UBND tỉnh");
            assert_eq!(
                registry_rows(store).await,
                before,
                "a preview writes nothing"
            );

            let (plan, ids) = import(store, &who, Enterer::System, TODAY, "cu.xlsx", &good)
                .await
                .unwrap();
            assert_eq!(ids.len(), 2);
            assert_eq!(registry_rows(store).await, before + 2);
            let found = crate::registry::search_in(
                store,
                None,
                &crate::registry::Search {
                    text: "nguyen thi hoa".into(),
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let hit = found
                .hits
                .iter()
                .find(|h| h.decision_number.as_deref() == Some("4567/QĐ-UBND"))
                .expect("the imported award is found by name");
            assert_eq!(
                hit.issuer.as_deref(),
                Some(crate::decisions::ISSUER_PROVINCE),
                "{hit:?}"
            );
            assert_eq!((hit.period_from, hit.period_to), (Some(2010), Some(2011)));
            assert!(
                hit.subject_unit.is_some(),
                "her commune on the decision day"
            );
            let (audit, n) = store
                .audit_page(
                    &AuditFilter {
                        action: Some("registry.import".into()),
                        ..AuditFilter::default()
                    },
                    0,
                    10,
                )
                .await
                .unwrap();
            assert_eq!(n, 1);
            assert!(
                audit[0]
                    .after_json
                    .as_deref()
                    .unwrap_or("")
                    .contains(&plan.sha256)
            );

            // The same file again: both rows are already in the registry.
            let again = messages(
                import(store, &who, Enterer::System, TODAY, "cu.xlsx", &good)
                    .await
                    .unwrap_err(),
            );
            assert_eq!(again.len(), 2, "{again:?}");
            assert!(
                again[0].2.contains("đã có trong sổ khen thưởng"),
                "{again:?}"
            );
            assert_eq!(registry_rows(store).await, before + 2);

            // Every problem of a bad file, by row and column; nothing written.
            // Row N of the sheet is line N + 1; each line changes one cell
            // of a good record.
            let hoa = |number: &str| {
                [
                    "",
                    "Cá nhân",
                    "Nguyễn Thị Hoa",
                    "08/03/1985",
                    "",
                    "BANG_KHEN_TINH",
                    "Chủ tịch UBND tỉnh",
                    number,
                    "01/02/2015",
                    "",
                    "",
                    "",
                    "",
                ]
                .map(str::to_owned)
            };
            let with = |number: &str, changes: &[(usize, &str)]| {
                let mut r = hoa(number);
                for (col, v) in changes {
                    r[*col] = (*v).to_owned();
                }
                r.iter().map(|c| Cell::from(c.as_str())).collect::<Vec<_>>()
            };
            let bad = book(
                vec![
                    with("1/QĐ-UBND", &[(2, "Người Không Có"), (3, "")]),
                    with("2/QĐ-UBND", &[(5, "Bằng khen hạng Tư")]),
                    with("3/QĐ-UBND", &[(6, "Hội đồng hương")]),
                    with("4/QĐ-UBND", &[(8, "01/02/2031")]),
                    with("5/QĐ-UBND", &[]),
                    with("5/QĐ-UBND", &[]),
                    with(
                        "7/QĐ-UBND",
                        &[(1, "Tập thể"), (2, "Xã Không Có"), (3, ""), (4, "99999")],
                    ),
                    with("8/QĐ-UBND", &[(1, "Hộ"), (3, ""), (8, "31/02/2015")]),
                ],
                &[],
            );
            let problems = messages(
                import(store, &who, Enterer::System, TODAY, "sai.xlsx", &bad)
                    .await
                    .unwrap_err(),
            );
            let at = |line: u64| {
                problems
                    .iter()
                    .filter(|p| p.0 == line)
                    .map(|p| format!("{} {}", p.1, p.2))
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            assert!(
                at(2).starts_with("C – Họ và tên")
                    && at(2).contains("không có người «Người Không Có»"),
                "{problems:?}"
            );
            assert!(
                at(3).starts_with("F – Hình thức") && at(3).contains("không có trong danh mục"),
                "{problems:?}"
            );
            assert!(at(4).starts_with("G – Cấp quyết định"), "{problems:?}");
            assert!(
                at(5).starts_with("I – Ngày quyết định") && at(5).contains("tương lai"),
                "{problems:?}"
            );
            assert!(at(6).is_empty(), "row 6 itself is fine: {problems:?}");
            assert!(at(7).contains("trùng với dòng 6"), "{problems:?}");
            assert!(at(8).contains("không có đơn vị mã «99999»"), "{problems:?}");
            assert!(
                at(9).contains("«Cá nhân» hoặc «Tập thể»") && at(9).contains("dd/mm/yyyy"),
                "{problems:?}"
            );
            assert_eq!(
                registry_rows(store).await,
                before + 2,
                "a bad file writes nothing"
            );

            // Columns in the file's own order: problems point at its cells.
            let reordered = write_merged(
                &[Sheet {
                    name: SHEET.to_owned(),
                    header: [
                        "Đối tượng",
                        "Họ và tên / Tên tập thể",
                        "Ngày sinh",
                        "Hình thức khen thưởng",
                        "Cấp quyết định",
                        "Số quyết định",
                        "Ngày quyết định",
                        "Mã đơn vị",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                    rows: vec![
                        [
                            "Cá nhân",
                            "Nguyễn Thị Hoa",
                            "08/03/1985",
                            "Bằng khen hạng Tư",
                            "Chủ tịch UBND tỉnh",
                            "10/QĐ-UBND",
                            "01/02/2015",
                            "",
                        ]
                        .iter()
                        .map(|c| Cell::from(*c))
                        .collect(),
                    ],
                }],
                &[],
            )
            .unwrap();
            let moved = messages(
                preview(store, Enterer::System, TODAY, "x.xlsx", &reordered)
                    .await
                    .unwrap_err(),
            );
            assert_eq!(moved.len(), 1, "{moved:?}");
            assert_eq!(
                (moved[0].0, moved[0].1.as_str()),
                (2, "D – Hình thức khen thưởng")
            );

            // Malformed files.
            let not_zip = messages(
                preview(store, Enterer::System, TODAY, "x.xlsx", b"STT;Ho ten")
                    .await
                    .unwrap_err(),
            );
            assert!(
                not_zip[0].2.contains("không phải bảng tính Excel"),
                "{not_zip:?}"
            );
            let other_sheet = write_merged(
                &[Sheet {
                    name: "Sheet1".into(),
                    header: vec!["A".into()],
                    rows: Vec::new(),
                }],
                &[],
            )
            .unwrap();
            let wrong = messages(
                preview(store, Enterer::System, TODAY, "x.xlsx", &other_sheet)
                    .await
                    .unwrap_err(),
            );
            assert!(
                wrong[0]
                    .2
                    .contains("không có trang «Khen thưởng» (có: «Sheet1»)"),
                "{wrong:?}"
            );
            let merged = book(
                vec![
                    row([
                        "1",
                        "Cá nhân",
                        "Nguyễn Thị Hoa",
                        "08/03/1985",
                        "",
                        "BANG_KHEN_TINH",
                        "Chủ tịch UBND tỉnh",
                        "9/QĐ-UBND",
                        "01/02/2016",
                        "",
                        "",
                        "",
                        "",
                    ]),
                    row(["2", "", "", "", "", "", "", "", "", "", "", "", ""]),
                ],
                &[Merge {
                    sheet: 0,
                    first: (1, 5),
                    last: (2, 5),
                }],
            );
            let m = messages(
                preview(store, Enterer::System, TODAY, "x.xlsx", &merged)
                    .await
                    .unwrap_err(),
            );
            assert!(
                m.iter().any(|p| p.0 == 2 && p.2.contains("ô gộp F2:F3")),
                "{m:?}"
            );

            // Who may import: not a commune's officer; the province's office
            // only within its scope.
            let (commune, _) = store.user_for_login("yquang.xa").await.unwrap().unwrap();
            assert!(!may_import(store, &commune, TODAY).await.unwrap());
            assert!(matches!(
                preview(store, Enterer::User(&commune), TODAY, "cu.xlsx", &good).await,
                Err(AppError::Invalid { .. })
            ));
            let (office, _) = store.user_for_login("hoa.snv").await.unwrap().unwrap();
            assert!(may_import(store, &office, TODAY).await.unwrap());
            let cao_bang = book(
                vec![row([
                    "1",
                    "Tập thể",
                    "Tỉnh Cao Bằng",
                    "",
                    "04",
                    "BANG_KHEN_THU_TUONG",
                    "Thủ tướng Chính phủ",
                    "77/QĐ-TTg",
                    "01/02/2016",
                    "",
                    "",
                    "",
                    "",
                ])],
                &[],
            );
            let outside = messages(
                preview(store, Enterer::User(&office), TODAY, "cb.xlsx", &cao_bang)
                    .await
                    .unwrap_err(),
            );
            assert!(outside[0].2.contains("ngoài phạm vi"), "{outside:?}");
        }
    );

    #[test]
    fn the_header_may_sit_below_a_title() {
        let rows = vec![
            vec![Cell::from("DANH SÁCH KHEN THƯỞNG 2014–2018")],
            COLUMNS.iter().map(|(_, h)| Cell::from(*h)).collect(),
        ];
        let (at, cols) = header(&rows).unwrap();
        assert_eq!(at, 1);
        assert_eq!(cols["form"], 5);
        assert_eq!(cols["name"], 2);
        assert!(header(&rows[..1]).is_none());
    }
}
