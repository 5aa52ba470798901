//! Live-session lifecycle hooks: [`Hooks`] (`on_mount`, `on_event`), run before every view's
//! own callbacks, and [`HookSocket`], the socket they see whatever the view's type.
//!
//! Phoenix's `live_session :name, on_mount: ...` with `attach_hook(socket, name,
//! :handle_event, fun)` is the model: a hook answers [`Hook::Cont`] to let the next hook and
//! then the view run, or [`Hook::Halt`] to stop there.

use std::any::{Any, TypeId};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::error::ViewError;
use crate::socket::SocketCore;
use crate::view::{LiveView, Params, Session, Socket};

/// What a hook tells the runtime: go on to the next hook and the view, or stop here.
///
/// Phoenix's `{:cont, socket}` and `{:halt, socket}`. A halting event hook may reply to the
/// client's `pushEvent` first with [`SocketCore::reply`](crate::SocketCore::reply) (Phoenix's `{:halt, reply, socket}`);
/// a halting mount hook must redirect or navigate.
///
/// ```
/// use liveview_session::{Hook, HookSocket, ViewError};
/// use serde_json::Value;
///
/// /// Swallows `noop` events; lets every other event through to the view.
/// fn skip_noops(event: &str, _: &Value, _: &mut HookSocket<'_>) -> Result<Hook, ViewError> {
///     Ok(if event == "noop" { Hook::Halt } else { Hook::Cont })
/// }
/// # let _ = skip_noops;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// Run the next hook, then the view's own callback.
    Cont,
    /// Skip the remaining hooks and the view's callback.
    Halt,
}

