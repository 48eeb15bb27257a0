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
        // By movement (the sentence names it) and by kind of office.
        let (_, page) = app.get(&lan, "/thong-ke?phong_trao=KHONG-CO-2014").await;
        assert!(
            page.contains("Không có phong trào mã «KHONG-CO-2014»"),
            "{page}"
        );
        let (_, page) = app
            .get(
                &lan,
                "/thong-ke?tu_nam=2025&den_nam=2025&nguoi_qd=thu_truong_co_quan",
            )
            .await;
        assert!(page.contains("Theo người có thẩm quyền"), "{page}");
        assert!(page.contains("Thủ trưởng cơ quan, đơn vị"), "{page}");
        let (_, page) = app.get(&hoa, "/thong-ke?phong_trao=CD20-DNO-2022").await;
        assert!(
            page.contains("trong phong trào thi đua «Thi đua cao điểm"),
            "{page}"
        );
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

/// Hidden field `name`'s value in a page.
fn hidden(page: &str, name: &str) -> String {
    let at = page
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name} in {page}"));
    let rest = &page[at + name.len() + 15..];
    rest[..rest.find('"').expect("closing quote")].to_owned()
}

pub(crate) fn import_file(rows: &[[&str; 13]]) -> Vec<u8> {
    use thidua_sheets::{Cell, Sheet};
    let header = [
        "STT",
        "Đối tượng",
        "Họ và tên / Tên tập thể",
        "Ngày sinh",
        "Mã đơn vị",
        "Hình thức khen thưởng",
        "Cấp quyết định",
        "Số quyết định",
        "Ngày quyết định",
        "Từ năm",
        "Đến năm",
        "Thành tích",
        "Mã phong trào",
    ];
    thidua_sheets::write(&[Sheet {
        name: "Khen thưởng".into(),
        header: header.iter().map(|h| (*h).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::from(*c)).collect())
            .collect(),
    }])
    .expect("xlsx")
}

