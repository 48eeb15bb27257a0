//! The pages: each handler turns a request into a view, after the policy.

pub use crate::chrome::{Chrome, format_int, today_vn, url_encode};
use crate::extract::Path;
use crate::session::{self, LOGIN_CSRF_COOKIE, MaybeSession, SESSION_COOKIE, Session};
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::org_edit::{self, UnitInput};
use thidua_app::{AppError, auth, org_view};
use thidua_domain::date::VnDate;
use thidua_domain::org::{CodeList, UnitId, UnitKind};
use thidua_domain::policy::{self, Action, authorize};
use thidua_store::{EventLink, UnitRow};
use time::Date;

/// Today in Vietnam (UTC+7): the default date of every as-of view.
impl Chrome {
    pub fn new(area: &'static str, s: Option<&Session>) -> Chrome {
        match s {
            Some(s) => Chrome {
                area,
                signed_in: true,
                user_name: s.user.full_name.clone(),
                role_label: s.user.role.label(),
                is_admin: policy::role_allows(s.user.role, Action::ManageUsers),
                csrf: s.csrf.clone().unwrap_or_default(),
                flash: s.flash.clone(),
            },
            None => Chrome::signed_out(area),
        }
    }
}

/// Redirects with a message shown once on the next page.
pub fn redirect_with_flash(st: &AppState, to: &str, message: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        session::flash_cookie(message, st.config.secure_cookies),
    );
    r
}

#[derive(Deserialize)]
pub struct DateQuery {
    ngay: Option<String>,
}

fn parse_date(q: Option<&str>) -> Result<Date, WebError> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today_vn()),
        Some(s) => VnDate::parse(s)
            .map(|d| d.0)
            .map_err(|e| WebError::BadRequest(e.to_string())),
    }
}

fn parse_id(id: &str) -> Result<UnitId, WebError> {
    id.parse()
        .map(UnitId)
        .map_err(|_| WebError::NotFound("Đường dẫn không trỏ tới đơn vị nào.".into()))
}

/// Refuses unless the policy allows `action` on unit `id`; a missing unit is 404.
/// The policy for a system-wide action (administration).
pub async fn guard_system(st: &AppState, s: &Session, action: Action) -> Result<(), WebError> {
    auth::may_on_system(&st.store, &s.user, action, today_vn())
        .await?
        .map_err(WebError::from)
}

pub async fn guard_unit(
    st: &AppState,
    s: &Session,
    action: Action,
    id: UnitId,
) -> Result<(), WebError> {
    match auth::may_on_unit(&st.store, &s.user, action, id, today_vn()).await? {
        None => Err(WebError::NotFound("Không có đơn vị này.".into())),
        Some(Err(denied)) => Err(denied.into()),
        Some(Ok(())) => Ok(()),
    }
}

/// A line of a list: a link with a short note.
pub struct Line {
    pub href: String,
    pub name: String,
    pub code: String,
    pub kind: String,
    pub note: String,
}

fn unit_href(id: UnitId, date: Date) -> String {
    format!("/to-chuc/{}?ngay={}", id.0, VnDate(date).iso())
}

fn line(u: &UnitRow, date: Date, note: String) -> Line {
    Line {
        href: unit_href(u.id, date),
        name: u.name.clone(),
        code: u.code.clone(),
        kind: u
            .admin_type
            .clone()
            .unwrap_or_else(|| u.kind.label().to_owned()),
        note,
    }
}

fn code_list_label(l: CodeList) -> &'static str {
    match l {
        CodeList::Legacy => "danh mục trước 01/07/2025",
        CodeList::Y2025 => "danh mục từ 01/07/2025",
        CodeList::Local => "mã tổ chức",
    }
}

fn event_note(l: &EventLink) -> String {
    let mut s = format!(
        "{} ngày {}",
        l.kind.label().to_lowercase(),
        VnDate(l.effective)
    );
    if l.partial {
        s.push_str(", một phần");
    }
    s
}

