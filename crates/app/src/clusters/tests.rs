use super::*;
use thidua_domain::cluster::ClusterKind;
use thidua_domain::cluster::{Achieved, Criterion, CriterionKind, Group, Level};
use thidua_store::AuditFilter;
use time::macros::date;

const TODAY: Date = date!(2026 - 01 - 20);

fn pts(s: &str) -> Points {
    Points::parse(s).expect("points")
}

fn sheet() -> Sheet {
    let c = |code: &str, max: &str, kind: CriterionKind, evidence: bool| Criterion {
        code: code.into(),
        name: code.into(),
        max: pts(max),
        kind,
        evidence_required: evidence,
    };
    Sheet {
        groups: vec![
            Group {
                code: "I".into(),
                name: "Nhiệm vụ chính trị".into(),
                criteria: vec![
                    c(
                        "I.1",
                        "40",
                        CriterionKind::Levels {
                            levels: vec![
                                Level {
                                    label: "Hoàn thành xuất sắc".into(),
                                    points: pts("40"),
                                },
                                Level {
                                    label: "Hoàn thành tốt".into(),
                                    points: pts("32"),
                                },
                            ],
                        },
                        false,
                    ),
                    c(
                        "I.2",
                        "30",
                        CriterionKind::Proportional { target: 100.0 },
                        true,
                    ),
                ],
            },
            Group {
                code: "II".into(),
                name: "Thi đua, khen thưởng".into(),
                criteria: vec![c("II.1", "20", CriterionKind::Fixed, false)],
            },
            Group {
                code: "III".into(),
                name: "Thưởng, trừ".into(),
                criteria: vec![
                    c("III.1", "5", CriterionKind::Bonus, true),
                    c("III.2", "5", CriterionKind::Penalty, false),
                ],
            },
        ],
    }
}

fn entries(level: &str, amount: f64, met: bool, penalty: &str) -> Vec<Entry> {
    let e = |code: &str, achieved: Achieved| Entry {
        criterion: code.into(),
        achieved,
        evidence: vec!["bao-cao-2025.pdf".into()],
    };
    vec![
        e("I.1", Achieved::Level(level.into())),
        e("I.2", Achieved::Amount(amount)),
        e("II.1", Achieved::Met(met)),
        e("III.2", Achieved::Points(pts(penalty))),
    ]
}

fn message(e: AppError) -> String {
    e.to_string()
}