thidua_store::engine_tests!(
    historical_awards_are_imported_through_a_preview,
    |store| async move {
        let app = start(store).await;
        let (hoa, csrf) = app.login("hoa.snv").await;
        let (_, page) = app.get(&hoa, "/so-khen-thuong").await;
        assert!(page.contains("id=\"import-link\""), "{page}");
        let r = hoa
            .get(format!("{}/so-khen-thuong/nhap/mau.xlsx", app.base))
            .send()
            .await
            .expect("template");
        assert_eq!(r.status(), StatusCode::OK);
        let tpl = r.bytes().await.expect("body");
        let sheet = thidua_sheets::read_sheet(&tpl, "Khen thưởng").expect("the records sheet");
        assert_eq!(sheet.rows[0][5].text(), "Hình thức khen thưởng");

        let upload = |c: &reqwest::Client, bytes: Vec<u8>, csrf: &str| {
            let form = reqwest::multipart::Form::new()
                .text("_csrf", csrf.to_owned())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name("so-cu.xlsx"),
                );
            c.post(format!("{}/so-khen-thuong/nhap", app.base))
                .multipart(form)
                .send()
        };
        let good = [
            "1",
            "Cá nhân",
            "Nguyễn Thị Hoa",
            "08/03/1985",
            "",
            "BANG_KHEN_TINH",
            "Chủ tịch UBND tỉnh",
            "7001/QĐ-UBND",
            "15/06/2013",
            "",
            "",
            "",
            "",
        ];
        let bad = [
            "2",
            "Cá nhân",
            "Nguyễn Thị Hoa",
            "08/03/1985",
            "",
            "Bằng khen hạng Tư",
            "Chủ tịch UBND tỉnh",
            "7002/QĐ-UBND",
            "15/06/2013",
            "",
            "",
            "",
            "",
        ];
        // A file with a bad row: every problem listed, nothing written.
        let r = upload(&hoa, import_file(&[good, bad]), &csrf)
            .await
            .expect("upload");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.expect("page");
        assert!(page.contains("không có gì được ghi"), "{page}");
        assert!(page.contains("F – Hình thức khen thưởng"), "{page}");
        assert!(
            page.contains("«Bằng khen hạng Tư» không có trong danh mục"),
            "{page}"
        );
        assert!(!page.contains("confirm-form"), "{page}");

        // A clean file: a preview, then the confirmation writes it.
        let r = upload(&hoa, import_file(&[good]), &csrf)
            .await
            .expect("upload");
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.expect("page");
        assert!(page.contains("1 dòng sẽ được ghi"), "{page}");
        let (_, found) = app.get(&hoa, "/so-khen-thuong?q=nguyen+thi+hoa").await;
        assert!(!found.contains("7001/QĐ-UBND"), "a preview writes nothing");
        let (data, sha) = (hidden(&page, "data"), hidden(&page, "sha256"));
        // A file changed between preview and confirmation is refused.
        assert!(data.starts_with("504b"), "the zip's «PK»");
        let tampered = format!("51{}", &data[2..]);
        let confirm = |data: String| {
            let (app, hoa, csrf, sha) = (&app, &hoa, csrf.clone(), sha.clone());
            async move {
                app.post_form(
                    hoa,
                    "/so-khen-thuong/nhap/ghi",
                    &[
                        ("_csrf", &csrf),
                        ("file", "so-cu.xlsx"),
                        ("data", &data),
                        ("sha256", &sha),
                    ],
                )
                .await
                .0
            }
        };
        assert_eq!(confirm(tampered).await, StatusCode::BAD_REQUEST);
        let status = confirm(data).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, found) = app.get(&hoa, "/so-khen-thuong?q=nguyen+thi+hoa").await;
        assert!(found.contains("7001/QĐ-UBND"), "{found}");

        // A commune's officer may not import.
        let (yq, yq_csrf) = app.login("yquang.xa").await;
        let (_, page) = app.get(&yq, "/so-khen-thuong").await;
        assert!(!page.contains("id=\"import-link\""));
        let r = upload(&yq, import_file(&[good]), &yq_csrf)
            .await
            .expect("upload");
        assert!(!r.status().is_success());
        assert!(
            r.text()
                .await
                .expect("page")
                .contains("Chỉ bộ phận thi đua")
        );
    }
);

