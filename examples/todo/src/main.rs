//! Run with `cargo run -p example-todo`
//!
//! Serves the todo list at `http://127.0.0.1:$PORT/` (default port 4000): forms with
//! validation, a keyed list with reorder and delete, a filter through live patches, and a
//! second live view (`/todos/{id}`) reached by live navigation, with flash messages.

use actix_web::{App, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Warnings (a refused join, a view that missed PubSub messages) show; `RUST_LOG=debug` for more.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4000);
    let live = example_todo::live_config(example_todo::Store::default());
    let server = HttpServer::new(move || App::new().configure(example_todo::app(live.clone())))
        .client_disconnect_timeout(liveview::CLIENT_DISCONNECT_TIMEOUT)
        .on_connect(liveview::on_connect)
        .bind(("127.0.0.1", port))?;
    #[allow(clippy::print_stdout)]
    {
        println!("listening on http://127.0.0.1:{port}/");
    }
    server.run().await
}
