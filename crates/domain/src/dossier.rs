//! Hồ sơ đề nghị khen thưởng — the nomination dossier and the path it
//! travels: the proposing unit drafts and submits it, Sở Nội vụ receives
//! and appraises it (thẩm định), posts it publicly (công khai), the
//! Emulation Council votes per subject, the leader approves, and the
//! province issues the decision or forwards the dossier to the Prime
//! Minister or the President.
//!
//! The diagram is one table, `EDGES`: every state change is a row of it,
//! with the side that may take it. Nothing else moves a dossier.

use crate::calendar::WorkCalendar;
use crate::movement::word_enum;
use crate::policy::{Action, Role};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DossierError {
    #[error("trạng thái hồ sơ không xác định: «{0}»")]
    UnknownState(String),
    #[error("thao tác không xác định: «{0}»")]
    UnknownAction(String),
    #[error("giá trị không xác định: «{0}»")]
    Unknown(String),
    #[error("hồ sơ đang ở trạng thái «{}», không thể «{}»", .state.label(), .action.label())]
    NotNow {
        state: DossierState,
        action: DossierAction,
    },
}

word_enum!(
    /// Trạng thái hồ sơ.
    DossierState, DossierError, |s| DossierError::UnknownState(s), {
        Draft = "draft", "Dự thảo";
        Submitted = "submitted", "Đã gửi";
        /// Tiếp nhận — the receipt number is given and the clock starts.
        Received = "received", "Đã tiếp nhận";
        UnderAppraisal = "under_appraisal", "Đang thẩm định";
        /// Trả lại để bổ sung — back with the unit; the clock is paused.
        Returned = "returned", "Trả lại bổ sung";
        Posted = "posted", "Đang công khai";
        CouncilReview = "council_review", "Hội đồng xét";
        /// Trình phê duyệt — on the leader's desk.
        PendingApproval = "pending_approval", "Trình lãnh đạo";
        Approved = "approved", "Đã phê duyệt";
        Decided = "decided", "Đã có quyết định";
        /// Chuyển cấp trên — sent to the Prime Minister or the President.
        Forwarded = "forwarded", "Đã trình cấp trên";
        Rejected = "rejected", "Không khen thưởng";
        Withdrawn = "withdrawn", "Đã rút";
    }
);

word_enum!(
    /// A step a person takes on a dossier.
    DossierAction, DossierError, |s| DossierError::UnknownAction(s), {
        Submit = "submit", "Gửi hồ sơ";
        Withdraw = "withdraw", "Rút hồ sơ";
        Receive = "receive", "Tiếp nhận";
        StartAppraisal = "start_appraisal", "Bắt đầu thẩm định";
        Return = "return", "Trả lại để bổ sung";
        Resubmit = "resubmit", "Gửi lại sau bổ sung";
        Post = "post", "Công khai";
        OpenCouncil = "open_council", "Đưa ra Hội đồng";
        ConcludeVote = "conclude_vote", "Kết thúc biểu quyết, trình lãnh đạo";
        Approve = "approve", "Phê duyệt";
        IssueDecision = "issue_decision", "Ban hành quyết định";
        Forward = "forward", "Trình cấp trên";
        RecordHigherDecision = "record_higher_decision", "Ghi quyết định của cấp trên";
        Reject = "reject", "Không khen thưởng";
    }
);

/// Database identity of a nomination dossier: «hồ sơ #12».
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DossierId(pub i64);

impl std::fmt::Display for DossierId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<i64> for DossierId {
    fn from(id: i64) -> DossierId {
        DossierId(id)
    }
}

/// Một mốc trên dòng thời gian — what one entry of a dossier's timeline
/// records: a step, or one of the events around the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimelineEvent {
    /// Tạo dự thảo.
    Created,
    Step(DossierAction),
    /// A line's status changed (sửa danh sách).
    LineStatus,
    /// A citizen wrote in while the list was posted.
    Feedback,
}

impl TimelineEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineEvent::Created => "create",
            TimelineEvent::Step(a) => a.as_str(),
            TimelineEvent::LineStatus => "line_status",
            TimelineEvent::Feedback => "feedback",
        }
    }

    pub fn parse(s: &str) -> Result<TimelineEvent, DossierError> {
        Ok(match s {
            "create" => TimelineEvent::Created,
            "line_status" => TimelineEvent::LineStatus,
            "feedback" => TimelineEvent::Feedback,
            step => TimelineEvent::Step(DossierAction::parse(step)?),
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            TimelineEvent::Created => "Tạo dự thảo",
            TimelineEvent::Step(a) => a.label(),
            TimelineEvent::LineStatus => "Sửa danh sách",
            TimelineEvent::Feedback => "Nhận ý kiến của nhân dân",
        }
    }
}

