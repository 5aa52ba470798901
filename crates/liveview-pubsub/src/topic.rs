//! [`Topic`]: a typed channel name, and [`Payload`], what a topic may carry.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// What a [`Topic`] carries: cloned once per local subscriber, and serialized (JSON) when a
/// cluster adapter forwards it to other nodes.
///
/// Implemented for every type that is `Clone + Send + Serialize + DeserializeOwned + 'static`;
/// derive `serde::{Serialize, Deserialize}` on your message types.
pub trait Payload: Clone + Send + Serialize + DeserializeOwned + 'static {}

impl<T> Payload for T where T: Clone + Send + Serialize + DeserializeOwned + 'static {}

/// A named channel carrying messages of type `T`.
///
/// Two topics with the same name but different message types are different channels. Across
/// nodes, a message is recognised by its topic name and its *type tag*: by default the
/// type's name ([`std::any::type_name`]); pin it with [`Topic::tagged`] or [`Topic::with_tag`] so that nodes built
/// from different versions of the code (a rolling deploy) still understand each other.
///
/// ```
/// use liveview_pubsub::Topic;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Clone, Serialize, Deserialize)]
/// struct Message(String);
///
/// static LOBBY: Topic<Message> = Topic::tagged("chat:lobby", "chat.Message/1");
/// let room: Topic<Message> = Topic::owned(format!("chat:room:{}", 42));
/// let pinned = room.clone().with_tag("chat.Message/1");
/// assert_eq!(LOBBY.name(), "chat:lobby");
/// assert_eq!(LOBBY.tag(), "chat.Message/1");
/// assert_eq!(room.name(), "chat:room:42");
/// assert!(room.tag().ends_with("Message"));
/// assert_eq!(pinned.tag(), "chat.Message/1");
/// ```
pub struct Topic<T> {
    name: Cow<'static, str>,
    tag: Option<&'static str>,
    _message: PhantomData<fn() -> T>,
}

impl<T> Topic<T> {
    /// A topic with a fixed name; usable in a `static`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            tag: None,
            _message: PhantomData,
        }
    }

    /// A topic whose name is built at run time (`format!("room:{id}")`).
    pub fn owned(name: impl Into<String>) -> Self {
        Self {
            name: Cow::Owned(name.into()),
            tag: None,
            _message: PhantomData,
        }
    }

    /// A topic with a fixed name and a pinned type tag; usable in a `static`. Frames from
    /// other nodes are delivered to its subscribers only when they carry the same tag (see
    /// [`Topic`]).
    pub const fn tagged(name: &'static str, tag: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            tag: Some(tag),
            _message: PhantomData,
        }
    }

    /// The same topic with a pinned type tag (for topics built at run time).
    pub fn with_tag(mut self, tag: &'static str) -> Self {
        self.tag = Some(tag);
        self
    }

    /// The topic's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The type tag frames of this topic carry between nodes: the pinned one, else
    /// `std::any::type_name::<T>()`.
    pub fn tag(&self) -> &'static str {
        self.tag.unwrap_or_else(std::any::type_name::<T>)
    }
}

impl<T> Clone for Topic<T> {
    fn clone(&self) -> Self {
        Self {
            name: self.name.clone(),
            tag: self.tag,
            _message: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Topic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Topic")
            .field(&self.name)
            .field(&self.tag())
            .finish()
    }
}

impl<T> PartialEq for Topic<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T> Eq for Topic<T> {}
