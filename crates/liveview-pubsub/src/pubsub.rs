//! [`PubSub`], the handle to a node's broker, and [`PubSubBuilder`].

use std::any::TypeId;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use actix::dev::SendError;
use actix::{Actor, Addr, MailboxError, Recipient};

use crate::broker::{
    decode_json, Backlog, Broadcast, BroadcastFrom, Info, PubSubActor, Subscribe, Subscriber,
    SubscriberCount, Subscription, To,
};
use crate::cluster::{
    random_u64, Adapter, Counters, DropCause, Dropped, Frame, Link, NodeId, Stats, MAX_NODE_NAME,
};
use crate::topic::{Payload, Topic};

/// Why a message or a subscription was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PubSubError {
    /// The broker's mailbox is full; the message was dropped (and logged).
    #[error("the pubsub broker's mailbox is full; the message was dropped")]
    Full,
    /// The broker has stopped.
    #[error("the pubsub broker has stopped")]
    Stopped,
    /// The message could not be serialized for other nodes (a serde error, logged), or its
    /// topic or tag is longer than 65,535 bytes; nothing was delivered.
    #[error("the message could not be encoded for other nodes")]
    Encode,
    /// [`PubSub::direct_broadcast`] to another node on a PubSub without a cluster adapter.
    #[error("no cluster adapter: other nodes cannot be reached")]
    NotClustered,
    /// A node name that is empty or longer than 255 bytes.
    #[error("a node name must be 1 to 255 bytes long")]
    InvalidNodeName,
}

impl<M> From<SendError<M>> for PubSubError {
    fn from(e: SendError<M>) -> Self {
        match e {
            SendError::Full(_) => Self::Full,
            SendError::Closed(_) => Self::Stopped,
        }
    }
}

/// Ids of subscriptions, unique in the process.
static NEXT_SUBSCRIPTION: AtomicU64 = AtomicU64::new(1);

/// A handle to a node's broker: cheap to clone, `Send + Sync`, so view factories can capture
/// it.
///
/// ```
/// use liveview_pubsub::{PubSub, Topic};
///
/// static NEWS: Topic<String> = Topic::new("news");
///
/// # actix::System::new().block_on(async {
/// let pubsub = PubSub::start();
/// // Nobody listens: the broker takes the message and delivers it to no one.
/// pubsub.broadcast(&NEWS, "hello".to_owned()).unwrap();
/// assert_eq!(pubsub.subscriber_count(&NEWS).await.unwrap(), 0);
/// assert_eq!(pubsub.node(), "local");
/// assert!(!pubsub.stats().clustered);
/// # });
/// ```
#[derive(Clone)]
pub struct PubSub {
    addr: Addr<PubSubActor>,
    backlog: usize,
    node: NodeId,
    counters: Arc<Counters>,
    adapter: Option<Arc<dyn Adapter>>,
}

impl fmt::Debug for PubSub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PubSub")
            .field("node", &self.node)
            .field("backlog", &self.backlog)
            .field("adapter", &self.adapter)
            .finish_non_exhaustive()
    }
}

/// Configures and starts a [`PubSub`]: [`PubSub::builder`].
#[derive(Debug)]
pub struct PubSubBuilder {
    capacity: usize,
    backlog: usize,
    node: Option<String>,
    adapter: Option<Arc<dyn Adapter>>,
}

impl PubSubBuilder {
    /// The broker's mailbox capacity (default [`PubSub::DEFAULT_CAPACITY`]); see
    /// [`PubSub::with_capacity`].
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// How many messages may wait for one subscriber whose mailbox is full (default
    /// [`PubSub::DEFAULT_BACKLOG`]); see [`PubSub::with_limits`].
    pub fn backlog(mut self, backlog: usize) -> Self {
        self.backlog = backlog;
        self
    }

    /// This node's name, 1 to 255 bytes; give each node of a cluster its own. Default:
    /// `local` without an adapter, `node-<16 random hex digits>` with one.
    pub fn node(mut self, name: impl Into<String>) -> Self {
        self.node = Some(name.into());
        self
    }

