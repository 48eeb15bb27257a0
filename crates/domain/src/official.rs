//! The official administrative unit lists before and after the 2025 reform,
//! and how they become one temporal registry.
//!
//! The lists are facts with two code spaces (legacy and 2025) that reuse the
//! same numbers; the plan gives each real unit one identity, dates every unit
//! and parent link, and records the reform as events linking old to new.

use crate::date::Period;
use crate::org::{CodeList, ReorgKind, UnitCode, UnitKind};
use std::collections::{BTreeMap, HashMap};
use time::Date;
use time::macros::date;

/// The day the two-level local government took effect (Nghị quyết 202/2025/QH15
/// for provinces, the commune resolutions of the Standing Committee): the
/// legacy list is valid until the day before.
pub const REFORM_2025: Date = date!(2025 - 07 - 01);

/// One unit of an official list, as read from the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialUnit {
    pub list: CodeList,
    pub code: UnitCode,
    pub kind: UnitKind,
    /// The administrative type as written officially: "xã", "phường", "tỉnh"…
    pub admin_type: String,
    pub name: String,
    pub short_name: String,
    /// The parent's code in the same list (district or province).
    pub parent: Option<UnitCode>,
}

/// One row of the legacy → 2025 mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingRow {
    /// Level of the legacy unit (province, district for island districts, commune).
    pub level: UnitKind,
    pub legacy_code: UnitCode,
    pub new_code: UnitCode,
    /// Only part of the legacy unit went into the new one.
    pub partial: bool,
    /// The single best successor, when one answer is needed.
    pub primary: bool,
}

#[derive(Debug, Clone, Default)]
pub struct OfficialDataset {
    pub legacy: Vec<OfficialUnit>,
    pub current: Vec<OfficialUnit>,
    pub mapping: Vec<MappingRow>,
}

