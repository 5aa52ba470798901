//! Live components (E2E_SCENARIOS.md §5.10 and the component scenarios of §5.2, §5.3, §5.7):
//! `/issues/3026` (LC-01), `/issues/3169` (LC-03), `/issues/3979` (LC-05), `/issues/4088`
//! (LC-07), `/issues/4334` (LC-08), `/issues/4350` (LC-09), `/issues/3200/messages|settings`
//! (FRM-21), `/issues/3684` (FRM-22), `/issues/3709/{id}` (NAV-18) and `/issues/4066`
//! (EVT-02). The async scenarios (LC-02, LC-04, LC-06, REN-03) need `assign_async`.
//!
//! Adaptations: Phoenix's `Process.sleep` in a callback (3026's `:load`, 3169's `{:load,
//! name}` update) becomes a timer (`send_after`, `send_update_after`) of the same length, so
//! the view is not blocked meanwhile; colocated hooks (`.MyHook`) are ordinary hooks
//! registered in the page's `pre_script`; `:rand.uniform()` is a process-wide counter (each
//! value differs from the last, which is all the scenarios need). A view that Phoenix would
//! crash on an event it has no clause for (4066) panics likewise, so a misrouted event shows.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::js::JS;
use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<Issue3026>("/issues/3026")
            .live::<Issue3200>("/issues/3200/messages")
            .live::<Issue3200>("/issues/3200/settings")
            .live::<Issue3684>("/issues/3684")
            .live::<Issue3709>("/issues/3709")
            .live::<Issue3709>("/issues/3709/{id}")
            .live::<Issue3979>("/issues/3979")
            .live::<Issue4066>("/issues/4066")
            .live::<Issue4088>("/issues/4088")
            .live::<Issue4334>("/issues/4334")
            .live::<Issue4350>("/issues/4350")
    })
    // Outside any live_session in Phoenix (custom layout).
    .live::<Issue3169>("/issues/3169")
}

fn page(path: &str) -> Option<PageOpts> {
    let pre_script = match path {
        "/issues/4066" => HOOK_4066,
        "/issues/4088" => HOOK_4088,
        "/issues/4334" => HOOK_4334,
        _ => return None,
    };
    Some(PageOpts {
        pre_script,
        ..PageOpts::default()
    })
}

/// A value unlike the previous one (Phoenix's scenarios use `:rand.uniform`).
fn fresh() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The value of `key` in an event's payload, as a string.
fn field<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

// ---------------------------------------------------------------------------------------
// /issues/3026 (LC-01)

/// The status of [`Issue3026`]: `connecting` (dead render), `loading`, `connected`, `loaded`.
const STATUS: Key<String> = Key::new("status");
/// The name [`Issue3026`]'s component shows.
const NAME: Key<String> = Key::new("name");
/// The email [`Issue3026`]'s component shows.
const EMAIL: Key<String> = Key::new("email");

/// How long `:load` takes (Phoenix: `Process.sleep(200)`).
const LOAD_3026: Duration = Duration::from_millis(200);

/// Info of [`Issue3026`].
#[derive(Debug)]
pub enum Msg3026 {
    /// Loading done.
    Load,
}

/// `/issues/3026`: a status select, and the `my-form` component once loaded; submitting its
/// form unloads it and loads it again 200 ms later (racing the component's destroy).
#[derive(Debug, Default)]
pub struct Issue3026;