type OnMountFn =
    dyn Fn(&Params, &Session, &mut HookSocket<'_>) -> Result<Hook, ViewError> + Send + Sync;
type OnEventFn = dyn Fn(&str, &Value, &mut HookSocket<'_>) -> Result<Hook, ViewError> + Send + Sync;

#[derive(Clone, Default)]
struct HookList {
    on_mount: Vec<Arc<OnMountFn>>,
    on_event: Vec<Arc<OnEventFn>>,
}

/// The hooks of a live session: functions that run before each view's `mount` and
/// `handle_event`, for views of any type.
///
/// Built by `liveview-http`'s `LiveSession::on_mount` / `LiveSession::on_event`; attached to
/// the views of one registry entry with [`ViewEntry::with_hooks`](crate::ViewEntry::with_hooks).
/// Hooks run in the order they were added; the first [`Hook::Halt`] stops the chain and the
/// view's own callback does not run. An `Err` is handled as if the view's callback had
/// returned it.
///
/// * `on_mount` hooks run before [`LiveView::mount`], in the dead render and again at join
///   (and at a restart's re-mount), like Phoenix's `on_mount`. They may assign what every view
///   reads (the signed-in user), or send the browser elsewhere: a hook that halts must call
///   [`SocketCore::redirect`](crate::SocketCore::redirect) or [`SocketCore::push_navigate`](crate::SocketCore::push_navigate) first, else the mount fails.
/// * `on_event` hooks run before [`LiveView::handle_event`] for every event of the joined
///   view, like `attach_hook(socket, name, :handle_event, fun)` from an `on_mount`.
///
/// ```
/// use liveview_session::{Hook, Hooks, ViewError};
/// use serde_json::{json, Value};
///
/// let hooks = Hooks::new()
///     .on_mount(|_params, session, socket| {
///         let user: Option<String> = session.get("user");
///         socket.assign("user", user);
///         Ok(Hook::Cont)
///     })
///     .on_event(|event, _value: &Value, socket| {
///         if event != "ping" {
///             return Ok(Hook::Cont);
///         }
///         socket.reply(json!({"pong": true}));
///         Ok(Hook::Halt)
///     });
/// assert_eq!(hooks.len(), 2);
/// ```
#[derive(Clone, Default)]
pub struct Hooks {
    list: Arc<HookList>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("on_mount", &self.list.on_mount.len())
            .field("on_event", &self.list.on_event.len())
            .finish()
    }
}

impl Hooks {
    /// No hooks.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a hook that runs before each view's `mount` (see the type's documentation).
    pub fn on_mount(
        mut self,
        hook: impl Fn(&Params, &Session, &mut HookSocket<'_>) -> Result<Hook, ViewError>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        Arc::make_mut(&mut self.list).on_mount.push(Arc::new(hook));
        self
    }

    /// Adds a hook that runs before each view's `handle_event` (see the type's
    /// documentation).
    pub fn on_event(
        mut self,
        hook: impl Fn(&str, &Value, &mut HookSocket<'_>) -> Result<Hook, ViewError>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        Arc::make_mut(&mut self.list).on_event.push(Arc::new(hook));
        self
    }

    /// These hooks followed by `other`'s.
    ///
    /// ```
    /// use liveview_session::{Hook, Hooks};
    ///
    /// let auth = Hooks::new().on_mount(|_, _, _| Ok(Hook::Cont));
    /// let audit = Hooks::new().on_event(|_, _, _| Ok(Hook::Cont));
    /// assert_eq!(auth.merge(&audit).len(), 2);
    /// ```
    pub fn merge(mut self, other: &Self) -> Self {
        if other.is_empty() {
            return self;
        }
        let list = Arc::make_mut(&mut self.list);
        list.on_mount.extend(other.list.on_mount.iter().cloned());
        list.on_event.extend(other.list.on_event.iter().cloned());
        self
    }

    /// How many hooks there are, of both kinds.
    pub fn len(&self) -> usize {
        self.list.on_mount.len() + self.list.on_event.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs the `on_mount` hooks, then (unless one halted) the view's `mount`.
    pub(crate) fn mount<V: LiveView>(
        &self,
        view: &mut V,
        params: &Params,
        session: &Session,
        socket: &mut Socket<V>,
    ) -> Result<(), ViewError> {
        for hook in &self.list.on_mount {
            let mut bound = Bound { view, socket };
            if hook(params, session, &mut HookSocket { inner: &mut bound })? == Hook::Halt {
                if socket.state().has_navigation() {
                    return Ok(());
                }
                return Err(ViewError::other(
                    "an on_mount hook returned Hook::Halt without leaving the page; call \
                     `socket.redirect(\"/login\")` or `socket.push_navigate(..)` before \
                     `Ok(Hook::Halt)`, or return `Ok(Hook::Cont)` to mount the view",
                ));
            }
        }
        view.mount(params, session, socket)
    }

    /// Runs the `on_event` hooks, then (unless one halted) the view's `handle_event`.
    pub(crate) fn event<V: LiveView>(
        &self,
        view: &mut V,
        event: &str,
        value: &Value,
        socket: &mut Socket<V>,
    ) -> Result<(), ViewError> {
        for hook in &self.list.on_event {
            let mut bound = Bound { view, socket };
            if hook(event, value, &mut HookSocket { inner: &mut bound })? == Hook::Halt {
                return Ok(());
            }
        }
        view.handle_event(event, value, socket)
    }
}

/// A view and its socket, with the view's type erased: what a [`HookSocket`] reaches through.
trait ErasedView {
    fn state(&self) -> &SocketCore;
    fn state_mut(&mut self) -> &mut SocketCore;
    fn view_type(&self) -> &'static str;
    fn info_type(&self) -> TypeId;
    fn info_type_name(&self) -> &'static str;
    /// Queues a message of the view's `Info` type (checked against [`ErasedView::info_type`]
    /// by the caller) for `handle_info`.
    fn send_info(&mut self, delay: Duration, msg: Box<dyn Any + Send>);
    fn handle_event(&mut self, event: &str, value: &Value) -> Result<(), ViewError>;
}

struct Bound<'a, V: LiveView> {
    view: &'a mut V,
    socket: &'a mut Socket<V>,
}

impl<V: LiveView> ErasedView for Bound<'_, V> {
    fn state(&self) -> &SocketCore {
        self.socket.state()
    }

    fn state_mut(&mut self) -> &mut SocketCore {
        self.socket.state_mut()
    }

    fn view_type(&self) -> &'static str {
        std::any::type_name::<V>()
    }

    fn info_type(&self) -> TypeId {
        TypeId::of::<V::Info>()
    }

    fn info_type_name(&self) -> &'static str {
        std::any::type_name::<V::Info>()
    }

    fn send_info(&mut self, delay: Duration, msg: Box<dyn Any + Send>) {
        match msg.downcast::<V::Info>() {
            Ok(msg) => {
                self.socket.send_after(delay, *msg);
            }
            Err(_) => log::error!(
                "hook message for `{}` is not its `{}`; dropped",
                self.view_type(),
                self.info_type_name()
            ),
        }
    }

    fn handle_event(&mut self, event: &str, value: &Value) -> Result<(), ViewError> {
        self.view.handle_event(event, value, self.socket)
    }
}

