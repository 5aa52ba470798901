//! Issue 24's findings on the HTTP side, over raw TCP so that every header is the test's:
//! the Origin check against forged `Host` and forwarding headers (finding 7), and the cap on
//! websockets per client address (finding 2b).

mod support;

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use liveview_http::LiveConfig;
use support::{app, page, serve, SECRET, TIMEOUT};

/// A blocking connection to `addr` with `TCP_NODELAY` and I/O timeouts.
fn tcp(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    stream.set_write_timeout(Some(TIMEOUT)).expect("timeout");
    stream.set_nodelay(true).expect("nodelay");
    stream
}

/// Sends a websocket upgrade for `page` with exactly `headers` (besides the upgrade's own and
/// the cookie) and returns the status and the still-open connection.
fn upgrade(addr: SocketAddr, page: &support::Page, headers: &[(&str, &str)]) -> (u16, TcpStream) {
    let mut stream = tcp(addr);
    let mut request = format!(
        "GET /live/websocket?_csrf_token={}&vsn=2.0.0 HTTP/1.1\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n\
         Cookie: {}\r\n",
        page.csrf, page.cookie
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .expect("write the upgrade");
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("read the response head");
        assert!(n > 0, "closed before the response head");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head}"));
    (status, stream)
}

fn status(addr: SocketAddr, page: &support::Page, headers: &[(&str, &str)]) -> u16 {
    upgrade(addr, page, headers).0
}

// ---------------------------------------------------------------------------------------
// Finding 7: the Origin check.

#[actix_rt::test]
async fn forwarding_headers_from_an_untrusted_peer_do_not_widen_the_origin_check() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    for headers in [
        &[
            ("Origin", "http://evil.test"),
            ("X-Forwarded-Host", "evil.test"),
        ][..],
        &[
            ("Origin", "http://evil.test"),
            ("Forwarded", "host=evil.test"),
        ][..],
        &[
            ("Origin", "https://evil.test"),
            ("Forwarded", "proto=https;host=evil.test"),
            ("X-Forwarded-Proto", "https"),
        ][..],
    ] {
        assert_eq!(status(addr, &page, headers), 403, "{headers:?}");
    }
    // The server's own origin still opens.
    let own = format!("http://{addr}");
    assert_eq!(status(addr, &page, &[("Origin", &own)]), 101);
}

#[actix_rt::test]
async fn a_foreign_host_name_is_refused_by_default_dns_rebinding() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    let port = addr.port();
    // A page on evil.test whose name now resolves to 127.0.0.1: the browser sends the
    // attacker's name in both headers.
    let host = format!("evil.test:{port}");
    let origin = format!("http://evil.test:{port}");
    assert_eq!(
        status(addr, &page, &[("Host", &host), ("Origin", &origin)]),
        403
    );
    // Loopback names are the development default: they still open.
    for name in ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"] {
        let host = format!("{name}:{port}");
        let origin = format!("http://{name}:{port}");
        assert_eq!(
            status(addr, &page, &[("Host", &host), ("Origin", &origin)]),
            101,
            "{name}"
        );
    }
}

#[actix_rt::test]
async fn only_http_and_https_origins_are_accepted() {
    let addr = serve(app(SECRET));
    let page = page(addr, "/").await;
    for scheme in ["foo", "file", "chrome-extension", "ws"] {
        let origin = format!("{scheme}://{addr}");
        assert_eq!(status(addr, &page, &[("Origin", &origin)]), 403, "{origin}");
    }
    for scheme in ["http", "https", "HTTPS"] {
        let origin = format!("{scheme}://{addr}");
        assert_eq!(status(addr, &page, &[("Origin", &origin)]), 101, "{origin}");
    }
}

#[actix_rt::test]
async fn configured_hosts_open_and_forwarding_headers_count_only_from_trusted_proxies() {
    let addr = serve(app(SECRET).hosts(["app.example"]));
    let page = page(addr, "/").await;
    let port = addr.port();
    // A configured host, with or without its port in the Host.
    let host = format!("app.example:{port}");
    let origin = format!("http://app.example:{port}");
    assert_eq!(
        status(addr, &page, &[("Host", &host), ("Origin", &origin)]),
        101
    );
    assert_eq!(
        status(
            addr,
            &page,
            &[("Host", "APP.example"), ("Origin", "https://app.example")]
        ),
        101
    );
    // Another name is still refused.
    assert_eq!(
        status(
            addr,
            &page,
            &[
                ("Host", "other.example"),
                ("Origin", "https://other.example")
            ]
        ),
        403
    );
    // The public host from a proxy that is not trusted: refused.
    let proxied = [
        ("X-Forwarded-Host", "app.example"),
        ("Origin", "https://app.example"),
    ];
    assert_eq!(status(addr, &page, &proxied), 403);

    // Behind a trusted proxy (here the test itself, on 127.0.0.1) the forwarded host counts,
    // and only a configured one.
    let addr = serve(
        app(SECRET)
            .hosts(["app.example"])
            .trusted_proxies([IpAddr::V4(Ipv4Addr::LOCALHOST)]),
    );
    let page = support::page(addr, "/").await;
    assert_eq!(status(addr, &page, &proxied), 101);
    assert_eq!(
        status(
            addr,
            &page,
            &[
                ("Forwarded", "for=192.0.2.1;host=app.example;proto=https"),
                ("Origin", "https://app.example")
            ]
        ),
        101
    );
    assert_eq!(
        status(
            addr,
            &page,
            &[
                ("X-Forwarded-Host", "evil.test"),
                ("Origin", "https://evil.test")
            ]
        ),
        403
    );
}

