//! `SessionActor`: one per websocket. Routes decoded frames to the views joined on it by
//! topic, answers heartbeats and protocol errors itself, and never runs user code. Its views
//! run inside its task (see `view_task`), and everything they send comes back through one
//! ordered queue per view, which it writes to the socket in the same poll.

use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::{Actor, AsyncContext, Handler, Recipient};
use actix_web_actors::ws::{CloseCode, WebsocketContext};
use serde_json::Value;

use crate::config::SessionConfig;
use crate::error::ViewError;
use crate::join::{JoinAuthorizer, JoinRequest};
use crate::message::{Call, Command, MountOutcome, PushKind, Reply, ViewPush};
use crate::outlet::{Out, Outlet};
use crate::protocol::{
    diff_body, encode_push, encode_reply, join_body, nav_payload, reason_body, Envelope, RawFrame,
    CHANNEL_CRASH,
};
use crate::registry::ViewRegistry;
use crate::transport;
use crate::view::{Flash, Navigation};
use crate::view_actor::SpawnArgs;
use crate::view_task::{count_call, ViewDriver};

static LIVE_SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// The number of websocket sessions alive in this process.
pub fn live_session_count() -> usize {
    LIVE_SESSIONS.load(Ordering::Relaxed)
}

/// A view joined on this socket, as the session holds it: one address, no more.
struct Joined {
    topic: Arc<str>,
    join_ref: Arc<str>,
    to: Recipient<Call>,
    /// Requests sent and not answered yet.
    pending: usize,
    /// What to keep of it if the socket drops (`linger.rs`).
    linger: crate::linger::Handle,
}

/// One websocket connection speaking Phoenix Channels V2 with the LiveView protocol.
///
/// Lifecycle: started by [`start_websocket`](crate::start_websocket) at the upgrade; each
/// `phx_join` is authorised by the [`JoinAuthorizer`] and creates a supervised view actor that
/// runs inside this session's task; `event`, `live_patch` and `phx_leave` are sent to the view
/// of their topic, which answers through its one outgoing queue, in order with its pushes; the
/// session writes it all with the current join ref. A socket that sends nothing for
/// [`SessionConfig::idle_timeout`] is closed. When the socket closes every view stops.
pub struct SessionActor {
    config: SessionConfig,
    registry: Arc<ViewRegistry>,
    authorizer: Arc<dyn JoinAuthorizer>,
    /// Usually one or two: a small vector searched in place beats a map.
    views: Vec<Joined>,
    last_seen: Instant,
    /// When a tick of the idle check first found the socket idle.
    idle_since: Option<Instant>,
    in_flight: usize,
    tokens: f64,
    refilled: Instant,
    /// The socket ended in a way that is not a dropped connection (the client closed it, or
    /// broke the protocol): its views stop at once instead of waiting for a rejoin.
    forsaken: bool,
    /// The websocket's upgrade request, from which its views read the app's data.
    request: Option<actix_web::HttpRequest>,
}

impl std::fmt::Debug for SessionActor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionActor")
            .field(
                "views",
                &self.views.iter().map(|j| &j.topic).collect::<Vec<_>>(),
            )
            .field("in_flight", &self.in_flight)
            .finish_non_exhaustive()
    }
}

impl SessionActor {
    /// A session serving the views of `registry`, with joins checked by `authorizer`.
    pub fn new(
        config: SessionConfig,
        registry: Arc<ViewRegistry>,
        authorizer: Arc<dyn JoinAuthorizer>,
    ) -> Self {
        let tokens = f64::from(config.max_events_per_sec);
        Self {
            config,
            registry,
            authorizer,
            views: Vec::new(),
            last_seen: Instant::now(),
            idle_since: None,
            in_flight: 0,
            tokens,
            refilled: Instant::now(),
            forsaken: false,
            request: None,
        }
    }

    /// The websocket's upgrade request: the views joined on the socket read the app's data
    /// from it ([`SocketCore::app_data`](crate::SocketCore::app_data)), as handlers do.
    pub fn request(mut self, req: &actix_web::HttpRequest) -> Self {
        self.request = Some(req.clone());
        self
    }

    /// Stops the views at once when the socket ends, rather than keeping them for a rejoin
    /// ([`SessionConfig::reconnect_grace`]): the client closed the socket itself, or broke
    /// the protocol.
    pub(crate) fn forsake_views(&mut self) {
        self.forsaken = true;
    }

