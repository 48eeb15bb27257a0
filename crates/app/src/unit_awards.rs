//! Khen thưởng của thủ trưởng đơn vị — the Giấy khen (and the other forms
//! within its competence) a unit's head decides for the unit's own people
//! and collectives: a department director, a commune chairman. The unit's
//! officer runs it end to end inside the unit: each line judged by the
//! engine with the office as the deciding authority, then one decision in
//! the unit's own number sequence and its registry rows, in one
//! transaction. No province step.

use crate::movements::Enterer;
use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::decision::{DecisionId, DecisionKind};
use thidua_domain::document::DocumentNumber;
use thidua_domain::eligibility::inputs::{Achievement, AchievementKind, DecidedBy, ReviewStage};
use thidua_domain::eligibility::request::{AwardType, CheckRequest, Subject};
use thidua_domain::eligibility::{AwardCode, Outcome, SubjectKind, Verdict, check};
use thidua_domain::issuer::Office;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{Action, Object};
use thidua_store::{DecisionEffect, NewDecision, RegistryEntry, Store, SubjectRef, UserRow, Who};
use time::Date;

/// One person or collective the head rewards.
#[derive(Debug, Clone)]
pub struct UnitAwardLine {
    pub subject: SubjectRef,
    pub period_from: i32,
    pub period_to: i32,
    /// Thành tích, as the decision's list states it.
    pub summary: String,
}

/// A decision of the unit's head, as its officer prepares it.
#[derive(Debug, Clone)]
pub struct UnitAward {
    pub unit: UnitId,
    pub code: String,
    pub award_type: AwardType,
    /// The unit's movement the achievements belong to (thematic awards).
    pub movement: Option<i64>,
    /// Left blank: the unit's next number.
    pub number: String,
    pub date: Date,
    pub signer: String,
    pub signer_title: String,
    pub lines: Vec<UnitAwardLine>,
}

/// The office a unit's head holds on a day.
pub async fn office_of_unit(store: &Store, unit: UnitId, on: Date) -> AppResult<Office> {
    let u = store
        .unit(unit, on)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", unit.0)))?;
    let parent = crate::decisions::province_of(store, unit, on)
        .await?
        .filter(|p| p.id != unit)
        .map(|p| p.name);
    let mut o = Office::of_unit(u.kind, &u.name, parent.as_deref()).ok_or_else(|| {
        invalid(
            "unit",
            format!("{} không ban hành quyết định khen thưởng", u.name),
        )
    })?;
    o.until = u.period.until;
    Ok(o)
}

