//! Lists of dossiers limited in SQL to what one account may see, a page at
//! a time.

use super::rows::{DOSSIER_COLS, DossierRec, DossierRow};
use crate::{StoreResult, on_pool};
use thidua_domain::dossier::DossierState;
use thidua_domain::org::UnitId;

/// Which unsent dossiers (drafts, and those withdrawn before they were
/// first submitted) a list holds, besides the sent ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsentInList {
    None,
    /// Those of every listed unit.
    All,
    /// Only those of this unit.
    OfUnit(UnitId),
}

/// What a list of dossiers asks for.
#[derive(Debug, Clone)]
pub struct DossierListing {
    /// The units whose dossiers are listed; `None` for every unit.
    pub units: Option<Vec<i64>>,
    pub unsent: UnsentInList,
    /// Only dossiers in these states; empty for every state.
    pub states: Vec<DossierState>,
    /// Only dossiers created in this year.
    pub year: Option<i32>,
    pub offset: i64,
    pub limit: i64,
}

/// A dossier never sent upward: still a draft, or withdrawn before any
/// submission (a withdrawn dossier with a receipt number was received).
const UNSENT: &str = "(d.state = 'draft' or (d.state = 'withdrawn' and d.receipt_number is null \
     and not exists (select 1 from dossier_events e where e.dossier_id = d.id and e.action = 'submit')))";

impl crate::Store {
    /// One page of the dossiers a listing asks for, newest first, and how
    /// many there are in all.
    pub async fn dossiers_page(&self, l: &DossierListing) -> StoreResult<(Vec<DossierRow>, i64)> {
        let units_json = l
            .units
            .as_ref()
            .map(|u| serde_json::to_string(u).unwrap_or_else(|_| "[]".into()));
        let (own, unsent) = match l.unsent {
            UnsentInList::None => (-1, "none"),
            UnsentInList::All => (-1, "all"),
            UnsentInList::OfUnit(u) => (u.0, "own"),
        };
        let states = if l.states.is_empty() {
            "true".to_owned()
        } else {
            // The states are the enum's own words, never typed text.
            let states: Vec<String> = l
                .states
                .iter()
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            format!("d.state in ({})", states.join(", "))
        };
        let (recs, total): (Vec<DossierRec>, i64) = on_pool!(self, |p, d| {
            // The year is a number, never typed text.
            let year = l.year.map_or_else(
                || "true".to_owned(),
                |y| format!("substr(cast(d.created_at as text), 1, 4) = '{y:04}'"),
            );
            let filter = format!(
                "(cast($1 as text) is null or d.unit_id in ({})) and {states} and {year} \
                 and (not {UNSENT} or cast($3 as text) = 'all' \
                      or (cast($3 as text) = 'own' and d.unit_id = $2))",
                d.id_set("$1")
            );
            let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select count(*) from dossiers d where {filter}"
            )))
            .bind(units_json.as_deref())
            .bind(own)
            .bind(unsent)
            .fetch_one(p)
            .await?;
            let recs = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {DOSSIER_COLS} from (select d.* from dossiers d where {filter}) x \
                 order by id desc limit $4 offset $5"
            )))
            .bind(units_json.as_deref())
            .bind(own)
            .bind(unsent)
            .bind(l.limit)
            .bind(l.offset)
            .fetch_all(p)
            .await?;
            (recs, total)
        });
        Ok((
            recs.into_iter()
                .map(DossierRow::try_from)
                .collect::<StoreResult<_>>()?,
            total,
        ))
    }
}
