//! The counter: one number, two buttons, live. The binary (`src/main.rs`) serves it; tests
//! build the same app from [`app`].

use actix_web::web::ServiceConfig;
use liveview::prelude::*;

/// A counter: `#count` shows the number, `#inc` and `#dec` change it.
#[derive(Debug, Default)]
pub struct Counter;

impl LiveView for Counter {
    type Info = ();

    fn mount(
        &mut self,
        _params: &Params,
        _session: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("count", 0_i64);
        socket.page_title("Count: 0");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "inc" => socket.update("count", |n: &mut i64| *n += 1),
            "dec" => socket.update("count", |n: &mut i64| *n -= 1),
            other => return Err(ViewError::unknown_event(other)),
        }
        let n: i64 = socket.assigns().get("count");
        socket.page_title(format!("Count: {n}"));
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let count: i64 = assigns.get("count");
        html! {
            h1 { "Count: " span #count { (count) } }
            button #inc phx-click="inc" { "+" }
            button #dec phx-click="dec" { "-" }
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
