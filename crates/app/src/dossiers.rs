//! The nomination procedure: who may see and move a dossier, what each
//! step needs, the engine's verdict per subject, duplicate and conflict
//! warnings, deadlines on the working-day calendar, and notices.
//!
//! The diagram is `domain::dossier`; the policy is `domain::policy`. This
//! module checks a step's inputs, asks both, and hands the store one
//! `Step` to write in one transaction.

mod access;
mod appraisal_steps;
mod council;
mod decision_step;
mod drafting;
mod files;
mod intake_steps;
mod judging;
mod listing;
mod notify;
mod public;
mod step_context;
mod steps;
mod view;

pub use access::{Access, Accessor, By, access, council, editable, procedure, visible};
pub use council::{set_line_status, vote};
pub use drafting::{
    LineInput, add_line, check_header, create, edit_line, remove_line, update_header,
};
pub use files::{
    FILE_KINDS, MAX_UPLOAD, attach, check_upload, clean_file_name, is_whole_pdf, sample_pdf,
};
pub use judging::{judge, recheck};
pub use listing::{DossierFilter, list, open};
pub use notify::{Todo, notify_overdue, overdue_count, todo};
pub use public::{COMMENTS_PER_DAY, PublicComment, public_comment};
pub use step_context::StepInput;
pub use steps::take_step;
pub use view::{DossierView, LineView, Warning, passages, view, warnings};

#[cfg(test)]
mod tests;
