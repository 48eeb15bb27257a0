//! `thidua bench mixed`: a province's working day compressed — clients of
//! three roles opening dashboards, searching the registry, reading the
//! organisation, the dossiers and the public page, entering values,
//! drafting and submitting dossiers, receiving, appraising and posting
//! them, and logging in, all at once, for a bounded time on loopback.
//! Prints p50 and p99 per kind of request, the errors, and the resident
//! memory over the run. The public page fills as dossiers are posted.

use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

/// Who a client of the scenario is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The province's emulation officer: reads, and moves dossiers on.
    Province,
    /// The xã officer: enters values and drafts dossiers.
    Commune,
    Viewer,
}

/// One signed-in client of the scenario.
pub struct Client {
    pub cookie: String,
    pub csrf: String,
    pub role: Role,
}

/// What the scenario needs to know of the demo.
pub struct Plan {
    pub base: String,
    /// The xã the entering clients enter for, and the criteria's ids.
    pub commune: i64,
    /// Its code, for the dossiers it proposes.
    pub commune_code: String,
    pub criteria: Vec<i64>,
    pub login: String,
    pub password: String,
    /// The posting window the province gives (dd/mm/yyyy), from today.
    pub post_from: String,
    pub post_until: String,
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
    /// Resident memory every tenth of the run: a plateau is the allocator
    /// keeping its high-water mark, a steady climb is a leak.
    pub rss_samples_mb: Vec<f64>,
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
        if !self.rss_samples_mb.is_empty() {
            let series: Vec<String> = self
                .rss_samples_mb
                .iter()
                .map(|m| format!("{m:.0}"))
                .collect();
            writeln!(f, "  bộ nhớ theo thời gian (MB): {}", series.join(" → "))?;
        }
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

/// A client's browser: its session cookie, and the flash cookies the
/// server sets after a form, which the next page shows.
fn browser(plan: &Plan, client: &Client) -> Result<reqwest::Client> {
    let jar = reqwest::cookie::Jar::default();
    jar.add_cookie_str(
        &format!("thidua_session={}; Path=/", client.cookie),
        &plan.base.parse()?,
    );
    Ok(reqwest::Client::builder()
        .cookie_provider(std::sync::Arc::new(jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// The text of a page.
async fn page(http: &reqwest::Client, plan: &Plan, path: &str) -> Result<String> {
    Ok(http
        .get(format!("{}{path}", plan.base))
        .send()
        .await?
        .text()
        .await?)
}

/// Posts a form and reads the page it leads to (with its flash message).
async fn submit(
    http: &reqwest::Client,
    plan: &Plan,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> Result<(Option<String>, String)> {
    let mut form: Vec<(&str, &str)> = vec![("_csrf", client.csrf.as_str())];
    form.extend_from_slice(fields);
    let r = http
        .post(format!("{}{path}", plan.base))
        .form(&form)
        .send()
        .await?;
    let to = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    let _ = r.bytes().await?;
    let text = match &to {
        Some(to) => page(http, plan, to).await?,
        None => String::new(),
    };
    Ok((to, text))
}

/// The value of the first `name="…" value="…"` after `from` in a page.
fn field_after<'a>(html: &'a str, from: &str, name: &str) -> Option<&'a str> {
    let rest = &html[html.find(from)?..];
    rest.split(&format!("name=\"{name}\" value=\""))
        .nth(1)?
        .split('"')
        .next()
}

/// A step went through, or lost a race with another officer (which the
/// page reports as a conflict to reload, not as an error).
fn stepped(page: &str) -> bool {
    page.contains("hồ sơ chuyển sang") || page.contains("vừa được người khác cập nhật")
}

/// The xã drafts a dossier for itself (letter, one line with the reason
/// it is proposed against the engine's verdict) and submits it.
async fn draft_and_submit(http: &reqwest::Client, plan: &Plan, client: &Client) -> Result<bool> {
    let title = "Đề nghị tặng Bằng khen cho tập thể xã";
    let (to, _) = submit(
        http,
        plan,
        client,
        "/ho-so",
        &[
            ("unit", &plan.commune_code),
            ("title", title),
            ("award_type", "regular"),
        ],
    )
    .await?;
    let Some(path) = to.filter(|p| p.starts_with("/ho-so/")) else {
        return Ok(false);
    };
    submit(
        http,
        plan,
        client,
        &format!("{path}/thong-tin"),
        &[
            ("title", title),
            ("award_type", "regular"),
            ("letter_number", "7/TTr-UBND"),
            ("letter_date", &plan.post_from),
            ("letter_signer", "Nguyễn Văn An"),
        ],
    )
    .await?;
    let summary = "Hoàn thành xuất sắc nhiệm vụ hai năm liền";
    let (_, html) = submit(
        http,
        plan,
        client,
        &format!("{path}/doi-tuong"),
        &[
            ("subject", "u:"),
            ("code", "BANG_KHEN_TINH"),
            ("period_from", "2024"),
            ("period_to", "2025"),
            ("summary", summary),
        ],
    )
    .await?;
    let line_action = format!("action=\"{path}/doi-tuong/");
    let Some(line) = html
        .split(&line_action)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(str::to_owned)
    else {
        return Ok(false);
    };
    let (_, html) = submit(
        http,
        plan,
        client,
        &format!("{path}/doi-tuong/{line}"),
        &[
            ("summary", summary),
            ("override_reason", "Thành tích tiêu biểu của xã trong năm"),
        ],
    )
    .await?;
    let Some(version) = field_after(&html, "value=\"submit\"", "version")
        .or_else(|| field_after(&html, "name=\"version\"", "version"))
        .map(str::to_owned)
    else {
        return Ok(false);
    };
    let (_, html) = submit(
        http,
        plan,
        client,
        &format!("{path}/buoc"),
        &[("action", "submit"), ("version", &version)],
    )
    .await?;
    Ok(stepped(&html))
}

/// The province moves the first dossier waiting on it one step on:
/// appraisal before receipt before a new arrival, so dossiers reach the
/// public page while others arrive.
async fn move_one_on(http: &reqwest::Client, plan: &Plan, client: &Client) -> Result<bool> {
    type Fields<'a> = Vec<(&'a str, &'a str)>;
    let steps: [(&str, &str, Fields<'_>); 3] = [
        (
            "under_appraisal",
            "post",
            vec![("from", &plan.post_from), ("until", &plan.post_until)],
        ),
        ("received", "start_appraisal", vec![]),
        (
            "submitted",
            "receive",
            vec![("receipt_number", "15/SNV-TĐKT")],
        ),
    ];
    for (state, action, extra) in steps {
        let list = page(http, plan, &format!("/ho-so?trang_thai={state}")).await?;
        let Some(id) = list
            .split("href=\"/ho-so/")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .find(|id| id.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_owned)
        else {
            continue;
        };
        let html = page(http, plan, &format!("/ho-so/{id}")).await?;
        if !html.contains(&format!("name=\"action\" value=\"{action}\"")) {
            // Another officer moved it on since the list was read.
            return Ok(true);
        }
        let Some(version) = field_after(&html, "", "version").map(str::to_owned) else {
            return Ok(false);
        };
        let mut fields = vec![("action", action), ("version", version.as_str())];
        fields.extend(extra.iter().copied());
        let (_, html) = submit(http, plan, client, &format!("/ho-so/{id}/buoc"), &fields).await?;
        return Ok(stepped(&html));
    }
    Ok(true)
}

/// One request of a client; `Ok(true)` when the answer was the expected one.
async fn one(
    http: &reqwest::Client,
    plan: &Plan,
    client: &Client,
    kind: &str,
    rng: &mut Xorshift,
) -> Result<bool> {
    let get = |path: String| http.get(format!("{}{path}", plan.base));
    let response = match kind {
        "lập hồ sơ" => return draft_and_submit(http, plan, client).await,
        "thẩm định" => return move_one_on(http, plan, client).await,
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
    match (rng.below(100), client.role) {
        (0..=29, _) => "bảng điều khiển",
        (30..=49, _) => "sổ khen thưởng",
        (50..=64, _) => "tổ chức",
        (65..=79, _) => "công khai",
        (80..=89, Role::Commune) => "nhập số liệu",
        (90..=97, Role::Commune) => "lập hồ sơ",
        (90..=97, Role::Province) => "thẩm định",
        (80..=97, _) => "hồ sơ",
        _ => "đăng nhập",
    }
}

pub async fn mixed(plan: Plan, clients: Vec<Client>, seconds: u64) -> Result<MixedResult> {
    let rss_start_mb = crate::bench::resident_mb();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let plan = std::sync::Arc::new(plan);
    let n = clients.len();
    let sampler = tokio::spawn(async move {
        let mut samples = Vec::new();
        let every = Duration::from_secs(seconds.max(10)) / 10;
        while Instant::now() < deadline {
            tokio::time::sleep(every).await;
            if let Some(m) = crate::bench::resident_mb() {
                samples.push(m);
            }
        }
        samples
    });
    let mut tasks = Vec::new();
    for (i, client) in clients.into_iter().enumerate() {
        let http = browser(&plan, &client)?;
        let plan = plan.clone();
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
        rss_samples_mb: sampler.await?,
        kinds,
    })
}
