//! Appending to and reading the audit log. Every write of the store records
//! its change through [`record!`] inside the same transaction, so a change
//! and its audit entry land together or not at all.

use crate::{StoreResult, on_pool};
use serde::Serialize;
use thidua_domain::audit::{self, ChainError, StoredEntry};

/// Who makes a change, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Who {
    pub user_id: Option<i64>,
    pub login: String,
    pub ip: Option<String>,
}

impl Who {
    /// A change made by the system itself (CLI imports, the demo).
    pub fn system(what: &str) -> Who {
        Who {
            user_id: None,
            login: format!("system:{what}"),
            ip: None,
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Change {
    pub fn new(
        action: &'static str,
        object_type: &'static str,
        object_id: impl ToString,
    ) -> Change {
        Change {
            action,
            object_type,
            object_id: Some(object_id.to_string()),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, v: serde_json::Value) -> Change {
        self.before = Some(v);
        self
    }

    pub fn before_opt(mut self, v: Option<serde_json::Value>) -> Change {
        self.before = v;
        self
    }

    pub fn after(mut self, v: serde_json::Value) -> Change {
        self.after = Some(v);
        self
    }
}

/// Appends `$change` made by `$who` inside transaction `$tx` of dialect `$d`.
/// The lock serialises appenders so the chain never forks.
macro_rules! record {
    ($tx:expr, $d:expr, $who:expr, $change:expr) => {{
        let who: &$crate::audit::Who = $who;
        let change: $crate::audit::Change = $change;
        sqlx::query($d.lock_audit).execute(&mut *$tx).await?;
        let prev: Option<(String,)> = sqlx::query_as("select hash from audit_log order by id desc limit 1")
            .fetch_optional(&mut *$tx)
            .await?;
        let prev = prev.map(|p| p.0).unwrap_or_else(|| thidua_domain::audit::GENESIS.to_owned());
        let at = thidua_domain::audit::timestamp(time::OffsetDateTime::now_utc());
        let before = change.before.as_ref().map(|v| v.to_string());
        let after = change.after.as_ref().map(|v| v.to_string());
        let fields = thidua_domain::audit::AuditFields {
            at: &at,
            actor_id: who.user_id,
            actor_login: &who.login,
            ip: who.ip.as_deref(),
            action: change.action,
            object_type: change.object_type,
            object_id: change.object_id.as_deref(),
            before_json: before.as_deref(),
            after_json: after.as_deref(),
        };
        let hash = thidua_domain::audit::entry_hash(&prev, &fields);
        sqlx::query(
            "insert into audit_log (at, actor_id, actor_login, ip, action, object_type, object_id, before_json, after_json, prev_hash, hash) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&at)
        .bind(who.user_id)
        .bind(&who.login)
        .bind(&who.ip)
        .bind(change.action)
        .bind(change.object_type)
        .bind(&change.object_id)
        .bind(&before)
        .bind(&after)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use record;

#[derive(sqlx::FromRow)]
struct EntryRecord {
    id: i64,
    at: String,
    actor_id: Option<i64>,
    actor_login: String,
    ip: Option<String>,
    action: String,
    object_type: String,
    object_id: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<EntryRecord> for StoredEntry {
    fn from(r: EntryRecord) -> StoredEntry {
        StoredEntry {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor_login: r.actor_login,
            ip: r.ip,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            before_json: r.before_json,
            after_json: r.after_json,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Filters of the audit page. Empty means "any".
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
}

const COLS: &str = "id, at, actor_id, actor_login, ip, action, object_type, object_id, before_json, after_json, prev_hash, hash";

impl crate::Store {
    /// Entries matching `f`, newest first, one page, and the total count.
    pub async fn audit_page(
        &self,
        f: &AuditFilter,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<StoredEntry>, i64)> {
        let (recs, total): (Vec<EntryRecord>, i64) = on_pool!(self, |p| {
            let mut where_ = String::from(" where 1 = 1");
            let mut binds: Vec<String> = Vec::new();
            for (col, val) in [
                ("actor_login", &f.actor),
                ("action", &f.action),
                ("object_type", &f.object_type),
                ("object_id", &f.object_id),
            ] {
                if let Some(v) = val.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                    binds.push(v.to_owned());
                    where_.push_str(&format!(" and {col} = ${}", binds.len()));
                }
            }
            let count_sql = format!("select count(*) from audit_log{where_}");
            let mut count = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(count_sql));
            for b in &binds {
                count = count.bind(b.clone());
            }
            let (total,) = count.fetch_one(p).await?;
            let page_sql = format!(
                "select {COLS} from audit_log{where_} order by id desc limit ${} offset ${}",
                binds.len() + 1,
                binds.len() + 2
            );
            let mut q = sqlx::query_as::<_, EntryRecord>(sqlx::AssertSqlSafe(page_sql));
            for b in &binds {
                q = q.bind(b.clone());
            }
            (q.bind(limit).bind(offset).fetch_all(p).await?, total)
        });
        Ok((recs.into_iter().map(StoredEntry::from).collect(), total))
    }

    /// Recomputes the whole chain, in pages, oldest first.
    pub async fn audit_verify(&self) -> StoreResult<Result<usize, ChainError>> {
        let mut prev = audit::GENESIS.to_owned();
        let mut after_id = 0i64;
        let mut checked = 0usize;
        loop {
            let recs: Vec<EntryRecord> = on_pool!(self, |p| {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "select {COLS} from audit_log where id > $1 order by id limit 5000"
                )))
                .bind(after_id)
                .fetch_all(p)
                .await?
            });
            let Some(last) = recs.last() else {
                return Ok(Ok(checked));
            };
            after_id = last.id;
            match audit::verify(recs.into_iter().map(StoredEntry::from), prev) {
                Ok((n, last_hash)) => {
                    checked += n;
                    prev = last_hash;
                }
                Err(e) => return Ok(Err(e)),
            }
        }
    }

    pub async fn audit_count(&self) -> StoreResult<i64> {
        let (n,): (i64,) = on_pool!(self, |p| sqlx::query_as("select count(*) from audit_log")
            .fetch_one(p)
            .await?);
        Ok(n)
    }

    /// A number that grows with every change: the last audit entry. Every
    /// write is audited in its own transaction, so a computed page keyed by
    /// this mark is current exactly as long as the mark is unchanged.
    pub async fn change_mark(&self) -> StoreResult<i64> {
        self.mark_where("").await
    }

    /// The last change that can alter a movement's report: everything but
    /// what reports never read (sign-ins, accounts, dossiers, the registry,
    /// reviews, decisions, clusters, settings) and values entered but not
    /// yet approved (reports count approved values only). Listing what to
    /// leave out, not what to keep, errs on the safe side: a new kind of
    /// change empties the kept reports until it is listed here.
    pub async fn report_mark(&self) -> StoreResult<i64> {
        const NEVER_READ: [&str; 13] = [
            "session.",
            "user.",
            "token.",
            "setting.",
            "dossier.",
            "registry.",
            "review.",
            "decision.",
            "catalogue.",
            "calendar.",
            "cluster.",
            "person.",
            "procedure.",
        ];
        let mut filter: String = NEVER_READ
            .iter()
            .map(|p| format!(" and action not like '{p}%'"))
            .collect();
        filter.push_str(" and action <> 'values.enter'");
        self.mark_where(&filter).await
    }

    async fn mark_where(&self, filter: &str) -> StoreResult<i64> {
        let sql = format!("select max(id) from audit_log where 1 = 1{filter}");
        let (n,): (Option<i64>,) =
            on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .fetch_one(p)
                .await?);
        Ok(n.unwrap_or(0))
    }
}
