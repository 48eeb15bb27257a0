//! Tổng hợp — turning the values of the entering units placed under a unit
//! into that unit's figures, and the figures into the sentence a report
//! opens with ("Toàn tỉnh có 38/60 xã đạt chuẩn nông thôn mới; …").
//!
//! The caller places every entering unit in the reporting tree (legacy or
//! current boundaries) and says which values it had on the day asked; this
//! module only counts.

use crate::indicator::{IndicatorCode, IndicatorDef, Measure, Rollup, RollupSpec};
use crate::number::format_vi;
use crate::org::{UnitId, UnitKind};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;

/// One entering unit (đơn vị nhập liệu) as placed in the reporting tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub unit: UnitId,
    pub kind: UnitKind,
    pub admin_type: Option<String>,
    /// The reporting tree's units from the one this member sits in (itself,
    /// or what it became / came from) up to the top.
    pub chain: Vec<(UnitId, UnitKind)>,
}

impl Member {
    pub fn is_under(&self, unit: UnitId) -> bool {
        self.chain.iter().any(|(u, _)| *u == unit)
    }

    fn ancestor_of_kind(&self, kind: UnitKind) -> Option<UnitId> {
        self.chain.iter().find(|(_, k)| *k == kind).map(|(u, _)| *u)
    }
}

/// Every indicator's value for every member: inputs as given, derived ones
/// computed by their formulas.
#[derive(Debug, Clone, PartialEq)]
pub struct LeafTable {
    values: Vec<Vec<Option<f64>>>,
}

impl LeafTable {
    /// `input(m, i)` is member `m`'s value of indicator `i`; `order` comes
    /// from [`check_indicators`](crate::indicator::check_indicators).
    pub fn build(
        defs: &[IndicatorDef],
        order: &[usize],
        members: usize,
        input: impl Fn(usize, usize) -> Option<f64>,
    ) -> LeafTable {
        let index: HashMap<&IndicatorCode, usize> =
            defs.iter().enumerate().map(|(i, d)| (&d.code, i)).collect();
        let mut values = Vec::with_capacity(members);
        for m in 0..members {
            let mut row: Vec<Option<f64>> = vec![None; defs.len()];
            for &i in order {
                row[i] = match &defs[i].formula {
                    None => input(m, i),
                    Some(f) => f.eval(&|c| index.get(c).and_then(|&j| row[j])),
                };
            }
            values.push(row);
        }
        LeafTable { values }
    }

    pub fn get(&self, member: usize, indicator: usize) -> Option<f64> {
        self.values
            .get(member)
            .and_then(|r| r.get(indicator).copied().flatten())
    }
}

/// One figure of a unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub indicator: IndicatorCode,
    pub indicator_name: String,
    /// The roll-up's key ("avg", "count_ge_1"…), unique per indicator.
    pub rollup: String,
    pub label: String,
    pub value: Option<f64>,
    /// The value as people read it ("16,42", "38").
    pub display: String,
    /// Entering units under the unit (the denominator of "38/60").
    pub total: usize,
    /// Of those, how many have a value.
    pub reported: usize,
    /// The change since the roll-up's baseline, if it has one.
    pub change: Option<f64>,
    /// The figure in words, for the summary sentence.
    pub phrase: Option<String>,
}

