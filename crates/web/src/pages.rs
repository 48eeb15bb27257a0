//! The pages: each handler turns query parameters into a view.

use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::org_view;
use thidua_domain::date::VnDate;
use thidua_domain::org::{CodeList, UnitId, UnitKind};
use thidua_store::{EventLink, UnitRow};
use time::{Date, OffsetDateTime, UtcOffset};

/// Today in Vietnam (UTC+7): the default date of every as-of view.
pub fn today_vn() -> Date {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
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

/// A line of a list: a link to a unit with a short note.
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

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    area: &'a str,
    heading: &'a str,
    message: &'a str,
}

pub fn error_page(heading: &str, message: &str) -> Response {
    ErrorPage {
        area: "",
        heading,
        message,
    }
    .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "org_index.html")]
struct OrgIndex {
    area: &'static str,
    date_vn: String,
    date_iso: String,
    provinces: Vec<Line>,
    others: Vec<Line>,
}

pub async fn org_index(
    State(st): State<AppState>,
    Query(q): Query<DateQuery>,
) -> Result<Response, WebError> {
    let date = parse_date(q.ngay.as_deref())?;
    let roots = st.store.roots_as_of(date).await?;
    let mut provinces = Vec::new();
    let mut others = Vec::new();
    for u in &roots {
        if u.kind == UnitKind::Province {
            let n = st.store.children_as_of(u.id, date).await?.len();
            provinces.push(line(u, date, n.to_string()));
        } else {
            others.push(line(u, date, String::new()));
        }
    }
    Ok(OrgIndex {
        area: "to-chuc",
        date_vn: VnDate(date).to_string(),
        date_iso: VnDate(date).iso(),
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
    Query(q): Query<CodeQuery>,
) -> Result<Response, WebError> {
    let date = parse_date(q.ngay.as_deref())?;
    let code = q.ma.unwrap_or_default();
    let code = code.trim();
    if code.is_empty() {
        return Err(WebError::BadRequest("Vui lòng nhập mã đơn vị.".into()));
    }
    match st.store.resolve_code(code, None, date).await? {
        Some(u) => Ok(Redirect::to(&unit_href(u.id, date)).into_response()),
        None => Err(WebError::NotFound(format!(
            "Không có đơn vị nào mang mã «{code}» vào ngày {}.",
            VnDate(date)
        ))),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "unit.html")]
struct UnitPage {
    area: &'static str,
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
    Path(id): Path<String>,
    Query(q): Query<DateQuery>,
) -> Result<Response, WebError> {
    let date = parse_date(q.ngay.as_deref())?;
    let id: i64 = id
        .parse()
        .map_err(|_| WebError::NotFound("Đường dẫn không trỏ tới đơn vị nào.".into()))?;
    let view = org_view::by_id(&st.store, UnitId(id), date)
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
    Ok(UnitPage {
        area: "to-chuc",
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
    area: &'static str,
    query: String,
    people: Vec<PersonLine>,
}

pub async fn people(
    State(st): State<AppState>,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, WebError> {
    let query = q.q.unwrap_or_default().trim().to_owned();
    let people = if query.is_empty() {
        Vec::new()
    } else {
        st.store
            .search_people(&query, 200)
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
        area: "ca-nhan",
        query,
        people,
    }
    .into_response())
}
