//! Expectations declared up front, checked after the run (tracing-mock style).

mod support;

use std::time::Duration;

use liveview_test::{
    assert_no_more, expect_received, expect_sent, live, Inbound, Outbound, PushKind,
};
use support::Counter;

#[actix_rt::test]
async fn expected_messages_arrive_in_order() {
    let mut view = live::<Counter>("/").await;
    let mut expect = view.expect();
    expect_received!(expect, Inbound::Event { event, .. } if event == "inc");
    expect_sent!(expect, Outbound::Reply { diff: Some(d), .. } if d == r#"{"0":"1","t":"Counter 1"}"#);
    expect_received!(expect, Inbound::Info { message } if message == "7");
    expect_sent!(expect, Outbound::Push(PushKind::Diff(d)) if d == r#"{"0":"7"}"#);
    expect.only();
    view.click("#inc").await;
    view.send_info(7).await;
    expect.assert_finished().await;
}

#[actix_rt::test]
async fn without_only_other_messages_may_come_between() {
    let mut view = live::<Counter>("/").await;
    let mut expect = view.expect();
    expect.received(
        "a click on inc10",
        |m| matches!(m, Inbound::Event { value, .. } if value["by"] == "10"),
    );
    view.click("#inc").await;
    view.click("#inc10").await;
    expect.assert_finished().await;
    assert_eq!(view.text("#count"), "11");
}

#[actix_rt::test]
async fn matched_messages_are_consumed() {
    let mut view = live::<Counter>("/").await;
    view.mailbox().flush();
    let mut expect = view.expect();
    expect.any_received().any_sent().only();
    view.click("#inc").await;
    expect.assert_finished().await;
    assert_no_more!(view.mailbox());
}

#[actix_rt::test]
async fn expectations_wait_for_messages_still_in_flight() {
    let mut view = live::<support::Navigator>("/").await;
    let mut expect = view.expect();
    expect_sent!(expect, Outbound::Push(PushKind::Diff(d)) if d.contains("pong"));
    expect.timeout(Duration::from_secs(2));
    view.send_info("later").await;
    expect.assert_finished().await;
}

#[actix_rt::test]
#[should_panic(
    expected = "expected `In(Inbound::Event { event, .. } if event == \"dec\")` \
                           (expectation 1 of 1) within 50ms, but it did not arrive"
)]
async fn a_missing_message_is_named_with_what_arrived() {
    let mut view = live::<Counter>("/").await;
    let mut expect = view.expect();
    expect_received!(expect, Inbound::Event { event, .. } if event == "dec");
    expect.timeout(Duration::from_millis(50));
    view.click("#inc").await;
    expect.assert_finished().await;
}

#[actix_rt::test]
#[should_panic(expected = "(expectation 1 of 2), but got In(Event")]
async fn only_fails_when_another_message_comes_first() {
    let mut view = live::<Counter>("/").await;
    let mut expect = view.expect();
    expect_sent!(expect, Outbound::Reply { .. });
    expect_received!(expect, Inbound::Event { .. });
    expect.only();
    view.click("#inc").await;
    expect.assert_finished().await;
}

#[actix_rt::test]
#[should_panic(expected = "expected only the 1 declared message(s), but 1 more arrived")]
async fn only_fails_when_more_messages_follow() {
    let mut view = live::<Counter>("/").await;
    let mut expect = view.expect();
    expect_received!(expect, Inbound::Event { .. });
    expect.only();
    view.click("#inc").await;
    expect.assert_finished().await;
}
