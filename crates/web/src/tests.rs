//! The app started for real on a random port, against a fresh database of
//! each engine holding the demo (official units, organisations, accounts).

use crate::WebConfig;
use reqwest::{Client, StatusCode, redirect};
use serde_json::{Value, json};
use thidua_app::demo;
use thidua_store::{Store, Who};

pub struct TestApp {
    pub base: String,
}

pub async fn start_with(store: &Store, config: WebConfig) -> TestApp {
    demo::seed(store, &Who::system("test"), &|_| {})
        .await
        .expect("demo");
    let addr = crate::spawn(store.clone(), config).await.expect("spawn");
    TestApp {
        base: format!("http://{addr}"),
    }
}

pub async fn start(store: &Store) -> TestApp {
    start_with(
        store,
        WebConfig {
            logins_per_minute: 1000,
            ..WebConfig::default()
        },
    )
    .await
}

fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

/// The value of the first hidden `_csrf` field of a page.
pub fn csrf_of(html: &str) -> String {
    html.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

impl TestApp {
    /// Opens the login page (for its CSRF token) and submits the form.
    pub async fn try_login(&self, c: &Client, login: &str, password: &str) -> (StatusCode, String) {
        let page = c
            .get(format!("{}/dang-nhap", self.base))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("body");
        self.post_form(
            c,
            "/dang-nhap",
            &[
                ("login", login),
                ("password", password),
                ("_csrf", &csrf_of(&page)),
            ],
        )
        .await
    }

    pub async fn login(&self, login: &str) -> (Client, String) {
        let c = client();
        let (status, _) = self.try_login(&c, login, demo::DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login as {login}");
        let home = c
            .get(format!("{}/", self.base))
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("body");
        (c.clone(), csrf_of(&home))
    }

    pub async fn get(&self, c: &Client, path: &str) -> (StatusCode, String) {
        let r = c
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        (r.status(), r.text().await.expect("body"))
    }

    pub async fn post_form(
        &self,
        c: &Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let r = c
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("POST");
        (r.status(), r.text().await.expect("body"))
    }

    pub async fn api(
        &self,
        c: &Client,
        method: reqwest::Method,
        path: &str,
        csrf: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut rb = c
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", csrf);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("API");
        let status = r.status();
        let text = r.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

pub async fn unit_id(store: &Store, code: &str) -> i64 {
    let today = crate::pages::today_vn();
    store
        .resolve_code(code, None, today)
        .await
        .expect("q")
        .expect("unit")
        .id
        .0
}

thidua_store::engine_tests!(login_wrong_password_and_logout, |store| async move {
    let app = start(store).await;
    let c = client();
    let (s, _) = app.get(&c, "/to-chuc").await;
    assert_eq!(
        s,
        StatusCode::SEE_OTHER,
        "anonymous is sent to the login page"
    );
    let (s, body) = app.try_login(&c, "hoa.snv", "sai-mat-khau").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(
        body.contains("Tên đăng nhập hoặc mật khẩu không đúng."),
        "{body}"
    );

    let (c, csrf) = app.login("hoa.snv").await;
    let (s, body) = app.get(&c, "/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Nguyễn Thị Hoa") && body.contains("Cán bộ thi đua tỉnh"));
    let (s, _) = app.post_form(&c, "/dang-xuat", &[("_csrf", &csrf)]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _) = app.get(&c, "/").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "the old session is gone");
});

thidua_store::engine_tests!(
    cookies_are_httponly_and_samesite_strict,
    |store| async move {
        let app = start(store).await;
        let c = client();
        let page = c
            .get(format!("{}/dang-nhap", app.base))
            .send()
            .await
            .expect("page");
        let login_cookie = page.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_owned();
        assert!(
            login_cookie.contains("HttpOnly") && login_cookie.contains("SameSite=Strict"),
            "{login_cookie}"
        );
        let html = page.text().await.expect("body");
        let r = c
            .post(format!("{}/dang-nhap", app.base))
            .form(&[
                ("login", "admin"),
                ("password", demo::DEMO_PASSWORD),
                ("_csrf", &csrf_of(&html)),
            ])
            .send()
            .await
            .expect("login");
        let session = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("thidua_session="))
            .expect("session cookie")
            .to_owned();
        assert!(
            session.contains("HttpOnly")
                && session.contains("SameSite=Strict")
                && session.contains("Max-Age=28800"),
            "{session}"
        );
    }
);

/// Who may do what to which unit: the specification the matrix test checks
/// the running app against, written independently of the policy code.
///
/// Units: A = Phường Nam Gia Nghĩa (scope of yquang.xa), V = a school
/// under A, B = Phường Bắc Gia Nghĩa (same province), C = a commune of Cao Bằng.
fn expected(login: &str, action: &str, object: &str) -> bool {
    let in_scope = match login {
        "admin" => true,
        "hoa.snv" | "hung.hd" | "minh.ld" | "xem" => matches!(object, "A" | "V" | "B"),
        "yquang.xa" => matches!(object, "A" | "V"),
        _ => false,
    };
    let role_may = match action {
        "view" => true,
        "create" => matches!(login, "admin" | "hoa.snv" | "yquang.xa"),
        "update" => matches!(login, "admin" | "hoa.snv") || (login == "yquang.xa" && object != "A"),
        _ => false,
    };
    in_scope && role_may
}

thidua_store::engine_tests!(
    every_route_role_and_scope_follows_the_policy,
    |store| async move {
        let app = start(store).await;
        let a = unit_id(store, "24615").await;
        let b = unit_id(store, "24611").await;
        let cb = store
            .resolve_code("04", None, crate::pages::today_vn())
            .await
            .expect("q")
            .expect("Cao Bằng")
            .id;
        let c_unit = store
            .children_as_of(cb, crate::pages::today_vn())
            .await
            .expect("kids")
            .into_iter()
            .find(|u| u.code.len() == 5)
            .expect("commune")
            .id
            .0;
        let v = store
            .create_unit(
                &Who::system("test"),
                &thidua_store::NewUnit {
                    code: thidua_domain::org::UnitCode::parse("TEST.V1").expect("code"),
                    kind: thidua_domain::org::UnitKind::PublicService,
                    admin_type: None,
                    name: "Trường Tiểu học Thử".into(),
                    short_name: None,
                    parent: Some(thidua_domain::org::UnitId(a)),
                    valid_from: None,
                },
            )
            .await
            .expect("village")
            .0;
        let objects = [("A", a), ("V", v), ("B", b), ("C", c_unit)];
        let mut checked = 0;
        let mut seq = 0;
        for (login, _, _, _) in demo::DEMO_ACCOUNTS {
            let (c, csrf) = app.login(login).await;
            for (name, id) in objects {
                let mut check = |what: &str, action: &str, status: StatusCode| {
                    // 422: past the policy, refused by a rule (an official unit is renamed only by a reorganisation).
                    let allowed = status.is_success()
                        || status == StatusCode::SEE_OTHER
                        || status == StatusCode::UNPROCESSABLE_ENTITY;
                    let want = expected(login, action, name);
                    assert!(
                        status != StatusCode::INTERNAL_SERVER_ERROR,
                        "{login} {what} on {name}: 500"
                    );
                    if want {
                        assert!(
                            allowed,
                            "{login} should be allowed {what} on {name}, got {status}"
                        );
                    } else {
                        assert_eq!(
                            status,
                            StatusCode::FORBIDDEN,
                            "{login} must be refused {what} on {name}"
                        );
                    }
                    checked += 1;
                };
                seq += 1;
                let code = format!("M{seq}");
                let (s, _) = app.get(&c, &format!("/to-chuc/{id}")).await;
                check("GET /to-chuc/{id}", "view", s);
                let code_of = store
                    .unit(thidua_domain::org::UnitId(id), crate::pages::today_vn())
                    .await
                    .expect("q")
                    .expect("u")
                    .code;
                let (s, _) = app.get(&c, &format!("/to-chuc/ma?ma={code_of}")).await;
                check("GET /to-chuc/ma", "view", s);
                let (s, _) = app.get(&c, &format!("/to-chuc/{id}/them")).await;
                check("GET /to-chuc/{id}/them", "create", s);
                let (s, _) = app
                    .post_form(
                        &c,
                        &format!("/to-chuc/{id}/them"),
                        &[
                            ("code", &code),
                            ("name", "Đơn vị thử"),
                            ("kind", "association"),
                            ("valid_from", ""),
                            ("_csrf", &csrf),
                        ],
                    )
                    .await;
                check("POST /to-chuc/{id}/them", "create", s);
                let (s, _) = app.get(&c, &format!("/to-chuc/{id}/doi-ten")).await;
                check("GET /to-chuc/{id}/doi-ten", "update", s);
                let (s, _) = app
                    .post_form(
                        &c,
                        &format!("/to-chuc/{id}/doi-ten"),
                        &[
                            ("name", &format!("Tên mới {seq}")),
                            ("date", &format!("01/01/{}", 2100 + 2 * seq)),
                            ("_csrf", &csrf),
                        ],
                    )
                    .await;
                check("POST /to-chuc/{id}/doi-ten", "update", s);
                let (s, _) = app
                    .api(
                        &c,
                        reqwest::Method::GET,
                        &format!("/api/v1/units/{id}"),
                        &csrf,
                        None,
                    )
                    .await;
                check("GET /api/v1/units/{id}", "view", s);
                let (s, _) = app
                    .api(
                        &c,
                        reqwest::Method::GET,
                        &format!("/api/v1/units?parent={id}"),
                        &csrf,
                        None,
                    )
                    .await;
                check("GET /api/v1/units?parent", "view", s);
                let (s, _) = app
                .api(&c, reqwest::Method::POST, "/api/v1/units", &csrf, Some(json!({"parent_id": id, "code": format!("API{seq}"), "name": "Tổ thử", "kind": "association"})))
                .await;
                check("POST /api/v1/units", "create", s);
                let (s, _) = app
                .api(&c, reqwest::Method::PATCH, &format!("/api/v1/units/{id}"), &csrf, Some(json!({"name": format!("Tên API {seq}"), "date": format!("{}-06-01", 2101 + 2 * seq)})))
                .await;
                check("PATCH /api/v1/units/{id}", "update", s);
            }
            // System routes: administrators only.
            let is_admin = login == "admin";
            let sys_get = [
                "/quan-tri/tai-khoan",
                "/quan-tri/tai-khoan/moi",
                "/quan-tri/nhat-ky",
                "/quan-tri/ma-truy-cap",
            ];
            for path in sys_get {
                let (s, _) = app.get(&c, path).await;
                assert_eq!(s == StatusCode::OK, is_admin, "{login} GET {path}: {s}");
                assert!(is_admin || s == StatusCode::FORBIDDEN);
                checked += 1;
            }
            for path in ["/api/v1/users", "/api/v1/audit"] {
                let (s, body) = app.api(&c, reqwest::Method::GET, path, &csrf, None).await;
                assert_eq!(s == StatusCode::OK, is_admin, "{login} GET {path}");
                if !is_admin {
                    assert_eq!(body["error"]["code"], "forbidden");
                }
                checked += 1;
            }
            let (s, _) = app
                .post_form(
                    &c,
                    "/quan-tri/tai-khoan/moi",
                    &[
                        ("login", &format!("moi.{login}")),
                        ("full_name", "Người Mới"),
                        ("role", "viewer"),
                        ("unit_code", "68"),
                        ("password", "mat-khau-moi-dai"),
                        ("_csrf", &csrf),
                    ],
                )
                .await;
            assert_eq!(
                s == StatusCode::SEE_OTHER,
                is_admin,
                "{login} POST user: {s}"
            );
            let (s, _) = app
            .api(&c, reqwest::Method::POST, "/api/v1/users", &csrf, Some(json!({"login": format!("api.{login}"), "full_name": "Người API", "role": "viewer", "unit_code": "68", "password": "mat-khau-moi-dai"})))
            .await;
            assert_eq!(
                s == StatusCode::CREATED,
                is_admin,
                "{login} POST /api/v1/users: {s}"
            );
            let (s, _) = app
                .post_form(
                    &c,
                    "/quan-tri/ma-truy-cap",
                    &[("login", "xem"), ("name", "thử"), ("_csrf", &csrf)],
                )
                .await;
            assert_eq!(s == StatusCode::OK, is_admin, "{login} POST token: {s}");
            let (s, tok) = app
                .api(
                    &c,
                    reqwest::Method::POST,
                    "/api/v1/tokens",
                    &csrf,
                    Some(json!({"login": "xem", "name": "api"})),
                )
                .await;
            assert_eq!(
                s == StatusCode::CREATED,
                is_admin,
                "{login} POST /api/v1/tokens: {s}"
            );
            let victim = store
                .user_for_login("xem")
                .await
                .expect("q")
                .expect("xem")
                .0
                .id;
            let (s, _) = app
                .post_form(
                    &c,
                    &format!("/quan-tri/tai-khoan/{victim}/trang-thai"),
                    &[("active", "1"), ("_csrf", &csrf)],
                )
                .await;
            assert_eq!(
                s == StatusCode::SEE_OTHER,
                is_admin,
                "{login} POST status: {s}"
            );
            if is_admin {
                let id = tok["id"].as_i64().expect("token id");
                let (s, _) = app
                    .api(
                        &c,
                        reqwest::Method::DELETE,
                        &format!("/api/v1/tokens/{id}"),
                        &csrf,
                        None,
                    )
                    .await;
                assert_eq!(s, StatusCode::NO_CONTENT);
            } else {
                let (s, _) = app
                    .api(&c, reqwest::Method::DELETE, "/api/v1/tokens/1", &csrf, None)
                    .await;
                assert_eq!(s, StatusCode::FORBIDDEN, "{login} DELETE token");
                let (s, _) = app
                    .post_form(&c, "/quan-tri/ma-truy-cap/1/thu-hoi", &[("_csrf", &csrf)])
                    .await;
                assert_eq!(s, StatusCode::FORBIDDEN, "{login} revoke token");
            }
            checked += 6;
            // The scoped list never shows a unit outside the scope.
            let (s, list) = app
                .api(
                    &c,
                    reqwest::Method::GET,
                    "/api/v1/units?per_page=1000",
                    &csrf,
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::OK);
            let ids: Vec<i64> = list["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|u| u["id"].as_i64())
                .collect();
            for (name, id) in objects {
                if ids.contains(&id) {
                    assert!(
                        expected(login, "view", name),
                        "{login} lists {name} outside its scope"
                    );
                }
            }
        }
        assert!(checked > 300, "{checked} checks");
    }
);

thidua_store::engine_tests!(people_search_is_scoped, |store| async move {
    let app = start(store).await;
    let (hoa, _) = app.login("hoa.snv").await;
    let (_, body) = app.get(&hoa, "/ca-nhan?q=nguyen+thi+hoa").await;
    assert!(body.contains("<td>Nguyễn Thị Hoa</td>"), "{body}");
    let (yq, _) = app.login("yquang.xa").await;
    let (_, body) = app.get(&yq, "/ca-nhan?q=nguyen+thi+hoa").await;
    assert!(
        !body.contains("<td>Nguyễn Thị Hoa</td>"),
        "a commune officer does not see the province's staff"
    );
    let (_, body) = app.get(&yq, "/ca-nhan?q=y+quang").await;
    assert!(body.contains("<td>Y Quang Niê</td>"));
});

thidua_store::engine_tests!(forged_or_missing_csrf_changes_nothing, |store| async move {
    let app = start(store).await;
    let (c, _) = app.login("hoa.snv").await;
    let a = unit_id(store, "24615").await;
    let before = store.audit_count().await.expect("count");
    for token in ["", "forged-token"] {
        let (s, body) = app
            .post_form(
                &c,
                &format!("/to-chuc/{a}/them"),
                &[
                    ("code", "CSRF.1"),
                    ("name", "Giả mạo"),
                    ("kind", "association"),
                    ("_csrf", token),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(body.contains("Biểu mẫu đã hết hạn"), "{body}");
        let (s, body) = app
            .api(
                &c,
                reqwest::Method::POST,
                "/api/v1/units",
                token,
                Some(
                    json!({"parent_id": a, "code": "CSRF.2", "name": "Giả", "kind": "association"}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "csrf");
    }
    // A login form without its cookie token is refused too.
    let (s, _) = app
        .post_form(
            &client(),
            "/dang-nhap",
            &[
                ("login", "admin"),
                ("password", demo::DEMO_PASSWORD),
                ("_csrf", "x"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        store.audit_count().await.expect("count"),
        before,
        "nothing was written"
    );
});

thidua_store::engine_tests!(
    hostile_text_is_stored_and_shown_escaped,
    |store| async move {
        let app = start(store).await;
        let (c, csrf) = app.login("hoa.snv").await;
        let a = unit_id(store, "24615").await;
        let evil = "<script>alert('x')</script>'; drop table org_units; --";
        let (s, _) = app
            .post_form(
                &c,
                &format!("/to-chuc/{a}/them"),
                &[
                    ("code", "EVIL.1"),
                    ("name", evil),
                    ("kind", "association"),
                    ("valid_from", ""),
                    ("_csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, page) = app.get(&c, &format!("/to-chuc/{a}")).await;
        assert!(!page.contains("<script>alert"), "escaped on output");
        assert!(page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"));
        assert!(
            store.count_units().await.expect("units") > 14_000,
            "the table is still there"
        );
        for q in [
            "' OR 1=1 --",
            "%' union select * from users --",
            "<img src=x onerror=alert(1)>",
        ] {
            let r = c
                .get(format!("{}/ca-nhan", app.base))
                .query(&[("q", q)])
                .send()
                .await
                .expect("search");
            assert_eq!(r.status(), StatusCode::OK);
            let body = r.text().await.expect("body");
            assert!(!body.contains("<img src=x"));
            assert!(body.contains("0 kết quả"), "{q}");
        }
        let (s, body) = app
            .get(&c, "/to-chuc/ma?ma=%27%3B%20drop%20table%20users%3B--")
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(body.contains("Không có đơn vị nào"));
    }
);

/// The first bytes the server answers to a request that declares a body of
/// `length` bytes and sends none, within five seconds.
async fn declared_too_large(app: &TestApp, path: &str, kind: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {kind}\r\nContent-Length: {length}\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 64];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read(&mut buf))
        .await
        .expect("the server answers without waiting for the body")
        .expect("read");
    String::from_utf8_lossy(&buf[..n]).to_string()
}

thidua_store::engine_tests!(bad_input_gets_clear_errors_never_500, |store| async move {
    let app = start(store).await;
    let (c, csrf) = app.login("hoa.snv").await;
    let a = unit_id(store, "24615").await;
    for path in [
        "/to-chuc/abc",
        "/to-chuc/999999999",
        "/to-chuc/-1",
        "/khong-co",
    ] {
        let (s, body) = app.get(&c, path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        assert!(body.contains("Không tìm thấy"));
    }
    let (s, body) = app.get(&c, "/to-chuc?ngay=31/02/2025").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("ngày không hợp lệ"));
    // Per-field messages, values kept.
    let (s, body) = app
        .post_form(
            &c,
            &format!("/to-chuc/{a}/them"),
            &[
                ("code", "sai mã"),
                ("name", "  "),
                ("kind", "province"),
                ("valid_from", "32/13/2025"),
                ("_csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Mã gồm 2–40 ký tự",
        "Tên đơn vị không được để trống.",
        "Hãy chọn loại đơn vị.",
        "ngày không hợp lệ",
    ] {
        assert!(body.contains(msg), "missing «{msg}»");
    }
    assert!(body.contains("value=\"sai mã\""), "the value is kept");
    // API: typed errors.
    for (path, code) in [
        ("/api/v1/units/abc", "not_found"),
        ("/api/v1/units/999999999", "not_found"),
        ("/api/v1/units?as_of=hôm-qua", "validation"),
        ("/api/v1/khong-co", "not_found"),
    ] {
        let (s, body) = app.api(&c, reqwest::Method::GET, path, &csrf, None).await;
        assert!(s.is_client_error(), "{path}: {s}");
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let r = c
        .post(format!("{}/api/v1/units", app.base))
        .header("x-csrf-token", &csrf)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["error"]["code"], "bad_request");
    let (s, body) = app
        .api(
            &c,
            reqwest::Method::POST,
            "/api/v1/units",
            &csrf,
            Some(json!({"parent_id": a, "code": "x y", "name": "Tổ", "kind": "association"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "code");
    // Oversized bodies are refused before any handler, by the declared
    // length alone: the server must answer without waiting for a body it
    // will refuse (waiting is how the suite once hung here).
    for (path, kind) in [
        (
            format!("/to-chuc/{a}/them"),
            "application/x-www-form-urlencoded",
        ),
        ("/api/v1/units".to_owned(), "application/json"),
    ] {
        let head = declared_too_large(&app, &path, kind, crate::BODY_LIMIT + 1024).await;
        assert!(head.starts_with("HTTP/1.1 413"), "{path}: {head}");
    }
    let head = declared_too_large(
        &app,
        crate::IMPORT_CONFIRM_PATH,
        "application/x-www-form-urlencoded",
        crate::CONFIRM_LIMIT + 1,
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    // Bytes that are not text: a Vietnamese 400 in the envelope, not
    // axum's English text/plain (found by Schemathesis).
    let r = c
        .post(format!("{}/api/v1/eligibility/check", app.base))
        .header("x-csrf-token", &csrf)
        .header("content-type", "application/json")
        .body(vec![0x1a, 0xff, b':', b'{'])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.expect("json envelope");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("UTF-8")),
        "{body}"
    );
    // No session: pages go to login, the API answers 401 in JSON.
    let (s, body) = app
        .api(&client(), reqwest::Method::GET, "/api/v1/me", "", None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
});

thidua_store::engine_tests!(
    expired_sessions_and_revoked_tokens_are_refused,
    |store| async move {
        let app = start(store).await;
        let hoa = store
            .user_for_login("hoa.snv")
            .await
            .expect("q")
            .expect("hoa")
            .0;
        store
            .create_session(
                &Who::system("test"),
                hoa.id,
                &thidua_app::auth::sha256_hex("old-cookie"),
                "csrf",
                "2020-01-01T00:00:00.000000Z",
                "2020-01-01T08:00:00.000000Z",
            )
            .await
            .expect("session");
        let r = client()
            .get(format!("{}/to-chuc", app.base))
            .header("cookie", "thidua_session=old-cookie")
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(
            r.headers()["location"]
                .to_str()
                .expect("loc")
                .starts_with("/dang-nhap")
        );

        let (id, token) =
            thidua_app::auth::create_token(store, &Who::system("test"), hoa.id, "thử")
                .await
                .expect("token");
        let me = |t: String| {
            let base = app.base.clone();
            async move {
                client()
                    .get(format!("{base}/api/v1/me"))
                    .bearer_auth(t)
                    .send()
                    .await
                    .expect("me")
            }
        };
        let r = me(token.clone()).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.json::<Value>().await.expect("json")["login"], "hoa.snv");
        store
            .revoke_token(&Who::system("test"), id, "2026-01-01T00:00:00.000000Z")
            .await
            .expect("revoke");
        assert_eq!(me(token).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            me("thd_forged".into()).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
);

thidua_store::engine_tests!(
    logins_are_rate_limited_and_accounts_lock,
    |store| async move {
        let app = start_with(
            store,
            WebConfig {
                logins_per_minute: 8,
                ..WebConfig::default()
            },
        )
        .await;
        let c = client();
        let mut statuses = Vec::new();
        for _ in 0..10 {
            let (s, body) = app.try_login(&c, "xem", "sai").await;
            if s == StatusCode::UNAUTHORIZED && body.contains("tạm khóa") {
                statuses.push("locked");
            } else if s == StatusCode::TOO_MANY_REQUESTS {
                assert!(body.contains("quá nhiều lần"));
                statuses.push("limited");
            } else {
                statuses.push("wrong");
            }
        }
        assert_eq!(
            &statuses[..5],
            ["wrong", "wrong", "wrong", "wrong", "locked"],
            "{statuses:?}"
        );
        assert_eq!(statuses[8], "limited", "{statuses:?}");
        let audit = store
            .audit_page(
                &thidua_store::AuditFilter {
                    action: Some("user.locked".into()),
                    ..Default::default()
                },
                0,
                10,
            )
            .await
            .expect("audit");
        assert_eq!(audit.1, 1, "the lockout is audited");
    }
);

thidua_store::engine_tests!(
    changes_appear_in_the_audit_log_and_chain,
    |store| async move {
        let app = start(store).await;
        let (c, csrf) = app.login("hoa.snv").await;
        let a = unit_id(store, "24615").await;
        let (s, _) = app
            .post_form(
                &c,
                &format!("/to-chuc/{a}/them"),
                &[
                    ("code", "LD.HND"),
                    ("name", "Hội Nông dân phường"),
                    ("kind", "association"),
                    ("valid_from", ""),
                    ("_csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (admin, _) = app.login("admin").await;
        let (s, page) = app
            .get(
                &admin,
                "/quan-tri/nhat-ky?thao_tac=unit.create&nguoi=hoa.snv",
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("Hội Nông dân phường") && page.contains("127.0.0.1"),
            "{page}"
        );
        assert_eq!(
            store.audit_verify().await.expect("verify"),
            Ok(store.audit_count().await.expect("n") as usize)
        );
    }
);

thidua_store::engine_tests!(the_openapi_document_covers_the_api, |store| async move {
    let app = start(store).await;
    let doc: Value = reqwest::get(format!("{}/api/openapi.json", app.base))
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    for p in [
        "/api/v1/me",
        "/api/v1/units",
        "/api/v1/units/{id}",
        "/api/v1/people",
        "/api/v1/users",
        "/api/v1/audit",
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
});

thidua_store::engine_tests!(the_tree_page_follows_the_date, |store| async move {
    let app = start(store).await;
    let (c, _) = app.login("admin").await;
    let (s, body) = app.get(&c, "/healthz").await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, "ok"));
    let (_, before) = app.get(&c, "/to-chuc?ngay=2025-06-30").await;
    assert!(before.contains("63 tỉnh, thành phố"), "{before}");
    let (_, after) = app.get(&c, "/to-chuc?ngay=01/07/2025").await;
    assert!(after.contains("34 tỉnh, thành phố"));
    assert!(!after.contains("Tỉnh Đắk Nông"));
});

thidua_store::engine_tests!(
    a_former_commune_shows_its_chain_and_what_it_became,
    |store| async move {
        let app = start(store).await;
        let (c, _) = app.login("hoa.snv").await;
        let r = c
            .get(format!("{}/to-chuc/ma?ma=24618&ngay=2024-01-01", app.base))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let loc = r.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        let (s, page) = app.get(&c, &loc).await;
        assert_eq!(s, StatusCode::OK);
        let crumbs = page.split("<h1>").next().expect("head");
        let gia_nghia = crumbs
            .find("Thành phố Gia Nghĩa")
            .expect("district in breadcrumb");
        let dak_nong = crumbs
            .find("Tỉnh Đắk Nông")
            .expect("province in breadcrumb");
        assert!(dak_nong < gia_nghia, "root first");
        assert!(page.contains("Phường Nam Gia Nghĩa"), "successor listed");
        let id = loc
            .trim_start_matches("/to-chuc/")
            .split('?')
            .next()
            .expect("id");
        let (_, later) = app.get(&c, &format!("/to-chuc/{id}?ngay=2025-07-01")).await;
        let notice = later
            .split("id=\"da-thay-doi\"")
            .nth(1)
            .expect("notice")
            .split("</section>")
            .next()
            .expect("end");
        assert!(
            notice.contains("Phường Nam Gia Nghĩa") && notice.contains("thuộc Tỉnh Lâm Đồng"),
            "{notice}"
        );
    }
);

thidua_store::engine_tests!(a_password_change_ends_other_sessions, |store| async move {
    let app = start(store).await;
    let (first, csrf) = app.login("xem").await;
    let (second, _) = app.login("xem").await;
    let (s, body) = app
        .post_form(
            &first,
            "/tai-khoan/mat-khau",
            &[
                ("current", "sai-mat-khau"),
                ("new", "mat-khau-moi-rat-dai"),
                ("confirm", "mat-khau-moi-rat-dai"),
                ("_csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Mật khẩu hiện tại không đúng."));
    let (s, body) = app
        .post_form(
            &first,
            "/tai-khoan/mat-khau",
            &[
                ("current", demo::DEMO_PASSWORD),
                ("new", "ngan"),
                ("confirm", "ngan"),
                ("_csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("ít nhất 12 ký tự"));
    let (s, _) = app
        .post_form(
            &first,
            "/tai-khoan/mat-khau",
            &[
                ("current", demo::DEMO_PASSWORD),
                ("new", "mat-khau-moi-rat-dai"),
                ("confirm", "mat-khau-moi-rat-dai"),
                ("_csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&first, "/").await.0,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        app.get(&second, "/").await.0,
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    let (s, _) = app.try_login(&client(), "xem", demo::DEMO_PASSWORD).await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    let (s, _) = app
        .try_login(&client(), "xem", "mat-khau-moi-rat-dai")
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
});
