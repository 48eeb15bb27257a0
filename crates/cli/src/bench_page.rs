//! Figure (g) of `bench run`: the registry search page
//! (`/so-khen-thuong?q=…`) under a bounded load on loopback — a fixed
//! number of signed-in clients, each asking for the next of the 200 names
//! (exact, then with one letter changed) as soon as its last answer came,
//! for a fixed time. thidua answering names from its in-memory index is
//! set against the same page answering them with the database's own
//! search, on SQLite and on PostgreSQL; every server must show the same
//! rows for every name.

use crate::bench_names::Query;
use anyhow::{Result, anyhow};
use thidua_app::sweep::{RegistrySnapshot, SnapshotSlot};
use thidua_domain::policy::Role;
use thidua_store::{Store, Who};

/// Concurrent clients: a busy office, not a flood.
const CLIENTS: usize = 8;
const LOGIN: &str = "bench.tracuu";

/// One server under the load.
pub struct PageRun {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: usize,
    /// Rows each name's page shows, in the order of the names.
    pub rows: Vec<usize>,
}

/// The pages asked: each name as typed, then with its typo.
pub fn paths(names: &[Query]) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(names.len() * 2);
    for q in names {
        for words in [&q.exact, &q.typo] {
            let mut url = reqwest::Url::parse("http://127.0.0.1/so-khen-thuong")?;
            url.query_pairs_mut().append_pair("q", &words.join(" "));
            out.push(format!(
                "{}?{}",
                url.path(),
                url.query().unwrap_or_default()
            ));
        }
    }
    Ok(out)
}

/// Rows of the registry table a page shows.
fn rows_shown(html: &str) -> usize {
    html.matches("<tr class=\"").count()
}

async fn sessions(store: &Store) -> Result<Vec<String>> {
    if store.user_for_login(LOGIN).await?.is_none() {
        let password = thidua_app::auth::random_secret("")?;
        thidua_app::auth::create_user(
            store,
            &Who::system("bench"),
            LOGIN,
            "Tra cứu thử tải",
            Role::Admin,
            None,
            &password,
        )
        .await?;
    }
    Ok(crate::common::open_sessions(store, LOGIN, CLIENTS)
        .await?
        .into_iter()
        .map(|(cookie, _)| cookie)
        .collect())
}

/// Serves `store` on loopback (with `snapshot` as its name index, or
/// none), reads every page once, then loads it for `seconds`.
pub async fn run(
    store: &Store,
    snapshot: Option<RegistrySnapshot>,
    paths: &[String],
    seconds: u64,
) -> Result<PageRun> {
    let cookies = sessions(store).await?;
    let addr = thidua_web::spawn(
        store.clone(),
        thidua_web::WebConfig {
            logins_per_minute: 1_000_000,
            snapshot: snapshot.map(SnapshotSlot::holding).unwrap_or_default(),
            ..thidua_web::WebConfig::default()
        },
    )
    .await?;
    let base = format!("http://{addr}");
    let http = reqwest::Client::new();
    let cookie = format!(
        "thidua_session={}",
        cookies
            .first()
            .ok_or_else(|| anyhow!("không mở được phiên"))?
    );
    let mut rows = Vec::with_capacity(paths.len());
    for p in paths {
        let r = http
            .get(format!("{base}{p}"))
            .header("cookie", &cookie)
            .send()
            .await?;
        if !r.status().is_success() {
            return Err(anyhow!("{p}: {}", r.status()));
        }
        rows.push(rows_shown(&r.text().await?));
    }
    let load = crate::bench::load_paths(&base, paths, &cookies, seconds).await?;
    Ok(PageRun {
        requests_per_second: load.requests_per_second,
        p50_ms: load.p50_ms,
        p99_ms: load.p99_ms,
        errors: load.errors,
        rows,
    })
}

/// The page served three ways on the same data.
pub struct Compared {
    /// SQLite with the name index.
    pub thidua: PageRun,
    /// The page reading each database's own search.
    pub sqlite: PageRun,
    pub postgresql: PageRun,
    /// Every server showed the same rows for every page, with no error.
    pub agree: bool,
    pub pages: usize,
    pub clients: usize,
}

pub async fn compare(
    lite: &Store,
    pg: &Store,
    snap: &RegistrySnapshot,
    names: &[Query],
    seconds: u64,
) -> Result<Compared> {
    let paths = paths(names)?;
    let thidua = run(lite, Some(snap.clone()), &paths, seconds).await?;
    let sqlite = run(lite, None, &paths, seconds).await?;
    let postgresql = run(pg, None, &paths, seconds).await?;
    let agree = [&sqlite, &postgresql]
        .iter()
        .all(|o| o.rows == thidua.rows && o.errors == 0)
        && thidua.errors == 0;
    Ok(Compared {
        thidua,
        sqlite,
        postgresql,
        agree,
        pages: paths.len(),
        clients: CLIENTS,
    })
}
