//! What an operator does to a whole database: take stock of it (tables,
//! rows, stored files, the schema's version), back it up and restore it,
//! and copy it from one engine to the other. None of it is a domain write:
//! the audit log is carried over as it is and must still verify after.

mod backup;
mod copy;
mod inventory;

pub use backup::{BACKUP_FORMAT, Manifest, ManifestFile, ManifestTable, backup, restore};
pub use copy::copy_database;
pub use inventory::{FILE_TABLES, StoredFile, TableRows, known_schema_version};
