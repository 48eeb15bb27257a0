//! Application services: what the CLI and the web call. They parse outside
//! input into domain types, ask the domain to decide, and the store to keep.

pub mod achievements;
pub mod admin_units;
pub mod agenda;
pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod cluster_flags;
pub mod cluster_reports;
pub mod cluster_results;
pub mod clusters;
mod decision_defaults;
pub mod decisions;
pub mod demo;
pub mod demo_awards;
pub mod demo_clusters;
mod demo_dak_nong;
mod demo_examples;
mod demo_kit;
pub mod demo_movements;
pub mod demo_registry;
pub mod demo_unit_awards;
pub mod dossiers;
pub mod due;
pub mod eligibility;
mod error;
pub mod exemplary;
pub mod generate;
pub mod intake;
pub mod movements;
pub mod name_index;
pub mod org_edit;
pub mod org_view;
pub mod people;
pub mod rechecks;
pub mod registry;
pub mod registry_import;
pub mod report;
pub mod stats;
pub mod sweep;
pub mod unit_awards;

pub(crate) use error::invalid;
pub use error::{AppError, AppResult, FieldProblem};
