//! Run with `cargo run -p example-feed`
//!
//! Serves the feed at `http://127.0.0.1:$PORT/` (default port 4000).

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let board = actix_web::web::Data::new(example_feed::Board::new(liveview::PubSub::start()));
    let live = example_feed::live_config();
    let server = liveview::Serve::from_env()
        .start(move || example_feed::app(board.clone(), live.clone()))?;
    #[allow(clippy::print_stdout)] // the browser tests wait for this line
    {
        println!("listening on {}", server.url());
    }
    server.wait().await
}
