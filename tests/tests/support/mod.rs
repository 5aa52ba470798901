//! Shared fixtures of the runtime tests: the `Lab` view (counts, ticks, and panics on demand),
//! long-lived servers on 127.0.0.1, the websocket client of `liveview_test::ws` (re-exported),
//! raw sockets, and the serial lock that keeps the process-wide view and session counts meaningful.
#![allow(dead_code, unreachable_pub, missing_docs, unused_imports)]

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, Once, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use actix_codec::AsyncWrite;
use actix_http::ws::{OpCode, Parser};
use actix_web::web::BytesMut;
use actix_web::{App, HttpServer};
use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{
    live_session_count, live_view_count, Assigns, Info, LiveView, Params, Session, SessionConfig,
    Socket, ViewError,
};
use serde_json::{json, Value};

/// How long a test waits for any one condition before failing.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Every panic a fixture raises on purpose carries this text; the panic hook keeps it quiet.
pub const DELIBERATE: &str = "deliberate test panic";

pub const SECRET: &str = "integration tests: a secret of at least 32 bytes";

/// What `Lab`'s timers and other actors send it.
#[derive(Debug)]
pub enum LabInfo {
    /// Count one up (a push from `handle_info`).
    Tick,
    /// Panic in `handle_info`.
    Panic,
}

/// A counter that can also tick later, and panic in each callback on demand.
///
/// - `inc`: count one up (reply with a diff); `noop`: change nothing (reply `{}`);
/// - `tick_later`: nothing now, `handle_info(Tick)` counts up at once (a pushed diff);
/// - `inc_and_tick_now`: count up, and send itself `Tick` (queued right behind the event, as a
///   broadcast from another actor can be);
/// - `boom`, `boom_info`, `boom_render`: panic in `handle_event`, `handle_info`, `render`;
/// - `?crash=mount` in the URL: panic in the connected mount;
/// - anything else: [`ViewError::unknown_event`].
#[derive(Debug, Default)]
pub struct Lab;

impl LiveView for Lab {
    type Info = LabInfo;
    type Event = ();

    fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        if s.connected() && p.get("crash") == Some("mount") {
            panic!("{DELIBERATE}: mount");
        }
        s.assign("count", 0_i64);
        s.assign("explode", false);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        s: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "inc" => {
                s.update("count", |n: &mut i64| *n += 1);
            }
            "noop" => {}
            "tick_later" => {
                s.send_after(Duration::ZERO, LabInfo::Tick);
            }
            "inc_and_tick_now" => {
                s.update("count", |n: &mut i64| *n += 1);
                let me = s.recipient().expect("connected");
                me.do_send(Info(LabInfo::Tick));
            }
            "boom" => panic!("{DELIBERATE}: handle_event"),
            "boom_info" => {
                s.send_after(Duration::ZERO, LabInfo::Panic);
            }
            "boom_render" => {
                s.assign("explode", true);
            }
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn handle_info(&mut self, msg: LabInfo, s: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            LabInfo::Tick => s.update("count", |n: &mut i64| *n += 1),
            LabInfo::Panic => panic!("{DELIBERATE}: handle_info"),
        };
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let explode: bool = a.get("explode");
        if explode {
            panic!("{DELIBERATE}: render");
        }
        let count: i64 = a.get("count");
        html! {
            p #count { (count) }
            button phx-click="inc" { "+" }
        }
    }
}

/// `Lab`'s full render with `count` = 0, as the join reply and a restart carry it.
pub fn lab_full_render() -> Value {
    json!({"0": "0", "s": ["<p id=\"count\">", "</p><button phx-click=\"inc\">+</button>"]})
}

/// The app every server runs: `Lab` at `/lab` (and `/lab?crash=mount`), with `config` but no
/// grace period for dropped sockets (see [`no_grace`]).
pub fn lab_app(config: SessionConfig) -> LiveConfig {
    LiveConfig::new(SECRET)
        .live::<Lab>("/lab")
        .session_config(SessionConfig {
            reconnect_grace: Duration::ZERO,
            ..config
        })
}

/// The default limits, except that the views of a socket that drops stop at once instead of
/// waiting [`SessionConfig::reconnect_grace`] for a rejoin: these tests count views right
/// after dropping sockets, and [`serial`] waits for none to be left. `reattach.rs` tests the
/// grace period itself.
pub fn no_grace() -> SessionConfig {
    SessionConfig {
        reconnect_grace: Duration::ZERO,
        ..SessionConfig::default()
    }
}

