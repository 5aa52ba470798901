//! liveview is [Phoenix LiveView] for Rust, on [actix-web]: the UI lives on the server, the
//! browser gets real HTML, and after that only what changed travels over one websocket.
//!
//! - **Server-rendered first.** A plain GET answers a complete page (content, title, no
//!   spinner); the same `mount` and `render` run again when the browser connects.
//! - **Minimal diffs.** Templates are [`html!`] (maud's syntax) compiled into statics and
//!   dynamics; a click that changes one number sends `{"0":"1"}`.
//! - **One supervised actor per view.** Each connected view is an actix actor holding a
//!   [`Socket`] with its assigns; a panic restarts it, never the server.
//! - **Drops into an existing actix-web `App`** with one `configure` call, and speaks Phoenix
//!   LiveView 1.2's protocol, so the official JavaScript client works too. No Node, no bundler.
//!
//! # Example
//!
//! The counter, complete:
//!
//! ```no_run
//! use liveview::prelude::*;
//!
//! /// What the template shows: one assign per field, each tracked on its own.
//! #[derive(LiveAssigns)]
//! struct State {
//!     count: i64,
//! }
//!
//! /// What the buttons send.
//! #[derive(LiveEvent)]
//! enum Msg {
//!     Inc,
//!     Dec,
//! }
//!
//! #[derive(Default)]
//! struct Counter;
//!
//! impl LiveView for Counter {
//!     type Info = ();
//!     type Event = Msg;
//!
//!     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
//!         socket.assign_all(State { count: 0 });
//!         Ok(())
//!     }
//!
//!     fn update(&mut self, msg: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
//!         match msg {
//!             Msg::Inc => socket.update(State::count, |n| *n += 1),
//!             Msg::Dec => socket.update(State::count, |n| *n -= 1),
//!         };
//!         Ok(())
//!     }
//!
//!     fn render(&self, assigns: &Assigns) -> Rendered {
//!         html! {
//!             h1 { "Count: " span #count { (assigns[State::count]) } }
//!             button #inc phx-click=(Msg::Inc) { "+" }
//!             button #dec phx-click=(Msg::Dec) { "-" }
//!         }
//!     }
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     // The secret from $SECRET_KEY_BASE (a random one when unset).
//!     let live = LiveConfig::from_env().live::<Counter>("/");
//!     // On $HOST:$PORT (default 127.0.0.1:4000), with the socket options a LiveView server needs.
//!     liveview::serve(move || liveview::config(live.clone())).await
//! }
//! ```
//!
//! # Views
//!
//! A view implements [`LiveView`]. [`mount`](LiveView::mount) fills the assigns from the
//! route's [`Params`] and the signed [`Session`]; it runs for the dead render
//! ([`SocketCore::connected`] is false) and again when the browser joins.
//! [`handle_params`](LiveView::handle_params) runs after it and on every live patch.
//!
//! State the template shows goes in the assigns, declared once as a struct deriving
//! [`LiveAssigns`](derive@LiveAssigns): each field is an assign, tracked on its own, and
//! `State::field` is its typed [`Key`]. `mount` assigns the whole struct
//! ([`SocketCore::assign_all`]), callbacks change single keys ([`SocketCore::assign`],
//! [`SocketCore::update`]) and `render` reads `assigns[State::field]`. Assigning an equal value
//! changes nothing and renders nothing; a misspelled key or a value of the wrong type does not
//! compile. The guide `docs/guides/state-and-assigns.md` explains the design.
//!
//! ```
//! use liveview::prelude::*;
//!
//! #[derive(LiveAssigns)]
//! struct ItemState {
//!     id: u32,
//! }
//!
//! #[derive(Default)]
//! struct Item;
//!
//! impl LiveView for Item {
//!     type Info = ();
//!     type Event = ();
//!
//!     fn mount(&mut self, params: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
//!         let id: u32 = params.parse("id").unwrap_or(0);
//!         socket.assign_all(ItemState { id }).page_title(format!("Item {id}"));
//!         Ok(())
//!     }
//!
//!     fn render(&self, assigns: &Assigns) -> Rendered {
//!         html! { p { "Item " (assigns[ItemState::id]) } }
//!     }
//! }
//! # let page = liveview::dev::dead_render(&mut Item, &Params::from_pairs([("id", "7")]), &Session::new(), "/items/7").unwrap();
//! # assert!(matches!(page, liveview::dev::DeadRender::Page { ref html, .. } if html == "<p>Item 7</p>"));
//! ```
//!
//! Every method of the socket that changes it returns `&mut SocketCore`, so calls chain
//! (`socket.put_flash("info", "Saved").push_navigate("/")`) and `match` arms agree.
//!
//! Messages from timers and other actors arrive in [`handle_info`](LiveView::handle_info),
//! typed by [`LiveView::Info`]; see [`Socket::send_after`] and [`Socket::recipient`].
//!
//! # Events
//!
//! A view's events are an enum deriving [`LiveEvent`](derive@LiveEvent), its
//! [`LiveView::Event`]: each variant is an event (`AddTodo` is `"add_todo"`), named fields
//! travel as `phx-value-*` and one unnamed field is decoded from the whole value (a [`Form`]).
//! The template names the variant, `phx-click=(Msg::Delete { id })`, the runtime decodes what
//! comes back once, and [`update`](LiveView::update) gets the variant. An event the enum does
//! not name, or a value that does not decode, is refused with a [`ViewError`] (the client gets
//! an empty reply and the view keeps running). For names only known at run time, override
//! [`handle_event`](LiveView::handle_event), which gets the name and the JSON value.
//!
//! To answer an event later without blocking a thread (after work elsewhere), hold its reply
//! with [`SocketCore::defer_reply`]; the view handles nothing else until the [`ReplyHandle`]
//! is used or dropped. Links that navigate live are [`Link::patch`] and [`Link::navigate`].
//!
//! # Rendering
//!
//! [`html!`] takes maud's syntax and returns a [`Rendered`]: the static HTML is fixed at
//! compile time and only the `(splices)`, `@if` branches and `@for` entries are dynamic.
//! Values are HTML-escaped through maud's `Render`.
//!
//! ```
//! use liveview::prelude::*;
//!
//! let items = vec!["a", "<b>"];
//! let r: Rendered = html! { ul { @for i in &items { li { (i) } } } };
//! assert_eq!(r.to_html(), "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
//! ```
//!
//! The page around a view is a plain maud function ([`LiveConfig::layout`], default
//! [`default_layout`](http::default_layout)).
//!
//! # Routing
//!
//! A [`LiveConfig`] holds the app's secret and its live routes, one line each; [`config`]
//! mounts it into an existing `App`, next to the app's own routes. Path segments such as
//! `{id}` and query parameters reach `mount` and `handle_params` as [`Params`].
//!
//! ```
//! # use liveview::prelude::*;
//! # #[derive(Default)] struct Counter;
//! # impl LiveView for Counter {
//! #     type Info = ();
//! #     type Event = ();
//! #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
//! #     fn render(&self, _: &Assigns) -> Rendered { html! { "" } }
//! # }
//! # #[derive(Default)] struct Item;
//! # impl LiveView for Item {
//! #     type Info = ();
//! #     type Event = ();
//! #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
//! #     fn render(&self, _: &Assigns) -> Rendered { html! { "" } }
//! # }
//! use actix_web::{web, App};
//!
//! let live = LiveConfig::new("a secret of at least thirty-two bytes, kept out of git")
//!     .live::<Counter>("/")
//!     .live::<Item>("/items/{id}");
//!
//! let app = App::new()
//!     .configure(liveview::config(live))      // /live/websocket, /live/assets, the live routes
//!     .route("/health", web::get().to(|| async { "ok" }));
//! # let _ = app;
//! ```
//!
//! [`serve`] runs such an app: it reads `$HOST` and `$PORT` and sets the socket options every
//! LiveView server needs ([`CLIENT_DISCONNECT_TIMEOUT`] and [`on_connect`]); [`Serve`] sets
//! the address and workers in code. An app that builds its own `HttpServer` sets those two
//! itself:
//!
//! ```no_run
//! # use liveview::prelude::*;
//! use actix_web::{App, HttpServer};
//!
//! # async fn run(live: LiveConfig) -> std::io::Result<()> {
//! HttpServer::new(move || App::new().configure(liveview::config(live.clone())))
//!     // close each websocket's TCP connection right after its closing handshake
//!     .client_disconnect_timeout(liveview::CLIENT_DISCONNECT_TIMEOUT)
//!     .on_connect(liveview::on_connect)
//!     .bind(("127.0.0.1", 4000))?
//!     .run()
//!     .await
//! # }
//! ```
//!
//! Routes can be grouped in live sessions ([`LiveConfig::live_session`]): live navigation
//! stays on the socket inside one, and each may have its own page layout
//! ([`LiveSession::layout`]; a layout sees the request, route and live session in its
//! [`Page`]) and [`Hooks`] that run before every view's `mount` and `handle_event`
//! ([`LiveSession::hooks`]), working on a [`HookSocket`]:
//!
//! ```
//! # use liveview::prelude::*;
//! # #[derive(Default)] struct Dashboard;
//! # impl LiveView for Dashboard {
//! #     type Info = ();
//! #     type Event = ();
//! #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
//! #     fn render(&self, _: &Assigns) -> Rendered { html! { "" } }
//! # }
//! let admin = Hooks::new()
//!     .on_mount(|_, session, socket| {
//!         if session.get::<String>("user").is_none() {
//!             socket.redirect("/login");
//!             return Ok(Hook::Halt);
//!         }
//!         Ok(Hook::Cont)
//!     })
//!     .on_event(|event, _, socket| {
//!         socket.assign("last_event", event.to_owned()); // a string key: any view's
//!         Ok(Hook::Cont)
//!     });
//! let live = LiveConfig::with_random_secret()
//!     .live_session("admin", |s| s.hooks(admin).live::<Dashboard>("/admin"));
//! # let _ = live;
//! ```
//!
//! The security of the HTTP side (signed session tokens, CSRF, the Origin allow-list) is
//! described in [`http`].
//!
//! # Testing
//!
//! The dead render is an ordinary actix-web request, so `actix_web::test` covers it without a
//! network:
//!
//! ```
//! # use liveview::prelude::*;
//! # const COUNT: Key<i64> = Key::new("count");
//! # #[derive(Default)] struct Counter;
//! # impl LiveView for Counter {
//! #     type Info = ();
//! #     type Event = ();
//! #     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> { s.assign(COUNT, 0); Ok(()) }
//! #     fn render(&self, a: &Assigns) -> Rendered { html! { span #count { (a[COUNT]) } } }
//! # }
//! use actix_web::{test, App};
//!
//! # actix_web::rt::System::new().block_on(async {
//! let live = LiveConfig::with_random_secret().live::<Counter>("/");
//! let app = test::init_service(App::new().configure(liveview::config(live))).await;
//! let body = test::call_and_read_body(&app, test::TestRequest::get().uri("/").to_request()).await;
//! assert!(std::str::from_utf8(&body).unwrap().contains(r#"<span id="count">0</span>"#));
//! # });
//! ```
//!
//! To click, submit and read the patched HTML over the real protocol, and to inspect each
//! view actor's mailbox, use the `liveview-test` crate.
//!
//! # Errors
//!
//! Callbacks return [`ViewError`]. A failing `mount` in the dead render is answered with a
//! 500 page ([`http::MountFailed`]); at join, with a join error. An unknown event gets an
//! empty reply. A panicking callback is caught: the view actor restarts and the browser gets a
//! fresh render. Refused joins (forged or expired tokens, missing CSRF token) are answered
//! `stale` and the browser reloads the page.
//!
//! # Feature flags
//!
//! | name | description | default |
//! |---|---|---|
//! | `test-support` | `dev::ClientTree`, the reference client merger that test harnesses use (`liveview-test` enables it) | no |
//!
//! [Phoenix LiveView]: https://hexdocs.pm/phoenix_live_view
//! [actix-web]: https://actix.rs
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::print_stdout))]

