//! Values coming in: every kind of bad row refused with its place, nothing
//! partial stored; approval, return and reopening; files round-trip.

use super::*;
use crate::admin_units;
use crate::{AppError, auth};
use thidua_domain::indicator::check_indicators;
use thidua_domain::policy::Role;
use thidua_sheets::Cell;
use thidua_store::{Decision, ValueStatus};
use thidua_store::{MovementRow, Store, UserRow, Who};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 22);

const FILE: &str = r#"
[movement]
code = "TEST-2026"
name = "Phong trào thử"
kind = "campaign"
level = "province"
authority = "68"
start = "2026-01-01"
end = "2026-12-31"
registration_deadline = "15/12/2026"

[defaults]
level = "commune"
admin_types = ["xã"]
period = "year"

[[indicators]]
code = "NHA"
name = "Nhà tình nghĩa"
measure = "count"
rollups = [{ kind = "sum", phrase = "{value} căn nhà tình nghĩa" }]

[[indicators]]
code = "DAT"
name = "Đạt chuẩn"
measure = "criterion"

[[indicators]]
code = "TIEN"
name = "Kinh phí"
measure = "vnd"
formula = "NHA * 70000000"
rollups = [{ kind = "sum" }]
"#;

struct Fixture {
    movement: MovementRow,
    officer: UserRow,
}

async fn fixture(store: &Store) -> Fixture {
    let who = Who::system("test");
    admin_units::import(store, &who, &admin_units::embedded_files(), &|_| {})
        .await
        .unwrap();
    let new = parse_movement_file(store, FILE).await.unwrap();
    let id = store.create_movement(&who, &new).await.unwrap();
    for s in [MovementStatus::Launched, MovementStatus::Running] {
        store.set_movement_status(&who, id, s, None).await.unwrap();
    }
    // The officer of Xã Quảng Sơn (24616), Lâm Đồng.
    let unit = store
        .resolve_code("24616", None, TODAY)
        .await
        .unwrap()
        .unwrap();
    auth::create_user(
        store,
        &who,
        "son.test",
        "Điểu Sơn",
        Role::UnitOfficer,
        Some(unit.id),
        "mật khẩu thử nghiệm",
    )
    .await
    .unwrap();
    let (officer, _) = store.user_for_login("son.test").await.unwrap().unwrap();
    Fixture {
        movement: store.movement(id).await.unwrap().unwrap(),
        officer,
    }
}

fn row(line: u64, unit: &str, period: &str, indicator: &str, value: &str) -> RawValue {
    RawValue {
        line,
        unit_code: unit.to_owned(),
        period: period.to_owned(),
        indicator: indicator.to_owned(),
        value: Cell::Text(value.to_owned()),
        note: None,
    }
}

use thidua_domain::movement::MovementStatus;

