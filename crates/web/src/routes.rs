//! Every page's address and the layers around them.

use super::error::WebError;
use super::state::{
    AppState, BODY_LIMIT, CONFIRM_LIMIT, IMPORT_CONFIRM_PATH, STAFF_CONFIRM_PATH, UPLOAD_LIMIT,
    WebConfig,
};
use crate::ratelimit::RateLimiter;
use crate::{
    admin, api, catalogue, cluster_admin, cluster_scoring, clusters, decisions, dossiers, due,
    exemplary, guide_pages, input_guard, movements, pages, people, registry, registry_import,
    reviews, session, unit_awards,
};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;
use thidua_app::report::cache::ReportCache;
use thidua_store::Store;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Routes that take a file: the upload limit instead of the form limit.
pub(super) fn uploads<S: Clone + Send + Sync + 'static>(
    r: axum::routing::MethodRouter<S>,
) -> axum::routing::MethodRouter<S> {
    r.layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
}

/// The app with its kept reports, which the caller may share (to warm them
/// at start-up, or to measure).
pub fn router(store: Store, config: WebConfig, reports: Arc<ReportCache>) -> Router {
    let state = AppState {
        store,
        login_limiter: Arc::new(RateLimiter::new(config.logins_per_minute)),
        feedback_limiter: Arc::new(RateLimiter::new(3)),
        reports,
        metrics: Arc::default(),
        config: Arc::new(config),
    };
    Router::new()
        .merge(home_routes())
        .merge(organisation_routes())
        .merge(reviews_routes())
        .merge(dossiers_routes())
        .merge(registry_routes())
        .merge(clusters_routes())
        .merge(statistics_routes())
        .merge(decisions_routes())
        .merge(administration_routes())
        .merge(movements_routes())
        .nest("/api", api::router())
        .fallback(|| async { WebError::NotFound("Trang này không tồn tại.".into()) })
        .layer(middleware::from_fn_with_state(state.clone(), framed_errors))
        // Every extractor reads at most the route's limit (forms and JSON
        // by default, files where `uploads` says so); no body at all may
        // pass the largest of them.
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(input_guard::refuse_control_chars))
        .layer(RequestBodyLimitLayer::new(CONFIRM_LIMIT))
        .layer(middleware::from_fn(clear_flash))
        .layer(middleware::from_fn(security_headers))
        .layer(TraceLayer::new_for_http())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::count,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::note_writes,
        ))
        .with_state(state)
}

/// An error page keeps the navigation of the person who met it: a refused
/// or missing page is drawn again in their session's frame, so they are
/// never left without a way on. The database being away (503) is not
/// asked again for the session.
pub(super) async fn framed_errors(
    axum::extract::State(st): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let kept = parts.clone();
    let res = next.run(Request::from_parts(parts, body)).await;
    let Some(e) = res.extensions().get::<crate::chrome::ErrorText>().cloned() else {
        return res;
    };
    if res.status() == StatusCode::SERVICE_UNAVAILABLE {
        return res;
    }
    match session::resolve(&st, &kept).await {
        Ok(Some(s)) => {
            let (mut head, _) = res.into_parts();
            let framed =
                crate::chrome::framed_error_page(crate::chrome::Chrome::new("", Some(&s)), &e);
            let (framed_head, body) = framed.into_parts();
            if let Some(ct) = framed_head.headers.get(header::CONTENT_TYPE).cloned() {
                head.headers.insert(header::CONTENT_TYPE, ct);
            }
            head.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(head, body)
        }
        _ => res,
    }
}

/// A flash message is shown once: the page that showed it clears it.
pub(super) async fn clear_flash(req: Request, next: Next) -> Response {
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

pub(super) async fn security_headers(req: Request, next: Next) -> Response {
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

pub(super) async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

pub(super) async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.css"),
    )
        .into_response()
}

pub(super) async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../static/app.js"),
    )
        .into_response()
}

/// The home page, signing in and out, health and the stylesheet.
fn home_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/healthz", get(healthz))
        .route("/readyz", get(crate::metrics::readyz))
        .route("/metrics", get(crate::metrics::metrics))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/dang-nhap", get(pages::login_form).post(pages::login))
        .route("/dang-xuat", post(pages::logout))
        .route(
            "/tai-khoan/mat-khau",
            get(pages::password_form).post(pages::password_change),
        )
}

/// The organisation and its people.
fn organisation_routes() -> Router<AppState> {
    Router::new()
        .route("/to-chuc", get(pages::org_index))
        .route("/to-chuc/ma", get(pages::org_by_code))
        .route("/to-chuc/chon", get(pages::unit_choices))
        .route("/to-chuc/{id}", get(pages::org_unit))
        .route(
            "/to-chuc/{id}/khen-thuong",
            get(unit_awards::page).post(unit_awards::issue),
        )
        .route(
            "/to-chuc/{id}/them",
            get(pages::unit_new_form).post(pages::unit_create),
        )
        .route(
            "/to-chuc/{id}/doi-ten",
            get(pages::unit_rename_form).post(pages::unit_rename),
        )
        .route("/ca-nhan", get(people::people))
        .route("/ca-nhan/moi", get(people::new_form).post(people::create))
        .route(
            "/ca-nhan/nhap",
            uploads(get(people::staff_form).post(people::staff_check)),
        )
        .route(
            STAFF_CONFIRM_PATH,
            post(people::staff_confirm).layer(DefaultBodyLimit::max(CONFIRM_LIMIT)),
        )
        .route("/ca-nhan/nhap/mau.xlsx", get(people::staff_template))
        .route("/ca-nhan/{id}", get(people::person))
        .route(
            "/ca-nhan/{id}/sua",
            get(people::edit_form).post(people::edit),
        )
        .route("/ca-nhan/{id}/chuyen", post(people::transfer))
        .route("/ca-nhan/{id}/ket-thuc", post(people::end_stint))
        .route("/ca-nhan/{id}/so-dinh-danh", post(people::reveal_id))
}

