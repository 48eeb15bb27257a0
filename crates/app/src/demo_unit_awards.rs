//! Demo decisions of issuers other than the provincial chairman: the
//! Giấy khen of a department director (Giám đốc Sở Tài chính Cao Bằng) and
//! of a commune-level chairman (Lâm Đồng), issued through the same door a
//! unit's officer uses; and a cán bộ of Cao Bằng whose Prime Minister's
//! Bằng khen of 2025 rested on a provincial Bằng khen of 2019 — the one a
//! revocation would take away, so that the flag can be seen.

use crate::movements::Enterer;
use crate::unit_awards::{UnitAward, UnitAwardLine, issue};
use crate::{AppError, AppResult};
use thidua_domain::Period;
use thidua_domain::decision::DecisionKind;
use thidua_domain::eligibility::Rating;
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::org::{CodeList, UnitId};
use thidua_domain::person::{Gender, PersonName};
use thidua_store::{
    DecisionEffect, NewDecision, NewPerson, NewTitle, RegistryEntry, Store, SubjectRef, Who,
};
use time::Date;
use time::macros::date;

/// The person of the revocation's example.
pub const FLAGGED_PERSON: &str = "Đinh Văn Phúc";
/// The provincial decision of 2019 his later award rested on.
pub const EARLIER_DECISION: &str = "2310/QĐ-UBND";

fn demo(e: impl std::fmt::Display) -> AppError {
    AppError::Demo(e.to_string())
}

async fn unit(store: &Store, code: &str, list: Option<CodeList>, on: Date) -> AppResult<UnitId> {
    Ok(store
        .resolve_code(code, list, on)
        .await?
        .ok_or_else(|| demo(format!("thiếu đơn vị {code}")))?
        .id)
}

/// A head's Giấy khen for the first `n` people of the unit on the day.
async fn head_award(
    store: &Store,
    who: &Who,
    today: Date,
    unit: UnitId,
    n: usize,
    (signer, title): (&str, &str),
    date: Date,
) -> AppResult<usize> {
    let people = store.people_in_unit(unit, date).await?;
    let lines: Vec<UnitAwardLine> = people
        .iter()
        .take(n)
        .map(|(p, _)| UnitAwardLine {
            subject: SubjectRef::Person(p.id),
            period_from: date.year(),
            period_to: date.year(),
            summary: format!("hoàn thành xuất sắc nhiệm vụ năm {}", date.year()),
        })
        .collect();
    if lines.is_empty() {
        return Ok(0);
    }
    let count = lines.len();
    issue(
        store,
        Enterer::System,
        who,
        today,
        &UnitAward {
            unit,
            code: "GIAY_KHEN".into(),
            award_type: AwardType::Regular,
            movement: None,
            number: String::new(),
            date,
            signer: signer.into(),
            signer_title: title.into(),
            lines,
        },
    )
    .await?;
    Ok(count)
}

/// A decision as the registry holds it.
struct Held<'a> {
    code: &'a str,
    issuer: &'a str,
    issuer_unit: Option<UnitId>,
    issuer_kind: &'a str,
    number: &'a str,
    date: Date,
    period: (i32, i32),
    subject_unit: UnitId,
}

async fn record(store: &Store, who: &Who, person: i64, h: Held<'_>) -> AppResult<()> {
    let catalogue = store.catalogue_versions().await?;
    let salaries = store.base_salaries().await?;
    store
        .add_decision(
            who,
            &NewDecision {
                kind: DecisionKind::Award,
                issuer: h.issuer.into(),
                issuer_unit: h.issuer_unit,
                number: h.number.into(),
                serial: h.number.split('/').next().and_then(|s| s.parse().ok()),
                date: h.date,
                signer: String::new(),
                signer_title: String::new(),
                grounds: String::new(),
                proposer: String::new(),
                award_code: Some(h.code.into()),
                refers_to: None,
                reason: None,
                dossier: None,
                base_salary_vnd: thidua_domain::decision::base_salary_on(&salaries, h.date)
                    .map(|b| b.amount_vnd),
                issuer_kind: Some(h.issuer_kind.into()),
            },
            &DecisionEffect::Award(vec![RegistryEntry {
                subject: SubjectRef::Person(person),
                code: h.code.into(),
                annual_title: false,
                period_from: h.period.0,
                period_to: h.period.1,
                award_type: "regular".into(),
                achievement: Some("Đã có thành tích xuất sắc trong thực hiện nhiệm vụ".into()),
                bonus_vnd: crate::decisions::bonus_for(&catalogue, &salaries, h.code, h.date),
                subject_unit: Some(h.subject_unit),
                movement: None,
            }]),
        )
        .await?;
    Ok(())
}