// ---------------------------------------------------------------- home

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    full_name: String,
    role: &'static str,
    units: Vec<Line>,
    todo: Vec<crate::movements::Todo>,
}

pub async fn home(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    let today = today_vn();
    let actor = auth::actor(&st.store, &s.user, today).await?;
    let mut units = Vec::new();
    for id in &actor.scope_roots {
        if let Some(u) = st.store.unit(*id, today).await? {
            units.push(line(&u, today, String::new()));
        }
    }
    let todo = crate::movements::todo(&st, &actor).await?;
    Ok(HomePage {
        chrome: Chrome::new("", Some(&s)),
        full_name: s.user.full_name.clone(),
        role: s.user.role.label(),
        units,
        todo,
    }
    .into_response())
}

// ---------------------------------------------------------------- login

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    login: String,
    csrf: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    tiep: Option<String>,
}

/// Only a local path may follow a login (no open redirect).
/// Where to go after logging in: a path of this site only. Browsers drop
/// tabs and line breaks from addresses and read a backslash as a slash, so
/// `/\t/evil.example` would become `//evil.example`, another site; any
/// white space, control character or backslash sends the user home
/// instead (and CR/LF can never reach the `Location` header). Letters
/// beyond ASCII are percent-encoded.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else {
        return "/".to_owned();
    };
    let plain = n.starts_with('/')
        && !n.starts_with("//")
        && !n
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !plain {
        return "/".to_owned();
    }
    let mut out = String::with_capacity(n.len());
    for c in n.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn login_page(
    st: &AppState,
    status: StatusCode,
    next: String,
    login: String,
    error: Option<String>,
) -> Result<Response, WebError> {
    let csrf = auth::random_secret("")?;
    let mut r = (
        status,
        LoginPage {
            chrome: Chrome::new("", None),
            next,
            login,
            csrf: csrf.clone(),
            error,
        },
    )
        .into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, st.config.secure_cookies),
    );
    Ok(r)
}

