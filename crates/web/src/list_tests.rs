//! Every list narrows by a unit's subtree (typed by name, on either map),
//! a year and a status, says what it cannot read beside the filters, and
//! exports to Excel exactly what it shows.

use crate::tests::{TestApp, csrf_of, start};
use reqwest::{Client, StatusCode};

/// The rows of a list's export (header excluded), as text.
async fn exported(app: &TestApp, c: &Client, path: &str) -> Vec<Vec<String>> {
    let r = c
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment"),
        "{path} is a file"
    );
    let bytes = r.bytes().await.expect("body");
    let sheet = thidua_sheets::read_first(&bytes).expect("an XLSX");
    sheet
        .iter()
        .skip(1)
        .map(|r| r.iter().map(|c| c.text()).collect())
        .collect()
}

/// How many rows a list's table shows (the empty list's one line aside).
fn shown(page: &str, table: &str) -> usize {
    let start = page
        .find(&format!("id=\"{table}\""))
        .unwrap_or_else(|| panic!("table {table} in {page}"));
    let body = &page[start..];
    let body = &body[..body.find("</table>").unwrap_or(body.len())];
    body.matches("<tr").count() - 1 - usize::from(body.contains("colspan"))
}

thidua_store::engine_tests!(
    movements_filter_by_unit_year_and_status,
    |store| async move {
        let app = start(store).await;
        let (hoa, _) = app.login("hoa.snv").await;
        let (_, page) = app.get(&hoa, "/phong-trao?nam=2016").await;
        assert!(page.contains("NTM-CB-2016"), "{page}");
        assert!(!page.contains("NTM-LD-2026"), "2026 is not 2016: {page}");
        let rows = exported(&app, &hoa, "/phong-trao?nam=2016&xuat=xlsx").await;
        assert_eq!(rows.len(), shown(&page, "movements"), "{rows:?}");
        // A province that is no more is still found by its name.
        let (_, page) = app
            .get(&hoa, "/phong-trao?don_vi=tinh+dak+nong&trang_thai=closed")
            .await;
        assert!(page.contains("CD20-DNO-2022"), "{page}");
        assert!(!page.contains("NTM-DNO-2021"), "still running: {page}");
        assert!(!page.contains("NTM-CB-2016"), "Cao Bằng's: {page}");
        let (status, page) = app.get(&hoa, "/phong-trao?nam=hai-nghin").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("id=\"filter-error\""), "{page}");
        assert!(page.contains("Năm «hai-nghin» không hợp lệ."), "{page}");
    }
);

thidua_store::engine_tests!(people_filter_by_unit_year_and_status, |store| async move {
    let app = start(store).await;
    let (hoa, _) = app.login("hoa.snv").await;
    let (_, page) = app.get(&hoa, "/ca-nhan?don_vi=phuong+nam+gia+nghia").await;
    assert!(page.contains("H&#39;Hen Niê"), "{page}");
    let n = shown(&page, "people");
    assert!(n >= 2, "{page}");
    let rows = exported(&app, &hoa, "/ca-nhan?don_vi=phuong+nam+gia+nghia&xuat=xlsx").await;
    assert_eq!(rows.len(), n);
    assert!(rows.iter().any(|r| r[0] == "H'Hen Niê"), "{rows:?}");
    // Nobody of the ward has left it.
    let (_, page) = app
        .get(
            &hoa,
            "/ca-nhan?don_vi=phuong+nam+gia+nghia&trang_thai=da-thoi",
        )
        .await;
    assert_eq!(shown(&page, "people"), 0, "{page}");
    // A name and a year before anyone was recorded there: nobody.
    let (_, page) = app.get(&hoa, "/ca-nhan?q=hhen&nam=2001").await;
    assert!(!page.contains("H&#39;Hen Niê"), "{page}");
    // Her name alone still finds her, typo and all.
    let (_, page) = app.get(&hoa, "/ca-nhan?q=hhen+nie").await;
    assert!(page.contains("H&#39;Hen Niê"), "{page}");
    let (_, page) = app.get(&hoa, "/ca-nhan?trang_thai=nghi-huu").await;
    assert!(page.contains("id=\"filter-error\""), "{page}");
});

thidua_store::engine_tests!(
    reviews_and_the_to_do_list_filter_and_export,
    |store| async move {
        let app = start(store).await;
        let (yq, _) = app.login("yquang.xa").await;
        let (_, page) = app.get(&yq, "/binh-xet").await;
        let unit = page
            .split("name=\"unit\" required value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("his commune by default")
            .to_owned();
        let csrf = csrf_of(&page);
        let (status, _) = app
            .post_form(
                &yq,
                "/binh-xet",
                &[("_csrf", &csrf), ("unit", &unit), ("year", "2025")],
            )
            .await;
        assert!(status.is_success() || status.is_redirection(), "{status}");
        let (_, page) = app.get(&yq, "/binh-xet?nam=2025&trang_thai=dang").await;
        assert_eq!(shown(&page, "reviews"), 1, "{page}");
        let (_, page) = app.get(&yq, "/binh-xet?nam=2024").await;
        assert_eq!(shown(&page, "reviews"), 0, "{page}");
        let (_, page) = app.get(&yq, "/binh-xet?trang_thai=da-chot").await;
        assert_eq!(shown(&page, "reviews"), 0, "{page}");
        let rows = exported(&app, &yq, "/binh-xet?nam=2025&xuat=xlsx").await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0][1], "2025");
        assert_eq!(rows[0][2], "Đang bình xét");
        // The province sees it under the ward's name; a Cao Bằng officer does not.
        let (hoa, _) = app.login("hoa.snv").await;
        let (_, page) = app.get(&hoa, "/binh-xet?don_vi=phuong+nam+gia+nghia").await;
        assert_eq!(shown(&page, "reviews"), 1, "{page}");
        let (lan, _) = app.login("lan.stc").await;
        let (_, page) = app.get(&lan, "/binh-xet?nam=2025").await;
        assert_eq!(shown(&page, "reviews"), 0, "{page}");
        // The to-do list exports what it lists.
        let (_, page) = app.get(&hoa, "/viec-can-lam").await;
        let rows = exported(&app, &hoa, "/viec-can-lam?xuat=xlsx").await;
        assert_eq!(rows.len(), shown(&page, "todo"), "{rows:?}");
    }
);
