//! One client session over a real websocket: open (GET, connect, join), close, and the
//! per-session loops (open loop, closed loop, waiting for a push).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use actix_codec::Framed;
use awc::ws::{Codec, Frame};
use awc::{ws, BoxedSocket};
use futures_util::future::{select, Either};
use futures_util::{SinkExt as _, StreamExt as _};
use liveview_test::ws::{frame_ref, is_push, PageTokens};

use crate::options::Target;
use crate::Res;

pub(crate) type Ws = Framed<BoxedSocket, Codec>;

pub(crate) struct Conn {
    pub(crate) ws: Ws,
    pub(crate) topic: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Timing {
    pub(crate) get: Duration,
    pub(crate) connect: Duration,
    pub(crate) join: Duration,
}

pub(crate) const WAIT: Duration = Duration::from_secs(10);

pub(crate) async fn next_text(ws: &mut Ws, limit: Duration) -> Res<String> {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match actix_rt::time::timeout(left, ws.next()).await {
            Err(_) => return Err("timed out waiting for a frame".into()),
            Ok(None) => return Err("socket closed".into()),
            Ok(Some(Err(e))) => return Err(format!("protocol error: {e}")),
            Ok(Some(Ok(Frame::Text(t)))) => {
                return String::from_utf8(t.to_vec()).map_err(|e| e.to_string())
            }
            Ok(Some(Ok(Frame::Close(_)))) => return Err("closed by the server".into()),
            Ok(Some(Ok(_))) => {}
        }
    }
}

pub(crate) async fn send_text(ws: &mut Ws, text: String) -> Res<()> {
    ws.send(ws::Message::Text(text.into()))
        .await
        .map_err(|e| format!("send: {e}"))
}

/// Opens one session: for live, GET `path`, connect with the page's cookie and CSRF token,
/// and join; for echo, connect to `/ws`.
pub(crate) async fn open(
    client: &awc::Client,
    target: Target,
    port: u16,
    path: &str,
    join: bool,
) -> Res<(Conn, Timing)> {
    let origin = format!("http://127.0.0.1:{port}");
    let t0 = Instant::now();
    match target {
        Target::Echo => {
            let (_, ws) = client
                .ws(format!("{origin}/ws"))
                .origin(origin.as_str())
                .connect()
                .await
                .map_err(|e| format!("ws connect: {e}"))?;
            let connect = t0.elapsed();
            Ok((
                Conn {
                    ws,
                    topic: "lv:echo".into(),
                },
                Timing {
                    connect,
                    ..Timing::default()
                },
            ))
        }
        Target::Live => {
            let url = format!("{origin}{path}");
            let mut res = client
                .get(url.as_str())
                .send()
                .await
                .map_err(|e| format!("GET {url}: {e}"))?;
            let body = res.body().await.map_err(|e| format!("body: {e}"))?;
            let cookie = res
                .headers()
                .get_all("set-cookie")
                .filter_map(|v| v.to_str().ok())
                .find(|c| c.starts_with(liveview::http::CSRF_COOKIE))
                .and_then(|c| c.split(';').next())
                .ok_or("no CSRF cookie")?
                .to_owned();
            let html = std::str::from_utf8(&body).map_err(|e| e.to_string())?;
            let page = PageTokens::parse(html).ok_or("no tokens in the page")?;
            let get = t0.elapsed();
            let t1 = Instant::now();
            let (_, mut ws) = client
                .ws(format!(
                    "{origin}/live/websocket?_csrf_token={}&vsn=2.0.0",
                    page.csrf
                ))
                .origin(origin.as_str())
                .header("cookie", cookie)
                .connect()
                .await
                .map_err(|e| format!("ws connect: {e}"))?;
            let connect = t1.elapsed();
            let t2 = Instant::now();
            if !join {
                let topic = format!("lv:{}", page.id);
                return Ok((
                    Conn { ws, topic },
                    Timing {
                        get,
                        connect,
                        join: Duration::ZERO,
                    },
                ));
            }
            send_text(&mut ws, page.join_frame(&url, "1")).await?;
            loop {
                let text = next_text(&mut ws, WAIT).await?;
                if frame_ref(&text) == Some(1) {
                    if !text.contains(r#""status":"ok""#) {
                        return Err(format!("join refused: {text}"));
                    }
                    break;
                }
            }
            let join = t2.elapsed();
            Ok((
                Conn {
                    ws,
                    topic: format!("lv:{}", page.id),
                },
                Timing { get, connect, join },
            ))
        }
    }
}

/// Closes a session the way a browser tab does (a Close frame) and waits for the server's
/// close (bounded), so the TIME_WAIT lands on the server's side.
pub(crate) async fn close(mut c: Conn) {
    let _ =
        c.ws.send(ws::Message::Close(Some(ws::CloseCode::Away.into())))
            .await;
    let deadline = Instant::now() + Duration::from_secs(2);
    while let Ok(Some(Ok(f))) = actix_rt::time::timeout(
        deadline.saturating_duration_since(Instant::now()),
        c.ws.next(),
    )
    .await
    {
        if matches!(f, Frame::Close(_)) {
            break;
        }
    }
}

