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
    type Event = ();

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
        socket.assign("child", child);
        socket.assign("render_time", super::now_millis());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        _: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "boom" => panic!("boom"),
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let render_time: String = assigns.get("render_time");
        let child: bool = assigns.get("child");
        html! {
            p #render-time { "main rendered at: " (render_time) }
            button phx-click="boom" { "Crash main" }
            (status_paragraphs())
            @if child {
                p #no-child { "nested LiveViews (live_render) are not supported by the library yet" }
            }
        }
    }
}
