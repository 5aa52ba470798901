//! A local publish/subscribe broker: views (and any actor) subscribe to typed [`Topic`]s and
//! receive what others broadcast on them as [`Info`] messages, that is, in
//! [`LiveView::handle_info`].
//!
//! - **The broker** is an ordinary actor, [`PubSubActor`], reached through the cheap, cloneable
//!   handle [`PubSub`]. There is no global broker: the app starts one ([`PubSub::start`], inside
//!   its actix system, e.g. at the top of `main`) and hands a clone to each view through the
//!   view's factory (`LiveConfig::live_with(path, move || Chat::new(pubsub.clone()))` in
//!   `liveview-http`; `LiveViewTest::builder(factory)` in tests). Two brokers never see each
//!   other's topics, so every test can start its own.
//! - **Topics are typed**: a [`Topic<T>`] names a channel carrying messages of type `T`;
//!   subscribers and broadcasters agree on `T` at compile time, and a subscriber whose info type
//!   is `M` receives `M::from(t)`, so a view with an `enum` info type can listen to several
//!   topics.
//! - **Subscribing** returns a [`Subscription`]; dropping it unsubscribes. A view calls
//!   [`Socket::subscribe`] during a connected `mount`: the socket keeps the subscription until
//!   the view stops (`Shutdown`, the socket closing, a crash loop it gives up on), and then
//!   releases it. A view that crashes and restarts subscribes again in its new `mount`; its
//!   old subscription ends with its old socket.
//! - **Ending**: the broker holds a subscriber's [`Recipient`] until its [`Subscription`] is
//!   dropped (dropping tells the broker at once) or its actor is gone
//!   ([`Recipient::connected`] is false; checked on every broadcast, subscribe and count).
//!   A view's socket drops its subscriptions when the view stops, so a stopped view is never
//!   delivered to, never counted, and not kept alive by the broker (its supervisor would
//!   otherwise restart it for as long as someone holds its address).
//! - **Lossless while subscribers keep up, bounded when they do not**: [`PubSub::broadcast`]
//!   hands the message to the broker with `try_send` (its mailbox holds
//!   [`PubSub::DEFAULT_CAPACITY`] messages; a full broker refuses the broadcast with
//!   [`PubSubError::Full`], so the broadcaster knows). The broker delivers to each subscriber
//!   with `try_send`; when the subscriber's mailbox is full, the message waits in that
//!   subscription's backlog (at most [`PubSub::DEFAULT_BACKLOG`] messages), which a task drains
//!   in order with back-pressure (`send(..).await`, one message at a time, as fast as the
//!   subscriber handles them). Only a subscriber whose backlog is full misses messages: they are
//!   counted ([`Subscription::take_missed`], [`PubSub::missed`]), logged, and a view is told
//!   through [`LiveView::handle_missed`](crate::LiveView::handle_missed), so it can reload its
//!   state. A slow subscriber never slows the others down or grows memory past its backlog.
//!
//! ```
//! use actix::{Actor, Context, Handler};
//! use liveview_session::{Info, PubSub, Topic};
//!
//! #[derive(Debug, Clone, PartialEq)]
//! struct Price(u32);
//!
//! static PRICES: Topic<Price> = Topic::new("prices");
//!
//! // Any actor handling `Info<M>` can subscribe (views do it through `Socket::subscribe`).
//! #[derive(Default)]
//! struct Ticker(Vec<u32>);
//! impl Actor for Ticker { type Context = Context<Self>; }
//! impl Handler<Info<Price>> for Ticker {
//!     type Result = ();
//!     fn handle(&mut self, Info(Price(p)): Info<Price>, _: &mut Context<Self>) { self.0.push(p) }
//! }
//!
//! # actix::System::new().block_on(async {
//! let pubsub = PubSub::start();
//! let ticker = Ticker::default().start();
//! let subscription = pubsub.subscribe(&PRICES, ticker.clone().recipient()).unwrap();
//! assert_eq!(pubsub.subscriber_count(&PRICES).await.unwrap(), 1);
//!
//! pubsub.broadcast(&PRICES, Price(42)).unwrap();
//!
//! drop(subscription);
//! assert_eq!(pubsub.subscriber_count(&PRICES).await.unwrap(), 0);
//! # });
//! ```

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use actix::dev::SendError;
use actix::{Actor, Addr, Context, Handler, MailboxError, Message, Recipient};

