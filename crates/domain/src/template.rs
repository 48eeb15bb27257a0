//! Mẫu văn bản — the editable text of the documents thidua prints.
//!
//! Administrators edit the words (legal grounds, articles, recipients); the
//! layout (quốc hiệu, số/ký hiệu, signature block) stays in code, so that a
//! wrong edit can spoil a sentence but never the administrative form. A
//! template is checked when it is saved: every `{placeholder}` must be one
//! the kind of document knows, every `@section` one it has.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod defaults;
use defaults::*;

/// Which document a template writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// Quyết định khen thưởng — the decision and its articles.
    Decision,
    /// Bằng khen / Giấy khen — one certificate per award line.
    Certificate,
    /// Quyết định hủy bỏ, thu hồi — takes awards back.
    Revocation,
    /// Quyết định đính chính — corrects lines of an earlier decision.
    Correction,
    /// Quyết định của Thủ tướng Chính phủ, Chủ tịch nước — a higher
    /// decision recorded when a forwarded dossier comes back.
    CentralDecision,
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 5] = [
        TemplateKind::Decision,
        TemplateKind::Certificate,
        TemplateKind::Revocation,
        TemplateKind::Correction,
        TemplateKind::CentralDecision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Decision => "decision",
            TemplateKind::Certificate => "certificate",
            TemplateKind::Revocation => "revocation",
            TemplateKind::Correction => "correction",
            TemplateKind::CentralDecision => "central_decision",
        }
    }

    pub fn parse(s: &str) -> Option<TemplateKind> {
        TemplateKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TemplateKind::Decision => "Quyết định khen thưởng",
            TemplateKind::Certificate => "Bằng khen, Giấy khen",
            TemplateKind::Revocation => "Quyết định hủy bỏ, thu hồi",
            TemplateKind::Correction => "Quyết định đính chính",
            TemplateKind::CentralDecision => "Quyết định của Thủ tướng, Chủ tịch nước",
        }
    }

    /// The sections a template of this kind has, each with what it holds.
    pub fn sections(self) -> &'static [(&'static str, &'static str)] {
        match self {
            TemplateKind::Decision
            | TemplateKind::Revocation
            | TemplateKind::Correction
            | TemplateKind::CentralDecision => &[
                ("trich_yeu", "trích yếu, dưới chữ QUYẾT ĐỊNH"),
                ("than", "căn cứ, đề nghị và các điều"),
                ("noi_nhan", "nơi nhận, mỗi dòng một nơi"),
            ],
            TemplateKind::Certificate => &[("than", "lời tặng, căn giữa")],
        }
    }

    /// The placeholders a template of this kind may use, each with its meaning.
    pub fn fields(self) -> &'static [(&'static str, &'static str)] {
        const COMMON: &[(&str, &str)] = &[
            ("so_ky_hieu", "số, ký hiệu của quyết định (589/QĐ-UBND)"),
            ("ngay", "ngày ký, dd/mm/yyyy"),
            ("ngay_chu", "ngày ký viết đủ (ngày 20 tháng 11 năm 2026)"),
            ("dia_danh", "địa danh (Lâm Đồng)"),
            (
                "co_quan",
                "cơ quan ban hành (Ủy ban nhân dân tỉnh Lâm Đồng)",
            ),
            (
                "nguoi_co_tham_quyen",
                "người có thẩm quyền (Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng)",
            ),
            (
                "hinh_thuc",
                "hình thức khen thưởng (Bằng khen của Chủ tịch UBND tỉnh)",
            ),
            ("nguoi_ky", "họ tên người ký"),
            ("chuc_vu_ky", "chức vụ người ký"),
        ];
        match self {
            TemplateKind::Decision
            | TemplateKind::Revocation
            | TemplateKind::Correction
            | TemplateKind::CentralDecision => {
                const {
                    &[
                        COMMON[0],
                        COMMON[1],
                        COMMON[2],
                        COMMON[3],
                        COMMON[4],
                        COMMON[5],
                        COMMON[6],
                        COMMON[7],
                        COMMON[8],
                        (
                            "can_cu",
                            "căn cứ pháp lý của quyết định, mỗi dòng một căn cứ",
                        ),
                        ("de_nghi_cua", "đơn vị đề nghị"),
                        ("so_tap_the", "số tập thể được khen"),
                        ("so_ca_nhan", "số cá nhân được khen"),
                        ("doi_tuong", "“3 tập thể và 12 cá nhân”, bỏ phần bằng 0"),
                        ("tong_tien_thuong", "tổng tiền thưởng (27.000.000 đồng)"),
                        ("muc_luong_co_so", "mức lương cơ sở áp dụng"),
                        ("quyet_dinh_goc", "quyết định được đính chính hoặc hủy bỏ"),
                        ("ly_do", "lý do đính chính, hủy bỏ"),
                        (
                            "can_cu_phap_ly",
                            "căn cứ pháp lý theo ngày quyết định và người ban hành (luật tổ chức, Luật Thi đua, khen thưởng, nghị định hiện hành)",
                        ),
                        (
                            "theo_de_nghi",
                            "câu «Theo đề nghị của …» theo người ban hành",
                        ),
                        (
                            "thi_hanh",
                            "những người thi hành quyết định (Điều 3), theo người ban hành",
                        ),
                        (
                            "quy_khen_thuong",
                            "nguồn chi tiền thưởng (Quỹ thi đua, khen thưởng của tỉnh)",
                        ),
                        (
                            "thanh_tich_chung",
                            "thành tích chung ở Điều 1 (theo loại hình khen thưởng, phong trào)",
                        ),
                        ("tang", "«tặng» hoặc «tặng thưởng» (Huân chương)"),
                        ("tang_dau_cau", "«Tặng» hoặc «Tặng thưởng» đầu câu"),
                    ]
                }
            }
            TemplateKind::Certificate => {
                const {
                    &[
                        COMMON[0],
                        COMMON[1],
                        COMMON[2],
                        COMMON[3],
                        COMMON[4],
                        COMMON[5],
                        COMMON[6],
                        COMMON[7],
                        COMMON[8],
                        ("ten", "tên cá nhân hoặc tập thể được tặng"),
                        ("chuc_vu_don_vi", "chức vụ, đơn vị công tác"),
                        ("thanh_tich", "thành tích"),
                        ("so_vao_so", "số vào sổ khen thưởng"),
                    ]
                }
            }
        }
    }

    /// The template thidua ships, for an empty database.
    pub fn default_text(self) -> &'static str {
        match self {
            TemplateKind::Decision => DEFAULT_DECISION,
            TemplateKind::Certificate => DEFAULT_CERTIFICATE,
            TemplateKind::Revocation => DEFAULT_REVOCATION,
            TemplateKind::Correction => DEFAULT_CORRECTION,
            TemplateKind::CentralDecision => DEFAULT_CENTRAL_DECISION,
        }
    }

    /// Whether a stored text is one thidua shipped before (and so may be
    /// replaced by the current one without losing anyone's edit).
    pub fn is_previous_default(self, text: &str) -> bool {
        let previous: &[&str] = match self {
            TemplateKind::Decision => &[PREVIOUS_DECISION_1],
            TemplateKind::Revocation => &[PREVIOUS_REVOCATION_1],
            TemplateKind::Correction => &[PREVIOUS_CORRECTION_1],
            TemplateKind::Certificate | TemplateKind::CentralDecision => &[],
        };
        previous.iter().any(|p| p.trim() == text.trim())
    }
}

