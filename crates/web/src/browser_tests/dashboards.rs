//! Journey 1's end: the dashboard on both maps, as Chị Hoa switches them.

use super::{choose, click, shot, text, text_when, until};
use fantoccini::{Client, Locator};

/// A unit's first figure in the dashboard's table by unit.
pub(super) async fn unit_cell(c: &Client, unit: &str) -> String {
    c.find(Locator::XPath(&format!(
        "//table[@id='by-unit']//tr[td/a[.='{unit}']]/td[3]"
    )))
    .await
    .unwrap_or_else(|e| panic!("{unit} in the table by unit: {e}"))
    .text()
    .await
    .expect("text")
}

/// The province's dashboard on the map before 01/07/2025, then Đắk
/// Nông's movement where its figures are and on today's map.
pub(super) async fn in_both_maps(c: &Client, base: &str, after: &str) {
    // The same figures on the map before 01/07/2025, by the form's switch:
    // the province is its three former provinces.
    choose(c, "//select[@name='dia_gioi']", "legacy").await;
    click(c, "//form[@class='filters']//button").await;
    let page = text_when(c, "//main", |t| t.contains("trên bản đồ này gồm")).await;
    assert!(page.contains(&format!("Toàn tỉnh có {after}/")), "{page}");
    for former in ["Tỉnh Đắk Nông", "Tỉnh Bình Thuận"] {
        assert!(
            unit_cell(c, former).await.parse::<i64>().is_ok(),
            "{former}"
        );
    }
    shot(c, "13b-bang-so-lieu-dia-gioi-cu").await;
    // Đắk Nông's own movement opens where its figures are, the sources'.
    c.goto(&format!("{base}/phong-trao/NTM-DNO-2021/bao-cao"))
        .await
        .expect("Đắk Nông dashboard");
    let page = text(c).await;
    assert!(
        page.contains("Toàn tỉnh có 38/60 xã đạt chuẩn nông thôn mới"),
        "{page}"
    );
    assert!(page.contains("bình quân 16,42 tiêu chí/xã"), "{page}");
    shot(c, "14-bang-so-lieu-dak-nong").await;
    // … and on today's map, the same 60 communes, not Lâm Đồng's 100.
    choose(c, "//select[@name='dia_gioi']", "current").await;
    click(c, "//form[@class='filters']//button").await;
    let page = text_when(c, "//main", |t| t.contains("Địa giới hiện hành")).await;
    assert!(
        page.contains("38/60 xã đạt chuẩn") && page.contains("60/60 đơn vị"),
        "{page}"
    );
    // Down to a former district, as the province's officer, from the
    // dashboard as it opens; on today's map it is the communes its
    // communes became.
    c.goto(&format!("{base}/phong-trao/NTM-DNO-2021/bao-cao"))
        .await
        .expect("Đắk Nông dashboard");
    // Down to a former district, as the province's officer.
    let district = until(c, "//table[@id='by-unit']//tbody/tr[1]/td[2]/a")
        .await
        .text()
        .await
        .expect("district");
    click(c, "//table[@id='by-unit']//tbody/tr[1]/td[2]/a").await;
    let page = text_when(c, "//main", |t| {
        t.starts_with("Phong trào") && t.contains(&district)
    })
    .await;
    assert!(page.contains("xã đạt chuẩn"), "{page}");
    choose(c, "//select[@name='dia_gioi']", "current").await;
    click(c, "//form[@class='filters']//button").await;
    let page = text_when(c, "//main", |t| t.contains("Địa giới hiện hành")).await;
    assert!(page.contains("trên bản đồ này gồm"), "{page}");
}
