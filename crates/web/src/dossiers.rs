//! Hồ sơ đề nghị khen thưởng pages: the list, the dossier with its lines,
//! verdicts, warnings, files, votes, feedback and timeline, every step as
//! a form; "việc cần làm"; the public posting page (no login); and the
//! administrator's calendar and procedure figures.

mod calendar;
mod common;
mod detail;
mod drafting;
mod list;
mod public;
mod steps;
mod todo;

pub(crate) use calendar::{calendar, set_limits, set_override};
pub(crate) use common::{form_with_checked, outcome};
pub(crate) use detail::detail;
pub(crate) use drafting::{add_line, create, edit_line, line_status, recheck, update_header};
pub(crate) use list::list;
pub(crate) use public::{feedback, public};
pub(crate) use steps::{download, step, upload, vote};
pub(crate) use todo::todo;
