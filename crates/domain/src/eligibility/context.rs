//! The state of one judgement: the request, the rule set, the checks made
//! so far and what is still missing.

use super::codes::{AwardCode, InitiativeScope, Rating};
use super::params::Param;
use super::request::CheckRequest;
use super::{Check, Outcome, RuleSet, Verdict};

pub(super) struct Ctx<'a> {
    pub(super) req: &'a CheckRequest,
    pub(super) rs: RuleSet,
    pub(super) checks: Vec<Check>,
    pub(super) uncertain: Vec<String>,
    pub(super) missing: Vec<String>,
    pub(super) next: Option<i32>,
    pub(super) review: bool,
}

impl Ctx<'_> {
    /// An article as cited under the rule set in force: an article that
    /// names its instrument already is left as it is.
    pub(super) fn article(&self, a: &str) -> String {
        if a.contains("Luật") || a.contains("Nghị định") {
            a.to_owned()
        } else {
            format!("{a} {}", self.rs.law())
        }
    }

    pub(super) fn check(
        &mut self,
        rule: &'static str,
        article: &str,
        passed: bool,
        message: String,
    ) -> bool {
        let article = self.article(article);
        self.checks.push(Check {
            rule,
            article,
            passed,
            message,
        });
        passed
    }

    pub(super) fn param(&mut self, p: Param) -> f64 {
        if !p.confirmed && !self.uncertain.iter().any(|u| u == p.id) {
            self.uncertain.push(p.id.to_owned());
        }
        p.value
    }

    /// The subject could qualify in `y` at the earliest, if the years before
    /// then go well.
    pub(super) fn not_before(&mut self, y: i32) {
        self.next = Some(self.next.map_or(y, |n| n.max(y)));
    }

    pub(super) fn missing(&mut self, m: String) {
        self.missing.push(m);
    }

    pub(super) fn rating_at_least(&self, y: i32, min: Rating) -> bool {
        self.req.rating(y).is_some_and(|r| r >= min)
    }

    /// How many years up to `year` in a row satisfy `f`.
    pub(super) fn streak(&self, year: i32, f: impl Fn(i32) -> bool) -> i32 {
        let mut n = 0;
        while n < 60 && f(year - n) {
            n += 1;
        }
        n
    }

    /// Initiatives of at least `scope` in `years`, not used by another award.
    pub(super) fn free_initiatives(
        &self,
        years: std::ops::RangeInclusive<i32>,
        scope: InitiativeScope,
        for_award: AwardCode,
    ) -> usize {
        self.req
            .history
            .initiatives
            .iter()
            .filter(|i| {
                i.status == super::request::HeldStatus::Active
                    && years.contains(&i.year)
                    && i.scope >= scope
                    && i.used_by.is_none_or(|u| {
                        u == for_award && i.used_by_year.is_none_or(|y| y == self.req.year)
                    })
            })
            .count()
    }
}

pub(super) fn years(a: i32, b: i32) -> String {
    if a == b {
        format!("năm {a}")
    } else {
        format!("các năm {a}–{b}")
    }
}

pub(super) fn finish(c: Ctx<'_>) -> Verdict {
    let failed = c.checks.iter().any(|x| !x.passed);
    let verdict = if failed {
        Outcome::NotEligible
    } else if c.review {
        Outcome::NeedsReview
    } else {
        Outcome::Eligible
    };
    Verdict {
        verdict,
        next_eligible_year: if failed { c.next } else { None },
        missing: if failed { c.missing } else { Vec::new() },
        checks: c.checks,
        uncertain: c.uncertain,
        rule_set: c.rs,
    }
}
