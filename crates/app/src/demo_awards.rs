//! Demo registry history: the awards the provinces' own reports cite, as
//! decisions in the registry, so that the statistics pages say what those
//! reports say — and the person of journey 5, whose history spans a
//! transfer and the 2025 merger of her province.
//!
//! - Đắk Nông: Huân chương Độc lập hạng Ba (2008) and hạng Nhì (2013); Cờ
//!   thi đua của Chính phủ 2010, 2012, 2020, 2021; Bằng khen của Thủ tướng
//!   2016.
//! - Cao Bằng: 47 tập thể and 103 cá nhân given the provincial chairman's
//!   Bằng khen in 2014–2018 (plus a few later, so the period matters).
//! - Bắc Kạn: 32 tập thể and 76 cá nhân in 2016–2020 under its New Rural
//!   movement (a demo figure: no report of ours gives Bắc Kạn's count).

use crate::{AppError, AppResult};
use thidua_domain::Period;
use thidua_domain::decision::DecisionKind;
use thidua_domain::org::UnitId;
use thidua_domain::person::{Gender, PersonName};
use thidua_store::{DecisionEffect, NewDecision, NewPerson, RegistryEntry, Store, SubjectRef, Who};
use time::macros::date;
use time::{Date, Month};

const ISSUER_PROVINCE: &str = crate::decisions::ISSUER_PROVINCE;
const PRESIDENT: &str = "Chủ tịch nước";
const PRIME_MINISTER: &str = "Thủ tướng Chính phủ";

fn day(y: i32, m: u8, d: u8) -> AppResult<Date> {
    Month::try_from(m)
        .ok()
        .and_then(|m| Date::from_calendar_date(y, m, d).ok())
        .ok_or_else(|| AppError::Demo(format!("ngày {d}/{m}/{y}")))
}

fn entry(
    subject: SubjectRef,
    code: &str,
    year: i32,
    unit: UnitId,
    achievement: &str,
    movement: Option<i64>,
) -> RegistryEntry {
    RegistryEntry {
        subject,
        code: code.to_owned(),
        annual_title: false,
        period_from: year - 1,
        period_to: year,
        award_type: "regular".to_owned(),
        achievement: Some(achievement.to_owned()),
        bonus_vnd: None,
        subject_unit: Some(unit),
        movement,
    }
}

struct Issue<'a> {
    issuer: &'a str,
    issuer_unit: Option<UnitId>,
    number: String,
    date: Date,
    signer: &'a str,
    code: &'a str,
}

async fn decide(
    store: &Store,
    who: &Who,
    i: Issue<'_>,
    entries: Vec<RegistryEntry>,
) -> AppResult<i64> {
    let serial = i.number.split('/').next().and_then(|s| s.parse().ok());
    Ok(store
        .add_decision(
            who,
            &NewDecision {
                kind: DecisionKind::Award,
                issuer: i.issuer.to_owned(),
                issuer_unit: i.issuer_unit,
                number: i.number,
                serial,
                date: i.date,
                signer: i.signer.to_owned(),
                signer_title: "Chủ tịch".to_owned(),
                grounds: String::new(),
                proposer: String::new(),
                award_code: Some(i.code.to_owned()),
                refers_to: None,
                reason: None,
                dossier: None,
                base_salary_vnd: None,
            },
            &DecisionEffect::Award(entries),
        )
        .await?)
}

async fn unit(store: &Store, code: &str, on: Date) -> AppResult<UnitId> {
    Ok(store
        .resolve_code(code, None, on)
        .await?
        .ok_or_else(|| AppError::Demo(format!("thiếu đơn vị {code}")))?
        .id)
}

const FAMILY: [&str; 8] = [
    "Nguyễn", "Nông", "Hoàng", "Lương", "Triệu", "Bế", "Đàm", "Lục",
];
const MIDDLE: [&str; 4] = ["Thị", "Văn", "Thị", "Đức"];
const GIVEN_F: [&str; 6] = ["Hoa", "Lan", "Huyền", "Mai", "Thắm", "Hường"];
const GIVEN_M: [&str; 6] = ["Dũng", "Hùng", "Khánh", "Toàn", "Thắng", "Tuấn"];
const ETHNIC: [&str; 5] = ["Tày", "Nùng", "Kinh", "H'Mông", "Dao"];

