//! The user-facing side of the runtime: the [`LiveView`] trait, the [`Socket`] its callbacks
//! receive, and the assigns map it holds.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::Duration;

use actix::Recipient;
use liveview_diff::{PushedEvent, Rendered};
use serde::de::DeserializeOwned;
use serde_json::Value;

use tokio::sync::oneshot;

use crate::error::ViewError;
use crate::hook::Hooks;
use crate::message::Info;
use crate::nav::{check_external, check_local, InvalidTarget};
use crate::pubsub::Subscription;

/// A live view: state on the server, HTML in the browser, diffs in between.
///
/// The lifecycle is Phoenix LiveView's: [`mount`](LiveView::mount) runs once for the dead
/// (HTTP) render and again when the browser joins over the websocket (then
/// [`Socket::connected`] is true); [`handle_params`](LiveView::handle_params) runs after mount
/// and on every live patch; events and messages change the assigns; after each callback that
/// changed an assign, [`render`](LiveView::render) runs and only what changed travels.
///
/// State that the template shows lives in the [`Assigns`]: change tracking watches them, and a
/// callback that changed no assign renders nothing. Fields of `self` are for configuration and
/// for state the template does not read.
///
/// ```
/// use liveview_diff::{html, Rendered};
/// use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// use serde_json::Value;
///
/// #[derive(Default)]
/// struct Counter;
///
/// impl LiveView for Counter {
///     type Info = ();
///
///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
///         socket.assign("count", 0_i64);
///         Ok(())
///     }
///
///     fn handle_event(&mut self, event: &str, _: &Value, socket: &mut Socket<Self>) -> Result<(), ViewError> {
///         match event {
///             "inc" => socket.update("count", |n: &mut i64| *n += 1),
///             "dec" => socket.update("count", |n: &mut i64| *n -= 1),
///             other => return Err(ViewError::unknown_event(other)),
///         }
///         Ok(())
///     }
///
///     fn render(&self, assigns: &Assigns) -> Rendered {
///         let count: i64 = assigns.get("count");
///         html! { span #count { (count) } }
///     }
/// }
/// ```
pub trait LiveView: Sized + Unpin + 'static {
    /// The messages [`handle_info`](LiveView::handle_info) receives from timers and other
    /// actors. Use `()` when the view takes none.
    type Info: Send + Unpin + 'static;

    /// Sets up the assigns. Runs for the dead render and again at join.
    fn mount(
        &mut self,
        params: &Params,
        session: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError>;

    /// Runs after `mount` and on every live patch, with the URL's parameters and the URI.
    fn handle_params(
        &mut self,
        params: &Params,
        uri: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let _ = (params, uri, socket);
        Ok(())
    }

    /// Handles an event from the browser (`phx-click="inc"` sends `"inc"`). The default refuses
    /// every event with [`ViewError::unknown_event`].
    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let _ = (value, socket);
        Err(ViewError::unknown_event(event))
    }

    /// Handles a message from a timer ([`Socket::send_after`]) or another actor.
    fn handle_info(&mut self, msg: Self::Info, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let _ = (msg, socket);
        Ok(())
    }

    /// Runs when this view missed `missed` PubSub messages on `topic`: it fell a whole backlog
    /// ([`PubSub::DEFAULT_BACKLOG`](crate::PubSub::DEFAULT_BACKLOG)) behind, and the broker
    /// dropped what came next rather than grow without bound. It runs after the messages that
    /// did arrive. Reload the state the topic keeps current (from the database, say); the
    /// default logs a warning and does nothing else.
    fn handle_missed(
        &mut self,
        topic: &str,
        missed: u64,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let _ = socket;
        log::warn!("a view missed {missed} PubSub message(s) on `{topic}`: it fell behind");
        Ok(())
    }

    /// Renders the assigns. Must be a pure function of them.
    fn render(&self, assigns: &Assigns) -> Rendered;

    /// Runs when the view stops (the client left, the socket closed, or a redirect).
    fn terminate(&mut self, socket: &mut Socket<Self>) {
        let _ = socket;
    }
}

