//! The dossiers one account may see, asked of the database a page at a
//! time: the scope and the rule for unsent dossiers go into the query, and
//! the policy still confirms each row it returns.

use super::access::Accessor;
use crate::AppResult;
use thidua_domain::dossier::DossierState;
use thidua_domain::policy::{self, UnsentListed};
use thidua_store::{DossierListing, DossierRow, Store, UnsentInList, UserRow};
use time::Date;

/// One page of what `user` may see, newest first, and how many there are.
/// What a list of dossiers is narrowed to: states, a unit's subtree (as it
/// stands today and as it stood before the 2025 reform), a year of creation.
#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    pub states: Vec<DossierState>,
    pub unit: Option<thidua_domain::org::UnitId>,
    pub year: Option<i32>,
}

pub async fn list(
    store: &Store,
    user: &UserRow,
    today: Date,
    filter: &DossierFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<DossierRow>, i64)> {
    let mut accessor = Accessor::new(store, user, today).await?;
    let mut units = crate::registry::reader_scope(store, user, today).await?;
    if let Some(root) = filter.unit {
        let under = crate::registry::units_under_any_map(store, root).await?;
        units = Some(match units {
            Some(scope) => scope.into_iter().filter(|u| under.contains(u)).collect(),
            None => under,
        });
    }
    let unsent = match policy::unsent_listed(accessor.actor()) {
        UnsentListed::None => UnsentInList::None,
        UnsentListed::InScope => UnsentInList::All,
        UnsentListed::OfUnit(u) => UnsentInList::OfUnit(u),
    };
    let listing = DossierListing {
        units,
        unsent,
        states: filter.states.clone(),
        year: filter.year,
        offset: offset.max(0),
        limit: limit.clamp(0, 1000),
    };
    let (rows, total) = store.dossiers_page(&listing).await?;
    // The query draws the scope as the registry does (every unit that ever
    // stood under the account's units); the policy has the last word.
    let mut out = Vec::with_capacity(rows.len());
    for d in rows {
        if accessor.access(store, &d).await?.view {
            out.push(d);
        }
    }
    Ok((out, total))
}

fn under_way() -> Vec<DossierState> {
    DossierState::ALL
        .iter()
        .copied()
        .filter(|s| !s.is_final())
        .collect()
}

/// Every dossier sent upward and still under way, whoever proposed it:
/// what the overdue reminders look at.
pub(super) async fn sent_under_way(store: &Store) -> AppResult<Vec<DossierRow>> {
    let mut listing = DossierListing {
        units: None,
        unsent: UnsentInList::None,
        states: under_way(),
        year: None,
        offset: 0,
        limit: 1000,
    };
    let mut out = Vec::new();
    loop {
        let (page, total) = store.dossiers_page(&listing).await?;
        out.extend(page);
        listing.offset += listing.limit;
        if listing.offset >= total {
            return Ok(out);
        }
    }
}

/// Every dossier still under way that `user` may see (for the to-do list).
pub async fn open(store: &Store, user: &UserRow, today: Date) -> AppResult<Vec<DossierRow>> {
    let filter = DossierFilter {
        states: under_way(),
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let (page, total) = list(store, user, today, &filter, offset, 1000).await?;
        out.extend(page);
        offset += 1000;
        if offset >= total {
            return Ok(out);
        }
    }
}
