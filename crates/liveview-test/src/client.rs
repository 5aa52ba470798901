//! What the simulated browser client holds for a test, the same for both transports: the
//! rendered tree (through the reference merger), the URL, pushed events and replies, the
//! navigations the server asked for, and the form fields the user touched.

use std::collections::{BTreeSet, HashSet, VecDeque};

use liveview_diff::ClientTree;
use liveview_session::Navigation;
use serde_json::{Map, Value};

/// The host in-process views are mounted on: `http://localhost`.
pub(crate) const HOST: &str = "http://localhost";

/// What the simulated client holds; the same for both transports.
// Named by the sealed transport trait, so `pub`; unreachable outside the crate.
#[allow(unreachable_pub, missing_debug_implementations)]
pub struct Client {
    pub(crate) tree: ClientTree,
    /// How many entries of the transport's log were applied.
    pub(crate) applied: usize,
    pub(crate) uri: String,
    /// Pushed events (`e`) not yet asserted: `(name, payload)`.
    pub(crate) events: Vec<(String, Value)>,
    pub(crate) replies: Vec<Value>,
    /// Navigations the server asked for, not yet asserted.
    pub(crate) navigations: Vec<Navigation>,
    /// Server-side `push_patch`es whose `handle_params` the session would run next
    /// (in-process only: over a socket the server runs them).
    pub(crate) pending_patches: VecDeque<String>,
    /// Why the view no longer takes events.
    pub(crate) closed: Option<String>,
    /// Form fields the user "typed in" (they get no `_unused_` marker).
    pub(crate) used: HashSet<String>,
    /// The HTML the browser's DOM holds: the tree's last render, every component in full.
    pub(crate) html: String,
    /// The CIDs the tree's `c` holds (all the server sent, less those pruned).
    pub(crate) cids: BTreeSet<u32>,
    /// CIDs named by a `cids_will_destroy` whose `cids_destroyed` was not sent yet (they are
    /// not named again while they stay absent).
    pub(crate) will_destroy: BTreeSet<u32>,
    /// Whether `cids_destroyed` is held back (see `LiveViewTest::hold_cids_destroyed`).
    pub(crate) hold_destroyed: bool,
    /// The CIDs whose `cids_destroyed` is held back.
    pub(crate) held_destroyed: BTreeSet<u32>,
}

impl Client {
    pub(crate) fn new(
        tree: ClientTree,
        applied: usize,
        uri: String,
        navigations: Vec<Navigation>,
    ) -> Self {
        // What the page shows: skip stubs expanded, streamed items kept.
        let html = tree.dom_html();
        // The join renders every component it holds.
        let cids = crate::dom::component_cids(&html);
        Self {
            html,
            cids,
            will_destroy: BTreeSet::new(),
            hold_destroyed: false,
            held_destroyed: BTreeSet::new(),
            tree,
            applied,
            uri,
            events: Vec::new(),
            replies: Vec::new(),
            navigations,
            pending_patches: VecDeque::new(),
            closed: None,
            used: HashSet::new(),
        }
    }

    /// Forgets the components the view deleted (its answer to `cids_destroyed`).
    pub(crate) fn prune_cids(&mut self, cids: &[u32]) {
        for cid in cids {
            self.cids.remove(cid);
            self.will_destroy.remove(cid);
        }
        let cids: Vec<u64> = cids.iter().map(|c| u64::from(*c)).collect();
        self.tree.prune_cids(&cids);
    }

    /// The components the tree holds whose element is no longer in the DOM and that no
    /// `cids_will_destroy` named yet: what the browser reports after a patch. A component
    /// named before and shown again since (revived) is forgotten from the pending set, so that
    /// removing it again names it again.
    pub(crate) fn take_removed_cids(&mut self) -> Vec<u32> {
        let shown = crate::dom::component_cids(&self.html);
        self.will_destroy.retain(|cid| !shown.contains(cid));
        let removed: Vec<u32> = self
            .cids
            .iter()
            .filter(|cid| !shown.contains(cid) && !self.will_destroy.contains(cid))
            .copied()
            .collect();
        self.will_destroy.extend(removed.iter().copied());
        removed
    }

    /// Of `cids`, those still absent from the DOM (the browser checks again before
    /// `cids_destroyed`); the others were revived and leave the pending set.
    pub(crate) fn still_removed(&mut self, cids: &[u32]) -> Vec<u32> {
        let shown = crate::dom::component_cids(&self.html);
        let (gone, back): (Vec<u32>, Vec<u32>) =
            cids.iter().copied().partition(|cid| !shown.contains(cid));
        for cid in back {
            self.will_destroy.remove(&cid);
        }
        gone
    }

    pub(crate) fn merge(&mut self, diff: &str) {
        let value: Value = serde_json::from_str(diff)
            .unwrap_or_else(|e| panic!("the view sent a diff that is not JSON: {e}\n{diff}"));
        self.merge_value(value);
    }

    pub(crate) fn merge_value(&mut self, diff: Value) {
        let mut named = diff.clone();
        if let Value::Object(top) = &mut named {
            if top.contains_key("s") {
                // A new root replaces the whole tree, components included.
                self.cids.clear();
            }
            if let Some(Value::Object(c)) = top.get("c") {
                self.cids
                    .extend(c.keys().filter_map(|k| k.parse::<u32>().ok()));
            }
            // The browser patches each component a diff names, and its DOM keeps the others;
            // naming every held component with an empty diff makes the tree render them all
            // in full (no skip stubs), which is that DOM.
            if !self.cids.is_empty() {
                let c = top.entry("c").or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(c) = c {
                    for cid in &self.cids {
                        c.entry(cid.to_string())
                            .or_insert_with(|| Value::Object(Map::new()));
                    }
                }
            }
        }
        let extracted = self.tree.merge_value(named).unwrap_or_else(|e| {
            panic!("the view sent a diff the client cannot merge: {e}\n{diff}")
        });
        self.html = self.tree.dom_html();
        for ev in extracted.events {
            if let Value::Array(parts) = ev {
                let name = parts.first().and_then(Value::as_str).unwrap_or_default();
                let payload = parts.get(1).cloned().unwrap_or(Value::Null);
                self.events.push((name.to_owned(), payload));
            }
        }
        self.replies.extend(extracted.reply);
    }

    /// Records a navigation the server asked for. `base` makes a patch's path absolute.
    pub(crate) fn navigate(&mut self, nav: Navigation, base: &str) {
        match &nav {
            Navigation::Patch { to, .. } => {
                self.uri = absolute_on(base, to);
            }
            Navigation::Navigate { to, .. } => {
                self.closed = Some(format!("it live-navigated to `{to}`"));
            }
            Navigation::Redirect { to, .. } => {
                self.closed = Some(format!("it redirected to `{to}`"));
            }
        }
        self.navigations.push(nav);
    }
}

pub(crate) fn nav_target(nav: &Navigation) -> &str {
    match nav {
        Navigation::Patch { to, .. }
        | Navigation::Navigate { to, .. }
        | Navigation::Redirect { to, .. } => to,
    }
}

/// `http://localhost` + path, unless it is absolute already.
pub(crate) fn absolute(path: &str) -> String {
    absolute_on(HOST, path)
}

/// `base` (scheme and authority) + path, unless it is absolute already.
pub(crate) fn absolute_on(base: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_owned()
    } else if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}
