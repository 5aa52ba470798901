//! The Phoenix Channels V2 frame format and the LiveView payloads it carries: the only file of
//! this crate that spells wire keys, as `liveview_diff::wire` is for rendered trees and diffs.
//!
//! Incoming frames are read without building a JSON tree for the envelope: [`RawFrame`]
//! borrows the refs, topic and event from the text and keeps the payload as raw JSON, which
//! the session decodes once, into the typed payload of its event ([`EventPayload`],
//! [`JoinPayload`], [`PatchPayload`], [`CidsPayload`]). Outgoing frames are written into one
//! buffer: [`FrameBuf`] begins a frame, the diff engine appends the diff, and
//! [`FrameBuf::finish`] closes it.

use std::borrow::Cow;

use liveview_diff::wire::push_json_str;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::message::HandleEvent;

/// One decoded V2 frame: `[join_ref, ref, topic, event, payload]`.
#[derive(Debug, Clone, PartialEq)]
pub struct InFrame {
    /// The join ref (`null` for heartbeats).
    pub join_ref: Option<String>,
    /// The message ref.
    pub reference: Option<String>,
    /// The topic (`phoenix`, `lv:<id>`).
    pub topic: String,
    /// The event (`phx_join`, `event`, ...).
    pub event: String,
    /// The payload object.
    pub payload: Value,
}

/// The envelope of a frame whose payload is not read: enough to answer it.
///
/// A frame can be a sound V2 frame whose payload the server will not take: too large for an
/// event ([`SessionConfig::max_event_bytes`](crate::SessionConfig::max_event_bytes)), or holding
/// JSON that `serde_json` refuses as a value though the grammar allows it (a lone surrogate
/// escape such as `"\ud800"`, which `JSON.stringify` produces for half an emoji, or a number
/// out of range such as `1e400`). Such a frame is answered with an error reply to its refs,
/// and the socket, with every other view on it, stays up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The join ref.
    pub join_ref: Option<String>,
    /// The message ref.
    pub reference: Option<String>,
    /// The topic.
    pub topic: String,
    /// The event.
    pub event: String,
}

impl Envelope {
    /// Reads the refs, topic and event of `text`, skipping the payload without building it.
    ///
    /// ```
    /// use liveview_session::Envelope;
    ///
    /// let e = Envelope::decode(r#"["4","8","lv:x","event",{"value":"\ud800","n":1e400}]"#).unwrap();
    /// assert_eq!((e.reference.as_deref(), e.event.as_str()), (Some("8"), "event"));
    /// assert!(Envelope::decode(r#"["4","8","lv:x","event"]"#).is_err());
    /// ```
    pub fn decode(text: &str) -> Result<Self, FrameError> {
        type Raw = (
            Option<String>,
            Option<String>,
            String,
            String,
            serde::de::IgnoredAny,
        );
        let (join_ref, reference, topic, event, _): Raw = parse(text)?;
        Ok(Self {
            join_ref,
            reference,
            topic,
            event,
        })
    }
}

/// Why a frame could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// Not JSON, not an array of five, or fields of the wrong type.
    #[error("malformed frame: {0}")]
    Malformed(String),
}

impl InFrame {
    /// Decodes a text frame.
    ///
    /// ```
    /// use liveview_session::InFrame;
    ///
    /// let f = InFrame::decode(r#"["4","8","lv:phx-demo","event",{"type":"click","event":"inc"}]"#).unwrap();
    /// assert_eq!(f.topic, "lv:phx-demo");
    /// assert!(InFrame::decode("[1,2,3]").is_err());
    /// ```
    pub fn decode(text: &str) -> Result<Self, FrameError> {
        let raw = RawFrame::decode(text)?;
        Ok(Self {
            join_ref: raw.join_ref.map(Cow::into_owned),
            reference: raw.reference.map(Cow::into_owned),
            topic: raw.topic.into_owned(),
            event: raw.event.into_owned(),
            payload: parse(raw.payload.get())?,
        })
    }
}

fn push_opt(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => push_json_str(out, s),
        None => out.push_str("null"),
    }
}

/// `[join_ref,ref,topic,` — the head every outgoing frame shares, in a buffer of `capacity`
/// plus the head's own length.
fn begin_frame(
    capacity: usize,
    join_ref: Option<&str>,
    reference: Option<&str>,
    topic: &str,
) -> String {
    let mut out = String::with_capacity(capacity + topic.len());
    out.push('[');
    push_opt(&mut out, join_ref);
    out.push(',');
    push_opt(&mut out, reference);
    out.push(',');
    push_json_str(&mut out, topic);
    out.push(',');
    out
}

