//! The adapter seam: how a [`PubSub`](crate::PubSub) reaches the brokers of other nodes.
//!
//! The local broker always delivers to local subscribers itself, with nothing serialized. An
//! [`Adapter`] only carries [`Frame`]s: [`Adapter::broadcast`] to every other node,
//! [`Adapter::direct_broadcast`] to one named node, and it hands what other nodes sent to
//! [`Link::receive`], which decodes the frame and gives it to the local broker. So a node
//! whose adapter lost its broker keeps working alone, and an adapter is a transport, not a
//! second broker.

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use actix::Addr;
use serde::{Deserialize, Serialize};

use crate::broker::{PubSubActor, Remote};
use crate::topic::Topic;

/// A node: its configured name and a random id drawn when its [`PubSub`](crate::PubSub)
/// started (its *incarnation*). Two running nodes with the same name are told apart by the
/// incarnation; the duplicate is logged and counted ([`Stats::duplicate_node_frames`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodeId {
    name: Arc<str>,
    incarnation: u64,
}

impl NodeId {
    /// A node id with a fresh random incarnation.
    pub(crate) fn new(name: Arc<str>) -> Self {
        Self {
            name,
            incarnation: random_u64(),
        }
    }

    /// The node's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The random id drawn at start.
    pub fn incarnation(&self) -> u64 {
        self.incarnation
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{:016x}", self.name, self.incarnation)
    }
}

/// 64 random bits from the operating system, or, should it refuse, from the standard
/// library's per-process hash keys and the clock.
pub(crate) fn random_u64() -> u64 {
    let mut bytes = [0_u8; 8];
    if getrandom::getrandom(&mut bytes).is_ok() {
        return u64::from_le_bytes(bytes);
    }
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

/// The longest node name, in bytes.
pub const MAX_NODE_NAME: usize = 255;

/// One message on its way between nodes, encoded: the origin node, the topic, the type tag
/// and the payload (JSON).
///
/// The encoding (version 1) is: the byte `1`; the origin's name (one length byte, then
/// UTF-8); its incarnation (8 bytes, big endian); the topic and the tag (each two length bytes,
/// big endian, then UTF-8); then the payload to the end. Adapters move frames as opaque bytes
/// ([`Frame::as_bytes`]); cloning one is cheap.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame(Arc<[u8]>);

const FRAME_VERSION: u8 = 1;

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Decoded::parse(&self.0) {
            Ok(d) => f
                .debug_struct("Frame")
                .field("origin", &d.origin_name)
                .field("topic", &d.topic)
                .field("tag", &d.tag)
                .field("payload_len", &d.payload.len())
                .finish(),
            Err(_) => f.debug_tuple("Frame").field(&self.0.len()).finish(),
        }
    }
}

impl Frame {
    /// Encodes a frame; `None` when the topic or the tag is longer than 65,535 bytes.
    pub(crate) fn encode(origin: &NodeId, topic: &str, tag: &str, payload: &[u8]) -> Option<Self> {
        let (topic_len, tag_len) = (
            u16::try_from(topic.len()).ok()?,
            u16::try_from(tag.len()).ok()?,
        );
        let name = origin.name.as_bytes();
        // Node names are checked when the PubSub starts.
        let name_len = u8::try_from(name.len()).ok()?;
        let mut out = Vec::with_capacity(
            1 + 1 + name.len() + 8 + 4 + topic.len() + tag.len() + payload.len(),
        );
        out.push(FRAME_VERSION);
        out.push(name_len);
        out.extend_from_slice(name);
        out.extend_from_slice(&origin.incarnation.to_be_bytes());
        out.extend_from_slice(&topic_len.to_be_bytes());
        out.extend_from_slice(topic.as_bytes());
        out.extend_from_slice(&tag_len.to_be_bytes());
        out.extend_from_slice(tag.as_bytes());
        out.extend_from_slice(payload);
        Some(Self(out.into()))
    }

    /// The encoded bytes, to send.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The encoded length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the frame has no bytes (never true for a frame this crate encoded).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A frame taken apart, borrowing its bytes.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub(crate) origin_name: &'a str,
    pub(crate) incarnation: u64,
    pub(crate) topic: &'a str,
    pub(crate) tag: &'a str,
    pub(crate) payload: &'a [u8],
}

