use super::*;
use thidua_sheets::read_sheet;
use thidua_store::Who;

#[test]
fn a_sheet_goes_to_excel_and_back_unchanged() {
    let sheet = crate::demo_clusters::sheet();
    let bytes = sheet_to_xlsx(&sheet).unwrap();
    assert_eq!(sheet_from_xlsx(&bytes).unwrap(), sheet);
    let table = read_sheet(&bytes, SHEET_TAB).unwrap();
    assert_eq!(
        table.rows[1][6].text(),
        "Hoàn thành xuất sắc = 40; Hoàn thành tốt = 32; Hoàn thành = 20; Không hoàn thành = 0"
    );
}

/// A workbook in the sheet's shape with the given rows.
fn file(rows: &[[&str; 9]]) -> Vec<u8> {
    thidua_sheets::write(&[thidua_sheets::Sheet {
        name: SHEET_TAB.into(),
        header: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::from(*c)).collect())
            .collect(),
    }])
    .unwrap()
}

#[test]
fn a_bad_sheet_names_each_problem_by_row_and_column() {
    let good = [
        "I",
        "Nhiệm vụ",
        "I.1",
        "Chuyên môn",
        "40",
        "Theo mức",
        "Tốt = 40; Khá = 30",
        "",
        "Có",
    ];
    let mut no_max = good;
    no_max[2] = "I.2";
    no_max[4] = "";
    let mut bad_kind = good;
    bad_kind[2] = "I.3";
    bad_kind[5] = "Tự do";
    let mut bad_level = good;
    bad_level[2] = "I.4";
    bad_level[6] = "Tốt: 40";
    let mut bad_target = good;
    bad_target[2] = "I.5";
    bad_target[5] = "Theo tỷ lệ";
    bad_target[7] = "một trăm";
    let mut bad_evidence = good;
    bad_evidence[2] = "I.6";
    bad_evidence[8] = "Có lẽ";
    let problems = sheet_from_xlsx(&file(&[
        good,
        no_max,
        bad_kind,
        bad_level,
        bad_target,
        bad_evidence,
    ]))
    .unwrap_err();
    assert_eq!(
        problems,
        [
            "dòng 3, cột E (Điểm tối đa): không được để trống",
            "dòng 4, cột F (Loại): «Tự do» không phải là loại tiêu chí (Cố định, Theo mức, Theo tỷ lệ, Điểm thưởng, Điểm trừ)",
            "dòng 5, cột G (Các mức (tên = điểm; …)): «Tốt: 40» cần dạng «tên mức = điểm»",
            "dòng 5, cột G (Các mức (tên = điểm; …)): tiêu chí theo mức cần ít nhất một mức",
            "dòng 6, cột H (Chỉ tiêu): «một trăm» không phải là chỉ tiêu (số)",
            "dòng 7, cột I (Cần minh chứng): «có lẽ»: ghi «Có» hoặc «Không»",
        ]
    );
    // The sheet's own rules still hold once every cell reads: a level
    // above the maximum.
    let mut high = good;
    high[6] = "Tốt = 45";
    let e = sheet_from_xlsx(&file(&[high])).unwrap_err();
    assert!(e[0].contains("I.1"), "{e:?}");
    // Another file entirely.
    let e = sheet_from_xlsx(b"not a zip").unwrap_err();
    assert!(e[0].contains("không đọc được tệp Excel"), "{e:?}");
}

thidua_store::engine_tests!(
    the_years_ranking_and_report_come_from_finalised_years,
    |store| async move {
        let who = Who::system("test");
        crate::demo::seed(store, &who, &|_| {}).await.expect("demo");
        let open = store.cluster_by_code("CB-K1", 2026).await.unwrap().unwrap();
        let view = clusters::load(store, open.id).await.unwrap();
        let past = history(store, &view).await.unwrap();
        // 2026 is still open: only 2025 counts.
        assert_eq!(past.years, [2025]);
        let places: Vec<(String, String)> = past
            .rows
            .iter()
            .map(|r| (r.name.clone(), place_text(r.places[0])))
            .collect();
        assert_eq!(
            places[0],
            (
                "Sở Tài chính tỉnh Cao Bằng".to_owned(),
                "1 (100,2)".to_owned()
            )
        );
        assert_eq!(places.len(), 5);
        let last = store.cluster_by_code("CB-K1", 2025).await.unwrap().unwrap();
        let view = clusters::load(store, last.id).await.unwrap();
        let lines = clusters::ranking(store, last.id).await.unwrap();
        let bytes = report_xlsx(&view, &lines, &past).unwrap();
        let t = read_sheet(&bytes, "Xếp hạng 2025").unwrap();
        assert_eq!(
            t.rows[0][4].text(),
            "I. Thực hiện nhiệm vụ chính trị được giao"
        );
        assert_eq!(t.rows[1][1].text(), "Sở Tài chính tỉnh Cao Bằng");
        assert_eq!(t.rows[1][3], Cell::Number(100.2));
        let t = read_sheet(&bytes, "Qua các năm").unwrap();
        assert_eq!(
            t.rows[0],
            [
                Cell::from("Đơn vị"),
                Cell::from("Hạng 2025"),
                Cell::from("Điểm 2025")
            ]
        );
    }
);
