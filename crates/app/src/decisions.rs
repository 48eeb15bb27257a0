//! Decisions as documents: numbering, bonuses, the words from the
//! administrators' templates, and the PDF/DOCX/certificates they print as.
//! Also corrections and revocations, which change the registry through a
//! later decision that names the earlier one.

pub use crate::decision_defaults::ensure_defaults;

mod common;
mod office;
mod paper;
use crate::{AppError, AppResult, invalid};
pub(crate) use common::lower_first;
pub use common::{
    ISSUER_PROVINCE, SYMBOL_PROVINCE, bonus_for, fonts, form_name, next_number, place_name,
    province_of, save_template, template,
};
pub use office::{issuer_kind_of, office_of};
pub use paper::{DecisionPaper, Format, certificates, decision_doc, paper, preview, render};
use thidua_domain::decision::{self as dd, DecisionId, DecisionKind};
use thidua_domain::document::DocumentNumber;
use thidua_domain::dossier::DossierId;
use thidua_domain::org::UnitId;
use thidua_domain::policy;
use thidua_store::{DecisionEffect, DecisionRow, NewDecision, Store, UserRow, Who};
use time::Date;

/// A later decision that revokes or corrects awards of an earlier one.
pub struct Amendment {
    pub kind: DecisionKind,
    pub refers_to: DecisionId,
    /// Awards of the earlier decision it concerns.
    pub awards: Vec<i64>,
    /// Annual titles the earlier decision gave (a CSTĐCS by the unit's
    /// head): they can be revoked, not corrected.
    pub titles: Vec<i64>,
    /// For a correction: the corrected achievement text of each award.
    pub achievement: Option<String>,
    pub number: String,
    pub date: Date,
    pub signer: String,
    pub signer_title: String,
    pub reason: String,
}

/// Records a revocation or correction; the registry keeps both the
/// earlier lines (revoked, or superseded) and the new decision.
pub async fn amend(store: &Store, who: &Who, today: Date, a: &Amendment) -> AppResult<DecisionId> {
    if !a.kind.refers_to_earlier() {
        return Err(invalid(
            "kind",
            "Chỉ đính chính hoặc hủy bỏ một quyết định đã có",
        ));
    }
    let earlier = store
        .decision(a.refers_to)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("quyết định #{}", a.refers_to)))?;
    if a.reason.trim().is_empty() {
        return Err(invalid(
            "reason",
            "Hãy ghi lý do (Luật TĐKT: căn cứ hủy bỏ, đính chính)",
        ));
    }
    if a.date > today || a.date < earlier.decision_date {
        return Err(invalid(
            "date",
            "Ngày quyết định phải từ ngày quyết định gốc đến hôm nay",
        ));
    }
    if a.awards.is_empty() && a.titles.is_empty() {
        return Err(invalid(
            "awards",
            "Hãy chọn ít nhất một dòng của quyết định gốc",
        ));
    }
    if !a.titles.is_empty() && a.kind != DecisionKind::Revocation {
        return Err(invalid(
            "awards",
            "Danh hiệu thi đua chỉ hủy bỏ được; muốn sửa, hãy hủy bỏ rồi tặng lại",
        ));
    }
    let lines = store.decision_lines(earlier.id).await?;
    let chosen = a.awards.iter().map(|id| (false, id));
    for (title, id) in chosen.chain(a.titles.iter().map(|id| (true, id))) {
        let Some(l) = lines
            .iter()
            .find(|l| l.award_id == *id && l.title == title && l.decision_id == Some(earlier.id.0))
        else {
            return Err(invalid(
                "awards",
                format!("dòng #{id} không thuộc quyết định {}", earlier.number),
            ));
        };
        if l.status != "active" {
            return Err(invalid(
                "awards",
                format!("{} đã bị hủy bỏ hoặc đính chính", l.subject_name),
            ));
        }
    }
    let issuer_unit = earlier.issuer_unit_id.map(UnitId);
    let (number, serial) = if a.number.trim().is_empty() {
        let symbol = DocumentNumber::parse(&earlier.number)
            .map(|n| dd::symbol_of(&n).to_owned())
            .unwrap_or_else(|_| SYMBOL_PROVINCE.to_owned());
        let (n, s) =
            next_number(store, &earlier.issuer, issuer_unit, a.date.year(), &symbol).await?;
        (n.to_string(), Some(s))
    } else {
        let n =
            DocumentNumber::parse(a.number.trim()).map_err(|e| invalid("number", e.to_string()))?;
        (n.to_string(), dd::serial_of(&n).map(i64::from))
    };
    let new = NewDecision {
        kind: a.kind,
        issuer: earlier.issuer.clone(),
        issuer_unit,
        number,
        serial,
        date: a.date,
        signer: a.signer.trim().to_owned(),
        signer_title: a.signer_title.trim().to_owned(),
        grounds: String::new(),
        proposer: String::new(),
        award_code: earlier.award_code.clone(),
        refers_to: Some(earlier.id.0),
        reason: Some(a.reason.trim().to_owned()),
        dossier: None,
        base_salary_vnd: earlier.base_salary_vnd,
        issuer_kind: earlier.issuer_kind.clone(),
    };
    let effect = match a.kind {
        DecisionKind::Revocation => DecisionEffect::Revoke {
            awards: a.awards.clone(),
            titles: a.titles.clone(),
        },
        _ => DecisionEffect::Correct(
            a.awards
                .iter()
                .filter_map(|id| lines.iter().find(|l| l.award_id == *id && !l.title))
                .map(|l| {
                    (
                        l.award_id,
                        thidua_store::RegistryEntry {
                            subject: match (l.person_id, l.unit_id) {
                                (Some(p), _) => thidua_store::SubjectRef::Person(p),
                                (None, u) => thidua_store::SubjectRef::Unit(UnitId(u.unwrap_or(0))),
                            },
                            code: l.code.clone(),
                            annual_title: false,
                            period_from: l.period_from.unwrap_or(a.date.year()),
                            period_to: l.period_to.unwrap_or(a.date.year()),
                            award_type: l.award_type.clone(),
                            achievement: a.achievement.clone().or_else(|| l.achievement.clone()),
                            bonus_vnd: l.bonus_vnd,
                            subject_unit: l.subject_unit_id.map(UnitId),
                            movement: None,
                        },
                    )
                })
                .collect(),
        ),
    };
    let id = DecisionId(store.add_decision(who, &new, &effect).await?);
    if a.kind == DecisionKind::Revocation {
        crate::rechecks::after_revocation(store, who, id, &a.awards, &a.titles).await?;
    }
    Ok(id)
}

