//! Movements (phong trào), their indicators, values and their approval,
//! registrations, and twinning programmes.

mod lifecycle;
mod listing;
mod rows;
mod tasks;
mod territory;
mod twinning;
mod values;

pub use listing::{DraftsInList, MovementListing};
pub use rows::{
    Activity, Decision, EntryReport, ForestUnit, IndicatorRow, MovementRow, NewMovement, NewPair,
    PairRow, Registrant, RegistrationRow, Review, ReviewRow, SuccessionEdge, ValueEntry,
    ValueHistoryRow, ValuePoint, ValueRow, ValueStatus, forest_kind,
};
pub(crate) use rows::{conflict, now};
pub use tasks::TaskRow;
