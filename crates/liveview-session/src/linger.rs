//! Views that outlive their socket (issue 21): a view kept from its dead render for the join
//! that adopts it, and a view whose websocket dropped without `phx_leave`, kept alive for a
//! grace period for the rejoin that re-attaches to it. Both are *orphans*: a living view actor
//! with nobody reading its output, registered under a key that binds it to one browser page.
//!
//! # The key
//!
//! `topic` (the container id the page carries), the signed session token (`data-phx-session`)
//! and the page's CSRF token, exactly as the join presents them (the session token in the
//! join payload, the CSRF token as `params._csrf_token`). The join is claimed only after the
//! [`JoinAuthorizer`](crate::JoinAuthorizer) accepted it (the token's signature and age, the
//! socket's CSRF check against the cookie) and only for the same registered view: a token
//! replayed from another browser session fails the CSRF check, or, with another page's CSRF
//! token, finds nothing and mounts afresh. It never gets someone else's state.
//!
//! # Threads
//!
//! A view actor never leaves the thread (actix worker) it was created on: its state need not be
//! `Send`. An orphan runs in a task of its own on that thread ([`Driver`]), which polls the
//! view, discards what it sends while nobody listens, and stops it when its time is up. A join
//! that claims it, on any thread, sends it [`Ctl::Attach`]: the driver tells the view to take
//! the new join ref and answer with a full render of its current state, then relays every
//! frame the view writes to the new session as a [`Relayed`] message (one message hop per
//! frame, which the views a session mounts itself do not pay; see `view_task.rs`). Relaying is
//! bounded: when the session's mailbox is full the driver stops polling the view until there
//! is room, as a session that cannot write stops polling its own views.
//!
//! # Limits
//!
//! Views kept from dead renders are bounded per process in count and in bytes (the dead
//! render's HTML size, an estimate of the state it holds) by [`AdoptionLimits`]; the oldest is
//! stopped to make room. An orphan of a dropped socket holds its state and a mailbox of
//! [`SessionConfig::view_mailbox`](crate::SessionConfig::view_mailbox) messages; its output is
//! discarded as it is made, so it costs no more than the view did while connected.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use actix::clock::{sleep, Sleep};
use actix::{Actor, AsyncContext, Context, Handler, Message, Recipient};
use tokio::sync::mpsc;

use crate::dead_render::{DeadRender, DeadRenderer};
use crate::error::ViewError;
use crate::join::JoinAuthorizer;
use crate::message::{Call, Command, ViewPush};
use crate::outlet::{Out, Outlet};
use crate::registry::ViewFuture;
use crate::session::SessionActor;

/// How long an orphan claimed right at its deadline waits for the claim's `Attach`.
const CLAIM_WAIT: Duration = Duration::from_secs(5);

/// How long a relayed frame waits for room in a full session mailbox before the next try.
const RELAY_RETRY: Duration = Duration::from_millis(5);

/// Bounds on the views that dead renders keep for their joins to adopt (see
/// [`ViewEntry::adopt_dead_render`](crate::ViewEntry::adopt_dead_render)).
///
/// ```
/// use std::time::Duration;
/// use liveview_session::AdoptionLimits;
///
/// let limits = AdoptionLimits { ttl: Duration::from_secs(5), ..AdoptionLimits::default() };
/// assert_eq!(limits.max_views, 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdoptionLimits {
    /// How long a dead render's view waits for its join (10 s); then it stops, and a later
    /// join mounts afresh.
    pub ttl: Duration,
    /// The most views waiting at once in this process (1,024); the oldest stops to make room.
    pub max_views: usize,
    /// The most bytes they may hold at once, counted as the size of each dead render's HTML
    /// (64 MiB); the oldest stop to make room.
    pub max_bytes: usize,
}

