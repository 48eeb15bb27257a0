//! The registry's change feed (migration 0015) and the bulk reads the
//! sweep's snapshot is built from.

use super::rows::Registry;
use crate::{StoreResult, on_pool};
use std::collections::BTreeMap;
use time::Date;

/// A range of people as the snapshot reads it: each person's registry and
/// the first day of their first membership.
pub struct PeopleRange {
    pub people: Vec<(i64, Registry, Option<Date>)>,
    /// (id, folded name) of the same people, for the name index.
    pub names: Vec<(i64, String)>,
}

impl crate::Store {
    /// The last change recorded (0 when none).
    pub async fn registry_change_head(&self) -> StoreResult<i64> {
        Ok(on_pool!(self, |p| {
            sqlx::query_scalar::<_, Option<i64>>("select max(seq) from registry_changes")
                .fetch_one(p)
                .await?
                .unwrap_or(0)
        }))
    }

    /// The people whose registry changed after `seq`, at most `limit`
    /// changes, with the last change's number.
    pub async fn registry_changes_since(
        &self,
        seq: i64,
        limit: i64,
    ) -> StoreResult<(Vec<i64>, i64)> {
        let rows: Vec<(i64, i64)> = on_pool!(self, |p| {
            sqlx::query_as(
                "select seq, person_id from registry_changes where seq > $1 order by seq limit $2",
            )
            .bind(seq)
            .bind(limit)
            .fetch_all(p)
            .await?
        });
        let last = rows.last().map_or(seq, |r| r.0);
        let mut people: Vec<i64> = rows.into_iter().map(|r| r.1).collect();
        people.sort_unstable();
        people.dedup();
        Ok((people, last))
    }

    /// The people who ever stood in one of `units` (a subtree's sweep).
    pub async fn people_in_units(&self, units: &[i64]) -> StoreResult<Vec<i64>> {
        let list = serde_json::to_string(units).unwrap_or_else(|_| "[]".into());
        Ok(on_pool!(self, |p, d| {
            let sql = format!(
                "select distinct person_id from person_memberships where unit_id in ({}) order by 1",
                d.id_set("$1")
            );
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(list)
                .fetch_all(p)
                .await?
        }))
    }

    /// Every person's id in name order: `sort_key` byte by byte (as the
    /// registry's pages sort it), then id.
    pub async fn people_in_name_order(&self) -> StoreResult<Vec<i64>> {
        Ok(on_pool!(self, |p, d| {
            let sql = format!(
                "select id from people order by sort_key{}, id",
                d.byte_order
            );
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(p)
                .await?
        }))
    }

    /// The people whose stint in one of `units` is open on `on`.
    pub async fn people_now_in_units(&self, units: &[i64], on: Date) -> StoreResult<Vec<i64>> {
        let list = serde_json::to_string(units).unwrap_or_else(|_| "[]".into());
        Ok(on_pool!(self, |p, d| {
            let sql = format!(
                "select distinct person_id from person_memberships where unit_id in ({}) \
                 and (valid_from is null or valid_from <= $2) and (valid_until is null or valid_until > $2) \
                 order by 1",
                d.id_set("$1")
            );
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(list)
                .bind(on)
                .fetch_all(p)
                .await?
        }))
    }

    /// The largest person id (0 when there is nobody).
    pub async fn max_person_id(&self) -> StoreResult<i64> {
        Ok(on_pool!(self, |p| {
            sqlx::query_scalar::<_, Option<i64>>("select max(id) from people")
                .fetch_one(p)
                .await?
                .unwrap_or(0)
        }))
    }

    /// Everyone with an id in `lo..=hi`, in id order, with their registry
    /// and first membership.
    pub async fn people_between(&self, lo: i64, hi: i64) -> StoreResult<PeopleRange> {
        type Read = (Vec<(i64, String)>, Vec<(i64, Option<Date>)>);
        let (names, firsts): Read = on_pool!(self, |p| {
            let names = sqlx::query_as(
                "select id, name_folded from people where id between $1 and $2 order by id",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(p)
            .await?;
            let firsts = sqlx::query_as(
                "select person_id, min(valid_from) from person_memberships \
                 where person_id between $1 and $2 group by person_id",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(p)
            .await?;
            (names, firsts)
        });
        let mut regs = self.registries_between(true, lo, hi).await?;
        let firsts: BTreeMap<i64, Option<Date>> = firsts.into_iter().collect();
        Ok(PeopleRange {
            people: names
                .iter()
                .map(|(id, _)| {
                    let id = *id;
                    (
                        id,
                        regs.remove(&id).unwrap_or_default(),
                        firsts.get(&id).copied().flatten(),
                    )
                })
                .collect(),
            names,
        })
    }
}
