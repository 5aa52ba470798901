//! Navigation (E2E_SCENARIOS.md §5.3): the `/navigation/*` views of live_session `:navigation`
//! in the nav layout of §2.2 (NAV-01…08, NAV-14, NAV-15), `/issues/3529` (NAV-17) and
//! `/issues/4094` (NAV-19). `/form-unsaved` (NAV-16) is in `form_unsaved.rs`.
//!
//! Stage-0 notes:
//! * `/navigation/b` renders its 100 items as a plain list, not a stream (§6 note a).
//! * `/navigation/dead` is a controller page in Phoenix. Here it is a live view alone in the
//!   live session `dead`, so a `navigate` link to it falls back to HTTP as in Phoenix (the
//!   page then connects, which no stage-0 scenario looks at).
//! * `/stream` (the "LiveView (other session)" link of NAV-08) only needs to be *some* live
//!   view of live_session `:default`: [`OtherSession`] stands in until streams (stage 2).
//! * The patch loop of `/navigation/redirectloop` (NAV-02): see [`RedirectLoop`].

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEAD, DEFAULT, NAVIGATION};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(NAVIGATION, |s| {
        s.live::<NavA>("/navigation/a")
            .live::<NavB>("/navigation/b")
            .live::<NavB>("/navigation/b/{id}")
            .live::<RedirectLoop>("/navigation/redirectloop")
    })
    .live_session(DEAD, |s| s.live::<DeadView>("/navigation/dead"))
    .live_session(DEFAULT, |s| {
        s.live::<OtherSession>("/stream")
            .live::<Issue3529>("/issues/3529")
            .live::<Issue4094>("/issues/4094")
    })
}

fn page(path: &str) -> Option<PageOpts> {
    path.starts_with("/navigation/").then_some(PageOpts {
        socket_opts: "{reloadJitterMin: 50, reloadJitterMax: 500}",
        pre_script: NAV_SCRIPT,
        root: NAV_SIDEBAR,
        head: NAV_CSS,
        after_connect: "",
    })
}

/// The nav layout's listeners: log `before navigate event <detail>` / `navigate event
/// <detail>`, and prevent navigation while `#prevent-navigation-toggle` is checked.
const NAV_SCRIPT: &str = r#"
window.addEventListener("phx:before-navigate", (e) => {
  console.log("before navigate event " + JSON.stringify(e.detail));
  const toggle = document.getElementById("prevent-navigation-toggle");
  if (toggle && toggle.checked) e.preventDefault();
});
window.addEventListener("phx:navigate", (e) => {
  console.log("navigate event " + JSON.stringify(e.detail));
});
"#;

/// The fixed sidebar (outside the LiveView container, like Phoenix's layout).
const NAV_SIDEBAR: &str = r#"<nav id="nav-sidebar">
<ul>
<li><a href="/navigation/a" data-phx-link="redirect" data-phx-link-state="push">LiveView A</a></li>
<li><a href="/navigation/b" data-phx-link="redirect" data-phx-link-state="push">LiveView B</a></li>
<li><a href="/stream" data-phx-link="redirect" data-phx-link-state="push">LiveView (other session)</a></li>
<li><a href="/navigation/dead" data-phx-link="redirect" data-phx-link-state="push">Dead View</a></li>
</ul>
<label><input type="checkbox" id="prevent-navigation-toggle"> Prevent navigation</label>
</nav>"#;

const NAV_CSS: &str =
    "<style>#nav-sidebar{position:fixed;top:0;left:0;bottom:0;width:14rem;padding:1rem;\
background:#f3f4f6;overflow-y:auto}#nav-sidebar ul{list-style:none;padding:0}\
[data-phx-main]{margin-left:16rem;padding:1rem}</style>";

/// `<.link patch=...>`: `data-phx-link="patch"`, state `push` or `replace` (§4).
pub fn patch_link(to: &str, replace: bool, label: &str) -> Rendered {
    let state = if replace { "replace" } else { "push" };
    html! { a href=(to) data-phx-link="patch" data-phx-link-state=(state) { (label) } }
}

/// `<.link navigate=...>`: `data-phx-link="redirect"` (§4).
pub fn navigate_link(to: &str, label: &str) -> Rendered {
    html! { a href=(to) data-phx-link="redirect" data-phx-link-state="push" { (label) } }
}

/// `System.unique_integer`: a fresh integer for every call in this process.
fn unique_integer() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `/navigation/a`.
#[derive(Debug, Default)]
pub struct NavA;

impl LiveView for NavA {
    type Info = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("param_current", params.get("param").map(str::to_owned));
        socket.assign("param_next", unique_integer());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "server_navigate" => {
                socket.push_navigate("/navigation/b");
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let current: Option<String> = assigns.get("param_current");
        let next: u64 = assigns.get("param_next");
        let to = format!("/navigation/a?param={next}");
        html! {
            h1 { "This is page A" }
            p { "Current param: " (current.unwrap_or_default()) }
            (patch_link(&to, false, "Patch this LiveView"))
            " "
            (patch_link(&to, true, "Patch (Replace)"))
            " "
            (navigate_link("/navigation/b#items-item-42", "Navigate to 42"))
            " "
            button phx-click="server_navigate" { "Server Navigate" }
        }
    }
}

/// `/navigation/b` (`:index`) and `/navigation/b/{id}` (`:show`).
#[derive(Debug, Default)]
pub struct NavB;

