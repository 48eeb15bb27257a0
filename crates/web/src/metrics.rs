//! `/metrics` in Prometheus' text format and `/readyz`: what an operator's
//! monitoring scrapes. Requests are counted by route (the route's pattern,
//! never the path people typed) and status, with a latency histogram per
//! route; the database pool, the overdue dossiers and the unsent outbox are
//! read at scrape time. Only a configured bearer token, or — without one —
//! a client on this machine, may read it.

use crate::AppState;
use crate::pages::today_vn;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::time::Instant;

/// Counts every request under its route's pattern.
pub async fn count(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(không có)", MatchedPath::as_str)
        .to_owned();
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    st.metrics.record(
        &route,
        &method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

/// After a write answered without error, later reads wait for replicas
/// to replay it (read your own writes).
pub async fn note_writes(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let writes = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let res = next.run(req).await;
    if writes && res.status().as_u16() < 400 {
        st.store.note_write().await;
    }
    res
}

/// May this request read `/metrics`? With a token configured, only with
/// it; without, only from this machine (a proxy's forwarded client counts,
/// so a public request through nginx on the same host is not local).
fn allowed(st: &AppState, req: &Request) -> bool {
    if let Some(token) = &st.config.metrics_token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Compared in full whatever the first difference.
        return given.len() == token.len()
            && given
                .bytes()
                .zip(token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
    }
    let (parts, _) = Request::new(()).into_parts();
    let mut parts = parts;
    parts.extensions = req.extensions().clone();
    parts.headers = req.headers().clone();
    crate::session::client_ip(&parts, &st.config.trusted_proxies)
        .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
        .is_some_and(|ip| ip.is_loopback())
}

pub async fn metrics(State(st): State<AppState>, req: Request) -> Response {
    if !allowed(&st, &req) {
        return (
            StatusCode::FORBIDDEN,
            "Chỉ đọc được từ máy chủ này hoặc với mã truy cập đã cấu hình.",
        )
            .into_response();
    }
    let mut out = String::new();
    st.metrics.render(&mut out);
    let (size, idle) = st.store.pool_connections();
    let _ = writeln!(
        out,
        "# HELP thidua_db_pool_connections Database connections held by the pool.\n# TYPE thidua_db_pool_connections gauge\nthidua_db_pool_connections{{state=\"idle\"}} {idle}\nthidua_db_pool_connections{{state=\"in_use\"}} {}",
        (size as usize).saturating_sub(idle)
    );
    let replicas = st.store.replica_states();
    if !replicas.is_empty() {
        let _ = writeln!(
            out,
            "# HELP thidua_db_replica_reads_total Read-only requests served by each replica.\n# TYPE thidua_db_replica_reads_total counter"
        );
        for r in &replicas {
            let _ = writeln!(
                out,
                "thidua_db_replica_reads_total{{replica=\"{}\"}} {}",
                r.url.replace('"', "'"),
                r.reads
            );
        }
        let _ = writeln!(
            out,
            "# HELP thidua_db_replica_resting Whether a replica is left alone after failing.\n# TYPE thidua_db_replica_resting gauge"
        );
        for r in &replicas {
            let _ = writeln!(
                out,
                "thidua_db_replica_resting{{replica=\"{}\"}} {}",
                r.url.replace('"', "'"),
                u8::from(r.resting)
            );
        }
    }
    let up = st.store.ping().await.is_ok();
    let _ = writeln!(
        out,
        "# HELP thidua_db_up Whether the database answers.\n# TYPE thidua_db_up gauge\nthidua_db_up {}",
        u8::from(up)
    );
    if up {
        if let Ok(n) = thidua_app::dossiers::overdue_count(&st.store, today_vn()).await {
            let _ = writeln!(
                out,
                "# HELP thidua_dossiers_overdue Dossiers sent upward and past a time limit today.\n# TYPE thidua_dossiers_overdue gauge\nthidua_dossiers_overdue {n}"
            );
        }
        if let Ok(n) = st.store.outbox_backlog().await {
            let _ = writeln!(
                out,
                "# HELP thidua_outbox_backlog Messages waiting in the outbox.\n# TYPE thidua_outbox_backlog gauge\nthidua_outbox_backlog {n}"
            );
        }
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    (headers, out).into_response()
}

/// Ready when the database answers and its schema is this build's.
pub async fn readyz(State(st): State<AppState>) -> Response {
    let engine = st.store.engine();
    let known = thidua_store::ops::known_schema_version(engine);
    match st.store.schema_version().await {
        Ok(v) if v == known => (StatusCode::OK, "ready").into_response(),
        Ok(v) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("lược đồ {v}, phiên bản này cần {known}"),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
