//! Demo data: the official units plus a believable set of organisations,
//! villages and people for Lâm Đồng (with former Đắk Nông), Cao Bằng,
//! Thái Nguyên (with former Bắc Kạn) and Đà Nẵng (with former Quảng Nam),
//! including the 2025 mergers of their departments and villages moved to
//! the new communes. Later features add their demo data here.

use crate::admin_units;
use crate::{AppError, AppResult};
use serde::Serialize;
use thidua_domain::date::Period;
use thidua_domain::official::REFORM_2025;
use thidua_domain::org::{CodeList, UnitCode, UnitId, UnitKind};
use thidua_domain::person::{Gender, IdNumber, PersonName};
use thidua_domain::policy::Role;
use thidua_store::{NewPerson, NewUnit, Store, Who};
use time::Date;
use time::macros::date;

/// The code whose presence says the demo was already seeded.
pub const MARKER: &str = "LD.SNV";

#[derive(Debug, Default, Serialize)]
pub struct DemoReport {
    pub already_seeded: bool,
    pub official_units_inserted: usize,
    pub organisations: usize,
    pub villages: usize,
    pub people: usize,
    pub accounts: usize,
    pub movements: usize,
    /// Indicator values entered and approved, and twinning activities.
    pub values: usize,
}

/// Departments each province has: code suffix, name, kind.
const AGENCIES: [(&str, &str, UnitKind); 9] = [
    (
        "VP",
        "Văn phòng Ủy ban nhân dân tỉnh",
        UnitKind::StateAgency,
    ),
    ("SNV", "Sở Nội vụ", UnitKind::StateAgency),
    ("STC", "Sở Tài chính", UnitKind::StateAgency),
    ("SGDDT", "Sở Giáo dục và Đào tạo", UnitKind::StateAgency),
    ("SYT", "Sở Y tế", UnitKind::StateAgency),
    ("CA", "Công an tỉnh", UnitKind::ArmedForces),
    ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", UnitKind::ArmedForces),
    ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", UnitKind::Association),
    ("BTCTU", "Ban Tổ chức Tỉnh ủy", UnitKind::PartyAgency),
];

/// A 2025 province and the legacy provinces that went into it, each with
/// the code prefix of its organisations, the year it was (re)established,
/// the word for villages there and the ethnic groups of its people.
struct DemoProvince {
    code: &'static str,
    prefix: &'static str,
    name: &'static str,
    legacy: &'static [(&'static str, &'static str, &'static str, Date)],
    village_word: &'static str,
    ethnicities: &'static [&'static str],
}

const PROVINCES: [DemoProvince; 4] = [
    DemoProvince {
        code: "68",
        prefix: "LD",
        name: "tỉnh Lâm Đồng",
        legacy: &[
            ("67", "DNO", "tỉnh Đắk Nông", date!(2004 - 01 - 01)),
            ("68", "LDC", "tỉnh Lâm Đồng", date!(1976 - 02 - 20)),
        ],
        village_word: "Bon",
        ethnicities: &["Kinh", "M'Nông", "Ê Đê", "Mạ", "Tày", "Nùng"],
    },
    DemoProvince {
        code: "04",
        prefix: "CB",
        name: "tỉnh Cao Bằng",
        legacy: &[],
        village_word: "Xóm",
        ethnicities: &["Tày", "Nùng", "Kinh", "H'Mông", "Dao"],
    },
    DemoProvince {
        code: "19",
        prefix: "TN",
        name: "tỉnh Thái Nguyên",
        legacy: &[
            ("06", "BK", "tỉnh Bắc Kạn", date!(1997 - 01 - 01)),
            ("19", "TNC", "tỉnh Thái Nguyên", date!(1997 - 01 - 01)),
        ],
        village_word: "Thôn",
        ethnicities: &["Kinh", "Tày", "Nùng", "Dao", "Sán Chay"],
    },
    DemoProvince {
        code: "48",
        prefix: "DN",
        name: "thành phố Đà Nẵng",
        legacy: &[
            ("49", "QNA", "tỉnh Quảng Nam", date!(1997 - 01 - 01)),
            ("48", "DNC", "thành phố Đà Nẵng", date!(1997 - 01 - 01)),
        ],
        village_word: "Thôn",
        ethnicities: &["Kinh", "Cơ Tu", "Xơ Đăng", "Giẻ Triêng"],
    },
];

