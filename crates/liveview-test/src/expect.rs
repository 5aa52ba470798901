//! Expectations on a [`Mailbox`], tracing-mock style: declare the messages a test expects up
//! front, run the test, then check they arrived in that order (and, with
//! [`Expect::only`], that nothing else did).

use std::fmt;
use std::time::{Duration, Instant};

use crate::mailbox::{list, Entry, Mailbox, DEFAULT_TIMEOUT};

/// How often a waiting check looks at the mailbox again.
const POLL_EVERY: Duration = Duration::from_millis(2);

type Matcher<E> = Box<dyn Fn(&E) -> bool>;

/// One expected message: a description for failure messages and a test on the entry.
struct Expected<E> {
    what: String,
    matches: Matcher<E>,
}

/// Messages a test expects a [`Mailbox`] to record from now on, checked by
/// [`Expect::assert_finished`].
///
/// Built by [`LiveViewTest::expect`](crate::LiveViewTest::expect) or [`Mailbox::expect`]; it
/// only looks at entries recorded after it was built. Declare each message with
/// [`expect_received!`](crate::expect_received) / [`expect_sent!`](crate::expect_sent) (a
/// pattern, like `assert_receive!`) or [`Expect::received`] / [`Expect::sent`] (a closure),
/// optionally call [`Expect::only`], run the code under test, then call
/// [`Expect::assert_finished`]. The entries it matches are consumed, as
/// [`assert_receive!`](crate::assert_receive) consumes them.
///
/// ```
/// use liveview_test::{expect_received, expect_sent, Inbound, Mailbox, MailboxEntry, Outbound};
///
/// # actix::System::new().block_on(async {
/// let mailbox = Mailbox::new();
/// let mut expect = mailbox.expect();
/// expect_received!(expect, Inbound::Event { event, .. } if event == "inc");
/// expect_sent!(expect, Outbound::Reply { diff: Some(_), .. });
/// expect.only();
///
/// // ... the code under test; here, by hand:
/// mailbox.record(MailboxEntry::In(Inbound::Event {
///     kind: "click".into(), event: "inc".into(), value: serde_json::json!({}), cid: None,
/// }));
/// mailbox.record(MailboxEntry::Out(Outbound::Reply { diff: Some(r#"{"0":"1"}"#.into()), navigation: None }));
///
/// expect.assert_finished().await;
/// # });
/// ```
pub struct Expect<E: Entry> {
    mailbox: Mailbox<E>,
    start: usize,
    expected: Vec<Expected<E>>,
    only: bool,
    timeout: Duration,
}

impl<E: Entry> fmt::Debug for Expect<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expect")
            .field("start", &self.start)
            .field(
                "expected",
                &self.expected.iter().map(|e| &e.what).collect::<Vec<_>>(),
            )
            .field("only", &self.only)
            .finish_non_exhaustive()
    }
}

