//! Cờ thi đua from khối, cụm thi đua: what a finalised cluster tells the
//! eligibility engine, and the dossiers that propose its leaders.
//!
//! * Cờ thi đua của UBND tỉnh: the leaders of a finalised cluster (its
//!   `flag_count` first ranks, ties included) go into one dossier of the
//!   head unit, which proposes for the block (Trưởng khối tổng hợp hồ sơ).
//! * Cờ thi đua của Chính phủ: among the leaders of every finalised cluster
//!   the province organised that year, the best by share of their sheet's
//!   maximum go into one dossier of the province (UBND tỉnh trình Thủ
//!   tướng). Sheets differ between clusters, so raw totals do not compare.
//!
//! Either way the dossier is a draft in the ordinary workflow, each line
//! judged by the engine, which reads the cluster's result through
//! [`results_of_unit`]: leader or not, and whether the members' vote was
//! minuted (biên bản bình xét) when the office finalised.

pub use crate::cluster_results::{leads, results_of_unit};
use crate::clusters::{self, ClusterView, RankLine, may};
use crate::movements::Enterer;
use crate::{AppError, AppResult};
use serde::Serialize;
use thidua_domain::cluster::{ClusterKind, MemberRole};
use thidua_domain::dossier::DossierId;
use thidua_domain::eligibility::AwardCode;
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_store::{DossierHeader, FlagDossier, NewDossierLine, Store, SubjectRef, Who};
use time::Date;

fn invalid(message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field: "flag",
        message: message.into(),
    }
}

/// "khối" or "cụm", as a sentence says it.
pub fn kind_word(kind: ClusterKind) -> &'static str {
    kind.lower()
}

/// A leader line of a finalised cluster, with its share of the maximum.
#[derive(Debug, Clone, Serialize)]
pub struct Leader {
    pub cluster_id: i64,
    pub cluster_name: String,
    pub kind: ClusterKind,
    pub unit_id: i64,
    pub name: String,
    pub rank: usize,
    pub members: usize,
    pub total: String,
    /// Total over the sheet's maximum, in hundredths of a percent.
    pub share: i64,
}

/// The leaders of a finalised cluster, in rank order.
pub async fn leaders_of(store: &Store, c: &ClusterView) -> AppResult<Vec<Leader>> {
    if c.row.finalised_at.is_none() {
        return Ok(Vec::new());
    }
    let lines = clusters::ranking(store, c.row.id).await?;
    Ok(leaders_in(c, &lines))
}

/// The leaders among a cluster's ranking lines (already read), with their
/// share of the sheet's maximum; none before finalisation.
pub fn leaders_in(c: &ClusterView, lines: &[RankLine]) -> Vec<Leader> {
    if c.row.finalised_at.is_none() {
        return Vec::new();
    }
    let maximum = c.sheet.as_ref().map(|(_, s)| s.maximum().0).unwrap_or(0);
    lines
        .iter()
        .filter(|l| leads(c.row.flag_count, l.rank))
        .map(|l| Leader {
            cluster_id: c.row.id,
            cluster_name: c.row.name.clone(),
            kind: c.row.kind,
            unit_id: l.unit_id,
            name: l.name.clone(),
            rank: l.rank,
            members: lines.len(),
            total: l.total.to_string(),
            share: if maximum > 0 {
                l.total.0 * 10_000 / maximum
            } else {
                0
            },
        })
        .collect()
}

fn summary(l: &Leader, year: i32) -> String {
    format!(
        "Dẫn đầu {} năm {year}: hạng {}/{} với {} điểm.",
        l.cluster_name, l.rank, l.members, l.total
    )
}

