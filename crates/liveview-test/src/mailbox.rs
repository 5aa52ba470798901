//! The record of one view actor's traffic: every typed message it received and every reply
//! and push it sent, in order, with the waiting and consuming that `assert_receive!` uses.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use liveview_session::{MountOutcome, Navigation, Params, PushKind};
use serde_json::Value;

/// How long [`assert_receive!`](crate::assert_receive) and friends wait by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// How often a waiting assertion looks at the mailbox again.
const POLL_EVERY: Duration = Duration::from_millis(2);

/// A message a view actor received (a command, or an info message).
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// [`Mount`](liveview_session::Mount).
    Mount,
    /// [`HandleEvent`](liveview_session::HandleEvent).
    Event {
        /// `click`, `form`, `keydown`, ...
        kind: String,
        /// The event name.
        event: String,
        /// The decoded value the view's `handle_event` sees.
        value: Value,
        /// The target component.
        cid: Option<u64>,
    },
    /// [`HandleParams`](liveview_session::HandleParams).
    Params {
        /// The new parameters.
        params: Params,
        /// The new URL.
        uri: String,
    },
    /// [`Info`](liveview_session::Info), shown with the message's `Debug` output.
    Info {
        /// `format!("{:?}", message)`.
        message: String,
    },
    /// [`Shutdown`](liveview_session::Shutdown).
    Shutdown,
    /// [`DestroyComponents`](liveview_session::DestroyComponents): the browser's
    /// `cids_will_destroy` or `cids_destroyed`.
    Destroy(liveview_session::DestroyComponents),
}

/// A message a view actor sent: the answer to a command, or a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    /// The answer to [`Mount`](liveview_session::Mount).
    Mounted(MountOutcome),
    /// The answer to [`DestroyComponents`](liveview_session::DestroyComponents): the CIDs
    /// deleted.
    Destroyed(Vec<u32>),
    /// The answer to an event or a patch.
    Reply {
        /// The diff (wire JSON), `None` when nothing changed.
        diff: Option<String>,
        /// A navigation the callback asked for.
        navigation: Option<Navigation>,
    },
    /// A command answered with an error (a crash, an unreachable view).
    Error {
        /// The error's message.
        message: String,
        /// Whether a panic caused it (the view restarts).
        crashed: bool,
    },
    /// A [`ViewPush`](liveview_session::ViewPush) to the session.
    Push(PushKind),
}

/// One line of a [`Mailbox`].
#[derive(Debug, Clone, PartialEq)]
pub enum MailboxEntry {
    /// Received by the view.
    In(Inbound),
    /// Sent by the view.
    Out(Outbound),
}

/// What a [`Mailbox`] records: something received (`In`) or sent (`Out`) by the side under
/// test. Implemented by [`MailboxEntry`] (a view actor's typed messages) and
/// [`FrameEntry`](crate::socket::FrameEntry) (a server's websocket frames).
pub trait Entry: Clone + fmt::Debug {
    /// What was received.
    type In: Clone + fmt::Debug;
    /// What was sent.
    type Out: Clone + fmt::Debug;

    /// The received message, when this is one.
    fn inbound(&self) -> Option<&Self::In>;

    /// The sent message, when this is one.
    fn outbound(&self) -> Option<&Self::Out>;
}

impl Entry for MailboxEntry {
    type In = Inbound;
    type Out = Outbound;

    fn inbound(&self) -> Option<&Inbound> {
        match self {
            Self::In(m) => Some(m),
            Self::Out(_) => None,
        }
    }

    fn outbound(&self) -> Option<&Outbound> {
        match self {
            Self::Out(m) => Some(m),
            Self::In(_) => None,
        }
    }
}

#[derive(Debug)]
struct Log<E> {
    entries: Vec<E>,
    consumed: Vec<bool>,
}

/// The recorded traffic of one view actor, shared between the recording proxy and the test.
///
/// Every entry stays in [`Mailbox::entries`] (the full history, in order). The assertion
/// macros also *consume* what they match, as Elixir's `assert_receive` does, so that
/// [`assert_no_more!`](crate::assert_no_more) can say nothing else arrived.
///
/// ```
/// use liveview_test::{Inbound, Mailbox, MailboxEntry};
///
/// # actix::System::new().block_on(async {
/// let mailbox = Mailbox::new();
/// mailbox.record(MailboxEntry::In(Inbound::Mount));
/// liveview_test::assert_receive!(mailbox, Inbound::Mount);
/// liveview_test::assert_no_more!(mailbox);
/// # });
/// ```
///
/// A mailbox is generic over what it records: [`MailboxEntry`] for a view actor (the default),
/// [`FrameEntry`](crate::socket::FrameEntry) for the frames of a socket-mode test.
pub struct Mailbox<E = MailboxEntry> {
    log: Arc<Mutex<Log<E>>>,
}

