//! The page around every view: the root + live layouts of Phoenix's e2e app (E2E_SCENARIOS.md
//! §2.1), with the per-route extras of §2.2 (LiveSocket options, `pre_script`,
//! `render_in_root`) and the choice of client (`LIVEVIEW_CLIENT=official|ours`).
//!
//! One layout serves every route: it reads the request path from the [`Page`] and asks the
//! route's family (its `page` function, see `router.rs`) for the extras.

use liveview::Page;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::router;

/// Which browser client the pages load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// `phoenix_live_view@1.2.12` + `phoenix@1.8.16`, served from `tests/conformance/node_modules`.
    Official,
    /// The embedded client at `/live/assets/liveview.js`.
    Ours,
}

impl Client {
    /// From `LIVEVIEW_CLIENT` (`ours` or `official`, the default).
    pub fn from_env() -> Self {
        match std::env::var("LIVEVIEW_CLIENT").as_deref() {
            Ok("ours") => Self::Ours,
            _ => Self::Official,
        }
    }
}

/// What one route adds to the default layouts (the assigns and custom layouts of §2.1-§2.2).
#[derive(Debug, Clone, Copy, Default)]
pub struct PageOpts {
    /// Extra LiveSocket options, a JS object literal (`{reloadJitterMin: 50}`).
    pub socket_opts: &'static str,
    /// A classic script run before the LiveSocket is built (registers `window.hooks.X`, adds
    /// window listeners): the `pre_script` assign.
    pub pre_script: &'static str,
    /// Markup placed in `<body>` before the LiveView container: `render_in_root`.
    pub root: &'static str,
    /// Extra `<head>` markup (styles).
    pub head: &'static str,
    /// A script run with the connected `liveSocket` as `liveSocket` (colocated `js_exec`).
    pub after_connect: &'static str,
}

/// CSS every page gets: the few utility rules the scenarios need (no CDN, §1.6), and the
/// container-state paragraphs of `/errors`.
const BASE_CSS: &str = "\
.hidden{display:none}\
.if-phx-error,.if-phx-client-error,.if-phx-server-error,.if-phx-disconnected,.if-phx-loading{display:none}\
.phx-error>.if-phx-error,.phx-client-error>.if-phx-client-error,.phx-server-error>.if-phx-server-error,\
.phx-disconnected>.if-phx-disconnected,.phx-loading>.if-phx-loading{display:block}";

/// The app's layout (`LiveConfig::layout`, with the client chosen at start-up): doctype,
/// head with the CSRF meta tag and the route's extras, the route's root markup and the
/// container in the body.
pub fn layout(page: &Page<'_>, client: Client) -> Markup {
    let opts = router::page_opts(page.request.path());
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title.unwrap_or("LiveView conformance")) }
                (page.head)
                (PreEscaped(head(&opts, client)))
            }
            body {
                (PreEscaped(opts.root))
                (page.content)
            }
        }
    }
}

/// The hooks and uploader of the default live layout (§2.1).
const SHARED_JS: &str = r#"
const FormHook = { mounted() { this.pushEvent("ping", {}, () => { this.el.innerText += "pong"; }); } };
const FormStreamHook = { mounted() { this.pushEvent("ping", {}, () => { this.el.innerText += "pong"; }); } };
const TestExternal = (entries) => {
  entries.forEach((entry) => {
    document.documentElement.dataset.externalUploadStarted = entry.ref;
    if (typeof entry.onCancel === "function") {
      entry.onCancel(() => { document.documentElement.dataset.externalUploadAborted = entry.ref; });
    }
  });
};
const csrfToken = document.querySelector("meta[name='csrf-token']").getAttribute("content");
const cascadePhxRemoveOnNavigation =
  new URLSearchParams(window.location.search).get("cascadePhxRemoveOnNavigation") !== "false";
"#;

/// The `<head>` extras for `opts`: base CSS, the route's styles, and the scripts that build
/// the LiveSocket of `client`.
fn head(opts: &PageOpts, client: Client) -> String {
    let socket_opts = if opts.socket_opts.is_empty() {
        "{}"
    } else {
        opts.socket_opts
    };
    let options = format!(
        "{{params: {{_csrf_token: csrfToken}}, hooks: {{FormHook, FormStreamHook, ...window.hooks}}, \
         uploaders: {{TestExternal}}, cascadePhxRemoveOnNavigation, ...({socket_opts})}}"
    );
    let after = format!(
        "{{ const liveSocket = window.liveSocket; {} }}",
        opts.after_connect
    );
    let mut head = format!("<style>{BASE_CSS}</style>{}", opts.head);
    match client {
        Client::Official => {
            head.push_str("<script>window.hooks = {};</script>");
            head.push_str(r#"<script src="/assets/phoenix/phoenix.min.js"></script>"#);
            if !opts.pre_script.is_empty() {
                head.push_str(&format!("<script>{}</script>", opts.pre_script));
            }
            head.push_str(&format!(
                "<script type=\"module\">\
                 import {{ LiveSocket }} from \"/assets/phoenix_live_view/phoenix_live_view.esm.js\";\
                 {SHARED_JS}\
                 const liveSocket = new LiveSocket(\"/live\", window.Phoenix.Socket, {options});\
                 liveSocket.connect();\
                 window.liveSocket = liveSocket;\
                 {after}\
                 </script>"
            ));
        }
        Client::Ours => {
            head.push_str(
                "<script>window.hooks = {}; window.liveViewAutoConnect = false;</script>",
            );
            if !opts.pre_script.is_empty() {
                head.push_str(&format!("<script>{}</script>", opts.pre_script));
            }
            head.push_str(&format!(
                "<script type=\"module\">\
                 import {{ LiveSocket }} from \"{entry}\";\
                 {SHARED_JS}\
                 const liveSocket = new LiveSocket(\"/live\", {options});\
                 liveSocket.connect();\
                 window.liveSocket = liveSocket;\
                 {after}\
                 </script>",
                entry = liveview::http::client_entry_url(),
            ));
        }
    }
    head
}
