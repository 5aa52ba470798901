//! Typed events: a view's events as an enum, decoded once from the name and value the browser
//! sent, and named in templates by the same enum.
//!
//! A view sets [`LiveView::Event`](crate::LiveView::Event) to an enum deriving
//! [`LiveEvent`](derive@LiveEvent) and handles it in [`LiveView::update`](crate::LiveView::update);
//! the template writes `phx-click=(Msg::Inc)`. The name travels as the event, the fields as
//! `phx-value-*`, and the same enum decodes them back: a renamed variant or a changed field is
//! a compile error in the template, not an event the view no longer understands.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ViewError;
use crate::event_value::{from_value, ParamsError};
use crate::form::Form;

/// A view's events, decoded from what the browser sent: derive it with `#[derive(LiveEvent)]`.
///
/// Each variant is one event, named in `snake_case` (`AddTodo` is `"add_todo"`) unless
/// `#[event(rename = "...")]` names it. A variant carries its data in one of two ways:
///
/// * **named fields** (`Delete { id: u64 }`) travel as `phx-value-<field>` attributes, which
///   `phx-click=(Msg::Delete { id })` renders, and are decoded leniently (the browser sends
///   strings: `"7"` reads as a number, see [`from_value`](crate::from_value));
/// * **one unnamed field** (`Save(Form<NewTodo>)`, `Key(KeyPress)`) is decoded from the whole
///   value: a form's fields, a key event's `key`; with `#[event(at = "todo")]`, from the
///   value's `todo` key (the fields of a form named `todo[title]`, `todo[tag]`). A [`Form`]
///   keeps which fields were used.
///
/// An event no variant names fails with [`ViewError::UnknownEvent`], and a value that does not
/// decode with [`ViewError::Other`] naming the field and the value: the same answer as an
/// unhandled event has always had (an empty reply, a logged error, the view keeps running).
///
/// The template names a unit variant as a value (`phx-click=(Msg::Inc)`), a variant with
/// named fields with its values (`phx-click=(Msg::Delete { id })`), and any variant that
/// carries data by its name alone, through the constant the derive adds, named like the
/// variant in `snake_case`: `form phx-submit=(Msg::save)`, whose fields are the value.
///
/// `()` is the `Event` of a view without typed events: every event goes to
/// [`LiveView::handle_event`](crate::LiveView::handle_event), which matches names as strings.
///
/// ```
/// use liveview_diff::html;
/// use liveview_session::{Form, LiveEvent, ViewError};
/// use serde::Deserialize;
/// use serde_json::json;
///
/// #[derive(Debug, Deserialize, PartialEq)]
/// struct NewTodo { title: String }
///
/// #[derive(Debug, LiveEvent, PartialEq)]
/// # #[live(crate = liveview_session)]
/// enum Msg {
///     Inc,
///     Delete { id: u64 },
///     #[event(rename = "save-todo")]
///     Save(Form<NewTodo>),
/// }
///
/// // The template names the events...
/// let page = html! {
///     button phx-click=(Msg::Inc) { "+" }
///     button phx-click=(Msg::Delete { id: 7 }) { "x" }
///     form phx-submit=(Msg::save) { input name="title"; }
/// };
/// assert_eq!(
///     page.to_html(),
///     r#"<button phx-click="inc">+</button><button phx-click="delete" phx-value-id="7">x</button><form phx-submit="save-todo"><input name="title"></form>"#
/// );
///
/// // ... and the same enum decodes what the browser sends back.
/// assert_eq!(Msg::decode("delete", &json!({"id": "7", "value": ""}))?, Msg::Delete { id: 7 });
/// let Msg::Save(form) = Msg::decode("save-todo", &json!({"todo": "x", "title": "milk"}))? else { panic!() };
/// assert_eq!(form.title, "milk");
///
/// let unknown = Msg::decode("dec", &json!({})).unwrap_err();
/// assert!(matches!(unknown, ViewError::UnknownEvent { .. }));
/// let bad = Msg::decode("delete", &json!({"id": "seven"})).unwrap_err();
/// assert!(bad.to_string().contains("`id`"), "{bad}");
/// # Ok::<(), ViewError>(())
/// ```
pub trait LiveEvent: Sized + 'static {
    /// The event named `event`, decoded from its `value`.
    ///
    /// # Errors
    ///
    /// [`ViewError::UnknownEvent`] when no variant is named `event`; [`ViewError::Other`]
    /// (a [`ParamsError`]) when the value does not decode into the variant's data.
    fn decode(event: &str, value: &Value) -> Result<Self, ViewError>;

    /// The names of the events, in declaration order.
    fn names() -> &'static [&'static str];
}

/// No typed events: every event is refused as unknown (a view with `type Event = ();`
/// matches names in [`LiveView::handle_event`](crate::LiveView::handle_event) instead).
impl LiveEvent for () {
    fn decode(event: &str, _: &Value) -> Result<Self, ViewError> {
        Err(ViewError::unknown_event(event))
    }

    fn names() -> &'static [&'static str] {
        &[]
    }
}

/// One named field of an event's value, decoded leniently; a missing field reads as `null`
/// (so an `Option` is `None`), and an error names the field.
pub(crate) fn field<T: DeserializeOwned>(value: &Value, name: &str) -> Result<T, ParamsError> {
    let node = value.get(name).unwrap_or(&Value::Null);
    from_value(node).map_err(|e| {
        let reason = if value.get(name).is_none() {
            format!("missing field `{name}`")
        } else {
            format!("field `{name}`: {}", e.reason())
        };
        ParamsError::new(e.type_name(), reason, value)
    })
}

/// The text of a field as a `phx-value-*` attribute carries it: a string as is, `null` as
/// nothing, anything else as its JSON (`7`, `true`).
pub(crate) fn value_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        Err(e) => {
            log::error!("an event field does not serialise: {e}");
            String::new()
        }
    }
}

/// The type of a payload variant's field, for the derive's choice of decoder: a [`Form`]
/// keeps the client's markers, anything else is decoded with [`from_value`].
#[derive(Debug)]
pub struct Payload<T>(PhantomData<fn() -> T>);

impl<T> Payload<T> {
    /// The marker.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for Payload<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The [`Form`] decoder of a payload (chosen first, by autoref).
pub trait DecodeForm {
    /// The payload type.
    type Out;
    /// Decodes the whole value, or its key `at`.
    fn decode(&self, value: &Value, at: Option<&str>) -> Result<Self::Out, ParamsError>;
}

impl<T: DeserializeOwned> DecodeForm for &Payload<Form<T>> {
    type Out = Form<T>;
    fn decode(&self, value: &Value, at: Option<&str>) -> Result<Form<T>, ParamsError> {
        match at {
            Some(name) => Form::decode_at(value, name),
            None => Form::decode(value),
        }
    }
}

/// The serde decoder of a payload.
pub trait DecodeValue {
    /// The payload type.
    type Out;
    /// Decodes the whole value, or its key `at`.
    fn decode(&self, value: &Value, at: Option<&str>) -> Result<Self::Out, ParamsError>;
}

impl<T: DeserializeOwned> DecodeValue for Payload<T> {
    type Out = T;
    fn decode(&self, value: &Value, at: Option<&str>) -> Result<T, ParamsError> {
        match at {
            Some(name) => field(value, name),
            None => from_value(value),
        }
    }
}
