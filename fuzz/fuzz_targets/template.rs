//! The document template language, for every kind of document: the input
//! alone, and the input spliced into the default template (so the fuzzer
//! starts from a valid document rather than from nothing).
#![no_main]
use libfuzzer_sys::fuzz_target;
use thidua_domain::template::{Template, TemplateKind};

fuzz_target!(|text: &str| {
    for kind in TemplateKind::ALL {
        let _ = Template::parse(kind, text);
        let base = kind.default_text();
        let mut at = text.len().min(base.len());
        while !base.is_char_boundary(at) {
            at -= 1;
        }
        let _ = Template::parse(kind, &format!("{}{text}{}", &base[..at], &base[at..]));
    }
});
