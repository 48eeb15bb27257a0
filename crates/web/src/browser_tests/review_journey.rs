//! Journey 2: the year-end review of a commune's staff, to its list.

use super::*;

/// Proposes `name` against the engine's verdict: refused without a
/// reason, accepted as an override with one.
async fn propose_against_the_verdict(c: &Client, name: &str, reason: &str) {
    click(c, &format!("{}//button[@value='propose']", row(name))).await;
    until(
        c,
        "//p[@id='flash'][contains(@class, 'error')][contains(., 'cần ghi lý do')]",
    )
    .await;
    c.find(Locator::XPath(&format!(
        "{}//input[@name='reason']",
        row(name)
    )))
    .await
    .expect("reason")
    .send_keys(reason)
    .await
    .expect("type");
    click(c, &format!("{}//button[@value='propose']", row(name))).await;
    until(c, &format!("{}[@data-decision='overridden']", row(name))).await;
}

/// Decides every pending person as the engine says: the eligible
/// proposed, the others not.
async fn follow_the_engine_for_the_rest(c: &Client) {
    let pending_rows = "//tr[contains(@class, 'line')][not(contains(@class, 'unit-line'))][@data-decision='pending']";
    loop {
        let pending = c
            .find_all(Locator::XPath(pending_rows))
            .await
            .expect("rows");
        let Some(r) = pending.first() else { break };
        let n = pending.len();
        let want = if r.attr("data-outcome").await.expect("attr").as_deref() == Some("eligible") {
            "propose"
        } else {
            "drop"
        };
        r.find(Locator::Css(&format!("button[value='{want}']")))
            .await
            .expect("button")
            .click()
            .await
            .expect("click");
        until(c, &format!("//body[count({pending_rows}) = {}]", n - 1)).await;
    }
}

/// Journey 2, the review: Anh Y Quang opens his commune's review, thidua
/// proposes and explains, he rates one person, overrides another with a
/// reason, decides the rest, and the list is produced with its decision.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commune_reviews_its_staff_and_produces_the_list() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let base = app.base.clone();
    let c = browser(&d).await;

    login(&c, &base, "yquang.xa").await;
    click(&c, "//header//a[.='Bình xét']").await;
    until(&c, "//form[@id='open-review']").await;
    click(&c, "//form[@id='open-review']//button").await;
    until(&c, "//table[@id='lines']").await;
    let page = text(&c).await;
    assert!(page.contains("Bình xét danh hiệu năm 2026"), "{page}");
    let badge = |name: &str| format!("{}//span[contains(@class, 'badge')]", row(name));
    let read = |xpath: String| {
        let c = c.clone();
        async move {
            c.find(Locator::XPath(&xpath))
                .await
                .expect("element")
                .text()
                .await
                .expect("text")
        }
    };
    assert_eq!(read(badge("H'Hen Niê")).await, "Đủ điều kiện");
    assert_eq!(read(badge("Lê Thị Thu")).await, "Chưa đủ điều kiện");
    // The reason is there to read, with its article.
    click(&c, &format!("{}//summary", row("Lê Thị Thu"))).await;
    let why = read(format!("{}//ul[@class='checks']", row("Lê Thị Thu"))).await;
    assert!(
        why.contains("khiển trách") && why.contains("Điều 24"),
        "{why}"
    );
    shot(&c, "20-binh-xet").await;

    // Y Moan has no rating yet: the officer rates him and re-checks.
    choose(
        &c,
        &format!("{}//select[@name='rating']", row("Y Moan Êban")),
        "HTTNV",
    )
    .await;
    click(
        &c,
        &format!("{}//button[@value='check']", row("Y Moan Êban")),
    )
    .await;
    until(
        &c,
        &format!("{}[@data-outcome='eligible']", row("Y Moan Êban")),
    )
    .await;

    // Proposing Bảo against the verdict: first without a reason, refused.
    propose_against_the_verdict(
        &c,
        "Nguyễn Văn Bảo",
        "Hoàn thành xuất sắc nhiệm vụ phòng chống lũ tháng 8",
    )
    .await;
    assert!(
        read(format!("{}//td[@class='decision']", row("Nguyễn Văn Bảo")))
            .await
            .contains("phòng chống lũ")
    );
    follow_the_engine_for_the_rest(&c).await;
    // The commune itself: rated, then judged from its members.
    let unit = "//tr[contains(@class, 'unit-line')]";
    choose(&c, &format!("{unit}//select[@name='rating']"), "HTTNV").await;
    click(&c, &format!("{unit}//button[@value='propose']")).await;
    until(&c, &format!("{unit}[@data-decision='accepted']")).await;
    assert_eq!(
        read(format!("{unit}//span[contains(@class, 'badge')]")).await,
        "Đủ điều kiện"
    );

    close_the_list(&c).await;
    c.close().await.expect("close");
    db.finish().await;
}

/// The list becomes the commune's decision: refused without its date (an
/// error beside the form, the number kept), then closed; the titles are
/// in the registry's search and the year's statistics.
async fn close_the_list(c: &Client) {
    // The list becomes the commune's decision. Without its date it is
    // refused: the error shows as an error, the number stays typed.
    let review_page = c.current_url().await.expect("url");
    let stats_url = format!(
        "{}/thong-ke?tu_nam=2026&den_nam=2026",
        base_of(&review_page)
    );
    let stats_before = stats_sentence(c, &stats_url).await;
    c.goto(review_page.as_str())
        .await
        .expect("back to the review");
    let f = c
        .form(Locator::Id("close-review"))
        .await
        .expect("close form");
    f.set_by_name("decision_number", "45/QĐ-UBND")
        .await
        .expect("number");
    f.submit().await.expect("submit");
    let refused = until(c, "//p[@id='flash'][contains(@class, 'error')]")
        .await
        .text()
        .await
        .expect("text");
    assert!(refused.contains("ngày quyết định"), "{refused}");
    let kept = c
        .find(Locator::Css("#close-review input[name=decision_number]"))
        .await
        .expect("number field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(
        kept.as_deref(),
        Some("45/QĐ-UBND"),
        "what was typed is kept"
    );
    let f = c
        .form(Locator::Id("close-review"))
        .await
        .expect("close form");
    f.set_by_name("decision_date", "20/11/2026")
        .await
        .expect("date");
    f.submit().await.expect("submit");
    until(
        c,
        "//p[@id='review-status'][contains(., 'Đã chốt danh sách')]",
    )
    .await;
    let page = text(c).await;
    assert!(
        page.contains("Quyết định 45/QĐ-UBND ngày 20/11/2026"),
        "{page}"
    );
    assert!(
        page.contains("8 danh hiệu được ghi vào sổ khen thưởng"),
        "{page}"
    );
    shot(c, "21-binh-xet-da-chot").await;
    // The titles are in the registry's search and in the year's statistics.
    let base = base_of(&c.current_url().await.expect("url"));
    c.goto(&format!("{base}/so-khen-thuong?tu_nam=2026&den_nam=2026"))
        .await
        .expect("registry");
    let listed = c
        .find_all(Locator::XPath(
            "//div[@id='results']//tr[contains(., '45/QĐ-UBND')]",
        ))
        .await
        .expect("rows")
        .len();
    assert_eq!(listed, 8, "the 8 titles in the registry search");
    let stats_after = stats_sentence(c, &stats_url).await;
    assert_ne!(stats_before, stats_after, "the titles count in 2026");
}
