//! The shape of the workspace's sources, as ARCHITECTURE.md promises it:
//! no source file over 800 lines, no function of `app` or `web` over 150
//! lines, and no import cycle between the files of one crate. The report
//! of every file and its figures prints with
//! `cargo test -p thidua-domain --test source_layout -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 150;

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if entry.file_name() != "target" {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text with comments, strings and character literals blanked out
/// (newlines kept), so braces and paths are only the code's own.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // Raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &chars[i..j.min(chars.len())] {
                out.push(blank(ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}') — not a lifetime.
            let close = if next == Some('\\') {
                (i + 3..chars.len().min(i + 12)).find(|&k| chars[k] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match close {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Every `fn` with a body and the number of lines from its `fn` line to
/// its closing brace.
fn function_lengths(code: &str) -> Vec<(String, usize, usize)> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(pos) = code[search..].find("fn ") {
        let at = search + pos;
        search = at + 3;
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        let name: String = code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` before any `;` at depth 0.
        let mut depth = 0i32;
        let mut open = None;
        for (k, ch) in code[at..].char_indices() {
            match ch {
                '(' | '[' | '<' => depth += 1,
                ')' | ']' | '>' => depth -= 1,
                ';' if depth <= 0 => break,
                '{' if depth <= 0 => {
                    open = Some(at + k);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let mut braces = 0i32;
        let mut close = code.len();
        for (k, ch) in code[open..].char_indices() {
            match ch {
                '{' => braces += 1,
                '}' => {
                    braces -= 1;
                    if braces == 0 {
                        close = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        let first = code[..at].matches('\n').count() + 1;
        let last = code[..close].matches('\n').count() + 1;
        found.push((name, first, last - first + 1));
    }
    found
}

/// The module path of a source file inside its crate, e.g.
/// `dossiers::intake` for `src/dossiers/intake.rs`; `None` for files
/// outside `src` (integration tests, benches).
fn module_of(src: &Path, file: &Path) -> Option<Vec<String>> {
    let rel = file.strip_prefix(src).ok()?;
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") || !parts.is_empty() && stem != "mod" {
        parts.push(stem.to_string());
    }
    Some(parts)
}

// Flatten `use` groups: `use crate::{a, b::{c, d}};` → a, b::c, b::d.
fn expand_use(prefix: &[String], text: &str, out: &mut Vec<Vec<String>>) {
    let text = text.trim();
    if text.is_empty() {
        // The trailing comma of a group.
        return;
    }
    if let Some(brace) = text.find('{') {
        let head: Vec<String> = text[..brace]
            .split("::")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let mut base = prefix.to_vec();
        base.extend(head);
        let inner = &text[brace + 1..text.rfind('}').unwrap_or(text.len())];
        let mut depth = 0;
        let mut start = 0;
        for (k, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_use(&base, &inner[start..k], out);
                    start = k + 1;
                }
                _ => {}
            }
        }
        expand_use(&base, &inner[start..], out);
    } else {
        let mut path = prefix.to_vec();
        let text = text.split(" as ").next().unwrap_or(text);
        path.extend(
            text.split("::")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        );
        if !path.is_empty() {
            out.push(path);
        }
    }
}

/// The paths a file names: `crate::a::b`, `super::a`, `self::a`, and paths
/// that start with one of the file's own child modules.
fn named_paths(code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(pos) = rest.find("use ") {
        let before = rest[..pos].chars().last();
        let after = &rest[pos + 4..];
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(end) = after.find(';') else { break };
        expand_use(&[], &after[..end], &mut paths);
    }
    // Paths written in the code itself.
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0
            || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        if boundary && (chars[i].is_alphabetic() || chars[i] == '_') {
            let mut j = i;
            let mut segs = Vec::new();
            let mut group = false;
            loop {
                let start = j;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                segs.push(chars[start..j].iter().collect::<String>());
                if chars.get(j) == Some(&':') && chars.get(j + 1) == Some(&':') {
                    j += 2;
                    if chars.get(j).is_some_and(|c| c.is_alphabetic() || *c == '_') {
                        continue;
                    }
                    // `a::{b, c}`: a `use` group, read by the `use` reader.
                    group = true;
                }
                break;
            }
            if segs.len() > 1 && !group {
                let head = segs[0].as_str();
                if head == "crate" || head == "super" || head == "self" || children.contains(head) {
                    paths.push(segs);
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    paths
}

/// What a file re-exports (`pub use a::b::C;`, `pub use a::D as E;`): the
/// name it is known by here and the path it comes from.
type Reexports = BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>;

fn reexports_of(code: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for line in code.lines() {
        let line = line.trim_start();
        let Some(rest) = line
            .strip_prefix("pub use ")
            .or_else(|| line.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        // The statement may run over several lines.
        let at = rest.as_ptr() as usize - code.as_ptr() as usize;
        let stmt = &code[at..];
        let rest = &stmt[..stmt.find(';').unwrap_or(stmt.len())];
        let mut paths = Vec::new();
        let text = rest.replace(" as ", "@");
        expand_use(&[], &text, &mut paths);
        for path in paths {
            let Some(last) = path.last() else { continue };
            let (path, name) = match last.split_once('@') {
                Some((real, alias)) => {
                    let mut p = path.clone();
                    *p.last_mut().expect("non-empty") = real.trim().to_string();
                    (p, alias.trim().to_string())
                }
                None => (path.clone(), last.clone()),
            };
            out.insert(name, path);
        }
    }
    out
}

/// The file a path names: the longest module prefix that is a file, and
/// through that file's re-exports to where the item is defined.
fn resolve(
    from: &[String],
    path: &[String],
    files: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<Vec<String>> {
    resolve_through(from, path, files, &Reexports::new(), 0)
}

fn resolve_through(
    from: &[String],
    path: &[String],
    files: &BTreeMap<Vec<String>, PathBuf>,
    reexports: &Reexports,
    depth: usize,
) -> Option<Vec<String>> {
    let mut module: Vec<String> = from.to_vec();
    let mut segs = path.iter().peekable();
    match segs.peek().map(|s| s.as_str()) {
        Some("crate") => {
            module.clear();
            segs.next();
        }
        Some("self") => {
            segs.next();
        }
        Some("super") => {
            while segs.peek().map(|s| s.as_str()) == Some("super") {
                module.pop();
                segs.next();
            }
        }
        _ => {}
    }
    let mut best = module.clone();
    let mut next_name = None;
    for seg in segs {
        module.push(seg.clone());
        if files.contains_key(&module) {
            best = module.clone();
        } else {
            next_name = Some(seg.clone());
            break;
        }
    }
    if !files.contains_key(&best) {
        return None;
    }
    if depth < 8
        && let Some(name) = next_name
        && let Some(target) = reexports.get(&best).and_then(|r| r.get(&name))
        && let Some(found) = resolve_through(&best, target, files, reexports, depth + 1)
    {
        return Some(found);
    }
    Some(best)
}

/// Groups of files of one crate that import each other, directly or round
/// a loop (Tarjan's strongly connected components of size two or more).
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        next: usize,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(edges) = s.graph.get(v) {
            for w in edges {
                let Some((w, _)) = s.graph.get_key_value(w) else {
                    continue;
                };
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.clone());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.out.push(group);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

struct Report {
    long_files: Vec<String>,
    long_functions: Vec<String>,
    cycles: Vec<String>,
}

fn survey(print: bool) -> Report {
    let crates = crates_dir();
    let mut report = Report {
        long_files: Vec::new(),
        long_functions: Vec::new(),
        cycles: Vec::new(),
    };
    let mut crate_dirs: Vec<PathBuf> = std::fs::read_dir(&crates)
        .expect("crates")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").exists())
        .collect();
    crate_dirs.sort();
    for dir in crate_dirs {
        let krate = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files = Vec::new();
        rust_files(&dir, &mut files);
        files.sort();
        let src = dir.join("src");
        let mut modules: BTreeMap<Vec<String>, PathBuf> = BTreeMap::new();
        let mut codes: BTreeMap<Vec<String>, String> = BTreeMap::new();
        for file in &files {
            let text = std::fs::read_to_string(file).expect("source");
            let lines = text.lines().count();
            let shown = file
                .strip_prefix(&crates)
                .unwrap_or(file)
                .display()
                .to_string();
            if print {
                println!("{lines:6}  {shown}");
            }
            if lines > MAX_FILE_LINES {
                report.long_files.push(format!("{shown}: {lines} lines"));
            }
            let code = code_only(&text);
            if krate == "app" || krate == "web" {
                for (name, line, len) in function_lengths(&code) {
                    if len > MAX_FN_LINES {
                        report
                            .long_functions
                            .push(format!("{shown}:{line} fn {name}: {len} lines"));
                    }
                }
            }
            if let Some(module) = module_of(&src, file) {
                modules.insert(module.clone(), file.clone());
                codes.insert(module, code);
            }
        }
        let reexports: Reexports = codes
            .iter()
            .map(|(m, code)| (m.clone(), reexports_of(code)))
            .collect();
        let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (module, code) in &codes {
            let children: BTreeSet<String> = modules
                .keys()
                .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
                .filter_map(|m| m.last().cloned())
                .collect();
            // A file's inline tests may reach anywhere; only its code counts.
            let code = code.split("#[cfg(test)]").next().unwrap_or("");
            let edges = graph.entry(module.clone()).or_default();
            for path in named_paths(code, &children) {
                if let Some(target) = resolve_through(module, &path, &modules, &reexports, 0)
                    && &target != module
                {
                    if std::env::var_os("THIDUA_LAYOUT_DEBUG").is_some() {
                        println!(
                            "      {krate}: {} names {} → {}",
                            module.join("::"),
                            path.join("::"),
                            target.join("::")
                        );
                    }
                    edges.insert(target);
                }
            }
        }
        // Test modules (`tests.rs`, `*_tests.rs`) read what they test.
        graph.retain(|m, _| {
            m.last()
                .is_none_or(|l| l != "tests" && !l.ends_with("_tests"))
        });
        for group in cycles(&graph) {
            let names: Vec<String> = group
                .iter()
                .map(|m| {
                    if m.is_empty() {
                        "(root)".to_string()
                    } else {
                        m.join("::")
                    }
                })
                .collect();
            report
                .cycles
                .push(format!("{krate}: {}", names.join(" ⇄ ")));
            if print {
                let name = |m: &Vec<String>| {
                    if m.is_empty() {
                        "(root)".to_string()
                    } else {
                        m.join("::")
                    }
                };
                for from in &group {
                    for to in graph
                        .get(from)
                        .into_iter()
                        .flatten()
                        .filter(|t| group.contains(t))
                    {
                        println!("    {krate}: {} → {}", name(from), name(to));
                    }
                }
            }
        }
    }
    if print {
        for line in report
            .long_files
            .iter()
            .chain(&report.long_functions)
            .chain(&report.cycles)
        {
            println!("{line}");
        }
    }
    report
}

#[test]
fn the_function_finder_measures_bodies() {
    let code = code_only(
        "fn a() {\n    let s = \"}\";\n}\n\nfn b(x: Vec<u8>) -> Option<()> where u8: Copy {\n    if true {\n    }\n    None\n}\ntrait T { fn c(&self); }\n",
    );
    let found: Vec<(String, usize, usize)> = function_lengths(&code);
    assert_eq!(found, [("a".to_string(), 1, 3), ("b".to_string(), 5, 5)]);
}

#[test]
fn the_cycle_finder_sees_a_loop_and_ignores_a_chain() {
    let m = |s: &str| s.split("::").map(String::from).collect::<Vec<_>>();
    let mut graph = BTreeMap::new();
    graph.insert(m("a"), BTreeSet::from([m("b")]));
    graph.insert(m("b"), BTreeSet::from([m("c")]));
    graph.insert(m("c"), BTreeSet::from([m("a")]));
    graph.insert(m("d"), BTreeSet::from([m("a")]));
    assert_eq!(cycles(&graph), [vec![m("a"), m("b"), m("c")]]);
}

#[test]
fn paths_resolve_to_the_deepest_file() {
    let m = |s: &str| {
        s.split("::")
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let files: BTreeMap<Vec<String>, PathBuf> = ["", "dossiers", "dossiers::intake", "policy"]
        .iter()
        .map(|s| (m(s), PathBuf::new()))
        .collect();
    let code = code_only(
        "use crate::{policy::Action, dossiers::intake::submit};\nfn f() { super::policy::x(); intake::y(); }\n",
    );
    let children = BTreeSet::from(["intake".to_string()]);
    let found: Vec<Vec<String>> = named_paths(&code, &children)
        .iter()
        .filter_map(|p| resolve(&m("dossiers"), p, &files))
        .collect();
    assert_eq!(
        found,
        [
            m("policy"),
            m("dossiers::intake"),
            m("policy"),
            m("dossiers::intake")
        ]
    );
}

/// What is still too long, by file or by `file fn name`: a list that may
/// only shrink, and is now empty. A new long file or function fails the test, and so does an
/// entry here that is no longer long (remove it).
const STILL_TOO_LONG: &[&str] = &[];

/// `app/src/x.rs: 900 lines` → `app/src/x.rs`;
/// `app/src/x.rs:12 fn f: 200 lines` → `app/src/x.rs fn f`.
fn key_of(finding: &str) -> String {
    let head = finding.rsplit_once(": ").map_or(finding, |(h, _)| h);
    match head.split_once(" fn ") {
        Some((at, name)) => {
            let file = at.rsplit_once(':').map_or(at, |(f, _)| f);
            format!("{file} fn {name}")
        }
        None => head.to_string(),
    }
}

#[test]
fn findings_have_keys() {
    assert_eq!(key_of("web/src/x.rs: 900 lines"), "web/src/x.rs");
    assert_eq!(
        key_of("web/src/x.rs:12 fn detail: 293 lines"),
        "web/src/x.rs fn detail"
    );
}

#[test]
fn sources_keep_their_shape() {
    let report = survey(std::env::var_os("THIDUA_LAYOUT_REPORT").is_some());
    assert!(
        report.cycles.is_empty(),
        "files that import each other: {:#?}",
        report.cycles
    );
    let found: Vec<String> = report
        .long_files
        .iter()
        .chain(&report.long_functions)
        .map(|f| key_of(f))
        .collect();
    let new: Vec<&String> = found
        .iter()
        .filter(|k| !STILL_TOO_LONG.contains(&k.as_str()))
        .collect();
    assert!(
        new.is_empty(),
        "files over {MAX_FILE_LINES} lines or app/web functions over {MAX_FN_LINES} lines: {new:#?}"
    );
    let stale: Vec<&&str> = STILL_TOO_LONG
        .iter()
        .filter(|k| !found.iter().any(|f| f == **k))
        .collect();
    assert!(
        stale.is_empty(),
        "no longer too long, remove from STILL_TOO_LONG: {stale:#?}"
    );
}

/// No citation points outside the repository: rules cite the articles of
/// the law and decrees, and `docs/law.md` is the project's own digest.
#[test]
fn citations_stay_inside_the_repository() {
    let root = crates_dir().parent().expect("workspace").to_path_buf();
    let mut files = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    walk(&path, out);
                }
            } else if [".rs", ".toml", ".sql", ".md", ".html"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                out.push(path);
            }
        }
    }
    walk(&root, &mut files);
    assert!(
        files.len() > 100,
        "the workspace was found: {}",
        files.len()
    );
    // Spelt in two halves so that this file does not name it.
    let outside = format!("{}.md", "LAW");
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(f).is_ok_and(|t| {
                t.lines()
                    .any(|l| l.contains(&outside) && !l.contains(&format!("docs/{}", "law.md")))
            })
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "cite docs/law.md instead: {offenders:#?}"
    );
}