    /// The limits this session runs with.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    pub(crate) fn touch(&mut self) {
        self.last_seen = Instant::now();
    }

    fn reply(ctx: &mut WebsocketContext<Self>, f: &RawFrame<'_>, ok: bool, response: &str) {
        transport::send(
            ctx,
            encode_reply(
                f.join_ref.as_deref(),
                f.reference.as_deref(),
                &f.topic,
                ok,
                response,
            ),
        );
    }

    fn reply_reason(ctx: &mut WebsocketContext<Self>, f: &RawFrame<'_>, reason: &str) {
        Self::reply(ctx, f, false, &reason_body(reason));
    }

    /// A token bucket: false when the client sends events faster than allowed.
    fn take_token(&mut self) -> bool {
        let now = Instant::now();
        let rate = f64::from(self.config.max_events_per_sec);
        self.tokens =
            (self.tokens + now.duration_since(self.refilled).as_secs_f64() * rate).min(rate);
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    pub(crate) fn on_text(&mut self, text: &str, ctx: &mut WebsocketContext<Self>) {
        if text.len() > self.config.max_event_bytes {
            self.refuse(text, "event too large", ctx);
            return;
        }
        let frame = match RawFrame::decode(text) {
            Ok(f) => f,
            Err(e) => {
                log::debug!("{e}");
                self.refuse(text, "malformed payload", ctx);
                return;
            }
        };
        match (&*frame.topic, &*frame.event) {
            ("phoenix", "heartbeat") => Self::reply(ctx, &frame, true, "{}"),
            (topic, "phx_join") if topic.starts_with("lv:") => self.join(&frame, ctx),
            (_, "phx_join") => Self::reply_reason(ctx, &frame, "unmatched topic"),
            _ => self.routed(&frame, ctx),
        }
    }

    /// Answers a frame the session will not handle with an error reply to its refs, when its
    /// envelope can be read; otherwise closes the socket.
    fn refuse(&mut self, text: &str, reason: &str, ctx: &mut WebsocketContext<Self>) {
        match Envelope::decode(text) {
            Ok(env) => {
                log::warn!(
                    "{}: `{}` refused ({} bytes): {reason}",
                    env.topic,
                    env.event,
                    text.len()
                );
                let (join_ref, reference) = (env.join_ref.as_deref(), env.reference.as_deref());
                let body = reason_body(reason);
                transport::send(
                    ctx,
                    encode_reply(join_ref, reference, &env.topic, false, &body),
                );
            }
            Err(e) => {
                // Not a V2 frame, so no refs to reply to. Dropping it silently would leave a
                // client waiting for a reply forever; Phoenix closes the socket, and so do we,
                // with 1007 (a message inconsistent with its type, RFC 6455 §7.4.1).
                log::warn!("{e}; closing the socket");
                self.forsake_views();
                transport::close(ctx, CloseCode::Invalid, "malformed frame");
            }
        }
    }

    /// The index of the view `topic` joined as `join_ref`.
    fn find(&self, topic: &str, join_ref: Option<&str>) -> Option<usize> {
        self.views
            .iter()
            .position(|j| &*j.topic == topic && Some(&*j.join_ref) == join_ref)
    }

    fn routed(&mut self, frame: &RawFrame<'_>, ctx: &mut WebsocketContext<Self>) {
        let Some(i) = self.find(&frame.topic, frame.join_ref.as_deref()) else {
            // As Phoenix: leaving a channel that does not exist (any more) is fine.
            if frame.event == "phx_leave" {
                Self::reply(ctx, frame, true, "{}");
                return;
            }
            Self::reply_reason(ctx, frame, "unmatched topic");
            return;
        };
        match &*frame.event {
            "phx_leave" => {
                // As Phoenix: the reply, and a `phx_close` for that join.
                Self::reply(ctx, frame, true, "{}");
                self.close_view(&frame.topic, ctx);
            }
            "event" => {
                if !self.take_token() {
                    log::warn!("{}: event rate limit exceeded", frame.topic);
                    Self::reply_reason(ctx, frame, "rate limited");
                    return;
                }
                match frame.event() {
                    Ok(msg) => self.call(i, frame, Command::Event(msg), ctx),
                    Err(e) => {
                        log::debug!("{e}");
                        Self::reply_reason(ctx, frame, "malformed payload");
                    }
                }
            }
            "live_patch" => match frame.patch_url() {
                Ok(url) => self.call(i, frame, Command::Patch(url), ctx),
                Err(e) => {
                    log::debug!("{e}");
                    Self::reply_reason(ctx, frame, "malformed payload");
                }
            },
            // The view owns its components: it marks, deletes and answers.
            "cids_will_destroy" => self.call(i, frame, Command::WillDestroy(frame.cids()), ctx),
            "cids_destroyed" => self.call(i, frame, Command::Destroyed(frame.cids()), ctx),
            other => {
                log::warn!("{}: unknown event `{other}`", frame.topic);
                Self::reply_reason(ctx, frame, "unknown event");
            }
        }
    }

    /// Sends a request to view `i`; the view answers through its outlet.
    fn call(
        &mut self,
        i: usize,
        frame: &RawFrame<'_>,
        command: Command,
        ctx: &mut WebsocketContext<Self>,
    ) {
        if self.in_flight >= self.config.max_in_flight {
            Self::reply_reason(ctx, frame, "too many requests");
            return;
        }
        if !self.views[i].to.connected() {
            // The view is gone (it gave up); its end is on its way to the client.
            Self::reply(ctx, frame, true, "{}");
            return;
        }
        self.send_call(i, frame.reference.as_deref(), command);
    }

    fn send_call(&mut self, i: usize, reference: Option<&str>, command: Command) {
        let joined = &mut self.views[i];
        // Bounded by `max_in_flight` (answers pending per session), not by the view's mailbox:
        // a view busy with its own messages still gets the request, in order.
        joined.to.do_send(Call {
            reference: reference.map(Box::from),
            command,
        });
        count_call();
        joined.pending += 1;
        self.in_flight += 1;
    }

    /// Writes one item of a view's output. A view that left or was replaced still answers
    /// the requests it had (every push gets its reply, as in Phoenix), with no other effect;
    /// its pushes are dropped.
    pub(crate) fn deliver(
        &mut self,
        topic: &Arc<str>,
        join_ref: &Arc<str>,
        out: Out,
        ctx: &mut WebsocketContext<Self>,
    ) {
        let current = match self.find(topic, Some(join_ref)) {
            Some(i) => {
                if out.answers() {
                    let joined = &mut self.views[i];
                    joined.pending = joined.pending.saturating_sub(1);
                    self.in_flight = self.in_flight.saturating_sub(1);
                }
                true
            }
            None if out.answers() => false,
            None => return,
        };
        match out {
            Out::Answer(frame) | Out::Pushed(frame) => transport::send(ctx, frame),
            Out::Navigated { reference, reply } => {
                self.navigated(topic, join_ref, reference.as_deref(), *reply, current, ctx);
            }
            Out::Joined { reference, result } => {
                self.joined(topic, join_ref, reference.as_deref(), *result, current, ctx);
            }
            Out::Push(kind) => self.push(topic, join_ref, *kind, ctx),
        }
    }

    /// Answers a request whose callback navigated.
    fn navigated(
        &mut self,
        topic: &str,
        join_ref: &str,
        reference: Option<&str>,
        reply: Reply,
        current: bool,
        ctx: &mut WebsocketContext<Self>,
    ) {
        let jr = Some(join_ref);
        match reply.navigation {
            None => {
                let body = diff_body(reply.diff.as_deref());
                transport::send(ctx, encode_reply(jr, reference, topic, true, &body));
            }
            Some(Navigation::Patch { to, replace }) => {
                // The URL first, then the answer; the view runs `handle_params` itself and
                // pushes its diff after both.
                let payload = nav_payload(&to, Some(replace), None);
                transport::send(ctx, encode_push(jr, None, topic, "live_patch", &payload));
                let body = diff_body(reply.diff.as_deref());
                transport::send(ctx, encode_reply(jr, reference, topic, true, &body));
            }
            Some(Navigation::Navigate { to, replace, flash }) => {
                let body = format!(
                    "{{\"live_redirect\":{}}}",
                    self.nav_flash(&to, Some(replace), &flash)
                );
                transport::send(ctx, encode_reply(jr, reference, topic, true, &body));
            }
            Some(Navigation::Redirect { to, flash }) => {
                let body = format!("{{\"redirect\":{}}}", self.nav_flash(&to, None, &flash));
                transport::send(ctx, encode_reply(jr, reference, topic, true, &body));
                if current {
                    self.close_view(topic, ctx);
                }
            }
        }
    }

    /// Answers the join.
    fn joined(
        &mut self,
        topic: &str,
        join_ref: &str,
        reference: Option<&str>,
        result: Result<MountOutcome, ViewError>,
        current: bool,
        ctx: &mut WebsocketContext<Self>,
    ) {
        let jr = Some(join_ref);
        match result {
            Ok(MountOutcome::Rendered {
                rendered,
                live_patch,
            }) => {
                let patch = match live_patch {
                    Some(Navigation::Patch { to, replace }) => {
                        Some(nav_payload(&to, Some(replace), None))
                    }
                    _ => None,
                };
                let body = join_body(&rendered, patch.as_deref());
                transport::send(ctx, encode_reply(jr, reference, topic, true, &body));
            }
            Ok(MountOutcome::Navigated(nav)) => {
                let body = match nav {
                    Navigation::Redirect { to, flash } => {
                        format!("{{\"redirect\":{}}}", self.nav_flash(&to, None, &flash))
                    }
                    Navigation::Navigate { to, replace, flash } => {
                        let p = self.nav_flash(&to, Some(replace), &flash);
                        format!("{{\"live_redirect\":{p}}}")
                    }
                    Navigation::Patch { to, replace } => {
                        format!(
                            "{{\"live_redirect\":{}}}",
                            nav_payload(&to, Some(replace), None)
                        )
                    }
                };
                transport::send(ctx, encode_reply(jr, reference, topic, false, &body));
                if current {
                    self.drop_view(topic);
                }
            }
            Err(e) => {
                log::warn!("{topic}: mount failed: {e}");
                let body = reason_body("join crashed");
                transport::send(ctx, encode_reply(jr, reference, topic, false, &body));
                if current {
                    self.drop_view(topic);
                }
            }
        }
    }

    /// Writes what a view pushed unasked.
    fn push(
        &mut self,
        topic: &str,
        join_ref: &str,
        kind: PushKind,
        ctx: &mut WebsocketContext<Self>,
    ) {
        let jr = Some(join_ref);
        match kind {
            PushKind::Diff(diff) => {
                transport::send(ctx, encode_push(jr, None, topic, "diff", &diff));
            }
            PushKind::Navigate(Navigation::Patch { to, replace }) => {
                let payload = nav_payload(&to, Some(replace), None);
                transport::send(ctx, encode_push(jr, None, topic, "live_patch", &payload));
            }
            PushKind::Navigate(Navigation::Navigate { to, replace, flash }) => {
                let payload = self.nav_flash(&to, Some(replace), &flash);
                transport::send(ctx, encode_push(jr, None, topic, "live_redirect", &payload));
            }
            PushKind::Navigate(Navigation::Redirect { to, flash }) => {
                let payload = self.nav_flash(&to, None, &flash);
                transport::send(ctx, encode_push(jr, None, topic, "redirect", &payload));
                self.close_view(topic, ctx);
            }
            PushKind::Crashed => {
                transport::send(ctx, encode_push(jr, jr, topic, "phx_error", CHANNEL_CRASH));
                self.drop_view(topic);
            }
            PushKind::GaveUp { uri } => {
                let payload = nav_payload(&uri, None, None);
                transport::send(ctx, encode_push(jr, None, topic, "redirect", &payload));
                self.close_view(topic, ctx);
            }
        }
    }

    /// A view's actor ended for good. Normally the session asked for it (and forgot the view
    /// already); otherwise the client is told the channel crashed, and rejoins.
    pub(crate) fn view_ended(
        &mut self,
        topic: &str,
        join_ref: &str,
        ctx: &mut WebsocketContext<Self>,
    ) {
        if self.find(topic, Some(join_ref)).is_some() {
            log::warn!("{topic}: the view stopped unasked");
            let jr = Some(join_ref);
            transport::send(ctx, encode_push(jr, jr, topic, "phx_error", CHANNEL_CRASH));
            self.drop_view(topic);
        }
    }

    /// Stops a view and tells the client the channel is closed (`phx_close`).
    fn close_view(&mut self, topic: &str, ctx: &mut WebsocketContext<Self>) {
        if let Some(joined) = self.forget(topic) {
            let jr = Some(&*joined.join_ref);
            transport::send(ctx, encode_push(jr, jr, topic, "phx_close", "{}"));
        }
    }

    fn drop_view(&mut self, topic: &str) {
        self.forget(topic);
    }

    /// Removes a view and tells its actor to stop; what it still sends is dropped.
    fn forget(&mut self, topic: &str) -> Option<Joined> {
        let i = self.views.iter().position(|j| &*j.topic == topic)?;
        let joined = self.views.swap_remove(i);
        self.in_flight = self.in_flight.saturating_sub(joined.pending);
        joined.to.do_send(Call {
            reference: None,
            command: Command::Leave,
        });
        Some(joined)
    }

    fn join(&mut self, frame: &RawFrame<'_>, ctx: &mut WebsocketContext<Self>) {
        let topic: Arc<str> = Arc::from(&*frame.topic);
        let Some(join_ref) = frame.join_ref.as_deref().or(frame.reference.as_deref()) else {
            Self::reply_reason(ctx, frame, "missing join ref");
            return;
        };
        let join_ref: Arc<str> = Arc::from(join_ref);
        // A join runs a mount (a database query in a real app): it spends a token like an event.
        if !self.take_token() {
            log::warn!("{topic}: join rate limit exceeded");
            Self::reply_reason(ctx, frame, "rate limited");
            return;
        }
        // A second join on a joined topic replaces the old view, as Phoenix does.
        if self.views.iter().any(|j| j.topic == topic) {
            self.close_view(&topic, ctx);
        }
        if self.views.len() >= self.config.max_views {
            Self::reply_reason(ctx, frame, "too many channels joined");
            return;
        }
        let p = match frame.join() {
            Ok(p) => p,
            Err(e) => {
                log::debug!("{e}");
                Self::reply_reason(ctx, frame, "malformed payload");
                return;
            }
        };
        let (url, live_navigation) = match (&p.redirect, &p.url) {
            (Some(r), _) => (Some(&**r), true),
            (_, Some(u)) => (Some(&**u), false),
            _ => (None, false),
        };
        let params = match &p.params {
            Value::Null => Value::Object(serde_json::Map::new()),
            other => other.clone(),
        };
        // Issue 21: the binding under which this view may be kept if the socket drops, or
        // under which a living view (a dropped socket's, or a dead render's) waits for it.
        let key = crate::linger::key(
            &topic,
            p.session.as_deref().unwrap_or_default(),
            crate::linger::join_csrf(&params),
        );
        let request = JoinRequest {
            topic_id: topic.strip_prefix("lv:").unwrap_or(&topic),
            session_token: p.session.as_deref().unwrap_or_default(),
            static_token: p.static_token.as_deref().filter(|s| !s.is_empty()),
            url,
            live_navigation,
            params: &params,
            flash: p.flash.as_deref(),
        };
        let authorized = match self.authorizer.authorize(&request) {
            Ok(a) => a,
            Err(refusal) => {
                log::info!("{topic}: join refused: {}", refusal.reason());
                Self::reply_reason(ctx, frame, refusal.reason());
                return;
            }
        };
        let claimed = key
            .as_deref()
            .and_then(|key| crate::linger::claim(key, &authorized.view));
        if let Some(claim) = claimed {
            if self.attach_claimed(claim, &topic, &join_ref, frame, ctx) {
                return;
            }
        }
        let Some(entry) = self.registry.get(&authorized.view) else {
            Self::reply_reason(ctx, frame, "stale");
            return;
        };
        let args = SpawnArgs {
            topic: Arc::clone(&topic),
            join_ref: Arc::clone(&join_ref),
            params: authorized.params,
            session: authorized.session,
            uri: authorized.uri,
            push: ctx.address().recipient(),
            mailbox: self.config.view_mailbox,
            restart: self.config.restart,
            flash: authorized.flash,
            stall_limit: self.config.stall_limit,
            request: self.request.clone(),
        };
        let authorizer = Arc::clone(&self.authorizer);
        let view: Arc<str> = authorized.view.into();
        let name = Arc::clone(&view);
        let outlet = Outlet::new(Rc::new(move |url: &str| {
            authorizer.resolve_patch(&view, url)
        }));
        let (to, task) = entry.attach(args, outlet.clone());
        let key = key.filter(|_| !self.config.reconnect_grace.is_zero());
        let (task, linger) = crate::linger::Handle::local(task, &outlet, key, name, &topic);
        // Most sockets join one view: no room reserved for more.
        self.views.reserve_exact(1);
        self.views.push(Joined {
            topic: Arc::clone(&topic),
            join_ref: Arc::clone(&join_ref),
            to,
            pending: 0,
            linger,
        });
        ctx.spawn(ViewDriver {
            task,
            outlet,
            topic,
            join_ref,
        });
        let i = self.views.len() - 1;
        self.send_call(i, frame.reference.as_deref(), Command::Mount);
    }

    /// Re-attaches a living view claimed by a join (issue 21): its driver relays the view's
    /// answer (a full render of its current state) and everything after. False when the
    /// driver is gone; the join then mounts afresh.
    fn attach_claimed(
        &mut self,
        claim: crate::linger::Claim,
        topic: &Arc<str>,
        join_ref: &Arc<str>,
        frame: &RawFrame<'_>,
        ctx: &mut WebsocketContext<Self>,
    ) -> bool {
        let attach = crate::linger::Ctl::Attach {
            session: ctx.address().recipient(),
            join_ref: Arc::clone(join_ref),
            reference: frame.reference.as_deref().map(Box::from),
            authorizer: Arc::clone(&self.authorizer),
        };
        if claim.ctl.try_send(attach).is_err() {
            return false;
        }
        log::debug!("{topic}: re-attached to a living view");
        self.views.reserve_exact(1);
        self.views.push(Joined {
            topic: Arc::clone(topic),
            join_ref: Arc::clone(join_ref),
            to: claim.to,
            pending: 1,
            linger: crate::linger::Handle::Remote { ctl: claim.ctl },
        });
        self.in_flight += 1;
        true
    }

    /// [`nav_payload`] plus the flash, signed by the authoriser, when there is one.
    fn nav_flash(&self, to: &str, replace: Option<bool>, flash: &Flash) -> String {
        let token = (!flash.is_empty()).then(|| self.authorizer.sign_flash(flash));
        nav_payload(to, replace, token.flatten().as_deref())
    }
}

