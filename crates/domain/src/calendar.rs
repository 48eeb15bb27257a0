//! Lịch làm việc — the Vietnamese working-day calendar that procedure
//! deadlines are counted on.
//!
//! Days off are the weekly rest (Saturday, Sunday) and the public holidays
//! of the Labour Code 2019 (Điều 112): Tết Dương lịch, five days of Tết
//! Nguyên đán, Giỗ Tổ Hùng Vương (10/3 âm lịch), 30/4, 1/5 and two days of
//! Quốc khánh. A holiday falling on a weekend is made up on the next working
//! day (Điều 111 k3). Each year the government moves days around (nghỉ bù,
//! làm bù); those come as `Override`s, which win over everything computed.

pub mod lunar;

use serde::Serialize;
use std::collections::BTreeMap;
use time::{Date, Duration, Month, Weekday};

/// Why a day is off (or, for an override, worked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOffKind {
    /// Ngày lễ, Tết of the Labour Code.
    Holiday,
    /// Nghỉ bù — a holiday that fell on a weekend, made up.
    Compensatory,
    /// Set for the year by a government decision.
    Decided,
}

/// A day off with its Vietnamese name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayOff {
    pub date: Date,
    pub name: String,
    pub kind: DayOffKind,
}

/// A per-year exception decided by the government: a day off added or a
/// weekend day worked (làm bù).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Override {
    pub date: Date,
    /// `true`: a day off; `false`: a working day.
    pub off: bool,
    pub name: String,
}

fn weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn day(year: i32, month: Month, d: u8) -> Option<Date> {
    Date::from_calendar_date(year, month, d).ok()
}

/// The Labour Code's holidays of a solar year, before compensation.
pub fn statutory_holidays(year: i32) -> Vec<(Date, String)> {
    let mut out: Vec<(Date, String)> = Vec::new();
    if let Some(d) = day(year, Month::January, 1) {
        out.push((d, "Tết Dương lịch".into()));
    }
    // The eve of Tết and the first four days of the new year: the usual
    // split when the Prime Minister does not decide otherwise. Tết of the
    // next lunar year can start its eve on 31/12 of no year in range, so
    // only this year's Tết is looked at.
    if let Some(tet) = lunar::tet(year) {
        out.push((
            tet - Duration::days(1),
            "Tết Nguyên đán (ngày cuối năm Âm lịch)".into(),
        ));
        for i in 0..4 {
            out.push((
                tet + Duration::days(i),
                format!("Tết Nguyên đán (mùng {} Tết)", i + 1),
            ));
        }
    }
    if let Some(d) = lunar::to_solar(year, 3, 10) {
        out.push((d, "Giỗ Tổ Hùng Vương (10/3 Âm lịch)".into()));
    }
    if let Some(d) = day(year, Month::April, 30) {
        out.push((d, "Ngày Chiến thắng (30/4)".into()));
    }
    if let Some(d) = day(year, Month::May, 1) {
        out.push((d, "Ngày Quốc tế Lao động (1/5)".into()));
    }
    if let Some(d) = day(year, Month::September, 2) {
        // The second day is adjacent; 1/9 unless it is a weekend day, when
        // 3/9 joins the holiday to the weekend instead.
        let before = d - Duration::days(1);
        let other = if weekend(before) {
            d + Duration::days(1)
        } else {
            before
        };
        out.push((d, "Quốc khánh (2/9)".into()));
        out.push((other, "Quốc khánh (ngày liền kề)".into()));
    }
    out.sort_by_key(|(d, _)| *d);
    out
}

/// The working-day calendar with the government's overrides.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    overrides: BTreeMap<Date, Override>,
}

impl WorkCalendar {
    pub fn new(overrides: impl IntoIterator<Item = Override>) -> WorkCalendar {
        WorkCalendar {
            overrides: overrides.into_iter().map(|o| (o.date, o)).collect(),
        }
    }

    /// Holidays and their make-up days, computed (overrides aside).
    fn computed_days_off(year: i32) -> Vec<DayOff> {
        let holidays = statutory_holidays(year);
        let taken: std::collections::BTreeSet<Date> = holidays.iter().map(|(d, _)| *d).collect();
        let mut out: Vec<DayOff> = Vec::new();
        let mut made_up: std::collections::BTreeSet<Date> = std::collections::BTreeSet::new();
        for (d, name) in &holidays {
            out.push(DayOff {
                date: *d,
                name: name.clone(),
                kind: DayOffKind::Holiday,
            });
            if weekend(*d) {
                let mut next = *d + Duration::days(1);
                while weekend(next) || taken.contains(&next) || made_up.contains(&next) {
                    next += Duration::days(1);
                }
                made_up.insert(next);
                out.push(DayOff {
                    date: next,
                    name: format!("Nghỉ bù {name}"),
                    kind: DayOffKind::Compensatory,
                });
            }
        }
        out
    }

