//! Chỉ tiêu — the indicators a movement is measured by: what is entered,
//! by which units, for which periods, and how figures roll up the hierarchy.

use crate::formula::Formula;
use crate::number::parse_vi;
use crate::org::UnitKind;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use time::{Date, Month};

mod code;

pub use code::{IndicatorCode, IndicatorError};

/// Đơn vị tính — what a value counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Số lượng (cái, lượt, công trình…).
    Count,
    /// Đồng.
    Vnd,
    /// Tỷ lệ phần trăm.
    Percent,
    /// Mét vuông.
    SquareMetre,
    /// Ngày công.
    Workdays,
    /// Hộ.
    Households,
    /// Người.
    Persons,
    /// Tiêu chí đạt / không đạt — yes/no.
    Criterion,
    /// Số thập phân không đơn vị (bình quân, hệ số…).
    Number,
}

impl Measure {
    pub const ALL: [Measure; 9] = [
        Measure::Count,
        Measure::Vnd,
        Measure::Percent,
        Measure::SquareMetre,
        Measure::Workdays,
        Measure::Households,
        Measure::Persons,
        Measure::Criterion,
        Measure::Number,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Count => "count",
            Measure::Vnd => "vnd",
            Measure::Percent => "percent",
            Measure::SquareMetre => "square_metre",
            Measure::Workdays => "workdays",
            Measure::Households => "households",
            Measure::Persons => "persons",
            Measure::Criterion => "criterion",
            Measure::Number => "number",
        }
    }

    pub fn parse(s: &str) -> Result<Self, IndicatorError> {
        Measure::ALL
            .into_iter()
            .find(|m| m.as_str() == s.trim())
            .ok_or_else(|| IndicatorError::UnknownMeasure(s.to_owned()))
    }

    /// The unit as written after a number.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Count => "số lượng",
            Measure::Vnd => "đồng",
            Measure::Percent => "%",
            Measure::SquareMetre => "m²",
            Measure::Workdays => "ngày công",
            Measure::Households => "hộ",
            Measure::Persons => "người",
            Measure::Criterion => "đạt/không đạt",
            Measure::Number => "số",
        }
    }

    /// Whether values are whole numbers.
    pub fn is_integral(self) -> bool {
        matches!(
            self,
            Measure::Count
                | Measure::Vnd
                | Measure::Workdays
                | Measure::Households
                | Measure::Persons
                | Measure::Criterion
        )
    }

    /// Reads a value typed by a person or found in a spreadsheet cell.
    /// Criteria take "đạt"/"không đạt", "có"/"không", 1/0.
    pub fn parse_value(self, code: &IndicatorCode, s: &str) -> Result<f64, IndicatorError> {
        let bad = |why| IndicatorError::BadValue {
            code: code.to_string(),
            measure: self.label(),
            value: s.to_owned(),
            why,
        };
        if self == Measure::Criterion {
            let folded = crate::text::fold(s.trim());
            return match folded.as_str() {
                "dat" | "co" | "1" | "x" | "yes" | "true" => Ok(1.0),
                "khong dat" | "chua dat" | "khong" | "0" | "no" | "false" => Ok(0.0),
                _ => Err(bad("chỉ nhận «đạt» hoặc «không đạt»")),
            };
        }
        let t = s.trim().trim_end_matches('%').trim();
        let v = parse_vi(t).map_err(|_| bad("không phải là số"))?;
        self.check_value(code, v).map_err(|e| match e {
            IndicatorError::BadValue { why, .. } => bad(why),
            other => other,
        })
    }

    /// Checks a number already read (from a spreadsheet's numeric cell).
    pub fn check_value(self, code: &IndicatorCode, v: f64) -> Result<f64, IndicatorError> {
        let bad = |why| IndicatorError::BadValue {
            code: code.to_string(),
            measure: self.label(),
            value: crate::number::format_vi(v, 4),
            why,
        };
        if !v.is_finite() {
            return Err(bad("không phải là số"));
        }
        if v < 0.0 && self != Measure::Number {
            return Err(bad("không được âm"));
        }
        if self.is_integral() && v.fract() != 0.0 {
            return Err(bad("phải là số nguyên"));
        }
        if self == Measure::Criterion && v > 1.0 {
            return Err(bad("chỉ nhận «đạt» hoặc «không đạt»"));
        }
        if self == Measure::Percent && v > 100.0 {
            return Err(bad("tỷ lệ phải từ 0 đến 100"));
        }
        if v.abs() > self.ceiling() {
            return Err(bad(self.ceiling_reason()));
        }
        Ok(v)
    }

    /// The largest value a unit can plausibly report, far above any real
    /// figure (Vietnam has about 100 million people on 331 000 km²) but low
    /// enough that a slip of the keyboard — 10^29 households — is caught,
    /// and that sums stay exact in a double.
    pub fn ceiling(self) -> f64 {
        match self {
            Measure::Count | Measure::Households | Measure::Persons | Measure::Workdays => 1e9,
            Measure::Vnd => 1e15,
            Measure::SquareMetre => 1e12,
            Measure::Percent => 100.0,
            Measure::Criterion => 1.0,
            Measure::Number => 1e12,
        }
    }

    fn ceiling_reason(self) -> &'static str {
        match self {
            Measure::Vnd => "vượt quá 10^15 đồng, không thể là số liệu thật",
            Measure::SquareMetre => "vượt quá 10^12 m², lớn hơn diện tích cả nước",
            Measure::Number => "vượt quá 10^12, không thể là số liệu thật",
            _ => "vượt quá 1 tỷ, không thể là số liệu thật",
        }
    }

    /// A value for people: "Đạt", "16,42", "905.000.000".
    pub fn display(self, v: f64) -> String {
        match self {
            Measure::Criterion => if v != 0.0 { "Đạt" } else { "Không đạt" }.to_owned(),
            m if m.is_integral() => crate::number::format_vi(v, 0),
            _ => crate::number::format_vi(v, 2),
        }
    }
}

