//! The todo example through the in-process harness (forms, keyed list, patches, navigation
//! with flash) and through actix's test server (the flash cookie of a redirect).

use actix_web::{test, App};
use example_todo::{info_flash, About, Store, TodoList, TodoShow};
use liveview::Navigation;
use liveview_test::LiveViewTest;
use serde_json::json;

/// Mounts the list over `store` at `path`.
macro_rules! list {
    ($store:expr, $path:expr) => {{
        let store: Store = $store.clone();
        LiveViewTest::builder(move || TodoList::new(store.clone()))
            .path($path)
            .mount()
            .await
    }};
}

/// Mounts the page of todo `id` of `store`.
macro_rules! show {
    ($store:expr, $id:expr) => {{
        let store: Store = $store.clone();
        LiveViewTest::builder(move || TodoShow::new(store.clone()))
            .route("/todos/{id}")
            .path(&format!("/todos/{}", $id))
            .mount()
            .await
    }};
}

/// The titles of the list, in order.
fn titles(html: &str) -> Vec<String> {
    html.split("class=\"title\"")
        .skip(1)
        .map(|rest| {
            let start = rest.find('>').expect("tag end") + 1;
            rest[start..].split('<').next().expect("text").to_owned()
        })
        .collect()
}

#[actix_rt::test]
async fn submitting_a_valid_form_adds_a_todo_and_resets_the_form() {
    let store = Store::default();
    let mut view = list!(store, "/");
    assert_eq!(view.text("#left"), "0 left");
    view.submit(
        "#new-todo",
        json!({"todo": {"title": "Buy milk", "tag": "home"}}),
    )
    .await;
    assert_eq!(titles(&view.render()), ["Buy milk"]);
    assert!(view.has_element("#todo-1 .tag", Some("home")));
    assert_eq!(view.text("#left"), "1 left");
    assert!(view.element_html("#title").contains("value=\"\""));
    assert!(!view.has_element("#title-error", None));
    assert_eq!(store.all().len(), 1);
}

#[actix_rt::test]
async fn errors_show_only_under_fields_the_user_used() {
    let store = Store::default();
    let mut view = list!(store, "/");
    // Typing in the tag: the title is still untouched (`_unused_title`), no error for it.
    view.change("#new-todo", json!({"todo": {"tag": "no spaces"}}))
        .await;
    assert!(!view.has_element("#title-error", None), "{}", view.render());
    assert_eq!(
        view.text("#tag-error"),
        "Tag use letters, digits and - only"
    );
    // Now the title is used, and blank.
    view.change("#new-todo", json!({"todo": {"title": "  "}}))
        .await;
    assert_eq!(view.text("#title-error"), "Title can't be blank");
    view.change(
        "#new-todo",
        json!({"todo": {"title": "Walk", "tag": "dog"}}),
    )
    .await;
    assert!(!view.has_element("#title-error", None));
    assert!(!view.has_element("#tag-error", None));
    assert_eq!(view.text("#title-count"), "4/80");
}

#[actix_rt::test]
async fn submitting_an_invalid_form_shows_every_error_and_adds_nothing() {
    let store = Store::default();
    let mut view = list!(store, "/");
    view.submit("#new-todo", json!({"todo": {"title": ""}}))
        .await;
    assert_eq!(view.text("#title-error"), "Title can't be blank");
    assert!(store.all().is_empty());
    let long = "x".repeat(81);
    view.submit("#new-todo", json!({"todo": {"title": long}}))
        .await;
    assert_eq!(
        view.text("#title-error"),
        "Title is too long (80 characters max)"
    );
    assert!(store.all().is_empty());
}

#[actix_rt::test]
async fn recovery_after_a_reconnect_restores_the_typed_values() {
    // What the client sends after a rejoin (PROTOCOL.md §8.3): the old form as `phx-change`,
    // `_target` naming its first input. A fresh mount then shows what the user had typed.
    let store = Store::default();
    let mut view = list!(store, "/");
    assert_eq!(view.text("#title-count"), "0/80");
    view.change("#new-todo", json!({"todo": {"title": "half typed"}}))
        .await;
    assert!(view.element_html("#title").contains("value=\"half typed\""));
    assert_eq!(view.text("#title-count"), "10/80");
}

#[actix_rt::test]
async fn reorder_and_delete_move_keyed_rows() {
    let store = Store::default();
    for t in ["a", "b", "c"] {
        store.add(t, None);
    }
    let mut view = list!(store, "/");
    assert_eq!(titles(&view.render()), ["a", "b", "c"]);
    view.click("#todo-3 .up").await;
    assert_eq!(titles(&view.render()), ["a", "c", "b"]);
    view.click("#todo-1 .down").await;
    assert_eq!(titles(&view.render()), ["c", "a", "b"]);
    // At the ends, nothing moves.
    view.click("#todo-3 .up").await;
    view.click("#todo-2 .down").await;
    assert_eq!(titles(&view.render()), ["c", "a", "b"]);
    view.click("#todo-1 .delete").await;
    assert_eq!(titles(&view.render()), ["c", "b"]);
    assert!(!view.has_element("#todo-1", None));
    view.click("#todo-2 .toggle").await;
    assert!(view.element_html("#todo-2").contains("done"));
    assert_eq!(view.text("#left"), "1 left");
}

