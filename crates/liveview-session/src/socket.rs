//! The socket a view's callbacks work on: [`SocketCore`], the assigns and the effects asked
//! for, and [`Socket`], the same core typed by its view.
//!
//! There is one core and two ways to reach it: a view's callbacks get a [`Socket<V>`], which
//! adds what depends on the view's type (its [`LiveView::Info`] timers and address); a
//! live-session hook gets a [`HookSocket`](crate::HookSocket), for views of any type. Both
//! dereference to [`SocketCore`], so every method is written (and documented) once.
//!
//! Every method that changes the socket returns `&mut SocketCore`, so calls chain, and the
//! arms of a `match` that call different ones have the same type:
//!
//! ```
//! # use liveview_session::{Socket, LiveView, Params, Session, ViewError, Assigns};
//! # use liveview_diff::{html, Rendered};
//! # #[derive(Default)] struct V;
//! # impl LiveView for V { type Info = (); type Event = ();
//! #   fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
//! #   fn render(&self, _: &Assigns) -> Rendered { html! {} } }
//! let mut socket = Socket::<V>::new(true);
//! let saved = true;
//! match saved {
//!     true => socket.put_flash("info", "Saved").push_patch("/items"),
//!     false => socket.assign("error", true),
//! };
//! assert_eq!(socket.flash().get("info").map(String::as_str), Some("Saved"));
//! ```

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use actix::Recipient;
use liveview_diff::PushedEvent;
use serde_json::Value;
use tokio::sync::oneshot;

use crate::assigns::{AssignKey, Assigns, LiveAssigns};
use crate::async_task::AsyncTasks;
use crate::component::{ComponentUpdate, Components, ParentMsg};
use crate::error::ViewError;
use crate::flash::Flash;
use crate::message::Info;
use crate::nav::{check_external, check_local, InvalidTarget, Navigation};
use crate::pubsub::Subscription;
use crate::reply::{to_json, ReplyHandle};
use crate::view::LiveView;
use liveview_diff::{ComponentRender, Rendered};

/// What every socket holds, whatever its view's type: the assigns and the effects the
/// running callback asked for (a title, pushed events, a reply, the flash, a navigation).
///
/// Reached through [`Socket`] (a view's callbacks) and [`HookSocket`](crate::HookSocket)
/// (live-session hooks), which both dereference to it. Its changing methods return
/// `&mut SocketCore`, so they chain: `socket.put_flash("info", "Saved").push_navigate("/")`.
///
/// Because the call goes through `DerefMut`, an argument cannot read the socket the call
/// borrows: `socket.assign(KEY, socket.connected())` is refused (E0502). Read into a local
/// first: `let connected = socket.connected(); socket.assign(KEY, connected);`.
pub struct SocketCore {
    assigns: Assigns,
    changed: bool,
    connected: bool,
    title: Option<String>,
    events: Vec<PushedEvent>,
    flash: Flash,
    navigation: Option<Navigation>,
    /// A navigation refused for its target; the callback that asked for it fails.
    refused: Option<InvalidTarget>,
    reply: Option<Value>,
    /// The deferred reply of the event being handled ([`SocketCore::defer_reply`]).
    hold: Option<oneshot::Receiver<Option<Value>>>,
    pub(crate) subscriptions: Vec<Subscription>,
    /// Its async tasks (`async_task.rs`), spawned by the actor after each callback.
    async_tasks: AsyncTasks,
    /// `send_update`s asked for by the running callback.
    pub(crate) updates: Vec<ComponentUpdate>,
    /// Messages a component sent its view.
    pub(crate) to_parent: Vec<ParentMsg>,
    /// The streams touched, emptied after each render.
    pub(crate) stream_pruners: Vec<(&'static str, crate::stream::Pruner)>,
    /// Each stream's reference, by name.
    pub(crate) stream_refs: Vec<(&'static str, String)>,
    /// The HTTP request the view was reached by, for `app_data`.
    request: Option<actix_web::HttpRequest>,
}

impl fmt::Debug for SocketCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket")
            .field("assigns", &self.assigns)
            .field("changed", &self.changed)
            .field("connected", &self.connected)
            .field("title", &self.title)
            .field("navigation", &self.navigation)
            .finish_non_exhaustive()
    }
}

