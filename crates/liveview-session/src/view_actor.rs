//! `ViewActor`: runs one joined view's callbacks under supervision and keeps what its client
//! holds, so that each change travels as the smallest diff.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::fut::{wrap_future, ActorFutureExt as _};
use actix::{
    Actor, ActorContext, ActorResponse, Addr, AsyncContext, Context, Handler, Recipient,
    Supervised, Supervisor,
};
use liveview_diff::{DiffTracker, Extras};
use serde_json::Value;
use tokio::sync::oneshot;

use crate::async_task::{AsyncFinished, AsyncPending, AsyncTarget, AsyncTasks, Delivery};
use crate::component::ComponentUpdate;
use crate::error::ViewError;
use crate::hook::Hooks;
use crate::message::{
    Call, Command, DestroyComponents, HandleEvent, HandleParams, Info, Mount, MountOutcome,
    PushKind, Reply, Shutdown, ViewPush, ViewRecipients,
};
use crate::outlet::{Out, Outlet};
use crate::protocol::FrameBuf;
use crate::supervisor::{RestartLog, RestartPolicy};
use crate::view::{Flash, LiveView, Navigation, Params, Session, Socket};

static LIVE_VIEWS: AtomicUsize = AtomicUsize::new(0);

/// The most `push_patch`es `handle_params` may chain before it counts as a redirect loop.
const MAX_PATCH_CHAIN: usize = 20;

/// How long after a dropped push the view tries again with a full render.
const RESYNC_DELAY: Duration = Duration::from_millis(200);

/// How long a view keeps trying to reach a client that does not read before it stops, unless
/// [`SpawnArgs::stall_limit`] says otherwise.
const STALL_LIMIT: Duration = Duration::from_secs(30);

/// The number of view actors alive in this process (a metric: after every view has stopped it
/// is back where it started).
pub fn live_view_count() -> usize {
    LIVE_VIEWS.load(Ordering::Relaxed)
}

/// What a view actor is started with.
#[derive(Debug, Clone)]
pub struct SpawnArgs {
    /// The view's topic (`lv:<id>`).
    pub topic: Arc<str>,
    /// The join ref the pushes carry.
    pub join_ref: Arc<str>,
    /// The parameters it mounts with (and re-mounts with after a crash).
    pub params: Params,
    /// The session data it mounts with.
    pub session: Session,
    /// The absolute URL it is mounted at.
    pub uri: String,
    /// Where its pushes go (the session actor, or any recipient in tests).
    pub push: Recipient<ViewPush>,
    /// Its mailbox capacity.
    pub mailbox: usize,
    /// How often it may restart after crashes.
    pub restart: RestartPolicy,
    /// The flash it mounts with (carried over by a live navigation or the page).
    pub flash: Flash,
    /// How long its pushes may find the session's mailbox full before it stops (30 s).
    pub stall_limit: Duration,
    /// The HTTP request the view was reached by (the page's, or the websocket upgrade's): what
    /// [`SocketCore::app_data`](crate::SocketCore::app_data) reads the app's data from.
    pub request: Option<actix_web::HttpRequest>,
}

impl SpawnArgs {
    /// Arguments with default limits, for views started outside a websocket session.
    pub fn new(topic: &str, params: Params, session: Session, push: Recipient<ViewPush>) -> Self {
        Self {
            topic: topic.into(),
            join_ref: "1".into(),
            params,
            session,
            uri: String::new(),
            push,
            mailbox: 64,
            restart: RestartPolicy::default(),
            flash: Flash::new(),
            stall_limit: STALL_LIMIT,
            request: None,
        }
    }
}

/// Starts a supervised [`ViewActor`] for the view `factory` builds, on the current arbiter:
/// the shorthand of [`ViewSpawner::spawn`] without hooks.
///
/// The actor waits for [`Mount`]; its pushes go to `args.push`. Dropping every recipient (or
/// sending [`Shutdown`]) stops it for good.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Counter;
/// # impl LiveView for Counter {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> { s.assign("n", 0); Ok(()) }
/// #     fn handle_event(&mut self, _: &str, _: &serde_json::Value, s: &mut Socket<Self>) -> Result<(), ViewError> { s.update("n", |n: &mut i32| *n += 1); Ok(()) }
/// #     fn render(&self, a: &Assigns) -> Rendered { let n: i32 = a.get("n"); html! { b { (n) } } }
/// # }
/// use actix::{Actor, Context, Handler};
/// use liveview_session::{spawn_view, HandleEvent, Mount, MountOutcome, SpawnArgs, ViewPush};
///
/// struct Pushes;
/// impl Actor for Pushes { type Context = Context<Self>; }
/// impl Handler<ViewPush> for Pushes { type Result = (); fn handle(&mut self, _: ViewPush, _: &mut Context<Self>) {} }
///
/// # actix::System::new().block_on(async {
/// let push = Pushes.start().recipient();
/// let view = spawn_view(Counter::default, SpawnArgs::new("lv:1", Params::new(), Session::new(), push));
/// let MountOutcome::Rendered { rendered, .. } = view.mount.send(Mount).await.unwrap().unwrap() else { panic!() };
/// assert_eq!(rendered, r#"{"0":"0","s":["<b>","</b>"]}"#);
/// let click = HandleEvent { kind: "click".into(), event: "inc".into(), value: serde_json::json!({}), cid: None };
/// let reply = view.event.send(click).await.unwrap().unwrap();
/// assert_eq!(reply.diff.as_deref(), Some(r#"{"0":"1"}"#));
/// # });
/// ```
pub fn spawn_view<V, F>(factory: F, args: SpawnArgs) -> ViewRecipients
where
    V: LiveView,
    F: Fn() -> V + 'static,
{
    ViewSpawner::new(factory).spawn(args)
}

/// Starts a supervised [`ViewActor`] like [`spawn_view`], returning its typed address: besides
/// the commands of [`ViewRecipients`] it accepts [`Info`] messages of the view's
/// [`LiveView::Info`] type (the test harness sends those). The shorthand of
/// [`ViewSpawner::start`] without hooks.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Quiet;
/// # impl LiveView for Quiet {
/// #     type Info = u8;
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
/// # }
/// # use actix::{Actor, Context, Handler};
/// # struct Pushes;
/// # impl Actor for Pushes { type Context = Context<Self>; }
/// # impl Handler<liveview_session::ViewPush> for Pushes { type Result = (); fn handle(&mut self, _: liveview_session::ViewPush, _: &mut Context<Self>) {} }
/// use liveview_session::{start_view, Info, Mount, SpawnArgs};
///
/// # actix::System::new().block_on(async {
/// let push = Pushes.start().recipient();
/// let addr = start_view(Quiet::default, SpawnArgs::new("lv:1", Params::new(), Session::new(), push));
/// addr.send(Mount).await.unwrap().unwrap();
/// addr.send(Info(7_u8)).await.unwrap();
/// # });
/// ```
pub fn start_view<V, F>(factory: F, args: SpawnArgs) -> Addr<ViewActor<V>>
where
    V: LiveView,
    F: Fn() -> V + 'static,
{
    ViewSpawner::new(factory).start(args)
}

