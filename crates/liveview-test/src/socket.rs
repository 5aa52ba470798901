//! Socket mode: the same [`LiveViewTest`] API against a real server, over a real websocket.
//!
//! The harness does what a browser does: `GET`s the page (the dead render), takes the
//! container's id, `data-phx-session` and `data-phx-static`, the CSRF `<meta>` and cookie,
//! opens `/live/websocket?_csrf_token=…&vsn=2.0.0` with the server's `Origin`, and joins with
//! the page's URL. Clicks, keys and forms build the same payloads as in-process mode, sent as
//! Phoenix Channels V2 `event` frames; replies and pushes (`diff`, `live_patch`,
//! `live_redirect`, `redirect`, `phx_error`) are applied through the same merger. Every frame
//! sent and received is recorded in [`LiveViewTest::frames`], decoded ([`FrameEntry`]).
//!
//! ```
//! use liveview_test::socket::{self, FrameEntry};
//! use liveview_test::{assert_sent, expect_received, expect_sent};
//!
//! # actix::System::new().block_on(async {
//! // Starts the app on 127.0.0.1 (a port the OS picks), GETs `/`, connects and joins.
//! let live = example_counter::live_config();
//! let mut view = socket::connect(move || example_counter::app(live.clone()), "/").await;
//! assert_eq!(view.text("#count"), "0");
//!
//! let mut expect = view.expect();
//! expect_received!(expect, f if f.event == "event" && f.payload["event"] == "inc");
//! expect_sent!(expect, f if f.event == "phx_reply" && f.payload["response"]["diff"]["0"] == "1");
//! expect.only();
//! view.click("#inc").await;
//! expect.assert_finished().await;
//!
//! assert_eq!(view.text("#count"), "1");
//! assert_eq!(view.page_title().as_deref(), Some("Count: 1"));
//! # });
//! ```

use std::fmt::{self, Debug};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::web::ServiceConfig;
use actix_web::{App, HttpServer};
use awc::ws;
use futures_util::stream::{SplitSink, StreamExt as _};
use futures_util::SinkExt as _;
use liveview_diff::ClientTree;
use liveview_session::{Flash, InFrame, Navigation};
use serde_json::{json, Value};

use crate::client::{absolute_on, Client};
use crate::error::Error;
use crate::expect::Expect;
use crate::live_view_test::LiveViewTest;
use crate::mailbox::{Entry, Mailbox, DEFAULT_TIMEOUT};
use crate::transport::{Sealed, Transport};

/// How long a request waits for its reply.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often a waiting call looks at the frames again.
const POLL_EVERY: Duration = Duration::from_millis(2);

/// One recorded websocket frame, decoded, named from the server's side like a view's
/// [`MailboxEntry`](crate::MailboxEntry): `In` is what the server received (the test client
/// sent it), `Out` what the server sent.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameEntry {
    /// A frame the client sent (`phx_join`, `event`, `live_patch`, `phx_leave`).
    In(InFrame),
    /// A frame the server sent (`phx_reply`, `diff`, `live_patch`, `redirect`, ...).
    Out(InFrame),
}

impl Entry for FrameEntry {
    type In = InFrame;
    type Out = InFrame;

    fn inbound(&self) -> Option<&InFrame> {
        match self {
            Self::In(f) => Some(f),
            Self::Out(_) => None,
        }
    }

    fn outbound(&self) -> Option<&InFrame> {
        match self {
            Self::Out(f) => Some(f),
            Self::In(_) => None,
        }
    }
}

/// An actix-web server on 127.0.0.1 with a port the OS picks, one worker, no signal
/// handling; stopped when dropped.
pub struct TestServer {
    addr: SocketAddr,
    handle: ServerHandle,
}

