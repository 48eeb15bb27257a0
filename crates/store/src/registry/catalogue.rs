//! The award catalogue's versions and the quotas.

use super::rows::{CatalogueRec, QuotaRow, list};
use crate::audit::{Change, Who, record};
use crate::movements::{conflict, now};
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use thidua_domain::eligibility::catalogue::{Authority, CatalogueEntry};
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::eligibility::review::Quota;
use thidua_domain::eligibility::{AwardCode, SubjectKind};

impl crate::Store {
    /// Every version of every catalogue entry, by code then date.
    pub async fn catalogue_versions(&self) -> StoreResult<Vec<CatalogueEntry>> {
        let recs: Vec<CatalogueRec> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select code, effective_from, name, category, subjects, authority, level, award_types, \
                 bonus_multiple, bonus_confirmed, article, note from award_catalogue order by code, effective_from",
            )
            .fetch_all(pool)
            .await?
        });
        recs.into_iter().map(CatalogueEntry::try_from).collect()
    }

    /// Adds versions of catalogue entries, all or none. A version already
    /// there for the same code and date is a conflict.
    pub async fn add_catalogue_versions(
        &self,
        who: &Who,
        entries: &[CatalogueEntry],
    ) -> StoreResult<usize> {
        for e in entries {
            e.check()
                .map_err(|err| StoreError::Conflict(format!("{}: {err}", e.code)))?;
        }
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            for e in entries {
                sqlx::query(
                    "insert into award_catalogue (code, effective_from, name, category, subjects, authority, level, \
                     award_types, bonus_multiple, bonus_confirmed, article, note, created_by, created_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                )
                .bind(e.code.as_str())
                .bind(e.effective_from)
                .bind(e.name.trim())
                .bind(e.category.as_str())
                .bind(list(&e.subjects, SubjectKind::as_str))
                .bind(list(&e.authorities, Authority::as_str))
                .bind(e.level.as_str())
                .bind(list(&e.award_types, AwardType::as_str))
                .bind(e.bonus_multiple)
                .bind(e.bonus_confirmed)
                .bind(e.article.as_deref())
                .bind(e.note.as_deref())
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(|err| {
                    conflict(
                        err,
                        format!(
                            "{} đã có phiên bản hiệu lực từ {}",
                            e.code, e.effective_from
                        ),
                    )
                })?;
            }
            let codes: Vec<String> = entries
                .iter()
                .map(|e| format!("{}@{}", e.code, e.effective_from))
                .collect();
            record!(
                tx,
                d,
                who,
                Change::new("catalogue.version", "award_catalogue", entries.len() as i64)
                    .after(json!({ "versions": codes }))
            );
            tx.commit().await?;
        });
        Ok(entries.len())
    }

    pub async fn quotas(&self) -> StoreResult<Vec<QuotaRow>> {
        type Rec = (String, f64, Option<String>, String, String, String);
        let recs: Vec<Rec> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select code, max_percent, of_code, source, set_by, set_at from award_quotas order by code",
            )
            .fetch_all(pool)
            .await?
        });
        let code = |s: &str| {
            AwardCode::parse(s).ok_or_else(|| StoreError::Corrupt(format!("quota code «{s}»")))
        };
        recs.into_iter()
            .map(|(c, max, of, source, set_by, set_at)| {
                Ok(QuotaRow {
                    quota: Quota {
                        code: code(&c)?,
                        max_percent: max,
                        of: of.as_deref().map(code).transpose()?,
                    },
                    source,
                    set_by,
                    set_at,
                })
            })
            .collect()
    }

    /// Sets (or with `None`, removes) the quota of a title.
    pub async fn set_quota(
        &self,
        who: &Who,
        code: AwardCode,
        quota: Option<(f64, Option<AwardCode>, &str)>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query("delete from award_quotas where code = $1")
                .bind(code.code())
                .execute(&mut *tx)
                .await?;
            if let Some((max, of, source)) = quota {
                sqlx::query(
                    "insert into award_quotas (code, max_percent, of_code, source, set_by, set_at) \
                     values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(code.code())
                .bind(max)
                .bind(of.map(AwardCode::code))
                .bind(source)
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("catalogue.quota", "award_quota", code.code()).after(json!({
                    "max_percent": quota.map(|q| q.0), "of": quota.and_then(|q| q.1).map(AwardCode::code),
                    "source": quota.map(|q| q.2),
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }
}
