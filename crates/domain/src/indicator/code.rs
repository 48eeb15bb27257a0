//! The code an indicator is known by, and what can be wrong with an
//! indicator's definition.

use crate::number::NotANumber;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Mã chỉ tiêu — an indicator's code within its movement ("TC01", "NTM").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndicatorCode(String);

/// Everything that can be wrong with an indicator, its definition or a value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndicatorError {
    #[error(
        "mã chỉ tiêu không hợp lệ: «{0}» (bắt đầu bằng chữ in hoa, gồm chữ in hoa không dấu, số, dấu _; tối đa 32 ký tự)"
    )]
    BadCode(String),
    #[error("đơn vị tính không xác định: «{0}»")]
    UnknownMeasure(String),
    #[error("kỳ báo cáo không xác định: «{0}» (year, quarter, date)")]
    UnknownPeriodKind(String),
    #[error("kỳ «{text}» không đúng dạng {expected}")]
    BadPeriod {
        text: String,
        expected: &'static str,
    },
    #[error(transparent)]
    NotANumber(#[from] NotANumber),
    #[error("chỉ tiêu {code} ({measure}) không nhận giá trị «{value}»: {why}")]
    BadValue {
        code: String,
        measure: &'static str,
        value: String,
        why: &'static str,
    },
    #[error("chỉ tiêu {0} bị khai báo hai lần")]
    Duplicate(String),
    #[error("chỉ tiêu {indicator} dùng chỉ tiêu {missing} chưa được khai báo")]
    UnknownReference { indicator: String, missing: String },
    #[error("các chỉ tiêu tính toán tham chiếu vòng tròn: {0}")]
    Cycle(String),
    #[error("chỉ tiêu {indicator}: {message}")]
    Invalid { indicator: String, message: String },
    #[error("chỉ tiêu {0} được tính bằng công thức, không nhập trực tiếp")]
    Derived(String),
}

impl IndicatorCode {
    pub fn parse(s: &str) -> Result<Self, IndicatorError> {
        let t = s.trim();
        let ok = (1..=32).contains(&t.len())
            && t.starts_with(|c: char| c.is_ascii_uppercase())
            && t.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(IndicatorCode(t.to_owned()))
        } else {
            Err(IndicatorError::BadCode(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The codes from `self` to `to` when both are a common prefix and
    /// numbers of the same width: `TC01..TC19`.
    pub fn range_to(&self, to: &IndicatorCode) -> Option<Vec<IndicatorCode>> {
        let split = |c: &str| {
            let digits = c.len() - c.trim_end_matches(|ch: char| ch.is_ascii_digit()).len();
            let (p, n) = c.split_at(c.len() - digits);
            (p.to_owned(), n.to_owned())
        };
        let (p1, n1) = split(&self.0);
        let (p2, n2) = split(&to.0);
        if p1 != p2 || n1.is_empty() || n1.len() != n2.len() {
            return None;
        }
        let (a, b): (u32, u32) = (n1.parse().ok()?, n2.parse().ok()?);
        if a > b || b - a > 200 {
            return None;
        }
        let width = n1.len();
        Some(
            (a..=b)
                .map(|i| IndicatorCode(format!("{p1}{i:0width$}")))
                .collect(),
        )
    }
}

impl TryFrom<String> for IndicatorCode {
    type Error = IndicatorError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        IndicatorCode::parse(&s)
    }
}

impl From<IndicatorCode> for String {
    fn from(c: IndicatorCode) -> String {
        c.0
    }
}

impl fmt::Display for IndicatorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