impl TryFrom<String> for TimelineEvent {
    type Error = DossierError;
    fn try_from(s: String) -> Result<TimelineEvent, DossierError> {
        TimelineEvent::parse(&s)
    }
}

impl Serialize for TimelineEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Who takes a step: the side of the procedure, which the policy turns
/// into roles and scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Đơn vị đề nghị — the proposing unit.
    Proposer,
    /// Cơ quan thẩm định — Sở Nội vụ (Ban Thi đua – Khen thưởng).
    Appraiser,
    /// Lãnh đạo có thẩm quyền — the leader who approves and signs.
    Leader,
}

impl Side {
    /// The policy action a side's steps need on the proposing unit.
    pub fn action(self) -> Action {
        match self {
            Side::Proposer => Action::ProposeAwards,
            Side::Appraiser => Action::AppraiseDossiers,
            Side::Leader => Action::ApproveAwards,
        }
    }

    pub fn may(self, role: Role) -> bool {
        crate::policy::role_allows(role, self.action())
    }
}

use DossierAction as A;
use DossierState as S;

/// The diagram: from, step, to, who.
pub const EDGES: &[(DossierState, DossierAction, DossierState, Side)] = &[
    (S::Draft, A::Submit, S::Submitted, Side::Proposer),
    (S::Draft, A::Withdraw, S::Withdrawn, Side::Proposer),
    (S::Submitted, A::Withdraw, S::Withdrawn, Side::Proposer),
    (S::Received, A::Withdraw, S::Withdrawn, Side::Proposer),
    (S::Submitted, A::Receive, S::Received, Side::Appraiser),
    (
        S::Received,
        A::StartAppraisal,
        S::UnderAppraisal,
        Side::Appraiser,
    ),
    (S::Received, A::Return, S::Returned, Side::Appraiser),
    (S::UnderAppraisal, A::Return, S::Returned, Side::Appraiser),
    (S::Returned, A::Resubmit, S::UnderAppraisal, Side::Proposer),
    (S::UnderAppraisal, A::Post, S::Posted, Side::Appraiser),
    (S::Posted, A::OpenCouncil, S::CouncilReview, Side::Appraiser),
    (
        S::CouncilReview,
        A::ConcludeVote,
        S::PendingApproval,
        Side::Appraiser,
    ),
    (S::PendingApproval, A::Approve, S::Approved, Side::Leader),
    (S::Approved, A::IssueDecision, S::Decided, Side::Leader),
    (S::Approved, A::IssueDecision, S::Decided, Side::Appraiser),
    (S::Approved, A::Forward, S::Forwarded, Side::Appraiser),
    (
        S::Forwarded,
        A::RecordHigherDecision,
        S::Decided,
        Side::Appraiser,
    ),
    (S::Received, A::Reject, S::Rejected, Side::Appraiser),
    (S::UnderAppraisal, A::Reject, S::Rejected, Side::Appraiser),
    (S::Posted, A::Reject, S::Rejected, Side::Appraiser),
    (S::CouncilReview, A::Reject, S::Rejected, Side::Appraiser),
    (S::PendingApproval, A::Reject, S::Rejected, Side::Leader),
    (S::Forwarded, A::Reject, S::Rejected, Side::Appraiser),
];

/// Where `action` takes a dossier in `state`, and which sides may take it.
pub fn next(
    state: DossierState,
    action: DossierAction,
) -> Result<(DossierState, Vec<Side>), DossierError> {
    let mut to = None;
    let mut sides = Vec::new();
    for (from, a, t, side) in EDGES {
        if *from == state && *a == action {
            to = Some(*t);
            sides.push(*side);
        }
    }
    to.map(|t| (t, sides))
        .ok_or(DossierError::NotNow { state, action })
}

/// The steps a role could take now (scope aside): the buttons to show.
pub fn steps_for(state: DossierState, role: Role) -> Vec<DossierAction> {
    let mut out: Vec<DossierAction> = Vec::new();
    for (from, a, _, side) in EDGES {
        if *from == state && side.may(role) && !out.contains(a) {
            out.push(*a);
        }
    }
    out
}

impl DossierState {
    /// No step leads out.
    pub fn is_final(self) -> bool {
        !EDGES.iter().any(|(from, ..)| *from == self)
    }

    /// Still travelling: submitted and not yet decided, rejected or
    /// withdrawn — the dossiers a duplicate is looked for in.
    pub fn is_open(self) -> bool {
        !self.is_final() && self != S::Draft
    }

    /// The proposing unit may still edit lines and files.
    pub fn editable_by_proposer(self) -> bool {
        matches!(self, S::Draft | S::Returned)
    }

