//! The two ways a [`LiveViewTest`](crate::LiveViewTest) reaches its view: in-process, through
//! the recorded typed messages, or over a real websocket (`socket.rs`). Everything else (the
//! DOM, the payloads, the merger) is shared.

use std::fmt::{self, Debug};

use liveview_session::{HandleEvent, HandleParams, LiveView, Navigation, Params, PushKind};
use serde_json::Value;

use crate::builder::{params_of, LiveBuilder};
use crate::client::{absolute, Client};
use crate::expect::Expect;
use crate::live_view_test::LiveViewTest;
use crate::mailbox::Mailbox;
use crate::mailbox::{MailboxEntry, Outbound};
use crate::recorder::SpawnedView;

mod private {
    use super::Client;

    /// What a transport does; sealed, so it can change without a breaking release.
    #[allow(async_fn_in_trait)] // only implemented here, and tests run on one thread
    pub trait Sealed: std::fmt::Debug {
        /// Applies what arrived since the last time, in order, as the browser would.
        fn sync(&self, client: &mut Client);
        /// `path` as the absolute URL the client would hold.
        fn absolute(&self, path: &str) -> String;
        /// Sends an `event` payload and waits for its reply.
        async fn send_event(&mut self, payload: &serde_json::Value);
        /// Sends a live patch to `path` (`uri` absolute) and waits for its reply.
        async fn send_patch(&mut self, path: &str, uri: &str);
        /// Lets what is in flight arrive and applies it.
        async fn settle(&mut self, client: &mut Client);
        /// Sends the browser's `cids_will_destroy` or `cids_destroyed` and waits for the
        /// answer: the CIDs the view deleted.
        async fn destroy(&mut self, msg: liveview_session::DestroyComponents) -> Vec<u32>;
        /// Leaves the view (`phx_leave`).
        async fn leave(&mut self);
        /// The test dropped its view; `open` when it had not left or been closed.
        fn drop_client(&mut self, open: bool);
    }
}

pub(crate) use private::Sealed;

/// How a [`LiveViewTest`](crate::LiveViewTest) reaches its view: [`InProcess`] or
/// [`Connection`](crate::socket::Connection). Sealed: implemented by this crate only.
pub trait Transport: Sealed {}

/// The in-process transport: the view actor runs in the test's actix system behind a
/// recorder, and commands are sent as typed messages (see [`live`](crate::live)).
pub struct InProcess<V: LiveView> {
    pub(crate) spawned: SpawnedView<V>,
    pub(crate) route: Option<liveview_http::RoutePattern>,
}

impl<V: LiveView> Debug for InProcess<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InProcess")
            .field("view", &std::any::type_name::<V>())
            .field("route", &self.route)
            .finish_non_exhaustive()
    }
}

impl<V: LiveView> Transport for InProcess<V> where V::Info: Debug {}

/// In-process, a patch leaves `handle_params` to run: the harness plays the session.
fn navigate(client: &mut Client, nav: Navigation) {
    if let Navigation::Patch { to, .. } = &nav {
        client.pending_patches.push_back(to.clone());
    }
    client.navigate(nav, crate::client::HOST);
}

