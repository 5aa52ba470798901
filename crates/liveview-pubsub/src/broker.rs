//! The broker actor, [`PubSubActor`]: topics, their subscribers, and delivery to each
//! subscriber through its bounded, ordered backlog.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use actix::dev::SendError;
use actix::{Actor, Addr, Context, Handler, Message, Recipient};

use crate::cluster::Counters;
use crate::topic::{Payload, Topic};

/// A typed message for a subscriber: what a [`Topic`] carried, converted to the subscriber's
/// type. A view receives it in `LiveView::handle_info`; timers and other actors send views the
/// same message.
#[derive(Debug, Clone, actix::Message)]
#[rtype(result = "()")]
pub struct Info<M: Send + 'static>(pub M);

/// A live subscription: while it exists, its subscriber receives what is broadcast on its
/// topic. Dropping it unsubscribes.
#[must_use = "dropping a Subscription unsubscribes at once"]
pub struct Subscription {
    pub(crate) id: u64,
    pub(crate) topic: Arc<str>,
    pub(crate) message_type: TypeId,
    pub(crate) alive: Option<Arc<()>>,
    pub(crate) broker: Addr<PubSubActor>,
    /// Messages this subscriber missed because its backlog was full, not yet taken.
    pub(crate) missed: Arc<AtomicU64>,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}

impl Subscription {
    /// The topic's name.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// Ends the subscription (the same as dropping it).
    pub fn unsubscribe(self) {}

    /// How many messages this subscriber missed since the last call, because it fell a whole
    /// backlog ([`PubSub::DEFAULT_BACKLOG`](crate::PubSub::DEFAULT_BACKLOG)) behind; resets
    /// the count. Views are told through `LiveView::handle_missed` instead.
    pub fn take_missed(&self) -> u64 {
        if self.missed.load(Ordering::Relaxed) == 0 {
            return 0;
        }
        self.missed.swap(0, Ordering::Relaxed)
    }

    /// Whether this subscription is to `topic` (same name, same message type).
    pub fn is_for<T: 'static>(&self, topic: &Topic<T>) -> bool {
        *self.topic == *topic.name() && self.message_type == TypeId::of::<T>()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        // The token dies first, so the broker sees it dead whenever it handles `Unsubscribe`;
        // if the broker is full, the next broadcast, subscribe or count on the topic prunes it.
        drop(self.alive.take());
        let msg = Unsubscribe {
            topic: Arc::clone(&self.topic),
        };
        if let Err(e) = self.broker.try_send(msg) {
            log::debug!("pubsub: unsubscribe from `{}` deferred: {e}", self.topic);
        }
    }
}

/// What delivering one message to one subscriber did.
pub(crate) enum Delivery {
    /// In the subscriber's mailbox.
    Sent,
    /// In the subscription's backlog, on its way.
    Queued,
    /// Dropped: the backlog is full.
    Missed,
    /// The subscriber is gone.
    Gone,
}

/// A subscriber's recipient, with the conversion from the topic's message type.
pub(crate) trait Deliver: Send {
    fn deliver(&self, msg: &dyn Any) -> Delivery;
    fn connected(&self) -> bool;
}

/// Messages waiting for room in a subscriber's mailbox, drained in order by one task.
pub(crate) struct Backlog<M> {
    pub(crate) queue: VecDeque<M>,
    /// A task is draining the queue; new messages join its end.
    pub(crate) draining: bool,
}

pub(crate) struct To<T, M: Send + 'static> {
    pub(crate) recipient: Recipient<Info<M>>,
    pub(crate) backlog: Arc<Mutex<Backlog<M>>>,
    pub(crate) capacity: usize,
    pub(crate) missed: Arc<AtomicU64>,
    pub(crate) _message: PhantomData<fn(T)>,
}

impl<T, M> Deliver for To<T, M>
where
    T: Clone + Send + 'static,
    M: From<T> + Send + 'static,
{
    fn deliver(&self, msg: &dyn Any) -> Delivery {
        let Some(msg) = msg.downcast_ref::<T>() else {
            // The broker matches types before delivering.
            return Delivery::Sent;
        };
        let mut backlog = self.backlog.lock().unwrap_or_else(PoisonError::into_inner);
        if backlog.draining {
            // Behind messages already waiting: keep the order.
            if backlog.queue.len() >= self.capacity {
                self.missed.fetch_add(1, Ordering::Relaxed);
                return Delivery::Missed;
            }
            backlog.queue.push_back(M::from(msg.clone()));
            return Delivery::Queued;
        }
        match self.recipient.try_send(Info(M::from(msg.clone()))) {
            Ok(()) => Delivery::Sent,
            Err(SendError::Full(Info(m))) => {
                backlog.queue.push_back(m);
                backlog.draining = true;
                actix::spawn(drain(self.recipient.clone(), Arc::clone(&self.backlog)));
                Delivery::Queued
            }
            Err(SendError::Closed(_)) => Delivery::Gone,
        }
    }

    fn connected(&self) -> bool {
        self.recipient.connected()
    }
}

