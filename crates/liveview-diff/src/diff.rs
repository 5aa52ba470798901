//! Diffing a new render against what the client holds, and the tracker that remembers it.
//!
//! [`diff`] compares two [`Rendered`] trees and returns a [`Diff`] that borrows the new tree;
//! [`Diff::encode`] writes it straight to the JSON bytes of the 1.2 wire format (see
//! [`crate::wire`]). [`DiffTracker`] keeps the tree the client holds so that callers only hand
//! it each new render.

use std::collections::HashMap;
use std::ptr;

use crate::rendered::{Comprehension, Dynamic, Rendered, Row, Template};
use crate::wire::{encode_component, Encoder};

/// The difference between two renders, borrowing the newer one.
///
/// An empty diff ([`Diff::is_empty`]) means the client already shows the new render.
///
/// ```
/// use liveview_diff::{diff, Dynamic, Rendered, Template};
///
/// static T: Template = Template::new(&["<b>", "</b><i>", "</i>"]);
/// let old = Rendered::new(&T, vec![Dynamic::text("1"), Dynamic::text("x")]);
/// let new = Rendered::new(&T, vec![Dynamic::text("2"), Dynamic::text("x")]);
/// assert_eq!(diff(Some(&old), &new).encode(), r#"{"0":"2"}"#);
/// assert!(diff(Some(&new), &new).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff<'a> {
    pub(crate) root: Option<NodeDiff<'a>>,
}

/// How one node changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NodeDiff<'a> {
    /// The client lacks this node's statics (or holds nothing): send it whole.
    Full(&'a Rendered),
    /// Same statics; only these dynamics changed, by position.
    Changes(Changes<'a>),
}

pub(crate) type Changes<'a> = Vec<(usize, DynDiff<'a>)>;

/// How one dynamic changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DynDiff<'a> {
    /// Send the new value whole (text, component id, or a node or loop with new statics).
    Whole(&'a Dynamic),
    /// A nested node with the same statics: only these of its dynamics changed.
    Node(Changes<'a>),
    /// A loop with the same statics: keyed entry operations.
    Keyed(KeyedDiff<'a>),
    /// A streamed loop with the same statics: its new rows in full, and its operations.
    Stream(&'a Comprehension),
}

/// The `k` object of a comprehension diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyedDiff<'a> {
    pub(crate) ops: Vec<(usize, EntryOp<'a>)>,
    pub(crate) count: usize,
    pub(crate) moved: bool,
}

/// What happens at one position of a comprehension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EntryOp<'a> {
    /// A brand-new entry (or one replacing whatever stood there): every dynamic, complete.
    Full(Row<'a>),
    /// The entry already at this position changed.
    Changes(Changes<'a>),
    /// The entry that was at old position `j` moved here unchanged.
    Moved(usize),
    /// The entry that was at old position `j` moved here and changed.
    MovedChanged(usize, Changes<'a>),
}

/// Diffs `new` against `old`, the tree the client holds (`None` when it holds nothing).
pub fn diff<'a>(old: Option<&Rendered>, new: &'a Rendered) -> Diff<'a> {
    let root = match old {
        None => Some(NodeDiff::Full(new)),
        Some(old) => diff_node(old, new),
    };
    Diff { root }
}

impl<'a> Diff<'a> {
    /// Whether the client already shows the new render.
    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }

    /// The diff as wire JSON, with no title, events or reply.
    pub fn encode(&self) -> String {
        self.encode_with(&Extras::default())
    }

    /// The diff as wire JSON, with the top-level extras (`t`, `e`, `r`) appended.
    pub fn encode_with(&self, extras: &Extras<'_>) -> String {
        let mut enc = Encoder::new(self);
        enc.write_top(self, extras);
        enc.finish()
    }

    /// [`Diff::encode_with`], appended to `out` (a frame already begun, so that the diff is
    /// written once, where it is sent from).
    ///
    /// ```
    /// use liveview_diff::{diff, html, Extras};
    ///
    /// let new = html! { b { (1) } };
    /// let old = html! { b { (0) } };
    /// let frame = diff(Some(&old), &new).encode_into(String::from("["), &Extras::default());
    /// assert_eq!(frame, r#"[{"0":"1"}"#);
    /// ```
    pub fn encode_into(&self, out: String, extras: &Extras<'_>) -> String {
        let mut enc = Encoder::with_buffer(self, out);
        enc.write_top(self, extras);
        enc.finish()
    }
}

fn same_template(a: &'static Template, b: &'static Template) -> bool {
    ptr::eq(a, b) || a == b
}

fn diff_node<'a>(old: &Rendered, new: &'a Rendered) -> Option<NodeDiff<'a>> {
    if !same_template(old.template(), new.template()) {
        return Some(NodeDiff::Full(new));
    }
    let changes = diff_dynamics(old.dynamics(), new.dynamics());
    (!changes.is_empty()).then_some(NodeDiff::Changes(changes))
}

