//! Accounts and access: password hashing, logins with lockout, sessions,
//! API tokens, and the bridge from a user to the domain policy (their scope
//! as of today, the chain of the object they touch).

use crate::{AppError, AppResult};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use thidua_domain::audit::timestamp;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{Action, Actor, Denied, Object, Role, authorize};
use thidua_store::{NewUser, SessionInfo, Store, UserRow, Who};
use time::{Date, Duration, OffsetDateTime};

/// Security settings. Defaults: 5 wrong passwords in a row from one
/// client lock that login for that client 15 minutes, doubling with each
/// repeat (at most a day); a session lasts 8 hours (a working day).
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub max_failures: i32,
    pub lock_minutes: i64,
    pub session_hours: i64,
    /// The failures counted so far, shared by every request of the process.
    pub throttle: std::sync::Arc<std::sync::Mutex<thidua_domain::login::Throttle>>,
}

impl AuthConfig {
    pub fn rule(&self) -> thidua_domain::login::ThrottleRule {
        thidua_domain::login::ThrottleRule {
            max_failures: self.max_failures.max(1) as u32,
            first_lock_seconds: self.lock_minutes.max(1) * 60,
            ..Default::default()
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            max_failures: 5,
            lock_minutes: 15,
            session_hours: 8,
            throttle: Default::default(),
        }
    }
}

/// Minimum password length.
pub const MIN_PASSWORD: usize = thidua_domain::password::MIN_CHARS;

/// Why a login did not open a session. The messages do not tell a stranger
/// whether the account exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("Tên đăng nhập hoặc mật khẩu không đúng.")]
    BadCredentials,
    #[error("Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau {minutes} phút.")]
    Locked { minutes: i64 },
}

pub use crate::error::PasswordError;

pub fn sha256_hex(s: &str) -> String {
    sha256_bytes(s.as_bytes())
}

/// The SHA-256 of bytes, as lower-case hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new random secret (32 bytes, URL-safe) with an optional prefix.
pub fn random_secret(prefix: &str) -> AppResult<String> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    ))
}

