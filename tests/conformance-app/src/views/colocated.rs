//! `/colocated` (E2E_SCENARIOS.md §5.15): COL-01, COL-02, with the colocated hooks and the
//! colocated `js_exec` module written as ordinary hooks and a page script. COL-03…06 are
//! build-time Elixir features (macro components, scoped CSS): stage 5.

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::js::{Args, JS};
use crate::layout::PageOpts;
use crate::router::Family;

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    // Outside any live_session in Phoenix (custom layout).
    live.live::<ColocatedLive>("/colocated")
}

fn page(path: &str) -> Option<PageOpts> {
    (path == "/colocated").then_some(PageOpts {
        socket_opts: "{reloadJitterMin: 50, reloadJitterMax: 500}",
        pre_script: PRE_SCRIPT,
        after_connect: JS_EXEC,
        ..PageOpts::default()
    })
}

/// The colocated hooks: `.PhoneNumber` formats 10 digits as `ddd-ddd-dddd`; the runtime hook
/// `.Runtime` shows its element.
const PRE_SCRIPT: &str = r#"
window.hooks.PhoneNumber = {
  mounted() {
    this.el.addEventListener("input", () => {
      const match = this.el.value.replace(/\D/g, "").match(/^(\d{3})(\d{3})(\d{4})$/);
      if (match) this.el.value = `${match[1]}-${match[2]}-${match[3]}`;
    });
  }
};
window.hooks.Runtime = { mounted() { this.js().show(this.el); } };
"#;

/// The colocated JS module `js_exec`: runs JS commands pushed by the server.
const JS_EXEC: &str = r#"
window.addEventListener("phx:js:exec", (e) => liveSocket.execJS(liveSocket.main.el, e.detail.cmd));
"#;

/// `/colocated`.
#[derive(Debug, Default)]
pub struct ColocatedLive;

impl LiveView for ColocatedLive {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("phone", String::new());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "submit-phone" => {
                let phone = value
                    .pointer("/user/phone_number")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                socket.assign("phone", phone);
                Ok(())
            }
            "push-js" => {
                let cmd = JS::new().toggle(Args::new().to("#hello")).to_string();
                socket.push_event("js:exec", serde_json::json!({ "cmd": cmd }));
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let phone: String = assigns.get("phone");
        html! {
            form phx-submit="submit-phone" {
                input #user-phone-number type="text" name="user[phone_number]" phx-hook="PhoneNumber";
            }
            p #phone { (phone) }
            div #runtime phx-hook="Runtime" style="display: none;" { "Runtime hook works!" }
            button phx-click="push-js" { "Push JS from server" }
            h1 #hello { "Hello!" }
        }
    }
}
