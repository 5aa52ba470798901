//! `RecorderActor`: the proxy put between a view actor and whoever drives it, recording every
//! command, info message, reply and push in a [`Mailbox`] before passing it on.

use std::fmt::Debug;

use actix::{
    Actor, ActorContext, ActorFutureExt, AsyncContext, AtomicResponse, Context, Handler, Recipient,
    WrapFuture,
};
use liveview_session::{
    AsyncPending, DestroyComponents, HandleEvent, HandleParams, Hooks, Info, LiveView, Mount,
    MountOutcome, Reply, Shutdown, SpawnArgs, ViewError, ViewPush, ViewRecipients, ViewSpawner,
};

use crate::mailbox::{Inbound, Mailbox, MailboxEntry, Outbound};

/// Records and forwards; generic over the info message type `M` (`()` when none).
struct RecorderActor<M: Send + 'static> {
    mailbox: Mailbox,
    target: Option<ViewRecipients>,
    info: Option<Recipient<Info<M>>>,
    /// Where the harness asks how many async tasks the view runs (not recorded).
    pending: Option<Recipient<AsyncPending>>,
    forward: Option<Recipient<ViewPush>>,
}

impl<M: Send + Unpin + 'static> Actor for RecorderActor<M> {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        // Pushes arrive with `try_send`; a test reads them at its own pace.
        ctx.set_mailbox_capacity(4096);
    }
}

fn outcome<T>(
    res: Result<Result<T, ViewError>, actix::MailboxError>,
    mailbox: &Mailbox,
    ok: impl FnOnce(&T) -> Outbound,
) -> Result<T, ViewError> {
    let res = res.map_err(ViewError::NotRunning).and_then(|r| r);
    let entry = match &res {
        Ok(v) => ok(v),
        Err(e) => Outbound::Error {
            message: e.to_string(),
            crashed: e.is_crash(),
        },
    };
    mailbox.record(MailboxEntry::Out(entry));
    res
}

fn not_started<T>() -> Result<T, ViewError> {
    Err(ViewError::other(
        "liveview-test recorder has no view to forward to",
    ))
}

impl<M: Send + Unpin + 'static> RecorderActor<M> {
    fn target(&self) -> Option<&ViewRecipients> {
        self.target.as_ref()
    }
}

// AtomicResponse: the recorder handles one command at a time, so the order of the replies in
// the mailbox is the order in which the view answered.
impl<M: Send + Unpin + 'static> Handler<Mount> for RecorderActor<M> {
    type Result = AtomicResponse<Self, Result<MountOutcome, ViewError>>;

    fn handle(&mut self, msg: Mount, _: &mut Context<Self>) -> Self::Result {
        self.mailbox.record(MailboxEntry::In(Inbound::Mount));
        let Some(to) = self.target().map(|t| t.mount.clone()) else {
            return AtomicResponse::new(Box::pin(actix::fut::ready(not_started())));
        };
        let mailbox = self.mailbox.clone();
        AtomicResponse::new(Box::pin(to.send(msg).into_actor(self).map(
            move |res, _, _| outcome(res, &mailbox, |o| Outbound::Mounted(o.clone())),
        )))
    }
}

fn reply_entry(r: &Reply) -> Outbound {
    Outbound::Reply {
        diff: r.diff.clone(),
        navigation: r.navigation.clone(),
    }
}

impl<M: Send + Unpin + 'static> Handler<HandleEvent> for RecorderActor<M> {
    type Result = AtomicResponse<Self, Result<Reply, ViewError>>;

    fn handle(&mut self, msg: HandleEvent, _: &mut Context<Self>) -> Self::Result {
        self.mailbox.record(MailboxEntry::In(Inbound::Event {
            kind: msg.kind.clone(),
            event: msg.event.clone(),
            value: msg.value.clone(),
            cid: msg.cid,
        }));
        let Some(to) = self.target().map(|t| t.event.clone()) else {
            return AtomicResponse::new(Box::pin(actix::fut::ready(not_started())));
        };
        let mailbox = self.mailbox.clone();
        AtomicResponse::new(Box::pin(
            to.send(msg)
                .into_actor(self)
                .map(move |res, _, _| outcome(res, &mailbox, reply_entry)),
        ))
    }
}

