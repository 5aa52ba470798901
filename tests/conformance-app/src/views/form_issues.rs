//! Forms from Phoenix issues (E2E_SCENARIOS.md §5.2): `/issues/2787` (FRM-20), `/issues/3719`
//! (FRM-23), `/issues/3814` (FRM-24, with the `POST /submit` echo), `/issues/3819` (FRM-25)
//! and `/issues/4102` (FRM-26).

use actix_web::{web, HttpResponse};
use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<Issue2787>("/issues/2787")
            .live::<Issue3719>("/issues/3719")
            .live::<Issue3814>("/issues/3814")
            .live::<Issue3819>("/issues/3819")
            .live::<Issue4102>("/issues/4102")
    })
}

fn page(_: &str) -> Option<PageOpts> {
    None
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// Decodes `+` and `%XX` of one `application/x-www-form-urlencoded` component.
fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `POST /submit`: echoes the posted form params as a JSON object (FRM-24).
pub async fn submit_echo(body: web::Bytes) -> HttpResponse {
    let text = String::from_utf8_lossy(&body);
    let mut map = serde_json::Map::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        map.insert(url_decode(k), Value::String(url_decode(v)));
    }
    HttpResponse::Ok().json(Value::Object(map))
}

/// A select of core components' `.input`: a label, the prompt option `""`, the options.
fn select_input(
    id: &str,
    name: &str,
    label: &str,
    options: &[&str],
    value: Option<&str>,
) -> Rendered {
    html! {
        div {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                option value="" { "Select" }
                @for o in options {
                    option value=(o) selected[value == Some(*o)] { (o) }
                }
            }
        }
    }
}

const GREETINGS: [&str; 3] = ["hello", "hallo", "hei"];
const GOODBYES: [&str; 3] = ["goodbye", "auf wiedersehen", "ha det bra"];

/// The `demo` form's values (an Ecto changeset cast of three strings).
#[derive(Debug, Clone, PartialEq, Default)]
struct Demo {
    select1: Option<String>,
    select2: Option<String>,
    dummy: Option<String>,
}

impl Demo {
    fn cast(params: &Value) -> Self {
        let get = |k: &str| {
            str_at(params, &[k])
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Self {
            select1: get("select1"),
            select2: get("select2"),
            dummy: get("dummy"),
        }
    }
}

/// `/issues/2787` (FRM-20): dependent selects, reset on submit.
#[derive(Debug, Default)]
pub struct Issue2787;

/// The assigns of [`Issue2787`].
#[derive(Debug, LiveAssigns)]
pub struct State2787 {
    /// The form's values.
    form: Demo,
    /// The options of the second select, which depend on the first.
    select2_opts: Vec<&'static str>,
}

/// The events of [`Issue2787`]: the `demo[...]` fields of its form.
#[derive(Debug, LiveEvent)]
pub enum Msg2787 {
    /// `phx-change`.
    #[event(at = "demo")]
    Updated(Value),
    /// `phx-submit`: reset.
    #[event(at = "demo")]
    Submitted(Value),
}

impl LiveView for Issue2787 {
    type Info = ();
    type Event = Msg2787;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(State2787 {
            form: Demo::default(),
            select2_opts: Vec::new(),
        });
        Ok(())
    }

