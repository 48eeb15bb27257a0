//! Mẫu văn bản — the editable text of the documents thidua prints.
//!
//! Administrators edit the words (legal grounds, articles, recipients); the
//! layout (quốc hiệu, số/ký hiệu, signature block) stays in code, so that a
//! wrong edit can spoil a sentence but never the administrative form. A
//! template is checked when it is saved: every `{placeholder}` must be one
//! the kind of document knows, every `@section` one it has.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 4] = [
        TemplateKind::Decision,
        TemplateKind::Certificate,
        TemplateKind::Revocation,
        TemplateKind::Correction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Decision => "decision",
            TemplateKind::Certificate => "certificate",
            TemplateKind::Revocation => "revocation",
            TemplateKind::Correction => "correction",
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
        }
    }

    /// The sections a template of this kind has, each with what it holds.
    pub fn sections(self) -> &'static [(&'static str, &'static str)] {
        match self {
            TemplateKind::Decision | TemplateKind::Revocation | TemplateKind::Correction => &[
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
            TemplateKind::Decision | TemplateKind::Revocation | TemplateKind::Correction => {
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
        }
    }
}

const DEFAULT_DECISION: &str = "@trich_yeu
Về việc tặng {hinh_thuc}
@than
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;
{can_cu}
Theo đề nghị của {de_nghi_cua} và Giám đốc Sở Nội vụ.
# QUYẾT ĐỊNH:
Điều 1. Tặng {hinh_thuc} cho {doi_tuong} (có danh sách kèm theo), đã có thành tích xuất sắc trong công tác, góp phần vào sự nghiệp xây dựng và phát triển của tỉnh.
Điều 2. Kèm theo {hinh_thuc}, các tập thể, cá nhân được thưởng theo quy định, mức lương cơ sở {muc_luong_co_so}; tổng số tiền thưởng {tong_tien_thuong}, chi từ Quỹ thi đua, khen thưởng của tỉnh.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
{de_nghi_cua};
Lưu: VT, SNV.
";

const DEFAULT_REVOCATION: &str = "@trich_yeu
Về việc hủy bỏ quyết định khen thưởng và thu hồi {hinh_thuc}
@than
Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;
{can_cu}
Xét đề nghị của Giám đốc Sở Nội vụ.
# QUYẾT ĐỊNH:
Điều 1. Hủy bỏ việc tặng {hinh_thuc} đối với {doi_tuong} có tên trong danh sách kèm theo tại Quyết định số {quyet_dinh_goc}. Lý do: {ly_do}.
Điều 2. Thu hồi hiện vật và tiền thưởng đã nhận; xóa tên khỏi sổ khen thưởng.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
Lưu: VT, SNV.
";

const DEFAULT_CORRECTION: &str = "@trich_yeu
Về việc đính chính Quyết định số {quyet_dinh_goc}
@than
Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;
{can_cu}
Xét đề nghị của Giám đốc Sở Nội vụ.
# QUYẾT ĐỊNH:
Điều 1. Đính chính Quyết định số {quyet_dinh_goc} đối với {doi_tuong} như danh sách kèm theo. Lý do: {ly_do}.
Điều 2. Các nội dung khác của Quyết định số {quyet_dinh_goc} giữ nguyên hiệu lực.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
Lưu: VT, SNV.
";

