//! The repository suite: every test runs on SQLite and on PostgreSQL.

use crate::testkit::TestDb;
use crate::{Engine, NewPerson, NewUnit, Store, StoreError, Who};
use thidua_domain::date::Period;
use thidua_domain::official::{self, OfficialDataset, OfficialUnit};
use thidua_domain::org::{CodeList, OrgError, ReorgKind, UnitCode, UnitId, UnitKind};
use thidua_domain::person::{Gender, PersonName};
use time::Date;
use time::macros::date;

fn w() -> Who {
    Who::system("test")
}

fn code(s: &str) -> UnitCode {
    UnitCode::parse(s).expect("code")
}

fn org(
    code_: &str,
    kind: UnitKind,
    name: &str,
    parent: Option<UnitId>,
    from: Option<Date>,
) -> NewUnit {
    NewUnit {
        code: code(code_),
        kind,
        admin_type: None,
        name: name.into(),
        short_name: None,
        parent,
        valid_from: from,
    }
}

/// A province with a department and two communes, each commune with a village.
async fn small_tree(store: &Store) -> [UnitId; 6] {
    let prov = store
        .create_unit(&w(), &org("P1", UnitKind::Province, "Tỉnh Thử", None, None))
        .await
        .expect("province");
    let dept = store
        .create_unit(
            &w(),
            &org(
                "P1.SNV",
                UnitKind::StateAgency,
                "Sở Nội vụ",
                Some(prov),
                None,
            ),
        )
        .await
        .expect("department");
    let c1 = store
        .create_unit(
            &w(),
            &org("C1", UnitKind::Commune, "Xã Một", Some(prov), None),
        )
        .await
        .expect("c1");
    let c2 = store
        .create_unit(
            &w(),
            &org("C2", UnitKind::Commune, "Xã Hai", Some(prov), None),
        )
        .await
        .expect("c2");
    let v1 = store
        .create_unit(
            &w(),
            &org("C1.T1", UnitKind::Village, "Thôn Một", Some(c1), None),
        )
        .await
        .expect("v1");
    let v2 = store
        .create_unit(
            &w(),
            &org("C2.B1", UnitKind::Village, "Bon Hai", Some(c2), None),
        )
        .await
        .expect("v2");
    [prov, dept, c1, c2, v1, v2]
}

const D: Date = date!(2024 - 01 - 01);

crate::engine_tests!(tree_is_answered_as_of_a_date, |store| async move {
    let [prov, _dept, c1, _c2, v1, _v2] = small_tree(store).await;
    let kids = store.children_as_of(prov, D).await.expect("children");
    assert_eq!(
        kids.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(),
        ["C1", "C2", "P1.SNV"]
    );
    let up = store.ancestors_as_of(v1, D).await.expect("ancestors");
    assert_eq!(up.iter().map(|u| u.id).collect::<Vec<_>>(), [c1, prov]);
    let sub = store.subtree_as_of(prov, D).await.expect("subtree");
    assert_eq!(sub.len(), 5);
    assert_eq!(sub.iter().filter(|(_, depth)| *depth == 2).count(), 2);
    let roots = store.roots_as_of(D).await.expect("roots");
    assert_eq!(roots.len(), 1);
});

