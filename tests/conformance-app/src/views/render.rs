//! Rendering (E2E_SCENARIOS.md §5.14): `/issues/3919` (REN-02). REN-01 needs keyed
//! comprehensions with test control and REN-03 `assign_async` (stage 5).

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| s.live::<Issue3919>("/issues/3919"))
}

fn page(_: &str) -> Option<PageOpts> {
    None
}

/// The function component: a `special` attribute (default false) that decides the style.
/// HEEx keeps a literal `style` (or `class`) attribute whose value is `nil` or `false`, as
/// `style=""` (`empty_attribute_encode` in Phoenix's tag engine), so `div[style]` always
/// exists; Phoenix's spec locates the div by it.
fn special(special: bool, inner: Rendered) -> Rendered {
    let style = if special {
        "background-color: red;"
    } else {
        ""
    };
    html! {
        div style=(style) { (inner) }
    }
}

/// Whether the component is special (red).
const RED: Key<bool> = Key::new("red");

/// The events of [`Issue3919`].
#[derive(Debug, LiveEvent)]
pub enum Msg {
    /// Flip [`RED`].
    Toggle,
}

/// `/issues/3919`: toggling the component's attribute back to its default must empty the
/// `style` attribute again (the diff must clear its value).
#[derive(Debug, Default)]
pub struct Issue3919;

impl LiveView for Issue3919 {
    type Info = ();
    type Event = Msg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(RED, false);
        Ok(())
    }

    fn update(&mut self, Msg::Toggle: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.update(RED, |r| *r = !*r);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let red = assigns[RED];
        let text = if red { "Red" } else { "No red" };
        html! {
            (special(red, html! { (text) }))
            button phx-click=(Msg::Toggle) { "toggle" }
        }
    }
}