/// Kỳ báo cáo — the kind of period values are entered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Năm.
    Year,
    /// Quý.
    Quarter,
    /// Tại thời điểm — a value as of a date.
    Date,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Year => "year",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Date => "date",
        }
    }

    pub fn parse(s: &str) -> Result<Self, IndicatorError> {
        match s.trim() {
            "year" => Ok(PeriodKind::Year),
            "quarter" => Ok(PeriodKind::Quarter),
            "date" => Ok(PeriodKind::Date),
            _ => Err(IndicatorError::UnknownPeriodKind(s.to_owned())),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Year => "Năm",
            PeriodKind::Quarter => "Quý",
            PeriodKind::Date => "Tại thời điểm",
        }
    }

    fn expected(self) -> &'static str {
        match self {
            PeriodKind::Year => "năm (2023)",
            PeriodKind::Quarter => "quý (Q2/2023 hoặc 2023-Q2)",
            PeriodKind::Date => "ngày (31/12/2018)",
        }
    }
}

/// One reporting period: a year, a quarter, or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKey {
    Year(i32),
    Quarter(i32, u8),
    Date(Date),
}

impl PeriodKey {
    /// Reads a period of the given kind: "2023"; "Q2/2023", "2023-Q2",
    /// "Quý II/2023"; "31/12/2018" or "2018-12-31". A year written as a
    /// spreadsheet number ("2023.0") is read too.
    pub fn parse(kind: PeriodKind, s: &str) -> Result<Self, IndicatorError> {
        let t = s.trim();
        let bad = || IndicatorError::BadPeriod {
            text: s.to_owned(),
            expected: kind.expected(),
        };
        let year = |y: &str| -> Option<i32> {
            let y = y.trim();
            let y = y.strip_suffix(".0").unwrap_or(y);
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
                .filter(|y| (1945..=2200).contains(y))
        };
        match kind {
            PeriodKind::Year => year(t).map(PeriodKey::Year).ok_or_else(bad),
            PeriodKind::Quarter => {
                let upper: String = crate::text::normalize(t)
                    .to_uppercase()
                    .replace("QUÝ", "Q")
                    .replace("QUY", "Q")
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let (q, y) = if let Some((y, q)) = upper.split_once("-Q") {
                    (q.to_owned(), y.to_owned())
                } else if let Some((q, y)) = upper.split_once('/') {
                    let q = q.trim_start_matches('Q');
                    (q.trim().to_owned(), y.to_owned())
                } else {
                    return Err(bad());
                };
                let q = match q.as_str() {
                    "1" | "I" => 1,
                    "2" | "II" => 2,
                    "3" | "III" => 3,
                    "4" | "IV" => 4,
                    _ => return Err(bad()),
                };
                Ok(PeriodKey::Quarter(year(&y).ok_or_else(bad)?, q))
            }
            PeriodKind::Date => crate::date::VnDate::parse(t)
                .map(|d| PeriodKey::Date(d.0))
                .map_err(|_| bad()),
        }
    }

