//! Journey 5: Chị Hoa answers a registry question. She types a name
//! without diacritics, finds the person, and opens a history that spans a
//! transfer between communes and the 2025 merger of her province.

use super::dossier_journey::download;
use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chi_hoa_finds_a_person_and_her_history_across_the_merger() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let base = app.base.clone();
    let c = browser(&d).await;
    login(&c, &base, "hoa.snv").await;
    click(&c, "//header//a[.='Sổ khen thưởng']").await;
    let q = until(&c, "//input[@name='q']").await;
    q.send_keys("nguyen thi hoa").await.expect("type");
    click(&c, "//form[@id='registry-filters']//button").await;
    until(&c, "//p[@id='result-count']").await;
    let found = text(&c).await;
    assert!(
        found.contains("Nguyễn Thị Hoa") && found.contains("1630/QĐ-UBND"),
        "{found}"
    );
    shot(&c, "36-so-khen-thuong-tim").await;
    // The same results as a spreadsheet.
    let rows = c
        .find_all(Locator::Css("#results tbody tr"))
        .await
        .expect("rows")
        .len();
    let sheet = thidua_sheets::read_first(&download(&c, "//a[@id='xlsx']").await).expect("XLSX");
    assert_eq!(sheet.len() - 1, rows, "one line per result");
    assert!(
        sheet
            .iter()
            .any(|r| r.iter().any(|x| x.text() == "1630/QĐ-UBND")),
        "the decision in the export"
    );
    click(&c, "//div[@id='results']//a[.='Nguyễn Thị Hoa']").await;
    let stints = until(&c, "//table[@id='stints']")
        .await
        .text()
        .await
        .expect("text");
    // Two communes of Đắk Nông, then the ward of Lâm Đồng they became.
    assert!(
        stints.matches("Xã ").count() + stints.matches("Phường ").count() >= 3,
        "{stints}"
    );
    // Where she worked then, and what it is now: the province she worked
    // in no longer exists.
    assert!(stints.contains("Tỉnh Đắk Nông"), "{stints}");
    assert!(stints.contains("Tỉnh Lâm Đồng"), "{stints}");
    let history = text(&c).await;
    for n in ["1630/QĐ-UBND", "1875/QĐ-UBND", "45/QĐ-UBND"] {
        assert!(history.contains(n), "{n} in {history}");
    }
    shot(&c, "37-so-khen-thuong-ca-nhan").await;
    // «Cá nhân» forgives a typo, says what it searched, and its results open.
    click(&c, "//header//a[.='Cá nhân']").await;
    let q = until(&c, "//input[@name='q']").await;
    q.send_keys("nguyen thi hao").await.expect("type");
    click(&c, "//main//form//button[.='Tìm']").await;
    let said = until(&c, "//p[@id='corrections']")
        .await
        .text()
        .await
        .expect("text");
    assert!(said.contains("«hao»"), "{said}");
    shot(&c, "38b-ca-nhan-tim").await;
    click(&c, "//table[@id='people']//a[.='Nguyễn Thị Hoa']").await;
    until(&c, "//h1[contains(., 'Nguyễn Thị Hoa')]").await;
    c.close().await.ok();
    db.finish().await;
}
