//! The app's live configuration, as the app builds it: [`LiveConfig`] (secret, live routes,
//! layout, origins, limits) and [`LiveSession`] (a group of routes with its own layout and
//! hooks). What it becomes at run time is in `app.rs`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpRequest;
use liveview_session::{
    AdoptionLimits, Hooks, LiveView, Params, Session, SessionConfig, ViewEntry,
};
use maud::Markup;

use crate::error::Error;
use crate::layout::{default_layout, Layout, Page};
use crate::origin::{AllowedOrigins, Hosts};
use crate::route::{view_name, view_type, Route, RoutePattern};
use crate::serve::SECRET_ENV;
use crate::socket_limit::SocketLimit;
use crate::token::{random_b64, TokenSigner, DEFAULT_MAX_AGE};

/// The websocket endpoint the client connects to (Phoenix's `/live` + `/websocket`).
pub const WEBSOCKET_PATH: &str = "/live/websocket";

/// The live session routes belong to unless placed in another with
/// [`LiveConfig::live_session`].
pub const DEFAULT_LIVE_SESSION: &str = "default";

/// The shortest secret [`LiveConfig::try_new`] accepts.
pub const MIN_SECRET_LEN: usize = 32;

pub(crate) type SessionFn = Arc<dyn Fn(&HttpRequest) -> Session + Send + Sync + 'static>;

/// The live side of an app: its secret, live routes, layout and security settings.
///
/// Build one at start-up, clone it into the `HttpServer` factory, and hand it to [`config`](crate::config).
/// Everything lives in the value (nothing global), so two apps with different secrets can run
/// in one process.
///
/// ```
/// use liveview_http::{AllowedOrigins, LiveConfig};
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Counter;
/// # impl LiveView for Counter {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
/// # }
/// # #[derive(Default)] struct Show;
/// # impl LiveView for Show {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
/// # }
///
/// let live = LiveConfig::new(b"a secret of at least thirty-two bytes, from the environment")
///     .live::<Counter>("/")
///     .live::<Show>("/items/{id}")
///     .allowed_origins(AllowedOrigins::list(["https://example.com"]));
/// # let _ = live;
/// ```
#[derive(Clone)]
pub struct LiveConfig {
    pub(crate) secret: Arc<[u8]>,
    pub(crate) routes: Vec<Route>,
    /// Hooks and layouts of the live sessions, by name.
    pub(crate) sessions: HashMap<Arc<str>, SessionSettings>,
    pub(crate) layout: Layout,
    pub(crate) client_head: Option<Markup>,
    pub(crate) origins: AllowedOrigins,
    pub(crate) max_age: Duration,
    pub(crate) session: Option<SessionFn>,
    pub(crate) session_config: SessionConfig,
    pub(crate) adoption: AdoptionLimits,
    pub(crate) hosts: Hosts,
    pub(crate) trusted_proxies: Vec<IpAddr>,
    /// Shared by every worker's [`Shared`], so the count is per app, not per worker.
    pub(crate) sockets: Arc<SocketLimit>,
}

/// How many live websockets one client address may hold open at a time, by default
/// ([`LiveConfig::max_sockets_per_client`]).
///
/// A browser opens one per tab; 64 leaves room for a household or a small office behind one
/// address, and keeps one client from holding every file descriptor of the server.
pub const DEFAULT_MAX_SOCKETS_PER_CLIENT: usize = 64;

impl std::fmt::Debug for LiveConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveConfig")
            .field("routes", &self.routes)
            .field("origins", &self.origins)
            .field("hosts", &self.hosts)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("max_sockets_per_client", &self.sockets.max())
            .field("max_age", &self.max_age)
            .field("session_config", &self.session_config)
            .finish_non_exhaustive()
    }
}

