//! Công thức — formulas of derived indicators, over other indicators of the
//! same unit: `all(TC01..TC19)`, `count(TC01..TC19)`, `HN / TH * 100`. Decimals
//! take a point (`0.5`), because the comma separates arguments.
//!
//! Values are numbers; a yes/no criterion is 1 or 0, and comparisons and
//! `and`/`or`/`not` give 1 or 0. A missing input makes the result missing,
//! so a commune that has not reported every criterion is not counted as
//! meeting or failing the standard.

use crate::indicator::IndicatorCode;
use std::fmt;

mod words;

/// A parsed formula, with the text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    text: String,
    expr: Expr,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Num(f64),
    Ref(IndicatorCode),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    All,
    Any,
    Count,
    Sum,
    Min,
    Max,
    Avg,
}

impl Func {
    fn parse(s: &str) -> Option<Func> {
        Some(match s {
            "all" => Func::All,
            "any" => Func::Any,
            "count" => Func::Count,
            "sum" => Func::Sum,
            "min" => Func::Min,
            "max" => Func::Max,
            "avg" => Func::Avg,
            _ => return None,
        })
    }
}

/// Why a formula cannot be read, with the character position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("công thức «{text}» sai ở ký tự {position}: {message}")]
pub struct FormulaError {
    pub text: String,
    pub position: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Word(String),
    Sym(&'static str),
}

fn tokenize(s: &str) -> Result<Vec<(usize, Tok)>, (usize, String)> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() {
            // Decimals take a point here: a comma separates arguments.
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i < chars.len()
                && chars[i] == '.'
                && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
            {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = chars[start..i].iter().collect();
            let v: f64 = text
                .parse()
                .map_err(|_| (start, format!("số không hợp lệ «{text}»")))?;
            out.push((start, Tok::Num(v)));
        } else if c.is_ascii_alphabetic() {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((start, Tok::Word(chars[start..i].iter().collect())));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let sym = ["..", "<=", ">=", "==", "!="]
                .into_iter()
                .find(|s| *s == two)
                .or_else(|| {
                    ["+", "-", "*", "/", "<", ">", "=", "(", ")", ","]
                        .into_iter()
                        .find(|s| s.starts_with(c))
                })
                .ok_or_else(|| (start, format!("ký tự không dùng được «{c}»")))?;
            i += sym.chars().count();
            out.push((start, Tok::Sym(sym)));
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: &'a [(usize, Tok)],
    pos: usize,
    end: usize,
}

type PResult<T> = Result<T, (usize, String)>;

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |t| t.0)
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(x)) if *x == s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Word(x)) if x == w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> PResult<Expr> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            left = Expr::Bin(Op::Or, Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> PResult<Expr> {
        let mut left = self.cmp()?;
        while self.eat_word("and") {
            left = Expr::Bin(Op::And, Box::new(left), Box::new(self.cmp()?));
        }
        Ok(left)
    }

    fn cmp(&mut self) -> PResult<Expr> {
        let left = self.add()?;
        let op = match self.peek() {
            Some(Tok::Sym("<")) => Op::Lt,
            Some(Tok::Sym("<=")) => Op::Le,
            Some(Tok::Sym(">")) => Op::Gt,
            Some(Tok::Sym(">=")) => Op::Ge,
            Some(Tok::Sym("=" | "==")) => Op::Eq,
            Some(Tok::Sym("!=")) => Op::Ne,
            _ => return Ok(left),
        };
        self.pos += 1;
        Ok(Expr::Bin(op, Box::new(left), Box::new(self.add()?)))
    }

    fn add(&mut self) -> PResult<Expr> {
        let mut left = self.mul()?;
        loop {
            let op = if self.eat_sym("+") {
                Op::Add
            } else if self.eat_sym("-") {
                Op::Sub
            } else {
                return Ok(left);
            };
            left = Expr::Bin(op, Box::new(left), Box::new(self.mul()?));
        }
    }

    fn mul(&mut self) -> PResult<Expr> {
        let mut left = self.unary()?;
        loop {
            let op = if self.eat_sym("*") {
                Op::Mul
            } else if self.eat_sym("/") {
                Op::Div
            } else {
                return Ok(left);
            };
            left = Expr::Bin(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> PResult<Expr> {
        if self.eat_sym("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat_word("not") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn code(&self, at: usize, w: &str) -> PResult<IndicatorCode> {
        IndicatorCode::parse(w).map_err(|e| (at, e.to_string()))
    }

    fn atom(&mut self) -> PResult<Expr> {
        let at = self.at();
        match self.peek().cloned() {
            Some(Tok::Num(v)) => {
                self.pos += 1;
                Ok(Expr::Num(v))
            }
            Some(Tok::Sym("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                if !self.eat_sym(")") {
                    return Err((self.at(), "thiếu dấu «)»".to_owned()));
                }
                Ok(e)
            }
            Some(Tok::Word(w)) => {
                self.pos += 1;
                if let Some(func) = Func::parse(&w) {
                    if !self.eat_sym("(") {
                        return Err((self.at(), format!("cần «(» sau hàm {w}")));
                    }
                    let mut args = Vec::new();
                    loop {
                        args.extend(self.arg()?);
                        if self.eat_sym(")") {
                            break;
                        }
                        if !self.eat_sym(",") {
                            return Err((self.at(), "cần «,» hoặc «)»".to_owned()));
                        }
                    }
                    Ok(Expr::Call(func, args))
                } else {
                    Ok(Expr::Ref(self.code(at, &w)?))
                }
            }
            Some(Tok::Sym(s)) => Err((at, format!("không chờ «{s}» ở đây"))),
            None => Err((at, "công thức kết thúc giữa chừng".to_owned())),
        }
    }

    /// One argument of a function; `A01..A19` expands to the codes between.
    fn arg(&mut self) -> PResult<Vec<Expr>> {
        let at = self.at();
        if let (Some(Tok::Word(a)), Some((_, Tok::Sym(".."))), Some((_, Tok::Word(b)))) = (
            self.peek().cloned(),
            self.toks.get(self.pos + 1).cloned(),
            self.toks.get(self.pos + 2).cloned(),
        ) {
            self.pos += 3;
            let from = self.code(at, &a)?;
            let to = self.code(at, &b)?;
            return from
                .range_to(&to)
                .map(|codes| codes.into_iter().map(Expr::Ref).collect())
                .ok_or((at, format!("khoảng «{a}..{b}» không hợp lệ")));
        }
        Ok(vec![self.expr()?])
    }
}

impl Formula {
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        let err = |(position, message): (usize, String)| FormulaError {
            text: text.to_owned(),
            position: position + 1,
            message,
        };
        let toks = tokenize(text).map_err(err)?;
        let mut p = Parser {
            toks: &toks,
            pos: 0,
            end: text.chars().count(),
        };
        let expr = p.expr().map_err(err)?;
        if p.pos != toks.len() {
            return Err(err((p.at(), "thừa phần cuối công thức".to_owned())));
        }
        Ok(Formula {
            text: text.trim().to_owned(),
            expr,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The indicators the formula reads, in order of first use.
    pub fn references(&self) -> Vec<IndicatorCode> {
        fn walk(e: &Expr, out: &mut Vec<IndicatorCode>) {
            match e {
                Expr::Num(_) => {}
                Expr::Ref(c) => {
                    if !out.contains(c) {
                        out.push(c.clone());
                    }
                }
                Expr::Neg(x) | Expr::Not(x) => walk(x, out),
                Expr::Bin(_, a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
                Expr::Call(_, args) => args.iter().for_each(|a| walk(a, out)),
            }
        }
        let mut out = Vec::new();
        walk(&self.expr, &mut out);
        out
    }

    /// Evaluates with `get` giving each referenced indicator's value.
    pub fn eval(&self, get: &dyn Fn(&IndicatorCode) -> Option<f64>) -> Option<f64> {
        eval(&self.expr, get)
    }
}

fn truth(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

fn eval(e: &Expr, get: &dyn Fn(&IndicatorCode) -> Option<f64>) -> Option<f64> {
    Some(match e {
        Expr::Num(v) => *v,
        Expr::Ref(c) => get(c)?,
        Expr::Neg(x) => -eval(x, get)?,
        Expr::Not(x) => truth(eval(x, get)? == 0.0),
        Expr::Bin(op, a, b) => {
            let (a, b) = (eval(a, get)?, eval(b, get)?);
            match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                Op::Div => {
                    if b == 0.0 {
                        return None;
                    }
                    a / b
                }
                Op::Lt => truth(a < b),
                Op::Le => truth(a <= b),
                Op::Gt => truth(a > b),
                Op::Ge => truth(a >= b),
                Op::Eq => truth(a == b),
                Op::Ne => truth(a != b),
                Op::And => truth(a != 0.0 && b != 0.0),
                Op::Or => truth(a != 0.0 || b != 0.0),
            }
        }
        Expr::Call(f, args) => {
            let vals: Vec<f64> = args.iter().map(|a| eval(a, get)).collect::<Option<_>>()?;
            match f {
                Func::All => truth(vals.iter().all(|v| *v != 0.0)),
                Func::Any => truth(vals.iter().any(|v| *v != 0.0)),
                Func::Count => vals.iter().filter(|v| **v != 0.0).count() as f64,
                Func::Sum => vals.iter().sum(),
                Func::Min => vals.iter().copied().reduce(f64::min)?,
                Func::Max => vals.iter().copied().reduce(f64::max)?,
                Func::Avg => {
                    if vals.is_empty() {
                        return None;
                    }
                    vals.iter().sum::<f64>() / vals.len() as f64
                }
            }
        }
    })
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Formula {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Formula {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Formula::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn run(f: &str, vals: &[(&str, f64)]) -> Option<f64> {
        let map: HashMap<String, f64> = vals.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        Formula::parse(f)
            .unwrap()
            .eval(&|c| map.get(c.as_str()).copied())
    }

    #[test]
    fn the_new_rural_formulas() {
        let mut all: Vec<(String, f64)> = (1..=19).map(|i| (format!("TC{i:02}"), 1.0)).collect();
        let refs: Vec<(&str, f64)> = all.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(run("all(TC01..TC19)", &refs), Some(1.0));
        assert_eq!(run("count(TC01..TC19)", &refs), Some(19.0));
        all[4].1 = 0.0;
        let refs: Vec<(&str, f64)> = all.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(run("all(TC01..TC19)", &refs), Some(0.0));
        assert_eq!(run("count(TC01..TC19)", &refs), Some(18.0));
        assert_eq!(
            run("count(TC01..TC19)", &refs[..18]),
            None,
            "a missing criterion"
        );
    }

    #[test]
    fn arithmetic_and_logic() {
        assert_eq!(
            run("HN / TH * 100", &[("HN", 5.0), ("TH", 200.0)]),
            Some(2.5)
        );
        assert_eq!(run("A / B", &[("A", 1.0), ("B", 0.0)]), None);
        assert_eq!(run("1 + 2 * 3", &[]), Some(7.0));
        assert_eq!(run("(1 + 2) * 3", &[]), Some(9.0));
        assert_eq!(run("-A + 0.5", &[("A", 2.0)]), Some(-1.5));
        assert_eq!(
            run("A >= 10 and not B", &[("A", 10.0), ("B", 0.0)]),
            Some(1.0)
        );
        assert_eq!(run("A < 1 or B = 2", &[("A", 5.0), ("B", 2.0)]), Some(1.0));
        assert_eq!(run("max(A, B, 3)", &[("A", 1.0), ("B", 7.0)]), Some(7.0));
        assert_eq!(run("avg(A, B)", &[("A", 1.0), ("B", 2.0)]), Some(1.5));
        assert_eq!(
            Formula::parse("count(TC01..TC03, X)")
                .unwrap()
                .references()
                .len(),
            4
        );
    }

    #[test]
    fn errors_point_at_the_place() {
        let e = Formula::parse("A + * B").unwrap_err();
        assert_eq!(e.position, 5);
        assert!(Formula::parse("all(TC01..X3)").is_err());
        assert!(
            Formula::parse("foo(A)").is_err(),
            "lower-case is not a code"
        );
        assert!(Formula::parse("(A + B").is_err());
        assert!(Formula::parse("A B").is_err());
        assert!(Formula::parse("A % B").is_err());
        assert!(Formula::parse("").is_err());
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in "[A-Z0-9a-z(),.+*/<>=! -]{0,40}") {
            let _ = Formula::parse(&s);
        }

        #[test]
        fn sums_match_arithmetic(xs in proptest::collection::vec(-1000i32..1000, 1..8)) {
            let text = xs.iter().enumerate().map(|(i, _)| format!("V{i}")).collect::<Vec<_>>().join(" + ");
            let map: HashMap<String, f64> = xs.iter().enumerate().map(|(i, v)| (format!("V{i}"), *v as f64)).collect();
            let got = Formula::parse(&text).unwrap().eval(&|c| map.get(c.as_str()).copied());
            prop_assert_eq!(got, Some(xs.iter().map(|v| *v as f64).sum::<f64>()));
        }
    }
}
