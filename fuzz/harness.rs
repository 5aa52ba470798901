//! The checks behind the fuzz targets, shared with their stable stand-ins
//! (`tests/tests/fuzz_standins.rs` includes this file with `#[path]`). Each function takes
//! arbitrary bytes, must never panic on its own, and panics only when an invariant breaks.

use liveview_diff::{ClientTree, DiffTracker, Extras};
use liveview_session::{decode_form, encode_push, Envelope, FrameError, HandleEvent, InFrame};
use serde_json::Value;

#[path = "../crates/liveview-diff/tests/support/model.rs"]
mod model;

/// (i) `InFrame::decode`: any UTF-8 text (the websocket layer refuses other text frames) is
/// either a V2 frame, and then exactly the five-element array it says, whose re-encoding
/// decodes to the same frame, or a `Malformed` error with a message.
pub(crate) fn frame_decoder(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match InFrame::decode(text) {
        Ok(frame) => {
            let value: Value = serde_json::from_str(text).expect("an accepted frame is JSON");
            let fields = value.as_array().expect("an accepted frame is an array");
            assert_eq!(fields.len(), 5, "{text}");
            assert_eq!(fields[0].as_str(), frame.join_ref.as_deref());
            assert_eq!(fields[1].as_str(), frame.reference.as_deref());
            assert_eq!(fields[2].as_str(), Some(frame.topic.as_str()));
            assert_eq!(fields[3].as_str(), Some(frame.event.as_str()));
            assert!(frame.payload.is_object(), "{text}");
            // Whatever a frame's payload, its envelope (what an error reply needs) reads alike.
            let env = Envelope::decode(text).expect("an accepted frame has an envelope");
            assert_eq!(env.join_ref, frame.join_ref);
            assert_eq!(env.reference, frame.reference);
            assert_eq!(
                (env.topic.as_str(), env.event.as_str()),
                (frame.topic.as_str(), frame.event.as_str())
            );
            let again = encode_push(
                frame.join_ref.as_deref(),
                frame.reference.as_deref(),
                &frame.topic,
                &frame.event,
                &frame.payload.to_string(),
            );
            let decoded = InFrame::decode(&again).expect("a re-encoded frame decodes");
            assert_eq!(decoded.join_ref, frame.join_ref);
            assert_eq!(decoded.reference, frame.reference);
            assert_eq!(decoded.topic, frame.topic);
            assert_eq!(decoded.event, frame.event);
            assert!(decoded.payload.is_object());
        }
        Err(FrameError::Malformed(why)) => {
            assert!(!why.is_empty());
            // An envelope that reads is a sound V2 array of refs, topic and event.
            if let Ok(env) = Envelope::decode(text) {
                let value: Option<Vec<Value>> = serde_json::from_str(text).ok();
                if let Some(fields) = value {
                    assert_eq!(fields.len(), 5, "{text}");
                    assert_eq!(fields[2].as_str(), Some(env.topic.as_str()));
                }
            }
        }
        Err(other) => panic!("unexpected error {other}"),
    }
}

/// (ii) `HandleEvent::from_payload` (and `from_payload_owned`, which the session uses, with the
/// same result): any JSON value as the payload (bytes that are not JSON
/// become the URL-encoded `value` of a form event). The event's value is always an object,
/// `type`, `event` and `cid` are read as they are, and `meta` is merged over the value.
pub(crate) fn event_payload(data: &[u8]) {
    let payload = serde_json::from_slice::<Value>(data).unwrap_or_else(|_| {
        serde_json::json!({
            "type": "form",
            "event": "save",
            "value": String::from_utf8_lossy(data),
            "meta": {"_target": "user[name]"},
        })
    });
    let event = HandleEvent::from_payload(&payload);
    // The session decodes with the owning variant: it must agree exactly.
    assert_eq!(HandleEvent::from_payload_owned(payload.clone()), event);
    let str_of = |key: &str| payload.get(key).and_then(Value::as_str).unwrap_or_default();
    assert_eq!(event.kind, str_of("type"));
    assert_eq!(event.event, str_of("event"));
    assert_eq!(event.cid, payload.get("cid").and_then(Value::as_u64));
    let value = event.value.as_object().expect("the value is an object");
    if let Some(Value::Object(meta)) = payload.get("meta") {
        for (k, m) in meta {
            assert_eq!(value.get(k), Some(m), "meta key {k} not merged");
        }
    }
}

/// (iii) `decode_form`: any text decodes (nothing can fail) to an object whose leaves are
/// strings, whose lists hold only strings, and whose nesting stays within the decoder's
/// bound of 32 levels.
pub(crate) fn form_decoder(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let value = decode_form(&text);
    assert!(value.is_object(), "{value}");
    assert!(form_depth(&value) <= 32, "too deep: {text}");
}

/// Levels of objects above the leaves, checking the shape on the way.
fn form_depth(value: &Value) -> usize {
    match value {
        Value::String(_) => 0,
        Value::Array(list) => {
            assert!(list.iter().all(Value::is_string), "a list of non-strings");
            1
        }
        Value::Object(map) => 1 + map.values().map(form_depth).max().unwrap_or(0),
        other => panic!("a form decoded to {other}"),
    }
}

/// (iv) Template to diff: the first 8 bytes seed a random state of the model page
/// (`liveview-diff/tests/support/model.rs`), each further byte (up to 64) one random edit.
/// After the full render and after each diff, the client's merged tree renders exactly the
/// HTML of a fresh render of the state.
pub(crate) fn diff_pipeline(data: &[u8]) {
    let mut seed = [0_u8; 8];
    let n = data.len().min(8);
    seed[..n].copy_from_slice(&data[..n]);
    let seed = u64::from_le_bytes(seed);
    let mut rng = model::Rng::new(seed);
    let mut next_id = 0;
    let mut state = model::random_state(&mut rng, &mut next_id);
    let mut tracker = DiffTracker::new();
    let full = tracker.render_full(model::render(&state), &Extras::default());
    let mut client = ClientTree::from_json(&full).expect("the full render parses");
    assert_eq!(client.to_html(), model::render(&state).to_html());
    for (i, step) in data.iter().skip(8).take(64).enumerate() {
        let mut rng = model::Rng::new(seed ^ (u64::from(*step) << 8 | i as u64));
        model::mutate(&mut state, &mut rng, &mut next_id);
        if let Some(diff) = tracker.render_diff(model::render(&state), &Extras::default()) {
            client.merge_json(&diff).expect("the diff merges");
        }
        assert_eq!(
            client.to_html(),
            model::render(&state).to_html(),
            "step {i}"
        );
    }
}
