//! The codes of the eligibility contract: ratings, titles and forms,
//! initiative scopes, discipline levels. Stable strings, as external
//! checkers send them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Mức độ hoàn thành nhiệm vụ — the yearly rating of a person or collective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    /// Không hoàn thành nhiệm vụ.
    #[serde(rename = "KHTNV")]
    NotCompleted,
    /// Hoàn thành nhiệm vụ.
    #[serde(rename = "HTNV")]
    Completed,
    /// Hoàn thành tốt nhiệm vụ.
    #[serde(rename = "HTTNV")]
    CompletedWell,
    /// Hoàn thành xuất sắc nhiệm vụ.
    #[serde(rename = "HTXSNV")]
    CompletedExcellently,
}

impl Rating {
    pub const ALL: [Rating; 4] = [
        Rating::CompletedExcellently,
        Rating::CompletedWell,
        Rating::Completed,
        Rating::NotCompleted,
    ];

    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    pub fn code(self) -> &'static str {
        match self {
            Rating::NotCompleted => "KHTNV",
            Rating::Completed => "HTNV",
            Rating::CompletedWell => "HTTNV",
            Rating::CompletedExcellently => "HTXSNV",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::NotCompleted => "không hoàn thành nhiệm vụ",
            Rating::Completed => "hoàn thành nhiệm vụ",
            Rating::CompletedWell => "hoàn thành tốt nhiệm vụ",
            Rating::CompletedExcellently => "hoàn thành xuất sắc nhiệm vụ",
        }
    }
}

/// Danh hiệu thi đua và hình thức khen thưởng — every title and form the
/// engine knows, by its contract code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AwardCode {
    /// Lao động tiên tiến (Điều 24).
    LaoDongTienTien,
    /// Chiến sĩ thi đua cơ sở (Điều 23).
    ChienSiThiDuaCoSo,
    /// Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh (Điều 22).
    ChienSiThiDuaTinh,
    /// Chiến sĩ thi đua toàn quốc (Điều 21).
    ChienSiThiDuaToanQuoc,
    /// Tập thể lao động tiên tiến.
    TapTheLaoDongTienTien,
    /// Tập thể lao động xuất sắc.
    TapTheLaoDongXuatSac,
    /// Cờ thi đua cấp bộ, ban, ngành, tỉnh (Điều 26).
    CoThiDuaTinh,
    /// Cờ thi đua của Chính phủ (Điều 25).
    CoThiDuaChinhPhu,
    /// Giấy khen (Điều 75).
    GiayKhen,
    /// Bằng khen cấp bộ, ban, ngành, tỉnh (Điều 74).
    BangKhenTinh,
    /// Bằng khen của Thủ tướng Chính phủ (Điều 73).
    BangKhenThuTuong,
    HuanChuongLaoDongHangBa,
    HuanChuongLaoDongHangNhi,
    HuanChuongLaoDongHangNhat,
    HuanChuongDocLapHangBa,
    HuanChuongDocLapHangNhi,
    HuanChuongDocLapHangNhat,
    /// Huy chương Chiến sĩ vẻ vang — by years of service in the armed
    /// forces (khen thưởng theo niên hạn).
    HuyChuongChienSiVeVangHangBa,
    HuyChuongChienSiVeVangHangNhi,
    HuyChuongChienSiVeVangHangNhat,
    /// Huân chương Hữu nghị (Điều 53) — khen thưởng đối ngoại.
    HuanChuongHuuNghi,
    /// Huy chương Hữu nghị — khen thưởng đối ngoại.
    HuyChuongHuuNghi,
}

impl AwardCode {
    pub const ALL: [AwardCode; 22] = [
        AwardCode::LaoDongTienTien,
        AwardCode::ChienSiThiDuaCoSo,
        AwardCode::ChienSiThiDuaTinh,
        AwardCode::ChienSiThiDuaToanQuoc,
        AwardCode::TapTheLaoDongTienTien,
        AwardCode::TapTheLaoDongXuatSac,
        AwardCode::CoThiDuaTinh,
        AwardCode::CoThiDuaChinhPhu,
        AwardCode::GiayKhen,
        AwardCode::BangKhenTinh,
        AwardCode::BangKhenThuTuong,
        AwardCode::HuanChuongLaoDongHangBa,
        AwardCode::HuanChuongLaoDongHangNhi,
        AwardCode::HuanChuongLaoDongHangNhat,
        AwardCode::HuanChuongDocLapHangBa,
        AwardCode::HuanChuongDocLapHangNhi,
        AwardCode::HuanChuongDocLapHangNhat,
        AwardCode::HuyChuongChienSiVeVangHangBa,
        AwardCode::HuyChuongChienSiVeVangHangNhi,
        AwardCode::HuyChuongChienSiVeVangHangNhat,
        AwardCode::HuanChuongHuuNghi,
        AwardCode::HuyChuongHuuNghi,
    ];

