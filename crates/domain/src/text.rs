//! Vietnamese text: normalisation, diacritic-insensitive folding, and the
//! sort order people expect for personal names.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Unicode NFC with trimmed ends and single inner spaces: the one form in
/// which thidua stores every name, so equal names compare equal byte for byte.
pub fn normalize(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds Vietnamese text for search: no diacritics, `đ`/`Đ` as `d`, lower case,
/// punctuation as spaces, single spaces.
///
/// Unicode decomposition alone is not enough because `đ` is a letter of its
/// own, not `d` plus a mark; SQLite's FTS5 misses it for the same reason.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            '\'' | '’' | 'ʼ' => continue,
            c => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// A sentence with its first letter in capitals («không có…» → «Không có…»).
pub fn capitalize_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The words of a query, folded: each must be found in a folded name.
pub fn query_terms(q: &str) -> Vec<String> {
    fold(q)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Does the folded `haystack` contain every term as the start of a word?
///
/// Word-prefix matching makes "nguyen van duc" find "Nguyễn Văn Đức" but not
/// "Nguyễn Văn Dục Anh" by its middle letters.
pub fn matches_terms(folded_haystack: &str, terms: &[String]) -> bool {
    terms.iter().all(|t| {
        folded_haystack
            .split(' ')
            .any(|w| w.starts_with(t.as_str()))
    })
}

/// A sort key for a Vietnamese personal name: given name first, then the
/// middle names, then the family name, as Vietnamese lists are ordered.
///
/// The primary part ignores diacritics (so "Đức" sorts with "Duc", before
/// "Dũng"); the secondary part breaks ties by letter variant and tone in the
/// order of the Vietnamese alphabet (a ă â, d đ, …; ngang huyền hỏi ngã sắc nặng).
/// The key is plain bytes meant to be compared bytewise (binary collation).
pub fn name_sort_key(full_name: &str) -> String {
    let normalized = normalize(full_name);
    let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
    let (family, middle, given) = match words.as_slice() {
        [] => (String::new(), String::new(), String::new()),
        [only] => (String::new(), String::new(), (*only).to_owned()),
        [first, rest @ .., last] => ((*first).to_owned(), rest.join(" "), (*last).to_owned()),
    };
    let parts = [given, middle, family];
    let mut key = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            key.push('\u{1}');
        }
        key.push_str(&fold(p));
    }
    key.push('\u{2}');
    for p in &parts {
        key.push_str(&secondary_weights(p));
        key.push('\u{1}');
    }
    key
}

/// Two digits per letter: the letter variant and the tone.
fn secondary_weights(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfc().flat_map(char::to_lowercase) {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut variant = 0u8;
        let mut tone = 0u8;
        if c == 'đ' {
            variant = 1;
        }
        for m in c.to_string().nfd().skip(1) {
            match m {
                '\u{0306}' => variant = 1, // breve: ă
                '\u{0302}' => variant = 2, // circumflex: â ê ô
                '\u{031B}' => variant = 3, // horn: ơ ư
                '\u{0300}' => tone = 1,    // huyền
                '\u{0309}' => tone = 2,    // hỏi
                '\u{0303}' => tone = 3,    // ngã
                '\u{0301}' => tone = 4,    // sắc
                '\u{0323}' => tone = 5,    // nặng
                _ => {}
            }
        }
        out.push(char::from(b'0' + variant));
        out.push(char::from(b'0' + tone));
    }
    out
}

/// Edit distance between two folded words (insertions, deletions,
/// substitutions and swaps of neighbours each count one), or `None` once
/// it exceeds `max` — names are short and the bound keeps it cheap.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rows of the optimal-string-alignment table.
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
        }
        if cur.iter().min().is_some_and(|&m| m > max) {
            return None;
        }
        before = std::mem::replace(&mut prev, cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// The words of `vocabulary` a mistyped query term may have meant: one
/// edit away for words of three to seven letters, two for eight or more;
/// one- and two-letter terms are taken as typed. Closest first.
pub fn near_words<'a>(term: &str, vocabulary: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let len = term.chars().count();
    let max = match len {
        0..=2 => return Vec::new(),
        3..=7 => 1,
        _ => 2,
    };
    let mut found: Vec<(usize, &str)> = vocabulary
        .into_iter()
        .filter(|w| *w != term)
        .filter_map(|w| edit_distance(term, w, max).map(|d| (d, w)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, w)| w).collect()
}

