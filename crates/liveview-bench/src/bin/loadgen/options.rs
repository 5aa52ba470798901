//! Command-line options: the help text, [`Opts`] and its parser.

use std::path::PathBuf;

use crate::Res;

pub(crate) const HELP: &str = "\
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
pub(crate) const MAX_SESSIONS: usize = 9000;

#[derive(Debug, Clone)]
pub(crate) struct Opts {
    pub(crate) scenarios: Vec<String>,
    pub(crate) server_bin: PathBuf,
    pub(crate) port: u16,
    pub(crate) server_cpu: Option<usize>,
    pub(crate) client_cpu: Option<usize>,
    pub(crate) workers: usize,
    pub(crate) targets: Vec<Target>,
    pub(crate) idle_sessions: usize,
    pub(crate) rtt_sessions: Vec<usize>,
    pub(crate) rtt_secs: f64,
    pub(crate) rate: f64,
    pub(crate) sat_sessions: usize,
    pub(crate) sat_window: usize,
    pub(crate) sat_secs: f64,
    pub(crate) connect_samples: usize,
    pub(crate) bcast_sessions: usize,
    pub(crate) bcast_rounds: usize,
    pub(crate) churn_cycles: usize,
    pub(crate) churn_warmup: usize,
    pub(crate) concurrency: usize,
    pub(crate) smoke_secs: f64,
    pub(crate) repeat: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Live,
    Echo,
}

impl Target {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Target::Live => "live",
            Target::Echo => "echo",
        }
    }
}

pub(crate) fn parse_opts() -> Res<Option<Opts>> {
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
