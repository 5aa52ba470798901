//! `SessionActor`: one per websocket. Routes decoded frames to the views joined on it by
//! topic, answers heartbeats and protocol errors itself, and never runs user code.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::{Actor, ActorFutureExt, AsyncContext, Handler, Recipient, WrapFuture};
use actix_web_actors::ws::{CloseCode, WebsocketContext};
use liveview_diff::wire::{push_json_str, LIVEVIEW_VERSION};
use serde_json::Value;

use crate::error::ViewError;
use crate::message::{
    HandleEvent, HandleParams, Mount, MountOutcome, PushKind, Reply, Shutdown, ViewPush,
    ViewRecipients,
};
use crate::registry::{JoinAuthorizer, JoinRequest, SessionConfig, ViewRegistry};
use crate::transport::{self, encode_push, encode_reply, Envelope, InFrame};
use crate::view::Navigation;
use crate::view_actor::SpawnArgs;

static LIVE_SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// The number of websocket sessions alive in this process.
pub fn live_session_count() -> usize {
    LIVE_SESSIONS.load(Ordering::Relaxed)
}

struct Joined {
    join_ref: Arc<str>,
    view: String,
    recipients: ViewRecipients,
    /// Requests (mount, events, params) the view has answered so far, as the session saw them.
    replies: u64,
    /// Pushes the view made after replies the session has not yet seen: held so that a push
    /// never overtakes the reply it follows.
    held: std::collections::VecDeque<ViewPush>,
    /// Requests sent to the view so far, and answers written so far; answers that came back
    /// before an earlier one wait in `done` (at most `max_in_flight`).
    asked: u64,
    answered: u64,
    done: std::collections::BTreeMap<u64, (InFrame, Answer)>,
}

/// What a view answered to a request.
type Answer = Result<Result<Reply, ViewError>, actix::MailboxError>;

/// The most `push_patch`es `handle_params` may chain before it counts as a redirect loop.
const MAX_PATCH_CHAIN: usize = 20;

/// The most pushes held back for one view while its replies are in flight.
const MAX_HELD_PUSHES: usize = 256;

/// One websocket connection speaking Phoenix Channels V2 with the LiveView protocol.
///
/// Lifecycle: started by [`start_websocket`](crate::start_websocket) at the upgrade; each
/// `phx_join` is authorised by the [`JoinAuthorizer`] and spawns a supervised view actor;
/// `event`, `live_patch` and `phx_leave` are routed to the view of their topic and answered
/// with the request's refs; pushes from views go out with the current join ref. A socket that
/// sends nothing for [`SessionConfig::idle_timeout`] is closed. When the socket closes every
/// view is shut down.
pub struct SessionActor {
    config: SessionConfig,
    registry: Arc<ViewRegistry>,
    authorizer: Arc<dyn JoinAuthorizer>,
    views: HashMap<Arc<str>, Joined>,
    last_seen: Instant,
    /// When a tick of the idle check first found the socket idle.
    idle_since: Option<Instant>,
    in_flight: usize,
    tokens: f64,
    refilled: Instant,
}

