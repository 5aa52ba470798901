//! Every message that crosses an actor boundary: session -> view commands, view -> session
//! pushes, and the typed info messages other actors send to views.
//!
//! Commands are imperative (`Mount`, `HandleEvent`, `HandleParams`, `Shutdown`); each has a
//! concrete result type. The session holds a view only as [`ViewRecipients`], so tests can put
//! probes in the view's place.

use std::sync::Arc;

use actix::{Message, Recipient};
use serde_json::Value;

use crate::error::ViewError;
use crate::view::{Navigation, Params};

/// Mount the view (connected), run `handle_params`, and render it in full.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<MountOutcome, ViewError>")]
pub struct Mount;

/// The result of [`Mount`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountOutcome {
    /// The join reply's `rendered`, as wire JSON; and a patch `handle_params` asked for.
    Rendered {
        /// The full render, wire JSON.
        rendered: String,
        /// `push_patch` called during mount: the client updates its URL after joining.
        live_patch: Option<Navigation>,
    },
    /// Mount asked to leave for another page (`redirect` or `push_navigate`).
    Navigated(Navigation),
}

/// An event from the browser (`phx-click`, forms, keys, hooks).
#[derive(Debug, Clone, PartialEq, Message)]
#[rtype(result = "Result<Reply, ViewError>")]
pub struct HandleEvent {
    /// The payload's `type`: `click`, `form`, `keydown`, `hook`, ...
    pub kind: String,
    /// The event name (`phx-click="inc"` -> `inc`).
    pub event: String,
    /// The value: an object; forms are decoded from their URL encoding, `meta` merged in.
    pub value: Value,
    /// The target component, when the client named one.
    pub cid: Option<u64>,
}

impl HandleEvent {
    /// Decodes the payload of an `event` frame as the session does: `type`, `event` and `cid`
    /// are read; a form's URL-encoded `value` is decoded with Plug-style nesting
    /// ([`decode_form`](crate::decode_form)); any other object passes through, a missing
    /// value becomes `{}` and a scalar becomes `{"value": <scalar>}`; `meta` is merged into
    /// the value.
    ///
    /// ```
    /// use liveview_session::HandleEvent;
    /// use serde_json::json;
    ///
    /// let e = HandleEvent::from_payload(&json!({
    ///     "type": "form", "event": "save",
    ///     "value": "user%5Bname%5D=ana", "meta": {"_target": "user[name]"},
    /// }));
    /// assert_eq!(e.event, "save");
    /// assert_eq!(e.value, json!({"user": {"name": "ana"}, "_target": "user[name]"}));
    /// ```
    pub fn from_payload(payload: &Value) -> Self {
        Self::from_payload_owned(payload.clone())
    }

    /// As [`HandleEvent::from_payload`], taking the payload apart instead of copying it.
    pub fn from_payload_owned(mut payload: Value) -> Self {
        let mut take = |key: &str| payload.get_mut(key).map_or(Value::Null, Value::take);
        let (kind, event, value, meta) = (take("type"), take("event"), take("value"), take("meta"));
        Self::from_parts(
            kind,
            event,
            value,
            meta,
            payload.get("cid").unwrap_or(&Value::Null),
        )
    }

    /// Builds the message from the payload's fields, as [`HandleEvent::from_payload`] reads
    /// them.
    pub(crate) fn from_parts(
        kind: Value,
        event: Value,
        raw: Value,
        meta: Value,
        cid: &Value,
    ) -> Self {
        let string = |v: Value| match v {
            Value::String(s) => s,
            _ => String::new(),
        };
        let (kind, event) = (string(kind), string(event));
        let mut value = match (&*kind, raw) {
            ("form", Value::String(s)) => crate::urlencoded::decode_form(&s),
            (_, v @ Value::Object(_)) => v,
            (_, Value::Null) => Value::Object(serde_json::Map::new()),
            (_, other) => serde_json::json!({ "value": other }),
        };
        if let (Value::Object(meta), Value::Object(v)) = (meta, &mut value) {
            v.extend(meta);
        }
        Self {
            kind,
            event,
            value,
            cid: cid.as_u64(),
        }
    }
}

/// A live patch: the URL changed within the same view.
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "Result<Reply, ViewError>")]
pub struct HandleParams {
    /// The new URL's parameters.
    pub params: Params,
    /// The new absolute URL.
    pub uri: String,
}

/// Stop the view for good (the client left, the socket closed, or it was replaced).
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct Shutdown;

/// A typed message for [`LiveView::handle_info`](crate::LiveView::handle_info), from a timer,
/// another actor or the PubSub: defined by `liveview-pubsub`, which delivers it.
pub use liveview_pubsub::Info;

