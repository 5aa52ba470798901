//! Async work of a view: [`AsyncResult`] (an assign that is loading, ok or failed),
//! [`SocketCore::assign_async`], [`SocketCore::start_async`] with
//! [`LiveView::handle_async`](crate::LiveView::handle_async), and
//! [`SocketCore::cancel_async`].
//!
//! # How a task runs
//!
//! A task starts only when the socket is connected: in the dead render `assign_async` sets
//! the assign to loading and drops the future, `start_async` drops it. Connected, the future
//! is spawned on the view actor's own context when the callback that asked for it returns,
//! so it runs on the actix runtime in the view's task (for a view joined on a websocket, the
//! session's task: see `docs/architecture.md`, "One task per socket"). It needs no `Send`
//! and holds no lock on the view; the view keeps handling events meanwhile. Work that blocks a
//! thread belongs in `actix_web::rt::task::spawn_blocking`, awaited from the future.
//!
//! When the future completes, the view actor takes the result like any message: it checks
//! that the task is still the current one for its name (each start takes a new *generation*;
//! a result of an older one is stale and dropped), applies it (the assign becomes ok or
//! failed; or `handle_async` runs), renders, and pushes an ordinary `diff`.
//!
//! A panic in the future is caught: the result is [`AsyncExit::Panicked`] (a failed assign),
//! and the view goes on. [`SocketCore::cancel_async`] drops the future at once and delivers
//! [`AsyncExit::Cancelled`] as its result, as Phoenix does. Every task of a view that stops
//! (or restarts after a crash) is dropped with its actor context, so nothing outlives it.
//!
//! # Why `start_async` results are keyed by type
//!
//! Phoenix's `handle_async(name, result, socket)` matches on a name and an untyped value. Here
//! a task is named by an [`AsyncKey<T>`], a constant that carries the type its future yields,
//! like [`Key<T>`](crate::Key) for assigns: `socket.start_async(FETCH, fut)` only compiles
//! when `fut` yields the key's `T`, and [`AsyncDone::take`] with the same key gives back a
//! `Result<T, AsyncExit>` without a cast. A view with several tasks checks each key in turn.
//! This keeps [`LiveView`](crate::LiveView) free of a new associated type (every existing
//! view still compiles) and lets one view run tasks of different output types.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix::SpawnHandle;

use crate::assigns::{AssignKey, Key};
use crate::socket::SocketCore;

/// The state of an async assign ([`SocketCore::assign_async`]): loading, ok with a value, or
/// failed with a reason, as Phoenix's `AsyncResult`.
///
/// It is an ordinary assign value: stored under its key, compared with `PartialEq`, so the
/// template re-renders only when it changes. A reload that keeps the previous value
/// ([`SocketCore::assign_async`], not [`SocketCore::assign_async_reset`]) is loading and ok at
/// once; [`state`](AsyncResult::state) then shows the value, as Phoenix's `<.async_result>`
/// does.
///
/// ```
/// use liveview_diff::html;
/// use liveview_session::{AsyncResult, AsyncState};
///
/// let org: AsyncResult<String> = AsyncResult::loading();
/// assert!(org.is_loading() && org.ok().is_none() && org.failed().is_none());
/// let page = |org: &AsyncResult<String>| html! {
///     @match org.state() {
///         AsyncState::Loading => p { "Loading..." }
///         AsyncState::Ok(name) => p { (name) }
///         AsyncState::Failed(why) => p.error { "Failed: " (why) }
///     }
/// };
/// assert_eq!(page(&org).to_html(), "<p>Loading...</p>");
/// assert_eq!(page(&AsyncResult::from_ok("Acme".to_owned())).to_html(), "<p>Acme</p>");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AsyncResult<T> {
    loading: bool,
    failed: Option<String>,
    result: Option<T>,
}

