//! Người có thẩm quyền quyết định khen thưởng — the issuing offices.
//!
//! An issuer is an office held in a unit (Chủ tịch UBND tỉnh, Chủ tịch UBND
//! xã, Giám đốc Sở…, Thủ tướng Chính phủ, Chủ tịch nước). The office decides
//! what a decision looks like — its heading, the authority line under the
//! word QUYẾT ĐỊNH, the signature block, the legal grounds of its era — and
//! what it may give (its competence), which changed on 01/07/2025 when the
//! district level was removed.

pub mod grounds;

use crate::eligibility::AwardCode;
use crate::eligibility::catalogue::Authority;
use crate::org::UnitKind;
use time::Date;
use time::macros::date;

/// The day the district level ended and communes took over part of its
/// powers (Nghị định 129/2025/NĐ-CP, Nghị định 152/2025/NĐ-CP).
pub const TWO_LEVEL_FROM: Date = date!(2025 - 07 - 01);

/// An office that issues decisions, with the unit it heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub authority: Authority,
    /// The unit's name ("tỉnh Lâm Đồng", "Sở Nội vụ", "xã Quảng Sơn");
    /// empty for the Prime Minister and the President.
    pub unit_name: String,
    /// The province the unit stands in, for an agency's heading
    /// ("tỉnh Lâm Đồng").
    pub parent_name: Option<String>,
    /// The day the office's unit ended (merged, dissolved), if it did.
    pub until: Option<Date>,
}

/// Why an office may not issue a decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompetenceError {
    #[error(
        "{office} không còn thẩm quyền từ ngày {until}: cấp huyện đã kết thúc hoạt động (Nghị định 129/2025/NĐ-CP)"
    )]
    LevelGone { office: String, until: String },
    #[error("{office} đã kết thúc hoạt động từ ngày {until}")]
    UnitEnded { office: String, until: String },
    #[error("{office} không có thẩm quyền tặng {form} ({article})")]
    AboveCompetence {
        office: String,
        form: String,
        article: String,
    },
}

impl Office {
    /// The office held in a unit of this kind, if such a unit issues
    /// decisions at all (a village does not).
    pub fn of_unit(kind: UnitKind, unit_name: &str, parent_name: Option<&str>) -> Option<Office> {
        let authority = match kind {
            UnitKind::Province => Authority::ChuTichUbndTinh,
            UnitKind::District => Authority::ChuTichUbndHuyen,
            UnitKind::Commune => Authority::ChuTichUbndXa,
            UnitKind::Village => return None,
            _ => Authority::ThuTruongCoQuan,
        };
        Some(Office {
            authority,
            unit_name: unit_name.trim().to_owned(),
            parent_name: parent_name.map(|p| p.trim().to_owned()),
            until: None,
        })
    }

    pub fn central(authority: Authority) -> Office {
        Office {
            authority,
            unit_name: String::new(),
            parent_name: None,
            until: None,
        }
    }

