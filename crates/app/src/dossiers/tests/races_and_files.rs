//! Two appraisers at once, uploads judged by their content, and the rest of
//! a dossier's edges, on both engines.

use super::*;

engine_tests!(two_appraisers_at_once_one_wins, |store| async move {
    let w = world(store).await;
    let (id, ..) = submitted(store, &w).await;
    let version = store.dossier(id).await.unwrap().unwrap().version;
    let input = |n: &str| StepInput {
        action: Some(DossierAction::Receive),
        version,
        receipt_number: n.into(),
        ..Default::default()
    };
    let (wa, wb) = (who_of(&w.appraiser), who_of(&w.appraiser2));
    let (ia, ib) = (input("TN-A"), input("TN-B"));
    let (ba, bb) = (by(&w.appraiser, &wa, TODAY), by(&w.appraiser2, &wb, TODAY));
    let (a, b) = tokio::join!(
        take_step(store, &ba, id, &ia),
        take_step(store, &bb, id, &ib)
    );
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    let loser = a.err().or(b.err()).unwrap();
    assert!(message(loser).contains("vừa được người khác cập nhật"));
    let d = store.dossier(id).await.unwrap().unwrap();
    assert_eq!(d.state, DossierState::Received);
    assert_eq!(d.version, version + 1);
    assert!(matches!(d.receipt_number.as_deref(), Some("TN-A" | "TN-B")));
    let received = store
        .dossier_events(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.as_str() == "receive")
        .count();
    assert_eq!(received, 1);
});

engine_tests!(
    random_steps_audit_exactly_the_transitions,
    |store| async move {
        let w = world(store).await;
        let (id, hen_line, _) = submitted(store, &w).await;
        let people = [
            &w.unit_officer,
            &w.appraiser,
            &w.leader,
            &w.members[0],
            &w.other_officer,
        ];
        let mut seed: u64 = 0x5eed;
        let mut ok = 1; // the submission
        let mut day = TODAY;
        for _ in 0..60 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = people[(seed >> 33) as usize % people.len()];
            let a = DossierAction::ALL[(seed >> 40) as usize % DossierAction::ALL.len()];
            day = day.next_day().unwrap();
            let r = step(
                store,
                u,
                id,
                a,
                |i| {
                    i.note = "Lý do".into();
                    i.receipt_number = "TN-1".into();
                    i.from = Some(day);
                    i.until = Some(day);
                    i.number = "5/QĐ-UBND".into();
                    i.date = Some(day);
                    i.signer = "Ký".into();
                    i.issuer = "Thủ tướng Chính phủ".into();
                    i.lines = vec![];
                },
                day,
            )
            .await;
            if r.is_ok() {
                ok += 1;
            }
            let _ = hen_line;
        }
        let transitions = store
            .dossier_events(id)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.from_state.is_some())
            .count();
        assert_eq!(transitions, ok);
        let (_, audited) = store
            .audit_page(
                &AuditFilter {
                    action: Some("dossier.transition".into()),
                    object_id: Some(id.to_string()),
                    ..Default::default()
                },
                0,
                1000,
            )
            .await
            .unwrap();
        assert_eq!(audited as usize, ok);
        assert!(store.audit_verify().await.unwrap().is_ok());
    }
);

