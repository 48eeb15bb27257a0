//! The `thidua` binary as scripts and people use it, on both engines.

mod common;

use common::{json, ok, thidua};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/admin_units")
}

fn count(db: &str, kind: &str, date: &str) -> usize {
    json(
        db,
        &["org", "list", "--kind", kind, "--as-of", date, "--json"],
    )
    .as_array()
    .expect("array")
    .len()
}

thidua_store::engine_tests!(import_list_and_show_across_the_reform, |store| async move {
    let db = store.url().to_owned();
    let dir = data_dir();
    let dir = dir.to_str().expect("path");
    let first = ok(&db, &["import", "admin-units", dir]);
    assert!(first.contains("14137 đơn vị mới"), "{first}");
    let second = ok(&db, &["import", "admin-units", dir]);
    assert!(
        second.contains("0 đơn vị mới, 0 đơn vị cập nhật"),
        "{second}"
    );

    assert_eq!(count(&db, "province", "2025-06-30"), 63);
    assert_eq!(count(&db, "province", "2025-07-01"), 34);
    assert_eq!(count(&db, "commune", "2025-06-30"), 10_035);
    assert_eq!(count(&db, "commune", "01/07/2025"), 3_321);
    let provinces = json(
        &db,
        &[
            "org",
            "list",
            "--kind",
            "province",
            "--as-of",
            "2025-07-01",
            "--json",
        ],
    );
    assert!(
        provinces
            .as_array()
            .expect("array")
            .iter()
            .all(|p| p["code"].is_string() && p["name"].is_string())
    );

    let before = json(
        &db,
        &["org", "show", "24618", "--as-of", "2024-01-01", "--json"],
    );
    assert_eq!(before["unit"]["name"], "Xã Đắk R'Moan");
    let chain: Vec<&str> = before["ancestors"]
        .as_array()
        .expect("array")
        .iter()
        .map(|a| a["name"].as_str().expect("name"))
        .collect();
    assert_eq!(chain, ["Thành phố Gia Nghĩa", "Tỉnh Đắk Nông"]);
    let after = json(
        &db,
        &["org", "show", "24618", "--as-of", "2025-07-01", "--json"],
    );
    assert_eq!(after["valid_on_date"], false);
    assert_eq!(after["became"][0]["unit"]["name"], "Phường Nam Gia Nghĩa");
    assert_eq!(after["became"][0]["ancestors"][0]["name"], "Tỉnh Lâm Đồng");
    let text = ok(&db, &["org", "show", "24618", "--as-of", "01/07/2025"]);
    assert!(
        text.contains("trở thành Phường Nam Gia Nghĩa (24615), thuộc Tỉnh Lâm Đồng"),
        "{text}"
    );

    // A broken copy of the data is refused with its location; nothing changes.
    let broken = tempfile::tempdir().expect("dir");
    for f in std::fs::read_dir(data_dir()).expect("data") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, broken.path().join(f.file_name().expect("name"))).expect("copy");
    }
    let communes = broken.path().join("communes_2025.csv");
    let mut content = std::fs::read_to_string(&communes).expect("read");
    content.push_str("99999,Xã Mới,Mới,xã,77,x\n99998,Xã Thiếu,Thiếu,xã\n");
    std::fs::write(&communes, content).expect("write");
    let out = thidua(
        &db,
        &[
            "import",
            "admin-units",
            broken.path().to_str().expect("path"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("communes_2025.csv: dòng 3323, cột 5 (province_code): mã «77» không có trong provinces_2025.csv"), "{err}");
    assert!(
        err.contains("communes_2025.csv: dòng 3324: cần 6 cột, dòng này có 4"),
        "{err}"
    );
    assert_eq!(count(&db, "commune", "2025-07-01"), 3_321);
});

thidua_store::engine_tests!(
    the_demo_is_never_seeded_into_a_database_with_accounts,
    |store| async move {
        let db = store.url().to_owned();
        // A province's own database: its first administrator, no units yet.
        ok(
            &db,
            &[
                "user",
                "add",
                "--login",
                "quantri",
                "--name",
                "Quản trị hệ thống",
                "--role",
                "admin",
                "--password",
                "mat-khau-rat-dai",
            ],
        );
        for args in [
            &["demo"][..],
            &["serve", "--demo", "--addr", "127.0.0.1:0"][..],
        ] {
            let out = thidua(&db, args);
            assert!(!out.status.success(), "{args:?} must refuse");
            let said = String::from_utf8_lossy(&out.stderr);
            assert!(said.contains("đã có tài khoản người dùng"), "{said}");
        }
        assert_eq!(
            store.count_units().await.expect("units"),
            0,
            "nothing written"
        );
    }
);

