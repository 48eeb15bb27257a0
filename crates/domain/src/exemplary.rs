//! Điển hình tiên tiến — the exemplary people and collectives a movement
//! brings out, and the events that honour them.

use serde::{Deserialize, Serialize};

/// What kind of example a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Điển hình tiên tiến.
    Advanced,
    /// Gương người tốt, việc tốt.
    GoodDeeds,
    /// Mô hình hay, cách làm hiệu quả (a collective's way of working).
    Model,
}

/// Where examples are honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Hội nghị điển hình tiên tiến.
    ExemplaryConference,
    /// Đại hội thi đua yêu nước.
    PatrioticCongress,
    /// Lễ tuyên dương, biểu dương.
    Ceremony,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("giá trị không hợp lệ: «{0}»")]
pub struct UnknownWord(pub String);

macro_rules! words {
    ($name:ident { $($variant:ident = $word:literal, $label:literal;)* }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            pub fn parse(s: &str) -> Result<Self, UnknownWord> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|k| k.as_str() == s.trim())
                    .ok_or_else(|| UnknownWord(s.to_owned()))
            }
        }

        impl TryFrom<String> for $name {
            type Error = UnknownWord;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::parse(&s)
            }
        }
    };
}

words!(ModelKind {
    Advanced = "advanced", "Điển hình tiên tiến";
    GoodDeeds = "good_deeds", "Gương người tốt, việc tốt";
    Model = "model", "Mô hình hay, cách làm hiệu quả";
});

words!(EventKind {
    ExemplaryConference = "exemplary_conference", "Hội nghị điển hình tiên tiến";
    PatrioticCongress = "patriotic_congress", "Đại hội thi đua yêu nước";
    Ceremony = "ceremony", "Lễ tuyên dương";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for k in ModelKind::ALL {
            assert_eq!(ModelKind::parse(k.as_str()), Ok(*k));
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Ok(*k));
        }
        assert!(ModelKind::parse("x").is_err());
    }
}
