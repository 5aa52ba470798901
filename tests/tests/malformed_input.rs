//! Malformed input never panics the server and never touches another session (DESIGN.md §7:
//! "Bad input gets a clear error reply or a clean close, is logged, and never panics the
//! server or affects another session"). Each case runs on a fresh socket while a bystander
//! session on the same server stays joined; after each, the bystander still answers a click,
//! no unexpected panic happened, and the bad socket's session has stopped.
//!
//! Close codes (RFC 6455 §7.4.1): 1007 for a text message that is not a V2 frame (a sound
//! envelope with a payload the server will not take gets an error reply instead), 1003 for a
//! frame type the server does not take (binary, fragments), 1009 for a frame over
//! `SessionConfig::max_frame_bytes`, 1002 for a websocket protocol violation. Phoenix itself
//! closes the socket on an undecodable frame.

mod support;

use std::net::SocketAddr;

use actix_http::ws::OpCode;
use support::{
    assert_click_counts, close_code, connect, joined_lab, page, raw_frame, send_raw, send_text,
    serial, server, sessions_settle_at, small_frame_server, unexpected_panics, Conn, Page,
};

/// A session joined before the bad input arrives, that must keep answering.
struct Bystander {
    page: Page,
    conn: Conn,
    count: i64,
}

impl Bystander {
    async fn join(addr: SocketAddr) -> Self {
        let (page, conn) = joined_lab(addr).await;
        Self {
            page,
            conn,
            count: 0,
        }
    }

    async fn still_answers(&mut self) {
        self.count += 1;
        assert_click_counts(&mut self.conn, &self.page, "1", self.count).await;
    }
}

/// What a misbehaving client sends.
enum Attack {
    /// One text frame, through the codec.
    Text(String),
    /// Bytes written to the socket as they are (frames the codec cannot encode).
    Raw(Vec<u8>),
}

/// Opens a fresh socket next to `bystander`, sends `attack` on it, and checks that the server
/// closed it with `expected` and nothing else was disturbed.
async fn assert_closed_with(bystander: &mut Bystander, case: &str, expected: u16, attack: Attack) {
    let panics = unexpected_panics();
    let page = page(bystander.page.addr, "/lab").await;
    let mut conn = connect(&page).await;
    match attack {
        Attack::Text(text) => send_text(&mut conn, text).await,
        Attack::Raw(bytes) => send_raw(&mut conn, &bytes).await,
    }
    assert_eq!(close_code(&mut conn).await, Some(expected), "{case}");
    drop(conn);
    bystander.still_answers().await;
    sessions_settle_at(1).await;
    assert_eq!(unexpected_panics(), panics, "{case}: the server panicked");
}

