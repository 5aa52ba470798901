//! Limits and timeouts of one websocket session and its views.

use crate::supervisor::RestartPolicy;

/// Limits and timeouts of one websocket session and its views.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Close a socket that sent nothing for this long (Phoenix: 60 s).
    pub idle_timeout: std::time::Duration,
    /// The largest frame read at all; larger ones close the socket with 1009 before they are
    /// buffered (4 MiB).
    pub max_frame_bytes: usize,
    /// The largest message handled (1 MiB). A larger frame, up to
    /// [`max_frame_bytes`](Self::max_frame_bytes), is answered with the error reply
    /// `{"reason":"event too large"}` and the socket stays up, so a form with an oversized
    /// value keeps what the user typed instead of looping through closes and form recovery.
    pub max_event_bytes: usize,
    /// The most views one socket may join at once.
    pub max_views: usize,
    /// The most requests a socket may have waiting on its views; more are refused.
    pub max_in_flight: usize,
    /// Mailbox capacity of each view actor.
    pub view_mailbox: usize,
    /// How often a crashing view may restart.
    pub restart: RestartPolicy,
    /// Events per second a socket may send (a token bucket of this size per second).
    pub max_events_per_sec: u32,
    /// How long a view started on its own with a push recipient keeps trying to push to one
    /// that does not take its pushes before it stops (30 s). The views of a websocket session
    /// run in its task and freeze while their client does not read (the kernel resets such a
    /// connection after [`SEND_TIMEOUT`](crate::SEND_TIMEOUT)), so this limit does not apply to
    /// them.
    pub stall_limit: std::time::Duration,
    /// How long the views of a socket that dropped without `phx_leave` (network loss, not
    /// navigation) stay alive for their client to rejoin and re-attach to them, state intact
    /// (30 s; zero stops them at once, as Phoenix does). They keep receiving PubSub messages
    /// meanwhile and count in [`live_view_count`](crate::live_view_count). See
    /// `docs/guides/lifecycle.md`.
    pub reconnect_grace: std::time::Duration,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle_timeout: std::time::Duration::from_secs(60),
            max_frame_bytes: 4 * 1024 * 1024,
            max_event_bytes: 1024 * 1024,
            max_views: 64,
            max_in_flight: 32,
            view_mailbox: 64,
            restart: RestartPolicy::default(),
            max_events_per_sec: 1000,
            stall_limit: std::time::Duration::from_secs(30),
            reconnect_grace: std::time::Duration::from_secs(30),
        }
    }
}
