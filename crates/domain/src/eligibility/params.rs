//! The figures the rules use, in one place, each with its source and
//! whether LAW.md counts it as confirmed. A verdict that used an
//! unconfirmed figure lists it in `uncertain`. Change a figure here, never
//! in a rule.

/// One figure of the rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    pub id: &'static str,
    pub value: f64,
    pub confirmed: bool,
    /// Where the figure comes from (LAW.md section and instrument).
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
    LDTT_MIN_MONTHS = "ldtt.min_months_worked", 10.0, false,
        "LAW.md §2.1 A, §8.2: không xét LĐTT cho người mới tuyển dưới 10 tháng (khung cũ; chưa đối chiếu NĐ 152)";
    LDTT_DISCIPLINE_FROM = "ldtt.discipline_excludes_from", 1.0, false,
        "LAW.md §2.1 A, §5.4: bị kỷ luật từ khiển trách trở lên trong năm thì không xét (khung cũ)";
    CSTDCS_INITIATIVE_REQUIRED_BEFORE_2024 = "cstdcs.initiative_required_law_2013", 1.0, true,
        "Luật TĐKT 2003 sửa đổi 2013, Điều 23: CSTĐCS phải có sáng kiến (trước 01/01/2024)";
    CSTD_TINH_CSTDCS_YEARS = "cstd_tinh.consecutive_cstdcs", 3.0, true,
        "LAW.md §2.1 C: Điều 22 Luật TĐKT 2022 — 3 lần liên tục CSTĐCS";
    CSTD_TQ_CSTD_TINH_TIMES = "cstd_tq.consecutive_cstd_tinh", 2.0, true,
        "LAW.md §2.1 D: Điều 21 — 2 lần liên tục CSTĐ cấp tỉnh";
    BK_TINH_CSTDCS_YEARS = "bk_tinh.consecutive_cstdcs", 2.0, true,
        "LAW.md §3.2: Điều 74 khoản 1 điểm d — 2 lần liên tục CSTĐCS";
    BK_TINH_HTXSNV_YEARS = "bk_tinh.consecutive_htxsnv", 2.0, true,
        "LAW.md §3.2: Điều 74 khoản 1 điểm d — 2 năm liên tục HTXSNV";
    BK_TINH_INITIATIVES = "bk_tinh.initiatives", 2.0, true,
        "LAW.md §3.2: Điều 74 khoản 1 điểm d — 2 sáng kiến, không tính sáng kiến đã dùng cho CSTĐCS";
    BK_TTG_YEARS = "bk_ttg.consecutive_years_httnv", 5.0, true,
        "LAW.md §3.1: Điều 73 khoản 1 điểm b — 5 năm liên tục HTTNV trở lên, tính từ kỳ thành tích của Bằng khen trước (NĐ 98 Điều 30 khoản 9)";
    BK_TTG_CSTDCS_TIMES = "bk_ttg.cstdcs_times", 3.0, true,
        "LAW.md §3.1: Điều 73 khoản 1 điểm b — 3 lần CSTĐCS trong thời gian đó";
    HCLD3_YEARS = "hcld3.consecutive_years_httnv", 5.0, true,
        "LAW.md §3.4: Điều 44 khoản 1 điểm e — 5 năm liên tục HTTNV trở lên sau Bằng khen Thủ tướng";
    HCLD3_HTXSNV_YEARS = "hcld3.htxsnv_years", 1.0, true,
        "LAW.md §3.4: Điều 44 khoản 1 điểm e — trong đó ít nhất 1 năm HTXSNV";
    HCLD3_CSTDCS_TIMES = "hcld3.cstdcs_times", 3.0, true,
        "LAW.md §3.4: Điều 44 khoản 1 điểm e — 3 lần CSTĐCS";
    TTLDTT_MIN_SHARE_LDTT = "ttldtt.min_share_ldtt_percent", 50.0, false,
        "LAW.md §2.2 E, §8.3: trên 50 % thành viên đạt LĐTT (lời văn 2022 chưa đối chiếu)";
    TTLDXS_MIN_SHARE_LDTT = "ttldxs.min_share_ldtt_percent", 70.0, true,
        "LAW.md §2.2 F: ít nhất 70 % thành viên đạt LĐTT";
    TTLDXS_MIN_CSTDCS = "ttldxs.min_cstdcs", 1.0, true,
        "LAW.md §2.2 F: ít nhất 1 thành viên đạt CSTĐCS";
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
                .all(|p| p.source.starts_with("LAW.md") || p.source.starts_with("Luật"))
        );
    }
}
