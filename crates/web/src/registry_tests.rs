//! Decisions, templates, the registry and statistics over HTTP: who sees
//! what, templates checked at save time, files served as attachments.

use crate::tests::start;
use reqwest::StatusCode;

thidua_store::engine_tests!(
    decisions_registry_and_statistics_keep_their_rules,
    |store| async move {
        let app = start(store).await;
        let decisions = store
            .decisions(Some("912/QĐ-TTg"), 5)
            .await
            .expect("decisions");
        let flag = decisions
            .first()
            .expect("the demo's Bằng khen Thủ tướng 2016")
            .id;

        // The province officer sees a decision about former Đắk Nông and prints it.
        let (hoa, _) = app.login("hoa.snv").await;
        let (status, page) = app.get(&hoa, &format!("/quyet-dinh/{flag}")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("Đắk Nông"), "{page}");
        let r = hoa
            .get(format!("{}/quyet-dinh/{flag}/quyet-dinh.pdf", app.base))
            .send()
            .await
            .expect("pdf");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .expect("ascii")
                .starts_with("attachment")
        );
        assert!(r.bytes().await.expect("body").starts_with(b"%PDF-"));
        // An officer of a Cao Bằng department does not see it.
        let (lan, _) = app.login("lan.stc").await;
        let (status, _) = app.get(&lan, &format!("/quyet-dinh/{flag}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // …and her registry search stays within her agency: no one of Lâm Đồng.
        let (_, page) = app.get(&lan, "/so-khen-thuong?q=nguyen+thi+hoa").await;
        assert!(!page.contains("1630/QĐ-UBND"), "{page}");
        let (_, page) = app.get(&hoa, "/so-khen-thuong?q=nguyen+thi+hoa").await;
        assert!(page.contains("1630/QĐ-UBND"), "{page}");
        // Bad filters are said, not failed on.
        let (status, page) = app.get(&hoa, "/thong-ke?tu_nam=2020&den_nam=2014").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("Năm bắt đầu phải trước năm kết thúc"),
            "{page}"
        );
        let (_, page) = app.get(&hoa, "/thong-ke?don_vi=99999").await;
        assert!(page.contains("không có đơn vị mã «99999»"), "{page}");
        let r = hoa
            .get(format!(
                "{}/thong-ke.xlsx?don_vi=67&ranh_gioi=legacy",
                app.base
            ))
            .send()
            .await
            .expect("xlsx");
        assert_eq!(r.status(), StatusCode::OK);
        let rows = thidua_sheets::read_first(&r.bytes().await.expect("body")).expect("an xlsx");
        assert!(rows[1][0].text().contains("tập thể"), "{rows:?}");

        // Templates: administrators only; an unknown placeholder is refused.
        let (status, _) = app.get(&hoa, "/quan-tri/mau-van-ban").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (admin, csrf) = app.login("admin").await;
        let (status, page) = app
            .get(&admin, "/quan-tri/mau-van-ban?loai=certificate")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("{ten}"), "{page}");
        let before = store
            .template_versions(thidua_domain::template::TemplateKind::Certificate, 10)
            .await
            .expect("versions")
            .len();
        app.post_form(
            &admin,
            "/quan-tri/mau-van-ban",
            &[
                ("_csrf", &csrf),
                ("kind", "certificate"),
                ("body", "@than\n# TẶNG\n## {ho_ten}"),
            ],
        )
        .await;
        let (_, page) = app
            .get(&admin, "/quan-tri/mau-van-ban?loai=certificate")
            .await;
        assert!(page.contains("trường «ho_ten» không có"), "{page}");
        let after = store
            .template_versions(thidua_domain::template::TemplateKind::Certificate, 10)
            .await
            .expect("versions")
            .len();
        assert_eq!(before, after, "nothing saved");
        // A good one previews as a PDF, then saves as a new version.
        let r = admin
            .post(format!("{}/quan-tri/mau-van-ban", app.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("kind", "certificate"),
                ("body", "@than\n# TẶNG\n## {ten}"),
                ("preview", "1"),
            ])
            .send()
            .await
            .expect("preview");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        app.post_form(
            &admin,
            "/quan-tri/mau-van-ban",
            &[
                ("_csrf", &csrf),
                ("kind", "certificate"),
                ("body", "@than\n# TẶNG\n## {ten}"),
            ],
        )
        .await;
        let latest = store
            .template(thidua_domain::template::TemplateKind::Certificate)
            .await
            .expect("template")
            .expect("saved");
        assert_eq!(latest.body, "@than\n# TẶNG\n## {ten}");
        assert_eq!(latest.created_by, "admin");
    }
);