fn diff_dynamics<'a>(old: &[Dynamic], new: &'a [Dynamic]) -> Changes<'a> {
    let mut changes = Vec::new();
    for (i, n) in new.iter().enumerate() {
        let d = match (old.get(i), n) {
            // Most dynamics are texts, and most of them did not change: compare them here,
            // without building (and dropping) an `Option<DynDiff>` for each.
            (Some(Dynamic::Text(a)), Dynamic::Text(b)) => {
                if a == b {
                    continue;
                }
                DynDiff::Whole(n)
            }
            (Some(o), _) => match diff_dynamic(o, n) {
                Some(d) => d,
                None => continue,
            },
            (None, _) => DynDiff::Whole(n),
        };
        changes.push((i, d));
    }
    changes
}

fn diff_dynamic<'a>(old: &Dynamic, new: &'a Dynamic) -> Option<DynDiff<'a>> {
    match (old, new) {
        (Dynamic::Text(a), Dynamic::Text(b)) => (a != b).then_some(DynDiff::Whole(new)),
        (Dynamic::Component(a), Dynamic::Component(b)) => (a != b).then_some(DynDiff::Whole(new)),
        (Dynamic::Nested(a), Dynamic::Nested(b)) => match diff_node(a, b)? {
            NodeDiff::Full(_) => Some(DynDiff::Whole(new)),
            NodeDiff::Changes(c) => Some(DynDiff::Node(c)),
        },
        (Dynamic::Comprehension(a), Dynamic::Comprehension(b)) => {
            if let Some(ops) = b.stream() {
                // A stream's rows are only what was inserted since the last render; the client
                // keeps the rest. Nothing new: nothing to send.
                return if !same_template(a.template(), b.template()) {
                    Some(DynDiff::Whole(new))
                } else if b.is_empty() && ops.is_empty() {
                    None
                } else {
                    Some(DynDiff::Stream(b))
                };
            }
            if same_template(a.template(), b.template()) {
                diff_keyed(a, b).map(DynDiff::Keyed)
            } else {
                Some(DynDiff::Whole(new))
            }
        }
        _ => Some(DynDiff::Whole(new)),
    }
}