/// What a user may do with a decision.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecisionAccess {
    pub view: bool,
    /// Correct or revoke it by a later decision.
    pub amend: bool,
}

/// What `user` may do with a decision, as [`policy::decision_rights`]
/// decides it.
pub async fn access(
    store: &Store,
    user: &UserRow,
    d: &DecisionRow,
    today: Date,
) -> AppResult<DecisionAccess> {
    let issuer = match d.issuer_unit_id {
        Some(u) => match crate::auth::unit_object(store, UnitId(u), today).await? {
            Some(o) => policy::Issuer::Unit(o),
            None => policy::Issuer::Missing,
        },
        None => policy::Issuer::Central,
    };
    let object = match (d.dossier_id, issuer) {
        (Some(id), issuer) => policy::DecisionObject::OnDossier {
            dossier_visible: match store.dossier(DossierId(id)).await? {
                Some(dossier) => {
                    crate::dossiers::access(store, user, &dossier, today)
                        .await?
                        .view
                }
                None => false,
            },
            issuer,
        },
        (None, policy::Issuer::Central) => {
            let mut units: Vec<i64> = store
                .decision_lines(d.id)
                .await?
                .iter()
                .filter_map(|l| l.subject_unit_id)
                .collect();
            units.sort_unstable();
            units.dedup();
            let mut subjects = Vec::new();
            for u in units {
                subjects.extend(crate::auth::unit_object(store, UnitId(u), today).await?);
            }
            policy::DecisionObject::Central { subjects }
        }
        (None, issuer) => policy::DecisionObject::Provincial { issuer },
    };
    let rights = policy::decision_rights(&crate::auth::actor(store, user, today).await?, &object);
    Ok(DecisionAccess {
        view: rights.view,
        amend: rights.amend,
    })
}

#[cfg(test)]
pub(crate) mod tests;
