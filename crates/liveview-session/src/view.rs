//! The [`LiveView`] trait: what a view implements.
//!
//! The types its callbacks use live in files of their own ([`Socket`] in `socket.rs`,
//! [`Assigns`] in `assigns.rs`, [`Params`] in `params.rs`, ...); they are re-exported here
//! for the runtime's internal paths.

use liveview_diff::Rendered;
use serde_json::Value;

pub(crate) use crate::assigns::Assigns;
use crate::async_task::AsyncDone;
#[cfg(test)]
pub(crate) use crate::dead_render::dead_render;
use crate::error::ViewError;
use crate::event::LiveEvent;
pub(crate) use crate::flash::Flash;
pub(crate) use crate::nav::Navigation;
pub(crate) use crate::params::Params;
pub(crate) use crate::session_data::Session;
pub(crate) use crate::socket::Socket;

/// A live view: state on the server, HTML in the browser, diffs in between.
///
/// The lifecycle is Phoenix LiveView's: [`mount`](LiveView::mount) runs once for the dead
/// (HTTP) render and again when the browser joins over the websocket (then
/// [`connected`](crate::SocketCore::connected) is true); [`handle_params`](LiveView::handle_params)
/// runs after mount and on every live patch; events and messages change the assigns; after
/// each callback that changed an assign, [`render`](LiveView::render) runs and only what
/// changed travels.
///
/// State that the template shows lives in the [`Assigns`], declared as a struct deriving
/// [`LiveAssigns`](crate::LiveAssigns): change tracking watches each assign, and a callback
/// that changed none renders nothing. Events are an enum deriving
/// [`LiveEvent`](crate::LiveEvent), decoded once and handled in [`update`](LiveView::update).
/// Fields of `self` are for configuration and for state the template does not read.
///
/// ```
/// use liveview_diff::{html, Rendered};
/// use liveview_session::{
///     Assigns, LiveAssigns, LiveEvent, LiveView, Params, Session, Socket, ViewError,
/// };
///
/// #[derive(LiveAssigns)]
/// # #[live(crate = liveview_session)]
/// struct State {
///     count: i64,
/// }
///
/// #[derive(LiveEvent)]
/// # #[live(crate = liveview_session)]
/// enum Msg {
///     Inc,
///     Dec,
/// }
///
/// #[derive(Default)]
/// struct Counter;
///
/// impl LiveView for Counter {
///     type Info = ();
///     type Event = Msg;
///
///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
///         socket.assign_all(State { count: 0 });
///         Ok(())
///     }
///
///     fn update(&mut self, msg: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
///         match msg {
///             Msg::Inc => socket.update(State::count, |n| *n += 1),
///             Msg::Dec => socket.update(State::count, |n| *n -= 1),
///         };
///         Ok(())
///     }
///
///     fn render(&self, assigns: &Assigns) -> Rendered {
///         html! {
///             span #count { (assigns[State::count]) }
///             button phx-click=(Msg::Inc) { "+" }
///             button phx-click=(Msg::Dec) { "-" }
///         }
///     }
/// }
/// # let page = liveview_session::dead_render(&mut Counter, &Params::new(), &Session::new(), "/").unwrap();
/// # assert!(matches!(page, liveview_session::DeadRender::Page { ref html, .. }
/// #     if html == r#"<span id="count">0</span><button phx-click="inc">+</button><button phx-click="dec">-</button>"#));
/// ```
pub trait LiveView: Sized + Unpin + 'static {
    /// The messages [`handle_info`](LiveView::handle_info) receives from timers and other
    /// actors. Use `()` when the view takes none.
    type Info: Send + Unpin + 'static;

    /// The events [`update`](LiveView::update) receives: an enum deriving
    /// [`LiveEvent`](crate::LiveEvent), decoded once from the event's name and value. Use `()`
    /// when the view has none, or matches event names itself in
    /// [`handle_event`](LiveView::handle_event).
    type Event: LiveEvent;

    /// Whether this view adopts its dead render (issue 21): the state its dead render's
    /// `mount` produced is kept for the page's websocket join, which then skips `mount` and
    /// `handle_params` and runs [`connected`](LiveView::connected) instead. `false` by
    /// default (the usual lifecycle: `mount` runs again at join). A live session can opt all
    /// its views in. See [`ViewEntry::adopt_dead_render`](crate::ViewEntry::adopt_dead_render)
    /// and `docs/guides/lifecycle.md`.
    const ADOPT_DEAD_RENDER: bool = false;

    /// Sets up the assigns. Runs for the dead render and again at join, unless the view adopts
    /// its dead render (then once per page view; see [`connected`](LiveView::connected)).
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

    /// Runs once when the view becomes live, before its first live render: after `mount` and
    /// `handle_params` of a live mount, or, for a view that adopted its dead render (see
    /// `docs/guides/lifecycle.md`), instead of them. Start here what only makes sense
    /// connected (PubSub subscriptions, timers): it runs whichever way the view went live, and
    /// never in the dead render. It does not run again when a view re-attaches to a
    /// reconnected socket (it never stopped). The default does nothing.
    fn connected(&mut self, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let _ = socket;
        Ok(())
    }

    /// Handles a typed event: the [`Event`](LiveView::Event) that
    /// [`handle_event`](LiveView::handle_event) decoded. The default does nothing.
    fn update(&mut self, event: Self::Event, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let _ = (event, socket);
        Ok(())
    }

    /// Handles an event from the browser by name (`phx-click="inc"` sends `"inc"`) and value.
    ///
    /// The default decodes it into [`Self::Event`](LiveView::Event) and calls
    /// [`update`](LiveView::update); an event no variant names fails with
    /// [`ViewError::unknown_event`], one whose value does not decode with a [`ViewError`]
    /// that says why (the client gets an empty reply; the view keeps running). Override it
    /// for events whose names are only known at run time, and call the default's path for
    /// the rest: `self.update(Self::Event::decode(event, value)?, socket)`.
    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let event = Self::Event::decode(event, value)?;
        self.update(event, socket)
    }

    /// Handles a message from a timer ([`Socket::send_after`]) or another actor.
    fn handle_info(&mut self, msg: Self::Info, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let _ = (msg, socket);
        Ok(())
    }

    /// Handles the result of a task started with
    /// [`SocketCore::start_async`](crate::SocketCore::start_async): take it with the task's
    /// [`AsyncKey`](crate::AsyncKey) ([`AsyncDone::take`]). Runs only for the task started
    /// last under that name (an older one's result is stale and dropped); then the view
    /// renders and pushes a `diff` as after [`handle_info`](LiveView::handle_info). The
    /// default ignores the result.
    fn handle_async(
        &mut self,
        done: AsyncDone,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let _ = socket;
        log::debug!(
            "async task `{}` finished; handle_async ignores it",
            done.name()
        );
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