thidua_store::engine_tests!(
    bad_rows_are_refused_with_their_place_and_nothing_is_stored,
    |store| async move {
        let f = fixture(store).await;
        let who = Who::system("test");
        let rows = vec![
            row(2, "24616", "2026", "NHA", "3"),
            row(3, "24616", "2026", "NHA", "ba"), // not a number
            row(4, "24616", "2026", "DAT", "có lẽ"), // not a criterion
            row(5, "24616", "2025", "NHA", "1"),  // before the movement
            row(6, "24616", "2026", "XYZ", "1"),  // no such indicator
            row(7, "24616", "2026", "TIEN", "1"), // computed, not entered
            row(8, "24615", "2026", "NHA", "1"),  // a phường: not this level
            row(9, "00376", "2026", "NHA", "1"),  // Hà Nội: outside the scope
            row(10, "24616", "2026", "NHA", "4"), // duplicate of line 2
            row(11, "99999", "2026", "NHA", "1"), // no such unit
            row(12, "24616", "2026", "NHA", "-1"), // negative
        ];
        let err = enter_values(
            store,
            &who,
            Enterer::User(&f.officer),
            &f.movement,
            "nhap.csv",
            &rows,
            TODAY,
        )
        .await
        .unwrap_err();
        let AppError::Import(problems) = err else {
            panic!("{err:?}")
        };
        let at: Vec<(u64, Option<String>)> = problems
            .iter()
            .map(|p| (p.line, p.column_name.clone()))
            .collect();
        assert_eq!(
            at,
            vec![
                (3, Some("Giá trị".into())),
                (4, Some("Giá trị".into())),
                (5, Some("Kỳ".into())),
                (6, Some("Mã chỉ tiêu".into())),
                (7, Some("Mã chỉ tiêu".into())),
                (8, Some("Mã đơn vị".into())),
                (9, Some("Mã đơn vị".into())),
                (10, Some("Mã chỉ tiêu".into())),
                (11, Some("Mã đơn vị".into())),
                (12, Some("Giá trị".into())),
            ]
        );
        assert!(
            problems[2]
                .message
                .contains("nằm ngoài thời gian phong trào"),
            "{}",
            problems[2]
        );
        assert!(
            problems[5].message.contains("không thuộc cấp nhập"),
            "{}",
            problems[5]
        );
        assert!(
            problems[6]
                .message
                .contains("không thuộc địa bàn của đơn vị phát động"),
            "{}",
            problems[6]
        );
        assert_eq!(
            problems[0].to_string(),
            "nhap.csv: dòng 3, cột 7 (Giá trị): chỉ tiêu NHA (số lượng) không nhận giá trị «ba»: không phải là số"
        );
        // The good line was not stored either.
        assert!(
            store
                .value_rows(f.movement.id, None)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

thidua_store::engine_tests!(
    values_stay_in_the_launching_province_and_within_their_bounds,
    |store| async move {
        let f = fixture(store).await;
        let who = Who::system("cli");
        // The command line enters for the province, but only inside it.
        let err = enter_approved_values(
            store,
            &who,
            &f.movement,
            "ha-noi.csv",
            &[row(2, "00376", "2026", "NHA", "1")],
            TODAY,
        )
        .await
        .unwrap_err();
        let AppError::Import(problems) = err else {
            panic!("{err:?}")
        };
        assert!(
            problems[0].message.contains("không thuộc địa bàn"),
            "{}",
            problems[0]
        );
        // Poor households never exceed all households, whichever comes first.
        let file = FILE
            .replace("TEST-2026", "NGHEO-2026")
            .replace(
                "[[indicators]]\ncode = \"NHA\"",
                "[[indicators]]\ncode = \"HN\"\nname = \"Hộ nghèo\"\nmeasure = \"households\"\nat_most = \"TH\"\n\n[[indicators]]\ncode = \"TH\"\nname = \"Tổng số hộ\"\nmeasure = \"households\"\n\n[[indicators]]\ncode = \"NHA\"",
            );
        let new = parse_movement_file(store, &file).await.unwrap();
        let id = store.create_movement(&who, &new).await.unwrap();
        for s in [MovementStatus::Launched, MovementStatus::Running] {
            store.set_movement_status(&who, id, s, None).await.unwrap();
        }
        let m = store.movement(id).await.unwrap().unwrap();
        let refused = |rows: Vec<RawValue>| {
            let m = m.clone();
            let who = who.clone();
            async move {
                match enter_approved_values(store, &who, &m, "ho.csv", &rows, TODAY).await {
                    Err(AppError::Import(p)) => p,
                    other => panic!("{other:?}"),
                }
            }
        };
        let p = refused(vec![
            row(2, "24616", "2026", "HN", "120"),
            row(3, "24616", "2026", "TH", "100"),
        ])
        .await;
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, 2);
        assert!(
            p[0].message
                .contains("Hộ nghèo (120) không được lớn hơn Tổng số hộ (100)"),
            "{}",
            p[0]
        );
        let p = refused(vec![row(
            2,
            "24616",
            "2026",
            "HN",
            "100000000000000000000000000000",
        )])
        .await;
        assert!(p[0].message.contains("vượt quá 1 tỷ"), "{}", p[0]);
        // The total first, then a poor count above it in a later file; and
        // a total below the poor count already stored.
        enter_approved_values(
            store,
            &who,
            &m,
            "ho.csv",
            &[
                row(2, "24616", "2026", "TH", "1.000"),
                row(3, "24616", "2026", "HN", "80"),
            ],
            TODAY,
        )
        .await
        .unwrap();
        let p = refused(vec![row(5, "24616", "2026", "HN", "1.200")]).await;
        assert_eq!(
            (p[0].line, p[0].column_name.as_deref()),
            (5, Some("Giá trị"))
        );
        let p = refused(vec![row(7, "24616", "2026", "TH", "50")]).await;
        assert_eq!(p[0].line, 7);
        assert!(p[0].message.contains("(80)"), "{}", p[0]);
    }
);

thidua_store::engine_tests!(
    values_are_approved_returned_and_reopened_with_history,
    |store| async move {
        let f = fixture(store).await;
        let officer = Who {
            user_id: Some(f.officer.id),
            login: f.officer.login.clone(),
            ip: None,
        };
        let province = Who::system("hoa");
        let rows = vec![
            row(2, "24616", "2026", "NHA", "3"),
            row(3, "24616", "2026", "DAT", "Đạt"),
        ];
        let r = enter_values(
            store,
            &officer,
            Enterer::User(&f.officer),
            &f.movement,
            "form",
            &rows,
            TODAY,
        )
        .await
        .unwrap();
        assert_eq!((r.inserted, r.updated), (2, 0));
        let unit = store
            .resolve_code("24616", None, TODAY)
            .await
            .unwrap()
            .unwrap()
            .id;
        // Returned with a reason, corrected, approved.
        assert_eq!(
            store
                .decide_values(
                    &province,
                    f.movement.id,
                    &[unit],
                    Some("2026"),
                    Decision::Return,
                    Some("Số nhà chưa khớp biên bản")
                )
                .await
                .unwrap(),
            2
        );
        let again = enter_values(
            store,
            &officer,
            Enterer::User(&f.officer),
            &f.movement,
            "form",
            &[row(2, "24616", "2026", "NHA", "4")],
            TODAY,
        )
        .await
        .unwrap();
        assert_eq!(again.updated, 1);
        store
            .decide_values(
                &province,
                f.movement.id,
                &[unit],
                None,
                Decision::Approve,
                None,
            )
            .await
            .unwrap();
        let values = store.value_rows(f.movement.id, None).await.unwrap();
        let nha = values.iter().find(|v| v.indicator_code == "NHA").unwrap();
        assert_eq!(
            (nha.value, nha.status, nha.version),
            (4.0, ValueStatus::Approved, 2)
        );
        // Only the returned value was approved; the other stays returned until re-sent.
        let dat = values.iter().find(|v| v.indicator_code == "DAT").unwrap();
        assert_eq!(dat.status, ValueStatus::Returned);

        // An approved value cannot be edited until reopened; reopening is audited.
        let refused = enter_values(
            store,
            &officer,
            Enterer::User(&f.officer),
            &f.movement,
            "form",
            &[row(2, "24616", "2026", "NHA", "5")],
            TODAY,
        )
        .await;
        assert!(
            matches!(
                refused,
                Err(AppError::Store(thidua_store::StoreError::Conflict(_)))
            ),
            "{refused:?}"
        );
        store
            .reopen_value(&province, nha.id, "Biên bản kiểm tra bổ sung")
            .await
            .unwrap();
        enter_values(
            store,
            &officer,
            Enterer::User(&f.officer),
            &f.movement,
            "form",
            &[row(2, "24616", "2026", "NHA", "5")],
            TODAY,
        )
        .await
        .unwrap();
        let history: Vec<String> = store
            .value_history(nha.id)
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.action)
            .collect();
        assert_eq!(
            history,
            ["enter", "return", "enter", "approve", "reopen", "enter"]
        );
        let (log, _) = store.audit_page(&Default::default(), 0, 50).await.unwrap();
        assert!(log.iter().any(|e| e.action == "values.reopen"));
    }
);

thidua_store::engine_tests!(a_movement_file_round_trips, |store| async move {
    let f = fixture(store).await;
    let text = export_movement_file(store, &f.movement).await.unwrap();
    let copy = text.replace("TEST-2026", "TEST-2026-B");
    let new = parse_movement_file(store, &copy).await.unwrap();
    let original = store.indicators(f.movement.id).await.unwrap();
    assert_eq!(
        new.indicators,
        original.iter().map(|i| i.def.clone()).collect::<Vec<_>>()
    );
    assert_eq!(new.authority, f.movement.authority);
    assert_eq!(new.registration_deadline, Some(date!(2026 - 12 - 15)));
    // A broken file says where.
    let err = parse_movement_file(store, "[movement]\ncode = \"X1\"\nname = 3\n")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("dòng 3"), "{err}");
});