crate::engine_tests!(
    reparenting_keeps_history_and_refuses_cycles,
    |store| async move {
        let [prov, _dept, c1, c2, v1, _v2] = small_tree(store).await;
        let moved = date!(2025 - 03 - 01);
        store
            .reparent(&w(), v1, c2, moved, Some("12/QĐ-UBND"))
            .await
            .expect("move village");
        let before = store
            .ancestors_as_of(v1, date!(2025 - 02 - 28))
            .await
            .expect("before");
        let after = store.ancestors_as_of(v1, moved).await.expect("after");
        assert_eq!(before[0].id, c1);
        assert_eq!(after[0].id, c2);
        assert_eq!(
            store
                .children_as_of(c1, moved)
                .await
                .expect("c1 kids")
                .len(),
            0
        );

        // A province cannot sit under its own commune, and a commune not under a village.
        let err = store
            .reparent(&w(), prov, c1, moved, None)
            .await
            .expect_err("province under commune");
        assert!(
            matches!(err, StoreError::Org(OrgError::KindCannotNest { .. })),
            "{err}"
        );
        let err = store
            .reparent(&w(), c2, v1, moved, None)
            .await
            .expect_err("commune under village");
        assert!(
            matches!(err, StoreError::Org(OrgError::KindCannotNest { .. })),
            "{err}"
        );
        // Two agencies: B under A, then A under B is a cycle.
        let a = store
            .create_unit(
                &w(),
                &org("AG.A", UnitKind::StateAgency, "Cơ quan A", Some(prov), None),
            )
            .await
            .expect("a");
        let b = store
            .create_unit(
                &w(),
                &org("AG.B", UnitKind::PublicService, "Đơn vị B", Some(a), None),
            )
            .await
            .expect("b");
        let err = store
            .reparent(&w(), a, b, moved, None)
            .await
            .expect_err("cycle");
        assert!(matches!(err, StoreError::Org(OrgError::Cycle)), "{err}");
        // Nothing changed by the refusals.
        assert_eq!(
            store.ancestors_as_of(a, moved).await.expect("a up")[0].id,
            prov
        );
    }
);

crate::engine_tests!(
    renames_show_the_old_name_before_the_date,
    |store| async move {
        let [_prov, dept, ..] = small_tree(store).await;
        store
            .rename(
                &w(),
                dept,
                "Sở Nội vụ và Lao động",
                date!(2025 - 03 - 01),
                None,
            )
            .await
            .expect("rename");
        let old = store
            .unit(dept, date!(2025 - 02 - 01))
            .await
            .expect("q")
            .expect("unit");
        let new = store
            .unit(dept, date!(2025 - 03 - 01))
            .await
            .expect("q")
            .expect("unit");
        assert_eq!(old.name, "Sở Nội vụ");
        assert_eq!(new.name, "Sở Nội vụ và Lao động");
        let err = store
            .rename(&w(), dept, "  ", date!(2025 - 04 - 01), None)
            .await
            .expect_err("empty");
        assert!(matches!(err, StoreError::Org(OrgError::EmptyName)));
    }
);

crate::engine_tests!(
    merging_ends_old_units_and_moves_their_children,
    |store| async move {
        let [prov, _dept, c1, c2, v1, v2] = small_tree(store).await;
        let day = date!(2025 - 07 - 01);
        let merged = store
            .merge_into_new(
                &w(),
                &[c1, c2],
                &org("C12", UnitKind::Commune, "Xã Một Hai", Some(prov), None),
                day,
                None,
            )
            .await
            .expect("merge");
        assert_eq!(
            store.ancestors_as_of(v1, day).await.expect("up")[0].id,
            merged
        );
        assert_eq!(
            store.ancestors_as_of(v2, day).await.expect("up")[0].id,
            merged
        );
        assert_eq!(
            store
                .ancestors_as_of(v1, date!(2025 - 06 - 30))
                .await
                .expect("up")[0]
                .id,
            c1
        );
        let became = store.became_as_of(c1, day).await.expect("became");
        assert_eq!(became.len(), 1);
        assert_eq!(became[0].unit.id, merged);
        assert_eq!(became[0].kind, ReorgKind::Merge);
        let preds = store.predecessors(merged).await.expect("preds");
        assert_eq!(preds.len(), 2);
        assert!(
            store
                .resolve_code("C1", None, day)
                .await
                .expect("resolve")
                .is_some_and(|u| u.id == c1)
        );
        let communes = store
            .units_as_of(day, Some(UnitKind::Commune))
            .await
            .expect("communes");
        assert_eq!(
            communes.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(),
            ["C12"]
        );
    }
);

