//! Quét hàng loạt — the batch form of the engine. One pass judges every
//! person of a registry snapshot (or a chosen set of them) for one award
//! and year and gives, person by person, the outcome `check` gives.
//!
//! The snapshot is laid out for memory bandwidth: the years of a person's
//! ratings, annual titles and discipline are bits of one `u64` per kind
//! (year `FIRST_YEAR` is bit 0), so "three consecutive CSTĐCS" is a shift
//! and a count of leading ones; the awards and initiatives a person holds
//! sit in two flat arrays with an offset per person. A history that does
//! not fit that shape (a year outside the window, a title with a period, an
//! impossible history) is kept whole and judged by `check` itself, so the
//! sweep never approximates.

mod judge;
#[cfg(test)]
mod tests;

use super::codes::{AwardCode, InitiativeScope, Rating};
use super::request::{HeldStatus, History};
use super::{Outcome, RuleSet};
use std::collections::HashMap;
use time::Date;

/// The first year a snapshot holds as a bit.
pub const FIRST_YEAR: i32 = 1990;
/// How many years from `FIRST_YEAR` the bits hold.
pub const SPAN: i32 = 64;

/// A person's outcome in a sweep: the engine's, or its refusal of an
/// impossible history (what `check` answers with an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepOutcome {
    Judged(Outcome),
    Refused,
}

/// Why a sweep cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SweepError {
    #[error("năm {0} nằm ngoài khoảng {FIRST_YEAR}–{last} mà bản chụp sổ khen thưởng lưu", last = FIRST_YEAR + SPAN - 1)]
    YearOutside(i32),
    #[error("ngày quyết định trước năm thành tích {0}")]
    DecisionBeforeYear(i32),
    #[error("mã cá nhân {0} đến sau khi bản chụp đã xếp thứ tự: cần dựng lại bản chụp")]
    OutOfOrder(i64),
}

/// An award or title held, packed: its code, the first and last year of its
/// achievement period (offsets from `FIRST_YEAR`), and whether the period's
/// start was given (the national fighter's chain steps back by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PackedHeld {
    pub(super) code: AwardCode,
    pub(super) start: u8,
    pub(super) end: u8,
    pub(super) has_from: bool,
}

/// An active initiative, packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PackedInit {
    pub(super) year: u8,
    pub(super) scope: InitiativeScope,
    pub(super) used_by: Option<AwardCode>,
    /// `None`: used for any year (or not used).
    pub(super) used_year: Option<u8>,
}

/// What a person is in the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Held and initiatives in the flat arrays.
    Packed,
    /// Rewritten since the build: held and initiatives in `moved`.
    Moved,
    /// Judged by `check` on the whole history kept in `whole`.
    Whole,
    /// No longer in the registry.
    Removed,
}

/// One person packed, before it joins the columns.
struct Packed {
    good: u64,
    excellent: u64,
    cstdcs: u64,
    ldtt: u64,
    disciplined: u64,
    start: u16,
    /// The codes `held` holds, one bit each (`code_bit`).
    codes: u32,
    held: Vec<PackedHeld>,
    inits: Vec<PackedInit>,
}

/// A code's bit in a person's `codes`.
pub(super) fn code_bit(c: AwardCode) -> u32 {
    1u32 << (c as u32)
}

fn offset(y: i32) -> Option<u8> {
    (FIRST_YEAR..FIRST_YEAR + SPAN)
        .contains(&y)
        .then(|| (y - FIRST_YEAR) as u8)
}

