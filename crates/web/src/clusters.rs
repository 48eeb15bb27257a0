//! Khối, cụm thi đua pages: the year's blocks and clusters a user takes
//! part in, and a cluster's members, ranking with its chart, and the
//! user's own scores. Members see the ranking once the year is finalised;
//! the organising office sees it (provisional) while scoring goes on.

use crate::charts;
use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::clusters::{self as app, Stage};
use thidua_domain::cluster::{Points, leaders};

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    nam: String,
}

pub struct ClusterLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub members: usize,
    pub finalised: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "clusters.html")]
struct ListPage {
    chrome: Chrome,
    year: i32,
    clusters: Vec<ClusterLine>,
}

fn kind_label(kind: &str) -> &'static str {
    if kind == "block" { "Khối" } else { "Cụm" }
}

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let year = match q.nam.trim() {
        "" => today.year() - 1,
        t => t
            .parse()
            .ok()
            .filter(|y| (1945..=2100).contains(y))
            .ok_or_else(|| WebError::BadRequest(format!("«{t}» không phải là năm")))?,
    };
    let mut clusters = Vec::new();
    for row in st.store.clusters(Some(year)).await? {
        let view = app::load(&st.store, row.id).await?;
        if !app::access(&st.store, &s.user, today, &view).await?.sees() {
            continue;
        }
        clusters.push(ClusterLine {
            id: row.id,
            code: row.code.clone(),
            name: row.name.clone(),
            kind: kind_label(&row.kind),
            members: view.members.len(),
            finalised: row.finalised_at.is_some(),
        });
    }
    Ok(ListPage {
        chrome: Chrome::new("khoi-cum", Some(&s)),
        year,
        clusters,
    }
    .into_response())
}

pub struct MemberLine {
    pub name: String,
    pub role: &'static str,
}

pub struct RankRow {
    pub rank: usize,
    pub name: String,
    pub total: String,
    pub groups: Vec<String>,
    pub decided_by: String,
    pub stage: &'static str,
    pub flags: String,
}

pub struct OwnStage {
    pub stage: &'static str,
    pub total: String,
    pub version: i32,
    pub by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cluster.html")]
struct DetailPage {
    chrome: Chrome,
    name: String,
    code: String,
    year: i32,
    kind: &'static str,
    covenant: String,
    finalised: bool,
    members: Vec<MemberLine>,
    group_names: Vec<String>,
    show_ranking: bool,
    ranking: Vec<RankRow>,
    chart: String,
    proposed: Vec<String>,
    own_name: String,
    own: Vec<OwnStage>,
}

pub async fn detail(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let not_found = || WebError::NotFound(format!("khối, cụm #{id}"));
    let view = app::load(&st.store, id).await.map_err(|_| not_found())?;
    let access = app::access(&st.store, &s.user, today, &view).await?;
    if !access.sees() {
        return Err(not_found());
    }
    let finalised = view.row.finalised_at.is_some();
    let show_ranking = access.sees_ranking(finalised);
    let lines = if show_ranking {
        app::ranking(&st.store, id).await?
    } else {
        Vec::new()
    };
    let ranked: Vec<thidua_domain::cluster::Ranked<String>> = lines
        .iter()
        .map(|l| thidua_domain::cluster::Ranked {
            member: l.name.clone(),
            rank: l.rank,
            total: l.total,
            decided_by: None,
        })
        .collect();
    let proposed = if finalised {
        leaders(&ranked, view.row.flag_count.max(0) as usize, None)
    } else {
        Vec::new()
    };
    let chart = if lines.is_empty() {
        String::new()
    } else {
        charts::bars(
            &format!("Tổng điểm {} năm {}", view.row.name, view.row.year),
            &lines
                .iter()
                .map(|l| {
                    (
                        l.name.clone(),
                        l.total.0 as f64 / 100.0,
                        l.total.to_string(),
                    )
                })
                .collect::<Vec<_>>(),
            None,
        )
    };
    let own_name = access
        .member
        .and_then(|u| view.members.iter().find(|m| m.unit_id == u))
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let mut own = Vec::new();
    if let Some(u) = access.member {
        for sc in st.store.cluster_scores(id).await? {
            if sc.unit_id != u {
                continue;
            }
            if let Some(stage) = Stage::parse(&sc.stage) {
                own.push(OwnStage {
                    stage: stage.label(),
                    total: Points(sc.total).to_string(),
                    version: sc.version,
                    by: sc.created_by,
                });
            }
        }
    }
    let page = DetailPage {
        chrome: Chrome::new("khoi-cum", Some(&s)),
        name: view.row.name.clone(),
        code: view.row.code.clone(),
        year: view.row.year,
        kind: kind_label(&view.row.kind),
        covenant: view.row.covenant.clone(),
        finalised,
        members: view
            .members
            .iter()
            .map(|m| MemberLine {
                name: m.name.clone(),
                role: match m.role.as_str() {
                    "head" => "Trưởng khối, cụm",
                    "deputy" => "Phó khối, cụm",
                    _ => "Thành viên",
                },
            })
            .collect(),
        group_names: view
            .sheet
            .as_ref()
            .map(|(_, sh)| {
                sh.groups
                    .iter()
                    .map(|g| format!("{}. {}", g.code, g.name))
                    .collect()
            })
            .unwrap_or_default(),
        show_ranking,
        ranking: lines
            .iter()
            .map(|l| RankRow {
                rank: l.rank,
                name: l.name.clone(),
                total: l.total.to_string(),
                groups: l.groups.iter().map(|(_, p)| p.to_string()).collect(),
                decided_by: l.decided_by.clone().unwrap_or_default(),
                stage: l.stage.label(),
                flags: l
                    .disagreements
                    .iter()
                    .map(|(c, a, b)| format!("{c}: {a} / {b}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect(),
        chart,
        proposed,
        own_name,
        own,
    };
    Ok(page.into_response())
}
