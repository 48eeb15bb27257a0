//! A movement as a TOML file: reading it, turning it into a new movement,
//! writing it back out.

use crate::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use thidua_domain::date::VnDate;
use thidua_domain::document::DocumentNumber;
use thidua_domain::indicator::{IndicatorDef, check_indicators};
use thidua_domain::movement::{LaunchLevel, MovementCode, MovementKind, check_dates};
use thidua_domain::org::UnitCode;
use thidua_store::{MovementRow, NewMovement, Store};
use time::Date;

/// Reusable indicator sets shipped with thidua, by name.
pub const INDICATOR_SETS: &[(&str, &str)] = &[(
    "nong-thon-moi-2021-2025",
    include_str!("../../templates/nong-thon-moi-2021-2025.toml"),
)];

/// The movement file: `[movement]`, optional `indicator_set` and
/// `[defaults]`, then `[[indicators]]`. Documented in docs/formats/movement.md.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovementFile {
    pub movement: MovementHeader,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator_set: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<toml::Table>,
    #[serde(default)]
    pub indicators: Vec<toml::Table>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovementHeader {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub level: String,
    /// Mã đơn vị phát động (a unit code, read as of the start date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentHeader>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_deadline: Option<String>,
    /// Mã phong trào cấp trên.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_collectives: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_individuals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content_areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub award_forms: Vec<String>,
    /// Tiêu chuẩn thi đua of the movement, one per line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentHeader {
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct IndicatorSetFile {
    #[serde(default)]
    defaults: Option<toml::Table>,
    indicators: Vec<toml::Table>,
}

pub(super) fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field,
        message: message.into(),
    }
}

/// Reads indicator tables with defaults filled in.
pub(super) fn indicator_defs(
    tables: &[toml::Table],
    defaults: Option<&toml::Table>,
) -> AppResult<Vec<IndicatorDef>> {
    tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut t = t.clone();
            for (k, v) in defaults.into_iter().flatten() {
                t.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let code = t
                .get("code")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
                .unwrap_or_else(|| format!("#{}", i + 1));
            toml::Value::Table(t)
                .try_into::<IndicatorDef>()
                .map_err(|e| invalid("indicators", format!("chỉ tiêu {code}: {}", e.message())))
        })
        .collect()
}

/// The indicators of a shipped set.
pub fn indicator_set(name: &str) -> AppResult<Vec<IndicatorDef>> {
    let (_, text) = INDICATOR_SETS
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| {
            invalid(
                "indicator_set",
                format!(
                    "không có bộ chỉ tiêu «{name}» (có: {})",
                    INDICATOR_SETS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    let set: IndicatorSetFile =
        toml::from_str(text).map_err(|e| AppError::Internal(format!("bộ chỉ tiêu {name}: {e}")))?;
    indicator_defs(&set.indicators, set.defaults.as_ref())
}

pub(super) fn date(field: &'static str, s: &str) -> AppResult<Date> {
    VnDate::parse(s)
        .map(|d| d.0)
        .map_err(|e| invalid(field, e.to_string()))
}

pub(super) fn opt_text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(thidua_domain::text::normalize)
}

/// Turns a movement file (TOML) into a movement to create: every field
/// parsed, unit and parent codes resolved.
pub async fn parse_movement_file(store: &Store, text: &str) -> AppResult<NewMovement> {
    let file: MovementFile = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(" (dòng {line})")
            })
            .unwrap_or_default();
        invalid("file", format!("tệp phong trào sai{at}: {}", e.message()))
    })?;
    let mut indicators = match &file.indicator_set {
        Some(name) => indicator_set(name)?,
        None => Vec::new(),
    };
    indicators.extend(indicator_defs(&file.indicators, file.defaults.as_ref())?);
    header_to_new(store, &file.movement, indicators).await
}