    fn update(&mut self, msg: Msg2787, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg2787::Updated(demo) => {
                let select2_opts = match str_at(&demo, &["select1"]) {
                    Some("greetings") => GREETINGS.to_vec(),
                    Some("goodbyes") => GOODBYES.to_vec(),
                    _ => Vec::new(),
                };
                socket.assign_all(State2787 {
                    form: Demo::cast(&demo),
                    select2_opts,
                });
            }
            Msg2787::Submitted(_) => {
                socket.assign_all(State2787 {
                    form: Demo::default(),
                    select2_opts: Vec::new(),
                });
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let form = &assigns[State2787::form];
        let opts = &assigns[State2787::select2_opts];
        html! {
            div {
                form phx-change=(Msg2787::updated) phx-submit=(Msg2787::submitted) {
                    (select_input("demo_select1", "demo[select1]", "select1", &["greetings", "goodbyes"], form.select1.as_deref()))
                    (select_input("demo_select2", "demo[select2]", "select2", opts, form.select2.as_deref()))
                    div {
                        label for="demo_dummy" { "Some text" }
                        input type="text" name="demo[dummy]" id="demo_dummy" value=[form.dummy.as_deref()];
                    }
                    button type="submit" { "Submit" }
                }
            }
        }
    }
}

/// Elixir's `inspect/1` of a list of strings: `["foo", "bar"]`.
fn inspect_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| super::flash::inspect_str(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// Phoenix's decoding of `_target`: `foo[bar]` is `["foo", "bar"]`.
fn target_path(target: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (head, mut rest) = match target.find('[') {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    parts.push(head.to_owned());
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(close) = stripped.find(']') else {
            break;
        };
        if close > 0 {
            parts.push(stripped[..close].to_owned());
        }
        rest = &stripped[close + 1..];
    }
    parts
}

/// `/issues/3719` (FRM-23): `_target` of `foo` and of `foo[bar]`.
#[derive(Debug, Default)]
pub struct Issue3719;

impl LiveView for Issue3719 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("target", Vec::<String>::new());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "inc" => {
                let target = value
                    .get("_target")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                socket.assign("target", target_path(target));
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let target: &Vec<String> = assigns.get_ref("target");
        html! {
            form phx-change="inc" {
                input #a type="text" name="foo";
                input #b type="text" name="foo[bar]";
            }
            span #target { (inspect_list(target)) }
        }
    }
}

/// `/issues/3814` (FRM-24): `phx-trigger-action` posts the form, submitter included.
#[derive(Debug, Default)]
pub struct Issue3814;

/// Whether [`Issue3814`]'s form posts itself (`phx-trigger-action`).
const TRIGGER_SUBMIT: Key<bool> = Key::new("trigger_submit");

/// The submit of [`Issue3814`].
#[derive(Debug, LiveEvent)]
pub enum Msg3814 {
    /// The form's fields.
    Submit(Value),
}

impl LiveView for Issue3814 {
    type Info = ();
    type Event = Msg3814;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(TRIGGER_SUBMIT, false);
        Ok(())
    }

    fn update(
        &mut self,
        Msg3814::Submit(_): Msg3814,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(TRIGGER_SUBMIT, true);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let trigger = assigns[TRIGGER_SUBMIT];
        html! {
            // `.form` with `action` and `method="post"` adds a hidden CSRF input (§4); the
            // echo endpoint does not check it.
            form action="/submit" method="post" phx-submit=(Msg3814::submit) phx-trigger-action[trigger] {
                input type="hidden" name="_csrf_token" value="conformance";
                input type="hidden" name="greeting" value="hello";
                button type="submit" name="i-am-the-submitter" value="submitter-value" { "Submit" }
            }
        }
    }
}

/// `/issues/3819` (FRM-25): recovery of a form with no inputs.
#[derive(Debug, Default)]
pub struct Issue3819;

/// Whether [`Issue3819`] heard `reconnected`.
const RECONNECTED: Key<bool> = Key::new("reconnected");

/// The events of [`Issue3819`].
#[derive(Debug, LiveEvent)]
pub enum Msg3819 {
    /// `phx-change` (and recovery): nothing to do.
    Validate(Value),
    /// `phx-submit`: nothing to do.
    Save(Value),
    /// Sent by the test after a reconnect.
    Reconnected,
}

impl LiveView for Issue3819 {
    type Info = ();
    type Event = Msg3819;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(RECONNECTED, false);
        Ok(())
    }

    fn update(&mut self, msg: Msg3819, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg3819::Validate(_) | Msg3819::Save(_) => {}
            Msg3819::Reconnected => {
                socket.assign(RECONNECTED, true);
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let reconnected = assigns[RECONNECTED];
        html! {
            form #recover phx-change=(Msg3819::validate) phx-submit=(Msg3819::save) {
                button { "Submit" }
            }
            @if reconnected {
                p #reconnected { "Reconnected!" }
            }
        }
    }
}

/// `/issues/4102` (FRM-26): a debounced input outside its form.
#[derive(Debug, Default)]
pub struct Issue4102;

/// The name [`Issue4102`] holds.
const NAME: Key<String> = Key::new("name");

/// The events of [`Issue4102`].
#[derive(Debug, LiveEvent)]
pub enum Msg4102 {
    /// `phx-change`, with the `name` field (`""` reads as `None`).
    Validate {
        /// The input outside the form.
        name: Option<String>,
    },
    /// `phx-submit`, the same.
    Submit {
        /// The input outside the form.
        name: Option<String>,
    },
}

impl LiveView for Issue4102 {
    type Info = ();
    type Event = Msg4102;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(NAME, String::new());
        Ok(())
    }

    fn update(&mut self, msg: Msg4102, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let (Msg4102::Validate { name } | Msg4102::Submit { name }) = msg;
        socket.assign(NAME, name.unwrap_or_default());
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let name = &assigns[NAME];
        html! {
            input type="text" name="name" form="my-form" phx-debounce="500" value=(name);
            form #my-form phx-change=(Msg4102::validate) phx-submit=(Msg4102::submit) {
                button phx-disable-with="Submitting..." { "Submit" }
            }
        }
    }
}