/// Why bytes are not a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed(&'static str);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl<'a> Decoded<'a> {
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Self, Malformed> {
        let mut rest = bytes;
        let mut take = |n: usize, what: &'static str| -> Result<&'a [u8], Malformed> {
            if rest.len() < n {
                return Err(Malformed(what));
            }
            let (head, tail) = rest.split_at(n);
            rest = tail;
            Ok(head)
        };
        if take(1, "empty frame")? != [FRAME_VERSION] {
            return Err(Malformed("unknown frame version"));
        }
        let name_len = usize::from(take(1, "truncated node name")?[0]);
        let origin_name = utf8(take(name_len, "truncated node name")?)?;
        let mut inc = [0_u8; 8];
        inc.copy_from_slice(take(8, "truncated incarnation")?);
        let topic_len = u16::from_be_bytes([
            take(1, "truncated topic")?[0],
            take(1, "truncated topic")?[0],
        ]);
        let topic = utf8(take(usize::from(topic_len), "truncated topic")?)?;
        let tag_len =
            u16::from_be_bytes([take(1, "truncated tag")?[0], take(1, "truncated tag")?[0]]);
        let tag = utf8(take(usize::from(tag_len), "truncated tag")?)?;
        Ok(Self {
            origin_name,
            incarnation: u64::from_be_bytes(inc),
            topic,
            tag,
            payload: rest,
        })
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, Malformed> {
    std::str::from_utf8(bytes).map_err(|_| Malformed("a name is not UTF-8"))
}

/// Why an adapter did not take a frame. The core counts it in [`Stats::dropped`]; it never
/// waits for room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DropCause {
    /// The adapter's outbound queue is full.
    #[error("the outbound queue is full")]
    QueueFull,
    /// The adapter is not connected to its broker (or not started).
    #[error("not connected to the other nodes")]
    Disconnected,
}

/// A transport to the other nodes of a cluster: Redis ([`liveview-pubsub-redis`]), or the
/// in-memory [`MemoryBus`](crate::MemoryBus) for tests.
///
/// [`liveview-pubsub-redis`]: https://docs.rs/liveview-pubsub-redis
///
/// Contract:
/// - [`start`](Adapter::start) is called once, inside the actix system, when the
///   [`PubSub`](crate::PubSub) starts; the adapter keeps the [`Link`] to hand frames in and
///   to report its state.
/// - `broadcast` and `direct_broadcast` never block and never grow memory without bound: a
///   full queue or a lost connection refuses the frame with a [`DropCause`].
/// - Frames of one node are sent in the order they were given.
/// - Every frame sent reaches [`Link::receive`] on every node that listens, the sender's
///   own node included or not: the link ignores the node's own frames.
pub trait Adapter: fmt::Debug + Send + Sync + 'static {
    /// Starts the transport (spawn its tasks on the current arbiter).
    fn start(&self, link: Link);

    /// Sends `frame` to every node.
    fn broadcast(&self, frame: Frame) -> Result<(), DropCause>;

    /// Sends `frame` to the node named `node` only.
    fn direct_broadcast(&self, node: &str, frame: Frame) -> Result<(), DropCause>;
}

/// The state of a node's link to the other nodes, broadcast on [`LINK_TOPIC`] to this node's
/// subscribers (never to other nodes) whenever it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    /// Connected: broadcasts reach the other nodes.
    Up,
    /// Disconnected: broadcasts reach this node's subscribers only, until the adapter
    /// reconnects (it keeps trying).
    Down,
}

/// The local topic on which a node announces [`LinkState`] changes: subscribe a view to it to
/// show "live updates paused" while the cluster link is down.
pub static LINK_TOPIC: Topic<LinkState> =
    Topic::tagged("liveview:pubsub:link", "liveview.LinkState/1");

