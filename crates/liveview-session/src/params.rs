//! Typed decoding of event values: [`from_value`] and [`Form`].
//!
//! The session hands `handle_event` a JSON value: a click's `phx-value-*` attributes, a key's
//! `key`, or a form decoded into nested objects (`todo[title]=a` is `{"todo":{"title":"a"}}`)
//! with the client's `_target` merged in and its `_unused_<field>` markers kept. Everything a
//! browser sends is a string, so the decoding here is lenient the way form decoding must be:
//! `"42"` reads as a number, `"on"`/`"true"` as `true`, an empty string as `None`. The
//! client's markers (`_target`, `_unused_*`) never reach the typed value; [`Form`] keeps them
//! to tell which fields the user touched.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde_json::{Map, Value};

use crate::error::ViewError;

/// The prefix of the client's "this field was not used yet" markers (PROTOCOL.md §5.1).
pub const UNUSED_PREFIX: &str = "_unused_";

/// Why an event value did not decode into the type a view asked for.
///
/// It converts into [`ViewError`] (as [`ViewError::Other`]), so `?` works in callbacks; the
/// message names the type, serde's reason and the value received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsError {
    type_name: &'static str,
    reason: String,
    value: String,
}

impl ParamsError {
    /// The type the value was decoded into.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// serde's reason, e.g. ``missing field `title` ``.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the event value does not decode into `{}`: {} (value: {})",
            self.type_name, self.reason, self.value
        )
    }
}

impl std::error::Error for ParamsError {}

impl From<ParamsError> for ViewError {
    fn from(e: ParamsError) -> Self {
        ViewError::other(e)
    }
}

/// Decodes an event value into `T`, leniently (strings read as numbers and booleans, `""` as
/// `None`), without the client's `_target` and `_unused_*` markers.
///
/// ```
/// use liveview_session::{from_value, ViewError};
/// use serde::Deserialize;
/// use serde_json::json;
///
/// #[derive(Debug, Deserialize)]
/// struct Move { id: u64 }
///
/// // `phx-click="up" phx-value-id="3"` on a button sends this:
/// let m: Move = from_value(&json!({"id": "3", "value": ""}))?;
/// assert_eq!(m.id, 3);
///
/// let err = from_value::<Move>(&json!({"id": "three"})).unwrap_err();
/// assert!(err.to_string().contains("invalid number `three`"), "{err}");
/// # Ok::<(), ViewError>(())
/// ```
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, ParamsError> {
    let cleaned = strip_markers(value);
    T::deserialize(Lenient(&cleaned)).map_err(|e| ParamsError {
        type_name: std::any::type_name::<T>(),
        reason: e.0,
        value: value.to_string(),
    })
}

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
fn target_path(root: &Value) -> Option<Vec<String>> {
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

/// The value without `_target` and `_unused_*` keys, at any depth.
fn strip_markers(value: &Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| *k != "_target" && !k.starts_with(UNUSED_PREFIX))
                .map(|(k, v)| (k.clone(), strip_markers(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_markers).collect()),
        other => other.clone(),
    }
}

/// serde's error for [`Lenient`]: just the message.
#[derive(Debug)]
struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Self(msg.to_string())
    }
}

/// A deserializer over a JSON value that reads strings as the numbers, booleans and options
/// a type asks for.
#[derive(Clone, Copy)]
struct Lenient<'a>(&'a Value);

impl<'a> Lenient<'a> {
    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => {
                let t = s.trim();
                if let Ok(u) = t.parse::<u64>() {
                    visitor.visit_u64(u)
                } else if let Ok(i) = t.parse::<i64>() {
                    visitor.visit_i64(i)
                } else if let Ok(f) = t.parse::<f64>() {
                    visitor.visit_f64(f)
                } else {
                    Err(DeError(format!("invalid number `{s}`")))
                }
            }
            _ => self.deserialize_any(visitor),
        }
    }
}

macro_rules! lenient_numbers {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.number(visitor)
        })*
    };
}

