//! Danh mục — the administrator's changes to the award catalogue (new
//! versions of its entries, from a TOML block) and to the quotas that
//! limit a title to a share of those who hold another.

use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::eligibility::AwardCode;
use thidua_domain::policy::Action;
use thidua_store::{Store, StoreError, UserRow, Who};
use time::Date;

async fn may_manage(store: &Store, user: &UserRow, today: Date) -> AppResult<()> {
    auth::may_on_system(store, user, Action::ManageCatalogue, today)
        .await?
        .map_err(AppError::Denied)
}

/// Adds the versions a TOML block describes; returns how many. A version
/// that clashes with one already kept is refused, and nothing is written.
pub async fn add_versions(
    store: &Store,
    user: &UserRow,
    who: &Who,
    toml: &str,
    today: Date,
) -> AppResult<usize> {
    may_manage(store, user, today).await?;
    let entries = crate::eligibility::parse_catalogue(toml)?;
    if entries.is_empty() {
        return Err(invalid("toml", "không có mục nào"));
    }
    match store.add_catalogue_versions(who, &entries).await {
        Err(StoreError::Conflict(m)) => Err(invalid("toml", m)),
        other => Ok(other?),
    }
}

/// A quota as typed: empty `max_percent` removes it.
#[derive(Debug, Clone, Default)]
pub struct QuotaInput {
    pub code: String,
    pub max_percent: String,
    pub of: String,
    pub source: String,
}

fn award(code: &str, field: &'static str) -> AppResult<AwardCode> {
    AwardCode::parse(code.trim())
        .ok_or_else(|| invalid(field, format!("Danh hiệu «{}» không có.", code.trim())))
}

/// Sets or removes the quota of a title; returns the title and whether a
/// quota is now in force.
pub async fn set_quota(
    store: &Store,
    user: &UserRow,
    who: &Who,
    q: &QuotaInput,
    today: Date,
) -> AppResult<(AwardCode, bool)> {
    may_manage(store, user, today).await?;
    let code = award(&q.code, "code")?;
    let quota = match q.max_percent.trim() {
        "" => None,
        p => {
            let max = thidua_domain::number::parse_vi(p)
                .ok()
                .filter(|v| *v > 0.0 && *v <= 100.0)
                .ok_or_else(|| {
                    invalid(
                        "max_percent",
                        format!("tỷ lệ «{p}» phải từ trên 0 đến 100 %"),
                    )
                })?;
            let of = match q.of.trim() {
                "" => None,
                o => Some(award(o, "of")?),
            };
            if q.source.trim().is_empty() {
                return Err(invalid(
                    "source",
                    "cần ghi căn cứ (văn bản quy định giới hạn)",
                ));
            }
            Some((max, of, q.source.trim()))
        }
    };
    store.set_quota(who, code, quota).await?;
    Ok((code, quota.is_some()))
}
