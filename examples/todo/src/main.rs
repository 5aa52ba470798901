//! Run with `cargo run -p example-todo`
//!
//! Serves the todo list at `http://127.0.0.1:$PORT/` (default port 4000): forms with
//! validation, a keyed list with reorder and delete, a filter through live patches, and a
//! second live view (`/todos/{id}`) reached by live navigation, with flash messages.

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // Warnings (a refused join, a view that missed PubSub messages) show; `RUST_LOG=debug` for more.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let live = example_todo::live_config(example_todo::Store::default());
    let server = liveview::Serve::from_env().start(move || example_todo::app(live.clone()))?;
    #[allow(clippy::print_stdout)] // the browser tests wait for this line
    {
        println!("listening on {}", server.url());
    }
    server.wait().await
}
