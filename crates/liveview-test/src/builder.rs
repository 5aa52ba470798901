//! Mounting a view in-process for a test: [`live`] and [`LiveBuilder`] (path, route,
//! parameters, session, flash, hooks, restart policy), the dead render and the connected mount
//! over the real typed messages.

use std::fmt::{self, Debug};

use liveview_diff::ClientTree;
use liveview_session::{
    DeadRender, DeadRenderer, Flash, Hooks, LiveView, Mount, MountOutcome, Navigation, Params,
    RestartPolicy, Session, SpawnArgs,
};

use liveview_http::{LiveConfig, RoutePattern};

use crate::client::{absolute, nav_target, Client};
use crate::error::Error;
use crate::live_view_test::{LiveViewTest, TEST_VIEW_ID};
use crate::mailbox::{MailboxEntry, Outbound};
use crate::recorder::spawn_recorded;
use crate::transport::InProcess;

/// Mounts `V` (built with `Default`) at `path`, in-process: the dead render, then the
/// connected mount over the real typed messages. Query parameters of `path` become
/// [`Params`]; use [`LiveViewTest::builder`] for path parameters, session data or a custom
/// factory.
///
/// # Panics
///
/// When the view redirects or fails while mounting (use [`LiveBuilder::try_mount`] to
/// test that), or outside an actix system.
pub async fn live<V>(path: &str) -> LiveViewTest<InProcess<V>>
where
    V: LiveView + Default,
    V::Info: Debug,
{
    LiveViewTest::builder(V::default).path(path).mount().await
}

/// How to mount a view for a test: built by [`LiveViewTest::builder`].
pub struct LiveBuilder<V, F> {
    factory: F,
    path: String,
    route: Option<RoutePattern>,
    params: Params,
    session: Session,
    restart: RestartPolicy,
    hooks: Option<Hooks>,
    flash: Flash,
    config: Option<LiveConfig>,
    _view: std::marker::PhantomData<fn() -> V>,
}

impl<V, F> Debug for LiveBuilder<V, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveBuilder")
            .field("path", &self.path)
            .field("route", &self.route)
            .field("params", &self.params)
            .field("session", &self.session)
            .field("hooks", &self.hooks)
            .field("flash", &self.flash)
            .field("config", &self.config.is_some())
            .finish_non_exhaustive()
    }
}

