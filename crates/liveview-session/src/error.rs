//! Errors of the view runtime.

use std::fmt;

/// Why a view callback failed.
///
/// Callbacks return it to refuse an event or abort a mount; the runtime logs it and answers
/// the client the way Phoenix does (an empty reply to an event, a join error for a mount).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ViewError {
    /// No variant of the view's `Event` enum, and no arm of its `handle_event`, names the
    /// event.
    #[error("unknown event `{event}`; add a variant to the view's `#[derive(LiveEvent)]` enum (named `{event}`, or with `#[event(rename = \"{event}\")]`), or handle it in `LiveView::handle_event`")]
    UnknownEvent {
        /// The event name the client sent.
        event: String,
    },
    /// A callback panicked; the view restarts.
    #[error("view crashed: {0}")]
    Crashed(String),
    /// The view actor is gone (stopped, or its mailbox closed).
    #[error("view is not running")]
    NotRunning(#[source] actix::MailboxError),
    /// A callback asked to navigate to a target that is not a local path (see
    /// [`LocalPath`](crate::LocalPath)); the navigation did not happen.
    #[error(transparent)]
    InvalidNavigation(#[from] crate::InvalidTarget),
    /// Any other failure of the application.
    #[error("{0}")]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl ViewError {
    /// An event no clause handles.
    pub fn unknown_event(event: impl fmt::Display) -> Self {
        Self::UnknownEvent {
            event: event.to_string(),
        }
    }

    /// Wraps any application error.
    pub fn other(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Other(err.into())
    }

    /// Whether a panic caused it.
    pub fn is_crash(&self) -> bool {
        matches!(self, Self::Crashed(_))
    }
}