use crate::error::ViewError;
use crate::message::Info;
use crate::view::{LiveView, Socket};

/// A named channel carrying messages of type `T`.
///
/// Two topics with the same name but different message types are different channels.
///
/// ```
/// use liveview_session::Topic;
///
/// #[derive(Clone)]
/// struct Message(String);
///
/// static LOBBY: Topic<Message> = Topic::new("chat:lobby");
/// let room: Topic<Message> = Topic::owned(format!("chat:room:{}", 42));
/// assert_eq!(LOBBY.name(), "chat:lobby");
/// assert_eq!(room.name(), "chat:room:42");
/// ```
pub struct Topic<T> {
    name: Cow<'static, str>,
    _message: PhantomData<fn() -> T>,
}

impl<T> Topic<T> {
    /// A topic with a fixed name; usable in a `static`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            _message: PhantomData,
        }
    }

    /// A topic whose name is built at run time (`format!("room:{id}")`).
    pub fn owned(name: impl Into<String>) -> Self {
        Self {
            name: Cow::Owned(name.into()),
            _message: PhantomData,
        }
    }

    /// The topic's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<T> Clone for Topic<T> {
    fn clone(&self) -> Self {
        Self {
            name: self.name.clone(),
            _message: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Topic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Topic")
            .field(&self.name)
            .field(&std::any::type_name::<T>())
            .finish()
    }
}

impl<T> PartialEq for Topic<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T> Eq for Topic<T> {}

/// Why the broker did not take a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PubSubError {
    /// The broker's mailbox is full; the message was dropped (and logged).
    #[error("the pubsub broker's mailbox is full; the message was dropped")]
    Full,
    /// The broker has stopped.
    #[error("the pubsub broker has stopped")]
    Stopped,
}

impl<M> From<SendError<M>> for PubSubError {
    fn from(e: SendError<M>) -> Self {
        match e {
            SendError::Full(_) => Self::Full,
            SendError::Closed(_) => Self::Stopped,
        }
    }
}

impl From<PubSubError> for ViewError {
    fn from(e: PubSubError) -> Self {
        ViewError::other(e)
    }
}

/// A live subscription: while it exists, its subscriber receives what is broadcast on its
/// topic. Dropping it unsubscribes.
#[must_use = "dropping a Subscription unsubscribes at once"]
pub struct Subscription {
    topic: Arc<str>,
    message_type: TypeId,
    alive: Option<Arc<()>>,
    broker: Addr<PubSubActor>,
    /// Messages this subscriber missed because its backlog was full, not yet taken.
    missed: Arc<AtomicU64>,
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

    /// How many messages this subscriber missed since the last call, because it fell
    /// [`PubSub::DEFAULT_BACKLOG`] messages behind; resets the count. Views are told through
    /// [`LiveView::handle_missed`](crate::LiveView::handle_missed) instead.
    pub fn take_missed(&self) -> u64 {
        if self.missed.load(Ordering::Relaxed) == 0 {
            return 0;
        }
        self.missed.swap(0, Ordering::Relaxed)
    }

