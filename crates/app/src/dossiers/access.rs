//! Who may see and change a dossier, and the procedure's calendar.

use crate::auth;
use crate::invalid;
use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::HashMap;
use thidua_domain::calendar::WorkCalendar;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierAction, DossierState, ProcedureParams, Side, TimelineEvent};
use thidua_domain::policy::{self, Action, Actor, DossierObject, Object};
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
pub struct Accessor {
    actor: Actor,
    today: Date,
    units: HashMap<i64, Option<Object>>,
}

impl Accessor {
    pub async fn new(store: &Store, user: &UserRow, today: Date) -> AppResult<Self> {
        Ok(Accessor {
            actor: auth::actor(store, user, today).await?,
            today,
            units: HashMap::new(),
        })
    }

    /// The account as the policy sees it.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub async fn access(&mut self, store: &Store, dossier: &DossierRow) -> AppResult<Access> {
        let Some(object) = self.object(store, dossier).await? else {
            return Ok(Access::default());
        };
        let rights = policy::dossier_rights(&self.actor, &object);
        Ok(Access {
            view: rights.view,
            sides: [Side::Proposer, Side::Appraiser, Side::Leader]
                .into_iter()
                .filter(|s| rights.act.contains(&s.action()))
                .collect(),
            vote: rights.vote,
        })
    }

    async fn object(
        &mut self,
        store: &Store,
        dossier: &DossierRow,
    ) -> AppResult<Option<DossierObject>> {
        let unit = match self.units.get(&dossier.unit_id.0) {
            Some(o) => o.clone(),
            None => {
                let o = auth::unit_object(store, dossier.unit_id, self.today).await?;
                self.units.insert(dossier.unit_id.0, o.clone());
                o
            }
        };
        let Some(unit) = unit else {
            return Ok(None);
        };
        Ok(Some(DossierObject {
            unit,
            sent: was_sent(store, dossier).await?,
        }))
    }
}

/// Whether a dossier ever went upward: not a draft, and not withdrawn
/// before it was first submitted.
async fn was_sent(store: &Store, dossier: &DossierRow) -> AppResult<bool> {
    Ok(match dossier.state {
        DossierState::Draft => false,
        DossierState::Withdrawn if dossier.receipt_number.is_none() => store
            .dossier_events(dossier.id)
            .await?
            .iter()
            .any(|e| e.action == TimelineEvent::Step(DossierAction::Submit)),
        _ => true,
    })
}

/// The dossier as the policy sees it, or `None` when its unit is unknown.
pub(super) async fn dossier_object(
    store: &Store,
    dossier: &DossierRow,
    today: Date,
) -> AppResult<Option<DossierObject>> {
    let Some(unit) = auth::unit_object(store, dossier.unit_id, today).await? else {
        return Ok(None);
    };
    Ok(Some(DossierObject {
        unit,
        sent: was_sent(store, dossier).await?,
    }))
}

/// The council members of a dossier: active council accounts whose scope
/// covers the proposing unit.
pub async fn council(store: &Store, dossier: &DossierRow, today: Date) -> AppResult<Vec<UserRow>> {
    told_of(store, dossier, today, Action::VoteInCouncil).await
}

/// Loads a dossier the user may see, or "not found" (never "forbidden":
/// another unit's draft does not exist for them).
pub async fn visible(
    store: &Store,
    user: &UserRow,
    id: DossierId,
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
    id: DossierId,
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

/// The active accounts told that `dossier` waits on `action`: the
/// candidates come from one query over the unit's chain, and the policy
/// decides each.
pub(super) async fn told_of(
    store: &Store,
    dossier: &DossierRow,
    today: Date,
    action: Action,
) -> AppResult<Vec<UserRow>> {
    let Some(object) = dossier_object(store, dossier, today).await? else {
        return Ok(Vec::new());
    };
    let chain = match &object.unit {
        Object::Unit { chain, .. } => chain.clone(),
        Object::System => Vec::new(),
    };
    let mut out = Vec::new();
    for u in store.accounts_over(&chain).await? {
        if !policy::told_of_work(u.role, action) {
            continue;
        }
        let actor = auth::actor(store, &u, today).await?;
        if policy::told_of_dossier_work(&actor, action, &object) {
            out.push(u);
        }
    }
    Ok(out)
}
