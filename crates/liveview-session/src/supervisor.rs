//! Restart policy of supervised view actors: how often a crashing view may restart before the
//! runtime gives up on it.
//!
//! actix's `Supervisor` restarts an actor that *stops* while something still holds its
//! address, keeping the actor struct; it does not catch panics (a panicking handler closes the
//! mailbox for good). So every user callback runs under `catch_unwind`: a panic becomes a stop,
//! the supervisor restarts the actor, and `ViewActor::restarting` mounts a fresh instance of
//! the view from the join parameters and pushes a full render. A message in flight when the
//! view crashed is answered with an empty reply; its effect is lost. More than
//! [`RestartPolicy::max_restarts`] restarts within [`RestartPolicy::within`] end the crash
//! loop: the client is told to reload the page.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// At most `max_restarts` restarts within `within` (default: 3 in 5 seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestartPolicy {
    /// Restarts allowed inside the window.
    pub max_restarts: usize,
    /// The sliding window.
    pub within: Duration,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        Self {
            max_restarts: 3,
            within: Duration::from_secs(5),
        }
    }
}

/// The restarts of one view, for the sliding window.
#[derive(Debug, Default)]
pub(crate) struct RestartLog {
    at: VecDeque<Instant>,
}

impl RestartLog {
    /// Records a restart now; false when it exceeds the policy.
    pub(crate) fn allow(&mut self, policy: &RestartPolicy, now: Instant) -> bool {
        while self
            .at
            .front()
            .is_some_and(|t| now.duration_since(*t) > policy.within)
        {
            self.at.pop_front();
        }
        self.at.push_back(now);
        self.at.len() <= policy.max_restarts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_three_restarts_in_five_seconds_then_refuses() {
        let p = RestartPolicy::default();
        let mut log = RestartLog::default();
        let t0 = Instant::now();
        assert!(log.allow(&p, t0));
        assert!(log.allow(&p, t0 + Duration::from_secs(1)));
        assert!(log.allow(&p, t0 + Duration::from_secs(2)));
        assert!(!log.allow(&p, t0 + Duration::from_secs(3)));
    }

    #[test]
    fn forgets_restarts_outside_the_window() {
        let p = RestartPolicy::default();
        let mut log = RestartLog::default();
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(log.allow(&p, t0 + Duration::from_millis(i)));
        }
        assert!(log.allow(&p, t0 + Duration::from_secs(6)));
    }
}
