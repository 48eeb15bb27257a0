//! What a finalised khối or cụm thi đua tells the eligibility engine about
//! one of its members: its rank, whether it leads, whether the members'
//! vote was minuted.

use crate::AppResult;
use crate::clusters;
use thidua_domain::eligibility::request::{ClusterOrganiser, ClusterResult};
use thidua_domain::org::UnitId;
use thidua_store::Store;

/// The engine's view of a unit's cluster years: only finalised clusters
/// count; a provisional ranking proves nothing.
pub async fn results_of_unit(store: &Store, unit: UnitId) -> AppResult<Vec<ClusterResult>> {
    let mut out = Vec::new();
    for c in store.clusters_of_unit(unit).await? {
        if c.finalised_at.is_none() {
            continue;
        }
        let lines = clusters::ranking(store, c.id).await?;
        let Some(line) = lines.iter().find(|l| l.unit_id == unit.0) else {
            continue;
        };
        let leader = leads(c.flag_count, line.rank);
        out.push(ClusterResult {
            year: c.year,
            rank: u32::try_from(line.rank).ok(),
            leader,
            cluster_type: Some(c.kind.slug().to_owned()),
            organised_by: Some(ClusterOrganiser::Tinh),
            // The minutes record the members' vote for the leaders only.
            voted: (leader && c.vote_minutes.is_some()).then_some(true),
        });
    }
    Ok(out)
}

/// Whether a place leads its cluster: within the cluster's flag count,
/// ties included. The one rule the pages, the proposals and the engine's
/// results share.
pub fn leads(flag_count: i32, rank: usize) -> bool {
    rank <= flag_count.max(0) as usize
}
