//! `/form-unsaved` and `/form-unsaved/target` (E2E_SCENARIOS.md §5.3, NAV-16): a dirty form
//! whose `pre_script` listeners ask before a live navigation (`phx:before-navigate`) and
//! prevent the page unload (`beforeunload`).

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};
use crate::views::navigation::navigate_link;

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<FormUnsaved>("/form-unsaved")
            .live::<FormUnsavedTarget>("/form-unsaved/target")
    })
}

fn page(path: &str) -> Option<PageOpts> {
    (path == "/form-unsaved").then_some(PageOpts {
        pre_script: UNSAVED_SCRIPT,
        ..PageOpts::default()
    })
}

const UNSAVED_SCRIPT: &str = r##"
(() => {
  if (window.unsavedFormListenersInstalled) return;
  window.unsavedFormListenersInstalled = true;
  window.unsavedEvents = window.unsavedEvents || [];
  const dirty = () => document.querySelector("#unsaved-form[data-dirty='true']") !== null;
  window.addEventListener("phx:before-navigate", (event) => {
    if (!dirty()) return;
    window.unsavedEvents.push({ type: "phx", detail: event.detail });
    if (!window.confirm("You have unsaved changes. Leave without saving?")) event.preventDefault();
  });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty()) return;
    window.unsavedEvents.push({ type: "beforeunload" });
    event.preventDefault();
    event.returnValue = "";
  });
})();
"##;

/// `/form-unsaved`.
#[derive(Debug, Default)]
pub struct FormUnsaved;

/// The assigns of [`FormUnsaved`].
#[derive(Debug, LiveAssigns)]
pub struct UnsavedState {
    /// The note as typed.
    pub note: String,
    /// Whether the note is not empty (the form is dirty).
    pub dirty: bool,
}

/// The events of [`FormUnsaved`].
#[derive(Debug, LiveEvent)]
pub enum UnsavedMsg {
    /// The form changed.
    Validate {
        /// The `note` field (`""` reads as `None`).
        note: Option<String>,
    },
}

impl LiveView for FormUnsaved {
    type Info = ();
    type Event = UnsavedMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(UnsavedState {
            note: String::new(),
            dirty: false,
        });
        Ok(())
    }

    fn update(&mut self, msg: UnsavedMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let UnsavedMsg::Validate { note } = msg;
        let note = note.unwrap_or_default();
        socket
            .assign(UnsavedState::dirty, !note.is_empty())
            .assign(UnsavedState::note, note);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let note = &assigns[UnsavedState::note];
        let dirty = assigns[UnsavedState::dirty];
        html! {
            h1 { "Unsaved form" }
            (navigate_link("/form-unsaved/target", "Leave form"))
            form #unsaved-form phx-change=(UnsavedMsg::validate) data-dirty=(if dirty { "true" } else { "false" })
                style="margin-top: 1rem; display: flex; flex-direction: column; gap: 0.5rem; max-width: 20rem;" {
                label for="unsaved-note" { "Unsaved note" }
                input #unsaved-note name="note" value=(note);
                p #unsaved-value { "Unsaved value: " (note) }
            }
        }
    }
}

/// `/form-unsaved/target`.
#[derive(Debug, Default)]
pub struct FormUnsavedTarget;

impl LiveView for FormUnsavedTarget {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { h1 { "Unsaved form target" } }
    }
}