/// Path and query parameters of the page, as strings.
///
/// ```
/// use liveview_session::Params;
///
/// let params = Params::from_pairs([("id", "42"), ("q", "rust")]);
/// assert_eq!(params.get("q"), Some("rust"));
/// assert_eq!(params.parse::<u32>("id"), Some(42));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    /// Empty parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parameters from `(name, value)` pairs; a later pair wins.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// Sets one parameter.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    /// One parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// One parameter parsed with `FromStr`; `None` when missing or unparsable.
    pub fn parse<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.get(name)?.parse().ok()
    }

    /// Every parameter, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Session data the page vouched for: carried, signed, from the dead render to the join.
///
/// ```
/// use liveview_session::Session;
///
/// let mut session = Session::new();
/// session.insert("user_id", 7);
/// assert_eq!(session.get::<u32>("user_id"), Some(7));
/// ```
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Session(serde_json::Map<String, Value>);

impl Session {
    /// Empty session data.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores a serialisable value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl serde::Serialize) {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.0.insert(key.into(), value);
    }

    /// Reads a value back; `None` when missing or of another shape.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_value(self.0.get(key)?.clone()).ok()
    }

    /// The raw JSON map.
    pub fn as_map(&self) -> &serde_json::Map<String, Value> {
        &self.0
    }
}

trait AssignValue: Any {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn type_name(&self) -> &'static str;
}

impl<T: Any> AssignValue for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

/// The assigns map: typed values by name, read by `render` without any JSON round trip.
#[derive(Default)]
pub struct Assigns {
    values: HashMap<&'static str, Box<dyn AssignValue>>,
}

impl fmt::Debug for Assigns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.values {
            m.entry(k, &(**v).type_name());
        }
        m.finish()
    }
}

impl Assigns {
    /// A clone of the value assigned to `key`.
    ///
    /// # Panics
    ///
    /// When nothing is assigned to `key`, or it holds another type: a template bug, reported
    /// with what is assigned. Use [`Assigns::try_get`] for optional assigns.
    pub fn get<T: Clone + 'static>(&self, key: &str) -> T {
        match self.try_get::<T>(key) {
            Some(v) => v.clone(),
            None => panic!("{}", self.missing(key, std::any::type_name::<T>())),
        }
    }

    /// A reference to the value assigned to `key`, if it has type `T`.
    pub fn try_get<T: 'static>(&self, key: &str) -> Option<&T> {
        (**self.values.get(key)?).as_any().downcast_ref()
    }

    /// A reference to the value assigned to `key`.
    ///
    /// # Panics
    ///
    /// As [`Assigns::get`].
    pub fn get_ref<T: 'static>(&self, key: &str) -> &T {
        match self.try_get::<T>(key) {
            Some(v) => v,
            None => panic!("{}", self.missing(key, std::any::type_name::<T>())),
        }
    }

    /// Whether anything is assigned to `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The flash messages ([`Socket::put_flash`], or carried over by a navigation): the
    /// `flash` assign, empty when there is none.
    ///
    /// ```
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::Assigns;
    ///
    /// fn flash_area(assigns: &Assigns) -> Rendered {
    ///     let info = assigns.flash().get("info").cloned();
    ///     html! {
    ///         @if let Some(msg) = info {
    ///             p #flash-info role="alert" phx-click="lv:clear-flash" phx-value-key="info" { (msg) }
    ///         }
    ///     }
    /// }
    /// ```
    pub fn flash(&self) -> &Flash {
        self.try_get::<Flash>("flash").unwrap_or(&NO_FLASH)
    }

    fn missing(&self, key: &str, wanted: &str) -> String {
        match self.values.get(key) {
            Some(v) => {
                let held = (**v).type_name();
                format!(
                    "assign `{key}` holds a `{held}`, not a `{wanted}`; read it as `assigns.get::<{held}>(\"{key}\")`"
                )
            }
            None => {
                let mut known: Vec<&str> = self.values.keys().copied().collect();
                known.sort_unstable();
                format!(
                    "no assign `{key}`; assign it in mount with `socket.assign(\"{key}\", value)` (assigned: {known:?})"
                )
            }
        }
    }
}