impl<V, F> LiveBuilder<V, F>
where
    V: LiveView,
    V::Info: Debug,
    F: Fn() -> V + 'static,
{
    /// The page's path and query (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        path.clone_into(&mut self.path);
        self
    }

    /// The route pattern the path matches, e.g. `/users/{id}`: its `{name}` segments become
    /// parameters, as they do in `liveview-http`. [`LiveBuilder::config`] finds it instead.
    pub fn route(mut self, pattern: &str) -> Self {
        self.route = Some(RoutePattern::new(pattern));
        self
    }

    /// Takes the route from the app's [`LiveConfig`], as a `GET` of the path would: the first
    /// live route whose pattern matches the path gives the path parameters, and its live
    /// session's hooks run (unless [`LiveBuilder::hooks`] replaces them). The route must mount
    /// `V`. The config's `session` function (which reads the request) does not run: give the
    /// session with [`LiveBuilder::session`].
    ///
    /// ```
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # #[derive(Default)] struct Show;
    /// # impl LiveView for Show {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
    /// #         s.assign("id", p.get("id").unwrap_or("?").to_owned()); Ok(())
    /// #     }
    /// #     fn render(&self, a: &Assigns) -> Rendered { let id: String = a.get("id"); html! { p #id { (id) } } }
    /// # }
    /// use liveview_http::LiveConfig;
    /// use liveview_test::LiveViewTest;
    ///
    /// # actix::System::new().block_on(async {
    /// let live = LiveConfig::with_random_secret().live::<Show>("/items/{id}");
    /// let view = LiveViewTest::builder(Show::default).config(&live).path("/items/7").mount().await;
    /// assert_eq!(view.text("#id"), "7");
    /// # });
    /// ```
    ///
    /// # Panics
    ///
    /// At mount, when no live route of `live` matches the path, or the one that does mounts
    /// another view type.
    pub fn config(mut self, live: &LiveConfig) -> Self {
        self.config = Some(live.clone());
        self
    }

    /// The flash the page arrives with (`put_flash` before a `push_navigate` or `redirect`, or
    /// the flash cookie of a dead render): the view's `mount` sees it, in the dead render and
    /// live. [`LiveViewTest::follow_redirect`] sets it from the navigation.
    pub fn flash(mut self, flash: Flash) -> Self {
        self.flash = flash;
        self
    }

    /// Mounts where `nav` (a live navigation or a redirect another view asked for) leads, with
    /// the flash it carries. A patch only changes the path.
    pub fn follow(mut self, nav: &Navigation) -> Self {
        match nav {
            Navigation::Navigate { to, flash, .. } | Navigation::Redirect { to, flash } => {
                self.flash = flash.clone();
                to.clone_into(&mut self.path);
            }
            Navigation::Patch { to, .. } => to.clone_into(&mut self.path),
        }
        self
    }

    /// One more parameter (path parameters and query parameters win over it).
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.params.insert(name, value);
        self
    }

    /// The session data the page vouches for.
    pub fn session(mut self, session: Session) -> Self {
        self.session = session;
        self
    }

    /// The restart policy of the view actor.
    pub fn restart(mut self, policy: RestartPolicy) -> Self {
        self.restart = policy;
        self
    }

    /// The hooks of the view's live session (`LiveSession::on_mount` / `on_event` in
    /// `liveview-http`): they run before its `mount`, in the dead render and live, and
    /// before its `handle_event`.
    ///
    /// ```
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # #[derive(Default)] struct Hello;
    /// # impl LiveView for Hello {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn render(&self, a: &Assigns) -> Rendered { let u: String = a.get("user"); html! { p #user { (u) } button #hi phx-click="hi" {} } }
    /// # }
    /// use liveview_session::{Hook, Hooks};
    /// use liveview_test::LiveViewTest;
    /// use serde_json::json;
    ///
    /// # actix_rt::System::new().block_on(async {
    /// let hooks = Hooks::new()
    ///     .on_mount(|_, _, socket| {
    ///         socket.assign("user", "ana".to_owned());
    ///         Ok(Hook::Cont)
    ///     })
    ///     .on_event(|event, _, socket| {
    ///         if event != "hi" {
    ///             return Ok(Hook::Cont);
    ///         }
    ///         socket.reply(json!({"hello": "ana"}));
    ///         Ok(Hook::Halt)
    ///     });
    /// let mut view = LiveViewTest::builder(Hello::default).hooks(hooks).mount().await;
    /// assert_eq!(view.text("#user"), "ana");
    /// view.click("#hi").await;
    /// assert_eq!(view.hook_replies(), vec![json!({"hello": "ana"})]);
    /// # });
    /// ```
    pub fn hooks(mut self, hooks: Hooks) -> Self {
        self.hooks = Some(hooks);
        self
    }

    /// Mounts the view.
    ///
    /// # Panics
    ///
    /// When the view redirects or fails while mounting, with what it did.
    pub async fn mount(self) -> LiveViewTest<InProcess<V>> {
        let path = self.path.clone();
        match self.try_mount().await {
            Ok(view) => view,
            Err(Error::Redirected { to }) => panic!(
                "mounting `{path}` redirected to `{to}`; to test a redirect on mount, use \
                 `LiveViewTest::builder(..).try_mount().await` and match `Err(Error::Redirected {{ to }})`"
            ),
            Err(e) => panic!(
                "mounting `{path}` failed: {}",
                std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string)
            ),
        }
    }

    /// The route (and, unless given, the hooks) of the path in `live`.
    fn take_route_from(&mut self, live: &LiveConfig) {
        let path = local_path(&self.path);
        let Some(route) = live.route_for(path) else {
            panic!("no live route of the LiveConfig matches `{path}`");
        };
        let want = std::any::type_name::<V>();
        assert!(
            route.view == want,
            "`{path}` routes to `{}` (route `{}`), not to `{want}`",
            route.view,
            route.pattern.as_str()
        );
        self.route = Some(route.pattern);
        if self.hooks.is_none() {
            self.hooks = Some(route.hooks);
        }
    }

    /// Mounts the view, or says why it could not be.
    pub async fn try_mount(mut self) -> Result<LiveViewTest<InProcess<V>>, Error> {
        if let Some(live) = self.config.take() {
            self.take_route_from(&live);
        }
        let hooks = self.hooks.take().unwrap_or_default();
        let params = params_of(self.route.as_ref(), &self.path, self.params.clone());
        let uri = absolute(&self.path);
        let mut view = (self.factory)();
        let dead = DeadRenderer::new(&params, &self.session, &uri)
            .flash(self.flash.clone())
            .hooks(&hooks)
            .render(&mut view);
        let (dead_html, dead_title) = match dead {
            Ok(DeadRender::Page { html, title }) => (html, title),
            Ok(DeadRender::Redirect { to }) => return Err(Error::Redirected { to }),
            Err(e) => return Err(Error::Mount(e)),
        };
        drop(view);
        let topic = format!("lv:{TEST_VIEW_ID}");
        // The recorder replaces the push recipient; this placeholder is never used.
        let sink = crate::recorder::null_push();
        let mut args = SpawnArgs::new(&topic, params, self.session.clone(), sink);
        args.uri.clone_from(&uri);
        args.restart = self.restart;
        args.flash = self.flash;
        let spawned = spawn_recorded(self.factory, args, hooks, false);
        let outcome = spawned.recipients().mount.send(Mount).await;
        let mut navigations = Vec::new();
        let tree = match outcome {
            Ok(Ok(MountOutcome::Rendered {
                rendered,
                live_patch,
            })) => {
                navigations.extend(live_patch);
                ClientTree::with_view_id(TEST_VIEW_ID, &rendered).unwrap_or_else(|e| {
                    panic!("the join's rendered JSON does not merge: {e}\n{rendered}")
                })
            }
            Ok(Ok(MountOutcome::Navigated(nav))) => {
                let to = nav_target(&nav).to_owned();
                spawned
                    .recipients()
                    .shutdown
                    .do_send(liveview_session::Shutdown);
                return Err(Error::Redirected { to });
            }
            Ok(Err(e)) => return Err(Error::Mount(e)),
            Err(e) => return Err(Error::Mount(liveview_session::ViewError::NotRunning(e))),
        };
        // What the view pushed after its join reply (a quick async task) is still to apply.
        let mailbox = spawned.mailbox();
        let applied = (0..mailbox.len())
            .rev()
            .find(|&i| {
                mailbox
                    .get(i)
                    .is_some_and(|e| matches!(e, MailboxEntry::Out(Outbound::Mounted(_))))
            })
            .map_or(mailbox.len(), |i| i + 1);
        let client = Client::new(tree, applied, uri, navigations);
        Ok(LiveViewTest::new(
            InProcess {
                spawned,
                route: self.route,
            },
            dead_html,
            dead_title,
            client,
        ))
    }
}

