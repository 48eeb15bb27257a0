//! Changes to the organisation: new units, moves, renames, merges.

use super::rows::{NewUnit, UnitRow};
use crate::audit::{Change, Who, record};
use crate::{StoreError, StoreResult, on_pool, parse_stored};
use serde_json::json;
use std::collections::HashSet;
use thidua_domain::date::Period;
use thidua_domain::org::{CodeList, OrgError, ParentLink, ReorgKind, UnitId, check_new_link};
use thidua_domain::text;
use time::Date;

impl crate::Store {
    /// Adds an organisation (or any unit) under `parent`, checking that the
    /// kinds may nest and that the tree stays a forest.
    pub async fn create_unit(&self, who: &Who, new: &NewUnit) -> StoreResult<UnitId> {
        let date = new
            .valid_from
            .unwrap_or(time::OffsetDateTime::now_utc().date());
        self.check_parent(new, date).await?;
        let id: i64 = on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let id = insert_unit!(tx, new);
            record!(
                tx,
                d,
                who,
                Change::new("unit.create", "unit", id).after(json!({
                    "code": new.code.as_str(), "kind": new.kind.as_str(), "name": text::normalize(&new.name),
                    "parent_id": new.parent.map(|p| p.0), "valid_from": new.valid_from.map(|d| d.to_string()),
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(UnitId(id))
    }

    /// The unit `id`, which must exist (`what` names it in the error) and be
    /// valid on `date`: changes are made only to units that exist then.
    async fn unit_valid_on(&self, id: UnitId, date: Date, what: &str) -> StoreResult<UnitRow> {
        let u = self
            .unit(id, date)
            .await?
            .ok_or_else(|| StoreError::NotFound(what.into()))?;
        if !u.period.contains(date) {
            return Err(OrgError::NotValidOn(date.into()).into());
        }
        Ok(u)
    }

    /// The parent exists on `date` and may hold a unit of this kind.
    async fn check_parent(&self, new: &NewUnit, date: Date) -> StoreResult<()> {
        if text::normalize(&new.name).is_empty() {
            return Err(OrgError::EmptyName.into());
        }
        if let Some(parent) = new.parent {
            let p = self.unit_valid_on(parent, date, "đơn vị cấp trên").await?;
            new.kind.check_parent(p.kind)?;
        }
        Ok(())
    }

    /// All parent links that touch `ids` as child or parent, and the links
    /// above them: what the forest check needs to see.
    async fn links_around(&self, ids: &[UnitId]) -> StoreResult<Vec<ParentLink>> {
        #[derive(sqlx::FromRow)]
        struct L {
            child_id: i64,
            parent_id: i64,
            valid_from: Option<Date>,
            valid_until: Option<Date>,
        }
        let mut out: Vec<ParentLink> = Vec::new();
        let mut seen: HashSet<i64> = HashSet::new();
        let mut frontier: Vec<i64> = ids.iter().map(|i| i.0).collect();
        while let Some(id) = frontier.pop() {
            if !seen.insert(id) {
                continue;
            }
            let ls: Vec<L> = on_pool!(self, |p| {
                sqlx::query_as(
                    "select child_id, parent_id, valid_from, valid_until from org_links where child_id = $1",
                )
                .bind(id)
                .fetch_all(p)
                .await?
            });
            for l in ls {
                frontier.push(l.parent_id);
                out.push(ParentLink {
                    child: UnitId(l.child_id),
                    parent: UnitId(l.parent_id),
                    period: parse_stored(Period::new(l.valid_from, l.valid_until))?,
                });
            }
        }
        Ok(out)
    }

    /// Moves `child` under `new_parent` from `date` (điều chuyển): closes its
    /// current link, opens the new one and records the event, all or nothing.
    pub async fn reparent(
        &self,
        who: &Who,
        child: UnitId,
        new_parent: UnitId,
        date: Date,
        document: Option<&str>,
    ) -> StoreResult<i64> {
        let c = self
            .unit(child, date)
            .await?
            .ok_or_else(|| StoreError::NotFound("đơn vị".into()))?;
        let p = self
            .unit(new_parent, date)
            .await?
            .ok_or_else(|| StoreError::NotFound("đơn vị cấp trên".into()))?;
        // The kinds are checked first: a wrong nesting is the clearer message.
        c.kind.check_parent(p.kind)?;
        self.unit_valid_on(child, date, "đơn vị").await?;
        self.unit_valid_on(new_parent, date, "đơn vị cấp trên")
            .await?;
        let mut links = self.links_around(&[child, new_parent]).await?;
        let old_parent = links
            .iter()
            .find(|l| l.child == child && l.period.contains(date))
            .map(|l| l.parent.0);
        // The child's current link ends on `date`; only later links still count.
        for l in links
            .iter_mut()
            .filter(|l| l.child == child && l.period.contains(date))
        {
            l.period.until = Some(date);
        }
        let new_link = ParentLink {
            child,
            parent: new_parent,
            period: Period {
                from: Some(date),
                until: None,
            },
        };
        // A link that starts after `date` would overlap the open-ended new one.
        check_new_link(&links, &new_link)?;
        let event_id: i64 = on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            sqlx::query(
                "update org_links set valid_until = $1 where child_id = $2 \
                 and (valid_from is null or valid_from < $1) and (valid_until is null or valid_until > $1)",
            )
            .bind(date)
            .bind(child.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "insert into org_links (child_id, parent_id, valid_from) values ($1, $2, $3)",
            )
            .bind(child.0)
            .bind(new_parent.0)
            .bind(date)
            .execute(&mut *tx)
            .await?;
            let event_id = insert_event!(tx, ReorgKind::Reparent, date, document);
            for (unit, role) in [(child, "predecessor"), (child, "successor")] {
                sqlx::query(
                    "insert into reorg_event_units (event_id, unit_id, role, partial, is_primary) values ($1, $2, $3, false, true)",
                )
                .bind(event_id)
                .bind(unit.0)
                .bind(role)
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("unit.reparent", "unit", child.0)
                    .before(json!({ "parent_id": old_parent }))
                    .after(json!({ "parent_id": new_parent.0, "date": date.to_string(), "document": document }))
            );
            tx.commit().await?;
            event_id
        });
        Ok(event_id)
    }

    /// Renames a unit from `date`, keeping the old name for earlier dates.
    pub async fn rename(
        &self,
        who: &Who,
        id: UnitId,
        new_name: &str,
        date: Date,
        document: Option<&str>,
    ) -> StoreResult<i64> {
        let name = text::normalize(new_name);
        if name.is_empty() {
            return Err(OrgError::EmptyName.into());
        }
        self.unit_valid_on(id, date, "đơn vị").await?;
        let event_id: i64 = on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let (current, short, from): (String, Option<String>, Option<Date>) =
                sqlx::query_as("select name, short_name, valid_from from org_units where id = $1")
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
            // The old name held from the last rename (or the unit's start) until `date`.
            let (last_rename,): (Option<Date>,) =
                sqlx::query_as("select max(valid_until) from org_unit_names where unit_id = $1")
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
            if last_rename.is_some_and(|d| d >= date) {
                return Err(OrgError::NotValidOn(date.into()).into());
            }
            sqlx::query(
                "insert into org_unit_names (unit_id, name, short_name, valid_from, valid_until) values ($1, $2, $3, $4, $5)",
            )
            .bind(id.0)
            .bind(&current)
            .bind(&short)
            .bind(last_rename.or(from))
            .bind(date)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "update org_units set name = $1, name_folded = $2, short_name = null where id = $3",
            )
            .bind(&name)
            .bind(text::fold(&name))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            let event_id = insert_event!(tx, ReorgKind::Rename, date, document);
            record!(
                tx,
                d,
                who,
                Change::new("unit.rename", "unit", id.0)
                    .before(json!({ "name": current }))
                    .after(json!({ "name": name, "date": date.to_string(), "document": document }))
            );
            tx.commit().await?;
            event_id
        });
        Ok(event_id)
    }

    /// Merges `from` units into a new unit `into` from `date` (hợp nhất): the
    /// old units end, their children move to the new unit, all in one transaction.
    pub async fn merge_into_new(
        &self,
        who: &Who,
        from: &[UnitId],
        into: &NewUnit,
        date: Date,
        document: Option<&str>,
    ) -> StoreResult<UnitId> {
        if from.is_empty() {
            return Err(StoreError::NotFound("đơn vị bị hợp nhất".into()));
        }
        for id in from {
            self.unit_valid_on(*id, date, "đơn vị").await?;
        }
        let mut new = into.clone();
        new.valid_from = Some(date);
        self.check_parent(&new, date).await?;
        let new_id: i64 = on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let new_id = insert_unit!(tx, &new);
            let event_id = insert_event!(
                tx,
                ReorgKind::from_shape(from.len(), 1, false),
                date,
                document
            );
            for old in from {
                sqlx::query("update org_units set valid_until = $1 where id = $2")
                    .bind(date)
                    .bind(old.0)
                    .execute(&mut *tx)
                    .await?;
                // The old unit's own parent link ends with it.
                sqlx::query(
                    "update org_links set valid_until = $1 where child_id = $2 and (valid_until is null or valid_until > $1)",
                )
                .bind(date)
                .bind(old.0)
                .execute(&mut *tx)
                .await?;
                // Its children now sit under the new unit.
                let kids: Vec<(i64,)> = sqlx::query_as(
                    "select child_id from org_links where parent_id = $1 \
                     and (valid_from is null or valid_from <= $2) and (valid_until is null or valid_until > $2)",
                )
                .bind(old.0)
                .bind(date)
                .fetch_all(&mut *tx)
                .await?;
                sqlx::query(
                    "update org_links set valid_until = $1 where parent_id = $2 and (valid_until is null or valid_until > $1)",
                )
                .bind(date)
                .bind(old.0)
                .execute(&mut *tx)
                .await?;
                for (kid,) in kids {
                    sqlx::query("insert into org_links (child_id, parent_id, valid_from) values ($1, $2, $3)")
                        .bind(kid)
                        .bind(new_id)
                        .bind(date)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(
                    "insert into reorg_event_units (event_id, unit_id, role, partial, is_primary) values ($1, $2, 'predecessor', false, true)",
                )
                .bind(event_id)
                .bind(old.0)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "insert into reorg_event_units (event_id, unit_id, role, partial, is_primary) values ($1, $2, 'successor', false, true)",
            )
            .bind(event_id)
            .bind(new_id)
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("unit.merge", "unit", new_id).after(json!({
                    "from": from.iter().map(|u| u.0).collect::<Vec<_>>(), "into": new.code.as_str(),
                    "name": text::normalize(&new.name), "date": date.to_string(), "document": document,
                }))
            );
            tx.commit().await?;
            new_id
        });
        Ok(UnitId(new_id))
    }
}
