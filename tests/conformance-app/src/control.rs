//! Test control (E2E_SCENARIOS.md §1.3, §1.5), compiled into this app only.
//!
//! * The `sandbox:eval` event: Phoenix's e2e app evaluates Elixir sent by `evalLV`; here the
//!   event's `value.value` is a JSON command, handled by [`intercept`] at the top of every
//!   view's `handle_event`, before the view's own clauses. It replies `{"result": ...}` (the
//!   hook reply `r`, which is what `evalLV` resolves with). Commands:
//!   - `{"op": "event", "event": E, "params": P}`: run the view's own `handle_event(E, P)`;
//!   - `{"op": "info", "msg": M}`: deliver `M` (decoded by [`Control::info`]) to `handle_info`;
//!   - anything else: the view's [`Control::control`] (e.g. `{"op": "inc"}`, `{"op": "assign"}`).
//! * `POST /eval` ([`http_eval`]): commands that do not go through a view's socket. Today:
//!   `{"op": "release", "gate": G, "event": E}` releases one event held by [`hold`] (the
//!   `{:sync, event}` message of FRM-12/13), and `{"op": "ping"}`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use actix_web::{web, HttpResponse};
use liveview::prelude::*;
use serde_json::json;

/// The event name `evalLV` pushes.
pub const EVAL_EVENT: &str = "sandbox:eval";

/// A view that accepts test-control commands.
pub trait Control: LiveView {
    /// A view-specific command; the default refuses it.
    fn control(&mut self, cmd: &Value, socket: &mut Socket<Self>) -> Result<Value, ViewError> {
        let _ = socket;
        Err(ViewError::other(format!("unknown control command {cmd}")))
    }

    /// Decodes an info message sent with `{"op": "info", "msg": ...}`.
    fn info(msg: &Value) -> Option<Self::Info> {
        let _ = msg;
        None
    }
}

/// Handles `sandbox:eval`; `None` for every other event (the view handles it).
pub fn intercept<V: Control>(
    view: &mut V,
    event: &str,
    value: &Value,
    socket: &mut Socket<V>,
) -> Option<Result<(), ViewError>> {
    if event != EVAL_EVENT {
        return None;
    }
    let cmd = value.get("value").cloned().unwrap_or(Value::Null);
    let result = match cmd.get("op").and_then(Value::as_str) {
        Some("event") => {
            let name = cmd.get("event").and_then(Value::as_str).unwrap_or_default();
            let params = cmd.get("params").cloned().unwrap_or_else(|| json!({}));
            view.handle_event(name, &params, socket)
                .map(|()| Value::Null)
        }
        Some("info") => match cmd.get("msg").and_then(V::info) {
            Some(msg) => view.handle_info(msg, socket).map(|()| Value::Null),
            None => Err(ViewError::other(format!("undecodable info {cmd}"))),
        },
        _ => view.control(&cmd, socket),
    };
    Some(result.map(|v| {
        if v.is_null() {
            socket.reply(json!({}));
        } else {
            socket.reply(json!({ "result": v }));
        }
    }))
}

struct Gate {
    released: Mutex<VecDeque<String>>,
    cv: Condvar,
}

fn gates() -> &'static Mutex<HashMap<String, Arc<Gate>>> {
    static GATES: OnceLock<Mutex<HashMap<String, Arc<Gate>>>> = OnceLock::new();
    GATES.get_or_init(Default::default)
}

fn gate(name: &str) -> Arc<Gate> {
    let mut map = gates().lock().unwrap_or_else(|e| e.into_inner());
    Arc::clone(map.entry(name.to_owned()).or_insert_with(|| {
        Arc::new(Gate {
            released: Mutex::new(VecDeque::new()),
            cv: Condvar::new(),
        })
    }))
}

/// Blocks the calling view (its whole actor: later events queue behind it) until
/// `POST /eval {"op":"release","gate":gate,"event":event}` arrives, or `timeout` passes.
/// Returns whether it was released. The server runs several workers so that the release
/// request is not stuck behind the blocked thread.
pub fn hold(gate_name: &str, event: &str, timeout: Duration) -> bool {
    let g = gate(gate_name);
    let deadline = Instant::now() + timeout;
    let mut released = g.released.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if let Some(i) = released.iter().position(|e| e == event) {
            released.remove(i);
            return true;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        released =
            g.cv.wait_timeout(released, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
    }
}

/// `POST /eval`: see the module documentation.
pub async fn http_eval(body: web::Bytes) -> HttpResponse {
    let cmd: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return HttpResponse::BadRequest().json(json!({ "error": e.to_string() })),
    };
    match cmd.get("op").and_then(Value::as_str) {
        Some("ping") => HttpResponse::Ok().json(json!({ "result": "pong" })),
        Some("release") => {
            let name = cmd.get("gate").and_then(Value::as_str).unwrap_or("default");
            let event = cmd.get("event").and_then(Value::as_str).unwrap_or_default();
            let g = gate(name);
            g.released
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push_back(event.to_owned());
            g.cv.notify_all();
            HttpResponse::Ok().json(json!({ "result": "ok" }))
        }
        _ => HttpResponse::BadRequest().json(json!({ "error": format!("unknown command {cmd}") })),
    }
}