/// Starts supervised [`ViewActor`]s, with what a view may bring besides its [`SpawnArgs`]:
/// the hooks of its live session, which run before its `mount` and `handle_event`, as
/// [`ViewEntry::with_hooks`](crate::ViewEntry::with_hooks) arranges for registered views.
///
/// [`spawn_view`] and [`start_view`] are its shorthands without hooks.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Hello;
/// # impl LiveView for Hello {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, a: &Assigns) -> Rendered { html! { p { (a.get_ref::<String>("user")) } } }
/// # }
/// # use actix::{Actor, Context, Handler};
/// # struct Pushes;
/// # impl Actor for Pushes { type Context = Context<Self>; }
/// # impl Handler<liveview_session::ViewPush> for Pushes { type Result = (); fn handle(&mut self, _: liveview_session::ViewPush, _: &mut Context<Self>) {} }
/// use liveview_session::{Hook, Hooks, Mount, MountOutcome, SpawnArgs, ViewSpawner};
///
/// # actix::System::new().block_on(async {
/// let hooks = Hooks::new().on_mount(|_, _, socket| {
///     socket.assign("user", "ana".to_owned());
///     Ok(Hook::Cont)
/// });
/// let args = SpawnArgs::new("lv:1", Params::new(), Session::new(), Pushes.start().recipient());
/// let view = ViewSpawner::new(Hello::default).hooks(hooks).start(args);
/// let MountOutcome::Rendered { rendered, .. } = view.send(Mount).await.unwrap().unwrap() else { panic!() };
/// assert_eq!(rendered, r#"{"0":"ana","s":["<p>","</p>"]}"#);
/// # });
/// ```
#[must_use = "a ViewSpawner does nothing until `spawn` or `start`"]
pub struct ViewSpawner<V: LiveView> {
    factory: Box<dyn Fn() -> V>,
    hooks: Hooks,
}

impl<V: LiveView> std::fmt::Debug for ViewSpawner<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewSpawner")
            .field("view", &std::any::type_name::<V>())
            .field("hooks", &self.hooks)
            .finish()
    }
}

impl<V: LiveView> ViewSpawner<V> {
    /// Views that `factory` builds (again after each crash), without hooks.
    pub fn new(factory: impl Fn() -> V + 'static) -> Self {
        Self {
            factory: Box::new(factory),
            hooks: Hooks::new(),
        }
    }

    /// The hooks of the view's live session.
    pub fn hooks(mut self, hooks: Hooks) -> Self {
        self.hooks = hooks;
        self
    }

    /// Starts the actor on the current arbiter; returns its commands as [`ViewRecipients`].
    pub fn spawn(self, args: SpawnArgs) -> ViewRecipients {
        let addr = self.start(args);
        ViewRecipients {
            mount: addr.clone().recipient(),
            event: addr.clone().recipient(),
            params: addr.clone().recipient(),
            shutdown: addr.clone().recipient(),
            destroy: addr.recipient(),
        }
    }

    /// Starts the actor on the current arbiter; returns its typed address, which also takes
    /// [`Info`] messages.
    pub fn start(self, args: SpawnArgs) -> Addr<ViewActor<V>> {
        let Self { factory, hooks } = self;
        Supervisor::start(move |ctx: &mut Context<ViewActor<V>>| {
            ctx.set_mailbox_capacity(args.mailbox);
            let weak = ctx.address().downgrade().recipient();
            ViewActor::new(factory, args, hooks, weak, Sink::Push)
        })
    }
}

/// A view that runs inside its websocket session's task: the supervised actor, with its own
/// context and mailbox, whose future the session polls instead of a task of its own (see
/// `docs/architecture.md`, "One task per socket"). Returns the address the session sends its
/// requests to, and the supervised actor's future.
pub(crate) fn attach_view<V, F>(
    factory: F,
    args: SpawnArgs,
    hooks: Hooks,
    outlet: Outlet,
) -> (Recipient<Call>, crate::view_task::Supervise<ViewActor<V>>)
where
    V: LiveView,
    F: Fn() -> V + 'static,
{
    let mut ctx = Context::<ViewActor<V>>::new();
    ctx.set_mailbox_capacity(args.mailbox);
    let weak = ctx.address().downgrade().recipient();
    let addr = ctx.address();
    let actor = ViewActor::new(Box::new(factory), args, hooks, weak, Sink::Outlet(outlet));
    (
        addr.recipient(),
        crate::view_task::Supervise::new(ctx.into_future(actor)),
    )
}

/// Where a view's output goes.
#[derive(Debug)]
enum Sink {
    /// Pushes to [`SpawnArgs::push`]; answers are message results (a view started alone).
    Push,
    /// Everything into its session's queue, answers included (a view joined on a socket).
    Outlet(Outlet),
}

/// One joined view: owns its [`Socket`], runs the user's callbacks, renders and diffs.
///
/// Lifecycle: started by [`spawn_view`] under actix's `Supervisor`; [`Mount`] runs `mount`,
/// `handle_params` and a full render; then events, params and info messages each produce a
/// diff. A panic in any callback stops the actor; the supervisor restarts it; it mounts a
/// fresh view from the same join parameters and pushes a full render (see
/// [`RestartPolicy`] for the crash-loop limit).
pub struct ViewActor<V: LiveView> {
    factory: Box<dyn Fn() -> V>,
    /// The actor's own address, weakly (a strong one would keep it alive forever).
    weak: actix::WeakRecipient<Info<V::Info>>,
    view: V,
    socket: Socket<V>,
    tracker: DiffTracker,
    args: SpawnArgs,
    /// The `on_mount` and `on_event` hooks of its live session.
    hooks: Hooks,
    mounted: bool,
    restarts: RestartLog,
    gave_up: bool,
    /// Since when pushes have found the session's mailbox full (a client that does not read).
    stalled_since: Option<Instant>,
    /// Whether a resync (a full render after a dropped push) is already scheduled.
    resync_pending: bool,
    /// Requests answered so far (see [`ViewPush::after_replies`]).
    replies: u64,
    /// Where its output goes.
    sink: Sink,
}