impl std::fmt::Debug for SessionActor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionActor")
            .field("views", &self.views.keys().collect::<Vec<_>>())
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
            views: HashMap::new(),
            last_seen: Instant::now(),
            idle_since: None,
            in_flight: 0,
            tokens,
            refilled: Instant::now(),
        }
    }

    /// The limits this session runs with.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    pub(crate) fn touch(&mut self) {
        self.last_seen = Instant::now();
    }

    fn reply(ctx: &mut WebsocketContext<Self>, f: &InFrame, ok: bool, response: &str) {
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

    fn reply_reason(ctx: &mut WebsocketContext<Self>, f: &InFrame, reason: &str) {
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
            Self::refuse(text, "event too large", ctx);
            return;
        }
        let frame = match InFrame::decode(text) {
            Ok(f) => f,
            Err(e) => {
                log::debug!("{e}");
                Self::refuse(text, "malformed payload", ctx);
                return;
            }
        };
        match (frame.topic.as_str(), frame.event.as_str()) {
            ("phoenix", "heartbeat") => Self::reply(ctx, &frame, true, "{}"),
            (topic, "phx_join") if topic.starts_with("lv:") => self.join(frame, ctx),
            (_, "phx_join") => Self::reply_reason(ctx, &frame, "unmatched topic"),
            _ => self.routed(frame, ctx),
        }
    }

    /// Answers a frame the session will not handle with an error reply to its refs, when its
    /// envelope can be read; otherwise closes the socket.
    fn refuse(text: &str, reason: &str, ctx: &mut WebsocketContext<Self>) {
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
                transport::close(ctx, CloseCode::Invalid, "malformed frame");
            }
        }
    }

    fn current<'a>(&'a self, f: &InFrame) -> Option<&'a Joined> {
        let joined = self.views.get(f.topic.as_str())?;
        (f.join_ref.as_deref() == Some(&*joined.join_ref)).then_some(joined)
    }

    fn routed(&mut self, mut frame: InFrame, ctx: &mut WebsocketContext<Self>) {
        let Some(joined) = self.current(&frame) else {
            // As Phoenix: leaving a channel that does not exist (any more) is fine.
            if frame.event == "phx_leave" {
                Self::reply(ctx, &frame, true, "{}");
                return;
            }
            Self::reply_reason(ctx, &frame, "unmatched topic");
            return;
        };
        match frame.event.as_str() {
            "phx_leave" => {
                // As Phoenix: the reply, and a `phx_close` for that join.
                Self::reply(ctx, &frame, true, "{}");
                self.close_view(&frame.topic, ctx);
            }
            "event" => {
                if !self.take_token() {
                    log::warn!("{}: event rate limit exceeded", frame.topic);
                    Self::reply_reason(ctx, &frame, "rate limited");
                    return;
                }
                let Some(to) = self.current(&frame).map(|j| j.recipients.event.clone()) else {
                    return;
                };
                let msg = HandleEvent::from_payload_owned(std::mem::take(&mut frame.payload));
                self.ask(to, msg, frame, ctx);
            }
            "live_patch" => {
                let url = frame
                    .payload
                    .get("url")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                match self.authorizer.resolve_patch(&joined.view, &url) {
                    Some(params) => {
                        let to = joined.recipients.params.clone();
                        let msg = HandleParams { params, uri: url };
                        self.ask(to, msg, frame, ctx);
                    }
                    None => Self::reply(ctx, &frame, true, "{\"link_redirect\":true}"),
                }
            }
            "cids_will_destroy" => Self::reply(ctx, &frame, true, "{}"),
            "cids_destroyed" => {
                // No live components yet: every cid the client names is already gone.
                let cids = frame
                    .payload
                    .get("cids")
                    .filter(|c| c.is_array())
                    .cloned()
                    .unwrap_or(Value::Array(Vec::new()));
                let body = serde_json::json!({ "cids": cids }).to_string();
                Self::reply(ctx, &frame, true, &body);
            }
            other => {
                log::warn!("{}: unknown event `{other}`", frame.topic);
                Self::reply_reason(ctx, &frame, "unknown event");
            }
        }
    }

    /// Sends a request to a view and answers the frame with its reply.
    fn ask<M>(&mut self, to: Recipient<M>, msg: M, frame: InFrame, ctx: &mut WebsocketContext<Self>)
    where
        M: actix::Message<Result = Result<Reply, ViewError>> + Send + 'static,
    {
        if self.in_flight >= self.config.max_in_flight {
            Self::reply_reason(ctx, &frame, "too many requests");
            return;
        }
        self.in_flight += 1;
        let join_ref: Arc<str> = frame.join_ref.as_deref().unwrap_or_default().into();
        let seq = match self.views.get_mut(frame.topic.as_str()) {
            Some(joined) => {
                joined.asked += 1;
                joined.asked
            }
            None => 0,
        };
        let fut = to.send(msg).into_actor(self).map(move |res, act, ctx| {
            act.in_flight -= 1;
            act.completed(seq, &join_ref, frame, res, ctx);
        });
        ctx.spawn(fut);
    }

    /// Writes the answer to request `seq` of a view, in the order the requests came: actix
    /// polls the futures of a context last-first, so answers ready in the same turn would
    /// otherwise go out reversed (the client would end on an older state).
    fn completed(
        &mut self,
        seq: u64,
        join_ref: &Arc<str>,
        frame: InFrame,
        res: Answer,
        ctx: &mut WebsocketContext<Self>,
    ) {
        let topic: Arc<str> = frame.topic.as_str().into();
        let in_order = match self.views.get_mut(&topic) {
            Some(joined) if joined.join_ref == *join_ref => {
                if seq != joined.answered + 1 {
                    joined.done.insert(seq, (frame, res));
                    return;
                }
                true
            }
            // The view is gone or was replaced: nothing to keep in order with.
            _ => false,
        };
        self.finish(&frame, res, join_ref, ctx);
        if !in_order {
            return;
        }
        loop {
            let Some(joined) = self.views.get_mut(&topic) else {
                return;
            };
            if joined.join_ref != *join_ref {
                return;
            }
            joined.answered += 1;
            let next = joined.answered + 1;
            let Some((frame, res)) = joined.done.remove(&next) else {
                return;
            };
            self.finish(&frame, res, join_ref, ctx);
        }
    }

    fn finish(
        &mut self,
        frame: &InFrame,
        res: Answer,
        join_ref: &str,
        ctx: &mut WebsocketContext<Self>,
    ) {
        match res {
            Ok(Ok(reply)) => self.answer(frame, reply, ctx),
            Ok(Err(e)) => {
                // A crash: the supervisor restarts the view, which pushes a full render.
                log::warn!("{}: {e}", frame.topic);
                Self::reply(ctx, frame, true, "{}");
            }
            Err(e) => {
                log::warn!("{}: view unreachable: {e}", frame.topic);
                Self::reply(ctx, frame, true, "{}");
            }
        }
        self.replied(&frame.topic, join_ref, ctx);
    }

    fn answer(&mut self, frame: &InFrame, reply: Reply, ctx: &mut WebsocketContext<Self>) {
        match reply.navigation {
            None => {
                let body = diff_body(reply.diff.as_deref());
                Self::reply(ctx, frame, true, &body);
            }
            Some(Navigation::Patch { to, replace }) => {
                self.push_event(
                    ctx,
                    &frame.topic,
                    "live_patch",
                    &nav_payload(&to, Some(replace)),
                );
                let body = diff_body(reply.diff.as_deref());
                Self::reply(ctx, frame, true, &body);
                self.patch_from_server(&frame.topic, &to, ctx);
            }
            Some(Navigation::Navigate { to, replace, flash }) => {
                let body = format!(
                    "{{\"live_redirect\":{}}}",
                    self.nav_flash(&to, Some(replace), &flash)
                );
                Self::reply(ctx, frame, true, &body);
            }
            Some(Navigation::Redirect { to, flash }) => {
                let body = format!("{{\"redirect\":{}}}", self.nav_flash(&to, None, &flash));
                Self::reply(ctx, frame, true, &body);
                self.close_view(&frame.topic, ctx);
            }
        }
    }

    /// Runs `handle_params` after a server-side `push_patch` and pushes the resulting diff.
    fn patch_from_server(&mut self, topic: &str, to: &str, ctx: &mut WebsocketContext<Self>) {
        self.patch_chain(topic, to, 1, ctx);
    }

    /// One link of a chain of `push_patch`es made by `handle_params` itself: each runs
    /// `handle_params` again, and, as in Phoenix, more than [`MAX_PATCH_CHAIN`] in a row are a
    /// redirect loop that crashes the channel (`phx_error`; the client rejoins).
    fn patch_chain(
        &mut self,
        topic: &str,
        to: &str,
        depth: usize,
        ctx: &mut WebsocketContext<Self>,
    ) {
        if depth > MAX_PATCH_CHAIN {
            log::error!(
                "{topic}: more than {MAX_PATCH_CHAIN} consecutive push_patch from handle_params"
            );
            if let Some(joined) = self.views.get(topic) {
                let jr = Some(&*joined.join_ref);
                transport::send(
                    ctx,
                    encode_push(jr, jr, topic, "phx_error", "{\"reason\":\"channel_crash\"}"),
                );
            }
            self.drop_view(topic);
            return;
        }
        let Some(joined) = self.views.get(topic) else {
            return;
        };
        let Some(params) = self.authorizer.resolve_patch(&joined.view, to) else {
            log::warn!("{topic}: push_patch to {to}, which routes to another view");
            return;
        };
        let to_view = joined.recipients.params.clone();
        let join_ref = Arc::clone(&joined.join_ref);
        let topic: Arc<str> = topic.into();
        let msg = HandleParams {
            params,
            uri: to.to_owned(),
        };
        let fut = to_view
            .send(msg)
            .into_actor(self)
            .map(move |res, act, ctx| {
                let mut next = None;
                if let Ok(Ok(reply)) = res {
                    if let Some(diff) = reply.diff {
                        act.push_event(ctx, &topic, "diff", &diff);
                    }
                    if let Some(Navigation::Patch { to, replace }) = reply.navigation {
                        act.push_event(ctx, &topic, "live_patch", &nav_payload(&to, Some(replace)));
                        next = Some(to);
                    }
                }
                act.replied(&topic, &join_ref, ctx);
                if let Some(to) = next {
                    act.patch_chain(&topic, &to, depth + 1, ctx);
                }
            });
        ctx.spawn(fut);
    }

    fn push_event(
        &self,
        ctx: &mut WebsocketContext<Self>,
        topic: &str,
        event: &str,
        payload: &str,
    ) {
        if let Some(joined) = self.views.get(topic) {
            transport::send(
                ctx,
                encode_push(Some(&joined.join_ref), None, topic, event, payload),
            );
        }
    }

    /// Stops a view and tells the client the channel is closed (`phx_close`).
    fn close_view(&mut self, topic: &str, ctx: &mut WebsocketContext<Self>) {
        if let Some(joined) = self.views.remove(topic) {
            let jr = Some(&*joined.join_ref);
            transport::send(ctx, encode_push(jr, jr, topic, "phx_close", "{}"));
            joined.recipients.shutdown.do_send(Shutdown);
        }
    }

    fn drop_view(&mut self, topic: &str) {
        if let Some(joined) = self.views.remove(topic) {
            joined.recipients.shutdown.do_send(Shutdown);
        }
    }

    fn join(&mut self, frame: InFrame, ctx: &mut WebsocketContext<Self>) {
        let topic: Arc<str> = frame.topic.as_str().into();
        let Some(join_ref) = frame.join_ref.clone().or_else(|| frame.reference.clone()) else {
            Self::reply_reason(ctx, &frame, "missing join ref");
            return;
        };
        // A join runs a mount (a database query in a real app): it spends a token like an event.
        if !self.take_token() {
            log::warn!("{topic}: join rate limit exceeded");
            Self::reply_reason(ctx, &frame, "rate limited");
            return;
        }
        // A second join on a joined topic replaces the old view, as Phoenix does.
        if self.views.contains_key(&topic) {
            self.close_view(&topic, ctx);
        }
        if self.views.len() >= self.config.max_views {
            Self::reply_reason(ctx, &frame, "too many channels joined");
            return;
        }
        let p = &frame.payload;
        let (url, live_navigation) = match (p.get("redirect"), p.get("url")) {
            (Some(Value::String(r)), _) => (Some(r.as_str()), true),
            (_, Some(Value::String(u))) => (Some(u.as_str()), false),
            _ => (None, false),
        };
        let empty = Value::Object(serde_json::Map::new());
        let request = JoinRequest {
            topic_id: topic.strip_prefix("lv:").unwrap_or(&topic),
            session_token: p.get("session").and_then(Value::as_str).unwrap_or_default(),
            static_token: p
                .get("static")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty()),
            url,
            live_navigation,
            params: p.get("params").unwrap_or(&empty),
            flash: p.get("flash").and_then(Value::as_str),
        };
        let authorized = match self.authorizer.authorize(&request) {
            Ok(a) => a,
            Err(refusal) => {
                log::info!("{topic}: join refused: {}", refusal.reason());
                Self::reply_reason(ctx, &frame, refusal.reason());
                return;
            }
        };
        let Some(entry) = self.registry.get(&authorized.view) else {
            Self::reply_reason(ctx, &frame, "stale");
            return;
        };
        let args = SpawnArgs {
            topic: Arc::clone(&topic),
            join_ref: join_ref.as_str().into(),
            params: authorized.params,
            session: authorized.session,
            uri: authorized.uri,
            push: ctx.address().recipient(),
            mailbox: self.config.view_mailbox,
            restart: self.config.restart,
            flash: authorized.flash,
            stall_limit: self.config.stall_limit,
        };
        let recipients = entry.spawn(args);
        self.views.insert(
            Arc::clone(&topic),
            Joined {
                join_ref: join_ref.as_str().into(),
                view: authorized.view,
                recipients: recipients.clone(),
                replies: 0,
                held: std::collections::VecDeque::new(),
                asked: 0,
                answered: 0,
                done: std::collections::BTreeMap::new(),
            },
        );
        let join_ref: Arc<str> = join_ref.into();
        let fut = recipients
            .mount
            .send(Mount)
            .into_actor(self)
            .map(move |res, act, ctx| {
                let still_current = act
                    .views
                    .get(&topic)
                    .is_some_and(|j| j.join_ref == join_ref);
                match res {
                    Ok(Ok(MountOutcome::Rendered {
                        rendered,
                        live_patch,
                    })) => {
                        let mut body = String::with_capacity(rendered.len() + 64);
                        body.push_str("{\"rendered\":");
                        body.push_str(&rendered);
                        body.push_str(",\"liveview_version\":\"");
                        body.push_str(LIVEVIEW_VERSION);
                        body.push('"');
                        if let Some(Navigation::Patch { to, replace }) = live_patch {
                            body.push_str(",\"live_patch\":");
                            body.push_str(&nav_payload(&to, Some(replace)));
                        }
                        body.push('}');
                        Self::reply(ctx, &frame, true, &body);
                        act.replied(&topic, &join_ref, ctx);
                    }
                    Ok(Ok(MountOutcome::Navigated(nav))) => {
                        let body = match nav {
                            Navigation::Redirect { to, flash } => {
                                format!("{{\"redirect\":{}}}", act.nav_flash(&to, None, &flash))
                            }
                            Navigation::Navigate { to, replace, flash } => {
                                let p = act.nav_flash(&to, Some(replace), &flash);
                                format!("{{\"live_redirect\":{p}}}")
                            }
                            Navigation::Patch { to, replace } => {
                                format!("{{\"live_redirect\":{}}}", nav_payload(&to, Some(replace)))
                            }
                        };
                        Self::reply(ctx, &frame, false, &body);
                        if still_current {
                            act.drop_view(&topic);
                        }
                    }
                    Ok(Err(e)) => {
                        log::warn!("{topic}: mount failed: {e}");
                        Self::reply_reason(ctx, &frame, "join crashed");
                        if still_current {
                            act.drop_view(&topic);
                        }
                    }
                    Err(e) => {
                        log::warn!("{topic}: view unreachable at mount: {e}");
                        Self::reply_reason(ctx, &frame, "join crashed");
                        if still_current {
                            act.drop_view(&topic);
                        }
                    }
                }
            });
        ctx.spawn(fut);
    }
}