impl Default for AdoptionLimits {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(10),
            max_views: 1024,
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The number of views kept from dead renders and not adopted (yet) in this process. Each is
/// also counted in [`live_view_count`](crate::live_view_count).
pub fn adoptable_view_count() -> usize {
    registry().adoptable
}

/// The number of views whose websocket dropped and which wait, alive, for their client to
/// rejoin (see [`SessionConfig::reconnect_grace`](crate::SessionConfig::reconnect_grace)).
/// Each is also counted in [`live_view_count`](crate::live_view_count).
pub fn orphaned_view_count() -> usize {
    let r = registry();
    r.map.len() - r.adoptable
}

/// The binding of an orphan to one page of one browser session (see the module docs).
pub(crate) fn key(topic: &str, session_token: &str, csrf_token: &str) -> Option<String> {
    if session_token.is_empty() {
        return None;
    }
    let mut key = String::with_capacity(topic.len() + session_token.len() + csrf_token.len() + 2);
    for part in [topic, "\0", session_token, "\0", csrf_token] {
        key.push_str(part);
    }
    Some(key)
}

/// The CSRF token a join carries (`params._csrf_token`), or "".
pub(crate) fn join_csrf(params: &serde_json::Value) -> &str {
    params
        .get("_csrf_token")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
}

/// What a driver is told from other threads.
pub(crate) enum Ctl {
    /// A join claimed the view: answer it through `session`, with `join_ref`.
    Attach {
        session: Recipient<Relayed>,
        join_ref: Arc<str>,
        reference: Option<Box<str>>,
        /// Resolves the view's live patches from now on (a dead render's view had none).
        authorizer: Arc<dyn JoinAuthorizer>,
    },
    /// The session the view was attached to is gone: wait `grace` for another rejoin. It
    /// hands back the view's address (`to`), so that the view never goes without one.
    Detach {
        grace: Duration,
        to: Recipient<Call>,
    },
    /// Stop now (evicted).
    Stop,
}

/// A frame a relayed view wrote, for the session it is attached to.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub(crate) struct Relayed {
    topic: Arc<str>,
    join_ref: Arc<str>,
    out: Out,
}

impl Handler<Relayed> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: Relayed, ctx: &mut Self::Context) {
        self.deliver(&msg.topic, &msg.join_ref, msg.out, ctx);
    }
}

/// One registered orphan.
struct Entry {
    view: Arc<str>,
    to: Recipient<Call>,
    ctl: mpsc::Sender<Ctl>,
    generation: u64,
    /// For a dead render's view: when it was kept, and its size.
    adoption: Option<(Instant, usize)>,
}

#[derive(Default)]
struct Registry {
    map: HashMap<String, Entry>,
    adoptable: usize,
    adoptable_bytes: usize,
}

impl Registry {
    fn remove(&mut self, key: &str) -> Option<Entry> {
        let entry = self.map.remove(key)?;
        if let Some((_, bytes)) = entry.adoption {
            self.adoptable -= 1;
            self.adoptable_bytes -= bytes;
        }
        Some(entry)
    }

    /// Stops the oldest views kept from dead renders until one of `bytes` fits.
    fn make_room(&mut self, limits: &AdoptionLimits, bytes: usize) {
        while self.adoptable > 0
            && (self.adoptable >= limits.max_views
                || self.adoptable_bytes + bytes > limits.max_bytes)
        {
            let oldest = self
                .map
                .iter()
                .filter_map(|(k, e)| e.adoption.map(|(at, _)| (at, k)))
                .min()
                .map(|(_, k)| k.clone());
            let Some(oldest) = oldest.and_then(|k| self.remove(&k)) else {
                return;
            };
            // A driver whose control queue is full stops at its deadline anyway.
            let _ = oldest.ctl.try_send(Ctl::Stop);
        }
    }
}

