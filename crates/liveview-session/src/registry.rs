//! The views a server can mount, by name, and the hook through which the HTTP layer
//! authorises each join.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use actix::Recipient;

use crate::error::ViewError;
use crate::hook::Hooks;
use crate::message::{Call, ViewPush, ViewRecipients};
use crate::outlet::Outlet;
use crate::supervisor::RestartPolicy;
use crate::view::{dead_render_with_hooks, DeadRender, Flash, LiveView, Params, Session};
use crate::view_actor::{attach_view, spawn_view_hooked, SpawnArgs};

type DeadRenderFn = dyn Fn(&Params, &Session, &str, Flash, &Hooks) -> Result<DeadRender, ViewError>
    + Send
    + Sync
    + 'static;
type SpawnFn = dyn Fn(SpawnArgs, &Hooks) -> ViewRecipients + Send + Sync + 'static;
type AttachFn =
    dyn Fn(SpawnArgs, &Hooks, Outlet) -> (Recipient<Call>, ViewFuture) + Send + Sync + 'static;

/// A view's supervised actor, as a future for its session to poll.
pub(crate) type ViewFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// One registered view type, erased, with the hooks of its live session.
#[derive(Clone)]
pub struct ViewEntry {
    name: Arc<str>,
    dead: Arc<DeadRenderFn>,
    spawn: Arc<SpawnFn>,
    attach: Arc<AttachFn>,
    hooks: Hooks,
}

impl fmt::Debug for ViewEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ViewEntry")
            .field("name", &self.name)
            .field("hooks", &self.hooks)
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
        Self {
            name: name.into(),
            dead: Arc::new(move |params, session, uri, flash, hooks| {
                let mut view = factory();
                dead_render_with_hooks(&mut view, params, session, uri, flash, hooks)
            }),
            spawn: Arc::new(move |args, hooks| {
                let f = Arc::clone(&f2);
                spawn_view_hooked(move || f(), args, hooks.clone())
            }),
            attach: Arc::new(move |args, hooks, outlet| {
                let f = Arc::clone(&f3);
                let (to, task) = attach_view(move || f(), args, hooks.clone(), outlet);
                (to, Box::pin(task) as ViewFuture)
            }),
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
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn render(&self, a: &Assigns) -> Rendered { let u: String = a.get("user"); html! { p { (u) } } }
    /// # }
    /// use liveview_session::{DeadRender, Hook, Hooks, ViewEntry};
    ///
    /// let entry = ViewEntry::new("hello", Hello::default).with_hooks(Hooks::new().on_mount(|_, _, socket| {
    ///     socket.assign("user", "ana".to_owned());
    ///     Ok(Hook::Cont)
    /// }));
    /// let page = entry.dead_render(&Params::new(), &Session::new(), "/").unwrap();
    /// assert!(matches!(page, DeadRender::Page { ref html, .. } if html == "<p>ana</p>"));
    /// ```
    pub fn with_hooks(mut self, hooks: Hooks) -> Self {
        self.hooks = self.hooks.merge(&hooks);
        self
    }

    /// The hooks its views run.
    pub fn hooks(&self) -> &Hooks {
        &self.hooks
    }

    /// The view's registered name (what session tokens carry).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs the dead render of a fresh instance.
    pub fn dead_render(
        &self,
        params: &Params,
        session: &Session,
        uri: &str,
    ) -> Result<DeadRender, ViewError> {
        (self.dead)(params, session, uri, Flash::new(), &self.hooks)
    }

    /// Runs the dead render of a fresh instance that mounts with `flash` (from the
    /// `__phoenix_flash__` cookie).
    pub fn dead_render_with_flash(
        &self,
        params: &Params,
        session: &Session,
        uri: &str,
        flash: Flash,
    ) -> Result<DeadRender, ViewError> {
        (self.dead)(params, session, uri, flash, &self.hooks)
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

/// What the client asked for in a `phx_join`, for the authoriser to check.
#[derive(Debug, Clone)]
pub struct JoinRequest<'a> {
    /// The topic's view id (`lv:<id>` without the prefix).
    pub topic_id: &'a str,
    /// `data-phx-session`, verbatim.
    pub session_token: &'a str,
    /// `data-phx-static`, verbatim (`None` when empty).
    pub static_token: Option<&'a str>,
    /// The page URL (`url`), or the live-navigation target (`redirect`).
    pub url: Option<&'a str>,
    /// True when `url` came from `redirect` (live navigation).
    pub live_navigation: bool,
    /// The `params` object of the join (connect params such as `_csrf_token`, `_mounts`).
    pub params: &'a serde_json::Value,
    /// The join's `flash` token (live navigation after a `push_navigate` with a flash).
    pub flash: Option<&'a str>,
}

/// A join the authoriser accepted: which view to mount, with what.
#[derive(Debug, Clone)]
pub struct AuthorizedJoin {
    /// The registered name of the view to mount.
    pub view: String,
    /// Path and query parameters of `url`.
    pub params: Params,
    /// The session data the token vouched for.
    pub session: Session,
    /// The absolute URL the view is mounted at.
    pub uri: String,
    /// The flash the view mounts with (from the join's flash token or the static token).
    pub flash: Flash,
}

/// Why a join was refused, as the client expects it (PROTOCOL.md §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinRefusal {
    /// Invalid, expired or outdated token, CSRF failure, unknown view: `{"reason":"stale"}`.
    Stale,
    /// The URL does not route to the token's view or live session: `{"reason":"unauthorized"}`.
    Unauthorized,
}