/// `{"reason": reason}`, the response of an error reply.
fn reason_body(reason: &str) -> String {
    let mut r = String::from("{\"reason\":");
    push_json_str(&mut r, reason);
    r.push('}');
    r
}

fn diff_body(diff: Option<&str>) -> String {
    match diff {
        Some(d) => {
            let mut s = String::with_capacity(d.len() + 10);
            s.push_str("{\"diff\":");
            s.push_str(d);
            s.push('}');
            s
        }
        None => "{}".to_owned(),
    }
}

impl SessionActor {
    /// [`nav_payload`] plus the flash, signed by the authoriser, when there is one.
    fn nav_flash(&self, to: &str, replace: Option<bool>, flash: &crate::view::Flash) -> String {
        let mut s = nav_payload(to, replace);
        let token = (!flash.is_empty()).then(|| self.authorizer.sign_flash(flash));
        if let Some(token) = token.flatten() {
            s.pop();
            s.push_str(",\"flash\":");
            push_json_str(&mut s, &token);
            s.push('}');
        }
        s
    }
}

/// `{"to":…,"kind":"push"|"replace"}` (no kind for a full redirect).
fn nav_payload(to: &str, replace: Option<bool>) -> String {
    let mut s = String::from("{\"to\":");
    push_json_str(&mut s, to);
    if let Some(replace) = replace {
        s.push_str(if replace {
            ",\"kind\":\"replace\""
        } else {
            ",\"kind\":\"push\""
        });
    }
    s.push('}');
    s
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
        for (_, joined) in self.views.drain() {
            joined.recipients.shutdown.do_send(Shutdown);
        }
    }
}

