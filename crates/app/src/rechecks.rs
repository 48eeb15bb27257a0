//! Hủy bỏ, thu hồi và xét lại — when an award is revoked, the later awards
//! of the same subject whose verdict rested on it are judged again with
//! the history as it stood on their decision day, once with the revoked
//! award and once without; those that no longer hold are flagged on the
//! registry and the person's page. A later finding about the years an
//! award rests on (Điều 93 khoản 1) re-judges that award.

use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::decision::DecisionId;
use thidua_domain::eligibility::inputs::{Finding, FindingGround};
use thidua_domain::eligibility::request::{AwardType, CheckRequest, HeldStatus, History, Subject};
use thidua_domain::eligibility::{AwardCode, Outcome, SubjectKind, Verdict, check};
use thidua_domain::policy::Action;
use thidua_store::{AwardRow, NewFlag, Store, SubjectRef, UserRow, Who};
use time::Date;

async fn history_of(store: &Store, s: SubjectRef) -> AppResult<History> {
    Ok(match s {
        SubjectRef::Person(p) => crate::eligibility::person_history(store, p).await?,
        SubjectRef::Unit(u) => {
            crate::eligibility::history_from(&store.registry(SubjectRef::Unit(u)).await?, None)
        }
    })
}

/// The history as it stood when `award` was decided: nothing decided on or
/// after that day, and not the award itself.
fn as_of(h: &History, award: &AwardRow) -> History {
    let mut h = h.clone();
    let before = |d: Option<Date>| d.is_none_or(|d| d < award.decision_date);
    h.awards.retain(|a| before(a.decision_date));
    h.titles.retain(|t| before(t.decision_date));
    h
}

fn request(s: SubjectRef, award: &AwardRow, code: AwardCode, history: History) -> CheckRequest {
    let mut req = CheckRequest::new(
        Subject {
            kind: match s {
                SubjectRef::Person(_) => SubjectKind::Individual,
                SubjectRef::Unit(_) => SubjectKind::Collective,
            },
            category: None,
            unit_type: None,
        },
        code,
        award.period_to.unwrap_or(award.decision_date.year()),
        award.decision_date,
        AwardType::Regular,
        history,
    );
    req.period_from = award.period_from;
    req
}

fn failures(v: &Verdict) -> String {
    v.checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| format!("{} ({})", c.message, c.article))
        .collect::<Vec<_>>()
        .join("; ")
}

/// After a revocation: flags every later award of each subject whose
/// verdict needed a revoked award or title. Returns the flagged award ids.
pub async fn after_revocation(
    store: &Store,
    who: &Who,
    revocation: DecisionId,
    awards: &[i64],
    titles: &[i64],
) -> AppResult<Vec<i64>> {
    let Some(rev) = store.decision(revocation).await? else {
        return Ok(Vec::new());
    };
    let mut revoked = Vec::new();
    for id in awards {
        revoked.extend(store.award_brief(*id).await?.map(|b| (false, b)));
    }
    for id in titles {
        revoked.extend(store.title_brief(*id).await?.map(|b| (true, b)));
    }
    let mut flags = Vec::new();
    for (title, brief) in revoked {
        let subject = brief.subject();
        let reg = store.registry(subject).await?;
        let after = history_of(store, subject).await?;
        let Some(revoked_code) = AwardCode::parse(&brief.code) else {
            continue;
        };
        // The history with the award still in force.
        let mut before = after.clone();
        for a in before.awards.iter_mut().chain(before.titles.iter_mut()) {
            if a.code == revoked_code && a.decision_date == Some(brief.decision_date) {
                a.status = HeldStatus::Active;
            }
        }
        for later in reg.awards.iter().filter(|a| {
            !a.revoked
                && (title || a.id != brief.id)
                && a.decision_date > brief.decision_date
                && a.award_type == AwardType::Regular
        }) {
            let Some(code) = AwardCode::parse(&later.code) else {
                continue;
            };
            let (Ok(was), Ok(now)) = (
                check(&request(subject, later, code, as_of(&before, later))),
                check(&request(subject, later, code, as_of(&after, later))),
            ) else {
                continue;
            };
            if was.verdict != Outcome::NotEligible && now.verdict == Outcome::NotEligible {
                flags.push(NewFlag {
                    award: later.id,
                    cause: "rests_on_revoked",
                    decision: Some(rev.id.0),
                    finding: None,
                    message: format!(
                        "Quyết định {} ngày {} hủy bỏ {} (Quyết định {}), mà {} (Quyết định {}) đã dựa vào: {}",
                        rev.number,
                        thidua_domain::VnDate(rev.decision_date),
                        revoked_code,
                        brief.decision_number.as_deref().unwrap_or("?"),
                        code,
                        later.decision_number.as_deref().unwrap_or("?"),
                        failures(&now)
                    ),
                });
            }
        }
    }
    let ids = flags.iter().map(|f| f.award).collect();
    store.add_award_flags(who, &flags).await?;
    Ok(ids)
}