    /// Whether the processing clock runs in this state.
    pub fn clock(self) -> Clock {
        match self {
            S::Draft | S::Submitted => Clock::NotStarted,
            S::Returned => Clock::Paused,
            S::Received
            | S::UnderAppraisal
            | S::Posted
            | S::CouncilReview
            | S::PendingApproval
            | S::Approved => Clock::Running,
            S::Decided | S::Forwarded | S::Rejected | S::Withdrawn => Clock::Stopped,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    NotStarted,
    Running,
    Paused,
    Stopped,
}

word_enum!(
    /// Kết quả từng đối tượng — each subject's own outcome inside a dossier.
    LineStatus, DossierError, |s| DossierError::Unknown(s), {
        Proposed = "proposed", "Đề nghị";
        /// Cần bổ sung — the appraiser asked for more on this line.
        NeedsCompletion = "needs_completion", "Cần bổ sung";
        /// Loại khỏi danh sách by the appraiser, with a reason.
        Excluded = "excluded", "Không đưa vào danh sách";
        CouncilPassed = "council_passed", "Hội đồng nhất trí";
        CouncilFailed = "council_failed", "Hội đồng không nhất trí";
        Awarded = "awarded", "Được khen thưởng";
        NotAwarded = "not_awarded", "Không được khen thưởng";
    }
);

impl LineStatus {
    /// Still in the running for the award.
    pub fn active(self) -> bool {
        matches!(
            self,
            LineStatus::Proposed | LineStatus::NeedsCompletion | LineStatus::CouncilPassed
        )
    }
}

word_enum!(
    /// Phiếu biểu quyết của thành viên Hội đồng.
    VoteChoice, DossierError, |s| DossierError::Unknown(s), {
        Agree = "agree", "Đồng ý";
        Disagree = "disagree", "Không đồng ý";
        Abstain = "abstain", "Không biểu quyết";
    }
);

/// The result of one subject's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub agree: u32,
    pub disagree: u32,
    pub abstain: u32,
    /// Every member of the council, voting or not.
    pub members: u32,
    /// The share of members who must agree, in percent.
    pub threshold_percent: u32,
    pub passed: bool,
}

/// Counts the votes: the agreeing share of *all* members must reach the
/// threshold; a member who did not vote does not agree.
pub fn tally(votes: &[VoteChoice], members: u32, threshold_percent: u32) -> Tally {
    let count = |c: VoteChoice| votes.iter().filter(|v| **v == c).count() as u32;
    let agree = count(VoteChoice::Agree);
    // Strictly more than half when the threshold is 50 (quá bán); at least
    // the share otherwise.
    let passed = members > 0
        && if threshold_percent == 50 {
            agree * 100 > members * 50
        } else {
            agree * 100 >= members * threshold_percent
        };
    Tally {
        agree,
        disagree: count(VoteChoice::Disagree),
        abstain: count(VoteChoice::Abstain),
        members,
        threshold_percent,
        passed,
    }
}

/// A figure of the procedure with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limit {
    pub key: &'static str,
    pub label: &'static str,
    pub days: u32,
    pub source: &'static str,
    pub confirmed: bool,
}

/// The procedure's working-day limits and vote thresholds. Defaults from
/// docs/law.md §6.1–§6.3; every one is a parameter the administrator
/// may change, because the province's published procedure decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcedureParams {
    pub limits: Vec<Limit>,
}

pub const RECEIVE: &str = "receive_days";
pub const COMPLETE: &str = "complete_days";
pub const PROCESS: &str = "process_days";
pub const POSTING: &str = "posting_days";
pub const APPROVE: &str = "approve_days";
pub const VOTE_DEFAULT: &str = "vote_percent";
pub const VOTE_PROVINCE_FIGHTER: &str = "vote_percent_cstd_tinh";
pub const VOTE_NATIONAL: &str = "vote_percent_toan_quoc";

