//! A Redis [`Adapter`] for liveview's [`PubSub`](liveview_pubsub::PubSub): run the app on
//! several nodes behind a load balancer, and a broadcast from a view on one node reaches the
//! subscribed views on all of them. Valkey and managed Redis speak the same protocol.
//!
//! ```no_run
//! # // no_run: it needs a Redis server.
//! use liveview_pubsub::PubSub;
//! use liveview_pubsub_redis::RedisAdapter;
//!
//! # actix::System::new().block_on(async {
//! let adapter = RedisAdapter::new("redis://127.0.0.1:6379/").expect("a valid URL");
//! let pubsub = PubSub::builder().node("web-1").adapter(adapter).start().expect("a valid name");
//! // Hand `pubsub` to the views as without Redis; `pubsub.stats()` shows the link.
//! # let _ = pubsub;
//! # });
//! ```
//!
//! # How it works
//!
//! - **Two connections**, both to the same server: one multiplexed connection publishes, one
//!   subscribes. Broadcasts wait in a bounded outbound queue ([`RedisAdapter::queue`],
//!   default 10,000 frames) and are sent in pipelined batches of up to
//!   [`RedisAdapter::batch`] `PUBLISH` commands, in order: one node's messages reach the
//!   others in the order it broadcast them.
//! - **One channel per namespace for all topics**, `<namespace>:all` (default namespace
//!   `liveview`): every node receives every broadcast and keeps what its subscribers want, so
//!   views coming and going never subscribe or unsubscribe anything in Redis. Direct messages
//!   use a channel per node, `<namespace>:node:<name>`.
//! - **Reconnecting, forever**: when either connection fails (an error, a closed socket, a
//!   `PING` unanswered for [`RedisAdapter::timeouts`]), both are dropped and opened again after
//!   an exponential backoff with jitter ([`RedisAdapter::backoff`], 100 ms doubling up to 5 s,
//!   each wait drawn between half and all of the step), and the channels are subscribed again.
//! - **Never blocking, every drop counted**: while disconnected, broadcasts are refused at
//!   once and counted (`stats().dropped.disconnected`), and so are the frames still queued
//!   when the connection was lost; a full queue refuses and counts (`dropped.queue_full`).
//!   Local subscribers get every message regardless: local delivery never goes through Redis.
//! - **The link state** is reported to the node's [`PubSub`](liveview_pubsub::PubSub):
//!   `stats().connected`, `stats().reconnects`, `stats().last_error`, and
//!   [`LinkState`](liveview_pubsub::LinkState) on
//!   [`LINK_TOPIC`](liveview_pubsub::LINK_TOPIC) for views that show "live updates paused".
//!
//! # Guarantees
//!
//! At most once, as Redis Pub/Sub itself: a message broadcast while the link is down, or
//! while another node is disconnected, is not delivered there later. Build pages that a later
//! message or a reload repairs (load state in `mount`).
//!
//! # Limits
//!
//! - Between the `redis` crate's connection driver and this adapter, received messages pass
//!   through that crate's own channel, which is unbounded. The adapter drains it without ever
//!   waiting (each frame is handed to the broker with `try_send`, or dropped and counted), on
//!   the same thread as the driver, so the channel holds what the driver read since the
//!   adapter last ran, not a backlog that grows while the adapter keeps up; Redis's own `client-output-buffer-limit pubsub` bounds what waits on the server.
//! - Payloads are JSON; there is no pluggable codec yet.
//! - No TLS (`rediss://`): the `redis` crate is built without it, to keep the build small.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures_util::future::{self, Either};
use futures_util::StreamExt;
use liveview_pubsub::{Adapter, DropCause, Frame, Link};
use tokio::sync::mpsc;

/// A frame on its way out, with its channel.
#[derive(Debug)]
enum Out {
    All(Frame),
    Node(String, Frame),
}

impl Out {
    fn frame(&self) -> &Frame {
        match self {
            Out::All(f) | Out::Node(_, f) => f,
        }
    }
}

/// Joins a [`PubSub`](liveview_pubsub::PubSub) to the other nodes through a Redis server:
/// pass it to [`PubSubBuilder::adapter`](liveview_pubsub::PubSubBuilder::adapter). See the
/// crate docs.
pub struct RedisAdapter {
    client: redis::Client,
    config: Config,
    outbound: OnceLock<mpsc::Sender<Out>>,
    connected: Arc<AtomicBool>,
}

