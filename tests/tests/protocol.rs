//! Every protocol rule of the session, checked frame by frame over a real websocket against a
//! real server (PROTOCOL.md §1.3, §1.5, §3.2, §5.1, §5.5, §6). Each test names the rule it
//! checks; frames are compared whole, as JSON values, or byte for byte where the text matters.

mod support;

use std::io::Write as _;
use std::time::{Duration, Instant};

use actix_http::ws::OpCode;
use actix_web::web::BytesMut;
use liveview_session::{live_session_count, live_view_count};
use serde_json::{json, Value};
use support::{
    click, close_code, connect, idle_server, join, join_ok, joined_lab, lab_full_render, page,
    raw_close, raw_frame, raw_next_frame, raw_websocket, recv, recv_text, reply_to, send,
    send_text, serial, server, sessions_settle_at, views_settle_at, Conn, SHORT_IDLE,
};

/// How soon the server must close the TCP connection once the closing handshake is done.
/// Phoenix closes it at once; a browser reports the websocket's `close` event only then.
const CLOSED_WITHIN: Duration = Duration::from_millis(200);

/// Reads frames until one matching each of `expected` has arrived (in any order) and returns
/// them in arrival order. Used where a reply and a push are produced in the same turn of the
/// server, where the protocol fixes no order between them.
async fn expect_frames(conn: &mut Conn, expected: &[Value]) -> Vec<Value> {
    let mut seen = Vec::new();
    while !expected.iter().all(|e| seen.contains(e)) {
        let frame = recv(conn).await;
        assert!(expected.contains(&frame), "unexpected frame {frame}");
        seen.push(frame);
    }
    seen
}

/// The heartbeat reply the client expects, and that a socket that was just refused something
/// is still up.
async fn assert_heartbeat_answered(conn: &mut Conn, reference: &str) {
    send_text(
        conn,
        format!(r#"[null,"{reference}","phoenix","heartbeat",{{}}]"#),
    )
    .await;
    assert_eq!(
        recv_text(conn).await,
        format!(r#"[null,"{reference}","phoenix","phx_reply",{{"status":"ok","response":{{}}}}]"#)
    );
}

fn unmatched(join_ref: Value, reference: &str, topic: &str) -> Value {
    json!([join_ref, reference, topic, "phx_reply",
        {"status": "error", "response": {"reason": "unmatched topic"}}])
}

// §1.5: `[null,"<ref>","phoenix","heartbeat",{}]` is answered
// `[null,"<ref>","phoenix","phx_reply",{"status":"ok","response":{}}]`, byte for byte.
#[actix_rt::test]
async fn heartbeat_is_answered_with_an_empty_ok_reply_byte_for_byte() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    assert_heartbeat_answered(&mut conn, "7").await;
    assert_heartbeat_answered(&mut conn, "8").await;
}

// §3.2: the join reply echoes join_ref and ref, and carries a full `rendered` (statics at the
// root) and `"liveview_version":"1.2.12"`.
#[actix_rt::test]
async fn join_reply_echoes_the_refs_with_a_full_render_and_version() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    let reply = join(&mut conn, &page, "4").await;
    assert_eq!(
        reply,
        json!(["4", "4", page.topic(), "phx_reply", {"status": "ok", "response": {
            "rendered": lab_full_render(),
            "liveview_version": "1.2.12",
        }}])
    );
}

// §5.1: an event is answered with the request's join_ref and ref, and `{"diff": D}`.
#[actix_rt::test]
async fn event_reply_carries_the_request_refs_and_the_diff() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    join_ok(&mut conn, &page, "4").await;
    send(&mut conn, click(&page, "4", "5", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "5").await,
        json!(["4", "5", page.topic(), "phx_reply",
            {"status": "ok", "response": {"diff": {"0": "1"}}}])
    );
    send(&mut conn, click(&page, "4", "12", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "12").await,
        json!(["4", "12", page.topic(), "phx_reply",
            {"status": "ok", "response": {"diff": {"0": "2"}}}])
    );
}

// §5.1: "`{}`: nothing changed".
#[actix_rt::test]
async fn event_that_changes_nothing_is_answered_with_an_empty_response() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    join_ok(&mut conn, &page, "4").await;
    send(&mut conn, click(&page, "4", "5", "noop")).await;
    assert_eq!(
        reply_to(&mut conn, "5").await,
        json!(["4", "5", page.topic(), "phx_reply", {"status": "ok", "response": {}}])
    );
}