/// Đinh Văn Phúc, of Cao Bằng's Sở Nội vụ (a province the reform left
/// whole, so that no other province's figures move): HTTNV every year from 2018,
/// CSTĐCS in 2020, 2022 and 2024, the provincial Bằng khen for 2018 and the
/// Prime Minister's for 2019–2024.
async fn flagged_person(store: &Store, who: &Who) -> AppResult<()> {
    let province = unit(store, "04", Some(CodeList::Legacy), date!(2019 - 01 - 01)).await?;
    let dept = unit(store, "CB.SNV", None, date!(2019 - 01 - 01)).await?;
    let id = store
        .insert_person(
            who,
            &NewPerson {
                category: None,
                name: PersonName::parse(FLAGGED_PERSON).map_err(demo)?,
                gender: Some(Gender::Male),
                birth_date: Some(date!(1979 - 09 - 02)),
                ethnicity: Some("Kinh".into()),
                id_number: None,
                position: Some("Phó Trưởng phòng".into()),
            },
        )
        .await?;
    store
        .add_membership(
            who,
            id,
            dept,
            Some("Phó Trưởng phòng"),
            Period {
                from: Some(date!(2010 - 03 - 01)),
                until: None,
            },
        )
        .await?;
    for year in 2018..=2024 {
        store
            .set_rating(who, id, year, Rating::CompletedWell, Some(dept))
            .await?;
    }
    for year in [2020, 2022, 2024] {
        store
            .add_title(
                who,
                &NewTitle {
                    subject: SubjectRef::Person(id),
                    year,
                    code: "CHIEN_SI_THI_DUA_CO_SO".into(),
                    decision_number: Some(format!("{}/QĐ-SNV", 40 + year - 2000)),
                    decision_date: Date::from_calendar_date(year, time::Month::December, 22).ok(),
                },
            )
            .await?;
    }
    record(
        store,
        who,
        id,
        Held {
            code: "BANG_KHEN_TINH",
            issuer: crate::decisions::ISSUER_PROVINCE,
            issuer_unit: Some(province),
            issuer_kind: "chu_tich_ubnd_tinh",
            number: EARLIER_DECISION,
            date: date!(2019 - 03 - 15),
            period: (2018, 2018),
            subject_unit: dept,
        },
    )
    .await?;
    record(
        store,
        who,
        id,
        Held {
            code: "BANG_KHEN_THU_TUONG",
            issuer: "Thủ tướng Chính phủ",
            issuer_unit: None,
            issuer_kind: "thu_tuong",
            number: "1875/QĐ-TTg",
            date: date!(2025 - 10 - 08),
            period: (2019, 2024),
            subject_unit: dept,
        },
    )
    .await
}

/// Seeds the decisions of the other issuers; returns the lines written.
pub async fn seed(store: &Store, who: &Who, today: Date) -> AppResult<usize> {
    let mut n = 0;
    let on = date!(2025 - 12 - 26);
    let finance = unit(store, "CB.STC", None, on).await?;
    n += head_award(
        store,
        who,
        today,
        finance,
        3,
        ("Hoàng Văn Tuấn", "Giám đốc"),
        on,
    )
    .await?;
    let ward = unit(store, "24615", None, on).await?;
    n += head_award(
        store,
        who,
        today,
        ward,
        2,
        ("Lê Thị Thu", "Phó Chủ tịch"),
        date!(2025 - 12 - 29),
    )
    .await?;
    flagged_person(store, who).await?;
    Ok(n + 2)
}
