//! Eligibility as a service: the catalogue file, the registry turned into
//! the engine's history, and the annual title review (bình xét).

use crate::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use thidua_domain::eligibility::catalogue::{
    Authority, CatalogueCode, CatalogueEntry, Category, Level,
};
use thidua_domain::eligibility::request::{
    AwardType, Discipline, Employment, Held, HeldStatus, History, Initiative, Subject, YearRating,
};
use thidua_domain::eligibility::review::{
    self, COLLECTIVE_TITLES, INDIVIDUAL_TITLES, LineDecision, MemberLine, QuotaUse, ReviewError,
    Want,
};
use thidua_domain::eligibility::{
    AwardCode, CheckRequest, Outcome, Rating, SubjectKind, Verdict, check,
};
use thidua_domain::org::UnitId;
use thidua_store::{LineCheck, LineRow, Registry, Store, SubjectRef, TitleReviewRow, UnitRow, Who};
use time::{Date, Month};

/// The catalogue loaded into an empty database.
pub const CATALOGUE_TOML: &str = include_str!("../catalogue/catalogue.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    code: String,
    effective_from: String,
    name: String,
    category: String,
    subjects: Vec<String>,
    authorities: Vec<String>,
    level: String,
    award_types: Vec<String>,
    bonus_multiple: Option<f64>,
    #[serde(default)]
    bonus_confirmed: bool,
    article: Option<String>,
    note: Option<String>,
}

use crate::invalid;

/// Reads a catalogue file (TOML, `[[entry]]` tables); the first problem is
/// named by its entry number and field.
pub fn parse_catalogue(text: &str) -> AppResult<Vec<CatalogueEntry>> {
    let file: CatalogueFile = toml::from_str(text)
        .map_err(|e| invalid("catalogue", format!("tệp danh mục không đọc được: {e}")))?;
    file.entry
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let at = |e: &dyn std::fmt::Display| {
                invalid("catalogue", format!("mục {} ({}): {e}", i + 1, r.code))
            };
            let effective_from = thidua_domain::date::VnDate::parse(&r.effective_from)
                .map_err(|e| at(&format!("ngày hiệu lực: {e}")))?
                .0;
            let subjects = r
                .subjects
                .iter()
                .map(|s| SubjectKind::parse(s).ok_or_else(|| at(&format!("đối tượng «{s}»"))))
                .collect::<AppResult<Vec<_>>>()?;
            let authorities = r
                .authorities
                .iter()
                .map(|s| Authority::parse(s).map_err(|e| at(&e)))
                .collect::<AppResult<Vec<_>>>()?;
            let award_types = r
                .award_types
                .iter()
                .map(|s| AwardType::parse(s).map_err(|e| at(&e)))
                .collect::<AppResult<Vec<_>>>()?;
            let e = CatalogueEntry {
                code: CatalogueCode::parse(&r.code).map_err(|e| at(&e))?,
                effective_from,
                name: r.name.trim().to_owned(),
                category: Category::parse(&r.category).map_err(|e| at(&e))?,
                subjects,
                authorities,
                level: Level::parse(&r.level).map_err(|e| at(&e))?,
                award_types,
                bonus_multiple: r.bonus_multiple,
                bonus_confirmed: r.bonus_confirmed,
                article: r.article,
                note: r.note,
            };
            e.check().map_err(|err| at(&err))?;
            Ok(e)
        })
        .collect()
}

/// Loads the shipped catalogue when the database has none.
pub async fn ensure_catalogue(store: &Store, who: &Who) -> AppResult<usize> {
    // The decisions' defaults ride along: every path that readies the
    // catalogue (serve, demo, tests) readies them too.
    crate::decisions::ensure_defaults(store, who).await?;
    if !store.catalogue_versions().await?.is_empty() {
        return Ok(0);
    }
    let entries = parse_catalogue(CATALOGUE_TOML)?;
    Ok(store.add_catalogue_versions(who, &entries).await?)
}

/// The engine's history of a person, from the registry. Employment starts
/// with the first membership, or on 1 January of the first year the
/// registry knows when that year is earlier: a transfer in from outside
/// the registry must not make earlier titles look impossible.
pub async fn person_history(store: &Store, person: i64) -> AppResult<History> {
    let reg = store.registry(SubjectRef::Person(person)).await?;
    let first_member = store
        .memberships(person)
        .await?
        .into_iter()
        .filter_map(|(_, _, p)| p.from)
        .min();
    Ok(history_of(&reg, first_member))
}