impl SocketCore {
    pub(crate) fn new(connected: bool) -> Self {
        Self {
            assigns: Assigns::default(),
            changed: true,
            connected,
            title: None,
            events: Vec::new(),
            flash: Flash::new(),
            navigation: None,
            refused: None,
            reply: None,
            hold: None,
            subscriptions: Vec::new(),
            updates: Vec::new(),
            to_parent: Vec::new(),
            stream_pruners: Vec::new(),
            stream_refs: Vec::new(),
            async_tasks: AsyncTasks::default(),
            request: None,
        }
    }

    /// The app's data of type `T`, as actix-web's `HttpRequest::app_data` finds it: what
    /// `App::app_data` (or a scope's) registered, in the dead render and live alike. For the
    /// state handlers extract as `web::Data<T>`, see [`SocketCore::data`]. `None` when
    /// nothing of that type is registered, or for a view started without a request (a test
    /// harness that gave it none).
    ///
    /// ```
    /// use actix_web::{test, web};
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::{Assigns, DeadRender, DeadRenderer, LiveView, Params, Session, Socket, ViewError};
    ///
    /// struct Store { name: &'static str }
    ///
    /// #[derive(Default)]
    /// struct Home;
    ///
    /// impl LiveView for Home {
    ///     type Info = ();
    ///     type Event = ();
    ///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         let store = socket.data::<Store>().ok_or_else(|| ViewError::other("no store"))?;
    ///         socket.assign("name", store.name);
    ///         Ok(())
    ///     }
    ///     fn render(&self, a: &Assigns) -> Rendered {
    ///         html! { p { (a.get::<&str>("name")) } }
    ///     }
    /// }
    ///
    /// let req = test::TestRequest::default()
    ///     .app_data(web::Data::new(Store { name: "corner shop" }))
    ///     .to_http_request();
    /// let (params, session) = (Params::new(), Session::new());
    /// let page = DeadRenderer::new(&params, &session, "/").request(&req).render(&mut Home).unwrap();
    /// assert!(matches!(page, DeadRender::Page { ref html, .. } if html == "<p>corner shop</p>"));
    /// ```
    pub fn app_data<T: 'static>(&self) -> Option<&T> {
        self.request.as_ref()?.app_data::<T>()
    }

    /// The app's `web::Data<T>` (what a handler extracts as `web::Data<T>`), cloned (an `Arc`).
    pub fn data<T: ?Sized + 'static>(&self) -> Option<actix_web::web::Data<T>> {
        self.app_data::<actix_web::web::Data<T>>().cloned()
    }

    pub(crate) fn set_request(&mut self, request: Option<actix_web::HttpRequest>) {
        self.request = request;
    }

    pub(crate) fn async_tasks(&self) -> &AsyncTasks {
        &self.async_tasks
    }

    pub(crate) fn async_tasks_mut(&mut self) -> &mut AsyncTasks {
        &mut self.async_tasks
    }

    pub(crate) fn assigns_mut(&mut self) -> &mut Assigns {
        &mut self.assigns
    }

    pub(crate) fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    pub(crate) fn is_changed(&self) -> bool {
        self.changed
    }

    /// Moves what a live component's callback asked for to its view's socket: pushed events,
    /// the reply, a navigation (or its refusal), the flash and `send_update`s.
    pub(crate) fn absorb_effects(&mut self, component: &mut SocketCore) {
        self.events.append(&mut component.events);
        if let Some(reply) = component.reply.take() {
            self.reply = Some(reply);
        }
        if let Some(nav) = component.navigation.take() {
            self.navigation = Some(nav);
        }
        if let Some(refused) = component.refused.take() {
            self.refused = Some(refused);
        }
        if !component.flash.is_empty() {
            for (kind, message) in std::mem::take(&mut component.flash) {
                self.flash.insert(kind, message);
            }
            self.assign_flash();
        }
        self.updates.append(&mut component.updates);
        self.to_parent.append(&mut component.to_parent);
        // A component's async tasks stay on its own socket: the view actor spawns them with
        // the component as their target (`Components::take_async_work`).
    }

    /// Whether the browser is connected over the websocket (false during the dead render).
    pub fn connected(&self) -> bool {
        self.connected
    }

    /// The assigns.
    pub fn assigns(&self) -> &Assigns {
        &self.assigns
    }

    /// Assigns `value` to `key`: a typed [`Key`](crate::Key) (`Counter::count`), or a
    /// `&'static str` name for the dynamic cases. Assigning a value equal to the current one
    /// marks nothing, so nothing re-renders.
    pub fn assign<T: PartialEq + 'static>(
        &mut self,
        key: impl AssignKey<T>,
        value: T,
    ) -> &mut Self {
        if self.assigns.put(key.name(), value) {
            self.changed = true;
        }
        self
    }

    /// Assigns every field of a `#[derive(LiveAssigns)]` struct, each under its own key: what
    /// `mount` does, so that every assign the template reads exists. Fields whose value is
    /// unchanged are not marked.
    pub fn assign_all(&mut self, assigns: impl LiveAssigns) -> &mut Self {
        assigns.assign_to(self);
        self
    }

    /// Changes the value assigned to `key` in place; marks it changed only if it differs
    /// after: `socket.update(Counter::count, |n| *n += 1)`.
    ///
    /// # Panics
    ///
    /// When nothing is assigned to `key` (a bug of the view; see
    /// [`Assigns::get`]). In a live-session hook, which runs for views that assign different
    /// things, check with [`Assigns::try_get`] first.
    pub fn update<T: Clone + PartialEq + 'static>(
        &mut self,
        key: impl AssignKey<T>,
        f: impl FnOnce(&mut T),
    ) -> &mut Self {
        if self.assigns.change(key.name(), f) {
            self.changed = true;
        }
        self
    }

    /// Marks the view changed so that it renders even though no assign changed.
    pub fn mark_changed(&mut self) -> &mut Self {
        self.changed = true;
        self
    }

    /// Sets the page title (sent as `t` when it changes).
    pub fn page_title(&mut self, title: impl Into<String>) -> &mut Self {
        self.title = Some(title.into());
        self
    }

    /// The current page title.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// Pushes an event to the browser: a `phx:<name>` window event and hooks' `handleEvent`.
    pub fn push_event(
        &mut self,
        name: impl Into<String>,
        payload: impl serde::Serialize,
    ) -> &mut Self {
        self.events.push(PushedEvent {
            name: name.into(),
            payload: to_json(payload),
            before_patch: false,
        });
        self
    }

    /// Replies to the hook `pushEvent` being handled (the `r` of the reply); from a halting
    /// event hook, Phoenix's `{:halt, reply, socket}`.
    pub fn reply(&mut self, payload: impl serde::Serialize) -> &mut Self {
        self.reply = Some(to_json(payload));
        self
    }

    /// Sets a flash message of `kind` (e.g. `"info"`, `"error"`), assigned as `flash`.
    pub fn put_flash(&mut self, kind: impl Into<String>, message: impl Into<String>) -> &mut Self {
        self.flash.insert(kind.into(), message.into());
        self.assign_flash()
    }

    /// Removes a flash message, or all of them (the client's `lv:clear-flash`).
    pub fn clear_flash(&mut self, kind: Option<&str>) -> &mut Self {
        match kind {
            Some(k) => {
                self.flash.remove(k);
            }
            None => self.flash.clear(),
        }
        self.assign_flash()
    }

    fn assign_flash(&mut self) -> &mut Self {
        let flash = self.flash.clone();
        self.assign("flash", flash)
    }

    /// The flash messages.
    pub fn flash(&self) -> &Flash {
        &self.flash
    }

    /// Patches the URL of the same view: `handle_params` runs with the new parameters.
    pub fn push_patch(&mut self, to: impl Into<String>) -> &mut Self {
        self.navigate(Navigation::Patch {
            to: to.into(),
            replace: false,
        })
    }

    /// Patches the URL like [`push_patch`](SocketCore::push_patch), replacing the current
    /// history entry instead of pushing one.
    pub fn replace_patch(&mut self, to: impl Into<String>) -> &mut Self {
        self.navigate(Navigation::Patch {
            to: to.into(),
            replace: true,
        })
    }

    /// Navigates to another live view over the same socket: the client re-joins with
    /// `redirect`, without a page load (inside one live session; across live sessions the
    /// browser loads the page). The flash set with [`put_flash`](SocketCore::put_flash)
    /// travels along.
    pub fn push_navigate(&mut self, to: impl Into<String>) -> &mut Self {
        self.navigate(Navigation::Navigate {
            to: to.into(),
            replace: false,
            flash: Flash::new(),
        })
    }

    /// Like [`push_navigate`](SocketCore::push_navigate), replacing the history entry.
    pub fn replace_navigate(&mut self, to: impl Into<String>) -> &mut Self {
        self.navigate(Navigation::Navigate {
            to: to.into(),
            replace: true,
            flash: Flash::new(),
        })
    }

    /// Leaves the live view for a full HTTP navigation to `to`, a path on this site (in the
    /// dead render, an HTTP `302`). The flash travels along in the `__phoenix_flash__`
    /// cookie, read by the next page's dead render.
    ///
    /// Like every navigation of the socket, `to` must be a local path ([`LocalPath`]'s rule):
    /// a scheme, `//host` or a backslash is refused and the callback fails with
    /// [`ViewError::InvalidNavigation`]. To leave the site, use
    /// [`redirect_external`](SocketCore::redirect_external).
    ///
    /// [`LocalPath`]: crate::LocalPath
    pub fn redirect(&mut self, to: impl Into<String>) -> &mut Self {
        self.navigate(Navigation::Redirect {
            to: to.into(),
            flash: Flash::new(),
        })
    }

    /// Leaves for another site: `url` must be an absolute `http://` or `https://` URL with a
    /// host (anything else is refused as in [`redirect`](SocketCore::redirect)). Say it only
    /// with a URL the app chose, never one a user supplied.
    pub fn redirect_external(&mut self, url: impl Into<String>) -> &mut Self {
        let to = url.into();
        match check_external(&to) {
            Ok(()) => {
                self.navigation = Some(Navigation::Redirect {
                    to,
                    flash: Flash::new(),
                });
            }
            Err(e) => self.refuse(e),
        }
        self
    }

    /// Holds the reply to the event being handled until the returned [`ReplyHandle`] is used
    /// or dropped, without blocking a thread. Until then the view handles nothing else: later
    /// events, infos and patches wait in its mailbox, as in a Phoenix LiveView blocked in
    /// `receive`. The reply then carries the diff of everything the callback changed, and
    /// the client keeps the event's loading state (`phx-click-loading`, locks) until it comes.
    ///
    /// Only `handle_event` (and event hooks) can hold a reply; in other callbacks, and in the
    /// dead render, the handle is released at once. A handle kept forever keeps the view
    /// waiting forever (a client that leaves is only noticed after the release), so pair
    /// every hold with a timeout.
    ///
    /// ```
    /// use std::time::Duration;
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::{Assigns, Key, LiveEvent, LiveView, Params, Session, Socket, ViewError};
    /// use serde_json::json;
    ///
    /// const STATUS: Key<&str> = Key::new("status");
    ///
    /// #[derive(LiveEvent)]
    /// # #[live(crate = liveview_session)]
    /// enum Msg { Build }
    ///
    /// #[derive(Default)]
    /// struct Report;
    ///
    /// impl LiveView for Report {
    ///     type Info = ();
    ///     type Event = Msg;
    ///
    ///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.assign(STATUS, "idle");
    ///         Ok(())
    ///     }
    ///
    ///     fn update(&mut self, Msg::Build: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.assign(STATUS, "built");
    ///         // Reply when the (slow) work elsewhere is done; the worker thread is free.
    ///         let handle = socket.defer_reply();
    ///         std::thread::spawn(move || {
    ///             std::thread::sleep(Duration::from_millis(10));
    ///             handle.reply(json!({"pages": 3}));
    ///         });
    ///         Ok(())
    ///     }
    ///
    ///     fn render(&self, assigns: &Assigns) -> Rendered {
    ///         html! { p { (assigns[STATUS]) } button phx-click=(Msg::Build) { "Build" } }
    ///     }
    /// }
    /// ```
    pub fn defer_reply(&mut self) -> ReplyHandle {
        let (tx, rx) = oneshot::channel();
        if self.connected {
            self.hold = Some(rx);
        }
        ReplyHandle::new(tx)
    }

    /// Asks for a navigation to a local path; any other target is refused (see
    /// [`crate::nav`]).
    pub(crate) fn navigate(&mut self, nav: Navigation) -> &mut Self {
        let (Navigation::Patch { to, .. }
        | Navigation::Navigate { to, .. }
        | Navigation::Redirect { to, .. }) = &nav;
        match check_local(to) {
            Ok(()) => self.navigation = Some(nav),
            Err(e) => self.refuse(e),
        }
        self
    }

    fn refuse(&mut self, e: InvalidTarget) {
        log::error!("{e}");
        self.navigation = None;
        self.refused = Some(e);
    }

    /// Whether a callback asked for a navigation (a halting `on_mount` hook must).
    pub(crate) fn has_navigation(&self) -> bool {
        self.navigation.is_some()
    }
}