// §6 and §1.3: a diff from `handle_info` (a timer) is a push `[join_ref, null, topic, "diff",
// D]` with the channel's current join ref.
#[actix_rt::test]
async fn push_from_handle_info_carries_the_current_join_ref_and_a_null_ref() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    join_ok(&mut conn, &page, "4").await;
    send(&mut conn, click(&page, "4", "5", "tick_later")).await;
    expect_frames(
        &mut conn,
        &[
            json!(["4", "5", page.topic(), "phx_reply", {"status": "ok", "response": {}}]),
            json!(["4", null, page.topic(), "diff", {"0": "1"}]),
        ],
    )
    .await;
}

// §1.5: a topic the server does not serve is answered `unmatched topic`, for a join and for
// any other message; the connection stays up (a heartbeat is still answered).
#[actix_rt::test]
async fn unknown_topic_is_unmatched_and_the_socket_stays_up() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    send(
        &mut conn,
        json!(["1", "1", "room:lobby", "phx_join", {"params": {}}]),
    )
    .await;
    assert_eq!(
        reply_to(&mut conn, "1").await,
        unmatched(json!("1"), "1", "room:lobby")
    );
    send(&mut conn, json!([null, "2", "room:lobby", "new_msg", {}])).await;
    assert_eq!(
        reply_to(&mut conn, "2").await,
        unmatched(Value::Null, "2", "room:lobby")
    );
    assert_heartbeat_answered(&mut conn, "3").await;
    // The socket can still join a real view.
    join_ok(&mut conn, &page, "4").await;
}

// §1.5: an event on an `lv:` topic that was never joined on this socket is `unmatched topic`.
#[actix_rt::test]
async fn event_for_a_topic_never_joined_is_unmatched() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    send(&mut conn, click(&page, "4", "5", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "5").await,
        unmatched(json!("4"), "5", &page.topic())
    );
    assert_heartbeat_answered(&mut conn, "6").await;
}

// §1.5: `phx_leave` for a topic that is not joined (never, or no longer) is answered `ok {}`,
// as Phoenix does: a client leaving a channel the server already dropped gets its reply.
#[actix_rt::test]
async fn leave_for_a_topic_not_joined_is_ok() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    send(&mut conn, json!(["4", "5", page.topic(), "phx_leave", {}])).await;
    assert_eq!(
        reply_to(&mut conn, "5").await,
        json!(["4", "5", page.topic(), "phx_reply", {"status": "ok", "response": {}}])
    );
    // Any other event on it is still unmatched, and the socket stays up.
    send(&mut conn, click(&page, "4", "6", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "6").await,
        unmatched(json!("4"), "6", &page.topic())
    );
    assert_heartbeat_answered(&mut conn, "7").await;
}

// §1.3: every push on a channel carries its join ref; a message with another join ref
// belongs to no current channel and is `unmatched topic` (Phoenix routes by join ref too).
#[actix_rt::test]
async fn event_with_a_stale_join_ref_is_unmatched() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    join_ok(&mut conn, &page, "4").await;
    send(&mut conn, click(&page, "3", "5", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "5").await,
        unmatched(json!("3"), "5", &page.topic())
    );
    send(&mut conn, click(&page, "4", "6", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "6").await,
        json!(["4", "6", page.topic(), "phx_reply",
            {"status": "ok", "response": {"diff": {"0": "1"}}}])
    );
}

// §1.5: "A second join on an already joined topic makes Phoenix close the old channel
// (sending `phx_close` for the old join_ref) and join again"; §8.2: the new join starts from a
// fresh mount and a full render. The old view actor stops; pushes and events of the old join
// are dropped or unmatched.
#[actix_rt::test]
async fn second_join_on_a_topic_closes_the_old_channel_and_mounts_afresh() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut conn = connect(&page).await;
    join_ok(&mut conn, &page, "1").await;
    views_settle_at(1).await;
    send(&mut conn, click(&page, "1", "2", "inc")).await;
    reply_to(&mut conn, "2").await;

    support::send(&mut conn, support::join_frame(&page, "3")).await;
    assert_eq!(
        recv(&mut conn).await,
        json!(["1", "1", page.topic(), "phx_close", {}])
    );
    assert_eq!(
        recv(&mut conn).await,
        json!(["3", "3", page.topic(), "phx_reply", {"status": "ok", "response": {
            "rendered": lab_full_render(),
            "liveview_version": "1.2.12",
        }}])
    );
    // The old view actor has stopped: only the new one is alive.
    views_settle_at(1).await;

    // Pushes carry the new join ref.
    send(&mut conn, click(&page, "3", "4", "tick_later")).await;
    expect_frames(
        &mut conn,
        &[
            json!(["3", "4", page.topic(), "phx_reply", {"status": "ok", "response": {}}]),
            json!(["3", null, page.topic(), "diff", {"0": "1"}]),
        ],
    )
    .await;
    // The old join ref is unmatched.
    send(&mut conn, click(&page, "1", "5", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "5").await,
        unmatched(json!("1"), "5", &page.topic())
    );
}

