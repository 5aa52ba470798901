//! `Socket::defer_reply`: a held event is answered when its handle is used or dropped, later
//! messages wait behind it, and no thread is blocked meanwhile.

use std::sync::mpsc;
use std::time::Duration;

use actix::{Actor, Context, Handler};
use liveview_diff::{html, Rendered};
use liveview_session::{
    dead_render, spawn_view, Assigns, DeadRender, HandleEvent, LiveView, Mount, Params,
    ReplyHandle, Session, Socket, SpawnArgs, ViewError, ViewPush, ViewRecipients,
};
use serde_json::{json, Value};

/// Counts `inc`; `hold` increments too and hands its reply handle to the test.
struct Holder {
    handles: mpsc::Sender<ReplyHandle>,
}

impl LiveView for Holder {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("n", 0_u32);
        if !s.connected() {
            // The dead render has no reply to hold: the handle is released at once.
            let handle = s.defer_reply();
            s.assign("held_in_dead_render", handle.is_waiting());
        }
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        s: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        s.update("n", |n: &mut u32| *n += 1);
        if event == "hold" {
            let handle = s.defer_reply();
            assert!(handle.is_waiting());
            self.handles
                .send(handle)
                .map_err(|e| ViewError::other(e.to_string()))?;
        }
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let n: u32 = a.get("n");
        html! { b { (n) } }
    }
}

struct Ignore;
impl Actor for Ignore {
    type Context = Context<Self>;
}
impl Handler<ViewPush> for Ignore {
    type Result = ();
    fn handle(&mut self, _: ViewPush, _: &mut Context<Self>) {}
}

fn event(name: &str) -> HandleEvent {
    HandleEvent {
        kind: "click".into(),
        event: name.into(),
        value: json!({}),
        cid: None,
    }
}

async fn mounted() -> (ViewRecipients, mpsc::Receiver<ReplyHandle>) {
    let (tx, rx) = mpsc::channel();
    let args = SpawnArgs::new(
        "lv:1",
        Params::new(),
        Session::new(),
        Ignore.start().recipient(),
    );
    let view = spawn_view(
        move || Holder {
            handles: tx.clone(),
        },
        args,
    );
    view.mount.send(Mount).await.unwrap().unwrap();
    (view, rx)
}

#[actix_rt::test]
async fn held_event_is_answered_on_release_and_later_events_wait_behind_it() {
    let (view, handles) = mounted().await;
    let mut held = Box::pin(view.event.send(event("hold")));
    let mut later = Box::pin(view.event.send(event("inc")));
    let wait = Duration::from_millis(100);
    assert!(
        actix_rt::time::timeout(wait, &mut held).await.is_err(),
        "answered while held"
    );
    assert!(
        actix_rt::time::timeout(wait, &mut later).await.is_err(),
        "ran while held"
    );

    let handle = handles
        .try_recv()
        .expect("the view handed its reply handle out");
    // Released from another thread, as a timer or an HTTP handler would.
    let released = std::thread::spawn(move || handle.reply(json!({"ok": true})))
        .join()
        .unwrap();
    assert!(released);
    let reply = held.await.unwrap().unwrap();
    assert_eq!(reply.diff.as_deref(), Some(r#"{"0":"1","r":{"ok":true}}"#));
    let reply = later.await.unwrap().unwrap();
    assert_eq!(reply.diff.as_deref(), Some(r#"{"0":"2"}"#));
}

#[actix_rt::test]
async fn dropping_the_handle_releases_the_view_with_the_callbacks_reply() {
    let (view, handles) = mounted().await;
    let mut held = Box::pin(view.event.send(event("hold")));
    assert!(
        actix_rt::time::timeout(Duration::from_millis(50), &mut held)
            .await
            .is_err()
    );
    drop(handles.try_recv().expect("handle"));
    let reply = held.await.unwrap().unwrap();
    assert_eq!(reply.diff.as_deref(), Some(r#"{"0":"1"}"#));
}

#[test]
fn defer_reply_in_the_dead_render_holds_nothing() {
    let (tx, _rx) = mpsc::channel();
    let page = dead_render(
        &mut Holder { handles: tx },
        &Params::new(),
        &Session::new(),
        "/",
    )
    .unwrap();
    assert!(matches!(page, DeadRender::Page { ref html, .. } if html == "<b>0</b>"));
}
