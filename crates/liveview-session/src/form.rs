//! Forms: a form event's value decoded into a typed [`Form`], with which fields the user
//! touched, and the [`FieldErrors`] shown next to them.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::event_value::{from_value, ParamsError, UNUSED_PREFIX};

/// A form event decoded into `T`, with what the client said about its fields: which field
/// changed (`_target`) and which the user has not used yet (`_unused_*`).
///
/// Show a field's validation error only once [`used`](Form::used): Phoenix's
/// `used_input?/1`. After a submit every field counts as used.
///
/// ```
/// use liveview_session::{Form, ViewError};
/// use serde::Deserialize;
/// use serde_json::json;
///
/// #[derive(Debug, Deserialize)]
/// struct NewTodo { title: String, #[serde(default)] tag: Option<String> }
///
/// // The user typed in `todo[tag]`; `todo[title]` was not touched yet.
/// let value = json!({
///     "todo": {"_unused_title": "", "title": "", "tag": "home"},
///     "_target": "todo[tag]",
/// });
/// let form: Form<NewTodo> = Form::decode_at(&value, "todo")?;
/// assert_eq!(form.tag.as_deref(), Some("home"));
/// assert_eq!(form.target(), Some(&["todo".to_owned(), "tag".to_owned()][..]));
/// assert!(form.used("tag"));
/// assert!(!form.used("title"));
/// # Ok::<(), ViewError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Form<T> {
    data: T,
    target: Option<Vec<String>>,
    unused: Vec<String>,
}

impl<T: DeserializeOwned> Form<T> {
    /// Decodes the whole value (fields named `title`, not `todo[title]`).
    pub fn decode(value: &Value) -> Result<Self, ParamsError> {
        Self::decode_node(value, value)
    }

    /// Decodes the fields under `name` (fields named `name[field]`, Phoenix's `as: :name`).
    /// A missing `name` decodes as an empty object, so a form whose fields are all optional
    /// still decodes.
    pub fn decode_at(value: &Value, name: &str) -> Result<Self, ParamsError> {
        let empty = Value::Object(Map::new());
        let node = value.get(name).unwrap_or(&empty);
        Self::decode_node(value, node)
    }

    fn decode_node(root: &Value, node: &Value) -> Result<Self, ParamsError> {
        let data = from_value(node)?;
        let unused = match node {
            Value::Object(m) => m
                .keys()
                .filter_map(|k| k.strip_prefix(UNUSED_PREFIX))
                .map(|k| k.trim_end_matches("[]").to_owned())
                .collect(),
            _ => Vec::new(),
        };
        Ok(Self {
            data,
            target: target_path(root),
            unused,
        })
    }
}

impl<T> Form<T> {
    /// A form built from data the view already has (e.g. the empty form of `mount`): no
    /// target, every field unused.
    pub fn new(data: T) -> Self {
        Self {
            data,
            target: None,
            unused: vec!["*".to_owned()],
        }
    }

    /// The decoded data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The decoded data, by value.
    pub fn into_inner(self) -> T {
        self.data
    }

    /// The field that triggered this `phx-change` as a path (`todo[title]` is
    /// `["todo", "title"]`), as Phoenix's `_target`; `None` for a submit or when the client
    /// sent `"undefined"`.
    pub fn target(&self) -> Option<&[String]> {
        self.target.as_deref()
    }

    /// Whether the change was triggered by `field` (the last segment of the target).
    pub fn targets(&self, field: &str) -> bool {
        self.target
            .as_ref()
            .and_then(|t| t.last())
            .is_some_and(|last| last == field)
    }

    /// Whether the user has used (focused, typed in, or submitted) `field`: the client sent
    /// no `_unused_<field>` marker for it. A form built with [`Form::new`] has no used field.
    pub fn used(&self, field: &str) -> bool {
        !self.unused.iter().any(|u| u == field || u == "*")
    }
}

impl<T> std::ops::Deref for Form<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

/// Validation errors by field, shown only for fields the user has used.
///
/// ```
/// use liveview_session::{FieldErrors, Form};
///
/// let form = Form::new(());
/// let mut errors = FieldErrors::new();
/// errors.add("title", "can't be blank");
/// assert!(!errors.is_empty());
/// assert_eq!(errors.get("title"), Some("can't be blank"));
/// assert_eq!(errors.visible(&form).get("title"), None); // not used yet
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// No errors.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error for `field` (the first one recorded wins).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    /// The error of `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// Whether there is no error (the form is valid).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors of the fields `form` says were used: what to render.
    pub fn visible<T>(&self, form: &Form<T>) -> FieldErrors {
        Self(
            self.0
                .iter()
                .filter(|(f, _)| form.used(f))
                .map(|(f, m)| (f.clone(), m.clone()))
                .collect(),
        )
    }

    /// Every error, by field.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }
}

/// `"todo[title]"` (or a path list, or `"undefined"`) as a path.
pub(crate) fn target_path(root: &Value) -> Option<Vec<String>> {
    match root.get("_target")? {
        Value::String(s) if s == "undefined" || s.is_empty() => None,
        Value::String(s) => {
            let (head, mut rest) = s
                .split_once('[')
                .map_or((s.as_str(), ""), |(h, _)| (h, &s[h.len()..]));
            let mut path = vec![head.to_owned()];
            while let Some(inner) = rest.strip_prefix('[') {
                let Some(close) = inner.find(']') else { break };
                if close > 0 {
                    path.push(inner[..close].to_owned());
                }
                rest = &inner[close + 1..];
            }
            Some(path)
        }
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => None,
    }
}