/// `[join_ref, ref, topic, "phx_reply", {"status": status, "response": <response>}]`, with the
/// response already encoded.
pub fn encode_reply(
    join_ref: Option<&str>,
    reference: Option<&str>,
    topic: &str,
    ok: bool,
    response: &str,
) -> String {
    let mut out = begin_frame(64 + response.len(), join_ref, reference, topic);
    out.push_str(if ok {
        "\"phx_reply\",{\"status\":\"ok\",\"response\":"
    } else {
        "\"phx_reply\",{\"status\":\"error\",\"response\":"
    });
    out.push_str(response);
    out.push_str("}]");
    out
}

/// `[join_ref, ref, topic, event, <payload>]`, with the payload already encoded.
pub fn encode_push(
    join_ref: Option<&str>,
    reference: Option<&str>,
    topic: &str,
    event: &str,
    payload: &str,
) -> String {
    let mut out = begin_frame(32 + payload.len(), join_ref, reference, topic);
    push_json_str(&mut out, event);
    out.push(',');
    out.push_str(payload);
    out.push(']');
    out
}

/// `text` as JSON of type `T`, or why not.
fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, FrameError> {
    serde_json::from_str(text).map_err(|e| FrameError::Malformed(e.to_string()))
}

/// A frame read without building its payload: refs, topic and event borrowed from the text
/// where they hold no escapes, the payload kept as raw JSON (checked to be an object).
#[derive(Debug)]
pub(crate) struct RawFrame<'a> {
    pub(crate) join_ref: Option<Cow<'a, str>>,
    pub(crate) reference: Option<Cow<'a, str>>,
    pub(crate) topic: Cow<'a, str>,
    pub(crate) event: Cow<'a, str>,
    pub(crate) payload: &'a RawValue,
}

impl<'a> RawFrame<'a> {
    pub(crate) fn decode(text: &'a str) -> Result<Self, FrameError> {
        #[derive(Deserialize)]
        struct Raw<'a>(
            #[serde(borrow)] Option<Cow<'a, str>>,
            #[serde(borrow)] Option<Cow<'a, str>>,
            #[serde(borrow)] Cow<'a, str>,
            #[serde(borrow)] Cow<'a, str>,
            #[serde(borrow)] &'a RawValue,
        );
        let Raw(join_ref, reference, topic, event, payload) = parse(text)?;
        if !payload.get().starts_with('{') {
            return Err(FrameError::Malformed(
                "the payload must be an object".into(),
            ));
        }
        Ok(Self {
            join_ref,
            reference,
            topic,
            event,
            payload,
        })
    }

    /// The payload of an `event` frame, decoded once into the view's message.
    pub(crate) fn event(&self) -> Result<HandleEvent, FrameError> {
        #[derive(Deserialize)]
        struct Payload {
            #[serde(rename = "type", default)]
            kind: Value,
            #[serde(default)]
            event: Value,
            #[serde(default)]
            value: Value,
            #[serde(default)]
            meta: Value,
            #[serde(default)]
            cid: Value,
        }
        let p: Payload = parse(self.payload.get())?;
        Ok(HandleEvent::from_parts(
            p.kind, p.event, p.value, p.meta, &p.cid,
        ))
    }

    /// The payload of a `phx_join` frame.
    pub(crate) fn join(&self) -> Result<JoinPayload<'a>, FrameError> {
        parse(self.payload.get())
    }

    /// The `url` of a `live_patch` frame (empty when missing).
    pub(crate) fn patch_url(&self) -> Result<String, FrameError> {
        #[derive(Deserialize)]
        struct Payload {
            #[serde(default)]
            url: Option<String>,
        }
        let p: Payload = parse(self.payload.get())?;
        Ok(p.url.unwrap_or_default())
    }

    /// The `cids` of a `cids_will_destroy` or `cids_destroyed` frame (none when missing or
    /// not a list of component ids).
    pub(crate) fn cids(&self) -> Vec<u32> {
        #[derive(Deserialize)]
        struct Payload {
            #[serde(default)]
            cids: Vec<u32>,
        }
        serde_json::from_str::<Payload>(self.payload.get())
            .map(|p| p.cids)
            .unwrap_or_default()
    }
}

/// The payload of a `phx_join`, borrowed from the frame.
#[derive(Debug, Deserialize)]
pub(crate) struct JoinPayload<'a> {
    #[serde(borrow, default)]
    pub(crate) url: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(crate) redirect: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(crate) session: Option<Cow<'a, str>>,
    #[serde(rename = "static", borrow, default)]
    pub(crate) static_token: Option<Cow<'a, str>>,
    #[serde(default)]
    pub(crate) params: Value,
    #[serde(borrow, default)]
    pub(crate) flash: Option<Cow<'a, str>>,
}

