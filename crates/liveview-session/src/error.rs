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
    /// The page cannot be shown, with an HTTP status to say why (`404` for a record that does
    /// not exist): the dead render answers with that status and the message; a live join or
    /// patch that meets it loads the page over HTTP, which shows the same answer. Built with
    /// [`ViewError::not_found`] or [`ViewError::status`].
    #[error("{status}: {message}")]
    Status {
        /// The HTTP status, 400 to 599 (anything else answers 500).
        status: u16,
        /// Shown on the error page: say what was not found, not why internally.
        message: String,
    },
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

    /// `404 Not Found`, with a message shown on the page (Phoenix raises `Ecto.NoResultsError`
    /// for the same answer).
    ///
    /// ```
    /// use liveview_session::ViewError;
    ///
    /// let e = ViewError::not_found("no poll 7");
    /// assert_eq!(e.http_status(), Some(404));
    /// assert_eq!(e.to_string(), "404: no poll 7");
    /// ```
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::status(404, message)
    }

    /// Any HTTP status from 400 to 599 (`403`, `410`, `503`…), with a message shown on the
    /// page; another number answers 500.
    pub fn status(status: u16, message: impl Into<String>) -> Self {
        Self::Status {
            status,
            message: message.into(),
        }
    }

    /// The HTTP status the dead render answers with: the one given to
    /// [`ViewError::status`] (400–599), `None` for every other error (a 500).
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } if (400..=599).contains(status) => Some(*status),
            _ => None,
        }
    }

    /// Whether a panic caused it.
    pub fn is_crash(&self) -> bool {
        matches!(self, Self::Crashed(_))
    }
}
