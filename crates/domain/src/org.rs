//! The organisation registry (đơn vị): administrative units and
//! organisations in one tree whose shape changes over time.

use crate::date::Period;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use time::Date;

/// Database identity of a unit. Codes are not identities: official codes are
/// reused across the 2025 reform (commune 00340 before and after are
/// different units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitId(pub i64);

/// Which code list a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeList {
    /// Danh mục trước 01/07/2025 — the three-level list (63 provinces).
    Legacy,
    /// Danh mục từ 01/07/2025 — the two-level list (34 provinces).
    #[serde(rename = "2025")]
    Y2025,
    /// Codes thidua gives to organisations (agencies, villages, enterprises…).
    Local,
}

impl CodeList {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeList::Legacy => "legacy",
            CodeList::Y2025 => "2025",
            CodeList::Local => "local",
        }
    }

    pub fn parse(s: &str) -> Result<Self, OrgError> {
        match s {
            "legacy" => Ok(CodeList::Legacy),
            "2025" => Ok(CodeList::Y2025),
            "local" => Ok(CodeList::Local),
            other => Err(OrgError::UnknownCodeList(other.to_owned())),
        }
    }
}

/// A unit code: an official administrative code (2 digits for a province,
/// 3 for a district, 5 for a commune; leading zeros matter) or an
/// organisation code of letters, digits, `.`, `-` and `_` with at least one
/// letter, so the two can never be confused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(s: &str) -> Result<Self, OrgError> {
        let s = s.trim();
        let bad = || OrgError::InvalidCode(s.to_owned());
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return match s.len() {
                2 | 3 | 5 => Ok(UnitCode(s.to_owned())),
                _ => Err(bad()),
            };
        }
        let ok_chars = s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if ok_chars && (2..=40).contains(&s.len()) && s.bytes().any(|b| b.is_ascii_alphabetic()) {
            Ok(UnitCode(s.to_ascii_uppercase()))
        } else {
            Err(bad())
        }
    }

    /// An official code of the given number of digits.
    pub fn official(s: &str, digits: usize) -> Result<Self, OrgError> {
        let c = Self::parse(s)?;
        if c.0.len() == digits && c.is_official() {
            Ok(c)
        } else {
            Err(OrgError::InvalidCode(s.to_owned()))
        }
    }

    pub fn is_official(&self) -> bool {
        self.0.bytes().all(|b| b.is_ascii_digit())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UnitCode {
    type Error = OrgError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        UnitCode::parse(&s)
    }
}

