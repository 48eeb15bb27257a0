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
