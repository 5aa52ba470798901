//! cargo-fuzz target: see `harness::diff_pipeline`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)] // each target uses one of the checks
#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::diff_pipeline(data));
