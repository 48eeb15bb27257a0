//! The domain of thidua (thi đua – khen thưởng: emulation and commendation).
//!
//! Pure Rust: no I/O, no database, no web framework. Everything here can be
//! tested with plain values, and every other crate speaks in these types.

pub mod audit;
pub mod calendar;
pub mod cluster;
pub mod date;
pub mod decision;
pub mod document;
pub mod dossier;
pub mod eligibility;
pub mod exemplary;
pub mod formula;
pub mod indicator;
pub mod issuer;
pub mod login;
pub mod movement;
pub mod number;
pub mod official;
pub mod org;
pub mod password;
pub mod person;
pub mod policy;
pub mod rollup;
pub mod staff;
pub mod template;
pub mod text;
pub mod twinning;

pub use date::{Period, VnDate};
pub use org::{CodeList, OrgError, UnitCode, UnitKind};
pub use person::{Gender, PersonName};
