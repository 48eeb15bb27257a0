//! A block scores its year and proposes its leader for the emulation flag.

use super::*;

/// Types into a text input of the scoring form, replacing what was there.
async fn fill(c: &Client, name: &str, value: &str) {
    let input = c
        .find(Locator::Css(&format!("#score-form input[name='{name}']")))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    input.clear().await.expect("clear");
    input.send_keys(value).await.expect("type");
}

async fn tick(c: &Client, name: &str) {
    let b = c
        .find(Locator::Css(&format!("#score-form input[name='{name}']")))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    if b.prop("checked").await.expect("checked").as_deref() != Some("true") {
        b.click().await.expect("tick");
    }
}

async fn submit_score(c: &Client) {
    click(c, "//form[@id='score-form']//button[@type='submit']").await;
}

/// Journey 4: Chị Lan self-scores her department with evidence, Sở Y tế
/// self-scores, Chị Lan as the head cross-scores Sở Y tế, the office
/// gives final scores, finalises with the vote's minutes, the ranking
/// shows the leader, and the flag proposal becomes a dossier.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_block_scores_its_year_and_proposes_its_leader_for_the_flag() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let stc = db
        .store
        .resolve_code("CB.STC", None, time::macros::date!(2026 - 06 - 01))
        .await
        .expect("q")
        .expect("CB.STC")
        .id;
    // The year's collective rating, which the flag requires.
    db.store
        .set_unit_rating(
            &thidua_store::Who::system("test"),
            stc,
            2026,
            thidua_domain::eligibility::Rating::CompletedExcellently,
        )
        .await
        .expect("rating");
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("giai-ngan-2026.pdf");
    std::fs::write(
        &pdf,
        thidua_app::dossiers::sample_pdf("giai ngan von dau tu cong 2026"),
    )
    .expect("pdf");
    let block = format!("{}/khoi-cum?nam=2026", app.base);
    let c = browser(&d).await;

    lan_self_scores(&c, &app.base, &block, &pdf).await;
    mai_self_scores(&c, &app.base, &block).await;
    the_head_cross_scores(&c, &app.base, &block).await;
    the_office_finalises_and_proposes(&c, &app.base, &block).await;
    lan_sees_the_ranking(&c, &app.base, &block).await;
    c.close().await.expect("close");
}

/// Chị Lan self-scores Sở Tài chính; a bonus without evidence is refused
/// and the form comes back as she typed it.
async fn lan_self_scores(c: &Client, base: &str, block: &str, pdf: &std::path::Path) {
    login(c, base, "lan.stc").await;
    c.goto(block).await.expect("blocks");
    click(c, "//table[@id='clusters']//a").await;
    until(c, "//section[@id='tasks']").await;
    click(c, "//section[@id='tasks']//a[starts-with(., 'Tự chấm')]").await;
    until(c, "//form[@id='score-form']").await;
    choose(c, "//select[@name='v_I.1']", "Hoàn thành xuất sắc").await;
    fill(c, "ev_I.1", "Báo cáo 25/BC-STC").await;
    fill(c, "v_I.2", "98,5").await;
    fill(c, "ev_I.2", "").await;
    c.find(Locator::Css("#score-form input[name='f_I.2']"))
        .await
        .expect("file")
        .send_keys(pdf.to_str().expect("path"))
        .await
        .expect("choose file");
    choose(c, "//select[@name='v_I.3']", "Hoàn thành xuất sắc").await;
    tick(c, "v_II.1").await;
    choose(c, "//select[@name='v_II.2']", "Hoàn thành xuất sắc").await;
    tick(c, "v_III.1").await;
    fill(c, "v_IV.1", "2").await;
    submit_score(c).await;
    until(c, "//p[@id='score-error']").await;
    let page = text(c).await;
    assert!(page.contains("IV.1"), "{page}");
    let kept = c
        .find(Locator::Css("#score-form input[name='v_I.2']"))
        .await
        .expect("I.2")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("98,5"), "nothing typed is lost");
    shot(c, "42-khoi-tu-cham-loi").await;
    fill(c, "ev_IV.1", "Quyết định 88/QĐ-UBND công nhận mô hình").await;
    c.find(Locator::Css("#score-form input[name='f_I.2']"))
        .await
        .expect("file")
        .send_keys(pdf.to_str().expect("path"))
        .await
        .expect("choose file again");
    submit_score(c).await;
    until(c, "//section[@id='own']").await;
    let page = text(c).await;
    // 40 + 19,7 + 10 + 10 + 10 + 10 + 2
    assert!(page.contains("101,7 điểm"), "{page}");
    assert!(
        page.contains("Xếp hạng được công bố khi khối, cụm chốt điểm"),
        "{page}"
    );
    logout(c).await;
}

