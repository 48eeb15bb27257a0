//! Hồ sơ đề nghị khen thưởng pages: the list, the dossier with its lines,
//! verdicts, warnings, files, votes, feedback and timeline, every step as
//! a form; "việc cần làm"; the public posting page (no login); and the
//! administrator's calendar and procedure figures.

use crate::extract::Path;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::dossiers::{self as app, By, StepInput};
use thidua_domain::VnDate;
use thidua_domain::dossier::{
    self as d, DossierAction, DossierState, LineStatus, Side, VoteChoice,
};
use thidua_domain::eligibility::catalogue::{Category, in_force};
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::policy::Action;
use thidua_store::{DossierHeader, SubjectRef};

fn by(s: &Session) -> (thidua_store::Who, time::Date) {
    (s.who(), today_vn())
}

fn parse_date(field: &str, v: &str) -> Result<Option<time::Date>, String> {
    match v.trim() {
        "" => Ok(None),
        t => VnDate::parse(t)
            .map(|d| Some(d.0))
            .map_err(|e| format!("{field}: {e}")),
    }
}

/// A form whose checkboxes repeat `key`: the checked ids apart, the rest
/// read into `T`.
pub(crate) fn form_with_checked<T: serde::de::DeserializeOwned>(
    body: &str,
    key: &str,
) -> Result<(Vec<i64>, T), WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body)
        .map_err(|e| WebError::BadRequest(format!("Biểu mẫu không hợp lệ: {e}")))?;
    let ids: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == key)
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let rest: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != key).collect();
    let f: T = serde_urlencoded::from_str(
        &serde_urlencoded::to_string(&rest).map_err(|e| WebError::Internal(e.to_string()))?,
    )
    .map_err(|e| WebError::BadRequest(format!("Biểu mẫu không hợp lệ: {e}")))?;
    Ok((ids, f))
}