impl Default for ProcedureParams {
    fn default() -> Self {
        let l = |key, label, days, source, confirmed| Limit {
            key,
            label,
            days,
            source,
            confirmed,
        };
        ProcedureParams {
            limits: vec![
                l(
                    RECEIVE,
                    "Tiếp nhận hồ sơ (ngày làm việc từ khi đơn vị gửi)",
                    2,
                    "Mặc định của hệ thống; theo thủ tục hành chính của tỉnh",
                    false,
                ),
                l(
                    PROCESS,
                    "Thẩm định đến quyết định hoặc trình cấp trên (ngày làm việc từ khi tiếp nhận, không tính thời gian bổ sung)",
                    25,
                    "Thủ tục của một bộ theo NĐ 98/2023 (25 ngày làm việc, một nguồn)",
                    false,
                ),
                l(
                    COMPLETE,
                    "Đơn vị bổ sung hồ sơ (ngày làm việc từ khi trả lại)",
                    10,
                    "Mặc định của hệ thống",
                    false,
                ),
                l(
                    POSTING,
                    "Công khai tối thiểu (ngày làm việc)",
                    5,
                    "Điều 5 Luật TĐKT 2022; thực tiễn các tỉnh (thường ≥ 05 ngày làm việc)",
                    false,
                ),
                l(
                    APPROVE,
                    "Lãnh đạo phê duyệt (ngày làm việc từ khi trình)",
                    5,
                    "Mặc định của hệ thống",
                    false,
                ),
                l(
                    VOTE_DEFAULT,
                    "Tỷ lệ thành viên Hội đồng đồng ý (%, 50 = quá bán)",
                    50,
                    "Điều 90 Luật TĐKT 2022 (ngưỡng chưa xác nhận)",
                    false,
                ),
                l(
                    VOTE_PROVINCE_FIGHTER,
                    "Tỷ lệ đồng ý cho Chiến sĩ thi đua tỉnh (%)",
                    70,
                    "Điều 90 Luật TĐKT 2022; thực tiễn NĐ 91/2017",
                    false,
                ),
                l(
                    VOTE_NATIONAL,
                    "Tỷ lệ đồng ý cho Chiến sĩ thi đua toàn quốc (%)",
                    90,
                    "Điều 90 Luật TĐKT 2022; thực tiễn NĐ 91/2017",
                    false,
                ),
            ],
        }
    }
}

impl ProcedureParams {
    pub fn get(&self, key: &str) -> u32 {
        self.limits
            .iter()
            .find(|l| l.key == key)
            .map_or(0, |l| l.days)
    }

    /// Sets a figure; `false` for an unknown key.
    pub fn set(&mut self, key: &str, days: u32) -> bool {
        match self.limits.iter_mut().find(|l| l.key == key) {
            Some(l) => {
                l.days = days;
                true
            }
            None => false,
        }
    }

    /// The threshold for an award code of the catalogue.
    pub fn vote_percent(&self, code: &str) -> u32 {
        match code {
            "CHIEN_SI_THI_DUA_TINH" => self.get(VOTE_PROVINCE_FIGHTER),
            "CHIEN_SI_THI_DUA_TOAN_QUOC" => self.get(VOTE_NATIONAL),
            _ => self.get(VOTE_DEFAULT),
        }
    }
}

/// One state change of a dossier, dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage {
    pub on: Date,
    pub to: DossierState,
}

/// Where a dossier stands against its limits on `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub clock: Clock,
    /// Working days used since receipt, returns not counted.
    pub used: u32,
    pub limit: u32,
    /// Negative when overdue.
    pub left: i64,
    /// The day the current step is due, when it waits on someone.
    pub step_due: Option<Date>,
    pub step_overdue: bool,
    pub overdue: bool,
}

/// Counts the processing clock over a dossier's passages (in order) and
/// dates the step it waits on.
pub fn deadline(
    passages: &[Passage],
    state: DossierState,
    today: Date,
    calendar: &WorkCalendar,
    params: &ProcedureParams,
) -> Deadline {
    let mut used = 0u32;
    let mut running_since: Option<Date> = None;
    for p in passages {
        let running = p.to.clock() == Clock::Running;
        match (running_since, running) {
            (None, true) => running_since = Some(p.on),
            (Some(since), false) => {
                used += calendar.working_days_between(since, p.on);
                running_since = None;
            }
            _ => {}
        }
    }
    if let Some(since) = running_since {
        used += calendar.working_days_between(since, today);
    }
    let limit = params.get(PROCESS);
    let entered = passages.last().map_or(today, |p| p.on);
    let step_limit = match state {
        S::Submitted => Some(params.get(RECEIVE)),
        S::Returned => Some(params.get(COMPLETE)),
        S::PendingApproval => Some(params.get(APPROVE)),
        S::Posted => Some(params.get(POSTING)),
        _ => None,
    };
    let left = i64::from(limit) - i64::from(used);
    let step_due = match (state.clock(), step_limit) {
        (_, Some(n)) => calendar.add_working_days(entered, n),
        (Clock::Running, None) => {
            calendar.add_working_days(today, u32::try_from(left).unwrap_or(0))
        }
        _ => None,
    };
    // Posting has a minimum, not a maximum: it is never "overdue".
    let step_overdue = state != S::Posted && step_due.is_some_and(|d| d < today);
    Deadline {
        clock: state.clock(),
        used,
        limit,
        left,
        step_due,
        step_overdue,
        overdue: state.clock() == Clock::Running && left < 0,
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{} đồng ý, {} không đồng ý, {} không biểu quyết (cần {} %): {}",
            self.agree,
            self.members,
            self.disagree,
            self.abstain,
            self.threshold_percent,
            if self.passed {
                "đạt"
            } else {
                "không đạt"
            }
        )
    }
}

#[cfg(test)]
mod tests;
