//! The rules of the award types other than the regular one (Điều 8):
//! thematic (theo đợt, chuyên đề), sudden (đột xuất), dedication (quá trình
//! cống hiến), seniority (niên hạn) and foreign (đối ngoại); and the checks
//! every type shares: the deciding authority's competence and the findings
//! of a re-check (Điều 93).

use super::codes::{AwardCode, SubjectKind};
use super::context::Ctx;
use super::inputs::{Achievement, AchievementKind, MovementLevel, PostLevel, whole_years};
use super::params;
use crate::issuer::{Office, competence_article};

/// Danh hiệu are judged by year at the annual review: no other type gives
/// them.
fn title_only_by_year(c: &mut Ctx<'_>) -> bool {
    if c.req.proposed.is_title() {
        c.check(
            "title_is_yearly",
            "Điều 8",
            false,
            format!(
                "{} là danh hiệu xét hằng năm (khen thưởng thường xuyên), không xét theo loại hình {}",
                c.req.proposed,
                super::catalogue::award_type_label(c.req.award_type)
            ),
        );
        return true;
    }
    false
}

fn achievement<'a>(c: &Ctx<'a>) -> Option<&'a Achievement> {
    c.req.achievement.as_ref()
}

fn movement_name(a: &Achievement) -> String {
    a.movement
        .as_deref()
        .map_or_else(|| "phong trào".to_owned(), |m| format!("phong trào «{m}»"))
}

/// Điều 5 khoản 2: an achievement is rewarded once at each level.
fn not_twice_for_achievement(c: &mut Ctx<'_>, a: &Achievement) {
    let level = c.req.proposed.level();
    let earlier = a.rewarded.iter().find(|r| r.level() == level);
    let what = if a.kind == AchievementKind::Movement {
        format!("thành tích trong {}", movement_name(a))
    } else {
        "thành tích này".to_owned()
    };
    c.check(
        "achievement_not_rewarded_twice",
        "Điều 5 khoản 2",
        earlier.is_none(),
        match earlier {
            Some(e) => format!(
                "{what} ({}–{}) đã được tặng {e} ({}); không khen lần nữa cùng cấp",
                a.period_from,
                a.period_to,
                level.label()
            ),
            None => format!("{what} chưa được khen ở {}", level.label()),
        },
    );
}

/// Khen thưởng theo đợt, chuyên đề: an outstanding achievement recognised
/// at a movement's review, at a level the form requires.
pub(super) fn thematic(c: &mut Ctx<'_>) {
    if title_only_by_year(c) {
        return;
    }
    let Some(a) = achievement(c) else { return };
    let in_movement = c.check(
        "achievement_in_movement",
        "Điều 8",
        a.kind == AchievementKind::Movement,
        if a.kind == AchievementKind::Movement {
            format!("thành tích trong {}", movement_name(a))
        } else {
            "khen theo đợt cần thành tích trong một phong trào thi đua".to_owned()
        },
    );
    if !in_movement {
        return;
    }
    let (article, needs_outstanding, min_level) = match c.req.proposed {
        AwardCode::GiayKhen => ("Điều 75", false, MovementLevel::CoSo),
        AwardCode::BangKhenTinh => ("Điều 74 khoản 1 điểm a", true, MovementLevel::Tinh),
        AwardCode::HuanChuongLaoDongHangBa if is_worker_or_farmer(c) => {
            ("Điều 44 khoản 2", true, MovementLevel::Tinh)
        }
        other => {
            c.review = true;
            c.check(
                "unconfirmed_criteria",
                "Điều 8",
                true,
                format!("tiêu chuẩn khen theo đợt của {other} chưa được đối chiếu văn bản chính thức: cơ quan thẩm định xem xét"),
            );
            not_twice_for_achievement(c, a);
            return;
        }
    };
    c.check(
        "recognised_at_review",
        article,
        a.recognised_at.is_some(),
        match a.recognised_at {
            Some(super::inputs::ReviewStage::TongKet) => {
                format!("được bình xét tại tổng kết {}", movement_name(a))
            }
            Some(super::inputs::ReviewStage::SoKet) => {
                format!("được bình xét tại sơ kết {}", movement_name(a))
            }
            None => "thành tích chưa được bình xét tại sơ kết, tổng kết phong trào".to_owned(),
        },
    );
    if needs_outstanding {
        c.check(
            "outstanding",
            article,
            a.outstanding,
            if a.outstanding {
                "thành tích tiêu biểu, xuất sắc".to_owned()
            } else {
                "thành tích chưa được đánh giá tiêu biểu, xuất sắc".to_owned()
            },
        );
    }
    let level_ok = a.movement_level.is_some_and(|l| l >= min_level);
    c.check(
        "movement_level",
        article,
        level_ok,
        format!(
            "phong trào do {} phát động (cần từ {})",
            a.movement_level.map_or("(chưa rõ cấp)", level_label),
            level_label(min_level)
        ),
    );
    if c.req.proposed == AwardCode::HuanChuongLaoDongHangBa {
        let min = c.param(params::HCLD3_MOVEMENT_YEARS) as u32;
        let years = a.movement_years.unwrap_or(0);
        c.check(
            "movement_years",
            article,
            years >= min,
            format!("phong trào kéo dài {years} năm (cần từ {min} năm)"),
        );
    }
    not_twice_for_achievement(c, a);
}

