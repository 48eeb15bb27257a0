//! The sweep against the per-person engine on a generated province, on both
//! engines, before and after writes through the app.

use super::*;
use crate::decisions::{Amendment, amend};
use crate::eligibility::{LineInput, open_review, person_history, update_line};
use crate::generate::{Scale, generate};
use crate::movements::Enterer;
use crate::unit_awards::{UnitAward, UnitAwardLine, issue};
use thidua_domain::decision::DecisionKind;
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::eligibility::sweep::SweepOutcome;
use thidua_domain::eligibility::{CheckRequest, Outcome, Rating, SubjectKind, check};
use thidua_store::testkit::TestDb;
use thidua_store::{Engine, SubjectRef, Who};
use time::macros::date;

const CODES: [AwardCode; 8] = [
    AwardCode::LaoDongTienTien,
    AwardCode::ChienSiThiDuaCoSo,
    AwardCode::ChienSiThiDuaTinh,
    AwardCode::ChienSiThiDuaToanQuoc,
    AwardCode::BangKhenTinh,
    AwardCode::BangKhenThuTuong,
    AwardCode::HuanChuongLaoDongHangBa,
    AwardCode::GiayKhen,
];
const TODAY: Date = date!(2026 - 03 - 02);

fn on(year: i32) -> Date {
    Date::from_calendar_date(year + 1, time::Month::March, 1).unwrap()
}

/// Every person judged one by one, as `eligibility check` does.
async fn per_person(store: &Store, ids: &[i64], code: AwardCode, year: i32) -> Vec<i64> {
    let mut eligible = Vec::new();
    for id in ids {
        let history = person_history(store, *id).await.unwrap();
        let req = CheckRequest::new(
            thidua_domain::eligibility::request::Subject {
                kind: SubjectKind::Individual,
                category: None,
                unit_type: None,
            },
            code,
            year,
            on(year),
            AwardType::Regular,
            history,
        );
        if check(&req).is_ok_and(|v| v.verdict == Outcome::Eligible) {
            eligible.push(*id);
        }
    }
    eligible
}

async fn all_agree(store: &Store, snap: &RegistrySnapshot, ids: &[i64], codes: &[AwardCode]) {
    for year in [2024, 2025] {
        for code in codes {
            let swept = snap
                .sweep(store, *code, year, on(year), None)
                .await
                .unwrap();
            let want = per_person(store, ids, *code, year).await;
            assert_eq!(swept.eligible_ids, want, "{code:?} {year}");
            assert_eq!(
                swept.eligible + swept.not_eligible + swept.needs_review + swept.refused,
                ids.len() as u64
            );
        }
    }
}

/// The unit's head gives `code` to `person` for 2025 — a form (an
/// `awards` row) or an annual title (the year's `titles` row) — then a
/// later decision revokes that line; the sweep agrees with the engine
/// after each.
async fn give_and_revoke(
    store: &Store,
    snap: &RegistrySnapshot,
    ids: &[i64],
    unit: thidua_domain::org::UnitId,
    person: i64,
    code: AwardCode,
) {
    let who = Who::system("test");
    let signer = "Nguyễn Văn Thử";
    let before = snap
        .sweep(store, code, 2025, on(2025), Some(vec![person]))
        .await
        .unwrap();
    let d = issue(
        store,
        Enterer::System,
        &who,
        TODAY,
        &UnitAward {
            unit,
            code: code.code().into(),
            award_type: AwardType::Regular,
            movement: None,
            number: String::new(),
            date: date!(2026 - 02 - 10),
            signer: signer.into(),
            signer_title: "Thủ trưởng".into(),
            lines: vec![UnitAwardLine {
                subject: SubjectRef::Person(person),
                period_from: 2025,
                period_to: 2025,
                summary: "Hoàn thành xuất sắc nhiệm vụ năm 2025".into(),
            }],
        },
    )
    .await
    .unwrap();
    let now_held = snap
        .sweep(store, code, 2025, on(2025), Some(vec![person]))
        .await
        .unwrap();
    assert_eq!(
        now_held.eligible, 0,
        "{code:?} given for 2025 is not given twice"
    );
    all_agree(store, snap, ids, &[code, AwardCode::LaoDongTienTien]).await;
    let lines = store.decision_lines(d).await.unwrap();
    assert_eq!(lines.len(), 1, "the decision lists what it gave: {lines:?}");
    let title = lines[0].title;
    assert_eq!(title, code != AwardCode::GiayKhen);
    let line = vec![lines[0].award_id];
    amend(
        store,
        &who,
        TODAY,
        &Amendment {
            kind: DecisionKind::Revocation,
            refers_to: d,
            awards: if title { Vec::new() } else { line.clone() },
            titles: if title { line } else { Vec::new() },
            achievement: None,
            number: String::new(),
            date: TODAY,
            signer: signer.into(),
            signer_title: "Thủ trưởng".into(),
            reason: "Thành tích không đúng sự thật".into(),
        },
    )
    .await
    .unwrap();
    let revoked = snap
        .sweep(store, code, 2025, on(2025), Some(vec![person]))
        .await
        .unwrap();
    assert_eq!(
        (revoked.eligible, revoked.not_eligible),
        (before.eligible, before.not_eligible),
        "{code:?} revoked: the verdict before it was given"
    );
    all_agree(store, snap, ids, &CODES).await;
}

