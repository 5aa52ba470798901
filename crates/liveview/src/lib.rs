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
//! use actix_web::{App, HttpServer};
//! use liveview::prelude::*;
//!
//! #[derive(Default)]
//! struct Counter;
//!
//! impl LiveView for Counter {
//!     type Info = ();
//!
//!     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
//!         socket.assign("count", 0_i64);
//!         Ok(())
//!     }
//!
//!     fn handle_event(&mut self, event: &str, _: &Value, socket: &mut Socket<Self>) -> Result<(), ViewError> {
//!         match event {
//!             "inc" => socket.update("count", |n: &mut i64| *n += 1),
//!             "dec" => socket.update("count", |n: &mut i64| *n -= 1),
//!             other => return Err(ViewError::unknown_event(other)),
//!         }
//!         Ok(())
//!     }
//!
//!     fn render(&self, assigns: &Assigns) -> Rendered {
//!         let count: i64 = assigns.get("count");
//!         html! {
//!             h1 { "Count: " span #count { (count) } }
//!             button #inc phx-click="inc" { "+" }
//!             button #dec phx-click="dec" { "-" }
//!         }
//!     }
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     let live = LiveConfig::with_random_secret().live::<Counter>("/");
//!     HttpServer::new(move || App::new().configure(liveview::config(live.clone())))
//!         // close each websocket's TCP connection right after its closing handshake
//!         .client_disconnect_timeout(liveview::CLIENT_DISCONNECT_TIMEOUT)
//!         .on_connect(liveview::on_connect)
//!         .bind(("127.0.0.1", 4000))?
//!         .run()
//!         .await
//! }
//! ```
//!
//! # Views
//!
//! A view implements [`LiveView`]. [`mount`](LiveView::mount) fills the assigns from the
//! route's [`Params`] and the signed [`Session`]; it runs for the dead render
//! ([`Socket::connected`] is false) and again when the browser joins.
//! [`handle_params`](LiveView::handle_params) runs after it and on every live patch. State the
//! template shows goes in the assigns ([`Socket::assign`], [`Socket::update`]): assigning an
//! equal value changes nothing and renders nothing.
//!
//! ```
//! use liveview::prelude::*;
//!
//! #[derive(Default)]
//! struct Item;
//!
//! impl LiveView for Item {
//!     type Info = ();
//!
//!     fn mount(&mut self, params: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
//!         let id: u32 = params.parse("id").unwrap_or(0);
//!         socket.assign("id", id);
//!         socket.page_title(format!("Item {id}"));
//!         Ok(())
//!     }
//!
//!     fn render(&self, assigns: &Assigns) -> Rendered {
//!         let id: u32 = assigns.get("id");
//!         html! { p { "Item " (id) } }
//!     }
//! }
//! # let page = liveview::dev::dead_render(&mut Item, &Params::from_pairs([("id", "7")]), &Session::new(), "/items/7").unwrap();
//! # assert!(matches!(page, liveview::dev::DeadRender::Page { ref html, .. } if html == "<p>Item 7</p>"));
//! ```
//!
//! Messages from timers and other actors arrive in [`handle_info`](LiveView::handle_info),
//! typed by [`LiveView::Info`]; see [`Socket::send_after`] and [`Socket::recipient`].
//!
//! # Events
//!
//! `phx-click="inc"` on an element sends the event `"inc"` to
//! [`handle_event`](LiveView::handle_event) with its value as JSON (`phx-value-*` attributes,
//! or the form's fields for `phx-submit`/`phx-change`). Return
//! [`ViewError::unknown_event`] for events you do not handle: the client gets an empty reply
//! and the view keeps running. To answer an event later without blocking a thread (after
//! work elsewhere), hold its reply with [`Socket::defer_reply`]; the view handles nothing
//! else until the [`ReplyHandle`] is used or dropped.
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
//! #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
//! #     fn render(&self, _: &Assigns) -> Rendered { html! { "" } }
//! # }
//! # #[derive(Default)] struct Item;
//! # impl LiveView for Item {
//! #     type Info = ();
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
//! Routes can be grouped in live sessions ([`LiveConfig::live_session`]): live navigation
//! stays on the socket inside one, and each may have its own page layout
//! ([`LiveSession::layout`]; a layout sees the request, route and live session in its
//! [`Page`]) and hooks that run before every view's `mount` and `handle_event`
//! ([`LiveSession::on_mount`], [`LiveSession::on_event`]), working on a [`HookSocket`]:
//!
//! ```
//! # use liveview::prelude::*;
//! # #[derive(Default)] struct Dashboard;
//! # impl LiveView for Dashboard {
//! #     type Info = ();
//! #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
//! #     fn render(&self, _: &Assigns) -> Rendered { html! { "" } }
//! # }
//! let live = LiveConfig::with_random_secret().live_session("admin", |s| {
//!     s.on_mount(|_, session, socket| {
//!         if session.get::<String>("user").is_none() {
//!             socket.redirect("/login");
//!             return Ok(Hook::Halt);
//!         }
//!         Ok(Hook::Cont)
//!     })
//!     .on_event(|event, _, socket| {
//!         socket.assign("last_event", event.to_owned()); // every view's, whatever its type
//!         Ok(Hook::Cont)
//!     })
//!     .live::<Dashboard>("/admin")
//! });
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
//! # #[derive(Default)] struct Counter;
//! # impl LiveView for Counter {
//! #     type Info = ();
//! #     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> { s.assign("count", 0_i64); Ok(()) }
//! #     fn render(&self, a: &Assigns) -> Rendered { let c: i64 = a.get("count"); html! { span #count { (c) } } }
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
//! | *(none yet)* | everything above is always on | |
//!
//! [Phoenix LiveView]: https://hexdocs.pm/phoenix_live_view
//! [actix-web]: https://actix.rs
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::print_stdout))]