#[derive(Debug, Clone)]
struct Config {
    namespace: String,
    queue: usize,
    batch: usize,
    backoff_min: Duration,
    backoff_max: Duration,
    timeout: Duration,
    ping_every: Duration,
}

impl fmt::Debug for RedisAdapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.client.get_connection_info();
        f.debug_struct("RedisAdapter")
            .field("addr", &info.addr.to_string())
            .field("config", &self.config)
            .field("connected", &self.connected.load(Ordering::Relaxed))
            .finish()
    }
}

impl RedisAdapter {
    /// The default outbound queue, in frames.
    pub const DEFAULT_QUEUE: usize = 10_000;
    /// The default number of `PUBLISH` commands in one pipelined batch.
    pub const DEFAULT_BATCH: usize = 256;

    /// An adapter for the Redis server at `url` (`redis://[:password@]host:port[/db]`); it
    /// connects when the PubSub starts.
    ///
    /// # Errors
    ///
    /// A URL the `redis` crate does not accept (a `rediss://` URL needs TLS, which this crate
    /// does not build).
    pub fn new(url: &str) -> Result<Self, redis::RedisError> {
        Ok(Self {
            client: redis::Client::open(url)?,
            config: Config {
                namespace: "liveview".to_owned(),
                queue: Self::DEFAULT_QUEUE,
                batch: Self::DEFAULT_BATCH,
                backoff_min: Duration::from_millis(100),
                backoff_max: Duration::from_secs(5),
                timeout: Duration::from_secs(5),
                ping_every: Duration::from_secs(5),
            },
            outbound: OnceLock::new(),
            connected: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The prefix of the Redis channels (default `liveview`): apps sharing a Redis server
    /// use different namespaces.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.config.namespace = namespace.into();
        self
    }

    /// The outbound queue's capacity in frames (default [`RedisAdapter::DEFAULT_QUEUE`]; at
    /// least 1). A broadcast that finds it full is counted and not sent to other nodes.
    pub fn queue(mut self, frames: usize) -> Self {
        self.config.queue = frames.max(1);
        self
    }

    /// The most `PUBLISH` commands in one pipelined round trip (default
    /// [`RedisAdapter::DEFAULT_BATCH`]; at least 1).
    pub fn batch(mut self, commands: usize) -> Self {
        self.config.batch = commands.max(1);
        self
    }

    /// The reconnection backoff: the first wait is about `min`, each next one doubles, up to
    /// `max`; each wait is drawn between half and all of its step (jitter), so nodes that lost
    /// the same server do not reconnect in lockstep.
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.config.backoff_min = min.max(Duration::from_millis(1));
        self.config.backoff_max = max.max(self.config.backoff_min);
        self
    }

    /// How long connecting, a command and a `PING` may take before the connection counts as
    /// lost (default 5 s), and how often an idle link is checked with `PING` (default 5 s).
    pub fn timeouts(mut self, timeout: Duration, ping_every: Duration) -> Self {
        self.config.timeout = timeout.max(Duration::from_millis(1));
        self.config.ping_every = ping_every.max(Duration::from_millis(1));
        self
    }

    /// Whether both connections are up.
    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    fn send(&self, out: Out) -> Result<(), DropCause> {
        if !self.connected.load(Ordering::Relaxed) {
            return Err(DropCause::Disconnected);
        }
        let Some(tx) = self.outbound.get() else {
            return Err(DropCause::Disconnected);
        };
        tx.try_send(out).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => DropCause::QueueFull,
            mpsc::error::TrySendError::Closed(_) => DropCause::Disconnected,
        })
    }
}

impl Adapter for RedisAdapter {
    fn start(&self, link: Link) {
        let (tx, rx) = mpsc::channel(self.config.queue);
        if self.outbound.set(tx).is_err() {
            log::warn!("pubsub-redis: the adapter was started twice; the second start is ignored");
            return;
        }
        let worker = Worker {
            client: self.client.clone(),
            all: format!("{}:all", self.config.namespace),
            mine: node_channel(&self.config.namespace, link.node().name()),
            config: self.config.clone(),
            connected: Arc::clone(&self.connected),
            link,
            rx,
            rng: Jitter::new(),
        };
        actix::spawn(worker.run());
    }

