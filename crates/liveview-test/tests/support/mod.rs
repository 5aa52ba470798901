//! Fixture views shared by the harness's tests.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use liveview_diff::{html, Rendered};
use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};
use serde_json::Value;

/// `+`/`-` buttons around a count; `phx-value-by` sets the step.
#[derive(Default)]
pub struct Counter;

impl LiveView for Counter {
    type Info = i64;
    type Event = ();

    fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("count", p.parse::<i64>("start").unwrap_or(0));
        s.page_title("Counter");
        Ok(())
    }

    fn handle_event(&mut self, e: &str, v: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        let by = v
            .get("by")
            .and_then(Value::as_str)
            .and_then(|b| b.parse::<i64>().ok())
            .unwrap_or(1);
        match e {
            "inc" => s.update("count", |n: &mut i64| *n += by),
            "dec" => s.update("count", |n: &mut i64| *n -= by),
            "reset" => s.assign("count", 0_i64),
            other => return Err(ViewError::unknown_event(other)),
        };
        let n: i64 = s.assigns().get("count");
        s.page_title(format!("Counter {n}"));
        Ok(())
    }

    fn handle_info(&mut self, n: i64, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("count", n);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let count: i64 = a.get("count");
        html! {
            h1 { "Count: " span #count { (count) } }
            button #inc phx-click="inc" { "+" }
            button #dec phx-click="dec" { "-" }
            button #inc10 phx-click="inc" phx-value-by="10" { "+10" }
            button.plain { "no binding" }
            div #reset phx-click="reset" { "reset" }
        }
    }
}

/// A user form that shows the params of its last event.
#[derive(Default)]
pub struct UserForm;

impl LiveView for UserForm {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("last", String::new());
        s.assign("event", String::new());
        Ok(())
    }

    fn handle_event(&mut self, e: &str, v: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("event", e.to_owned());
        s.assign("last", v.to_string());
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let last: String = a.get("last");
        let event: String = a.get("event");
        html! {
            form #user phx-change="validate" phx-submit="save" phx-value-step="1" {
                input type="text" name="user[name]" value="ana";
                input type="email" name="user[email]";
                input type="hidden" name="user[id]" value="7";
                input type="checkbox" name="user[admin]" value="yes";
                input type="checkbox" name="user[news]" checked;
                select name="user[role]" {
                    option value="reader" { "Reader" }
                    option value="writer" selected { "Writer" }
                }
                textarea name="user[bio]" { "hello" }
                input type="text" name="disabled" value="x" disabled;
                button type="submit" { "Save" }
            }
            form #nothing { input name="q"; }
            p #event { (event) }
            pre #last { (last) }
        }
    }
}

/// Navigations and pushed events.
#[derive(Default)]
pub struct Navigator;

impl LiveView for Navigator {
    type Info = &'static str;
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("page", String::from("1"));
        Ok(())
    }

    fn handle_params(
        &mut self,
        p: &Params,
        _: &str,
        s: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        s.assign("page", p.get("page").unwrap_or("1").to_owned());
        Ok(())
    }

    fn handle_event(&mut self, e: &str, _: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        match e {
            "away" => s.redirect("/elsewhere"),
            "nav" => s.push_navigate("/other"),
            "next" => s.push_patch("/?page=2"),
            "ping" => s.push_event("highlight", serde_json::json!({"id": "b"})),
            other => return Err(ViewError::unknown_event(other)),
        };
        Ok(())
    }

    fn handle_info(&mut self, msg: &'static str, s: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            "later" => s.send_after(Duration::from_millis(30), "ping"),
            "ping" => s.push_event("pong", serde_json::json!({})),
            "patch" => s.push_patch("/?page=3"),
            _ => return Ok(()),
        };
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let page: String = a.get("page");
        html! {
            p #page { (page) }
            button #away phx-click="away" { "away" }
            button #nav phx-click="nav" { "nav" }
            button #next phx-click="next" { "next" }
            button #ping phx-click="ping" { "ping" }
        }
    }
}

/// A view whose mount redirects.
#[derive(Default)]
pub struct Bouncer;

impl LiveView for Bouncer {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.redirect("/login");
        Ok(())
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { "never" }
    }
}

/// Keys: Enter submits a search; any key on the log counts.
#[derive(Default)]
pub struct Keys;

impl LiveView for Keys {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("last", String::new());
        Ok(())
    }

    fn handle_event(&mut self, e: &str, v: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("last", format!("{e}:{}", v["key"].as_str().unwrap_or("?")));
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let last: String = a.get("last");
        html! {
            input #search phx-keydown="search" phx-key="Enter";
            div #log phx-keyup="log" { (last) }
        }
    }
}

/// Panics on `boom`.
#[derive(Default)]
pub struct Fragile;

impl LiveView for Fragile {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("n", 0_i64);
        Ok(())
    }

    fn handle_event(&mut self, e: &str, _: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        match e {
            "boom" => panic!("boom"),
            _ => s.update("n", |n: &mut i64| *n += 1),
        };
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let n: i64 = a.get("n");
        html! {
            b #n { (n) }
            button #inc phx-click="inc" { "+" }
            button #boom phx-click="boom" { "boom" }
        }
    }
}
