//! The appraiser's steps after intake: posting publicly, the council's
//! meeting and vote, the leader's approval, forwarding to the State and
//! rejecting.

use super::access::council;
use super::step_context::{StepContext, all_lines};
use crate::{AppResult, invalid};
use thidua_domain::VnDate;
use thidua_domain::document::DocumentNumber;
use thidua_domain::dossier::{self as d, LineStatus, Side, VoteChoice};
use thidua_store::{LineChange, Step};

pub(super) async fn post(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    let active = cx.active();
    if let Some(l) = active
        .iter()
        .find(|l| l.status == LineStatus::NeedsCompletion)
    {
        return Err(invalid(
            "lines",
            format!("{}: còn chờ bổ sung, chưa công khai được", l.name),
        ));
    }
    if active.is_empty() {
        return Err(invalid("lines", "Không còn đối tượng nào để công khai"));
    }
    let today = cx.today();
    let from = cx.input.from.unwrap_or(today);
    if from < today {
        return Err(invalid(
            "from",
            format!(
                "Không công khai lùi ngày: ngày bắt đầu {} đã qua",
                VnDate(from)
            ),
        ));
    }
    let until = cx
        .input
        .until
        .ok_or_else(|| invalid("until", "Hãy ghi ngày kết thúc công khai"))?;
    let min = cx.params.get(d::POSTING);
    let days = cx
        .calendar
        .working_days_between(from.previous_day().unwrap_or(from), until);
    if until < from || days < min {
        return Err(invalid(
            "until",
            format!(
                "Thời gian công khai từ {} đến {} có {days} ngày làm việc; cần ít nhất {min}",
                VnDate(from),
                VnDate(until)
            ),
        ));
    }
    step.patch.posted_from = Some(from);
    step.patch.posted_until = Some(until);
    step.notices = cx
        .tell(
            &[Side::Proposer],
            "posted",
            &format!(
                "{} được công khai từ {} đến {}.",
                cx.label,
                VnDate(from),
                VnDate(until)
            ),
        )
        .await?;
    Ok(())
}

pub(super) async fn open_council(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    if let Some(until) = cx.dossier.posted_until
        && cx.today() < until
    {
        return Err(invalid(
            "state",
            format!("Chưa hết thời gian công khai (đến {})", VnDate(until)),
        ));
    }
    let members = council(cx.store, &cx.dossier, cx.today()).await?;
    if members.is_empty() {
        return Err(invalid(
            "council",
            "Hội đồng chưa có thành viên nào trong phạm vi hồ sơ",
        ));
    }
    // Each member learns that a vote waits on them.
    step.notices = super::notify::notices(
        &members,
        "pending",
        &format!("{} đã đưa ra Hội đồng, chờ bạn biểu quyết.", cx.label),
    );
    Ok(())
}

pub(super) async fn conclude_vote(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    let members =
        u32::try_from(council(cx.store, &cx.dossier, cx.today()).await?.len()).unwrap_or(0);
    if members == 0 {
        return Err(invalid("council", "Hội đồng chưa có thành viên nào"));
    }
    let votes = cx.store.votes(cx.dossier.id).await?;
    for l in cx
        .active()
        .iter()
        .filter(|l| l.status == LineStatus::Proposed)
    {
        let choices: Vec<VoteChoice> = votes
            .iter()
            .filter(|v| v.line_id == l.id)
            .filter_map(|v| VoteChoice::parse(&v.vote).ok())
            .collect();
        let t = d::tally(&choices, members, cx.params.vote_percent(l.code.as_str()));
        step.lines.push(LineChange {
            line: l.id,
            status: if t.passed {
                LineStatus::CouncilPassed
            } else {
                LineStatus::CouncilFailed
            },
            note: None,
            tally: Some(t.to_string()),
        });
    }
    step.notices = cx
        .tell(
            &[Side::Leader, Side::Proposer],
            "voted",
            &format!(
                "{}: Hội đồng đã biểu quyết, trình lãnh đạo phê duyệt.",
                cx.label
            ),
        )
        .await?;
    Ok(())
}

pub(super) async fn approve(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    step.notices = cx
        .tell(
            &[Side::Appraiser],
            "pending",
            &format!("{} đã được phê duyệt, chờ ban hành quyết định.", cx.label),
        )
        .await?;
    Ok(())
}

pub(super) fn forward(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    if !cx.lines.iter().any(|l| cx.state_level(l)) {
        return Err(invalid(
            "action",
            "Hình thức cấp tỉnh do Chủ tịch UBND tỉnh quyết định: hãy ban hành quyết định",
        ));
    }
    let number = DocumentNumber::parse(cx.input.number.trim())
        .map_err(|e| invalid("number", e.to_string()))?;
    let date = cx
        .input
        .date
        .ok_or_else(|| invalid("date", "Hãy ghi ngày tờ trình cấp trên"))?;
    step.patch.forward_number = Some(number.to_string());
    step.patch.forward_date = Some(date);
    Ok(())
}

pub(super) async fn reject(cx: &StepContext<'_>, step: &mut Step) -> AppResult<()> {
    let reason = cx.need_note("lý do không khen thưởng")?;
    step.lines = all_lines(LineStatus::NotAwarded, &cx.active(), Some(reason.clone()));
    step.patch.reason = Some(reason.clone());
    step.notices = cx
        .tell(
            &[Side::Proposer],
            "rejected",
            &format!("{} không được khen thưởng: {reason}", cx.label),
        )
        .await?;
    Ok(())
}
