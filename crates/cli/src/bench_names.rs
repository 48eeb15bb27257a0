//! The name-search figures of `thidua bench run`: 200 real names of the
//! generated registry, asked exactly and with one letter changed, of
//! thidua's name index and of the peers — SQLite with an FTS5 trigram
//! table (and, for a typo, the one-edit variants of each word looked up in
//! the word table), PostgreSQL with pg_trgm (and fuzzystrmatch's
//! levenshtein over the vocabulary), DuckDB with its word table and its
//! levenshtein. The question is the same everywhere: the people whose
//! folded name has, for every term, an equal word (exact) or a word at most
//! one edit away (typo).

use anyhow::Result;
use serde::Serialize;
use std::time::Instant;
use thidua_app::name_index::Match;
use thidua_app::sweep::RegistrySnapshot;
use thidua_domain::eligibility::sweep::checksum;
use thidua_store::Store;

/// Names asked.
pub const QUERIES: usize = 200;

#[derive(Debug, Clone, Serialize)]
pub struct Query {
    pub exact: Vec<String>,
    pub typo: Vec<String>,
}

/// p50, p99 (ms) and the checksum of every query's answer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    pub p50: f64,
    pub p99: f64,
    pub checksum: u64,
}

fn quantile(mut v: Vec<f64>, q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// One letter of the longest word changed (a substitution in its middle).
fn typo_of(words: &[String]) -> Vec<String> {
    let mut out = words.to_vec();
    if let Some((i, w)) = out.iter().enumerate().max_by_key(|(_, w)| w.len()) {
        let mut chars: Vec<char> = w.chars().collect();
        let at = chars.len() / 2;
        if let Some(c) = chars.get_mut(at) {
            *c = if *c == 'x' { 'z' } else { 'x' };
        }
        out[i] = chars.into_iter().collect();
    }
    out
}

/// 200 names spread over the registry (every n-th person).
pub async fn queries(store: &Store) -> Result<Vec<Query>> {
    let n: i64 = store
        .bench_query_ids("select count(*) from people")
        .await?
        .first()
        .copied()
        .unwrap_or(0);
    let step = (n / QUERIES as i64).max(1);
    let rows = store
        .bench_query_pairs(&format!(
            "select id, 0 from people where id % {step} = 0 order by id limit {QUERIES}"
        ))
        .await?;
    let mut out = Vec::new();
    for (id, _) in rows {
        let range = store.people_between(id, id).await?;
        if let Some((_, folded)) = range.names.first() {
            let exact: Vec<String> = folded.split(' ').map(str::to_owned).collect();
            let typo = typo_of(&exact);
            out.push(Query { exact, typo });
        }
    }
    Ok(out)
}

fn quote(s: &str) -> String {
    s.replace('\'', "''")
}

/// Words one edit from `w` over the letters folded names use.
fn variants(w: &str) -> Vec<String> {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz'";
    let chars: Vec<char> = w.chars().collect();
    let mut out = vec![w.to_owned()];
    for i in 0..=chars.len() {
        for c in LETTERS.chars() {
            let mut v = chars.clone();
            v.insert(i, c);
            out.push(v.into_iter().collect());
        }
        if i < chars.len() {
            let mut v = chars.clone();
            v.remove(i);
            out.push(v.into_iter().collect());
            for c in LETTERS.chars() {
                let mut v = chars.clone();
                v[i] = c;
                out.push(v.into_iter().collect());
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The SQL of one query on one peer.
pub fn peer_sql(dialect: &str, terms: &[String], typo: bool) -> String {
    let n = terms.len();
    match (dialect, typo) {
        ("sqlite", false) => {
            let long: Vec<String> = terms
                .iter()
                .filter(|t| t.chars().count() >= 3)
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect();
            let words: Vec<String> = terms
                .iter()
                .map(|t| format!("(' ' || p.name_folded || ' ') like '% {} %'", quote(t)))
                .collect();
            if long.is_empty() {
                format!(
                    "select p.id from people p where {} order by 1",
                    words.join(" and ")
                )
            } else {
                format!(
                    "select p.id from people_fts f join people p on p.id = f.rowid \
                     where people_fts match '{}' and {} order by 1",
                    quote(&long.join(" AND ")),
                    words.join(" and ")
                )
            }
        }
        ("postgres", false) => {
            let words: Vec<String> = terms
                .iter()
                .map(|t| {
                    format!(
                        "p.name_folded like '%{0}%' and (' ' || p.name_folded || ' ') like '% {0} %'",
                        quote(t)
                    )
                })
                .collect();
            format!(
                "select p.id from people p where {} order by 1",
                words.join(" and ")
            )
        }
        ("sqlite", true) => {
            let cand: Vec<String> = terms
                .iter()
                .enumerate()
                .flat_map(|(i, t)| {
                    variants(t)
                        .into_iter()
                        .map(move |v| format!("({i}, '{}')", quote(&v)))
                })
                .collect();
            format!(
                "with cand(term, word) as (values {}) \
                 select pw.person_id from cand c join person_words pw on pw.word = c.word \
                 group by pw.person_id having count(distinct c.term) = {n} order by 1",
                cand.join(", ")
            )
        }
        (d, true) => {
            let t: Vec<String> = terms
                .iter()
                .enumerate()
                .map(|(i, t)| format!("({i}, '{}')", quote(t)))
                .collect();
            let cast = if d == "postgres" {
                "cast(t.term_text as text)"
            } else {
                "t.term_text"
            };
            format!(
                "with t(term, term_text) as (values {}), \
                 cand as (select t.term, w.word from t join name_words w on levenshtein(w.word, {cast}) <= 1) \
                 select pw.person_id from cand c join person_words pw on pw.word = c.word \
                 group by pw.person_id having count(distinct c.term) = {n} order by 1",
                t.join(", ")
            )
        }
        (_, false) => {
            // DuckDB: the word table.
            let t: Vec<String> = terms
                .iter()
                .enumerate()
                .map(|(i, t)| format!("({i}, '{}')", quote(t)))
                .collect();
            format!(
                "with t(term, word) as (values {}) \
                 select pw.person_id from t join person_words pw on pw.word = t.word \
                 group by pw.person_id having count(distinct t.term) = {n} order by 1",
                t.join(", ")
            )
        }
    }
}

/// Sets up the peers' text indexes (once per copy).
pub async fn prepare(lite: &Store, pg: &Store) -> Result<()> {
    lite.bench_execute(
        "create virtual table if not exists people_fts using fts5(name_folded, content='people', \
         content_rowid='id', tokenize='trigram')",
    )
    .await?;
    lite.bench_execute("insert into people_fts(people_fts) values('rebuild')")
        .await?;
    for sql in [
        "create extension if not exists pg_trgm",
        "create extension if not exists fuzzystrmatch",
        "create index if not exists people_name_trgm on people using gin (name_folded gin_trgm_ops)",
        "analyze people",
    ] {
        pg.bench_execute(sql).await?;
    }
    Ok(())
}

pub fn thidua(snap: &RegistrySnapshot, qs: &[Query], typo: bool, runs: usize) -> Result<Timing> {
    let mut times = Vec::new();
    let mut sums = Vec::new();
    for q in qs {
        let terms = if typo { &q.typo } else { &q.exact };
        let how = if typo { Match::Near } else { Match::Word };
        let mut ids = Vec::new();
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            ids = snap.with_names(|n| n.search(terms, how))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        sums.push(checksum(ids));
    }
    Ok(Timing {
        p50: quantile(times.clone(), 0.5),
        p99: quantile(times, 0.99),
        checksum: checksum(sums.into_iter().map(|s| s as i64)),
    })
}

pub async fn sql(
    store: &Store,
    dialect: &str,
    qs: &[Query],
    typo: bool,
    runs: usize,
) -> Result<Timing> {
    let mut times = Vec::new();
    let mut sums = Vec::new();
    for q in qs {
        let text = peer_sql(dialect, if typo { &q.typo } else { &q.exact }, typo);
        let mut ids = Vec::new();
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            ids = store.bench_query_ids(&text).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        sums.push(checksum(ids));
    }
    Ok(Timing {
        p50: quantile(times.clone(), 0.5),
        p99: quantile(times, 0.99),
        checksum: checksum(sums.into_iter().map(|s| s as i64)),
    })
}

/// searches.json for the DuckDB peer: both kinds, each query's SQL.
pub fn duckdb_file(qs: &[Query]) -> serde_json::Value {
    let kind = |typo: bool| -> Vec<serde_json::Value> {
        qs.iter()
            .map(|q| {
                serde_json::json!({
                    "sql_duckdb": peer_sql("duckdb", if typo { &q.typo } else { &q.exact }, typo)
                })
            })
            .collect()
    };
    serde_json::json!({ "exact": kind(false), "typo": kind(true) })
}
