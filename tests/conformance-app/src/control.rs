//! Test control (E2E_SCENARIOS.md §1.3, §1.5), compiled into this app only.
//!
//! * The `sandbox:eval` event: Phoenix's e2e app evaluates Elixir sent by `evalLV`; here the
//!   event's `value.value` is a JSON command, handled by [`eval`], an `on_event` hook that
//!   `router.rs` registers on every live session, so it runs before each view's own
//!   `handle_event`. It replies `{"result": ...}` (the hook reply `r`, which is what `evalLV`
//!   resolves with) and halts. Commands:
//!   - `{"op": "event", "event": E, "params": P}`: run the view's own `handle_event(E, P)`;
//!   - `{"op": "info", "msg": M}`: send `M`, decoded by the first of [`INFO`] that reads it
//!     as the view's info type, to `handle_info` (right after the reply);
//!   - `{"op": "inc"}`: add one to the view's `counter` assign (`/issues/4323`);
//!   - `{"op": "gate", "gate": G}`: set the view's `gate` assign (`/form`, FRM-12).
//! * `POST /eval` ([`http_eval`]): commands that do not go through a view's socket. Today:
//!   `{"op": "release", "gate": G, "event": E}` releases one event held by [`hold`] (the
//!   `{:sync, event}` message of FRM-12/13), and `{"op": "ping"}`. A held event's reply is
//!   deferred (`Socket::defer_reply`), so no worker thread blocks.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use actix_web::{web, HttpResponse};
use liveview::prelude::*;
use liveview::ReplyHandle;
use serde_json::json;

use crate::views;

/// The event name `evalLV` pushes.
pub const EVAL_EVENT: &str = "sandbox:eval";

/// Decoders of `{"op": "info"}` messages: each sends the message to the view if it reads it
/// and the view takes that info type.
pub const INFO: &[fn(&Value, &mut HookSocket<'_>) -> bool] = &[|msg, socket| {
    views::focus::Msg3083::decode(msg).is_some_and(|m| socket.send_info(m).is_ok())
}];

/// The `on_event` hook of every live session: handles `sandbox:eval` (see the module
/// documentation) and lets every other event through.
pub fn eval(event: &str, value: &Value, socket: &mut HookSocket<'_>) -> Result<Hook, ViewError> {
    if event != EVAL_EVENT {
        return Ok(Hook::Cont);
    }
    let cmd = value.get("value").cloned().unwrap_or(Value::Null);
    let unknown = || ViewError::other(format!("unknown control command {cmd}"));
    let result = match cmd.get("op").and_then(Value::as_str) {
        Some("event") => {
            let name = cmd.get("event").and_then(Value::as_str).unwrap_or_default();
            let params = cmd.get("params").cloned().unwrap_or_else(|| json!({}));
            socket.handle_event(name, &params).map(|()| Value::Null)
        }
        Some("info") => match cmd.get("msg") {
            Some(msg) if INFO.iter().any(|send| send(msg, socket)) => Ok(Value::Null),
            _ => Err(ViewError::other(format!("undecodable info {cmd}"))),
        },
        Some("inc") if socket.assigns().try_get::<i64>("counter").is_some() => {
            socket.update("counter", |n: &mut i64| *n += 1);
            Ok(Value::Null)
        }
        Some("gate") if socket.assigns().try_get::<Option<String>>("gate").is_some() => {
            let gate = cmd.get("gate").and_then(Value::as_str).unwrap_or("default");
            socket.assign("gate", Some(gate.to_owned()));
            Ok(Value::String("ok".to_owned()))
        }
        _ => Err(unknown()),
    }?;
    if result.is_null() {
        socket.reply(json!({}));
    } else {
        socket.reply(json!({ "result": result }));
    }
    Ok(Hook::Halt)
}

/// One gate: releases that came before their hold, and the holds waiting for a release.
#[derive(Default)]
struct Gate {
    released: VecDeque<String>,
    waiting: Vec<(u64, String, ReplyHandle)>,
}

fn gates() -> MutexGuard<'static, HashMap<String, Gate>> {
    static GATES: OnceLock<Mutex<HashMap<String, Gate>>> = OnceLock::new();
    GATES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Holds the reply of `event` (`handle`, from `Socket::defer_reply`) until
/// `POST /eval {"op":"release","gate":gate,"event":event}` arrives (or has arrived), or
/// `timeout` passes. The view handles nothing else meanwhile (later events wait in its
/// mailbox), as Phoenix's LiveView blocked in `receive {:sync, event}`; no thread blocks.
pub fn hold(gate_name: &str, event: &str, handle: ReplyHandle, timeout: Duration) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    {
        let mut gates = gates();
        let gate = gates.entry(gate_name.to_owned()).or_default();
        if let Some(i) = gate.released.iter().position(|e| e == event) {
            gate.released.remove(i);
            drop(gates);
            handle.release();
            return;
        }
        gate.waiting.push((id, event.to_owned(), handle));
    }
    let (gate_name, event) = (gate_name.to_owned(), event.to_owned());
    actix_web::rt::spawn(async move {
        actix_web::rt::time::sleep(timeout).await;
        let expired = {
            let mut gates = gates();
            let gate = gates.entry(gate_name).or_default();
            let at = gate.waiting.iter().position(|(i, ..)| *i == id);
            at.map(|i| gate.waiting.remove(i).2)
        };
        if let Some(handle) = expired {
            log::warn!("{event} was not released within {timeout:?}; going on");
            handle.release();
        }
    });
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
            let held = {
                let mut gates = gates();
                let gate = gates.entry(name.to_owned()).or_default();
                match gate.waiting.iter().position(|(_, e, _)| e == event) {
                    Some(i) => Some(gate.waiting.remove(i).2),
                    None => {
                        gate.released.push_back(event.to_owned());
                        None
                    }
                }
            };
            if let Some(handle) = held {
                handle.release();
            }
            HttpResponse::Ok().json(json!({ "result": "ok" }))
        }
        _ => HttpResponse::BadRequest().json(json!({ "error": format!("unknown command {cmd}") })),
    }
}
