//! A person's page: who they are, their stints with the units' names, and
//! what the reader may do with them.

use super::edit::may;
use crate::movements::Enterer;
use crate::{AppError, AppResult, auth};
use serde::Serialize;
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_domain::staff::{MembershipEnd, PersonId};
use thidua_store::{PersonRow, Store, Who};
use time::Date;

/// One stint as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct StintView {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub position: Option<String>,
    /// dd/mm/yyyy.
    pub from: Option<String>,
    pub until: Option<String>,
    pub end: Option<MembershipEnd>,
    pub end_label: Option<&'static str>,
    pub current: bool,
}

/// A person, their stints, and the reader's rights.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub person: PersonRow,
    pub memberships: Vec<StintView>,
    pub has_id_number: bool,
    /// Flags on the person's awards: a revoked award they rested on, a
    /// later finding (`rechecks`).
    pub award_flags: Vec<String>,
    #[serde(skip)]
    pub may_edit: bool,
    #[serde(skip)]
    pub may_see_id_number: bool,
}

async fn allowed(
    store: &Store,
    actor: Enterer<'_>,
    action: Action,
    units: &[i64],
    today: Date,
) -> AppResult<bool> {
    let Enterer::User(user) = actor else {
        return Ok(true);
    };
    for u in units {
        if matches!(
            auth::may_on_unit(store, user, action, thidua_domain::org::UnitId(*u), today).await?,
            Some(Ok(()))
        ) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The person as `actor` may see them: in scope when one of their stints
/// is (a person who moved away stays visible to the unit they left, whose
/// awards they carry). Out of scope reads as not found.
pub async fn show(
    store: &Store,
    actor: Enterer<'_>,
    id: PersonId,
    today: Date,
) -> AppResult<PersonView> {
    let not_found = || AppError::NotFound(format!("cá nhân #{id}"));
    let person = store.person(id.0).await?.ok_or_else(not_found)?;
    let stints = store.stints(id).await?;
    let units: Vec<i64> = stints.iter().map(|s| s.unit.0).collect();
    if !allowed(store, actor, Action::ViewPeople, &units, today).await? {
        return Err(not_found());
    }
    let home: Vec<i64> = stints
        .iter()
        .max_by_key(|s| (s.period.until.is_none(), s.period.from))
        .map(|s| vec![s.unit.0])
        .unwrap_or_default();
    let may_edit = allowed(store, actor, Action::ManagePeople, &home, today).await?;
    let may_see_id_number = allowed(store, actor, Action::ViewIdNumbers, &home, today).await?;
    let mut memberships = Vec::new();
    for s in stints {
        let on = s
            .period
            .until
            .map(|u| u.previous_day().unwrap_or(u))
            .unwrap_or(today);
        let unit = store.unit(s.unit, on).await?;
        let (code, name) = unit
            .map(|u| (u.code, u.name))
            .unwrap_or_else(|| (String::new(), format!("đơn vị #{}", s.unit.0)));
        memberships.push(StintView {
            id: s.id,
            unit_id: s.unit.0,
            unit_code: code,
            unit_name: name,
            position: s.position,
            from: s.period.from.map(|d| VnDate(d).to_string()),
            until: s.period.until.map(|d| VnDate(d).to_string()),
            current: s.period.contains(today),
            end: s.end,
            end_label: s.end.map(MembershipEnd::label),
        });
    }
    Ok(PersonView {
        has_id_number: store.has_id_number(id).await?,
        award_flags: store
            .flags_of_subject(thidua_store::SubjectRef::Person(id.0))
            .await?
            .into_iter()
            .map(|f| f.message)
            .collect(),
        person,
        memberships,
        may_edit,
        may_see_id_number,
    })
}

/// The identity number, for a reader whose role needs it; every reading is
/// in the audit log.
pub async fn reveal_id_number(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    id: PersonId,
    today: Date,
) -> AppResult<Option<String>> {
    let stints = store.stints(id).await?;
    let home = stints
        .iter()
        .max_by_key(|s| (s.period.until.is_none(), s.period.from))
        .map(|s| s.unit)
        .ok_or_else(|| AppError::NotFound(format!("cá nhân #{id}")))?;
    may(store, actor, Action::ViewIdNumbers, home, today).await?;
    Ok(store.view_id_number(who, id).await?)
}

/// A unit a person can be placed in, for the form's picker.
#[derive(Debug, Clone, Serialize)]
pub struct UnitChoice {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The units whose staff lists the user keeps, as of today: their scope's
/// units above village level (a province officer: the province's bodies
/// and communes), at most `limit`. An administrator picks among the
/// locally added bodies and the provinces.
pub async fn staff_units(
    store: &Store,
    user: &thidua_store::UserRow,
    today: Date,
    limit: usize,
) -> AppResult<Vec<UnitChoice>> {
    use thidua_domain::org::UnitKind;
    let actor = auth::actor(store, user, today).await?;
    let mut out = Vec::new();
    let choice = |u: thidua_store::UnitRow| UnitChoice {
        id: u.id.0,
        code: u.code,
        name: u.name,
    };
    if thidua_domain::policy::unscoped(user.role) {
        for u in store.units_as_of(today, None).await? {
            let local = u.code_list == thidua_domain::org::CodeList::Local;
            if (local && u.kind != UnitKind::Village) || u.kind == UnitKind::Province {
                out.push(choice(u));
            }
        }
        return Ok(out.into_iter().take(limit).collect());
    }
    if !thidua_domain::policy::role_allows(user.role, Action::ManagePeople) {
        return Ok(Vec::new());
    }
    for root in &actor.scope_roots {
        for (u, _) in store.subtree_as_of(*root, today).await? {
            if u.kind != UnitKind::Village && out.len() < limit {
                out.push(choice(u));
            }
        }
    }
    // Bodies first (agencies, departments), then administrative units.
    out.sort_by_key(|u| (u.code.bytes().all(|b| b.is_ascii_digit()), u.code.clone()));
    Ok(out)
}

/// What a list of people is narrowed to besides their name.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeopleFilter {
    /// Only people who worked in this unit's subtree (on either map).
    pub unit: Option<UnitId>,
    /// Only people who worked there during this year.
    pub year: Option<i32>,
    /// Only people who still work there today (`true`) or who left (`false`).
    pub working: Option<bool>,
}

impl PeopleFilter {
    fn is_empty(&self) -> bool {
        self.unit.is_none() && self.year.is_none() && self.working.is_none()
    }
}

/// People found by name and filters, how many match in all, and the near
/// words searched for typed words no name has.
#[derive(Debug, Default)]
pub struct FoundPeople {
    pub people: Vec<thidua_store::PersonRow>,
    pub total: i64,
    pub corrections: Vec<crate::registry::Correction>,
}

/// People found by name: diacritics and case ignored, and a word that no
/// name has stands also for its nearest words (one typo forgiven), which
/// are returned so the page can say what it searched for. With no name,
/// the filters alone list people; with neither, nobody is listed.
pub async fn find_people(
    store: &Store,
    query: &str,
    limit: i64,
    scope: Option<&[UnitId]>,
    filter: &PeopleFilter,
    today: Date,
) -> AppResult<FoundPeople> {
    let words = store.name_words().await?;
    let vocabulary: Vec<&str> = words.iter().map(String::as_str).collect();
    let (terms, corrections) = crate::registry::read_terms(query, &vocabulary);
    if terms.is_empty() && (filter.is_empty() || !query.trim().is_empty()) {
        return Ok(FoundPeople {
            corrections,
            ..Default::default()
        });
    }
    let mut units = scope.map(<[UnitId]>::to_vec);
    if let Some(root) = filter.unit {
        let under = crate::registry::units_under_any_map(store, root).await?;
        units = Some(match units {
            Some(scope) => scope
                .into_iter()
                .filter(|u| under.binary_search(&u.0).is_ok())
                .collect(),
            None => under.into_iter().map(UnitId).collect(),
        });
    }
    let listing = thidua_store::PeopleListing {
        terms,
        units,
        year: filter.year,
        working_on: filter.working.map(|w| (w, today)),
    };
    let (people, total) = store.people_listed(&listing, limit).await?;
    Ok(FoundPeople {
        people,
        total,
        corrections,
    })
}
