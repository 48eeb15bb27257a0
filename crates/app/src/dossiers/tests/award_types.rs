//! Awards of the other types and issuers, on a real store: a movement's
//! final review turned into a thematic dossier and its Bằng khen; a
//! department director's Giấy khen and a commune chairman's titles issued
//! inside the unit; a revocation flagging the later award that rested on
//! it, and a finding re-judging an award.

use super::*;
use crate::achievements::{self, AchievementInput};
use crate::decisions::tests::pdf_text;
use crate::decisions::{Amendment, Format, render};
use crate::unit_awards::{UnitAward, UnitAwardLine, issue};
use thidua_domain::decision::{DecisionId, DecisionKind};
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::movement::{LaunchLevel, MovementCode, MovementKind, MovementStatus};
use thidua_store::{DecisionEffect, NewDecision, NewMovement, RegistryEntry, Review};

/// A provincial movement of 2021–2025 at its final review.
async fn reviewed_movement(store: &Store, w: &World) -> (i64, i64) {
    let new = NewMovement {
        code: MovementCode::parse("DONG-KHOI-2021").unwrap(),
        name: "Đồng khởi, đồng hành phát triển".into(),
        kind: MovementKind::Thematic,
        level: LaunchLevel::Province,
        authority: Some(w.province),
        doc_number: None,
        doc_date: None,
        doc_signer: None,
        theme: None,
        start: date!(2021 - 01 - 01),
        end: Some(date!(2025 - 12 - 31)),
        registration_deadline: None,
        parent: None,
        target_collectives: Vec::new(),
        target_individuals: Vec::new(),
        content_areas: Vec::new(),
        award_forms: vec!["Bằng khen của Chủ tịch UBND tỉnh".into()],
        criteria: Vec::new(),
        indicators: Vec::new(),
    };
    let id = store.create_movement(&sys(), &new).await.unwrap();
    for s in [MovementStatus::Launched, MovementStatus::Running] {
        store
            .set_movement_status(&sys(), id, s, None)
            .await
            .unwrap();
    }
    store
        .set_movement_status(
            &sys(),
            id,
            MovementStatus::FinalReview,
            Some(&Review {
                held_on: date!(2026 - 10 - 20),
                doc_number: None,
                report: "Tổng kết 5 năm".into(),
            }),
        )
        .await
        .unwrap();
    let review = store.movement_reviews(id).await.unwrap()[0].id;
    (id, review)
}

/// The dossier from submission to the decision, in one day.
async fn walk_to_decision(store: &Store, w: &World, proposer: &UserRow, id: DossierId) {
    let on = TODAY;
    let go = |u: &UserRow, a: DossierAction, f: fn(&mut StepInput)| {
        let u = u.clone();
        async move { step(store, &u, id, a, f, on).await.unwrap() }
    };
    go(proposer, DossierAction::Submit, |_| {}).await;
    go(&w.appraiser, DossierAction::Receive, |i| {
        i.receipt_number = "TN-01".into();
    })
    .await;
    go(&w.appraiser, DossierAction::StartAppraisal, |_| {}).await;
    go(&w.appraiser, DossierAction::Post, |i| {
        i.from = Some(TODAY);
        i.until = Some(TODAY);
    })
    .await;
    go(&w.appraiser, DossierAction::OpenCouncil, |_| {}).await;
    for line in store.dossier_lines(id).await.unwrap() {
        for m in &w.members {
            let who = who_of(m);
            vote(store, &by(m, &who, on), id, line.id, VoteChoice::Agree)
                .await
                .unwrap();
        }
    }
    go(&w.appraiser, DossierAction::ConcludeVote, |_| {}).await;
    go(&w.leader, DossierAction::Approve, |_| {}).await;
    go(&w.leader, DossierAction::IssueDecision, |i| {
        i.date = Some(TODAY);
        i.signer = "Phạm Thị Minh".into();
        i.signer_title = "Phó Chủ tịch".into();
    })
    .await;
}

