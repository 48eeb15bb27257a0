//! People and staff lists on both engines: duplicates refused, transfers
//! dated after the join, the identity number audited, and a staff list of
//! fifty imported whole, again without adding anyone, and refused whole
//! with the row and column of each problem.

use super::*;
use crate::AppError;
use crate::auth::create_user;
use crate::movements::Enterer;
use thidua_domain::org::{UnitCode, UnitId, UnitKind};
use thidua_domain::policy::Role;
use thidua_domain::staff::PersonId;
use thidua_sheets::{Cell, Sheet};
use thidua_store::{AuditFilter, NewUnit, Store, UserRow, Who};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 12 - 06);

fn sys() -> Who {
    Who::system("test")
}

async fn unit(store: &Store, code: &str, kind: UnitKind, parent: Option<UnitId>) -> UnitId {
    store
        .create_unit(
            &sys(),
            &NewUnit {
                code: UnitCode::parse(code).unwrap(),
                kind,
                admin_type: None,
                name: format!("Đơn vị {code}"),
                short_name: None,
                parent,
                valid_from: None,
            },
        )
        .await
        .unwrap()
}

async fn user(store: &Store, login: &str, role: Role, at: UnitId) -> UserRow {
    create_user(
        store,
        &sys(),
        login,
        login,
        role,
        Some(at),
        "mật khẩu đủ dài 123",
    )
    .await
    .unwrap();
    store.user_for_login(login).await.unwrap().unwrap().0
}

fn input(name: &str, birth: &str) -> PersonInput {
    PersonInput {
        name: name.into(),
        birth: birth.into(),
        sex: "nữ".into(),
        ethnicity: "Tày".into(),
        category: "Cán bộ, công chức".into(),
        ..PersonInput::default()
    }
}

fn joining(unit: UnitId) -> Joining {
    Joining {
        unit,
        from: date!(2015 - 03 - 01),
        namesake_confirmed: false,
    }
}

thidua_store::engine_tests!(people_are_added_moved_and_never_twice, |store| async move {
    let province = unit(store, "T1", UnitKind::Province, None).await;
    let dept = unit(store, "T1.SNV", UnitKind::StateAgency, Some(province)).await;
    let other = unit(store, "T1.STC", UnitKind::StateAgency, Some(province)).await;
    let officer = user(store, "cb.snv", Role::UnitOfficer, dept).await;
    let viewer = user(store, "xem", Role::Viewer, province).await;
    let who = Who::system("cb.snv");
    let me = Enterer::User(&officer);

    let mut lan = input("Nông Thị Lan", "12/03/1984");
    lan.id_number = "004184001234".into();
    let id = add(store, &who, me, &lan, joining(dept), TODAY)
        .await
        .unwrap();
    // The same person again: by identity number, then by name and birth in the unit.
    let err = add(store, &who, me, &lan, joining(dept), TODAY)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AppError::Invalid {
                field: "id_number",
                ..
            }
        ),
        "{err}"
    );
    lan.id_number.clear();
    let err = add(store, &who, me, &lan, joining(dept), TODAY)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid { field: "name", .. }),
        "{err}"
    );
    // Another unit's officer cannot add to this unit.
    let stc = user(store, "cb.stc", Role::UnitOfficer, other).await;
    let err = add(
        store,
        &who,
        Enterer::User(&stc),
        &input("Lò Văn Tư", "01/01/1990"),
        joining(dept),
        TODAY,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "{err}");
    // Every wrong field at once.
    let mut bad = input("", "31/02/1990");
    bad.sex = "x".into();
    match add(store, &who, me, &bad, joining(dept), TODAY)
        .await
        .unwrap_err()
    {
        AppError::Fields(f) => {
            let fields: Vec<&str> = f.iter().map(|p| p.field).collect();
            assert_eq!(fields, ["name", "birth", "sex"]);
        }
        e => panic!("{e}"),
    }

    // A transfer dated before the join is refused; after it, the stint ends.
    let before = Move {
        to: other,
        date: date!(2014 - 01 - 01),
        position: None,
    };
    assert!(matches!(
        transfer(store, &who, me, id, &before, TODAY)
            .await
            .unwrap_err(),
        AppError::Invalid { field: "date", .. }
    ));
    let m = Move {
        to: other,
        date: date!(2024 - 07 - 01),
        position: Some("Chuyên viên".into()),
    };
    transfer(store, &who, me, id, &m, TODAY).await.unwrap();
    let v = show(store, Enterer::System, id, TODAY).await.unwrap();
    assert_eq!(v.memberships.len(), 2);
    assert_eq!(
        v.memberships[0].end,
        Some(thidua_domain::staff::MembershipEnd::Transfer)
    );
    assert_eq!(v.memberships[0].until.as_deref(), Some("01/07/2024"));
    assert!(v.memberships[1].current);
    assert!(v.has_id_number);
    // The sending unit still sees the person; the identity number now
    // belongs to the new unit's officers, and never to a viewer.
    let seen = show(store, me, id, TODAY).await.unwrap();
    assert!(!seen.may_see_id_number && !seen.may_edit);
    assert!(
        reveal_id_number(store, &who, Enterer::User(&viewer), id, TODAY)
            .await
            .is_err()
    );
    let before = store.audit_count().await.unwrap();
    let n = reveal_id_number(store, &who, Enterer::User(&stc), id, TODAY)
        .await
        .unwrap();
    assert_eq!(n.as_deref(), Some("004184001234"));
    let (log, total) = store
        .audit_page(&AuditFilter::default(), 0, 1000)
        .await
        .unwrap();
    assert_eq!(total, before + 1);
    assert_eq!(log[0].action, "person.id_number_view");
    // The log never carries the number itself.
    assert!(
        log.iter()
            .all(|e| !format!("{e:?}").contains("004184001234"))
    );
});

