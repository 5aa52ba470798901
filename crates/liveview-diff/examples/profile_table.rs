//! Renders and diffs a 1,000-row table many times, for `valgrind --tool=callgrind`.
//!
//! Run with `cargo build --release -p liveview-diff --example profile_table` and then
//! `valgrind --tool=callgrind target/release/examples/profile_table [maud]`.

use liveview_diff::{DiffTracker, Extras};

#[path = "../benches/support/table.rs"]
mod table;

use table::{live_table, maud_table, rows};

fn main() {
    let states = [rows(1000, None, 0), rows(1000, Some(500), 1)];
    let iterations = 200;
    if std::env::args().nth(1).as_deref() == Some("maud") {
        let mut total = 0;
        for i in 0..iterations {
            total += maud_table(&states[i % 2]).into_string().len();
        }
        eprintln!("maud: {total} bytes");
    } else {
        let mut tracker = DiffTracker::new();
        tracker.render_full(live_table(&states[0]), &Extras::default());
        let mut total = 0;
        for i in 0..iterations {
            total += tracker
                .render_diff(live_table(&states[(i + 1) % 2]), &Extras::default())
                .map_or(0, |d| d.len());
        }
        eprintln!("liveview: {total} bytes");
    }
}
