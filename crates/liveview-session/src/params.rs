//! [`Params`]: the path and query parameters of a page.

use std::collections::BTreeMap;

/// Path and query parameters of the page, as strings.
///
/// ```
/// use liveview_session::Params;
///
/// let params = Params::from_pairs([("id", "42"), ("q", "rust")]);
/// assert_eq!(params.get("q"), Some("rust"));
/// assert_eq!(params.parse::<u32>("id"), Some(42));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    /// Empty parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parameters from `(name, value)` pairs; a later pair wins.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// Sets one parameter.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    /// One parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// One parameter parsed with `FromStr`; `None` when missing or unparsable.
    pub fn parse<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.get(name)?.parse().ok()
    }

    /// Every parameter, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}
