//! The cluster fan-out benchmark of `docs/benchmarks.md` (B10): node A publishes `--rate`
//! messages per second for `--secs` seconds through Redis to `--views` live views subscribed
//! on node B; prints how many deliveries arrived and the A→B-view latency percentiles.
//!
//! ```sh
//! redis-server --port 26379 --save "" --appendonly no &
//! cargo run --release -p liveview-pubsub-redis --example fanout -- \
//!     --redis redis://127.0.0.1:26379/ --rate 10000 --secs 10 --views 1000
//! ```
//!
//! Both nodes run in this process, each in its own actix system on its own thread, with their
//! own Redis connections; each message carries its send time, and each view records the
//! latency when its `handle_info` runs (then renders and pushes a diff, as a page would).
#![allow(clippy::print_stdout, missing_docs)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use actix::{Actor, Context, Handler};
use liveview_diff::{html, Rendered};
use liveview_pubsub::{PubSub, Topic};
use liveview_pubsub_redis::RedisAdapter;
use liveview_session::{
    start_view, Assigns, LiveView, Mount, Params, Session, Socket, SpawnArgs, ViewError, ViewPush,
};
use serde::{Deserialize, Serialize};

static TICKS: Topic<Tick> = Topic::tagged("bench:fanout", "bench.Tick/1");

/// Microseconds since the benchmark's epoch (one process, one clock).
fn now_us() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed().as_micros() as u64
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Tick {
    seq: u64,
    sent_us: u64,
}

/// Latencies in 10 µs buckets up to 1 s, and the rest.
struct Histogram {
    buckets: Vec<AtomicU64>,
    over: AtomicU64,
    count: AtomicU64,
    max_us: AtomicU64,
}

impl Histogram {
    fn new() -> Self {
        Self {
            buckets: (0..100_000).map(|_| AtomicU64::new(0)).collect(),
            over: AtomicU64::new(0),
            count: AtomicU64::new(0),
            max_us: AtomicU64::new(0),
        }
    }

    fn record(&self, us: u64) {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.max_us.fetch_max(us, Ordering::Relaxed);
        match self.buckets.get((us / 10) as usize) {
            Some(b) => b.fetch_add(1, Ordering::Relaxed),
            None => self.over.fetch_add(1, Ordering::Relaxed),
        };
    }

    /// The latency (µs, bucket upper bound) below which `q` of the samples fall.
    fn quantile(&self, q: f64) -> u64 {
        let total = self.count.load(Ordering::Relaxed);
        let target = ((total as f64) * q).ceil() as u64;
        let mut seen = 0;
        for (i, b) in self.buckets.iter().enumerate() {
            seen += b.load(Ordering::Relaxed);
            if seen >= target.max(1) {
                return (i as u64 + 1) * 10;
            }
        }
        self.max_us.load(Ordering::Relaxed)
    }
}

/// A subscribed page: counts what it got, renders the last sequence number.
struct Page {
    pubsub: PubSub,
    hist: Arc<Histogram>,
}

impl LiveView for Page {
    type Info = Tick;
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.subscribe(&self.pubsub, &TICKS)?;
        s.assign("seq", 0_u64);
        Ok(())
    }

    fn handle_info(&mut self, tick: Tick, s: &mut Socket<Self>) -> Result<(), ViewError> {
        self.hist.record(now_us().saturating_sub(tick.sent_us));
        s.assign("seq", tick.seq);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let seq: u64 = assigns.get("seq");
        html! { b #seq { (seq) } }
    }
}

/// Where the pages' pushes go: nowhere, fast.
struct Sink;
impl Actor for Sink {
    type Context = Context<Self>;
    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.set_mailbox_capacity(1 << 20);
    }
}
impl Handler<ViewPush> for Sink {
    type Result = ();
    fn handle(&mut self, _: ViewPush, _: &mut Context<Self>) {}
}

struct Args {
    redis: String,
    rate: u64,
    secs: u64,
    views: usize,
}