thidua_store::engine_tests!(demo_people_are_found_and_sorted, |store| async move {
    let db = store.url().to_owned();
    let out = thidua(&db, &["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("http://127.0.0.1:8080/"));
    let plain = json(&db, &["person", "search", "nguyen van duc", "--json"]);
    let marked = json(&db, &["person", "search", "NGUYỄN văn đức", "--json"]);
    assert_eq!(plain, marked);
    let names: Vec<&str> = plain
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["full_name"].as_str().expect("name"))
        .collect();
    assert!(names.contains(&"Nguyễn Văn Đức"), "{names:?}");
    let d = json(&db, &["person", "search", "nguyen van d", "--json"]);
    let names: Vec<&str> = d
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["full_name"].as_str().expect("name"))
        .collect();
    let duc = names
        .iter()
        .position(|n| *n == "Nguyễn Văn Đức")
        .expect("Đức");
    let dung = names
        .iter()
        .position(|n| *n == "Nguyễn Văn Dũng")
        .expect("Dũng");
    assert!(duc < dung, "Đức sorts before Dũng: {names:?}");
});

thidua_store::engine_tests!(
    registry_decisions_and_statistics_for_scripts,
    |store| async move {
        let db = store.url().to_owned();
        ok(&db, &["demo"]);
        // The sentences of the provinces' own reports come out of the registry.
        let cao_bang = json(
            &db,
            &[
                "stats",
                "awards",
                "--issuer",
                "Chủ tịch UBND tỉnh",
                "--code",
                "BANG_KHEN_TINH",
                "--from",
                "2014",
                "--to",
                "2018",
                "--unit",
                "04",
                "--movement",
                "BGQG-CB-2014",
                "--json",
            ],
        );
        // With a movement, the sentence names it (issue 20).
        assert_eq!(
            cao_bang["sentence"],
            "Trong giai đoạn 2014 – 2018, trong phong trào thi đua «Toàn dân tham gia bảo vệ chủ quyền lãnh thổ, an ninh biên giới quốc gia trong tình hình mới» đã có 47 tập thể và 103 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen."
        );
        assert_eq!(cao_bang["total"]["individuals"], 103);
        let flags = json(
            &db,
            &[
                "stats",
                "awards",
                "--code",
                "CO_THI_DUA_CHINH_PHU",
                "--unit",
                "67",
                "--boundaries",
                "legacy",
                "--json",
            ],
        );
        let years: Vec<i64> = flags["by_year"]
            .as_array()
            .expect("years")
            .iter()
            .map(|y| y[0].as_i64().expect("year"))
            .collect();
        assert_eq!(years, [2010, 2012, 2020, 2021]);
        // The same history counted in today's boundaries: Đắk Nông is in Lâm Đồng.
        let now = json(
            &db,
            &[
                "stats",
                "awards",
                "--code",
                "CO_THI_DUA_CHINH_PHU",
                "--unit",
                "68",
                "--json",
            ],
        );
        assert_eq!(now["total"]["collectives"], 4);
        // Search without diacritics, with a typo, across the merger.
        let hoa = json(
            &db,
            &[
                "registry",
                "search",
                "nguyen thi hoa",
                "--unit",
                "68",
                "--json",
            ],
        );
        let numbers: Vec<&str> = hoa["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["decision_number"].as_str())
            .collect();
        for n in ["1630/QĐ-UBND", "1875/QĐ-UBND", "45/QĐ-UBND"] {
            assert!(numbers.contains(&n), "{n} in {numbers:?}");
        }
        let typo = json(
            &db,
            &[
                "registry",
                "search",
                "nguyne thi hao",
                "--unit",
                "68",
                "--json",
            ],
        );
        assert_eq!(typo["count"], hoa["count"]);
        assert_eq!(typo["corrections"][0][0], "nguyne");
        // Decisions for scripts, printed as files.
        let list = json(&db, &["decision", "list", "--json"]);
        assert!(
            list.as_array()
                .expect("list")
                .iter()
                .any(|d| d["number"] == "912/QĐ-TTg")
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let pdf = dir.path().join("qd.pdf");
        ok(
            &db,
            &[
                "decision",
                "render",
                "912/QĐ-TTg",
                "--format",
                "pdf",
                "-o",
                pdf.to_str().expect("path"),
            ],
        );
        let text = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("THỦ TƯỚNG CHÍNH PHỦ") && text.contains("Số: 912/QĐ-TTg"),
            "{text}"
        );
        let docx = dir.path().join("qd.docx");
        ok(
            &db,
            &[
                "decision",
                "render",
                "912/QĐ-TTg",
                "--format",
                "docx",
                "-o",
                docx.to_str().expect("path"),
            ],
        );
        let lines =
            thidua_documents::docx_text(&std::fs::read(&docx).expect("docx")).expect("read docx");
        assert!(lines.iter().any(|l| l.contains("Đắk Nông")), "{lines:?}");
        let bad = thidua(
            &db,
            &[
                "decision",
                "render",
                "912/QĐ-TTg",
                "--format",
                "odt",
                "-o",
                "x",
            ],
        );
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("chọn pdf hoặc docx"));
        let xlsx = dir.path().join("tk.xlsx");
        ok(
            &db,
            &[
                "stats",
                "awards",
                "--unit",
                "04",
                "--xlsx",
                xlsx.to_str().expect("path"),
            ],
        );
        let sheet =
            thidua_sheets::read_first(&std::fs::read(&xlsx).expect("xlsx")).expect("read xlsx");
        assert!(
            sheet[1][0].text().starts_with("Đến nay") || sheet[1][0].text().starts_with("Trong"),
            "{sheet:?}"
        );

        // Historical records: the template, a check, the import, a refusal.
        let tpl = dir.path().join("mau.xlsx");
        ok(
            &db,
            &["registry", "template", "-o", tpl.to_str().expect("path")],
        );
        let mut book =
            thidua_sheets::read_sheet(&std::fs::read(&tpl).expect("template"), "Khen thưởng")
                .expect("the records sheet");
        let header: Vec<String> = book.rows.remove(0).iter().map(|c| c.text()).collect();
        let row = |number: &str| -> Vec<thidua_sheets::Cell> {
            [
                "1",
                "Tập thể",
                "Tỉnh Đắk Nông",
                "",
                "67",
                "Bằng khen của Thủ tướng Chính phủ",
                "Thủ tướng Chính phủ",
                number,
                "20/10/2011",
                "2009",
                "2010",
                "",
                "",
            ]
            .iter()
            .map(|c| thidua_sheets::Cell::from(*c))
            .collect()
        };
        let file = dir.path().join("so-cu.xlsx");
        std::fs::write(
            &file,
            thidua_sheets::write(&[thidua_sheets::Sheet {
                name: "Khen thưởng".into(),
                header,
                rows: vec![row("1501/QĐ-TTg")],
            }])
            .expect("xlsx"),
        )
        .expect("write");
        let path = file.to_str().expect("path");
        let checked = json(&db, &["registry", "import", path, "--check", "--json"]);
        assert_eq!(checked["rows"], 1);
        assert_eq!(checked["written"], false);
        let written = json(&db, &["registry", "import", path, "--json"]);
        assert_eq!(written["written"], true);
        let again = thidua(&db, &["registry", "import", path]);
        assert_eq!(again.status.code(), Some(2));
        let err = String::from_utf8_lossy(&again.stderr);
        assert!(
            err.contains("so-cu.xlsx, trang «Khen thưởng»: dòng 2, cột 8 (H – Số quyết định)")
                && err.contains("đã có trong sổ khen thưởng"),
            "{err}"
        );
        let flags = json(
            &db,
            &[
                "stats",
                "awards",
                "--code",
                "BANG_KHEN_THU_TUONG",
                "--unit",
                "67",
                "--boundaries",
                "legacy",
                "--json",
            ],
        );
        let years: Vec<i64> = flags["by_year"]
            .as_array()
            .expect("years")
            .iter()
            .map(|y| y[0].as_i64().expect("year"))
            .collect();
        assert!(years.contains(&2011), "{years:?}");
    }
);

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["decision", "render", "--help"],
        vec!["registry", "search", "--help"],
        vec!["stats", "awards", "--help"],
        vec!["import", "admin-units", "--help"],
        vec!["org", "list", "--help"],
        vec!["org", "show", "--help"],
        vec!["org", "add", "--help"],
        vec!["org", "move", "--help"],
        vec!["org", "rename", "--help"],
        vec!["person", "search", "--help"],
        vec!["bench", "registry", "--help"],
        vec!["bench", "load", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "list", "--help"],
        vec!["token", "create", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["movement", "list", "--help"],
        vec!["movement", "import", "--help"],
        vec!["movement", "export", "--help"],
        vec!["movement", "status", "--help"],
        vec!["values", "import", "--help"],
        vec!["values", "template", "--help"],
        vec!["report", "movement", "--help"],
        vec!["bench", "rollup", "--help"],
        vec!["eligibility", "check", "--help"],
        vec!["bench", "eligibility", "--help"],
        vec!["registry", "template", "--help"],
        vec!["registry", "import", "--help"],
        vec!["bench", "search", "--help"],
        vec!["cluster", "list", "--help"],
        vec!["cluster", "ranking", "--help"],
        vec!["cluster", "create", "--help"],
        vec!["person", "add", "--help"],
        vec!["person", "show", "--help"],
        vec!["person", "transfer", "--help"],
        vec!["person", "end", "--help"],
        vec!["staff", "template", "--help"],
        vec!["staff", "import", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
            .args(&args)
            .output()
            .expect("run");
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("--db"),
            "{args:?} documents --db"
        );
    }
}

