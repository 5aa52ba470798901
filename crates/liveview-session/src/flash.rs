//! [`Flash`]: the messages shown once, after an action or across a navigation.

use std::collections::BTreeMap;

/// Flash messages by kind (`"info"`, `"error"`, ...): the `flash` assign.
pub type Flash = BTreeMap<String, String>;

/// The flash of a socket that has none.
pub(crate) static NO_FLASH: Flash = BTreeMap::new();