async fn ids_of(store: &Store) -> Vec<i64> {
    let max = store.max_person_id().await.unwrap();
    store
        .people_between(1, max)
        .await
        .unwrap()
        .people
        .into_iter()
        .map(|p| p.0)
        .collect()
}

async fn the_sweep_is_the_engine(engine: Engine) {
    let Some(db) = TestDb::fresh(engine).await else {
        return;
    };
    let store = db.store.clone();
    let g = generate(&store, Scale::People(700), 11, &|_, _, _| {})
        .await
        .unwrap();
    assert_eq!(g.people, 700);
    assert!(g.person_years > 5_000, "{g:?}");
    assert!(g.titles > 2_000 && g.awards > 50, "{g:?}");
    let again = generate(&store, Scale::People(10), 1, &|_, _, _| {})
        .await
        .unwrap_err();
    assert!(again.to_string().contains("đã có dữ liệu"), "{again}");
    let snap = RegistrySnapshot::load(&store, &|_, _| {}).await.unwrap();
    let ids = ids_of(&store).await;
    assert_eq!(ids.len(), 700);
    assert_eq!(snap.size().unwrap().0, 700);
    all_agree(&store, &snap, &ids, &CODES).await;
    let some = snap
        .sweep(
            &store,
            AwardCode::LaoDongTienTien,
            2025,
            on(2025),
            Some(ids[..50].to_vec()),
        )
        .await
        .unwrap();
    assert_eq!(
        some.eligible_ids,
        per_person(&store, &ids[..50], AwardCode::LaoDongTienTien, 2025).await
    );

    // A rating changed in the annual review: someone who was an advanced
    // worker in 2025 is rated «not completed».
    let who = Who::system("test");
    let person = snap
        .sweep(&store, AwardCode::LaoDongTienTien, 2025, on(2025), None)
        .await
        .unwrap()
        .eligible_ids[0];
    let unit = store
        .memberships(person)
        .await
        .unwrap()
        .last()
        .map(|m| m.0)
        .unwrap();
    let before = snap
        .with(|s| s.outcome_of(person, AwardCode::LaoDongTienTien, 2025, on(2025)))
        .unwrap()
        .unwrap();
    let review = open_review(&store, &who, unit, 2025, TODAY).await.unwrap();
    let line = store
        .review_lines(review)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.person_id == Some(person))
        .unwrap();
    assert_eq!(before, Some(SweepOutcome::Judged(Outcome::Eligible)));
    update_line(
        &store,
        &who,
        review,
        line.id,
        &LineInput {
            rating: Some(Rating::NotCompleted),
            proposed: None,
            want: None,
            reason: Some("đánh giá lại".into()),
        },
        TODAY,
    )
    .await
    .unwrap();
    let after = snap
        .sweep(
            &store,
            AwardCode::LaoDongTienTien,
            2025,
            on(2025),
            Some(vec![person]),
        )
        .await
        .unwrap();
    assert_eq!(after.eligible, 0, "the sweep reads the write at once");
    assert_eq!(after.not_eligible, 1);

    // A form given by the unit's head, then revoked; then a title
    // (CSTĐCS, which the head gives since 01/07/2025).
    give_and_revoke(&store, &snap, &ids, unit, person, AwardCode::GiayKhen).await;
    // Someone who qualifies and holds no title for 2025 yet (one title a
    // person-year).
    let mut fighter = None;
    for id in snap
        .sweep(&store, AwardCode::ChienSiThiDuaCoSo, 2025, on(2025), None)
        .await
        .unwrap()
        .eligible_ids
    {
        let reg = store.registry(SubjectRef::Person(id)).await.unwrap();
        if reg.titles.iter().all(|t| t.year != 2025) {
            fighter = Some(id);
            break;
        }
    }
    let fighter = fighter.expect("a CSTĐCS candidate without a 2025 title");
    let fighter_unit = store
        .memberships(fighter)
        .await
        .unwrap()
        .last()
        .map(|m| m.0)
        .unwrap();
    give_and_revoke(
        &store,
        &snap,
        &ids,
        fighter_unit,
        fighter,
        AwardCode::ChienSiThiDuaCoSo,
    )
    .await;
    db.finish().await;
}

#[tokio::test]
async fn the_sweep_is_the_engine_on_sqlite() {
    the_sweep_is_the_engine(Engine::Sqlite).await;
}

#[tokio::test]
async fn the_sweep_is_the_engine_on_postgres() {
    the_sweep_is_the_engine(Engine::Postgres).await;
}
