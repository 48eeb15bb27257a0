//! «Every write through one app function»: no handler writes to the store
//! itself. Every write of the store takes the actor (`&Who`) first, for its
//! audit entry, so a call of the store whose first argument is the actor
//! is a write.

/// Calls `store.name(first, …)` whose first argument names the actor, with
/// their line numbers.
fn store_writes(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("store") {
        let rest = text[at + 5..].trim_start();
        let Some(rest) = rest.strip_prefix('.') else {
            continue;
        };
        let rest = rest.trim_start();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        let Some(args) = rest[name.len()..].trim_start().strip_prefix('(') else {
            continue;
        };
        let first = args.split([',', ')']).next().unwrap_or("");
        let names_actor = first
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|w| w == "who" || w == "Who");
        if !name.is_empty() && names_actor {
            found.push((text[..at].matches('\n').count() + 1, name));
        }
    }
    found
}

#[test]
fn the_scanner_sees_a_write() {
    let sample = "let a = st.store.units_as_of(date, None).await?;\nst.store\n    .create_unit(&s.who(), &new)\n    .await?;\nstore.rename(who, id, &name, date, None)";
    let found: Vec<String> = store_writes(sample).into_iter().map(|(_, n)| n).collect();
    assert_eq!(found, ["create_unit", "rename"]);
}

#[test]
fn handlers_write_only_through_app() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut paths,
    );
    let mut offenders = Vec::new();
    let mut files = 0;
    for path in paths {
        let name = path.to_string_lossy().into_owned();
        // Tests set up their worlds through the store; only handlers count.
        let is_test = path.iter().any(|part| {
            let part = part.to_string_lossy();
            let stem = part.trim_end_matches(".rs");
            stem == "tests" || stem.ends_with("_tests")
        });
        if !name.ends_with(".rs") || is_test {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).expect("source");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (line, call) in store_writes(code) {
            offenders.push(format!("{name}:{line} store.{call}"));
        }
    }
    assert!(files > 10, "the web sources were found");
    assert!(
        offenders.is_empty(),
        "handlers writing to the store (add an app function): {offenders:#?}"
    );
}
