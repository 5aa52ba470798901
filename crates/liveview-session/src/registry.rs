//! The views a server can mount, by name: each a type-erased entry that runs its dead render
//! and starts its actor. (The join's checks are in `join.rs`, the session's limits in
//! `config.rs`.)

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use actix::Recipient;

use crate::dead_render::{DeadRender, DeadRenderer};
use crate::error::ViewError;
use crate::hook::Hooks;
use crate::linger::Adoptable;
use crate::message::{Call, ViewPush, ViewRecipients};
use crate::outlet::Outlet;
use crate::view::LiveView;
use crate::view_actor::{attach_dead, attach_view, SpawnArgs, ViewSpawner};

type DeadRenderFn =
    dyn Fn(DeadRenderer<'_>) -> Result<DeadRender, ViewError> + Send + Sync + 'static;
type SpawnFn = dyn Fn(SpawnArgs, &Hooks) -> ViewRecipients + Send + Sync + 'static;
type AttachFn =
    dyn Fn(SpawnArgs, &Hooks, Outlet) -> (Recipient<Call>, ViewFuture) + Send + Sync + 'static;
/// Runs a dead render in a view actor that keeps its state (issue 21, `linger.rs`).
type KeepFn = dyn Fn(
        SpawnArgs,
        &Hooks,
        Outlet,
    ) -> Result<(DeadRender, Option<(Recipient<Call>, ViewFuture)>), ViewError>
    + Send
    + Sync
    + 'static;

/// A view's supervised actor, as a future for its session to poll.
pub(crate) type ViewFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// One registered view type, erased, with the hooks of its live session.
#[derive(Clone)]
pub struct ViewEntry {
    name: Arc<str>,
    dead: Arc<DeadRenderFn>,
    spawn: Arc<SpawnFn>,
    attach: Arc<AttachFn>,
    keep: Arc<KeepFn>,
    /// Whether its dead render's state is kept for the join to adopt.
    adopt: bool,
    hooks: Hooks,
}

impl fmt::Debug for ViewEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ViewEntry")
            .field("name", &self.name)
            .field("hooks", &self.hooks)
            .field("adopt", &self.adopt)
            .finish()
    }
}

impl ViewEntry {
    /// An entry for view type `V`, built with `factory` for each mount.
    pub fn new<V, F>(name: impl Into<Arc<str>>, factory: F) -> Self
    where
        V: LiveView,
        F: Fn() -> V + Send + Sync + 'static,
    {
        let factory = Arc::new(factory);
        let f2 = Arc::clone(&factory);
        let f3 = Arc::clone(&factory);
        let f4 = Arc::clone(&factory);
        Self {
            name: name.into(),
            dead: Arc::new(move |page| page.render(&mut factory())),
            spawn: Arc::new(move |args, hooks| {
                let f = Arc::clone(&f2);
                ViewSpawner::new(move || f())
                    .hooks(hooks.clone())
                    .spawn(args)
            }),
            attach: Arc::new(move |args, hooks, outlet| {
                let f = Arc::clone(&f3);
                let (to, task) = attach_view(move || f(), args, hooks.clone(), outlet);
                (to, Box::pin(task) as ViewFuture)
            }),
            keep: Arc::new(move |args, hooks, outlet| {
                let f = Arc::clone(&f4);
                let (page, kept) = attach_dead(move || f(), args, hooks.clone(), outlet)?;
                Ok((
                    page,
                    kept.map(|(to, task)| (to, Box::pin(task) as ViewFuture)),
                ))
            }),
            adopt: V::ADOPT_DEAD_RENDER,
            hooks: Hooks::new(),
        }
    }

    /// The same entry, its views running `hooks` (added after any it has) before their own
    /// `mount` and `handle_event`, in the dead render and live.
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
    /// use liveview_session::{DeadRender, DeadRenderer, Hook, Hooks, ViewEntry};
    ///
    /// let entry = ViewEntry::new("hello", Hello::default).with_hooks(Hooks::new().on_mount(|_, _, socket| {
    ///     socket.assign("user", "ana".to_owned());
    ///     Ok(Hook::Cont)
    /// }));
    /// let (params, session) = (Params::new(), Session::new());
    /// let page = entry.dead_render(DeadRenderer::new(&params, &session, "/")).unwrap();
    /// assert!(matches!(page, DeadRender::Page { ref html, .. } if html == "<p>ana</p>"));
    /// ```
    pub fn with_hooks(mut self, hooks: Hooks) -> Self {
        self.hooks = self.hooks.merge(&hooks);
        self
    }

