//! Danh sách cán bộ — a unit's people: who they are for the award rules
//! (their category), and the stints they served in each unit, with why each
//! one ended. Pure: the store hands over the stints, these functions say
//! whether a new one fits.

use crate::date::{Period, VnDate};
use crate::org::UnitId;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// A person's id in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub i64);

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Đối tượng — what a person is for the award rules and the statistics
/// (Luật TĐKT: công nhân, nông dân, người lao động trực tiếp are counted
/// apart, and some forms are for them alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonCategory {
    /// Cán bộ, công chức.
    CivilServant,
    /// Cán bộ, công chức cấp xã.
    CommuneOfficial,
    /// Viên chức.
    PublicEmployee,
    /// Lực lượng vũ trang.
    ArmedForces,
    /// Công nhân.
    Worker,
    /// Nông dân.
    Farmer,
    /// Người lao động trực tiếp.
    DirectLabourer,
    /// Doanh nhân.
    Entrepreneur,
    /// Khác (nhân dân, chức sắc, nghệ nhân…).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "đối tượng không xác định: «{0}» (cán bộ, công chức; công chức cấp xã; viên chức; lực lượng vũ trang; công nhân; nông dân; lao động trực tiếp; doanh nhân; khác)"
)]
pub struct UnknownCategory(pub String);

impl PersonCategory {
    pub const ALL: [PersonCategory; 9] = [
        PersonCategory::CivilServant,
        PersonCategory::CommuneOfficial,
        PersonCategory::PublicEmployee,
        PersonCategory::ArmedForces,
        PersonCategory::Worker,
        PersonCategory::Farmer,
        PersonCategory::DirectLabourer,
        PersonCategory::Entrepreneur,
        PersonCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PersonCategory::CivilServant => "civil_servant",
            PersonCategory::CommuneOfficial => "commune_official",
            PersonCategory::PublicEmployee => "public_employee",
            PersonCategory::ArmedForces => "armed_forces",
            PersonCategory::Worker => "worker",
            PersonCategory::Farmer => "farmer",
            PersonCategory::DirectLabourer => "direct_labourer",
            PersonCategory::Entrepreneur => "entrepreneur",
            PersonCategory::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PersonCategory::CivilServant => "Cán bộ, công chức",
            PersonCategory::CommuneOfficial => "Cán bộ, công chức cấp xã",
            PersonCategory::PublicEmployee => "Viên chức",
            PersonCategory::ArmedForces => "Lực lượng vũ trang",
            PersonCategory::Worker => "Công nhân",
            PersonCategory::Farmer => "Nông dân",
            PersonCategory::DirectLabourer => "Người lao động trực tiếp",
            PersonCategory::Entrepreneur => "Doanh nhân",
            PersonCategory::Other => "Khác",
        }
    }

    /// Reads the stored word, the label, or the label without diacritics
    /// ("cong nhan"), as a spreadsheet gives it.
    pub fn parse(s: &str) -> Result<Self, UnknownCategory> {
        let folded = crate::text::fold(s);
        PersonCategory::ALL
            .into_iter()
            .find(|c| {
                c.as_str() == s.trim()
                    || crate::text::fold(c.label()) == folded
                    || (*c == PersonCategory::CivilServant && folded == "cong chuc")
                    || (*c == PersonCategory::DirectLabourer && folded == "lao dong truc tiep")
            })
            .ok_or_else(|| UnknownCategory(s.to_owned()))
    }

    /// The grassroots group the statistics count apart, if any.
    pub fn grassroots(self) -> Option<&'static str> {
        match self {
            PersonCategory::Worker => Some("worker"),
            PersonCategory::Farmer => Some("farmer"),
            PersonCategory::DirectLabourer => Some("direct_labourer"),
            _ => None,
        }
    }
}

impl TryFrom<String> for PersonCategory {
    type Error = UnknownCategory;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PersonCategory::parse(&s)
    }
}

/// Why a stint in a unit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipEnd {
    /// Chuyển công tác — to another unit, which a new stint records.
    Transfer,
    /// Thôi việc.
    Leave,
    /// Nghỉ hưu.
    Retire,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("lý do kết thúc không xác định: «{0}» (chuyen_cong_tac, thoi_viec, nghi_huu)")]
