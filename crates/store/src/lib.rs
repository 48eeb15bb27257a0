//! thidua's storage: one [`Store`] over two engines.
//!
//! SQLite is the embedded default (a file, WAL, foreign keys on); PostgreSQL
//! is for production. The SQL is written once in the dialect both accept
//! (`$1` placeholders, `returning`, `cast(… as text)`), and
//! the [`on_pool!`] macro expands each body once per engine, so there is one
//! implementation to read and the shared test suite runs it on both.

mod accounts;
mod achievements;
mod audit;
mod bulk;
mod clusters;
mod decisions;
mod dossiers;
mod exemplary;
mod imports;
mod movements;
pub mod ops;
mod org;
mod peers;
mod people;
mod pool;
mod registry;
mod replicas;
mod search;
mod staff;

pub use accounts::{ApiToken, NewUser, SessionInfo, UserRow};
pub use achievements::{
    AchievementRow, AwardBrief, AwardFlagRow, FindingRow, NewAchievement, NewFlag,
};
pub use audit::{AuditFilter, Change, Who};
pub use bulk::{BulkLoad, BulkTable, Cell, LoadTimes};
pub use clusters::{
    ClusterMemberRow, ClusterRow, EvidenceRow, FormerMemberRow, NewCluster, NewEvidence, NewScore,
    ProposalRow, ScoreRow, SheetRow,
};
pub use decisions::{DecisionEffect, DecisionLineRow, DecisionRow, NewDecision, TemplateRow};
pub use dossiers::{
    DossierEvent, DossierFileRow, DossierHeader, DossierLineRow, DossierListing, DossierPatch,
    DossierRow, FeedbackRow, FlagDossier, LineChange, LineVerdict, NewDossierFile, NewDossierLine,
    Notice, NotificationRow, OpenProposal, PostedLine, RegistryEntry, Step, UnsentInList, VoteRow,
};
pub use exemplary::{ExampleRow, ExampleSubject, HonourEventRow, NewExample, NewHonourEvent};
pub use imports::{ImportPerson, ImportSource, ImportedRecord, NamedPerson, RecordKey};
pub use movements::{
    Activity, Decision, DraftsInList, EntryReport, ForestUnit, IndicatorRow, MovementListing,
    MovementRow, NewMovement, NewPair, PairRow, Registrant, RegistrationRow, Review, ReviewRow,
    SuccessionEdge, TaskRow, ValueEntry, ValueHistoryRow, ValuePoint, ValueRow, ValueStatus,
    forest_kind,
};
pub use org::{EventLink, ImportReport, NewUnit, UnitRow};
pub use people::{NewPerson, PEOPLE_LIST_MAX, PeopleListing, PersonRow};
pub use registry::ReviewRow as TitleReviewRow;
pub use registry::{
    AwardRow, DisciplineRow, InitiativeRow, LineCheck, LineRow, NewAward, NewInitiative, NewTitle,
    PeopleRange, QuotaRow, REVIEW_LIST_MAX, Registry, ReviewListing, SubjectRef, TitleRow,
};
pub use search::{BenchBatch, CountRow, NamedPeople, RegistryHit, RegistryQuery, SubjectFilter};
pub use staff::{StaffImported, StaffWrite};

pub use pool::{Engine, Store, StoreError, StoreResult, redact};
pub(crate) use pool::{POSTGRES, Pool, SQLITE, on_pool, parse_stored};
pub use replicas::ReplicaState;

#[cfg(feature = "testkit")]
pub mod testkit;

#[cfg(test)]
mod tests;
