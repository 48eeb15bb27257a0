//! The movement work waiting for a user.

use crate::pages::today_vn;
use crate::{AppState, WebError};
use std::collections::{BTreeMap, HashMap};
use thidua_app::auth;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{Action, authorize};
use thidua_store::ValueStatus;

/// One line of "Việc cần làm" on the home page.
pub struct Todo {
    pub href: String,
    pub text: String,
}

/// Values waiting for the user: submitted ones they may approve, returned
/// ones they may correct, counted per movement.
pub async fn todo(
    st: &AppState,
    actor: &thidua_domain::policy::Actor,
) -> Result<Vec<Todo>, WebError> {
    let today = today_vn();
    let mut out = Vec::new();
    for (status, action, what, page) in [
        (
            ValueStatus::Submitted,
            Action::ApproveValues,
            "số liệu chờ bạn duyệt",
            "duyet",
        ),
        (
            ValueStatus::Returned,
            Action::EnterValues,
            "số liệu bị trả lại cần sửa",
            "nhap-lieu",
        ),
    ] {
        let mut per_movement: BTreeMap<i64, i64> = BTreeMap::new();
        let mut allowed: HashMap<i64, bool> = HashMap::new();
        for (movement, unit, n) in st.store.values_waiting(status).await? {
            if let std::collections::hash_map::Entry::Vacant(slot) = allowed.entry(unit) {
                let ok = match auth::unit_object(&st.store, UnitId(unit), today).await? {
                    Some(obj) => authorize(actor, action, &obj).is_ok(),
                    None => false,
                };
                slot.insert(ok);
            }
            if allowed.get(&unit) == Some(&true) {
                *per_movement.entry(movement).or_default() += n;
            }
        }
        for (movement, n) in per_movement {
            if let Some(m) = st.store.movement(movement).await? {
                out.push(Todo {
                    href: format!("/phong-trao/{}/{page}", m.code),
                    text: format!("{n} {what} — {}", m.name),
                });
            }
        }
    }
    Ok(out)
}
