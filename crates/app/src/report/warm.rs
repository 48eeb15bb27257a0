//! The first view of a dashboard after start-up need not pay for
//! everything: the maps of today and of the eve of the 2025 reform, and
//! each running movement's dashboard as it opens (its launching body, on
//! both maps), are computed in the background when the server starts.

use super::cache::ReportCache;
use super::map::Boundaries;
use crate::AppResult;
use thidua_domain::movement::MovementStatus;
use thidua_store::{MovementRow, Store};
use time::Date;

/// The day a movement's dashboard opens on: today, unless the movement
/// has ended, or its launching body did (a movement of a province the
/// reform ended is read on the province's last day, where its figures are).
pub async fn default_as_of(store: &Store, m: &MovementRow, today: Date) -> AppResult<Date> {
    let body_end = match m.authority {
        Some(a) => store
            .unit(a, today)
            .await?
            .and_then(|u| u.period.until)
            .and_then(|d| d.previous_day()),
        None => None,
    };
    Ok(today
        .min(m.end.unwrap_or(Date::MAX))
        .min(body_end.unwrap_or(Date::MAX)))
}

impl ReportCache {
    /// Computes each launched movement's opening dashboards on both maps;
    /// returns how many reports are kept. A failure is the caller's to log:
    /// the dashboards then compute on first view, as they would anyway.
    pub async fn warm(&self, store: &Store, today: Date) -> AppResult<usize> {
        for m in store.movements().await? {
            if m.status == MovementStatus::Draft {
                continue;
            }
            let as_of = default_as_of(store, &m, today).await?;
            for b in [Boundaries::Current, Boundaries::Legacy] {
                self.report(store, &m, m.authority, as_of, Some(b), today)
                    .await?;
            }
        }
        Ok(self.len())
    }
}
