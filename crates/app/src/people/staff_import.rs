//! Nhập danh sách cán bộ từ Excel — the template thidua writes, the
//! preview of every problem by row and column, and the import, all or
//! nothing. Rows are matched with the people already recorded so that a
//! list imported twice adds no one twice; a likely namesake needs the
//! officer's confirmation that it is someone else.

use super::edit::{PersonInput, may};
use crate::admin_units::{MAX_PROBLEMS, Problem};
use crate::movements::Enterer;
use crate::{AppError, AppResult, auth};
use serde::Serialize;
use std::collections::HashMap;
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_domain::staff::{self, PersonId};
use thidua_domain::text;
use thidua_sheets::{Cell, Sheet, column_letter};
use thidua_store::{NewPerson, StaffImported, StaffWrite, Store, Who};
use time::Date;

/// The sheet the people are read from.
pub const SHEET: &str = "Danh sách cán bộ";

/// (key, header) in the template's order.
const COLUMNS: [(&str, &str); 11] = [
    ("stt", "STT"),
    ("name", "Họ và tên"),
    ("birth", "Ngày sinh"),
    ("sex", "Giới tính"),
    ("ethnicity", "Dân tộc"),
    ("id_number", "Số định danh"),
    ("category", "Đối tượng"),
    ("position", "Chức vụ"),
    ("unit", "Mã đơn vị"),
    ("from", "Từ ngày"),
    ("person", "Mã cá nhân"),
];

/// At most this many people per file: a province's department, or a
/// district's worth of communes, fits; a national list is split.
const MAX_ROWS: usize = 5_000;

/// The workbook a unit fills in: the list, and a guide.
pub fn template() -> AppResult<Vec<u8>> {
    let guide = [
        ("Họ và tên", "Bắt buộc."),
        ("Ngày sinh", "Bắt buộc, dd/mm/yyyy."),
        ("Giới tính", "«Nam» hoặc «Nữ»."),
        ("Dân tộc", "Không bắt buộc (Kinh, Tày, Ê Đê…)."),
        (
            "Số định danh",
            "Không bắt buộc: 12 chữ số (CCCD) hoặc 9 (CMND cũ). Chỉ người quản lý danh sách cán bộ xem được.",
        ),
        (
            "Đối tượng",
            "Cán bộ, công chức; Cán bộ, công chức cấp xã; Viên chức; Lực lượng vũ trang; Công nhân; Nông dân; Người lao động trực tiếp; Doanh nhân; Khác.",
        ),
        ("Chức vụ", "Không bắt buộc."),
        (
            "Mã đơn vị",
            "Bắt buộc: mã đơn vị trong thidua, nơi người này công tác.",
        ),
        (
            "Từ ngày",
            "Bắt buộc, dd/mm/yyyy: ngày bắt đầu công tác tại đơn vị.",
        ),
        (
            "Mã cá nhân",
            "Chỉ ghi khi người này đã có trong thidua (ví dụ chuyển từ đơn vị khác đến): mã cá nhân ở trang của người đó.",
        ),
        (
            "Lưu ý",
            "Mỗi dòng một người. Tệp được kiểm tra toàn bộ trước khi ghi; có lỗi thì không dòng nào được ghi. Người đã có trong đơn vị được bỏ qua.",
        ),
    ];
    thidua_sheets::write(&[
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
    ])
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// What a row will do.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum StaffPlan {
    /// A new person.
    New,
    /// A person already recorded joins the unit (a transfer when they work
    /// elsewhere that day).
    Join { person: i64 },
    /// Already on the unit's list that day: nothing to write.
    Unchanged { person: i64 },
    /// Someone with the same name and birth date works elsewhere: written
    /// as a new person only once the officer confirms.
    Namesake { people: Vec<i64> },
}

/// One row of the preview.
#[derive(Debug, Clone, Serialize)]
pub struct StaffRowPlan {
    pub line: u64,
    pub name: String,
    pub birth: String,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(flatten)]
    pub plan: StaffPlan,
    #[serde(skip)]
    write: Option<StaffWrite>,
}

/// The whole file, checked.
#[derive(Debug, Clone, Serialize)]
pub struct StaffPreview {
    pub file: String,
    pub sha256: String,
    pub rows: Vec<StaffRowPlan>,
    pub new: usize,
    pub joining: usize,
    pub unchanged: usize,
    pub namesakes: usize,
}

