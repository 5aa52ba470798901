//! Event routing (E2E_SCENARIOS.md §5.7): `/issues/3194` (EVT-01) and `/issues/4290/a|b`
//! (EVT-03). EVT-02 (`/issues/4066`, live components) is in `components.rs`.

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::js::{Args, JS};
use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<Issue3194>("/issues/3194")
            .live::<Issue3194Other>("/issues/3194/other")
            .live::<Issue4290A>("/issues/4290/a")
            .live::<Issue4290B>("/issues/4290/b")
    })
}

fn page(_: &str) -> Option<PageOpts> {
    None
}

/// The events of [`Issue3194`] and [`Issue4290A`].
#[derive(Debug, LiveEvent)]
pub enum FormMsg {
    /// `phx-change`: nothing to do.
    Validate(Value),
    /// `phx-submit` (3194): navigate away.
    Submit(Value),
    /// The button (4290): navigate to B.
    Navigate,
}

/// `/issues/3194`: a form whose input debounces until blur and whose submit navigates away.
#[derive(Debug, Default)]
pub struct Issue3194;

impl LiveView for Issue3194 {
    type Info = ();
    type Event = FormMsg;

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn update(&mut self, msg: FormMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            FormMsg::Validate(_) => {}
            FormMsg::Submit(_) => {
                socket.push_navigate("/issues/3194/other");
            }
            FormMsg::Navigate => return Err(ViewError::unknown_event("navigate")),
        }
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! {
            form phx-change=(FormMsg::validate) phx-submit=(FormMsg::submit) {
                input type="text" name="foo[store_number]" id="foo_store_number" phx-debounce="blur";
            }
        }
    }
}

/// `/issues/3194/other`: handles no event at all. Like a LiveView without a matching
/// `handle_event` clause, it crashes on any event, so a misrouted one shows up as
/// `view crashed`.
#[derive(Debug, Default)]
pub struct Issue3194Other;

impl LiveView for Issue3194Other {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        _: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        panic!("no handle_event clause for {event:?}")
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { h2 { "Another LiveView" } }
    }
}

/// `/issues/4290/a`: an element with a slow `phx-remove` transition, a form, and a button
/// that navigates to B.
#[derive(Debug, Default)]
pub struct Issue4290A;

impl LiveView for Issue4290A {
    type Info = ();
    type Event = FormMsg;

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn update(&mut self, msg: FormMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            FormMsg::Validate(_) => {}
            FormMsg::Navigate => {
                socket.push_navigate("/issues/4290/b");
            }
            FormMsg::Submit(_) => return Err(ViewError::unknown_event("submit")),
        }
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        let remove = JS::new().transition("fade-out", Args::new().time(1500));
        html! {
            h1 { "A" }
            div #slow-remove phx-remove=(remove) { "I fade out slowly" }
            form #form phx-change=(FormMsg::validate) {
                input type="text" name="name";
            }
            button phx-click=(FormMsg::Navigate) { "Navigate" }
        }
    }
}

/// The names of the events [`Issue4290B`] received (it takes any name: a dynamic case).
const EVENTS: Key<Vec<String>> = Key::new("events");

/// `/issues/4290/b`: counts every event it receives.
#[derive(Debug, Default)]
pub struct Issue4290B;

impl LiveView for Issue4290B {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(EVENTS, Vec::new());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let name = event.to_owned();
        socket.update(EVENTS, |e| e.push(name));
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let events = &assigns[EVENTS];
        html! {
            h1 { "B" }
            p { "Events: " span #event-count { (events.len()) } }
        }
    }
}
