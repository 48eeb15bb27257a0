//! The organisation: the tree, a unit's page and its history.

use super::common::{DateQuery, guard_unit, parse_date, parse_id};
use crate::chrome::{Chrome, format_int, today_vn};
use crate::extract::Path;
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::{auth, org_view};
use thidua_domain::date::VnDate;
use thidua_domain::org::{CodeList, UnitId, UnitKind};
use thidua_domain::policy::{self, Action, authorize};
use thidua_store::{EventLink, UnitRow};
use time::Date;

/// A line of a list: a link with a short note.
pub struct Line {
    pub href: String,
    pub name: String,
    pub code: String,
    pub kind: String,
    pub note: String,
}

pub(super) fn unit_href(id: UnitId, date: Date) -> String {
    format!("/to-chuc/{}?ngay={}", id.0, VnDate(date).iso())
}

pub(super) fn line(u: &UnitRow, date: Date, note: String) -> Line {
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

pub(super) fn code_list_label(l: CodeList) -> &'static str {
    match l {
        CodeList::Legacy => "danh mục trước 01/07/2025",
        CodeList::Y2025 => "danh mục từ 01/07/2025",
        CodeList::Local => "mã tổ chức",
    }
}

pub(super) fn event_note(l: &EventLink) -> String {
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
#[template(path = "org_index.html")]
pub(super) struct OrgIndex {
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
pub(super) struct UnitPage {
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
    /// Whether the user records its head's awards (Giấy khen…).
    can_award: bool,
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
        can_award: live
            && view.unit.kind != thidua_domain::UnitKind::Village
            && authorize(&actor, Action::IssueUnitAwards, &object).is_ok(),
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

#[derive(serde::Deserialize)]
pub struct PickQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    ranh_gioi: String,
}

/// Suggestions for a unit field, by name without diacritics or by code,
/// for the picker script (`static/app.js`).
pub async fn unit_choices(
    State(st): State<AppState>,
    _s: Session,
    axum::extract::Query(q): axum::extract::Query<PickQuery>,
) -> Result<Response, WebError> {
    let found = match q.ranh_gioi.as_str() {
        "legacy" => {
            thidua_app::org_view::find_units(&st.store, &q.q, thidua_app::registry::LEGACY_DAY, 12)
                .await?
        }
        // A list's filter reads both maps.
        "ca-hai" => {
            thidua_app::org_view::find_units_any_map(&st.store, &q.q, today_vn(), 12).await?
        }
        _ => thidua_app::org_view::find_units(&st.store, &q.q, today_vn(), 12).await?,
    };
    Ok(axum::Json(found).into_response())
}
