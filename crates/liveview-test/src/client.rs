//! What the simulated browser client holds for a test, the same for both transports: the
//! rendered tree (through the reference merger), the URL, pushed events and replies, the
//! navigations the server asked for, and the form fields the user touched.

use std::collections::{HashSet, VecDeque};

use liveview_diff::ClientTree;
use liveview_session::Navigation;
use serde_json::Value;

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
}

impl Client {
    pub(crate) fn new(
        tree: ClientTree,
        applied: usize,
        uri: String,
        navigations: Vec<Navigation>,
    ) -> Self {
        Self {
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
        let cids: Vec<u64> = cids.iter().map(|c| u64::from(*c)).collect();
        self.tree.prune_cids(&cids);
    }

    pub(crate) fn merge(&mut self, diff: &str) {
        let value: Value = serde_json::from_str(diff)
            .unwrap_or_else(|e| panic!("the view sent a diff that is not JSON: {e}\n{diff}"));
        self.merge_value(value);
    }

    pub(crate) fn merge_value(&mut self, diff: Value) {
        let extracted = self.tree.merge_value(diff.clone()).unwrap_or_else(|e| {
            panic!("the view sent a diff the client cannot merge: {e}\n{diff}")
        });
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