thidua_store::engine_tests!(
    a_block_shows_its_ranking_to_members_once_final,
    |store| async move {
        let app = start(store).await;
        let id = |year: i32| async move {
            store
                .cluster_by_code("CB-K1", year)
                .await
                .expect("q")
                .expect("the demo's block")
                .id
        };
        let (done, open) = (id(2025).await, id(2026).await);
        // Chị Lan's department heads the block: she sees it, its final
        // ranking with the chart and the leader proposed for the flag.
        let (lan, _) = app.login("lan.stc").await;
        let (_, page) = app.get(&lan, "/khoi-cum?nam=2025").await;
        assert!(page.contains("Khối các sở, ngành tổng hợp"), "{page}");
        let (status, page) = app.get(&lan, &format!("/khoi-cum/{done}")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(
            page.contains("Điểm của Sở Tài chính tỉnh Cao Bằng"),
            "{page}"
        );
        assert!(page.contains("100,2"), "{page}");
        assert!(page.contains("<svg class=\"chart\""), "{page}");
        assert!(
            page.contains(
                "đề nghị tặng Cờ thi đua của UBND tỉnh: <strong>Sở Tài chính tỉnh Cao Bằng</strong>"
            ),
            "{page}"
        );
        // While 2026 is being scored, members do not see others' scores.
        let (_, page) = app.get(&lan, &format!("/khoi-cum/{open}")).await;
        assert!(
            page.contains("Xếp hạng được công bố khi khối, cụm chốt điểm"),
            "{page}"
        );
        // A commune officer of Lâm Đồng is not in the block.
        let (yq, _) = app.login("yquang.xa").await;
        let (status, _) = app.get(&yq, &format!("/khoi-cum/{done}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, page) = app.get(&yq, "/khoi-cum?nam=2025").await;
        assert!(!page.contains("Khối các sở, ngành tổng hợp"), "{page}");
        // The administrator sees the open year's (empty) provisional ranking.
        let (admin, admin_csrf) = app.login("admin").await;
        let (_, page) = app.get(&admin, &format!("/khoi-cum/{open}")).await;
        assert!(page.contains("Xếp hạng (tạm, chưa chốt)"), "{page}");

        // Files: the sheet for every member; the results and the years'
        // ranking once final, not before.
        let (_, page) = app.get(&lan, &format!("/khoi-cum/{done}")).await;
        assert!(page.contains("Xếp hạng qua các năm"), "{page}");
        assert!(page.contains("1 (100,2)"), "{page}");
        for (path, status) in [
            (format!("/khoi-cum/{done}/ket-qua.xlsx"), StatusCode::OK),
            (format!("/khoi-cum/{open}/bang-diem.xlsx"), StatusCode::OK),
            (
                format!("/khoi-cum/{open}/ket-qua.xlsx"),
                StatusCode::NOT_FOUND,
            ),
        ] {
            let r = lan.get(format!("{}{path}", app.base)).send().await.unwrap();
            assert_eq!(r.status(), status, "{path}");
            if status == StatusCode::OK {
                assert!(r.bytes().await.unwrap().starts_with(b"PK"), "{path}");
            }
        }
        // Scoring forms are for their scorers only: Chị Mai (Sở Y tế) may
        // self-score her department, not Sở Tài chính, and cross-scores no one.
        let stc = crate::tests::unit_id(store, "CB.STC").await;
        let syt = crate::tests::unit_id(store, "CB.SYT").await;
        let (mai, mai_csrf) = app.login("mai.syt").await;
        for (path, status) in [
            (format!("/khoi-cum/{open}/cham/{syt}/self"), StatusCode::OK),
            (
                format!("/khoi-cum/{open}/cham/{stc}/self"),
                StatusCode::NOT_FOUND,
            ),
            (
                format!("/khoi-cum/{open}/cham/{stc}/head"),
                StatusCode::NOT_FOUND,
            ),
            (
                format!("/khoi-cum/{open}/cham/{syt}/final"),
                StatusCode::NOT_FOUND,
            ),
            (
                format!("/khoi-cum/{done}/cham/{syt}/self"),
                StatusCode::NOT_FOUND,
            ),
        ] {
            assert_eq!(app.get(&mai, &path).await.0, status, "{path}");
        }
        // A score without the form's token is refused.
        let form = reqwest::multipart::Form::new().text("v_I.1", "Hoàn thành tốt");
        let r = mai
            .post(format!("{}/khoi-cum/{open}/cham/{syt}/self", app.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // A bad amount comes back as typed, with the reason, and 422.
        let form = reqwest::multipart::Form::new()
            .text("_csrf", mai_csrf.clone())
            .text("v_I.2", "chín mươi")
            .text("ev_I.2", "Báo cáo 12/BC-SYT");
        let r = mai
            .post(format!("{}/khoi-cum/{open}/cham/{syt}/self", app.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("tiêu chí I.2: «chín mươi» không phải là số"),
            "{page}"
        );
        assert!(page.contains("value=\"Báo cáo 12/BC-SYT\""), "{page}");
        // A sheet that is not a workbook is refused; nothing changes.
        let form = reqwest::multipart::Form::new()
            .text("_csrf", admin_csrf.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"not a zip".to_vec()).file_name("x.xlsx"),
            );
        let r = admin
            .post(format!("{}/khoi-cum/{open}/bang-diem", app.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = app.get(&admin, &format!("/khoi-cum/{open}")).await;
        assert!(
            page.contains("Chưa ghi bảng điểm: không đọc được tệp Excel"),
            "{page}"
        );
        assert_eq!(store.cluster_sheet(open).await.unwrap().unwrap().version, 1);
        // The office copies 2026 to 2027; 2025 cannot be copied onto 2026.
        let copy = |from: i64| {
            let (admin, csrf) = (admin.clone(), admin_csrf.clone());
            let app = &app;
            async move {
                let r = admin
                    .post(format!("{}/khoi-cum/{from}/nam-sau", app.base))
                    .form(&[("_csrf", csrf.as_str())])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::SEE_OTHER);
                let to = r.headers()["location"].to_str().unwrap().to_owned();
                app.get(&admin, &to).await.1
            }
        };
        let page = copy(done).await;
        assert!(page.contains("đã có khối, cụm mã CB-K1 năm 2026"), "{page}");
        let page = copy(open).await;
        assert!(
            page.contains("Khối các sở, ngành tổng hợp năm 2027"),
            "{page}"
        );
        assert!(
            page.contains("Sở Nội vụ tỉnh Cao Bằng — Trưởng khối, cụm"),
            "{page}"
        );
    }
);

thidua_store::engine_tests!(who_is_due_is_answered_in_scope, |store| async move {
    let app = start(store).await;
    // The same server once the registry's snapshot is built.
    let slot = thidua_app::sweep::SnapshotSlot::default();
    slot.build(store).await.expect("snapshot");
    let fast = crate::spawn(
        store.clone(),
        crate::WebConfig {
            logins_per_minute: 1000,
            snapshot: slot,
            ..crate::WebConfig::default()
        },
    )
    .await
    .expect("spawn");
    let fast = crate::tests::TestApp {
        base: format!("http://{fast}"),
    };
    let rows = |page: &str| page.matches("<tr class=\"due\">").count();
    let (hoa, _) = app.login("hoa.snv").await;
    let (hoa_fast, _) = fast.login("hoa.snv").await;
    let (_, registry) = app.get(&hoa, "/so-khen-thuong").await;
    assert!(
        registry.contains("/so-khen-thuong/du-dieu-kien"),
        "linked from the registry"
    );
    let mut listed = 0;
    for form in [
        "LAO_DONG_TIEN_TIEN",
        "CHIEN_SI_THI_DUA_CO_SO",
        "BANG_KHEN_TINH",
    ] {
        for year in ["2024", "2025"] {
            let path = format!("/so-khen-thuong/du-dieu-kien?hinh_thuc={form}&nam={year}");
            let (status, slow_page) = app.get(&hoa, &path).await;
            assert_eq!(status, StatusCode::OK, "{slow_page}");
            assert!(slow_page.contains("Đã xét"), "{slow_page}");
            assert!(
                slow_page.contains("xét từng người"),
                "no snapshot yet: {slow_page}"
            );
            let (_, fast_page) = fast.get(&hoa_fast, &path).await;
            assert!(!fast_page.contains("xét từng người"), "{fast_page}");
            let summary = |p: &str| {
                p.split("id=\"due-summary\">")
                    .nth(1)
                    .and_then(|s| s.split("</p>").next())
                    .map(str::to_owned)
            };
            assert_eq!(summary(&slow_page), summary(&fast_page), "{path}");
            assert_eq!(rows(&slow_page), rows(&fast_page), "{path}");
            listed += rows(&fast_page);
        }
    }
    assert!(listed > 0, "the demo has people who are due");
    // Nonsense is said on the page; another unit is out of an officer's reach.
    let (_, page) = fast
        .get(
            &hoa_fast,
            "/so-khen-thuong/du-dieu-kien?hinh_thuc=LAO_DONG_TIEN_TIEN&nam=20x5",
        )
        .await;
    assert!(page.contains("không hợp lệ"), "{page}");
    let (lan, _) = fast.login("lan.stc").await;
    let (status, _) = fast
        .get(
            &lan,
            "/so-khen-thuong/du-dieu-kien?hinh_thuc=LAO_DONG_TIEN_TIEN&nam=2025&don_vi=24615",
        )
        .await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
        "{status}"
    );
});