    fn broadcast(&self, frame: Frame) -> Result<(), DropCause> {
        self.send(Out::All(frame))
    }

    fn direct_broadcast(&self, node: &str, frame: Frame) -> Result<(), DropCause> {
        self.send(Out::Node(node_channel(&self.config.namespace, node), frame))
    }
}

fn node_channel(namespace: &str, node: &str) -> String {
    format!("{namespace}:node:{node}")
}

/// Why a connection ended.
#[derive(Debug)]
enum Ended {
    /// The adapter was dropped: stop for good.
    Closed,
    /// The connection failed; reconnect.
    Lost(String),
}

/// The task behind one adapter: connects, publishes, subscribes, reconnects.
struct Worker {
    client: redis::Client,
    config: Config,
    all: String,
    mine: String,
    connected: Arc<AtomicBool>,
    link: Link,
    rx: mpsc::Receiver<Out>,
    rng: Jitter,
}

type Connections = (
    redis::aio::MultiplexedConnection,
    redis::aio::PubSubSink,
    redis::aio::PubSubStream,
);

impl Worker {
    async fn run(mut self) {
        let mut failures: u32 = 0;
        let mut ever_connected = false;
        loop {
            match self.connect().await {
                Ok((conn, sink, stream)) => {
                    if ever_connected {
                        self.link.count_reconnect();
                    }
                    ever_connected = true;
                    failures = 0;
                    self.connected.store(true, Ordering::Relaxed);
                    self.link.set_connected(true);
                    let ended = self.serve(conn, sink, stream).await;
                    self.connected.store(false, Ordering::Relaxed);
                    self.link.set_connected(false);
                    // What was queued before the loss cannot go out: count it, do not replay it
                    // (a late replay would reorder it against what others sent meanwhile).
                    let mut lost = 0;
                    while self.rx.try_recv().is_ok() {
                        lost += 1;
                    }
                    if lost > 0 {
                        self.link.count_dropped(DropCause::Disconnected, lost);
                    }
                    match ended {
                        Ended::Closed => return,
                        Ended::Lost(e) => {
                            log::warn!("pubsub-redis: connection lost: {e}; reconnecting");
                            self.link.record_error(&e);
                        }
                    }
                }
                Err(e) => {
                    if failures == 0 {
                        log::warn!("pubsub-redis: cannot connect: {e}; retrying with backoff");
                    } else {
                        log::debug!("pubsub-redis: reconnect attempt {failures} failed: {e}");
                    }
                    self.link.record_error(&e);
                }
            }
            if self.rx.is_closed() {
                return;
            }
            let wait = self.rng.backoff(failures, &self.config);
            failures = failures.saturating_add(1);
            tokio::time::sleep(wait).await;
        }
    }

    /// Opens both connections and subscribes, each step within the timeout.
    async fn connect(&self) -> Result<Connections, String> {
        let t = self.config.timeout;
        let cfg = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(t)
            .set_response_timeout(t);
        let conn = within(
            t,
            self.client
                .get_multiplexed_async_connection_with_config(&cfg),
        )
        .await?;
        let pubsub = within(t, self.client.get_async_pubsub()).await?;
        let (mut sink, stream) = pubsub.split();
        within(t, sink.subscribe(&[self.all.as_str(), self.mine.as_str()])).await?;
        Ok((conn, sink, stream))
    }

    /// Publishes and receives until a connection fails or the adapter is dropped.
    async fn serve(
        &mut self,
        conn: redis::aio::MultiplexedConnection,
        sink: redis::aio::PubSubSink,
        stream: redis::aio::PubSubStream,
    ) -> Ended {
        let link = self.link.clone();
        let timeout = self.config.timeout;
        let ping_every = self.config.ping_every;
        let receive = async move {
            let mut sink = sink;
            let mut stream = stream;
            loop {
                match tokio::time::timeout(ping_every, stream.next()).await {
                    Ok(Some(msg)) => link.receive(msg.get_payload_bytes()),
                    Ok(None) => {
                        return Ended::Lost("the subscription connection closed".to_owned())
                    }
                    // Quiet for a while: make sure the server is still there.
                    Err(_) => {
                        if let Err(e) = within(timeout, sink.ping::<String>()).await {
                            return Ended::Lost(format!("subscription PING: {e}"));
                        }
                    }
                }
            }
        };
        let publish = self.publish(conn);
        let (a, b) = (std::pin::pin!(receive), std::pin::pin!(publish));
        match future::select(a, b).await {
            Either::Left((ended, _)) | Either::Right((ended, _)) => ended,
        }
    }