impl Handler<ViewPush> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: ViewPush, ctx: &mut Self::Context) {
        let Some(joined) = self.views.get_mut(&msg.topic) else {
            return;
        };
        if joined.join_ref != msg.join_ref {
            return;
        }
        if msg.after_replies > joined.replies || !joined.held.is_empty() {
            if joined.held.len() >= MAX_HELD_PUSHES {
                log::warn!(
                    "{}: too many pushes waiting on replies; closing the view",
                    msg.topic
                );
                let topic = Arc::clone(&msg.topic);
                self.close_view(&topic, ctx);
                return;
            }
            joined.held.push_back(msg);
            return;
        }
        self.deliver(msg, ctx);
    }
}

impl SessionActor {
    /// Counts a reply of the view on `topic` as seen, and sends the pushes that waited on it.
    fn replied(&mut self, topic: &str, join_ref: &str, ctx: &mut WebsocketContext<Self>) {
        let Some(joined) = self.views.get_mut(topic) else {
            return;
        };
        if &*joined.join_ref != join_ref {
            return;
        }
        joined.replies += 1;
        while let Some(joined) = self.views.get_mut(topic) {
            let ready = joined
                .held
                .front()
                .is_some_and(|p| p.after_replies <= joined.replies);
            if !ready {
                break;
            }
            let Some(push) = joined.held.pop_front() else {
                break;
            };
            self.deliver(push, ctx);
        }
    }

