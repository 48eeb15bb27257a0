//! One dossier's page: lines, verdicts, timeline, the steps open to the user.

use super::common::local_time;
use crate::extract::Path;
use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use thidua_app::dossiers::{self as app};
use thidua_domain::VnDate;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{
    self as d, DossierAction, DossierState, LineStatus, Side, VoteChoice,
};
use thidua_domain::eligibility::AwardCode;
use thidua_domain::eligibility::catalogue::in_force;
use thidua_domain::eligibility::request::AwardType;
use thidua_store::SubjectRef;

pub struct LineRow {
    pub id: i64,
    pub name: String,
    pub subject: &'static str,
    pub award: String,
    pub period: String,
    pub summary: String,
    pub outcome: &'static str,
    pub outcome_label: &'static str,
    pub checks: Vec<(bool, String, String)>,
    pub missing: Vec<String>,
    pub override_reason: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub note: String,
    pub tally: String,
    pub warnings: Vec<(String, String)>,
    pub votes: Vec<String>,
    pub may_vote: bool,
}

pub struct StepForm {
    pub action: &'static str,
    pub label: &'static str,
    pub fields: Fields,
    pub danger: bool,
}

/// Which inputs a step's form has.
#[derive(Default)]
pub struct Fields {
    pub receipt_number: bool,
    pub lines: bool,
    pub note: bool,
    pub note_optional: bool,
    pub posting: bool,
    pub number: bool,
    pub date: bool,
    pub signer: bool,
    pub issuer: bool,
    /// The number may be left blank: the issuer's next serial is taken.
    pub number_auto: bool,
}

