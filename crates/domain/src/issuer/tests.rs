use super::grounds::legal_grounds;
use super::*;
use crate::eligibility::RuleSet;

fn province() -> Office {
    Office::of_unit(UnitKind::Province, "tỉnh Lâm Đồng", None).expect("office")
}

fn department() -> Office {
    Office::of_unit(UnitKind::StateAgency, "Sở Nội vụ", Some("tỉnh Lâm Đồng")).expect("office")
}

fn commune() -> Office {
    Office::of_unit(UnitKind::Commune, "xã Quảng Sơn", Some("tỉnh Lâm Đồng")).expect("office")
}

#[test]
fn each_office_heads_its_decision_and_signs_as_itself() {
    let p = province();
    assert_eq!(p.heading(), ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]);
    assert_eq!(p.authority_line(), "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG");
    assert_eq!(
        p.signature("Phó Chủ tịch"),
        ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    );
    assert_eq!(p.signature("Chủ tịch"), ["CHỦ TỊCH"]);
    assert_eq!(p.place(), "Lâm Đồng");
    let d = department();
    assert_eq!(d.name(), "Giám đốc Sở Nội vụ");
    assert_eq!(d.heading(), ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"]);
    assert_eq!(d.signature(""), ["GIÁM ĐỐC"]);
    assert_eq!(
        d.signature("Phó Giám đốc"),
        ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    );
    assert_eq!(d.symbol(), "QĐ-SNV");
    let finance =
        Office::of_unit(UnitKind::StateAgency, "Sở Tài chính tỉnh Cao Bằng", None).expect("office");
    assert_eq!(finance.symbol(), "QĐ-STC");
    assert_eq!(d.place(), "Lâm Đồng");
    let c = commune();
    assert_eq!(c.authority_line(), "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ QUẢNG SƠN");
    assert_eq!(c.place(), "Quảng Sơn");
    let pm = Office::central(Authority::ThuTuong);
    assert_eq!(pm.heading(), ["THỦ TƯỚNG CHÍNH PHỦ"]);
    assert_eq!(
        pm.signature("Phó Thủ tướng"),
        ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"]
    );
    assert_eq!(pm.symbol(), "QĐ-TTg");
    let president = Office::central(Authority::ChuTichNuoc);
    assert_eq!(president.heading(), ["CHỦ TỊCH NƯỚC"]);
    assert_eq!(president.signature(""), ["CHỦ TỊCH NƯỚC"]);
    assert_eq!(president.place(), "Hà Nội");
    assert!(Office::of_unit(UnitKind::Village, "thôn 1", None).is_none());
    let school =
        Office::of_unit(UnitKind::PublicService, "Trường THPT Đắk Mil", None).expect("school");
    assert_eq!(school.head_title(), "Hiệu trưởng");
}

/// Điều 80 Luật TĐKT 2022; Nghị định 129/2025/NĐ-CP from 01/07/2025.
#[test]
fn the_commune_chairman_gained_the_district_powers_on_1_july_2025() {
    let c = commune();
    let before = date!(2025 - 06 - 30);
    let after = date!(2025 - 07 - 01);
    assert!(c.may_decide(AwardCode::GiayKhen, before).is_ok());
    assert!(c.may_decide(AwardCode::LaoDongTienTien, before).is_ok());
    let e = c
        .may_decide(AwardCode::ChienSiThiDuaCoSo, before)
        .expect_err("not yet");
    assert!(e.to_string().contains("Điều 80"), "{e}");
    assert!(c.may_decide(AwardCode::ChienSiThiDuaCoSo, after).is_ok());
    assert!(
        c.may_decide(AwardCode::TapTheLaoDongTienTien, after)
            .is_ok()
    );
    assert!(c.may_decide(AwardCode::BangKhenTinh, after).is_err());
}

