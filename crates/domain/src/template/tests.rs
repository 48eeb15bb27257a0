use super::*;
use proptest::prelude::*;
use time::macros::date;

#[test]
fn the_shipped_templates_pass_their_own_checks() {
    for kind in TemplateKind::ALL {
        let t = Template::parse(kind, kind.default_text()).unwrap();
        assert!(!t.used_fields().is_empty());
    }
}

#[test]
fn unknown_placeholders_are_refused_with_their_place() {
    let err = Template::parse(
        TemplateKind::Decision,
        "@trich_yeu\nVề việc {hinh_thuc}\n@than\nTặng {ten_sai} nhé\n@noi_nhan\nLưu",
    )
    .unwrap_err();
    assert_eq!(
        err,
        TemplateError::UnknownField {
            line: 4,
            column: 6,
            name: "ten_sai".into(),
            kind: "Quyết định khen thưởng"
        }
    );
    assert!(err.to_string().contains("dòng 4, cột 6"), "{err}");
    // A certificate has no legal grounds.
    assert!(matches!(
        Template::parse(TemplateKind::Certificate, "@than\n{can_cu}"),
        Err(TemplateError::UnknownField { .. })
    ));
    assert!(matches!(
        Template::parse(TemplateKind::Certificate, "@than\n{ten"),
        Err(TemplateError::Unclosed { line: 2, column: 1 })
    ));
    assert!(matches!(
        Template::parse(TemplateKind::Certificate, "@bia\n{ten}"),
        Err(TemplateError::UnknownSection { line: 1, .. })
    ));
    assert!(matches!(
        Template::parse(TemplateKind::Certificate, "Tặng\n@than"),
        Err(TemplateError::OutsideSection { line: 1 })
    ));
    assert!(matches!(
        Template::parse(TemplateKind::Decision, "@than\nx"),
        Err(TemplateError::MissingSection { name: "trich_yeu" })
    ));
}

#[test]
fn values_are_put_in_and_multi_line_values_become_paragraphs() {
    let t = Template::parse(
        TemplateKind::Decision,
        TemplateKind::Decision.default_text(),
    )
    .unwrap();
    let mut v = full_values();
    v.insert(
        "can_cu",
        "Căn cứ Nghị định số 152/2025/NĐ-CP;\nCăn cứ Quyết định số 589/QĐ-UBND;".into(),
    );
    let body = t.render("than", &v).unwrap();
    assert_eq!(body[1].text, "Căn cứ Nghị định số 152/2025/NĐ-CP;");
    assert_eq!(body[2].text, "Căn cứ Quyết định số 589/QĐ-UBND;");
    assert!(
        body.iter()
            .any(|p| p.style == ParagraphStyle::Heading && p.text == "QUYẾT ĐỊNH:")
    );
    assert!(body.iter().any(|p| p.text.starts_with(
        "Điều 1. Tặng Bằng khen của Chủ tịch UBND tỉnh cho 1 cá nhân (có danh sách kèm theo)"
    )));
    // An empty value alone on its line leaves nothing behind.
    v.insert("can_cu", String::new());
    assert_eq!(t.render("than", &v).unwrap().len(), body.len() - 2);
    assert_eq!(
        t.render("trich_yeu", &v).unwrap()[0].text,
        "Về việc tặng Bằng khen của Chủ tịch UBND tỉnh"
    );
}

fn full_values() -> Values {
    let mut v = Values::new();
    for (f, _) in TemplateKind::Decision.fields() {
        v.insert(f, format!("«{f}»"));
    }
    v.insert("hinh_thuc", "Bằng khen của Chủ tịch UBND tỉnh".into());
    v.insert("doi_tuong", "1 cá nhân".into());
    v.insert("tang", "tặng".into());
    v.insert("tang_dau_cau", "Tặng".into());
    v.insert("can_cu_phap_ly", "Căn cứ Luật;".into());
    v
}

/// A placeholder inside a sentence that would render empty is refused with
/// its line; a line of placeholders only is simply left out.
#[test]
fn an_empty_value_inside_a_sentence_is_refused() {
    let t = Template::parse(
        TemplateKind::Decision,
        "@trich_yeu\nVề việc {hinh_thuc}\n@than\nTheo đề nghị của {de_nghi_cua} và Giám đốc Sở Nội vụ.\n@noi_nhan\n{de_nghi_cua};\nLưu: VT.",
    )
    .unwrap();
    let mut v = full_values();
    v.insert("de_nghi_cua", String::new());
    let e = t.render("than", &v).unwrap_err();
    assert_eq!(
        e,
        TemplateError::EmptyField {
            line: 4,
            name: "de_nghi_cua"
        }
    );
    assert!(e.to_string().contains("dòng 4"), "{e}");
    // The recipient line alone goes away rather than print «-;».
    let recipients = t.render("noi_nhan", &v).unwrap();
    assert_eq!(recipients.len(), 1);
    assert_eq!(recipients[0].text, "Lưu: VT.");
    // Every shipped template renders whole with every value given.
    for kind in TemplateKind::ALL {
        let t = Template::parse(kind, kind.default_text()).unwrap();
        let mut v = Values::new();
        for (f, _) in kind.fields() {
            v.insert(f, format!("x{f}"));
        }
        for (s, _) in kind.sections() {
            let out = t.render(s, &v).unwrap();
            assert!(out.iter().all(|p| !p.text.contains(" và .")), "{out:?}");
        }
    }
}

#[test]
fn earlier_shipped_texts_are_known_so_they_can_be_upgraded() {
    assert!(TemplateKind::Decision.is_previous_default(defaults::PREVIOUS_DECISION_1));
    assert!(!TemplateKind::Decision.is_previous_default(TemplateKind::Decision.default_text()));
    assert!(!TemplateKind::Decision.is_previous_default("@than\nmột mẫu đã sửa"));
}

#[test]
fn dates_are_written_out_as_documents_write_them() {
    assert_eq!(
        date_in_words(date!(2026 - 11 - 20)),
        "ngày 20 tháng 11 năm 2026"
    );
    assert_eq!(
        date_in_words(date!(2026 - 02 - 05)),
        "ngày 05 tháng 02 năm 2026"
    );
    assert_eq!(
        date_in_words(date!(2026 - 03 - 09)),
        "ngày 09 tháng 3 năm 2026"
    );
}

proptest! {
    /// Whatever an administrator types, the check answers (never panics),
    /// and what it accepts renders without inventing placeholders.
    #[test]
    fn any_text_is_either_refused_or_rendered(body in "[a-zA-Zà-ỹ{}_ #@\n]{0,80}") {
        let text = format!("@than\n{body}");
        if let Ok(t) = Template::parse(TemplateKind::Certificate, &text) {
            for p in t.render("than", &Values::new()).unwrap_or_default() {
                prop_assert!(!p.text.contains('{'), "left a brace in {}", p.text);
            }
        }
    }
}
