//! Who is told of a step, the to-do list and overdue reminders.

use super::access::{Accessor, procedure, told_of};
use super::view::passages;
use crate::AppResult;
use crate::invalid;
use serde::Serialize;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{self as d, DossierAction, DossierState, LineStatus, Side};
use thidua_store::{DossierRow, Notice, Store, UserRow, Who};
use time::Date;

/// The accounts told that the dossier now waits on `side`.
pub(super) async fn side_users(
    store: &Store,
    dossier: &DossierRow,
    today: Date,
    side: Side,
) -> AppResult<Vec<UserRow>> {
    told_of(store, dossier, today, side.action()).await
}

pub(super) fn notices(users: &[UserRow], kind: &'static str, message: &str) -> Vec<Notice> {
    users
        .iter()
        .map(|u| Notice {
            user_id: u.id,
            login: u.login.clone(),
            kind,
            message: message.to_owned(),
            dedup_key: None,
        })
        .collect()
}

/// One item of a person's "việc cần làm".
#[derive(Debug, Clone, Serialize)]
pub struct Todo {
    pub dossier_id: DossierId,
    pub title: String,
    pub unit_name: String,
    pub state: DossierState,
    pub what: String,
    pub since: Date,
    pub due: Option<Date>,
    pub overdue: bool,
}

/// What waits on `user`, oldest first.
pub async fn todo(store: &Store, user: &UserRow, today: Date) -> AppResult<Vec<Todo>> {
    let (calendar, params) = procedure(store).await?;
    let mut out = Vec::new();
    let mut accessor = Accessor::new(store, user, today).await?;
    for dossier in super::listing::open(store, user, today).await? {
        let access = accessor.access(store, &dossier).await?;
        let mut what = None;
        for a in d::steps_for(dossier.state, user.role) {
            let (_, sides) =
                d::next(dossier.state, a).map_err(|e| invalid("action", e.to_string()))?;
            if sides.iter().any(|s| access.has(*s))
                && !matches!(
                    a,
                    DossierAction::Withdraw | DossierAction::Reject | DossierAction::Return
                )
            {
                what = Some(a.label().to_owned());
                break;
            }
        }
        // The council cannot meet before the posting ends: say when it can.
        if dossier.state == DossierState::Posted
            && let Some(until) = dossier.posted_until
            && today < until
            && what.is_some()
        {
            what = Some(format!(
                "Chờ hết công khai ({}), rồi mở họp Hội đồng",
                thidua_domain::VnDate(until)
            ));
        }
        if dossier.state == DossierState::CouncilReview && access.vote {
            let votes = store.votes(dossier.id).await?;
            let lines = store.dossier_lines(dossier.id).await?;
            let open = lines
                .iter()
                .filter(|l| l.status == LineStatus::Proposed)
                .any(|l| {
                    !votes
                        .iter()
                        .any(|v| v.line_id == l.id && v.user_id == user.id)
                });
            if open {
                what = Some("Biểu quyết".to_owned());
            }
        }
        let Some(what) = what else { continue };
        let events = store.dossier_events(dossier.id).await?;
        let passages = passages(&events);
        let since = passages.last().map_or(today, |p| p.on);
        let dl = d::deadline(&passages, dossier.state, today, &calendar, &params);
        out.push(Todo {
            dossier_id: dossier.id,
            unit_name: store
                .unit(dossier.unit_id, today)
                .await?
                .map(|u| u.name)
                .unwrap_or_default(),
            title: dossier.title.clone(),
            state: dossier.state,
            what,
            since,
            due: dl.step_due,
            overdue: dl.step_overdue || dl.overdue,
        });
    }
    out.sort_by_key(|t| (t.since, t.dossier_id));
    Ok(out)
}

/// Tells those a late step waits on, once per step: run by `serve` every
/// hour and by `thidua dossier remind`.
/// How many dossiers sent upward are past a time limit today (the
/// operators' queue of overdue dossiers).
pub async fn overdue_count(store: &Store, today: Date) -> AppResult<usize> {
    let (calendar, params) = procedure(store).await?;
    let mut n = 0;
    for dossier in super::listing::sent_under_way(store).await? {
        let events = store.dossier_events(dossier.id).await?;
        let dl = d::deadline(&passages(&events), dossier.state, today, &calendar, &params);
        if dl.step_overdue || dl.overdue {
            n += 1;
        }
    }
    Ok(n)
}

pub async fn notify_overdue(store: &Store, today: Date) -> AppResult<usize> {
    let (calendar, params) = procedure(store).await?;
    let who = Who::system("overdue");
    let mut n = 0;
    for dossier in super::listing::sent_under_way(store).await? {
        let events = store.dossier_events(dossier.id).await?;
        let passages = passages(&events);
        let dl = d::deadline(&passages, dossier.state, today, &calendar, &params);
        if !(dl.step_overdue || dl.overdue) {
            continue;
        }
        let side = match dossier.state {
            DossierState::Returned => Side::Proposer,
            DossierState::PendingApproval | DossierState::Approved => Side::Leader,
            _ => Side::Appraiser,
        };
        let since = passages.last().map_or(today, |p| p.on);
        let message = format!(
            "Hồ sơ #{} «{}» quá hạn ở bước «{}» (từ {}).",
            dossier.id,
            dossier.title,
            dossier.state.label(),
            thidua_domain::VnDate(since)
        );
        let list: Vec<Notice> = side_users(store, &dossier, today, side)
            .await?
            .into_iter()
            .map(|u| Notice {
                user_id: u.id,
                login: u.login,
                kind: "overdue",
                message: message.clone(),
                dedup_key: Some(format!(
                    "overdue:{}:{}:{}",
                    dossier.id,
                    dossier.state.as_str(),
                    since
                )),
            })
            .collect();
        n += store.notify(&who, dossier.id, &list).await?;
    }
    Ok(n)
}
