//! What every step of the procedure reads before it decides: the dossier
//! as the user last saw it, its lines, the award catalogue and the
//! procedure's calendar.

use super::access::{Access, By, procedure, visible};
use super::notify::{notices, side_users};
use super::view::level_of;
use crate::{AppResult, invalid};
use thidua_domain::calendar::WorkCalendar;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierAction, LineStatus, ProcedureParams, Side};
use thidua_domain::eligibility::catalogue::{CatalogueEntry, Level, in_force};
use thidua_store::{DossierLineRow, DossierRow, LineChange, Notice, Store, UserRow};
use time::Date;

/// What a step carries besides its name.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub action: Option<DossierAction>,
    /// The version the user read.
    pub version: i64,
    pub note: String,
    pub receipt_number: String,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub number: String,
    pub date: Option<Date>,
    pub signer: String,
    /// "Chủ tịch" or "Phó Chủ tịch" (who then signs "KT. Chủ tịch").
    pub signer_title: String,
    /// Legal grounds beyond the template's, one per line.
    pub grounds: String,
    pub issuer: String,
    /// Lines a return asks to complete.
    pub lines: Vec<i64>,
}

pub(super) struct StepContext<'a> {
    pub store: &'a Store,
    pub by: &'a By<'a>,
    pub input: &'a StepInput,
    pub dossier: DossierRow,
    pub lines: Vec<DossierLineRow>,
    /// Every version of the award catalogue (the decision's bonus reads the
    /// one in force on its date).
    pub catalogue: Vec<CatalogueEntry>,
    pub calendar: WorkCalendar,
    pub params: ProcedureParams,
    /// «Hồ sơ #12 «…»», how notices name the dossier.
    pub label: String,
}

impl<'a> StepContext<'a> {
    /// Loads the dossier for a step; refuses one changed since the user
    /// read it.
    pub async fn load(
        store: &'a Store,
        by: &'a By<'a>,
        id: DossierId,
        input: &'a StepInput,
    ) -> AppResult<(Self, Access)> {
        let (dossier, access) = visible(store, by.user, id, by.today).await?;
        if dossier.version != input.version {
            return Err(thidua_store::StoreError::Conflict(format!(
                "hồ sơ #{id} vừa được người khác cập nhật; hãy tải lại trang để xem trạng thái mới rồi thao tác lại"
            ))
            .into());
        }
        let catalogue = store.catalogue_versions().await?;
        let lines = store.dossier_lines(id).await?;
        let (calendar, params) = procedure(store).await?;
        let label = format!("Hồ sơ #{id} «{}»", dossier.title);
        let cx = StepContext {
            store,
            by,
            input,
            dossier,
            lines,
            catalogue,
            calendar,
            params,
            label,
        };
        Ok((cx, access))
    }

    pub fn today(&self) -> Date {
        self.by.today
    }

    pub fn note(&self) -> &str {
        self.input.note.trim()
    }

    /// The note, which this step cannot go without.
    pub fn need_note(&self, what: &str) -> AppResult<String> {
        match self.note() {
            "" => Err(invalid("note", format!("Hãy ghi {what}"))),
            note => Ok(note.to_owned()),
        }
    }

    pub fn entries(&self) -> Vec<&CatalogueEntry> {
        in_force(&self.catalogue, self.today())
    }

    /// The lines still in play (not excluded, not decided).
    pub fn active(&self) -> Vec<&DossierLineRow> {
        self.lines.iter().filter(|l| l.status.active()).collect()
    }

    /// Whether a line proposes an award of the State (Prime Minister or
    /// President), which the province forwards rather than decides.
    pub fn state_level(&self, line: &DossierLineRow) -> bool {
        level_of(&self.entries(), line.code.as_str()) == Some(Level::NhaNuoc)
    }

    /// Notices of one kind to the accounts of the given sides.
    pub async fn tell(
        &self,
        sides: &[Side],
        kind: &'static str,
        message: &str,
    ) -> AppResult<Vec<Notice>> {
        let mut users: Vec<UserRow> = Vec::new();
        for side in sides {
            users.extend(side_users(self.store, &self.dossier, self.today(), *side).await?);
        }
        Ok(notices(&users, kind, message))
    }
}

/// The same new status for each of the given lines.
pub(super) fn all_lines(
    status: LineStatus,
    lines: &[&DossierLineRow],
    note: Option<String>,
) -> Vec<LineChange> {
    lines
        .iter()
        .map(|l| LineChange {
            line: l.id,
            status,
            note: note.clone(),
            tally: None,
        })
        .collect()
}