impl<M: Send + Unpin + 'static> Handler<HandleParams> for RecorderActor<M> {
    type Result = AtomicResponse<Self, Result<Reply, ViewError>>;

    fn handle(&mut self, msg: HandleParams, _: &mut Context<Self>) -> Self::Result {
        self.mailbox.record(MailboxEntry::In(Inbound::Params {
            params: msg.params.clone(),
            uri: msg.uri.clone(),
        }));
        let Some(to) = self.target().map(|t| t.params.clone()) else {
            return AtomicResponse::new(Box::pin(actix::fut::ready(not_started())));
        };
        let mailbox = self.mailbox.clone();
        AtomicResponse::new(Box::pin(
            to.send(msg)
                .into_actor(self)
                .map(move |res, _, _| outcome(res, &mailbox, reply_entry)),
        ))
    }
}

impl<M: Send + Unpin + 'static> Handler<DestroyComponents> for RecorderActor<M> {
    type Result = AtomicResponse<Self, Vec<u32>>;

    fn handle(&mut self, msg: DestroyComponents, _: &mut Context<Self>) -> Self::Result {
        self.mailbox
            .record(MailboxEntry::In(Inbound::Destroy(msg.clone())));
        let Some(to) = self.target().map(|t| t.destroy.clone()) else {
            return AtomicResponse::new(Box::pin(actix::fut::ready(Vec::new())));
        };
        let mailbox = self.mailbox.clone();
        AtomicResponse::new(Box::pin(to.send(msg).into_actor(self).map(
            move |res, _, _| {
                let gone = res.unwrap_or_default();
                mailbox.record(MailboxEntry::Out(Outbound::Destroyed(gone.clone())));
                gone
            },
        )))
    }
}

impl<M: Send + Unpin + 'static> Handler<Shutdown> for RecorderActor<M> {
    type Result = AtomicResponse<Self, ()>;

    fn handle(&mut self, msg: Shutdown, _: &mut Context<Self>) -> Self::Result {
        self.mailbox.record(MailboxEntry::In(Inbound::Shutdown));
        let Some(to) = self.target().map(|t| t.shutdown.clone()) else {
            return AtomicResponse::new(Box::pin(actix::fut::ready(())));
        };
        // The view holds the recorder (its push recipient) and the recorder holds the view:
        // stopping the recorder after the shutdown breaks the cycle, so both are dropped.
        AtomicResponse::new(Box::pin(to.send(msg).into_actor(self).map(
            |_, act, ctx: &mut Context<Self>| {
                act.target = None;
                act.info = None;
                act.pending = None;
                ctx.stop();
            },
        )))
    }
}

impl<M: Send + Unpin + Debug + 'static> Handler<Info<M>> for RecorderActor<M> {
    type Result = AtomicResponse<Self, ()>;

    fn handle(&mut self, msg: Info<M>, _: &mut Context<Self>) -> Self::Result {
        self.mailbox.record(MailboxEntry::In(Inbound::Info {
            message: format!("{:?}", msg.0),
        }));
        let Some(to) = self.info.clone() else {
            return AtomicResponse::new(Box::pin(actix::fut::ready(())));
        };
        AtomicResponse::new(Box::pin(to.send(msg).into_actor(self).map(|_, _, _| ())))
    }
}

/// Forwarded to the view, unrecorded; a view that is gone runs no task.
impl<M: Send + Unpin + 'static> Handler<AsyncPending> for RecorderActor<M> {
    type Result = AtomicResponse<Self, usize>;

    fn handle(&mut self, msg: AsyncPending, _: &mut Context<Self>) -> Self::Result {
        let Some(to) = self.pending.clone() else {
            return AtomicResponse::new(Box::pin(actix::fut::ready(0)));
        };
        AtomicResponse::new(Box::pin(
            to.send(msg).into_actor(self).map(|n, _, _| n.unwrap_or(0)),
        ))
    }
}

/// Answered once every message queued before it was recorded.
pub(crate) struct Barrier;

impl actix::Message for Barrier {
    type Result = ();
}

impl<M: Send + Unpin + 'static> Handler<Barrier> for RecorderActor<M> {
    type Result = ();

    fn handle(&mut self, _: Barrier, _: &mut Context<Self>) {}
}