impl<E: Entry + 'static> Mailbox<E> {
    /// Starts declaring the messages this mailbox should record from now on (see [`Expect`]).
    pub fn expect(&self) -> Expect<E> {
        Expect {
            mailbox: self.clone(),
            start: self.len(),
            expected: Vec::new(),
            only: false,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl<E: Entry + 'static> Expect<E> {
    /// Expects an entry `matches` accepts; `what` names it in failure messages.
    pub fn message(
        &mut self,
        what: impl Into<String>,
        matches: impl Fn(&E) -> bool + 'static,
    ) -> &mut Self {
        self.expected.push(Expected {
            what: what.into(),
            matches: Box::new(matches),
        });
        self
    }

    /// Expects a received message (`In`) that `matches` accepts.
    pub fn received(
        &mut self,
        what: &str,
        matches: impl Fn(&E::In) -> bool + 'static,
    ) -> &mut Self {
        self.message(format!("In({what})"), move |e| {
            e.inbound().is_some_and(&matches)
        })
    }

    /// Expects a sent message (`Out`) that `matches` accepts.
    pub fn sent(&mut self, what: &str, matches: impl Fn(&E::Out) -> bool + 'static) -> &mut Self {
        self.message(format!("Out({what})"), move |e| {
            e.outbound().is_some_and(&matches)
        })
    }

    /// Any received message.
    pub fn any_received(&mut self) -> &mut Self {
        self.received("_", |_| true)
    }

    /// Any sent message.
    pub fn any_sent(&mut self) -> &mut Self {
        self.sent("_", |_| true)
    }

    /// The expected messages are the only ones: each entry recorded from now on must be the
    /// next expected one, and none may follow the last.
    pub fn only(&mut self) -> &mut Self {
        self.only = true;
        self
    }

    /// How long [`Expect::assert_finished`] waits for the messages (default
    /// [`DEFAULT_TIMEOUT`]).
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// Waits until every expected message arrived, in the declared order, and consumes them.
    /// With [`Expect::only`], it then lets messages in flight arrive and checks none did.
    ///
    /// # Panics
    ///
    /// When an expected message does not arrive in time (naming it and listing what arrived),
    /// or, with `only`, when another message arrives before, between or after them.
    pub async fn assert_finished(&self) {
        let deadline = Instant::now() + self.timeout;
        let mut next = self.start;
        let mut matched = Vec::with_capacity(self.expected.len());
        for (n, expected) in self.expected.iter().enumerate() {
            loop {
                if let Some(entry) = self.mailbox.get(next) {
                    next += 1;
                    if (expected.matches)(&entry) {
                        matched.push(next - 1);
                        break;
                    }
                    if self.only {
                        panic!(
                            "expected `{}` (expectation {} of {}), but got {entry:?}\n{}",
                            expected.what,
                            n + 1,
                            self.expected.len(),
                            self.since()
                        );
                    }
                    continue;
                }
                if Instant::now() >= deadline {
                    panic!(
                        "expected `{}` (expectation {} of {}) within {:?}, but it did not arrive\n{}",
                        expected.what,
                        n + 1,
                        self.expected.len(),
                        self.timeout,
                        self.since()
                    );
                }
                actix_rt::time::sleep(POLL_EVERY).await;
            }
        }
        if self.only {
            for _ in 0..8 {
                actix_rt::task::yield_now().await;
            }
            let extra: Vec<E> = (next..self.mailbox.len())
                .filter_map(|i| self.mailbox.get(i))
                .collect();
            if !extra.is_empty() {
                panic!(
                    "expected only the {} declared message(s), but {} more arrived:\n{}",
                    self.expected.len(),
                    extra.len(),
                    list(&extra)
                );
            }
        }
        self.mailbox.consume(&matched);
    }

    fn since(&self) -> String {
        let seen: Vec<E> = (self.start..self.mailbox.len())
            .filter_map(|i| self.mailbox.get(i))
            .collect();
        if seen.is_empty() {
            "nothing was recorded since `expect()`".to_owned()
        } else {
            format!("recorded since `expect()`:\n{}", list(&seen))
        }
    }
}

/// Declares a received message an [`Expect`] waits for, by pattern (with an optional `if`
/// guard), as [`assert_receive!`](crate::assert_receive) matches it.
///
/// ```
/// # use liveview_test::{expect_received, Inbound, Mailbox, MailboxEntry};
/// # actix::System::new().block_on(async {
/// let mailbox = Mailbox::new();
/// let mut expect = mailbox.expect();
/// expect_received!(expect, Inbound::Mount);
/// mailbox.record(MailboxEntry::In(Inbound::Mount));
/// expect.assert_finished().await;
/// # });
/// ```
#[macro_export]
macro_rules! expect_received {
    ($expect:expr, $pat:pat $(if $guard:expr)? $(,)?) => {
        ($expect).received(stringify!($pat $(if $guard)?), move |__m| {
            matches!(__m, $pat $(if $guard)?)
        })
    };
}

/// Declares a sent message an [`Expect`] waits for, by pattern: the outbound twin of
/// [`expect_received!`].
///
/// ```
/// # use liveview_session::PushKind;
/// # use liveview_test::{expect_sent, Mailbox, MailboxEntry, Outbound};
/// # actix::System::new().block_on(async {
/// let mailbox = Mailbox::new();
/// let mut expect = mailbox.expect();
/// expect_sent!(expect, Outbound::Push(PushKind::Diff(d)) if d.contains("1"));
/// mailbox.record(MailboxEntry::Out(Outbound::Push(PushKind::Diff(r#"{"0":"1"}"#.into()))));
/// expect.assert_finished().await;
/// # });
/// ```
#[macro_export]
macro_rules! expect_sent {
    ($expect:expr, $pat:pat $(if $guard:expr)? $(,)?) => {
        ($expect).sent(stringify!($pat $(if $guard)?), move |__m| {
            matches!(__m, $pat $(if $guard)?)
        })
    };
}