/// Chị Mai self-scores Sở Y tế; she may not score anyone else.
async fn mai_self_scores(c: &Client, base: &str, block: &str) {
    login(c, base, "mai.syt").await;
    c.goto(block).await.expect("blocks");
    click(c, "//table[@id='clusters']//a").await;
    until(c, "//section[@id='tasks']").await;
    let tasks = c
        .find_all(Locator::XPath("//section[@id='tasks']//a"))
        .await
        .expect("tasks");
    assert_eq!(tasks.len(), 1, "a plain member scores only itself");
    tasks[0].click().await.expect("open");
    until(c, "//form[@id='score-form']").await;
    choose(c, "//select[@name='v_I.1']", "Hoàn thành tốt").await;
    fill(c, "ev_I.1", "Báo cáo 31/BC-SYT").await;
    fill(c, "v_I.2", "90").await;
    fill(c, "ev_I.2", "Báo cáo giải ngân 12/BC-SYT").await;
    choose(c, "//select[@name='v_I.3']", "Hoàn thành xuất sắc").await;
    tick(c, "v_II.1").await;
    choose(c, "//select[@name='v_II.2']", "Hoàn thành tốt").await;
    tick(c, "v_III.1").await;
    submit_score(c).await;
    until(c, "//section[@id='own']").await;
    assert!(text(c).await.contains("Đã ghi «Tự chấm» của Sở Y tế"));
    logout(c).await;
}

/// The head cross-scores Sở Y tế, starting from its self-score.
async fn the_head_cross_scores(c: &Client, base: &str, block: &str) {
    login(c, base, "lan.stc").await;
    c.goto(block).await.expect("blocks");
    click(c, "//table[@id='clusters']//a").await;
    click(
        c,
        "//section[@id='tasks']//a[starts-with(., 'Trưởng khối, cụm chấm') and contains(., 'Y tế')]",
    )
    .await;
    until(c, "//form[@id='score-form']").await;
    let page = text(c).await;
    assert!(
        page.contains("Tự chấm: 32"),
        "the self-score beside: {page}"
    );
    choose(c, "//select[@name='v_II.2']", "Hoàn thành").await;
    submit_score(c).await;
    until(c, "//section[@id='own']").await;
    // 32 + 18 + 10 + 10 + 5 + 10
    assert!(text(c).await.contains("Sở Y tế tỉnh Cao Bằng: 85 điểm"));
    // … and every other member, on the sheet as it comes.
    for member in ["Nội vụ", "Giáo dục", "Nông nghiệp"] {
        cross_score(c, block, member, true).await;
    }
    logout(c).await;
    // The deputy cross-scores the head: no one leads on its own word.
    login(c, base, "thu.snv").await;
    // She agrees with Sở Tài chính's own scores, which the form starts from.
    cross_score(c, block, "Tài chính", false).await;
    logout(c).await;
}

