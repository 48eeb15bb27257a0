//! thidua's web interface: server-rendered Vietnamese pages (askama) and a
//! JSON API over axum. Handlers parse the request, ask the one policy
//! (`thidua_domain::policy` via `thidua_app::auth`), call the application
//! layer and render; they hold no SQL and no rules.

mod admin;
pub mod api;
mod api_eligibility;
mod api_movements;
mod catalogue;
mod charts;
mod cluster_scoring;
mod clusters;
mod decisions;
mod dossiers;
mod extract;
mod input_guard;
mod movements;
mod pages;
mod ratelimit;
mod registry;
mod registry_import;
mod reviews;
pub mod session;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use thidua_app::auth::AuthConfig;
use thidua_store::Store;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

pub use ratelimit::RateLimiter;

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
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            auth: AuthConfig::default(),
            logins_per_minute: 20,
            trusted_proxies: Vec::new(),
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
}

/// Errors a page request can end in, each with its page and status.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("cần đăng nhập")]
    LoginRequired(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("biểu mẫu không hợp lệ (CSRF)")]
    Csrf,
    #[error("quá nhiều yêu cầu")]
    TooMany,
    #[error("{0}")]
    TooLarge(String),
    /// Input refused as it stands (422), with a sentence naming the field.
    #[error("{0}")]
    Unprocessable(String),
    /// The database is away (503): try again shortly.
    #[error("cơ sở dữ liệu tạm thời không truy cập được")]
    Unavailable,
    #[error("lỗi hệ thống: {0}")]
    Internal(String),
}

