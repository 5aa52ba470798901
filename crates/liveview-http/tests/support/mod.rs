//! Fixture views, a real server on 127.0.0.1, and a small websocket client for the tests.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::net::SocketAddr;
use std::time::Duration;

use actix_web::{App, HttpServer};
use awc::ws;
use futures_util::{SinkExt as _, StreamExt as _};
use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
use serde_json::{json, Value};

/// How long a test waits for a frame before failing.
pub const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub struct Counter;

impl LiveView for Counter {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("count", 0_i64);
        s.page_title("Count: 0");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        s: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "inc" => s.update("count", |n: &mut i64| *n += 1),
            "dec" => s.update("count", |n: &mut i64| *n -= 1),
            other => return Err(ViewError::unknown_event(other)),
        };
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let count: i64 = a.get("count");
        html! {
            h1 { "Count: " span #count { (count) } }
            button #inc phx-click="inc" { "+" }
        }
    }
}

/// Shows its path and query parameters and the session's user.
#[derive(Debug, Default)]
pub struct Item;

impl LiveView for Item {
    type Info = ();
    type Event = ();

    fn mount(&mut self, p: &Params, s: &Session, so: &mut Socket<Self>) -> Result<(), ViewError> {
        so.assign("id", p.get("id").unwrap_or("?").to_owned());
        so.assign("q", p.get("q").unwrap_or("").to_owned());
        so.assign("user", s.get::<String>("user").unwrap_or_default());
        let connected = so.connected();
        so.assign("connected", connected);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let id: String = a.get("id");
        let q: String = a.get("q");
        let user: String = a.get("user");
        html! {
            p #id { (id) } p #q { (q) } p #user { (user) }
            @if q == "<b>" { i { "escaped" } }
        }
    }
}

#[derive(Debug, Default)]
pub struct Broken;

impl LiveView for Broken {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Err(ViewError::other("database is down"))
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { "never" }
    }
}

#[derive(Debug, Default)]
pub struct GoAway;

impl LiveView for GoAway {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.redirect("/login");
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { "never" }
    }
}

/// The fixture app's routes on a configuration.
pub fn routes(live: LiveConfig) -> LiveConfig {
    live.live::<Counter>("/")
        .live::<Item>("/items/{id}")
        .live::<Broken>("/broken")
        .live::<GoAway>("/away")
        .live_session("admin", |s| s.live::<Counter>("/admin/counter"))
        .session(|req| {
            let mut session = Session::new();
            if let Some(user) = req.headers().get("x-user").and_then(|v| v.to_str().ok()) {
                session.insert("user", user);
            }
            session
        })
}

pub const SECRET: &str = "test secret: at least thirty-two bytes long";
pub const OTHER_SECRET: &str = "another secret, also thirty-two bytes long";

/// Starts `live` on 127.0.0.1 with an OS-assigned port.
pub fn serve(live: LiveConfig) -> SocketAddr {
    let server = HttpServer::new(move || App::new().configure(liveview_http::config(live.clone())))
        .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
        .on_connect(liveview_session::on_connect)
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("bind 127.0.0.1:0");
    let addr = server.addrs()[0];
    actix_rt::spawn(server.run());
    addr
}

/// A dead-rendered page and what the client takes from it.
#[derive(Debug)]
pub struct Page {
    pub html: String,
    pub cookie: String,
    pub csrf: String,
    pub id: String,
    pub session: String,
    pub static_token: String,
}

impl Page {
    /// The container's inner HTML.
    pub fn inner(&self) -> &str {
        let start = self.html.find("data-phx-main").expect("container");
        let open_end = start + self.html[start..].find('>').expect("tag end") + 1;
        let close = self.html.rfind("</div></body>").expect("container end");
        &self.html[open_end..close]
    }
}

/// The value of the first `name="…"` attribute after `after`.
pub fn attr(html: &str, after: &str, name: &str) -> String {
    let from = html
        .find(after)
        .unwrap_or_else(|| panic!("no `{after}` in {html}"));
    let rest = &html[from..];
    let key = format!("{name}=\"");
    let at = rest
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {rest}"))
        + key.len();
    let end = rest[at..].find('"').expect("closing quote");
    rest[at..at + end].to_owned()
}

