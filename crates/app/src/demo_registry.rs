//! The demo's registry: the staff of Anh Y Quang's commune with five years
//! of ratings, titles, initiatives and one disciplinary decision, so the
//! annual review of journey 2 has real cases — a second CSTĐCS in a row
//! (and with it a Bằng khen tỉnh within reach), someone rated below HTTNV,
//! someone disciplined, someone recruited in May, someone not yet rated.

use crate::{AppError, AppResult};
use thidua_domain::date::Period;
use thidua_domain::eligibility::{DisciplineLevel, InitiativeScope, Rating};
use thidua_domain::person::{Gender, PersonName};
use thidua_store::{NewInitiative, NewPerson, NewTitle, Store, SubjectRef, Who};
use time::Date;
use time::macros::date;

/// Anh Y Quang's commune (2025 code list).
pub const REVIEW_COMMUNE: &str = "24615";

struct Staff {
    name: &'static str,
    gender: Gender,
    ethnicity: &'static str,
    position: &'static str,
    since: Date,
    born: Option<Date>,
    /// Ratings from 2022 on, in order; None: not rated that year.
    ratings: [Option<Rating>; 5],
    /// Titles by year.
    titles: &'static [(i32, &'static str)],
    initiative: Option<(i32, &'static str)>,
    discipline: Option<(i32, DisciplineLevel)>,
}

use Rating::{Completed as HTNV, CompletedExcellently as XS, CompletedWell as TOT};

const STAFF: [Staff; 8] = [
    Staff {
        name: "H'Hen Niê",
        gender: Gender::Female,
        ethnicity: "Ê Đê",
        position: "Phó Chủ tịch UBND xã",
        since: date!(2015 - 01 - 01),
        born: Some(date!(1987 - 05 - 12)),
        ratings: [Some(TOT), Some(TOT), Some(XS), Some(XS), Some(XS)],
        titles: &[
            (2022, "LAO_DONG_TIEN_TIEN"),
            (2023, "LAO_DONG_TIEN_TIEN"),
            (2024, "CHIEN_SI_THI_DUA_CO_SO"),
            (2025, "CHIEN_SI_THI_DUA_CO_SO"),
        ],
        initiative: None,
        discipline: None,
    },
    Staff {
        name: "Trần Văn Toàn",
        gender: Gender::Male,
        ethnicity: "Kinh",
        position: "Công chức Địa chính – Xây dựng",
        since: date!(2016 - 08 - 01),
        born: None,
        ratings: [Some(TOT), Some(TOT), Some(TOT), Some(TOT), Some(TOT)],
        titles: &[(2024, "LAO_DONG_TIEN_TIEN"), (2025, "LAO_DONG_TIEN_TIEN")],
        initiative: Some((2026, "Số hóa hồ sơ địa chính của 12 bon")),
        discipline: None,
    },
    Staff {
        name: "Điểu Thị Mai",
        gender: Gender::Female,
        ethnicity: "M'Nông",
        position: "Công chức Tư pháp – Hộ tịch",
        since: date!(2018 - 03 - 01),
        born: None,
        ratings: [Some(TOT), Some(HTNV), Some(TOT), Some(TOT), Some(TOT)],
        titles: &[(2024, "LAO_DONG_TIEN_TIEN"), (2025, "LAO_DONG_TIEN_TIEN")],
        initiative: None,
        discipline: None,
    },
    Staff {
        name: "Nguyễn Văn Bảo",
        gender: Gender::Male,
        ethnicity: "Kinh",
        position: "Công chức Văn phòng – Thống kê",
        since: date!(2017 - 01 - 01),
        born: None,
        ratings: [Some(TOT), Some(TOT), Some(HTNV), Some(TOT), Some(HTNV)],
        titles: &[(2022, "LAO_DONG_TIEN_TIEN"), (2023, "LAO_DONG_TIEN_TIEN")],
        initiative: None,
        discipline: None,
    },
    Staff {
        name: "Lê Thị Thu",
        gender: Gender::Female,
        ethnicity: "Kinh",
        position: "Công chức Tài chính – Kế toán",
        since: date!(2019 - 01 - 01),
        born: None,
        ratings: [Some(TOT), Some(TOT), Some(TOT), Some(TOT), Some(TOT)],
        titles: &[(2024, "LAO_DONG_TIEN_TIEN"), (2025, "LAO_DONG_TIEN_TIEN")],
        initiative: None,
        discipline: Some((2026, DisciplineLevel::KhienTrach)),
    },
    Staff {
        name: "Phạm Minh Đức",
        gender: Gender::Male,
        ethnicity: "Kinh",
        position: "Công chức Văn hóa – Xã hội",
        since: date!(2026 - 05 - 01),
        born: None,
        ratings: [None, None, None, None, Some(TOT)],
        titles: &[],
        initiative: None,
        discipline: None,
    },
    Staff {
        name: "Y Moan Êban",
        gender: Gender::Male,
        ethnicity: "Ê Đê",
        position: "Chỉ huy trưởng Quân sự xã",
        since: date!(2015 - 01 - 01),
        born: None,
        ratings: [Some(TOT), Some(TOT), Some(TOT), Some(TOT), None],
        titles: &[(2025, "LAO_DONG_TIEN_TIEN")],
        initiative: None,
        discipline: None,
    },
    Staff {
        name: "Hoàng Văn Nam",
        gender: Gender::Male,
        ethnicity: "Tày",
        position: "Trưởng Công an xã",
        since: date!(2020 - 01 - 01),
        born: None,
        ratings: [Some(TOT), Some(TOT), Some(TOT), Some(XS), Some(TOT)],
        titles: &[(2025, "CHIEN_SI_THI_DUA_CO_SO")],
        initiative: Some((2025, "Mô hình camera an ninh tự quản ở bon")),
        discipline: None,
    },
];