crate::engine_tests!(
    a_duplicate_code_is_refused_and_nothing_is_written,
    |store| async move {
        let [prov, ..] = small_tree(store).await;
        let before = store.count_units().await.expect("count");
        let err = store
            .create_unit(
                &w(),
                &org("C1", UnitKind::Commune, "Xã Trùng", Some(prov), None),
            )
            .await
            .expect_err("duplicate");
        assert!(
            matches!(err, StoreError::Org(OrgError::InvalidCode(_))),
            "{err}"
        );
        assert_eq!(store.count_units().await.expect("count"), before);
    }
);

crate::engine_tests!(
    people_are_found_without_diacritics_and_sorted_vietnamese_style,
    |store| async move {
        let [_prov, dept, ..] = small_tree(store).await;
        for (name, g) in [
            ("Nguyễn Văn Dũng", Gender::Male),
            ("Nguyễn Văn Đức", Gender::Male),
            ("Trần Văn Đức", Gender::Male),
            ("Nguyễn Thị Hoa", Gender::Female),
            ("Lê Văn Đức Anh", Gender::Male),
        ] {
            let id = store
                .insert_person(
                    &w(),
                    &NewPerson {
                        category: None,
                        name: PersonName::parse(name).expect("name"),
                        gender: Some(g),
                        birth_date: Some(date!(1985 - 05 - 01)),
                        ethnicity: Some("Kinh".into()),
                        id_number: None,
                        position: None,
                    },
                )
                .await
                .expect("person");
            store
                .add_membership(&w(), id, dept, Some("Chuyên viên"), Period::ALWAYS)
                .await
                .expect("member");
        }
        let plain = store
            .search_people("nguyen van duc", 50)
            .await
            .expect("search");
        let marked = store
            .search_people("NGUYỄN văn đức", 50)
            .await
            .expect("search");
        assert_eq!(plain, marked);
        assert_eq!(
            plain
                .iter()
                .map(|p| p.full_name.as_str())
                .collect::<Vec<_>>(),
            ["Nguyễn Văn Đức"]
        );
        let d = store.search_people("van d", 50).await.expect("search");
        assert_eq!(
            d.iter().map(|p| p.full_name.as_str()).collect::<Vec<_>>(),
            [
                "Lê Văn Đức Anh",
                "Nguyễn Văn Đức",
                "Trần Văn Đức",
                "Nguyễn Văn Dũng"
            ]
        );
        // Wildcards in a query are text, not patterns.
        assert!(store.search_people("%", 50).await.expect("search").len() == 5);
        assert!(
            store
                .search_people("_uc", 50)
                .await
                .expect("search")
                .is_empty()
        );
        assert_eq!(
            store.people_in_unit(dept, D).await.expect("members").len(),
            5
        );
    }
);

fn official_sample() -> OfficialDataset {
    let u = |list, c: &str, kind, name: &str, parent: Option<&str>| OfficialUnit {
        list,
        code: code(c),
        kind,
        admin_type: "xã".into(),
        name: name.into(),
        short_name: name.into(),
        parent: parent.map(code),
    };
    use CodeList::*;
    use UnitKind::*;
    OfficialDataset {
        legacy: vec![
            u(Legacy, "04", Province, "Tỉnh Cao Bằng", None),
            u(Legacy, "67", Province, "Tỉnh Đắk Nông", None),
            u(Legacy, "68", Province, "Tỉnh Lâm Đồng", None),
            u(Legacy, "660", District, "Thành phố Gia Nghĩa", Some("67")),
            u(Legacy, "24612", Commune, "Phường Nghĩa Thành", Some("660")),
            u(Legacy, "24611", Commune, "Phường Nghĩa Đức", Some("660")),
        ],
        current: vec![
            u(Y2025, "04", Province, "Tỉnh Cao Bằng", None),
            u(Y2025, "68", Province, "Tỉnh Lâm Đồng", None),
            u(Y2025, "24611", Commune, "Phường Bắc Gia Nghĩa", Some("68")),
        ],
        mapping: vec![
            official::MappingRow {
                level: Province,
                legacy_code: code("04"),
                new_code: code("04"),
                partial: false,
                primary: true,
            },
            official::MappingRow {
                level: Province,
                legacy_code: code("67"),
                new_code: code("68"),
                partial: false,
                primary: true,
            },
            official::MappingRow {
                level: Province,
                legacy_code: code("68"),
                new_code: code("68"),
                partial: false,
                primary: true,
            },
            official::MappingRow {
                level: Commune,
                legacy_code: code("24612"),
                new_code: code("24611"),
                partial: true,
                primary: true,
            },
            official::MappingRow {
                level: Commune,
                legacy_code: code("24611"),
                new_code: code("24611"),
                partial: false,
                primary: true,
            },
        ],
    }
}

