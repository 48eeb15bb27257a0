//! Số, ký hiệu văn bản — numbers of official documents: "461/KH-UBND",
//! "589/QĐ-UBND", "98/2023/NĐ-CP".

use serde::{Deserialize, Serialize};
use std::fmt;

/// A document number: a serial, an optional year, and a symbol made of
/// the document type and the issuing body joined by hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("số văn bản không hợp lệ: «{0}» (ví dụ 461/KH-UBND hoặc 98/2023/NĐ-CP)")]
pub struct BadDocumentNumber(pub String);

impl DocumentNumber {
    pub fn parse(s: &str) -> Result<Self, BadDocumentNumber> {
        let t = crate::text::normalize(s.trim());
        let err = || BadDocumentNumber(s.to_owned());
        let parts: Vec<&str> = t.split('/').collect();
        let (serial, year, symbol) = match parts.as_slice() {
            [serial, symbol] => (*serial, None, *symbol),
            [serial, year, symbol] => (*serial, Some(*year), *symbol),
            _ => return Err(err()),
        };
        let serial_ok = !serial.is_empty()
            && serial.len() <= 8
            && serial.chars().next().is_some_and(|c| c.is_ascii_digit())
            && serial.chars().all(|c| c.is_ascii_alphanumeric());
        let year_ok = year.is_none_or(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
        let symbol_ok = !symbol.is_empty()
            && symbol.len() <= 40
            && !symbol.starts_with('-')
            && !symbol.ends_with('-')
            && !symbol.contains("--")
            && symbol.split('-').all(|seg| {
                // "TTg" (Thủ tướng) is the one lower-case letter in common use.
                seg.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                    && seg.chars().all(|c| c.is_alphanumeric())
            });
        if serial_ok && year_ok && symbol_ok {
            Ok(DocumentNumber(t))
        } else {
            Err(err())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DocumentNumber {
    type Error = BadDocumentNumber;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DocumentNumber::parse(&s)
    }
}

impl From<DocumentNumber> for String {
    fn from(d: DocumentNumber) -> String {
        d.0
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_usual_forms() {
        for ok in [
            "461/KH-UBND",
            "589/QĐ-UBND",
            "98/2023/NĐ-CP",
            "12a/TB-STC",
            "3/CT-TTg",
        ] {
            assert_eq!(
                DocumentNumber::parse(ok).map(|d| d.to_string()),
                Ok(ok.to_owned()),
                "{ok}"
            );
        }
        for bad in [
            "",
            "461",
            "/KH-UBND",
            "461/",
            "461/kh-ubnd",
            "461/KH--UBND",
            "a1/KH",
            "1/23/KH",
        ] {
            assert!(DocumentNumber::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,30}") {
            let _ = DocumentNumber::parse(&s);
        }
    }
}