impl<V> LiveViewTest<InProcess<V>>
where
    V: LiveView,
    V::Info: Debug,
{
    /// Starts describing how to mount a view built by `factory`.
    ///
    /// ```
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # struct Greeter { greeting: &'static str }
    /// # impl LiveView for Greeter {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
    /// #         s.assign("name", p.get("name").unwrap_or("?").to_owned()); Ok(())
    /// #     }
    /// #     fn render(&self, a: &Assigns) -> Rendered {
    /// #         let n: String = a.get("name"); let g = self.greeting; html! { p #hi { (g) ", " (n) } }
    /// #     }
    /// # }
    /// use liveview_test::LiveViewTest;
    ///
    /// # actix::System::new().block_on(async {
    /// let view = LiveViewTest::builder(|| Greeter { greeting: "Hello" })
    ///     .route("/hello/{name}")
    ///     .path("/hello/ana")
    ///     .mount()
    ///     .await;
    /// assert_eq!(view.text("#hi"), "Hello, ana");
    /// # });
    /// ```
    pub fn builder<F>(factory: F) -> LiveBuilder<V, F>
    where
        F: Fn() -> V + 'static,
    {
        LiveBuilder {
            factory,
            path: "/".to_owned(),
            route: None,
            params: Params::new(),
            session: Session::new(),
            restart: RestartPolicy::default(),
            hooks: None,
            flash: Flash::new(),
            config: None,
            _view: std::marker::PhantomData,
        }
    }
}

/// The path and query of `path`, without the scheme and host of an absolute URL.
fn local_path(path: &str) -> &str {
    path.strip_prefix("http://")
        .or_else(|| path.strip_prefix("https://"))
        .map_or(path, |rest| rest.find('/').map_or("/", |i| &rest[i..]))
}

/// The parameters of `path` over `params`: its query parameters, and the path parameters of
/// `route` (which win), matched by `liveview-http`'s own route matcher, as the server would.
/// Without a route, the path is its own route (query parameters only).
///
/// # Panics
///
/// When `path` does not match `route`.
pub(crate) fn params_of(route: Option<&RoutePattern>, path: &str, mut params: Params) -> Params {
    let local = local_path(path);
    let literal;
    let route = match route {
        Some(route) => route,
        None => {
            literal = RoutePattern::new(local.split_once('?').map_or(local, |(p, _)| p));
            &literal
        }
    };
    let matched = route.match_path(local).unwrap_or_else(|| {
        panic!(
            "path `{local}` does not match the route `{}` given to the builder",
            route.as_str()
        )
    });
    for (k, v) in matched.iter() {
        params.insert(k, v);
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_win_over_query_parameters() {
        let route = RoutePattern::new("/users/{id}");
        let p = params_of(Some(&route), "/users/7?id=9&q=a+b", Params::new());
        assert_eq!(p.get("id"), Some("7"));
        assert_eq!(p.get("q"), Some("a b"));
    }

    #[test]
    fn path_parameters_are_decoded_as_the_server_decodes_them() {
        let route = RoutePattern::new("/users/{name}");
        let p = params_of(
            Some(&route),
            "http://localhost/users/ana%20b",
            Params::new(),
        );
        assert_eq!(p.get("name"), Some("ana b"));
    }

    #[test]
    fn without_a_route_only_the_query_counts_and_wins_over_the_builders() {
        let base = Params::from_pairs([("q", "old"), ("keep", "1")]);
        let p = params_of(None, "/search?q=r%C3%A9", base);
        assert_eq!(p.get("q"), Some("ré"));
        assert_eq!(p.get("keep"), Some("1"));
    }

    #[test]
    #[should_panic(expected = "does not match the route `/users/{id}`")]
    fn a_path_outside_the_route_is_refused() {
        let route = RoutePattern::new("/users/{id}");
        params_of(Some(&route), "/posts/7", Params::new());
    }
}
