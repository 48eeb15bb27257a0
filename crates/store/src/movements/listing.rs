//! Lists of movements limited in SQL to what one account may see, a page
//! at a time.

use super::rows::{MOVEMENT_COLS, MovementRecord, MovementRow};
use crate::{StoreResult, on_pool};
use thidua_domain::movement::MovementStatus;

/// Which draft movements a list holds, besides the launched ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftsInList {
    None,
    /// Those of every authority.
    All,
    /// Those whose authority is one of these units.
    OfAuthorities(Vec<i64>),
}

/// What a list of movements asks for.
#[derive(Debug, Clone)]
pub struct MovementListing {
    pub drafts: DraftsInList,
    /// Only movements in this status.
    pub status: Option<MovementStatus>,
    /// Only movements launched by one of these units; `None` for any.
    pub authorities: Option<Vec<i64>>,
    /// Only movements whose period touches this year.
    pub year: Option<i32>,
    pub offset: i64,
    pub limit: i64,
}

impl crate::Store {
    /// One page of the movements a listing asks for, the latest started
    /// first, and how many there are in all.
    pub async fn movements_page(
        &self,
        l: &MovementListing,
    ) -> StoreResult<(Vec<MovementRow>, i64)> {
        let (drafts, authorities) = match &l.drafts {
            DraftsInList::None => ("none", None),
            DraftsInList::All => ("all", None),
            DraftsInList::OfAuthorities(ids) => (
                "some",
                Some(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())),
            ),
        };
        let status = l.status.map(MovementStatus::as_str);
        let of_units = l
            .authorities
            .as_ref()
            .map(|u| serde_json::to_string(u).unwrap_or_else(|_| "[]".into()));
        // The year is a number, never typed text.
        let year = l.year.map_or_else(
            || "true".to_owned(),
            |y| {
                format!(
                    "cast(start_date as text) <= '{y:04}-12-31' \
                     and (end_date is null or cast(end_date as text) >= '{y:04}-01-01')"
                )
            },
        );
        let (recs, total): (Vec<MovementRecord>, i64) = on_pool!(self, |p, d| {
            let filter = format!(
                "(status <> 'draft' or cast($1 as text) = 'all' \
                  or (cast($1 as text) = 'some' and authority_unit_id in ({}))) \
                 and (cast($3 as text) is null or status = $3) \
                 and (cast($4 as text) is null or authority_unit_id in ({})) and {year}",
                d.id_set("$2"),
                d.id_set("$4")
            );
            let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select count(*) from movements where {filter}"
            )))
            .bind(drafts)
            .bind(authorities.as_deref())
            .bind(status)
            .bind(of_units.as_deref())
            .fetch_one(p)
            .await?;
            let recs = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {MOVEMENT_COLS} from movements where {filter} \
                 order by start_date desc, code limit $5 offset $6"
            )))
            .bind(drafts)
            .bind(authorities.as_deref())
            .bind(status)
            .bind(of_units.as_deref())
            .bind(l.limit)
            .bind(l.offset)
            .fetch_all(p)
            .await?;
            (recs, total)
        });
        Ok((
            recs.into_iter()
                .map(MovementRow::try_from)
                .collect::<StoreResult<_>>()?,
            total,
        ))
    }
}
