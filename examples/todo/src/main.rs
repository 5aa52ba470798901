//! Run with `cargo run -p example-todo` (work in progress).

fn main() {}
