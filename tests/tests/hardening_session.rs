//! Issue 24's findings in the session runtime, each over a real socket: oversized and
//! unreadable events answered without closing the socket, joins counted against the rate
//! limit, and the idle check judging only after queued frames were read.

mod support;

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use liveview_diff::{html, Rendered};
use liveview_session::{Assigns, LiveView, Params, Session, SessionConfig, Socket, ViewError};
use serde_json::{json, Value};
use support::{
    assert_click_counts, close_code, connect, join, joined_lab, page, recv, reply_to, send,
    send_text, serial, server, start_app, Conn, Page, SECRET,
};

/// An event frame of `Lab` whose value carries `text` (the way a form field does).
fn click_with(page: &Page, reference: &str, text: &str) -> Value {
    json!(["1", reference, page.topic(), "event",
        {"type": "click", "event": "inc", "value": {"value": text}}])
}

fn error_reply(page: &Page, reference: &str, reason: &str) -> Value {
    json!(["1", reference, page.topic(), "phx_reply",
        {"status": "error", "response": {"reason": reason}}])
}

// Finding 4. A 70,000-character value made a change frame over the old 64 KiB frame limit:
// the socket closed with 1009 and form recovery sent the same frame again. Now ordinary forms
// are far below the event limit (1 MiB), and an event over it gets an error reply while the
// socket, and the view, stay up.
#[actix_rt::test]
async fn an_oversized_event_gets_an_error_reply_and_the_socket_stays_up() {
    let _serial = serial().await;
    let (page, mut conn) = joined_lab(server()).await;

    let long_field = "x".repeat(70_000);
    send(&mut conn, click_with(&page, "2", &long_field)).await;
    let reply = reply_to(&mut conn, "2").await;
    assert_eq!(
        reply[4]["status"], "ok",
        "a 70,000-character field: {reply:.200}"
    );

    let limit = 1024 * 1024;
    let too_large = "y".repeat(limit + 1);
    send(&mut conn, click_with(&page, "3", &too_large)).await;
    assert_eq!(
        reply_to(&mut conn, "3").await,
        error_reply(&page, "3", "event too large")
    );
    // The same view answers the next event: the count went from 1 to 2.
    assert_click_counts(&mut conn, &page, "1", 2).await;
}

// Finding 8. A lone surrogate escape (`JSON.stringify` of half an emoji) or a number out of
// range is valid JSON grammar that `serde_json` refuses as a value. It closed the socket with
// 1007, taking every view on it down; now that one event is answered with an error.
#[actix_rt::test]
async fn a_lone_surrogate_or_huge_number_in_an_event_is_answered_not_fatal() {
    let _serial = serial().await;
    let (page, mut conn) = joined_lab(server()).await;
    let topic = page.topic();
    let cases = [
        (
            "4",
            format!(
                r#"["1","4","{topic}","event",{{"type":"click","event":"inc","value":{{"value":"\ud83d"}}}}]"#
            ),
        ),
        (
            "5",
            format!(
                r#"["1","5","{topic}","event",{{"type":"click","event":"inc","value":{{"n":1e400}}}}]"#
            ),
        ),
    ];
    for (reference, text) in cases {
        send_text(&mut conn, text).await;
        assert_eq!(
            reply_to(&mut conn, reference).await,
            error_reply(&page, reference, "malformed payload")
        );
    }
    assert_click_counts(&mut conn, &page, "1", 1).await;
}

/// `Lab` with a low event rate limit.
const RATE: u32 = 20;

fn rate_limited_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start_app(
            liveview_http::LiveConfig::new(SECRET)
                .live::<support::Lab>("/lab")
                .session_config(SessionConfig {
                    max_events_per_sec: RATE,
                    ..support::no_grace()
                }),
        )
    })
}

// Finding 5. 20,000 pipelined `phx_join`s on one socket ran 20,000 mounts in under a second.
// A join now spends a token of the socket's event budget like an event does.
#[actix_rt::test]
async fn pipelined_joins_are_counted_against_the_rate_limit() {
    let _serial = serial().await;
    let page = page(rate_limited_server(), "/lab").await;
    let mut conn = connect(&page).await;
    const JOINS: usize = 200;
    for i in 0..JOINS {
        let join_ref = format!("{}", 100 + i);
        send(&mut conn, support::join_frame(&page, &join_ref)).await;
    }
    let (mut joined, mut limited) = (0, 0);
    let mut replies = 0;
    while replies < JOINS {
        let frame = recv(&mut conn).await;
        if frame[3] != "phx_reply" {
            continue; // the `phx_close` of a join replaced by the next
        }
        replies += 1;
        match (&frame[4]["status"], &frame[4]["response"]["reason"]) {
            (s, _) if s == "ok" => joined += 1,
            (_, r) if r == "rate limited" => limited += 1,
            _ => panic!("unexpected reply {frame:.300}"),
        }
    }
    // The bucket holds RATE tokens and refills at RATE per second: the burst takes well under
    // a second, so at most about 2 × RATE joins mount.
    assert!(
        joined <= 2 * RATE as usize,
        "{joined} of {JOINS} pipelined joins mounted"
    );
    assert_eq!(joined + limited, JOINS);
}

