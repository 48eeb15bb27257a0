//! Khối, cụm thi đua pages: the year's blocks and clusters a user takes
//! part in, and a cluster's members, ranking with its chart, and the
//! user's own scores. Members see the ranking once the year is finalised;
//! the organising office sees it (provisional) while scoring goes on.

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
use thidua_app::clusters::{self as app};
use thidua_domain::cluster::{MemberRole, Points};
use thidua_domain::eligibility::AwardCode;

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
    government: Vec<GovernmentLine>,
    may_create: bool,
}

/// The office's choice for the Government's flag: the leaders of its
/// finalised clusters of the year, best first.
pub struct GovernmentLine {
    pub authority: i64,
    pub candidates: Vec<String>,
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
    let mut offices = std::collections::BTreeSet::new();
    for row in st.store.clusters(Some(year)).await? {
        let view = app::load(&st.store, row.id).await?;
        let access = app::access(&st.store, &s.user, today, &view).await?;
        if !access.sees() {
            continue;
        }
        if access.office && row.finalised_at.is_some() {
            offices.insert(row.authority_unit_id);
        }
        clusters.push(ClusterLine {
            id: row.id,
            code: row.code.clone(),
            name: row.name.clone(),
            kind: row.kind.label(),
            members: view.members.len(),
            finalised: row.finalised_at.is_some(),
        });
    }
    let mut government = Vec::new();
    for authority in offices {
        let candidates = thidua_app::cluster_flags::government_candidates(
            &st.store,
            thidua_domain::org::UnitId(authority),
            year,
        )
        .await?;
        government.push(GovernmentLine {
            authority,
            candidates: candidates
                .iter()
                .map(|l| {
                    format!(
                        "{} ({}, {} điểm, {} % điểm tối đa)",
                        l.name,
                        l.cluster_name,
                        l.total,
                        Points(l.share)
                    )
                })
                .collect(),
        });
    }
    Ok(ListPage {
        chrome: Chrome::new("khoi-cum", Some(&s)),
        year,
        clusters,
        government,
        may_create: thidua_domain::policy::role_allows(
            s.user.role,
            thidua_domain::policy::Action::ManageClusters,
        ),
    }
    .into_response())
}

pub struct MemberLine {
    pub unit_id: i64,
    pub name: String,
    pub role: &'static str,
    pub head: bool,
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
    cluster_id: i64,
    name: String,
    code: String,
    year: i32,
    kind: &'static str,
    covenant: String,
    regulation: String,
    former: Vec<String>,
    finalised: bool,
    members: Vec<MemberLine>,
    group_names: Vec<String>,
    show_ranking: bool,
    ranking: Vec<RankRow>,
    chart: String,
    proposed: Vec<String>,
    own_name: String,
    own: Vec<OwnStage>,
    tasks: Vec<Task>,
    office: bool,
    vote_minutes: String,
    can_propose: bool,
    proposals: Vec<ProposalLine>,
    corrections: Vec<Task>,
    has_sheet: bool,
    history_years: Vec<i32>,
    history: Vec<(String, Vec<String>)>,
}

/// A scoring the user may do: a link to its form.
pub struct Task {
    pub href: String,
    pub label: String,
}

pub struct ProposalLine {
    pub unit: String,
    pub code: String,
    pub award: &'static str,
    pub dossier_id: i64,
}

