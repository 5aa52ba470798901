//! Two nodes joined through a real `redis-server` that this test starts, kills with SIGKILL and
//! starts again on the same port.
//!
//! `redis-server` must be on the PATH. Without it the test fails when `CI` or
//! `LIVEVIEW_REQUIRE_REDIS` is set (`.ci/run` installs Debian's `redis-server`), and elsewhere
//! says so on stderr and returns.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use actix::{Actor, Addr, Context, Handler, Message};
use liveview_diff::{html, Rendered};
use liveview_pubsub::{Info, LinkState, Presence, PresenceConfig, PubSub, Topic, LINK_TOPIC};
use liveview_pubsub_redis::RedisAdapter;
use liveview_session::{
    start_view, Assigns, LiveView, Mount, Params, PushKind, Session, Socket, SpawnArgs, ViewError,
    ViewPush,
};
use serde::{Deserialize, Serialize};

/// A `redis-server` child process, killed (SIGKILL) when dropped.
struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    /// `None` when the binary is missing outside CI.
    fn start_on_free_port() -> Option<Self> {
        if Command::new("redis-server")
            .arg("--version")
            .output()
            .is_err()
        {
            let required = std::env::var_os("CI").is_some()
                || std::env::var_os("LIVEVIEW_REQUIRE_REDIS").is_some();
            assert!(
                !required,
                "redis-server is not installed, and CI / LIVEVIEW_REQUIRE_REDIS requires it: \
                 install it (Debian: apt-get install redis-server; .ci/run does)"
            );
            eprintln!("SKIPPED: redis-server is not installed (set LIVEVIEW_REQUIRE_REDIS=1 to make this fail)");
            return None;
        }
        Some(Self::start(free_port()))
    }

    fn start(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        let server = Self { child, port };
        server.wait_until_ready();
        server
    }

    /// Waits (10 s at most) until the server answers `PING`.
    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if ping(self.port) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "redis-server on {} never answered",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// SIGKILL, as `kill -9`, and reap it.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn ping(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
    let mut buf = [0_u8; 7];
    s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}

/// A port below 32768 (outside Linux's ephemeral range, so the kernel does not hand it to an
/// outgoing connection meanwhile) that is free now.
fn free_port() -> u16 {
    // Tests of this file run in parallel: each call starts from another place.
    static CALLS: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let start = (std::process::id() % 10_000) as u16 + call * 997;
    (0..2_000)
        .map(|i| 20_000 + (start + i * 7) % 12_000)
        .find(|&p| TcpListener::bind((Ipv4Addr::LOCALHOST, p)).is_ok())
        .expect("a free port below 32768")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Note(String);

static NOTES: Topic<Note> = Topic::tagged("notes", "test.Note/1");

/// Records notes and link states.
#[derive(Default)]
struct Probe {
    notes: Vec<String>,
    links: Vec<LinkState>,
}
impl Actor for Probe {
    type Context = Context<Self>;
}
impl Handler<Info<Note>> for Probe {
    type Result = ();
    fn handle(&mut self, Info(Note(n)): Info<Note>, _: &mut Context<Self>) {
        self.notes.push(n);
    }
}
impl Handler<Info<LinkState>> for Probe {
    type Result = ();
    fn handle(&mut self, Info(s): Info<LinkState>, _: &mut Context<Self>) {
        self.links.push(s);
    }
}
struct Look;
impl Message for Look {
    type Result = (Vec<String>, Vec<LinkState>);
}
impl Handler<Look> for Probe {
    type Result = actix::MessageResult<Look>;
    fn handle(&mut self, _: Look, _: &mut Context<Self>) -> Self::Result {
        actix::MessageResult((self.notes.clone(), self.links.clone()))
    }
}

/// A view on node B: subscribes in mount, shows the last note.
struct Board {
    pubsub: PubSub,
}

impl LiveView for Board {
    type Info = Note;
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.subscribe(&self.pubsub, &NOTES)?;
        s.assign("last", String::new());
        Ok(())
    }

    fn handle_info(&mut self, Note(n): Note, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("last", n);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let last: String = assigns.get("last");
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
struct AllPushes;
impl Message for AllPushes {
    type Result = Vec<PushKind>;
}
impl Handler<AllPushes> for Pushes {
    type Result = actix::MessageResult<AllPushes>;
    fn handle(&mut self, _: AllPushes, _: &mut Context<Self>) -> Self::Result {
        actix::MessageResult(self.0.clone())
    }
}

/// Waits (at most `within`) until `cond` holds; answers how long it took.
async fn wait_for(what: &str, within: Duration, mut cond: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < within,
            "timed out after {within:?} waiting for {what}"
        );
        actix_rt::time::sleep(Duration::from_millis(5)).await;
    }
    start.elapsed()
}

async fn notes_until(
    probe: &Addr<Probe>,
    what: &str,
    cond: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (notes, _) = probe.send(Look).await.unwrap();
        if cond(&notes) {
            return notes;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {notes:?}"
        );
        actix_rt::time::sleep(Duration::from_millis(5)).await;
    }
}

fn node(name: &str, url: &str) -> PubSub {
    let adapter = RedisAdapter::new(url)
        .unwrap()
        .namespace("test")
        .backoff(Duration::from_millis(50), Duration::from_secs(2))
        .timeouts(Duration::from_secs(2), Duration::from_secs(1));
    PubSub::builder()
        .node(name)
        .adapter(adapter)
        .start()
        .unwrap()
}

