//! Stand-ins for the cargo-fuzz targets of `fuzz/` (issue 9 item 8) that run on stable, in CI:
//! the same checks (`fuzz/harness.rs`, included here) fed by proptest for a fixed number of
//! cases from a fixed seed, plus a replay of the committed corpus `fuzz/corpus/<target>/`.
//!
//! (i) the frame decoder, (ii) the event payload decoder, (iii) the form decoder, (iv) the
//! template-to-diff pipeline. For (iv) the main property test is
//! `liveview-diff/tests/properties.rs` (`merging_every_diff_equals_a_fresh_render`, 200
//! cases); here the fuzz target's own byte-driven form of it runs too.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{json, Map, Value};

/// A fixed budget and seed, and no regression files written into the source tree.
fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x6c69_7665_7669_6577),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Any JSON value, up to a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        any::<String>().prop_map(Value::from),
        "[a-z%\\[\\]=&+0-9]{0,16}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Object keys: the ones the decoders read, and others.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "type", "event", "value", "meta", "cid", "uploads", "_target", "url", "session"
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

/// A V2 frame with each field of any JSON type (mostly the right one), and sometimes a field
/// too few or too many.
fn frame_like() -> impl Strategy<Value = String> {
    let reference = prop_oneof![
        3 => any::<u32>().prop_map(|n| Value::from(n.to_string())),
        1 => Just(Value::Null),
        1 => json_value(),
    ];
    let name = prop_oneof![
        3 => prop::sample::select(vec!["phoenix", "lv:phx-1", "heartbeat", "phx_join", "event",
            "phx_leave", "live_patch", "cids_destroyed"]).prop_map(Value::from),
        1 => json_value(),
    ];
    let payload = prop_oneof![
        3 => prop::collection::vec((key(), json_value()), 0..5)
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        1 => json_value(),
    ];
    (
        reference.clone(),
        reference,
        name.clone(),
        name,
        payload,
        0..8_usize,
    )
        .prop_map(|(jr, r, topic, event, payload, arity)| {
            let mut fields = vec![jr, r, topic, event, payload];
            fields.resize(arity, Value::Null);
            Value::Array(fields).to_string()
        })
}

/// Text in the alphabet of URL-encoded forms, where the decoder's branches are.
fn form_like() -> impl Strategy<Value = String> {
    "([a-c_]{0,3}(\\[[a-c]{0,2}\\]){0,3}(=[a-c+%0-9A-Fa-f]{0,6})?&?){0,8}"
}

/// Percent-encodes every byte but ASCII letters and digits.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(config(2_000))]

    #[test]
    fn frame_decoder_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        harness::frame_decoder(&bytes);
    }

    #[test]
    fn frame_decoder_on_any_text(text in any::<String>()) {
        harness::frame_decoder(text.as_bytes());
    }

    #[test]
    fn frame_decoder_on_frame_like_json(text in frame_like()) {
        harness::frame_decoder(text.as_bytes());
    }

    #[test]
    fn event_payload_on_any_json(payload in json_value()) {
        harness::event_payload(payload.to_string().as_bytes());
    }

    #[test]
    fn event_payload_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        harness::event_payload(&bytes);
    }

    #[test]
    fn form_decoder_on_any_text(text in any::<String>()) {
        harness::form_decoder(text.as_bytes());
    }

    #[test]
    fn form_decoder_on_form_like_text(text in form_like()) {
        harness::form_decoder(text.as_bytes());
    }

    // Plain keys (no brackets) with any values round-trip through percent-encoding; the last
    // value of a repeated key wins.
    #[test]
    fn form_decoder_round_trips_plain_keys(
        pairs in prop::collection::vec(("[a-z]{1,4}", any::<String>()), 0..6),
    ) {
        let encoded = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut expected = Map::new();
        for (k, v) in &pairs {
            expected.insert(k.clone(), json!(v));
        }
        prop_assert_eq!(liveview_session::decode_form(&encoded), Value::Object(expected));
    }
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn diff_pipeline_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..40)) {
        harness::diff_pipeline(&bytes);
    }
}

/// The committed seeds of one target.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let bytes = std::fs::read(&path).expect("a corpus file");
            (path, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
}

#[test]
fn corpus_replays_through_every_target() {
    type Check = fn(&[u8]);
    let targets: [(&str, Check); 4] = [
        ("frame_decoder", harness::frame_decoder),
        ("event_payload", harness::event_payload),
        ("form_decoder", harness::form_decoder),
        ("diff_pipeline", harness::diff_pipeline),
    ];
    for (target, check) in targets {
        for (path, bytes) in corpus(target) {
            eprintln!("{target}: {}", path.display());
            check(&bytes);
        }
    }
}

// The corpus's real frames (PROTOCOL.md §1.3, §5) decode; its broken ones do not.
#[test]
fn corpus_frames_are_what_their_names_say() {
    for (path, bytes) in corpus("frame_decoder") {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let text = std::str::from_utf8(&bytes).expect("utf-8");
        let broken = ["wrong_arity", "array_payload", "numeric_refs"].contains(&name);
        assert_eq!(
            liveview_session::InFrame::decode(text).is_err(),
            broken,
            "{name}: {text}"
        );
    }
}
