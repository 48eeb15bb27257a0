//! Phong trào thi đua — emulation movements: what they are, who launches
//! them, and the one path through their life.

use crate::date::VnDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Mã phong trào — a movement's stable code ("NTM-CB-2021").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MovementCode(String);

/// Everything that can be wrong with a movement or its definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MovementError {
    #[error("mã phong trào không hợp lệ: «{0}» (2–40 ký tự: chữ in hoa không dấu, số, dấu - _ .)")]
    BadCode(String),
    #[error("loại phong trào không xác định: «{0}» (regular, thematic, campaign)")]
    UnknownKind(String),
    #[error("cấp phát động không xác định: «{0}»")]
    UnknownLevel(String),
    #[error("trạng thái không xác định: «{0}»")]
    UnknownStatus(String),
    #[error("loại hội nghị không xác định: «{0}» (interim, final)")]
    UnknownReview(String),
    #[error("không thể chuyển phong trào từ «{from}» sang «{to}»")]
    Transition {
        from: &'static str,
        to: &'static str,
    },
    #[error("ngày kết thúc ({end}) phải sau ngày bắt đầu ({start})")]
    EndBeforeStart { start: VnDate, end: VnDate },
    #[error("hạn đăng ký ({deadline}) phải nằm trong thời gian phong trào")]
    DeadlineOutside { deadline: VnDate },
    #[error("ngày {what} ({date}) nằm ngoài thời gian phong trào")]
    DateOutside { what: &'static str, date: VnDate },
}

impl MovementCode {
    pub fn parse(s: &str) -> Result<Self, MovementError> {
        let t = s.trim();
        let ok = (2..=40).contains(&t.len())
            && t.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
            && t.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-_.".contains(&b));
        if ok {
            Ok(MovementCode(t.to_owned()))
        } else {
            Err(MovementError::BadCode(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MovementCode {
    type Error = MovementError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        MovementCode::parse(&s)
    }
}

impl From<MovementCode> for String {
    fn from(c: MovementCode) -> String {
        c.0
    }
}

impl fmt::Display for MovementCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares a closed set of words stored as snake_case text, with their
/// Vietnamese labels.
/// An enum of fixed words: its stable string, its Vietnamese label, and a
/// parser whose refusal is `$unknown` applied to the text.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident, $err:ident, { $($body:tt)+ }) => {
        $crate::movement::word_enum!($(#[$m])* $name, MovementError, |s| MovementError::$err(s), { $($body)+ });
    };
    ($(#[$m:meta])* $name:ident, $error:ty, |$text:ident| $unknown:expr, { $($(#[$vm:meta])* $v:ident = $s:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v,)+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s,)+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$v => $label,)+ }
            }

            pub fn parse(s: &str) -> Result<Self, $error> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|k| k.as_str() == s.trim())
                    .ok_or_else(|| {
                        let $text = s.to_owned();
                        $unknown
                    })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use word_enum;

word_enum!(
    /// Loại phong trào.
    MovementKind, UnknownKind, {
        /// Thường xuyên — runs every year.
        Regular = "regular", "Thường xuyên";
        /// Chuyên đề — a theme over several years.
        Thematic = "thematic", "Chuyên đề";
        /// Đợt cao điểm — a peak campaign, usually with a plan number.
        Campaign = "campaign", "Đợt cao điểm";
    }
);

word_enum!(
    /// Cấp phát động — who launched the movement (Điều 18 Luật TĐKT 2022).
    LaunchLevel, UnknownLevel, {
        PrimeMinister = "prime_minister", "Thủ tướng Chính phủ";
        Ministry = "ministry", "Bộ, ngành, đoàn thể trung ương";
        Province = "province", "Ủy ban nhân dân tỉnh";
        /// Cấp huyện — only for movements launched before 01/07/2025.
        DistrictLegacy = "district_legacy", "Ủy ban nhân dân huyện (trước 01/07/2025)";
        Commune = "commune", "Ủy ban nhân dân xã";
        Agency = "agency", "Cơ quan, đơn vị";
    }
);

word_enum!(
    /// A movement's review meeting: sơ kết (interim) or tổng kết (final).
    ReviewKind, UnknownReview, {
        /// Sơ kết — halfway.
        Interim = "interim", "Sơ kết";
        /// Tổng kết — at the end.
        Final = "final", "Tổng kết";
    }
);

impl TryFrom<String> for ReviewKind {
    type Error = MovementError;
    fn try_from(s: String) -> Result<ReviewKind, MovementError> {
        ReviewKind::parse(&s)
    }
}

word_enum!(
    /// Trạng thái — where a movement is in its life.
    MovementStatus, UnknownStatus, {
        /// Dự thảo — being written; only officers see it.
        Draft = "draft", "Dự thảo";
        /// Đã phát động — launched; units register.
        Launched = "launched", "Đã phát động";
        /// Đang triển khai — running; values are entered.
        Running = "running", "Đang triển khai";
        /// Sơ kết — an interim review has been held; the movement goes on.
        InterimReview = "interim_review", "Đã sơ kết";
        /// Tổng kết — the final review has been held.
        FinalReview = "final_review", "Đã tổng kết";
        /// Kết thúc — closed; nothing changes any more.
        Closed = "closed", "Đã kết thúc";
    }
);

impl MovementStatus {
    /// The statuses reachable from this one. Interim reviews may repeat
    /// (a five-year movement is usually reviewed at mid-term and yearly).
    pub fn next(self) -> &'static [MovementStatus] {
        use MovementStatus::*;
        match self {
            Draft => &[Launched],
            Launched => &[Running],
            Running => &[InterimReview, FinalReview],
            InterimReview => &[InterimReview, FinalReview],
            FinalReview => &[Closed],
            Closed => &[],
        }
    }

    /// Checks a transition; the explicit table above is the only path.
    pub fn transition(self, to: MovementStatus) -> Result<MovementStatus, MovementError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(MovementError::Transition {
                from: self.label(),
                to: to.label(),
            })
        }
    }

    /// Whether the transition into this status is a review that needs a
    /// date and a report.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            MovementStatus::InterimReview | MovementStatus::FinalReview
        )
    }