pub async fn login_form(
    State(st): State<AppState>,
    MaybeSession(s): MaybeSession,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = safe_next(q.tiep.as_deref());
    if s.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    login_page(&st, StatusCode::OK, next, String::new(), None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn login(
    State(st): State<AppState>,
    headers: HeaderMap,
    session::ClientIp(ip): session::ClientIp,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    if !st.login_limiter.allow(ip.as_deref().unwrap_or("unknown")) {
        return Err(WebError::TooMany);
    }
    let expected = session::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !session::constant_time_eq(expected.as_bytes(), f.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    let next = safe_next(Some(&f.next));
    match auth::login(&st.store, &st.config.auth, &f.login, &f.password, ip).await? {
        Ok(new) => {
            let mut r = Redirect::to(&next).into_response();
            let h = r.headers_mut();
            h.append(
                header::SET_COOKIE,
                session::set_cookie(
                    SESSION_COOKIE,
                    &new.cookie,
                    new.max_age_seconds,
                    st.config.secure_cookies,
                ),
            );
            h.append(
                header::SET_COOKIE,
                session::set_cookie(LOGIN_CSRF_COOKIE, "", 0, st.config.secure_cookies),
            );
            Ok(r)
        }
        Err(e) => login_page(
            &st,
            StatusCode::UNAUTHORIZED,
            next,
            f.login,
            Some(e.to_string()),
        ),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

impl CsrfForm {
    pub fn token(&self) -> &str {
        &self.csrf
    }
}

pub async fn logout(
    State(st): State<AppState>,
    s: Session,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    if let Some(c) = &s.cookie {
        auth::logout(&st.store, &s.who(), c).await?;
    }
    let mut r = redirect_with_flash(&st, "/dang-nhap", "Bạn đã đăng xuất.");
    r.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(SESSION_COOKIE, "", 0, st.config.secure_cookies),
    );
    Ok(r)
}

// ---------------------------------------------------------------- password

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    error_current: Option<String>,
    error_new: Option<String>,
}

pub async fn password_form(s: Session) -> Result<Response, WebError> {
    Ok(PasswordPage {
        chrome: Chrome::new("", Some(&s)),
        error_current: None,
        error_new: None,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn password_change(
    State(st): State<AppState>,
    s: Session,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    let page = |c: Option<String>, n: Option<String>| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage {
                chrome: Chrome::new("", Some(&s)),
                error_current: c,
                error_new: n,
            },
        )
            .into_response()
    };
    if f.new != f.confirm {
        return Ok(page(None, Some("Mật khẩu nhập lại không khớp.".into())));
    }
    match auth::change_password(
        &st.store,
        &s.who(),
        s.user.id,
        &f.current,
        &f.new,
        s.cookie.as_deref(),
    )
    .await
    {
        Ok(()) => Ok(redirect_with_flash(&st, "/", "Đã đổi mật khẩu.")),
        Err(thidua_app::AppError::Password(auth::PasswordError::WrongCurrent)) => Ok(page(
            Some(auth::PasswordError::WrongCurrent.to_string()),
            None,
        )),
        Err(thidua_app::AppError::Password(e)) => Ok(page(None, Some(e.to_string()))),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- organisation

#[derive(Template, WebTemplate)]
#[template(path = "org_index.html")]
struct OrgIndex {
    chrome: Chrome,
    date_vn: String,
    date_iso: String,
    scoped: bool,
    provinces: Vec<Line>,
    others: Vec<Line>,
}

pub async fn org_index(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<DateQuery>,
) -> Result<Response, WebError> {
    let date = parse_date(q.ngay.as_deref())?;
    let actor = auth::actor(&st.store, &s.user, today_vn()).await?;
    let scoped = !policy::unscoped(s.user.role);
    let roots = if scoped {
        let mut v = Vec::new();
        for id in &actor.scope_roots {
            if let Some(u) = st.store.unit(*id, date).await? {
                v.push(u);
            }
        }
        v
    } else {
        st.store.roots_as_of(date).await?
    };
    let mut provinces = Vec::new();
    let mut others = Vec::new();
    for u in &roots {
        if u.kind == UnitKind::Province || scoped {
            let n = st.store.children_as_of(u.id, date).await?.len();
            provinces.push(line(u, date, format_int(n as i64)));
        } else {
            others.push(line(u, date, String::new()));
        }
    }
    Ok(OrgIndex {
        chrome: Chrome::new("to-chuc", Some(&s)),
        date_vn: VnDate(date).to_string(),
        date_iso: VnDate(date).iso(),
        scoped,
        provinces,
        others,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct CodeQuery {
    ma: Option<String>,
    ngay: Option<String>,
}

pub async fn org_by_code(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<CodeQuery>,
) -> Result<Response, WebError> {
    let date = parse_date(q.ngay.as_deref())?;
    let code = q.ma.unwrap_or_default();
    let code = code.trim();
    if code.is_empty() {
        return Err(WebError::BadRequest("Vui lòng nhập mã đơn vị.".into()));
    }
    match st.store.resolve_code(code, None, date).await? {
        Some(u) => {
            guard_unit(&st, &s, Action::ViewUnit, u.id).await?;
            Ok(Redirect::to(&unit_href(u.id, date)).into_response())
        }
        None => Err(WebError::NotFound(format!(
            "Không có đơn vị nào mang mã «{code}» vào ngày {}.",
            VnDate(date)
        ))),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "unit.html")]
struct UnitPage {
    chrome: Chrome,
    id: i64,
    name: String,
    self_href: String,
    date_vn: String,
    date_iso: String,
    code: String,
    code_list: &'static str,
    kind: &'static str,
    admin_type: Option<String>,
    period: String,
    valid_on_date: bool,
    can_create: bool,
    can_update: bool,
    /// Root first, for the breadcrumb.
    ancestors: Vec<Line>,
    /// Parent first.
    ancestors_up: Vec<Line>,
    children: Vec<Line>,
    predecessors: Vec<Line>,
    successors: Vec<Line>,
    became: Vec<Line>,
    people: Vec<Line>,
}

pub async fn org_unit(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<String>,
    Query(q): Query<DateQuery>,
) -> Result<Response, WebError> {
    let date = parse_date(q.ngay.as_deref())?;
    let id = parse_id(&id)?;
    // One look at the policy's inputs decides viewing and the action buttons.
    let (actor, object) = auth::unit_access(&st.store, &s.user, id, today_vn())
        .await?
        .ok_or_else(|| WebError::NotFound("Không có đơn vị này.".into()))?;
    authorize(&actor, Action::ViewUnit, &object)?;
    let view = org_view::by_id(&st.store, id, date)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có đơn vị này.".into()))?;
    let seen_on = if view.valid_on_date {
        date
    } else {
        view.unit.period.last_day().unwrap_or(date)
    };
    let ancestors_up: Vec<Line> = view
        .ancestors
        .iter()
        .map(|a| line(a, seen_on, String::new()))
        .collect();
    let people = st
        .store
        .people_in_unit(view.unit.id, seen_on)
        .await?
        .into_iter()
        .map(|(p, pos)| Line {
            href: String::new(),
            name: p.full_name,
            code: String::new(),
            kind: String::new(),
            note: pos.or(p.position).unwrap_or_default(),
        })
        .collect();
    let became = view
        .became
        .iter()
        .map(|b| {
            let path = b
                .ancestors
                .iter()
                .rev()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(" › ");
            let mut note = if path.is_empty() {
                String::new()
            } else {
                format!("thuộc {path}")
            };
            if b.link.partial {
                note.push_str(if note.is_empty() {
                    "một phần"
                } else {
                    "; một phần"
                });
            }
            line(&b.link.unit, date, note)
        })
        .collect();
    let live = view.unit.period.contains(today_vn());
    Ok(UnitPage {
        chrome: Chrome::new("to-chuc", Some(&s)),
        id: view.unit.id.0,
        name: view.unit.name.clone(),
        self_href: format!("/to-chuc/{}", view.unit.id.0),
        date_vn: VnDate(date).to_string(),
        date_iso: VnDate(date).iso(),
        code: view.unit.code.clone(),
        code_list: code_list_label(view.unit.code_list),
        kind: view.unit.kind.label(),
        admin_type: view.unit.admin_type.clone(),
        period: view.unit.period.to_string(),
        valid_on_date: view.valid_on_date,
        can_create: live && authorize(&actor, Action::CreateUnit, &object).is_ok(),
        can_update: live && authorize(&actor, Action::UpdateUnit, &object).is_ok(),
        ancestors: ancestors_up
            .iter()
            .rev()
            .map(|l| Line {
                href: l.href.clone(),
                name: l.name.clone(),
                code: l.code.clone(),
                kind: l.kind.clone(),
                note: String::new(),
            })
            .collect(),
        ancestors_up,
        children: view
            .children
            .iter()
            .map(|c| line(c, seen_on, String::new()))
            .collect(),
        predecessors: view
            .predecessors
            .iter()
            .map(|l| {
                line(
                    &l.unit,
                    l.effective.previous_day().unwrap_or(l.effective),
                    event_note(l),
                )
            })
            .collect(),
        successors: view
            .successors
            .iter()
            .map(|l| line(&l.unit, l.effective, event_note(l)))
            .collect(),
        became,
        people,
    }
    .into_response())
}

// ---------------------------------------------------------------- unit forms

/// The values and per-field messages of the new-unit form.
#[derive(Default, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Default)]
pub struct FieldErrors {
    code: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    valid_from: Option<String>,
}

impl FieldErrors {
    fn set(&mut self, field: &str, message: String) {
        match field {
            "code" => self.code = Some(message),
            "name" => self.name = Some(message),
            "kind" => self.kind = Some(message),
            _ => self.valid_from = Some(message),
        }
    }
}

pub struct KindOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "unit_new.html")]
struct UnitNewPage {
    chrome: Chrome,
    parent_id: i64,
    parent_name: String,
    form: UnitForm,
    kinds: Vec<KindOption>,
    errors: FieldErrors,
}

fn kind_options(parent: UnitKind, selected: &str) -> Vec<KindOption> {
    org_edit::kinds_under(parent)
        .into_iter()
        .map(|k| KindOption {
            value: k.as_str(),
            label: k.label(),
            selected: k.as_str() == selected,
        })
        .collect()
}

async fn live_unit(st: &AppState, id: UnitId) -> Result<UnitRow, WebError> {
    let today = today_vn();
    let u = st
        .store
        .unit(id, today)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có đơn vị này.".into()))?;
    if !u.period.contains(today) {
        return Err(WebError::BadRequest(
            "Đơn vị này không còn hiệu lực; không thể thay đổi.".into(),
        ));
    }
    Ok(u)
}

pub async fn unit_new_form(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    guard_unit(&st, &s, Action::CreateUnit, id).await?;
    let parent = live_unit(&st, id).await?;
    let form = UnitForm {
        valid_from: VnDate(today_vn()).to_string(),
        ..UnitForm::default()
    };
    Ok(UnitNewPage {
        chrome: Chrome::new("to-chuc", Some(&s)),
        parent_id: id.0,
        parent_name: parent.name,
        kinds: kind_options(parent.kind, ""),
        form,
        errors: FieldErrors::default(),
    }
    .into_response())
}

pub async fn unit_create(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<String>,
    Form(form): Form<UnitForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    let input = UnitInput {
        code: form.code.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        valid_from: form.valid_from.clone(),
    };
    let mut errors = FieldErrors::default();
    match org_edit::create_unit(&st.store, &s.user, &s.who(), id, &input, today_vn()).await {
        Ok(new_id) => {
            let msg = format!(
                "Đã thêm đơn vị «{}».",
                thidua_domain::text::normalize(&form.name)
            );
            return Ok(redirect_with_flash(
                &st,
                &format!("/to-chuc/{}", new_id.0),
                &msg,
            ));
        }
        Err(AppError::Fields(problems)) => {
            for p in problems {
                errors.set(p.field, p.message);
            }
        }
        Err(AppError::Store(thidua_store::StoreError::Conflict(m))) => errors.code = Some(m),
        Err(AppError::Invalid { field, message }) if field != "parent" => {
            errors.set(field, message)
        }
        Err(e) => return Err(e.into()),
    }
    let parent = live_unit(&st, id).await?;
    let kinds = kind_options(parent.kind, &form.kind);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        UnitNewPage {
            chrome: Chrome::new("to-chuc", Some(&s)),
            parent_id: id.0,
            parent_name: parent.name,
            kinds,
            form,
            errors,
        },
    )
        .into_response())
}

#[derive(Default, Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    date: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "unit_rename.html")]
struct UnitRenamePage {
    chrome: Chrome,
    id: i64,
    current: String,
    form: RenameForm,
    error_name: Option<String>,
    error_date: Option<String>,
}

pub async fn unit_rename_form(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    guard_unit(&st, &s, Action::UpdateUnit, id).await?;
    let u = live_unit(&st, id).await?;
    Ok(UnitRenamePage {
        chrome: Chrome::new("to-chuc", Some(&s)),
        id: id.0,
        form: RenameForm {
            name: u.name.clone(),
            date: VnDate(today_vn()).to_string(),
            csrf: String::new(),
        },
        current: u.name,
        error_name: None,
        error_date: None,
    }
    .into_response())
}

pub async fn unit_rename(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<String>,
    Form(form): Form<RenameForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    guard_unit(&st, &s, Action::UpdateUnit, id).await?;
    let u = live_unit(&st, id).await?;
    let mut error_name = None;
    let mut error_date = None;
    let date = VnDate::parse(&form.date)
        .map_err(|e| error_date = Some(e.to_string()))
        .ok();
    if let Some(date) = date {
        match thidua_app::org_edit::rename_unit(
            &st.store,
            &s.who(),
            id,
            &form.name,
            date.0,
            today_vn(),
        )
        .await
        {
            Ok(name) => {
                return Ok(redirect_with_flash(
                    &st,
                    &format!("/to-chuc/{}", id.0),
                    &format!("Đã đổi tên thành «{name}»."),
                ));
            }
            Err(thidua_app::AppError::Invalid { message, .. }) => error_name = Some(message),
            Err(thidua_app::AppError::Store(thidua_store::StoreError::Org(e))) => {
                error_date = Some(e.to_string())
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        UnitRenamePage {
            chrome: Chrome::new("to-chuc", Some(&s)),
            id: id.0,
            current: u.name,
            form,
            error_name,
            error_date,
        },
    )
        .into_response())
}

// ---------------------------------------------------------------- people

#[derive(Deserialize)]
pub struct PeopleQuery {
    q: Option<String>,
}

pub struct PersonLine {
    name: String,
    gender: &'static str,
    birth: String,
    ethnicity: String,
    position: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    query: String,
    people: Vec<PersonLine>,
}

/// The units a non-administrator may see people of: their scope's subtrees.
pub async fn scope_units(st: &AppState, s: &Session) -> Result<Option<Vec<UnitId>>, WebError> {
    if policy::unscoped(s.user.role) {
        return Ok(None);
    }
    let today = today_vn();
    let actor = auth::actor(&st.store, &s.user, today).await?;
    let mut ids = Vec::new();
    for root in actor.scope_roots {
        ids.push(root);
        ids.extend(
            st.store
                .subtree_as_of(root, today)
                .await?
                .into_iter()
                .map(|(u, _)| u.id),
        );
        // People who worked in the units this one was formed from.
        ids.extend(
            st.store
                .predecessors(root)
                .await?
                .into_iter()
                .map(|l| l.unit.id),
        );
    }
    Ok(Some(ids))
}

pub async fn people(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, WebError> {
    let query = q.q.unwrap_or_default().trim().to_owned();
    let people = if query.is_empty() {
        Vec::new()
    } else {
        let scope = scope_units(&st, &s).await?;
        st.store
            .search_people_in(&query, 200, scope.as_deref())
            .await?
            .into_iter()
            .map(|p| PersonLine {
                name: p.full_name,
                gender: p.gender.map(|g| g.label()).unwrap_or(""),
                birth: p
                    .birth_date
                    .map(|d| VnDate(d).to_string())
                    .unwrap_or_default(),
                ethnicity: p.ethnicity.unwrap_or_default(),
                position: p.position.unwrap_or_default(),
            })
            .collect()
    };
    Ok(PeoplePage {
        chrome: Chrome::new("ca-nhan", Some(&s)),
        query,
        people,
    }
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_dot_thousands() {
        assert_eq!(format_int(27247), "27.247");
        assert_eq!(format_int(905), "905");
        assert_eq!(format_int(-1234567), "-1.234.567");
    }

    #[test]
    fn only_local_paths_follow_a_login() {
        assert_eq!(safe_next(Some("/to-chuc/5")), "/to-chuc/5");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        // Issue 17, finding 9: what browsers strip or turn into a slash.
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(
            safe_next(Some("/so-khen-thuong?q=nguyễn")),
            "/so-khen-thuong?q=nguy%E1%BB%85n"
        );
    }
}
