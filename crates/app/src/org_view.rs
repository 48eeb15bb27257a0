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

/// One unit a picker offers: its code, name and the chain above it
/// («Xã Quảng Sơn — Tỉnh Lâm Đồng»), so namesakes can be told apart.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UnitChoice {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub within: String,
}

/// Units valid on `day` whose code is `text`, or whose folded name holds
/// every folded word of `text` at a word's start («xa quang son» finds
/// «Xã Quảng Sơn»). Exact codes first, then shorter names; at most `limit`.
pub async fn find_units(
    store: &Store,
    text: &str,
    day: Date,
    limit: usize,
) -> AppResult<Vec<UnitChoice>> {
    let terms = thidua_domain::text::query_terms(text);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let code = text.trim();
    let forest = store.forest_as_of(day).await?;
    let names: std::collections::HashMap<i64, (&str, Option<i64>)> = forest
        .iter()
        .map(|u| (u.id, (u.name.as_str(), u.parent_id)))
        .collect();
    let mut hits: Vec<(bool, usize, &thidua_store::ForestUnit)> = forest
        .iter()
        .filter_map(|u| {
            let exact = u.code.eq_ignore_ascii_case(code);
            (exact
                || thidua_domain::text::matches_terms(&thidua_domain::text::fold(&u.name), &terms))
            .then_some((!exact, u.name.len(), u))
        })
        .collect();
    hits.sort_by(|a, b| (a.0, a.1, &a.2.name).cmp(&(b.0, b.1, &b.2.name)));
    Ok(hits
        .into_iter()
        .take(limit)
        .map(|(_, _, u)| {
            let mut within = Vec::new();
            let mut up = u.parent_id;
            while let Some(p) = up {
                let Some((name, parent)) = names.get(&p) else {
                    break;
                };
                within.push(*name);
                up = *parent;
                if within.len() > 4 {
                    break;
                }
            }
            UnitChoice {
                id: u.id,
                code: u.code.clone(),
                name: u.name.clone(),
                within: within.join(" — "),
            }
        })
        .collect())
}

/// Units named so today, then those named so only before the 2025
/// reform (their chain says so): what a filter over both maps offers.
pub async fn find_units_any_map(
    store: &Store,
    text: &str,
    today: Date,
    limit: usize,
) -> AppResult<Vec<UnitChoice>> {
    let mut found = find_units(store, text, today, limit).await?;
    for mut u in find_units(store, text, crate::registry::LEGACY_DAY, limit).await? {
        if found.len() >= limit {
            break;
        }
        if found.iter().all(|f| f.id != u.id) {
            u.within = if u.within.is_empty() {
                "trước 01/07/2025".to_owned()
            } else {
                format!("{} (trước 01/07/2025)", u.within)
            };
            found.push(u);
        }
    }
    Ok(found)
}

/// A unit for a filter that reads both maps: the unit the text names
/// today, or, when nothing today is named so, the one it named on the eve
/// of the 2025 reform («tinh dak nong» is a province no more, but its
/// dossiers and people are still asked for by that name).
pub async fn pick_unit_any_map(store: &Store, text: &str, today: Date) -> AppResult<UnitId> {
    match pick_unit(store, text, today).await {
        Ok(u) => Ok(u),
        Err(now) => match pick_unit(store, text, crate::registry::LEGACY_DAY).await {
            Ok(u) => Ok(u),
            Err(_) => Err(now),
        },
    }
}

/// The unit a person typed into a unit field: its code, or a name that
/// only one unit valid on `day` has. Several matches are refused with the
/// first few, so the person can choose.
pub async fn pick_unit(store: &Store, text: &str, day: Date) -> AppResult<UnitId> {
    let text = text.trim();
    if let Some(u) = store.resolve_code(text, None, day).await?
        && u.period.contains(day)
    {
        return Ok(u.id);
    }
    let found = find_units(store, text, day, 6).await?;
    // «tinh dak nong» is the province, not also its police and departments.
    let folded = thidua_domain::text::query_terms(text).join(" ");
    let whole: Vec<&UnitChoice> = found
        .iter()
        .filter(|u| thidua_domain::text::query_terms(&u.name).join(" ") == folded)
        .collect();
    if let [one] = whole.as_slice() {
        return Ok(UnitId(one.id));
    }
    match found.as_slice() {
        [one] => Ok(UnitId(one.id)),
        [] => Err(crate::invalid(
            "unit",
            format!(
                "không có đơn vị mã «{text}», cũng không có tên đơn vị nào khớp, vào ngày {}",
                VnDate(day)
            ),
        )),
        several => Err(crate::invalid(
            "unit",
            format!(
                "«{text}» khớp nhiều đơn vị: {}{} — hãy chọn một trong danh sách gợi ý",
                several
                    .iter()
                    .take(5)
                    .map(|u| format!("{} ({})", u.name, u.code))
                    .collect::<Vec<_>>()
                    .join(", "),
                if several.len() > 5 { ", …" } else { "" }
            ),
        )),
    }
}