/// The socket a live-session hook works on: the [`Socket`] of whichever view is mounted,
/// without its type.
///
/// It dereferences to the same [`SocketCore`] as a view's [`Socket`] (assigns, flash, title,
/// pushed events, replies, navigation: one set of methods), plus ways to reach the view:
/// [`HookSocket::send_info`] (Phoenix's `send(self(), msg)`) and
/// [`HookSocket::handle_event`] (calling the view module's `handle_event/3` from a hook).
///
/// ```
/// use liveview_session::{Hook, HookSocket, ViewError};
/// use serde_json::{json, Value};
///
/// /// Every view of the live session answers `whoami` with its `user` assign, and counts the
/// /// events it sees in `seen`.
/// fn whoami(event: &str, _: &Value, socket: &mut HookSocket<'_>) -> Result<Hook, ViewError> {
///     if socket.assigns().try_get::<u64>("seen").is_some() {
///         socket.update("seen", |n: &mut u64| *n += 1);
///     }
///     if event != "whoami" {
///         return Ok(Hook::Cont);
///     }
///     let user = socket.assigns().try_get::<String>("user").cloned();
///     socket.reply(json!({ "user": user }));
///     Ok(Hook::Halt)
/// }
/// # let _ = whoami;
/// ```
pub struct HookSocket<'a> {
    inner: &'a mut dyn ErasedView,
}

impl fmt::Debug for HookSocket<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookSocket")
            .field("view", &self.inner.view_type())
            .field("socket", self.inner.state())
            .finish()
    }
}

impl Deref for HookSocket<'_> {
    type Target = SocketCore;

    fn deref(&self) -> &SocketCore {
        self.inner.state()
    }
}

impl DerefMut for HookSocket<'_> {
    fn deref_mut(&mut self) -> &mut SocketCore {
        self.inner.state_mut()
    }
}

