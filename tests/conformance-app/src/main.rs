//! Run with `cargo run -p liveview-conformance` (work in progress).

fn main() {}
