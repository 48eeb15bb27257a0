//! What every part of a decision's work shares: the province's issuer
//! words, fonts, the templates in force, the province of a unit, numbering,
//! bonuses and the catalogue's names.

use crate::{AppError, AppResult, invalid};
use std::sync::OnceLock;
use thidua_documents as docs;
use thidua_domain::decision as dd;
use thidua_domain::document::DocumentNumber;
use thidua_domain::eligibility::catalogue::{CatalogueEntry, in_force};
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::template::{Template, TemplateKind};
use thidua_store::{Store, UnitRow, Who};
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
