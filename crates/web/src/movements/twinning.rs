//! Twinning pairs (kết nghĩa) and their activities.

use super::common::movement;
use crate::extract::CheckedForm;
use crate::extract::Path;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use thidua_app::auth;
use thidua_app::movements::{self as app_mv};
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{self, Action, authorize};
use thidua_store::MovementRow;

pub struct PairLine {
    pub id: i64,
    pub kind: &'static str,
    pub org: String,
    pub partner: String,
    pub since: String,
    pub visits: i64,
    pub people: String,
    pub money: String,
    pub houses: String,
    /// Production support, models, households out of poverty, works.
    pub support: String,
    pub may_add: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "twinning.html")]
pub(super) struct TwinningPage {
    chrome: Chrome,
    m: MovementRow,
    pairs: Vec<PairLine>,
    may_pair: bool,
    kinds: Vec<(&'static str, &'static str)>,
}

/// Kết nghĩa: the movement's pairs that the user may see, with their totals.
pub async fn twinning(
    State(st): State<AppState>,
    s: Session,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let today = today_vn();
    let actor = auth::actor(&st.store, &s.user, today).await?;
    let mut pairs = Vec::new();
    let mut cache: HashMap<i64, (bool, bool)> = HashMap::new();
    for p in st.store.twinning_pairs(m.id, today).await? {
        if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(p.org_unit_id) {
            let obj = auth::unit_object(&st.store, UnitId(p.org_unit_id), today).await?;
            let see = obj
                .as_ref()
                .is_some_and(|o| authorize(&actor, Action::ViewUnit, o).is_ok());
            let add = obj
                .as_ref()
                .is_some_and(|o| authorize(&actor, Action::EnterValues, o).is_ok());
            slot.insert((see, add));
        }
        let (see, add) = cache.get(&p.org_unit_id).copied().unwrap_or_default();
        if !see {
            continue;
        }
        let name = |id: i64| {
            let st = st.clone();
            async move {
                Ok::<String, WebError>(
                    st.store
                        .unit(UnitId(id), today)
                        .await?
                        .map(|u| u.name)
                        .unwrap_or_default(),
                )
            }
        };
        let partner = match (p.village_unit_id, &p.household) {
            (Some(v), _) => name(v).await?,
            (None, Some(h)) => h.clone(),
            (None, None) => String::new(),
        };
        let n = |v: f64| thidua_domain::number::format_vi(v, 0);
        let helper = match p.person_id {
            Some(id) => st
                .store
                .person(id)
                .await?
                .map(|p| format!("{} — ", p.full_name))
                .unwrap_or_default(),
            None => String::new(),
        };
        pairs.push(PairLine {
            id: p.id,
            kind: p.kind.label(),
            org: format!("{helper}{}", name(p.org_unit_id).await?),
            partner,
            since: VnDate(p.since).to_string(),
            visits: p.visits,
            people: n(p.people as f64),
            money: thidua_domain::number::format_vnd(p.money_vnd + p.in_kind_vnd),
            houses: format!("{} / {}", p.houses_built, p.houses_repaired),
            support: format!(
                "{} / {} / {} / {}",
                p.beneficiaries, p.production_models, p.households_out_of_poverty, p.works_built
            ),
            may_add: add,
        });
    }
    Ok(TwinningPage {
        chrome: Chrome::new("phong-trao", Some(&s)),
        may_pair: policy::role_allows(s.user.role, Action::EnterValues)
            && m.status.accepts_values(),
        m,
        pairs,
        kinds: thidua_domain::twinning::PairKind::ALL
            .into_iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PairForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    person: String,
    org: String,
    #[serde(default)]
    village: String,
    #[serde(default)]
    household: String,
    since: String,
}

pub async fn add_pair(
    State(st): State<AppState>,
    Path(code): Path<String>,
    CheckedForm(s, f): CheckedForm<PairForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let input = app_mv::twinning::PairInput {
        kind: f.kind,
        person: f.person,
        org: f.org,
        village: f.village,
        household: f.household,
        since: f.since,
    };
    let org =
        app_mv::twinning::add_pair(&st.store, &s.user, &s.who(), &m, &input, today_vn()).await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}/ket-nghia", m.code),
        &format!("Đã ghi cặp kết nghĩa của {org}."),
    ))
}

#[derive(Deserialize)]
pub struct ActivityForm {
    held_on: String,
    #[serde(default)]
    visits: String,
    #[serde(default)]
    people: String,
    #[serde(default)]
    money: String,
    #[serde(default)]
    in_kind: String,
    #[serde(default)]
    built: String,
    #[serde(default)]
    repaired: String,
    #[serde(default)]
    beneficiaries: String,
    #[serde(default)]
    models: String,
    #[serde(default)]
    out_of_poverty: String,
    #[serde(default)]
    works: String,
}

pub async fn add_activity(
    State(st): State<AppState>,
    Path((code, pair)): Path<(String, i64)>,
    CheckedForm(s, f): CheckedForm<ActivityForm>,
) -> Result<Response, WebError> {
    let m = movement(&st, &s, &code).await?;
    let input = app_mv::twinning::ActivityInput {
        held_on: f.held_on,
        visits: f.visits,
        people: f.people,
        money: f.money,
        in_kind: f.in_kind,
        built: f.built,
        repaired: f.repaired,
        beneficiaries: f.beneficiaries,
        models: f.models,
        out_of_poverty: f.out_of_poverty,
        works: f.works,
    };
    app_mv::twinning::add_activity(&st.store, &s.user, &s.who(), &m, pair, &input, today_vn())
        .await?;
    Ok(redirect_with_flash(
        &st,
        &format!("/phong-trao/{}/ket-nghia", m.code),
        "Đã ghi hoạt động kết nghĩa.",
    ))
}
