//! Load (issue 9 item 5): a client that never reads while its views push, and a client that
//! floods events. Neither grows the server's memory, neither slows another session down, the
//! stalled views freeze (they run in their socket's task, which is not polled while the socket
//! cannot be written), and the flooding socket stays usable.
//!
//! The servers run in this process, so `VmRSS` of `/proc/self/status` is the server's memory
//! (plus the test client's). Each server has one worker thread: a session that hogged it would
//! show as latency on every other session.

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use liveview_diff::{html, Rendered};
use liveview_session::{
    live_session_count, live_view_count, Assigns, LiveView, Params, Session, SessionConfig, Socket,
    ViewError,
};
use serde_json::json;
use support::{
    assert_click_counts, click, join_frame, joined_lab, page, raw_send, raw_websocket, recv,
    reply_to, reset, send, serial, sessions_settle_at, start_app, views_settle_at, vm_rss_kib,
    wait_for, Conn, Lab, Page, SECRET, TIMEOUT,
};

/// How often a `Flood` view pushes.
const FLOOD_EVERY: Duration = Duration::from_millis(2);
/// The size of the text that changes with every push (so each diff is about this big).
const FLOOD_BYTES: usize = 16 * 1024;
/// How long the stalled sockets are watched, frozen, while another session clicks.
const STALL: Duration = Duration::from_secs(2);
/// Sockets that never read, each with one `Flood` view.
const STALLED: usize = 4;
/// The latency bound for a click round trip of another session.
const MAX_P99: Duration = Duration::from_millis(200);

static FLOOD_TICKS: AtomicU64 = AtomicU64::new(0);
static FLOOD_RENDERS: AtomicU64 = AtomicU64::new(0);
static FLOOD_LAST_TICK: Mutex<Option<Instant>> = Mutex::new(None);

/// A view that pushes a 16 KiB change every 2 ms, from a timer re-armed in `handle_info`,
/// and counts its ticks and renders.
#[derive(Debug, Default)]
struct Flood;

impl LiveView for Flood {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("n", 0_u64);
        if s.connected() {
            s.send_after(FLOOD_EVERY, ());
        }
        Ok(())
    }

    fn handle_info(&mut self, (): (), s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.update("n", |n: &mut u64| *n += 1);
        FLOOD_TICKS.fetch_add(1, Ordering::SeqCst);
        *FLOOD_LAST_TICK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Instant::now());
        s.send_after(FLOOD_EVERY, ());
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        FLOOD_RENDERS.fetch_add(1, Ordering::SeqCst);
        let n: u64 = a.get("n");
        let filler = format!("{n:08}{}", "x".repeat(FLOOD_BYTES));
        html! { p { (n) } pre { (filler) } }
    }
}

/// `Lab` at `/lab` and `Flood` at `/flood`.
fn load_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start_app(
            liveview_http::LiveConfig::new(SECRET)
                .live::<Lab>("/lab")
                .live::<Flood>("/flood")
                .session_config(SessionConfig {
                    // The prober clicks back to back for the whole stall; on an idle machine a
                    // round trip is ~100 µs, above the default 1,000 events/s. This server
                    // measures latency, not the rate limit (that is `rate_limited_server`).
                    max_events_per_sec: 1_000_000,
                    ..support::no_grace()
                }),
        )
    })
}

/// `Lab` with a low event rate limit.
///
/// 20 is below `SessionConfig::max_in_flight` (32), so a burst meets the rate limit before the
/// in-flight limit (`too many requests`).
const RATE: u32 = 20;

fn rate_limited_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start_app(
            liveview_http::LiveConfig::new(SECRET)
                .live::<Lab>("/lab")
                .session_config(SessionConfig {
                    max_events_per_sec: RATE,
                    ..support::no_grace()
                }),
        )
    })
}

/// A session whose click round trips are timed.
struct Prober {
    page: Page,
    conn: Conn,
    count: i64,
    rtts: Vec<Duration>,
}

impl Prober {
    async fn join(addr: SocketAddr) -> Self {
        let (page, conn) = joined_lab(addr).await;
        Self {
            page,
            conn,
            count: 0,
            rtts: Vec::new(),
        }
    }

