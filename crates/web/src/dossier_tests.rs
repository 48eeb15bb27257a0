//! Dossiers over HTTP: the public page without an account, the honeypot,
//! uploads judged by content and served as attachments, drafts hidden
//! from other units and from the province, the calendar for administrators.

use crate::tests::start;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

thidua_store::engine_tests!(dossier_pages_keep_their_rules, |store| async move {
    let app = start(store).await;
    let anon = reqwest::Client::new();
    let (status, page) = app.get(&anon, "/cong-khai").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Công khai danh sách đề nghị khen thưởng"),
        "{page}"
    );
    // A robot filling the hidden field is thanked and nothing is kept.
    let (status, page) = app
        .post_form(
            &anon,
            "/cong-khai",
            &[
                ("dossier", "1"),
                ("name", "bot"),
                ("body", "mua thuốc giá rẻ ngay hôm nay"),
                ("website", "http://spam"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Cảm ơn"), "{page}");
    // A person writing about a dossier that is not posted is told so.
    let (_, page) = app
        .post_form(
            &anon,
            "/cong-khai",
            &[
                ("dossier", "999"),
                ("name", "Ama Khanh"),
                ("body", "Tôi có ý kiến về hồ sơ này."),
            ],
        )
        .await;
    assert!(page.contains("Chưa gửi được"), "{page}");

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
    let app = &app;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let c = c.clone();
        let csrf = csrf.clone();
        let url = format!("{}/ho-so/{id}/tep", app.base);
        async move {
            let form = Form::new()
                .text("_csrf", csrf)
                .text("kind", "report")
                .part("file", Part::bytes(bytes).file_name(name));
            let r = c.post(url).multipart(form).send().await.expect("upload");
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            // The outcome is the flash on the dossier's page.
            app.get(&c, &format!("/ho-so/{id}")).await
        }
    };
    let (_, page) = upload("bao-cao.pdf", b"MZ\x90\x00 a program renamed".to_vec()).await;
    assert!(page.contains("không phải PDF hoặc DOCX"), "{page}");
    let (_, page) = upload(
        "bao-cao.pdf",
        thidua_app::dossiers::sample_pdf("thidua test"),
    )
    .await;
    assert!(page.contains("Đã đính kèm"), "{page}");
    assert_eq!(store.dossier_files(id).await.expect("files").len(), 1);
    let file = store.dossier_files(id).await.expect("files")[0].id;
    let r = c
        .get(format!("{}/ho-so/{id}/tep/{file}", app.base))
        .send()
        .await
        .expect("download");
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment")
    );
    // The draft is the commune's own.
    let (other, _) = app.login("son.xa").await;
    assert_eq!(
        app.get(&other, &format!("/ho-so/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&other, &format!("/ho-so/{id}/tep/{file}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (hoa, _) = app.login("hoa.snv").await;
    assert_eq!(
        app.get(&hoa, &format!("/ho-so/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    // The calendar is the administrator's.
    assert_eq!(app.get(&c, "/quan-tri/lich").await.0, StatusCode::FORBIDDEN);
    let (admin, _) = app.login("admin").await;
    let (status, page) = app.get(&admin, "/quan-tri/lich?nam=2026").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Giỗ Tổ Hùng Vương") && page.contains("27/04/2026"),
        "{page}"
    );
});

thidua_store::engine_tests!(
    the_dossier_list_comes_a_page_at_a_time,
    |store| async move {
        let app = start(store).await;
        let (c, csrf) = app.login("yquang.xa").await;
        for i in 1..=51 {
            let title = format!("Đề nghị khen thưởng số {i}");
            let (status, _) = app
                .post_form(
                    &c,
                    "/ho-so",
                    &[
                        ("_csrf", &csrf),
                        ("unit", "24615"),
                        ("title", &title),
                        ("award_type", "regular"),
                    ],
                )
                .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
        }
        let rows = |page: &str| page.matches("<tr class=").count();
        let (_, first) = app.get(&c, "/ho-so").await;
        assert_eq!(rows(&first), 50, "{first}");
        assert!(first.contains("Trang 1/2 · 51 mục"), "{first}");
        assert!(first.contains("Đề nghị khen thưởng số 51"), "newest first");
        let (_, second) = app.get(&c, "/ho-so?trang_thai=&trang=2").await;
        assert_eq!(rows(&second), 1, "{second}");
        assert!(second.contains("Đề nghị khen thưởng số 1<"), "{second}");
        // The filter keeps to its state: no draft is submitted.
        let (_, submitted) = app.get(&c, "/ho-so?trang_thai=submitted").await;
        assert_eq!(rows(&submitted), 0, "{submitted}");
    }
);
