//! Typed events end to end: what `#[derive(LiveEvent)]` decodes, what `html!` renders for it,
//! and how a view actor answers events its enum does not name or cannot decode.

use actix::{Actor, Context, Handler};
use liveview_diff::{html, Rendered};
use liveview_session::{
    spawn_view, Assigns, Form, HandleEvent, LiveAssigns, LiveEvent, LiveView, Mount, Params,
    Session, Socket, SpawnArgs, ViewError, ViewPush,
};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Default, PartialEq, Deserialize)]
struct Title {
    #[serde(default)]
    title: String,
}

#[derive(Debug, PartialEq, LiveEvent)]
#[live(crate = liveview_session)]
enum Msg {
    Inc,
    AddTodo,
    #[event(rename = "lv:custom")]
    Custom,
    Pick {
        id: u64,
        note: Option<String>,
    },
    #[event(at = "todo")]
    Save(Form<Title>),
    Raw(Value),
}

#[test]
fn variants_are_named_in_snake_case_unless_renamed() {
    assert_eq!(
        Msg::names(),
        ["inc", "add_todo", "lv:custom", "pick", "save", "raw"]
    );
    assert_eq!(Msg::decode("add_todo", &json!({})).unwrap(), Msg::AddTodo);
    assert_eq!(Msg::decode("lv:custom", &json!({})).unwrap(), Msg::Custom);
    assert!(matches!(
        Msg::decode("Custom", &json!({})),
        Err(ViewError::UnknownEvent { .. })
    ));
}

#[test]
fn named_fields_decode_leniently_and_a_missing_option_is_none() {
    let picked = Msg::decode("pick", &json!({"id": " 42 ", "value": ""})).unwrap();
    assert_eq!(picked, Msg::Pick { id: 42, note: None });
    let err = Msg::decode("pick", &json!({"note": "x"})).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

#[test]
fn a_payload_decodes_from_the_value_or_from_its_key() {
    let value = json!({"todo": {"title": "milk", "_unused_title": ""}, "_target": "todo[title]"});
    let Msg::Save(form) = Msg::decode("save", &value).unwrap() else {
        panic!("a save");
    };
    assert_eq!(form.title, "milk");
    assert!(!form.used("title"), "the marker is kept by Form");
    let Msg::Raw(raw) = Msg::decode("raw", &json!({"a": "1", "_target": "a"})).unwrap() else {
        panic!("a raw");
    };
    assert_eq!(raw, json!({"a": "1"}), "markers are stripped");
}

#[test]
fn templates_render_names_values_and_payload_names() {
    let page = html! {
        button phx-click=(Msg::Pick { id: 3, note: Some("a \"b\"".into()) }) {}
        button phx-click=(Msg::Pick { id: 4, note: None }) {}
        form phx-submit=(Msg::save) phx-change=(Msg::raw) {}
    };
    assert_eq!(
        page.to_html(),
        "<button phx-click=\"pick\" phx-value-id=\"3\" phx-value-note=\"a &quot;b&quot;\"></button>\
         <button phx-click=\"pick\" phx-value-id=\"4\" phx-value-note=\"\"></button>\
         <form phx-submit=\"save\" phx-change=\"raw\"></form>"
    );
}

#[derive(LiveAssigns)]
#[live(crate = liveview_session)]
struct State {
    n: u64,
}

#[derive(Default)]
struct Counter;

impl LiveView for Counter {
    type Info = ();
    type Event = Msg;

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign_all(State { n: 0 });
        Ok(())
    }

    fn update(&mut self, msg: Msg, s: &mut Socket<Self>) -> Result<(), ViewError> {
        if let Msg::Pick { id, .. } = msg {
            s.assign(State::n, id);
        }
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! { b { (a[State::n]) } }
    }
}

struct Pushes;
impl Actor for Pushes {
    type Context = Context<Self>;
}
impl Handler<ViewPush> for Pushes {
    type Result = ();
    fn handle(&mut self, _: ViewPush, _: &mut Context<Self>) {}
}

fn event(name: &str, value: Value) -> HandleEvent {
    HandleEvent {
        kind: "click".into(),
        event: name.into(),
        value,
        cid: None,
    }
}

#[actix_rt::test]
async fn unknown_and_undecodable_events_get_an_empty_reply_and_the_view_keeps_running() {
    let push = Pushes.start().recipient();
    let view = spawn_view(
        Counter::default,
        SpawnArgs::new("lv:1", Params::new(), Session::new(), push),
    );
    view.mount.send(Mount).await.unwrap().unwrap();

    // As for any failing callback: the error is logged (`view lv:1: unknown event ...`), the
    // client gets an empty reply (every push needs one), and nothing changed.
    for (name, value) in [("nope", json!({})), ("pick", json!({"id": "x"}))] {
        let reply = view.event.send(event(name, value)).await.unwrap();
        let reply = reply.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(reply.diff, None, "{name}");
    }

    let reply = view
        .event
        .send(event("pick", json!({"id": "9"})))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reply.diff.as_deref(), Some(r#"{"0":"9"}"#));
}
