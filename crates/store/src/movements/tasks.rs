//! Nhiệm vụ được giao — the tasks a movement's plan gives to bodies, and
//! their reports.

use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::{StoreError, StoreResult, on_pool};
use serde::Serialize;
use serde_json::json;
use thidua_domain::org::UnitId;
use time::Date;

/// A task as lists and pages show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub movement_id: i64,
    pub movement_code: String,
    pub movement_name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub content: String,
    pub due_date: Option<Date>,
    pub report: Option<String>,
    pub reported_at: Option<String>,
    pub reported_by: Option<String>,
}

const TASK_COLS: &str = "t.id, t.movement_id, m.code as movement_code, m.name as movement_name, \
    t.unit_id, u.code as unit_code, u.name as unit_name, t.content, t.due_date, t.report, t.reported_at, t.reported_by \
    from movement_tasks t join movements m on m.id = t.movement_id join org_units u on u.id = t.unit_id";

impl crate::Store {
    pub async fn add_movement_task(
        &self,
        who: &Who,
        movement: i64,
        unit: UnitId,
        content: &str,
        due: Option<Date>,
    ) -> StoreResult<i64> {
        Ok(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into movement_tasks (movement_id, unit_id, content, due_date, created_at) \
                 values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(movement)
            .bind(unit.0)
            .bind(content)
            .bind(due)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("movement.task", "movement", movement).after(json!({
                    "task": id, "unit_id": unit.0, "content": content,
                    "due": due.map(|d| d.to_string()),
                }))
            );
            tx.commit().await?;
            id
        }))
    }

    pub async fn report_movement_task(
        &self,
        who: &Who,
        task: i64,
        report: &str,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query(
                "update movement_tasks set report = $1, reported_at = $2, reported_by = $3 where id = $4",
            )
            .bind(report)
            .bind(now())
            .bind(&who.login)
            .bind(task)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::NotFound(format!("nhiệm vụ #{task}")));
            }
            record!(
                tx,
                d,
                who,
                Change::new("movement.task_report", "movement_task", task)
                    .after(json!({ "report": report }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn movement_tasks(&self, movement: i64) -> StoreResult<Vec<TaskRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {TASK_COLS} where t.movement_id = $1 order by t.due_date, t.id"
            )))
            .bind(movement)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn movement_task(&self, task: i64) -> StoreResult<Option<TaskRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {TASK_COLS} where t.id = $1"
            )))
            .bind(task)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Tasks given to any of `units` that have no report yet, in movements
    /// launched (a draft's tasks are its managers' business).
    pub async fn open_tasks_of(&self, units: &[UnitId]) -> StoreResult<Vec<TaskRow>> {
        let ids: Vec<i64> = units.iter().map(|u| u.0).collect();
        let set = serde_json::to_string(&ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(on_pool!(self, |pool, d| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {TASK_COLS} where t.report is null and m.status <> 'draft' and t.unit_id in ({}) \
                 order by t.due_date, t.id",
                d.id_set("$1")
            )))
            .bind(set)
            .fetch_all(pool)
            .await?
        }))
    }
}