#[test]
fn the_new_rural_set_has_nineteen_criteria_and_two_derived_figures() {
    let set = indicator_set("nong-thon-moi-2021-2025").unwrap();
    assert_eq!(set.iter().filter(|d| !d.is_derived()).count(), 19);
    assert_eq!(set.iter().filter(|d| d.is_derived()).count(), 2);
    assert!(check_indicators(&set).is_ok());
}

#[test]
fn value_files_need_their_columns() {
    let rows = vec![vec![Cell::from("Mã đơn vị"), Cell::from("Giá trị")]];
    let err = raw_values("a.csv", &rows).unwrap_err();
    assert!(err[0].message.contains("thiếu cột"));
    let csv = "Mã đơn vị;Kỳ;Mã chỉ tiêu;Giá trị\n24616;2026;NHA;3\n\n";
    let rows = read_value_file("a.csv", csv.as_bytes()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].value.text(), "3");
}

thidua_store::engine_tests!(
    the_movement_list_holds_what_each_account_may_see,
    |store| async move {
        let f = fixture(store).await;
        let who = Who::system("test");
        // A draft of Lâm Đồng (68), and officers of Lâm Đồng and Cao Bằng.
        let draft = parse_movement_file(store, &FILE.replace("TEST-2026", "NHAP-2027"))
            .await
            .unwrap();
        let draft = store.create_movement(&who, &draft).await.unwrap();
        let mut officers = vec![f.officer.clone()];
        for (login, code) in [("hoa.test", "68"), ("an.test", "04")] {
            let unit = store
                .resolve_code(code, None, TODAY)
                .await
                .unwrap()
                .unwrap();
            auth::create_user(
                store,
                &who,
                login,
                login,
                Role::ProvinceOfficer,
                Some(unit.id),
                "mật khẩu thử nghiệm",
            )
            .await
            .unwrap();
            officers.push(store.user_for_login(login).await.unwrap().unwrap().0);
        }
        let every = store.movements().await.unwrap();
        for user in &officers {
            let mut expected = Vec::new();
            for m in &every {
                if access::may_see(store, user, m, TODAY).await.unwrap() {
                    expected.push(m.id);
                }
            }
            // A page of one at a time.
            let mut listed = Vec::new();
            let mut offset = 0;
            loop {
                let (page, total) =
                    access::list(store, user, TODAY, &Default::default(), offset, 1)
                        .await
                        .unwrap();
                listed.extend(page.iter().map(|m| m.id));
                offset += 1;
                if offset >= total {
                    break;
                }
            }
            assert_eq!(listed, expected, "{}", user.login);
            let sees_draft = listed.contains(&draft);
            assert_eq!(sees_draft, user.login == "hoa.test", "{}", user.login);
        }
        let (drafts, total) = access::list(
            store,
            &officers[1],
            TODAY,
            &access::MovementFilter {
                status: Some(MovementStatus::Draft),
                ..Default::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
        assert_eq!((drafts.len(), total), (1, 1));
    }
);
