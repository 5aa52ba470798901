//! Several nodes in one process, joined by the in-memory bus: what crosses, what does not,
//! and what is counted.

mod support;

use std::sync::{Arc, OnceLock};

use actix::{Actor, Addr, Context, Handler};
use liveview_pubsub::{
    Adapter, DropCause, Frame, Info, Link, LinkState, MemoryBus, PubSub, PubSubError, Topic,
    LINK_TOPIC,
};
use support::*;

static NOTES: Topic<Note> = Topic::new("notes");

fn node(bus: &MemoryBus, name: &str) -> PubSub {
    PubSub::builder()
        .node(name)
        .adapter(bus.adapter())
        .start()
        .unwrap()
}

/// Waits until `from`'s bus pump handled `n` frames in all, then until every node's broker
/// handled what was sent to it before (a count is answered after earlier messages).
async fn settle(from: &PubSub, n: u64, nodes: &[&PubSub]) {
    wait_for("the bus to carry the frames", || {
        from.stats().published >= n
    })
    .await;
    for p in nodes {
        p.subscriber_count(&NOTES).await.unwrap();
    }
}

#[actix_rt::test]
async fn a_broadcast_reaches_every_node_once_and_a_node_ignores_its_own_frames() {
    let bus = MemoryBus::new();
    let (a, b, c) = (node(&bus, "a"), node(&bus, "b"), node(&bus, "c"));
    let (pa, pb, pc) = (Probe::start(16), Probe::start(16), Probe::start(16));
    let _sa = a.subscribe(&NOTES, pa.clone().recipient()).unwrap();
    let _sb = b.subscribe(&NOTES, pb.clone().recipient()).unwrap();
    let _sc = c.subscribe(&NOTES, pc.clone().recipient()).unwrap();
    for p in [&a, &b, &c] {
        p.subscriber_count(&NOTES).await.unwrap();
    }

    a.broadcast(&NOTES, note("1")).unwrap();
    a.broadcast(&NOTES, note("2")).unwrap();
    settle(&a, 2, &[&a, &b, &c]).await;

    // The sender's node delivered locally and dropped its own frames from the bus.
    assert_eq!(pa.send(Take).await.unwrap(), ["1", "2"]);
    assert_eq!(take_until(&pb, 2).await, ["1", "2"]);
    assert_eq!(take_until(&pc, 2).await, ["1", "2"]);
    let (sa, sb) = (a.stats(), b.stats());
    assert!(sa.clustered && sa.connected);
    assert_eq!((sa.published, sa.received), (2, 0));
    assert_eq!((sb.published, sb.received), (0, 2));
    assert_eq!(sb.dropped.total() + sb.decode_errors + sb.tag_mismatches, 0);
    assert_ne!(a.node_id().incarnation(), b.node_id().incarnation());
}

#[actix_rt::test]
async fn local_broadcast_stays_on_its_node() {
    let bus = MemoryBus::new();
    let (a, b) = (node(&bus, "a"), node(&bus, "b"));
    let (pa, pb) = (Probe::start(16), Probe::start(16));
    let _sa = a.subscribe(&NOTES, pa.clone().recipient()).unwrap();
    let _sb = b.subscribe(&NOTES, pb.clone().recipient()).unwrap();
    b.subscriber_count(&NOTES).await.unwrap();
    a.local_broadcast(&NOTES, note("mine")).unwrap();
    a.broadcast(&NOTES, note("ours")).unwrap();
    settle(&a, 1, &[&a, &b]).await;
    assert_eq!(pa.send(Take).await.unwrap(), ["mine", "ours"]);
    assert_eq!(take_until(&pb, 1).await, ["ours"]);
    assert_eq!(a.stats().published, 1);
}

#[actix_rt::test]
async fn broadcast_from_skips_the_sender_only() {
    let bus = MemoryBus::new();
    let (a, b) = (node(&bus, "a"), node(&bus, "b"));
    let (sender, neighbour, remote) = (Probe::start(16), Probe::start(16), Probe::start(16));
    let from = a.subscribe(&NOTES, sender.clone().recipient()).unwrap();
    let _n = a.subscribe(&NOTES, neighbour.clone().recipient()).unwrap();
    let _r = b.subscribe(&NOTES, remote.clone().recipient()).unwrap();
    b.subscriber_count(&NOTES).await.unwrap();

    a.broadcast_from(&from, &NOTES, note("news")).unwrap();
    settle(&a, 1, &[&a, &b]).await;
    assert!(sender.send(Take).await.unwrap().is_empty());
    assert_eq!(neighbour.send(Take).await.unwrap(), ["news"]);
    assert_eq!(take_until(&remote, 1).await, ["news"]);
}

