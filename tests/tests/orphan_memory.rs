//! Issue 21's memory figure (B11 in `docs/benchmarks.md`): 10,000 views whose sockets all
//! drop at once wait for their clients, keep receiving PubSub messages, and are all gone after
//! the grace period, the server's memory back near where it was.
//!
//! Ignored: it prints figures, it asserts no timing. The server is `example-scenarios` in a
//! process of its own (its RSS is the server's alone, and the file descriptors of 10,000
//! client sockets and 10,000 server sockets do not share one process's limit):
//!
//! ```text
//! cargo build -p example-scenarios
//! cargo test -p liveview-integration-tests --test orphan_memory -- --ignored --nocapture
//! ```
//!
//! `LIVEVIEW_ORPHANS` sets the number of views (10,000), `LIVEVIEW_EXAMPLE_BIN` the server
//! binary (`target/debug/example-scenarios`).

mod support;

use std::io::{BufRead as _, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The grace period: `LIVEVIEW_ORPHAN_GRACE_MS`, or 5 s (0 measures the same cycle without
/// orphans, as a baseline).
fn grace() -> Duration {
    let ms = std::env::var("LIVEVIEW_ORPHAN_GRACE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    Duration::from_millis(ms)
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server() -> Server {
    let bin = std::env::var("LIVEVIEW_EXAMPLE_BIN").unwrap_or_else(|_| {
        format!(
            "{}/../target/debug/example-scenarios",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(&bin)
        .env("PORT", port.to_string())
        .env("RECONNECT_GRACE_MS", grace().as_millis().to_string())
        .env("MAX_SOCKETS_PER_CLIENT", "1000000")
        // The raw clients send no heartbeats while the other 9,999 join.
        .env("IDLE_TIMEOUT_MS", "3600000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{bin}: {e} (run `cargo build -p example-scenarios`)"));
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server's first line");
    assert!(line.contains("listening on"), "{line}");
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

async fn stats(base: &str) -> Value {
    // A server busy with 10,000 resets answers late: a minute before giving up.
    let mut res = awc::Client::new()
        .get(format!("{base}/stats"))
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .expect("GET /stats");
    res.json().await.expect("stats JSON")
}

async fn stats_until(
    base: &str,
    what: &str,
    timeout: Duration,
    ok: impl Fn(&Value) -> bool,
) -> Duration {
    let start = Instant::now();
    loop {
        let s = stats(base).await;
        if ok(&s) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < timeout,
            "timed out waiting for {what}: {s}"
        );
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Joins `n` distinct page views of `/reconnect` on raw sockets.
async fn join_many(base: &str, n: usize) -> Vec<TcpStream> {
    let mut sockets = Vec::with_capacity(n);
    for i in 0..n {
        let page = support::page(
            base.trim_start_matches("http://").parse().expect("addr"),
            &format!("/reconnect?page=m{i}"),
        )
        .await;
        let mut stream = support::raw_websocket(&page, None);
        support::raw_send(&mut stream, &support::join_frame(&page, "1"));
        let mut buf = actix_web::web::BytesMut::new();
        loop {
            let (_, payload) = support::raw_next_frame(&mut stream, &mut buf).expect("reply");
            let frame: Value = serde_json::from_slice(&payload).expect("JSON");
            if frame[3] == "phx_reply" {
                assert_eq!(frame[4]["status"], "ok", "{frame}");
                break;
            }
        }
        sockets.push(stream);
    }
    sockets
}

#[actix_rt::test]
#[ignore = "prints figures for docs/benchmarks.md; run with --ignored --nocapture"]
async fn ten_thousand_orphans_are_all_gone_after_the_grace_period() {
    let n: usize = std::env::var("LIVEVIEW_ORPHANS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let server = start_server();
    let pid = server.child.id();
    let base = server.base.clone();
    // Warm up: the broker, the allocator's arenas, one view of each kind.
    drop(join_many(&base, 10).await);
    stats_until(
        &base,
        "the warm-up views to stop",
        Duration::from_secs(15) + grace() * 3,
        |s| s["views"] == 0,
    )
    .await;
    let rss_base = rss_kib(pid);
    println!(
        "n = {n}, grace {:?}; server RSS at rest: {rss_base} KiB",
        grace()
    );

    for cycle in 1..=2 {
        let start = Instant::now();
        let sockets = join_many(&base, n).await;
        let joined = start.elapsed();
        let rss_joined = rss_kib(pid);
        // Every socket reset at once: a mass disconnect.
        for s in sockets {
            support::reset(s);
        }
        let all = if grace().is_zero() {
            Duration::ZERO
        } else {
            stats_until(&base, "every view to wait", Duration::from_secs(60), |s| {
                s["orphans"] == n
            })
            .await
        };
        let rss_orphans = rss_kib(pid);
        // They still receive PubSub messages.
        let res = awc::Client::new()
            .post(format!("{base}/news?n=7"))
            .send()
            .await
            .expect("POST /news");
        assert_eq!(res.status(), 204);
        let gone = stats_until(
            &base,
            "every orphan to stop",
            Duration::from_secs(60) + grace() * 12,
            |s| s["views"] == 0 && s["orphans"] == 0,
        )
        .await;
        actix_rt::time::sleep(Duration::from_millis(500)).await;
        let rss_after = rss_kib(pid);
        let after = stats(&base).await;
        println!(
            "cycle {cycle}: joined {n} in {joined:?}; RSS joined {rss_joined} KiB \
             ({:.0} B/view over rest); all {n} orphaned {all:?} after the resets, RSS {rss_orphans} KiB; \
             all stopped {gone:?} later; RSS after {rss_after} KiB = {:.2}x rest; /stats {after}",
            (rss_joined.saturating_sub(rss_base) * 1024) as f64 / n as f64,
            rss_after as f64 / rss_base as f64,
        );
        assert_eq!(after["views"], 0, "no view left behind");
    }
}
