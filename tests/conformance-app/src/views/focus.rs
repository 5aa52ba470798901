//! Focus scenarios (E2E_SCENARIOS.md §5.6): `/components` (FOC-02…04), `/issues/3083`
//! (FOC-05), `/issues/3107` (FOC-06), `/issues/3448` (FOC-07), `/issues/3636` (FOC-08),
//! `/issues/4323` (FOC-09…13).

use std::time::Duration;

use liveview::prelude::*;
use liveview::LiveConfig;

use super::focus_wrap;
use crate::js::{Args, JS};
use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<Components>("/components")
            .live::<Issue3083>("/issues/3083")
            .live::<Issue3107>("/issues/3107")
            .live::<Issue3448>("/issues/3448")
            .live::<Issue3636>("/issues/3636")
            .live::<Issue4323>("/issues/4323")
    })
}

fn page(path: &str) -> Option<PageOpts> {
    match path {
        "/issues/4323" => Some(PageOpts {
            root: ISSUE_4323_ROOT,
            ..PageOpts::default()
        }),
        "/issues/3636" => Some(PageOpts {
            head: "<style>#focus-wrap{display:flex;gap:1rem;padding:1rem 0}</style>",
            ..PageOpts::default()
        }),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// /components?tab=focus_wrap

/// `/components`: tabs (patch links); the `focus_wrap` tab has a dropdown menu and a simple
/// focus container.
#[derive(Debug, Default)]
pub struct Components;

/// The tab [`Components`] shows (`?tab=`).
const TAB: Key<String> = Key::new("tab");

impl LiveView for Components {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(TAB, "focus_wrap".to_owned());
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(TAB, params.get("tab").unwrap_or("focus_wrap").to_owned());
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let tab = &assigns[TAB];
        let open = JS::new()
            .toggle(Args::new().to("#dropdown-menu"))
            .focus_first(Args::new().to("#dropdown-content"));
        let close = JS::new().hide(Args::new().to("#dropdown-menu"));
        html! {
            nav {
                a href="/components?tab=focus_wrap" data-phx-link="patch" data-phx-link-state="push" { "Focus Wrap" }
            }
            @if tab == "focus_wrap" {
                div {
                    button #dropdown-button phx-click=(open) { "Open menu" }
                    div #dropdown-menu.hidden {
                        (focus_wrap("dropdown-content", "menu", html! {
                            button phx-click=(close) { "Edit Profile" }
                            button phx-click=(close) { "Settings" }
                            button phx-click=(close) { "Sign Out" }
                        }))
                    }
                }
                div {
                    (focus_wrap("simple-focus-container", "box", html! {
                        button { "Button 1" }
                        button { "Button 2" }
                        input type="text" placeholder="Input";
                    }))
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3083

/// Info of `/issues/3083`.
#[derive(Debug)]
pub enum Msg3083 {
    /// Replace the selected values.
    Select(Vec<String>),
    /// The 1 s random timer.
    Tick,
}

/// `/issues/3083`: a multiple select updated by the server while the user may have it focused.
#[derive(Debug, Default)]
pub struct Issue3083 {
    seed: u64,
}

/// The options [`Issue3083`] selects.
const IDS: Key<Vec<String>> = Key::new("ids");

/// The form change of [`Issue3083`], [`Issue3107`] and [`Issue3448`], whose checkboxes also
/// send `search` from an input of their own.
#[derive(Debug, LiveEvent)]
pub enum FocusMsg {
    /// `phx-change` of the form, with its fields.
    Validate(Value),
    /// `phx-change` of `#search` (3448): nothing to do.
    Search(Value),
}

impl LiveView for Issue3083 {
    type Info = Msg3083;
    type Event = FocusMsg;

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(IDS, Vec::new());
        if socket.connected() && params.get("auto") != Some("false") {
            socket.send_after(Duration::from_secs(1), Msg3083::Tick);
        }
        Ok(())
    }

    fn update(&mut self, msg: FocusMsg, _: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            FocusMsg::Validate(_) => Ok(()),
            FocusMsg::Search(_) => Err(ViewError::unknown_event("search")),
        }
    }

    fn handle_info(&mut self, msg: Msg3083, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg3083::Select(ids) => {
                socket.assign(IDS, ids);
            }
            Msg3083::Tick => {
                self.seed = self
                    .seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let pick: Vec<String> = (1..=5)
                    .filter(|i| (self.seed >> (i * 7)) & 1 == 1)
                    .map(|i| i.to_string())
                    .collect();
                socket.assign(IDS, pick);
                socket.send_after(Duration::from_secs(1), Msg3083::Tick);
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let ids = &assigns[IDS];
        html! {
            form #form phx-change=(FocusMsg::validate) {
                select #ids name="ids[]" multiple {
                    @for i in 1..=5 {
                        @let v = i.to_string();
                        option value=(v) selected[ids.contains(&v)] { (v) }
                    }
                }
                input type="text" name="other" placeholder="focus me!";
            }
        }
    }
}

impl Msg3083 {
    /// The message of `evalLV(page, {op: "info", msg: {select: [...]}})` (`control.rs`).
    pub fn decode(msg: &Value) -> Option<Self> {
        let ids = msg.get("select")?.as_array()?;
        Some(Self::Select(
            ids.iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        ))
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3107

/// `/issues/3107`: a nameless select must keep the user's choice across the patch that
/// enables the button.
#[derive(Debug, Default)]
pub struct Issue3107;

/// Whether [`Issue3107`]'s button is disabled.
const DISABLED: Key<bool> = Key::new("disabled");

impl LiveView for Issue3107 {
    type Info = ();
    type Event = FocusMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(DISABLED, true);
        Ok(())
    }

    fn update(&mut self, msg: FocusMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            FocusMsg::Validate(_) => {
                socket.assign(DISABLED, false);
                Ok(())
            }
            FocusMsg::Search(_) => Err(ViewError::unknown_event("search")),
        }
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let disabled = assigns[DISABLED];
        html! {
            form phx-change=(FocusMsg::validate) {
                select {
                    option value="ONE" { "ONE" }
                    option value="TWO" { "TWO" }
                }
                button disabled[disabled] { "OK" }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3448

/// `/issues/3448`: checkboxes that dispatch `input` and focus the search field, in a form
/// locked by a pending change.
#[derive(Debug, Default)]
pub struct Issue3448;

/// The checkboxes [`Issue3448`] shows checked.
const SELECTED: Key<Vec<String>> = Key::new("selected");

impl LiveView for Issue3448 {
    type Info = ();
    type Event = FocusMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(SELECTED, Vec::new());
        Ok(())
    }

    fn update(&mut self, msg: FocusMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            FocusMsg::Validate(value) => {
                let selected: Vec<String> = value
                    .get("a")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                socket.assign(SELECTED, selected);
                Ok(())
            }
            FocusMsg::Search(_) => Ok(()),
        }
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let selected = &assigns[SELECTED];
        let click = JS::new()
            .dispatch("input", Args::new())
            .focus(Args::new().to("#search"));
        html! {
            form #my_form phx-change=(FocusMsg::validate) {
                @for s in selected {
                    span.entry { (s) }
                }
                input #search type="text" name="value" phx-change=(FocusMsg::search);
                @for v in ["settings", "content"] {
                    label {
                        input type="checkbox" name="a[]" value=(v) checked[selected.iter().any(|s| s == v)] phx-click=(click);
                        (v)
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3636

/// `/issues/3636`: a horizontal focus_wrap between two outside buttons.
#[derive(Debug, Default)]
pub struct Issue3636;

impl LiveView for Issue3636 {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! {
            button { "Outside 1" }
            (focus_wrap("focus-wrap", "", html! {
                button { "One" }
                button { "Two" }
                button { "Three" }
            }))
            button { "Outside 2" }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/4323

/// The root-layout script of `/issues/4323`: two form-associated custom elements.
const ISSUE_4323_ROOT: &str = r#"<script>
class Issue4323Face extends HTMLElement {
  static formAssociated = true;
  constructor() { super(); this.internals = this.attachInternals(); }
}
class Issue4323DelegatesFace extends HTMLElement {
  static formAssociated = true;
  constructor() {
    super();
    this.internals = this.attachInternals();
    const root = this.attachShadow({ mode: "open", delegatesFocus: true });
    root.innerHTML = "<input id='inner' aria-label='inner'><slot></slot>";
  }
}
customElements.define("issue-4323-face", Issue4323Face);
customElements.define("issue-4323-delegates-face", Issue4323DelegatesFace);
</script>"#;

/// `/issues/4323`: `phx-patch-focused` on custom elements and native inputs.
#[derive(Debug, Default)]
pub struct Issue4323;

/// The count of [`Issue4323`], which the test control's `inc` op (a hook, by name) raises.
const COUNTER: Key<i64> = Key::new("counter");

impl LiveView for Issue4323 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(COUNTER, 0);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let n = assigns[COUNTER];
        html! {
            form #test-form {
                issue-4323-face #face-default tabindex="0" {
                    span #face-default-child { "count:" (n) }
                }
                issue-4323-face #face-opt-in tabindex="0" phx-patch-focused {
                    span #face-opt-in-child { "count:" (n) }
                }
                issue-4323-delegates-face #face-delegates phx-patch-focused {
                    span #face-delegates-child { "count:" (n) }
                }
                input #native-default type="text" name="native_default" value=(n);
                input #native-opt-in type="text" name="native_opt_in" value=(n) phx-patch-focused;
            }
        }
    }
}