struct Problems {
    file: String,
    list: Vec<Problem>,
}

impl Problems {
    fn push(&mut self, line: u64, key: Option<&str>, message: impl Into<String>) {
        if self.list.len() >= MAX_PROBLEMS {
            return;
        }
        let col = key.and_then(|k| COLUMNS.iter().position(|(c, _)| *c == k));
        self.list.push(Problem {
            file: self.file.clone(),
            line,
            column: col.map(|c| c + 1),
            column_name: col.map(|c| format!("{} – {}", column_letter(c), COLUMNS[c].1)),
            message: message.into(),
        });
    }
}

struct RawRow {
    line: u64,
    input: PersonInput,
    unit: String,
    from: String,
    person: String,
}

/// Reads the sheet's rows (on the blocking pool): the header must be the
/// template's, in any order.
fn read_rows(bytes: &[u8], p: &mut Problems) -> Vec<RawRow> {
    let table = match thidua_sheets::read_sheet(bytes, SHEET) {
        Ok(t) => t,
        Err(e) => {
            p.push(0, None, e.to_string());
            return Vec::new();
        }
    };
    let Some((header, body)) = table.rows.split_first() else {
        p.push(1, None, "Trang tính trống: thiếu dòng tiêu đề.");
        return Vec::new();
    };
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = text::fold(&h.text());
        if let Some((k, _)) = COLUMNS.iter().find(|(_, name)| text::fold(name) == h) {
            at.insert(k, i);
        }
    }
    for key in ["name", "birth", "sex", "unit", "from"] {
        if !at.contains_key(key) {
            let header = COLUMNS.iter().find(|(k, _)| *k == key).map_or("", |c| c.1);
            p.push(1, None, format!("Thiếu cột «{header}»."));
        }
    }
    if !p.list.is_empty() {
        return Vec::new();
    }
    if body.len() > MAX_ROWS {
        p.push(
            0,
            None,
            format!(
                "Tệp có {} dòng; mỗi lần nhập tối đa {MAX_ROWS} người.",
                body.len()
            ),
        );
        return Vec::new();
    }
    let cell = |row: &[Cell], key: &str| -> String {
        at.get(key)
            .and_then(|i| row.get(*i))
            .map(|c| match c {
                // A date typed into Excel arrives as a serial number.
                Cell::Number(v) if matches!(key, "birth" | "from") => excel_date(*v)
                    .map(|d| VnDate(d).to_string())
                    .unwrap_or_else(|| c.text()),
                _ => c.text(),
            })
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    body.iter()
        .enumerate()
        .filter(|(_, row)| row.iter().any(|c| !c.is_empty()))
        .map(|(i, row)| RawRow {
            line: i as u64 + 2,
            input: PersonInput {
                name: cell(row, "name"),
                birth: cell(row, "birth"),
                sex: cell(row, "sex"),
                ethnicity: cell(row, "ethnicity"),
                id_number: cell(row, "id_number"),
                category: cell(row, "category"),
                position: cell(row, "position"),
            },
            unit: cell(row, "unit"),
            from: cell(row, "from"),
            person: cell(row, "person"),
        })
        .collect()
}

fn excel_date(v: f64) -> Option<Date> {
    if v.fract() != 0.0 || !(1.0..=2_958_465.0).contains(&v) {
        return None;
    }
    Date::from_calendar_date(1899, time::Month::December, 30)
        .ok()?
        .checked_add(time::Duration::days(v as i64))
}