pub struct EventRow {
    pub when: String,
    pub login: String,
    pub what: String,
    pub change: String,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossier.html")]
pub struct DetailPage {
    pub chrome: Chrome,
    pub id: DossierId,
    /// The decision the dossier ended in, with its documents.
    pub decision: Option<i64>,
    pub version: i64,
    pub title: String,
    pub unit: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub facts: Vec<(&'static str, String)>,
    pub clock: String,
    pub step_due: String,
    pub overdue: bool,
    pub lines: Vec<LineRow>,
    pub files: Vec<(i64, String, String, String, String)>,
    pub feedback: Vec<(String, String, String, String)>,
    pub show_feedback: bool,
    pub events: Vec<EventRow>,
    pub steps: Vec<StepForm>,
    pub editable: bool,
    pub appraising: bool,
    pub header_title: String,
    pub header_type: &'static str,
    pub letter_number: String,
    pub letter_date: String,
    pub letter_signer: String,
    pub award_types: Vec<(&'static str, &'static str)>,
    pub people: Vec<(i64, String)>,
    pub codes: Vec<(String, String)>,
    pub year: i32,
    pub post_from: String,
    pub post_until: String,
    pub signer: String,
    pub file_kinds: Vec<(&'static str, &'static str)>,
    pub council: usize,
}

pub(super) fn fields_of(a: DossierAction) -> Fields {
    use DossierAction::*;
    let decision = Fields {
        number: true,
        date: true,
        ..Fields::default()
    };
    match a {
        Receive => Fields {
            receipt_number: true,
            ..Fields::default()
        },
        Return => Fields {
            lines: true,
            note: true,
            ..Fields::default()
        },
        Post => Fields {
            posting: true,
            ..Fields::default()
        },
        IssueDecision => Fields {
            signer: true,
            number: false,
            number_auto: true,
            ..decision
        },
        Forward => decision,
        RecordHigherDecision => Fields {
            issuer: true,
            ..decision
        },
        Reject => Fields {
            note: true,
            ..Fields::default()
        },
        Withdraw | Approve => Fields {
            note_optional: true,
            ..Fields::default()
        },
        _ => Fields::default(),
    }
}

pub async fn detail(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<DossierId>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let (dossier, access) = app::visible(&st.store, &s.user, id, today).await?;
    let v = app::view(&st.store, id, today).await?;
    let editable = access.has(Side::Proposer) && dossier.state.editable_by_proposer();
    let appraising = access.has(Side::Appraiser)
        && matches!(
            dossier.state,
            DossierState::Received | DossierState::UnderAppraisal
        );
    let voting = access.vote && dossier.state == DossierState::CouncilReview;
    let lines = line_rows(&v, voting, s.user.id);
    let steps = steps_open(&dossier, s.user.role, &access);
    let dl = &v.deadline;
    let clock = clock_words(dl);
    let date = |x: Option<time::Date>| x.map(|d| VnDate(d).to_string()).unwrap_or_default();
    let facts = facts_of(&dossier, &v.unit_name);
    let events = event_rows(&v.events);
    let catalogue = st.store.catalogue_versions().await?;
    let codes = in_force(&catalogue, today)
        .into_iter()
        .filter(|e| !AwardCode::only_by_annual_review(e.code.as_str()))
        .map(|e| (e.code.as_str().to_owned(), e.name.clone()))
        .collect();
    let people = if editable {
        st.store
            .people_in_unit(dossier.unit_id, today)
            .await?
            .into_iter()
            .map(|(p, _)| (p.id, p.full_name))
            .collect()
    } else {
        Vec::new()
    };
    let (calendar, params) = app::procedure(&st.store).await?;
    let window = calendar.posting_window(today, params.get(d::POSTING));
    let show_feedback = access.has(Side::Appraiser) || access.has(Side::Leader) || access.vote;
    Ok(DetailPage {
        chrome: Chrome::new("ho-so", Some(&s)),
        id,
        decision: st.store.dossier_decision(id).await?.map(|d| d.id.0),
        version: dossier.version,
        title: dossier.title.clone(),
        unit: v.unit_name.clone(),
        state: dossier.state.as_str(),
        state_label: dossier.state.label(),
        facts,
        clock,
        step_due: date(dl.step_due),
        overdue: dl.step_overdue || dl.overdue,
        lines,
        files: file_rows(&v),
        feedback: feedback_rows(&v),
        show_feedback,
        events,
        steps,
        editable,
        appraising,
        header_title: dossier.title.clone(),
        header_type: dossier.award_type.as_str(),
        letter_number: dossier.letter_number.clone().unwrap_or_default(),
        letter_date: date(dossier.letter_date),
        letter_signer: dossier.letter_signer.clone().unwrap_or_default(),
        award_types: AwardType::ALL
            .iter()
            .map(|t| {
                (
                    t.as_str(),
                    thidua_domain::eligibility::catalogue::award_type_label(*t),
                )
            })
            .collect(),
        people,
        codes,
        year: today.year() - 1,
        post_from: window.map(|w| VnDate(w.0).to_string()).unwrap_or_default(),
        post_until: window.map(|w| VnDate(w.1).to_string()).unwrap_or_default(),
        signer: if thidua_domain::policy::signs_in_own_name(s.user.role) {
            s.user.full_name.clone()
        } else {
            String::new()
        },
        file_kinds: app::FILE_KINDS.to_vec(),
        council: v.council_members,
    }
    .into_response())
}

/// The page's rows for the dossier's lines, with the engine's verdict and
/// the council's votes.
fn line_rows(v: &app::DossierView, voting: bool, user_id: i64) -> Vec<LineRow> {
    v.lines
        .iter()
        .map(|l| {
            let checked = l.verdict.as_ref();
            LineRow {
                id: l.line.id,
                name: l.line.name.clone(),
                subject: match l.line.subject {
                    SubjectRef::Person(_) => "Cá nhân",
                    SubjectRef::Unit(_) => "Tập thể",
                },
                award: l.award_name.clone(),
                period: if l.line.period_from == l.line.period_to {
                    l.line.period_to.to_string()
                } else {
                    format!("{}–{}", l.line.period_from, l.line.period_to)
                },
                summary: l.line.summary.clone(),
                outcome: l.line.outcome.map_or("", |o| o.as_str()),
                outcome_label: l.line.outcome.map_or("Chưa kiểm tra", |o| o.label()),
                checks: checked
                    .map(|c| {
                        c.checks
                            .iter()
                            .map(|k| (k.passed, k.article.clone(), k.message.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                missing: checked.map(|c| c.missing.clone()).unwrap_or_default(),
                override_reason: l.line.override_reason.clone().unwrap_or_default(),
                status: l.line.status.as_str(),
                status_label: l.line.status.label(),
                note: l.line.note.clone().unwrap_or_default(),
                tally: l.line.tally.clone().unwrap_or_default(),
                warnings: l
                    .warnings
                    .iter()
                    .map(|w| (w.message.clone(), w.link.clone().unwrap_or_default()))
                    .collect(),
                votes: l
                    .votes
                    .iter()
                    .map(|x| {
                        format!(
                            "{}: {}",
                            x.login,
                            VoteChoice::parse(&x.vote).map_or("?", |c| c.label())
                        )
                    })
                    .collect(),
                may_vote: voting
                    && l.line.status == LineStatus::Proposed
                    && !l.votes.iter().any(|x| x.user_id == user_id),
            }
        })
        .collect()
}

/// The steps this user may take now, as forms.
fn steps_open(
    dossier: &thidua_store::DossierRow,
    role: thidua_domain::policy::Role,
    access: &app::Access,
) -> Vec<StepForm> {
    let mut steps = Vec::new();
    for a in d::steps_for(dossier.state, role) {
        let Ok((_, sides)) = d::next(dossier.state, a) else {
            continue;
        };
        if sides.iter().any(|x| access.has(*x)) {
            steps.push(StepForm {
                action: a.as_str(),
                label: a.label(),
                fields: fields_of(a),
                danger: matches!(a, DossierAction::Reject | DossierAction::Withdraw),
            });
        }
    }
    steps
}

/// Where the dossier stands against its time limit, in words.
fn clock_words(dl: &d::Deadline) -> String {
    match dl.clock {
        d::Clock::NotStarted => "Chưa tiếp nhận: thời hạn tính từ ngày tiếp nhận.".to_owned(),
        d::Clock::Paused => format!(
            "Tạm dừng tính thời hạn trong khi đơn vị bổ sung: đã dùng {}/{} ngày làm việc.",
            dl.used, dl.limit
        ),
        d::Clock::Running if dl.left >= 0 => format!(
            "Đã dùng {}/{} ngày làm việc; còn {} ngày làm việc.",
            dl.used, dl.limit, dl.left
        ),
        d::Clock::Running => format!(
            "Đã dùng {}/{} ngày làm việc: quá hạn {} ngày làm việc.",
            dl.used, dl.limit, -dl.left
        ),
        d::Clock::Stopped => format!("Đã kết thúc; thời gian xử lý {} ngày làm việc.", dl.used),
    }
}

fn date_words(x: Option<time::Date>) -> String {
    x.map(|d| VnDate(d).to_string()).unwrap_or_default()
}

/// The dossier's facts: who proposes, the letter, receipt, posting,
/// forwarding, decision and the reason of a return or refusal.
fn facts_of(dossier: &thidua_store::DossierRow, unit_name: &str) -> Vec<(&'static str, String)> {
    let date = date_words;
    let mut facts = vec![
        ("Đơn vị đề nghị", unit_name.to_owned()),
        (
            "Loại hình khen thưởng",
            thidua_domain::eligibility::catalogue::award_type_label(dossier.award_type).to_owned(),
        ),
        (
            "Tờ trình",
            match &dossier.letter_number {
                Some(n) => format!(
                    "{n} ngày {}{}",
                    date(dossier.letter_date),
                    dossier
                        .letter_signer
                        .as_deref()
                        .map(|s| format!(", {s} ký"))
                        .unwrap_or_default()
                ),
                None => "Chưa có".into(),
            },
        ),
    ];
    if let Some(n) = &dossier.receipt_number {
        facts.push(("Số tiếp nhận", n.clone()));
    }
    if let (Some(f), Some(u)) = (dossier.posted_from, dossier.posted_until) {
        facts.push((
            "Công khai",
            format!("từ {} đến {} tại /cong-khai", VnDate(f), VnDate(u)),
        ));
    }
    if let Some(n) = &dossier.forward_number {
        facts.push((
            "Tờ trình cấp trên",
            format!("{n} ngày {}", date(dossier.forward_date)),
        ));
    }
    if let Some(n) = &dossier.decision_number {
        facts.push((
            "Quyết định",
            format!(
                "{n} ngày {} của {}{}",
                date(dossier.decision_date),
                dossier.decision_issuer.as_deref().unwrap_or(""),
                dossier
                    .decision_signer
                    .as_deref()
                    .map(|s| format!(" ({s} ký)"))
                    .unwrap_or_default()
            ),
        ));
    }
    if let Some(r) = &dossier.reason
        && matches!(
            dossier.state,
            DossierState::Returned | DossierState::Rejected
        )
    {
        facts.push(("Lý do", r.clone()));
    }
    facts
}

/// The dossier's timeline in words.
fn event_rows(events: &[thidua_store::DossierEvent]) -> Vec<EventRow> {
    events
        .iter()
        .map(|e| EventRow {
            when: format!("{} {}", VnDate(e.on_day), local_time(&e.at)),
            login: e.login.clone(),
            what: e.action.label().to_owned(),
            change: match (e.from_state, e.to_state) {
                (Some(f), Some(t)) => format!("{} → {}", f.label(), t.label()),
                (None, Some(t)) => t.label().to_owned(),
                _ => String::new(),
            },
            note: e.note.clone().unwrap_or_default(),
        })
        .collect()
}

/// The dossier's files: id, name, kind, size and the start of their hash.
fn file_rows(v: &app::DossierView) -> Vec<(i64, String, String, String, String)> {
    v.files
        .iter()
        .map(|f| {
            (
                f.id,
                f.file_name.clone(),
                app::FILE_KINDS
                    .iter()
                    .find(|(k, _)| *k == f.kind)
                    .map_or("", |(_, l)| *l)
                    .to_owned(),
                format!("{} KB", (f.size + 1023) / 1024),
                f.sha256.get(..12).unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The public's comments, with the line each is about.
fn feedback_rows(v: &app::DossierView) -> Vec<(String, String, String, String)> {
    v.feedback
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                f.contact.clone(),
                f.body.clone(),
                f.line_id
                    .and_then(|l| v.lines.iter().find(|x| x.line.id == l))
                    .map(|x| x.line.name.clone())
                    .unwrap_or_else(|| "Cả hồ sơ".into()),
            )
        })
        .collect()
}