impl LiveConfig {
    /// A configuration signing with `secret` (at least 32 bytes; keep it out of the source).
    ///
    /// # Panics
    ///
    /// When `secret` is shorter than 32 bytes. Use [`LiveConfig::try_new`] to handle that, or
    /// [`LiveConfig::with_random_secret`] in development.
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        match Self::try_new(secret) {
            Ok(c) => c,
            Err(e) => panic!(
                "{e}: generate one with `head -c 48 /dev/urandom | base64` and pass it with \
                 `LiveConfig::new(std::env::var(\"SECRET_KEY_BASE\")?)`"
            ),
        }
    }

    /// A configuration signing with `secret`, or [`Error::SecretTooShort`].
    pub fn try_new(secret: impl AsRef<[u8]>) -> Result<Self, Error> {
        let secret = secret.as_ref();
        if secret.len() < MIN_SECRET_LEN {
            return Err(Error::SecretTooShort {
                len: secret.len(),
                min: MIN_SECRET_LEN,
            });
        }
        Ok(Self {
            secret: secret.into(),
            routes: Vec::new(),
            sessions: HashMap::new(),
            layout: Arc::new(default_layout),
            client_head: None,
            origins: AllowedOrigins::default(),
            max_age: DEFAULT_MAX_AGE,
            session: None,
            session_config: SessionConfig::default(),
            adoption: AdoptionLimits::default(),
            hosts: Hosts::default(),
            trusted_proxies: Vec::new(),
            sockets: Arc::new(SocketLimit::new(DEFAULT_MAX_SOCKETS_PER_CLIENT)),
        })
    }

    /// A configuration with a random secret: tokens do not survive a restart (the browser
    /// then reloads the page), and each process has its own. For development and tests.
    pub fn with_random_secret() -> Self {
        Self::new(random_b64(48))
    }

    /// A configuration signing with the secret in `$SECRET_KEY_BASE` ([`SECRET_ENV`]), or, when
    /// it is not set, with a random secret (as [`LiveConfig::with_random_secret`], logged as a
    /// warning: tokens then do not survive a restart).
    ///
    /// # Panics
    ///
    /// When `$SECRET_KEY_BASE` is set but shorter than 32 bytes (or not UTF-8): a deployment
    /// that meant to set a secret should not start with another. Use
    /// [`LiveConfig::try_from_env`] to handle that.
    pub fn from_env() -> Self {
        match Self::try_from_env() {
            Ok(c) => c,
            Err(e) => {
                panic!("${SECRET_ENV}: {e}: generate one with `head -c 48 /dev/urandom | base64`")
            }
        }
    }

    /// [`LiveConfig::from_env`], or [`Error::SecretTooShort`] when `$SECRET_KEY_BASE` is set
    /// but too short (a value that is not UTF-8 counts as empty).
    pub fn try_from_env() -> Result<Self, Error> {
        match std::env::var(SECRET_ENV) {
            Ok(secret) => Self::try_new(secret),
            Err(std::env::VarError::NotUnicode(_)) => Self::try_new(""),
            Err(std::env::VarError::NotPresent) => {
                log::warn!(
                    "${SECRET_ENV} is not set: signing with a random secret, so pages rendered \
                     before a restart reload when they reconnect"
                );
                Ok(Self::with_random_secret())
            }
        }
    }

    /// The live route a `GET` of `path` (path and query, or an absolute URL) would render,
    /// as the dead render and the join pick it: the first route whose pattern matches. For
    /// test harnesses (`liveview-test` mounts a view by its route this way).
    ///
    /// ```
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # #[derive(Default)] struct Show;
    /// # impl LiveView for Show {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
    /// # }
    /// use liveview_http::LiveConfig;
    ///
    /// let live = LiveConfig::with_random_secret().live_session("admin", |s| s.live::<Show>("/items/{id}"));
    /// let route = live.route_for("/items/7").unwrap();
    /// assert_eq!(route.pattern.as_str(), "/items/{id}");
    /// assert_eq!(route.params.get("id"), Some("7"));
    /// assert_eq!(route.live_session, "admin");
    /// assert!(route.view.ends_with("Show"));
    /// assert!(live.route_for("/nowhere").is_none());
    /// ```
    pub fn route_for(&self, path: &str) -> Option<LiveRoute> {
        let uri = path.parse::<actix_web::http::Uri>().ok()?;
        self.routes.iter().find_map(|route| {
            let params = route.params(&uri)?;
            Some(LiveRoute {
                pattern: route.pattern.clone(),
                view: view_type(route.entry.name()).to_owned(),
                live_session: route.live_session.to_string(),
                hooks: self
                    .sessions
                    .get(&route.live_session)
                    .map(|s| s.hooks.clone())
                    .unwrap_or_default(),
                params,
            })
        })
    }

    /// Adds a live route: `GET pattern` dead-renders `V` (built with `Default`) and joins
    /// mount it live. `{name}` segments become [`Params`], as do query parameters.
    pub fn live<V: LiveView + Default>(self, pattern: &str) -> Self {
        self.live_with(pattern, V::default)
    }

    /// Adds a live route whose view is built by `factory` for every mount.
    pub fn live_with<V, F>(mut self, pattern: &str, factory: F) -> Self
    where
        V: LiveView,
        F: Fn() -> V + Send + Sync + 'static,
    {
        let entry = ViewEntry::new::<V, _>(view_name::<V>(pattern), factory);
        self.routes
            .push(Route::new(pattern, entry, DEFAULT_LIVE_SESSION.into()));
        self
    }

    /// Adds the routes of a named live session. Live navigation (`push_navigate`, links with
    /// `data-phx-link="redirect"`) stays on the socket only inside one live session; crossing
    /// into another is answered `unauthorized` and the browser loads the page over HTTP.
    ///
    /// A live session may also have a layout ([`LiveSession::layout`]) and hooks that run
    /// before each of its views' callbacks ([`LiveSession::hooks`]). Calling `live_session` again
    /// with the same name adds to
    /// that live session: its hooks apply to all its routes, whichever call added them, and
    /// routes added with [`LiveConfig::live`] belong to [`DEFAULT_LIVE_SESSION`].
    ///
    /// ```
    /// # use liveview_http::{LiveConfig, LiveSession};
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # #[derive(Default)] struct Dashboard;
    /// # impl LiveView for Dashboard {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
    /// # }
    /// let live = LiveConfig::with_random_secret()
    ///     .live_session("admin", |s| s.live::<Dashboard>("/admin"));
    /// # let _ = live;
    /// ```
    pub fn live_session(
        mut self,
        name: &str,
        routes: impl FnOnce(LiveSession) -> LiveSession,
    ) -> Self {
        let session = routes(LiveSession {
            name: name.into(),
            routes: Vec::new(),
            settings: SessionSettings::default(),
        });
        let settings = self.sessions.entry(session.name).or_default();
        settings.hooks = settings.hooks.clone().merge(&session.settings.hooks);
        settings.adopt |= session.settings.adopt;
        if let Some(layout) = session.settings.layout {
            settings.layout = Some(layout);
        }
        self.routes.extend(session.routes);
        self
    }

    /// Replaces the page layout (default: [`default_layout`]) of every live session without
    /// its own ([`LiveSession::layout`]).
    pub fn layout(mut self, layout: impl Fn(&Page<'_>) -> Markup + Send + Sync + 'static) -> Self {
        self.layout = Arc::new(layout);
        self
    }

    /// Replaces the client's `<script>` tags in [`Page::head`], e.g. to load the official
    /// `phoenix_live_view` bundle instead of the built-in client. The CSRF meta tag stays.
    pub fn client_head(mut self, head: Markup) -> Self {
        self.client_head = Some(head);
        self
    }

    /// Which origins may open the websocket (default: [`AllowedOrigins::SameHost`]).
    pub fn allowed_origins(mut self, origins: AllowedOrigins) -> Self {
        self.origins = origins;
        self
    }

    /// The host names the app is served under, as browsers see them (Phoenix's endpoint
    /// `url: [host: ...]`): `"example.com"`, `"example.com:8443"` (that port only),
    /// `"*.example.com"` (any subdomain). With [`AllowedOrigins::SameHost`] (the default), a
    /// websocket opens only from a page of the host it was sent to, and that host must be
    /// one of these or a loopback name (`localhost`, `127.0.0.0/8`, `[::1]`): a server
    /// reached under another name is refused `403` (a DNS rebinding page, whose name
    /// resolves to the server's address, sends that name).
    ///
    /// ```
    /// # use liveview_http::LiveConfig;
    /// let live = LiveConfig::with_random_secret().hosts(["example.com", "www.example.com"]);
    /// # let _ = live;
    /// ```
    pub fn hosts<S: AsRef<str>>(mut self, hosts: impl IntoIterator<Item = S>) -> Self {
        self.hosts = Hosts::new(hosts);
        self
    }

    /// The addresses of the reverse proxies in front of the app (none by default). Only
    /// requests whose TCP peer is one of them have their `Forwarded` / `X-Forwarded-For` /
    /// `X-Forwarded-Host` / `X-Forwarded-Proto` headers believed: for the Origin check's host
    /// (which must still be one of [`LiveConfig::hosts`]), for the client address that
    /// [`LiveConfig::max_sockets_per_client`] counts (the nearest address in the chain that
    /// is not itself a trusted proxy), and for the URL the dead render hands to `mount`.
    ///
    /// ```
    /// # use liveview_http::LiveConfig;
    /// use std::net::{IpAddr, Ipv4Addr};
    ///
    /// // nginx on the same machine, forwarding to 127.0.0.1:4000.
    /// let live = LiveConfig::with_random_secret()
    ///     .hosts(["example.com"])
    ///     .trusted_proxies([IpAddr::V4(Ipv4Addr::LOCALHOST)]);
    /// # let _ = live;
    /// ```
    pub fn trusted_proxies(mut self, proxies: impl IntoIterator<Item = IpAddr>) -> Self {
        self.trusted_proxies = proxies.into_iter().collect();
        self
    }

    /// How many live websockets one client address may hold open (default
    /// [`DEFAULT_MAX_SOCKETS_PER_CLIENT`], at least 1; `usize::MAX` lifts the cap). One more
    /// is refused at the handshake with `429 Too Many Requests` ([`TooManySockets`]) before
    /// any actor starts; a slot is free again as soon as a socket's connection ends. IPv6
    /// clients are counted per /64. Behind a reverse proxy every client has the proxy's
    /// address unless the proxy is in [`LiveConfig::trusted_proxies`].
    ///
    /// [`TooManySockets`]: crate::TooManySockets
    pub fn max_sockets_per_client(mut self, max: usize) -> Self {
        self.sockets = Arc::new(SocketLimit::new(max));
        self
    }

    /// How long a page's session token stays valid (default two weeks).
    pub fn token_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// Derives the [`Session`] handed to `mount` from the page request (e.g. the signed-in
    /// user from a cookie). It is signed into the page, so the join sees the same data.
    pub fn session(
        mut self,
        session: impl Fn(&HttpRequest) -> Session + Send + Sync + 'static,
    ) -> Self {
        self.session = Some(Arc::new(session));
        self
    }

    /// Limits of each websocket session (frame size, views per socket, rates).
    pub fn session_config(mut self, config: SessionConfig) -> Self {
        self.session_config = config;
        self
    }

    /// Bounds on the views kept from dead renders for their joins to adopt (10 s, 1,024
    /// views, 64 MiB of HTML per process; see [`AdoptionLimits`]).
    pub fn adoption_limits(mut self, limits: AdoptionLimits) -> Self {
        self.adoption = limits;
        self
    }

    /// The token signer of this configuration, e.g. for tests that forge or inspect tokens.
    pub fn signer(&self) -> TokenSigner {
        TokenSigner::new(&self.secret).with_max_age(self.max_age)
    }
}

