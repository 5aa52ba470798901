//! The raw websocket test client and the page scraper: the one place that knows how a client
//! reads a dead-rendered page and speaks Phoenix Channels V2 to the server, frame by frame.
//!
//! [`LiveViewTest`](crate::LiveViewTest) drives a view at the level of the DOM (click this
//! button, read that text). This module is one level down, for tests of the protocol itself,
//! of the transport's limits and of the server's answers to malformed input: fetch a page
//! ([`page`], [`fetch`]), read its tokens ([`PageTokens`]), open the websocket as a browser
//! would ([`connect`]), send any frame ([`send`], [`send_text`]) and read what comes back
//! ([`recv`], [`reply_to`], [`until_reply`], [`close_code`]). The load generator of
//! `liveview-bench` uses the same scraper and frame readers ([`PageTokens`], [`frame_ref`]).
//!
//! The helpers panic with a message naming what was expected, as assertions do; every wait is
//! bounded by [`TIMEOUT`]. The fallible forms ([`fetch`], [`try_connect`], [`connect_with`])
//! return why instead.
//!
//! ```
//! use liveview_test::socket::TestServer;
//! use liveview_test::ws;
//!
//! # actix::System::new().block_on(async {
//! let server = TestServer::live(example_counter::live_config());
//! let page = ws::page(server.addr(), "/").await;
//! let mut conn = ws::connect(&page).await;
//! ws::join_ok(&mut conn, &page, "1").await;
//! ws::send(&mut conn, ws::click(&page, "1", "2", "inc")).await;
//! let reply = ws::reply_to(&mut conn, "2").await;
//! assert_eq!(reply[4]["response"]["diff"]["0"], "1");
//! # });
//! ```

use std::borrow::Cow;
use std::net::SocketAddr;
use std::time::Duration;

use awc::http::header::HeaderMap;
use awc::ws;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};

use crate::error::Error;

/// How long a helper waits for a frame or a response before failing.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The protocol version the client speaks (the `vsn` query parameter).
pub const VSN: &str = "2.0.0";

/// The largest page body [`fetch`] reads.
const MAX_PAGE: usize = 16 * 1024 * 1024;

/// A client websocket: awc's framed connection.
pub type Conn = actix_codec::Framed<awc::BoxedSocket, ws::Codec>;

// ---------------------------------------------------------------------------------------------
// The page scraper.

/// What a client takes from a dead-rendered page to join its view: the CSRF `<meta>` and the
/// main container's id and tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTokens {
    /// `<meta name="csrf-token" content=…>`.
    pub csrf: String,
    /// The main container's id (the topic is `lv:<id>`).
    pub id: String,
    /// The container's `data-phx-session`.
    pub session: String,
    /// The container's `data-phx-static`.
    pub static_token: String,
}

impl PageTokens {
    /// Reads the tokens of the main view (the `data-phx-main` container) of `html`, without
    /// building a DOM (the load generator reads thousands of pages); `None` when one is missing.
    ///
    /// ```
    /// use liveview_test::ws::PageTokens;
    ///
    /// let html = r#"<meta name="csrf-token" content="c"><div id="phx-1" data-phx-main data-phx-session="S" data-phx-static="T"></div>"#;
    /// let tokens = PageTokens::parse(html).unwrap();
    /// assert_eq!((tokens.id.as_str(), tokens.topic().as_str()), ("phx-1", "lv:phx-1"));
    /// ```
    pub fn parse(html: &str) -> Option<Self> {
        Some(Self {
            csrf: tag_attr(html, "name=\"csrf-token\"", "content")?.into_owned(),
            id: tag_attr(html, "data-phx-main", "id")?.into_owned(),
            session: tag_attr(html, "data-phx-main", "data-phx-session")?.into_owned(),
            static_token: tag_attr(html, "data-phx-main", "data-phx-static")?.into_owned(),
        })
    }

    /// The channel topic of the view: `lv:<id>`.
    pub fn topic(&self) -> String {
        format!("lv:{}", self.id)
    }

