//! Core components: the form inputs, buttons, flash group, error tag and table a Phoenix app
//! starts with (its generated `core_components.ex`), as functions and builders that return a
//! [`Rendered`] to splice into `html!`.
//!
//! They are plain functions, not live components: they hold no state, so they cost nothing and
//! their holes diff like any other. Their markup is unstyled and stable (classes `field`,
//! `error`, `flash`), for the app's stylesheet to dress.
//!
//! ```
//! use liveview::core_components::{flash_group, Button, Input};
//! use liveview::prelude::*;
//!
//! let mut errors = FieldErrors::new();
//! errors.add("title", "can't be blank");
//! let form = html! {
//!     form phx-submit="save" {
//!         (Input::new("todo", "title").label("Title").value("").errors(&errors).render())
//!         (Button::new("Save").disable_with("Saving...").render())
//!     }
//! };
//! assert_eq!(
//!     form.to_html(),
//!     "<form phx-submit=\"save\"><div class=\"field\"><label for=\"todo_title\">Title</label>\
//!      <input type=\"text\" name=\"todo[title]\" id=\"todo_title\" value=\"\">\
//!      <p class=\"error\" id=\"todo_title-error\">Title can't be blank</p></div>\
//!      <button type=\"submit\" phx-disable-with=\"Saving...\">Save</button></form>"
//! );
//! # let _ = flash_group(&Flash::new());
//! ```

use std::fmt::Display;

use liveview_diff::{html, EventBinding, Rendered};
use liveview_session::{FieldErrors, Flash};

/// The flash messages (`info` and `error`), each closable with a click: the client sends
/// `lv:clear-flash`, which the runtime handles. Ids `flash-info` and `flash-error`.
///
/// ```
/// use liveview::core_components::flash_group;
/// use liveview::Flash;
///
/// let flash = Flash::from([("info".to_owned(), "Saved".to_owned())]);
/// assert_eq!(
///     flash_group(&flash).to_html(),
///     "<p id=\"flash-info\" class=\"flash info\" role=\"alert\" phx-click=\"lv:clear-flash\" \
///      phx-value-key=\"info\">Saved</p>"
/// );
/// ```
pub fn flash_group(flash: &Flash) -> Rendered {
    html! {
        @for kind in ["info", "error"] {
            @if let Some(message) = flash.get(kind) {
                p id={ "flash-" (kind) } class={ "flash " (kind) } role="alert"
                    phx-click="lv:clear-flash" phx-value-key=(kind) { (message) }
            }
        }
    }
}

/// An error message under a field: `<p class="error">…</p>`.
pub fn error(message: impl Display) -> Rendered {
    html! { p.error { (message.to_string()) } }
}

/// The kinds of [`Input`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text(&'static str),
    Textarea,
    Checkbox,
    Select,
}

/// A form field with its label, value and error: Phoenix's `<.input field={@form[:title]}>`.
///
/// The name and id follow Phoenix's form helpers: `Input::new("todo", "title")` is
/// `name="todo[title]" id="todo_title"`, which [`Form::decode_at`](crate::Form::decode_at)
/// reads back. The error shows only when given: pass the errors of the fields the user has
/// used ([`FieldErrors::visible`]), so that a field not touched yet shows none.
#[derive(Debug, Clone)]
pub struct Input {
    name: String,
    id: String,
    field: String,
    kind: Kind,
    label: Option<String>,
    value: String,
    checked: bool,
    options: Vec<(String, String)>,
    error: Option<String>,
    placeholder: Option<String>,
}

impl Input {
    /// A text input for `field` of the form named `form` (`form[field]`).
    pub fn new(form: &str, field: &str) -> Self {
        Self::named(
            &format!("{form}[{field}]"),
            &format!("{form}_{field}"),
            field,
        )
    }

    /// A text input with a name and id of its own (a form without a name).
    pub fn named(name: &str, id: &str, field: &str) -> Self {
        Self {
            name: name.to_owned(),
            id: id.to_owned(),
            field: field.to_owned(),
            kind: Kind::Text("text"),
            label: None,
            value: String::new(),
            checked: false,
            options: Vec::new(),
            error: None,
            placeholder: None,
        }
    }

    /// Another `<input type>`: `email`, `password`, `number`, `date`, `hidden`...
    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = Kind::Text(kind);
        self
    }

    /// A `<textarea>`.
    pub fn textarea(mut self) -> Self {
        self.kind = Kind::Textarea;
        self
    }

    /// A checkbox, checked or not. It sends `"false"` when unchecked (a hidden input before
    /// it), `"true"` when checked, as Phoenix's does.
    pub fn checkbox(mut self, checked: bool) -> Self {
        self.kind = Kind::Checkbox;
        self.checked = checked;
        self
    }

    /// A `<select>` of `(value, label)` options; the one equal to the value is selected.
    pub fn select<V: Display, L: Display>(
        mut self,
        options: impl IntoIterator<Item = (V, L)>,
    ) -> Self {
        self.kind = Kind::Select;
        self.options = options
            .into_iter()
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect();
        self
    }

    /// The label; its text also starts the error message ("Title can't be blank").
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The value shown.
    pub fn value(mut self, value: impl Display) -> Self {
        self.value = value.to_string();
        self
    }

    /// A placeholder.
    pub fn placeholder(mut self, text: impl Into<String>) -> Self {
        self.placeholder = Some(text.into());
        self
    }

    /// The field's error among `errors`, if any (shown as `<p class="error" id="<id>-error">`).
    pub fn errors(mut self, errors: &FieldErrors) -> Self {
        self.error = errors.get(&self.field).map(str::to_owned);
        self
    }

    /// An error message for the field.
    pub fn error(mut self, message: impl Into<String>) -> Self {
        self.error = Some(message.into());
        self
    }

    /// The field's markup: `<div class="field">` around the label, the control and the error.
    pub fn render(&self) -> Rendered {
        let error = self.error.as_ref().map(|e| match &self.label {
            Some(label) => format!("{label} {e}"),
            None => e.clone(),
        });
        let (name, id, value) = (&self.name, &self.id, &self.value);
        html! {
            div.field {
                @if let Some(label) = &self.label {
                    label for=(id) { (label) }
                }
                @match self.kind {
                    Kind::Text(kind) => {
                        input type=(kind) name=(name) id=(id) value=(value) placeholder=[self.placeholder.as_deref()];
                    }
                    Kind::Textarea => {
                        textarea name=(name) id=(id) placeholder=[self.placeholder.as_deref()] { (value) }
                    }
                    Kind::Checkbox => {
                        input type="hidden" name=(name) value="false";
                        input type="checkbox" name=(name) id=(id) value="true" checked[self.checked];
                    }
                    Kind::Select => {
                        select name=(name) id=(id) {
                            @for (v, l) in &self.options {
                                option value=(v) selected[v == value] { (l) }
                            }
                        }
                    }
                }
                @if let Some(e) = &error {
                    p.error id={ (id) "-error" } { (e) }
                }
            }
        }
    }
}