fn diff_keyed<'a>(old: &Comprehension, new: &'a Comprehension) -> Option<KeyedDiff<'a>> {
    let mut ops = Vec::new();
    let mut moved = false;
    // Built only when some key is not where it was: the common case (rows edited in place)
    // needs no map.
    let mut index: Option<HashMap<&[u8], usize>> = None;
    let (old_keys, new_keys) = (old.keys(), new.keys());
    let (old_flat, new_flat) = (old.flat_dynamics(), new.flat_dynamics());
    // Both loops have the same template, hence the same number of holes.
    let holes = new.template().holes();
    let mut i = 0;
    loop {
        // The common case first, in a tight loop: rows that stand where they stood, under the
        // same key (or both loops are unkeyed), with unchanged texts.
        i = skip_unchanged(old, new, i);
        if i >= new.len() {
            break;
        }
        let same_place = i < old.len()
            && match (new_keys.get(i), old_keys.get(i)) {
                (Some(a), Some(b)) => a == b,
                (None, None) => true,
                _ => false,
            };
        let previous = if same_place {
            Some(i)
        } else {
            match new_keys.get(i) {
                Some(k) => index
                    .get_or_insert_with(|| {
                        old_keys
                            .iter()
                            .enumerate()
                            .map(|(j, k)| (k.as_bytes(), j))
                            .collect()
                    })
                    .get(k.as_bytes())
                    .copied(),
                // Unkeyed rows are matched by position, as Phoenix does without `:key`; an
                // unkeyed row where a keyed one stood is new.
                None => None,
            }
        };
        let row = &new_flat[i * holes..(i + 1) * holes];
        let op = match previous {
            None => Some(EntryOp::Full(new.row(i))),
            Some(j) => {
                let changes = diff_dynamics(&old_flat[j * holes..(j + 1) * holes], row);
                match (j == i, changes.is_empty()) {
                    (true, true) => None,
                    (true, false) => Some(EntryOp::Changes(changes)),
                    (false, true) => Some(EntryOp::Moved(j)),
                    (false, false) => Some(EntryOp::MovedChanged(j, changes)),
                }
            }
        };
        if let Some(op) = op {
            moved |= matches!(op, EntryOp::Moved(_) | EntryOp::MovedChanged(..));
            ops.push((i, op));
        }
        i += 1;
    }
    if ops.is_empty() && old.len() == new.len() {
        return None;
    }
    Some(KeyedDiff {
        ops,
        count: new.len(),
        moved,
    })
}

/// The first row from `from` on that is not unchanged in place: at the same position in both
/// loops, under the same key (or both loops unkeyed), its texts equal.
fn skip_unchanged(old: &Comprehension, new: &Comprehension, from: usize) -> usize {
    let n = old.len().min(new.len());
    if from >= n {
        return from;
    }
    let holes = new.template().holes();
    let (old_keys, new_keys) = (old.keys(), new.keys());
    let keys_equal = match (old_keys.is_empty(), new_keys.is_empty()) {
        (true, true) => None,
        (false, false) => Some((&old_keys[from..n], &new_keys[from..n])),
        // A keyed row where an unkeyed one stood, or the reverse, is not in place.
        _ => return from,
    };
    if holes == 0 {
        return match keys_equal {
            None => n,
            Some((a, b)) => from + a.iter().zip(b).take_while(|(a, b)| a == b).count(),
        };
    }
    let old_rows = old.flat_dynamics()[from * holes..n * holes].chunks_exact(holes);
    let new_rows = new.flat_dynamics()[from * holes..n * holes].chunks_exact(holes);
    let same = match keys_equal {
        None => old_rows
            .zip(new_rows)
            .take_while(|(a, b)| texts_equal(a, b))
            .count(),
        Some((old_keys, new_keys)) => old_keys
            .iter()
            .zip(new_keys)
            .zip(old_rows.zip(new_rows))
            .take_while(|((ka, kb), (a, b))| ka == kb && texts_equal(a, b))
            .count(),
    };
    from + same
}

/// Whether two rows of the same template hold only texts, and equal ones (`false` for anything
/// else: those rows take the full [`diff_dynamics`]).
fn texts_equal(old: &[Dynamic], new: &[Dynamic]) -> bool {
    old.len() == new.len()
        && old.iter().zip(new).all(|(a, b)| match (a, b) {
            (Dynamic::Text(a), Dynamic::Text(b)) => a == b,
            _ => false,
        })
}

/// An event pushed to the client with a diff (`push_event`): dispatched as a `phx:<name>`
/// window event and to hooks' `handleEvent`.
#[derive(Debug, Clone, PartialEq)]
pub struct PushedEvent {
    /// The event name.
    pub name: String,
    /// Its JSON payload.
    pub payload: serde_json::Value,
    /// Dispatch before the DOM patch instead of after it.
    pub before_patch: bool,
}

