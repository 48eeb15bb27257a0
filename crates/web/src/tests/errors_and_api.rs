//! Bad input answered clearly, never a 500; the OpenAPI document; dates on
//! the tree page; sessions after a password change.

use super::*;

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
