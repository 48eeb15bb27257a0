//! The nomination procedure: who may see and move a dossier, what each
//! step needs, the engine's verdict per subject, duplicate and conflict
//! warnings, deadlines on the working-day calendar, and notices.
//!
//! The diagram is `domain::dossier`; the policy is `domain::policy`. This
//! module checks a step's inputs, asks both, and hands the store one
//! `Step` to write in one transaction.

use crate::auth;
use crate::eligibility::{StoredVerdict, history_from, person_history};
use crate::{AppError, AppResult};
use serde::Serialize;
use sha2::{Digest, Sha256};
use thidua_domain::calendar::WorkCalendar;
use thidua_domain::document::DocumentNumber;
use thidua_domain::dossier::{
    self as d, Deadline, DossierAction, DossierState, LineStatus, Passage, ProcedureParams, Side,
    VoteChoice,
};
use thidua_domain::eligibility::catalogue::{CatalogueEntry, Level, in_force};
use thidua_domain::eligibility::request::{AwardType, CheckRequest, Subject};
use thidua_domain::eligibility::{AwardCode, Outcome, SubjectKind, Verdict, check};
use thidua_domain::policy::{self, Action, Role};
use thidua_store::{
    DossierHeader, DossierLineRow, DossierPatch, DossierRow, LineChange, LineVerdict,
    NewDossierFile, Notice, RegistryEntry, Step, Store, SubjectRef, UserRow, Who,
};
use time::Date;

use crate::invalid;

/// The calendar with the administrator's overrides, and the procedure's
/// figures with the administrator's settings.
pub async fn procedure(store: &Store) -> AppResult<(WorkCalendar, ProcedureParams)> {
    let calendar = WorkCalendar::new(store.calendar_overrides().await?);
    let mut params = ProcedureParams::default();
    for (k, v) in store.procedure_settings().await? {
        params.set(&k, u32::try_from(v).unwrap_or(0));
    }
    Ok((calendar, params))
}

/// Who acts, as whom, on which day: what every change needs.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub user: &'a UserRow,
    pub who: &'a Who,
    pub today: Date,
}

/// What a user may do with one dossier.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Access {
    pub view: bool,
    pub sides: Vec<Side>,
    pub vote: bool,
}

impl Access {
    pub fn has(&self, side: Side) -> bool {
        self.sides.contains(&side)
    }
}

/// Decides what `user` may do with `dossier`. A draft is the proposing
/// unit's own: other units never see it, and the province sees it only
/// once it is sent.
pub async fn access(
    store: &Store,
    user: &UserRow,
    dossier: &DossierRow,
    today: Date,
) -> AppResult<Access> {
    Accessor::new(store, user, today)
        .await?
        .access(store, dossier)
        .await
}

/// [`access`] for many dossiers of one user: the actor is read once and
/// each unit once, however many dossiers it proposed.
pub struct Accessor<'a> {
    user: &'a UserRow,
    actor: thidua_domain::policy::Actor,
    today: Date,
    units: std::collections::HashMap<i64, Option<thidua_domain::policy::Object>>,
}

impl<'a> Accessor<'a> {
    pub async fn new(store: &Store, user: &'a UserRow, today: Date) -> AppResult<Self> {
        Ok(Accessor {
            user,
            actor: auth::actor(store, user, today).await?,
            today,
            units: std::collections::HashMap::new(),
        })
    }

    pub async fn access(&mut self, store: &Store, dossier: &DossierRow) -> AppResult<Access> {
        let object = match self.units.get(&dossier.unit_id.0) {
            Some(o) => o.clone(),
            None => {
                let o = auth::unit_object(store, dossier.unit_id, self.today).await?;
                self.units.insert(dossier.unit_id.0, o.clone());
                o
            }
        };
        let Some(object) = object else {
            return Ok(Access::default());
        };
        let (actor, user) = (&self.actor, self.user);
        let allows = |a: Action| thidua_domain::policy::authorize(actor, a, &object).is_ok();
        let mut sides = Vec::new();
        for side in [Side::Proposer, Side::Appraiser, Side::Leader] {
            if allows(side.action()) {
                sides.push(side);
            }
        }
        let vote = allows(Action::VoteInCouncil);
        let never_sent = dossier.state == DossierState::Draft
            || (dossier.state == DossierState::Withdrawn && dossier.receipt_number.is_none() && {
                let events = store.dossier_events(dossier.id).await?;
                !events
                    .iter()
                    .any(|e| e.action == DossierAction::Submit.as_str())
            });
        if never_sent {
            // Only the proposing side, and of the province's officers only those
            // of the proposing unit itself.
            let own = policy::proposes_for(user.role, user.unit_id == Some(dossier.unit_id));
            let view = sides.contains(&Side::Proposer) && own;
            return Ok(Access {
                view,
                sides: if view { vec![Side::Proposer] } else { vec![] },
                vote: false,
            });
        }
        let view = !sides.is_empty() || vote || allows(Action::ViewUnit);
        Ok(Access { view, sides, vote })
    }
}

/// A dossier with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct DossierView {
    pub dossier: DossierRow,
    pub unit_name: String,
    pub lines: Vec<LineView>,
    pub events: Vec<thidua_store::DossierEvent>,
    pub files: Vec<thidua_store::DossierFileRow>,
    pub feedback: Vec<thidua_store::FeedbackRow>,
    pub deadline: Deadline,
    pub council_members: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub line: DossierLineRow,
    pub award_name: String,
    pub verdict: Option<StoredVerdict>,
    pub warnings: Vec<Warning>,
    pub votes: Vec<thidua_store::VoteRow>,
}

/// A duplicate or a conflict found for a line, with where to look.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub kind: &'static str,
    pub message: String,
    pub link: Option<String>,
}

