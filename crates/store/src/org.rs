//! Organisation registry queries and writes.

use crate::audit::{Change, Who, record};
use crate::{StoreError, StoreResult, on_pool, parse_stored};
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use thidua_domain::date::Period;
use thidua_domain::official::ImportPlan;
use thidua_domain::org::{
    CodeList, OrgError, ParentLink, ReorgKind, UnitCode, UnitId, UnitKind, check_new_link,
};
use thidua_domain::text;
use time::Date;

/// A unit as shown: its code, kind, name as of the date asked, and validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRow {
    pub id: UnitId,
    pub code: String,
    pub code_list: CodeList,
    pub kind: UnitKind,
    pub admin_type: Option<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub period: Period,
}

#[derive(sqlx::FromRow)]
struct UnitRecord {
    id: i64,
    code: String,
    code_list: String,
    kind: String,
    admin_type: Option<String>,
    name: String,
    short_name: Option<String>,
    valid_from: Option<Date>,
    valid_until: Option<Date>,
}

impl TryFrom<UnitRecord> for UnitRow {
    type Error = StoreError;
    fn try_from(r: UnitRecord) -> StoreResult<UnitRow> {
        Ok(UnitRow {
            id: UnitId(r.id),
            code: r.code,
            code_list: CodeList::parse(&r.code_list)?,
            kind: UnitKind::parse(&r.kind)?,
            admin_type: r.admin_type,
            name: r.name,
            short_name: r.short_name,
            period: parse_stored(Period::new(r.valid_from, r.valid_until))?,
        })
    }
}

fn rows(records: Vec<UnitRecord>) -> StoreResult<Vec<UnitRow>> {
    records.into_iter().map(UnitRow::try_from).collect()
}

/// One side of a reorganisation event, seen from a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventLink {
    pub event_id: i64,
    pub kind: ReorgKind,
    pub effective: Date,
    /// The unit on the other side of the event.
    pub unit: UnitRow,
    /// Only part of the predecessor went into the successor.
    pub partial: bool,
    /// The predecessor's main successor.
    pub primary: bool,
}

#[derive(sqlx::FromRow)]
struct EventRecord {
    event_id: i64,
    event_kind: String,
    effective: Date,
    partial: bool,
    is_primary: bool,
    #[sqlx(flatten)]
    unit: UnitRecord,
}

/// What an import changed. A second identical import reports zeros.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub units_inserted: usize,
    pub units_updated: usize,
    pub units_unchanged: usize,
    pub links_inserted: usize,
    pub events_inserted: usize,
}

impl ImportReport {
    pub fn changed_anything(&self) -> bool {
        self.units_inserted + self.units_updated + self.links_inserted + self.events_inserted > 0
    }
}

/// An organisation to add under a parent.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: UnitCode,
    pub kind: UnitKind,
    pub admin_type: Option<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub parent: Option<UnitId>,
    pub valid_from: Option<Date>,
}

/// Columns of a unit `u`, its name as of `$1` (a renamed unit shows its old
/// name for dates before the rename).
macro_rules! unit_cols {
    () => {
        "u.id, u.code, u.code_list, u.kind, u.admin_type, \
         coalesce((select h.name from org_unit_names h where h.unit_id = u.id and h.valid_until > $1 \
                   and (h.valid_from is null or h.valid_from <= $1) order by h.valid_until limit 1), u.name) as name, \
         u.short_name, u.valid_from, u.valid_until"
    };
}

/// `$1` falls inside the validity of the row aliased `$t`.
macro_rules! valid_at {
    ($t:literal) => {
        concat!(
            "(",
            $t,
            ".valid_from is null or ",
            $t,
            ".valid_from <= $1) and (",
            $t,
            ".valid_until is null or ",
            $t,
            ".valid_until > $1)"
        )
    };
}

/// Inserts a unit, its code and its parent link inside transaction `$tx`;
/// evaluates to the new id.
macro_rules! insert_unit {
    ($tx:expr, $new:expr) => {{
        let new: &NewUnit = $new;
        let name = text::normalize(&new.name);
        let list = if new.code.is_official() { CodeList::Y2025 } else { CodeList::Local };
        let (id,): (i64,) = sqlx::query_as(
            "insert into org_units (code, code_list, kind, admin_type, name, short_name, name_folded, valid_from) \
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        )
        .bind(new.code.as_str())
        .bind(list.as_str())
        .bind(new.kind.as_str())
        .bind(&new.admin_type)
        .bind(&name)
        .bind(new.short_name.as_deref().map(text::normalize))
        .bind(text::fold(&name))
        .bind(new.valid_from)
        .fetch_one(&mut *$tx)
        .await?;
        sqlx::query("insert into org_unit_codes (unit_id, code_list, code) values ($1, $2, $3)")
            .bind(id)
            .bind(list.as_str())
            .bind(new.code.as_str())
            .execute(&mut *$tx)
            .await
            .map_err(|e| duplicate_code(e, &new.code))?;
        if let Some(parent) = new.parent {
            // A link cannot outlive the parent it points to.
            sqlx::query(
                "insert into org_links (child_id, parent_id, valid_from, valid_until) \
                 values ($1, $2, $3, (select valid_until from org_units where id = $2))",
            )
            .bind(id)
            .bind(parent.0)
            .bind(new.valid_from)
            .execute(&mut *$tx)
            .await?;
        }
        id
    }};
}

/// A unit the official import wrote before.
#[derive(sqlx::FromRow)]
struct ExistingUnit {
    id: i64,
    official_key: String,
    kind: String,
    name: String,
    admin_type: Option<String>,
    short_name: Option<String>,
    valid_from: Option<Date>,
    valid_until: Option<Date>,
}

/// Inserts a reorganisation event inside transaction `$tx`; evaluates to its id.
macro_rules! insert_event {
    ($tx:expr, $kind:expr, $date:expr, $document:expr) => {{
        let kind: ReorgKind = $kind;
        let (id,): (i64,) = sqlx::query_as(
            "insert into reorg_events (kind, effective, document) values ($1, $2, $3) returning id",
        )
        .bind(kind.as_str())
        .bind($date)
        .bind($document)
        .fetch_one(&mut *$tx)
        .await?;
        id
    }};
}

const BATCH: usize = 400;

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

    pub async fn count_units(&self) -> StoreResult<i64> {
        let n: (i64,) = on_pool!(self, |p| {
            sqlx::query_as("select count(*) from org_units")
                .fetch_one(p)
                .await?
        });
        Ok(n.0)
    }

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
            on_pool!(self, |p| {
                sqlx::query("analyze").execute(p).await?;
            });
        }
        Ok(report)
    }
}

fn duplicate_code(e: sqlx::Error, code: &UnitCode) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Org(OrgError::InvalidCode(format!("{code} (mã đã được dùng)")))
        }
        _ => StoreError::Database(e),
    }
}
