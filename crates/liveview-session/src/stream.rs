//! Streams: lists too big to hold (feeds, logs, chat history). The server inserts and deletes
//! items and forgets them after each render; the browser keeps the DOM.
//!
//! A stream is an assign of type [`Stream<T>`]. The socket's `stream*` methods queue inserts,
//! deletes and resets; the next render iterates what was queued (`@for (dom_id, item) in
//! &a[State::songs]`, each row's root element carrying `id=(dom_id)`, inside an element with an
//! `id` and `phx-update="stream"`), and the queue is emptied after the render. Memory does not
//! grow with the number of items ever streamed.
//!
//! ```
//! use liveview_diff::{html, Rendered};
//! use liveview_session::*;
//!
//! #[derive(Clone)]
//! struct Song { id: u32, title: &'static str }
//!
//! impl StreamItem for Song {
//!     type Id = u32;
//!     fn id(&self) -> u32 { self.id }
//! }
//!
//! #[derive(LiveAssigns)]
//! # #[live(crate = liveview_session)]
//! struct State { songs: Stream<Song> }
//!
//! #[derive(Default)]
//! struct Playlist;
//!
//! impl LiveView for Playlist {
//!     type Info = ();
//!     type Event = ();
//!     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
//!         socket.assign_all(State { songs: Stream::new() });
//!         socket.stream(State::songs, [Song { id: 1, title: "Blue" }, Song { id: 2, title: "Red" }]);
//!         Ok(())
//!     }
//!     fn render(&self, a: &Assigns) -> Rendered {
//!         html! {
//!             ul #songs phx-update="stream" {
//!                 @for (dom_id, song) in &a[State::songs] { li id=(dom_id) { (song.title) } }
//!             }
//!         }
//!     }
//! }
//!
//! let page = dead_render(&mut Playlist, &Params::new(), &Session::new(), "/").unwrap();
//! assert!(matches!(page, DeadRender::Page { ref html, .. }
//!     if html == r#"<ul id="songs" phx-update="stream"><li id="songs-1">Blue</li><li id="songs-2">Red</li></ul>"#));
//! ```

use std::fmt;

use liveview_diff::{StreamInsert, StreamOps, StreamSource};

use crate::assigns::{AssignKey, Assigns};
use crate::socket::SocketCore;

/// An item of a stream: its id makes its DOM id, `"<stream name>-<id>"` (unless the stream is
/// configured otherwise with [`SocketCore::stream_configure`]).
pub trait StreamItem: 'static {
    /// The item's id, unique in its stream.
    type Id: fmt::Display;

    /// The item's id.
    fn id(&self) -> Self::Id;
}

/// Where and how an insert goes ([`SocketCore::stream_insert_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsertOpts {
    /// `-1` appends (the default), `0` prepends, `n` inserts before the n-th item.
    pub at: i64,
    /// Keep at most this many items after the insert (negative: the last ones).
    pub limit: Option<i64>,
    /// Only update the item if the browser has it; never add it.
    pub update_only: bool,
}

impl Default for InsertOpts {
    fn default() -> Self {
        Self {
            at: -1,
            limit: None,
            update_only: false,
        }
    }
}

/// A stream's items waiting for the next render, and its operations.
///
/// Hold one as an assign (a field of the view's `#[derive(LiveAssigns)]` struct, starting as
/// [`Stream::new`]) and change it through the socket's `stream*` methods.
pub struct Stream<T> {
    reference: Option<String>,
    name: &'static str,
    dom_id: Option<fn(&T) -> String>,
    inserts: Vec<(T, StreamInsert)>,
    deletes: Vec<String>,
    reset: bool,
    len: Option<usize>,
}

impl<T> Stream<T> {
    /// An empty stream.
    pub fn new() -> Self {
        Self {
            reference: None,
            name: "",
            dom_id: None,
            inserts: Vec::new(),
            deletes: Vec::new(),
            reset: false,
            len: None,
        }
    }

    /// An empty stream that counts its items: [`Stream::len`] is the number of items the
    /// browser shows (inserts minus deletes, reset to the new items on a reset), so that a
    /// template can show "no items yet" without a CSS trick (Phoenix issue 2924). Counting
    /// assumes the server knows each insert is new (an insert of an id already shown, or an
    /// `update_only` insert, is counted by [`SocketCore::stream_insert_with`] only when
    /// `update_only` is false).
    pub fn counted() -> Self {
        Self {
            len: Some(0),
            ..Self::new()
        }
    }

