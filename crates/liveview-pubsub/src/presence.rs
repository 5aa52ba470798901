//! [`Presence`]: who is on a topic, across every node, with joins and leaves delivered as
//! diffs; built on [`PubSub`] alone, so it works with any [`Adapter`](crate::Adapter).
//!
//! # The algorithm
//!
//! Every node **owns** the entries it tracks (`track` on node A creates an entry only A can
//! change), and replicates them to the others over one PubSub topic:
//!
//! - **Deltas.** Each change of a node's entries (a join, a leave) increments that node's
//!   sequence number and is broadcast as a delta carrying it. A node applies a delta from
//!   another only when it is the next one it expects (`seq = last + 1`); one that skips ahead
//!   shows a lost message, so it asks the owner for its **full state** (a direct message),
//!   which replaces the replica (the entries that appear or disappear become joins and
//!   leaves).
//! - **Heartbeats.** Every [`PresenceConfig::heartbeat`] (1 s), each node broadcasts its
//!   sequence number. A node that hears a number it has not applied asks for the full state;
//!   so a replica that missed the last delta catches up within one heartbeat.
//! - **Node failure.** A node not heard from for [`PresenceConfig::timeout`] (5 s) is
//!   considered down: its entries are removed and announced as leaves. This covers a crashed
//!   node, a node cut off from Redis, and this node losing Redis (then every other node
//!   leaves, and comes back through a full-state sync once heartbeats arrive again).
//!
//! # Guarantees
//!
//! - **Convergence**: while the link is up and nodes keep running, every node's view of every
//!   other node's entries becomes equal to that node's own within one heartbeat of the last
//!   change (single writer per entry; deltas in order or replaced by a full state).
//! - **Local entries are exact**: a node's own entries change synchronously in
//!   [`Presence::track`] and when a [`Tracked`] guard is dropped.
//! - **Failure detection** within [`PresenceConfig::timeout`] plus one heartbeat. During a
//!   partition each side sees only the nodes it can reach; after it, both converge again.
//! - Not guaranteed: the *order* in which diffs from different nodes arrive, or that a short
//!   join-then-leave on another node is ever seen (a full state only shows what is there).
//!
//! ```
//! use liveview_pubsub::{Presence, PubSub};
//! use serde_json::json;
//!
//! # actix::System::new().block_on(async {
//! let pubsub = PubSub::start();
//! let presence = Presence::start(&pubsub);
//! let me = presence.track("room:1", "ana", json!({"status": "typing"})).unwrap();
//! let list = presence.list("room:1");
//! assert_eq!(list["ana"][0].value, json!({"status": "typing"}));
//! drop(me); // untracks
//! assert!(presence.list("room:1").is_empty());
//! # });
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix::{Actor, AsyncContext, Context, Handler};
use serde::{Deserialize, Serialize};

use crate::broker::{Info, Subscription};
use crate::cluster::{LinkState, LINK_TOPIC};
use crate::pubsub::{PubSub, PubSubError};
use crate::topic::Topic;

/// One presence of a key: who tracked it and with what metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Unique for this presence (node and counter): a key tracked from two tabs has two metas.
    pub phx_ref: String,
    /// The node that tracked it.
    pub node: String,
    /// The metadata given to [`Presence::track`].
    pub value: serde_json::Value,
}

/// Who is on a topic: each key with its metas (one per `track`), in key order.
pub type PresenceList = BTreeMap<String, Vec<Meta>>;

/// What changed on a topic: metas that joined and metas that left, by key. Delivered to this
/// node's subscribers of [`Presence::diffs`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PresenceDiff {
    /// The topic.
    pub topic: String,
    /// New metas, by key.
    pub joins: PresenceList,
    /// Metas gone, by key.
    pub leaves: PresenceList,
}

impl PresenceDiff {
    /// Applies the diff to `list` (leaves first, then joins). Idempotent: a meta is added
    /// once (by `phx_ref`), and a key with no metas left is removed.
    pub fn apply_to(&self, list: &mut PresenceList) {
        for (key, gone) in &self.leaves {
            if let Some(metas) = list.get_mut(key) {
                metas.retain(|m| !gone.iter().any(|g| g.phx_ref == m.phx_ref));
                if metas.is_empty() {
                    list.remove(key);
                }
            }
        }
        for (key, new) in &self.joins {
            let metas = list.entry(key.clone()).or_default();
            for m in new {
                if !metas.iter().any(|x| x.phx_ref == m.phx_ref) {
                    metas.push(m.clone());
                }
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.joins.is_empty() && self.leaves.is_empty()
    }
}

/// Timings of [`Presence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresenceConfig {
    /// How often each node broadcasts its heartbeat (default 1 s).
    pub heartbeat: Duration,
    /// How long a node may stay silent before it is considered down (default 5 s).
    pub timeout: Duration,
}

impl Default for PresenceConfig {
    fn default() -> Self {
        Self {
            heartbeat: Duration::from_secs(1),
            timeout: Duration::from_secs(5),
        }
    }
}

/// One tracked presence, as replicated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    topic: String,
    key: String,
    meta: Meta,
}

