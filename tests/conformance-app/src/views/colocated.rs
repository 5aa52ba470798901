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

/// The phone number submitted last.
const PHONE: Key<String> = Key::new("phone");

/// The events of [`ColocatedLive`].
#[derive(Debug, LiveEvent)]
pub enum ColocatedMsg {
    /// The form, with `user[phone_number]`.
    #[event(rename = "submit-phone", at = "user")]
    SubmitPhone(Value),
    /// Push a JS command to the page.
    #[event(rename = "push-js")]
    PushJs,
}

impl LiveView for ColocatedLive {
    type Info = ();
    type Event = ColocatedMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(PHONE, String::new());
        Ok(())
    }

    fn update(&mut self, msg: ColocatedMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            ColocatedMsg::SubmitPhone(user) => {
                let phone = user
                    .get("phone_number")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                socket.assign(PHONE, phone);
            }
            ColocatedMsg::PushJs => {
                let cmd = JS::new().toggle(Args::new().to("#hello")).to_string();
                socket.push_event("js:exec", serde_json::json!({ "cmd": cmd }));
            }
        }
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            form phx-submit=(ColocatedMsg::submit_phone) {
                input #user-phone-number type="text" name="user[phone_number]" phx-hook="PhoneNumber";
            }
            p #phone { (assigns[PHONE]) }
            div #runtime phx-hook="Runtime" style="display: none;" { "Runtime hook works!" }
            button phx-click=(ColocatedMsg::PushJs) { "Push JS from server" }
            h1 #hello { "Hello!" }
        }
    }
}