impl<M: Send + Unpin + 'static> Handler<ViewPush> for RecorderActor<M> {
    type Result = ();

    fn handle(&mut self, msg: ViewPush, _: &mut Context<Self>) {
        self.mailbox
            .record(MailboxEntry::Out(Outbound::Push(msg.kind.clone())));
        if let Some(to) = &self.forward {
            if to.try_send(msg).is_err() {
                // The same policy as a view's own push: never block, never buffer unboundedly.
                eprintln!("liveview-test: a recorded push could not be forwarded");
            }
        }
    }
}

/// A view actor started through the recorder: the recipients to drive it with, and the
/// [`Mailbox`] of its traffic.
///
/// Everything sent through [`SpawnedView::recipients`] or [`SpawnedView::send_info`] reaches
/// the view through the recorder, and every reply and push comes back through it.
pub struct SpawnedView<V: LiveView> {
    recipients: ViewRecipients,
    info: Recipient<Info<V::Info>>,
    barrier: Recipient<Barrier>,
    pending: Recipient<AsyncPending>,
    mailbox: Mailbox,
}

impl<V: LiveView> Debug for SpawnedView<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpawnedView")
            .field("view", &std::any::type_name::<V>())
            .field("mailbox", &self.mailbox)
            .finish()
    }
}

impl<V: LiveView> SpawnedView<V> {
    /// The recording recipients, one per command; hand them to whatever drives the view.
    pub fn recipients(&self) -> &ViewRecipients {
        &self.recipients
    }

    /// The recording recipient of the view's [`Info`] messages.
    pub fn info_recipient(&self) -> Recipient<Info<V::Info>> {
        self.info.clone()
    }

    /// Sends an [`Info`] message to the view, through the recorder, and waits until the view
    /// handled it (and what it pushed was recorded).
    pub async fn send_info(&self, msg: V::Info) {
        let _ = self.info.send(Info(msg)).await;
        self.settle().await;
    }

    /// Waits until the messages the view already sent are recorded.
    pub(crate) async fn settle(&self) {
        for _ in 0..4 {
            actix_rt::task::yield_now().await;
        }
        let _ = self.barrier.send(Barrier).await;
    }

    /// How many async tasks (`assign_async`, `start_async`) the view runs now.
    pub(crate) async fn async_pending(&self) -> usize {
        self.pending.send(AsyncPending).await.unwrap_or(0)
    }

    /// The traffic recorded so far.
    pub fn mailbox(&self) -> &Mailbox {
        &self.mailbox
    }
}

/// Starts a supervised view actor, as [`liveview_session::spawn_view`] does, with a recorder
/// in front of it and behind it.
///
/// The view's pushes are recorded and then forwarded to `args.push` (the recipient a session
/// would be). Outside an actix system this panics, as every actor start does.
///
/// ```
/// use actix::{Actor, Context, Handler};
/// use liveview_diff::{html, Rendered};
/// use liveview_session::*;
/// use liveview_test::{assert_receive, assert_sent, Inbound, Outbound};
///
/// #[derive(Default)]
/// struct Hello;
/// impl LiveView for Hello {
///     type Info = ();
///     type Event = ();
///     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
///         s.assign("name", "world".to_owned());
///         Ok(())
///     }
///     fn render(&self, a: &Assigns) -> Rendered {
///         let name: String = a.get("name");
///         html! { p { "Hello " (name) } }
///     }
/// }
///
/// struct Ignore;
/// impl Actor for Ignore { type Context = Context<Self>; }
/// impl Handler<ViewPush> for Ignore { type Result = (); fn handle(&mut self, _: ViewPush, _: &mut Context<Self>) {} }
///
/// # actix::System::new().block_on(async {
/// let args = SpawnArgs::new("lv:1", Params::new(), Session::new(), Ignore.start().recipient());
/// let view = liveview_test::spawn(Hello::default, args);
/// view.recipients().mount.send(Mount).await.unwrap().unwrap();
/// assert_receive!(view.mailbox(), Inbound::Mount);
/// assert_sent!(view.mailbox(), Outbound::Mounted(MountOutcome::Rendered { rendered, .. })
///     if rendered.contains("Hello "));
/// # });
/// ```
pub fn spawn<V, F>(factory: F, args: SpawnArgs) -> SpawnedView<V>
where
    V: LiveView,
    V::Info: Debug,
    F: Fn() -> V + 'static,
{
    spawn_recorded(factory, args, Hooks::new(), true)
}

