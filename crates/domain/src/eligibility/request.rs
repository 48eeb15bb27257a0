//! The question asked of the engine: a subject, the award proposed, and the
//! history the registry (or an external caller) knows. Parsed, then checked
//! for impossible histories before any rule runs.

use super::codes::{AwardCode, DisciplineLevel, InitiativeScope, Rating, SubjectKind};
use super::inputs::{Achievement, AchievementKind, DecidedBy, Finding, Post};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use time::Date;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_type: Option<String>,
}

pub use super::codes::AwardType;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckRequest {
    pub subject: Subject,
    pub proposed: AwardCode,
    /// The last year of the achievement period the proposal rests on.
    pub year: i32,
    /// When the competent body decides: it selects the rules in force.
    pub decision_date: Date,
    #[serde(default)]
    pub award_type: AwardType,
    #[serde(default)]
    pub history: History,
    /// The first year of the achievement period, when it spans years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_from: Option<i32>,
    /// What a thematic, sudden or contribution award rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement: Option<Achievement>,
    /// Leading posts, for a dedication award.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<Post>,
    /// The deciding authority, whose competence is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<DecidedBy>,
    /// Later findings about the years the award rests on (a re-check).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    #[serde(default)]
    pub ratings: Vec<YearRating>,
    #[serde(default)]
    pub titles: Vec<Held>,
    #[serde(default)]
    pub awards: Vec<Held>,
    #[serde(default)]
    pub initiatives: Vec<Initiative>,
    #[serde(default)]
    pub discipline: Vec<Discipline>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<Employment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Members>,
    #[serde(default)]
    pub cluster_results: Vec<ClusterResult>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YearRating {
    pub year: i32,
    pub rating: Rating,
}

/// Trạng thái of a title or award in the history.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeldStatus {
    #[default]
    Active,
    /// Hủy bỏ — it no longer counts anywhere (Điều 93).
    Revoked,
}

/// A title or form already received. Titles carry `year`; forms carry a
/// decision date and usually an achievement period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Held {
    pub code: AwardCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_from: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_to: Option<i32>,
    #[serde(default)]
    pub status: HeldStatus,
}

impl Held {
    /// The last year of its achievement period: the period's end, else the
    /// title's year, else the decision's year (ND 98 Điều 30 khoản 9).
    pub fn achievement_end(&self) -> Option<i32> {
        self.period_to
            .or(self.year)
            .or(self.decision_date.map(|d| d.year()))
    }

    pub fn achievement_start(&self) -> Option<i32> {
        self.period_from.or(self.achievement_end())
    }

