//! What a person asks of the registry about one unit on one date, assembled
//! once for the web page, the JSON API and the CLI.

use crate::AppResult;
use serde::Serialize;
use thidua_domain::date::VnDate;
use thidua_domain::org::{CodeList, UnitId};
use thidua_store::{EventLink, Store, UnitRow};
use time::Date;

/// A unit with what surrounds it on `as_of`.
#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    #[serde(serialize_with = "iso")]
    pub as_of: Date,
    pub unit: UnitRow,
    /// Whether the unit existed on `as_of` (if not, see `became`).
    pub valid_on_date: bool,
    /// Parent first, root last.
    pub ancestors: Vec<UnitRow>,
    pub children: Vec<UnitRow>,
    /// The units this one was formed from, with the event.
    pub predecessors: Vec<EventLink>,
    /// The units this one went into, with the event.
    pub successors: Vec<EventLink>,
    /// For a unit that had ended by `as_of`: the units it is part of that day,
    /// each with its own ancestors.
    pub became: Vec<Became>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Became {
    #[serde(flatten)]
    pub link: EventLink,
    pub ancestors: Vec<UnitRow>,
}

fn iso<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&VnDate(*d).iso())
}

impl UnitView {
    /// "Tỉnh Lâm Đồng › Phường Nam Gia Nghĩa" style path, root first.
    pub fn path(&self) -> String {
        self.ancestors
            .iter()
            .rev()
            .map(|u| u.name.as_str())
            .chain(std::iter::once(self.unit.name.as_str()))
            .collect::<Vec<_>>()
            .join(" › ")
    }
}

pub async fn by_id(store: &Store, id: UnitId, as_of: Date) -> AppResult<Option<UnitView>> {
    match store.unit(id, as_of).await? {
        Some(u) => Ok(Some(assemble(store, u, as_of).await?)),
        None => Ok(None),
    }
}

pub async fn by_code(
    store: &Store,
    code: &str,
    list: Option<CodeList>,
    as_of: Date,
) -> AppResult<Option<UnitView>> {
    match store.resolve_code(code, list, as_of).await? {
        Some(u) => Ok(Some(assemble(store, u, as_of).await?)),
        None => Ok(None),
    }
}

async fn assemble(store: &Store, unit: UnitRow, as_of: Date) -> AppResult<UnitView> {
    let valid_on_date = unit.period.contains(as_of);
    // An ended unit is shown in the tree of its last day.
    let seen_on = if valid_on_date {
        as_of
    } else {
        unit.period
            .last_day()
            .filter(|d| *d < as_of)
            .unwrap_or(as_of)
    };
    let ancestors = store.ancestors_as_of(unit.id, seen_on).await?;
    let children = store.children_as_of(unit.id, seen_on).await?;
    let predecessors = store.predecessors(unit.id).await?;
    let successors = store.successors(unit.id).await?;
    let mut became = Vec::new();
    if !valid_on_date {
        for link in store.became_as_of(unit.id, as_of).await? {
            let ancestors = store.ancestors_as_of(link.unit.id, as_of).await?;
            became.push(Became { link, ancestors });
        }
    }
    Ok(UnitView {
        as_of,
        unit,
        valid_on_date,
        ancestors,
        children,
        predecessors,
        successors,
        became,
    })
}