#[doc(inline)]
pub use liveview_diff::{html, Rendered};
/// The typed event attributes of `html!` (`phx-click=(Msg::Inc)`).
#[doc(inline)]
pub use liveview_diff::{EventBinding, EventName};
#[doc(inline)]
pub use liveview_http::{
    config, serve, AllowedOrigins, Listening, LiveConfig, LiveSession, Page, Serve,
};
/// Live navigation links (Phoenix's `<.link patch>` / `<.link navigate>`).
#[doc(inline)]
pub use liveview_session::Link;
#[doc(inline)]
pub use liveview_session::{
    adoptable_view_count, live_view_count, orphaned_view_count, AdoptionLimits,
};
#[doc(inline)]
pub use liveview_session::{
    from_value, AssignKey, Assigns, Cid, ComponentSocket, FieldErrors, Flash, Form, Info,
    InsertOpts, Key, LiveAssigns, LiveComponent, LiveEvent, LiveView, Navigation, Params,
    ParamsError, PubSub, PubSubError, RestartPolicy, Session, SessionConfig, Socket, SocketCore,
    Stream, StreamItem, Subscription, Topic, ViewError, CLIENT_DISCONNECT_TIMEOUT,
};

/// What `#[derive(LiveAssigns)]` and `#[derive(LiveEvent)]` expand to. Not public API.
#[doc(hidden)]
pub use liveview_session::__derive;
/// Per-connection socket options every LiveView server sets (`HttpServer::on_connect`).
#[doc(inline)]
pub use liveview_session::{on_connect, on_connect_with, SEND_TIMEOUT};
/// Live-session hooks ([`LiveSession::hooks`]).
#[doc(inline)]
pub use liveview_session::{Hook, HookSocket, Hooks};

