//! Eligibility over HTTP: the contract's check with typed errors, and the
//! annual review — scope, proposals from the registry, reasons, the audit.

use crate::tests::{start, unit_id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CONTRACT: &str = r#"{ "subject": {"kind": "individual"},
  "proposed": "CHIEN_SI_THI_DUA_TINH", "year": 2024, "decision_date": "2025-12-15",
  "history": {
    "ratings": [{"year": 2022, "rating": "HTXSNV"}, {"year": 2023, "rating": "HTXSNV"}, {"year": 2024, "rating": "HTXSNV"}],
    "titles": [{"year": 2022, "code": "CHIEN_SI_THI_DUA_CO_SO"}, {"year": 2023, "code": "CHIEN_SI_THI_DUA_CO_SO"}, {"year": 2024, "code": "CHIEN_SI_THI_DUA_CO_SO"}],
    "initiatives": [{"year": 2024, "scope": "tinh", "used_by": null}],
    "employment": {"start": "2019-09-01"} } }"#;

fn line<'a>(review: &'a Value, name: &str) -> &'a Value {
    review["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["person_name"] == name)
        .unwrap_or_else(|| panic!("{name} in {review}"))
}

thidua_store::engine_tests!(the_check_contract_over_http, |store| async move {
    let app = start(store).await;
    let (c, csrf) = app.login("hoa.snv").await;
    let contract: Value = serde_json::from_str(CONTRACT).expect("json");
    let post = |body: Value| {
        let c = c.clone();
        let csrf = csrf.clone();
        let app = &app;
        async move {
            app.api(
                &c,
                Method::POST,
                "/api/v1/eligibility/check",
                &csrf,
                Some(body),
            )
            .await
        }
    };
    let (status, v) = post(contract.clone()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["verdict"], "eligible", "{v}");
    assert!(
        v["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .any(|c| c["article"].as_str().unwrap_or("").contains("Điều 22")),
        "{v}"
    );

    let mut bad = contract.clone();
    bad["proposed"] = json!("BANG_KHEN_HUYEN");
    let (status, e) = post(bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "proposed", "{e}");

    let mut twice = contract.clone();
    twice["history"]["ratings"][1]["year"] = json!(2022);
    let (status, e) = post(twice).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "history.ratings[1].year", "{e}");

    // Nobody signed in: 401, typed.
    let anon = reqwest::Client::new();
    let (status, e) = app
        .api(
            &anon,
            Method::POST,
            "/api/v1/eligibility/check",
            "",
            Some(contract),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{e}");
});

thidua_store::engine_tests!(the_annual_review_over_http, |store| async move {
    let app = start(store).await;
    let commune = unit_id(store, "24615").await;
    let (yq, ycsrf) = app.login("yquang.xa").await;
    let (other, ocsrf) = app.login("son.xa").await;
    let (viewer, vcsrf) = app.login("xem").await;

    // Another commune's officer and a viewer cannot open it.
    for (c, csrf) in [(&other, &ocsrf), (&viewer, &vcsrf)] {
        let (status, e) = app
            .api(
                c,
                Method::POST,
                "/api/v1/reviews",
                csrf,
                Some(json!({"unit_id": commune, "year": 2026})),
            )
            .await;
        assert!(
            matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{status} {e}"
        );
    }
    let (status, r) = app
        .api(
            &yq,
            Method::POST,
            "/api/v1/reviews",
            &ycsrf,
            Some(json!({"unit_id": commune, "year": 2026})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let id = r["review"]["id"].as_i64().expect("id");
    assert_eq!(
        r["lines"].as_array().expect("lines").len(),
        10,
        "the unit and nine people"
    );
    assert_eq!(
        r["lines"][0]["person_id"],
        Value::Null,
        "the unit's line first"
    );
    let hhen = line(&r, "H'Hen Niê");
    assert_eq!(
        (hhen["proposed"].as_str(), hhen["outcome"].as_str()),
        (Some("CHIEN_SI_THI_DUA_CO_SO"), Some("eligible"))
    );
    let toan = line(&r, "Trần Văn Toàn");
    assert_eq!(
        toan["proposed"], "CHIEN_SI_THI_DUA_CO_SO",
        "HTTNV with an initiative: {toan}"
    );
    for (name, why) in [
        ("Nguyễn Văn Bảo", "hoàn thành nhiệm vụ"),
        ("Lê Thị Thu", "khiển trách"),
        ("Phạm Minh Đức", "tháng"),
    ] {
        let l = line(&r, name);
        assert_eq!(l["outcome"], "not_eligible", "{l}");
        assert!(
            l["checked"]["checks"].to_string().contains(why),
            "{name}: {l}"
        );
    }
    assert!(
        line(&r, "Phạm Minh Đức")["checked"]["uncertain"]
            .to_string()
            .contains("ldtt.min_months_worked")
    );

    // Out of scope, a review does not exist.
    let (status, _) = app
        .api(
            &other,
            Method::GET,
            &format!("/api/v1/reviews/{id}"),
            "",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Opening it twice is a conflict.
    let (status, _) = app
        .api(
            &yq,
            Method::POST,
            "/api/v1/reviews",
            &ycsrf,
            Some(json!({"unit_id": commune, "year": 2026})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Proposing Bảo against the engine needs a reason, which the audit keeps.
    let bao = line(&r, "Nguyễn Văn Bảo")["id"].as_i64().expect("line");
    let path = format!("/api/v1/reviews/{id}/lines/{bao}");
    let (status, e) = app
        .api(
            &yq,
            Method::POST,
            &path,
            &ycsrf,
            Some(json!({"want": "propose"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "reason");
    let reason = "Hoàn thành xuất sắc nhiệm vụ phòng chống lũ tháng 8";
    let (status, r) = app
        .api(
            &yq,
            Method::POST,
            &path,
            &ycsrf,
            Some(json!({"want": "propose", "reason": reason})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(line(&r, "Nguyễn Văn Bảo")["decision"], "overridden");
    let (admin, _) = app.login("admin").await;
    let (_, audit) = app
        .api(
            &admin,
            Method::GET,
            "/api/v1/audit?action=review.line",
            "",
            None,
        )
        .await;
    assert!(audit.to_string().contains(reason), "{audit}");
    assert!(audit.to_string().contains("yquang.xa"), "{audit}");

    // A bad rating code is refused with its field.
    let (status, e) = app
        .api(
            &yq,
            Method::POST,
            &path,
            &ycsrf,
            Some(json!({"rating": "GIOI"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    // Lines undecided: no list yet.
    let (status, e) = app
        .api(
            &yq,
            Method::POST,
            &format!("/api/v1/reviews/{id}/close"),
            &ycsrf,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("chưa quyết định"),
        "{e}"
    );
});

thidua_store::engine_tests!(
    the_catalogue_is_data_the_administrator_versions,
    |store| async move {
        let app = start(store).await;
        let (admin, csrf) = app.login("admin").await;
        let (_, page) = app.get(&admin, "/quan-tri/danh-muc").await;
        assert!(
            page.contains("Huân chương Lao động hạng Ba"),
            "shipped catalogue loaded"
        );
        assert!(
            page.contains("Chủ tịch UBND cấp xã"),
            "the version from 01/07/2025 is in force"
        );
        let before = store.catalogue_versions().await.expect("versions").len();

        let block = "[[entry]]\ncode = \"LAO_DONG_TIEN_TIEN\"\neffective_from = \"2026-10-01\"\nname = \"Lao động tiên tiến\"\n\
        category = \"title\"\nsubjects = [\"individual\"]\nauthorities = [\"thu_truong_co_quan\", \"chu_tich_ubnd_xa\"]\n\
        level = \"co_so\"\naward_types = [\"regular\"]\nbonus_multiple = 0.35\nbonus_confirmed = false\narticle = \"Điều 24\"\n";
        // One bad block among good ones: nothing is written, the entry is named.
        let bad = format!(
            "{block}\n{}",
            block
                .replace("2026-10-01", "2026-10-02")
                .replace("co_so", "huyen")
        );
        let (status, _) = app
            .post_form(
                &admin,
                "/quan-tri/danh-muc",
                &[("toml", bad.as_str()), ("_csrf", &csrf)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = app.get(&admin, "/quan-tri/danh-muc").await;
        assert!(page.contains("mục 2 (LAO_DONG_TIEN_TIEN)"), "{page}");
        assert_eq!(store.catalogue_versions().await.expect("v").len(), before);

        app.post_form(
            &admin,
            "/quan-tri/danh-muc",
            &[("toml", block), ("_csrf", &csrf)],
        )
        .await;
        let (_, page) = app.get(&admin, "/quan-tri/danh-muc").await;
        assert!(page.contains("Đã thêm 1 phiên bản"), "{page}");
        assert!(
            page.contains("0,35 (chưa xác nhận)"),
            "the new multiple, marked unconfirmed"
        );
        assert_eq!(
            store.catalogue_versions().await.expect("v").len(),
            before + 1
        );

        // A quota needs its source; the province officer may not edit any of it.
        let (status, _) = app
            .post_form(
                &admin,
                "/quan-tri/danh-muc/gioi-han",
                &[
                    ("code", "CHIEN_SI_THI_DUA_CO_SO"),
                    ("max_percent", "15"),
                    ("of", "LAO_DONG_TIEN_TIEN"),
                    ("source", "Quy chế TĐKT tỉnh"),
                    ("_csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(store.quotas().await.expect("quotas").len(), 1);
        let (officer, ocsrf) = app.login("hoa.snv").await;
        let (status, _) = app.get(&officer, "/quan-tri/danh-muc").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app
            .post_form(
                &officer,
                "/quan-tri/danh-muc",
                &[("toml", block), ("_csrf", &ocsrf)],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);
