//! Quyết định khen thưởng — the decisions that give, correct and take back
//! awards; their numbers; the bonus that goes with each line.

use crate::document::DocumentNumber;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

/// Database identity of a decision record: «quyết định #7».
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DecisionId(pub i64);

impl std::fmt::Display for DecisionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<i64> for DecisionId {
    fn from(id: i64) -> DecisionId {
        DecisionId(id)
    }
}

/// What a decision does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Tặng — gives awards.
    Award,
    /// Đính chính — replaces lines of an earlier decision (a misspelt name,
    /// a wrong unit); the earlier lines stay in the registry, superseded.
    Correction,
    /// Hủy bỏ, thu hồi — takes awards back (Luật TĐKT 2022 Chương VII; docs/law.md §5.3).
    Revocation,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 3] = [
        DecisionKind::Award,
        DecisionKind::Correction,
        DecisionKind::Revocation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Award => "award",
            DecisionKind::Correction => "correction",
            DecisionKind::Revocation => "revocation",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Award => "Khen thưởng",
            DecisionKind::Correction => "Đính chính",
            DecisionKind::Revocation => "Hủy bỏ, thu hồi",
        }
    }

    /// Whether a decision of this kind must name the decision it changes.
    pub fn refers_to_earlier(self) -> bool {
        !matches!(self, DecisionKind::Award)
    }
}

/// Mức lương cơ sở — the base salary, in đồng a month, from a day on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseSalary {
    pub from: Date,
    pub amount_vnd: i64,
    /// The instrument that set it.
    pub source: String,
    /// Whether the figure has been checked against the instrument (only
    /// the 2024 figure is confirmed, docs/law.md §5.5; the earlier ones are
    /// public knowledge).
    pub confirmed: bool,
}

/// The base salaries thidua ships; administrators add later ones.
pub fn base_salary_history() -> Vec<BaseSalary> {
    let row = |from, amount_vnd, source: &str, confirmed| BaseSalary {
        from,
        amount_vnd,
        source: source.to_owned(),
        confirmed,
    };
    vec![
        row(
            date!(2016 - 05 - 01),
            1_210_000,
            "Nghị định 47/2016/NĐ-CP",
            false,
        ),
        row(
            date!(2017 - 07 - 01),
            1_300_000,
            "Nghị định 47/2017/NĐ-CP",
            false,
        ),
        row(
            date!(2018 - 07 - 01),
            1_390_000,
            "Nghị định 72/2018/NĐ-CP",
            false,
        ),
        row(
            date!(2019 - 07 - 01),
            1_490_000,
            "Nghị định 38/2019/NĐ-CP",
            false,
        ),
        row(
            date!(2023 - 07 - 01),
            1_800_000,
            "Nghị định 24/2023/NĐ-CP",
            false,
        ),
        row(
            date!(2024 - 07 - 01),
            2_340_000,
            "Nghị định 73/2024/NĐ-CP",
            true,
        ),
    ]
}

/// The base salary in force on `day`: the latest that began by then.
pub fn base_salary_on(history: &[BaseSalary], day: Date) -> Option<&BaseSalary> {
    history
        .iter()
        .filter(|b| b.from <= day)
        .max_by_key(|b| b.from)
}

/// How a bonus is rounded: up to the next multiple of this many đồng.
/// 100 000, a rule not yet confirmed (docs/law.md §5.5), so it is a
/// parameter the caller passes, not a literal here.
pub const BONUS_ROUNDING_VND: i64 = 100_000;

/// Tiền thưởng — `multiple` × the base salary, rounded up to `rounding`.
/// The multiple is in tenths (1,5 → 15) so that no float reaches money.
pub fn bonus_vnd(multiple_tenths: i64, base_salary_vnd: i64, rounding: i64) -> i64 {
    let raw = multiple_tenths * base_salary_vnd / 10;
    if rounding <= 1 {
        return raw;
    }
    let rest = raw % rounding;
    if rest == 0 {
        raw
    } else {
        raw - rest + rounding
    }
}

/// A multiple such as 1,5 as tenths (15); `None` when it has finer digits.
pub fn multiple_in_tenths(multiple: f64) -> Option<i64> {
    let tenths = (multiple * 10.0).round();
    ((multiple * 10.0 - tenths).abs() < 1e-6 && tenths >= 0.0).then_some(tenths as i64)
}