fn registry() -> MutexGuard<'static, Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    let lock = REGISTRY.get_or_init(Mutex::default);
    // A panic while holding the lock leaves the map consistent (every method restores it
    // before it can panic), so a poisoned lock is still usable.
    lock.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn next_generation() -> u64 {
    static GENERATION: AtomicU64 = AtomicU64::new(1);
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// A claimed orphan: the view's address and its driver's control.
pub(crate) struct Claim {
    pub(crate) to: Recipient<Call>,
    pub(crate) ctl: mpsc::Sender<Ctl>,
}

/// Where a dead render's view resolves its live patches, once a join gave it an authoriser.
type PatchVia = Rc<RefCell<Option<Arc<dyn JoinAuthorizer>>>>;

/// Takes the orphan registered under `key` for view `view`, if any.
pub(crate) fn claim(key: &str, view: &str) -> Option<Claim> {
    let mut registry = registry();
    if registry.map.get(key).is_none_or(|e| &*e.view != view) {
        return None;
    }
    let entry = registry.remove(key)?;
    Some(Claim {
        to: entry.to,
        ctl: entry.ctl,
    })
}

/// A view joined on a session, as far as lingering goes: what the session hands over when
/// its socket drops.
pub(crate) enum Handle {
    /// Nothing to keep (no session token, or lingering off).
    None,
    /// A view the session runs in its own task, through a slot it can take it back from.
    Local {
        slot: Rc<RefCell<Option<ViewFuture>>>,
        outlet: Outlet,
        key: String,
        view: Arc<str>,
        topic: Arc<str>,
    },
    /// A view relayed from its own driver (claimed from an orphan).
    Remote { ctl: mpsc::Sender<Ctl> },
}

impl Handle {
    /// A view the session runs itself, kept as `key` if its socket drops: the future for the
    /// session to poll, and the handle.
    pub(crate) fn local(
        task: ViewFuture,
        outlet: &Outlet,
        key: Option<String>,
        view: Arc<str>,
        topic: &Arc<str>,
    ) -> (ViewFuture, Self) {
        let Some(key) = key else {
            return (task, Self::None);
        };
        let slot = Rc::new(RefCell::new(Some(task)));
        let handle = Self::Local {
            slot: Rc::clone(&slot),
            outlet: outlet.clone(),
            key,
            view,
            topic: Arc::clone(topic),
        };
        (Box::pin(SlotFuture(slot)), handle)
    }

    /// The socket dropped: keep the view alive for `grace` (zero stops it now, as does a
    /// view that cannot be kept).
    pub(crate) fn orphan(self, to: Recipient<Call>, grace: Duration) {
        match self {
            Self::None => {}
            Self::Local {
                slot,
                outlet,
                key,
                view,
                topic,
            } => {
                if grace.is_zero() {
                    return;
                }
                let Some(task) = slot.borrow_mut().take() else {
                    return;
                };
                let driver = Driver::new(task, outlet, to, topic, view, key, None);
                driver.start(Kind::Dropped(grace));
            }
            Self::Remote { ctl } => {
                // A full control queue means the driver is stopping already.
                let _ = ctl.try_send(Ctl::Detach { grace, to });
            }
        }
    }
}

/// The future a session polls for a view it can hand over: the view's, until it is taken.
struct SlotFuture(Rc<RefCell<Option<ViewFuture>>>);

impl Future for SlotFuture {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<()> {
        match self.0.borrow_mut().as_mut() {
            Some(task) => task.as_mut().poll(cx),
            None => Poll::Ready(()),
        }
    }
}

/// Takes the pushes of views that have no session yet (a dead render's): never started, so
/// nothing is ever delivered to it. Views kept in a driver write to their outlet instead.
struct NoSession;

impl Actor for NoSession {
    type Context = Context<Self>;
}

impl Handler<ViewPush> for NoSession {
    type Result = ();

    fn handle(&mut self, _: ViewPush, _: &mut Context<Self>) {}
}

pub(crate) fn no_session() -> Recipient<ViewPush> {
    Context::<NoSession>::new().address().recipient()
}

/// A dead render's view, mounted and kept by an actor on this thread, waiting to be offered
/// for adoption ([`Adoptable::offer`]). Dropping it stops the view.
#[must_use = "an Adoptable view stops unless it is offered"]
pub struct Adoptable {
    task: ViewFuture,
    outlet: Outlet,
    to: Recipient<Call>,
    topic: Arc<str>,
    view: Arc<str>,
    bytes: usize,
    patch_via: PatchVia,
}

impl std::fmt::Debug for Adoptable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Adoptable")
            .field("topic", &self.topic)
            .field("view", &self.view)
            .finish_non_exhaustive()
    }
}

impl Adoptable {
    /// Keeps the view for the join of its page: the one that carries `session_token` (the
    /// page's `data-phx-session`) and `csrf_token` (the page's CSRF token, which clients send
    /// as `params._csrf_token`), within `limits`. False (and the view stops) when the token is
    /// empty.
    pub fn offer(self, session_token: &str, csrf_token: &str, limits: &AdoptionLimits) -> bool {
        let Some(key) = key(&self.topic, session_token, csrf_token) else {
            return false;
        };
        let bytes = self.bytes;
        let driver = Driver::new(
            self.task,
            self.outlet,
            self.to,
            self.topic,
            self.view,
            key,
            Some(self.patch_via),
        );
        driver.start(Kind::Adoption(*limits, bytes));
        true
    }
}