pub struct UnknownEnd(pub String);

impl MembershipEnd {
    pub const ALL: [MembershipEnd; 3] = [
        MembershipEnd::Transfer,
        MembershipEnd::Leave,
        MembershipEnd::Retire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MembershipEnd::Transfer => "transfer",
            MembershipEnd::Leave => "leave",
            MembershipEnd::Retire => "retire",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MembershipEnd::Transfer => "Chuyển công tác",
            MembershipEnd::Leave => "Thôi việc",
            MembershipEnd::Retire => "Nghỉ hưu",
        }
    }

    pub fn parse(s: &str) -> Result<Self, UnknownEnd> {
        let folded = crate::text::fold(s).replace(' ', "_");
        MembershipEnd::ALL
            .into_iter()
            .find(|e| {
                e.as_str() == folded || crate::text::fold(e.label()).replace(' ', "_") == folded
            })
            .ok_or_else(|| UnknownEnd(s.to_owned()))
    }
}

impl TryFrom<String> for MembershipEnd {
    type Error = UnknownEnd;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        MembershipEnd::parse(&s)
    }
}

/// Quá trình công tác — one stint of a person in a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stint {
    pub id: i64,
    pub unit: UnitId,
    pub position: Option<String>,
    pub period: Period,
    pub end: Option<MembershipEnd>,
}

/// Why a stint cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error("đã có thời gian công tác tại đơn vị này trùng với khoảng thời gian đã nhập ({0})")]
    Overlap(String),
    #[error("ngày {0} không sau ngày bắt đầu công tác tại đơn vị hiện tại ({1})")]
    BeforeJoin(VnDate, VnDate),
    #[error("người này hiện không công tác tại đơn vị nào vào ngày {0}")]
    NoCurrentUnit(VnDate),
    #[error("đơn vị mới trùng với đơn vị hiện tại")]
    SameUnit,
    #[error("ngày kết thúc phải sau ngày bắt đầu")]
    EmptyPeriod,
}

fn shown(p: &Period) -> String {
    let d = |d: Option<Date>| d.map(|d| VnDate(d).to_string());
    match (d(p.from), d(p.until)) {
        (Some(a), Some(b)) => format!("{a} – {b}"),
        (Some(a), None) => format!("từ {a}"),
        (None, Some(b)) => format!("đến {b}"),
        (None, None) => "không thời hạn".into(),
    }
}

/// A new stint in `unit` over `period` must not overlap another stint of
/// the same person in the same unit (two at once elsewhere is allowed: a
/// person may hold a post in two bodies).
pub fn check_new_stint(stints: &[Stint], unit: UnitId, period: &Period) -> Result<(), StaffError> {
    match stints
        .iter()
        .find(|s| s.unit == unit && s.period.overlaps(period))
    {
        Some(s) => Err(StaffError::Overlap(shown(&s.period))),
        None => Ok(()),
    }
}

/// What a transfer (chuyển công tác) writes: the stint that ends on `date`
/// and the new one that begins there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub ends: i64,
    pub new_stint: Period,
}

/// Plans moving a person to `to` on `date`: the open stint (the one valid
/// the day before) ends that day as a transfer, and a new stint begins.
pub fn plan_transfer(stints: &[Stint], to: UnitId, date: Date) -> Result<Transfer, StaffError> {
    let current = current_stint(stints, date)?;
    if current.unit == to {
        return Err(StaffError::SameUnit);
    }
    let new_stint = Period {
        from: Some(date),
        until: None,
    };
    check_new_stint(stints, to, &new_stint)?;
    Ok(Transfer {
        ends: current.id,
        new_stint,
    })
}

