//! Fixture views and a real server on 127.0.0.1; the websocket client is
//! `liveview_test::ws`, re-exported.
#![allow(dead_code, unreachable_pub, missing_docs, unused_imports)]

use std::net::SocketAddr;
use std::time::Duration;

use actix_web::{App, HttpServer};
use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{Assigns, LiveView, Params, Session, Socket, ViewError};

use serde_json::Value;

pub use liveview_test::ws::{
    assert_refused, connect, connect_with, cookies, join_at, join_with, page, recv, reply_payload,
    send, tag_attr, Conn, Page,
};

/// How long a test waits for a frame before failing.
pub const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
pub struct Counter;

impl LiveView for Counter {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("count", 0_i64);
        s.page_title("Count: 0");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        s: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "inc" => s.update("count", |n: &mut i64| *n += 1),
            "dec" => s.update("count", |n: &mut i64| *n -= 1),
            other => return Err(ViewError::unknown_event(other)),
        };
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let count: i64 = a.get("count");
        html! {
            h1 { "Count: " span #count { (count) } }
            button #inc phx-click="inc" { "+" }
        }
    }
}

/// Shows its path and query parameters and the session's user.
#[derive(Debug, Default)]
pub struct Item;

impl LiveView for Item {
    type Info = ();
    type Event = ();

    fn mount(&mut self, p: &Params, s: &Session, so: &mut Socket<Self>) -> Result<(), ViewError> {
        so.assign("id", p.get("id").unwrap_or("?").to_owned());
        so.assign("q", p.get("q").unwrap_or("").to_owned());
        so.assign("user", s.get::<String>("user").unwrap_or_default());
        let connected = so.connected();
        so.assign("connected", connected);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let id: String = a.get("id");
        let q: String = a.get("q");
        let user: String = a.get("user");
        html! {
            p #id { (id) } p #q { (q) } p #user { (user) }
            @if q == "<b>" { i { "escaped" } }
        }
    }
}

#[derive(Debug, Default)]
pub struct Broken;

impl LiveView for Broken {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Err(ViewError::other("database is down"))
    }

    fn render(&self, _: &Assigns) -> Rendered {
        html! { "never" }
    }
}

#[derive(Debug, Default)]
pub struct GoAway;

impl LiveView for GoAway {
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

/// A page of a record that may not exist: `/things/1` always does, `/things/vanishing` only
/// in the dead render (deleted before the join), any other id never (a 404).
#[derive(Debug, Default)]
pub struct Thing;

impl LiveView for Thing {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, so: &mut Socket<Self>) -> Result<(), ViewError> {
        so.assign("id", String::new());
        Ok(())
    }

    fn handle_params(
        &mut self,
        p: &Params,
        _uri: &str,
        so: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let id = p.get("id").unwrap_or("");
        let exists = id == "1" || (id == "vanishing" && !so.connected());
        if !exists {
            return Err(ViewError::not_found(format!("No thing <{id}>")));
        }
        so.assign("id", id.to_owned());
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let id: String = a.get("id");
        html! { p #thing { (id) } }
    }
}

/// The fixture app's routes on a configuration.
pub fn routes(live: LiveConfig) -> LiveConfig {
    live.live::<Counter>("/")
        .live::<Item>("/items/{id}")
        .live::<Item>("/products/{id}")
        .live::<Broken>("/broken")
        .live::<Thing>("/things/{id}")
        .live::<GoAway>("/away")
        .live_session("admin", |s| s.live::<Counter>("/admin/counter"))
        .session(|req| {
            let mut session = Session::new();
            if let Some(user) = req.headers().get("x-user").and_then(|v| v.to_str().ok()) {
                session.insert("user", user);
            }
            session
        })
}

pub const SECRET: &str = "test secret: at least thirty-two bytes long";
pub const OTHER_SECRET: &str = "another secret, also thirty-two bytes long";

/// Starts `live` on 127.0.0.1 with an OS-assigned port.
pub fn serve(live: LiveConfig) -> SocketAddr {
    let server = HttpServer::new(move || App::new().configure(liveview_http::config(live.clone())))
        .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
        .on_connect(liveview_session::on_connect)
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("bind 127.0.0.1:0");
    let addr = server.addrs()[0];
    actix_rt::spawn(server.run());
    addr
}

/// One response header as a string ("" when missing).
pub fn header(headers: &awc::http::header::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub async fn get(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, awc::http::header::HeaderMap, String) {
    let mut req = awc::Client::builder()
        .disable_redirects()
        .finish()
        .get(format!("http://{addr}{path}"));
    for (k, v) in headers {
        req = req.insert_header((*k, *v));
    }
    let mut res = req.send().await.expect("GET");
    let body = res.body().await.expect("body");
    (
        res.status().as_u16(),
        res.headers().clone(),
        String::from_utf8(body.to_vec()).expect("utf-8"),
    )
}

/// A body for a LiveConfig with the fixture routes and `secret`.
pub fn app(secret: &str) -> LiveConfig {
    routes(LiveConfig::new(secret))
}
