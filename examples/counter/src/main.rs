//! Run with `cargo run -p example-counter`
fn main() {}
