//! The steps between the proposing unit and the appraiser: submitting,
//! receiving, starting the appraisal, returning for completion and
//! resubmitting.

use super::judging::judge_lines;
use super::step_context::StepContext;
use super::view::award_name;
use crate::{AppResult, invalid};
use thidua_domain::document::DocumentNumber;
use thidua_domain::dossier::{LineStatus, Side};
use thidua_domain::eligibility::Outcome;
use thidua_store::{LineChange, Step};

pub(super) async fn submit(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    let (dossier, lines) = (&cx.dossier, &cx.lines);
    if lines.is_empty() {
        return Err(invalid("lines", "Hồ sơ chưa có đối tượng đề nghị nào"));
    }
    let letter = dossier.letter_number.as_deref().unwrap_or("");
    DocumentNumber::parse(letter).map_err(|_| {
        invalid(
            "letter_number",
            "Hãy ghi số tờ trình hợp lệ (ví dụ 12/TTr-UBND) trước khi gửi",
        )
    })?;
    if dossier.letter_date.is_none() || dossier.letter_signer.as_deref().unwrap_or("").is_empty() {
        return Err(invalid(
            "letter_date",
            "Hãy ghi ngày và người ký tờ trình trước khi gửi",
        ));
    }
    let levels: std::collections::BTreeSet<bool> =
        lines.iter().map(|l| cx.state_level(l)).collect();
    if levels.len() > 1 {
        return Err(invalid(
            "lines",
            "Một hồ sơ chỉ gồm các hình thức cùng cấp quyết định: tách hình thức cấp Nhà nước sang hồ sơ khác",
        ));
    }
    let checks = judge_lines(cx.store, lines, dossier.award_type, cx.today()).await?;
    let refused = lines.iter().zip(&checks).find(|(l, (_, outcome, _))| {
        *outcome == Outcome::NotEligible && l.override_reason.as_deref().unwrap_or("").is_empty()
    });
    if let Some((l, _)) = refused {
        // The refusal shows the fresh verdicts, so they are kept.
        cx.store
            .record_line_checks(cx.by.who, dossier.id, &checks, cx.today())
            .await?;
        return Err(invalid(
            "override_reason",
            format!(
                "{}: hệ thống kết luận chưa đủ điều kiện {}; hãy ghi lý do vẫn đề nghị hoặc bỏ dòng này",
                l.name,
                award_name(&cx.entries(), l.code.as_str())
            ),
        ));
    }
    step.checks = checks;
    step.notices = cx
        .tell(
            &[Side::Appraiser],
            "submitted",
            &format!("{} đã được gửi đến, chờ tiếp nhận.", cx.label),
        )
        .await?;
    Ok(())
}

pub(super) fn receive(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    let n = cx.input.receipt_number.trim();
    if n.is_empty() {
        return Err(invalid("receipt_number", "Hãy ghi số tiếp nhận"));
    }
    step.patch.receipt_number = Some(n.to_owned());
    Ok(())
}

pub(super) async fn start_appraisal(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    step.checks = judge_lines(cx.store, &cx.lines, cx.dossier.award_type, cx.today()).await?;
    Ok(())
}

pub(super) async fn return_for_completion(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    let reason = cx.need_note("lý do trả lại")?;
    let active = cx.active();
    for l in &cx.input.lines {
        if !active.iter().any(|a| a.id == *l) {
            return Err(invalid("lines", format!("Dòng #{l} không thuộc hồ sơ")));
        }
    }
    step.lines = cx
        .input
        .lines
        .iter()
        .map(|l| LineChange {
            line: *l,
            status: LineStatus::NeedsCompletion,
            note: Some(reason.clone()),
            tally: None,
        })
        .collect();
    step.patch.reason = Some(reason.clone());
    step.notices = cx
        .tell(
            &[Side::Proposer],
            "returned",
            &format!("{} được trả lại để bổ sung: {reason}", cx.label),
        )
        .await?;
    Ok(())
}

pub(super) async fn resubmit(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    if let Some(l) = cx
        .lines
        .iter()
        .find(|l| l.status == LineStatus::NeedsCompletion)
    {
        return Err(invalid(
            "lines",
            format!(
                "{}: chưa bổ sung theo yêu cầu ({})",
                l.name,
                l.note.as_deref().unwrap_or("")
            ),
        ));
    }
    step.checks = judge_lines(cx.store, &cx.lines, cx.dossier.award_type, cx.today()).await?;
    step.notices = cx
        .tell(
            &[Side::Appraiser],
            "submitted",
            &format!("{} đã được bổ sung và gửi lại.", cx.label),
        )
        .await?;
    Ok(())
}
