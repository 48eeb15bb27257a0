//! thidua's web interface: server-rendered Vietnamese pages (askama) and a
//! JSON API over axum. Handlers parse the request, ask the one policy
//! (`thidua_domain::policy` via `thidua_app::auth`), call the application
//! layer and render; they hold no SQL and no rules.

mod error;
mod routes;
mod state;

pub use error::{UNAVAILABLE, WebError, upload_error};
pub use routes::router;
pub use state::{
    AppState, BODY_LIMIT, CONFIRM_LIMIT, IMPORT_CONFIRM_PATH, STAFF_CONFIRM_PATH,
    UPLOAD_FILE_LIMIT, UPLOAD_LIMIT, WebConfig,
};

pub use ratelimit::RateLimiter;
use std::net::SocketAddr;
use std::sync::Arc;
pub use thidua_app::report::cache::ReportCache;
use thidua_store::Store;
use tokio::net::TcpListener;

mod admin;
pub mod api;
mod api_eligibility;
mod api_error;
mod api_movements;
mod catalogue;
mod charts;
mod chrome;
mod cluster_admin;
mod cluster_scoring;
mod clusters;
mod counters;
mod decisions;
mod dossiers;
mod due;
mod exemplary;
mod extract;
mod guide;
mod guide_pages;
mod input_guard;
mod list_export;
mod list_filter;
mod metrics;
mod movements;
mod pages;
mod people;
mod ratelimit;
mod registry;
mod registry_import;
mod reviews;
pub mod session;
mod unit_awards;

/// Binds `addr` and serves until Ctrl-C. `on_ready` gets the bound address
/// (useful with port 0). The movement dashboards people open first are
/// computed in the background meanwhile ([`ReportCache::warm`]).
pub async fn serve(
    store: Store,
    config: WebConfig,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    on_ready(listener.local_addr()?);
    let reports = Arc::new(ReportCache::default());
    tokio::spawn(keep_warm(store.clone(), reports.clone()));
    axum::serve(
        listener,
        router(store, config, reports).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Computes the opening dashboards at start-up, and again within half a
/// minute of any change that reports read (a change empties the kept
/// reports): at most one warm-up per 30 s, so a day of value entry costs a
/// few per cent of a core, and an officer rarely pays a first view.
async fn keep_warm(store: Store, reports: Arc<ReportCache>) {
    let mut warmed_at: Option<i64> = None;
    loop {
        let mark = store.report_mark().await.ok();
        if mark.is_some() && mark != warmed_at {
            let started = std::time::Instant::now();
            match reports.warm(&store, pages::today_vn()).await {
                Ok(n) => {
                    tracing::info!(
                        reports = n,
                        ms = started.elapsed().as_millis() as u64,
                        "dashboards computed ahead"
                    );
                    warmed_at = mark;
                }
                Err(e) => tracing::warn!(error = %e, "dashboards not computed ahead"),
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    }
}

/// Starts the app on a random loopback port in the background (tests, benchmarks).
pub async fn spawn(store: Store, config: WebConfig) -> std::io::Result<SocketAddr> {
    spawn_with(store, config, Arc::default()).await
}

/// As [`spawn`], with kept reports the caller holds (a benchmark warms
/// them first, as `serve` does).
pub async fn spawn_with(
    store: Store,
    config: WebConfig,
    reports: Arc<ReportCache>,
) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router(store, config, reports).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    Ok(addr)
}

#[cfg(test)]
mod browser_tests;
#[cfg(test)]
mod dossier_tests;
#[cfg(test)]
mod hardening_tests;
#[cfg(test)]
mod layering_tests;
#[cfg(test)]
mod list_tests;
#[cfg(test)]
mod movement_tests;
#[cfg(test)]
mod ops_tests;
#[cfg(test)]
mod outage_tests;
#[cfg(test)]
mod registry_tests;
#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod route_matrix_tests;
#[cfg(test)]
mod tests;