impl Actor for SessionActor {
    type Context = WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        LIVE_SESSIONS.fetch_add(1, Ordering::Relaxed);
        ctx.set_mailbox_capacity(256);
        let check = (self.config.idle_timeout / 4).max(Duration::from_millis(10));
        ctx.run_interval(check, move |act, ctx| {
            if act.last_seen.elapsed() <= act.config.idle_timeout {
                act.idle_since = None;
                return;
            }
            // Judge only on a second tick, some time after the first: after a stall (a worker
            // blocked by a handler, a stopped process) the timer fires before the frames that
            // queued up meanwhile are read, and missed ticks fire in a burst. Those frames
            // reset `last_seen` first.
            let now = Instant::now();
            match act.idle_since {
                Some(since) if now.duration_since(since) >= check / 2 => {
                    log::info!("closing a websocket idle for {:?}", act.config.idle_timeout);
                    transport::close(ctx, CloseCode::Away, "idle timeout");
                }
                Some(_) => {}
                None => act.idle_since = Some(now),
            }
        });
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        LIVE_SESSIONS.fetch_sub(1, Ordering::Relaxed);
        // Views kept for a rejoin (issue 21) move to a task of their own; the others' futures
        // end with this session's task, and each view's `terminate` runs as its actor is
        // dropped.
        let grace = if self.forsaken {
            Duration::ZERO
        } else {
            self.config.reconnect_grace
        };
        for joined in self.views.drain(..) {
            joined.linger.orphan(joined.to, grace);
        }
    }
}

/// Pushes from a view started on its own ([`spawn_view`](crate::spawn_view)) with this
/// session as its push recipient. The session's own views answer through their outlets.
impl Handler<ViewPush> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: ViewPush, ctx: &mut Self::Context) {
        crate::view_task::count_session_message();
        if self.find(&msg.topic, Some(&msg.join_ref)).is_some() {
            self.push(&msg.topic, &msg.join_ref, msg.kind, ctx);
        }
    }
}