/// One piece of a line: words, or a value to put in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(&'static str),
}

/// How a paragraph stands on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphStyle {
    /// Justified body text; "Điều 1." at its start is set in bold.
    Body,
    /// `# …` — centred, bold.
    Heading,
    /// `## …` — centred, bold and large (the name on a certificate).
    Title,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    style: ParagraphStyle,
    pieces: Vec<Piece>,
    /// Its line in the template, from 1.
    number: usize,
}

impl Line {
    /// A line of placeholders and punctuation only ("{can_cu}",
    /// "{de_nghi_cua};"): when its values are empty it has nothing to say
    /// and is left out.
    fn fields_only(&self) -> bool {
        self.pieces.iter().all(|p| match p {
            Piece::Field(_) => true,
            Piece::Text(t) => t
                .chars()
                .all(|c| c.is_whitespace() || ";,.:-–/".contains(c)),
        })
    }
}

/// A template that has passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    kind: TemplateKind,
    sections: BTreeMap<&'static str, Vec<Line>>,
}

/// Why a template was refused, with its line and column (from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("dòng {line}, cột {column}: trường «{name}» không có trong mẫu {kind}")]
    UnknownField {
        line: usize,
        column: usize,
        name: String,
        kind: &'static str,
    },
    #[error("dòng {line}, cột {column}: thiếu dấu «}}» đóng trường")]
    Unclosed { line: usize, column: usize },
    #[error("dòng {line}: phần «@{name}» không có trong mẫu {kind}")]
    UnknownSection {
        line: usize,
        name: String,
        kind: &'static str,
    },
    #[error("dòng {line}: chữ đặt trước phần đầu tiên; mẫu bắt đầu bằng một dòng «@tên_phần»")]
    OutsideSection { line: usize },
    #[error("thiếu phần «@{name}»")]
    MissingSection { name: &'static str },
    #[error(
        "dòng {line} của mẫu: trường «{name}» không có giá trị nhưng câu cần nó; sửa mẫu hoặc bổ sung thông tin của quyết định"
    )]
    EmptyField { line: usize, name: &'static str },
}

/// A paragraph ready to lay out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub style: ParagraphStyle,
    pub text: String,
}

/// The values put into a template, by placeholder name.
pub type Values = BTreeMap<&'static str, String>;

