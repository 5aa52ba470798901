//! Disconnects (issue 9 item 6): connections that end badly leave no session, no view and no
//! timer behind. Three ways, each repeated [`cycles()`] times (2,000 by default, 8 lanes at a
//! time) against a view that re-arms a 50 ms timer for as long as it lives:
//!
//! - a reset (`SO_LINGER` 0: RST, no FIN, no close frame), right after the join was sent, or
//!   once its reply has started to arrive;
//! - a half-open socket: the client joins, then sends nothing and never closes; the server's
//!   idle timeout (300 ms here) must close it;
//! - a disconnect in the middle of the handshake: half of the HTTP upgrade request, then a
//!   FIN or a reset; or the whole request, then a reset before the `101` is read.
//!
//! After each, `live_view_count()` and `live_session_count()` return to their baselines (polled
//! with a timeout), the timer ticks stop, no unexpected panic happened, and a fresh session
//! still joins and answers a click.
//!
//! `LIVEVIEW_DISCONNECT_CYCLES=10000 cargo test -p liveview-integration-tests --test
//! disconnects` runs 10,000 cycles of each.

mod support;

use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use liveview_diff::{html, Rendered};
use liveview_session::{Assigns, LiveView, Params, Session, SessionConfig, Socket, ViewError};
use support::{
    assert_click_counts, join_frame, joined_lab, page, raw_send, raw_websocket, read_to_close,
    reset, serial, sessions_settle_at, start_app, tcp, unexpected_panics, upgrade_request,
    views_settle_at, Lab, Page, SECRET,
};

const LANES: usize = 8;
const IDLE: Duration = Duration::from_millis(300);
const PULSE_EVERY: Duration = Duration::from_millis(50);

/// Cycles of each kind: `LIVEVIEW_DISCONNECT_CYCLES`, or 2,000.
fn cycles() -> usize {
    std::env::var("LIVEVIEW_DISCONNECT_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

static PULSES: AtomicU64 = AtomicU64::new(0);

/// A view that ticks every 50 ms from a timer re-armed in `handle_info`, as long as it lives.
#[derive(Debug, Default)]
struct Pulse;

impl LiveView for Pulse {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("n", 0_u64);
        if s.connected() {
            s.send_after(PULSE_EVERY, ());
        }
        Ok(())
    }

    fn handle_info(&mut self, (): (), s: &mut Socket<Self>) -> Result<(), ViewError> {
        PULSES.fetch_add(1, Ordering::SeqCst);
        s.update("n", |n: &mut u64| *n += 1);
        s.send_after(PULSE_EVERY, ());
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let n: u64 = a.get("n");
        html! { p { (n) } }
    }
}

/// `Lab` at `/lab`, `Pulse` at `/pulse`, a 300 ms idle timeout.
fn disconnect_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        start_app(
            liveview_http::LiveConfig::new(SECRET)
                .live::<Lab>("/lab")
                .live::<Pulse>("/pulse")
                .session_config(SessionConfig {
                    idle_timeout: IDLE,
                    ..support::no_grace()
                }),
        )
    })
}

/// Runs `cycle(page, i)` for `i` in `0..cycles()`, split over [`LANES`] threads.
fn in_lanes(page: &Page, cycle: impl Fn(&Page, usize) + Sync) {
    let n = cycles();
    std::thread::scope(|s| {
        for lane in 0..LANES {
            let cycle = &cycle;
            s.spawn(move || {
                for i in (lane..n).step_by(LANES) {
                    cycle(page, i);
                }
            });
        }
    });
}

