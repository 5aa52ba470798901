//! Mailboxes: the typed traffic of each view actor, in order; crash and restart included.

mod support;

use actix::{Actor, Context, Handler};
use liveview_session::{
    HandleEvent, Mount, MountOutcome, Params, PushKind, Session, SpawnArgs, ViewPush,
};
use liveview_test::{
    assert_no_more, assert_receive, assert_sent, live, Inbound, MailboxEntry, Outbound,
};
use support::{Counter, Fragile};

#[actix_rt::test]
async fn clicking_inc_increments_and_is_recorded() {
    let mut view = live::<Counter>("/").await;
    assert_eq!(view.text("#count"), "0");
    view.click("#inc").await;
    assert_eq!(view.text("#count"), "1");
    assert_receive!(view.mailbox(), Inbound::Event { event, .. } if event == "inc");
}

#[actix_rt::test]
async fn the_mailbox_records_commands_and_replies_in_order() {
    let mut view = live::<Counter>("/").await;
    view.click("#inc").await;
    view.send_info(5).await;
    let entries = view.mailbox().entries();
    assert!(
        matches!(entries[0], MailboxEntry::In(Inbound::Mount)),
        "{entries:?}"
    );
    assert!(matches!(
        &entries[1],
        MailboxEntry::Out(Outbound::Mounted(MountOutcome::Rendered { .. }))
    ));
    assert!(
        matches!(&entries[2], MailboxEntry::In(Inbound::Event { kind, event, value, cid: None })
        if kind == "click" && event == "inc" && *value == serde_json::json!({"value": ""}))
    );
    assert!(
        matches!(&entries[3], MailboxEntry::Out(Outbound::Reply { diff: Some(d), navigation: None })
        if d == r#"{"0":"1","t":"Counter 1"}"#),
        "{entries:?}"
    );
    assert!(matches!(&entries[4], MailboxEntry::In(Inbound::Info { message }) if message == "5"));
    assert!(
        matches!(&entries[5], MailboxEntry::Out(Outbound::Push(PushKind::Diff(d))) if d == r#"{"0":"5"}"#)
    );
    assert_eq!(entries.len(), 6, "{entries:?}");
}

#[actix_rt::test]
async fn assertions_consume_and_assert_no_more_sees_the_rest() {
    let mut view = live::<Counter>("/").await;
    view.mailbox().flush();
    view.click("#inc").await;
    assert_receive!(view.mailbox(), Inbound::Event { .. });
    let reply = assert_sent!(view.mailbox(), Outbound::Reply { .. });
    assert!(matches!(reply, Outbound::Reply { diff: Some(_), .. }));
    assert_no_more!(view.mailbox());
}

#[actix_rt::test]
#[should_panic(expected = "expected no more messages, but 2 arrived unasserted")]
async fn assert_no_more_lists_what_was_not_asserted() {
    let mut view = live::<Counter>("/").await;
    view.mailbox().flush();
    view.click("#inc").await;
    assert_no_more!(view.mailbox());
}

#[actix_rt::test]
#[should_panic(
    expected = "no message matching `In(Inbound::Event { event, .. } if event == \"dec\")` arrived within"
)]
async fn assert_receive_times_out_naming_the_pattern_and_the_mailbox() {
    let mut view = live::<Counter>("/").await;
    view.click("#inc").await;
    assert_receive!(
        view.mailbox(),
        Inbound::Event { event, .. } if event == "dec",
        timeout = std::time::Duration::from_millis(50)
    );
}

#[actix_rt::test]
async fn assert_sent_waits_for_a_timer_push() {
    let view = live::<support::Navigator>("/").await;
    view.mailbox().flush();
    let mut view = view;
    view.send_info("later").await;
    assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(d)) if d.contains("pong"));
}

#[actix_rt::test]
async fn a_crash_and_restart_are_visible_in_the_mailbox() {
    let mut view = live::<Fragile>("/").await;
    view.click("#inc").await;
    assert_eq!(view.text("#n"), "1");
    view.mailbox().flush();

    let html = view.click("#boom").await;
    // The restarted view mounted afresh and pushed a full render, which the client merged.
    assert!(html.contains("<b id=\"n\">0</b>"), "{html}");
    assert_receive!(view.mailbox(), Inbound::Event { event, .. } if event == "boom");
    assert_sent!(view.mailbox(), Outbound::Error { crashed: true, message } if message.contains("boom"));
    assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(d)) if d.contains("\"s\""));
    assert_no_more!(view.mailbox());

    // And it keeps working.
    view.click("#inc").await;
    assert_eq!(view.text("#n"), "1");
}

#[actix_rt::test]
async fn leaving_sends_shutdown() {
    let mut view = live::<Counter>("/").await;
    view.leave().await;
    assert_receive!(view.mailbox(), Inbound::Shutdown);
}

struct Collect(Vec<PushKind>);
struct Take;
impl actix::Message for Take {
    type Result = Vec<PushKind>;
}
impl Handler<Take> for Collect {
    type Result = Vec<PushKind>;
    fn handle(&mut self, _: Take, _: &mut Context<Self>) -> Vec<PushKind> {
        std::mem::take(&mut self.0)
    }
}
impl Actor for Collect {
    type Context = Context<Self>;
}
impl Handler<ViewPush> for Collect {
    type Result = ();
    fn handle(&mut self, m: ViewPush, _: &mut Context<Self>) {
        self.0.push(m.kind);
    }
}

#[actix_rt::test]
async fn views_spawned_directly_are_recorded_and_their_pushes_forwarded() {
    let sink = Collect(Vec::new()).start();
    let args = SpawnArgs::new(
        "lv:x",
        Params::new(),
        Session::new(),
        sink.clone().recipient(),
    );
    let view = liveview_test::spawn(Fragile::default, args);
    view.recipients().mount.send(Mount).await.unwrap().unwrap();
    let boom = HandleEvent {
        kind: "click".into(),
        event: "boom".into(),
        value: serde_json::json!({}),
        cid: None,
    };
    assert!(view.recipients().event.send(boom).await.unwrap().is_err());

    assert_receive!(view.mailbox(), Inbound::Mount);
    assert_sent!(view.mailbox(), Outbound::Mounted(_));
    assert_receive!(view.mailbox(), Inbound::Event { event, .. } if event == "boom");
    assert_sent!(view.mailbox(), Outbound::Error { crashed: true, .. });
    let pushed = assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(_)));
    assert_no_more!(view.mailbox());
    // The push went on to the recipient given in the arguments.
    let Outbound::Push(kind) = pushed else {
        unreachable!()
    };
    assert_eq!(sink.send(Take).await.unwrap(), vec![kind]);
}

#[actix_rt::test]
async fn views_of_a_registry_entry_can_be_recorded() {
    let sink = Collect(Vec::new()).start();
    let entry = liveview_session::ViewEntry::new("counter", Counter::default);
    let args = SpawnArgs::new("lv:y", Params::new(), Session::new(), sink.recipient());
    let (recipients, mailbox) = liveview_test::record(args, move |a| entry.spawn(a));
    recipients.mount.send(Mount).await.unwrap().unwrap();
    recipients
        .shutdown
        .send(liveview_session::Shutdown)
        .await
        .unwrap();
    assert_eq!(mailbox.inbound(), vec![Inbound::Mount, Inbound::Shutdown]);
}