const DEFAULT_CERTIFICATE: &str = "@than
# {nguoi_co_tham_quyen}
# TẶNG
## {ten}
{chuc_vu_don_vi}
Đã có thành tích {thanh_tich}
";

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
            sections
                .entry(section)
                .or_default()
                .push(Line { style, pieces });
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
    /// it stands alone on its line; an empty value alone on its line leaves
    /// no empty paragraph behind.
    pub fn render(&self, section: &str, values: &Values) -> Vec<Paragraph> {
        let Some(lines) = self.sections.get(section) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for line in lines {
            let mut text = String::new();
            for piece in &line.pieces {
                match piece {
                    Piece::Text(t) => text.push_str(t),
                    Piece::Field(f) => text.push_str(values.get(f).map_or("", String::as_str)),
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
        out
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
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn the_shipped_templates_pass_their_own_checks() {
        for kind in TemplateKind::ALL {
            let t = Template::parse(kind, kind.default_text()).unwrap();
            assert!(!t.used_fields().is_empty());
        }
    }

    #[test]
    fn unknown_placeholders_are_refused_with_their_place() {
        let err = Template::parse(
            TemplateKind::Decision,
            "@trich_yeu\nVề việc {hinh_thuc}\n@than\nTặng {ten_sai} nhé\n@noi_nhan\nLưu",
        )
        .unwrap_err();
        assert_eq!(
            err,
            TemplateError::UnknownField {
                line: 4,
                column: 6,
                name: "ten_sai".into(),
                kind: "Quyết định khen thưởng"
            }
        );
        assert!(err.to_string().contains("dòng 4, cột 6"), "{err}");
        // A certificate has no legal grounds.
        assert!(matches!(
            Template::parse(TemplateKind::Certificate, "@than\n{can_cu}"),
            Err(TemplateError::UnknownField { .. })
        ));
        assert!(matches!(
            Template::parse(TemplateKind::Certificate, "@than\n{ten"),
            Err(TemplateError::Unclosed { line: 2, column: 1 })
        ));
        assert!(matches!(
            Template::parse(TemplateKind::Certificate, "@bia\n{ten}"),
            Err(TemplateError::UnknownSection { line: 1, .. })
        ));
        assert!(matches!(
            Template::parse(TemplateKind::Certificate, "Tặng\n@than"),
            Err(TemplateError::OutsideSection { line: 1 })
        ));
        assert!(matches!(
            Template::parse(TemplateKind::Decision, "@than\nx"),
            Err(TemplateError::MissingSection { name: "trich_yeu" })
        ));
    }

    #[test]
    fn values_are_put_in_and_multi_line_values_become_paragraphs() {
        let t = Template::parse(
            TemplateKind::Decision,
            TemplateKind::Decision.default_text(),
        )
        .unwrap();
        let mut v = Values::new();
        v.insert("hinh_thuc", "Bằng khen của Chủ tịch UBND tỉnh".into());
        v.insert(
            "can_cu",
            "Căn cứ Nghị định số 152/2025/NĐ-CP;\nCăn cứ Quyết định số 589/QĐ-UBND;".into(),
        );
        v.insert("doi_tuong", "1 cá nhân".into());
        let body = t.render("than", &v);
        assert_eq!(body[2].text, "Căn cứ Nghị định số 152/2025/NĐ-CP;");
        assert_eq!(body[3].text, "Căn cứ Quyết định số 589/QĐ-UBND;");
        assert!(
            body.iter()
                .any(|p| p.style == ParagraphStyle::Heading && p.text == "QUYẾT ĐỊNH:")
        );
        assert!(body.iter().any(|p| p.text.starts_with(
            "Điều 1. Tặng Bằng khen của Chủ tịch UBND tỉnh cho 1 cá nhân (có danh sách kèm theo)"
        )));
        // An empty value alone on its line leaves nothing behind.
        v.insert("can_cu", String::new());
        assert_eq!(t.render("than", &v).len(), body.len() - 2);
        assert_eq!(
            t.render("trich_yeu", &v)[0].text,
            "Về việc tặng Bằng khen của Chủ tịch UBND tỉnh"
        );
    }

    #[test]
    fn dates_are_written_out_as_documents_write_them() {
        assert_eq!(
            date_in_words(date!(2026 - 11 - 20)),
            "ngày 20 tháng 11 năm 2026"
        );
        assert_eq!(
            date_in_words(date!(2026 - 02 - 05)),
            "ngày 05 tháng 02 năm 2026"
        );
        assert_eq!(
            date_in_words(date!(2026 - 03 - 09)),
            "ngày 09 tháng 3 năm 2026"
        );
    }

    proptest! {
        /// Whatever an administrator types, the check answers (never panics),
        /// and what it accepts renders without inventing placeholders.
        #[test]
        fn any_text_is_either_refused_or_rendered(body in "[a-zA-Zà-ỹ{}_ #@\n]{0,80}") {
            let text = format!("@than\n{body}");
            if let Ok(t) = Template::parse(TemplateKind::Certificate, &text) {
                for p in t.render("than", &Values::new()) {
                    prop_assert!(!p.text.contains('{'), "left a brace in {}", p.text);
                }
            }
        }
    }
}
