use super::*;
use proptest::prelude::*;
use serde_json::{Value, json};

fn run(v: Value) -> Verdict {
    let req: CheckRequest = serde_json::from_value(v).expect("request parses");
    check(&req).expect("valid request")
}

fn person(proposed: &str, year: i32, decision: &str, history: Value) -> Value {
    json!({"subject": {"kind": "individual"}, "proposed": proposed, "year": year, "decision_date": decision, "history": history})
}

fn ratings(from: i32, to: i32, r: &str) -> Vec<Value> {
    (from..=to)
        .map(|y| json!({"year": y, "rating": r}))
        .collect()
}

fn titles(code: &str, years: &[i32]) -> Vec<Value> {
    years
        .iter()
        .map(|y| json!({"year": y, "code": code}))
        .collect()
}

fn failed(v: &Verdict) -> Vec<&'static str> {
    v.checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.rule)
        .collect()
}

#[test]
fn the_contract_example_parses_and_is_explained() {
    let v = run(json!({ "subject": {"kind": "individual"},
      "proposed": "CHIEN_SI_THI_DUA_TINH", "year": 2025, "decision_date": "2025-12-15",
      "history": {
        "ratings": [{"year": 2023, "rating": "HTXSNV"}],
        "titles": [{"year": 2023, "code": "CHIEN_SI_THI_DUA_CO_SO"}],
        "awards": [{"code": "BANG_KHEN_TINH", "decision_date": "2022-03-01", "period_from": 2020, "period_to": 2021}],
        "initiatives": [{"year": 2024, "scope": "tinh", "used_by": null}],
        "discipline": [{"year": 2025, "level": "khien_trach"}],
        "employment": {"start": "2019-09-01"},
        "members": {"total": 20, "completed_tasks": 20, "titles": {"LAO_DONG_TIEN_TIEN": 15, "CHIEN_SI_THI_DUA_CO_SO": 2}}
      } }));
    assert_eq!(v.verdict, Outcome::NotEligible);
    assert_eq!(v.rule_set, RuleSet::Law2022Decree152);
    let streak = v
        .checks
        .iter()
        .find(|c| c.rule == "consecutive_cstdcs")
        .unwrap();
    assert_eq!(streak.article, "Điều 22 khoản 1 Luật TĐKT 2022");
    assert!(
        streak
            .message
            .starts_with("0 lần liên tục Chiến sĩ thi đua cơ sở đến năm 2025"),
        "{}",
        streak.message
    );
    assert_eq!(v.next_eligible_year, Some(2028));
    assert_eq!(
        v.missing[0],
        "cần thêm 3 năm Chiến sĩ thi đua cơ sở liên tiếp"
    );
    let out = serde_json::to_value(&v).unwrap();
    assert_eq!(out["verdict"], "not_eligible");
    assert!(out["checks"][0]["article"].is_string());
}

#[test]
fn provincial_fighter_needs_three_years_in_a_row_and_restarts_after_each_award() {
    let base = |cstdcs: &[i32], extra_titles: Vec<Value>| {
        let mut t = titles("CHIEN_SI_THI_DUA_CO_SO", cstdcs);
        t.extend(extra_titles);
        person(
            "CHIEN_SI_THI_DUA_TINH",
            2024,
            "2025-03-01",
            json!({"ratings": ratings(2020, 2024, "HTXSNV"), "titles": t,
                   "initiatives": [{"year": 2024, "scope": "tinh"}]}),
        )
    };
    assert_eq!(
        run(base(&[2022, 2023, 2024], vec![])).verdict,
        Outcome::Eligible
    );
    // A broken streak: 2023 missing.
    let v = run(base(&[2021, 2022, 2024], vec![]));
    assert_eq!(v.verdict, Outcome::NotEligible);
    assert_eq!(failed(&v), ["consecutive_cstdcs"]);
    assert_eq!(v.next_eligible_year, Some(2026));
    assert_eq!(
        v.missing,
        ["cần thêm 2 năm Chiến sĩ thi đua cơ sở liên tiếp"]
    );
    // The years used for an earlier CSTĐ tỉnh (through 2023) cannot count again.
    let v = run(base(
        &[2022, 2023, 2024],
        titles("CHIEN_SI_THI_DUA_TINH", &[2023]),
    ));
    assert_eq!(failed(&v), ["consecutive_cstdcs"]);
    // A revoked earlier award no longer restarts anything.
    let revoked = vec![json!({"year": 2023, "code": "CHIEN_SI_THI_DUA_TINH", "status": "revoked"})];
    assert_eq!(
        run(base(&[2022, 2023, 2024], revoked)).verdict,
        Outcome::Eligible
    );
}