/// One outgoing frame, written once: the head (refs, topic, event, and for a reply its status),
/// then the body appended in place, then [`FrameBuf::finish`].
#[derive(Debug)]
pub(crate) struct FrameBuf {
    out: String,
    /// Where a reply's `{"diff":` begins, to fall back to `{}` when no diff follows.
    diff_at: usize,
    reply: bool,
}

impl FrameBuf {
    /// `[join_ref,null,topic,"diff",` — a diff push; append the diff, then finish.
    pub(crate) fn diff_push(join_ref: &str, topic: &str, size_hint: usize) -> Self {
        let mut out = begin_frame(24 + join_ref.len() + size_hint, Some(join_ref), None, topic);
        out.push_str("\"diff\",");
        let diff_at = out.len();
        Self {
            out,
            diff_at,
            reply: false,
        }
    }

    /// An ok reply whose response is `{"diff":<diff>}`, or `{}` when nothing is appended.
    pub(crate) fn diff_reply(
        join_ref: &str,
        reference: Option<&str>,
        topic: &str,
        size_hint: usize,
    ) -> Self {
        let mut out = begin_frame(64 + size_hint, Some(join_ref), reference, topic);
        out.push_str("\"phx_reply\",{\"status\":\"ok\",\"response\":");
        let diff_at = out.len();
        out.push_str("{\"diff\":");
        Self {
            out,
            diff_at,
            reply: true,
        }
    }