#[test]
fn a_bad_date_is_refused_in_vietnamese() {
    let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args([
            "--db",
            "sqlite::memory:",
            "org",
            "list",
            "--as-of",
            "31/02/2025",
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ngày không hợp lệ"));
}

thidua_store::engine_tests!(
    audit_verify_names_the_first_tampered_entry,
    |store| async move {
        let db = store.url().to_owned();
        let out = thidua(&db, &["demo"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let made = ok(
            &db,
            &[
                "user",
                "add",
                "--login",
                "nguoi.moi",
                "--name",
                "Người Mới",
                "--role",
                "viewer",
                "--unit",
                "68",
                "--password",
                "mat-khau-rat-dai",
            ],
        );
        assert!(made.contains("Đã tạo tài khoản nguoi.moi"), "{made}");
        let verified = ok(&db, &["audit", "verify"]);
        assert!(verified.contains("Nhật ký toàn vẹn"), "{verified}");

        // The log refuses changes through SQL…
        let tamper = "update audit_log set after_json = '{\"name\":\"giả\"}' where id = 5";
        assert!(
            store.raw_execute(tamper).await.is_err(),
            "append-only trigger"
        );
        // …so an intruder first removes the guard, then edits a row.
        let unguard = match store.engine() {
            thidua_store::Engine::Sqlite => "drop trigger audit_log_no_update",
            thidua_store::Engine::Postgres => {
                "alter table audit_log disable trigger audit_log_no_change"
            }
        };
        store.raw_execute(unguard).await.expect("drop the guard");
        assert_eq!(store.raw_execute(tamper).await.expect("tamper"), 1);
        let out = thidua(&db, &["audit", "verify"]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("mục nhật ký #5"), "{err}");
    }
);

thidua_store::engine_tests!(movements_list_report_and_take_values, |store| async move {
    let db = store.url().to_owned();
    ok(&db, &["demo"]);
    let list = json(&db, &["movement", "list", "--json"]);
    let dno = list
        .as_array()
        .expect("array")
        .iter()
        .find(|m| m["code"] == "NTM-DNO-2021")
        .expect("Đắk Nông's movement");
    for key in ["code", "name", "kind", "start", "end"] {
        assert!(!dno[key].is_null(), "{key} in {dno}");
    }
    assert_eq!(dno["start"], "2021-01-01");

    let r = json(
        &db,
        &[
            "report",
            "movement",
            "NTM-DNO-2021",
            "--unit",
            "67",
            "--as-of",
            "31/12/2023",
            "--boundaries",
            "legacy",
            "--json",
        ],
    );
    let fig = |ind: &str, rollup: &str| {
        r["figures"]
            .as_array()
            .expect("figures")
            .iter()
            .find(|f| f["indicator"] == ind && f["rollup"] == rollup)
            .cloned()
            .unwrap_or_else(|| panic!("{ind}.{rollup}"))
    };
    assert_eq!(fig("NTM", "count_ge_1")["value"], 38.0);
    assert_eq!(fig("SO_TC", "avg")["display"], "16,42");
    assert!(
        r["summary"]
            .as_str()
            .expect("sentence")
            .starts_with("Toàn tỉnh có 38/60 xã đạt chuẩn nông thôn mới")
    );

    // A CSV with one bad row is refused whole, with line and column.
    let dir = tempfile::tempdir().expect("tmp");
    let csv = dir.path().join("so-lieu.csv");
    std::fs::write(
        &csv,
        "Mã đơn vị,Kỳ,Mã chỉ tiêu,Giá trị\n24616,2026,TC01,Đạt\n24616,2026,TC02,nhiều\n",
    )
    .expect("write");
    let out = thidua(
        &db,
        &[
            "values",
            "import",
            "NTM-LD-2026",
            csv.to_str().expect("path"),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dòng 3, cột 7 (Giá trị)"), "{err}");
    std::fs::write(
        &csv,
        "Mã đơn vị,Kỳ,Mã chỉ tiêu,Giá trị\n24616,2026,TC01,Đạt\n24616,2026,TC02,Không đạt\n",
    )
    .expect("write");
    let done = ok(
        &db,
        &[
            "values",
            "import",
            "NTM-LD-2026",
            csv.to_str().expect("path"),
        ],
    );
    assert!(done.contains("Đã nhập 2 giá trị mới"), "{done}");

    // Issue 17, finding 8: `--approve` approves exactly its own file's
    // values, in the same transaction; Quảng Sơn's pending ones stay pending.
    let code = thidua_domain::movement::MovementCode::parse("NTM-LD-2026").expect("code");
    let m = store
        .movement_by_code(&code)
        .await
        .expect("q")
        .expect("movement");
    let today = time::OffsetDateTime::now_utc().date();
    let unit = |code: &'static str| async move {
        store
            .resolve_code(code, None, today)
            .await
            .expect("q")
            .expect("unit")
    };
    let (quang_son, province) = (unit("24616").await.id, unit("68").await.id);
    let before = store.value_rows(m.id, None).await.expect("values");
    // A xã of the province that has no value yet.
    let free = store
        .children_as_of(province, today)
        .await
        .expect("children")
        .into_iter()
        .find(|u| {
            u.admin_type.as_deref() == Some("xã")
                && u.id != quang_son
                && !before.iter().any(|v| v.unit == u.id)
        })
        .expect("a xã without values");
    let other = dir.path().join("xa-khac.csv");
    std::fs::write(
        &other,
        format!(
            "Mã đơn vị,Kỳ,Mã chỉ tiêu,Giá trị\n{},2026,TC01,Đạt\n",
            free.code
        ),
    )
    .expect("write");
    let done = ok(
        &db,
        &[
            "values",
            "import",
            "NTM-LD-2026",
            other.to_str().expect("path"),
            "--approve",
        ],
    );
    assert!(done.contains("Đã duyệt 1 giá trị"), "{done}");
    let rows = store.value_rows(m.id, None).await.expect("values");
    let status_of = |u| {
        rows.iter()
            .filter(|v| v.unit == u && v.period == "2026")
            .map(|v| v.status)
            .collect::<Vec<_>>()
    };
    let other_xa = free.id;
    assert!(
        status_of(quang_son)
            .iter()
            .all(|s| *s == thidua_store::ValueStatus::Submitted),
        "{:?}",
        status_of(quang_son)
    );
    assert_eq!(
        status_of(other_xa),
        vec![thidua_store::ValueStatus::Approved]
    );

    // The definition file round-trips into a new movement.
    let toml = ok(&db, &["movement", "export", "NTM-DNO-2021"]);
    let file = dir.path().join("copy.toml");
    std::fs::write(&file, toml.replace("NTM-DNO-2021", "NTM-DNO-COPY")).expect("write");
    let made = ok(&db, &["movement", "import", file.to_str().expect("path")]);
    assert!(
        made.contains("NTM-DNO-COPY") && made.contains("21 chỉ tiêu"),
        "{made}"
    );
});

#[path = "cli/documents_and_clusters.rs"]
mod documents_and_clusters;
