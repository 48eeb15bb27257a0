use super::*;
use thidua_domain::cluster::MemberRole;
use thidua_domain::eligibility::Outcome;
use thidua_store::NewAward;
use time::macros::date;

const TODAY: Date = date!(2026 - 01 - 20);

thidua_store::engine_tests!(
    leaders_become_flag_dossiers_judged_by_the_engine,
    |store| async move {
        let who = Who::system("test");
        crate::demo::seed(store, &who, &|_| {}).await.expect("demo");
        let unit = |code: &'static str| async move {
            store
                .resolve_code(code, None, TODAY)
                .await
                .expect("q")
                .unwrap_or_else(|| panic!("{code}"))
                .id
        };
        let (stc, syt, province) = (unit("CB.STC").await, unit("CB.SYT").await, unit("04").await);
        let k1 = store.cluster_by_code("CB-K1", 2025).await.unwrap().unwrap();
        let open = store.cluster_by_code("CB-K1", 2026).await.unwrap().unwrap();

        // What the engine reads: the demo's 2025 block, finalised with its
        // vote's minutes, led by Sở Tài chính; Sở Y tế third, not a leader.
        let r = results_of_unit(store, stc).await.unwrap();
        assert_eq!(r.len(), 1, "the open 2026 block proves nothing: {r:?}");
        assert_eq!(
            (r[0].year, r[0].rank, r[0].leader, r[0].voted),
            (2025, Some(1), true, Some(true))
        );
        assert_eq!(r[0].cluster_type.as_deref(), Some("khoi"));
        let r = results_of_unit(store, syt).await.unwrap();
        assert_eq!((r[0].rank, r[0].leader, r[0].voted), (Some(3), false, None));

        // A member that is not the head may not propose; nor may anyone
        // before the year is finalised.
        let (mai, _) = store.user_for_login("mai.syt").await.unwrap().unwrap();
        let (lan, _) = store.user_for_login("lan.stc").await.unwrap().unwrap();
        assert!(matches!(
            propose_province_flag(store, &who, Enterer::User(&mai), TODAY, k1.id).await,
            Err(AppError::Denied(_))
        ));
        let e = propose_province_flag(store, &who, Enterer::User(&lan), TODAY, open.id)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("năm 2026 chưa chốt điểm"), "{e}");

        // The head's officer proposes: one draft of Sở Tài chính, one line,
        // judged eligible (leader, voted, rated HTXSNV).
        let id = propose_province_flag(store, &who, Enterer::User(&lan), TODAY, k1.id)
            .await
            .unwrap();
        let d = store.dossier(id).await.unwrap().unwrap();
        assert_eq!(d.unit_id, stc);
        assert!(d.title.contains("Cờ thi đua của UBND tỉnh năm 2025"));
        let lines = store.dossier_lines(id).await.unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].subject, SubjectRef::Unit(stc));
        assert_eq!(lines[0].code.as_str(), "CO_THI_DUA_TINH");
        assert!(
            lines[0].summary.contains("hạng 1/5 với 100,2 điểm"),
            "{}",
            lines[0].summary
        );
        assert_eq!(
            lines[0].outcome,
            Some(Outcome::Eligible),
            "{:?}",
            lines[0].verdict
        );
        assert!(
            lines[0]
                .verdict
                .as_deref()
                .unwrap()
                .contains("dẫn đầu khối thi đua của tỉnh")
        );
        let p = store.cluster_proposals(k1.id).await.unwrap();
        assert_eq!((p.len(), p[0].dossier_id, p[0].unit_id), (1, id.0, stc.0));
        // Twice is refused, and nothing is written the second time.
        let e = propose_province_flag(store, &who, Enterer::System, TODAY, k1.id)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("đã được đề nghị CO_THI_DUA_TINH"), "{e}");
        assert_eq!(store.cluster_proposals(k1.id).await.unwrap().len(), 1);

        // Without its rating for the year the same leader is not eligible.
        store
            .set_unit_rating(
                &who,
                stc,
                2025,
                thidua_domain::eligibility::Rating::CompletedWell,
            )
            .await
            .unwrap();
        let lines = crate::dossiers::recheck(store, &who, id, TODAY)
            .await
            .unwrap();
        assert_eq!(lines[0].outcome, Some(Outcome::NotEligible));
        store
            .set_unit_rating(
                &who,
                stc,
                2025,
                thidua_domain::eligibility::Rating::CompletedExcellently,
            )
            .await
            .unwrap();

        // The Government's flag: the best leader of the province's year,
        // proposed by the province; only the office may.
        let best = government_candidates(store, province, 2025).await.unwrap();
        assert_eq!(best.len(), 1);
        assert_eq!(
            (best[0].unit_id, best[0].share),
            (stc.0, 9542),
            "100,2 of 105"
        );
        assert!(matches!(
            propose_government_flag(store, &who, Enterer::User(&lan), TODAY, province, 2025, 1)
                .await,
            Err(AppError::Denied(_))
        ));
        let e = propose_government_flag(store, &who, Enterer::System, TODAY, province, 2024, 1)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("năm 2024 chưa có khối, cụm nào chốt điểm"),
            "{e}"
        );
        let gov = propose_government_flag(store, &who, Enterer::System, TODAY, province, 2025, 1)
            .await
            .unwrap();
        assert_eq!(store.dossier(gov).await.unwrap().unwrap().unit_id, province);
        let lines = store.dossier_lines(gov).await.unwrap();
        assert_eq!(lines[0].code.as_str(), "CO_THI_DUA_CHINH_PHU");
        // The province's own flag must come first.
        assert_eq!(lines[0].outcome, Some(Outcome::NotEligible));
        assert!(
            lines[0]
                .verdict
                .as_deref()
                .unwrap()
                .contains("provincial_flag")
        );
        store
            .add_award(
                &who,
                &NewAward {
                    subject: SubjectRef::Unit(stc),
                    code: "CO_THI_DUA_TINH".into(),
                    award_type: AwardType::Regular,
                    decision_number: Some("152/QĐ-UBND".into()),
                    decision_date: date!(2026 - 01 - 15),
                    issuer: Some("Chủ tịch UBND tỉnh Cao Bằng".into()),
                    period_from: Some(2025),
                    period_to: Some(2025),
                },
            )
            .await
            .unwrap();
        let lines = crate::dossiers::recheck(store, &who, gov, TODAY)
            .await
            .unwrap();
        assert_eq!(
            lines[0].outcome,
            Some(Outcome::NeedsReview),
            "the Prime Minister chooses: {:?}",
            lines[0].verdict
        );

        // Next year's block: the deputy leads, the first member deputises,
        // the sheet comes along as version 1, the covenant is to be signed.
        let next = crate::clusters::copy_to_next_year(store, &who, Enterer::System, TODAY, open.id)
            .await
            .unwrap();
        let view = crate::clusters::load(store, next).await.unwrap();
        assert_eq!((view.row.year, view.row.covenant.as_str()), (2027, ""));
        let roles: Vec<(&str, &str)> = view
            .members
            .iter()
            .map(|m| (m.code.as_str(), m.role.as_str()))
            .collect();
        assert_eq!(
            roles,
            [
                ("CB.SNV", "head"),
                ("CB.SGDDT", "deputy"),
                ("CB.SNNMT", "member"),
                ("CB.STC", "member"),
                ("CB.SYT", "member"),
            ]
        );
        assert_eq!(view.sheet.map(|(v, s)| (v, s.groups.len())), Some((1, 4)));
        assert!(matches!(
            crate::clusters::copy_to_next_year(store, &who, Enterer::User(&lan), TODAY, open.id)
                .await,
            Err(AppError::Denied(_))
        ));
        let e = crate::clusters::copy_to_next_year(store, &who, Enterer::System, TODAY, open.id)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("đã có khối, cụm mã CB-K1 năm 2027"), "{e}");
    }
);

#[test]
fn roles_rotate_to_the_deputy_and_the_next_member() {
    let m = |v: &[(i64, &str)]| -> Vec<(i64, MemberRole)> {
        v.iter()
            .map(|(u, r)| (*u, MemberRole::parse(r).expect("role")))
            .collect()
    };
    assert_eq!(
        crate::clusters::rotate(&m(&[
            (1, "head"),
            (2, "deputy"),
            (3, "member"),
            (4, "member")
        ])),
        m(&[(1, "member"), (2, "head"), (3, "deputy"), (4, "member")])
    );
    // Without a deputy the head stays.
    assert_eq!(
        crate::clusters::rotate(&m(&[(1, "head"), (2, "member")])),
        m(&[(1, "head"), (2, "member")])
    );
    // Two members trade places.
    assert_eq!(
        crate::clusters::rotate(&m(&[(1, "head"), (2, "deputy")])),
        m(&[(1, "deputy"), (2, "head")])
    );
}
