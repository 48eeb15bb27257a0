//! Demo registry history: the awards the provinces' own reports cite, as
//! decisions in the registry, so that the statistics pages say what those
//! reports say — and the person of journey 5, whose history spans a
//! transfer and the 2025 merger of her province.
//!
//! - Đắk Nông: Huân chương Độc lập hạng Ba (2008) and hạng Nhì (2013); Cờ
//!   thi đua của Chính phủ 2010, 2012, 2020, 2021; Bằng khen của Thủ tướng
//!   2016.
//! - Cao Bằng, 2014–2018, the provincial chairman's Bằng khen by movement:
//!   the border's defence 47 tập thể and 103 cá nhân, the security of the
//!   Fatherland 39 and 47, good farmers 12 and 126 (plus a few later, so
//!   the period matters).
//! - Bắc Kạn, New Rural 2011–2020 (as reported in December 2019): 4 xã
//!   given the province's Cờ thi đua, 54 tập thể and 57 cá nhân the
//!   chairman's Bằng khen (signed by a vice-chair), 5 and 4 the Prime
//!   Minister's.

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
    /// "Chủ tịch", or "Phó Chủ tịch" for a vice-chair signing for the chair.
    signer_title: &'a str,
    code: &'a str,
}

async fn decide(
    store: &Store,
    who: &Who,
    i: Issue<'_>,
    mut entries: Vec<RegistryEntry>,
) -> AppResult<i64> {
    let serial = i.number.split('/').next().and_then(|s| s.parse().ok());
    // The bonus each line carried, by the catalogue and the base salary
    // of the decision day, as the decision's table lists it.
    let catalogue = store.catalogue_versions().await?;
    let salaries = store.base_salaries().await?;
    for e in &mut entries {
        e.bonus_vnd = crate::decisions::bonus_for(&catalogue, &salaries, &e.code, i.date);
    }
    let base_salary =
        thidua_domain::decision::base_salary_on(&salaries, i.date).map(|b| b.amount_vnd);
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
                signer_title: i.signer_title.to_owned(),
                grounds: String::new(),
                proposer: String::new(),
                award_code: Some(i.code.to_owned()),
                refers_to: None,
                reason: None,
                dossier: None,
                base_salary_vnd: base_salary,
                issuer_kind: None,
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

/// One form given by one issuer over some years: `collectives` units of
/// the province's subtree (only communes, with `communes_only`) and
/// `people` new staff, one decision a year.
struct Campaign<'a> {
    province: &'a str,
    years: std::ops::RangeInclusive<i32>,
    code: &'a str,
    /// The province's chairman (issued with the province as unit), or a
    /// central issuer.
    issuer: &'a str,
    collectives: usize,
    communes_only: bool,
    people: usize,
    movement: Option<i64>,
    signer: &'a str,
    signer_title: &'a str,
    first_serial: u32,
    achievement: &'a str,
}

impl Campaign<'_> {
    /// The province chairman's Bằng khen, the most common case.
    fn chairman<'a>(
        province: &'a str,
        years: std::ops::RangeInclusive<i32>,
        (collectives, people): (usize, usize),
        movement: Option<i64>,
        (signer, first_serial): (&'a str, u32),
        achievement: &'a str,
    ) -> Campaign<'a> {
        Campaign {
            province,
            years,
            code: "BANG_KHEN_TINH",
            issuer: ISSUER_PROVINCE,
            collectives,
            communes_only: false,
            people,
            movement,
            signer,
            signer_title: "Chủ tịch",
            first_serial,
            achievement,
        }
    }
}

