//! The clock, in process: timer ticks through `send_info`, and the real timer.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use example_clock::{Clock, Tick, TimeSource};
use liveview_test::{assert_receive, assert_sent, Inbound, LiveViewTest, Outbound, PushKind};

/// A time source that starts at 01:01:01 UTC and moves one second per reading.
fn stepping_clock() -> TimeSource {
    let secs = Arc::new(AtomicU64::new(3661));
    Arc::new(move || UNIX_EPOCH + Duration::from_secs(secs.fetch_add(1, Ordering::Relaxed)))
}

/// A clock whose timer never fires during a test: ticks come from `send_info`.
fn manual_clock() -> impl Fn() -> Clock + 'static {
    let now = stepping_clock();
    move || Clock::new(Duration::from_secs(3600), Arc::clone(&now))
}

#[actix_rt::test]
async fn the_dead_render_shows_the_time_and_no_ticks() {
    let view = LiveViewTest::builder(manual_clock()).mount().await;
    let html = view.dead_html();
    assert!(
        html.contains(r#"<time id="clock">01:01:01</time>"#),
        "{html}"
    );
    assert!(html.contains(r#"<span id="ticks">0</span>"#), "{html}");
    // The connected mount read the clock again.
    assert_eq!(view.text("#clock"), "01:01:02");
    assert_eq!(view.page_title().as_deref(), Some("Clock"));
}

#[actix_rt::test]
async fn each_tick_shows_the_new_time_and_counts_it() {
    let mut view = LiveViewTest::builder(manual_clock()).mount().await;
    view.mailbox().flush();

    view.send_info(Tick).await;
    assert_receive!(view.mailbox(), Inbound::Info { message } if message == "Tick");
    assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(d)) if d == r#"{"0":"01:01:03","1":"1"}"#);
    assert_eq!(view.text("#clock"), "01:01:03");
    assert_eq!(view.text("#ticks"), "1");

    view.send_info(Tick).await;
    assert_eq!(view.text("#clock"), "01:01:04");
    assert_eq!(view.text("#ticks"), "2");
}

#[actix_rt::test]
async fn the_timer_pushes_the_time_again_and_again_without_any_event() {
    let now = stepping_clock();
    let mut view =
        LiveViewTest::builder(move || Clock::new(Duration::from_millis(20), Arc::clone(&now)))
            .mount()
            .await;
    // Each tick reads the clock once and re-arms the timer: 01:01:03, then 01:01:04, ...
    assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(d)) if d == r#"{"0":"01:01:03","1":"1"}"#);
    assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(d)) if d == r#"{"0":"01:01:04","1":"2"}"#);
    let ticks: u64 = view.text("#ticks").parse().expect("a number");
    assert!(ticks >= 2, "{ticks}");
    assert!(view
        .mailbox()
        .inbound()
        .iter()
        .all(|m| !matches!(m, Inbound::Event { .. })));
    view.leave().await;
}

#[test]
fn utc_hms_wraps_at_midnight() {
    let t = UNIX_EPOCH + Duration::from_secs(3 * 86_400 + 23 * 3600 + 59 * 60 + 59);
    assert_eq!(example_clock::utc_hms(t), "23:59:59");
    assert_eq!(
        example_clock::utc_hms(t + Duration::from_secs(1)),
        "00:00:00"
    );
}
