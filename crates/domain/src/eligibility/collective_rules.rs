//! The rules for collectives: Tập thể lao động tiên tiến / xuất sắc and
//! the emulation flags (Cờ thi đua).

use super::codes::{AwardCode, Rating};
use super::context::Ctx;
use super::params::{self};
use super::request::ClusterOrganiser;

/// Tập thể lao động tiên tiến / xuất sắc.
pub(super) fn collective_title(c: &mut Ctx<'_>, excellent: bool) {
    let y = c.req.year;
    let (min_rating, article) = if excellent {
        (Rating::CompletedExcellently, "Điều 27")
    } else {
        (Rating::CompletedWell, "Điều 28")
    };
    let rating = c.req.rating(y);
    if !c.check(
        "collective_rating",
        article,
        rating.is_some_and(|r| r >= min_rating),
        format!(
            "năm {y} tập thể xếp loại {}",
            rating.map_or("chưa có", Rating::label)
        ),
    ) {
        c.missing(format!("cần tập thể {} năm {y}", min_rating.label()));
        c.not_before(y + 1);
    }
    let Some(m) = c.req.history.members.clone() else {
        c.check(
            "members",
            article,
            false,
            "thiếu số liệu thành viên".to_owned(),
        );
        c.missing("cần số thành viên và số đạt danh hiệu".to_owned());
        return;
    };
    let share = |n: u32| {
        if m.total == 0 {
            0.0
        } else {
            f64::from(n) * 100.0 / f64::from(m.total)
        }
    };
    // A CSTĐCS also meets the LĐTT standard, and unit decisions list every
    // LĐTT: the LĐTT count is taken to include the CSTĐCS holders.
    let ldtt = m
        .titles
        .get(&AwardCode::LaoDongTienTien)
        .copied()
        .unwrap_or(0)
        .max(
            m.titles
                .get(&AwardCode::ChienSiThiDuaCoSo)
                .copied()
                .unwrap_or(0),
        );
    if excellent {
        let min = c.param(params::TTLDXS_MIN_SHARE_LDTT);
        c.check(
            "members_ldtt_share",
            article,
            share(ldtt) >= min,
            format!(
                "{ldtt}/{} thành viên đạt Lao động tiên tiến ({:.0} %, cần từ {min:.0} %)",
                m.total,
                share(ldtt)
            ),
        );
        let all_done = m.completed_tasks == Some(m.total);
        c.check(
            "members_all_completed",
            article,
            all_done,
            format!(
                "{}/{} thành viên hoàn thành nhiệm vụ (cần 100 %)",
                m.completed_tasks.unwrap_or(0),
                m.total
            ),
        );
        let need = c.param(params::TTLDXS_MIN_CSTDCS) as u32;
        let cstdcs = m
            .titles
            .get(&AwardCode::ChienSiThiDuaCoSo)
            .copied()
            .unwrap_or(0);
        c.check(
            "members_cstdcs",
            article,
            cstdcs >= need,
            format!("{cstdcs} thành viên đạt Chiến sĩ thi đua cơ sở (cần từ {need})"),
        );
    } else {
        let min = c.param(params::TTLDTT_MIN_SHARE_LDTT);
        c.check(
            "members_ldtt_share",
            article,
            share(ldtt) > min,
            format!(
                "{ldtt}/{} thành viên đạt Lao động tiên tiến ({:.0} %, cần trên {min:.0} %)",
                m.total,
                share(ldtt)
            ),
        );
    }
    if c.checks.iter().any(|x| !x.passed) {
        c.not_before(y + 1);
    }
}