impl From<UnitCode> for String {
    fn from(c: UnitCode) -> String {
        c.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a unit is. The first three are administrative levels; the rest are
/// organisations that sit under them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Tỉnh, thành phố trực thuộc trung ương — province-level unit.
    Province,
    /// Huyện, quận, thị xã, thành phố thuộc tỉnh — district level, abolished on 01/07/2025.
    District,
    /// Xã, phường, thị trấn, đặc khu — commune-level unit.
    Commune,
    /// Cơ quan của Đảng, Mặt trận — Party and Front agency.
    PartyAgency,
    /// Cơ quan chuyên môn thuộc UBND (sở, ban, ngành, phòng) — state agency.
    StateAgency,
    /// Đơn vị sự nghiệp công lập (trường học, bệnh viện…) — public service unit.
    PublicService,
    /// Doanh nghiệp — enterprise.
    Enterprise,
    /// Hội, đoàn thể — association or mass organisation.
    Association,
    /// Đơn vị lực lượng vũ trang — armed forces unit.
    ArmedForces,
    /// Thôn, bon, buôn, tổ dân phố — village or residential group.
    Village,
}

impl UnitKind {
    pub const ALL: [UnitKind; 10] = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::PartyAgency,
        UnitKind::StateAgency,
        UnitKind::PublicService,
        UnitKind::Enterprise,
        UnitKind::Association,
        UnitKind::ArmedForces,
        UnitKind::Village,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::PartyAgency => "party_agency",
            UnitKind::StateAgency => "state_agency",
            UnitKind::PublicService => "public_service",
            UnitKind::Enterprise => "enterprise",
            UnitKind::Association => "association",
            UnitKind::ArmedForces => "armed_forces",
            UnitKind::Village => "village",
        }
    }

    pub fn parse(s: &str) -> Result<Self, OrgError> {
        UnitKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| OrgError::UnknownKind(s.to_owned()))
    }

    /// The Vietnamese name of the kind, for people.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh, thành phố",
            UnitKind::District => "Huyện, quận, thị xã (cấp huyện cũ)",
            UnitKind::Commune => "Xã, phường, đặc khu",
            UnitKind::PartyAgency => "Cơ quan Đảng, Mặt trận",
            UnitKind::StateAgency => "Cơ quan chuyên môn",
            UnitKind::PublicService => "Đơn vị sự nghiệp công lập",
            UnitKind::Enterprise => "Doanh nghiệp",
            UnitKind::Association => "Hội, đoàn thể",
            UnitKind::ArmedForces => "Lực lượng vũ trang",
            UnitKind::Village => "Thôn, bon, buôn, tổ dân phố",
        }
    }

    pub fn is_administrative(self) -> bool {
        matches!(
            self,
            UnitKind::Province | UnitKind::District | UnitKind::Commune
        )
    }

    /// [`may_have_parent`](Self::may_have_parent) as a typed refusal.
    pub fn check_parent(self, parent: UnitKind) -> Result<(), OrgError> {
        if self.may_have_parent(parent) {
            Ok(())
        } else {
            Err(OrgError::KindCannotNest {
                child: self,
                parent,
            })
        }
    }

    /// Whether a unit of this kind may sit under a unit of `parent` kind.
    pub fn may_have_parent(self, parent: UnitKind) -> bool {
        use UnitKind::*;
        match self {
            Province => false,
            District => parent == Province,
            Commune => matches!(parent, Province | District),
            Village => parent == Commune,
            PartyAgency | StateAgency | PublicService | Enterprise | Association | ArmedForces => {
                parent != Village
            }
        }
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kinds of reorganisation (sắp xếp, tổ chức lại), each an event with an
/// effective date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReorgKind {
    /// Thành lập — a unit is created from nothing before it.
    Establish,
    /// Hợp nhất, sáp nhập — several units become one.
    Merge,
    /// Chia tách — a unit is divided; each successor takes part of it.
    Split,
    /// Chuyển đổi — one unit becomes one other unit (new code or new level).
    Transform,
    /// Đổi tên — same unit, new name.
    Rename,
    /// Điều chuyển — same unit, new parent.
    Reparent,
    /// Giải thể — the unit ends with no successor.
    Dissolve,
}

impl ReorgKind {
    pub const ALL: [ReorgKind; 7] = [
        ReorgKind::Establish,
        ReorgKind::Merge,
        ReorgKind::Split,
        ReorgKind::Transform,
        ReorgKind::Rename,
        ReorgKind::Reparent,
        ReorgKind::Dissolve,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReorgKind::Establish => "establish",
            ReorgKind::Merge => "merge",
            ReorgKind::Split => "split",
            ReorgKind::Transform => "transform",
            ReorgKind::Rename => "rename",
            ReorgKind::Reparent => "reparent",
            ReorgKind::Dissolve => "dissolve",
        }
    }

    pub fn parse(s: &str) -> Result<Self, OrgError> {
        ReorgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| OrgError::UnknownReorgKind(s.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            ReorgKind::Establish => "Thành lập",
            ReorgKind::Merge => "Hợp nhất, sáp nhập",
            ReorgKind::Split => "Chia tách",
            ReorgKind::Transform => "Chuyển đổi",
            ReorgKind::Rename => "Đổi tên",
            ReorgKind::Reparent => "Điều chuyển trực thuộc",
            ReorgKind::Dissolve => "Giải thể",
        }
    }

    /// Classifies a reorganisation by how many units went in and came out.
    pub fn from_shape(predecessors: usize, successors: usize, predecessor_partial: bool) -> Self {
        match (predecessors, successors) {
            (0, _) => ReorgKind::Establish,
            (_, 0) => ReorgKind::Dissolve,
            (p, _) if p >= 2 => ReorgKind::Merge,
            (_, s) if s >= 2 || predecessor_partial => ReorgKind::Split,
            _ => ReorgKind::Transform,
        }
    }
}

