//! A dossier travels from the commune to a decision, whose PDF and DOCX
//! are read back.

use super::*;

pub(super) async fn take(c: &Client, action: &str, fields: &[(&str, &str)]) {
    let form = format!("//form[@data-action='{action}']");
    for (name, value) in fields {
        let input = c
            .find(Locator::XPath(&format!("{form}//input[@name='{name}']")))
            .await
            .unwrap_or_else(|e| panic!("{action}/{name}: {e}"));
        input.clear().await.expect("clear");
        input.send_keys(value).await.expect("type");
    }
    click(c, &format!("{form}//button[@type='submit']")).await;
}

pub(super) async fn state_is(c: &Client, state: &str) {
    until(
        c,
        &format!("//span[@id='dossier-state'][@data-state='{state}']"),
    )
    .await;
}

/// Journey 3: a commune's dossier through the province — submission with
/// the engine's verdicts, receipt, a duplicate warning, a line returned for
/// completion, public posting with a citizen's feedback, the council's
/// vote, the leader's approval and the decision, with the timeline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dossier_travels_from_the_commune_to_a_decision() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    // The demo posts for the legal minimum; this walk happens in one day.
    db.store
        .set_procedure_settings(
            &thidua_store::Who::system("test"),
            &[(thidua_domain::dossier::POSTING.to_owned(), 0)],
        )
        .await
        .expect("posting days");
    let base = app.base.clone();
    let c = browser(&d).await;
    let today = thidua_domain::VnDate(crate::pages::today_vn()).to_string();

    the_commune_drafts_and_submits(&c, &base, &today).await;
    the_office_receives_and_returns_a_line(&c, &base).await;
    the_commune_completes_the_line(&c, &base).await;
    posted_and_commented(&c, &base).await;
    the_council_votes(&c, &base).await;
    the_leader_signs(&c, &base, &today).await;
    the_award_is_in_the_registry(&db.store).await;
    the_decision_prints(&c).await;
    the_decided_award_is_found(&c, &base).await;
    the_statistics_of_former_dak_nong(&c).await;
    logout(&c).await;
    the_list_filters_and_exports(&c, &base).await;
    c.close().await.ok();
}

/// Anh Y Quang of the commune drafts the dossier, answers the engine's
/// refusal of one line with a reason, and submits it.
async fn the_commune_drafts_and_submits(c: &Client, base: &str, today: &str) {
    // Anh Y Quang drafts the dossier.
    login(c, base, "yquang.xa").await;
    click(c, "//header//a[.='Hồ sơ khen thưởng']").await;
    let f = c
        .form(Locator::Css("form#new-dossier"))
        .await
        .expect("form");
    f.set_by_name(
        "title",
        "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2025",
    )
    .await
    .expect("title");
    f.submit().await.expect("create");
    state_is(c, "draft").await;
    let f = c
        .form(Locator::Css("form#header-form"))
        .await
        .expect("header");
    f.set_by_name("letter_number", "27/TTr-UBND")
        .await
        .expect("n");
    f.set_by_name("letter_date", today).await.expect("d");
    f.set_by_name("letter_signer", "Y Quang Niê")
        .await
        .expect("s");
    f.submit().await.expect("save header");
    until(
        c,
        "//p[@id='flash'][contains(@class, 'success')][contains(., 'Đã ghi thông tin')]",
    )
    .await;
    for (name, from) in [("H'Hen Niê", "2024"), ("Nguyễn Văn Bảo", "2025")] {
        let value = c
            .find(Locator::XPath(&format!(
                "//form[@id='add-line']//option[.=\"{name}\"]"
            )))
            .await
            .expect("person option")
            .attr("value")
            .await
            .expect("attr")
            .expect("value");
        choose(c, "//form[@id='add-line']//select[@name='subject']", &value).await;
        let f = c.form(Locator::Css("form#add-line")).await.expect("add");
        f.set_by_name("period_from", from).await.expect("from");
        f.set_by_name("period_to", "2025").await.expect("to");
        f.submit().await.expect("add line");
        until(c, &row(name)).await;
    }
    // The engine judges each line; Bảo does not qualify.
    until(
        c,
        &format!("{}[@data-outcome='eligible']", row("H'Hen Niê")),
    )
    .await;
    until(
        c,
        &format!("{}[@data-outcome='not_eligible']", row("Nguyễn Văn Bảo")),
    )
    .await;
    take(c, "submit", &[]).await;
    until(
        c,
        "//p[@id='flash'][contains(@class, 'error')][contains(., 'Nguyễn Văn Bảo')]",
    )
    .await;
    click(
        c,
        &format!(
            "{}//details[.//form[contains(@class,'line-edit')]]/summary",
            row("Nguyễn Văn Bảo")
        ),
    )
    .await;
    let edit = format!(
        "{}//form[contains(@class,'line-edit')]",
        row("Nguyễn Văn Bảo")
    );
    c.find(Locator::XPath(&format!(
        "{edit}//input[@name='override_reason']"
    )))
    .await
    .expect("reason")
    .send_keys("Cứu 3 người trong lũ tháng 9/2025 (thành tích đột xuất)")
    .await
    .expect("type");
    click(c, &format!("{edit}//button[not(@name)]")).await;
    until(
        c,
        "//p[@id='flash'][contains(@class, 'success')][.='Đã ghi.']",
    )
    .await;
    take(c, "submit", &[]).await;
    state_is(c, "submitted").await;
    shot(c, "30-ho-so-da-gui").await;
    logout(c).await;
}

