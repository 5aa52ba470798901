//! A session that does not read: pushes are never queued without bound, and the client is
//! brought back in sync with a full render once there is room.

use std::time::{Duration, Instant};

use actix::{Actor, Context, Handler, Message};
use liveview_diff::{html, ClientTree, Rendered};
use liveview_session::{
    start_view, Assigns, Info, LiveView, Mount, MountOutcome, Params, PushKind, Session, Socket,
    SpawnArgs, ViewError, ViewPush,
};

#[derive(Default)]
struct Ticker;

impl LiveView for Ticker {
    type Info = u32;
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("n", 0_u32);
        Ok(())
    }

    fn handle_info(&mut self, n: u32, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("n", n);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let n: u32 = a.get("n");
        html! { b { (n) } }
    }
}

/// A session stand-in with a mailbox of one.
#[derive(Default)]
struct Narrow(Vec<String>);

impl Actor for Narrow {
    type Context = Context<Self>;
    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.set_mailbox_capacity(1);
    }
}

impl Handler<ViewPush> for Narrow {
    type Result = ();
    fn handle(&mut self, m: ViewPush, _: &mut Context<Self>) {
        if let PushKind::Diff(d) = m.kind {
            self.0.push(d);
        }
    }
}

struct Take;
impl Message for Take {
    type Result = Vec<String>;
}
impl Handler<Take> for Narrow {
    type Result = Vec<String>;
    fn handle(&mut self, _: Take, _: &mut Context<Self>) -> Vec<String> {
        self.0.clone()
    }
}

#[actix_rt::test]
async fn dropped_pushes_are_replaced_by_a_full_render() {
    let narrow = Narrow::default().start();
    let args = SpawnArgs::new(
        "lv:t",
        Params::new(),
        Session::new(),
        narrow.clone().recipient(),
    );
    let addr = start_view(Ticker::default, args);
    let MountOutcome::Rendered { rendered, .. } = addr.send(Mount).await.unwrap().unwrap() else {
        panic!("mount navigated");
    };
    // Five updates in one go: the session-stand-in cannot take them all.
    for n in 1..=5 {
        addr.do_send(Info(n));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let pushed = narrow.send(Take).await.unwrap();
        let mut client = ClientTree::from_json(&rendered).unwrap();
        for d in &pushed {
            client.merge_json(d).unwrap();
        }
        if client.to_html() == "<b>5</b>" {
            // Some pushes were dropped, and the last one delivered is a full render.
            assert!(pushed.len() < 5, "nothing was dropped: {pushed:?}");
            assert!(pushed.last().unwrap().contains("\"s\""), "{pushed:?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "client never caught up: {pushed:?}"
        );
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    }
}
