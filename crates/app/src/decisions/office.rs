//! The office that issued a decision, read back from the decision: its
//! authority word (stored since migration 0013, inferred from the words
//! and the issuing unit for older rows), the unit it heads as it stood on
//! the decision day, and the words each office writes in its decisions.

use crate::AppResult;
use thidua_domain::eligibility::catalogue::Authority;
use thidua_domain::issuer::Office;
use thidua_domain::issuer::grounds::legal_grounds;
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::template::Values;
use thidua_domain::text::fold;
use thidua_store::{DecisionRow, Store};

/// The authority an issuer's words and unit name: a stored word wins;
/// otherwise the issuing unit's kind, then the words themselves.
pub fn issuer_kind_of(stored: Option<&str>, words: &str, unit: Option<UnitKind>) -> Authority {
    if let Some(a) = stored.and_then(|s| Authority::parse(s).ok()) {
        return a;
    }
    if let Some(k) = unit
        && let Some(o) = Office::of_unit(k, "", None)
    {
        return o.authority;
    }
    let f = fold(words);
    if f.contains("thu tuong") {
        Authority::ThuTuong
    } else if f.contains("chu tich nuoc") {
        Authority::ChuTichNuoc
    } else if f.contains("bo truong") {
        Authority::BoTruong
    } else if f.contains(" xa") || f.contains(" phuong") {
        Authority::ChuTichUbndXa
    } else if f.contains(" huyen") || f.contains(" quan") {
        Authority::ChuTichUbndHuyen
    } else if f.starts_with("chu tich") {
        Authority::ChuTichUbndTinh
    } else {
        Authority::ThuTruongCoQuan
    }
}

/// The office that issued `d`, with its unit as it stood that day.
pub async fn office_of(store: &Store, d: &DecisionRow) -> AppResult<Office> {
    let on = d.decision_date;
    let unit = match d.issuer_unit_id {
        Some(u) => store.unit(UnitId(u), on).await?,
        None => None,
    };
    let authority = issuer_kind_of(
        d.issuer_kind.as_deref(),
        &d.issuer,
        unit.as_ref().map(|u| u.kind),
    );
    let Some(u) = unit else {
        let mut o = Office::central(authority);
        if !matches!(authority, Authority::ThuTuong | Authority::ChuTichNuoc) {
            // A recorded decision of an office thidua does not hold as a
            // unit: its words are all there is.
            o.unit_name = d.issuer.clone();
        }
        return Ok(o);
    };
    let parent = if u.kind == UnitKind::Province {
        None
    } else {
        super::common::province_of(store, u.id, on)
            .await?
            .map(|p| p.name)
    };
    Ok(Office {
        authority,
        unit_name: u.name.clone(),
        parent_name: parent,
        until: u.period.until,
    })
}

/// The words an office writes in its decisions, as template values.
pub(super) struct OfficeWords;

impl OfficeWords {
    pub(super) fn fill(v: &mut Values, o: &Office, d: &DecisionRow, merit: &str) {
        let unit = &o.unit_name;
        let grounds = legal_grounds(o, d.decision_date);
        v.insert("can_cu_phap_ly", grounds.lines.join("\n"));
        let proposer = d.proposer.trim();
        let council = format!("Hội đồng Thi đua – Khen thưởng {unit}");
        let (asks, co_quan, executors, fund) = match o.authority {
            Authority::ChuTichUbndTinh => (
                if proposer.is_empty() {
                    "Theo đề nghị của Giám đốc Sở Nội vụ.".to_owned()
                } else {
                    format!("Theo đề nghị của {proposer} và Giám đốc Sở Nội vụ.")
                },
                format!("Ủy ban nhân dân {}", lower(unit)),
                "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan".to_owned(),
                "Quỹ thi đua, khen thưởng của tỉnh".to_owned(),
            ),
            Authority::ChuTichUbndXa | Authority::ChuTichUbndHuyen => (
                format!("Theo đề nghị của {}.", if proposer.is_empty() { &council } else { proposer }),
                format!("Ủy ban nhân dân {}", lower(unit)),
                format!("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {}, Thủ trưởng các cơ quan, đơn vị có liên quan", lower(unit)),
                format!("Quỹ thi đua, khen thưởng của {}", lower(unit)),
            ),
            Authority::ThuTuong => (
                if proposer.is_empty() {
                    "Xét đề nghị của Bộ trưởng Bộ Nội vụ.".to_owned()
                } else {
                    format!("Xét đề nghị của {proposer} và Bộ trưởng Bộ Nội vụ.")
                },
                "Chính phủ".to_owned(),
                "Bộ trưởng Bộ Nội vụ, Thủ trưởng các cơ quan có liên quan".to_owned(),
                "Quỹ thi đua, khen thưởng của Trung ương".to_owned(),
            ),
            Authority::ChuTichNuoc => (
                "Xét đề nghị của Thủ tướng Chính phủ.".to_owned(),
                "Văn phòng Chủ tịch nước".to_owned(),
                "Thủ tướng Chính phủ, Bộ trưởng Bộ Nội vụ, Thủ trưởng các cơ quan có liên quan".to_owned(),
                "Quỹ thi đua, khen thưởng của Trung ương".to_owned(),
            ),
            Authority::BoTruong | Authority::ThuTruongCoQuan => (
                format!("Theo đề nghị của {}.", if proposer.is_empty() { &council } else { proposer }),
                unit.clone(),
                format!("Chánh Văn phòng, Trưởng các phòng, đơn vị thuộc {unit}"),
                format!("kinh phí thi đua, khen thưởng của {unit}"),
            ),
        };
        v.insert("theo_de_nghi", asks);
        v.insert("co_quan", co_quan);
        v.insert("thi_hanh", executors);
        v.insert("quy_khen_thuong", fund);
        v.insert("thanh_tich_chung", merit.to_owned());
        let president = o.authority == Authority::ChuTichNuoc;
        v.insert(
            "tang",
            if president {
                "tặng thưởng"
            } else {
                "tặng"
            }
            .to_owned(),
        );
        v.insert(
            "tang_dau_cau",
            if president {
                "Tặng thưởng"
            } else {
                "Tặng"
            }
            .to_owned(),
        );
    }
}

fn lower(s: &str) -> String {
    super::common::lower_first(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_decisions_are_read_by_their_words_and_unit() {
        assert_eq!(
            issuer_kind_of(None, "Thủ tướng Chính phủ", None),
            Authority::ThuTuong
        );
        assert_eq!(
            issuer_kind_of(None, "Chủ tịch nước", None),
            Authority::ChuTichNuoc
        );
        assert_eq!(
            issuer_kind_of(
                None,
                "Chủ tịch Ủy ban nhân dân tỉnh",
                Some(UnitKind::Province)
            ),
            Authority::ChuTichUbndTinh
        );
        assert_eq!(
            issuer_kind_of(None, "Giám đốc", Some(UnitKind::StateAgency)),
            Authority::ThuTruongCoQuan
        );
        assert_eq!(
            issuer_kind_of(Some("chu_tich_ubnd_xa"), "?", None),
            Authority::ChuTichUbndXa
        );
    }
}
