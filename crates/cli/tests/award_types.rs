//! Awards of every type and issuer from the command line: statistics by
//! movement and by kind of office, a movement's period report, and the
//! engine judging a thematic award and a deciding authority.

mod common;

use common::{json, ok, thidua};
use std::io::Write;

thidua_store::engine_tests!(
    statistics_by_movement_and_issuer_and_period_reports,
    |store| async move {
        let db = store.url().to_owned();
        ok(&db, &["demo"]);
        // Cao Bằng's border movement, 2014–2018: the sentence names it.
        let s = json(
            &db,
            &[
                "stats",
                "awards",
                "--movement",
                "BGQG-CB-2014",
                "--from",
                "2014",
                "--to",
                "2018",
                "--json",
            ],
        );
        let sentence = s["sentence"].as_str().expect("sentence");
        assert!(
            sentence.contains("trong phong trào thi đua «")
                && sentence.contains("47 tập thể và 103 cá nhân"),
            "{sentence}"
        );
        // The heads' Giấy khen of 2025: the director's three, the ward
        // chairman's two.
        let by_kind = |kind: &str| {
            json(
                &db,
                &[
                    "stats",
                    "awards",
                    "--code",
                    "GIAY_KHEN",
                    "--from",
                    "2025",
                    "--to",
                    "2025",
                    "--issuer-kind",
                    kind,
                    "--json",
                ],
            )["total"]["individuals"]
                .as_i64()
                .expect("count")
        };
        assert_eq!(by_kind("thu_truong_co_quan"), 3);
        assert_eq!(by_kind("chu_tich_ubnd_xa"), 2);
        assert_eq!(by_kind("chu_tich_ubnd_tinh"), 0);
        let bad = thidua(&db, &["stats", "awards", "--issuer-kind", "vua", "--json"]);
        assert!(!bad.status.success());
        // A movement's period: each year from that year's values only.
        let r = json(
            &db,
            &[
                "report",
                "movement",
                "NTM-CB-2016",
                "--unit",
                "04",
                "--from",
                "2016",
                "--to",
                "2018",
                "--json",
            ],
        );
        assert!(
            r["sentence"]
                .as_str()
                .expect("sentence")
                .starts_with("Giai đoạn 2016 – 2018, phong trào «"),
            "{r}"
        );
        let first = &r["figures"][0];
        assert_eq!(first["years"].as_array().map(Vec::len), Some(3), "{r}");
        assert_eq!(first["total_display"], "15", "{r}");
        let outside = thidua(
            &db,
            &[
                "report",
                "movement",
                "NTM-CB-2016",
                "--from",
                "2010",
                "--to",
                "2018",
            ],
        );
        assert!(!outside.status.success());
        assert!(String::from_utf8_lossy(&outside.stderr).contains("2016 – "));
    }
);

fn check(request: &serde_json::Value) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["eligibility", "check", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.to_string().as_bytes())
        .expect("write");
    child.wait_with_output().expect("output")
}

#[test]
fn the_engine_judges_a_thematic_award_and_its_authority() {
    let mut req = serde_json::json!({
        "subject": {"kind": "individual"}, "proposed": "GIAY_KHEN", "year": 2025,
        "decision_date": "2025-12-01", "award_type": "thematic",
        "achievement": {"kind": "movement", "movement": "Thi đua", "movement_level": "co_so",
                        "recognised_at": "tong_ket", "period_from": 2025, "period_to": 2025},
        "decided_by": {"authority": "chu_tich_ubnd_huyen"}
    });
    let out = check(&req);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("verdict");
    assert_eq!(v["verdict"], "not_eligible", "{v}");
    assert!(v.to_string().contains("cấp huyện"), "{v}");
    req["decided_by"]["authority"] = "chu_tich_ubnd_xa".into();
    let v: serde_json::Value = serde_json::from_slice(&check(&req).stdout).expect("verdict");
    assert_eq!(v["verdict"], "eligible", "{v}");
    req.as_object_mut().expect("object").remove("achievement");
    let out = check(&req);
    assert!(!out.status.success());
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).expect("error");
    assert_eq!(e["error"]["field"], "achievement", "{e}");
}
