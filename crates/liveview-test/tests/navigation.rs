//! Patches, redirects and pushed events.

mod support;

use liveview_test::live;
use serde_json::json;
use support::Navigator;

#[actix_rt::test]
async fn patch_runs_handle_params_with_the_new_query() {
    let mut view = live::<Navigator>("/").await;
    view.patch("/?page=4").await;
    assert_eq!(view.text("#page"), "4");
    assert_eq!(view.uri(), "http://localhost/?page=4");
}

#[actix_rt::test]
async fn push_patch_from_an_event_is_asserted_and_applied() {
    let mut view = live::<Navigator>("/").await;
    let html = view.click("#next").await;
    assert!(html.contains("<p id=\"page\">2</p>"), "{html}");
    view.assert_patch("/?page=2").await;
}

#[actix_rt::test]
async fn push_patch_from_handle_info_is_applied() {
    let mut view = live::<Navigator>("/").await;
    view.send_info("patch").await;
    view.assert_patch("/?page=3").await;
    assert_eq!(view.text("#page"), "3");
}

#[actix_rt::test]
async fn redirect_from_an_event_is_asserted() {
    let mut view = live::<Navigator>("/").await;
    view.click("#away").await;
    view.assert_redirect("/elsewhere").await;
}

#[actix_rt::test]
async fn live_navigation_counts_as_a_redirect() {
    let mut view = live::<Navigator>("/").await;
    view.click("#nav").await;
    view.assert_redirect("/other").await;
}

#[actix_rt::test]
#[should_panic(
    expected = "cannot click: the view no longer takes events because it redirected to `/elsewhere`"
)]
async fn events_after_a_redirect_are_refused() {
    let mut view = live::<Navigator>("/").await;
    view.click("#away").await;
    view.click("#ping").await;
}

#[actix_rt::test]
#[should_panic(expected = "expected a redirect to `/nowhere`")]
async fn a_missing_redirect_lists_the_navigations_seen() {
    let mut view = live::<Navigator>("/").await;
    view.click("#away").await;
    view.assert_redirect("/nowhere").await;
}

#[actix_rt::test]
async fn pushed_events_are_asserted_by_name_and_payload() {
    let mut view = live::<Navigator>("/").await;
    view.click("#ping").await;
    view.assert_push_event("highlight", &json!({"id": "b"}))
        .await;
}

#[actix_rt::test]
async fn events_pushed_by_a_timer_are_awaited() {
    let mut view = live::<Navigator>("/").await;
    view.send_info("later").await;
    view.assert_push_event("pong", &json!({})).await;
}

#[actix_rt::test]
#[should_panic(expected = "expected the view to push event `nope`")]
async fn a_missing_pushed_event_lists_the_events_pushed() {
    let mut view = live::<Navigator>("/").await;
    view.click("#ping").await;
    view.assert_push_event("nope", &json!({})).await;
}
