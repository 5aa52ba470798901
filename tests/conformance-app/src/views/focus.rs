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

impl LiveView for Components {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("tab", "focus_wrap".to_owned());
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("tab", params.get("tab").unwrap_or("focus_wrap").to_owned());
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let tab: String = assigns.get("tab");
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

impl LiveView for Issue3083 {
    type Info = Msg3083;
    type Event = ();

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("ids", Vec::<String>::new());
        if socket.connected() && params.get("auto") != Some("false") {
            socket.send_after(Duration::from_secs(1), Msg3083::Tick);
        }
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        _: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "validate" => Ok(()),
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn handle_info(&mut self, msg: Msg3083, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg3083::Select(ids) => {
                socket.assign("ids", ids);
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
                socket.assign("ids", pick);
                socket.send_after(Duration::from_secs(1), Msg3083::Tick);
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let ids: &Vec<String> = assigns.get_ref("ids");
        html! {
            form #form phx-change="validate" {
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

impl LiveView for Issue3107 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("disabled", true);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "validate" => {
                socket.assign("disabled", false);
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let disabled: bool = assigns.get("disabled");
        html! {
            form phx-change="validate" {
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

impl LiveView for Issue3448 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("selected", Vec::<String>::new());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "validate" => {
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
                socket.assign("selected", selected);
                Ok(())
            }
            "search" => Ok(()),
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let selected: &Vec<String> = assigns.get_ref("selected");
        let click = JS::new()
            .dispatch("input", Args::new())
            .focus(Args::new().to("#search"));
        html! {
            form #my_form phx-change="validate" {
                @for s in selected {
                    span.entry { (s) }
                }
                input #search type="text" name="value" phx-change="search";
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

impl LiveView for Issue4323 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("counter", 0_i64);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let n: i64 = assigns.get("counter");
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
