//! Điển hình tiên tiến and the events that honour them.

use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::{StoreError, StoreResult, on_pool};
use serde::Serialize;
use serde_json::json;
use thidua_domain::exemplary::{EventKind, ModelKind};
use thidua_domain::org::UnitId;
use time::Date;

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewHonourEvent {
    pub kind: EventKind,
    pub name: String,
    pub held_on: Date,
    pub organiser: UnitId,
    pub movement: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct HonourEventRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: EventKind,
    pub name: String,
    pub held_on: Date,
    pub organiser_unit_id: i64,
    pub movement_id: Option<i64>,
}

/// Who the example is: a person or a collective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExampleSubject {
    Person(i64),
    Unit(UnitId),
}

/// An example to record.
#[derive(Debug, Clone)]
pub struct NewExample {
    pub kind: ModelKind,
    pub subject: ExampleSubject,
    pub home: UnitId,
    pub movement: Option<i64>,
    pub year: i32,
    pub deeds: String,
    pub honoured_by: Option<String>,
    pub event: Option<i64>,
}

/// An example as lists show it, with its subject's and unit's names.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ExampleRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ModelKind,
    pub person_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub subject_name: String,
    pub home_unit_id: i64,
    pub home_name: String,
    pub movement_id: Option<i64>,
    pub movement_name: Option<String>,
    pub year: i32,
    pub deeds: String,
    pub honoured_by: Option<String>,
    pub event_id: Option<i64>,
    pub event_name: Option<String>,
    pub published: bool,
}

const EXAMPLE_SELECT: &str = "select e.id, e.kind, e.person_id, e.unit_id, \
    coalesce(p.full_name, su.name) as subject_name, e.home_unit_id, h.name as home_name, \
    e.movement_id, m.name as movement_name, e.year, e.deeds, e.honoured_by, e.event_id, \
    ev.name as event_name, e.published \
    from exemplary_models e join org_units h on h.id = e.home_unit_id \
    left join people p on p.id = e.person_id left join org_units su on su.id = e.unit_id \
    left join movements m on m.id = e.movement_id left join honour_events ev on ev.id = e.event_id";

impl crate::Store {
    pub async fn add_honour_event(&self, who: &Who, e: &NewHonourEvent) -> StoreResult<i64> {
        Ok(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into honour_events (kind, name, held_on, organiser_unit_id, movement_id, created_at) \
                 values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(e.kind.as_str())
            .bind(&e.name)
            .bind(e.held_on)
            .bind(e.organiser.0)
            .bind(e.movement)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("exemplary.event", "honour_event", id).after(json!({
                    "kind": e.kind.as_str(), "name": e.name, "held_on": e.held_on.to_string(),
                    "organiser_unit_id": e.organiser.0, "movement_id": e.movement,
                }))
            );
            tx.commit().await?;
            id
        }))
    }

    pub async fn honour_events(&self) -> StoreResult<Vec<HonourEventRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "select id, kind, name, held_on, organiser_unit_id, movement_id from honour_events \
                 order by held_on desc, id desc",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn add_example(&self, who: &Who, e: &NewExample) -> StoreResult<i64> {
        let (person, unit) = match e.subject {
            ExampleSubject::Person(p) => (Some(p), None),
            ExampleSubject::Unit(u) => (None, Some(u.0)),
        };
        Ok(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into exemplary_models (kind, person_id, unit_id, home_unit_id, movement_id, year, deeds, \
                 honoured_by, event_id, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
            )
            .bind(e.kind.as_str())
            .bind(person)
            .bind(unit)
            .bind(e.home.0)
            .bind(e.movement)
            .bind(e.year)
            .bind(&e.deeds)
            .bind(e.honoured_by.as_deref())
            .bind(e.event)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("exemplary.record", "exemplary_model", id).after(json!({
                    "kind": e.kind.as_str(), "person_id": person, "unit_id": unit,
                    "home_unit_id": e.home.0, "movement_id": e.movement, "year": e.year,
                    "deeds": e.deeds, "honoured_by": e.honoured_by, "event_id": e.event,
                }))
            );
            tx.commit().await?;
            id
        }))
    }

    /// Publishes (or withdraws) an example on the public page.
    pub async fn publish_example(&self, who: &Who, id: i64, published: bool) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query("update exemplary_models set published = $1 where id = $2")
                .bind(published)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound(format!("điển hình #{id}")));
            }
            record!(
                tx,
                d,
                who,
                Change::new("exemplary.publish", "exemplary_model", id)
                    .after(json!({ "published": published }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn example(&self, id: i64) -> StoreResult<Option<ExampleRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{EXAMPLE_SELECT} where e.id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Examples, newest year first: those of `units` (every one when
    /// `None`), or only the published ones.
    pub async fn examples(
        &self,
        units: Option<&[UnitId]>,
        published_only: bool,
        limit: i64,
    ) -> StoreResult<Vec<ExampleRow>> {
        let ids: Option<String> = units
            .map(|u| serde_json::to_string(&u.iter().map(|u| u.0).collect::<Vec<_>>()))
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(on_pool!(self, |pool, d| {
            let scope = match &ids {
                Some(_) => format!("e.home_unit_id in ({})", d.id_set("$1")),
                None => "cast($1 as text) is null".to_owned(),
            };
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{EXAMPLE_SELECT} where {scope} and ($2 = false or e.published = true) \
                 order by e.year desc, subject_name, e.id limit $3"
            )))
            .bind(ids.clone())
            .bind(published_only)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}
