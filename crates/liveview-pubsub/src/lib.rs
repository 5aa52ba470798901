//! Typed publish/subscribe for liveview: views (and any actor) subscribe to typed [`Topic`]s
//! and receive what others broadcast on them as [`Info`] messages, that is, in
//! `LiveView::handle_info`; with an [`Adapter`], broadcasts also reach the subscribers on the
//! other nodes of a cluster.
//!
//! This crate knows nothing of views: it delivers to any actor's [`Recipient`](actix::Recipient)
//! of [`Info`]. `liveview-session` re-exports everything here and adds `Socket::subscribe`,
//! which ties a subscription to a view's life.
//!
//! - **The broker** is an ordinary actor, [`PubSubActor`], reached through the cheap, cloneable
//!   handle [`PubSub`]. There is no global broker: the app starts one ([`PubSub::start`], inside
//!   its actix system, e.g. at the top of `main`) and hands a clone to each view through the
//!   view's factory. Two brokers never see each other's topics unless an adapter joins them,
//!   so every test can start its own.
//! - **Topics are typed**: a [`Topic<T>`] names a channel carrying messages of type `T`;
//!   subscribers and broadcasters agree on `T` at compile time, and a subscriber whose info type
//!   is `M` receives `M::from(t)`, so a view with an `enum` info type can listen to several
//!   topics. `T` is a [`Payload`]: `Clone + Send + Serialize + DeserializeOwned`.
//! - **Subscribing** returns a [`Subscription`]; dropping it unsubscribes. The broker also
//!   forgets a subscriber whose actor is gone.
//! - **Lossless while subscribers keep up, bounded when they do not**: [`PubSub::broadcast`]
//!   hands the message to the broker with `try_send` (its mailbox holds
//!   [`PubSub::DEFAULT_CAPACITY`] messages; a full broker refuses the broadcast with
//!   [`PubSubError::Full`], so the broadcaster knows). The broker delivers to each subscriber
//!   with `try_send`; when the subscriber's mailbox is full, the message waits in that
//!   subscription's backlog (at most [`PubSub::DEFAULT_BACKLOG`] messages), which a task drains
//!   in order with back-pressure. Only a subscriber whose backlog is full misses messages:
//!   they are counted ([`Subscription::take_missed`], [`PubSub::missed`]) and logged.
//!
//! # Presence
//!
//! [`Presence`] tracks who is on a topic across every node, with joins and leaves delivered
//! as [`PresenceDiff`]s; its algorithm and guarantees are in its docs.
//!
//! # Clusters
//!
//! [`PubSub::builder`] takes a node name and an [`Adapter`] (Redis: the
//! `liveview-pubsub-redis` crate; in memory: [`MemoryBus`]). Then:
//!
//! - [`PubSub::broadcast`] delivers to this node's subscribers itself (nothing serialized) and
//!   hands one [`Frame`] (origin node, topic, type tag, JSON payload) to the adapter for the
//!   others; each node's broker decodes it once per subscribed type and delivers.
//!   [`PubSub::local_broadcast`] stays on this node; [`PubSub::broadcast_from`] skips one
//!   subscriber; [`PubSub::direct_broadcast`] reaches one named node.
//! - **Nothing blocks, every queue is bounded, every drop is counted**: the adapter's outbound
//!   queue, the hand-off of received frames to the broker, the subscribers' backlogs.
//!   [`PubSub::stats`] shows them, with the link state and the adapter's last error.
//! - **Losing the link** keeps the node working alone: local delivery does not depend on the
//!   adapter. The node's subscribers of [`LINK_TOPIC`] are told [`LinkState::Down`], then
//!   [`LinkState::Up`] when the adapter reconnects. Messages broadcast while the link is down
//!   are not replayed to other nodes.
//! - Frames of one node arrive at another in the order they were broadcast (when none is
//!   dropped); there is no order between nodes.
//! - A message is matched to subscribers by topic name and type tag ([`Topic::tag`]); a frame
//!   whose tag no local subscriber expects is counted ([`Stats::tag_mismatches`]), one that
//!   does not decode too ([`Stats::decode_errors`]).
//!
//! ```
//! use actix::{Actor, Context, Handler};
//! use liveview_pubsub::{Info, PubSub, Topic};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::print_stdout))]

mod broker;
mod cluster;
mod memory;
mod presence;
mod pubsub;
mod topic;

#[doc(inline)]
pub use broker::{Broadcast, Info, PubSubActor, Subscribe, SubscriberCount, Subscription};
#[doc(inline)]
pub use cluster::{
    Adapter, DropCause, Dropped, Frame, Link, LinkState, NodeId, Stats, LINK_TOPIC, MAX_NODE_NAME,
};
#[doc(inline)]
pub use memory::{MemoryAdapter, MemoryBus};
#[doc(inline)]
pub use presence::{
    Meta, Presence, PresenceConfig, PresenceDiff, PresenceError, PresenceList, Tracked,
};
#[doc(inline)]
pub use pubsub::{PubSub, PubSubBuilder, PubSubError};
#[doc(inline)]
pub use topic::{Payload, Topic};