pub(crate) fn spawn_recorded<V, F>(
    factory: F,
    mut args: SpawnArgs,
    hooks: Hooks,
    forward: bool,
) -> SpawnedView<V>
where
    V: LiveView,
    V::Info: Debug,
    F: Fn() -> V + 'static,
{
    let mailbox = Mailbox::new();
    let mb = mailbox.clone();
    let addr = RecorderActor::<V::Info>::create(move |ctx| {
        let me = ctx.address();
        let forward_to = forward.then(|| args.push.clone());
        args.push = me.recipient();
        let view = ViewSpawner::new(factory).hooks(hooks).start(args);
        RecorderActor {
            mailbox: mb,
            target: Some(ViewRecipients {
                mount: view.clone().recipient(),
                event: view.clone().recipient(),
                params: view.clone().recipient(),
                shutdown: view.clone().recipient(),
                destroy: view.clone().recipient(),
            }),
            info: Some(view.clone().recipient()),
            pending: Some(view.recipient()),
            forward: forward_to,
        }
    });
    SpawnedView {
        recipients: ViewRecipients {
            mount: addr.clone().recipient(),
            event: addr.clone().recipient(),
            params: addr.clone().recipient(),
            shutdown: addr.clone().recipient(),
            destroy: addr.clone().recipient(),
        },
        info: addr.clone().recipient(),
        barrier: addr.clone().recipient(),
        pending: addr.recipient(),
        mailbox,
    }
}

/// Puts a recorder around a view started by someone else (e.g.
/// [`ViewEntry::spawn`](liveview_session::ViewEntry::spawn)): `start` receives the arguments
/// with the recorder as their push recipient, and the returned recipients go through the
/// recorder. Pushes are forwarded to the original `args.push`. Info messages cannot be
/// recorded this way (the view's type is erased); use [`spawn`] for that.
///
/// ```
/// # use actix::{Actor, Context, Handler};
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::*;
/// # #[derive(Default)] struct Hello;
/// # impl LiveView for Hello {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
/// # }
/// # struct Ignore;
/// # impl Actor for Ignore { type Context = Context<Self>; }
/// # impl Handler<ViewPush> for Ignore { type Result = (); fn handle(&mut self, _: ViewPush, _: &mut Context<Self>) {} }
/// use liveview_test::{assert_receive, record, Inbound};
///
/// # actix::System::new().block_on(async {
/// let entry = ViewEntry::new("hello", Hello::default);
/// let args = SpawnArgs::new("lv:1", Params::new(), Session::new(), Ignore.start().recipient());
/// let (view, mailbox) = record(args, move |args| entry.spawn(args));
/// view.mount.send(Mount).await.unwrap().unwrap();
/// assert_receive!(mailbox, Inbound::Mount);
/// # });
/// ```
pub fn record(
    mut args: SpawnArgs,
    start: impl FnOnce(SpawnArgs) -> ViewRecipients + 'static,
) -> (ViewRecipients, Mailbox) {
    let mailbox = Mailbox::new();
    let mb = mailbox.clone();
    let addr = RecorderActor::<()>::create(move |ctx| {
        let forward = Some(args.push.clone());
        args.push = ctx.address().recipient();
        RecorderActor {
            mailbox: mb,
            target: Some(start(args)),
            info: None,
            pending: None,
            forward,
        }
    });
    let recipients = ViewRecipients {
        mount: addr.clone().recipient(),
        event: addr.clone().recipient(),
        params: addr.clone().recipient(),
        shutdown: addr.clone().recipient(),
        destroy: addr.recipient(),
    };
    (recipients, mailbox)
}

/// Swallows pushes; stands in for a push recipient the recorder replaces.
struct NullPush;

impl Actor for NullPush {
    type Context = Context<Self>;
}

impl Handler<ViewPush> for NullPush {
    type Result = ();

    fn handle(&mut self, _: ViewPush, _: &mut Context<Self>) {}
}

pub(crate) fn null_push() -> Recipient<ViewPush> {
    NullPush.start().recipient()
}
