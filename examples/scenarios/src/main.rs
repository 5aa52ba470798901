//! Run with `cargo run -p example-scenarios` (work in progress).

fn main() {}
