//! Every route the router declares has an entry in an independent access
//! table, and the running app keeps to it for anonymous visitors, for the
//! read-only viewer and for non-administrators. The route list is read from
//! the router's own source, so a new route without an entry fails here.

use crate::tests::{TestApp, start};
use reqwest::{Method, StatusCode, redirect};

/// The (method, path) pairs declared in a router's source text: each
/// `.route("path", …)` with the method routers inside its arguments.
fn declared(source: &str, prefix: &str, consts: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(".route(") {
        rest = &rest[at + ".route(".len()..];
        // The arguments up to the matching parenthesis.
        let mut depth = 1;
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = i;
                break;
            }
        }
        let args = &rest[..end];
        let first = args.split(',').next().unwrap_or("").trim();
        let path = match first.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
            Some(p) => p.to_owned(),
            None => consts
                .iter()
                .find(|(name, _)| *name == first)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_else(|| panic!("route path «{first}» is neither a literal nor known")),
        };
        for method in ["get", "post", "patch", "put", "delete"] {
            let called = args.match_indices(&format!("{method}(")).any(|(i, _)| {
                i == 0 || !args[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            if called {
                out.push((method.to_uppercase(), format!("{prefix}{path}")));
            }
        }
        rest = &rest[end..];
    }
    out
}

fn routes() -> Vec<(String, String)> {
    let lib = include_str!("routes.rs");
    let body = &lib[lib.find("pub fn router(").expect("router")..];
    let mut all = declared(
        body,
        "",
        &[
            ("IMPORT_CONFIRM_PATH", crate::IMPORT_CONFIRM_PATH),
            ("STAFF_CONFIRM_PATH", crate::STAFF_CONFIRM_PATH),
        ],
    );
    let api = include_str!("api/routes.rs");
    let body = &api[api.find("pub fn router(").expect("api router")..];
    let body = &body[..body.find("\n}").expect("end")];
    all.extend(declared(body, "/api", &[]));
    all
}

/// Who may use a route, written from the policy's specification (not from
/// the handlers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, without signing in (the public posting page, login, health).
    Public,
    /// Any signed-in account, the read-only viewer included.
    Read,
    /// A signed-in account that may change something in its scope: never
    /// the viewer. For a GET, the form that leads to the change.
    Write,
    /// The administrator only (accounts, tokens, audit, catalogue, calendar).
    Admin,
}

use Access::*;