#[test]
fn an_initiative_already_used_does_not_count_again() {
    let with = |used_by: Value| {
        person(
            "CHIEN_SI_THI_DUA_CO_SO",
            2024,
            "2024-12-20",
            json!({"ratings": ratings(2024, 2024, "HTTNV"),
                   "initiatives": [{"year": 2024, "scope": "co_so", "used_by": used_by}]}),
        )
    };
    assert_eq!(run(with(Value::Null)).verdict, Outcome::Eligible);
    let v = run(with(json!("BANG_KHEN_TINH")));
    assert_eq!(v.verdict, Outcome::NotEligible);
    assert_eq!(failed(&v), ["excellent_or_initiative"]);
}

#[test]
fn the_2024_transition_judges_by_the_decision_date() {
    // HTXSNV without an initiative: enough under the 2022 Law, not before it.
    let req = |decision: &str| {
        person(
            "CHIEN_SI_THI_DUA_CO_SO",
            2023,
            decision,
            json!({"ratings": ratings(2023, 2023, "HTXSNV")}),
        )
    };
    let old = run(req("2023-12-20"));
    assert_eq!(old.rule_set, RuleSet::Law2013);
    assert_eq!(old.verdict, Outcome::NotEligible);
    assert!(
        old.checks
            .iter()
            .any(|c| c.article == "Điều 23 Luật TĐKT 2003 (sửa đổi 2013)")
    );
    let new = run(req("2024-01-15"));
    assert_eq!(new.rule_set, RuleSet::Law2022Decree98);
    assert_eq!(new.verdict, Outcome::Eligible);
}

#[test]
fn prime_minister_merit_counts_from_the_achievement_period() {
    // The Ministry's example (docs/law.md §4.2): Bằng khen tỉnh for 2017, every
    // year 2017–2024 HTTNV or better, CSTĐCS in 2019, 2021, 2024.
    let req = |bk_period_to: i32| {
        person(
            "BANG_KHEN_THU_TUONG",
            2024,
            "2025-04-01",
            json!({"ratings": ratings(2017, 2024, "HTTNV"),
                   "titles": titles("CHIEN_SI_THI_DUA_CO_SO", &[2019, 2021, 2024]),
                   "awards": [{"code": "BANG_KHEN_TINH", "decision_date": format!("{}-03-01", bk_period_to + 1), "period_from": bk_period_to, "period_to": bk_period_to}]}),
        )
    };
    let v = run(req(2017));
    assert_eq!(v.verdict, Outcome::Eligible, "{:?}", v.checks);
    // A Bằng khen for 2021 leaves only 2022–2024: three years, one CSTĐCS.
    let v = run(req(2021));
    assert_eq!(v.verdict, Outcome::NotEligible);
    assert_eq!(failed(&v), ["consecutive_years_httnv", "cstdcs_times"]);
    assert_eq!(v.next_eligible_year, Some(2026));
    // Without the prerequisite nothing can be said about a year.
    let v = run(person(
        "BANG_KHEN_THU_TUONG",
        2024,
        "2025-04-01",
        json!({"ratings": ratings(2017, 2024, "HTTNV")}),
    ));
    assert_eq!(v.missing, ["cần Bằng khen cấp tỉnh"]);
    assert_eq!(v.next_eligible_year, None);
}

#[test]
fn labour_order_third_class_also_needs_an_excellent_year() {
    let req = |rating: &str| {
        person(
            "HUAN_CHUONG_LAO_DONG_HANG_BA",
            2025,
            "2026-04-01",
            json!({"ratings": ratings(2021, 2025, rating),
                   "titles": titles("CHIEN_SI_THI_DUA_CO_SO", &[2021, 2023, 2025]),
                   "awards": [{"code": "BANG_KHEN_THU_TUONG", "decision_date": "2021-05-01", "period_from": 2016, "period_to": 2020}]}),
        )
    };
    assert_eq!(run(req("HTXSNV")).verdict, Outcome::Eligible);
    assert_eq!(failed(&run(req("HTTNV"))), ["htxsnv_years"]);
}