/// The open stint a change on `date` ends: it must have begun strictly
/// before `date` and still run then.
pub fn current_stint(stints: &[Stint], date: Date) -> Result<&Stint, StaffError> {
    let open: Vec<&Stint> = stints
        .iter()
        .filter(|s| s.period.until.is_none_or(|u| u > date))
        .collect();
    let Some(current) = open.iter().copied().max_by_key(|s| s.period.from) else {
        return Err(StaffError::NoCurrentUnit(VnDate(date)));
    };
    match current.period.from {
        Some(from) if from >= date => Err(StaffError::BeforeJoin(VnDate(date), VnDate(from))),
        _ => Ok(current),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn stint(id: i64, unit: i64, from: Date, until: Option<Date>) -> Stint {
        Stint {
            id,
            unit: UnitId(unit),
            position: None,
            period: Period {
                from: Some(from),
                until,
            },
            end: None,
        }
    }

    #[test]
    fn categories_read_labels_and_words() {
        assert_eq!(
            PersonCategory::parse("Nông dân"),
            Ok(PersonCategory::Farmer)
        );
        assert_eq!(
            PersonCategory::parse("cong nhan"),
            Ok(PersonCategory::Worker)
        );
        assert_eq!(
            PersonCategory::parse("commune_official"),
            Ok(PersonCategory::CommuneOfficial)
        );
        assert!(PersonCategory::parse("phi công").is_err());
        assert_eq!(PersonCategory::Farmer.grassroots(), Some("farmer"));
        assert_eq!(PersonCategory::CivilServant.grassroots(), None);
        assert_eq!(MembershipEnd::parse("Nghỉ hưu"), Ok(MembershipEnd::Retire));
        assert_eq!(
            MembershipEnd::parse("transfer"),
            Ok(MembershipEnd::Transfer)
        );
    }

    #[test]
    fn a_transfer_ends_the_open_stint() {
        let s = [
            stint(1, 10, date!(2010 - 01 - 01), Some(date!(2015 - 01 - 01))),
            stint(2, 11, date!(2015 - 01 - 01), None),
        ];
        let t = plan_transfer(&s, UnitId(12), date!(2020 - 03 - 01)).expect("plan");
        assert_eq!(t.ends, 2);
        assert_eq!(t.new_stint.from, Some(date!(2020 - 03 - 01)));
    }

    #[test]
    fn a_transfer_before_the_join_is_refused() {
        let s = [stint(2, 11, date!(2015 - 01 - 01), None)];
        assert_eq!(
            plan_transfer(&s, UnitId(12), date!(2014 - 06 - 01)),
            Err(StaffError::BeforeJoin(
                VnDate(date!(2014 - 06 - 01)),
                VnDate(date!(2015 - 01 - 01))
            ))
        );
        assert_eq!(
            plan_transfer(&s, UnitId(11), date!(2016 - 06 - 01)),
            Err(StaffError::SameUnit)
        );
        assert!(matches!(
            plan_transfer(&[], UnitId(11), date!(2016 - 06 - 01)),
            Err(StaffError::NoCurrentUnit(_))
        ));
    }

    #[test]
    fn back_to_a_former_unit_is_no_overlap() {
        let s = [
            stint(1, 10, date!(2010 - 01 - 01), Some(date!(2015 - 01 - 01))),
            stint(2, 11, date!(2015 - 01 - 01), None),
        ];
        assert!(plan_transfer(&s, UnitId(10), date!(2020 - 01 - 01)).is_ok());
        assert!(matches!(
            check_new_stint(
                &s,
                UnitId(10),
                &Period {
                    from: Some(date!(2014 - 01 - 01)),
                    until: None
                }
            ),
            Err(StaffError::Overlap(_))
        ));
    }

    proptest! {
        /// Whatever the stints, an accepted new stint overlaps none of the
        /// same unit's.
        #[test]
        fn accepted_stints_never_overlap(
            starts in proptest::collection::vec((0i64..3, 0i32..40, 1i32..20), 0..6),
            unit in 0i64..3, a in 0i32..40, len in proptest::option::of(1i32..20),
        ) {
            let day = |n: i32| date!(2000 - 01 - 01) + time::Duration::days(i64::from(n) * 30);
            let stints: Vec<Stint> = starts
                .iter()
                .enumerate()
                .map(|(i, (u, f, l))| stint(i as i64, *u, day(*f), Some(day(f + l))))
                .collect();
            let p = Period { from: Some(day(a)), until: len.map(|l| day(a + l)) };
            if check_new_stint(&stints, UnitId(unit), &p).is_ok() {
                prop_assert!(stints.iter().all(|s| s.unit != UnitId(unit) || !s.period.overlaps(&p)));
            }
        }
    }
}
