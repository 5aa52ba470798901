//! `LiveViewTest`: one view mounted in-process, driven the way the official client drives it
//! (events built from the element's bindings, forms serialised field by field) and read back
//! through the reference client merger.

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::fmt::{self, Debug};
use std::time::Instant;

use liveview_diff::ClientTree;
use liveview_session::{
    DeadRender, DeadRenderer, Hooks, LiveView, Mount, MountOutcome, Navigation, Params,
    RestartPolicy, Session, SpawnArgs,
};
use serde_json::{Map, Value};

use crate::dom::{self, Dom};
use crate::error::Error;
use crate::expect::Expect;
use crate::mailbox::{Mailbox, MailboxEntry, DEFAULT_TIMEOUT};
use crate::recorder::spawn_recorded;
use crate::transport::{InProcess, Transport};

/// The id of the view's container in tests (`lv:phx-test` is its topic).
pub const TEST_VIEW_ID: &str = "phx-test";
pub(crate) const HOST: &str = "http://localhost";

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
    route: Option<String>,
    params: Params,
    session: Session,
    restart: RestartPolicy,
    hooks: Hooks,
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
    /// parameters, as they do in `liveview-http`.
    pub fn route(mut self, pattern: &str) -> Self {
        self.route = Some(pattern.to_owned());
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
        self.hooks = hooks;
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

    /// Mounts the view, or says why it could not be.
    pub async fn try_mount(self) -> Result<LiveViewTest<InProcess<V>>, Error> {
        let params = params_of(self.route.as_deref(), &self.path, self.params.clone());
        let uri = absolute(&self.path);
        let mut view = (self.factory)();
        let dead = DeadRenderer::new(&params, &self.session, &uri)
            .hooks(&self.hooks)
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
        let spawned = spawn_recorded(self.factory, args, self.hooks, false);
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
        let applied = spawned.mailbox().len();
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

/// What the simulated client holds; the same for both transports.
// Named by the sealed transport trait, so `pub`; unreachable outside the crate.
#[allow(unreachable_pub, missing_debug_implementations)]
pub struct Client {
    tree: ClientTree,
    /// How many entries of the transport's log were applied.
    pub(crate) applied: usize,
    pub(crate) uri: String,
    /// Pushed events (`e`) not yet asserted: `(name, payload)`.
    events: Vec<(String, Value)>,
    replies: Vec<Value>,
    /// Navigations the server asked for, not yet asserted.
    pub(crate) navigations: Vec<Navigation>,
    /// Server-side `push_patch`es whose `handle_params` the session would run next
    /// (in-process only: over a socket the server runs them).
    pub(crate) pending_patches: VecDeque<String>,
    /// Why the view no longer takes events.
    pub(crate) closed: Option<String>,
    /// Form fields the user "typed in" (they get no `_unused_` marker).
    used: HashSet<String>,
}

impl Client {
    pub(crate) fn new(
        tree: ClientTree,
        applied: usize,
        uri: String,
        navigations: Vec<Navigation>,
    ) -> Self {
        Self {
            tree,
            applied,
            uri,
            events: Vec::new(),
            replies: Vec::new(),
            navigations,
            pending_patches: VecDeque::new(),
            closed: None,
            used: HashSet::new(),
        }
    }

    pub(crate) fn merge(&mut self, diff: &str) {
        let value: Value = serde_json::from_str(diff)
            .unwrap_or_else(|e| panic!("the view sent a diff that is not JSON: {e}\n{diff}"));
        self.merge_value(value);
    }

    pub(crate) fn merge_value(&mut self, diff: Value) {
        let extracted = self.tree.merge_value(diff.clone()).unwrap_or_else(|e| {
            panic!("the view sent a diff the client cannot merge: {e}\n{diff}")
        });
        for ev in extracted.events {
            if let Value::Array(parts) = ev {
                let name = parts.first().and_then(Value::as_str).unwrap_or_default();
                let payload = parts.get(1).cloned().unwrap_or(Value::Null);
                self.events.push((name.to_owned(), payload));
            }
        }
        self.replies.extend(extracted.reply);
    }

    /// Records a navigation the server asked for. `base` makes a patch's path absolute.
    pub(crate) fn navigate(&mut self, nav: Navigation, base: &str) {
        match &nav {
            Navigation::Patch { to, .. } => {
                self.uri = absolute_on(base, to);
            }
            Navigation::Navigate { to, .. } => {
                self.closed = Some(format!("it live-navigated to `{to}`"));
            }
            Navigation::Redirect { to, .. } => {
                self.closed = Some(format!("it redirected to `{to}`"));
            }
        }
        self.navigations.push(nav);
    }
}

/// A view mounted for a test, with the HTML its client holds and its actor's [`Mailbox`].
///
/// Built by [`live`] or [`LiveViewTest::builder`]. Interactions (`click`, `change`, `submit`,
/// `keydown`, `patch`, `send_info`) send exactly what the official client would, wait for the
/// reply, apply the diff and return the HTML. Reads (`render`, `text`, `has_element`) first
/// apply whatever the view pushed since.
///
/// The type parameter is the transport: [`InProcess<V>`] (built by [`live`]) drives a view
/// actor through the typed messages; [`Connection`](crate::socket::Connection) (built by
/// [`socket::connect`](crate::socket::connect)) drives a real server over a websocket. Both
/// build event payloads from the same DOM code and apply what comes back through the same
/// merger; only how a payload travels differs.
pub struct LiveViewTest<T: Transport> {
    transport: T,
    dead_html: String,
    dead_title: Option<String>,
    client: RefCell<Client>,
}

impl<T: Transport> Debug for LiveViewTest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveViewTest")
            .field("transport", &self.transport)
            .field("html", &self.client.borrow().tree.to_html())
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Drop for LiveViewTest<T> {
    fn drop(&mut self) {
        let open = self.client.get_mut().closed.is_none();
        self.transport.drop_client(open);
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
            hooks: Hooks::new(),
            _view: std::marker::PhantomData,
        }
    }

    /// The recorded traffic of the view actor: every command it received and everything it
    /// sent, in order (see [`assert_receive!`](crate::assert_receive)).
    pub fn mailbox(&self) -> &Mailbox {
        self.transport.spawned.mailbox()
    }

    /// Starts declaring the messages the view actor should receive and send from now on,
    /// checked by [`Expect::assert_finished`].
    ///
    /// ```
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # use serde_json::Value;
    /// # #[derive(Default)] struct Counter;
    /// # impl LiveView for Counter {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
    /// #         s.assign("n", 0_i64); Ok(())
    /// #     }
    /// #     fn handle_event(&mut self, _: &str, _: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
    /// #         s.update("n", |n: &mut i64| *n += 1); Ok(())
    /// #     }
    /// #     fn render(&self, a: &Assigns) -> Rendered { let n: i64 = a.get("n"); html! { button #inc phx-click="inc" { (n) } } }
    /// # }
    /// use liveview_test::{expect_received, expect_sent, live, Inbound, Outbound};
    ///
    /// # actix::System::new().block_on(async {
    /// let mut view = live::<Counter>("/").await;
    /// let mut expect = view.expect();
    /// expect_received!(expect, Inbound::Event { event, .. } if event == "inc");
    /// expect_sent!(expect, Outbound::Reply { diff: Some(d), .. } if d == r#"{"0":"1"}"#);
    /// expect.only();
    /// view.click("#inc").await;
    /// expect.assert_finished().await;
    /// # });
    /// ```
    pub fn expect(&self) -> Expect<MailboxEntry> {
        self.mailbox().expect()
    }

    /// Sends a typed message to the view's `handle_info` (as a timer or another actor would)
    /// and returns the HTML after the diff it pushed.
    pub async fn send_info(&mut self, msg: V::Info) -> String {
        self.ensure_open("send_info");
        self.transport.spawned.send_info(msg).await;
        self.settle().await
    }
}

impl<T: Transport> LiveViewTest<T> {
    pub(crate) fn new(
        transport: T,
        dead_html: String,
        dead_title: Option<String>,
        client: Client,
    ) -> Self {
        Self {
            transport,
            dead_html,
            dead_title,
            client: RefCell::new(client),
        }
    }

    pub(crate) fn transport(&self) -> &T {
        &self.transport
    }

    pub(crate) fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// The HTML of the dead (HTTP) render, before the client connected.
    pub fn dead_html(&self) -> &str {
        &self.dead_html
    }

    /// The HTML the client holds now (through the reference merger), with what the view
    /// pushed so far applied.
    pub fn render(&self) -> String {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        c.tree.to_html()
    }

    /// The page title: the last one a diff carried, else the dead render's.
    pub fn page_title(&self) -> Option<String> {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        c.tree
            .title()
            .map(str::to_owned)
            .or_else(|| self.dead_title.clone())
    }

    /// The current URL (changed by patches).
    pub fn uri(&self) -> String {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        c.uri.clone()
    }

    /// The text of the one element `selector` matches, trimmed.
    ///
    /// # Panics
    ///
    /// When `selector` matches no element or several, listing what the view holds.
    pub fn text(&self, selector: &str) -> String {
        let dom = Dom::parse(&self.render());
        dom::text_of(dom.select_one(selector))
    }

    /// The outer HTML of the one element `selector` matches.
    ///
    /// # Panics
    ///
    /// As [`LiveViewTest::text`].
    pub fn element_html(&self, selector: &str) -> String {
        let dom = Dom::parse(&self.render());
        dom.select_one(selector).html()
    }

    /// Whether an element matches `selector` (and, with `text_filter`, contains that text).
    pub fn has_element(&self, selector: &str, text_filter: Option<&str>) -> bool {
        let dom = Dom::parse(&self.render());
        let found = dom.select_all(selector);
        found.iter().any(|el| match text_filter {
            Some(t) => el.text().collect::<String>().contains(t),
            None => true,
        })
    }

    /// Clicks the element `selector` matches: sends its `phx-click` event with its
    /// `phx-value-*` attributes (and `value`, as the client does), and returns the HTML after
    /// the reply's diff.
    ///
    /// # Panics
    ///
    /// When the selector does not match exactly one element, or that element has no
    /// `phx-click`.
    pub async fn click(&mut self, selector: &str) -> String {
        self.click_with(selector, Value::Object(Map::new())).await
    }

    /// [`click`](LiveViewTest::click) with extra values merged over the element's (like a
    /// `JS.push` value).
    pub async fn click_with(&mut self, selector: &str, extra: Value) -> String {
        let (event, mut value) = {
            let dom = Dom::parse(&self.render());
            let el = dom.select_one(selector);
            let event = dom::binding(&dom, el, selector, &["phx-click"]);
            (event, dom::extract_value(el))
        };
        merge_extra(&mut value, extra);
        let payload = serde_json::json!({"type": "click", "event": event, "value": value});
        self.push_event(&payload).await
    }

    /// Presses `key` on the element `selector` matches: its `phx-keydown` (or
    /// `phx-window-keydown`) event with `{"key": key, ...}`. An element whose `phx-key` names
    /// another key sends nothing, as in the browser; the HTML is returned unchanged.
    ///
    /// # Panics
    ///
    /// As [`click`](LiveViewTest::click), for `phx-keydown`.
    pub async fn keydown(&mut self, selector: &str, key: &str) -> String {
        self.key("keydown", selector, key).await
    }

    /// Releases `key` on the element: `phx-keyup`, like [`keydown`](LiveViewTest::keydown).
    pub async fn keyup(&mut self, selector: &str, key: &str) -> String {
        self.key("keyup", selector, key).await
    }

    async fn key(&mut self, kind: &str, selector: &str, key: &str) -> String {
        let attrs = [format!("phx-{kind}"), format!("phx-window-{kind}")];
        let attrs = [attrs[0].as_str(), attrs[1].as_str()];
        let built = {
            let dom = Dom::parse(&self.render());
            let el = dom.select_one(selector);
            let event = dom::binding(&dom, el, selector, &attrs);
            let filter = el.value().attr("phx-key").map(str::to_ascii_lowercase);
            if filter.is_some_and(|f| f != key.to_ascii_lowercase()) {
                None
            } else {
                let mut value = dom::extract_value(el);
                value.insert("key".to_owned(), Value::String(key.to_owned()));
                Some(serde_json::json!({"type": kind, "event": event, "value": value}))
            }
        };
        match built {
            Some(payload) => self.push_event(&payload).await,
            None => self.render(),
        }
    }

    /// Changes fields of the form `form_selector` matches: sends its `phx-change` event with
    /// the form serialised as the client does (every field, `values` replacing theirs,
    /// `_unused_` markers for fields not yet used, `_target` naming the first given field).
    ///
    /// `values` nests like the field names: `json!({"user": {"email": "a@b"}})` sets
    /// `user[email]`.
    ///
    /// # Panics
    ///
    /// When the selector does not match one element, it has no `phx-change`, or a value names
    /// a field the form does not have (the message lists the fields).
    pub async fn change(&mut self, form_selector: &str, values: Value) -> String {
        self.form("phx-change", form_selector, &values).await
    }

    /// Submits the form `form_selector` matches: its `phx-submit` event with every field,
    /// `values` replacing theirs. Panics as [`change`](LiveViewTest::change) does.
    pub async fn submit(&mut self, form_selector: &str, values: Value) -> String {
        self.form("phx-submit", form_selector, &values).await
    }

    async fn form(&mut self, attr: &str, selector: &str, values: &Value) -> String {
        let given = dom::flatten(values);
        let payload = {
            let html = self.render();
            let dom = Dom::parse(&html);
            let form = dom.select_one(selector);
            let event = dom::binding(&dom, form, selector, &[attr]);
            let (entries, fields) = dom::form_data(form);
            let desc = dom::describe(form);
            let entries = dom::merge_values(&desc, entries, &fields, &given);
            let mut meta = dom::form_meta(form);
            let mut c = self.client.borrow_mut();
            let skip_unused = form.value().attr("phx-no-unused-field").is_some();
            let encoded = if attr == "phx-submit" {
                // Submitting marks every field used.
                c.used.extend(fields.iter().map(|f| f.name.clone()));
                dom::encode_form(&entries, &fields, &|_| true, skip_unused)
            } else {
                c.used.extend(given.iter().map(|(n, _)| n.clone()));
                let target = given.first().map_or("undefined", |(n, _)| n.as_str());
                meta.insert("_target".to_owned(), Value::String(target.to_owned()));
                let used = &c.used;
                dom::encode_form(&entries, &fields, &|n| used.contains(n), skip_unused)
            };
            let mut payload = serde_json::json!({
                "type": "form", "event": event, "value": encoded, "meta": meta,
            });
            if attr == "phx-change" {
                payload["uploads"] = serde_json::json!({});
            }
            payload
        };
        self.push_event(&payload).await
    }

    /// Patches the URL, as `<.link patch>` does: `handle_params` runs with the parameters of
    /// `path`, and the HTML after its diff is returned.
    pub async fn patch(&mut self, path: &str) -> String {
        self.ensure_open("patch");
        let uri = self.transport.absolute(path);
        self.client.get_mut().uri.clone_from(&uri);
        self.transport.send_patch(path, &uri).await;
        self.settle().await
    }

    /// Leaves the view, as the client's `phx_leave` does: the view gets
    /// [`Shutdown`](liveview_session::Shutdown) and terminates.
    pub async fn leave(&mut self) {
        self.ensure_open("leave");
        self.transport.leave().await;
        self.client.get_mut().closed = Some("the test left it".to_owned());
    }

    /// Asserts the view asked for a full redirect or a live navigation to `to` (from an
    /// event's reply, a push, or a crash loop's reload), waiting up to a second for it.
    ///
    /// # Panics
    ///
    /// When none arrives, listing the navigations seen.
    pub async fn assert_redirect(&self, to: &str) -> Navigation {
        self.take_navigation(to, "a redirect", |n| {
            matches!(n, Navigation::Redirect { .. } | Navigation::Navigate { .. })
        })
        .await
    }

    /// Asserts the view patched its URL to `to` (`push_patch`), waiting up to a second.
    ///
    /// # Panics
    ///
    /// When none arrives, listing the navigations seen.
    pub async fn assert_patch(&self, to: &str) -> Navigation {
        self.take_navigation(to, "a patch", |n| matches!(n, Navigation::Patch { .. }))
            .await
    }

    async fn take_navigation(
        &self,
        to: &str,
        what: &str,
        kind: impl Fn(&Navigation) -> bool,
    ) -> Navigation {
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        loop {
            {
                let mut c = self.client.borrow_mut();
                self.transport.sync(&mut c);
                if let Some(i) = c
                    .navigations
                    .iter()
                    .position(|n| kind(n) && nav_target(n) == to)
                {
                    return c.navigations.remove(i);
                }
                if Instant::now() >= deadline {
                    panic!(
                        "expected {what} to `{to}` within {DEFAULT_TIMEOUT:?}; navigations the view asked for: {:?}",
                        c.navigations
                    );
                }
            }
            actix_rt::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// Asserts the view pushed the event `name` (`push_event`) with `payload`, waiting up to
    /// a second; consumes it.
    ///
    /// # Panics
    ///
    /// When none arrives, listing the events pushed.
    pub async fn assert_push_event(&self, name: &str, payload: &Value) {
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        loop {
            {
                let mut c = self.client.borrow_mut();
                self.transport.sync(&mut c);
                if let Some(i) = c.events.iter().position(|(n, p)| n == name && p == payload) {
                    c.events.remove(i);
                    return;
                }
                if Instant::now() >= deadline {
                    panic!(
                        "expected the view to push event `{name}` with {payload} within {DEFAULT_TIMEOUT:?}; events pushed (not yet asserted): {:?}",
                        c.events
                    );
                }
            }
            actix_rt::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// The hook replies (`r`) the view sent, oldest first.
    pub fn hook_replies(&self) -> Vec<Value> {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        c.replies.clone()
    }

    fn ensure_open(&self, action: &str) {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        if let Some(why) = &c.closed {
            panic!(
                "cannot {action}: the view no longer takes events because {why} \
                 (check navigations with `assert_redirect`)"
            );
        }
    }

    /// Sends an event payload (decoded as the session decodes it, or as a frame) and settles.
    async fn push_event(&mut self, payload: &Value) -> String {
        let action = payload["type"].as_str().unwrap_or("event").to_owned();
        self.ensure_open(&action);
        self.transport.send_event(payload).await;
        self.settle().await
    }

    /// Lets replies and pushes arrive, applies them, and renders.
    async fn settle(&mut self) -> String {
        self.transport.settle(self.client.get_mut()).await;
        self.render()
    }
}

fn merge_extra(value: &mut Map<String, Value>, extra: Value) {
    match extra {
        Value::Object(m) => value.extend(m),
        Value::Null => {}
        other => panic!("extra values must be a JSON object, got `{other}`"),
    }
}

pub(crate) fn nav_target(nav: &Navigation) -> &str {
    match nav {
        Navigation::Patch { to, .. }
        | Navigation::Navigate { to, .. }
        | Navigation::Redirect { to, .. } => to,
    }
}

/// `http://localhost` + path, unless it is absolute already.
pub(crate) fn absolute(path: &str) -> String {
    absolute_on(HOST, path)
}

/// `base` (scheme and authority) + path, unless it is absolute already.
pub(crate) fn absolute_on(base: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_owned()
    } else if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// Query parameters, then path parameters of `route` (which win), over `base`.
pub(crate) fn params_of(route: Option<&str>, path: &str, mut params: Params) -> Params {
    let path = path
        .strip_prefix("http://")
        .or_else(|| path.strip_prefix("https://"))
        .map_or(path, |rest| rest.find('/').map_or("/", |i| &rest[i..]));
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.insert(dom::percent_decode(k), dom::percent_decode(v));
    }
    if let Some(route) = route {
        let want: Vec<&str> = route.trim_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_matches('/').split('/').collect();
        let matches = want.len() == got.len()
            && want
                .iter()
                .zip(&got)
                .all(|(w, g)| (w.starts_with('{') && w.ends_with('}')) || w == g);
        if !matches {
            panic!("path `{path}` does not match the route `{route}` given to the builder");
        }
        for (w, g) in want.iter().zip(&got) {
            if let Some(name) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                params.insert(name, dom::percent_decode(g));
            }
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_win_over_query_parameters() {
        let p = params_of(Some("/users/{id}"), "/users/7?id=9&q=a+b", Params::new());
        assert_eq!(p.get("id"), Some("7"));
        assert_eq!(p.get("q"), Some("a b"));
    }
}