/// The independent table: every declared route must be here, and nothing
/// here may be missing from the router.
const TABLE: &[(&str, &str, Access)] = &[
    ("GET", "/", Read),
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    // From this machine only, or with the configured token (ops_tests).
    ("GET", "/metrics", Public),
    ("GET", "/static/app.css", Public),
    ("GET", "/static/app.js", Public),
    ("GET", "/dang-nhap", Public),
    ("POST", "/dang-nhap", Public),
    ("POST", "/dang-xuat", Read),
    ("GET", "/tai-khoan/mat-khau", Read),
    ("POST", "/tai-khoan/mat-khau", Read),
    ("GET", "/to-chuc", Read),
    ("GET", "/to-chuc/ma", Read),
    ("GET", "/to-chuc/chon", Read),
    ("GET", "/to-chuc/{id}", Read),
    ("GET", "/to-chuc/{id}/them", Write),
    ("POST", "/to-chuc/{id}/them", Write),
    ("GET", "/to-chuc/{id}/doi-ten", Write),
    ("POST", "/to-chuc/{id}/doi-ten", Write),
    ("GET", "/ca-nhan", Read),
    ("GET", "/ca-nhan/moi", Write),
    ("POST", "/ca-nhan/moi", Write),
    ("GET", "/ca-nhan/nhap", Write),
    ("POST", "/ca-nhan/nhap", Write),
    ("POST", "/ca-nhan/nhap/ghi", Write),
    ("GET", "/ca-nhan/nhap/mau.xlsx", Write),
    ("GET", "/ca-nhan/{id}", Read),
    ("GET", "/ca-nhan/{id}/sua", Write),
    ("POST", "/ca-nhan/{id}/sua", Write),
    ("POST", "/ca-nhan/{id}/chuyen", Write),
    ("POST", "/ca-nhan/{id}/ket-thuc", Write),
    ("POST", "/ca-nhan/{id}/so-dinh-danh", Write),
    ("GET", "/binh-xet", Read),
    ("POST", "/binh-xet", Write),
    ("GET", "/binh-xet/{id}", Read),
    ("POST", "/binh-xet/{id}/dong/{line}", Write),
    ("POST", "/binh-xet/{id}/chot", Write),
    ("GET", "/binh-xet/{id}/danh-sach.xlsx", Read),
    ("GET", "/ho-so", Read),
    ("POST", "/ho-so", Write),
    ("GET", "/ho-so/{id}", Read),
    ("POST", "/ho-so/{id}/thong-tin", Write),
    ("POST", "/ho-so/{id}/doi-tuong", Write),
    ("POST", "/ho-so/{id}/doi-tuong/{line}", Write),
    ("POST", "/ho-so/{id}/doi-tuong/{line}/trang-thai", Write),
    ("POST", "/ho-so/{id}/kiem-tra", Write),
    ("POST", "/ho-so/{id}/buoc", Write),
    ("POST", "/ho-so/{id}/bieu-quyet/{line}", Write),
    ("GET", "/ho-so/{id}/tep/{file}", Read),
    ("POST", "/ho-so/{id}/tep", Write),
    ("GET", "/so-khen-thuong", Read),
    ("GET", "/so-khen-thuong/nhap", Write),
    ("POST", "/so-khen-thuong/nhap", Write),
    ("POST", "/so-khen-thuong/nhap/ghi", Write),
    ("GET", "/so-khen-thuong/nhap/mau.xlsx", Read),
    ("GET", "/so-khen-thuong/du-dieu-kien", Read),
    ("GET", "/so-khen-thuong/ca-nhan/{id}", Read),
    ("GET", "/so-khen-thuong/tap-the/{id}", Read),
    ("GET", "/khoi-cum", Read),
    ("GET", "/phong-trao/{code}/thanh-tich", Read),
    ("POST", "/phong-trao/{code}/thanh-tich", Write),
    ("POST", "/phong-trao/{code}/thanh-tich/de-nghi", Write),
    ("GET", "/to-chuc/{id}/khen-thuong", Write),
    ("POST", "/to-chuc/{id}/khen-thuong", Write),
    ("GET", "/dien-hinh", Read),
    ("POST", "/dien-hinh", Write),
    ("POST", "/dien-hinh/hoi-nghi", Write),
    ("POST", "/dien-hinh/{id}/cong-bo", Write),
    ("GET", "/guong-dien-hinh", Public),
    ("GET", "/khoi-cum/moi", Write),
    ("POST", "/khoi-cum/moi", Write),
    ("POST", "/khoi-cum/{id}/thanh-vien", Write),
    ("POST", "/khoi-cum/{id}/thanh-vien/{unit}/roi", Write),
    ("GET", "/khoi-cum/{id}", Read),
    ("GET", "/khoi-cum/{id}/cham/{unit}/{stage}", Write),
    ("POST", "/khoi-cum/{id}/cham/{unit}/{stage}", Write),
    ("POST", "/khoi-cum/{id}/chot", Write),
    ("GET", "/khoi-cum/{id}/bang-diem.xlsx", Read),
    ("POST", "/khoi-cum/{id}/bang-diem", Write),
    ("GET", "/khoi-cum/{id}/ket-qua.xlsx", Read),
    ("POST", "/khoi-cum/{id}/nam-sau", Write),
    ("POST", "/khoi-cum/{id}/de-nghi-co", Write),
    ("POST", "/khoi-cum/de-nghi-co-chinh-phu", Write),
    ("GET", "/khoi-cum/{id}/minh-chung/{file}", Read),
    ("GET", "/thong-ke", Read),
    ("GET", "/thong-ke.xlsx", Read),
    ("GET", "/quyet-dinh", Read),
    ("GET", "/quyet-dinh/{id}", Read),
    ("GET", "/quyet-dinh/{id}/quyet-dinh.pdf", Read),
    ("GET", "/quyet-dinh/{id}/quyet-dinh.docx", Read),
    ("GET", "/quyet-dinh/{id}/bang-khen.pdf", Read),
    ("POST", "/quyet-dinh/{id}/sua-doi", Write),
    ("GET", "/quan-tri/mau-van-ban", Admin),
    ("POST", "/quan-tri/mau-van-ban", Admin),
    ("GET", "/viec-can-lam", Read),
    ("GET", "/cong-khai", Public),
    ("POST", "/cong-khai", Public),
    ("GET", "/huong-dan", Public),
    ("GET", "/huong-dan/{trang}", Public),
    ("GET", "/huong-dan/anh/{ten}", Public),
    ("GET", "/quan-tri/lich", Admin),
    ("POST", "/quan-tri/lich", Admin),
    ("POST", "/quan-tri/lich/thoi-han", Admin),
    ("GET", "/phong-trao", Read),
    ("GET", "/phong-trao/moi", Write),
    ("POST", "/phong-trao/moi", Write),
    ("POST", "/phong-trao/nhap-tep", Write),
    ("GET", "/phong-trao/{code}", Read),
    ("POST", "/phong-trao/{code}/trang-thai", Write),
    ("POST", "/phong-trao/{code}/tep", Write),
    ("GET", "/phong-trao/{code}/tep/{id}", Read),
    ("GET", "/phong-trao/{code}/dinh-nghia.toml", Read),
    ("POST", "/phong-trao/{code}/dang-ky", Write),
    ("POST", "/phong-trao/{code}/nhiem-vu", Write),
    ("POST", "/phong-trao/{code}/nhiem-vu/{task}", Write),
    ("GET", "/phong-trao/{code}/nhap-lieu", Write),
    ("POST", "/phong-trao/{code}/nhap-lieu", Write),
    ("POST", "/phong-trao/{code}/tai-len", Write),
    ("GET", "/phong-trao/{code}/mau-nhap-lieu.xlsx", Read),
    ("GET", "/phong-trao/{code}/duyet", Write),
    ("POST", "/phong-trao/{code}/duyet", Write),
    ("POST", "/phong-trao/{code}/so-lieu/{id}/mo-lai", Write),
    ("GET", "/phong-trao/{code}/bao-cao", Read),
    ("GET", "/phong-trao/{code}/ket-nghia", Read),
    ("POST", "/phong-trao/{code}/ket-nghia", Write),
    (
        "POST",
        "/phong-trao/{code}/ket-nghia/{pair}/hoat-dong",
        Write,
    ),
    ("GET", "/phong-trao/{code}/bao-cao.xlsx", Read),
    ("GET", "/quan-tri/tai-khoan", Admin),
    ("GET", "/quan-tri/tai-khoan/moi", Admin),
    ("POST", "/quan-tri/tai-khoan/moi", Admin),
    ("POST", "/quan-tri/tai-khoan/{id}/trang-thai", Admin),
    ("GET", "/quan-tri/nhat-ky", Admin),
    ("GET", "/quan-tri/danh-muc", Admin),
    ("POST", "/quan-tri/danh-muc", Admin),
    ("POST", "/quan-tri/danh-muc/gioi-han", Admin),
    ("GET", "/quan-tri/ma-truy-cap", Admin),
    ("POST", "/quan-tri/ma-truy-cap", Admin),
    ("POST", "/quan-tri/ma-truy-cap/{id}/thu-hoi", Admin),
    ("GET", "/api/openapi.json", Public),
    ("GET", "/api/v1/me", Read),
    ("GET", "/api/v1/units", Read),
    ("POST", "/api/v1/units", Write),
    ("GET", "/api/v1/units/{id}", Read),
    ("PATCH", "/api/v1/units/{id}", Write),
    ("GET", "/api/v1/people", Read),
    ("GET", "/api/v1/movements", Read),
    ("GET", "/api/v1/movements/{code}", Read),
    ("GET", "/api/v1/movements/{code}/report", Read),
    ("POST", "/api/v1/movements/{code}/values", Write),
    // A question, not a change: anyone signed in may ask it.
    ("POST", "/api/v1/eligibility/check", Read),
    ("POST", "/api/v1/reviews", Write),
    ("GET", "/api/v1/reviews/{id}", Read),
    ("POST", "/api/v1/reviews/{id}/lines/{line}", Write),
    ("POST", "/api/v1/reviews/{id}/close", Write),
    ("GET", "/api/v1/users", Admin),
    ("POST", "/api/v1/users", Admin),
    ("GET", "/api/v1/audit", Admin),
    ("POST", "/api/v1/tokens", Admin),
    ("DELETE", "/api/v1/tokens/{id}", Admin),
];