thidua_store::engine_tests!(
    a_block_scores_ranks_and_closes_its_year,
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
        let (stc, snv, syt, sgd, vp) = (
            unit("CB.STC").await,
            unit("CB.SNV").await,
            unit("CB.SYT").await,
            unit("CB.SGDDT").await,
            unit("CB.VP").await,
        );
        let new = NewCluster {
            // The demo has its own CB-K1; this block is the test's.
            code: "CB-KT".into(),
            year: 2025,
            name: "Khối các sở, ngành tổng hợp".into(),
            kind: ClusterKind::Block,
            authority: unit("04").await,
            council_member: None,
            covenant: "Giao ước thi đua năm 2025 ngày 20/02/2025".into(),
            regulation: String::new(),
            flag_count: 1,
            disagreement_threshold: 200,
            members: vec![
                (stc, MemberRole::Head),
                (snv, MemberRole::Deputy),
                (syt, MemberRole::Member),
                (sgd, MemberRole::Member),
            ],
            sheet: None,
        };
        let (lan, _) = store.user_for_login("lan.stc").await.unwrap().unwrap();
        assert!(matches!(
            create(store, &who, Enterer::User(&lan), TODAY, &new).await,
            Err(AppError::Denied(_))
        ));
        let mut two_heads = new.clone();
        two_heads.members[1].1 = MemberRole::Head;
        assert!(
            message(
                create(store, &who, Enterer::System, TODAY, &two_heads)
                    .await
                    .unwrap_err()
            )
            .contains("đúng một đơn vị trưởng")
        );
        let id = create(store, &who, Enterer::System, TODAY, &new)
            .await
            .unwrap();
        assert!(
            store
                .clusters(Some(2025))
                .await
                .unwrap()
                .iter()
                .any(|c| c.id == id && c.code == "CB-KT")
        );
        // The same code and year twice is refused.
        assert!(
            message(
                create(store, &who, Enterer::System, TODAY, &new)
                    .await
                    .unwrap_err()
            )
            .contains("đã có khối, cụm mã CB-KT năm 2025")
        );

        let good = entries("Hoàn thành xuất sắc", 95.0, true, "0");
        let run = |actor: Enterer<'static>, u: UnitId, stage: Stage, e: Vec<Entry>| {
            let who = who.clone();
            async move {
                let s = Scoring {
                    cluster: id,
                    unit: u.0,
                    stage,
                    entries: &e,
                    reason: None,
                    files: &[],
                };
                score(store, &who, actor, TODAY, s).await
            }
        };
        assert!(
            message(
                run(Enterer::System, stc, Stage::SelfScore, good.clone())
                    .await
                    .unwrap_err()
            )
            .contains("chưa có bảng điểm")
        );
        set_sheet(store, &who, Enterer::System, TODAY, id, &sheet())
            .await
            .unwrap();

        // Chị Lan self-scores her department; not another's.
        let lan: &'static thidua_store::UserRow = Box::leak(Box::new(lan));
        let card = run(Enterer::User(lan), stc, Stage::SelfScore, good.clone())
            .await
            .unwrap();
        assert_eq!(card.total, pts("88,5"));
        // Evidence files: kept with the score, judged by their content,
        // and only for a criterion that is scored.
        let with_files = |files: Vec<Upload>| {
            let who = who.clone();
            let good = good.clone();
            async move {
                let s = Scoring {
                    cluster: id,
                    unit: stc.0,
                    stage: Stage::SelfScore,
                    entries: &good,
                    reason: None,
                    files: &files,
                };
                score(store, &who, Enterer::User(lan), TODAY, s).await
            }
        };
        let file = |criterion: &str, name: &str, bytes: &[u8]| Upload {
            criterion: criterion.into(),
            file_name: name.into(),
            bytes: bytes.to_vec(),
        };
        let e = message(
            with_files(vec![file("I.2", "anh.png", b"\x89PNG")])
                .await
                .unwrap_err(),
        );
        assert!(e.contains("không phải PDF hoặc DOCX"), "{e}");
        let e = message(
            with_files(vec![file(
                "III.1",
                "thuong.pdf",
                &crate::dossiers::sample_pdf("x"),
            )])
            .await
            .unwrap_err(),
        );
        assert!(
            e.contains("tiêu chí III.1 nhưng tiêu chí này chưa chấm"),
            "{e}"
        );
        assert!(store.cluster_evidence(id, stc).await.unwrap().is_empty());
        let evidence = crate::dossiers::sample_pdf("giai ngan");
        with_files(vec![file("I.2", "giai-ngan/2025.pdf", &evidence)])
            .await
            .unwrap();
        let kept = store.cluster_evidence(id, stc).await.unwrap();
        assert_eq!(
            (
                kept.len(),
                kept[0].criterion.as_str(),
                kept[0].file_name.as_str()
            ),
            (1, "I.2", "giai-ngan2025.pdf")
        );
        let (_, bytes) = store
            .cluster_evidence_file(kept[0].id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bytes, evidence);
        assert!(
            message(
                run(Enterer::User(lan), syt, Stage::SelfScore, good.clone())
                    .await
                    .unwrap_err()
            )
            .contains("không được chấm «Tự chấm»")
        );
        // As the head she cross-scores the others, not her own department.
        run(
            Enterer::User(lan),
            syt,
            Stage::Head,
            entries("Hoàn thành tốt", 80.0, true, "1"),
        )
        .await
        .unwrap();
        assert!(
            run(Enterer::User(lan), stc, Stage::Head, good.clone())
                .await
                .is_err()
        );
        // A unit outside the block, a score beyond the sheet.
        assert!(
            message(
                run(Enterer::System, vp, Stage::SelfScore, good.clone())
                    .await
                    .unwrap_err()
            )
            .contains("không thuộc Khối các sở, ngành tổng hợp năm 2025")
        );
        assert_eq!(
            message(
                run(
                    Enterer::System,
                    syt,
                    Stage::SelfScore,
                    entries("Hoàn thành tốt", 80.0, true, "6")
                )
                .await
                .unwrap_err()
            ),
            "tiêu chí III.2: điểm trừ 6 vượt mức tối đa 5"
        );
        run(
            Enterer::System,
            syt,
            Stage::SelfScore,
            entries("Hoàn thành xuất sắc", 80.0, true, "0"),
        )
        .await
        .unwrap();

        // Before finalisation the ranking is provisional and flags the
        // self/head gap of Sở Y tế (40 against 32 on I.1; 1 point of penalty is within 2).
        let r = ranking(store, id).await.unwrap();
        let syt_line = r.iter().find(|l| l.code == "CB.SYT").unwrap();
        assert_eq!(syt_line.stage, Stage::Head);
        assert_eq!(
            syt_line.disagreements,
            vec![("I.1".to_owned(), pts("40"), pts("32"))]
        );

        // The office's final scores; a tie broken by penalties.
        for (u, e) in [
            (stc, entries("Hoàn thành xuất sắc", 90.0, true, "0")),
            (snv, entries("Hoàn thành xuất sắc", 100.0, false, "0")),
            (syt, entries("Hoàn thành xuất sắc", 100.0, true, "2")),
            (sgd, entries("Hoàn thành tốt", 100.0, true, "0")),
        ] {
            if u == sgd {
                assert!(
                    message(
                        finalise(store, &who, Enterer::System, TODAY, id, None)
                            .await
                            .unwrap_err()
                    )
                    .contains("chưa có điểm chốt của: Sở Giáo dục và Đào tạo tỉnh Cao Bằng")
                );
            }
            run(Enterer::System, u, Stage::Final, e).await.unwrap();
        }
        assert!(matches!(
            finalise(store, &who, Enterer::User(lan), TODAY, id, None).await,
            Err(AppError::Denied(_))
        ));
        // Not before every member is cross-scored, the head by its deputy.
        assert!(
            message(
                finalise(store, &who, Enterer::System, TODAY, id, None)
                    .await
                    .unwrap_err()
            )
            .contains("chưa được chấm chéo: Sở Tài chính tỉnh Cao Bằng")
        );
        for u in [stc, snv, sgd] {
            run(
                Enterer::System,
                u,
                Stage::Head,
                entries("Hoàn thành xuất sắc", 90.0, true, "0"),
            )
            .await
            .unwrap();
        }
        finalise(store, &who, Enterer::System, TODAY, id, None)
            .await
            .unwrap();
        let r = ranking(store, id).await.unwrap();
        let order: Vec<(&str, usize, String)> = r
            .iter()
            .map(|l| (l.code.as_str(), l.rank, l.total.to_string()))
            .collect();
        // STC: 40 + 27 + 20 = 87; SYT: 40 + 30 + 20 − 2 = 88; SGD: 32 + 30 + 20 = 82; SNV: 40 + 30 = 70.
        assert_eq!(
            order,
            [
                ("CB.SYT", 1, "88".to_owned()),
                ("CB.STC", 2, "87".to_owned()),
                ("CB.SGDDT", 3, "82".to_owned()),
                ("CB.SNV", 4, "70".to_owned()),
            ]
        );
        assert!(r.iter().all(|l| l.stage == Stage::Final));

        // Closed: no more self-scoring; a final correction needs a reason.
        assert!(
            message(
                run(Enterer::User(lan), stc, Stage::SelfScore, good.clone())
                    .await
                    .unwrap_err()
            )
            .contains("đã chốt điểm")
        );
        assert!(
            run(Enterer::System, stc, Stage::Final, good.clone())
                .await
                .is_err()
        );
        let corrected = Scoring {
            cluster: id,
            unit: stc.0,
            stage: Stage::Final,
            entries: &good,
            reason: Some("Sở Tài chính bổ sung minh chứng thu ngân sách".into()),
            files: &[],
        };
        score(store, &who, Enterer::System, TODAY, corrected)
            .await
            .unwrap();
        let r = ranking(store, id).await.unwrap();
        assert_eq!((r[0].code.as_str(), r[0].total), ("CB.STC", pts("88,5")));
        let (_, n) = store
            .audit_page(
                &AuditFilter {
                    action: Some("cluster.score_correction".into()),
                    ..AuditFilter::default()
                },
                0,
                5,
            )
            .await
            .unwrap();
        assert_eq!(n, 1);
        // Finalised without the vote's minutes: the leader is a leader, but
        // its vote is unknown to the engine (the council reviews it).
        let r = crate::cluster_flags::results_of_unit(store, stc)
            .await
            .unwrap();
        let here = r.iter().find(|x| x.voted.is_none()).expect("CB-KT");
        assert_eq!((here.year, here.rank, here.leader), (2025, Some(1), true));
    }
);