/// Annual reviews for emulation titles.
fn reviews_routes() -> Router<AppState> {
    Router::new()
        .route("/binh-xet", get(reviews::list).post(reviews::open))
        .route("/binh-xet/{id}", get(reviews::detail))
        .route("/binh-xet/{id}/dong/{line}", post(reviews::update_line))
        .route("/binh-xet/{id}/chot", post(reviews::close))
        .route("/binh-xet/{id}/danh-sach.xlsx", get(reviews::list_xlsx))
}

/// Nomination dossiers, the public posting and the working-day calendar.
fn dossiers_routes() -> Router<AppState> {
    Router::new()
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
        .route("/cong-khai", get(dossiers::public).post(dossiers::feedback))
        .route("/ho-so/{id}/tep", uploads(post(dossiers::upload)))
}

/// The registry and its import.
fn registry_routes() -> Router<AppState> {
    Router::new()
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
        .route("/so-khen-thuong/du-dieu-kien", get(due::page))
        .route("/so-khen-thuong/ca-nhan/{id}", get(registry::person))
        .route("/so-khen-thuong/tap-the/{id}", get(registry::collective))
}

/// Emulation blocks and clusters, their scoring and flags.
fn clusters_routes() -> Router<AppState> {
    Router::new()
        .route("/khoi-cum", get(clusters::list))
        .route("/dien-hinh", get(exemplary::list).post(exemplary::record))
        .route("/dien-hinh/hoi-nghi", post(exemplary::record_event))
        .route("/dien-hinh/{id}/cong-bo", post(exemplary::publish))
        .route("/guong-dien-hinh", get(exemplary::public))
        .route("/huong-dan", get(guide_pages::index))
        .route("/huong-dan/{trang}", get(guide_pages::page))
        .route("/huong-dan/anh/{ten}", get(guide_pages::picture))
        .route(
            "/khoi-cum/moi",
            get(cluster_admin::new_form).post(cluster_admin::create),
        )
        .route("/khoi-cum/{id}/thanh-vien", post(cluster_admin::add_member))
        .route(
            "/khoi-cum/{id}/thanh-vien/{unit}/roi",
            post(cluster_admin::remove_member),
        )
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
}

/// Statistics and the work waiting for the user.
fn statistics_routes() -> Router<AppState> {
    Router::new()
        .route("/thong-ke", get(registry::statistics))
        .route("/thong-ke.xlsx", get(registry::statistics_xlsx))
        .route("/viec-can-lam", get(dossiers::todo))
}

/// Decisions and their documents.
fn decisions_routes() -> Router<AppState> {
    Router::new()
        .route("/quyet-dinh", get(decisions::list))
        .route("/quyet-dinh/{id}", get(decisions::detail))
        .route("/quyet-dinh/{id}/quyet-dinh.pdf", get(decisions::pdf))
        .route("/quyet-dinh/{id}/quyet-dinh.docx", get(decisions::docx))
        .route(
            "/quyet-dinh/{id}/bang-khen.pdf",
            get(decisions::certificates),
        )
        .route("/quyet-dinh/{id}/sua-doi", post(decisions::amend))
}

/// Accounts, the audit log, the catalogue and tokens.
fn administration_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/quan-tri/mau-van-ban",
            get(decisions::templates).post(decisions::save_template),
        )
        .route(
            "/quan-tri/lich",
            get(dossiers::calendar).post(dossiers::set_override),
        )
        .route("/quan-tri/lich/thoi-han", post(dossiers::set_limits))
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
}

/// Emulation movements: launch, values, approval, dashboards, twinning.
fn movements_routes() -> Router<AppState> {
    Router::new()
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
        .route("/phong-trao/{code}/nhiem-vu", post(movements::assign_task))
        .route(
            "/phong-trao/{code}/thanh-tich",
            get(movements::achievements).post(movements::record_achievement),
        )
        .route(
            "/phong-trao/{code}/thanh-tich/de-nghi",
            post(movements::propose_from_achievements),
        )
        .route(
            "/phong-trao/{code}/nhiem-vu/{task}",
            post(movements::report_task),
        )
        .route(
            "/phong-trao/{code}/nhap-lieu",
            get(movements::entry_form).post(movements::entry_save),
        )
        .route(
            "/phong-trao/{code}/tai-len",
            uploads(post(movements::entry_upload)),
        )
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
}
