//! What a [`LiveConfig`] becomes inside an actix-web `App`: the state its handlers share
//! ([`Shared`], built once per worker) and [`config`], which mounts the websocket endpoint,
//! the client assets and every live route.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::Uri;
use actix_web::{web, HttpRequest};
use liveview_session::{Params, SessionConfig, ViewRegistry};
use maud::Markup;

use crate::asset::{serve_asset, ASSETS_PATH};
use crate::csrf::CsrfGuard;
use crate::forwarding::Forwarding;
use crate::handler::{dead_render, websocket};
use crate::layout::Layout;
use crate::live_config::{LiveConfig, SessionFn, WEBSOCKET_PATH};
use crate::origin::{AllowedOrigins, Hosts};
use crate::route::Route;
use crate::socket_limit::SocketLimit;
use crate::token::TokenSigner;

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
    pub(crate) adoption: liveview_session::AdoptionLimits,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("routes", &self.routes)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// The run-time state of `live`, with each route's hooks attached to its view entry.
    pub(crate) fn new(live: LiveConfig) -> Self {
        let mut registry = ViewRegistry::new();
        let mut routes = live.routes;
        for route in &mut routes {
            if let Some(settings) = live.sessions.get(&route.live_session) {
                route.entry = route.entry.clone().with_hooks(settings.hooks.clone());
                if settings.adopt {
                    route.entry = route.entry.clone().adopt_dead_render();
                }
            }
            registry.insert(route.entry.clone());
        }
        let session_layouts = live
            .sessions
            .iter()
            .filter_map(|(name, s)| Some((Arc::clone(name), s.layout.clone()?)))
            .collect();
        Self {
            signer: TokenSigner::new(&live.secret).with_max_age(live.max_age),
            csrf: CsrfGuard::new(&live.secret),
            routes,
            registry: Arc::new(registry),
            layout: live.layout,
            session_layouts,
            client_head: live.client_head,
            origins: live.origins,
            hosts: live.hosts,
            forwarding: Forwarding::new(&live.trusted_proxies),
            sockets: live.sockets,
            session: live.session,
            session_config: live.session_config,
            adoption: live.adoption,
        }
    }

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
/// let live = LiveConfig::from_env().live::<Counter>("/");
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
        let shared = Arc::new(Shared::new(live));
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
                route.pattern.as_str(),
                web::get().to(move |req: HttpRequest| {
                    let shared = Arc::clone(&page);
                    async move { dead_render(&shared, index, &req) }
                }),
            );
        }
    }
}
