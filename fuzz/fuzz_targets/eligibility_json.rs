//! The eligibility contract (POST /api/v1/eligibility/check): any JSON that
//! deserialises is validated and judged without a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thidua_domain::eligibility::{CheckRequest, check};

fuzz_target!(|data: &[u8]| {
    if let Ok(req) = serde_json::from_slice::<CheckRequest>(data) {
        let _ = check(&req);
    }
});
