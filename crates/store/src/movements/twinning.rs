//! Twinning pairs (kết nghĩa) and their activities.

use super::rows::{Activity, NewPair, PairRow};
use crate::audit::{Change, Who, record};
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use time::Date;

impl crate::Store {
    pub async fn add_twinning_pair(
        &self,
        who: &Who,
        movement: i64,
        pair: &NewPair,
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into twinning_pairs (movement_id, org_unit_id, village_unit_id, household, since, note, kind, person_id) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
            )
            .bind(movement)
            .bind(pair.org.0)
            .bind(pair.village.map(|v| v.0))
            .bind(pair.household.as_deref())
            .bind(pair.since)
            .bind(pair.note.as_deref())
            .bind(pair.kind.as_str())
            .bind(pair.person)
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("twinning.pair", "movement", movement).after(json!({
                    "pair": id, "kind": pair.kind.as_str(), "person_id": pair.person,
                    "org_unit_id": pair.org.0, "village_unit_id": pair.village.map(|v| v.0),
                    "household": pair.household, "since": pair.since.to_string(),
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn add_twinning_activity(
        &self,
        who: &Who,
        pair: i64,
        a: &Activity,
    ) -> StoreResult<i64> {
        let held_on = a
            .held_on
            .ok_or_else(|| StoreError::Conflict("hoạt động cần ngày thực hiện".to_owned()))?;
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into twinning_activities (pair_id, held_on, visits, people, money_vnd, in_kind_vnd, \
                 houses_built, houses_repaired, created_by, beneficiaries, production_models, \
                 households_out_of_poverty, works_built) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id",
            )
            .bind(pair)
            .bind(held_on)
            .bind(a.visits)
            .bind(a.people)
            .bind(a.money_vnd)
            .bind(a.in_kind_vnd)
            .bind(a.houses_built)
            .bind(a.houses_repaired)
            .bind(&who.login)
            .bind(a.beneficiaries)
            .bind(a.production_models)
            .bind(a.households_out_of_poverty)
            .bind(a.works_built)
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("twinning.activity", "twinning_pair", pair).after(json!({
                    "activity": id, "held_on": held_on.to_string(), "visits": a.visits, "people": a.people,
                    "money_vnd": a.money_vnd, "in_kind_vnd": a.in_kind_vnd,
                    "houses_built": a.houses_built, "houses_repaired": a.houses_repaired,
                    "beneficiaries": a.beneficiaries, "production_models": a.production_models,
                    "households_out_of_poverty": a.households_out_of_poverty, "works_built": a.works_built,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The pairs of a movement, each with its activities summed up to `as_of`.
    pub async fn twinning_pairs(&self, movement: i64, as_of: Date) -> StoreResult<Vec<PairRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select t.id, t.kind, t.org_unit_id, t.village_unit_id, t.household, t.person_id, t.since, \
             cast(coalesce(sum(a.visits), 0) as bigint) as visits, cast(coalesce(sum(a.people), 0) as bigint) as people, \
             cast(coalesce(sum(a.money_vnd), 0) as double precision) as money_vnd, \
             cast(coalesce(sum(a.in_kind_vnd), 0) as double precision) as in_kind_vnd, \
             cast(coalesce(sum(a.houses_built), 0) as bigint) as houses_built, \
             cast(coalesce(sum(a.houses_repaired), 0) as bigint) as houses_repaired, \
             cast(coalesce(sum(a.beneficiaries), 0) as bigint) as beneficiaries, \
             cast(coalesce(sum(a.production_models), 0) as bigint) as production_models, \
             cast(coalesce(sum(a.households_out_of_poverty), 0) as bigint) as households_out_of_poverty, \
             cast(coalesce(sum(a.works_built), 0) as bigint) as works_built \
             from twinning_pairs t left join twinning_activities a on a.pair_id = t.id and a.held_on <= $2 \
             where t.movement_id = $1 and t.since <= $2 group by t.id, t.kind, t.org_unit_id, t.village_unit_id, t.household, t.person_id, t.since \
             order by t.id"
        )
        .bind(movement)
        .bind(as_of)
        .fetch_all(p)
        .await?
        }))
    }
}