/// After the cycles: no view, no session, no timer left, no unexpected panic, and the server
/// still serves a fresh session.
async fn assert_nothing_left(addr: SocketAddr, panics: usize, started: Instant) {
    views_settle_at(0).await;
    sessions_settle_at(0).await;
    // No view actor is left, so no timer can be; and indeed no pulse comes any more (five
    // periods of silence).
    let pulses = PULSES.load(Ordering::SeqCst);
    std::thread::sleep(PULSE_EVERY * 5);
    assert_eq!(
        PULSES.load(Ordering::SeqCst),
        pulses,
        "a timer outlived its view"
    );
    assert_eq!(unexpected_panics(), panics, "the server panicked");
    eprintln!("{} cycles in {:?}", cycles(), started.elapsed());
    let (page, mut conn) = joined_lab(addr).await;
    assert_click_counts(&mut conn, &page, "1", 1).await;
    drop(conn);
    sessions_settle_at(0).await;
}

// A reset right after the join was sent (even cycles: the join races with the reset), or once
// the join reply has started to arrive (odd cycles: the view is mounted and ticking).
#[actix_rt::test]
async fn resets_leave_no_session_view_or_timer_behind() {
    let _serial = serial().await;
    let (panics, started) = (unexpected_panics(), Instant::now());
    let addr = disconnect_server();
    let page = page(addr, "/pulse").await;
    in_lanes(&page, |page, i| {
        let mut stream = raw_websocket(page, None);
        raw_send(&mut stream, &join_frame(page, "1"));
        if i % 2 == 1 {
            let mut first = [0_u8; 1];
            let n = stream.read(&mut first).expect("the join reply");
            assert_eq!(n, 1, "closed before the join reply");
        }
        reset(stream);
    });
    assert_nothing_left(addr, panics, started).await;
}

// Half-open: the client joins, then sends nothing and never closes. The idle timeout closes
// each socket (50 per lane at a time, 400 at once), and its view stops with it.
#[actix_rt::test]
async fn half_open_sockets_are_closed_by_the_idle_timeout_and_leave_nothing_behind() {
    const BATCH: usize = 50;
    let _serial = serial().await;
    let (panics, started) = (unexpected_panics(), Instant::now());
    let addr = disconnect_server();
    let page = page(addr, "/pulse").await;
    let pulses = PULSES.load(Ordering::SeqCst);
    let n = cycles();
    std::thread::scope(|s| {
        for lane in 0..LANES {
            let page = &page;
            s.spawn(move || {
                let mine = (lane..n).step_by(LANES).count();
                let mut done = 0;
                while done < mine {
                    let batch = BATCH.min(mine - done);
                    let mut open: Vec<_> = (0..batch)
                        .map(|_| {
                            let mut stream = raw_websocket(page, None);
                            raw_send(&mut stream, &join_frame(page, "1"));
                            stream
                        })
                        .collect();
                    // Silent from here on; the server must end each connection.
                    for stream in &mut open {
                        read_to_close(stream);
                    }
                    done += batch;
                }
            });
        }
    });
    // The views were ticking when their sockets went silent.
    assert!(
        PULSES.load(Ordering::SeqCst) > pulses,
        "no view ever ticked"
    );
    assert_nothing_left(addr, panics, started).await;
}

// Half of the upgrade request, then a FIN (cycles 0 mod 3) or a reset (1 mod 3); or the whole
// request, then a reset before the `101` is read (2 mod 3: the session may already run).
#[actix_rt::test]
async fn disconnects_mid_handshake_leave_nothing_behind() {
    let _serial = serial().await;
    let (panics, started) = (unexpected_panics(), Instant::now());
    let addr = disconnect_server();
    let page = page(addr, "/pulse").await;
    let origin = format!("http://{addr}");
    let request = upgrade_request(&page, Some(&origin));
    let half = &request.as_bytes()[..request.len() / 2];
    in_lanes(&page, |page, i| {
        let mut stream = tcp(page.addr(), None);
        match i % 3 {
            0 => {
                stream.write_all(half).expect("write");
                drop(stream);
            }
            1 => {
                stream.write_all(half).expect("write");
                reset(stream);
            }
            _ => {
                stream.write_all(request.as_bytes()).expect("write");
                reset(stream);
            }
        }
    });
    assert_nothing_left(addr, panics, started).await;
}