const FAMILY: [&str; 18] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
    "Nông", "Hà", "Lương", "Triệu", "Đinh",
];
const MIDDLE_M: [&str; 6] = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công"];
const MIDDLE_F: [&str; 5] = ["Thị", "Ngọc", "Thu", "Thanh", "Kim"];
const GIVEN_M: [&str; 13] = [
    "Đức", "Dũng", "Hùng", "Cường", "Tuấn", "Hải", "Long", "Nam", "Phong", "Quang", "Sơn", "Thắng",
    "Việt",
];
const GIVEN_F: [&str; 12] = [
    "Hoa", "Lan", "Hương", "Mai", "Linh", "Trang", "Thảo", "Ngân", "Hằng", "Yến", "Nhung", "Thủy",
];
const POSITIONS: [&str; 5] = [
    "Giám đốc",
    "Phó Giám đốc",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Chuyên viên",
];

/// The people of the user journeys, with the department they work in.
const NAMED: [(&str, Gender, &str, &str, &str); 7] = [
    (
        "Y Quang Niê",
        Gender::Male,
        "Ê Đê",
        "24615",
        "Công chức Văn hóa – Xã hội",
    ),
    (
        "Nguyễn Thị Hoa",
        Gender::Female,
        "Kinh",
        "LD.SNV",
        "Chuyên viên Phòng Thi đua – Khen thưởng",
    ),
    (
        "Trần Thị Lan",
        Gender::Female,
        "Kinh",
        "CB.STC",
        "Chuyên viên",
    ),
    (
        "Lê Văn Hùng",
        Gender::Male,
        "Kinh",
        "LD.VP",
        "Ủy viên Hội đồng Thi đua – Khen thưởng tỉnh",
    ),
    (
        "Phạm Thị Minh",
        Gender::Female,
        "Kinh",
        "LD.VP",
        "Phó Chủ tịch Ủy ban nhân dân tỉnh",
    ),
    (
        "Nguyễn Văn Đức",
        Gender::Male,
        "Kinh",
        "LD.SGDDT",
        "Trưởng phòng",
    ),
    (
        "Nguyễn Văn Dũng",
        Gender::Male,
        "Kinh",
        "LD.SYT",
        "Chuyên viên",
    ),
];

/// The password of every demo account. For the demo only: a real
/// installation creates its accounts with `thidua user add`.
pub const DEMO_PASSWORD: &str = "thidua-demo-2026";

/// One demo account per role: login, name, role, unit code (2025 list or
/// organisation code; none for the administrator).
pub const DEMO_ACCOUNTS: [(&str, &str, Role, Option<&str>); 10] = [
    ("admin", "Quản trị hệ thống", Role::Admin, None),
    (
        "hoa.snv",
        "Nguyễn Thị Hoa",
        Role::ProvinceOfficer,
        Some("68"),
    ),
    ("yquang.xa", "Y Quang Niê", Role::UnitOfficer, Some("24615")),
    // A xã's officer: the New Rural criteria are entered by xã, not phường.
    (
        "son.xa",
        "Điểu Sơn",
        Role::UnitOfficer,
        Some(crate::demo_movements::JOURNEY_COMMUNE),
    ),
    ("lan.stc", "Trần Thị Lan", Role::UnitOfficer, Some("CB.STC")),
    ("mai.syt", "Nông Thị Mai", Role::UnitOfficer, Some("CB.SYT")),
    // The deputy head of the block: cross-scores its head.
    (
        "thu.snv",
        "Hoàng Thị Thu",
        Role::UnitOfficer,
        Some("CB.SNV"),
    ),
    ("hung.hd", "Lê Văn Hùng", Role::CouncilMember, Some("68")),
    ("minh.ld", "Phạm Thị Minh", Role::Leader, Some("68")),
    ("xem", "Người xem", Role::Viewer, Some("68")),
];

/// A tiny deterministic generator: the demo is the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