impl LiveView for NavB {
    type Info = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("container", params.get("container").is_some());
        socket.assign("id", params.get("id").map(str::to_owned));
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let container: bool = assigns.get("container");
        let id: Option<String> = assigns.get("id");
        let style = container.then_some("height: 85vh; overflow-y: scroll;");
        html! {
            h1 { "This is page B" }
            a href="#items-item-42" { "Go to 42." }
            @if let Some(id) = id {
                p { "Item " (id) }
            } @else {
                div #my-scroll-container style=[style] {
                    ul #items {
                        @for i in 1..=100 {
                            li id={ "items-item-" (i) } {
                                (patch_link(&format!("/navigation/b/item-{i}"), false, &format!("Item {i}")))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Phoenix crashes a LiveView whose `handle_params` keeps patching: after this many
/// consecutive patch redirects, "too many redirects".
const MAX_PATCH_REDIRECTS: usize = 20;

/// Set just before [`RedirectLoop`] crashes; the next connected mount consumes it and fails.
static FAIL_NEXT_REMOUNT: AtomicBool = AtomicBool::new(false);

/// `/navigation/redirectloop` (NAV-02).
///
/// Phoenix re-runs `handle_params` after every `push_patch` made from it and raises after 20
/// in a row; the channel crashes (`phx_error`) and the client rejoins at the current URL
/// (`?loop=true`), where mount sets "Too many redirects". The library runs `handle_params`
/// again only once after a server-side patch, so the view runs that loop itself
/// ([`RedirectLoop::patch_target`] followed up to the limit) and panics. The library then
/// restarts a crashed view in place and pushes a full render, with no `phx_error`; to get
/// Phoenix's observable behaviour the in-place remount fails once ([`FAIL_NEXT_REMOUNT`]),
/// which makes the library push `phx_error` and stop the view, and the client rejoins.
#[derive(Debug, Default)]
pub struct RedirectLoop;

impl RedirectLoop {
    /// Where this view's `handle_params` patches to for `params`, if anywhere.
    fn patch_target(params: &Params, looping: bool) -> Option<String> {
        (params.get("loop").is_some() && looping)
            .then(|| "/navigation/redirectloop?loop=true".to_owned())
    }
}

impl LiveView for RedirectLoop {
    type Info = ();

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        if socket.connected() && FAIL_NEXT_REMOUNT.swap(false, Ordering::SeqCst) {
            return Err(ViewError::other(
                "crashed: too many redirects (the in-place remount is refused)",
            ));
        }
        if params.get("loop").is_some() {
            socket.assign("message", Some("Too many redirects".to_owned()));
            socket.assign("loop", false);
        } else {
            socket.assign("message", None::<String>);
            socket.assign("loop", true);
        }
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let looping: bool = socket.assigns().get("loop");
        let Some(mut to) = Self::patch_target(params, looping) else {
            return Ok(());
        };
        // Each patch runs handle_params again with the patched URL's params.
        for _ in 0..MAX_PATCH_REDIRECTS {
            let query = to.split_once('?').map(|(_, q)| q).unwrap_or_default();
            let next = Params::from_pairs(query.split('&').filter_map(|kv| kv.split_once('=')));
            match Self::patch_target(&next, looping) {
                Some(t) => to = t,
                None => {
                    socket.push_patch(to);
                    return Ok(());
                }
            }
        }
        if socket.connected() {
            FAIL_NEXT_REMOUNT.store(true, Ordering::SeqCst);
        }
        panic!("too many redirects for RedirectLoop on {to}");
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let message: Option<String> = assigns.get("message");
        html! {
            @if let Some(m) = message {
                div #message { (m) }
            }
            (patch_link("/navigation/redirectloop?loop=true", false, "Redirect Loop"))
        }
    }
}

/// `/navigation/dead` (see the module notes).
#[derive(Debug, Default)]
pub struct DeadView;

impl LiveView for DeadView {
    type Info = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { h1 { "Dead view" } }
    }
}

/// `/stream` stand-in: a live view of live_session `:default` (see the module notes).
#[derive(Debug, Default)]
pub struct OtherSession;

impl LiveView for OtherSession {
    type Info = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { h1 { "Streams (live_session default)" } }
    }
}

/// `/issues/3529` (NAV-17): navigate remounts (a new "Mounted at"), patch does not.
#[derive(Debug, Default)]
pub struct Issue3529;

impl LiveView for Issue3529 {
    type Info = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(
            "mounted",
            format!("{}-{}", super::now_millis(), unique_integer()),
        );
        Ok(())
    }

    fn handle_params(
        &mut self,
        _: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("next", unique_integer());
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let mounted: String = assigns.get("mounted");
        let next: u64 = assigns.get("next");
        let to = format!("/issues/3529?param={next}");
        html! {
            h1 { "Mounted at " (mounted) }
            (navigate_link(&to, "Navigate"))
            " "
            (patch_link(&to, false, "Patch"))
        }
    }
}

/// `/issues/4094` (NAV-19): `handle_params` redirects (HTTP) when `foo=bar`.
#[derive(Debug, Default)]
pub struct Issue4094;

impl LiveView for Issue4094 {
    type Info = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        if params.get("foo") == Some("bar") {
            socket.redirect("/navigation/a");
        }
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { (patch_link("/issues/4094?foo=bar", false, "Patch")) }
    }
}