/// A view whose `stall` event blocks its worker thread (and with it every session on it) for
/// [`STALL`], as a handler doing blocking I/O would.
#[derive(Debug, Default)]
struct Staller;

const STALL: Duration = Duration::from_millis(1_200);
const IDLE: Duration = Duration::from_millis(300);

impl LiveView for Staller {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("n", 0_u32);
        Ok(())
    }

    fn handle_event(&mut self, e: &str, _: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        match e {
            "stall" => std::thread::sleep(STALL),
            _ => {
                s.update("n", |n: &mut u32| *n += 1);
            }
        }
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let n: u32 = a.get("n");
        html! { p { (n) } }
    }
}

fn stall_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start_app(
            liveview_http::LiveConfig::new(SECRET)
                .live::<Staller>("/stall")
                .session_config(SessionConfig {
                    idle_timeout: IDLE,
                    ..support::no_grace()
                }),
        )
    })
}

async fn joined_staller(addr: SocketAddr) -> (Page, Conn) {
    let page = page(addr, "/stall").await;
    let mut conn = connect(&page).await;
    let reply = join(&mut conn, &page, "1").await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    (page, conn)
}

fn heartbeat(reference: &str) -> Value {
    json!([null, reference, "phoenix", "heartbeat", {}])
}

// Finding 6. After a stall longer than the idle timeout (here a handler blocking the only
// worker for 1.2 s, 4× the timeout), every client was closed with 1001 though each had frames
// queued: the idle check ran before the queued frames were read. Now it judges only on a later
// tick, after those frames reset the clock.
#[actix_rt::test]
async fn a_stall_longer_than_the_idle_timeout_does_not_close_clients_with_queued_frames() {
    let _serial = serial().await;
    let addr = stall_server();
    let (page, mut staller) = joined_staller(addr).await;
    let (_, mut bystander) = joined_staller(addr).await;

    send(
        &mut staller,
        json!(["1", "2", page.topic(), "event",
            {"type": "click", "event": "stall", "value": {}}]),
    )
    .await;
    // While the worker is blocked, the bystander keeps sending heartbeats; they queue up.
    let mut refs = Vec::new();
    let mut pace = actix_rt::time::interval(IDLE / 3);
    for i in 0..(STALL.as_millis() / (IDLE / 3).as_millis()) {
        pace.tick().await;
        let reference = format!("hb{i}");
        send(&mut bystander, heartbeat(&reference)).await;
        refs.push(reference);
    }
    assert_eq!(reply_to(&mut staller, "2").await[4]["status"], "ok");
    for reference in &refs {
        let reply = reply_to(&mut bystander, reference).await;
        assert_eq!(reply[4]["status"], "ok", "{reply}");
    }
    // Both still answer; and a socket that really goes quiet is still closed.
    send(&mut staller, heartbeat("again")).await;
    assert_eq!(reply_to(&mut staller, "again").await[4]["status"], "ok");
    assert_eq!(close_code(&mut bystander).await, Some(1001));
}

/// Redirects wherever it is told: `?to=` in the dead render (a `return_to` taken from the
/// query), the `to` of a `go` event live, and `?external=` through `redirect_external`.
#[derive(Debug, Default)]
struct Bouncer;

impl LiveView for Bouncer {
    type Info = ();
    type Event = ();

    fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        if let Some(to) = p.get("to") {
            s.redirect(to);
        }
        if let Some(url) = p.get("external") {
            s.redirect_external(url);
        }
        s.assign("n", 0_u32);
        Ok(())
    }

    fn handle_event(&mut self, e: &str, v: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        match (e, v["to"].as_str()) {
            ("go", Some(to)) => s.redirect(to),
            ("patch", Some(to)) => s.push_patch(to),
            ("navigate", Some(to)) => s.push_navigate(to),
            _ => s.update("n", |n: &mut u32| *n += 1),
        };
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let n: u32 = a.get("n");
        html! { p { (n) } }
    }
}