    /// Reads a stored key ("2023", "2023-Q2", "2018-12-31"), whose shape says its kind.
    pub fn from_key(s: &str) -> Result<Self, IndicatorError> {
        let kind = if s.contains("-Q") {
            PeriodKind::Quarter
        } else if s.len() == 4 {
            PeriodKind::Year
        } else {
            PeriodKind::Date
        };
        PeriodKey::parse(kind, s)
    }

    pub fn kind(self) -> PeriodKind {
        match self {
            PeriodKey::Year(_) => PeriodKind::Year,
            PeriodKey::Quarter(..) => PeriodKind::Quarter,
            PeriodKey::Date(_) => PeriodKind::Date,
        }
    }

    /// The text stored and exchanged: "2023", "2023-Q2", "2018-12-31".
    pub fn key(self) -> String {
        match self {
            PeriodKey::Year(y) => format!("{y}"),
            PeriodKey::Quarter(y, q) => format!("{y}-Q{q}"),
            PeriodKey::Date(d) => crate::date::VnDate(d).iso(),
        }
    }

    /// For people: "Năm 2023", "Quý II/2023", "31/12/2018".
    pub fn label(self) -> String {
        match self {
            PeriodKey::Year(y) => format!("Năm {y}"),
            PeriodKey::Quarter(y, q) => {
                let roman = ["I", "II", "III", "IV"][usize::from(q.clamp(1, 4)) - 1];
                format!("Quý {roman}/{y}")
            }
            PeriodKey::Date(d) => crate::date::VnDate(d).to_string(),
        }
    }

    /// The first day the period covers.
    pub fn start(self) -> Date {
        match self {
            PeriodKey::Year(y) => date_or_min(y, 1, 1),
            PeriodKey::Quarter(y, q) => date_or_min(y, (q - 1) * 3 + 1, 1),
            PeriodKey::Date(d) => d,
        }
    }

    /// The last day the period covers: values are "as of" this day.
    pub fn end(self) -> Date {
        match self {
            PeriodKey::Year(y) => date_or_min(y, 12, 31),
            PeriodKey::Quarter(y, q) => {
                let next = if q >= 4 {
                    date_or_min(y + 1, 1, 1)
                } else {
                    date_or_min(y, q * 3 + 1, 1)
                };
                next.previous_day().unwrap_or(next)
            }
            PeriodKey::Date(d) => d,
        }
    }
}

fn date_or_min(y: i32, m: u8, d: u8) -> Date {
    Month::try_from(m)
        .ok()
        .and_then(|m| Date::from_calendar_date(y, m, d).ok())
        .unwrap_or(Date::MIN)
}

/// Cấp nhập liệu — which units enter an indicator: a kind, optionally
/// narrowed to administrative types ("xã" but not "phường", "thị trấn").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryLevel {
    pub level: UnitKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_types: Vec<String>,
}

impl EntryLevel {
    pub fn admits(&self, kind: UnitKind, admin_type: Option<&str>) -> bool {
        kind == self.level
            && (self.admin_types.is_empty()
                || admin_type.is_some_and(|t| {
                    let t = crate::text::fold(t);
                    self.admin_types.iter().any(|a| crate::text::fold(a) == t)
                }))
    }

    /// "xã" or "xã, phường, đặc khu": the noun used in sentences.
    pub fn noun(&self) -> String {
        if self.admin_types.is_empty() {
            self.level.label().to_lowercase()
        } else {
            self.admin_types.join(", ")
        }
    }
}

/// A comparison of a unit's value with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
}

impl Cmp {
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Ge => a >= b,
            Cmp::Gt => a > b,
            Cmp::Le => a <= b,
            Cmp::Lt => a < b,
            Cmp::Eq => a == b,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Ge => "≥",
            Cmp::Gt => ">",
            Cmp::Le => "≤",
            Cmp::Lt => "<",
            Cmp::Eq => "=",
        }
    }
}

fn default_cmp() -> Cmp {
    Cmp::Ge
}

fn default_threshold() -> f64 {
    1.0
}