    /// Every holiday of a year (also those on a weekend), its make-up
    /// days and the decided days off — the list an officer checks against
    /// the government's notice. Sorted by date.
    pub fn days_off(&self, year: i32) -> Vec<DayOff> {
        let mut out: Vec<DayOff> = Self::computed_days_off(year)
            .into_iter()
            // Make-up days can spill into January of the next year; those
            // belong to that year's list.
            .filter(|d| d.date.year() == year)
            .filter(|d| !self.overrides.contains_key(&d.date))
            .collect();
        // The previous year's days that spill into this January.
        out.extend(
            Self::computed_days_off(year - 1)
                .into_iter()
                .filter(|d| d.date.year() == year && !self.overrides.contains_key(&d.date)),
        );
        out.extend(
            self.overrides
                .values()
                .filter(|o| o.off && o.date.year() == year)
                .map(|o| DayOff {
                    date: o.date,
                    name: o.name.clone(),
                    kind: DayOffKind::Decided,
                }),
        );
        out.sort_by_key(|d| d.date);
        out
    }

    /// The overrides of a year, for the administrator's page.
    pub fn overrides(&self, year: i32) -> Vec<&Override> {
        self.overrides
            .values()
            .filter(|o| o.date.year() == year)
            .collect()
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        if let Some(o) = self.overrides.get(&d) {
            return !o.off;
        }
        if weekend(d) {
            return false;
        }
        !Self::computed_days_off(d.year())
            .iter()
            .chain(Self::computed_days_off(d.year() - 1).iter())
            .any(|o| o.date == d)
    }

    /// The day that is `n` working days after `from`, `from` not counted.
    /// `n = 0` is `from` itself.
    pub fn add_working_days(&self, from: Date, n: u32) -> Option<Date> {
        let mut year_cache = YearCache::new(self);
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.next_day()?;
            if year_cache.is_working_day(d) {
                left -= 1;
            }
        }
        Some(d)
    }

    /// The default posting window (công khai) starting `today`: from the
    /// first working day on or after today, for `days` working days, so a
    /// form filled in on a Saturday still meets the minimum.
    pub fn posting_window(&self, today: Date, days: u32) -> Option<(Date, Date)> {
        if days == 0 {
            return Some((today, today));
        }
        let mut from = today;
        while !self.is_working_day(from) {
            from = from.next_day()?;
        }
        let until = self.add_working_days(from.previous_day()?, days)?;
        Some((from, until))
    }

    /// Working days in `(from, to]`; zero when `to <= from`.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut year_cache = YearCache::new(self);
        let mut d = from;
        let mut n = 0;
        while d < to {
            let Some(next) = d.next_day() else { break };
            d = next;
            if year_cache.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

/// Days off of the years visited so far, so a count over months computes
/// each year's lunar dates once.
struct YearCache<'a> {
    calendar: &'a WorkCalendar,
    years: BTreeMap<i32, std::collections::BTreeSet<Date>>,
}

impl<'a> YearCache<'a> {
    fn new(calendar: &'a WorkCalendar) -> Self {
        YearCache {
            calendar,
            years: BTreeMap::new(),
        }
    }