/// Checks a file and says what each row would do, or every problem.
pub async fn preview(
    store: &Store,
    actor: Enterer<'_>,
    today: Date,
    file: &str,
    bytes: &[u8],
) -> AppResult<StaffPreview> {
    // Permission first: a file nobody here may import is never parsed.
    if let Enterer::User(user) = actor {
        let unit = user.unit_id;
        let allowed = match unit {
            Some(u) => matches!(
                auth::may_on_unit(store, user, Action::ManagePeople, u, today).await?,
                Some(Ok(()))
            ),
            None => thidua_domain::policy::unscoped(user.role),
        };
        if !allowed {
            return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
        }
    }
    let mut problems = Problems {
        file: format!("{file}, trang «{SHEET}»"),
        list: Vec::new(),
    };
    let (raw, problems_read) = {
        let bytes = bytes.to_vec();
        crate::intake::off_thread(move || {
            let mut p = Problems {
                file: String::new(),
                list: Vec::new(),
            };
            let raw = read_rows(&bytes, &mut p);
            (raw, p.list)
        })
        .await?
    };
    for mut pr in problems_read {
        pr.file = problems.file.clone();
        problems.list.push(pr);
    }
    if raw.is_empty() && problems.list.is_empty() {
        problems.push(2, None, "Tệp không có người nào.");
    }
    let mut rows = Vec::new();
    let mut seen_ids: HashMap<String, u64> = HashMap::new();
    let mut seen_people: HashMap<(String, String, String), u64> = HashMap::new();
    for r in &raw {
        if let Some(row) = check_row(store, actor, today, r, &mut problems).await? {
            let key = (
                text::fold(&r.input.name),
                r.input.birth.clone(),
                r.unit.clone(),
            );
            if let Some(first) = seen_people.insert(key, r.line) {
                problems.push(
                    r.line,
                    Some("name"),
                    format!("Trùng với dòng {first} (cùng họ tên, ngày sinh và đơn vị)."),
                );
            }
            if !r.input.id_number.is_empty()
                && let Some(first) = seen_ids.insert(r.input.id_number.clone(), r.line)
            {
                problems.push(
                    r.line,
                    Some("id_number"),
                    format!("Số định danh trùng với dòng {first}."),
                );
            }
            rows.push(row);
        }
    }
    if !problems.list.is_empty() {
        return Err(AppError::Import(problems.list));
    }
    let count = |f: fn(&StaffPlan) -> bool| rows.iter().filter(|r| f(&r.plan)).count();
    Ok(StaffPreview {
        file: file.to_owned(),
        sha256: crate::auth::sha256_bytes(bytes),
        new: count(|p| matches!(p, StaffPlan::New)),
        joining: count(|p| matches!(p, StaffPlan::Join { .. })),
        unchanged: count(|p| matches!(p, StaffPlan::Unchanged { .. })),
        namesakes: count(|p| matches!(p, StaffPlan::Namesake { .. })),
        rows,
    })
}

/// One row: its fields, its unit (in the importer's scope, valid on the
/// start day) and whom it is.
async fn check_row(
    store: &Store,
    actor: Enterer<'_>,
    today: Date,
    r: &RawRow,
    problems: &mut Problems,
) -> AppResult<Option<StaffRowPlan>> {
    let before = problems.list.len();
    let person = match r.input.parse() {
        Ok(p) => Some(p),
        Err(fields) => {
            for f in fields {
                problems.push(r.line, Some(f.field), f.message);
            }
            None
        }
    };
    let from = match VnDate::parse(&r.from) {
        Ok(d) if d.0 > today => {
            problems.push(r.line, Some("from"), "Ngày bắt đầu công tác ở tương lai.");
            None
        }
        Ok(d) => Some(d.0),
        Err(_) => {
            problems.push(
                r.line,
                Some("from"),
                format!("Ngày «{}» không đúng dạng dd/mm/yyyy.", r.from),
            );
            None
        }
    };
    let unit = match (r.unit.as_str(), from) {
        ("", _) => {
            problems.push(r.line, Some("unit"), "Thiếu mã đơn vị.");
            None
        }
        (code, Some(from)) => match store.resolve_code(code, None, from).await? {
            Some(u) if u.period.contains(from) => {
                if may(store, actor, Action::ManagePeople, u.id, today)
                    .await
                    .is_err()
                {
                    problems.push(
                        r.line,
                        Some("unit"),
                        format!("{} nằm ngoài phạm vi đơn vị của bạn.", u.name),
                    );
                    None
                } else {
                    Some(u)
                }
            }
            _ => {
                problems.push(
                    r.line,
                    Some("unit"),
                    format!("Không có đơn vị mã «{code}» vào ngày {}.", VnDate(from)),
                );
                None
            }
        },
        _ => None,
    };
    let (Some(p), Some(from), Some(unit)) = (person, from, unit) else {
        return Ok(None);
    };
    if problems.list.len() > before {
        return Ok(None);
    }
    let Some((plan, write)) = match_person(store, r, &p, unit.id, from, problems).await? else {
        return Ok(None);
    };
    Ok(Some(StaffRowPlan {
        line: r.line,
        name: p.name.to_string(),
        birth: r.input.birth.clone(),
        unit_code: unit.code,
        unit_name: unit.name,
        plan,
        write,
    }))
}

