//! Run with `cargo run -p example-counter`
//!
//! Serves the counter at `http://127.0.0.1:$PORT/` (default port 4000).

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Warnings (a refused join, a view that missed PubSub messages) show; `RUST_LOG=debug` for more.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let live = example_counter::live_config();
    let server = liveview::Serve::from_env().start(move || example_counter::app(live.clone()))?;
    #[allow(clippy::print_stdout)] // the browser tests wait for this line
    {
        println!("listening on {}", server.url());
    }
    server.wait().await
}