    fn is_for<T: 'static>(&self, topic: &Topic<T>) -> bool {
        *self.topic == *topic.name && self.message_type == TypeId::of::<T>()
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
enum Delivery {
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
trait Deliver: Send {
    fn deliver(&self, msg: &dyn Any) -> Delivery;
    fn connected(&self) -> bool;
}

/// Messages waiting for room in a subscriber's mailbox, drained in order by one task.
struct Backlog<M> {
    queue: VecDeque<M>,
    /// A task is draining the queue; new messages join its end.
    draining: bool,
}

struct To<T, M: Send + 'static> {
    recipient: Recipient<Info<M>>,
    backlog: Arc<Mutex<Backlog<M>>>,
    capacity: usize,
    missed: Arc<AtomicU64>,
    _message: PhantomData<fn(T)>,
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

/// One subscriber of one topic, as the broker holds it.
struct Subscriber {
    message_type: TypeId,
    alive: Weak<()>,
    to: Box<dyn Deliver>,
}

impl Subscriber {
    fn is_live(&self) -> bool {
        self.alive.strong_count() > 0 && self.to.connected()
    }
}

/// Subscribes a recipient to a topic: built by [`PubSub::subscribe`].
pub struct Subscribe {
    topic: Arc<str>,
    subscriber: Subscriber,
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
struct Unsubscribe {
    topic: Arc<str>,
}

impl Message for Unsubscribe {
    type Result = ();
}

/// Delivers `message` to every live subscriber of `topic`; answers how many received it.
///
/// [`PubSub::broadcast`] sends it with `try_send`; send it yourself (`addr.send(..).await`)
/// to learn the count.
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

/// The broker actor: topics and their subscribers. Reach it through [`PubSub`].
pub struct PubSubActor {
    topics: HashMap<Arc<str>, Vec<Subscriber>>,
    /// Each subscription's backlog capacity.
    backlog: usize,
    /// Messages subscribers missed, shared with the [`PubSub`] handles.
    missed: Arc<AtomicU64>,
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
    /// Drops the subscribers of `topic` that are gone, and the topic when none is left.
    fn prune(&mut self, topic: &str) {
        if let Some(subs) = self.topics.get_mut(topic) {
            subs.retain(Subscriber::is_live);
            if subs.is_empty() {
                self.topics.remove(topic);
            }
        }
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
        let topic = msg.topic.name();
        let Some(subs) = self.topics.get_mut(topic) else {
            return 0;
        };
        let (mut sent, mut missed) = (0_usize, 0_usize);
        subs.retain(|sub| {
            if !sub.is_live() {
                return false;
            }
            if sub.message_type != TypeId::of::<T>() {
                return true;
            }
            match sub.to.deliver(&msg.message) {
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
            self.missed.fetch_add(missed as u64, Ordering::Relaxed);
            log::warn!(
                "pubsub: {missed} subscriber(s) of `{topic}` missed a `{}`: {} messages behind",
                std::any::type_name::<T>(),
                self.backlog
            );
        }
        sent
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

/// A handle to a [`PubSubActor`]: cheap to clone, `Send + Sync`, so view factories can capture
/// it.
///
/// ```
/// use liveview_session::{PubSub, Topic};
///
/// static NEWS: Topic<String> = Topic::new("news");
///
/// # actix::System::new().block_on(async {
/// let pubsub = PubSub::start();
/// // Nobody listens: the broker takes the message and delivers it to no one.
/// pubsub.broadcast(&NEWS, "hello".to_owned()).unwrap();
/// assert_eq!(pubsub.subscriber_count(&NEWS).await.unwrap(), 0);
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct PubSub {
    addr: Addr<PubSubActor>,
    backlog: usize,
    missed: Arc<AtomicU64>,
}

impl PubSub {
    /// The broker's default mailbox capacity.
    pub const DEFAULT_CAPACITY: usize = 1024;

    /// The default number of messages that may wait for one subscriber whose mailbox is full
    /// before it misses messages.
    pub const DEFAULT_BACKLOG: usize = 1024;

    /// Starts a broker on the current arbiter, with [`PubSub::DEFAULT_CAPACITY`].
    ///
    /// # Panics
    ///
    /// Outside an actix system, as every actor start does.
    pub fn start() -> Self {
        Self::with_capacity(Self::DEFAULT_CAPACITY)
    }

    /// Starts a broker whose mailbox holds `capacity` messages (subscribes and broadcasts
    /// waiting to be handled); past that, [`PubSub::broadcast`] and [`PubSub::subscribe`] fail
    /// with [`PubSubError::Full`]. (actix lets each sender, here each clone of the handle,
    /// queue one message past the capacity.)
    pub fn with_capacity(capacity: usize) -> Self {
        Self::with_limits(capacity, Self::DEFAULT_BACKLOG)
    }

    /// Starts a broker with a mailbox of `capacity` messages (see
    /// [`with_capacity`](PubSub::with_capacity)) where up to `backlog` messages may wait for
    /// each subscriber whose mailbox is full (see the module docs); past that, the subscriber
    /// misses messages and is told.
    pub fn with_limits(capacity: usize, backlog: usize) -> Self {
        let missed = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&missed);
        let addr = PubSubActor::create(move |ctx| {
            ctx.set_mailbox_capacity(capacity);
            PubSubActor {
                topics: HashMap::new(),
                backlog,
                missed: counter,
            }
        });
        Self {
            addr,
            backlog,
            missed,
        }
    }

    /// How many messages, in all, subscribers of this broker missed because they fell a
    /// whole backlog behind.
    pub fn missed(&self) -> u64 {
        self.missed.load(Ordering::Relaxed)
    }

    /// The broker's address, to send it [`Broadcast`] or [`SubscriberCount`] directly.
    pub fn addr(&self) -> &Addr<PubSubActor> {
        &self.addr
    }

    /// Subscribes `recipient` to `topic`: it receives `Info(M::from(message))` for every
    /// message broadcast there after the broker handled this subscription, until the returned
    /// [`Subscription`] is dropped or the recipient's actor stops.
    ///
    /// While subscribed, the broker holds `recipient` (an actor that would stop once nobody
    /// holds its address keeps running). Views use [`Socket::subscribe`], which keeps the
    /// subscription exactly as long as the view runs.
    pub fn subscribe<T, M>(
        &self,
        topic: &Topic<T>,
        recipient: Recipient<Info<M>>,
    ) -> Result<Subscription, PubSubError>
    where
        T: Clone + Send + 'static,
        M: From<T> + Send + 'static,
    {
        let alive = Arc::new(());
        let name: Arc<str> = topic.name().into();
        let missed = Arc::new(AtomicU64::new(0));
        let subscriber = Subscriber {
            message_type: TypeId::of::<T>(),
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
            topic: name,
            message_type: TypeId::of::<T>(),
            alive: Some(alive),
            broker: self.addr.clone(),
            missed,
        })
    }

    /// Broadcasts `message` to every subscriber of `topic` (the sender too, when it is
    /// subscribed), without waiting. Fails, and logs, when the broker's mailbox is full or the
    /// broker stopped; a subscriber whose mailbox is full misses the message (logged by the
    /// broker).
    pub fn broadcast<T>(&self, topic: &Topic<T>, message: T) -> Result<(), PubSubError>
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

    /// How many live subscribers `topic` has, once the broker handled what was sent to it
    /// before.
    pub async fn subscriber_count<T: 'static>(
        &self,
        topic: &Topic<T>,
    ) -> Result<usize, MailboxError> {
        self.addr.send(SubscriberCount::of(topic)).await
    }
}

impl<V: LiveView> Socket<V> {
    /// Subscribes this view to `topic` for as long as it runs: every message broadcast there
    /// reaches [`LiveView::handle_info`] as `V::Info::from(message)`.
    ///
    /// Call it in `mount`. It does nothing in the dead render (the page is not connected; there
    /// is no view actor to deliver to), and nothing when the view is already subscribed to
    /// `topic`. The subscription ends when the view stops (the client left, the socket closed,
    /// a crash loop was given up on); after a crash, the restarted view's `mount` subscribes
    /// again.
    ///
    /// ```
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::{Assigns, LiveView, Params, PubSub, Session, Socket, Topic, ViewError};
    ///
    /// static SCORES: Topic<u32> = Topic::new("scores");
    ///
    /// struct Scoreboard { pubsub: PubSub }
    ///
    /// impl LiveView for Scoreboard {
    ///     type Info = u32;
    ///     type Event = ();
    ///
    ///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.subscribe(&self.pubsub, &SCORES)?;
    ///         socket.assign("score", 0_u32);
    ///         Ok(())
    ///     }
    ///
    ///     fn handle_info(&mut self, score: u32, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.assign("score", score);
    ///         Ok(())
    ///     }
    ///
    ///     fn render(&self, assigns: &Assigns) -> Rendered {
    ///         let score: u32 = assigns.get("score");
    ///         html! { b #score { (score) } }
    ///     }
    /// }
    /// ```
    pub fn subscribe<T>(&mut self, pubsub: &PubSub, topic: &Topic<T>) -> Result<(), PubSubError>
    where
        T: Clone + Send + 'static,
        V::Info: From<T>,
    {
        let Some(recipient) = self.recipient() else {
            return Ok(());
        };
        if self.subscriptions_mut().iter().any(|s| s.is_for(topic)) {
            return Ok(());
        }
        let subscription = pubsub.subscribe(topic, recipient)?;
        self.subscriptions_mut().push(subscription);
        Ok(())
    }