engine_tests!(
    a_final_review_turns_achievements_into_a_thematic_award,
    |store| async move {
        let w = world(store).await;
        store
            .set_procedure_settings(&sys(), &[(thidua_domain::dossier::POSTING.to_owned(), 0)])
            .await
            .unwrap();
        let (m, review) = reviewed_movement(store, &w).await;
        let who = who_of(&w.appraiser);
        let record = |subject, outstanding, summary: &str| {
            let input = AchievementInput {
                review: Some(review),
                subject,
                period_from: 2021,
                period_to: 2025,
                outstanding,
                summary: summary.to_owned(),
            };
            let (u, who) = (w.appraiser.clone(), who.clone());
            async move { achievements::record(store, &u, &who, TODAY, m, &input).await }
        };
        let hen = record(SubjectRef::Person(w.hen), true, "Dẫn đầu phong trào")
            .await
            .unwrap();
        let binh = record(
            SubjectRef::Person(w.binh),
            true,
            "Hiến 500 m² đất làm đường",
        )
        .await
        .unwrap();
        let commune = record(SubjectRef::Unit(w.commune), false, "Hoàn thành kế hoạch")
            .await
            .unwrap();
        // Outside the movement's years; and not the commune's own to record.
        let mut late = AchievementInput {
            review: Some(review),
            subject: SubjectRef::Person(w.hen),
            period_from: 2019,
            period_to: 2025,
            outstanding: true,
            summary: "x".into(),
        };
        let err = achievements::record(store, &w.appraiser, &who, TODAY, m, &late)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("2021–2025"), "{err}");
        late.period_from = 2021;
        let officer = who_of(&w.unit_officer);
        assert!(matches!(
            achievements::record(store, &w.unit_officer, &officer, TODAY, m, &late).await,
            Err(AppError::Denied(_))
        ));

        let b = by(&w.appraiser, &who, TODAY);
        let id =
            achievements::propose_dossier(store, &b, m, &[hen, binh, commune], "BANG_KHEN_TINH")
                .await
                .unwrap();
        let lines = store.dossier_lines(id).await.unwrap();
        let outcome = |s: SubjectRef| lines.iter().find(|l| l.subject == s).unwrap().outcome;
        // Neither Hen nor Bình holds the years of titles a regular Bằng
        // khen asks; the reviewed achievement is what counts.
        assert_eq!(
            outcome(SubjectRef::Person(w.binh)),
            Some(Outcome::Eligible),
            "{lines:?}"
        );
        assert_eq!(outcome(SubjectRef::Person(w.hen)), Some(Outcome::Eligible));
        assert_eq!(
            outcome(SubjectRef::Unit(w.commune)),
            Some(Outcome::NotEligible)
        );
        let again = achievements::propose_dossier(store, &b, m, &[hen], "BANG_KHEN_TINH").await;
        assert!(again.unwrap_err().to_string().contains("đã có trong hồ sơ"));
        let commune_line = lines
            .iter()
            .find(|l| l.subject == SubjectRef::Unit(w.commune))
            .unwrap();
        remove_line(store, &b, id, commune_line.id).await.unwrap();
        let dossier = store.dossier(id).await.unwrap().unwrap();
        let h = DossierHeader {
            award_type: AwardType::Thematic,
            movement_id: Some(m),
            title: dossier.title.clone(),
            letter_number: Some("88/TTr-SNV".into()),
            letter_date: Some(TODAY),
            letter_signer: Some("Lê Văn Sở".into()),
        };
        update_header(store, &b, id, &h).await.unwrap();
        walk_to_decision(store, &w, &w.appraiser, id).await;

        let reg = store.registry(SubjectRef::Person(w.binh)).await.unwrap();
        let award = reg
            .awards
            .iter()
            .find(|a| a.code == "BANG_KHEN_TINH")
            .unwrap();
        assert_eq!(award.award_type, AwardType::Thematic);
        assert_eq!(
            store.achievement_awards(binh).await.unwrap(),
            ["BANG_KHEN_TINH"]
        );
        // Used at that level: a second Bằng khen for it is refused.
        let id2 = achievements::propose_dossier(store, &b, m, &[binh], "BANG_KHEN_TINH")
            .await
            .unwrap();
        let l2 = &store.dossier_lines(id2).await.unwrap()[0];
        assert_eq!(l2.outcome, Some(Outcome::NotEligible));
        assert!(
            l2.verdict
                .as_deref()
                .unwrap()
                .contains("achievement_not_rewarded_twice")
        );

        let d = store.dossier_decision(id).await.unwrap().unwrap();
        let text = pdf_text(&render(store, d.id, Format::Pdf).await.unwrap());
        assert!(
            text.contains("phong trào thi đua «Đồng khởi, đồng hành phát triển»"),
            "{text}"
        );
        assert!(text.contains("Nghị định số 152/2025/NĐ-CP"), "{text}");
        assert!(text.contains("KT. CHỦ TỊCH PHÓ CHỦ TỊCH"), "{text}");
        assert!(text.contains("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THỬ"), "{text}");
        assert!(!text.contains("của và"), "{text}");
    }
);