/// The top-level additions to a diff: the page title, pushed events and a hook reply.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    /// The page title to show. A [`DiffTracker`] sends it only when it changed.
    pub title: Option<&'a str>,
    /// Events to dispatch on the client (`e`).
    pub events: &'a [PushedEvent],
    /// The reply to a hook's `pushEvent` (`r`).
    pub reply: Option<&'a serde_json::Value>,
}

impl Extras<'_> {
    /// Nothing to add: no title, no events, no reply.
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.events.is_empty() && self.reply.is_none()
    }
}

/// Remembers what the client holds and turns each new render into the smallest diff.
///
/// One tracker per joined view. A (re)join starts from [`DiffTracker::render_full`], which
/// always sends every static: the client builds a fresh tree on every join.
///
/// ```
/// use liveview_diff::{html, DiffTracker, Extras};
///
/// let mut tracker = DiffTracker::new();
/// let title = Extras { title: Some("Count 0"), ..Extras::default() };
/// let join = tracker.render_full(html! { b { (0) } }, &title);
/// assert_eq!(join, r#"{"0":"0","s":["<b>","</b>"],"t":"Count 0"}"#);
///
/// // Same title: not sent again. Nothing changed: nothing to send at all.
/// assert_eq!(tracker.render_diff(html! { b { (0) } }, &title), None);
/// let title = Extras { title: Some("Count 1"), ..Extras::default() };
/// let diff = tracker.render_diff(html! { b { (1) } }, &title).unwrap();
/// assert_eq!(diff, r#"{"0":"1","t":"Count 1"}"#);
/// ```
#[derive(Debug, Default)]
pub struct DiffTracker {
    held: Option<Rendered>,
    title: Option<String>,
    /// What the client holds of each live component, by cid.
    components: HashMap<u32, HeldComponent>,
    /// A held component for each root template seen, to share statics from (`-cid`).
    by_template: HashMap<u64, u32>,
}

#[derive(Debug)]
struct HeldComponent {
    rendered: Rendered,
    /// Named by `cids_will_destroy` and not rendered since: never a source of statics.
    marked: bool,
}

/// A live component's new render, for [`DiffTracker::render_into`]: it goes to the diff's
/// top-level `c` object under its cid.
#[derive(Debug, Clone)]
pub struct ComponentRender {
    /// The component's id in its view.
    pub cid: u32,
    /// Its render; its template has a single root element.
    pub rendered: Rendered,
    /// The client holds nothing for it: a new component, or one revived after
    /// `cids_will_destroy`. A fresh component is sent whole (sharing the statics of another
    /// component with the same template when there is one); any other is diffed against what
    /// the client holds, and left out when unchanged.
    pub fresh: bool,
}

/// How many held components are tried when looking for one to share statics with.
const SHARE_ATTEMPTS: usize = 32;

impl DiffTracker {
    /// A tracker for a client that holds nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The tree the client holds, if any.
    pub fn held(&self) -> Option<&Rendered> {
        self.held.as_ref()
    }

    /// Forgets what the client holds (it rejoined or went away), components included.
    pub fn reset(&mut self) {
        self.held = None;
        self.title = None;
        self.components.clear();
        self.by_template.clear();
    }

    /// What the client holds of component `cid`, if anything.
    pub fn held_component(&self, cid: u32) -> Option<&Rendered> {
        self.components.get(&cid).map(|c| &c.rendered)
    }

    /// Marks component `cid` as about to be destroyed (`cids_will_destroy`): it is no longer a
    /// source of shared statics. Returns whether the client holds it.
    pub fn mark_component(&mut self, cid: u32) -> bool {
        match self.components.get_mut(&cid) {
            Some(c) => {
                c.marked = true;
                true
            }
            None => false,
        }
    }

