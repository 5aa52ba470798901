//! The liveview runtime: the [`LiveView`] trait and its [`Socket`], supervised view actors, and
//! the websocket session actor that speaks Phoenix LiveView 1.2's protocol.
//!
//! # Lifecycle
//!
//! 1. **Dead render.** A plain HTTP GET runs [`dead_render`]: `mount` with
//!    [`SocketCore::connected`](crate::SocketCore::connected) false, `handle_params`, `render`; the HTTP layer (`liveview-http`)
//!    wraps the HTML in a page with a signed session token.
//! 2. **Join.** The browser opens one websocket, served by a [`SessionActor`]. Each `phx_join`
//!    is checked by a [`JoinAuthorizer`] and spawns a [`ViewActor`] under actix's
//!    `Supervisor` ([`spawn_view`]); [`Mount`] runs `mount` (now connected), `handle_params`
//!    and a full render, which the join reply carries.
//! 3. **Loop.** An event ([`HandleEvent`]), a patch ([`HandleParams`]) or a typed message
//!    ([`Info`]) runs a callback; if it changed an assign, `render` runs and a
//!    [`DiffTracker`](liveview_diff::DiffTracker) sends only what changed.
//!
//! 4. **Async work.** [`SocketCore::assign_async`] and [`SocketCore::start_async`] run a
//!    future (only when connected) on the view actor's context; its result sets an
//!    [`AsyncResult`] assign or reaches [`LiveView::handle_async`], and the view pushes a
//!    diff. See `docs/guides/async.md`.
//!
//! [`LiveView::connected`] runs once when a view goes live, before its first live render.
//!
//! # Mount once, and survive a dropped connection
//!
//! A view that opts in ([`LiveView::ADOPT_DEAD_RENDER`], [`ViewEntry::adopt_dead_render`])
//! runs its dead render in a view actor that keeps its state, within [`AdoptionLimits`], for
//! the page's join: the join adopts it instead of mounting again (`mount` runs once per page
//! view), and runs [`LiveView::connected`]. When a socket drops without its client leaving
//! (no `phx_leave`, no Close frame), its views stay alive for
//! [`SessionConfig::reconnect_grace`] (30 s), keep receiving messages, and the rejoin of the
//! same page re-attaches to them with a full render of their state. Both are bound to the
//! page's signed session token and CSRF token; a join that finds nothing mounts as usual. See
//! `docs/guides/lifecycle.md`.
//!
//! # Supervision
//!
//! actix's `Supervisor` restarts an actor that stops; it does not catch panics. Every user
//! callback therefore runs under `catch_unwind`: a panic stops the view actor, the supervisor
//! restarts it, and it mounts a fresh view from the join parameters and pushes a full render,
//! which the client merges as a new root (a diff with `s` at the top replaces the whole tree,
//! so the official client needs no rejoin and the page shows no error state). The event that
//! crashed is answered with an empty reply (every push needs one, or the client locks up) and
//! its effect is lost. A view that crashes more than [`RestartPolicy::max_restarts`] times
//! within [`RestartPolicy::within`] is given up: the client is sent a `redirect` to its own
//! URL, a full page reload. One view's crash never touches another view or session.
//!
//! ```
//! use actix::{Actor, Context, Handler};
//! use liveview_diff::{html, Rendered};
//! use liveview_session::*;
//!
//! #[derive(LiveAssigns)]
//! # #[live(crate = liveview_session)]
//! struct State { n: i32 }
//!
//! #[derive(LiveEvent)]
//! # #[live(crate = liveview_session)]
//! enum Msg { Inc, Boom }
//!
//! #[derive(Default)]
//! struct Fragile;
//!
//! impl LiveView for Fragile {
//!     type Info = ();
//!     type Event = Msg;
//!     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
//!         s.assign_all(State { n: 0 });
//!         Ok(())
//!     }
//!     fn update(&mut self, msg: Msg, s: &mut Socket<Self>) -> Result<(), ViewError> {
//!         match msg {
//!             Msg::Boom => panic!("boom"),
//!             Msg::Inc => s.update(State::n, |n| *n += 1),
//!         };
//!         Ok(())
//!     }
//!     fn render(&self, a: &Assigns) -> Rendered {
//!         html! { b { (a[State::n]) } }
//!     }
//! }
//!
//! // Collects what the view pushes, as a session would.
//! #[derive(Default)]
//! struct Probe(Vec<PushKind>);
//! impl Actor for Probe { type Context = Context<Self>; }
//! impl Handler<ViewPush> for Probe {
//!     type Result = ();
//!     fn handle(&mut self, m: ViewPush, _: &mut Context<Self>) { self.0.push(m.kind) }
//! }
//! struct Take;
//! impl actix::Message for Take { type Result = Vec<PushKind>; }
//! impl Handler<Take> for Probe {
//!     type Result = Vec<PushKind>;
//!     fn handle(&mut self, _: Take, _: &mut Context<Self>) -> Vec<PushKind> { std::mem::take(&mut self.0) }
//! }
//!
//! # actix::System::new().block_on(async {
//! let probe = Probe::default().start();
//! let args = SpawnArgs::new("lv:demo", Params::new(), Session::new(), probe.clone().recipient());
//! let view = spawn_view(Fragile::default, args);
//! view.mount.send(Mount).await.unwrap().unwrap();
//! let event = |name: &str| HandleEvent { kind: "click".into(), event: name.into(), value: serde_json::json!({}), cid: None };
//! view.event.send(event("inc")).await.unwrap().unwrap();
//!
//! // The panic is caught; the supervisor restarts the view, which pushes a fresh full render.
//! assert!(view.event.send(event("boom")).await.unwrap().is_err());
//! let reply = view.event.send(event("inc")).await.unwrap().unwrap();
//! assert_eq!(reply.diff.as_deref(), Some(r#"{"0":"1"}"#));
//! let pushed = probe.send(Take).await.unwrap();
//! assert_eq!(pushed, vec![PushKind::Diff(r#"{"0":"0","s":["<b>","</b>"]}"#.into())]);
//! # });
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::print_stdout))]

