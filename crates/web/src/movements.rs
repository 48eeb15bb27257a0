//! Phong trào pages: list, launch, lifecycle, registration, value entry
//! (form, XLSX/CSV upload, template), approval and the dashboard.

use crate::charts;
use crate::extract::Path;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use thidua_app::admin_units::Problem;
use thidua_app::movements::{self as app_mv, Enterer, MovementHeader, RawValue};
use thidua_app::report::{self, Boundaries, MovementReport};
use thidua_app::{AppError, auth};
use thidua_domain::date::VnDate;
use thidua_domain::indicator::{Measure, PeriodKey};
use thidua_domain::movement::{LaunchLevel, MovementCode, MovementKind, MovementStatus};
use thidua_domain::org::UnitId;
use thidua_domain::policy::{self, Action, Denied, authorize};
use thidua_sheets::Cell;
use thidua_store::{Decision, IndicatorRow, MovementRow, UnitRow, ValueStatus};
use time::Date;

fn d(date: Option<Date>) -> String {
    date.map(|d| VnDate(d).to_string()).unwrap_or_default()
}

pub(crate) async fn movement(
    st: &AppState,
    s: &Session,
    code: &str,
) -> Result<MovementRow, WebError> {
    let not_found = || WebError::NotFound(format!("Không có phong trào mã «{code}»."));
    let c = MovementCode::parse(code).map_err(|_| not_found())?;
    let m = st.store.movement_by_code(&c).await?.ok_or_else(not_found)?;
    if !app_mv::access::may_see(&st.store, &s.user, &m, today_vn()).await? {
        return Err(not_found());
    }
    Ok(m)
}

/// May the user create, launch and review this movement?
async fn may_manage(
    st: &AppState,
    s: &Session,
    m: &MovementRow,
) -> Result<Result<(), Denied>, WebError> {
    Ok(app_mv::access::may_manage(&st.store, &s.user, m, today_vn()).await?)
}

fn movement_href(m: &MovementRow) -> String {
    format!("/phong-trao/{}", m.code)
}

// ---------------------------------------------------------------- list

pub struct MovementLine {
    pub href: String,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub period: String,
    pub document: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "movements.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<MovementLine>,
    may_create: bool,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    trang_thai: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let may_create = policy::role_allows(s.user.role, Action::ManageMovements);
    let wanted = q
        .trang_thai
        .as_deref()
        .filter(|t| !t.is_empty())
        .map(MovementStatus::parse)
        .transpose()
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let mut lines = Vec::new();
    for m in app_mv::access::visible(&st.store, &s.user, today_vn()).await? {
        if wanted.is_some_and(|w| w != m.status) {
            continue;
        }
        lines.push(MovementLine {
            href: movement_href(&m),
            code: m.code.to_string(),
            name: m.name.clone(),
            kind: m.kind.label(),
            status: m.status.label(),
            period: format!("{} – {}", VnDate(m.start), d(m.end)),
            document: m.doc_number.clone().unwrap_or_default(),
        });
    }
    Ok(ListPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        lines,
        may_create,
        status: q.trang_thai.unwrap_or_default(),
        statuses: MovementStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
    }
    .into_response())
}

// ---------------------------------------------------------------- create

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    doc_date: String,
    #[serde(default)]
    doc_signer: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    registration_deadline: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    target_collectives: String,
    #[serde(default)]
    target_individuals: String,
    #[serde(default)]
    content_areas: String,
    #[serde(default)]
    award_forms: String,
    #[serde(default)]
    indicator_set: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "movement_new.html")]
struct NewPage {
    chrome: Chrome,
    form: NewForm,
    error: Option<String>,
    error_field: String,
    kinds: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    sets: Vec<&'static str>,
}

fn new_page(s: &Session, form: NewForm, error: Option<(String, String)>) -> NewPage {
    let (error_field, error) = match error {
        Some((f, m)) => (f, Some(m)),
        None => (String::new(), None),
    };
    NewPage {
        chrome: Chrome::new("phong-trao", Some(s)),
        form,
        error,
        error_field,
        kinds: MovementKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        levels: LaunchLevel::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        sets: app_mv::INDICATOR_SETS.iter().map(|(n, _)| *n).collect(),
    }
}

fn require_officer(s: &Session) -> Result<(), WebError> {
    if policy::role_allows(s.user.role, Action::ManageMovements) {
        Ok(())
    } else {
        Err(Denied::Role.into())
    }
}

pub async fn new_form(s: Session) -> Result<Response, WebError> {
    require_officer(&s)?;
    let form = NewForm {
        kind: "thematic".into(),
        level: "province".into(),
        ..NewForm::default()
    };
    Ok(new_page(&s, form, None).into_response())
}

