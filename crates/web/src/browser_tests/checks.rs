//! What every photographed page must hold (no internal identifiers, no
//! serious accessibility violation, nothing wider than a phone), and the
//! screenshots themselves, at 1366 and 390 px.

use fantoccini::Client;
use std::path::PathBuf;

pub(super) fn shots_dir() -> PathBuf {
    let dir = std::env::var("THIDUA_TEST_OUTPUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-output"))
        .join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// Photographs the page at 1366 px and at a 390 px phone's width, after
/// checking what every page a journey visits must hold: no internal
/// identifier in its text, no serious accessibility violation (axe-core),
/// nothing wider than the phone.
pub(super) async fn shot(c: &Client, name: &str) {
    no_internal_text(c, name).await;
    accessible(c, name).await;
    c.set_window_size(1366, 1000).await.expect("wide");
    let png = c.screenshot().await.expect("screenshot");
    assert!(png.len() > 1000, "a real picture");
    std::fs::write(shots_dir().join(format!("{name}.png")), png).expect("save screenshot");
    c.set_window_size(390, 844).await.expect("phone");
    let overflow: i64 = c
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .expect("width")
        .as_i64()
        .unwrap_or(0);
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(shots_dir().join(format!("{name}-390.png")), png).expect("save screenshot");
    c.set_window_size(1366, 1000).await.expect("wide");
    assert!(
        overflow <= 1,
        "{name}: the page is {overflow} px wider than a 390 px phone"
    );
}

/// Checks the page the browser is on, once per kind of page in the whole
/// run (its path with numbers blotted out): no internal identifier, no
/// serious accessibility violation. Every wait and every read of a page
/// calls it, so every page a journey visits is checked, photographed or not.
pub(super) async fn visited(c: &Client) {
    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let Ok(url) = c.current_url().await else {
        return;
    };
    let kind: String = url
        .path()
        .split('/')
        .map(|part| {
            if part.chars().any(|ch| ch.is_ascii_digit()) {
                "N"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    {
        let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
        if seen.contains(&kind) {
            return;
        }
        seen.push(kind.clone());
    }
    no_internal_text(c, &kind).await;
    accessible(c, &kind).await;
}

/// What people must never read: the law digest's file, a section sign
/// without its article, parameter ids, formulas in their notation, the
/// framework's English.
async fn no_internal_text(c: &Client, name: &str) {
    let body: String = c
        // Raw records (the audit log's JSON) are shown as code on purpose.
        .execute(
            "const b = document.body.cloneNode(true); b.querySelectorAll('pre, code').forEach(e => e.remove()); document.body.appendChild(b); const t = b.innerText; b.remove(); return t;",
            vec![],
        )
        .await
        .expect("text")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for bad in [
        concat!("LAW", ".md"),
        "Invalid URL",
        "Failed to deserialize",
        "Cannot parse",
        "missing field",
        "unknown variant",
        "Internal Server Error",
        "all(",
        "count(",
    ] {
        assert!(!body.contains(bad), "{name}: «{bad}» shown to people");
    }
    let words: Vec<&str> = body
        .split(|ch: char| ch.is_whitespace() || ",;:()«»\"'".contains(ch))
        .collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches('.');
        let snake = w.contains('_')
            && w.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_' || ch == '.')
            && w.chars().next().is_some_and(|ch| ch.is_ascii_lowercase());
        assert!(!snake, "{name}: internal id «{w}» shown to people");
        if w == "§" || (w.starts_with('§') && w[2..].starts_with(|ch: char| ch.is_ascii_digit()))
        {
            let before = if i > 0 { words[i - 1] } else { "" };
            assert!(
                before.starts_with("Điều"),
                "{name}: «§» without its article"
            );
        }
    }
}

/// axe-core's serious and critical violations on the page: none allowed.
async fn accessible(c: &Client, name: &str) {
    let Ok(path) = std::env::var("THIDUA_AXE") else {
        assert!(
            std::env::var("THIDUA_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "THIDUA_REQUIRE_BROWSER=1 but THIDUA_AXE (axe.min.js) is not set"
        );
        return;
    };
    let axe = std::fs::read_to_string(&path).expect("axe.min.js");
    c.execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .expect("load axe");
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
                   .map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').slice(0, 160)).join(' | '))));",
            vec![],
        )
        .await
        .expect("axe run");
    let found: Vec<String> = serde_json::from_value(found).unwrap_or_default();
    assert!(
        found.is_empty(),
        "{name}: accessibility violations:\n{}",
        found.join("\n")
    );
}
