//! The rules, one function per award, built from small checks.

use super::codes::{AwardCode, DisciplineLevel, InitiativeScope, Rating, SubjectKind};
use super::collective_rules::{collective_title, flag};
use super::context::{Ctx, finish, years};
use super::params::{self, Param};
use super::request::{AwardType, CheckRequest, RequestError};
use super::{RuleSet, Verdict};

/// Judges a request.
pub fn check(req: &CheckRequest) -> Result<Verdict, RequestError> {
    req.validate()?;
    let mut c = Ctx {
        req,
        rs: super::RuleSet::for_decision(req.decision_date),
        checks: Vec::new(),
        uncertain: Vec::new(),
        missing: Vec::new(),
        next: None,
        review: false,
    };
    let individual = matches!(
        req.proposed,
        AwardCode::LaoDongTienTien
            | AwardCode::ChienSiThiDuaCoSo
            | AwardCode::ChienSiThiDuaTinh
            | AwardCode::ChienSiThiDuaToanQuoc
    );
    let collective = matches!(
        req.proposed,
        AwardCode::TapTheLaoDongTienTien
            | AwardCode::TapTheLaoDongXuatSac
            | AwardCode::CoThiDuaTinh
            | AwardCode::CoThiDuaChinhPhu
    );
    let kind_ok = super::other_types::kind_fits(req.proposed, req.subject.kind)
        && match req.subject.kind {
            SubjectKind::Individual => !collective,
            SubjectKind::Collective => !individual,
            SubjectKind::Household => {
                matches!(req.proposed, AwardCode::GiayKhen | AwardCode::BangKhenTinh)
            }
        };
    if !c.check(
        "subject_kind",
        "Điều 7",
        kind_ok,
        format!(
            "{} {}áp dụng cho đối tượng này",
            req.proposed,
            if kind_ok { "" } else { "không " }
        ),
    ) {
        return Ok(finish(c));
    }
    super::other_types::authority(&mut c);
    super::other_types::findings(&mut c);
    match req.award_type {
        AwardType::Regular => regular(&mut c),
        AwardType::Thematic => super::other_types::thematic(&mut c),
        AwardType::AdHoc => super::other_types::sudden(&mut c),
        AwardType::Dedication => super::other_types::dedication(&mut c),
        AwardType::Seniority => super::other_types::seniority(&mut c),
        AwardType::Foreign => super::other_types::foreign(&mut c),
    }
    Ok(finish(c))
}

/// Khen thưởng thường xuyên: the titles and years each form asks for.
fn regular(c: &mut Ctx<'_>) {
    let req = c.req;
    match req.proposed {
        AwardCode::LaoDongTienTien => {
            advanced_worker(c, req.year);
        }
        AwardCode::ChienSiThiDuaCoSo => grassroots_fighter(c),
        AwardCode::ChienSiThiDuaTinh => provincial_fighter(c),
        AwardCode::ChienSiThiDuaToanQuoc => national_fighter(c),
        AwardCode::BangKhenTinh => provincial_merit(c),
        AwardCode::BangKhenThuTuong => five_years_after(
            c,
            AwardCode::BangKhenTinh,
            "Điều 73 khoản 1 điểm b",
            params::BK_TTG_YEARS,
            params::BK_TTG_CSTDCS_TIMES,
            None,
        ),
        AwardCode::HuanChuongLaoDongHangBa => five_years_after(
            c,
            AwardCode::BangKhenThuTuong,
            "Điều 44 khoản 1 điểm e",
            params::HCLD3_YEARS,
            params::HCLD3_CSTDCS_TIMES,
            Some(params::HCLD3_HTXSNV_YEARS),
        ),
        AwardCode::CoThiDuaTinh => flag(c, false),
        AwardCode::CoThiDuaChinhPhu => flag(c, true),
        AwardCode::TapTheLaoDongTienTien => collective_title(c, false),
        AwardCode::TapTheLaoDongXuatSac => collective_title(c, true),
        other => {
            c.review = true;
            c.check(
                "unconfirmed_criteria",
                "tiêu chuẩn chưa đối chiếu,",
                true,
                format!("tiêu chuẩn của {other} chưa được đối chiếu văn bản chính thức: cần cán bộ thẩm định xem xét"),
            );
        }
    }
    not_rewarded_twice(c);
}

