//! cargo-fuzz target: see `harness::event_payload`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)] // each target uses one of the checks
#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::event_payload(data));