/// A navigation requested by a callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Navigation {
    /// Same view, new URL: `handle_params` runs and the browser's URL changes.
    Patch {
        /// The path (and query) to patch to.
        to: String,
        /// Replace the history entry instead of pushing one.
        replace: bool,
    },
    /// Another live view over the same socket, without a page load.
    Navigate {
        /// The path to navigate to.
        to: String,
        /// Replace the history entry instead of pushing one.
        replace: bool,
        /// The flash the next view mounts with (the socket's flash when the callback
        /// returned); it travels signed in the join's `flash`.
        flash: Flash,
    },
    /// A full HTTP navigation.
    Redirect {
        /// The URL to load.
        to: String,
        /// The flash the next page renders; it travels signed in the `__phoenix_flash__`
        /// cookie (60 s).
        flash: Flash,
    },
}

/// Flash messages by kind (`"info"`, `"error"`, ...): the `flash` assign.
pub type Flash = BTreeMap<String, String>;

static NO_FLASH: Flash = BTreeMap::new();

/// What a view's callbacks work on: the assigns and the effects they ask for.
///
/// The type parameter is the view, so that [`Socket::send_after`] and [`Socket::recipient`]
/// carry its [`LiveView::Info`] type. Live-session hooks, which run for views of any type, see
/// the same socket through [`HookSocket`](crate::HookSocket).
pub struct Socket<V: LiveView> {
    state: SocketState,
    timers: Vec<(Duration, V::Info)>,
    recipient: Option<actix::WeakRecipient<Info<V::Info>>>,
}

/// The part of a [`Socket`] that does not depend on the view's type: what
/// [`HookSocket`](crate::HookSocket) works on.
pub(crate) struct SocketState {
    assigns: Assigns,
    changed: bool,
    connected: bool,
    title: Option<String>,
    events: Vec<PushedEvent>,
    flash: BTreeMap<String, String>,
    navigation: Option<Navigation>,
    /// A navigation refused for its target; the callback that asked for it fails.
    refused: Option<InvalidTarget>,
    reply: Option<Value>,
    /// The deferred reply of the event being handled ([`Socket::defer_reply`]).
    hold: Option<oneshot::Receiver<Option<Value>>>,
    subscriptions: Vec<Subscription>,
}

impl<V: LiveView> fmt::Debug for Socket<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.state.fmt(f)
    }
}

impl fmt::Debug for SocketState {
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

impl SocketState {
    fn new(connected: bool) -> Self {
        Self {
            assigns: Assigns::default(),
            changed: true,
            connected,
            title: None,
            events: Vec::new(),
            flash: BTreeMap::new(),
            navigation: None,
            refused: None,
            reply: None,
            hold: None,
            subscriptions: Vec::new(),
        }
    }

    pub(crate) fn connected(&self) -> bool {
        self.connected
    }

    pub(crate) fn assigns(&self) -> &Assigns {
        &self.assigns
    }

    pub(crate) fn assign<T: PartialEq + 'static>(&mut self, key: &'static str, value: T) {
        if let Some(old) = self.assigns.try_get::<T>(key) {
            if *old == value {
                return;
            }
        }
        self.assigns.values.insert(key, Box::new(value));
        self.changed = true;
    }

