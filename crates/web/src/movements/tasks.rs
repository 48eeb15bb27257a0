//! The tasks a movement gives to bodies: shown on the movement's page,
//! given by its managers, reported on by each body.

use super::common::{d, may_manage, movement};
use crate::extract::{CheckedForm, Path};
use crate::pages::{redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::movements::Enterer;
use thidua_app::movements::tasks::{self, NewTask};
use thidua_app::people::{UnitChoice, day_field, staff_units, unit_for_code};
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_store::MovementRow;

pub struct TaskLine {
    pub id: i64,
    pub unit: String,
    pub content: String,
    pub due: String,
    pub report: Option<String>,
    pub may_report: bool,
}

/// The page's «Nhiệm vụ được giao» section.
pub struct TaskSection {
    pub lines: Vec<TaskLine>,
    pub may_assign: bool,
    pub units: Vec<UnitChoice>,
}

pub(super) async fn section(
    st: &AppState,
    s: &Session,
    m: &MovementRow,
) -> Result<TaskSection, WebError> {
    let today = today_vn();
    let mut lines = Vec::new();
    for t in st.store.movement_tasks(m.id).await? {
        let may_report = t.report.is_none()
            && matches!(
                thidua_app::auth::may_on_unit(
                    &st.store,
                    &s.user,
                    Action::ReportOnTask,
                    UnitId(t.unit_id),
                    today
                )
                .await?,
                Some(Ok(()))
            );
        lines.push(TaskLine {
            id: t.id,
            unit: t.unit_name,
            content: t.content,
            due: d(t.due_date),
            report: t.report,
            may_report,
        });
    }
    let may_assign = may_manage(st, s, m).await?.is_ok();
    let units = if may_assign {
        staff_units(&st.store, &s.user, today, 3000).await?
    } else {
        Vec::new()
    };
    Ok(TaskSection {
        lines,
        may_assign,
        units,
    })
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    due: String,
}

fn message(e: AppError) -> Result<String, WebError> {
    match e {
        AppError::Invalid { message, .. } => Ok(message),
        e => Err(e.into()),
    }
}

pub async fn assign(
    State(st): State<AppState>,
    Path(code): Path<String>,
    CheckedForm(s, f): CheckedForm<AssignForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let today = today_vn();
    let given = async {
        let due = match f.due.trim() {
            "" => None,
            d => Some(day_field("due", d)?),
        };
        let unit = unit_for_code(&st.store, &f.unit, today.min(m.end.unwrap_or(today))).await?;
        let task = NewTask {
            unit,
            content: f.content.clone(),
            due,
        };
        tasks::assign(
            &st.store,
            &s.who(),
            Enterer::User(&s.user),
            &m,
            &task,
            today,
        )
        .await
    }
    .await;
    let href = format!("/phong-trao/{}#nhiem-vu", m.code);
    match given {
        Ok(_) => Ok(redirect_with_flash(&st, &href, "Đã giao nhiệm vụ.")),
        Err(e) => Err(WebError::Unprocessable(message(e)?)),
    }
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    report: String,
}

pub async fn report(
    State(st): State<AppState>,
    Path((code, task)): Path<(String, i64)>,
    CheckedForm(s, f): CheckedForm<ReportForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    match tasks::report(&st.store, &s.who(), &s.user, task, &f.report, today_vn()).await {
        Ok(_) => Ok(redirect_with_flash(
            &st,
            &format!("/phong-trao/{}#nhiem-vu", m.code),
            "Đã gửi báo cáo kết quả thực hiện nhiệm vụ.",
        )),
        Err(e) => Err(WebError::Unprocessable(message(e)?)),
    }
}
