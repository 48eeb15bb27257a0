//! Khối, cụm thi đua — emulation blocks and clusters: the scoring sheet
//! (bảng chấm điểm) as a tree of criteria groups and criteria, the scoring
//! of one member, and the ranking of a cluster's members with its
//! tie-breaks. Pure: the store keeps sheets and scores, this decides what
//! a score is worth and who leads.
//!
//! Points are kept in hundredths (`Points`) so that sums and ties are exact:
//! officers score to two decimals ("8,75 điểm").

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod words;
pub use words::{ClusterKind, MemberRole, ScoreStage, UnknownWord};

/// Points in hundredths: 875 is 8,75 điểm.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Reads "8,75", "8.75" or "9" (at most two decimals).
    pub fn parse(s: &str) -> Option<Points> {
        let t = s.trim().replace(',', ".");
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, t),
        };
        let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
        if whole.is_empty() && frac.is_empty()
            || frac.len() > 2
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let w: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let f: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        let v = w.checked_mul(100)?.checked_add(f)?;
        Some(Points(if neg { -v } else { v }))
    }
}

impl fmt::Display for Points {
    /// Vietnamese style: "8,75", "9", "-2,5".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.abs();
        let (w, c) = (a / 100, a % 100);
        match c {
            0 => write!(f, "{sign}{w}"),
            c if c % 10 == 0 => write!(f, "{sign}{w},{}", c / 10),
            c => write!(f, "{sign}{w},{c:02}"),
        }
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0 + o.0)
    }
}

impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0 - o.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

/// How a criterion turns what a member achieved into points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CriterionKind {
    /// Đạt / không đạt: the maximum or nothing.
    Fixed,
    /// Points by the level achieved (e.g. Hoàn thành xuất sắc 10, Hoàn
    /// thành tốt 8, Hoàn thành 5, Không hoàn thành 0).
    Levels { levels: Vec<Level> },
    /// In proportion to a target (e.g. budget collected against plan):
    /// the maximum at the target, a share below it, never above it.
    Proportional { target: f64 },
    /// Điểm thưởng: added, up to its cap (the criterion's maximum).
    Bonus,
    /// Điểm trừ: subtracted, up to its cap (the criterion's maximum).
    Penalty,
}

/// One level of a `Levels` criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub label: String,
    pub points: Points,
}

/// Tiêu chí — one line of the sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub code: String,
    pub name: String,
    /// The most it gives (for a bonus or a penalty: its cap).
    pub max: Points,
    pub kind: CriterionKind,
    /// Whether a score needs evidence (minh chứng) attached.
    pub evidence_required: bool,
}

/// Nhóm tiêu chí — a group of criteria with its own heading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub criteria: Vec<Criterion>,
}

/// Bảng chấm điểm — a cluster's scoring sheet for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub groups: Vec<Group>,
}

/// What a member reports for one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Achieved {
    /// A fixed criterion met or not.
    Met(bool),
    /// The label of the level reached.
    Level(String),
    /// The amount achieved against the target (same unit as the target).
    Amount(f64),
    /// Points given directly (bonus, penalty).
    Points(Points),
}

/// One criterion's entry: what was achieved, and the evidence offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub criterion: String,
    pub achieved: Achieved,
    /// Names of the evidence files or documents; empty when none.
    pub evidence: Vec<String>,
}

/// Everything that can be wrong with a sheet or a score.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("bảng điểm không có nhóm tiêu chí nào")]
    EmptySheet,
    #[error("mã «{0}» dùng hai lần trong bảng điểm")]
    DuplicateCode(String),
    #[error("tiêu chí {0}: điểm tối đa phải lớn hơn 0")]
    NoMaximum(String),
    #[error("tiêu chí {code}: mức «{label}» ({points} điểm) vượt điểm tối đa")]
    LevelAboveMax {
        code: String,
        label: String,
        points: String,
    },
    #[error("tiêu chí {0}: chỉ tiêu phải lớn hơn 0")]
    BadTarget(String),
    #[error("không có tiêu chí «{0}» trong bảng điểm")]
    UnknownCriterion(String),
    #[error("tiêu chí {0} được chấm hai lần")]
    Twice(String),
    #[error("tiêu chí {code}: {points} điểm vượt điểm tối đa {max}")]
    AboveMax {
        code: String,
        points: String,
        max: String,
    },
    #[error("tiêu chí {code}: điểm không được âm ({points})")]
    Negative { code: String, points: String },
    #[error("tiêu chí {code}: điểm thưởng {points} vượt mức tối đa {max}")]
    BonusAboveCap {
        code: String,
        points: String,
        max: String,
    },
    #[error("tiêu chí {code}: điểm trừ {points} vượt mức tối đa {max}")]
    PenaltyAboveCap {
        code: String,
        points: String,
        max: String,
    },
    #[error("tiêu chí {0}: không có mức «{1}»")]
    UnknownLevel(String, String),
    #[error("tiêu chí {0}: số đạt được không hợp lệ")]
    BadAmount(String),
    #[error("tiêu chí {0}: kiểu kết quả không hợp với loại tiêu chí")]
    WrongKind(String),
    #[error("tiêu chí {0} cần minh chứng")]
    MissingEvidence(String),
}

