//! Who may see and manage a movement. A draft is its authority's managers'
//! business until it is launched: the lists, the detail page and the API
//! ask here, so they cannot disagree (the lists once went by role and
//! showed other provinces' drafts, while the page went by scope).

use crate::{AppResult, auth};
use std::collections::HashMap;
use thidua_domain::movement::MovementStatus;
use thidua_domain::policy::{self, Action, Denied, UnsentListed};
use thidua_store::{DraftsInList, MovementListing, MovementRow, Store, UserRow};
use time::Date;

/// May the user create, launch and review this movement (manage it for its
/// authority; a national movement is the administrator's)?
pub async fn may_manage(
    store: &Store,
    user: &UserRow,
    m: &MovementRow,
    today: Date,
) -> AppResult<Result<(), Denied>> {
    Ok(match m.authority {
        Some(u) => auth::may_on_unit(store, user, Action::ManageMovements, u, today)
            .await?
            .unwrap_or(Err(Denied::Scope)),
        None => auth::may_on_system(store, user, Action::ManageMovements, today).await?,
    })
}

/// Does the movement exist for the user?
pub async fn may_see(
    store: &Store,
    user: &UserRow,
    m: &MovementRow,
    today: Date,
) -> AppResult<bool> {
    if m.status != MovementStatus::Draft {
        // Launched: no need to ask the store who manages it.
        return Ok(policy::sees_movement(true, Ok(())));
    }
    Ok(policy::sees_movement(
        false,
        may_manage(store, user, m, today).await?,
    ))
}

/// What a list of movements is narrowed to.
#[derive(Debug, Clone, Copy, Default)]
pub struct MovementFilter {
    pub status: Option<MovementStatus>,
    /// Only movements launched by this unit or one under it (on either map).
    pub unit: Option<thidua_domain::org::UnitId>,
    /// Only movements running at some time during this year.
    pub year: Option<i32>,
}

/// One page of the movements the user may see, the latest started first,
/// and how many there are: the drafts rule and the scope go into the
/// query, and the policy confirms each draft it returns.
pub async fn list(
    store: &Store,
    user: &UserRow,
    today: Date,
    filter: &MovementFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<MovementRow>, i64)> {
    let actor = auth::actor(store, user, today).await?;
    let drafts = match policy::draft_movements_listed(&actor) {
        UnsentListed::None | UnsentListed::OfUnit(_) => DraftsInList::None,
        UnsentListed::InScope => match crate::registry::reader_scope(store, user, today).await? {
            None => DraftsInList::All,
            Some(units) => DraftsInList::OfAuthorities(units),
        },
    };
    let authorities = match filter.unit {
        Some(root) => Some(crate::registry::units_under_any_map(store, root).await?),
        None => None,
    };
    let listing = MovementListing {
        drafts,
        status: filter.status,
        authorities,
        year: filter.year,
        offset: offset.max(0),
        limit: limit.clamp(0, 1000),
    };
    let (rows, total) = store.movements_page(&listing).await?;
    let mut managed: HashMap<Option<i64>, bool> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        if m.status == MovementStatus::Draft {
            let key = m.authority.map(|u| u.0);
            let ok = match managed.get(&key) {
                Some(ok) => *ok,
                None => {
                    let ok = may_see(store, user, &m, today).await?;
                    managed.insert(key, ok);
                    ok
                }
            };
            if !ok {
                continue;
            }
        }
        out.push(m);
    }
    Ok((out, total))
}

/// Every movement the user may see (the API's list).
pub async fn visible(store: &Store, user: &UserRow, today: Date) -> AppResult<Vec<MovementRow>> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let (page, total) =
            list(store, user, today, &MovementFilter::default(), offset, 1000).await?;
        out.extend(page);
        offset += 1000;
        if offset >= total {
            return Ok(out);
        }
    }
}