fn level_label(l: MovementLevel) -> &'static str {
    match l {
        MovementLevel::CoSo => "cơ quan, đơn vị, cấp xã",
        MovementLevel::Tinh => "bộ, ban, ngành, tỉnh",
        MovementLevel::TrungUong => "Chủ tịch nước, Thủ tướng Chính phủ",
    }
}

fn is_worker_or_farmer(c: &Ctx<'_>) -> bool {
    c.req.subject.category.as_deref().is_some_and(|k| {
        matches!(
            k,
            "cong_nhan" | "nong_dan" | "nguoi_lao_dong" | "worker" | "farmer" | "direct_labourer"
        )
    })
}

/// Khen thưởng đột xuất: a sudden achievement, whose weight and reach
/// the appraising body judges.
pub(super) fn sudden(c: &mut Ctx<'_>) {
    if title_only_by_year(c) {
        return;
    }
    let Some(a) = achievement(c) else { return };
    let article = match c.req.proposed {
        AwardCode::GiayKhen => "Điều 75",
        AwardCode::BangKhenTinh => "Điều 74 khoản 1 điểm b",
        AwardCode::HuanChuongLaoDongHangBa if is_worker_or_farmer(c) => "Điều 44 khoản 2",
        _ => "Điều 8",
    };
    let ok = c.check(
        "sudden_achievement",
        article,
        a.kind == AchievementKind::Sudden,
        if a.kind == AchievementKind::Sudden {
            "thành tích đột xuất".to_owned()
        } else {
            "khen đột xuất cần thành tích đột xuất".to_owned()
        },
    );
    if ok {
        c.review = true;
        c.check(
            "achievement_judged",
            article,
            true,
            format!(
                "{} khen thưởng đột xuất: cơ quan thẩm định đánh giá mức độ và phạm vi ảnh hưởng của thành tích, không xét số năm danh hiệu",
                c.req.proposed
            ),
        );
    }
    not_twice_for_achievement(c, a);
}

/// Khen thưởng quá trình cống hiến: years in leading posts, by band
/// (Điều 44 khoản 1 điểm g; Nghị định 152/2025 Điều 21). A year in a
/// higher post counts toward every lower band.
pub(super) fn dedication(c: &mut Ctx<'_>) {
    let bands: &[(PostLevel, params::Param)] = match c.req.proposed {
        AwardCode::HuanChuongLaoDongHangBa => &[
            (PostLevel::TongCucTruong, params::DEDICATION_HCLD3_TCT),
            (PostLevel::PhoTongCucTruong, params::DEDICATION_HCLD3_PTCT),
            (PostLevel::GiamDoc, params::DEDICATION_HCLD3_GD),
            (PostLevel::PhoGiamDoc, params::DEDICATION_HCLD3_PGD),
        ],
        AwardCode::HuanChuongLaoDongHangNhi => &[
            (PostLevel::TongCucTruong, params::DEDICATION_HCLD2_TCT),
            (PostLevel::PhoTongCucTruong, params::DEDICATION_HCLD2_PTCT),
            (PostLevel::GiamDoc, params::DEDICATION_HCLD2_GD),
            (PostLevel::PhoGiamDoc, params::DEDICATION_HCLD2_PGD),
        ],
        other => {
            c.review = true;
            c.check(
                "unconfirmed_criteria",
                "Điều 8",
                true,
                format!("tiêu chuẩn khen quá trình cống hiến của {other} chưa được đối chiếu: cơ quan thẩm định xem xét"),
            );
            return;
        }
    };
    let on = c.req.decision_date;
    let years_at_least = |level: PostLevel| -> i32 {
        c.req
            .positions
            .iter()
            .filter(|p| p.level >= level)
            .map(|p| whole_years(p.from, p.until.unwrap_or(on).min(on)))
            .sum()
    };
    let mut best: Option<(PostLevel, i32, i32)> = None;
    let mut summary = Vec::new();
    for (level, p) in bands {
        let need = c.param(*p) as i32;
        let have = years_at_least(*level);
        summary.push(format!("{}: {have} năm (cần {need})", level.label()));
        if have >= need && best.is_none() {
            best = Some((*level, have, need));
        }
    }
    let article = if c.req.proposed == AwardCode::HuanChuongLaoDongHangBa {
        "Điều 44 khoản 1 điểm g"
    } else {
        "Điều 43"
    };
    if !c.check(
        "years_in_posts",
        article,
        best.is_some(),
        summary.join("; "),
    ) {
        c.missing("cần thêm thời gian giữ chức vụ lãnh đạo, quản lý".to_owned());
    }
}

