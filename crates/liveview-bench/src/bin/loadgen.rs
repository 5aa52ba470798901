//! `lv-loadgen`: the load generator of benchmarks B3–B8. It starts `lv-bench-server` (the
//! counter, and the raw websocket echo baseline) pinned to one core, pins itself to the
//! other, speaks the LiveView protocol over real websockets and prints a table of figures,
//! each with its ratio to the echo baseline measured in the same run. See `--help`.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use actix_codec::Framed;
use awc::ws::{self, Codec, Frame};
use awc::BoxedSocket;
use futures_util::future::{select, Either};
use futures_util::{SinkExt as _, StreamExt as _};
use liveview_bench::percentile;
use liveview_bench::proc::{clock_ticks, cpu_time, rss_kib};
use liveview_bench::wire::{click_frame, frame_ref, is_push, PageTokens};

const HELP: &str = "\
lv-loadgen: load generator for liveview benchmarks B3-B8 (docs/benchmarks.md)

Starts lv-bench-server in live mode (the counter) and in echo mode (a raw actix-web-actors
websocket echo, the baseline), a fresh server process per measurement, pinned with taskset to
--server-cpu; pins itself to --client-cpu; talks to them over loopback websockets and prints one
table row per figure with its ratio to the echo baseline of the same run. Every wait is bounded.

USAGE: lv-loadgen [SCENARIO...] [OPTIONS]

SCENARIOS (default: all)
  all        idle rtt saturate connect broadcast churn, in that order
  smoke      one live session clicking at 20/s for --smoke-secs; fails without replies
  idle       B3: server RSS delta per connected+joined session at --idle-sessions
  rtt        B4: click round trip p50/p99, open loop at --rate per session, per --rtt-sessions
  saturate   B5: closed-loop events/s (and server CPU per event) at saturation
  connect    B6: GET (dead render) vs websocket connect + phx_join, sequential samples
  broadcast  B7: one POST /bench/broadcast reaching --bcast-sessions sessions
  churn      B8: connect/join/close cycles; live actors and RSS after vs before

OPTIONS
  --server-bin PATH    the lv-bench-server binary (default: next to this executable)
  --port P             first server port on 127.0.0.1 (default 18080); each fresh server
                       takes the next one, cycling through P..P+63 (keep below 32768)
  --server-cpu C       pin servers to CPU C with `taskset -c` (default 0)
  --client-cpu C       pin this process to CPU C with `taskset -a -cp` (default 1)
  --no-pin             pin nothing
  --workers W          server worker threads (default 1)
  --targets LIST       comma-separated: live,echo (default both)
  --idle-sessions N    B3 sessions (default 9000)
  --rtt-sessions LIST  B4 session counts (default 1,1000,5000)
  --rtt-secs S         B4 seconds of clicking per run (default 10)
  --rate R             B4 clicks per second per session (default 1)
  --sat-sessions N     B5 sessions (default 50)
  --sat-window W       B5 clicks in flight per session (default 8)
  --sat-secs S         B5 measured seconds, after a 1 s warm-up (default 5)
  --connect-samples N  B6 samples (default 300)
  --bcast-sessions N   B7 sessions (default 5000)
  --bcast-rounds R     B7 broadcasts (default 5)
  --churn-cycles N     B8 cycles (default 10000)
  --churn-warmup N     B8 cycles before the `before` snapshot (default 1000)
  --concurrency C      connects in parallel (default 64)
  --smoke-secs S       smoke duration (default 1)
  --repeat R           B4 and B5: runs per target, interleaved live/echo; the table shows
                       the median run (default 3; the machine is shared and noisy)
  -h, --help           this text

Session counts are capped at 9,000 and so that this process stays under its open-file soft
limit (one socket per session plus 300 spare); raise it with `ulimit -n` (run.sh does). CPU times come
from /proc/<pid>/stat (utime+stime), memory from /proc/<pid>/status (VmRSS).
";

/// The most sessions one run holds open (the team's open-file budget: under ~20,000 per process).
const MAX_SESSIONS: usize = 9000;

type Ws = Framed<BoxedSocket, Codec>;
type Res<T> = Result<T, String>;

#[derive(Debug, Clone)]
struct Opts {
    scenarios: Vec<String>,
    server_bin: PathBuf,
    port: u16,
    server_cpu: Option<usize>,
    client_cpu: Option<usize>,
    workers: usize,
    targets: Vec<Target>,
    idle_sessions: usize,
    rtt_sessions: Vec<usize>,
    rtt_secs: f64,
    rate: f64,
    sat_sessions: usize,
    sat_window: usize,
    sat_secs: f64,
    connect_samples: usize,
    bcast_sessions: usize,
    bcast_rounds: usize,
    churn_cycles: usize,
    churn_warmup: usize,
    concurrency: usize,
    smoke_secs: f64,
    repeat: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Live,
    Echo,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Live => "live",
            Target::Echo => "echo",
        }
    }
}

