//! People, staff lists and blocks from the command line, on both engines.

mod common;

use common::{json, ok, thidua};

thidua_store::engine_tests!(
    people_staff_lists_and_blocks_for_scripts,
    |store| async move {
        let db = store.url().to_owned();
        ok(&db, &["demo"]);
        let added = json(
            &db,
            &[
                "person",
                "add",
                "--name",
                "Nông Thị Huyền",
                "--birth",
                "12/03/1984",
                "--sex",
                "nu",
                "--unit",
                "CB.STC",
                "--from",
                "01/03/2020",
                "--category",
                "vien chuc",
                "--json",
            ],
        );
        let id = added["id"].as_i64().expect("id").to_string();
        assert_eq!(added["memberships"].as_array().map(Vec::len), Some(1));
        // The same person again, and a transfer before the join: refused,
        // in Vietnamese, nothing written.
        let again = thidua(
            &db,
            &[
                "person",
                "add",
                "--name",
                "Nông Thị Huyền",
                "--birth",
                "12/03/1984",
                "--sex",
                "nu",
                "--unit",
                "CB.STC",
                "--from",
                "01/03/2020",
            ],
        );
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("không thêm lần nữa"));
        let early = thidua(
            &db,
            &[
                "person",
                "transfer",
                &id,
                "--to",
                "CB.SYT",
                "--date",
                "01/01/2019",
            ],
        );
        assert!(!early.status.success());
        assert!(String::from_utf8_lossy(&early.stderr).contains("không sau ngày bắt đầu"));
        ok(
            &db,
            &[
                "person",
                "transfer",
                &id,
                "--to",
                "CB.SYT",
                "--date",
                "01/06/2026",
            ],
        );
        let shown = json(&db, &["person", "show", &id, "--json"]);
        let stints = shown["memberships"].as_array().expect("memberships");
        assert_eq!(stints.len(), 2);
        assert_eq!(stints[0]["end"], "transfer");
        assert_eq!(stints[1]["unit_code"], "CB.SYT");

        // A staff list: the template, a file of two, checked, then written.
        let dir = tempfile::tempdir().expect("dir");
        let template = dir.path().join("mau.xlsx");
        ok(
            &db,
            &["staff", "template", "-o", template.to_str().expect("path")],
        );
        let empty = thidua(
            &db,
            &[
                "staff",
                "import",
                template.to_str().expect("path"),
                "--check",
            ],
        );
        assert_eq!(empty.status.code(), Some(2), "an empty list is refused");
        let row = |name: &str| {
            [
                "",
                name,
                "05/05/1990",
                "Nam",
                "Tày",
                "",
                "Công chức",
                "",
                "CB.SYT",
                "01/01/2024",
                "",
            ]
            .map(thidua_sheets::Cell::from)
            .to_vec()
        };
        let list = dir.path().join("ds.xlsx");
        std::fs::write(
            &list,
            thidua_sheets::write(&[thidua_sheets::Sheet {
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
                .map(str::to_owned)
                .to_vec(),
                rows: vec![row("Lò Văn Một"), row("Lò Văn Hai")],
            }])
            .expect("xlsx"),
        )
        .expect("write");
        let path = list.to_str().expect("path");
        let checked = json(&db, &["staff", "import", path, "--check", "--json"]);
        assert_eq!(checked["new"], 2);
        assert!(checked["written"].is_null());
        let written = json(&db, &["staff", "import", path, "--json"]);
        assert_eq!(
            written["written"]["created"].as_array().map(Vec::len),
            Some(2)
        );
        let again = json(&db, &["staff", "import", path, "--json"]);
        assert_eq!(again["unchanged"], 2);

        // A block of three with its regulation; a member of another
        // province is refused.
        let block = json(
            &db,
            &[
                "cluster",
                "create",
                "--year",
                "2026",
                "--code",
                "CB-K9",
                "--name",
                "Khối các sở kinh tế",
                "--kind",
                "block",
                "--regulation",
                "Quyết định số 589/QĐ-UBND ngày 25/5/2018",
                "--member",
                "CB.STC:head",
                "--member",
                "CB.SYT:deputy",
                "--member",
                "CB.SGDDT",
                "--json",
            ],
        );
        assert_eq!(block["members"].as_array().map(Vec::len), Some(3));
        assert_eq!(
            block["regulation"],
            "Quyết định số 589/QĐ-UBND ngày 25/5/2018"
        );
        let outside = thidua(
            &db,
            &[
                "cluster",
                "create",
                "--year",
                "2026",
                "--code",
                "CB-K10",
                "--name",
                "Khối X",
                "--kind",
                "block",
                "--member",
                "CB.STC:head",
                "--member",
                "LD.SYT",
            ],
        );
        assert!(!outside.status.success());
        assert!(String::from_utf8_lossy(&outside.stderr).contains("không thuộc Tỉnh Cao Bằng"));
    }
);