/// Cờ thi đua (Điều 26 tỉnh, Điều 25 Chính phủ): chosen among the leaders
/// of emulation clusters and blocks, after the cluster's vote. Leadership
/// and the year's rating are data; the comparison among leaders is the
/// council's, so a leader without a recorded vote needs review, and the
/// Government flag always does (its numeric cap is unconfirmed, docs/law.md §3.4).
/// The thematic-movement routes to a flag need the movement's review: an
/// ad hoc or thematic proposal is already sent to review above.
pub(super) fn flag(c: &mut Ctx<'_>, government: bool) {
    let y = c.req.year;
    let article = if government {
        "Điều 25 khoản 1, 2"
    } else {
        "Điều 26"
    };
    let results: Vec<_> = c
        .req
        .history
        .cluster_results
        .iter()
        .filter(|r| r.year == y)
        .collect();
    let led = |r: &&super::request::ClusterResult| r.leader || r.rank == Some(1);
    let leader = results.iter().find(|r| {
        led(r)
            && match (government, r.organised_by) {
                // Under the province flag, clusters of the province or ministry.
                (false, o) => o != Some(ClusterOrganiser::TrungUong),
                (true, _) => true,
            }
    });
    let words = |r: &super::request::ClusterResult| {
        let kind = match r.cluster_type.as_deref() {
            Some("khoi") => "khối",
            _ => "cụm",
        };
        let by = match r.organised_by {
            Some(ClusterOrganiser::TrungUong) => " do Hội đồng TĐKT Trung ương tổ chức",
            Some(ClusterOrganiser::Bo) => " của bộ, ngành",
            Some(ClusterOrganiser::Tinh) | None => " của tỉnh",
        };
        format!("{kind} thi đua{by}")
    };
    let ok = c.check(
        "cluster_leader",
        article,
        leader.is_some(),
        match leader {
            Some(r) => format!("năm {y} dẫn đầu {}", words(r)),
            None if results.is_empty() => format!("năm {y} không có kết quả cụm, khối thi đua"),
            None => format!("năm {y} không dẫn đầu cụm, khối thi đua"),
        },
    );
    if !ok {
        c.missing(format!("cần dẫn đầu cụm, khối thi đua năm {y}"));
        c.not_before(y + 1);
        return;
    }
    let excellent = c.rating_at_least(y, Rating::CompletedExcellently);
    if !c.check(
        "collective_rating",
        article,
        excellent,
        format!(
            "năm {y} tập thể xếp loại {}",
            c.req.rating(y).map_or("chưa có", Rating::label)
        ),
    ) {
        c.missing(format!("cần tập thể hoàn thành xuất sắc nhiệm vụ năm {y}"));
        c.not_before(y + 1);
    }
    if government {
        // Among leaders of province clusters, the province's own flag comes first.
        let central = leader.is_some_and(|r| r.organised_by == Some(ClusterOrganiser::TrungUong));
        if !central {
            let has_flag = c
                .req
                .awards_of(AwardCode::CoThiDuaTinh)
                .iter()
                .any(|a| a.achievement_end() == Some(y));
            if !c.check(
                "provincial_flag",
                "Điều 25 khoản 1",
                has_flag,
                format!(
                    "năm {y} {}được tặng Cờ thi đua cấp tỉnh",
                    if has_flag { "" } else { "chưa " }
                ),
            ) {
                c.missing(format!("cần Cờ thi đua cấp tỉnh năm {y}"));
                c.not_before(y + 1);
            }
        }
        c.review = true;
        c.check(
            "council_selection",
            "Điều 25",
            true,
            "Thủ tướng chọn trong số các tập thể dẫn đầu; giới hạn số lượng chưa đối chiếu văn bản chính thức: cần hội đồng xem xét".to_owned(),
        );
        return;
    }
    let voted = leader.and_then(|r| r.voted);
    if voted != Some(true) {
        c.review = true;
    }
    c.check(
        "cluster_vote",
        "Điều 26",
        voted != Some(false),
        match voted {
            Some(true) => "được cụm, khối bình chọn đề nghị tặng Cờ".to_owned(),
            Some(false) => "không được cụm, khối bình chọn".to_owned(),
            None => "chưa có biên bản bình chọn của cụm, khối: cần xem xét".to_owned(),
        },
    );
}