/// Điều 24: hoàn thành tốt nhiệm vụ trở lên; not disciplined; worked
/// long enough in the year.
fn advanced_worker(c: &mut Ctx<'_>, y: i32) -> bool {
    let rating = c.req.rating(y);
    let ok = c.check(
        "rating_at_least_httnv",
        "Điều 24 khoản 1",
        rating.is_some_and(|r| r >= Rating::CompletedWell),
        match rating {
            Some(r) => format!("năm {y} xếp loại {}", r.label()),
            None => format!("năm {y} chưa có xếp loại"),
        },
    );
    if !ok {
        c.missing(format!(
            "cần xếp loại hoàn thành tốt nhiệm vụ trở lên năm {y}"
        ));
        c.not_before(y + 1);
    }
    c.param(params::LDTT_DISCIPLINE_FROM);
    let disciplined = c.req.disciplined(y, DisciplineLevel::KhienTrach);
    let clean = c.check(
        "no_discipline",
        "Điều 24",
        disciplined.is_none(),
        match disciplined {
            Some(l) => format!("năm {y} bị kỷ luật {}", l.label()),
            None => format!("năm {y} không bị kỷ luật"),
        },
    );
    if !clean {
        c.missing(format!("năm {y} bị kỷ luật"));
        c.not_before(y + 1);
    }
    let mut worked = true;
    if let Some(e) = c.req.history.employment {
        let min = c.param(params::LDTT_MIN_MONTHS) as i32;
        let from = if e.start.year() == y {
            i32::from(u8::from(e.start.month()))
        } else if e.start.year() < y {
            1
        } else {
            13
        };
        let to = match e.end {
            Some(end) if end.year() == y => i32::from(u8::from(end.month())),
            Some(end) if end.year() < y => 0,
            _ => 12,
        };
        let months = (to - from + 1).max(0);
        worked = c.check(
            "months_worked",
            "Điều 24",
            months >= min,
            format!("năm {y} công tác {months} tháng (cần từ {min} tháng)"),
        );
        if !worked {
            c.missing(format!("cần công tác đủ {min} tháng trong năm"));
            c.not_before(y + 1);
        }
    }
    ok && clean && worked
}

/// Điều 23: LĐTT, and HTXSNV or a recognised initiative (before 2024 the
/// initiative was required).
fn grassroots_fighter(c: &mut Ctx<'_>) {
    let y = c.req.year;
    advanced_worker(c, y);
    let initiative =
        c.free_initiatives(y..=y, InitiativeScope::CoSo, AwardCode::ChienSiThiDuaCoSo) > 0;
    if c.rs == RuleSet::Law2013 {
        c.param(params::CSTDCS_INITIATIVE_REQUIRED_BEFORE_2024);
        if !c.check(
            "initiative",
            "Điều 23",
            initiative,
            format!(
                "năm {y} {}có sáng kiến được công nhận",
                if initiative { "" } else { "không " }
            ),
        ) {
            c.missing(format!("cần sáng kiến được công nhận năm {y}"));
            c.not_before(y + 1);
        }
        return;
    }
    let excellent = c.rating_at_least(y, Rating::CompletedExcellently);
    if !c.check(
        "excellent_or_initiative",
        "Điều 23",
        excellent || initiative,
        format!(
            "năm {y}: {}; {}",
            if excellent {
                "hoàn thành xuất sắc nhiệm vụ"
            } else {
                "không hoàn thành xuất sắc nhiệm vụ"
            },
            if initiative {
                "có sáng kiến được công nhận"
            } else {
                "không có sáng kiến được công nhận"
            }
        ),
    ) {
        c.missing(format!(
            "cần hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến năm {y}"
        ));
        c.not_before(y + 1);
    }
}

