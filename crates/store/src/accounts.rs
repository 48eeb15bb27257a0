//! Accounts (tài khoản), sessions and API tokens.

use crate::audit::{Change, Who, record};
use crate::{StoreError, StoreResult, on_pool};
use serde::Serialize;
use serde_json::json;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Role;

#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub unit: Option<UnitId>,
    /// An argon2 PHC string; the store never sees a password.
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub active: bool,
    pub failed_logins: i32,
    pub locked_until: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UserRecord {
    id: i64,
    login: String,
    full_name: String,
    role: String,
    unit_id: Option<i64>,
    active: bool,
    failed_logins: i32,
    locked_until: Option<String>,
}

impl TryFrom<UserRecord> for UserRow {
    type Error = StoreError;
    fn try_from(r: UserRecord) -> StoreResult<UserRow> {
        Ok(UserRow {
            id: r.id,
            login: r.login,
            full_name: r.full_name,
            role: Role::parse(&r.role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            unit_id: r.unit_id.map(UnitId),
            active: r.active,
            failed_logins: r.failed_logins,
            locked_until: r.locked_until,
        })
    }
}

const USER_COLS: &str =
    "u.id, u.login, u.full_name, u.role, u.unit_id, u.active, u.failed_logins, u.locked_until";

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user: UserRow,
    pub csrf_token: String,
    pub expires_at: String,
}

/// An API token as administrators see it (never the secret).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

fn conflict(e: sqlx::Error, what: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(what.to_owned())
        }
        _ => StoreError::Database(e),
    }
}