/// What a callback produced for the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// The diff (wire JSON), or `None` when nothing changed.
    pub diff: Option<String>,
    /// A navigation the callback asked for.
    pub navigation: Option<Navigation>,
}

/// Something a view sends to its session unasked.
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub struct ViewPush {
    /// The view's topic (`lv:<id>`).
    pub topic: Arc<str>,
    /// The join this view belongs to; pushes of an older join are dropped.
    pub join_ref: Arc<str>,
    /// How many requests (mount, events, params) the view had answered when it pushed: the
    /// session sends the push only after sending those replies, so a push never overtakes the
    /// reply it follows.
    pub after_replies: u64,
    /// What happened.
    pub kind: PushKind,
}

/// The kinds of [`ViewPush`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushKind {
    /// A diff to apply (wire JSON), from `handle_info`, a timer or a restart's full render.
    Diff(String),
    /// A navigation asked for outside an event (from `handle_info`).
    Navigate(Navigation),
    /// The view crashed and could not be restarted: the client rejoins (`phx_error`).
    Crashed,
    /// The view crashed too often: the client reloads the page at this URL.
    GaveUp {
        /// The page to reload.
        uri: String,
    },
}

/// The browser's two-step destroy of live components (PROTOCOL §5.3), for a view reached by
/// messages (the test harness); a websocket session sends its `cids_will_destroy` and
/// `cids_destroyed` frames the same way. Answers the CIDs deleted: none for `WillDestroy`,
/// for `Destroyed` those still marked (a component placed again in between was revived).
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "Vec<u32>")]
pub enum DestroyComponents {
    /// `cids_will_destroy`: their elements left the DOM; mark them.
    WillDestroy(Vec<u32>),
    /// `cids_destroyed`: delete those still marked.
    Destroyed(Vec<u32>),
}

/// The addresses of one running view, one per command.
#[derive(Debug, Clone)]
pub struct ViewRecipients {
    /// Where [`Mount`] goes.
    pub mount: Recipient<Mount>,
    /// Where [`HandleEvent`] goes.
    pub event: Recipient<HandleEvent>,
    /// Where [`HandleParams`] goes.
    pub params: Recipient<HandleParams>,
    /// Where [`Shutdown`] goes.
    pub shutdown: Recipient<Shutdown>,
    /// Where [`DestroyComponents`] goes.
    pub destroy: Recipient<DestroyComponents>,
}

/// A request of a websocket session to one of its views: answered through the view's
/// [`Outlet`](crate::outlet::Outlet), in order with everything else the view sends, never as a
/// message result.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct Call {
    /// The request's message ref, which the answer echoes.
    pub(crate) reference: Option<Box<str>>,
    /// What to do.
    pub(crate) command: Command,
}

/// The requests of [`Call`].
#[derive(Debug)]
pub(crate) enum Command {
    /// Mount, run `handle_params` and render in full (the join).
    Mount,
    /// A browser event.
    Event(HandleEvent),
    /// A live patch from the client: the view resolves the URL and runs `handle_params`.
    Patch(String),
    /// Stop for good, as [`Shutdown`]: the client left, or the view was replaced.
    Leave,
    /// Re-attach to a reconnected socket, or be adopted by the join of a dead render: take
    /// `join_ref`, and answer with a full render (see `linger.rs`).
    Rejoin(Arc<str>),
    /// `cids_will_destroy`: the browser removed these components' elements; mark them.
    WillDestroy(Vec<u32>),
    /// `cids_destroyed`: delete the components still marked, answer with their ids.
    Destroyed(Vec<u32>),
}

#[cfg(test)]
mod tests {
    use super::HandleEvent;
    use serde_json::json;

    #[test]
    fn form_events_are_decoded_and_meta_merged() {
        let e = HandleEvent::from_payload(&json!({
            "type": "form", "event": "save",
            "value": "user%5Bname%5D=jose", "meta": {"_target": "user[name]"}, "uploads": {}
        }));
        assert_eq!(e.kind, "form");
        assert_eq!(
            e.value,
            json!({"user": {"name": "jose"}, "_target": "user[name]"})
        );
    }

    #[test]
    fn click_values_pass_through_and_cid_is_read() {
        let e = HandleEvent::from_payload(&json!({
            "type": "click", "event": "inc", "value": {"value": "", "id": "4"}, "cid": 3
        }));
        assert_eq!(e.value, json!({"value": "", "id": "4"}));
        assert_eq!(e.cid, Some(3));
    }
}