/// What an [`AsyncResult`] shows, for a template's `@match`: its value if it has one (even
/// while reloading), else loading, else the failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsyncState<'a, T> {
    /// Loading, with no value yet.
    Loading,
    /// The value (the last one that loaded).
    Ok(&'a T),
    /// Failed, with no value: the reason.
    Failed(&'a str),
}

impl<T> AsyncResult<T> {
    /// Loading, with no value.
    pub fn loading() -> Self {
        Self {
            loading: true,
            failed: None,
            result: None,
        }
    }

    /// Loaded: `value`.
    pub fn from_ok(value: T) -> Self {
        Self {
            loading: false,
            failed: None,
            result: Some(value),
        }
    }

    /// Failed with `reason`, with no value.
    pub fn from_failed(reason: impl Into<String>) -> Self {
        Self {
            loading: false,
            failed: Some(reason.into()),
            result: None,
        }
    }

    /// Whether a task is loading it (a previous value may still be there).
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// Whether it loaded successfully at least once (Phoenix's `ok?`).
    pub fn is_ok(&self) -> bool {
        self.result.is_some()
    }

    /// The value, once loaded (kept while reloading, and after a failed reload).
    pub fn ok(&self) -> Option<&T> {
        self.result.as_ref()
    }

    /// The reason of the last failure, if the last load failed.
    pub fn failed(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// The value, once loaded.
    pub fn into_ok(self) -> Option<T> {
        self.result
    }

    /// What to show: see [`AsyncState`].
    pub fn state(&self) -> AsyncState<'_, T> {
        match (&self.result, &self.failed) {
            (Some(v), _) => AsyncState::Ok(v),
            (None, _) if self.loading => AsyncState::Loading,
            (None, Some(why)) => AsyncState::Failed(why),
            (None, None) => AsyncState::Loading,
        }
    }

    /// Loading again, keeping the value (Phoenix's `AsyncResult.loading(result)`).
    fn reloading(mut self) -> Self {
        self.loading = true;
        self.failed = None;
        self
    }

    fn succeed(&mut self, value: T) {
        *self = Self::from_ok(value);
    }

    /// Failed, keeping a previous value (Phoenix's `AsyncResult.failed/2`).
    fn fail(&mut self, reason: String) {
        self.loading = false;
        self.failed = Some(reason);
    }
}

/// The name of a task started with [`SocketCore::start_async`], and the type its future
/// yields: the result comes back to [`LiveView::handle_async`](crate::LiveView::handle_async)
/// as a `Result<T, AsyncExit>` through [`AsyncDone::take`].
///
/// ```
/// use liveview_session::AsyncKey;
///
/// const FETCH_ORG: AsyncKey<Result<String, std::io::Error>> = AsyncKey::new("fetch_org");
/// assert_eq!(FETCH_ORG.name(), "fetch_org");
/// ```
pub struct AsyncKey<T> {
    name: &'static str,
    ty: PhantomData<fn() -> T>,
}

impl<T> AsyncKey<T> {
    /// The task `name`, whose future yields a `T`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            ty: PhantomData,
        }
    }

    /// The task's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> Clone for AsyncKey<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for AsyncKey<T> {}

impl<T> fmt::Debug for AsyncKey<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AsyncKey<{}>({:?})",
            std::any::type_name::<T>(),
            self.name
        )
    }
}

/// Why a task gave no value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AsyncExit {
    /// [`SocketCore::cancel_async`] stopped it.
    Cancelled,
    /// Its future panicked, with this message.
    Panicked(String),
}

impl fmt::Display for AsyncExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cancelled => f.write_str("cancelled"),
            Self::Panicked(msg) => write!(f, "panicked: {msg}"),
        }
    }
}

impl std::error::Error for AsyncExit {}

/// A finished [`SocketCore::start_async`] task, given to
/// [`LiveView::handle_async`](crate::LiveView::handle_async): its name and its result, taken
/// with the task's [`AsyncKey`].
///
/// ```
/// # use liveview_session::{AsyncDone, AsyncKey};
/// const COUNT: AsyncKey<u32> = AsyncKey::new("count");
/// const NAME: AsyncKey<String> = AsyncKey::new("name");
/// # let mut done = AsyncDone::for_test(COUNT, Ok(3));
/// // In handle_async:
/// if let Some(result) = done.take(NAME) {
///     unreachable!("{result:?}");
/// } else if let Some(result) = done.take(COUNT) {
///     assert_eq!(result, Ok(3));
/// }
/// ```
pub struct AsyncDone {
    name: &'static str,
    result: Option<Result<Box<dyn Any>, AsyncExit>>,
}