impl crate::Store {
    pub async fn create_user(&self, who: &Who, u: &NewUser) -> StoreResult<i64> {
        let id: i64 = on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into users (login, full_name, role, unit_id, password_hash) values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(&u.login)
            .bind(&u.full_name)
            .bind(u.role.as_str())
            .bind(u.unit.map(|x| x.0))
            .bind(&u.password_hash)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, "tên đăng nhập đã được dùng"))?;
            record!(
                tx,
                d,
                who,
                Change::new("user.create", "user", id).after(json!({
                    "login": u.login, "full_name": u.full_name, "role": u.role.as_str(), "unit_id": u.unit.map(|x| x.0),
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn user(&self, id: i64) -> StoreResult<Option<UserRow>> {
        let r: Option<UserRecord> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {USER_COLS} from users u where u.id = $1"
            )))
            .bind(id)
            .fetch_optional(p)
            .await?
        });
        r.map(UserRow::try_from).transpose()
    }

    /// The account and its password hash, for logging in.
    pub async fn user_for_login(&self, login: &str) -> StoreResult<Option<(UserRow, String)>> {
        #[derive(sqlx::FromRow)]
        struct Rec {
            #[sqlx(flatten)]
            user: UserRecord,
            password_hash: String,
        }
        let r: Option<Rec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {USER_COLS}, u.password_hash from users u where u.login = $1"
            )))
            .bind(login)
            .fetch_optional(p)
            .await?
        });
        r.map(|r| Ok((UserRow::try_from(r.user)?, r.password_hash)))
            .transpose()
    }

    /// One page of accounts, filtered by a text in login or name and by role,
    /// sorted by `sort` (login, name, role; `-` prefix for descending).
    pub async fn users_page(
        &self,
        q: &str,
        role: Option<Role>,
        sort: &str,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<UserRow>, i64)> {
        let order = match sort {
            "-login" => "u.login desc",
            "name" => "u.full_name, u.login",
            "-name" => "u.full_name desc, u.login",
            "role" => "u.role, u.login",
            "-role" => "u.role desc, u.login",
            _ => "u.login",
        };
        let pattern = format!(
            "%{}%",
            q.trim()
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let role = role.map(Role::as_str);
        let (recs, total): (Vec<UserRecord>, i64) = on_pool!(self, |p| {
            let filter = "(lower(u.login) like $1 escape '\\' or lower(u.full_name) like $1 escape '\\') \
                          and (cast($2 as text) is null or u.role = $2)";
            let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select count(*) from users u where {filter}"
            )))
            .bind(&pattern)
            .bind(role)
            .fetch_one(p)
            .await?;
            let recs = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {USER_COLS} from users u where {filter} order by {order} limit $3 offset $4"
            )))
            .bind(&pattern)
            .bind(role)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?;
            (recs, total)
        });
        Ok((
            recs.into_iter()
                .map(UserRow::try_from)
                .collect::<StoreResult<_>>()?,
            total,
        ))
    }

    /// The active accounts that may work over a unit whose policy chain
    /// (itself and the units above it) is `chain`, in one query: those tied
    /// to a unit of the chain, those tied to a unit that has ended (they
    /// work in what it became, which the policy decides) and those tied to
    /// none (administrators). A superset: the caller asks the policy of each.
    pub async fn accounts_over(&self, chain: &[UnitId]) -> StoreResult<Vec<UserRow>> {
        // Only numbered placeholders are spliced in; the values are bound.
        let placeholders: Vec<String> = (1..=chain.len()).map(|i| format!("${i}")).collect();
        let in_chain = if chain.is_empty() {
            "false".to_owned()
        } else {
            format!("u.unit_id in ({})", placeholders.join(", "))
        };
        let sql = format!(
            "select {USER_COLS} from users u where u.active and (u.unit_id is null or {in_chain} \
             or u.unit_id in (select id from org_units where valid_until is not null)) \
             order by u.login"
        );
        let recs: Vec<UserRecord> = on_pool!(self, |p| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for id in chain {
                q = q.bind(id.0);
            }
            q.fetch_all(p).await?
        });
        recs.into_iter().map(UserRow::try_from).collect()
    }

    pub async fn set_password(
        &self,
        who: &Who,
        user_id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> StoreResult<()> {
        on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            sqlx::query("update users set password_hash = $1, failed_logins = 0, locked_until = null where id = $2")
                .bind(password_hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            // Other sessions of the account end with the old password.
            sqlx::query("delete from sessions where user_id = $1 and id_hash <> coalesce(cast($2 as text), '')")
                .bind(user_id)
                .bind(keep_session)
                .execute(&mut *tx)
                .await?;
            record!(tx, d, who, Change::new("user.password", "user", user_id));
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn set_user_active(&self, who: &Who, user_id: i64, active: bool) -> StoreResult<()> {
        on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let n = sqlx::query("update users set active = $1, failed_logins = 0, locked_until = null where id = $2")
                .bind(active)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound("tài khoản".into()));
            }
            if !active {
                sqlx::query("delete from sessions where user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new(
                    if active {
                        "user.activate"
                    } else {
                        "user.deactivate"
                    },
                    "user",
                    user_id
                )
                .after(json!({ "active": active }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records that wrong passwords locked a login for one client (the
    /// account itself stays open for everyone else).
    pub async fn login_locked(
        &self,
        who: &Who,
        user_id: i64,
        seconds: i64,
        nth: u32,
    ) -> StoreResult<()> {
        on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            record!(
                tx,
                d,
                who,
                Change::new("user.locked", "user", user_id).after(json!({
                    "client": who.ip, "seconds": seconds, "lock": nth,
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// A server setting, created with `value` the first time it is asked
    /// for: every process on the database gets the same one. The value is
    /// not audited (it may be a secret), its creation is.
    pub async fn setting_or_create(
        &self,
        who: &Who,
        key: &str,
        value: &str,
    ) -> StoreResult<String> {
        on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let created = sqlx::query(
                "insert into settings (key, value) values ($1, $2) on conflict (key) do nothing",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if created > 0 {
                record!(tx, d, who, Change::new("setting.create", "setting", key));
            }
            tx.commit().await?;
        });
        let (v,): (String,) = on_pool!(self, |p| sqlx::query_as(
            "select value from settings where key = $1"
        )
        .bind(key)
        .fetch_one(p)
        .await?);
        Ok(v)
    }

    /// Opens a session after a successful login.
    pub async fn create_session(
        &self,
        who: &Who,
        user_id: i64,
        id_hash: &str,
        csrf: &str,
        created_at: &str,
        expires_at: &str,
    ) -> StoreResult<()> {
        on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            sqlx::query("update users set failed_logins = 0, locked_until = null where id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from sessions where expires_at <= $1")
                .bind(created_at)
                .execute(&mut *tx)
                .await?;
            sqlx::query("insert into sessions (id_hash, user_id, csrf_token, created_at, expires_at, ip) values ($1, $2, $3, $4, $5, $6)")
                .bind(id_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(created_at)
                .bind(expires_at)
                .bind(&who.ip)
                .execute(&mut *tx)
                .await?;
            record!(tx, d, who, Change::new("session.login", "user", user_id));
            tx.commit().await?;
        });
        Ok(())
    }

    /// The live session with this hash, if it has not expired and its
    /// account is active.
    pub async fn session(&self, id_hash: &str, now: &str) -> StoreResult<Option<SessionInfo>> {
        #[derive(sqlx::FromRow)]
        struct Rec {
            #[sqlx(flatten)]
            user: UserRecord,
            csrf_token: String,
            expires_at: String,
        }
        let r: Option<Rec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {USER_COLS}, s.csrf_token, s.expires_at from sessions s join users u on u.id = s.user_id \
                 where s.id_hash = $1 and s.expires_at > $2 and u.active"
            )))
            .bind(id_hash)
            .bind(now)
            .fetch_optional(p)
            .await?
        });
        r.map(|r| {
            Ok(SessionInfo {
                user: UserRow::try_from(r.user)?,
                csrf_token: r.csrf_token,
                expires_at: r.expires_at,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, who: &Who, id_hash: &str) -> StoreResult<()> {
        on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let n = sqlx::query("delete from sessions where id_hash = $1")
                .bind(id_hash)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0
                && let Some(uid) = who.user_id
            {
                record!(tx, d, who, Change::new("session.logout", "user", uid));
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn create_token(
        &self,
        who: &Who,
        user_id: i64,
        name: &str,
        token_hash: &str,
        now: &str,
    ) -> StoreResult<i64> {
        let id: i64 = on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into api_tokens (user_id, name, token_hash, created_at) values ($1, $2, $3, $4) returning id",
            )
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound("tài khoản".into()),
                _ => StoreError::Database(e),
            })?;
            record!(
                tx,
                d,
                who,
                Change::new("token.create", "token", id)
                    .after(json!({ "user_id": user_id, "name": name }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn revoke_token(&self, who: &Who, id: i64, now: &str) -> StoreResult<()> {
        on_pool!(self, |p, d| {
            let mut tx = p.begin_with(d.begin_write).await?;
            let n = sqlx::query(
                "update api_tokens set revoked_at = $1 where id = $2 and revoked_at is null",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound("mã truy cập".into()));
            }
            record!(tx, d, who, Change::new("token.revoke", "token", id));
            tx.commit().await?;
        });
        Ok(())
    }

    /// The active user a live token belongs to.
    pub async fn user_for_token(&self, token_hash: &str) -> StoreResult<Option<UserRow>> {
        let r: Option<UserRecord> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {USER_COLS} from api_tokens t join users u on u.id = t.user_id \
                 where t.token_hash = $1 and t.revoked_at is null and u.active"
            )))
            .bind(token_hash)
            .fetch_optional(p)
            .await?
        });
        r.map(UserRow::try_from).transpose()
    }

    pub async fn tokens(&self) -> StoreResult<Vec<ApiToken>> {
        type Rec = (i64, i64, String, String, String, Option<String>);
        let recs: Vec<Rec> = on_pool!(self, |p| {
            sqlx::query_as(
                "select t.id, t.user_id, u.login, t.name, t.created_at, t.revoked_at from api_tokens t \
                 join users u on u.id = t.user_id order by t.id desc",
            )
            .fetch_all(p)
            .await?
        });
        Ok(recs
            .into_iter()
            .map(
                |(id, user_id, login, name, created_at, revoked_at)| ApiToken {
                    id,
                    user_id,
                    login,
                    name,
                    created_at,
                    revoked_at,
                },
            )
            .collect())
    }
}
