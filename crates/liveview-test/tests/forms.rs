//! Forms: serialised like the official client, decoded like the session.

mod support;

use liveview_test::{assert_receive, live, Inbound};
use serde_json::{json, Value};
use support::UserForm;

fn last<T: liveview_test::Transport>(view: &liveview_test::LiveViewTest<T>) -> Value {
    serde_json::from_str(&view.text("#last")).unwrap()
}

#[actix_rt::test]
async fn submit_sends_every_enabled_field_with_given_values_replacing_theirs() {
    let mut view = live::<UserForm>("/").await;
    view.submit("#user", json!({"user": {"email": "ana@example.com"}}))
        .await;
    assert_eq!(view.text("#event"), "save");
    assert_eq!(
        last(&view),
        json!({
            "user": {
                "name": "ana", "email": "ana@example.com", "id": "7", "news": "on",
                "role": "writer", "bio": "hello"
            },
            "step": "1"
        })
    );
}

#[actix_rt::test]
async fn submit_can_check_a_checkbox() {
    let mut view = live::<UserForm>("/").await;
    view.submit("#user", json!({"user": {"admin": "yes"}}))
        .await;
    assert_eq!(last(&view)["user"]["admin"], "yes");
}

#[actix_rt::test]
async fn change_names_its_target_and_marks_untouched_fields_unused() {
    let mut view = live::<UserForm>("/").await;
    view.change("#user", json!({"user": {"name": "bo"}})).await;
    assert_eq!(view.text("#event"), "validate");
    let v = last(&view);
    assert_eq!(v["_target"], "user[name]");
    assert_eq!(v["user"]["name"], "bo");
    assert_eq!(v["user"]["_unused_email"], "");
    assert!(v["user"].get("_unused_name").is_none(), "{v}");
    // Hidden fields are never marked.
    assert!(v["user"].get("_unused_id").is_none(), "{v}");
}

#[actix_rt::test]
async fn the_view_receives_exactly_what_the_session_would_decode() {
    let mut view = live::<UserForm>("/").await;
    view.change("#user", json!({"user": {"bio": "a & b=c"}}))
        .await;
    let got = assert_receive!(view.mailbox(), Inbound::Event { kind, .. } if kind == "form");
    let Inbound::Event { value, event, .. } = got else {
        unreachable!()
    };
    assert_eq!(event, "validate");
    assert_eq!(value["user"]["bio"], "a & b=c");
}

#[actix_rt::test]
#[should_panic(
    expected = "has no field named `user[nmae]`; its fields are: user[name], user[email]"
)]
async fn a_field_the_form_lacks_is_named_with_the_fields_it_has() {
    let mut view = live::<UserForm>("/").await;
    view.submit("#user", json!({"user": {"nmae": "x"}})).await;
}

#[actix_rt::test]
#[should_panic(expected = "has no `phx-submit` attribute")]
async fn submitting_a_form_without_phx_submit_explains_itself() {
    let mut view = live::<UserForm>("/").await;
    view.submit("#nothing", json!({})).await;
}