impl LiveView for Issue3026 {
    type Info = Msg3026;
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let connected = socket.connected();
        socket
            .assign(
                STATUS,
                if connected { "loading" } else { "connecting" }.to_owned(),
            )
            .assign(NAME, String::new())
            .assign(EMAIL, String::new());
        if connected {
            socket.send_after(LOAD_3026, Msg3026::Load);
        }
        Ok(())
    }

    fn handle_info(&mut self, msg: Msg3026, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg3026::Load => {
                socket
                    .assign(STATUS, "loaded".to_owned())
                    .assign(NAME, "John".to_owned())
                    .assign(EMAIL, String::new());
            }
        }
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "change_status" => {
                let status = field(value, "status").unwrap_or("connecting").to_owned();
                socket.assign(STATUS, status);
            }
            "validate" => {
                let name = field(value, "name").unwrap_or_default().to_owned();
                let email = field(value, "email").unwrap_or_default().to_owned();
                socket.assign(NAME, name).assign(EMAIL, email);
            }
            "submit" => {
                socket.assign(STATUS, "loading".to_owned());
                socket.send_after(LOAD_3026, Msg3026::Load);
            }
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let status = &a[STATUS];
        html! {
            form phx-change="change_status" {
                select name="status" type="select" {
                    @for s in ["connecting", "loading", "connected", "loaded"] {
                        option value=(s) selected[status == s] { (capitalize(s)) }
                    }
                }
            }
            @if status == "loaded" {
                (a.live_component::<Form3026>("my-form", (a[NAME].clone(), a[EMAIL].clone())))
            } @else {
                div class="p-8 bg-gray-200 mb-4" { (status) }
            }
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// [`Issue3026`]'s form: its events go to the parent (no `phx-target`).
#[derive(Debug, Default)]
pub struct Form3026;

impl LiveComponent for Form3026 {
    type Props = (String, String);
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        (name, email): (String, String),
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(NAME, name).assign(EMAIL, email);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div {
                "Example form"
                form phx-change="validate" phx-submit="submit" {
                    input label="Name" name="name" type="text" value=(a[NAME]);
                    input label="Email" name="email" type="text" value=(a[EMAIL]);
                    button type="submit" { "Submit" }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3169 (LC-03)

/// The name `select` chose (`None` before the first click).
const SELECTED: Key<Option<String>> = Key::new("selected");
/// The record a 3169 component shows: `(id, name)`.
const RECORD: Key<Option<(u64, String)>> = Key::new("record");

/// How long loading a record takes (Phoenix: `:timer.sleep(50)` in `update`).
const LOAD_3169: Duration = Duration::from_millis(50);

/// `/issues/3169`: `select` picks a name; the `form_view` component then loads a record
/// with a `send_update` to itself and shows it through two nested components, one of them
/// new with every record.
#[derive(Debug, Default)]
pub struct Issue3169;

impl LiveView for Issue3169 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(SELECTED, None);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "select" => {
                let name = field(value, "name").unwrap_or_default().to_owned();
                socket.assign(SELECTED, Some(name));
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            "HomeLive "
            (a.live_component::<FormComponent3169>("form_view", a[SELECTED].clone()))
            @for n in ["a", "b", "z"] {
                button id={ "select-" (n) } phx-click="select" phx-value-name=(n) { "Select " (n.to_uppercase()) }
            }
        }
    }
}

/// 3169's `FormComponent` (c1): loads a record for the selected name.
#[derive(Debug, Default)]
pub struct FormComponent3169;

impl LiveComponent for FormComponent3169 {
    type Props = Option<String>;
    type Event = ();
    /// `{:load, name}`.
    type Update = String;

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(RECORD, None);
        Ok(())
    }

    fn update(
        &mut self,
        selected: Option<String>,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        if let Some(name) = selected {
            socket.send_update_after::<Self>(LOAD_3169, "form_view", name);
            socket.assign(RECORD, None);
        }
        Ok(())
    }

    fn handle_update(
        &mut self,
        name: String,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(RECORD, Some((fresh(), format!("Record {name}"))));
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div {
                "FormComponent (c1)"
                @if let Some(record) = &a[RECORD] {
                    div { (a.live_component::<FormCore3169>("core", record.clone())) }
                }
                hr;
            }
        }
    }
}

/// 3169's `FormCore` (c2): a form around a `FormColumn` whose id is the record's.
#[derive(Debug, Default)]
pub struct FormCore3169;

impl LiveComponent for FormCore3169 {
    type Props = (u64, String);
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        record: (u64, String),
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(RECORD, Some(record));
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let (id, name) = a[RECORD].clone().unwrap_or_default();
        html! {
            div {
                "FormCore (c2)"
                form {
                    (a.live_component::<FormColumn3169>(format_args!("column-{id}"), name))
                }
            }
        }
    }
}