impl Sheet {
    /// Refuses a sheet no one could score: empty, repeated codes, criteria
    /// without a maximum, levels above it, a target of zero.
    pub fn check(&self) -> Result<(), ScoreError> {
        if self.groups.is_empty() {
            return Err(ScoreError::EmptySheet);
        }
        let mut seen = BTreeSet::new();
        for g in &self.groups {
            if !seen.insert(g.code.clone()) {
                return Err(ScoreError::DuplicateCode(g.code.clone()));
            }
            for c in &g.criteria {
                if !seen.insert(c.code.clone()) {
                    return Err(ScoreError::DuplicateCode(c.code.clone()));
                }
                if c.max <= Points::ZERO {
                    return Err(ScoreError::NoMaximum(c.code.clone()));
                }
                match &c.kind {
                    CriterionKind::Levels { levels } => {
                        for l in levels {
                            if l.points > c.max || l.points < Points::ZERO {
                                return Err(ScoreError::LevelAboveMax {
                                    code: c.code.clone(),
                                    label: l.label.clone(),
                                    points: l.points.to_string(),
                                });
                            }
                        }
                    }
                    CriterionKind::Proportional { target } if target.is_nan() || *target <= 0.0 => {
                        return Err(ScoreError::BadTarget(c.code.clone()));
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn criterion(&self, code: &str) -> Option<(&Group, &Criterion)> {
        self.groups
            .iter()
            .find_map(|g| g.criteria.iter().find(|c| c.code == code).map(|c| (g, c)))
    }

    /// The most a member can reach: every positive criterion at its
    /// maximum, bonuses included, no penalty.
    pub fn maximum(&self) -> Points {
        self.groups
            .iter()
            .flat_map(|g| &g.criteria)
            .filter(|c| c.kind != CriterionKind::Penalty)
            .map(|c| c.max)
            .sum()
    }
}

/// A member's score: each criterion's points (penalties negative), each
/// group's total, the whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub criteria: BTreeMap<String, Points>,
    /// In the sheet's group order.
    pub groups: Vec<(String, Points)>,
    pub bonus: Points,
    /// Points taken off, as a positive number.
    pub penalty: Points,
    pub total: Points,
}

/// Scores one member's entries against the sheet. A criterion left out
/// scores nothing; an entry that breaks a rule refuses the whole score
/// (every rule is checked, the first broken one is returned).
pub fn score(sheet: &Sheet, entries: &[Entry]) -> Result<Scorecard, ScoreError> {
    let mut criteria = BTreeMap::new();
    let mut bonus = Points::ZERO;
    let mut penalty = Points::ZERO;
    for e in entries {
        let Some((_, c)) = sheet.criterion(&e.criterion) else {
            return Err(ScoreError::UnknownCriterion(e.criterion.clone()));
        };
        if criteria.contains_key(&c.code) {
            return Err(ScoreError::Twice(c.code.clone()));
        }
        let points = points_of(c, &e.achieved)?;
        if c.evidence_required
            && points != Points::ZERO
            && e.evidence.iter().all(|s| s.trim().is_empty())
        {
            return Err(ScoreError::MissingEvidence(c.code.clone()));
        }
        match c.kind {
            CriterionKind::Bonus => bonus = bonus + points,
            CriterionKind::Penalty => penalty = penalty + points,
            _ => {}
        }
        let signed = if c.kind == CriterionKind::Penalty {
            Points(-points.0)
        } else {
            points
        };
        criteria.insert(c.code.clone(), signed);
    }
    let groups: Vec<(String, Points)> = sheet
        .groups
        .iter()
        .map(|g| {
            let sum = g
                .criteria
                .iter()
                .filter_map(|c| criteria.get(&c.code).copied())
                .sum();
            (g.code.clone(), sum)
        })
        .collect();
    let total = groups.iter().map(|(_, p)| *p).sum();
    Ok(Scorecard {
        criteria,
        groups,
        bonus,
        penalty,
        total,
    })
}

/// The points one entry is worth, as a non-negative amount (a penalty's
/// sign is applied by the caller).
fn points_of(c: &Criterion, achieved: &Achieved) -> Result<Points, ScoreError> {
    let code = || c.code.clone();
    match (&c.kind, achieved) {
        (CriterionKind::Fixed, Achieved::Met(met)) => Ok(if *met { c.max } else { Points::ZERO }),
        (CriterionKind::Levels { levels }, Achieved::Level(label)) => levels
            .iter()
            .find(|l| crate::text::fold(&l.label) == crate::text::fold(label))
            .map(|l| l.points)
            .ok_or_else(|| ScoreError::UnknownLevel(code(), label.clone())),
        (CriterionKind::Proportional { target }, Achieved::Amount(a)) => {
            if !a.is_finite() || *a < 0.0 {
                return Err(ScoreError::BadAmount(code()));
            }
            // Hundredths, rounded half up: 7/9 of 10 points is 7,78.
            let share = (a / target).min(1.0);
            Ok(Points((c.max.0 as f64 * share).round() as i64))
        }
        (kind @ (CriterionKind::Bonus | CriterionKind::Penalty), Achieved::Points(p)) => {
            if *p < Points::ZERO {
                return Err(ScoreError::Negative {
                    code: code(),
                    points: p.to_string(),
                });
            }
            if *p > c.max {
                let (points, max) = (p.to_string(), c.max.to_string());
                return Err(if *kind == CriterionKind::Bonus {
                    ScoreError::BonusAboveCap {
                        code: code(),
                        points,
                        max,
                    }
                } else {
                    ScoreError::PenaltyAboveCap {
                        code: code(),
                        points,
                        max,
                    }
                });
            }
            Ok(*p)
        }
        // A scorer may give points directly on any positive criterion,
        // within its maximum (the panel's own judgement of a level).
        (_, Achieved::Points(p)) => {
            if *p < Points::ZERO {
                Err(ScoreError::Negative {
                    code: code(),
                    points: p.to_string(),
                })
            } else if *p > c.max {
                Err(ScoreError::AboveMax {
                    code: code(),
                    points: p.to_string(),
                    max: c.max.to_string(),
                })
            } else {
                Ok(*p)
            }
        }
        _ => Err(ScoreError::WrongKind(code())),
    }
}

/// Criteria where two scorers (the member and the head, say) differ by
/// more than `threshold` points: the staff look at these first.
pub fn disagreements(
    a: &Scorecard,
    b: &Scorecard,
    threshold: Points,
) -> Vec<(String, Points, Points)> {
    let codes: BTreeSet<&String> = a.criteria.keys().chain(b.criteria.keys()).collect();
    codes
        .into_iter()
        .filter_map(|code| {
            let x = a.criteria.get(code).copied().unwrap_or_default();
            let y = b.criteria.get(code).copied().unwrap_or_default();
            ((x - y).0.abs() > threshold.0).then(|| (code.clone(), x, y))
        })
        .collect()
}

/// One member's place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked<K> {
    pub member: K,
    /// 1 for the leader; members tied after every tie-break share a rank.
    pub rank: usize,
    pub total: Points,
    /// The tie-break that placed this member above the next one, when
    /// their totals were equal ("Ít điểm trừ hơn", "Điểm nhóm 1 cao hơn").
    pub decided_by: Option<String>,
}

/// Ranks a cluster's members by their final scores. Tie-breaks, in order:
/// 1. the higher total;
/// 2. fewer penalty points (a cleaner year);
/// 3. the higher score in each group, in the sheet's order (the first group
///    is the political and professional tasks);
/// 4. still equal: the same rank, listed by `K`'s order (the unit code).
pub fn rank<K: Ord + Clone>(members: &[(K, Scorecard)]) -> Vec<Ranked<K>> {
    let key = |s: &Scorecard| {
        let groups: Vec<i64> = s.groups.iter().map(|(_, p)| -p.0).collect();
        (-s.total.0, s.penalty.0, groups)
    };
    let mut order: Vec<&(K, Scorecard)> = members.iter().collect();
    order.sort_by(|a, b| key(&a.1).cmp(&key(&b.1)).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<Ranked<K>> = Vec::with_capacity(order.len());
    for (i, (k, s)) in order.iter().enumerate() {
        let rank = match i.checked_sub(1).map(|j| order[j]) {
            None => 1,
            Some((_, above)) if key(above) == key(s) => out[i - 1].rank,
            Some((_, above)) => {
                // Equal totals set apart by a later rule: say which, on
                // the member it placed above.
                if above.total == s.total {
                    out[i - 1].decided_by = if above.penalty != s.penalty {
                        Some("Ít điểm trừ hơn".to_owned())
                    } else {
                        above
                            .groups
                            .iter()
                            .zip(&s.groups)
                            .position(|(x, y)| x.1 != y.1)
                            .map(|g| format!("Điểm nhóm {} cao hơn", g + 1))
                    };
                }
                i + 1
            }
        };
        out.push(Ranked {
            member: (*k).clone(),
            rank,
            total: s.total,
            decided_by: None,
        });
    }
    out
}

/// The leaders a cluster proposes for the province's flag: the first
/// `count` ranks (members sharing the last place all count), never a member
/// below `floor` (a share of the sheet's maximum, in percent).
pub fn leaders<K: Clone>(ranking: &[Ranked<K>], count: usize, floor: Option<Points>) -> Vec<K> {
    ranking
        .iter()
        .filter(|r| r.rank <= count)
        .filter(|r| floor.is_none_or(|f| r.total >= f))
        .map(|r| r.member.clone())
        .collect()
}

#[cfg(test)]
mod tests;
