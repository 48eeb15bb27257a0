//! The registry search read through the in-memory name index answers what
//! the database's own search answers — the same rows in the same order,
//! the same typo readings — on a generated province, on both engines, and
//! after a person is renamed through the app.

use super::*;
use crate::generate::{Scale, generate};
use crate::movements::Enterer;
use crate::people::{PersonInput, edit};
use crate::sweep::RegistrySnapshot;
use thidua_domain::eligibility::AwardCode;
use thidua_domain::staff::PersonId;
use thidua_store::testkit::TestDb;
use thidua_store::{Engine, Who};
use time::macros::date;

/// The queries an officer types: whole names, given names, family and
/// given, word beginnings, a typo in each of several words, nonsense.
fn queries(names: &[String]) -> Vec<String> {
    let mut out = vec![
        "nguyen".to_owned(),
        "van".into(),
        "qqqq".into(),
        "th".into(),
    ];
    for n in names {
        let words: Vec<&str> = n.split(' ').collect();
        let given = words.last().copied().unwrap_or_default();
        out.push(n.clone());
        out.push(given.to_owned());
        out.push(format!("{} {given}", words[0]));
        out.push(given.chars().take(3).collect());
        // One letter changed in the given name: a typo to forgive.
        let typo: String = given
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 1 { 'x' } else { c })
            .collect();
        out.push(format!("{} {typo}", words[0]));
    }
    out
}

fn searches(text: &str, unit: Option<UnitId>) -> Vec<Search> {
    let base = Search {
        text: text.to_owned(),
        limit: 40,
        ..Search::default()
    };
    vec![
        base.clone(),
        Search {
            limit: 3,
            ..base.clone()
        },
        Search {
            subjects: SubjectFilter::People,
            year_from: Some(2018),
            year_to: Some(2022),
            ..base.clone()
        },
        Search {
            codes: vec![
                AwardCode::ChienSiThiDuaCoSo.code().into(),
                AwardCode::BangKhenTinh.code().into(),
            ],
            unit: unit.map(|u| (u, crate::report::Boundaries::Current)),
            ..base
        },
    ]
}

async fn both_agree(
    store: &Store,
    snap: &RegistrySnapshot,
    texts: &[String],
    unit: Option<UnitId>,
) -> usize {
    let mut hits = 0;
    for text in texts {
        for s in searches(text, unit) {
            let by_db = search_in(store, None, None, &s).await.unwrap();
            let by_index = search_in(store, Some(snap), None, &s).await.unwrap();
            let rows = |f: &Found| {
                f.hits
                    .iter()
                    .map(|h| (h.source.clone(), h.id))
                    .collect::<Vec<_>>()
            };
            assert_eq!(rows(&by_index), rows(&by_db), "«{text}» {:?}", s.codes);
            assert_eq!(by_index.corrections, by_db.corrections, "«{text}»");
            hits += by_db.hits.len();
        }
    }
    hits
}

async fn the_index_is_the_database(engine: Engine) {
    let Some(db) = TestDb::fresh(engine).await else {
        return;
    };
    let store = db.store.clone();
    generate(&store, Scale::People(1_500), 5, &|_, _, _| {})
        .await
        .unwrap();
    let snap = RegistrySnapshot::load(&store, &|_, _| {}).await.unwrap();
    let range = store.people_between(1, 60).await.unwrap();
    let names: Vec<String> = range.names.iter().step_by(6).map(|n| n.1.clone()).collect();
    let unit = store
        .memberships(range.names[0].0)
        .await
        .unwrap()
        .last()
        .map(|m| m.0);
    let hits = both_agree(&store, &snap, &queries(&names), unit).await;
    assert!(hits > 1_000, "the queries find rows: {hits}");

    // Renamed through the app: found under the new name at once, not under
    // the old one, by either reader.
    let (id, old) = range.names[0].clone();
    let p = store.person(id).await.unwrap().unwrap();
    let input = PersonInput {
        name: "Hứa Quỳnh Thơm".into(),
        birth: p
            .birth_date
            .map(|d| thidua_domain::VnDate(d).to_string())
            .unwrap_or_default(),
        sex: p.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
        ethnicity: p.ethnicity.unwrap_or_default(),
        id_number: String::new(),
        category: p
            .category
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        position: p.position.unwrap_or_default(),
    };
    let who = Who::system("test");
    edit(
        &store,
        &who,
        Enterer::System,
        PersonId(id),
        &input,
        date!(2026 - 03 - 02),
    )
    .await
    .unwrap();
    let found = search_in(
        &store,
        Some(&snap),
        None,
        &Search {
            text: "hua quynh thom".into(),
            limit: 40,
            ..Search::default()
        },
    )
    .await
    .unwrap();
    assert!(!found.hits.is_empty() && found.hits.iter().all(|h| h.person_id == Some(id)));
    both_agree(
        &store,
        &snap,
        &["hua quynh thom".into(), "hua thm".into(), old.clone()],
        unit,
    )
    .await;
    let by_old = search_in(
        &store,
        Some(&snap),
        None,
        &Search {
            text: old.clone(),
            limit: 500,
            ..Search::default()
        },
    )
    .await
    .unwrap();
    assert!(
        by_old.hits.iter().all(|h| h.person_id != Some(id)),
        "«{old}»"
    );
    db.finish().await;
}

#[tokio::test]
async fn the_index_is_the_database_on_sqlite() {
    the_index_is_the_database(Engine::Sqlite).await;
}

#[tokio::test]
async fn the_index_is_the_database_on_postgres() {
    the_index_is_the_database(Engine::Postgres).await;
}
