//! Danh mục danh hiệu thi đua và hình thức khen thưởng — the award
//! catalogue. Entries are data an administrator edits; an edit is a new
//! version with its own effective date, so a decision is always read
//! against the entry of its time.

use super::codes::AwardType;
use super::codes::SubjectKind;
use crate::movement::word_enum;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// A catalogue code: upper-case ASCII words joined by `_`
/// ("HUAN_CHUONG_LAO_DONG_HANG_BA"). The engine's codes are a subset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CatalogueCode(String);

/// Why a catalogue entry cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("mã «{0}» không hợp lệ: chỉ gồm chữ in hoa không dấu, chữ số và «_», 3–60 ký tự")]
    BadCode(String),
    #[error("{field}: «{value}» không có trong danh sách")]
    Unknown { field: &'static str, value: String },
    #[error("{0} không được để trống")]
    Empty(&'static str),
    #[error("hệ số tiền thưởng {0} không hợp lệ (0–100 lần mức lương cơ sở)")]
    BadBonus(String),
}

impl CatalogueCode {
    pub fn parse(s: &str) -> Result<Self, CatalogueError> {
        let s = s.trim();
        let ok = (3..=60).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            && s.as_bytes()[0].is_ascii_uppercase()
            && !s.ends_with('_')
            && !s.contains("__");
        if ok {
            Ok(CatalogueCode(s.to_owned()))
        } else {
            Err(CatalogueError::BadCode(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CatalogueCode {
    type Error = CatalogueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CatalogueCode::parse(&s)
    }
}

impl From<CatalogueCode> for String {
    fn from(c: CatalogueCode) -> String {
        c.0
    }
}

impl fmt::Display for CatalogueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

word_enum!(
    /// Danh hiệu thi đua (Chương II) or hình thức khen thưởng (Điều 9).
    Category, CatalogueError, |s| CatalogueError::Unknown { field: "category", value: s }, {
        Title = "title", "Danh hiệu thi đua";
        Form = "form", "Hình thức khen thưởng";
    }
);

word_enum!(
    /// Cấp khen thưởng.
    Level, CatalogueError, |s| CatalogueError::Unknown { field: "level", value: s }, {
        CoSo = "co_so", "Cấp cơ sở";
        Tinh = "tinh", "Cấp bộ, ban, ngành, tỉnh";
        NhaNuoc = "nha_nuoc", "Cấp Nhà nước";
    }
);

word_enum!(
    /// Người có thẩm quyền quyết định — the authorities of the contract's
    /// `decided_by`, plus the head of an agency.
    Authority, CatalogueError, |s| CatalogueError::Unknown { field: "authority", value: s }, {
        ThuTruongCoQuan = "thu_truong_co_quan", "Thủ trưởng cơ quan, đơn vị";
        ChuTichUbndXa = "chu_tich_ubnd_xa", "Chủ tịch UBND cấp xã";
        /// Until 30/06/2025: the district level no longer exists after.
        ChuTichUbndHuyen = "chu_tich_ubnd_huyen", "Chủ tịch UBND cấp huyện";
        ChuTichUbndTinh = "chu_tich_ubnd_tinh", "Chủ tịch UBND cấp tỉnh";
        BoTruong = "bo_truong", "Bộ trưởng, Thủ trưởng cơ quan ngang bộ";
        ThuTuong = "thu_tuong", "Thủ tướng Chính phủ";
        ChuTichNuoc = "chu_tich_nuoc", "Chủ tịch nước";
    }
);

/// One version of a catalogue entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub code: CatalogueCode,
    pub effective_from: Date,
    pub name: String,
    pub category: Category,
    pub subjects: Vec<SubjectKind>,
    pub authorities: Vec<Authority>,
    pub level: Level,
    pub award_types: Vec<AwardType>,
    /// Tiền thưởng as a multiple of mức lương cơ sở, when known.
    pub bonus_multiple: Option<f64>,
    /// Whether the multiple is confirmed (docs/law.md §5.5).
    pub bonus_confirmed: bool,
    pub article: Option<String>,
    pub note: Option<String>,
}

impl CatalogueEntry {
    /// Refuses entries no reader could use.
    pub fn check(&self) -> Result<(), CatalogueError> {
        if self.name.trim().is_empty() {
            return Err(CatalogueError::Empty("tên"));
        }
        if self.subjects.is_empty() {
            return Err(CatalogueError::Empty("đối tượng"));
        }
        if self.authorities.is_empty() {
            return Err(CatalogueError::Empty("thẩm quyền"));
        }
        if self.award_types.is_empty() {
            return Err(CatalogueError::Empty("loại hình khen thưởng"));
        }
        if let Some(b) = self.bonus_multiple
            && !(b.is_finite() && (0.0..=100.0).contains(&b))
        {
            return Err(CatalogueError::BadBonus(b.to_string()));
        }
        Ok(())
    }
}

/// The version of each code in force on `on`: the latest whose effective
/// date is not after it. Codes not yet in force are left out.
pub fn in_force(versions: &[CatalogueEntry], on: Date) -> Vec<&CatalogueEntry> {
    let mut best: std::collections::BTreeMap<&CatalogueCode, &CatalogueEntry> =
        std::collections::BTreeMap::new();
    for v in versions.iter().filter(|v| v.effective_from <= on) {
        best.entry(&v.code)
            .and_modify(|b| {
                if v.effective_from > b.effective_from {
                    *b = v;
                }
            })
            .or_insert(v);
    }
    best.into_values().collect()
}

pub fn award_type_label(t: AwardType) -> &'static str {
    match t {
        AwardType::Regular => "thường xuyên",
        AwardType::Thematic => "theo đợt, chuyên đề",
        AwardType::AdHoc => "đột xuất",
        AwardType::Dedication => "quá trình cống hiến",
        AwardType::Seniority => "niên hạn",
        AwardType::Foreign => "đối ngoại",
    }
}

impl AwardType {
    pub const ALL: [AwardType; 6] = [
        AwardType::Regular,
        AwardType::Thematic,
        AwardType::AdHoc,
        AwardType::Dedication,
        AwardType::Seniority,
        AwardType::Foreign,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AwardType::Regular => "regular",
            AwardType::Thematic => "thematic",
            AwardType::AdHoc => "ad_hoc",
            AwardType::Dedication => "dedication",
            AwardType::Seniority => "seniority",
            AwardType::Foreign => "foreign",
        }
    }

    pub fn parse(s: &str) -> Result<AwardType, CatalogueError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s.trim())
            .ok_or_else(|| CatalogueError::Unknown {
                field: "award_types",
                value: s.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn entry(code: &str, from: Date, name: &str) -> CatalogueEntry {
        CatalogueEntry {
            code: CatalogueCode::parse(code).unwrap(),
            effective_from: from,
            name: name.into(),
            category: Category::Title,
            subjects: vec![SubjectKind::Individual],
            authorities: vec![Authority::ThuTruongCoQuan],
            level: Level::CoSo,
            award_types: vec![AwardType::Regular],
            bonus_multiple: Some(1.0),
            bonus_confirmed: true,
            article: None,
            note: None,
        }
    }

    #[test]
    fn codes_are_upper_snake_words() {
        assert!(CatalogueCode::parse("HUAN_CHUONG_LAO_DONG_HANG_BA").is_ok());
        for bad in [
            "",
            "ab",
            "HUAN CHUONG",
            "_X_Y",
            "X__Y",
            "XY_",
            "Lao_dong",
            "HUÂN",
        ] {
            assert!(CatalogueCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_version_of_the_day_wins() {
        let v = vec![
            entry("CHIEN_SI_THI_DUA_CO_SO", date!(2024 - 01 - 01), "cũ"),
            entry("CHIEN_SI_THI_DUA_CO_SO", date!(2025 - 07 - 01), "mới"),
            entry("GIA_DINH_VAN_HOA", date!(2030 - 01 - 01), "sau này"),
        ];
        let names = |d| -> Vec<String> { in_force(&v, d).iter().map(|e| e.name.clone()).collect() };
        assert_eq!(names(date!(2025 - 06 - 30)), ["cũ"]);
        assert_eq!(names(date!(2025 - 07 - 01)), ["mới"]);
        assert!(names(date!(2023 - 12 - 31)).is_empty());
    }

    #[test]
    fn entries_need_a_name_subjects_and_a_sane_bonus() {
        let mut e = entry(
            "LAO_DONG_TIEN_TIEN",
            date!(2024 - 01 - 01),
            "Lao động tiên tiến",
        );
        assert!(e.check().is_ok());
        e.bonus_multiple = Some(f64::NAN);
        assert!(matches!(e.check(), Err(CatalogueError::BadBonus(_))));
        e.bonus_multiple = None;
        e.subjects.clear();
        assert_eq!(e.check(), Err(CatalogueError::Empty("đối tượng")));
    }
}
