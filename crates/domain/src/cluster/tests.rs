use super::*;
use proptest::prelude::*;

fn p(s: &str) -> Points {
    Points::parse(s).unwrap()
}

fn criterion(code: &str, max: &str, kind: CriterionKind, evidence: bool) -> Criterion {
    Criterion {
        code: code.into(),
        name: format!("Tiêu chí {code}"),
        max: p(max),
        kind,
        evidence_required: evidence,
    }
}

/// A sheet like the provinces' own: tasks (fixed, levels, proportional),
/// then the movement's work, then bonus and penalty.
fn sheet() -> Sheet {
    Sheet {
        groups: vec![
            Group {
                code: "I".into(),
                name: "Thực hiện nhiệm vụ chính trị".into(),
                criteria: vec![
                    criterion("I.1", "10", CriterionKind::Fixed, false),
                    criterion(
                        "I.2",
                        "20",
                        CriterionKind::Levels {
                            levels: vec![
                                Level {
                                    label: "Hoàn thành xuất sắc".into(),
                                    points: p("20"),
                                },
                                Level {
                                    label: "Hoàn thành tốt".into(),
                                    points: p("15"),
                                },
                                Level {
                                    label: "Hoàn thành".into(),
                                    points: p("10"),
                                },
                            ],
                        },
                        false,
                    ),
                    criterion(
                        "I.3",
                        "10",
                        CriterionKind::Proportional { target: 900.0 },
                        true,
                    ),
                ],
            },
            Group {
                code: "II".into(),
                name: "Công tác thi đua, khen thưởng".into(),
                criteria: vec![criterion("II.1", "10", CriterionKind::Fixed, false)],
            },
            Group {
                code: "III".into(),
                name: "Điểm thưởng, điểm trừ".into(),
                criteria: vec![
                    criterion("III.1", "5", CriterionKind::Bonus, true),
                    criterion("III.2", "5", CriterionKind::Penalty, false),
                ],
            },
        ],
    }
}

fn entry(code: &str, achieved: Achieved) -> Entry {
    Entry {
        criterion: code.into(),
        achieved,
        evidence: vec!["bao-cao.pdf".into()],
    }
}

#[test]
fn points_read_and_print_the_vietnamese_way() {
    assert_eq!(p("8,75"), Points(875));
    assert_eq!(p("8.5"), Points(850));
    assert_eq!(p("9"), Points(900));
    assert_eq!(p("-2,5"), Points(-250));
    assert_eq!(Points(875).to_string(), "8,75");
    assert_eq!(Points(850).to_string(), "8,5");
    assert_eq!(Points(900).to_string(), "9");
    assert_eq!(Points(-250).to_string(), "-2,5");
    assert!(Points::parse("8,755").is_none());
    assert!(Points::parse("tám").is_none());
    assert!(Points::parse("").is_none());
}

#[test]
fn every_kind_of_criterion_scores() {
    let s = sheet();
    s.check().unwrap();
    assert_eq!(s.maximum(), p("55"));
    let card = score(
        &s,
        &[
            entry("I.1", Achieved::Met(true)),
            entry("I.2", Achieved::Level("hoan thanh tot".into())),
            // 700 of a 900 target: 7/9 of 10 points.
            entry("I.3", Achieved::Amount(700.0)),
            entry("II.1", Achieved::Met(false)),
            entry("III.1", Achieved::Points(p("3"))),
            entry("III.2", Achieved::Points(p("1,5"))),
        ],
    )
    .unwrap();
    assert_eq!(card.criteria["I.1"], p("10"));
    assert_eq!(card.criteria["I.2"], p("15"));
    assert_eq!(card.criteria["I.3"], p("7,78"));
    assert_eq!(card.criteria["II.1"], p("0"));
    assert_eq!(card.criteria["III.2"], p("-1,5"));
    assert_eq!(
        card.groups,
        vec![
            ("I".into(), p("32,78")),
            ("II".into(), p("0")),
            ("III".into(), p("1,5"))
        ]
    );
    assert_eq!((card.bonus, card.penalty), (p("3"), p("1,5")));
    assert_eq!(card.total, p("34,28"));
    // Beyond the target, the maximum and no more.
    let over = score(&s, &[entry("I.3", Achieved::Amount(1200.0))]).unwrap();
    assert_eq!(over.total, p("10"));
}

