//! Issue 24 finding 9: a frame written right after another (a push right after an event's
//! reply) must not wait for the client's delayed ACK. The client socket has `TCP_NODELAY`, as a
//! browser's has, so only the server's setting is measured.
//!
//! `cargo test -p liveview-integration-tests --test nodelay -- --ignored --nocapture` prints the
//! figures of docs/benchmarks.md (with and without `on_connect`).

mod support;

use std::time::{Duration, Instant};

use actix_http::ws::OpCode;
use actix_web::web::BytesMut;
use serde_json::Value;
use support::{
    click, join_frame, lab_app, page, raw_next_frame, raw_send, raw_websocket, start_app,
    start_without_on_connect,
};

/// The next text frame on a raw socket, as JSON.
fn next_text(stream: &mut std::net::TcpStream, buf: &mut BytesMut) -> Value {
    loop {
        let (op, payload) = raw_next_frame(stream, buf).expect("the socket is open");
        if op == OpCode::Text {
            return serde_json::from_slice(&payload).expect("JSON frame");
        }
    }
}

/// `samples` times: send `tick_later` (the view replies `{}` at once and pushes a diff from
/// `handle_info` a moment later) and time it from the send to the push's arrival. (With
/// `inc_and_tick_now` both frames are ready in one turn and leave in one segment, which Nagle
/// does not delay.)
async fn reply_then_push(addr: std::net::SocketAddr, samples: usize) -> Vec<Duration> {
    let page = page(addr, "/lab").await;
    let mut stream = raw_websocket(&page, None);
    let mut buf = BytesMut::new();
    raw_send(&mut stream, &join_frame(&page, "1"));
    let reply = next_text(&mut stream, &mut buf);
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples + 10 {
        let reference = format!("r{i}");
        let start = Instant::now();
        raw_send(&mut stream, &click(&page, "1", &reference, "tick_later"));
        let (mut replied, mut pushed) = (false, false);
        while !(replied && pushed) {
            let frame = next_text(&mut stream, &mut buf);
            match frame[3].as_str() {
                Some("phx_reply") if frame[1] == reference.as_str() => replied = true,
                Some("diff") => pushed = true,
                _ => {}
            }
        }
        // The first ten warm up (and let the kernel leave quick-ACK mode).
        if i >= 10 {
            times.push(start.elapsed());
        }
    }
    times.sort();
    times
}

/// `samples` times: leave the view and join it again in one write (a live navigation sends
/// `phx_leave` and `phx_join` back to back), timed from the write to the join's reply.
async fn leave_then_join(addr: std::net::SocketAddr, samples: usize) -> Vec<Duration> {
    use std::io::Write as _;
    let page = page(addr, "/lab").await;
    let mut stream = raw_websocket(&page, None);
    let mut buf = BytesMut::new();
    raw_send(&mut stream, &join_frame(&page, "j0"));
    let reply = next_text(&mut stream, &mut buf);
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples + 10 {
        let (old, new) = (format!("j{i}"), format!("j{}", i + 1));
        let leave = serde_json::json!([old, format!("l{i}"), page.topic(), "phx_leave", {}]);
        let mut bytes = support::raw_frame(OpCode::Text, true, leave.to_string().as_bytes());
        bytes.extend(support::raw_frame(
            OpCode::Text,
            true,
            join_frame(&page, &new).to_string().as_bytes(),
        ));
        let start = Instant::now();
        stream.write_all(&bytes).expect("write leave and join");
        loop {
            let frame = next_text(&mut stream, &mut buf);
            if frame[3] == "phx_reply" && frame[1] == new.as_str() {
                assert_eq!(frame[4]["status"], "ok", "{frame}");
                break;
            }
        }
        if i >= 10 {
            times.push(start.elapsed());
        }
    }
    times.sort();
    times
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

#[actix_rt::test]
async fn a_push_right_after_a_reply_is_not_held_for_a_delayed_ack() {
    let addr = start_app(lab_app(Default::default()));
    // Nagle's algorithm holds the second frame until the client's delayed ACK of the first:
    // ~40 ms on Linux, every time (measured: p50 44 ms). Without it the second follows within
    // about a millisecond; 20 ms leaves room for a busy 2-core machine.
    for (what, times) in [
        ("reply then push", reply_then_push(addr, 50).await),
        (
            "leave reply then join reply",
            leave_then_join(addr, 50).await,
        ),
    ] {
        let (p50, p99) = (percentile(&times, 50), percentile(&times, 99));
        assert!(
            p50 < Duration::from_millis(20),
            "{what}: p50 {p50:?}, p99 {p99:?}"
        );
    }
}

#[actix_rt::test]
#[ignore = "prints figures for docs/benchmarks.md; run with --ignored --nocapture"]
async fn reply_then_push_latency_with_and_without_nodelay() {
    const SAMPLES: usize = 500;
    for (name, addr) in [
        (
            "on_connect (TCP_NODELAY)",
            start_app(lab_app(Default::default())),
        ),
        (
            "actix-web default (Nagle)",
            start_without_on_connect(lab_app(Default::default())),
        ),
    ] {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        for (what, times) in [
            ("reply then push", reply_then_push(addr, SAMPLES).await),
            (
                "leave reply then join reply",
                leave_then_join(addr, SAMPLES).await,
            ),
        ] {
            eprintln!(
                "{name}, {what}: {SAMPLES} samples, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
                ms(percentile(&times, 50)),
                ms(percentile(&times, 99)),
                ms(times[times.len() - 1]),
            );
        }
    }
}