impl<E> Clone for Mailbox<E> {
    fn clone(&self) -> Self {
        Self {
            log: Arc::clone(&self.log),
        }
    }
}

impl<E> Default for Mailbox<E> {
    fn default() -> Self {
        Self {
            log: Arc::new(Mutex::new(Log {
                entries: Vec::new(),
                consumed: Vec::new(),
            })),
        }
    }
}

impl<E: Entry> fmt::Debug for Mailbox<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.lock().entries.iter()).finish()
    }
}

impl<E: Entry> Mailbox<E> {
    /// An empty mailbox.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Log<E>> {
        // A test that panicked while holding the lock poisons it; the log is still sound.
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends an entry (the recording proxy does this; tests rarely need to).
    pub fn record(&self, entry: E) {
        let mut log = self.lock();
        log.entries.push(entry);
        log.consumed.push(false);
    }

    /// Every entry so far, in order, consumed or not.
    pub fn entries(&self) -> Vec<E> {
        self.lock().entries.clone()
    }

    /// The entry at `index` of [`Mailbox::entries`].
    pub fn get(&self, index: usize) -> Option<E> {
        self.lock().entries.get(index).cloned()
    }

    /// Every message received so far, in order.
    pub fn inbound(&self) -> Vec<E::In> {
        self.lock()
            .entries
            .iter()
            .filter_map(|e| e.inbound().cloned())
            .collect()
    }

    /// Every message sent so far, in order.
    pub fn outbound(&self) -> Vec<E::Out> {
        self.lock()
            .entries
            .iter()
            .filter_map(|e| e.outbound().cloned())
            .collect()
    }

    /// How many entries were recorded.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries no assertion has consumed yet, in order.
    pub fn pending(&self) -> Vec<E> {
        let log = self.lock();
        log.entries
            .iter()
            .zip(&log.consumed)
            .filter(|(_, c)| !**c)
            .map(|(e, _)| e.clone())
            .collect()
    }

    /// Consumes and returns every pending entry (Elixir's `flush`), e.g. the mount's traffic
    /// before asserting on what an event does.
    pub fn flush(&self) -> Vec<E> {
        let mut log = self.lock();
        let mut out = Vec::new();
        let Log { entries, consumed } = &mut *log;
        for (e, c) in entries.iter().zip(consumed.iter_mut()) {
            if !*c {
                *c = true;
                out.push(e.clone());
            }
        }
        out
    }

    /// Marks the entries at `indices` consumed.
    pub(crate) fn consume(&self, indices: &[usize]) {
        let mut log = self.lock();
        for &i in indices {
            if let Some(c) = log.consumed.get_mut(i) {
                *c = true;
            }
        }
    }

    /// Consumes the first pending entry `matches` accepts, waiting up to `timeout` for it.
    ///
    /// # Panics
    ///
    /// When none arrives in time; the message names `what` and lists the pending entries.
    pub async fn receive(
        &self,
        what: &str,
        timeout: Duration,
        mut matches: impl FnMut(&E) -> bool,
    ) -> E {
        let deadline = Instant::now() + timeout;
        loop {
            {
                let mut log = self.lock();
                let Log { entries, consumed } = &mut *log;
                let hit = entries
                    .iter()
                    .zip(consumed.iter())
                    .position(|(e, c)| !*c && matches(e));
                if let Some(i) = hit {
                    consumed[i] = true;
                    return entries[i].clone();
                }
            }
            if Instant::now() >= deadline {
                panic!(
                    "no message matching `{what}` arrived within {timeout:?}\n{}",
                    self.describe_pending()
                );
            }
            actix_rt::time::sleep(POLL_EVERY).await;
        }
    }

    /// Lets the messages already in flight arrive, then checks that every entry was consumed.
    ///
    /// # Panics
    ///
    /// When an entry no assertion consumed is left, listing them.
    pub async fn assert_no_more(&self) {
        // Messages already sent are delivered within a few turns of the event loop.
        for _ in 0..8 {
            actix_rt::task::yield_now().await;
        }
        let pending = self.pending();
        if !pending.is_empty() {
            panic!(
                "expected no more messages, but {} arrived unasserted:\n{}",
                pending.len(),
                list(&pending)
            );
        }
    }

