//! The live side over a real websocket: joins with the page's tokens, events, and every
//! refusal (forged, expired, other-view tokens; CSRF; Origin; another app's secret).

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use liveview_diff::ClientTree;
use liveview_http::{LiveConfig, SessionClaims};
use liveview_session::Session;
use serde_json::{json, Value};
use support::{
    app, assert_refused, connect, connect_with, join_at, join_with, page, reply_payload, send,
    serve, OTHER_SECRET, SECRET,
};

fn url(addr: std::net::SocketAddr, path: &str) -> String {
    format!("http://{addr}{path}")
}

#[actix_rt::test]
async fn join_with_the_page_tokens_answers_a_full_render() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let mut conn = connect(&page).await;
    let reply = join_at(&mut conn, &page, &url(addr, "/")).await;
    assert_eq!(reply["status"], "ok", "{reply}");
    let rendered = &reply["response"]["rendered"];
    assert_eq!(rendered["0"], "0", "{rendered}");
    assert!(
        rendered["s"].is_array() || rendered["s"].is_number(),
        "{rendered}"
    );
    assert_eq!(reply["response"]["liveview_version"], "1.2.12");
}

#[actix_rt::test]
async fn click_is_answered_with_a_minimal_diff() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let mut conn = connect(&page).await;
    let reply = join_at(&mut conn, &page, &url(addr, "/")).await;
    assert_eq!(reply["status"], "ok", "{reply}");
    let topic = format!("lv:{}", page.id);
    send(
        &mut conn,
        json!(["1", "2", topic, "event", {"type": "click", "event": "inc", "value": {"value": ""}}]),
    )
    .await;
    let reply = reply_payload(&mut conn, "2").await;
    assert_eq!(
        reply,
        json!({"status": "ok", "response": {"diff": {"0": "1"}}})
    );
}

#[actix_rt::test]
async fn connected_render_equals_the_dead_render() {
    let addr = serve(app(SECRET));
    for (path, user) in [("/", None), ("/items/7?q=%3Cb%3E", Some("ada"))] {
        let headers: Vec<(&str, &str)> = user.map(|u| ("x-user", u)).into_iter().collect();
        let (_, h, html) = support::get(addr, path, &headers).await;
        let page = support::Page::from_html(&url(addr, ""), path, html, support::cookies(&h))
            .expect("a live page");
        let mut conn = connect(&page).await;
        let reply = join_at(&mut conn, &page, &url(addr, path)).await;
        assert_eq!(reply["status"], "ok", "{reply}");
        let tree = ClientTree::from_value(&page.id, reply["response"]["rendered"].clone())
            .expect("a valid rendered tree");
        assert_eq!(tree.to_html(), page.inner(), "{path}");
    }
}

#[actix_rt::test]
async fn forged_token_is_stale() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let mut conn = connect(&page).await;
    // Re-sign the claims with a made-up key: right shape, wrong signature.
    let forger = LiveConfig::new("an attacker's guess at the secret key").signer();
    let forged = forger.sign_session(&SessionClaims {
        id: page.id.clone(),
        view: "liveview_http_websocket::support::Counter@/".into(),
        live_session: "default".into(),
        session: Session::new(),
    });
    let reply = join_with(
        &mut conn,
        &page.id,
        &forged,
        Some(&page.static_token),
        json!({"url": url(addr, "/")}),
        &page.csrf,
    )
    .await;
    assert_refused(&reply, "stale");

    // Flip one character of the real token's payload.
    let mut tampered = page.session.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let reply = join_with(
        &mut conn,
        &page.id,
        &tampered,
        Some(&page.static_token),
        json!({"url": url(addr, "/")}),
        &page.csrf,
    )
    .await;
    assert_refused(&reply, "stale");

    let reply = join_with(
        &mut conn,
        &page.id,
        "garbage",
        None,
        json!({"url": url(addr, "/")}),
        &page.csrf,
    )
    .await;
    assert_refused(&reply, "stale");
}

