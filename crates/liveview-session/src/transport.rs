//! All websocket frame I/O: the upgrade, reading frames into typed [`InFrame`]s, encoding
//! Phoenix Channels V2 frames, and closing. The only file that touches actix-web-actors, so that
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
use liveview_diff::wire::push_json_str;
use serde_json::Value;

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
    ws::WsResponseBuilder::new(actor, req, payload)
        .frame_size(max)
        .start()
}

/// One decoded V2 frame: `[join_ref, ref, topic, event, payload]`.
#[derive(Debug, Clone, PartialEq)]
pub struct InFrame {
    /// The join ref (`null` for heartbeats).
    pub join_ref: Option<String>,
    /// The message ref.
    pub reference: Option<String>,
    /// The topic (`phoenix`, `lv:<id>`).
    pub topic: String,
    /// The event (`phx_join`, `event`, ...).
    pub event: String,
    /// The payload object.
    pub payload: Value,
}

/// The envelope of a frame whose payload is not read: enough to answer it.
///
/// A frame can be a sound V2 frame whose payload the server will not take: too large for an
/// event ([`SessionConfig::max_event_bytes`](crate::SessionConfig::max_event_bytes)), or holding
/// JSON that `serde_json` refuses as a value though the grammar allows it (a lone surrogate
/// escape such as `"\ud800"`, which `JSON.stringify` produces for half an emoji, or a number
/// out of range such as `1e400`). Such a frame is answered with an error reply to its refs,
/// and the socket, with every other view on it, stays up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The join ref.
    pub join_ref: Option<String>,
    /// The message ref.
    pub reference: Option<String>,
    /// The topic.
    pub topic: String,
    /// The event.
    pub event: String,
}

impl Envelope {
    /// Reads the refs, topic and event of `text`, skipping the payload without building it.
    ///
    /// ```
    /// use liveview_session::Envelope;
    ///
    /// let e = Envelope::decode(r#"["4","8","lv:x","event",{"value":"\ud800","n":1e400}]"#).unwrap();
    /// assert_eq!((e.reference.as_deref(), e.event.as_str()), (Some("8"), "event"));
    /// assert!(Envelope::decode(r#"["4","8","lv:x","event"]"#).is_err());
    /// ```
    pub fn decode(text: &str) -> Result<Self, FrameError> {
        type Raw = (
            Option<String>,
            Option<String>,
            String,
            String,
            serde::de::IgnoredAny,
        );
        let (join_ref, reference, topic, event, _): Raw =
            serde_json::from_str(text).map_err(|e| FrameError::Malformed(e.to_string()))?;
        Ok(Self {
            join_ref,
            reference,
            topic,
            event,
        })
    }
}

/// Why a frame could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// Not JSON, not an array of five, or fields of the wrong type.
    #[error("malformed frame: {0}")]
    Malformed(String),
}

impl InFrame {
    /// Decodes a text frame.
    ///
    /// ```
    /// use liveview_session::InFrame;
    ///
    /// let f = InFrame::decode(r#"["4","8","lv:phx-demo","event",{"type":"click","event":"inc"}]"#).unwrap();
    /// assert_eq!(f.topic, "lv:phx-demo");
    /// assert!(InFrame::decode("[1,2,3]").is_err());
    /// ```
    pub fn decode(text: &str) -> Result<Self, FrameError> {
        type Raw = (Option<String>, Option<String>, String, String, Value);
        let (join_ref, reference, topic, event, payload): Raw =
            serde_json::from_str(text).map_err(|e| FrameError::Malformed(e.to_string()))?;
        if !payload.is_object() {
            return Err(FrameError::Malformed(
                "the payload must be an object".into(),
            ));
        }
        Ok(Self {
            join_ref,
            reference,
            topic,
            event,
            payload,
        })
    }
}

fn push_opt(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => push_json_str(out, s),
        None => out.push_str("null"),
    }
}

/// `[join_ref, ref, topic, "phx_reply", {"status": status, "response": <response>}]`, with the
/// response already encoded.
pub fn encode_reply(
    join_ref: Option<&str>,
    reference: Option<&str>,
    topic: &str,
    ok: bool,
    response: &str,
) -> String {
    let mut out = String::with_capacity(64 + response.len());
    out.push('[');
    push_opt(&mut out, join_ref);
    out.push(',');
    push_opt(&mut out, reference);
    out.push(',');
    push_json_str(&mut out, topic);
    out.push_str(if ok {
        ",\"phx_reply\",{\"status\":\"ok\",\"response\":"
    } else {
        ",\"phx_reply\",{\"status\":\"error\",\"response\":"
    });
    out.push_str(response);
    out.push_str("}]");
    out
}