/// The engine's history from a person's registry and the first day of
/// their first membership (what `person_history` reads, given).
pub fn history_of(reg: &Registry, first_member: Option<Date>) -> History {
    let first_year = reg
        .ratings
        .iter()
        .map(|r| r.0)
        .chain(reg.titles.iter().map(|t| t.year))
        .chain(reg.initiatives.iter().map(|x| x.year))
        .min()
        .and_then(|y| Date::from_calendar_date(y, Month::January, 1).ok());
    // A record in the membership's own year says nothing about the month.
    let start = match (first_member, first_year) {
        (Some(m), Some(y)) if y.year() < m.year() => Some(y),
        (m, y) => m.or(y),
    };
    history_from(reg, start)
}

/// Maps registry rows to the engine's history. Codes the engine does not
/// judge (Gia đình văn hóa, Huy chương…) stay in the registry only.
pub fn history_from(reg: &Registry, employment_start: Option<Date>) -> History {
    let status = |revoked: bool| {
        if revoked {
            HeldStatus::Revoked
        } else {
            HeldStatus::Active
        }
    };
    History {
        ratings: reg
            .ratings
            .iter()
            .map(|(year, rating)| YearRating {
                year: *year,
                rating: *rating,
            })
            .collect(),
        titles: reg
            .titles
            .iter()
            .filter_map(|t| {
                Some(Held {
                    code: AwardCode::parse(&t.code)?,
                    year: Some(t.year),
                    decision_date: t.decision_date,
                    period_from: None,
                    period_to: None,
                    status: status(t.revoked),
                })
            })
            .collect(),
        awards: reg
            .awards
            .iter()
            .filter_map(|a| {
                Some(Held {
                    code: AwardCode::parse(&a.code)?,
                    year: None,
                    decision_date: Some(a.decision_date),
                    period_from: a.period_from,
                    period_to: a.period_to,
                    status: status(a.revoked),
                })
            })
            .collect(),
        initiatives: reg
            .initiatives
            .iter()
            .map(|x| Initiative {
                year: x.year,
                scope: x.scope,
                used_by: x.used_by.as_deref().and_then(AwardCode::parse),
                used_by_year: x.used_by_year,
                status: status(x.revoked),
            })
            .collect(),
        discipline: reg
            .disciplines
            .iter()
            .map(|d| Discipline {
                year: d.year,
                level: d.level,
            })
            .collect(),
        employment: employment_start.map(|start| Employment { start, end: None }),
        members: None,
        cluster_results: Vec::new(),
    }
}

fn individual(history: History, proposed: AwardCode, year: i32, on: Date) -> CheckRequest {
    CheckRequest {
        subject: Subject {
            kind: SubjectKind::Individual,
            category: None,
            unit_type: None,
        },
        proposed,
        year,
        decision_date: on,
        award_type: AwardType::Regular,
        history,
        period_from: None,
        achievement: None,
        positions: Vec::new(),
        decided_by: None,
        findings: Vec::new(),
    }
}

/// Judges a registered person for an award, from the registry.
pub async fn check_person(
    store: &Store,
    person: i64,
    proposed: AwardCode,
    year: i32,
    decision_date: Date,
) -> AppResult<Verdict> {
    let history = person_history(store, person).await?;
    check(&individual(history, proposed, year, decision_date))
        .map_err(|e| invalid("history", e.to_string()))
}

/// A verdict as stored on a review line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredVerdict {
    pub verdict: Outcome,
    pub checks: Vec<StoredCheck>,
    #[serde(default)]
    pub uncertain: Vec<String>,
    #[serde(default)]
    pub next_eligible_year: Option<i32>,
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCheck {
    pub rule: String,
    pub article: String,
    pub passed: bool,
    pub message: String,
}

/// One line of a review as people read it.
#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    #[serde(flatten)]
    pub line: LineRow,
    pub rating: Option<Rating>,
    pub checked: Option<StoredVerdict>,
}

/// A review with everything its page and its API show.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    pub review: TitleReviewRow,
    pub unit: UnitRow,
    pub lines: Vec<LineView>,
    pub quotas: Vec<QuotaUse>,
    /// Lines still to decide.
    pub pending: usize,
}

fn line_check(person: Option<i64>, proposed: AwardCode, v: &Verdict) -> AppResult<LineCheck> {
    Ok(LineCheck {
        person_id: person,
        proposed: Some(proposed),
        outcome: Some(v.verdict),
        verdict: Some(serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))?),
    })
}