/// A later finding about an award, as the officer records it.
#[derive(Debug, Clone)]
pub struct FindingInput {
    pub award: i64,
    pub year: i32,
    pub ground: String,
    /// The conclusion's document (kết luận thanh tra, bản án…).
    pub document: String,
    pub note: String,
}

/// Records a finding and re-judges the award it concerns; an award whose
/// criteria no longer hold is flagged. Returns the new verdict, when the
/// engine judges that form.
pub async fn record_finding(
    store: &Store,
    user: &UserRow,
    who: &Who,
    today: Date,
    f: &FindingInput,
) -> AppResult<Option<Verdict>> {
    let award = store
        .award_brief(f.award)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("khen thưởng #{}", f.award)))?;
    let unit = award
        .subject_unit_id
        .or(award.unit_id)
        .map(thidua_domain::org::UnitId)
        .ok_or_else(|| AppError::NotFound(format!("khen thưởng #{}", f.award)))?;
    auth::may_on_unit(store, user, Action::AmendDecision, unit, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("khen thưởng #{}", f.award)))?
        .map_err(AppError::Denied)?;
    let ground = FindingGround::parse(&f.ground).ok_or_else(|| {
        invalid(
            "ground",
            "Hãy chọn căn cứ: gian dối, giả mạo hồ sơ, sai phạm khi xét, không đạt tiêu chuẩn (Điều 93 khoản 1)",
        )
    })?;
    if f.document.trim().is_empty() {
        return Err(invalid(
            "document",
            "Hãy ghi văn bản kết luận (số, ngày) làm căn cứ",
        ));
    }
    if !(1945..=today.year()).contains(&f.year) {
        return Err(invalid("year", format!("Năm {} không hợp lệ", f.year)));
    }
    let finding = store
        .add_finding(who, award.id, f.year, ground.as_str(), &f.document, &f.note)
        .await?;
    let subject = award.subject();
    let reg = store.registry(subject).await?;
    let Some(row) = reg.awards.iter().find(|a| a.id == award.id) else {
        return Ok(None);
    };
    let Some(code) = AwardCode::parse(&row.code) else {
        return Ok(None);
    };
    let mut req = request(
        subject,
        row,
        code,
        as_of(&history_of(store, subject).await?, row),
    );
    req.award_type = row.award_type;
    req.findings = store
        .findings_of(award.id)
        .await?
        .into_iter()
        .filter_map(|x| {
            Some(Finding {
                year: x.year,
                ground: FindingGround::parse(&x.ground)?,
                note: x.document,
            })
        })
        .collect();
    let v = match check(&req) {
        Ok(v) => v,
        // A form judged on an achievement the registry does not hold: the
        // finding alone decides, by the years it concerns.
        Err(_) => {
            let mut plain = request(subject, row, code, History::default());
            plain.findings = req.findings.clone();
            plain.proposed = AwardCode::GiayKhen;
            plain.subject.kind = SubjectKind::Household;
            match check(&plain) {
                Ok(v) => Verdict {
                    checks: v
                        .checks
                        .into_iter()
                        .filter(|c| c.rule == "finding")
                        .collect(),
                    ..v
                },
                Err(_) => return Ok(None),
            }
        }
    };
    if v.checks.iter().any(|c| c.rule == "finding" && !c.passed)
        || v.verdict == Outcome::NotEligible
    {
        store
            .add_award_flags(
                who,
                &[NewFlag {
                    award: award.id,
                    cause: "finding",
                    decision: None,
                    finding: Some(finding),
                    message: format!("Xét lại {code}: {}", failures(&v)),
                }],
            )
            .await?;
    }
    Ok(Some(v))
}