    /// Ends this view's subscription to `topic`, if it has one.
    pub fn unsubscribe<T: 'static>(&mut self, topic: &Topic<T>) {
        self.subscriptions_mut().retain(|s| !s.is_for(topic));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use actix::{ActorContext, AsyncContext, WrapFuture};
    use liveview_diff::{html, Rendered};
    use serde_json::Value;

    use super::*;
    use crate::message::{HandleEvent, Mount, PushKind, Shutdown, ViewPush};
    use crate::view::{dead_render, Assigns, Params, Session};
    use crate::view_actor::{start_view, SpawnArgs};

    #[derive(Debug, Clone, PartialEq)]
    struct Note(&'static str);

    static NOTES: Topic<Note> = Topic::new("notes");

    /// Records the notes it receives; `Block` stops it from reading its mailbox.
    struct Probe {
        got: Vec<&'static str>,
        capacity: usize,
    }

    impl Probe {
        fn start(capacity: usize) -> Addr<Probe> {
            Probe {
                got: Vec::new(),
                capacity,
            }
            .start()
        }
    }

    impl Actor for Probe {
        type Context = Context<Self>;
        fn started(&mut self, ctx: &mut Context<Self>) {
            ctx.set_mailbox_capacity(self.capacity);
        }
    }

    impl Handler<Info<Note>> for Probe {
        type Result = ();
        fn handle(&mut self, Info(Note(n)): Info<Note>, _: &mut Context<Self>) {
            self.got.push(n);
        }
    }

    struct Take;
    impl Message for Take {
        type Result = Vec<&'static str>;
    }
    impl Handler<Take> for Probe {
        type Result = actix::MessageResult<Take>;
        fn handle(&mut self, _: Take, _: &mut Context<Self>) -> Self::Result {
            actix::MessageResult(std::mem::take(&mut self.got))
        }
    }

    struct Block;
    impl Message for Block {
        type Result = ();
    }
    impl Handler<Block> for Probe {
        type Result = ();
        fn handle(&mut self, _: Block, ctx: &mut Context<Self>) {
            ctx.wait(actix_rt::time::sleep(Duration::from_secs(3600)).into_actor(self));
        }
    }

    struct Stop;
    impl Message for Stop {
        type Result = ();
    }
    impl Handler<Stop> for Probe {
        type Result = ();
        fn handle(&mut self, _: Stop, ctx: &mut Context<Self>) {
            ctx.stop();
        }
    }

    async fn broadcast(pubsub: &PubSub, note: &'static str) -> usize {
        let msg = Broadcast {
            topic: NOTES.clone(),
            message: Note(note),
        };
        pubsub.addr().send(msg).await.expect("broker running")
    }

    #[actix_rt::test]
    async fn a_broadcast_reaches_every_subscriber_of_its_topic_and_type_only() {
        let pubsub = PubSub::start();
        let (a, b, other_topic) = (Probe::start(16), Probe::start(16), Probe::start(16));
        let _sa = pubsub.subscribe(&NOTES, a.clone().recipient()).unwrap();
        let _sb = pubsub.subscribe(&NOTES, b.clone().recipient()).unwrap();
        let _so = pubsub
            .subscribe(
                &Topic::<Note>::new("elsewhere"),
                other_topic.clone().recipient(),
            )
            .unwrap();
        // Same name, another message type: another channel.
        let strings: Topic<String> = Topic::new("notes");
        pubsub.broadcast(&strings, "not a note".to_owned()).unwrap();

        assert_eq!(broadcast(&pubsub, "hello").await, 2);
        assert_eq!(a.send(Take).await.unwrap(), ["hello"]);
        assert_eq!(b.send(Take).await.unwrap(), ["hello"]);
        assert!(other_topic.send(Take).await.unwrap().is_empty());
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 2);
        assert_eq!(pubsub.subscriber_count(&strings).await.unwrap(), 0);
    }

