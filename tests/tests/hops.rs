//! The event hot path keeps one message hop (issue 19): a click is one request from the
//! session to its view, which runs in the session's task and answers through its outlet, with
//! no message back to the session. Alone in its test binary, because the counters are
//! process-wide.

mod support;

use liveview_session::hop_counters;
use support::{assert_click_counts, joined_lab, start_app, Lab};

const CLICKS: u64 = 200;

#[actix_rt::test]
async fn a_click_is_one_message_hop_and_no_message_back() {
    let addr = start_app(
        liveview_http::LiveConfig::new(support::SECRET)
            .live::<Lab>("/lab")
            .session_config(support::no_grace()),
    );
    let (page, mut conn) = joined_lab(addr).await;
    let before = hop_counters();
    for n in 1..=CLICKS {
        assert_click_counts(&mut conn, &page, "1", n as i64).await;
    }
    let after = hop_counters();
    let calls = after.calls - before.calls;
    let polls = after.view_polls - before.view_polls;
    let session_messages = after.session_messages - before.session_messages;
    eprintln!("{CLICKS} clicks: {calls} calls, {polls} view polls, {session_messages} messages to the session");
    assert_eq!(calls, CLICKS, "one request per click");
    assert_eq!(
        session_messages, 0,
        "answers travel through the outlet, not the mailbox"
    );
    // The view's future is polled each time its session's context is: in the pass that
    // reads the click (and answers it), after actix-web takes the written frame, and once more
    // for the wake-up the request's `do_send` caused. More would mean work moved to polls of
    // its own.
    assert!(
        polls <= 3 * CLICKS + CLICKS / 10,
        "{polls} polls of the view for {CLICKS} clicks"
    );
}