#[actix_rt::test]
async fn direct_broadcast_reaches_the_named_node_only() {
    let bus = MemoryBus::new();
    let (a, b, c) = (node(&bus, "a"), node(&bus, "b"), node(&bus, "c"));
    let (pa, pb, pc) = (Probe::start(16), Probe::start(16), Probe::start(16));
    let _sa = a.subscribe(&NOTES, pa.clone().recipient()).unwrap();
    let _sb = b.subscribe(&NOTES, pb.clone().recipient()).unwrap();
    let _sc = c.subscribe(&NOTES, pc.clone().recipient()).unwrap();
    for p in [&a, &b, &c] {
        p.subscriber_count(&NOTES).await.unwrap();
    }

    a.direct_broadcast("c", &NOTES, note("for c")).unwrap();
    a.direct_broadcast("a", &NOTES, note("for a")).unwrap();
    // A node that does not exist never receives it; nothing fails.
    a.direct_broadcast("nobody", &NOTES, note("lost")).unwrap();
    settle(&a, 2, &[&a, &b, &c]).await;
    assert_eq!(take_until(&pc, 1).await, ["for c"]);
    assert_eq!(pa.send(Take).await.unwrap(), ["for a"]);
    assert!(pb.send(Take).await.unwrap().is_empty());
    assert_eq!(b.stats().received, 0);
}

#[actix_rt::test]
async fn a_frame_whose_tag_no_subscriber_expects_is_counted_not_delivered() {
    let bus = MemoryBus::new();
    let (a, b) = (node(&bus, "a"), node(&bus, "b"));
    let v1: Topic<Note> = Topic::tagged("versioned", "Note/1");
    let v2: Topic<Note> = Topic::tagged("versioned", "Note/2");
    let pb = Probe::start(16);
    let _sb = b.subscribe(&v1, pb.clone().recipient()).unwrap();
    b.subscriber_count(&v1).await.unwrap();

    a.broadcast(&v2, note("new code")).unwrap();
    a.broadcast(&v1, note("old code")).unwrap();
    // A frame for a topic nobody on b listens to is not a mismatch: every node filters.
    a.broadcast(&NOTES, note("unheard")).unwrap();
    settle(&a, 3, &[&b]).await;
    assert_eq!(take_until(&pb, 1).await, ["old code"]);
    let stats = b.stats();
    assert_eq!(
        (stats.received, stats.tag_mismatches, stats.decode_errors),
        (3, 1, 0)
    );
}

#[actix_rt::test]
async fn a_payload_that_does_not_decode_is_counted() {
    let bus = MemoryBus::new();
    let (a, b) = (node(&bus, "a"), node(&bus, "b"));
    // Same name and tag, different shapes: as two versions that forgot to change the tag.
    let sent: Topic<u32> = Topic::tagged("shape", "Shape");
    let expected: Topic<Note> = Topic::tagged("shape", "Shape");
    let pb = Probe::start(16);
    let _sb = b.subscribe(&expected, pb.clone().recipient()).unwrap();
    b.subscriber_count(&expected).await.unwrap();
    a.broadcast(&sent, 7).unwrap();
    settle(&a, 1, &[&b]).await;
    b.subscriber_count(&expected).await.unwrap();
    assert_eq!(b.stats().decode_errors, 1);
    assert!(pb.send(Take).await.unwrap().is_empty());
}

/// An adapter that only keeps its link, to feed it bytes by hand.
#[derive(Debug, Default, Clone)]
struct Capture(Arc<OnceLock<Link>>);

impl Adapter for Capture {
    fn start(&self, link: Link) {
        let _ = self.0.set(link);
    }
    fn broadcast(&self, _: Frame) -> Result<(), DropCause> {
        Err(DropCause::Disconnected)
    }
    fn direct_broadcast(&self, _: &str, _: Frame) -> Result<(), DropCause> {
        Err(DropCause::Disconnected)
    }
}

#[actix_rt::test]
async fn malformed_bytes_are_counted_and_dropped() {
    let capture = Capture::default();
    let pubsub = PubSub::builder()
        .node("x")
        .adapter(capture.clone())
        .start()
        .unwrap();
    let link = capture.0.get().unwrap();
    for garbage in [&b""[..], b"\x01", b"\x09garbage", b"\x01\x05ab"] {
        link.receive(garbage);
    }
    let stats = pubsub.stats();
    assert_eq!((stats.decode_errors, stats.received), (4, 0));
    // The adapter refused the broadcast: the drop is counted, local delivery is not affected.
    let probe = Probe::start(16);
    let _s = pubsub.subscribe(&NOTES, probe.clone().recipient()).unwrap();
    pubsub.broadcast(&NOTES, note("here")).unwrap();
    assert_eq!(take_until(&probe, 1).await, ["here"]);
    assert_eq!(pubsub.stats().dropped.disconnected, 1);
}

#[actix_rt::test]
async fn a_second_node_with_the_same_name_is_detected_and_counted() {
    let bus = MemoryBus::new();
    let (a, twin) = (node(&bus, "a"), node(&bus, "a"));
    let probe = Probe::start(16);
    let _s = a.subscribe(&NOTES, probe.clone().recipient()).unwrap();
    a.subscriber_count(&NOTES).await.unwrap();
    twin.broadcast(&NOTES, note("from the twin")).unwrap();
    settle(&twin, 1, &[&a]).await;
    // Delivered (it is another node's message), and reported.
    assert_eq!(take_until(&probe, 1).await, ["from the twin"]);
    assert_eq!(a.stats().duplicate_node_frames, 1);
    assert_eq!(twin.stats().duplicate_node_frames, 0);
}