/// What a view's callbacks work on: the [`SocketCore`] (assigns and effects, reached through
/// `Deref`), typed by the view.
///
/// The type parameter is the view, so that [`Socket::send_after`] and [`Socket::recipient`]
/// carry its [`LiveView::Info`] type. Live-session hooks, which run for views of any type, see
/// the same core through [`HookSocket`](crate::HookSocket).
pub struct Socket<V: LiveView> {
    core: SocketCore,
    /// The view's live components.
    pub(crate) components: Components,
    timers: Vec<(Duration, V::Info)>,
    recipient: Option<actix::WeakRecipient<Info<V::Info>>>,
}

impl<V: LiveView> fmt::Debug for Socket<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core.fmt(f)
    }
}

impl<V: LiveView> Deref for Socket<V> {
    type Target = SocketCore;

    fn deref(&self) -> &SocketCore {
        &self.core
    }
}

impl<V: LiveView> DerefMut for Socket<V> {
    fn deref_mut(&mut self) -> &mut SocketCore {
        &mut self.core
    }
}

impl<V: LiveView> Socket<V> {
    /// A socket for the dead render (`connected` false) or a joined view.
    pub fn new(connected: bool) -> Self {
        Self {
            core: SocketCore::new(connected),
            components: Components::default(),
            timers: Vec::new(),
            recipient: None,
        }
    }

