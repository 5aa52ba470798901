//! cargo-fuzz target: see `harness::frame_decoder`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::frame_decoder(data));