    fn describe_pending(&self) -> String {
        let pending = self.pending();
        let consumed = self.len() - pending.len();
        if pending.is_empty() {
            format!("the mailbox holds nothing unconsumed ({consumed} consumed earlier)")
        } else {
            format!(
                "the mailbox holds, unconsumed ({consumed} consumed earlier):\n{}",
                list(&pending)
            )
        }
    }
}

pub(crate) fn list<E: fmt::Debug>(entries: &[E]) -> String {
    entries
        .iter()
        .map(|e| format!("  {e:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Waits for the view to receive a message matching a pattern, and consumes it.
///
/// Matches [`Inbound`] entries of a [`Mailbox`] (pass `view.mailbox()`), with an optional
/// `if` guard, waiting up to [`DEFAULT_TIMEOUT`] (or `timeout = <Duration>`). Evaluates to
/// the matched [`Inbound`]. It awaits, so it is used inside an async test.
///
/// ```
/// use liveview_test::{assert_receive, Inbound, Mailbox, MailboxEntry};
/// use std::time::Duration;
///
/// # actix::System::new().block_on(async {
/// let mailbox = Mailbox::new();
/// mailbox.record(MailboxEntry::In(Inbound::Event {
///     kind: "click".into(), event: "inc".into(), value: serde_json::json!({}), cid: None,
/// }));
/// let got = assert_receive!(mailbox, Inbound::Event { event, .. } if event == "inc");
/// assert!(matches!(got, Inbound::Event { .. }));
/// # });
/// ```
#[macro_export]
macro_rules! assert_receive {
    ($mailbox:expr, $pat:pat $(if $guard:expr)?, timeout = $timeout:expr $(,)?) => {{
        let __entry = ($mailbox)
            .receive(
                concat!("In(", stringify!($pat $(if $guard)?), ")"),
                $timeout,
                |__e| {
                    $crate::Entry::inbound(__e)
                        .is_some_and(|__m| matches!(__m, $pat $(if $guard)?))
                },
            )
            .await;
        $crate::Entry::inbound(&__entry)
            .cloned()
            .expect("the matched entry is inbound")
    }};
    ($mailbox:expr, $pat:pat $(if $guard:expr)? $(,)?) => {
        $crate::assert_receive!($mailbox, $pat $(if $guard)?, timeout = $crate::DEFAULT_TIMEOUT)
    };
}

/// Waits for the view to send (reply or push) a message matching a pattern, and consumes it.
///
/// The outbound twin of [`assert_receive!`]: matches [`Outbound`] entries and evaluates to the
/// matched one.
///
/// ```
/// use liveview_session::PushKind;
/// use liveview_test::{assert_sent, Mailbox, MailboxEntry, Outbound};
///
/// # actix::System::new().block_on(async {
/// let mailbox = Mailbox::new();
/// mailbox.record(MailboxEntry::Out(Outbound::Push(PushKind::Diff(r#"{"0":"1"}"#.into()))));
/// assert_sent!(mailbox, Outbound::Push(PushKind::Diff(d)) if d.contains("\"1\""));
/// # });
/// ```
#[macro_export]
macro_rules! assert_sent {
    ($mailbox:expr, $pat:pat $(if $guard:expr)?, timeout = $timeout:expr $(,)?) => {{
        let __entry = ($mailbox)
            .receive(
                concat!("Out(", stringify!($pat $(if $guard)?), ")"),
                $timeout,
                |__e| {
                    $crate::Entry::outbound(__e)
                        .is_some_and(|__m| matches!(__m, $pat $(if $guard)?))
                },
            )
            .await;
        $crate::Entry::outbound(&__entry)
            .cloned()
            .expect("the matched entry is outbound")
    }};
    ($mailbox:expr, $pat:pat $(if $guard:expr)? $(,)?) => {
        $crate::assert_sent!($mailbox, $pat $(if $guard)?, timeout = $crate::DEFAULT_TIMEOUT)
    };
}

/// Asserts that every entry of a [`Mailbox`] was consumed by an assertion (or
/// [`Mailbox::flush`]), after letting messages in flight arrive.
///
/// ```should_panic
/// use liveview_test::{assert_no_more, Inbound, Mailbox, MailboxEntry};
///
/// # actix::System::new().block_on(async {
/// let mailbox = Mailbox::new();
/// mailbox.record(MailboxEntry::In(Inbound::Shutdown));
/// assert_no_more!(mailbox); // panics: `In(Shutdown)` arrived unasserted
/// # });
/// ```
#[macro_export]
macro_rules! assert_no_more {
    ($mailbox:expr $(,)?) => {
        ($mailbox).assert_no_more().await
    };
}
