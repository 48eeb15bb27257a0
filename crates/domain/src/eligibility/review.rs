//! Bình xét danh hiệu hằng năm — the annual title review of one unit:
//! what to propose for each member and for the unit, the officer's
//! decision on each line, and the province's quotas.

use super::codes::{AwardCode, Rating};
use super::request::{CheckRequest, Members};
use super::{Outcome, RequestError, Verdict, check};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Titles a unit gives its people in the annual review.
pub const INDIVIDUAL_TITLES: [AwardCode; 2] =
    [AwardCode::ChienSiThiDuaCoSo, AwardCode::LaoDongTienTien];

/// Titles proposed for the unit itself.
pub const COLLECTIVE_TITLES: [AwardCode; 2] = [
    AwardCode::TapTheLaoDongXuatSac,
    AwardCode::TapTheLaoDongTienTien,
];

/// Whether a catalogue code is one of the annual titles the yearly review
/// gives (one per subject and year, kept apart from other awards).
pub fn is_annual_title(code: &str) -> bool {
    AwardCode::parse(code)
        .is_some_and(|c| INDIVIDUAL_TITLES.contains(&c) || COLLECTIVE_TITLES.contains(&c))
}

/// The best title of `ladder` the subject qualifies for, with its verdict;
/// when none qualifies, the last (lowest) with its verdict, so the officer
/// reads why not.
pub fn propose(
    base: &CheckRequest,
    ladder: &[AwardCode],
) -> Result<(AwardCode, Verdict), RequestError> {
    let mut last = None;
    for code in ladder {
        let mut req = base.clone();
        req.proposed = *code;
        let v = check(&req)?;
        if v.verdict == Outcome::Eligible {
            return Ok((*code, v));
        }
        last = Some((*code, v));
    }
    last.ok_or_else(|| RequestError {
        field: "proposed".into(),
        message: "không có danh hiệu nào để đề xuất".into(),
    })
}

/// Quyết định của cán bộ on one line of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineDecision {
    /// Not decided yet.
    Pending,
    /// Proposed as the engine found eligible.
    Accepted,
    /// Proposed against the engine's verdict (not eligible, or needing a
    /// judgement): the reason is on record.
    Overridden,
    /// Not proposed.
    Dropped,
}

impl LineDecision {
    pub const ALL: [LineDecision; 4] = [
        LineDecision::Pending,
        LineDecision::Accepted,
        LineDecision::Overridden,
        LineDecision::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LineDecision::Pending => "pending",
            LineDecision::Accepted => "accepted",
            LineDecision::Overridden => "overridden",
            LineDecision::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<LineDecision> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            LineDecision::Pending => "Chưa quyết định",
            LineDecision::Accepted => "Đề nghị",
            LineDecision::Overridden => "Đề nghị (điều chỉnh)",
            LineDecision::Dropped => "Không đề nghị",
        }
    }

    /// Whether the line's title goes into the list.
    pub fn proposes(self) -> bool {
        matches!(self, LineDecision::Accepted | LineDecision::Overridden)
    }
}

/// What the officer asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Want {
    Propose,
    Drop,
}

/// Why a decision is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("cần ghi lý do khi đề nghị người chưa đủ điều kiện hoặc cần xem xét")]
    ReasonToPropose,
    #[error("cần ghi lý do khi không đề nghị người đủ điều kiện")]
    ReasonToDrop,
    #[error("lý do quá dài (tối đa 1000 ký tự)")]
    ReasonTooLong,
    #[error("bình xét đã chốt danh sách, không sửa được")]
    Closed,
    #[error("còn {0} dòng chưa quyết định")]
    Undecided(usize),
    #[error("{0}")]
    OverQuota(String),
}

