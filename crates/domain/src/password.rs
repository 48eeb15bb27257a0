//! Mật khẩu — what a new password must be (OWASP ASVS 2.1): long enough,
//! not so long that hashing it becomes a way to tire the server, and not
//! one of the first choices an attacker tries. No composition rules (an
//! upper-case letter, a digit…): they make passwords harder to remember,
//! not to guess. A sentence in Vietnamese is the advice given.

use crate::text::fold;

/// ASVS 2.1.1.
pub const MIN_CHARS: usize = 12;
/// ASVS 2.1.2 asks that at least 64 be allowed.
pub const MAX_CHARS: usize = 128;

/// Why a new password is refused, in the words shown to its owner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("Mật khẩu phải có ít nhất {MIN_CHARS} ký tự.")]
    TooShort,
    #[error("Mật khẩu không được dài quá {MAX_CHARS} ký tự.")]
    TooLong,
    #[error("Mật khẩu không được chứa tên đăng nhập.")]
    ContainsLogin,
    #[error(
        "Mật khẩu quá dễ đoán (lặp ký tự, dãy liên tiếp hoặc từ thông dụng). Hãy dùng một câu dễ nhớ, ví dụ «Sáng thứ hai họp giao ban lúc 7 giờ»."
    )]
    Guessable,
}

/// Words people build weak passwords from, folded (no diacritics, lower
/// case, no spaces); a password made of one of them and digits or
/// punctuation is refused.
const COMMON: [&str; 24] = [
    "password",
    "passw0rd",
    "matkhau",
    "thidua",
    "khenthuong",
    "thiduakhenthuong",
    "admin",
    "administrator",
    "quantri",
    "root",
    "welcome",
    "letmein",
    "iloveyou",
    "anhyeuem",
    "emyeuanh",
    "vietnam",
    "hanoi",
    "saigon",
    "ubnd",
    "sonoivu",
    "abc",
    "qwerty",
    "asdfgh",
    "zxcvbn",
];

/// Rows of a keyboard: a password walking along one is refused.
const ROWS: [&str; 4] = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// Checks a new password for the account `login`.
pub fn check(password: &str, login: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let folded: String = fold(password).chars().filter(|c| *c != ' ').collect();
    let login: String = fold(login).chars().filter(|c| *c != ' ').collect();
    if login.chars().count() >= 3 && folded.contains(&login) {
        return Err(PasswordProblem::ContainsLogin);
    }
    if guessable(password, &folded) {
        return Err(PasswordProblem::Guessable);
    }
    Ok(())
}

fn guessable(password: &str, folded: &str) -> bool {
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return true;
    }
    let letters: String = folded.chars().filter(|c| !c.is_ascii_digit()).collect();
    if letters.is_empty() || COMMON.contains(&letters.as_str()) {
        return true;
    }
    // Repeats of a common word ("matkhaumatkhau") count as the word.
    if COMMON.iter().any(|w| {
        letters.len().is_multiple_of(w.len()) && letters == w.repeat(letters.len() / w.len())
    }) {
        return true;
    }
    consecutive(folded) || ROWS.iter().any(|r| r.repeat(3).contains(folded))
}

/// Each character the next of the one before, up or down ("abcdef…",
/// "987654…"), digits wrapping from 9 to 0.
fn consecutive(s: &str) -> bool {
    let c: Vec<u32> = s.chars().map(u32::from).collect();
    let step = |a: u32, b: u32| {
        let digits = (48..58).contains(&a) && (48..58).contains(&b);
        if digits {
            ((b + 10 - a) % 10) as i64
        } else {
            i64::from(b) - i64::from(a)
        }
    };
    let up = c.windows(2).all(|w| step(w[0], w[1]) == 1);
    let down = c.windows(2).all(|w| step(w[1], w[0]) == 1);
    up || down
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weak_choices_are_refused_with_their_reason() {
        for (pw, problem) in [
            ("ngắn quá", PasswordProblem::TooShort),
            ("12345678901", PasswordProblem::TooShort),
            ("123456789012", PasswordProblem::Guessable),
            ("987654321098", PasswordProblem::Guessable),
            ("abcdefghijklmn", PasswordProblem::Guessable),
            ("aaaaaaaaaaaaaaa", PasswordProblem::Guessable),
            ("ababababababab", PasswordProblem::Guessable),
            ("Matkhau@2026!", PasswordProblem::Guessable),
            ("Mật khẩu 2026", PasswordProblem::Guessable),
            ("matkhaumatkhau", PasswordProblem::Guessable),
            ("qwertyuiopqw", PasswordProblem::Guessable),
            ("Password1234", PasswordProblem::Guessable),
            ("hoa.snv-2026-mới", PasswordProblem::ContainsLogin),
            ("HOASNV@2026abc", PasswordProblem::ContainsLogin),
        ] {
            assert_eq!(check(pw, "hoa.snv"), Err(problem), "{pw}");
        }
        assert_eq!(
            check("Hoà 2026 đi làm", "hoa"),
            Err(PasswordProblem::ContainsLogin)
        );
        assert_eq!(
            check(&"x1y2".repeat(33), "a"),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn sentences_and_demo_passwords_pass() {
        for pw in [
            "thidua-demo-2026",
            "Sáng thứ hai họp giao ban lúc 7 giờ",
            "mật khẩu đủ dài",
            "correct horse battery staple",
            "Đắk Nông 2021 về đích",
        ] {
            assert_eq!(check(pw, "hoa.snv"), Ok(()), "{pw}");
        }
    }

    proptest! {
        /// Any text of 12 to 128 characters is either accepted or refused
        /// for a reason; length alone decides outside that range.
        #[test]
        fn length_decides_outside_the_range(pw in "\\PC{0,140}") {
            let n = pw.chars().count();
            let r = check(&pw, "hoa.snv");
            if n < MIN_CHARS {
                prop_assert_eq!(r, Err(PasswordProblem::TooShort));
            } else if n > MAX_CHARS {
                prop_assert_eq!(r, Err(PasswordProblem::TooLong));
            } else {
                prop_assert!(!matches!(r, Err(PasswordProblem::TooShort | PasswordProblem::TooLong)));
            }
        }
    }
}