fn bouncer_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start_app(
            liveview_http::LiveConfig::new(SECRET)
                .live::<Bouncer>("/bounce")
                .session_config(support::no_grace()),
        )
    })
}

async fn dead_render_status(path: &str) -> (u16, Option<String>) {
    let res = awc::Client::builder()
        .disable_redirects()
        .finish()
        .get(format!("http://{}{path}", bouncer_server()))
        .send()
        .await
        .expect("a response");
    let location = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    (res.status().as_u16(), location)
}

// Finding 1, dead render. A view redirecting to a user-supplied `return_to` answered
// `302 location: //evil.test/phish`; now a target that is not a local path fails the mount
// (500, as Phoenix raises), and an external site needs `redirect_external`.
#[actix_rt::test]
async fn the_dead_render_redirects_only_to_local_paths_or_explicit_external_urls() {
    assert_eq!(
        dead_render_status("/bounce?to=/polls/7").await,
        (302, Some("/polls/7".to_owned()))
    );
    for evil in [
        "//evil.test/phish",
        "https://evil.test/",
        "javascript:alert(document.cookie)",
        "/%5Cevil.test",
    ] {
        let query = form_urlencoded(evil);
        let (status, location) = dead_render_status(&format!("/bounce?to={query}")).await;
        assert_eq!((status, location), (500, None), "to={evil}");
    }
    assert_eq!(
        dead_render_status("/bounce?external=https%3A%2F%2Fexample.com%2Fdocs").await,
        (302, Some("https://example.com/docs".to_owned()))
    );
    let (status, _) = dead_render_status("/bounce?external=javascript%3Aalert(1)").await;
    assert_eq!(status, 500);
}

fn form_urlencoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// Finding 1, live. `{"redirect":{"to":"javascript:alert(document.cookie)"}}` reached the
// client; now the event's callback fails, the reply carries no navigation, and the view stays.
#[actix_rt::test]
async fn a_live_navigation_to_a_foreign_target_is_refused_and_the_view_stays() {
    let _serial = serial().await;
    let page = page(bouncer_server(), "/bounce").await;
    let mut conn = connect(&page).await;
    let reply = join(&mut conn, &page, "1").await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    let mut reference = 10;
    for event in ["go", "patch", "navigate"] {
        for evil in [
            "javascript:alert(document.cookie)",
            "//evil.test/phish",
            "https://evil.test/",
        ] {
            reference += 1;
            let r = reference.to_string();
            send(
                &mut conn,
                json!(["1", r, page.topic(), "event",
                    {"type": "click", "event": event, "value": {"to": evil}}]),
            )
            .await;
            let reply = reply_to(&mut conn, &r).await;
            assert_eq!(
                reply[4],
                json!({"status": "ok", "response": {}}),
                "{event} to {evil}"
            );
        }
    }
    send(
        &mut conn,
        json!(["1", "99", page.topic(), "event",
            {"type": "click", "event": "go", "value": {"to": "/polls/7"}}]),
    )
    .await;
    let reply = reply_to(&mut conn, "99").await;
    assert_eq!(
        reply[4]["response"]["redirect"]["to"], "/polls/7",
        "{reply}"
    );
}

/// One view type at two routes, showing the `id` it was patched to.
#[derive(Debug, Default)]
struct Items;

impl LiveView for Items {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("id", String::new());
        Ok(())
    }

    fn handle_params(
        &mut self,
        p: &Params,
        _: &str,
        s: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        s.assign("id", p.get("id").unwrap_or("none").to_owned());
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let id: String = a.get("id");
        html! { p { (id) } }
    }
}

fn items_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start_app(
            liveview_http::LiveConfig::new(SECRET)
                .live::<Items>("/items")
                .live::<Items>("/items/{id}")
                .live::<Staller>("/other")
                .live_session("admin", |s| s.live::<Items>("/admin/items/{id}"))
                .session_config(support::no_grace()),
        )
    })
}