/// Cách tổng hợp — how the values of the entering units under a unit make
/// that unit's figure. Every kind looks at the entering units themselves,
/// never at averages of averages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rollup {
    Sum,
    Avg,
    Min,
    Max,
    /// Số đơn vị đạt điều kiện — "38/60 xã đạt chuẩn".
    CountWhere {
        #[serde(default = "default_cmp")]
        op: Cmp,
        #[serde(default = "default_threshold")]
        value: f64,
    },
    /// Tỷ lệ đơn vị đạt điều kiện, in per cent.
    ShareWhere {
        #[serde(default = "default_cmp")]
        op: Cmp,
        #[serde(default = "default_threshold")]
        value: f64,
    },
    /// Tỷ số — the sum of this indicator over the sum of another, times `scale`.
    Ratio {
        denominator: IndicatorCode,
        #[serde(default = "default_scale")]
        scale: f64,
    },
    /// Tất cả đạt — whether every entering unit meets the condition.
    AllMeet {
        #[serde(default = "default_cmp")]
        op: Cmp,
        #[serde(default = "default_threshold")]
        value: f64,
    },
    /// Số đơn vị cấp `level` mà mọi đơn vị bên dưới đều đạt — "2 huyện có
    /// 100 % số xã đạt chuẩn".
    GroupsAllMeet {
        level: UnitKind,
        #[serde(default = "default_cmp")]
        op: Cmp,
        #[serde(default = "default_threshold")]
        value: f64,
    },
}

fn default_scale() -> f64 {
    1.0
}

impl Rollup {
    /// A short stable key, unique within an indicator's roll-ups.
    pub fn key(&self) -> String {
        let n = |v: f64| crate::number::format_vi(v, if v.fract() == 0.0 { 0 } else { 2 });
        match self {
            Rollup::Sum => "sum".to_owned(),
            Rollup::Avg => "avg".to_owned(),
            Rollup::Min => "min".to_owned(),
            Rollup::Max => "max".to_owned(),
            Rollup::CountWhere { op, value } => format!("count{}{}", op_key(*op), n(*value)),
            Rollup::ShareWhere { op, value } => format!("share{}{}", op_key(*op), n(*value)),
            Rollup::Ratio { denominator, .. } => format!("ratio_{denominator}"),
            Rollup::AllMeet { op, value } => format!("all{}{}", op_key(*op), n(*value)),
            Rollup::GroupsAllMeet { level, op, value } => {
                format!("groups_{level}{}{}", op_key(*op), n(*value))
            }
        }
    }

    /// For people: "Tổng", "Bình quân", "Số đơn vị ≥ 10"…
    pub fn label(&self) -> String {
        let n = |v: f64| crate::number::format_vi(v, if v.fract() == 0.0 { 0 } else { 2 });
        match self {
            Rollup::Sum => "Tổng".to_owned(),
            Rollup::Avg => "Bình quân".to_owned(),
            Rollup::Min => "Thấp nhất".to_owned(),
            Rollup::Max => "Cao nhất".to_owned(),
            Rollup::CountWhere { op, value } => {
                format!("Số đơn vị {} {}", op.symbol(), n(*value))
            }
            Rollup::ShareWhere { op, value } => {
                format!("Tỷ lệ đơn vị {} {} (%)", op.symbol(), n(*value))
            }
            Rollup::Ratio { denominator, .. } => format!("Tỷ số trên {denominator}"),
            Rollup::AllMeet { op, value } => format!("Tất cả {} {}", op.symbol(), n(*value)),
            Rollup::GroupsAllMeet { level, op, value } => format!(
                "Số {} có 100 % đơn vị {} {}",
                level.label().to_lowercase(),
                op.symbol(),
                n(*value)
            ),
        }
    }
}

fn op_key(op: Cmp) -> &'static str {
    match op {
        Cmp::Ge => "_ge_",
        Cmp::Gt => "_gt_",
        Cmp::Le => "_le_",
        Cmp::Lt => "_lt_",
        Cmp::Eq => "_eq_",
    }
}

/// A roll-up with the words that put its figure in a summary sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupSpec {
    #[serde(flatten)]
    pub rollup: Rollup,
    /// "{value}/{total} xã đạt chuẩn nông thôn mới"; placeholders: {value},
    /// {total} (entering units), {reported}, {abs} and {trend} (with `baseline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<String>,
    /// Said instead of `phrase` when the figure is zero ("không còn xã…"); an empty text says nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase_zero: Option<String>,
    /// Decimals shown (default: 2 for averages and ratios, else by measure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<usize>,
    /// Compare with the figure as of this date ("tỷ lệ hộ nghèo giảm 3,22 %"):
    /// {abs} is the size of the change and {trend} "giảm" or "tăng".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Date>,
}