    #[actix_rt::test]
    async fn dropping_the_subscription_unsubscribes() {
        let pubsub = PubSub::start();
        let probe = Probe::start(16);
        let sub = pubsub.subscribe(&NOTES, probe.clone().recipient()).unwrap();
        assert_eq!(sub.topic(), "notes");
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 1);
        sub.unsubscribe();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 0);
        assert_eq!(broadcast(&pubsub, "late").await, 0);
        assert!(probe.send(Take).await.unwrap().is_empty());
    }

    #[actix_rt::test]
    async fn a_subscriber_whose_actor_stopped_is_forgotten() {
        let pubsub = PubSub::start();
        let probe = Probe::start(16);
        let _sub = pubsub.subscribe(&NOTES, probe.clone().recipient()).unwrap();
        probe.send(Stop).await.unwrap();
        while probe.connected() {
            actix_rt::task::yield_now().await;
        }
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 0);
        assert_eq!(broadcast(&pubsub, "gone").await, 0);
    }

    /// Blocks the probe until the sender side is dropped or used.
    struct BlockUntil(tokio::sync::oneshot::Receiver<()>);
    impl Message for BlockUntil {
        type Result = ();
    }
    impl Handler<BlockUntil> for Probe {
        type Result = ();
        fn handle(&mut self, BlockUntil(gate): BlockUntil, ctx: &mut Context<Self>) {
            ctx.wait(
                async move {
                    let _ = gate.await;
                }
                .into_actor(self),
            );
        }
    }

