//! DOCX written by hand: WordprocessingML is a zip of a few XML parts, and
//! a decision needs only paragraphs, two borderless header tables and the
//! bordered list — far less than a general DOCX library compiles.

use crate::{DecisionDoc, DocumentError, Para};
use std::io::Write;
use thidua_domain::template::ParagraphStyle;
use zip::write::SimpleFileOptions;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Times New Roman 14 pt, the administrative face and size.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// The decision and its list as an editable DOCX.
pub fn decision_docx(d: &DecisionDoc) -> Result<Vec<u8>, DocumentError> {
    let mut body = String::new();
    let heading_left: Vec<Run> = d
        .heading
        .body
        .iter()
        .map(|l| Run::bold(l).size(26))
        .collect();
    let motto = vec![
        Run::bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").size(24),
        Run::bold("Độc lập - Tự do - Hạnh phúc").size(26),
    ];
    body.push_str(&plain_table(
        &[3800, 5400],
        &[
            vec![
                para_lines(&heading_left, Align::Center),
                para_lines(&motto, Align::Center),
            ],
            vec![
                paragraph(
                    &[Run::plain(&format!("Số: {}", d.heading.number))],
                    Align::Center,
                    false,
                ),
                paragraph(
                    &[
                        Run::plain(&format!("{}, {}", d.heading.place, d.heading.date_words))
                            .italic(),
                    ],
                    Align::Center,
                    false,
                ),
            ],
        ],
        false,
    ));
    body.push_str(&paragraph(&[Run::bold("QUYẾT ĐỊNH")], Align::Center, false));
    for p in &d.summary {
        body.push_str(&paragraph(&[Run::bold(&p.text)], Align::Center, false));
    }
    body.push_str(&paragraph(&[Run::bold(&d.authority)], Align::Center, false));
    for p in &d.body {
        body.push_str(&para(p));
    }
    let mut recipients = vec![Run::bold("Nơi nhận:").italic().size(24)];
    recipients.extend(
        d.recipients
            .iter()
            .map(|r| Run::plain(&format!("- {r}")).size(22)),
    );
    let mut sign: Vec<Run> = d.signature.capacity.iter().map(|c| Run::bold(c)).collect();
    sign.extend([
        Run::plain(""),
        Run::plain(""),
        Run::plain(""),
        Run::bold(&d.signature.name),
    ]);
    body.push_str(&plain_table(
        &[4600, 4600],
        &[vec![
            para_lines(&recipients, Align::Left),
            para_lines(&sign, Align::Center),
        ]],
        false,
    ));
    if let Some(l) = &d.list {
        body.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
        body.push_str(&paragraph(&[Run::bold(&l.title)], Align::Center, false));
        body.push_str(&paragraph(
            &[Run::plain(&l.subtitle).italic()],
            Align::Center,
            false,
        ));
        let mut rows = vec![
            [
                "STT",
                "Tên tập thể, cá nhân",
                "Chức vụ, đơn vị",
                "Thành tích",
                "Tiền thưởng (đồng)",
            ]
            .iter()
            .map(|h| paragraph(&[Run::bold(h).size(24)], Align::Center, false))
            .collect::<Vec<_>>(),
        ];
        for g in &l.groups {
            rows.push(vec![paragraph(
                &[Run::bold(&g.heading).size(24)],
                Align::Left,
                false,
            )]);
            for (i, r) in g.rows.iter().enumerate() {
                let cell = |t: &str, a| paragraph(&[Run::plain(t).size(24)], a, false);
                rows.push(vec![
                    cell(&(i + 1).to_string(), Align::Center),
                    cell(&r.name, Align::Left),
                    cell(&r.detail, Align::Left),
                    cell(&r.achievement, Align::Left),
                    cell(&r.bonus, Align::Right),
                ]);
            }
        }
        body.push_str(&plain_table(&[700, 2300, 2500, 2500, 1300], &rows, true));
        body.push_str(&paragraph(&[Run::bold(&l.total)], Align::Right, false));
    }
    // A4, margins of 2 cm / 3 cm on the binding side (in twentieths of a point).
    body.push_str(
        r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>"#,
    );
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
    );
    zip_parts(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", STYLES),
        ("word/document.xml", &document),
    ])
}

fn zip_parts(parts: &[(&str, &str)]) -> Result<Vec<u8>, DocumentError> {
    let err = |e: &dyn std::fmt::Display| DocumentError::Docx(e.to_string());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, opts).map_err(|e| err(&e))?;
        zip.write_all(content.as_bytes()).map_err(|e| err(&e))?;
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Center,
    Right,
    Both,
}

