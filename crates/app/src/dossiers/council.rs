//! The appraiser's word on a line and the council's votes.

use super::access::{By, visible};
use crate::invalid;
use crate::{AppError, AppResult};
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierState, LineStatus, Side, VoteChoice};
use thidua_store::{LineChange, Store};

/// The appraiser's word on one line: exclude it, or put it back.
pub async fn set_line_status(
    store: &Store,
    by: &By<'_>,
    id: DossierId,
    version: i64,
    line: i64,
    status: LineStatus,
    note: &str,
) -> AppResult<()> {
    let (user, who, today) = (by.user, by.who, by.today);
    let (dossier, access) = visible(store, user, id, today).await?;
    if !access.has(Side::Appraiser) {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    if !matches!(
        dossier.state,
        DossierState::Received | DossierState::UnderAppraisal
    ) {
        return Err(invalid(
            "state",
            format!(
                "Chỉ sửa danh sách khi đang thẩm định (hồ sơ đang «{}»)",
                dossier.state.label()
            ),
        ));
    }
    if !matches!(status, LineStatus::Excluded | LineStatus::Proposed) {
        return Err(invalid("status", "Trạng thái dòng không hợp lệ"));
    }
    if status == LineStatus::Excluded && note.trim().is_empty() {
        return Err(invalid("note", "Hãy ghi lý do không đưa vào danh sách"));
    }
    store
        .set_dossier_line_status(
            who,
            id,
            version,
            &LineChange {
                line,
                status,
                note: Some(note.trim().to_owned()).filter(|n| !n.is_empty()),
                tally: None,
            },
            today,
        )
        .await?;
    Ok(())
}

/// A council member's vote on one line.
pub async fn vote(
    store: &Store,
    by: &By<'_>,
    id: DossierId,
    line: i64,
    choice: VoteChoice,
) -> AppResult<()> {
    let (user, who, today) = (by.user, by.who, by.today);
    let (_, access) = visible(store, user, id, today).await?;
    if !access.vote {
        return Err(invalid(
            "vote",
            "Chỉ thành viên Hội đồng Thi đua – Khen thưởng trong phạm vi hồ sơ được biểu quyết",
        ));
    }
    store.cast_vote(who, user.id, id, line, choice).await?;
    Ok(())
}
