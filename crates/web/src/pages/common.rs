//! What the pages share: the frame for a signed-in user, flashes, dates and
//! ids from the address, the scope guards.

use crate::chrome::{Chrome, today_vn};
use crate::session::{self, Session};
use crate::{AppState, WebError};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_app::auth;
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::{self, Action};
use time::Date;

/// Today in Vietnam (UTC+7): the default date of every as-of view.
impl Chrome {
    pub fn new(area: &'static str, s: Option<&Session>) -> Chrome {
        match s {
            Some(s) => Chrome {
                area,
                signed_in: true,
                user_name: s.user.full_name.clone(),
                role_label: s.user.role.label(),
                is_admin: policy::role_allows(s.user.role, Action::ManageUsers),
                csrf: s.csrf.clone().unwrap_or_default(),
                flash: s.flash.as_deref().map(crate::chrome::Flash::read),
                help: crate::guide::help_link(Some(s.user.role), area),
            },
            None => Chrome::signed_out(area),
        }
    }
}

/// Redirects with the reason nothing was written, shown once on the next
/// page as an error (red, announced to screen readers, kept in view).
pub fn redirect_with_error(st: &AppState, to: &str, message: &str) -> Response {
    redirect_with_flash(st, to, &format!("{}{message}", crate::chrome::ERROR_MARK))
}

/// Redirects with a message shown once on the next page.
pub fn redirect_with_flash(st: &AppState, to: &str, message: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        session::flash_cookie(message, st.config.secure_cookies),
    );
    r
}

#[derive(Deserialize)]
pub struct DateQuery {
    pub(super) ngay: Option<String>,
}

pub(super) fn parse_date(q: Option<&str>) -> Result<Date, WebError> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today_vn()),
        Some(s) => VnDate::parse(s)
            .map(|d| d.0)
            .map_err(|e| WebError::BadRequest(e.to_string())),
    }
}

pub(super) fn parse_id(id: &str) -> Result<UnitId, WebError> {
    id.parse()
        .map(UnitId)
        .map_err(|_| WebError::NotFound("Đường dẫn không trỏ tới đơn vị nào.".into()))
}

/// Refuses unless the policy allows `action` on unit `id`; a missing unit is 404.
/// The policy for a system-wide action (administration).
pub async fn guard_system(st: &AppState, s: &Session, action: Action) -> Result<(), WebError> {
    auth::may_on_system(&st.store, &s.user, action, today_vn())
        .await?
        .map_err(WebError::from)
}

pub async fn guard_unit(
    st: &AppState,
    s: &Session,
    action: Action,
    id: UnitId,
) -> Result<(), WebError> {
    match auth::may_on_unit(&st.store, &s.user, action, id, today_vn()).await? {
        None => Err(WebError::NotFound("Không có đơn vị này.".into())),
        Some(Err(denied)) => Err(denied.into()),
        Some(Ok(())) => Ok(()),
    }
}

/// The units a non-administrator may see people of: their scope's subtrees.
pub async fn scope_units(st: &AppState, s: &Session) -> Result<Option<Vec<UnitId>>, WebError> {
    if policy::unscoped(s.user.role) {
        return Ok(None);
    }
    let today = today_vn();
    let actor = auth::actor(&st.store, &s.user, today).await?;
    let mut ids = Vec::new();
    for root in actor.scope_roots {
        ids.push(root);
        ids.extend(
            st.store
                .subtree_as_of(root, today)
                .await?
                .into_iter()
                .map(|(u, _)| u.id),
        );
        // People who worked in the units this one was formed from.
        ids.extend(
            st.store
                .predecessors(root)
                .await?
                .into_iter()
                .map(|l| l.unit.id),
        );
    }
    Ok(Some(ids))
}