    /// The head's title, as a signature writes it ("Chủ tịch", "Giám đốc",
    /// "Thủ tướng", "Chủ tịch nước", "Hiệu trưởng").
    pub fn head_title(&self) -> &'static str {
        match self.authority {
            Authority::ChuTichUbndTinh | Authority::ChuTichUbndHuyen | Authority::ChuTichUbndXa => {
                "Chủ tịch"
            }
            Authority::ThuTuong => "Thủ tướng",
            Authority::ChuTichNuoc => "Chủ tịch nước",
            Authority::BoTruong => "Bộ trưởng",
            Authority::ThuTruongCoQuan => agency_head(&self.unit_name),
        }
    }

    /// The office in words, as a sentence names it ("Chủ tịch Ủy ban nhân
    /// dân tỉnh Lâm Đồng", "Giám đốc Sở Nội vụ", "Thủ tướng Chính phủ").
    pub fn name(&self) -> String {
        if self.unit_name.is_empty()
            && !matches!(self.authority, Authority::ThuTuong | Authority::ChuTichNuoc)
        {
            return self.authority.label().to_owned();
        }
        match self.authority {
            Authority::ChuTichUbndTinh | Authority::ChuTichUbndHuyen | Authority::ChuTichUbndXa => {
                format!("Chủ tịch Ủy ban nhân dân {}", lower_first(&self.unit_name))
            }
            Authority::ThuTuong => "Thủ tướng Chính phủ".to_owned(),
            Authority::ChuTichNuoc => "Chủ tịch nước Cộng hòa xã hội chủ nghĩa Việt Nam".to_owned(),
            Authority::BoTruong | Authority::ThuTruongCoQuan => {
                format!("{} {}", self.head_title(), self.unit_name)
            }
        }
    }

    /// The body that issues, in capitals, one line per element, as the
    /// top left of the page shows it.
    pub fn heading(&self) -> Vec<String> {
        match self.authority {
            Authority::ChuTichUbndTinh | Authority::ChuTichUbndHuyen | Authority::ChuTichUbndXa => {
                vec!["ỦY BAN NHÂN DÂN".to_owned(), self.unit_name.to_uppercase()]
            }
            Authority::ThuTuong => vec!["THỦ TƯỚNG CHÍNH PHỦ".to_owned()],
            Authority::ChuTichNuoc => vec!["CHỦ TỊCH NƯỚC".to_owned()],
            Authority::BoTruong => vec![self.unit_name.to_uppercase()],
            Authority::ThuTruongCoQuan => {
                let mut v = Vec::new();
                if let Some(p) = &self.parent_name {
                    v.push(format!("UBND {}", p.to_uppercase()));
                }
                v.push(self.unit_name.to_uppercase());
                v
            }
        }
    }

    /// The authority line under the word QUYẾT ĐỊNH.
    pub fn authority_line(&self) -> String {
        self.name().to_uppercase()
    }

    /// Where the decision is signed ("Lâm Đồng", "Hà Nội").
    pub fn place(&self) -> String {
        match self.authority {
            Authority::ThuTuong | Authority::ChuTichNuoc | Authority::BoTruong => {
                "Hà Nội".to_owned()
            }
            Authority::ThuTruongCoQuan => self
                .parent_name
                .as_deref()
                .map_or_else(|| self.unit_name.clone(), place_of),
            _ => place_of(&self.unit_name),
        }
    }

    /// The document symbol of its decisions (QĐ-UBND, QĐ-TTg, QĐ-CTN; an
    /// agency writes its own initials: Sở Nội vụ → QĐ-SNV).
    pub fn symbol(&self) -> String {
        match self.authority {
            Authority::ChuTichUbndTinh | Authority::ChuTichUbndHuyen | Authority::ChuTichUbndXa => {
                "QĐ-UBND".to_owned()
            }
            Authority::ThuTuong => "QĐ-TTg".to_owned(),
            Authority::ChuTichNuoc => "QĐ-CTN".to_owned(),
            Authority::BoTruong | Authority::ThuTruongCoQuan => {
                // "Sở Tài chính tỉnh Cao Bằng" signs as Sở Tài chính: QĐ-STC.
                let folded = crate::text::fold(&self.unit_name);
                let own = [" tinh ", " thanh pho "]
                    .iter()
                    .filter_map(|w| folded.find(w))
                    .min()
                    .map_or(folded.as_str(), |i| &folded[..i]);
                let initials: String = own
                    .split_whitespace()
                    .filter_map(|w| w.chars().next())
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
                format!(
                    "QĐ-{}",
                    if initials.is_empty() {
                        "CQ".into()
                    } else {
                        initials
                    }
                )
            }
        }
    }

    /// The signature block: the head signs as their office; a deputy signs
    /// "KT." (on behalf of) the head, with their own title beneath.
    pub fn signature(&self, signer_title: &str) -> Vec<String> {
        let head = self.head_title().to_uppercase();
        let t = signer_title.trim();
        if t.starts_with("Phó ") || t.starts_with("phó ") || t.starts_with("PHÓ ") {
            vec![format!("KT. {head}"), format!("PHÓ {head}")]
        } else {
            vec![head]
        }
    }

    /// Whether the office may decide `code` on `on`: it still exists, and
    /// the form is within its competence as the law stood that day.
    pub fn may_decide(&self, code: AwardCode, on: Date) -> Result<(), CompetenceError> {
        if self.authority == Authority::ChuTichUbndHuyen && on >= TWO_LEVEL_FROM {
            return Err(CompetenceError::LevelGone {
                office: self.name(),
                until: crate::VnDate(TWO_LEVEL_FROM).to_string(),
            });
        }
        if let Some(u) = self.until
            && on >= u
        {
            return Err(CompetenceError::UnitEnded {
                office: self.name(),
                until: crate::VnDate(u).to_string(),
            });
        }
        if competence(self.authority, on).contains(&code) {
            Ok(())
        } else {
            Err(CompetenceError::AboveCompetence {
                office: self.name(),
                form: code.to_string(),
                article: competence_article(self.authority, on).to_owned(),
            })
        }
    }
}

