//! What every handler shares: the store, the limiters, the report cache, the
//! server's settings and the limits on request bodies.

use crate::ratelimit::RateLimiter;
use std::sync::Arc;
use thidua_app::auth::AuthConfig;
use thidua_store::Store;

/// Server settings.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    pub auth: AuthConfig,
    /// Login attempts per client address per minute.
    pub logins_per_minute: u32,
    /// The reverse proxies whose `X-Forwarded-For` is believed (TLS
    /// terminators in front of thidua). Empty: the TCP peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The bearer token `/metrics` asks for; without one, only clients on
    /// this machine may read it.
    pub metrics_token: Option<String>,
    /// The registry's in-memory snapshot and name index, once `serve` has
    /// built it in the background; the registry search uses it then.
    pub snapshot: thidua_app::sweep::SnapshotSlot,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            auth: AuthConfig::default(),
            logins_per_minute: 20,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            snapshot: Default::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub login_limiter: Arc<RateLimiter>,
    /// Public feedback on posted dossiers, per address.
    pub feedback_limiter: Arc<RateLimiter>,
    /// Movement reports kept until the next change (dashboards, API).
    pub reports: Arc<thidua_app::report::cache::ReportCache>,
    /// Requests counted for `/metrics`.
    pub metrics: Arc<crate::counters::Metrics>,
}

impl AppState {
    /// The same state with a store for read-only work: a replica that has
    /// replayed this server's writes, else the primary.
    pub async fn reading(&self) -> AppState {
        let mut st = self.clone();
        st.store = self.store.for_reading().await;
        st
    }
}

/// The one set of body limits, each enforced on its routes and stated on
/// the pages that upload (`docs/security.md`). A form or JSON request:
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A file people upload (dossier files, evidence, spreadsheets, CSV,
/// movement files): the same figure the spreadsheet reader and the dossier
/// files enforce, so a file the page accepts is never refused later.
pub const UPLOAD_FILE_LIMIT: usize = thidua_app::dossiers::MAX_UPLOAD;

/// A multipart request carrying one such file, with the form around it.
pub const UPLOAD_LIMIT: usize = UPLOAD_FILE_LIMIT + 64 * 1024;

/// The confirmation of an import carries the checked file back as hex.
pub const IMPORT_CONFIRM_PATH: &str = "/so-khen-thuong/nhap/ghi";

/// The staff list's confirmation, which carries its file back the same way.
pub const STAFF_CONFIRM_PATH: &str = "/ca-nhan/nhap/ghi";

/// Its limit:
pub const CONFIRM_LIMIT: usize = 2 * UPLOAD_FILE_LIMIT + 64 * 1024;