impl From<thidua_app::AppError> for WebError {
    fn from(e: thidua_app::AppError) -> Self {
        use thidua_app::AppError as A;
        match e {
            A::NotFound(m) => WebError::NotFound(format!("Không tìm thấy {m}.")),
            A::Invalid { message, .. } => WebError::BadRequest(message),
            A::TooMany(_) => WebError::TooMany,
            A::Fields(problems) => WebError::BadRequest(
                problems
                    .into_iter()
                    .map(|p| p.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            A::Password(p) => WebError::BadRequest(p.to_string()),
            A::Denied(d) => d.into(),
            A::Store(s) => s.into(),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<thidua_store::StoreError> for WebError {
    fn from(e: thidua_store::StoreError) -> Self {
        use thidua_store::StoreError as S;
        match e {
            S::NotFound(m) => WebError::NotFound(format!("Không tìm thấy {m}.")),
            S::Conflict(m) => WebError::BadRequest(m),
            S::Org(o) => WebError::BadRequest(o.to_string()),
            other if other.is_unavailable() => {
                tracing::warn!(error = %other, "database unavailable");
                WebError::Unavailable
            }
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<thidua_domain::policy::Denied> for WebError {
    fn from(d: thidua_domain::policy::Denied) -> Self {
        WebError::Forbidden(format!("Bạn không có quyền truy cập: {d}."))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match &self {
            WebError::LoginRequired(next) => {
                let to = format!("/dang-nhap?tiep={}", pages::url_encode(next));
                return Redirect::to(&to).into_response();
            }
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Yêu cầu không hợp lệ", m.clone()),
            WebError::NotFound(m) => (StatusCode::NOT_FOUND, "Không tìm thấy", m.clone()),
            WebError::Forbidden(m) => (StatusCode::FORBIDDEN, "Không có quyền truy cập", m.clone()),
            WebError::Csrf => (
                StatusCode::FORBIDDEN,
                "Biểu mẫu không hợp lệ",
                "Biểu mẫu đã hết hạn hoặc không xuất phát từ thidua. Vui lòng tải lại trang và thử lại.".to_owned(),
            ),
            WebError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "Tệp quá lớn", m.clone()),
            WebError::Unprocessable(m) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Dữ liệu không hợp lệ",
                m.clone(),
            ),
            WebError::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                "Quá nhiều yêu cầu",
                "Bạn đã thử quá nhiều lần trong một phút. Vui lòng đợi rồi thử lại.".to_owned(),
            ),
            WebError::Unavailable => {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(axum::http::header::RETRY_AFTER, "5")],
                    pages::error_page("Hệ thống tạm thời gián đoạn", UNAVAILABLE),
                )
                    .into_response();
            }
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

/// What people read while the database is away.
pub const UNAVAILABLE: &str = "Cơ sở dữ liệu đang tạm thời gián đoạn. Những gì đã ghi vẫn còn nguyên; vui lòng thử lại sau ít phút.";

/// A multipart body that could not be read, in words: too large for the
/// route (413, with the route's limit), or cut off or malformed. The
/// library's own text goes to the log only.
pub fn upload_error(e: axum::extract::multipart::MultipartError) -> WebError {
    tracing::info!(error = %e, "multipart body refused");
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::TooLarge(format!(
            "Tệp quá lớn: tối đa {} MB mỗi lần tải lên.",
            UPLOAD_FILE_LIMIT / 1024 / 1024
        ))
    } else {
        WebError::BadRequest(
            "Biểu mẫu tải lên bị lỗi hoặc bị cắt ngang; vui lòng chọn tệp và gửi lại.".into(),
        )
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
/// Its limit:
pub const CONFIRM_LIMIT: usize = 2 * UPLOAD_FILE_LIMIT + 64 * 1024;

/// Routes that take a file: the upload limit instead of the form limit.
fn uploads<S: Clone + Send + Sync + 'static>(
    r: axum::routing::MethodRouter<S>,
) -> axum::routing::MethodRouter<S> {
    r.layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
}

pub fn router(store: Store, config: WebConfig) -> Router {
    let state = AppState {
        store,
        login_limiter: Arc::new(RateLimiter::new(config.logins_per_minute)),
        feedback_limiter: Arc::new(RateLimiter::new(3)),
        reports: Arc::default(),
        config: Arc::new(config),
    };
    Router::new()
        .route("/", get(pages::home))
        .route("/healthz", get(healthz))
        .route("/static/app.css", get(css))
        .route("/dang-nhap", get(pages::login_form).post(pages::login))
        .route("/dang-xuat", post(pages::logout))
        .route(
            "/tai-khoan/mat-khau",
            get(pages::password_form).post(pages::password_change),
        )
        .route("/to-chuc", get(pages::org_index))
        .route("/to-chuc/ma", get(pages::org_by_code))
        .route("/to-chuc/{id}", get(pages::org_unit))
        .route(
            "/to-chuc/{id}/them",
            get(pages::unit_new_form).post(pages::unit_create),
        )
        .route(
            "/to-chuc/{id}/doi-ten",
            get(pages::unit_rename_form).post(pages::unit_rename),
        )
        .route("/ca-nhan", get(pages::people))
        .route("/binh-xet", get(reviews::list).post(reviews::open))
        .route("/binh-xet/{id}", get(reviews::detail))
        .route("/binh-xet/{id}/dong/{line}", post(reviews::update_line))
        .route("/binh-xet/{id}/chot", post(reviews::close))
        .route("/binh-xet/{id}/danh-sach.xlsx", get(reviews::list_xlsx))
        .route("/ho-so", get(dossiers::list).post(dossiers::create))
        .route("/ho-so/{id}", get(dossiers::detail))
        .route("/ho-so/{id}/thong-tin", post(dossiers::update_header))
        .route("/ho-so/{id}/doi-tuong", post(dossiers::add_line))
        .route("/ho-so/{id}/doi-tuong/{line}", post(dossiers::edit_line))
        .route(
            "/ho-so/{id}/doi-tuong/{line}/trang-thai",
            post(dossiers::line_status),
        )
        .route("/ho-so/{id}/kiem-tra", post(dossiers::recheck))
        .route("/ho-so/{id}/buoc", post(dossiers::step))
        .route("/ho-so/{id}/bieu-quyet/{line}", post(dossiers::vote))
        .route("/ho-so/{id}/tep/{file}", get(dossiers::download))
        .route("/so-khen-thuong", get(registry::search))
        .route(
            "/so-khen-thuong/nhap",
            uploads(get(registry_import::form).post(registry_import::check)),
        )
        .route(
            IMPORT_CONFIRM_PATH,
            post(registry_import::confirm).layer(DefaultBodyLimit::max(CONFIRM_LIMIT)),
        )
        .route(
            "/so-khen-thuong/nhap/mau.xlsx",
            get(registry_import::template),
        )
        .route("/so-khen-thuong/ca-nhan/{id}", get(registry::person))
        .route("/so-khen-thuong/tap-the/{id}", get(registry::collective))
        .route("/khoi-cum", get(clusters::list))
        .route("/khoi-cum/{id}", get(clusters::detail))
        .route(
            "/khoi-cum/{id}/cham/{unit}/{stage}",
            uploads(get(cluster_scoring::form).post(cluster_scoring::save)),
        )
        .route("/khoi-cum/{id}/chot", post(cluster_scoring::finalise))
        .route(
            "/khoi-cum/{id}/bang-diem.xlsx",
            get(cluster_scoring::sheet_xlsx),
        )
        .route(
            "/khoi-cum/{id}/bang-diem",
            uploads(post(cluster_scoring::sheet_upload)),
        )
        .route(
            "/khoi-cum/{id}/ket-qua.xlsx",
            get(cluster_scoring::report_xlsx),
        )
        .route("/khoi-cum/{id}/nam-sau", post(cluster_scoring::copy))
        .route("/khoi-cum/{id}/de-nghi-co", post(cluster_scoring::propose))
        .route(
            "/khoi-cum/de-nghi-co-chinh-phu",
            post(cluster_scoring::propose_government),
        )
        .route(
            "/khoi-cum/{id}/minh-chung/{file}",
            get(cluster_scoring::evidence),
        )
        .route("/thong-ke", get(registry::statistics))
        .route("/thong-ke.xlsx", get(registry::statistics_xlsx))
        .route("/quyet-dinh", get(decisions::list))
        .route("/quyet-dinh/{id}", get(decisions::detail))
        .route("/quyet-dinh/{id}/quyet-dinh.pdf", get(decisions::pdf))
        .route("/quyet-dinh/{id}/quyet-dinh.docx", get(decisions::docx))
        .route(
            "/quyet-dinh/{id}/bang-khen.pdf",
            get(decisions::certificates),
        )
        .route("/quyet-dinh/{id}/sua-doi", post(decisions::amend))
        .route(
            "/quan-tri/mau-van-ban",
            get(decisions::templates).post(decisions::save_template),
        )
        .route("/viec-can-lam", get(dossiers::todo))
        .route("/cong-khai", get(dossiers::public).post(dossiers::feedback))
        .route(
            "/quan-tri/lich",
            get(dossiers::calendar).post(dossiers::set_override),
        )
        .route("/quan-tri/lich/thoi-han", post(dossiers::set_limits))
        .route("/phong-trao", get(movements::list))
        .route(
            "/phong-trao/moi",
            get(movements::new_form).post(movements::create),
        )
        .route(
            "/phong-trao/nhap-tep",
            uploads(post(movements::import_file)),
        )
        .route("/phong-trao/{code}", get(movements::detail))
        .route("/phong-trao/{code}/trang-thai", post(movements::set_status))
        .route(
            "/phong-trao/{code}/tep",
            uploads(post(movements::upload_file)),
        )
        .route("/phong-trao/{code}/tep/{id}", get(movements::download_file))
        .route(
            "/phong-trao/{code}/dinh-nghia.toml",
            get(movements::export_toml),
        )
        .route("/phong-trao/{code}/dang-ky", post(movements::register))
        .route(
            "/phong-trao/{code}/nhap-lieu",
            get(movements::entry_form).post(movements::entry_save),
        )
        .route(
            "/phong-trao/{code}/tai-len",
            uploads(post(movements::entry_upload)),
        )
        .route("/ho-so/{id}/tep", uploads(post(dossiers::upload)))
        .route(
            "/phong-trao/{code}/mau-nhap-lieu.xlsx",
            get(movements::entry_template),
        )
        .route(
            "/phong-trao/{code}/duyet",
            get(movements::approvals).post(movements::decide),
        )
        .route(
            "/phong-trao/{code}/so-lieu/{id}/mo-lai",
            post(movements::reopen),
        )
        .route("/phong-trao/{code}/bao-cao", get(movements::dashboard))
        .route(
            "/phong-trao/{code}/ket-nghia",
            get(movements::twinning).post(movements::add_pair),
        )
        .route(
            "/phong-trao/{code}/ket-nghia/{pair}/hoat-dong",
            post(movements::add_activity),
        )
        .route(
            "/phong-trao/{code}/bao-cao.xlsx",
            get(movements::dashboard_xlsx),
        )
        .route("/quan-tri/tai-khoan", get(admin::users))
        .route(
            "/quan-tri/tai-khoan/moi",
            get(admin::user_new_form).post(admin::user_create),
        )
        .route(
            "/quan-tri/tai-khoan/{id}/trang-thai",
            post(admin::user_set_active),
        )
        .route("/quan-tri/nhat-ky", get(admin::audit))
        .route(
            "/quan-tri/danh-muc",
            get(catalogue::page).post(catalogue::add_versions),
        )
        .route("/quan-tri/danh-muc/gioi-han", post(catalogue::set_quota))
        .route(
            "/quan-tri/ma-truy-cap",
            get(admin::tokens).post(admin::token_create),
        )
        .route(
            "/quan-tri/ma-truy-cap/{id}/thu-hoi",
            post(admin::token_revoke),
        )
        .nest("/api", api::router())
        .fallback(|| async { WebError::NotFound("Trang này không tồn tại.".into()) })
        // Every extractor reads at most the route's limit (forms and JSON
        // by default, files where `uploads` says so); no body at all may
        // pass the largest of them.
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(input_guard::refuse_control_chars))
        .layer(RequestBodyLimitLayer::new(CONFIRM_LIMIT))
        .layer(middleware::from_fn(clear_flash))
        .layer(middleware::from_fn(security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A flash message is shown once: the page that showed it clears it.
async fn clear_flash(req: Request, next: Next) -> Response {
    let had_flash = session::cookie(req.headers(), session::FLASH_COOKIE).is_some();
    let mut res = next.run(req).await;
    let sets_flash = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(session::FLASH_COOKIE.as_bytes()));
    if had_flash && !sets_flash && res.status().is_success() {
        res.headers_mut().append(
            header::SET_COOKIE,
            session::set_cookie(session::FLASH_COOKIE, "", 0, false),
        );
    }
    res
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    );
    // Pages, API answers and downloads hold personal data: no copy is
    // kept by the browser or a proxy. Only what says otherwise (the
    // stylesheet) is cached.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
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
mod tests;

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
