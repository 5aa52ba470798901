//! Join authorisation over a real socket (PROTOCOL.md §3.3, §7; issue 9 item 3): every
//! refused join mounts nothing (`live_view_count()` does not move), and every refused handshake
//! starts no session (`live_session_count()` does not move).
//!
//! The refusals themselves are also checked, against another app, in
//! `liveview-http/tests/websocket.rs` (`forged_token_is_stale`, `expired_token_is_stale`,
//! `token_of_another_view_id_is_stale`, `url_of_another_view_is_unauthorized`,
//! `missing_or_wrong_csrf_token_makes_joins_stale`, `cross_origin_handshake_is_forbidden`).
//! This file adds the actor counts and the wrong-version token.

mod support;

use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use liveview_http::{LiveConfig, SessionClaims};
use liveview_session::{live_session_count, live_view_count, SessionConfig};
use serde_json::{json, Value};
use sha2::Sha256;
use support::{
    connect, join, join_frame, lab_app, page, read_response_head, reply_to, send, serial, server,
    sessions_settle_at, tcp, upgrade_request, views_settle_at, Conn, Page, SECRET,
};

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = HmacSha256::new_from_slice(key).expect("any key length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

/// The page's own session token, re-signed with the app's real session key under another
/// format `version`. Built by hand, the way `liveview-http`'s token module signs
/// (`<version>.<payload>.<hmac>`, the key derived from the secret and the token's purpose),
/// so only the version is wrong.
fn with_version(token: &str, version: &str) -> String {
    let mut parts = token.splitn(3, '.');
    let (_, payload) = (parts.next(), parts.next().expect("a payload"));
    let key = mac(SECRET.as_bytes(), b"liveview session token");
    let signed = format!("{version}.{payload}");
    let tag = URL_SAFE_NO_PAD.encode(mac(&key, signed.as_bytes()));
    format!("{signed}.{tag}")
}

/// A join of `page`'s topic with other tokens (and the page's CSRF token in `params`).
fn join_with(page: &Page, session: &str, static_token: Option<&str>, url: &str) -> Value {
    let mut frame = join_frame(page, "1");
    frame[4]["session"] = json!(session);
    frame[4]["static"] = static_token.map_or(Value::Null, |s| json!(s));
    frame[4]["url"] = json!(url);
    frame
}

/// Sends `frame` (a join) and checks that it is refused with `reason` and that no view was
/// mounted for it, not even for a moment.
async fn assert_refused_mounting_nothing(conn: &mut Conn, case: &str, frame: Value, reason: &str) {
    let views = live_view_count();
    let join_ref = frame[0].as_str().expect("join ref").to_owned();
    let topic = frame[2].clone();
    send(conn, frame).await;
    let reply = reply_to(conn, &join_ref).await;
    assert_eq!(
        reply,
        json!([join_ref, join_ref, topic, "phx_reply",
            {"status": "error", "response": {"reason": reason}}]),
        "{case}"
    );
    // A refused join is refused before a view actor is spawned (an actor counts itself as it
    // is built), so the count never moved.
    assert_eq!(live_view_count(), views, "{case}: a view was mounted");
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

// Forged (another key, a flipped byte, garbage), expired, wrong-version and other-view tokens
// are refused `stale`, a URL of no live route `unauthorized`; none of them mounts a view; the
// same socket then joins with the page's own tokens.
#[actix_rt::test]
async fn bad_tokens_are_refused_and_mount_nothing() {
    let _serial = serial().await;
    let addr = server();
    let page = page(addr, "/lab").await;
    let other = support::page(addr, "/lab").await;
    let signer = lab_app(SessionConfig::default()).signer();
    let claims = signer
        .verify_session(&page.session)
        .expect("the page's token");
    let url = page.url();
    let mut conn = connect(&page).await;
    let views = live_view_count();

    let forged = LiveConfig::new("an attacker's guess at the secret, 32+ bytes")
        .signer()
        .sign_session(&claims);
    let mut flipped = page.session.clone().into_bytes();
    flipped[5] = if flipped[5] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).expect("ascii");
    let expired = signer.sign_session_at(&claims, now_secs() - 15 * 24 * 3600);
    let from_the_future = signer.sign_session_at(&claims, now_secs() + 3600);
    let other_id = SessionClaims {
        id: other.id.clone(),
        ..claims.clone()
    };
    let st = Some(page.static_token.as_str());
    let stale_cases: [(&str, String, Option<&str>); 11] = [
        ("signed with another secret", forged, st),
        ("one byte flipped", flipped, st),
        ("garbage", "garbage".to_owned(), None),
        ("empty", String::new(), None),
        ("expired (15 days old)", expired, st),
        ("issued an hour in the future", from_the_future, st),
        ("version 2", with_version(&page.session, "2"), st),
        ("version 0", with_version(&page.session, "0"), st),
        ("another page's session token", other.session.clone(), st),
        ("a token for another id", signer.sign_session(&other_id), st),
        (
            "the page's session token with another page's static token",
            page.session.clone(),
            Some(other.static_token.as_str()),
        ),
    ];
    // Control: the hand-made version-1 token is accepted, so the version is what is refused.
    assert_eq!(with_version(&page.session, "1"), page.session);
    for (case, session, static_token) in stale_cases {
        let frame = join_with(&page, &session, static_token, &url);
        assert_refused_mounting_nothing(&mut conn, case, frame, "stale").await;
    }
    let frame = join_with(&page, &page.session, st, &format!("http://{addr}/nowhere"));
    assert_refused_mounting_nothing(&mut conn, "a URL of no live route", frame, "unauthorized")
        .await;

    let reply = join(&mut conn, &page, "1").await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    assert_eq!(live_view_count(), views + 1);
    drop(conn);
    views_settle_at(views).await;
}

// A socket opened without a valid CSRF token (none, empty, wrong, another page's, no cookie)
// is accepted, as Phoenix does (PROTOCOL.md §1.1), but each of its joins is `stale` and
// mounts nothing, even with the page's valid session and static tokens.
#[actix_rt::test]
async fn joins_on_a_socket_without_a_valid_csrf_token_are_stale_and_mount_nothing() {
    let _serial = serial().await;
    let addr = server();
    let page = page(addr, "/lab").await;
    let other = support::page(addr, "/lab").await;
    let cases = [
        ("no token", None, Some(page.cookie.as_str())),
        ("empty token", Some(""), Some(page.cookie.as_str())),
        ("wrong token", Some("AAAA"), Some(page.cookie.as_str())),
        (
            "another cookie's token",
            Some(other.csrf.as_str()),
            Some(page.cookie.as_str()),
        ),
        ("no cookie", Some(page.csrf.as_str()), None),
    ];
    for (case, token, cookie) in cases {
        let token = token.map_or_else(String::new, |t| format!("_csrf_token={t}&"));
        let mut request = awc::Client::new()
            .ws(format!("ws://{addr}/live/websocket?{token}vsn=2.0.0"))
            .origin(format!("http://{addr}"));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let (_, mut conn) = request
            .connect()
            .await
            .unwrap_or_else(|e| panic!("{case}: handshake refused: {e}"));
        assert_refused_mounting_nothing(&mut conn, case, join_frame(&page, "1"), "stale").await;
    }
}

// A handshake from another origin, `Origin: null`, or a look-alike host is answered 403 and
// starts no session; the same request with the server's own Origin upgrades (101).
#[actix_rt::test]
async fn cross_origin_handshakes_are_forbidden_and_start_no_session() {
    let _serial = serial().await;
    let addr = server();
    let page = page(addr, "/lab").await;
    let sessions = live_session_count();
    for origin in [
        "http://evil.test".to_owned(),
        "null".to_owned(),
        "NULL".to_owned(),
        format!("http://{addr}.evil.test"),
        format!("http://evil.test/{addr}"),
    ] {
        let mut stream = tcp(addr, None);
        stream
            .write_all(upgrade_request(&page, Some(&origin)).as_bytes())
            .expect("write");
        let (status, _) = read_response_head(&mut stream);
        assert_eq!(status, 403, "{origin}");
        assert_eq!(
            live_session_count(),
            sessions,
            "{origin}: a session started"
        );
    }
    let mut stream = tcp(addr, None);
    let own = format!("http://{addr}");
    stream
        .write_all(upgrade_request(&page, Some(&own)).as_bytes())
        .expect("write");
    assert_eq!(read_response_head(&mut stream).0, 101);
    sessions_settle_at(sessions + 1).await;
    drop(stream);
    sessions_settle_at(sessions).await;
}