impl<V: LiveView> std::fmt::Debug for ViewActor<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewActor")
            .field("topic", &self.args.topic)
            .field("mounted", &self.mounted)
            .field("socket", &self.socket)
            .finish_non_exhaustive()
    }
}

impl<V: LiveView> Drop for ViewActor<V> {
    fn drop(&mut self) {
        LIVE_VIEWS.fetch_sub(1, Ordering::Relaxed);
        // A view dropped while mounted (its socket's task ended without a `Shutdown`, or the
        // system stopped) still gets its `terminate`, as one that is told to stop.
        if self.mounted {
            self.mounted = false;
            let (view, socket) = (&mut self.view, &mut self.socket);
            if catch_unwind(AssertUnwindSafe(|| view.terminate(socket))).is_err() {
                log::error!("view {}: terminate panicked", self.args.topic);
            }
            self.socket.release_subscriptions();
        }
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

impl<V: LiveView> ViewActor<V> {
    fn new(
        factory: Box<dyn Fn() -> V>,
        args: SpawnArgs,
        hooks: Hooks,
        weak: actix::WeakRecipient<Info<V::Info>>,
        sink: Sink,
    ) -> Self {
        LIVE_VIEWS.fetch_add(1, Ordering::Relaxed);
        let view = factory();
        Self {
            factory,
            view,
            socket: Socket::new(true)
                .with_flash(args.flash.clone())
                .with_request(args.request.clone())
                .with_recipient(weak.clone()),
            weak,
            tracker: DiffTracker::new(),
            args,
            hooks,
            mounted: false,
            restarts: RestartLog::default(),
            gave_up: false,
            stalled_since: None,
            resync_pending: false,
            replies: 0,
            sink,
        }
    }

    /// Runs `f` on the view and socket, catching a panic. On a panic the actor stops (and so
    /// restarts under the supervisor).
    fn guarded<T>(
        &mut self,
        ctx: &mut Context<Self>,
        f: impl FnOnce(&mut V, &mut Socket<V>) -> Result<T, ViewError>,
    ) -> Result<T, ViewError> {
        let (view, socket) = (&mut self.view, &mut self.socket);
        let result = catch_unwind(AssertUnwindSafe(|| f(view, socket)));
        match result {
            Ok(r) => {
                self.schedule_timers(ctx);
                self.spawn_async(ctx);
                self.socket.refused_navigation()?;
                r
            }
            Err(p) => {
                let msg = panic_message(&*p);
                log::error!("view {} crashed: {msg}", self.args.topic);
                ctx.stop();
                Err(ViewError::Crashed(msg))
            }
        }
    }

    fn schedule_timers(&mut self, ctx: &mut Context<Self>) {
        for (delay, msg) in self.socket.take_timers() {
            ctx.run_later(delay, move |act, ctx| act.info(msg, ctx));
        }
    }

    /// Async hook (after every callback): aborts the tasks the callback replaced or cancelled
    /// and spawns the ones it started, on this actor's context (see `async_task.rs`).
    fn spawn_async(&mut self, ctx: &mut Context<Self>) {
        Self::spawn_tasks(self.socket.async_tasks_mut(), AsyncTarget::View, ctx);
        for cid in self.socket.components.take_async_work() {
            if let Some(tasks) = self.socket.components.tasks_mut(cid) {
                Self::spawn_tasks(tasks, AsyncTarget::Component(cid), ctx);
            }
        }
    }

    /// Spawns the tasks a socket's callback started, whose results go to `target` (a live
    /// component's socket passes its own target), and aborts those it replaced or cancelled.
    fn spawn_tasks(tasks: &mut AsyncTasks, target: AsyncTarget, ctx: &mut Context<Self>) {
        for handle in tasks.take_cancels() {
            ctx.cancel_future(handle);
        }
        for start in tasks.take_starts() {
            let (id, generation, fut) = start.into_future(target);
            let handle = ctx.spawn(
                wrap_future::<_, Self>(fut).map(|done, act, ctx| act.async_finished(done, ctx)),
            );
            tasks.spawned(id, generation, handle);
        }
    }

    /// Async hook: a task finished. Its result goes to its target's socket (a stale one is
    /// dropped there); then the view renders and pushes a `diff`, as after `handle_info`.
    fn async_finished(&mut self, done: AsyncFinished, ctx: &mut Context<Self>) {
        if !self.mounted || self.gave_up {
            return;
        }
        match done.target {
            AsyncTarget::View => match done.deliver(&mut self.socket) {
                Delivery::Dropped => return,
                Delivery::Assigned => {}
                Delivery::HandleAsync(done) => {
                    if let Err(e) =
                        self.guarded(ctx, |view, socket| view.handle_async(done, socket))
                    {
                        if !e.is_crash() {
                            log::warn!("view {}: handle_async failed: {e}", self.args.topic);
                        }
                        return;
                    }
                }
            },
            AsyncTarget::Component(cid) => {
                match self.guarded(ctx, |_, socket| Ok(socket.component_async(cid, done))) {
                    Ok(Some(Ok(()))) => {}
                    Ok(Some(Err(e))) => {
                        log::warn!(
                            "view {}: component {cid}: handle_async failed: {e}",
                            self.args.topic
                        );
                    }
                    // Stale, or the component is gone: nothing to render.
                    Ok(None) | Err(_) => return,
                }
            }
        }
        self.after_callback(ctx);
    }

    /// Renders if anything changed and returns the diff to send (with title, events, reply).
    fn render_diff(&mut self, ctx: &mut Context<Self>) -> Result<Option<String>, ViewError> {
        let (diff, appended) = self.render_into(ctx, String::new())?;
        Ok(appended.then_some(diff))
    }

    /// Renders if anything changed and appends the diff to `out` (a frame already begun);
    /// `false` when there is nothing to send. When only events, a reply or the title are new,
    /// nothing is rendered or diffed.
    fn render_into(
        &mut self,
        ctx: &mut Context<Self>,
        out: String,
    ) -> Result<(String, bool), ViewError> {
        let tree = if self.socket.needs_render() {
            // Only the components that changed render when the view's own assigns did not.
            Some(self.guarded(ctx, |view, socket| Ok(socket.render_changed(view)))?)
        } else {
            None
        };
        // Taken after rendering: a component's `update` may push events or ask for updates.
        self.schedule_updates(ctx);
        let events = self.socket.take_events();
        let reply = self.socket.take_reply();
        if tree.is_none() && events.is_empty() && reply.is_none() {
            return Ok((out, false));
        }
        let extras = Extras {
            title: self.socket.title(),
            events: &events,
            reply: reply.as_ref(),
        };
        Ok(match tree {
            Some((root, components)) if self.tracker.held().is_some() || root.is_some() => {
                self.tracker.render_into(root, components, &extras, out)
            }
            None if self.tracker.held().is_some() => {
                self.tracker.render_unchanged_into(&extras, out)
            }
            _ => (out, false),
        })
    }

    /// Sends the `send_update`s the last callback asked for to the components, each after the
    /// current message (or its delay), as Phoenix's `send_update` is a message to the view.
    /// Also delivers what components sent the view (`send_parent`) to its `handle_info`.
    fn schedule_updates(&mut self, ctx: &mut Context<Self>) {
        for update in self.socket.take_updates() {
            let delay = update.delay.unwrap_or(Duration::ZERO);
            ctx.run_later(delay, move |act, ctx| act.component_update(update, ctx));
        }
        for sent in self.socket.take_parent_messages() {
            match sent.msg.downcast::<V::Info>() {
                Ok(msg) => {
                    ctx.run_later(Duration::ZERO, move |act, ctx| act.info(*msg, ctx));
                }
                Err(_) => log::error!(
                    "view {}: a component sent a {} to a view whose Info is {}; dropped",
                    self.args.topic,
                    sent.type_name,
                    std::any::type_name::<V::Info>()
                ),
            }
        }
    }

    fn component_update(&mut self, update: ComponentUpdate, ctx: &mut Context<Self>) {
        if !self.mounted || self.gave_up {
            return;
        }
        let id = update.id.clone();
        match self.guarded(ctx, |_, socket| Ok(socket.component_update(update))) {
            Ok(Some(Ok(()))) => {}
            Ok(Some(Err(e))) => log::warn!("view {}: component {id}: {e}", self.args.topic),
            Ok(None) => {
                log::debug!(
                    "view {}: send_update to a missing component `{id}`",
                    self.args.topic
                );
                return;
            }
            Err(_) => return,
        }
        self.after_callback(ctx);
    }

    fn mount_and_render(&mut self, ctx: &mut Context<Self>) -> Result<MountOutcome, ViewError> {
        let params = self.args.params.clone();
        let session = self.args.session.clone();
        let uri = self.args.uri.clone();
        let hooks = self.hooks.clone();
        self.guarded(ctx, |view, socket| {
            hooks.mount(view, &params, &session, socket)
        })?;
        if let Some(nav) = self.socket.take_navigation() {
            return Ok(MountOutcome::Navigated(nav));
        }
        self.guarded(ctx, |view, socket| {
            view.handle_params(&params, &uri, socket)
        })?;
        self.guarded(ctx, |view, socket| view.connected(socket))?;
        let live_patch = match self.socket.take_navigation() {
            Some(nav @ Navigation::Patch { .. }) => Some(nav),
            Some(nav) => return Ok(MountOutcome::Navigated(nav)),
            None => None,
        };
        self.socket.take_changed();
        self.drop_hold("mount");
        let (root, components) = self.guarded(ctx, |view, socket| Ok(socket.render_full(view)))?;
        self.schedule_updates(ctx);
        let events = self.socket.take_events();
        let extras = Extras {
            title: self.socket.title(),
            events: &events,
            reply: None,
        };
        let rendered = self.tracker.render_full_with(root, components, &extras);
        self.mounted = true;
        Ok(MountOutcome::Rendered {
            rendered,
            live_patch,
        })
    }

    fn push(&self, kind: PushKind) {
        if let Sink::Outlet(outlet) = &self.sink {
            outlet.send(Out::Push(Box::new(kind)));
            return;
        }
        let push = ViewPush {
            topic: Arc::clone(&self.args.topic),
            join_ref: Arc::clone(&self.args.join_ref),
            after_replies: self.replies,
            kind,
        };
        if let Err(e) = self.args.push.try_send(push) {
            log::warn!("view {}: push not delivered: {e}", self.args.topic);
        }
    }

    /// Pushes a diff without ever queueing unboundedly: when the session's mailbox is full
    /// (its client does not read), the diff is dropped, the tracker forgets what the client
    /// holds, and a full render is pushed once there is room again. A view stalled longer than
    /// [`SpawnArgs::stall_limit`] stops.
    fn push_diff(&mut self, diff: String, ctx: &mut Context<Self>) {
        if let Sink::Outlet(outlet) = &self.sink {
            let mut frame = FrameBuf::diff_push(&self.args.join_ref, &self.args.topic, diff.len());
            let mut body = frame.take();
            body.push_str(&diff);
            if let Some(frame) = frame.finish(body, true) {
                outlet.send(Out::Pushed(frame));
            }
            return;
        }
        let push = ViewPush {
            topic: Arc::clone(&self.args.topic),
            join_ref: Arc::clone(&self.args.join_ref),
            after_replies: self.replies,
            kind: PushKind::Diff(diff),
        };
        match self.args.push.try_send(push) {
            Ok(()) => self.stalled_since = None,
            Err(actix::prelude::SendError::Full(_)) => {
                let since = *self.stalled_since.get_or_insert_with(Instant::now);
                if since.elapsed() > self.args.stall_limit {
                    log::error!(
                        "view {}: its client has not read for {:?}; stopping",
                        self.args.topic,
                        self.args.stall_limit
                    );
                    self.gave_up = true;
                    ctx.stop();
                    return;
                }
                log::warn!(
                    "view {}: session mailbox full; will resend in full",
                    self.args.topic
                );
                self.tracker.reset();
                // One resync at a time: a timer per dropped push would re-arm itself for as
                // long as the stall lasts, and a view that ticks would pile them up.
                if !self.resync_pending {
                    self.resync_pending = true;
                    ctx.run_later(RESYNC_DELAY, |act, ctx| {
                        act.resync_pending = false;
                        act.resync(ctx);
                    });
                }
            }
            Err(actix::prelude::SendError::Closed(_)) => {
                log::info!("view {}: its session is gone; stopping", self.args.topic);
                self.gave_up = true;
                ctx.stop();
            }
        }
    }

    /// Pushes a full render after pushes were dropped (see [`ViewActor::push_diff`]).
    fn resync(&mut self, ctx: &mut Context<Self>) {
        if !self.mounted || self.gave_up || self.tracker.held().is_some() {
            return;
        }
        let Ok((root, components)) = self.guarded(ctx, |view, socket| Ok(socket.render_full(view)))
        else {
            return;
        };
        let extras = Extras {
            title: self.socket.title(),
            ..Extras::default()
        };
        let full = self.tracker.render_full_with(root, components, &extras);
        self.push_diff(full, ctx);
    }

    fn info(&mut self, msg: V::Info, ctx: &mut Context<Self>) {
        if !self.mounted || self.gave_up {
            return;
        }
        let result = self.guarded(ctx, |view, socket| view.handle_info(msg, socket));
        if let Err(e) = result {
            if !e.is_crash() {
                log::warn!("view {}: handle_info failed: {e}", self.args.topic);
            }
            return;
        }
        // A subscription misses messages only while its backlog is full, so messages are still
        // on their way: this runs after one of them.
        while let Some((topic, missed)) = self.socket.take_missed() {
            let result = self.guarded(ctx, |view, socket| {
                view.handle_missed(&topic, missed, socket)
            });
            if let Err(e) = result {
                if !e.is_crash() {
                    log::warn!("view {}: handle_missed failed: {e}", self.args.topic);
                }
                return;
            }
        }
        self.after_callback(ctx);
    }

    /// Releases a reply hold asked for outside `handle_event`: only events wait.
    fn drop_hold(&mut self, callback: &str) {
        if self.socket.take_hold().is_some() {
            log::warn!(
                "view {}: defer_reply in {callback} has no reply to hold; released",
                self.args.topic
            );
        }
    }

    /// Pushes what an unasked callback (info, timer) produced.
    fn after_callback(&mut self, ctx: &mut Context<Self>) {
        self.drop_hold("handle_info");
        let nav = self.socket.take_navigation();
        if let Sink::Outlet(outlet) = &self.sink {
            let outlet = outlet.clone();
            if !self.push_rendered(&outlet, ctx) {
                return;
            }
            if let Some(nav) = nav {
                self.navigate(nav, ctx);
            }
            return;
        }
        match self.render_diff(ctx) {
            Ok(Some(diff)) => self.push_diff(diff, ctx),
            Ok(None) => {}
            Err(_) => return,
        }
        if let Some(nav) = nav {
            self.push(PushKind::Navigate(nav));
        }
    }

    fn reply(&mut self, ctx: &mut Context<Self>) -> Result<Reply, ViewError> {
        self.drop_hold("handle_params");
        let navigation = self.socket.take_navigation();
        let diff = self.render_diff(ctx)?;
        Ok(Reply { diff, navigation })
    }

    /// Renders and queues a `diff` push frame, written once; false when rendering crashed.
    fn push_rendered(&mut self, outlet: &Outlet, ctx: &mut Context<Self>) -> bool {
        let mut frame = FrameBuf::diff_push(&self.args.join_ref, &self.args.topic, 64);
        match self.render_into(ctx, frame.take()) {
            Ok((body, appended)) => {
                if let Some(frame) = frame.finish(body, appended) {
                    outlet.send(Out::Pushed(frame));
                }
                true
            }
            Err(_) => false,
        }
    }

    /// Answers request `reference` with the diff of what the callback changed, written into
    /// the reply frame in place; an answer that navigates goes to the session to be signed.
    fn answer(&mut self, reference: Option<Box<str>>, ctx: &mut Context<Self>) {
        let Sink::Outlet(outlet) = &self.sink else {
            return;
        };
        let outlet = outlet.clone();
        self.drop_hold("handle_params");
        match self.socket.take_navigation() {
            None => {
                let (jr, topic) = (
                    Arc::clone(&self.args.join_ref),
                    Arc::clone(&self.args.topic),
                );
                let mut frame = FrameBuf::diff_reply(&jr, reference.as_deref(), &topic, 64);
                match self.render_into(ctx, frame.take()) {
                    Ok((body, appended)) => {
                        if let Some(frame) = frame.finish(body, appended) {
                            outlet.send(Out::Answer(frame));
                        }
                    }
                    Err(_) => self.answer_empty(reference),
                }
            }
            Some(nav) => {
                let Ok(diff) = self.render_diff(ctx) else {
                    self.answer_empty(reference);
                    return;
                };
                let patch = match &nav {
                    Navigation::Patch { to, .. } => Some(to.clone()),
                    _ => None,
                };
                outlet.send(Out::Navigated {
                    reference,
                    reply: Box::new(Reply {
                        diff,
                        navigation: Some(nav),
                    }),
                });
                if let Some(to) = patch {
                    self.follow_patches(to, ctx);
                }
            }
        }
    }

    /// Answers request `reference` with `{}`: nothing to send, or the callback crashed (the
    /// restarted view pushes a full render).
    fn answer_empty(&self, reference: Option<Box<str>>) {
        if let Sink::Outlet(outlet) = &self.sink {
            let mut frame = FrameBuf::diff_reply(
                &self.args.join_ref,
                reference.as_deref(),
                &self.args.topic,
                0,
            );
            let body = frame.take();
            if let Some(frame) = frame.finish(body, false) {
                outlet.send(Out::Answer(frame));
            }
        }
    }

    /// A navigation asked for outside a request: pushed; a patch then runs `handle_params`
    /// here, in the view.
    fn navigate(&mut self, nav: Navigation, ctx: &mut Context<Self>) {
        match nav {
            Navigation::Patch { to, replace } => {
                self.push(PushKind::Navigate(Navigation::Patch {
                    to: to.clone(),
                    replace,
                }));
                self.follow_patches(to, ctx);
            }
            other => self.push(PushKind::Navigate(other)),
        }
    }

    /// Runs `handle_params` for a server-side `push_patch` to `to` and pushes the diff; a
    /// `push_patch` made by `handle_params` itself is followed in turn, and, as in Phoenix,
    /// more than [`MAX_PATCH_CHAIN`] in a row are a redirect loop that crashes the channel
    /// (`phx_error`; the client rejoins).
    fn follow_patches(&mut self, mut to: String, ctx: &mut Context<Self>) {
        let Sink::Outlet(outlet) = &self.sink else {
            return;
        };
        let outlet = outlet.clone();
        for _ in 0..MAX_PATCH_CHAIN {
            let Some(params) = (outlet.resolve)(&to) else {
                log::warn!(
                    "{}: push_patch to {to}, which routes to another view",
                    self.args.topic
                );
                return;
            };
            if self.run_params(params, to, ctx).is_err() {
                return;
            }
            self.drop_hold("handle_params");
            let nav = self.socket.take_navigation();
            if !self.push_rendered(&outlet, ctx) {
                return;
            }
            match nav {
                Some(Navigation::Patch { to: next, replace }) => {
                    self.push(PushKind::Navigate(Navigation::Patch {
                        to: next.clone(),
                        replace,
                    }));
                    to = next;
                }
                Some(other) => {
                    self.push(PushKind::Navigate(other));
                    return;
                }
                None => return,
            }
        }
        log::error!(
            "{}: more than {MAX_PATCH_CHAIN} consecutive push_patch from handle_params",
            self.args.topic
        );
        self.push(PushKind::Crashed);
    }
}

impl<V: LiveView> Actor for ViewActor<V> {
    type Context = Context<Self>;
}

impl<V: LiveView> Supervised for ViewActor<V> {
    fn restarting(&mut self, ctx: &mut Context<Self>) {
        if self.gave_up {
            return;
        }
        if !self.restarts.allow(&self.args.restart, Instant::now()) {
            log::error!(
                "view {} crashed more than {} times in {:?}; giving up",
                self.args.topic,
                self.args.restart.max_restarts,
                self.args.restart.within
            );
            self.gave_up = true;
            self.socket.release_subscriptions();
            self.push(PushKind::GaveUp {
                uri: self.args.uri.clone(),
            });
            return;
        }
        log::info!("view {} restarting", self.args.topic);
        self.view = (self.factory)();
        self.socket = Socket::new(true)
            .with_flash(self.args.flash.clone())
            .with_request(self.args.request.clone())
            .with_recipient(self.weak.clone());
        self.tracker.reset();
        // A restart cancels the actor's timers, a scheduled resync among them.
        self.resync_pending = false;
        let was_mounted = std::mem::replace(&mut self.mounted, false);
        if !was_mounted {
            return;
        }
        match self.mount_and_render(ctx) {
            // The client holds the crashed view's tree; a root with statics replaces all of it.
            Ok(MountOutcome::Rendered { rendered, .. }) => self.push_diff(rendered, ctx),
            Ok(MountOutcome::Navigated(nav)) => self.push(PushKind::Navigate(nav)),
            Err(_) => {
                self.gave_up = true;
                self.push(PushKind::Crashed);
            }
        }
    }
}

impl<V: LiveView> ViewActor<V> {
    fn on_mount(&mut self, ctx: &mut Context<Self>) -> Result<MountOutcome, ViewError> {
        if self.gave_up {
            return Err(ViewError::Crashed(
                "view gave up after repeated crashes".into(),
            ));
        }
        let outcome = match self.mount_and_render(ctx) {
            // A page that answers with a status (a 404): the client loads it over HTTP, where
            // the dead render answers with that status.
            Err(e) if e.http_status().is_some() => {
                log::info!("view {}: {e}; the client loads the page", self.args.topic);
                self.socket.release_subscriptions();
                self.gave_up = true;
                Ok(MountOutcome::Navigated(self.reload()))
            }
            other => other,
        };
        if outcome.is_err() {
            // A view that cannot mount is not restarted: the join fails instead.
            self.gave_up = true;
            self.socket.release_subscriptions();
        }
        outcome
    }

    /// Runs `handle_event` (and its live session's hooks); rendering is the caller's.
    fn on_event(&mut self, msg: HandleEvent, ctx: &mut Context<Self>) -> EventOutcome {
        if !self.mounted || self.gave_up {
            return EventOutcome::Ignored;
        }
        let HandleEvent {
            event, value, cid, ..
        } = msg;
        if let Some(cid) = cid {
            return self.on_component_event(cid, &event, &value, ctx);
        }
        if let Some(kind) = event.strip_prefix("lv:") {
            if kind == "clear-flash" {
                let key = value.get("key").and_then(|k| k.as_str()).map(str::to_owned);
                self.socket.clear_flash(key.as_deref());
                return EventOutcome::Ready;
            }
        }
        let hooks = self.hooks.clone();
        match self.guarded(ctx, |view, socket| {
            hooks.event(view, &event, &value, socket)
        }) {
            Ok(()) => {}
            Err(e) if e.is_crash() => return EventOutcome::Crashed(e),
            // The client still gets an answer (every push needs one), and whatever the
            // callback changed before failing.
            Err(e) => log::warn!("view {}: {e}", self.args.topic),
        }
        match self.socket.take_hold() {
            Some(hold) => EventOutcome::Held(hold),
            None => EventOutcome::Ready,
        }
    }

    /// An event for live component `cid`: it never reaches the view; an unknown (or destroyed)
    /// component's event is answered `{}`, as Phoenix does.
    fn on_component_event(
        &mut self,
        cid: u64,
        event: &str,
        value: &Value,
        ctx: &mut Context<Self>,
    ) -> EventOutcome {
        let Ok(cid) = u32::try_from(cid) else {
            return EventOutcome::Ignored;
        };
        match self.guarded(ctx, |_, socket| {
            Ok(socket.component_event(cid, event, value))
        }) {
            Ok(Some(Ok(()))) => EventOutcome::Ready,
            Ok(Some(Err(e))) => {
                log::warn!("view {}: component {cid}: {e}", self.args.topic);
                EventOutcome::Ready
            }
            Ok(None) => {
                log::debug!(
                    "view {}: event for unknown component {cid}",
                    self.args.topic
                );
                EventOutcome::Ignored
            }
            Err(e) => EventOutcome::Crashed(e),
        }
    }

    /// Runs `handle_params` for a new URL; rendering is the caller's.
    fn run_params(
        &mut self,
        params: Params,
        uri: String,
        ctx: &mut Context<Self>,
    ) -> Result<(), ViewError> {
        self.args.uri = uri;
        self.args.params = params;
        let (params, uri) = (&self.args.params, &self.args.uri);
        let (params, uri) = (params.clone(), uri.clone());
        self.guarded(ctx, |view, socket| {
            view.handle_params(&params, &uri, socket)
        })
    }

    fn on_params(
        &mut self,
        msg: HandleParams,
        ctx: &mut Context<Self>,
    ) -> Result<Reply, ViewError> {
        if !self.mounted || self.gave_up {
            return Ok(Reply::default());
        }
        self.run_params(msg.params, msg.uri, ctx)?;
        self.reply(ctx)
    }

    /// A client's live patch, answered through the outlet.
    fn on_patch(&mut self, reference: Option<Box<str>>, url: String, ctx: &mut Context<Self>) {
        let Sink::Outlet(outlet) = &self.sink else {
            return;
        };
        let outlet = outlet.clone();
        let Some(params) = (outlet.resolve)(&url) else {
            // Another view's URL: the client navigates there.
            let frame = crate::protocol::encode_reply(
                Some(&self.args.join_ref),
                reference.as_deref(),
                &self.args.topic,
                true,
                "{\"link_redirect\":true}",
            );
            outlet.send(Out::Answer(frame));
            return;
        };
        if !self.mounted || self.gave_up {
            self.answer_empty(reference);
            return;
        }
        match self.run_params(params, url, ctx) {
            Ok(()) => self.answer(reference, ctx),
            Err(e) if e.http_status().is_some() => {
                // As at mount: the client loads the new URL over HTTP and gets the status.
                log::info!("view {}: {e}; the client loads the page", self.args.topic);
                let reload = self.reload();
                outlet.send(Out::Navigated {
                    reference,
                    reply: Box::new(Reply {
                        diff: None,
                        navigation: Some(reload),
                    }),
                });
            }
            Err(e) => {
                if !e.is_crash() {
                    log::warn!("view {}: {e}", self.args.topic);
                }
                self.answer_empty(reference);
            }
        }
    }

    /// `cids_will_destroy`: marks the components (they stop being sources of shared statics).
    fn will_destroy(&mut self, cids: &[u32]) {
        self.socket.components.mark(cids);
        for cid in cids {
            self.tracker.mark_component(*cid);
        }
    }

    /// `cids_destroyed`: deletes the components still marked (a component placed again in
    /// between was revived and stays); returns their ids.
    fn destroyed(&mut self, cids: &[u32], ctx: &mut Context<Self>) -> Vec<u32> {
        let (gone, aborts) = self.socket.components.destroy(cids);
        for handle in aborts {
            ctx.cancel_future(handle);
        }
        for cid in &gone {
            self.tracker.forget_component(*cid);
        }
        gone
    }

    /// Answers request `reference` with the ok reply `body`.
    fn answer_with(&self, reference: Option<Box<str>>, body: &str) {
        if let Sink::Outlet(outlet) = &self.sink {
            let frame = crate::protocol::encode_reply(
                Some(&self.args.join_ref),
                reference.as_deref(),
                &self.args.topic,
                true,
                body,
            );
            outlet.send(Out::Answer(frame));
        }
    }

    /// A full page load of the view's current URL (its path and query).
    fn reload(&self) -> Navigation {
        let uri = &self.args.uri;
        let path = match uri.find("://") {
            Some(i) => uri[i + 3..].find('/').map_or("/", |j| &uri[i + 3 + j..]),
            None if uri.starts_with('/') => uri.as_str(),
            None => "/",
        };
        Navigation::Redirect {
            to: path.to_owned(),
            flash: Default::default(),
        }
    }

    fn on_shutdown(&mut self, ctx: &mut Context<Self>) {
        if self.mounted {
            let _ = self.guarded(ctx, |view, socket| {
                view.terminate(socket);
                Ok(())
            });
        }
        self.gave_up = true;
        self.mounted = false;
        self.socket.release_subscriptions();
        for handle in self.socket.async_tasks_mut().clear() {
            ctx.cancel_future(handle);
        }
        ctx.stop();
    }
}

// Every request handler counts its answer, so pushes made afterwards carry how many replies
// they follow (see `ViewPush::after_replies`).

impl<V: LiveView> Handler<Mount> for ViewActor<V> {
    type Result = Result<MountOutcome, ViewError>;

    fn handle(&mut self, _: Mount, ctx: &mut Context<Self>) -> Self::Result {
        let result = self.on_mount(ctx);
        self.replies += 1;
        result
    }
}

/// What [`ViewActor::on_event`] came to.
enum EventOutcome {
    /// Render and answer now.
    Ready,
    /// Not mounted (or given up): answer `{}`.
    Ignored,
    /// The callback panicked: answer `{}`; the restarted view pushes a full render.
    Crashed(ViewError),
    /// Answer when the hold ([`Socket::defer_reply`]) ends.
    Held(oneshot::Receiver<Option<Value>>),
}

impl<V: LiveView> Handler<HandleEvent> for ViewActor<V> {
    type Result = ActorResponse<Self, Result<Reply, ViewError>>;

    fn handle(&mut self, msg: HandleEvent, ctx: &mut Context<Self>) -> Self::Result {
        let now = match self.on_event(msg, ctx) {
            EventOutcome::Ready => self.reply(ctx),
            EventOutcome::Ignored => Ok(Reply::default()),
            EventOutcome::Crashed(e) => Err(e),
            EventOutcome::Held(hold) => {
                // `wait` keeps every later message in the mailbox until the hold ends; the
                // thread is free meanwhile. The reply is rendered when the hold ends.
                let (done, answer) = oneshot::channel();
                ctx.wait(wrap_future::<_, Self>(hold).map(move |payload, act, ctx| {
                    if let Ok(Some(payload)) = payload {
                        act.socket.reply(payload);
                    }
                    let result = act.reply(ctx);
                    act.replies += 1;
                    // The requester may be gone (its session closed); nothing to do then.
                    let _ = done.send(result);
                }));
                return ActorResponse::r#async(wrap_future::<_, Self>(answer).map(
                    |answer, _, _| {
                        answer.unwrap_or_else(|_| {
                            Err(ViewError::other("the view stopped before its held reply"))
                        })
                    },
                ));
            }
        };
        self.replies += 1;
        // Answered now: an actor that stops (a crash) drops its pending futures.
        ActorResponse::reply(now)
    }
}

