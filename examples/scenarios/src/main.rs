//! Run with `cargo run -p example-scenarios`
//!
//! Serves the browser scenarios at `http://127.0.0.1:$PORT/` (default port 4000): `/form`,
//! `/list`, `/patch`, `/crash`, `/adopt`, `/twice` and `/reconnect` (`RECONNECT_GRACE_MS` sets
//! how long a dropped socket's views wait for their client).

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Warnings (a refused join, a view that missed PubSub messages) show; `RUST_LOG=debug` for more.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let live = example_scenarios::live_config();
    let server = liveview::Serve::from_env().start(move || example_scenarios::app(live.clone()))?;
    #[allow(clippy::print_stdout)] // the browser tests wait for this line
    {
        println!("listening on {}", server.url());
    }
    server.wait().await
}
