//! Run with `cargo run -p example-chat`
//!
//! Serves the chat at `http://127.0.0.1:$PORT/` (default port 4000); open it in two tabs.
//!
//! Cluster mode: with `REDIS_URL` set (`redis://127.0.0.1:6379/`), the broker joins the other
//! nodes through Redis, under the node name `LIVEVIEW_NODE` (default: the port); run two
//! servers on two ports with the same `SECRET_KEY_BASE` and the same `REDIS_URL` (see the
//! README).

use example_chat::{live_config, Room};
use liveview::prelude::PubSub;
use liveview_pubsub_redis::RedisAdapter;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Warnings (a refused join, a view that missed PubSub messages) show; `RUST_LOG=debug` for more.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    // One broker for the whole server, shared by every worker's views; joined to the other
    // nodes through Redis when `REDIS_URL` is set.
    let pubsub = match std::env::var("REDIS_URL") {
        Ok(url) if !url.is_empty() => {
            let node = std::env::var("LIVEVIEW_NODE").unwrap_or_else(|_| {
                format!(
                    "chat-{}",
                    std::env::var("PORT").unwrap_or_else(|_| "4000".into())
                )
            });
            let adapter = RedisAdapter::new(&url).map_err(std::io::Error::other)?;
            let pubsub = PubSub::builder()
                .node(node)
                .adapter(adapter)
                .start()
                .map_err(std::io::Error::other)?;
            log::info!("cluster mode: node `{}` on {url}", pubsub.node());
            pubsub
        }
        _ => PubSub::start(),
    };
    let live = live_config(Room::new(pubsub));
    let server = liveview::Serve::from_env().start(move || example_chat::app(live.clone()))?;
    #[allow(clippy::print_stdout)] // the browser tests wait for this line
    {
        println!("listening on {}", server.url());
    }
    server.wait().await
}