    /// The same socket holding `flash` (carried over from the previous page), assigned as
    /// `flash`.
    pub(crate) fn with_flash(mut self, flash: Flash) -> Self {
        if !flash.is_empty() {
            self.core.flash = flash;
            self.core.assign_flash();
        }
        self
    }

    /// Marks a socket mounted by a dead render as connected (issue 21: the view adopted its
    /// dead render; see `linger.rs`).
    pub(crate) fn set_connected(&mut self) {
        self.core.connected = true;
    }

    /// The same socket reading the app's data from `request` ([`SocketCore::app_data`]).
    pub(crate) fn with_request(mut self, request: Option<actix_web::HttpRequest>) -> Self {
        self.core.set_request(request);
        self
    }

    /// Gives the socket its view's address, held weakly so that it never keeps the view alive.
    pub(crate) fn with_recipient(mut self, recipient: actix::WeakRecipient<Info<V::Info>>) -> Self {
        self.recipient = Some(recipient);
        self
    }

    /// The view-independent part, for hooks.
    pub(crate) fn state(&self) -> &SocketCore {
        &self.core
    }

    /// The view-independent part, for hooks.
    pub(crate) fn state_mut(&mut self) -> &mut SocketCore {
        &mut self.core
    }

    /// Delivers `msg` to [`LiveView::handle_info`] after `delay`. Ignored in the dead render.
    pub fn send_after(&mut self, delay: Duration, msg: V::Info) -> &mut SocketCore {
        if self.core.connected {
            self.timers.push((delay, msg));
        }
        &mut self.core
    }