/// Định nghĩa chỉ tiêu.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDef {
    pub code: IndicatorCode,
    pub name: String,
    pub measure: Measure,
    #[serde(flatten)]
    pub entry: EntryLevel,
    pub period: PeriodKind,
    /// Nhóm — a heading to group indicators on forms ("Hạ tầng kinh tế – xã hội").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// A derived indicator is computed, never entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<Formula>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollups: Vec<RollupSpec>,
    /// Không vượt quá — an entered indicator that can never exceed another
    /// for the same unit and period (poor households ≤ all households).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<IndicatorCode>,
}

impl IndicatorDef {
    pub fn is_derived(&self) -> bool {
        self.formula.is_some()
    }
}

/// Checks a movement's indicators together and returns the order in which
/// derived ones can be computed (inputs first). Every problem is reported.
pub fn check_indicators(defs: &[IndicatorDef]) -> Result<Vec<usize>, Vec<IndicatorError>> {
    let mut errors = Vec::new();
    let mut index: HashMap<&IndicatorCode, usize> = HashMap::new();
    for (i, d) in defs.iter().enumerate() {
        if index.insert(&d.code, i).is_some() {
            errors.push(IndicatorError::Duplicate(d.code.to_string()));
        }
        if d.name.trim().is_empty() {
            errors.push(IndicatorError::Invalid {
                indicator: d.code.to_string(),
                message: "thiếu tên chỉ tiêu".to_owned(),
            });
        }
    }
    for d in defs {
        let mut keys = HashSet::new();
        for spec in &d.rollups {
            if !keys.insert(spec.rollup.key()) {
                errors.push(IndicatorError::Invalid {
                    indicator: d.code.to_string(),
                    message: format!("cách tổng hợp «{}» lặp lại", spec.rollup.label()),
                });
            }
            if let Rollup::Ratio { denominator, .. } = &spec.rollup
                && !index.contains_key(denominator)
            {
                errors.push(IndicatorError::UnknownReference {
                    indicator: d.code.to_string(),
                    missing: denominator.to_string(),
                });
            }
        }
        if let Some(r) = &d.at_most {
            match index.get(r) {
                None => errors.push(IndicatorError::UnknownReference {
                    indicator: d.code.to_string(),
                    missing: r.to_string(),
                }),
                Some(&j)
                    if defs[j].code == d.code
                        || defs[j].entry != d.entry
                        || defs[j].period != d.period
                        || defs[j].is_derived()
                        || d.is_derived() =>
                {
                    errors.push(IndicatorError::Invalid {
                        indicator: d.code.to_string(),
                        message: format!(
                            "«không vượt quá {r}» cần hai chỉ tiêu nhập khác nhau, cùng cấp nhập liệu và kỳ báo cáo"
                        ),
                    })
                }
                Some(_) => {}
            }
        }
        for r in d.formula.iter().flat_map(Formula::references) {
            match index.get(&r) {
                None => errors.push(IndicatorError::UnknownReference {
                    indicator: d.code.to_string(),
                    missing: r.to_string(),
                }),
                Some(&j) if defs[j].entry != d.entry || defs[j].period != d.period => {
                    errors.push(IndicatorError::Invalid {
                        indicator: d.code.to_string(),
                        message: format!(
                            "công thức dùng {r} có cấp nhập liệu hoặc kỳ báo cáo khác"
                        ),
                    })
                }
                Some(_) => {}
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Kahn's algorithm over formula references.
    let mut order = Vec::with_capacity(defs.len());
    let mut done = vec![false; defs.len()];
    loop {
        let before = order.len();
        for (i, d) in defs.iter().enumerate() {
            if done[i] {
                continue;
            }
            let ready = d
                .formula
                .iter()
                .flat_map(Formula::references)
                .all(|r| index.get(&r).is_some_and(|&j| done[j]));
            if ready {
                done[i] = true;
                order.push(i);
            }
        }
        if order.len() == defs.len() {
            return Ok(order);
        }
        if order.len() == before {
            let stuck: Vec<String> = defs
                .iter()
                .enumerate()
                .filter(|(i, _)| !done[*i])
                .map(|(_, d)| d.code.to_string())
                .collect();
            return Err(vec![IndicatorError::Cycle(stuck.join(", "))]);
        }
    }
}

#[cfg(test)]
mod tests;