pub async fn view(store: &Store, id: i64, today: Date) -> AppResult<DossierView> {
    let dossier = store
        .dossier(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("hồ sơ #{id}")))?;
    let unit_name = store
        .unit(dossier.unit_id, today)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let catalogue = store.catalogue_versions().await?;
    let entries = in_force(&catalogue, today);
    let votes = store.votes(id).await?;
    let mut lines = Vec::new();
    for line in store.dossier_lines(id).await? {
        let mut warnings = warnings(store, &line, &entries, id).await?;
        // Once decided, the dossier's own award is not a duplicate of itself.
        if let Some(own) = &dossier.decision_number {
            warnings
                .retain(|w| !(w.kind == "already_rewarded" && w.message.contains(own.as_str())));
        }
        let verdict = match &line.verdict {
            Some(v) => serde_json::from_str(v).ok(),
            None => None,
        };
        lines.push(LineView {
            award_name: award_name(&entries, &line.code),
            votes: votes
                .iter()
                .filter(|v| v.line_id == line.id)
                .cloned()
                .collect(),
            line,
            verdict,
            warnings,
        });
    }
    let events = store.dossier_events(id).await?;
    let (calendar, params) = procedure(store).await?;
    let deadline = d::deadline(&passages(&events), dossier.state, today, &calendar, &params);
    Ok(DossierView {
        council_members: council(store, &dossier, today).await?.len(),
        files: store.dossier_files(id).await?,
        feedback: store.feedback(id).await?,
        dossier,
        unit_name,
        lines,
        events,
        deadline,
    })
}

fn passages(events: &[thidua_store::DossierEvent]) -> Vec<Passage> {
    events
        .iter()
        .filter_map(|e| {
            let to = DossierState::parse(e.to_state.as_deref()?).ok()?;
            Some(Passage { on: e.on_day, to })
        })
        .collect()
}

fn award_name(entries: &[&CatalogueEntry], code: &str) -> String {
    entries
        .iter()
        .find(|e| e.code.as_str() == code)
        .map_or_else(|| code.to_owned(), |e| e.name.clone())
}

fn level_of(entries: &[&CatalogueEntry], code: &str) -> Option<Level> {
    entries
        .iter()
        .find(|e| e.code.as_str() == code)
        .map(|e| e.level)
}

fn rank(l: Level) -> u8 {
    match l {
        Level::CoSo => 0,
        Level::Tinh => 1,
        Level::NhaNuoc => 2,
    }
}

/// Duplicates and conflicts for one line (Luật TĐKT 2022 Điều 5: one
/// achievement, one reward).
pub async fn warnings(
    store: &Store,
    line: &DossierLineRow,
    entries: &[&CatalogueEntry],
    dossier: i64,
) -> AppResult<Vec<Warning>> {
    let mut out = Vec::new();
    for p in store.open_proposals(line.subject, dossier).await? {
        out.push(Warning {
            kind: "open_proposal",
            message: format!(
                "Đang được đề nghị {} trong hồ sơ #{} ({}).",
                award_name(entries, &p.code),
                p.dossier_id,
                DossierState::parse(&p.state).map_or("", DossierState::label)
            ),
            link: Some(format!("/ho-so/{}", p.dossier_id)),
        });
    }
    let proposed_rank = level_of(entries, &line.code).map(rank);
    let reg = store.registry(line.subject).await?;
    let overlaps = |from: i32, to: i32| from <= line.period_to && line.period_from <= to;
    for a in reg.awards.iter().filter(|a| !a.revoked) {
        let (Some(from), Some(to)) = (a.period_from, a.period_to) else {
            continue;
        };
        let higher_or_same = a.code == line.code
            || match (level_of(entries, &a.code).map(rank), proposed_rank) {
                (Some(had), Some(want)) => had > want,
                _ => false,
            };
        if overlaps(from, to) && higher_or_same {
            out.push(Warning {
                kind: "already_rewarded",
                message: format!(
                    "Thành tích giai đoạn {from}–{to} đã được khen {} ({} ngày {}); một thành tích chỉ khen một lần (Điều 5).",
                    award_name(entries, &a.code),
                    a.decision_number.as_deref().unwrap_or("không rõ số"),
                    thidua_domain::VnDate(a.decision_date)
                ),
                link: None,
            });
        }
    }
    for t in reg.titles.iter().filter(|t| !t.revoked) {
        if t.code == line.code && overlaps(t.year, t.year) {
            out.push(Warning {
                kind: "already_rewarded",
                message: format!(
                    "Đã có danh hiệu {} năm {} ({}).",
                    award_name(entries, &t.code),
                    t.year,
                    t.decision_number
                        .as_deref()
                        .unwrap_or("không rõ số quyết định")
                ),
                link: None,
            });
        }
    }
    if let SubjectRef::Person(p) = line.subject {
        for other in store.namesakes(p).await? {
            out.push(Warning {
                kind: "namesake",
                message: format!(
                    "Trùng họ tên và ngày sinh với {} (mã #{}): có thể là cùng một người đã chuyển đơn vị hoặc được ghi hai lần khi sáp nhập.",
                    other.full_name, other.id
                ),
                link: Some(format!(
                    "/ca-nhan?q={}",
                    thidua_domain::text::fold(&other.full_name).replace(' ', "+")
                )),
            });
        }
    }
    Ok(out)
}

/// The council members of a dossier: active council accounts whose scope
/// covers the proposing unit.
pub async fn council(store: &Store, dossier: &DossierRow, today: Date) -> AppResult<Vec<UserRow>> {
    recipients(store, dossier, today, |role| {
        policy::told_of_work(role, Action::VoteInCouncil)
    })
    .await
}

async fn recipients(
    store: &Store,
    dossier: &DossierRow,
    today: Date,
    role_ok: impl Fn(Role) -> bool,
) -> AppResult<Vec<UserRow>> {
    let (users, _) = store.users_page("", None, "login", 0, 10_000).await?;
    let mut out = Vec::new();
    for u in users.into_iter().filter(|u| u.active && role_ok(u.role)) {
        if auth::may_on_unit(store, &u, Action::ViewUnit, dossier.unit_id, today)
            .await?
            .is_some_and(|r| r.is_ok())
        {
            out.push(u);
        }
    }
    Ok(out)
}

async fn side_users(
    store: &Store,
    dossier: &DossierRow,
    today: Date,
    side: Side,
) -> AppResult<Vec<UserRow>> {
    // Administrators are not told: they can act, but the work is not theirs.
    let mut out = Vec::new();
    for u in recipients(store, dossier, today, |r| {
        policy::told_of_work(r, side.action())
    })
    .await?
    {
        if auth::may_on_unit(store, &u, side.action(), dossier.unit_id, today)
            .await?
            .is_some_and(|r| r.is_ok())
        {
            // The province's officers hear of another unit's dossier as
            // appraisers, not as proposers.
            if side == Side::Proposer
                && !policy::proposes_for(u.role, u.unit_id == Some(dossier.unit_id))
            {
                continue;
            }
            out.push(u);
        }
    }
    Ok(out)
}