/// A province's Bằng khen of the chairman over some years: `collectives`
/// units of its subtree and `people` new staff, one decision a year.
struct Campaign<'a> {
    province: &'a str,
    years: std::ops::RangeInclusive<i32>,
    collectives: usize,
    people: usize,
    movement: Option<i64>,
    signer: &'a str,
    first_serial: u32,
    achievement: &'a str,
}

async fn campaign(store: &Store, who: &Who, c: Campaign<'_>) -> AppResult<usize> {
    let first = *c.years.start();
    let province = unit(store, c.province, day(first, 6, 30)?).await?;
    let units: Vec<UnitId> = store
        .subtree_as_of(province, day(first, 6, 30)?)
        .await?
        .into_iter()
        .map(|(u, _)| u.id)
        .collect();
    if units.len() < c.collectives {
        return Err(AppError::Demo(format!(
            "{} có {} đơn vị, cần {}",
            c.province,
            units.len(),
            c.collectives
        )));
    }
    let years: Vec<i32> = c.years.clone().collect();
    let mut per_year: Vec<Vec<RegistryEntry>> = vec![Vec::new(); years.len()];
    for (i, u) in units.iter().take(c.collectives).enumerate() {
        let y = i % years.len();
        per_year[y].push(entry(
            SubjectRef::Unit(*u),
            "BANG_KHEN_TINH",
            years[y],
            *u,
            c.achievement,
            c.movement,
        ));
    }
    for i in 0..c.people {
        let female = i % 5 < 3;
        let name = format!(
            "{} {} {}",
            FAMILY[i % FAMILY.len()],
            if female {
                MIDDLE[i % 2 * 2]
            } else {
                MIDDLE[1 + i % 2 * 2]
            },
            if female {
                GIVEN_F[i / 3 % GIVEN_F.len()]
            } else {
                GIVEN_M[i / 3 % GIVEN_M.len()]
            }
        );
        let at = units[(i * 7) % units.len()];
        let born = day(
            1965 + (i % 30) as i32,
            1 + (i % 12) as u8,
            1 + (i % 27) as u8,
        )?;
        let pid = store
            .insert_person(
                who,
                &NewPerson {
                    category: None,
                    name: PersonName::parse(&name).map_err(|e| AppError::Demo(e.to_string()))?,
                    gender: Some(if female { Gender::Female } else { Gender::Male }),
                    birth_date: Some(born),
                    ethnicity: Some(ETHNIC[i % ETHNIC.len()].to_owned()),
                    id_number: None,
                    position: Some(
                        if i % 4 == 0 {
                            "Nông dân"
                        } else {
                            "Cán bộ, công chức"
                        }
                        .to_owned(),
                    ),
                },
            )
            .await?;
        store
            .add_membership(
                who,
                pid,
                at,
                None,
                Period {
                    from: Some(day(2005, 1, 1)?),
                    until: None,
                },
            )
            .await?;
        if i % 4 == 0 {
            store.set_grassroots(who, pid, Some("farmer")).await?;
        }
        let y = i % years.len();
        per_year[y].push(entry(
            SubjectRef::Person(pid),
            "BANG_KHEN_TINH",
            years[y],
            at,
            c.achievement,
            c.movement,
        ));
    }
    let mut n = 0;
    for (k, (year, entries)) in years.iter().zip(per_year).enumerate() {
        n += entries.len();
        decide(
            store,
            who,
            Issue {
                issuer: ISSUER_PROVINCE,
                issuer_unit: Some(province),
                number: format!("{}/QĐ-UBND", c.first_serial + 37 * k as u32),
                date: day(*year, 12, 15)?,
                signer: c.signer,
                code: "BANG_KHEN_TINH",
            },
            entries,
        )
        .await?;
    }
    Ok(n)
}