    /// Joins this node to others through `adapter` (for example `liveview-pubsub-redis`'s
    /// `RedisAdapter`); without one, the PubSub is local to this process.
    pub fn adapter(mut self, adapter: impl Adapter) -> Self {
        self.adapter = Some(Arc::new(adapter));
        self
    }

    /// Starts the broker on the current arbiter, then the adapter.
    ///
    /// # Errors
    ///
    /// [`PubSubError::InvalidNodeName`].
    ///
    /// # Panics
    ///
    /// Outside an actix system, as every actor start does.
    pub fn start(self) -> Result<PubSub, PubSubError> {
        let counters = Arc::new(Counters::default());
        let name = match self.node {
            Some(n) if n.is_empty() || n.len() > MAX_NODE_NAME => {
                return Err(PubSubError::InvalidNodeName)
            }
            Some(n) => n,
            None if self.adapter.is_some() => format!("node-{:016x}", random_u64()),
            None => "local".to_owned(),
        };
        let node = NodeId::new(name.into());
        let (capacity, backlog) = (self.capacity, self.backlog);
        let actor_counters = Arc::clone(&counters);
        let addr = PubSubActor::create(move |ctx| {
            ctx.set_mailbox_capacity(capacity);
            PubSubActor::new(backlog, actor_counters)
        });
        if let Some(adapter) = &self.adapter {
            adapter.start(Link::new(node.clone(), addr.clone(), Arc::clone(&counters)));
        }
        Ok(PubSub {
            addr,
            backlog,
            node,
            counters,
            adapter: self.adapter,
        })
    }
}

impl PubSub {
    /// The broker's default mailbox capacity.
    pub const DEFAULT_CAPACITY: usize = 1024;

    /// The default number of messages that may wait for one subscriber whose mailbox is full
    /// before it misses messages.
    pub const DEFAULT_BACKLOG: usize = 1024;

    /// A builder: node name, adapter, limits.
    ///
    /// ```
    /// use liveview_pubsub::{MemoryBus, PubSub};
    ///
    /// # actix::System::new().block_on(async {
    /// let bus = MemoryBus::new();
    /// let a = PubSub::builder().node("a").adapter(bus.adapter()).start().unwrap();
    /// assert_eq!(a.node(), "a");
    /// assert!(a.stats().clustered);
    /// # });
    /// ```
    pub fn builder() -> PubSubBuilder {
        PubSubBuilder {
            capacity: Self::DEFAULT_CAPACITY,
            backlog: Self::DEFAULT_BACKLOG,
            node: None,
            adapter: None,
        }
    }

    /// Starts a local broker (no adapter) on the current arbiter, with
    /// [`PubSub::DEFAULT_CAPACITY`].
    ///
    /// # Panics
    ///
    /// Outside an actix system, as every actor start does.
    pub fn start() -> Self {
        Self::with_capacity(Self::DEFAULT_CAPACITY)
    }