crate::engine_tests!(
    official_import_is_idempotent_and_temporal,
    |store| async move {
        let plan = official::plan(&official_sample()).expect("plan");
        let first = store
            .apply_import(&w(), &plan, &|_| {})
            .await
            .expect("import");
        assert!(first.changed_anything());
        assert_eq!(
            first.units_inserted, 8,
            "Cao Bằng is one unit, the rest are two lists"
        );
        let second = store
            .apply_import(&w(), &plan, &|_| {})
            .await
            .expect("again");
        assert!(!second.changed_anything(), "{second:?}");
        assert_eq!(second.units_unchanged, 8);

        let before = date!(2025 - 06 - 30);
        let after = official::REFORM_2025;
        assert_eq!(
            store
                .units_as_of(before, Some(UnitKind::Province))
                .await
                .expect("q")
                .len(),
            3
        );
        assert_eq!(
            store
                .units_as_of(after, Some(UnitKind::Province))
                .await
                .expect("q")
                .len(),
            2
        );
        let old = store
            .resolve_code("24612", None, before)
            .await
            .expect("q")
            .expect("unit");
        let chain = store
            .ancestors_as_of(old.id, date!(2024 - 01 - 01))
            .await
            .expect("chain");
        assert_eq!(
            chain.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
            ["Thành phố Gia Nghĩa", "Tỉnh Đắk Nông"]
        );
        let became = store.became_as_of(old.id, after).await.expect("became");
        assert_eq!(became.len(), 1);
        assert_eq!(became[0].unit.name, "Phường Bắc Gia Nghĩa");
        assert!(became[0].partial);
        let new_up = store
            .ancestors_as_of(became[0].unit.id, after)
            .await
            .expect("up");
        assert_eq!(new_up[0].name, "Tỉnh Lâm Đồng");
        // The same code names the old ward before the reform and the new one after.
        let old_code = store
            .resolve_code("24611", None, before)
            .await
            .expect("q")
            .expect("unit");
        let new_code = store
            .resolve_code("24611", None, after)
            .await
            .expect("q")
            .expect("unit");
        assert_ne!(old_code.id, new_code.id);
        // Cao Bằng is one unit throughout.
        let cb_before = store
            .resolve_code("04", None, before)
            .await
            .expect("q")
            .expect("unit");
        let cb_after = store
            .resolve_code("04", None, after)
            .await
            .expect("q")
            .expect("unit");
        assert_eq!(cb_before.id, cb_after.id);
    }
);

crate::engine_tests!(a_failing_import_rolls_back_everything, |store| async move {
    let mut plan = official::plan(&official_sample()).expect("plan");
    plan.links.push(official::PlannedLink {
        child: "legacy:99999".into(),
        parent: "legacy:04".into(),
        period: Period::ALWAYS,
    });
    let err = store
        .apply_import(&w(), &plan, &|_| {})
        .await
        .expect_err("broken plan");
    assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    assert_eq!(
        store.count_units().await.expect("count"),
        0,
        "units inserted before the failure are rolled back"
    );
});

