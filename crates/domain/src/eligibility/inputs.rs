//! What the rules of the other award types need beyond a regular
//! history: the achievement a thematic or sudden award rests on, the
//! leading posts of a dedication award, the deciding authority, and the
//! findings that re-judge an earlier award.

use super::codes::AwardCode;
use crate::eligibility::catalogue::Authority;
use serde::{Deserialize, Serialize};
use time::Date;

/// Loại thành tích.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AchievementKind {
    /// In an emulation movement, recognised at its review.
    Movement,
    /// Thành tích đột xuất.
    Sudden,
    /// Đóng góp (socio-economic, charity, science).
    Contribution,
}

/// Cấp phát động phong trào.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementLevel {
    /// Cơ quan, đơn vị, cấp xã.
    CoSo,
    /// Bộ, ban, ngành, tỉnh.
    Tinh,
    /// Chủ tịch nước, Thủ tướng.
    TrungUong,
}

/// Where the achievement was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStage {
    /// Sơ kết.
    SoKet,
    /// Tổng kết.
    TongKet,
}

/// Thành tích — what a thematic, sudden or contribution award rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Achievement {
    pub kind: AchievementKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement_level: Option<MovementLevel>,
    /// How many years the movement runs (some forms need ≥ 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement_years: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognised_at: Option<ReviewStage>,
    pub period_from: i32,
    pub period_to: i32,
    /// Tiêu biểu, xuất sắc — as the review judged it.
    #[serde(default)]
    pub outstanding: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Forms already given for this achievement.
    #[serde(default)]
    pub rewarded: Vec<AwardCode>,
}

/// Chức vụ lãnh đạo, quản lý — bands of a dedication award (Nghị định
/// 152/2025 Điều 21; the years are unconfirmed parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostLevel {
    /// Phó Giám đốc sở và tương đương.
    PhoGiamDoc,
    /// Giám đốc sở và tương đương.
    GiamDoc,
    /// Phó Tổng cục trưởng, Phó Chủ tịch UBND tỉnh và tương đương.
    PhoTongCucTruong,
    /// Tổng cục trưởng, Chủ tịch UBND tỉnh và tương đương.
    TongCucTruong,
}

impl PostLevel {
    pub fn label(self) -> &'static str {
        match self {
            PostLevel::PhoGiamDoc => "Phó Giám đốc sở và tương đương",
            PostLevel::GiamDoc => "Giám đốc sở và tương đương",
            PostLevel::PhoTongCucTruong => "Phó Tổng cục trưởng và tương đương",
            PostLevel::TongCucTruong => "Tổng cục trưởng và tương đương",
        }
    }
}

/// A leading post held, from a day until a day (open while held).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub level: PostLevel,
    pub from: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

/// Who decides, and until when the office existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidedBy {
    pub authority: Authority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

/// Căn cứ hủy bỏ (Điều 93 khoản 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingGround {
    /// a) gian dối trong kê khai thành tích.
    Cheated,
    /// b) giả mạo hồ sơ, giấy tờ.
    FalseDocuments,
    /// c) sai phạm trong thẩm định, xét, đề nghị.
    ProcedureViolated,
    /// d) kết luận có vi phạm: không đạt tiêu chuẩn trong thời gian xét.
    CriteriaNotMet,
}

impl FindingGround {
    pub const ALL: [FindingGround; 4] = [
        FindingGround::Cheated,
        FindingGround::FalseDocuments,
        FindingGround::ProcedureViolated,
        FindingGround::CriteriaNotMet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingGround::Cheated => "cheated",
            FindingGround::FalseDocuments => "false_documents",
            FindingGround::ProcedureViolated => "procedure_violated",
            FindingGround::CriteriaNotMet => "criteria_not_met",
        }
    }

    pub fn parse(s: &str) -> Option<FindingGround> {
        Self::ALL.into_iter().find(|g| g.as_str() == s.trim())
    }

    /// The point of Điều 93 khoản 1.
    pub fn point(self) -> &'static str {
        match self {
            FindingGround::Cheated => "a",
            FindingGround::FalseDocuments => "b",
            FindingGround::ProcedureViolated => "c",
            FindingGround::CriteriaNotMet => "d",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FindingGround::Cheated => "gian dối trong kê khai thành tích",
            FindingGround::FalseDocuments => "giả mạo hồ sơ, giấy tờ",
            FindingGround::ProcedureViolated => "sai phạm trong thẩm định, xét, đề nghị",
            FindingGround::CriteriaNotMet => {
                "có vi phạm, không đạt tiêu chuẩn trong thời gian được xét"
            }
        }
    }
}

/// A later conclusion about the years an award rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub year: i32,
    pub ground: FindingGround,
    #[serde(default)]
    pub note: String,
}

/// Whole years between two days (a year counts once its anniversary has
/// passed).
pub fn whole_years(from: Date, to: Date) -> i32 {
    if to <= from {
        return 0;
    }
    let mut y = to.year() - from.year();
    if (u8::from(to.month()), to.day()) < (u8::from(from.month()), from.day()) {
        y -= 1;
    }
    y.max(0)
}