// Finding 11. In Phoenix a patch between two routes of the same LiveView in the same live
// session patches; ours named a view by type and route, refused with `link_redirect`, and the
// page remounted (Phoenix's NAV-09/NAV-10 failed intermittently against the conformance app).
#[actix_rt::test]
async fn a_patch_between_two_routes_of_the_same_view_and_live_session_patches() {
    let _serial = serial().await;
    let addr = items_server();
    let page = page(addr, "/items").await;
    let mut conn = connect(&page).await;
    assert_eq!(join(&mut conn, &page, "1").await[4]["status"], "ok");
    let patch = |reference: &str, to: &str| json!(["1", reference, page.topic(), "live_patch", {"url": format!("http://{addr}{to}")}]);
    send(&mut conn, patch("2", "/items/42")).await;
    let reply = reply_to(&mut conn, "2").await;
    assert_eq!(
        reply[4],
        json!({"status": "ok", "response": {"diff": {"0": "42"}}}),
        "{reply}"
    );
    // Another view type, or the same type in another live session: a remount, as in Phoenix.
    for (reference, to) in [("3", "/other"), ("4", "/admin/items/7")] {
        send(&mut conn, patch(reference, to)).await;
        let reply = reply_to(&mut conn, reference).await;
        assert_eq!(
            reply[4],
            json!({"status": "ok", "response": {"link_redirect": true}}),
            "{to}: {reply}"
        );
    }
    send(&mut conn, patch("5", "/items")).await;
    assert_eq!(
        reply_to(&mut conn, "5").await[4],
        json!({"status": "ok", "response": {"diff": {"0": "none"}}})
    );
}

/// Pushes a 16 KiB change every 2 ms, for as long as it runs.
#[derive(Debug, Default)]
struct Firehose;

impl LiveView for Firehose {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("n", 0_u64);
        if s.connected() {
            s.send_after(Duration::from_millis(2), ());
        }
        Ok(())
    }

    fn handle_info(&mut self, (): (), s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.update("n", |n: &mut u64| *n += 1);
        s.send_after(Duration::from_millis(2), ());
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let n: u64 = a.get("n");
        let filler = format!("{n:08}{}", "x".repeat(16 * 1024));
        html! { pre { (filler) } }
    }
}

const SEND_TIMEOUT: Duration = Duration::from_secs(1);

fn firehose_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        support::start_configured(
            liveview_http::LiveConfig::new(SECRET)
                .live::<Firehose>("/firehose")
                .session_config(support::no_grace()),
            1,
            SEND_TIMEOUT,
        )
    })
}

// Finding 2. Sockets whose client stops reading were never closed: the idle timeout does not
// fire (the server is the one writing), actix stops polling a connection that cannot take
// bytes, and the kernel kept megabytes of send queue per socket. With `on_connect`'s
// `TCP_USER_TIMEOUT` the kernel resets a connection whose window stays closed past the send
// timeout (1 s here, 30 s by default), and its session and views stop.
#[actix_rt::test]
async fn a_socket_that_stops_reading_is_closed_after_the_send_timeout() {
    let _serial = serial().await;
    let addr = firehose_server();
    let sessions = liveview_session::live_session_count();
    let views = liveview_session::live_view_count();
    let page = page(addr, "/firehose").await;
    let mut stream = support::raw_websocket(&page, Some(4096));
    support::raw_send(&mut stream, &support::join_frame(&page, "1"));
    support::wait_for("the firehose to join", || {
        liveview_session::live_view_count() == views + 1
    })
    .await;
    let joined = std::time::Instant::now();
    // The kernel counts the timeout from the first unanswered probe of a closed window, and
    // probes back off exponentially: allow a generous margin over the 1 s.
    let deadline = joined + Duration::from_secs(20);
    while liveview_session::live_session_count() > sessions
        || liveview_session::live_view_count() > views
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the stalled socket is still open after {:?}",
            joined.elapsed()
        );
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!("closed {:?} after the join", joined.elapsed());
    drop(stream);
}

// Found while fixing the flaky browser test: `SessionActor` spawned one future per request
// and actix polls a context's futures last-first, so replies ready in the same turn went out
// reversed (a form's `validate` replies 2, 6, 5, 4, 3: the page ended on an old value). Now
// each view's answers are written in the order its requests came.
#[actix_rt::test]
async fn pipelined_events_are_answered_in_the_order_they_came() {
    let _serial = serial().await;
    let (page, mut conn) = joined_lab(server()).await;
    const N: usize = 30;
    for i in 0..N {
        send(
            &mut conn,
            support::click(&page, "1", &format!("c{i}"), "inc"),
        )
        .await;
    }
    let mut order = Vec::new();
    while order.len() < N {
        let frame = recv(&mut conn).await;
        if frame[3] == "phx_reply" {
            let count = frame[4]["response"]["diff"]["0"]
                .as_str()
                .unwrap_or("?")
                .to_owned();
            order.push((frame[1].as_str().unwrap_or("?").to_owned(), count));
        }
    }
    let expected: Vec<_> = (0..N)
        .map(|i| (format!("c{i}"), (i + 1).to_string()))
        .collect();
    assert_eq!(order, expected);
}