    pub(crate) fn update<T: Clone + PartialEq + 'static>(
        &mut self,
        key: &'static str,
        f: impl FnOnce(&mut T),
    ) {
        // The message is built only when it is needed: `update` is on every event's path.
        if self.assigns.try_get::<T>(key).is_none() {
            panic!("{}", self.assigns.missing(key, std::any::type_name::<T>()));
        }
        let Some(value) = self
            .assigns
            .values
            .get_mut(key)
            .and_then(|v| (**v).as_any_mut().downcast_mut::<T>())
        else {
            return;
        };
        let before = value.clone();
        f(value);
        if *value != before {
            self.changed = true;
        }
    }

    pub(crate) fn mark_changed(&mut self) {
        self.changed = true;
    }

    pub(crate) fn page_title(&mut self, title: String) {
        self.title = Some(title);
    }

    pub(crate) fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    pub(crate) fn push_event(&mut self, name: String, payload: Value) {
        self.events.push(PushedEvent {
            name,
            payload,
            before_patch: false,
        });
    }

    pub(crate) fn reply(&mut self, payload: Value) {
        self.reply = Some(payload);
    }

    pub(crate) fn put_flash(&mut self, kind: String, message: String) {
        self.flash.insert(kind, message);
        let flash = self.flash.clone();
        self.assign("flash", flash);
    }

    pub(crate) fn clear_flash(&mut self, kind: Option<&str>) {
        match kind {
            Some(k) => {
                self.flash.remove(k);
            }
            None => self.flash.clear(),
        }
        let flash = self.flash.clone();
        self.assign("flash", flash);
    }

    pub(crate) fn flash(&self) -> &BTreeMap<String, String> {
        &self.flash
    }

    /// Asks for a navigation to a local path; any other target is refused (see
    /// [`crate::nav`]).
    pub(crate) fn navigate(&mut self, nav: Navigation) {
        let (Navigation::Patch { to, .. }
        | Navigation::Navigate { to, .. }
        | Navigation::Redirect { to, .. }) = &nav;
        match check_local(to) {
            Ok(()) => self.navigation = Some(nav),
            Err(e) => self.refuse(e),
        }
    }

    /// Asks for a full navigation to another site.
    pub(crate) fn navigate_external(&mut self, to: String) {
        match check_external(&to) {
            Ok(()) => {
                self.navigation = Some(Navigation::Redirect {
                    to,
                    flash: Flash::new(),
                });
            }
            Err(e) => self.refuse(e),
        }
    }

    fn refuse(&mut self, e: InvalidTarget) {
        log::error!("{e}");
        self.navigation = None;
        self.refused = Some(e);
    }

    /// The navigation refused during the last callback, which makes that callback fail.
    pub(crate) fn take_refused(&mut self) -> Option<InvalidTarget> {
        self.refused.take()
    }

    /// Whether a callback asked for a navigation (a halting `on_mount` hook must).
    pub(crate) fn has_navigation(&self) -> bool {
        self.navigation.is_some()
    }

    pub(crate) fn defer_reply(&mut self) -> ReplyHandle {
        let (tx, rx) = oneshot::channel();
        if self.connected {
            self.hold = Some(rx);
        }
        ReplyHandle { tx: Some(tx) }
    }

    /// The deferred reply asked for during the last callback, if any.
    pub(crate) fn take_hold(&mut self) -> Option<oneshot::Receiver<Option<Value>>> {
        self.hold.take()
    }
}

/// The reply of an event held with [`Socket::defer_reply`]: the view answers the event, and
/// handles anything else, only once this handle is used or dropped.
///
/// It is `Send`: any thread or task may finish it (a timer, another actor, an HTTP handler).
/// [`ReplyHandle::reply`] sets the reply's `r` payload; [`ReplyHandle::release`] and dropping
/// the handle send the reply as the callback left it.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Probe;
/// # impl LiveView for Probe {
/// #     type Info = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
/// #         let handle = socket.defer_reply();
/// #         socket.assign("waiting", handle.is_waiting());
/// #         Ok(())
/// #     }
/// #     fn render(&self, a: &Assigns) -> Rendered { let w: bool = a.get("waiting"); html! { (w) } }
/// # }
/// use liveview_session::{dead_render, DeadRender};
///
/// // In the dead render there is no reply to hold: the handle is not waited for.
/// let page = dead_render(&mut Probe, &Params::new(), &Session::new(), "/").unwrap();
/// assert!(matches!(page, DeadRender::Page { ref html, .. } if html == "false"));
/// ```
#[derive(Debug)]
pub struct ReplyHandle {
    tx: Option<oneshot::Sender<Option<Value>>>,
}

