//! The registry import on real workbooks, on both engines.

use super::reading::{date_cell, header};
use super::template::{COLUMNS, plain_issuer};
use super::*;
use crate::AppError;
use crate::movements::Enterer;
use thidua_sheets::{Cell, Sheet};
use thidua_store::{Store, Who};
use time::{Date, Month};

#[test]
fn columns_are_lettered_as_spreadsheets_do() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(27), "AB");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

#[test]
fn issuers_compare_without_accents_abbreviations_or_level_words() {
    assert_eq!(
        plain_issuer("Chủ tịch UBND cấp tỉnh"),
        plain_issuer("chu tich uy ban nhan dan tinh")
    );
    assert_ne!(
        plain_issuer("Chủ tịch UBND tỉnh"),
        plain_issuer("Chủ tịch UBND xã")
    );
}

#[test]
fn excel_serials_and_typed_dates_are_both_read() {
    let d = |y, m, day| Date::from_calendar_date(y, m, day).unwrap();
    assert_eq!(
        date_cell(&Cell::Number(45_292.0)).unwrap(),
        d(2024, Month::January, 1)
    );
    assert_eq!(
        date_cell(&Cell::from("05/02/2016")).unwrap(),
        d(2016, Month::February, 5)
    );
    assert!(date_cell(&Cell::from("31/02/2016")).is_err());
    assert!(date_cell(&Cell::Number(0.5)).is_err());
}

use thidua_sheets::{Merge, read_sheet, write_merged};
use thidua_store::{AuditFilter, RegistryQuery};
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 22);

fn row(cells: [&str; 13]) -> Vec<Cell> {
    cells.iter().map(|c| Cell::from(*c)).collect()
}

fn book(rows: Vec<Vec<Cell>>, merges: &[Merge]) -> Vec<u8> {
    write_merged(
        &[Sheet {
            name: SHEET.to_owned(),
            header: COLUMNS.iter().map(|(_, h)| (*h).to_owned()).collect(),
            rows,
        }],
        merges,
    )
    .unwrap()
}

async fn registry_rows(store: &Store) -> i64 {
    store
        .registry_counts(&RegistryQuery {
            include_revoked: true,
            ..RegistryQuery::default()
        })
        .await
        .unwrap()
        .iter()
        .map(|c| c.count)
        .sum()
}

fn messages(e: AppError) -> Vec<(u64, String, String)> {
    match e {
        AppError::Import(ps) => ps
            .into_iter()
            .map(|p| (p.line, p.column_name.unwrap_or_default(), p.message))
            .collect(),
        other => panic!("expected problems, got {other}"),
    }
}