/// The officer's decision, given the engine's outcome: departing from the
/// engine needs a reason, which the audit log keeps.
pub fn decide(
    outcome: Outcome,
    want: Want,
    reason: Option<&str>,
) -> Result<LineDecision, ReviewError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(ReviewError::ReasonTooLong);
    }
    match (want, outcome, reason) {
        (Want::Propose, Outcome::Eligible, _) => Ok(LineDecision::Accepted),
        (Want::Propose, _, Some(_)) => Ok(LineDecision::Overridden),
        (Want::Propose, _, None) => Err(ReviewError::ReasonToPropose),
        (Want::Drop, Outcome::Eligible, None) => Err(ReviewError::ReasonToDrop),
        (Want::Drop, _, _) => Ok(LineDecision::Dropped),
    }
}

/// A member's line as the collective count sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemberLine {
    pub rating: Option<Rating>,
    pub title: Option<AwardCode>,
    pub decision: LineDecision,
}

/// The members block of the unit's own check, from its members' lines:
/// CSTĐCS holders count as LĐTT too (they meet its standard, Điều 23).
pub fn members_of(lines: &[MemberLine]) -> Members {
    let proposed = |code: AwardCode| {
        lines
            .iter()
            .filter(|l| l.decision.proposes() && l.title == Some(code))
            .count() as u32
    };
    let cstdcs = proposed(AwardCode::ChienSiThiDuaCoSo);
    let ldtt = proposed(AwardCode::LaoDongTienTien) + cstdcs;
    let mut titles = BTreeMap::new();
    titles.insert(AwardCode::LaoDongTienTien, ldtt);
    titles.insert(AwardCode::ChienSiThiDuaCoSo, cstdcs);
    Members {
        total: lines.len() as u32,
        completed_tasks: Some(
            lines
                .iter()
                .filter(|l| l.rating.is_some_and(|r| r >= Rating::Completed))
                .count() as u32,
        ),
        titles,
    }
}

/// Giới hạn tỷ lệ — at most `max_percent` % of the holders of `of` (or of
/// all members) may be proposed for `code`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quota {
    pub code: AwardCode,
    pub max_percent: f64,
    pub of: Option<AwardCode>,
}

/// How a quota stands in one review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaUse {
    pub code: AwardCode,
    pub count: u32,
    pub base: u32,
    pub limit: u32,
    pub max_percent: f64,
    pub over: bool,
    pub sentence: String,
}

pub fn quota_use(quotas: &[Quota], members: &Members) -> Vec<QuotaUse> {
    quotas
        .iter()
        .map(|q| {
            let count = members.titles.get(&q.code).copied().unwrap_or(0);
            let base = match q.of {
                Some(of) => members.titles.get(&of).copied().unwrap_or(0),
                None => members.total,
            };
            // Whole people: the cap rounds down.
            let limit = (f64::from(base) * q.max_percent / 100.0 + 1e-9).floor() as u32;
            let of_words = match q.of {
                Some(of) => format!("số {of}"),
                None => "số thành viên".to_owned(),
            };
            QuotaUse {
                code: q.code,
                count,
                base,
                limit,
                max_percent: q.max_percent,
                over: count > limit,
                sentence: format!(
                    "{}: {count} người, tối đa {limit} ({} % của {base} — {of_words})",
                    q.code,
                    crate::number::format_vi_short(q.max_percent, 2)
                ),
            }
        })
        .collect()
}