#[test]
fn provincial_merit_by_titles_or_by_initiatives_and_never_twice() {
    let by_titles = person(
        "BANG_KHEN_TINH",
        2024,
        "2025-02-01",
        json!({"ratings": ratings(2023, 2024, "HTTNV"), "titles": titles("CHIEN_SI_THI_DUA_CO_SO", &[2023, 2024])}),
    );
    assert_eq!(run(by_titles).verdict, Outcome::Eligible);
    let by_initiatives = person(
        "BANG_KHEN_TINH",
        2024,
        "2025-02-01",
        json!({"ratings": ratings(2023, 2024, "HTXSNV"),
               "initiatives": [{"year": 2023, "scope": "co_so"}, {"year": 2024, "scope": "co_so"},
                               {"year": 2024, "scope": "co_so", "used_by": "CHIEN_SI_THI_DUA_CO_SO"}]}),
    );
    assert_eq!(run(by_initiatives).verdict, Outcome::Eligible);
    let twice = person(
        "BANG_KHEN_TINH",
        2024,
        "2025-02-01",
        json!({"ratings": ratings(2023, 2024, "HTTNV"), "titles": titles("CHIEN_SI_THI_DUA_CO_SO", &[2023, 2024]),
               "awards": [{"code": "BANG_KHEN_TINH", "decision_date": "2025-01-10", "period_from": 2023, "period_to": 2024}]}),
    );
    let v = run(twice);
    assert_eq!(failed(&v), ["not_rewarded_twice"]);
    assert!(
        v.checks
            .iter()
            .any(|c| c.article == "Điều 5 khoản 2 Luật TĐKT 2022")
    );
}

#[test]
fn advanced_worker_exclusions_are_flagged_as_unconfirmed() {
    let v = run(person(
        "LAO_DONG_TIEN_TIEN",
        2025,
        "2025-12-20",
        json!({"ratings": ratings(2025, 2025, "HTTNV"), "discipline": [{"year": 2025, "level": "khien_trach"}],
               "employment": {"start": "2025-05-01"}}),
    ));
    assert_eq!(v.verdict, Outcome::NotEligible);
    assert_eq!(failed(&v), ["no_discipline", "months_worked"]);
    assert!(
        v.uncertain
            .contains(&"ldtt.discipline_excludes_from".to_owned())
    );
    assert!(v.uncertain.contains(&"ldtt.min_months_worked".to_owned()));
    assert_eq!(v.next_eligible_year, Some(2026));
}

#[test]
fn collective_titles_count_members() {
    let req = |ldtt: u32, cstdcs: u32, done: u32| {
        json!({"subject": {"kind": "collective"}, "proposed": "TAP_THE_LAO_DONG_XUAT_SAC", "year": 2025, "decision_date": "2026-01-10",
               "history": {"ratings": [{"year": 2025, "rating": "HTXSNV"}],
                           "members": {"total": 20, "completed_tasks": done, "titles": {"LAO_DONG_TIEN_TIEN": ldtt, "CHIEN_SI_THI_DUA_CO_SO": cstdcs}}}})
    };
    assert_eq!(run(req(14, 2, 20)).verdict, Outcome::Eligible);
    assert_eq!(failed(&run(req(13, 2, 20))), ["members_ldtt_share"]);
    assert_eq!(
        failed(&run(req(14, 0, 19))),
        ["members_all_completed", "members_cstdcs"]
    );
    // An individual title is refused for a collective.
    let v = run(
        json!({"subject": {"kind": "collective"}, "proposed": "LAO_DONG_TIEN_TIEN", "year": 2025, "decision_date": "2026-01-10"}),
    );
    assert_eq!(failed(&v), ["subject_kind"]);
}

#[test]
fn unconfirmed_forms_need_review() {
    let v = run(person(
        "HUAN_CHUONG_DOC_LAP_HANG_BA",
        2025,
        "2026-01-10",
        json!({}),
    ));
    assert_eq!(v.verdict, Outcome::NeedsReview);
}

