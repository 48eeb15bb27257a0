//! What every page shares and needs nothing else of the web layer: the
//! page's frame (chrome), the error page, Vietnamese numbers and today's
//! date in Vietnam.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use time::{Date, OffsetDateTime, UtcOffset};

pub fn today_vn() -> Date {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What every page shows around its content: who is signed in, the
/// navigation, the CSRF token for its forms, and a flash message.
/// The first character of a flash that reports an error: messages are
/// Vietnamese sentences and never start with it.
pub const ERROR_MARK: char = '!';

/// A message shown once after a form: a success, or why nothing changed.
#[derive(Debug, Clone)]
pub struct Flash {
    pub error: bool,
    pub text: String,
}

impl Flash {
    pub fn read(raw: &str) -> Flash {
        match raw.strip_prefix(ERROR_MARK) {
            Some(text) => Flash {
                error: true,
                text: text.to_owned(),
            },
            None => Flash {
                error: false,
                text: raw.to_owned(),
            },
        }
    }
}

pub struct Chrome {
    pub area: &'static str,
    pub signed_in: bool,
    pub user_name: String,
    pub role_label: &'static str,
    pub is_admin: bool,
    pub csrf: String,
    pub flash: Option<Flash>,
    /// The section of the user guide about this page, for its reader.
    pub help: String,
}

impl Chrome {
    /// The frame of a page for someone not signed in.
    pub fn signed_out(area: &'static str) -> Chrome {
        Chrome {
            area,
            signed_in: false,
            user_name: String::new(),
            role_label: "",
            is_admin: false,
            csrf: String::new(),
            flash: None,
            help: crate::guide::help_link(None, area),
        }
    }
}

/// 1234567 → "1.234.567".
pub fn format_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    heading: &'a str,
    message: &'a str,
}

pub fn error_page(heading: &str, message: &str) -> Response {
    let mut r = ErrorPage {
        chrome: Chrome::signed_out(""),
        heading,
        message,
    }
    .into_response();
    // Kept for `routes::framed_errors`, which draws the page again inside
    // the signed-in person's navigation.
    r.extensions_mut().insert(ErrorText {
        heading: heading.to_owned(),
        message: message.to_owned(),
    });
    r
}

/// What an error page says, for drawing it again in the person's frame.
#[derive(Debug, Clone)]
pub struct ErrorText {
    pub heading: String,
    pub message: String,
}

/// The error page in the frame of `chrome`.
pub fn framed_error_page(chrome: Chrome, e: &ErrorText) -> Response {
    ErrorPage {
        chrome,
        heading: &e.heading,
        message: &e.message,
    }
    .into_response()
}