impl<V: LiveView> Handler<HandleParams> for ViewActor<V> {
    type Result = Result<Reply, ViewError>;

    fn handle(&mut self, msg: HandleParams, ctx: &mut Context<Self>) -> Self::Result {
        let result = self.on_params(msg, ctx);
        self.replies += 1;
        result
    }
}

/// The session's requests: each answered through the outlet, in order with the view's pushes.
impl<V: LiveView> Handler<Call> for ViewActor<V> {
    type Result = ();

    fn handle(&mut self, call: Call, ctx: &mut Context<Self>) {
        let Call { reference, command } = call;
        match command {
            Command::Mount => {
                let result = self.on_mount(ctx);
                if let Sink::Outlet(outlet) = &self.sink {
                    outlet.send(Out::Joined {
                        reference,
                        result: Box::new(result),
                    });
                }
            }
            Command::Event(msg) => match self.on_event(msg, ctx) {
                EventOutcome::Ready => self.answer(reference, ctx),
                EventOutcome::Ignored | EventOutcome::Crashed(_) => self.answer_empty(reference),
                EventOutcome::Held(hold) => {
                    // As for `HandleEvent`: later messages wait until the hold ends.
                    ctx.wait(wrap_future::<_, Self>(hold).map(move |payload, act, ctx| {
                        if let Ok(Some(payload)) = payload {
                            act.socket.reply(payload);
                        }
                        act.answer(reference, ctx);
                    }));
                }
            },
            Command::Patch(url) => self.on_patch(reference, url, ctx),
            Command::Leave => self.on_shutdown(ctx),
            Command::Rejoin(join_ref) => self.on_rejoin(reference, join_ref, ctx),
            Command::WillDestroy(cids) => {
                self.will_destroy(&cids);
                self.answer_with(reference, "{}");
            }
            Command::Destroyed(cids) => {
                let gone = self.destroyed(&cids, ctx);
                let mut body = String::from("{\"cids\":[");
                for (i, cid) in gone.iter().enumerate() {
                    if i > 0 {
                        body.push(',');
                    }
                    body.push_str(&cid.to_string());
                }
                body.push_str("]}");
                self.answer_with(reference, &body);
            }
        }
    }
}