#[doc(inline)]
pub use liveview_diff::{html, Rendered};
#[doc(inline)]
pub use liveview_http::{config, AllowedOrigins, LiveConfig, LiveSession, Page};
#[doc(inline)]
pub use liveview_session::{
    from_value, Assigns, FieldErrors, Flash, Form, Info, LiveView, Navigation, Params, ParamsError,
    PubSub, PubSubError, RestartPolicy, Session, SessionConfig, Socket, Subscription, Topic,
    ViewError, CLIENT_DISCONNECT_TIMEOUT,
};
/// Per-connection socket options every LiveView server sets (`HttpServer::on_connect`).
#[doc(inline)]
pub use liveview_session::{on_connect, on_connect_with, SEND_TIMEOUT};
/// Live-session hooks ([`LiveSession::on_mount`], [`LiveSession::on_event`]).
#[doc(inline)]
pub use liveview_session::{Hook, HookSocket, Hooks};

/// A held event reply ([`Socket::defer_reply`]).
#[doc(inline)]
pub use liveview_session::ReplyHandle;

/// maud, for page layouts ([`LiveConfig::layout`]).
#[doc(no_inline)]
pub use maud;

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
        config, from_value, html, Assigns, FieldErrors, Form, Hook, HookSocket, LiveConfig,
        LiveView, Params, PubSub, Rendered, Session, Socket, Topic, ViewError,
    };
    #[doc(no_inline)]
    pub use serde_json::Value;
}

/// For integration authors: the runtime's actors and messages, the join hook, the view
/// registry, tokens and the diff engine, to build another transport or a test harness.
pub mod dev {
    #[doc(no_inline)]
    pub use liveview_diff::{ClientTree, Diff, DiffTracker};
    #[doc(no_inline)]
    pub use liveview_http::{HttpAuthorizer, SessionClaims, StaticClaims, TokenSigner};
    #[doc(no_inline)]
    pub use liveview_session::{
        dead_render, dead_render_with_hooks, spawn_view, start_view_with_hooks, start_websocket,
        AuthorizedJoin, DeadRender, HandleEvent, HandleParams, JoinAuthorizer, JoinRefusal,
        JoinRequest, Mount, SessionActor, SpawnArgs, ViewActor, ViewEntry, ViewPush,
        ViewRecipients, ViewRegistry,
    };
}