/// Seeds the history; returns the number of registry lines written.
pub async fn seed(store: &Store, who: &Who, today: Date) -> AppResult<usize> {
    let mut n = 0;
    // Đắk Nông, as a collective: the province itself.
    let dak_nong = unit(store, "67", date!(2010 - 01 - 01)).await?;
    let honours: [(&str, &str, i32, u8, u8, &str); 7] = [
        (
            "HUAN_CHUONG_DOC_LAP_HANG_BA",
            PRESIDENT,
            2008,
            8,
            20,
            "1085/QĐ-CTN",
        ),
        (
            "CO_THI_DUA_CHINH_PHU",
            PRIME_MINISTER,
            2010,
            3,
            10,
            "358/QĐ-TTg",
        ),
        (
            "CO_THI_DUA_CHINH_PHU",
            PRIME_MINISTER,
            2012,
            4,
            12,
            "421/QĐ-TTg",
        ),
        (
            "HUAN_CHUONG_DOC_LAP_HANG_NHI",
            PRESIDENT,
            2013,
            11,
            5,
            "2146/QĐ-CTN",
        ),
        (
            "BANG_KHEN_THU_TUONG",
            PRIME_MINISTER,
            2016,
            5,
            23,
            "912/QĐ-TTg",
        ),
        (
            "CO_THI_DUA_CHINH_PHU",
            PRIME_MINISTER,
            2020,
            6,
            1,
            "745/QĐ-TTg",
        ),
        (
            "CO_THI_DUA_CHINH_PHU",
            PRIME_MINISTER,
            2021,
            5,
            28,
            "816/QĐ-TTg",
        ),
    ];
    for (code, issuer, y, m, d, number) in honours {
        decide(
            store,
            who,
            Issue {
                issuer,
                issuer_unit: None,
                number: number.to_owned(),
                date: day(y, m, d)?,
                signer: if issuer == PRESIDENT {
                    "Chủ tịch nước"
                } else {
                    "Thủ tướng Chính phủ"
                },
                code,
            },
            vec![entry(
                SubjectRef::Unit(dak_nong),
                code,
                y,
                dak_nong,
                "Đảng bộ, chính quyền và nhân dân tỉnh Đắk Nông đã có thành tích xuất sắc",
                None,
            )],
        )
        .await?;
        n += 1;
    }
    let movement = |code: &'static str| async move {
        Ok::<Option<i64>, AppError>(
            store
                .movements()
                .await?
                .into_iter()
                .find(|m| m.code.as_str() == code)
                .map(|m| m.id),
        )
    };
    n += campaign(
        store,
        who,
        Campaign {
            province: "04",
            years: 2014..=2018,
            collectives: 47,
            people: 103,
            movement: movement("NTM-CB-2016").await?,
            signer: "Hoàng Xuân Ánh",
            first_serial: 201,
            achievement: "Đã có thành tích trong phong trào thi đua “Cao Bằng chung sức xây dựng nông thôn mới”",
        },
    )
    .await?;
    // Later years, so that the period in the sentence is what selects.
    n += campaign(
        store,
        who,
        Campaign {
            province: "04",
            years: 2019..=2020,
            collectives: 6,
            people: 14,
            movement: None,
            signer: "Hoàng Xuân Ánh",
            first_serial: 611,
            achievement: "Đã hoàn thành xuất sắc nhiệm vụ",
        },
    )
    .await?;
    n += campaign(
        store,
        who,
        Campaign {
            province: "06",
            years: 2016..=2020,
            collectives: 32,
            people: 76,
            movement: movement("NTM-BK-2016").await?,
            signer: "Đỗ Thị Minh Hoa",
            first_serial: 305,
            achievement: "Đã có thành tích trong phong trào thi đua xây dựng nông thôn mới",
        },
    )
    .await?;
    n += journey_five(store, who, today).await?;
    Ok(n)
}