    /// Starts a local broker whose mailbox holds `capacity` messages (subscribes, broadcasts
    /// and frames from other nodes waiting to be handled); past that, [`PubSub::broadcast`]
    /// and [`PubSub::subscribe`] fail with [`PubSubError::Full`]. (actix lets each sender,
    /// here each clone of the handle, queue one message past the capacity.)
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_limits(capacity, Self::DEFAULT_BACKLOG)
    }

    /// Starts a local broker with a mailbox of `capacity` messages (see
    /// [`with_capacity`](PubSub::with_capacity)) where up to `backlog` messages may wait for
    /// each subscriber whose mailbox is full (see the crate docs); past that, the subscriber
    /// misses messages and is told.
    pub fn with_limits(capacity: usize, backlog: usize) -> Self {
        let started = Self::builder().capacity(capacity).backlog(backlog).start();
        // The default node name is valid, so a builder without one always starts.
        match started {
            Ok(pubsub) => pubsub,
            Err(e) => unreachable!("a PubSub without a node name starts: {e}"),
        }
    }

    /// This node's name.
    pub fn node(&self) -> &str {
        self.node.name()
    }

    /// This node: name and incarnation.
    pub fn node_id(&self) -> &NodeId {
        &self.node
    }

    /// How many messages, in all, subscribers of this broker missed because they fell a
    /// whole backlog behind.
    pub fn missed(&self) -> u64 {
        self.counters.missed.load(Ordering::Relaxed)
    }

    /// A snapshot of this node's counters: link state, reconnects, frames published and
    /// received, drops by cause, decode errors, the adapter's last error.
    pub fn stats(&self) -> Stats {
        let c = &*self.counters;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            node: self.node.clone(),
            clustered: self.adapter.is_some(),
            connected: c.connected.load(Ordering::Relaxed),
            reconnects: load(&c.reconnects),
            published: load(&c.published),
            received: load(&c.received),
            dropped: Dropped {
                queue_full: load(&c.queue_full),
                disconnected: load(&c.disconnected),
                inbound_full: load(&c.inbound_full),
                missed: load(&c.missed),
            },
            decode_errors: load(&c.decode_errors),
            tag_mismatches: load(&c.tag_mismatches),
            duplicate_node_frames: load(&c.duplicate_node_frames),
            last_error: c
                .last_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        }
    }

    /// The broker's address, to send it [`Broadcast`] (this node only) or
    /// [`SubscriberCount`] directly.
    pub fn addr(&self) -> &Addr<PubSubActor> {
        &self.addr
    }

    /// Subscribes `recipient` to `topic`: it receives `Info(M::from(message))` for every
    /// message broadcast there, on this node or another, after the broker handled this
    /// subscription, until the returned [`Subscription`] is dropped or the recipient's actor
    /// stops.
    ///
    /// While subscribed, the broker holds `recipient` (an actor that would stop once nobody
    /// holds its address keeps running). Views use `Socket::subscribe`, which keeps the
    /// subscription exactly as long as the view runs.
    pub fn subscribe<T, M>(
        &self,
        topic: &Topic<T>,
        recipient: Recipient<Info<M>>,
    ) -> Result<Subscription, PubSubError>
    where
        T: Payload,
        M: From<T> + Send + 'static,
    {
        let alive = Arc::new(());
        let name: Arc<str> = topic.name().into();
        let missed = Arc::new(AtomicU64::new(0));
        let id = NEXT_SUBSCRIPTION.fetch_add(1, Ordering::Relaxed);
        let subscriber = Subscriber {
            id,
            message_type: TypeId::of::<T>(),
            tag: topic.tag(),
            decode: decode_json::<T>,
            alive: Arc::downgrade(&alive),
            to: Box::new(To::<T, M> {
                recipient,
                backlog: Arc::new(Mutex::new(Backlog {
                    queue: VecDeque::new(),
                    draining: false,
                })),
                capacity: self.backlog,
                missed: Arc::clone(&missed),
                _message: PhantomData,
            }),
        };
        let msg = Subscribe {
            topic: Arc::clone(&name),
            subscriber,
        };
        self.addr.try_send(msg).map_err(|e| {
            log::warn!("pubsub: could not subscribe to `{name}`: {e}");
            PubSubError::from(e)
        })?;
        Ok(Subscription {
            id,
            topic: name,
            message_type: TypeId::of::<T>(),
            alive: Some(alive),
            broker: self.addr.clone(),
            missed,
        })
    }

    /// Broadcasts `message` to every subscriber of `topic`, on this node (the sender too,
    /// when it is subscribed) and, with an adapter, on every other node; without waiting.
    ///
    /// Fails, and logs, when this node's broker mailbox is full or the broker stopped (then
    /// nothing is sent anywhere), or when the message cannot be serialized for other nodes.
    /// When the adapter refuses the frame (its queue is full, or it is disconnected), the
    /// local subscribers still get the message; the drop is counted in
    /// [`PubSub::stats`].
    pub fn broadcast<T: Payload>(&self, topic: &Topic<T>, message: T) -> Result<(), PubSubError> {
        let frame = self.encode(topic, &message)?;
        self.local_broadcast(topic, message)?;
        if let (Some(adapter), Some(frame)) = (&self.adapter, frame) {
            self.count(adapter.broadcast(frame), topic.name());
        }
        Ok(())
    }

    /// As [`PubSub::broadcast`], but the subscriber holding `from` does not get it (a view
    /// broadcasting its own change, which it already applied). Other nodes' subscribers all
    /// get it.
    pub fn broadcast_from<T: Payload>(
        &self,
        from: &Subscription,
        topic: &Topic<T>,
        message: T,
    ) -> Result<(), PubSubError> {
        let frame = self.encode(topic, &message)?;
        let msg = BroadcastFrom {
            topic: topic.clone(),
            message,
            skip: from.id,
        };
        self.addr.try_send(msg).map_err(|e| {
            log::warn!("pubsub: dropped a broadcast on `{}`: {e}", topic.name());
            PubSubError::from(e)
        })?;
        if let (Some(adapter), Some(frame)) = (&self.adapter, frame) {
            self.count(adapter.broadcast(frame), topic.name());
        }
        Ok(())
    }

    /// Broadcasts `message` to the subscribers of `topic` on this node only, even when the
    /// PubSub has an adapter; nothing is serialized.
    pub fn local_broadcast<T>(&self, topic: &Topic<T>, message: T) -> Result<(), PubSubError>
    where
        T: Clone + Send + 'static,
    {
        let msg = Broadcast {
            topic: topic.clone(),
            message,
        };
        self.addr.try_send(msg).map_err(|e| {
            log::warn!("pubsub: dropped a broadcast on `{}`: {e}", topic.name());
            PubSubError::from(e)
        })
    }

    /// Broadcasts `message` to the subscribers of `topic` on the node named `node` only
    /// (this node when it is [`PubSub::node`]).
    ///
    /// Fails with [`PubSubError::NotClustered`] for another node when there is no adapter. A
    /// frame the adapter refuses is counted in [`PubSub::stats`]; a node that does not exist
    /// simply never receives it.
    pub fn direct_broadcast<T: Payload>(
        &self,
        node: &str,
        topic: &Topic<T>,
        message: T,
    ) -> Result<(), PubSubError> {
        if node == self.node.name() {
            return self.local_broadcast(topic, message);
        }
        let Some(adapter) = &self.adapter else {
            return Err(PubSubError::NotClustered);
        };
        let frame = self.encode_frame(topic, &message)?;
        self.count(adapter.direct_broadcast(node, frame), topic.name());
        Ok(())
    }

    /// How many live subscribers `topic` has on this node, once the broker handled what was
    /// sent to it before.
    pub async fn subscriber_count<T: 'static>(
        &self,
        topic: &Topic<T>,
    ) -> Result<usize, MailboxError> {
        self.addr.send(SubscriberCount::of(topic)).await
    }

    /// The frame for other nodes, when there is an adapter.
    fn encode<T: Payload>(
        &self,
        topic: &Topic<T>,
        message: &T,
    ) -> Result<Option<Frame>, PubSubError> {
        if self.adapter.is_none() {
            return Ok(None);
        }
        self.encode_frame(topic, message).map(Some)
    }

    fn encode_frame<T: Payload>(
        &self,
        topic: &Topic<T>,
        message: &T,
    ) -> Result<Frame, PubSubError> {
        let payload = serde_json::to_vec(message).map_err(|e| {
            log::warn!(
                "pubsub: could not serialize a `{}` for `{}`: {e}",
                topic.tag(),
                topic.name()
            );
            PubSubError::Encode
        })?;
        Frame::encode(&self.node, topic.name(), topic.tag(), &payload).ok_or_else(|| {
            log::warn!("pubsub: topic or tag too long to send: `{}`", topic.name());
            PubSubError::Encode
        })
    }

    fn count(&self, sent: Result<(), DropCause>, topic: &str) {
        if let Err(cause) = sent {
            self.counters.drop_cause(cause, 1);
            log::debug!("pubsub: a broadcast on `{topic}` stays on this node: {cause}");
        }
    }
}