/// Opens `n` sessions, `concurrency` at a time.
pub(crate) async fn open_many(
    client: &awc::Client,
    target: Target,
    port: u16,
    path: &str,
    n: usize,
    concurrency: usize,
    join: bool,
) -> (Vec<Conn>, Vec<Timing>, Vec<String>) {
    let results: Vec<Res<(Conn, Timing)>> = futures_util::stream::iter(0..n)
        .map(|_| open(client, target, port, path, join))
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut conns = Vec::with_capacity(n);
    let mut timings = Vec::with_capacity(n);
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((c, t)) => {
                conns.push(c);
                timings.push(t);
            }
            Err(e) => errors.push(e),
        }
    }
    (conns, timings, errors)
}

pub(crate) enum Ev {
    Timer,
    Frame(Option<Result<Frame, awc::error::WsProtocolError>>),
}

pub(crate) async fn wait_event(ws: &mut Ws, until: Instant) -> Ev {
    let sleep = Box::pin(actix_rt::time::sleep_until(until.into()));
    match select(sleep, ws.next()).await {
        Either::Left(_) => Ev::Timer,
        Either::Right((f, _)) => Ev::Frame(f),
    }
}

#[derive(Default)]
pub(crate) struct LoopOut {
    pub(crate) latencies_us: Vec<u32>,
    pub(crate) sent: u64,
    pub(crate) errors: u64,
}

/// Open loop: a click every `period` from `start` (first at `start + phase`) until `stop`,
/// each timed until its reply; replies wait at most until `stop + 2 s`.
pub(crate) async fn open_loop(
    mut c: Conn,
    start: Instant,
    phase: Duration,
    period: Duration,
    stop: Instant,
) -> (Conn, LoopOut) {
    let mut out = LoopOut::default();
    let hard_end = stop + Duration::from_secs(2);
    let mut next_send = start + phase;
    let mut pending: VecDeque<(u64, Instant)> = VecDeque::new();
    let mut reference = 100_u64;
    loop {
        let now = Instant::now();
        let sending = next_send < stop;
        if now >= hard_end || (!sending && pending.is_empty()) {
            break;
        }
        let wake = if sending { next_send } else { hard_end };
        match wait_event(&mut c.ws, wake).await {
            Ev::Timer => {
                if sending && Instant::now() >= next_send {
                    reference += 1;
                    let t = Instant::now();
                    if send_text(&mut c.ws, click_frame(&c.topic, reference))
                        .await
                        .is_err()
                    {
                        out.errors += 1;
                        break;
                    }
                    out.sent += 1;
                    pending.push_back((reference, t));
                    next_send += period;
                }
            }
            Ev::Frame(Some(Ok(Frame::Text(t)))) => {
                let text = std::str::from_utf8(&t).unwrap_or_default();
                if let Some(r) = frame_ref(text) {
                    if let Some(i) = pending.iter().position(|p| p.0 == r) {
                        let (_, sent) = pending.remove(i).unwrap_or((0, Instant::now()));
                        out.latencies_us
                            .push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    }
                }
            }
            Ev::Frame(Some(Ok(_))) => {}
            Ev::Frame(_) => {
                out.errors += 1;
                break;
            }
        }
    }
    out.errors += pending.len() as u64;
    (c, out)
}

/// Closed loop: `window` clicks in flight; counts replies that arrive in `[measure, stop)`.
pub(crate) async fn closed_loop(
    mut c: Conn,
    window: usize,
    measure: Instant,
    stop: Instant,
) -> (Conn, u64, u64) {
    let mut reference = 100_u64;
    let mut in_flight = 0_usize;
    let mut done = 0_u64;
    let mut errors = 0_u64;
    for _ in 0..window {
        reference += 1;
        if send_text(&mut c.ws, click_frame(&c.topic, reference))
            .await
            .is_err()
        {
            return (c, 0, 1);
        }
        in_flight += 1;
    }
    let hard_end = stop + Duration::from_secs(2);
    while in_flight > 0 && Instant::now() < hard_end {
        match wait_event(&mut c.ws, hard_end).await {
            Ev::Timer => break,
            Ev::Frame(Some(Ok(Frame::Text(t)))) => {
                if frame_ref(std::str::from_utf8(&t).unwrap_or_default()).is_some() {
                    in_flight -= 1;
                    let now = Instant::now();
                    if now >= measure && now < stop {
                        done += 1;
                    }
                    if now < stop {
                        reference += 1;
                        if send_text(&mut c.ws, click_frame(&c.topic, reference))
                            .await
                            .is_err()
                        {
                            errors += 1;
                            break;
                        }
                        in_flight += 1;
                    }
                }
            }
            Ev::Frame(Some(Ok(_))) => {}
            Ev::Frame(_) => {
                errors += 1;
                break;
            }
        }
    }
    (c, done, errors)
}

/// Waits for one pushed `diff` (bounded); when it came.
pub(crate) async fn await_push(mut c: Conn, limit: Instant) -> (Conn, Option<Instant>) {
    loop {
        match wait_event(&mut c.ws, limit).await {
            Ev::Timer => return (c, None),
            Ev::Frame(Some(Ok(Frame::Text(t)))) => {
                if is_push(std::str::from_utf8(&t).unwrap_or_default(), "diff") {
                    return (c, Some(Instant::now()));
                }
            }
            Ev::Frame(Some(Ok(_))) => {}
            Ev::Frame(_) => return (c, None),
        }
    }
}

/// The click the counter's `+` button sends, with `reference` as its ref.
pub(crate) fn click_frame(topic: &str, reference: u64) -> String {
    format!(
        r#"["1","{reference}","{topic}","event",{{"type":"click","event":"inc","value":{{"value":""}}}}]"#
    )
}
