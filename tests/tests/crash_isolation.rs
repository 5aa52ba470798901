//! Crash isolation over real websockets (DESIGN.md §6): a panic in a view's callback restarts
//! that view alone; its client gets a reply (every push needs one, PROTOCOL.md §12.8) and a
//! full render it merges as a new root (§4, a diff with `s` at the root); every other view,
//! on the same socket or another, goes on answering. A crash loop (more than
//! `RestartPolicy::max_restarts` panics within `RestartPolicy::within`, default 3 in 5 s) ends
//! with a `redirect` push to the view's own URL and `phx_close` (§6).
//!
//! The panics are deliberate; the support module's panic hook keeps them off stderr.

mod support;

use serde_json::{json, Value};
use support::{
    click, connect, join, join_ok, lab_full_render, page, recv, reply_to, send, serial, server,
    views_settle_at, Conn, Page,
};

/// A view joined on a socket, with its join ref and the count it shows.
struct Joined {
    page: Page,
    join_ref: String,
    count: i64,
}

/// Clicks `inc` on `view` over `conn` and checks the exact reply is the next frame: no error
/// frame, push or stray reply came before it.
async fn assert_answers(conn: &mut Conn, view: &mut Joined) {
    view.count += 1;
    send(conn, click(&view.page, &view.join_ref, "77", "inc")).await;
    assert_eq!(
        reply_to(conn, "77").await,
        json!([view.join_ref, "77", view.page.topic(), "phx_reply",
            {"status": "ok", "response": {"diff": {"0": view.count.to_string()}}}])
    );
}

/// Checks that nothing is queued on `conn`: a heartbeat's reply is the very next frame.
async fn assert_nothing_pending(conn: &mut Conn) {
    send(conn, json!([null, "88", "phoenix", "heartbeat", {}])).await;
    assert_eq!(
        recv(conn).await,
        json!([null, "88", "phoenix", "phx_reply", {"status": "ok", "response": {}}])
    );
}

/// Reads frames until each of `expected` has arrived (in any order): a crashed event's reply
/// and the restart's push are produced in the same turn of the server.
async fn expect_frames(conn: &mut Conn, expected: &[Value]) {
    let mut seen = Vec::new();
    while !expected.iter().all(|e| seen.contains(e)) {
        let frame = recv(conn).await;
        assert!(expected.contains(&frame), "unexpected frame {frame}");
        seen.push(frame);
    }
}

/// Sends `event` to `view`, which panics somewhere on the way; expects the empty reply and
/// the restart's full render, after which the view counts from 0 again.
async fn crash_and_expect_restart(conn: &mut Conn, view: &mut Joined, event: &str) {
    send(conn, click(&view.page, &view.join_ref, "66", event)).await;
    expect_frames(
        conn,
        &[
            json!([view.join_ref, "66", view.page.topic(), "phx_reply",
                {"status": "ok", "response": {}}]),
            json!([
                view.join_ref,
                null,
                view.page.topic(),
                "diff",
                lab_full_render()
            ]),
        ],
    )
    .await;
    view.count = 0;
}

/// `n` pages of `Lab` joined on `sockets` sockets, round robin; join refs are unique.
async fn join_many(n: usize, sockets: usize) -> (Vec<Conn>, Vec<Vec<Joined>>) {
    let addr = server();
    let mut conns = Vec::new();
    let mut views: Vec<Vec<Joined>> = (0..sockets).map(|_| Vec::new()).collect();
    for i in 0..n {
        let page = page(addr, "/lab").await;
        if conns.len() < sockets {
            conns.push(connect(&page).await);
        }
        let s = i % sockets;
        let join_ref = (i + 1).to_string();
        join_ok(&mut conns[s], &page, &join_ref).await;
        views[s].push(Joined {
            page,
            join_ref,
            count: 0,
        });
    }
    (conns, views)
}

/// Every view answers a click, and no socket has anything else pending.
async fn assert_all_answer(conns: &mut [Conn], views: &mut [Vec<Joined>]) {
    for (conn, views) in conns.iter_mut().zip(views.iter_mut()) {
        for view in views.iter_mut() {
            assert_answers(conn, view).await;
        }
        assert_nothing_pending(conn).await;
    }
}

