//! The rules of `rules.rs` read off packed bits: each function answers
//! exactly what its counterpart there decides, without the messages.
//! `tests.rs` holds them equal on generated histories.

use super::super::codes::{AwardCode, InitiativeScope, SubjectKind};
use super::super::params::{self, Param};
use super::super::request::{AwardType, CheckRequest, History, Subject};
use super::super::{Outcome, RuleSet, check};
use super::{FIRST_YEAR, PackedHeld, PackedInit, Snapshot, SweepOutcome, code_bit};
use time::Date;

/// One person's columns, read only as a rule needs them: a sweep of a
/// rare award touches one or two columns of most people, not all.
pub(super) struct View<'a> {
    pub(super) snap: &'a Snapshot,
    pub(super) i: usize,
}

impl View<'_> {
    fn good(&self) -> u64 {
        self.snap.good[self.i]
    }
    fn excellent(&self) -> u64 {
        self.snap.excellent[self.i]
    }
    fn cstdcs(&self) -> u64 {
        self.snap.cstdcs[self.i]
    }
    fn ldtt(&self) -> u64 {
        self.snap.ldtt[self.i]
    }
    fn disciplined(&self) -> u64 {
        self.snap.disciplined[self.i]
    }
    fn start(&self) -> u16 {
        self.snap.start[self.i]
    }
    fn codes(&self) -> u32 {
        self.snap.codes[self.i]
    }
    fn held(&self) -> &[PackedHeld] {
        self.snap.lists(self.i).0
    }
    fn inits(&self) -> &[PackedInit] {
        self.snap.lists(self.i).1
    }
}

/// What every person of a sweep is asked.
pub(super) struct Question {
    code: AwardCode,
    year: i32,
    /// `year` as a bit offset (checked in the window by the caller).
    off: u8,
    decision_date: Date,
    rs: RuleSet,
}

fn p(x: Param) -> i32 {
    x.value as i32
}

/// Consecutive set bits from bit `off` downward, capped as the engine's
/// streak is (60).
pub(super) fn streak_bits(bits: u64, off: u8) -> u32 {
    (bits << (63 - off)).leading_ones().min(60)
}

/// Bits of the years `from..=to` (offsets; empty when from > to).
fn span(from: i32, to: i32) -> u64 {
    let from = from.max(0);
    let to = to.min(63);
    if from > to {
        return 0;
    }
    let hi = if to == 63 {
        u64::MAX
    } else {
        (1u64 << (to + 1)) - 1
    };
    hi & !((1u64 << from) - 1)
}

/// The CSTĐCS streak a whole history has up to `year` (its titles only).
pub(super) fn whole_streak(h: &History, year: i32) -> u32 {
    let req = request(h.clone(), AwardCode::ChienSiThiDuaCoSo, year, Date::MIN);
    let mut n = 0;
    while n < 60 && req.has_title(AwardCode::ChienSiThiDuaCoSo, year - n) {
        n += 1;
    }
    n as u32
}

fn request(history: History, code: AwardCode, year: i32, on: Date) -> CheckRequest {
    let subject = Subject {
        kind: SubjectKind::Individual,
        category: None,
        unit_type: None,
    };
    CheckRequest::new(subject, code, year, on, AwardType::Regular, history)
}

impl Question {
    pub(super) fn new(code: AwardCode, year: i32, decision_date: Date) -> Question {
        Question {
            code,
            year,
            off: (year - FIRST_YEAR) as u8,
            decision_date,
            rs: RuleSet::for_decision(decision_date),
        }
    }

    /// The engine itself, on a history that did not pack.
    pub(super) fn whole(&self, h: &History) -> SweepOutcome {
        match check(&request(
            h.clone(),
            self.code,
            self.year,
            self.decision_date,
        )) {
            Ok(v) => SweepOutcome::Judged(v.verdict),
            Err(_) => SweepOutcome::Refused,
        }
    }

    /// Year `y` as an offset, or None outside the window (a bit that is
    /// never set there).
    fn bit(bits: u64, y: i32) -> bool {
        let o = y - FIRST_YEAR;
        (0..64).contains(&o) && bits >> o & 1 == 1
    }