impl Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// Starts a server whose `App` is configured by what `app` returns, once per worker (an
    /// app's `fn app(…) -> impl FnOnce(&mut ServiceConfig)` fits).
    ///
    /// ```
    /// use liveview_test::socket::TestServer;
    ///
    /// # actix::System::new().block_on(async {
    /// let live = example_counter::live_config();
    /// let server = TestServer::start(move || example_counter::app(live.clone()));
    /// let view = server.connect("/").await;
    /// assert_eq!(view.text("#count"), "0");
    /// assert!(server.url("/").starts_with("http://127.0.0.1:"));
    /// # });
    /// ```
    ///
    /// # Panics
    ///
    /// Outside an actix system, or when 127.0.0.1 cannot be bound.
    pub fn start<F, C>(app: F) -> Self
    where
        F: Fn() -> C + Send + Clone + 'static,
        C: FnOnce(&mut ServiceConfig),
    {
        let server = HttpServer::new(move || App::new().configure(app()))
            .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
            .on_connect(liveview_session::on_connect)
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", 0))
            .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1: {e}"));
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        actix_rt::spawn(server);
        Self { addr, handle }
    }

    /// Starts a server with only the live routes of `live` (`liveview_http::config`).
    pub fn live(live: liveview_http::LiveConfig) -> Self {
        Self::start(move || liveview_http::config(live.clone()))
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>` + `path`.
    pub fn url(&self, path: &str) -> String {
        absolute_on(&format!("http://{}", self.addr), path)
    }

    /// Connects a client to `path`: GET, websocket, join.
    ///
    /// # Panics
    ///
    /// As [`LiveViewTest::connect`].
    pub async fn connect(&self, path: &str) -> LiveViewTest<Connection> {
        LiveViewTest::connect(&self.url(""), path).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if actix_rt::System::try_current().is_some() {
            actix_rt::spawn(self.handle.stop(false));
        }
    }
}

/// Starts a [`TestServer`] with `app` and connects to `path`; the server lives as long as the
/// returned view.
///
/// # Panics
///
/// As [`TestServer::start`] and [`LiveViewTest::connect`].
pub async fn connect<F, C>(app: F, path: &str) -> LiveViewTest<Connection>
where
    F: Fn() -> C + Send + Clone + 'static,
    C: FnOnce(&mut ServiceConfig),
{
    let server = TestServer::start(app);
    let mut view = server.connect(path).await;
    view.transport_mut().server = Some(server);
    view
}

type Sink = SplitSink<crate::ws::Conn, ws::Message>;

/// The socket transport: one websocket, one joined view (see the [module docs](self)).
pub struct Connection {
    sink: Sink,
    frames: Mailbox<FrameEntry>,
    topic: String,
    base: String,
    /// The join ref of this connection's join (1; one more after each reconnect).
    join_ref: u64,
    next_ref: u64,
    /// The index in `frames` of the last frame sent.
    last_sent: usize,
    reader: actix_rt::task::JoinHandle<()>,
    server: Option<TestServer>,
    /// The page this connection joined, and its URL, for [`LiveViewTest::reconnect`].
    page: crate::ws::Page,
    url: String,
}

impl Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("base", &self.base)
            .field("topic", &self.topic)
            .field("frames", &self.frames.len())
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Sends `[join_ref, ref, topic, event, payload]` and records it; returns the ref.
    async fn send(&mut self, event: &str, payload: Value) -> String {
        let reference = self.next_ref.to_string();
        self.next_ref += 1;
        let frame = InFrame {
            join_ref: Some(self.join_ref.to_string()),
            reference: Some(reference.clone()),
            topic: self.topic.clone(),
            event: event.to_owned(),
            payload,
        };
        self.send_frame(frame).await;
        reference
    }

    async fn send_frame(&mut self, frame: InFrame) {
        let text = json!([
            frame.join_ref,
            frame.reference,
            frame.topic,
            frame.event,
            frame.payload
        ])
        .to_string();
        self.last_sent = self.frames.len();
        self.frames.record(FrameEntry::In(frame));
        if let Err(e) = self.sink.send(ws::Message::Text(text.into())).await {
            panic!("the websocket is closed: {e}");
        }
    }

    /// Waits for the `phx_reply` to `reference`.
    async fn reply_to(&self, reference: &str, what: &str) -> Result<Value, String> {
        let deadline = Instant::now() + REPLY_TIMEOUT;
        let mut from = 0;
        loop {
            while let Some(entry) = self.frames.get(from) {
                from += 1;
                if let FrameEntry::Out(f) = entry {
                    if f.event == "phx_reply" && f.reference.as_deref() == Some(reference) {
                        return Ok(f.payload);
                    }
                }
            }
            if self.reader.is_finished() {
                return Err(format!(
                    "the websocket closed before the reply to `{what}` (ref {reference})\n{}",
                    crate::mailbox::list(&self.frames.entries())
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "no reply to `{what}` (ref {reference}) within {REPLY_TIMEOUT:?}; frames:\n{}",
                    crate::mailbox::list(&self.frames.entries())
                ));
            }
            actix_rt::time::sleep(POLL_EVERY).await;
        }
    }

    async fn request(&mut self, event: &str, payload: Value) -> Value {
        let reference = self.send(event, payload).await;
        self.reply_to(&reference, event)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A server-side `live_patch` push since the last frame sent with no `diff` after it:
    /// the server is running `handle_params`.
    fn patch_pending(&self) -> bool {
        let mut pending = false;
        for i in self.last_sent..self.frames.len() {
            if let Some(FrameEntry::Out(f)) = self.frames.get(i) {
                match f.event.as_str() {
                    "live_patch" if f.reference.is_none() => pending = true,
                    "diff" => pending = false,
                    _ => {}
                }
            }
        }
        pending
    }
}

fn nav_to(payload: &Value) -> String {
    payload["to"].as_str().unwrap_or_default().to_owned()
}

fn replace(payload: &Value) -> bool {
    payload["kind"] == "replace"
}

/// How a navigation's signed flash reaches the next page.
enum Carried {
    /// A redirect: the `__phoenix_flash__` cookie of the next `GET`.
    Cookie(String),
    /// A live navigation: the `flash` of the next join.
    Join(String),
}

impl Connection {
    /// The signed flash of the last navigation frame (a push, or an event's reply) to `to`.
    fn flash_token_for(&self, to: &str) -> Option<String> {
        self.frames.entries().iter().rev().find_map(|entry| {
            let FrameEntry::Out(f) = entry else {
                return None;
            };
            let nav = match f.event.as_str() {
                "live_redirect" | "redirect" => &f.payload,
                "phx_reply" => {
                    let r = &f.payload["response"];
                    r.get("live_redirect").or_else(|| r.get("redirect"))?
                }
                _ => return None,
            };
            (nav["to"] == to)
                .then(|| nav["flash"].as_str().map(str::to_owned))
                .flatten()
        })
    }
}

impl Sealed for Connection {
    fn sync(&self, client: &mut Client) {
        while let Some(entry) = self.frames.get(client.applied) {
            client.applied += 1;
            let FrameEntry::Out(f) = entry else { continue };
            if f.topic != self.topic {
                continue;
            }
            let p = f.payload;
            match f.event.as_str() {
                "phx_reply" if p["status"] == "ok" => {
                    let r = &p["response"];
                    if let Some(diff) = r.get("diff") {
                        client.merge_value(diff.clone());
                    }
                    if let Some(nav) = r.get("live_redirect") {
                        let nav = Navigation::Navigate {
                            to: nav_to(nav),
                            replace: replace(nav),
                            flash: Flash::new(),
                        };
                        client.navigate(nav, &self.base);
                    }
                    if let Some(nav) = r.get("redirect") {
                        let nav = Navigation::Redirect {
                            to: nav_to(nav),
                            flash: Flash::new(),
                        };
                        client.navigate(nav, &self.base);
                    }
                }
                "diff" => client.merge_value(p),
                "live_patch" => {
                    let nav = Navigation::Patch {
                        to: nav_to(&p),
                        replace: replace(&p),
                    };
                    client.navigate(nav, &self.base);
                }
                "live_redirect" => {
                    let nav = Navigation::Navigate {
                        to: nav_to(&p),
                        replace: replace(&p),
                        flash: Flash::new(),
                    };
                    client.navigate(nav, &self.base);
                }
                "redirect" => {
                    let nav = Navigation::Redirect {
                        to: nav_to(&p),
                        flash: Flash::new(),
                    };
                    client.navigate(nav, &self.base);
                }
                "phx_error" => {
                    client.closed = Some(format!("it crashed (phx_error {p})"));
                }
                "phx_close" if client.closed.is_none() => {
                    client.closed = Some("the server closed its channel".to_owned());
                }
                _ => {}
            }
        }
    }

    fn absolute(&self, path: &str) -> String {
        absolute_on(&self.base, path)
    }

    async fn send_event(&mut self, payload: &Value) {
        self.request("event", payload.clone()).await;
    }

    async fn send_patch(&mut self, _path: &str, uri: &str) {
        self.request("live_patch", json!({ "url": uri })).await;
    }

    async fn settle(&mut self, client: &mut Client) {
        // A server-side push_patch: the diff of its handle_params follows the reply.
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        while self.patch_pending() && Instant::now() < deadline {
            actix_rt::time::sleep(POLL_EVERY).await;
        }
        self.sync(client);
    }

    async fn destroy(&mut self, msg: liveview_session::DestroyComponents) -> Vec<u32> {
        let (event, cids) = match msg {
            liveview_session::DestroyComponents::WillDestroy(c) => ("cids_will_destroy", c),
            liveview_session::DestroyComponents::Destroyed(c) => ("cids_destroyed", c),
        };
        let reply = self.request(event, json!({ "cids": cids })).await;
        reply["response"]["cids"]
            .as_array()
            .map(|cids| {
                cids.iter()
                    .filter_map(|c| c.as_u64().and_then(|c| u32::try_from(c).ok()))
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn leave(&mut self) {
        self.request("phx_leave", json!({})).await;
    }

    fn drop_client(&mut self, _open: bool) {
        // Closing the socket ends the session, which shuts its views down.
        self.reader.abort();
    }
}

impl Transport for Connection {}

impl LiveViewTest<Connection> {
    /// Connects to the live view at `path` of the server at `base_url`
    /// (`http://127.0.0.1:4000`), as a browser does: the GET, the websocket, the join.
    ///
    /// ```
    /// use liveview_test::{socket::TestServer, LiveViewTest};
    ///
    /// # actix::System::new().block_on(async {
    /// let server = TestServer::live(example_counter::live_config());
    /// let mut view = LiveViewTest::connect(&server.url(""), "/").await;
    /// view.click("#dec").await;
    /// assert_eq!(view.text("#count"), "-1");
    /// # });
    /// ```
    ///
    /// # Panics
    ///
    /// When the page redirects, is not a live page, or the join is refused; use
    /// [`LiveViewTest::try_connect`] to test those.
    pub async fn connect(base_url: &str, path: &str) -> Self {
        match Self::try_connect(base_url, path).await {
            Ok(view) => view,
            Err(Error::Redirected { to }) => panic!(
                "connecting to `{path}` redirected to `{to}`; to test a redirect on mount, use \
                 `LiveViewTest::try_connect(..).await` and match `Err(Error::Redirected {{ to }})`"
            ),
            Err(e) => panic!("connecting to `{path}` failed: {e}"),
        }
    }

    /// Connects as [`LiveViewTest::connect`] does, or says why it could not.
    pub async fn try_connect(base_url: &str, path: &str) -> Result<Self, Error> {
        Self::open(base_url, path, None).await
    }

    /// Follows the live navigation or redirect the view asked for
    /// ([`assert_redirected`](LiveViewTest::assert_redirected)), as the browser does, on a new
    /// connection to the same server: a live navigation joins the target's view with the
    /// signed flash the server sent; a redirect `GET`s the target with that flash in the
    /// `__phoenix_flash__` cookie. The flash reaches the next view's `mount` either way.
    ///
    /// ```
    /// use liveview_test::socket::TestServer;
    ///
    /// # actix::System::new().block_on(async {
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # use serde_json::Value;
    /// # #[derive(Default)] struct Go;
    /// # impl LiveView for Go {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn handle_event(&mut self, _: &str, _: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
    /// #         s.put_flash("info", "Moved"); s.push_navigate("/there"); Ok(())
    /// #     }
    /// #     fn render(&self, _: &Assigns) -> Rendered { html! { button #go phx-click="go" { "Go" } } }
    /// # }
    /// # #[derive(Default)] struct There;
    /// # impl LiveView for There {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn render(&self, a: &Assigns) -> Rendered {
    /// #         let info = a.flash().get("info").cloned().unwrap_or_default(); html! { p #info { (info) } }
    /// #     }
    /// # }
    /// let live = liveview_http::LiveConfig::with_random_secret()
    ///     .live::<Go>("/")
    ///     .live::<There>("/there");
    /// let server = TestServer::live(live);
    /// let mut view = server.connect("/").await;
    /// view.click("#go").await;
    /// let there = view.follow_redirect().await;
    /// assert_eq!(there.text("#info"), "Moved");
    /// # });
    /// ```
    ///
    /// # Panics
    ///
    /// When the view asked for no navigation within a second, or the target cannot be
    /// connected to.
    pub async fn follow_redirect(&self) -> Self {
        let nav = self.assert_redirected().await;
        let (to, full) = match &nav {
            Navigation::Redirect { to, .. } => (to.clone(), true),
            Navigation::Navigate { to, .. } | Navigation::Patch { to, .. } => (to.clone(), false),
        };
        let token = self.transport().flash_token_for(&to);
        let flash = token.map(|t| {
            if full {
                Carried::Cookie(t)
            } else {
                Carried::Join(t)
            }
        });
        let base = self.transport().base.clone();
        match Self::open(&base, &to, flash).await {
            Ok(view) => view,
            Err(e) => panic!("following the navigation to `{to}` failed: {e}"),
        }
    }

    /// Connects to `path` on `base`, with the flash a navigation carried.
    async fn open(base_url: &str, path: &str, flash: Option<Carried>) -> Result<Self, Error> {
        let base = base_url.trim_end_matches('/').to_owned();
        let url = absolute_on(&base, path);
        let cookie = match &flash {
            Some(Carried::Cookie(t)) => Some(format!("{}={t}", liveview_http::FLASH_COOKIE)),
            _ => None,
        };
        let page = crate::ws::fetch_with_cookie(&url, cookie.as_deref()).await?;
        let flash = match flash {
            Some(Carried::Join(token)) => Some(token),
            _ => None,
        };
        Self::join_page(base, page, url, flash).await
    }

    /// Drops the websocket as a lost network does (no `phx_leave`, no Close frame), then
    /// opens a new one and joins the same page again, as a browser's client does when it
    /// reconnects: same container id, same tokens. The server's views of a dropped socket
    /// live on for [`reconnect_grace`](liveview_session::SessionConfig::reconnect_grace), so
    /// the join re-attaches to the living view (its state intact, no `mount`); after that, or
    /// on another server, it mounts afresh. The returned view holds what the join answered.
    ///
    /// ```
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # use serde_json::Value;
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use liveview_test::socket::TestServer;
    ///
    /// static MOUNTS: AtomicUsize = AtomicUsize::new(0);
    ///
    /// #[derive(Default)]
    /// struct Counter;
    /// impl LiveView for Counter {
    ///     type Info = ();
    ///     type Event = ();
    ///     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         MOUNTS.fetch_add(1, Ordering::SeqCst);
    ///         s.assign("n", 0_u32);
    ///         Ok(())
    ///     }
    ///     fn handle_event(&mut self, _: &str, _: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         s.update("n", |n: &mut u32| *n += 1);
    ///         Ok(())
    ///     }
    ///     fn render(&self, a: &Assigns) -> Rendered {
    ///         let n: u32 = a.get("n");
    ///         html! { b #n { (n) } button #inc phx-click="inc" { "+" } }
    ///     }
    /// }
    ///
    /// # actix::System::new().block_on(async {
    /// let server = TestServer::live(liveview_http::LiveConfig::with_random_secret().live::<Counter>("/"));
    /// let mut view = server.connect("/").await;
    /// view.click("#inc").await;
    /// assert_eq!(MOUNTS.load(Ordering::SeqCst), 2); // the dead render, then the join
    ///
    /// let view = view.reconnect().await.unwrap();
    /// assert_eq!(view.text("#n"), "1"); // the living view's state
    /// assert_eq!(MOUNTS.load(Ordering::SeqCst), 2); // no mount
    /// # });
    /// ```
    ///
    /// # Errors
    ///
    /// As [`LiveViewTest::try_connect`], when the new socket or the join fails.
    pub async fn reconnect(self) -> Result<Self, Error> {
        let (base, page, url) = {
            let conn = self.transport();
            (conn.base.clone(), conn.page.clone(), conn.url.clone())
        };
        let next_join = self.transport().join_ref + 1;
        let server = {
            let mut this = self;
            let conn = this.transport_mut();
            // The write side ends (a FIN, as when the network goes): no `phx_leave`, no Close
            // frame. The server's session stops and ends the connection, which ends the
            // reader: by then its views wait for the rejoin.
            // An error means the connection is gone already, which is what the wait below
            // is for.
            let _ = conn.sink.close().await;
            let deadline = Instant::now() + REPLY_TIMEOUT;
            while !conn.reader.is_finished() {
                if Instant::now() >= deadline {
                    return Err(Error::Connect(format!(
                        "the server did not end the dropped connection within {REPLY_TIMEOUT:?}"
                    )));
                }
                actix_rt::time::sleep(POLL_EVERY).await;
            }
            conn.server.take()
        };
        let mut view = Self::join_page_as(base, page, url, None, next_join).await?;
        view.transport_mut().server = server;
        Ok(view)
    }

    /// Opens a websocket for `page` and joins it.
    async fn join_page(
        base: String,
        page: crate::ws::Page,
        url: String,
        flash: Option<String>,
    ) -> Result<Self, Error> {
        Self::join_page_as(base, page, url, flash, 1).await
    }

    /// [`join_page`](Self::join_page) with join ref `join_ref`.
    async fn join_page_as(
        base: String,
        page: crate::ws::Page,
        url: String,
        flash: Option<String>,
        join_ref: u64,
    ) -> Result<Self, Error> {
        let framed = crate::ws::try_connect(&page).await?;
        let (sink, mut stream) = framed.split();
        let frames = Mailbox::<FrameEntry>::new();
        let log = frames.clone();
        let reader = actix_rt::spawn(async move {
            while let Some(Ok(frame)) = stream.next().await {
                match frame {
                    ws::Frame::Text(bytes) => {
                        let text = String::from_utf8_lossy(&bytes);
                        match InFrame::decode(&text) {
                            Ok(f) => log.record(FrameEntry::Out(f)),
                            Err(e) => panic!("the server sent a malformed frame: {e}\n{text}"),
                        }
                    }
                    ws::Frame::Close(_) => break,
                    _ => {}
                }
            }
        });
        let topic = format!("lv:{}", page.id);
        let mut payload = page.tokens().join_payload(&url);
        if let Some(token) = flash {
            payload["flash"] = Value::String(token);
        }
        let (dead_html, title) = (page.inner().to_owned(), page.title());
        let mut conn = Connection {
            sink,
            frames,
            topic: topic.clone(),
            base,
            join_ref,
            next_ref: join_ref + 1,
            last_sent: 0,
            reader,
            server: None,
            page: page.clone(),
            url: url.clone(),
        };
        let join = join_ref.to_string();
        conn.send_frame(InFrame {
            join_ref: Some(join.clone()),
            reference: Some(join.clone()),
            topic,
            event: "phx_join".to_owned(),
            payload,
        })
        .await;
        let reply = conn
            .reply_to(&join, "phx_join")
            .await
            .map_err(Error::Connect)?;
        let response = &reply["response"];
        if reply["status"] != "ok" {
            let to = response["redirect"]["to"]
                .as_str()
                .or_else(|| response["live_redirect"]["to"].as_str());
            return Err(match to {
                Some(to) => Error::Redirected { to: to.to_owned() },
                None => Error::Refused {
                    reason: response["reason"].as_str().unwrap_or("?").to_owned(),
                },
            });
        }
        let tree = ClientTree::from_value(&page.id, response["rendered"].clone())
            .map_err(|e| Error::Connect(format!("the join's rendered does not merge: {e}")))?;
        let mut navigations = Vec::new();
        if let Some(patch) = response.get("live_patch") {
            navigations.push(Navigation::Patch {
                to: nav_to(patch),
                replace: replace(patch),
            });
        }
        // Frames that came after the join reply (a push from an async task that was quick)
        // are still to apply.
        let after_join = (0..conn.frames.len())
            .rev()
            .find(|&i| {
                conn.frames.get(i).is_some_and(|e| {
                    matches!(e, FrameEntry::Out(f) if f.event == "phx_reply"
                        && f.reference.as_deref() == Some(join.as_str()))
                })
            })
            .map_or(conn.frames.len(), |i| i + 1);
        let mut client = Client::new(tree, after_join, url, navigations);
        if let Some(Navigation::Patch { to, .. }) = client.navigations.first() {
            client.uri = absolute_on(&conn.base, to);
        }
        Ok(Self::new(conn, dead_html, title, client))
    }

    /// Every frame sent and received on the websocket, decoded, in order (the join
    /// included); assert on it with [`assert_receive!`](crate::assert_receive) (frames the
    /// client sent) and [`assert_sent!`](crate::assert_sent) (frames the server sent).
    pub fn frames(&self) -> &Mailbox<FrameEntry> {
        &self.transport().frames
    }

    /// Starts declaring the frames expected from now on (see [`Expect`]).
    pub fn expect(&self) -> Expect<FrameEntry> {
        self.frames().expect()
    }

    /// The server this view's [`socket::connect`](connect) started, if it did.
    pub fn server(&self) -> Option<&TestServer> {
        self.transport().server.as_ref()
    }
}