#[test]
fn every_declared_route_has_an_entry_and_every_entry_a_route() {
    let declared = routes();
    assert!(
        declared.len() > 100,
        "the parser found {} routes",
        declared.len()
    );
    let missing: Vec<String> = declared
        .iter()
        .filter(|(m, p)| !TABLE.iter().any(|(tm, tp, _)| tm == m && tp == p))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an access entry: {missing:?}"
    );
    let stale: Vec<String> = TABLE
        .iter()
        .filter(|(m, p, _)| !declared.iter().any(|(dm, dp)| dm == m && dp == p))
        .map(|(m, p, _)| format!("{m} {p}"))
        .collect();
    assert!(
        stale.is_empty(),
        "entries for routes that do not exist: {stale:?}"
    );
}

#[test]
fn the_parser_reads_methods_and_constants() {
    let src =
        r#".route("/a", get(x).post(y)) .route(C, post(z).layer(l)) .route("/b", uploads(get(f)))"#;
    assert_eq!(
        declared(src, "", &[("C", "/c")]),
        vec![
            ("GET".to_owned(), "/a".to_owned()),
            ("POST".to_owned(), "/a".to_owned()),
            ("POST".to_owned(), "/c".to_owned()),
            ("GET".to_owned(), "/b".to_owned()),
        ]
    );
}