    /// One click, answered with the exact next count; its round trip is recorded.
    async fn click(&mut self) -> Duration {
        self.count += 1;
        let start = Instant::now();
        assert_click_counts(&mut self.conn, &self.page, "1", self.count).await;
        let rtt = start.elapsed();
        self.rtts.push(rtt);
        rtt
    }

    /// The 99th percentile of the round trips so far, and forgets them.
    fn p99(&mut self) -> Duration {
        let mut rtts = std::mem::take(&mut self.rtts);
        assert!(rtts.len() >= 20, "only {} samples", rtts.len());
        rtts.sort();
        rtts[(rtts.len() * 99).div_ceil(100) - 1]
    }
}

fn last_flood_tick() -> Option<Instant> {
    *FLOOD_LAST_TICK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

// Four sockets complete the handshake, join a view that pushes 16 KiB every 2 ms, and never
// read again (their receive buffers are 4 KiB, so the kernel buffers fill within a second).
// Once a socket cannot take more bytes, actix-web stops polling its response, and with it the
// session and the views that run in the session's task: the flood views freeze instead of
// rendering for nobody (before views ran in their session's task, they kept rendering and
// dropping diffs until a stall limit stopped them). Meanwhile another session's click round
// trip stays under 200 ms at the 99th percentile and the server's memory stays flat; resetting
// the sockets frees everything. (Left alone, the kernel resets such sockets after the send
// timeout: `hardening_session`'s `a_socket_that_stops_reading_is_closed_after_the_send_timeout`.)
#[actix_rt::test]
async fn a_client_that_never_reads_stalls_only_itself_and_its_views_freeze() {
    let _serial = serial().await;
    let addr = load_server();
    let mut prober = Prober::join(addr).await;
    for _ in 0..20 {
        prober.click().await;
    }
    let quiet_p99 = prober.p99();
    assert!(quiet_p99 < MAX_P99, "p99 {quiet_p99:?} before the flood");

    let flood = page(addr, "/flood").await;
    let ticks0 = FLOOD_TICKS.load(Ordering::SeqCst);
    let rss_before = vm_rss_kib();
    let mut stalled = Vec::new();
    for _ in 0..STALLED {
        let mut stream = raw_websocket(&flood, Some(4096));
        raw_send(&mut stream, &join_frame(&flood, "1"));
        stalled.push(stream);
    }
    views_settle_at(1 + STALLED).await;
    wait_for("the flood views to tick", || {
        FLOOD_TICKS.load(Ordering::SeqCst) > ticks0
    })
    .await;
    wait_for("the stalled flood views to freeze", || {
        last_flood_tick().is_some_and(|t| t.elapsed() > Duration::from_millis(250))
    })
    .await;
    let frozen_at = Instant::now();
    let (ticks, renders) = (
        FLOOD_TICKS.load(Ordering::SeqCst),
        FLOOD_RENDERS.load(Ordering::SeqCst),
    );
    let rss_stalled = vm_rss_kib();

    // Click throughout the stall.
    let mut worst = Duration::ZERO;
    while frozen_at.elapsed() < STALL || prober.rtts.len() < 40 {
        worst = worst.max(prober.click().await);
    }
    let flood_p99 = prober.p99();
    let rss_after = vm_rss_kib();
    eprintln!(
        "quiet p99 {quiet_p99:?}; during the stall p99 {flood_p99:?}, worst {worst:?}; \
         {} ticks before the views froze; VmRSS {rss_before} -> {rss_stalled} -> {rss_after} KiB",
        ticks - ticks0
    );
    assert!(flood_p99 < MAX_P99, "p99 {flood_p99:?} during the stall");
    // Frozen: not one tick or render more while their sockets stay full.
    assert_eq!(
        FLOOD_TICKS.load(Ordering::SeqCst),
        ticks,
        "a frozen view ticked"
    );
    assert_eq!(
        FLOOD_RENDERS.load(Ordering::SeqCst),
        renders,
        "a frozen view rendered"
    );
    // Bounded: the memory does not grow beyond noise; 32 MiB is generous.
    assert!(
        rss_after.saturating_sub(rss_stalled) < 32 * 1024,
        "VmRSS grew from {rss_stalled} KiB to {rss_after} KiB during the stall"
    );
    assert!(
        rss_after.saturating_sub(rss_before) < 64 * 1024,
        "VmRSS grew from {rss_before} KiB to {rss_after} KiB"
    );

    // The frozen views stay until their socket closes. A reset frees everything.
    assert_eq!(live_view_count(), 1 + STALLED);
    assert_eq!(live_session_count(), 1 + STALLED);
    for stream in stalled {
        reset(stream);
    }
    views_settle_at(1).await;
    sessions_settle_at(1).await;
    prober.click().await;
}

// A client sends 500 clicks without waiting for replies, ten times over, at a rate limit of
// 50 events per second. Every click is answered, either with its diff or with
// `error {"reason":"rate limited"}`; heartbeats are still answered; once tokens are back the
// next click counts on from the clicks that got through; memory stays flat.
#[actix_rt::test]
async fn an_event_flood_meets_the_rate_limit_and_the_socket_stays_usable() {
    let _serial = serial().await;
    let addr = rate_limited_server();
    let (page, mut conn) = joined_lab(addr).await;
    let topic = page.topic();
    let mut counted = 0_i64;
    let mut rss_first = 0;
    const ROUNDS: usize = 10;
    const BURST: usize = 500;
    for round in 0..ROUNDS {
        let start = Instant::now();
        for i in 0..BURST {
            send(
                &mut conn,
                click(&page, "1", &format!("{}", 1000 + i), "inc"),
            )
            .await;
        }
        // Refused events are answered at once, counted ones once their view has run, so the
        // replies come out of order: collect them by ref.
        let mut limited = 0;
        let mut counts = Vec::new();
        let mut refs = std::collections::BTreeSet::new();
        for _ in 0..BURST {
            let reply = recv(&mut conn).await;
            let reference = reply[1].as_str().expect("a ref").to_owned();
            assert!(refs.insert(reference.clone()), "two replies to {reference}");
            if reply[4]["status"] == "ok" {
                let count = reply[4]["response"]["diff"]["0"].as_str().expect("a count");
                counts.push(count.parse::<i64>().expect("a number"));
                assert_eq!(
                    reply,
                    json!(["1", reference, topic, "phx_reply",
                        {"status": "ok", "response": {"diff": {"0": count}}}])
                );
            } else {
                limited += 1;
                assert_eq!(
                    reply,
                    json!(["1", reference, topic, "phx_reply",
                        {"status": "error", "response": {"reason": "rate limited"}}])
                );
            }
        }
        // Every click got exactly one reply, and the counted ones counted on without a gap.
        assert_eq!(refs.len(), BURST);
        counts.sort_unstable();
        let passed = counts.len();
        let expected: Vec<i64> = (counted + 1..=counted + passed as i64).collect();
        assert_eq!(counts, expected, "round {round}");
        counted += passed as i64;
        let allowed = f64::from(RATE) * (1.0 + start.elapsed().as_secs_f64()) + 1.0;
        assert_eq!(passed + limited, BURST);
        assert!(limited > 0, "round {round}: nothing was rate limited");
        assert!(
            (passed as f64) <= allowed,
            "round {round}: {passed} events passed, at most {allowed} allowed"
        );
        // Heartbeats are not events: answered at once.
        send(&mut conn, json!([null, "7", "phoenix", "heartbeat", {}])).await;
        let reply = reply_to(&mut conn, "7").await;
        assert_eq!(reply[4]["status"], "ok", "{reply}");
        // Once a token is back, a click counts on.
        let waited = Instant::now();
        loop {
            send(&mut conn, click(&page, "1", "99", "inc")).await;
            let reply = reply_to(&mut conn, "99").await;
            if reply[4]["status"] == "ok" {
                counted += 1;
                assert_eq!(reply[4]["response"]["diff"]["0"], counted.to_string());
                break;
            }
            assert!(waited.elapsed() < TIMEOUT, "the socket stayed rate limited");
            actix_rt::time::sleep(Duration::from_millis(5)).await;
        }
        if round == 0 {
            rss_first = vm_rss_kib();
        }
    }
    let rss_last = vm_rss_kib();
    eprintln!(
        "{counted} of about {} clicks counted; VmRSS {rss_first} -> {rss_last} KiB",
        ROUNDS * (BURST + 1)
    );
    assert!(
        rss_last.saturating_sub(rss_first) < 8 * 1024,
        "VmRSS grew from {rss_first} KiB to {rss_last} KiB over {ROUNDS} floods"
    );
    assert_eq!(live_session_count(), 1);
    assert_eq!(live_view_count(), 1);
}
