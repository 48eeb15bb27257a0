//! Chỉ mục tên — an in-memory index over the folded names of every person:
//! the vocabulary of name words in an `fst` map (word → its number), and
//! for each word the sorted positions of the people whose name has it. A
//! term is read as the word itself, as every word it begins, or as every
//! word within one edit (fst's Levenshtein automaton), and the terms'
//! posting lists are intersected. Positions are the people's places in the
//! order they were given — name order for the registry — so an
//! intersection comes out in that order with no sort. Writes after the
//! build sit in a small overlay until the next build.

use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How a query term matches a word of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The word itself.
    Word,
    /// Any word it begins.
    Prefix,
    /// Any word within one edit (insertion, deletion, substitution).
    Near,
}

/// People whose name changed since the build, with their words.
#[derive(Default)]
struct Overlay {
    /// Ids whose entry in the built index no longer holds (renamed, gone).
    stale: HashSet<i64>,
    /// Current words of people added or renamed since the build.
    words: HashMap<i64, Vec<String>>,
}

pub struct NameIndex {
    words: Map<Vec<u8>>,
    /// The same words as text, for the typo reader (`registry::read_terms`).
    vocabulary: Vec<String>,
    postings: Vec<Vec<u32>>,
    ids: Vec<i64>,
    overlay: Overlay,
}

/// The people a name query found: those of the build in its order, then
/// those written since (in no order: the caller sorts what it keeps).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub in_order: Vec<i64>,
    pub recent: Vec<i64>,
}

/// Why the index could not be built (fst refuses unsorted keys: a bug).
#[derive(Debug, thiserror::Error)]
#[error("không dựng được chỉ mục tên: {0}")]
pub struct IndexError(String);

