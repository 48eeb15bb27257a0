//! Đủ điều kiện — who, in a unit's subtree (or everywhere one may read),
//! meets the criteria of a form for a year: the question a unit asks before
//! it drafts a dossier, and the Ministry asks of everyone at once. Answered
//! by the sweep over the in-memory snapshot when the server has built it;
//! before that, person by person with the same engine, for a bounded
//! number of people.

use crate::registry::{reader_scope, units_under};
use crate::report::Boundaries;
use crate::sweep::RegistrySnapshot;
use crate::{AppError, AppResult, auth, invalid};
use thidua_domain::eligibility::{AwardCode, Outcome};
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_store::{PersonRow, Store, UserRow};
use time::Date;

/// People judged one by one when there is no snapshot yet: a large unit
/// waits for the snapshot instead.
pub const WITHOUT_SNAPSHOT_MAX: usize = 3_000;
/// Eligible people listed by name (the count covers them all).
pub const LISTED_MAX: usize = 500;

/// The question.
#[derive(Debug, Clone, Copy)]
pub struct DueQuery {
    pub code: AwardCode,
    pub year: i32,
    /// A unit's subtree in today's boundaries; `None`: everyone the user
    /// may read.
    pub unit: Option<UnitId>,
}

/// The answer.
#[derive(Debug, Clone)]
pub struct Due {
    /// People judged (those now in the units).
    pub judged: u64,
    pub eligible: u64,
    pub needs_review: u64,
    /// The first [`LISTED_MAX`] eligible people, in name order.
    pub listed: Vec<PersonRow>,
    /// The day the rules were read for (today).
    pub decision_date: Date,
    /// Answered from the snapshot (else person by person).
    pub by_snapshot: bool,
}

/// Whether a person can receive the form (the collective titles and
/// flags cannot).
fn for_people(c: AwardCode) -> bool {
    !matches!(
        c,
        AwardCode::TapTheLaoDongTienTien
            | AwardCode::TapTheLaoDongXuatSac
            | AwardCode::CoThiDuaTinh
            | AwardCode::CoThiDuaChinhPhu
    )
}

/// The forms a person can be judged for, in the catalogue's order.
pub fn forms() -> Vec<AwardCode> {
    AwardCode::ALL
        .iter()
        .copied()
        .filter(|c| for_people(*c))
        .collect()
}

/// The people now in the units the question covers, or `None` for
/// everyone (an unscoped reader asking of no unit).
async fn people_asked(
    store: &Store,
    user: &UserRow,
    today: Date,
    unit: Option<UnitId>,
) -> AppResult<Option<Vec<i64>>> {
    let units = match unit {
        Some(u) => {
            auth::may_on_unit(store, user, Action::ViewPeople, u, today)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", u.0)))?
                .map_err(AppError::Denied)?;
            units_under(store, u, Boundaries::Current).await?
        }
        None => match reader_scope(store, user, today).await? {
            Some(units) => units,
            None => return Ok(None),
        },
    };
    Ok(Some(store.people_now_in_units(&units, today).await?))
}

/// Who meets `q` today, as far as `user` may see.
pub async fn due(
    store: &Store,
    snapshot: Option<&RegistrySnapshot>,
    user: &UserRow,
    today: Date,
    q: DueQuery,
) -> AppResult<Due> {
    if !for_people(q.code) {
        return Err(invalid(
            "code",
            "Hãy chọn một danh hiệu, hình thức cho cá nhân",
        ));
    }
    if q.year < 2000 || q.year > today.year() {
        return Err(invalid(
            "year",
            format!("Năm xét phải từ 2000 đến {}", today.year()),
        ));
    }
    let among = people_asked(store, user, today, q.unit).await?;
    let (judged, eligible, needs_review, ids, by_snapshot) = match snapshot {
        Some(snap) => {
            let judged = match &among {
                Some(ids) => ids.len() as u64,
                None => snap.size()?.0 as u64,
            };
            let r = snap.sweep(store, q.code, q.year, today, among).await?;
            (judged, r.eligible, r.needs_review, r.eligible_ids, true)
        }
        None => {
            let Some(ids) = among.filter(|ids| ids.len() <= WITHOUT_SNAPSHOT_MAX) else {
                return Err(invalid(
                    "unit",
                    format!(
                        "Sổ khen thưởng đang được nạp vào bộ nhớ; trong lúc chờ chỉ xét được đơn vị có đến {WITHOUT_SNAPSHOT_MAX} người. Hãy chọn đơn vị nhỏ hơn hoặc thử lại sau ít phút."
                    ),
                ));
            };
            let mut eligible = Vec::new();
            let mut needs_review = 0;
            for id in &ids {
                let v = crate::eligibility::check_person(store, *id, q.code, q.year, today).await?;
                match v.verdict {
                    Outcome::Eligible => eligible.push(*id),
                    Outcome::NeedsReview => needs_review += 1,
                    _ => {}
                }
            }
            (
                ids.len() as u64,
                eligible.len() as u64,
                needs_review,
                eligible,
                false,
            )
        }
    };
    let mut listed = store.people_by_ids(&ids).await?;
    listed.sort_by_cached_key(|p| (thidua_domain::text::name_sort_key(&p.full_name), p.id));
    listed.truncate(LISTED_MAX);
    Ok(Due {
        judged,
        eligible,
        needs_review,
        listed,
        decision_date: today,
        by_snapshot,
    })
}

#[cfg(test)]
mod tests;