impl Template {
    pub fn parse(kind: TemplateKind, text: &str) -> Result<Template, TemplateError> {
        let label = kind.label();
        let mut sections: BTreeMap<&'static str, Vec<Line>> = BTreeMap::new();
        let mut current: Option<&'static str> = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let raw = raw.trim_end();
            if let Some(name) = raw.strip_prefix('@') {
                let name = name.trim();
                let Some(&(known, _)) = kind.sections().iter().find(|(s, _)| *s == name) else {
                    return Err(TemplateError::UnknownSection {
                        line: line_no,
                        name: name.to_owned(),
                        kind: label,
                    });
                };
                current = Some(known);
                sections.entry(known).or_default();
                continue;
            }
            if raw.trim().is_empty() {
                continue;
            }
            let Some(section) = current else {
                return Err(TemplateError::OutsideSection { line: line_no });
            };
            let (style, body, offset) = if let Some(rest) = raw.strip_prefix("## ") {
                (ParagraphStyle::Title, rest, 3)
            } else if let Some(rest) = raw.strip_prefix("# ") {
                (ParagraphStyle::Heading, rest, 2)
            } else {
                (ParagraphStyle::Body, raw, 0)
            };
            let pieces = pieces(kind, body, line_no, offset)?;
            sections.entry(section).or_default().push(Line {
                style,
                pieces,
                number: line_no,
            });
        }
        for (name, _) in kind.sections() {
            if !sections.contains_key(name) {
                return Err(TemplateError::MissingSection { name });
            }
        }
        Ok(Template { kind, sections })
    }

    pub fn kind(&self) -> TemplateKind {
        self.kind
    }

    /// The paragraphs of one section with the values put in. A value with
    /// line breaks (the legal grounds) becomes one paragraph per line when
    /// it stands alone on its line; a line of placeholders whose values
    /// are all empty leaves nothing behind. A placeholder that renders
    /// empty inside a sentence is refused, with its line: a decision never
    /// prints «Theo đề nghị của và …» or an empty recipient.
    pub fn render(&self, section: &str, values: &Values) -> Result<Vec<Paragraph>, TemplateError> {
        let Some(lines) = self.sections.get(section) else {
            return Ok(Vec::new());
        };
        let value = |f: &'static str| values.get(f).map_or("", |v| v.trim());
        let mut out = Vec::new();
        for line in lines {
            let empty = line.pieces.iter().find_map(|p| match p {
                Piece::Field(f) if value(f).is_empty() => Some(*f),
                _ => None,
            });
            if let Some(name) = empty {
                let all_empty = line.pieces.iter().all(|p| match p {
                    Piece::Field(f) => value(f).is_empty(),
                    Piece::Text(_) => true,
                });
                if line.fields_only() && all_empty {
                    continue;
                }
                return Err(TemplateError::EmptyField {
                    line: line.number,
                    name,
                });
            }
            let mut text = String::new();
            for piece in &line.pieces {
                match piece {
                    Piece::Text(t) => text.push_str(t),
                    Piece::Field(f) => text.push_str(value(f)),
                }
            }
            for part in text.split('\n') {
                if !part.trim().is_empty() {
                    out.push(Paragraph {
                        style: line.style,
                        text: part.trim().to_owned(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The placeholders this template uses, in first-use order.
    pub fn used_fields(&self) -> Vec<&'static str> {
        let mut seen = Vec::new();
        for line in self.sections.values().flatten() {
            for piece in &line.pieces {
                if let Piece::Field(f) = piece
                    && !seen.contains(f)
                {
                    seen.push(*f);
                }
            }
        }
        seen
    }
}

fn pieces(
    kind: TemplateKind,
    body: &str,
    line: usize,
    offset: usize,
) -> Result<Vec<Piece>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut column = offset + 1;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_owned()));
        }
        column += rest[..open].chars().count();
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(TemplateError::Unclosed { line, column });
        };
        let name = after[..close].trim();
        let Some(&(known, _)) = kind.fields().iter().find(|(f, _)| *f == name) else {
            return Err(TemplateError::UnknownField {
                line,
                column,
                name: name.to_owned(),
                kind: kind.label(),
            });
        };
        out.push(Piece::Field(known));
        column += after[..close].chars().count() + 2;
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    Ok(out)
}

/// "ngày 20 tháng 11 năm 2026", as a date is written in a document's
/// place-and-date line: days below 10 and the months 1 and 2 take a leading
/// zero (the administrative style, Nghị định 30/2020/NĐ-CP).
pub fn date_in_words(d: time::Date) -> String {
    let day = d.day();
    let month = u8::from(d.month());
    let day_s = if day < 10 {
        format!("0{day}")
    } else {
        day.to_string()
    };
    let month_s = if month < 3 {
        format!("0{month}")
    } else {
        month.to_string()
    };
    format!("ngày {day_s} tháng {month_s} năm {}", d.year())
}

#[cfg(test)]
mod tests;
