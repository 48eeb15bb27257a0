//! People (cá nhân) as the registry knows them.

use crate::org::OrgError;
use crate::text;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A person's full name, in NFC with single spaces: "Nguyễn Văn Đức".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

/// Why a text is not a person's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("họ và tên không được để trống")]
    Empty,
    #[error("họ và tên quá dài (tối đa 120 ký tự)")]
    TooLong,
    #[error("họ và tên chứa ký tự không hợp lệ: «{0}»")]
    BadCharacter(char),
}

impl PersonName {
    pub fn parse(s: &str) -> Result<Self, NameError> {
        let n = text::normalize(s);
        if n.is_empty() {
            return Err(NameError::Empty);
        }
        if n.chars().count() > 120 {
            return Err(NameError::TooLong);
        }
        if let Some(c) = n
            .chars()
            .find(|c| !(c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.')))
        {
            return Err(NameError::BadCharacter(c));
        }
        Ok(PersonName(n))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Folded form for diacritic-insensitive search.
    pub fn folded(&self) -> String {
        text::fold(&self.0)
    }

    /// Key for Vietnamese name order (given, middle, family).
    pub fn sort_key(&self) -> String {
        text::name_sort_key(&self.0)
    }
}

impl TryFrom<String> for PersonName {
    type Error = NameError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PersonName::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(n: PersonName) -> String {
        n.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Giới tính.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn parse(s: &str) -> Result<Self, OrgError> {
        match text::fold(s).as_str() {
            "male" | "nam" | "m" => Ok(Gender::Male),
            "female" | "nu" | "f" => Ok(Gender::Female),
            _ => Err(OrgError::UnknownKind(s.to_owned())),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "Nam",
            Gender::Female => "Nữ",
        }
    }
}

/// Số định danh cá nhân (CCCD): 12 digits, or 9 for old identity cards.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("số định danh không hợp lệ: «{0}» (cần 12 chữ số, hoặc 9 với CMND cũ)")]
pub struct IdNumberError(pub String);

impl IdNumber {
    pub fn parse(s: &str) -> Result<Self, IdNumberError> {
        let t = s.trim();
        if matches!(t.len(), 9 | 12) && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(IdNumber(t.to_owned()))
        } else {
            Err(IdNumberError(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdNumber {
    type Error = IdNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        IdNumber::parse(&s)
    }
}

impl From<IdNumber> for String {
    fn from(n: IdNumber) -> String {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised() {
        let n = PersonName::parse("  nguyễn   Văn Đức ").expect("valid");
        assert_eq!(n.as_str(), "nguyễn Văn Đức");
        assert_eq!(n.folded(), "nguyen van duc");
    }

    #[test]
    fn bad_names_are_refused() {
        assert_eq!(PersonName::parse("   "), Err(NameError::Empty));
        assert_eq!(
            PersonName::parse("Lê <b>"),
            Err(NameError::BadCharacter('<'))
        );
        assert_eq!(PersonName::parse(&"a".repeat(121)), Err(NameError::TooLong));
    }

    #[test]
    fn gender_reads_vietnamese() {
        assert_eq!(Gender::parse("Nữ"), Ok(Gender::Female));
        assert_eq!(Gender::parse("nam"), Ok(Gender::Male));
        assert!(Gender::parse("x").is_err());
    }

    #[test]
    fn id_numbers_are_digits() {
        assert!(IdNumber::parse("001085012345").is_ok());
        assert!(IdNumber::parse("00108501234A").is_err());
    }
}
