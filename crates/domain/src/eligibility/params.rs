//! The figures the rules use, in one place, each with its source and
//! whether it is confirmed (docs/law.md §7 lists them all). A verdict that used an
//! unconfirmed figure lists it in `uncertain`. Change a figure here, never
//! in a rule.

/// One figure of the rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    pub id: &'static str,
    pub value: f64,
    pub confirmed: bool,
    /// Where the figure comes from (the article of the law or decree).
    pub source: &'static str,
}

macro_rules! params {
    ($($name:ident = $id:literal, $value:expr, $confirmed:expr, $source:literal;)+) => {
        $(pub const $name: Param = Param { id: $id, value: $value, confirmed: $confirmed, source: $source };)+
        /// Every figure, for documentation and review.
        pub const ALL: &[Param] = &[$($name,)+];
    };
}

params! {
    HCLD3_MOVEMENT_YEARS = "hcld3.movement_years", 5.0, true,
        "Điều 44 khoản 2 Luật TĐKT 2022: phong trào thi đua của bộ, tỉnh từ 5 năm trở lên";
    DEDICATION_HCLD3_TCT = "dedication.hcld3.tong_cuc_truong_years", 3.0, false,
        "Điều 44 khoản 1 điểm g Luật TĐKT 2022 (Nghị định 152/2025 Điều 21): Tổng cục trưởng và tương đương từ 3 năm";
    DEDICATION_HCLD3_PTCT = "dedication.hcld3.pho_tong_cuc_truong_years", 5.0, false,
        "Điều 44 khoản 1 điểm g Luật TĐKT 2022 (Nghị định 152/2025 Điều 21): Phó Tổng cục trưởng và tương đương từ 5 năm";
    DEDICATION_HCLD3_GD = "dedication.hcld3.giam_doc_years", 6.0, false,
        "Điều 44 khoản 1 điểm g Luật TĐKT 2022 (Nghị định 152/2025 Điều 21): Giám đốc sở và tương đương từ 6 năm";
    DEDICATION_HCLD3_PGD = "dedication.hcld3.pho_giam_doc_years", 10.0, false,
        "Điều 44 khoản 1 điểm g Luật TĐKT 2022 (Nghị định 152/2025 Điều 21): Phó Giám đốc sở và tương đương từ 10 năm";
    DEDICATION_HCLD2_TCT = "dedication.hcld2.tong_cuc_truong_years", 5.0, false,
        "Điều 43 Luật TĐKT 2022 (Nghị định 152/2025 Điều 21): Tổng cục trưởng và tương đương từ 5 năm";
    DEDICATION_HCLD2_PTCT = "dedication.hcld2.pho_tong_cuc_truong_years", 8.0, false,
        "Điều 43 Luật TĐKT 2022 (Nghị định 152/2025 Điều 21): Phó Tổng cục trưởng và tương đương từ 8 năm";
    DEDICATION_HCLD2_GD = "dedication.hcld2.giam_doc_years", 10.0, false,
        "Điều 43 Luật TĐKT 2022 (Nghị định 152/2025 Điều 21): Giám đốc sở và tương đương từ 10 năm";
    DEDICATION_HCLD2_PGD = "dedication.hcld2.pho_giam_doc_years", 15.0, false,
        "Điều 43 Luật TĐKT 2022 (Nghị định 152/2025 Điều 21): Phó Giám đốc sở và tương đương từ 15 năm";
    HCCSVV3_YEARS = "seniority.hccsvv3_years", 10.0, false,
        "Luật TĐKT 2022 Chương III Mục 2: Huy chương Chiến sĩ vẻ vang hạng Ba, 10 năm phục vụ";
    HCCSVV2_YEARS = "seniority.hccsvv2_years", 15.0, false,
        "Luật TĐKT 2022 Chương III Mục 2: Huy chương Chiến sĩ vẻ vang hạng Nhì, 15 năm phục vụ";
    HCCSVV1_YEARS = "seniority.hccsvv1_years", 20.0, false,
        "Luật TĐKT 2022 Chương III Mục 2: Huy chương Chiến sĩ vẻ vang hạng Nhất, 20 năm phục vụ";
    LDTT_MIN_MONTHS = "ldtt.min_months_worked", 10.0, false,
        "Điều 24 Luật TĐKT 2022 (chi tiết ở nghị định): không xét LĐTT cho người mới tuyển dưới 10 tháng (khung cũ; chưa đối chiếu NĐ 152)";
    LDTT_DISCIPLINE_FROM = "ldtt.discipline_excludes_from", 1.0, false,
        "Điều 24 Luật TĐKT 2022 (chi tiết ở nghị định): bị kỷ luật từ khiển trách trở lên trong năm thì không xét (khung cũ)";
    CSTDCS_INITIATIVE_REQUIRED_BEFORE_2024 = "cstdcs.initiative_required_law_2013", 1.0, true,
        "Luật TĐKT 2003 sửa đổi 2013, Điều 23: CSTĐCS phải có sáng kiến (trước 01/01/2024)";
    CSTD_TINH_CSTDCS_YEARS = "cstd_tinh.consecutive_cstdcs", 3.0, true,
        "Điều 22 Luật TĐKT 2022 — 3 lần liên tục CSTĐCS";
    CSTD_TQ_CSTD_TINH_TIMES = "cstd_tq.consecutive_cstd_tinh", 2.0, true,
        "Điều 21 Luật TĐKT 2022 — 2 lần liên tục CSTĐ cấp tỉnh";
    BK_TINH_CSTDCS_YEARS = "bk_tinh.consecutive_cstdcs", 2.0, true,
        "Điều 74 khoản 1 điểm d Luật TĐKT 2022 — 2 lần liên tục CSTĐCS";
    BK_TINH_HTXSNV_YEARS = "bk_tinh.consecutive_htxsnv", 2.0, true,
        "Điều 74 khoản 1 điểm d Luật TĐKT 2022 — 2 năm liên tục HTXSNV";
    BK_TINH_INITIATIVES = "bk_tinh.initiatives", 2.0, true,
        "Điều 74 khoản 1 điểm d Luật TĐKT 2022 — 2 sáng kiến, không tính sáng kiến đã dùng cho CSTĐCS";
    BK_TTG_YEARS = "bk_ttg.consecutive_years_httnv", 5.0, true,
        "Điều 73 khoản 1 điểm b Luật TĐKT 2022 — 5 năm liên tục HTTNV trở lên, tính từ kỳ thành tích của Bằng khen trước (NĐ 98 Điều 30 khoản 9)";
    BK_TTG_CSTDCS_TIMES = "bk_ttg.cstdcs_times", 3.0, true,
        "Điều 73 khoản 1 điểm b Luật TĐKT 2022 — 3 lần CSTĐCS trong thời gian đó";
    HCLD3_YEARS = "hcld3.consecutive_years_httnv", 5.0, true,
        "Điều 44 khoản 1 điểm e Luật TĐKT 2022 — 5 năm liên tục HTTNV trở lên sau Bằng khen Thủ tướng";
    HCLD3_HTXSNV_YEARS = "hcld3.htxsnv_years", 1.0, true,
        "Điều 44 khoản 1 điểm e Luật TĐKT 2022 — trong đó ít nhất 1 năm HTXSNV";
    HCLD3_CSTDCS_TIMES = "hcld3.cstdcs_times", 3.0, true,
        "Điều 44 khoản 1 điểm e Luật TĐKT 2022 — 3 lần CSTĐCS";
    TTLDTT_MIN_SHARE_LDTT = "ttldtt.min_share_ldtt_percent", 50.0, false,
        "Điều 28 Luật TĐKT 2022: trên 50 % thành viên đạt LĐTT (lời văn 2022 chưa đối chiếu)";
    TTLDXS_MIN_SHARE_LDTT = "ttldxs.min_share_ldtt_percent", 70.0, true,
        "Điều 27 Luật TĐKT 2022: ít nhất 70 % thành viên đạt LĐTT";
    TTLDXS_MIN_CSTDCS = "ttldxs.min_cstdcs", 1.0, true,
        "Điều 27 Luật TĐKT 2022: ít nhất 1 thành viên đạt CSTĐCS";
}