/// A line reduced to what the unit's check reads: person (None for the
/// unit), proposed title, engine outcome, officer's decision.
type Summary = (
    Option<i64>,
    Option<AwardCode>,
    Option<Outcome>,
    LineDecision,
);

/// How the unit's line is judged from its members' lines: a pending line
/// counts as the engine proposes it until the officer decides.
fn member_lines(lines: &[Summary], ratings: &HashMap<i64, Rating>) -> Vec<MemberLine> {
    lines
        .iter()
        .filter_map(|(p, code, outcome, decision)| {
            let p = (*p)?;
            let decision =
                if *decision == LineDecision::Pending && *outcome == Some(Outcome::Eligible) {
                    LineDecision::Accepted
                } else {
                    *decision
                };
            Some(MemberLine {
                rating: ratings.get(&p).copied(),
                title: *code,
                decision,
            })
        })
        .collect()
}

async fn unit_verdict(
    store: &Store,
    unit: UnitId,
    year: i32,
    unit_rating: Option<Rating>,
    members: &[MemberLine],
    on: Date,
    proposed: Option<AwardCode>,
) -> AppResult<(AwardCode, Verdict)> {
    let reg = store.registry(SubjectRef::Unit(unit)).await?;
    let mut history = history_from(&reg, None);
    history.ratings = unit_rating
        .map(|rating| YearRating { year, rating })
        .into_iter()
        .collect();
    history.members = Some(review::members_of(members));
    let req = CheckRequest {
        subject: Subject {
            kind: SubjectKind::Collective,
            category: None,
            unit_type: None,
        },
        proposed: AwardCode::TapTheLaoDongTienTien,
        year,
        decision_date: on,
        award_type: AwardType::Regular,
        history,
        period_from: None,
        achievement: None,
        positions: Vec::new(),
        decided_by: None,
        findings: Vec::new(),
    };
    let bad = |e: thidua_domain::eligibility::RequestError| invalid("history", e.to_string());
    match proposed {
        Some(code) => {
            let mut req = req;
            req.proposed = code;
            Ok((code, check(&req).map_err(bad)?))
        }
        None => review::propose(&req, &COLLECTIVE_TITLES).map_err(bad),
    }
}

/// Opens the review of `unit` for `year`: each member on the last day of
/// the year (or today) with the best title the engine finds, and the
/// unit's own line.
pub async fn open_review(
    store: &Store,
    who: &Who,
    unit: UnitId,
    year: i32,
    today: Date,
) -> AppResult<i64> {
    if year > today.year() || year < 2000 {
        return Err(invalid(
            "year",
            format!(
                "năm bình xét {year} không hợp lệ (từ 2000 đến {})",
                today.year()
            ),
        ));
    }
    // Judged by the rules in force today: a review is held at the end of
    // its year or after it, never before.
    let on = today;
    let as_of = Date::from_calendar_date(year, Month::December, 31)
        .map(|end| end.min(today))
        .unwrap_or(today);
    let people = store.people_in_unit(unit, as_of).await?;
    if people.is_empty() {
        return Err(invalid(
            "unit",
            "đơn vị chưa có cán bộ, công chức trong sổ: không có ai để bình xét",
        ));
    }
    let mut lines = Vec::new();
    let mut summary = Vec::new();
    for (p, _) in &people {
        let history = person_history(store, p.id).await?;
        let req = individual(history, AwardCode::LaoDongTienTien, year, on);
        let (code, v) = review::propose(&req, &INDIVIDUAL_TITLES)
            .map_err(|e| invalid("history", format!("{}: {e}", p.full_name)))?;
        summary.push((
            Some(p.id),
            Some(code),
            Some(v.verdict),
            LineDecision::Pending,
        ));
        lines.push(line_check(Some(p.id), code, &v)?);
    }
    let ids: Vec<i64> = people.iter().map(|(p, _)| p.id).collect();
    let ratings = store.ratings_in_year(&ids, year).await?;
    let (code, v) = unit_verdict(
        store,
        unit,
        year,
        None,
        &member_lines(&summary, &ratings),
        on,
        None,
    )
    .await?;
    lines.insert(0, line_check(None, code, &v)?);
    Ok(store.open_review(who, unit, year, &lines).await?)
}

