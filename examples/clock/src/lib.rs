//! The clock: the server pushes the time every second, with no event from the browser. The
//! binary (`src/main.rs`) serves it; tests build the same app from [`app`].
//!
//! A periodic push is a timer re-armed in `handle_info`: `mount` (when connected) calls
//! [`Socket::send_after`] once, and every [`Tick`] it delivers schedules the next one. There is
//! always exactly one timer per view, it stops with the view (actix drops a stopped actor's
//! timers), and a view that crashes and restarts arms a fresh one in its new `mount`.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::web::ServiceConfig;
use liveview::prelude::*;

/// The message the timer delivers to [`Clock`]'s `handle_info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tick;

/// The clock's assigns.
#[derive(Debug, LiveAssigns)]
pub struct State {
    /// The time shown in `#clock`, `HH:MM:SS` in UTC.
    pub time: String,
    /// The ticks since the page connected, in `#ticks`.
    pub ticks: u64,
}

/// Where the clock reads the time (the system clock, or a fake in tests).
pub type TimeSource = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// A clock: `#clock` shows the UTC time (`HH:MM:SS`), `#ticks` how many ticks arrived since
/// the page connected.
pub struct Clock {
    interval: Duration,
    now: TimeSource,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock")
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

impl Default for Clock {
    /// Ticks every second, reading the system clock.
    fn default() -> Self {
        Self::new(Duration::from_secs(1), Arc::new(SystemTime::now))
    }
}

impl Clock {
    /// A clock ticking every `interval`, reading the time from `now`.
    pub fn new(interval: Duration, now: TimeSource) -> Self {
        Self { interval, now }
    }
}

/// `HH:MM:SS` of `t` in UTC (times before 1970 show `00:00:00`).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let t = UNIX_EPOCH + Duration::from_secs(86_400 + 13 * 3600 + 4 * 60 + 5);
/// assert_eq!(example_clock::utc_hms(t), "13:04:05");
/// ```
pub fn utc_hms(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) % 86_400;
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

impl LiveView for Clock {
    type Info = Tick;
    type Event = ();

    fn mount(
        &mut self,
        _params: &Params,
        _session: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket
            .assign_all(State {
                time: utc_hms((self.now)()),
                ticks: 0,
            })
            .page_title("Clock");
        // Ignored in the dead render: only a connected view has a timer.
        socket.send_after(self.interval, Tick);
        Ok(())
    }

    fn handle_info(&mut self, _tick: Tick, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket
            .assign(State::time, utc_hms((self.now)()))
            .update(State::ticks, |n| *n += 1);
        // Re-arm: one timer at a time, for as long as the view runs.
        socket.send_after(self.interval, Tick);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            h1 { "Clock" }
            p { "UTC " time #clock { (assigns[State::time]) } }
            p { "Ticks: " span #ticks { (assigns[State::ticks]) } }
        }
    }
}

/// The live configuration: the clock at `/`, signed with `$SECRET_KEY_BASE`
/// (a random secret when it is not set).
pub fn live_config() -> LiveConfig {
    let live = LiveConfig::from_env();
    live.live::<Clock>("/")
}

/// The app: pass it to `App::configure`.
///
/// ```
/// # actix_web::rt::System::new().block_on(async {
/// use actix_web::{test, App};
///
/// let app = test::init_service(App::new().configure(example_clock::app(example_clock::live_config()))).await;
/// let res = test::call_service(&app, test::TestRequest::get().uri("/").to_request()).await;
/// assert!(res.status().is_success());
/// # });
/// ```
pub fn app(live: LiveConfig) -> impl FnOnce(&mut ServiceConfig) {
    liveview::config(live)
}