/// Both engines must expose the same tables and columns.
#[tokio::test]
async fn schemas_agree_between_engines() {
    let Some(pg) = TestDb::fresh(Engine::Postgres).await else {
        return;
    };
    let lite = TestDb::fresh(Engine::Sqlite).await.expect("SQLite");
    let a = lite.store.schema_columns().await.expect("sqlite schema");
    let b = pg.store.schema_columns().await.expect("pg schema");
    assert_eq!(a, b);
    lite.finish().await;
    pg.finish().await;
}

#[tokio::test]
async fn bad_urls_are_refused_with_the_password_hidden() {
    let err = Store::connect("mysql://u:secret@h/db")
        .await
        .err()
        .expect("refused");
    let msg = err.to_string();
    assert!(msg.contains("mysql://u:***@h/db"), "{msg}");
    assert!(!msg.contains("secret"));
}

crate::engine_tests!(
    the_registry_keeps_one_rating_and_one_title_per_person_year,
    |store| async move {
        use crate::{LineCheck, NewAward, NewTitle, SubjectRef};
        use thidua_domain::eligibility::review::LineDecision;
        use thidua_domain::eligibility::{AwardCode, Outcome, Rating};
        let [_prov, _dept, c1, _c2, _v1, _v2] = small_tree(store).await;
        let person = |name: &'static str| NewPerson {
            category: None,
            name: PersonName::parse(name).expect("name"),
            gender: Some(Gender::Female),
            birth_date: None,
            ethnicity: None,
            id_number: None,
            position: None,
        };
        let a = store
            .insert_person(&w(), &person("Lê Thị An"))
            .await
            .expect("a");
        let b = store
            .insert_person(&w(), &person("Hà Văn Bình"))
            .await
            .expect("b");
        store
            .set_rating(&w(), a, 2025, Rating::CompletedWell, Some(c1))
            .await
            .expect("rating");
        store
            .set_rating(&w(), a, 2025, Rating::CompletedExcellently, Some(c1))
            .await
            .expect("a second rating replaces the first");
        store
            .add_title(
                &w(),
                &NewTitle {
                    subject: SubjectRef::Person(a),
                    year: 2024,
                    code: "CHIEN_SI_THI_DUA_CO_SO".into(),
                    decision_number: Some("12/QĐ-UBND".into()),
                    decision_date: Some(date!(2024 - 12 - 20)),
                },
            )
            .await
            .expect("title");
        let again = store
            .add_title(
                &w(),
                &NewTitle {
                    subject: SubjectRef::Person(a),
                    year: 2024,
                    code: "LAO_DONG_TIEN_TIEN".into(),
                    decision_number: None,
                    decision_date: None,
                },
            )
            .await
            .expect_err("one title per year");
        assert!(matches!(again, StoreError::Conflict(_)), "{again}");
        store
            .add_award(
                &w(),
                &NewAward {
                    subject: SubjectRef::Person(a),
                    code: "BANG_KHEN_TINH".into(),
                    award_type: Default::default(),
                    decision_number: Some("589/QĐ-UBND".into()),
                    decision_date: date!(2023 - 03 - 01),
                    issuer: Some("Chủ tịch UBND tỉnh".into()),
                    period_from: Some(2021),
                    period_to: Some(2022),
                },
            )
            .await
            .expect("award");
        let reg = store
            .registry(SubjectRef::Person(a))
            .await
            .expect("registry");
        assert_eq!(reg.ratings, [(2025, Rating::CompletedExcellently)]);
        assert_eq!(reg.titles.len(), 1);
        assert_eq!(reg.awards[0].period_to, Some(2022));

        // A review: lines, a decision, then the list enters the registry.
        let line = |p: Option<i64>, code| LineCheck {
            person_id: p,
            proposed: Some(code),
            outcome: Some(Outcome::Eligible),
            verdict: None,
        };
        let r = store
            .open_review(
                &w(),
                c1,
                2025,
                &[
                    line(None, AwardCode::TapTheLaoDongTienTien),
                    line(Some(a), AwardCode::ChienSiThiDuaCoSo),
                    line(Some(b), AwardCode::LaoDongTienTien),
                ],
            )
            .await
            .expect("open");
        assert!(matches!(
            store.open_review(&w(), c1, 2025, &[]).await,
            Err(StoreError::Conflict(_))
        ));
        let lines = store.review_lines(r).await.expect("lines");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].person_id, None, "the unit's line comes first");
        assert_eq!(lines[1].person_name.as_deref(), Some("Lê Thị An"));
        let decided = |l: &crate::LineRow, d| {
            (
                l.id,
                line(l.person_id, l.proposed.expect("proposed")),
                Some((d, Some("lý do".to_owned()))),
            )
        };
        store
            .update_lines(
                &w(),
                r,
                &[
                    decided(&lines[0], LineDecision::Accepted),
                    decided(&lines[1], LineDecision::Accepted),
                    decided(&lines[2], LineDecision::Dropped),
                ],
            )
            .await
            .expect("decide");
        let n = store
            .close_review(&w(), r, Some("45/QĐ-UBND"), Some(date!(2025 - 12 - 30)))
            .await
            .expect("close");
        assert_eq!(n, 2);
        let titles = store
            .registry(SubjectRef::Person(a))
            .await
            .expect("a")
            .titles;
        assert_eq!(
            titles
                .iter()
                .map(|t| (t.year, t.code.as_str()))
                .collect::<Vec<_>>(),
            [
                (2024, "CHIEN_SI_THI_DUA_CO_SO"),
                (2025, "CHIEN_SI_THI_DUA_CO_SO")
            ]
        );
        let unit = store.registry(SubjectRef::Unit(c1)).await.expect("unit");
        assert_eq!(unit.titles[0].code, "TAP_THE_LAO_DONG_TIEN_TIEN");
        // Both are found under the unit that reviewed them, as statistics
        // of a subtree count them.
        let under_c1 = store
            .registry_search(&crate::RegistryQuery {
                units: Some(vec![c1.0]),
                limit: 50,
                ..Default::default()
            })
            .await
            .expect("search");
        assert_eq!(
            under_c1
                .iter()
                .filter(|h| h.decision_number.as_deref() == Some("45/QĐ-UBND"))
                .count(),
            2
        );
        assert!(
            store
                .registry(SubjectRef::Person(b))
                .await
                .expect("b")
                .titles
                .is_empty()
        );
        assert!(matches!(
            store
                .update_lines(&w(), r, &[decided(&lines[2], LineDecision::Accepted)])
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(
            store
                .review(r)
                .await
                .expect("review")
                .expect("exists")
                .closed
        );
    }
);