/// The figures of the unit whose members are `members` (indexes into
/// `all` and the tables). `baseline(d)` gives the table of values as of
/// date `d` for roll-ups that compare with a baseline.
pub fn figures(
    defs: &[IndicatorDef],
    all: &[Member],
    members: &[usize],
    table: &LeafTable,
    baseline: &dyn Fn(Date) -> Option<LeafTable>,
) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut baselines: HashMap<Date, Option<LeafTable>> = HashMap::new();
    for (i, def) in defs.iter().enumerate() {
        let population: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&m| def.entry.admits(all[m].kind, all[m].admin_type.as_deref()))
            .collect();
        let index_of = |code: &IndicatorCode| defs.iter().position(|d| &d.code == code);
        for spec in &def.rollups {
            let (value, reported) = compute(&spec.rollup, all, &population, table, i, &index_of);
            let change = match (spec.baseline, value) {
                (Some(d), Some(now)) => baselines
                    .entry(d)
                    .or_insert_with(|| baseline(d))
                    .as_ref()
                    .and_then(|t| compute(&spec.rollup, all, &population, t, i, &index_of).0)
                    .map(|then| now - then),
                _ => None,
            };
            let decimals = spec.decimals.unwrap_or(match &spec.rollup {
                Rollup::Avg | Rollup::Ratio { .. } | Rollup::ShareWhere { .. } => 2,
                Rollup::CountWhere { .. } | Rollup::GroupsAllMeet { .. } => 0,
                Rollup::AllMeet { .. } => 0,
                Rollup::Sum | Rollup::Min | Rollup::Max => {
                    if def.measure.is_integral() {
                        0
                    } else {
                        2
                    }
                }
            });
            let display = match (value, &spec.rollup) {
                (None, _) => "—".to_owned(),
                (Some(v), Rollup::AllMeet { .. }) => {
                    if v != 0.0 { "Đạt" } else { "Chưa đạt" }.to_owned()
                }
                (Some(v), _) => format_vi(v, decimals),
            };
            let phrase = phrase(
                spec,
                def.measure,
                value,
                change,
                &display,
                decimals,
                population.len(),
                reported,
            );
            out.push(Figure {
                indicator: def.code.clone(),
                indicator_name: def.name.clone(),
                rollup: spec.rollup.key(),
                label: spec.rollup.label(),
                value,
                display,
                total: population.len(),
                reported,
                change,
                phrase,
            });
        }
    }
    out
}

fn compute(
    rollup: &Rollup,
    all: &[Member],
    population: &[usize],
    table: &LeafTable,
    i: usize,
    index_of: &dyn Fn(&IndicatorCode) -> Option<usize>,
) -> (Option<f64>, usize) {
    let present: Vec<f64> = population.iter().filter_map(|&m| table.get(m, i)).collect();
    let reported = present.len();
    let some_if = |ok: bool, v: f64| ok.then_some(v);
    let value = match rollup {
        Rollup::Sum => some_if(reported > 0, present.iter().sum()),
        Rollup::Avg => some_if(reported > 0, present.iter().sum::<f64>() / reported as f64),
        Rollup::Min => present.iter().copied().reduce(f64::min),
        Rollup::Max => present.iter().copied().reduce(f64::max),
        Rollup::CountWhere { op, value } => some_if(
            reported > 0,
            present.iter().filter(|v| op.holds(**v, *value)).count() as f64,
        ),
        Rollup::ShareWhere { op, value } => some_if(
            reported > 0 && !population.is_empty(),
            present.iter().filter(|v| op.holds(**v, *value)).count() as f64 * 100.0
                / population.len() as f64,
        ),
        Rollup::Ratio { denominator, scale } => {
            let j = index_of(denominator);
            let (mut num, mut den, mut n) = (0.0, 0.0, 0);
            for &m in population {
                if let (Some(a), Some(b)) = (table.get(m, i), j.and_then(|j| table.get(m, j))) {
                    num += a;
                    den += b;
                    n += 1;
                }
            }
            some_if(n > 0 && den != 0.0, num / den * scale)
        }
        Rollup::AllMeet { op, value } => some_if(
            reported > 0,
            if reported == population.len() && present.iter().all(|v| op.holds(*v, *value)) {
                1.0
            } else {
                0.0
            },
        ),
        Rollup::GroupsAllMeet { level, op, value } => {
            let mut groups: HashMap<UnitId, bool> = HashMap::new();
            for &m in population {
                if let Some(g) = all[m].ancestor_of_kind(*level) {
                    let meets = table.get(m, i).is_some_and(|v| op.holds(v, *value));
                    let e = groups.entry(g).or_insert(true);
                    *e = *e && meets;
                }
            }
            some_if(
                reported > 0,
                groups.values().filter(|ok| **ok).count() as f64,
            )
        }
    };
    (value, reported)
}

