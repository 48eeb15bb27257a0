//! The paper thidua prints: the decision (quyết định khen thưởng) with its
//! attached list, and the certificates (Bằng khen, Giấy khen).
//!
//! Callers describe a document as plain values ([`DecisionDoc`],
//! [`CertificateDoc`]) whose words already come from the administrators'
//! templates (`thidua_domain::template`); this crate only lays them out in
//! the administrative style of Nghị định 30/2020/NĐ-CP — as PDF through
//! typst (real line breaking and shaping, fonts embedded) and as DOCX, the
//! editable draft offices pass around. It lives apart because typst is the
//! heaviest thing thidua compiles.

mod docx;
mod fonts;
mod pdf;
#[cfg(test)]
mod render_tests;

pub use docx::{decision_docx, docx_text};
pub use fonts::Fonts;
pub use pdf::{certificates_pdf, decision_pdf};

use serde::Serialize;
use thidua_domain::template::{Paragraph, ParagraphStyle};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(
        "không tìm thấy phông chữ có đủ dấu tiếng Việt (đã tìm trong {0}); cài gói fonts-liberation2 hoặc đặt THIDUA_FONT_DIR"
    )]
    NoFont(String),
    #[error("không dàn trang được tài liệu: {0}")]
    Layout(String),
    #[error("không ghi được tệp DOCX: {0}")]
    Docx(String),
}

/// The head of an administrative document: who issues it, its number, and
/// where and when it is signed.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    /// The issuing body in capitals, one line per element
    /// (["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"]).
    pub body: Vec<String>,
    /// "123/QĐ-UBND".
    pub number: String,
    /// "Lâm Đồng".
    pub place: String,
    /// "ngày 20 tháng 11 năm 2026".
    pub date_words: String,
}

/// Who signs: the capacity lines ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") and the name.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub capacity: Vec<String>,
    pub name: String,
}

/// A paragraph as laid out: a bold lead ("Điều 1.") is split off the text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Para {
    pub style: ParagraphStyle,
    pub lead: String,
    pub text: String,
}

impl From<&Paragraph> for Para {
    fn from(p: &Paragraph) -> Para {
        let (lead, text) = match p.style {
            ParagraphStyle::Body => split_article(&p.text),
            _ => (String::new(), p.text.clone()),
        };
        Para {
            style: p.style,
            lead,
            text,
        }
    }
}

/// "Điều 12. Tặng …" → ("Điều 12.", "Tặng …").
fn split_article(text: &str) -> (String, String) {
    if let Some(rest) = text.strip_prefix("Điều ") {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with('.') {
            let cut = "Điều ".len() + digits + 1;
            return (text[..cut].to_owned(), text[cut..].trim_start().to_owned());
        }
    }
    (String::new(), text.to_owned())
}

pub fn paras(ps: &[Paragraph]) -> Vec<Para> {
    ps.iter().map(Para::from).collect()
}

/// One row of the attached list.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow {
    pub name: String,
    /// Chức vụ, đơn vị công tác (or, for a collective, its parent body).
    pub detail: String,
    pub achievement: String,
    /// "2.400.000", or empty when the line carries no bonus.
    pub bonus: String,
}

/// A group of the list ("I. TẬP THỂ", "II. CÁ NHÂN").
#[derive(Debug, Clone, Serialize)]
pub struct ListGroup {
    pub heading: String,
    pub rows: Vec<ListRow>,
}

/// The list attached to a decision.
#[derive(Debug, Clone, Serialize)]
pub struct AwardList {
    /// "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN …".
    pub title: String,
    /// "(Kèm theo Quyết định số 123/QĐ-UBND ngày 20/11/2026 của …)".
    pub subtitle: String,
    pub groups: Vec<ListGroup>,
    /// "Tổng cộng: 27.000.000 đồng".
    pub total: String,
}

/// A decision as it is printed.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionDoc {
    pub heading: Heading,
    /// The abstract under the word QUYẾT ĐỊNH ("Về việc tặng Bằng khen …").
    pub summary: Vec<Para>,
    /// "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG".
    pub authority: String,
    pub body: Vec<Para>,
    pub recipients: Vec<String>,
    pub signature: Signature,
    pub list: Option<AwardList>,
}

/// One certificate.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateDoc {
    /// "BẰNG KHEN" or "GIẤY KHEN".
    pub form_title: String,
    pub body: Vec<Para>,
    /// "Lâm Đồng, ngày 20 tháng 11 năm 2026".
    pub place_date: String,
    pub signature: Signature,
    /// "Quyết định số 123/QĐ-UBND ngày 20/11/2026", "Số sổ: 123-01".
    pub reference: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_leads_are_split_off() {
        assert_eq!(
            split_article("Điều 1. Tặng Bằng khen"),
            ("Điều 1.".into(), "Tặng Bằng khen".into())
        );
        assert_eq!(
            split_article("Điều 12.Tặng"),
            ("Điều 12.".into(), "Tặng".into())
        );
        assert_eq!(
            split_article("Điều này"),
            (String::new(), "Điều này".into())
        );
        assert_eq!(split_article("Căn cứ"), (String::new(), "Căn cứ".into()));
    }
}