#[test]
fn uploads_are_judged_by_their_content() {
    assert_eq!(
        check_upload("a.pdf", &sample_pdf("thử")).unwrap().0,
        "application/pdf"
    );
    // The header alone, a PDF cut off in transfer, an offset outside the file.
    assert!(check_upload("a.pdf", b"%PDF-1.7 ...").is_err());
    let whole = sample_pdf("thử");
    assert!(check_upload("a.pdf", &whole[..whole.len() - 40]).is_err());
    let text = String::from_utf8(whole.clone()).unwrap();
    let lying = text.replace(
        &format!(
            "startxref\n{}",
            text.split("startxref\n")
                .nth(1)
                .unwrap()
                .lines()
                .next()
                .unwrap()
        ),
        "startxref\n99999999",
    );
    assert!(check_upload("a.pdf", lying.as_bytes()).is_err());
    let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml....";
    assert!(
        check_upload("bao-cao.docx", docx)
            .unwrap()
            .0
            .contains("wordprocessingml")
    );
    // A renamed program, an HTML page, an empty file, an XLSX.
    assert!(check_upload("virus.pdf", b"MZ\x90\x00").is_err());
    assert!(check_upload("x.pdf", b"<html><script>").is_err());
    assert!(check_upload("x.pdf", b"").is_err());
    assert!(check_upload("x.docx", b"PK\x03\x04[Content_Types].xml xl/workbook.xml").is_err());
    let big = vec![b'%'; MAX_UPLOAD + 1];
    let err = check_upload("to.pdf", &big).unwrap_err().to_string();
    assert!(err.contains("quá lớn"), "{err}");
    let (_, sha) = check_upload("a.pdf", &sample_pdf("")).unwrap();
    assert_eq!(sha.len(), 64);
}

engine_tests!(
    a_thematic_dossier_is_judged_as_thematic,
    |store| async move {
        let w = world(store).await;
        let who = who_of(&w.unit_officer);
        let b = by(&w.unit_officer, &who, TODAY);
        let mut thematic = header(Some("15/TTr-UBND"));
        thematic.award_type = thidua_domain::eligibility::request::AwardType::Thematic;
        let id = create(store, &b, w.commune, &thematic).await.unwrap();
        // Bình has no titles: as a regular Bằng khen he would not qualify;
        // a thematic one rests on a recorded achievement, and without one
        // the appraiser must judge (the achievement flow is in
        // `achievements::tests`).
        add_line(
            store,
            &b,
            id,
            &LineInput {
                subject: SubjectRef::Person(w.binh),
                code: "BANG_KHEN_TINH".into(),
                period_from: 2019,
                period_to: 2023,
                summary: "Tiêu biểu trong đợt thi đua cao điểm 2019–2023".into(),
                achievement: None,
            },
        )
        .await
        .unwrap();
        let lines = store.dossier_lines(id).await.unwrap();
        assert_eq!(lines[0].outcome, Some(Outcome::NeedsReview), "{lines:?}");
        assert!(
            lines[0]
                .verdict
                .as_deref()
                .unwrap_or("")
                .contains("achievement")
        );
        // And it can be sent without a reason to override the engine.
        step(
            store,
            &w.unit_officer,
            id,
            DossierAction::Submit,
            |_| {},
            TODAY,
        )
        .await
        .unwrap();
    }
);

// Lao động tiên tiến and its collective twin are the unit's own annual
// review: the page never offers them, and the app refuses them whoever asks.
engine_tests!(
    annual_review_titles_are_not_proposed_in_a_dossier,
    |store| async move {
        let w = world(store).await;
        let who = who_of(&w.unit_officer);
        let b = by(&w.unit_officer, &who, TODAY);
        let id = create(store, &b, w.commune, &header(None)).await.unwrap();
        for (subject, code) in [
            (SubjectRef::Person(w.hen), "LAO_DONG_TIEN_TIEN"),
            (SubjectRef::Unit(w.commune), "TAP_THE_LAO_DONG_TIEN_TIEN"),
        ] {
            let err = add_line(
                store,
                &b,
                id,
                &LineInput {
                    subject,
                    code: code.into(),
                    period_from: 2025,
                    period_to: 2025,
                    summary: String::new(),
                    achievement: None,
                },
            )
            .await
            .unwrap_err();
            assert!(
                matches!(err, AppError::Invalid { field: "code", .. }),
                "{err}"
            );
            assert!(err.to_string().contains("bình xét hằng năm"), "{err}");
        }
        assert!(store.dossier_lines(id).await.unwrap().is_empty());
    }
);
