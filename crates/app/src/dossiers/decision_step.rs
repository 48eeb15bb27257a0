//! The last step: the province's own decision (it takes the next number of
//! the province's sequence when none is given), or the record of a higher
//! level's decision. Passed lines enter the registry with their bonus.

use super::step_context::{StepContext, all_lines};
use crate::decisions::{
    ISSUER_PROVINCE, SYMBOL_PROVINCE, bonus_for, lower_first, next_number, province_of,
};
use crate::{AppResult, invalid};
use thidua_domain::VnDate;
use thidua_domain::document::DocumentNumber;
use thidua_domain::dossier::{DossierAction, LineStatus, Side};
use thidua_store::{DossierLineRow, NewDecision, RegistryEntry, Step, SubjectRef};
use time::Date;

/// The decision's number, date and issuer, as given or as the province's
/// sequence assigns them.
struct Issued {
    number: DocumentNumber,
    serial: Option<i64>,
    date: Date,
    issuer: String,
    issuer_unit: Option<thidua_domain::org::UnitId>,
}

async fn issued(cx: &StepContext<'_>, action: DossierAction) -> AppResult<Issued> {
    let own = action == DossierAction::IssueDecision;
    if own && cx.lines.iter().any(|l| cx.state_level(l)) {
        return Err(invalid(
            "action",
            "Hình thức cấp Nhà nước do Thủ tướng hoặc Chủ tịch nước quyết định: hãy trình cấp trên",
        ));
    }
    let input = cx.input;
    let given = match input.number.trim() {
        "" => None,
        n => Some(DocumentNumber::parse(n).map_err(|e| invalid("number", e.to_string()))?),
    };
    let date = input
        .date
        .ok_or_else(|| invalid("date", "Hãy ghi ngày quyết định"))?;
    if date > cx.today() {
        return Err(invalid("date", "Ngày quyết định không được sau hôm nay"));
    }
    let issuer = match input.issuer.trim() {
        "" if own => ISSUER_PROVINCE.to_owned(),
        "" => return Err(invalid("issuer", "Hãy ghi cấp đã quyết định")),
        s => s.to_owned(),
    };
    if own && input.signer.trim().is_empty() {
        return Err(invalid("signer", "Hãy ghi người ký quyết định"));
    }
    // A provincial decision belongs to the province's sequence and takes
    // its next number when the officer leaves it blank.
    let issuer_unit = if own {
        province_of(cx.store, cx.dossier.unit_id, date)
            .await?
            .map(|u| u.id)
    } else {
        None
    };
    let (number, serial) = match given {
        Some(n) => {
            let s = thidua_domain::decision::serial_of(&n).map(i64::from);
            (n, s)
        }
        None if own => {
            let (n, s) =
                next_number(cx.store, &issuer, issuer_unit, date.year(), SYMBOL_PROVINCE).await?;
            (n, Some(s))
        }
        None => return Err(invalid("number", "Hãy ghi số quyết định của cấp trên")),
    };
    Ok(Issued {
        number,
        serial,
        date,
        issuer,
        issuer_unit,
    })
}

pub(super) async fn decide(
    cx: &StepContext<'_>,
    action: DossierAction,
    step: &mut Step,
) -> AppResult<()> {
    let Issued {
        number,
        serial,
        date,
        issuer,
        issuer_unit,
    } = issued(cx, action).await?;
    let (dossier, input) = (&cx.dossier, cx.input);
    let salaries = cx.store.base_salaries().await?;
    let base_salary =
        thidua_domain::decision::base_salary_on(&salaries, date).map(|b| b.amount_vnd);
    let passed: Vec<&DossierLineRow> = cx
        .active()
        .into_iter()
        .filter(|l| l.status == LineStatus::CouncilPassed)
        .collect();
    // Lines the council did not carry end as not awarded too.
    let failed: Vec<&DossierLineRow> = cx
        .lines
        .iter()
        .filter(|l| l.status.active() || l.status == LineStatus::CouncilFailed)
        .filter(|l| l.status != LineStatus::CouncilPassed)
        .collect();
    step.lines = all_lines(LineStatus::Awarded, &passed, None);
    step.lines
        .extend(all_lines(LineStatus::NotAwarded, &failed, None));
    step.registry = passed
        .iter()
        .map(|l| RegistryEntry {
            subject: l.subject,
            code: l.code.as_str().to_owned(),
            annual_title: thidua_domain::eligibility::review::is_annual_title(l.code.as_str()),
            period_from: l.period_from,
            period_to: l.period_to,
            award_type: dossier.award_type.as_str().to_owned(),
            achievement: Some(l.summary.clone()).filter(|s| !s.trim().is_empty()),
            bonus_vnd: bonus_for(&cx.catalogue, &salaries, l.code.as_str(), date),
            subject_unit: Some(match l.subject {
                SubjectRef::Unit(u) => u,
                SubjectRef::Person(_) => dossier.unit_id,
            }),
            movement: dossier.movement_id,
        })
        .collect();
    let proposer = cx
        .store
        .unit(dossier.unit_id, date)
        .await?
        .map_or_else(String::new, |u| {
            format!("Chủ tịch UBND {}", lower_first(&u.name))
        });
    step.decision = Some(NewDecision {
        kind: thidua_domain::decision::DecisionKind::Award,
        issuer: issuer.clone(),
        issuer_unit,
        number: number.to_string(),
        serial,
        date,
        signer: input.signer.trim().to_owned(),
        signer_title: input.signer_title.trim().to_owned(),
        grounds: input.grounds.trim().to_owned(),
        proposer,
        award_code: passed.first().map(|l| l.code.as_str().to_owned()),
        refers_to: None,
        reason: None,
        dossier: Some(dossier.id.0),
        base_salary_vnd: base_salary,
        issuer_kind: Some(
            crate::decisions::issuer_kind_of(
                None,
                &issuer,
                issuer_unit.map(|_| thidua_domain::org::UnitKind::Province),
            )
            .as_str()
            .to_owned(),
        ),
    });
    step.patch.decision_number = Some(number.to_string());
    step.patch.decision_date = Some(date);
    step.patch.decision_signer = Some(input.signer.trim().to_owned()).filter(|s| !s.is_empty());
    step.patch.decision_issuer = Some(issuer);
    step.notices = cx
        .tell(
            &[Side::Proposer, Side::Appraiser],
            "decided",
            &format!(
                "{}: Quyết định {number} ngày {} — {} đối tượng được khen thưởng.",
                cx.label,
                VnDate(date),
                passed.len()
            ),
        )
        .await?;
    Ok(())
}