    /// Everything `probe` receives until it has `n` notes (5 s at most).
    async fn take_until(probe: &Addr<Probe>, n: usize) -> Vec<&'static str> {
        let mut got = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while got.len() < n {
            assert!(std::time::Instant::now() < deadline, "only {got:?} of {n}");
            got.extend(probe.send(Take).await.unwrap());
            actix_rt::task::yield_now().await;
        }
        got
    }

    const EIGHT: [&str; 8] = ["1", "2", "3", "4", "5", "6", "7", "8"];

    #[actix_rt::test]
    async fn a_full_subscriber_mailbox_queues_messages_in_order_without_loss() {
        let pubsub = PubSub::start();
        let slow = Probe::start(2);
        let fast = Probe::start(16);
        let _s1 = pubsub.subscribe(&NOTES, slow.clone().recipient()).unwrap();
        let _s2 = pubsub.subscribe(&NOTES, fast.clone().recipient()).unwrap();
        let (open, gate) = tokio::sync::oneshot::channel();
        slow.send(BlockUntil(gate)).await.unwrap();
        let mut delivered = Vec::new();
        for note in EIGHT {
            delivered.push(broadcast(&pubsub, note).await);
        }
        // The slow mailbox takes its capacity (2); the rest waits in its backlog.
        assert_eq!(delivered, [2; 8]);
        assert_eq!(take_until(&fast, 8).await, EIGHT);
        let _ = open.send(());
        assert_eq!(take_until(&slow, 8).await, EIGHT);
        assert_eq!((pubsub.missed(), _s1.take_missed()), (0, 0));
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 2);
    }

    #[actix_rt::test]
    async fn a_subscriber_a_whole_backlog_behind_misses_messages_and_is_told_how_many() {
        let pubsub = PubSub::with_limits(PubSub::DEFAULT_CAPACITY, 3);
        let slow = Probe::start(2);
        let fast = Probe::start(16);
        let s1 = pubsub.subscribe(&NOTES, slow.clone().recipient()).unwrap();
        let _s2 = pubsub.subscribe(&NOTES, fast.clone().recipient()).unwrap();
        let (open, gate) = tokio::sync::oneshot::channel();
        slow.send(BlockUntil(gate)).await.unwrap();
        for note in EIGHT {
            broadcast(&pubsub, note).await;
        }
        assert_eq!(take_until(&fast, 8).await, EIGHT);
        let missed = s1.take_missed();
        // A mailbox of 2 (and the one message actix lets a sender add past it) and a backlog
        // of 3 hold at most 6 of the 8.
        assert!((2..=3).contains(&missed), "missed {missed}");
        assert_eq!(pubsub.missed(), missed);
        let _ = open.send(());
        let n = 8 - missed as usize;
        // What arrives is the beginning of the stream, in order: the misses are its end.
        assert_eq!(take_until(&slow, n).await, EIGHT[..n]);
        assert_eq!(s1.take_missed(), 0);
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 2);
    }

    #[actix_rt::test]
    async fn a_full_broker_refuses_broadcasts_instead_of_buffering_them() {
        let pubsub = PubSub::with_capacity(2);
        // Nothing runs the broker until this test yields, so its mailbox fills up.
        assert_eq!(pubsub.broadcast(&NOTES, Note("1")), Ok(()));
        assert_eq!(pubsub.broadcast(&NOTES, Note("2")), Ok(()));
        assert_eq!(pubsub.broadcast(&NOTES, Note("3")), Err(PubSubError::Full));
        // actix lets each sender (each clone of the handle) queue one message past capacity.
        let other = pubsub.clone();
        assert_eq!(other.broadcast(&NOTES, Note("4")), Ok(()));
        assert_eq!(other.broadcast(&NOTES, Note("5")), Err(PubSubError::Full));
        assert_eq!(pubsub.broadcast(&NOTES, Note("6")), Err(PubSubError::Full));
        let err: ViewError = PubSubError::Full.into();
        assert!(err.to_string().contains("full"), "{err}");
    }

    /// Subscribes in mount; shows the last note; `boom` panics.
    struct Listener {
        pubsub: PubSub,
    }

    impl LiveView for Listener {
        type Info = Note;
        type Event = ();

        fn mount(
            &mut self,
            _: &Params,
            _: &Session,
            socket: &mut Socket<Self>,
        ) -> Result<(), ViewError> {
            socket.subscribe(&self.pubsub, &NOTES)?;
            // A second subscription to the same topic is a no-op.
            socket.subscribe(&self.pubsub, &NOTES)?;
            socket.assign("last", "none");
            Ok(())
        }

        fn handle_event(
            &mut self,
            event: &str,
            _: &Value,
            socket: &mut Socket<Self>,
        ) -> Result<(), ViewError> {
            match event {
                "boom" => panic!("boom"),
                "quiet" => socket.unsubscribe(&NOTES),
                other => return Err(ViewError::unknown_event(other)),
            }
            Ok(())
        }

        fn handle_info(
            &mut self,
            Note(n): Note,
            socket: &mut Socket<Self>,
        ) -> Result<(), ViewError> {
            socket.assign("last", n);
            Ok(())
        }

        fn render(&self, assigns: &Assigns) -> Rendered {
            let last: &str = assigns.get("last");
            html! { b { (last) } }
        }
    }

    /// Collects a view's pushes.
    #[derive(Default)]
    struct Pushes(Vec<PushKind>);
    impl Actor for Pushes {
        type Context = Context<Self>;
    }
    impl Handler<ViewPush> for Pushes {
        type Result = ();
        fn handle(&mut self, m: ViewPush, _: &mut Context<Self>) {
            self.0.push(m.kind);
        }
    }
    struct TakePushes;
    impl Message for TakePushes {
        type Result = Vec<PushKind>;
    }
    impl Handler<TakePushes> for Pushes {
        type Result = actix::MessageResult<TakePushes>;
        fn handle(&mut self, _: TakePushes, _: &mut Context<Self>) -> Self::Result {
            actix::MessageResult(std::mem::take(&mut self.0))
        }
    }

    fn event(name: &str) -> HandleEvent {
        HandleEvent {
            kind: "click".into(),
            event: name.into(),
            value: serde_json::json!({}),
            cid: None,
        }
    }

    #[actix_rt::test]
    async fn the_dead_render_subscribes_nothing() {
        let pubsub = PubSub::start();
        let mut view = Listener {
            pubsub: pubsub.clone(),
        };
        dead_render(&mut view, &Params::new(), &Session::new(), "/").unwrap();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 0);
    }

    #[actix_rt::test]
    async fn a_view_subscribed_in_mount_gets_broadcasts_until_it_stops() {
        let pubsub = PubSub::start();
        let pushes = Pushes::default().start();
        let args = SpawnArgs::new(
            "lv:1",
            Params::new(),
            Session::new(),
            pushes.clone().recipient(),
        );
        let ps = pubsub.clone();
        let view = start_view(move || Listener { pubsub: ps.clone() }, args);
        view.send(Mount).await.unwrap().unwrap();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 1);

        assert_eq!(broadcast(&pubsub, "hi").await, 1);
        // Anything sent to the view after the note is answered after the note was handled.
        view.send(event("nothing")).await.unwrap().unwrap();
        assert_eq!(
            pushes.send(TakePushes).await.unwrap(),
            [PushKind::Diff(r#"{"0":"hi"}"#.into())]
        );

        view.send(Shutdown).await.unwrap();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 0);
        assert_eq!(broadcast(&pubsub, "after").await, 0);
    }

    #[actix_rt::test]
    async fn a_view_that_unsubscribes_gets_no_more_broadcasts() {
        let pubsub = PubSub::start();
        let pushes = Pushes::default().start();
        let args = SpawnArgs::new("lv:1", Params::new(), Session::new(), pushes.recipient());
        let ps = pubsub.clone();
        let view = start_view(move || Listener { pubsub: ps.clone() }, args);
        view.send(Mount).await.unwrap().unwrap();
        view.send(event("quiet")).await.unwrap().unwrap();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 0);
        assert_eq!(broadcast(&pubsub, "unheard").await, 0);
    }

    #[actix_rt::test]
    async fn a_crashed_view_is_subscribed_once_after_its_restart() {
        let pubsub = PubSub::start();
        let pushes = Pushes::default().start();
        let args = SpawnArgs::new(
            "lv:1",
            Params::new(),
            Session::new(),
            pushes.clone().recipient(),
        );
        let ps = pubsub.clone();
        let view = start_view(move || Listener { pubsub: ps.clone() }, args);
        view.send(Mount).await.unwrap().unwrap();
        assert!(view.send(event("boom")).await.unwrap().is_err());
        // The restart re-mounted (a full render) and subscribed again; the old subscription
        // ended with the old socket.
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 1);
        assert_eq!(broadcast(&pubsub, "again").await, 1);
        view.send(event("nothing")).await.unwrap().unwrap();
        let pushed = pushes.send(TakePushes).await.unwrap();
        assert_eq!(pushed.len(), 2, "{pushed:?}");
        assert_eq!(pushed[1], PushKind::Diff(r#"{"0":"again"}"#.into()));
    }
}