    /// The number of items shown, for a [`Stream::counted`] stream.
    pub fn len(&self) -> Option<usize> {
        self.len
    }

    /// Whether a counted stream shows no item (`None` for an uncounted one).
    pub fn is_empty(&self) -> Option<bool> {
        self.len.map(|n| n == 0)
    }

    /// Items queued for the next render.
    pub fn pending(&self) -> usize {
        self.inserts.len()
    }

    /// The DOM id of `item` in this stream: the configured function's, or `"<name>-<id>"`.
    fn dom_id_of(&self, item: &T) -> String
    where
        T: StreamItem,
    {
        match self.dom_id {
            Some(f) => f(item),
            None => format!("{}-{}", self.name, item.id()),
        }
    }

    fn ops(&self) -> StreamOps {
        StreamOps {
            reference: self.reference.clone().unwrap_or_default(),
            inserts: self.inserts.iter().map(|(_, i)| i.clone()).collect(),
            deletes: self.deletes.clone(),
            reset: self.reset,
        }
    }

    /// Empties the queue after a render.
    pub(crate) fn prune(&mut self) {
        self.inserts.clear();
        self.inserts.shrink_to(16);
        self.deletes.clear();
        self.deletes.shrink_to(16);
        self.reset = false;
    }
}

impl<T> Default for Stream<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for Stream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stream")
            .field("reference", &self.reference)
            .field("pending", &self.inserts.len())
            .field("deletes", &self.deletes)
            .field("reset", &self.reset)
            .field("len", &self.len)
            .finish()
    }
}

/// Two streams are equal when neither has anything queued and they are the same stream:
/// assigning a fresh [`Stream::new`] over a stream that has nothing pending marks nothing.
impl<T> PartialEq for Stream<T> {
    fn eq(&self, other: &Self) -> bool {
        self.inserts.is_empty()
            && other.inserts.is_empty()
            && self.deletes.is_empty()
            && other.deletes.is_empty()
            && !self.reset
            && !other.reset
            && self.len == other.len
    }
}

/// What `@for (dom_id, item) in &stream` iterates: the items queued since the last render.
pub struct StreamIter<'a, T> {
    stream: &'a Stream<T>,
    next: usize,
}

impl<T> fmt::Debug for StreamIter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamIter")
            .field("stream", &self.stream)
            .field("next", &self.next)
            .finish()
    }
}

impl<'a, T> Iterator for StreamIter<'a, T> {
    type Item = (&'a str, &'a T);

    fn next(&mut self) -> Option<Self::Item> {
        let (item, insert) = self.stream.inserts.get(self.next)?;
        self.next += 1;
        Some((insert.dom_id.as_str(), item))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.stream.inserts.len() - self.next;
        (left, Some(left))
    }
}

impl<T> StreamSource for StreamIter<'_, T> {
    fn stream_ops(&self) -> StreamOps {
        self.stream.ops()
    }
}

impl<'a, T> IntoIterator for &'a Stream<T> {
    type Item = (&'a str, &'a T);
    type IntoIter = StreamIter<'a, T>;

    fn into_iter(self) -> StreamIter<'a, T> {
        StreamIter {
            stream: self,
            next: 0,
        }
    }
}

/// Empties a stream assign's queue after a render; one per stream a socket touched.
pub(crate) type Pruner = fn(&mut Assigns, &'static str);

fn prune<T: 'static>(assigns: &mut Assigns, name: &'static str) {
    if let Some(stream) = assigns.get_mut::<Stream<T>>(name) {
        stream.prune();
    }
}

impl SocketCore {
    /// The stream under `key`, created when missing, with its reference and name set.
    fn stream_mut<T: StreamItem>(&mut self, key: &impl AssignKey<Stream<T>>) -> &mut Stream<T> {
        let name = key.name();
        if self.assigns().try_get::<Stream<T>>(name).is_none() {
            self.assigns_mut().insert(name, Stream::<T>::new());
        }
        if !self.stream_pruners.iter().any(|(n, _)| *n == name) {
            self.stream_pruners.push((name, prune::<T> as Pruner));
        }
        self.mark_changed();
        let reference = self.next_stream_ref_if(name);
        let Some(stream) = self.assigns_mut().get_mut::<Stream<T>>(name) else {
            unreachable!("the stream was inserted above");
        };
        stream.name = name;
        if stream.reference.is_none() {
            stream.reference = Some(reference);
        }
        stream
    }

