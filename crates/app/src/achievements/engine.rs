//! A recorded achievement as the eligibility engine reads it.

use crate::AppResult;
use thidua_domain::eligibility::inputs::{
    Achievement, AchievementKind, MovementLevel, ReviewStage,
};
use thidua_domain::movement::{LaunchLevel, ReviewKind};
use thidua_store::Store;

/// The engine's view of a recorded achievement: the movement's level and
/// length, the review it was recognised at, and the forms it already won.
pub async fn for_engine(store: &Store, id: i64) -> AppResult<Option<Achievement>> {
    let Some(a) = store.achievement(id).await? else {
        return Ok(None);
    };
    let Some(m) = store.movement(a.movement_id).await? else {
        return Ok(None);
    };
    let rewarded = store
        .achievement_awards(id)
        .await?
        .iter()
        .filter_map(|c| thidua_domain::eligibility::AwardCode::parse(c))
        .collect();
    Ok(Some(Achievement {
        kind: AchievementKind::Movement,
        movement: Some(m.name.clone()),
        movement_level: Some(match m.level {
            LaunchLevel::PrimeMinister => MovementLevel::TrungUong,
            LaunchLevel::Ministry | LaunchLevel::Province => MovementLevel::Tinh,
            _ => MovementLevel::CoSo,
        }),
        movement_years: m
            .end
            .map(|e| u32::try_from(e.year() - m.start.year() + 1).unwrap_or(0)),
        recognised_at: a
            .review_kind
            .as_deref()
            .and_then(|k| match ReviewKind::parse(k) {
                Ok(ReviewKind::Interim) => Some(ReviewStage::SoKet),
                Ok(ReviewKind::Final) => Some(ReviewStage::TongKet),
                Err(_) => None,
            }),
        period_from: a.period_from,
        period_to: a.period_to,
        outstanding: a.outstanding,
        role: None,
        rewarded,
    }))
}