    /// Sends queued frames in pipelined batches, in order; pings when idle.
    async fn publish(&mut self, mut conn: redis::aio::MultiplexedConnection) -> Ended {
        let mut batch: Vec<Out> = Vec::with_capacity(self.config.batch);
        loop {
            let first = match tokio::time::timeout(self.config.ping_every, self.rx.recv()).await {
                Ok(Some(out)) => out,
                Ok(None) => return Ended::Closed,
                Err(_) => {
                    let ping = redis::cmd("PING");
                    let answer = ping.query_async::<String>(&mut conn);
                    if let Err(e) = within(self.config.timeout, answer).await {
                        return Ended::Lost(format!("PING: {e}"));
                    }
                    continue;
                }
            };
            batch.push(first);
            while batch.len() < self.config.batch {
                match self.rx.try_recv() {
                    Ok(out) => batch.push(out),
                    Err(_) => break,
                }
            }
            let mut pipe = redis::pipe();
            for out in &batch {
                let channel = match out {
                    Out::All(_) => self.all.as_str(),
                    Out::Node(channel, _) => channel.as_str(),
                };
                pipe.cmd("PUBLISH")
                    .arg(channel)
                    .arg(out.frame().as_bytes())
                    .ignore();
            }
            let n = batch.len() as u64;
            batch.clear();
            match within(self.config.timeout, pipe.query_async::<()>(&mut conn)).await {
                Ok(()) => self.link.count_published(n),
                Err(e) => {
                    // The batch may or may not have reached the server: count it as lost.
                    self.link.count_dropped(DropCause::Disconnected, n);
                    return Ended::Lost(format!("PUBLISH: {e}"));
                }
            }
        }
    }
}

/// Runs `fut` for at most `t`; an error or the timeout becomes a message.
async fn within<T, E: fmt::Display>(
    t: Duration,
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(t, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {t:?}")),
    }
}

/// A small xorshift generator for backoff jitter, seeded per adapter.
struct Jitter(u64);

impl Jitter {
    fn new() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0x9e37_79b9_7f4a_7c15);
        Self(h.finish() | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// The wait after `failures` failed attempts in a row: the step doubles from the minimum
    /// to the maximum; the wait is drawn in [step / 2, step].
    fn backoff(&mut self, failures: u32, config: &Config) -> Duration {
        let step = config
            .backoff_min
            .saturating_mul(1_u32 << failures.min(16))
            .min(config.backoff_max);
        let half = step / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX).max(1);
        half + Duration::from_nanos(self.next() % nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum_with_jitter_in_the_upper_half() {
        let config = RedisAdapter::new("redis://127.0.0.1:1/")
            .unwrap()
            .backoff(Duration::from_millis(100), Duration::from_secs(5))
            .config;
        let mut rng = Jitter::new();
        for (failures, step_ms) in [
            (0, 100),
            (1, 200),
            (2, 400),
            (5, 3200),
            (6, 5000),
            (40, 5000),
        ] {
            for _ in 0..50 {
                let w = rng.backoff(failures, &config).as_millis();
                assert!(
                    (step_ms / 2..=step_ms).contains(&w),
                    "after {failures} failures: {w} ms"
                );
            }
        }
        // Jitter: not every draw is the same.
        let draws: std::collections::HashSet<_> =
            (0..20).map(|_| rng.backoff(6, &config)).collect();
        assert!(draws.len() > 10);
    }

    #[test]
    fn a_tls_or_malformed_url_is_refused() {
        assert!(RedisAdapter::new("not a url").is_err());
        assert!(RedisAdapter::new("redis://127.0.0.1:6379/").is_ok());
        assert_eq!(node_channel("app", "web-1"), "app:node:web-1");
    }
}
