//! Awards of every type and issuer through the pages: a movement's final
//! review records three achievements and proposes a thematic dossier whose
//! Bằng khen the province issues; a department's officer issues the
//! director's Giấy khen inside the department; a revocation flags the later
//! award that rested on it. Each decision's PDF is read back with
//! pdftotext: its issuer, signature block and the legal grounds of its era.

use super::dossier_journey::{download, pdf_words, state_is, take};
use super::*;
use thidua_app::dossiers::{By, StepInput, take_step, update_header, vote};
use thidua_domain::dossier::{DossierAction, DossierId, VoteChoice};
use thidua_store::{DossierHeader, Store, UserRow, Who};

async fn account(store: &Store, login: &str) -> UserRow {
    store
        .user_for_login(login)
        .await
        .expect("read")
        .expect("demo account")
        .0
}

fn who(u: &UserRow) -> Who {
    Who {
        user_id: Some(u.id),
        login: u.login.clone(),
        ip: None,
    }
}

/// The steps the dossier journey already walks through the pages, taken
/// here through the same app door: submission to the leader's approval.
async fn to_approval(store: &Store, id: DossierId) {
    let today = crate::pages::today_vn();
    let hoa = account(store, "hoa.snv").await;
    let hung = account(store, "hung.hd").await;
    let minh = account(store, "minh.ld").await;
    let d = store.dossier(id).await.expect("read").expect("dossier");
    let w = who(&hoa);
    let by = By {
        user: &hoa,
        who: &w,
        today,
    };
    update_header(
        store,
        &by,
        id,
        &DossierHeader {
            award_type: d.award_type,
            movement_id: d.movement_id,
            title: d.title.clone(),
            letter_number: Some("120/TTr-SNV".into()),
            letter_date: Some(today),
            letter_signer: Some("Nguyễn Thị Hoa".into()),
        },
    )
    .await
    .expect("letter");
    let steps: [(&UserRow, DossierAction); 7] = [
        (&hoa, DossierAction::Submit),
        (&hoa, DossierAction::Receive),
        (&hoa, DossierAction::StartAppraisal),
        (&hoa, DossierAction::Post),
        (&hoa, DossierAction::OpenCouncil),
        (&hoa, DossierAction::ConcludeVote),
        (&minh, DossierAction::Approve),
    ];
    for (u, action) in steps {
        if action == DossierAction::ConcludeVote {
            let wh = who(&hung);
            let b = By {
                user: &hung,
                who: &wh,
                today,
            };
            for l in store.dossier_lines(id).await.expect("lines") {
                vote(store, &b, id, l.id, VoteChoice::Agree)
                    .await
                    .expect("vote");
            }
        }
        let version = store.dossier(id).await.expect("read").expect("d").version;
        let wu = who(u);
        let input = StepInput {
            action: Some(action),
            version,
            receipt_number: "TN-120".into(),
            from: Some(today),
            until: Some(today),
            ..Default::default()
        };
        take_step(
            store,
            &By {
                user: u,
                who: &wu,
                today,
            },
            id,
            &input,
        )
        .await
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }
}