async fn campaign(store: &Store, who: &Who, c: Campaign<'_>) -> AppResult<usize> {
    let first = *c.years.start();
    let province = unit(store, c.province, day(first, 6, 30)?).await?;
    let units: Vec<UnitId> = store
        .subtree_as_of(province, day(first, 6, 30)?)
        .await?
        .into_iter()
        .filter(|(u, _)| !c.communes_only || u.kind == thidua_domain::org::UnitKind::Commune)
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
            c.code,
            years[y],
            *u,
            c.achievement,
            c.movement,
        ));
    }
    for n in 0..c.people {
        // Each campaign draws its own people: names and birth days from a
        // different stretch of the sequence, so no two are namesakes born
        // the same day.
        let i = n + c.first_serial as usize;
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
                        if i.is_multiple_of(4) {
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
        if i.is_multiple_of(4) {
            store.set_grassroots(who, pid, Some("farmer")).await?;
        }
        let y = n % years.len();
        per_year[y].push(entry(
            SubjectRef::Person(pid),
            c.code,
            years[y],
            at,
            c.achievement,
            c.movement,
        ));
    }
    let mut n = 0;
    for (k, (year, entries)) in years.iter().zip(per_year).enumerate() {
        n += entries.len();
        let provincial = c.issuer == ISSUER_PROVINCE;
        decide(
            store,
            who,
            Issue {
                issuer: c.issuer,
                issuer_unit: provincial.then_some(province),
                number: format!(
                    "{}/QĐ-{}",
                    c.first_serial + 37 * k as u32,
                    if provincial { "UBND" } else { "TTg" }
                ),
                date: day(*year, 12, 15)?,
                signer: c.signer,
                signer_title: c.signer_title,
                code: c.code,
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
                signer_title: if issuer == PRESIDENT {
                    "Chủ tịch nước"
                } else {
                    "Thủ tướng"
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
    n += cao_bang(store, who).await?;
    n += bac_kan(store, who).await?;
    n += journey_five(store, who, today).await?;
    Ok(n)
}

/// The id of a demo movement by its code.
async fn movement(store: &Store, code: &str) -> AppResult<Option<i64>> {
    Ok(store
        .movements()
        .await?
        .into_iter()
        .find(|m| m.code.as_str() == code)
        .map(|m| m.id))
}

/// Cao Bằng's Bằng khen of 2014–2018 by movement, and a few later ones.
async fn cao_bang(store: &Store, who: &Who) -> AppResult<usize> {
    let mut n = 0;
    let cao_bang = [
        (
            "BGQG-CB-2014",
            (47, 103),
            201,
            "Đã có thành tích xuất sắc trong phong trào “Toàn dân tham gia bảo vệ chủ quyền lãnh thổ, an ninh biên giới quốc gia trong tình hình mới”",
        ),
        (
            "ANTQ-CB-2014",
            (39, 47),
            251,
            "Đã có thành tích xuất sắc trong phong trào “Toàn dân bảo vệ an ninh Tổ quốc”",
        ),
        (
            "NDSX-CB-2014",
            (12, 126),
            351,
            "Đã có thành tích xuất sắc trong phong trào “Nông dân thi đua sản xuất kinh doanh giỏi”",
        ),
    ];
    for (code, counts, serial, achievement) in cao_bang {
        n += campaign(
            store,
            who,
            Campaign::chairman(
                "04",
                2014..=2018,
                counts,
                movement(store, code).await?,
                ("Hoàng Xuân Ánh", serial),
                achievement,
            ),
        )
        .await?;
    }
    // Later years, so that the period in the sentence is what selects.
    n += campaign(
        store,
        who,
        Campaign::chairman(
            "04",
            2019..=2020,
            (6, 14),
            None,
            ("Hoàng Xuân Ánh", 611),
            "Đã hoàn thành xuất sắc nhiệm vụ",
        ),
    )
    .await?;
    Ok(n)
}

/// Bắc Kạn's New Rural awards 2011–2019: the province's flag, the
/// chairman's Bằng khen (signed by a vice-chair), the Prime Minister's.
async fn bac_kan(store: &Store, who: &Who) -> AppResult<usize> {
    let mut n = 0;
    let new_rural = movement(store, "NTM-BK-2011").await?;
    let mut bk = Campaign::chairman(
        "06",
        2011..=2019,
        (54, 57),
        new_rural,
        ("Đỗ Thị Minh Hoa", 305),
        "Đã có thành tích xuất sắc trong phong trào thi đua “Bắc Kạn chung sức xây dựng nông thôn mới”",
    );
    bk.signer_title = "Phó Chủ tịch";
    n += campaign(store, who, bk).await?;
    n += campaign(
        store,
        who,
        Campaign {
            code: "CO_THI_DUA_TINH",
            communes_only: true,
            signer_title: "Chủ tịch",
            ..Campaign::chairman(
                "06",
                2019..=2019,
                (4, 0),
                new_rural,
                ("Lý Thái Hải", 991),
                "Đã dẫn đầu phong trào thi đua “Bắc Kạn chung sức xây dựng nông thôn mới”",
            )
        },
    )
    .await?;
    n += campaign(
        store,
        who,
        Campaign {
            code: "BANG_KHEN_THU_TUONG",
            issuer: PRIME_MINISTER,
            signer_title: "Thủ tướng",
            ..Campaign::chairman(
                "06",
                2019..=2019,
                (5, 4),
                new_rural,
                ("Thủ tướng Chính phủ", 1733),
                "Đã có thành tích xuất sắc trong phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới”",
            )
        },
    )
    .await?;
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
                signer_title: "Chủ tịch",
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