impl<V: LiveView> Handler<Info<V::Info>> for ViewActor<V> {
    type Result = ();

    fn handle(&mut self, msg: Info<V::Info>, ctx: &mut Context<Self>) {
        self.info(msg.0, ctx);
    }
}

impl<V: LiveView> Handler<AsyncPending> for ViewActor<V> {
    type Result = usize;

    fn handle(&mut self, _: AsyncPending, _: &mut Context<Self>) -> usize {
        self.socket.async_pending() + self.socket.components.async_pending()
    }
}

impl<V: LiveView> Handler<DestroyComponents> for ViewActor<V> {
    type Result = Vec<u32>;

    fn handle(&mut self, msg: DestroyComponents, ctx: &mut Context<Self>) -> Vec<u32> {
        let result = match msg {
            DestroyComponents::WillDestroy(cids) => {
                self.will_destroy(&cids);
                Vec::new()
            }
            DestroyComponents::Destroyed(cids) => self.destroyed(&cids, ctx),
        };
        self.replies += 1;
        result
    }
}

impl<V: LiveView> Handler<Shutdown> for ViewActor<V> {
    type Result = ();

    fn handle(&mut self, _: Shutdown, ctx: &mut Context<Self>) {
        self.on_shutdown(ctx);
    }
}

// ---- Issue 21: a view mounted by its dead render, and re-attachment to a new socket. The
// ---- orphans themselves (who holds them, when they stop) are `linger.rs`'s.

