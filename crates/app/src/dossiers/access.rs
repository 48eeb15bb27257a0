//! Who may see and change a dossier, and the procedure's calendar.

use crate::auth;
use crate::invalid;
use crate::{AppError, AppResult};
use serde::Serialize;
use thidua_domain::calendar::WorkCalendar;
use thidua_domain::dossier::{DossierAction, DossierState, ProcedureParams, Side};
use thidua_domain::policy::{self, Action, Role};
use thidua_store::{DossierRow, Store, UserRow, Who};
use time::Date;

/// The calendar with the administrator's overrides, and the procedure's
/// figures with the administrator's settings.
pub async fn procedure(store: &Store) -> AppResult<(WorkCalendar, ProcedureParams)> {
    let calendar = WorkCalendar::new(store.calendar_overrides().await?);
    let mut params = ProcedureParams::default();
    for (k, v) in store.procedure_settings().await? {
        params.set(&k, u32::try_from(v).unwrap_or(0));
    }
    Ok((calendar, params))
}

/// Who acts, as whom, on which day: what every change needs.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub user: &'a UserRow,
    pub who: &'a Who,
    pub today: Date,
}

/// What a user may do with one dossier.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Access {
    pub view: bool,
    pub sides: Vec<Side>,
    pub vote: bool,
}

impl Access {
    pub fn has(&self, side: Side) -> bool {
        self.sides.contains(&side)
    }
}

/// Decides what `user` may do with `dossier`. A draft is the proposing
/// unit's own: other units never see it, and the province sees it only
/// once it is sent.
pub async fn access(
    store: &Store,
    user: &UserRow,
    dossier: &DossierRow,
    today: Date,
) -> AppResult<Access> {
    Accessor::new(store, user, today)
        .await?
        .access(store, dossier)
        .await
}

/// [`access`] for many dossiers of one user: the actor is read once and
/// each unit once, however many dossiers it proposed.
pub struct Accessor<'a> {
    user: &'a UserRow,
    actor: thidua_domain::policy::Actor,
    today: Date,
    units: std::collections::HashMap<i64, Option<thidua_domain::policy::Object>>,
}

impl<'a> Accessor<'a> {
    pub async fn new(store: &Store, user: &'a UserRow, today: Date) -> AppResult<Self> {
        Ok(Accessor {
            user,
            actor: auth::actor(store, user, today).await?,
            today,
            units: std::collections::HashMap::new(),
        })
    }

    pub async fn access(&mut self, store: &Store, dossier: &DossierRow) -> AppResult<Access> {
        let object = match self.units.get(&dossier.unit_id.0) {
            Some(o) => o.clone(),
            None => {
                let o = auth::unit_object(store, dossier.unit_id, self.today).await?;
                self.units.insert(dossier.unit_id.0, o.clone());
                o
            }
        };
        let Some(object) = object else {
            return Ok(Access::default());
        };
        let (actor, user) = (&self.actor, self.user);
        let allows = |a: Action| thidua_domain::policy::authorize(actor, a, &object).is_ok();
        let mut sides = Vec::new();
        for side in [Side::Proposer, Side::Appraiser, Side::Leader] {
            if allows(side.action()) {
                sides.push(side);
            }
        }
        let vote = allows(Action::VoteInCouncil);
        let never_sent = dossier.state == DossierState::Draft
            || (dossier.state == DossierState::Withdrawn && dossier.receipt_number.is_none() && {
                let events = store.dossier_events(dossier.id).await?;
                !events
                    .iter()
                    .any(|e| e.action == DossierAction::Submit.as_str())
            });
        if never_sent {
            // Only the proposing side, and of the province's officers only those
            // of the proposing unit itself.
            let own = policy::proposes_for(user.role, user.unit_id == Some(dossier.unit_id));
            let view = sides.contains(&Side::Proposer) && own;
            return Ok(Access {
                view,
                sides: if view { vec![Side::Proposer] } else { vec![] },
                vote: false,
            });
        }
        let view = !sides.is_empty() || vote || allows(Action::ViewUnit);
        Ok(Access { view, sides, vote })
    }
}

/// The council members of a dossier: active council accounts whose scope
/// covers the proposing unit.
pub async fn council(store: &Store, dossier: &DossierRow, today: Date) -> AppResult<Vec<UserRow>> {
    recipients(store, dossier, today, |role| {
        policy::told_of_work(role, Action::VoteInCouncil)
    })
    .await
}

/// Loads a dossier the user may see, or "not found" (never "forbidden":
/// another unit's draft does not exist for them).
pub async fn visible(
    store: &Store,
    user: &UserRow,
    id: i64,
    today: Date,
) -> AppResult<(DossierRow, Access)> {
    let not_found = || AppError::NotFound(format!("hồ sơ #{id}"));
    let dossier = store.dossier(id).await?.ok_or_else(not_found)?;
    let access = access(store, user, &dossier, today).await?;
    if !access.view {
        return Err(not_found());
    }
    Ok((dossier, access))
}

/// Requires the proposing side on a dossier the unit may still edit.
pub async fn editable(
    store: &Store,
    user: &UserRow,
    id: i64,
    today: Date,
) -> AppResult<DossierRow> {
    let (dossier, access) = visible(store, user, id, today).await?;
    if !access.has(Side::Proposer) {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    if !dossier.state.editable_by_proposer() {
        return Err(invalid(
            "state",
            format!(
                "Hồ sơ đang ở trạng thái «{}», đơn vị không sửa được",
                dossier.state.label()
            ),
        ));
    }
    Ok(dossier)
}

/// The active accounts of the given roles whose scope covers the dossier's
/// unit.
pub(super) async fn recipients(
    store: &Store,
    dossier: &DossierRow,
    today: Date,
    role_ok: impl Fn(Role) -> bool,
) -> AppResult<Vec<UserRow>> {
    let (users, _) = store.users_page("", None, "login", 0, 10_000).await?;
    let mut out = Vec::new();
    for u in users.into_iter().filter(|u| u.active && role_ok(u.role)) {
        if auth::may_on_unit(store, &u, Action::ViewUnit, dossier.unit_id, today)
            .await?
            .is_some_and(|r| r.is_ok())
        {
            out.push(u);
        }
    }
    Ok(out)
}