/// Whether a subject belongs to the unit (itself or under it) today.
async fn inside(store: &Store, subject: SubjectRef, unit: UnitId, today: Date) -> AppResult<bool> {
    let units: Vec<UnitId> = match subject {
        SubjectRef::Person(p) => store
            .memberships(p)
            .await?
            .into_iter()
            .map(|(u, ..)| u)
            .collect(),
        SubjectRef::Unit(u) => vec![u],
    };
    for u in units {
        if let Some(Object::Unit { chain, .. }) = auth::unit_object(store, u, today).await?
            && chain.contains(&unit)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Judges one line as the office would decide it.
async fn judge(
    store: &Store,
    a: &UnitAward,
    office: &Office,
    code: AwardCode,
    l: &UnitAwardLine,
) -> AppResult<Verdict> {
    let (history, kind) = match l.subject {
        SubjectRef::Person(p) => (
            crate::eligibility::person_history(store, p).await?,
            SubjectKind::Individual,
        ),
        SubjectRef::Unit(u) => (
            crate::eligibility::history_from(&store.registry(SubjectRef::Unit(u)).await?, None),
            SubjectKind::Collective,
        ),
    };
    let movement = match a.movement {
        Some(m) => store.movement(m).await?.map(|m| m.name),
        None => None,
    };
    let mut req = CheckRequest::new(
        Subject {
            kind,
            category: None,
            unit_type: None,
        },
        code,
        l.period_to,
        a.date,
        a.award_type,
        history,
    );
    req.period_from = Some(l.period_from);
    req.decided_by = Some(DecidedBy {
        authority: office.authority,
        until: office.until,
    });
    req.achievement = match a.award_type {
        AwardType::AdHoc => Some(Achievement {
            kind: AchievementKind::Sudden,
            movement: None,
            movement_level: None,
            movement_years: None,
            recognised_at: None,
            period_from: l.period_from,
            period_to: l.period_to,
            outstanding: true,
            role: None,
            rewarded: Vec::new(),
        }),
        // The unit's own movement, judged at its own review meeting.
        AwardType::Thematic => Some(Achievement {
            kind: AchievementKind::Movement,
            movement: Some(movement.ok_or_else(|| {
                invalid(
                    "movement",
                    "Khen theo đợt cần phong trào của đơn vị (Điều 8)",
                )
            })?),
            movement_level: Some(thidua_domain::eligibility::inputs::MovementLevel::CoSo),
            movement_years: None,
            recognised_at: Some(ReviewStage::TongKet),
            period_from: l.period_from,
            period_to: l.period_to,
            outstanding: true,
            role: None,
            rewarded: Vec::new(),
        }),
        _ => None,
    };
    check(&req).map_err(|e| invalid("lines", format!("{}: {}", e.field, e.message)))
}

/// Issues the unit head's decision: every line judged, the number taken,
/// the decision and its registry rows written in one transaction.
pub async fn issue(
    store: &Store,
    actor: Enterer<'_>,
    who: &Who,
    today: Date,
    a: &UnitAward,
) -> AppResult<DecisionId> {
    if let Enterer::User(user) = actor {
        auth::may_on_unit(store, user, Action::IssueUnitAwards, a.unit, today)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", a.unit.0)))?
            .map_err(AppError::Denied)?;
    }
    if a.date > today {
        return Err(invalid("date", "Ngày quyết định không được sau hôm nay"));
    }
    if a.signer.trim().is_empty() {
        return Err(invalid("signer", "Hãy ghi người ký quyết định"));
    }
    if a.lines.is_empty() {
        return Err(invalid("lines", "Hãy chọn ít nhất một tập thể, cá nhân"));
    }
    let code = AwardCode::parse(&a.code)
        .ok_or_else(|| invalid("code", format!("Hình thức «{}» không có", a.code)))?;
    let office = office_of_unit(store, a.unit, a.date).await?;
    office
        .may_decide(code, a.date)
        .map_err(|e| invalid("code", e.to_string()))?;
    let mut entries = Vec::new();
    let catalogue = store.catalogue_versions().await?;
    let salaries = store.base_salaries().await?;
    for (i, l) in a.lines.iter().enumerate() {
        if !inside(store, l.subject, a.unit, today).await? {
            return Err(invalid(
                "lines",
                format!("Dòng {}: đối tượng không thuộc đơn vị", i + 1),
            ));
        }
        if l.period_from > l.period_to || l.period_to > a.date.year() {
            return Err(invalid(
                "lines",
                format!(
                    "Dòng {}: giai đoạn thành tích {}–{} không hợp lệ",
                    i + 1,
                    l.period_from,
                    l.period_to
                ),
            ));
        }
        let v = judge(store, a, &office, code, l).await?;
        if v.verdict == Outcome::NotEligible {
            let why = v
                .checks
                .iter()
                .filter(|c| !c.passed)
                .map(|c| format!("{} ({})", c.message, c.article))
                .collect::<Vec<_>>()
                .join("; ");
            return Err(invalid(
                "lines",
                format!("Dòng {}: chưa đủ điều kiện: {why}", i + 1),
            ));
        }
        entries.push(RegistryEntry {
            subject: l.subject,
            code: code.code().to_owned(),
            annual_title: thidua_domain::eligibility::review::is_annual_title(code.code()),
            period_from: l.period_from,
            period_to: l.period_to,
            award_type: a.award_type.as_str().to_owned(),
            achievement: Some(l.summary.trim().to_owned()).filter(|s| !s.is_empty()),
            bonus_vnd: crate::decisions::bonus_for(&catalogue, &salaries, code.code(), a.date),
            subject_unit: Some(match l.subject {
                SubjectRef::Unit(u) => u,
                SubjectRef::Person(_) => a.unit,
            }),
            movement: a.movement,
        });
    }
    let issuer = office.name();
    let (number, serial) = match a.number.trim() {
        "" => {
            let (n, s) = crate::decisions::next_number(
                store,
                &issuer,
                Some(a.unit),
                a.date.year(),
                &office.symbol(),
            )
            .await?;
            (n.to_string(), Some(s))
        }
        n => {
            let n = DocumentNumber::parse(n).map_err(|e| invalid("number", e.to_string()))?;
            (
                n.to_string(),
                thidua_domain::decision::serial_of(&n).map(i64::from),
            )
        }
    };
    let id = store
        .add_decision(
            who,
            &NewDecision {
                kind: DecisionKind::Award,
                issuer,
                issuer_unit: Some(a.unit),
                number,
                serial,
                date: a.date,
                signer: a.signer.trim().to_owned(),
                signer_title: a.signer_title.trim().to_owned(),
                grounds: String::new(),
                proposer: String::new(),
                award_code: Some(code.code().to_owned()),
                refers_to: None,
                reason: None,
                dossier: None,
                base_salary_vnd: thidua_domain::decision::base_salary_on(&salaries, a.date)
                    .map(|b| b.amount_vnd),
                issuer_kind: Some(office.authority.as_str().to_owned()),
            },
            &DecisionEffect::Award(entries),
        )
        .await?;
    Ok(DecisionId(id))
}

/// What the unit's page shows: the office, the forms within its
/// competence today, the unit's people, and its head's decisions.
pub struct UnitAwardsView {
    pub unit_name: String,
    pub office: String,
    pub forms: Vec<(String, String)>,
    pub people: Vec<(i64, String, String)>,
    pub decisions: Vec<thidua_store::DecisionRow>,
}

pub async fn view(
    store: &Store,
    user: &UserRow,
    today: Date,
    unit: UnitId,
) -> AppResult<UnitAwardsView> {
    auth::may_on_unit(store, user, Action::IssueUnitAwards, unit, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", unit.0)))?
        .map_err(AppError::Denied)?;
    let office = office_of_unit(store, unit, today).await?;
    let catalogue = store.catalogue_versions().await?;
    let forms = thidua_domain::issuer::competence(office.authority, today)
        .iter()
        .map(|c| {
            (
                c.code().to_owned(),
                crate::decisions::form_name(&catalogue, c.code(), today),
            )
        })
        .collect();
    let people = store
        .people_in_unit(unit, today)
        .await?
        .into_iter()
        .map(|(p, pos)| (p.id, p.full_name, pos.or(p.position).unwrap_or_default()))
        .collect();
    Ok(UnitAwardsView {
        unit_name: office.unit_name.clone(),
        office: office.name(),
        forms,
        people,
        decisions: store.decisions_of_issuer_unit(unit).await?,
    })
}
