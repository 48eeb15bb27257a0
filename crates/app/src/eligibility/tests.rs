//! The annual review end to end on a real store: proposals from the
//! registry, decisions that need reasons, the unit following its members,
//! quotas, and the list entering the registry.

use super::*;
use thidua_domain::date::Period;
use thidua_domain::eligibility::DisciplineLevel;
use thidua_domain::org::{UnitCode, UnitKind};
use thidua_domain::person::PersonName;
use thidua_store::testkit::TestDb;
use thidua_store::{Engine, NewPerson, NewTitle, NewUnit};
use time::macros::date;

const TODAY: Date = date!(2026 - 01 - 10);

fn who() -> Who {
    Who::system("test")
}

async fn commune_with_staff(store: &Store) -> (UnitId, [i64; 4]) {
    let unit = store
        .create_unit(
            &who(),
            &NewUnit {
                code: UnitCode::parse("X1").unwrap(),
                kind: UnitKind::Commune,
                admin_type: None,
                name: "Xã Thử".into(),
                short_name: None,
                parent: None,
                valid_from: None,
            },
        )
        .await
        .unwrap();
    let mut ids = [0; 4];
    for (i, name) in ["Lê Thị An", "Hà Văn Bình", "Đỗ Văn Cường", "Vũ Thị Dung"]
        .into_iter()
        .enumerate()
    {
        let id = store
            .insert_person(
                &who(),
                &NewPerson {
                    category: None,
                    name: PersonName::parse(name).unwrap(),
                    gender: None,
                    birth_date: None,
                    ethnicity: None,
                    id_number: None,
                    position: None,
                },
            )
            .await
            .unwrap();
        store
            .add_membership(
                &who(),
                id,
                unit,
                Some("Công chức"),
                Period {
                    from: Some(date!(2015 - 01 - 01)),
                    until: None,
                },
            )
            .await
            .unwrap();
        ids[i] = id;
    }
    (unit, ids)
}

fn line_of(v: &ReviewView, person: Option<i64>) -> &LineView {
    v.lines.iter().find(|l| l.line.person_id == person).unwrap()
}

fn input(want: Option<Want>, reason: Option<&str>) -> LineInput {
    LineInput {
        want,
        reason: reason.map(str::to_owned),
        ..Default::default()
    }
}

/// The commune's records for the review: An excellent in 2024 and 2025
/// with a CSTĐCS in 2024, Bình and Dũng rated well (Dũng disciplined),
/// Cường only completed.
async fn records_of_the_year(store: &Store, unit: UnitId, [an, binh, cuong, dung]: [i64; 4]) {
    for (p, y, r) in [
        (an, 2024, Rating::CompletedExcellently),
        (an, 2025, Rating::CompletedExcellently),
        (binh, 2025, Rating::CompletedWell),
        (cuong, 2025, Rating::Completed),
        (dung, 2025, Rating::CompletedWell),
    ] {
        store.set_rating(&who(), p, y, r, Some(unit)).await.unwrap();
    }
    store
        .add_discipline(
            &who(),
            dung,
            2025,
            DisciplineLevel::KhienTrach,
            Some("7/QĐ-UBND"),
        )
        .await
        .unwrap();
    store
        .add_title(
            &who(),
            &NewTitle {
                subject: SubjectRef::Person(an),
                year: 2024,
                code: "CHIEN_SI_THI_DUA_CO_SO".into(),
                decision_number: None,
                decision_date: Some(date!(2024 - 12 - 20)),
            },
        )
        .await
        .unwrap();
}

fn proposed(v: &ReviewView, p: Option<i64>) -> (AwardCode, Outcome) {
    let l = line_of(v, p);
    (l.line.proposed.unwrap(), l.line.outcome.unwrap())
}