impl<V: LiveView> Sealed for InProcess<V>
where
    V::Info: Debug,
{
    fn sync(&self, client: &mut Client) {
        let mailbox = self.spawned.mailbox();
        while let Some(entry) = mailbox.get(client.applied) {
            client.applied += 1;
            match entry {
                MailboxEntry::Out(Outbound::Reply { diff, navigation }) => {
                    if let Some(d) = diff {
                        client.merge(&d);
                    }
                    if let Some(nav) = navigation {
                        navigate(client, nav);
                    }
                }
                MailboxEntry::Out(Outbound::Push(PushKind::Diff(d))) => client.merge(&d),
                MailboxEntry::Out(Outbound::Push(PushKind::Navigate(nav))) => navigate(client, nav),
                MailboxEntry::Out(Outbound::Push(PushKind::Crashed)) => {
                    client.closed = Some("it crashed and could not be restarted".to_owned());
                }
                MailboxEntry::Out(Outbound::Push(PushKind::GaveUp { uri })) => {
                    client.closed = Some(format!(
                        "it crashed too often and the client was sent to reload `{uri}`"
                    ));
                    client.navigations.push(Navigation::Redirect {
                        to: uri,
                        flash: liveview_session::Flash::new(),
                    });
                }
                MailboxEntry::Out(Outbound::Destroyed(cids)) => client.prune_cids(&cids),
                MailboxEntry::Out(Outbound::Mounted(_) | Outbound::Error { .. })
                | MailboxEntry::In(_) => {}
            }
        }
    }

    fn absolute(&self, path: &str) -> String {
        absolute(path)
    }

    async fn send_event(&mut self, payload: &Value) {
        let msg = HandleEvent::from_payload(payload);
        if let Err(e) = self.spawned.recipients().event.send(msg).await {
            panic!("the view is not running: {e}");
        }
    }

    async fn send_patch(&mut self, path: &str, uri: &str) {
        let params = params_of(self.route.as_ref(), path, Params::new());
        let msg = HandleParams {
            params,
            uri: uri.to_owned(),
        };
        if let Err(e) = self.spawned.recipients().params.send(msg).await {
            panic!("the view is not running: {e}");
        }
    }

    async fn settle(&mut self, client: &mut Client) {
        loop {
            self.spawned.settle().await;
            self.sync(client);
            let Some(to) = client.pending_patches.pop_front() else {
                break;
            };
            let params = params_of(self.route.as_ref(), &to, Params::new());
            let msg = HandleParams {
                params,
                uri: absolute(&to),
            };
            let _ = self.spawned.recipients().params.send(msg).await;
        }
    }

    async fn destroy(&mut self, msg: liveview_session::DestroyComponents) -> Vec<u32> {
        // A view that stopped answers nothing, as a closed channel would.
        self.spawned
            .recipients()
            .destroy
            .send(msg)
            .await
            .unwrap_or_default()
    }

    async fn leave(&mut self) {
        let _ = self
            .spawned
            .recipients()
            .shutdown
            .send(liveview_session::Shutdown)
            .await;
    }

    fn drop_client(&mut self, open: bool) {
        if open {
            // The client leaves: the view terminates and the recorder stops.
            self.spawned
                .recipients()
                .shutdown
                .do_send(liveview_session::Shutdown);
        }
    }
}