/// Runs a dead render in an actor that keeps the state (see
/// [`ViewEntry::dead_render_adoptable`](crate::ViewEntry::dead_render_adoptable)).
pub(crate) fn dead_render_kept(
    page: DeadRenderer<'_>,
    topic: &str,
    view: &Arc<str>,
    attach: impl FnOnce(
        crate::view_actor::SpawnArgs,
        Outlet,
    ) -> Result<(DeadRender, Option<(Recipient<Call>, ViewFuture)>), ViewError>,
) -> Result<(DeadRender, Option<Adoptable>), ViewError> {
    let topic: Arc<str> = Arc::from(format!("lv:{topic}"));
    let args = page.spawn_args(Arc::clone(&topic), no_session());
    // No live patch reaches the view before a join adopts it; from then on it resolves them
    // with the adopting session's authoriser.
    let patch_via: PatchVia = Rc::new(RefCell::new(None));
    let via = Rc::clone(&patch_via);
    let name = Arc::clone(view);
    let outlet = Outlet::new(Rc::new(move |url: &str| {
        let authorizer = via.borrow().clone()?;
        authorizer.resolve_patch(&name, url)
    }));
    let (page, kept) = attach(args, outlet.clone())?;
    let kept = kept.map(|(to, task)| Adoptable {
        bytes: match &page {
            DeadRender::Page { html, .. } => html.len(),
            DeadRender::Redirect { .. } => 0,
        },
        task,
        outlet,
        to,
        topic,
        view: Arc::clone(view),
        patch_via,
    });
    Ok((page, kept))
}

enum Address {
    Strong(Recipient<Call>),
    Weak(actix::WeakRecipient<Call>),
}

enum Kind {
    /// A dropped socket's view, kept this long.
    Dropped(Duration),
    /// A dead render's view, within these limits, of this size.
    Adoption(AdoptionLimits, usize),
}

enum State {
    /// Nobody listens: output is discarded; stops at `timer`.
    Orphan,
    /// Claimed: output is discarded until the view answers the join, then relayed.
    Attaching {
        session: Recipient<Relayed>,
        join_ref: Arc<str>,
    },
    /// Output is relayed to `session`.
    Attached {
        session: Recipient<Relayed>,
        join_ref: Arc<str>,
    },
}

/// An orphan's task: polls the view, discards or relays what it writes, stops it at its
/// deadline.
struct Driver {
    task: ViewFuture,
    outlet: Outlet,
    /// The view's address: strong while it is an orphan (it keeps the view alive), weak while
    /// attached (the session's address does; when the session forgets the view, it ends).
    to: Address,
    topic: Arc<str>,
    view: Arc<str>,
    key: String,
    ctl: mpsc::Receiver<Ctl>,
    me: mpsc::Sender<Ctl>,
    generation: u64,
    state: State,
    /// The orphan's deadline, or (attached) when to retry a relay that found no room.
    timer: Option<Pin<Box<Sleep>>>,
    /// A dead render's view: where it resolves live patches once adopted.
    patch_via: Option<PatchVia>,
    /// Whether the deadline already gave a claim's `Attach` its extra time.
    claim_waited: bool,
}

impl Driver {
    fn new(
        task: ViewFuture,
        outlet: Outlet,
        to: Recipient<Call>,
        topic: Arc<str>,
        view: Arc<str>,
        key: String,
        patch_via: Option<PatchVia>,
    ) -> Self {
        let (me, ctl) = mpsc::channel(4);
        Self {
            task,
            outlet,
            to: Address::Strong(to),
            topic,
            view,
            key,
            ctl,
            me,
            generation: 0,
            state: State::Orphan,
            timer: None,
            patch_via,
            claim_waited: false,
        }
    }

    /// Registers the view and runs the driver on this thread.
    fn start(mut self, kind: Kind) {
        let registered = match kind {
            Kind::Dropped(grace) => self.orphan(grace, None),
            Kind::Adoption(limits, bytes) => self.orphan(limits.ttl, Some((limits, bytes))),
        };
        if registered {
            actix::spawn(self);
        }
    }

    /// Registers the view for a claim, for `grace`; false when the view is gone.
    fn orphan(&mut self, grace: Duration, adoption: Option<(AdoptionLimits, usize)>) -> bool {
        let to = match &self.to {
            Address::Strong(to) => to.clone(),
            Address::Weak(weak) => match weak.upgrade() {
                Some(to) => to,
                None => return false,
            },
        };
        self.to = Address::Strong(to.clone());
        self.state = State::Orphan;
        self.claim_waited = false;
        self.generation = next_generation();
        self.timer = Some(Box::pin(sleep(grace)));
        let mut registry = registry();
        if let Some((limits, bytes)) = adoption {
            registry.make_room(&limits, bytes);
            registry.adoptable += 1;
            registry.adoptable_bytes += bytes;
        }
        let entry = Entry {
            view: Arc::clone(&self.view),
            to,
            ctl: self.me.clone(),
            generation: self.generation,
            adoption: adoption.map(|(_, bytes)| (Instant::now(), bytes)),
        };
        if let Some(old) = registry.map.insert(self.key.clone(), entry) {
            // Two views under one key (the same page joined twice): the older one goes.
            if let Some((_, bytes)) = old.adoption {
                registry.adoptable -= 1;
                registry.adoptable_bytes -= bytes;
            }
            let _ = old.ctl.try_send(Ctl::Stop);
        }
        true
    }