/// What the officer changes on one line.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LineInput {
    /// The person's (or, on the unit's line, the unit's) rating for the year.
    #[serde(default)]
    pub rating: Option<Rating>,
    /// Another title to judge instead of the engine's proposal.
    #[serde(default)]
    pub proposed: Option<AwardCode>,
    /// Propose or drop; absent: only re-check.
    #[serde(default)]
    pub want: Option<Want>,
    #[serde(default)]
    pub reason: Option<String>,
}

fn review_error(e: ReviewError) -> AppError {
    let field = match e {
        ReviewError::ReasonToPropose | ReviewError::ReasonToDrop | ReviewError::ReasonTooLong => {
            "reason"
        }
        _ => "review",
    };
    invalid(field, e.to_string())
}

async fn open_or_fail(store: &Store, id: i64) -> AppResult<TitleReviewRow> {
    let r = store
        .review(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("bình xét #{id}")))?;
    if r.closed {
        return Err(review_error(ReviewError::Closed));
    }
    Ok(r)
}

/// Records the officer's change to one line, re-judges it, and re-judges
/// the unit's line from its members — in one transaction.
pub async fn update_line(
    store: &Store,
    who: &Who,
    review_id: i64,
    line_id: i64,
    input: &LineInput,
    today: Date,
) -> AppResult<()> {
    let r = open_or_fail(store, review_id).await?;
    let on = today;
    let lines = store.review_lines(review_id).await?;
    let line = lines
        .iter()
        .find(|l| l.id == line_id)
        .ok_or_else(|| AppError::NotFound(format!("dòng #{line_id} của bình xét")))?;
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let decision_of = |outcome: Outcome| -> AppResult<Option<(LineDecision, Option<String>)>> {
        match input.want {
            None => Ok(None),
            Some(want) => Ok(Some((
                review::decide(outcome, want, reason).map_err(review_error)?,
                reason.map(str::to_owned),
            ))),
        }
    };
    let mut unit_rating = r.unit_rating;
    let mut updates = Vec::new();
    let mut summary: Vec<_> = lines
        .iter()
        .map(|l| (l.person_id, l.proposed, l.outcome, l.decision))
        .collect();
    match line.person_id {
        Some(person) => {
            let code = input
                .proposed
                .or(line.proposed)
                .unwrap_or(AwardCode::LaoDongTienTien);
            if !INDIVIDUAL_TITLES.contains(&code) {
                return Err(invalid(
                    "proposed",
                    format!(
                        "bình xét cá nhân chỉ đề nghị {} hoặc {}",
                        INDIVIDUAL_TITLES[0], INDIVIDUAL_TITLES[1]
                    ),
                ));
            }
            if let Some(rating) = input.rating {
                store
                    .set_rating(who, person, r.year, rating, Some(r.unit_id))
                    .await?;
            }
            let v = check_person(store, person, code, r.year, on).await?;
            let decision = decision_of(v.verdict)?;
            if let Some(s) = summary.iter_mut().find(|s| s.0 == Some(person)) {
                *s = (
                    Some(person),
                    Some(code),
                    Some(v.verdict),
                    decision.as_ref().map_or(LineDecision::Pending, |d| d.0),
                );
            }
            updates.push((line.id, line_check(Some(person), code, &v)?, decision));
        }
        None => {
            if let Some(rating) = input.rating {
                store
                    .set_review_rating(who, review_id, Some(rating))
                    .await?;
                unit_rating = Some(rating);
            }
        }
    }
    // The unit's line follows its members.
    if let Some(unit_line) = lines.iter().find(|l| l.person_id.is_none()) {
        let ids: Vec<i64> = summary.iter().filter_map(|s| s.0).collect();
        let ratings = store.ratings_in_year(&ids, r.year).await?;
        let wanted = if line.person_id.is_none() {
            input.proposed.or(unit_line.proposed)
        } else {
            unit_line.proposed
        };
        if let Some(code) = wanted
            && !COLLECTIVE_TITLES.contains(&code)
        {
            return Err(invalid(
                "proposed",
                format!(
                    "tập thể chỉ đề nghị {} hoặc {}",
                    COLLECTIVE_TITLES[0], COLLECTIVE_TITLES[1]
                ),
            ));
        }
        let (code, v) = unit_verdict(
            store,
            r.unit_id,
            r.year,
            unit_rating,
            &member_lines(&summary, &ratings),
            on,
            wanted,
        )
        .await?;
        let decision = if line.person_id.is_none() {
            decision_of(v.verdict)?
        } else if unit_line.decision != LineDecision::Pending
            && unit_line.outcome == Some(v.verdict)
            && unit_line.proposed == Some(code)
        {
            // Unchanged verdict: the decision taken on it stands.
            Some((unit_line.decision, unit_line.reason.clone()))
        } else {
            None
        };
        updates.push((unit_line.id, line_check(None, code, &v)?, decision));
    }
    store.update_lines(who, review_id, &updates).await?;
    Ok(())
}