/// Chị Hoa of the office receives it from her to-do list, reads the
/// verdicts and sends one line back for completion.
async fn the_office_receives_and_returns_a_line(c: &Client, base: &str) {
    // Chị Hoa receives it from her to-do list and appraises it.
    login(c, base, "hoa.snv").await;
    let (n, todo) = super::todo_counts_agree(c, base).await;
    assert!(n >= 1 && todo.contains("Tiếp nhận"), "{todo}");
    click(c, "//header//a[.='Việc cần làm']").await;
    click(c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    take(c, "receive", &[("receipt_number", "TN-2026/0415")]).await;
    state_is(c, "received").await;
    take(c, "start_appraisal", &[]).await;
    state_is(c, "under_appraisal").await;
    // The verdicts with their articles, and the duplicate warning.
    let warn = c
        .find(Locator::XPath(&format!(
            "{}//td[@class='warnings']",
            row("H'Hen Niê")
        )))
        .await
        .expect("warnings")
        .text()
        .await
        .expect("text");
    assert!(warn.contains("Trùng họ tên và ngày sinh"), "{warn}");
    shot(c, "31-ho-so-tham-dinh").await;
    // One line goes back for completion.
    let bao = c
        .find(Locator::XPath(&row("Nguyễn Văn Bảo")))
        .await
        .expect("row")
        .attr("id")
        .await
        .expect("id")
        .expect("id")
        .trim_start_matches("dong-")
        .to_owned();
    click(
        c,
        &format!("//form[@data-action='return']//input[@name='line'][@value='{bao}']"),
    )
    .await;
    take(
        c,
        "return",
        &[(
            "note",
            "Bổ sung xác nhận của UBND xã về thành tích cứu người",
        )],
    )
    .await;
    state_is(c, "returned").await;
    logout(c).await;
}

/// The commune completes the returned line and sends the dossier back.
async fn the_commune_completes_the_line(c: &Client, base: &str) {
    let edit = format!(
        "{}//form[contains(@class,'line-edit')]",
        row("Nguyễn Văn Bảo")
    );
    // The commune completes the line and sends it back.
    login(c, base, "yquang.xa").await;
    click(c, "//header//a[.='Việc cần làm']").await;
    until(
        c,
        "//ul[@id='notices']//a[contains(., 'trả lại để bổ sung')]",
    )
    .await;
    click(c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    until(
        c,
        &format!("{}[@data-status='needs_completion']", row("Nguyễn Văn Bảo")),
    )
    .await;
    click(
        c,
        &format!(
            "{}//details[.//form[contains(@class,'line-edit')]]/summary",
            row("Nguyễn Văn Bảo")
        ),
    )
    .await;
    let summary = c
        .find(Locator::XPath(&format!(
            "{edit}//textarea[@name='summary']"
        )))
        .await
        .expect("summary");
    summary
        .send_keys("Có xác nhận số 112/XN-UBND của UBND xã về việc cứu 3 người")
        .await
        .expect("type");
    click(c, &format!("{edit}//button[not(@name)]")).await;
    until(
        c,
        &format!("{}[@data-status='proposed']", row("Nguyễn Văn Bảo")),
    )
    .await;
    take(c, "resubmit", &[]).await;
    state_is(c, "under_appraisal").await;
    logout(c).await;
}

/// Posted publicly; a citizen writes in without an account.
async fn posted_and_commented(c: &Client, base: &str) {
    // Posted publicly; a citizen writes in, without an account.
    login(c, base, "hoa.snv").await;
    click(c, "//header//a[.='Việc cần làm']").await;
    click(c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    take(c, "post", &[]).await;
    state_is(c, "posted").await;
    logout(c).await;
    c.goto(&format!("{base}/cong-khai"))
        .await
        .expect("public page");
    let public = "//tr[.//strong[.=\"H'Hen Niê\"]]".to_owned();
    until(c, &public).await;
    click(c, &format!("{public}//summary")).await;
    let f = c
        .find(Locator::XPath(&format!("{public}//form")))
        .await
        .expect("feedback form");
    f.find(Locator::Css("input[name='name']"))
        .await
        .expect("name")
        .send_keys("Ama Khanh")
        .await
        .expect("type");
    f.find(Locator::Css("textarea[name='body']"))
        .await
        .expect("body")
        .send_keys("Chị Hen tận tụy với bà con trong bon, tôi đồng ý đề nghị khen thưởng.")
        .await
        .expect("type");
    shot(c, "32-cong-khai").await;
    f.find(Locator::Css("button"))
        .await
        .expect("send")
        .click()
        .await
        .expect("click");
    until(c, "//p[@id='public-message'][contains(., 'Cảm ơn')]").await;
}

/// The council sits and votes per subject.
async fn the_council_votes(c: &Client, base: &str) {
    // The council sits; Ông Hùng votes per subject.
    login(c, base, "hoa.snv").await;
    click(c, "//header//a[.='Việc cần làm']").await;
    click(c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    until(c, "//ul[@id='feedback']//li[contains(., 'Ama Khanh')]").await;
    take(c, "open_council", &[]).await;
    state_is(c, "council_review").await;
    logout(c).await;
    login(c, base, "hung.hd").await;
    // The vote opening and the citizen's comment reach the member.
    let (n, todo) = super::todo_counts_agree(c, base).await;
    assert!(n >= 1 && todo.contains("Biểu quyết"), "{todo}");
    assert!(todo.contains("chờ bạn biểu quyết"), "{todo}");
    assert!(todo.contains("ý kiến góp ý mới"), "{todo}");
    click(c, "//header//a[.='Việc cần làm']").await;
    click(c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    click(c, &format!("{}//button[@value='agree']", row("H'Hen Niê"))).await;
    until(c, &format!("{}//small[@class='votes']", row("H'Hen Niê"))).await;
    click(
        c,
        &format!("{}//button[@value='disagree']", row("Nguyễn Văn Bảo")),
    )
    .await;
    until(
        c,
        &format!("{}//small[@class='votes']", row("Nguyễn Văn Bảo")),
    )
    .await;
    logout(c).await;
    login(c, base, "hoa.snv").await;
    click(c, "//header//a[.='Việc cần làm']").await;
    click(c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    take(c, "conclude_vote", &[]).await;
    state_is(c, "pending_approval").await;
    logout(c).await;
}

/// Bà Minh approves and signs decision 123/QĐ-UBND; the timeline shows
/// every step.
async fn the_leader_signs(c: &Client, base: &str, today: &str) {
    // Bà Minh approves and signs decision 123/QĐ-UBND.
    login(c, base, "minh.ld").await;
    let (n, todo) = super::todo_counts_agree(c, base).await;
    assert!(n >= 1 && todo.contains("Phê duyệt"), "{todo}");
    click(c, "//header//a[.='Việc cần làm']").await;
    click(c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    take(c, "approve", &[]).await;
    state_is(c, "approved").await;
    take(
        c,
        "issue_decision",
        &[("number", "123/QĐ-UBND"), ("date", today)],
    )
    .await;
    state_is(c, "decided").await;
    until(c, &format!("{}[@data-status='awarded']", row("H'Hen Niê"))).await;
    until(
        c,
        &format!("{}[@data-status='not_awarded']", row("Nguyễn Văn Bảo")),
    )
    .await;
    let page = text(c).await;
    assert!(page.contains("123/QĐ-UBND ngày"), "{page}");
    let timeline = c
        .find(Locator::Css("ol#timeline"))
        .await
        .expect("timeline")
        .text()
        .await
        .expect("text");
    for step in [
        "Gửi hồ sơ",
        "Tiếp nhận",
        "Trả lại để bổ sung",
        "Gửi lại sau bổ sung",
        "Công khai",
        "Nhận ý kiến của nhân dân",
        "Đưa ra Hội đồng",
        "Phê duyệt",
        "Ban hành quyết định",
    ] {
        assert!(timeline.contains(step), "{step} in {timeline}");
    }
    shot(c, "33-ho-so-quyet-dinh").await;
    // The timeline itself, as an element picture.
    let png = c
        .find(Locator::Css("ol#timeline"))
        .await
        .expect("timeline")
        .screenshot()
        .await
        .expect("timeline picture");
    assert!(png.len() > 1000, "a real picture");
    std::fs::write(shots_dir().join("34-ho-so-dong-thoi-gian.png"), png).expect("save");
}

/// Chị Hoa narrows the dossier list to the ward's subtree and this year,
/// and the Excel export holds exactly the rows the page shows.
async fn the_list_filters_and_exports(c: &Client, base: &str) {
    login(c, base, "hoa.snv").await;
    c.goto(&format!("{base}/ho-so")).await.expect("list");
    let f = c
        .form(Locator::Css("form#dossier-filters"))
        .await
        .expect("filters");
    f.set_by_name("don_vi", "phuong nam gia nghia")
        .await
        .expect("unit");
    let year = crate::pages::today_vn().year().to_string();
    f.set_by_name("nam", &year).await.expect("year");
    f.submit().await.expect("filter");
    until(c, "//a[@id='xlsx'][contains(@href, 'nam=')]").await;
    let shown: Vec<String> = {
        let mut out = Vec::new();
        for r in c
            .find_all(Locator::Css(
                "table#dossiers tbody tr[data-state] td:first-child",
            ))
            .await
            .expect("rows")
        {
            out.push(r.text().await.expect("text"));
        }
        out
    };
    assert!(!shown.is_empty(), "the ward's dossier is listed");
    shot(c, "39-ho-so-loc").await;
    let bytes = download(c, "//a[@id='xlsx']").await;
    let sheet = thidua_sheets::read_first(&bytes).expect("an XLSX");
    let exported: Vec<String> = sheet.iter().skip(1).map(|r| r[0].text()).collect();
    assert_eq!(exported, shown, "the export is the list as shown");
    // Decisions likewise: this year's awards, then the same as a sheet.
    c.goto(&format!("{base}/quyet-dinh?loai=award&nam={year}"))
        .await
        .expect("decisions");
    let listed = until(c, "//table[@id='decisions']")
        .await
        .text()
        .await
        .expect("text");
    assert!(listed.contains("123/QĐ-UBND"), "{listed}");
    assert!(
        !listed.contains("1630/QĐ-UBND"),
        "2018 is filtered out: {listed}"
    );
    let sheet = thidua_sheets::read_first(&download(c, "//a[@id='xlsx']").await).expect("XLSX");
    assert!(sheet.iter().skip(1).any(|r| r[0].text() == "123/QĐ-UBND"));
    assert!(sheet.iter().skip(1).all(|r| r[1].text().ends_with(&year)));
    // A name that matches nothing is an error beside the filters.
    c.goto(&format!("{base}/ho-so?don_vi=khong+co+dau"))
        .await
        .expect("list");
    until(c, "//p[@id='filter-error'][contains(@class, 'error')]").await;
    logout(c).await;
}

/// The award is in H'Hen's registry.
async fn the_award_is_in_the_registry(store: &thidua_store::Store) {
    // The award is in H'Hen's registry.
    let hen = store.search_people("h'hen nie", 5).await.expect("search");
    let mut found = false;
    for p in hen {
        let reg = store
            .registry(thidua_store::SubjectRef::Person(p.id))
            .await
            .expect("registry");
        found |= reg.awards.iter().any(|a| {
            a.code == "BANG_KHEN_TINH" && a.decision_number.as_deref() == Some("123/QĐ-UBND")
        });
    }
    assert!(found, "the award entered the registry");
}

/// The decision prints: its PDF and certificates, fetched with the
/// browser's own session, read back through pdftotext.
async fn the_decision_prints(c: &Client) {
    // The decision prints: its PDF and certificates, fetched with the
    // browser's own session, read back through pdftotext.
    click(c, "//p[@id='decision-links']/a[.='Xem quyết định']").await;
    until(c, "//a[@id='pdf']").await;
    shot(c, "35-quyet-dinh").await;
    let pdf = download(c, "//a[@id='pdf']").await;
    let words = pdf_words(&pdf);
    for must in [
        "Số: 123/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "H'Hen Niê",
        "Phạm Thị Minh",
        "KT. CHỦ TỊCH",
    ] {
        assert!(words.contains(must), "«{must}» in {words}");
    }
    let certs = pdf_words(&download(c, "//a[@id='certificates']").await);
    assert!(
        certs.contains("BẰNG KHEN") && certs.contains("H'Hen Niê"),
        "{certs}"
    );
    let docx = download(c, "//a[@id='docx']").await;
    assert!(docx.starts_with(b"PK"), "a zip");
}

/// The award just decided is in the registry, found by a typo'd name.
async fn the_decided_award_is_found(c: &Client, base: &str) {
    c.goto(&format!("{base}/so-khen-thuong?q=hhen+nei"))
        .await
        .expect("search");
    let found = until(c, "//div[@id='results']")
        .await
        .text()
        .await
        .expect("text");
    assert!(found.contains("123/QĐ-UBND"), "{found}");
}

/// Statistics: the flags of former Đắk Nông, in its own boundaries.
async fn the_statistics_of_former_dak_nong(c: &Client) {
    // Statistics: the flags of former Đắk Nông, in its own boundaries.
    click(c, "//header//a[.='Thống kê']").await;
    let f = c
        .form(Locator::Css("form#stats-filters"))
        .await
        .expect("form");
    // The unit is picked by its name, typed without diacritics.
    f.set_by_name("ranh_gioi", "legacy")
        .await
        .expect("boundaries");
    let unit = c
        .find(Locator::Css("form#stats-filters input[name=don_vi]"))
        .await
        .expect("unit field");
    unit.send_keys("tinh dak nong").await.expect("type");
    let offered = text_when(c, "//form[@id='stats-filters']//datalist", |_| true).await;
    let labels: Vec<String> = {
        let mut out = Vec::new();
        for _ in 0..50 {
            let options = c
                .find_all(Locator::Css("form#stats-filters datalist option"))
                .await
                .expect("options");
            out.clear();
            for o in options {
                out.push(o.attr("label").await.ok().flatten().unwrap_or_default());
            }
            if !out.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        out
    };
    assert!(
        labels.iter().any(|l| l.starts_with("Tỉnh Đắk Nông")),
        "suggested: {labels:?} {offered}"
    );
    f.set_by_name("cap", "Thủ tướng").await.expect("issuer");
    f.submit().await.expect("submit");
    // The old page's sentence may be read (or go stale) before the new
    // page arrives: wait for the filtered one.
    let sentence = text_when(c, "//p[@id='sentence']", |t| t.contains("Thủ tướng")).await;
    assert!(
        sentence.contains("đã có 5 tập thể được Thủ tướng tặng"),
        "{sentence}"
    );
    assert!(
        c.find(Locator::Css("svg.chart rect.bar")).await.is_ok(),
        "a chart"
    );
    shot(c, "38-thong-ke").await;
}

/// GETs a link's target with the browser's session cookie.
pub(super) async fn download(c: &Client, xpath: &str) -> Vec<u8> {
    let href = c
        .find(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .prop("href")
        .await
        .expect("href")
        .expect("a link");
    let cookie = c
        .get_named_cookie(crate::session::SESSION_COOKIE)
        .await
        .expect("session cookie");
    let r = reqwest::Client::new()
        .get(&href)
        .header("cookie", format!("{}={}", cookie.name(), cookie.value()))
        .send()
        .await
        .expect("download");
    assert!(r.status().is_success(), "{href}: {}", r.status());
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment"),
        "served as a file"
    );
    r.bytes().await.expect("body").to_vec()
}

/// The words of a PDF, as poppler's pdftotext reads them.
pub(super) fn pdf_words(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