/// Packs a history, or says it must be judged whole.
fn pack(h: &History) -> Option<Packed> {
    if h.validate().is_err() || h.members.is_some() || !h.cluster_results.is_empty() {
        return None;
    }
    let mut p = Packed::empty();
    if let Some(e) = h.employment {
        if e.end.is_some() {
            return None;
        }
        let y = offset(e.start.year())?;
        p.start = (u16::from(y) + 1) << 4 | u16::from(u8::from(e.start.month()));
    }
    for r in &h.ratings {
        let bit = 1u64 << offset(r.year)?;
        if r.rating >= Rating::CompletedWell {
            p.good |= bit;
        }
        if r.rating >= Rating::CompletedExcellently {
            p.excellent |= bit;
        }
    }
    for d in &h.discipline {
        p.disciplined |= 1u64 << offset(d.year)?;
    }
    for a in h.awards.iter().chain(&h.titles) {
        // Every year a rule could read is in the window, even of a revoked
        // row, so that the whole history is judged alike.
        for y in [
            a.year,
            a.period_from,
            a.period_to,
            a.decision_date.map(|d| d.year()),
        ]
        .into_iter()
        .flatten()
        {
            offset(y)?;
        }
    }
    for a in &h.awards {
        if a.year.is_some() {
            return None;
        }
        if a.status != HeldStatus::Active {
            continue;
        }
        p.codes |= code_bit(a.code);
        p.held.push(PackedHeld {
            code: a.code,
            start: offset(a.achievement_start()?)?,
            end: offset(a.achievement_end()?)?,
            has_from: a.period_from.is_some(),
        });
    }
    for t in &h.titles {
        if t.period_from.is_some() || t.period_to.is_some() {
            return None;
        }
        if t.status != HeldStatus::Active {
            continue;
        }
        let y = offset(t.year?)?;
        // The two annual titles live in their bits alone: a title's
        // achievement is its year.
        match t.code {
            AwardCode::ChienSiThiDuaCoSo => {
                p.cstdcs |= 1u64 << y;
                continue;
            }
            AwardCode::LaoDongTienTien => {
                p.ldtt |= 1u64 << y;
                continue;
            }
            _ => {}
        }
        p.codes |= code_bit(t.code);
        p.held.push(PackedHeld {
            code: t.code,
            start: y,
            end: y,
            has_from: false,
        });
    }
    for i in &h.initiatives {
        let year = offset(i.year)?;
        let used_year = match i.used_by_year {
            Some(y) => Some(offset(y)?),
            None => None,
        };
        if i.status != HeldStatus::Active {
            continue;
        }
        p.inits.push(PackedInit {
            year,
            scope: i.scope,
            used_by: i.used_by,
            used_year,
        });
    }
    Some(p)
}

/// The registry as the sweep reads it: columns over people in id order.
#[derive(Default)]
pub struct Snapshot {
    ids: Vec<i64>,
    shape: Vec<Shape>,
    pub(super) good: Vec<u64>,
    pub(super) excellent: Vec<u64>,
    pub(super) cstdcs: Vec<u64>,
    pub(super) ldtt: Vec<u64>,
    pub(super) disciplined: Vec<u64>,
    pub(super) start: Vec<u16>,
    pub(super) codes: Vec<u32>,
    held_at: Vec<u32>,
    held: Vec<PackedHeld>,
    init_at: Vec<u32>,
    inits: Vec<PackedInit>,
    moved: HashMap<u32, (Vec<PackedHeld>, Vec<PackedInit>)>,
    whole: HashMap<u32, History>,
}

/// Counts of one sweep, with the outcome of each person swept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepResult {
    pub eligible: u64,
    pub not_eligible: u64,
    pub needs_review: u64,
    pub refused: u64,
    /// (person id, outcome) of the eligible people, in id order.
    pub eligible_ids: Vec<i64>,
}

impl SweepResult {
    /// A checksum of who is eligible, the same whatever computed it: the
    /// sum of the ids and of their squares, modulo 2⁶¹ − 1.
    pub fn checksum(&self) -> u64 {
        checksum(self.eligible_ids.iter().copied())
    }
}

/// The checksum of a set of person ids (see `SweepResult::checksum`).
pub fn checksum(ids: impl IntoIterator<Item = i64>) -> u64 {
    const M: u128 = (1 << 61) - 1;
    let (mut s, mut q) = (0u128, 0u128);
    for id in ids {
        let v = id.unsigned_abs() as u128 % M;
        s = (s + v) % M;
        q = (q + v * v % M) % M;
    }
    ((s * 1_000_003 + q) % M) as u64
}

impl Snapshot {
    pub fn new() -> Snapshot {
        Snapshot::default()
    }

    /// People in the snapshot (removed ones excluded).
    pub fn people(&self) -> usize {
        self.shape.iter().filter(|s| **s != Shape::Removed).count()
    }