engine_tests!(
    a_department_and_a_commune_issue_their_own_awards,
    |store| async move {
        let w = world(store).await;
        let dept = unit(
            store,
            "SNV1",
            UnitKind::StateAgency,
            "Sở Nội vụ",
            Some(w.province),
        )
        .await;
        let clerk = person(store, "Lò Thị Mai", dept).await;
        let officer = user(store, "snv", Role::UnitOfficer, dept).await;
        let who = who_of(&officer);
        let award = |code: &str, unit: UnitId, subject: SubjectRef, date: Date| UnitAward {
            unit,
            code: code.into(),
            award_type: AwardType::Regular,
            movement: None,
            number: String::new(),
            date,
            signer: "Trần Văn Giám".into(),
            signer_title: "Giám đốc".into(),
            lines: vec![UnitAwardLine {
                subject,
                period_from: 2026,
                period_to: 2026,
                summary: "hoàn thành xuất sắc nhiệm vụ năm 2026".into(),
            }],
        };
        let id = issue(
            store,
            crate::movements::Enterer::User(&officer),
            &who,
            TODAY,
            &award("GIAY_KHEN", dept, SubjectRef::Person(clerk), TODAY),
        )
        .await
        .unwrap();
        let d = store.decision(id).await.unwrap().unwrap();
        assert_eq!(d.issuer, "Giám đốc Sở Nội vụ");
        assert_eq!(d.number, "1/QĐ-SNV");
        let text = pdf_text(&render(store, id, Format::Pdf).await.unwrap());
        for want in [
            "UBND TỈNH THỬ",
            "SỞ NỘI VỤ",
            "GIÁM ĐỐC SỞ NỘI VỤ",
            "Nghị định số 152/2025/NĐ-CP",
            "Hội đồng Thi đua – Khen thưởng Sở Nội vụ",
        ] {
            assert!(text.contains(want), "{want}: {text}");
        }
        assert!(!text.contains("CHỦ TỊCH"), "{text}");
        // Above the director's competence (Điều 80), outside the unit, or
        // by another unit's officer: refused.
        let err = issue(
            store,
            crate::movements::Enterer::User(&officer),
            &who,
            TODAY,
            &award("BANG_KHEN_TINH", dept, SubjectRef::Person(clerk), TODAY),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("Điều 80"), "{err}");
        let err = issue(
            store,
            crate::movements::Enterer::User(&officer),
            &who,
            TODAY,
            &award("GIAY_KHEN", dept, SubjectRef::Person(w.hen), TODAY),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("không thuộc đơn vị"), "{err}");
        let other = who_of(&w.unit_officer);
        assert!(matches!(
            issue(
                store,
                crate::movements::Enterer::User(&w.unit_officer),
                &other,
                TODAY,
                &award("GIAY_KHEN", dept, SubjectRef::Person(clerk), TODAY)
            )
            .await,
            Err(AppError::Denied(_))
        ));
        // The commune chairman: CSTĐCS only from 01/07/2025.
        let mut cstdcs = award(
            "CHIEN_SI_THI_DUA_CO_SO",
            w.commune,
            SubjectRef::Person(w.binh),
            date!(2025 - 06 - 30),
        );
        cstdcs.signer_title = "Chủ tịch".into();
        cstdcs.lines[0].period_from = 2024;
        cstdcs.lines[0].period_to = 2024;
        let err = issue(
            store,
            crate::movements::Enterer::User(&w.unit_officer),
            &other,
            TODAY,
            &cstdcs,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("không có thẩm quyền"), "{err}");
        let mut gk = award("GIAY_KHEN", w.commune, SubjectRef::Person(w.binh), TODAY);
        gk.signer_title = "Phó Chủ tịch".into();
        let id = issue(
            store,
            crate::movements::Enterer::User(&w.unit_officer),
            &other,
            TODAY,
            &gk,
        )
        .await
        .unwrap();
        let text = pdf_text(&render(store, id, Format::Pdf).await.unwrap());
        assert!(text.contains("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ THỬ"), "{text}");
        assert!(text.contains("KT. CHỦ TỊCH PHÓ CHỦ TỊCH"), "{text}");
        assert!(
            text.contains("Quỹ thi đua, khen thưởng của xã Thử"),
            "{text}"
        );
    }
);

/// A decision the registry holds from before: (code, number, date, years).
type Past<'a> = (&'a str, &'a str, Date, (i32, i32));

async fn historical(store: &Store, w: &World, past: Past<'_>, issuer_kind: Option<&str>) -> i64 {
    let (code, number, date, (from, to)) = past;
    store
        .add_decision(
            &sys(),
            &NewDecision {
                kind: DecisionKind::Award,
                issuer: if issuer_kind.is_some() {
                    "Thủ tướng Chính phủ".into()
                } else {
                    ISSUER_PROVINCE.into()
                },
                issuer_unit: issuer_kind.is_none().then_some(w.province),
                number: number.into(),
                serial: None,
                date,
                signer: "Nguyễn Văn A".into(),
                signer_title: "Chủ tịch".into(),
                grounds: String::new(),
                proposer: String::new(),
                award_code: Some(code.into()),
                refers_to: None,
                reason: None,
                dossier: None,
                base_salary_vnd: None,
                issuer_kind: issuer_kind.map(str::to_owned),
            },
            &DecisionEffect::Award(vec![RegistryEntry {
                subject: SubjectRef::Person(w.binh),
                code: code.into(),
                annual_title: false,
                period_from: from,
                period_to: to,
                award_type: "regular".into(),
                achievement: None,
                bonus_vnd: None,
                subject_unit: Some(w.commune),
                movement: None,
            }]),
        )
        .await
        .unwrap()
}

