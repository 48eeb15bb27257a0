//! Dates and validity periods.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, Month};

/// A calendar date shown the Vietnamese way (dd/mm/yyyy) and read in either
/// that form or ISO 8601 (yyyy-mm-dd), which is what machines send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VnDate(pub Date);

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ngày không hợp lệ: «{0}» (cần dạng dd/mm/yyyy hoặc yyyy-mm-dd)")]
pub struct DateParseError(pub String);

impl VnDate {
    /// Reads `dd/mm/yyyy` or `yyyy-mm-dd`.
    pub fn parse(s: &str) -> Result<Self, DateParseError> {
        let t = s.trim();
        let err = || DateParseError(s.to_owned());
        let (y, m, d) = if let Some((d, rest)) = t.split_once('/') {
            let (m, y) = rest.split_once('/').ok_or_else(err)?;
            (y, m, d)
        } else {
            let mut it = t.splitn(3, '-');
            let y = it.next().ok_or_else(err)?;
            let m = it.next().ok_or_else(err)?;
            let d = it.next().ok_or_else(err)?;
            (y, m, d)
        };
        let all_digits =
            |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && y.len() == 4 && all_digits(m) && all_digits(d)) {
            return Err(err());
        }
        let y: i32 = y.parse().map_err(|_| err())?;
        let m: u8 = m.parse().map_err(|_| err())?;
        let d: u8 = d.parse().map_err(|_| err())?;
        let month = Month::try_from(m).map_err(|_| err())?;
        Date::from_calendar_date(y, month, d)
            .map(VnDate)
            .map_err(|_| err())
    }

    /// `yyyy-mm-dd`, for URLs, JSON and the database.
    pub fn iso(self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl fmt::Display for VnDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}/{:02}/{:04}",
            self.0.day(),
            u8::from(self.0.month()),
            self.0.year()
        )
    }
}

impl From<Date> for VnDate {
    fn from(d: Date) -> Self {
        VnDate(d)
    }
}

/// A validity period, half-open: valid from `from` (inclusive) until `until`
/// (exclusive). `None` means "since before our records" or "still valid".
///
/// Half-open periods let one unit end on the very day its successor starts
/// (the 2025 reform: old units until 01/07/2025, new ones from 01/07/2025)
/// with no gap and no overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Period {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

/// A period whose end is not after its start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("thời hạn không hợp lệ: ngày kết thúc phải sau ngày bắt đầu")]
pub struct EmptyPeriod;

impl Period {
    pub const ALWAYS: Period = Period {
        from: None,
        until: None,
    };

    pub fn new(from: Option<Date>, until: Option<Date>) -> Result<Self, EmptyPeriod> {
        match (from, until) {
            (Some(f), Some(u)) if u <= f => Err(EmptyPeriod),
            _ => Ok(Period { from, until }),
        }
    }

    pub fn contains(&self, d: Date) -> bool {
        self.from.is_none_or(|f| f <= d) && self.until.is_none_or(|u| d < u)
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        let starts_before_other_ends = match (self.from, other.until) {
            (Some(f), Some(u)) => f < u,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.from, self.until) {
            (Some(f), Some(u)) => f < u,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }

    /// The last day of validity, for people: a unit valid until 01/07/2025
    /// (exclusive) is shown as valid "đến 30/06/2025".
    pub fn last_day(&self) -> Option<Date> {
        self.until.and_then(|u| u.previous_day())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.last_day()) {
            (None, None) => write!(f, "không thời hạn"),
            (Some(a), None) => write!(f, "từ {}", VnDate(a)),
            (None, Some(b)) => write!(f, "đến {}", VnDate(b)),
            (Some(a), Some(b)) => write!(f, "từ {} đến {}", VnDate(a), VnDate(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn parses_both_forms() {
        assert_eq!(
            VnDate::parse("01/07/2025").map(|d| d.0),
            Ok(date!(2025 - 07 - 01))
        );
        assert_eq!(
            VnDate::parse("2025-07-01").map(|d| d.0),
            Ok(date!(2025 - 07 - 01))
        );
        assert!(VnDate::parse("31/02/2025").is_err());
        assert!(VnDate::parse("2025-13-01").is_err());
        assert!(VnDate::parse("hôm qua").is_err());
        assert!(VnDate::parse("25-07-01").is_err());
    }

    #[test]
    fn shows_dd_mm_yyyy() {
        assert_eq!(VnDate(date!(2025 - 07 - 01)).to_string(), "01/07/2025");
    }

    #[test]
    fn half_open_periods_meet_without_overlap() {
        let old = Period::new(None, Some(date!(2025 - 07 - 01))).expect("valid");
        let new = Period::new(Some(date!(2025 - 07 - 01)), None).expect("valid");
        assert!(old.contains(date!(2025 - 06 - 30)));
        assert!(!old.contains(date!(2025 - 07 - 01)));
        assert!(new.contains(date!(2025 - 07 - 01)));
        assert!(!old.overlaps(&new));
        assert_eq!(old.to_string(), "đến 30/06/2025");
    }

    #[test]
    fn an_empty_period_is_refused() {
        assert_eq!(
            Period::new(Some(date!(2025 - 07 - 01)), Some(date!(2025 - 07 - 01))),
            Err(EmptyPeriod)
        );
    }

    proptest! {
        #[test]
        fn display_round_trips(days in 0i32..80_000) {
            let d = date!(1900 - 01 - 01) + time::Duration::days(days.into());
            let shown = VnDate(d).to_string();
            prop_assert_eq!(VnDate::parse(&shown), Ok(VnDate(d)));
            prop_assert_eq!(VnDate::parse(&VnDate(d).iso()), Ok(VnDate(d)));
        }

        #[test]
        fn overlap_is_symmetric(a in 0i64..100, b in 1i64..100, c in 0i64..100, d in 1i64..100) {
            let base = date!(2000 - 01 - 01);
            let p = Period::new(Some(base + time::Duration::days(a)), Some(base + time::Duration::days(a + b))).expect("valid");
            let q = Period::new(Some(base + time::Duration::days(c)), Some(base + time::Duration::days(c + d))).expect("valid");
            prop_assert_eq!(p.overlaps(&q), q.overlaps(&p));
            let some_day_in_both = (0..200).map(|i| base + time::Duration::days(i)).any(|x| p.contains(x) && q.contains(x));
            prop_assert_eq!(p.overlaps(&q), some_day_in_both);
        }
    }
}