/// Điều 22: 3 consecutive CSTĐCS since the last CSTĐ tỉnh, and an
/// initiative of provincial scope.
fn provincial_fighter(c: &mut Ctx<'_>) {
    let y = c.req.year;
    let n = c.param(params::CSTD_TINH_CSTDCS_YEARS) as i32;
    let last = c
        .req
        .awards_of(AwardCode::ChienSiThiDuaTinh)
        .first()
        .and_then(|a| a.achievement_end());
    let streak = c.streak(y, |x| {
        last.is_none_or(|l| x > l) && c.req.has_title(AwardCode::ChienSiThiDuaCoSo, x)
    });
    let ok = c.check(
        "consecutive_cstdcs",
        "Điều 22 khoản 1",
        streak >= n,
        format!(
            "{} lần liên tục Chiến sĩ thi đua cơ sở đến năm {y}{} (cần {n})",
            streak,
            last.map(|l| format!(
                ", tính sau lần Chiến sĩ thi đua cấp tỉnh có thành tích đến năm {l}"
            ))
            .unwrap_or_default()
        ),
    );
    if !ok {
        c.missing(format!(
            "cần thêm {} năm Chiến sĩ thi đua cơ sở liên tiếp",
            n - streak
        ));
        c.not_before(y + n - streak);
    }
    let from = y - n + 1;
    let initiatives = c.free_initiatives(
        from..=y,
        InitiativeScope::Tinh,
        AwardCode::ChienSiThiDuaTinh,
    );
    if !c.check(
        "provincial_initiative",
        "Điều 22 khoản 2",
        initiatives > 0,
        format!(
            "{initiatives} sáng kiến phạm vi cấp tỉnh chưa dùng trong {}",
            years(from, y)
        ),
    ) {
        c.missing("cần sáng kiến có phạm vi ảnh hưởng cấp tỉnh".to_owned());
        c.not_before(y + 1);
    }
}

/// Điều 21: two consecutive CSTĐ tỉnh, the second ending with the proposal's
/// year, and an initiative of national scope.
fn national_fighter(c: &mut Ctx<'_>) {
    let y = c.req.year;
    let n = c.param(params::CSTD_TQ_CSTD_TINH_TIMES) as usize;
    let held = c.req.awards_of(AwardCode::ChienSiThiDuaTinh);
    let mut chain = 0usize;
    let mut expect_end = y;
    for a in &held {
        if a.achievement_end() == Some(expect_end) {
            chain += 1;
            expect_end = a.achievement_start().unwrap_or(expect_end)
                - if a.period_from.is_some() { 1 } else { 3 };
        } else {
            break;
        }
    }
    if !c.check(
        "consecutive_provincial",
        "Điều 21 khoản 1",
        chain >= n,
        format!("{chain} lần liên tục Chiến sĩ thi đua cấp tỉnh, lần gần nhất có thành tích đến năm {y} (cần {n})"),
    ) {
        c.missing(format!("cần {} lần Chiến sĩ thi đua cấp tỉnh liên tục, lần sau cùng kết thúc năm đề nghị", n));
        c.not_before(y + 3);
    }
    let from = held
        .get(n.saturating_sub(1))
        .and_then(|a| a.achievement_start())
        .unwrap_or(y - 5);
    let initiatives = c.free_initiatives(
        from..=y,
        InitiativeScope::ToanQuoc,
        AwardCode::ChienSiThiDuaToanQuoc,
    );
    if !c.check(
        "national_initiative",
        "Điều 21 khoản 2",
        initiatives > 0,
        format!(
            "{initiatives} sáng kiến phạm vi toàn quốc trong {}",
            years(from, y)
        ),
    ) {
        c.missing("cần sáng kiến có phạm vi ảnh hưởng toàn quốc".to_owned());
    }
}

/// Điều 74 khoản 1 điểm d: CSTĐCS twice in a row, or two years HTXSNV in a
/// row with two initiatives not already used for CSTĐCS.
fn provincial_merit(c: &mut Ctx<'_>) {
    let y = c.req.year;
    if c.req.subject.kind != SubjectKind::Individual {
        c.review = true;
        c.check(
            "unconfirmed_criteria",
            "Điều 74 khoản 3–4",
            true,
            "tiêu chuẩn Bằng khen cho tập thể, hộ gia đình chưa được đối chiếu: cần thẩm định"
                .to_owned(),
        );
        return;
    }
    let n = c.param(params::BK_TINH_CSTDCS_YEARS) as i32;
    let streak = c.streak(y, |x| c.req.has_title(AwardCode::ChienSiThiDuaCoSo, x));
    let by_titles = streak >= n;
    let m = c.param(params::BK_TINH_HTXSNV_YEARS) as i32;
    let excellent = c.streak(y, |x| c.rating_at_least(x, Rating::CompletedExcellently));
    let need = c.param(params::BK_TINH_INITIATIVES) as usize;
    let initiatives = c.free_initiatives(
        y - m + 1..=y,
        InitiativeScope::CoSo,
        AwardCode::BangKhenTinh,
    );
    let by_initiatives = excellent >= m && initiatives >= need;
    let ok = c.check(
        "point_d",
        "Điều 74 khoản 1 điểm d",
        by_titles || by_initiatives,
        format!(
            "{streak} lần liên tục Chiến sĩ thi đua cơ sở đến năm {y} (cần {n}); hoặc {excellent} năm liên tục hoàn thành xuất sắc nhiệm vụ (cần {m}) với {initiatives} sáng kiến chưa dùng (cần {need})"
        ),
    );
    if !ok {
        c.missing(format!(
            "cần thêm {} năm Chiến sĩ thi đua cơ sở liên tiếp",
            n - streak.min(n)
        ));
        c.not_before(y + n - streak.min(n));
    }
}

