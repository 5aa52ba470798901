//! Rendering (E2E_SCENARIOS.md §5.14): `/issues/3919` (REN-02) and `/issues/3931` (REN-03,
//! `assign_async`). REN-01 needs keyed comprehensions with test control.

use std::time::Duration;

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<Issue3919>("/issues/3919")
            .live::<Issue3931>("/issues/3931")
    })
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

/// The data `/issues/3931` loads asynchronously.
const SLOW_DATA: Key<AsyncResult<String>> = Key::new("slow_data");

/// `/issues/3931`: an `assign_async` of 100 ms, rendered inside a layout function (Phoenix's
/// `<.layout {assigns}>` around `<.async_result>`). The dead render and the join show the
/// loading slot; the result arrives as a server-pushed `diff`.
#[derive(Debug, Default)]
pub struct Issue3931;

/// Phoenix's `layout/1` of the fixture: a wrapper around the inner block.
fn layout(inner: Rendered) -> Rendered {
    html! {
        div.max-w-4xl.mx-auto.p-8 { (inner) }
    }
}

impl LiveView for Issue3931 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_async(SLOW_DATA, async {
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
            Ok::<_, std::convert::Infallible>("This was loaded asynchronously!".to_owned())
        });
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        // `<.async_result>`: the value once there is one, else the loading slot (the fixture
        // has no failed slot, so a failure renders nothing).
        let body = match assigns[SLOW_DATA].state() {
            AsyncState::Ok(data) => html! { div #async.space-y-3 { (data) } },
            AsyncState::Loading => html! {
                div #async.flex.items-center.space-x-3 {
                    div.animate-spin.rounded-full."h-8"."w-8"."border-b-2".border-blue-500 {}
                    p.text-gray-600 { "Loading data..." }
                }
            },
            AsyncState::Failed(_) => html! {},
        };
        layout(body)
    }
}