#[test]
fn bad_scores_are_refused_with_the_criterion() {
    let s = sheet();
    let err = |e: Entry| score(&s, &[e]).unwrap_err().to_string();
    assert_eq!(
        err(entry("II.1", Achieved::Points(p("12")))),
        "tiêu chí II.1: 12 điểm vượt điểm tối đa 10"
    );
    assert_eq!(
        err(entry("II.1", Achieved::Points(p("-1")))),
        "tiêu chí II.1: điểm không được âm (-1)"
    );
    assert_eq!(
        err(entry("III.1", Achieved::Points(p("5,5")))),
        "tiêu chí III.1: điểm thưởng 5,5 vượt mức tối đa 5"
    );
    assert_eq!(
        err(entry("III.2", Achieved::Points(p("6")))),
        "tiêu chí III.2: điểm trừ 6 vượt mức tối đa 5"
    );
    assert_eq!(
        err(entry("I.2", Achieved::Level("Xuất sắc nhất".into()))),
        "tiêu chí I.2: không có mức «Xuất sắc nhất»"
    );
    assert_eq!(
        err(entry("I.3", Achieved::Amount(-5.0))),
        "tiêu chí I.3: số đạt được không hợp lệ"
    );
    assert_eq!(
        err(entry("I.1", Achieved::Amount(3.0))),
        "tiêu chí I.1: kiểu kết quả không hợp với loại tiêu chí"
    );
    assert_eq!(
        err(entry("IX", Achieved::Met(true))),
        "không có tiêu chí «IX» trong bảng điểm"
    );
    let mut bare = entry("III.1", Achieved::Points(p("2")));
    bare.evidence.clear();
    assert_eq!(err(bare), "tiêu chí III.1 cần minh chứng");
    // No points claimed: no evidence needed.
    let mut nothing = entry("III.1", Achieved::Points(p("0")));
    nothing.evidence.clear();
    assert!(score(&s, &[nothing]).is_ok());
    assert_eq!(
        score(
            &s,
            &[
                entry("I.1", Achieved::Met(true)),
                entry("I.1", Achieved::Met(false))
            ]
        )
        .unwrap_err(),
        ScoreError::Twice("I.1".into())
    );
}

#[test]
fn sheets_and_entries_keep_their_shape_as_json() {
    let s = sheet();
    let back: Sheet = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    let e = vec![
        entry("I.1", Achieved::Met(true)),
        entry("I.2", Achieved::Level("Hoàn thành tốt".into())),
        entry("I.3", Achieved::Amount(700.0)),
        entry("III.1", Achieved::Points(p("2,5"))),
    ];
    let json = serde_json::to_string(&e).unwrap();
    assert!(
        json.contains(r#"{"kind":"level","value":"Hoàn thành tốt"}"#),
        "{json}"
    );
    let back: Vec<Entry> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, e);
}

#[test]
fn sheets_no_one_could_score_are_refused() {
    assert_eq!(
        Sheet { groups: vec![] }.check(),
        Err(ScoreError::EmptySheet)
    );
    let mut s = sheet();
    s.groups[1].criteria[0].code = "I.1".into();
    assert_eq!(s.check(), Err(ScoreError::DuplicateCode("I.1".into())));
    let mut s = sheet();
    s.groups[0].criteria[2].kind = CriterionKind::Proportional { target: 0.0 };
    assert_eq!(s.check(), Err(ScoreError::BadTarget("I.3".into())));
    let mut s = sheet();
    if let CriterionKind::Levels { levels } = &mut s.groups[0].criteria[1].kind {
        levels[0].points = p("25");
    }
    assert!(matches!(s.check(), Err(ScoreError::LevelAboveMax { .. })));
    let mut s = sheet();
    s.groups[1].criteria[0].max = Points::ZERO;
    assert_eq!(s.check(), Err(ScoreError::NoMaximum("II.1".into())));
}

fn card(total: &str, penalty: &str, groups: &[&str]) -> Scorecard {
    Scorecard {
        criteria: BTreeMap::new(),
        groups: groups
            .iter()
            .enumerate()
            .map(|(i, g)| (format!("G{i}"), p(g)))
            .collect(),
        bonus: Points::ZERO,
        penalty: p(penalty),
        total: p(total),
    }
}

