//! A movement's dashboard: figures across the territory, as a page and a workbook.

use super::common::movement;
use super::files::attachment;
use crate::charts;
use crate::extract::Path;
use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::auth;
use thidua_app::report::{self, Boundaries, MovementReport};
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{self, Action, Denied};
use thidua_store::MovementRow;
use time::Date;

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
pub(super) struct DashboardPage {
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
        None => thidua_app::report::warm::default_as_of(&st.store, m, today).await?,
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
                // The unit itself (the report places it on the chosen map),
                // else as it stood on the map's day.
                let on_map = root_on_map(st, c, map_date).await?;
                for r in std::iter::once(c).chain(on_map) {
                    if crate::pages::guard_unit(st, s, Action::ViewUnit, r)
                        .await
                        .is_ok()
                    {
                        found = Some(r);
                        break;
                    }
                }
                if found.is_some() {
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
pub(super) async fn root_on_map(
    st: &AppState,
    unit: UnitId,
    day: Date,
) -> Result<Option<UnitId>, WebError> {
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
    // Read-only: a replica may answer (serve --db-replica).
    let st = st.reading().await;
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
    let (bar_svg, line_svg, chart_title) = chart_of(&r, chosen);
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
    let bytes = report::xlsx::report_xlsx(&r)?;
    Ok(attachment(
        &format!("bao-cao-{}-{}.xlsx", m.code, r.as_of.iso()),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

/// The chart of the chosen figure by unit (or, for many communes, by value
/// band) and over time, with its title.
fn chart_of(r: &thidua_app::report::MovementReport, chosen: usize) -> (String, String, String) {
    match r.figures.get(chosen) {
        Some(f) => {
            let title = format!("{} — {}", f.indicator_name, f.label);
            // Children that are the entering units themselves (communes on
            // today's map) are counted by value: a hundred 0/1 bars answer
            // nothing.
            let leaves = r
                .children
                .iter()
                .all(|c| c.figures.get(chosen).is_none_or(|cf| cf.total <= 1));
            let (bars, by) = if leaves && r.children.len() > 12 {
                let values: Vec<Option<f64>> = r
                    .children
                    .iter()
                    .map(|c| c.figures.get(chosen).and_then(|cf| cf.value))
                    .collect();
                (charts::bands(&values, "đơn vị"), "số đơn vị theo giá trị")
            } else {
                let bars = r
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
                (bars, "theo đơn vị")
            };
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
                    &format!("{title}, {by}"),
                    &bars,
                    share.then_some(100.0).filter(|_| by == "theo đơn vị"),
                ),
                charts::line(&format!("{title}, theo thời gian"), &points),
                title,
            )
        }
        None => (String::new(), String::new(), String::new()),
    }
}
