//! Renders and diffs a 1,000-row table many times, for `valgrind --tool=callgrind`.
//!
//! Run with `cargo build --release -p liveview-diff --example profile_table` and then
//! `valgrind --tool=callgrind target/release/examples/profile_table [maud]`.

use liveview_diff::{html, DiffTracker, Extras, Rendered};

struct Row {
    id: u32,
    name: String,
    value: u64,
}

fn rows(changed: Option<u32>) -> Vec<Row> {
    (0..1000)
        .map(|id| Row {
            id,
            name: format!("row number {id}"),
            value: u64::from(id) * 7 + u64::from(Some(id) == changed),
        })
        .collect()
}

fn live_table(rows: &[Row]) -> Rendered {
    html! {
        table #rows {
            thead { tr { th { "id" } th { "name" } th { "value" } } }
            tbody {
                @for r in rows; key = (r.id) {
                    tr id=(format!("row-{}", r.id)) {
                        td { (r.id) }
                        td.name { (r.name) }
                        td.value { (r.value) }
                    }
                }
            }
        }
    }
}

fn maud_table(rows: &[Row]) -> maud::Markup {
    maud::html! {
        table #rows {
            thead { tr { th { "id" } th { "name" } th { "value" } } }
            tbody {
                @for r in rows {
                    tr id=(format!("row-{}", r.id)) {
                        td { (r.id) }
                        td.name { (r.name) }
                        td.value { (r.value) }
                    }
                }
            }
        }
    }
}

fn main() {
    let states = [rows(None), rows(Some(500))];
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
