//! PDF through typst: the layout lives in `templates/*.typ`, the data
//! arrives as one JSON input, so no value can be read as markup.

use crate::{CertificateDoc, DecisionDoc, DocumentError, Fonts};
use serde::Serialize;
use typst::foundations::{Dict, IntoValue};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;

const COMMON: &str = include_str!("../templates/common.typ");
const DECISION: &str = include_str!("../templates/decision.typ");
const CERTIFICATE: &str = include_str!("../templates/certificate.typ");

/// The decision and, on the following pages, its list.
pub fn decision_pdf(doc: &DecisionDoc, fonts: &Fonts) -> Result<Vec<u8>, DocumentError> {
    render(DECISION, doc, fonts)
}

/// One certificate per page, ready to print in one go.
pub fn certificates_pdf(docs: &[CertificateDoc], fonts: &Fonts) -> Result<Vec<u8>, DocumentError> {
    render(CERTIFICATE, &docs, fonts)
}

fn render<T: Serialize>(
    main: &'static str,
    data: &T,
    fonts: &Fonts,
) -> Result<Vec<u8>, DocumentError> {
    let json = serde_json::to_string(data).map_err(|e| DocumentError::Layout(e.to_string()))?;
    let engine = TypstEngine::builder()
        .main_file(main)
        .with_static_source_file_resolver([("common.typ", COMMON)])
        .fonts(fonts.all())
        .build();
    let mut inputs = Dict::new();
    inputs.insert("data".into(), json.into_value());
    let doc: PagedDocument = engine
        .compile_with_input(inputs)
        .output
        .map_err(|e| DocumentError::Layout(format!("{e:?}")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .map_err(|e| DocumentError::Layout(format!("{e:?}")))
}