/// Hands a backlog to its subscriber in order, each message once the mailbox takes it
/// (`send` waits for room and for the handler), until the backlog is empty or the subscriber
/// is gone.
async fn drain<M: Send + 'static>(recipient: Recipient<Info<M>>, backlog: Arc<Mutex<Backlog<M>>>) {
    loop {
        let next = {
            let mut b = backlog.lock().unwrap_or_else(PoisonError::into_inner);
            match b.queue.pop_front() {
                Some(m) => m,
                None => {
                    b.draining = false;
                    return;
                }
            }
        };
        if recipient.send(Info(next)).await.is_err() {
            let mut b = backlog.lock().unwrap_or_else(PoisonError::into_inner);
            b.queue.clear();
            b.draining = false;
            return;
        }
    }
}

/// Decodes a payload from another node into the subscriber's topic type.
pub(crate) type DecodeFn = fn(&[u8]) -> Result<Box<dyn Any + Send>, serde_json::Error>;

pub(crate) fn decode_json<T: Payload>(
    bytes: &[u8],
) -> Result<Box<dyn Any + Send>, serde_json::Error> {
    Ok(Box::new(serde_json::from_slice::<T>(bytes)?))
}

/// One subscriber of one topic, as the broker holds it.
pub(crate) struct Subscriber {
    pub(crate) id: u64,
    pub(crate) message_type: TypeId,
    pub(crate) tag: &'static str,
    pub(crate) decode: DecodeFn,
    pub(crate) alive: Weak<()>,
    pub(crate) to: Box<dyn Deliver>,
}

impl Subscriber {
    fn is_live(&self) -> bool {
        self.alive.strong_count() > 0 && self.to.connected()
    }
}

/// Subscribes a recipient to a topic: built by [`PubSub::subscribe`](crate::PubSub::subscribe).
pub struct Subscribe {
    pub(crate) topic: Arc<str>,
    pub(crate) subscriber: Subscriber,
}

impl fmt::Debug for Subscribe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscribe")
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}

impl Message for Subscribe {
    type Result = ();
}

/// Sent by a dropped [`Subscription`]: the broker forgets the topic's ended subscriptions.
#[derive(Debug)]
pub(crate) struct Unsubscribe {
    topic: Arc<str>,
}

impl Message for Unsubscribe {
    type Result = ();
}

/// Delivers `message` to every live subscriber of `topic` on this node; answers how many
/// received it.
///
/// [`PubSub::local_broadcast`](crate::PubSub::local_broadcast) sends it with `try_send`; send
/// it yourself (`addr.send(..).await`) to learn the count. It never leaves this node, even
/// when the [`PubSub`](crate::PubSub) has a cluster adapter.
#[derive(Debug, Clone)]
pub struct Broadcast<T> {
    /// Where.
    pub topic: Topic<T>,
    /// What; cloned once per subscriber (wrap large payloads in an `Arc`).
    pub message: T,
}

impl<T: Clone + Send + 'static> Message for Broadcast<T> {
    type Result = usize;
}

/// A local delivery that skips one subscription ([`PubSub::broadcast_from`](crate::PubSub::broadcast_from)).
#[derive(Debug)]
pub(crate) struct BroadcastFrom<T> {
    pub(crate) topic: Topic<T>,
    pub(crate) message: T,
    pub(crate) skip: u64,
}

impl<T: Clone + Send + 'static> Message for BroadcastFrom<T> {
    type Result = usize;
}

/// A frame from another node, for this node's subscribers.
#[derive(Debug)]
pub(crate) struct Remote {
    pub(crate) topic: Box<str>,
    pub(crate) tag: Box<str>,
    pub(crate) payload: Vec<u8>,
}

impl Message for Remote {
    type Result = ();
}

/// Answers how many live subscribers a topic has (dropping the ones that are gone).
#[derive(Debug, Clone)]
pub struct SubscriberCount {
    topic: Arc<str>,
    message_type: TypeId,
}

impl SubscriberCount {
    /// Counts the subscribers of `topic`.
    pub fn of<T: 'static>(topic: &Topic<T>) -> Self {
        Self {
            topic: topic.name().into(),
            message_type: TypeId::of::<T>(),
        }
    }
}

impl Message for SubscriberCount {
    type Result = usize;
}

/// The broker actor: topics and their subscribers. Reach it through
/// [`PubSub`](crate::PubSub).
pub struct PubSubActor {
    topics: HashMap<Arc<str>, Vec<Subscriber>>,
    /// Each subscription's backlog capacity.
    backlog: usize,
    /// Shared with the [`PubSub`](crate::PubSub) handles and the link.
    counters: Arc<Counters>,
}

impl fmt::Debug for PubSubActor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (topic, subs) in &self.topics {
            m.entry(topic, &subs.len());
        }
        m.finish()
    }
}

impl PubSubActor {
    pub(crate) fn new(backlog: usize, counters: Arc<Counters>) -> Self {
        Self {
            topics: HashMap::new(),
            backlog,
            counters,
        }
    }

