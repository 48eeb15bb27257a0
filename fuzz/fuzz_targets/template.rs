//! The document template language, for every kind of document.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thidua_domain::template::{Template, TemplateKind};

fuzz_target!(|text: &str| {
    for kind in TemplateKind::ALL {
        let _ = Template::parse(kind, text);
    }
});
