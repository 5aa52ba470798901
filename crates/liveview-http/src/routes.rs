//! The app's live configuration ([`LiveConfig`]): secret, live routes, layout, origins; and
//! [`config`], which mounts the websocket endpoint, the client assets and every live route
//! into an actix-web `App`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Path, ResourceDef, Url};
use actix_web::http::Uri;
use actix_web::{web, HttpRequest};
use liveview_session::{Hooks, LiveView, Params, Session, SessionConfig, ViewEntry, ViewRegistry};
use maud::Markup;

use crate::asset::{serve_asset, ASSETS_PATH};
use crate::csrf::CsrfGuard;
use crate::error::Error;
use crate::forwarding::Forwarding;
use crate::handler::{dead_render, websocket};
use crate::layout::{default_layout, Layout, Page};
use crate::origin::{AllowedOrigins, Hosts};
use crate::socket_limit::SocketLimit;
use crate::token::{random_b64, TokenSigner, DEFAULT_MAX_AGE};

/// The websocket endpoint the client connects to (Phoenix's `/live` + `/websocket`).
pub const WEBSOCKET_PATH: &str = "/live/websocket";

/// The live session routes belong to unless placed in another with
/// [`LiveConfig::live_session`].
pub const DEFAULT_LIVE_SESSION: &str = "default";

/// The shortest secret [`LiveConfig::try_new`] accepts.
pub const MIN_SECRET_LEN: usize = 32;

type SessionFn = Arc<dyn Fn(&HttpRequest) -> Session + Send + Sync + 'static>;

/// One live route: a path pattern and the view it mounts.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub(crate) pattern: String,
    pub(crate) resource: ResourceDef,
    pub(crate) entry: ViewEntry,
    pub(crate) live_session: Arc<str>,
}

impl Route {
    fn new(pattern: &str, entry: ViewEntry, live_session: Arc<str>) -> Self {
        Self {
            pattern: pattern.to_owned(),
            resource: ResourceDef::new(pattern),
            entry,
            live_session,
        }
    }

    /// The route's path and query parameters for `uri`, if its path matches. Path parameters
    /// win over query parameters of the same name.
    pub(crate) fn params(&self, uri: &Uri) -> Option<Params> {
        let mut path = Path::new(Url::new(uri.clone()));
        if !self.resource.capture_match_info(&mut path) {
            return None;
        }
        let mut params = Params::new();
        if let Some(query) = uri.query() {
            if let Ok(pairs) = web::Query::<Vec<(String, String)>>::from_query(query) {
                for (k, v) in pairs.into_inner() {
                    params.insert(k, v);
                }
            }
        }
        for (k, v) in path.iter() {
            params.insert(k, v);
        }
        Some(params)
    }
}

/// The live side of an app: its secret, live routes, layout and security settings.
///
/// Build one at start-up, clone it into the `HttpServer` factory, and hand it to [`config`].
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
    secret: Arc<[u8]>,
    routes: Vec<Route>,
    /// Hooks and layouts of the live sessions, by name.
    sessions: HashMap<Arc<str>, SessionSettings>,
    layout: Layout,
    client_head: Option<Markup>,
    origins: AllowedOrigins,
    max_age: Duration,
    session: Option<SessionFn>,
    session_config: SessionConfig,
    hosts: Hosts,
    trusted_proxies: Vec<IpAddr>,
    /// Shared by every worker's [`Shared`], so the count is per app, not per worker.
    sockets: Arc<SocketLimit>,
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

    /// The token signer of this configuration, e.g. for tests that forge or inspect tokens.
    pub fn signer(&self) -> TokenSigner {
        TokenSigner::new(&self.secret).with_max_age(self.max_age)
    }

    pub(crate) fn build(self) -> Shared {
        let mut registry = ViewRegistry::new();
        let mut routes = self.routes;
        for route in &mut routes {
            if let Some(settings) = self.sessions.get(&route.live_session) {
                route.entry = route.entry.clone().with_hooks(settings.hooks.clone());
            }
            registry.insert(route.entry.clone());
        }
        let session_layouts = self
            .sessions
            .iter()
            .filter_map(|(name, s)| Some((Arc::clone(name), s.layout.clone()?)))
            .collect();
        Shared {
            signer: TokenSigner::new(&self.secret).with_max_age(self.max_age),
            csrf: CsrfGuard::new(&self.secret),
            routes,
            registry: Arc::new(registry),
            layout: self.layout,
            session_layouts,
            client_head: self.client_head,
            origins: self.origins,
            hosts: self.hosts,
            forwarding: Forwarding::new(&self.trusted_proxies),
            sockets: self.sockets,
            session: self.session,
            session_config: self.session_config,
        }
    }
}

