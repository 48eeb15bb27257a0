//! Âm lịch — the Vietnamese lunisolar calendar, computed for UTC+7.
//!
//! The Vietnamese calendar is the Chinese one reckoned at the meridian of
//! UTC+7, which is why Tết sometimes falls a day or a month apart from the
//! Chinese New Year (1985, 2007). Months start on the day of the new moon
//! at local time; month 11 is the one holding the winter solstice; a year
//! with 13 months repeats the first month that holds no major solar term.
//! The astronomy is the classical mean new moon with its main periodic
//! corrections and the apparent solar longitude, both good to minutes over
//! 1900–2100, which is all a day boundary needs.

use std::f64::consts::PI;
use time::Date;

/// Hours east of Greenwich.
const TIME_ZONE: f64 = 7.0;
/// Julian day of the new moon of 1900-01-01, the origin of `new_moon`.
const NEW_MOON_EPOCH: f64 = 2_415_021.076_998_695;
const SYNODIC_MONTH: f64 = 29.530_588_853;

fn rad(deg: f64) -> f64 {
    deg * PI / 180.0
}

/// Julian day (at Greenwich) of the `k`-th new moon after January 1900.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let mean = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3
        + 0.000_33 * rad(166.56 + 132.87 * t - 0.009_173 * t2).sin();
    let sun = rad(359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3);
    let moon = rad(306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3);
    let lat = rad(21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3);
    let correction = (0.1734 - 0.000_393 * t) * sun.sin() + 0.0021 * (2.0 * sun).sin()
        - 0.4068 * moon.sin()
        + 0.0161 * (2.0 * moon).sin()
        - 0.0004 * (3.0 * moon).sin()
        + 0.0104 * (2.0 * lat).sin()
        - 0.0051 * (sun + moon).sin()
        - 0.0074 * (sun - moon).sin()
        + 0.0004 * (2.0 * lat + sun).sin()
        - 0.0004 * (2.0 * lat - sun).sin()
        - 0.0006 * (2.0 * lat + moon).sin()
        + 0.0010 * (2.0 * lat - moon).sin()
        + 0.0005 * (sun + 2.0 * moon).sin();
    // ΔT: the mean formula runs on dynamical time.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    mean + correction - delta_t
}

/// Julian day number of the local day on which the `k`-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// Which twelfth of the ecliptic the sun is in at the start of a local day
/// (0 = from the vernal equinox; 9 = from the winter solstice).
fn sun_sector(jdn: i64) -> i64 {
    let t = (jdn as f64 - 2_451_545.5 - TIME_ZONE / 24.0) / 36525.0;
    let t2 = t * t;
    let anomaly = rad(357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2);
    let mean_longitude = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let centre = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * anomaly.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * anomaly).sin()
        + 0.000_290 * (3.0 * anomaly).sin();
    let longitude = rad(mean_longitude + centre).rem_euclid(2.0 * PI);
    (longitude / PI * 6.0).floor() as i64
}