/// A refused change goes back to the page with the reason; nothing was
/// written.
pub(crate) fn outcome<T>(
    st: &AppState,
    back: &str,
    ok: &str,
    r: Result<T, AppError>,
) -> Result<Response, WebError> {
    match r {
        Ok(_) => Ok(redirect_with_flash(st, back, ok)),
        Err(AppError::Invalid { message, .. }) => Ok(redirect_with_flash(
            st,
            back,
            &format!("Chưa ghi: {message}."),
        )),
        Err(AppError::Store(thidua_store::StoreError::Conflict(m))) => {
            Ok(redirect_with_flash(st, back, &format!("Chưa ghi: {m}.")))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- list

pub struct ListRow {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub updated: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub rows: Vec<ListRow>,
    pub pager: crate::admin::Pager,
    pub states: Vec<(&'static str, &'static str)>,
    pub state: String,
    pub may_create: bool,
    pub default_unit: String,
    pub award_types: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    trang_thai: String,
    trang: Option<String>,
}

/// Dossiers per page of the list.
const LIST_PAGE: i64 = 50;

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let (calendar, params) = app::procedure(&st.store).await?;
    let mut accessor = app::Accessor::new(&st.store, &s.user, today).await?;
    let mut visible = Vec::new();
    for dossier in st.store.dossiers().await? {
        if !q.trang_thai.is_empty() && dossier.state.as_str() != q.trang_thai {
            continue;
        }
        if accessor.access(&st.store, &dossier).await?.view {
            visible.push(dossier);
        }
    }
    // Newest first, a page at a time: only the page's rows are dated.
    let page = q
        .trang
        .as_deref()
        .and_then(|t| t.trim().parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let total = visible.len() as i64;
    let state = q.trang_thai.clone();
    let pager = crate::admin::Pager::new(page, total, LIST_PAGE, |p| {
        format!("/ho-so?trang_thai={state}&trang={p}")
    });
    let skip = usize::try_from((page - 1) * LIST_PAGE).unwrap_or(usize::MAX);
    let mut rows = Vec::new();
    for dossier in visible.into_iter().skip(skip).take(LIST_PAGE as usize) {
        let events = st.store.dossier_events(dossier.id).await?;
        let passages: Vec<d::Passage> = events
            .iter()
            .filter_map(|e| {
                Some(d::Passage {
                    on: e.on_day,
                    to: DossierState::parse(e.to_state.as_deref()?).ok()?,
                })
            })
            .collect();
        let dl = d::deadline(&passages, dossier.state, today, &calendar, &params);
        rows.push(ListRow {
            id: dossier.id,
            title: dossier.title.clone(),
            unit: st
                .store
                .unit(dossier.unit_id, today)
                .await?
                .map(|u| u.name)
                .unwrap_or_default(),
            state: dossier.state.as_str(),
            state_label: dossier.state.label(),
            updated: passages
                .last()
                .map(|p| VnDate(p.on).to_string())
                .unwrap_or_default(),
            due: dl
                .step_due
                .map(|d| VnDate(d).to_string())
                .unwrap_or_default(),
            overdue: dl.step_overdue || dl.overdue,
        });
    }
    let default_unit = match s.user.unit_id {
        Some(u) => st
            .store
            .unit(u, today)
            .await?
            .map(|u| u.code)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(ListPage {
        chrome: Chrome::new("ho-so", Some(&s)),
        rows,
        pager,
        states: DossierState::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        state: q.trang_thai,
        may_create: thidua_domain::policy::role_allows(s.user.role, Action::ProposeAwards),
        default_unit,
        award_types: AwardType::ALL
            .iter()
            .map(|t| {
                (
                    t.as_str(),
                    thidua_domain::eligibility::catalogue::award_type_label(*t),
                )
            })
            .collect(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct HeaderForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    award_type: String,
    #[serde(default)]
    letter_number: String,
    #[serde(default)]
    letter_date: String,
    #[serde(default)]
    letter_signer: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

fn header_of(f: &HeaderForm) -> Result<DossierHeader, String> {
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(DossierHeader {
        award_type: match f.award_type.trim() {
            "" => AwardType::Regular,
            t => AwardType::parse(t).map_err(|e| e.to_string())?,
        },
        movement_id: None,
        title: f.title.trim().to_owned(),
        letter_number: opt(&f.letter_number),
        letter_date: parse_date("Ngày tờ trình", &f.letter_date)?,
        letter_signer: opt(&f.letter_signer),
    })
}

pub async fn create(
    State(st): State<AppState>,
    s: Session,
    Form(f): Form<HeaderForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let (who, today) = by(&s);
    let unit = st
        .store
        .resolve_code(f.unit.trim(), None, today)
        .await?
        .filter(|u| u.period.contains(today))
        .ok_or_else(|| {
            WebError::BadRequest(format!("Không có đơn vị mã «{}» hôm nay.", f.unit.trim()))
        })?;
    let h = header_of(&f).map_err(WebError::BadRequest)?;
    match app::create(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        unit.id,
        &h,
    )
    .await
    {
        Ok(id) => Ok(redirect_with_flash(
            &st,
            &format!("/ho-so/{id}"),
            "Đã tạo dự thảo hồ sơ. Thêm đối tượng đề nghị, tài liệu, rồi gửi.",
        )),
        Err(e) => outcome(&st, "/ho-so", "", Err::<(), _>(e)),
    }
}

pub async fn update_header(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<HeaderForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let today = today_vn();
    let back = format!("/ho-so/{id}");
    let who = s.who();
    let r = async {
        let h = header_of(&f).map_err(|m| AppError::Invalid {
            field: "header",
            message: m,
        })?;
        let by = By {
            user: &s.user,
            who: &who,
            today,
        };
        app::update_header(&st.store, &by, id, &h).await
    }
    .await;
    outcome(&st, &back, "Đã ghi thông tin hồ sơ.", r)
}

// ---------------------------------------------------------------- detail

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
    pub id: i64,
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

/// HH:MM in Việt Nam of a stored UTC timestamp.
fn local_time(at: &str) -> String {
    let (Some(h), Some(m)) = (
        at.get(11..13).and_then(|h| h.parse::<u32>().ok()),
        at.get(14..16),
    ) else {
        return String::new();
    };
    format!("{:02}:{m}", (h + 7) % 24)
}

fn fields_of(a: DossierAction) -> Fields {
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
    Path(id): Path<i64>,
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
    let lines = v
        .lines
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
                    && !l.votes.iter().any(|x| x.user_id == s.user.id),
            }
        })
        .collect();
    let mut steps = Vec::new();
    for a in d::steps_for(dossier.state, s.user.role) {
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
    let dl = &v.deadline;
    let clock = match dl.clock {
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
    };
    let date = |x: Option<time::Date>| x.map(|d| VnDate(d).to_string()).unwrap_or_default();
    let mut facts = vec![
        ("Đơn vị đề nghị", v.unit_name.clone()),
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
    let events = v
        .events
        .iter()
        .map(|e| EventRow {
            when: format!("{} {}", VnDate(e.on_day), local_time(&e.at)),
            login: e.login.clone(),
            what: DossierAction::parse(&e.action).map_or_else(
                |_| match e.action.as_str() {
                    "create" => "Tạo dự thảo".to_owned(),
                    "feedback" => "Nhận ý kiến của nhân dân".to_owned(),
                    "line_status" => "Sửa danh sách".to_owned(),
                    other => other.to_owned(),
                },
                |a| a.label().to_owned(),
            ),
            change: match (&e.from_state, &e.to_state) {
                (Some(f), Some(t)) => format!(
                    "{} → {}",
                    DossierState::parse(f).map_or("", |s| s.label()),
                    DossierState::parse(t).map_or("", |s| s.label())
                ),
                (None, Some(t)) => DossierState::parse(t).map_or("", |s| s.label()).to_owned(),
                _ => String::new(),
            },
            note: e.note.clone().unwrap_or_default(),
        })
        .collect();
    let catalogue = st.store.catalogue_versions().await?;
    let codes = in_force(&catalogue, today)
        .into_iter()
        .filter(|e| e.category == Category::Form || !e.code.as_str().contains("LAO_DONG_TIEN_TIEN"))
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
    let posting = params.get(d::POSTING).max(1);
    let show_feedback = access.has(Side::Appraiser) || access.has(Side::Leader) || access.vote;
    Ok(DetailPage {
        chrome: Chrome::new("ho-so", Some(&s)),
        id,
        decision: st.store.dossier_decision(id).await?.map(|d| d.id),
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
        files: v
            .files
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
            .collect(),
        feedback: v
            .feedback
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
            .collect(),
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
        post_from: VnDate(today).to_string(),
        post_until: calendar
            .add_working_days(today, posting - 1)
            .map(|d| VnDate(d).to_string())
            .unwrap_or_default(),
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

#[derive(Deserialize)]
pub struct LineAddForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    period_from: String,
    #[serde(default)]
    period_to: String,
    #[serde(default)]
    summary: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn add_line(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<LineAddForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}");
    let year = |v: &str, field: &'static str| {
        v.trim().parse::<i32>().map_err(|_| AppError::Invalid {
            field,
            message: format!("Năm «{}» không hợp lệ", v.trim()),
        })
    };
    let r = async {
        let subject = match f.subject.trim().split_once(':') {
            Some(("p", n)) => SubjectRef::Person(n.parse().unwrap_or(-1)),
            Some(("u", _)) => {
                let d = st
                    .store
                    .dossier(id)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("hồ sơ #{id}")))?;
                SubjectRef::Unit(d.unit_id)
            }
            _ => {
                return Err(AppError::Invalid {
                    field: "subject",
                    message: "Hãy chọn đối tượng".into(),
                });
            }
        };
        let input = app::LineInput {
            subject,
            code: f.code.clone(),
            period_from: year(&f.period_from, "period_from")?,
            period_to: year(&f.period_to, "period_to")?,
            summary: f.summary.clone(),
        };
        app::add_line(
            &st.store,
            &By {
                user: &s.user,
                who: &who,
                today,
            },
            id,
            &input,
        )
        .await
    }
    .await;
    outcome(&st, &back, "Đã thêm đối tượng và kiểm tra điều kiện.", r)
}

#[derive(Deserialize)]
pub struct LineEditForm {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    override_reason: String,
    #[serde(default)]
    remove: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn edit_line(
    State(st): State<AppState>,
    s: Session,
    Path((id, line)): Path<(i64, i64)>,
    Form(f): Form<LineEditForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}#dong-{line}");
    let by = By {
        user: &s.user,
        who: &who,
        today,
    };
    let r = if f.remove == "1" {
        app::remove_line(&st.store, &by, id, line).await
    } else {
        app::edit_line(&st.store, &by, id, line, &f.summary, &f.override_reason).await
    };
    outcome(&st, &back, "Đã ghi.", r)
}

#[derive(Deserialize)]
pub struct LineStatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    version: i64,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn line_status(
    State(st): State<AppState>,
    s: Session,
    Path((id, line)): Path<(i64, i64)>,
    Form(f): Form<LineStatusForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}#dong-{line}");
    let status = LineStatus::parse(&f.status).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let r = app::set_line_status(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        id,
        f.version,
        line,
        status,
        &f.note,
    )
    .await;
    outcome(&st, &back, "Đã ghi.", r)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn recheck(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let (who, today) = by(&s);
    let (_, access) = app::visible(&st.store, &s.user, id, today).await?;
    if !(access.has(Side::Proposer) || access.has(Side::Appraiser)) {
        return Err(thidua_domain::policy::Denied::Role.into());
    }
    app::recheck(&st.store, &who, id, today).await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/ho-so/{id}"),
        "Đã kiểm tra lại điều kiện theo sổ khen thưởng hiện tại.",
    ))
}

/// Every step's form posts here; `action` names the step.
#[derive(Deserialize)]
pub struct StepForm_ {
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    note: String,
    #[serde(default)]
    receipt_number: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    signer: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    grounds: String,
    #[serde(default)]
    issuer: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn step(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
    crate::extract::TextBody(body): crate::extract::TextBody,
) -> Result<Response, WebError> {
    let (lines, f): (Vec<i64>, StepForm_) = form_with_checked(&body, "line")?;
    s.check_form_csrf(&f.csrf)?;
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}");
    let dates = (|| -> Result<_, String> {
        Ok((
            parse_date("Từ ngày", &f.from)?,
            parse_date("Đến ngày", &f.until)?,
            parse_date("Ngày", &f.date)?,
        ))
    })();
    let (from, until, date) = match dates {
        Ok(x) => x,
        Err(m) => return Ok(redirect_with_flash(&st, &back, &format!("Chưa ghi: {m}."))),
    };
    let action = DossierAction::parse(&f.action).ok();
    let input = StepInput {
        action,
        version: f.version,
        note: f.note.clone(),
        receipt_number: f.receipt_number.clone(),
        from,
        until,
        number: f.number.clone(),
        date,
        signer: f.signer.clone(),
        signer_title: f.signer_title.clone(),
        grounds: f.grounds.clone(),
        issuer: f.issuer.clone(),
        lines,
    };
    let r = app::take_step(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        id,
        &input,
    )
    .await;
    let ok = match &r {
        Ok(to) => format!(
            "{}: hồ sơ chuyển sang «{}».",
            action.map_or("", |a| a.label()),
            to.label()
        ),
        Err(_) => String::new(),
    };
    outcome(&st, &back, &ok, r)
}

#[derive(Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    vote: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn vote(
    State(st): State<AppState>,
    s: Session,
    Path((id, line)): Path<(i64, i64)>,
    Form(f): Form<VoteForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}#dong-{line}");
    let choice = VoteChoice::parse(&f.vote).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let r = app::vote(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        id,
        line,
        choice,
    )
    .await;
    outcome(&st, &back, &format!("Đã ghi phiếu: {}.", choice.label()), r)
}

pub async fn upload(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let bad = crate::upload_error;
    let (mut csrf, mut kind, mut line, mut file) = (String::new(), String::new(), None, None);
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(bad)?,
            Some("kind") => {
                kind = crate::input_guard::multipart_text("kind", field.text().await.map_err(bad)?)?
            }
            Some("line") => line = field.text().await.map_err(bad)?.parse::<i64>().ok(),
            Some("file") => {
                let name = crate::input_guard::file_name(field.file_name());
                let bytes = field.bytes().await.map_err(bad)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    s.check_form_csrf(&csrf)?;
    let (who, today) = by(&s);
    let back = format!("/ho-so/{id}");
    let Some((name, bytes)) = file else {
        return Ok(redirect_with_flash(&st, &back, "Chưa ghi: chưa chọn tệp."));
    };
    let r = app::attach(
        &st.store,
        &By {
            user: &s.user,
            who: &who,
            today,
        },
        id,
        &kind,
        line,
        &name,
        &bytes,
    )
    .await;
    outcome(&st, &back, &format!("Đã đính kèm «{name}»."), r)
}

pub async fn download(
    State(st): State<AppState>,
    s: Session,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    app::visible(&st.store, &s.user, id, today_vn()).await?;
    let (name, content_type, bytes) = st
        .store
        .dossier_file(id, file)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có tệp này.".into()))?;
    Ok(crate::movements::attachment(
        &name,
        crate::movements::content_type_static(&content_type),
        bytes,
    ))
}

// ---------------------------------------------------------------- to-do

/// (dossier, title, unit, step, what to do, since, due, overdue)
pub type TodoRow = (
    i64,
    String,
    String,
    &'static str,
    String,
    String,
    String,
    bool,
);

#[derive(Template, WebTemplate)]
#[template(path = "todo.html")]
pub struct TodoPage {
    pub chrome: Chrome,
    pub items: Vec<TodoRow>,
    pub notices: Vec<(String, String, bool, String)>,
}

pub async fn todo(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    let today = today_vn();
    let items = app::todo(&st.store, &s.user, today)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.dossier_id,
                t.title,
                t.unit_name,
                t.state.label(),
                t.what,
                VnDate(t.since).to_string(),
                t.due.map(|d| VnDate(d).to_string()).unwrap_or_default(),
                t.overdue,
            )
        })
        .collect();
    let notices = st
        .store
        .notifications(s.user.id, 30)
        .await?
        .into_iter()
        .map(|n| {
            (
                n.message,
                n.dossier_id
                    .map(|d| format!("/ho-so/{d}"))
                    .unwrap_or_default(),
                n.read_at.is_none(),
                n.created_at.get(..10).unwrap_or("").to_owned(),
            )
        })
        .collect();
    st.store.mark_notifications_read(s.user.id).await?;
    Ok(TodoPage {
        chrome: Chrome::new("viec", Some(&s)),
        items,
        notices,
    }
    .into_response())
}

