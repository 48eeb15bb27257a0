//! thidua's web interface: server-rendered Vietnamese pages (askama) over
//! axum. Handlers parse the request, call the application layer and render;
//! they hold no SQL and no rules.

mod pages;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use std::net::SocketAddr;
use thidua_store::Store;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// Errors a request can end in, each with its page and status.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("lỗi hệ thống: {0}")]
    Internal(String),
}

impl From<thidua_app::AppError> for WebError {
    fn from(e: thidua_app::AppError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<thidua_store::StoreError> for WebError {
    fn from(e: thidua_store::StoreError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match &self {
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Yêu cầu không hợp lệ", m.clone()),
            WebError::NotFound(m) => (StatusCode::NOT_FOUND, "Không tìm thấy", m.clone()),
            WebError::Internal(m) => {
                // The cause goes to the log; people get a plain sentence.
                tracing::error!(error = %m, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Lỗi hệ thống",
                    "Đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.".to_owned(),
                )
            }
        };
        (status, pages::error_page(heading, &message)).into_response()
    }
}

/// Request bodies larger than this are refused before a handler sees them.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn router(store: Store) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/to-chuc") }))
        .route("/healthz", get(healthz))
        .route("/static/app.css", get(css))
        .route("/to-chuc", get(pages::org_index))
        .route("/to-chuc/ma", get(pages::org_by_code))
        .route("/to-chuc/{id}", get(pages::org_unit))
        .route("/ca-nhan", get(pages::people))
        .fallback(|| async { WebError::NotFound("Trang này không tồn tại.".into()) })
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .with_state(AppState { store })
}

async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
        .into_response()
}

/// Binds `addr` and serves until Ctrl-C. `on_ready` gets the bound address
/// (useful with port 0).
pub async fn serve(
    store: Store,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    on_ready(listener.local_addr()?);
    axum::serve(
        listener,
        router(store).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Starts the app on a random loopback port in the background (tests, benchmarks).
pub async fn spawn(store: Store) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router(store).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    Ok(addr)
}

#[cfg(test)]
mod tests;