    /// The `phx_join` payload the official client sends for this page at `url` (absolute).
    pub fn join_payload(&self, url: &str) -> Value {
        json!({
            "url": url,
            "params": {"_csrf_token": self.csrf, "_mounts": 0, "_mount_attempts": 0},
            "session": self.session,
            "static": self.static_token,
            "sticky": false,
        })
    }

    /// The `phx_join` frame, as text, with `join_ref` as its join ref and ref.
    pub fn join_frame(&self, url: &str, join_ref: &str) -> String {
        json!([
            join_ref,
            join_ref,
            self.topic(),
            "phx_join",
            self.join_payload(url)
        ])
        .to_string()
    }
}

/// The value of attribute `name` of the first tag that contains `marker` (an attribute such as
/// `data-phx-main`, or `name="csrf-token"`), with HTML's five escapes undone; `None` when there
/// is no such tag or it lacks the attribute. Text outside tags (a script that mentions
/// `[data-phx-main]`) is not taken for a tag.
///
/// ```
/// use liveview_test::ws::tag_attr;
///
/// let html = r#"<script>q("[data-phx-main]")</script><div id="a&amp;b" data-phx-main>"#;
/// assert_eq!(tag_attr(html, "data-phx-main", "id").as_deref(), Some("a&b"));
/// assert_eq!(tag_attr(html, "data-phx-main", "class"), None);
/// ```
pub fn tag_attr<'a>(html: &'a str, marker: &str, name: &str) -> Option<Cow<'a, str>> {
    let mut from = 0;
    while let Some(found) = html[from..].find(marker) {
        let at = from + found;
        from = at + marker.len();
        // Inside a tag: a `<` before the marker with no `>` between, and a `>` after it.
        let Some(open) = html[..at].rfind('<') else {
            continue;
        };
        if html[open..at].contains('>')
            || !html[open + 1..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            continue;
        }
        let close = html[at..].find('>')?;
        return attr_in_tag(&html[open..at + close], name);
    }
    None
}

/// The value of `name="…"` in one tag's text (`<div id="x" …`).
fn attr_in_tag<'a>(tag: &'a str, name: &str) -> Option<Cow<'a, str>> {
    let key = format!("{name}=\"");
    let mut from = 0;
    while let Some(found) = tag[from..].find(&key) {
        let at = from + found;
        from = at + key.len();
        if !tag[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let value = &tag[from..];
        let value = &value[..value.find('"')?];
        return Some(unescape(value));
    }
    None
}

/// Undoes the escapes an HTML serializer puts in attribute values.
fn unescape(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The `Cookie` header a browser would send back after a response with these headers: every
/// `Set-Cookie`'s `name=value`, joined by `; `.
pub fn cookies(headers: &HeaderMap) -> String {
    headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A dead-rendered page: where it came from, its HTML, its cookies and its tokens.
#[derive(Debug, Clone)]
pub struct Page {
    /// `http://host:port`, without a trailing slash.
    pub base: String,
    /// The path and query that was fetched.
    pub path: String,
    /// The response body.
    pub html: String,
    /// The `Cookie` header the client sends back (the CSRF cookie among them).
    pub cookie: String,
    /// `<meta name="csrf-token" content=…>`.
    pub csrf: String,
    /// The main container's id.
    pub id: String,
    /// The container's `data-phx-session`.
    pub session: String,
    /// The container's `data-phx-static`.
    pub static_token: String,
}

impl Page {
    /// A page fetched from `base` + `path` whose body is `html`; `None` when a token is
    /// missing.
    pub fn from_html(base: &str, path: &str, html: String, cookie: String) -> Option<Self> {
        let tokens = PageTokens::parse(&html)?;
        Some(Self {
            base: base.trim_end_matches('/').to_owned(),
            path: path.to_owned(),
            cookie,
            csrf: tokens.csrf,
            id: tokens.id,
            session: tokens.session,
            static_token: tokens.static_token,
            html,
        })
    }

    /// The page's tokens.
    pub fn tokens(&self) -> PageTokens {
        PageTokens {
            csrf: self.csrf.clone(),
            id: self.id.clone(),
            session: self.session.clone(),
            static_token: self.static_token.clone(),
        }
    }

    /// The channel topic of the view: `lv:<id>`.
    pub fn topic(&self) -> String {
        format!("lv:{}", self.id)
    }

    /// The absolute URL the client sends as the join's `url`.
    pub fn url(&self) -> String {
        format!("{}{}", self.base, self.path)
    }

    /// The server's socket address, read from [`Page::base`].
    ///
    /// # Panics
    ///
    /// When the base's host is not an IP address and port (`http://localhost:4000`).
    pub fn addr(&self) -> SocketAddr {
        let host = self.base.split_once("://").map_or(&*self.base, |(_, h)| h);
        host.parse()
            .unwrap_or_else(|e| panic!("`{}` is not http://<ip>:<port>: {e}", self.base))
    }

    /// The main container's inner HTML, byte for byte as the server sent it ("" when the page
    /// has no `data-phx-main` container or it is not closed).
    pub fn inner(&self) -> &str {
        inner_of(&self.html).unwrap_or_default()
    }

    /// The text of the page's `<title>`, if it has one.
    pub fn title(&self) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.html);
        let title = scraper::Selector::parse("title").ok()?;
        doc.select(&title).next().map(|t| t.text().collect())
    }
}