fn args() -> Args {
    let mut a = Args {
        redis: "redis://127.0.0.1:6379/".to_owned(),
        rate: 10_000,
        secs: 10,
        views: 1_000,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--redis" => a.redis = value,
            "--rate" => a.rate = value.parse().expect("--rate N"),
            "--secs" => a.secs = value.parse().expect("--secs N"),
            "--views" => a.views = value.parse().expect("--views N"),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

fn adapter(url: &str) -> RedisAdapter {
    RedisAdapter::new(url)
        .expect("a redis:// URL")
        .namespace("bench")
}

fn main() {
    let args = Arc::new(args());
    let hist = Arc::new(Histogram::new());
    let b_ready = Arc::new(AtomicBool::new(false));
    let a_done = Arc::new(AtomicBool::new(false));
    let b_stats = Arc::new(OnceLock::new());

    // Node B: the views.
    let node_b = {
        let (args, hist, ready, done, stats_out) = (
            Arc::clone(&args),
            Arc::clone(&hist),
            Arc::clone(&b_ready),
            Arc::clone(&a_done),
            Arc::clone(&b_stats),
        );
        std::thread::spawn(move || {
            actix::System::new().block_on(async move {
                let b = PubSub::builder()
                    .node("b")
                    .adapter(adapter(&args.redis))
                    .start()
                    .expect("node b");
                let sinks: Vec<_> = (0..16).map(|_| Sink.start()).collect();
                let mut views = Vec::with_capacity(args.views);
                for i in 0..args.views {
                    let push = sinks[i % sinks.len()].clone().recipient();
                    let spawn =
                        SpawnArgs::new(&format!("lv:{i}"), Params::new(), Session::new(), push);
                    let (pubsub, hist) = (b.clone(), Arc::clone(&hist));
                    let view = start_view(
                        move || Page {
                            pubsub: pubsub.clone(),
                            hist: Arc::clone(&hist),
                        },
                        spawn,
                    );
                    view.send(Mount).await.expect("view runs").expect("mounts");
                    views.push(view);
                }
                while !b.stats().connected {
                    actix_rt::time::sleep(Duration::from_millis(10)).await;
                }
                ready.store(true, Ordering::SeqCst);
                while !done.load(Ordering::SeqCst) {
                    actix_rt::time::sleep(Duration::from_millis(10)).await;
                }
                // Let the last messages arrive: until nothing changes for 2 s.
                let mut last = (u64::MAX, Instant::now());
                loop {
                    let n = hist.count.load(Ordering::Relaxed);
                    if n != last.0 {
                        last = (n, Instant::now());
                    } else if last.1.elapsed() > Duration::from_secs(2) {
                        break;
                    }
                    actix_rt::time::sleep(Duration::from_millis(50)).await;
                }
                let _ = stats_out.set(b.stats());
                drop(views);
            });
        })
    };

    // Node A: the publisher.
    let a_stats = actix::System::new().block_on({
        let (args, ready, done) = (Arc::clone(&args), Arc::clone(&b_ready), Arc::clone(&a_done));
        async move {
            let a = PubSub::builder()
                .node("a")
                .adapter(adapter(&args.redis))
                .start()
                .expect("node a");
            while !(a.stats().connected && ready.load(Ordering::SeqCst)) {
                actix_rt::time::sleep(Duration::from_millis(10)).await;
            }
            let start = Instant::now();
            let total = args.rate * args.secs;
            let mut seq = 0;
            let mut refused = 0;
            // One batch per millisecond, each sent when its time has come.
            while seq < total {
                let due =
                    (start.elapsed().as_micros() as u64 * args.rate / 1_000_000 + 1).min(total);
                while seq < due {
                    if a.broadcast(
                        &TICKS,
                        Tick {
                            seq,
                            sent_us: now_us(),
                        },
                    )
                    .is_err()
                    {
                        refused += 1;
                    }
                    seq += 1;
                }
                actix_rt::time::sleep(Duration::from_millis(1)).await;
            }
            let took = start.elapsed();
            done.store(true, Ordering::SeqCst);
            (a.stats(), took, refused)
        }
    });
    node_b.join().expect("node b finishes");
    let (a, took, refused) = a_stats;
    let b = b_stats.get().expect("node b's stats");
    let sent = args.rate * args.secs;
    let expected = sent * args.views as u64;
    let got = hist.count.load(Ordering::Relaxed);
    println!(
        "rate {}/s x {} s -> {} views: published {} in {:.2} s ({:.0}/s), refused locally {refused}",
        args.rate,
        args.secs,
        args.views,
        sent,
        took.as_secs_f64(),
        sent as f64 / took.as_secs_f64()
    );
    println!(
        "A: frames published {} dropped {:?}; B: frames received {} dropped {:?} decode errors {}",
        a.published, a.dropped, b.received, b.dropped, b.decode_errors
    );
    // Deliveries neither made nor counted as missed were still queued when B stopped waiting
    // (nothing had arrived for 2 s): a stalled node B.
    let unaccounted = expected.saturating_sub(got + b.dropped.missed);
    println!(
        "not delivered: {} missed (counted), {unaccounted} unaccounted",
        b.dropped.missed
    );
    println!(
        "delivered {got} of {expected} ({:.3}%); latency A->B view p50 {} us, p99 {} us, p99.9 {} us, max {} us",
        100.0 * got as f64 / expected as f64,
        hist.quantile(0.5),
        hist.quantile(0.99),
        hist.quantile(0.999),
        hist.max_us.load(Ordering::Relaxed)
    );
}
