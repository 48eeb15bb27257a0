//! Application services: what the CLI and the web call. They parse outside
//! input into domain types, ask the domain to decide, and the store to keep.

pub mod admin_units;
pub mod auth;
pub mod calendar;
pub mod catalogue;
pub mod cluster_flags;
pub mod cluster_reports;
pub mod clusters;
pub mod decisions;
pub mod demo;
pub mod demo_awards;
pub mod demo_clusters;
pub mod demo_movements;
pub mod demo_registry;
pub mod dossiers;
pub mod eligibility;
pub mod intake;
pub mod movements;
pub mod org_edit;
pub mod org_view;
pub mod registry;
pub mod registry_import;
pub mod report;
pub mod stats;

use thidua_store::StoreError;

/// Errors of the application layer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{} lỗi trong dữ liệu nhập; không có gì được ghi", .0.len())]
    Import(Vec<admin_units::Problem>),
    #[error("không đọc được {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("dữ liệu mẫu: {0}")]
    Demo(String),
    #[error(transparent)]
    Password(#[from] auth::PasswordError),
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// Several fields of one form are wrong at once: a form shows them all.
    #[error("{}", .0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" "))]
    Fields(Vec<FieldProblem>),
    #[error("không tìm thấy {0}")]
    NotFound(String),
    #[error(transparent)]
    Denied(#[from] thidua_domain::policy::Denied),
    /// Too many requests of one kind from one client (a daily limit).
    #[error("{0}")]
    TooMany(String),
    #[error("lỗi hệ thống: {0}")]
    Internal(String),
    #[error(transparent)]
    Document(#[from] thidua_documents::DocumentError),
}

pub type AppResult<T> = Result<T, AppError>;

/// One wrong field of a form, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

/// Bad input on one field, said in Vietnamese.
pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field,
        message: message.into(),
    }
}