// §1.5 and §5.5: `phx_leave` is answered `ok {}` and terminates the channel: the view actor
// stops and later events on the topic are unmatched.
#[actix_rt::test]
async fn leave_is_answered_ok_and_stops_the_view() {
    let _serial = serial().await;
    let (page, mut conn) = joined_lab(server()).await;
    views_settle_at(1).await;
    send(&mut conn, json!(["1", "2", page.topic(), "phx_leave", {}])).await;
    assert_eq!(
        reply_to(&mut conn, "2").await,
        json!(["1", "2", page.topic(), "phx_reply", {"status": "ok", "response": {}}])
    );
    // Then, as Phoenix does, a `phx_close` for that join.
    assert_eq!(
        recv(&mut conn).await,
        json!(["1", "1", page.topic(), "phx_close", {}])
    );
    views_settle_at(0).await;
    send(&mut conn, click(&page, "1", "3", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "3").await,
        unmatched(json!("1"), "3", &page.topic())
    );
    // The session lives on without views.
    assert_eq!(live_session_count(), 1);
    assert_heartbeat_answered(&mut conn, "4").await;
}

// §1.3: one socket carries many channels; each is answered on its own topic with its own
// refs, and their states are independent.
#[actix_rt::test]
async fn several_views_on_one_socket_each_answer_on_their_own_topic() {
    let _serial = serial().await;
    let addr = server();
    let pages = [
        page(addr, "/lab").await,
        page(addr, "/lab").await,
        page(addr, "/lab").await,
    ];
    let mut conn = connect(&pages[0]).await;
    for (i, p) in pages.iter().enumerate() {
        join_ok(&mut conn, p, &format!("{}", i + 1)).await;
    }
    views_settle_at(3).await;
    let mut reference = 10;
    for round in 1..=2 {
        for (i, p) in pages.iter().enumerate() {
            // Each view counts to its own number of clicks: view i gets i + 1 per round.
            for n in 1..=i + 1 {
                reference += 1;
                let (jr, r) = (format!("{}", i + 1), reference.to_string());
                send(&mut conn, click(p, &jr, &r, "inc")).await;
                let expected = ((round - 1) * (i + 1) + n).to_string();
                assert_eq!(
                    reply_to(&mut conn, &r).await,
                    json!([jr, r, p.topic(), "phx_reply",
                        {"status": "ok", "response": {"diff": {"0": expected}}}])
                );
            }
        }
    }
}

// §5.1 and §12.8: every push needs a reply. An event no `handle_event` clause handles is
// logged and answered `ok {}` (Phoenix would crash the view; here the view lives on).
#[actix_rt::test]
async fn unknown_event_name_is_answered_with_an_empty_ok_reply() {
    let _serial = serial().await;
    let (page, mut conn) = joined_lab(server()).await;
    send(&mut conn, click(&page, "1", "2", "no-such-event")).await;
    assert_eq!(
        reply_to(&mut conn, "2").await,
        json!(["1", "2", page.topic(), "phx_reply", {"status": "ok", "response": {}}])
    );
    send(&mut conn, click(&page, "1", "3", "inc")).await;
    assert_eq!(
        reply_to(&mut conn, "3").await,
        json!(["1", "3", page.topic(), "phx_reply",
            {"status": "ok", "response": {"diff": {"0": "1"}}}])
    );
}

// Every push needs a reply (§12.8): a channel message the session does not know (not
// `event`, `live_patch`, `phx_leave`, `cids_*`) is answered with an error, not dropped.
#[actix_rt::test]
async fn unknown_channel_message_is_answered_with_an_error() {
    let _serial = serial().await;
    let (page, mut conn) = joined_lab(server()).await;
    send(&mut conn, json!(["1", "2", page.topic(), "shout", {}])).await;
    assert_eq!(
        reply_to(&mut conn, "2").await,
        json!(["1", "2", page.topic(), "phx_reply",
            {"status": "error", "response": {"reason": "unknown event"}}])
    );
    send(&mut conn, click(&page, "1", "3", "inc")).await;
    reply_to(&mut conn, "3").await;
}

