//! `lv-bench-server`: the counter (`--mode live`) or the raw websocket echo baseline
//! (`--mode echo`) on 127.0.0.1, for `lv-loadgen`.

use actix_web::{App, HttpServer};
use liveview_bench::server::{echo_app, live_app, live_config};

const HELP: &str = "\
lv-bench-server: a server for lv-loadgen (loopback only)

USAGE: lv-bench-server [--mode live|echo] [--port P] [--workers W]

  --mode live   the counter (example-counter's view) at /, the same counter with a
                handle_info at /b (fed directly) and at /p (subscribed to the PubSub),
                /live/websocket (default)
  --mode echo   a raw actix-web-actors websocket echo at /ws (the baseline)
  --port P      port on 127.0.0.1 (default 18080; keep it below 32768)
  --workers W   actix worker threads (default 1)
  -h, --help    this text

Both modes answer GET /bench/stats with {\"views\",\"sessions\",\"rss_kib\"} and
POST /bench/broadcast (one message to every connected session) with {\"sent\",\"micros\"};
live mode also POST /bench/publish (one PubSub broadcast to the /p views).
Prints `ready <port>` on stdout once listening.
";

fn main() -> std::io::Result<()> {
    let mut mode = "live".to_owned();
    let mut port: u16 = 18080;
    let mut workers: usize = 1;
    let mut args = std::env::args().skip(1);
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, what.to_owned());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mode" => mode = args.next().ok_or_else(|| bad("--mode needs a value"))?,
            "--port" => {
                port = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| bad("--port needs a number"))?;
            }
            "--workers" => {
                workers = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| bad("--workers needs a number"))?;
            }
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(());
            }
            other => return Err(bad(&format!("unknown argument `{other}` (see --help)"))),
        }
    }
    actix_web::rt::System::new().block_on(async move {
        let server = match mode.as_str() {
            "live" => {
                let pubsub = liveview_session::PubSub::start();
                let live = live_config(&pubsub);
                HttpServer::new(move || {
                    App::new().configure(live_app(live.clone(), pubsub.clone()))
                })
                .client_disconnect_timeout(liveview_session::CLIENT_DISCONNECT_TIMEOUT)
                .on_connect(liveview_session::on_connect)
                .workers(workers)
                .backlog(4096)
                .disable_signals()
                .bind(("127.0.0.1", port))?
                .run()
            }
            "echo" => HttpServer::new(|| App::new().configure(echo_app))
                .workers(workers)
                .backlog(4096)
                .disable_signals()
                .bind(("127.0.0.1", port))?
                .run(),
            other => return Err(bad(&format!("unknown mode `{other}`"))),
        };
        println!("ready {port}");
        server.await
    })
}
