//! [`Session`]: the signed session data a page carries from the dead render to the join.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Session data the page vouched for: carried, signed, from the dead render to the join.
///
/// ```
/// use liveview_session::Session;
///
/// let mut session = Session::new();
/// session.insert("user_id", 7);
/// assert_eq!(session.get::<u32>("user_id"), Some(7));
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Session(serde_json::Map<String, Value>);

impl Session {
    /// Empty session data.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores a serialisable value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl serde::Serialize) {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.0.insert(key.into(), value);
    }

    /// Reads a value back; `None` when missing or of another shape.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_value(self.0.get(key)?.clone()).ok()
    }

    /// The raw JSON map.
    pub fn as_map(&self) -> &serde_json::Map<String, Value> {
        &self.0
    }
}