/// A path with its parameters filled by real objects of the demo where
/// that matters (a unit, a movement) and small ids elsewhere.
fn concrete(path: &str, unit: i64) -> String {
    path.replace("{code}", "NTM-DNO-2021")
        .replace("{id}", &unit.to_string())
        .replace("{line}", "1")
        .replace("{file}", "1")
        .replace("{unit}", &unit.to_string())
        .replace("{stage}", "1")
        .replace("{pair}", "1")
        .replace("{task}", "1")
}

async fn send(
    c: &reqwest::Client,
    app: &TestApp,
    method: &str,
    path: &str,
    csrf: &str,
) -> (StatusCode, String) {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = c.request(method.clone(), format!("{}{path}", app.base));
    if method != Method::GET {
        req = if path.starts_with("/api/") {
            req.header("x-csrf-token", csrf)
                .header("content-type", "application/json")
                .body("{}")
        } else {
            req.form(&[("_csrf", csrf)])
        };
    }
    let r = req.send().await.expect("request");
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, location)
}

thidua_store::engine_tests!(every_route_keeps_to_its_access_entry, |store| async move {
    let app = start(store).await;
    let unit = crate::tests::unit_id(store, "24615").await;
    let anonymous = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    let (viewer, viewer_csrf) = app.login("xem").await;
    let (officer, officer_csrf) = app.login("hoa.snv").await;
    let mut checked = 0;
    for (method, pattern, access) in TABLE {
        let path = concrete(pattern, unit);
        let what = format!("{method} {pattern}");
        // Anonymous: the API says 401, pages send to the login page.
        let (s, location) = send(&anonymous, &app, method, &path, "").await;
        assert_ne!(s, StatusCode::INTERNAL_SERVER_ERROR, "anonymous {what}");
        if *access != Public {
            let refused = if path.starts_with("/api/") {
                s == StatusCode::UNAUTHORIZED
            } else {
                (s == StatusCode::SEE_OTHER && location.starts_with("/dang-nhap"))
                    || s == StatusCode::FORBIDDEN
            };
            assert!(refused, "anonymous {what}: {s} {location}");
        }
        checked += 1;
        // The viewer reads but never changes anything: whatever the
        // answer (a page may say «Chưa ghi…» after a redirect), the
        // audit log, where every change lands, does not move.
        if *method != "POST" || !matches!(pattern, &"/dang-xuat") {
            let mark = store.change_mark().await.expect("mark");
            let (s, location) = send(&viewer, &app, method, &path, &viewer_csrf).await;
            assert_ne!(s, StatusCode::INTERNAL_SERVER_ERROR, "viewer {what}");
            if matches!(access, Write | Admin) {
                assert_eq!(
                    store.change_mark().await.expect("mark"),
                    mark,
                    "the viewer changed something with {what} ({s} {location})"
                );
                assert!(!s.is_success(), "the viewer got {s} on {what}");
                if *method == "GET" {
                    assert!(
                        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
                        "the viewer got {s} on {what}"
                    );
                }
            }
            checked += 1;
        }
        // Administration is the administrator's alone.
        if *access == Admin {
            let mark = store.change_mark().await.expect("mark");
            let (s, _) = send(&officer, &app, method, &path, &officer_csrf).await;
            assert_eq!(
                store.change_mark().await.expect("mark"),
                mark,
                "a province officer changed something with {what}"
            );
            if *method == "GET" {
                assert_eq!(s, StatusCode::FORBIDDEN, "a province officer on {what}");
            } else {
                assert!(s.is_client_error(), "a province officer got {s} on {what}");
            }
            checked += 1;
        }
    }
    assert!(checked > 2 * TABLE.len(), "{checked} checks");
});

thidua_store::engine_tests!(
    no_account_meets_a_server_error_on_any_page,
    |store| async move {
        let app = start(store).await;
        let unit = crate::tests::unit_id(store, "24615").await;
        for (login, ..) in thidua_app::demo::DEMO_ACCOUNTS {
            let (c, csrf) = app.login(login).await;
            for (method, pattern, _) in TABLE.iter().filter(|(m, ..)| *m == "GET") {
                let (s, _) = send(&c, &app, method, &concrete(pattern, unit), &csrf).await;
                assert!(!s.is_server_error(), "{login} GET {pattern}: {s}");
            }
        }
    }
);