#[test]
fn impossible_histories_are_refused_with_the_field() {
    let parse = |v: Value| -> Result<Verdict, RequestError> {
        check(&serde_json::from_value::<CheckRequest>(v).unwrap())
    };
    let e = parse(person(
        "LAO_DONG_TIEN_TIEN",
        2024,
        "2025-01-01",
        json!({"ratings": [{"year": 2024, "rating": "HTTNV"}, {"year": 2024, "rating": "HTNV"}]}),
    ))
    .unwrap_err();
    assert_eq!(e.field, "history.ratings[1].year");
    let e = parse(person("BANG_KHEN_THU_TUONG", 2024, "2025-01-01", json!({"awards": [{"code": "BANG_KHEN_TINH", "decision_date": "2019-01-01", "period_from": 2019, "period_to": 2020}]}))).unwrap_err();
    assert_eq!(e.field, "history.awards[0].decision_date");
    let e = parse(person("LAO_DONG_TIEN_TIEN", 2024, "2025-01-01", json!({"titles": titles("LAO_DONG_TIEN_TIEN", &[2015]), "employment": {"start": "2019-09-01"}}))).unwrap_err();
    assert_eq!(e.field, "history.titles[0].year");
    let e = parse(person("LAO_DONG_TIEN_TIEN", 1800, "2025-01-01", json!({}))).unwrap_err();
    assert_eq!(e.field, "year");
    assert!(
        serde_json::from_value::<CheckRequest>(person(
            "BANG_KHEN_HUYEN",
            2024,
            "2025-01-01",
            json!({})
        ))
        .is_err()
    );
}

proptest! {
    /// Adding a CSTĐCS year never turns an eligible CSTĐ tỉnh or Bằng khen
    /// tỉnh into a refusal: these rules are monotone in the titles held.
    #[test]
    fn more_titles_never_hurt(years in proptest::collection::btree_set(2015i32..=2024, 0..10), extra in 2015i32..=2024) {
        for proposed in ["CHIEN_SI_THI_DUA_TINH", "BANG_KHEN_TINH"] {
            let make = |ys: &std::collections::BTreeSet<i32>| person(
                proposed, 2024, "2025-03-01",
                json!({"ratings": ratings(2015, 2024, "HTXSNV"),
                       "titles": titles("CHIEN_SI_THI_DUA_CO_SO", &ys.iter().copied().collect::<Vec<_>>()),
                       "initiatives": [{"year": 2024, "scope": "tinh"}]}));
            let before = run(make(&years));
            let mut more = years.clone();
            more.insert(extra);
            let after = run(make(&more));
            if before.verdict == Outcome::Eligible {
                prop_assert_eq!(after.verdict, Outcome::Eligible);
            }
        }
    }
}

const RATING_CODES: [&str; 4] = ["KHTNV", "HTNV", "HTTNV", "HTXSNV"];

proptest! {
    /// Raising one year's rating never turns eligible into not eligible:
    /// every rating rule asks for "at least" a level.
    #[test]
    fn a_better_rating_never_hurts(
        levels in proptest::collection::vec(0usize..4, 10),
        cstdcs in proptest::collection::btree_set(2015i32..=2024, 0..10),
        which in 0usize..10,
    ) {
        let make = |levels: &[usize], proposed: &str| person(
            proposed, 2024, "2025-03-01",
            json!({"ratings": levels.iter().enumerate()
                       .map(|(i, l)| json!({"year": 2015 + i as i32, "rating": RATING_CODES[*l]}))
                       .collect::<Vec<_>>(),
                   "titles": titles("CHIEN_SI_THI_DUA_CO_SO", &cstdcs.iter().copied().collect::<Vec<_>>()),
                   "awards": [{"code": "BANG_KHEN_TINH", "decision_date": "2019-03-01", "period_from": 2017, "period_to": 2018}],
                   "initiatives": [{"year": 2024, "scope": "co_so"}]}));
        let mut better = levels.clone();
        better[which] = (better[which] + 1).min(3);
        for proposed in ["LAO_DONG_TIEN_TIEN", "CHIEN_SI_THI_DUA_CO_SO", "BANG_KHEN_TINH", "BANG_KHEN_THU_TUONG"] {
            let before = run(make(&levels, proposed));
            let after = run(make(&better, proposed));
            if before.verdict == Outcome::Eligible {
                prop_assert_eq!(after.verdict, Outcome::Eligible, "{} {:?} → {:?}", proposed, levels, better);
            }
        }
    }

    /// More members with a title never turn a collective title into a
    /// refusal.
    #[test]
    fn more_advanced_members_never_hurt(total in 1u32..60, ldtt in 0u32..60, cstdcs in 0u32..5) {
        let ldtt = ldtt.min(total);
        let cstdcs = cstdcs.min(ldtt);
        let make = |ldtt: u32| json!({"subject": {"kind": "collective"}, "proposed": "TAP_THE_LAO_DONG_XUAT_SAC",
            "year": 2025, "decision_date": "2026-01-15",
            "history": {"ratings": [{"year": 2025, "rating": "HTXSNV"}],
                        "members": {"total": total, "completed_tasks": total,
                                    "titles": {"LAO_DONG_TIEN_TIEN": ldtt, "CHIEN_SI_THI_DUA_CO_SO": cstdcs}}}});
        for proposed in ["TAP_THE_LAO_DONG_XUAT_SAC", "TAP_THE_LAO_DONG_TIEN_TIEN"] {
            let mut a = make(ldtt);
            a["proposed"] = json!(proposed);
            let mut b = make((ldtt + 1).min(total));
            b["proposed"] = json!(proposed);
            if run(a).verdict == Outcome::Eligible {
                prop_assert_eq!(run(b).verdict, Outcome::Eligible);
            }
        }
    }
}