    /// Bytes the columns take, roughly (for the memory report).
    pub fn bytes(&self) -> usize {
        self.ids.len() * (8 + 1 + 5 * 8 + 2 + 4 + 4 + 4)
            + self.held.len() * std::mem::size_of::<PackedHeld>()
            + self.inits.len() * std::mem::size_of::<PackedInit>()
            + self.moved.len() * 64
            + self.whole.len() * 256
    }

    /// How many histories are judged whole by `check`.
    pub fn whole_count(&self) -> usize {
        self.whole.len()
    }

    /// Appends a person with a larger id than any before (the bulk build).
    pub fn push(&mut self, id: i64, h: &History) -> Result<(), SweepError> {
        if self.ids.last().is_some_and(|l| *l >= id) {
            return Err(SweepError::OutOfOrder(id));
        }
        let i = self.ids.len() as u32;
        self.ids.push(id);
        if self.held_at.is_empty() {
            self.held_at.push(0);
            self.init_at.push(0);
        }
        match pack(h) {
            Some(p) => {
                self.shape.push(Shape::Packed);
                self.columns_push(&p);
                self.held.extend_from_slice(&p.held);
                self.inits.extend_from_slice(&p.inits);
            }
            None => {
                self.shape.push(Shape::Whole);
                self.columns_push(&Packed::empty());
                self.whole.insert(i, h.clone());
            }
        }
        self.held_at.push(self.held.len() as u32);
        self.init_at.push(self.inits.len() as u32);
        Ok(())
    }

    fn columns_push(&mut self, p: &Packed) {
        self.good.push(p.good);
        self.excellent.push(p.excellent);
        self.cstdcs.push(p.cstdcs);
        self.ldtt.push(p.ldtt);
        self.disciplined.push(p.disciplined);
        self.start.push(p.start);
        self.codes.push(p.codes);
    }

    /// Puts a person's current history in place of the old one (a write
    /// changed it), or adds a new person.
    pub fn set(&mut self, id: i64, h: &History) -> Result<(), SweepError> {
        let Ok(i) = self.ids.binary_search(&id) else {
            return self.push(id, h);
        };
        let k = i as u32;
        self.whole.remove(&k);
        self.moved.remove(&k);
        match pack(h) {
            Some(p) => {
                self.shape[i] = Shape::Moved;
                self.good[i] = p.good;
                self.excellent[i] = p.excellent;
                self.cstdcs[i] = p.cstdcs;
                self.ldtt[i] = p.ldtt;
                self.disciplined[i] = p.disciplined;
                self.start[i] = p.start;
                self.codes[i] = p.codes;
                self.moved.insert(k, (p.held, p.inits));
            }
            None => {
                self.shape[i] = Shape::Whole;
                self.whole.insert(k, h.clone());
            }
        }
        Ok(())
    }

    /// Forgets a person (deleted from the registry).
    pub fn remove(&mut self, id: i64) {
        if let Ok(i) = self.ids.binary_search(&id) {
            self.shape[i] = Shape::Removed;
            self.whole.remove(&(i as u32));
            self.moved.remove(&(i as u32));
        }
    }