    pub(super) fn packed(&self, v: &View<'_>) -> SweepOutcome {
        let collective = matches!(
            self.code,
            AwardCode::TapTheLaoDongTienTien
                | AwardCode::TapTheLaoDongXuatSac
                | AwardCode::CoThiDuaTinh
                | AwardCode::CoThiDuaChinhPhu
        );
        if collective {
            return SweepOutcome::Judged(Outcome::NotEligible);
        }
        let mut review = false;
        let passed = match self.code {
            AwardCode::LaoDongTienTien => self.advanced_worker(v),
            AwardCode::ChienSiThiDuaCoSo => self.grassroots_fighter(v),
            AwardCode::ChienSiThiDuaTinh => self.provincial_fighter(v),
            AwardCode::ChienSiThiDuaToanQuoc => self.national_fighter(v),
            AwardCode::BangKhenTinh => self.provincial_merit(v),
            AwardCode::BangKhenThuTuong => self.five_years_after(
                v,
                AwardCode::BangKhenTinh,
                params::BK_TTG_YEARS,
                params::BK_TTG_CSTDCS_TIMES,
                None,
            ),
            AwardCode::HuanChuongLaoDongHangBa => self.five_years_after(
                v,
                AwardCode::BangKhenThuTuong,
                params::HCLD3_YEARS,
                params::HCLD3_CSTDCS_TIMES,
                Some(params::HCLD3_HTXSNV_YEARS),
            ),
            _ => {
                review = true;
                true
            }
        };
        // Điều 5 khoản 2 matters only to a verdict still standing.
        let twice = passed && self.rewarded(v);
        SweepOutcome::Judged(if !passed || twice {
            Outcome::NotEligible
        } else if review {
            Outcome::NeedsReview
        } else {
            Outcome::Eligible
        })
    }

    /// Whether the achievement of the year judged was already rewarded
    /// with the award judged (`not_rewarded_twice`).
    fn rewarded(&self, v: &View<'_>) -> bool {
        let by_title = match self.code {
            AwardCode::LaoDongTienTien => Self::bit(v.ldtt(), self.year),
            AwardCode::ChienSiThiDuaCoSo => Self::bit(v.cstdcs(), self.year),
            _ => false,
        };
        by_title
            || (v.codes() & code_bit(self.code) != 0
                && v.held().iter().any(|h| {
                    h.code == self.code && {
                        let (s, e) = (i32::from(h.start), i32::from(h.end));
                        let o = i32::from(self.off);
                        e == o || (s <= o && o <= e)
                    }
                }))
    }

    /// Initiatives of at least `scope` in years `from..=to` not used by
    /// another award (`Ctx::free_initiatives`).
    fn free_initiatives(
        &self,
        v: &View<'_>,
        from: i32,
        to: i32,
        scope: InitiativeScope,
        for_award: AwardCode,
    ) -> usize {
        let year_off = i32::from(self.off);
        v.inits()
            .iter()
            .filter(|i| {
                let iy = i32::from(i.year) + FIRST_YEAR;
                from <= iy
                    && iy <= to
                    && i.scope >= scope
                    && i.used_by.is_none_or(|u| {
                        u == for_award && i.used_year.is_none_or(|uy| i32::from(uy) == year_off)
                    })
            })
            .count()
    }

    fn advanced_worker(&self, v: &View<'_>) -> bool {
        let y = self.year;
        let rated = Self::bit(v.good(), y);
        let clean = !Self::bit(v.disciplined(), y);
        let worked = if v.start() == 0 {
            true
        } else {
            let sy = i32::from(v.start() >> 4) - 1 + FIRST_YEAR;
            let sm = i32::from(v.start() & 0xF);
            let from = if sy == y {
                sm
            } else if sy < y {
                1
            } else {
                13
            };
            (12 - from + 1).max(0) >= p(params::LDTT_MIN_MONTHS)
        };
        rated && clean && worked
    }

    fn grassroots_fighter(&self, v: &View<'_>) -> bool {
        let y = self.year;
        if !self.advanced_worker(v) {
            return false;
        }
        let initiative = || {
            self.free_initiatives(v, y, y, InitiativeScope::CoSo, AwardCode::ChienSiThiDuaCoSo) > 0
        };
        if self.rs == RuleSet::Law2013 {
            return initiative();
        }
        Self::bit(v.excellent(), y) || initiative()
    }