/// A view actor for a dead render that its join may adopt: created on the current thread, it
/// runs `mount` and `handle_params` disconnected and renders the page's HTML, then keeps its
/// state, waiting for [`Command::Rejoin`]. `None` for the actor when the view redirected.
#[allow(clippy::type_complexity)]
pub(crate) fn attach_dead<V, F>(
    factory: F,
    args: SpawnArgs,
    hooks: Hooks,
    outlet: Outlet,
) -> Result<
    (
        crate::dead_render::DeadRender,
        Option<(Recipient<Call>, crate::view_task::Supervise<ViewActor<V>>)>,
    ),
    ViewError,
>
where
    V: LiveView,
    F: Fn() -> V + 'static,
{
    let mut ctx = Context::<ViewActor<V>>::new();
    ctx.set_mailbox_capacity(args.mailbox);
    let weak = ctx.address().downgrade().recipient();
    let addr = ctx.address();
    let mut actor = ViewActor::new(Box::new(factory), args, hooks, weak, Sink::Outlet(outlet));
    // No address in the dead render (`recipient()` is `None`, subscriptions do nothing): the
    // socket gets it when the view goes live.
    actor.socket = Socket::new(false)
        .with_flash(actor.args.flash.clone())
        .with_request(actor.args.request.clone());
    let page = actor.dead_mount(&mut ctx)?;
    if !actor.mounted {
        return Ok((page, None));
    }
    let task = crate::view_task::Supervise::new(ctx.into_future(actor));
    Ok((page, Some((addr.recipient(), task))))
}

