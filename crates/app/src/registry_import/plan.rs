//! The plan of an import (what is new, what is a duplicate) and the import
//! itself, whole or not at all.

use super::reading::{Birth, Problems, RawRow, read_rows};
use super::template::{known_issuers, latest_entries, plain_issuer};
use crate::movements::Enterer;
use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use thidua_domain::date::VnDate;
use thidua_domain::eligibility::catalogue::CatalogueEntry;
use thidua_domain::eligibility::codes::SubjectKind;
use thidua_domain::movement::MovementCode;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_domain::text;
use thidua_store::{
    ImportSource, ImportedRecord, NamedPerson, RecordKey, RegistryEntry, Store, SubjectRef,
    UserRow, Who,
};
use time::Date;

/// A person the import adds before their awards.
#[derive(Debug, Clone, Serialize)]
pub struct NewImportPerson {
    pub name: String,
    pub birth: Date,
    pub unit: UnitId,
}

/// Rows naming the `i`-th new person carry this placeholder until the
/// store gives the person an id (real ids are positive).
fn new_subject(i: usize) -> SubjectRef {
    SubjectRef::Person(-(i as i64) - 1)
}

/// The new person a placeholder subject stands for.
pub(crate) fn new_person_index(s: &SubjectRef) -> Option<usize> {
    match s {
        SubjectRef::Person(id) if *id < 0 => usize::try_from(-id - 1).ok(),
        _ => None,
    }
}

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
    /// The person is not yet on any staff list: the import adds them.
    pub new_person: bool,
    #[serde(skip)]
    pub record: ImportedRecord,
}

/// A file that passed every check.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    pub file: String,
    pub sha256: String,
    pub rows: Vec<PlannedRow>,
    /// People the file names who are not yet recorded, with enough to know
    /// them again (name, birth day, unit): written with the awards.
    pub new_people: Vec<NewImportPerson>,
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
                crate::auth::may_on_unit(store, user, Action::ImportRegistry, u, today).await?,
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
    let issuers = known_issuers(store).await?;
    let mut matcher =
        RowMatcher::new(store, &catalogue, &entries, &issuers, scope, &raw, today).await?;
    let mut rows = Vec::new();
    for r in &raw {
        match matcher.plan(r).await? {
            Ok(Some(row)) => rows.push(row),
            Ok(None) => {}
            Err((field, message)) => problems.push(r.line, problems.at(field), message),
        }
    }
    duplicates(store, &rows, &mut problems).await?;
    let sha256 = crate::auth::sha256_bytes(bytes);
    problems.into_result(ImportPlan {
        file: file.to_owned(),
        sha256,
        rows,
        new_people: matcher.new_people,
    })
}

/// A row's problem: the template's column key and what is wrong.
type RowProblem = (&'static str, String);

/// Matches rows to the catalogue, the issuers, the units, the staff list
/// and the movements, remembering what earlier rows looked up.
struct RowMatcher<'a> {
    store: &'a Store,
    catalogue: &'a [CatalogueEntry],
    entries: &'a [&'a CatalogueEntry],
    forms: HashMap<String, &'a CatalogueEntry>,
    issuer_of: HashMap<String, &'a String>,
    /// The units the importer may write for; `None` for the system.
    scope: Option<HashSet<i64>>,
    people: HashMap<String, Vec<NamedPerson>>,
    units: HashMap<(String, Date), Option<thidua_store::UnitRow>>,
    subtrees: HashMap<i64, HashSet<i64>>,
    movements: HashMap<String, Option<i64>>,
    /// People to add, keyed by (folded name, birth day, unit).
    new_people: Vec<NewImportPerson>,
}

