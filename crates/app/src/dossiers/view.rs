//! A dossier as its page shows it: lines, passages, warnings.

use super::access::{council, procedure};
use crate::eligibility::StoredVerdict;
use crate::{AppError, AppResult};
use serde::Serialize;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{self as d, Deadline, DossierState, Passage};
use thidua_domain::eligibility::catalogue::{CatalogueEntry, Level, in_force};
use thidua_store::{DossierLineRow, DossierRow, Store, SubjectRef};
use time::Date;

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

pub async fn view(store: &Store, id: DossierId, today: Date) -> AppResult<DossierView> {
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
            award_name: award_name(&entries, line.code.as_str()),
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

/// The states a dossier passed through, each with its day: what the
/// procedure's clock is computed from.
pub fn passages(events: &[thidua_store::DossierEvent]) -> Vec<Passage> {
    events
        .iter()
        .filter_map(|e| {
            Some(Passage {
                on: e.on_day,
                to: e.to_state?,
            })
        })
        .collect()
}

pub(super) fn award_name(entries: &[&CatalogueEntry], code: &str) -> String {
    entries
        .iter()
        .find(|e| e.code.as_str() == code)
        .map_or_else(|| code.to_owned(), |e| e.name.clone())
}

pub(super) fn level_of(entries: &[&CatalogueEntry], code: &str) -> Option<Level> {
    entries
        .iter()
        .find(|e| e.code.as_str() == code)
        .map(|e| e.level)
}

pub(super) fn rank(l: Level) -> u8 {
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
    dossier: DossierId,
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
    let proposed_rank = level_of(entries, line.code.as_str()).map(rank);
    let reg = store.registry(line.subject).await?;
    let overlaps = |from: i32, to: i32| from <= line.period_to && line.period_from <= to;
    for a in reg.awards.iter().filter(|a| !a.revoked) {
        let (Some(from), Some(to)) = (a.period_from, a.period_to) else {
            continue;
        };
        let higher_or_same = a.code == line.code.as_str()
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
        if t.code == line.code.as_str() && overlaps(t.year, t.year) {
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
