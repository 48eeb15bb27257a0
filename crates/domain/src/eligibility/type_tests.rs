//! The award types other than the regular one, and the deciding
//! authority: one test per type and authority, each naming the article it
//! holds the engine to.

use super::*;
use proptest::prelude::*;
use serde_json::{Value, json};

fn try_run(v: Value) -> Result<Verdict, RequestError> {
    let req: CheckRequest = serde_json::from_value(v).expect("request parses");
    check(&req)
}

fn run(v: Value) -> Verdict {
    try_run(v).expect("valid request")
}

fn failed(v: &Verdict) -> Vec<&'static str> {
    v.checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.rule)
        .collect()
}

fn cites(v: &Verdict, rule: &str, article: &str) -> bool {
    v.checks
        .iter()
        .any(|c| c.rule == rule && c.article.starts_with(article))
}

fn movement_achievement() -> Value {
    json!({"kind": "movement", "movement": "Đồng khởi, đồng hành phát triển",
           "movement_level": "tinh", "movement_years": 5, "recognised_at": "tong_ket",
           "period_from": 2019, "period_to": 2023, "outstanding": true})
}

fn thematic(code: &str, achievement: Value) -> Value {
    json!({"subject": {"kind": "individual"}, "proposed": code, "year": 2023,
           "decision_date": "2024-03-20", "award_type": "thematic", "achievement": achievement})
}

/// Điều 74 khoản 1 điểm a: an outstanding achievement recognised at the
/// review of a provincial movement — no years of titles asked for.
#[test]
fn thematic_merit_rests_on_the_reviewed_achievement() {
    let v = run(thematic("BANG_KHEN_TINH", movement_achievement()));
    assert_eq!(v.verdict, Outcome::Eligible, "{v:?}");
    assert!(cites(&v, "outstanding", "Điều 74 khoản 1 điểm a"), "{v:?}");
    let mut a = movement_achievement();
    a["outstanding"] = json!(false);
    let v = run(thematic("BANG_KHEN_TINH", a));
    assert_eq!(failed(&v), ["outstanding"]);
    let mut a = movement_achievement();
    a["movement_level"] = json!("co_so");
    assert_eq!(
        failed(&run(thematic("BANG_KHEN_TINH", a.clone()))),
        ["movement_level"]
    );
    // Điều 75: a unit's Giấy khen rewards a unit's movement.
    assert_eq!(
        run(thematic("GIAY_KHEN", a.clone())).verdict,
        Outcome::Eligible
    );
    a["recognised_at"] = Value::Null;
    let v = run(thematic("GIAY_KHEN", a));
    assert_eq!(failed(&v), ["recognised_at_review"]);
    assert!(cites(&v, "recognised_at_review", "Điều 75"), "{v:?}");
}

/// Điều 5 khoản 2: one achievement, one award at each level.
#[test]
fn an_achievement_already_rewarded_at_that_level_is_refused() {
    let mut a = movement_achievement();
    a["rewarded"] = json!(["BANG_KHEN_TINH"]);
    let v = run(thematic("BANG_KHEN_TINH", a.clone()));
    assert_eq!(failed(&v), ["achievement_not_rewarded_twice"]);
    assert!(cites(
        &v,
        "achievement_not_rewarded_twice",
        "Điều 5 khoản 2"
    ));
    // A Giấy khen for it does not block a Bằng khen (another level).
    a["rewarded"] = json!(["GIAY_KHEN"]);
    assert_eq!(
        run(thematic("BANG_KHEN_TINH", a)).verdict,
        Outcome::Eligible
    );
}