fn lines_of(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

pub async fn create(
    State(st): State<AppState>,
    s: Session,
    Form(f): Form<NewForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    require_officer(&s)?;
    let opt = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
    let header = MovementHeader {
        code: f.code.trim().to_owned(),
        name: f.name.clone(),
        kind: f.kind.clone(),
        level: f.level.clone(),
        authority: opt(&f.authority),
        document: opt(&f.doc_number).map(|number| app_mv::DocumentHeader {
            number,
            date: opt(&f.doc_date),
            signer: opt(&f.doc_signer),
        }),
        theme: opt(&f.theme),
        start: f.start.clone(),
        end: opt(&f.end),
        registration_deadline: opt(&f.registration_deadline),
        parent: opt(&f.parent),
        target_collectives: lines_of(&f.target_collectives),
        target_individuals: lines_of(&f.target_individuals),
        content_areas: lines_of(&f.content_areas),
        award_forms: lines_of(&f.award_forms),
    };
    let result = async {
        let indicators = match opt(&f.indicator_set) {
            Some(set) => app_mv::indicator_set(&set)?,
            None => Vec::new(),
        };
        app_mv::header_to_new(&st.store, &header, indicators).await
    }
    .await;
    let new = match result {
        Ok(n) => n,
        Err(AppError::Invalid { field, message }) => {
            return Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                new_page(&s, f, Some((field.to_owned(), message))),
            )
                .into_response());
        }
        Err(e) => return Err(e.into()),
    };
    match app_mv::lifecycle::create(&st.store, &s.user, &s.who(), &new, today_vn()).await {
        Ok(()) => Ok(redirect_with_flash(
            &st,
            &format!("/phong-trao/{}", new.code),
            &format!("Đã tạo phong trào {} ở trạng thái dự thảo.", new.code),
        )),
        Err(AppError::Store(thidua_store::StoreError::Conflict(m))) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            new_page(&s, f, Some(("code".to_owned(), m))),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// A movement file (TOML) uploaded instead of the form.
pub async fn import_file(
    State(st): State<AppState>,
    s: Session,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    require_officer(&s)?;
    let (csrf, file) = read_multipart(&mut mp).await?;
    s.check_form_csrf(&csrf)?;
    let (_, bytes) = file.ok_or_else(|| WebError::BadRequest("Chưa chọn tệp.".into()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| WebError::BadRequest("Tệp phải mã hóa UTF-8.".into()))?;
    let new = app_mv::parse_movement_file(&st.store, &text).await?;
    app_mv::lifecycle::create(&st.store, &s.user, &s.who(), &new, today_vn()).await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}", new.code),
        &format!(
            "Đã tạo phong trào {} từ tệp, với {} chỉ tiêu.",
            new.code,
            new.indicators.len()
        ),
    ))
}

/// The `_csrf` field and the first file of a multipart form.
pub(crate) async fn read_multipart(
    mp: &mut Multipart,
) -> Result<(String, Option<(String, Vec<u8>)>), WebError> {
    let bad = crate::upload_error;
    let mut csrf = String::new();
    let mut file = None;
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(bad)?,
            Some("file") => {
                let name = crate::input_guard::file_name(field.file_name());
                let bytes = field.bytes().await.map_err(bad)?;
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    Ok((csrf, file))
}

// ---------------------------------------------------------------- detail

pub struct IndicatorLine {
    pub code: String,
    pub name: String,
    pub measure: &'static str,
    pub how: String,
    pub group: String,
}

pub struct RegistrationLine {
    pub who: String,
    pub on: String,
    pub pledges: String,
    pub targets: String,
}

pub struct UnitChoice {
    pub id: i64,
    pub label: String,
}

pub struct TargetField {
    pub id: i64,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "movement.html")]
struct DetailPage {
    chrome: Chrome,
    m: MovementRow,
    kind: &'static str,
    level: &'static str,
    status: &'static str,
    period: String,
    doc_date: String,
    deadline: String,
    authority: String,
    parent: Option<(String, String)>,
    reviews: Vec<(String, String, String, String)>,
    files: Vec<(i64, String)>,
    indicators: Vec<IndicatorLine>,
    may_manage: bool,
    next: Vec<(&'static str, &'static str, bool)>,
    registrations: Vec<RegistrationLine>,
    may_register: bool,
    register_units: Vec<UnitChoice>,
    targets: Vec<TargetField>,
    unregistered: Vec<String>,
    may_enter: bool,
}