/// Khen thưởng theo niên hạn: the armed forces, by years of service.
pub(super) fn seniority(c: &mut Ctx<'_>) {
    let armed = c
        .req
        .subject
        .category
        .as_deref()
        .is_some_and(|k| matches!(k, "quan_doi" | "cong_an" | "luc_luong_vu_trang"))
        || c.req.subject.unit_type.as_deref() == Some("luc_luong_vu_trang");
    if !c.check(
        "armed_forces",
        "Điều 8",
        armed,
        if armed {
            "cán bộ, chiến sĩ lực lượng vũ trang".to_owned()
        } else {
            "khen thưởng theo niên hạn chỉ dành cho lực lượng vũ trang (quân đội, công an)"
                .to_owned()
        },
    ) {
        return;
    }
    let need = match c.req.proposed {
        AwardCode::HuyChuongChienSiVeVangHangBa => params::HCCSVV3_YEARS,
        AwardCode::HuyChuongChienSiVeVangHangNhi => params::HCCSVV2_YEARS,
        AwardCode::HuyChuongChienSiVeVangHangNhat => params::HCCSVV1_YEARS,
        other => {
            c.review = true;
            c.check(
                "unconfirmed_criteria",
                "Điều 8",
                true,
                format!("{other} không phải hình thức khen theo niên hạn mà hệ thống xét: cơ quan thẩm định xem xét"),
            );
            return;
        }
    };
    let need = c.param(need) as i32;
    let Some(e) = c.req.history.employment else {
        c.check(
            "years_of_service",
            "Chương III Mục 2",
            false,
            "chưa có ngày bắt đầu phục vụ".to_owned(),
        );
        return;
    };
    let on = c.req.decision_date;
    let years = whole_years(e.start, e.end.unwrap_or(on).min(on));
    if !c.check(
        "years_of_service",
        "Chương III Mục 2",
        years >= need,
        format!("{years} năm phục vụ (cần từ {need} năm)"),
    ) {
        c.not_before(e.start.year() + need);
    }
}

/// Khen thưởng đối ngoại: for foreigners and Vietnamese abroad; the
/// contribution is weighed by people.
pub(super) fn foreign(c: &mut Ctx<'_>) {
    let foreign = c.req.subject.category.as_deref().is_some_and(|k| {
        matches!(
            k,
            "nguoi_nuoc_ngoai" | "nguoi_viet_nam_o_nuoc_ngoai" | "to_chuc_nuoc_ngoai"
        )
    });
    if c.check(
        "foreign_subject",
        "Điều 8",
        foreign,
        if foreign {
            "người nước ngoài, người Việt Nam ở nước ngoài hoặc tổ chức nước ngoài".to_owned()
        } else {
            "khen thưởng đối ngoại dành cho người nước ngoài, người Việt Nam ở nước ngoài, tổ chức nước ngoài".to_owned()
        },
    ) {
        c.review = true;
        c.check(
            "contribution_judged",
            "Điều 8",
            true,
            "đóng góp cho Việt Nam do cơ quan đối ngoại và cơ quan thẩm định đánh giá".to_owned(),
        );
    }
}

/// Thẩm quyền quyết định: the office exists on the decision day and the
/// form is within its competence then.
pub(super) fn authority(c: &mut Ctx<'_>) {
    let Some(d) = c.req.decided_by else { return };
    let on = c.req.decision_date;
    let mut office = Office::central(d.authority);
    office.until = d.until;
    let article = competence_article(d.authority, on);
    match office.may_decide(c.req.proposed, on) {
        Ok(()) => c.check(
            "competence",
            article,
            true,
            format!("{} có thẩm quyền tặng {}", office.name(), c.req.proposed),
        ),
        Err(e) => c.check("competence", article, false, e.to_string()),
    };
}

/// Điều 93 khoản 1: a later finding about a year the award rests on
/// means its criteria were not met.
pub(super) fn findings(c: &mut Ctx<'_>) {
    let to = c.req.year;
    let from = c
        .req
        .achievement
        .as_ref()
        .map(|a| a.period_from)
        .or(c.req.period_from)
        .unwrap_or(to);
    for f in &c.req.findings {
        let within = (from..=to).contains(&f.year);
        let article = format!("Điều 93 khoản 1 điểm {}", f.ground.point());
        let note = if f.note.trim().is_empty() {
            String::new()
        } else {
            format!(": {}", f.note.trim())
        };
        c.check(
            "finding",
            &article,
            !within,
            if within {
                format!("năm {}: {}{note}", f.year, f.ground.label())
            } else {
                format!(
                    "kết luận về năm {} nằm ngoài kỳ thành tích {}–{to}",
                    f.year, from
                )
            },
        );
    }
}

/// Subjects the forms of these types apply to, beyond the regular ones.
pub(super) fn individual_only(code: AwardCode) -> bool {
    matches!(
        code,
        AwardCode::HuyChuongChienSiVeVangHangBa
            | AwardCode::HuyChuongChienSiVeVangHangNhi
            | AwardCode::HuyChuongChienSiVeVangHangNhat
    )
}

pub(super) fn kind_fits(code: AwardCode, kind: SubjectKind) -> bool {
    !(individual_only(code) && kind != SubjectKind::Individual)
}
