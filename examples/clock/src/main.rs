//! Run with `cargo run -p example-clock` (work in progress).

fn main() {}