impl fmt::Debug for AsyncDone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncDone")
            .field("name", &self.name)
            .field("taken", &self.result.is_none())
            .finish_non_exhaustive()
    }
}

impl AsyncDone {
    /// The task's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether this is the task `key` names.
    pub fn is<T>(&self, key: AsyncKey<T>) -> bool {
        self.name == key.name
    }

    /// The result, if this is the task `key` names (and it was not taken yet): the future's
    /// value, or why there is none.
    pub fn take<T: 'static>(&mut self, key: AsyncKey<T>) -> Option<Result<T, AsyncExit>> {
        if self.name != key.name {
            return None;
        }
        match self.result.take()? {
            Err(exit) => Some(Err(exit)),
            Ok(value) => match value.downcast::<T>() {
                Ok(v) => Some(Ok(*v)),
                Err(value) => {
                    log::error!(
                        "async task `{}` yields another type than {key:?}: two keys share its name",
                        self.name
                    );
                    self.result = Some(Ok(value));
                    None
                }
            },
        }
    }

    /// A finished task, for a test of a `handle_async`.
    pub fn for_test<T: 'static>(key: AsyncKey<T>, result: Result<T, AsyncExit>) -> Self {
        Self {
            name: key.name,
            result: Some(result.map(|v| Box::new(v) as Box<dyn Any>)),
        }
    }
}

/// What a cancel names: the assign of an [`SocketCore::assign_async`] (its
/// `Key<AsyncResult<T>>`) or an [`AsyncKey`] of [`SocketCore::start_async`].
pub trait AsyncName {
    /// Which task.
    #[doc(hidden)]
    fn task_id(&self) -> TaskId;
}

impl<T> AsyncName for AsyncKey<T> {
    fn task_id(&self) -> TaskId {
        TaskId {
            kind: Kind::Start,
            name: self.name,
        }
    }
}

impl<T> AsyncName for Key<AsyncResult<T>> {
    fn task_id(&self) -> TaskId {
        TaskId {
            kind: Kind::Assign,
            name: self.name(),
        }
    }
}

/// A task's identity within its socket: its kind and name (an assign and a `start_async` task
/// may share a name).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskId {
    kind: Kind,
    name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Assign,
    Start,
}

/// Whose socket a task belongs to, so that its result is routed back there. Live components
/// (issue 14) add a variant carrying the component's cid; the view actor routes on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum AsyncTarget {
    /// The view itself.
    View,
    /// The live component with this CID.
    Component(u32),
}

/// A type-erased result: the future's value, boxed, or why it has none.
type Erased = Result<Box<dyn Any>, AsyncExit>;

/// A type-erased future, already guarded against panics.
type TaskFuture = Pin<Box<dyn Future<Output = Erased>>>;

/// Applies an `assign_async` result to the assign (monomorphised per value type).
type Apply = fn(&mut SocketCore, &'static str, Erased);

/// The typed message a finished task sends its view actor (the actor gets it from the
/// future it spawned, in its own context): where it goes, which generation it is, and the
/// result.
pub(crate) struct AsyncFinished {
    pub(crate) target: AsyncTarget,
    id: TaskId,
    generation: u64,
    apply: Option<Apply>,
    result: Erased,
}

impl fmt::Debug for AsyncFinished {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFinished")
            .field("target", &self.target)
            .field("id", &self.id)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

/// A task asked for by a callback, spawned by the view actor when the callback returns.
pub(crate) struct Start {
    id: TaskId,
    generation: u64,
    apply: Option<Apply>,
    future: TaskFuture,
}

impl Start {
    /// The future to spawn: yields the message for the actor.
    pub(crate) fn into_future(
        self,
        target: AsyncTarget,
    ) -> (TaskId, u64, impl Future<Output = AsyncFinished>) {
        let Self {
            id,
            generation,
            apply,
            future,
        } = self;
        let fut = async move {
            let result = future.await;
            AsyncFinished {
                target,
                id,
                generation,
                apply,
                result,
            }
        };
        (id, generation, fut)
    }
}

/// One running task: its generation and, once spawned, its handle in the actor's context.
#[derive(Debug)]
struct Running {
    generation: u64,
    handle: Option<SpawnHandle>,
    /// How an `assign_async` result is applied (kept for a cancel's result).
    apply: Option<Apply>,
}

/// The async tasks of one socket: which one is current for each name, and what the view
/// actor has to spawn or cancel when the running callback returns.
#[derive(Default)]
pub(crate) struct AsyncTasks {
    next_generation: u64,
    running: HashMap<TaskId, Running>,
    to_start: Vec<Start>,
    to_cancel: Vec<SpawnHandle>,
}

impl fmt::Debug for AsyncTasks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncTasks")
            .field("running", &self.running)
            .field("to_start", &self.to_start.len())
            .finish_non_exhaustive()
    }
}