/// Async assigns and tasks ([`SocketCore::assign_async`], [`SocketCore::start_async`],
/// [`LiveView::handle_async`]); the guide is `docs/guides/async.md`.
#[doc(inline)]
pub use liveview_session::{AsyncDone, AsyncExit, AsyncKey, AsyncName, AsyncResult, AsyncState};

/// A held event reply ([`SocketCore::defer_reply`]).
#[doc(inline)]
pub use liveview_session::ReplyHandle;

/// maud, for page layouts ([`LiveConfig::layout`]).
#[doc(no_inline)]
pub use maud;

pub mod core_components;

/// The HTTP side: routes, the dead render, tokens, CSRF and Origin checks (`liveview-http`).
pub mod http {
    #[doc(inline)]
    pub use liveview_http::*;
}

/// PubSub in full (`liveview-pubsub`): the broker, the cluster adapter seam and its counters.
/// [`PubSub`] and [`Topic`] are also at the root.
pub mod pubsub {
    #[doc(inline)]
    pub use liveview_pubsub::*;
}

/// The render tree and the diff engine (`liveview-diff`).
pub mod diff {
    #[doc(inline)]
    pub use liveview_diff::*;
}

/// What most apps need: `use liveview::prelude::*;`.
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::{
        config, from_value, html, Assigns, AsyncDone, AsyncKey, AsyncResult, AsyncState, Cid,
        ComponentSocket, FieldErrors, Flash, Form, Hook, HookSocket, Hooks, Key, Link, LiveAssigns,
        LiveComponent, LiveConfig, LiveEvent, LiveView, Page, Params, PubSub, Rendered, Session,
        Socket, SocketCore, Topic, ViewError,
    };
    #[doc(no_inline)]
    pub use serde_json::Value;
}

