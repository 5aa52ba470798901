//! Errors of the test harness: why a view could not be mounted for a test.

use liveview_session::ViewError;

/// Why [`LiveBuilder::try_mount`](crate::LiveBuilder::try_mount) or
/// [`LiveViewTest::try_connect`](crate::LiveViewTest::try_connect) did not give a mounted view.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Mount (dead or connected) asked to go elsewhere: a redirect or a live navigation.
    #[error("the view redirected to `{to}` while mounting")]
    Redirected {
        /// Where to.
        to: String,
    },
    /// A callback returned an error (or panicked) during the dead render or the mount.
    #[error("the view failed to mount")]
    Mount(#[source] ViewError),
    /// Socket mode: the server refused the join (`stale`, `unauthorized`, `join crashed`, ...).
    #[error("the server refused the join: {reason}")]
    Refused {
        /// The reply's `reason`.
        reason: String,
    },
    /// Socket mode: the page's GET was answered with neither `200` nor a redirect.
    #[error("the page answered status {status}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The response body.
        body: String,
    },
    /// Socket mode: the page, its tokens or the websocket could not be had.
    #[error("cannot connect: {0}")]
    Connect(String),
}