/// The number a new decision takes: the next serial of its issuer's year
/// (`last` is the highest serial already given), with the issuer's symbol.
pub fn next_number(last: Option<u32>, symbol: &str) -> Option<DocumentNumber> {
    let serial = last.unwrap_or(0).checked_add(1)?;
    DocumentNumber::parse(&format!("{serial}/{symbol}")).ok()
}

/// The serial of a number ("589/QĐ-UBND" → 589), when it is all digits.
pub fn serial_of(number: &DocumentNumber) -> Option<u32> {
    number.as_str().split('/').next()?.parse().ok()
}

/// The symbol of a number, without its serial or year ("QĐ-UBND").
pub fn symbol_of(number: &DocumentNumber) -> &str {
    number.as_str().rsplit('/').next().unwrap_or_default()
}

/// "3 tập thể và 12 cá nhân", leaving out what is zero.
pub fn subjects_phrase(collectives: usize, individuals: usize) -> String {
    match (collectives, individuals) {
        (0, 0) => String::new(),
        (c, 0) => format!("{c} tập thể"),
        (0, i) => format!("{i} cá nhân"),
        (c, i) => format!("{c} tập thể và {i} cá nhân"),
    }
}

/// "27.000.000 đồng" — money as a document writes it.
pub fn money_words(vnd: i64) -> String {
    // Exact in f64 below 2^53 đồng, far beyond any bonus or fund.
    format!("{} đồng", crate::number::format_vi(vnd as f64, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_base_salary_follows_the_decision_date() {
        let h = base_salary_history();
        assert_eq!(
            base_salary_on(&h, date!(2024 - 06 - 30))
                .unwrap()
                .amount_vnd,
            1_800_000
        );
        assert_eq!(
            base_salary_on(&h, date!(2024 - 07 - 01))
                .unwrap()
                .amount_vnd,
            2_340_000
        );
        assert_eq!(
            base_salary_on(&h, date!(2026 - 11 - 20))
                .unwrap()
                .amount_vnd,
            2_340_000
        );
        assert!(base_salary_on(&h, date!(2010 - 01 - 01)).is_none());
    }

    #[test]
    fn bonuses_are_multiples_rounded_up() {
        // Bằng khen tỉnh 1,0 × 2 340 000 → 2 400 000 under the (unconfirmed) rounding.
        assert_eq!(bonus_vnd(10, 2_340_000, BONUS_ROUNDING_VND), 2_400_000);
        assert_eq!(bonus_vnd(10, 2_300_000, BONUS_ROUNDING_VND), 2_300_000);
        // LĐTT 0,3 × 2 340 000 = 702 000 → 800 000.
        assert_eq!(bonus_vnd(3, 2_340_000, BONUS_ROUNDING_VND), 800_000);
        assert_eq!(bonus_vnd(3, 2_340_000, 1), 702_000);
        assert_eq!(multiple_in_tenths(1.5), Some(15));
        assert_eq!(multiple_in_tenths(0.3), Some(3));
        assert_eq!(multiple_in_tenths(0.25), None);
    }

    #[test]
    fn numbers_follow_the_issuers_sequence() {
        assert_eq!(next_number(None, "QĐ-UBND").unwrap().as_str(), "1/QĐ-UBND");
        let n = next_number(Some(588), "QĐ-UBND").unwrap();
        assert_eq!(n.as_str(), "589/QĐ-UBND");
        assert_eq!(serial_of(&n), Some(589));
        assert_eq!(symbol_of(&n), "QĐ-UBND");
        assert_eq!(
            symbol_of(&DocumentNumber::parse("98/2023/NĐ-CP").unwrap()),
            "NĐ-CP"
        );
        assert!(next_number(None, "bad symbol").is_none());
    }

    #[test]
    fn phrases_and_money() {
        assert_eq!(subjects_phrase(3, 12), "3 tập thể và 12 cá nhân");
        assert_eq!(subjects_phrase(0, 1), "1 cá nhân");
        assert_eq!(subjects_phrase(2, 0), "2 tập thể");
        assert_eq!(money_words(27_000_000), "27.000.000 đồng");
        assert_eq!(money_words(800_000), "800.000 đồng");
        assert_eq!(money_words(0), "0 đồng");
    }

    proptest! {
        #[test]
        fn a_bonus_is_never_below_its_product_nor_a_step_above(m in 0i64..200, base in 0i64..10_000_000) {
            let b = bonus_vnd(m, base, BONUS_ROUNDING_VND);
            let raw = m * base / 10;
            prop_assert!(b >= raw && b - raw < BONUS_ROUNDING_VND);
            prop_assert_eq!(b % BONUS_ROUNDING_VND, 0);
        }
    }
}