/// The review as its page and API show it.
pub async fn review_view(store: &Store, review_id: i64, today: Date) -> AppResult<ReviewView> {
    let review = store
        .review(review_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("bình xét #{review_id}")))?;
    let unit = store
        .unit(review.unit_id, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", review.unit_id.0)))?;
    let rows = store.review_lines(review_id).await?;
    let ids: Vec<i64> = rows.iter().filter_map(|l| l.person_id).collect();
    let ratings = store.ratings_in_year(&ids, review.year).await?;
    // Quotas count what is actually proposed, not what might be.
    let decided: Vec<MemberLine> = rows
        .iter()
        .filter(|l| l.person_id.is_some())
        .map(|l| MemberLine {
            rating: l.person_id.and_then(|p| ratings.get(&p).copied()),
            title: l.proposed,
            decision: l.decision,
        })
        .collect();
    let quotas: Vec<_> = store.quotas().await?.into_iter().map(|q| q.quota).collect();
    let quotas = review::quota_use(&quotas, &review::members_of(&decided));
    let lines = rows
        .into_iter()
        .map(|line| {
            let checked = line
                .verdict
                .as_deref()
                .map(serde_json::from_str::<StoredVerdict>)
                .transpose()
                .map_err(|e| AppError::Internal(format!("verdict of line {}: {e}", line.id)))?;
            Ok(LineView {
                rating: match line.person_id {
                    Some(p) => ratings.get(&p).copied(),
                    None => review.unit_rating,
                },
                checked,
                line,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(ReviewView {
        pending: lines
            .iter()
            .filter(|l| l.line.decision == LineDecision::Pending)
            .count(),
        review,
        unit,
        lines,
        quotas,
    })
}

/// Produces the list: every line decided and no quota passed, then the
/// titles enter the registry with the unit's decision number.
pub async fn close_review(
    store: &Store,
    who: &Who,
    review_id: i64,
    decision_number: Option<&str>,
    decision_date: Option<Date>,
    today: Date,
) -> AppResult<usize> {
    let view = review_view(store, review_id, today).await?;
    if view.review.closed {
        return Err(review_error(ReviewError::Closed));
    }
    let number = decision_number
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            thidua_domain::document::DocumentNumber::parse(s)
                .map(|n| n.to_string())
                .map_err(|e| invalid("decision_number", format!("số quyết định «{s}»: {e}")))
        })
        .transpose()?;
    if let Some(d) = decision_date
        && d.year() < view.review.year
    {
        return Err(invalid(
            "decision_date",
            format!("ngày quyết định trước năm bình xét {}", view.review.year),
        ));
    }
    let decisions: Vec<LineDecision> = view.lines.iter().map(|l| l.line.decision).collect();
    review::ready_to_close(&decisions, &view.quotas).map_err(review_error)?;
    // The list is the unit's decision: without its number and date the
    // titles could not be cited nor counted in a year's statistics.
    if number.is_none() {
        return Err(invalid(
            "decision_number",
            "hãy ghi số quyết định công nhận danh hiệu (VD: 45/QĐ-UBND)",
        ));
    }
    if decision_date.is_none() {
        return Err(invalid(
            "decision_date",
            "hãy ghi ngày quyết định công nhận danh hiệu (dd/mm/yyyy)",
        ));
    }
    Ok(store
        .close_review(who, review_id, number.as_deref(), decision_date)
        .await?)
}

mod listing;
#[cfg(test)]
mod tests;

pub use listing::{ListedReview, ReviewFilter, reviews};

/// Reads the contract's JSON and checks it for impossible histories; an
/// unknown code or a bad date is named by its path
/// ("history.ratings[0].rating").
pub fn parse_request(text: &str) -> Result<CheckRequest, thidua_domain::eligibility::RequestError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let req: CheckRequest = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        thidua_domain::eligibility::RequestError {
            field: if path == "." {
                "request".to_owned()
            } else {
                path
            },
            message: format!("không đọc được: {}", e.inner()),
        }
    })?;
    req.validate()?;
    Ok(req)
}
