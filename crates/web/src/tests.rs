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
    assert!(body.contains(">Nguyễn Thị Hoa</a></td>"), "{body}");
    let (yq, _) = app.login("yquang.xa").await;
    let (_, body) = app.get(&yq, "/ca-nhan?q=nguyen+thi+hoa").await;
    assert!(
        !body.contains(">Nguyễn Thị Hoa</a></td>"),
        "a commune officer does not see the province's staff"
    );
    let (_, body) = app.get(&yq, "/ca-nhan?q=y+quang").await;
    assert!(body.contains(">Y Quang Niê</a></td>"));
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

mod errors_and_api;