/// Whom the row names: the person of its «Mã cá nhân», or of its identity
/// number; else the same name and birth date already in the unit (nothing
/// to do), elsewhere (a namesake to confirm), or no one (a new person).
async fn match_person(
    store: &Store,
    r: &RawRow,
    p: &NewPerson,
    unit: UnitId,
    from: Date,
    problems: &mut Problems,
) -> AppResult<Option<(StaffPlan, Option<StaffWrite>)>> {
    let known = if r.person.is_empty() {
        match &p.id_number {
            Some(n) => store.person_by_id_number(n).await?,
            None => None,
        }
    } else {
        let Ok(id) = r.person.parse::<i64>() else {
            problems.push(r.line, Some("person"), "Mã cá nhân là một số.");
            return Ok(None);
        };
        let Some(found) = store.person(id).await? else {
            problems.push(r.line, Some("person"), format!("Không có cá nhân mã {id}."));
            return Ok(None);
        };
        Some(found)
    };
    if let Some(known) = known {
        if text::fold(&known.full_name) != p.name.folded() {
            problems.push(
                r.line,
                Some(if r.person.is_empty() {
                    "id_number"
                } else {
                    "person"
                }),
                format!(
                    "Cá nhân này trong thidua tên là {}, không phải {}.",
                    known.full_name, p.name
                ),
            );
            return Ok(None);
        }
        let id = PersonId(known.id);
        let stints = store.stints(id).await?;
        if stints
            .iter()
            .any(|s| s.unit == unit && s.period.contains(from))
        {
            return Ok(Some((StaffPlan::Unchanged { person: known.id }, None)));
        }
        let ends = match staff::current_stint(&stints, from) {
            Ok(s) => Some(s.id),
            Err(staff::StaffError::NoCurrentUnit(_)) => None,
            Err(e) => {
                problems.push(r.line, Some("from"), e.to_string());
                return Ok(None);
            }
        };
        let period = thidua_domain::date::Period {
            from: Some(from),
            until: None,
        };
        if let Err(e) = staff::check_new_stint(&stints, unit, &period) {
            problems.push(r.line, Some("from"), e.to_string());
            return Ok(None);
        }
        return Ok(Some((
            StaffPlan::Join { person: known.id },
            Some(StaffWrite::Join {
                person: id,
                ends,
                unit,
                position: p.position.clone(),
                from,
            }),
        )));
    }
    let named = store.namesakes_of(&p.name.folded(), p.birth_date).await?;
    if let Some((same, _)) = named.iter().find(|(_, s)| {
        s.iter()
            .any(|s| s.unit == unit && s.period.until.is_none_or(|u| u > from))
    }) {
        return Ok(Some((StaffPlan::Unchanged { person: same.id }, None)));
    }
    let write = StaffWrite::New {
        person: p.clone(),
        unit,
        position: p.position.clone(),
        from,
    };
    if named.is_empty() {
        Ok(Some((StaffPlan::New, Some(write))))
    } else {
        Ok(Some((
            StaffPlan::Namesake {
                people: named.iter().map(|(p, _)| p.id).collect(),
            },
            Some(write),
        )))
    }
}

/// Checks the file again and writes it whole. Namesakes are written as
/// new people only with `namesakes_confirmed`.
pub async fn import(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    file: &str,
    bytes: &[u8],
    namesakes_confirmed: bool,
) -> AppResult<(StaffPreview, StaffImported)> {
    let plan = preview(store, actor, today, file, bytes).await?;
    if plan.namesakes > 0 && !namesakes_confirmed {
        let lines: Vec<String> = plan
            .rows
            .iter()
            .filter(|r| matches!(r.plan, StaffPlan::Namesake { .. }))
            .map(|r| r.line.to_string())
            .collect();
        return Err(crate::error::invalid(
            "namesakes",
            format!(
                "Dòng {} trùng họ tên và ngày sinh với người đã có ở đơn vị khác. Nếu là cùng một người, hãy ghi «Mã cá nhân»; nếu là người khác, hãy xác nhận để thêm mới.",
                lines.join(", ")
            ),
        ));
    }
    let writes: Vec<StaffWrite> = plan.rows.iter().filter_map(|r| r.write.clone()).collect();
    let done = store
        .import_staff(who, &plan.file, &plan.sha256, &writes)
        .await?;
    Ok((plan, done))
}