    pub fn counts(&self) -> bool {
        self.status == HeldStatus::Active
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    pub year: i32,
    pub scope: InitiativeScope,
    /// The award it was used for, if any: it cannot count again.
    #[serde(default)]
    pub used_by: Option<AwardCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_by_year: Option<i32>,
    #[serde(default)]
    pub status: HeldStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Discipline {
    pub year: i32,
    pub level: DisciplineLevel,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Employment {
    pub start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Members {
    pub total: u32,
    #[serde(default)]
    pub completed_tasks: Option<u32>,
    #[serde(default)]
    pub titles: BTreeMap<AwardCode, u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterResult {
    pub year: i32,
    #[serde(default)]
    pub rank: Option<u32>,
    #[serde(default)]
    pub leader: bool,
    /// `cum` or `khoi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_type: Option<String>,
    /// Who organised the cluster: `tinh`, `bo` or `trung_uong`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organised_by: Option<ClusterOrganiser>,
    /// Whether the cluster's vote proposed the subject for the flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voted: Option<bool>,
}

/// Who organised a cụm, khối thi đua.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterOrganiser {
    Tinh,
    Bo,
    TrungUong,
}

/// Why a request cannot be judged: the field at fault and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RequestError {
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> RequestError {
    RequestError {
        field: field.into(),
        message: message.into(),
    }
}

/// Years the engine accepts.
pub const YEARS: std::ops::RangeInclusive<i32> = 1945..=2100;

impl History {
    /// Refuses an impossible history whatever is asked of it: two ratings
    /// for a year, a title before employment, an award decided before its
    /// period ends, members counts that do not add up.
    pub fn validate(&self) -> Result<(), RequestError> {
        let year_ok = |field: String, y: i32| {
            if YEARS.contains(&y) {
                Ok(())
            } else {
                Err(err(field, format!("năm {y} nằm ngoài khoảng 1945–2100")))
            }
        };
        let h = self;
        let mut seen = HashSet::new();
        for (i, r) in h.ratings.iter().enumerate() {
            year_ok(format!("history.ratings[{i}].year"), r.year)?;
            if !seen.insert(r.year) {
                return Err(err(
                    format!("history.ratings[{i}].year"),
                    format!("năm {} có hai mức xếp loại", r.year),
                ));
            }
        }
        let start_year = h.employment.map(|e| e.start.year());
        let mut title_years = HashSet::new();
        for (i, t) in h.titles.iter().enumerate() {
            let field = format!("history.titles[{i}]");
            let Some(y) = t.year.or(t.period_to) else {
                return Err(err(format!("{field}.year"), "danh hiệu cần năm"));
            };
            year_ok(format!("{field}.year"), y)?;
            if start_year.is_some_and(|s| y < s) {
                return Err(err(
                    format!("{field}.year"),
                    format!("danh hiệu năm {y} trước khi bắt đầu công tác"),
                ));
            }
            if t.counts() && !title_years.insert((t.code, y)) {
                return Err(err(
                    format!("{field}.year"),
                    format!("{} năm {y} được ghi hai lần", t.code),
                ));
            }
        }
        for (i, a) in h.awards.iter().enumerate() {
            let field = format!("history.awards[{i}]");
            if let (Some(f), Some(t)) = (a.period_from, a.period_to)
                && f > t
            {
                return Err(err(
                    format!("{field}.period_from"),
                    "kỳ thành tích bắt đầu sau khi kết thúc",
                ));
            }
            for y in [a.period_from, a.period_to, a.year].into_iter().flatten() {
                year_ok(format!("{field}.period_to"), y)?;
            }
            if let (Some(d), Some(end)) = (a.decision_date, a.achievement_end())
                && d.year() < end
            {
                return Err(err(
                    format!("{field}.decision_date"),
                    format!("quyết định ngày {d} trước khi kỳ thành tích (đến năm {end}) kết thúc"),
                ));
            }
        }
        for (i, x) in h.initiatives.iter().enumerate() {
            year_ok(format!("history.initiatives[{i}].year"), x.year)?;
        }
        for (i, x) in h.discipline.iter().enumerate() {
            year_ok(format!("history.discipline[{i}].year"), x.year)?;
        }
        if let Some(e) = h.employment
            && e.end.is_some_and(|end| end < e.start)
        {
            return Err(err(
                "history.employment.end",
                "ngày thôi việc trước ngày bắt đầu",
            ));
        }
        if let Some(m) = &h.members {
            if m.completed_tasks.is_some_and(|c| c > m.total) {
                return Err(err(
                    "history.members.completed_tasks",
                    "nhiều hơn tổng số thành viên",
                ));
            }
            for (code, n) in &m.titles {
                if *n > m.total {
                    return Err(err(
                        format!("history.members.titles.{}", code.code()),
                        "nhiều hơn tổng số thành viên",
                    ));
                }
            }
        }
        Ok(())
    }
}

impl CheckRequest {
    /// A request with no achievement, posts, authority or findings: what a
    /// regular award needs.
    pub fn new(
        subject: Subject,
        proposed: AwardCode,
        year: i32,
        decision_date: Date,
        award_type: AwardType,
        history: History,
    ) -> CheckRequest {
        CheckRequest {
            subject,
            proposed,
            year,
            decision_date,
            award_type,
            history,
            period_from: None,
            achievement: None,
            positions: Vec::new(),
            decided_by: None,
            findings: Vec::new(),
        }
    }

    /// Refuses impossible histories: years out of range, two ratings for a
    /// year, an award decided before its period ends, a title before the
    /// subject was employed, members counts that do not add up.
    pub fn validate(&self) -> Result<(), RequestError> {
        let year_ok = |field: String, y: i32| {
            if YEARS.contains(&y) {
                Ok(())
            } else {
                Err(err(field, format!("năm {y} nằm ngoài khoảng 1945–2100")))
            }
        };
        year_ok("year".into(), self.year)?;
        year_ok("decision_date".into(), self.decision_date.year())?;
        if self.decision_date.year() < self.year {
            return Err(err(
                "decision_date",
                format!("ngày quyết định trước năm thành tích {}", self.year),
            ));
        }
        if let Some(f) = self.period_from
            && f > self.year
        {
            return Err(err("period_from", "kỳ thành tích bắt đầu sau năm đề nghị"));
        }
        match (&self.achievement, self.award_type) {
            (Some(a), _) => check_achievement(a, self.year)?,
            (None, AwardType::Thematic | AwardType::AdHoc) => {
                return Err(err(
                    "achievement",
                    format!(
                        "khen thưởng {} cần thành tích được công nhận (Điều 8)",
                        super::catalogue::award_type_label(self.award_type)
                    ),
                ));
            }
            (None, _) => {}
        }
        if self.award_type == AwardType::Dedication && self.positions.is_empty() {
            return Err(err(
                "positions",
                "khen thưởng quá trình cống hiến cần các chức vụ đã giữ và thời gian giữ (Điều 8)",
            ));
        }
        check_posts(&self.positions)?;
        for (i, f) in self.findings.iter().enumerate() {
            year_ok(format!("findings[{i}].year"), f.year)?;
        }
        self.history.validate()
    }

    pub fn rating(&self, year: i32) -> Option<Rating> {
        self.history
            .ratings
            .iter()
            .find(|r| r.year == year)
            .map(|r| r.rating)
    }

    /// Whether the subject holds `code` for `year` (an active title).
    pub fn has_title(&self, code: AwardCode, year: i32) -> bool {
        self.history
            .titles
            .iter()
            .any(|t| t.code == code && t.counts() && t.year.or(t.period_to) == Some(year))
    }

    pub fn disciplined(&self, year: i32, at_least: DisciplineLevel) -> Option<DisciplineLevel> {
        self.history
            .discipline
            .iter()
            .filter(|d| d.year == year && d.level >= at_least)
            .map(|d| d.level)
            .max()
    }

    /// Active awards (forms) of a code, latest achievement first.
    pub fn awards_of(&self, code: AwardCode) -> Vec<&Held> {
        let mut v: Vec<&Held> = self
            .history
            .awards
            .iter()
            .chain(self.history.titles.iter())
            .filter(|a| a.code == code && a.counts())
            .collect();
        v.sort_by_key(|a| std::cmp::Reverse(a.achievement_end()));
        v
    }
}

/// Refuses an achievement whose period is impossible.
fn check_achievement(a: &Achievement, year: i32) -> Result<(), RequestError> {
    if a.period_from > a.period_to {
        return Err(err(
            "achievement.period_from",
            "kỳ thành tích bắt đầu sau khi kết thúc",
        ));
    }
    if a.period_to > year {
        return Err(err(
            "achievement.period_to",
            format!("kỳ thành tích kết thúc sau năm đề nghị {year}"),
        ));
    }
    if a.kind == AchievementKind::Movement && a.movement.as_deref().is_none_or(str::is_empty) {
        return Err(err(
            "achievement.movement",
            "thành tích trong phong trào cần tên hoặc mã phong trào (Điều 8 khoản 3)",
        ));
    }
    Ok(())
}

/// Refuses posts that end before they begin or overlap one another: one
/// person holds one leading post at a time, so overlapping years would be
/// counted twice.
fn check_posts(posts: &[Post]) -> Result<(), RequestError> {
    for (i, p) in posts.iter().enumerate() {
        if p.until.is_some_and(|u| u <= p.from) {
            return Err(err(
                format!("positions[{i}].until"),
                "ngày thôi giữ chức vụ không sau ngày bắt đầu",
            ));
        }
        for (j, q) in posts.iter().enumerate().skip(i + 1) {
            let p_end = p.until.unwrap_or(Date::MAX);
            let q_end = q.until.unwrap_or(Date::MAX);
            if p.from < q_end && q.from < p_end {
                return Err(err(
                    format!("positions[{j}].from"),
                    format!(
                        "thời gian giữ chức vụ chồng lên chức vụ thứ {} (Nghị định 152/2025/NĐ-CP Điều 21: mỗi năm chỉ tính một chức vụ)",
                        i + 1
                    ),
                ));
            }
        }
    }
    Ok(())
}