fn notices(users: &[UserRow], kind: &'static str, message: &str) -> Vec<Notice> {
    users
        .iter()
        .map(|u| Notice {
            user_id: u.id,
            login: u.login.clone(),
            kind,
            message: message.to_owned(),
            dedup_key: None,
        })
        .collect()
}

/// Creates a draft for `unit`.
pub async fn create(
    store: &Store,
    by: &By<'_>,
    unit: thidua_domain::org::UnitId,
    header: &DossierHeader,
) -> AppResult<i64> {
    let (user, who, today) = (by.user, by.who, by.today);
    match auth::may_on_unit(store, user, Action::ProposeAwards, unit, today).await? {
        Some(Ok(())) => {}
        Some(Err(d)) => return Err(AppError::Denied(d)),
        None => return Err(AppError::NotFound("đơn vị".into())),
    }
    check_header(header)?;
    Ok(store.create_dossier(who, unit, header, today).await?)
}

pub fn check_header(h: &DossierHeader) -> AppResult<()> {
    if h.title.trim().is_empty() {
        return Err(invalid("title", "Hãy ghi trích yếu của hồ sơ"));
    }
    if let Some(n) = &h.letter_number {
        DocumentNumber::parse(n).map_err(|e| invalid("letter_number", e.to_string()))?;
    }
    Ok(())
}

/// Loads a dossier the user may see, or "not found" (never "forbidden":
/// another unit's draft does not exist for them).
pub async fn visible(
    store: &Store,
    user: &UserRow,
    id: i64,
    today: Date,
) -> AppResult<(DossierRow, Access)> {
    let not_found = || AppError::NotFound(format!("hồ sơ #{id}"));
    let dossier = store.dossier(id).await?.ok_or_else(not_found)?;
    let access = access(store, user, &dossier, today).await?;
    if !access.view {
        return Err(not_found());
    }
    Ok((dossier, access))
}

/// Requires the proposing side on a dossier the unit may still edit.
pub async fn editable(
    store: &Store,
    user: &UserRow,
    id: i64,
    today: Date,
) -> AppResult<DossierRow> {
    let (dossier, access) = visible(store, user, id, today).await?;
    if !access.has(Side::Proposer) {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    if !dossier.state.editable_by_proposer() {
        return Err(invalid(
            "state",
            format!(
                "Hồ sơ đang ở trạng thái «{}», đơn vị không sửa được",
                dossier.state.label()
            ),
        ));
    }
    Ok(dossier)
}

/// A subject to add, as the unit officer names it.
#[derive(Debug, Clone)]
pub struct LineInput {
    pub subject: SubjectRef,
    pub code: String,
    pub period_from: i32,
    pub period_to: i32,
    pub summary: String,
}

/// Changes an editable dossier's header (title, type, letter).
pub async fn update_header(
    store: &Store,
    by: &By<'_>,
    id: i64,
    header: &DossierHeader,
) -> AppResult<()> {
    editable(store, by.user, id, by.today).await?;
    check_header(header)?;
    Ok(store.update_dossier_header(by.who, id, header).await?)
}

/// Changes a line of an editable dossier: its summary and the reason it is
/// proposed against the engine's verdict, then judges it again.
pub async fn edit_line(
    store: &Store,
    by: &By<'_>,
    id: i64,
    line: i64,
    summary: &str,
    override_reason: &str,
) -> AppResult<()> {
    editable(store, by.user, id, by.today).await?;
    store
        .update_dossier_line(by.who, id, line, summary, Some(override_reason))
        .await?;
    recheck(store, by.who, id, by.today).await?;
    Ok(())
}

/// Removes a line from an editable dossier.
pub async fn remove_line(store: &Store, by: &By<'_>, id: i64, line: i64) -> AppResult<()> {
    editable(store, by.user, id, by.today).await?;
    Ok(store.remove_dossier_line(by.who, id, line).await?)
}

pub async fn add_line(store: &Store, by: &By<'_>, id: i64, input: &LineInput) -> AppResult<i64> {
    let (user, who, today) = (by.user, by.who, by.today);
    let dossier = editable(store, user, id, today).await?;
    let catalogue = store.catalogue_versions().await?;
    let entries = in_force(&catalogue, today);
    let entry = entries
        .iter()
        .find(|e| e.code.as_str() == input.code.trim())
        .ok_or_else(|| {
            invalid(
                "code",
                format!("Hình thức «{}» không có trong danh mục", input.code.trim()),
            )
        })?;
    let kind = match input.subject {
        SubjectRef::Person(_) => SubjectKind::Individual,
        SubjectRef::Unit(_) => SubjectKind::Collective,
    };
    if !entry.subjects.contains(&kind) {
        return Err(invalid(
            "code",
            format!("{} không dành cho {}", entry.name, kind.label()),
        ));
    }
    if input.period_from > input.period_to || input.period_to > today.year() {
        return Err(invalid(
            "period",
            format!(
                "Giai đoạn thành tích {}–{} không hợp lệ",
                input.period_from, input.period_to
            ),
        ));
    }
    // The subject must belong to the proposing unit's subtree.
    let subject_unit = match input.subject {
        SubjectRef::Person(p) => {
            let m = store.memberships(p).await?;
            if m.is_empty() {
                return Err(AppError::NotFound(format!("cá nhân #{p}")));
            }
            m.into_iter().map(|(u, ..)| u).collect::<Vec<_>>()
        }
        SubjectRef::Unit(u) => vec![u],
    };
    let mut inside = false;
    for u in subject_unit {
        if let Some(thidua_domain::policy::Object::Unit { chain, .. }) =
            auth::unit_object(store, u, today).await?
            && chain.contains(&dossier.unit_id)
        {
            inside = true;
        }
    }
    if !inside {
        return Err(invalid(
            "subject",
            "Đối tượng không thuộc đơn vị đề nghị hoặc các đơn vị trực thuộc",
        ));
    }
    let line = store
        .add_dossier_line(
            who,
            id,
            &thidua_store::NewDossierLine {
                subject: input.subject,
                code: entry.code.as_str().to_owned(),
                period_from: input.period_from,
                period_to: input.period_to,
                summary: input.summary.clone(),
            },
        )
        .await?;
    recheck(store, who, id, today).await?;
    Ok(line)
}

/// Judges one line with the engine, as the dossier's type of award (a
/// thematic Bằng khen is not judged as a regular one). Codes the engine
/// does not judge, and collectives whose record is incomplete, come back
/// as "needs review".
pub async fn judge(
    store: &Store,
    line: &DossierLineRow,
    award_type: AwardType,
    on: Date,
) -> AppResult<Verdict> {
    let needs_review = |why: String| Verdict {
        verdict: Outcome::NeedsReview,
        checks: vec![thidua_domain::eligibility::Check {
            rule: "manual",
            article: "Luật TĐKT 2022".into(),
            passed: false,
            message: why,
        }],
        uncertain: Vec::new(),
        next_eligible_year: None,
        missing: Vec::new(),
        rule_set: thidua_domain::eligibility::RuleSet::for_decision(on),
    };
    let Some(code) = AwardCode::parse(&line.code) else {
        return Ok(needs_review(format!(
            "Hệ thống chưa xét tự động «{}»: cơ quan thẩm định xem xét hồ sơ.",
            line.code
        )));
    };
    let (history, kind) = match line.subject {
        SubjectRef::Person(p) => (person_history(store, p).await?, SubjectKind::Individual),
        SubjectRef::Unit(u) => {
            let mut history = history_from(&store.registry(SubjectRef::Unit(u)).await?, None);
            history.cluster_results = crate::cluster_flags::results_of_unit(store, u).await?;
            (history, SubjectKind::Collective)
        }
    };
    let req = CheckRequest {
        subject: Subject {
            kind,
            category: None,
            unit_type: None,
        },
        proposed: code,
        year: line.period_to,
        decision_date: on,
        award_type,
        history,
    };
    Ok(check(&req).unwrap_or_else(|e| needs_review(format!("Chưa đủ dữ liệu để xét: {e}."))))
}

/// Re-judges every line and records the verdicts.
pub async fn recheck(
    store: &Store,
    who: &Who,
    id: i64,
    on: Date,
) -> AppResult<Vec<DossierLineRow>> {
    let dossier = store
        .dossier(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("hồ sơ #{id}")))?;
    let lines = store.dossier_lines(id).await?;
    let checks = judge_lines(store, &lines, dossier.award_type, on).await?;
    if !checks.is_empty() {
        store.record_line_checks(who, id, &checks, on).await?;
    }
    Ok(store.dossier_lines(id).await?)
}