    /// The address other actors send [`Info`] messages to; `None` in the dead render.
    pub fn recipient(&self) -> Option<Recipient<Info<V::Info>>> {
        self.recipient
            .as_ref()
            .and_then(actix::WeakRecipient::upgrade)
    }

    pub(crate) fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.core.changed)
    }

    pub(crate) fn take_events(&mut self) -> Vec<PushedEvent> {
        std::mem::take(&mut self.core.events)
    }

    /// The navigation asked for, carrying the flash as it is now.
    pub(crate) fn take_navigation(&mut self) -> Option<Navigation> {
        let mut nav = self.core.navigation.take()?;
        if let Navigation::Navigate { flash, .. } | Navigation::Redirect { flash, .. } = &mut nav {
            flash.clone_from(&self.core.flash);
        }
        Some(nav)
    }

    pub(crate) fn take_reply(&mut self) -> Option<Value> {
        self.core.reply.take()
    }

    /// The page title, taken for a dead render.
    pub(crate) fn take_title(&mut self) -> Option<String> {
        self.core.title.take()
    }

    /// A navigation the last callback asked for and that was refused, as the callback's error.
    pub(crate) fn refused_navigation(&mut self) -> Result<(), ViewError> {
        match self.core.refused.take() {
            Some(e) => Err(ViewError::InvalidNavigation(e)),
            None => Ok(()),
        }
    }

    /// The deferred reply asked for during the last callback, if any.
    pub(crate) fn take_hold(&mut self) -> Option<oneshot::Receiver<Option<Value>>> {
        self.core.hold.take()
    }

    /// A subscription that missed messages since the last look, with how many.
    pub(crate) fn take_missed(&mut self) -> Option<(String, u64)> {
        self.core.subscriptions.iter().find_map(|s| {
            let n = s.take_missed();
            (n > 0).then(|| (s.topic().to_owned(), n))
        })
    }

    /// The view's PubSub subscriptions, held until it stops.
    pub(crate) fn subscriptions_mut(&mut self) -> &mut Vec<Subscription> {
        &mut self.core.subscriptions
    }

    /// Ends every PubSub subscription of the view (it stopped).
    pub(crate) fn release_subscriptions(&mut self) {
        self.core.subscriptions.clear();
    }

    /// Renders `view` and every live component it places, for a client that holds nothing
    /// (a join, the dead render).
    pub(crate) fn render_full(&mut self, view: &V) -> (Rendered, Vec<ComponentRender>) {
        let root = self.render_root(view);
        let components = self.finish_render(true);
        self.core.prune_streams();
        (root, components)
    }

    /// Renders `view` if its assigns changed, and the live components that need it.
    pub(crate) fn render_changed(&mut self, view: &V) -> (Option<Rendered>, Vec<ComponentRender>) {
        let root = self.take_changed().then(|| self.render_root(view));
        let components = self.finish_render(false);
        if root.is_some() {
            self.core.prune_streams();
        }
        (root, components)
    }

    fn render_root(&mut self, view: &V) -> Rendered {
        let scope = self.components.open();
        let assigns = self.core.assigns_mut();
        assigns.install_scope(scope);
        let rendered = view.render(self.core.assigns());
        rendered
    }

    fn finish_render(&mut self, full: bool) -> Vec<ComponentRender> {
        let scope = match self.core.assigns_mut().take_scope() {
            Some(scope) => scope,
            None => self.components.open(),
        };
        self.components.finish(&mut self.core, scope, full)
    }

    /// Runs an event on live component `cid`; `None` when the view has no such component.
    pub(crate) fn component_event(
        &mut self,
        cid: u32,
        event: &str,
        value: &Value,
    ) -> Option<Result<(), ViewError>> {
        self.components.event(&mut self.core, cid, event, value)
    }

    /// Delivers a finished async task to live component `cid`; `None` when it is gone or the
    /// result was stale.
    pub(crate) fn component_async(
        &mut self,
        cid: u32,
        done: crate::async_task::AsyncFinished,
    ) -> Option<Result<(), ViewError>> {
        self.components.deliver(&mut self.core, cid, done)
    }

    /// Runs a `send_update`; `None` when its component does not exist.
    pub(crate) fn component_update(
        &mut self,
        update: ComponentUpdate,
    ) -> Option<Result<(), ViewError>> {
        self.components.update(&mut self.core, update)
    }

    /// The `send_update`s the last callback asked for.
    pub(crate) fn take_updates(&mut self) -> Vec<ComponentUpdate> {
        std::mem::take(&mut self.core.updates)
    }

    /// The messages components sent the view.
    pub(crate) fn take_parent_messages(&mut self) -> Vec<ParentMsg> {
        std::mem::take(&mut self.core.to_parent)
    }

    /// Whether a render is due: an assign or a component changed.
    pub(crate) fn needs_render(&self) -> bool {
        self.core.changed || self.components.has_dirty()
    }

    pub(crate) fn take_timers(&mut self) -> Vec<(Duration, V::Info)> {
        std::mem::take(&mut self.timers)
    }
}