fn parse_opts() -> Res<Option<Opts>> {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_default();
    let mut o = Opts {
        scenarios: Vec::new(),
        server_bin: exe_dir.join("lv-bench-server"),
        port: 18080,
        server_cpu: Some(0),
        client_cpu: Some(1),
        workers: 1,
        targets: vec![Target::Live, Target::Echo],
        idle_sessions: 9000,
        rtt_sessions: vec![1, 1000, 5000],
        rtt_secs: 10.0,
        rate: 1.0,
        sat_sessions: 50,
        sat_window: 8,
        sat_secs: 5.0,
        connect_samples: 300,
        bcast_sessions: 5000,
        bcast_rounds: 5,
        churn_cycles: 10_000,
        churn_warmup: 1000,
        concurrency: 64,
        smoke_secs: 1.0,
        repeat: 3,
    };
    let mut args = std::env::args().skip(1);
    fn num<T: std::str::FromStr>(flag: &str, v: Option<String>) -> Res<T> {
        v.and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{flag} needs a number (see --help)"))
    }
    while let Some(a) = args.next() {
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--server-bin" => o.server_bin = args.next().ok_or("--server-bin needs a path")?.into(),
            "--port" => o.port = num(&a, args.next())?,
            "--server-cpu" => o.server_cpu = Some(num(&a, args.next())?),
            "--client-cpu" => o.client_cpu = Some(num(&a, args.next())?),
            "--no-pin" => {
                o.server_cpu = None;
                o.client_cpu = None;
            }
            "--workers" => o.workers = num(&a, args.next())?,
            "--targets" => {
                let list = args.next().ok_or("--targets needs a list")?;
                o.targets = list
                    .split(',')
                    .map(|t| match t {
                        "live" => Ok(Target::Live),
                        "echo" => Ok(Target::Echo),
                        other => Err(format!("unknown target `{other}`")),
                    })
                    .collect::<Res<_>>()?;
            }
            "--idle-sessions" => o.idle_sessions = num(&a, args.next())?,
            "--rtt-sessions" => {
                let list = args.next().ok_or("--rtt-sessions needs a list")?;
                o.rtt_sessions = list
                    .split(',')
                    .map(|n| num(&a, Some(n.to_owned())))
                    .collect::<Res<_>>()?;
            }
            "--rtt-secs" => o.rtt_secs = num(&a, args.next())?,
            "--rate" => o.rate = num(&a, args.next())?,
            "--sat-sessions" => o.sat_sessions = num(&a, args.next())?,
            "--sat-window" => o.sat_window = num(&a, args.next())?,
            "--sat-secs" => o.sat_secs = num(&a, args.next())?,
            "--connect-samples" => o.connect_samples = num(&a, args.next())?,
            "--bcast-sessions" => o.bcast_sessions = num(&a, args.next())?,
            "--bcast-rounds" => o.bcast_rounds = num(&a, args.next())?,
            "--churn-cycles" => o.churn_cycles = num(&a, args.next())?,
            "--churn-warmup" => o.churn_warmup = num(&a, args.next())?,
            "--concurrency" => o.concurrency = num(&a, args.next())?,
            "--smoke-secs" => o.smoke_secs = num(&a, args.next())?,
            "--repeat" => o.repeat = num(&a, args.next())?,
            s @ ("all" | "smoke" | "idle" | "rtt" | "saturate" | "connect" | "broadcast"
            | "churn") => o.scenarios.push(s.to_owned()),
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    if o.scenarios.is_empty() || o.scenarios.iter().any(|s| s == "all") {
        o.scenarios = ["idle", "rtt", "saturate", "connect", "broadcast", "churn"]
            .map(str::to_owned)
            .to_vec();
    }
    if o.port >= 32768 - 64 {
        return Err("--port must leave P..P+63 below 32768".into());
    }
    o.concurrency = o.concurrency.max(1);
    o.repeat = o.repeat.max(1);
    o.rate = o.rate.max(0.001);
    Ok(Some(o))
}

// ------------------------------------------------------------------------------------------
// Processes: the server, pinning, limits.

struct Server {
    child: Child,
    pid: String,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn taskset_available() -> bool {
    Command::new("taskset")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn open_file_limit() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|l| {
            l.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(1024)
}

struct Ctx {
    opts: Opts,
    client: awc::Client,
    ticks: u64,
    next_port: u16,
    pin: bool,
    max_sessions: usize,
    rows: Vec<Row>,
}

impl Ctx {
    async fn spawn(&mut self, target: Target) -> Res<Server> {
        let port = self.opts.port + self.next_port % 64;
        self.next_port += 1;
        let bin = &self.opts.server_bin;
        let args = [
            "--mode".to_owned(),
            target.name().to_owned(),
            "--port".to_owned(),
            port.to_string(),
            "--workers".to_owned(),
            self.opts.workers.to_string(),
        ];
        let mut cmd = match (self.pin, self.opts.server_cpu) {
            (true, Some(cpu)) => {
                let mut c = Command::new("taskset");
                c.arg("-c").arg(cpu.to_string()).arg(bin);
                c
            }
            _ => Command::new(bin),
        };
        let child = cmd
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let server = Server {
            pid: child.id().to_string(),
            child,
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.stats(&server).await.is_ok() {
                return Ok(server);
            }
            actix_rt::time::sleep(Duration::from_millis(20)).await;
        }
        Err(format!(
            "{} server on port {port} did not start",
            target.name()
        ))
    }

    async fn stats(&self, s: &Server) -> Res<Stats> {
        let mut res = self
            .client
            .get(format!("http://127.0.0.1:{}/bench/stats", s.port))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let v: serde_json::Value = res.json().await.map_err(|e| e.to_string())?;
        let n = |k: &str| v[k].as_u64().unwrap_or(0);
        Ok(Stats {
            views: n("views"),
            sessions: n("sessions"),
            rss_kib: rss_kib(&s.pid).unwrap_or(0),
        })
    }

    /// Polls the server's stats until `done` holds or `limit` passes; the last stats.
    async fn settle(
        &self,
        s: &Server,
        limit: Duration,
        done: impl Fn(&Stats) -> bool,
    ) -> Res<Stats> {
        let deadline = Instant::now() + limit;
        loop {
            let st = self.stats(s).await?;
            if done(&st) || Instant::now() >= deadline {
                return Ok(st);
            }
            actix_rt::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn cap(&self, n: usize, what: &str) -> usize {
        if n > self.max_sessions {
            eprintln!(
                "note: {what}: {n} sessions exceed the open-file limit; using {}",
                self.max_sessions
            );
            self.max_sessions
        } else {
            n
        }
    }

    fn cpu(&self, pid: &str) -> Duration {
        cpu_time(pid, self.ticks).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy)]
struct Stats {
    views: u64,
    sessions: u64,
    rss_kib: u64,
}

// ------------------------------------------------------------------------------------------
// One client session.

struct Conn {
    ws: Ws,
    topic: String,
}

#[derive(Debug, Clone, Copy, Default)]
struct Timing {
    get: Duration,
    connect: Duration,
    join: Duration,
}

const WAIT: Duration = Duration::from_secs(10);

async fn next_text(ws: &mut Ws, limit: Duration) -> Res<String> {
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

async fn send_text(ws: &mut Ws, text: String) -> Res<()> {
    ws.send(ws::Message::Text(text.into()))
        .await
        .map_err(|e| format!("send: {e}"))
}

/// Opens one session: for live, GET `path`, connect with the page's cookie and CSRF token,
/// and join; for echo, connect to `/ws`.
async fn open(
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
            send_text(&mut ws, page.join_frame(&url)).await?;
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
async fn close(mut c: Conn) {
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
async fn open_many(
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

// ------------------------------------------------------------------------------------------
// Per-session loops.

enum Ev {
    Timer,
    Frame(Option<Result<Frame, awc::error::WsProtocolError>>),
}

async fn wait_event(ws: &mut Ws, until: Instant) -> Ev {
    let sleep = Box::pin(actix_rt::time::sleep_until(until.into()));
    match select(sleep, ws.next()).await {
        Either::Left(_) => Ev::Timer,
        Either::Right((f, _)) => Ev::Frame(f),
    }
}

#[derive(Default)]
struct LoopOut {
    latencies_us: Vec<u32>,
    sent: u64,
    errors: u64,
}

/// Open loop: a click every `period` from `start` (first at `start + phase`) until `stop`,
/// each timed until its reply; replies wait at most until `stop + 2 s`.
async fn open_loop(
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
async fn closed_loop(
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
async fn await_push(mut c: Conn, limit: Instant) -> (Conn, Option<Instant>) {
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

// ------------------------------------------------------------------------------------------
// The table.

#[derive(Debug, Clone)]
struct Row {
    id: &'static str,
    what: String,
    live: Option<f64>,
    echo: Option<f64>,
    unit: &'static str,
    /// Ratio target (live/echo at most), and an absolute target on the live figure.
    ratio_max: Option<f64>,
    ratio_min: Option<f64>,
    live_max: Option<f64>,
    note: String,
}

impl Row {
    fn new(id: &'static str, what: impl Into<String>, unit: &'static str) -> Self {
        Row {
            id,
            what: what.into(),
            live: None,
            echo: None,
            unit,
            ratio_max: None,
            ratio_min: None,
            live_max: None,
            note: String::new(),
        }
    }

    fn ratio(&self) -> Option<f64> {
        match (self.live, self.echo) {
            (Some(l), Some(e)) if e > 0.0 => Some(l / e),
            _ => None,
        }
    }

    fn verdict(&self) -> String {
        let mut parts = Vec::new();
        let mut ok = true;
        if let (Some(max), Some(r)) = (self.ratio_max, self.ratio()) {
            parts.push(format!("<={max}x"));
            ok &= r <= max;
        }
        if let (Some(min), Some(r)) = (self.ratio_min, self.ratio()) {
            parts.push(format!(">={min}x"));
            ok &= r >= min;
        }
        if let (Some(max), Some(l)) = (self.live_max, self.live) {
            parts.push(format!("<={} {}", fmt(max), self.unit));
            ok &= l <= max;
        }
        if parts.is_empty() {
            "report".into()
        } else {
            format!("{} {}", parts.join(", "), if ok { "MET" } else { "MISSED" })
        }
    }
}

fn fmt(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn print_table(rows: &[Row]) {
    println!();
    println!("| bench | measure | live | echo | ratio | target | notes |");
    println!("|---|---|---|---|---|---|---|");
    for r in rows {
        let cell =
            |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{} {}", fmt(v), r.unit));
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.what,
            cell(r.live),
            cell(r.echo),
            r.ratio().map_or("—".to_owned(), |x| format!("{x:.2}x")),
            r.verdict(),
            r.note
        );
    }
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn sorted_us(v: impl IntoIterator<Item = Duration>) -> Vec<u32> {
    let mut v: Vec<u32> = v
        .into_iter()
        .map(|d| d.as_micros().min(u32::MAX as u128) as u32)
        .collect();
    v.sort_unstable();
    v
}

fn report_errors(what: &str, errors: &[String]) {
    if let Some(e) = errors.first() {
        eprintln!("{what}: {} failed (first: {e})", errors.len());
    }
}

// ------------------------------------------------------------------------------------------
// Scenarios.

/// B3: RSS delta per session, after 100 warm-up sessions opened and closed. For live also a
/// breakdown run: connected (page fetched, websocket open, session actor) but not joined.
async fn idle(cx: &mut Ctx) -> Res<()> {
    let n = cx.cap(cx.opts.idle_sessions, "idle");
    let mut row = Row::new("B3", format!("idle memory per session, N={n}"), "KiB");
    row.live_max = Some(16.0);
    row.ratio_max = Some(1.5);
    let mut part = Row::new("B3", "  breakdown: live connected, not joined", "KiB");
    let mut notes = Vec::new();
    let mut runs: Vec<(Target, bool)> = cx.opts.targets.iter().map(|t| (*t, true)).collect();
    if cx.opts.targets.contains(&Target::Live) {
        runs.push((Target::Live, false));
    }
    for (target, join) in runs {
        let server = cx.spawn(target).await?;
        let (warm, _, errs) = open_many(
            &cx.client,
            target,
            server.port,
            "/",
            100,
            cx.opts.concurrency,
            join,
        )
        .await;
        report_errors("idle warm-up", &errs);
        futures_util::future::join_all(warm.into_iter().map(close)).await;
        let before = cx
            .settle(&server, Duration::from_secs(10), |s| {
                s.sessions == 0 && s.views == 0
            })
            .await?;
        let t = Instant::now();
        let (conns, _, errs) = open_many(
            &cx.client,
            target,
            server.port,
            "/",
            n,
            cx.opts.concurrency,
            join,
        )
        .await;
        let took = t.elapsed();
        report_errors("idle", &errs);
        actix_rt::time::sleep(Duration::from_secs(2)).await;
        let after = cx.stats(&server).await?;
        let per = (after.rss_kib as f64 - before.rss_kib as f64) / conns.len().max(1) as f64;
        eprintln!(
            "B3 {}{}: {} sessions in {:.1}s, RSS {} -> {} KiB, {:.2} KiB/session (views {}, sessions {})",
            target.name(),
            if join { "" } else { " (not joined)" },
            conns.len(),
            took.as_secs_f64(),
            before.rss_kib,
            after.rss_kib,
            per,
            after.views,
            after.sessions
        );
        match (target, join) {
            (Target::Live, true) => row.live = Some(per),
            (Target::Live, false) => part.live = Some(per),
            (Target::Echo, _) => row.echo = Some(per),
        }
        if join {
            notes.push(format!(
                "{}: RSS {}→{} MiB",
                target.name(),
                before.rss_kib / 1024,
                after.rss_kib / 1024
            ));
        }
        drop(server);
        drop(conns);
    }
    part.echo = row.echo;
    row.note = notes.join("; ");
    cx.rows.push(row);
    if part.live.is_some() {
        cx.rows.push(part);
    }
    Ok(())
}

/// One B4 run: target, p50 µs, p99 µs, server CPU %, client CPU %.
type RttRun = (Target, u32, u32, f64, f64);
/// One B5 run: target, events/s, server µs per event, server CPU %, client CPU %.
type SatRun = (Target, f64, f64, f64, f64);

/// B4: open-loop click round trips at `rate` per session; `--repeat` runs per target,
/// interleaved (live, echo, live, …), the median of their percentiles reported.
async fn rtt(cx: &mut Ctx) -> Res<()> {
    for n in cx.opts.rtt_sessions.clone() {
        let n = cx.cap(n, "rtt");
        let mut p50 = Row::new(
            "B4",
            format!("click RTT p50, N={n}, {}/s each", cx.opts.rate),
            "µs",
        );
        p50.ratio_max = Some(1.5);
        let mut p99 = Row::new("B4", format!("click RTT p99, N={n}"), "µs");
        if n >= 5000 {
            p99.live_max = Some(5000.0);
        }
        let mut runs: Vec<RttRun> = Vec::new();
        for _ in 0..cx.opts.repeat {
            for target in cx.opts.targets.clone() {
                let server = cx.spawn(target).await?;
                let (conns, _, errs) = open_many(
                    &cx.client,
                    target,
                    server.port,
                    "/",
                    n,
                    cx.opts.concurrency,
                    true,
                )
                .await;
                report_errors("rtt connect", &errs);
                let count = conns.len().max(1);
                let period = Duration::from_secs_f64(1.0 / cx.opts.rate);
                let start = Instant::now() + Duration::from_millis(200);
                let stop = start + Duration::from_secs_f64(cx.opts.rtt_secs);
                let (c0, s0) = (cx.cpu("self"), cx.cpu(&server.pid));
                let handles: Vec<_> = conns
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let phase = period.mul_f64(i as f64 / count as f64);
                        actix_rt::spawn(open_loop(c, start, phase, period, stop))
                    })
                    .collect();
                let mut lat = Vec::new();
                let (mut sent, mut errors) = (0, 0);
                let mut conns = Vec::new();
                for h in handles {
                    if let Ok((c, out)) = h.await {
                        lat.extend(out.latencies_us);
                        sent += out.sent;
                        errors += out.errors;
                        conns.push(c);
                    }
                }
                let wall = start.elapsed().as_secs_f64();
                let client_cpu = (cx.cpu("self") - c0).as_secs_f64() / wall * 100.0;
                let server_cpu = (cx.cpu(&server.pid) - s0).as_secs_f64() / wall * 100.0;
                lat.sort_unstable();
                let (a, b) = (percentile(&lat, 0.5), percentile(&lat, 0.99));
                eprintln!(
                    "B4 {} N={n}: {sent} sent, {} replies, {errors} lost, p50 {a} µs, p99 {b} µs, max {} µs; CPU client {client_cpu:.0}%, server {server_cpu:.0}% (load {})",
                    target.name(),
                    lat.len(),
                    lat.last().copied().unwrap_or(0),
                    loadavg()
                );
                runs.push((target, a, b, server_cpu, client_cpu));
                drop(server);
                drop(conns);
            }
        }
        let mut notes = Vec::new();
        for target in cx.opts.targets.clone() {
            let mine: Vec<_> = runs.iter().filter(|r| r.0 == target).collect();
            let med = |f: &dyn Fn(&RttRun) -> f64| {
                let mut v: Vec<f64> = mine.iter().map(|r| f(r)).collect();
                v.sort_by(f64::total_cmp);
                v.get(v.len() / 2).copied()
            };
            let (a, b) = (med(&|r| f64::from(r.1)), med(&|r| f64::from(r.2)));
            notes.push(format!(
                "{}: p50 runs {:?}, p99 runs {:?} µs, CPU server {:.0}% client {:.0}%",
                target.name(),
                mine.iter().map(|r| r.1).collect::<Vec<_>>(),
                mine.iter().map(|r| r.2).collect::<Vec<_>>(),
                med(&|r| r.3).unwrap_or(0.0),
                med(&|r| r.4).unwrap_or(0.0)
            ));
            match target {
                Target::Live => (p50.live, p99.live) = (a, b),
                Target::Echo => (p50.echo, p99.echo) = (a, b),
            }
        }
        p50.note = notes.join("; ");
        cx.rows.push(p50);
        cx.rows.push(p99);
    }
    Ok(())
}

/// B5: closed-loop saturation; `--repeat` runs per target, interleaved, median reported.
async fn saturate(cx: &mut Ctx) -> Res<()> {
    let n = cx.cap(cx.opts.sat_sessions, "saturate");
    let w = cx.opts.sat_window;
    let mut rate = Row::new(
        "B5",
        format!("saturation, {n} sessions x {w} in flight"),
        "ev/s",
    );
    rate.ratio_min = Some(0.6);
    let mut cost = Row::new("B5", "server CPU per event", "µs");
    let mut runs: Vec<SatRun> = Vec::new();
    for _ in 0..cx.opts.repeat {
        for target in cx.opts.targets.clone() {
            let server = cx.spawn(target).await?;
            let (conns, _, errs) = open_many(
                &cx.client,
                target,
                server.port,
                "/",
                n,
                cx.opts.concurrency,
                true,
            )
            .await;
            report_errors("saturate connect", &errs);
            let measure = Instant::now() + Duration::from_secs(1);
            let stop = measure + Duration::from_secs_f64(cx.opts.sat_secs);
            let handles: Vec<_> = conns
                .into_iter()
                .map(|c| actix_rt::spawn(closed_loop(c, w, measure, stop)))
                .collect();
            actix_rt::time::sleep_until(measure.into()).await;
            let (c0, s0) = (cx.cpu("self"), cx.cpu(&server.pid));
            actix_rt::time::sleep_until(stop.into()).await;
            let (c1, s1) = (cx.cpu("self"), cx.cpu(&server.pid));
            let (mut done, mut errors, mut conns) = (0, 0, Vec::new());
            for h in handles {
                if let Ok((c, d, e)) = h.await {
                    done += d;
                    errors += e;
                    conns.push(c);
                }
            }
            let secs = cx.opts.sat_secs;
            let per_s = done as f64 / secs;
            let server_cpu = (s1 - s0).as_secs_f64();
            let client_cpu = (c1 - c0).as_secs_f64();
            let us_per = server_cpu * 1e6 / done.max(1) as f64;
            eprintln!(
                "B5 {}: {done} replies in {secs}s = {per_s:.0}/s, {errors} errors; CPU server {:.0}%, client {:.0}%; server {us_per:.1} µs/event (load {})",
                target.name(),
                server_cpu / secs * 100.0,
                client_cpu / secs * 100.0,
                loadavg()
            );
            runs.push((
                target,
                per_s,
                us_per,
                server_cpu / secs * 100.0,
                client_cpu / secs * 100.0,
            ));
            drop(server);
            drop(conns);
        }
    }
    let mut notes = Vec::new();
    for target in cx.opts.targets.clone() {
        let mine: Vec<_> = runs.iter().filter(|r| r.0 == target).collect();
        let med = |f: &dyn Fn(&SatRun) -> f64| {
            let mut v: Vec<f64> = mine.iter().map(|r| f(r)).collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied()
        };
        notes.push(format!(
            "{}: runs {:?} ev/s, CPU server {:.0}% client {:.0}%",
            target.name(),
            mine.iter().map(|r| r.1.round()).collect::<Vec<_>>(),
            med(&|r| r.3).unwrap_or(0.0),
            med(&|r| r.4).unwrap_or(0.0)
        ));
        match target {
            Target::Live => (rate.live, cost.live) = (med(&|r| r.1), med(&|r| r.2)),
            Target::Echo => (rate.echo, cost.echo) = (med(&|r| r.1), med(&|r| r.2)),
        }
    }
    // Each repeat ran live then echo back to back: their ratios, pair by pair.
    let live: Vec<f64> = runs
        .iter()
        .filter(|r| r.0 == Target::Live)
        .map(|r| r.1)
        .collect();
    let echo: Vec<f64> = runs
        .iter()
        .filter(|r| r.0 == Target::Echo)
        .map(|r| r.1)
        .collect();
    if !live.is_empty() && live.len() == echo.len() {
        let pairs: Vec<String> = live
            .iter()
            .zip(&echo)
            .map(|(l, e)| format!("{:.2}x", l / e.max(1.0)))
            .collect();
        notes.push(format!("paired live/echo ratios {}", pairs.join(", ")));
    }
    rate.note = notes.join("; ");
    cx.rows.push(rate);
    cx.rows.push(cost);
    Ok(())
}

/// B6: sequential GET vs connect + join.
async fn connect(cx: &mut Ctx) -> Res<()> {
    let k = cx.opts.connect_samples.max(1);
    let mut get_row = Row::new(
        "B6",
        format!("dead render GET p50 (HTTP), {k} samples"),
        "µs",
    );
    let mut cj_row = Row::new("B6", "ws connect + phx_join p50", "µs");
    let mut ratio_row = Row::new("B6", "connect+join / GET (live); echo = ws handshake", "x");
    let mut live_cj = None;
    let mut live_get = None;
    for target in cx.opts.targets.clone() {
        let server = cx.spawn(target).await?;
        let mut timings = Vec::new();
        for _ in 0..k {
            match open(&cx.client, target, server.port, "/", true).await {
                Ok((c, t)) => {
                    timings.push(t);
                    close(c).await;
                }
                Err(e) => eprintln!("connect: {e}"),
            }
        }
        let gets = sorted_us(timings.iter().map(|t| t.get));
        let cjs = sorted_us(timings.iter().map(|t| t.connect + t.join));
        let conns = sorted_us(timings.iter().map(|t| t.connect));
        let joins = sorted_us(timings.iter().map(|t| t.join));
        eprintln!(
            "B6 {}: GET p50 {} p99 {}; connect p50 {} p99 {}; join p50 {} p99 {}; connect+join p50 {} p99 {} (µs)",
            target.name(),
            percentile(&gets, 0.5),
            percentile(&gets, 0.99),
            percentile(&conns, 0.5),
            percentile(&conns, 0.99),
            percentile(&joins, 0.5),
            percentile(&joins, 0.99),
            percentile(&cjs, 0.5),
            percentile(&cjs, 0.99)
        );
        match target {
            Target::Live => {
                get_row.live = Some(percentile(&gets, 0.5) as f64);
                cj_row.live = Some(percentile(&cjs, 0.5) as f64);
                cj_row.note = format!(
                    "live: handshake {} + join {} µs",
                    percentile(&conns, 0.5),
                    percentile(&joins, 0.5)
                );
                live_cj = cj_row.live;
                live_get = get_row.live;
            }
            Target::Echo => cj_row.echo = Some(percentile(&cjs, 0.5) as f64),
        }
    }
    if let (Some(cj), Some(g)) = (live_cj, live_get) {
        ratio_row.live = Some(cj / g.max(1.0));
        ratio_row.note = "report (no target)".into();
    }
    cx.rows.push(get_row);
    cx.rows.push(cj_row);
    cx.rows.push(ratio_row);
    Ok(())
}

/// What one B7 variant measured.
struct Bcast {
    last_ms: f64,
    per_us: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_us: Option<f64>,
    missing: usize,
}

/// B7, one variant: `rounds` times, every session waits for a pushed diff while one POST to
/// `endpoint` makes the server broadcast.
async fn broadcast_run(
    cx: &mut Ctx,
    target: Target,
    path: &str,
    endpoint: &str,
    n: usize,
) -> Res<Bcast> {
    let server = cx.spawn(target).await?;
    let (mut conns, _, errs) = open_many(
        &cx.client,
        target,
        server.port,
        path,
        n,
        cx.opts.concurrency,
        true,
    )
    .await;
    report_errors("broadcast connect", &errs);
    let count = conns.len();
    let mut lasts = Vec::new();
    let mut all = Vec::new();
    let mut missing = 0;
    let mut server_us = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..cx.opts.bcast_rounds {
        let limit = Instant::now() + Duration::from_secs(15);
        let handles: Vec<_> = conns
            .drain(..)
            .map(|c| actix_rt::spawn(await_push(c, limit)))
            .collect();
        actix_rt::time::sleep(Duration::from_millis(300)).await;
        let s0 = cx.cpu(&server.pid);
        let t0 = Instant::now();
        let mut res = cx
            .client
            .post(format!("http://127.0.0.1:{}{endpoint}", server.port))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body = res.body().await.map_err(|e| e.to_string())?;
        let body: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        server_us.push(body["micros"].as_u64().unwrap_or(0));
        let mut round = Vec::new();
        for h in handles {
            if let Ok((c, at)) = h.await {
                match at {
                    Some(at) => round.push(at.saturating_duration_since(t0)),
                    None => missing += 1,
                }
                conns.push(c);
            }
        }
        cpus.push((cx.cpu(&server.pid) - s0).as_secs_f64() * 1e6 / count.max(1) as f64);
        round.sort_unstable();
        lasts.push(round.last().copied().unwrap_or_default());
        all.extend(round);
        actix_rt::time::sleep(Duration::from_millis(200)).await;
    }
    lasts.sort_unstable();
    cpus.sort_by(f64::total_cmp);
    let last_ms = lasts
        .get(lasts.len() / 2)
        .map_or(0.0, |d| d.as_secs_f64() * 1e3);
    let all = sorted_us(all);
    eprintln!(
        "B7 {} {path}: {count} sessions, last recipient per round {:?} ms, p50 {} µs, p99 {} µs, {missing} missing; server send {:?} µs; CPU/recipient {:?} µs (load {})",
        target.name(),
        lasts.iter().map(|d| d.as_millis()).collect::<Vec<_>>(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        server_us,
        cpus.iter().map(|c| c.round()).collect::<Vec<_>>(),
        loadavg()
    );
    drop(server);
    drop(conns);
    Ok(Bcast {
        last_ms,
        per_us: last_ms * 1e3 / count.max(1) as f64,
        p50_ms: f64::from(percentile(&all, 0.5)) / 1e3,
        p99_ms: f64::from(percentile(&all, 0.99)) / 1e3,
        cpu_us: cpus.get(cpus.len() / 2).copied(),
        missing,
    })
}

/// B7: one broadcast to every session, `--bcast-rounds` times: live through the PubSub
/// (`/p`, `POST /bench/publish`), live by sending `Info` to every view directly (`/b`), echo.
async fn broadcast(cx: &mut Ctx) -> Res<()> {
    let n = cx.cap(cx.opts.bcast_sessions, "broadcast");
    let echo = if cx.opts.targets.contains(&Target::Echo) {
        Some(broadcast_run(cx, Target::Echo, "/", "/bench/broadcast", n).await?)
    } else {
        None
    };
    if !cx.opts.targets.contains(&Target::Live) {
        return Ok(());
    }
    for (path, endpoint, how) in [
        ("/p", "/bench/publish", "PubSub"),
        ("/b", "/bench/broadcast", "direct Info to each view"),
    ] {
        let live = broadcast_run(cx, Target::Live, path, endpoint, n).await?;
        let mut last = Row::new(
            "B7",
            format!("broadcast to N={n} ({how}): last recipient"),
            "ms",
        );
        let mut per = Row::new("B7", "  per recipient (last / N)", "µs");
        let mut p50 = Row::new("B7", "  recipient p50", "ms");
        let mut cpu = Row::new("B7", "  server CPU per recipient", "µs");
        (last.live, per.live, p50.live, cpu.live) = (
            Some(live.last_ms),
            Some(live.per_us),
            Some(live.p50_ms),
            live.cpu_us,
        );
        p50.note = format!("live p99 {:.1} ms", live.p99_ms);
        last.note = format!(
            "median of {} rounds; live {} missed",
            cx.opts.bcast_rounds, live.missing
        );
        if let Some(e) = &echo {
            (last.echo, per.echo, p50.echo, cpu.echo) =
                (Some(e.last_ms), Some(e.per_us), Some(e.p50_ms), e.cpu_us);
            p50.note.push_str(&format!("; echo p99 {:.1} ms", e.p99_ms));
            last.note.push_str(&format!(", echo {} missed", e.missing));
        }
        cpu.note = "10 ms clock ticks: coarse".into();
        cx.rows.extend([last, per, p50, cpu]);
    }
    Ok(())
}

async fn cycles(cx: &Ctx, target: Target, port: u16, n: usize) -> usize {
    let client = &cx.client;
    let failed: Vec<bool> = futures_util::stream::iter(0..n)
        .map(|_| async move {
            match open(client, target, port, "/", true).await {
                Ok((c, _)) => {
                    close(c).await;
                    false
                }
                Err(e) => {
                    eprintln!("churn: {e}");
                    true
                }
            }
        })
        .buffer_unordered(cx.opts.concurrency)
        .collect()
        .await;
    failed.iter().filter(|f| **f).count()
}

/// B8: connect/join/close cycles.
async fn churn(cx: &mut Ctx) -> Res<()> {
    let n = cx.opts.churn_cycles;
    let mut rss = Row::new("B8", format!("RSS after {n} cycles / before"), "x");
    rss.live_max = Some(1.1);
    let mut actors = Row::new("B8", "live views+sessions after − before", "");
    for target in cx.opts.targets.clone() {
        let server = cx.spawn(target).await?;
        let fresh = cx.stats(&server).await?;
        let failed_w = cycles(cx, target, server.port, cx.opts.churn_warmup).await;
        let before = cx
            .settle(&server, Duration::from_secs(15), |s| {
                s.views == fresh.views && s.sessions == fresh.sessions
            })
            .await?;
        let t = Instant::now();
        let failed = cycles(cx, target, server.port, n).await;
        let took = t.elapsed();
        let after = cx
            .settle(&server, Duration::from_secs(15), |s| {
                s.views == before.views && s.sessions == before.sessions
            })
            .await?;
        let ratio = after.rss_kib as f64 / before.rss_kib.max(1) as f64;
        eprintln!(
            "B8 {}: fresh {:?}; after {} warm-up cycles {:?}; after {n} cycles ({:.1}s, {:.0}/s, {} failed) {:?}",
            target.name(),
            fresh,
            cx.opts.churn_warmup,
            before,
            took.as_secs_f64(),
            n as f64 / took.as_secs_f64(),
            failed + failed_w,
            after
        );
        let delta = (after.views + after.sessions) as f64 - (before.views + before.sessions) as f64;
        let note = format!(
            "{}: RSS fresh {} KiB, before {} KiB, after {} KiB; views {}→{}, sessions {}→{}; {:.0} cycles/s",
            target.name(),
            fresh.rss_kib,
            before.rss_kib,
            after.rss_kib,
            before.views,
            after.views,
            before.sessions,
            after.sessions,
            n as f64 / took.as_secs_f64()
        );
        match target {
            Target::Live => {
                rss.live = Some(ratio);
                actors.live = Some(delta);
                rss.note = note;
            }
            Target::Echo => {
                rss.echo = Some(ratio);
                actors.echo = Some(delta);
                actors.note = note;
            }
        }
    }
    actors.live_max = Some(0.0);
    cx.rows.push(rss);
    cx.rows.push(actors);
    Ok(())
}

/// One live session clicking at 20/s for `--smoke-secs`.
async fn smoke(cx: &mut Ctx) -> Res<()> {
    let server = cx.spawn(Target::Live).await?;
    let (c, t) = open(&cx.client, Target::Live, server.port, "/", true).await?;
    let start = Instant::now();
    let stop = start + Duration::from_secs_f64(cx.opts.smoke_secs);
    let (c, out) = open_loop(c, start, Duration::ZERO, Duration::from_millis(50), stop).await;
    close(c).await;
    let mut lat = out.latencies_us;
    lat.sort_unstable();
    println!(
        "smoke: joined in {:.0} µs (GET {:.0}); {} clicks, {} replies, {} lost; p50 {} µs",
        us(t.connect + t.join),
        us(t.get),
        out.sent,
        lat.len(),
        out.errors,
        percentile(&lat, 0.5)
    );
    if lat.is_empty() || out.errors > 0 {
        return Err("smoke: no replies or lost clicks".into());
    }
    let after = cx
        .settle(&server, Duration::from_secs(5), |s| {
            s.views == 0 && s.sessions == 0
        })
        .await?;
    if after.views != 0 || after.sessions != 0 {
        return Err(format!("smoke: actors left after close: {after:?}"));
    }
    Ok(())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|k| k.parse::<u64>().ok())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "{cores} CPUs ({cpu}), {} GiB, Linux {}, load {}",
        mem / 1024 / 1024,
        kernel.trim(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}

fn main() -> Result<(), String> {
    let Some(opts) = parse_opts()? else {
        print!("{HELP}");
        return Ok(());
    };
    let machine = machine();
    let pin = (opts.server_cpu.is_some() || opts.client_cpu.is_some()) && taskset_available();
    if let (true, Some(cpu)) = (pin, opts.client_cpu) {
        let ok = Command::new("taskset")
            .args([
                "-a",
                "-cp",
                &cpu.to_string(),
                &std::process::id().to_string(),
            ])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("note: could not pin to CPU {cpu}");
        }
    }
    let limit = open_file_limit();
    // One socket per session in each process, plus spare; and the team's cap of 9,000.
    let max_sessions = limit.saturating_sub(300).clamp(1, MAX_SESSIONS);
    println!("machine: {machine}");
    println!(
        "pinning: server CPU {:?}, client CPU {:?} ({}); open-file limit {limit} -> at most {max_sessions} sessions",
        opts.server_cpu,
        opts.client_cpu,
        if pin { "taskset" } else { "off" }
    );
    actix_rt::System::new().block_on(async move {
        let client = awc::Client::builder()
            .connector(awc::Connector::new().limit(0))
            .timeout(Duration::from_secs(20))
            .finish();
        let mut cx = Ctx {
            ticks: clock_ticks(),
            client,
            next_port: 0,
            pin,
            max_sessions,
            rows: Vec::new(),
            opts,
        };
        for s in cx.opts.scenarios.clone() {
            eprintln!("== {s} (load average {})", loadavg());
            match s.as_str() {
                "smoke" => smoke(&mut cx).await?,
                "idle" => idle(&mut cx).await?,
                "rtt" => rtt(&mut cx).await?,
                "saturate" => saturate(&mut cx).await?,
                "connect" => connect(&mut cx).await?,
                "broadcast" => broadcast(&mut cx).await?,
                "churn" => churn(&mut cx).await?,
                _ => {}
            }
        }
        if !cx.rows.is_empty() {
            println!("load average at the end: {}", loadavg());
            print_table(&cx.rows);
        }
        Ok(())
    })
}