fn staff_file(rows: Vec<Vec<Cell>>) -> Vec<u8> {
    thidua_sheets::write(&[Sheet {
        name: "Danh sách cán bộ".into(),
        header: [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Dân tộc",
            "Số định danh",
            "Đối tượng",
            "Chức vụ",
            "Mã đơn vị",
            "Từ ngày",
            "Mã cá nhân",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        rows,
    }])
    .unwrap()
}

fn row(i: usize, name: &str, birth: &str, unit: &str) -> Vec<Cell> {
    vec![
        Cell::Number(i as f64),
        Cell::from(name),
        Cell::from(birth),
        Cell::from(if i.is_multiple_of(2) { "Nữ" } else { "Nam" }),
        Cell::from("Kinh"),
        Cell::Empty,
        Cell::from("Viên chức"),
        Cell::from("Chuyên viên"),
        Cell::from(unit),
        Cell::from("01/01/2020"),
        Cell::Empty,
    ]
}

thidua_store::engine_tests!(a_staff_list_lands_whole_or_not_at_all, |store| async move {
    let province = unit(store, "T1", UnitKind::Province, None).await;
    let dept = unit(store, "T1.SYT", UnitKind::StateAgency, Some(province)).await;
    let far = unit(store, "T2", UnitKind::Province, None).await;
    unit(store, "T2.SYT", UnitKind::StateAgency, Some(far)).await;
    let officer = user(store, "cb.syt", Role::UnitOfficer, dept).await;
    let me = Enterer::User(&officer);
    let who = Who::system("cb.syt");
    let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"];
    let given = [
        "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Linh", "Minh", "Nga",
    ];
    let fifty: Vec<Vec<Cell>> = (0..50)
        .map(|i| {
            let name = format!("{} Văn {}", family[i % 5], given[i / 5]);
            row(
                i + 1,
                &name,
                &format!("{:02}/05/19{}", i % 28 + 1, 70 + i % 25),
                "T1.SYT",
            )
        })
        .collect();
    let file = staff_file(fifty.clone());
    let plan = preview_staff(store, me, TODAY, "ds.xlsx", &file)
        .await
        .unwrap();
    assert_eq!((plan.new, plan.rows.len()), (50, 50));
    let (_, done) = import_staff(store, &who, me, TODAY, "ds.xlsx", &file, false)
        .await
        .unwrap();
    assert_eq!(done.created.len(), 50);
    assert_eq!(store.people_in_unit(dept, TODAY).await.unwrap().len(), 50);
    // The same list again adds no one.
    let (again, done) = import_staff(store, &who, me, TODAY, "ds.xlsx", &file, false)
        .await
        .unwrap();
    assert_eq!((again.unchanged, done.created.len()), (50, 0));

    // One bad row refuses the whole file, each problem with row and column.
    let mut rows = fifty[..3].to_vec();
    rows.push(row(4, "Đỗ Thị Mới", "40/01/1990", "T1.SYT"));
    rows.push(row(5, "Đỗ Thị Xa", "01/01/1990", "T2.SYT"));
    rows.push(row(6, "Đỗ Thị Mới Hai", "01/01/1990", "KHONG.CO"));
    let err = import_staff(store, &who, me, TODAY, "loi.xlsx", &staff_file(rows), false)
        .await
        .unwrap_err();
    let AppError::Import(problems) = err else {
        panic!("{err}")
    };
    let at: Vec<(u64, Option<String>)> = problems
        .iter()
        .map(|p| (p.line, p.column_name.clone()))
        .collect();
    assert_eq!(
        at,
        [
            (5, Some("C – Ngày sinh".to_owned())),
            (6, Some("I – Mã đơn vị".to_owned())),
            (7, Some("I – Mã đơn vị".to_owned())),
        ]
    );
    assert_eq!(store.count_people().await.unwrap(), 50);

    // A namesake of someone elsewhere waits for confirmation.
    let other = unit(store, "T1.STC", UnitKind::StateAgency, Some(province)).await;
    let first = &fifty[0];
    let twin = staff_file(vec![row(1, &first[1].text(), &first[2].text(), "T1.STC")]);
    let sys_plan = preview_staff(store, Enterer::System, TODAY, "t.xlsx", &twin)
        .await
        .unwrap();
    assert_eq!(sys_plan.namesakes, 1);
    let err = import_staff(
        store,
        &sys(),
        Enterer::System,
        TODAY,
        "t.xlsx",
        &twin,
        false,
    )
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        AppError::Invalid {
            field: "namesakes",
            ..
        }
    ));
    let (_, done) = import_staff(store, &sys(), Enterer::System, TODAY, "t.xlsx", &twin, true)
        .await
        .unwrap();
    assert_eq!(done.created.len(), 1);
    assert_eq!(store.people_in_unit(other, TODAY).await.unwrap().len(), 1);
    // Naming the existing person instead moves them.
    let mut join = row(1, &first[1].text(), &first[2].text(), "T1.STC");
    join[9] = Cell::from("01/06/2026");
    let pid = done.created[0];
    let old = store
        .people_in_unit(dept, TODAY)
        .await
        .unwrap()
        .into_iter()
        .find(|(p, _)| p.full_name == first[1].text())
        .unwrap()
        .0
        .id;
    assert_ne!(pid, old);
    join[10] = Cell::from(old.to_string().as_str());
    let (p, done) = import_staff(
        store,
        &sys(),
        Enterer::System,
        TODAY,
        "j.xlsx",
        &staff_file(vec![join]),
        false,
    )
    .await
    .unwrap();
    assert_eq!((p.joining, done.joined.clone()), (1, vec![old]));
    let stints = store.stints(PersonId(old)).await.unwrap();
    assert_eq!(stints.len(), 2);
    assert_eq!(stints[0].period.until, Some(date!(2026 - 06 - 01)));
});