mod assigns;
mod async_task;
mod component;
mod config;
mod dead_render;
mod error;
mod event;
mod event_value;
mod flash;
mod form;
mod hook;
mod join;
mod linger;
mod link;
mod message;
mod nav;
mod outlet;
mod params;
mod protocol;
mod pubsub;
mod registry;
mod reply;
mod session;
mod session_data;
mod socket;
mod stream;
mod supervisor;
mod transport;
mod urlencoded;
mod view;
mod view_actor;
mod view_task;

#[doc(inline)]
pub use assigns::{AssignKey, Assigns, Key, LiveAssigns};
#[doc(hidden)]
pub use async_task::TaskId;
#[doc(inline)]
pub use async_task::{
    AsyncDone, AsyncExit, AsyncKey, AsyncName, AsyncPending, AsyncResult, AsyncState,
};
pub use component::{ComponentSocket, LiveComponent};
#[doc(inline)]
pub use config::SessionConfig;
#[doc(inline)]
pub use dead_render::{dead_render, DeadRender, DeadRenderer};
#[doc(inline)]
pub use error::ViewError;
#[doc(inline)]
pub use event::LiveEvent;
#[doc(inline)]
pub use event_value::{from_value, ParamsError, UNUSED_PREFIX};
#[doc(inline)]
pub use flash::Flash;
#[doc(inline)]
pub use form::{FieldErrors, Form};
#[doc(inline)]
pub use hook::{Hook, HookSocket, Hooks};
#[doc(inline)]
pub use join::{AuthorizedJoin, JoinAuthorizer, JoinRefusal, JoinRequest};
#[doc(inline)]
pub use linger::{adoptable_view_count, orphaned_view_count, Adoptable, AdoptionLimits};
#[doc(inline)]
pub use link::Link;
pub use liveview_diff::Cid;
/// Derives [`LiveAssigns`](trait@LiveAssigns) for a struct of assigns (see the trait).
pub use liveview_macros::LiveAssigns;
/// Derives [`LiveEvent`](trait@LiveEvent) for an enum of events (see the trait).
pub use liveview_macros::LiveEvent;
#[doc(inline)]
pub use message::{
    DestroyComponents, HandleEvent, HandleParams, Info, Mount, MountOutcome, PushKind, Reply,
    Shutdown, ViewPush, ViewRecipients,
};
#[doc(inline)]
pub use nav::{InvalidTarget, LocalPath, Navigation};
#[doc(inline)]
pub use params::Params;
#[doc(inline)]
pub use protocol::{encode_push, encode_reply, Envelope, FrameError, InFrame};
#[doc(inline)]
pub use pubsub::{
    Adapter, Broadcast, DropCause, Dropped, Frame, LinkState, MemoryAdapter, MemoryBus, Meta,
    NodeId, Payload, Presence, PresenceConfig, PresenceDiff, PresenceError, PresenceList, PubSub,
    PubSubActor, PubSubBuilder, PubSubError, Stats, Subscribe, SubscriberCount, Subscription,
    Topic, Tracked, LINK_TOPIC,
};
#[doc(inline)]
pub use registry::{PushRecipient, ViewEntry, ViewRegistry};
#[doc(inline)]
pub use reply::ReplyHandle;
#[doc(inline)]
pub use session::{live_session_count, SessionActor};
#[doc(inline)]
pub use session_data::Session;
#[doc(inline)]
pub use socket::{Socket, SocketCore};
pub use stream::{InsertOpts, Stream, StreamItem, StreamIter};
#[doc(inline)]
pub use supervisor::RestartPolicy;
#[doc(inline)]
pub use transport::{
    on_connect, on_connect_with, start_websocket, CLIENT_DISCONNECT_TIMEOUT, SEND_TIMEOUT,
};
#[doc(inline)]
pub use urlencoded::{decode_form, percent_decode};
#[doc(inline)]
pub use view::LiveView;
#[doc(inline)]
pub use view_actor::{live_view_count, spawn_view, start_view, SpawnArgs, ViewActor, ViewSpawner};
#[doc(inline)]
pub use view_task::{hop_counters, HopCounters};

/// What `#[derive(LiveAssigns)]` and `#[derive(LiveEvent)]` generate code against. Not
/// public API.
#[doc(hidden)]
pub mod __derive {
    pub use crate::assigns::{Key, LiveAssigns};
    pub use crate::error::ViewError;
    pub use crate::event::{DecodeForm, DecodeValue, LiveEvent, Payload};
    pub use crate::socket::SocketCore;
    pub use liveview_diff::{EventBinding, EventName};
    pub use serde_json::Value;

    /// One named field of an event's value (see `LiveEvent`).
    pub fn field<T: serde::de::DeserializeOwned>(
        value: &Value,
        name: &str,
    ) -> Result<T, crate::ParamsError> {
        crate::event::field(value, name)
    }

    /// A field's `phx-value-*` text.
    pub fn value_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
        crate::event::value_text(value)
    }
}
