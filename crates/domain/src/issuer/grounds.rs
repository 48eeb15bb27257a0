//! Căn cứ pháp lý — the legal grounds a decision cites, chosen by its date
//! and its issuer: the organisation law of the office, then the emulation
//! law and the decree in force that day. A decision of 2008 cites the law
//! of 2003 as amended in 2005; one of 2026 the law of 2022 with Decree
//! 152/2025.

use super::Office;
use crate::eligibility::RuleSet;
use crate::eligibility::catalogue::Authority;
use time::Date;
use time::macros::date;

/// The grounds of one decision, one line per instrument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalGrounds {
    pub rule_set: RuleSet,
    pub lines: Vec<String>,
}

/// The grounds an office cites on `on`.
pub fn legal_grounds(office: &Office, on: Date) -> LegalGrounds {
    let mut lines = Vec::new();
    if let Some(org) = organisation_law(office, on) {
        lines.push(org);
    }
    let rule_set = RuleSet::for_decision(on);
    lines.extend(emulation_law(on).iter().map(|l| format!("Căn cứ {l};")));
    LegalGrounds { rule_set, lines }
}

/// The law that gives the office its powers.
fn organisation_law(office: &Office, on: Date) -> Option<String> {
    let local = if on >= date!(2025 - 07 - 01) {
        "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    } else if on >= date!(2025 - 03 - 01) {
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"
    } else if on >= date!(2016 - 01 - 01) {
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
    } else {
        "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003"
    };
    Some(match office.authority {
        Authority::ChuTichUbndTinh | Authority::ChuTichUbndHuyen | Authority::ChuTichUbndXa => {
            format!("Căn cứ {local};")
        }
        Authority::ThuTuong => {
            let law = if on >= date!(2025 - 03 - 01) {
                "Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025"
            } else if on >= date!(2016 - 04 - 01) {
                "Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015"
            } else {
                "Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001"
            };
            format!("Căn cứ {law};")
        }
        Authority::ChuTichNuoc => {
            if on >= date!(2014 - 01 - 01) {
                "Căn cứ Điều 88 và Điều 91 Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;"
                    .to_owned()
            } else {
                "Căn cứ Điều 103 và Điều 106 Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 1992 đã được sửa đổi, bổ sung một số điều theo Nghị quyết số 51/2001/QH10;".to_owned()
            }
        }
        Authority::BoTruong | Authority::ThuTruongCoQuan => format!(
            "Căn cứ quy định về chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {};",
            office.unit_name
        ),
    })
}

/// The emulation law and its decree in force on `on`.
fn emulation_law(on: Date) -> Vec<&'static str> {
    let mut v = Vec::new();
    if on >= date!(2024 - 01 - 01) {
        v.push("Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022");
        v.push(if on >= date!(2025 - 07 - 01) {
            "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng"
        } else {
            "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng"
        });
        return v;
    }
    v.push(if on >= date!(2014 - 06 - 01) {
        "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013"
    } else if on >= date!(2006 - 01 - 01) {
        "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005"
    } else {
        "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003"
    });
    v.push(if on >= date!(2017 - 10 - 01) {
        "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng"
    } else if on >= date!(2014 - 09 - 01) {
        "Nghị định số 65/2014/NĐ-CP ngày 01 tháng 7 năm 2014 của Chính phủ quy định chi tiết thi hành Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng năm 2013"
    } else if on >= date!(2010 - 06 - 01) {
        "Nghị định số 42/2010/NĐ-CP ngày 15 tháng 4 năm 2010 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng"
    } else {
        "Nghị định số 121/2005/NĐ-CP ngày 30 tháng 9 năm 2005 của Chính phủ quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng"
    });
    v
}
