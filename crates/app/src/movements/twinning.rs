//! Kết nghĩa — an agency twinned with a commune, a village or a household,
//! or a party member helping a household, under a movement; and what each
//! visit or support brought.

use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::date::VnDate;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_domain::twinning::PairKind;
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
    /// `PairKind` as stored; empty reads as a village's or a household's
    /// pair, as the other fields say.
    pub kind: String,
    pub org: String,
    /// The partner unit's code: a commune or a village.
    pub village: String,
    pub household: String,
    /// The helping person's id, for a person's pair.
    pub person: String,
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
    let kind = match p.kind.trim() {
        "" if p.village.trim().is_empty() => PairKind::OrgHousehold,
        "" => PairKind::OrgVillage,
        k => PairKind::parse(k).map_err(|e| invalid("kind", e.to_string()))?,
    };
    let partner = match p.village.trim() {
        "" => None,
        v => Some(unit_on(store, v, since).await?),
    };
    let household = Some(thidua_domain::text::normalize(&p.household)).filter(|h| !h.is_empty());
    let person = match p.person.trim() {
        "" => None,
        id => {
            let id: i64 = id
                .parse()
                .map_err(|_| invalid("person", "Mã cá nhân là một số."))?;
            // The person must work in the helping body on the day.
            let stints = store.stints(thidua_domain::staff::PersonId(id)).await?;
            if !stints
                .iter()
                .any(|s| s.unit == org.id && s.period.contains(since))
            {
                return Err(invalid(
                    "person",
                    format!(
                        "Cá nhân mã {id} không công tác tại {} vào ngày {}.",
                        org.name,
                        VnDate(since)
                    ),
                ));
            }
            Some(id)
        }
    };
    kind.check(
        org.kind,
        partner.as_ref().map(|u| u.kind),
        household.is_some(),
        person.is_some(),
    )
    .map_err(|e| invalid(e.field, e.message))?;
    store
        .add_twinning_pair(
            who,
            m.id,
            &NewPair {
                kind,
                org: org.id,
                village: partner.map(|u| u.id),
                household,
                person,
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
    pub beneficiaries: String,
    pub models: String,
    pub out_of_poverty: String,
    pub works: String,
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
        beneficiaries: whole("Đối tượng được hỗ trợ sản xuất", &a.beneficiaries)?,
        production_models: whole("Mô hình sản xuất", &a.models)?,
        households_out_of_poverty: whole("Hộ thoát nghèo", &a.out_of_poverty)?,
        works_built: whole("Công trình", &a.works)?,
    };
    store.add_twinning_activity(who, pair, &activity).await?;
    Ok(())
}
