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

use std::sync::atomic::{AtomicU64, Ordering};

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
    let link = Link::patch(to);
    if replace { link.replace() } else { link }.text(label)
}

/// `<.link navigate=...>`: `data-phx-link="redirect"` (§4).
pub fn navigate_link(to: &str, label: &str) -> Rendered {
    Link::navigate(to).text(label)
}

/// `System.unique_integer`: a fresh integer for every call in this process.
fn unique_integer() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `/navigation/a`.
#[derive(Debug, Default)]
pub struct NavA;

/// The assigns of [`NavA`], set by `handle_params`.
#[derive(Debug, LiveAssigns)]
pub struct NavAState {
    /// The `param` of the URL.
    pub param_current: Option<String>,
    /// The `param` the patch links carry.
    pub param_next: u64,
}

/// The events of [`NavA`].
#[derive(Debug, LiveEvent)]
pub enum NavAMsg {
    /// `push_navigate` to B.
    ServerNavigate,
}

impl LiveView for NavA {
    type Info = ();
    type Event = NavAMsg;

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(NavAState {
            param_current: params.get("param").map(str::to_owned),
            param_next: unique_integer(),
        });
        Ok(())
    }

    fn update(
        &mut self,
        NavAMsg::ServerNavigate: NavAMsg,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.push_navigate("/navigation/b");
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let current = assigns.get(NavAState::param_current);
        let next = assigns[NavAState::param_next];
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
            button phx-click=(NavAMsg::ServerNavigate) { "Server Navigate" }
        }
    }
}

/// `/navigation/b` (`:index`) and `/navigation/b/{id}` (`:show`).
#[derive(Debug, Default)]
pub struct NavB;

/// The assigns of [`NavB`], set by `handle_params`.
#[derive(Debug, LiveAssigns)]
pub struct NavBState {
    /// Whether the list scrolls in its own container (`?container`).
    pub container: bool,
    /// The item shown (`/navigation/b/{id}`), if any.
    pub id: Option<String>,
}

impl LiveView for NavB {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(NavBState {
            container: params.get("container").is_some(),
            id: params.get("id").map(str::to_owned),
        });
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let container = assigns[NavBState::container];
        let id = &assigns[NavBState::id];
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

/// `/navigation/redirectloop` (NAV-02).
///
/// While `loop` is on, `handle_params` patches to `?loop=true` again, and the library re-runs
/// `handle_params` after every such patch. After 20 in a row the library crashes the channel
/// (`phx_error`, as Phoenix's "too many redirects"); the client rejoins at the current URL
/// (`?loop=true`), where mount turns the loop off and sets "Too many redirects".
#[derive(Debug, Default)]
pub struct RedirectLoop;

/// The assigns of [`RedirectLoop`].
#[derive(Debug, LiveAssigns)]
pub struct LoopState {
    /// "Too many redirects" after the rejoin.
    pub message: Option<String>,
    /// Whether `handle_params` patches again.
    pub looping: bool,
}

impl LiveView for RedirectLoop {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let rejoined = params.get("loop").is_some();
        let message = rejoined.then(|| "Too many redirects".to_owned());
        socket.assign_all(LoopState {
            message,
            looping: !rejoined,
        });
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let looping = socket.assigns()[LoopState::looping];
        if looping && params.get("loop").is_some() {
            socket.push_patch("/navigation/redirectloop?loop=true");
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            @if let Some(m) = &assigns[LoopState::message] {
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
    type Event = ();

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
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { h1 { "Streams (live_session default)" } }
    }
}

/// When [`Issue3529`] mounted.
const MOUNTED: Key<String> = Key::new("mounted");
/// The `param` [`Issue3529`]'s links carry.
const NEXT: Key<u64> = Key::new("next");

/// `/issues/3529` (NAV-17): navigate remounts (a new "Mounted at"), patch does not.
#[derive(Debug, Default)]
pub struct Issue3529;

impl LiveView for Issue3529 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(
            MOUNTED,
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
        socket.assign(NEXT, unique_integer());
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let to = format!("/issues/3529?param={}", assigns[NEXT]);
        html! {
            h1 { "Mounted at " (assigns[MOUNTED]) }
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
    type Event = ();

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