    /// The reference a new stream of this socket gets: `"0"`, `"1"`, … in a view,
    /// `"<cid>-<n>"` in a live component. Allocated once per stream name.
    fn next_stream_ref_if(&mut self, name: &'static str) -> String {
        if let Some((_, r)) = self.stream_refs.iter().find(|(n, _)| *n == name) {
            return r.clone();
        }
        let n = self.stream_refs.len();
        let reference = match self.assigns().myself_opt() {
            Some(cid) => format!("{cid}-{n}"),
            None => n.to_string(),
        };
        self.stream_refs.push((name, reference.clone()));
        reference
    }

    /// Appends `items` to the stream under `key` (Phoenix's `stream/3`).
    pub fn stream<T: StreamItem>(
        &mut self,
        key: impl AssignKey<Stream<T>>,
        items: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        for item in items {
            self.stream_insert_with(&key, item, InsertOpts::default());
        }
        self
    }

    /// Replaces what the browser shows of the stream with `items` (`stream(…, reset: true)`).
    /// Items inserted again keep their elements (and their state, focus included).
    pub fn stream_reset<T: StreamItem>(
        &mut self,
        key: impl AssignKey<Stream<T>>,
        items: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        let stream = self.stream_mut(&key);
        stream.inserts.clear();
        stream.deletes.clear();
        stream.reset = true;
        if let Some(len) = &mut stream.len {
            *len = 0;
        }
        self.stream(key, items)
    }

    /// Inserts one item at `at` (`-1` appends, `0` prepends).
    pub fn stream_insert<T: StreamItem>(
        &mut self,
        key: impl AssignKey<Stream<T>>,
        item: T,
        at: i64,
    ) -> &mut Self {
        self.stream_insert_with(
            &key,
            item,
            InsertOpts {
                at,
                ..InsertOpts::default()
            },
        )
    }

    /// Inserts one item with a position, a limit and `update_only`. An item whose DOM id is
    /// already queued replaces the queued one (the newest insert wins).
    pub fn stream_insert_with<T: StreamItem>(
        &mut self,
        key: &impl AssignKey<Stream<T>>,
        item: T,
        opts: InsertOpts,
    ) -> &mut Self {
        let stream = self.stream_mut(key);
        let insert = StreamInsert {
            dom_id: stream.dom_id_of(&item),
            at: opts.at,
            limit: opts.limit,
            update_only: opts.update_only,
        };
        stream.deletes.retain(|d| *d != insert.dom_id);
        stream.inserts.retain(|(_, i)| i.dom_id != insert.dom_id);
        if let Some(len) = &mut stream.len {
            if !opts.update_only {
                *len += 1;
                if let Some(limit) = opts.limit {
                    *len = (*len).min(limit.unsigned_abs() as usize);
                }
            }
        }
        stream.inserts.push((item, insert));
        self
    }

    /// Removes `item` from the browser's list.
    pub fn stream_delete<T: StreamItem>(
        &mut self,
        key: impl AssignKey<Stream<T>>,
        item: &T,
    ) -> &mut Self {
        let dom_id = self.stream_mut(&key).dom_id_of(item);
        self.stream_delete_by_dom_id(key, &dom_id)
    }

    /// Removes the element with DOM id `dom_id` from the browser's list (an id the browser
    /// does not show is a no-op there).
    pub fn stream_delete_by_dom_id<T: StreamItem>(
        &mut self,
        key: impl AssignKey<Stream<T>>,
        dom_id: &str,
    ) -> &mut Self {
        let stream = self.stream_mut(&key);
        stream.inserts.retain(|(_, i)| i.dom_id != dom_id);
        if !stream.deletes.iter().any(|d| d == dom_id) {
            stream.deletes.push(dom_id.to_owned());
            if let Some(len) = &mut stream.len {
                *len = len.saturating_sub(1);
            }
        }
        self
    }

    /// Sets how the stream's items get their DOM id (Phoenix's `stream_configure(dom_id:)`).
    pub fn stream_configure<T: StreamItem>(
        &mut self,
        key: impl AssignKey<Stream<T>>,
        dom_id: fn(&T) -> String,
    ) -> &mut Self {
        self.stream_mut(&key).dom_id = Some(dom_id);
        self
    }

    /// Empties every stream's queue: what was rendered is the browser's now.
    pub(crate) fn prune_streams(&mut self) {
        let pruners = std::mem::take(&mut self.stream_pruners);
        for (name, prune) in &pruners {
            prune(self.assigns_mut(), name);
        }
        self.stream_pruners = pruners;
    }
}