#[actix_rt::test]
async fn expired_token_is_stale() {
    let live = app(SECRET);
    let signer = live.signer();
    let addr = serve(live);
    let page = page(addr, "/").await;
    let mut conn = connect(&page).await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let mut claims = signer
        .verify_session(&page.session)
        .expect("the page's token verifies");
    claims.id.clone_from(&page.id);
    let old = signer.sign_session_at(&claims, now - 15 * 24 * 3600);
    let reply = join_with(
        &mut conn,
        &page.id,
        &old,
        Some(&page.static_token),
        json!({"url": url(addr, "/")}),
        &page.csrf,
    )
    .await;
    assert_refused(&reply, "stale");
}

#[actix_rt::test]
async fn token_of_another_view_id_is_stale() {
    let addr = serve(app(SECRET));
    let a = page(addr, "/").await;
    let b = page(addr, "/").await;
    let mut conn = connect(&a).await;
    // b's tokens on a's topic.
    let reply = join_with(
        &mut conn,
        &a.id,
        &b.session,
        Some(&b.static_token),
        json!({"url": url(addr, "/")}),
        &a.csrf,
    )
    .await;
    assert_refused(&reply, "stale");
    // a's session token with b's static token.
    let reply = join_with(
        &mut conn,
        &a.id,
        &a.session,
        Some(&b.static_token),
        json!({"url": url(addr, "/")}),
        &a.csrf,
    )
    .await;
    assert_refused(&reply, "stale");
}

#[actix_rt::test]
async fn url_of_another_view_is_unauthorized() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let mut conn = connect(&page).await;
    let reply = join_at(&mut conn, &page, &url(addr, "/items/1")).await;
    assert_refused(&reply, "unauthorized");
    let reply = join_at(&mut conn, &page, &url(addr, "/nowhere")).await;
    assert_refused(&reply, "unauthorized");
}

