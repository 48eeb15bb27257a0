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
mod decisions;
mod dossiers;
mod exemplary;
mod extract;
mod input_guard;
mod list_export;
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
/// (useful with port 0).
pub async fn serve(
    store: Store,
    config: WebConfig,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    on_ready(listener.local_addr()?);
    axum::serve(
        listener,
        router(store, config).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Starts the app on a random loopback port in the background (tests, benchmarks).
pub async fn spawn(store: Store, config: WebConfig) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router(store, config).into_make_service_with_connect_info::<SocketAddr>(),
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
mod movement_tests;
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