/// Proposes a finalised cluster's leaders for the province's flag: one
/// draft dossier of the head unit, its lines judged. The head unit's
/// officers or the organising office may do it, once.
pub async fn propose_province_flag(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
) -> AppResult<DossierId> {
    let c = clusters::load(store, cluster).await?;
    let head = c
        .members
        .iter()
        .find(|m| m.role == MemberRole::Head)
        .ok_or_else(|| invalid("khối, cụm chưa có đơn vị trưởng"))?;
    let may = may(store, actor, Action::ProposeAwards, head.unit_id, today).await?
        || may(
            store,
            actor,
            Action::ManageClusters,
            c.row.authority_unit_id,
            today,
        )
        .await?;
    if !may {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    if c.row.finalised_at.is_none() {
        return Err(invalid(format!(
            "{} năm {} chưa chốt điểm: chưa đề nghị Cờ thi đua được",
            c.row.name, c.row.year
        )));
    }
    let leaders = leaders_of(store, &c).await?;
    if leaders.is_empty() {
        return Err(invalid(format!(
            "{} năm {} không đề nghị đơn vị nào (số đơn vị đề nghị Cờ là 0)",
            c.row.name, c.row.year
        )));
    }
    let code = AwardCode::CoThiDuaTinh.code();
    let header = DossierHeader {
        award_type: AwardType::Regular,
        movement_id: None,
        title: format!(
            "Đề nghị tặng Cờ thi đua của UBND tỉnh năm {} cho đơn vị dẫn đầu {}",
            c.row.year, c.row.name
        ),
        letter_number: None,
        letter_date: None,
        letter_signer: None,
    };
    let lines = leaders
        .iter()
        .map(|l| (c.row.id, line(l, code, c.row.year)))
        .collect();
    create(store, who, today, UnitId(head.unit_id), &header, lines).await
}

fn line(l: &Leader, code: &str, year: i32) -> NewDossierLine {
    NewDossierLine {
        subject: SubjectRef::Unit(UnitId(l.unit_id)),
        code: code.to_owned(),
        period_from: year,
        period_to: year,
        summary: summary(l, year),
        achievement: None,
    }
}

async fn create(
    store: &Store,
    who: &Who,
    today: Date,
    unit: UnitId,
    header: &DossierHeader,
    lines: Vec<(i64, NewDossierLine)>,
) -> AppResult<DossierId> {
    let id = store
        .create_flag_dossier(
            who,
            &FlagDossier {
                unit,
                header,
                today,
                lines,
            },
        )
        .await?;
    crate::dossiers::recheck(store, who, id, today).await?;
    Ok(id)
}

/// Proposes the best leaders of the province's finalised clusters of a
/// year for the Government's flag: one draft dossier of the province.
/// `count` is how many to put forward (the cap is unconfirmed, docs/law.md
/// §3.4, so the office chooses it).
pub async fn propose_government_flag(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    authority: UnitId,
    year: i32,
    count: usize,
) -> AppResult<DossierId> {
    if !may(store, actor, Action::ManageClusters, authority.0, today).await? {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    let candidates = government_candidates(store, authority, year).await?;
    if candidates.is_empty() {
        return Err(invalid(format!(
            "năm {year} chưa có khối, cụm nào chốt điểm để chọn đơn vị dẫn đầu"
        )));
    }
    if count == 0 {
        return Err(invalid("cần đề nghị ít nhất một đơn vị"));
    }
    let code = AwardCode::CoThiDuaChinhPhu.code();
    let header = DossierHeader {
        award_type: AwardType::Regular,
        movement_id: None,
        title: format!("Đề nghị tặng Cờ thi đua của Chính phủ năm {year}"),
        letter_number: None,
        letter_date: None,
        letter_signer: None,
    };
    let lines = candidates
        .iter()
        .take(count)
        .map(|l| (l.cluster_id, line(l, code, year)))
        .collect();
    create(store, who, today, authority, &header, lines).await
}

/// Every leader of the finalised clusters an authority organised in a
/// year, best first: by share of the sheet's maximum, then by rank, then
/// by name.
pub async fn government_candidates(
    store: &Store,
    authority: UnitId,
    year: i32,
) -> AppResult<Vec<Leader>> {
    let mut all = Vec::new();
    for row in store.clusters(Some(year)).await? {
        if row.authority_unit_id != authority.0 || row.finalised_at.is_none() {
            continue;
        }
        let c = clusters::load(store, row.id).await?;
        all.extend(leaders_of(store, &c).await?);
    }
    all.sort_by(|a, b| {
        b.share
            .cmp(&a.share)
            .then(a.rank.cmp(&b.rank))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(all)
}

#[cfg(test)]
mod tests;
