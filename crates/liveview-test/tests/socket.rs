//! Socket mode: the same API against a real server over a real websocket.

mod support;

use liveview_http::LiveConfig;
use liveview_test::socket::{self, Connection, FrameEntry, TestServer};
use liveview_test::{
    assert_receive, assert_sent, expect_received, expect_sent, Error, LiveViewTest,
};
use serde_json::json;
use support::{Bouncer, Keys, Navigator, UserForm};

const SECRET: &str = "liveview-test socket mode: a secret of 32+ bytes";

/// The counter of `examples/counter`, served on 127.0.0.1 and joined at `/`.
async fn counter() -> LiveViewTest<Connection> {
    let live = example_counter::live_config();
    socket::connect(move || example_counter::app(live.clone()), "/").await
}

fn fixtures() -> TestServer {
    TestServer::live(
        LiveConfig::new(SECRET)
            .live::<Navigator>("/")
            .live::<UserForm>("/form")
            .live::<Keys>("/keys")
            .live::<Bouncer>("/bouncer"),
    )
}

#[actix_rt::test]
async fn connecting_does_the_dead_render_then_joins() {
    let view = counter().await;
    assert!(
        view.dead_html().contains(r#"<span id="count">0</span>"#),
        "{}",
        view.dead_html()
    );
    assert_eq!(view.text("#count"), "0");
    assert_eq!(view.page_title().as_deref(), Some("Count: 0"));
    assert!(
        view.uri().starts_with("http://127.0.0.1:"),
        "{}",
        view.uri()
    );
}

#[actix_rt::test]
async fn clicking_inc_changes_count() {
    let mut view = counter().await;
    let html = view.click("#inc").await;
    assert!(html.contains(r#"<span id="count">1</span>"#), "{html}");
    assert_eq!(view.text("#count"), "1");
}

#[actix_rt::test]
async fn the_title_follows_the_count() {
    let mut view = counter().await;
    view.click("#inc").await;
    assert_eq!(view.page_title().as_deref(), Some("Count: 1"));
    view.click("#dec").await;
    view.click("#dec").await;
    assert_eq!(view.page_title().as_deref(), Some("Count: -1"));
    assert_eq!(view.text("#count"), "-1");
}

#[actix_rt::test]
async fn frames_record_the_join_and_each_event_with_its_reply() {
    let mut view = counter().await;
    view.click("#inc").await;
    let join = assert_receive!(view.frames(), f if f.event == "phx_join");
    assert!(join.topic.starts_with("lv:phx-"), "{join:?}");
    assert_sent!(view.frames(), f if f.event == "phx_reply" && f.payload["response"]["rendered"].is_object());
    let click = assert_receive!(view.frames(), f if f.event == "event");
    assert_eq!(
        click.payload,
        json!({"type": "click", "event": "inc", "value": {"value": ""}})
    );
    let reply = assert_sent!(view.frames(), f if f.event == "phx_reply");
    assert_eq!(reply.reference, click.reference);
    assert_eq!(
        reply.payload,
        json!({"status": "ok", "response": {"diff": {"0": "1", "t": "Count: 1"}}})
    );
    liveview_test::assert_no_more!(view.frames());
}

#[actix_rt::test]
async fn two_clients_of_one_server_have_their_own_counts() {
    let server = TestServer::live(example_counter::live_config());
    let mut a = server.connect("/").await;
    let b = LiveViewTest::connect(&server.url(""), "/").await;
    a.click("#inc").await;
    assert_eq!(a.text("#count"), "1");
    assert_eq!(b.text("#count"), "0");
}

#[actix_rt::test]
async fn patch_runs_handle_params_on_the_server() {
    let server = fixtures();
    let mut view = server.connect("/").await;
    view.patch("/?page=4").await;
    assert_eq!(view.text("#page"), "4");
    assert_eq!(view.uri(), server.url("/?page=4"));
    assert_receive!(view.frames(), f if f.event == "live_patch" && f.payload["url"] == server.url("/?page=4"));
}

#[actix_rt::test]
async fn push_patch_from_an_event_is_asserted_and_applied() {
    let mut view = fixtures().connect("/").await;
    view.click("#next").await;
    view.assert_patch("/?page=2").await;
    assert_eq!(view.text("#page"), "2");
}

#[actix_rt::test]
async fn redirect_from_an_event_is_asserted() {
    let mut view = fixtures().connect("/").await;
    view.click("#away").await;
    view.assert_redirect("/elsewhere").await;
}

#[actix_rt::test]
async fn live_navigation_counts_as_a_redirect() {
    let mut view = fixtures().connect("/").await;
    view.click("#nav").await;
    view.assert_redirect("/other").await;
}

#[actix_rt::test]
#[should_panic(
    expected = "cannot click: the view no longer takes events because it redirected to `/elsewhere`"
)]
async fn events_after_a_redirect_are_refused() {
    let mut view = fixtures().connect("/").await;
    view.click("#away").await;
    view.click("#ping").await;
}

#[actix_rt::test]
async fn pushed_events_are_asserted_by_name_and_payload() {
    let mut view = fixtures().connect("/").await;
    view.click("#ping").await;
    view.assert_push_event("highlight", &json!({"id": "b"}))
        .await;
}

#[actix_rt::test]
async fn forms_and_keys_send_the_same_payloads_as_in_process() {
    let server = fixtures();
    let mut form = server.connect("/form").await;
    form.submit("#user", json!({"user": {"email": "a@b.c"}}))
        .await;
    let last: serde_json::Value = serde_json::from_str(&form.text("#last")).unwrap();
    assert_eq!(last["user"]["email"], "a@b.c");
    assert_eq!(last["user"]["name"], "ana");
    assert_eq!(form.text("#event"), "save");

    let mut keys = server.connect("/keys").await;
    keys.keydown("#search", "Enter").await;
    assert_eq!(keys.text("#log"), "search:Enter");
}

#[actix_rt::test]
async fn a_redirect_during_mount_is_reported_by_try_connect() {
    let server = fixtures();
    let err = LiveViewTest::try_connect(&server.url(""), "/bouncer")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Redirected { ref to } if to == "/login"),
        "{err:?}"
    );
}

#[actix_rt::test]
async fn a_page_that_is_not_live_is_reported() {
    let server = fixtures();
    let err = LiveViewTest::try_connect(&server.url(""), "/nowhere")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status { status: 404, .. }), "{err:?}");
}

#[actix_rt::test]
async fn expectations_on_frames_pass_in_order() {
    let mut view = counter().await;
    let mut expect = view.expect();
    expect_received!(expect, f if f.event == "event" && f.payload["event"] == "inc");
    expect_sent!(expect, f if f.event == "phx_reply" && f.payload["response"]["diff"]["0"] == "1");
    expect_received!(expect, f if f.event == "event" && f.payload["event"] == "dec");
    expect_sent!(expect, f if f.event == "phx_reply" && f.payload["response"]["diff"]["0"] == "0");
    expect.only();
    view.click("#inc").await;
    view.click("#dec").await;
    expect.assert_finished().await;
}

#[actix_rt::test]
#[should_panic(expected = "expected only the 1 declared message(s), but 1 more arrived")]
async fn only_fails_on_an_unexpected_frame() {
    let mut view = counter().await;
    let mut expect = view.expect();
    expect.message(
        "the click",
        |e: &FrameEntry| matches!(e, FrameEntry::In(f) if f.event == "event"),
    );
    expect.only();
    view.click("#inc").await;
    expect.assert_finished().await;
}