impl<'a> RowMatcher<'a> {
    async fn new(
        store: &'a Store,
        catalogue: &'a [CatalogueEntry],
        entries: &'a [&'a CatalogueEntry],
        issuers: &'a [String],
        scope: Option<HashSet<i64>>,
        raw: &[RawRow],
        today: Date,
    ) -> AppResult<Self> {
        let mut forms: HashMap<String, &CatalogueEntry> = HashMap::new();
        for e in entries.iter().copied() {
            forms.insert(text::fold(e.code.as_str()), e);
            forms.insert(plain_issuer(&e.name), e);
            forms.insert(
                plain_issuer(&crate::decisions::form_name(
                    catalogue,
                    e.code.as_str(),
                    today,
                )),
                e,
            );
        }
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
        Ok(RowMatcher {
            store,
            catalogue,
            entries,
            forms,
            issuer_of: issuers.iter().map(|i| (plain_issuer(i), i)).collect(),
            scope,
            people,
            units: HashMap::new(),
            subtrees: HashMap::new(),
            movements: HashMap::new(),
            new_people: Vec::new(),
        })
    }

    /// The row as it would be written; `None` for a collective row whose
    /// unit is missing (the reader already said so).
    async fn plan(&mut self, r: &RawRow) -> AppResult<Result<Option<PlannedRow>, RowProblem>> {
        let entry = match self.form(r) {
            Ok(entry) => entry,
            Err(p) => return Ok(Err(p)),
        };
        let Some(issuer) = self.issuer_of.get(&plain_issuer(&r.issuer)).copied() else {
            return Ok(Err((
                "issuer",
                format!(
                    "cấp quyết định «{}» không có trong danh mục (xem trang «Cấp quyết định» của mẫu)",
                    r.issuer
                ),
            )));
        };
        let unit = match self.unit(r).await? {
            Ok(unit) => unit,
            Err(p) => return Ok(Err(p)),
        };
        let (subject, subject_unit, subject_name) = if r.collective {
            let Some(u) = unit else { return Ok(Ok(None)) };
            match collective_subject(r, &u) {
                Ok(found) => found,
                Err(p) => return Ok(Err(p)),
            }
        } else {
            match self.person_subject(r, unit.as_ref()).await? {
                Ok(found) => found,
                Err(p) => return Ok(Err(p)),
            }
        };
        if let Some(scope) = &self.scope {
            let inside = match subject {
                SubjectRef::Unit(u) => scope.contains(&u.0),
                SubjectRef::Person(_) => subject_unit.is_some_and(|u| scope.contains(&u.0)),
            };
            if !inside {
                return Ok(Err((
                    "unit",
                    format!("«{subject_name}» ngoài phạm vi đơn vị của bạn"),
                )));
            }
        }
        let movement = match self.movement(r).await? {
            Ok(m) => m,
            Err(p) => return Ok(Err(p)),
        };
        let year = r.date.year();
        let annual_title = thidua_domain::eligibility::review::is_annual_title(entry.code.as_str());
        let period_to = r.to.or(r.from).unwrap_or(year);
        let period_from = if annual_title {
            period_to
        } else {
            r.from.unwrap_or(period_to)
        };
        Ok(Ok(Some(PlannedRow {
            line: r.line,
            subject: subject_name,
            collective: r.collective,
            new_person: new_person_index(&subject).is_some(),
            form: crate::decisions::form_name(self.catalogue, entry.code.as_str(), r.date),
            issuer: issuer.clone(),
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
                issuer: (!annual_title).then(|| issuer.clone()),
            },
        })))
    }

    /// The catalogue's form of the row, for the row's kind of subject.
    fn form(&self, r: &RawRow) -> Result<&'a CatalogueEntry, RowProblem> {
        let entry = self.forms.get(&plain_issuer(&r.form)).copied().or_else(|| {
            let want = plain_issuer(&r.form);
            let found: Vec<&&CatalogueEntry> = self
                .entries
                .iter()
                .filter(|e| plain_issuer(&e.name).starts_with(&want))
                .collect();
            (found.len() == 1).then(|| *found[0])
        });
        let Some(entry) = entry else {
            return Err((
                "form",
                format!(
                    "hình thức «{}» không có trong danh mục (xem trang «Hình thức» của mẫu)",
                    r.form
                ),
            ));
        };
        let kind = if r.collective {
            SubjectKind::Collective
        } else {
            SubjectKind::Individual
        };
        if !entry.subjects.contains(&kind) {
            return Err((
                "kind",
                format!(
                    "«{}» không dành cho {}",
                    entry.name,
                    if r.collective {
                        "tập thể"
                    } else {
                        "cá nhân"
                    }
                ),
            ));
        }
        Ok(entry)
    }

    /// The unit of the row's code on the decision's date, if a code is given.
    async fn unit(
        &mut self,
        r: &RawRow,
    ) -> AppResult<Result<Option<thidua_store::UnitRow>, RowProblem>> {
        let Some(code) = &r.unit else {
            return Ok(Ok(None));
        };
        let key = (code.clone(), r.date);
        if !self.units.contains_key(&key) {
            let found = self.store.resolve_code(code, None, r.date).await?;
            self.units.insert(key.clone(), found);
        }
        Ok(match self.units.get(&key).cloned().flatten() {
            Some(u) => Ok(Some(u)),
            None => Err((
                "unit",
                format!("không có đơn vị mã «{code}» vào ngày {}", VnDate(r.date)),
            )),
        })
    }

    /// The one person of the staff list the row names, and the unit they
    /// belonged to on the decision's day.
    async fn person_subject(
        &mut self,
        r: &RawRow,
        unit: Option<&thidua_store::UnitRow>,
    ) -> AppResult<Result<(SubjectRef, Option<UnitId>, String), RowProblem>> {
        let all = self
            .people
            .get(&text::fold(&r.name))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut found: Vec<&NamedPerson> = all.iter().collect();
        if let Some(b) = r.birth {
            found.retain(|p| b.matches(p.birth_date));
        }
        if let Some(u) = unit {
            if let std::collections::hash_map::Entry::Vacant(slot) = self.subtrees.entry(u.id.0) {
                slot.insert(self.store.subtree_ever(u.id).await?.into_iter().collect());
            }
            let tree = self.subtrees.get(&u.id.0);
            found.retain(|p| {
                p.stints
                    .iter()
                    .any(|(s, _, _)| *s == u.id.0 || tree.is_some_and(|t| t.contains(s)))
            });
        }
        let person = match found.as_slice() {
            [one] => *one,
            // Name, birth day and unit are enough to know the person again:
            // the import adds them to that unit's list.
            [] if let (Some(Birth::Day(born)), Some(u)) = (r.birth, unit) => {
                return Ok(Ok(self.new_person(r, born, u)));
            }
            [] => {
                return Ok(Err((
                    "name",
                    format!(
                        "không có người «{}»{}{} trong danh sách nhân sự (ghi ngày sinh đầy đủ và mã đơn vị để thidua thêm người này)",
                        r.name,
                        match r.birth {
                            Some(Birth::Day(d)) => format!(", sinh {}", VnDate(d)),
                            Some(Birth::Year(y)) => format!(", sinh năm {y}"),
                            None => String::new(),
                        },
                        unit.map(|u| format!(" ở {}", u.name)).unwrap_or_default()
                    ),
                )));
            }
            many => {
                return Ok(Err((
                    "birth",
                    format!(
                        "có {} người tên «{}»: ghi thêm ngày sinh hoặc mã đơn vị",
                        many.len(),
                        r.name
                    ),
                )));
            }
        };
        // The unit on the decision day; an older record than the staff
        // list's first stint belongs to that first unit, a later one to the
        // last (the unit typed in the file otherwise).
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
            .or(unit.map(|u| u.id));
        Ok(Ok((SubjectRef::Person(person.id), on_day, r.name.clone())))
    }

    /// The placeholder subject of a person the import adds: the same name,
    /// birth day and unit in several rows is one person.
    fn new_person(
        &mut self,
        r: &RawRow,
        born: Date,
        u: &thidua_store::UnitRow,
    ) -> (SubjectRef, Option<UnitId>, String) {
        let folded = text::fold(&r.name);
        let at = match self
            .new_people
            .iter()
            .position(|p| text::fold(&p.name) == folded && p.birth == born && p.unit == u.id)
        {
            Some(i) => i,
            None => {
                self.new_people.push(NewImportPerson {
                    name: r.name.clone(),
                    birth: born,
                    unit: u.id,
                });
                self.new_people.len() - 1
            }
        };
        (new_subject(at), Some(u.id), r.name.clone())
    }

    /// The movement of the row's code, if one is given.
    async fn movement(&mut self, r: &RawRow) -> AppResult<Result<Option<i64>, RowProblem>> {
        let Some(code) = &r.movement else {
            return Ok(Ok(None));
        };
        if !self.movements.contains_key(code) {
            let id = match MovementCode::parse(code) {
                Ok(c) => self.store.movement_by_code(&c).await?.map(|m| m.id),
                Err(_) => None,
            };
            self.movements.insert(code.clone(), id);
        }
        Ok(match self.movements.get(code).copied().flatten() {
            Some(id) => Ok(Some(id)),
            None => Err(("movement", format!("không có phong trào mã «{code}»"))),
        })
    }
}