#[test]
fn a_thematic_award_without_an_achievement_is_refused_with_its_field() {
    let mut v = thematic("BANG_KHEN_TINH", Value::Null);
    v.as_object_mut().expect("object").remove("achievement");
    let e = try_run(v).expect_err("refused");
    assert_eq!(e.field, "achievement");
    assert!(e.message.contains("Điều 8"), "{e}");
    let mut a = movement_achievement();
    a["movement"] = json!("");
    let e = try_run(thematic("BANG_KHEN_TINH", a)).expect_err("refused");
    assert_eq!(e.field, "achievement.movement");
    // Titles are yearly: no thematic LĐTT.
    let v = run(thematic("LAO_DONG_TIEN_TIEN", movement_achievement()));
    assert_eq!(failed(&v), ["title_is_yearly"]);
}

/// Điều 44 khoản 2: a worker's Labour Order for a movement of five years
/// or more of a ministry or province.
#[test]
fn a_workers_labour_order_needs_a_five_year_provincial_movement() {
    let mut v = thematic("HUAN_CHUONG_LAO_DONG_HANG_BA", movement_achievement());
    v["subject"]["category"] = json!("cong_nhan");
    assert_eq!(run(v.clone()).verdict, Outcome::Eligible);
    v["achievement"]["movement_years"] = json!(3);
    let r = run(v);
    assert_eq!(failed(&r), ["movement_years"]);
    assert!(cites(&r, "movement_years", "Điều 44 khoản 2"));
    // Not a worker: its thematic criteria are unconfirmed, so people judge.
    let r = run(thematic(
        "HUAN_CHUONG_LAO_DONG_HANG_BA",
        movement_achievement(),
    ));
    assert_eq!(r.verdict, Outcome::NeedsReview, "{r:?}");
}

/// Điều 74 khoản 1 điểm b, Điều 75: a sudden achievement is weighed by
/// people.
#[test]
fn a_sudden_award_needs_a_sudden_achievement_and_people_to_weigh_it() {
    let sudden = json!({"kind": "sudden", "period_from": 2025, "period_to": 2025});
    let v = json!({"subject": {"kind": "individual"}, "proposed": "BANG_KHEN_TINH", "year": 2025,
                   "decision_date": "2025-10-01", "award_type": "ad_hoc", "achievement": sudden});
    let r = run(v.clone());
    assert_eq!(r.verdict, Outcome::NeedsReview, "{r:?}");
    assert!(cites(&r, "sudden_achievement", "Điều 74 khoản 1 điểm b"));
    let mut wrong = v;
    wrong["achievement"]["kind"] = json!("movement");
    wrong["achievement"]["movement"] = json!("X");
    assert_eq!(failed(&run(wrong)), ["sudden_achievement"]);
}

fn dedication(posts: Value) -> Value {
    json!({"subject": {"kind": "individual"}, "proposed": "HUAN_CHUONG_LAO_DONG_HANG_BA",
           "year": 2026, "decision_date": "2026-06-01", "award_type": "dedication",
           "positions": posts})
}

/// Điều 44 khoản 1 điểm g (Nghị định 152/2025 Điều 21): years in leading
/// posts by band; years in a higher post count for a lower band.
#[test]
fn dedication_counts_years_in_leading_posts() {
    let enough = dedication(json!([
        {"level": "pho_giam_doc", "from": "2012-01-01", "until": "2018-01-01"},
        {"level": "giam_doc", "from": "2018-01-01", "until": "2026-01-01"}
    ]));
    let r = run(enough);
    assert_eq!(r.verdict, Outcome::Eligible, "{r:?}");
    assert!(cites(&r, "years_in_posts", "Điều 44 khoản 1 điểm g"));
    assert!(
        r.uncertain
            .contains(&"dedication.hcld3.giam_doc_years".to_owned())
    );
    let short = dedication(json!([
        {"level": "pho_giam_doc", "from": "2020-01-01", "until": "2024-01-01"}
    ]));
    assert_eq!(failed(&run(short)), ["years_in_posts"]);
    let overlapping = dedication(json!([
        {"level": "pho_giam_doc", "from": "2012-01-01", "until": "2019-01-01"},
        {"level": "giam_doc", "from": "2018-01-01"}
    ]));
    let e = try_run(overlapping).expect_err("overlap");
    assert_eq!(e.field, "positions[1].from");
    let e = try_run(dedication(json!([]))).expect_err("no posts");
    assert_eq!(e.field, "positions");
}