/// The inner HTML of the `data-phx-main` container: from the end of its start tag to its
/// matching end tag (same-named tags inside are counted).
fn inner_of(html: &str) -> Option<&str> {
    let mut from = 0;
    let (open, marker) = loop {
        let at = from + html[from..].find("data-phx-main")?;
        from = at + 1;
        let open = html[..at].rfind('<')?;
        if !html[open..at].contains('>') {
            break (open, at);
        }
    };
    let name_end = open + 1 + html[open + 1..].find(|c: char| !c.is_ascii_alphanumeric())?;
    let name = &html[open + 1..name_end];
    let start = marker + html[marker..].find('>')? + 1;
    let (opening, closing) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0_usize;
    let mut at = start;
    loop {
        let next_close = at + html[at..].find(&closing)?;
        let next_open = html[at..next_close]
            .match_indices(&opening)
            .map(|(i, _)| at + i)
            .find(|&i| {
                html[i + opening.len()..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>')
            });
        match next_open {
            Some(i) => {
                depth += 1;
                at = i + opening.len();
            }
            None if depth == 0 => return Some(&html[start..next_close]),
            None => {
                depth -= 1;
                at = next_close + closing.len();
            }
        }
    }
}

/// `GET url` (absolute) without following redirects: the page and its tokens, or why not
/// ([`Error::Redirected`] for a 3xx, [`Error::Status`] for anything else than 200,
/// [`Error::Connect`] when the request fails or a token is missing).
pub async fn fetch(url: &str) -> Result<Page, Error> {
    fetch_with_cookie(url, None).await
}

/// [`fetch`] sending a `Cookie` header (e.g. the flash cookie a `redirect` sets).
pub async fn fetch_with_cookie(url: &str, cookie: Option<&str>) -> Result<Page, Error> {
    let mut req = awc::Client::builder().disable_redirects().finish().get(url);
    if let Some(cookie) = cookie {
        req = req.insert_header(("cookie", cookie));
    }
    let mut res = req
        .send()
        .await
        .map_err(|e| Error::Connect(format!("GET {url}: {e}")))?;
    let body = res
        .body()
        .limit(MAX_PAGE)
        .await
        .map_err(|e| Error::Connect(format!("GET {url}: {e}")))?;
    let html = String::from_utf8_lossy(&body).into_owned();
    let status = res.status();
    if status.is_redirection() {
        let to = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        return Err(Error::Redirected { to: to.to_owned() });
    }
    if status.as_u16() != 200 {
        return Err(Error::Status {
            status: status.as_u16(),
            body: html,
        });
    }
    let (base, path) = split_url(url);
    Page::from_html(base, path, html, cookies(res.headers())).ok_or_else(|| {
        Error::Connect(format!(
            "the page at {url} has no `data-phx-main` container with an id, \
             `data-phx-session` and `data-phx-static`, or no csrf-token meta"
        ))
    })
}

/// `http://host:port/path?q` as (`http://host:port`, `/path?q`).
fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url.split_at(after_scheme + i),
        None => (url, "/"),
    }
}