#[actix_rt::test]
async fn the_filter_lives_in_the_url() {
    let store = Store::default();
    store.add("open", None);
    let done = store.add("closed", None);
    store.toggle(done.id);
    let mut view = list!(store, "/?filter=done");
    assert_eq!(titles(&view.render()), ["closed"]);
    view.patch("/?filter=active").await;
    assert_eq!(titles(&view.render()), ["open"]);
    assert!(view.element_html("#filter-active").contains("active"));
    view.patch("/").await;
    assert_eq!(titles(&view.render()), ["open", "closed"]);
    // The server-side patch: the button pushes `/?filter=done` and `handle_params` runs.
    view.click("#show-done").await;
    let nav = view.assert_patch("/?filter=done").await;
    assert_eq!(
        nav,
        Navigation::Patch {
            to: "/?filter=done".into(),
            replace: false
        }
    );
    assert_eq!(titles(&view.render()), ["closed"]);
    assert_eq!(view.uri(), "http://localhost/?filter=done");
}

#[actix_rt::test]
async fn completing_navigates_back_live_with_a_flash() {
    let store = Store::default();
    let t = store.add("Write docs", None);
    let mut view = show!(store, t.id);
    assert_eq!(view.text("#todo-title"), "Write docs");
    view.click("#complete").await;
    let nav = view.assert_redirect("/").await;
    assert_eq!(
        nav,
        Navigation::Navigate {
            to: "/".into(),
            replace: false,
            flash: info_flash("Marked “Write docs” as done"),
        }
    );
    assert!(store.get(t.id).is_some_and(|t| t.done));
}

#[actix_rt::test]
async fn deleting_redirects_with_a_flash() {
    let store = Store::default();
    let t = store.add("Old", None);
    let mut view = show!(store, t.id);
    view.click("#delete").await;
    let nav = view.assert_redirect("/").await;
    assert_eq!(
        nav,
        Navigation::Redirect {
            to: "/".into(),
            flash: info_flash("Deleted “Old”"),
        }
    );
    assert!(store.all().is_empty());
}

#[actix_rt::test]
async fn an_unknown_todo_renders_not_found() {
    let view = show!(Store::default(), 42);
    assert_eq!(view.text("#todo-title"), "Not found");
    assert_eq!(view.page_title().as_deref(), Some("Not found"));
}

#[actix_rt::test]
async fn about_renders() {
    let view = liveview_test::live::<About>("/about").await;
    assert_eq!(view.text("#about"), "About");
}

#[actix_rt::test]
async fn a_bad_event_value_is_refused_and_the_view_keeps_running() {
    let store = Store::default();
    store.add("a", None);
    let mut view = list!(store, "/");
    // `id` is not a number: the typed decoding fails, the event changes nothing.
    view.click_with("#todo-1 .delete", json!({"id": "one"}))
        .await;
    assert_eq!(titles(&view.render()), ["a"]);
    view.click("#todo-1 .delete").await;
    assert!(titles(&view.render()).is_empty());
}

#[actix_web::test]
async fn the_dead_render_shows_the_flash_cookie_once_and_deletes_it() {
    let live = example_todo::live_config(Store::default());
    let token = live.signer().sign_flash(&info_flash("Deleted “Old”"));
    let app = test::init_service(App::new().configure(example_todo::app(live))).await;
    let req = test::TestRequest::get()
        .uri("/")
        .cookie(actix_web::cookie::Cookie::new("__phoenix_flash__", token))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert!(res.status().is_success());
    let removal = res
        .response()
        .cookies()
        .find(|c| c.name() == "__phoenix_flash__")
        .expect("the flash cookie is removed");
    assert_eq!(removal.value(), "");
    assert_eq!(removal.path(), Some("/"));
    let body = test::read_body(res).await;
    let html = std::str::from_utf8(&body).expect("utf-8");
    assert!(html.contains("Deleted “Old”"), "{html}");

    // A forged token shows nothing.
    let req = test::TestRequest::get()
        .uri("/")
        .cookie(actix_web::cookie::Cookie::new(
            "__phoenix_flash__",
            "1.e30.AAAA",
        ))
        .to_request();
    let body = test::call_and_read_body(&app, req).await;
    assert!(!std::str::from_utf8(&body)
        .expect("utf-8")
        .contains("flash-info"));
}

#[actix_rt::test]
async fn a_row_renames_its_todo_in_its_own_live_component() {
    let store = Store::default();
    store.add("a", None);
    store.add("b", None);
    let mut view = list!(store, "/");
    // The edit button targets the row (`phx-target` is its CID): only that row re-renders.
    view.click("#todo-2 .edit").await;
    assert!(view.has_element("#todo-2 form.rename", None));
    assert!(!view.has_element("#todo-1 form.rename", None));
    view.submit("#todo-2 form.rename", json!({"title": "  "}))
        .await;
    assert_eq!(
        view.text("#todo-2 .error"),
        "Title must be 1 to 80 characters"
    );
    view.submit("#todo-2 form.rename", json!({"title": "bee"}))
        .await;
    // The row told the list (`send_parent`, delivered after the reply as a message to the
    // view); the list renamed it in the store and pushed the new title.
    liveview_test::assert_sent!(view.mailbox(), liveview_test::Outbound::Push(liveview_test::PushKind::Diff(d)) if d.contains("bee"));
    assert_eq!(store.get(2).map(|t| t.title), Some("bee".to_owned()));
    assert_eq!(titles(&view.render()), ["a", "bee"]);
    assert!(!view.has_element("#todo-2 form.rename", None));
}
