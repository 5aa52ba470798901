//! Presence across nodes joined by the in-memory bus: joins, leaves, lost deltas repaired,
//! a silent node's entries removed and restored.

mod support;

use std::time::Duration;

use actix::{Actor, Addr, Context, Handler};
use liveview_pubsub::{
    Info, MemoryBus, Presence, PresenceConfig, PresenceDiff, PresenceList, PubSub,
};
use serde_json::json;
use support::wait_for;

const FAST: PresenceConfig = PresenceConfig {
    heartbeat: Duration::from_millis(20),
    // Long enough that a loaded CI machine does not miss 25 heartbeats in a row.
    timeout: Duration::from_millis(500),
};

fn node(bus: &MemoryBus, name: &str) -> (PubSub, Presence) {
    let pubsub = PubSub::builder()
        .node(name)
        .adapter(bus.adapter())
        .start()
        .unwrap();
    let presence = Presence::with_config(&pubsub, FAST);
    (pubsub, presence)
}

/// Applies the diffs it receives to a list, as a view would.
#[derive(Default)]
struct Board(PresenceList, Vec<PresenceDiff>);
impl Actor for Board {
    type Context = Context<Self>;
}
impl Handler<Info<PresenceDiff>> for Board {
    type Result = ();
    fn handle(&mut self, Info(d): Info<PresenceDiff>, _: &mut Context<Self>) {
        d.apply_to(&mut self.0);
        self.1.push(d);
    }
}
struct Look;
impl actix::Message for Look {
    type Result = (Vec<String>, Vec<PresenceDiff>);
}
impl Handler<Look> for Board {
    type Result = actix::MessageResult<Look>;
    fn handle(&mut self, _: Look, _: &mut Context<Self>) -> Self::Result {
        actix::MessageResult((self.0.keys().cloned().collect(), self.1.clone()))
    }
}

async fn board_shows(board: &Addr<Board>, keys: &[&str]) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let (shown, diffs) = board.send(Look).await.unwrap();
        if shown == keys {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the board shows {shown:?}, not {keys:?}; diffs: {diffs:?}"
        );
        actix_rt::time::sleep(Duration::from_millis(2)).await;
    }
}

fn keys(list: &PresenceList) -> Vec<&str> {
    list.keys().map(String::as_str).collect()
}

#[actix_rt::test]
async fn joins_and_leaves_reach_every_node_as_diffs() {
    let bus = MemoryBus::new();
    let ((pa, a), (pb, b)) = (node(&bus, "a"), node(&bus, "b"));
    let (board_a, board_b) = (Board::default().start(), Board::default().start());
    let _sa = pa
        .subscribe(&a.diffs("room"), board_a.clone().recipient())
        .unwrap();
    let _sb = pb
        .subscribe(&b.diffs("room"), board_b.clone().recipient())
        .unwrap();
    pb.subscriber_count(&b.diffs("room")).await.unwrap();

    let ana = a.track("room", "ana", json!({"tab": 1})).unwrap();
    let ana_again = a.track("room", "ana", json!({"tab": 2})).unwrap();
    let bob = b.track("room", "bob", json!({})).unwrap();
    let _elsewhere = b.track("other", "eve", json!({})).unwrap();
    board_shows(&board_a, &["ana", "bob"]).await;
    board_shows(&board_b, &["ana", "bob"]).await;
    wait_for("b to list both of ana's tabs", || {
        b.list("room").get("ana").map(Vec::len) == Some(2)
    })
    .await;
    assert_eq!(keys(&a.list("room")), ["ana", "bob"]);
    assert_eq!(b.list("room")["ana"][0].node, "a");
    assert_ne!(ana.phx_ref(), ana_again.phx_ref());

    // One of ana's tabs closes: ana is still here. Then the other: ana left.
    drop(ana);
    wait_for("b to see one tab of ana left", || {
        b.list("room").get("ana").map(Vec::len) == Some(1)
    })
    .await;
    board_shows(&board_b, &["ana", "bob"]).await;
    drop(ana_again);
    board_shows(&board_b, &["bob"]).await;
    drop(bob);
    board_shows(&board_a, &[]).await;
    assert!(b.list("room").is_empty());
    assert_eq!(keys(&b.list("other")), ["eve"]);
}

#[actix_rt::test]
async fn a_silent_node_leaves_after_the_timeout_and_comes_back_with_its_entries() {
    let bus = MemoryBus::new();
    let ((pa, a), (pb, b)) = (node(&bus, "a"), node(&bus, "b"));
    let board_b = Board::default().start();
    let _sb = pb
        .subscribe(&b.diffs("room"), board_b.clone().recipient())
        .unwrap();
    let _ana = a.track("room", "ana", json!({})).unwrap();
    let _bob = b.track("room", "bob", json!({})).unwrap();
    board_shows(&board_b, &["ana", "bob"]).await;

    // a is cut off (its broker link lost, or it crashed): b notices within the timeout.
    bus.isolate("a", true);
    board_shows(&board_b, &["bob"]).await;
    // a, alone, keeps its own entries and drops b's.
    wait_for("a to drop b", || keys(&a.list("room")) == ["ana"]).await;
    // A change on a while cut off is lost on the way...
    let _cid = a.track("room", "cid", json!({})).unwrap();
    assert!(pa.stats().dropped.disconnected > 0);

    // ...and repaired by the full-state sync once a is heard again.
    bus.isolate("a", false);
    board_shows(&board_b, &["ana", "bob", "cid"]).await;
    wait_for("a to see b again", || {
        keys(&a.list("room")) == ["ana", "bob", "cid"]
    })
    .await;
}

#[actix_rt::test]
async fn a_lost_delta_is_repaired_by_the_next_heartbeat() {
    let bus = MemoryBus::new();
    let (_pa, a) = node(&bus, "a");
    let (_pb, b) = node(&bus, "b");
    let _one = a.track("room", "one", json!({})).unwrap();
    wait_for("b to see one", || keys(&b.list("room")) == ["one"]).await;
    // Cut only for the length of one delta, far shorter than the timeout.
    bus.isolate("a", true);
    let _two = a.track("room", "two", json!({})).unwrap();
    bus.isolate("a", false);
    wait_for("b to catch up through a full-state sync", || {
        keys(&b.list("room")) == ["one", "two"]
    })
    .await;
}

#[actix_rt::test]
async fn presence_works_on_a_single_node_without_an_adapter() {
    let pubsub = PubSub::start();
    let presence = Presence::start(&pubsub);
    let board = Board::default().start();
    let _s = pubsub
        .subscribe(&presence.diffs("room"), board.clone().recipient())
        .unwrap();
    pubsub
        .subscriber_count(&presence.diffs("room"))
        .await
        .unwrap();
    let t = presence.track("room", "solo", json!({"x": 1})).unwrap();
    board_shows(&board, &["solo"]).await;
    drop(t);
    board_shows(&board, &[]).await;
    // A meta that is not JSON is refused.
    let bad = std::collections::HashMap::from([((1, 2), 3)]);
    assert!(presence.track("room", "bad", bad).is_err());
}
