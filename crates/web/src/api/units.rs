//! The organisation over the API: units, their history, people.

use super::common::{AsOfQuery, Created, guard_unit, paging, parse_date, parse_id};
use crate::AppState;
use crate::api_error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::pages::{scope_units, today_vn};
use crate::session::ApiSession;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use thidua_app::{auth, org_view};
use thidua_domain::date::VnDate;
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::policy::{self, Action};
use thidua_store::{EventLink, UnitRow};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct UnitDto {
    pub id: i64,
    pub code: String,
    /// legacy (before 01/07/2025), 2025, or local (organisation codes).
    pub code_list: String,
    pub kind: String,
    pub admin_type: Option<String>,
    pub name: String,
    /// First day of validity (yyyy-mm-dd), absent if since before records.
    pub valid_from: Option<String>,
    /// First day no longer valid (yyyy-mm-dd), absent if still valid.
    pub valid_until: Option<String>,
}

impl From<&UnitRow> for UnitDto {
    fn from(u: &UnitRow) -> Self {
        UnitDto {
            id: u.id.0,
            code: u.code.clone(),
            code_list: u.code_list.as_str().into(),
            kind: u.kind.as_str().into(),
            admin_type: u.admin_type.clone(),
            name: u.name.clone(),
            valid_from: u.period.from.map(|d| VnDate(d).iso()),
            valid_until: u.period.until.map(|d| VnDate(d).iso()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventDto {
    pub event_id: i64,
    pub kind: String,
    pub effective: String,
    pub unit: UnitDto,
    pub partial: bool,
    pub primary: bool,
}

impl From<&EventLink> for EventDto {
    fn from(l: &EventLink) -> Self {
        EventDto {
            event_id: l.event_id,
            kind: l.kind.as_str().into(),
            effective: VnDate(l.effective).iso(),
            unit: (&l.unit).into(),
            partial: l.partial,
            primary: l.primary,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitDetail {
    pub as_of: String,
    pub unit: UnitDto,
    pub valid_on_date: bool,
    /// Parent first.
    pub ancestors: Vec<UnitDto>,
    pub children: Vec<UnitDto>,
    pub predecessors: Vec<EventDto>,
    pub successors: Vec<EventDto>,
    /// For an ended unit: what it is part of on `as_of`.
    pub became: Vec<EventDto>,
}

#[derive(Serialize, ToSchema)]
pub struct UnitsPage {
    pub items: Vec<UnitDto>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    pub id: i64,
    pub full_name: String,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub ethnicity: Option<String>,
    pub position: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewUnitRequest {
    pub parent_id: i64,
    /// Organisation code: letters, digits, `.`, `-`, `_`, with a letter.
    pub code: String,
    pub name: String,
    /// party_agency, state_agency, public_service, enterprise, association, armed_forces, village, commune.
    pub kind: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    pub valid_from: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct RenameRequest {
    pub name: String,
    /// dd/mm/yyyy or yyyy-mm-dd; default today.
    pub date: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct UnitsQuery {
    /// dd/mm/yyyy or yyyy-mm-dd; default today.
    pub as_of: Option<String>,
    /// Unit kind (province, district, commune, state_agency…).
    pub kind: Option<String>,
    /// Only the children of this unit id.
    pub parent: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
pub struct PeopleQuery {
    /// Name, with or without diacritics.
    pub q: String,
}

/// Units valid on a date, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(UnitsQuery),
    responses((status = 200, body = UnitsPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn units_list(
    State(st): State<AppState>,
    s: ApiSession,
    ApiQuery(q): ApiQuery<UnitsQuery>,
) -> Result<Json<UnitsPage>, ApiError> {
    let date = parse_date(q.as_of.as_deref())?;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(UnitKind::parse(k).map_err(|e| ApiError::Validation {
            field: "kind".into(),
            message: e.to_string(),
        })?),
        None => None,
    };
    let (page, per_page) = paging(q.page, q.per_page);
    let mut units: Vec<UnitRow> = if let Some(parent) = q.parent {
        guard_unit(&st, &s, Action::ViewUnit, UnitId(parent)).await?;
        st.store.children_as_of(UnitId(parent), date).await?
    } else if policy::unscoped(s.0.user.role) {
        st.store.units_as_of(date, kind).await?
    } else {
        let actor = auth::actor(&st.store, &s.0.user, today_vn()).await?;
        let mut v = Vec::new();
        for root in actor.scope_roots {
            if let Some(u) = st.store.unit(root, date).await?
                && u.period.contains(date)
            {
                v.push(u);
            }
            v.extend(
                st.store
                    .subtree_as_of(root, date)
                    .await?
                    .into_iter()
                    .map(|(u, _)| u),
            );
        }
        v
    };
    if let Some(k) = kind {
        units.retain(|u| u.kind == k);
    }
    let total = units.len() as i64;
    let items = units
        .iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .map(UnitDto::from)
        .collect();
    Ok(Json(UnitsPage {
        items,
        page,
        per_page,
        total,
    }))
}

/// One unit on a date: its chain, children, predecessors and successors.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path), AsOfQuery),
    responses((status = 200, body = UnitDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unit_get(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<AsOfQuery>,
) -> Result<Json<UnitDetail>, ApiError> {
    let id = UnitId(parse_id(&id)?);
    let date = parse_date(q.as_of.as_deref())?;
    guard_unit(&st, &s, Action::ViewUnit, id).await?;
    let v = org_view::by_id(&st.store, id, date)
        .await?
        .ok_or_else(|| ApiError::NotFound("đơn vị".into()))?;
    Ok(Json(UnitDetail {
        as_of: VnDate(date).iso(),
        unit: (&v.unit).into(),
        valid_on_date: v.valid_on_date,
        ancestors: v.ancestors.iter().map(UnitDto::from).collect(),
        children: v.children.iter().map(UnitDto::from).collect(),
        predecessors: v.predecessors.iter().map(EventDto::from).collect(),
        successors: v.successors.iter().map(EventDto::from).collect(),
        became: v.became.iter().map(|b| EventDto::from(&b.link)).collect(),
    }))
}

/// Adds a unit under a parent in the caller's scope.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = NewUnitRequest,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unit_create(
    State(st): State<AppState>,
    s: ApiSession,
    ApiJson(r): ApiJson<NewUnitRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let input = thidua_app::org_edit::UnitInput {
        code: r.code,
        name: r.name,
        kind: r.kind,
        valid_from: r.valid_from.unwrap_or_default(),
    };
    let id = thidua_app::org_edit::create_unit(
        &st.store,
        &s.0.user,
        &s.0.who(),
        UnitId(r.parent_id),
        &input,
        today_vn(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// Renames a unit from a date.
#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = RenameRequest,
    responses((status = 200, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unit_rename(
    State(st): State<AppState>,
    s: ApiSession,
    ApiPath(id): ApiPath<String>,
    ApiJson(r): ApiJson<RenameRequest>,
) -> Result<Json<Created>, ApiError> {
    let id = UnitId(parse_id(&id)?);
    guard_unit(&st, &s, Action::UpdateUnit, id).await?;
    let date = match r.date.as_deref() {
        Some(d) => {
            VnDate::parse(d)
                .map_err(|e| ApiError::Validation {
                    field: "date".into(),
                    message: e.to_string(),
                })?
                .0
        }
        None => today_vn(),
    };
    thidua_app::org_edit::rename_unit(&st.store, &s.0.who(), id, &r.name, date, today_vn()).await?;
    Ok(Json(Created { id: id.0 }))
}

/// People in the caller's scope whose names match, without diacritics.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(PeopleQuery),
    responses((status = 200, body = Vec<PersonDto>), (status = 401, body = ErrorBody)))]
pub async fn people(
    State(st): State<AppState>,
    s: ApiSession,
    ApiQuery(q): ApiQuery<PeopleQuery>,
) -> Result<Json<Vec<PersonDto>>, ApiError> {
    let scope = scope_units(&st, &s.0).await?;
    let rows = st
        .store
        .search_people_in(&q.q, 200, scope.as_deref())
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|p| PersonDto {
                id: p.id,
                full_name: p.full_name,
                gender: p.gender.map(|g| g.as_str().into()),
                birth_date: p.birth_date.map(|d| VnDate(d).iso()),
                ethnicity: p.ethnicity,
                position: p.position,
            })
            .collect(),
    ))
}