/// What nodes tell each other.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Wire {
    Delta {
        from: Origin,
        seq: u64,
        joins: Vec<Entry>,
        leaves: Vec<String>,
    },
    Heartbeat {
        from: Origin,
        seq: u64,
    },
    SyncRequest {
        from: Origin,
    },
    State {
        from: Origin,
        seq: u64,
        entries: Vec<Entry>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Origin {
    node: String,
    incarnation: u64,
}

static REPLICATION: Topic<Wire> = Topic::tagged("liveview:presence", "liveview.Presence/1");

/// What one node knows of another's entries.
struct Replica {
    seq: u64,
    last_seen: Instant,
    entries: HashMap<String, Entry>,
    /// When this node last asked for the full state.
    asked: Option<Instant>,
}

struct State {
    seq: u64,
    next_ref: u64,
    /// This node's entries, by `phx_ref`.
    local: BTreeMap<String, Entry>,
    remote: HashMap<Origin, Replica>,
}

struct Shared {
    pubsub: PubSub,
    me: Origin,
    config: PresenceConfig,
    state: Mutex<State>,
}

/// Presence tracking on a [`PubSub`]: see the module docs for the algorithm and its
/// guarantees. Cheap to clone.
#[derive(Clone)]
pub struct Presence {
    shared: Arc<Shared>,
}

impl fmt::Debug for Presence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presence")
            .field("node", &self.shared.me.node)
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

/// Why [`Presence::track`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PresenceError {
    /// The metadata could not be turned into JSON.
    #[error("presence metadata is not JSON: {0}")]
    Meta(#[from] serde_json::Error),
}

/// A tracked presence: dropping it untracks (a view keeps it in its struct and drops it in
/// `terminate`; a crashed view's is dropped with it).
#[must_use = "dropping a Tracked untracks at once"]
pub struct Tracked {
    shared: Arc<Shared>,
    phx_ref: String,
}

impl fmt::Debug for Tracked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Tracked").field(&self.phx_ref).finish()
    }
}

impl Tracked {
    /// This presence's `phx_ref`.
    pub fn phx_ref(&self) -> &str {
        &self.phx_ref
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.shared.untrack(&self.phx_ref);
    }
}

impl Presence {
    /// Starts presence tracking on `pubsub`'s node with the default timings.
    ///
    /// # Panics
    ///
    /// Outside an actix system.
    pub fn start(pubsub: &PubSub) -> Self {
        Self::with_config(pubsub, PresenceConfig::default())
    }

    /// Starts presence tracking with the given timings.
    pub fn with_config(pubsub: &PubSub, config: PresenceConfig) -> Self {
        let node = pubsub.node_id();
        let shared = Arc::new(Shared {
            pubsub: pubsub.clone(),
            me: Origin {
                node: node.name().to_owned(),
                incarnation: node.incarnation(),
            },
            config,
            state: Mutex::new(State {
                seq: 0,
                next_ref: 1,
                local: BTreeMap::new(),
                remote: HashMap::new(),
            }),
        });
        let replicator = Replicator {
            shared: Arc::clone(&shared),
            subscriptions: Vec::new(),
        };
        replicator.start();
        Self { shared }
    }

    /// The local topic on which this node's presence diffs of `topic` are broadcast:
    /// subscribe a view to it (`socket.subscribe(&pubsub, &presence.diffs("room:1"))`).
    pub fn diffs(&self, topic: &str) -> Topic<PresenceDiff> {
        diff_topic(topic)
    }

