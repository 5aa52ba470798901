//! Live views for the browser scenarios (`tests/browser/test/scenarios.test.mjs`): a validated
//! form with recovery, a keyed list that reorders, live patches, and a view that crashes and
//! recovers. The binary (`src/main.rs`) serves them; tests build the same app from [`app`].
//!
//! | path | view | what it exercises |
//! |---|---|---|
//! | `/` | [`Index`] | plain links to the others |
//! | `/form` | [`FormView`] | `phx-change` validation, `phx-submit`, form recovery after a reconnect |
//! | `/list` | [`ListView`] | a keyed `@for` reordered by buttons (DOM nodes must survive) |
//! | `/patch` | [`PatchView`] | `data-phx-link="patch"` links, `push_patch`, `handle_params`, back button |
//! | `/crash` | [`CrashView`] | a `handle_event` that panics; the view restarts with a fresh render |

use actix_web::web::ServiceConfig;
use liveview::prelude::*;

/// Links to every scenario.
#[derive(Debug, Default)]
pub struct Index;

impl LiveView for Index {
    type Info = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.page_title("Scenarios");
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! {
            h1 { "Scenarios" }
            ul {
                li { a href="/form" { "Form" } }
                li { a href="/list" { "Keyed list" } }
                li { a href="/patch" { "Live patch" } }
                li { a href="/crash" { "Crash and recover" } }
            }
        }
    }
}

/// Why a name is invalid, if it is: at least 3 characters, no digits.
pub fn name_error(name: &str) -> Option<&'static str> {
    if name.chars().count() < 3 {
        Some("must be at least 3 characters")
    } else if name.chars().any(|c| c.is_ascii_digit()) {
        Some("must not contain digits")
    } else {
        None
    }
}

fn form_name(value: &Value) -> String {
    value
        .pointer("/user/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A sign-up form: `#signup` validates on every change (`#name-error`), echoes the value the
/// server holds (`#echo`), counts the change events this mount handled (`#changes`), and
/// shows the outcome of a submit (`#result`).
#[derive(Debug, Default)]
pub struct FormView;

impl LiveView for FormView {
    type Info = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("name", String::new());
        socket.assign("changes", 0_u32);
        socket.assign("result", String::new());
        socket.page_title("Form");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let name = form_name(value);
        match event {
            "validate" => {
                socket.update("changes", |n: &mut u32| *n += 1);
                socket.assign("name", name);
            }
            "save" => {
                let result = match name_error(&name) {
                    Some(err) => format!("Not saved: name {err}"),
                    None => format!("Saved: {name}"),
                };
                socket.assign("name", name);
                socket.assign("result", result);
            }
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let name: String = assigns.get("name");
        let changes: u32 = assigns.get("changes");
        let result: String = assigns.get("result");
        // An empty field is not an error yet: nothing was typed.
        let error = if name.is_empty() {
            None
        } else {
            name_error(&name)
        };
        html! {
            h1 { "Sign up" }
            form #signup phx-change="validate" phx-submit="save" {
                label for="name" { "Name" }
                input #name type="text" name="user[name]" value=(name) autocomplete="off";
                @if let Some(err) = error {
                    p #name-error .error { "Name " (err) }
                }
                button #save type="submit" { "Save" }
            }
            p { "Server sees: " span #echo { (name) } }
            p { "Changes handled: " span #changes { (changes) } }
            p #result { (result) }
        }
    }
}

/// One row of the keyed list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its key and DOM id suffix (`#item-<id>`).
    pub id: u32,
    /// What it shows.
    pub label: String,
}

/// A keyed list (`ul#items`, rows `li#item-<id>`) with `#reverse`, `#rotate` and a per-row
/// `up` button: reorders send moves, and the browser must keep each row's DOM node.
#[derive(Debug, Default)]
pub struct ListView;

impl LiveView for ListView {
    type Info = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let items: Vec<Item> = ["alpha", "bravo", "charlie", "delta"]
            .iter()
            .zip(1..)
            .map(|(label, id)| Item {
                id,
                label: (*label).to_owned(),
            })
            .collect();
        socket.assign("items", items);
        socket.page_title("Keyed list");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "reverse" => socket.update("items", |items: &mut Vec<Item>| items.reverse()),
            "rotate" => socket.update("items", |items: &mut Vec<Item>| items.rotate_left(1)),
            "up" => {
                let id: Option<u32> = value
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse().ok());
                socket.update("items", |items: &mut Vec<Item>| {
                    if let Some(at) = items.iter().position(|i| Some(i.id) == id) {
                        if at > 0 {
                            items.swap(at - 1, at);
                        }
                    }
                });
            }
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let items: &Vec<Item> = assigns.get_ref("items");
        html! {
            h1 { "Keyed list" }
            button #reverse phx-click="reverse" { "Reverse" }
            button #rotate phx-click="rotate" { "Rotate" }
            ul #items {
                @for item in items; key = (item.id) {
                    li id={ "item-" (item.id) } {
                        span .label { (item.label) }
                        " "
                        button .up phx-click="up" phx-value-id=(item.id) { "up" }
                    }
                }
            }
        }
    }
}

