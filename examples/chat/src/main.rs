//! Run with `cargo run -p example-chat` (work in progress).

fn main() {}
