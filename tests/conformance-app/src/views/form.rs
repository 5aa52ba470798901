//! Forms (E2E_SCENARIOS.md §5.2): `/form` in its plain variant (FRM-01…12, FRM-18, FRM-19),
//! `/form/dynamic-inputs` (FRM-14…16) and `/form/feedback` (FRM-17, custom layout).
//!
//! `?live-component` (stage 1, issue 14) renders the form inside the live component
//! `form-component` ([`FormComponent`]) with `phx-target={@myself}`: its events, recovery
//! included, go to the component. The `?portal` variant (stage 5) and `/form/nested` (stage 3)
//! are not served: `/form` ignores `portal`.
//!
//! Test control: `evalLV(page, {op: "gate", gate: G})` sets the `gate` assign, after which
//! `/form` holds every later event except `ping` (and `sandbox:eval`, which the live
//! session's hook handles first) in [`control::hold`] until `POST /eval {"op":
//! "release", "gate": G, "event": E}` (FRM-12). A held reply keeps the view's actor waiting
//! (not its thread), so later events queue behind it, as Phoenix's blocked LiveView process
//! does.

use std::collections::BTreeMap;
use std::time::Duration;

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::control;
use crate::js::{Args, JS};
use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<FormLive>("/form")
            .live::<FormDynamicInputs>("/form/dynamic-inputs")
    })
    // Outside any live_session in Phoenix (custom layout).
    .live::<FormFeedback>("/form/feedback")
}

fn page(path: &str) -> Option<PageOpts> {
    (path == "/form/feedback").then_some(PageOpts {
        socket_opts: "{hooks: {}, dom: window.phxFeedbackDom({})}",
        pre_script: FEEDBACK_SCRIPT,
        root: "",
        head: "<style>.phx-no-feedback{display:none}</style>",
        after_connect: FEEDBACK_AFTER_CONNECT,
    })
}

/// How long a gated event waits for its release before it goes on anyway.
const HOLD_TIMEOUT: Duration = Duration::from_secs(10);

/// `/form` (FormLive): see E2E_SCENARIOS.md §5.2 for the markup and the query switches.
#[derive(Debug, Default)]
pub struct FormLive;

/// The form's params: the query merged over the defaults, then the change payloads.
type FormParams = BTreeMap<String, String>;