#[actix_rt::test]
async fn a_full_outbound_queue_drops_and_counts_without_blocking() {
    let bus = MemoryBus::new();
    let a = PubSub::builder()
        .node("a")
        .adapter(bus.adapter_with_queue(2))
        .start()
        .unwrap();
    let b = node(&bus, "b");
    let (pa, pb) = (Probe::start(16), Probe::start(16));
    let _sa = a.subscribe(&NOTES, pa.clone().recipient()).unwrap();
    let _sb = b.subscribe(&NOTES, pb.clone().recipient()).unwrap();
    b.subscriber_count(&NOTES).await.unwrap();
    // Nothing drains the queue until this test yields.
    for n in ["1", "2", "3", "4", "5"] {
        a.broadcast(&NOTES, note(n)).unwrap();
    }
    assert_eq!(a.stats().dropped.queue_full, 3);
    // Local subscribers got all five; the other node the two that fit.
    assert_eq!(take_until(&pa, 5).await, ["1", "2", "3", "4", "5"]);
    settle(&a, 2, &[&b]).await;
    assert_eq!(take_until(&pb, 2).await, ["1", "2"]);
}

#[actix_rt::test]
async fn a_full_broker_drops_frames_from_other_nodes_and_counts_them() {
    let bus = MemoryBus::new();
    let a = node(&bus, "a");
    let b = PubSub::builder()
        .node("b")
        .capacity(2)
        .adapter(bus.adapter())
        .start()
        .unwrap();
    let pb = Probe::start(64);
    let _sb = b.subscribe(&NOTES, pb.clone().recipient()).unwrap();
    b.subscriber_count(&NOTES).await.unwrap();
    for n in 0..10 {
        a.broadcast(&NOTES, note(&n.to_string())).unwrap();
    }
    // The bus hands the ten frames to b's broker in one go; its mailbox holds a few.
    settle(&a, 10, &[&b]).await;
    let dropped = b.stats().dropped.inbound_full;
    assert!(dropped > 0, "nothing dropped");
    let got = take_until(&pb, 10 - dropped as usize).await;
    assert_eq!(got.len() as u64 + dropped, 10);
    // What arrived is in order.
    let numbers: Vec<u32> = got.iter().map(|s| s.parse().unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
}

/// Records link states.
#[derive(Default)]
struct Watcher(Vec<LinkState>);
impl Actor for Watcher {
    type Context = Context<Self>;
}
impl Handler<Info<LinkState>> for Watcher {
    type Result = ();
    fn handle(&mut self, Info(s): Info<LinkState>, _: &mut Context<Self>) {
        self.0.push(s);
    }
}
struct States;
impl actix::Message for States {
    type Result = Vec<LinkState>;
}
impl Handler<States> for Watcher {
    type Result = actix::MessageResult<States>;
    fn handle(&mut self, _: States, _: &mut Context<Self>) -> Self::Result {
        actix::MessageResult(self.0.clone())
    }
}

async fn states(w: &Addr<Watcher>, n: usize) -> Vec<LinkState> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let s = w.send(States).await.unwrap();
        if s.len() >= n {
            return s;
        }
        assert!(std::time::Instant::now() < deadline, "only {s:?}");
        actix_rt::time::sleep(std::time::Duration::from_millis(1)).await;
    }
}

#[actix_rt::test]
async fn losing_the_link_keeps_local_delivery_and_tells_the_link_topic() {
    let bus = MemoryBus::new();
    let (a, b) = (node(&bus, "a"), node(&bus, "b"));
    let watcher = Watcher::default().start();
    let _w = a
        .subscribe(&LINK_TOPIC, watcher.clone().recipient())
        .unwrap();
    let (pa, pb) = (Probe::start(16), Probe::start(16));
    let _sa = a.subscribe(&NOTES, pa.clone().recipient()).unwrap();
    let _sb = b.subscribe(&NOTES, pb.clone().recipient()).unwrap();
    b.subscriber_count(&NOTES).await.unwrap();

    bus.set_connected(false);
    assert_eq!(states(&watcher, 1).await, [LinkState::Down]);
    assert!(!a.stats().connected);
    a.broadcast(&NOTES, note("alone")).unwrap();
    assert_eq!(take_until(&pa, 1).await, ["alone"]);
    assert_eq!(a.stats().dropped.disconnected, 1);

    bus.set_connected(true);
    assert_eq!(states(&watcher, 2).await, [LinkState::Down, LinkState::Up]);
    a.broadcast(&NOTES, note("together")).unwrap();
    settle(&a, 1, &[&b]).await;
    // The message sent while down was not replayed.
    assert_eq!(take_until(&pb, 1).await, ["together"]);
    assert_eq!(a.broadcast(&NOTES, note("ok")), Ok::<(), PubSubError>(()));
}