/// The server with default limits, started once per test binary.
pub fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| start(lab_app(SessionConfig::default())))
}

/// A server whose sockets time out after [`SHORT_IDLE`] without a frame.
pub fn idle_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start(lab_app(SessionConfig {
            idle_timeout: SHORT_IDLE,
            ..SessionConfig::default()
        }))
    })
}

pub const SHORT_IDLE: Duration = Duration::from_millis(300);

/// A server that accepts frames of at most [`SMALL_FRAME`] bytes.
pub fn small_frame_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start(lab_app(SessionConfig {
            max_frame_bytes: SMALL_FRAME,
            ..SessionConfig::default()
        }))
    })
}

pub const SMALL_FRAME: usize = 1024;

/// Starts `live` on its own thread and actix system, for the rest of the process, so that
/// every socket a test leaves behind is closed by the client and shut down gracefully.
fn start(live: LiveConfig) -> SocketAddr {
    start_with_workers(live, 1)
}

/// [`start`] with `workers` worker threads, where sessions, views and brokers of one app run
/// on different threads, as in a release server.
pub fn start_with_workers(live: LiveConfig, workers: usize) -> SocketAddr {
    start_configured(live, workers, liveview_session::SEND_TIMEOUT)
}

/// [`start_with_workers`] whose connections time out after `send_timeout` when the client
/// does not take what the server sends (see `liveview_session::on_connect_with`).
pub fn start_configured(live: LiveConfig, workers: usize, send_timeout: Duration) -> SocketAddr {
    // These tests open hundreds of sockets from 127.0.0.1, some faster than closed ones end;
    // the per-client cap has its own tests (liveview-http's `hardening`).
    serve(
        live.max_sockets_per_client(usize::MAX),
        workers,
        Some(send_timeout),
    )
}

/// [`start`] without `on_connect`: actix-web's own socket options (Nagle's algorithm on), to
/// measure what `liveview_session::on_connect` changes.
pub fn start_without_on_connect(live: LiveConfig) -> SocketAddr {
    serve(live, 1, None)
}

/// Runs `live` on its own thread and actix system, with `on_connect` when `send_timeout` is
/// given.
fn serve(live: LiveConfig, workers: usize, send_timeout: Option<Duration>) -> SocketAddr {
    let listener = listener();
    let addr = listener.local_addr().expect("local address");
    let on_connect = send_timeout.map(liveview_session::on_connect_with);
    std::thread::spawn(move || {
        actix_rt::System::new().block_on(async move {
            HttpServer::new(move || App::new().configure(liveview_http::config(live.clone())))
                .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
                .on_connect(move |conn, ext| {
                    if let Some(f) = &on_connect {
                        f(conn, ext);
                    }
                })
                .workers(workers)
                .disable_signals()
                .listen(listener)
                .expect("listen")
                .run()
                .await
        })
    });
    addr
}

/// A listener on 127.0.0.1 below 32768, outside Linux's ephemeral range (32768-60999), so the
/// thousands of client connections of the cycle test never compete with the server's port.
/// The OS decides which port is free: the first that binds is taken.
fn listener() -> TcpListener {
    let seed = u64::from(std::process::id())
        ^ SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::from(d.subsec_nanos()));
    for i in 0..2_000_u64 {
        let port = 10_000 + (seed.wrapping_add(i.wrapping_mul(7_919)) % 22_768);
        let port = u16::try_from(port).expect("below 32768");
        if let Ok(l) = TcpListener::bind(("127.0.0.1", port)) {
            return l;
        }
    }
    panic!("no free port on 127.0.0.1 below 32768");
}

// ---------------------------------------------------------------------------------------------
// Serial execution and the process-wide counts.

static SERIAL: Mutex<()> = Mutex::new(());
static UNEXPECTED_PANICS: AtomicUsize = AtomicUsize::new(0);

/// Holds the test binary's serial lock: `live_view_count()` and `live_session_count()` are
/// process-wide, so tests that read them must not overlap with tests that change them.
#[derive(Debug)]
pub struct Serial {
    _guard: MutexGuard<'static, ()>,
}