    /// Removes the registration, if it is still this driver's.
    /// Removes the registration, if it is still this driver's; false when it was not (a
    /// join claimed the view, or a newer registration replaced it).
    fn deregister(&self) -> bool {
        let mut registry = registry();
        if registry
            .map
            .get(&self.key)
            .is_some_and(|e| e.generation == self.generation)
        {
            registry.remove(&self.key);
            return true;
        }
        false
    }

    /// Applies a control message; false when the driver should stop.
    fn control(&mut self, ctl: Ctl) -> bool {
        match ctl {
            Ctl::Attach {
                session,
                join_ref,
                reference,
                authorizer,
            } => {
                self.timer = None;
                if let Some(via) = self.patch_via.take() {
                    *via.borrow_mut() = Some(authorizer);
                }
                let Address::Strong(to) = &self.to else {
                    return true;
                };
                to.do_send(Call {
                    reference,
                    command: Command::Rejoin(Arc::clone(&join_ref)),
                });
                // The claiming session holds the view's address from now on.
                self.to = Address::Weak(to.downgrade());
                crate::view_task::count_call();
                self.state = State::Attaching { session, join_ref };
                true
            }
            Ctl::Detach { grace, to } if !grace.is_zero() => {
                self.to = Address::Strong(to);
                self.orphan(grace, None)
            }
            Ctl::Detach { .. } | Ctl::Stop => false,
        }
    }

    /// Relays or discards the view's output; false when relaying found no room (the rest
    /// waits in the outlet).
    fn drain(&mut self) -> bool {
        while let Some(out) = self.outlet.next() {
            match &self.state {
                State::Orphan => {}
                State::Attaching { session, join_ref } => {
                    if matches!(out, Out::Joined { .. }) {
                        let (session, join_ref) = (session.clone(), Arc::clone(join_ref));
                        self.state = State::Attached { session, join_ref };
                        self.outlet.queue.borrow_mut().push_front(out);
                    }
                }
                State::Attached { session, join_ref } => {
                    let msg = Relayed {
                        topic: Arc::clone(&self.topic),
                        join_ref: Arc::clone(join_ref),
                        out,
                    };
                    match session.try_send(msg) {
                        Ok(()) => {}
                        Err(actix::prelude::SendError::Full(msg)) => {
                            self.outlet.queue.borrow_mut().push_front(msg.out);
                            self.timer = Some(Box::pin(sleep(RELAY_RETRY)));
                            return false;
                        }
                        Err(actix::prelude::SendError::Closed(_)) => {
                            // The session stopped; its `Detach` is on its way.
                            log::debug!("{}: relayed session gone", self.topic);
                        }
                    }
                }
            }
        }
        self.outlet.release();
        true
    }
}

impl Future for Driver {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            while let Poll::Ready(Some(ctl)) = this.ctl.poll_recv(cx) {
                if !this.control(ctl) {
                    this.deregister();
                    return Poll::Ready(());
                }
            }
            if let Some(timer) = this.timer.as_mut() {
                if timer.as_mut().poll(cx).is_ready() {
                    this.timer = None;
                    if matches!(this.state, State::Orphan) {
                        // A join that claimed the view just before its time was up sends
                        // `Attach` next: wait for it a little longer, not forever.
                        if !this.deregister() && !this.claim_waited {
                            this.claim_waited = true;
                            this.timer = Some(Box::pin(sleep(CLAIM_WAIT)));
                            continue;
                        }
                        log::debug!("{}: no rejoin in time; stopping", this.topic);
                        return Poll::Ready(());
                    }
                } else if matches!(this.state, State::Attached { .. }) {
                    // Waiting for room in the session's mailbox: the view waits too.
                    return Poll::Pending;
                }
            }
            if !this.drain() {
                continue;
            }
            if this.task.as_mut().poll(cx).is_ready() {
                this.drain();
                this.deregister();
                return Poll::Ready(());
            }
            if this.outlet.queue.borrow().is_empty() {
                return Poll::Pending;
            }
        }
    }
}