/// The forms and titles an authority gives, as the law stood on `on`
/// (Luật TĐKT 2022 Điều 78–80; from 01/07/2025 the commune chairman also
/// gives what the district chairman gave: Nghị định 129/2025/NĐ-CP).
pub fn competence(a: Authority, on: Date) -> &'static [AwardCode] {
    use AwardCode::*;
    match a {
        Authority::ChuTichNuoc => &[
            HuanChuongLaoDongHangBa,
            HuanChuongLaoDongHangNhi,
            HuanChuongLaoDongHangNhat,
            HuanChuongDocLapHangBa,
            HuanChuongDocLapHangNhi,
            HuanChuongDocLapHangNhat,
            HuyChuongChienSiVeVangHangBa,
            HuyChuongChienSiVeVangHangNhi,
            HuyChuongChienSiVeVangHangNhat,
            HuanChuongHuuNghi,
            HuyChuongHuuNghi,
        ],
        Authority::ThuTuong => &[BangKhenThuTuong, CoThiDuaChinhPhu, ChienSiThiDuaToanQuoc],
        Authority::ChuTichUbndTinh | Authority::BoTruong => &[
            BangKhenTinh,
            CoThiDuaTinh,
            ChienSiThiDuaTinh,
            TapTheLaoDongXuatSac,
        ],
        Authority::ChuTichUbndHuyen if on < TWO_LEVEL_FROM => &[
            GiayKhen,
            LaoDongTienTien,
            ChienSiThiDuaCoSo,
            TapTheLaoDongTienTien,
        ],
        Authority::ChuTichUbndHuyen => &[],
        Authority::ChuTichUbndXa if on < TWO_LEVEL_FROM => &[GiayKhen, LaoDongTienTien],
        Authority::ChuTichUbndXa | Authority::ThuTruongCoQuan => &[
            GiayKhen,
            LaoDongTienTien,
            ChienSiThiDuaCoSo,
            TapTheLaoDongTienTien,
        ],
    }
}

/// The article a competence rests on, in the instrument of its day.
pub fn competence_article(a: Authority, on: Date) -> &'static str {
    let old = on < date!(2024 - 01 - 01);
    match a {
        _ if old => "Luật TĐKT 2003 (sửa đổi 2013), Chương IV",
        Authority::ChuTichUbndXa | Authority::ChuTichUbndHuyen if on >= TWO_LEVEL_FROM => {
            "Điều 80 Luật TĐKT 2022, Nghị định 129/2025/NĐ-CP"
        }
        Authority::ChuTichNuoc => "Điều 78 Luật TĐKT 2022",
        Authority::ThuTuong => "Điều 79 Luật TĐKT 2022",
        _ => "Điều 80 Luật TĐKT 2022",
    }
}

/// The head of an agency by the word its name begins with.
fn agency_head(unit_name: &str) -> &'static str {
    let folded = crate::text::fold(unit_name);
    let starts = |w: &str| folded.starts_with(w);
    if starts("so ") || starts("benh vien") || starts("trung tam") || starts("cong ty") {
        "Giám đốc"
    } else if starts("ban ") {
        "Trưởng ban"
    } else if starts("truong ") {
        "Hiệu trưởng"
    } else if starts("van phong") {
        "Chánh Văn phòng"
    } else if starts("thanh tra") {
        "Chánh Thanh tra"
    } else if starts("cuc ") {
        "Cục trưởng"
    } else if starts("chi cuc") {
        "Chi cục trưởng"
    } else {
        "Thủ trưởng"
    }
}

/// "tỉnh Lâm Đồng" → "Lâm Đồng"; "xã Quảng Sơn" → "Quảng Sơn".
pub fn place_of(unit_name: &str) -> String {
    const PREFIXES: [&str; 9] = [
        "thành phố ",
        "tỉnh ",
        "huyện ",
        "thị xã ",
        "quận ",
        "xã ",
        "phường ",
        "thị trấn ",
        "đặc khu ",
    ];
    let lower = unit_name.to_lowercase();
    for p in PREFIXES {
        if lower.starts_with(p) {
            return unit_name
                .chars()
                .skip(p.chars().count())
                .collect::<String>()
                .trim()
                .to_owned();
        }
    }
    unit_name.trim().to_owned()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