    /// Sends one push of a current view to the client.
    fn deliver(&mut self, msg: ViewPush, ctx: &mut WebsocketContext<Self>) {
        let jr = Some(&*msg.join_ref);
        match msg.kind {
            PushKind::Diff(diff) => {
                transport::send(ctx, encode_push(jr, None, &msg.topic, "diff", &diff));
            }
            PushKind::Navigate(Navigation::Patch { to, replace }) => {
                let payload = nav_payload(&to, Some(replace));
                transport::send(
                    ctx,
                    encode_push(jr, None, &msg.topic, "live_patch", &payload),
                );
                self.patch_from_server(&msg.topic, &to, ctx);
            }
            PushKind::Navigate(Navigation::Navigate { to, replace, flash }) => {
                let payload = self.nav_flash(&to, Some(replace), &flash);
                transport::send(
                    ctx,
                    encode_push(jr, None, &msg.topic, "live_redirect", &payload),
                );
            }
            PushKind::Navigate(Navigation::Redirect { to, flash }) => {
                let payload = self.nav_flash(&to, None, &flash);
                transport::send(ctx, encode_push(jr, None, &msg.topic, "redirect", &payload));
                self.close_view(&msg.topic, ctx);
            }
            PushKind::Crashed => {
                transport::send(
                    ctx,
                    encode_push(
                        jr,
                        jr,
                        &msg.topic,
                        "phx_error",
                        "{\"reason\":\"channel_crash\"}",
                    ),
                );
                self.drop_view(&msg.topic);
            }
            PushKind::GaveUp { uri } => {
                let payload = nav_payload(&uri, None);
                transport::send(ctx, encode_push(jr, None, &msg.topic, "redirect", &payload));
                self.close_view(&msg.topic, ctx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_events_are_decoded_and_meta_merged() {
        let e = HandleEvent::from_payload(&json!({
            "type": "form", "event": "save",
            "value": "user%5Bname%5D=jose", "meta": {"_target": "user[name]"}, "uploads": {}
        }));
        assert_eq!(e.kind, "form");
        assert_eq!(
            e.value,
            json!({"user": {"name": "jose"}, "_target": "user[name]"})
        );
    }

    #[test]
    fn click_values_pass_through_and_cid_is_read() {
        let e = HandleEvent::from_payload(&json!({
            "type": "click", "event": "inc", "value": {"value": "", "id": "4"}, "cid": 3
        }));
        assert_eq!(e.value, json!({"value": "", "id": "4"}));
        assert_eq!(e.cid, Some(3));
    }

    #[test]
    fn navigation_payloads_name_their_kind() {
        assert_eq!(
            nav_payload("/a?b=1", Some(false)),
            r#"{"to":"/a?b=1","kind":"push"}"#
        );
        assert_eq!(nav_payload("/x", None), r#"{"to":"/x"}"#);
    }
}
