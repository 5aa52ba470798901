//! One task per socket: the views joined on a websocket run inside their session's task.
//!
//! Each view stays a supervised actix actor, with its own `Context`, mailbox, typed messages
//! and restarts ([`Supervise`] does what actix's `Supervisor` does, without spawning a task of
//! its own). The session polls each view's future as one of its own context's futures
//! ([`ViewDriver`]), and, in the same poll, drains the view's [`Outlet`] into the socket. So a
//! click is read, handled by the view, rendered and answered in one poll of one task: the
//! session's `Call` is the event's only message hop, and the answer needs no second one.
//!
//! A side effect worth knowing: the views of a socket whose client stops reading are not
//! polled either (actix-web stops polling a response that cannot be written), so they freeze
//! instead of rendering for nobody; their mailboxes fill and bounded senders (PubSub) count
//! what they miss. The kernel ends such a connection after
//! [`SEND_TIMEOUT`](crate::SEND_TIMEOUT).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use actix::dev::ContextFut;
use actix::{Actor, ActorFuture, Context, Supervised};
use actix_web_actors::ws::WebsocketContext;

use crate::outlet::Outlet;
use crate::session::SessionActor;

static CALLS: AtomicU64 = AtomicU64::new(0);
static POLLS: AtomicU64 = AtomicU64::new(0);
static SESSION_MESSAGES: AtomicU64 = AtomicU64::new(0);

/// Counters of the message hops and view polls the runtime made, for tests that check an event
/// still takes one hop: requests sent by sessions to their views, and polls of view futures by
/// their sessions.
///
/// Process-wide and monotonic; compare before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HopCounters {
    /// Requests (join, event, patch, leave) sent by sessions to views.
    pub calls: u64,
    /// Polls of view futures inside their sessions' tasks.
    pub view_polls: u64,
    /// Messages views sent to a session's mailbox (only views started on their own with a
    /// session as push recipient do; a session's own views never do).
    pub session_messages: u64,
}

/// The current [`HopCounters`].
pub fn hop_counters() -> HopCounters {
    HopCounters {
        calls: CALLS.load(Ordering::Relaxed),
        view_polls: POLLS.load(Ordering::Relaxed),
        session_messages: SESSION_MESSAGES.load(Ordering::Relaxed),
    }
}

pub(crate) fn count_session_message() {
    SESSION_MESSAGES.fetch_add(1, Ordering::Relaxed);
}

pub(crate) fn count_call() {
    CALLS.fetch_add(1, Ordering::Relaxed);
}

/// A supervised actor's future: runs the actor's context; when the actor stops while its
/// address is still held, restarts it ([`Supervised::restarting`]), as actix's `Supervisor`
/// does, and ends when no address is left.
pub(crate) struct Supervise<A>
where
    A: Actor<Context = Context<A>> + Supervised,
{
    fut: ContextFut<A, Context<A>>,
}

impl<A> Supervise<A>
where
    A: Actor<Context = Context<A>> + Supervised,
{
    pub(crate) fn new(fut: ContextFut<A, Context<A>>) -> Self {
        Self { fut }
    }
}

impl<A> Future for Supervise<A>
where
    A: Actor<Context = Context<A>> + Supervised,
{
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            match Pin::new(&mut this.fut).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(()) => {
                    if !this.fut.restart() {
                        return Poll::Ready(());
                    }
                }
            }
        }
    }
}

/// A view's future, polled by its session, which then writes what the view queued.
pub(crate) struct ViewDriver {
    pub(crate) task: Pin<Box<dyn Future<Output = ()>>>,
    pub(crate) outlet: Outlet,
    pub(crate) topic: Arc<str>,
    pub(crate) join_ref: Arc<str>,
}

impl ActorFuture<SessionActor> for ViewDriver {
    type Output = ();

    fn poll(
        self: Pin<&mut Self>,
        session: &mut SessionActor,
        ctx: &mut WebsocketContext<SessionActor>,
        task: &mut TaskContext<'_>,
    ) -> Poll<()> {
        let this = self.get_mut();
        POLLS.fetch_add(1, Ordering::Relaxed);
        let done = this.task.as_mut().poll(task);
        while let Some(out) = this.outlet.next() {
            session.deliver(&this.topic, &this.join_ref, out, ctx);
        }
        if done.is_ready() {
            session.view_ended(&this.topic, &this.join_ref, ctx);
        }
        done
    }
}
