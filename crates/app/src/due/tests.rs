//! Who is due, on a generated province: the sweep and the engine person by
//! person give the same people, and a unit officer sees only their unit.

use super::*;
use crate::generate::{Scale, generate};
use thidua_domain::policy::Role;
use thidua_store::testkit::TestDb;
use thidua_store::{Engine, Who};
use time::macros::date;

const TODAY: Date = date!(2026 - 03 - 02);

async fn user(store: &Store, login: &str, role: Role, unit: Option<UnitId>) -> UserRow {
    crate::auth::create_user(
        store,
        &Who::system("test"),
        login,
        "Người thử",
        role,
        unit,
        "mat-khau-dai-du-12",
    )
    .await
    .unwrap();
    store.user_for_login(login).await.unwrap().unwrap().0
}

/// The unit of someone's latest stint.
async fn unit_of(store: &Store, person: i64) -> UnitId {
    store
        .memberships(person)
        .await
        .unwrap()
        .last()
        .map(|m| m.0)
        .unwrap()
}

async fn who_is_due(engine: Engine) {
    let Some(db) = TestDb::fresh(engine).await else {
        return;
    };
    let store = db.store.clone();
    generate(&store, Scale::People(700), 3, &|_, _, _| {})
        .await
        .unwrap();
    let snap = RegistrySnapshot::load(&store, &|_, _| {}).await.unwrap();
    let admin = user(&store, "quan.tri", Role::Admin, None).await;
    let unit = unit_of(&store, 1).await;
    let mut other = unit;
    for p in 2..700 {
        other = unit_of(&store, p).await;
        if other != unit {
            break;
        }
    }
    assert_ne!(other, unit);
    let mut listed_somewhere = 0;
    for code in [
        AwardCode::LaoDongTienTien,
        AwardCode::ChienSiThiDuaCoSo,
        AwardCode::BangKhenTinh,
    ] {
        for unit in [Some(unit), None] {
            let q = DueQuery {
                code,
                year: 2025,
                unit,
            };
            let fast = due(&store, Some(&snap), &admin, TODAY, q).await.unwrap();
            assert!(fast.by_snapshot);
            let ids = |d: &Due| d.listed.iter().map(|p| p.id).collect::<Vec<_>>();
            if unit.is_some() {
                let slow = due(&store, None, &admin, TODAY, q).await.unwrap();
                assert!(!slow.by_snapshot);
                assert_eq!(
                    (fast.judged, fast.eligible, fast.needs_review, ids(&fast)),
                    (slow.judged, slow.eligible, slow.needs_review, ids(&slow)),
                    "{code:?}"
                );
            } else {
                assert_eq!(fast.judged, 700);
                let mut eligible = 0;
                for id in 1..=700 {
                    let v = crate::eligibility::check_person(&store, id, code, 2025, TODAY)
                        .await
                        .unwrap();
                    eligible += u64::from(v.verdict == Outcome::Eligible);
                }
                assert_eq!(fast.eligible, eligible, "{code:?} everyone");
                assert_eq!(fast.listed.len() as u64, eligible.min(LISTED_MAX as u64));
            }
            listed_somewhere += fast.listed.len();
        }
    }
    assert!(listed_somewhere > 10, "some are due: {listed_somewhere}");

    // A unit officer: their own unit only.
    let officer = user(&store, "can.bo.don.vi", Role::UnitOfficer, Some(unit)).await;
    let q = DueQuery {
        code: AwardCode::LaoDongTienTien,
        year: 2025,
        unit: Some(other),
    };
    let refused = due(&store, Some(&snap), &officer, TODAY, q)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, AppError::Denied(_) | AppError::NotFound(_)),
        "{refused}"
    );
    let mine = due(
        &store,
        Some(&snap),
        &officer,
        TODAY,
        DueQuery { unit: None, ..q },
    )
    .await
    .unwrap();
    let here = due(
        &store,
        Some(&snap),
        &admin,
        TODAY,
        DueQuery {
            unit: Some(unit),
            ..q
        },
    )
    .await
    .unwrap();
    assert_eq!((mine.judged, mine.eligible), (here.judged, here.eligible));
    assert!(mine.judged < 700);

    // Nonsense is refused in words.
    let e = due(
        &store,
        Some(&snap),
        &admin,
        TODAY,
        DueQuery { year: 2031, ..q },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("Năm xét"), "{e}");
    let e = due(
        &store,
        Some(&snap),
        &admin,
        TODAY,
        DueQuery {
            code: AwardCode::CoThiDuaTinh,
            ..q
        },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("cá nhân"), "{e}");
    db.finish().await;
}

#[tokio::test]
async fn who_is_due_on_sqlite() {
    who_is_due(Engine::Sqlite).await;
}

#[tokio::test]
async fn who_is_due_on_postgres() {
    who_is_due(Engine::Postgres).await;
}
