//! [`ReplyHandle`]: the held reply of an event ([`SocketCore::defer_reply`](crate::SocketCore::defer_reply)).

use serde_json::Value;
use tokio::sync::oneshot;

/// The reply of an event held with [`SocketCore::defer_reply`](crate::SocketCore::defer_reply): the view answers the event, and
/// handles anything else, only once this handle is used or dropped.
///
/// It is `Send`: any thread or task may finish it (a timer, another actor, an HTTP handler).
/// [`ReplyHandle::reply`] sets the reply's `r` payload; [`ReplyHandle::release`] and dropping
/// the handle send the reply as the callback left it.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Probe;
/// # impl LiveView for Probe {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
/// #         let handle = socket.defer_reply();
/// #         socket.assign("waiting", handle.is_waiting());
/// #         Ok(())
/// #     }
/// #     fn render(&self, a: &Assigns) -> Rendered { let w: bool = a.get("waiting"); html! { (w) } }
/// # }
/// use liveview_session::{dead_render, DeadRender};
///
/// // In the dead render there is no reply to hold: the handle is not waited for.
/// let page = dead_render(&mut Probe, &Params::new(), &Session::new(), "/").unwrap();
/// assert!(matches!(page, DeadRender::Page { ref html, .. } if html == "false"));
/// ```
#[derive(Debug)]
pub struct ReplyHandle {
    tx: Option<oneshot::Sender<Option<Value>>>,
}

impl ReplyHandle {
    /// A handle that finishes the reply `tx` waits for.
    pub(crate) fn new(tx: oneshot::Sender<Option<Value>>) -> Self {
        Self { tx: Some(tx) }
    }

    /// Releases the view and replies to the held event with `payload` as its `r` (what a
    /// hook's `pushEvent` callback receives). Returns whether the view was still waiting
    /// (false when it was not held: the dead render, or a later `defer_reply` replaced
    /// this one).
    pub fn reply(mut self, payload: impl serde::Serialize) -> bool {
        self.finish(Some(to_json(payload)))
    }

    /// Releases the view; the held event's reply is what the callback left (its diff, and
    /// its [`SocketCore::reply`](crate::SocketCore::reply) if it set one). Returns whether the view was still waiting.
    pub fn release(mut self) -> bool {
        self.finish(None)
    }

    /// Whether the view still waits for this handle.
    pub fn is_waiting(&self) -> bool {
        self.tx.as_ref().is_some_and(|tx| !tx.is_closed())
    }

    fn finish(&mut self, payload: Option<Value>) -> bool {
        self.tx.take().is_some_and(|tx| tx.send(payload).is_ok())
    }
}

/// JSON of a serialisable value; `null` when it does not serialise.
pub(crate) fn to_json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
