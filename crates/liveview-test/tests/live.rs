//! Mounting and driving a view in-process: dead render, connected mount, clicks, reads.

mod support;

use liveview_test::{live, Error, LiveViewTest};
use support::{Bouncer, Counter};

#[actix_rt::test]
async fn mounting_runs_the_dead_render_then_the_connected_mount() {
    let view = live::<Counter>("/").await;
    assert!(view.dead_html().contains("<span id=\"count\">0</span>"));
    assert_eq!(view.text("#count"), "0");
    assert_eq!(view.page_title().as_deref(), Some("Counter"));
}

#[actix_rt::test]
async fn query_parameters_reach_mount() {
    let view = live::<Counter>("/?start=41").await;
    assert_eq!(view.text("#count"), "41");
}

#[actix_rt::test]
async fn route_patterns_turn_segments_into_parameters() {
    let view = LiveViewTest::builder(Counter::default)
        .route("/counters/{start}")
        .path("/counters/5")
        .mount()
        .await;
    assert_eq!(view.text("#count"), "5");
}

#[actix_rt::test]
async fn clicking_inc_returns_the_patched_html() {
    let mut view = live::<Counter>("/").await;
    let html = view.click("#inc").await;
    assert!(html.contains("<span id=\"count\">1</span>"), "{html}");
    assert_eq!(view.text("#count"), "1");
    assert_eq!(view.page_title().as_deref(), Some("Counter 1"));
}

#[actix_rt::test]
async fn clicking_sends_phx_value_attributes() {
    let mut view = live::<Counter>("/").await;
    view.click("#inc10").await;
    assert_eq!(view.text("#count"), "10");
    view.click_with("#dec", serde_json::json!({"by": "3"}))
        .await;
    assert_eq!(view.text("#count"), "7");
}

#[actix_rt::test]
async fn clicking_an_element_without_value_property_sends_an_empty_object() {
    let mut view = live::<Counter>("/?start=3").await;
    view.click("#reset").await;
    assert_eq!(view.text("#count"), "0");
}

#[actix_rt::test]
async fn has_element_filters_by_text() {
    let view = live::<Counter>("/").await;
    assert!(view.has_element("button", Some("+10")));
    assert!(view.has_element("#count", None));
    assert!(!view.has_element("button", Some("×")));
    assert!(!view.has_element("#missing", None));
}

#[actix_rt::test]
async fn element_html_is_the_outer_html() {
    let view = live::<Counter>("/").await;
    assert_eq!(view.element_html("#count"), "<span id=\"count\">0</span>");
}

#[actix_rt::test]
async fn send_info_returns_the_html_after_handle_info() {
    let mut view = live::<Counter>("/").await;
    let html = view.send_info(99).await;
    assert!(html.contains(">99<"), "{html}");
    assert_eq!(view.text("#count"), "99");
}

#[actix_rt::test]
async fn a_redirect_during_mount_is_reported_by_try_mount() {
    let err = LiveViewTest::builder(Bouncer::default)
        .try_mount()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Redirected { ref to } if to == "/login"),
        "{err:?}"
    );
}

#[actix_rt::test]
#[should_panic(expected = "mounting `/` redirected to `/login`")]
async fn a_redirect_during_mount_panics_in_live() {
    live::<Bouncer>("/").await;
}