    /// Whether component `cid` is marked and not rendered since.
    pub fn is_marked(&self, cid: u32) -> bool {
        self.components.get(&cid).is_some_and(|c| c.marked)
    }

    /// Forgets component `cid` (`cids_destroyed`); returns whether it was held.
    pub fn forget_component(&mut self, cid: u32) -> bool {
        self.components.remove(&cid).is_some()
    }

    /// The diff from what the client holds to a new render of the view (`root`, `None` when
    /// only components rendered) and of the components in `components`, appended to `out`
    /// (a frame already begun). Returns `out` unchanged and `false` when there is nothing to
    /// send.
    ///
    /// ```
    /// use liveview_diff::{html, ComponentRender, DiffTracker, Dynamic, Extras, Rendered, Template};
    ///
    /// static PAGE: Template = Template::new(&["<main>", "", "</main>"]);
    /// let page = || Rendered::new(&PAGE, vec![Dynamic::Component(1), Dynamic::Component(2)]);
    /// let row = |n: i32| html! { p { (n) } };
    /// let comps = |a, b, fresh| vec![
    ///     ComponentRender { cid: 1, rendered: row(a), fresh },
    ///     ComponentRender { cid: 2, rendered: row(b), fresh },
    /// ];
    ///
    /// let mut tracker = DiffTracker::new();
    /// let (join, _) = tracker.render_into(Some(page()), comps(1, 2, true), &Extras::default(), String::new());
    /// // The second component shares the first one's statics (`"s":1`) and sends what differs.
    /// assert_eq!(join, r#"{"0":1,"1":2,"s":["<main>","","</main>"],"c":{"1":{"0":"1","s":["<p>","</p>"],"r":1},"2":{"0":"2","s":1}}}"#);
    ///
    /// // One component changed: only its entry is sent.
    /// let (diff, sent) = tracker.render_into(None, vec![ComponentRender { cid: 2, rendered: row(3), fresh: false }], &Extras::default(), String::new());
    /// assert!(sent);
    /// assert_eq!(diff, r#"{"c":{"2":{"0":"3"}}}"#);
    /// ```
    pub fn render_into(
        &mut self,
        root: Option<Rendered>,
        components: Vec<ComponentRender>,
        extras: &Extras<'_>,
        out: String,
    ) -> (String, bool) {
        let extras = self.title_extras(extras);
        let root_diff = match &root {
            Some(new) => diff(self.held.as_ref(), new),
            None => Diff { root: None },
        };
        let encoded = self.encode_components(&components);
        let result = if root_diff.is_empty() && encoded.is_empty() && extras.is_empty() {
            (out, false)
        } else {
            let mut enc = Encoder::with_buffer(&root_diff, out);
            enc.write_top_with(&root_diff, &encoded, &extras);
            (enc.finish(), true)
        };
        if let Some(new) = root {
            self.held = Some(new);
        }
        for c in components {
            let print = c.rendered.template().fingerprint();
            self.by_template.entry(print).or_insert(c.cid);
            self.components.insert(
                c.cid,
                HeldComponent {
                    rendered: c.rendered,
                    marked: false,
                },
            );
        }
        result
    }

    /// The body of the `c` object for `components` (empty when none has anything to send).
    fn encode_components(&mut self, components: &[ComponentRender]) -> String {
        let mut out = String::new();
        for (i, c) in components.iter().enumerate() {
            let held = self.components.get(&c.cid).filter(|_| !c.fresh);
            match held {
                Some(h) => {
                    if let Some(node) = diff_node(&h.rendered, &c.rendered) {
                        encode_component(&mut out, c.cid, Some(&node), None);
                    }
                }
                None => match self.share_source(&c.rendered, &components[..i]) {
                    Some((source, base)) => {
                        let node = diff_node(base, &c.rendered);
                        encode_component(&mut out, c.cid, node.as_ref(), Some(source));
                    }
                    None => {
                        let node = NodeDiff::Full(&c.rendered);
                        encode_component(&mut out, c.cid, Some(&node), None);
                    }
                },
            }
        }
        out
    }