fn deep(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

// Text that is not a V2 frame `[join_ref, ref, topic, event, payload-object]`: truncated JSON,
// not an array, the wrong arity, fields of the wrong type, a non-object payload, and 10,000
// levels of nesting (as the frame and inside the payload). Each closes its socket with 1007.
#[actix_rt::test]
async fn malformed_text_frames_close_the_socket_with_1007_and_spare_other_sessions() {
    let _serial = serial().await;
    let mut bystander = Bystander::join(server()).await;
    let cases = [
        ("empty", String::new()),
        (
            "truncated JSON",
            r#"["1","2","lv:x","event",{"type":"cl"#.to_owned(),
        ),
        (
            "an object, not an array",
            r#"{"topic":"phoenix","event":"heartbeat"}"#.to_owned(),
        ),
        ("a string", r#""heartbeat""#.to_owned()),
        ("a number", "42".to_owned()),
        (
            "four elements",
            r#"[null,"1","phoenix","heartbeat"]"#.to_owned(),
        ),
        (
            "six elements",
            r#"[null,"1","phoenix","heartbeat",{},{}]"#.to_owned(),
        ),
        (
            "numeric refs",
            r#"[1,2,"phoenix","heartbeat",{}]"#.to_owned(),
        ),
        (
            "an array topic",
            r#"[null,"1",["phoenix"],"heartbeat",{}]"#.to_owned(),
        ),
        ("a null event", r#"[null,"1","phoenix",null,{}]"#.to_owned()),
        ("10,000-deep array", deep(10_000)),
    ];
    for (case, text) in cases {
        assert_closed_with(&mut bystander, case, 1007, Attack::Text(text)).await;
    }
}

// A sound envelope `[join_ref, ref, topic, event, …]` whose payload the server will not take
// (not an object; a join whose params nest 10,000 deep) is answered with an error reply to its
// refs (issue 24 finding 8): the client is not left waiting, and the socket stays up. (The
// envelope is read without its payload, so a payload the server never reads, a heartbeat's, is
// not judged.)
#[actix_rt::test]
async fn a_bad_payload_in_a_sound_envelope_gets_an_error_reply_and_keeps_the_socket() {
    let _serial = serial().await;
    let mut bystander = Bystander::join(server()).await;
    let cases = [
        (
            "an array payload",
            r#"[null,"7","phoenix","heartbeat",[]]"#.to_owned(),
            serde_json::Value::Null,
            "phoenix",
        ),
        (
            "10,000-deep join params",
            format!(
                r#"["3","7","lv:phx-deep","phx_join",{{"params":{}}}]"#,
                deep(10_000)
            ),
            serde_json::json!("3"),
            "lv:phx-deep",
        ),
    ];
    for (case, text, join_ref, topic) in cases {
        let page = page(bystander.page.addr, "/lab").await;
        let mut conn = connect(&page).await;
        send_text(&mut conn, text).await;
        let reply = support::reply_to(&mut conn, "7").await;
        assert_eq!(
            reply,
            serde_json::json!([join_ref, "7", topic, "phx_reply",
                {"status": "error", "response": {"reason": "malformed payload"}}]),
            "{case}"
        );
        send_text(&mut conn, r#"[null,"8","phoenix","heartbeat",{}]"#).await;
        assert_eq!(
            support::reply_to(&mut conn, "8").await[4]["status"],
            "ok",
            "{case}"
        );
        bystander.still_answers().await;
    }
}

// §1.4: binary frames are upload chunks, which this server does not take: 1003.
#[actix_rt::test]
async fn binary_frame_closes_the_socket_with_1003_and_spares_other_sessions() {
    let _serial = serial().await;
    let mut bystander = Bystander::join(server()).await;
    let chunk = raw_frame(OpCode::Binary, true, b"\x00\x01\x01\x04\x05");
    assert_closed_with(&mut bystander, "binary", 1003, Attack::Raw(chunk)).await;
}

// A text frame whose payload is not UTF-8 violates RFC 6455 §5.6; the websocket layer
// refuses it before the session sees it, and the session closes with 1002.
#[actix_rt::test]
async fn invalid_utf8_text_frame_closes_the_socket_and_spares_other_sessions() {
    let _serial = serial().await;
    let mut bystander = Bystander::join(server()).await;
    let bad = b"[null,\"1\",\"phoenix\",\"heartbeat\",{\"x\":\"\xff\xfe\"}]";
    let frame = raw_frame(OpCode::Text, true, bad);
    assert_closed_with(&mut bystander, "invalid UTF-8", 1002, Attack::Raw(frame)).await;
}

// A frame over `SessionConfig::max_frame_bytes` closes the socket with 1009 ("message too
// big"), before its payload is buffered.
#[actix_rt::test]
async fn oversize_frame_closes_the_socket_with_1009_and_spares_other_sessions() {
    let _serial = serial().await;
    let mut bystander = Bystander::join(small_frame_server()).await;
    let padding = "x".repeat(2 * support::SMALL_FRAME);
    let text = format!(r#"[null,"1","phoenix","heartbeat",{{"pad":"{padding}"}}]"#);
    assert_closed_with(&mut bystander, "oversize", 1009, Attack::Text(text)).await;
}

// A fragmented message (a text frame without FIN) followed by a flood of 1,000 continuation
// frames: the first fragment closes the socket with 1003, the rest is never buffered.
#[actix_rt::test]
async fn continuation_flood_closes_the_socket_with_1003_and_spares_other_sessions() {
    let _serial = serial().await;
    let mut bystander = Bystander::join(server()).await;
    let mut flood = raw_frame(OpCode::Text, false, br#"[null,"1","#);
    for _ in 0..1_000 {
        flood.extend(raw_frame(OpCode::Continue, false, b"\"phoenix\","));
    }
    assert_closed_with(
        &mut bystander,
        "continuation flood",
        1003,
        Attack::Raw(flood),
    )
    .await;
}