#[actix_rt::test]
async fn rejoin_at_another_route_of_the_same_view_is_allowed() {
    // After a live patch from `/items/1` to `/products/2` (one view type, two routes, one live
    // session), a rejoin sends the new URL: mounted there, as Phoenix does (issue 14, FRM-21).
    let addr = serve(app(SECRET));
    let items = page(addr, "/items/1").await;
    let mut conn = connect(&items).await;
    let reply = join_at(&mut conn, &items, &url(addr, "/products/2")).await;
    assert_eq!(reply["status"], "ok", "{reply}");
    let html = ClientTree::from_value(&items.id, reply["response"]["rendered"].clone())
        .expect("tree")
        .to_html();
    assert!(html.contains(r#"<p id="id">2</p>"#), "{html}");
    // The same type in another live session is still refused.
    let counter = page(addr, "/").await;
    let mut conn = connect(&counter).await;
    let reply = join_at(&mut conn, &counter, &url(addr, "/admin/counter")).await;
    assert_refused(&reply, "unauthorized");
}

#[actix_rt::test]
async fn live_navigation_stays_inside_its_live_session() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let mut conn = connect(&page).await;
    // Same live session ("default"), another view: allowed, mounted with the new params.
    let reply = join_with(
        &mut conn,
        &page.id,
        &page.session,
        Some(&page.static_token),
        json!({"redirect": url(addr, "/items/9")}),
        &page.csrf,
    )
    .await;
    assert_eq!(reply["status"], "ok", "{reply}");
    let html = ClientTree::from_value(&page.id, reply["response"]["rendered"].clone())
        .expect("tree")
        .to_html();
    assert!(html.contains(r#"<p id="id">9</p>"#), "{html}");
    // Into the "admin" live session: unauthorized.
    let reply = join_with(
        &mut conn,
        &page.id,
        &page.session,
        Some(&page.static_token),
        json!({"redirect": url(addr, "/admin/counter")}),
        &page.csrf,
    )
    .await;
    assert_refused(&reply, "unauthorized");
}

#[actix_rt::test]
async fn missing_or_wrong_csrf_token_makes_joins_stale() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let origin = format!("http://{addr}");
    let other = support::page(addr, "/").await;
    let cases = [
        (
            "no token",
            "vsn=2.0.0".to_owned(),
            Some(page.cookie.as_str()),
        ),
        (
            "wrong token",
            "_csrf_token=AAAA&vsn=2.0.0".to_owned(),
            Some(page.cookie.as_str()),
        ),
        (
            "another cookie's token",
            format!("_csrf_token={}&vsn=2.0.0", other.csrf),
            Some(page.cookie.as_str()),
        ),
        (
            "no cookie",
            format!("_csrf_token={}&vsn=2.0.0", page.csrf),
            None,
        ),
    ];
    for (case, query, cookie) in cases {
        // The connection itself is accepted (PROTOCOL.md §1.1) ...
        let mut conn = connect_with(addr, &query, Some(&origin), cookie)
            .await
            .unwrap_or_else(|s| panic!("{case}: handshake refused with {s}"));
        // ... but every join is refused as stale.
        let reply = join_at(&mut conn, &page, &url(addr, "/")).await;
        assert_refused(&reply, "stale");
    }
}

#[actix_rt::test]
async fn cross_origin_handshake_is_forbidden() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let query = format!("_csrf_token={}&vsn=2.0.0", page.csrf);
    for origin in [
        "http://evil.test",
        "null",
        &format!("http://{addr}.evil.test"),
    ] {
        let status = connect_with(addr, &query, Some(origin), Some(&page.cookie))
            .await
            .err();
        assert_eq!(status, Some(403), "{origin}");
    }
    // No Origin at all (not a browser): allowed, and still guarded by the tokens.
    let mut conn = connect_with(addr, &query, None, Some(&page.cookie))
        .await
        .expect("no Origin is allowed");
    let reply = join_at(&mut conn, &page, &url(addr, "/")).await;
    assert_eq!(reply["status"], "ok", "{reply}");
}

#[actix_rt::test]
async fn allow_list_admits_listed_origins_only() {
    let live =
        app(SECRET).allowed_origins(liveview_http::AllowedOrigins::list(["https://app.example"]));
    let addr = serve(live);
    let page = page(addr, "/").await;
    let query = format!("_csrf_token={}&vsn=2.0.0", page.csrf);
    assert!(connect_with(
        addr,
        &query,
        Some("https://app.example"),
        Some(&page.cookie)
    )
    .await
    .is_ok());
    let own = format!("http://{addr}");
    assert_eq!(
        connect_with(addr, &query, Some(&own), Some(&page.cookie))
            .await
            .err(),
        Some(403)
    );
}

#[actix_rt::test]
async fn two_apps_with_different_secrets_reject_each_others_tokens() {
    let a = serve(app(SECRET));
    let b = serve(app(OTHER_SECRET));
    let page_a = page(a, "/").await;
    let page_b = page(b, "/").await;

    // Each app accepts its own page.
    for (addr, page) in [(a, &page_a), (b, &page_b)] {
        let mut conn = connect(page).await;
        let reply = join_at(&mut conn, page, &url(addr, "/")).await;
        assert_eq!(reply["status"], "ok", "{reply}");
    }

    // b's CSRF token with a's cookie jar: not a's CSRF state, so stale.
    let mut conn = connect_with(
        a,
        &format!("_csrf_token={}", page_b.csrf),
        Some(&format!("http://{a}")),
        Some(&page_b.cookie),
    )
    .await
    .expect("handshake");
    let reply = join_at(&mut conn, &page_a, &url(a, "/")).await;
    assert_refused(&reply, "stale");

    // A valid CSRF state on a, but b's session tokens: stale.
    let mut conn = connect(&page_a).await;
    let reply = join_with(
        &mut conn,
        &page_b.id,
        &page_b.session,
        Some(&page_b.static_token),
        json!({"url": url(a, "/")}),
        &page_a.csrf,
    )
    .await;
    assert_refused(&reply, "stale");
}

#[actix_rt::test]
async fn heartbeat_is_answered() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let mut conn = connect(&page).await;
    send(&mut conn, json!([null, "7", "phoenix", "heartbeat", {}])).await;
    let reply: Value = reply_payload(&mut conn, "7").await;
    assert_eq!(reply["status"], "ok");
}