/// 3169's `FormColumn` (c3): three text inputs showing the record's name, two of them from
/// nested function components.
#[derive(Debug, Default)]
pub struct FormColumn3169;

/// The name [`FormColumn3169`] shows.
const VALUE: Key<String> = Key::new("value");

impl LiveComponent for FormColumn3169 {
    type Props = String;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        name: String,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(VALUE, name);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let value = &a[VALUE];
        html! {
            div {
                "FormColumn (c3) "
                input type="text" value=(value);
                (input_3169(value))
                "This is a test! foo"
            }
        }
    }
}

/// 3169's `input/1` (with `input_two/1` inside).
fn input_3169(value: &str) -> Rendered {
    html! {
        div {
            (value)
            input type="text" value=(value);
            div {
                (value)
                input type="text" value=(value);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3979 (LC-05)

/// The components of [`Issue3979`]: `(id, counter)`.
const COMPONENTS: Key<Vec<(u32, u32)>> = Key::new("components");
/// The number of the component the next bump changes (from 1).
const COUNTER: Key<u32> = Key::new("counter");

/// Info of [`Issue3979`].
#[derive(Debug)]
pub enum Msg3979 {
    /// `send_update` component `comp-<n>` to counter 10.
    Update(u32),
}

/// `/issues/3979`: ten components whose root id changes with their counter; each bump
/// changes the next one and sets it to 10 with a `send_update` 100 ms later.
#[derive(Debug, Default)]
pub struct Issue3979;

impl LiveView for Issue3979 {
    type Info = Msg3979;
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket
            .assign(COUNTER, 1)
            .assign(COMPONENTS, (1..=10).map(|i| (i, 0)).collect());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        if event != "bump" {
            return Err(ViewError::unknown_event(event));
        }
        let n = socket.assigns()[COUNTER];
        socket.send_after(Duration::from_millis(100), Msg3979::Update(n));
        socket
            .update(COMPONENTS, |cs| {
                if let Some(c) = cs.iter_mut().find(|c| c.0 == n) {
                    c.1 += 1;
                }
            })
            .update(COUNTER, |c| *c += 1);
        Ok(())
    }

    fn handle_info(&mut self, msg: Msg3979, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let Msg3979::Update(n) = msg;
        socket.send_update::<Counter3979>(format_args!("comp-{n}"), 10);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            @for (id, counter) in a[COMPONENTS].iter().copied() {
                (a.live_component::<Counter3979>(format_args!("comp-{id}"), (format!("hello-{id}-{counter}"), counter)))
            }
            button phx-click="bump" { "Bump ID (and counter)" }
        }
    }
}

/// 3979's component: `div id={dom_id}` showing the counter.
#[derive(Debug, Default)]
pub struct Counter3979;

/// The root id of a [`Counter3979`].
const DOM_ID: Key<String> = Key::new("dom_id");
/// The counter a [`Counter3979`] shows.
const COUNT: Key<u32> = Key::new("count");

impl LiveComponent for Counter3979 {
    /// `(dom_id, counter)`.
    type Props = (String, u32);
    type Event = ();
    /// `send_update(counter: n)`.
    type Update = u32;

    fn update(
        &mut self,
        (dom_id, counter): (String, u32),
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(DOM_ID, dom_id).assign(COUNT, counter);
        Ok(())
    }

    fn handle_update(
        &mut self,
        to: u32,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(COUNT, to);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! { div id=(a[DOM_ID]) { (a[COUNT]) } }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/4088 (LC-07)

/// `.MyHook` of 4088: three immediate `pushEventTo` its own component.
const HOOK_4088: &str = r#"
window.hooks.MyHook4088 = {
  mounted() {
    this.pushEventTo(this.el, "my_update", {});
    this.pushEventTo(this.el, "my_update", {});
    this.pushEventTo(this.el, "my_update", {});
  },
};
"#;

/// `/issues/4088`: one component, `lc`.
#[derive(Debug, Default)]
pub struct Issue4088;

impl LiveView for Issue4088 {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! { (a.live_component::<Lc4088>("lc", ())) }
    }
}

/// 4088's component: its root has the hook and targets itself.
#[derive(Debug, Default)]
pub struct Lc4088;

/// What [`Lc4088`] shows: `value`, then a new number with each `my_update`.
const TEST: Key<String> = Key::new("test");

impl LiveComponent for Lc4088 {
    type Props = ();
    type Event = ();
    type Update = ();

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(TEST, "value".to_owned());
        Ok(())
    }

    fn update(&mut self, (): (), _: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "my_update" => {
                socket.assign(TEST, format!("0.{}", fresh()));
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div #foo phx-hook="MyHook4088" phx-target=(a.myself()) { (a[TEST]) }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/4334 (LC-08)

/// `RootChange` of 4334 (a `pre_script` hook in Phoenix too).
const HOOK_4334: &str = r#"
window.hooks.RootChange = {
  mounted() { console.log("MyHook mounted"); },
  updated() { console.log("MyHook updated"); },
};
"#;

/// `/issues/4334`: a component whose root id (and a child's) changes on a click.
#[derive(Debug, Default)]
pub struct Issue4334;

impl LiveView for Issue4334 {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            main style="max-width: 48rem; margin: 4rem auto; font-family: system-ui;" {
                h1 { "LiveComponent root ID corruption repro" }
                p #instructions {
                    "Click the button. The component root changes from " code { "old-root" }
                    " to " code { "new-root" } "."
                }
                (a.live_component::<RootChanging>("demo-component", ()))
            }
        }
    }
}

/// 4334's component.
#[derive(Debug, Default)]
pub struct RootChanging;

/// Whether [`RootChanging`]'s root id changed.
const CHANGED: Key<bool> = Key::new("changed");

impl LiveComponent for RootChanging {
    type Props = ();
    type Event = ();
    type Update = ();

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(CHANGED, false);
        Ok(())
    }

    fn update(&mut self, (): (), _: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "change-root-id" => {
                socket.assign(CHANGED, true);
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let changed = a[CHANGED];
        html! {
            section id=(if changed { "new-root" } else { "old-root" }) data-testid="component-root"
                phx-hook="RootChange"
                style="min-height: 10rem; margin-top: 2rem; padding: 1.5rem; border: 4px solid #dc2626;" {
                button #change-root phx-click="change-root-id" phx-target=(a.myself())
                    style="padding: 0.75rem 1rem; background: #111827; color: white;" {
                    "Change component root ID"
                }
                p id=(if changed { "new-child" } else { "old-child" }) style="font-size: 1.25rem;" {
                    (if changed { "NEW CHILD SHOULD REMAIN VISIBLE" } else { "Old child is visible" })
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/4350 (LC-09)

/// Whether [`Issue4350`] shows its wrapper.
const SHOW: Key<bool> = Key::new("show");
/// The tick [`Issue4350`] passes to its branch.
const TICK: Key<u32> = Key::new("tick");

/// `/issues/4350`: a branch component holding a leaf component, hidden and shown again.
#[derive(Debug, Default)]
pub struct Issue4350;

impl LiveView for Issue4350 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(SHOW, true).assign(TICK, 0);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "tick" => socket.update(TICK, |t| *t += 1),
            "hide" => socket.assign(SHOW, false),
            "show" => socket.assign(SHOW, true),
            other => return Err(ViewError::unknown_event(other)),
        };
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            button #tick phx-click="tick" { "tick" }
            button #hide phx-click="hide" { "hide" }
            button #show phx-click="show" { "show" }
            @if a[SHOW] {
                div #wrapper { (a.live_component::<Branch4350>("branch", a[TICK])) }
            }
        }
    }
}

/// 4350's branch: the tick and the leaf (whose placement never changes).
#[derive(Debug, Default)]
pub struct Branch4350;

impl LiveComponent for Branch4350 {
    type Props = u32;
    type Event = ();
    type Update = ();

    fn update(&mut self, tick: u32, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(TICK, tick);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div #branch {
                "tick: " (a[TICK])
                (a.live_component::<Leaf4350>("leaf", ()))
            }
        }
    }
}

/// 4350's leaf: a counter bumped through its own target.
#[derive(Debug, Default)]
pub struct Leaf4350;

impl LiveComponent for Leaf4350 {
    type Props = ();
    type Event = ();
    type Update = ();

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(COUNT, 0);
        Ok(())
    }

    fn update(&mut self, (): (), _: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "bump" => {
                socket.update(COUNT, |c| *c += 1);
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div #leaf {
                "count: " span #leaf-count { (a[COUNT]) }
                button #bump phx-click="bump" phx-target=(a.myself()) { "bump" }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3200/messages|settings (FRM-21)

/// `/issues/3200/{messages,settings}`: two tabs (patch buttons), each a component; the
/// messages tab's form targets itself with a CSS selector.
#[derive(Debug, Default)]
pub struct Issue3200;

/// Whether [`Issue3200`] shows the messages tab (`/messages`) or the settings tab.
const MESSAGES: Key<bool> = Key::new("messages");

impl LiveView for Issue3200 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(MESSAGES, false);
        Ok(())
    }

    fn handle_params(
        &mut self,
        _: &Params,
        uri: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let path = uri.split(['?', '#']).next().unwrap_or_default();
        socket.assign(MESSAGES, path.ends_with("/messages"));
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let tab = |text: &str, route: &str| {
            let patch = JS::new().patch(route, false);
            html! { button type="button" phx-click=(patch) { (text) } }
        };
        html! {
            div {
                div {
                    div {
                        (tab("Messages tab", "/issues/3200/messages"))
                        (tab("Settings tab", "/issues/3200/settings"))
                    }
                    aside {
                        div {
                            @if a[MESSAGES] {
                                div { (a.live_component::<MessagesTab>("messages_tab", ())) }
                            } @else {
                                div { (a.live_component::<SettingsTab>("settings_tab", ())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// 3200's settings tab.
#[derive(Debug, Default)]
pub struct SettingsTab;

impl LiveComponent for SettingsTab {
    type Props = ();
    type Event = ();
    type Update = ();

    fn update(&mut self, (): (), _: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { div { "Settings" } }
    }
}

/// 3200's messages tab: a message component and the form.
#[derive(Debug, Default)]
pub struct MessagesTab;

impl LiveComponent for MessagesTab {
    type Props = ();
    type Event = ();
    type Update = ();

    fn update(&mut self, (): (), socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(VALUE, String::new());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "add_message_change" => {
                let message = field(value, "new_message").unwrap_or_default().to_owned();
                socket.assign(VALUE, message);
                Ok(())
            }
            "add_message" => Ok(()),
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div {
                (a.live_component::<MessageComponent>("some_unique_message_id", "Example message".to_owned()))
                form #full_add_message_form phx-change="add_message_change" phx-submit="add_message"
                    phx-target="#full_add_message_form" {
                    div phx-feedback-for="new_message" {
                        input name="new_message" #new_message_input value=(a[VALUE]);
                    }
                }
            }
        }
    }
}

/// 3200's message component.
#[derive(Debug, Default)]
pub struct MessageComponent;

impl LiveComponent for MessageComponent {
    type Props = String;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        message: String,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(VALUE, message);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! { div { (a[VALUE]) } }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3684 (FRM-22)

/// `/issues/3684`: the `badge_form` component; the form's own events go to the parent, which
/// ignores them.
#[derive(Debug, Default)]
pub struct Issue3684;

impl LiveView for Issue3684 {
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
        match event {
            "change" | "submit" => Ok(()),
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! { (a.live_component::<BadgeForm>("badge_form", ())) }
    }
}

/// 3684's `BadgeForm`: two radios, each in a div that sets the checked one through the
/// component's own target.
#[derive(Debug, Default)]
pub struct BadgeForm;

/// The radio [`BadgeForm`] checks: `huey` or `dewey`.
const TYPE: Key<String> = Key::new("type");

impl LiveComponent for BadgeForm {
    type Props = ();
    type Event = ();
    type Update = ();

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(TYPE, "huey".to_owned());
        Ok(())
    }

    fn update(&mut self, (): (), _: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match (event, field(value, "type")) {
            ("change-type", Some(t @ ("huey" | "dewey"))) => {
                socket.assign(TYPE, t.to_owned());
                Ok(())
            }
            (other, _) => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let checked = &a[TYPE];
        let myself: Cid = a.myself();
        html! {
            div {
                form #foo class="max-w-lg p-8 flex flex-col gap-4" phx-change="change" phx-submit="submit" {
                    fieldset {
                        legend { "Radio example:" }
                        @for t in ["huey", "dewey"] {
                            div phx-click="change-type" phx-value-type=(t) phx-target=(myself) {
                                input type="radio" id=(t) name="type" value=(t) checked[checked == t];
                                label for=(t) { (t) }
                            }
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3709/{id} (NAV-18)

/// The id of the path (`/issues/3709/{id}`).
const ID: Key<String> = Key::new("id");

/// `/issues/3709/{id}`: ten patch links, a component whose id follows the path's, and a
/// button clicking all the links at once.
#[derive(Debug, Default)]
pub struct Issue3709;

impl LiveView for Issue3709 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(ID, String::new());
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(ID, params.get("id").unwrap_or_default().to_owned());
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let id = &a[ID];
        html! {
            ul {
                @for i in 1..=10 {
                    li { (Link::patch(format!("/issues/3709/{i}")).text(format!("Link {i}"))) }
                }
            }
            div {
                (a.live_component::<Hello3709>(format_args!("user-{id}"), ())) " id: " (id)
                div {
                    "Click the button, then click any link."
                    button onclick="document.querySelectorAll('li a').forEach((x) => x.click())" {
                        "Break Stuff"
                    }
                }
            }
        }
    }
}

/// 3709's component.
#[derive(Debug, Default)]
pub struct Hello3709;

impl LiveComponent for Hello3709 {
    type Props = ();
    type Event = ();
    type Update = ();

    fn update(&mut self, (): (), _: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { div { "Hello" } }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/4066 (EVT-02)

/// `.MyHook` of 4066: `delay` ms after an input, a push to its own element (by then
/// removed from the page) and a mark on `body`.
const HOOK_4066: &str = r#"
window.hooks.MyHook4066 = {
  mounted() {
    this.el.addEventListener("input", () => {
      setTimeout(() => {
        this.pushEventTo(this.el, "do-something", { value: 100 });
        this.liveSocket.js().setAttribute(document.body, "data-pushed", "yes");
      }, parseInt(this.el.dataset.delay));
    });
  },
};
"#;

/// The time of [`Issue4066`]'s mount.
const RENDER_TIME: Key<String> = Key::new("render_time");
/// Whether [`Issue4066`] renders its component.
const RENDER_LC: Key<bool> = Key::new("render_lc");

/// `/issues/4066?delay=N`: a toggle for the `foo` component. It crashes on any event but
/// `toggle` (as a LiveView without a matching clause), so a push misrouted to it shows.
#[derive(Debug, Default)]
pub struct Issue4066;

impl LiveView for Issue4066 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let delay = params.get("delay").unwrap_or("3000").to_owned();
        socket
            .assign(RENDER_TIME, super::now_millis())
            .assign(RENDER_LC, true)
            .assign(VALUE, delay);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "toggle" => {
                socket.update(RENDER_LC, |r| *r = !*r);
                Ok(())
            }
            other => panic!("no handle_event clause for {other:?}"),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            p #render-time { (a[RENDER_TIME]) }
            button phx-click="toggle" { "Toggle" }
            @if a[RENDER_LC] {
                (a.live_component::<Lc4066>("foo", a[VALUE].clone()))
            }
        }
    }
}

/// 4066's component: an input with the hook, its id the component's.
#[derive(Debug, Default)]
pub struct Lc4066;

impl LiveComponent for Lc4066 {
    /// The hook's delay (ms).
    type Props = String;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        delay: String,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(VALUE, delay);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        _: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "do-something" => Ok(()),
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            input phx-hook="MyHook4066" data-delay=(a[VALUE]) target=(a.myself()) id="foo";
        }
    }
}
