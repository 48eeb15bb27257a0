//! The eligibility contract, documents LibreOffice opens, and clusters from
//! the command line.

use super::*;

#[test]
fn eligibility_check_reads_the_contract_and_prints_the_verdict() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("req.json");
    std::fs::write(
        &file,
        r#"{"subject": {"kind": "individual"}, "proposed": "CHIEN_SI_THI_DUA_TINH", "year": 2024, "decision_date": "2025-03-01",
            "history": {"titles": [{"year": 2022, "code": "CHIEN_SI_THI_DUA_CO_SO"}, {"year": 2023, "code": "CHIEN_SI_THI_DUA_CO_SO"},
                                   {"year": 2024, "code": "CHIEN_SI_THI_DUA_CO_SO"}],
                        "initiatives": [{"year": 2023, "scope": "tinh", "used_by": null}]}}"#,
    )
    .expect("write");
    let db = dir.path().join("x.db");
    let v = json(
        db.to_str().expect("path"),
        &["eligibility", "check", file.to_str().expect("path")],
    );
    assert_eq!(v["verdict"], "eligible", "{v}");
    assert_eq!(v["checks"][1]["article"], "Điều 22 khoản 1 Luật TĐKT 2022");
    std::fs::write(&file, r#"{"subject": {"kind": "individual"}, "proposed": "CHIEN_SI_THI_DUA_TINH", "year": 2024, "decision_date": "2025-03-01",
        "history": {"ratings": [{"year": 2024, "rating": "HTTNV"}, {"year": 2024, "rating": "HTNV"}]}}"#).expect("write");
    let out = thidua(
        db.to_str().expect("path"),
        &["eligibility", "check", file.to_str().expect("path")],
    );
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    assert_eq!(err["error"]["field"], "history.ratings[1].year");
}

thidua_store::engine_tests!(
    the_calendar_counts_working_days_and_names_holidays,
    |store| async move {
        let db = store.url().to_owned();
        // 25 working days from Monday 09/02/2026 cross Tết (16–20/02).
        assert_eq!(
            ok(&db, &["calendar", "add-working-days", "2026-02-09", "25"]).trim(),
            "2026-03-23"
        );
        assert_eq!(
            ok(&db, &["calendar", "add-working-days", "09/02/2026", "25"]).trim(),
            "23/03/2026"
        );
        assert_eq!(
            ok(&db, &["calendar", "add-working-days", "2026-02-13", "1"]).trim(),
            "2026-02-23"
        );
        let days = json(&db, &["calendar", "holidays", "2026", "--json"]);
        let days = days.as_array().expect("array");
        let find = |date: &str| {
            days.iter()
                .find(|d| d["date"] == date)
                .map(|d| d["name"].as_str().unwrap_or("").to_owned())
        };
        assert!(find("2026-02-17").expect("Tết").contains("mùng 1 Tết"));
        assert!(find("2026-04-26").expect("Giỗ Tổ").contains("Hùng Vương"));
        assert!(find("2026-04-27").expect("make-up").contains("Nghỉ bù"));
        assert!(
            find("2026-09-02")
                .expect("Quốc khánh")
                .contains("Quốc khánh")
        );
        assert_eq!(days.len(), 12, "{days:?}");
        // A bad date is refused with a message, nothing printed.
        let out = thidua(&db, &["calendar", "add-working-days", "31/02/2026", "3"]);
        assert!(!out.status.success());
        assert!(out.stdout.is_empty());
    }
);

