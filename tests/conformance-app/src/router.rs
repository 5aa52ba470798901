//! The route table (E2E_SCENARIOS.md §2.3): one [`Family`] per route family, each in its own
//! module under `views/`. To add a family: write `views/<name>.rs` with `routes` and `page`,
//! declare it in `views/mod.rs`, and add one line to [`FAMILIES`].
//!
//! Live sessions: routes added with `LiveConfig::live` (no live session, the custom-layout
//! routes) and those in [`DEFAULT`] share the session `default`, as in Phoenix, where routes
//! outside any `live_session` belong to an implicit one of that name. [`OTHER`] and
//! [`NAVIGATION`] are the other two sessions of §2.3; [`DEAD`] holds `/navigation/dead`
//! alone.
//!
//! Every live session runs the test-control hook [`control::eval`] before its views'
//! `handle_event` (Phoenix's e2e app attaches its `sandbox:eval` hook with an `on_mount`).

use liveview::{Hooks, LiveConfig};

use crate::control;
use crate::layout::PageOpts;
use crate::views;

/// live_session `:default` (also where routes outside any session go).
pub const DEFAULT: &str = "default";
/// live_session `:other` (`/issues/3686/c`).
pub const OTHER: &str = "other";
/// live_session `:navigation` (`/navigation/*`).
pub const NAVIGATION: &str = "navigation";
/// live_session `:dead` (`/navigation/dead`, a controller page in Phoenix).
pub const DEAD: &str = "dead";

/// Every live session of the app.
pub const LIVE_SESSIONS: &[&str] = &[DEFAULT, OTHER, NAVIGATION, DEAD];

/// One route family: its live routes and the layout extras of its pages.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// Adds the family's live routes.
    pub routes: fn(LiveConfig) -> LiveConfig,
    /// The layout extras for a request path of this family, if it is one.
    pub page: fn(&str) -> Option<PageOpts>,
}

/// Every family of the app.
pub const FAMILIES: &[Family] = &[
    views::errors::FAMILY,
    views::js::FAMILY,
    views::select::FAMILY,
    views::focus::FAMILY,
    views::events::FAMILY,
    views::hooks::FAMILY,
    views::render::FAMILY,
    views::colocated::FAMILY,
    views::navigation::FAMILY,
    views::flash::FAMILY,
    views::form::FAMILY,
    views::form_issues::FAMILY,
    views::form_unsaved::FAMILY,
    views::components::FAMILY,
    views::components_async::FAMILY,
];

/// All live routes, each live session with the test-control hook.
pub fn live_routes(live: LiveConfig) -> LiveConfig {
    let live = LIVE_SESSIONS.iter().fold(live, |live, name| {
        live.live_session(name, |s| s.hooks(Hooks::new().on_event(control::eval)))
    });
    FAMILIES.iter().fold(live, |live, f| (f.routes)(live))
}

/// The layout extras for `path` (the defaults when no family claims it).
pub fn page_opts(path: &str) -> PageOpts {
    FAMILIES
        .iter()
        .find_map(|f| (f.page)(path))
        .unwrap_or_default()
}
