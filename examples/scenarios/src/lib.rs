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
//! | `/adopt` | [`lifecycle::AdoptView`] | adopts its dead render: `mount` runs once per page view |
//! | `/twice` | [`lifecycle::TwiceView`] | the usual lifecycle: `mount` runs twice |
//! | `/reconnect` | [`lifecycle::ReconnectView`] | a counter that survives a dropped connection (`POST /news?n=` broadcasts to it) |
//!
//! `RECONNECT_GRACE_MS` sets how long views of a dropped socket wait for their client
//! ([`SessionConfig::reconnect_grace`]; 30 s when unset), `MAX_SOCKETS_PER_CLIENT` how many
//! websockets one address may hold (64 when unset; the memory benchmark of
//! `tests/tests/orphan_memory.rs` opens 10,000 from 127.0.0.1), `IDLE_TIMEOUT_MS` how long a
//! silent socket stays open ([`SessionConfig::idle_timeout`]; 60 s when unset).

use actix_web::web::{self, ServiceConfig};
use liveview::prelude::*;
use liveview::SessionConfig;

pub mod lifecycle;

/// Links to every scenario.
#[derive(Debug, Default)]
pub struct Index;

impl LiveView for Index {
    type Info = ();
    type Event = ();

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
                li { a href="/adopt" { "Mount once (adoption)" } }
                li { a href="/twice" { "Mount twice" } }
                li { a href="/reconnect" { "Survive a dropped connection" } }
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

/// The sign-up form's fields (`user[name]`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct UserFields {
    /// `user[name]`.
    #[serde(default)]
    pub name: String,
}

/// The assigns of [`FormView`].
#[derive(Debug, LiveAssigns)]
pub struct FormState {
    /// The name the server holds.
    pub name: String,
    /// The change events this mount handled.
    pub changes: u32,
    /// The outcome of the last submit.
    pub result: String,
}

/// The events of [`FormView`].
#[derive(Debug, LiveEvent)]
pub enum FormMsg {
    /// `phx-change`.
    #[event(at = "user")]
    Validate(UserFields),
    /// `phx-submit`.
    #[event(at = "user")]
    Save(UserFields),
}

/// A sign-up form: `#signup` validates on every change (`#name-error`), echoes the value the
/// server holds (`#echo`), counts the change events this mount handled (`#changes`), and
/// shows the outcome of a submit (`#result`).
#[derive(Debug, Default)]
pub struct FormView;

