//! A step of the procedure in one transaction; line statuses and votes.

use super::rows::{DossierPatch, LineChange, LineVerdict, Notice, RegistryEntry, VoteRow, stale};
use crate::audit::{Change, Who, record};
use crate::movements::{conflict, now};
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierAction, DossierState, TimelineEvent, VoteChoice};
use time::Date;

/// One step of the procedure as the application decided it: the
/// transition, the dossier's new fields, the lines' new statuses, what enters
/// the registry and who is told — written in one transaction.
#[derive(Debug, Clone)]
pub struct Step {
    pub dossier: DossierId,
    /// The version the actor read; a different current version is a
    /// conflict.
    pub version: i64,
    pub from: DossierState,
    pub to: DossierState,
    pub action: DossierAction,
    pub on_day: Date,
    pub note: Option<String>,
    pub patch: DossierPatch,
    /// The engine's fresh verdicts on the lines, recorded with the step.
    pub checks: Vec<LineVerdict>,
    pub lines: Vec<LineChange>,
    pub registry: Vec<RegistryEntry>,
    /// The decision the step issues or records; the registry entries
    /// then belong to it.
    pub decision: Option<crate::decisions::NewDecision>,
    pub notices: Vec<Notice>,
}

impl crate::Store {
    /// Takes a step: the dossier must still be at `from` and `version`.
    /// Lines, registry entries, the timeline, notices and the audit entry
    /// land together or not at all.
    pub async fn take_step(&self, who: &Who, s: &Step) -> StoreResult<i64> {
        let version = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let p = &s.patch;
            let done = sqlx::query(
                "update dossiers set state = $1, version = version + 1, updated_at = $2, \
                 receipt_number = coalesce($3, receipt_number), posted_from = coalesce($4, posted_from), \
                 posted_until = coalesce($5, posted_until), decision_number = coalesce($6, decision_number), \
                 decision_date = coalesce($7, decision_date), decision_signer = coalesce($8, decision_signer), \
                 decision_issuer = coalesce($9, decision_issuer), forward_number = coalesce($10, forward_number), \
                 forward_date = coalesce($11, forward_date), reason = coalesce($12, reason) \
                 where id = $13 and version = $14 and state = $15",
            )
            .bind(s.to.as_str())
            .bind(now())
            .bind(p.receipt_number.as_deref())
            .bind(p.posted_from)
            .bind(p.posted_until)
            .bind(p.decision_number.as_deref())
            .bind(p.decision_date)
            .bind(p.decision_signer.as_deref())
            .bind(p.decision_issuer.as_deref())
            .bind(p.forward_number.as_deref())
            .bind(p.forward_date)
            .bind(p.reason.as_deref())
            .bind(s.dossier.0)
            .bind(s.version)
            .bind(s.from.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(stale(s.dossier.0));
            }
            if !s.checks.is_empty() {
                line_checks!(tx, d, who, s.dossier.0, &s.checks, s.on_day);
            }
            for l in &s.lines {
                sqlx::query(
                    "update dossier_lines set status = $1, note = coalesce($2, note), tally = coalesce($3, tally) \
                     where id = $4 and dossier_id = $5",
                )
                .bind(l.status.as_str())
                .bind(l.note.as_deref())
                .bind(l.tally.as_deref())
                .bind(l.line)
                .bind(s.dossier.0)
                .execute(&mut *tx)
                .await?;
            }
            let decision = match &s.decision {
                Some(n) => Some(crate::decisions::decision_insert!(tx, who, n)),
                None => None,
            };
            for e in &s.registry {
                crate::decisions::registry_insert!(
                    tx,
                    e,
                    decision,
                    p.decision_number.as_deref(),
                    p.decision_date,
                    p.decision_issuer.as_deref()
                );
            }
            timeline!(
                tx,
                s.dossier.0,
                who,
                s.action.as_str(),
                Some(s.from.as_str()),
                Some(s.to.as_str()),
                s.note.as_deref(),
                s.on_day
            );
            for n in &s.notices {
                notice!(tx, s.dossier.0, n);
            }
            record!(
                tx,
                d,
                who,
                Change::new("dossier.transition", "dossier", s.dossier)
                    .before(json!({ "state": s.from.as_str(), "version": s.version }))
                    .after(json!({
                        "state": s.to.as_str(), "action": s.action.as_str(), "note": s.note,
                        "lines": s.lines.iter().map(|l| json!({"line": l.line, "status": l.status.as_str(), "note": l.note})).collect::<Vec<_>>(),
                        "registry": s.registry.len(),
                        "receipt_number": p.receipt_number, "decision_number": p.decision_number,
                        "forward_number": p.forward_number,
                    }))
            );
            tx.commit().await?;
            s.version + 1
        });
        Ok(version)
    }

    /// An appraiser's change to one line outside a step (exclude it, or
    /// mark it for completion), on the version they read.
    pub async fn set_dossier_line_status(
        &self,
        who: &Who,
        dossier: DossierId,
        version: i64,
        change: &LineChange,
        on_day: Date,
    ) -> StoreResult<i64> {
        let v = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query(
                "update dossiers set version = version + 1, updated_at = $1 where id = $2 and version = $3",
            )
            .bind(now())
            .bind(dossier.0)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(stale(dossier.0));
            }
            let done = sqlx::query(
                "update dossier_lines set status = $1, note = $2 where id = $3 and dossier_id = $4",
            )
            .bind(change.status.as_str())
            .bind(change.note.as_deref())
            .bind(change.line)
            .bind(dossier.0)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("dòng #{}", change.line)));
            }
            timeline!(
                tx,
                dossier.0,
                who,
                TimelineEvent::LineStatus.as_str(),
                None::<&str>,
                None::<&str>,
                Some(format!(
                    "Dòng #{}: {}{}",
                    change.line,
                    change.status.label(),
                    change
                        .note
                        .as_deref()
                        .map(|n| format!(" — {n}"))
                        .unwrap_or_default()
                )),
                on_day
            );
            record!(
                tx,
                d,
                who,
                Change::new("dossier.line_status", "dossier", dossier).after(json!({
                    "line": change.line, "status": change.status.as_str(), "note": change.note,
                }))
            );
            tx.commit().await?;
            version + 1
        });
        Ok(v)
    }

    /// One member's vote on one line, while the council sits.
    pub async fn cast_vote(
        &self,
        who: &Who,
        user_id: i64,
        dossier: DossierId,
        line: i64,
        vote: VoteChoice,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let st: Option<(String,)> = sqlx::query_as(
                "select d.state from dossiers d join dossier_lines l on l.dossier_id = d.id \
                 where d.id = $1 and l.id = $2 and l.status = 'proposed'",
            )
            .bind(dossier.0)
            .bind(line)
            .fetch_optional(&mut *tx)
            .await?;
            match st {
                None => return Err(StoreError::NotFound(format!("dòng #{line} đang xét"))),
                Some((s,)) if s != DossierState::CouncilReview.as_str() => {
                    return Err(StoreError::Conflict(
                        "hồ sơ không ở bước Hội đồng xét, không biểu quyết được".into(),
                    ));
                }
                Some(_) => {}
            }
            sqlx::query(
                "insert into council_votes (line_id, dossier_id, user_id, vote, voted_at) values ($1, $2, $3, $4, $5)",
            )
            .bind(line)
            .bind(dossier.0)
            .bind(user_id)
            .bind(vote.as_str())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(|e| conflict(e, "bạn đã biểu quyết cho đối tượng này".into()))?;
            record!(
                tx,
                d,
                who,
                Change::new("dossier.vote", "dossier", dossier)
                    .after(json!({ "line": line, "vote": vote.as_str() }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn votes(&self, dossier: DossierId) -> StoreResult<Vec<VoteRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select v.line_id, v.user_id, u.login, v.vote, v.voted_at from council_votes v \
                 join users u on u.id = v.user_id where v.dossier_id = $1 order by v.line_id, u.login",
            )
            .bind(dossier.0)
            .fetch_all(p)
            .await?
        }))
    }
}
