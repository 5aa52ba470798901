//! The dead render: GET on a live route answers the whole page.

mod support;

use support::{app, get, header, page, serve, SECRET};

#[actix_rt::test]
async fn page_has_container_csrf_meta_title_and_client_script() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let html = &page.html;

    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        page.id.starts_with("phx-") && page.id.len() > 10,
        "{}",
        page.id
    );
    let container = format!(
        r#"<div id="{}" data-phx-main data-phx-session="{}" data-phx-static="{}">"#,
        page.id, page.session, page.static_token
    );
    assert!(html.contains(&container), "{html}");
    assert_eq!(
        page.inner(),
        r#"<h1>Count: <span id="count">0</span></h1><button id="inc" phx-click="inc">+</button>"#
    );
    assert!(html.contains(&format!(
        r#"<meta name="csrf-token" content="{}">"#,
        page.csrf
    )));
    assert!(html.contains("<title>Count: 0</title>"), "{html}");
    assert!(
        html.contains(&format!(
            r#"<script type="module" src="/live/assets/liveview.js?v={}"></script>"#,
            liveview_client::HASH
        )),
        "{html}"
    );
    assert!(page.cookie.starts_with("_liveview_csrf="));
}

#[actix_rt::test]
async fn each_render_gets_a_fresh_view_id_and_csrf_token() {
    let addr = serve(app(SECRET));
    let a = page(addr, "/").await;
    let b = page(addr, "/").await;
    assert_ne!(a.id, b.id);
    assert_ne!(a.csrf, b.csrf);
}

#[actix_rt::test]
async fn csrf_cookie_is_http_only_and_reused() {
    let addr = serve(app(SECRET));
    let (_, headers, _) = get(addr, "/", &[]).await;
    let set = headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("set-cookie")
        .to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    let cookie = set.split(';').next().expect("name=value");
    let (_, headers, _) = get(addr, "/", &[("cookie", cookie)]).await;
    assert!(
        headers.get("set-cookie").is_none(),
        "a valid cookie is kept"
    );
}

// The cookie's `Secure` flag follows the scheme the page was served under, and, as every other
// forwarding header, `X-Forwarded-Proto` counts only from a trusted proxy (it read actix's
// `connection_info()`, which believes anyone).
#[actix_rt::test]
async fn csrf_cookie_is_secure_only_for_https_as_a_trusted_proxy_says() {
    let set_cookie = |headers: &awc::http::header::HeaderMap| header(headers, "set-cookie");
    let https = [("x-forwarded-proto", "https")];
    let untrusted = serve(app(SECRET));
    let (_, headers, _) = get(untrusted, "/", &https).await;
    assert!(
        !set_cookie(&headers).contains("Secure"),
        "{}",
        set_cookie(&headers)
    );
    let trusted = serve(app(SECRET).trusted_proxies(["127.0.0.1".parse().expect("ip")]));
    let (_, headers, _) = get(trusted, "/", &https).await;
    assert!(
        set_cookie(&headers).contains("Secure"),
        "{}",
        set_cookie(&headers)
    );
    let (_, headers, _) = get(trusted, "/", &[]).await;
    assert!(
        !set_cookie(&headers).contains("Secure"),
        "{}",
        set_cookie(&headers)
    );
}

#[actix_rt::test]
async fn path_and_query_params_reach_mount_escaped() {
    let addr = serve(app(SECRET));
    let (status, _, html) = get(addr, "/items/42?q=%3Cb%3E", &[("x-user", "ada")]).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(
            r#"<p id="id">42</p><p id="q">&lt;b&gt;</p><p id="user">ada</p><i>escaped</i>"#
        ),
        "{html}"
    );
}

#[actix_rt::test]
async fn mount_error_is_a_500_page() {
    let addr = serve(app(SECRET));
    let (status, headers, body) = get(addr, "/broken", &[]).await;
    assert_eq!(status, 500);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(body.contains("Internal Server Error"), "{body}");
    assert!(
        !body.contains("database is down"),
        "the cause is logged, not shown"
    );
}