/// Whether two words are at most one insertion, deletion or substitution
/// apart (Levenshtein distance ≤ 1, without swaps: what the name index's
/// automaton accepts).
pub fn levenshtein_within_one(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            short
                .iter()
                .zip(long.iter())
                .filter(|(x, y)| x != y)
                .count()
                <= 1
        }
        1 => {
            let same_head = short
                .iter()
                .zip(long.iter())
                .take_while(|(x, y)| x == y)
                .count();
            short[same_head..] == long[same_head + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folding_removes_marks_and_the_stroke_of_d() {
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold("NGUYỄN  văn   đức"), "nguyen van duc");
        assert_eq!(fold("Xã Đắk R'Moan"), "xa dak rmoan");
        assert_eq!(fold("Bà Rịa - Vũng Tàu"), "ba ria vung tau");
    }

    #[test]
    fn nfd_input_folds_like_nfc_input() {
        let nfd: String = "Trần Thị Ánh".nfd().collect();
        assert_eq!(fold(&nfd), fold("Trần Thị Ánh"));
        assert_eq!(normalize(&nfd), "Trần Thị Ánh");
    }

    #[test]
    fn terms_match_word_prefixes_only() {
        let hay = fold("Nguyễn Văn Đức");
        assert!(matches_terms(&hay, &query_terms("nguyen van duc")));
        assert!(matches_terms(&hay, &query_terms("NGUYỄN văn đức")));
        assert!(matches_terms(&hay, &query_terms("duc ng")));
        assert!(!matches_terms(&hay, &query_terms("uc")));
        assert!(!matches_terms(&hay, &query_terms("nguyen thi")));
    }

    #[test]
    fn names_sort_by_given_then_middle_then_family() {
        let mut names = vec![
            "Nguyễn Văn Dũng",
            "Trần Văn Đức",
            "Lê Thị Anh",
            "Nguyễn Văn Đức",
            "Phạm Anh",
            "Lê Văn Anh",
        ];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(
            names,
            vec![
                "Phạm Anh",
                "Lê Thị Anh",
                "Lê Văn Anh",
                "Nguyễn Văn Đức",
                "Trần Văn Đức",
                "Nguyễn Văn Dũng",
            ]
        );
    }

    #[test]
    fn ties_on_letters_are_broken_by_variant_and_tone() {
        let mut names = vec!["Lê Thị Đa", "Lê Thị Đà", "Lê Thị Da", "Lê Thị Dạ"];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(
            names,
            vec!["Lê Thị Da", "Lê Thị Dạ", "Lê Thị Đa", "Lê Thị Đà"]
        );
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn vietnamese_letters_fold_to_ascii(
            s in "[aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ĐÂƯ]{0,40}"
        ) {
            prop_assert!(fold(&s).is_ascii());
        }

        #[test]
        fn fold_ignores_normalization_form(s in "\\PC{0,30}") {
            let nfd: String = s.nfd().collect();
            let nfc: String = s.nfc().collect();
            prop_assert_eq!(fold(&nfd), fold(&nfc));
        }
    }

    #[test]
    fn typos_find_the_names_meant() {
        assert_eq!(edit_distance("nguyen", "nguyen", 1), Some(0));
        assert_eq!(edit_distance("nguyen", "nguyne", 1), Some(1));
        assert_eq!(edit_distance("nguyen", "ngyen", 1), Some(1));
        assert_eq!(edit_distance("nguyen", "nhuyen", 1), Some(1));
        assert_eq!(edit_distance("nguyen", "hoang", 2), None);
        let vocab = ["nguyen", "nguyet", "hoa", "hoang", "thi", "tho"];
        assert_eq!(near_words("nguyne", vocab), ["nguyen"]);
        assert_eq!(near_words("nguyen", vocab), ["nguyet"]);
        assert_eq!(near_words("hao", vocab), ["hoa"]);
        assert!(near_words("th", vocab).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn edit_distance_is_symmetric_and_bounded(a in "[a-z]{0,9}", b in "[a-z]{0,9}") {
            let d1 = edit_distance(&a, &b, 3);
            proptest::prop_assert_eq!(d1, edit_distance(&b, &a, 3));
            if let Some(d) = d1 {
                proptest::prop_assert!(d <= 3);
                proptest::prop_assert!(d >= a.len().abs_diff(b.len()));
            }
            proptest::prop_assert_eq!(edit_distance(&a, &a, 0), Some(0));
        }
    }
}
