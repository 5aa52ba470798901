//! Hooks (E2E_SCENARIOS.md §5.8): `/issues/3651` (HK-01), `/issues/4147` (HK-02),
//! `/issues/4325` (HK-03). Colocated hooks are ordinary hooks registered in `pre_script`.

use std::time::Duration;

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<Issue3651>("/issues/3651")
            .live::<Issue4147>("/issues/4147")
            .live::<Issue4325>("/issues/4325")
    })
}

fn page(path: &str) -> Option<PageOpts> {
    match path {
        "/issues/3651" => Some(PageOpts {
            pre_script: PRE_3651,
            ..PageOpts::default()
        }),
        "/issues/4147" => Some(PageOpts {
            pre_script: PRE_4147,
            root: r#"<div id="foobar" phx-hook="HookOutside">Outside the LiveView</div>"#,
            ..PageOpts::default()
        }),
        "/issues/4325" => Some(PageOpts {
            pre_script: PRE_4325,
            ..PageOpts::default()
        }),
        _ => None,
    }
}

const PRE_3651: &str = r#"
window.hooks.OuterHook = { mounted() { this.pushEvent("lol"); } };
window.hooks.InnerHook = {
  mounted() {
    this.handleEvent("myevent", () => { setTimeout(() => this.pushEvent("reload"), 50); });
  },
  destroyed() { document.getElementById("notice").innerHTML = ""; }
};
"#;

const PRE_4147: &str = r#"
window.hooks.HookOutside = { mounted() { console.log("HookOutside mounted"); } };
"#;

const PRE_4325: &str = r#"
window.issue4325Lifecycle = { mounted: 0, updated: 0, destroyed: 0 };
window.hooks.IdPassthrough = {
  mounted() {
    window.issue4325Lifecycle.mounted++;
    this.js().setAttribute(this.el, "id", this.el.id);
  },
  updated() { window.issue4325Lifecycle.updated++; },
  destroyed() { window.issue4325Lifecycle.destroyed++; }
};
"#;

/// Info of `/issues/3651`.
#[derive(Debug)]
pub enum Msg3651 {
    /// Change the inner hook element's id from 1 to 2.
    ChangeId,
}

/// `/issues/3651`: a hooked element whose id changes while its hook is locked by a pending
/// push; the replaced hook must be destroyed (no ghost hooks doubling the `reload` pushes).
#[derive(Debug, Default)]
pub struct Issue3651;

/// The assigns of [`Issue3651`].
#[derive(Debug, LiveAssigns)]
pub struct State3651 {
    /// The inner hook's element id suffix (1, then 2).
    pub id: i64,
    /// The `reload` pushes handled.
    pub counter: i64,
}

/// The events the hooks of [`Issue3651`] push.
#[derive(Debug, LiveEvent)]
pub enum Event3651 {
    /// Ignored.
    Lol,
    /// Count it and push `myevent` again.
    Reload,
}

impl LiveView for Issue3651 {
    type Info = Msg3651;
    type Event = Event3651;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(State3651 { id: 1, counter: 0 });
        if socket.connected() {
            socket.send_after(Duration::ZERO, Msg3651::ChangeId);
        }
        socket.push_event("myevent", serde_json::json!({}));
        Ok(())
    }

    fn update(&mut self, event: Event3651, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match event {
            Event3651::Lol => {}
            Event3651::Reload => {
                let counter = socket.assigns()[State3651::counter];
                if counter > 4096 {
                    panic!("too many reloads: ghost hooks");
                }
                socket
                    .assign(State3651::counter, counter + 1)
                    .push_event("myevent", serde_json::json!({}));
            }
        }
        Ok(())
    }

    fn handle_info(&mut self, msg: Msg3651, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg3651::ChangeId => {
                socket.assign(State3651::id, 2);
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let id = assigns[State3651::id];
        let counter = assigns[State3651::counter];
        html! {
            div #main phx-hook="OuterHook" {
                div id={ "id-" (id) } phx-hook="InnerHook" { "inner " (id) }
                span #total { (counter) }
                div #notice phx-update="ignore" { "the inner hook was not destroyed" }
            }
        }
    }
}

/// `/issues/4147`: the LiveView of a page whose root layout has a hooked element outside
/// the LiveView container.
#[derive(Debug, Default)]
pub struct Issue4147;

impl LiveView for Issue4147 {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { h1 { "Inside" } }
    }
}

/// `/issues/4325`: a hook that sets its element's id to its current value.
#[derive(Debug, Default)]
pub struct Issue4325;

/// The count [`Issue4325`] shows.
const COUNT: Key<i64> = Key::new("count");

/// The events of [`Issue4325`].
#[derive(Debug, LiveEvent)]
pub enum Event4325 {
    /// One more.
    Inc,
}

impl LiveView for Issue4325 {
    type Info = ();
    type Event = Event4325;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(COUNT, 0);
        Ok(())
    }

    fn update(
        &mut self,
        Event4325::Inc: Event4325,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.update(COUNT, |n| *n += 1);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let count = assigns[COUNT];
        html! {
            button phx-click=(Event4325::Inc) { "Increment" }
            div #hooked phx-hook="IdPassthrough" { "count is " (count) }
        }
    }
}
