//! cargo-fuzz target: see `harness::event_payload`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::event_payload(data));