    /// The latest achievement end among the active awards of `code`
    /// (`awards_of(code).first()`), as an offset.
    fn last_end(v: &View<'_>, code: AwardCode) -> Option<i32> {
        v.held()
            .iter()
            .filter(|h| h.code == code)
            .map(|h| i32::from(h.end))
            .max()
    }

    fn provincial_fighter(&self, v: &View<'_>) -> bool {
        let y = self.year;
        let n = p(params::CSTD_TINH_CSTDCS_YEARS);
        // Years after the last award only shorten the streak.
        if (streak_bits(v.cstdcs(), self.off) as i32) < n {
            return false;
        }
        let titles = match Self::last_end(v, AwardCode::ChienSiThiDuaTinh) {
            Some(l) => v.cstdcs() & !span(0, l),
            None => v.cstdcs(),
        };
        let streak = streak_bits(titles, self.off) as i32;
        streak >= n
            && self.free_initiatives(
                v,
                y - n + 1,
                y,
                InitiativeScope::Tinh,
                AwardCode::ChienSiThiDuaTinh,
            ) > 0
    }

    fn national_fighter(&self, v: &View<'_>) -> bool {
        if v.codes() & code_bit(AwardCode::ChienSiThiDuaTinh) == 0 {
            return false;
        }
        let y = self.year;
        let n = p(params::CSTD_TQ_CSTD_TINH_TIMES) as usize;
        // `awards_of`: a stable sort by achievement end, latest first.
        let mut held: Vec<&PackedHeld> = v
            .held()
            .iter()
            .filter(|h| h.code == AwardCode::ChienSiThiDuaTinh)
            .collect();
        held.sort_by_key(|h| std::cmp::Reverse(h.end));
        let mut chain = 0usize;
        let mut expect_end = y;
        for h in &held {
            if i32::from(h.end) + FIRST_YEAR == expect_end {
                chain += 1;
                expect_end = i32::from(h.start) + FIRST_YEAR - if h.has_from { 1 } else { 3 };
            } else {
                break;
            }
        }
        let from = held
            .get(n.saturating_sub(1))
            .map_or(y - 5, |h| i32::from(h.start) + FIRST_YEAR);
        chain >= n
            && self.free_initiatives(
                v,
                from,
                y,
                InitiativeScope::ToanQuoc,
                AwardCode::ChienSiThiDuaToanQuoc,
            ) > 0
    }

    fn provincial_merit(&self, v: &View<'_>) -> bool {
        let y = self.year;
        let n = p(params::BK_TINH_CSTDCS_YEARS);
        let by_titles = streak_bits(v.cstdcs(), self.off) as i32 >= n;
        let m = p(params::BK_TINH_HTXSNV_YEARS);
        let excellent = streak_bits(v.excellent(), self.off) as i32;
        let need = p(params::BK_TINH_INITIATIVES) as usize;
        by_titles
            || (excellent >= m
                && self.free_initiatives(
                    v,
                    y - m + 1,
                    y,
                    InitiativeScope::CoSo,
                    AwardCode::BangKhenTinh,
                ) >= need)
    }

    fn five_years_after(
        &self,
        v: &View<'_>,
        prerequisite: AwardCode,
        years: Param,
        times: Param,
        excellent: Option<Param>,
    ) -> bool {
        if v.codes() & code_bit(prerequisite) == 0 {
            return false;
        }
        let o = i32::from(self.off);
        let Some(base_end) = Self::last_end(v, prerequisite) else {
            return false;
        };
        let previous = Self::last_end(v, self.code).unwrap_or(i32::MIN);
        let start = base_end.max(previous) + 1;
        let good = v.good() & !span(0, start - 1);
        let streak = streak_bits(good, self.off) as i32;
        let window = span(o - streak + 1, o);
        let got = (v.cstdcs() & window).count_ones() as i32;
        let ok = streak >= p(years) && got >= p(times);
        match excellent {
            Some(e) => ok && (v.excellent() & window).count_ones() as i32 >= p(e),
            None => ok,
        }
    }
}