/// The engine's verdict on each line, in the lines' order, not yet
/// recorded: a step records them in its own transaction, so that a
/// dossier is never left judged anew but not moved.
async fn judge_lines(
    store: &Store,
    lines: &[DossierLineRow],
    award_type: AwardType,
    on: Date,
) -> AppResult<Vec<LineVerdict>> {
    let mut checks = Vec::with_capacity(lines.len());
    for l in lines {
        let v = judge(store, l, award_type, on).await?;
        let json = serde_json::to_string(&v).map_err(|e| AppError::Internal(e.to_string()))?;
        checks.push((l.id, v.verdict, json));
    }
    Ok(checks)
}

/// What a step carries besides its name.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub action: Option<DossierAction>,
    /// The version the user read.
    pub version: i64,
    pub note: String,
    pub receipt_number: String,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub number: String,
    pub date: Option<Date>,
    pub signer: String,
    /// "Chủ tịch" or "Phó Chủ tịch" (who then signs "KT. Chủ tịch").
    pub signer_title: String,
    /// Legal grounds beyond the template's, one per line.
    pub grounds: String,
    pub issuer: String,
    /// Lines a return asks to complete.
    pub lines: Vec<i64>,
}

use crate::decisions::ISSUER_PROVINCE;

/// Takes a step, or says in Vietnamese why not; nothing changes on error.
pub async fn take_step(
    store: &Store,
    by: &By<'_>,
    id: i64,
    input: &StepInput,
) -> AppResult<DossierState> {
    let (user, who, today) = (by.user, by.who, by.today);
    let action = input
        .action
        .ok_or_else(|| invalid("action", "Chưa chọn thao tác"))?;
    let (dossier, access) = visible(store, user, id, today).await?;
    if dossier.version != input.version {
        return Err(thidua_store::StoreError::Conflict(format!(
            "hồ sơ #{id} vừa được người khác cập nhật; hãy tải lại trang để xem trạng thái mới rồi thao tác lại"
        ))
        .into());
    }
    let (to, sides) =
        d::next(dossier.state, action).map_err(|e| invalid("action", e.to_string()))?;
    if !sides.iter().any(|s| access.has(*s)) {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    let note = input.note.trim();
    let need_note = |what: &str| -> AppResult<String> {
        if note.is_empty() {
            Err(invalid("note", format!("Hãy ghi {what}")))
        } else {
            Ok(note.to_owned())
        }
    };
    let catalogue = store.catalogue_versions().await?;
    let entries = in_force(&catalogue, today);
    let lines = store.dossier_lines(id).await?;
    let active: Vec<&DossierLineRow> = lines.iter().filter(|l| l.status.active()).collect();
    let (calendar, params) = procedure(store).await?;
    let mut step = Step {
        dossier: id,
        version: dossier.version,
        from: dossier.state,
        to,
        action,
        on_day: today,
        note: (!note.is_empty()).then(|| note.to_owned()),
        patch: DossierPatch::default(),
        checks: Vec::new(),
        lines: Vec::new(),
        registry: Vec::new(),
        decision: None,
        notices: Vec::new(),
    };
    let state_level = |l: &DossierLineRow| level_of(&entries, &l.code) == Some(Level::NhaNuoc);
    let all = |s: LineStatus, from: &[&DossierLineRow], note: Option<String>| -> Vec<LineChange> {
        from.iter()
            .map(|l| LineChange {
                line: l.id,
                status: s,
                note: note.clone(),
                tally: None,
            })
            .collect()
    };
    let label = format!("Hồ sơ #{id} «{}»", dossier.title);
    match action {
        DossierAction::Submit => {
            if lines.is_empty() {
                return Err(invalid("lines", "Hồ sơ chưa có đối tượng đề nghị nào"));
            }
            let letter = dossier.letter_number.as_deref().unwrap_or("");
            DocumentNumber::parse(letter).map_err(|_| {
                invalid(
                    "letter_number",
                    "Hãy ghi số tờ trình hợp lệ (ví dụ 12/TTr-UBND) trước khi gửi",
                )
            })?;
            if dossier.letter_date.is_none()
                || dossier.letter_signer.as_deref().unwrap_or("").is_empty()
            {
                return Err(invalid(
                    "letter_date",
                    "Hãy ghi ngày và người ký tờ trình trước khi gửi",
                ));
            }
            let levels: std::collections::BTreeSet<bool> = lines.iter().map(state_level).collect();
            if levels.len() > 1 {
                return Err(invalid(
                    "lines",
                    "Một hồ sơ chỉ gồm các hình thức cùng cấp quyết định: tách hình thức cấp Nhà nước sang hồ sơ khác",
                ));
            }
            let checks = judge_lines(store, &lines, dossier.award_type, today).await?;
            let refused = lines.iter().zip(&checks).find(|(l, (_, outcome, _))| {
                *outcome == Outcome::NotEligible
                    && l.override_reason.as_deref().unwrap_or("").is_empty()
            });
            if let Some((l, _)) = refused {
                // The refusal shows the fresh verdicts, so they are kept.
                store.record_line_checks(who, id, &checks, today).await?;
                return Err(invalid(
                    "override_reason",
                    format!(
                        "{}: hệ thống kết luận chưa đủ điều kiện {}; hãy ghi lý do vẫn đề nghị hoặc bỏ dòng này",
                        l.name,
                        award_name(&entries, &l.code)
                    ),
                ));
            }
            step.checks = checks;
            step.notices = notices(
                &side_users(store, &dossier, today, Side::Appraiser).await?,
                "submitted",
                &format!("{label} đã được gửi đến, chờ tiếp nhận."),
            );
        }
        DossierAction::Withdraw => {}
        DossierAction::Receive => {
            let n = input.receipt_number.trim();
            if n.is_empty() {
                return Err(invalid("receipt_number", "Hãy ghi số tiếp nhận"));
            }
            step.patch.receipt_number = Some(n.to_owned());
        }
        DossierAction::StartAppraisal => {
            step.checks = judge_lines(store, &lines, dossier.award_type, today).await?;
        }
        DossierAction::Return => {
            let reason = need_note("lý do trả lại")?;
            for l in &input.lines {
                if !active.iter().any(|a| a.id == *l) {
                    return Err(invalid("lines", format!("Dòng #{l} không thuộc hồ sơ")));
                }
            }
            step.lines = input
                .lines
                .iter()
                .map(|l| LineChange {
                    line: *l,
                    status: LineStatus::NeedsCompletion,
                    note: Some(reason.clone()),
                    tally: None,
                })
                .collect();
            step.patch.reason = Some(reason.clone());
            step.notices = notices(
                &side_users(store, &dossier, today, Side::Proposer).await?,
                "returned",
                &format!("{label} được trả lại để bổ sung: {reason}"),
            );
        }
        DossierAction::Resubmit => {
            if let Some(l) = lines
                .iter()
                .find(|l| l.status == LineStatus::NeedsCompletion)
            {
                return Err(invalid(
                    "lines",
                    format!(
                        "{}: chưa bổ sung theo yêu cầu ({})",
                        l.name,
                        l.note.as_deref().unwrap_or("")
                    ),
                ));
            }
            step.checks = judge_lines(store, &lines, dossier.award_type, today).await?;
            step.notices = notices(
                &side_users(store, &dossier, today, Side::Appraiser).await?,
                "submitted",
                &format!("{label} đã được bổ sung và gửi lại."),
            );
        }
        DossierAction::Post => {
            if let Some(l) = active
                .iter()
                .find(|l| l.status == LineStatus::NeedsCompletion)
            {
                return Err(invalid(
                    "lines",
                    format!("{}: còn chờ bổ sung, chưa công khai được", l.name),
                ));
            }
            if active.is_empty() {
                return Err(invalid("lines", "Không còn đối tượng nào để công khai"));
            }
            let from = input.from.unwrap_or(today);
            let until = input
                .until
                .ok_or_else(|| invalid("until", "Hãy ghi ngày kết thúc công khai"))?;
            let min = params.get(d::POSTING);
            let days = calendar.working_days_between(from.previous_day().unwrap_or(from), until);
            if until < from || days < min {
                return Err(invalid(
                    "until",
                    format!(
                        "Thời gian công khai từ {} đến {} có {days} ngày làm việc; cần ít nhất {min}",
                        thidua_domain::VnDate(from),
                        thidua_domain::VnDate(until)
                    ),
                ));
            }
            step.patch.posted_from = Some(from);
            step.patch.posted_until = Some(until);
            step.notices = notices(
                &side_users(store, &dossier, today, Side::Proposer).await?,
                "posted",
                &format!(
                    "{label} được công khai từ {} đến {}.",
                    thidua_domain::VnDate(from),
                    thidua_domain::VnDate(until)
                ),
            );
        }
        DossierAction::OpenCouncil => {
            if let Some(until) = dossier.posted_until
                && today < until
            {
                return Err(invalid(
                    "state",
                    format!(
                        "Chưa hết thời gian công khai (đến {})",
                        thidua_domain::VnDate(until)
                    ),
                ));
            }
            if council(store, &dossier, today).await?.is_empty() {
                return Err(invalid(
                    "council",
                    "Hội đồng chưa có thành viên nào trong phạm vi hồ sơ",
                ));
            }
        }
        DossierAction::ConcludeVote => {
            let members = u32::try_from(council(store, &dossier, today).await?.len()).unwrap_or(0);
            if members == 0 {
                return Err(invalid("council", "Hội đồng chưa có thành viên nào"));
            }
            let votes = store.votes(id).await?;
            for l in active.iter().filter(|l| l.status == LineStatus::Proposed) {
                let choices: Vec<VoteChoice> = votes
                    .iter()
                    .filter(|v| v.line_id == l.id)
                    .filter_map(|v| VoteChoice::parse(&v.vote).ok())
                    .collect();
                let t = d::tally(&choices, members, params.vote_percent(&l.code));
                step.lines.push(LineChange {
                    line: l.id,
                    status: if t.passed {
                        LineStatus::CouncilPassed
                    } else {
                        LineStatus::CouncilFailed
                    },
                    note: None,
                    tally: Some(t.to_string()),
                });
            }
            let mut to_tell = side_users(store, &dossier, today, Side::Leader).await?;
            to_tell.extend(side_users(store, &dossier, today, Side::Proposer).await?);
            step.notices = notices(
                &to_tell,
                "voted",
                &format!("{label}: Hội đồng đã biểu quyết, trình lãnh đạo phê duyệt."),
            );
        }
        DossierAction::Approve => {
            step.notices = notices(
                &side_users(store, &dossier, today, Side::Appraiser).await?,
                "pending",
                &format!("{label} đã được phê duyệt, chờ ban hành quyết định."),
            );
        }
        DossierAction::IssueDecision | DossierAction::RecordHigherDecision => {
            if action == DossierAction::IssueDecision && lines.iter().any(state_level) {
                return Err(invalid(
                    "action",
                    "Hình thức cấp Nhà nước do Thủ tướng hoặc Chủ tịch nước quyết định: hãy trình cấp trên",
                ));
            }
            let given = match input.number.trim() {
                "" => None,
                n => Some(DocumentNumber::parse(n).map_err(|e| invalid("number", e.to_string()))?),
            };
            let date = input
                .date
                .ok_or_else(|| invalid("date", "Hãy ghi ngày quyết định"))?;
            if date > today {
                return Err(invalid("date", "Ngày quyết định không được sau hôm nay"));
            }
            let issuer = match input.issuer.trim() {
                "" if action == DossierAction::IssueDecision => ISSUER_PROVINCE.to_owned(),
                "" => return Err(invalid("issuer", "Hãy ghi cấp đã quyết định")),
                s => s.to_owned(),
            };
            if action == DossierAction::IssueDecision && input.signer.trim().is_empty() {
                return Err(invalid("signer", "Hãy ghi người ký quyết định"));
            }
            // A provincial decision belongs to the province's sequence and
            // takes its next number when the officer leaves it blank.
            let issuer_unit = match action {
                DossierAction::IssueDecision => {
                    crate::decisions::province_of(store, dossier.unit_id, date)
                        .await?
                        .map(|u| u.id)
                }
                _ => None,
            };
            let (number, serial) = match given {
                Some(n) => {
                    let s = thidua_domain::decision::serial_of(&n).map(i64::from);
                    (n, s)
                }
                None if action == DossierAction::IssueDecision => {
                    let (n, s) = crate::decisions::next_number(
                        store,
                        &issuer,
                        issuer_unit,
                        date.year(),
                        crate::decisions::SYMBOL_PROVINCE,
                    )
                    .await?;
                    (n, Some(s))
                }
                None => return Err(invalid("number", "Hãy ghi số quyết định của cấp trên")),
            };
            let salaries = store.base_salaries().await?;
            let base_salary =
                thidua_domain::decision::base_salary_on(&salaries, date).map(|b| b.amount_vnd);
            let passed: Vec<&DossierLineRow> = active
                .iter()
                .copied()
                .filter(|l| l.status == LineStatus::CouncilPassed)
                .collect();
            // Lines the council did not carry end as not awarded too.
            let failed: Vec<&DossierLineRow> = lines
                .iter()
                .filter(|l| l.status.active() || l.status == LineStatus::CouncilFailed)
                .filter(|l| l.status != LineStatus::CouncilPassed)
                .collect();
            step.lines = all(LineStatus::Awarded, &passed, None);
            step.lines
                .extend(all(LineStatus::NotAwarded, &failed, None));
            step.registry = passed
                .iter()
                .map(|l| RegistryEntry {
                    subject: l.subject,
                    code: l.code.clone(),
                    annual_title: thidua_domain::eligibility::review::is_annual_title(&l.code),
                    period_from: l.period_from,
                    period_to: l.period_to,
                    award_type: dossier.award_type.as_str().to_owned(),
                    achievement: Some(l.summary.clone()).filter(|s| !s.trim().is_empty()),
                    bonus_vnd: crate::decisions::bonus_for(&catalogue, &salaries, &l.code, date),
                    subject_unit: Some(match l.subject {
                        SubjectRef::Unit(u) => u,
                        SubjectRef::Person(_) => dossier.unit_id,
                    }),
                    movement: dossier.movement_id,
                })
                .collect();
            let proposer = store
                .unit(dossier.unit_id, date)
                .await?
                .map_or_else(String::new, |u| {
                    format!("Chủ tịch UBND {}", crate::decisions::lower_first(&u.name))
                });
            step.decision = Some(thidua_store::NewDecision {
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
                award_code: passed.first().map(|l| l.code.clone()),
                refers_to: None,
                reason: None,
                dossier: Some(id),
                base_salary_vnd: base_salary,
            });
            step.patch.decision_number = Some(number.to_string());
            step.patch.decision_date = Some(date);
            step.patch.decision_signer =
                Some(input.signer.trim().to_owned()).filter(|s| !s.is_empty());
            step.patch.decision_issuer = Some(issuer);
            let mut to_tell = side_users(store, &dossier, today, Side::Proposer).await?;
            to_tell.extend(side_users(store, &dossier, today, Side::Appraiser).await?);
            step.notices = notices(
                &to_tell,
                "decided",
                &format!(
                    "{label}: Quyết định {number} ngày {} — {} đối tượng được khen thưởng.",
                    thidua_domain::VnDate(date),
                    passed.len()
                ),
            );
        }
        DossierAction::Forward => {
            if !lines.iter().any(state_level) {
                return Err(invalid(
                    "action",
                    "Hình thức cấp tỉnh do Chủ tịch UBND tỉnh quyết định: hãy ban hành quyết định",
                ));
            }
            let number = DocumentNumber::parse(input.number.trim())
                .map_err(|e| invalid("number", e.to_string()))?;
            let date = input
                .date
                .ok_or_else(|| invalid("date", "Hãy ghi ngày tờ trình cấp trên"))?;
            step.patch.forward_number = Some(number.to_string());
            step.patch.forward_date = Some(date);
        }
        DossierAction::Reject => {
            let reason = need_note("lý do không khen thưởng")?;
            step.lines = all(LineStatus::NotAwarded, &active, Some(reason.clone()));
            step.patch.reason = Some(reason.clone());
            step.notices = notices(
                &side_users(store, &dossier, today, Side::Proposer).await?,
                "rejected",
                &format!("{label} không được khen thưởng: {reason}"),
            );
        }
    }
    // Notices never go to the one who acted.
    step.notices.retain(|n| n.user_id != user.id);
    step.notices
        .dedup_by(|a, b| a.user_id == b.user_id && a.kind == b.kind);
    store.take_step(who, &step).await?;
    Ok(to)
}

/// The appraiser's word on one line: exclude it, or put it back.
pub async fn set_line_status(
    store: &Store,
    by: &By<'_>,
    id: i64,
    version: i64,
    line: i64,
    status: LineStatus,
    note: &str,
) -> AppResult<()> {
    let (user, who, today) = (by.user, by.who, by.today);
    let (dossier, access) = visible(store, user, id, today).await?;
    if !access.has(Side::Appraiser) {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    if !matches!(
        dossier.state,
        DossierState::Received | DossierState::UnderAppraisal
    ) {
        return Err(invalid(
            "state",
            format!(
                "Chỉ sửa danh sách khi đang thẩm định (hồ sơ đang «{}»)",
                dossier.state.label()
            ),
        ));
    }
    if !matches!(status, LineStatus::Excluded | LineStatus::Proposed) {
        return Err(invalid("status", "Trạng thái dòng không hợp lệ"));
    }
    if status == LineStatus::Excluded && note.trim().is_empty() {
        return Err(invalid("note", "Hãy ghi lý do không đưa vào danh sách"));
    }
    store
        .set_dossier_line_status(
            who,
            id,
            version,
            &LineChange {
                line,
                status,
                note: Some(note.trim().to_owned()).filter(|n| !n.is_empty()),
                tally: None,
            },
            today,
        )
        .await?;
    Ok(())
}

/// A council member's vote on one line.
pub async fn vote(
    store: &Store,
    by: &By<'_>,
    id: i64,
    line: i64,
    choice: VoteChoice,
) -> AppResult<()> {
    let (user, who, today) = (by.user, by.who, by.today);
    let (_, access) = visible(store, user, id, today).await?;
    if !access.vote {
        return Err(invalid(
            "vote",
            "Chỉ thành viên Hội đồng Thi đua – Khen thưởng trong phạm vi hồ sơ được biểu quyết",
        ));
    }
    store.cast_vote(who, user.id, id, line, choice).await?;
    Ok(())
}

/// The largest file a dossier takes.
pub const MAX_UPLOAD: usize = thidua_sheets::LIMITS.max_file_bytes;

/// Checks an upload by its content, not its name: PDF or DOCX only.
/// Returns the content type it will be served with and its SHA-256.
pub fn check_upload(file_name: &str, bytes: &[u8]) -> AppResult<(&'static str, String)> {
    if bytes.is_empty() {
        return Err(invalid("file", "Tệp rỗng"));
    }
    if bytes.len() > MAX_UPLOAD {
        return Err(invalid(
            "file",
            format!(
                "Tệp «{file_name}» quá lớn ({} MB); tối đa {} MB",
                bytes.len().div_ceil(1024 * 1024),
                MAX_UPLOAD / 1024 / 1024
            ),
        ));
    }
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let content_type = if bytes.starts_with(b"%PDF-") {
        if !is_whole_pdf(bytes) {
            return Err(invalid(
                "file",
                format!(
                    "Tệp «{file_name}» bắt đầu như PDF nhưng không trọn vẹn (thiếu phần kết «startxref … %%EOF»): hãy lưu lại tệp PDF rồi tải lên"
                ),
            ));
        }
        "application/pdf"
    } else if bytes.starts_with(b"PK\x03\x04")
        && contains(b"[Content_Types].xml")
        && contains(b"word/document.xml")
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else {
        return Err(invalid(
            "file",
            format!("Tệp «{file_name}» không phải PDF hoặc DOCX (kiểm tra theo nội dung tệp)"),
        ));
    };
    let sha = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    Ok((content_type, sha))
}

/// A PDF as every reader finds it: a version after the header
/// (`%PDF-1.7`), and at its end `startxref`, the offset of the
/// cross-reference inside the file, and `%%EOF`. A file cut off in
/// transfer, or anything else renamed .pdf that starts with `%PDF-`, fails.
pub fn is_whole_pdf(bytes: &[u8]) -> bool {
    let version = bytes
        .get(5..8)
        .is_some_and(|v| v[0].is_ascii_digit() && v[1] == b'.' && v[2].is_ascii_digit());
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    let Some(at) = tail.windows(9).rposition(|w| w == b"startxref") else {
        return false;
    };
    let after = &tail[at + 9..];
    let digits: Vec<u8> = after
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take_while(u8::is_ascii_digit)
        .collect();
    let offset_inside = std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| d.parse::<usize>().ok())
        .is_some_and(|o| o > 0 && o < bytes.len());
    let ends = after.windows(5).any(|w| w == b"%%EOF");
    version && offset_inside && ends
}

/// A small, whole PDF (a catalogue with no pages) carrying `note` as a
/// comment: what tests and examples upload where any PDF will do.
pub fn sample_pdf(note: &str) -> Vec<u8> {
    let mut out = format!("%PDF-1.4\n% {}\n", note.replace(['\r', '\n'], " ")).into_bytes();
    let mut offsets = Vec::new();
    for body in [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [] /Count 0 >>",
    ] {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj {body} endobj\n", offsets.len()).bytes());
    }
    let xref = out.len();
    out.extend(b"xref\n0 3\n0000000000 65535 f \n");
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer << /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").bytes());
    out
}

/// A file name safe to store and to serve in a header: no control
/// characters, slashes or quotes, at most 200 characters, never empty.
pub fn clean_file_name(file_name: &str) -> String {
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .take(200)
        .collect();
    if name.is_empty() {
        "tep".to_owned()
    } else {
        name
    }
}

pub const FILE_KINDS: [(&str, &str); 4] = [
    ("letter", "Tờ trình"),
    ("report", "Báo cáo thành tích"),
    ("minutes", "Biên bản họp Hội đồng TĐKT đơn vị"),
    ("other", "Tài liệu khác"),
];

pub async fn attach(
    store: &Store,
    by: &By<'_>,
    id: i64,
    kind: &str,
    line: Option<i64>,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<i64> {
    let (user, who, today) = (by.user, by.who, by.today);
    editable(store, user, id, today).await?;
    let kind = FILE_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(k, _)| *k)
        .ok_or_else(|| invalid("kind", format!("Loại tài liệu «{kind}» không hợp lệ")))?;
    let (content_type, sha) = check_upload(file_name, bytes)?;
    let name = clean_file_name(file_name);
    Ok(store
        .attach_dossier_file(
            who,
            id,
            &NewDossierFile {
                line_id: line,
                kind,
                file_name: &name,
                content_type,
                sha256: &sha,
                content: bytes,
            },
        )
        .await?)
}

/// One item of a person's "việc cần làm".
#[derive(Debug, Clone, Serialize)]
pub struct Todo {
    pub dossier_id: i64,
    pub title: String,
    pub unit_name: String,
    pub state: DossierState,
    pub what: String,
    pub since: Date,
    pub due: Option<Date>,
    pub overdue: bool,
}

/// What waits on `user`, oldest first.
pub async fn todo(store: &Store, user: &UserRow, today: Date) -> AppResult<Vec<Todo>> {
    let (calendar, params) = procedure(store).await?;
    let mut out = Vec::new();
    for dossier in store.dossiers().await? {
        if dossier.state.is_final() {
            continue;
        }
        let access = access(store, user, &dossier, today).await?;
        if !access.view {
            continue;
        }
        let mut what = None;
        for a in d::steps_for(dossier.state, user.role) {
            let (_, sides) =
                d::next(dossier.state, a).map_err(|e| invalid("action", e.to_string()))?;
            if sides.iter().any(|s| access.has(*s))
                && a != DossierAction::Withdraw
                && a != DossierAction::Reject
            {
                what = Some(a.label().to_owned());
                break;
            }
        }
        if dossier.state == DossierState::CouncilReview && access.vote {
            let votes = store.votes(dossier.id).await?;
            let lines = store.dossier_lines(dossier.id).await?;
            let open = lines
                .iter()
                .filter(|l| l.status == LineStatus::Proposed)
                .any(|l| {
                    !votes
                        .iter()
                        .any(|v| v.line_id == l.id && v.user_id == user.id)
                });
            if open {
                what = Some("Biểu quyết".to_owned());
            }
        }
        let Some(what) = what else { continue };
        let events = store.dossier_events(dossier.id).await?;
        let passages = passages(&events);
        let since = passages.last().map_or(today, |p| p.on);
        let dl = d::deadline(&passages, dossier.state, today, &calendar, &params);
        out.push(Todo {
            dossier_id: dossier.id,
            unit_name: store
                .unit(dossier.unit_id, today)
                .await?
                .map(|u| u.name)
                .unwrap_or_default(),
            title: dossier.title.clone(),
            state: dossier.state,
            what,
            since,
            due: dl.step_due,
            overdue: dl.step_overdue || dl.overdue,
        });
    }
    out.sort_by_key(|t| (t.since, t.dossier_id));
    Ok(out)
}

/// Tells those a late step waits on, once per step: run by `serve` every
/// hour and by `thidua dossier remind`.
pub async fn notify_overdue(store: &Store, today: Date) -> AppResult<usize> {
    let (calendar, params) = procedure(store).await?;
    let who = Who::system("overdue");
    let mut n = 0;
    for dossier in store.dossiers().await? {
        if dossier.state.is_final() || dossier.state == DossierState::Draft {
            continue;
        }
        let events = store.dossier_events(dossier.id).await?;
        let passages = passages(&events);
        let dl = d::deadline(&passages, dossier.state, today, &calendar, &params);
        if !(dl.step_overdue || dl.overdue) {
            continue;
        }
        let side = match dossier.state {
            DossierState::Returned => Side::Proposer,
            DossierState::PendingApproval | DossierState::Approved => Side::Leader,
            _ => Side::Appraiser,
        };
        let since = passages.last().map_or(today, |p| p.on);
        let message = format!(
            "Hồ sơ #{} «{}» quá hạn ở bước «{}» (từ {}).",
            dossier.id,
            dossier.title,
            dossier.state.label(),
            thidua_domain::VnDate(since)
        );
        let list: Vec<Notice> = side_users(store, &dossier, today, side)
            .await?
            .into_iter()
            .map(|u| Notice {
                user_id: u.id,
                login: u.login,
                kind: "overdue",
                message: message.clone(),
                dedup_key: Some(format!(
                    "overdue:{}:{}:{}",
                    dossier.id,
                    dossier.state.as_str(),
                    since
                )),
            })
            .collect();
        n += store.notify(&who, dossier.id, &list).await?;
    }
    Ok(n)
}

/// A citizen's comment on a posted dossier (góp ý), from the public page.
#[derive(Debug, Clone, Default)]
pub struct PublicComment {
    pub dossier: i64,
    pub line: Option<i64>,
    pub name: String,
    pub contact: String,
    pub body: String,
}

/// At most this many comments per address per day, over all dossiers.
pub const COMMENTS_PER_DAY: i64 = 10;

/// Keeps a citizen's comment on a dossier posted today. The address is
/// kept only as a salted hash, enough to count a day's comments.
pub async fn public_comment(
    store: &Store,
    address: &str,
    c: &PublicComment,
    today: Date,
) -> AppResult<()> {
    let hash = auth::feedback_address_hash(store, address).await?;
    let since =
        thidua_domain::audit::timestamp(time::OffsetDateTime::now_utc() - time::Duration::days(1));
    if store.feedback_count_since(&hash, &since).await? >= COMMENTS_PER_DAY {
        return Err(AppError::TooMany(
            "Mỗi địa chỉ gửi tối đa 10 ý kiến một ngày.".into(),
        ));
    }
    let body = c.body.trim();
    if !(10..=4000).contains(&body.chars().count()) {
        return Err(invalid("body", "Ý kiến cần từ 10 đến 4.000 ký tự."));
    }
    if c.name.trim().is_empty() {
        return Err(invalid("name", "Hãy ghi họ tên người góp ý."));
    }
    let who = Who {
        user_id: None,
        login: "cong-khai".into(),
        ip: Some(address.to_owned()),
    };
    store
        .add_feedback(
            &who,
            c.dossier,
            c.line,
            &c.name.chars().take(200).collect::<String>(),
            &c.contact.chars().take(200).collect::<String>(),
            body,
            &hash,
            today,
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests;
