//! The local broker: delivery, unsubscription, backlogs, limits.

mod support;

use actix::Addr;
use liveview_pubsub::{Broadcast, PubSub, PubSubActor, PubSubError, Topic};
use support::*;

static NOTES: Topic<Note> = Topic::new("notes");

async fn broadcast(pubsub: &PubSub, n: &str) -> usize {
    let msg = Broadcast {
        topic: NOTES.clone(),
        message: note(n),
    };
    let addr: &Addr<PubSubActor> = pubsub.addr();
    addr.send(msg).await.expect("broker running")
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
    assert!(sub.is_for(&NOTES));
    assert!(!sub.is_for(&Topic::<String>::new("notes")));
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

const EIGHT: [&str; 8] = ["1", "2", "3", "4", "5", "6", "7", "8"];

#[actix_rt::test]
async fn a_full_subscriber_mailbox_queues_messages_in_order_without_loss() {
    let pubsub = PubSub::start();
    let slow = Probe::start(2);
    let fast = Probe::start(16);
    let s1 = pubsub.subscribe(&NOTES, slow.clone().recipient()).unwrap();
    let _s2 = pubsub.subscribe(&NOTES, fast.clone().recipient()).unwrap();
    let (open, gate) = tokio::sync::oneshot::channel();
    slow.send(BlockUntil(gate)).await.unwrap();
    let mut delivered = Vec::new();
    for n in EIGHT {
        delivered.push(broadcast(&pubsub, n).await);
    }
    // The slow mailbox takes its capacity (2); the rest waits in its backlog.
    assert_eq!(delivered, [2; 8]);
    assert_eq!(take_until(&fast, 8).await, EIGHT);
    let _ = open.send(());
    assert_eq!(take_until(&slow, 8).await, EIGHT);
    assert_eq!((pubsub.missed(), s1.take_missed()), (0, 0));
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
    for n in EIGHT {
        broadcast(&pubsub, n).await;
    }
    assert_eq!(take_until(&fast, 8).await, EIGHT);
    let missed = s1.take_missed();
    // A mailbox of 2 (and the one message actix lets a sender add past it) and a backlog
    // of 3 hold at most 6 of the 8.
    assert!((2..=3).contains(&missed), "missed {missed}");
    assert_eq!(pubsub.missed(), missed);
    assert_eq!(pubsub.stats().dropped.missed, missed);
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
    assert_eq!(pubsub.broadcast(&NOTES, note("1")), Ok(()));
    assert_eq!(pubsub.broadcast(&NOTES, note("2")), Ok(()));
    assert_eq!(pubsub.broadcast(&NOTES, note("3")), Err(PubSubError::Full));
    // actix lets each sender (each clone of the handle) queue one message past capacity.
    let other = pubsub.clone();
    assert_eq!(other.broadcast(&NOTES, note("4")), Ok(()));
    assert_eq!(other.broadcast(&NOTES, note("5")), Err(PubSubError::Full));
    assert_eq!(pubsub.broadcast(&NOTES, note("6")), Err(PubSubError::Full));
}

#[actix_rt::test]
async fn a_local_pubsub_has_no_other_nodes() {
    let pubsub = PubSub::start();
    let probe = Probe::start(16);
    let _s = pubsub.subscribe(&NOTES, probe.clone().recipient()).unwrap();
    assert_eq!(
        pubsub.direct_broadcast("elsewhere", &NOTES, note("x")),
        Err(PubSubError::NotClustered)
    );
    // Its own name is this node.
    pubsub
        .direct_broadcast("local", &NOTES, note("here"))
        .unwrap();
    assert_eq!(take_until(&probe, 1).await, ["here"]);
    let stats = pubsub.stats();
    assert!(!stats.clustered && !stats.connected);
    assert_eq!(stats.dropped.total(), 0);
    assert!(matches!(
        PubSub::builder().node("").start(),
        Err(PubSubError::InvalidNodeName)
    ));
    assert!(PubSub::builder().node("n".repeat(256)).start().is_err());
}