impl ReplyHandle {
    /// Releases the view and replies to the held event with `payload` as its `r` (what a
    /// hook's `pushEvent` callback receives). Returns whether the view was still waiting
    /// (false when it was not held: the dead render, or a later `defer_reply` replaced
    /// this one).
    pub fn reply(mut self, payload: impl serde::Serialize) -> bool {
        self.finish(Some(to_json(payload)))
    }

    /// Releases the view; the held event's reply is what the callback left (its diff, and
    /// its [`Socket::reply`] if it set one). Returns whether the view was still waiting.
    pub fn release(mut self) -> bool {
        self.finish(None)
    }

    /// Whether the view still waits for this handle.
    pub fn is_waiting(&self) -> bool {
        self.tx.as_ref().is_some_and(|tx| !tx.is_closed())
    }

    fn finish(&mut self, payload: Option<Value>) -> bool {
        self.tx.take().is_some_and(|tx| tx.send(payload).is_ok())
    }
}

/// JSON of a serialisable value; `null` when it does not serialise.
fn to_json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl<V: LiveView> Socket<V> {
    /// A socket for the dead render (`connected` false) or a joined view.
    pub fn new(connected: bool) -> Self {
        Self {
            state: SocketState::new(connected),
            timers: Vec::new(),
            recipient: None,
        }
    }

    /// The same socket holding `flash` (carried over from the previous page), assigned as
    /// `flash`.
    pub(crate) fn with_flash(mut self, flash: Flash) -> Self {
        if !flash.is_empty() {
            self.state.flash = flash;
            let flash = self.state.flash.clone();
            self.assign("flash", flash);
        }
        self
    }

    /// Gives the socket its view's address, held weakly so that it never keeps the view alive.
    pub(crate) fn with_recipient(mut self, recipient: actix::WeakRecipient<Info<V::Info>>) -> Self {
        self.recipient = Some(recipient);
        self
    }

    /// The view-independent part, for hooks.
    pub(crate) fn state(&self) -> &SocketState {
        &self.state
    }

    /// The view-independent part, for hooks.
    pub(crate) fn state_mut(&mut self) -> &mut SocketState {
        &mut self.state
    }

    /// Whether the browser is connected over the websocket (false during the dead render).
    pub fn connected(&self) -> bool {
        self.state.connected()
    }

    /// The assigns.
    pub fn assigns(&self) -> &Assigns {
        self.state.assigns()
    }

    /// Assigns `value` to `key`. Assigning a value equal to the current one marks nothing.
    pub fn assign<T: PartialEq + 'static>(&mut self, key: &'static str, value: T) -> &mut Self {
        self.state.assign(key, value);
        self
    }

    /// Changes the value assigned to `key` in place; marks it changed only if it differs after.
    ///
    /// # Panics
    ///
    /// When nothing of type `T` is assigned to `key` (see [`Assigns::get`]).
    pub fn update<T: Clone + PartialEq + 'static>(
        &mut self,
        key: &'static str,
        f: impl FnOnce(&mut T),
    ) {
        self.state.update(key, f);
    }

    /// Marks the view changed so that it renders even though no assign changed.
    pub fn mark_changed(&mut self) {
        self.state.mark_changed();
    }

    /// Sets the page title (sent as `t` when it changes).
    pub fn page_title(&mut self, title: impl Into<String>) {
        self.state.page_title(title.into());
    }

    /// The current page title.
    pub fn title(&self) -> Option<&str> {
        self.state.title()
    }

    /// Pushes an event to the browser: a `phx:<name>` window event and hooks' `handleEvent`.
    pub fn push_event(&mut self, name: impl Into<String>, payload: impl serde::Serialize) {
        self.state.push_event(name.into(), to_json(payload));
    }

    /// Replies to the hook `pushEvent` being handled (the `r` of the reply).
    pub fn reply(&mut self, payload: impl serde::Serialize) {
        self.state.reply(to_json(payload));
    }

    /// Sets a flash message of `kind` (e.g. `"info"`, `"error"`), assigned as `flash`.
    pub fn put_flash(&mut self, kind: impl Into<String>, message: impl Into<String>) {
        self.state.put_flash(kind.into(), message.into());
    }

    /// Removes a flash message (the client's `lv:clear-flash`).
    pub fn clear_flash(&mut self, kind: Option<&str>) {
        self.state.clear_flash(kind);
    }

    /// The flash messages.
    pub fn flash(&self) -> &BTreeMap<String, String> {
        self.state.flash()
    }

    /// Patches the URL of the same view: `handle_params` runs with the new parameters.
    pub fn push_patch(&mut self, to: impl Into<String>) {
        self.state.navigate(Navigation::Patch {
            to: to.into(),
            replace: false,
        });
    }

    /// Patches the URL like [`push_patch`](Socket::push_patch), replacing the current
    /// history entry instead of pushing one.
    pub fn replace_patch(&mut self, to: impl Into<String>) {
        self.state.navigate(Navigation::Patch {
            to: to.into(),
            replace: true,
        });
    }

    /// Navigates to another live view over the same socket: the client re-joins with
    /// `redirect`, without a page load (inside one live session; across live sessions the
    /// browser loads the page). The flash set with [`put_flash`](Socket::put_flash) travels
    /// along.
    pub fn push_navigate(&mut self, to: impl Into<String>) {
        self.state.navigate(Navigation::Navigate {
            to: to.into(),
            replace: false,
            flash: Flash::new(),
        });
    }

    /// Like [`push_navigate`](Socket::push_navigate), replacing the history entry.
    pub fn replace_navigate(&mut self, to: impl Into<String>) {
        self.state.navigate(Navigation::Navigate {
            to: to.into(),
            replace: true,
            flash: Flash::new(),
        });
    }

    /// Leaves the live view for a full HTTP navigation to `to`, a path on this site. The flash
    /// travels along in the `__phoenix_flash__` cookie, read by the next page's dead render.
    ///
    /// Like every navigation of the socket, `to` must be a local path ([`LocalPath`]'s rule):
    /// a scheme, `//host` or a backslash is refused and the callback fails with
    /// [`ViewError::InvalidNavigation`]. To leave the site, use
    /// [`redirect_external`](Socket::redirect_external).
    ///
    /// [`LocalPath`]: crate::LocalPath
    pub fn redirect(&mut self, to: impl Into<String>) {
        self.state.navigate(Navigation::Redirect {
            to: to.into(),
            flash: Flash::new(),
        });
    }

    /// Leaves for another site: `url` must be an absolute `http://` or `https://` URL with a
    /// host (anything else is refused as in [`redirect`](Socket::redirect)). Say it only with a
    /// URL the app chose, never one a user supplied.
    pub fn redirect_external(&mut self, url: impl Into<String>) {
        self.state.navigate_external(url.into());
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
    /// use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// use serde_json::{json, Value};
    ///
    /// #[derive(Default)]
    /// struct Report;
    ///
    /// impl LiveView for Report {
    ///     type Info = ();
    ///
    ///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.assign("status", "idle");
    ///         Ok(())
    ///     }
    ///
    ///     fn handle_event(&mut self, event: &str, _: &Value, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         if event == "build" {
    ///             socket.assign("status", "built");
    ///             // Reply when the (slow) work elsewhere is done; the worker thread is free.
    ///             let handle = socket.defer_reply();
    ///             std::thread::spawn(move || {
    ///                 std::thread::sleep(Duration::from_millis(10));
    ///                 handle.reply(json!({"pages": 3}));
    ///             });
    ///         }
    ///         Ok(())
    ///     }
    ///
    ///     fn render(&self, assigns: &Assigns) -> Rendered {
    ///         let status: &str = assigns.get("status");
    ///         html! { p { (status) } }
    ///     }
    /// }
    /// ```
    pub fn defer_reply(&mut self) -> ReplyHandle {
        self.state.defer_reply()
    }

    /// Delivers `msg` to [`LiveView::handle_info`] after `delay`. Ignored in the dead render.
    pub fn send_after(&mut self, delay: Duration, msg: V::Info) {
        if self.state.connected {
            self.timers.push((delay, msg));
        }
    }

    /// The address other actors send [`Info`] messages to; `None` in the dead render.
    pub fn recipient(&self) -> Option<Recipient<Info<V::Info>>> {
        self.recipient
            .as_ref()
            .and_then(actix::WeakRecipient::upgrade)
    }

    pub(crate) fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.state.changed)
    }

    pub(crate) fn take_events(&mut self) -> Vec<PushedEvent> {
        std::mem::take(&mut self.state.events)
    }

    /// The navigation asked for, carrying the flash as it is now.
    pub(crate) fn take_navigation(&mut self) -> Option<Navigation> {
        let mut nav = self.state.navigation.take()?;
        if let Navigation::Navigate { flash, .. } | Navigation::Redirect { flash, .. } = &mut nav {
            flash.clone_from(&self.state.flash);
        }
        Some(nav)
    }

    pub(crate) fn take_reply(&mut self) -> Option<Value> {
        self.state.reply.take()
    }

    /// A navigation the last callback asked for and that was refused, as the callback's error.
    pub(crate) fn refused_navigation(&mut self) -> Result<(), ViewError> {
        match self.state.take_refused() {
            Some(e) => Err(ViewError::InvalidNavigation(e)),
            None => Ok(()),
        }
    }

    /// The deferred reply asked for during the last callback, if any.
    pub(crate) fn take_hold(&mut self) -> Option<oneshot::Receiver<Option<Value>>> {
        self.state.take_hold()
    }

    /// The view's PubSub subscriptions, held until it stops.
    /// A subscription that missed messages since the last look, with how many.
    pub(crate) fn take_missed(&mut self) -> Option<(String, u64)> {
        self.state.subscriptions.iter().find_map(|s| {
            let n = s.take_missed();
            (n > 0).then(|| (s.topic().to_owned(), n))
        })
    }

    pub(crate) fn subscriptions_mut(&mut self) -> &mut Vec<Subscription> {
        &mut self.state.subscriptions
    }

    /// Ends every PubSub subscription of the view (it stopped).
    pub(crate) fn release_subscriptions(&mut self) {
        self.state.subscriptions.clear();
    }

    pub(crate) fn take_timers(&mut self) -> Vec<(Duration, V::Info)> {
        std::mem::take(&mut self.timers)
    }
}