/// Whether the list may be produced: every line decided, no quota passed.
pub fn ready_to_close(decisions: &[LineDecision], quotas: &[QuotaUse]) -> Result<(), ReviewError> {
    let pending = decisions
        .iter()
        .filter(|d| **d == LineDecision::Pending)
        .count();
    if pending > 0 {
        return Err(ReviewError::Undecided(pending));
    }
    if let Some(q) = quotas.iter().find(|q| q.over) {
        return Err(ReviewError::OverQuota(format!(
            "vượt giới hạn — {}",
            q.sentence
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::request::{History, Subject, YearRating};
    use crate::eligibility::{Outcome, SubjectKind};
    use time::macros::date;

    fn person(rating: Option<Rating>) -> CheckRequest {
        CheckRequest {
            subject: Subject {
                kind: SubjectKind::Individual,
                category: None,
                unit_type: None,
            },
            proposed: AwardCode::LaoDongTienTien,
            year: 2026,
            decision_date: date!(2026 - 12 - 15),
            award_type: Default::default(),
            history: History {
                ratings: rating
                    .map(|rating| YearRating { year: 2026, rating })
                    .into_iter()
                    .collect(),
                ..Default::default()
            },
            period_from: None,
            achievement: None,
            positions: Vec::new(),
            decided_by: None,
            findings: Vec::new(),
        }
    }

    #[test]
    fn proposes_the_best_title_that_holds() {
        let (c, v) = propose(
            &person(Some(Rating::CompletedExcellently)),
            &INDIVIDUAL_TITLES,
        )
        .unwrap();
        assert_eq!(
            (c, v.verdict),
            (AwardCode::ChienSiThiDuaCoSo, Outcome::Eligible)
        );
        let (c, _) = propose(&person(Some(Rating::CompletedWell)), &INDIVIDUAL_TITLES).unwrap();
        assert_eq!(c, AwardCode::LaoDongTienTien);
        let (c, v) = propose(&person(Some(Rating::Completed)), &INDIVIDUAL_TITLES).unwrap();
        assert_eq!(
            (c, v.verdict),
            (AwardCode::LaoDongTienTien, Outcome::NotEligible)
        );
        let (_, v) = propose(&person(None), &INDIVIDUAL_TITLES).unwrap();
        assert!(v.missing.iter().any(|m| m.contains("xếp loại")), "{v:?}");
    }

    #[test]
    fn departing_from_the_engine_needs_a_reason() {
        use Outcome::*;
        assert_eq!(
            decide(Eligible, Want::Propose, None),
            Ok(LineDecision::Accepted)
        );
        assert_eq!(
            decide(NotEligible, Want::Propose, Some("  ")),
            Err(ReviewError::ReasonToPropose)
        );
        assert_eq!(
            decide(NeedsReview, Want::Propose, Some("Hội đồng xét thấy đủ")),
            Ok(LineDecision::Overridden)
        );
        assert_eq!(
            decide(Eligible, Want::Drop, None),
            Err(ReviewError::ReasonToDrop)
        );
        assert_eq!(
            decide(NotEligible, Want::Drop, None),
            Ok(LineDecision::Dropped)
        );
        let long = "x".repeat(1001);
        assert_eq!(
            decide(Eligible, Want::Drop, Some(&long)),
            Err(ReviewError::ReasonTooLong)
        );
    }

    #[test]
    fn members_and_quotas_count_the_proposed_lines() {
        let line = |r, t, d| MemberLine {
            rating: Some(r),
            title: Some(t),
            decision: d,
        };
        use AwardCode::*;
        use LineDecision::*;
        use Rating::*;
        let lines = vec![
            line(CompletedExcellently, ChienSiThiDuaCoSo, Accepted),
            line(CompletedExcellently, ChienSiThiDuaCoSo, Overridden),
            line(CompletedWell, LaoDongTienTien, Accepted),
            line(CompletedWell, LaoDongTienTien, Accepted),
            line(Completed, LaoDongTienTien, Dropped),
            line(NotCompleted, LaoDongTienTien, Dropped),
        ];
        let m = members_of(&lines);
        assert_eq!(m.total, 6);
        assert_eq!(m.completed_tasks, Some(5));
        assert_eq!(m.titles[&LaoDongTienTien], 4);
        assert_eq!(m.titles[&ChienSiThiDuaCoSo], 2);
        let q = quota_use(
            &[Quota {
                code: ChienSiThiDuaCoSo,
                max_percent: 15.0,
                of: Some(LaoDongTienTien),
            }],
            &m,
        );
        assert_eq!(
            (q[0].count, q[0].base, q[0].limit, q[0].over),
            (2, 4, 0, true)
        );
        assert!(q[0].sentence.contains("15 %"), "{}", q[0].sentence);
        assert!(matches!(
            ready_to_close(&[Accepted, Dropped], &q),
            Err(ReviewError::OverQuota(_))
        ));
        assert_eq!(
            ready_to_close(&[Accepted, Pending], &[]),
            Err(ReviewError::Undecided(1))
        );
        assert_eq!(ready_to_close(&[Accepted, Dropped], &[]), Ok(()));
    }
}
