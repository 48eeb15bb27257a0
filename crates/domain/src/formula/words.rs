//! A formula read aloud, for pages: «đạt tất cả TC01 đến TC19» rather
//! than `all(TC01..TC19)`, which is the notation of the movement's file.

use super::{Expr, Formula, Func, Op};
use crate::indicator::IndicatorCode;
use crate::number::format_vi_short;

impl Formula {
    /// The formula in Vietnamese words.
    pub fn in_words(&self) -> String {
        words(&self.expr)
    }
}

fn words(e: &Expr) -> String {
    match e {
        Expr::Num(n) => format_vi_short(*n, 4),
        Expr::Ref(c) => c.to_string(),
        Expr::Neg(x) => format!("−{}", inner(x)),
        Expr::Not(x) => format!("không ({})", words(x)),
        Expr::Bin(op, a, b) => {
            let sign = match op {
                Op::Add => "+",
                Op::Sub => "−",
                Op::Mul => "×",
                Op::Div => ":",
                Op::Lt => "<",
                Op::Le => "≤",
                Op::Gt => ">",
                Op::Ge => "≥",
                Op::Eq => "=",
                Op::Ne => "≠",
                Op::And => "và",
                Op::Or => "hoặc",
            };
            format!("{} {sign} {}", inner(a), inner(b))
        }
        Expr::Call(f, args) => {
            let what = match f {
                Func::All => "đạt tất cả",
                Func::Any => "đạt ít nhất một trong",
                Func::Count => "số chỉ tiêu đạt trong",
                Func::Sum => "tổng",
                Func::Min => "giá trị nhỏ nhất của",
                Func::Max => "giá trị lớn nhất của",
                Func::Avg => "bình quân của",
            };
            format!("{what} {}", list(args))
        }
    }
}

/// A sub-expression, bracketed when it is itself an operation.
fn inner(e: &Expr) -> String {
    match e {
        Expr::Bin(..) => format!("({})", words(e)),
        _ => words(e),
    }
}

/// Arguments; a run of codes that a range wrote reads «TC01 đến TC19».
fn list(args: &[Expr]) -> String {
    let codes: Option<Vec<&IndicatorCode>> = args
        .iter()
        .map(|a| match a {
            Expr::Ref(c) => Some(c),
            _ => None,
        })
        .collect();
    if let Some(codes) = codes
        && codes.len() > 2
        && let (Some(first), Some(last)) = (codes.first(), codes.last())
        && first
            .range_to(last)
            .is_some_and(|r| r.iter().eq(codes.iter().copied()))
    {
        return format!("{first} đến {last}");
    }
    args.iter().map(words).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_read_as_words() {
        let w = |f: &str| Formula::parse(f).expect("formula").in_words();
        assert_eq!(w("all(TC01..TC19)"), "đạt tất cả TC01 đến TC19");
        assert_eq!(
            w("count(TC01..TC19)"),
            "số chỉ tiêu đạt trong TC01 đến TC19"
        );
        assert_eq!(w("HN / TH * 100"), "(HN : TH) × 100");
        assert_eq!(w("sum(A, B)"), "tổng A, B");
        assert!(!w("all(TC01..TC19)").contains('('));
    }
}