/// A collective row: the unit of its code, whose name must be the row's.
fn collective_subject(
    r: &RawRow,
    u: &thidua_store::UnitRow,
) -> Result<(SubjectRef, Option<UnitId>, String), RowProblem> {
    if text::fold(&u.name) != text::fold(&r.name)
        && u.short_name.as_deref().map(text::fold) != Some(text::fold(&r.name))
    {
        return Err((
            "name",
            format!(
                "tên «{}» không khớp đơn vị mã {} («{}»)",
                r.name, u.code, u.name
            ),
        ));
    }
    Ok((SubjectRef::Unit(u.id), Some(u.id), u.name.clone()))
}

/// An annual title's subject and year: one title per subject and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct TitleKey(Option<i64>, Option<i64>, Option<i32>);

/// Rows that repeat one another, or a record the registry already holds;
/// annual titles also clash by subject and year.
pub(super) async fn duplicates(
    store: &Store,
    rows: &[PlannedRow],
    problems: &mut Problems,
) -> AppResult<()> {
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
    let people: Vec<thidua_store::ImportPerson> = plan
        .new_people
        .iter()
        .map(|p| {
            Ok(thidua_store::ImportPerson {
                person: thidua_store::NewPerson {
                    name: thidua_domain::person::PersonName::parse(&p.name)
                        .map_err(|e| AppError::Internal(e.to_string()))?,
                    gender: None,
                    birth_date: Some(p.birth),
                    ethnicity: None,
                    id_number: None,
                    position: None,
                    category: None,
                },
                unit: p.unit,
            })
        })
        .collect::<AppResult<_>>()?;
    let ids = store
        .import_records(
            who,
            &ImportSource {
                file: plan.file.clone(),
                sha256: plan.sha256.clone(),
            },
            &people,
            &records,
        )
        .await?;
    Ok((plan, ids))
}
