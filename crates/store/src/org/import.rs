//! The official units import, applied in one transaction.

use super::rows::{BATCH, ExistingUnit, ImportReport};
use crate::audit::{Change, Who, record};
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use thidua_domain::official::ImportPlan;
use thidua_domain::text;
use time::Date;

impl crate::Store {
    /// Writes the official registry plan in one transaction: inserts what is
    /// missing, updates what differs, leaves the rest. Idempotent.
    pub async fn apply_import(
        &self,
        who: &Who,
        plan: &ImportPlan,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> StoreResult<ImportReport> {
        let mut report = ImportReport::default();
        on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            // What is already there, by official key.
            let existing: Vec<ExistingUnit> = sqlx::query_as(
                "select id, official_key, kind, name, admin_type, short_name, valid_from, valid_until \
                 from org_units where official_key is not null",
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut ids: HashMap<String, i64> = HashMap::with_capacity(plan.units.len());
            let mut current: HashMap<String, ExistingUnit> = HashMap::new();
            for e in existing {
                ids.insert(e.official_key.clone(), e.id);
                current.insert(e.official_key.clone(), e);
            }
            let mut to_insert = Vec::new();
            for u in &plan.units {
                match current.get(&u.key) {
                    None => to_insert.push(u),
                    Some(e) => {
                        let same = e.kind == u.kind.as_str()
                            && e.name == u.name
                            && e.admin_type.as_deref() == Some(u.admin_type.as_str())
                            && e.short_name.as_deref() == Some(u.short_name.as_str())
                            && e.valid_from == u.period.from
                            && e.valid_until == u.period.until;
                        if same {
                            report.units_unchanged += 1;
                        } else {
                            sqlx::query(
                                "update org_units set kind = $1, name = $2, name_folded = $3, admin_type = $4, \
                                 short_name = $5, valid_from = $6, valid_until = $7 where id = $8",
                            )
                            .bind(u.kind.as_str())
                            .bind(&u.name)
                            .bind(text::fold(&u.name))
                            .bind(&u.admin_type)
                            .bind(&u.short_name)
                            .bind(u.period.from)
                            .bind(u.period.until)
                            .bind(e.id)
                            .execute(&mut *tx)
                            .await?;
                            report.units_updated += 1;
                        }
                        progress(1);
                    }
                }
            }
            for chunk in to_insert.chunks(BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into org_units (code, code_list, kind, admin_type, name, short_name, name_folded, valid_from, valid_until, official_key) ",
                );
                qb.push_values(chunk, |mut b, u| {
                    let (list, code) = &u.codes[0];
                    b.push_bind(code.as_str().to_owned())
                        .push_bind(list.as_str())
                        .push_bind(u.kind.as_str())
                        .push_bind(u.admin_type.clone())
                        .push_bind(u.name.clone())
                        .push_bind(u.short_name.clone())
                        .push_bind(text::fold(&u.name))
                        .push_bind(u.period.from)
                        .push_bind(u.period.until)
                        .push_bind(u.key.clone());
                });
                qb.push(" returning id, official_key");
                let inserted: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut *tx).await?;
                for (id, key) in inserted {
                    ids.insert(key, id);
                }
                report.units_inserted += chunk.len();
                progress(chunk.len() as u64);
            }
            // Codes: every official code each unit carries.
            let existing_codes: HashSet<(String, String)> =
                sqlx::query_as::<_, (String, String)>("select code_list, code from org_unit_codes")
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
            let id_of = |key: &str| -> StoreResult<i64> {
                ids.get(key).copied().ok_or_else(|| {
                    StoreError::Corrupt(format!("import plan names unknown unit {key}"))
                })
            };
            let mut codes = Vec::new();
            for u in &plan.units {
                let id = id_of(&u.key)?;
                for (list, code) in &u.codes {
                    if !existing_codes
                        .contains(&(list.as_str().to_owned(), code.as_str().to_owned()))
                    {
                        codes.push((id, list.as_str(), code.as_str().to_owned()));
                    }
                }
            }
            for chunk in codes.chunks(BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into org_unit_codes (unit_id, code_list, code) ",
                );
                qb.push_values(chunk, |mut b, (id, list, code)| {
                    b.push_bind(*id).push_bind(*list).push_bind(code.clone());
                });
                qb.build().execute(&mut *tx).await?;
            }
            // Former names of units that continued under a new name.
            for u in plan.units.iter().filter(|u| u.former_name.is_some()) {
                if let Some((name, short)) = &u.former_name {
                    sqlx::query(
                        "insert into org_unit_names (unit_id, name, short_name, valid_from, valid_until) \
                         values ($1, $2, $3, null, $4) on conflict do nothing",
                    )
                    .bind(id_of(&u.key)?)
                    .bind(name)
                    .bind(short)
                    .bind(thidua_domain::official::REFORM_2025)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            // Links: insert the ones not already there.
            let existing_links: HashSet<(i64, i64, Option<Date>, Option<Date>)> =
                sqlx::query_as::<_, (i64, i64, Option<Date>, Option<Date>)>(
                    "select child_id, parent_id, valid_from, valid_until from org_links",
                )
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
            let mut new_links = Vec::new();
            for l in &plan.links {
                let row = (
                    id_of(&l.child)?,
                    id_of(&l.parent)?,
                    l.period.from,
                    l.period.until,
                );
                if !existing_links.contains(&row) {
                    new_links.push(row);
                }
            }
            for chunk in new_links.chunks(BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into org_links (child_id, parent_id, valid_from, valid_until) ",
                );
                qb.push_values(chunk, |mut b, (c, pa, f, u)| {
                    b.push_bind(*c).push_bind(*pa).push_bind(*f).push_bind(*u);
                });
                qb.build().execute(&mut *tx).await?;
                report.links_inserted += chunk.len();
                progress(chunk.len() as u64);
            }
            // Events, by natural key.
            let existing_events: HashSet<String> = sqlx::query_as::<_, (String,)>(
                "select natural_key from reorg_events where natural_key is not null",
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(k,)| k)
            .collect();
            let new_events: Vec<_> = plan
                .events
                .iter()
                .filter(|e| !existing_events.contains(&e.key))
                .collect();
            for chunk in new_events.chunks(BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "insert into reorg_events (kind, effective, natural_key) ",
                );
                qb.push_values(chunk, |mut b, e| {
                    b.push_bind(e.kind.as_str())
                        .push_bind(e.effective)
                        .push_bind(e.key.clone());
                });
                qb.push(" returning id, natural_key");
                let inserted: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut *tx).await?;
                let event_ids: HashMap<String, i64> =
                    inserted.into_iter().map(|(id, k)| (k, id)).collect();
                let mut parts: Vec<(i64, i64, &'static str, bool, bool)> = Vec::new();
                for e in chunk {
                    let eid = event_ids.get(&e.key).copied().ok_or_else(|| {
                        StoreError::Corrupt(format!("event {} was not inserted", e.key))
                    })?;
                    for pp in &e.predecessors {
                        parts.push((eid, id_of(&pp.unit)?, "predecessor", pp.partial, pp.primary));
                    }
                    for s in &e.successors {
                        parts.push((eid, id_of(s)?, "successor", false, true));
                    }
                }
                for part_chunk in parts.chunks(BATCH) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "insert into reorg_event_units (event_id, unit_id, role, partial, is_primary) ",
                    );
                    qb.push_values(part_chunk, |mut b, (e, u, r, pa, pr)| {
                        b.push_bind(*e)
                            .push_bind(*u)
                            .push_bind(*r)
                            .push_bind(*pa)
                            .push_bind(*pr);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                report.events_inserted += chunk.len();
                progress(chunk.len() as u64);
            }
            if report.changed_anything() {
                record!(
                    tx,
                    d,
                    who,
                    Change::new("admin_units.import", "registry", "official").after(json!(report))
                );
            }
            tx.commit().await?;
        });
        if report.changed_anything() {
            // Fresh statistics so the planner sees the registry's real size.
            self.refresh_stats(|_| "analyze").await?;
        }
        Ok(report)
    }
}
