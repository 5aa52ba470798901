//! Typed decoding of event values: [`from_value`], leniently, as a browser's strings need
//! (forms build on it in [`crate::form`]).
//!
//! The session hands `handle_event` a JSON value: a click's `phx-value-*` attributes, a key's
//! `key`, or a form decoded into nested objects (`todo[title]=a` is `{"todo":{"title":"a"}}`)
//! with the client's `_target` merged in and its `_unused_<field>` markers kept. Everything a
//! browser sends is a string, so the decoding here is lenient the way form decoding must be:
//! `"42"` reads as a number, `"on"`/`"true"` as `true`, an empty string as `None`. The
//! client's markers (`_target`, `_unused_*`) never reach the typed value; [`Form`] keeps them
//! to tell which fields the user touched.
//!
//! [`Form`]: crate::Form

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde_json::Value;

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
    /// An error decoding `value` into `type_name`, for `reason`.
    pub(crate) fn new(type_name: &'static str, reason: String, value: &Value) -> Self {
        Self {
            type_name,
            reason,
            value: value.to_string(),
        }
    }

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

/// The value without `_target` and `_unused_*` keys, at any depth.
pub(crate) fn strip_markers(value: &Value) -> Value {
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
    use crate::form::{target_path, FieldErrors, Form};
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
