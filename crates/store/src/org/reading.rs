//! The organisation as of a date: units, parents, subtrees, successions.

use super::rows::{BATCH, EventLink, EventRecord, UnitRecord, UnitRow, rows};
use crate::{StoreResult, on_pool};
use std::collections::HashSet;
use thidua_domain::org::{CodeList, ReorgKind, UnitId, UnitKind};
use time::Date;

impl crate::Store {
    /// Units valid on `date`, optionally of one kind, ordered by code.
    pub async fn units_as_of(
        &self,
        date: Date,
        kind: Option<UnitKind>,
    ) -> StoreResult<Vec<UnitRow>> {
        let kind = kind.map(UnitKind::as_str);
        let recs: Vec<UnitRecord> = on_pool!(self, |p| {
            sqlx::query_as(concat!(
                "select ",
                unit_cols!(),
                " from org_units u where ",
                valid_at!("u"),
                " and (cast($2 as text) is null or u.kind = $2) order by u.code"
            ))
            .bind(date)
            .bind(kind)
            .fetch_all(p)
            .await?
        });
        rows(recs)
    }

    /// Units valid on `date` with no parent on that date: the roots of the forest.
    pub async fn roots_as_of(&self, date: Date) -> StoreResult<Vec<UnitRow>> {
        let recs: Vec<UnitRecord> = on_pool!(self, |p| {
            sqlx::query_as(concat!(
                "select ",
                unit_cols!(),
                " from org_units u where ",
                valid_at!("u"),
                " and not exists (select 1 from org_links l where l.child_id = u.id and ",
                valid_at!("l"),
                ")",
                " order by u.code"
            ))
            .bind(date)
            .fetch_all(p)
            .await?
        });
        rows(recs)
    }

    pub async fn unit(&self, id: UnitId, as_of: Date) -> StoreResult<Option<UnitRow>> {
        let rec: Option<UnitRecord> = on_pool!(self, |p| {
            sqlx::query_as(concat!(
                "select ",
                unit_cols!(),
                " from org_units u where u.id = $2"
            ))
            .bind(as_of)
            .bind(id.0)
            .fetch_optional(p)
            .await?
        });
        rec.map(UnitRow::try_from).transpose()
    }

    /// Every unit that has carried `code` (in `list`, or in any list), at
    /// any time, latest first.
    pub async fn units_by_code(
        &self,
        code: &str,
        list: Option<CodeList>,
        as_of: Date,
    ) -> StoreResult<Vec<UnitRow>> {
        let list = list.map(CodeList::as_str);
        let code = code.trim().to_ascii_uppercase();
        let recs: Vec<UnitRecord> = on_pool!(self, |p| {
            sqlx::query_as(concat!(
                "select distinct ",
                unit_cols!(),
                " from org_units u join org_unit_codes c on c.unit_id = u.id",
                " where c.code = $2 and (cast($3 as text) is null or c.code_list = $3)"
            ))
            .bind(as_of)
            .bind(&code)
            .bind(list)
            .fetch_all(p)
            .await?
        });
        let mut units = rows(recs)?;
        units.sort_by_key(|u| std::cmp::Reverse(u.period.from));
        Ok(units)
    }

    /// The unit known by `code` on `date`: the one valid then, else the most
    /// recent one that had ended by then (whose successors say what it became).
    pub async fn resolve_code(
        &self,
        code: &str,
        list: Option<CodeList>,
        date: Date,
    ) -> StoreResult<Option<UnitRow>> {
        let units = self.units_by_code(code, list, date).await?;
        if let Some(u) = units.iter().find(|u| u.period.contains(date)) {
            return Ok(Some(u.clone()));
        }
        Ok(units
            .into_iter()
            .filter(|u| u.period.until.is_some_and(|until| until <= date))
            .max_by_key(|u| u.period.until))
    }

