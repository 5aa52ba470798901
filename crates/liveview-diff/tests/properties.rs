//! Property tests: for any sequence of states, merging the diffs the way the client does
//! yields exactly the HTML of a fresh full render of the last state; equal renders diff to
//! nothing.

mod support;

use liveview_diff::{diff, ClientTree, DiffTracker, Extras};
use proptest::prelude::*;
use support::model;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merging_every_diff_equals_a_fresh_render(seed in any::<u64>(), steps in 1usize..30) {
        let mut rng = model::Rng::new(seed);
        let mut next_id = 0;
        let mut state = model::random_state(&mut rng, &mut next_id);
        let mut tracker = DiffTracker::new();
        let join = tracker.render_full(model::render(&state), &Extras::default());
        let mut client = ClientTree::from_json(&join).unwrap();
        prop_assert_eq!(client.to_html(), model::render(&state).to_html());
        for _ in 0..steps {
            model::mutate(&mut state, &mut rng, &mut next_id);
            if let Some(d) = tracker.render_diff(model::render(&state), &Extras::default()) {
                client.merge_json(&d).unwrap();
            }
            prop_assert_eq!(client.to_html(), model::render(&state).to_html());
        }
    }

    #[test]
    fn equal_renders_diff_to_nothing(seed in any::<u64>()) {
        let mut rng = model::Rng::new(seed);
        let mut next_id = 0;
        let state = model::random_state(&mut rng, &mut next_id);
        let a = model::render(&state);
        let b = model::render(&state);
        prop_assert!(diff(Some(&a), &b).is_empty());
        let mut tracker = DiffTracker::new();
        tracker.render_full(a, &Extras::default());
        prop_assert_eq!(tracker.render_diff(b, &Extras::default()), None);
    }

    #[test]
    fn every_diff_is_valid_json_without_numbers_for_text(seed in any::<u64>(), steps in 1usize..20) {
        let mut rng = model::Rng::new(seed);
        let mut next_id = 0;
        let mut state = model::random_state(&mut rng, &mut next_id);
        let mut tracker = DiffTracker::new();
        tracker.render_full(model::render(&state), &Extras::default());
        for _ in 0..steps {
            model::mutate(&mut state, &mut rng, &mut next_id);
            if let Some(d) = tracker.render_diff(model::render(&state), &Extras::default()) {
                let v: serde_json::Value = serde_json::from_str(&d).unwrap();
                prop_assert!(no_numeric_dynamics(&v), "{}", d);
            }
        }
    }
}

/// Dynamics (numeric keys) are strings or objects, never numbers (those would be CIDs).
fn no_numeric_dynamics(v: &serde_json::Value) -> bool {
    let Some(obj) = v.as_object() else {
        return true;
    };
    obj.iter().all(|(k, val)| {
        let is_dynamic = k.parse::<usize>().is_ok();
        match val {
            serde_json::Value::Number(_) => !is_dynamic || k == "kc",
            serde_json::Value::Object(_) => {
                // Keyed entries may be integers (moves); check inside them only.
                if k == "k" {
                    val.as_object().unwrap().values().all(|e| match e {
                        serde_json::Value::Object(_) => no_numeric_dynamics(e),
                        serde_json::Value::Array(pair) => {
                            pair.get(1).is_none_or(no_numeric_dynamics)
                        }
                        _ => true,
                    })
                } else {
                    no_numeric_dynamics(val)
                }
            }
            _ => true,
        }
    })
}
