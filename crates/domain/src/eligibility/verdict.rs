//! What the engine answers: the verdict, its checks, and the rule set
//! (law and decree) it judged by.

use serde::Serialize;
use time::Date;
use time::macros::date;

/// Which body of rules judges a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSet {
    /// Luật TĐKT 2003 (sửa đổi 2013) và Nghị định 91/2017.
    Law2013,
    /// Luật TĐKT 2022 và Nghị định 98/2023.
    Law2022Decree98,
    /// Luật TĐKT 2022 và Nghị định 152/2025.
    Law2022Decree152,
}

impl RuleSet {
    pub fn for_decision(d: Date) -> RuleSet {
        if d < date!(2024 - 01 - 01) {
            RuleSet::Law2013
        } else if d < date!(2025 - 07 - 01) {
            RuleSet::Law2022Decree98
        } else {
            RuleSet::Law2022Decree152
        }
    }

    /// How articles are cited under this rule set.
    pub fn law(self) -> &'static str {
        match self {
            RuleSet::Law2013 => "Luật TĐKT 2003 (sửa đổi 2013)",
            RuleSet::Law2022Decree98 | RuleSet::Law2022Decree152 => "Luật TĐKT 2022",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RuleSet::Law2013 => "Luật TĐKT 2003 (sửa đổi 2013), Nghị định 91/2017/NĐ-CP",
            RuleSet::Law2022Decree98 => "Luật TĐKT 2022, Nghị định 98/2023/NĐ-CP",
            RuleSet::Law2022Decree152 => "Luật TĐKT 2022, Nghị định 152/2025/NĐ-CP",
        }
    }
}

/// Kết luận.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Eligible,
    NotEligible,
    /// A person must judge: a criterion is not data, or its text is unconfirmed.
    NeedsReview,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [
        Outcome::Eligible,
        Outcome::NotEligible,
        Outcome::NeedsReview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Eligible => "eligible",
            Outcome::NotEligible => "not_eligible",
            Outcome::NeedsReview => "needs_review",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Eligible => "Đủ điều kiện",
            Outcome::NotEligible => "Chưa đủ điều kiện",
            Outcome::NeedsReview => "Cần xem xét",
        }
    }
}

/// One check of a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub rule: &'static str,
    pub article: String,
    pub passed: bool,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub verdict: Outcome,
    pub checks: Vec<Check>,
    /// Ids of unconfirmed figures the verdict rests on (see `params`).
    pub uncertain: Vec<String>,
    pub next_eligible_year: Option<i32>,
    pub missing: Vec<String>,
    pub rule_set: RuleSet,
}
