//! Adding and editing a person, and the changes to their stints.

use crate::movements::Enterer;
use crate::{AppError, AppResult, FieldProblem, auth};
use thidua_domain::date::{Period, VnDate};
use thidua_domain::org::UnitId;
use thidua_domain::person::{Gender, IdNumber, PersonName};
use thidua_domain::policy::Action;
use thidua_domain::staff::{self, MembershipEnd, PersonCategory, PersonId};
use thidua_store::{NewPerson, Store, Who};
use time::Date;

/// A person as typed in a form, a spreadsheet row or a command line.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    pub birth: String,
    /// «nam» or «nữ».
    pub sex: String,
    pub ethnicity: String,
    /// Optional: 12 digits (9 for an old identity card).
    pub id_number: String,
    pub category: String,
    pub position: String,
}

impl PersonInput {
    /// Every field parsed, every wrong one reported at once.
    pub fn parse(&self) -> Result<NewPerson, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, message: String| {
            problems.push(FieldProblem { field, message });
        };
        let name = PersonName::parse(&self.name)
            .map_err(|e| problem("name", capitalise(&e.to_string())))
            .ok();
        let birth = match self.birth.trim() {
            "" => {
                problem("birth", "Hãy nhập ngày sinh (dd/mm/yyyy).".into());
                None
            }
            d => match VnDate::parse(d) {
                Ok(d) if d.0.year() < 1900 => {
                    problem("birth", "Ngày sinh trước năm 1900.".into());
                    None
                }
                Ok(d) => Some(d.0),
                Err(e) => {
                    problem("birth", capitalise(&e.to_string()));
                    None
                }
            },
        };
        let gender = match self.sex.trim() {
            "" => {
                problem("sex", "Hãy chọn giới tính (nam hoặc nữ).".into());
                None
            }
            s => Gender::parse(s)
                .map_err(|_| {
                    problem(
                        "sex",
                        format!("Giới tính «{s}» không hợp lệ (nam hoặc nữ)."),
                    )
                })
                .ok(),
        };
        let id_number = match self.id_number.trim() {
            "" => None,
            s => IdNumber::parse(s)
                .map_err(|e| problem("id_number", capitalise(&e.to_string())))
                .ok(),
        };
        let category = match self.category.trim() {
            "" => None,
            s => PersonCategory::parse(s)
                .map_err(|e| problem("category", capitalise(&e.to_string())))
                .ok(),
        };
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        if self.ethnicity.chars().count() > 60 || self.position.chars().count() > 200 {
            problem("position", "Dân tộc hoặc chức vụ quá dài.".into());
        }
        match (name, birth, gender) {
            (Some(name), Some(birth), Some(gender)) if problems.is_empty() => Ok(NewPerson {
                name,
                gender: Some(gender),
                birth_date: Some(birth),
                ethnicity: text(&self.ethnicity),
                id_number,
                position: text(&self.position),
                category,
            }),
            _ => Err(problems),
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

pub(super) async fn may(
    store: &Store,
    actor: Enterer<'_>,
    action: Action,
    unit: UnitId,
    today: Date,
) -> AppResult<()> {
    match actor {
        Enterer::System => Ok(()),
        Enterer::User(user) => auth::may_on_unit(store, user, action, unit, today)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", unit.0)))?
            .map_err(AppError::Denied),
    }
}

/// Refuses a person already recorded: the same identity number anywhere,
/// or the same name and birth date in the same unit. A namesake elsewhere
/// (same name and birth date) passes only when the officer confirms that
/// it is someone else.
pub(super) async fn check_duplicate(
    store: &Store,
    p: &NewPerson,
    unit: UnitId,
    on: Date,
    namesake_confirmed: bool,
) -> AppResult<()> {
    if let Some(n) = &p.id_number
        && let Some(other) = store.person_by_id_number(n).await?
    {
        return Err(crate::error::invalid(
            "id_number",
            format!(
                "Số định danh này đã thuộc về {} (mã cá nhân {}).",
                other.full_name, other.id
            ),
        ));
    }
    let named = store.namesakes_of(&p.name.folded(), p.birth_date).await?;
    if let Some((other, _)) = named.iter().find(|(_, stints)| {
        stints
            .iter()
            .any(|s| s.unit == unit && s.period.until.is_none_or(|u| u > on))
    }) {
        return Err(crate::error::invalid(
            "name",
            format!(
                "Đơn vị đã có {} cùng ngày sinh (mã cá nhân {}); không thêm lần nữa.",
                other.full_name, other.id
            ),
        ));
    }
    if !named.is_empty() && !namesake_confirmed {
        let ids: Vec<String> = named.iter().map(|(p, _)| p.id.to_string()).collect();
        return Err(crate::error::invalid(
            "name",
            format!(
                "Đã có người trùng họ tên và ngày sinh ở đơn vị khác (mã cá nhân {}). Nếu đây là người đó, hãy dùng «Chuyển công tác»; nếu là người khác, hãy đánh dấu xác nhận rồi lưu lại.",
                ids.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Where and when a person added by hand starts.
#[derive(Debug, Clone, Copy)]
pub struct Joining {
    pub unit: UnitId,
    pub from: Date,
    /// The officer confirmed that a namesake elsewhere is someone else.
    pub namesake_confirmed: bool,
}

/// Adds a person to `unit` from `from`.
pub async fn add(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    input: &PersonInput,
    joining: Joining,
    today: Date,
) -> AppResult<PersonId> {
    let Joining {
        unit,
        from,
        namesake_confirmed,
    } = joining;
    may(store, actor, Action::ManagePeople, unit, today).await?;
    let p = input.parse().map_err(AppError::Fields)?;
    let u = store
        .unit(unit, from)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", unit.0)))?;
    if !u.period.contains(from) {
        return Err(crate::error::invalid(
            "from",
            format!("{} không còn hiệu lực vào ngày {}.", u.name, VnDate(from)),
        ));
    }
    check_duplicate(store, &p, unit, from, namesake_confirmed).await?;
    let position = p.position.clone();
    Ok(store
        .add_person_in(who, &p, unit, position.as_deref(), from)
        .await?)
}

/// The unit a change to the person is checked against: the unit of their
/// latest stint (ended or not).
async fn home_unit(store: &Store, id: PersonId) -> AppResult<(Vec<staff::Stint>, UnitId)> {
    store
        .person(id.0)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("cá nhân #{id}")))?;
    let stints = store.stints(id).await?;
    let home = stints
        .iter()
        .max_by_key(|s| (s.period.until.is_none(), s.period.from))
        .map(|s| s.unit)
        .ok_or_else(|| crate::error::invalid("unit", "Cá nhân này chưa thuộc đơn vị nào."))?;
    Ok((stints, home))
}

/// Edits a person's details; an empty identity number keeps the stored one.
pub async fn edit(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    id: PersonId,
    input: &PersonInput,
    today: Date,
) -> AppResult<()> {
    let (_, home) = home_unit(store, id).await?;
    may(store, actor, Action::ManagePeople, home, today).await?;
    let p = input.parse().map_err(AppError::Fields)?;
    if let Some(n) = &p.id_number
        && let Some(other) = store.person_by_id_number(n).await?
        && other.id != id.0
    {
        return Err(crate::error::invalid(
            "id_number",
            format!(
                "Số định danh này đã thuộc về {} (mã cá nhân {}).",
                other.full_name, other.id
            ),
        ));
    }
    Ok(store.update_person(who, id, &p).await?)
}

fn staff_error(field: &'static str, e: staff::StaffError) -> AppError {
    crate::error::invalid(field, capitalise(&e.to_string()))
}

/// Chuyển công tác — the person's open stint ends on `date` and one in `to`
/// begins. The sending unit's officer (or the office above both) does it.
/// Where a transferred person goes, from when, in what post.
#[derive(Debug, Clone)]
pub struct Move {
    pub to: UnitId,
    pub date: Date,
    pub position: Option<String>,
}

pub async fn transfer(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    id: PersonId,
    m: &Move,
    today: Date,
) -> AppResult<()> {
    let (to, date) = (m.to, m.date);
    let (stints, home) = home_unit(store, id).await?;
    may(store, actor, Action::ManagePeople, home, today).await?;
    let dest = store
        .unit(to, date)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", to.0)))?;
    if !dest.period.contains(date) {
        return Err(crate::error::invalid(
            "to",
            format!(
                "{} không còn hiệu lực vào ngày {}.",
                dest.name,
                VnDate(date)
            ),
        ));
    }
    let plan = staff::plan_transfer(&stints, to, date).map_err(|e| staff_error("date", e))?;
    let position = m
        .position
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    Ok(store
        .end_stint(
            who,
            id,
            plan.ends,
            date,
            MembershipEnd::Transfer,
            Some((to, position)),
        )
        .await?)
}

/// Thôi việc, nghỉ hưu — the open stint ends on `date`.
pub async fn end_stint(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    id: PersonId,
    date: Date,
    reason: MembershipEnd,
    today: Date,
) -> AppResult<()> {
    let (stints, home) = home_unit(store, id).await?;
    may(store, actor, Action::ManagePeople, home, today).await?;
    if reason == MembershipEnd::Transfer {
        return Err(crate::error::invalid(
            "reason",
            "Chuyển công tác cần đơn vị mới: hãy dùng «Chuyển công tác».",
        ));
    }
    let current = staff::current_stint(&stints, date).map_err(|e| staff_error("date", e))?;
    let _ = Period::new(current.period.from, Some(date))
        .map_err(|_| staff_error("date", staff::StaffError::EmptyPeriod))?;
    Ok(store
        .end_stint(who, id, current.id, date, reason, None)
        .await?)
}

/// The unit a form names by its code, valid on `on`.
pub async fn unit_for_code(store: &Store, code: &str, on: Date) -> AppResult<UnitId> {
    let code = code.split_whitespace().next().unwrap_or("");
    if code.is_empty() {
        return Err(crate::error::invalid("unit", "Hãy chọn đơn vị."));
    }
    match store.resolve_code(code, None, on).await? {
        Some(u) if u.period.contains(on) => Ok(u.id),
        _ => Err(crate::error::invalid(
            "unit",
            format!("Không có đơn vị mã «{code}» vào ngày {}.", VnDate(on)),
        )),
    }
}

/// A day typed in a form, or the field's message.
pub fn day_field(field: &'static str, s: &str) -> AppResult<Date> {
    VnDate::parse(s)
        .map(|d| d.0)
        .map_err(|e| crate::error::invalid(field, capitalise(&e.to_string())))
}
