//! The application layer's one error type and the problems it carries.

use std::fmt;

use serde::Serialize;
use thidua_store::StoreError;

/// Errors of the application layer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{} lỗi trong dữ liệu nhập; không có gì được ghi", .0.len())]
    Import(Vec<Problem>),
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
    Password(#[from] PasswordError),
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

/// One problem in an input file. `line` counts from 1 with the header as
/// line 1; `column` counts fields from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub column: Option<usize>,
    pub column_name: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: dòng {}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ", cột {c}")?;
            if let Some(n) = &self.column_name {
                write!(f, " ({n})")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("{0}")]
    Weak(#[from] thidua_domain::password::PasswordProblem),
    #[error("Mật khẩu hiện tại không đúng.")]
    WrongCurrent,
}
