//! The reference merger against the shared fixtures in `tests/fixtures/diffs/`, which the JS
//! client's tests and the official-client oracle replay too: the three cannot drift apart.

use liveview_diff::ClientTree;
use serde_json::Value;

#[test]
fn reference_merger_matches_every_shared_fixture() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/diffs");
    let mut checked = 0;
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "expected the shared fixtures in {dir}");
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let view_id = fixture["view_id"].as_str().unwrap_or("phx-fixture");
        let steps = fixture["steps"].as_array().expect("steps");
        let mut tree: Option<ClientTree> = None;
        for (i, step) in steps.iter().enumerate() {
            let diff = step["diff"].clone();
            match tree.as_mut() {
                None => {
                    tree = Some(
                        ClientTree::from_value(view_id, diff)
                            .unwrap_or_else(|e| panic!("{name} step {i}: {e}")),
                    )
                }
                Some(t) => {
                    t.merge_value(diff)
                        .unwrap_or_else(|e| panic!("{name} step {i}: {e}"));
                }
            }
            let t = tree.as_ref().unwrap();
            assert_eq!(
                t.to_html(),
                step["html"].as_str().unwrap(),
                "{name} step {i}"
            );
            if let Some(expected) = step.get("stream") {
                assert_eq!(
                    &Value::Array(t.streams().to_vec()),
                    expected,
                    "{name} step {i} streams"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} steps checked");
}