fn code(s: &str) -> AppResult<UnitCode> {
    UnitCode::parse(s).map_err(|e| AppError::Demo(e.to_string()))
}

async fn official(store: &Store, code_: &str, list: CodeList, on: Date) -> AppResult<UnitId> {
    store
        .units_by_code(code_, Some(list), on)
        .await?
        .into_iter()
        .find(|u| u.period.contains(on))
        .map(|u| u.id)
        .ok_or_else(|| {
            AppError::Demo(format!(
                "thiếu đơn vị hành chính {code_} ({})",
                list.as_str()
            ))
        })
}

fn agency(
    code_: UnitCode,
    name: String,
    kind: UnitKind,
    parent: UnitId,
    from: Option<Date>,
) -> NewUnit {
    NewUnit {
        code: code_,
        kind,
        admin_type: None,
        name,
        short_name: None,
        parent: Some(parent),
        valid_from: from,
    }
}

/// Seeds the demo. Safe to call again: a seeded database is left alone.
pub async fn seed(
    store: &Store,
    who: &Who,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> AppResult<DemoReport> {
    let mut report = DemoReport::default();
    let today = time::OffsetDateTime::now_utc().date();
    let seeded = store
        .resolve_code(MARKER, Some(CodeList::Local), today)
        .await?
        .is_some();
    // A database with accounts of its own is a province's real data (a
    // server's /etc/thidua/thidua.toml names it for every command run there).
    if !seeded && store.count_users().await? > 0 {
        return Err(AppError::Demo(
            "cơ sở dữ liệu này đã có tài khoản người dùng; dữ liệu mẫu chỉ nạp vào một cơ sở dữ liệu mới, không ghi gì".into(),
        ));
    }
    let (imported, _) =
        admin_units::import(store, who, &admin_units::embedded_files(), progress).await?;
    report.official_units_inserted = imported.units_inserted;
    if seeded {
        report.already_seeded = true;
        return Ok(report);
    }
    let mut rng = Lcg(2025);
    let before = date!(2025 - 06 - 30);
    let mut staff: Vec<Staff> = Vec::new();

    for p in &PROVINCES {
        let new_prov = official(store, p.code, CodeList::Y2025, REFORM_2025).await?;
        if p.legacy.is_empty() {
            continuing_agencies(store, who, p, new_prov, &mut report, &mut staff).await?;
        } else {
            merged_agencies(store, who, p, new_prov, before, &mut report, &mut staff).await?;
        }
        report.villages += seed_villages(store, who, p, &mut rng).await?;
    }

    report.people += seed_staff(store, who, &staff, &mut rng, before).await?;
    report.people += seed_named(store, who, today, &mut rng).await?;
    for (login, name, role, unit_code) in DEMO_ACCOUNTS {
        let unit = match unit_code {
            Some(c) => Some(
                store
                    .resolve_code(c, None, today)
                    .await?
                    .ok_or_else(|| AppError::Demo(format!("thiếu đơn vị {c}")))?
                    .id,
            ),
            None => None,
        };
        crate::auth::create_user(store, who, login, name, role, unit, DEMO_PASSWORD).await?;
        report.accounts += 1;
    }
    let (movements, values) = crate::demo_movements::seed(store, who, today).await?;
    report.movements = movements;
    report.values = values;
    crate::eligibility::ensure_catalogue(store, who).await?;
    report.people += crate::demo_registry::seed(store, who, today).await?;
    crate::demo_awards::seed(store, who, today).await?;
    crate::demo_clusters::seed(store, who, today).await?;
    crate::demo_examples::seed(store, who).await?;
    crate::demo_unit_awards::seed(store, who, today).await?;
    Ok(report)
}

/// A department's staff: the unit they work in, the unit a merger moves
/// them to, the ethnicities to draw from, and the department's code.
type Staff = (UnitId, Option<UnitId>, &'static [&'static str], String);

