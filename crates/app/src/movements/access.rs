//! Who may see and manage a movement. A draft is its authority's managers'
//! business until it is launched: the lists, the detail page and the API
//! ask here, so they cannot disagree (the lists once went by role and
//! showed other provinces' drafts, while the page went by scope).

use crate::{AppResult, auth};
use std::collections::HashMap;
use thidua_domain::movement::MovementStatus;
use thidua_domain::policy::{Action, Denied};
use thidua_store::{MovementRow, Store, UserRow};
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
    Ok(m.status != MovementStatus::Draft || may_manage(store, user, m, today).await?.is_ok())
}

/// The movements the user may see, each authority decided once.
pub async fn visible(store: &Store, user: &UserRow, today: Date) -> AppResult<Vec<MovementRow>> {
    let mut managed: HashMap<Option<i64>, bool> = HashMap::new();
    let mut out = Vec::new();
    for m in store.movements().await? {
        if m.status == MovementStatus::Draft {
            let key = m.authority.map(|u| u.0);
            let ok = match managed.get(&key) {
                Some(ok) => *ok,
                None => {
                    let ok = may_manage(store, user, &m, today).await?.is_ok();
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
    Ok(out)
}
