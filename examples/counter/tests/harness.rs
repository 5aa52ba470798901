//! The counter through the test harness: in process (the view actor's mailbox) and over a real
//! websocket (the frames).

use example_counter::Counter;
use liveview_test::{assert_receive, assert_sent, live, socket, Inbound, Outbound};

#[actix_rt::test]
async fn clicking_inc_and_dec_changes_the_count_and_the_title() {
    let mut view = live::<Counter>("/").await;
    assert_eq!(view.text("#count"), "0");
    view.click("#inc").await;
    view.click("#inc").await;
    view.click("#dec").await;
    assert_eq!(view.text("#count"), "1");
    assert_eq!(view.page_title().as_deref(), Some("Count: 1"));
}

#[actix_rt::test]
async fn the_view_receives_the_click_and_answers_with_a_minimal_diff() {
    let mut view = live::<Counter>("/").await;
    assert_receive!(view.mailbox(), Inbound::Mount);
    view.click("#inc").await;
    assert_receive!(view.mailbox(), Inbound::Event { event, .. } if event == "inc");
    assert_sent!(
        view.mailbox(),
        Outbound::Reply { diff: Some(d), .. } if d == r#"{"0":"1","t":"Count: 1"}"#
    );
}

#[actix_rt::test]
async fn over_a_websocket_the_click_is_one_frame_each_way() {
    let live = example_counter::live_config();
    let mut view = socket::connect(move || example_counter::app(live.clone()), "/").await;
    assert_eq!(view.text("#count"), "0");
    view.click("#inc").await;
    assert_eq!(view.text("#count"), "1");
    assert_sent!(
        view.frames(),
        f if f.event == "phx_reply" && f.payload["response"]["diff"]["0"] == "1"
    );
}
