//! cargo-fuzz target: see `harness::diff_pipeline`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::diff_pipeline(data));
