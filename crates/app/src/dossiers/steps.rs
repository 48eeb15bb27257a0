//! One step of the procedure: `take_step` checks who may take it and hands
//! it to the function of its action, which checks its inputs and fills in
//! its effects; the store writes the whole step in one transaction.

use super::access::By;
use super::appraisal_steps as appraisal;
use super::decision_step as decision;
use super::intake_steps as intake;
use super::step_context::{StepContext, StepInput};
use crate::{AppError, AppResult, invalid};
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{self as d, DossierAction, DossierState};
use thidua_store::{DossierPatch, Step, Store};

/// Takes a step, or says in Vietnamese why not; nothing changes on error.
pub async fn take_step(
    store: &Store,
    by: &By<'_>,
    id: DossierId,
    input: &StepInput,
) -> AppResult<DossierState> {
    let action = input
        .action
        .ok_or_else(|| invalid("action", "Chưa chọn thao tác"))?;
    let (cx, access) = StepContext::load(store, by, id, input).await?;
    let (to, sides) =
        d::next(cx.dossier.state, action).map_err(|e| invalid("action", e.to_string()))?;
    if !sides.iter().any(|s| access.has(*s)) {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    let note = cx.note();
    let mut step = Step {
        dossier: id,
        version: cx.dossier.version,
        from: cx.dossier.state,
        to,
        action,
        on_day: by.today,
        note: (!note.is_empty()).then(|| note.to_owned()),
        patch: DossierPatch::default(),
        checks: Vec::new(),
        lines: Vec::new(),
        registry: Vec::new(),
        decision: None,
        notices: Vec::new(),
    };
    match action {
        DossierAction::Submit => intake::submit(&cx, &mut step).await?,
        DossierAction::Withdraw => {}
        DossierAction::Receive => intake::receive(&cx, &mut step)?,
        DossierAction::StartAppraisal => intake::start_appraisal(&cx, &mut step).await?,
        DossierAction::Return => intake::return_for_completion(&cx, &mut step).await?,
        DossierAction::Resubmit => intake::resubmit(&cx, &mut step).await?,
        DossierAction::Post => appraisal::post(&cx, &mut step).await?,
        DossierAction::OpenCouncil => appraisal::open_council(&cx, &mut step).await?,
        DossierAction::ConcludeVote => appraisal::conclude_vote(&cx, &mut step).await?,
        DossierAction::Approve => appraisal::approve(&cx, &mut step).await?,
        DossierAction::IssueDecision | DossierAction::RecordHigherDecision => {
            decision::decide(&cx, action, &mut step).await?;
        }
        DossierAction::Forward => appraisal::forward(&cx, &mut step)?,
        DossierAction::Reject => appraisal::reject(&cx, &mut step).await?,
    }
    // Notices never go to the one who acted.
    step.notices.retain(|n| n.user_id != by.user.id);
    step.notices
        .dedup_by(|a, b| a.user_id == b.user_id && a.kind == b.kind);
    store.take_step(by.who, &step).await?;
    Ok(to)
}
