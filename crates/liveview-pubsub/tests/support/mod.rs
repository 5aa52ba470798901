//! A probe actor that records what it receives, and waits with deadlines.
#![allow(dead_code, unreachable_pub)]

use std::time::{Duration, Instant};

use actix::{Actor, ActorContext, Addr, AsyncContext, Context, Handler, Message, WrapFuture};
use liveview_pubsub::Info;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note(pub String);

pub fn note(s: &str) -> Note {
    Note(s.to_owned())
}

/// Records the notes it receives.
pub struct Probe {
    got: Vec<String>,
    capacity: usize,
}

impl Probe {
    pub fn start(capacity: usize) -> Addr<Probe> {
        Probe {
            got: Vec::new(),
            capacity,
        }
        .start()
    }
}

impl Actor for Probe {
    type Context = Context<Self>;
    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.set_mailbox_capacity(self.capacity);
    }
}

impl Handler<Info<Note>> for Probe {
    type Result = ();
    fn handle(&mut self, Info(Note(n)): Info<Note>, _: &mut Context<Self>) {
        self.got.push(n);
    }
}

pub struct Take;
impl Message for Take {
    type Result = Vec<String>;
}
impl Handler<Take> for Probe {
    type Result = actix::MessageResult<Take>;
    fn handle(&mut self, _: Take, _: &mut Context<Self>) -> Self::Result {
        actix::MessageResult(std::mem::take(&mut self.got))
    }
}

pub struct Stop;
impl Message for Stop {
    type Result = ();
}
impl Handler<Stop> for Probe {
    type Result = ();
    fn handle(&mut self, _: Stop, ctx: &mut Context<Self>) {
        ctx.stop();
    }
}

/// Blocks the probe until the sender side is dropped or used.
pub struct BlockUntil(pub tokio::sync::oneshot::Receiver<()>);
impl Message for BlockUntil {
    type Result = ();
}
impl Handler<BlockUntil> for Probe {
    type Result = ();
    fn handle(&mut self, BlockUntil(gate): BlockUntil, ctx: &mut Context<Self>) {
        ctx.wait(
            async move {
                let _ = gate.await;
            }
            .into_actor(self),
        );
    }
}

/// Everything `probe` receives until it has `n` notes (5 s at most).
pub async fn take_until(probe: &Addr<Probe>, n: usize) -> Vec<String> {
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while got.len() < n {
        assert!(Instant::now() < deadline, "only {got:?} of {n}");
        got.extend(probe.send(Take).await.unwrap());
        actix_rt::time::sleep(Duration::from_millis(1)).await;
    }
    got
}

/// Waits until `cond` holds (5 s at most).
pub async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        actix_rt::time::sleep(Duration::from_millis(1)).await;
    }
}
