//! Run with `cargo run -p example-chat`
//!
//! Serves the chat at `http://127.0.0.1:$PORT/` (default port 4000); open it in two tabs.

use example_chat::{live_config, Room};
use liveview::prelude::PubSub;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Warnings (a refused join, a view that missed PubSub messages) show; `RUST_LOG=debug` for more.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    // One broker for the whole server, shared by every worker's views.
    let live = live_config(Room::new(PubSub::start()));
    let server = liveview::Serve::from_env().start(move || example_chat::app(live.clone()))?;
    #[allow(clippy::print_stdout)] // the browser tests wait for this line
    {
        println!("listening on {}", server.url());
    }
    server.wait().await
}
