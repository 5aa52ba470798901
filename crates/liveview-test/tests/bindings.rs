//! Keys, and the errors that teach when a selector or binding is wrong.

mod support;

use liveview_test::{assert_receive, live, Inbound};
use support::{Counter, Keys};

#[actix_rt::test]
async fn keydown_sends_the_key_when_phx_key_matches() {
    let mut view = live::<Keys>("/").await;
    view.keydown("#search", "enter").await;
    assert_eq!(view.text("#log"), "search:enter");
}

#[actix_rt::test]
async fn keydown_of_another_key_is_filtered_out_like_the_browser_does() {
    let mut view = live::<Keys>("/").await;
    view.mailbox().flush();
    view.keydown("#search", "a").await;
    assert_eq!(view.text("#log"), "");
    liveview_test::assert_no_more!(view.mailbox());
}

#[actix_rt::test]
async fn keyup_sends_its_own_binding() {
    let mut view = live::<Keys>("/").await;
    view.keyup("#log", "x").await;
    assert_eq!(view.text("#log"), "log:x");
    assert_receive!(view.mailbox(), Inbound::Event { kind, .. } if kind == "keyup");
}

#[actix_rt::test]
#[should_panic(
    expected = "selector `#incc` matched no element in the view\nelements with an id: #count, #inc, #dec, #inc10, #reset"
)]
async fn a_selector_matching_nothing_lists_the_ids_present() {
    let mut view = live::<Counter>("/").await;
    view.click("#incc").await;
}

#[actix_rt::test]
#[should_panic(expected = "elements with a phx binding: button#inc[phx-click=\"inc\"]")]
async fn a_selector_matching_nothing_lists_the_bound_elements() {
    let view = live::<Counter>("/").await;
    view.text("#nope");
}

#[actix_rt::test]
#[should_panic(
    expected = "selector `button` matched 4 elements, expected exactly one: button#inc[phx-click=\"inc\"], button#dec"
)]
async fn a_selector_matching_several_elements_lists_them() {
    let mut view = live::<Counter>("/").await;
    view.click("button").await;
}

#[actix_rt::test]
#[should_panic(
    expected = "element button.plain (matched by `.plain`) has no `phx-click` attribute, so the client would send nothing; elements with `phx-click`: button#inc"
)]
async fn clicking_an_element_without_phx_click_names_those_with_one() {
    let mut view = live::<Counter>("/").await;
    view.click(".plain").await;
}

#[actix_rt::test]
#[should_panic(expected = "has no `phx-keydown` attribute")]
async fn pressing_a_key_on_an_unbound_element_explains_itself() {
    let mut view = live::<Counter>("/").await;
    view.keydown("#count", "a").await;
}

#[actix_rt::test]
#[should_panic(expected = "`##` is not a valid CSS selector")]
async fn an_invalid_selector_is_reported_as_such() {
    let view = live::<Counter>("/").await;
    view.text("##");
}