/// What a live session has besides its routes.
#[derive(Clone, Default)]
struct SessionSettings {
    hooks: Hooks,
    layout: Option<Layout>,
}

/// The routes of one live session, built in [`LiveConfig::live_session`], with its layout
/// and hooks: Phoenix's `live_session :name, root_layout: ..., on_mount: ...`.
pub struct LiveSession {
    name: Arc<str>,
    routes: Vec<Route>,
    settings: SessionSettings,
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

/// The registry name of `V` at `pattern`: the type and the route, so that one type mounted at
/// two routes with different factories stays two entries.
fn view_name<V>(pattern: &str) -> String {
    format!("{}@{pattern}", std::any::type_name::<V>())
}

/// The view type of a registry name made by [`view_name`].
pub(crate) fn view_type(name: &str) -> &str {
    name.split_once('@').map_or(name, |(ty, _)| ty)
}

/// Everything the handlers of one app share, built once per worker from a [`LiveConfig`].
pub(crate) struct Shared {
    pub(crate) signer: TokenSigner,
    pub(crate) csrf: CsrfGuard,
    pub(crate) routes: Vec<Route>,
    pub(crate) registry: Arc<ViewRegistry>,
    pub(crate) layout: Layout,
    /// The layouts of live sessions that have their own.
    pub(crate) session_layouts: HashMap<Arc<str>, Layout>,
    pub(crate) client_head: Option<Markup>,
    pub(crate) origins: AllowedOrigins,
    pub(crate) hosts: Hosts,
    pub(crate) forwarding: Forwarding,
    pub(crate) sockets: Arc<SocketLimit>,
    pub(crate) session: Option<SessionFn>,
    pub(crate) session_config: SessionConfig,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("routes", &self.routes)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// The layout of `route`: its live session's, or the app's.
    pub(crate) fn layout_for(&self, route: &Route) -> &Layout {
        self.session_layouts
            .get(&route.live_session)
            .unwrap_or(&self.layout)
    }

    /// The first route whose pattern matches `uri`'s path, with its parameters.
    pub(crate) fn route_for(&self, uri: &Uri) -> Option<(&Route, Params)> {
        self.routes
            .iter()
            .find_map(|r| r.params(uri).map(|p| (r, p)))
    }
}

/// Mounts a [`LiveConfig`] into an actix-web `App`: `GET /live/websocket`,
/// `GET /live/assets/{name}` (the bundle and `src/<module>`), and one `GET` resource per live route.
///
/// ```no_run
/// use actix_web::{App, HttpServer};
/// use liveview_http::{config, LiveConfig};
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Counter;
/// # impl LiveView for Counter {
/// #     type Info = ();
/// #     type Event = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "hi" } }
/// # }
///
/// # async fn run() -> std::io::Result<()> {
/// let live = LiveConfig::new(std::env::var("SECRET_KEY_BASE").unwrap_or_default())
///     .live::<Counter>("/");
/// HttpServer::new(move || App::new().configure(config(live.clone())))
///     .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
///     .on_connect(liveview_session::on_connect)
///     .bind(("127.0.0.1", 4000))?
///     .run()
///     .await
/// # }
/// ```
pub fn config(live: LiveConfig) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let shared = Arc::new(live.build());
        let ws = Arc::clone(&shared);
        cfg.route(
            WEBSOCKET_PATH,
            web::get().to(move |req: HttpRequest, payload: web::Payload| {
                let shared = Arc::clone(&ws);
                async move { websocket(&shared, &req, payload) }
            }),
        );
        cfg.route(
            &format!("{ASSETS_PATH}/{{name:.+}}"),
            web::get().to(serve_asset),
        );
        for (index, route) in shared.routes.iter().enumerate() {
            let page = Arc::clone(&shared);
            cfg.route(
                &route.pattern,
                web::get().to(move |req: HttpRequest| {
                    let shared = Arc::clone(&page);
                    async move { dead_render(&shared, index, &req) }
                }),
            );
        }
    }
}