fn words_of(folded: &str) -> Vec<String> {
    let mut w: Vec<String> = folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// Sorted intersection of two sorted lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    // Galloping would help lopsided lists; a merge is enough when the
    // smaller list is not tiny, and a binary search per item when it is.
    if small.len() * 32 < large.len() {
        for x in small {
            if large.binary_search(x).is_ok() {
                out.push(*x);
            }
        }
        return out;
    }
    let (mut i, mut j) = (0, 0);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(small[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Sorted union of several sorted lists.
fn union(lists: Vec<&[u32]>) -> Vec<u32> {
    match lists.len() {
        0 => Vec::new(),
        1 => lists[0].to_vec(),
        _ => {
            let mut all: Vec<u32> = lists.concat();
            all.sort_unstable();
            all.dedup();
            all
        }
    }
}

fn word_matches(word: &str, term: &str, how: Match) -> bool {
    match how {
        Match::Word => word == term,
        Match::Prefix => word.starts_with(term),
        Match::Near => thidua_domain::text::levenshtein_within_one(word, term),
    }
}

impl NameIndex {
    /// Builds the index from (id, folded name) in the order searches
    /// should answer in.
    pub fn build(people: &[(i64, String)]) -> Result<NameIndex, IndexError> {
        let mut by_word: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (pos, (_, folded)) in people.iter().enumerate() {
            let mut seen: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                by_word.entry(w).or_default().push(pos as u32);
            }
        }
        let mut b = MapBuilder::memory();
        let mut postings = Vec::with_capacity(by_word.len());
        let mut vocabulary = Vec::with_capacity(by_word.len());
        for (i, (w, list)) in by_word.into_iter().enumerate() {
            b.insert(w, i as u64)
                .map_err(|e| IndexError(e.to_string()))?;
            postings.push(list);
            vocabulary.push(w.to_owned());
        }
        let words = b.into_map().into_fst().into_inner();
        Ok(NameIndex {
            words: Map::new(words).map_err(|e| IndexError(e.to_string()))?,
            vocabulary,
            postings,
            ids: people.iter().map(|p| p.0).collect(),
            overlay: Overlay::default(),
        })
    }

    /// Words in the vocabulary.
    pub fn vocabulary(&self) -> usize {
        self.postings.len()
    }

    /// Every word of every name, the build's and the overlay's, sorted.
    pub fn words(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.vocabulary.iter().map(String::as_str).collect();
        if !self.overlay.words.is_empty() {
            all.extend(self.overlay.words.values().flatten().map(String::as_str));
            all.sort_unstable();
            all.dedup();
        }
        all
    }

    /// Bytes held, roughly.
    pub fn bytes(&self) -> usize {
        self.words.as_fst().as_bytes().len()
            + self
                .postings
                .iter()
                .map(|p| p.len() * 4 + 24)
                .sum::<usize>()
            + self.ids.len() * 8
            + self.vocabulary.iter().map(|w| w.len() + 24).sum::<usize>()
            + self.overlay.words.len() * 64
    }

    /// A person's name now (a write added or renamed them), or `None` when
    /// they are gone.
    pub fn set(&mut self, id: i64, folded: Option<&str>) {
        self.overlay.stale.insert(id);
        match folded {
            Some(f) => {
                self.overlay.words.insert(id, words_of(f));
            }
            None => {
                self.overlay.words.remove(&id);
            }
        }
    }

    /// How many people were changed since the build.
    pub fn overlay_len(&self) -> usize {
        self.overlay.stale.len()
    }

    fn term_positions(&self, term: &str, how: Match) -> Vec<u32> {
        let mut hits: Vec<&[u32]> = Vec::new();
        let mut collect = |stream: &mut dyn FnMut() -> Option<u64>| {
            while let Some(v) = stream() {
                if let Some(p) = self.postings.get(v as usize) {
                    hits.push(p);
                }
            }
        };
        match how {
            Match::Word => {
                if let Some(v) = self.words.get(term) {
                    let mut once = Some(v);
                    collect(&mut || once.take());
                }
            }
            Match::Prefix => {
                let mut s = self
                    .words
                    .search(Str::new(term).starts_with())
                    .into_stream();
                collect(&mut || s.next().map(|(_, v)| v));
            }
            Match::Near => match Levenshtein::new(term, 1) {
                Ok(aut) => {
                    let mut s = self.words.search(aut).into_stream();
                    collect(&mut || s.next().map(|(_, v)| v));
                }
                Err(_) => {
                    // Too large an automaton (a very long term): the
                    // vocabulary is read word by word instead.
                    let mut s = self.words.stream();
                    let mut near = Vec::new();
                    while let Some((w, v)) = s.next() {
                        if std::str::from_utf8(w).is_ok_and(|w| word_matches(w, term, Match::Near))
                        {
                            near.push(v);
                        }
                    }
                    let mut it = near.into_iter();
                    collect(&mut || it.next());
                }
            },
        }
        union(hits)
    }

    /// The people whose name has, for every term, a word that one of its
    /// spellings begins — the registry search's rule (`read_terms` gives
    /// the spellings: the term, or the words near a typo).
    pub fn find(&self, terms: &[Vec<String>]) -> Found {
        self.matching(terms, Match::Prefix)
    }

    /// The ids of the people whose name has, for every term, a word it
    /// matches; ascending.
    pub fn search(&self, terms: &[String], how: Match) -> Vec<i64> {
        let single: Vec<Vec<String>> = terms.iter().map(|t| vec![t.clone()]).collect();
        let Found {
            mut in_order,
            recent,
        } = self.matching(&single, how);
        in_order.extend(recent);
        in_order.sort_unstable();
        in_order.dedup();
        in_order
    }

    /// The people whose name has, for every term, a word one of its
    /// spellings matches in the way `how` says.
    fn matching(&self, terms: &[Vec<String>], how: Match) -> Found {
        if terms.is_empty() {
            return Found::default();
        }
        let mut lists: Vec<Vec<u32>> = terms
            .iter()
            .map(|alts| {
                let each: Vec<Vec<u32>> =
                    alts.iter().map(|t| self.term_positions(t, how)).collect();
                union(each.iter().map(Vec::as_slice).collect())
            })
            .collect();
        lists.sort_by_key(Vec::len);
        let mut acc = lists.first().cloned().unwrap_or_default();
        for l in lists.iter().skip(1) {
            if acc.is_empty() {
                break;
            }
            acc = intersect(&acc, l);
        }
        let in_order = acc
            .into_iter()
            .filter_map(|p| self.ids.get(p as usize).copied())
            .filter(|id| !self.overlay.stale.contains(id))
            .collect();
        let mut recent: Vec<i64> = self
            .overlay
            .words
            .iter()
            .filter(|(_, words)| {
                terms.iter().all(|alts| {
                    alts.iter()
                        .any(|t| words.iter().any(|w| word_matches(w, t, how)))
                })
            })
            .map(|(id, _)| *id)
            .collect();
        recent.sort_unstable();
        Found { in_order, recent }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folded(names: &[&str]) -> Vec<(i64, String)> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (i as i64 + 1, thidua_domain::text::fold(n)))
            .collect()
    }

    #[test]
    fn words_prefixes_and_one_typo() {
        let idx = NameIndex::build(&folded(&[
            "Nguyễn Văn Hùng",
            "Nguyễn Thị Hương",
            "Trần Văn Hưng",
            "Lê Thị Hường",
        ]))
        .unwrap();
        let q = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(idx.search(&q("nguyen van"), Match::Word), vec![1]);
        assert_eq!(idx.search(&q("huong"), Match::Word), vec![2, 4]);
        assert_eq!(idx.search(&q("hu"), Match::Prefix), vec![1, 2, 3, 4]);
        assert_eq!(idx.search(&q("van hong"), Match::Near), vec![1, 3]);
        assert!(idx.search(&q("xyz"), Match::Near).is_empty());
    }

    #[test]
    fn writes_after_the_build_are_seen() {
        let mut idx = NameIndex::build(&folded(&["Nguyễn Văn Hùng", "Trần Văn Hưng"])).unwrap();
        let q = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        idx.set(2, Some("tran van hung"));
        idx.set(1, None);
        idx.set(9, Some("pham van hung"));
        assert_eq!(idx.search(&q("van hung"), Match::Word), vec![2, 9]);
        assert_eq!(idx.search(&q("hung"), Match::Word), vec![2, 9]);
    }

    proptest! {
        /// The index answers what a scan of every name answers.
        #[test]
        fn the_index_is_a_scan(
            names in prop::collection::vec(prop::collection::vec("[a-d]{1,4}", 1..4), 1..40),
            query in prop::collection::vec("[a-e]{1,4}", 1..3),
        ) {
            let people: Vec<(i64, String)> = names
                .iter()
                .enumerate()
                .map(|(i, w)| (i as i64 * 3 + 1, w.join(" ")))
                .collect();
            let idx = NameIndex::build(&people).unwrap();
            for how in [Match::Word, Match::Prefix, Match::Near] {
                let want: Vec<i64> = people
                    .iter()
                    .filter(|(_, n)| query.iter().all(|t| n.split(' ').any(|w| word_matches(w, t, how))))
                    .map(|p| p.0)
                    .collect();
                prop_assert_eq!(idx.search(&query, how), want);
            }
        }

        /// `find` answers a scan too, in the order the people were given
        /// (any order: the registry gives name order), with the writes
        /// since the build after them.
        #[test]
        fn find_is_a_scan_in_the_given_order(
            names in prop::collection::vec(prop::collection::vec("[a-d]{1,4}", 1..4), 1..40),
            terms in prop::collection::vec(prop::collection::vec("[a-e]{1,3}", 1..3), 1..3),
            renamed in prop::collection::vec((0usize..40, prop::collection::vec("[a-d]{1,4}", 1..3)), 0..4),
        ) {
            let mut people: Vec<(i64, String)> = names
                .iter()
                .enumerate()
                .map(|(i, w)| (i as i64 * 7 % 41 + 1, w.join(" ")))
                .collect();
            people.reverse();
            let mut idx = NameIndex::build(&people).unwrap();
            let mut changed = std::collections::BTreeMap::new();
            for (at, words) in &renamed {
                if let Some((id, _)) = people.get(*at) {
                    idx.set(*id, Some(&words.join(" ")));
                    changed.insert(*id, words.join(" "));
                }
            }
            let hit = |n: &str| {
                terms.iter().all(|alts| {
                    alts.iter().any(|t| n.split(' ').any(|w| w.starts_with(t.as_str())))
                })
            };
            let want = Found {
                in_order: people
                    .iter()
                    .filter(|(id, n)| !changed.contains_key(id) && hit(n))
                    .map(|p| p.0)
                    .collect(),
                recent: changed.iter().filter(|(_, n)| hit(n)).map(|(id, _)| *id).collect(),
            };
            prop_assert_eq!(idx.find(&terms), want);
        }
    }
}
