//! Flash (E2E_SCENARIOS.md §5.5): `/issues/3686/a|b|c` (FL-01). A and B are in live_session
//! `:default`, C in `:other`: A → B is a live redirect carrying a flash token, B → C an HTTP
//! redirect carrying the `__phoenix_flash__` cookie, C → A a live redirect across live
//! sessions, refused `unauthorized`, after which the client loads A over HTTP with the flash
//! in the cookie.

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT, OTHER};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<Issue3686A>("/issues/3686/a")
            .live::<Issue3686B>("/issues/3686/b")
    })
    .live_session(OTHER, |s| s.live::<Issue3686C>("/issues/3686/c"))
}

fn page(_: &str) -> Option<PageOpts> {
    None
}

/// Elixir's `inspect/1` of a flash map: `%{}`, `%{"info" => "Flash from A"}`.
pub fn inspect_flash(assigns: &Assigns) -> String {
    let flash = assigns.flash();
    if flash.is_empty() {
        return "%{}".to_owned();
    }
    let entries: Vec<String> = flash
        .iter()
        .map(|(k, v)| format!("{} => {}", inspect_str(k), inspect_str(v)))
        .collect();
    format!("%{{{}}}", entries.join(", "))
}

/// Elixir's `inspect/1` of a string.
pub fn inspect_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The one event of the three pages.
#[derive(Debug, LiveEvent)]
pub enum Msg {
    /// Put a flash and go to the next page.
    Go,
}

fn page_markup(title: &str, button: &str, assigns: &Assigns) -> Rendered {
    html! {
        h1 { (title) }
        button phx-click=(Msg::Go) { (button) }
        div #flash { (inspect_flash(assigns)) }
    }
}

macro_rules! flash_view {
    ($name:ident, $title:literal, $button:literal, $message:literal, |$socket:ident| $go:expr) => {
        #[doc = concat!("`/issues/3686/", $title, "`.")]
        #[derive(Debug, Default)]
        pub struct $name;

        impl LiveView for $name {
            type Info = ();
            type Event = Msg;

            fn mount(
                &mut self,
                _: &Params,
                _: &Session,
                _: &mut Socket<Self>,
            ) -> Result<(), ViewError> {
                Ok(())
            }

            fn update(
                &mut self,
                Msg::Go: Msg,
                $socket: &mut Socket<Self>,
            ) -> Result<(), ViewError> {
                $socket.put_flash("info", $message);
                $go;
                Ok(())
            }

            fn render(&self, assigns: &Assigns) -> Rendered {
                page_markup($title, $button, assigns)
            }
        }
    };
}

flash_view!(Issue3686A, "A", "To B", "Flash from A", |socket| socket
    .push_navigate("/issues/3686/b"));
flash_view!(Issue3686B, "B", "To C", "Flash from B", |socket| socket
    .redirect("/issues/3686/c"));
flash_view!(Issue3686C, "C", "To A", "Flash from C", |socket| socket
    .push_navigate("/issues/3686/a"));
