//! Việc cần làm — the one list of what waits on a person: dossiers at a
//! step they take, votes they have not cast, indicator values to approve
//! or correct, movement tasks to report on. The home page and the to-do
//! page both render this list, so they can never disagree.

use crate::{AppResult, auth, dossiers, movements};
use std::collections::{BTreeMap, HashMap};
use thidua_domain::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{Action, Actor, authorize};
use thidua_store::{Store, UserRow, ValueStatus};
use time::Date;

/// What kind of work an item is, for the list's first column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaKind {
    /// Hồ sơ đề nghị khen thưởng.
    Dossier,
    /// Số liệu chỉ tiêu phong trào.
    Values,
    /// Nhiệm vụ được giao trong phong trào.
    Task,
}

impl AgendaKind {
    pub fn label(self) -> &'static str {
        match self {
            AgendaKind::Dossier => "Hồ sơ",
            AgendaKind::Values => "Số liệu",
            AgendaKind::Task => "Nhiệm vụ",
        }
    }
}

/// One thing waiting on the person.
#[derive(Debug, Clone)]
pub struct AgendaItem {
    pub kind: AgendaKind,
    pub href: String,
    pub title: String,
    pub unit: String,
    /// The step it is at, as the list shows it («Đang thẩm định»).
    pub step: String,
    /// What the person is to do («Biểu quyết», «Duyệt số liệu»).
    pub what: String,
    pub since: Option<Date>,
    pub due: Option<Date>,
    pub overdue: bool,
}

impl AgendaItem {
    pub fn since_vn(&self) -> String {
        self.since
            .map(|d| VnDate(d).to_string())
            .unwrap_or_default()
    }

    pub fn due_vn(&self) -> String {
        self.due.map(|d| VnDate(d).to_string()).unwrap_or_default()
    }
}

/// Everything waiting on `user` today: overdue first, then by due date,
/// then oldest first.
pub async fn agenda(store: &Store, user: &UserRow, today: Date) -> AppResult<Vec<AgendaItem>> {
    let mut out: Vec<AgendaItem> = dossiers::todo(store, user, today)
        .await?
        .into_iter()
        .map(|t| AgendaItem {
            kind: AgendaKind::Dossier,
            href: format!("/ho-so/{}", t.dossier_id),
            title: format!("#{} {}", t.dossier_id, t.title),
            unit: t.unit_name,
            step: t.state.label().to_owned(),
            what: t.what,
            since: Some(t.since),
            due: t.due,
            overdue: t.overdue,
        })
        .collect();
    let actor = auth::actor(store, user, today).await?;
    out.extend(values_waiting(store, &actor, today).await?);
    for t in movements::tasks::waiting_for(store, user, today).await? {
        out.push(AgendaItem {
            kind: AgendaKind::Task,
            href: format!("/phong-trao/{}#nhiem-vu-{}", t.movement_code, t.id),
            title: t.content,
            unit: t.unit_name,
            step: t.movement_name,
            what: "Báo cáo kết quả thực hiện".to_owned(),
            since: None,
            due: t.due_date,
            overdue: t.due_date.is_some_and(|d| d < today),
        });
    }
    out.sort_by_key(|i| (!i.overdue, i.due.is_none(), i.due, i.since));
    Ok(out)
}

/// Submitted values the person may approve and returned ones they may
/// correct, one item per movement.
async fn values_waiting(store: &Store, actor: &Actor, today: Date) -> AppResult<Vec<AgendaItem>> {
    let mut out = Vec::new();
    for (status, action, what, page) in [
        (
            ValueStatus::Submitted,
            Action::ApproveValues,
            "Duyệt số liệu",
            "duyet",
        ),
        (
            ValueStatus::Returned,
            Action::EnterValues,
            "Sửa số liệu bị trả lại",
            "nhap-lieu",
        ),
    ] {
        let mut per_movement: BTreeMap<i64, i64> = BTreeMap::new();
        let mut allowed: HashMap<i64, bool> = HashMap::new();
        for (movement, unit, n) in store.values_waiting(status).await? {
            if let std::collections::hash_map::Entry::Vacant(slot) = allowed.entry(unit) {
                let ok = match auth::unit_object(store, UnitId(unit), today).await? {
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
            if let Some(m) = store.movement(movement).await? {
                out.push(AgendaItem {
                    kind: AgendaKind::Values,
                    href: format!("/phong-trao/{}/{page}", m.code),
                    title: m.name,
                    unit: String::new(),
                    step: format!("{n} giá trị chỉ tiêu"),
                    what: what.to_owned(),
                    since: None,
                    due: None,
                    overdue: false,
                });
            }
        }
    }
    Ok(out)
}
