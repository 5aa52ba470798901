//! The scenario views in-process (no browser): what the browser tests rely on.

use example_scenarios::{CrashView, FormView, ListView, PatchView};
use liveview_test::live;
use serde_json::json;

#[actix_rt::test]
async fn form_validates_on_change_and_reports_the_submit() {
    let mut view = live::<FormView>("/form").await;
    assert!(view.dead_html().contains(r#"<form id="signup""#));
    view.change("#signup", json!({"user": {"name": "ab"}}))
        .await;
    assert_eq!(view.text("#echo"), "ab");
    assert!(view.text("#name-error").contains("at least 3 characters"));
    view.change("#signup", json!({"user": {"name": "abc"}}))
        .await;
    assert!(!view.has_element("#name-error", None));
    assert_eq!(view.text("#changes"), "2");
    view.submit("#signup", json!({"user": {"name": "abc"}}))
        .await;
    assert_eq!(view.text("#result"), "Saved: abc");
}

#[actix_rt::test]
async fn list_reorders_by_key() {
    let mut view = live::<ListView>("/list").await;
    view.click("#reverse").await;
    let html = view.render();
    let at = |id: &str| html.find(&format!("id=\"{id}\"")).expect("row");
    assert!(
        at("item-4") < at("item-3") && at("item-2") < at("item-1"),
        "{html}"
    );
}

#[actix_rt::test]
async fn patch_renders_the_page_param() {
    let mut view = live::<PatchView>("/patch").await;
    assert_eq!(view.text("#page"), "1");
    view.patch("/patch?page=3").await;
    assert_eq!(view.text("#page"), "3");
    view.click("#to-2").await;
    view.assert_patch("/patch?page=2").await;
}

#[actix_rt::test]
async fn crash_view_counts() {
    let mut view = live::<CrashView>("/crash").await;
    view.click("#inc").await;
    assert_eq!(view.text("#count"), "1");
}