/// The counters behind [`Stats`], shared by the handles, the broker and the adapter.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) connected: AtomicBool,
    pub(crate) reconnects: AtomicU64,
    pub(crate) published: AtomicU64,
    pub(crate) received: AtomicU64,
    pub(crate) queue_full: AtomicU64,
    pub(crate) disconnected: AtomicU64,
    pub(crate) inbound_full: AtomicU64,
    pub(crate) missed: AtomicU64,
    pub(crate) decode_errors: AtomicU64,
    pub(crate) tag_mismatches: AtomicU64,
    pub(crate) duplicate_node_frames: AtomicU64,
    pub(crate) last_error: Mutex<Option<String>>,
}

impl Counters {
    pub(crate) fn drop_cause(&self, cause: DropCause, n: u64) {
        match cause {
            DropCause::QueueFull => &self.queue_full,
            DropCause::Disconnected => &self.disconnected,
        }
        .fetch_add(n, Ordering::Relaxed);
    }
}

/// Messages dropped, by cause.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Dropped {
    /// Broadcasts to other nodes refused because the adapter's outbound queue was full.
    pub queue_full: u64,
    /// Broadcasts to other nodes refused, or lost on the way out, because the link was down.
    pub disconnected: u64,
    /// Frames from other nodes dropped because this node's broker mailbox was full.
    pub inbound_full: u64,
    /// Messages local subscribers missed because they fell a whole backlog behind (see
    /// [`PubSub::missed`](crate::PubSub::missed)).
    pub missed: u64,
}

impl Dropped {
    /// All drops together.
    pub fn total(&self) -> u64 {
        self.queue_full + self.disconnected + self.inbound_full + self.missed
    }
}

/// A snapshot of a node's PubSub counters: [`PubSub::stats`](crate::PubSub::stats).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// This node.
    pub node: NodeId,
    /// Whether an adapter was configured.
    pub clustered: bool,
    /// Whether the adapter is connected now (always false without an adapter).
    pub connected: bool,
    /// How many times the adapter connected again after losing its connection.
    pub reconnects: u64,
    /// Frames the adapter handed to its broker.
    pub published: u64,
    /// Frames received from other nodes (not counting this node's own).
    pub received: u64,
    /// Messages dropped, by cause.
    pub dropped: Dropped,
    /// Frames from other nodes that could not be decoded (malformed, or a payload that is not
    /// the subscriber's type).
    pub decode_errors: u64,
    /// Frames from other nodes for a topic with local subscribers, none of which expects the
    /// frame's type tag (nodes running different code: pin tags with [`Topic::with_tag`]).
    pub tag_mismatches: u64,
    /// Frames from another node that uses this node's name.
    pub duplicate_node_frames: u64,
    /// The adapter's last error, if any.
    pub last_error: Option<String>,
}

/// What an [`Adapter`] holds to reach its node: hand received frames in, report the
/// connection state, count. Cheap to clone.
#[derive(Clone)]
pub struct Link {
    inner: Arc<LinkInner>,
}

struct LinkInner {
    node: NodeId,
    broker: Addr<PubSubActor>,
    counters: Arc<Counters>,
    /// Incarnations of other nodes using this node's name, already logged.
    duplicates: Mutex<HashSet<u64>>,
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Link")
            .field("node", &self.inner.node)
            .finish_non_exhaustive()
    }
}

impl Link {
    pub(crate) fn new(node: NodeId, broker: Addr<PubSubActor>, counters: Arc<Counters>) -> Self {
        Self {
            inner: Arc::new(LinkInner {
                node,
                broker,
                counters,
                duplicates: Mutex::new(HashSet::new()),
            }),
        }
    }

    /// This node.
    pub fn node(&self) -> &NodeId {
        &self.inner.node
    }

