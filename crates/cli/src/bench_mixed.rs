//! `thidua bench mixed`: a province's working day compressed — clients of
//! three roles opening dashboards, searching the registry, reading the
//! organisation, the dossiers and the public page, entering values and
//! logging in, all at once, for a bounded time on loopback. Prints p50 and
//! p99 per kind of request, the errors, and the resident memory at the
//! start and the end.

use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

/// One signed-in client of the scenario.
pub struct Client {
    pub cookie: String,
    pub csrf: String,
    /// Enters values (the xã officer) rather than reading the dossiers.
    pub enters: bool,
}

/// What the scenario needs to know of the demo.
pub struct Plan {
    pub base: String,
    /// The xã the entering clients enter for, and the criteria's ids.
    pub commune: i64,
    pub criteria: Vec<i64>,
    pub login: String,
    pub password: String,
}

#[derive(Serialize)]
pub struct KindResult {
    pub kind: String,
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

#[derive(Serialize)]
pub struct MixedResult {
    pub clients: usize,
    pub seconds: f64,
    pub requests: usize,
    pub errors: usize,
    pub requests_per_second: f64,
    pub rss_start_mb: Option<f64>,
    pub rss_end_mb: Option<f64>,
    pub kinds: Vec<KindResult>,
}

impl fmt::Display for MixedResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} máy khách trong {:.0} s: {} yêu cầu ({:.0}/s), {} lỗi, bộ nhớ {} → {} MB",
            self.clients,
            self.seconds,
            self.requests,
            self.requests_per_second,
            self.errors,
            self.rss_start_mb.map_or("?".into(), |m| format!("{m:.0}")),
            self.rss_end_mb.map_or("?".into(), |m| format!("{m:.0}")),
        )?;
        for k in &self.kinds {
            writeln!(
                f,
                "  {:<16} {:>7} yêu cầu, {} lỗi, p50 {:.1} ms, p99 {:.1} ms",
                k.kind, k.requests, k.errors, k.p50_ms, k.p99_ms
            )?;
        }
        Ok(())
    }
}

/// A small deterministic generator: the same mix on every run.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const SEARCHES: [&str; 5] = ["nguyen", "tran van", "le thi", "hoa", "xa"];

/// One request of a client; `Ok(true)` when the answer was the expected one.
async fn one(
    http: &reqwest::Client,
    plan: &Plan,
    client: &Client,
    kind: &str,
    rng: &mut Xorshift,
) -> Result<bool> {
    let cookie = format!("thidua_session={}", client.cookie);
    let get = |path: String| {
        http.get(format!("{}{path}", plan.base))
            .header("cookie", cookie.clone())
    };
    let response = match kind {
        "bảng điều khiển" => {
            get("/phong-trao/NTM-DNO-2021/bao-cao".into())
                .send()
                .await?
        }
        "sổ khen thưởng" => {
            let q = SEARCHES[rng.below(SEARCHES.len() as u64) as usize];
            get(format!("/so-khen-thuong?q={q}")).send().await?
        }
        // The organisation as each role sees it: its own scope.
        "tổ chức" => get("/to-chuc".into()).send().await?,
        "hồ sơ" => get("/ho-so".into()).send().await?,
        "công khai" => get("/cong-khai".into()).send().await?,
        "nhập số liệu" => {
            let mut form = vec![
                ("_csrf".to_owned(), client.csrf.clone()),
                ("don_vi".to_owned(), plan.commune.to_string()),
                ("ky".to_owned(), "2026".to_owned()),
            ];
            for id in &plan.criteria {
                let v = if rng.below(4) == 0 {
                    "Không đạt"
                } else {
                    "Đạt"
                };
                form.push((format!("v_{id}"), v.to_owned()));
            }
            http.post(format!("{}/phong-trao/NTM-LD-2026/nhap-lieu", plan.base))
                .header("cookie", cookie.clone())
                .form(&form)
                .send()
                .await?
        }
        _ => {
            // A real login, argon2 and all, on a fresh client.
            let fresh = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()?;
            let page = fresh
                .get(format!("{}/dang-nhap", plan.base))
                .send()
                .await?
                .text()
                .await?;
            let csrf = page
                .split("name=\"_csrf\" value=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_default()
                .to_owned();
            fresh
                .post(format!("{}/dang-nhap", plan.base))
                .form(&[
                    ("login", plan.login.as_str()),
                    ("password", plan.password.as_str()),
                    ("_csrf", csrf.as_str()),
                ])
                .send()
                .await?
        }
    };
    let status = response.status();
    let _ = response.bytes().await?;
    Ok(status.is_success() || status == reqwest::StatusCode::SEE_OTHER)
}

/// The mix: mostly reading, some writing, a few logins.
fn pick(client: &Client, rng: &mut Xorshift) -> &'static str {
    match rng.below(100) {
        0..=29 => "bảng điều khiển",
        30..=49 => "sổ khen thưởng",
        50..=64 => "tổ chức",
        65..=79 => "công khai",
        80..=97 if client.enters => "nhập số liệu",
        80..=97 => "hồ sơ",
        _ => "đăng nhập",
    }
}

pub async fn mixed(plan: Plan, clients: Vec<Client>, seconds: u64) -> Result<MixedResult> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(clients.len())
        .build()?;
    let rss_start_mb = crate::bench::resident_mb();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let plan = std::sync::Arc::new(plan);
    let n = clients.len();
    let mut tasks = Vec::new();
    for (i, client) in clients.into_iter().enumerate() {
        let (http, plan) = (http.clone(), plan.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
            let mut seen: Vec<(&'static str, Duration, bool)> = Vec::new();
            while Instant::now() < deadline {
                let kind = pick(&client, &mut rng);
                let t = Instant::now();
                let ok = one(&http, &plan, &client, kind, &mut rng)
                    .await
                    .unwrap_or(false);
                seen.push((kind, t.elapsed(), ok));
            }
            seen
        }));
    }
    let mut by_kind: BTreeMap<&'static str, (Vec<Duration>, usize)> = BTreeMap::new();
    for t in tasks {
        for (kind, d, ok) in t.await? {
            let e = by_kind.entry(kind).or_default();
            e.0.push(d);
            if !ok {
                e.1 += 1;
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let kinds: Vec<KindResult> = by_kind
        .into_iter()
        .map(|(kind, (mut lat, errors))| {
            lat.sort();
            let at = |q: f64| ms(lat[((lat.len() - 1) as f64 * q).round() as usize]);
            KindResult {
                kind: kind.to_owned(),
                requests: lat.len(),
                errors,
                p50_ms: at(0.5),
                p99_ms: at(0.99),
            }
        })
        .collect();
    let requests = kinds.iter().map(|k| k.requests).sum();
    Ok(MixedResult {
        clients: n,
        seconds: elapsed,
        requests,
        errors: kinds.iter().map(|k| k.errors).sum(),
        requests_per_second: requests as f64 / elapsed,
        rss_start_mb,
        rss_end_mb: crate::bench::resident_mb(),
        kinds,
    })
}
