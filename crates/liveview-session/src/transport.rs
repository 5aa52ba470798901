//! All websocket I/O: the upgrade, reading and writing text frames (their format is the
//! `protocol` module's), and closing. The only file that touches actix-web-actors, so that
//! a move to `actix-ws` changes nothing else.
//!
//! # Closing
//!
//! Either side may start the closing handshake (RFC 6455 §7.1). A Close frame from the client is
//! echoed with its code and the session stops; the server closes with [`close`] (1001 idle,
//! 1002 protocol error, 1003 binary or fragmented frame, 1007 malformed frame, 1009 frame too
//! large), which sends the Close frame and stops the session at once. Either way the actor's
//! stop ends the `101` response's body, and actix-http's h1 dispatcher then ends the TCP
//! connection: at once only when the server runs with [`CLIENT_DISCONNECT_TIMEOUT`] (zero).
//! With actix-web's default (1 s) the dispatcher lingers first, because the upgraded request's payload (the client's frames) never reaches its end:
//! it reads and discards until the client closes or the timeout passes, and a browser, which
//! waits for the server to close, reports the socket's `close` event up to 1 s late. Nothing
//! in the handler can end the linger (the payload of an upgrade is never drainable, whether it
//! is kept or dropped); actix-ws ends its response the same way.

use std::time::Duration;

use actix::{ActorContext, StreamHandler};
use actix_web::{web, HttpRequest, HttpResponse};
use actix_web_actors::ws::{self, CloseCode, CloseReason};

use crate::session::SessionActor;

/// The `HttpServer::client_disconnect_timeout` a LiveView server runs with: zero, so that the
/// TCP connection closes as soon as a websocket's closing handshake is done, as Phoenix closes
/// it. A browser reports the socket's `close` event only then, and the official client waits for
/// that event before it falls back to HTTP navigation between live sessions.
///
/// actix-http (3.13 and later) keeps a connection open after a response whose request payload
/// is unread, for up to this timeout (actix-web's default is 1 s), reading and discarding until
/// the client closes first. An upgraded websocket's payload is never read to its end, so every
/// websocket lingers so after its close, whatever the handler does with it. The setting is
/// server-wide: with zero, a connection also closes at once after an early response to a
/// request whose body is still arriving (a `413`, say), as actix-http did before 3.13.
///
/// ```no_run
/// use actix_web::{App, HttpServer};
///
/// # async fn run() -> std::io::Result<()> {
/// HttpServer::new(App::new)
///     .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
///     .bind(("127.0.0.1", 4000))?
///     .run()
///     .await
/// # }
/// ```
pub const CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::ZERO;

/// How long the server's data may stay unacknowledged, or a client's receive window stay
/// closed, before the kernel drops the connection (`TCP_USER_TIMEOUT`, set by [`on_connect`]):
/// 30 s.
///
/// A client that stops reading (a frozen tab, a hostile script) never lets its socket drain: the
/// server's frames pile up in the kernel's send queue (megabytes per socket, invisible in
/// `VmRSS`), and nothing in the server runs to notice, because actix stops polling a response
/// whose connection cannot take more bytes. The kernel does notice, and with this option it
/// resets such a connection after the timeout (Linux 5.11 and later count a closed window
/// too); the session and its views then stop as after any disconnect.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Sets up each connection a LiveView server accepts: `TCP_NODELAY` (Nagle's algorithm would
/// hold a frame written right after another, a push after a reply, for the browser's delayed
/// ACK, about 40 ms; Phoenix's server sets it too), and on Linux [`SEND_TIMEOUT`] as
/// `TCP_USER_TIMEOUT`. Pass it to `HttpServer::on_connect`, next to
/// [`CLIENT_DISCONNECT_TIMEOUT`]:
///
/// ```no_run
/// use actix_web::{App, HttpServer};
///
/// # async fn run() -> std::io::Result<()> {
/// HttpServer::new(App::new)
///     .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
///     .on_connect(liveview_session::on_connect)
///     .bind(("127.0.0.1", 4000))?
///     .run()
///     .await
/// # }
/// ```
pub fn on_connect(conn: &dyn std::any::Any, ext: &mut actix_web::dev::Extensions) {
    on_connect_with(SEND_TIMEOUT)(conn, ext);
}

/// [`on_connect`] with another send timeout (`Duration::ZERO` leaves the kernel's default,
/// which waits for a closed window forever).
pub fn on_connect_with(
    send_timeout: Duration,
) -> impl Fn(&dyn std::any::Any, &mut actix_web::dev::Extensions) + Clone + Send + Sync + 'static {
    move |conn, _| {
        let Some(tcp) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() else {
            return;
        };
        if let Err(e) = tcp.set_nodelay(true) {
            log::debug!("TCP_NODELAY: {e}");
        }
        #[cfg(target_os = "linux")]
        if !send_timeout.is_zero() {
            if let Err(e) = socket2::SockRef::from(tcp).set_tcp_user_timeout(Some(send_timeout)) {
                log::debug!("TCP_USER_TIMEOUT: {e}");
            }
        }
    }
}

