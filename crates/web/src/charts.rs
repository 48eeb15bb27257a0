//! Biểu đồ — server-rendered SVG: bars by unit and a line over time. Text
//! is drawn by the browser, so Vietnamese needs no fonts on the server, and
//! the markup uses attributes only (the CSP forbids inline styles).

use std::fmt::Write;

/// Escapes text for SVG/XML content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const ACCENT: &str = "#b3261e";
const MUTED: &str = "#5b6475";
const INK: &str = "#1d2433";
const LINE: &str = "#d8dce4";

/// Horizontal bars, one per (label, value, shown text), scaled to the
/// largest value (or `max` when given, e.g. 100 for shares).
pub fn bars(title: &str, rows: &[(String, f64, String)], max: Option<f64>) -> String {
    let bar_h = 20.0;
    let gap = 6.0;
    let label_w = 230.0;
    let chart_w = 360.0;
    let h = 30.0 + rows.len() as f64 * (bar_h + gap);
    let top = max
        .unwrap_or_else(|| rows.iter().map(|r| r.1).fold(0.0, f64::max))
        .max(f64::MIN_POSITIVE);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 680 {h}" width="680" height="{h}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = esc(title)
    );
    for (i, (label, v, shown)) in rows.iter().enumerate() {
        let y = 24.0 + i as f64 * (bar_h + gap);
        let w = (v / top * chart_w).clamp(0.0, chart_w);
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" font-size="12" fill="{MUTED}">{l}</text><rect class="bar" x="{x}" y="{y}" width="{w:.1}" height="{bar_h}" fill="{ACCENT}" data-value="{v}"><title>{l}: {sv}</title></rect><text x="{vx:.1}" y="{ty}" font-size="12" fill="{INK}">{sv}</text>"#,
            lx = label_w - 6.0,
            ty = y + 14.0,
            l = esc(label),
            x = label_w,
            vx = label_w + w + 4.0,
            sv = esc(shown),
        );
    }
    s.push_str("</svg>");
    s
}

/// A line over time: (label, value, shown text) in order.
pub fn line(title: &str, points: &[(String, f64, String)]) -> String {
    let (w, h) = (680.0, 240.0);
    let (left, right, top, bottom) = (50.0, 20.0, 20.0, 40.0);
    let max = points
        .iter()
        .map(|p| p.1)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let n = points.len().max(1) as f64;
    let x = |i: usize| {
        if n <= 1.0 {
            left + (w - left - right) / 2.0
        } else {
            left + i as f64 * (w - left - right) / (n - 1.0)
        }
    };
    let y = |v: f64| top + (1.0 - v / max) * (h - top - bottom);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}"><title>{t}</title><line x1="{left}" y1="{b}" x2="{r}" y2="{b}" stroke="{LINE}"/>"#,
        t = esc(title),
        b = h - bottom,
        r = w - right
    );
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.1)))
        .collect();
    if points.len() > 1 {
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{ACCENT}" stroke-width="2"/>"#,
            path.join(" ")
        );
    }
    for (i, (label, v, shown)) in points.iter().enumerate() {
        let _ = write!(
            s,
            r#"<circle class="point" cx="{cx:.1}" cy="{cy:.1}" r="4" fill="{ACCENT}" data-value="{v}"><title>{l}: {sv}</title></circle><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" font-size="12" fill="{INK}">{sv}</text><text x="{cx:.1}" y="{ly}" text-anchor="middle" font-size="12" fill="{MUTED}">{l}</text>"#,
            cx = x(i),
            cy = y(*v),
            ty = y(*v) - 8.0,
            ly = h - bottom + 18.0,
            l = esc(label),
            sv = esc(shown),
        );
    }
    s.push_str("</svg>");
    s
}

/// Units counted by their value, for a chart of many units: one bar per
/// value when there are few distinct values (đạt / chưa đạt, 0–19 tiêu
/// chí), else five bands of equal width; units without a value last.
/// Each row is (label, units, units as shown).
pub fn bands(values: &[Option<f64>], unit_word: &str) -> Vec<(String, f64, String)> {
    use thidua_domain::number::format_vi_short;
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let missing = values.len() - known.len();
    let mut rows: Vec<(String, usize)> = Vec::new();
    let mut distinct: Vec<f64> = known.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() <= 8 {
        for v in &distinct {
            let n = known.iter().filter(|x| *x == v).count();
            rows.push((format!("= {}", format_vi_short(*v, 2)), n));
        }
    } else if let (Some(lo), Some(hi)) = (distinct.first(), distinct.last()) {
        let width = (hi - lo) / 5.0;
        for i in 0..5 {
            let a = lo + width * f64::from(i);
            let b = if i == 4 { *hi } else { a + width };
            let n = known
                .iter()
                .filter(|x| **x >= a && (**x < b || (i == 4 && **x <= b)))
                .count();
            rows.push((
                format!("{} – {}", format_vi_short(a, 2), format_vi_short(b, 2)),
                n,
            ));
        }
    }
    if missing > 0 {
        rows.push(("chưa có số liệu".to_owned(), missing));
    }
    rows.into_iter()
        .map(|(label, n)| (label, n as f64, format!("{n} {unit_word}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_units_are_counted_by_value_not_drawn_one_by_one() {
        let met: Vec<Option<f64>> = [1.0, 0.0, 1.0, 1.0]
            .into_iter()
            .map(Some)
            .chain([None])
            .collect();
        let b = bands(&met, "xã");
        assert_eq!(
            b,
            vec![
                ("= 0".to_owned(), 1.0, "1 xã".to_owned()),
                ("= 1".to_owned(), 3.0, "3 xã".to_owned()),
                ("chưa có số liệu".to_owned(), 1.0, "1 xã".to_owned()),
            ]
        );
        let spread: Vec<Option<f64>> = (0..=19).map(|v| Some(f64::from(v))).collect();
        let b = bands(&spread, "xã");
        assert_eq!(b.len(), 5);
        assert_eq!(b.iter().map(|r| r.1).sum::<f64>(), 20.0, "every unit once");
        assert_eq!(b[4].0, "15,2 – 19");
    }

    #[test]
    fn bars_scale_and_escape() {
        let svg = bars(
            "Số xã đạt chuẩn",
            &[
                ("Huyện <A>".into(), 2.0, "2".into()),
                ("Huyện B".into(), 1.0, "1".into()),
            ],
            None,
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Huyện &lt;A&gt;"));
        assert!(
            svg.contains(r#"width="360.0""#),
            "the largest bar fills the width"
        );
        assert!(svg.contains(r#"width="180.0""#));
        assert_eq!(svg.matches("<rect").count(), 2);
    }

    #[test]
    fn a_line_has_a_point_per_period() {
        let svg = line(
            "Theo năm",
            &[
                ("2021".into(), 28.0, "28".into()),
                ("2022".into(), 33.0, "33".into()),
                ("2023".into(), 38.0, "38".into()),
            ],
        );
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<polyline"));
    }
}