/// Nguyễn Thị Hoa: a commune of Đắk Nông, then another after a transfer,
/// then — with no move of her own — the ward of Lâm Đồng both became.
async fn journey_five(store: &Store, who: &Who, today: Date) -> AppResult<usize> {
    // A ward of Lâm Đồng made of at least two communes of Đắk Nông, away
    // from the journeys' own communes (whose staff lists the reviews use).
    let dak_nong = unit(store, "67", date!(2020 - 01 - 01)).await?;
    let mut found = None;
    let communes = store.subtree_as_of(dak_nong, date!(2020 - 01 - 01)).await?;
    // Official commune codes have five digits; organisations have letters.
    let communes = communes
        .into_iter()
        .filter(|(u, _)| u.code.len() == 5 && u.code.bytes().all(|b| b.is_ascii_digit()));
    for (legacy, _) in communes {
        for w in store.became_as_of(legacy.id, today).await? {
            let is_commune =
                w.unit.code.len() == 5 && w.unit.code.bytes().all(|b| b.is_ascii_digit());
            if !is_commune || ["24615", "24616"].contains(&w.unit.code.as_str()) {
                continue;
            }
            let before: Vec<UnitId> = store
                .predecessors(w.unit.id)
                .await?
                .into_iter()
                .filter(|l| l.unit.id != legacy.id && l.unit.code.len() == 5)
                .map(|l| l.unit.id)
                .collect();
            if let Some(other) = before.first() {
                found = Some((legacy.id, *other, w.unit.id));
                break;
            }
        }
        if found.is_some() {
            break;
        }
    }
    let Some((first, second, ward)) = found else {
        return Err(AppError::Demo(
            "không tìm được phường có hai xã tiền thân của Đắk Nông".into(),
        ));
    };
    let hoa = store
        .insert_person(
            who,
            &NewPerson {
                category: None,
                name: PersonName::parse("Nguyễn Thị Hoa")
                    .map_err(|e| AppError::Demo(e.to_string()))?,
                gender: Some(Gender::Female),
                birth_date: Some(date!(1985 - 03 - 08)),
                ethnicity: Some("Kinh".into()),
                id_number: None,
                position: Some("Công chức Văn phòng – Thống kê".into()),
            },
        )
        .await?;
    let stints = [
        (first, date!(2012 - 03 - 01), Some(date!(2019 - 08 - 01))),
        (second, date!(2019 - 08 - 01), Some(date!(2025 - 07 - 01))),
        (ward, date!(2025 - 07 - 01), None),
    ];
    for (u, from, until) in stints {
        store
            .add_membership(
                who,
                hoa,
                u,
                Some("Công chức Văn phòng – Thống kê"),
                Period {
                    from: Some(from),
                    until,
                },
            )
            .await?;
    }
    let lines = [
        (
            dak_nong,
            "BANG_KHEN_TINH",
            2018,
            "1630/QĐ-UBND",
            date!(2018 - 10 - 12),
            first,
            "Đã có thành tích xuất sắc trong phong trào “Chung sức xây dựng nông thôn mới” giai đoạn 2016–2018",
        ),
        (
            dak_nong,
            "BANG_KHEN_TINH",
            2023,
            "1875/QĐ-UBND",
            date!(2023 - 12 - 20),
            second,
            "Đã hoàn thành xuất sắc nhiệm vụ năm 2022 và 2023",
        ),
    ];
    let written = lines.len() + 1;
    for (issuer_unit, code, year, number, on, at, achievement) in lines {
        decide(
            store,
            who,
            Issue {
                issuer: ISSUER_PROVINCE,
                issuer_unit: Some(issuer_unit),
                number: number.to_owned(),
                date: on,
                signer: "Hồ Văn Mười",
                code,
            },
            vec![entry(
                SubjectRef::Person(hoa),
                code,
                year,
                at,
                achievement,
                None,
            )],
        )
        .await?;
    }
    // After the merger, in Lâm Đồng: an annual title of her new ward.
    store
        .add_title(
            who,
            &thidua_store::NewTitle {
                subject: SubjectRef::Person(hoa),
                year: 2025,
                code: "LAO_DONG_TIEN_TIEN".into(),
                decision_number: Some("45/QĐ-UBND".into()),
                decision_date: Some(date!(2025 - 12 - 22)),
            },
        )
        .await?;
    Ok(written)
}