/// The emulation office records three achievements at the tổng kết of the
/// peak campaign (Kế hoạch 461/KH-UBND) and turns them into a thematic
/// dossier; the leader issues the Bằng khen.
async fn thematic_from_the_final_review(c: &Client, base: &str, store: &Store) {
    let today = crate::pages::today_vn();
    let dept = store
        .resolve_code("LD.SNV", None, today)
        .await
        .expect("q")
        .expect("LD.SNV")
        .id;
    let people: Vec<(i64, String)> = store
        .people_in_unit(dept, today)
        .await
        .expect("people")
        .into_iter()
        .map(|(p, _)| (p.id, p.full_name))
        .filter(|(_, n)| n != thidua_app::demo_unit_awards::FLAGGED_PERSON)
        .take(3)
        .collect();
    assert_eq!(people.len(), 3);
    login(c, base, "hoa.snv").await;
    c.goto(&format!("{base}/phong-trao/CD20-DNO-2022"))
        .await
        .expect("movement");
    click(c, "//a[.='Thành tích, khen thưởng theo đợt']").await;
    for (id, _) in &people {
        let f = until(c, "//form[@id='achievement-form']").await;
        let review = f
            .find(Locator::XPath(
                ".//select[@name='review']/option[starts-with(., 'Tổng kết')]",
            ))
            .await
            .expect("final review")
            .attr("value")
            .await
            .expect("attr")
            .expect("value");
        choose(
            c,
            "//form[@id='achievement-form']//select[@name='review']",
            &review,
        )
        .await;
        let form = c
            .form(Locator::Css("form#achievement-form"))
            .await
            .expect("form");
        form.set_by_name("person", &id.to_string())
            .await
            .expect("person");
        form.set_by_name("summary", "Tiêu biểu trong đợt thi đua cao điểm 2022–2023")
            .await
            .expect("summary");
        click(
            c,
            "//form[@id='achievement-form']//input[@name='outstanding']",
        )
        .await;
        let page = c.find(Locator::Css("html")).await.expect("page");
        form.submit().await.expect("record");
        // The next page, not this one's flash from the previous round.
        for _ in 0..100 {
            if page.tag_name().await.is_err() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        until(
            c,
            "//p[@id='flash'][contains(@class, 'success')][contains(., 'Đã ghi thành tích')]",
        )
        .await;
    }
    shot(c, "60-thanh-tich-tong-ket").await;
    for (_, name) in &people {
        click(
            c,
            &format!("//table[@id='achievements']//tr[@data-subject=\"{name}\"]//input[@name='achievement']"),
        )
        .await;
    }
    let bk = c
        .find(Locator::XPath(
            "//form[@id='propose-form']//select[@name='code']/option[@value='BANG_KHEN_TINH']",
        ))
        .await
        .expect("the provincial Bằng khen is offered");
    bk.click().await.expect("choose");
    click(c, "//form[@id='propose-form']//button[@type='submit']").await;
    state_is(c, "draft").await;
    for (_, name) in &people {
        until(c, &format!("{}[@data-outcome='eligible']", row(name))).await;
    }
    let url = c.current_url().await.expect("url");
    let id: i64 = url
        .path()
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("dossier id");
    to_approval(store, DossierId(id)).await;
    logout(c).await;
    login(c, base, "minh.ld").await;
    c.goto(&format!("{base}/ho-so/{id}"))
        .await
        .expect("dossier");
    let today_vn = thidua_domain::VnDate(today).to_string();
    take(c, "issue_decision", &[("date", &today_vn)]).await;
    state_is(c, "decided").await;
    click(c, "//p[@id='decision-links']/a[.='Xem quyết định']").await;
    let words = pdf_words(&download(c, "//a[@id='pdf']").await);
    for must in [
        "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        "Về việc tặng Bằng khen",
        "trong phong trào thi đua «Thi đua cao điểm",
        "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
        "Nghị định số 152/2025/NĐ-CP",
        "Phạm Thị Minh",
    ] {
        assert!(words.contains(must), "«{must}» in {words}");
    }
    assert!(!words.contains("98/2023"), "{words}");
    c.goto(&format!("{base}/phong-trao/CD20-DNO-2022/thanh-tich"))
        .await
        .expect("achievements");
    for (_, name) in &people {
        until(
            c,
            &format!("//tr[@data-subject=\"{name}\"]/td[@class='status'][starts-with(., 'Đã khen: Bằng khen')]"),
        )
        .await;
    }
    shot(c, "61-thanh-tich-da-khen").await;
}

/// Trần Thị Lan, officer of Cao Bằng's Sở Tài chính, records the
/// director's Giấy khen for two of its staff: no province step.
async fn a_department_gives_its_directors_giay_khen(c: &Client, base: &str, store: &Store) {
    let today = crate::pages::today_vn();
    let stc = store
        .resolve_code("CB.STC", None, today)
        .await
        .expect("q")
        .expect("CB.STC")
        .id;
    logout(c).await;
    login(c, base, "lan.stc").await;
    c.goto(&format!("{base}/to-chuc/{}", stc.0))
        .await
        .expect("unit");
    click(c, "//a[.='Khen thưởng của thủ trưởng']").await;
    until(c, "//h1[contains(., 'Giám đốc Sở Tài chính')]").await;
    for i in [1, 2] {
        click(
            c,
            &format!("(//form[@id='unit-award-form']//input[@name='person'])[{i}]"),
        )
        .await;
    }
    let f = c
        .form(Locator::Css("form#unit-award-form"))
        .await
        .expect("form");
    f.set_by_name("signer", "Hoàng Văn Tuấn")
        .await
        .expect("signer");
    f.set_by_name("signer_title", "Giám đốc")
        .await
        .expect("title");
    f.submit().await.expect("issue");
    until(
        c,
        "//p[@id='flash'][contains(@class, 'success')][contains(., 'Đã ban hành quyết định')]",
    )
    .await;
    shot(c, "62-giay-khen-giam-doc-so").await;
    // Each line shows its bonus: 0,3 × 2.340.000 rounded up to 800.000 đồng.
    let bonus = c
        .find(Locator::XPath(
            "//main//table//tbody/tr[1]/td[@class='num']",
        ))
        .await
        .expect("bonus cell")
        .text()
        .await
        .expect("text");
    assert_eq!(bonus, "800.000 đồng");
    let words = pdf_words(&download(c, "//a[@id='pdf']").await);
    for must in [
        "UBND TỈNH CAO BẰNG",
        "SỞ TÀI CHÍNH",
        "Số: 1/QĐ-STC",
        "GIÁM ĐỐC SỞ TÀI CHÍNH",
        "Về việc tặng Giấy khen",
        "Nghị định số 152/2025/NĐ-CP",
        "Hoàng Văn Tuấn",
    ] {
        assert!(words.contains(must), "«{must}» in {words}");
    }
    assert!(
        !words.contains("CHỦ TỊCH"),
        "signed by the director: {words}"
    );
}

/// The administrator records the revocation of Đinh Văn Phúc's 2019
/// provincial Bằng khen (Cao Bằng); his Prime Minister's Bằng khen of 2025,
/// which rested on it, is flagged.
async fn a_revocation_flags_the_later_award(c: &Client, base: &str, store: &Store) {
    let earlier = store
        .decisions(Some(thidua_app::demo_unit_awards::EARLIER_DECISION), 1)
        .await
        .expect("read")
        .pop()
        .expect("the 2019 decision");
    let today = thidua_domain::VnDate(crate::pages::today_vn()).to_string();
    logout(c).await;
    login(c, base, "admin").await;
    c.goto(&format!("{base}/quyet-dinh/{}", earlier.id.0))
        .await
        .expect("decision");
    click(c, "//form[@id='amend-form']//input[@name='award']").await;
    choose(
        c,
        "//form[@id='amend-form']//select[@name='kind']",
        "revocation",
    )
    .await;
    let f = c.form(Locator::Css("form#amend-form")).await.expect("form");
    f.set_by_name("number", "950/QĐ-UBND")
        .await
        .expect("number");
    f.set_by_name("date", &today).await.expect("date");
    f.set_by_name("signer", "Phạm Thị Minh")
        .await
        .expect("signer");
    f.set_by_name(
        "reason",
        "Kê khai thành tích không trung thực (Điều 93 khoản 1 điểm a)",
    )
    .await
    .expect("reason");
    f.submit().await.expect("revoke");
    until(c, "//h1[contains(., '950/QĐ-UBND')]").await;
    let words = pdf_words(&download(c, "//a[@id='pdf']").await);
    for must in [
        "Về việc hủy bỏ quyết định khen thưởng",
        "Nghị định số 152/2025/NĐ-CP",
        "Kê khai thành tích không trung thực",
    ] {
        assert!(words.contains(must), "«{must}» in {words}");
    }
    click(
        c,
        &format!(
            "//a[.=\"{}\"]",
            thidua_app::demo_unit_awards::FLAGGED_PERSON
        ),
    )
    .await;
    let flagged = until(
        c,
        "//tr[.//a[contains(., '1875/QĐ-TTg')]]//strong[contains(@class, 'flag')]",
    )
    .await;
    assert_eq!(flagged.text().await.expect("text"), "cần xét lại");
    let reason = text(c).await;
    assert!(
        reason.contains("950/QĐ-UBND") && reason.contains("Điều 73"),
        "{reason}"
    );
    shot(c, "63-khen-thuong-can-xet-lai").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awards_of_every_type_and_issuer() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    db.store
        .set_procedure_settings(
            &Who::system("test"),
            &[(thidua_domain::dossier::POSTING.to_owned(), 0)],
        )
        .await
        .expect("posting days");
    let c = browser(&d).await;
    thematic_from_the_final_review(&c, &app.base, &db.store).await;
    a_department_gives_its_directors_giay_khen(&c, &app.base, &db.store).await;
    a_revocation_flags_the_later_award(&c, &app.base, &db.store).await;
    c.close().await.ok();
}