    pub fn parse(s: &str) -> Option<AwardCode> {
        AwardCode::ALL.into_iter().find(|c| c.code() == s.trim())
    }

    /// Whether the title is given only by the unit's own annual review
    /// (bình xét, Điều 24 and 28: the head of the unit decides), so that no
    /// nomination dossier proposes it upward.
    pub fn only_by_annual_review(code: &str) -> bool {
        matches!(
            AwardCode::parse(code),
            Some(AwardCode::LaoDongTienTien | AwardCode::TapTheLaoDongTienTien)
        )
    }

    /// The contract code ("CHIEN_SI_THI_DUA_TINH").
    pub fn code(self) -> &'static str {
        match self {
            AwardCode::LaoDongTienTien => "LAO_DONG_TIEN_TIEN",
            AwardCode::ChienSiThiDuaCoSo => "CHIEN_SI_THI_DUA_CO_SO",
            AwardCode::ChienSiThiDuaTinh => "CHIEN_SI_THI_DUA_TINH",
            AwardCode::ChienSiThiDuaToanQuoc => "CHIEN_SI_THI_DUA_TOAN_QUOC",
            AwardCode::TapTheLaoDongTienTien => "TAP_THE_LAO_DONG_TIEN_TIEN",
            AwardCode::TapTheLaoDongXuatSac => "TAP_THE_LAO_DONG_XUAT_SAC",
            AwardCode::CoThiDuaTinh => "CO_THI_DUA_TINH",
            AwardCode::CoThiDuaChinhPhu => "CO_THI_DUA_CHINH_PHU",
            AwardCode::GiayKhen => "GIAY_KHEN",
            AwardCode::BangKhenTinh => "BANG_KHEN_TINH",
            AwardCode::BangKhenThuTuong => "BANG_KHEN_THU_TUONG",
            AwardCode::HuanChuongLaoDongHangBa => "HUAN_CHUONG_LAO_DONG_HANG_BA",
            AwardCode::HuanChuongLaoDongHangNhi => "HUAN_CHUONG_LAO_DONG_HANG_NHI",
            AwardCode::HuanChuongLaoDongHangNhat => "HUAN_CHUONG_LAO_DONG_HANG_NHAT",
            AwardCode::HuanChuongDocLapHangBa => "HUAN_CHUONG_DOC_LAP_HANG_BA",
            AwardCode::HuanChuongDocLapHangNhi => "HUAN_CHUONG_DOC_LAP_HANG_NHI",
            AwardCode::HuanChuongDocLapHangNhat => "HUAN_CHUONG_DOC_LAP_HANG_NHAT",
            AwardCode::HuyChuongChienSiVeVangHangBa => "HUY_CHUONG_CHIEN_SI_VE_VANG_HANG_BA",
            AwardCode::HuyChuongChienSiVeVangHangNhi => "HUY_CHUONG_CHIEN_SI_VE_VANG_HANG_NHI",
            AwardCode::HuyChuongChienSiVeVangHangNhat => "HUY_CHUONG_CHIEN_SI_VE_VANG_HANG_NHAT",
            AwardCode::HuanChuongHuuNghi => "HUAN_CHUONG_HUU_NGHI",
            AwardCode::HuyChuongHuuNghi => "HUY_CHUONG_HUU_NGHI",
        }
    }

    /// The short name people use ("CSTĐCS", "Bằng khen tỉnh").
    pub fn label(self) -> &'static str {
        match self {
            AwardCode::LaoDongTienTien => "Lao động tiên tiến",
            AwardCode::ChienSiThiDuaCoSo => "Chiến sĩ thi đua cơ sở",
            AwardCode::ChienSiThiDuaTinh => "Chiến sĩ thi đua cấp tỉnh",
            AwardCode::ChienSiThiDuaToanQuoc => "Chiến sĩ thi đua toàn quốc",
            AwardCode::TapTheLaoDongTienTien => "Tập thể lao động tiên tiến",
            AwardCode::TapTheLaoDongXuatSac => "Tập thể lao động xuất sắc",
            AwardCode::CoThiDuaTinh => "Cờ thi đua cấp tỉnh",
            AwardCode::CoThiDuaChinhPhu => "Cờ thi đua của Chính phủ",
            AwardCode::GiayKhen => "Giấy khen",
            AwardCode::BangKhenTinh => "Bằng khen cấp tỉnh",
            AwardCode::BangKhenThuTuong => "Bằng khen của Thủ tướng Chính phủ",
            AwardCode::HuanChuongLaoDongHangBa => "Huân chương Lao động hạng Ba",
            AwardCode::HuanChuongLaoDongHangNhi => "Huân chương Lao động hạng Nhì",
            AwardCode::HuanChuongLaoDongHangNhat => "Huân chương Lao động hạng Nhất",
            AwardCode::HuanChuongDocLapHangBa => "Huân chương Độc lập hạng Ba",
            AwardCode::HuanChuongDocLapHangNhi => "Huân chương Độc lập hạng Nhì",
            AwardCode::HuanChuongDocLapHangNhat => "Huân chương Độc lập hạng Nhất",
            AwardCode::HuyChuongChienSiVeVangHangBa => "Huy chương Chiến sĩ vẻ vang hạng Ba",
            AwardCode::HuyChuongChienSiVeVangHangNhi => "Huy chương Chiến sĩ vẻ vang hạng Nhì",
            AwardCode::HuyChuongChienSiVeVangHangNhat => "Huy chương Chiến sĩ vẻ vang hạng Nhất",
            AwardCode::HuanChuongHuuNghi => "Huân chương Hữu nghị",
            AwardCode::HuyChuongHuuNghi => "Huy chương Hữu nghị",
        }
    }

    /// Cấp khen thưởng: the level one achievement is rewarded at once
    /// (Điều 5 khoản 2 — not twice at the same level).
    pub fn level(self) -> AwardLevel {
        use AwardCode::*;
        match self {
            LaoDongTienTien | ChienSiThiDuaCoSo | TapTheLaoDongTienTien | GiayKhen => {
                AwardLevel::Grassroots
            }
            ChienSiThiDuaTinh | TapTheLaoDongXuatSac | CoThiDuaTinh | BangKhenTinh => {
                AwardLevel::Province
            }
            _ => AwardLevel::State,
        }
    }

    /// Whether it is a title (danh hiệu) rather than a form (hình thức).
    pub fn is_title(self) -> bool {
        matches!(
            self,
            AwardCode::LaoDongTienTien
                | AwardCode::ChienSiThiDuaCoSo
                | AwardCode::ChienSiThiDuaTinh
                | AwardCode::ChienSiThiDuaToanQuoc
                | AwardCode::TapTheLaoDongTienTien
                | AwardCode::TapTheLaoDongXuatSac
                | AwardCode::CoThiDuaTinh
                | AwardCode::CoThiDuaChinhPhu
        )
    }
}

