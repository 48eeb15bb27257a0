//! The movement dashboard of a whole province, as the officer opens it:
//! the first view after start-up (nothing computed yet), the same view
//! again, and the other map's first view — over HTTP on loopback, against
//! the 100 ms every other page keeps.

use anyhow::{Result, bail};
use serde::Serialize;
use std::fmt;
use std::time::{Duration, Instant};

/// What every other page stays under, the dashboard's target.
pub const TARGET_MS: f64 = 100.0;

#[derive(Debug, Serialize)]
pub struct DashboardTiming {
    pub movement: String,
    /// `current` or `legacy`.
    pub boundaries: String,
    pub first_ms: f64,
    pub repeat_p50_ms: f64,
    pub repeat_p99_ms: f64,
}

#[derive(Debug, Serialize)]
pub struct DashboardBench {
    pub engine: String,
    pub target_ms: f64,
    pub runs: usize,
    /// A server that computes nothing ahead: each first view pays in full.
    pub cold: Vec<DashboardTiming>,
    /// How long `serve`'s background warm-up took on a second server.
    pub warm_up_ms: f64,
    /// That second server, once warmed, as `serve` starts.
    pub warmed: Vec<DashboardTiming>,
}

impl fmt::Display for DashboardBench {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Bảng số liệu phong trào cả tỉnh ({}; mục tiêu ≤ {} ms; {} lần lặp):",
            self.engine, self.target_ms, self.runs
        )?;
        let mark = |ms: f64| {
            if ms <= self.target_ms {
                "đạt"
            } else {
                "CHƯA ĐẠT"
            }
        };
        let rows = [
            ("Không tính trước", &self.cold),
            ("Tính trước khi khởi động (như serve)", &self.warmed),
        ];
        for (title, views) in rows {
            writeln!(f, " {title}:")?;
            for v in views.iter() {
                writeln!(
                    f,
                    "  {:<14} {:<8} lần đầu {:>8.1} ms ({}) · lặp lại p50 {:>6.1} ms, p99 {:>6.1} ms ({})",
                    v.movement,
                    v.boundaries,
                    v.first_ms,
                    mark(v.first_ms),
                    v.repeat_p50_ms,
                    v.repeat_p99_ms,
                    mark(v.repeat_p99_ms)
                )?;
            }
        }
        writeln!(
            f,
            " Thời gian tính trước: {:.0} ms (chạy nền, máy chủ vẫn trả lời).",
            self.warm_up_ms
        )
    }
}

async fn timed(client: &reqwest::Client, url: &str, cookie: &str) -> Result<Duration> {
    let t = Instant::now();
    let r = client.get(url).header("cookie", cookie).send().await?;
    let status = r.status();
    let body = r.bytes().await?;
    if !status.is_success() || body.is_empty() {
        bail!("{url}: {status}");
    }
    Ok(t.elapsed())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Opens each movement's province dashboard on both maps, first on the
/// current map then on the legacy one, then `runs` times again each.
pub async fn dashboards(
    base: &str,
    cookie: &str,
    movements: &[&str],
    runs: usize,
) -> Result<Vec<DashboardTiming>> {
    let client = reqwest::Client::new();
    let cookie = format!("thidua_session={cookie}");
    let mut out = Vec::new();
    for m in movements {
        for boundaries in ["current", "legacy"] {
            let url = format!("{base}/phong-trao/{m}/bao-cao?dia_gioi={boundaries}");
            let first = timed(&client, &url, &cookie).await?;
            let mut again = Vec::with_capacity(runs);
            for _ in 0..runs.max(1) {
                again.push(timed(&client, &url, &cookie).await?);
            }
            again.sort();
            let at = |q: f64| ms(again[((again.len() - 1) as f64 * q).round() as usize]);
            out.push(DashboardTiming {
                movement: (*m).to_owned(),
                boundaries: boundaries.to_owned(),
                first_ms: ms(first),
                repeat_p50_ms: at(0.5),
                repeat_p99_ms: at(0.99),
            });
        }
    }
    Ok(out)
}
