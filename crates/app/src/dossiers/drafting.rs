//! A draft dossier: its header and its lines.

use super::access::{By, editable};
use super::judging::recheck;
use crate::auth;
use crate::invalid;
use crate::{AppError, AppResult};
use thidua_domain::document::DocumentNumber;
use thidua_domain::dossier::DossierId;
use thidua_domain::eligibility::catalogue::in_force;
use thidua_domain::eligibility::{AwardCode, SubjectKind};
use thidua_domain::policy::Action;
use thidua_store::{DossierHeader, Store, SubjectRef};

/// Creates a draft for `unit`.
pub async fn create(
    store: &Store,
    by: &By<'_>,
    unit: thidua_domain::org::UnitId,
    header: &DossierHeader,
) -> AppResult<DossierId> {
    let (user, who, today) = (by.user, by.who, by.today);
    match auth::may_on_unit(store, user, Action::ProposeAwards, unit, today).await? {
        Some(Ok(())) => {}
        Some(Err(d)) => return Err(AppError::Denied(d)),
        None => return Err(AppError::NotFound("đơn vị".into())),
    }
    check_header(header)?;
    Ok(store.create_dossier(who, unit, header, today).await?)
}

pub fn check_header(h: &DossierHeader) -> AppResult<()> {
    if h.title.trim().is_empty() {
        return Err(invalid("title", "Hãy ghi trích yếu của hồ sơ"));
    }
    if let Some(n) = &h.letter_number {
        DocumentNumber::parse(n).map_err(|e| invalid("letter_number", e.to_string()))?;
    }
    Ok(())
}

/// A subject to add, as the unit officer names it.
#[derive(Debug, Clone)]
pub struct LineInput {
    pub subject: SubjectRef,
    pub code: String,
    pub period_from: i32,
    pub period_to: i32,
    pub summary: String,
    /// The recorded achievement a thematic line rests on.
    pub achievement: Option<i64>,
}

/// Changes an editable dossier's header (title, type, letter).
pub async fn update_header(
    store: &Store,
    by: &By<'_>,
    id: DossierId,
    header: &DossierHeader,
) -> AppResult<()> {
    editable(store, by.user, id, by.today).await?;
    check_header(header)?;
    Ok(store.update_dossier_header(by.who, id, header).await?)
}

/// Changes a line of an editable dossier: its summary and the reason it is
/// proposed against the engine's verdict, then judges it again.
pub async fn edit_line(
    store: &Store,
    by: &By<'_>,
    id: DossierId,
    line: i64,
    summary: &str,
    override_reason: &str,
) -> AppResult<()> {
    editable(store, by.user, id, by.today).await?;
    store
        .update_dossier_line(by.who, id, line, summary, Some(override_reason))
        .await?;
    recheck(store, by.who, id, by.today).await?;
    Ok(())
}

/// Removes a line from an editable dossier.
pub async fn remove_line(store: &Store, by: &By<'_>, id: DossierId, line: i64) -> AppResult<()> {
    editable(store, by.user, id, by.today).await?;
    Ok(store.remove_dossier_line(by.who, id, line).await?)
}

pub async fn add_line(
    store: &Store,
    by: &By<'_>,
    id: DossierId,
    input: &LineInput,
) -> AppResult<i64> {
    let (user, who, today) = (by.user, by.who, by.today);
    let dossier = editable(store, user, id, today).await?;
    let catalogue = store.catalogue_versions().await?;
    let entries = in_force(&catalogue, today);
    let entry = entries
        .iter()
        .find(|e| e.code.as_str() == input.code.trim())
        .ok_or_else(|| {
            invalid(
                "code",
                format!("Hình thức «{}» không có trong danh mục", input.code.trim()),
            )
        })?;
    if AwardCode::only_by_annual_review(entry.code.as_str()) {
        return Err(invalid(
            "code",
            format!(
                "«{}» do đơn vị bình xét hằng năm, không đề nghị bằng hồ sơ khen thưởng",
                entry.name
            ),
        ));
    }
    let kind = match input.subject {
        SubjectRef::Person(_) => SubjectKind::Individual,
        SubjectRef::Unit(_) => SubjectKind::Collective,
    };
    if !entry.subjects.contains(&kind) {
        return Err(invalid(
            "code",
            format!("{} không dành cho {}", entry.name, kind.label()),
        ));
    }
    if input.period_from > input.period_to || input.period_to > today.year() {
        return Err(invalid(
            "period",
            format!(
                "Giai đoạn thành tích {}–{} không hợp lệ",
                input.period_from, input.period_to
            ),
        ));
    }
    // The subject must belong to the proposing unit's subtree.
    let subject_unit = match input.subject {
        SubjectRef::Person(p) => {
            let m = store.memberships(p).await?;
            if m.is_empty() {
                return Err(AppError::NotFound(format!("cá nhân #{p}")));
            }
            m.into_iter().map(|(u, ..)| u).collect::<Vec<_>>()
        }
        SubjectRef::Unit(u) => vec![u],
    };
    let mut inside = false;
    for u in subject_unit {
        if let Some(thidua_domain::policy::Object::Unit { chain, .. }) =
            auth::unit_object(store, u, today).await?
            && chain.contains(&dossier.unit_id)
        {
            inside = true;
        }
    }
    if !inside {
        return Err(invalid(
            "subject",
            "Đối tượng không thuộc đơn vị đề nghị hoặc các đơn vị trực thuộc",
        ));
    }
    let line = store
        .add_dossier_line(
            who,
            id,
            &thidua_store::NewDossierLine {
                subject: input.subject,
                code: entry.code.as_str().to_owned(),
                period_from: input.period_from,
                period_to: input.period_to,
                summary: input.summary.clone(),
                achievement: input.achievement,
            },
        )
        .await?;
    recheck(store, who, id, today).await?;
    Ok(line)
}
