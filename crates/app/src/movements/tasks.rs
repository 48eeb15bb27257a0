//! Nhiệm vụ được giao — a movement's plan gives tasks to the bodies that
//! carry it out ("giao Sở Nội vụ …"); each body sees its own on its home
//! page and reports on it.

use super::access::may_manage;
use super::values::Enterer;
use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{self, Action};
use thidua_store::{MovementRow, Store, TaskRow, UserRow, Who};
use time::Date;

/// Gives a task to a body: the movement's managers do, for a body that
/// exists today, with a due day inside the movement's period.
/// A task as given: to whom, what, by when.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub unit: UnitId,
    pub content: String,
    pub due: Option<Date>,
}

pub async fn assign(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    m: &MovementRow,
    task: &NewTask,
    today: Date,
) -> AppResult<i64> {
    let (unit, due) = (task.unit, task.due);
    if let Enterer::User(user) = actor {
        may_manage(store, user, m, today)
            .await?
            .map_err(AppError::Denied)?;
    }
    let content = thidua_domain::text::normalize(&task.content);
    if content.is_empty() {
        return Err(invalid("content", "Hãy ghi nội dung nhiệm vụ."));
    }
    if content.chars().count() > 2000 {
        return Err(invalid(
            "content",
            "Nội dung nhiệm vụ quá dài (tối đa 2.000 ký tự).",
        ));
    }
    if let Some(d) = due
        && (d < m.start || m.end.is_some_and(|e| d > e))
    {
        return Err(invalid(
            "due",
            format!("Hạn {} nằm ngoài thời gian của phong trào.", VnDate(d)),
        ));
    }
    let on = today.min(m.end.unwrap_or(today)).max(m.start);
    match store.unit(unit, on).await? {
        Some(u) if u.period.contains(on) => {}
        _ => {
            return Err(invalid(
                "unit",
                format!("Đơn vị này không tồn tại vào ngày {}.", VnDate(on)),
            ));
        }
    }
    Ok(store
        .add_movement_task(who, m.id, unit, &content, due)
        .await?)
}

/// The body's report on its task.
pub async fn report(
    store: &Store,
    who: &Who,
    user: &UserRow,
    task: i64,
    text: &str,
    today: Date,
) -> AppResult<TaskRow> {
    let t = store
        .movement_task(task)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("nhiệm vụ #{task}")))?;
    auth::may_on_unit(store, user, Action::ReportOnTask, UnitId(t.unit_id), today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("nhiệm vụ #{task}")))?
        .map_err(AppError::Denied)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid("report", "Hãy ghi kết quả thực hiện nhiệm vụ."));
    }
    store.report_movement_task(who, task, text).await?;
    Ok(t)
}

/// The tasks waiting on the user's own body (or what it became).
pub async fn waiting_for(store: &Store, user: &UserRow, today: Date) -> AppResult<Vec<TaskRow>> {
    if !policy::told_of_work(user.role, Action::ReportOnTask) {
        return Ok(Vec::new());
    }
    let actor = auth::actor(store, user, today).await?;
    Ok(store.open_tasks_of(&actor.scope_roots).await?)
}