impl LiveView for FormView {
    type Info = ();
    type Event = FormMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket
            .assign_all(FormState {
                name: String::new(),
                changes: 0,
                result: String::new(),
            })
            .page_title("Form");
        Ok(())
    }

    fn update(&mut self, msg: FormMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            FormMsg::Validate(UserFields { name }) => {
                socket
                    .update(FormState::changes, |n| *n += 1)
                    .assign(FormState::name, name);
            }
            FormMsg::Save(UserFields { name }) => {
                let result = match name_error(&name) {
                    Some(err) => format!("Not saved: name {err}"),
                    None => format!("Saved: {name}"),
                };
                socket
                    .assign(FormState::name, name)
                    .assign(FormState::result, result);
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let name = &assigns[FormState::name];
        // An empty field is not an error yet: nothing was typed.
        let error = if name.is_empty() {
            None
        } else {
            name_error(name)
        };
        html! {
            h1 { "Sign up" }
            form #signup phx-change=(FormMsg::validate) phx-submit=(FormMsg::save) {
                label for="name" { "Name" }
                input #name type="text" name="user[name]" value=(name) autocomplete="off";
                @if let Some(err) = error {
                    p #name-error .error { "Name " (err) }
                }
                button #save type="submit" { "Save" }
            }
            p { "Server sees: " span #echo { (name) } }
            p { "Changes handled: " span #changes { (assigns[FormState::changes]) } }
            p #result { (assigns[FormState::result]) }
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

/// The assigns of [`ListView`].
#[derive(Debug, LiveAssigns)]
pub struct ListState {
    /// The rows, in order.
    pub items: Vec<Item>,
}

/// The events of [`ListView`].
#[derive(Debug, LiveEvent)]
pub enum ListMsg {
    /// Reverse the list.
    Reverse,
    /// Move the first row last.
    Rotate,
    /// Move row `id` one place up.
    Up {
        /// The row.
        id: u32,
    },
}

/// A keyed list (`ul#items`, rows `li#item-<id>`) with `#reverse`, `#rotate` and a per-row
/// `up` button: reorders send moves, and the browser must keep each row's DOM node.
#[derive(Debug, Default)]
pub struct ListView;

impl LiveView for ListView {
    type Info = ();
    type Event = ListMsg;

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
        socket
            .assign_all(ListState { items })
            .page_title("Keyed list");
        Ok(())
    }

    fn update(&mut self, msg: ListMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.update(ListState::items, |items| match msg {
            ListMsg::Reverse => items.reverse(),
            ListMsg::Rotate => items.rotate_left(1),
            ListMsg::Up { id } => {
                if let Some(at) = items.iter().position(|i| i.id == id) {
                    if at > 0 {
                        items.swap(at - 1, at);
                    }
                }
            }
        });
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            h1 { "Keyed list" }
            button #reverse phx-click=(ListMsg::Reverse) { "Reverse" }
            button #rotate phx-click=(ListMsg::Rotate) { "Rotate" }
            ul #items {
                @for item in &assigns[ListState::items]; key = (item.id) {
                    li id={ "item-" (item.id) } {
                        span .label { (item.label) }
                        " "
                        button .up phx-click=(ListMsg::Up { id: item.id }) { "up" }
                    }
                }
            }
        }
    }
}

/// The page [`PatchView`] shows.
pub const PAGE: Key<u32> = Key::new("page");

/// The events of [`PatchView`].
#[derive(Debug, LiveEvent)]
pub enum PatchMsg {
    /// Patch to page 2 from the server.
    #[event(rename = "to-2")]
    ToPage2,
}

/// Live patches: `handle_params` shows `?page=` in `#page`; `#to-3` is a patch link and
/// `#to-2` a button whose event calls `push_patch("/patch?page=2")`.
#[derive(Debug, Default)]
pub struct PatchView;

impl LiveView for PatchView {
    type Info = ();
    type Event = PatchMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(PAGE, 1);
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _uri: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let page: u32 = params.parse("page").unwrap_or(1);
        socket.assign(PAGE, page).page_title(format!("Page {page}"));
        Ok(())
    }

    fn update(&mut self, msg: PatchMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let PatchMsg::ToPage2 = msg;
        socket.push_patch("/patch?page=2");
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            h1 { "Page " span #page { (assigns[PAGE]) } }
            (Link::patch("/patch?page=3").id("to-3").text("Page 3"))
            " "
            button #to-2 phx-click=(PatchMsg::ToPage2) { "Page 2 (push_patch)" }
        }
    }
}

/// The count [`CrashView`] shows.
pub const COUNT: Key<i64> = Key::new("count");

/// The events of [`CrashView`].
#[derive(Debug, LiveEvent)]
pub enum CrashMsg {
    /// One more.
    Inc,
    /// Panic.
    Boom,
}

/// A counter whose `#boom` button panics in `handle_event`: the runtime restarts the view and
/// pushes a fresh render (`#count` back to 0), after which `#inc` works again.
#[derive(Debug, Default)]
pub struct CrashView;

impl LiveView for CrashView {
    type Info = ();
    type Event = CrashMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(COUNT, 0).page_title("Crash");
        Ok(())
    }

    fn update(&mut self, msg: CrashMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            CrashMsg::Inc => socket.update(COUNT, |n| *n += 1),
            CrashMsg::Boom => panic!("boom: a bug in handle_event"),
        };
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            h1 { "Count: " span #count { (assigns[COUNT]) } }
            button #inc phx-click=(CrashMsg::Inc) { "+" }
            button #boom phx-click=(CrashMsg::Boom) { "Crash" }
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
        .live::<lifecycle::AdoptView>("/adopt")
        .live::<lifecycle::TwiceView>("/twice")
        .live::<lifecycle::ReconnectView>("/reconnect")
        .session_config(session_config())
        .max_sockets_per_client(env_number("MAX_SOCKETS_PER_CLIENT").unwrap_or(64))
}

/// A number from the environment variable `name`, when it is set and is one.
fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// The default session limits, with `$RECONNECT_GRACE_MS` as the grace period and
/// `$IDLE_TIMEOUT_MS` as the idle timeout when set.
fn session_config() -> SessionConfig {
    let mut config = SessionConfig::default();
    if let Some(ms) = env_number("RECONNECT_GRACE_MS") {
        config.reconnect_grace = std::time::Duration::from_millis(ms);
    }
    if let Some(ms) = env_number("IDLE_TIMEOUT_MS") {
        config.idle_timeout = std::time::Duration::from_millis(ms);
    }
    config
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
    move |cfg| {
        cfg.route("/news", web::post().to(lifecycle::post_news))
            .route("/stats", web::get().to(lifecycle::get_stats));
        liveview::config(live)(cfg);
    }
}