/// The departments of a province that continues through the reform, and
/// the two that merged on 01/03/2025.
async fn continuing_agencies(
    store: &Store,
    who: &Who,
    p: &DemoProvince,
    new_prov: UnitId,
    report: &mut DemoReport,
    staff: &mut Vec<Staff>,
) -> AppResult<()> {
    // The province continues: its departments simply go on, except the
    // March 2025 merger of agriculture and environment.
    for (suffix, name, kind) in AGENCIES {
        let c = code(&format!("{}.{suffix}", p.prefix))?;
        let id = store
            .create_unit(
                who,
                &agency(
                    c,
                    format!("{name} {}", p.name).replace("tỉnh tỉnh", "tỉnh"),
                    kind,
                    new_prov,
                    None,
                ),
            )
            .await?;
        report.organisations += 1;
        staff.push((id, None, p.ethnicities, format!("{}.{suffix}", p.prefix)));
    }
    // The two departments that merged on 01/03/2025.
    let mut merging = Vec::new();
    for (suffix, name) in [
        ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("STNMT", "Sở Tài nguyên và Môi trường"),
    ] {
        let c = code(&format!("{}.{suffix}", p.prefix))?;
        let unit = agency(
            c,
            format!("{name} {}", p.name),
            UnitKind::StateAgency,
            new_prov,
            None,
        );
        merging.push(store.create_unit(who, &unit).await?);
    }
    let merged = store
        .merge_into_new(
            who,
            &merging,
            &agency(
                code(&format!("{}.SNNMT", p.prefix))?,
                format!("Sở Nông nghiệp và Môi trường {}", p.name),
                UnitKind::StateAgency,
                new_prov,
                None,
            ),
            date!(2025 - 03 - 01),
            Some("Quyết định thành lập Sở Nông nghiệp và Môi trường (01/03/2025)"),
        )
        .await?;
    report.organisations += 3;
    staff.push((
        merging[0],
        Some(merged),
        p.ethnicities,
        format!("{}.SNNMT", p.prefix),
    ));
    Ok(())
}

/// The departments of each province merged at the reform, each merged
/// into the new province's department.
async fn merged_agencies(
    store: &Store,
    who: &Who,
    p: &DemoProvince,
    new_prov: UnitId,
    before: Date,
    report: &mut DemoReport,
    staff: &mut Vec<Staff>,
) -> AppResult<()> {
    for (suffix, name, kind) in AGENCIES {
        let mut olds = Vec::new();
        for (legacy_code, legacy_prefix, legacy_name, since) in p.legacy {
            let lp = official(store, legacy_code, CodeList::Legacy, before).await?;
            let full = format!("{name} {legacy_name}")
                .replace("tỉnh tỉnh", "tỉnh")
                .replace("tỉnh thành phố", "thành phố");
            let id = store
                .create_unit(
                    who,
                    &agency(
                        code(&format!("{legacy_prefix}.{suffix}"))?,
                        full,
                        kind,
                        lp,
                        Some(*since),
                    ),
                )
                .await?;
            olds.push(id);
            report.organisations += 1;
            if suffix == "SGDDT" && olds.len() == 1 {
                // A school, which the merger of its department carries along.
                store
                    .create_unit(
                        who,
                        &agency(
                            code(&format!("{legacy_prefix}.THPT1"))?,
                            "Trường Trung học phổ thông Chuyên".to_owned(),
                            UnitKind::PublicService,
                            id,
                            Some(*since),
                        ),
                    )
                    .await?;
                report.organisations += 1;
            }
        }
        let full = format!("{name} {}", p.name)
            .replace("tỉnh tỉnh", "tỉnh")
            .replace("tỉnh thành phố", "thành phố");
        let new_id = store
            .merge_into_new(
                who,
                &olds,
                &agency(
                    code(&format!("{}.{suffix}", p.prefix))?,
                    full,
                    kind,
                    new_prov,
                    None,
                ),
                REFORM_2025,
                Some("Sắp xếp tổ chức bộ máy khi hợp nhất tỉnh (01/07/2025)"),
            )
            .await?;
        report.organisations += 1;
        for old in olds {
            staff.push((
                old,
                Some(new_id),
                p.ethnicities,
                format!("{}.{suffix}", p.prefix),
            ));
        }
    }
    Ok(())
}

