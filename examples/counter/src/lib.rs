//! The counter: one number, two buttons, live. The binary (`src/main.rs`) serves it; tests
//! build the same app from [`app`].

use actix_web::web::ServiceConfig;
use liveview::prelude::*;

/// The counter's assigns: what the template shows, one tracked assign per field.
#[derive(Debug, LiveAssigns)]
pub struct State {
    /// The number shown in `#count`.
    pub count: i64,
}

/// The counter's events: `#inc` sends `inc`, `#dec` sends `dec`.
#[derive(Debug, LiveEvent)]
pub enum Msg {
    /// One more.
    Inc,
    /// One less.
    Dec,
}

/// A counter: `#count` shows the number, `#inc` and `#dec` change it.
#[derive(Debug, Default)]
pub struct Counter;

impl LiveView for Counter {
    type Info = ();
    type Event = Msg;

    fn mount(
        &mut self,
        _params: &Params,
        _session: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(State { count: 0 }).page_title("Count: 0");
        Ok(())
    }

    fn update(&mut self, msg: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let delta = match msg {
            Msg::Inc => 1,
            Msg::Dec => -1,
        };
        socket.update(State::count, |n| *n += delta);
        let title = format!("Count: {}", socket.assigns()[State::count]);
        socket.page_title(title);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            h1 { "Count: " span #count { (assigns[State::count]) } }
            button #inc phx-click=(Msg::Inc) { "+" }
            button #dec phx-click=(Msg::Dec) { "-" }
        }
    }
}

/// The live configuration: the counter at `/`, signed with `$SECRET_KEY_BASE`
/// (a random secret when it is not set).
pub fn live_config() -> LiveConfig {
    let live = LiveConfig::from_env();
    live.live::<Counter>("/")
}

/// The app: pass it to `App::configure`.
///
/// ```
/// # actix_web::rt::System::new().block_on(async {
/// use actix_web::{test, App};
///
/// let app = test::init_service(App::new().configure(example_counter::app(example_counter::live_config()))).await;
/// let res = test::call_service(&app, test::TestRequest::get().uri("/").to_request()).await;
/// assert!(res.status().is_success());
/// # });
/// ```
pub fn app(live: LiveConfig) -> impl FnOnce(&mut ServiceConfig) {
    liveview::config(live)
}