    /// Tracks `key` on `topic` with `meta`, until the returned guard is dropped. The join is
    /// announced to this node's subscribers of [`Presence::diffs`] at once, and to the
    /// other nodes.
    pub fn track(
        &self,
        topic: &str,
        key: &str,
        meta: impl Serialize,
    ) -> Result<Tracked, PresenceError> {
        let value = serde_json::to_value(meta)?;
        let s = &*self.shared;
        let mut state = s.lock();
        let phx_ref = format!(
            "{}-{:x}-{}",
            s.me.node,
            s.me.incarnation & 0xffff_ffff,
            state.next_ref
        );
        state.next_ref += 1;
        let entry = Entry {
            topic: topic.to_owned(),
            key: key.to_owned(),
            meta: Meta {
                phx_ref: phx_ref.clone(),
                node: s.me.node.clone(),
                value,
            },
        };
        state.local.insert(phx_ref.clone(), entry.clone());
        state.seq += 1;
        let delta = Wire::Delta {
            from: s.me.clone(),
            seq: state.seq,
            joins: vec![entry.clone()],
            leaves: Vec::new(),
        };
        // Under the lock, so deltas leave in sequence order.
        s.send(delta);
        s.announce(diff_of(&[entry], &[]));
        drop(state);
        Ok(Tracked {
            shared: Arc::clone(&self.shared),
            phx_ref,
        })
    }

    /// Who is on `topic` now, on every node this node hears from.
    pub fn list(&self, topic: &str) -> PresenceList {
        let state = self.shared.lock();
        let mut list = PresenceList::new();
        let remote = state.remote.values().flat_map(|r| r.entries.values());
        for e in state.local.values().chain(remote) {
            if e.topic == topic {
                list.entry(e.key.clone()).or_default().push(e.meta.clone());
            }
        }
        list
    }
}

fn diff_topic(topic: &str) -> Topic<PresenceDiff> {
    Topic::owned(format!("liveview:presence_diff:{topic}")).with_tag("liveview.PresenceDiff/1")
}

