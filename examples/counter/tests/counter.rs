//! The counter, dead and live.

use std::time::Duration;

use actix_web::{test, App, HttpServer};
use awc::ws;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};

fn attr(html: &str, name: &str) -> String {
    let key = format!("{name}=\"");
    let at = html.find(&key).expect("attribute") + key.len();
    html[at..].split('"').next().expect("value").to_owned()
}

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
    let live = example_counter::live_config();
    let server = HttpServer::new(move || App::new().configure(example_counter::app(live.clone())))
        .client_disconnect_timeout(liveview::CLIENT_DISCONNECT_TIMEOUT)
        .on_connect(liveview::on_connect)
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("bind");
    let addr = server.addrs()[0];
    actix_rt::spawn(server.run());

    let mut res = awc::Client::new()
        .get(format!("http://{addr}/"))
        .send()
        .await
        .expect("GET /");
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("cookie");
    let cookie = cookie.split(';').next().expect("name=value").to_owned();
    let html = String::from_utf8(res.body().await.expect("body").to_vec()).expect("utf-8");
    let id = attr(&html, "div id");
    let csrf = {
        let at = html.find(r#"name="csrf-token" content=""#).expect("meta") + 27;
        html[at..].split('"').next().expect("token").to_owned()
    };

    let (_, mut conn) = awc::Client::new()
        .ws(format!(
            "ws://{addr}/live/websocket?_csrf_token={csrf}&vsn=2.0.0"
        ))
        .origin(format!("http://{addr}"))
        .header("cookie", cookie)
        .connect()
        .await
        .expect("websocket");
    let topic = format!("lv:{id}");
    let frames = [
        json!(["1", "1", topic, "phx_join", {
            "url": format!("http://{addr}/"), "params": {"_csrf_token": csrf},
            "session": attr(&html, "data-phx-session"), "static": attr(&html, "data-phx-static"),
        }]),
        json!(["1", "2", topic, "event", {"type": "click", "event": "inc", "value": {"value": ""}}]),
    ];
    let mut replies = Vec::new();
    for frame in frames {
        conn.send(ws::Message::Text(frame.to_string().into()))
            .await
            .expect("send");
        let reply = loop {
            let next = actix_rt::time::timeout(Duration::from_secs(5), conn.next()).await;
            if let Some(Ok(ws::Frame::Text(text))) = next.expect("a reply in time") {
                let v: Value = serde_json::from_slice(&text).expect("json");
                if v[3] == "phx_reply" {
                    break v[4].clone();
                }
            }
        };
        replies.push(reply);
    }
    assert_eq!(replies[0]["status"], "ok", "{}", replies[0]);
    assert_eq!(replies[0]["response"]["rendered"]["0"], "0");
    assert_eq!(
        replies[1],
        json!({"status": "ok", "response": {"diff": {"0": "1", "t": "Count: 1"}}})
    );
}