    fn is_working_day(&mut self, d: Date) -> bool {
        if let Some(o) = self.calendar.overrides.get(&d) {
            return !o.off;
        }
        if weekend(d) {
            return false;
        }
        let off = self.years.entry(d.year()).or_insert_with(|| {
            WorkCalendar::computed_days_off(d.year())
                .into_iter()
                .chain(WorkCalendar::computed_days_off(d.year() - 1))
                .map(|o| o.date)
                .collect()
        });
        !off.contains(&d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn plain() -> WorkCalendar {
        WorkCalendar::default()
    }

    #[test]
    fn a_25_working_day_limit_from_9_february_2026_crosses_tet() {
        // 10–13/02 (4), Tết 16–20/02 off, then five-day weeks from 23/02.
        let end = plain().add_working_days(date!(2026 - 02 - 09), 25);
        assert_eq!(end, Some(date!(2026 - 03 - 23)));
        assert_eq!(
            plain().working_days_between(date!(2026 - 02 - 09), date!(2026 - 03 - 23)),
            25
        );
    }

    #[test]
    fn the_default_posting_window_meets_the_minimum_whatever_the_day() {
        let cal = plain();
        // Saturday 05/12/2026: the posting starts on Monday.
        let (from, until) = cal
            .posting_window(date!(2026 - 12 - 05), 5)
            .expect("window");
        assert_eq!(
            (from, until),
            (date!(2026 - 12 - 07), date!(2026 - 12 - 11))
        );
        let mut d = date!(2026 - 01 - 01);
        while d < date!(2027 - 01 - 01) {
            let (from, until) = cal.posting_window(d, 5).expect("window");
            assert!(from >= d);
            assert_eq!(
                cal.working_days_between(from.previous_day().expect("day"), until),
                5,
                "{d}"
            );
            d = d.next_day().expect("day");
        }
    }

    #[test]
    fn the_days_off_of_2026() {
        let days: Vec<(Date, DayOffKind)> = plain()
            .days_off(2026)
            .into_iter()
            .map(|d| (d.date, d.kind))
            .collect();
        use DayOffKind::*;
        assert_eq!(
            days,
            vec![
                (date!(2026 - 01 - 01), Holiday),
                (date!(2026 - 02 - 16), Holiday),
                (date!(2026 - 02 - 17), Holiday),
                (date!(2026 - 02 - 18), Holiday),
                (date!(2026 - 02 - 19), Holiday),
                (date!(2026 - 02 - 20), Holiday),
                // Giỗ Tổ falls on Sunday 26/04: made up on Monday.
                (date!(2026 - 04 - 26), Holiday),
                (date!(2026 - 04 - 27), Compensatory),
                (date!(2026 - 04 - 30), Holiday),
                (date!(2026 - 05 - 01), Holiday),
                (date!(2026 - 09 - 01), Holiday),
                (date!(2026 - 09 - 02), Holiday),
            ]
        );
    }

    #[test]
    fn a_weekend_holiday_is_made_up_after_the_other_holidays() {
        // Tết 2024: eve Fri 09/02, mùng 1–2 on the weekend, mùng 3–4 Mon–Tue;
        // the weekend days are made up on Wednesday and Thursday.
        let c = plain();
        for d in [
            date!(2024 - 02 - 09),
            date!(2024 - 02 - 12),
            date!(2024 - 02 - 13),
            date!(2024 - 02 - 14),
            date!(2024 - 02 - 15),
        ] {
            assert!(!c.is_working_day(d), "{d}");
        }
        assert!(c.is_working_day(date!(2024 - 02 - 16)));
    }

    #[test]
    fn overrides_win_over_the_computed_calendar() {
        // 2024: the government moved the eve to Thursday 08/02 and had the
        // Thursday 15/02 worked.
        let c = WorkCalendar::new([
            Override {
                date: date!(2024 - 02 - 08),
                off: true,
                name: "Nghỉ Tết theo Thông báo của Chính phủ".into(),
            },
            Override {
                date: date!(2024 - 02 - 15),
                off: false,
                name: "Làm việc bình thường".into(),
            },
        ]);
        assert!(!c.is_working_day(date!(2024 - 02 - 08)));
        assert!(c.is_working_day(date!(2024 - 02 - 15)));
        let names: Vec<String> = c.days_off(2024).into_iter().map(|d| d.name).collect();
        assert!(names.iter().any(|n| n.contains("Thông báo")));
        // A Saturday worked counts.
        let sat = WorkCalendar::new([Override {
            date: date!(2026 - 01 - 03),
            off: false,
            name: "Làm bù".into(),
        }]);
        assert_eq!(
            sat.add_working_days(date!(2026 - 01 - 02), 1),
            Some(date!(2026 - 01 - 03))
        );
    }

    #[test]
    fn make_up_days_that_spill_into_january_are_listed_in_january() {
        // 2028: Tết Dương lịch 01/01/2028 is a Saturday → Monday 03/01.
        let days = plain().days_off(2028);
        assert_eq!(days[0].date, date!(2028 - 01 - 01));
        assert_eq!(days[1].date, date!(2028 - 01 - 03));
        assert_eq!(days[1].kind, DayOffKind::Compensatory);
        assert!(!plain().is_working_day(date!(2028 - 01 - 03)));
    }

    proptest! {
        #[test]
        fn counting_and_adding_agree(offset in 0i64..3650, n in 0u32..200) {
            let c = plain();
            let from = date!(2020 - 01 - 01) + Duration::days(offset);
            let end = c.add_working_days(from, n).unwrap();
            prop_assert_eq!(c.working_days_between(from, end), n);
            // The end is a working day unless nothing was added.
            prop_assert!(n == 0 || c.is_working_day(end));
        }
    }
}