crate::engine_tests!(
    catalogue_versions_are_kept_and_a_date_is_taken_once,
    |store| async move {
        use thidua_domain::eligibility::SubjectKind;
        use thidua_domain::eligibility::catalogue::*;
        let e = |from: Date, name: &str| CatalogueEntry {
            code: CatalogueCode::parse("CHIEN_SI_THI_DUA_CO_SO").expect("code"),
            effective_from: from,
            name: name.into(),
            category: Category::Title,
            subjects: vec![SubjectKind::Individual],
            authorities: vec![Authority::ThuTruongCoQuan, Authority::ChuTichUbndXa],
            level: Level::CoSo,
            award_types: vec![Default::default()],
            bonus_multiple: Some(1.0),
            bonus_confirmed: true,
            article: Some("Điều 23".into()),
            note: None,
        };
        store
            .add_catalogue_versions(
                &w(),
                &[
                    e(date!(2024 - 01 - 01), "cũ"),
                    e(date!(2025 - 07 - 01), "mới"),
                ],
            )
            .await
            .expect("versions");
        let err = store
            .add_catalogue_versions(&w(), &[e(date!(2025 - 07 - 01), "trùng")])
            .await
            .expect_err("same date");
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        let all = store.catalogue_versions().await.expect("all");
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[1].authorities,
            [Authority::ThuTruongCoQuan, Authority::ChuTichUbndXa]
        );
        assert_eq!(in_force(&all, date!(2025 - 06 - 30))[0].name, "cũ");
    }
);
