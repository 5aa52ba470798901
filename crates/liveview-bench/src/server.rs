//! The two servers the load generator measures: the counter (liveview) and a raw
//! actix-web-actors websocket echo (no framework), each with `GET /bench/stats` and
//! `POST /bench/broadcast`.

use std::sync::Mutex;
use std::time::Instant;

use actix::{Actor, Handler, Message, StreamHandler, WeakRecipient};
use actix_web::{web, HttpRequest, HttpResponse};
use actix_web_actors::ws;
use example_counter::{Msg, State};
use liveview::prelude::*;
use liveview::{Info, SocketCore};

/// The secret the bench server signs with (fixed: the benchmark is loopback-only).
pub const BENCH_SECRET: &str = "liveview-bench: a fixed secret, loopback benchmarks only";

/// The message [`Broadcast`] views receive from `POST /bench/broadcast`.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Bump;

/// Every joined [`Broadcast`] view (weakly: a stopped view is pruned at the next broadcast).
static VIEWS: Mutex<Vec<WeakRecipient<Info<Bump>>>> = Mutex::new(Vec::new());

/// The counter of `example-counter` plus a `handle_info` that counts a broadcast like a
/// click. Mounted at `/b` for B7 (the counter itself has `Info = ()` and ignores messages).
#[derive(Debug, Default)]
pub struct Broadcast;

impl LiveView for Broadcast {
    type Info = Bump;
    type Event = Msg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(State { count: 0 }).page_title("Count: 0");
        if let Some(r) = socket.recipient() {
            lock(&VIEWS).push(r.downgrade());
        }
        Ok(())
    }

    fn update(&mut self, msg: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg::Inc => bump(socket, 1),
            Msg::Dec => bump(socket, -1),
        }
        Ok(())
    }

    fn handle_info(&mut self, _: Bump, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        bump(socket, 1);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        counter_html(assigns)
    }
}

/// The topic [`Subscriber`] views listen on; `POST /bench/publish` broadcasts [`Bump`] there.
pub static BENCH_TOPIC: Topic<Bump> = Topic::new("bench");

/// The same counter again, fed by the real [`PubSub`]: it subscribes to [`BENCH_TOPIC`] at a
/// connected mount and counts each [`Bump`] like a click. Mounted at `/p` for B7.
#[derive(Debug)]
pub struct Subscriber(pub PubSub);

impl LiveView for Subscriber {
    type Info = Bump;
    type Event = Msg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(State { count: 0 }).page_title("Count: 0");
        socket
            .subscribe(&self.0, &BENCH_TOPIC)
            .map_err(|e| ViewError::other(e.to_string()))?;
        Ok(())
    }

    fn update(&mut self, msg: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg::Inc => bump(socket, 1),
            Msg::Dec => bump(socket, -1),
        }
        Ok(())
    }

    fn handle_info(&mut self, _: Bump, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        bump(socket, 1);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        counter_html(assigns)
    }
}