/// `[join_ref, ref, topic, event, <payload>]`, with the payload already encoded.
pub fn encode_push(
    join_ref: Option<&str>,
    reference: Option<&str>,
    topic: &str,
    event: &str,
    payload: &str,
) -> String {
    let mut out = String::with_capacity(32 + payload.len());
    out.push('[');
    push_opt(&mut out, join_ref);
    out.push(',');
    push_opt(&mut out, reference);
    out.push(',');
    push_json_str(&mut out, topic);
    out.push(',');
    push_json_str(&mut out, event);
    out.push(',');
    out.push_str(payload);
    out.push(']');
    out
}

/// Closes the socket with `code` and a reason, and stops the session.
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
                log::warn!("binary frame refused: uploads are not supported");
                close(
                    ctx,
                    CloseCode::Unsupported,
                    "binary frames are not supported",
                );
            }
            Ok(ws::Message::Continuation(_)) => {
                log::warn!("fragmented frame refused");
                close(
                    ctx,
                    CloseCode::Unsupported,
                    "fragmented frames are not supported",
                );
            }
            Ok(ws::Message::Close(reason)) => {
                ctx.close(reason);
                ctx.stop();
            }
            Ok(ws::Message::Nop) => {}
            Err(ws::ProtocolError::Overflow) => {
                log::warn!(
                    "frame over {} bytes; closing",
                    self.config().max_frame_bytes
                );
                close(ctx, CloseCode::Size, "frame too large");
            }
            // Two cases arrive as `Io`: a text frame that is not UTF-8, and a peer that hung up
            // mid-stream. A browser leaving the page sends Close and FIN together, and the
            // websocket stream reports the payload's end before the buffered Close frame, so
            // this is routine: no warning.
            Err(ws::ProtocolError::Io(e)) => {
                log::debug!("websocket read error: {e}; closing");
                close(ctx, CloseCode::Protocol, "protocol error");
            }
            Err(e) => {
                log::warn!("websocket protocol error: {e}");
                close(ctx, CloseCode::Protocol, "protocol error");
            }
        }
    }

    fn finished(&mut self, ctx: &mut ws::WebsocketContext<Self>) {
        ctx.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_echo_both_refs() {
        assert_eq!(
            encode_reply(Some("4"), Some("8"), "lv:x", true, "{}"),
            r#"["4","8","lv:x","phx_reply",{"status":"ok","response":{}}]"#
        );
        assert_eq!(
            encode_reply(None, Some("1"), "phoenix", true, "{}"),
            r#"[null,"1","phoenix","phx_reply",{"status":"ok","response":{}}]"#
        );
    }

    #[test]
    fn pushes_have_a_null_ref() {
        assert_eq!(
            encode_push(Some("4"), None, "lv:x", "diff", r#"{"0":"2"}"#),
            r#"["4",null,"lv:x","diff",{"0":"2"}]"#
        );
    }

    #[test]
    fn an_envelope_survives_payloads_serde_json_refuses_as_values() {
        for payload in [
            r#"{"value":"\ud800"}"#,
            r#"{"value":"\udfff\ud800x"}"#,
            r#"{"n":1e400}"#,
            r#"{"n":-1e400}"#,
        ] {
            let text = format!(r#"["4","9","lv:x","event",{payload}]"#);
            assert!(InFrame::decode(&text).is_err(), "{payload} decoded");
            let env = Envelope::decode(&text).expect(payload);
            assert_eq!(env.reference.as_deref(), Some("9"));
            assert_eq!(env.topic, "lv:x");
        }
        for bad in ["", "[1,2]", r#"["1","1","t","e",{"a":"#] {
            assert!(Envelope::decode(bad).is_err(), "accepted {bad}");
        }
    }

    #[test]
    fn rejects_wrong_arity_types_and_payloads() {
        for bad in [
            "",
            "{}",
            "[]",
            r#"["1","1","t","e"]"#,
            r#"["1","1","t","e",{},6]"#,
            r#"[1,"1","t","e",{}]"#,
            r#"["1","1","t","e",[]]"#,
            &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ] {
            assert!(InFrame::decode(bad).is_err(), "accepted {bad:.40}");
        }
    }
}