    /// Hands a frame received from the broker to this node: this node's own frames are
    /// ignored; a frame that cannot be decoded is counted ([`Stats::decode_errors`]); the
    /// rest goes to the local broker without waiting, and is counted as dropped
    /// ([`Dropped::inbound_full`]) when the broker's mailbox is full.
    pub fn receive(&self, bytes: &[u8]) {
        let inner = &*self.inner;
        let frame = match Decoded::parse(bytes) {
            Ok(f) => f,
            Err(e) => {
                inner.counters.decode_errors.fetch_add(1, Ordering::Relaxed);
                log::warn!(
                    "pubsub: dropped a malformed frame ({} bytes): {e}",
                    bytes.len()
                );
                return;
            }
        };
        if frame.origin_name == inner.node.name() {
            if frame.incarnation == inner.node.incarnation {
                return;
            }
            inner
                .counters
                .duplicate_node_frames
                .fetch_add(1, Ordering::Relaxed);
            let first = {
                let mut seen = inner
                    .duplicates
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                // Bounded: a flood of made-up incarnations only makes the log repeat itself.
                if seen.len() >= 64 {
                    seen.clear();
                }
                seen.insert(frame.incarnation)
            };
            if first {
                log::error!(
                    "pubsub: another node is named `{}` too (incarnation {:016x}; this one is {:016x}): give each node its own name",
                    frame.origin_name,
                    frame.incarnation,
                    inner.node.incarnation
                );
            }
        }
        inner.counters.received.fetch_add(1, Ordering::Relaxed);
        let remote = Remote {
            topic: frame.topic.into(),
            tag: frame.tag.into(),
            payload: frame.payload.to_vec(),
        };
        if let Err(e) = inner.broker.try_send(remote) {
            inner.counters.inbound_full.fetch_add(1, Ordering::Relaxed);
            log::debug!(
                "pubsub: dropped a frame from `{}` on `{}`: {e}",
                frame.origin_name,
                frame.topic
            );
        }
    }

    /// Reports whether the adapter is connected; on a change, announces it on
    /// [`LINK_TOPIC`] to this node's subscribers and logs it.
    pub fn set_connected(&self, connected: bool) {
        let inner = &*self.inner;
        let was = inner.counters.connected.swap(connected, Ordering::Relaxed);
        if was == connected {
            return;
        }
        let state = if connected {
            log::info!("pubsub: node {} connected to the cluster", inner.node);
            LinkState::Up
        } else {
            log::warn!("pubsub: node {} lost its cluster link; broadcasts stay on this node until it reconnects", inner.node);
            LinkState::Down
        };
        let msg = crate::broker::Broadcast {
            topic: LINK_TOPIC.clone(),
            message: state,
        };
        if let Err(e) = inner.broker.try_send(msg) {
            log::warn!("pubsub: could not announce the link state {state:?}: {e}");
        }
    }

    /// Whether the adapter last reported itself connected.
    pub fn is_connected(&self) -> bool {
        self.inner.counters.connected.load(Ordering::Relaxed)
    }

    /// Counts a successful reconnection.
    pub fn count_reconnect(&self) {
        self.inner
            .counters
            .reconnects
            .fetch_add(1, Ordering::Relaxed);
    }

    /// Counts `n` frames handed to the broker.
    pub fn count_published(&self, n: u64) {
        self.inner
            .counters
            .published
            .fetch_add(n, Ordering::Relaxed);
    }

    /// Counts `n` frames dropped after the adapter had taken them (e.g. queued when the
    /// connection was lost).
    pub fn count_dropped(&self, cause: DropCause, n: u64) {
        self.inner.counters.drop_cause(cause, n);
    }

    /// Records the adapter's latest error (shown in [`Stats::last_error`]).
    pub fn record_error(&self, error: &dyn fmt::Display) {
        *self
            .inner
            .counters
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(error.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_round_trips_and_truncations_are_errors() {
        let node = NodeId {
            name: "a".into(),
            incarnation: 7,
        };
        let frame = Frame::encode(&node, "room:1", "tag", b"{\"x\":1}").unwrap();
        let d = Decoded::parse(frame.as_bytes()).unwrap();
        assert_eq!(
            (d.origin_name, d.incarnation, d.topic, d.tag, d.payload),
            ("a", 7, "room:1", "tag", &b"{\"x\":1}"[..])
        );
        let bytes = frame.as_bytes();
        // Every cut inside the header is an error, never a panic.
        let header = bytes.len() - 7;
        for n in 0..header {
            assert!(Decoded::parse(&bytes[..n]).is_err(), "{n}");
        }
        let mut other_version = bytes.to_vec();
        other_version[0] = 9;
        assert!(Decoded::parse(&other_version).is_err());
        assert!(format!("{frame:?}").contains("room:1"));
        let long = "x".repeat(70_000);
        assert!(Frame::encode(&node, &long, "t", b"").is_none());
    }
}