pub async fn detail(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (view, access) = crate::cluster_scoring::load(&st, &s, id).await?;
    let finalised = view.row.finalised_at.is_some();
    let show_ranking = access.sees_ranking(finalised);
    let lines = if show_ranking {
        app::ranking(&st.store, id).await?
    } else {
        Vec::new()
    };
    let proposed: Vec<String> = thidua_app::cluster_flags::leaders_in(&view, &lines)
        .into_iter()
        .map(|l| l.name)
        .collect();
    let chart = ranking_chart(&view, &lines);
    let own_name = access
        .member
        .and_then(|u| view.members.iter().find(|m| m.unit_id == u))
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let own = own_stages(&st, id, access.member).await?;
    let name_of = |unit: i64| {
        view.members
            .iter()
            .find(|m| m.unit_id == unit)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    let tasks = app::stages_for(access, &view)
        .into_iter()
        .map(|(unit, stage)| Task {
            href: format!("/khoi-cum/{id}/cham/{unit}/{}", stage.as_str()),
            label: format!("{}: {}", stage.label(), name_of(unit)),
        })
        .collect();
    let corrections = if finalised && access.office {
        view.members
            .iter()
            .map(|m| Task {
                href: format!("/khoi-cum/{id}/cham/{}/final", m.unit_id),
                label: format!("Sửa điểm chốt: {}", m.name),
            })
            .collect()
    } else {
        Vec::new()
    };
    let proposals: Vec<ProposalLine> = st
        .store
        .cluster_proposals(id)
        .await?
        .into_iter()
        .map(|p| ProposalLine {
            unit: name_of(p.unit_id),
            award: if p.award_code == AwardCode::CoThiDuaChinhPhu.code() {
                "Cờ thi đua của Chính phủ"
            } else {
                "Cờ thi đua của UBND tỉnh"
            },
            code: p.award_code,
            dossier_id: p.dossier_id,
        })
        .collect();
    let head = view
        .members
        .iter()
        .find(|m| m.role == MemberRole::Head)
        .map(|m| m.unit_id);
    let can_propose = finalised
        && !proposed.is_empty()
        && !proposals
            .iter()
            .any(|p| p.code == AwardCode::CoThiDuaTinh.code())
        && (access.office || (access.member.is_some() && access.member == head));
    let past = if show_ranking {
        thidua_app::cluster_reports::history(&st.store, &view).await?
    } else {
        thidua_app::cluster_reports::History {
            years: Vec::new(),
            rows: Vec::new(),
        }
    };
    let page = DetailPage {
        chrome: Chrome::new("khoi-cum", Some(&s)),
        cluster_id: id,
        name: view.row.name.clone(),
        code: view.row.code.clone(),
        year: view.row.year,
        kind: view.row.kind.label(),
        covenant: view.row.covenant.clone(),
        regulation: view.row.regulation.clone(),
        former: crate::cluster_admin::former_members(&st, id).await?,
        finalised,
        members: member_lines(&view),
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
        ranking: rank_rows(&lines),
        chart,
        proposed,
        own_name,
        own,
        tasks,
        office: access.office,
        vote_minutes: view.row.vote_minutes.clone().unwrap_or_default(),
        can_propose,
        proposals,
        corrections,
        has_sheet: view.sheet.is_some(),
        history_years: past.years.clone(),
        history: past
            .rows
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    r.places
                        .iter()
                        .map(|p| thidua_app::cluster_reports::place_text(*p))
                        .collect(),
                )
            })
            .collect(),
    };
    Ok(page.into_response())
}

/// The ranking as a bar chart of totals (nothing when there is no ranking).
fn ranking_chart(view: &app::ClusterView, lines: &[app::RankLine]) -> String {
    if lines.is_empty() {
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
    }
}

/// The members and their role in the cluster.
fn member_lines(view: &app::ClusterView) -> Vec<MemberLine> {
    view.members
        .iter()
        .map(|m| MemberLine {
            unit_id: m.unit_id,
            head: m.role == thidua_domain::cluster::MemberRole::Head,
            name: m.name.clone(),
            role: m.role.label(),
        })
        .collect()
}

/// The ranking's rows: totals per group, who decided, disagreements.
fn rank_rows(lines: &[app::RankLine]) -> Vec<RankRow> {
    lines
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
        .collect()
}

/// The scores a member unit has given itself, stage by stage.
async fn own_stages(
    st: &AppState,
    id: i64,
    member: Option<i64>,
) -> Result<Vec<OwnStage>, WebError> {
    let mut own = Vec::new();
    if let Some(u) = member {
        for sc in st.store.cluster_scores(id).await? {
            if sc.unit_id != u {
                continue;
            }
            own.push(OwnStage {
                stage: sc.stage.label(),
                total: Points(sc.total).to_string(),
                version: sc.version,
                by: sc.created_by,
            });
        }
    }
    Ok(own)
}