pub async fn detail(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let today = today_vn();
    let indicators = st.store.indicators(m.id).await?;
    let authority = match m.authority {
        Some(u) => st
            .store
            .unit(u, m.start)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => m.level.label().to_owned(),
    };
    let parent = match m.parent_id {
        Some(p) => st
            .store
            .movement(p)
            .await?
            .map(|p| (movement_href(&p), p.name)),
        None => None,
    };
    let reviews = st
        .store
        .movement_reviews(m.id)
        .await?
        .into_iter()
        .map(|r| {
            (
                if r.kind == "final" {
                    "Tổng kết"
                } else {
                    "Sơ kết"
                }
                .to_owned(),
                VnDate(r.held_on).to_string(),
                r.doc_number.unwrap_or_default(),
                r.report,
            )
        })
        .collect();
    let files = st
        .store
        .movement_files(m.id)
        .await?
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    let may_manage = may_manage(&st, &s, &m).await?.is_ok();
    let next = m
        .status
        .next()
        .iter()
        .map(|n| (n.as_str(), n.label(), n.is_review()))
        .collect();
    // Registration: units the user may enter for, registered or not.
    let user = (!policy::unscoped(s.user.role)).then_some(&s.user);
    let units = if policy::role_allows(s.user.role, Action::EnterValues) {
        app_mv::entry_units(&st.store, user, &indicators, today.max(m.start), today).await?
    } else {
        Vec::new()
    };
    let regs = st.store.registrations(m.id).await?;
    let registered: std::collections::HashSet<i64> =
        regs.iter().filter_map(|r| r.unit.map(|u| u.0)).collect();
    let code_of: HashMap<i64, &str> = indicators
        .iter()
        .map(|i| (i.id, i.def.code.as_str()))
        .collect();
    let mut registrations = Vec::new();
    for r in &regs {
        let who = match r.unit {
            Some(u) => st
                .store
                .unit(u, today)
                .await?
                .map(|u| u.name)
                .unwrap_or_default(),
            None => format!("Cá nhân #{}", r.person_id.unwrap_or_default()),
        };
        registrations.push(RegistrationLine {
            who,
            on: VnDate(r.registered_on).to_string(),
            pledges: r.pledges.clone().unwrap_or_default(),
            targets: r
                .targets
                .iter()
                .map(|(i, t)| {
                    format!(
                        "{} ≥ {}",
                        code_of.get(i).copied().unwrap_or("?"),
                        thidua_domain::number::format_vi(*t, if t.fract() == 0.0 { 0 } else { 2 })
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let open_for_registration =
        m.status.accepts_registrations() && m.registration_deadline.is_none_or(|dl| today <= dl);
    let register_units: Vec<UnitChoice> = units
        .iter()
        .filter(|u| !registered.contains(&u.id.0))
        .map(|u| UnitChoice {
            id: u.id.0,
            label: format!("{} ({})", u.name, u.code),
        })
        .collect();
    let unregistered = if policy::unscoped(s.user.role) {
        Vec::new()
    } else {
        register_units.iter().map(|u| u.label.clone()).collect()
    };
    let targets = indicators
        .iter()
        .filter(|i| i.def.measure != Measure::Criterion)
        .map(|i| TargetField {
            id: i.id,
            label: format!("{} ({})", i.def.name, i.def.measure.label()),
        })
        .collect();
    Ok(DetailPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        kind: m.kind.label(),
        level: m.level.label(),
        status: m.status.label(),
        period: format!("{} – {}", VnDate(m.start), d(m.end)),
        doc_date: d(m.doc_date),
        deadline: d(m.registration_deadline),
        authority,
        parent,
        reviews,
        files,
        indicators: indicators.iter().map(indicator_line).collect(),
        may_manage,
        next,
        registrations,
        may_register: open_for_registration && !register_units.is_empty(),
        register_units,
        targets,
        unregistered,
        may_enter: m.status.accepts_values() && !units.is_empty(),
        m,
    }
    .into_response())
}

fn indicator_line(i: &IndicatorRow) -> IndicatorLine {
    IndicatorLine {
        code: i.def.code.to_string(),
        name: i.def.name.clone(),
        measure: i.def.measure.label(),
        how: match &i.def.formula {
            Some(f) => format!("Tính: {f}"),
            None => format!(
                "Nhập theo {} · {}",
                i.def.period.label().to_lowercase(),
                i.def.entry.noun()
            ),
        },
        group: i.def.group.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    report: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn set_status(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let m = movement(&st, &s, &code).await?;
    let change = app_mv::lifecycle::StatusChange {
        status: f.status,
        held_on: f.held_on,
        report: f.report,
        doc_number: f.doc_number,
    };
    let to =
        app_mv::lifecycle::change_status(&st.store, &s.user, &s.who(), &m, &change, today_vn())
            .await?;
    Ok(redirect_with_flash(
        &st,
        &movement_href(&m),
        &format!("Phong trào chuyển sang «{}».", to.label()),
    ))
}

pub async fn upload_file(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let (csrf, file) = read_multipart(&mut mp).await?;
    s.check_form_csrf(&csrf)?;
    may_manage(&st, &s, &m).await??;
    let (name, bytes) = file.ok_or_else(|| WebError::BadRequest("Chưa chọn tệp.".into()))?;
    app_mv::lifecycle::attach_file(&st.store, &s.user, &s.who(), &m, &name, &bytes, today_vn())
        .await?;
    Ok(redirect_with_flash(
        &st,
        &movement_href(&m),
        &format!("Đã đính kèm tệp «{name}»."),
    ))
}

pub async fn download_file(
    State(st): State<AppState>,
    s: Session,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let (name, content_type, bytes) = st
        .store
        .movement_file(m.id, id)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có tệp này.".into()))?;
    Ok(attachment(&name, content_type_static(&content_type), bytes))
}

/// The stored content type as served: only the types uploads are checked
/// for are named; anything else goes out as plain bytes.
pub(crate) fn content_type_static(ct: &str) -> &'static str {
    match ct {
        "application/pdf" => "application/pdf",
        DOCX => DOCX,
        _ => "application/octet-stream",
    }
}

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Always an attachment, never rendered in the browser.
pub(crate) fn attachment(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    // An ASCII fallback name plus the UTF-8 one (RFC 6266).
    let ascii: String = thidua_domain::text::fold(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::pages::url_encode(name)
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

pub async fn export_toml(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let text = app_mv::export_movement_file(&st.store, &m).await?;
    Ok(attachment(
        &format!("{}.toml", m.code),
        "application/toml",
        text.into_bytes(),
    ))
}

#[derive(Deserialize)]
pub struct RegisterForm {
    unit: i64,
    #[serde(default)]
    pledges: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

pub async fn register(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Form(f): Form<RegisterForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let m = movement(&st, &s, &code).await?;
    let registration = app_mv::lifecycle::Registration {
        unit: UnitId(f.unit),
        pledges: f.pledges,
        targets: f
            .rest
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("t_")?.parse().ok()?, v.clone())))
            .collect(),
    };
    app_mv::lifecycle::register(&st.store, &s.user, &s.who(), &m, &registration, today_vn())
        .await?;
    Ok(redirect_with_flash(
        &st,
        &movement_href(&m),
        "Đã đăng ký thi đua.",
    ))
}

// ---------------------------------------------------------------- entry

pub struct EntryField {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub group: String,
    pub measure: &'static str,
    pub criterion: bool,
    pub value: String,
    pub status: &'static str,
    pub locked: bool,
    pub value_id: i64,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "entry.html")]
struct EntryPage {
    chrome: Chrome,
    m: MovementRow,
    units: Vec<UnitChoice>,
    unit_id: i64,
    unit_name: String,
    period: String,
    period_label: String,
    fields: Vec<EntryField>,
    may_approve: bool,
    problems: Vec<String>,
}

#[derive(Deserialize)]
pub struct EntryQuery {
    don_vi: Option<i64>,
    ky: Option<String>,
}

/// The period kind and a default period for a movement.
fn default_period(
    m: &MovementRow,
    indicators: &[IndicatorRow],
) -> Result<(PeriodKey, thidua_domain::indicator::PeriodKind), WebError> {
    let kind = indicators
        .iter()
        .find(|i| !i.def.is_derived())
        .map(|i| i.def.period)
        .ok_or_else(|| WebError::BadRequest("Phong trào chưa có chỉ tiêu nhập liệu.".into()))?;
    let day = today_vn().min(m.end.unwrap_or(Date::MAX)).max(m.start);
    let p = match kind {
        thidua_domain::indicator::PeriodKind::Year => PeriodKey::Year(day.year()),
        thidua_domain::indicator::PeriodKind::Quarter => {
            PeriodKey::Quarter(day.year(), (u8::from(day.month()) - 1) / 3 + 1)
        }
        thidua_domain::indicator::PeriodKind::Date => PeriodKey::Date(day),
    };
    Ok((p, kind))
}

async fn entry_page(
    st: &AppState,
    s: &Session,
    m: MovementRow,
    unit: Option<i64>,
    period: Option<&str>,
    problems: &[Problem],
) -> Result<EntryPage, WebError> {
    // A role that never enters values (the viewer) gets no form at all.
    app_mv::may_enter_values(&s.user)?;
    let today = today_vn();
    let indicators = st.store.indicators(m.id).await?;
    let (default, kind) = default_period(&m, &indicators)?;
    let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => PeriodKey::parse(kind, p).map_err(|e| WebError::BadRequest(e.to_string()))?,
        None => default,
    };
    let user = (!policy::unscoped(s.user.role)).then_some(&s.user);
    let units = app_mv::entry_units(&st.store, user, &indicators, period.end(), today).await?;
    if units.is_empty() {
        return Err(WebError::Forbidden(
            "Không có đơn vị nào trong phạm vi của bạn nhập số liệu cho phong trào này.".into(),
        ));
    }
    let chosen: &UnitRow = unit
        .and_then(|id| units.iter().find(|u| u.id.0 == id))
        .or_else(|| units.first())
        .ok_or_else(|| WebError::NotFound("Không có đơn vị này.".into()))?;
    let stored: HashMap<i64, thidua_store::ValueRow> = st
        .store
        .value_rows(m.id, Some(&[chosen.id]))
        .await?
        .into_iter()
        .filter(|v| v.period == period.key())
        .map(|v| (v.indicator_id, v))
        .collect();
    let may_approve =
        auth::may_on_unit(&st.store, &s.user, Action::ApproveValues, chosen.id, today)
            .await?
            .is_some_and(|r| r.is_ok());
    let mut fields = Vec::new();
    for (n, i) in indicators.iter().enumerate() {
        if i.def.is_derived()
            || i.def.period != kind
            || !i
                .def
                .entry
                .admits(chosen.kind, chosen.admin_type.as_deref())
        {
            continue;
        }
        let v = stored.get(&i.id);
        let error = problems
            .iter()
            .filter(|p| p.line == n as u64 + 1)
            .map(|p| p.message.clone())
            .next();
        fields.push(EntryField {
            id: i.id,
            code: i.def.code.to_string(),
            name: i.def.name.clone(),
            group: i.def.group.clone().unwrap_or_default(),
            measure: i.def.measure.label(),
            criterion: i.def.measure == Measure::Criterion,
            value: v
                .map(|v| match i.def.measure {
                    Measure::Criterion => if v.value != 0.0 { "1" } else { "0" }.to_owned(),
                    m => thidua_domain::number::format_vi(
                        v.value,
                        if m.is_integral() { 0 } else { 2 },
                    ),
                })
                .unwrap_or_default(),
            status: v.map(|v| v.status.label()).unwrap_or("Chưa nhập"),
            locked: v.is_some_and(|v| v.status == ValueStatus::Approved),
            value_id: v.map(|v| v.id).unwrap_or_default(),
            error,
        });
    }
    Ok(EntryPage {
        chrome: Chrome::new("phong-trao", Some(s)),
        units: units
            .iter()
            .map(|u| UnitChoice {
                id: u.id.0,
                label: format!("{} ({})", u.name, u.code),
            })
            .collect(),
        unit_id: chosen.id.0,
        unit_name: chosen.name.clone(),
        period: period.key(),
        period_label: period.label(),
        fields,
        may_approve,
        problems: problems
            .iter()
            .filter(|p| p.line == 0 || p.column.is_none())
            .map(|p| p.message.clone())
            .collect(),
        m,
    })
}

pub async fn entry_form(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Query(q): Query<EntryQuery>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    Ok(entry_page(&st, &s, m, q.don_vi, q.ky.as_deref(), &[])
        .await?
        .into_response())
}

pub async fn entry_save(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    s.check_form_csrf(f.get("_csrf").map(String::as_str).unwrap_or(""))?;
    app_mv::may_enter_values(&s.user)?;
    let m = movement(&st, &s, &code).await?;
    let unit_id: i64 = f
        .get("don_vi")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest("Thiếu đơn vị.".into()))?;
    let period = f.get("ky").cloned().unwrap_or_default();
    let today = today_vn();
    let unit = st
        .store
        .unit(UnitId(unit_id), today)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có đơn vị này.".into()))?;
    let indicators = st.store.indicators(m.id).await?;
    // Each field is a "line" numbered by the indicator's position, so that
    // problems come back next to their field.
    let mut raw = Vec::new();
    for (n, i) in indicators.iter().enumerate() {
        if let Some(v) = f
            .get(&format!("v_{}", i.id))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            raw.push(RawValue {
                line: n as u64 + 1,
                unit_code: unit.code.clone(),
                period: period.clone(),
                indicator: i.def.code.to_string(),
                value: Cell::Text(v.to_owned()),
                note: None,
            });
        }
    }
    if raw.is_empty() {
        return Err(WebError::BadRequest("Chưa nhập giá trị nào.".into()));
    }
    match app_mv::enter_values(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        &m,
        "biểu mẫu",
        &raw,
        today,
    )
    .await
    {
        Ok(r) => Ok(redirect_with_flash(
            &st,
            &format!(
                "/phong-trao/{}/nhap-lieu?don_vi={unit_id}&ky={}",
                m.code,
                crate::pages::url_encode(&period)
            ),
            &format!(
                "Đã gửi {} giá trị chờ duyệt ({} mới, {} sửa).",
                r.inserted + r.updated,
                r.inserted,
                r.updated
            ),
        )),
        Err(AppError::Import(problems)) => {
            let page = entry_page(&st, &s, m, Some(unit_id), Some(&period), &problems).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "import_result.html")]
struct ImportResultPage {
    chrome: Chrome,
    m: MovementRow,
    problems: Vec<String>,
}

pub async fn entry_upload(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    // Whoever may never enter values is refused before the file is read.
    app_mv::may_enter_values(&s.user)?;
    let (csrf, file) = read_multipart(&mut mp).await?;
    s.check_form_csrf(&csrf)?;
    let (name, bytes) = file.ok_or_else(|| WebError::BadRequest("Chưa chọn tệp.".into()))?;
    let result = match app_mv::parse_value_file(&name, bytes).await {
        Ok(raw) => {
            app_mv::enter_values(
                &st.store,
                &s.who(),
                Enterer::User(&s.user),
                &m,
                &name,
                &raw,
                today_vn(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(redirect_with_flash(
            &st,
            &format!("/phong-trao/{}/nhap-lieu", m.code),
            &format!(
                "Đã nhập tệp «{name}»: {} giá trị mới, {} giá trị sửa, {} không đổi; đang chờ duyệt.",
                r.inserted, r.updated, r.unchanged
            ),
        )),
        Err(AppError::Import(problems)) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ImportResultPage {
                chrome: Chrome::new("phong-trao", Some(&s)),
                problems: problems.iter().map(ToString::to_string).collect(),
                m,
            },
        )
            .into_response()),
        Err(AppError::Store(thidua_store::StoreError::Conflict(msg))) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ImportResultPage {
                chrome: Chrome::new("phong-trao", Some(&s)),
                problems: vec![msg],
                m,
            },
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    ky: Option<String>,
}

pub async fn entry_template(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let indicators = st.store.indicators(m.id).await?;
    let (default, _) = default_period(&m, &indicators)?;
    let period =
        q.ky.filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| default.key());
    let user = (!policy::unscoped(s.user.role)).then_some(&s.user);
    let bytes = app_mv::entry_template(&st.store, user, &m, &period, today_vn()).await?;
    Ok(attachment(
        &format!("mau-nhap-lieu-{}-{period}.xlsx", m.code),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

// ---------------------------------------------------------------- approval

pub struct ApprovalGroup {
    pub unit_id: i64,
    pub unit: String,
    pub period: String,
    pub period_label: String,
    pub submitted: usize,
    pub approved: usize,
    pub returned: usize,
    pub entered_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    chrome: Chrome,
    m: MovementRow,
    waiting: Vec<ApprovalGroup>,
    done: Vec<ApprovalGroup>,
}

pub async fn approvals(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    app_mv::may_approve_values(&s.user)?;
    let m = movement(&st, &s, &code).await?;
    let today = today_vn();
    let actor = auth::actor(&st.store, &s.user, today).await?;
    let mut allowed: HashMap<UnitId, Option<String>> = HashMap::new();
    let mut groups: BTreeMap<(String, String), ApprovalGroup> = BTreeMap::new();
    for v in st.store.value_rows(m.id, None).await? {
        if let std::collections::hash_map::Entry::Vacant(slot) = allowed.entry(v.unit) {
            let name = match auth::unit_object(&st.store, v.unit, today).await? {
                Some(obj) if authorize(&actor, Action::ApproveValues, &obj).is_ok() => st
                    .store
                    .unit(v.unit, v.period_end)
                    .await?
                    .map(|u| format!("{} ({})", u.name, u.code)),
                _ => None,
            };
            slot.insert(name);
        }
        let Some(Some(name)) = allowed.get(&v.unit) else {
            continue;
        };
        let g = groups
            .entry((name.clone(), v.period.clone()))
            .or_insert_with(|| ApprovalGroup {
                unit_id: v.unit.0,
                unit: name.clone(),
                period: v.period.clone(),
                period_label: v.period.clone(),
                submitted: 0,
                approved: 0,
                returned: 0,
                entered_by: v.entered_by.clone(),
            });
        match v.status {
            ValueStatus::Submitted => g.submitted += 1,
            ValueStatus::Approved => g.approved += 1,
            ValueStatus::Returned => g.returned += 1,
        }
    }
    let (waiting, done): (Vec<ApprovalGroup>, Vec<ApprovalGroup>) =
        groups.into_values().partition(|g| g.submitted > 0);
    Ok(ApprovalsPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        m,
        waiting,
        done,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    unit: i64,
    period: String,
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn decide(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Form(f): Form<DecideForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let m = movement(&st, &s, &code).await?;
    let d = app_mv::approval::ValuesDecision {
        unit: UnitId(f.unit),
        period: f.period,
        decision: f.decision,
        reason: f.reason,
    };
    let (decision, n) =
        app_mv::approval::decide(&st.store, &s.user, &s.who(), &m, &d, today_vn()).await?;
    let what = if decision == Decision::Approve {
        "duyệt"
    } else {
        "trả lại"
    };
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}/duyet", m.code),
        &format!("Đã {what} {n} giá trị."),
    ))
}

#[derive(Deserialize)]
pub struct ReopenForm {
    reason: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn reopen(
    State(st): State<AppState>,
    s: Session,
    Path((code, value_id)): Path<(String, i64)>,
    Form(f): Form<ReopenForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let m = movement(&st, &s, &code).await?;
    let (unit, period) = app_mv::approval::reopen(
        &st.store,
        &s.user,
        &s.who(),
        &m,
        value_id,
        &f.reason,
        today_vn(),
    )
    .await?;
    Ok(redirect_with_flash(
        &st,
        &format!(
            "/phong-trao/{}/nhap-lieu?don_vi={}&ky={}",
            m.code, unit.0, period
        ),
        "Đã mở lại số liệu để sửa.",
    ))
}

// ---------------------------------------------------------------- dashboard

pub struct FigureLine {
    pub indicator: String,
    pub name: String,
    pub label: String,
    pub display: String,
    pub reported: String,
}

pub struct ChildLine {
    pub href: String,
    pub code: String,
    pub name: String,
    pub cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    m: MovementRow,
    r: std::sync::Arc<MovementReport>,
    figures: Vec<FigureLine>,
    columns: Vec<String>,
    children: Vec<ChildLine>,
    bar_svg: String,
    line_svg: String,
    chart_title: String,
    chart_choices: Vec<(usize, String, bool)>,
    as_of_iso: String,
    boundaries: &'static str,
    unit_id: String,
    up_href: Option<String>,
    xlsx_href: String,
}

#[derive(Deserialize)]
pub struct DashboardQuery {
    pub(crate) don_vi: Option<String>,
    pub(crate) ngay: Option<String>,
    pub(crate) dia_gioi: Option<String>,
    pub(crate) chi_so: Option<usize>,
}

pub(crate) async fn run_report(
    st: &AppState,
    s: &Session,
    m: &MovementRow,
    q: &DashboardQuery,
) -> Result<std::sync::Arc<MovementReport>, WebError> {
    let today = today_vn();
    let as_of = match q.ngay.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
        Some(x) => {
            VnDate::parse(x)
                .map_err(|e| WebError::BadRequest(e.to_string()))?
                .0
        }
        None => today.min(m.end.unwrap_or(Date::MAX)),
    };
    let boundaries = q
        .dia_gioi
        .as_deref()
        .filter(|b| !b.is_empty())
        .map(Boundaries::parse)
        .transpose()?;
    let map_date = boundaries
        .unwrap_or(Boundaries::natural(as_of))
        .map_date(as_of, today);
    let root = match q.don_vi.as_deref().filter(|x| !x.is_empty()) {
        Some(id) => {
            Some(UnitId(id.parse().map_err(|_| {
                WebError::BadRequest("Mã đơn vị không hợp lệ.".into())
            })?))
        }
        None => {
            // The launching unit first (as it stood on the map's day), then
            // the user's own units; the first one the user may see.
            let actor = auth::actor(&st.store, &s.user, today).await?;
            let mut candidates: Vec<UnitId> = m.authority.into_iter().collect();
            candidates.extend(actor.scope_roots.iter().copied());
            let mut found = None;
            for c in candidates {
                if let Some(r) = root_on_map(st, c, map_date).await?
                    && crate::pages::guard_unit(st, s, Action::ViewUnit, r)
                        .await
                        .is_ok()
                {
                    found = Some(r);
                    break;
                }
            }
            match found {
                Some(r) => Some(r),
                None if policy::unscoped(s.user.role) => None,
                None => actor.scope_roots.first().copied(),
            }
        }
    };
    match root {
        Some(r) => crate::pages::guard_unit(st, s, Action::ViewUnit, r).await?,
        None => {
            if !policy::unscoped(s.user.role) {
                return Err(Denied::Scope.into());
            }
        }
    }
    Ok(st
        .reports
        .report(&st.store, m, root, as_of, boundaries, today)
        .await?)
}

/// A unit on a map's day: itself if valid then, else what it became or
/// (going back) the one of its predecessors' units that is valid then.
async fn root_on_map(st: &AppState, unit: UnitId, day: Date) -> Result<Option<UnitId>, WebError> {
    if let Some(u) = st.store.unit(unit, day).await?
        && u.period.contains(day)
    {
        return Ok(Some(u.id));
    }
    if let Some(b) = st.store.became_as_of(unit, day).await?.first() {
        return Ok(Some(b.unit.id));
    }
    Ok(st
        .store
        .predecessors(unit)
        .await?
        .into_iter()
        .find(|l| l.unit.period.contains(day))
        .map(|l| l.unit.id))
}

pub async fn dashboard(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let r = run_report(&st, &s, &m, &q).await?;
    let chosen = q
        .chi_so
        .filter(|i| *i < r.figures.len())
        .or_else(|| r.figures.iter().position(|f| f.value.is_some()))
        .unwrap_or(0);
    let as_of_iso = r.as_of.iso();
    let b = r.boundaries.as_str();
    let href = |unit: Option<i64>| {
        format!(
            "/phong-trao/{}/bao-cao?ngay={as_of_iso}&dia_gioi={b}&chi_so={chosen}{}",
            m.code,
            unit.map(|u| format!("&don_vi={u}")).unwrap_or_default()
        )
    };
    let (bar_svg, line_svg, chart_title) = match r.figures.get(chosen) {
        Some(f) => {
            let title = format!("{} — {}", f.indicator_name, f.label);
            let bars: Vec<(String, f64, String)> = r
                .children
                .iter()
                .filter_map(|c| {
                    c.figures.get(chosen).map(|cf| {
                        (
                            c.unit.name.clone(),
                            cf.value.unwrap_or(0.0),
                            cf.display.clone(),
                        )
                    })
                })
                .collect();
            let share = f.rollup.starts_with("share");
            let points: Vec<(String, f64, String)> = r
                .series
                .iter()
                .filter_map(|p| {
                    p.figures.get(chosen).map(|pf| {
                        (
                            p.date.to_string(),
                            pf.value.unwrap_or(0.0),
                            pf.display.clone(),
                        )
                    })
                })
                .collect();
            (
                charts::bars(
                    &format!("{title}, theo đơn vị"),
                    &bars,
                    share.then_some(100.0),
                ),
                charts::line(&format!("{title}, theo thời gian"), &points),
                title,
            )
        }
        None => (String::new(), String::new(), String::new()),
    };
    let up_href = match &r.unit {
        Some(u) => {
            let parent = st
                .store
                .ancestors_as_of(UnitId(u.id), r.map_date.0)
                .await?
                .first()
                .map(|p| p.id.0);
            match parent {
                Some(p)
                    if crate::pages::guard_unit(&st, &s, Action::ViewUnit, UnitId(p))
                        .await
                        .is_ok() =>
                {
                    Some(href(Some(p)))
                }
                None if policy::unscoped(s.user.role) => Some(href(None)),
                _ => None,
            }
        }
        None => None,
    };
    let query = format!(
        "ngay={as_of_iso}&dia_gioi={b}{}",
        r.unit
            .as_ref()
            .map(|u| format!("&don_vi={}", u.id))
            .unwrap_or_default()
    );
    Ok(DashboardPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        figures: r
            .figures
            .iter()
            .map(|f| FigureLine {
                indicator: f.indicator.to_string(),
                name: f.indicator_name.clone(),
                label: f.label.clone(),
                display: f.display.clone(),
                reported: format!("{}/{}", f.reported, f.total),
            })
            .collect(),
        columns: r
            .figures
            .iter()
            .map(|f| format!("{} · {}", f.indicator, f.label))
            .collect(),
        children: r
            .children
            .iter()
            .map(|c| ChildLine {
                href: href(Some(c.unit.id)),
                code: c.unit.code.clone(),
                name: c.unit.name.clone(),
                cells: c.figures.iter().map(|f| f.display.clone()).collect(),
            })
            .collect(),
        bar_svg,
        line_svg,
        chart_title,
        chart_choices: r
            .figures
            .iter()
            .enumerate()
            .map(|(i, f)| (i, format!("{} · {}", f.indicator, f.label), i == chosen))
            .collect(),
        as_of_iso: as_of_iso.clone(),
        boundaries: b,
        unit_id: r
            .unit
            .as_ref()
            .map(|u| u.id.to_string())
            .unwrap_or_default(),
        up_href,
        xlsx_href: format!("/phong-trao/{}/bao-cao.xlsx?{query}", m.code),
        r,
        m,
    }
    .into_response())
}

pub async fn dashboard_xlsx(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let r = run_report(&st, &s, &m, &q).await?;
    let bytes = report::report_xlsx(&r)?;
    Ok(attachment(
        &format!("bao-cao-{}-{}.xlsx", m.code, r.as_of.iso()),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

// ---------------------------------------------------------------- home

/// One line of "Việc cần làm" on the home page.
pub struct Todo {
    pub href: String,
    pub text: String,
}

/// Values waiting for the user: submitted ones they may approve, returned
/// ones they may correct, counted per movement.
pub async fn todo(
    st: &AppState,
    actor: &thidua_domain::policy::Actor,
) -> Result<Vec<Todo>, WebError> {
    let today = today_vn();
    let mut out = Vec::new();
    for (status, action, what, page) in [
        (
            ValueStatus::Submitted,
            Action::ApproveValues,
            "số liệu chờ bạn duyệt",
            "duyet",
        ),
        (
            ValueStatus::Returned,
            Action::EnterValues,
            "số liệu bị trả lại cần sửa",
            "nhap-lieu",
        ),
    ] {
        let mut per_movement: BTreeMap<i64, i64> = BTreeMap::new();
        let mut allowed: HashMap<i64, bool> = HashMap::new();
        for (movement, unit, n) in st.store.values_waiting(status).await? {
            if let std::collections::hash_map::Entry::Vacant(slot) = allowed.entry(unit) {
                let ok = match auth::unit_object(&st.store, UnitId(unit), today).await? {
                    Some(obj) => authorize(actor, action, &obj).is_ok(),
                    None => false,
                };
                slot.insert(ok);
            }
            if allowed.get(&unit) == Some(&true) {
                *per_movement.entry(movement).or_default() += n;
            }
        }
        for (movement, n) in per_movement {
            if let Some(m) = st.store.movement(movement).await? {
                out.push(Todo {
                    href: format!("/phong-trao/{}/{page}", m.code),
                    text: format!("{n} {what} — {}", m.name),
                });
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- twinning

pub struct PairLine {
    pub id: i64,
    pub org: String,
    pub partner: String,
    pub since: String,
    pub visits: i64,
    pub people: String,
    pub money: String,
    pub houses: String,
    pub may_add: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "twinning.html")]
struct TwinningPage {
    chrome: Chrome,
    m: MovementRow,
    pairs: Vec<PairLine>,
    may_pair: bool,
}

/// Kết nghĩa: the movement's pairs that the user may see, with their totals.
pub async fn twinning(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let today = today_vn();
    let actor = auth::actor(&st.store, &s.user, today).await?;
    let mut pairs = Vec::new();
    let mut cache: HashMap<i64, (bool, bool)> = HashMap::new();
    for p in st.store.twinning_pairs(m.id, today).await? {
        if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(p.org_unit_id) {
            let obj = auth::unit_object(&st.store, UnitId(p.org_unit_id), today).await?;
            let see = obj
                .as_ref()
                .is_some_and(|o| authorize(&actor, Action::ViewUnit, o).is_ok());
            let add = obj
                .as_ref()
                .is_some_and(|o| authorize(&actor, Action::EnterValues, o).is_ok());
            slot.insert((see, add));
        }
        let (see, add) = cache.get(&p.org_unit_id).copied().unwrap_or_default();
        if !see {
            continue;
        }
        let name = |id: i64| {
            let st = st.clone();
            async move {
                Ok::<String, WebError>(
                    st.store
                        .unit(UnitId(id), today)
                        .await?
                        .map(|u| u.name)
                        .unwrap_or_default(),
                )
            }
        };
        let partner = match (p.village_unit_id, &p.household) {
            (Some(v), _) => name(v).await?,
            (None, Some(h)) => h.clone(),
            (None, None) => String::new(),
        };
        let n = |v: f64| thidua_domain::number::format_vi(v, 0);
        pairs.push(PairLine {
            id: p.id,
            org: name(p.org_unit_id).await?,
            partner,
            since: VnDate(p.since).to_string(),
            visits: p.visits,
            people: n(p.people as f64),
            money: thidua_domain::number::format_vnd(p.money_vnd + p.in_kind_vnd),
            houses: format!("{} / {}", p.houses_built, p.houses_repaired),
            may_add: add,
        });
    }
    Ok(TwinningPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        may_pair: policy::role_allows(s.user.role, Action::EnterValues)
            && m.status.accepts_values(),
        m,
        pairs,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PairForm {
    org: String,
    #[serde(default)]
    village: String,
    #[serde(default)]
    household: String,
    since: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn add_pair(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
    Form(f): Form<PairForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let m = movement(&st, &s, &code).await?;
    let input = app_mv::twinning::PairInput {
        org: f.org,
        village: f.village,
        household: f.household,
        since: f.since,
    };
    let org =
        app_mv::twinning::add_pair(&st.store, &s.user, &s.who(), &m, &input, today_vn()).await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}/ket-nghia", m.code),
        &format!("Đã ghi cặp kết nghĩa của {org}."),
    ))
}

#[derive(Deserialize)]
pub struct ActivityForm {
    held_on: String,
    #[serde(default)]
    visits: String,
    #[serde(default)]
    people: String,
    #[serde(default)]
    money: String,
    #[serde(default)]
    in_kind: String,
    #[serde(default)]
    built: String,
    #[serde(default)]
    repaired: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn add_activity(
    State(st): State<AppState>,
    s: Session,
    Path((code, pair)): Path<(String, i64)>,
    Form(f): Form<ActivityForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let m = movement(&st, &s, &code).await?;
    let input = app_mv::twinning::ActivityInput {
        held_on: f.held_on,
        visits: f.visits,
        people: f.people,
        money: f.money,
        in_kind: f.in_kind,
        built: f.built,
        repaired: f.repaired,
    };
    app_mv::twinning::add_activity(&st.store, &s.user, &s.who(), &m, pair, &input, today_vn())
        .await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}/ket-nghia", m.code),
        "Đã ghi hoạt động kết nghĩa.",
    ))
}