/// Takes the serial lock and waits until the sockets of earlier tests are gone (no view and no
/// session alive). Installs the panic hook that silences [`DELIBERATE`] panics.
pub async fn serial() -> Serial {
    install_panic_hook();
    // A blocking lock on purpose: each test runs on its own thread and runtime, so waiting
    // here blocks only this test, until the one holding the lock ends (a panic poisons the
    // lock; the next test goes on).
    let serial = Serial {
        _guard: SERIAL.lock().unwrap_or_else(PoisonError::into_inner),
    };
    wait_for("earlier tests' views and sessions to stop", || {
        live_view_count() == 0 && live_session_count() == 0
    })
    .await;
    serial
}

/// Panics that were not [`DELIBERATE`] so far (e.g. inside the server).
pub fn unexpected_panics() -> usize {
    UNEXPECTED_PANICS.load(Ordering::SeqCst)
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let text = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or_default();
            if text.contains(DELIBERATE) {
                return;
            }
            UNEXPECTED_PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
}

/// Polls `cond` until it holds; fails after [`TIMEOUT`].
pub async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        actix_rt::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Waits until `live_view_count()` is `n`.
pub async fn views_settle_at(n: usize) {
    let start = Instant::now();
    while live_view_count() != n {
        assert!(
            start.elapsed() < TIMEOUT,
            "live_view_count() is {}, expected {n}",
            live_view_count()
        );
        actix_rt::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Waits until `live_session_count()` is `n`.
pub async fn sessions_settle_at(n: usize) {
    let start = Instant::now();
    while live_session_count() != n {
        assert!(
            start.elapsed() < TIMEOUT,
            "live_session_count() is {}, expected {n}",
            live_session_count()
        );
        actix_rt::time::sleep(Duration::from_millis(2)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// The websocket client: `liveview_test::ws`, plus raw frames its codec cannot encode.

pub use liveview_test::ws::{
    click, close_code, connect, join, join_frame, join_ok, next_frame, page, recv, recv_text,
    reply_to, send, send_text, until_reply, Conn, Page,
};

/// Writes bytes to the socket as they are, bypassing the codec (for frames it cannot encode).
pub async fn send_raw(conn: &mut Conn, bytes: &[u8]) {
    let io = conn.io_mut();
    let mut written = 0;
    while written < bytes.len() {
        let n = futures_util::future::poll_fn(|cx| {
            std::pin::Pin::new(&mut *io).poll_write(cx, &bytes[written..])
        })
        .await
        .expect("raw write");
        assert!(n > 0, "socket closed while writing");
        written += n;
    }
    futures_util::future::poll_fn(|cx| std::pin::Pin::new(&mut *io).poll_flush(cx))
        .await
        .expect("raw flush");
}

/// One client frame (masked, as a client must) with any opcode, FIN bit and payload.
pub fn raw_frame(op: OpCode, fin: bool, payload: &[u8]) -> Vec<u8> {
    let mut buf = BytesMut::new();
    Parser::write_message(&mut buf, payload, op, fin, true);
    buf.to_vec()
}

/// A page of `Lab` joined on a fresh socket.
pub async fn joined_lab(addr: SocketAddr) -> (Page, Conn) {
    let page = page(addr, "/lab").await;
    let mut conn = connect(&page).await;
    join_ok(&mut conn, &page, "1").await;
    (page, conn)
}

/// Clicks `inc` and checks the reply is the diff `{"0": expected}`.
pub async fn assert_click_counts(conn: &mut Conn, page: &Page, join_ref: &str, expected: i64) {
    send(conn, click(page, join_ref, "99", "inc")).await;
    let reply = reply_to(conn, "99").await;
    assert_eq!(
        reply,
        json!([join_ref, "99", page.topic(), "phx_reply",
            {"status": "ok", "response": {"diff": {"0": expected.to_string()}}}])
    );
}

// ---------------------------------------------------------------------------------------------
// Servers of other apps, raw sockets, and the process's memory (issue 9 items 3, 5, 6).

/// Starts any app for the rest of the process (see [`lab_app`] for the usual one).
pub fn start_app(live: LiveConfig) -> SocketAddr {
    start(live)
}

/// The `GET /live/websocket` upgrade request a browser sends for `page`, byte for byte, with
/// `origin` as its `Origin` header (none when `None`).
pub fn upgrade_request(page: &Page, origin: Option<&str>) -> String {
    let addr = page.addr();
    let origin = origin.map_or_else(String::new, |o| format!("Origin: {o}\r\n"));
    format!(
        "GET /live/websocket?{} HTTP/1.1\r\n\
         Host: {addr}\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n\
         {origin}\
         Cookie: {}\r\n\r\n",
        liveview_test::ws::socket_query(&page.csrf),
        page.cookie
    )
}

/// A blocking TCP connection to `addr` (connect and I/O time out after [`TIMEOUT`]).
/// `recv_buffer` sets `SO_RCVBUF` before connecting, which also turns off the kernel's
/// receive-buffer autotuning, so a client that does not read fills it quickly.
pub fn tcp(addr: SocketAddr, recv_buffer: Option<usize>) -> std::net::TcpStream {
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    if let Some(size) = recv_buffer {
        socket.set_recv_buffer_size(size).expect("SO_RCVBUF");
    }
    socket
        .connect_timeout(&addr.into(), TIMEOUT)
        .expect("connect");
    let stream: std::net::TcpStream = socket.into();
    stream
        .set_read_timeout(Some(TIMEOUT))
        .expect("read timeout");
    stream
        .set_write_timeout(Some(TIMEOUT))
        .expect("write timeout");
    stream.set_nodelay(true).expect("nodelay");
    stream
}

/// Reads the HTTP response head (up to the blank line) and returns its status code.
/// Bytes after the head stay unread in the socket only if the server sent none yet; the
/// returned `Vec` holds whatever came along with the head.
pub fn read_response_head(stream: &mut std::net::TcpStream) -> (u16, Vec<u8>) {
    use std::io::Read as _;
    let mut buf = Vec::new();
    let mut chunk = [0_u8; 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let status = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("no status in {head}"));
            return (status, buf[end + 4..].to_vec());
        }
        let n = stream.read(&mut chunk).expect("read the response head");
        assert!(n > 0, "connection closed before the response head");
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// A raw websocket: TCP connected, upgrade request sent and `101` read, nothing else.
pub fn raw_websocket(page: &Page, recv_buffer: Option<usize>) -> std::net::TcpStream {
    use std::io::Write as _;
    let mut stream = tcp(page.addr(), recv_buffer);
    let origin = page.base.clone();
    stream
        .write_all(upgrade_request(page, Some(&origin)).as_bytes())
        .expect("write the upgrade request");
    let (status, _) = read_response_head(&mut stream);
    assert_eq!(status, 101, "upgrade refused");
    stream
}

/// Writes one masked text frame to a raw websocket.
pub fn raw_send(stream: &mut std::net::TcpStream, frame: &Value) {
    use std::io::Write as _;
    let bytes = raw_frame(OpCode::Text, true, frame.to_string().as_bytes());
    stream.write_all(&bytes).expect("write a frame");
}

/// Reads until the server closes the connection (EOF or reset); fails after [`TIMEOUT`].
pub fn read_to_close(stream: &mut std::net::TcpStream) {
    use std::io::Read as _;
    let start = Instant::now();
    let mut chunk = [0_u8; 16 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
            Err(e) => panic!("the server did not close the connection: {e}"),
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "the server kept the connection open"
        );
    }
}

/// A masked client Close frame with `code` and no reason.
pub fn raw_close(code: u16) -> Vec<u8> {
    raw_frame(OpCode::Close, true, &code.to_be_bytes())
}

/// The next frame the server sent on a raw websocket as `(opcode, payload)`, or `None` once the
/// server has closed the connection (EOF, or a reset). `buf` keeps the bytes read past the
/// frame for the next call. Fails after [`TIMEOUT`].
pub fn raw_next_frame(
    stream: &mut std::net::TcpStream,
    buf: &mut BytesMut,
) -> Option<(OpCode, Vec<u8>)> {
    use std::io::Read as _;
    let start = Instant::now();
    let mut chunk = [0_u8; 16 * 1024];
    loop {
        if let Some((_, op, payload)) = Parser::parse(buf, false, 1 << 20).expect("a frame") {
            return Some((op, payload.map(|p| p.to_vec()).unwrap_or_default()));
        }
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the server did not close the connection: {e}"),
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "the server kept the connection open"
        );
    }
    assert!(buf.is_empty(), "the connection closed inside a frame");
    None
}

/// Closes a TCP connection with a reset (`SO_LINGER` 0) instead of a FIN.
pub fn reset(stream: std::net::TcpStream) {
    let socket = socket2::Socket::from(stream);
    socket
        .set_linger(Some(Duration::ZERO))
        .expect("SO_LINGER 0");
    drop(socket);
}

/// This process's resident set size (`VmRSS` in `/proc/self/status`), in KiB. The servers of
/// these tests run in the test process, so this is the server's memory (plus the client's).
pub fn vm_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}
