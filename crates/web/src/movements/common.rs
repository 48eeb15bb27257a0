//! What the movement pages share: loading a movement the user may see.

use crate::pages::today_vn;
use crate::session::Session;
use crate::{AppState, WebError};
use thidua_app::movements::{self as app_mv};
use thidua_domain::date::VnDate;
use thidua_domain::movement::MovementCode;
use thidua_domain::policy::{self, Action, Denied};
use thidua_store::MovementRow;
use time::Date;

pub(super) fn d(date: Option<Date>) -> String {
    date.map(|d| VnDate(d).to_string()).unwrap_or_default()
}

pub(crate) async fn movement(
    st: &AppState,
    s: &Session,
    code: &str,
) -> Result<MovementRow, WebError> {
    let not_found = || WebError::NotFound(format!("Không có phong trào mã «{code}»."));
    let c = MovementCode::parse(code).map_err(|_| not_found())?;
    let m = st.store.movement_by_code(&c).await?.ok_or_else(not_found)?;
    if !app_mv::access::may_see(&st.store, &s.user, &m, today_vn()).await? {
        return Err(not_found());
    }
    Ok(m)
}

/// May the user create, launch and review this movement?
pub(super) async fn may_manage(
    st: &AppState,
    s: &Session,
    m: &MovementRow,
) -> Result<Result<(), Denied>, WebError> {
    Ok(app_mv::access::may_manage(&st.store, &s.user, m, today_vn()).await?)
}

pub(super) fn movement_href(m: &MovementRow) -> String {
    format!("/phong-trao/{}", m.code)
}

pub(super) fn require_officer(s: &Session) -> Result<(), WebError> {
    if policy::role_allows(s.user.role, Action::ManageMovements) {
        Ok(())
    } else {
        Err(Denied::Role.into())
    }
}