impl<V> LiveViewTest<InProcess<V>>
where
    V: LiveView,
    V::Info: Debug,
{
    /// The recorded traffic of the view actor: every command it received and everything it
    /// sent, in order (see [`assert_receive!`](crate::assert_receive)).
    pub fn mailbox(&self) -> &Mailbox {
        self.transport().spawned.mailbox()
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

    /// Waits until no async task of the view is running ([`assign_async`] and [`start_async`],
    /// as Phoenix's `render_async`), at most [`DEFAULT_TIMEOUT`], then returns the HTML with
    /// everything their results pushed applied.
    ///
    /// ```
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::{AsyncResult, AsyncState, Assigns, Key, LiveView, Params, Session, Socket, ViewError};
    ///
    /// const NAME: Key<AsyncResult<String>> = Key::new("name");
    ///
    /// #[derive(Default)]
    /// struct Profile;
    /// impl LiveView for Profile {
    ///     type Info = ();
    ///     type Event = ();
    ///     fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         s.assign_async(NAME, async { Ok::<_, String>("Ana".to_owned()) });
    ///         Ok(())
    ///     }
    ///     fn render(&self, a: &Assigns) -> Rendered {
    ///         html! { @match a[NAME].state() {
    ///             AsyncState::Ok(name) => p { (name) }
    ///             _ => p { "..." }
    ///         } }
    ///     }
    /// }
    ///
    /// # actix::System::new().block_on(async {
    /// let mut view = liveview_test::live::<Profile>("/").await;
    /// assert_eq!(view.dead_html(), "<p>...</p>");
    /// assert_eq!(view.render_async().await, "<p>Ana</p>");
    /// # });
    /// ```
    ///
    /// # Panics
    ///
    /// When tasks still run after the timeout (the message says how many).
    ///
    /// [`assign_async`]: liveview_session::SocketCore::assign_async
    /// [`start_async`]: liveview_session::SocketCore::start_async
    /// [`DEFAULT_TIMEOUT`]: crate::DEFAULT_TIMEOUT
    pub async fn render_async(&mut self) -> String {
        self.render_async_within(crate::DEFAULT_TIMEOUT).await
    }

    /// [`render_async`](LiveViewTest::render_async) with another timeout.
    ///
    /// # Panics
    ///
    /// When tasks still run after `timeout`.
    pub async fn render_async_within(&mut self, timeout: std::time::Duration) -> String {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let running = self.transport().spawned.async_pending().await;
            if running == 0 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "render_async: {running} async task(s) of the view still running after {timeout:?}"
            );
            actix_rt::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        self.settle().await
    }

    /// Sends a typed message to the view's `handle_info` (as a timer or another actor would)
    /// and returns the HTML after the diff it pushed.
    pub async fn send_info(&mut self, msg: V::Info) -> String {
        self.ensure_open("send_info");
        self.transport().spawned.send_info(msg).await;
        self.settle().await
    }

    /// Follows the live navigation or redirect the view asked for ([`assert_redirected`]):
    /// mounts the view `builder` describes at its target, with the flash it carried, as the
    /// browser would land there. `builder` names the next view (the harness cannot know its
    /// type); give it the app's routes with [`LiveBuilder::config`].
    ///
    /// ```
    /// # use liveview_diff::{html, Rendered};
    /// # use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
    /// # use serde_json::Value;
    /// # #[derive(Default)] struct New;
    /// # impl LiveView for New {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> { Ok(()) }
    /// #     fn handle_event(&mut self, _: &str, _: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
    /// #         s.put_flash("info", "Created"); s.push_navigate("/items/7"); Ok(())
    /// #     }
    /// #     fn render(&self, _: &Assigns) -> Rendered { html! { button #create phx-click="create" { "Create" } } }
    /// # }
    /// # #[derive(Default)] struct Show;
    /// # impl LiveView for Show {
    /// #     type Info = ();
    /// #     type Event = ();
    /// #     fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
    /// #         s.assign("id", p.get("id").unwrap_or("?").to_owned()); Ok(())
    /// #     }
    /// #     fn render(&self, a: &Assigns) -> Rendered {
    /// #         let id: String = a.get("id"); let info = a.flash().get("info").cloned().unwrap_or_default();
    /// #         html! { p #id { (id) } p #flash { (info) } }
    /// #     }
    /// # }
    /// use liveview_http::LiveConfig;
    /// use liveview_test::{live, LiveViewTest};
    ///
    /// # actix::System::new().block_on(async {
    /// let live_config = LiveConfig::with_random_secret()
    ///     .live::<New>("/items/new")
    ///     .live::<Show>("/items/{id}");
    /// let mut form = live::<New>("/items/new").await;
    /// form.click("#create").await;
    /// let show = form
    ///     .follow_redirect(LiveViewTest::builder(Show::default).config(&live_config))
    ///     .await;
    /// assert_eq!(show.text("#id"), "7");
    /// assert_eq!(show.text("#flash"), "Created");
    /// # });
    /// ```
    ///
    /// # Panics
    ///
    /// As [`assert_redirected`] and [`LiveBuilder::mount`].
    ///
    /// [`assert_redirected`]: LiveViewTest::assert_redirected
    pub async fn follow_redirect<W, F>(
        &self,
        builder: LiveBuilder<W, F>,
    ) -> LiveViewTest<InProcess<W>>
    where
        W: LiveView,
        W::Info: Debug,
        F: Fn() -> W + 'static,
    {
        let nav = self.assert_redirected().await;
        builder.follow(&nav).mount().await
    }
}