/// A parent link of the tree, valid for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParentLink {
    pub child: UnitId,
    pub parent: UnitId,
    pub period: Period,
}

/// Everything that can be wrong with a unit, a code or a change of the tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    #[error("mã đơn vị không hợp lệ: «{0}»")]
    InvalidCode(String),
    #[error("danh mục mã không xác định: «{0}» (dùng legacy, 2025 hoặc local)")]
    UnknownCodeList(String),
    #[error("loại đơn vị không xác định: «{0}»")]
    UnknownKind(String),
    #[error("loại sắp xếp không xác định: «{0}»")]
    UnknownReorgKind(String),
    #[error("tên đơn vị không được để trống")]
    EmptyName,
    #[error("đơn vị loại «{child}» không thể trực thuộc đơn vị loại «{parent}»")]
    KindCannotNest { child: UnitKind, parent: UnitKind },
    #[error("đơn vị không thể trực thuộc chính nó hoặc đơn vị cấp dưới của nó (tạo vòng lặp)")]
    Cycle,
    #[error(
        "đơn vị đã có đơn vị cấp trên trong thời gian này; một đơn vị chỉ có một cấp trên tại mỗi thời điểm"
    )]
    TwoParents,
    #[error("đơn vị không còn hiệu lực vào ngày {0}")]
    NotValidOn(crate::date::VnDate),
}