/// Điều 73 khoản 1 điểm b / Điều 44 khoản 1 điểm e: after a prerequisite
/// award, ≥ 5 consecutive years HTTNV+ (counted from its achievement
/// period), with CSTĐCS a number of times (and HTXSNV years) within them.
fn five_years_after(
    c: &mut Ctx<'_>,
    prerequisite: AwardCode,
    article: &str,
    years_param: Param,
    times_param: Param,
    excellent_param: Option<Param>,
) {
    let y = c.req.year;
    let Some(base) = c.req.awards_of(prerequisite).first().copied() else {
        c.check(
            "prerequisite",
            article,
            false,
            format!("chưa có {prerequisite}"),
        );
        c.missing(format!("cần {prerequisite}"));
        return;
    };
    let base_end = base.achievement_end().unwrap_or(y);
    // A previous award of the proposed form also restarts the count.
    let previous = c
        .req
        .awards_of(c.req.proposed)
        .first()
        .and_then(|a| a.achievement_end());
    let start = base_end.max(previous.unwrap_or(i32::MIN)) + 1;
    c.check(
        "prerequisite",
        article,
        true,
        format!("đã có {prerequisite} với thành tích đến năm {base_end}; tính từ năm {start}"),
    );
    let n = c.param(years_param) as i32;
    let streak = c.streak(y, |x| {
        x >= start && c.rating_at_least(x, Rating::CompletedWell)
    });
    if !c.check(
        "consecutive_years_httnv",
        article,
        streak >= n,
        format!("{streak} năm liên tục hoàn thành tốt nhiệm vụ trở lên đến năm {y} (cần {n})"),
    ) {
        c.missing(format!(
            "cần thêm {} năm hoàn thành tốt nhiệm vụ trở lên liên tiếp",
            n - streak
        ));
        c.not_before(y + n - streak);
    }
    let window_start = y - streak + 1;
    let times = c.param(times_param) as usize;
    let got = (window_start..=y)
        .filter(|x| c.req.has_title(AwardCode::ChienSiThiDuaCoSo, *x))
        .count();
    if !c.check(
        "cstdcs_times",
        article,
        got >= times,
        format!(
            "{got} lần Chiến sĩ thi đua cơ sở trong {} (cần {times})",
            years(window_start.min(y), y)
        ),
    ) {
        c.missing(format!(
            "cần thêm {} lần Chiến sĩ thi đua cơ sở",
            times - got
        ));
        c.not_before(y + (times - got) as i32);
    }
    if let Some(p) = excellent_param {
        let need = c.param(p) as usize;
        let got = (window_start..=y)
            .filter(|x| c.rating_at_least(*x, Rating::CompletedExcellently))
            .count();
        if !c.check(
            "htxsnv_years",
            article,
            got >= need,
            format!(
                "{got} năm hoàn thành xuất sắc nhiệm vụ trong {} (cần {need})",
                years(window_start.min(y), y)
            ),
        ) {
            c.missing(format!(
                "cần thêm {} năm hoàn thành xuất sắc nhiệm vụ",
                need - got
            ));
            c.not_before(y + (need - got) as i32);
        }
    }
}

/// Điều 5 khoản 2: one achievement is not rewarded twice with the same form.
fn not_rewarded_twice(c: &mut Ctx<'_>) {
    let y = c.req.year;
    let twice = c.req.awards_of(c.req.proposed).into_iter().find(|a| {
        a.achievement_end() == Some(y)
            || a.achievement_start()
                .zip(a.achievement_end())
                .is_some_and(|(s, e)| s <= y && y <= e)
    });
    if let Some(a) = twice {
        c.check(
            "not_rewarded_twice",
            "Điều 5 khoản 2",
            false,
            format!(
                "thành tích năm {y} đã được tặng {} (kỳ {}–{})",
                c.req.proposed,
                a.achievement_start().unwrap_or(y),
                a.achievement_end().unwrap_or(y)
            ),
        );
        c.missing("thành tích này đã được khen; cần thành tích mới".to_owned());
        c.not_before(y + 1);
    }
}
