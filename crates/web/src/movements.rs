//! Phong trào pages: list, launch, lifecycle, registration, value entry
//! (form, XLSX/CSV upload, template), approval and the dashboard.

mod achievements;
mod approval;
mod common;
mod create;
mod dashboard;
mod detail;
mod entry;
mod files;
mod list;
mod tasks;
mod twinning;

pub(crate) use achievements::{
    page as achievements, propose as propose_from_achievements, record as record_achievement,
};
pub(crate) use approval::{approvals, decide, reopen};
pub(crate) use common::movement;
pub(crate) use create::{create, import_file, new_form};
pub(crate) use dashboard::{DashboardQuery, dashboard, dashboard_xlsx, run_report};
pub(crate) use detail::{detail, download_file, export_toml, register, set_status, upload_file};
pub(crate) use entry::{entry_form, entry_save, entry_template, entry_upload};
pub(crate) use files::{DOCX, XLSX, attachment, content_type_static, read_multipart};
pub(crate) use list::list;
pub(crate) use tasks::{assign as assign_task, report as report_task};
pub(crate) use twinning::{add_activity, add_pair, twinning};