/// Opening proposes what the engine finds, with its reasons.
async fn the_review_opens(
    store: &Store,
    unit: UnitId,
    [an, binh, cuong, dung]: [i64; 4],
) -> (i64, ReviewView) {
    assert!(matches!(
        open_review(store, &who(), unit, 2027, TODAY).await,
        Err(AppError::Invalid { field: "year", .. })
    ));
    let id = open_review(store, &who(), unit, 2025, TODAY).await.unwrap();
    let v = review_view(store, id, TODAY).await.unwrap();
    assert_eq!(v.lines.len(), 5);
    assert_eq!(v.pending, 5);
    assert_eq!(
        proposed(&v, Some(an)),
        (AwardCode::ChienSiThiDuaCoSo, Outcome::Eligible)
    );
    assert_eq!(
        proposed(&v, Some(binh)),
        (AwardCode::LaoDongTienTien, Outcome::Eligible)
    );
    assert_eq!(
        proposed(&v, Some(cuong)),
        (AwardCode::LaoDongTienTien, Outcome::NotEligible)
    );
    assert_eq!(
        proposed(&v, Some(dung)),
        (AwardCode::LaoDongTienTien, Outcome::NotEligible)
    );
    let dung_checks = &line_of(&v, Some(dung)).checked.as_ref().unwrap().checks;
    assert!(
        dung_checks
            .iter()
            .any(|c| !c.passed && c.message.contains("khiển trách")),
        "{dung_checks:?}"
    );
    // The unit has no rating yet.
    assert_eq!(line_of(&v, None).line.outcome, Some(Outcome::NotEligible));
    (id, v)
}

/// The officer follows the engine for An and Bình, overrides it for Cường
/// with a reason, drops Dũng and proposes the unit.
async fn the_officer_decides(
    store: &Store,
    id: i64,
    v: &ReviewView,
    [an, binh, cuong, dung]: [i64; 4],
) {
    let line = |v: &ReviewView, p| line_of(v, p).line.id;
    // Proposing someone the engine refuses needs a reason.
    let err = update_line(
        store,
        &who(),
        id,
        line(v, Some(cuong)),
        &input(Some(Want::Propose), None),
        TODAY,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            AppError::Invalid {
                field: "reason",
                ..
            }
        ),
        "{err}"
    );
    for (p, want, reason) in [
        (an, Want::Propose, None),
        (binh, Want::Propose, None),
        (
            cuong,
            Want::Propose,
            Some("Hoàn thành nhiệm vụ trong điều kiện địa bàn đặc biệt khó khăn"),
        ),
        (dung, Want::Drop, None),
    ] {
        update_line(
            store,
            &who(),
            id,
            line(v, Some(p)),
            &input(Some(want), reason),
            TODAY,
        )
        .await
        .unwrap();
    }
    // The unit's rating: TTLĐTT with 3 of 4 members LĐTT (the CSTĐCS counts).
    update_line(
        store,
        &who(),
        id,
        line(v, None),
        &LineInput {
            rating: Some(Rating::CompletedWell),
            want: Some(Want::Propose),
            ..Default::default()
        },
        TODAY,
    )
    .await
    .unwrap();
    let v = review_view(store, id, TODAY).await.unwrap();
    assert_eq!(v.pending, 0);
    assert_eq!(
        proposed(&v, None),
        (AwardCode::TapTheLaoDongTienTien, Outcome::Eligible),
        "{:?}",
        line_of(&v, None).checked
    );
    assert_eq!(
        line_of(&v, Some(cuong)).line.decision,
        LineDecision::Overridden
    );
}