/// Live patches: `handle_params` shows `?page=` in `#page`; `#to-3` is a patch link and
/// `#to-2` a button whose event calls `push_patch("/patch?page=2")`.
#[derive(Debug, Default)]
pub struct PatchView;

impl LiveView for PatchView {
    type Info = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("page", 1_u32);
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _uri: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let page: u32 = params.parse("page").unwrap_or(1);
        socket.assign("page", page);
        socket.page_title(format!("Page {page}"));
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "to-2" => socket.push_patch("/patch?page=2"),
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let page: u32 = assigns.get("page");
        html! {
            h1 { "Page " span #page { (page) } }
            a #to-3 href="/patch?page=3" data-phx-link="patch" data-phx-link-state="push" { "Page 3" }
            " "
            button #to-2 phx-click="to-2" { "Page 2 (push_patch)" }
        }
    }
}

/// A counter whose `#boom` button panics in `handle_event`: the runtime restarts the view and
/// pushes a fresh render (`#count` back to 0), after which `#inc` works again.
#[derive(Debug, Default)]
pub struct CrashView;

impl LiveView for CrashView {
    type Info = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("count", 0_i64);
        socket.page_title("Crash");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "inc" => socket.update("count", |n: &mut i64| *n += 1),
            "boom" => panic!("boom: a bug in handle_event"),
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let count: i64 = assigns.get("count");
        html! {
            h1 { "Count: " span #count { (count) } }
            button #inc phx-click="inc" { "+" }
            button #boom phx-click="boom" { "Crash" }
        }
    }
}

/// The live configuration with every scenario route, signed with `$SECRET_KEY_BASE`
/// (a random secret when it is not set).
pub fn live_config() -> LiveConfig {
    let live = LiveConfig::from_env();
    live.live::<Index>("/")
        .live::<FormView>("/form")
        .live::<ListView>("/list")
        .live::<PatchView>("/patch")
        .live::<CrashView>("/crash")
}

/// The app: pass it to `App::configure`.
///
/// ```
/// # actix_web::rt::System::new().block_on(async {
/// use actix_web::{test, App};
///
/// let app = test::init_service(App::new().configure(example_scenarios::app(example_scenarios::live_config()))).await;
/// let body = test::call_and_read_body(&app, test::TestRequest::get().uri("/form").to_request()).await;
/// assert!(std::str::from_utf8(&body).unwrap().contains(r#"<form id="signup" phx-change="validate" phx-submit="save">"#));
/// # });
/// ```
pub fn app(live: LiveConfig) -> impl FnOnce(&mut ServiceConfig) {
    liveview::config(live)
}
