//! The unit forest and its successions as a movement's report reads them.

use super::rows::{ForestUnit, SuccessionEdge};
use crate::{StoreResult, on_pool};
use time::Date;

impl crate::Store {
    /// Every unit valid on `date` with its parent on that day, in one read:
    /// reports place thousands of units and walk the tree in memory.
    pub async fn forest_as_of(&self, date: Date) -> StoreResult<Vec<ForestUnit>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select u.id, u.code, u.name, u.kind, u.admin_type, l.parent_id from org_units u \
             left join org_links l on l.child_id = u.id \
               and (l.valid_from is null or l.valid_from <= $1) and (l.valid_until is null or l.valid_until > $1) \
             where (u.valid_from is null or u.valid_from <= $1) and (u.valid_until is null or u.valid_until > $1)"
        )
        .bind(date)
        .fetch_all(p)
        .await?
        }))
    }

    /// The days around `date` on which [`forest_as_of`](Self::forest_as_of)
    /// answers the same: from the last change of a unit or link on or
    /// before `date` to the first one after it (exclusive), either end open
    /// when there is none. A map read once serves every day in between.
    pub async fn forest_span(&self, date: Date) -> StoreResult<(Option<Date>, Option<Date>)> {
        let day = |s: Option<String>| -> StoreResult<Option<Date>> {
            s.map(|s| crate::parse_stored(parse_day(&s))).transpose()
        };
        let (from, until): (Option<String>, Option<String>) = on_pool!(self, |p| {
            sqlx::query_as(
                "select \
                   (select max(d) from (select cast(max(valid_from) as text) d from org_units where valid_from <= $1 \
                    union all select cast(max(valid_until) as text) from org_units where valid_until <= $1 \
                    union all select cast(max(valid_from) as text) from org_links where valid_from <= $1 \
                    union all select cast(max(valid_until) as text) from org_links where valid_until <= $1) b), \
                   (select min(d) from (select cast(min(valid_from) as text) d from org_units where valid_from > $1 \
                    union all select cast(min(valid_until) as text) from org_units where valid_until > $1 \
                    union all select cast(min(valid_from) as text) from org_links where valid_from > $1 \
                    union all select cast(min(valid_until) as text) from org_links where valid_until > $1) a)",
            )
            .bind(date)
            .fetch_one(p)
            .await?
        });
        Ok((day(from)?, day(until)?))
    }

    /// Every predecessor → successor step of every reorganisation.
    pub async fn succession_edges(&self) -> StoreResult<Vec<SuccessionEdge>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select a.unit_id as predecessor, b.unit_id as successor, e.effective, a.is_primary \
             from reorg_event_units a join reorg_event_units b on b.event_id = a.event_id and b.role = 'successor' \
             join reorg_events e on e.id = a.event_id where a.role = 'predecessor'"
        )
        .fetch_all(p)
        .await?
        }))
    }
}

/// A stored day («2025-07-01») read back.
fn parse_day(s: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.get(..10).unwrap_or(s), &format).map_err(|e| format!("ngày «{s}»: {e}"))
}
