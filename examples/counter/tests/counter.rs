//! The counter, dead and live.

use actix_web::{test, App};
use liveview_test::socket::TestServer;
use liveview_test::ws;
use serde_json::json;

#[actix_web::test]
async fn dead_render_shows_the_count_and_buttons() {
    let app = test::init_service(
        App::new().configure(example_counter::app(example_counter::live_config())),
    )
    .await;
    let body = test::call_and_read_body(&app, test::TestRequest::get().uri("/").to_request()).await;
    let html = std::str::from_utf8(&body).expect("utf-8 page");
    assert!(html.contains(r#"<span id="count">0</span>"#), "{html}");
    assert!(
        html.contains(r#"<button id="inc" phx-click="inc">+</button>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<button id="dec" phx-click="dec">-</button>"#),
        "{html}"
    );
    assert!(html.contains("<title>Count: 0</title>"), "{html}");
    assert!(html.contains("data-phx-main"), "{html}");
}

#[actix_web::test]
async fn clicking_inc_sends_the_new_count_and_title() {
    let server = TestServer::live(example_counter::live_config());
    let page = ws::page(server.addr(), "/").await;
    let mut conn = ws::connect(&page).await;
    let reply = ws::join_at(&mut conn, &page, &page.url()).await;
    assert_eq!(reply["status"], "ok", "{reply}");
    assert_eq!(reply["response"]["rendered"]["0"], "0");
    ws::send(&mut conn, ws::click(&page, "1", "2", "inc")).await;
    assert_eq!(
        ws::reply_payload(&mut conn, "2").await,
        json!({"status": "ok", "response": {"diff": {"0": "1", "t": "Count: 1"}}})
    );
}