impl HookSocket<'_> {
    /// The type name of the view this socket belongs to (`std::any::type_name`), e.g. to
    /// log or to tell views apart.
    pub fn view_type(&self) -> &'static str {
        self.inner.view_type()
    }

    /// Delivers `msg` to the view's [`LiveView::handle_info`] once the current callback is
    /// done (Phoenix's `send(self(), msg)`), if `T` is the view's [`LiveView::Info`] type;
    /// otherwise gives it back. Ignored in the dead render, like [`Socket::send_after`].
    ///
    /// ```
    /// use liveview_session::{Hook, HookSocket, ViewError};
    /// use serde_json::Value;
    ///
    /// #[derive(Debug)]
    /// enum Refresh { Now }
    ///
    /// fn refresh(event: &str, _: &Value, socket: &mut HookSocket<'_>) -> Result<Hook, ViewError> {
    ///     if event != "refresh" {
    ///         return Ok(Hook::Cont);
    ///     }
    ///     // Views whose `Info` is `Refresh` get it; the others handle "refresh" themselves.
    ///     match socket.send_info(Refresh::Now) {
    ///         Ok(()) => Ok(Hook::Halt),
    ///         Err(_) => Ok(Hook::Cont),
    ///     }
    /// }
    /// # let _ = refresh;
    /// ```
    pub fn send_info<T: Send + 'static>(&mut self, msg: T) -> Result<(), T> {
        self.send_info_after(Duration::ZERO, msg)
    }

    /// Like [`HookSocket::send_info`], after `delay` (see [`Socket::send_after`]).
    pub fn send_info_after<T: Send + 'static>(&mut self, delay: Duration, msg: T) -> Result<(), T> {
        if TypeId::of::<T>() != self.inner.info_type() {
            log::debug!(
                "hook message `{}` is not the `{}` of `{}`; given back",
                std::any::type_name::<T>(),
                self.inner.info_type_name(),
                self.inner.view_type()
            );
            return Err(msg);
        }
        self.inner.send_info(delay, Box::new(msg));
        Ok(())
    }

    /// Runs the view's own [`LiveView::handle_event`] for `event` now, without the hooks:
    /// how a hook hands the view an event of its choosing (in Phoenix, calling
    /// `socket.view.handle_event/3`). A hook that does this usually returns
    /// [`Hook::Halt`], else the view also handles the original event.
    pub fn handle_event(&mut self, event: &str, value: &Value) -> Result<(), ViewError> {
        self.inner.handle_event(event, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dead_render::{dead_render, DeadRender, DeadRenderer};
    use crate::view::Assigns;
    use liveview_diff::{html, Rendered};
    use serde_json::json;

    #[derive(Default)]
    struct Greeter;

    impl LiveView for Greeter {
        type Info = String;
        type Event = ();

        fn mount(
            &mut self,
            _: &Params,
            _: &Session,
            socket: &mut Socket<Self>,
        ) -> Result<(), ViewError> {
            let user = socket.assigns().try_get::<String>("user").cloned();
            socket.assign("greeting", format!("hello {}", user.unwrap_or_default()));
            Ok(())
        }

        fn handle_event(
            &mut self,
            event: &str,
            _: &Value,
            socket: &mut Socket<Self>,
        ) -> Result<(), ViewError> {
            socket.assign("greeting", format!("event {event}"));
            Ok(())
        }

        fn render(&self, assigns: &Assigns) -> Rendered {
            let greeting: String = assigns.get("greeting");
            html! { p { (greeting) } }
        }
    }

    fn page(render: DeadRender) -> String {
        match render {
            DeadRender::Page { html, .. } => html,
            DeadRender::Redirect { to } => format!("redirect {to}"),
        }
    }

    #[test]
    fn on_mount_hook_assigns_before_the_view_mounts() {
        let hooks = Hooks::new().on_mount(|_, session, socket| {
            socket.assign("user", session.get::<String>("user").unwrap_or_default());
            Ok(Hook::Cont)
        });
        let mut session = Session::new();
        session.insert("user", "ana");
        let out = DeadRenderer::new(&Params::new(), &session, "/")
            .hooks(&hooks)
            .render(&mut Greeter);
        assert_eq!(page(out.unwrap()), "<p>hello ana</p>");
    }

    #[test]
    fn halting_on_mount_hook_with_a_redirect_skips_the_view() {
        let hooks = Hooks::new()
            .on_mount(|_, _, socket| {
                socket.redirect("/login");
                Ok(Hook::Halt)
            })
            .on_mount(|_, _, _| panic!("a later hook runs after a halt"));
        let out = DeadRenderer::new(&Params::new(), &Session::new(), "/")
            .hooks(&hooks)
            .render(&mut Greeter);
        assert_eq!(
            out.unwrap(),
            DeadRender::Redirect {
                to: "/login".into()
            }
        );
    }

    #[test]
    fn halting_on_mount_hook_without_a_redirect_fails_the_mount_and_says_how() {
        let hooks = Hooks::new().on_mount(|_, _, _| Ok(Hook::Halt));
        let err = DeadRenderer::new(&Params::new(), &Session::new(), "/")
            .hooks(&hooks)
            .render(&mut Greeter)
            .unwrap_err();
        assert!(err.to_string().contains("socket.redirect"), "{err}");
    }

    #[test]
    fn no_hooks_render_as_before() {
        let plain = dead_render(&mut Greeter, &Params::new(), &Session::new(), "/").unwrap();
        assert_eq!(page(plain), "<p>hello </p>");
    }

    #[test]
    fn event_hooks_run_in_order_and_a_halt_skips_the_view() {
        let hooks = Hooks::new()
            .on_event(|event, _, socket| {
                socket.push_event("seen", json!({ "event": event }));
                Ok(Hook::Cont)
            })
            .on_event(|event, _, socket| {
                if event == "ping" {
                    let greeter = socket.view_type().ends_with("Greeter");
                    socket.reply(json!({ "pong": greeter }));
                    return Ok(Hook::Halt);
                }
                Ok(Hook::Cont)
            });
        let mut view = Greeter;
        let mut socket = Socket::<Greeter>::new(true);
        socket.assign("greeting", String::new());
        socket.take_changed();
        hooks
            .event(&mut view, "ping", &json!({}), &mut socket)
            .unwrap();
        assert_eq!(socket.take_reply(), Some(json!({"pong": true})));
        assert!(
            !socket.take_changed(),
            "the view's handle_event did not run"
        );
        assert_eq!(socket.take_events().len(), 1);

        hooks
            .event(&mut view, "other", &json!({}), &mut socket)
            .unwrap();
        assert_eq!(socket.assigns().get::<String>("greeting"), "event other");
        assert_eq!(socket.take_reply(), None);
    }

    #[test]
    fn hook_hands_the_view_another_event_and_its_info() {
        let hooks = Hooks::new().on_event(|event, value, socket| {
            if event != "forward" {
                return Ok(Hook::Cont);
            }
            let name = value["to"].as_str().unwrap_or_default().to_owned();
            socket.handle_event(&name, &json!({}))?;
            assert_eq!(
                socket.send_info(7_u8),
                Err(7_u8),
                "not the view's Info type"
            );
            assert_eq!(socket.send_info(name), Ok(()));
            Ok(Hook::Halt)
        });
        let mut view = Greeter;
        let mut socket = Socket::<Greeter>::new(true);
        hooks
            .event(&mut view, "forward", &json!({"to": "inner"}), &mut socket)
            .unwrap();
        assert_eq!(socket.assigns().get::<String>("greeting"), "event inner");
        let timers = socket.take_timers();
        assert_eq!(timers, vec![(Duration::ZERO, "inner".to_owned())]);
    }

    #[test]
    fn hook_errors_stop_the_chain_like_a_view_error() {
        let hooks = Hooks::new().on_event(|_, _, _| Err(ViewError::other("refused")));
        let mut socket = Socket::<Greeter>::new(true);
        let err = hooks
            .event(&mut Greeter, "x", &json!({}), &mut socket)
            .unwrap_err();
        assert_eq!(err.to_string(), ViewError::other("refused").to_string());
        assert!(socket.assigns().try_get::<String>("greeting").is_none());
    }

    #[test]
    fn merged_hooks_keep_their_order() {
        let a = Hooks::new().on_event(|_, _, s| {
            s.push_event("a", ());
            Ok(Hook::Cont)
        });
        let b = Hooks::new().on_event(|_, _, s| {
            s.push_event("b", ());
            Ok(Hook::Halt)
        });
        let hooks = a.merge(&b);
        let mut socket = Socket::<Greeter>::new(true);
        hooks
            .event(&mut Greeter, "x", &json!({}), &mut socket)
            .unwrap();
        let names: Vec<String> = socket.take_events().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(format!("{hooks:?}"), "Hooks { on_mount: 0, on_event: 2 }");
    }
}