/// Upgrades `req` to a websocket served by `actor`, with its configured frame size limit.
pub fn start_websocket(
    actor: SessionActor,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let max = actor.config().max_frame_bytes;
    ws::WsResponseBuilder::new(actor, req, CleanEnd::new(payload))
        .frame_size(max)
        .start()
}

/// Closes the socket with `code` and a reason, and stops the session.
/// The reason of the Close frame phoenix.js and our client send when a heartbeat went
/// unanswered: the network is in trouble, and they will reconnect.
const HEARTBEAT_TIMEOUT: &str = "heartbeat timeout";

/// The upgraded request's payload, with the peer's orderly end of the connection (a FIN)
/// reported as the end of the stream instead of an error.
///
/// actix-http reports that end as `PayloadError::Incomplete(None)` (an upgrade's payload never
/// completes), and the websocket stream of actix-web-actors returns an error at once, dropping
/// the frames it has buffered. A browser leaving a page sends its Close frame and its FIN
/// together, so the Close frame was lost, and a page that left looked like a connection that
/// broke. As the end of the stream, the buffered frames are decoded first: a Close frame says
/// the client left (its views stop at once), a FIN without one says the connection went (they
/// wait for a rejoin, see `linger.rs`). A reset stays an error (a connection that broke).
struct CleanEnd {
    payload: web::Payload,
    ended: bool,
}

impl CleanEnd {
    fn new(payload: web::Payload) -> Self {
        Self {
            payload,
            ended: false,
        }
    }
}

impl futures_core::Stream for CleanEnd {
    type Item = Result<actix_web::web::Bytes, actix_web::error::PayloadError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        if self.ended {
            return Poll::Ready(None);
        }
        match std::pin::Pin::new(&mut self.payload).poll_next(cx) {
            Poll::Ready(Some(Err(actix_web::error::PayloadError::Incomplete(None)))) => {
                self.ended = true;
                Poll::Ready(None)
            }
            other => other,
        }
    }
}

pub(crate) fn close(ctx: &mut ws::WebsocketContext<SessionActor>, code: CloseCode, why: &str) {
    ctx.close(Some(CloseReason {
        code,
        description: Some(why.to_owned()),
    }));
    ctx.stop();
}

/// Sends one text frame.
pub(crate) fn send(ctx: &mut ws::WebsocketContext<SessionActor>, frame: String) {
    ctx.text(frame);
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for SessionActor {
    fn handle(
        &mut self,
        msg: Result<ws::Message, ws::ProtocolError>,
        ctx: &mut ws::WebsocketContext<Self>,
    ) {
        self.touch();
        match msg {
            Ok(ws::Message::Text(text)) => self.on_text(&text, ctx),
            Ok(ws::Message::Ping(p)) => ctx.pong(&p),
            Ok(ws::Message::Pong(_)) => {}
            Ok(ws::Message::Binary(_)) => {
                self.forsake_views();
                log::warn!("binary frame refused: uploads are not supported");
                close(
                    ctx,
                    CloseCode::Unsupported,
                    "binary frames are not supported",
                );
            }
            Ok(ws::Message::Continuation(_)) => {
                self.forsake_views();
                log::warn!("fragmented frame refused");
                close(
                    ctx,
                    CloseCode::Unsupported,
                    "fragmented frames are not supported",
                );
            }
            Ok(ws::Message::Close(reason)) => {
                // The client left (a page it unloads closes its socket): its views stop at
                // once. A connection that just breaks (`Io` below, or the stream's end) keeps
                // them for a rejoin (`SessionConfig::reconnect_grace`), and so does a client
                // that closes because its heartbeat went unanswered (both clients say so in
                // the reason): it is about to reconnect.
                let reason_text = reason.as_ref().and_then(|r| r.description.as_deref());
                if reason_text != Some(HEARTBEAT_TIMEOUT) {
                    self.forsake_views();
                }
                ctx.close(reason);
                ctx.stop();
            }
            Ok(ws::Message::Nop) => {}
            Err(ws::ProtocolError::Overflow) => {
                self.forsake_views();
                log::warn!(
                    "frame over {} bytes; closing",
                    self.config().max_frame_bytes
                );
                close(ctx, CloseCode::Size, "frame too large");
            }
            // Two cases arrive as `Io`: a text frame that is not UTF-8, and a connection that
            // broke (a reset; an orderly end is the stream's end, see `CleanEnd`). Routine
            // either way: no warning. The views of a broken connection wait for a rejoin.
            Err(ws::ProtocolError::Io(e)) => {
                log::debug!("websocket read error: {e}; closing");
                close(ctx, CloseCode::Protocol, "protocol error");
            }
            Err(e) => {
                self.forsake_views();
                log::warn!("websocket protocol error: {e}");
                close(ctx, CloseCode::Protocol, "protocol error");
            }
        }
    }

    fn finished(&mut self, ctx: &mut ws::WebsocketContext<Self>) {
        ctx.stop();
    }
}