    pub async fn children_as_of(&self, parent: UnitId, date: Date) -> StoreResult<Vec<UnitRow>> {
        let recs: Vec<UnitRecord> = on_pool!(self, |p| {
            sqlx::query_as(concat!(
                "select ",
                unit_cols!(),
                " from org_links l join org_units u on u.id = l.child_id",
                " where l.parent_id = $2 and ",
                valid_at!("l"),
                " and ",
                valid_at!("u"),
                " order by u.kind, u.code"
            ))
            .bind(date)
            .bind(parent.0)
            .fetch_all(p)
            .await?
        });
        rows(recs)
    }

    /// Parent, grandparent… up to the root, as of `date`.
    pub async fn ancestors_as_of(&self, id: UnitId, date: Date) -> StoreResult<Vec<UnitRow>> {
        // One indexed step per level (a tree is a few levels deep); the
        // recursive form is planned with full scans on PostgreSQL.
        let mut out: Vec<UnitRow> = Vec::new();
        let mut cur = id;
        for _ in 0..32 {
            let rec: Option<UnitRecord> = on_pool!(self, |p| {
                sqlx::query_as(concat!(
                    "select ",
                    unit_cols!(),
                    " from org_links l join org_units u on u.id = l.parent_id",
                    " where l.child_id = $2 and ",
                    valid_at!("l"),
                    " limit 1"
                ))
                .bind(date)
                .bind(cur.0)
                .fetch_optional(p)
                .await?
            });
            let Some(parent) = rec.map(UnitRow::try_from).transpose()? else {
                break;
            };
            if parent.id == id || out.iter().any(|u| u.id == parent.id) {
                break;
            }
            cur = parent.id;
            out.push(parent);
        }
        Ok(out)
    }