#[actix_rt::test]
async fn two_nodes_through_redis_survive_losing_and_regaining_the_server() {
    let Some(mut redis) = RedisServer::start_on_free_port() else {
        return;
    };
    let (a, b) = (node("a", &redis.url()), node("b", &redis.url()));
    let (pa, pb) = (Probe::default().start(), Probe::default().start());
    let _sa = a
        .subscribe(&NOTES, pa.clone().recipient::<Info<Note>>())
        .unwrap();
    let _sb = b
        .subscribe(&NOTES, pb.clone().recipient::<Info<Note>>())
        .unwrap();
    let _lb = b
        .subscribe(&LINK_TOPIC, pb.clone().recipient::<Info<LinkState>>())
        .unwrap();
    // A view on B, as a page would be.
    let pushes = Pushes::default().start();
    let args = SpawnArgs::new(
        "lv:b",
        Params::new(),
        Session::new(),
        pushes.clone().recipient(),
    );
    let pubsub_b = b.clone();
    let view = start_view(
        move || Board {
            pubsub: pubsub_b.clone(),
        },
        args,
    );
    view.send(Mount).await.unwrap().unwrap();

    wait_for("both nodes to connect", Duration::from_secs(10), || {
        a.stats().connected && b.stats().connected
    })
    .await;

    // 1. A broadcast on A reaches B (and A's own subscriber, once).
    a.broadcast(&NOTES, Note("1".into())).unwrap();
    notes_until(&pb, "B to get 1", |n| n == ["1"]).await;
    notes_until(&pa, "A to get 1", |n| n == ["1"]).await;
    a.direct_broadcast("b", &NOTES, Note("direct".into()))
        .unwrap();
    notes_until(&pb, "B to get the direct note", |n| n == ["1", "direct"]).await;

    // 2. kill -9 the server: both nodes notice, A keeps serving its own subscribers.
    redis.kill();
    wait_for(
        "both nodes to see the link down",
        Duration::from_secs(10),
        || !a.stats().connected && !b.stats().connected,
    )
    .await;
    a.broadcast(&NOTES, Note("alone".into())).unwrap();
    notes_until(&pa, "A to get its own note", |n| n == ["1", "alone"]).await;
    let down = a.stats();
    assert!(down.dropped.disconnected >= 1, "{down:?}");
    assert!(down.last_error.is_some(), "{down:?}");
    // Let the nodes fail to reconnect at least once, so the restart meets the backoff loop.
    wait_for(
        "a failed reconnect attempt",
        Duration::from_secs(10),
        || b.stats().last_error.is_some_and(|e| e.contains("refused")),
    )
    .await;

    // 3. The server is back on the same port: both reconnect within 10 s, resubscribed.
    let _restarted = {
        let port = redis.port;
        drop(redis);
        RedisServer::start(port)
    };
    let took = wait_for("both nodes to reconnect", Duration::from_secs(10), || {
        a.stats().connected && b.stats().connected
    })
    .await;
    eprintln!("reconnected {took:?} after the restart");
    a.broadcast(&NOTES, Note("after".into())).unwrap();
    // B never got "alone": it gets "after" right behind "direct".
    notes_until(&pb, "B to get the note sent after the restart", |n| {
        n.len() >= 3
    })
    .await;
    let (notes, links) = pb.send(Look).await.unwrap();
    assert_eq!(notes, ["1", "direct", "after"]);
    assert!(
        links.ends_with(&[LinkState::Down, LinkState::Up]),
        "{links:?}"
    );
    for s in [a.stats(), b.stats()] {
        assert!(s.reconnects >= 1, "{s:?}");
        assert_eq!(
            s.decode_errors + s.tag_mismatches + s.duplicate_node_frames,
            0,
            "{s:?}"
        );
    }
    assert_eq!(b.stats().received, 3);

    // The view on B followed along and never restarted: only diffs, no new full render.
    view.send(Mount).await.ok();
    let pushed = pushes.send(AllPushes).await.unwrap();
    let diffs: Vec<&str> = pushed
        .iter()
        .map(|p| match p {
            PushKind::Diff(d) => d.as_str(),
            other => panic!("unexpected push {other:?}"),
        })
        .collect();
    assert!(diffs.iter().all(|d| !d.contains(r#""s":"#)), "{diffs:?}");
    assert_eq!(diffs.last(), Some(&r#"{"0":"after"}"#));
}

#[actix_rt::test]
async fn presence_through_redis_drops_a_node_cut_off_and_restores_it() {
    let Some(mut redis) = RedisServer::start_on_free_port() else {
        return;
    };
    let (a, b) = (node("a", &redis.url()), node("b", &redis.url()));
    let config = PresenceConfig {
        heartbeat: Duration::from_millis(100),
        timeout: Duration::from_millis(1_000),
    };
    let (pa, pb) = (
        Presence::with_config(&a, config),
        Presence::with_config(&b, config),
    );
    let _ana = pa.track("room", "ana", serde_json::json!({})).unwrap();
    let _bob = pb.track("room", "bob", serde_json::json!({})).unwrap();
    let names = |p: &Presence| p.list("room").keys().cloned().collect::<Vec<_>>();
    wait_for("both nodes to list both", Duration::from_secs(10), || {
        names(&pa) == ["ana", "bob"] && names(&pb) == ["ana", "bob"]
    })
    .await;

    // No broker: each node hears nothing from the other and, after the timeout, lists only its own.
    redis.kill();
    wait_for(
        "each node to drop the other",
        Duration::from_secs(10),
        || names(&pa) == ["ana"] && names(&pb) == ["bob"],
    )
    .await;

    let _restarted = {
        let port = redis.port;
        drop(redis);
        RedisServer::start(port)
    };
    wait_for(
        "both nodes to list both again",
        Duration::from_secs(15),
        || names(&pa) == ["ana", "bob"] && names(&pb) == ["ana", "bob"],
    )
    .await;
}