/// The outcome of a dead (HTTP) render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadRender {
    /// The view's HTML and page title.
    Page {
        /// The inner HTML of the view's container.
        html: String,
        /// The page title, if the view set one.
        title: Option<String>,
    },
    /// Mount or `handle_params` asked to go elsewhere (an HTTP redirect).
    Redirect {
        /// Where to.
        to: String,
    },
}

/// Runs `mount`, `handle_params` and `render` for a plain HTTP GET (not connected).
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Hello;
/// # impl LiveView for Hello {
/// #     type Info = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
/// #         s.assign("name", "world".to_owned()); s.page_title("Hi"); Ok(())
/// #     }
/// #     fn render(&self, a: &Assigns) -> Rendered { let n: String = a.get("name"); html! { p { "Hello " (n) } } }
/// # }
/// use liveview_session::{dead_render, DeadRender};
///
/// let page = dead_render(&mut Hello, &Params::new(), &Session::new(), "http://localhost/").unwrap();
/// assert_eq!(page, DeadRender::Page { html: "<p>Hello world</p>".into(), title: Some("Hi".into()) });
/// ```
pub fn dead_render<V: LiveView>(
    view: &mut V,
    params: &Params,
    session: &Session,
    uri: &str,
) -> Result<DeadRender, ViewError> {
    dead_render_with_flash(view, params, session, uri, Flash::new())
}

