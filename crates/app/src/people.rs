//! Cá nhân và danh sách cán bộ — a unit's people: adding and editing them,
//! their stints (join, transfer, leave, retire), their page, the audited
//! identity number, and the staff list imported from Excel. The page, the
//! API and the CLI call these functions; nothing else writes people.

mod edit;
mod staff_import;
mod view;

#[cfg(test)]
mod tests;

pub use edit::{
    Joining, Move, PersonInput, add, day_field, edit, end_stint, transfer, unit_for_code,
};
pub use staff_import::{
    StaffPlan, StaffPreview, StaffRowPlan, import as import_staff, preview as preview_staff,
    template as staff_template,
};
pub use view::{
    FoundPeople, PeopleFilter, PersonView, StintView, UnitChoice, find_people, reveal_id_number,
    show, staff_units,
};