/// Điều 8: seniority awards are for the armed forces, by years served.
#[test]
fn seniority_is_for_the_armed_forces_by_years_served() {
    let v = |category: &str, start: &str| {
        json!({"subject": {"kind": "individual", "category": category},
               "proposed": "HUY_CHUONG_CHIEN_SI_VE_VANG_HANG_BA", "year": 2026,
               "decision_date": "2026-06-01", "award_type": "seniority",
               "history": {"employment": {"start": start}}})
    };
    assert_eq!(run(v("cong_an", "2014-03-01")).verdict, Outcome::Eligible);
    let r = run(v("cong_an", "2019-03-01"));
    assert_eq!(failed(&r), ["years_of_service"]);
    assert_eq!(r.next_eligible_year, Some(2029));
    let r = run(v("cong_chuc", "2000-01-01"));
    assert_eq!(failed(&r), ["armed_forces"]);
    assert!(cites(&r, "armed_forces", "Điều 8"));
}

/// Điều 8: foreign awards are for foreigners and Vietnamese abroad.
#[test]
fn foreign_awards_are_for_foreigners_and_weighed_by_people() {
    let v = |category: &str| {
        json!({"subject": {"kind": "individual", "category": category},
               "proposed": "HUAN_CHUONG_HUU_NGHI", "year": 2026,
               "decision_date": "2026-06-01", "award_type": "foreign"})
    };
    assert_eq!(run(v("nguoi_nuoc_ngoai")).verdict, Outcome::NeedsReview);
    assert_eq!(failed(&run(v("cong_chuc"))), ["foreign_subject"]);
}

fn decided(code: &str, date: &str, authority: &str) -> Value {
    json!({"subject": {"kind": "individual"}, "proposed": code, "year": 2025,
           "decision_date": date, "award_type": "thematic",
           "achievement": {"kind": "movement", "movement": "Thi đua", "movement_level": "co_so",
                           "recognised_at": "tong_ket", "period_from": 2025, "period_to": 2025},
           "decided_by": {"authority": authority}})
}

/// Điều 80 and Nghị định 129/2025: who may give what, and when.
#[test]
fn the_deciding_authority_must_hold_the_competence_that_day() {
    let r = run(decided("GIAY_KHEN", "2025-12-01", "chu_tich_ubnd_xa"));
    assert_eq!(r.verdict, Outcome::Eligible, "{r:?}");
    assert!(cites(&r, "competence", "Điều 80"), "{r:?}");
    let r = run(decided("GIAY_KHEN", "2025-12-01", "chu_tich_ubnd_huyen"));
    assert_eq!(failed(&r), ["competence"]);
    assert!(r.checks[1].message.contains("cấp huyện"), "{r:?}");
    assert_eq!(
        run(decided("GIAY_KHEN", "2025-03-01", "chu_tich_ubnd_huyen")).verdict,
        Outcome::Eligible
    );
    let r = run(decided("GIAY_KHEN", "2025-12-01", "chu_tich_ubnd_tinh"));
    assert_eq!(failed(&r), ["competence"]);
    let r = run(decided("GIAY_KHEN", "2025-12-01", "thu_truong_co_quan"));
    assert_eq!(r.verdict, Outcome::Eligible);
    let mut ended = decided("GIAY_KHEN", "2025-12-01", "chu_tich_ubnd_xa");
    ended["decided_by"]["until"] = json!("2025-07-01");
    assert_eq!(failed(&run(ended)), ["competence"]);
}