/// Three people in every department, some moved by the 2025 mergers.
async fn seed_staff(
    store: &Store,
    who: &Who,
    staff: &[Staff],
    rng: &mut Lcg,
    before: Date,
) -> AppResult<usize> {
    let mut people = 0;
    for (old, new, ethnicities, _) in staff {
        for _ in 0..3 {
            let female = rng.next(2) == 0;
            let name = if female {
                format!(
                    "{} {} {}",
                    FAMILY[rng.next(FAMILY.len())],
                    MIDDLE_F[rng.next(MIDDLE_F.len())],
                    GIVEN_F[rng.next(GIVEN_F.len())]
                )
            } else {
                format!(
                    "{} {} {}",
                    FAMILY[rng.next(FAMILY.len())],
                    MIDDLE_M[rng.next(MIDDLE_M.len())],
                    GIVEN_M[rng.next(GIVEN_M.len())]
                )
            };
            let birth = date!(1965 - 01 - 01) + time::Duration::days(rng.next(12_000) as i64);
            let id_number = (rng.next(3) > 0)
                .then(|| {
                    IdNumber::parse(&format!(
                        "0{:02}{}{:08}",
                        10 + rng.next(80),
                        u8::from(female),
                        rng.next(100_000_000)
                    ))
                })
                .transpose()
                .map_err(|e| AppError::Demo(e.to_string()))?;
            let person = NewPerson {
                category: None,
                name: PersonName::parse(&name).map_err(|e| AppError::Demo(e.to_string()))?,
                gender: Some(if female { Gender::Female } else { Gender::Male }),
                birth_date: Some(birth),
                ethnicity: Some(ethnicities[rng.next(ethnicities.len())].to_owned()),
                id_number,
                position: Some(POSITIONS[2 + rng.next(3)].to_owned()),
            };
            let pid = match store.insert_person(who, &person).await {
                Ok(id) => id,
                // Two generated people may share an ID number: keep the first.
                Err(thidua_store::StoreError::Database(e))
                    if e.as_database_error()
                        .is_some_and(|d| d.is_unique_violation()) =>
                {
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            people += 1;
            let position = person.position.as_deref();
            match new {
                Some(new) => {
                    let switch = if store
                        .unit(*old, before)
                        .await?
                        .is_some_and(|u| u.period.until == Some(REFORM_2025))
                    {
                        REFORM_2025
                    } else {
                        date!(2025 - 03 - 01)
                    };
                    store
                        .add_membership(
                            who,
                            pid,
                            *old,
                            position,
                            Period {
                                from: Some(date!(2015 - 01 - 01)),
                                until: Some(switch),
                            },
                        )
                        .await?;
                    store
                        .add_membership(
                            who,
                            pid,
                            *new,
                            position,
                            Period {
                                from: Some(switch),
                                until: None,
                            },
                        )
                        .await?;
                }
                None => {
                    store
                        .add_membership(
                            who,
                            pid,
                            *old,
                            position,
                            Period {
                                from: Some(date!(2015 - 01 - 01)),
                                until: None,
                            },
                        )
                        .await?
                }
            }
        }
    }
    Ok(people)
}

/// The named people of the demo's stories.
async fn seed_named(store: &Store, who: &Who, today: Date, rng: &mut Lcg) -> AppResult<usize> {
    let mut people = 0;
    for (name, gender, ethnicity, unit_code, position) in NAMED {
        let unit = store
            .resolve_code(unit_code, None, today)
            .await?
            .ok_or_else(|| AppError::Demo(format!("thiếu đơn vị {unit_code}")))?;
        let pid = store
            .insert_person(
                who,
                &NewPerson {
                    category: None,
                    name: PersonName::parse(name).map_err(|e| AppError::Demo(e.to_string()))?,
                    gender: Some(gender),
                    birth_date: Some(
                        date!(1982 - 09 - 02) + time::Duration::days(rng.next(3000) as i64),
                    ),
                    ethnicity: Some(ethnicity.to_owned()),
                    id_number: None,
                    position: Some(position.to_owned()),
                },
            )
            .await?;
        store
            .add_membership(
                who,
                pid,
                unit.id,
                Some(position),
                Period {
                    from: Some(REFORM_2025),
                    until: None,
                },
            )
            .await?;
        people += 1;
    }
    Ok(people)
}

/// Villages under the first communes of each legacy province (or of the
/// province itself), moved at the reform to the commune their commune became.
async fn seed_villages(
    store: &Store,
    who: &Who,
    p: &DemoProvince,
    rng: &mut Lcg,
) -> AppResult<usize> {
    const NAMES: [&str; 8] = [
        "Tân Lập",
        "Đoàn Kết",
        "Hòa Bình",
        "Tân Tiến",
        "Quyết Thắng",
        "Phú Sơn",
        "Bình An",
        "Thống Nhất",
    ];
    let before = date!(2025 - 06 - 30);
    let legacy_codes: Vec<&str> = if p.legacy.is_empty() {
        vec![p.code]
    } else {
        p.legacy.iter().map(|l| l.0).collect()
    };
    let mut n = 0;
    for lc in legacy_codes {
        let prov = official(store, lc, CodeList::Legacy, before).await?;
        let communes: Vec<_> = store
            .subtree_as_of(prov, before)
            .await?
            .into_iter()
            .filter(|(u, _)| u.kind == UnitKind::Commune)
            .take(3)
            .collect();
        for (commune, _) in communes {
            let successor = store
                .became_as_of(commune.id, REFORM_2025)
                .await?
                .into_iter()
                .find(|l| l.primary);
            for i in 1..=2 {
                let vname = format!("{} {}", p.village_word, NAMES[rng.next(NAMES.len())]);
                let vcode = code(&format!("V{}.{i}", commune.code))?;
                let v = store
                    .create_unit(
                        who,
                        &NewUnit {
                            code: vcode,
                            kind: UnitKind::Village,
                            admin_type: Some(p.village_word.to_lowercase()),
                            name: vname,
                            short_name: None,
                            parent: Some(commune.id),
                            valid_from: Some(date!(2000 - 01 - 01)),
                        },
                    )
                    .await?;
                n += 1;
                if let Some(s) = &successor
                    && s.unit.id != commune.id
                {
                    store
                        .reparent(
                            who,
                            v,
                            s.unit.id,
                            REFORM_2025,
                            Some("Sắp xếp đơn vị hành chính cấp xã (01/07/2025)"),
                        )
                        .await?;
                }
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod sources_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    thidua_store::engine_tests!(
        the_demo_seeds_once_and_tells_its_story,
        |store| async move {
            let first = seed(store, &Who::system("test"), &|_| {})
                .await
                .expect("demo");
            assert!(!first.already_seeded);
            assert!(first.organisations >= 60, "{first:?}");
            assert!(first.people >= 150, "{first:?}");
            let again = seed(store, &Who::system("test"), &|_| {})
                .await
                .expect("again");
            assert!(again.already_seeded);
            assert_eq!(again.official_units_inserted, 0);

            // Sở Nội vụ of Đắk Nông became part of Sở Nội vụ of the new Lâm Đồng.
            let old = store
                .resolve_code("DNO.SNV", None, date!(2024 - 01 - 01))
                .await
                .expect("q")
                .expect("unit");
            let became = store
                .became_as_of(old.id, date!(2025 - 07 - 01))
                .await
                .expect("became");
            assert_eq!(became[0].unit.code, "LD.SNV");
            let up = store
                .ancestors_as_of(became[0].unit.id, date!(2025 - 07 - 01))
                .await
                .expect("up");
            assert_eq!(up[0].name, "Tỉnh Lâm Đồng");
            // Its school moved with it.
            let school = store
                .resolve_code("DNO.THPT1", None, date!(2025 - 07 - 01))
                .await
                .expect("q")
                .expect("school");
            let school_up = store
                .ancestors_as_of(school.id, date!(2025 - 07 - 01))
                .await
                .expect("up");
            assert_eq!(school_up[0].code, "LD.SGDDT");
            // The people of the journeys are there.
            assert_eq!(
                store
                    .search_people("nguyen thi hoa", 10)
                    .await
                    .expect("search")
                    .first()
                    .map(|p| p.full_name.as_str()),
                Some("Nguyễn Thị Hoa")
            );
        }
    );
}