/// A figure as people read it: its source sentence, with its value,
/// instead of its id («ldtt.min_months_worked» is for the API and the
/// register, not for a page).
pub fn describe(id: &str) -> String {
    match ALL.iter().find(|p| p.id == id) {
        Some(p) => format!(
            "{} (đang dùng {})",
            p.source,
            crate::number::format_vi_short(p.value, 2)
        ),
        None => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_has_an_id_and_a_source() {
        let mut ids: Vec<&str> = ALL.iter().map(|p| p.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len(), "ids are unique");
        assert!(
            ALL.iter()
                .all(|p| p.source.starts_with("Điều") || p.source.starts_with("Luật"))
        );
    }

    /// docs/law.md is the project's own account of the rules: every figure
    /// the engine uses is listed in its register, with its value.
    #[test]
    fn every_figure_is_in_the_law_digest() {
        let digest = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/law.md"),
        )
        .expect("docs/law.md");
        for p in ALL {
            let row = digest
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", p.id)))
                .unwrap_or_else(|| panic!("docs/law.md §7 lists {}", p.id));
            let confirmed = if p.confirmed { "| yes |" } else { "| no |" };
            assert!(
                row.contains(confirmed),
                "{} is confirmed: {}",
                p.id,
                p.confirmed
            );
        }
    }
}