/// Seeds the staff and their registry; returns how many people.
pub async fn seed(store: &Store, who: &Who, today: Date) -> AppResult<usize> {
    let unit = store
        .resolve_code(REVIEW_COMMUNE, None, today)
        .await?
        .ok_or_else(|| AppError::Demo(format!("thiếu đơn vị {REVIEW_COMMUNE}")))?;
    let decided = |y: i32| Date::from_calendar_date(y, time::Month::December, 25).ok();
    for s in &STAFF {
        let id = store
            .insert_person(
                who,
                &NewPerson {
                    category: None,
                    name: PersonName::parse(s.name).map_err(|e| AppError::Demo(e.to_string()))?,
                    gender: Some(s.gender),
                    birth_date: s.born,
                    ethnicity: Some(s.ethnicity.to_owned()),
                    id_number: None,
                    position: Some(s.position.to_owned()),
                },
            )
            .await?;
        store
            .add_membership(
                who,
                id,
                unit.id,
                Some(s.position),
                Period {
                    from: Some(s.since),
                    until: None,
                },
            )
            .await?;
        for (i, r) in s.ratings.iter().enumerate() {
            if let Some(r) = r {
                store
                    .set_rating(who, id, 2022 + i as i32, *r, Some(unit.id))
                    .await?;
            }
        }
        for (n, (year, code)) in s.titles.iter().enumerate() {
            store
                .add_title(
                    who,
                    &NewTitle {
                        subject: SubjectRef::Person(id),
                        year: *year,
                        code: (*code).to_owned(),
                        decision_number: Some(format!("{}/QĐ-UBND", 180 + n)),
                        decision_date: decided(*year),
                    },
                )
                .await?;
        }
        if let Some((year, name)) = s.initiative {
            store
                .add_initiative(
                    who,
                    &NewInitiative {
                        person_id: id,
                        year,
                        name: name.to_owned(),
                        scope: InitiativeScope::CoSo,
                        recognised_by: Some("Hội đồng sáng kiến xã".into()),
                        used_by: None,
                    },
                )
                .await?;
        }
        if let Some((year, level)) = s.discipline {
            store
                .add_discipline(who, id, year, level, Some("12/QĐ-UBND"))
                .await?;
        }
    }
    // Anh Y Quang himself, in the commune since the 2025 reform.
    if let Some(p) = store.search_people("y quang nie", 1).await?.first() {
        for year in [2025, 2026] {
            store
                .set_rating(who, p.id, year, Rating::CompletedWell, Some(unit.id))
                .await?;
        }
    }
    // The same H'Hen, recorded a second time by the commune she worked in
    // before her transfer: what the duplicate check is for.
    if let Some(before) = store.resolve_code("24616", None, today).await? {
        let twin = store
            .insert_person(
                who,
                &NewPerson {
                    category: None,
                    name: PersonName::parse("H'Hen Niê")
                        .map_err(|e| AppError::Demo(e.to_string()))?,
                    gender: Some(Gender::Female),
                    birth_date: Some(date!(1987 - 05 - 12)),
                    ethnicity: Some("Ê Đê".into()),
                    id_number: None,
                    position: Some("Công chức Văn hóa – Xã hội".into()),
                },
            )
            .await?;
        store
            .add_membership(
                who,
                twin,
                before.id,
                Some("Công chức Văn hóa – Xã hội"),
                Period {
                    from: Some(date!(2010 - 03 - 01)),
                    until: Some(date!(2015 - 01 - 01)),
                },
            )
            .await?;
    }
    Ok(STAFF.len())
}