    /// A fingerprint of the organisation registry that changes with any
    /// new unit, link or reorganisation: the key of derived caches.
    pub async fn org_version(&self) -> StoreResult<(i64, i64, i64)> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select (select count(*) from org_units), \
                 (select coalesce(max(id), 0) + count(*) from org_links), \
                 (select count(*) from reorg_events)",
            )
            .fetch_one(p)
            .await?
        }))
    }

    /// Every unit that was ever under `root`, at any time (root
    /// excluded): the registry counts a unit's awards under the trees it
    /// stood in, including units that ended before today.
    pub async fn subtree_ever(&self, root: UnitId) -> StoreResult<Vec<i64>> {
        let mut out = Vec::new();
        let mut parents = vec![root.0];
        let mut seen: HashSet<i64> = HashSet::from([root.0]);
        let mut depth = 0;
        while !parents.is_empty() && depth < 32 {
            depth += 1;
            let mut level = Vec::new();
            for chunk in parents.chunks(BATCH) {
                let placeholders: Vec<String> =
                    (0..chunk.len()).map(|i| format!("${}", i + 1)).collect();
                let sql = format!(
                    "select child_id from org_links where parent_id in ({})",
                    placeholders.join(", ")
                );
                let ids: Vec<(i64,)> = on_pool!(self, |p| {
                    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    q.fetch_all(p).await?
                });
                level.extend(ids.into_iter().map(|r| r.0).filter(|id| seen.insert(*id)));
            }
            out.extend(level.iter().copied());
            parents = level;
        }
        Ok(out)
    }

    /// The whole subtree under `root` as of `date` (root excluded), with the
    /// depth of each unit below the root.
    pub async fn subtree_as_of(
        &self,
        root: UnitId,
        date: Date,
    ) -> StoreResult<Vec<(UnitRow, i32)>> {
        // Level by level rather than one recursive query: each level is an
        // indexed lookup of the parents' links, whereas PostgreSQL plans the
        // recursive form with full scans (it cannot estimate the work table).
        let mut out = Vec::new();
        let mut parents = vec![root.0];
        let mut seen: HashSet<i64> = HashSet::from([root.0]);
        let mut depth = 0;
        while !parents.is_empty() && depth < 32 {
            depth += 1;
            let mut level: Vec<UnitRow> = Vec::new();
            for chunk in parents.chunks(BATCH) {
                // Only numbered placeholders are spliced in; the values are bound.
                let placeholders: Vec<String> =
                    (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
                let sql = format!(
                    "{} l.parent_id in ({})",
                    concat!(
                        "select ",
                        unit_cols!(),
                        " from org_links l join org_units u on u.id = l.child_id where ",
                        valid_at!("l"),
                        " and ",
                        valid_at!("u"),
                        " and"
                    ),
                    placeholders.join(", ")
                );
                let recs: Vec<UnitRecord> = on_pool!(self, |p| {
                    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(date);
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    q.fetch_all(p).await?
                });
                level.extend(rows(recs)?);
            }
            level.retain(|u| seen.insert(u.id.0));
            level.sort_by(|a, b| a.code.cmp(&b.code));
            parents = level.iter().map(|u| u.id.0).collect();
            out.extend(level.into_iter().map(|u| (u, depth)));
        }
        Ok(out)
    }

    /// What `id` became: the successors named by events where it was a predecessor.
    pub async fn successors(&self, id: UnitId) -> StoreResult<Vec<EventLink>> {
        self.event_links(id, "predecessor", "successor").await
    }

    /// Which units became `id`.
    pub async fn predecessors(&self, id: UnitId) -> StoreResult<Vec<EventLink>> {
        self.event_links(id, "successor", "predecessor").await
    }

    async fn event_links(
        &self,
        id: UnitId,
        my_role: &str,
        other_role: &str,
    ) -> StoreResult<Vec<EventLink>> {
        // Names are shown as of the day before the event for predecessors and
        // the event day for successors, i.e. as the unit was called then.
        let recs: Vec<EventRecord> = on_pool!(self, |p| {
            sqlx::query_as(concat!(
                "select e.id as event_id, e.kind as event_kind, e.effective,",
                " (case when me.role = 'predecessor' then me.partial else o.partial end) as partial,",
                " (case when me.role = 'predecessor' then me.is_primary else o.is_primary end) as is_primary,",
                " u.id, u.code, u.code_list, u.kind, u.admin_type, u.name, u.short_name, u.valid_from, u.valid_until",
                " from reorg_event_units me join reorg_events e on e.id = me.event_id",
                " join reorg_event_units o on o.event_id = e.id and o.role = $3",
                " join org_units u on u.id = o.unit_id",
                " where me.unit_id = $1 and me.role = $2 order by e.effective, u.code"
            ))
            .bind(id.0)
            .bind(my_role)
            .bind(other_role)
            .fetch_all(p)
            .await?
        });
        recs.into_iter()
            .map(|r| {
                Ok(EventLink {
                    event_id: r.event_id,
                    kind: ReorgKind::parse(&r.event_kind)?,
                    effective: r.effective,
                    partial: r.partial,
                    primary: r.is_primary,
                    unit: UnitRow::try_from(r.unit)?,
                })
            })
            .collect()
    }

    /// Follows successors from `id` until units valid on `date` are reached:
    /// "what is unit X part of on that day".
    pub async fn became_as_of(&self, id: UnitId, date: Date) -> StoreResult<Vec<EventLink>> {
        let mut out = Vec::new();
        let mut frontier = vec![id];
        let mut seen = HashSet::from([id]);
        while let Some(cur) = frontier.pop() {
            for link in self.successors(cur).await? {
                if link.effective > date || !seen.insert(link.unit.id) {
                    continue;
                }
                if link.unit.period.contains(date) {
                    out.push(link);
                } else {
                    frontier.push(link.unit.id);
                }
            }
        }
        out.sort_by(|a, b| {
            b.primary
                .cmp(&a.primary)
                .then(a.unit.code.cmp(&b.unit.code))
        });
        Ok(out)
    }

    /// How many user accounts exist: a database with any is someone's
    /// real data, which the demo must never be seeded into.
    pub async fn count_users(&self) -> StoreResult<i64> {
        let n: (i64,) = on_pool!(self, |p| {
            sqlx::query_as("select count(*) from users")
                .fetch_one(p)
                .await?
        });
        Ok(n.0)
    }

    pub async fn count_units(&self) -> StoreResult<i64> {
        let n: (i64,) = on_pool!(self, |p| {
            sqlx::query_as("select count(*) from org_units")
                .fetch_one(p)
                .await?
        });
        Ok(n.0)
    }
}
