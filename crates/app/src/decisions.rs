//! Decisions as documents: numbering, bonuses, the words from the
//! administrators' templates, and the PDF/DOCX/certificates they print as.
//! Also corrections and revocations, which change the registry through a
//! later decision that names the earlier one.

pub use crate::decision_defaults::ensure_defaults;

mod office;
mod paper;
use crate::{AppError, AppResult, invalid};
pub use office::{issuer_kind_of, office_of};
pub use paper::{DecisionPaper, Format, certificates, decision_doc, paper, preview, render};
use std::sync::OnceLock;
use thidua_documents as docs;
use thidua_domain::decision::{self as dd, DecisionId, DecisionKind};
use thidua_domain::document::DocumentNumber;
use thidua_domain::dossier::DossierId;
use thidua_domain::eligibility::catalogue::{CatalogueEntry, in_force};
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::policy;
use thidua_domain::template::{Template, TemplateKind};
use thidua_store::{DecisionEffect, DecisionRow, NewDecision, Store, UnitRow, UserRow, Who};
use time::Date;

/// The authority of a provincial decision, in words; the province's name
/// follows it ("… tỉnh Lâm Đồng").
pub const ISSUER_PROVINCE: &str = "Chủ tịch Ủy ban nhân dân tỉnh";
/// The symbol of a provincial chairman's decisions.
pub const SYMBOL_PROVINCE: &str = "QĐ-UBND";

/// Fonts are read once per process; a machine without them gets one clear
/// error per request instead of a crash.
pub fn fonts() -> AppResult<&'static docs::Fonts> {
    static FONTS: OnceLock<Result<docs::Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let dir = std::env::var_os("THIDUA_FONT_DIR").map(std::path::PathBuf::from);
            docs::Fonts::load(dir.as_deref()).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| AppError::Internal(e.clone()))
}

/// The template of a kind in force (the shipped one if none is stored).
pub async fn template(store: &Store, kind: TemplateKind) -> AppResult<Template> {
    let body = store.template(kind).await?.map(|t| t.body);
    let body = body.as_deref().unwrap_or(kind.default_text());
    Template::parse(kind, body).map_err(|e| invalid("template", e.to_string()))
}

/// Checks and saves a new version of a template; a template with an
/// unknown placeholder or section is refused with its line and column.
pub async fn save_template(
    store: &Store,
    who: &Who,
    kind: TemplateKind,
    body: &str,
) -> AppResult<i64> {
    Template::parse(kind, body).map_err(|e| invalid("body", e.to_string()))?;
    Ok(store.save_template(who, kind, body).await?)
}

/// The province a unit is in on a day (itself, when it is one).
pub async fn province_of(store: &Store, unit: UnitId, on: Date) -> AppResult<Option<UnitRow>> {
    let mut chain = store.ancestors_as_of(unit, on).await?;
    if chain.is_empty() {
        // An ended unit: ask on its last day.
        if let Some(u) = store.unit(unit, on).await? {
            chain = vec![u];
        }
    }
    Ok(chain.into_iter().find(|u| u.kind == UnitKind::Province))
}

/// "Tỉnh Lâm Đồng" → "Lâm Đồng"; "Thành phố Hà Nội" → "Hà Nội".
pub fn place_name(unit_name: &str) -> String {
    for prefix in ["Tỉnh ", "tỉnh ", "Thành phố ", "thành phố "] {
        if let Some(rest) = unit_name.strip_prefix(prefix) {
            return rest.to_owned();
        }
    }
    unit_name.to_owned()
}

/// The number the next decision of an issuer takes this year.
pub async fn next_number(
    store: &Store,
    issuer: &str,
    issuer_unit: Option<UnitId>,
    year: i32,
    symbol: &str,
) -> AppResult<(DocumentNumber, i64)> {
    let last = store
        .last_decision_serial(issuer, issuer_unit, year)
        .await?;
    let last = last.and_then(|l| u32::try_from(l).ok());
    let n = dd::next_number(last, symbol).ok_or_else(|| {
        invalid(
            "number",
            format!("không đánh được số sau {last:?}/{symbol}"),
        )
    })?;
    let serial = dd::serial_of(&n).map_or(0, i64::from);
    Ok((n, serial))
}

/// The bonus of one line: the catalogue's multiple × the base salary on
/// the decision day, rounded up; `None` when the catalogue has no figure.
pub fn bonus_for(
    catalogue: &[CatalogueEntry],
    salaries: &[dd::BaseSalary],
    code: &str,
    on: Date,
) -> Option<i64> {
    let entry = in_force(catalogue, on)
        .into_iter()
        .find(|e| e.code.as_str() == code)?;
    let tenths = dd::multiple_in_tenths(entry.bonus_multiple?)?;
    let base = dd::base_salary_on(salaries, on)?;
    Some(dd::bonus_vnd(
        tenths,
        base.amount_vnd,
        dd::BONUS_ROUNDING_VND,
    ))
}

/// The catalogue's name of a code on a day (the code itself if unknown),
/// with only the first of the authorities it lists: a provincial decision
/// gives "Bằng khen của Chủ tịch UBND tỉnh", not "…, Bộ trưởng".
pub fn form_name(catalogue: &[CatalogueEntry], code: &str, on: Date) -> String {
    // A record older than the catalogue is named as its first version names it.
    let name = in_force(catalogue, on)
        .into_iter()
        .find(|e| e.code.as_str() == code)
        .or_else(|| {
            catalogue
                .iter()
                .filter(|e| e.code.as_str() == code)
                .min_by_key(|e| e.effective_from)
        })
        .map_or_else(|| code.to_owned(), |e| e.name.clone());
    match name.split_once(" của ") {
        Some((form, by)) => format!("{form} của {}", by.split(", ").next().unwrap_or(by)),
        None => name,
    }
}

pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A later decision that revokes or corrects awards of an earlier one.
pub struct Amendment {
    pub kind: DecisionKind,
    pub refers_to: DecisionId,
    /// Awards of the earlier decision it concerns.
    pub awards: Vec<i64>,
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
    if a.awards.is_empty() {
        return Err(invalid(
            "awards",
            "Hãy chọn ít nhất một dòng của quyết định gốc",
        ));
    }
    let lines = store.decision_lines(earlier.id).await?;
    for id in &a.awards {
        let Some(l) = lines
            .iter()
            .find(|l| l.award_id == *id && l.decision_id == Some(earlier.id.0))
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
        DecisionKind::Revocation => DecisionEffect::Revoke(a.awards.clone()),
        _ => DecisionEffect::Correct(
            a.awards
                .iter()
                .filter_map(|id| lines.iter().find(|l| l.award_id == *id))
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
        crate::rechecks::after_revocation(store, who, id, &a.awards).await?;
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