impl Align {
    fn xml(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
            Align::Both => "both",
        }
    }
}

struct Run {
    text: String,
    bold: bool,
    italic: bool,
    size: Option<u32>,
}

impl Run {
    fn plain(t: &str) -> Run {
        Run {
            text: t.to_owned(),
            bold: false,
            italic: false,
            size: None,
        }
    }
    fn bold(t: &str) -> Run {
        Run {
            bold: true,
            ..Run::plain(t)
        }
    }
    fn italic(self) -> Run {
        Run {
            italic: true,
            ..self
        }
    }
    /// Size in half-points (26 = 13 pt).
    fn size(self, half_points: u32) -> Run {
        Run {
            size: Some(half_points),
            ..self
        }
    }
    fn xml(&self) -> String {
        let mut props = String::new();
        if self.bold {
            props.push_str("<w:b/>");
        }
        if self.italic {
            props.push_str("<w:i/>");
        }
        if let Some(s) = self.size {
            props.push_str(&format!(r#"<w:sz w:val="{s}"/><w:szCs w:val="{s}"/>"#));
        }
        format!(
            r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
            escape(&self.text)
        )
    }
}

fn paragraph(runs: &[Run], align: Align, indent: bool) -> String {
    let ind = if indent {
        r#"<w:ind w:firstLine="567"/>"#
    } else {
        ""
    };
    let runs: String = runs.iter().map(Run::xml).collect();
    format!(
        r#"<w:p><w:pPr><w:jc w:val="{}"/>{ind}</w:pPr>{runs}</w:p>"#,
        align.xml()
    )
}

/// Several lines, one paragraph each (a cell of the header).
fn para_lines(runs: &[Run], align: Align) -> String {
    runs.iter()
        .map(|r| paragraph(std::slice::from_ref(r), align, false))
        .collect()
}

fn para(p: &Para) -> String {
    match p.style {
        ParagraphStyle::Heading => paragraph(&[Run::bold(&p.text)], Align::Center, false),
        ParagraphStyle::Title => paragraph(&[Run::bold(&p.text).size(32)], Align::Center, false),
        ParagraphStyle::Body => {
            let mut runs = Vec::new();
            if !p.lead.is_empty() {
                runs.push(Run::bold(&format!("{} ", p.lead)));
            }
            runs.push(Run::plain(&p.text));
            paragraph(&runs, Align::Both, true)
        }
    }
}

/// A table of already-written cell contents; a row shorter than the widths
/// spans its last cell over the rest (a group heading of the list).
fn plain_table(widths: &[u32], rows: &[Vec<String>], borders: bool) -> String {
    let border = if borders {
        r#"<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders>"#
    } else {
        ""
    };
    let grid: String = widths
        .iter()
        .map(|w| format!(r#"<w:gridCol w:w="{w}"/>"#))
        .collect();
    let mut out = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>{border}<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"#
    );
    for row in rows {
        out.push_str("<w:tr>");
        for (i, cell) in row.iter().enumerate() {
            let span = if i + 1 == row.len() && row.len() < widths.len() {
                widths.len() - i
            } else {
                1
            };
            let width: u32 = widths[i..i + span].iter().sum();
            let span_xml = if span > 1 {
                format!(r#"<w:gridSpan w:val="{span}"/>"#)
            } else {
                String::new()
            };
            out.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}</w:tcPr>{cell}</w:tc>"#
            ));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The text of a DOCX, paragraph by paragraph: for tests and for checks
/// that a document says what it should.
pub fn docx_text(bytes: &[u8]) -> Result<Vec<String>, DocumentError> {
    use std::io::Read;
    let err = |e: &dyn std::fmt::Display| DocumentError::Docx(e.to_string());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| err(&e))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|e| err(&e))?
        .read_to_string(&mut xml)
        .map_err(|e| err(&e))?;
    let mut out = Vec::new();
    for p in xml.split("</w:p>") {
        let mut line = String::new();
        let mut rest = p;
        // A text run opens with `<w:t>` or `<w:t xml:space=…>`, never
        // `<w:tbl…>`, `<w:tc…>` or `<w:tr…>`.
        while let Some(start) = rest
            .match_indices("<w:t")
            .map(|(i, _)| i)
            .find(|&i| matches!(rest.as_bytes().get(i + 4), Some(b'>') | Some(b' ')))
        {
            let after = &rest[start..];
            let (Some(open_end), Some(close)) = (after.find('>'), after.find("</w:t>")) else {
                break;
            };
            line.push_str(&after[open_end + 1..close]);
            rest = &after[close + 6..];
        }
        let line = line
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        if !line.trim().is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}