/// The counter's markup, the same as `example_counter::Counter`'s (its assigns and events).
fn counter_html(assigns: &Assigns) -> Rendered {
    html! {
        h1 { "Count: " span #count { (assigns[State::count]) } }
        button #inc phx-click=(Msg::Inc) { "+" }
        button #dec phx-click=(Msg::Dec) { "-" }
    }
}

/// Adds `delta` to the count and shows it in the title, as the counter does.
fn bump(socket: &mut SocketCore, delta: i64) {
    socket.update(State::count, |n| *n += delta);
    let title = format!("Count: {}", socket.assigns()[State::count]);
    socket.page_title(title);
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Sends `msg` to every live entry of `list`, dropping the dead ones; returns how many.
fn broadcast<M>(list: &Mutex<Vec<WeakRecipient<M>>>, msg: &M) -> usize
where
    M: Message<Result = ()> + Clone + Send + 'static,
{
    let mut list = lock(list);
    let mut sent = 0;
    list.retain(|w| match w.upgrade() {
        Some(r) if r.connected() => {
            r.do_send(msg.clone());
            sent += 1;
            true
        }
        _ => false,
    });
    sent
}

fn stats_json(views: usize, sessions: usize) -> HttpResponse {
    let rss = crate::proc::rss_kib("self").unwrap_or(0);
    HttpResponse::Ok()
        .content_type("application/json")
        .body(format!(
            r#"{{"views":{views},"sessions":{sessions},"rss_kib":{rss}}}"#
        ))
}

/// The counter app: `example_counter::Counter` at `/`, [`Broadcast`] at `/b`, [`Subscriber`]
/// at `/p`, plus `GET /bench/stats` (`{"views","sessions","rss_kib"}`), `POST /bench/broadcast`
/// (an `Info` to every [`Broadcast`] view, directly) and `POST /bench/publish` (one
/// [`PubSub::broadcast`] on [`BENCH_TOPIC`]).
pub fn live_app(live: LiveConfig, pubsub: PubSub) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.route(
            "/bench/publish",
            web::post().to(move || {
                let pubsub = pubsub.clone();
                async move {
                    let t = Instant::now();
                    let ok = pubsub.broadcast(&BENCH_TOPIC, Bump).is_ok();
                    let us = t.elapsed().as_micros();
                    HttpResponse::Ok().body(format!(r#"{{"sent":{},"micros":{us}}}"#, u8::from(ok)))
                }
            }),
        );
        cfg.configure(liveview::config(live));
        cfg.route(
            "/bench/stats",
            web::get().to(|| async {
                stats_json(
                    liveview_session::live_view_count(),
                    liveview_session::live_session_count(),
                )
            }),
        );
        cfg.route(
            "/bench/broadcast",
            web::post().to(|| async {
                let t = Instant::now();
                let sent = broadcast(&VIEWS, &Info(Bump));
                let us = t.elapsed().as_micros();
                HttpResponse::Ok().body(format!(r#"{{"sent":{sent},"micros":{us}}}"#))
            }),
        );
    }
}

/// The live configuration of the bench server ([`Subscriber`] views subscribe on `pubsub`).
pub fn live_config(pubsub: &PubSub) -> LiveConfig {
    let pubsub = pubsub.clone();
    LiveConfig::new(BENCH_SECRET)
        // The load generator opens thousands of sockets from one address.
        .max_sockets_per_client(usize::MAX)
        .live::<example_counter::Counter>("/")
        .live::<Broadcast>("/b")
        .live_with("/p", move || Subscriber(pubsub.clone()))
}

// ---------------------------------------------------------------------------------------
// The echo baseline: the smallest actix-web-actors websocket actor.

static ECHOES: Mutex<Vec<WeakRecipient<Shout>>> = Mutex::new(Vec::new());
static ECHO_COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A text frame pushed to every echo connection by `POST /bench/broadcast`.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct Shout;

/// One echo connection: every text or binary frame goes back unchanged.
#[derive(Debug)]
pub struct Echo;

impl Actor for Echo {
    type Context = ws::WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        use actix::AsyncContext as _;
        ECHO_COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        lock(&ECHOES).push(ctx.address().downgrade().recipient());
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        ECHO_COUNT.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for Echo {
    fn handle(&mut self, msg: Result<ws::Message, ws::ProtocolError>, ctx: &mut Self::Context) {
        use actix::ActorContext as _;
        match msg {
            Ok(ws::Message::Text(t)) => ctx.text(t),
            Ok(ws::Message::Binary(b)) => ctx.binary(b),
            Ok(ws::Message::Ping(p)) => ctx.pong(&p),
            Ok(ws::Message::Close(reason)) => {
                ctx.close(reason);
                ctx.stop();
            }
            Ok(_) => {}
            Err(_) => ctx.stop(),
        }
    }
}

impl Handler<Shout> for Echo {
    type Result = ();

    fn handle(&mut self, _: Shout, ctx: &mut Self::Context) {
        ctx.text(r#"[null,null,"echo","diff",{"0":"1"}]"#);
    }
}

/// The echo app: websocket echo at `/ws`, plus `GET /bench/stats` (`views` 0, `sessions` =
/// open echo connections) and `POST /bench/broadcast`.
pub fn echo_app(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/ws",
        web::get()
            .to(|req: HttpRequest, body: web::Payload| async move { ws::start(Echo, &req, body) }),
    );
    cfg.route(
        "/bench/stats",
        web::get()
            .to(|| async { stats_json(0, ECHO_COUNT.load(std::sync::atomic::Ordering::Relaxed)) }),
    );
    cfg.route(
        "/bench/broadcast",
        web::post().to(|| async {
            let t = Instant::now();
            let sent = broadcast(&ECHOES, &Shout);
            let us = t.elapsed().as_micros();
            HttpResponse::Ok().body(format!(r#"{{"sent":{sent},"micros":{us}}}"#))
        }),
    );
}