/// What a live session has besides its routes.
#[derive(Clone, Default)]
pub(crate) struct SessionSettings {
    pub(crate) hooks: Hooks,
    pub(crate) layout: Option<Layout>,
    /// Whether its views adopt their dead renders (issue 21).
    pub(crate) adopt: bool,
}

/// The routes of one live session, built in [`LiveConfig::live_session`], with its layout
/// and hooks: Phoenix's `live_session :name, root_layout: ..., on_mount: ...`.
pub struct LiveSession {
    pub(crate) name: Arc<str>,
    pub(crate) routes: Vec<Route>,
    pub(crate) settings: SessionSettings,
}

impl std::fmt::Debug for LiveSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSession")
            .field("name", &self.name)
            .field("routes", &self.routes)
            .field("hooks", &self.settings.hooks)
            .field("layout", &self.settings.layout.is_some())
            .finish()
    }
}

impl LiveSession {
    /// The page layout of this live session's routes, instead of [`LiveConfig::layout`]
    /// (Phoenix's `root_layout` option of `live_session`).
    ///
    /// ```
    /// use liveview_http::{LiveConfig, Page};
    /// use maud::{html, Markup};
    /// # use liveview_diff::{html as live_html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # #[derive(Default)] struct Dashboard;
    /// # impl LiveView for Dashboard {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn render(&self, _: &Assigns) -> Rendered { live_html! { "hi" } }
    /// # }
    ///
    /// fn admin_layout(page: &Page<'_>) -> Markup {
    ///     html! {
    ///         head { title { "Admin" } (page.head) }
    ///         body.admin { (page.content) }
    ///     }
    /// }
    ///
    /// let live = LiveConfig::with_random_secret()
    ///     .live_session("admin", |s| s.layout(admin_layout).live::<Dashboard>("/admin"));
    /// # let _ = live;
    /// ```
    pub fn layout(mut self, layout: impl Fn(&Page<'_>) -> Markup + Send + Sync + 'static) -> Self {
        self.settings.layout = Some(Arc::new(layout));
        self
    }

    /// Runs `hooks` (after any added before) before the `mount` and `handle_event` of every
    /// view of this live session, in the dead render and live: Phoenix's `on_mount` option of
    /// `live_session`, and `attach_hook(socket, name, :handle_event, fun)` from it. The hooks
    /// are built with [`Hooks`] (its documentation says how they run) and, being a value, can
    /// be shared by several live sessions.
    ///
    /// ```
    /// use liveview_http::LiveConfig;
    /// use liveview_session::{Hook, Hooks};
    /// use serde_json::json;
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # #[derive(Default)] struct Dashboard;
    /// # impl LiveView for Dashboard {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
    /// # }
    ///
    /// let signed_in = Hooks::new()
    ///     .on_mount(|_params, session, socket| match session.get::<String>("user") {
    ///         Some(user) => {
    ///             socket.assign("current_user", user);
    ///             Ok(Hook::Cont)
    ///         }
    ///         None => {
    ///             socket.redirect("/login");
    ///             Ok(Hook::Halt)
    ///         }
    ///     })
    ///     // The theme switch in the layout's header works on every page.
    ///     .on_event(|event, value, socket| {
    ///         if event != "set-theme" {
    ///             return Ok(Hook::Cont);
    ///         }
    ///         let theme = value["theme"].as_str().unwrap_or("light").to_owned();
    ///         socket.push_event("theme", json!({ "theme": theme }));
    ///         Ok(Hook::Halt)
    ///     });
    ///
    /// let live = LiveConfig::with_random_secret()
    ///     .session(|req| {
    ///         let mut session = Session::new();
    ///         if let Some(user) = req.cookie("user") {
    ///             session.insert("user", user.value());
    ///         }
    ///         session
    ///     })
    ///     .live_session("admin", |s| s.hooks(signed_in).live::<Dashboard>("/admin"));
    /// # let _ = live;
    /// ```
    pub fn hooks(mut self, hooks: Hooks) -> Self {
        self.settings.hooks = self.settings.hooks.merge(&hooks);
        self
    }

    /// Opts every view of this live session into adopting its dead render: `mount` runs once
    /// per page view instead of twice (see
    /// [`ViewEntry::adopt_dead_render`](liveview_session::ViewEntry::adopt_dead_render) and
    /// `docs/guides/lifecycle.md`; a single view opts in with
    /// [`LiveView::ADOPT_DEAD_RENDER`](liveview_session::LiveView::ADOPT_DEAD_RENDER)).
    pub fn adopt_dead_renders(mut self) -> Self {
        self.settings.adopt = true;
        self
    }

    /// Adds a live route to this live session (see [`LiveConfig::live`]).
    pub fn live<V: LiveView + Default>(self, pattern: &str) -> Self {
        self.live_with(pattern, V::default)
    }

    /// Adds a live route built by `factory` to this live session.
    pub fn live_with<V, F>(mut self, pattern: &str, factory: F) -> Self
    where
        V: LiveView,
        F: Fn() -> V + Send + Sync + 'static,
    {
        let entry = ViewEntry::new::<V, _>(view_name::<V>(pattern), factory);
        let name = Arc::clone(&self.name);
        self.routes.push(Route::new(pattern, entry, name));
        self
    }
}

/// A live route a path routes to ([`LiveConfig::route_for`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LiveRoute {
    /// The route's pattern.
    pub pattern: RoutePattern,
    /// The type name of the route's view (`std::any::type_name`).
    pub view: String,
    /// The live session the route belongs to ([`DEFAULT_LIVE_SESSION`] unless grouped).
    pub live_session: String,
    /// That live session's hooks ([`LiveSession::hooks`]: `on_mount`, `on_event`).
    pub hooks: Hooks,
    /// The path and query parameters of the path that was looked up.
    pub params: Params,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The only test of this binary that touches `$SECRET_KEY_BASE`; its steps run in order.
    #[test]
    fn the_secret_comes_from_the_environment() {
        std::env::set_var(SECRET_ENV, "too short");
        assert!(matches!(
            LiveConfig::try_from_env(),
            Err(Error::SecretTooShort {
                len: 9,
                min: MIN_SECRET_LEN
            })
        ));
        let secret = "a secret of at least thirty-two bytes, from the environment";
        std::env::set_var(SECRET_ENV, secret);
        let from_env = LiveConfig::try_from_env().expect("a long enough secret");
        assert_eq!(&*from_env.secret, secret.as_bytes());
        std::env::remove_var(SECRET_ENV);
        let random = LiveConfig::try_from_env().expect("a random secret");
        assert!(random.secret.len() >= MIN_SECRET_LEN);
        assert_ne!(&*random.secret, secret.as_bytes());
    }
}