// ---------------------------------------------------------------------------------------
// Finding 2b: websockets per client address.

/// Sends a Close frame (masked with a zero key) and reads until the server ends the
/// connection.
fn close(mut stream: TcpStream) {
    stream
        .write_all(&[0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8])
        .expect("write Close");
    let mut chunk = [0_u8; 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
            Err(e) => panic!("the server did not end the connection: {e}"),
        }
    }
}

/// Upgrades until the answer is `expected`, or fails after [`TIMEOUT`]: a slot is released
/// when the server has ended the session, a moment after the client sees the close.
fn upgrade_until(
    addr: SocketAddr,
    page: &support::Page,
    expected: u16,
) -> (u16, Option<TcpStream>) {
    let own = format!("http://{addr}");
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let (status, stream) = upgrade(addr, page, &[("Origin", &own)]);
        if status == expected {
            return (status, Some(stream));
        }
        assert!(
            Instant::now() < deadline,
            "still {status} after {TIMEOUT:?}, expected {expected}"
        );
        drop(stream);
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[actix_rt::test]
async fn one_client_address_holds_at_most_the_configured_number_of_websockets() {
    const CAP: usize = 3;
    let addr = serve(app(SECRET).max_sockets_per_client(CAP));
    let page = page(addr, "/").await;
    let own = format!("http://{addr}");
    let mut held: Vec<TcpStream> = (0..CAP)
        .map(|i| {
            let (status, stream) = upgrade(addr, &page, &[("Origin", &own)]);
            assert_eq!(status, 101, "socket {i}");
            stream
        })
        .collect();
    let (status, _) = upgrade(addr, &page, &[("Origin", &own)]);
    assert_eq!(status, 429, "socket {} is over the cap", CAP + 1);
    // Other requests are not limited: the page still loads.
    let _ = support::page(addr, "/").await;

    // Closing one frees its slot (once the server has ended that session).
    close(held.remove(0));
    let (_, reopened) = upgrade_until(addr, &page, 101);
    held.extend(reopened);
    assert_eq!(upgrade(addr, &page, &[("Origin", &own)]).0, 429);

    // A socket the client just drops (no Close frame) frees its slot too.
    drop(held.pop());
    let (_, reopened) = upgrade_until(addr, &page, 101);
    held.extend(reopened);
    assert_eq!(held.len(), CAP);
}

#[actix_rt::test]
async fn behind_a_trusted_proxy_sockets_are_counted_per_forwarded_address() {
    const CAP: usize = 2;
    let own = |addr: SocketAddr| format!("http://{addr}");
    // Untrusted peer: forwarded addresses are ignored, every socket counts for 127.0.0.1.
    let addr = serve(app(SECRET).max_sockets_per_client(CAP));
    let page = page(addr, "/").await;
    let origin = own(addr);
    let mut held = Vec::new();
    let mut statuses = Vec::new();
    for ip in ["192.0.2.1", "192.0.2.2", "192.0.2.3"] {
        let (status, stream) =
            upgrade(addr, &page, &[("Origin", &origin), ("X-Forwarded-For", ip)]);
        statuses.push(status);
        held.push(stream);
    }
    assert_eq!(statuses, [101, 101, 429]);
    drop(held);

    // Trusted proxy: each forwarded client has its own count.
    let addr = serve(
        app(SECRET)
            .max_sockets_per_client(CAP)
            .trusted_proxies([IpAddr::V4(Ipv4Addr::LOCALHOST)]),
    );
    let page = support::page(addr, "/").await;
    let origin = own(addr);
    let mut held = Vec::new();
    let mut statuses = Vec::new();
    for forwarded in [
        ("X-Forwarded-For", "192.0.2.1"),
        ("X-Forwarded-For", "192.0.2.1"),
        ("X-Forwarded-For", "192.0.2.1"),
        ("X-Forwarded-For", "192.0.2.2"),
        // A client-supplied first entry does not help: the proxy appended the real one.
        ("X-Forwarded-For", "198.51.100.7, 192.0.2.1"),
        ("Forwarded", "for=\"[2001:db8::1]:4711\""),
        ("Forwarded", "for=\"[2001:db8::2]\""),
        // The same /64 as the two above.
        ("Forwarded", "for=\"[2001:db8::3]\""),
    ] {
        let (status, stream) = upgrade(addr, &page, &[("Origin", &origin), forwarded]);
        statuses.push(status);
        held.push(stream);
    }
    assert_eq!(statuses, [101, 101, 429, 101, 429, 101, 101, 429]);
}

#[test]
fn the_default_cap_is_documented() {
    assert_eq!(liveview_http::DEFAULT_MAX_SOCKETS_PER_CLIENT, 64);
    let _ = LiveConfig::with_random_secret();
}