impl fmt::Display for AwardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Loại hình khen thưởng (Điều 8).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardType {
    #[default]
    Regular,
    Thematic,
    AdHoc,
    Dedication,
    Seniority,
    Foreign,
}

/// Cấp khen thưởng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardLevel {
    /// Cấp cơ sở (Giấy khen, LĐTT, CSTĐCS).
    Grassroots,
    /// Cấp bộ, ban, ngành, tỉnh.
    Province,
    /// Cấp Nhà nước.
    State,
}

impl AwardLevel {
    pub fn label(self) -> &'static str {
        match self {
            AwardLevel::Grassroots => "cấp cơ sở",
            AwardLevel::Province => "cấp tỉnh",
            AwardLevel::State => "cấp Nhà nước",
        }
    }
}

/// Phạm vi công nhận sáng kiến.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitiativeScope {
    /// Cấp cơ sở — the unit.
    CoSo,
    /// Cấp bộ, ban, ngành, tỉnh.
    Tinh,
    /// Toàn quốc.
    ToanQuoc,
}

impl InitiativeScope {
    pub const ALL: [InitiativeScope; 3] = [
        InitiativeScope::CoSo,
        InitiativeScope::Tinh,
        InitiativeScope::ToanQuoc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InitiativeScope::CoSo => "co_so",
            InitiativeScope::Tinh => "tinh",
            InitiativeScope::ToanQuoc => "toan_quoc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InitiativeScope::CoSo => "cấp cơ sở",
            InitiativeScope::Tinh => "cấp tỉnh",
            InitiativeScope::ToanQuoc => "toàn quốc",
        }
    }

    pub fn parse(s: &str) -> Option<InitiativeScope> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// Hình thức kỷ luật, lightest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisciplineLevel {
    KhienTrach,
    CanhCao,
    HaBacLuong,
    CachChuc,
    BuocThoiViec,
}