// One of 101 views (spread over four sockets, a third of them on the crashing view's own
// socket) panics in `handle_event`: its socket gets the reply and a full-render push, the
// view answers again from a fresh mount, and the 100 others answer with no error frame.
#[actix_rt::test]
async fn panic_in_handle_event_restarts_that_view_alone_among_101() {
    let _serial = serial().await;
    let (mut conns, mut views) = join_many(101, 4).await;
    views_settle_at(101).await;
    assert_all_answer(&mut conns, &mut views).await;

    crash_and_expect_restart(&mut conns[0], &mut views[0][0], "boom").await;
    assert_answers(&mut conns[0], &mut views[0][0]).await;
    assert_all_answer(&mut conns, &mut views).await;
    // The restart reused the actor: no view was lost or leaked.
    views_settle_at(101).await;
}

// A panic in `handle_info` (a timer's message) restarts that view alone: the event that set
// the timer was answered `{}`, the restart pushes a full render.
#[actix_rt::test]
async fn panic_in_handle_info_restarts_that_view_alone() {
    let _serial = serial().await;
    let (mut conns, mut views) = join_many(4, 2).await;
    assert_all_answer(&mut conns, &mut views).await;
    crash_and_expect_restart(&mut conns[0], &mut views[0][0], "boom_info").await;
    assert_all_answer(&mut conns, &mut views).await;
    views_settle_at(4).await;
}

// A panic in `render` (after an event changed an assign) restarts that view alone.
#[actix_rt::test]
async fn panic_in_render_restarts_that_view_alone() {
    let _serial = serial().await;
    let (mut conns, mut views) = join_many(4, 2).await;
    assert_all_answer(&mut conns, &mut views).await;
    crash_and_expect_restart(&mut conns[0], &mut views[0][0], "boom_render").await;
    assert_all_answer(&mut conns, &mut views).await;
    views_settle_at(4).await;
}

// A panic in the connected `mount` fails that join alone, the way Phoenix answers a channel
// whose join crashed (`{"reason":"join crashed"}`, §3.3 "anything else"); its view actor
// stops, and the other views on the same socket and on another socket go on answering.
#[actix_rt::test]
async fn panic_in_mount_fails_that_join_alone() {
    let _serial = serial().await;
    let (mut conns, mut views) = join_many(4, 2).await;
    let crashing = page(server(), "/lab?crash=mount").await;
    let reply = join(&mut conns[0], &crashing, "50").await;
    assert_eq!(
        reply,
        json!(["50", "50", crashing.topic(), "phx_reply",
            {"status": "error", "response": {"reason": "join crashed"}}])
    );
    views_settle_at(4).await;
    assert_all_answer(&mut conns, &mut views).await;
    // The topic is not joined: its events are unmatched.
    send(&mut conns[0], click(&crashing, "50", "51", "inc")).await;
    assert_eq!(
        reply_to(&mut conns[0], "51").await[4]["response"]["reason"],
        "unmatched topic"
    );
}

// Three panics within five seconds are restarted; the fourth ends the crash loop: the client
// is pushed a `redirect` to the view's own URL (a full page load) and `phx_close`, and the
// view actor stops. The other view on the socket goes on answering.
#[actix_rt::test]
async fn crash_loop_ends_with_a_redirect_to_the_view_url_and_phx_close() {
    let _serial = serial().await;
    let (mut conns, mut views) = join_many(2, 1).await;
    let conn = &mut conns[0];
    for _ in 0..3 {
        crash_and_expect_restart(conn, &mut views[0][0], "boom").await;
    }
    let victim = &views[0][0];
    let (jr, topic) = (victim.join_ref.clone(), victim.page.topic());
    send(conn, click(&victim.page, &jr, "70", "boom")).await;
    expect_frames(
        conn,
        &[
            json!([jr, "70", topic, "phx_reply", {"status": "ok", "response": {}}]),
            json!([jr, null, topic, "redirect", {"to": victim.page.url()}]),
            json!([jr, jr, topic, "phx_close", {}]),
        ],
    )
    .await;
    views_settle_at(1).await;
    send(conn, click(&victim.page, &jr, "71", "inc")).await;
    assert_eq!(
        reply_to(conn, "71").await[4]["response"]["reason"],
        "unmatched topic"
    );
    let survivor = &mut views[0][1];
    assert_answers(conn, survivor).await;
    assert_nothing_pending(conn).await;
}