/// A unit as the registry will hold it. `key` is stable across imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUnit {
    pub key: String,
    /// The code the unit is known by, and every official code it carries.
    pub codes: Vec<(CodeList, UnitCode)>,
    pub kind: UnitKind,
    pub admin_type: String,
    pub name: String,
    pub short_name: String,
    pub period: Period,
    /// The legacy name of a unit that continued under another name.
    pub former_name: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLink {
    pub child: String,
    pub parent: String,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPart {
    pub unit: String,
    pub partial: bool,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEvent {
    pub key: String,
    pub kind: ReorgKind,
    pub effective: Date,
    pub predecessors: Vec<PlannedPart>,
    pub successors: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub units: Vec<PlannedUnit>,
    pub links: Vec<PlannedLink>,
    pub events: Vec<PlannedEvent>,
}

/// A fact of the lists that contradicts another.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("mã {list} «{code}» không có trong danh mục")]
    UnknownCode { list: &'static str, code: String },
}

pub fn official_key(list: CodeList, code: &UnitCode) -> String {
    format!("{}:{}", list.as_str(), code)
}

/// Builds the registry plan from the two lists and the mapping.
///
/// A unit keeps its identity across the reform only when nothing happened to
/// it: one whole legacy unit became exactly one new unit with the same code
/// and nothing else went into it (Cao Bằng, Hà Nội…). Every other new unit
/// is a new identity whose event names its predecessors, so "what became of
/// X" and "which units became Y" are answered from events, not guesses.
pub fn plan(data: &OfficialDataset) -> Result<ImportPlan, Vec<PlanError>> {
    let legacy: HashMap<&UnitCode, &OfficialUnit> =
        data.legacy.iter().map(|u| (&u.code, u)).collect();
    let current: HashMap<&UnitCode, &OfficialUnit> =
        data.current.iter().map(|u| (&u.code, u)).collect();
    let mut errors = Vec::new();
    for row in &data.mapping {
        if !legacy.contains_key(&row.legacy_code) {
            errors.push(PlanError::UnknownCode {
                list: "legacy",
                code: row.legacy_code.to_string(),
            });
        }
        if !current.contains_key(&row.new_code) {
            errors.push(PlanError::UnknownCode {
                list: "2025",
                code: row.new_code.to_string(),
            });
        }
    }
    for (list, units, index) in [
        ("legacy", &data.legacy, &legacy),
        ("2025", &data.current, &current),
    ] {
        for u in units.iter() {
            if let Some(p) = &u.parent
                && !index.contains_key(p)
            {
                errors.push(PlanError::UnknownCode {
                    list,
                    code: p.to_string(),
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut by_legacy: BTreeMap<&UnitCode, Vec<&MappingRow>> = BTreeMap::new();
    let mut by_new: BTreeMap<&UnitCode, Vec<&MappingRow>> = BTreeMap::new();
    for row in &data.mapping {
        by_legacy.entry(&row.legacy_code).or_default().push(row);
        by_new.entry(&row.new_code).or_default().push(row);
    }
    // New code → legacy code of the unit that simply continues.
    let mut continues: HashMap<&UnitCode, &UnitCode> = HashMap::new();
    for (new_code, rows) in &by_new {
        if let [row] = rows.as_slice() {
            let sole_successor = by_legacy
                .get(&row.legacy_code)
                .is_some_and(|r| r.len() == 1);
            let same_level = legacy.get(&row.legacy_code).map(|u| u.kind)
                == current.get(new_code).map(|u| u.kind);
            if sole_successor && !row.partial && row.legacy_code == **new_code && same_level {
                continues.insert(new_code, &row.legacy_code);
            }
        }
    }
    let key_of_new = |code: &UnitCode| -> String {
        match continues.get(code) {
            Some(old) => official_key(CodeList::Legacy, old),
            None => official_key(CodeList::Y2025, code),
        }
    };

    let mut plan = ImportPlan::default();
    let before = Period {
        from: None,
        until: Some(REFORM_2025),
    };
    let after = Period {
        from: Some(REFORM_2025),
        until: None,
    };
    let continued_legacy: HashMap<&UnitCode, &UnitCode> =
        continues.iter().map(|(n, o)| (*o, *n)).collect();
    for u in &data.legacy {
        if let Some(new_code) = continued_legacy.get(&u.code) {
            let Some(new) = current.get(new_code) else {
                continue;
            };
            let former = (u.name != new.name).then(|| (u.name.clone(), u.short_name.clone()));
            plan.units.push(PlannedUnit {
                key: official_key(CodeList::Legacy, &u.code),
                codes: vec![
                    (CodeList::Y2025, new.code.clone()),
                    (CodeList::Legacy, u.code.clone()),
                ],
                kind: new.kind,
                admin_type: new.admin_type.clone(),
                name: new.name.clone(),
                short_name: new.short_name.clone(),
                period: Period::ALWAYS,
                former_name: former,
            });
        } else {
            plan.units.push(PlannedUnit {
                key: official_key(CodeList::Legacy, &u.code),
                codes: vec![(CodeList::Legacy, u.code.clone())],
                kind: u.kind,
                admin_type: u.admin_type.clone(),
                name: u.name.clone(),
                short_name: u.short_name.clone(),
                period: before,
                former_name: None,
            });
        }
    }
    for u in &data.current {
        if !continues.contains_key(&u.code) {
            plan.units.push(PlannedUnit {
                key: official_key(CodeList::Y2025, &u.code),
                codes: vec![(CodeList::Y2025, u.code.clone())],
                kind: u.kind,
                admin_type: u.admin_type.clone(),
                name: u.name.clone(),
                short_name: u.short_name.clone(),
                period: after,
                former_name: None,
            });
        }
    }

    let mut links: Vec<PlannedLink> = Vec::new();
    for u in &data.legacy {
        if let Some(p) = &u.parent {
            links.push(PlannedLink {
                child: official_key(CodeList::Legacy, &u.code),
                parent: official_key(CodeList::Legacy, p),
                period: before,
            });
        }
    }
    for u in &data.current {
        if let Some(p) = &u.parent {
            let child = key_of_new(&u.code);
            let parent = key_of_new(p);
            // A unit that continued under a parent that also continued keeps
            // one unbroken link rather than two that meet on the reform day.
            if let Some(prev) = links
                .iter_mut()
                .find(|l| l.child == child && l.parent == parent && l.period == before)
            {
                prev.period = Period::ALWAYS;
            } else {
                links.push(PlannedLink {
                    child,
                    parent,
                    period: after,
                });
            }
        }
    }
    plan.links = links;

    for (new_code, rows) in &by_new {
        if continues.contains_key(new_code) {
            continue;
        }
        let any_partial = rows.iter().any(|r| r.partial);
        plan.events.push(PlannedEvent {
            key: format!("reform-2025:{}", official_key(CodeList::Y2025, new_code)),
            kind: ReorgKind::from_shape(rows.len(), 1, any_partial),
            effective: REFORM_2025,
            predecessors: rows
                .iter()
                .map(|r| PlannedPart {
                    unit: official_key(CodeList::Legacy, &r.legacy_code),
                    partial: r.partial,
                    primary: r.primary,
                })
                .collect(),
            successors: vec![key_of_new(new_code)],
        });
    }
    for u in &data.legacy {
        if !by_legacy.contains_key(&u.code) {
            plan.events.push(PlannedEvent {
                key: format!(
                    "reform-2025:dissolve:{}",
                    official_key(CodeList::Legacy, &u.code)
                ),
                kind: ReorgKind::Dissolve,
                effective: REFORM_2025,
                predecessors: vec![PlannedPart {
                    unit: official_key(CodeList::Legacy, &u.code),
                    partial: false,
                    primary: true,
                }],
                successors: vec![],
            });
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(
        list: CodeList,
        code: &str,
        kind: UnitKind,
        name: &str,
        parent: Option<&str>,
    ) -> OfficialUnit {
        OfficialUnit {
            list,
            code: UnitCode::parse(code).expect("code"),
            kind,
            admin_type: "x".into(),
            name: name.into(),
            short_name: name.into(),
            parent: parent.map(|p| UnitCode::parse(p).expect("code")),
        }
    }

    fn row(level: UnitKind, old: &str, new: &str, partial: bool, primary: bool) -> MappingRow {
        MappingRow {
            level,
            legacy_code: UnitCode::parse(old).expect("code"),
            new_code: UnitCode::parse(new).expect("code"),
            partial,
            primary,
        }
    }

    /// Two legacy provinces: 04 unchanged, 06 absorbed into 19 with 19 itself.
    fn sample() -> OfficialDataset {
        use CodeList::*;
        use UnitKind::*;
        OfficialDataset {
            legacy: vec![
                unit(Legacy, "04", Province, "Tỉnh Cao Bằng", None),
                unit(Legacy, "06", Province, "Tỉnh Bắc Kạn", None),
                unit(Legacy, "19", Province, "Tỉnh Thái Nguyên", None),
                unit(Legacy, "040", District, "Huyện A", Some("04")),
                unit(Legacy, "060", District, "Huyện B", Some("06")),
                unit(Legacy, "00001", Commune, "Xã Một", Some("040")),
                unit(Legacy, "00002", Commune, "Xã Hai", Some("040")),
                unit(Legacy, "00003", Commune, "Xã Ba", Some("060")),
            ],
            current: vec![
                unit(Y2025, "04", Province, "Tỉnh Cao Bằng", None),
                unit(Y2025, "19", Province, "Tỉnh Thái Nguyên", None),
                unit(Y2025, "00001", Commune, "Xã Một Hai", Some("04")),
                unit(Y2025, "00003", Commune, "Xã Ba", Some("19")),
            ],
            mapping: vec![
                row(Province, "04", "04", false, true),
                row(Province, "06", "19", false, true),
                row(Province, "19", "19", false, true),
                row(Commune, "00001", "00001", false, true),
                row(Commune, "00002", "00001", false, true),
                row(Commune, "00003", "00003", false, true),
            ],
        }
    }

    #[test]
    fn an_unchanged_unit_keeps_its_identity() {
        let p = plan(&sample()).expect("plan");
        let cb: Vec<_> = p
            .units
            .iter()
            .filter(|u| u.name == "Tỉnh Cao Bằng")
            .collect();
        assert_eq!(cb.len(), 1);
        assert_eq!(cb[0].period, Period::ALWAYS);
        assert_eq!(cb[0].codes.len(), 2);
        // Thái Nguyên absorbed Bắc Kạn: a new identity.
        assert_eq!(
            p.units
                .iter()
                .filter(|u| u.name == "Tỉnh Thái Nguyên")
                .count(),
            2
        );
    }

    #[test]
    fn a_commune_that_continues_is_reparented_from_district_to_province() {
        let p = plan(&sample()).expect("plan");
        let links: Vec<_> = p
            .links
            .iter()
            .filter(|l| l.child == "legacy:00003")
            .collect();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].parent, "legacy:060");
        assert_eq!(links[1].parent, "2025:19");
        assert_eq!(links[1].period.from, Some(REFORM_2025));
    }

    #[test]
    fn merges_and_dissolutions_become_events() {
        let p = plan(&sample()).expect("plan");
        let merge = p
            .events
            .iter()
            .find(|e| e.successors == ["2025:00001"])
            .expect("event");
        assert_eq!(merge.kind, ReorgKind::Merge);
        assert_eq!(merge.predecessors.len(), 2);
        let dissolved: Vec<_> = p
            .events
            .iter()
            .filter(|e| e.kind == ReorgKind::Dissolve)
            .collect();
        assert_eq!(dissolved.len(), 2, "both districts end without successor");
        assert!(
            !p.events
                .iter()
                .any(|e| e.successors.iter().any(|s| s == "legacy:04"))
        );
    }

    #[test]
    fn unknown_references_are_reported_not_guessed() {
        let mut d = sample();
        d.mapping
            .push(row(UnitKind::Commune, "00009", "00001", false, true));
        let errs = plan(&d).expect_err("must fail");
        assert_eq!(
            errs,
            vec![PlanError::UnknownCode {
                list: "legacy",
                code: "00009".into()
            }]
        );
    }
}