/// Điều 93 khoản 1 điểm d: a finding about a year the award rests on.
#[test]
fn a_finding_within_the_period_fails_the_award() {
    let mut v = thematic("BANG_KHEN_TINH", movement_achievement());
    v["findings"] = json!([{"year": 2021, "ground": "criteria_not_met", "note": "kết luận thanh tra số 12/KL-TTr"}]);
    let r = run(v.clone());
    assert_eq!(failed(&r), ["finding"]);
    assert!(cites(&r, "finding", "Điều 93 khoản 1 điểm d"), "{r:?}");
    v["findings"] = json!([{"year": 2015, "ground": "criteria_not_met"}]);
    assert_eq!(run(v).verdict, Outcome::Eligible);
}

/// The instruments each rule set may cite; any other is a verdict citing
/// rules not in force on its decision date.
fn foreign_instruments(rs: RuleSet) -> &'static [&'static str] {
    match rs {
        RuleSet::Law2013 => &["2022", "98/2023", "152/2025", "129/2025"],
        RuleSet::Law2022Decree98 => &["2003", "91/2017", "152/2025", "129/2025"],
        RuleSet::Law2022Decree152 => &["2003", "91/2017", "98/2023"],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Whatever is asked, a verdict judges by the rule set in force on
    /// the decision date and cites no article of another.
    #[test]
    fn a_verdict_cites_only_the_rules_in_force_on_its_decision_date(
        days in 0i64..(40 * 365),
        code in 0usize..AwardCode::ALL.len(),
        ty in 0usize..6,
        kind in 0usize..3,
        authority in 0usize..7,
        with_authority in any::<bool>(),
        category in 0usize..4,
        rating in 0usize..4,
    ) {
        let decided = time::macros::date!(1995 - 01 - 01) + time::Duration::days(days);
        let year = decided.year() - 1;
        let types = ["regular", "thematic", "ad_hoc", "dedication", "seniority", "foreign"];
        let kinds = ["individual", "collective", "household"];
        let authorities = ["thu_truong_co_quan", "chu_tich_ubnd_xa", "chu_tich_ubnd_huyen",
            "chu_tich_ubnd_tinh", "bo_truong", "thu_tuong", "chu_tich_nuoc"];
        let categories = ["cong_chuc", "cong_an", "nguoi_nuoc_ngoai", "cong_nhan"];
        let ratings = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"];
        let mut v = json!({
            "subject": {"kind": kinds[kind], "category": categories[category]},
            "proposed": AwardCode::ALL[code].code(), "year": year,
            "decision_date": decided.to_string(), "award_type": types[ty],
            "achievement": {"kind": if ty == 2 { "sudden" } else { "movement" }, "movement": "M",
                "movement_level": "tinh", "recognised_at": "tong_ket",
                "period_from": year - 1, "period_to": year, "outstanding": true},
            "positions": [{"level": "giam_doc", "from": "1990-01-01", "until": decided.to_string()}],
            "findings": [{"year": year, "ground": "cheated"}],
            "history": {"ratings": (year - 6..=year).map(|y| json!({"year": y, "rating": ratings[rating]})).collect::<Vec<_>>(),
                        "titles": [{"year": year, "code": "CHIEN_SI_THI_DUA_CO_SO"}],
                        "awards": [{"code": "BANG_KHEN_TINH", "decision_date": format!("{}-05-01", year - 5), "period_from": year - 6, "period_to": year - 6}],
                        "employment": {"start": "1990-01-01"}}
        });
        if with_authority {
            v["decided_by"] = json!({"authority": authorities[authority]});
        }
        let req: CheckRequest = serde_json::from_value(v).expect("parses");
        let verdict = check(&req).expect("valid");
        let rs = RuleSet::for_decision(decided);
        prop_assert_eq!(verdict.rule_set, rs);
        for c in &verdict.checks {
            for other in foreign_instruments(rs) {
                prop_assert!(!c.article.contains(other), "{} cites {} under {:?}: {}", c.rule, other, rs, c.article);
            }
        }
    }
}
