//! The one outgoing path of a view joined on a websocket: everything the view sends (answers
//! to the session's requests, diffs from `handle_info` and timers, navigations, crashes) goes,
//! in the order the view made it, into one queue that its session drains into the socket in
//! the same poll. Ordering holds by construction: there is no second path to race with.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

use crate::error::ViewError;
use crate::message::{MountOutcome, PushKind, Reply};
use crate::view::Params;

/// One item of a view's output.
#[derive(Debug)]
pub(crate) enum Out {
    /// A finished frame answering a request (written by the view in one buffer).
    Answer(String),
    /// A finished `diff` push frame.
    Pushed(String),
    /// An answer that navigates: the session signs the flash and writes it.
    Navigated {
        reference: Option<Box<str>>,
        reply: Reply,
    },
    /// The answer to the join.
    Joined {
        reference: Option<Box<str>>,
        result: Result<MountOutcome, ViewError>,
    },
    /// Anything else pushed: navigations, a crash, giving up (never `PushKind::Diff`).
    Push(PushKind),
}

impl Out {
    /// Whether this answers a request (and so ends one request in flight).
    pub(crate) fn answers(&self) -> bool {
        matches!(
            self,
            Self::Answer(_) | Self::Navigated { .. } | Self::Joined { .. }
        )
    }
}

/// Resolves a URL the view patches to into its parameters, or `None` when it routes elsewhere.
pub(crate) type PatchResolver = Rc<dyn Fn(&str) -> Option<Params>>;

/// The shared end of a view's output queue, and what the view needs from its session to run
/// a live patch itself.
#[derive(Clone)]
pub(crate) struct Outlet {
    pub(crate) queue: Rc<RefCell<VecDeque<Out>>>,
    pub(crate) resolve: PatchResolver,
}

impl fmt::Debug for Outlet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outlet")
            .field("queued", &self.queue.borrow().len())
            .finish_non_exhaustive()
    }
}

impl Outlet {
    pub(crate) fn new(resolve: PatchResolver) -> Self {
        Self {
            queue: Rc::new(RefCell::new(VecDeque::new())),
            resolve,
        }
    }

    pub(crate) fn send(&self, out: Out) {
        self.queue.borrow_mut().push_back(out);
    }

    pub(crate) fn next(&self) -> Option<Out> {
        self.queue.borrow_mut().pop_front()
    }
}