/// LibreOffice opens what thidua writes: the spreadsheets (every sheet,
/// converted to UTF-8 CSV) and the decision as DOCX (converted to text),
/// Vietnamese intact. CI installs LibreOffice and requires this test.
#[test]
fn libreoffice_opens_the_spreadsheets_and_the_decision() {
    let soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(soffice) = soffice else {
        assert!(
            std::env::var_os("THIDUA_REQUIRE_LIBREOFFICE").is_none(),
            "THIDUA_REQUIRE_LIBREOFFICE is set but LibreOffice is not installed"
        );
        eprintln!("LibreOffice is not installed: skipped");
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    ok(&db, &["demo"]);
    let path = |name: &str| dir.path().join(name).to_str().expect("path").to_owned();
    ok(&db, &["registry", "template", "-o", &path("mau.xlsx")]);
    ok(
        &db,
        &[
            "stats",
            "awards",
            "--unit",
            "04",
            "--xlsx",
            &path("tk.xlsx"),
        ],
    );
    ok(
        &db,
        &[
            "decision",
            "render",
            "912/QĐ-TTg",
            "--format",
            "docx",
            "-o",
            &path("qd.docx"),
        ],
    );
    let convert = |to: &str, file: &str| {
        let out = Command::new(soffice)
            .arg("--headless")
            .arg("--norestore")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.path().join("profile").display()
            ))
            .args(["--convert-to", to, "--outdir"])
            .arg(dir.path())
            .arg(path(file))
            .output()
            .expect("run soffice");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // 76 = UTF-8; the last token, -1, writes every sheet to its own file.
    let csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    convert(csv, "mau.xlsx");
    convert(csv, "tk.xlsx");
    convert("txt:Text (encoded):UTF8", "qd.docx");
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect(name);
    assert!(
        read("mau-Khen thưởng.csv").starts_with("STT,Đối tượng,Họ và tên / Tên tập thể,Ngày sinh"),
        "{}",
        read("mau-Khen thưởng.csv")
    );
    assert!(read("mau-Hình thức.csv").contains("BANG_KHEN_TINH,"));
    let form = read("tk-Biểu 0602.N-BNV-TĐKT.csv");
    assert!(
        form.contains("Bằng khen của Chủ tịch UBND tỉnh,") && form.contains("Dân tộc thiểu số"),
        "{form}"
    );
    let decision = read("qd.txt");
    for must in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 912/QĐ-TTg",
        "QUYẾT ĐỊNH",
        "Bằng khen của Thủ tướng Chính phủ",
    ] {
        assert!(decision.contains(must), "«{must}» not in {decision}");
    }
}

thidua_store::engine_tests!(cluster_list_and_ranking_for_scripts, |store| async move {
    let db = store.url().to_owned();
    ok(&db, &["demo"]);
    let list = json(&db, &["cluster", "list", "--year", "2025", "--json"]);
    let blocks = list.as_array().expect("a list");
    assert_eq!(blocks.len(), 1, "{list}");
    assert_eq!(blocks[0]["code"], "CB-K1");
    assert_eq!(blocks[0]["finalised"], true);
    assert_eq!(blocks[0]["members"][0]["code"], "CB.STC");
    assert_eq!(blocks[0]["members"][0]["role"], "head");
    assert_eq!(blocks[0]["members"].as_array().expect("members").len(), 5);
    let ranking = json(
        &db,
        &["cluster", "ranking", "CB-K1", "--year", "2025", "--json"],
    );
    let order: Vec<(&str, &str)> = ranking
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                l["code"].as_str().expect("code"),
                l["total"].as_str().expect("total"),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("CB.STC", "100,2"),
            ("CB.SNV", "98"),
            ("CB.SYT", "90,6"),
            ("CB.SNNMT", "89"),
            ("CB.SGDDT", "86,4")
        ]
    );
    assert_eq!(ranking[0]["groups"][0]["points"], "67,2");
    assert_eq!(ranking[0]["stage"], "final");
    assert_eq!(
        ranking[2]["disagreements"][0],
        "I.1: tự chấm 40, trưởng khối chấm 32"
    );
    // 2026 is open, its sheet set, nobody scored yet.
    let open = json(
        &db,
        &["cluster", "ranking", "CB-K1", "--year", "2026", "--json"],
    );
    assert_eq!(open.as_array().expect("lines").len(), 0);
    let missing = thidua(&db, &["cluster", "ranking", "CB-K9", "--year", "2025"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("không có khối, cụm mã «CB-K9» năm 2025")
    );
});
