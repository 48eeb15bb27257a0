//! Cá nhân — the people pages: search, a person's page with their stints,
//! adding and editing a person, transfers and retirements, the audited
//! identity number, and the staff list imported from Excel.

mod list;
mod person;
mod staff;

pub(crate) use list::people;
pub(crate) use person::{
    create, edit, edit_form, end_stint, new_form, person, reveal_id, transfer,
};
pub(crate) use staff::{
    check as staff_check, confirm as staff_confirm, form as staff_form, template as staff_template,
};
