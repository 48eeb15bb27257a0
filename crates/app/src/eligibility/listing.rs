//! The annual reviews one account may work on, narrowed to a unit's
//! subtree, a year and whether they are closed.

use crate::{AppResult, auth};
use thidua_domain::org::UnitId;
use thidua_domain::policy::{Action, authorize};
use thidua_store::{ReviewListing, Store, TitleReviewRow, UserRow};
use time::Date;

/// What a list of reviews is narrowed to.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReviewFilter {
    /// Only reviews of this unit and those under it (on either map).
    pub unit: Option<UnitId>,
    pub year: Option<i32>,
    /// Only closed (`true`) or still open (`false`) reviews.
    pub closed: Option<bool>,
}

/// One review in a list, with the name its unit bears today.
#[derive(Debug, Clone)]
pub struct ListedReview {
    pub review: TitleReviewRow,
    pub unit_name: String,
}

/// The reviews `user` may work on that the filter keeps, latest year first.
pub async fn reviews(
    store: &Store,
    user: &UserRow,
    today: Date,
    filter: &ReviewFilter,
) -> AppResult<Vec<ListedReview>> {
    let actor = auth::actor(store, user, today).await?;
    let units = match filter.unit {
        Some(root) => Some(
            crate::registry::units_under_any_map(store, root)
                .await?
                .into_iter()
                .map(UnitId)
                .collect(),
        ),
        None => None,
    };
    let listing = ReviewListing {
        units,
        year: filter.year,
        closed: filter.closed,
    };
    let mut out = Vec::new();
    for review in store.reviews_listed(&listing).await? {
        let Some(obj) = auth::unit_object(store, review.unit_id, today).await? else {
            continue;
        };
        if authorize(&actor, Action::ReviewTitles, &obj).is_err() {
            continue;
        }
        let unit_name = store
            .unit(review.unit_id, today)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        out.push(ListedReview { review, unit_name });
    }
    Ok(out)
}