impl<'de, 'a> Deserializer<'de> for Lenient<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Object(m) => visitor.visit_map(Entries {
                iter: m.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "on" | "1" | "yes" => visitor.visit_bool(true),
                "false" | "off" | "0" | "no" | "" => visitor.visit_bool(false),
                _ => Err(DeError(format!("invalid boolean `{s}`"))),
            },
            Value::Null => visitor.visit_bool(false),
            _ => self.deserialize_any(visitor),
        }
    }

    lenient_numbers!(
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            Value::String(s) if s.is_empty() => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            // A single checkbox or select value where a list is expected.
            Value::String(_) => visitor.visit_seq(Seq(std::slice::from_ref(self.0).iter())),
            Value::Null => visitor.visit_seq(Seq([].iter())),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => {
                visitor.visit_enum(IntoDeserializer::<DeError>::into_deserializer(s.as_str()))
            }
            other => other
                .clone()
                .deserialize_enum(name, variants, visitor)
                .map_err(|e| DeError(e.to_string())),
        }
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct Seq<'a>(std::slice::Iter<'a, Value>);

impl<'de, 'a> SeqAccess<'de> for Seq<'a> {
    type Error = DeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, DeError> {
        self.0
            .next()
            .map(|v| seed.deserialize(Lenient(v)))
            .transpose()
    }
}

struct Entries<'a> {
    iter: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de, 'a> MapAccess<'de> for Entries<'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(IntoDeserializer::<DeError>::into_deserializer(k.as_str()))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        match self.value.take() {
            Some(v) => seed.deserialize(Lenient(v)),
            None => Err(DeError("a map value without its key".to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct User {
        name: String,
        age: u8,
        #[serde(default)]
        admin: bool,
        email: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        score: f64,
        kind: Kind,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Person,
        Robot,
    }

    #[test]
    fn reads_strings_as_what_the_type_asks_for() {
        let v = json!({"user": {
            "name": "ana", "_unused_email": "", "email": "", "age": " 42 ", "admin": "on",
            "tags": ["a", "b"], "_unused_tags[]": "", "score": "-1.5", "kind": "robot",
        }, "_target": "user[name]"});
        let form: Form<User> = Form::decode_at(&v, "user").expect("decodes");
        assert_eq!(
            form.data(),
            &User {
                name: "ana".into(),
                age: 42,
                admin: true,
                email: None,
                tags: vec!["a".into(), "b".into()],
                score: -1.5,
                kind: Kind::Robot,
            }
        );
        assert_eq!(form.target(), Some(&["user".into(), "name".into()][..]));
        assert!(form.targets("name"));
        assert!(form.used("name"));
        assert!(!form.used("email"));
        assert!(!form.used("tags"));
    }

    #[test]
    fn a_single_value_reads_as_a_list_and_markers_never_reach_the_data() {
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(deny_unknown_fields)]
        struct Pick {
            ids: Vec<u32>,
        }
        let p: Pick =
            from_value(&json!({"ids": "7", "_target": "ids", "_unused_x": ""})).expect("decodes");
        assert_eq!(p, Pick { ids: vec![7] });
    }

    #[test]
    fn mismatches_name_the_type_and_the_reason() {
        let e = from_value::<User>(&json!({"name": "ana"})).unwrap_err();
        assert!(e.type_name().ends_with("User"), "{e}");
        assert!(e.to_string().contains("missing field `age`"), "{e}");
        let e = from_value::<User>(&json!({"name": "a", "age": "300"})).unwrap_err();
        assert!(e.to_string().contains("300"), "{e}");
        let as_view_error: ViewError = e.into();
        assert!(as_view_error.to_string().contains("does not decode"));
    }

    #[test]
    fn targets_parse_like_phoenix() {
        assert_eq!(
            target_path(&json!({"_target": "a[b][]"})),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(target_path(&json!({"_target": "undefined"})), None);
        assert_eq!(
            target_path(&json!({"_target": ["x", "y"]})),
            Some(vec!["x".into(), "y".into()])
        );
        assert_eq!(target_path(&json!({})), None);
    }

    #[test]
    fn a_new_form_has_no_used_field_and_visible_errors_follow_use() {
        let form = Form::new(());
        assert!(!form.used("title"));
        let decoded: Form<Value> =
            Form::decode(&json!({"title": "", "_unused_tag": ""})).expect("decodes");
        let mut errors = FieldErrors::new();
        errors.add("title", "can't be blank");
        errors.add("tag", "too long");
        let visible = errors.visible(&decoded);
        assert_eq!(visible.get("title"), Some("can't be blank"));
        assert_eq!(visible.get("tag"), None);
        assert!(errors.visible(&form).is_empty());
    }
}
