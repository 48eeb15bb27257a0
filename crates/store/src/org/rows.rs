//! What the store keeps of a unit and of the events that changed it.

use crate::{StoreError, StoreResult, parse_stored};
use serde::Serialize;
use thidua_domain::date::Period;
use thidua_domain::org::{CodeList, OrgError, ReorgKind, UnitCode, UnitId, UnitKind};
use time::Date;

/// A unit as shown: its code, kind, name as of the date asked, and validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRow {
    pub id: UnitId,
    pub code: String,
    pub code_list: CodeList,
    pub kind: UnitKind,
    pub admin_type: Option<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub period: Period,
}

#[derive(sqlx::FromRow)]
pub(super) struct UnitRecord {
    id: i64,
    code: String,
    code_list: String,
    kind: String,
    admin_type: Option<String>,
    name: String,
    short_name: Option<String>,
    valid_from: Option<Date>,
    valid_until: Option<Date>,
}

impl TryFrom<UnitRecord> for UnitRow {
    type Error = StoreError;
    fn try_from(r: UnitRecord) -> StoreResult<UnitRow> {
        Ok(UnitRow {
            id: UnitId(r.id),
            code: r.code,
            code_list: CodeList::parse(&r.code_list)?,
            kind: UnitKind::parse(&r.kind)?,
            admin_type: r.admin_type,
            name: r.name,
            short_name: r.short_name,
            period: parse_stored(Period::new(r.valid_from, r.valid_until))?,
        })
    }
}

pub(super) fn rows(records: Vec<UnitRecord>) -> StoreResult<Vec<UnitRow>> {
    records.into_iter().map(UnitRow::try_from).collect()
}

/// One side of a reorganisation event, seen from a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventLink {
    pub event_id: i64,
    pub kind: ReorgKind,
    pub effective: Date,
    /// The unit on the other side of the event.
    pub unit: UnitRow,
    /// Only part of the predecessor went into the successor.
    pub partial: bool,
    /// The predecessor's main successor.
    pub primary: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct EventRecord {
    pub(super) event_id: i64,
    pub(super) event_kind: String,
    pub(super) effective: Date,
    pub(super) partial: bool,
    pub(super) is_primary: bool,
    #[sqlx(flatten)]
    pub(super) unit: UnitRecord,
}

/// What an import changed. A second identical import reports zeros.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub units_inserted: usize,
    pub units_updated: usize,
    pub units_unchanged: usize,
    pub links_inserted: usize,
    pub events_inserted: usize,
}

impl ImportReport {
    pub fn changed_anything(&self) -> bool {
        self.units_inserted + self.units_updated + self.links_inserted + self.events_inserted > 0
    }
}

/// An organisation to add under a parent.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: UnitCode,
    pub kind: UnitKind,
    pub admin_type: Option<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub parent: Option<UnitId>,
    pub valid_from: Option<Date>,
}

/// A unit the official import wrote before.
#[derive(sqlx::FromRow)]
pub(super) struct ExistingUnit {
    pub(super) id: i64,
    pub(super) official_key: String,
    pub(super) kind: String,
    pub(super) name: String,
    pub(super) admin_type: Option<String>,
    pub(super) short_name: Option<String>,
    pub(super) valid_from: Option<Date>,
    pub(super) valid_until: Option<Date>,
}

pub(super) const BATCH: usize = 400;

pub(super) fn duplicate_code(e: sqlx::Error, code: &UnitCode) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Org(OrgError::InvalidCode(format!("{code} (mã đã được dùng)")))
        }
        _ => StoreError::Database(e),
    }
}