// §1.5: Phoenix drops a socket that sent nothing for its `timeout`; here
// `SessionConfig::idle_timeout`. The close code is 1001 (never 1000, which makes the client
// reload the page), it comes no earlier than the timeout, and the session and its views stop.
#[actix_rt::test]
async fn idle_socket_is_closed_with_1001_after_the_idle_timeout() {
    let _serial = serial().await;
    let addr = idle_server();
    let page = page(addr, "/lab").await;
    let mut conn = connect(&page).await;
    // Taken before the last frame is sent, so no later than the server's own clock starts.
    let last_sent = Instant::now();
    join_ok(&mut conn, &page, "1").await;
    assert_eq!(close_code(&mut conn).await, Some(1001));
    assert!(
        last_sent.elapsed() >= SHORT_IDLE,
        "closed after {:?}, before the idle timeout of {SHORT_IDLE:?}",
        last_sent.elapsed()
    );
    sessions_settle_at(0).await;
    views_settle_at(0).await;
    assert_eq!(live_view_count(), 0);
}

// RFC 6455 §5.5.1, §7.1.1: a Close frame from the client is echoed (same code), and then the
// server closes the TCP connection at once, as Phoenix does. The browser fires the socket's
// `close` event only when the connection is closed, and the official client waits for it
// before it falls back to HTTP navigation (conformance NAV-08).
#[actix_rt::test]
async fn client_close_is_echoed_and_the_connection_closed_at_once() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut stream = raw_websocket(&page, None);
    let mut bytes = raw_frame(
        OpCode::Text,
        true,
        br#"[null,"1","phoenix","heartbeat",{}]"#,
    );
    bytes.extend(raw_close(1000));
    stream.write_all(&bytes).expect("write heartbeat and close");
    let sent = Instant::now();
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    while let Some(frame) = raw_next_frame(&mut stream, &mut buf) {
        frames.push(frame);
    }
    let closed_after = sent.elapsed();
    assert_eq!(
        frames,
        vec![
            (
                OpCode::Text,
                br#"[null,"1","phoenix","phx_reply",{"status":"ok","response":{}}]"#.to_vec()
            ),
            (OpCode::Close, 1000_u16.to_be_bytes().to_vec()),
        ]
    );
    assert!(
        closed_after < CLOSED_WITHIN,
        "the connection closed {closed_after:?} after the client's close frame"
    );
    sessions_settle_at(0).await;
}

// RFC 6455 §7.1.1: when the server closes (here a malformed frame, 1007), the client answers
// the Close frame with its own, as a browser does, and the server closes the TCP connection
// no later than that.
#[actix_rt::test]
async fn server_close_is_followed_by_closing_the_connection_at_once() {
    let _serial = serial().await;
    let page = page(server(), "/lab").await;
    let mut stream = raw_websocket(&page, None);
    stream
        .write_all(&raw_frame(OpCode::Text, true, b"not json"))
        .expect("write a malformed frame");
    let mut buf = BytesMut::new();
    let (op, payload) = raw_next_frame(&mut stream, &mut buf).expect("a close frame");
    assert_eq!(op, OpCode::Close);
    assert_eq!(
        payload.get(..2),
        Some(&1007_u16.to_be_bytes()[..]),
        "{payload:?}"
    );
    // The server may have closed already: then this write is refused or reset, which is fine.
    let _ = stream.write_all(&raw_close(1007));
    let answered = Instant::now();
    assert_eq!(raw_next_frame(&mut stream, &mut buf), None);
    let closed_after = answered.elapsed();
    assert!(
        closed_after < CLOSED_WITHIN,
        "the connection closed {closed_after:?} after the closing handshake"
    );
    sessions_settle_at(0).await;
}

// §4.3: diffs are relative to the client's current tree, so replies and pushes of one channel
// must reach the client in the order the view produced them. Here the event's reply (count
// 1) is produced before the push of the `Tick` the view sent itself (count 2), so the
// client, applying frames in arrival order, must end at 2.
//
// The view answers over a oneshot and pushes over the session's mailbox; actix runs the mailbox
// before spawned futures, so without ordering the push would go out first. Each push carries
// the number of replies before it (`ViewPush::after_replies`) and the session holds it until
// it has sent them.
#[actix_rt::test]
async fn reply_and_a_push_produced_after_it_arrive_in_order() {
    let _serial = serial().await;
    let (page, mut conn) = joined_lab(server()).await;
    send(&mut conn, click(&page, "1", "2", "inc_and_tick_now")).await;
    let mut shown = None;
    let mut order = Vec::new();
    while order.len() < 2 {
        let frame = recv(&mut conn).await;
        let diff = match frame[3].as_str() {
            Some("phx_reply") => &frame[4]["response"]["diff"],
            _ => &frame[4],
        };
        shown = diff["0"].as_str().map(str::to_owned).or(shown);
        order.push(frame[3].clone());
    }
    assert_eq!(shown.as_deref(), Some("2"), "frames arrived as {order:?}");
}