    /// The positions of the given people (unknown ids are skipped), in
    /// id order: what a sweep of a unit's subtree walks.
    pub fn positions(&self, ids: &[i64]) -> Vec<u32> {
        let mut v: Vec<u32> = ids
            .iter()
            .filter_map(|id| self.ids.binary_search(id).ok().map(|i| i as u32))
            .filter(|i| self.shape[*i as usize] != Shape::Removed)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Judges everyone (`among` = None) or the given positions for one
    /// award and year, as `check` would for an individual's regular award
    /// decided on `decision_date`.
    pub fn sweep(
        &self,
        code: AwardCode,
        year: i32,
        decision_date: Date,
        among: Option<&[u32]>,
    ) -> Result<SweepResult, SweepError> {
        let q = self.question(code, year, decision_date)?;
        let n = among.map_or(self.ids.len(), <[u32]>::len);
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(8);
        let chunk = n.div_ceil(threads).max(16_384);
        let parts: Vec<SweepResult> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..n.div_ceil(chunk))
                .map(|c| {
                    let q = &q;
                    s.spawn(move || {
                        let mut r = SweepResult::default();
                        for k in c * chunk..((c + 1) * chunk).min(n) {
                            let i = match among {
                                None => k,
                                Some(pos) => pos[k] as usize,
                            };
                            match self.judge_at(i, q) {
                                Some(SweepOutcome::Judged(Outcome::Eligible)) => {
                                    r.eligible += 1;
                                    r.eligible_ids.push(self.ids[i]);
                                }
                                Some(SweepOutcome::Judged(Outcome::NotEligible)) => {
                                    r.not_eligible += 1
                                }
                                Some(SweepOutcome::Judged(Outcome::NeedsReview)) => {
                                    r.needs_review += 1
                                }
                                Some(SweepOutcome::Refused) => r.refused += 1,
                                None => {}
                            }
                        }
                        r
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut r = SweepResult::default();
        for p in parts {
            r.eligible += p.eligible;
            r.not_eligible += p.not_eligible;
            r.needs_review += p.needs_review;
            r.refused += p.refused;
            r.eligible_ids.extend(p.eligible_ids);
        }
        Ok(r)
    }

    /// One person's outcome by id (None when not in the snapshot).
    pub fn outcome_of(
        &self,
        id: i64,
        code: AwardCode,
        year: i32,
        decision_date: Date,
    ) -> Result<Option<SweepOutcome>, SweepError> {
        let q = self.question(code, year, decision_date)?;
        Ok(self
            .positions(&[id])
            .first()
            .and_then(|i| self.judge_at(*i as usize, &q)))
    }

    fn question(
        &self,
        code: AwardCode,
        year: i32,
        decision_date: Date,
    ) -> Result<judge::Question, SweepError> {
        if offset(year).is_none() {
            return Err(SweepError::YearOutside(year));
        }
        if decision_date.year() < year {
            return Err(SweepError::DecisionBeforeYear(year));
        }
        if !super::request::YEARS.contains(&decision_date.year()) {
            return Err(SweepError::YearOutside(decision_date.year()));
        }
        Ok(judge::Question::new(code, year, decision_date))
    }

    fn judge_at(&self, i: usize, q: &judge::Question) -> Option<SweepOutcome> {
        match self.shape[i] {
            Shape::Removed => None,
            Shape::Whole => self.whole.get(&(i as u32)).map(|h| q.whole(h)),
            Shape::Packed | Shape::Moved => Some(q.packed(&judge::View { snap: self, i })),
        }
    }

    /// A packed person's awards and initiatives.
    pub(super) fn lists(&self, i: usize) -> (&[PackedHeld], &[PackedInit]) {
        if self.shape[i] == Shape::Moved
            && let Some((h, n)) = self.moved.get(&(i as u32))
        {
            return (h, n);
        }
        (
            &self.held[self.held_at[i] as usize..self.held_at[i + 1] as usize],
            &self.inits[self.init_at[i] as usize..self.init_at[i + 1] as usize],
        )
    }

    /// How many people have each length of unbroken CSTĐCS titles ending
    /// in `year` (index = length, capped at 60 as the engine counts).
    pub fn streak_histogram(&self, year: i32) -> Result<Vec<u64>, SweepError> {
        let off = offset(year).ok_or(SweepError::YearOutside(year))?;
        let mut hist = vec![0u64; 61];
        for (i, shape) in self.shape.iter().enumerate() {
            let n = match shape {
                Shape::Removed => continue,
                Shape::Whole => match self.whole.get(&(i as u32)) {
                    Some(h) => judge::whole_streak(h, year),
                    None => continue,
                },
                Shape::Packed | Shape::Moved => judge::streak_bits(self.cstdcs[i], off),
            };
            hist[n as usize] += 1;
        }
        Ok(hist)
    }

    /// Rule set the sweep would judge by on a decision date.
    pub fn rule_set(decision_date: Date) -> RuleSet {
        RuleSet::for_decision(decision_date)
    }
}

impl Packed {
    fn empty() -> Packed {
        Packed {
            good: 0,
            excellent: 0,
            cstdcs: 0,
            ldtt: 0,
            disciplined: 0,
            start: 0,
            codes: 0,
            held: Vec::new(),
            inits: Vec::new(),
        }
    }
}