impl<V: LiveView> ViewActor<V> {
    /// The dead render, run by the actor that keeps its state (see [`attach_dead`]).
    fn dead_mount(
        &mut self,
        ctx: &mut Context<Self>,
    ) -> Result<crate::dead_render::DeadRender, ViewError> {
        let (params, session) = (self.args.params.clone(), self.args.session.clone());
        let (uri, hooks) = (self.args.uri.clone(), self.hooks.clone());
        self.guarded(ctx, |view, socket| {
            hooks.mount(view, &params, &session, socket)
        })?;
        if let Some(nav) = self.socket.take_navigation() {
            return Ok(crate::dead_render::redirect_of(nav));
        }
        self.guarded(ctx, |view, socket| {
            view.handle_params(&params, &uri, socket)
        })?;
        if let Some(nav) = self.socket.take_navigation() {
            return Ok(crate::dead_render::redirect_of(nav));
        }
        let html = self.guarded(ctx, |view, socket| {
            Ok(view.render(socket.assigns()).to_html())
        })?;
        self.drop_hold("mount");
        self.mounted = true;
        Ok(crate::dead_render::DeadRender::Page {
            html,
            title: self.socket.title().map(str::to_owned),
        })
    }

    /// A join took this living view (a reconnect, or the adoption of a dead render): from
    /// now on its frames carry `join_ref`, and the join is answered with a full render of the
    /// current state. A view not mounted yet mounts now.
    fn on_rejoin(
        &mut self,
        reference: Option<Box<str>>,
        join_ref: Arc<str>,
        ctx: &mut Context<Self>,
    ) {
        let Sink::Outlet(outlet) = &self.sink else {
            return;
        };
        let outlet = outlet.clone();
        self.args.join_ref = join_ref;
        let result = if self.mounted {
            self.go_live(ctx)
        } else {
            self.on_mount(ctx)
        };
        outlet.send(Out::Joined {
            reference,
            result: Box::new(result),
        });
    }

