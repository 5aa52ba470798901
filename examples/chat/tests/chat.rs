//! The chat, in process: two views of one room, a message submitted in one appears in both.

use example_chat::{Chat, ChatMessage, Room, LOBBY, MAX_MESSAGES};
use liveview::prelude::PubSub;
use liveview_session::MemoryBus;
use liveview_test::{
    assert_receive, assert_sent, InProcess, Inbound, LiveViewTest, Outbound, PushKind,
};

/// One chat page, mounted in process.
type Page = LiveViewTest<InProcess<Chat>>;
use serde_json::json;

/// A fresh room, with its own broker.
fn room() -> Room {
    Room::new(PubSub::start())
}

/// Opens a page of `room`.
async fn open(room: &Room) -> Page {
    let room = room.clone();
    LiveViewTest::builder(move || Chat::new(room.clone()))
        .mount()
        .await
}

/// Waits until the view pushed a diff containing `text`.
async fn await_push(view: &Page, text: &str) -> String {
    let Outbound::Push(PushKind::Diff(diff)) = assert_sent!(
        view.mailbox(),
        Outbound::Push(PushKind::Diff(d)) if d.contains(text)
    ) else {
        unreachable!()
    };
    diff
}

#[actix_rt::test]
async fn the_dead_render_shows_an_empty_list_and_the_form() {
    let view = open(&room()).await;
    let html = view.dead_html();
    assert!(html.contains(r#"<ul id="messages"></ul>"#), "{html}");
    assert!(
        html.contains(r#"<form id="compose" phx-submit="send"><input type="text" name="body""#),
        "{html}"
    );
    assert_eq!(view.text("#me"), "guest-1");
}

#[actix_rt::test]
async fn a_message_sent_in_one_view_appears_in_every_connected_view() {
    let room = room();
    let mut alice = open(&room).await;
    let bob = open(&room).await;
    assert_eq!(alice.text("#me"), "guest-1");
    assert_eq!(bob.text("#me"), "guest-2");

    alice
        .submit("#compose", json!({"body": "  hello, bob  "}))
        .await;
    assert_receive!(alice.mailbox(), Inbound::Event { event, .. } if event == "send");

    // Bob's view received it from the broker and pushed it; so did Alice's own.
    await_push(&bob, "hello, bob").await;
    await_push(&alice, "hello, bob").await;
    for view in [&alice, &bob] {
        assert_eq!(view.text("#msg-1 .author"), "guest-1");
        assert_eq!(view.text("#msg-1 .body"), "hello, bob");
    }
}

#[actix_rt::test]
async fn each_new_message_travels_as_one_new_keyed_row() {
    let room = room();
    let mut alice = open(&room).await;
    let bob = open(&room).await;
    alice.submit("#compose", json!({"body": "one"})).await;
    await_push(&bob, "one").await;
    alice.submit("#compose", json!({"body": "two"})).await;
    let diff = await_push(&bob, "two").await;
    // Only the new row: the first one stays where it is, its text does not travel again.
    assert!(!diff.contains("one"), "{diff}");
    assert!(diff.contains(r#""kc":2"#), "{diff}");
    let html = bob.element_html("#messages");
    assert!(
        html.find("msg-1").unwrap() < html.find("msg-2").unwrap(),
        "{html}"
    );
}

#[actix_rt::test]
async fn a_blank_message_is_not_broadcast() {
    let room = room();
    let mut alice = open(&room).await;
    let bob = open(&room).await;
    alice.submit("#compose", json!({"body": "   "})).await;
    alice.submit("#compose", json!({"body": "visible"})).await;
    await_push(&bob, "visible").await;
    // The blank one took no id and reached no one: the first row is the visible one.
    assert_eq!(bob.text("#msg-1 .body"), "visible");
    assert!(!bob.has_element("#messages li:nth-child(2)", None));
}

#[actix_rt::test]
async fn a_page_keeps_only_the_latest_messages() {
    let room = room();
    let view = open(&room).await;
    for i in 1..=MAX_MESSAGES as u64 + 2 {
        let message = ChatMessage {
            id: i.to_string(),
            author: "bot".into(),
            body: format!("n{i}"),
        };
        room.pubsub().broadcast(&LOBBY, message).unwrap();
    }
    await_push(&view, &format!("n{}", MAX_MESSAGES + 2)).await;
    assert!(!view.has_element("#msg-2", None));
    assert!(view.has_element("#msg-3", None));
    assert_eq!(
        view.render().matches(r#"<li id="msg-"#).count(),
        MAX_MESSAGES,
        "{}",
        view.render()
    );
}

#[actix_rt::test]
async fn a_view_that_leaves_is_no_longer_subscribed() {
    let room = room();
    let mut alice = open(&room).await;
    let mut bob = open(&room).await;
    assert_eq!(room.pubsub().subscriber_count(&LOBBY).await.unwrap(), 2);
    alice.leave().await;
    assert_eq!(room.pubsub().subscriber_count(&LOBBY).await.unwrap(), 1);
    bob.leave().await;
    assert_eq!(room.pubsub().subscriber_count(&LOBBY).await.unwrap(), 0);
}

/// Waits until `view` shows exactly `names` in `#who`.
async fn await_who(view: &Page, names: &[&str]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let html = view.render();
        let shown: Vec<String> = names
            .iter()
            .filter(|n| view.has_element(&format!("#who-{n}"), None))
            .map(|n| (*n).to_owned())
            .collect();
        let count = html.matches(r#"<li id="who-"#).count();
        if shown.len() == names.len() && count == names.len() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "#who is not {names:?}: {html}"
        );
        actix_rt::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

#[actix_rt::test]
async fn who_is_here_lists_every_connected_page_and_drops_the_ones_that_leave() {
    let room = room();
    let mut alice = open(&room).await;
    let bob = open(&room).await;
    await_who(&alice, &["guest-1", "guest-2"]).await;
    await_who(&bob, &["guest-1", "guest-2"]).await;
    alice.leave().await;
    await_who(&bob, &["guest-2"]).await;
}

#[actix_rt::test]
async fn two_nodes_on_one_bus_share_messages_and_presence_with_ids_that_do_not_collide() {
    let bus = MemoryBus::new();
    let node = |name: &str| {
        Room::new(
            PubSub::builder()
                .node(name)
                .adapter(bus.adapter())
                .start()
                .unwrap(),
        )
    };
    let (room_a, room_b) = (node("a"), node("b"));
    let mut alice = open(&room_a).await;
    let bob = open(&room_b).await;
    assert_eq!(alice.text("#me"), "guest-1-a");
    assert_eq!(bob.text("#me"), "guest-1-b");
    assert_eq!(bob.text("#node"), "b");
    await_who(&alice, &["guest-1-a", "guest-1-b"]).await;
    await_who(&bob, &["guest-1-a", "guest-1-b"]).await;

    alice.submit("#compose", json!({"body": "across"})).await;
    await_push(&bob, "across").await;
    await_push(&alice, "across").await;
    let id = |view: &Page| {
        let html = view.render();
        let start = html.find(r#"<li id="msg-"#).expect("a message") + 8;
        html[start..start + html[start..].find('"').unwrap()].to_owned()
    };
    // The same id on both pages, carrying the node's name.
    assert_eq!(id(&alice), id(&bob));
    assert!(id(&bob).starts_with("msg-1-a-"), "{}", id(&bob));

    // The link goes down: the page says so, and comes back.
    bus.set_connected(false);
    let paused =
        assert_sent!(bob.mailbox(), Outbound::Push(PushKind::Diff(d)) if d.contains("paused"));
    drop(paused);
    assert!(bob.has_element("#paused", None));
    bus.set_connected(true);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while bob.has_element("#paused", None) {
        assert!(std::time::Instant::now() < deadline, "still paused");
        actix_rt::time::sleep(std::time::Duration::from_millis(5)).await;
    }

    alice.leave().await;
    await_who(&bob, &["guest-1-b"]).await;
}