#[test]
fn ties_are_broken_by_penalties_then_groups_in_order_then_shared() {
    let members = vec![
        ("SO.TC", card("90", "0", &["50", "40"])),
        ("SO.XD", card("95", "0", &["55", "40"])),
        // Equal total with SO.TC, but penalised: below it.
        ("SO.NV", card("90", "2", &["52", "38"])),
        // Equal total and penalty with SO.TC, weaker first group: below it.
        ("SO.GD", card("90", "0", &["48", "42"])),
        // Equal to SO.GD in everything: the same rank.
        ("SO.YT", card("90", "0", &["48", "42"])),
    ];
    let r = rank(&members);
    let order: Vec<(&str, usize)> = r.iter().map(|x| (x.member, x.rank)).collect();
    assert_eq!(
        order,
        [
            ("SO.XD", 1),
            ("SO.TC", 2),
            ("SO.GD", 3),
            ("SO.YT", 3),
            ("SO.NV", 5)
        ]
    );
    assert_eq!(r[0].decided_by, None, "a higher total needs no tie-break");
    assert_eq!(r[1].decided_by.as_deref(), Some("Điểm nhóm 1 cao hơn"));
    assert_eq!(r[3].decided_by.as_deref(), Some("Ít điểm trừ hơn"));
    // Two flags for the cluster: the leader and the runner-up; a shared
    // third place would bring both.
    assert_eq!(leaders(&r, 2, None), ["SO.XD", "SO.TC"]);
    assert_eq!(leaders(&r, 3, None), ["SO.XD", "SO.TC", "SO.GD", "SO.YT"]);
    assert_eq!(leaders(&r, 2, Some(p("92"))), ["SO.XD"]);
}

#[test]
fn disagreements_over_the_threshold_are_flagged() {
    let s = sheet();
    let own = score(
        &s,
        &[
            entry("I.2", Achieved::Level("Hoàn thành xuất sắc".into())),
            entry("II.1", Achieved::Met(true)),
        ],
    )
    .unwrap();
    let head = score(
        &s,
        &[
            entry("I.2", Achieved::Level("Hoàn thành tốt".into())),
            entry("II.1", Achieved::Met(true)),
        ],
    )
    .unwrap();
    assert_eq!(
        disagreements(&own, &head, p("2")),
        vec![("I.2".to_owned(), p("20"), p("15"))]
    );
    assert!(disagreements(&own, &head, p("5")).is_empty());
}

proptest! {
    /// Whatever a member enters, an accepted score stays within the sheet:
    /// each criterion within its maximum (a penalty within its cap), the
    /// total never above the sheet's maximum.
    #[test]
    fn accepted_scores_stay_within_the_sheet(
        met in any::<bool>(),
        level in 0usize..4,
        amount in 0.0f64..3000.0,
        bonus in -200i64..800,
        penalty in -200i64..800,
        direct in -200i64..1500,
    ) {
        let s = sheet();
        let labels = ["Hoàn thành xuất sắc", "Hoàn thành tốt", "Hoàn thành", "Không có"];
        let entries = vec![
            entry("I.1", Achieved::Met(met)),
            entry("I.2", Achieved::Level(labels[level].into())),
            entry("I.3", Achieved::Amount(amount)),
            entry("II.1", Achieved::Points(Points(direct))),
            entry("III.1", Achieved::Points(Points(bonus))),
            entry("III.2", Achieved::Points(Points(penalty))),
        ];
        if let Ok(card) = score(&s, &entries) {
            prop_assert!(card.total <= s.maximum());
            for g in &s.groups {
                for c in &g.criteria {
                    let v = card.criteria.get(&c.code).copied().unwrap_or_default();
                    prop_assert!(v.0.abs() <= c.max.0, "{} = {}", c.code, v);
                }
            }
            prop_assert_eq!(card.total, card.groups.iter().map(|g| g.1).sum::<Points>());
        }
    }

    /// Ranking is a total order on scorecards: ranks start at 1, never
    /// decrease, and a better total is never ranked below a worse one.
    #[test]
    fn rankings_respect_totals(totals in proptest::collection::vec((0i64..100, 0i64..5), 1..12)) {
        let members: Vec<(usize, Scorecard)> = totals
            .iter()
            .enumerate()
            .map(|(i, (t, pen))| (i, Scorecard {
                criteria: BTreeMap::new(),
                groups: vec![("G".into(), Points(*t))],
                bonus: Points::ZERO,
                penalty: Points(*pen),
                total: Points(*t),
            }))
            .collect();
        let r = rank(&members);
        prop_assert_eq!(r.len(), members.len());
        prop_assert_eq!(r[0].rank, 1);
        for w in r.windows(2) {
            prop_assert!(w[0].rank <= w[1].rank);
            prop_assert!(w[0].total >= w[1].total);
        }
    }
}