/// A button: submit by default, with Phoenix's loading text (`phx-disable-with`), a typed
/// click event and a confirmation dialog (`data-confirm`, which our client asks before the
/// click or the submit happens).
///
/// ```
/// use liveview::core_components::Button;
/// use liveview::EventName;
///
/// const DELETE: EventName = EventName::new("delete");
/// let b = Button::new("Delete").click(DELETE).confirm("Are you sure?").render();
/// assert_eq!(
///     b.to_html(),
///     "<button type=\"button\" phx-click=\"delete\" data-confirm=\"Are you sure?\">Delete</button>"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct Button {
    label: String,
    click: Option<Click>,
    disable_with: Option<String>,
    confirm: Option<String>,
    id: Option<String>,
    class: Option<String>,
}

impl Button {
    /// A submit button labelled `label`.
    pub fn new(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            click: None,
            disable_with: None,
            confirm: None,
            id: None,
            class: None,
        }
    }

    /// Sends `event` when clicked (and makes it a `type="button"`, not a submit).
    pub fn click(mut self, event: impl EventBinding) -> Self {
        self.click = Some(Click {
            name: event.event_name().to_owned(),
            values: event.event_values(),
        });
        self
    }

    /// The label shown while the event or submit is in flight.
    pub fn disable_with(mut self, text: impl Into<String>) -> Self {
        self.disable_with = Some(text.into());
        self
    }

    /// Asks the user to confirm first (`data-confirm`); a refusal sends nothing.
    pub fn confirm(mut self, question: impl Into<String>) -> Self {
        self.confirm = Some(question.into());
        self
    }

    /// The button's id.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The button's class.
    pub fn class(mut self, class: impl Into<String>) -> Self {
        self.class = Some(class.into());
        self
    }

    /// The button's markup.
    pub fn render(&self) -> Rendered {
        let (id, class) = (self.id.as_deref(), self.class.as_deref());
        let (disable_with, confirm) = (self.disable_with.as_deref(), self.confirm.as_deref());
        match &self.click {
            Some(click) => html! {
                button id=[id] class=[class] type="button" phx-click=(click)
                    phx-disable-with=[disable_with] data-confirm=[confirm] { (self.label) }
            },
            None => html! {
                button id=[id] class=[class] type="submit"
                    phx-disable-with=[disable_with] data-confirm=[confirm] { (self.label) }
            },
        }
    }
}

/// A click event held by a [`Button`]: its name and values, rendered as the typed event was.
#[derive(Debug, Clone)]
struct Click {
    name: String,
    values: Vec<(&'static str, String)>,
}

impl EventBinding for Click {
    fn event_name(&self) -> &str {
        &self.name
    }

    fn event_values(&self) -> Vec<(&'static str, String)> {
        self.values.clone()
    }
}

/// A column of a [`table`]: its header and the function rendering its cell for a row.
pub type Column<'a, T> = (&'a str, &'a dyn Fn(&T) -> Rendered);

/// A table of `rows`, one column per `(header, cell)`; rows are keyed by `key` (so that
/// reordering moves rows instead of rewriting them), with ids `<id>-<key>`.
///
/// ```
/// use liveview::core_components::table;
/// use liveview::prelude::*;
///
/// struct User { id: u32, name: &'static str }
/// let users = [User { id: 1, name: "ada" }, User { id: 2, name: "grace" }];
/// let name = |u: &User| html! { (u.name) };
/// let t = table("users", &users, |u| u.id, &[("Name", &name)]);
/// assert_eq!(
///     t.to_html(),
///     "<table id=\"users\"><thead><tr><th>Name</th></tr></thead><tbody>\
///      <tr id=\"users-1\"><td>ada</td></tr><tr id=\"users-2\"><td>grace</td></tr></tbody></table>"
/// );
/// ```
pub fn table<T, K: Display>(
    id: &str,
    rows: &[T],
    key: impl Fn(&T) -> K,
    columns: &[Column<'_, T>],
) -> Rendered {
    html! {
        table id=(id) {
            thead { tr { @for (header, _) in columns { th { (header) } } } }
            tbody {
                @for row in rows; key = (key(row).to_string()) {
                    tr id={ (id) "-" (key(row)) } {
                        @for (_, cell) in columns { td { (cell(row)) } }
                    }
                }
            }
        }
    }
}