/// One response header as a string ("" when missing).
pub fn header(headers: &awc::http::header::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub async fn get(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, awc::http::header::HeaderMap, String) {
    let mut req = awc::Client::builder()
        .disable_redirects()
        .finish()
        .get(format!("http://{addr}{path}"));
    for (k, v) in headers {
        req = req.insert_header((*k, *v));
    }
    let mut res = req.send().await.expect("GET");
    let body = res.body().await.expect("body");
    (
        res.status().as_u16(),
        res.headers().clone(),
        String::from_utf8(body.to_vec()).expect("utf-8"),
    )
}

pub async fn page(addr: SocketAddr, path: &str) -> Page {
    let (status, headers, html) = get(addr, path, &[]).await;
    assert_eq!(status, 200, "{html}");
    let cookie = headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("_liveview_csrf="))
        .expect("csrf cookie")
        .split(';')
        .next()
        .expect("name=value")
        .to_owned();
    Page {
        csrf: attr(&html, "name=\"csrf-token\"", "content"),
        id: attr(&html, "<div id=", "id"),
        session: attr(&html, "data-phx-main", "data-phx-session"),
        static_token: attr(&html, "data-phx-main", "data-phx-static"),
        cookie,
        html,
    }
}

pub type Conn = actix_codec::Framed<awc::BoxedSocket, ws::Codec>;

/// Opens the websocket as a browser would, with an Origin of the server itself.
pub async fn connect(addr: SocketAddr, page: &Page) -> Conn {
    let query = format!(
        "_csrf_token={}&_mounts=0&_mount_attempts=0&_live_referer=undefined&vsn=2.0.0",
        page.csrf
    );
    connect_with(
        addr,
        &query,
        Some(&format!("http://{addr}")),
        Some(&page.cookie),
    )
    .await
    .expect("websocket handshake")
}

pub async fn connect_with(
    addr: SocketAddr,
    query: &str,
    origin: Option<&str>,
    cookie: Option<&str>,
) -> Result<Conn, u16> {
    let mut req = awc::Client::new().ws(format!("ws://{addr}/live/websocket?{query}"));
    if let Some(o) = origin {
        req = req.origin(o);
    }
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    match req.connect().await {
        Ok((_, framed)) => Ok(framed),
        Err(awc::error::WsClientError::InvalidResponseStatus(s)) => Err(s.as_u16()),
        Err(e) => panic!("websocket handshake failed: {e}"),
    }
}

pub async fn send(conn: &mut Conn, frame: Value) {
    conn.send(ws::Message::Text(frame.to_string().into()))
        .await
        .expect("send frame");
}

/// The next text frame, as JSON; fails after [`TIMEOUT`].
pub async fn recv(conn: &mut Conn) -> Value {
    loop {
        let frame = actix_rt::time::timeout(TIMEOUT, conn.next())
            .await
            .expect("a frame within the timeout")
            .expect("socket open")
            .expect("valid frame");
        match frame {
            ws::Frame::Text(bytes) => return serde_json::from_slice(&bytes).expect("JSON frame"),
            ws::Frame::Ping(_) | ws::Frame::Pong(_) => {}
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

/// The reply to `reference`, skipping pushes.
pub async fn reply_to(conn: &mut Conn, reference: &str) -> Value {
    loop {
        let frame = recv(conn).await;
        if frame[3] == "phx_reply" && frame[1] == reference {
            return frame[4].clone();
        }
    }
}

/// Sends `phx_join` for `page` with `url` and returns the reply payload.
pub async fn join(conn: &mut Conn, page: &Page, url: &str) -> Value {
    join_with(
        conn,
        &page.id,
        &page.session,
        Some(&page.static_token),
        json!({"url": url}),
        &page.csrf,
    )
    .await
}

pub async fn join_with(
    conn: &mut Conn,
    id: &str,
    session: &str,
    static_token: Option<&str>,
    extra: Value,
    csrf: &str,
) -> Value {
    let mut payload = json!({
        "params": {"_csrf_token": csrf, "_mounts": 0, "_mount_attempts": 0},
        "session": session,
        "static": static_token,
        "sticky": false,
    });
    if let (Some(p), Value::Object(extra)) = (payload.as_object_mut(), extra) {
        p.extend(extra);
    }
    send(
        conn,
        json!(["1", "1", format!("lv:{id}"), "phx_join", payload]),
    )
    .await;
    reply_to(conn, "1").await
}

pub fn assert_refused(reply: &Value, reason: &str) {
    assert_eq!(reply["status"], "error", "{reply}");
    assert_eq!(reply["response"]["reason"], reason, "{reply}");
}

/// A body for a LiveConfig with the fixture routes and `secret`.
pub fn app(secret: &str) -> LiveConfig {
    routes(LiveConfig::new(secret))
}
