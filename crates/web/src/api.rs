//! The JSON API under `/api/v1`: what the pages do, for programs. Same
//! policy as the pages, typed errors `{"error": {"code", "message"}}`, and an
//! OpenAPI 3 document generated from these handlers at `/api/openapi.json`.

mod accounts;
mod common;
mod openapi;
mod routes;
mod units;

pub use crate::api_error::{ApiError, ErrorBody, ErrorDetail, ProblemDto};
pub use crate::extract::{ApiJson, ApiPath, ApiQuery};
pub use accounts::{
    AuditDto, AuditPage, AuditQuery, MeDto, NewTokenRequest, NewTokenResponse, NewUserRequest,
    UserDto, UsersPage, audit_list, me, token_create, token_revoke, user_create, users_list,
};
pub(crate) use common::guard_unit;
pub use common::{AsOfQuery, Created, PageQuery};
pub use openapi::{ApiDoc, document, openapi};
pub use routes::router;
pub use units::{
    EventDto, NewUnitRequest, PeopleQuery, PersonDto, RenameRequest, UnitDetail, UnitDto,
    UnitsPage, UnitsQuery, people, unit_create, unit_get, unit_rename, units_list,
};
