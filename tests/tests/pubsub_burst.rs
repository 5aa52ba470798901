//! Issue 24 finding 3: PubSub delivers without loss while subscribers keep up. One socket
//! pipelines 1,000 chat messages at the default limits; three observing views, each on its own
//! socket, must each receive every message the broker accepted, counted in `handle_info`.
//! Before the backlog, the broker `try_send`ed into each view's 64-slot mailbox and dropped
//! what did not fit (observers saw 298, 508 and 291 of 521 accepted messages).

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use liveview_diff::{html, Rendered};
use liveview_session::{
    Assigns, LiveView, Params, PubSub, Session, SessionConfig, Socket, Topic, ViewError,
};
use serde_json::{json, Value};
use support::{connect, join, page, recv, send, serial, SECRET};

static ROOM: Topic<u32> = Topic::new("room");

/// Messages the broker accepted (`broadcast` returned `Ok`).
static ACCEPTED: AtomicUsize = AtomicUsize::new(0);

/// `handle_info` calls per observer, by the observer's `slot` parameter.
static RECEIVED: Mutex<[usize; 3]> = Mutex::new([0; 3]);

fn pubsub() -> PubSub {
    static PUBSUB: OnceLock<PubSub> = OnceLock::new();
    PUBSUB.get_or_init(PubSub::start).clone()
}

struct Chat {
    pubsub: PubSub,
    slot: Option<usize>,
}

impl LiveView for Chat {
    type Info = u32;
    type Event = ();

    fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        self.slot = p.get("slot").and_then(|n| n.parse().ok());
        if self.slot.is_some() {
            s.subscribe(&self.pubsub, &ROOM)?;
        }
        s.assign("log", Vec::<u32>::new());
        Ok(())
    }

    fn handle_event(&mut self, e: &str, v: &Value, _: &mut Socket<Self>) -> Result<(), ViewError> {
        if e == "say" {
            let n = v["n"]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0);
            self.pubsub.broadcast(&ROOM, n)?;
            ACCEPTED.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    fn handle_info(&mut self, n: u32, s: &mut Socket<Self>) -> Result<(), ViewError> {
        if let Some(slot) = self.slot {
            RECEIVED.lock().unwrap_or_else(PoisonError::into_inner)[slot] += 1;
        }
        // A chat log of the last 200 lines: rendering it is the work that makes an observer
        // slower than the broker.
        s.update("log", |log: &mut Vec<u32>| {
            log.push(n);
            if log.len() > 200 {
                log.remove(0);
            }
        });
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let log: Vec<u32> = a.get("log");
        html! { ul { @for line in &log { li { "message " (line) } } } }
    }
}

fn chat_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        support::start_with_workers(
            liveview_http::LiveConfig::new(SECRET)
                .live_with("/chat", || Chat {
                    pubsub: pubsub(),
                    slot: None,
                })
                .session_config(support::no_grace()),
            2,
        )
    })
}

#[actix_rt::test]
async fn every_accepted_message_of_a_pipelined_burst_reaches_each_observer() {
    let _serial = serial().await;
    let addr = chat_server();
    let mut observers = Vec::new();
    for slot in 0..3 {
        let page = page(addr, &format!("/chat?slot={slot}")).await;
        let mut conn = connect(&page).await;
        let reply = join(&mut conn, &page, "1").await;
        assert_eq!(reply[4]["status"], "ok", "{reply}");
        observers.push(conn);
    }
    let page = page(addr, "/chat").await;
    let mut talker = connect(&page).await;
    assert_eq!(join(&mut talker, &page, "1").await[4]["status"], "ok");

    // Pipelined as a busy client would: as many events in flight as the server takes
    // (`SessionConfig::max_in_flight`, less one for good measure), the next sent as each
    // reply comes.
    const BURST: usize = 1_000;
    let window = SessionConfig::default().max_in_flight - 1;
    let say = |i: usize| {
        json!(["1", format!("m{i}"), page.topic(), "event",
            {"type": "click", "event": "say", "value": {"n": i}}])
    };
    let mut sent = 0;
    while sent < window {
        send(&mut talker, say(sent)).await;
        sent += 1;
    }
    let mut replies = 0;
    while replies < BURST {
        let frame = recv(&mut talker).await;
        if frame[3] == "phx_reply" {
            replies += 1;
            if sent < BURST {
                send(&mut talker, say(sent)).await;
                sent += 1;
            }
        }
    }
    let accepted = ACCEPTED.load(Ordering::SeqCst);
    assert!(accepted > 0, "no message accepted");

    // Each observer's socket keeps reading (as a browser does) while the test waits for every
    // `handle_info` to run.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let received = *RECEIVED.lock().unwrap_or_else(PoisonError::into_inner);
        if received == [accepted; 3] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "observers received {received:?} of {accepted} accepted messages"
        );
        for conn in &mut observers {
            // Drain what is there; a quiet socket is fine.
            let _ = actix_rt::time::timeout(Duration::from_millis(20), recv(conn)).await;
        }
    }
    assert_eq!(pubsub().missed(), 0);
    eprintln!("{accepted} of {BURST} messages accepted; each observer received all of them");
}