    /// Whether units may still register.
    pub fn accepts_registrations(self) -> bool {
        matches!(self, MovementStatus::Launched | MovementStatus::Running)
    }

    /// Whether indicator values may be entered.
    pub fn accepts_values(self) -> bool {
        matches!(
            self,
            MovementStatus::Launched
                | MovementStatus::Running
                | MovementStatus::InterimReview
                | MovementStatus::FinalReview
        )
    }
}

/// Checks the dates of a movement against each other.
pub fn check_dates(
    start: time::Date,
    end: Option<time::Date>,
    registration_deadline: Option<time::Date>,
) -> Result<(), MovementError> {
    if let Some(end) = end
        && end < start
    {
        return Err(MovementError::EndBeforeStart {
            start: VnDate(start),
            end: VnDate(end),
        });
    }
    if let Some(deadline) = registration_deadline
        && (deadline < start || end.is_some_and(|e| deadline > e))
    {
        return Err(MovementError::DeadlineOutside {
            deadline: VnDate(deadline),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn the_lifecycle_is_one_path() {
        use MovementStatus::*;
        let mut s = Draft;
        for to in [
            Launched,
            Running,
            InterimReview,
            InterimReview,
            FinalReview,
            Closed,
        ] {
            s = s.transition(to).unwrap();
        }
        assert_eq!(s, Closed);
        assert!(Draft.transition(Running).is_err());
        assert!(Closed.transition(Running).is_err());
        assert!(FinalReview.transition(InterimReview).is_err());
        assert_eq!(
            Draft.transition(Closed).unwrap_err().to_string(),
            "không thể chuyển phong trào từ «Dự thảo» sang «Đã kết thúc»"
        );
    }

    #[test]
    fn words_round_trip() {
        for k in MovementKind::ALL {
            assert_eq!(MovementKind::parse(k.as_str()), Ok(*k));
        }
        for k in LaunchLevel::ALL {
            assert_eq!(LaunchLevel::parse(k.as_str()), Ok(*k));
        }
        for k in MovementStatus::ALL {
            assert_eq!(MovementStatus::parse(k.as_str()), Ok(*k));
        }
        assert!(MovementKind::parse("weekly").is_err());
    }

    #[test]
    fn dates_must_agree() {
        assert!(check_dates(date!(2021 - 01 - 01), Some(date!(2025 - 12 - 31)), None).is_ok());
        assert!(check_dates(date!(2021 - 01 - 01), Some(date!(2020 - 12 - 31)), None).is_err());
        assert!(
            check_dates(
                date!(2021 - 01 - 01),
                Some(date!(2025 - 12 - 31)),
                Some(date!(2026 - 01 - 01))
            )
            .is_err()
        );
    }

    proptest! {
        #[test]
        fn codes_parse_or_refuse_without_panicking(s in "\\PC{0,45}") {
            if let Ok(c) = MovementCode::parse(&s) {
                prop_assert_eq!(MovementCode::parse(c.as_str()), Ok(c.clone()));
            }
        }

        #[test]
        fn no_status_reaches_draft_again(i in 0usize..6, j in 0usize..6) {
            let from = MovementStatus::ALL[i];
            let to = MovementStatus::ALL[j];
            if from.transition(to).is_ok() {
                prop_assert_ne!(to, MovementStatus::Draft);
                prop_assert!(from != MovementStatus::Closed);
            }
        }
    }
}