#[allow(clippy::too_many_arguments)]
fn phrase(
    spec: &RollupSpec,
    measure: Measure,
    value: Option<f64>,
    change: Option<f64>,
    display: &str,
    decimals: usize,
    total: usize,
    reported: usize,
) -> Option<String> {
    let v = value?;
    let template = if v == 0.0 {
        spec.phrase_zero.as_ref().or(spec.phrase.as_ref())?
    } else {
        spec.phrase.as_ref()?
    };
    // An empty phrase says nothing: "0 huyện có 100 %…" is not news.
    if template.is_empty() || spec.baseline.is_some() && change.is_none() {
        return None;
    }
    let shown = if measure == Measure::Vnd && matches!(spec.rollup, Rollup::Sum) {
        crate::number::format_vnd(v)
    } else {
        display.to_owned()
    };
    let mut s = template
        .replace("{value}", &shown)
        .replace("{total}", &format_vi(total as f64, 0))
        .replace("{reported}", &format_vi(reported as f64, 0));
    if let Some(c) = change {
        s = s
            .replace("{abs}", &format_vi(c.abs(), decimals))
            .replace("{trend}", if c < 0.0 { "giảm" } else { "tăng" });
    }
    Some(s)
}

/// "Toàn tỉnh", "Toàn huyện", "Toàn xã", "Cả nước": how reports name the
/// whole of the unit they describe.
pub fn scope_words(unit: Option<(UnitKind, Option<&str>)>) -> String {
    let Some((kind, admin_type)) = unit else {
        return "Cả nước".to_owned();
    };
    let t = admin_type.map(crate::text::fold).unwrap_or_default();
    let noun = match kind {
        UnitKind::Province if t.starts_with("thanh pho") => "thành phố",
        UnitKind::Province => "tỉnh",
        UnitKind::District if t.starts_with("thanh pho") => "thành phố",
        UnitKind::District if t == "thi xa" => "thị xã",
        UnitKind::District if t == "quan" => "quận",
        UnitKind::District => "huyện",
        UnitKind::Commune if t == "phuong" => "phường",
        UnitKind::Commune if t == "thi tran" => "thị trấn",
        UnitKind::Commune if t == "dac khu" => "đặc khu",
        UnitKind::Commune => "xã",
        _ => "đơn vị",
    };
    format!("Toàn {noun}")
}

/// The report's opening sentence: the scope words, then each figure's
/// phrase in the order the movement declares them.
pub fn summary_sentence(scope: &str, figures: &[Figure]) -> Option<String> {
    let phrases: Vec<&str> = figures.iter().filter_map(|f| f.phrase.as_deref()).collect();
    if phrases.is_empty() {
        return None;
    }
    Some(format!("{scope} có {}", phrases.join("; ")))
}

/// How many entering units the headline's figures rest on, and out of how
/// many («Số liệu của 1/103 đơn vị»): an average over one commune must
/// not read as the province's. `None` when no figure is in the headline.
pub fn coverage(figures: &[Figure]) -> Option<(usize, usize)> {
    figures
        .iter()
        .filter(|f| f.phrase.is_some())
        .map(|f| (f.reported, f.total))
        .min_by_key(|(reported, _)| *reported)
}

/// [`coverage`] in words.
pub fn coverage_sentence(figures: &[Figure]) -> Option<String> {
    let (reported, total) = coverage(figures)?;
    Some(if reported < total {
        format!(
            "Mới có {reported}/{total} đơn vị có số liệu: các con số trên chỉ tính trên những đơn vị này"
        )
    } else {
        format!("Số liệu đủ của {reported}/{total} đơn vị")
    })
}

#[cfg(test)]
mod tests;
