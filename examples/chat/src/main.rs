//! Run with `cargo run -p example-chat`
//!
//! Serves the chat at `http://127.0.0.1:$PORT/` (default port 4000); open it in two tabs.

use actix_web::{App, HttpServer};
use example_chat::{live_config, Room};
use liveview_session::PubSub;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Warnings (a refused join, a view that missed PubSub messages) show; `RUST_LOG=debug` for more.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4000);
    // One broker for the whole server, started in this actix system and shared by every
    // worker's views.
    let room = Room::new(PubSub::start());
    let live = live_config(room);
    let server = HttpServer::new(move || App::new().configure(example_chat::app(live.clone())))
        .client_disconnect_timeout(liveview::CLIENT_DISCONNECT_TIMEOUT)
        .on_connect(liveview::on_connect)
        .bind(("127.0.0.1", port))?;
    #[allow(clippy::print_stdout)]
    {
        println!("listening on http://127.0.0.1:{port}/");
    }
    server.run().await
}
