//! Xét điều kiện khen thưởng — the eligibility engine. Pure: it is given
//! the history and answers with a verdict whose every check names its
//! article and says, in Vietnamese, which years and awards it looked at.
//!
//! Each year of history is a fact; the proposed award is judged by the
//! rules in force on its decision date (docs/law.md §1.2): Law 2003/2013 before
//! 01/01/2024, Law 2022 with Decree 98/2023 until 30/06/2025, Decree
//! 152/2025 from 01/07/2025.

pub mod catalogue;
pub mod codes;
mod collective_rules;
mod context;
pub mod inputs;
mod other_types;
pub mod params;
pub mod request;
pub mod review;
mod rules;
pub mod sweep;
mod verdict;

pub use verdict::{Check, Outcome, RuleSet, Verdict};

pub use codes::{AwardCode, DisciplineLevel, InitiativeScope, Rating, SubjectKind};
pub use request::{CheckRequest, History, RequestError};
pub use rules::check;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod type_tests;