/// `GET http://addr/path`: the dead render and its tokens.
///
/// # Panics
///
/// When the answer is not a `200` live page (use [`fetch`] to test that).
pub async fn page(addr: SocketAddr, path: &str) -> Page {
    let url = format!("http://{addr}{path}");
    match fetch(&url).await {
        Ok(page) => page,
        Err(Error::Status { status, body }) => panic!("GET {url} answered {status}: {body}"),
        Err(e) => panic!("GET {url}: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The websocket.

/// The query string of the websocket URL as the official client builds it (PROTOCOL.md §1.1),
/// for the page's `csrf` token.
pub fn socket_query(csrf: &str) -> String {
    let mut q = String::from("_csrf_token=");
    crate::dom::url_encode(csrf, &mut q);
    q.push_str("&_mounts=0&_mount_attempts=0&_live_referer=undefined&vsn=");
    q.push_str(VSN);
    q
}

/// `ws://host:port/live/websocket?…` for a page served from `base` (`http://host:port`).
pub fn socket_url(base: &str, csrf: &str) -> String {
    format!(
        "{}{}?{}",
        base.trim_end_matches('/').replacen("http", "ws", 1),
        liveview_http::WEBSOCKET_PATH,
        socket_query(csrf)
    )
}

/// Opens the websocket of `page` as a browser would: the page's CSRF token and cookies, the
/// extra parameters the official client adds, and the server's own `Origin`.
pub async fn try_connect(page: &Page) -> Result<Conn, Error> {
    let (_, conn) = awc::Client::new()
        .ws(socket_url(&page.base, &page.csrf))
        .origin(page.base.as_str())
        .header("cookie", page.cookie.as_str())
        .connect()
        .await
        .map_err(|e| Error::Connect(format!("websocket handshake: {e}")))?;
    Ok(conn)
}

/// [`try_connect`], failing the test when the handshake does.
pub async fn connect(page: &Page) -> Conn {
    try_connect(page)
        .await
        .unwrap_or_else(|e| panic!("connecting to {}: {e}", page.url()))
}

/// Opens `ws://addr/live/websocket?query` with the given `Origin` and `Cookie` (none when
/// `None`); `Err(status)` when the server refuses the upgrade.
///
/// # Panics
///
/// When the handshake fails for another reason than the server's status.
pub async fn connect_with(
    addr: SocketAddr,
    query: &str,
    origin: Option<&str>,
    cookie: Option<&str>,
) -> Result<Conn, u16> {
    let mut req = awc::Client::new().ws(format!(
        "ws://{addr}{}?{query}",
        liveview_http::WEBSOCKET_PATH
    ));
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

/// Sends one text frame.
pub async fn send_text(conn: &mut Conn, text: impl Into<String>) {
    let text: String = text.into();
    conn.send(ws::Message::Text(text.into()))
        .await
        .unwrap_or_else(|e| panic!("sending a frame: {e}"));
}

/// Sends one JSON frame.
pub async fn send(conn: &mut Conn, frame: Value) {
    send_text(conn, frame.to_string()).await;
}

/// The next frame from the server (pings and pongs skipped); `None` once the stream ends.
///
/// # Panics
///
/// When nothing arrives within [`TIMEOUT`].
pub async fn next_frame(conn: &mut Conn) -> Option<ws::Frame> {
    loop {
        let frame = actix_rt::time::timeout(TIMEOUT, conn.next())
            .await
            .unwrap_or_else(|_| panic!("no frame within {TIMEOUT:?}"))?
            .ok()?;
        match frame {
            ws::Frame::Ping(_) | ws::Frame::Pong(_) => {}
            other => return Some(other),
        }
    }
}

/// The next text frame, verbatim.
pub async fn recv_text(conn: &mut Conn) -> String {
    match next_frame(conn).await {
        Some(ws::Frame::Text(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

/// The next text frame, as JSON.
pub async fn recv(conn: &mut Conn) -> Value {
    let text = recv_text(conn).await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Frames until the reply to `reference`, which comes last.
pub async fn until_reply(conn: &mut Conn, reference: &str) -> Vec<Value> {
    let mut frames = Vec::new();
    loop {
        let frame = recv(conn).await;
        let done = is_reply_to(&frame, reference);
        frames.push(frame);
        if done {
            return frames;
        }
    }
}

fn is_reply_to(frame: &Value, reference: &str) -> bool {
    frame[3] == "phx_reply" && frame[1] == reference
}

/// The reply frame to `reference`, failing on any other frame before it.
pub async fn reply_to(conn: &mut Conn, reference: &str) -> Value {
    let frame = recv(conn).await;
    assert!(
        is_reply_to(&frame, reference),
        "expected the reply to {reference}, got {frame}"
    );
    frame
}

/// The payload (`{"status": …, "response": …}`) of the reply to `reference`, skipping the
/// pushes before it.
pub async fn reply_payload(conn: &mut Conn, reference: &str) -> Value {
    loop {
        let mut frame = recv(conn).await;
        if is_reply_to(&frame, reference) {
            return frame[4].take();
        }
    }
}

/// How the server ended the connection: the close code it sent, or `None` when the stream
/// ended without a close frame. Text frames before the close are skipped.
pub async fn close_code(conn: &mut Conn) -> Option<u16> {
    loop {
        match next_frame(conn).await {
            Some(ws::Frame::Close(reason)) => return reason.map(|r| u16::from(r.code)),
            Some(ws::Frame::Text(_) | ws::Frame::Binary(_) | ws::Frame::Continuation(_)) => {}
            Some(other) => panic!("unexpected frame {other:?}"),
            None => return None,
        }
    }
}

/// The `phx_join` frame the official client sends for `page`.
pub fn join_frame(page: &Page, join_ref: &str) -> Value {
    json!([
        join_ref,
        join_ref,
        page.topic(),
        "phx_join",
        page.tokens().join_payload(&page.url())
    ])
}

/// Joins `page` with `join_ref` and returns the reply frame (which must come first).
pub async fn join(conn: &mut Conn, page: &Page, join_ref: &str) -> Value {
    send(conn, join_frame(page, join_ref)).await;
    reply_to(conn, join_ref).await
}

/// Joins and checks that the reply is `ok`.
pub async fn join_ok(conn: &mut Conn, page: &Page, join_ref: &str) {
    let reply = join(conn, page, join_ref).await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
}

/// Joins `page`'s view claiming `url` (which need not be the page's) with join ref `1`, and
/// returns the reply payload.
pub async fn join_at(conn: &mut Conn, page: &Page, url: &str) -> Value {
    join_with(
        conn,
        &page.id,
        &page.session,
        Some(&page.static_token),
        json!({ "url": url }),
        &page.csrf,
    )
    .await
}

/// Joins topic `lv:<id>` with join ref `1` and any tokens: the payload holds `session`,
/// `static` (`null` when `None`), the CSRF `params`, and every key of `extra` (which win).
/// Returns the reply payload.
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
    reply_payload(conn, "1").await
}

/// A `phx-click` event frame for `event`, as the official client sends it for a button.
pub fn click(page: &Page, join_ref: &str, reference: &str, event: &str) -> Value {
    json!([join_ref, reference, page.topic(), "event",
        {"type": "click", "event": event, "value": {"value": ""}}])
}

/// Checks that a reply payload is an error with `reason`.
///
/// # Panics
///
/// When it is not.
pub fn assert_refused(reply: &Value, reason: &str) {
    assert_eq!(reply["status"], "error", "{reply}");
    assert_eq!(reply["response"]["reason"], reason, "{reply}");
}

// ---------------------------------------------------------------------------------------------
// Reading frames without a JSON parser (the load generator's clients must stay cheap).

/// The ref (second element) of a V2 frame's text when it is a decimal string; `None` for
/// `null` (a push) or anything else.
///
/// ```
/// use liveview_test::ws::frame_ref;
///
/// assert_eq!(frame_ref(r#"["1","42","lv:x","phx_reply",{"status":"ok"}]"#), Some(42));
/// assert_eq!(frame_ref(r#"["1",null,"lv:x","diff",{"0":"1"}]"#), None);
/// ```
pub fn frame_ref(text: &str) -> Option<u64> {
    let rest = text.strip_prefix('[')?;
    // Skip the join ref: `null` or a string without escapes.
    let rest = if let Some(r) = rest.strip_prefix("null") {
        r
    } else {
        let r = rest.strip_prefix('"')?;
        &r[r.find('"')? + 1..]
    };
    let rest = rest.strip_prefix(',')?.strip_prefix('"')?;
    rest[..rest.find('"')?].parse().ok()
}

/// True for the text of a server push (`ref` null) of event `event`.
pub fn is_push(text: &str, event: &str) -> bool {
    frame_ref(text).is_none() && text.contains(&format!(",\"{event}\","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_of_replies_and_pushes() {
        assert_eq!(
            frame_ref(r#"["1","42","lv:x","phx_reply",{"status":"ok"}]"#),
            Some(42)
        );
        assert_eq!(frame_ref(r#"[null,"7","phoenix","phx_reply",{}]"#), Some(7));
        assert_eq!(frame_ref(r#"["1",null,"lv:x","diff",{"0":"1"}]"#), None);
        assert!(is_push(r#"["1",null,"lv:x","diff",{"0":"1"}]"#, "diff"));
        assert!(!is_push(
            r#"["1","3","lv:x","phx_reply",{"diff":{}}]"#,
            "diff"
        ));
    }

    #[test]
    fn page_tokens_come_from_the_main_container_tag() {
        let html = r#"<head><meta name="csrf-token" content="abc"><script>q("[data-phx-main]")</script></head><body><div id="nav">x</div><div id="phx-Q" data-phx-main data-phx-session="S.1" data-phx-static="T.2">x</div></body>"#;
        let p = PageTokens::parse(html).expect("tokens");
        assert_eq!(
            p,
            PageTokens {
                csrf: "abc".into(),
                id: "phx-Q".into(),
                session: "S.1".into(),
                static_token: "T.2".into()
            }
        );
        let frame: Value = serde_json::from_str(&p.join_frame("http://h/", "1")).expect("json");
        assert_eq!(frame[2], "lv:phx-Q");
        assert_eq!(frame[3], "phx_join");
        assert_eq!(frame[4]["static"], "T.2");
        assert_eq!(PageTokens::parse("<div id=\"x\">"), None);
    }

    #[test]
    fn attributes_need_a_word_boundary_and_are_unescaped() {
        let html = r#"<div data-id="no" id="a&quot;b" data-phx-main>"#;
        assert_eq!(
            tag_attr(html, "data-phx-main", "id").as_deref(),
            Some("a\"b")
        );
        assert_eq!(tag_attr("<div data-phx-main", "data-phx-main", "id"), None);
    }

    #[test]
    fn the_inner_html_is_the_containers_bytes() {
        let html = r#"<body><div id="phx-1" data-phx-main><div class="a"><p>x</p></div><div>y</div></div></body>"#;
        assert_eq!(
            inner_of(html),
            Some(r#"<div class="a"><p>x</p></div><div>y</div>"#)
        );
        assert_eq!(inner_of("<div data-phx-main><div>"), None);
    }

    #[test]
    fn urls_split_into_base_and_path() {
        assert_eq!(
            split_url("http://1.2.3.4:5/a?b"),
            ("http://1.2.3.4:5", "/a?b")
        );
        assert_eq!(split_url("http://1.2.3.4:5"), ("http://1.2.3.4:5", "/"));
    }
}
