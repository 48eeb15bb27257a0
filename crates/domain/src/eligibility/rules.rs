//! The rules, one function per award, built from small checks.

use super::codes::{AwardCode, DisciplineLevel, InitiativeScope, Rating, SubjectKind};
use super::params::{self, Param};
use super::request::{AwardType, CheckRequest, ClusterOrganiser, RequestError};
use super::{Check, Outcome, RuleSet, Verdict};

struct Ctx<'a> {
    req: &'a CheckRequest,
    rs: RuleSet,
    checks: Vec<Check>,
    uncertain: Vec<String>,
    missing: Vec<String>,
    next: Option<i32>,
    review: bool,
}

impl Ctx<'_> {
    fn article(&self, a: &str) -> String {
        format!("{a} {}", self.rs.law())
    }

    fn check(&mut self, rule: &'static str, article: &str, passed: bool, message: String) -> bool {
        let article = self.article(article);
        self.checks.push(Check {
            rule,
            article,
            passed,
            message,
        });
        passed
    }

    fn param(&mut self, p: Param) -> f64 {
        if !p.confirmed && !self.uncertain.iter().any(|u| u == p.id) {
            self.uncertain.push(p.id.to_owned());
        }
        p.value
    }

    /// The subject could qualify in `y` at the earliest, if the years before
    /// then go well.
    fn not_before(&mut self, y: i32) {
        self.next = Some(self.next.map_or(y, |n| n.max(y)));
    }

    fn missing(&mut self, m: String) {
        self.missing.push(m);
    }

    fn rating_at_least(&self, y: i32, min: Rating) -> bool {
        self.req.rating(y).is_some_and(|r| r >= min)
    }

    /// How many years up to `year` in a row satisfy `f`.
    fn streak(&self, year: i32, f: impl Fn(i32) -> bool) -> i32 {
        let mut n = 0;
        while n < 60 && f(year - n) {
            n += 1;
        }
        n
    }

    /// Initiatives of at least `scope` in `years`, not used by another award.
    fn free_initiatives(
        &self,
        years: std::ops::RangeInclusive<i32>,
        scope: InitiativeScope,
        for_award: AwardCode,
    ) -> usize {
        self.req
            .history
            .initiatives
            .iter()
            .filter(|i| {
                i.status == super::request::HeldStatus::Active
                    && years.contains(&i.year)
                    && i.scope >= scope
                    && i.used_by.is_none_or(|u| {
                        u == for_award && i.used_by_year.is_none_or(|y| y == self.req.year)
                    })
            })
            .count()
    }
}

fn years(a: i32, b: i32) -> String {
    if a == b {
        format!("năm {a}")
    } else {
        format!("các năm {a}–{b}")
    }
}

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
    let kind_ok = match req.subject.kind {
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
    if req.award_type != AwardType::Regular {
        // Thematic, ad hoc, dedication… rest on judged achievements.
        c.review = true;
        c.check(
            "award_type",
            "Điều 8",
            true,
            "khen thưởng không thường xuyên: thành tích cần cơ quan thẩm định đánh giá".to_owned(),
        );
    }
    if matches!(req.award_type, AwardType::Thematic | AwardType::AdHoc)
        && matches!(req.proposed, AwardCode::BangKhenTinh | AwardCode::GiayKhen)
    {
        // A Bằng khen or Giấy khen for an achievement in a movement, or a
        // sudden one, rests on that achievement alone: the years of titles
        // that a regular one needs are not asked for.
        let article = if req.proposed == AwardCode::GiayKhen {
            "Điều 75"
        } else if req.award_type == AwardType::Thematic {
            "Điều 74 khoản 1 điểm a"
        } else {
            "Điều 74 khoản 1 điểm b"
        };
        c.check(
            "achievement_judged",
            article,
            true,
            format!(
                "{} khen thưởng {}: xét theo thành tích được cơ quan thẩm định đánh giá, không xét số năm danh hiệu",
                req.proposed,
                super::catalogue::award_type_label(req.award_type)
            ),
        );
        return Ok(finish(c));
    }
    match req.proposed {
        AwardCode::LaoDongTienTien => {
            advanced_worker(&mut c, req.year);
        }
        AwardCode::ChienSiThiDuaCoSo => grassroots_fighter(&mut c),
        AwardCode::ChienSiThiDuaTinh => provincial_fighter(&mut c),
        AwardCode::ChienSiThiDuaToanQuoc => national_fighter(&mut c),
        AwardCode::BangKhenTinh => provincial_merit(&mut c),
        AwardCode::BangKhenThuTuong => five_years_after(
            &mut c,
            AwardCode::BangKhenTinh,
            "Điều 73 khoản 1 điểm b",
            params::BK_TTG_YEARS,
            params::BK_TTG_CSTDCS_TIMES,
            None,
        ),
        AwardCode::HuanChuongLaoDongHangBa => five_years_after(
            &mut c,
            AwardCode::BangKhenThuTuong,
            "Điều 44 khoản 1 điểm e",
            params::HCLD3_YEARS,
            params::HCLD3_CSTDCS_TIMES,
            Some(params::HCLD3_HTXSNV_YEARS),
        ),
        AwardCode::CoThiDuaTinh => flag(&mut c, false),
        AwardCode::CoThiDuaChinhPhu => flag(&mut c, true),
        AwardCode::TapTheLaoDongTienTien => collective_title(&mut c, false),
        AwardCode::TapTheLaoDongXuatSac => collective_title(&mut c, true),
        other => {
            c.review = true;
            c.check(
                "unconfirmed_criteria",
                "LAW.md §8",
                true,
                format!("tiêu chuẩn của {other} chưa được đối chiếu văn bản chính thức: cần cán bộ thẩm định xem xét"),
            );
        }
    }
    not_rewarded_twice(&mut c);
    Ok(finish(c))
}

fn finish(c: Ctx<'_>) -> Verdict {
    let failed = c.checks.iter().any(|x| !x.passed);
    let verdict = if failed {
        Outcome::NotEligible
    } else if c.review {
        Outcome::NeedsReview
    } else {
        Outcome::Eligible
    };
    Verdict {
        verdict,
        next_eligible_year: if failed { c.next } else { None },
        missing: if failed { c.missing } else { Vec::new() },
        checks: c.checks,
        uncertain: c.uncertain,
        rule_set: c.rs,
    }
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
        "Điều 24; LAW.md §5.4",
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
            "Điều 24; LAW.md §2.1",
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
            "Điều 74 khoản 3–4; LAW.md §8.7",
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

/// Tập thể lao động tiên tiến / xuất sắc.
fn collective_title(c: &mut Ctx<'_>, excellent: bool) {
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
/// Government flag always does (its numeric cap is unconfirmed, LAW.md §8.5).
/// The thematic-movement routes to a flag need the movement's review: an
/// ad hoc or thematic proposal is already sent to review above.
fn flag(c: &mut Ctx<'_>, government: bool) {
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
            "Thủ tướng chọn trong số các tập thể dẫn đầu; giới hạn số lượng chưa đối chiếu (LAW.md §8.5): cần hội đồng xem xét".to_owned(),
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