thidua_store::engine_tests!(
    historical_awards_are_checked_whole_then_written_whole,
    |store| async move {
        let who = Who::system("test");
        crate::demo::seed(store, &who, &|_| {}).await.expect("demo");

        // The template names its sheet, columns, forms and issuers.
        let tpl = template(store).await.unwrap();
        let t = read_sheet(&tpl, SHEET).unwrap();
        assert_eq!(t.rows[0][2].text(), "Họ và tên / Tên tập thể");
        let forms = read_sheet(&tpl, "Hình thức").unwrap();
        assert!(forms.rows.iter().any(|r| r[0].text() == "BANG_KHEN_TINH"));
        let issuers = read_sheet(&tpl, "Cấp quyết định").unwrap();
        assert!(
            issuers
                .rows
                .iter()
                .any(|r| r[0].text() == "Thủ tướng Chính phủ")
        );

        let good = book(
            vec![
                row([
                    "1",
                    "Cá nhân",
                    "Nguyễn Thị Hoa",
                    "08/03/1985",
                    "",
                    "Bằng khen của Chủ tịch UBND tỉnh",
                    "Chủ tịch UBND tỉnh",
                    "4567/QĐ-UBND",
                    "12/01/2012",
                    "2010",
                    "2011",
                    "Hoàn thành xuất sắc nhiệm vụ 2010–2011",
                    "",
                ]),
                row([
                    "2",
                    "Tập thể",
                    "Tỉnh Đắk Nông",
                    "",
                    "67",
                    "HUAN_CHUONG_LAO_DONG_HANG_BA",
                    "Chủ tịch nước",
                    "1234/QĐ-CTN",
                    "02/09/2014",
                    "",
                    "",
                    "",
                    "",
                ]),
            ],
            &[],
        );
        let before = registry_rows(store).await;
        let plan = preview(store, Enterer::System, TODAY, "cu.xlsx", &good)
            .await
            .expect("a clean file");
        assert_eq!(plan.rows.len(), 2);
        assert_eq!(plan.rows[0].form, "Bằng khen của Chủ tịch UBND tỉnh");
        assert_eq!(
            registry_rows(store).await,
            before,
            "a preview writes nothing"
        );

        let (plan, ids) = import(store, &who, Enterer::System, TODAY, "cu.xlsx", &good)
            .await
            .unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(registry_rows(store).await, before + 2);
        let found = crate::registry::search_in(
            store,
            None,
            None,
            &crate::registry::Search {
                text: "nguyen thi hoa".into(),
                limit: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let hit = found
            .hits
            .iter()
            .find(|h| h.decision_number.as_deref() == Some("4567/QĐ-UBND"))
            .expect("the imported award is found by name");
        assert_eq!(
            hit.issuer.as_deref(),
            Some(crate::decisions::ISSUER_PROVINCE),
            "{hit:?}"
        );
        assert_eq!((hit.period_from, hit.period_to), (Some(2010), Some(2011)));
        assert!(
            hit.subject_unit.is_some(),
            "her commune on the decision day"
        );
        let (audit, n) = store
            .audit_page(
                &AuditFilter {
                    action: Some("registry.import".into()),
                    ..AuditFilter::default()
                },
                0,
                10,
            )
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert!(
            audit[0]
                .after_json
                .as_deref()
                .unwrap_or("")
                .contains(&plan.sha256)
        );

        // The same file again: both rows are already in the registry.
        let again = messages(
            import(store, &who, Enterer::System, TODAY, "cu.xlsx", &good)
                .await
                .unwrap_err(),
        );
        assert_eq!(again.len(), 2, "{again:?}");
        assert!(
            again[0].2.contains("đã có trong sổ khen thưởng"),
            "{again:?}"
        );
        assert_eq!(registry_rows(store).await, before + 2);

        // Every problem of a bad file, by row and column; nothing written.
        // Row N of the sheet is line N + 1; each line changes one cell
        // of a good record.
        let hoa = |number: &str| {
            [
                "",
                "Cá nhân",
                "Nguyễn Thị Hoa",
                "08/03/1985",
                "",
                "BANG_KHEN_TINH",
                "Chủ tịch UBND tỉnh",
                number,
                "01/02/2015",
                "",
                "",
                "",
                "",
            ]
            .map(str::to_owned)
        };
        let with = |number: &str, changes: &[(usize, &str)]| {
            let mut r = hoa(number);
            for (col, v) in changes {
                r[*col] = (*v).to_owned();
            }
            r.iter().map(|c| Cell::from(c.as_str())).collect::<Vec<_>>()
        };
        let bad = book(
            vec![
                with("1/QĐ-UBND", &[(2, "Người Không Có"), (3, "")]),
                with("2/QĐ-UBND", &[(5, "Bằng khen hạng Tư")]),
                with("3/QĐ-UBND", &[(6, "Hội đồng hương")]),
                with("4/QĐ-UBND", &[(8, "01/02/2031")]),
                with("5/QĐ-UBND", &[]),
                with("5/QĐ-UBND", &[]),
                with(
                    "7/QĐ-UBND",
                    &[(1, "Tập thể"), (2, "Xã Không Có"), (3, ""), (4, "99999")],
                ),
                with("8/QĐ-UBND", &[(1, "Hộ"), (3, ""), (8, "31/02/2015")]),
            ],
            &[],
        );
        let problems = messages(
            import(store, &who, Enterer::System, TODAY, "sai.xlsx", &bad)
                .await
                .unwrap_err(),
        );
        let at = |line: u64| {
            problems
                .iter()
                .filter(|p| p.0 == line)
                .map(|p| format!("{} {}", p.1, p.2))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        assert!(
            at(2).starts_with("C – Họ và tên") && at(2).contains("không có người «Người Không Có»"),
            "{problems:?}"
        );
        assert!(
            at(3).starts_with("F – Hình thức") && at(3).contains("không có trong danh mục"),
            "{problems:?}"
        );
        assert!(at(4).starts_with("G – Cấp quyết định"), "{problems:?}");
        assert!(
            at(5).starts_with("I – Ngày quyết định") && at(5).contains("tương lai"),
            "{problems:?}"
        );
        assert!(at(6).is_empty(), "row 6 itself is fine: {problems:?}");
        assert!(at(7).contains("trùng với dòng 6"), "{problems:?}");
        assert!(at(8).contains("không có đơn vị mã «99999»"), "{problems:?}");
        assert!(
            at(9).contains("«Cá nhân» hoặc «Tập thể»") && at(9).contains("dd/mm/yyyy"),
            "{problems:?}"
        );
        assert_eq!(
            registry_rows(store).await,
            before + 2,
            "a bad file writes nothing"
        );

        // Columns in the file's own order: problems point at its cells.
        let reordered = write_merged(
            &[Sheet {
                name: SHEET.to_owned(),
                header: [
                    "Đối tượng",
                    "Họ và tên / Tên tập thể",
                    "Ngày sinh",
                    "Hình thức khen thưởng",
                    "Cấp quyết định",
                    "Số quyết định",
                    "Ngày quyết định",
                    "Mã đơn vị",
                ]
                .map(str::to_owned)
                .to_vec(),
                rows: vec![
                    [
                        "Cá nhân",
                        "Nguyễn Thị Hoa",
                        "08/03/1985",
                        "Bằng khen hạng Tư",
                        "Chủ tịch UBND tỉnh",
                        "10/QĐ-UBND",
                        "01/02/2015",
                        "",
                    ]
                    .iter()
                    .map(|c| Cell::from(*c))
                    .collect(),
                ],
            }],
            &[],
        )
        .unwrap();
        let moved = messages(
            preview(store, Enterer::System, TODAY, "x.xlsx", &reordered)
                .await
                .unwrap_err(),
        );
        assert_eq!(moved.len(), 1, "{moved:?}");
        assert_eq!(
            (moved[0].0, moved[0].1.as_str()),
            (2, "D – Hình thức khen thưởng")
        );

        // Malformed files.
        let not_zip = messages(
            preview(store, Enterer::System, TODAY, "x.xlsx", b"STT;Ho ten")
                .await
                .unwrap_err(),
        );
        assert!(
            not_zip[0].2.contains("không phải bảng tính Excel"),
            "{not_zip:?}"
        );
        let other_sheet = write_merged(
            &[Sheet {
                name: "Sheet1".into(),
                header: vec!["A".into()],
                rows: Vec::new(),
            }],
            &[],
        )
        .unwrap();
        let wrong = messages(
            preview(store, Enterer::System, TODAY, "x.xlsx", &other_sheet)
                .await
                .unwrap_err(),
        );
        assert!(
            wrong[0]
                .2
                .contains("không có trang «Khen thưởng» (có: «Sheet1»)"),
            "{wrong:?}"
        );
        let merged = book(
            vec![
                row([
                    "1",
                    "Cá nhân",
                    "Nguyễn Thị Hoa",
                    "08/03/1985",
                    "",
                    "BANG_KHEN_TINH",
                    "Chủ tịch UBND tỉnh",
                    "9/QĐ-UBND",
                    "01/02/2016",
                    "",
                    "",
                    "",
                    "",
                ]),
                row(["2", "", "", "", "", "", "", "", "", "", "", "", ""]),
            ],
            &[Merge {
                sheet: 0,
                first: (1, 5),
                last: (2, 5),
            }],
        );
        let m = messages(
            preview(store, Enterer::System, TODAY, "x.xlsx", &merged)
                .await
                .unwrap_err(),
        );
        assert!(
            m.iter().any(|p| p.0 == 2 && p.2.contains("ô gộp F2:F3")),
            "{m:?}"
        );

        // Who may import: not a commune's officer; the province's office
        // only within its scope.
        let (commune, _) = store.user_for_login("yquang.xa").await.unwrap().unwrap();
        assert!(!may_import(store, &commune, TODAY).await.unwrap());
        assert!(matches!(
            preview(store, Enterer::User(&commune), TODAY, "cu.xlsx", &good).await,
            Err(AppError::Invalid { .. })
        ));
        let (office, _) = store.user_for_login("hoa.snv").await.unwrap().unwrap();
        assert!(may_import(store, &office, TODAY).await.unwrap());
        let cao_bang = book(
            vec![row([
                "1",
                "Tập thể",
                "Tỉnh Cao Bằng",
                "",
                "04",
                "BANG_KHEN_THU_TUONG",
                "Thủ tướng Chính phủ",
                "77/QĐ-TTg",
                "01/02/2016",
                "",
                "",
                "",
                "",
            ])],
            &[],
        );
        let outside = messages(
            preview(store, Enterer::User(&office), TODAY, "cb.xlsx", &cao_bang)
                .await
                .unwrap_err(),
        );
        assert!(outside[0].2.contains("ngoài phạm vi"), "{outside:?}");
    }
);

#[test]
fn the_header_may_sit_below_a_title() {
    let rows = vec![
        vec![Cell::from("DANH SÁCH KHEN THƯỞNG 2014–2018")],
        COLUMNS.iter().map(|(_, h)| Cell::from(*h)).collect(),
    ];
    let (at, cols) = header(&rows).unwrap();
    assert_eq!(at, 1);
    assert_eq!(cols["form"], 5);
    assert_eq!(cols["name"], 2);
    assert!(header(&rows[..1]).is_none());
}

thidua_store::engine_tests!(
    a_person_not_yet_listed_is_added_with_their_awards,
    |store| async move {
        let who = Who::system("test");
        crate::eligibility::ensure_catalogue(store, &who)
            .await
            .unwrap();
        let province = store
            .create_unit(
                &who,
                &thidua_store::NewUnit {
                    code: thidua_domain::org::UnitCode::parse("T1").unwrap(),
                    kind: thidua_domain::org::UnitKind::Province,
                    admin_type: None,
                    name: "Tỉnh Thử".into(),
                    short_name: None,
                    parent: None,
                    valid_from: None,
                },
            )
            .await
            .unwrap();
        store
            .create_unit(
                &who,
                &thidua_store::NewUnit {
                    code: thidua_domain::org::UnitCode::parse("T1.SNV").unwrap(),
                    kind: thidua_domain::org::UnitKind::StateAgency,
                    admin_type: None,
                    name: "Sở Nội vụ tỉnh Thử".into(),
                    short_name: None,
                    parent: Some(province),
                    valid_from: None,
                },
            )
            .await
            .unwrap();
        let award = |number: &str, birth: &str| {
            row([
                "",
                "Cá nhân",
                "Lường Văn Mới",
                birth,
                "T1.SNV",
                "BANG_KHEN_TINH",
                "Chủ tịch UBND tỉnh",
                number,
                "01/02/2015",
                "",
                "",
                "",
                "",
            ])
        };
        // Without the birth day the person cannot be known again: refused.
        let vague = book(vec![award("11/QĐ-UBND", "1980")], &[]);
        assert!(
            preview(store, Enterer::System, TODAY, "m.xlsx", &vague)
                .await
                .is_err()
        );
        // With it, the preview says the person will be added, once for
        // two rows; the import writes the person, the stint and the awards.
        let file = book(
            vec![
                award("11/QĐ-UBND", "12/06/1980"),
                award("12/QĐ-UBND", "12/06/1980"),
            ],
            &[],
        );
        let plan = preview(store, Enterer::System, TODAY, "m.xlsx", &file)
            .await
            .unwrap();
        assert_eq!(plan.new_people.len(), 1);
        assert!(plan.rows.iter().all(|r| r.new_person));
        assert_eq!(
            store.count_people().await.unwrap(),
            0,
            "the preview writes nothing"
        );
        let (_, ids) = import(store, &who, Enterer::System, TODAY, "m.xlsx", &file)
            .await
            .unwrap();
        assert_eq!(ids.len(), 2);
        let found = store.search_people("luong van moi", 5).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].birth_date, Some(date!(1980 - 06 - 12)));
        assert_eq!(store.memberships(found[0].id).await.unwrap().len(), 1);
        // Imported again: the person is found now, and the awards are repeats.
        let again = import(store, &who, Enterer::System, TODAY, "m.xlsx", &file).await;
        assert!(matches!(again, Err(AppError::Import(_))));
        assert_eq!(store.count_people().await.unwrap(), 1);
    }
);
