//! Lịch làm việc — the administrator's changes to the working-day calendar
//! (days off and make-up working days announced each year) and to the
//! procedure's deadlines and thresholds. The page and any other door share
//! these functions, so the checks are the same everywhere.

use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::calendar::Override;
use thidua_domain::date::VnDate;
use thidua_domain::dossier::ProcedureParams;
use thidua_domain::policy::Action;
use thidua_store::{Store, UserRow, Who};
use time::Date;

async fn may_manage(store: &Store, user: &UserRow, today: Date) -> AppResult<()> {
    auth::may_on_system(store, user, Action::ManageCalendar, today)
        .await?
        .map_err(AppError::Denied)
}

/// A day as typed (dd/mm/yyyy).
fn parse_day(raw: &str) -> AppResult<Date> {
    VnDate::parse(raw.trim())
        .map(|d| d.0)
        .map_err(|e| invalid("day", e.to_string()))
}

/// Makes the day typed a day off (`off`) or a working day, on the
/// strength of the announcement named in `basis`; returns the day.
pub async fn set_day(
    store: &Store,
    user: &UserRow,
    who: &Who,
    day: &str,
    off: bool,
    basis: &str,
    today: Date,
) -> AppResult<Date> {
    may_manage(store, user, today).await?;
    let day = parse_day(day)?;
    if basis.trim().is_empty() {
        return Err(invalid("name", "hãy ghi căn cứ (số thông báo, quyết định)"));
    }
    let o = Override {
        date: day,
        off,
        name: basis.trim().to_owned(),
    };
    store.set_calendar_override(who, &o).await?;
    Ok(day)
}

/// Returns the day typed to the ordinary calendar; returns the day.
pub async fn remove_day(
    store: &Store,
    user: &UserRow,
    who: &Who,
    day: &str,
    today: Date,
) -> AppResult<Date> {
    may_manage(store, user, today).await?;
    let day = parse_day(day)?;
    store.remove_calendar_override(who, day).await?;
    Ok(day)
}

/// Sets the procedure's limits from `key = days` pairs as typed; only
/// the keys the procedure knows, each from 0 to 365 days, and only those
/// that change are written.
pub async fn set_limits(
    store: &Store,
    user: &UserRow,
    who: &Who,
    typed: &[(String, String)],
    today: Date,
) -> AppResult<()> {
    may_manage(store, user, today).await?;
    let known = ProcedureParams::default();
    let mut changes = Vec::new();
    for (k, v) in typed {
        if known.limits.iter().all(|l| l.key != k) {
            return Err(invalid("limits", format!("không có tham số «{k}»")));
        }
        match v.trim().parse::<u32>() {
            Ok(n) if n <= 365 => changes.push((k.clone(), n)),
            _ => {
                return Err(invalid(
                    "limits",
                    format!("«{}» không phải số từ 0 đến 365", v.trim()),
                ));
            }
        }
    }
    let (_, current) = crate::dossiers::procedure(store).await?;
    changes.retain(|(k, n)| current.get(k) != *n);
    Ok(store.set_procedure_settings(who, &changes).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use thidua_store::engine_tests;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 05);

    engine_tests!(
        only_the_administrator_changes_the_calendar,
        |store| async move {
            let who = Who::system("test");
            crate::demo::seed(store, &who, &|_| {}).await.expect("demo");
            let user = |login: &'static str| async move {
                store
                    .user_for_login(login)
                    .await
                    .expect("user")
                    .expect(login)
                    .0
            };
            let (admin, hoa) = (user("admin").await, user("hoa.snv").await);
            let err = set_day(
                store,
                &hoa,
                &who,
                "02/01/2027",
                true,
                "Thông báo 1/TB",
                TODAY,
            )
            .await
            .unwrap_err();
            assert!(matches!(err, AppError::Denied(_)), "{err:?}");
            let err = set_day(
                store,
                &admin,
                &who,
                "31/02/2027",
                true,
                "Thông báo 1/TB",
                TODAY,
            )
            .await
            .unwrap_err();
            assert!(
                matches!(err, AppError::Invalid { field: "day", .. }),
                "{err:?}"
            );
            let err = set_day(store, &admin, &who, "02/01/2027", true, "  ", TODAY)
                .await
                .unwrap_err();
            assert!(
                matches!(err, AppError::Invalid { field: "name", .. }),
                "{err:?}"
            );
            let day = set_day(
                store,
                &admin,
                &who,
                "02/01/2027",
                true,
                "Thông báo 1/TB",
                TODAY,
            )
            .await
            .expect("set");
            assert_eq!(day, date!(2027 - 01 - 02));
            assert!(
                store
                    .calendar_overrides()
                    .await
                    .expect("days")
                    .iter()
                    .any(|o| o.date == day && o.off)
            );
            let err = set_limits(
                store,
                &admin,
                &who,
                &[("khong_co".into(), "3".into())],
                TODAY,
            )
            .await
            .unwrap_err();
            assert!(err.to_string().contains("không có tham số"), "{err}");
            remove_day(store, &admin, &who, "02/01/2027", TODAY)
                .await
                .expect("remove");
            assert!(
                !store
                    .calendar_overrides()
                    .await
                    .expect("days")
                    .iter()
                    .any(|o| o.date == day)
            );
        }
    );
}