fn form_params(query: &Params) -> FormParams {
    let mut p: FormParams = [
        ("a", "foo"),
        ("b", "bar"),
        ("c", "baz"),
        ("id", "test-form"),
        ("phx-change", "validate"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (k, v) in query.iter() {
        p.insert(k.to_owned(), v.to_owned());
    }
    // Only the first switch that applies, as Phoenix's `update_params` clauses.
    if query.get("no-id").is_some() {
        p.remove("id");
    } else if query.get("no-change-event").is_some() {
        p.remove("phx-change");
    } else if query.get("js-change").is_some() {
        let push = JS::new().push("validate", Args::new());
        p.insert("phx-change".to_owned(), push.to_string());
    }
    p
}

impl LiveView for FormLive {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("params", form_params(params));
        socket.assign("submitted", false);
        // The test-control gate (FRM-12), set by `control::eval`.
        socket.assign("gate", None::<String>);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let gate = socket.assigns().get_ref::<Option<String>>("gate").clone();
        if let Some(gate) = gate {
            if event != "ping" {
                // Replied (and the view free for its next event) once released.
                control::hold(&gate, event, socket.defer_reply(), HOLD_TIMEOUT);
            }
        }
        match event {
            "validate" => {
                let merged: Vec<(String, String)> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                    .collect();
                socket.update("params", |p: &mut FormParams| p.extend(merged));
            }
            "save" => {
                socket.assign("submitted", true);
            }
            "custom-recovery" => {
                socket.update("params", |p: &mut FormParams| {
                    p.insert("b".to_owned(), "custom value from server".to_owned());
                });
            }
            "patch-recovery" => {
                socket.push_patch("/form?patched=true");
            }
            "button-test" => {}
            "ping" => {
                socket.reply(serde_json::json!({}));
            }
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let params: &FormParams = assigns.get_ref("params");
        let submitted: bool = assigns.get("submitted");
        html! {
            @if params.contains_key("live-component") {
                (assigns.live_component::<FormComponent>("form-component", params.clone()))
            } @else {
                (my_form(params, None))
            }
            @if submitted {
                p { "Form was submitted!" }
            }
        }
    }
}

/// `/form?live-component`'s `form-component`: the form with `phx-target={@myself}`, handling
/// the form's events itself (Phoenix's `FormLive.FormComponent`).
#[derive(Debug, Default)]
pub struct FormComponent;

impl LiveComponent for FormComponent {
    type Props = FormParams;
    type Event = ();
    type Update = ();

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign("submitted", false);
        Ok(())
    }

    fn update(
        &mut self,
        params: FormParams,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("params", params);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "validate" => {
                let merged: Vec<(String, String)> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                    .collect();
                socket.update("params", |p: &mut FormParams| p.extend(merged));
            }
            "save" => {
                socket.assign("submitted", true);
            }
            "custom-recovery" => {
                socket.update("params", |p: &mut FormParams| {
                    p.insert("b".to_owned(), "custom value from server".to_owned());
                });
            }
            "patch-recovery" => {
                socket.push_patch("/form?patched=true");
            }
            "button-test" => {}
            other => return Err(ViewError::unknown_event(other)),
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let params: &FormParams = assigns.get_ref("params");
        let submitted: bool = assigns.get("submitted");
        html! {
            div {
                (my_form(params, Some(assigns.myself())))
                @if submitted {
                    p { "LC Form was submitted!" }
                }
            }
        }
    }
}

/// Phoenix's `my_form/1`; `target`: its `phx-target`.
fn my_form(params: &FormParams, target: Option<Cid>) -> Rendered {
    let get = |k: &str| params.get(k).map(String::as_str);
    let id = get("id");
    let on = |k: &str| params.contains_key(k);
    let submit_js = JS::new().dispatch("test", Args::new());
    let disabled = get("disabled-fieldset").filter(|v| *v != "false");
    html! {
        form id=[id] class="myformclass" phx-submit="save" phx-change=[get("phx-change")]
            phx-auto-recover=[get("phx-auto-recover")] phx-no-unused-field[on("phx-no-unused-field-form")]
            phx-target=[target.map(|c| c.to_string())] {
            fieldset disabled[disabled.is_some()] {
                input type="text" name="a" readonly value=[get("a")];
                input type="text" name="b" value=[get("b")];
            }
            input type="text" name="c" value=[get("c")] phx-no-unused-field[on("phx-no-unused-field-input")];
            select name="d" {
                @for o in ["foo", "bar", "baz"] {
                    option value=(o) selected[get("d") == Some(o)] { (o) }
                }
            }
            @if let Some(id) = id {
                input type="text" name="e" form=(id) value=[get("e")];
            }
            button type="submit" phx-disable-with="Submitting" phx-click=(submit_js) { "Submit with JS" }
            button #submit type="submit" phx-disable-with="Submitting" { "Submit" }
            button type="button" phx-click="button-test" phx-disable-with="Loading" { "Non-form Button" }
        }
        @if let Some(id) = id {
            input type="text" name="f" form=(id) value=[get("f")];
        }
    }
}

/// One user of `/form/dynamic-inputs`.
#[derive(Debug, Clone, PartialEq, Default)]
struct User {
    name: String,
}

/// `/form/dynamic-inputs` (FRM-14…16): Ecto's `sort_param` / `drop_param` with
/// `inputs_for`.
#[derive(Debug, Default)]
pub struct FormDynamicInputs;

/// The assigns of [`FormDynamicInputs`].
#[derive(Debug, LiveAssigns)]
pub struct DynamicState {
    /// `my_form[name]`.
    name: String,
    /// The users, sorted and without the dropped ones.
    users: Vec<User>,
    /// Whether removing and adding use checkboxes (`?checkboxes=1`) instead of buttons.
    checkboxes: bool,
    /// Whether the form was submitted.
    submitted: bool,
}

/// The events of [`FormDynamicInputs`]: the `my_form[...]` fields.
#[derive(Debug, LiveEvent)]
pub enum DynamicMsg {
    /// `phx-change`.
    #[event(at = "my_form")]
    Validate(Value),
    /// `phx-submit`.
    #[event(at = "my_form")]
    Save(Value),
}

fn str_list(v: Option<&Value>) -> Option<Vec<String>> {
    match v? {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

/// Phoenix's `build_users/3`: the sorted keys (minus the dropped ones) first, each taking
/// its entry or a new user, then the remaining entries by index, all re-indexed from 0.
fn build_users(users: Option<&Value>, sort: Option<Vec<String>>, drop: &[String]) -> Vec<User> {
    let mut pending: BTreeMap<String, User> = users
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let name = v
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            (k.clone(), User { name })
        })
        .collect();
    let mut result = Vec::new();
    if let Some(sort) = sort {
        for key in sort.iter().filter(|k| !drop.contains(k)) {
            result.push(pending.remove(key).unwrap_or_default());
        }
    }
    let mut rest: Vec<(Result<i64, String>, User)> = pending
        .into_iter()
        .filter(|(k, _)| !drop.contains(k))
        .map(|(k, u)| (k.parse::<i64>().map_err(|_| k), u))
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    result.extend(rest.into_iter().map(|(_, u)| u));
    result
}

impl FormDynamicInputs {
    fn assign_form(socket: &mut Socket<Self>, params: &Value) {
        let name = params
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let drop = str_list(params.get("users_drop")).unwrap_or_default();
        let users = build_users(
            params.get("users"),
            str_list(params.get("users_sort")),
            &drop,
        );
        socket
            .assign(DynamicState::name, name)
            .assign(DynamicState::users, users);
    }
}

impl LiveView for FormDynamicInputs {
    type Info = ();
    type Event = DynamicMsg;

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(DynamicState {
            name: String::new(),
            users: Vec::new(),
            checkboxes: params.get("checkboxes") == Some("1"),
            submitted: false,
        });
        Self::assign_form(socket, &Value::Object(serde_json::Map::new()));
        Ok(())
    }

    fn update(&mut self, msg: DynamicMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            DynamicMsg::Validate(params) => Self::assign_form(socket, &params),
            DynamicMsg::Save(params) => {
                Self::assign_form(socket, &params);
                socket.assign(DynamicState::submitted, true);
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let name = &assigns[DynamicState::name];
        let users = &assigns[DynamicState::users];
        let checkboxes = assigns[DynamicState::checkboxes];
        let submitted = assigns[DynamicState::submitted];
        let change = JS::new().dispatch("change", Args::new());
        html! {
            form #my-form phx-change=(DynamicMsg::validate) phx-submit=(DynamicMsg::save)
                style="display: flex; flex-direction: column; gap: 4px; max-width: 500px;" {
                input type="text" #my-form_name name="my_form[name]" value=(name) placeholder="name";
                @for (i, user) in users.iter().enumerate() {
                    div style="padding: 4px; border: 1px solid gray;" {
                        input type="hidden" name="my_form[users_sort][]" value=(i);
                        input type="text" id={ "my-form_users_" (i) "_name" }
                            name={ "my_form[users][" (i) "][name]" } value=(user.name) placeholder="name";
                        @if checkboxes {
                            label { input type="checkbox" name="my_form[users_drop][]" value=(i); " Remove" }
                        } @else {
                            button type="button" name="my_form[users_drop][]" value=(i) phx-click=(change) { "Remove" }
                        }
                    }
                }
                input type="hidden" name="my_form[users_drop][]";
                @if checkboxes {
                    label { input type="checkbox" name="my_form[users_sort][]"; " add more" }
                } @else {
                    button type="button" name="my_form[users_sort][]" value="new" phx-click=(change) { "add more" }
                }
            }
            @if submitted {
                p { "Form was submitted!" }
            }
        }
    }
}

/// The `/form/feedback` layout's DOM callbacks: Phoenix's backwards-compatible
/// `phx-feedback-for` shim, which hides a `[phx-feedback-for=NAME]` element (class
/// `phx-no-feedback`) until an input named `NAME` is used, as the client's exported
/// `isUsedInput` tells (loaded in [`FEEDBACK_AFTER_CONNECT`]).
const FEEDBACK_SCRIPT: &str = r#"
(() => {
  const isUsed = (input) => typeof window.isUsedInput === "function" && window.isUsedInput(input);
  const resetFeedbacks = (container, feedbacks) => {
    feedbacks = feedbacks || Array.from(container.querySelectorAll("[phx-feedback-for]"))
      .map((el) => [el, el.getAttribute("phx-feedback-for")]);
    feedbacks.forEach(([feedbackEl, name]) => {
      const query = `[name="${name}"], [name="${name}[]"]`;
      const used = Array.from(container.querySelectorAll(query)).find(isUsed);
      if (used || !feedbackEl.hasAttribute("phx-feedback-for")) {
        feedbackEl.classList.remove("phx-no-feedback");
      } else {
        feedbackEl.classList.add("phx-no-feedback");
      }
    });
  };
  window.phxFeedbackDom = (dom) => {
    window.addEventListener("reset", () => resetFeedbacks(document));
    let feedbacks = [];
    let pending = false;
    window.addEventListener("submit", () => (pending = true));
    window.addEventListener("input", () => (pending = true));
    return {
      onPatchStart(container) { feedbacks = []; dom.onPatchStart && dom.onPatchStart(container); },
      onNodeAdded(node) {
        if (node.hasAttribute && node.hasAttribute("phx-feedback-for")) {
          feedbacks.push([node, node.getAttribute("phx-feedback-for")]);
        }
        dom.onNodeAdded && dom.onNodeAdded(node);
      },
      onBeforeElUpdated(from, to) {
        const fromFor = from.getAttribute("phx-feedback-for");
        const toFor = to.getAttribute("phx-feedback-for");
        if (fromFor || toFor) feedbacks.push([from, fromFor || toFor], [to, toFor || fromFor]);
        dom.onBeforeElUpdated && dom.onBeforeElUpdated(from, to);
      },
      onPatchEnd(container) {
        resetFeedbacks(container, feedbacks);
        if (pending) { resetFeedbacks(container); pending = false; }
        dom.onPatchEnd && dom.onPatchEnd(container);
      },
    };
  };
})();
"#;

/// Loads `isUsedInput` from the client module the page imported (the official bundle exports
/// it; a client without it leaves every feedback element visible).
const FEEDBACK_AFTER_CONNECT: &str = r#"
const src = Array.from(document.querySelectorAll("script[type=module]"))
  .map((s) => (s.textContent.match(/from\s*"([^"]+)"/) || [])[1]).find(Boolean);
if (src) import(src).then((m) => { window.isUsedInput = m.isUsedInput; });
"#;

/// `/form/feedback` (FRM-17).
#[derive(Debug, Default)]
pub struct FormFeedback;

/// The assigns of [`FormFeedback`].
#[derive(Debug, LiveAssigns)]
pub struct FeedbackState {
    /// The buttons' count.
    count: i64,
    /// The submits handled.
    submit_count: i64,
    /// The changes handled.
    validate_count: i64,
    /// Whether the container has `phx-feedback-for`.
    feedback: bool,
}

/// The events of [`FormFeedback`].
#[derive(Debug, LiveEvent)]
pub enum FeedbackMsg {
    /// `phx-change`.
    Validate(Value),
    /// `phx-submit`.
    Submit(Value),
    /// One more.
    Inc,
    /// One less.
    Dec,
    /// Flip `feedback`.
    #[event(rename = "toggle-feedback")]
    ToggleFeedback,
}

impl LiveView for FormFeedback {
    type Info = ();
    type Event = FeedbackMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(FeedbackState {
            count: 0,
            submit_count: 0,
            validate_count: 0,
            feedback: true,
        });
        Ok(())
    }

    fn update(&mut self, msg: FeedbackMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            FeedbackMsg::Validate(_) => socket.update(FeedbackState::validate_count, |n| *n += 1),
            FeedbackMsg::Submit(_) => socket.update(FeedbackState::submit_count, |n| *n += 1),
            FeedbackMsg::Inc => socket.update(FeedbackState::count, |n| *n += 1),
            FeedbackMsg::Dec => socket.update(FeedbackState::count, |n| *n -= 1),
            FeedbackMsg::ToggleFeedback => socket.update(FeedbackState::feedback, |f| *f = !*f),
        };
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let count = assigns[FeedbackState::count];
        let validate_count = assigns[FeedbackState::validate_count];
        let submit_count = assigns[FeedbackState::submit_count];
        let feedback = assigns[FeedbackState::feedback];
        html! {
            p { "Button Count: " (count) }
            p { "Validate Count: " (validate_count) }
            p { "Submit Count: " (submit_count) }
            button phx-click=(FeedbackMsg::Inc) { "+" }
            button phx-click=(FeedbackMsg::Dec) { "-" }
            form #myform name="test" phx-change=(FeedbackMsg::validate) phx-submit=(FeedbackMsg::submit) {
                input type="text" name="name" placeholder="type sth";
                input type="text" name="myfeedback" placeholder="myfeedback";
                button type="submit" { "Submit" }
                button type="reset" { "Reset" }
            }
            div phx-feedback-for=[feedback.then_some("myfeedback")] data-feedback-container {
                "I am visible, because phx-no-feedback is not set for myfeedback!"
            }
            button phx-click=(FeedbackMsg::ToggleFeedback) { "Toggle feedback" }
        }
    }
}
