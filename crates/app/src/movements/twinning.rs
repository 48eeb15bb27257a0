//! Kết nghĩa — an agency twinned with a village or a household under a
//! movement, and what each visit or support brought.

use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::date::VnDate;
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::policy::Action;
use thidua_store::{Activity, MovementRow, NewPair, Store, UnitRow, UserRow, Who};
use time::Date;

async fn may_enter(store: &Store, user: &UserRow, unit: UnitId, today: Date) -> AppResult<()> {
    auth::may_on_unit(store, user, Action::EnterValues, unit, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", unit.0)))?
        .map_err(AppError::Denied)
}

/// A pair as typed: the agency's code, and a village's code or a
/// household's name, from a day.
#[derive(Debug, Clone, Default)]
pub struct PairInput {
    pub org: String,
    pub village: String,
    pub household: String,
    pub since: String,
}

async fn unit_on(store: &Store, code: &str, day: Date) -> AppResult<UnitRow> {
    store
        .resolve_code(code.trim(), None, day)
        .await?
        .filter(|u| u.period.contains(day))
        .ok_or_else(|| {
            invalid(
                "unit",
                format!(
                    "Không có đơn vị mã «{}» vào ngày {}.",
                    code.trim(),
                    VnDate(day)
                ),
            )
        })
}

/// Records a pair for an agency the user enters values for; returns the
/// agency's name.
pub async fn add_pair(
    store: &Store,
    user: &UserRow,
    who: &Who,
    m: &MovementRow,
    p: &PairInput,
    today: Date,
) -> AppResult<String> {
    if !m.status.accepts_values() {
        return Err(invalid(
            "status",
            format!("Phong trào đang «{}».", m.status.label()),
        ));
    }
    let since = VnDate::parse(&p.since)
        .map_err(|e| invalid("since", format!("Ngày kết nghĩa: {e}")))?
        .0;
    let org = unit_on(store, &p.org, since).await?;
    may_enter(store, user, org.id, today).await?;
    let (village, household) = match (p.village.trim(), p.household.trim()) {
        ("", "") => {
            return Err(invalid(
                "village",
                "Cần mã thôn, bon, buôn hoặc tên hộ được giúp đỡ.",
            ));
        }
        ("", h) => (None, Some(thidua_domain::text::normalize(h))),
        (v, _) => {
            let v = unit_on(store, v, since).await?;
            if v.kind != UnitKind::Village {
                return Err(invalid(
                    "village",
                    format!("{} không phải là thôn, bon, buôn.", v.name),
                ));
            }
            (Some(v.id), None)
        }
    };
    store
        .add_twinning_pair(
            who,
            m.id,
            &NewPair {
                org: org.id,
                village,
                household,
                since,
                note: None,
            },
        )
        .await?;
    Ok(org.name)
}

/// An activity as typed: its day and whole numbers (empty for none).
#[derive(Debug, Clone, Default)]
pub struct ActivityInput {
    pub held_on: String,
    pub visits: String,
    pub people: String,
    pub money: String,
    pub in_kind: String,
    pub built: String,
    pub repaired: String,
}

fn whole(label: &str, v: &str) -> AppResult<i64> {
    if v.trim().is_empty() {
        return Ok(0);
    }
    let n = thidua_domain::number::parse_vi(v)
        .map_err(|e| invalid("activity", format!("{label}: {e}")))?;
    if n < 0.0 || n.fract() != 0.0 {
        return Err(invalid(
            "activity",
            format!("{label}: cần số nguyên không âm."),
        ));
    }
    Ok(n as i64)
}

/// Records what a visit or support of a pair brought, between the day
/// of the pairing and today.
pub async fn add_activity(
    store: &Store,
    user: &UserRow,
    who: &Who,
    m: &MovementRow,
    pair: i64,
    a: &ActivityInput,
    today: Date,
) -> AppResult<()> {
    let p = store
        .twinning_pairs(m.id, Date::MAX)
        .await?
        .into_iter()
        .find(|p| p.id == pair)
        .ok_or_else(|| AppError::NotFound("cặp kết nghĩa này".into()))?;
    may_enter(store, user, UnitId(p.org_unit_id), today).await?;
    let held_on = VnDate::parse(&a.held_on)
        .map_err(|e| invalid("held_on", format!("Ngày: {e}")))?
        .0;
    if held_on < p.since || held_on > today {
        return Err(invalid(
            "held_on",
            "Ngày hoạt động phải từ ngày kết nghĩa đến hôm nay.",
        ));
    }
    let activity = Activity {
        held_on: Some(held_on),
        visits: whole("Lượt thăm hỏi", &a.visits)?,
        people: whole("Số người được hỗ trợ", &a.people)?,
        money_vnd: whole("Tiền (đồng)", &a.money)? as f64,
        in_kind_vnd: whole("Hiện vật (đồng)", &a.in_kind)? as f64,
        houses_built: whole("Nhà xây mới", &a.built)?,
        houses_repaired: whole("Nhà sửa chữa", &a.repaired)?,
    };
    store.add_twinning_activity(who, pair, &activity).await?;
    Ok(())
}
