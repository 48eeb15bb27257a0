//! Movements over HTTP: who may enter, approve and see what; uploads that
//! are refused whole with their rows; the API's report and value entry.

use crate::tests::{TestApp, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use thidua_sheets::{Cell, Sheet};

const M: &str = "/phong-trao/NTM-LD-2026";

async fn count(app: &TestApp, c: &reqwest::Client) -> f64 {
    let (status, r) = app
        .api(
            c,
            Method::GET,
            "/api/v1/movements/NTM-LD-2026/report",
            "",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["figures"][0]["rollup"], "count_ge_1");
    r["figures"][0]["value"].as_f64().expect("a count")
}

fn criteria_rows(met: usize) -> Vec<Value> {
    (1..=19)
        .map(|i| {
            json!({"unit_code": "24616", "period": "2026", "indicator": format!("TC{i:02}"),
                   "value": if i <= met { "Đạt" } else { "Không đạt" }})
        })
        .collect()
}

thidua_store::engine_tests!(
    entering_and_approving_follow_the_levels,
    |store| async move {
        let app = start(store).await;
        let (province, pcsrf) = app.login("hoa.snv").await;
        let (commune, ccsrf) = app.login("son.xa").await;
        let before = count(&app, &province).await;

        // A bad row refuses the whole request, with its line and field.
        let mut rows = criteria_rows(19);
        rows[4]["value"] = json!("có lẽ");
        rows.push(json!({"unit_code": "24615", "period": "2026", "indicator": "TC01", "value": 1}));
        let (status, err) = app
            .api(
                &commune,
                Method::POST,
                "/api/v1/movements/NTM-LD-2026/values",
                &ccsrf,
                Some(json!({"values": rows})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        let problems = err["error"]["problems"].as_array().expect("problems");
        assert_eq!(problems.len(), 2, "{err}");
        assert_eq!(problems[0]["line"], 5);
        assert_eq!(problems[0]["column_name"], "Giá trị");
        assert_eq!(problems[1]["line"], 20);
        assert!(
            problems[1]["message"]
                .as_str()
                .unwrap()
                .contains("không thuộc cấp nhập"),
            "a phường"
        );
        let (_, page) = app.get(&province, &format!("{M}/duyet")).await;
        assert!(!page.contains("Xã Quảng Sơn"), "nothing was stored");

        // Without the CSRF header a cookie session cannot write.
        let (status, _) = app
            .api(
                &commune,
                Method::POST,
                "/api/v1/movements/NTM-LD-2026/values",
                "",
                Some(json!({"values": criteria_rows(19)})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (status, r) = app
            .api(
                &commune,
                Method::POST,
                "/api/v1/movements/NTM-LD-2026/values",
                &ccsrf,
                Some(json!({"values": criteria_rows(19)})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(r["inserted"], 19);
        let (_, home) = app.get(&province, "/").await;
        assert!(
            home.contains("Duyệt số liệu") && home.contains("19 giá trị chỉ tiêu"),
            "the province sees what waits on it"
        );
        let (_, home) = app.get(&commune, "/").await;
        assert!(
            !home.contains("Duyệt số liệu"),
            "the xã does not approve its own"
        );

        // The xã cannot approve its own values; the province can.
        let unit = crate::tests::unit_id(store, "24616").await.to_string();
        let (status, _) = app
            .post_form(
                &commune,
                &format!("{M}/duyet"),
                &[
                    ("unit", &unit),
                    ("period", "2026"),
                    ("decision", "approve"),
                    ("_csrf", &ccsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            count(&app, &province).await,
            before,
            "submitted values do not count yet"
        );
        let (status, _) = app
            .post_form(
                &province,
                &format!("{M}/duyet"),
                &[
                    ("unit", &unit),
                    ("period", "2026"),
                    ("decision", "return"),
                    ("reason", ""),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "returning needs a reason");
        let (status, _) = app
            .post_form(
                &province,
                &format!("{M}/duyet"),
                &[
                    ("unit", &unit),
                    ("period", "2026"),
                    ("decision", "approve"),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(count(&app, &province).await, before + 1.0);

        // Approved values are locked: changing one is refused until reopened.
        let (status, err) = app
            .api(
                &commune,
                Method::POST,
                "/api/v1/movements/NTM-LD-2026/values",
                &ccsrf,
                Some(json!({"values": criteria_rows(18)})),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{err}");

        // The phường officer has no xã to enter for; the viewer sees figures.
        let (ward, _) = app.login("yquang.xa").await;
        let (status, _) = app.get(&ward, &format!("{M}/nhap-lieu")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (viewer, _) = app.login("xem").await;
        let (status, page) = app.get(&viewer, &format!("{M}/bao-cao")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("<svg") && page.contains("Toàn tỉnh có"),
            "chart and sentence"
        );
        // A province officer of Lâm Đồng may not read Cao Bằng's dashboard.
        let cao_bang = crate::tests::unit_id(store, "04").await.to_string();
        let (status, _) = app
            .get(
                &province,
                &format!("/phong-trao/NTM-CB-2016/bao-cao?don_vi={cao_bang}&ngay=2018-12-31"),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
);

thidua_store::engine_tests!(
    an_uploaded_sheet_lands_whole_or_not_at_all,
    |store| async move {
        let app = start(store).await;
        let (commune, csrf) = app.login("son.xa").await;
        // The generated template opens and lists the xã's 19 criteria.
        let r = commune
            .get(format!("{}{M}/mau-nhap-lieu.xlsx?ky=2026", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let template = thidua_sheets::read_first(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(template.len(), 20, "header and 19 criteria");
        assert_eq!(template[1][0].text(), "24616");

        let sheet = |bad: bool| {
            let mut rows: Vec<Vec<Cell>> = template[1..]
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    r[6] = Cell::Text("Đạt".into());
                    r
                })
                .collect();
            if bad {
                rows[1][6] = Cell::Number(7.0);
            }
            thidua_sheets::write(&[Sheet {
                name: "Số liệu".into(),
                header: template[0].iter().map(Cell::text).collect(),
                rows,
            }])
            .unwrap()
        };
        let upload = |bytes: Vec<u8>| {
            let form = reqwest::multipart::Form::new()
                .text("_csrf", csrf.clone())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name("so-lieu.xlsx"),
                );
            commune
                .post(format!("{}{M}/tai-len", app.base))
                .multipart(form)
                .send()
        };
        let r = upload(sheet(true)).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("so-lieu.xlsx: dòng 3, cột 7 (Giá trị)"),
            "{page}"
        );
        let (_, entry) = app.get(&commune, &format!("{M}/nhap-lieu")).await;
        assert!(!entry.contains("Chờ duyệt"), "nothing stored");

        let r = upload(sheet(false)).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, entry) = app.get(&commune, &format!("{M}/nhap-lieu")).await;
        assert_eq!(entry.matches("Chờ duyệt").count(), 19);
    }
);

thidua_store::engine_tests!(
    drafts_stay_with_the_province_and_files_round_trip,
    |store| async move {
        let app = start(store).await;
        let (province, pcsrf) = app.login("hoa.snv").await;
        let (status, _) = app
            .post_form(
                &province,
                "/phong-trao/moi",
                &[
                    ("code", "NTM-LD-2027"),
                    ("name", "Lâm Đồng chung sức xây dựng nông thôn mới năm 2027"),
                    ("kind", "campaign"),
                    ("level", "province"),
                    ("authority", "68"),
                    ("start", "01/01/2027"),
                    ("end", "31/12/2027"),
                    ("indicator_set", "nong-thon-moi-2021-2025"),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, page) = app
            .post_form(
                &province,
                "/phong-trao/moi",
                &[
                    ("code", "X"),
                    ("name", "Sai"),
                    ("kind", "campaign"),
                    ("level", "province"),
                    ("start", "hôm nay"),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("mã phong trào không hợp lệ"), "{page}");

        let (commune, _) = app.login("son.xa").await;
        let (status, _) = app.get(&commune, "/phong-trao/NTM-LD-2027").await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "a draft is not shown to units"
        );
        let (_, list) = app
            .api(&commune, Method::GET, "/api/v1/movements", "", None)
            .await;
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|m| m["code"] != "NTM-LD-2027")
        );
        let (status, _) = app
            .post_form(
                &commune,
                "/phong-trao/moi",
                &[
                    ("code", "XA-1"),
                    ("name", "x"),
                    ("kind", "campaign"),
                    ("level", "commune"),
                    ("start", "01/01/2027"),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Launch, then the definition file comes back as TOML naming its 21 indicators.
        for s in ["launched", "running"] {
            let (status, _) = app
                .post_form(
                    &province,
                    "/phong-trao/NTM-LD-2027/trang-thai",
                    &[("status", s), ("_csrf", &pcsrf)],
                )
                .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
        }
        let (status, _) = app
            .post_form(
                &province,
                "/phong-trao/NTM-LD-2027/trang-thai",
                &[
                    ("status", "final_review"),
                    ("held_on", ""),
                    ("report", ""),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "a review needs its date and report"
        );
        let (status, toml) = app
            .get(&province, "/phong-trao/NTM-LD-2027/dinh-nghia.toml")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(toml.matches("[[indicators]]").count(), 21);
        let (_, page) = app.get(&commune, "/phong-trao/NTM-LD-2027").await;
        assert!(page.contains("Đang triển khai"));
        assert!(
            page.contains("Chưa đăng ký trong phạm vi của bạn"),
            "the xã sees it has not registered"
        );
    }
);

thidua_store::engine_tests!(
    twinning_pairs_and_activities_are_recorded_in_scope,
    |store| async move {
        let app = start(store).await;
        let (province, pcsrf) = app.login("hoa.snv").await;
        let k = "/phong-trao/KN-DNO-2021/ket-nghia";
        let form = |village: &'static str| -> Vec<(&'static str, String)> {
            vec![
                ("org", "LD.SNV".into()),
                ("village", village.into()),
                ("since", "01/01/2026".into()),
                ("_csrf", pcsrf.clone()),
            ]
        };
        let post = |f: Vec<(&'static str, String)>| async {
            let f = f;
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&province, k, &pairs).await
        };
        let (status, page) = post(form("24616")).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "a commune is not a village"
        );
        assert!(page.contains("phải là một thôn, bon, buôn"), "{page}");
        let (status, _) = post(form("V24616.B1")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (commune, ccsrf) = app.login("son.xa").await;
        let (status, _) = app
            .post_form(
                &commune,
                k,
                &[
                    ("org", "LD.SNV"),
                    ("village", "V24616.B1"),
                    ("since", "01/01/2026"),
                    ("_csrf", &ccsrf),
                ],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "a xã cannot record for the department"
        );

        let (_, page) = app.get(&province, k).await;
        let id = page
            .split("/ket-nghia/")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .expect("the new pair's activity form")
            .to_owned();
        let act = format!("{k}/{id}/hoat-dong");
        let (status, _) = app
            .post_form(
                &province,
                &act,
                &[
                    ("held_on", "15/03/2026"),
                    ("visits", "-1"),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = app
            .post_form(
                &province,
                &act,
                &[
                    ("held_on", "15/03/2026"),
                    ("visits", "2"),
                    ("people", "40"),
                    ("money", "10.000.000"),
                    ("built", "1"),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = app.get(&province, k).await;
        assert!(page.contains("10 triệu đồng"), "{page}");
        let (_, log) = app
            .api(
                &app.login("admin").await.0,
                Method::GET,
                "/api/v1/audit?action=twinning.activity",
                "",
                None,
            )
            .await;
        assert!(log.to_string().contains("twinning.activity"), "{log}");
    }
);

thidua_store::engine_tests!(
    another_provinces_officer_never_sees_a_draft,
    |store| async move {
        let app = start(store).await;
        let (province, pcsrf) = app.login("hoa.snv").await;
        let (status, _) = app
            .post_form(
                &province,
                "/phong-trao/moi",
                &[
                    ("code", "NTM-LD-2027"),
                    ("name", "Lâm Đồng chung sức xây dựng nông thôn mới năm 2027"),
                    ("kind", "campaign"),
                    ("level", "province"),
                    ("authority", "68"),
                    ("start", "01/01/2027"),
                    ("_csrf", &pcsrf),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let today = crate::pages::today_vn();
        let cao_bang = store
            .resolve_code("04", None, today)
            .await
            .expect("resolve")
            .expect("Cao Bằng");
        thidua_app::auth::create_user(
            store,
            &thidua_store::Who::system("test"),
            "an.cb",
            "Hoàng Văn An",
            thidua_domain::policy::Role::ProvinceOfficer,
            Some(cao_bang.id),
            thidua_app::demo::DEMO_PASSWORD,
        )
        .await
        .expect("account");
        let (other, _) = app.login("an.cb").await;
        let (status, _) = app.get(&other, "/phong-trao/NTM-LD-2027").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, page) = app.get(&other, "/phong-trao").await;
        assert!(!page.contains("NTM-LD-2027"), "the list leaks the draft");
        let (_, page) = app.get(&other, "/phong-trao?trang_thai=draft").await;
        assert!(!page.contains("NTM-LD-2027"), "the filter leaks the draft");
        let (_, list) = app
            .api(&other, Method::GET, "/api/v1/movements", "", None)
            .await;
        assert!(
            list.as_array()
                .expect("list")
                .iter()
                .all(|m| m["code"] != "NTM-LD-2027"),
            "the API leaks the draft"
        );
        // Its own officer still sees it everywhere.
        let (_, page) = app.get(&province, "/phong-trao").await;
        assert!(page.contains("NTM-LD-2027"));
    }
);
