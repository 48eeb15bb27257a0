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

#[cfg(test)]
mod tests {
    use super::*;

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