impl AsyncTasks {
    /// Makes `id`'s next task current: an older one is cancelled (its result, if it comes,
    /// is stale).
    fn begin(&mut self, id: TaskId, apply: Option<Apply>, future: TaskFuture) {
        self.next_generation += 1;
        let generation = self.next_generation;
        let previous = self.running.insert(
            id,
            Running {
                generation,
                handle: None,
                apply,
            },
        );
        if let Some(handle) = previous.and_then(|r| r.handle) {
            self.to_cancel.push(handle);
        }
        self.to_start.push(Start {
            id,
            generation,
            apply,
            future,
        });
    }

    /// Cancels `id`'s task: its future is dropped and `Cancelled` is delivered instead.
    fn cancel(&mut self, id: TaskId) {
        let Some(running) = self.running.get(&id) else {
            return;
        };
        let apply = running.apply;
        let future: TaskFuture = Box::pin(std::future::ready(Err(AsyncExit::Cancelled)));
        self.begin(id, apply, future);
    }

    /// The tasks to spawn now, without those a later start for the same name replaced.
    pub(crate) fn take_starts(&mut self) -> Vec<Start> {
        let running = &self.running;
        let mut starts = std::mem::take(&mut self.to_start);
        starts.retain(|s| {
            running
                .get(&s.id)
                .is_some_and(|r| r.generation == s.generation)
        });
        starts
    }

    /// The spawned tasks to abort now.
    /// Whether a callback started or cancelled a task since the last spawn.
    pub(crate) fn has_work(&self) -> bool {
        !self.to_start.is_empty() || !self.to_cancel.is_empty()
    }

    pub(crate) fn take_cancels(&mut self) -> Vec<SpawnHandle> {
        std::mem::take(&mut self.to_cancel)
    }

    /// Records the handle of a spawned task.
    pub(crate) fn spawned(&mut self, id: TaskId, generation: u64, handle: SpawnHandle) {
        match self.running.get_mut(&id) {
            Some(r) if r.generation == generation => r.handle = Some(handle),
            // Replaced while being spawned: abort it.
            _ => self.to_cancel.push(handle),
        }
    }

    /// Whether `done` is the current task of its name (which then is no longer running);
    /// false for a stale result.
    fn finish(&mut self, id: TaskId, generation: u64) -> bool {
        match self.running.get(&id) {
            Some(r) if r.generation == generation => {
                self.running.remove(&id);
                true
            }
            _ => false,
        }
    }

    /// How many tasks are running or about to start.
    pub(crate) fn pending(&self) -> usize {
        self.running.len()
    }

    /// Forgets every task; returns the handles to abort.
    pub(crate) fn clear(&mut self) -> Vec<SpawnHandle> {
        self.to_start.clear();
        let mut handles = std::mem::take(&mut self.to_cancel);
        handles.extend(self.running.drain().filter_map(|(_, r)| r.handle));
        handles
    }
}

/// What a finished task does to its socket.
pub(crate) enum Delivery {
    /// Nothing: the result was stale (or the assign is gone).
    Dropped,
    /// The assign was updated.
    Assigned,
    /// A `start_async` task: call `handle_async` with this.
    HandleAsync(AsyncDone),
}