#[test]
fn a_district_chairman_decides_nothing_after_the_district_level_ended() {
    let d = Office::of_unit(UnitKind::District, "huyện Đắk Mil", Some("tỉnh Đắk Nông"))
        .expect("district");
    assert!(
        d.may_decide(AwardCode::GiayKhen, date!(2025 - 06 - 30))
            .is_ok()
    );
    let e = d
        .may_decide(AwardCode::GiayKhen, date!(2025 - 07 - 01))
        .expect_err("gone");
    assert!(matches!(e, CompetenceError::LevelGone { .. }), "{e}");
}

#[test]
fn an_office_whose_unit_ended_issues_nothing_after() {
    let mut c = commune();
    c.until = Some(date!(2025 - 07 - 01));
    assert!(
        c.may_decide(AwardCode::GiayKhen, date!(2025 - 06 - 01))
            .is_ok()
    );
    assert!(matches!(
        c.may_decide(AwardCode::GiayKhen, date!(2025 - 08 - 01)),
        Err(CompetenceError::UnitEnded { .. })
    ));
}

/// Điều 78 (Chủ tịch nước), Điều 79 (Thủ tướng), Điều 80 (bộ, tỉnh, cơ sở).
#[test]
fn forms_stay_with_their_authority() {
    let on = date!(2026 - 01 - 10);
    let p = province();
    assert!(p.may_decide(AwardCode::BangKhenTinh, on).is_ok());
    let e = p
        .may_decide(AwardCode::BangKhenThuTuong, on)
        .expect_err("a province does not give the PM's");
    assert!(e.to_string().contains("Điều 80"), "{e}");
    assert!(p.may_decide(AwardCode::GiayKhen, on).is_err());
    let d = department();
    assert!(d.may_decide(AwardCode::GiayKhen, on).is_ok());
    assert!(d.may_decide(AwardCode::BangKhenTinh, on).is_err());
    let pm = Office::central(Authority::ThuTuong);
    assert!(pm.may_decide(AwardCode::BangKhenThuTuong, on).is_ok());
    assert!(
        pm.may_decide(AwardCode::HuanChuongLaoDongHangBa, on)
            .is_err()
    );
    let president = Office::central(Authority::ChuTichNuoc);
    assert!(
        president
            .may_decide(AwardCode::HuanChuongLaoDongHangBa, on)
            .is_ok()
    );
}

#[test]
fn grounds_follow_the_decision_date() {
    let g = legal_grounds(&province(), date!(2008 - 05 - 12));
    assert_eq!(g.rule_set, RuleSet::Law2013);
    let all = g.lines.join("\n");
    assert!(all.contains("ngày 26 tháng 11 năm 2003"), "{all}");
    assert!(all.contains("14 tháng 6 năm 2005"), "{all}");
    assert!(all.contains("121/2005/NĐ-CP"), "{all}");
    assert!(!all.contains("2022"), "{all}");
    assert!(
        all.contains("Hội đồng nhân dân và Ủy ban nhân dân"),
        "{all}"
    );
    let g = legal_grounds(&province(), date!(2024 - 12 - 20));
    let all = g.lines.join("\n");
    assert!(
        all.contains("15 tháng 6 năm 2022") && all.contains("98/2023/NĐ-CP"),
        "{all}"
    );
    assert!(!all.contains("152/2025"), "{all}");
    let g = legal_grounds(&department(), date!(2026 - 01 - 10));
    let all = g.lines.join("\n");
    assert!(all.contains("152/2025/NĐ-CP"), "{all}");
    assert!(all.contains("cơ cấu tổ chức của Sở Nội vụ"), "{all}");
    assert!(!all.contains("98/2023"), "{all}");
    let g = legal_grounds(&Office::central(Authority::ThuTuong), date!(2026 - 01 - 10));
    assert!(
        g.lines[0].contains("Luật Tổ chức Chính phủ"),
        "{:?}",
        g.lines
    );
    for l in &legal_grounds(&commune(), date!(2019 - 03 - 01)).lines {
        assert!(l.starts_with("Căn cứ ") && l.ends_with(';'), "{l}");
    }
}
