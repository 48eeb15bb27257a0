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

impl SweepOutcome {
    fn to_byte(self) -> u8 {
        match self {
            SweepOutcome::Judged(Outcome::Eligible) => 1,
            SweepOutcome::Judged(Outcome::NotEligible) => 2,
            SweepOutcome::Judged(Outcome::NeedsReview) => 3,
            SweepOutcome::Refused => 4,
        }
    }

    fn from_byte(b: u8) -> Option<SweepOutcome> {
        Some(match b {
            1 => SweepOutcome::Judged(Outcome::Eligible),
            2 => SweepOutcome::Judged(Outcome::NotEligible),
            3 => SweepOutcome::Judged(Outcome::NeedsReview),
            4 => SweepOutcome::Refused,
            _ => return None,
        })
    }
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
    disciplined: u64,
    start: u16,
    held: Vec<PackedHeld>,
    inits: Vec<PackedInit>,
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
    let mut p = Packed {
        good: 0,
        excellent: 0,
        cstdcs: 0,
        disciplined: 0,
        start: 0,
        held: Vec::new(),
        inits: Vec::new(),
    };
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
        if t.code == AwardCode::ChienSiThiDuaCoSo {
            p.cstdcs |= 1u64 << y;
        }
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
    good: Vec<u64>,
    excellent: Vec<u64>,
    cstdcs: Vec<u64>,
    disciplined: Vec<u64>,
    start: Vec<u16>,
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
        self.ids.len() * (8 + 1 + 4 * 8 + 2 + 4 + 4)
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
        self.disciplined.push(p.disciplined);
        self.start.push(p.start);
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
                self.disciplined[i] = p.disciplined;
                self.start[i] = p.start;
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
        let bytes = self.outcomes(code, year, decision_date, among)?;
        let mut r = SweepResult::default();
        let mut tally = |i: usize, b: u8| match SweepOutcome::from_byte(b) {
            Some(SweepOutcome::Judged(Outcome::Eligible)) => {
                r.eligible += 1;
                r.eligible_ids.push(self.ids[i]);
            }
            Some(SweepOutcome::Judged(Outcome::NotEligible)) => r.not_eligible += 1,
            Some(SweepOutcome::Judged(Outcome::NeedsReview)) => r.needs_review += 1,
            Some(SweepOutcome::Refused) => r.refused += 1,
            None => {}
        };
        match among {
            None => bytes.iter().enumerate().for_each(|(i, b)| tally(i, *b)),
            Some(pos) => pos
                .iter()
                .zip(&bytes)
                .for_each(|(i, b)| tally(*i as usize, *b)),
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
        let pos = self.positions(&[id]);
        if pos.is_empty() {
            return Ok(None);
        }
        let b = self.outcomes(code, year, decision_date, Some(&pos))?;
        Ok(b.first().copied().and_then(SweepOutcome::from_byte))
    }

    /// One byte per person swept (0 for a removed one), split over the
    /// machine's cores.
    fn outcomes(
        &self,
        code: AwardCode,
        year: i32,
        decision_date: Date,
        among: Option<&[u32]>,
    ) -> Result<Vec<u8>, SweepError> {
        if offset(year).is_none() {
            return Err(SweepError::YearOutside(year));
        }
        if decision_date.year() < year {
            return Err(SweepError::DecisionBeforeYear(year));
        }
        if !super::request::YEARS.contains(&decision_date.year()) {
            return Err(SweepError::YearOutside(decision_date.year()));
        }
        let q = judge::Question::new(code, year, decision_date);
        let n = among.map_or(self.ids.len(), <[u32]>::len);
        let mut out = vec![0u8; n];
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(8);
        let chunk = n.div_ceil(threads).max(4096);
        std::thread::scope(|s| {
            for (c, part) in out.chunks_mut(chunk).enumerate() {
                let q = &q;
                s.spawn(move || {
                    let first = c * chunk;
                    for (k, slot) in part.iter_mut().enumerate() {
                        let i = match among {
                            None => first + k,
                            Some(pos) => pos[first + k] as usize,
                        };
                        *slot = self.judge_at(i, q).map_or(0, SweepOutcome::to_byte);
                    }
                });
            }
        });
        Ok(out)
    }

    fn judge_at(&self, i: usize, q: &judge::Question) -> Option<SweepOutcome> {
        let (held, inits): (&[PackedHeld], &[PackedInit]) = match self.shape[i] {
            Shape::Removed => return None,
            Shape::Whole => {
                let h = self.whole.get(&(i as u32))?;
                return Some(q.whole(h));
            }
            Shape::Moved => {
                let (h, n) = self.moved.get(&(i as u32))?;
                (h, n)
            }
            Shape::Packed => (
                &self.held[self.held_at[i] as usize..self.held_at[i + 1] as usize],
                &self.inits[self.init_at[i] as usize..self.init_at[i + 1] as usize],
            ),
        };
        Some(q.packed(&judge::View {
            good: self.good[i],
            excellent: self.excellent[i],
            cstdcs: self.cstdcs[i],
            disciplined: self.disciplined[i],
            start: self.start[i],
            held,
            inits,
        }))
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
            disciplined: 0,
            start: 0,
            held: Vec::new(),
            inits: Vec::new(),
        }
    }
}