/// For integration authors: the runtime's actors and messages, the join hook, the view
/// registry, tokens and the diff engine, to build another transport or a test harness.
pub mod dev {
    /// The reference client merger (feature `test-support`).
    #[cfg(feature = "test-support")]
    #[doc(no_inline)]
    pub use liveview_diff::ClientTree;
    #[doc(no_inline)]
    pub use liveview_diff::{Diff, DiffTracker};
    #[doc(no_inline)]
    pub use liveview_http::{HttpAuthorizer, SessionClaims, StaticClaims, TokenSigner};
    #[doc(no_inline)]
    pub use liveview_session::{
        dead_render, spawn_view, start_view, start_websocket, Adoptable, AuthorizedJoin,
        DeadRender, DeadRenderer, DestroyComponents, HandleEvent, HandleParams, JoinAuthorizer,
        JoinRefusal, JoinRequest, Mount, SessionActor, SpawnArgs, ViewActor, ViewEntry, ViewPush,
        ViewRecipients, ViewRegistry, ViewSpawner,
    };
}

/// The snippets of `docs/guides/async.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/async.md")]
pub struct AsyncGuide;
/// The snippets of `docs/guides/core-components.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/core-components.md")]
pub struct CoreComponentsGuide;

/// The snippets of `docs/guides/streams.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/streams.md")]
pub struct StreamsGuide;

/// The snippets of `docs/guides/components.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/components.md")]
pub struct ComponentsGuide;

/// The snippets of `docs/guides/state-and-assigns.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/state-and-assigns.md")]
pub struct StateAndAssignsGuide;

/// The snippets of `docs/guides/lifecycle.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/lifecycle.md")]
pub struct LifecycleGuide;