fn unit(proposed: &str, history: Value) -> Value {
    json!({"subject": {"kind": "collective", "unit_type": "so"}, "proposed": proposed, "year": 2025,
           "decision_date": "2026-02-01", "history": history})
}

#[test]
fn flags_go_to_cluster_leaders_after_the_vote() {
    let excellent = json!([{"year": 2025, "rating": "HTXSNV"}]);
    // Not a leader: not eligible, with next year as the earliest.
    let v = run(unit(
        "CO_THI_DUA_TINH",
        json!({"ratings": excellent,
        "cluster_results": [{"year": 2025, "cluster_type": "khoi", "organised_by": "tinh", "rank": 3, "leader": false}]}),
    ));
    assert_eq!(v.verdict, Outcome::NotEligible);
    assert_eq!(failed(&v), ["cluster_leader"]);
    assert_eq!(v.next_eligible_year, Some(2026));
    // A leader voted by its block: eligible, citing Điều 26.
    let v = run(unit(
        "CO_THI_DUA_TINH",
        json!({"ratings": excellent,
        "cluster_results": [{"year": 2025, "cluster_type": "khoi", "organised_by": "tinh", "rank": 1, "leader": true, "voted": true}]}),
    ));
    assert_eq!(v.verdict, Outcome::Eligible, "{v:?}");
    assert!(
        v.checks
            .iter()
            .any(|c| c.article.starts_with("Điều 26") && c.message.contains("dẫn đầu khối"))
    );
    // Without the vote's minutes: a person decides.
    let v = run(unit(
        "CO_THI_DUA_TINH",
        json!({"ratings": excellent,
        "cluster_results": [{"year": 2025, "leader": true}]}),
    ));
    assert_eq!(v.verdict, Outcome::NeedsReview);
    // A leader rated only HTTNV is not eligible.
    let v = run(unit(
        "CO_THI_DUA_TINH",
        json!({"ratings": [{"year": 2025, "rating": "HTTNV"}],
        "cluster_results": [{"year": 2025, "leader": true, "voted": true}]}),
    ));
    assert_eq!(failed(&v), ["collective_rating"]);
    // The Government flag: a province-cluster leader needs the province's
    // flag first; then the council judges.
    let v = run(unit(
        "CO_THI_DUA_CHINH_PHU",
        json!({"ratings": excellent,
        "cluster_results": [{"year": 2025, "leader": true, "organised_by": "tinh"}]}),
    ));
    assert_eq!(failed(&v), ["provincial_flag"]);
    let v = run(unit(
        "CO_THI_DUA_CHINH_PHU",
        json!({"ratings": excellent,
        "awards": [{"code": "CO_THI_DUA_TINH", "decision_date": "2026-01-10", "period_from": 2025, "period_to": 2025}],
        "cluster_results": [{"year": 2025, "leader": true, "organised_by": "tinh"}]}),
    ));
    assert_eq!(v.verdict, Outcome::NeedsReview, "{v:?}");
    let v = run(unit(
        "CO_THI_DUA_CHINH_PHU",
        json!({"ratings": excellent,
        "cluster_results": [{"year": 2025, "leader": true, "organised_by": "trung_uong", "cluster_type": "cum"}]}),
    ));
    assert_eq!(
        v.verdict,
        Outcome::NeedsReview,
        "a central cluster's leader needs no province flag: {v:?}"
    );
}