    /// A component whose statics a fresh render can share: one the client held before this
    /// diff and that is not marked (`-cid`), else one earlier in this diff (`+cid`).
    fn share_source<'a>(
        &'a mut self,
        new: &Rendered,
        earlier: &'a [ComponentRender],
    ) -> Option<(i64, &'a Rendered)> {
        let template = new.template();
        let print = template.fingerprint();
        let usable =
            |c: &HeldComponent| !c.marked && same_template(c.rendered.template(), template);
        let mut found = self
            .by_template
            .get(&print)
            .copied()
            .filter(|cid| self.components.get(cid).is_some_and(usable));
        if found.is_none() {
            found = self
                .components
                .iter()
                .take(SHARE_ATTEMPTS)
                .find(|(_, c)| usable(c))
                .map(|(cid, _)| *cid);
            match found {
                Some(cid) => {
                    self.by_template.insert(print, cid);
                }
                None => {
                    self.by_template.remove(&print);
                }
            }
        }
        if let Some(cid) = found {
            return self
                .components
                .get(&cid)
                .map(|c| (-i64::from(cid), &c.rendered));
        }
        earlier
            .iter()
            .find(|c| same_template(c.rendered.template(), template))
            .map(|c| (i64::from(c.cid), &c.rendered))
    }

    /// A full render for a join reply's `rendered`: every static, every dynamic.
    pub fn render_full(&mut self, new: Rendered, extras: &Extras<'_>) -> String {
        self.reset();
        let out = diff(None, &new).encode_with(&self.title_extras(extras));
        self.held = Some(new);
        out
    }

    /// [`DiffTracker::render_full`] with the view's live components: every one is sent whole
    /// in the `c` object (components with the same template share statics).
    pub fn render_full_with(
        &mut self,
        new: Rendered,
        components: Vec<ComponentRender>,
        extras: &Extras<'_>,
    ) -> String {
        self.reset();
        let components = components
            .into_iter()
            .map(|c| ComponentRender { fresh: true, ..c })
            .collect();
        self.render_into(Some(new), components, extras, String::new())
            .0
    }

    /// The diff from what the client holds to `new`, or `None` when there is nothing to send
    /// (no change, same title, no events, no reply).
    pub fn render_diff(&mut self, new: Rendered, extras: &Extras<'_>) -> Option<String> {
        let extras = self.title_extras(extras);
        let d = diff(self.held.as_ref(), &new);
        let out = if d.is_empty() && extras.is_empty() {
            None
        } else {
            Some(d.encode_with(&extras))
        };
        self.held = Some(new);
        out
    }

    /// [`DiffTracker::render_diff`], appending the diff to `out` (a frame already begun).
    /// Returns `out` unchanged and `false` when there is nothing to send.
    pub fn render_diff_into(
        &mut self,
        new: Rendered,
        extras: &Extras<'_>,
        out: String,
    ) -> (String, bool) {
        let extras = self.title_extras(extras);
        let d = diff(self.held.as_ref(), &new);
        let result = if d.is_empty() && extras.is_empty() {
            (out, false)
        } else {
            (d.encode_into(out, &extras), true)
        };
        self.held = Some(new);
        result
    }

    /// The top-level extras alone (title, events, reply), when the render did not change:
    /// nothing is diffed or cloned. `None` when there is nothing to send.
    ///
    /// ```
    /// use liveview_diff::{html, DiffTracker, Extras};
    ///
    /// let mut tracker = DiffTracker::new();
    /// tracker.render_full(html! { b { (0) } }, &Extras::default());
    /// let reply = serde_json::json!({"ok": true});
    /// let only = Extras { reply: Some(&reply), ..Extras::default() };
    /// assert_eq!(tracker.render_unchanged(&only).as_deref(), Some(r#"{"r":{"ok":true}}"#));
    /// assert_eq!(tracker.render_unchanged(&Extras::default()), None);
    /// ```
    pub fn render_unchanged(&mut self, extras: &Extras<'_>) -> Option<String> {
        let (out, some) = self.render_unchanged_into(extras, String::new());
        some.then_some(out)
    }

    /// [`DiffTracker::render_unchanged`], appending to `out`.
    pub fn render_unchanged_into(&mut self, extras: &Extras<'_>, out: String) -> (String, bool) {
        let extras = self.title_extras(extras);
        if extras.is_empty() {
            return (out, false);
        }
        (Diff { root: None }.encode_into(out, &extras), true)
    }

    /// Keeps only a title that differs from the one last sent, and records it as sent.
    fn title_extras<'e>(&mut self, extras: &Extras<'e>) -> Extras<'e> {
        let mut extras = *extras;
        match extras.title {
            Some(t) if self.title.as_deref() == Some(t) => extras.title = None,
            Some(t) => self.title = Some(t.to_owned()),
            None => {}
        }
        extras
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rendered::{Comprehension, Entry, StreamInsert, StreamOps};

    static ROW: Template = Template::new(&["<li>", "</li>"]);
    static LIST: Template = Template::new(&["<ul>", "</ul>"]);

    fn list(items: &[(&str, &str)]) -> Rendered {
        let entries = items
            .iter()
            .map(|(k, v)| Entry::keyed(*k, vec![Dynamic::text(*v)]))
            .collect();
        Rendered::new(&LIST, vec![Comprehension::new(&ROW, entries).into()])
    }

    fn unkeyed(items: &[&str]) -> Rendered {
        let entries = items
            .iter()
            .map(|v| Entry::new(vec![Dynamic::text(*v)]))
            .collect();
        Rendered::new(&LIST, vec![Comprehension::new(&ROW, entries).into()])
    }

    fn enc(old: &Rendered, new: &Rendered) -> String {
        diff(Some(old), new).encode()
    }

    #[test]
    fn appends_a_keyed_row() {
        let a = list(&[("a", "A"), ("b", "B")]);
        let b = list(&[("a", "A"), ("b", "B"), ("c", "C")]);
        assert_eq!(enc(&a, &b), r#"{"0":{"k":{"2":{"0":"C"},"kc":3}}}"#);
    }

    #[test]
    fn drops_the_last_row_with_only_a_count() {
        let a = list(&[("a", "A"), ("b", "B"), ("c", "C")]);
        let b = list(&[("a", "A"), ("b", "B")]);
        assert_eq!(enc(&a, &b), r#"{"0":{"k":{"kc":2}}}"#);
    }

    #[test]
    fn reorders_with_moves() {
        let a = list(&[("a", "A"), ("b", "B")]);
        let b = list(&[("b", "B"), ("a", "A")]);
        assert_eq!(enc(&a, &b), r#"{"0":{"k":{"0":1,"1":0,"kc":2,"km":true}}}"#);
    }

    #[test]
    fn moves_with_a_diff_and_adds() {
        let a = list(&[("b", "B"), ("a", "AA")]);
        let b = list(&[("a", "A2"), ("b", "B"), ("z", "Z")]);
        assert_eq!(
            enc(&a, &b),
            r#"{"0":{"k":{"0":[1,{"0":"A2"}],"1":0,"2":{"0":"Z"},"kc":3,"km":true}}}"#
        );
    }

    #[test]
    fn removing_the_first_keyed_row_moves_the_rest() {
        let a = list(&[("a", "A"), ("b", "B"), ("c", "C")]);
        let b = list(&[("b", "B"), ("c", "C")]);
        assert_eq!(enc(&a, &b), r#"{"0":{"k":{"0":1,"1":2,"kc":2,"km":true}}}"#);
    }

    #[test]
    fn removing_the_first_unkeyed_row_rewrites_by_index() {
        let a = unkeyed(&["A", "B", "C"]);
        let b = unkeyed(&["B", "C"]);
        assert_eq!(
            enc(&a, &b),
            r#"{"0":{"k":{"0":{"0":"B"},"1":{"0":"C"},"kc":2}}}"#
        );
    }

    #[test]
    fn equal_lists_diff_to_nothing() {
        let a = list(&[("a", "A")]);
        assert!(diff(Some(&a), &a.clone()).is_empty());
    }

    #[test]
    fn emptying_a_list_sends_a_zero_count() {
        let a = list(&[("a", "A")]);
        let b = list(&[]);
        assert_eq!(enc(&a, &b), r#"{"0":{"k":{"kc":0}}}"#);
    }

    fn streamed(rows: &[(&str, &str)], ops: StreamOps) -> Rendered {
        let entries = rows
            .iter()
            .map(|(k, v)| Entry::keyed(*k, vec![Dynamic::text(*k), Dynamic::text(*v)]))
            .collect();
        Rendered::new(
            &LIST,
            vec![Comprehension::new(&SONG, entries).with_stream(ops).into()],
        )
    }

    static SONG: Template = Template::new(&["<li id=\"", "\">", "</li>"]);

    fn ins(dom_id: &str, at: i64) -> StreamInsert {
        StreamInsert {
            dom_id: dom_id.into(),
            at,
            limit: None,
            update_only: false,
        }
    }

    #[test]
    fn a_stream_sends_its_new_rows_whole_with_its_operations() {
        let first = streamed(
            &[("s-1", "a"), ("s-2", "b")],
            StreamOps {
                reference: "0".into(),
                inserts: vec![ins("s-1", -1), ins("s-2", -1)],
                ..StreamOps::default()
            },
        );
        assert_eq!(
            diff(None, &first).encode(),
            r#"{"0":{"k":{"0":{"0":"s-1","1":"a"},"1":{"0":"s-2","1":"b"},"kc":2},"s":["<li id=\"","\">","</li>"],"stream":["0",[["s-1",-1,null,false],["s-2",-1,null,false]],[]]},"s":["<ul>","</ul>"]}"#
        );
        // The next render holds only what is new: one row at the top (with a limit), one
        // deletion. Rows are sent whole from position 0, whatever the last render held.
        let next = streamed(
            &[("s-3", "c")],
            StreamOps {
                reference: "0".into(),
                inserts: vec![StreamInsert {
                    limit: Some(-10),
                    ..ins("s-3", 0)
                }],
                deletes: vec!["s-1".into()],
                reset: false,
            },
        );
        assert_eq!(
            enc(&first, &next),
            r#"{"0":{"k":{"0":{"0":"s-3","1":"c"},"kc":1},"stream":["0",[["s-3",0,-10,false]],["s-1"]]}}"#
        );
        // Nothing inserted, deleted or reset: nothing sent.
        let idle = streamed(
            &[],
            StreamOps {
                reference: "0".into(),
                ..StreamOps::default()
            },
        );
        assert!(diff(Some(&next), &idle).is_empty());
        // A reset with no rows.
        let reset = streamed(
            &[],
            StreamOps {
                reference: "0".into(),
                reset: true,
                ..StreamOps::default()
            },
        );
        assert_eq!(
            enc(&idle, &reset),
            r#"{"0":{"k":{"kc":0},"stream":["0",[],[],true]}}"#
        );
    }

    #[test]
    fn tracker_sends_events_and_reply_even_without_changes() {
        let mut t = DiffTracker::new();
        t.render_full(unkeyed(&["A"]), &Extras::default());
        let reply = serde_json::json!({"ok": true});
        let events = [PushedEvent {
            name: "hi".into(),
            payload: serde_json::json!({"id": 1}),
            before_patch: true,
        }];
        let out = t.render_diff(
            unkeyed(&["A"]),
            &Extras {
                title: None,
                events: &events,
                reply: Some(&reply),
            },
        );
        assert_eq!(
            out.as_deref(),
            Some(r#"{"e":[["hi",{"id":1},true]],"r":{"ok":true}}"#)
        );
    }
}
