//! The filters every list shares: a unit's subtree, typed by name or code,
//! and a year. Read once here so that each list says the same thing about
//! the same mistake.

use crate::AppState;
use crate::pages::today_vn;
use thidua_domain::org::UnitId;

/// A unit and a year, both optional, read from what the person typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnitYear {
    pub unit: Option<UnitId>,
    pub year: Option<i32>,
}

/// The unit and year a list's query names, or, in Vietnamese, why not.
pub async fn unit_and_year(st: &AppState, unit: &str, year: &str) -> Result<UnitYear, String> {
    let unit = match unit.trim() {
        "" => None,
        t => Some(
            thidua_app::org_view::pick_unit_any_map(&st.store, t, today_vn())
                .await
                .map_err(|e| match e {
                    thidua_app::AppError::Invalid { message, .. } => message,
                    other => other.to_string(),
                })?,
        ),
    };
    let year = match year.trim() {
        "" => None,
        y => Some(
            y.parse::<i32>()
                .ok()
                .filter(|y| (1945..=2100).contains(y))
                .ok_or_else(|| format!("năm «{y}» không hợp lệ"))?,
        ),
    };
    Ok(UnitYear { unit, year })
}

/// The page's words for a filter that could not be read.
pub fn sentence(e: &str) -> String {
    let mut s = thidua_domain::text::capitalize_first(e);
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

/// A status filter of two values besides «all» (empty): `Some(true)` for
/// `yes`, `Some(false)` for `no`, or why the value is not one of them.
pub fn two_states(value: &str, yes: &str, no: &str) -> Result<Option<bool>, String> {
    match value {
        "" => Ok(None),
        v if v == yes => Ok(Some(true)),
        v if v == no => Ok(Some(false)),
        other => Err(format!("trạng thái «{other}» không có")),
    }
}