// Issue 22 item 5: a view answers 404 (or another status) for a record that does not exist,
// with its message escaped on the page, instead of a 200 "not found" or a 500.
#[actix_rt::test]
async fn a_not_found_error_is_a_404_page_with_its_message() {
    let addr = serve(app(SECRET));
    let (status, headers, body) = get(addr, "/things/9", &[]).await;
    assert_eq!(status, 404);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(body.contains("<title>Not Found</title>"), "{body}");
    assert!(body.contains("No thing &lt;9&gt;"), "{body}");
    let (status, _, body) = get(addr, "/things/1", &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"<p id="thing">1</p>"#), "{body}");
}

#[actix_rt::test]
async fn redirect_in_mount_is_a_302() {
    let addr = serve(app(SECRET));
    let (status, headers, _) = get(addr, "/away", &[]).await;
    assert_eq!(status, 302);
    assert_eq!(header(&headers, "location"), "/login");
}

#[actix_rt::test]
async fn unknown_path_is_left_to_the_app() {
    let addr = serve(app(SECRET));
    let (status, _, _) = get(addr, "/nope", &[]).await;
    assert_eq!(status, 404);
}

#[actix_rt::test]
async fn custom_layout_and_client_head_are_used() {
    let live = app(SECRET)
        .layout(|p| {
            maud::html! {
                html { head { title { "App: " (p.title.unwrap_or("")) } (p.head) } body { main { (p.content) } } }
            }
        })
        .client_head(maud::html! { script src="/official/phoenix_live_view.js" {} });
    let addr = serve(live);
    let (_, _, html) = get(addr, "/", &[]).await;
    assert!(html.contains("<title>App: Count: 0</title>"), "{html}");
    assert!(
        html.contains(r#"<script src="/official/phoenix_live_view.js"></script>"#),
        "{html}"
    );
    assert!(!html.contains("/live/assets/"), "{html}");
    assert!(html.contains(r#"<meta name="csrf-token""#), "{html}");
    assert!(html.contains("<main><div id=\"phx-"), "{html}");
}

#[actix_rt::test]
async fn client_assets_are_served_with_etag_and_304() {
    let addr = serve(app(SECRET));
    let (status, headers, body) = get(addr, "/live/assets/liveview.js", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body, liveview_client::get("liveview.js").unwrap());
    assert_eq!(
        header(&headers, "content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(header(&headers, "cache-control"), "public, no-cache");
    let etag = header(&headers, "etag");
    assert_eq!(etag, format!("\"{}\"", liveview_client::HASH));

    let (status, _, body) = get(
        addr,
        "/live/assets/liveview.js",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(status, 304);
    assert!(body.is_empty());

    let versioned = format!("/live/assets/liveview.js?v={}", liveview_client::HASH);
    let (_, headers, _) = get(addr, &versioned, &[]).await;
    assert_eq!(
        header(&headers, "cache-control"),
        "public, max-age=31536000, immutable"
    );

    for (name, source) in liveview_client::SOURCES {
        let (status, _, body) = get(addr, &format!("/live/assets/src/{name}"), &[]).await;
        assert_eq!(status, 200, "{name}");
        assert_eq!(body, *source, "{name}");
    }
    let (status, _, _) = get(addr, "/live/assets/rendered.js", &[]).await;
    assert_eq!(status, 404, "modules are served under src/ only");
    let (status, _, _) = get(addr, "/live/assets/nope.js", &[]).await;
    assert_eq!(status, 404);
    let (status, _, _) = get(addr, "/live/assets/..%2FCargo.toml", &[]).await;
    assert_eq!(status, 404);
    let (status, _, _) = get(addr, "/live/assets/src/../../Cargo.toml", &[]).await;
    assert_eq!(status, 404);
}

#[actix_rt::test]
async fn layout_sees_the_request_route_params_and_live_session() {
    let live = app(SECRET).layout(|p| {
        maud::html! {
            html {
                head { (p.head) }
                body {
                    p #path { (p.request.path()) }
                    p #query { (p.request.query_string()) }
                    p #route { (p.route) }
                    p #param { (p.params.get("id").unwrap_or("-")) }
                    p #session { (p.live_session) }
                    (p.content)
                }
            }
        }
    });
    let addr = serve(live);
    let (_, _, html) = get(addr, "/items/7?q=x", &[]).await;
    for part in [
        r#"<p id="path">/items/7</p>"#,
        r#"<p id="query">q=x</p>"#,
        r#"<p id="route">/items/{id}</p>"#,
        r#"<p id="param">7</p>"#,
        r#"<p id="session">default</p>"#,
    ] {
        assert!(html.contains(part), "{part} in {html}");
    }
    let (_, _, html) = get(addr, "/admin/counter", &[]).await;
    assert!(html.contains(r#"<p id="session">admin</p>"#), "{html}");
    assert!(html.contains(r#"<p id="param">-</p>"#), "{html}");
}

#[actix_rt::test]
async fn live_session_layout_replaces_the_app_layout_for_its_routes_only() {
    // A second `live_session("admin", ..)` call adds to the fixture's live session.
    let live = app(SECRET).live_session("admin", |s| {
        s.layout(|p| maud::html! { html { head { (p.head) } body.admin { (p.content) } } })
    });
    let addr = serve(live);
    let (_, _, admin) = get(addr, "/admin/counter", &[]).await;
    assert!(
        admin.contains(r#"<body class="admin"><div id="phx-"#),
        "{admin}"
    );
    let (_, _, home) = get(addr, "/", &[]).await;
    assert!(home.starts_with("<!DOCTYPE html>"), "{home}");
    assert!(!home.contains("admin"), "{home}");
}

#[actix_rt::test]
async fn on_mount_hook_runs_in_the_dead_render_and_may_redirect() {
    use liveview_session::{Hook, Hooks};

    let live = app(SECRET).live_session("members", |s| {
        s.hooks(Hooks::new().on_mount(|_, session, socket| {
            if session.get::<String>("user").is_none() {
                socket.redirect("/login");
                return Ok(Hook::Halt);
            }
            socket.page_title("members only");
            Ok(Hook::Cont)
        }))
        .live::<support::Item>("/members/{id}")
    });
    let addr = serve(live);
    let (status, headers, _) = get(addr, "/members/1", &[]).await;
    assert_eq!(status, 302);
    assert_eq!(header(&headers, "location"), "/login");
    let (status, _, html) = get(addr, "/members/1", &[("x-user", "ada")]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<title>members only</title>"), "{html}");
    assert!(html.contains(r#"<p id="user">ada</p>"#), "{html}");
    // Routes of other live sessions do not run the hook.
    let (status, _, _) = get(addr, "/items/1", &[]).await;
    assert_eq!(status, 200);
}
