//! Render + diff + encode per event, against a plain `maud::html!` render of the same page.
//!
//! Run with `cargo bench -p liveview-diff --bench render_diff`. Figures go to
//! `docs/benchmarks.md` as ratios of the two measurements of each group.

use criterion::{black_box, criterion_main, Criterion};
use liveview_diff::{html, DiffTracker, Extras, Rendered};

#[path = "support/table.rs"]
mod table;

use table::{live_table, maud_table, rows};

fn live_counter(count: i64) -> Rendered {
    html! {
        h1 { "Count: " span #count { (count) } }
        button #inc phx-click="inc" { "+" }
        button #dec phx-click="dec" { "-" }
    }
}

fn maud_counter(count: i64) -> maud::Markup {
    maud::html! {
        h1 { "Count: " span #count { (count) } }
        button #inc phx-click="inc" { "+" }
        button #dec phx-click="dec" { "-" }
    }
}

fn table(c: &mut Criterion) {
    // Two states that differ in one row; each iteration renders the other one, so every
    // liveview iteration produces a one-row diff. Building the data is outside the timing.
    let states = [rows(1000, None, 0), rows(1000, Some(500), 1)];
    let mut group = c.benchmark_group("table_1000_one_row_changed");
    let mut i = 0;
    group.bench_function("maud_render", |b| {
        b.iter(|| {
            i += 1;
            black_box(maud_table(&states[i % 2]).into_string())
        })
    });
    let mut tracker = DiffTracker::new();
    tracker.render_full(live_table(&states[0]), &Extras::default());
    let mut i = 0;
    group.bench_function("liveview_render_diff_encode", |b| {
        b.iter(|| {
            i += 1;
            black_box(tracker.render_diff(live_table(&states[i % 2]), &Extras::default()))
        })
    });
    group.finish();
}

fn counter(c: &mut Criterion) {
    let mut group = c.benchmark_group("counter_click");
    let mut n = 0;
    group.bench_function("maud_render", |b| {
        b.iter(|| {
            n += 1;
            black_box(maud_counter(n).into_string())
        })
    });
    let mut tracker = DiffTracker::new();
    tracker.render_full(live_counter(0), &Extras::default());
    let mut n = 0;
    group.bench_function("liveview_render_diff_encode", |b| {
        b.iter(|| {
            n += 1;
            black_box(tracker.render_diff(live_counter(n), &Extras::default()))
        })
    });
    group.finish();
}

#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::table, super::counter);
}
criterion_main!(group::benches);
