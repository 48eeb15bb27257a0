//! Issue 17's findings over HTTP, each as the attacker or the careless
//! user met it: hostile spreadsheets, parsing before permission, forwarded
//! addresses, control characters, renames, upload limits, redirects,
//! headers and error envelopes. Every test runs on both engines.

use crate::WebConfig;
use crate::tests::{start, start_with};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

/// A workbook of 1,6 KB with one cell at A1 and one at XFD1048576: the
/// reader used to allocate 17 billion cells for it and abort the process.
fn far_corner_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Khen thưởng").expect("name");
    ws.write_number(0, 0, 1.0).expect("A1");
    ws.write_number(1_048_575, 16_383, 2.0).expect("XFD1048576");
    wb.save_to_buffer().expect("xlsx")
}

async fn upload(
    c: &reqwest::Client,
    url: String,
    csrf: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, String) {
    let form = Form::new()
        .text("_csrf", csrf.to_owned())
        .part("file", Part::bytes(bytes).file_name(name.to_owned()));
    let r = c.post(url).multipart(form).send().await.expect("upload");
    (r.status(), r.text().await.unwrap_or_default())
}

thidua_store::engine_tests!(
    hostile_spreadsheets_are_refused_and_the_server_lives,
    |store| async move {
        let app = start(store).await;
        let bomb = far_corner_xlsx();
        assert!(bomb.len() < 8 * 1024, "{} bytes", bomb.len());
        // The read-only viewer is refused before a byte is parsed.
        let (xem, csrf) = app.login("xem").await;
        let (status, page) = upload(
            &xem,
            format!("{}/so-khen-thuong/nhap", app.base),
            &csrf,
            "bom.xlsx",
            bomb.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
        // The office may import: the file is read and refused with a sentence.
        let (hoa, csrf) = app.login("hoa.snv").await;
        let (status, page) = upload(
            &hoa,
            format!("{}/so-khen-thuong/nhap", app.base),
            &csrf,
            "bom.xlsx",
            bomb.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("XFD1048576"), "{page}");
        // The values upload of a movement, by a commune's officer.
        let (son, csrf) = app.login("son.xa").await;
        let (status, page) = upload(
            &son,
            format!("{}/phong-trao/NTM-LD-2026/tai-len", app.base),
            &csrf,
            "so-lieu.xlsx",
            bomb.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("vượt giới hạn"), "{page}");
        // The council member may never enter values: refused before reading.
        let (hung, csrf) = app.login("hung.hd").await;
        let (status, _) = upload(
            &hung,
            format!("{}/phong-trao/NTM-LD-2026/tai-len", app.base),
            &csrf,
            "so-lieu.xlsx",
            bomb,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app.get(&reqwest::Client::new(), "/healthz").await;
        assert_eq!(status, StatusCode::OK, "the server is still up");
    }
);

thidua_store::engine_tests!(
    control_characters_are_refused_with_their_field,
    |store| async move {
        let app = start(store).await;
        let anon = reqwest::Client::new();
        // The anonymous login form (500 on PostgreSQL before).
        let (status, page) = app
            .post_form(
                &anon,
                "/dang-nhap",
                &[("login", "ad\0min"), ("password", "x"), ("_csrf", "x")],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("«login»"), "{page}");
        let (hoa, csrf) = app.login("hoa.snv").await;
        let (status, _) = app.get(&hoa, "/so-khen-thuong?q=nguyen%00hoa").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let parent = crate::tests::unit_id(store, "24615").await;
        let (status, body) = app
            .api(
                &hoa,
                reqwest::Method::POST,
                "/api/v1/units",
                &csrf,
                Some(json!({"parent_id": parent, "code": "TEST.NUL", "kind": "association", "name": "Hội\u{0}thử"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["code"], "validation");
        assert_eq!(body["error"]["field"], "name");
        // A public feedback with a NUL is refused too, and nothing is kept.
        let (status, _) = app
            .post_form(
                &anon,
                "/cong-khai",
                &[
                    ("dossier", "1"),
                    ("name", "A\u{1}"),
                    ("body", "Ý kiến có ký tự lạ."),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

thidua_store::engine_tests!(
    a_unit_is_renamed_by_one_rule_on_every_path,
    |store| async move {
        let app = start(store).await;
        let (hoa, csrf) = app.login("hoa.snv").await;
        let rename = |id: i64, name: String| {
            let (hoa, csrf, app) = (hoa.clone(), csrf.clone(), &app);
            async move {
                app.api(
                    &hoa,
                    reqwest::Method::PATCH,
                    &format!("/api/v1/units/{id}"),
                    &csrf,
                    Some(json!({ "name": name })),
                )
                .await
            }
        };
        // An official province is renamed only by a reorganisation.
        let province = crate::tests::unit_id(store, "68").await;
        let (status, body) = rename(province, "Xã Nam Đà".into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "name");
        // A unit of the province's own: the same checks as when it was created.
        let (status, body) = app
            .api(
                &hoa,
                reqwest::Method::POST,
                "/api/v1/units",
                &csrf,
                Some(json!({"parent_id": province, "code": "LD.HTD", "kind": "association", "name": "Hội Thử"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let local = body["id"].as_i64().expect("id");
        let (status, _) = rename(local, "x".repeat(10_000)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = rename(local, "Hội\tThử\u{7}".into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = rename(local, "Hội  Thử mới".into()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let unit = store
            .unit(thidua_domain::org::UnitId(local), crate::pages::today_vn())
            .await
            .expect("q")
            .expect("unit");
        assert_eq!(unit.name, "Hội Thử mới");
        // The page refuses the official rename with the same sentence.
        let (status, page) = app
            .post_form(
                &hoa,
                &format!("/to-chuc/{province}/doi-ten"),
                &[
                    ("name", "Xã Nam Đà"),
                    ("date", "01/01/2027"),
                    ("_csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("văn bản sắp xếp"), "{page}");
    }
);

thidua_store::engine_tests!(
    upload_limits_are_the_ones_the_pages_state,
    |store| async move {
        let app = start(store).await;
        let (c, csrf) = app.login("yquang.xa").await;
        let (status, _) = app
            .post_form(
                &c,
                "/ho-so",
                &[
                    ("_csrf", &csrf),
                    ("unit", "24615"),
                    ("title", "Đề nghị khen thưởng đột xuất"),
                    ("award_type", "ad_hoc"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let id = store.dossiers().await.expect("dossiers")[0].id;
        let (_, page) = app.get(&c, &format!("/ho-so/{id}")).await;
        assert!(page.contains("tối đa 10 MB"), "the page states the limit");
        let mut pdf = thidua_app::dossiers::sample_pdf(&"x".repeat(3 * 1024 * 1024));
        let (status, _) = upload(
            &c,
            format!("{}/ho-so/{id}/tep", app.base),
            &csrf,
            "bao-cao.pdf",
            pdf.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "3 MB is within 10 MB");
        pdf.resize(crate::UPLOAD_FILE_LIMIT + 200 * 1024, b' ');
        let (status, page) = upload(
            &c,
            format!("{}/ho-so/{id}/tep", app.base),
            &csrf,
            "lon.pdf",
            pdf,
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(page.contains("tối đa 10 MB"), "{page}");
        // The registry's confirmation carries a checked file of 1,2 MB as hex
        // (2,4 MB): it reaches the handler instead of a bare 413.
        let (hoa, csrf) = app.login("hoa.snv").await;
        let hex = "ab".repeat(1_200_000);
        let (status, page) = app
            .post_form(
                &hoa,
                "/so-khen-thuong/nhap/ghi",
                &[
                    ("_csrf", &csrf),
                    ("file", "so-cu.xlsx"),
                    ("data", &hex),
                    ("sha256", "0"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
        assert!(page.contains("tải lên lại"), "{page}");
    }
);

fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

/// Logs in as Chị Hoa from a new client with `next` in the form; the status
/// and where the answer sends the browser.
async fn login_with_next(app: &crate::tests::TestApp, next: &str) -> (StatusCode, String) {
    let c = fresh_client();
    let (_, page) = app.get(&c, "/dang-nhap").await;
    let csrf = crate::tests::csrf_of(&page);
    let r = c
        .post(format!("{}/dang-nhap", app.base))
        .form(&[
            ("login", "hoa.snv"),
            ("password", thidua_app::demo::DEMO_PASSWORD),
            ("next", next),
            ("_csrf", &csrf),
        ])
        .send()
        .await
        .expect("login");
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (r.status(), location)
}

thidua_store::engine_tests!(redirects_headers_and_error_envelopes, |store| async move {
    let app = start(store).await;
    // The login form's `next`: a tab would let a browser go elsewhere, and
    // CR/LF (a 500 before) would reach the header; both go home.
    for next in ["/\t/evil.example", "/a\r\nSet-Cookie: x=1"] {
        let (status, location) = login_with_next(&app, next).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(location, "/", "{next:?}");
    }
    let (anon, _) = app.login("hoa.snv").await;
    // Logged-in pages, API answers: no-store; the CSP forbids <base>.
    let r = anon
        .get(format!("{}/ho-so", app.base))
        .send()
        .await
        .expect("page");
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("base-uri 'none'")
    );
    let r = anon
        .get(format!("{}/api/v1/me", app.base))
        .send()
        .await
        .expect("api");
    assert_eq!(r.headers()["cache-control"], "no-store");
    // A path id that does not parse: the JSON envelope, in Vietnamese.
    let r = anon
        .get(format!("{}/api/v1/reviews/abc", app.base))
        .send()
        .await
        .expect("api");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"]["code"], "not_found");
    // … and a page, not English text.
    let (status, page) = app.get(&anon, "/ho-so/abc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        page.contains("không tồn tại") && !page.contains("Invalid URL"),
        "{page}"
    );
    // A JSON body with a missing field names it in Vietnamese.
    let (hoa, hoa_csrf) = app.login("hoa.snv").await;
    let (status, body) = app
        .api(
            &hoa,
            reqwest::Method::POST,
            "/api/v1/reviews",
            &hoa_csrf,
            Some(json!({"year": 2026})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("thiếu trường"), "{body}");
    assert!(
        body["error"]["field"]
            .as_str()
            .is_some_and(|f| !f.is_empty()),
        "{body}"
    );
    // The public feedback on a line that does not exist: refused, not 500.
    let (status, _) = app
        .post_form(
            &reqwest::Client::new(),
            "/cong-khai",
            &[
                ("dossier", "1"),
                ("line", "987654"),
                ("name", "Ama Khanh"),
                ("body", "Ý kiến về một dòng không có."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
});

thidua_store::engine_tests!(
    forwarded_addresses_are_believed_only_from_trusted_proxies,
    |store| async move {
        let login_as = |app: &crate::tests::TestApp, client: &'static str| {
            let base = app.base.clone();
            async move {
                let c = reqwest::Client::builder()
                    .cookie_store(true)
                    .build()
                    .expect("client");
                let page = c
                    .get(format!("{base}/dang-nhap"))
                    .send()
                    .await
                    .expect("form")
                    .text()
                    .await
                    .expect("page");
                let csrf = crate::tests::csrf_of(&page);
                c.post(format!("{base}/dang-nhap"))
                    .header("x-forwarded-for", client)
                    .form(&[("login", "khong-co"), ("password", "sai"), ("_csrf", &csrf)])
                    .send()
                    .await
                    .expect("login")
                    .status()
            }
        };
        // Behind the proxy (127.0.0.1 here), each client has its own bucket.
        let app = start_with(
            store,
            WebConfig {
                logins_per_minute: 2,
                trusted_proxies: vec!["127.0.0.1".parse().expect("ip")],
                ..WebConfig::default()
            },
        )
        .await;
        for _ in 0..2 {
            assert_eq!(
                login_as(&app, "198.51.100.7").await,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            login_as(&app, "198.51.100.7").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            login_as(&app, "203.0.113.5").await,
            StatusCode::UNAUTHORIZED
        );
        // Without a trusted proxy the header is the client's own word: ignored.
        let app = start_with(
            store,
            WebConfig {
                logins_per_minute: 2,
                ..WebConfig::default()
            },
        )
        .await;
        for _ in 0..2 {
            assert_eq!(
                login_as(&app, "198.51.100.8").await,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            login_as(&app, "203.0.113.9").await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
);

thidua_store::engine_tests!(
    a_unit_is_added_by_one_rule_on_every_path,
    |store| async move {
        let app = start(store).await;
        let (hoa, csrf) = app.login("hoa.snv").await;
        let province = crate::tests::unit_id(store, "68").await;
        // The same wrong input, through the page and through the API.
        for (code, kind, field, says) in [
            ("12345", "association", "code", "mã hành chính chính thức"),
            ("LD.THON", "village", "kind", "Hãy chọn loại đơn vị."),
        ] {
            let (status, page) = app
                .post_form(
                    &hoa,
                    &format!("/to-chuc/{province}/them"),
                    &[
                        ("code", code),
                        ("name", "Hội Thử"),
                        ("kind", kind),
                        ("_csrf", &csrf),
                    ],
                )
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
            assert!(page.contains(says), "page: {page}");
            let (status, body) = app
                .api(
                    &hoa,
                    reqwest::Method::POST,
                    "/api/v1/units",
                    &csrf,
                    Some(json!({"parent_id": province, "code": code, "kind": kind, "name": "Hội Thử"})),
                )
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(body["error"]["field"], field, "{body}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains(says),
                "API: {body}"
            );
        }
    }
);