    /// A full render of the current state for a join; first, for a view adopted from its
    /// dead render, the socket turns connected and `connected` runs.
    fn go_live(&mut self, ctx: &mut Context<Self>) -> Result<MountOutcome, ViewError> {
        if self.gave_up {
            return Err(ViewError::Crashed(
                "view gave up after repeated crashes".into(),
            ));
        }
        let mut live_patch = None;
        if !self.socket.connected() {
            let socket = std::mem::replace(&mut self.socket, Socket::new(true));
            self.socket = socket.with_recipient(self.weak.clone());
            self.socket.set_connected();
            self.guarded(ctx, |view, socket| view.connected(socket))?;
            match self.socket.take_navigation() {
                Some(nav @ Navigation::Patch { .. }) => live_patch = Some(nav),
                Some(nav) => return Ok(MountOutcome::Navigated(nav)),
                None => {}
            }
        }
        self.drop_hold("connected");
        self.socket.take_changed();
        let events = self.socket.take_events();
        let rendered = self.guarded(ctx, |view, socket| Ok(view.render(socket.assigns())))?;
        let extras = Extras {
            title: self.socket.title(),
            events: &events,
            reply: None,
        };
        // The client holds nothing (a page from the dead render, or a tree from another
        // socket): a root with statics replaces all of it.
        self.tracker.reset();
        let rendered = self.tracker.render_full(rendered, &extras);
        Ok(MountOutcome::Rendered {
            rendered,
            live_patch,
        })
    }
}
