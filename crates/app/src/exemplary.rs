//! Điển hình tiên tiến — units record the exemplary people and collectives
//! their movements bring out, the province records the conferences that
//! honour them (hội nghị điển hình tiên tiến, đại hội thi đua yêu nước) and
//! chooses which examples its public page shows.

use crate::movements::Enterer;
use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::date::VnDate;
use thidua_domain::exemplary::{EventKind, ModelKind};
use thidua_domain::movement::MovementCode;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_domain::staff::PersonId;
use thidua_store::{ExampleRow, ExampleSubject, NewExample, NewHonourEvent, Store, UserRow, Who};
use time::{Date, Month};

async fn may(
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

async fn movement_id(store: &Store, code: &str) -> AppResult<Option<i64>> {
    match code.trim() {
        "" => Ok(None),
        c => {
            let code = MovementCode::parse(c).map_err(|e| invalid("movement", e.to_string()))?;
            Ok(Some(
                store
                    .movement_by_code(&code)
                    .await?
                    .ok_or_else(|| invalid("movement", format!("Không có phong trào mã «{c}».")))?
                    .id,
            ))
        }
    }
}

/// An example as typed.
#[derive(Debug, Clone, Default)]
pub struct ExampleInput {
    pub kind: String,
    /// A person's id («mã cá nhân»), or empty for a collective.
    pub person: String,
    /// A collective's unit code, or empty for a person.
    pub unit: String,
    pub movement: String,
    pub year: String,
    pub deeds: String,
    /// The page, article or decision that honoured them.
    pub honoured_by: String,
    /// The conference's id, when one honoured them.
    pub event: String,
}

/// Records an example of the actor's scope; returns its id.
pub async fn record(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    input: &ExampleInput,
    today: Date,
) -> AppResult<i64> {
    let kind =
        ModelKind::parse(&input.kind).map_err(|_| invalid("kind", "Hãy chọn loại điển hình."))?;
    let year: i32 = input
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (1945..=today.year()).contains(y))
        .ok_or_else(|| {
            invalid(
                "year",
                format!("«{}» không phải là năm hợp lệ.", input.year.trim()),
            )
        })?;
    let on = Date::from_calendar_date(year, Month::December, 31)
        .map(|d| d.min(today))
        .unwrap_or(today);
    let (person, unit) = (input.person.trim(), input.unit.trim());
    if person.is_empty() == unit.is_empty() {
        return Err(invalid(
            "person",
            "Ghi mã cá nhân (với cá nhân) hoặc mã đơn vị (với tập thể), một trong hai.",
        ));
    }
    let (subject, home) = if unit.is_empty() {
        let id: i64 = person
            .parse()
            .map_err(|_| invalid("person", "Mã cá nhân là một số."))?;
        store
            .person(id)
            .await?
            .ok_or_else(|| invalid("person", format!("Không có cá nhân mã {id}.")))?;
        let stints = store.stints(PersonId(id)).await?;
        // The unit they belonged to that year, else their latest.
        let home = stints
            .iter()
            .find(|s| s.period.contains(on))
            .or_else(|| stints.iter().max_by_key(|s| s.period.from))
            .map(|s| s.unit)
            .ok_or_else(|| invalid("person", "Cá nhân này chưa thuộc đơn vị nào."))?;
        (ExampleSubject::Person(id), home)
    } else {
        let u = crate::org_view::pick_unit(store, unit, on).await?;
        (ExampleSubject::Unit(u), u)
    };
    may(store, actor, Action::RecordExemplary, home, today).await?;
    let deeds = thidua_domain::text::normalize(&input.deeds);
    if deeds.chars().count() < 5 || deeds.chars().count() > 4000 {
        return Err(invalid(
            "deeds",
            "Hãy ghi việc làm, thành tích tiêu biểu (5–4.000 ký tự).",
        ));
    }
    let event = match input.event.trim() {
        "" => None,
        e => {
            let id: i64 = e
                .parse()
                .map_err(|_| invalid("event", "Hãy chọn hội nghị."))?;
            store
                .honour_events()
                .await?
                .into_iter()
                .find(|ev| ev.id == id)
                .ok_or_else(|| invalid("event", "Không có hội nghị này."))?;
            Some(id)
        }
    };
    let new = NewExample {
        kind,
        subject,
        home,
        movement: movement_id(store, &input.movement).await?,
        year,
        deeds,
        honoured_by: Some(thidua_domain::text::normalize(&input.honoured_by))
            .filter(|h| !h.is_empty()),
        event,
    };
    Ok(store.add_example(who, &new).await?)
}

/// A conference or congress as typed.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub kind: String,
    pub name: String,
    pub held_on: String,
    /// The organising unit's code.
    pub organiser: String,
    pub movement: String,
}