impl DisciplineLevel {
    pub const ALL: [DisciplineLevel; 5] = [
        DisciplineLevel::KhienTrach,
        DisciplineLevel::CanhCao,
        DisciplineLevel::HaBacLuong,
        DisciplineLevel::CachChuc,
        DisciplineLevel::BuocThoiViec,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisciplineLevel::KhienTrach => "khien_trach",
            DisciplineLevel::CanhCao => "canh_cao",
            DisciplineLevel::HaBacLuong => "ha_bac_luong",
            DisciplineLevel::CachChuc => "cach_chuc",
            DisciplineLevel::BuocThoiViec => "buoc_thoi_viec",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DisciplineLevel::KhienTrach => "khiển trách",
            DisciplineLevel::CanhCao => "cảnh cáo",
            DisciplineLevel::HaBacLuong => "hạ bậc lương",
            DisciplineLevel::CachChuc => "cách chức",
            DisciplineLevel::BuocThoiViec => "buộc thôi việc",
        }
    }

    pub fn parse(s: &str) -> Option<DisciplineLevel> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

/// Cá nhân, tập thể, hộ gia đình.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Individual,
    Collective,
    Household,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 3] = [
        SubjectKind::Individual,
        SubjectKind::Collective,
        SubjectKind::Household,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Individual => "individual",
            SubjectKind::Collective => "collective",
            SubjectKind::Household => "household",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SubjectKind::Individual => "cá nhân",
            SubjectKind::Collective => "tập thể",
            SubjectKind::Household => "hộ gia đình",
        }
    }

    pub fn parse(s: &str) -> Option<SubjectKind> {
        Self::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_advanced_titles_stay_with_the_annual_review() {
        let kept: Vec<&str> = AwardCode::ALL
            .iter()
            .map(|c| c.code())
            .filter(|c| AwardCode::only_by_annual_review(c))
            .collect();
        assert_eq!(kept, ["LAO_DONG_TIEN_TIEN", "TAP_THE_LAO_DONG_TIEN_TIEN"]);
        assert!(!AwardCode::only_by_annual_review("GIAY_KHEN"));
        assert!(!AwardCode::only_by_annual_review("KHONG_CO"));
    }

    #[test]
    fn codes_are_the_contracts() {
        assert_eq!(
            serde_json::to_string(&AwardCode::ChienSiThiDuaTinh).unwrap(),
            "\"CHIEN_SI_THI_DUA_TINH\""
        );
        assert_eq!(
            serde_json::to_string(&AwardCode::HuanChuongLaoDongHangBa).unwrap(),
            "\"HUAN_CHUONG_LAO_DONG_HANG_BA\""
        );
        assert_eq!(
            serde_json::from_str::<Rating>("\"HTXSNV\"").unwrap(),
            Rating::CompletedExcellently
        );
        assert!(Rating::CompletedWell < Rating::CompletedExcellently);
        assert!(serde_json::from_str::<AwardCode>("\"BANG_KHEN_HUYEN\"").is_err());
        for c in AwardCode::ALL {
            let s = serde_json::to_string(&c).unwrap();
            assert_eq!(s, format!("\"{}\"", c.code()));
            assert_eq!(serde_json::from_str::<AwardCode>(&s).unwrap(), c);
        }
    }
}