#[actix_rt::test]
async fn live_session_hooks_run_before_the_view_at_join_and_on_events() {
    use liveview_session::{Hook, Hooks};

    // `/` belongs to the live session `default`.
    let live = app(SECRET).live_session("default", |s| {
        s.hooks(
            Hooks::new()
                .on_mount(|_, _, socket| {
                    let connected = socket.connected();
                    socket.push_event("mounted", json!({ "connected": connected }));
                    Ok(Hook::Cont)
                })
                .on_event(|event, value, socket| match event {
                    "whoami" => {
                        let view = socket.view_type().rsplit("::").next().unwrap_or("");
                        socket.reply(json!({ "view": view, "asked": value["who"] }));
                        Ok(Hook::Halt)
                    }
                    "double" => {
                        socket.handle_event("inc", &json!({}))?;
                        socket.handle_event("inc", &json!({}))?;
                        Ok(Hook::Halt)
                    }
                    _ => Ok(Hook::Cont),
                }),
        )
    });
    let addr = serve(live);
    let page = page(addr, "/").await;
    let mut conn = connect(&page).await;
    let reply = join_at(&mut conn, &page, &url(addr, "/")).await;
    assert_eq!(reply["status"], "ok", "{reply}");
    assert_eq!(
        reply["response"]["rendered"]["e"],
        json!([["mounted", {"connected": true}]]),
        "{reply}"
    );
    let topic = format!("lv:{}", page.id);
    send(
        &mut conn,
        json!(["1", "2", topic, "event", {"type": "hook", "event": "whoami", "value": {"who": "me"}}]),
    )
    .await;
    let reply = reply_payload(&mut conn, "2").await;
    assert_eq!(
        reply,
        json!({"status": "ok", "response": {"diff": {"r": {"view": "Counter", "asked": "me"}}}}),
    );
    send(
        &mut conn,
        json!(["1", "3", topic, "event", {"type": "click", "event": "double", "value": {}}]),
    )
    .await;
    let reply = reply_payload(&mut conn, "3").await;
    assert_eq!(reply["response"]["diff"]["0"], "2", "{reply}");
    // Events the hook lets through reach the view.
    send(
        &mut conn,
        json!(["1", "4", topic, "event", {"type": "click", "event": "inc", "value": {}}]),
    )
    .await;
    let reply = reply_payload(&mut conn, "4").await;
    assert_eq!(reply["response"]["diff"]["0"], "3", "{reply}");
}

// Issue 22 item 5, live: a record gone by the time of the join, or a live patch to one that
// does not exist, makes the client load the URL over HTTP (a `redirect` to it), where the dead
// render answers 404. Both clients follow a join error's and a reply's `redirect`.
#[actix_rt::test]
async fn a_not_found_at_join_or_patch_loads_the_page_over_http() {
    let addr = serve(app(SECRET));
    let gone = page(addr, "/things/vanishing").await;
    let mut conn = connect(&gone).await;
    let reply = join_at(&mut conn, &gone, &url(addr, "/things/vanishing")).await;
    assert_eq!(
        reply,
        json!({"status": "error", "response": {"redirect": {"to": "/things/vanishing"}}})
    );

    let page = page(addr, "/things/1").await;
    let mut conn = connect(&page).await;
    let reply = join_at(&mut conn, &page, &url(addr, "/things/1")).await;
    assert_eq!(reply["status"], "ok", "{reply}");
    let topic = format!("lv:{}", page.id);
    send(
        &mut conn,
        json!(["1", "2", topic, "live_patch", {"url": url(addr, "/things/9")}]),
    )
    .await;
    let reply = reply_payload(&mut conn, "2").await;
    assert_eq!(
        reply,
        json!({"status": "ok", "response": {"redirect": {"to": "/things/9"}}})
    );
}