/// Records a conference that honours examples: by those who manage the
/// organiser's movements.
pub async fn record_event(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    input: &EventInput,
    today: Date,
) -> AppResult<i64> {
    let kind =
        EventKind::parse(&input.kind).map_err(|_| invalid("kind", "Hãy chọn loại hội nghị."))?;
    let name = thidua_domain::text::normalize(&input.name);
    if name.chars().count() < 5 || name.chars().count() > 300 {
        return Err(invalid("name", "Hãy ghi tên hội nghị (5–300 ký tự)."));
    }
    let held_on = VnDate::parse(&input.held_on)
        .map_err(|e| invalid("held_on", e.to_string()))?
        .0;
    let organiser = store
        .resolve_code(input.organiser.trim(), None, held_on)
        .await?
        .filter(|u| u.period.contains(held_on))
        .ok_or_else(|| {
            invalid(
                "organiser",
                format!(
                    "Không có đơn vị mã «{}» vào ngày {}.",
                    input.organiser.trim(),
                    VnDate(held_on)
                ),
            )
        })?;
    may(store, actor, Action::ManageMovements, organiser.id, today).await?;
    let new = NewHonourEvent {
        kind,
        name,
        held_on,
        organiser: organiser.id,
        movement: movement_id(store, &input.movement).await?,
    };
    Ok(store.add_honour_event(who, &new).await?)
}

/// Shows (or withdraws) an example on the public page: the province's
/// choice, by those who manage movements above the example's unit.
pub async fn publish(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    id: i64,
    published: bool,
    today: Date,
) -> AppResult<()> {
    let e = store
        .example(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("điển hình #{id}")))?;
    may(
        store,
        actor,
        Action::ManageMovements,
        UnitId(e.home_unit_id),
        today,
    )
    .await?;
    Ok(store.publish_example(who, id, published).await?)
}

/// The examples the user may read: those of the units of their scope.
pub async fn list(store: &Store, user: &UserRow, today: Date) -> AppResult<Vec<ExampleRow>> {
    let scope = crate::registry::reader_scope(store, user, today).await?;
    let units: Option<Vec<UnitId>> = scope.map(|s| s.into_iter().map(UnitId).collect());
    Ok(store.examples(units.as_deref(), false, 500).await?)
}

/// The good examples the province chose to publish (no sign-in).
pub async fn public(store: &Store) -> AppResult<Vec<ExampleRow>> {
    Ok(store.examples(None, true, 500).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use thidua_domain::org::{UnitCode, UnitKind};
    use thidua_domain::policy::Role;
    use thidua_store::NewUnit;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 06);

    async fn unit(store: &Store, code: &str, kind: UnitKind, parent: Option<UnitId>) -> UnitId {
        store
            .create_unit(
                &Who::system("t"),
                &NewUnit {
                    code: UnitCode::parse(code).unwrap(),
                    kind,
                    admin_type: None,
                    name: format!("Đơn vị {code}"),
                    short_name: None,
                    parent,
                    valid_from: None,
                },
            )
            .await
            .unwrap()
    }

    thidua_store::engine_tests!(
        examples_are_recorded_in_scope_and_published_by_the_province,
        |store| async move {
            let who = Who::system("t");
            let p1 = unit(store, "T1", UnitKind::Province, None).await;
            let a = unit(store, "T1.A", UnitKind::StateAgency, Some(p1)).await;
            let b = unit(store, "T1.B", UnitKind::StateAgency, Some(p1)).await;
            for (login, role, at) in [
                ("cb.a", Role::UnitOfficer, a),
                ("office", Role::ProvinceOfficer, p1),
                ("view", Role::Viewer, p1),
            ] {
                crate::auth::create_user(
                    store,
                    &who,
                    login,
                    login,
                    role,
                    Some(at),
                    "mật khẩu đủ dài 123",
                )
                .await
                .unwrap();
            }
            let user =
                |l: &'static str| async move { store.user_for_login(l).await.unwrap().unwrap().0 };
            let (officer, office, viewer) =
                (user("cb.a").await, user("office").await, user("view").await);
            let input = |unit: &str| ExampleInput {
                kind: "model".into(),
                unit: unit.into(),
                year: "2025".into(),
                deeds: "Một cửa liên thông điện tử cho mọi thủ tục".into(),
                ..ExampleInput::default()
            };
            // Only in one's own scope, and never by a viewer.
            let id = record(store, &who, Enterer::User(&officer), &input("T1.A"), TODAY)
                .await
                .unwrap();
            assert!(matches!(
                record(store, &who, Enterer::User(&officer), &input("T1.B"), TODAY).await,
                Err(AppError::Denied(_))
            ));
            assert!(
                record(store, &who, Enterer::User(&viewer), &input("T1.A"), TODAY)
                    .await
                    .is_err()
            );
            // A person and a unit at once, or neither, is refused with the field.
            let both = ExampleInput {
                person: "1".into(),
                ..input("T1.A")
            };
            assert!(matches!(
                record(store, &who, Enterer::System, &both, TODAY).await,
                Err(AppError::Invalid {
                    field: "person",
                    ..
                })
            ));
            // The unit's officer cannot publish; the province's office can.
            assert!(
                publish(store, &who, Enterer::User(&officer), id, true, TODAY)
                    .await
                    .is_err()
            );
            assert!(public(store).await.unwrap().is_empty());
            publish(store, &who, Enterer::User(&office), id, true, TODAY)
                .await
                .unwrap();
            assert_eq!(public(store).await.unwrap().len(), 1);
            // Lists keep to the reader's scope.
            let _ = b;
            assert_eq!(list(store, &officer, TODAY).await.unwrap().len(), 1);
        }
    );
}