fn months_since_epoch(jdn: i64) -> i64 {
    ((jdn as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5).floor() as i64
}

/// First day (JDN) of the lunar month 11 of the lunar year that ends in
/// the solar `year` — the month holding that December's solstice.
fn month_eleven(year: i32) -> i64 {
    let Ok(dec31) = Date::from_calendar_date(year, time::Month::December, 31) else {
        return 0;
    };
    let k =
        ((i64::from(dec31.to_julian_day()) as f64 - 2_415_021.0) / SYNODIC_MONTH).floor() as i64;
    let start = new_moon_day(k);
    if sun_sector(start) >= 9 {
        new_moon_day(k - 1)
    } else {
        start
    }
}

/// In a 13-month year starting at month 11 `a11`, how many months after it
/// the leap month falls: the first month with no major term starting.
fn leap_offset(a11: i64) -> i64 {
    let k = months_since_epoch(a11);
    let mut i = 1;
    let mut sector = sun_sector(new_moon_day(k + i));
    loop {
        let last = sector;
        i += 1;
        sector = sun_sector(new_moon_day(k + i));
        if sector == last || i >= 14 {
            return i - 1;
        }
    }
}

/// The solar day of lunar `day`/`month` of lunar `year` (not a leap
/// month). `None` for a day past the month's length or out of range.
pub fn to_solar(year: i32, month: u8, day: u8) -> Option<Date> {
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let (a11, b11) = if month < 11 {
        (month_eleven(year - 1), month_eleven(year))
    } else {
        (month_eleven(year), month_eleven(year + 1))
    };
    let k = months_since_epoch(a11);
    let mut offset = (i64::from(month) - 11).rem_euclid(12);
    if b11 - a11 > 365 && offset >= leap_offset(a11) {
        offset += 1;
    }
    let start = new_moon_day(k + offset);
    let next = new_moon_day(k + offset + 1);
    let jdn = start + i64::from(day) - 1;
    if jdn >= next {
        return None;
    }
    Date::from_julian_day(i32::try_from(jdn).ok()?).ok()
}

/// Mùng 1 Tết: the first day of the lunar year that starts in solar `year`.
pub fn tet(year: i32) -> Option<Date> {
    to_solar(year, 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tet_matches_the_official_calendar_2020_to_2030() {
        let official = [
            date!(2020 - 01 - 25),
            date!(2021 - 02 - 12),
            date!(2022 - 02 - 01),
            date!(2023 - 01 - 22),
            date!(2024 - 02 - 10),
            date!(2025 - 01 - 29),
            date!(2026 - 02 - 17),
            date!(2027 - 02 - 06),
            date!(2028 - 01 - 26),
            date!(2029 - 02 - 13),
            // The new moon is at 23:07 in Hà Nội (00:07 in Beijing): Tết
            // Canh Tuất is a day before the Chinese New Year.
            date!(2030 - 02 - 02),
        ];
        for d in official {
            assert_eq!(tet(d.year()), Some(d), "Tết {}", d.year());
        }
    }

    #[test]
    fn the_vietnamese_new_year_differs_from_the_chinese_where_history_says() {
        // 1985: Vietnam celebrated on 21/01, China on 20/02 (UTC+7 vs UTC+8).
        assert_eq!(tet(1985), Some(date!(1985 - 01 - 21)));
        // 2007: 17/02 in Vietnam, 18/02 in China.
        assert_eq!(tet(2007), Some(date!(2007 - 02 - 17)));
    }

    #[test]
    fn hung_kings_day_is_the_tenth_of_the_third_month() {
        assert_eq!(to_solar(2023, 3, 10), Some(date!(2023 - 04 - 29)));
        assert_eq!(to_solar(2024, 3, 10), Some(date!(2024 - 04 - 18)));
        assert_eq!(to_solar(2025, 3, 10), Some(date!(2025 - 04 - 07)));
        assert_eq!(to_solar(2026, 3, 10), Some(date!(2026 - 04 - 26)));
    }

    #[test]
    fn leap_years_shift_the_later_months() {
        // 2023 had a leap second month: 10/3 came a month later than usual.
        assert_eq!(to_solar(2023, 3, 1), Some(date!(2023 - 04 - 20)));
        // 2025 had a leap sixth month: Trung thu on 06/10/2025.
        assert_eq!(to_solar(2025, 8, 15), Some(date!(2025 - 10 - 06)));
    }

    #[test]
    fn days_past_the_month_are_refused() {
        assert_eq!(to_solar(2026, 0, 1), None);
        assert_eq!(to_solar(2026, 1, 31), None);
        // The last month of Ất Tỵ (2025) has 29 days: Tết 2026 is the next day.
        let last = to_solar(2025, 12, 29);
        assert_eq!(last, Some(date!(2026 - 02 - 16)));
        assert_eq!(to_solar(2025, 12, 30), None);
    }
}
