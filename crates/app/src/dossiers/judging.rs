//! The eligibility engine's verdict on each line.

use crate::eligibility::{history_from, person_history};
use crate::{AppError, AppResult};
use thidua_domain::dossier::DossierId;
use thidua_domain::eligibility::request::{AwardType, CheckRequest, Subject};
use thidua_domain::eligibility::{AwardCode, Outcome, SubjectKind, Verdict, check};
use thidua_store::{DossierLineRow, LineVerdict, Store, SubjectRef, Who};
use time::Date;

/// Judges one line with the engine, as the dossier's type of award (a
/// thematic Bằng khen is not judged as a regular one). Codes the engine
/// does not judge, and collectives whose record is incomplete, come back
/// as "needs review".
pub async fn judge(
    store: &Store,
    line: &DossierLineRow,
    award_type: AwardType,
    on: Date,
) -> AppResult<Verdict> {
    let needs_review = |why: String| Verdict {
        verdict: Outcome::NeedsReview,
        checks: vec![thidua_domain::eligibility::Check {
            rule: "manual",
            article: format!(
                "Điều 8 {}",
                thidua_domain::eligibility::RuleSet::for_decision(on).law()
            ),
            passed: false,
            message: why,
        }],
        uncertain: Vec::new(),
        next_eligible_year: None,
        missing: Vec::new(),
        rule_set: thidua_domain::eligibility::RuleSet::for_decision(on),
    };
    let Some(code) = AwardCode::parse(line.code.as_str()) else {
        return Ok(needs_review(format!(
            "Hệ thống chưa xét tự động «{}»: cơ quan thẩm định xem xét hồ sơ.",
            line.code
        )));
    };
    let (history, kind) = match line.subject {
        SubjectRef::Person(p) => (person_history(store, p).await?, SubjectKind::Individual),
        SubjectRef::Unit(u) => {
            let mut history = history_from(&store.registry(SubjectRef::Unit(u)).await?, None);
            history.cluster_results = crate::cluster_flags::results_of_unit(store, u).await?;
            (history, SubjectKind::Collective)
        }
    };
    let req = CheckRequest {
        subject: Subject {
            kind,
            category: None,
            unit_type: None,
        },
        proposed: code,
        year: line.period_to,
        decision_date: on,
        award_type,
        history,
        period_from: Some(line.period_from),
        achievement: match line.achievement_id {
            Some(a) => crate::achievements::engine::for_engine(store, a).await?,
            None => None,
        },
        positions: Vec::new(),
        decided_by: None,
        findings: Vec::new(),
    };
    Ok(check(&req).unwrap_or_else(|e| needs_review(format!("Chưa đủ dữ liệu để xét: {e}."))))
}

/// Re-judges every line and records the verdicts.
pub async fn recheck(
    store: &Store,
    who: &Who,
    id: DossierId,
    on: Date,
) -> AppResult<Vec<DossierLineRow>> {
    let dossier = store
        .dossier(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("hồ sơ #{id}")))?;
    let lines = store.dossier_lines(id).await?;
    let checks = judge_lines(store, &lines, dossier.award_type, on).await?;
    if !checks.is_empty() {
        store.record_line_checks(who, id, &checks, on).await?;
    }
    Ok(store.dossier_lines(id).await?)
}

/// The engine's verdict on each line, in the lines' order, not yet
/// recorded: a step records them in its own transaction, so that a
/// dossier is never left judged anew but not moved.
pub(super) async fn judge_lines(
    store: &Store,
    lines: &[DossierLineRow],
    award_type: AwardType,
    on: Date,
) -> AppResult<Vec<LineVerdict>> {
    let mut checks = Vec::with_capacity(lines.len());
    for l in lines {
        let v = judge(store, l, award_type, on).await?;
        let json = serde_json::to_string(&v).map_err(|e| AppError::Internal(e.to_string()))?;
        checks.push((l.id, v.verdict, json));
    }
    Ok(checks)
}
