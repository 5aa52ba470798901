//! Following navigations with their flash, mounting by the app's routes, and disabled controls.

use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
use liveview_test::{live, Flash, LiveViewTest, Navigation};
use serde_json::Value;

/// Creates an item: `create` puts a flash and live-navigates to it; `leave` redirects.
#[derive(Default)]
struct NewItem;

impl LiveView for NewItem {
    type Event = ();
    type Info = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_event(&mut self, e: &str, _: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        match e {
            "create" => {
                s.put_flash("info", "Item created");
                s.push_navigate("/items/42?tab=info");
            }
            "leave" => {
                s.put_flash("error", "Bye");
                s.redirect("/items/7");
            }
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! {
            button #create phx-click="create" { "Create" }
            button #leave phx-click="leave" { "Leave" }
            button #off phx-click="create" disabled { "Off" }
            fieldset disabled { input #typed phx-keydown="create"; }
        }
    }
}

/// Shows an item, its tab, the flash it arrived with, and who the `on_mount` hook says.
#[derive(Default)]
struct ShowItem;

impl LiveView for ShowItem {
    type Event = ();
    type Info = ();

    fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("id", p.get("id").unwrap_or("?").to_owned());
        s.assign("tab", p.get("tab").unwrap_or("-").to_owned());
        let hooked: Option<String> = s.assigns().try_get::<String>("hooked").cloned();
        s.assign("hooked_seen", hooked.unwrap_or_default());
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let id: String = a.get("id");
        let tab: String = a.get("tab");
        let hooked: String = a.get("hooked_seen");
        let info = a.flash().get("info").cloned().unwrap_or_default();
        let error = a.flash().get("error").cloned().unwrap_or_default();
        html! {
            p #id { (id) } p #tab { (tab) } p #hooked { (hooked) }
            p #info { (info) } p #error { (error) }
        }
    }
}

fn app() -> LiveConfig {
    LiveConfig::with_random_secret()
        .live::<NewItem>("/items/new")
        .live_session("items", |s| {
            s.hooks(liveview_session::Hooks::new().on_mount(|_, _, socket| {
                socket.assign("hooked", "yes".to_owned());
                Ok(liveview_session::Hook::Cont)
            }))
            .live::<ShowItem>("/items/{id}")
        })
}

#[actix_rt::test]
async fn follow_redirect_mounts_the_live_navigation_target_with_its_flash() {
    let live_config = app();
    let mut form = live::<NewItem>("/items/new").await;
    form.click("#create").await;
    let show = form
        .follow_redirect(LiveViewTest::builder(ShowItem::default).config(&live_config))
        .await;
    assert_eq!(show.text("#id"), "42");
    assert_eq!(show.text("#tab"), "info");
    assert_eq!(show.text("#info"), "Item created");
    // The dead render saw the flash too.
    assert!(
        show.dead_html().contains("Item created"),
        "{}",
        show.dead_html()
    );
    // The route's live session hooks ran, as in the app.
    assert_eq!(show.text("#hooked"), "yes");
    assert_eq!(show.uri(), "http://localhost/items/42?tab=info");
}

#[actix_rt::test]
async fn follow_redirect_follows_a_full_redirect_with_its_flash() {
    let live_config = app();
    let mut form = live::<NewItem>("/items/new").await;
    form.click("#leave").await;
    let show = form
        .follow_redirect(LiveViewTest::builder(ShowItem::default).config(&live_config))
        .await;
    assert_eq!(show.text("#id"), "7");
    assert_eq!(show.text("#error"), "Bye");
}

#[actix_rt::test]
async fn assert_redirected_returns_the_navigation_with_its_flash() {
    let mut form = live::<NewItem>("/items/new").await;
    form.click("#create").await;
    match form.assert_redirected().await {
        Navigation::Navigate { to, flash, .. } => {
            assert_eq!(to, "/items/42?tab=info");
            assert_eq!(flash.get("info").map(String::as_str), Some("Item created"));
        }
        other => panic!("expected a live navigation, got {other:?}"),
    }
}

#[actix_rt::test]
async fn a_view_mounts_with_an_incoming_flash() {
    let mut flash = Flash::new();
    flash.insert("info".to_owned(), "Welcome back".to_owned());
    let view = LiveViewTest::builder(ShowItem::default)
        .route("/items/{id}")
        .path("/items/3")
        .flash(flash)
        .mount()
        .await;
    assert_eq!(view.text("#info"), "Welcome back");
    assert_eq!(view.text("#id"), "3");
}

#[actix_rt::test]
async fn the_builder_takes_the_route_and_hooks_from_the_live_config() {
    let view = LiveViewTest::builder(ShowItem::default)
        .config(&app())
        .path("/items/9?tab=x")
        .mount()
        .await;
    assert_eq!(view.text("#id"), "9");
    assert_eq!(view.text("#tab"), "x");
    assert_eq!(view.text("#hooked"), "yes");
}

#[actix_rt::test]
#[should_panic(expected = "routes to")]
async fn the_builder_refuses_a_route_of_another_view() {
    let _ = LiveViewTest::builder(ShowItem::default)
        .config(&app())
        .path("/items/new")
        .mount()
        .await;
}

#[actix_rt::test]
#[should_panic(expected = "no live route of the LiveConfig matches `/nowhere`")]
async fn the_builder_refuses_a_path_without_a_route() {
    let _ = LiveViewTest::builder(ShowItem::default)
        .config(&app())
        .path("/nowhere")
        .mount()
        .await;
}

#[actix_rt::test]
#[should_panic(expected = "cannot click `#off`: it is disabled")]
async fn clicking_a_disabled_button_is_refused() {
    let mut form = live::<NewItem>("/items/new").await;
    assert!(form.has_element("#off[disabled]", None));
    form.click("#off").await;
}

#[actix_rt::test]
#[should_panic(expected = "cannot keydown `#typed`: it is disabled")]
async fn keys_on_a_control_in_a_disabled_fieldset_are_refused() {
    let mut form = live::<NewItem>("/items/new").await;
    form.keydown("#typed", "Enter").await;
}

#[actix_rt::test]
async fn over_a_socket_a_live_navigation_is_followed_with_its_flash() {
    let server = liveview_test::socket::TestServer::live(app());
    let mut form = server.connect("/items/new").await;
    form.click("#create").await;
    let show = form.follow_redirect().await;
    assert_eq!(show.text("#id"), "42");
    assert_eq!(show.text("#tab"), "info");
    assert_eq!(show.text("#info"), "Item created");
    assert_eq!(show.text("#hooked"), "yes");
}

#[actix_rt::test]
async fn over_a_socket_a_redirect_is_followed_with_its_flash_cookie() {
    let server = liveview_test::socket::TestServer::live(app());
    let mut form = server.connect("/items/new").await;
    form.click("#leave").await;
    let show = form.follow_redirect().await;
    assert_eq!(show.text("#id"), "7");
    assert_eq!(show.text("#error"), "Bye");
    // The dead render read the flash from the cookie.
    assert!(show.dead_html().contains("Bye"), "{}", show.dead_html());
}
