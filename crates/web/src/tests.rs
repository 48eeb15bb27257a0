//! The app started for real on a random port, against a fresh database of
//! each engine holding the official units.

use thidua_app::admin_units;
use thidua_store::Store;

async fn start(store: &Store) -> String {
    admin_units::import(
        store,
        &thidua_store::Who::system("test"),
        &admin_units::embedded_files(),
        &|_| {},
    )
    .await
    .expect("import");
    let addr = crate::spawn(store.clone()).await.expect("spawn");
    format!("http://{addr}")
}

async fn get(url: &str) -> (u16, String) {
    let r = reqwest::get(url).await.expect("request");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

thidua_store::engine_tests!(the_tree_page_follows_the_date, |store| async move {
    let base = start(store).await;
    let (s, body) = get(&format!("{base}/healthz")).await;
    assert_eq!((s, body.as_str()), (200, "ok"));
    let (s, before) = get(&format!("{base}/to-chuc?ngay=2025-06-30")).await;
    assert_eq!(s, 200);
    assert!(before.contains("63 tỉnh, thành phố"), "{before}");
    assert!(before.contains("Tỉnh Đắk Nông"));
    let (_, after) = get(&format!("{base}/to-chuc?ngay=01/07/2025")).await;
    assert!(after.contains("34 tỉnh, thành phố"));
    assert!(!after.contains("Tỉnh Đắk Nông"));
    let (s, bad) = get(&format!("{base}/to-chuc?ngay=31/02/2025")).await;
    assert_eq!(s, 400);
    assert!(bad.contains("ngày không hợp lệ"), "{bad}");
});

thidua_store::engine_tests!(
    a_former_commune_shows_its_chain_and_what_it_became,
    |store| async move {
        let base = start(store).await;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let r = client
            .get(format!("{base}/to-chuc/ma?ma=24618&ngay=2024-01-01"))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status().as_u16(), 303);
        let loc = r.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        let (s, page) = get(&format!("{base}{loc}")).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("Xã Đắk R&#39;Moan") || page.contains("Xã Đắk R&#x27;Moan"),
            "{page}"
        );
        let crumbs = page.split("<h1>").next().expect("head");
        let gia_nghia = crumbs
            .find("Thành phố Gia Nghĩa")
            .expect("district in breadcrumb");
        let dak_nong = crumbs
            .find("Tỉnh Đắk Nông")
            .expect("province in breadcrumb");
        assert!(dak_nong < gia_nghia, "root first");
        assert!(page.contains("Phường Nam Gia Nghĩa"), "successor listed");
        assert!(!page.contains("không còn tồn tại"));

        let id = loc
            .trim_start_matches("/to-chuc/")
            .split('?')
            .next()
            .expect("id");
        let (_, later) = get(&format!("{base}/to-chuc/{id}?ngay=2025-07-01")).await;
        assert!(
            later.contains("không còn tồn tại vào ngày 01/07/2025"),
            "{later}"
        );
        let notice = later
            .split("id=\"da-thay-doi\"")
            .nth(1)
            .expect("notice")
            .split("</section>")
            .next()
            .expect("end");
        assert!(notice.contains("Phường Nam Gia Nghĩa"));
        assert!(notice.contains("thuộc Tỉnh Lâm Đồng"), "{notice}");
    }
);

thidua_store::engine_tests!(
    bad_ids_and_unknown_codes_get_a_vietnamese_page,
    |store| async move {
        let base = start(store).await;
        for path in [
            "/to-chuc/abc",
            "/to-chuc/999999999",
            "/to-chuc/ma?ma=%27%20or%201%3D1--",
            "/khong-co",
        ] {
            let (s, body) = get(&format!("{base}{path}")).await;
            assert_eq!(s, 404, "{path}");
            assert!(body.contains("Không tìm thấy"), "{path}: {body}");
        }
        let (s, body) = get(&format!(
            "{base}/ca-nhan?q=%3Cscript%3Ealert(1)%3C/script%3E"
        ))
        .await;
        assert_eq!(s, 200);
        assert!(!body.contains("<script>alert(1)"), "query is escaped");
        assert!(
            body.contains("&#60;script&#62;") || body.contains("&lt;script&gt;"),
            "{body}"
        );
    }
);