    /// The same entry, opted into adoption of its dead render (issue 21): the state its dead
    /// render's `mount` produced is kept, by a view actor on the thread that rendered it, for
    /// a short time ([`AdoptionLimits`](crate::AdoptionLimits)); the page's websocket join
    /// adopts it instead of mounting again, so `mount` runs once per page view, and
    /// [`LiveView::connected`] starts what only makes sense live. A join that finds nothing
    /// to adopt (expired, evicted, served by another node) mounts as usual. Off by default:
    /// the usual lifecycle mounts twice. See `docs/guides/lifecycle.md`.
    ///
    /// ```
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # #[derive(Default)] struct Report;
    /// # impl LiveView for Report {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn render(&self, _: &Assigns) -> Rendered { html! { "report" } }
    /// # }
    /// use liveview_session::ViewEntry;
    ///
    /// let entry = ViewEntry::new("report", Report::default).adopt_dead_render();
    /// assert!(entry.adopts_dead_render());
    /// ```
    pub fn adopt_dead_render(mut self) -> Self {
        self.adopt = true;
        self
    }

    /// Whether the entry's dead render is kept for its join to adopt.
    pub fn adopts_dead_render(&self) -> bool {
        self.adopt
    }

    /// Runs the dead render as [`dead_render`](Self::dead_render) does and, for an entry that
    /// [adopts its dead render](Self::adopt_dead_render), keeps the mounted view in an actor
    /// on this thread, for the page whose container id is `topic_id` (without `lv:`). Offer it
    /// with [`Adoptable::offer`] once the page's tokens are known; dropping it stops it.
    /// Must run inside an actix system (an actix-web handler does).
    pub fn dead_render_adoptable(
        &self,
        page: DeadRenderer<'_>,
        topic_id: &str,
    ) -> Result<(DeadRender, Option<Adoptable>), ViewError> {
        if !self.adopt {
            return self.dead_render(page).map(|page| (page, None));
        }
        crate::linger::dead_render_kept(page, topic_id, &self.name, |args, outlet| {
            (self.keep)(args, &self.hooks, outlet)
        })
    }

    /// The hooks its views run.
    pub fn hooks(&self) -> &Hooks {
        &self.hooks
    }

    /// The view's registered name (what session tokens carry).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs the dead render of a fresh instance, with this entry's hooks (which replace any
    /// `page` has).
    pub fn dead_render(&self, page: DeadRenderer<'_>) -> Result<DeadRender, ViewError> {
        (self.dead)(page.hooks(&self.hooks))
    }

    /// Starts a supervised view actor of this type and returns its recipients.
    pub fn spawn(&self, args: SpawnArgs) -> ViewRecipients {
        (self.spawn)(args, &self.hooks)
    }

    /// Creates a view actor of this type to run inside a session's task, answering through
    /// `outlet`.
    pub(crate) fn attach(&self, args: SpawnArgs, outlet: Outlet) -> (Recipient<Call>, ViewFuture) {
        (self.attach)(args, &self.hooks, outlet)
    }
}

/// The views a server can mount, by name.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Counter;
/// # impl LiveView for Counter {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
/// # }
/// use liveview_session::ViewRegistry;
///
/// let mut views = ViewRegistry::new();
/// views.register::<Counter>("counter");
/// assert!(views.get("counter").is_some());
/// ```
#[derive(Debug, Clone, Default)]
pub struct ViewRegistry {
    views: HashMap<Arc<str>, ViewEntry>,
}

impl ViewRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `V` (built with `Default`) under `name`.
    pub fn register<V: LiveView + Default>(&mut self, name: &str) -> &mut Self {
        self.insert(ViewEntry::new::<V, _>(name, V::default))
    }

    /// Registers an entry.
    pub fn insert(&mut self, entry: ViewEntry) -> &mut Self {
        self.views.insert(Arc::clone(&entry.name), entry);
        self
    }

    /// The entry registered under `name`.
    pub fn get(&self, name: &str) -> Option<&ViewEntry> {
        self.views.get(name)
    }
}

/// Where a view delivers its pushes.
pub type PushRecipient = Recipient<ViewPush>;
