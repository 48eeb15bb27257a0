//! Numbers the Vietnamese way: decimal comma, dot between thousands
//! ("27.247 người", "16,42 tiêu chí/xã").

/// As [`format_vi`] with at most `max_decimals` places and no trailing
/// zeros: 15 → "15", 0,35 → "0,35", 4,5 → "4,5". For figures people set
/// (percentages, multiples), not for columns of a report.
pub fn format_vi_short(v: f64, max_decimals: usize) -> String {
    let s = format_vi(v, max_decimals);
    match s.find(',') {
        Some(_) => s.trim_end_matches('0').trim_end_matches(',').to_owned(),
        None => s,
    }
}

/// Formats `v` with `decimals` places, a decimal comma and thousands dots.
/// Trailing zeros after the comma are kept, as in published reports.
pub fn format_vi(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::new();
    let digits = int.as_bytes();
    for (i, b) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(char::from(*b));
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    let is_zero = out.bytes().all(|b| matches!(b, b'0' | b'.' | b','));
    if v < 0.0 && !is_zero {
        out.insert(0, '-');
    }
    out
}

/// Money in the words reports use: "905 triệu đồng", "1,2 tỷ đồng".
pub fn format_vnd(v: f64) -> String {
    let abs = v.abs();
    let (scaled, word) = if abs >= 1e9 {
        (v / 1e9, "tỷ đồng")
    } else if abs >= 1e6 {
        (v / 1e6, "triệu đồng")
    } else {
        (v, "đồng")
    };
    let mut s = format_vi(scaled, 2);
    if s.contains(',') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with(',') {
            s.pop();
        }
    }
    format!("{s} {word}")
}

/// Why a text is not a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» không phải là số (dùng dấu phẩy cho phần thập phân, ví dụ 16,42)")]
pub struct NotANumber(pub String);

/// Reads a number written by a person: "16,42", "27.247", "1.234.567,5",
/// "905000000", "3.5" (a single dot before other than three digits is a
/// decimal point, as spreadsheets in English locales write it).
pub fn parse_vi(s: &str) -> Result<f64, NotANumber> {
    let err = || NotANumber(s.to_owned());
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.as_str()),
    };
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(err());
    }
    let canonical = if body.contains(',') {
        let (int, frac) = body.split_once(',').ok_or_else(err)?;
        if frac.contains(',') || frac.contains('.') || !thousands_ok(int) {
            return Err(err());
        }
        format!("{}.{}", int.replace('.', ""), frac)
    } else if body.matches('.').count() == 1 {
        let (_, after) = body.split_once('.').ok_or_else(err)?;
        if after.len() == 3 {
            body.replace('.', "")
        } else {
            body.to_owned()
        }
    } else if body.contains('.') {
        if !thousands_ok(body) {
            return Err(err());
        }
        body.replace('.', "")
    } else {
        body.to_owned()
    };
    let v: f64 = canonical.parse().map_err(|_| err())?;
    Ok(if neg { -v } else { v })
}

/// Dots, if any, separate groups of exactly three digits.
fn thousands_ok(int: &str) -> bool {
    if !int.contains('.') {
        return !int.is_empty();
    }
    let mut groups = int.split('.');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_figures_drop_trailing_zeros() {
        assert_eq!(format_vi_short(15.0, 2), "15");
        assert_eq!(format_vi_short(0.35, 2), "0,35");
        assert_eq!(format_vi_short(4.5, 2), "4,5");
        assert_eq!(format_vi_short(1200.0, 1), "1.200");
    }
    use proptest::prelude::*;

    #[test]
    fn formats_like_the_reports() {
        assert_eq!(format_vi(16.416_666, 2), "16,42");
        assert_eq!(format_vi(27_247.0, 0), "27.247");
        assert_eq!(format_vi(1_234_567.5, 1), "1.234.567,5");
        assert_eq!(format_vi(-3.22, 2), "-3,22");
        assert_eq!(format_vi(-0.001, 2), "0,00");
        assert_eq!(format_vnd(905_000_000.0), "905 triệu đồng");
        assert_eq!(format_vnd(1_250_000_000.0), "1,25 tỷ đồng");
    }

    #[test]
    fn reads_what_people_type() {
        assert_eq!(parse_vi("16,42"), Ok(16.42));
        assert_eq!(parse_vi("27.247"), Ok(27247.0));
        assert_eq!(parse_vi("1.234.567,5"), Ok(1_234_567.5));
        assert_eq!(parse_vi("3.5"), Ok(3.5));
        assert_eq!(parse_vi(" -2 "), Ok(-2.0));
        for bad in ["", "abc", "1,2,3", "12.34.5", "1.2,3.4", "--1", "1e5"] {
            assert!(parse_vi(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn formatted_numbers_read_back(n in 0i64..10_000_000_000, d in 0usize..3) {
            let v = n as f64 / 100.0;
            let s = format_vi(v, d);
            let back = parse_vi(&s).unwrap();
            let step = 10f64.powi(-(d as i32));
            prop_assert!((back - v).abs() <= step / 2.0 + 1e-9, "{} -> {} -> {}", v, s, back);
        }
    }
}