    /// The buffer, to append the body to.
    pub(crate) fn take(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// Closes the frame around what was appended to the buffer `body` (from [`FrameBuf::take`]);
    /// `appended` false when nothing was (a reply then answers `{}`; a push is not sent).
    pub(crate) fn finish(self, mut body: String, appended: bool) -> Option<String> {
        match (self.reply, appended) {
            (true, true) => body.push_str("}}]"),
            (true, false) => {
                body.truncate(self.diff_at);
                body.push_str("{}}]");
            }
            (false, true) => body.push(']'),
            (false, false) => return None,
        }
        Some(body)
    }
}

/// `{"reason": reason}`, the response of an error reply.
pub(crate) fn reason_body(reason: &str) -> String {
    let mut r = String::from("{\"reason\":");
    push_json_str(&mut r, reason);
    r.push('}');
    r
}

/// `{"diff": diff}`, or `{}` without a diff.
pub(crate) fn diff_body(diff: Option<&str>) -> String {
    match diff {
        Some(d) => {
            let mut s = String::with_capacity(d.len() + 10);
            s.push_str("{\"diff\":");
            s.push_str(d);
            s.push('}');
            s
        }
        None => "{}".to_owned(),
    }
}

/// `{"to":…,"kind":"push"|"replace"}` (no kind for a full redirect), and the signed flash when
/// there is one.
pub(crate) fn nav_payload(to: &str, replace: Option<bool>, flash: Option<&str>) -> String {
    let mut s = String::from("{\"to\":");
    push_json_str(&mut s, to);
    if let Some(replace) = replace {
        s.push_str(if replace {
            ",\"kind\":\"replace\""
        } else {
            ",\"kind\":\"push\""
        });
    }
    if let Some(flash) = flash {
        s.push_str(",\"flash\":");
        push_json_str(&mut s, flash);
    }
    s.push('}');
    s
}

/// The response of a join reply: the full render, the version, and a patch asked for at mount.
pub(crate) fn join_body(rendered: &str, live_patch: Option<&str>) -> String {
    let mut body = String::with_capacity(rendered.len() + 64);
    body.push_str("{\"rendered\":");
    body.push_str(rendered);
    body.push_str(",\"liveview_version\":");
    push_json_str(&mut body, liveview_diff::wire::LIVEVIEW_VERSION);
    if let Some(patch) = live_patch {
        body.push_str(",\"live_patch\":");
        body.push_str(patch);
    }
    body.push('}');
    body
}

/// The `phx_error` payload of a crashed channel.
pub(crate) const CHANNEL_CRASH: &str = "{\"reason\":\"channel_crash\"}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_written_once_with_the_body_in_place() {
        let mut f = FrameBuf::diff_reply("4", Some("8"), "lv:x", 8);
        let mut body = f.take();
        body.push_str(r#"{"0":"1"}"#);
        assert_eq!(
            f.finish(body, true).unwrap(),
            r#"["4","8","lv:x","phx_reply",{"status":"ok","response":{"diff":{"0":"1"}}}]"#
        );
        let mut f = FrameBuf::diff_reply("4", Some("9"), "lv:x", 0);
        let body = f.take();
        assert_eq!(
            f.finish(body, false).unwrap(),
            r#"["4","9","lv:x","phx_reply",{"status":"ok","response":{}}]"#
        );
        let mut f = FrameBuf::diff_push("4", "lv:x", 8);
        let mut body = f.take();
        body.push_str(r#"{"0":"2"}"#);
        assert_eq!(
            f.finish(body, true).unwrap(),
            r#"["4",null,"lv:x","diff",{"0":"2"}]"#
        );
        let mut f = FrameBuf::diff_push("4", "lv:x", 8);
        let body = f.take();
        assert_eq!(f.finish(body, false), None);
    }

    #[test]
    fn raw_frames_borrow_and_decode_their_payload_once() {
        let text = r#"["4","8","lv:x","event",{"type":"form","event":"save","value":"a=1","meta":{"_target":"a"},"uploads":{},"cid":2}]"#;
        let f = RawFrame::decode(text).unwrap();
        assert!(matches!(f.topic, Cow::Borrowed("lv:x")));
        let e = f.event().unwrap();
        assert_eq!(
            (e.kind.as_str(), e.event.as_str(), e.cid),
            ("form", "save", Some(2))
        );
        assert_eq!(e.value, serde_json::json!({"a": "1", "_target": "a"}));
        assert!(RawFrame::decode(r#"["4","8","lv:x","event",[]]"#).is_err());
        assert!(RawFrame::decode(r#"["4","8","lv:x","event"]"#).is_err());
        let j = RawFrame::decode(r#"["1","1","lv:p","phx_join",{"url":"http://h/a","static":null,"params":{"_mounts":0}}]"#).unwrap();
        let p = j.join().unwrap();
        assert_eq!(p.url.as_deref(), Some("http://h/a"));
        assert_eq!(
            (p.static_token, p.params["_mounts"].as_u64()),
            (None, Some(0))
        );
        let c = RawFrame::decode(r#"[null,"2","lv:p","cids_destroyed",{"cids":[1,2]}]"#).unwrap();
        assert_eq!(c.cids(), vec![1, 2]);
    }

    #[test]
    fn navigation_payloads_name_their_kind() {
        assert_eq!(
            nav_payload("/a?b=1", Some(false), None),
            r#"{"to":"/a?b=1","kind":"push"}"#
        );
        assert_eq!(
            nav_payload("/x", None, Some("t")),
            r#"{"to":"/x","flash":"t"}"#
        );
    }

    #[test]
    fn replies_echo_both_refs() {
        assert_eq!(
            encode_reply(Some("4"), Some("8"), "lv:x", true, "{}"),
            r#"["4","8","lv:x","phx_reply",{"status":"ok","response":{}}]"#
        );
        assert_eq!(
            encode_reply(None, Some("1"), "phoenix", true, "{}"),
            r#"[null,"1","phoenix","phx_reply",{"status":"ok","response":{}}]"#
        );
    }

    #[test]
    fn pushes_have_a_null_ref() {
        assert_eq!(
            encode_push(Some("4"), None, "lv:x", "diff", r#"{"0":"2"}"#),
            r#"["4",null,"lv:x","diff",{"0":"2"}]"#
        );
    }

    #[test]
    fn an_envelope_survives_payloads_serde_json_refuses_as_values() {
        for payload in [
            r#"{"value":"\ud800"}"#,
            r#"{"value":"\udfff\ud800x"}"#,
            r#"{"n":1e400}"#,
            r#"{"n":-1e400}"#,
        ] {
            let text = format!(r#"["4","9","lv:x","event",{payload}]"#);
            assert!(InFrame::decode(&text).is_err(), "{payload} decoded");
            let env = Envelope::decode(&text).expect(payload);
            assert_eq!(env.reference.as_deref(), Some("9"));
            assert_eq!(env.topic, "lv:x");
        }
        for bad in ["", "[1,2]", r#"["1","1","t","e",{"a":"#] {
            assert!(Envelope::decode(bad).is_err(), "accepted {bad}");
        }
    }

    #[test]
    fn rejects_wrong_arity_types_and_payloads() {
        for bad in [
            "",
            "{}",
            "[]",
            r#"["1","1","t","e"]"#,
            r#"["1","1","t","e",{},6]"#,
            r#"[1,"1","t","e",{}]"#,
            r#"["1","1","t","e",[]]"#,
            &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ] {
            assert!(InFrame::decode(bad).is_err(), "accepted {bad:.40}");
        }
    }
}