/// Parses a header's fields, whether from a file or a web form.
pub async fn header_to_new(
    store: &Store,
    h: &MovementHeader,
    indicators: Vec<IndicatorDef>,
) -> AppResult<NewMovement> {
    let code = MovementCode::parse(&h.code).map_err(|e| invalid("code", e.to_string()))?;
    let name = thidua_domain::text::normalize(h.name.trim());
    if name.is_empty() {
        return Err(invalid("name", "cần tên phong trào"));
    }
    let kind = MovementKind::parse(&h.kind).map_err(|e| invalid("kind", e.to_string()))?;
    let level = LaunchLevel::parse(&h.level).map_err(|e| invalid("level", e.to_string()))?;
    let start = date("start", &h.start)?;
    let end = opt_text(&h.end).map(|s| date("end", &s)).transpose()?;
    let deadline = opt_text(&h.registration_deadline)
        .map(|s| date("registration_deadline", &s))
        .transpose()?;
    check_dates(start, end, deadline).map_err(|e| invalid("end", e.to_string()))?;
    let authority = match opt_text(&h.authority) {
        None => None,
        Some(code) => {
            let c = UnitCode::parse(&code).map_err(|e| invalid("authority", e.to_string()))?;
            let unit = store
                .resolve_code(c.as_str(), None, start)
                .await?
                .ok_or_else(|| invalid("authority", format!("không có đơn vị mã {code}")))?;
            Some(unit.id)
        }
    };
    let (doc_number, doc_date, doc_signer) = match &h.document {
        None => (None, None, None),
        Some(d) => (
            Some(
                DocumentNumber::parse(&d.number)
                    .map_err(|e| invalid("doc_number", e.to_string()))?,
            ),
            opt_text(&d.date)
                .map(|s| date("doc_date", &s))
                .transpose()?,
            opt_text(&d.signer),
        ),
    };
    let parent = match opt_text(&h.parent) {
        None => None,
        Some(p) => {
            let pc = MovementCode::parse(&p).map_err(|e| invalid("parent", e.to_string()))?;
            Some(
                store
                    .movement_by_code(&pc)
                    .await?
                    .ok_or_else(|| invalid("parent", format!("không có phong trào mã {p}")))?
                    .id,
            )
        }
    };
    check_indicators(&indicators).map_err(|errs| {
        invalid(
            "indicators",
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let clean = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| thidua_domain::text::normalize(s.trim()))
            .filter(|s| !s.is_empty())
            .collect()
    };
    Ok(NewMovement {
        code,
        name,
        kind,
        level,
        authority,
        doc_number,
        doc_date,
        doc_signer,
        theme: opt_text(&h.theme),
        start,
        end,
        registration_deadline: deadline,
        parent,
        target_collectives: clean(&h.target_collectives),
        target_individuals: clean(&h.target_individuals),
        content_areas: clean(&h.content_areas),
        award_forms: clean(&h.award_forms),
        criteria: clean(&h.criteria),
        indicators,
    })
}

/// Writes a movement back as a file that [`parse_movement_file`] reads.
pub async fn export_movement_file(store: &Store, m: &MovementRow) -> AppResult<String> {
    let authority = match m.authority {
        Some(u) => store.unit(u, m.start).await?.map(|u| u.code),
        None => None,
    };
    let parent = match m.parent_id {
        Some(p) => store.movement(p).await?.map(|p| p.code.to_string()),
        None => None,
    };
    let indicators = store
        .indicators(m.id)
        .await?
        .into_iter()
        .map(|i| toml::Table::try_from(&i.def).map_err(|e| AppError::Internal(e.to_string())))
        .collect::<AppResult<Vec<_>>>()?;
    let file = MovementFile {
        movement: MovementHeader {
            code: m.code.to_string(),
            name: m.name.clone(),
            kind: m.kind.as_str().to_owned(),
            level: m.level.as_str().to_owned(),
            authority,
            document: m.doc_number.as_ref().map(|n| DocumentHeader {
                number: n.clone(),
                date: m.doc_date.map(|d| VnDate(d).iso()),
                signer: m.doc_signer.clone(),
            }),
            theme: m.theme.clone(),
            start: VnDate(m.start).iso(),
            end: m.end.map(|d| VnDate(d).iso()),
            registration_deadline: m.registration_deadline.map(|d| VnDate(d).iso()),
            parent,
            target_collectives: m.target_collectives.clone(),
            target_individuals: m.target_individuals.clone(),
            content_areas: m.content_areas.clone(),
            award_forms: m.award_forms.clone(),
            criteria: m.criteria.clone(),
        },
        indicator_set: None,
        defaults: None,
        indicators,
    };
    toml::to_string_pretty(&file).map_err(|e| AppError::Internal(e.to_string()))
}