impl AsyncFinished {
    /// Takes the result into `socket` (the target's): updates an async assign, or gives back
    /// what `handle_async` gets. A stale result is dropped.
    pub(crate) fn deliver(self, socket: &mut SocketCore) -> Delivery {
        if !socket.async_tasks_mut().finish(self.id, self.generation) {
            log::debug!(
                "async task `{}` (generation {}) finished after a newer one started; dropped",
                self.id.name,
                self.generation
            );
            return Delivery::Dropped;
        }
        match (self.id.kind, self.apply) {
            (Kind::Assign, Some(apply)) => {
                apply(socket, self.id.name, self.result);
                Delivery::Assigned
            }
            (Kind::Assign, None) => Delivery::Dropped,
            (Kind::Start, _) => Delivery::HandleAsync(AsyncDone {
                name: self.id.name,
                result: Some(self.result),
            }),
        }
    }
}

/// Polls a future, turning a panic into [`AsyncExit::Panicked`].
struct CatchPanic<F> {
    future: Pin<Box<F>>,
}

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, AsyncExit>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.future.as_mut();
        match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(panic) => Poll::Ready(Err(AsyncExit::Panicked(panic_message(&*panic)))),
        }
    }
}

/// The text of a panic's payload.
pub(crate) fn panic_message(p: &(dyn Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

/// Sets the `AsyncResult<T>` assign `name` from a finished `assign_async` task.
fn apply_assign<T: Clone + PartialEq + 'static>(
    socket: &mut SocketCore,
    name: &'static str,
    result: Erased,
) {
    let mut current = socket
        .assigns()
        .try_get::<AsyncResult<T>>(name)
        .cloned()
        .unwrap_or_else(AsyncResult::loading);
    match result {
        Ok(value) => match value.downcast::<Result<T, String>>() {
            Ok(v) => match *v {
                Ok(value) => current.succeed(value),
                Err(reason) => current.fail(reason),
            },
            Err(_) => {
                log::error!("async assign `{name}`: the task yielded another type");
                return;
            }
        },
        Err(exit) => current.fail(exit.to_string()),
    }
    socket.assign(name, current);
}

impl SocketCore {
    /// Loads the assign `key` without blocking the view: sets it to loading now (keeping a
    /// value it already loaded, as Phoenix does unless `reset: true`; see
    /// [`assign_async_reset`](SocketCore::assign_async_reset)) and, when connected, runs
    /// `future` on the view's runtime. Its `Ok(value)` makes the assign ok, its `Err(e)`
    /// failed with `e.to_string()`, a panic failed with [`AsyncExit::Panicked`]'s text; then
    /// the view renders and the client gets a `diff`.
    ///
    /// In the dead render nothing runs: the page shows the loading state, and the task starts
    /// when the client joins (`mount` runs again, connected). A new `assign_async` for the
    /// same key replaces the running task (its result is dropped as stale). Several values
    /// loaded together go in one struct or tuple `T`.
    ///
    /// ```
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::{AsyncResult, AsyncState, Assigns, Key, LiveView, Params, Session, Socket, ViewError};
    ///
    /// const ORG: Key<AsyncResult<String>> = Key::new("org");
    ///
    /// #[derive(Default)]
    /// struct Dashboard;
    ///
    /// impl LiveView for Dashboard {
    ///     type Info = ();
    ///     type Event = ();
    ///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.assign_async(ORG, async { Ok::<_, std::io::Error>("Acme".to_owned()) });
    ///         Ok(())
    ///     }
    ///     fn render(&self, assigns: &Assigns) -> Rendered {
    ///         html! {
    ///             @match assigns[ORG].state() {
    ///                 AsyncState::Loading => p { "Loading organisation..." }
    ///                 AsyncState::Ok(org) => p { (org) }
    ///                 AsyncState::Failed(why) => p { "Could not load: " (why) }
    ///             }
    ///         }
    ///     }
    /// }
    /// # let page = liveview_session::dead_render(&mut Dashboard, &Params::new(), &Session::new(), "/").unwrap();
    /// # assert!(matches!(page, liveview_session::DeadRender::Page { ref html, .. } if html == "<p>Loading organisation...</p>"));
    /// ```
    pub fn assign_async<T, E, F>(&mut self, key: Key<AsyncResult<T>>, future: F) -> &mut Self
    where
        T: Clone + PartialEq + 'static,
        E: fmt::Display + 'static,
        F: Future<Output = Result<T, E>> + 'static,
    {
        self.assign_async_with(key, future, false)
    }

    /// [`assign_async`](SocketCore::assign_async) that also drops the value already loaded:
    /// the assign is plain loading until the task ends (Phoenix's `reset: true`).
    pub fn assign_async_reset<T, E, F>(&mut self, key: Key<AsyncResult<T>>, future: F) -> &mut Self
    where
        T: Clone + PartialEq + 'static,
        E: fmt::Display + 'static,
        F: Future<Output = Result<T, E>> + 'static,
    {
        self.assign_async_with(key, future, true)
    }

    fn assign_async_with<T, E, F>(
        &mut self,
        key: Key<AsyncResult<T>>,
        future: F,
        reset: bool,
    ) -> &mut Self
    where
        T: Clone + PartialEq + 'static,
        E: fmt::Display + 'static,
        F: Future<Output = Result<T, E>> + 'static,
    {
        let name = AssignKey::<AsyncResult<T>>::name(&key);
        let loading = match self.assigns().try_get(key) {
            Some(current) if !reset && current.is_ok() => current.clone().reloading(),
            _ => AsyncResult::loading(),
        };
        self.assign(name, loading);
        if self.connected() {
            let future: TaskFuture = Box::pin(async move {
                let result = CatchPanic {
                    future: Box::pin(future),
                }
                .await?;
                Ok(Box::new(result.map_err(|e| e.to_string())) as Box<dyn Any>)
            });
            self.async_tasks_mut()
                .begin(key.task_id(), Some(apply_assign::<T>), future);
        }
        self
    }

    /// Runs `future` when connected (in the dead render it is dropped), and gives its value
    /// to [`LiveView::handle_async`](crate::LiveView::handle_async) as `Ok(value)` (or
    /// `Err(`[`AsyncExit`]`)` when it panicked or was cancelled), under the name of `key`,
    /// which also fixes the value's type. A new `start_async` with the same key replaces the
    /// running task (its result is dropped as stale).
    ///
    /// ```
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::{AsyncDone, AsyncKey, Assigns, Key, LiveView, Params, Session, Socket, ViewError};
    ///
    /// const TOTAL: Key<Option<u64>> = Key::new("total");
    /// const COUNT_ROWS: AsyncKey<u64> = AsyncKey::new("count_rows");
    ///
    /// #[derive(Default)]
    /// struct Stats;
    ///
    /// impl LiveView for Stats {
    ///     type Info = ();
    ///     type Event = ();
    ///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.assign(TOTAL, None);
    ///         socket.start_async(COUNT_ROWS, async { 42 });
    ///         Ok(())
    ///     }
    ///     fn handle_async(&mut self, mut done: AsyncDone, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         if let Some(result) = done.take(COUNT_ROWS) {
    ///             match result {
    ///                 Ok(n) => socket.assign(TOTAL, Some(n)),
    ///                 Err(exit) => socket.put_flash("error", format!("count failed: {exit}")),
    ///             };
    ///         }
    ///         Ok(())
    ///     }
    ///     fn render(&self, assigns: &Assigns) -> Rendered {
    ///         html! { @match assigns[TOTAL] { Some(n) => p { (n) " rows" } None => p { "Counting..." } } }
    ///     }
    /// }
    /// ```
    pub fn start_async<T, F>(&mut self, key: AsyncKey<T>, future: F) -> &mut Self
    where
        T: 'static,
        F: Future<Output = T> + 'static,
    {
        if self.connected() {
            let future: TaskFuture = Box::pin(async move {
                let value = CatchPanic {
                    future: Box::pin(future),
                }
                .await?;
                Ok(Box::new(value) as Box<dyn Any>)
            });
            self.async_tasks_mut().begin(key.task_id(), None, future);
        }
        self
    }

    /// Cancels the running task of `key` (an async assign's `Key<AsyncResult<T>>`, or a
    /// `start_async` [`AsyncKey`]): its future is dropped at once, and the result becomes
    /// [`AsyncExit::Cancelled`], as in Phoenix: the assign fails with `"cancelled"` (keeping a
    /// value it had), or `handle_async` gets `Err(AsyncExit::Cancelled)`. Nothing happens
    /// when no task of that name runs.
    pub fn cancel_async(&mut self, key: impl AsyncName) -> &mut Self {
        self.async_tasks_mut().cancel(key.task_id());
        self
    }

    /// How many async tasks of this socket are running (or about to start).
    pub fn async_pending(&self) -> usize {
        self.async_tasks().pending()
    }
}

/// Asks a view actor how many async tasks of its view are still running (the test harness's
/// `render_async` waits for none).
#[derive(Debug, Clone, Copy, actix::Message)]
#[rtype(result = "usize")]
pub struct AsyncPending;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloading_keeps_the_value_and_failing_keeps_it_too() {
        let r = AsyncResult::from_ok(1).reloading();
        assert!(r.is_loading() && r.is_ok());
        assert_eq!(r.state(), AsyncState::Ok(&1));
        let mut r2 = r;
        r2.fail("boom".into());
        assert_eq!(
            (r2.ok(), r2.failed(), r2.is_loading()),
            (Some(&1), Some("boom"), false)
        );
        let mut r3 = AsyncResult::<i32>::loading();
        r3.fail("x".into());
        assert_eq!(r3.state(), AsyncState::Failed("x"));
        r3.succeed(5);
        assert_eq!(r3, AsyncResult::from_ok(5));
    }

    fn ready(v: i32) -> TaskFuture {
        Box::pin(std::future::ready(Ok(Box::new(v) as Box<dyn Any>)))
    }

    const A: TaskId = TaskId {
        kind: Kind::Start,
        name: "a",
    };

    #[test]
    fn a_newer_start_makes_the_older_stale() {
        let mut tasks = AsyncTasks::default();
        tasks.begin(A, None, ready(1));
        let first = tasks.take_starts();
        assert_eq!(first.len(), 1);
        let old_generation = first[0].generation;
        tasks.begin(A, None, ready(2));
        tasks.begin(A, None, ready(3));
        // Only the last of two starts in one callback is spawned.
        let second = tasks.take_starts();
        assert_eq!(second.len(), 1);
        assert!(
            !tasks.finish(A, old_generation),
            "the older result is stale"
        );
        assert_eq!(tasks.pending(), 1);
        assert!(tasks.finish(A, second[0].generation));
        assert_eq!(tasks.pending(), 0);
        assert!(!tasks.finish(A, second[0].generation), "delivered once");
    }

    #[test]
    fn cancel_replaces_the_task_with_a_cancelled_result() {
        let mut tasks = AsyncTasks::default();
        tasks.cancel(A);
        assert!(
            tasks.take_starts().is_empty(),
            "nothing runs: nothing to cancel"
        );
        tasks.begin(A, None, ready(1));
        tasks.cancel(A);
        let starts = tasks.take_starts();
        assert_eq!(starts.len(), 1);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut starts = starts.into_iter().map(|s| s.into_future(AsyncTarget::View));
        let Some((_, _, fut)) = starts.next() else {
            unreachable!("one start")
        };
        let mut fut = Box::pin(fut);
        let Poll::Ready(done) = fut.as_mut().poll(&mut cx) else {
            panic!("a cancel is ready at once");
        };
        assert!(matches!(done.result, Err(AsyncExit::Cancelled)));
    }

    #[test]
    fn a_panic_is_an_exit() {
        let mut fut = Box::pin(CatchPanic {
            future: Box::pin(async { panic!("no db") }),
        });
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let out: Poll<Result<(), AsyncExit>> = fut.as_mut().poll(&mut cx);
        assert_eq!(out, Poll::Ready(Err(AsyncExit::Panicked("no db".into()))));
    }

    #[test]
    fn done_takes_by_key_once() {
        const N: AsyncKey<u8> = AsyncKey::new("n");
        const WRONG: AsyncKey<String> = AsyncKey::new("n");
        let mut done = AsyncDone::for_test(N, Ok(7));
        assert!(done.is(N));
        assert_eq!(done.take(WRONG), None, "same name, other type");
        assert_eq!(done.take(N), Some(Ok(7)));
        assert_eq!(done.take(N), None);
    }
}
