//! The conformance app: Phoenix LiveView's e2e fixture views (E2E_SCENARIOS.md), re-created
//! as Rust live views, served for the Playwright suite in `tests/conformance`.
//!
//! Run with `cargo run -p liveview-conformance`. Environment:
//! * `PORT` (default 4004): it binds `127.0.0.1:$PORT`; browse `http://localhost:$PORT`
//!   (the official client logs debug lines only on `localhost`);
//! * `LIVEVIEW_CLIENT=official|ours` (default `official`): which client the pages load;
//! * `CONFORMANCE_NODE_MODULES`: where `phoenix` and `phoenix_live_view` are installed
//!   (default `tests/conformance/node_modules`), served under `/assets/`.
//!
//! Besides the live routes: `GET /health` (`OK`), `POST /eval` (test control,
//! `control.rs`), `/assets/phoenix/*` and `/assets/phoenix_live_view/*`.

#![allow(unreachable_pub, dead_code)] // a binary; the JS builder, gates and session names are shared with part B

mod control;
mod js;
mod layout;
mod router;
mod views;

use std::path::PathBuf;

use actix_web::{web, App, HttpResponse, HttpServer};
use liveview::LiveConfig;

use crate::layout::Client;

fn node_modules() -> PathBuf {
    std::env::var_os("CONFORMANCE_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/node_modules")
        })
}

/// `/assets/{package}/{file}`: the official client's files, read at runtime from
/// `node_modules/<package>/priv/static/` (never committed).
async fn official_asset(path: web::Path<(String, String)>) -> HttpResponse {
    let (package, file) = path.into_inner();
    let allowed = matches!(
        (package.as_str(), file.as_str()),
        (
            "phoenix",
            "phoenix.min.js" | "phoenix.js" | "phoenix.mjs" | "phoenix.mjs.map"
        ) | (
            "phoenix_live_view",
            "phoenix_live_view.esm.js" | "phoenix_live_view.esm.js.map" | "phoenix_live_view.js"
        )
    );
    if !allowed {
        return HttpResponse::NotFound().body("not found");
    }
    let full = node_modules()
        .join(&package)
        .join("priv/static")
        .join(&file);
    match std::fs::read(&full) {
        Ok(bytes) => HttpResponse::Ok()
            .content_type(if file.ends_with(".map") {
                "application/json"
            } else {
                "text/javascript; charset=utf-8"
            })
            .body(bytes),
        Err(e) => HttpResponse::NotFound().body(format!("{}: {e}", full.display())),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(4004);
    let client = Client::from_env();
    let live = router::live_routes(
        LiveConfig::with_random_secret()
            .layout(move |page| layout::layout(page, client))
            .client_head(maud::html! {}),
    );
    let server = HttpServer::new(move || {
        App::new()
            .configure(liveview::config(live.clone()))
            .route("/health", web::get().to(|| async { "OK" }))
            .route(
                "/favicon.ico",
                web::get().to(|| async { HttpResponse::NoContent().finish() }),
            )
            .route("/eval", web::post().to(control::http_eval))
            .route("/submit", web::post().to(views::form_issues::submit_echo))
            .route("/assets/{package}/{file}", web::get().to(official_asset))
    })
    .client_disconnect_timeout(liveview::CLIENT_DISCONNECT_TIMEOUT)
    .on_connect(liveview::on_connect)
    .bind(("127.0.0.1", port))?;
    #[allow(clippy::print_stdout)]
    {
        println!("listening on http://localhost:{port}/ (client: {client:?})");
    }
    server.run().await
}
