//! The documents as their readers get them: PDF text through poppler's
//! pdftotext, DOCX text from its XML, both with Vietnamese intact.

use crate::*;
use thidua_domain::template::{ParagraphStyle, Template, TemplateKind, Values};

fn sample() -> DecisionDoc {
    let t = Template::parse(
        TemplateKind::Decision,
        TemplateKind::Decision.default_text(),
    )
    .unwrap();
    let mut v = Values::new();
    v.insert(
        "hinh_thuc",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh".into(),
    );
    v.insert(
        "can_cu",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 16 tháng 6 năm 2025 của Chính phủ;".into(),
    );
    v.insert("de_nghi_cua", "Chủ tịch UBND phường Nam Gia Nghĩa".into());
    v.insert("doi_tuong", "1 tập thể và 2 cá nhân".into());
    v.insert("muc_luong_co_so", "2.340.000 đồng".into());
    v.insert("tong_tien_thuong", "8.300.000 đồng".into());
    v.insert("tang", "tặng".into());
    v.insert("tang_dau_cau", "Tặng".into());
    v.insert(
        "can_cu_phap_ly",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\nCăn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;".into(),
    );
    v.insert(
        "theo_de_nghi",
        "Theo đề nghị của Chủ tịch UBND phường Nam Gia Nghĩa và Giám đốc Sở Nội vụ.".into(),
    );
    v.insert(
        "thanh_tich_chung",
        "đã có thành tích xuất sắc trong công tác, góp phần vào sự nghiệp xây dựng và phát triển của tỉnh".into(),
    );
    v.insert(
        "quy_khen_thuong",
        "Quỹ thi đua, khen thưởng của tỉnh".into(),
    );
    v.insert(
        "thi_hanh",
        "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan".into(),
    );
    let row = |name: &str, detail: &str, bonus: &str| ListRow {
        name: name.into(),
        detail: detail.into(),
        achievement: "Đã hoàn thành xuất sắc nhiệm vụ năm 2024 và 2025".into(),
        bonus: bonus.into(),
    };
    DecisionDoc {
        heading: Heading {
            body: vec!["ỦY BAN NHÂN DÂN".into(), "TỈNH LÂM ĐỒNG".into()],
            number: "123/QĐ-UBND".into(),
            place: "Lâm Đồng".into(),
            date_words: "ngày 20 tháng 11 năm 2026".into(),
        },
        summary: paras(&t.render("trich_yeu", &v).unwrap()),
        authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG".into(),
        body: paras(&t.render("than", &v).unwrap()),
        recipients: t
            .render("noi_nhan", &v)
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect(),
        signature: Signature {
            capacity: vec!["KT. CHỦ TỊCH".into(), "PHÓ CHỦ TỊCH".into()],
            name: "Nguyễn Thị Minh".into(),
        },
        list: Some(AwardList {
            title: "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH".into(),
            subtitle: "(Kèm theo Quyết định số 123/QĐ-UBND ngày 20/11/2026 của Chủ tịch UBND tỉnh Lâm Đồng)".into(),
            groups: vec![
                ListGroup {
                    heading: "I. TẬP THỂ".into(),
                    rows: vec![row("Phòng Văn hóa – Xã hội", "UBND phường Nam Gia Nghĩa", "3.600.000")],
                },
                ListGroup {
                    heading: "II. CÁ NHÂN".into(),
                    rows: vec![
                        row("Bà H'Hen Niê", "Chuyên viên, UBND phường Nam Gia Nghĩa", "2.400.000"),
                        row("Ông Trần Văn Đức", "Công chức Tư pháp – Hộ tịch", "2.400.000"),
                    ],
                },
            ],
            total: "Tổng cộng: 8.400.000 đồng".into(),
        }),
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is installed by scripts/test.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Column positions depend on the font; the words and their order do not.
    // Pages end in a form feed; it shows as a line of its own.
    String::from_utf8(out.stdout)
        .unwrap()
        .replace('\u{c}', "\n[hết trang]\n")
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_decision_pdf_reads_back_in_vietnamese() {
    let fonts = Fonts::load(None).unwrap();
    let pdf = decision_pdf(&sample(), &fonts).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for must in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 123/QĐ-UBND",
        "Lâm Đồng, ngày 20 tháng 11 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "Nơi nhận:",
        "Nguyễn Thị Minh",
        "Bà H'Hen Niê",
        "Tổng cộng: 8.400.000 đồng",
    ] {
        assert!(text.contains(must), "«{must}» missing from:\n{text}");
    }
    insta::assert_snapshot!("decision_pdf_text", text);
}

#[test]
fn the_decision_docx_says_the_same() {
    let docx = decision_docx(&sample()).unwrap();
    let text = docx_text(&docx).unwrap().join("\n");
    insta::assert_snapshot!("decision_docx_text", text);
}

#[test]
fn certificates_are_one_page_each() {
    let fonts = Fonts::load(None).unwrap();
    let t = Template::parse(
        TemplateKind::Certificate,
        TemplateKind::Certificate.default_text(),
    )
    .unwrap();
    let certs: Vec<CertificateDoc> = ["Bà H'Hen Niê", "Ông Trần Văn Đức"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut v = Values::new();
            v.insert(
                "nguoi_co_tham_quyen",
                "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG".into(),
            );
            v.insert("ten", (*name).into());
            v.insert(
                "chuc_vu_don_vi",
                "UBND phường Nam Gia Nghĩa, tỉnh Lâm Đồng".into(),
            );
            v.insert(
                "thanh_tich",
                "xuất sắc trong công tác năm 2024 và 2025".into(),
            );
            let body = t.render("than", &v).unwrap();
            assert_eq!(body[2].style, ParagraphStyle::Title);
            CertificateDoc {
                form_title: "BẰNG KHEN".into(),
                body: paras(&body),
                place_date: "Lâm Đồng, ngày 20 tháng 11 năm 2026".into(),
                signature: Signature {
                    capacity: vec!["KT. CHỦ TỊCH".into(), "PHÓ CHỦ TỊCH".into()],
                    name: "Nguyễn Thị Minh".into(),
                },
                reference: vec![
                    "Quyết định số 123/QĐ-UBND ngày 20/11/2026".into(),
                    format!("Số sổ: 123-{:02}", i + 1),
                ],
            }
        })
        .collect();
    let pdf = certificates_pdf(&certs, &fonts).unwrap();
    let text = pdf_text(&pdf);
    assert_eq!(text.matches("BẰNG KHEN").count(), 2, "{text}");
    assert_eq!(text.matches("[hết trang]").count(), 2, "two pages: {text}");
    insta::assert_snapshot!("certificates_pdf_text", text);
}