// ---------------------------------------------------------------- public

pub struct PublicLine {
    pub dossier: i64,
    pub line: i64,
    pub name: String,
    pub unit: String,
    pub award: String,
    pub period: String,
    pub summary: String,
    pub until: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "public.html")]
pub struct PublicPage {
    pub chrome: Chrome,
    pub lines: Vec<PublicLine>,
    pub message: Option<String>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

/// Lines shown on one public page.
const PUBLIC_PAGE: i64 = 100;

/// The public page: only what is posted today, one page of it, in three
/// reads (the lines, the catalogue, the proposing units' names).
async fn public_page(
    st: &AppState,
    page: i64,
    message: Option<String>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let page = page.max(1);
    let (posted, total) = st
        .store
        .posted_lines_on(today, (page - 1) * PUBLIC_PAGE, PUBLIC_PAGE)
        .await?;
    let catalogue = st.store.catalogue_versions().await?;
    let entries = in_force(&catalogue, today);
    let mut units = std::collections::HashMap::new();
    for p in &posted {
        if let std::collections::hash_map::Entry::Vacant(v) = units.entry(p.proposer) {
            let name = st
                .store
                .unit(p.proposer, today)
                .await?
                .map(|u| u.name)
                .unwrap_or_default();
            v.insert(name);
        }
    }
    let lines = posted
        .into_iter()
        .map(|p| {
            let l = p.line;
            PublicLine {
                dossier: l.dossier_id,
                line: l.id,
                award: entries
                    .iter()
                    .find(|e| e.code.as_str() == l.code)
                    .map_or_else(|| l.code.clone(), |e| e.name.clone()),
                period: if l.period_from == l.period_to {
                    l.period_to.to_string()
                } else {
                    format!("{}–{}", l.period_from, l.period_to)
                },
                name: l.name,
                unit: units.get(&p.proposer).cloned().unwrap_or_default(),
                summary: l.summary,
                until: p
                    .posted_until
                    .map(|d| VnDate(d).to_string())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let pages = ((total + PUBLIC_PAGE - 1) / PUBLIC_PAGE).max(1);
    Ok(PublicPage {
        chrome: Chrome::new("cong-khai", None),
        lines,
        message,
        page,
        pages,
        total,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PublicQuery {
    trang: Option<String>,
}

pub async fn public(
    State(st): State<AppState>,
    Query(q): Query<PublicQuery>,
) -> Result<Response, WebError> {
    let page = q
        .trang
        .as_deref()
        .and_then(|t| t.trim().parse::<i64>().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    public_page(&st, page, None).await
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    dossier: i64,
    #[serde(default)]
    line: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    body: String,
    /// The honeypot: hidden from people, filled by robots.
    #[serde(default)]
    website: String,
}

pub async fn feedback(
    State(st): State<AppState>,
    crate::session::ClientIp(ip): crate::session::ClientIp,
    Form(f): Form<FeedbackForm>,
) -> Result<Response, WebError> {
    let ip = ip.unwrap_or_else(|| "-".into());
    // A robot is thanked and nothing is kept.
    if !f.website.trim().is_empty() {
        return public_page(&st, 1, Some("Cảm ơn ông/bà đã gửi ý kiến.".into())).await;
    }
    if !st.feedback_limiter.allow(&ip) {
        return Err(WebError::TooMany);
    }
    let comment = app::PublicComment {
        dossier: f.dossier,
        line: f.line,
        name: f.name,
        contact: f.contact,
        body: f.body,
    };
    match app::public_comment(&st.store, &ip, &comment, today_vn()).await {
        Ok(()) => {
            public_page(
                &st,
                1,
                Some(
                    "Cảm ơn ông/bà đã gửi ý kiến. Ý kiến đã được chuyển đến cơ quan thẩm định."
                        .into(),
                ),
            )
            .await
        }
        Err(AppError::TooMany(_)) => Err(WebError::TooMany),
        Err(AppError::Invalid { message, .. }) => refused(&st, message).await,
        Err(AppError::Store(
            thidua_store::StoreError::Conflict(m) | thidua_store::StoreError::NotFound(m),
        )) => refused(&st, format!("Chưa gửi được: {m}.")).await,
        Err(e) => Err(e.into()),
    }
}

/// The public page again, with why the comment was not kept.
async fn refused(st: &AppState, message: String) -> Result<Response, WebError> {
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        public_page(st, 1, Some(message)).await?,
    )
        .into_response())
}

// ---------------------------------------------------------------- calendar

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    pub chrome: Chrome,
    pub year: i32,
    pub days: Vec<(String, String, &'static str, String)>,
    pub overrides: Vec<(String, String, bool)>,
    pub limits: Vec<(&'static str, &'static str, u32, &'static str, bool)>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    nam: Option<i32>,
}

fn weekday(d: time::Date) -> &'static str {
    use time::Weekday::*;
    match d.weekday() {
        Monday => "Thứ Hai",
        Tuesday => "Thứ Ba",
        Wednesday => "Thứ Tư",
        Thursday => "Thứ Năm",
        Friday => "Thứ Sáu",
        Saturday => "Thứ Bảy",
        Sunday => "Chủ nhật",
    }
}

pub async fn calendar(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    crate::pages::guard_system(&st, &s, Action::ManageCalendar).await?;
    let year = q.nam.unwrap_or_else(|| today_vn().year()).clamp(1990, 2100);
    let (cal, params) = app::procedure(&st.store).await?;
    Ok(CalendarPage {
        chrome: Chrome::new("quan-tri", Some(&s)),
        year,
        days: cal
            .days_off(year)
            .into_iter()
            .map(|d| {
                (
                    VnDate(d.date).to_string(),
                    d.name,
                    weekday(d.date),
                    match d.kind {
                        thidua_domain::calendar::DayOffKind::Holiday => "Ngày lễ, Tết".into(),
                        thidua_domain::calendar::DayOffKind::Compensatory => "Nghỉ bù".into(),
                        thidua_domain::calendar::DayOffKind::Decided => "Theo quyết định".into(),
                    },
                )
            })
            .collect(),
        overrides: cal
            .overrides(year)
            .into_iter()
            .map(|o| (VnDate(o.date).to_string(), o.name.clone(), o.off))
            .collect(),
        limits: params
            .limits
            .iter()
            .map(|l| (l.key, l.label, l.days, l.source, l.confirmed))
            .collect(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    remove: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn set_override(
    State(st): State<AppState>,
    s: Session,
    Form(f): Form<OverrideForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let (who, today) = by(&s);
    let (store, user) = (&st.store, &s.user);
    let r = if f.remove == "1" {
        thidua_app::calendar::remove_day(store, user, &who, &f.day, today)
            .await
            .map(|d| (d, "Đã bỏ ngày điều chỉnh.".to_owned()))
    } else {
        let off = f.kind != "work";
        thidua_app::calendar::set_day(store, user, &who, &f.day, off, &f.name, today)
            .await
            .map(|d| (d, format!("Đã ghi ngày {}.", VnDate(d))))
    };
    match r {
        Ok((day, done)) => Ok(redirect_with_flash(
            &st,
            &format!("/quan-tri/lich?nam={}", day.year()),
            &done,
        )),
        Err(e) => outcome(&st, "/quan-tri/lich", "", Err::<(), _>(e)),
    }
}

pub async fn set_limits(
    State(st): State<AppState>,
    s: Session,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let csrf = f
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    s.check_form_csrf(csrf)?;
    let (who, today) = by(&s);
    let typed: Vec<(String, String)> = f.into_iter().filter(|(k, _)| k != "_csrf").collect();
    let r = thidua_app::calendar::set_limits(&st.store, &s.user, &who, &typed, today).await;
    outcome(&st, "/quan-tri/lich", "Đã ghi các thời hạn và ngưỡng.", r)
}
