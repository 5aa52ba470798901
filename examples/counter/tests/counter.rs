//! The counter's dead render.

use actix_web::{test, App};

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