/// Checks that adding `new` to the `existing` links keeps the registry a
/// forest at every date: no unit has two parents at once, and no unit ends up
/// above itself.
///
/// The cycle check is made at every date inside the new link's period where
/// any link starts or ends, because a cycle can appear only where the shape
/// of the tree changes.
pub fn check_new_link(existing: &[ParentLink], new: &ParentLink) -> Result<(), OrgError> {
    if new.child == new.parent {
        return Err(OrgError::Cycle);
    }
    if existing
        .iter()
        .any(|l| l.child == new.child && l.period.overlaps(&new.period))
    {
        return Err(OrgError::TwoParents);
    }
    let mut dates: BTreeSet<Option<Date>> = BTreeSet::new();
    dates.insert(new.period.from);
    for l in existing {
        for d in [l.period.from, l.period.until].into_iter().flatten() {
            if new.period.contains(d) {
                dates.insert(Some(d));
            }
        }
    }
    for date in dates {
        let parents: HashMap<UnitId, UnitId> = existing
            .iter()
            .filter(|l| match date {
                Some(d) => l.period.contains(d),
                None => l.period.from.is_none(),
            })
            .map(|l| (l.child, l.parent))
            .collect();
        let mut cur = new.parent;
        let mut steps = 0usize;
        while let Some(&p) = parents.get(&cur) {
            if p == new.child {
                return Err(OrgError::Cycle);
            }
            cur = p;
            steps += 1;
            if steps > parents.len() {
                return Err(OrgError::Cycle);
            }
        }
        if cur == new.child {
            return Err(OrgError::Cycle);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn link(child: i64, parent: i64, from: Option<Date>, until: Option<Date>) -> ParentLink {
        ParentLink {
            child: UnitId(child),
            parent: UnitId(parent),
            period: Period::new(from, until).expect("valid period"),
        }
    }

    #[test]
    fn codes_keep_leading_zeros_and_official_lengths() {
        assert_eq!(
            UnitCode::parse("04").map(|c| c.to_string()),
            Ok("04".into())
        );
        assert!(UnitCode::official("00340", 5).is_ok());
        assert!(UnitCode::official("0034", 5).is_err());
        assert!(UnitCode::parse("4").is_err());
        assert_eq!(
            UnitCode::parse("ld.snv").map(|c| c.to_string()),
            Ok("LD.SNV".into())
        );
        assert!(UnitCode::parse("sở nội vụ").is_err());
    }

    #[test]
    fn a_commune_cannot_sit_under_a_village() {
        assert!(!UnitKind::Commune.may_have_parent(UnitKind::Village));
        assert!(UnitKind::Commune.may_have_parent(UnitKind::District));
        assert!(UnitKind::Village.may_have_parent(UnitKind::Commune));
        assert!(!UnitKind::Province.may_have_parent(UnitKind::Province));
    }

    #[test]
    fn two_parents_at_once_are_refused() {
        let existing = [link(3, 2, None, Some(date!(2025 - 07 - 01)))];
        let overlapping = link(3, 1, Some(date!(2025 - 01 - 01)), None);
        assert_eq!(
            check_new_link(&existing, &overlapping),
            Err(OrgError::TwoParents)
        );
        let after = link(3, 1, Some(date!(2025 - 07 - 01)), None);
        assert_eq!(check_new_link(&existing, &after), Ok(()));
    }

    #[test]
    fn a_cycle_is_refused_even_when_it_appears_later() {
        // 1 ← 2 always; 2 ← 3 from 2020. Putting 1 under 3 from 2010 closes
        // a cycle only from 2020 on.
        let existing = [
            link(2, 1, None, None),
            link(3, 2, Some(date!(2020 - 01 - 01)), None),
        ];
        let new = link(1, 3, Some(date!(2010 - 01 - 01)), None);
        assert_eq!(check_new_link(&existing, &new), Err(OrgError::Cycle));
        let before = link(
            1,
            3,
            Some(date!(2010 - 01 - 01)),
            Some(date!(2020 - 01 - 01)),
        );
        assert_eq!(check_new_link(&existing, &before), Ok(()));
        assert_eq!(
            check_new_link(&existing, &link(4, 4, None, None)),
            Err(OrgError::Cycle)
        );
    }

    #[test]
    fn shapes_name_the_reorganisation() {
        assert_eq!(ReorgKind::from_shape(3, 1, false), ReorgKind::Merge);
        assert_eq!(ReorgKind::from_shape(1, 1, true), ReorgKind::Split);
        assert_eq!(ReorgKind::from_shape(1, 1, false), ReorgKind::Transform);
        assert_eq!(ReorgKind::from_shape(1, 0, false), ReorgKind::Dissolve);
    }

    proptest! {
        /// Whatever links are accepted one by one, the tree never holds a
        /// cycle on any day.
        #[test]
        fn accepted_links_never_form_a_cycle(
            proposals in proptest::collection::vec((0i64..6, 0i64..6, 0i64..5, 1i64..5), 0..25)
        ) {
            let base = date!(2000 - 01 - 01);
            let mut accepted: Vec<ParentLink> = Vec::new();
            for (c, p, start, len) in proposals {
                let from = base + time::Duration::days(start * 10);
                let l = link(c, p, Some(from), Some(from + time::Duration::days(len * 10)));
                if check_new_link(&accepted, &l).is_ok() {
                    accepted.push(l);
                }
            }
            for day in 0..100 {
                let d = base + time::Duration::days(day);
                let parents: HashMap<UnitId, UnitId> = accepted.iter()
                    .filter(|l| l.period.contains(d)).map(|l| (l.child, l.parent)).collect();
                for &start in parents.keys() {
                    let mut cur = start;
                    for _ in 0..=parents.len() {
                        match parents.get(&cur) { Some(&p) => cur = p, None => break }
                        prop_assert_ne!(cur, start);
                    }
                }
            }
        }
    }
}

/// Tên đơn vị — a unit's name as typed, checked alike on every path (page,
/// API, command line): normalised (NFC, single spaces), 1–200 characters,
/// no control characters.
pub fn unit_name(raw: &str) -> Result<String, &'static str> {
    if raw.chars().any(char::is_control) {
        return Err("Tên đơn vị không được chứa ký tự điều khiển.");
    }
    let name = crate::text::normalize(raw);
    if name.is_empty() {
        return Err("Tên đơn vị không được để trống.");
    }
    if name.chars().count() > 200 {
        return Err("Tên đơn vị tối đa 200 ký tự.");
    }
    Ok(name)
}

#[cfg(test)]
mod unit_name_tests {
    use super::unit_name;

    #[test]
    fn names_are_checked_alike_everywhere() {
        assert_eq!(unit_name("  Sở   Nội vụ "), Ok("Sở Nội vụ".to_owned()));
        assert!(unit_name("").is_err());
        assert!(unit_name("Sở\u{0}Nội vụ").is_err());
        assert!(unit_name("Sở\nNội vụ").is_err());
        assert!(unit_name(&"x".repeat(10_000)).is_err());
        assert!(unit_name(&"đ".repeat(200)).is_ok());
    }
}