/// Opens the cross-scoring of `member` from the block's tasks and saves
/// it, marking the first criterion when the member gave no self-score.
async fn cross_score(c: &Client, block: &str, member: &str, mark: bool) {
    c.goto(block).await.expect("blocks");
    click(c, "//table[@id='clusters']//a").await;
    click(
        c,
        &format!(
            "//section[@id='tasks']//a[starts-with(., 'Trưởng khối, cụm chấm') and contains(., '{member}')]"
        ),
    )
    .await;
    until(c, "//form[@id='score-form']").await;
    if mark {
        choose(c, "//select[@name='v_I.1']", "Hoàn thành tốt").await;
        fill(c, "ev_I.1", "Báo cáo tổng kết năm 2026").await;
    }
    submit_score(c).await;
    until(c, "//section[@id='own']").await;
}

/// The office gives every final score (starting from the latest stage),
/// finalises with the minutes of the block's vote and proposes the leader.
async fn the_office_finalises_and_proposes(c: &Client, base: &str, block: &str) {
    login(c, base, "admin").await;
    c.goto(block).await.expect("blocks");
    click(c, "//table[@id='clusters']//a").await;
    until(c, "//section[@id='tasks']").await;
    let detail = c.current_url().await.expect("url").to_string();
    for member in ["Tài chính", "Nội vụ", "Y tế", "Giáo dục", "Nông nghiệp"] {
        c.goto(&detail).await.expect("block");
        click(
            c,
            &format!(
                "//section[@id='tasks']//a[starts-with(., 'Điểm chốt') and contains(., '{member}')]"
            ),
        )
        .await;
        until(c, "//form[@id='score-form']").await;
        if member == "Tài chính" {
            let page = text(c).await;
            assert!(
                page.contains("giai-ngan-2026.pdf"),
                "the evidence file: {page}"
            );
            shot(c, "43-khoi-diem-chot").await;
        }
        if ["Nội vụ", "Giáo dục", "Nông nghiệp"].contains(&member) {
            choose(c, "//select[@name='v_I.1']", "Hoàn thành tốt").await;
            fill(c, "ev_I.1", "Báo cáo tổng kết năm 2026").await;
            tick(c, "v_II.1").await;
            tick(c, "v_III.1").await;
        }
        submit_score(c).await;
        until(c, "//section[@id='ranking']").await;
    }
    let f = c.form(Locator::Css("#finalise")).await.expect("finalise");
    f.set_by_name(
        "bien_ban",
        "Biên bản họp bình xét số 05/BB-KTH ngày 15/12/2026",
    )
    .await
    .expect("minutes");
    f.submit().await.expect("finalise");
    until(c, "//p[@id='proposed']").await;
    let page = text(c).await;
    assert!(page.contains("Đã chốt điểm"), "{page}");
    assert!(
        page.contains("Dẫn đầu, đề nghị tặng Cờ thi đua của UBND tỉnh: Sở Tài chính tỉnh Cao Bằng"),
        "{page}"
    );
    shot(c, "44-khoi-xep-hang").await;
    click(c, "//form[@id='propose-flag']//button").await;
    until(c, "//h1[contains(., 'Cờ thi đua của UBND tỉnh năm 2026')]").await;
    let page = text(c).await;
    assert!(
        page.contains("Đã lập hồ sơ đề nghị tặng Cờ thi đua"),
        "{page}"
    );
    assert!(page.contains("Sở Tài chính tỉnh Cao Bằng"), "{page}");
    assert!(page.contains("hạng 1/5 với 101,7 điểm"), "{page}");
    shot(c, "45-khoi-ho-so-co").await;
    logout(c).await;
}

/// Chị Lan now sees the final ranking and her unit's dossier.
async fn lan_sees_the_ranking(c: &Client, base: &str, block: &str) {
    login(c, base, "lan.stc").await;
    c.goto(block).await.expect("blocks");
    click(c, "//table[@id='clusters']//a").await;
    until(c, "//ul[@id='proposals']").await;
    let page = text(c).await;
    assert!(page.contains("Xếp hạng"), "{page}");
    assert!(!page.contains("Xếp hạng được công bố khi"), "{page}");
    click(c, "//ul[@id='proposals']//a").await;
    until(c, "//h1[contains(., 'Cờ thi đua')]").await;
}
