//! `/errors` (E2E_SCENARIOS.md §5.4): ERR-01, ERR-02. The nested-child variants (ERR-03…07)
//! need `live_render` (stage 3) and are not served: `?child` and friends render a note.

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::Family;

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    // Outside any live_session in Phoenix (custom layout).
    live.live::<ErrorLive>("/errors")
}

fn page(path: &str) -> Option<PageOpts> {
    (path == "/errors").then_some(PageOpts {
        socket_opts:
            "{reloadJitterMin: 50, reloadJitterMax: 50, maxReloads: 5, failsafeJitter: 1000, \
                      maxChildJoinTries: 3, rejoinAfterMs: () => 50}",
        ..PageOpts::default()
    })
}

/// The main view of `/errors`.
#[derive(Debug, Default)]
pub struct ErrorLive;

/// The assigns of [`ErrorLive`].
#[derive(Debug, LiveAssigns)]
pub struct ErrorState {
    /// Whether a nested child was asked for (not supported: a note shows).
    pub child: bool,
    /// When the view rendered, in milliseconds.
    pub render_time: String,
}

/// The events of [`ErrorLive`].
#[derive(Debug, LiveEvent)]
pub enum ErrorMsg {
    /// Crash the view.
    Boom,
}

fn status_paragraphs() -> Rendered {
    html! {
        p.if-phx-error { "phx-error" }
        p.if-phx-client-error { "phx-client-error" }
        p.if-phx-server-error { "phx-server-error" }
        p.if-phx-disconnected { "phx-disconnected" }
        p.if-phx-loading { "phx-loading" }
    }
}

impl LiveView for ErrorLive {
    type Info = ();
    type Event = ErrorMsg;

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        if params.get("dead-mount") == Some("raise") {
            return Err(ViewError::other("boom (dead-mount=raise)"));
        }
        if params.get("connected-mount") == Some("raise") && socket.connected() {
            return Err(ViewError::other("boom (connected-mount=raise)"));
        }
        let child =
            params.get("child").is_some() || params.get("connected-child-mount-raise").is_some();
        socket.assign_all(ErrorState {
            child,
            render_time: super::now_millis(),
        });
        Ok(())
    }

    fn update(&mut self, ErrorMsg::Boom: ErrorMsg, _: &mut Socket<Self>) -> Result<(), ViewError> {
        panic!("boom")
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            p #render-time { "main rendered at: " (assigns[ErrorState::render_time]) }
            button phx-click=(ErrorMsg::Boom) { "Crash main" }
            (status_paragraphs())
            @if assigns[ErrorState::child] {
                p #no-child { "nested LiveViews (live_render) are not supported by the library yet" }
            }
        }
    }
}
