//! Writes random diff sequences as fixtures for the official-client oracle.
//!
//! Run with `cargo run -p liveview-diff --example oracle_corpus -- <dir>`, then
//! `node tests/oracle/replay.mjs <dir>/*.json`: the official `phoenix_live_view@1.2.12` client
//! merges our join render and every diff, and its HTML must equal our fresh render of each
//! state.

#[path = "../tests/support/model.rs"]
mod model;

use liveview_diff::{DiffTracker, Extras};
use serde_json::{json, Value};

const SEQUENCES: u64 = 40;
const STEPS: usize = 25;

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/oracle-corpus".to_owned());
    std::fs::create_dir_all(&dir)?;
    for seed in 0..SEQUENCES {
        let mut rng = model::Rng::new(seed + 1);
        let mut next_id = 0;
        let mut state = model::random_state(&mut rng, &mut next_id);
        let mut tracker = DiffTracker::new();
        let mut steps = Vec::new();
        let html = model::render(&state).to_html();
        let join = tracker.render_full(model::render(&state), &Extras::default());
        steps.push(json!({ "diff": parse(&join), "html": html }));
        for _ in 0..STEPS {
            model::mutate(&mut state, &mut rng, &mut next_id);
            let rendered = model::render(&state);
            let html = rendered.to_html();
            let diff = tracker
                .render_diff(rendered, &Extras::default())
                .unwrap_or_else(|| "{}".to_owned());
            steps.push(json!({ "diff": parse(&diff), "html": html }));
        }
        let fixture = json!({
            "description": format!("generated sequence, seed {}", seed + 1),
            "view_id": "phx-corpus",
            "steps": steps,
        });
        let path = format!("{dir}/seed-{:03}.json", seed + 1);
        std::fs::write(&path, serde_json::to_string_pretty(&fixture)?)?;
    }
    eprintln!("wrote {SEQUENCES} sequences of {STEPS} diffs to {dir}");
    Ok(())
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).expect("the encoder writes valid JSON")
}
