//! The words of a block or cluster that cross every layer: its kind, a
//! member's role and a score's stage. Stored as their `as_str`.

use serde::{Deserialize, Serialize};

/// A stored word that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} không xác định: «{word}»")]
pub struct UnknownWord {
    pub what: &'static str,
    pub word: String,
}

macro_rules! words {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $word:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant,)+
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            pub fn parse(s: &str) -> Result<$name, UnknownWord> {
                match s {
                    $($word => Ok($name::$variant),)+
                    _ => Err(UnknownWord { what: $what, word: s.to_owned() }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = UnknownWord;
            fn try_from(s: String) -> Result<$name, UnknownWord> {
                $name::parse(&s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

words! {
    /// Khối (agencies of one sector) or cụm (localities) thi đua.
    ClusterKind, "loại khối, cụm" {
        /// Khối thi đua.
        Block = "block", "Khối";
        /// Cụm thi đua.
        Cluster = "cluster", "Cụm";
    }
}

words! {
    /// A member's place in its block or cluster.
    MemberRole, "vai trò trong khối, cụm" {
        /// Trưởng khối, cụm — cross-scores the others.
        Head = "head", "Trưởng khối, cụm";
        /// Phó khối, cụm — cross-scores the head.
        Deputy = "deputy", "Phó khối, cụm";
        /// Thành viên.
        Member = "member", "Thành viên";
    }
}

words! {
    /// Vòng chấm điểm — who scored.
    ScoreStage, "vòng chấm điểm" {
        /// Tự chấm — the member itself.
        SelfScore = "self", "Tự chấm";
        /// Chấm chéo — the head unit (the deputy for the head).
        Head = "head", "Trưởng khối, cụm chấm";
        /// Điểm chốt — the province's emulation office.
        Final = "final", "Điểm chốt";
    }
}

impl ClusterKind {
    /// The word inside a sentence: «khối», «cụm».
    pub fn lower(self) -> &'static str {
        match self {
            ClusterKind::Block => "khối",
            ClusterKind::Cluster => "cụm",
        }
    }

    /// The word in a file name or address, without diacritics.
    pub fn slug(self) -> &'static str {
        match self {
            ClusterKind::Block => "khoi",
            ClusterKind::Cluster => "cum",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_round_trip_and_refuse_strangers() {
        for k in ClusterKind::ALL {
            assert_eq!(ClusterKind::parse(k.as_str()), Ok(*k));
        }
        for r in MemberRole::ALL {
            assert_eq!(MemberRole::try_from(r.as_str().to_owned()), Ok(*r));
        }
        for s in ScoreStage::ALL {
            assert_eq!(ScoreStage::parse(s.as_str()), Ok(*s));
            let json = serde_json::to_string(s).expect("json");
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert!(ScoreStage::SelfScore < ScoreStage::Head && ScoreStage::Head < ScoreStage::Final);
        let err = MemberRole::parse("chief").unwrap_err();
        assert!(err.to_string().contains("«chief»"), "{err}");
    }
}