/// Hashes a new password of `login` with argon2id (on a blocking thread:
/// it is slow on purpose), once the password rules accept it.
pub async fn hash_password(password: &str, login: &str) -> AppResult<String> {
    thidua_domain::password::check(password, login)
        .map_err(|p| AppError::Password(PasswordError::Weak(p)))?;
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(pw.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify_password(password: &str, hash: &str) -> bool {
    let (pw, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// Spends the time of one password check when the login does not exist or
/// is inactive, so that response times do not tell which logins exist.
async fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let pw = password.to_owned();
    let _ = tokio::task::spawn_blocking(move || {
        let hash = DUMMY.get_or_init(|| {
            Argon2::default()
                .hash_password(b"thidua")
                .map(|h| h.to_string())
                .unwrap_or_default()
        });
        PasswordHash::new(hash)
            .is_ok_and(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
    })
    .await;
}

/// A session just opened: the cookie value goes to the browser, only its hash is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf_token: String,
    pub user: UserRow,
    pub max_age_seconds: i64,
}

/// Opens a session for a login and password typed by someone at `ip`.
/// Wrong passwords are counted per (login, client) in `cfg.throttle`, for
/// logins that exist and logins that do not alike, so neither the answer
/// nor its timing tells a stranger which accounts exist, and nobody can
/// lock an account out from another address.
pub async fn login(
    store: &Store,
    cfg: &AuthConfig,
    login: &str,
    password: &str,
    ip: Option<String>,
) -> AppResult<Result<NewSession, LoginError>> {
    use thidua_domain::login::{Failure, Gate};
    let now = OffsetDateTime::now_utc();
    let client = ip.clone().unwrap_or_else(|| "-".into());
    let throttle = || {
        cfg.throttle
            .lock()
            .map_err(|_| AppError::Internal("login throttle poisoned".into()))
    };
    if let Gate::Locked { seconds } = throttle()?.gate(login, &client, now.unix_timestamp()) {
        return Ok(Err(LoginError::Locked {
            minutes: (seconds + 59) / 60,
        }));
    }
    let user = match store.user_for_login(login.trim()).await? {
        Some((user, hash)) if user.active => {
            if verify_password(password, &hash).await {
                Ok(user)
            } else {
                Err(Some(user_ref(&user)))
            }
        }
        _ => {
            verify_dummy(password).await;
            Err(None)
        }
    };
    let user = match user {
        Ok(user) => user,
        Err(known) => {
            let failure = throttle()?.failed(&cfg.rule(), login, &client, now.unix_timestamp());
            return Ok(Err(match failure {
                Failure::Counted(_) => LoginError::BadCredentials,
                Failure::Locked { seconds, nth } => {
                    if let Some((id, login)) = known {
                        let who = Who {
                            user_id: Some(id),
                            login,
                            ip,
                        };
                        store.login_locked(&who, id, seconds, nth).await?;
                    }
                    LoginError::Locked {
                        minutes: (seconds + 59) / 60,
                    }
                }
            }));
        }
    };
    throttle()?.succeeded(login, &client);
    let who = Who {
        user_id: Some(user.id),
        login: user.login.clone(),
        ip,
    };
    let cookie = random_secret("")?;
    let csrf_token = random_secret("")?;
    let expires = now + Duration::hours(cfg.session_hours);
    store
        .create_session(
            &who,
            user.id,
            &sha256_hex(&cookie),
            &csrf_token,
            &timestamp(now),
            &timestamp(expires),
        )
        .await?;
    Ok(Ok(NewSession {
        cookie,
        csrf_token,
        user,
        max_age_seconds: cfg.session_hours * 3600,
    }))
}

fn user_ref(user: &UserRow) -> (i64, String) {
    (user.id, user.login.clone())
}

pub async fn session(store: &Store, cookie: &str) -> AppResult<Option<SessionInfo>> {
    Ok(store
        .session(&sha256_hex(cookie), &timestamp(OffsetDateTime::now_utc()))
        .await?)
}

pub async fn logout(store: &Store, who: &Who, cookie: &str) -> AppResult<()> {
    Ok(store.delete_session(who, &sha256_hex(cookie)).await?)
}

pub async fn change_password(
    store: &Store,
    who: &Who,
    user_id: i64,
    current: &str,
    new: &str,
    keep_cookie: Option<&str>,
) -> AppResult<()> {
    let user = store
        .user(user_id)
        .await?
        .ok_or_else(|| AppError::NotFound("tài khoản".into()))?;
    let Some((_, hash)) = store.user_for_login(&user.login).await? else {
        return Err(AppError::NotFound("tài khoản".into()));
    };
    if !verify_password(current, &hash).await {
        return Err(AppError::Password(PasswordError::WrongCurrent));
    }
    let new_hash = hash_password(new, &user.login).await?;
    let keep = keep_cookie.map(sha256_hex);
    Ok(store
        .set_password(who, user_id, &new_hash, keep.as_deref())
        .await?)
}

pub async fn create_user(
    store: &Store,
    who: &Who,
    login: &str,
    full_name: &str,
    role: Role,
    unit: Option<UnitId>,
    password: &str,
) -> AppResult<i64> {
    let login = login.trim();
    if login.len() < 3
        || !login
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err(AppError::Invalid {
            field: "login",
            message: "Tên đăng nhập gồm 3 ký tự trở lên: chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang.".into(),
        });
    }
    let name = thidua_domain::text::normalize(full_name);
    if name.is_empty() {
        return Err(AppError::Invalid {
            field: "full_name",
            message: "Họ và tên không được để trống.".into(),
        });
    }
    if !thidua_domain::policy::unscoped(role) && unit.is_none() {
        return Err(AppError::Invalid {
            field: "unit",
            message: "Tài khoản này cần thuộc một đơn vị.".into(),
        });
    }
    let password_hash = hash_password(password, login).await?;
    Ok(store
        .create_user(
            who,
            &NewUser {
                login: login.to_owned(),
                full_name: name,
                role,
                unit,
                password_hash,
            },
        )
        .await?)
}

/// Revokes an API token (administrators): it stops working at once.
pub async fn revoke_token(
    store: &Store,
    user: &UserRow,
    who: &Who,
    id: i64,
    today: Date,
) -> AppResult<()> {
    may_on_system(store, user, Action::ManageTokens, today)
        .await?
        .map_err(AppError::Denied)?;
    let now = timestamp(OffsetDateTime::now_utc());
    Ok(store.revoke_token(who, id, &now).await?)
}

/// Locks or unlocks an account (administrators). Nobody locks themselves
/// out: the last administrator would lose the system.
pub async fn set_user_active(
    store: &Store,
    user: &UserRow,
    who: &Who,
    id: i64,
    active: bool,
    today: Date,
) -> AppResult<()> {
    may_on_system(store, user, Action::ManageUsers, today)
        .await?
        .map_err(AppError::Denied)?;
    if id == user.id && !active {
        return Err(AppError::Invalid {
            field: "active",
            message: "Không thể tự khóa tài khoản của mình.".into(),
        });
    }
    Ok(store.set_user_active(who, id, active).await?)
}

/// A new API token for `user_id`: the secret is shown once, only its hash is kept.
pub async fn create_token(
    store: &Store,
    who: &Who,
    user_id: i64,
    name: &str,
) -> AppResult<(i64, String)> {
    let name = thidua_domain::text::normalize(name);
    if name.is_empty() {
        return Err(AppError::Invalid {
            field: "name",
            message: "Cần đặt tên cho mã truy cập.".into(),
        });
    }
    let token = random_secret("thd_")?;
    let id = store
        .create_token(
            who,
            user_id,
            &name,
            &sha256_hex(&token),
            &timestamp(OffsetDateTime::now_utc()),
        )
        .await?;
    Ok((id, token))
}

pub async fn token_user(store: &Store, token: &str) -> AppResult<Option<UserRow>> {
    Ok(store.user_for_token(&sha256_hex(token)).await?)
}

/// The user as the policy sees them: role and the units they work in today.
/// An account tied to a unit that was reorganised works in what it became.
pub async fn actor(store: &Store, user: &UserRow, today: Date) -> AppResult<Actor> {
    let mut roots = Vec::new();
    if let Some(unit) = user.unit_id
        && let Some(u) = store.unit(unit, today).await?
    {
        if u.period.contains(today) {
            roots.push(u.id);
        } else {
            roots.extend(
                store
                    .became_as_of(u.id, today)
                    .await?
                    .into_iter()
                    .map(|l| l.unit.id),
            );
        }
    }
    Ok(Actor {
        role: user.role,
        scope_roots: roots,
        unit: user.unit_id,
    })
}

/// A unit as the policy sees it: itself and every unit above it today
/// (for an ended unit: above it on its last day, and above what it became).
pub async fn unit_object(store: &Store, id: UnitId, today: Date) -> AppResult<Option<Object>> {
    let Some(u) = store.unit(id, today).await? else {
        return Ok(None);
    };
    let mut chain = BTreeSet::from([u.id]);
    if u.period.contains(today) {
        chain.extend(
            store
                .ancestors_as_of(u.id, today)
                .await?
                .into_iter()
                .map(|a| a.id),
        );
    } else {
        let last = u.period.last_day().unwrap_or(today);
        let ancestors = store.ancestors_as_of(u.id, last).await?;
        chain.extend(ancestors.iter().map(|a| a.id));
        // A former district of a merged province is in the scope of the
        // province its province became, as the former province itself is.
        for a in ancestors.iter().filter(|a| !a.period.contains(today)) {
            for b in store.became_as_of(a.id, today).await? {
                chain.insert(b.unit.id);
                chain.extend(
                    store
                        .ancestors_as_of(b.unit.id, today)
                        .await?
                        .into_iter()
                        .map(|x| x.id),
                );
            }
        }
        for b in store.became_as_of(u.id, today).await? {
            chain.insert(b.unit.id);
            chain.extend(
                store
                    .ancestors_as_of(b.unit.id, today)
                    .await?
                    .into_iter()
                    .map(|a| a.id),
            );
        }
    }
    Ok(Some(Object::Unit {
        id: u.id,
        chain: chain.into_iter().collect(),
    }))
}

/// The actor and the unit as the policy sees them, computed once so that
/// several actions can be decided without asking the store again.
pub async fn unit_access(
    store: &Store,
    user: &UserRow,
    unit: UnitId,
    today: Date,
) -> AppResult<Option<(Actor, Object)>> {
    let actor = actor(store, user, today).await?;
    Ok(unit_object(store, unit, today).await?.map(|o| (actor, o)))
}

/// The policy, answered for a user and a unit id (a missing unit is `None`).
pub async fn may_on_unit(
    store: &Store,
    user: &UserRow,
    action: Action,
    unit: UnitId,
    today: Date,
) -> AppResult<Option<Result<(), Denied>>> {
    Ok(unit_access(store, user, unit, today)
        .await?
        .map(|(a, o)| authorize(&a, action, &o)))
}

pub async fn may_on_system(
    store: &Store,
    user: &UserRow,
    action: Action,
    today: Date,
) -> AppResult<Result<(), Denied>> {
    let actor = actor(store, user, today).await?;
    Ok(authorize(&actor, action, &Object::System))
}

/// The address of a public feedback's sender as kept: a SHA-256 salted
/// with this server's secret (made once, kept in the database), so the
/// daily limit can count per address without the address being
/// recoverable from the hash.
pub async fn feedback_address_hash(store: &Store, address: &str) -> AppResult<String> {
    let secret = store
        .setting_or_create(
            &Who::system("feedback"),
            "feedback_salt",
            &random_secret("")?,
        )
        .await?;
    Ok(sha256_hex(&format!("feedback:{secret}:{address}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let h = hash_password("mật khẩu đủ dài", "hoa.snv")
            .await
            .expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu đủ dài", &h).await);
        assert!(!verify_password("sai mật khẩu", &h).await);
        assert!(matches!(
            hash_password("ngắn", "hoa.snv").await,
            Err(AppError::Password(PasswordError::Weak(
                thidua_domain::password::PasswordProblem::TooShort
            )))
        ));
    }

    #[test]
    fn secrets_are_random_and_url_safe() {
        let a = random_secret("thd_").expect("secret");
        let b = random_secret("thd_").expect("secret");
        assert_ne!(a, b);
        assert!(a.starts_with("thd_") && a.len() > 40);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_eq!(sha256_hex("abc").len(), 64);
    }

    thidua_store::engine_tests!(lockout_after_repeated_failures, |store| async move {
        let who = Who::system("test");
        create_user(
            store,
            &who,
            "hoa",
            "Nguyễn Thị Hoa",
            Role::Admin,
            None,
            "mat-khau-dung-1",
        )
        .await
        .expect("user");
        let cfg = AuthConfig {
            max_failures: 3,
            ..AuthConfig::default()
        };
        for _ in 0..2 {
            assert_eq!(
                login(store, &cfg, "hoa", "sai", None)
                    .await
                    .expect("login")
                    .err(),
                Some(LoginError::BadCredentials)
            );
        }
        assert!(matches!(
            login(store, &cfg, "hoa", "sai", None).await.expect("login"),
            Err(LoginError::Locked { .. })
        ));
        // Even the right password waits out the lock, from that client…
        assert!(matches!(
            login(store, &cfg, "hoa", "mat-khau-dung-1", None)
                .await
                .expect("login"),
            Err(LoginError::Locked { .. })
        ));
        // … but the account is not locked for everyone (issue 17, finding 3).
        assert!(
            login(
                store,
                &cfg,
                "hoa",
                "mat-khau-dung-1",
                Some("10.1.2.3".into())
            )
            .await
            .expect("login")
            .is_ok()
        );
        // A login that does not exist answers exactly as one that does.
        let mut answers = Vec::new();
        for _ in 0..4 {
            answers.push(
                login(store, &cfg, "khong-co", "x", None)
                    .await
                    .expect("login")
                    .err(),
            );
        }
        assert_eq!(answers[0], Some(LoginError::BadCredentials));
        assert_eq!(answers[2], Some(LoginError::Locked { minutes: 15 }));
        assert_eq!(answers[3], Some(LoginError::Locked { minutes: 15 }));
        // The lock of a real account is in the audit log, with the client.
        let filter = thidua_store::AuditFilter {
            action: Some("user.locked".into()),
            ..Default::default()
        };
        let (_, locks) = store.audit_page(&filter, 0, 10).await.expect("audit");
        assert_eq!(locks, 1, "one real account locked once");
    });

    thidua_store::engine_tests!(sessions_open_and_close, |store| async move {
        let who = Who::system("test");
        create_user(
            store,
            &who,
            "lan",
            "Trần Thị Lan",
            Role::Admin,
            None,
            "mat-khau-dung-1",
        )
        .await
        .expect("user");
        let s = login(
            store,
            &AuthConfig::default(),
            "lan",
            "mat-khau-dung-1",
            None,
        )
        .await
        .expect("login")
        .expect("session");
        let info = session(store, &s.cookie).await.expect("q").expect("live");
        assert_eq!(info.user.login, "lan");
        assert_eq!(info.csrf_token, s.csrf_token);
        assert!(session(store, "forged").await.expect("q").is_none());
        logout(store, &who, &s.cookie).await.expect("logout");
        assert!(session(store, &s.cookie).await.expect("q").is_none());
    });

    thidua_store::engine_tests!(feedback_addresses_are_kept_salted, |store| async move {
        let a = feedback_address_hash(store, "203.0.113.7").await.unwrap();
        assert_eq!(
            a,
            feedback_address_hash(store, "203.0.113.7").await.unwrap(),
            "one salt, kept"
        );
        assert_ne!(
            a,
            feedback_address_hash(store, "203.0.113.8").await.unwrap()
        );
        assert_ne!(
            a,
            sha256_hex("feedback:203.0.113.7"),
            "not the unsalted hash"
        );
        assert_eq!(
            store.audit_count().await.unwrap(),
            1,
            "the salt's creation is audited once, without its value"
        );
    });
}