engine_tests!(
    a_revocation_flags_the_later_award_that_rested_on_it,
    |store| async move {
        let w = world(store).await;
        for year in 2018..=2024 {
            store
                .set_rating(&sys(), w.binh, year, Rating::CompletedWell, Some(w.commune))
                .await
                .unwrap();
        }
        for year in [2020, 2022, 2024] {
            store
                .add_title(
                    &sys(),
                    &NewTitle {
                        subject: SubjectRef::Person(w.binh),
                        year,
                        code: "CHIEN_SI_THI_DUA_CO_SO".into(),
                        decision_number: Some(format!("{}/QĐ-UBND", year - 2000)),
                        decision_date: Some(
                            Date::from_calendar_date(year, time::Month::December, 20).unwrap(),
                        ),
                    },
                )
                .await
                .unwrap();
        }
        let bk = historical(
            store,
            &w,
            (
                "BANG_KHEN_TINH",
                "45/QĐ-UBND",
                date!(2019 - 03 - 01),
                (2018, 2018),
            ),
            None,
        )
        .await;
        let ttg = historical(
            store,
            &w,
            (
                "BANG_KHEN_THU_TUONG",
                "1210/QĐ-TTg",
                date!(2025 - 10 - 01),
                (2019, 2024),
            ),
            Some("thu_tuong"),
        )
        .await;
        let text = pdf_text(&render(store, DecisionId(ttg), Format::Pdf).await.unwrap());
        for want in [
            "THỦ TƯỚNG CHÍNH PHỦ",
            "Luật Tổ chức Chính phủ",
            "Điều 2. Quyết định này có hiệu lực",
        ] {
            assert!(text.contains(want), "{want}: {text}");
        }
        assert!(!text.contains("Sở Nội vụ"), "{text}");
        let old = pdf_text(&render(store, DecisionId(bk), Format::Pdf).await.unwrap());
        assert!(
            old.contains("Nghị định số 91/2017/NĐ-CP") && !old.contains("2022"),
            "{old}"
        );

        let lines = store.decision_lines(DecisionId(bk)).await.unwrap();
        let rev = crate::decisions::amend(
            store,
            &who_of(&w.leader),
            TODAY,
            &Amendment {
                kind: DecisionKind::Revocation,
                refers_to: DecisionId(bk),
                awards: vec![lines[0].award_id],
                titles: Vec::new(),
                achievement: None,
                number: "900/QĐ-UBND".into(),
                date: TODAY,
                signer: "Phạm Thị Minh".into(),
                signer_title: "Chủ tịch".into(),
                reason: "Gian dối trong kê khai thành tích (Điều 93 khoản 1 điểm a)".into(),
            },
        )
        .await
        .unwrap();
        let flags = store
            .flags_of_subject(SubjectRef::Person(w.binh))
            .await
            .unwrap();
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].source_decision_id, Some(rev.0));
        assert!(
            flags[0].message.contains("1210/QĐ-TTg"),
            "{}",
            flags[0].message
        );
        assert!(flags[0].message.contains("Điều 73"), "{}", flags[0].message);

        // A finding about 2021 re-judges the Prime Minister's award.
        let ttg_award = store.decision_lines(DecisionId(ttg)).await.unwrap()[0].award_id;
        let v = crate::rechecks::record_finding(
            store,
            &w.leader,
            &who_of(&w.leader),
            TODAY,
            &crate::rechecks::FindingInput {
                award: ttg_award,
                year: 2021,
                ground: "criteria_not_met".into(),
                document: "Kết luận thanh tra số 12/KL-TTr".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap()
        .unwrap();
        assert!(v.checks.iter().any(|c| c.rule == "finding"
            && !c.passed
            && c.article.starts_with("Điều 93 khoản 1 điểm d")));
        assert_eq!(
            store
                .flags_of_subject(SubjectRef::Person(w.binh))
                .await
                .unwrap()
                .len(),
            2
        );
        let err = crate::rechecks::record_finding(
            store,
            &w.unit_officer,
            &who_of(&w.unit_officer),
            TODAY,
            &crate::rechecks::FindingInput {
                award: ttg_award,
                year: 2021,
                ground: "criteria_not_met".into(),
                document: "x".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(err, AppError::Denied(_)), "{err}");
    }
);