    /// Drops the subscribers of `topic` that are gone, and the topic when none is left.
    fn prune(&mut self, topic: &str) {
        if let Some(subs) = self.topics.get_mut(topic) {
            subs.retain(Subscriber::is_live);
            if subs.is_empty() {
                self.topics.remove(topic);
            }
        }
    }

    /// Delivers `message` (a `T`) to the subscribers of `topic` that take `ty` (and whose id
    /// is not `skip`); answers how many got it.
    fn deliver(
        &mut self,
        topic: &str,
        ty: TypeId,
        type_name: &str,
        message: &dyn Any,
        skip: Option<u64>,
    ) -> usize {
        let Some(subs) = self.topics.get_mut(topic) else {
            return 0;
        };
        let (mut sent, mut missed) = (0_usize, 0_usize);
        subs.retain(|sub| {
            if !sub.is_live() {
                return false;
            }
            if sub.message_type != ty || skip == Some(sub.id) {
                return true;
            }
            match sub.to.deliver(message) {
                Delivery::Sent | Delivery::Queued => {
                    sent += 1;
                    true
                }
                Delivery::Missed => {
                    missed += 1;
                    true
                }
                Delivery::Gone => false,
            }
        });
        if subs.is_empty() {
            self.topics.remove(topic);
        }
        if missed > 0 {
            self.counters
                .missed
                .fetch_add(missed as u64, Ordering::Relaxed);
            log::warn!(
                "pubsub: {missed} subscriber(s) of `{topic}` missed a `{type_name}`: {} messages behind",
                self.backlog
            );
        }
        sent
    }
}

impl Actor for PubSubActor {
    type Context = Context<Self>;
}

impl Handler<Subscribe> for PubSubActor {
    type Result = ();

    fn handle(&mut self, msg: Subscribe, _: &mut Context<Self>) {
        self.prune(&msg.topic);
        if msg.subscriber.is_live() {
            self.topics
                .entry(msg.topic)
                .or_default()
                .push(msg.subscriber);
        }
    }
}

impl Handler<Unsubscribe> for PubSubActor {
    type Result = ();

    fn handle(&mut self, msg: Unsubscribe, _: &mut Context<Self>) {
        self.prune(&msg.topic);
    }
}

impl<T: Clone + Send + 'static> Handler<Broadcast<T>> for PubSubActor {
    type Result = usize;

    fn handle(&mut self, msg: Broadcast<T>, _: &mut Context<Self>) -> usize {
        let type_name = std::any::type_name::<T>();
        self.deliver(
            msg.topic.name(),
            TypeId::of::<T>(),
            type_name,
            &msg.message,
            None,
        )
    }
}

impl<T: Clone + Send + 'static> Handler<BroadcastFrom<T>> for PubSubActor {
    type Result = usize;

    fn handle(&mut self, msg: BroadcastFrom<T>, _: &mut Context<Self>) -> usize {
        let type_name = std::any::type_name::<T>();
        self.deliver(
            msg.topic.name(),
            TypeId::of::<T>(),
            type_name,
            &msg.message,
            Some(msg.skip),
        )
    }
}

impl Handler<Remote> for PubSubActor {
    type Result = ();

    fn handle(&mut self, msg: Remote, _: &mut Context<Self>) {
        self.prune(&msg.topic);
        let Some(subs) = self.topics.get(&*msg.topic) else {
            // Every node hears every broadcast and keeps what its subscribers want.
            return;
        };
        // Decode once per subscribed type whose tag matches.
        let mut decoded: Vec<(TypeId, &'static str)> = Vec::new();
        for sub in subs {
            if *sub.tag == *msg.tag && !decoded.iter().any(|(t, _)| *t == sub.message_type) {
                decoded.push((sub.message_type, sub.tag));
            }
        }
        if decoded.is_empty() {
            self.counters.tag_mismatches.fetch_add(1, Ordering::Relaxed);
            log::debug!(
                "pubsub: a frame on `{}` tagged `{}` matches no local subscriber's type",
                msg.topic,
                msg.tag
            );
            return;
        }
        let mut values: Vec<(TypeId, Box<dyn Any + Send>)> = Vec::with_capacity(decoded.len());
        for (ty, _) in decoded {
            let Some(decode) = subs.iter().find(|s| s.message_type == ty).map(|s| s.decode) else {
                continue;
            };
            match decode(&msg.payload) {
                Ok(v) => values.push((ty, v)),
                Err(e) => {
                    self.counters.decode_errors.fetch_add(1, Ordering::Relaxed);
                    log::warn!(
                        "pubsub: a frame on `{}` tagged `{}` did not decode: {e}",
                        msg.topic,
                        msg.tag
                    );
                }
            }
        }
        for (ty, value) in values {
            self.deliver(&msg.topic, ty, &msg.tag, &*value, None);
        }
    }
}

impl Handler<SubscriberCount> for PubSubActor {
    type Result = usize;

    fn handle(&mut self, msg: SubscriberCount, _: &mut Context<Self>) -> usize {
        self.prune(&msg.topic);
        self.topics.get(&msg.topic).map_or(0, |subs| {
            subs.iter()
                .filter(|s| s.message_type == msg.message_type)
                .count()
        })
    }
}
