use super::*;
use thidua_domain::org::UnitKind;
use time::macros::date;

fn with_file(name: &str, content: &str) -> HashMap<String, Vec<u8>> {
    let mut files = embedded_files();
    files.insert(name.to_owned(), content.as_bytes().to_vec());
    files
}

#[test]
fn the_official_lists_parse_cleanly() {
    let d = parse_dataset(&embedded_files()).expect("official data parses");
    assert_eq!(
        d.legacy
            .iter()
            .filter(|u| u.kind == UnitKind::Province)
            .count(),
        63
    );
    assert_eq!(
        d.legacy
            .iter()
            .filter(|u| u.kind == UnitKind::District)
            .count(),
        696
    );
    assert_eq!(
        d.legacy
            .iter()
            .filter(|u| u.kind == UnitKind::Commune)
            .count(),
        10_035
    );
    assert_eq!(
        d.current
            .iter()
            .filter(|u| u.kind == UnitKind::Province)
            .count(),
        34
    );
    assert_eq!(
        d.current
            .iter()
            .filter(|u| u.kind == UnitKind::Commune)
            .count(),
        3_321
    );
    assert_eq!(d.mapping.len(), 10_669);
}

#[test]
fn every_problem_is_located_by_file_line_and_column() {
    let bad = "code,name,short_name,type,province_code,codename\n\
               00004,Phường Ba Đình,Ba Đình,phường,01,phuong_ba_dinh\n\
               00004,Phường Trùng,Trùng,phường,01,x\n\
               00007,Xã Lạ,Lạ,xã,99,x\n\
               00008,Xã Thiếu Cột,Thiếu,xã,01\n\
               0009,Xã Mã Sai,Sai,làng,01,x\n";
    let problems = parse_dataset(&with_file("communes_2025.csv", bad)).expect_err("must fail");
    let at = |line: u64| {
        problems
            .iter()
            .filter(|p| p.file == "communes_2025.csv" && p.line == line)
            .collect::<Vec<_>>()
    };
    assert_eq!(at(3)[0].column, Some(1), "duplicate code: {problems:?}");
    assert!(at(3)[0].message.contains("trùng với dòng 2"));
    assert_eq!(at(4)[0].column_name.as_deref(), Some("province_code"));
    assert!(at(4)[0].message.contains("«99»"));
    assert!(at(5)[0].message.contains("cần 6 cột"));
    assert_eq!(
        at(6).len(),
        2,
        "bad code and bad type on one row: {problems:?}"
    );
    assert_eq!(at(6)[0].column, Some(1));
    assert_eq!(at(6)[1].column_name.as_deref(), Some("type"));
    // The mapping now points at communes that are missing from the file.
    assert!(
        problems
            .iter()
            .any(|p| p.file == "mapping_legacy_to_2025.csv")
    );
    assert!(problems.len() <= MAX_PROBLEMS);
}

#[test]
fn bad_utf8_is_reported_at_its_cell() {
    let mut bytes = b"code,name,short_name,type,province_2025_code,name_nso_2025_01\n".to_vec();
    bytes.extend_from_slice(b"01,Th\xff\xfenh,H\xc3\xa0 N\xe1\xbb\x99i,t\xe1\xbb\x89nh,01,\n");
    let mut files = embedded_files();
    files.insert("provinces_legacy.csv".into(), bytes);
    let problems = parse_dataset(&files).expect_err("must fail");
    let p = &problems[0];
    assert_eq!(
        (p.file.as_str(), p.line, p.column),
        ("provinces_legacy.csv", 2, Some(2))
    );
    assert!(p.message.contains("UTF-8"), "{p}");
}

#[test]
fn a_wrong_header_or_missing_file_is_refused() {
    let problems = parse_dataset(&with_file("provinces_2025.csv", "ma,ten\n01,Hà Nội\n"))
        .expect_err("must fail");
    assert!(problems[0].message.contains("dòng tiêu đề"), "{problems:?}");
    let mut files = embedded_files();
    files.remove("communes_legacy.csv");
    let problems = parse_dataset(&files).expect_err("must fail");
    assert_eq!(problems[0].file, "communes_legacy.csv");
}

#[test]
fn problems_stop_at_one_hundred() {
    let mut s = String::from("code,name,short_name,type,province_code,codename\n");
    for i in 0..300 {
        s.push_str(&format!("{:05},Xã {i},X,xã,99,x\n", 50_000 + i));
    }
    let problems = parse_dataset(&with_file("communes_2025.csv", &s)).expect_err("must fail");
    assert_eq!(problems.len(), MAX_PROBLEMS);
    assert_eq!(
        problems[0].to_string(),
        "communes_2025.csv: dòng 2, cột 5 (province_code): mã «99» không có trong provinces_2025.csv"
    );
}

thidua_store::engine_tests!(
    the_full_import_is_temporal_idempotent_and_all_or_nothing,
    |store| async move {
        let (first, _) = import(store, &Who::system("test"), &embedded_files(), &|_| {})
            .await
            .expect("import");
        assert!(first.changed_anything());
        let (second, _) = import(store, &Who::system("test"), &embedded_files(), &|_| {})
            .await
            .expect("again");
        assert!(!second.changed_anything(), "second run changed {second:?}");

        let before = date!(2025 - 06 - 30);
        let after = date!(2025 - 07 - 01);
        let count =
            |kind, d| async move { store.units_as_of(d, Some(kind)).await.expect("query").len() };
        assert_eq!(count(UnitKind::Province, before).await, 63);
        assert_eq!(count(UnitKind::Province, after).await, 34);
        assert_eq!(count(UnitKind::District, before).await, 696);
        assert_eq!(count(UnitKind::District, after).await, 0);
        assert_eq!(count(UnitKind::Commune, before).await, 10_035);
        assert_eq!(count(UnitKind::Commune, after).await, 3_321);

        // Xã Đắk R'Moan, Gia Nghĩa, Đắk Nông: its chain in 2024, and what it became.
        let old = store
            .resolve_code("24618", None, date!(2024 - 01 - 01))
            .await
            .expect("q")
            .expect("unit");
        assert_eq!(old.name, "Xã Đắk R'Moan");
        let chain = store
            .ancestors_as_of(old.id, date!(2024 - 01 - 01))
            .await
            .expect("chain");
        assert_eq!(
            chain.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
            ["Thành phố Gia Nghĩa", "Tỉnh Đắk Nông"]
        );
        let resolved_after = store
            .resolve_code("24618", None, after)
            .await
            .expect("q")
            .expect("unit");
        assert_eq!(
            resolved_after.id, old.id,
            "the code names no 2025 unit, so the old commune is shown"
        );
        let became = store.became_as_of(old.id, after).await.expect("became");
        assert_eq!(
            became
                .iter()
                .map(|l| l.unit.name.as_str())
                .collect::<Vec<_>>(),
            ["Phường Nam Gia Nghĩa"]
        );
        let up = store
            .ancestors_as_of(became[0].unit.id, after)
            .await
            .expect("up");
        assert_eq!(
            up.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
            ["Tỉnh Lâm Đồng"]
        );

        // A refused import leaves the database exactly as it was.
        let units = store.count_units().await.expect("count");
        let bad = with_file(
            "communes_2025.csv",
            "code,name,short_name,type,province_code,codename\n00004,X,X,xã,77,x\n",
        );
        let err = import(store, &Who::system("test"), &bad, &|_| {})
            .await
            .expect_err("refused");
        assert!(matches!(err, AppError::Import(_)));
        assert_eq!(store.count_units().await.expect("count"), units);
    }
);