/// The diffs, one per topic, of entries that joined and left.
fn diff_of(joins: &[Entry], leaves: &[Entry]) -> Vec<PresenceDiff> {
    let mut by_topic: BTreeMap<&str, PresenceDiff> = BTreeMap::new();
    for (entries, joining) in [(joins, true), (leaves, false)] {
        for e in entries {
            let d = by_topic.entry(&e.topic).or_insert_with(|| PresenceDiff {
                topic: e.topic.clone(),
                ..PresenceDiff::default()
            });
            let side = if joining { &mut d.joins } else { &mut d.leaves };
            side.entry(e.key.clone()).or_default().push(e.meta.clone());
        }
    }
    by_topic.into_values().filter(|d| !d.is_empty()).collect()
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Broadcasts to the other nodes (own frames come back and are ignored).
    fn send(&self, wire: Wire) {
        if let Err(e) = self.pubsub.broadcast(&REPLICATION, wire) {
            log::warn!("presence: could not broadcast a change: {e}; the heartbeat repairs it");
        }
    }

    fn send_to(&self, node: &str, wire: Wire) {
        match self.pubsub.direct_broadcast(node, &REPLICATION, wire) {
            Ok(()) | Err(PubSubError::NotClustered) => {}
            Err(e) => log::warn!("presence: could not reach node `{node}`: {e}"),
        }
    }

    fn announce(&self, diffs: Vec<PresenceDiff>) {
        for d in diffs {
            let topic = diff_topic(&d.topic);
            if let Err(e) = self.pubsub.local_broadcast(&topic, d) {
                log::warn!("presence: a diff on `{}` was dropped: {e}", topic.name());
            }
        }
    }

    fn untrack(&self, phx_ref: &str) {
        let mut state = self.lock();
        let Some(entry) = state.local.remove(phx_ref) else {
            return;
        };
        state.seq += 1;
        let delta = Wire::Delta {
            from: self.me.clone(),
            seq: state.seq,
            joins: Vec::new(),
            leaves: vec![phx_ref.to_owned()],
        };
        self.send(delta);
        self.announce(diff_of(&[], &[entry]));
    }

    /// Asks `from` for its full state, at most once per heartbeat.
    fn ask(&self, replica: &mut Replica, from: &Origin, now: Instant) {
        if replica
            .asked
            .is_some_and(|t| now.duration_since(t) < self.config.heartbeat)
        {
            return;
        }
        replica.asked = Some(now);
        self.send_to(
            &from.node,
            Wire::SyncRequest {
                from: self.me.clone(),
            },
        );
    }

    fn receive(&self, wire: Wire) {
        let now = Instant::now();
        let mut state = self.lock();
        match wire {
            Wire::Delta { from, .. } | Wire::Heartbeat { from, .. } | Wire::State { from, .. }
                if from == self.me =>
            {
                // Our own broadcast, back from the local broker.
            }
            Wire::SyncRequest { from } => {
                if from != self.me {
                    let entries = state.local.values().cloned().collect();
                    let reply = Wire::State {
                        from: self.me.clone(),
                        seq: state.seq,
                        entries,
                    };
                    self.send_to(&from.node, reply);
                }
            }
            Wire::Delta {
                from,
                seq,
                joins,
                leaves,
            } => {
                let replica = state.remote.entry(from.clone()).or_insert_with(|| Replica {
                    seq: 0,
                    last_seen: now,
                    entries: HashMap::new(),
                    asked: None,
                });
                replica.last_seen = now;
                if seq <= replica.seq {
                    return;
                }
                if seq != replica.seq + 1 {
                    self.ask(replica, &from, now);
                    return;
                }
                replica.seq = seq;
                let gone: Vec<Entry> = leaves
                    .iter()
                    .filter_map(|r| replica.entries.remove(r))
                    .collect();
                for e in &joins {
                    replica.entries.insert(e.meta.phx_ref.clone(), e.clone());
                }
                self.announce(diff_of(&joins, &gone));
            }
            Wire::Heartbeat { from, seq } => {
                let replica = state.remote.entry(from.clone()).or_insert_with(|| Replica {
                    seq: 0,
                    last_seen: now,
                    entries: HashMap::new(),
                    asked: None,
                });
                replica.last_seen = now;
                if seq != replica.seq {
                    self.ask(replica, &from, now);
                }
            }
            Wire::State { from, seq, entries } => {
                let replica = state.remote.entry(from).or_insert_with(|| Replica {
                    seq: 0,
                    last_seen: now,
                    entries: HashMap::new(),
                    asked: None,
                });
                replica.last_seen = now;
                replica.asked = None;
                if seq < replica.seq {
                    return;
                }
                replica.seq = seq;
                let new: HashMap<String, Entry> = entries
                    .into_iter()
                    .map(|e| (e.meta.phx_ref.clone(), e))
                    .collect();
                let gone: Vec<Entry> = replica
                    .entries
                    .iter()
                    .filter(|(r, _)| !new.contains_key(*r))
                    .map(|(_, e)| e.clone())
                    .collect();
                let joined: Vec<Entry> = new
                    .iter()
                    .filter(|(r, _)| !replica.entries.contains_key(*r))
                    .map(|(_, e)| e.clone())
                    .collect();
                replica.entries = new;
                self.announce(diff_of(&joined, &gone));
            }
        }
    }

    /// Broadcasts the heartbeat; removes the nodes silent for too long.
    fn tick(&self) {
        let now = Instant::now();
        let mut state = self.lock();
        self.send(Wire::Heartbeat {
            from: self.me.clone(),
            seq: state.seq,
        });
        let timeout = self.config.timeout;
        let down: Vec<Origin> = state
            .remote
            .iter()
            .filter(|(_, r)| now.duration_since(r.last_seen) > timeout)
            .map(|(o, _)| o.clone())
            .collect();
        for origin in down {
            if let Some(replica) = state.remote.remove(&origin) {
                let gone: Vec<Entry> = replica.entries.into_values().collect();
                if !gone.is_empty() {
                    log::info!(
                        "presence: node `{}` silent for {timeout:?}; its {} presence(s) left",
                        origin.node,
                        gone.len()
                    );
                }
                self.announce(diff_of(&[], &gone));
            }
        }
    }
}

/// The actor that hears other nodes and beats the heart.
struct Replicator {
    shared: Arc<Shared>,
    subscriptions: Vec<Subscription>,
}

impl Actor for Replicator {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.set_mailbox_capacity(4096);
        let pubsub = &self.shared.pubsub;
        let me = ctx.address();
        match pubsub.subscribe(&REPLICATION, me.clone().recipient::<Info<Wire>>()) {
            Ok(s) => self.subscriptions.push(s),
            Err(e) => log::error!("presence: could not subscribe to other nodes: {e}"),
        }
        match pubsub.subscribe(&LINK_TOPIC, me.recipient::<Info<LinkState>>()) {
            Ok(s) => self.subscriptions.push(s),
            Err(e) => log::warn!("presence: could not watch the link: {e}"),
        }
        ctx.run_interval(self.shared.config.heartbeat, |this, _| this.shared.tick());
    }
}

impl Handler<Info<Wire>> for Replicator {
    type Result = ();

    fn handle(&mut self, Info(wire): Info<Wire>, _: &mut Context<Self>) {
        self.shared.receive(wire);
    }
}

impl Handler<Info<LinkState>> for Replicator {
    type Result = ();

    fn handle(&mut self, Info(state): Info<LinkState>, _: &mut Context<Self>) {
        if state == LinkState::Up {
            // Back: announce ourselves at once instead of at the next tick.
            self.shared.tick();
        }
    }
}