impl JoinRefusal {
    /// The `reason` the client reads.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Stale => "stale",
            Self::Unauthorized => "unauthorized",
        }
    }
}

/// Verifies joins: tokens, CSRF state, routes. Implemented by the HTTP layer
/// (`liveview-http`), and by tests.
pub trait JoinAuthorizer: Send + Sync + 'static {
    /// Checks a join and says what to mount, or why not.
    fn authorize(&self, join: &JoinRequest<'_>) -> Result<AuthorizedJoin, JoinRefusal>;

    /// Resolves a live patch URL for an already mounted `view`: its parameters, or `None` when
    /// the URL routes to another view (the client then navigates).
    fn resolve_patch(&self, view: &str, url: &str) -> Option<Params>;

    /// Signs a flash that a navigation carries to the next page (the `flash` of a
    /// `redirect` or `live_redirect`). The default signs nothing: the flash is dropped.
    fn sign_flash(&self, flash: &Flash) -> Option<String> {
        let _ = flash;
        None
    }
}

/// Limits and timeouts of one websocket session and its views.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Close a socket that sent nothing for this long (Phoenix: 60 s).
    pub idle_timeout: std::time::Duration,
    /// The largest frame read at all; larger ones close the socket with 1009 before they are
    /// buffered (4 MiB).
    pub max_frame_bytes: usize,
    /// The largest message handled (1 MiB). A larger frame, up to
    /// [`max_frame_bytes`](Self::max_frame_bytes), is answered with the error reply
    /// `{"reason":"event too large"}` and the socket stays up, so a form with an oversized
    /// value keeps what the user typed instead of looping through closes and form recovery.
    pub max_event_bytes: usize,
    /// The most views one socket may join at once.
    pub max_views: usize,
    /// The most requests a socket may have waiting on its views; more are refused.
    pub max_in_flight: usize,
    /// Mailbox capacity of each view actor.
    pub view_mailbox: usize,
    /// How often a crashing view may restart.
    pub restart: RestartPolicy,
    /// Events per second a socket may send (a token bucket of this size per second).
    pub max_events_per_sec: u32,
    /// How long a view keeps trying to push to a client that does not read before it stops
    /// (30 s).
    pub stall_limit: std::time::Duration,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle_timeout: std::time::Duration::from_secs(60),
            max_frame_bytes: 4 * 1024 * 1024,
            max_event_bytes: 1024 * 1024,
            max_views: 64,
            max_in_flight: 32,
            view_mailbox: 64,
            restart: RestartPolicy::default(),
            max_events_per_sec: 1000,
            stall_limit: std::time::Duration::from_secs(30),
        }
    }
}

/// Where a view delivers its pushes.
pub type PushRecipient = Recipient<ViewPush>;