/// A quota holds the list; a number that is not one is refused; closing
/// writes the titles into the registry, and a closed review stays closed.
async fn the_list_closes(
    store: &Store,
    id: i64,
    v: &ReviewView,
    unit: UnitId,
    [an, _, cuong, dung]: [i64; 4],
) {
    let line = |v: &ReviewView, p| line_of(v, p).line.id;
    // A quota of 15 % of LĐTT holds no CSTĐCS among 3: the list waits.
    store
        .set_quota(
            &who(),
            AwardCode::ChienSiThiDuaCoSo,
            Some((15.0, Some(AwardCode::LaoDongTienTien), "Quy chế thử")),
        )
        .await
        .unwrap();
    let err = close_review(
        store,
        &who(),
        id,
        Some("45/QĐ-UBND"),
        Some(date!(2026 - 01 - 09)),
        TODAY,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("vượt giới hạn"), "{err}");
    store
        .set_quota(&who(), AwardCode::ChienSiThiDuaCoSo, None)
        .await
        .unwrap();
    let err = close_review(store, &who(), id, Some("45 QĐ"), None, TODAY)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AppError::Invalid {
                field: "decision_number",
                ..
            }
        ),
        "{err}"
    );
    let n = close_review(
        store,
        &who(),
        id,
        Some("45/QĐ-UBND"),
        Some(date!(2026 - 01 - 09)),
        TODAY,
    )
    .await
    .unwrap();
    assert_eq!(n, 4, "three people and the unit");
    let titles = |s| async move {
        store
            .registry(s)
            .await
            .unwrap()
            .titles
            .into_iter()
            .map(|t| (t.year, t.code))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(SubjectRef::Person(an)).await.last().unwrap().1,
        "CHIEN_SI_THI_DUA_CO_SO"
    );
    assert_eq!(
        titles(SubjectRef::Person(cuong)).await,
        [(2025, "LAO_DONG_TIEN_TIEN".to_owned())]
    );
    assert!(titles(SubjectRef::Person(dung)).await.is_empty());
    assert_eq!(
        titles(SubjectRef::Unit(unit)).await,
        [(2025, "TAP_THE_LAO_DONG_TIEN_TIEN".to_owned())]
    );
    // Closed means closed.
    let err = update_line(
        store,
        &who(),
        id,
        line(v, Some(dung)),
        &input(Some(Want::Drop), None),
        TODAY,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("đã chốt"), "{err}");
}

#[tokio::test]
async fn a_review_proposes_checks_takes_reasons_and_produces_the_list() {
    let db = TestDb::fresh(Engine::Sqlite).await.unwrap();
    let store = &db.store;
    let (unit, people) = commune_with_staff(store).await;
    records_of_the_year(store, unit, people).await;
    let (id, v) = the_review_opens(store, unit, people).await;
    the_officer_decides(store, id, &v, people).await;
    the_list_closes(store, id, &v, unit, people).await;
    let an = people[0];
    // Next year the registry feeds the engine: An's second CSTĐCS in a row
    // makes the Bằng khen tỉnh reachable (Điều 74 khoản 1 điểm d).
    let bk = check_person(
        store,
        an,
        AwardCode::BangKhenTinh,
        2025,
        date!(2026 - 03 - 01),
    )
    .await
    .unwrap();
    assert_eq!(bk.verdict, Outcome::Eligible, "{bk:?}");
    db.finish().await;
}

#[test]
fn the_shipped_catalogue_reads_and_a_bad_one_names_entry_and_field() {
    let all = parse_catalogue(CATALOGUE_TOML).unwrap();
    assert!(all.len() >= 60, "{}", all.len());
    // Every code the engine judges is in the catalogue.
    for c in AwardCode::ALL {
        assert!(
            all.iter().any(|e| e.code.as_str() == c.code()),
            "{}",
            c.code()
        );
    }
    let bad = CATALOGUE_TOML.replacen("level = \"co_so\"", "level = \"huyen\"", 1);
    let err = parse_catalogue(&bad).unwrap_err().to_string();
    assert!(
        err.contains("mục 1 (LAO_DONG_TIEN_TIEN)") && err.contains("huyen"),
        "{err}"
    );
    let err = parse_catalogue("[[entry]]\ncode = 1")
        .unwrap_err()
        .to_string();
    assert!(err.contains("không đọc được"), "{err}");
}

#[tokio::test]
async fn the_catalogue_is_loaded_once() {
    let db = TestDb::fresh(Engine::Sqlite).await.unwrap();
    let n = ensure_catalogue(&db.store, &who()).await.unwrap();
    assert!(n >= 60);
    assert_eq!(ensure_catalogue(&db.store, &who()).await.unwrap(), 0);
    db.finish().await;
}
