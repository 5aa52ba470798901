//! Errors of the test harness: why a view could not be mounted for a test.

use liveview_session::ViewError;

/// Why [`LiveBuilder::try_mount`](crate::LiveBuilder::try_mount) did not give a mounted view.
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
}
