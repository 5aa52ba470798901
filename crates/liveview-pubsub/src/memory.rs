//! [`MemoryBus`]: an [`Adapter`] joining several [`PubSub`](crate::PubSub)s of one process,
//! for tests and examples of cluster behaviour without a broker.

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tokio::sync::mpsc;

use crate::cluster::{Adapter, DropCause, Frame, Link};

/// A bus in memory: every [`MemoryAdapter`] made from it reaches every other one, as nodes
/// reach each other through Redis.
///
/// Each adapter has a bounded outbound queue (full: the frame is refused and counted as
/// [`Dropped::queue_full`](crate::Dropped::queue_full)), drained by one task that hands each
/// frame to every node's [`Link::receive`] (the sender's too: its link ignores its own
/// frames, as with a Redis channel). [`MemoryBus::set_connected`] simulates losing the broker.
///
/// ```
/// use liveview_pubsub::{MemoryBus, PubSub, Topic};
///
/// static NEWS: Topic<String> = Topic::new("news");
///
/// # actix::System::new().block_on(async {
/// let bus = MemoryBus::new();
/// let a = PubSub::builder().node("a").adapter(bus.adapter()).start().unwrap();
/// let b = PubSub::builder().node("b").adapter(bus.adapter()).start().unwrap();
/// a.broadcast(&NEWS, "hello".to_owned()).unwrap();
/// # let _ = b;
/// # });
/// ```
#[derive(Clone, Default)]
pub struct MemoryBus {
    inner: Arc<BusInner>,
}

#[derive(Default)]
struct BusInner {
    links: Mutex<Vec<Link>>,
    down: AtomicBool,
    /// Nodes cut off from the others.
    isolated: Mutex<HashSet<String>>,
}

impl fmt::Debug for MemoryBus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let links = self.links();
        f.debug_struct("MemoryBus")
            .field(
                "nodes",
                &links
                    .iter()
                    .map(|l| l.node().to_string())
                    .collect::<Vec<_>>(),
            )
            .field("connected", &!self.inner.down.load(Ordering::Relaxed))
            .finish()
    }
}

impl MemoryBus {
    /// The default outbound queue of an adapter, in frames.
    pub const DEFAULT_QUEUE: usize = 1024;

    /// An empty bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// An adapter for one node, with an outbound queue of [`MemoryBus::DEFAULT_QUEUE`].
    pub fn adapter(&self) -> MemoryAdapter {
        self.adapter_with_queue(Self::DEFAULT_QUEUE)
    }

    /// An adapter for one node whose outbound queue holds `queue` frames (at least 1).
    pub fn adapter_with_queue(&self, queue: usize) -> MemoryAdapter {
        MemoryAdapter {
            bus: self.clone(),
            queue: queue.max(1),
            outbound: OnceLock::new(),
            node: OnceLock::new(),
        }
    }

    /// Connects or disconnects every node: while disconnected, adapters refuse frames
    /// ([`DropCause::Disconnected`]) and each node's link reports
    /// [`LinkState::Down`](crate::LinkState::Down).
    pub fn set_connected(&self, connected: bool) {
        self.inner.down.store(!connected, Ordering::Relaxed);
        for link in self.links() {
            link.set_connected(connected);
        }
    }

    /// Cuts the node named `node` off from the others (or reconnects it): its frames are
    /// refused ([`DropCause::Disconnected`]) and it receives none, while the other nodes go
    /// on; as a node that lost its Redis connection, or crashed, looks to the others.
    pub fn isolate(&self, node: &str, isolated: bool) {
        let mut set = self
            .inner
            .isolated
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if isolated {
            set.insert(node.to_owned());
        } else {
            set.remove(node);
        }
        drop(set);
        let up = !self.inner.down.load(Ordering::Relaxed);
        for link in self.links() {
            if link.node().name() == node {
                link.set_connected(up && !isolated);
            }
        }
    }

    fn is_isolated(&self, node: &str) -> bool {
        self.inner
            .isolated
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(node)
    }

    fn links(&self) -> Vec<Link> {
        self.inner
            .links
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// One node's side of a [`MemoryBus`].
pub struct MemoryAdapter {
    bus: MemoryBus,
    queue: usize,
    outbound: OnceLock<mpsc::Sender<(Option<String>, Frame)>>,
    node: OnceLock<String>,
}

impl fmt::Debug for MemoryAdapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryAdapter")
            .field("queue", &self.queue)
            .field("started", &self.outbound.get().is_some())
            .finish()
    }
}

impl MemoryAdapter {
    fn send(&self, target: Option<&str>, frame: Frame) -> Result<(), DropCause> {
        if self.bus.inner.down.load(Ordering::Relaxed)
            || self.node.get().is_some_and(|n| self.bus.is_isolated(n))
        {
            return Err(DropCause::Disconnected);
        }
        let Some(tx) = self.outbound.get() else {
            return Err(DropCause::Disconnected);
        };
        tx.try_send((target.map(str::to_owned), frame))
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => DropCause::QueueFull,
                mpsc::error::TrySendError::Closed(_) => DropCause::Disconnected,
            })
    }
}

impl Adapter for MemoryAdapter {
    fn start(&self, link: Link) {
        let (tx, mut rx) = mpsc::channel::<(Option<String>, Frame)>(self.queue);
        if self.outbound.set(tx).is_err() {
            log::warn!("pubsub: a MemoryAdapter was started twice; the second start is ignored");
            return;
        }
        let _ = self.node.set(link.node().name().to_owned());
        self.bus
            .inner
            .links
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(link.clone());
        link.set_connected(!self.bus.inner.down.load(Ordering::Relaxed));
        let bus = self.bus.clone();
        actix::spawn(async move {
            while let Some((target, frame)) = rx.recv().await {
                let mut n = 0;
                for to in bus.links() {
                    let name = to.node().name();
                    if bus.is_isolated(name) {
                        continue;
                    }
                    if target.is_none() || target.as_deref() == Some(name) {
                        to.receive(frame.as_bytes());
                        n += 1;
                    }
                }
                link.count_published(1);
                log::trace!("pubsub: memory bus delivered a frame to {n} node(s)");
            }
        });
    }

    fn broadcast(&self, frame: Frame) -> Result<(), DropCause> {
        self.send(None, frame)
    }

    fn direct_broadcast(&self, node: &str, frame: Frame) -> Result<(), DropCause> {
        self.send(Some(node), frame)
    }
}
