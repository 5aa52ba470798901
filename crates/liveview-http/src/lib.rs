//! actix-web integration for liveview: live routes, the dead render, signed session tokens,
//! CSRF and Origin checks, the websocket hand-off, and the embedded browser client.
//!
//! An app builds one [`LiveConfig`] (its secret and live routes) and mounts it with
//! [`config`]; the rest of the `App` is the app's own.
//!
//! ```no_run
//! use actix_web::web;
//! use liveview_diff::{html, Rendered};
//! use liveview_http::{config, LiveConfig};
//! use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
//!
//! #[derive(Default)]
//! struct Hello;
//!
//! impl LiveView for Hello {
//!     type Info = ();
//!     type Event = ();
//!
//!     fn mount(&mut self, params: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
//!         socket.assign("name", params.get("name").unwrap_or("world").to_owned());
//!         Ok(())
//!     }
//!
//!     fn render(&self, assigns: &Assigns) -> Rendered {
//!         let name: String = assigns.get("name");
//!         html! { p { "Hello, " (name) } }
//!     }
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     let live = LiveConfig::from_env() // the secret from $SECRET_KEY_BASE
//!         .live::<Hello>("/")
//!         .live::<Hello>("/hello/{name}");
//!     // On $HOST:$PORT (default 127.0.0.1:4000), with the socket options a LiveView server
//!     // needs; the app's own routes go next to the live ones.
//!     liveview_http::serve(move || {
//!         let live = live.clone();
//!         move |cfg: &mut web::ServiceConfig| {
//!             cfg.configure(config(live))
//!                 .route("/health", web::get().to(|| async { "ok" }));
//!         }
//!     })
//!     .await
//! }
//! ```
//!
//! [`serve`] sets what every LiveView server needs: `client_disconnect_timeout` (zero, so a
//! websocket's connection closes right after its closing handshake) and `on_connect`
//! (`TCP_NODELAY`, the send timeout). An app that builds its own `HttpServer` sets both itself
//! (see [`config`]).
//!
//! # What it mounts
//!
//! | route | what |
//! |---|---|
//! | `GET <pattern>` per live route | the dead render: the full page (see [`Page`]) |
//! | `GET /live/websocket` | the Origin check, the CSRF check, then the session actor |
//! | `GET /live/assets/liveview.js`, `/live/assets/src/{module}` | the client bundle and its source modules, `ETag` + `304`, `text/javascript` |
//!
//! # Security
//!
//! - The page's container carries a session token and a static token ([`TokenSigner`]):
//!   HMAC-SHA256 with keys derived from the app's secret, versioned, valid two weeks by
//!   default, bound to the container id, the view and its live session. A join whose tokens
//!   do not verify is refused `stale`; one whose URL routes elsewhere, `unauthorized`.
//! - CSRF: an HttpOnly cookie holds random state; the page's `<meta name="csrf-token">`
//!   holds a masked HMAC of it; the websocket's `_csrf_token` must match, else every join is
//!   refused `stale` (the connection itself is accepted, as Phoenix does).
//! - Origin: checked at the handshake against [`AllowedOrigins`]; a mismatch, `Origin:
//!   null` or a scheme other than `http`/`https` is answered `403` ([`ForbiddenOrigin`]) and
//!   no session starts. By default the origin must be the request's own host, and that host
//!   loopback or one of [`LiveConfig::hosts`].
//! - Proxies: `Forwarded` and `X-Forwarded-*` headers are believed only from
//!   [`LiveConfig::trusted_proxies`].
//! - One client address holds at most [`LiveConfig::max_sockets_per_client`] websockets
//!   ([`DEFAULT_MAX_SOCKETS_PER_CLIENT`]); one more is answered `429` ([`TooManySockets`]).
//!
//! `docs/http.md` at the repository root describes each with literal examples.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::print_stdout))]

mod app;
mod asset;
mod authorizer;
mod csrf;
mod error;
mod forwarding;
mod handler;
mod layout;
mod live_config;
mod origin;
mod route;
mod serve;
mod socket_limit;
mod token;

#[doc(inline)]
pub use app::config;
#[doc(inline)]
pub use asset::{client_entry_url, ASSETS_PATH};
#[doc(inline)]
pub use authorizer::HttpAuthorizer;
#[doc(inline)]
pub use csrf::CSRF_COOKIE;
#[doc(inline)]
pub use error::{AssetNotFound, Error, ForbiddenOrigin, MountFailed, TokenError, TooManySockets};
#[doc(inline)]
pub use handler::FLASH_COOKIE;
#[doc(inline)]
pub use layout::{default_layout, Layout, Page};
#[doc(inline)]
pub use live_config::{
    LiveConfig, LiveRoute, LiveSession, DEFAULT_LIVE_SESSION, DEFAULT_MAX_SOCKETS_PER_CLIENT,
    MIN_SECRET_LEN, WEBSOCKET_PATH,
};
#[doc(inline)]
pub use origin::AllowedOrigins;
#[doc(inline)]
pub use route::RoutePattern;
#[doc(inline)]
pub use serve::{serve, Listening, Serve, HOST_ENV, PORT_ENV, SECRET_ENV};
#[doc(inline)]
pub use token::{
    SessionClaims, StaticClaims, TokenSigner, DEFAULT_MAX_AGE, FLASH_MAX_AGE, TOKEN_VERSION,
};