/// [`dead_render`] for a page that received a flash (from the `__phoenix_flash__` cookie a
/// [`Socket::redirect`] left): the view mounts with it in the `flash` assign.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Page;
/// # impl LiveView for Page {
/// #     type Info = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, a: &Assigns) -> Rendered {
/// #         let info = a.flash().get("info").cloned().unwrap_or_default();
/// #         html! { p { (info) } }
/// #     }
/// # }
/// use liveview_session::{dead_render_with_flash, DeadRender, Flash};
///
/// let flash = Flash::from([("info".to_owned(), "Saved".to_owned())]);
/// let page = dead_render_with_flash(&mut Page, &Params::new(), &Session::new(), "/", flash).unwrap();
/// assert!(matches!(page, DeadRender::Page { ref html, .. } if html == "<p>Saved</p>"));
/// ```
pub fn dead_render_with_flash<V: LiveView>(
    view: &mut V,
    params: &Params,
    session: &Session,
    uri: &str,
    flash: Flash,
) -> Result<DeadRender, ViewError> {
    dead_render_with_hooks(view, params, session, uri, flash, &Hooks::new())
}

/// [`dead_render_with_flash`] running the `on_mount` hooks of the view's live session first.
///
/// ```
/// # use liveview_diff::{html, Rendered};
/// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
/// # #[derive(Default)] struct Page;
/// # impl LiveView for Page {
/// #     type Info = ();
/// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
/// #     fn render(&self, _: &Assigns) -> Rendered { html! { "secret" } }
/// # }
/// use liveview_session::{dead_render_with_hooks, DeadRender, Flash, Hook, Hooks};
///
/// let members_only = Hooks::new().on_mount(|_, session, socket| {
///     if session.get::<u64>("user_id").is_some() {
///         return Ok(Hook::Cont);
///     }
///     socket.redirect("/login");
///     Ok(Hook::Halt)
/// });
/// let page = dead_render_with_hooks(&mut Page, &Params::new(), &Session::new(), "/", Flash::new(), &members_only);
/// assert_eq!(page.unwrap(), DeadRender::Redirect { to: "/login".into() });
/// ```
pub fn dead_render_with_hooks<V: LiveView>(
    view: &mut V,
    params: &Params,
    session: &Session,
    uri: &str,
    flash: Flash,
    hooks: &Hooks,
) -> Result<DeadRender, ViewError> {
    let mut socket = Socket::<V>::new(false).with_flash(flash);
    hooks.mount(view, params, session, &mut socket)?;
    socket.refused_navigation()?;
    if let Some(nav) = socket.take_navigation() {
        return Ok(redirect_of(nav));
    }
    view.handle_params(params, uri, &mut socket)?;
    socket.refused_navigation()?;
    if let Some(nav) = socket.take_navigation() {
        return Ok(redirect_of(nav));
    }
    Ok(DeadRender::Page {
        html: view.render(socket.assigns()).to_html(),
        title: socket.state.title,
    })
}

fn redirect_of(nav: Navigation) -> DeadRender {
    match nav {
        Navigation::Patch { to, .. }
        | Navigation::Navigate { to, .. }
        | Navigation::Redirect { to, .. } => DeadRender::Redirect { to },
    }
}
