use super::*;
use thidua_store::SubjectRef;

#[test]
fn place_names_drop_the_level_word() {
    assert_eq!(place_name("Tỉnh Lâm Đồng"), "Lâm Đồng");
    assert_eq!(place_name("Thành phố Hà Nội"), "Hà Nội");
}

/// A PDF's words, as poppler's pdftotext reads them.
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Called by the dossier walk once its decision is issued: the decision is
/// a record with its number, bonus and documents, and a later decision can
/// take an award back while the registry keeps both.
pub(crate) async fn the_issued_decision_prints_and_can_be_revoked(
    store: &Store,
    dossier: thidua_domain::dossier::DossierId,
    person: i64,
    today: Date,
) {
    let d = store
        .dossier_decision(dossier)
        .await
        .unwrap()
        .expect("a decision record");
    assert_eq!(d.number, "123/QĐ-UBND");
    assert_eq!(d.serial, Some(123));
    assert_eq!(d.base_salary_vnd, Some(2_340_000));
    assert_eq!(d.lines, 1);
    let lines = store.decision_lines(d.id).await.unwrap();
    assert_eq!(lines[0].subject_name, "H'Hen Niê");
    let text = pdf_text(&render(store, d.id, Format::Pdf).await.unwrap());
    for must in [
        "Số: 123/QĐ-UBND",
        "TỈNH THỬ",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THỬ",
        "Thử, ngày 18 tháng 11 năm 2026",
        "Điều 1. Tặng Bằng khen của Chủ tịch UBND tỉnh cho 1 cá nhân",
        "Phạm Thị Minh",
        "H'Hen Niê",
    ] {
        assert!(text.contains(must), "«{must}» not in {text}");
    }
    let docx = render(store, d.id, Format::Docx).await.unwrap();
    let paras = thidua_documents::docx_text(&docx).unwrap().join("\n");
    assert!(paras.contains("Số: 123/QĐ-UBND"), "{paras}");
    let certs = pdf_text(&certificates(store, d.id).await.unwrap());
    assert!(
        certs.contains("BẰNG KHEN") && certs.contains("H'Hen Niê"),
        "{certs}"
    );
    assert!(certs.contains("Số vào sổ: 123-01"), "{certs}");

    // The next provincial decision takes 124 when the number is left blank.
    let who = Who::system("test");
    let revocation = Amendment {
        kind: DecisionKind::Revocation,
        refers_to: d.id,
        awards: vec![lines[0].award_id],
        titles: Vec::new(),
        achievement: None,
        number: String::new(),
        date: today,
        signer: "Phạm Thị Minh".into(),
        signer_title: "Phó Chủ tịch".into(),
        reason: String::new(),
    };
    let err = amend(store, &who, today, &revocation).await.unwrap_err();
    assert!(err.to_string().contains("lý do"), "{err}");
    let r = amend(
        store,
        &who,
        today,
        &Amendment {
            reason: "Khai man thành tích (điểm a)".into(),
            ..revocation
        },
    )
    .await
    .unwrap();
    let rd = store.decision(r).await.unwrap().unwrap();
    assert_eq!(rd.number, "124/QĐ-UBND");
    assert_eq!(rd.refers_to, Some(d.id.0));
    // Both decisions stay; the award is revoked and names its revocation.
    let reg = store.registry(SubjectRef::Person(person)).await.unwrap();
    let a = reg
        .awards
        .iter()
        .find(|a| a.code == "BANG_KHEN_TINH")
        .unwrap();
    assert!(a.revoked);
    let text = pdf_text(&render(store, r, Format::Pdf).await.unwrap());
    assert!(text.contains("Hủy bỏ việc tặng"), "{text}");
    assert!(
        text.contains("Quyết định số 123/QĐ-UBND ngày 18/11/2026"),
        "{text}"
    );
    // A revoked line cannot be revoked twice.
    let again = Amendment {
        kind: DecisionKind::Revocation,
        refers_to: d.id,
        awards: vec![lines[0].award_id],
        titles: Vec::new(),
        achievement: None,
        number: String::new(),
        date: today,
        signer: "x".into(),
        signer_title: String::new(),
        reason: "lần hai".into(),
    };
    assert!(amend(store, &who, today, &again).await.is_err());
}
