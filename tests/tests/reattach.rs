//! Issue 21: no double mount, and state that survives a dropped connection.
//!
//! - A view that adopts its dead render mounts once per page view (its join runs `connected`
//!   instead of `mount`); one that does not mounts twice, as Phoenix does.
//! - A socket dropped without `phx_leave` leaves its views alive for the grace period: they
//!   keep receiving PubSub messages, and the rejoin of the same page re-attaches to them (a
//!   full render of the current state, no `mount`); after the grace period a rejoin mounts
//!   afresh. `phx_leave` and a Close frame stop views at once.
//! - The binding: a session token replayed from another browser session (another CSRF cookie
//!   and token) never gets the orphan; it is refused or mounts afresh.
//! - The bounds: a flood of dead renders that never join never keeps more views than
//!   `AdoptionLimits` allows; a mass disconnect leaves no view behind after the grace period.
//!
//! The servers run two workers, so a rejoin lands on either thread (a re-attached view is
//! relayed by its own task, wherever the new socket is).

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{
    adoptable_view_count, live_view_count, orphaned_view_count, AdoptionLimits, Assigns, LiveView,
    Params, PubSub, Session, SessionConfig, Socket, Topic, ViewError,
};
use serde_json::{json, Value};
use support::{
    click, connect, join, page, recv, reply_to, send, serial, unexpected_panics, views_settle_at,
    wait_for, Conn, Page, SECRET,
};

static NEWS: Topic<u64> = Topic::new("reattach-news");

/// Calls of each callback, by view kind.
#[derive(Default)]
struct Calls {
    mounts: AtomicU64,
    connected: AtomicU64,
    infos: AtomicU64,
}

impl Calls {
    const fn new() -> Self {
        Self {
            mounts: AtomicU64::new(0),
            connected: AtomicU64::new(0),
            infos: AtomicU64::new(0),
        }
    }
    fn mounts(&self) -> u64 {
        self.mounts.load(Ordering::SeqCst)
    }
    fn connected(&self) -> u64 {
        self.connected.load(Ordering::SeqCst)
    }
}

static ADOPTING: Calls = Calls::new();
static PLAIN: Calls = Calls::new();
static BOARD: Calls = Calls::new();

fn pubsub() -> PubSub {
    static PUBSUB: OnceLock<PubSub> = OnceLock::new();
    PUBSUB.get_or_init(PubSub::start).clone()
}

/// A counter that subscribes to [`NEWS`] once live, and counts its callbacks in `calls`.
struct Board<const ADOPT: bool> {
    calls: &'static Calls,
    pubsub: Option<PubSub>,
}

impl<const ADOPT: bool> LiveView for Board<ADOPT> {
    type Info = u64;
    type Event = ();
    const ADOPT_DEAD_RENDER: bool = ADOPT;

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        self.calls.mounts.fetch_add(1, Ordering::SeqCst);
        s.assign("count", 0_u64);
        s.assign("news", 0_u64);
        let live = s.connected();
        s.assign("live", live);
        Ok(())
    }

    fn connected(&mut self, s: &mut Socket<Self>) -> Result<(), ViewError> {
        self.calls.connected.fetch_add(1, Ordering::SeqCst);
        let live = s.connected();
        s.assign("live", live);
        if let Some(pubsub) = &self.pubsub {
            s.subscribe(pubsub, &NEWS)
                .map_err(|e| ViewError::other(e.to_string()))?;
        }
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        s: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "inc" => {
                s.update("count", |n: &mut u64| *n += 1);
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn handle_info(&mut self, news: u64, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign("news", news);
        self.calls.infos.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let (count, news, live): (u64, u64, bool) = (a.get("count"), a.get("news"), a.get("live"));
        html! {
            p #count { (count) }
            p #news { (news) }
            p #live { (live) }
        }
    }
}

/// `/adopt` (adopts its dead render), `/plain` (does not), `/board` (subscribes to news, does
/// not adopt): two workers, `grace` for dropped sockets, `limits` for dead renders.
fn app(grace: Duration, limits: AdoptionLimits) -> LiveConfig {
    LiveConfig::new(SECRET)
        .live_with("/adopt", || Board::<true> {
            calls: &ADOPTING,
            pubsub: None,
        })
        .live_with("/plain", || Board::<false> {
            calls: &PLAIN,
            pubsub: None,
        })
        .live_with("/board", || Board::<false> {
            calls: &BOARD,
            pubsub: Some(pubsub()),
        })
        .adoption_limits(limits)
        .session_config(SessionConfig {
            reconnect_grace: grace,
            ..SessionConfig::default()
        })
}

/// Default limits: a 30 s grace, 10 s for dead renders.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        support::start_with_workers(app(Duration::from_secs(30), AdoptionLimits::default()), 2)
    })
}

const SHORT: Duration = Duration::from_millis(400);

/// A short grace, and at most 8 dead renders of at most 3 pages' bytes waiting, for 400 ms.
fn short_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let limits = AdoptionLimits {
            ttl: SHORT,
            max_views: 8,
            max_bytes: 1024,
        };
        support::start_with_workers(app(SHORT, limits), 2)
    })
}

/// A server whose dead renders may keep at most 200 bytes of HTML (three pages of `/adopt`).
fn tiny_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let limits = AdoptionLimits {
            ttl: SHORT,
            max_views: 1000,
            max_bytes: 200,
        };
        support::start_with_workers(app(SHORT, limits), 2)
    })
}

/// The join reply's rendered tree, after checking it is `ok`.
async fn join_rendered(conn: &mut Conn, page: &Page, join_ref: &str) -> Value {
    let reply = join(conn, page, join_ref).await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    reply[4]["response"]["rendered"].clone()
}

/// `(count, news, live)` of a full render of `Board`.
fn shown(rendered: &Value) -> (String, String, String) {
    let at = |i: &str| rendered[i].as_str().unwrap_or_default().to_owned();
    (at("0"), at("1"), at("2"))
}

async fn click_to(conn: &mut Conn, page: &Page, join_ref: &str, n: u64) {
    for i in 1..=n {
        let reference = format!("c{i}");
        send(conn, click(page, join_ref, &reference, "inc")).await;
        let reply = reply_to(conn, &reference).await;
        assert_eq!(reply[4]["response"]["diff"]["0"], i.to_string(), "{reply}");
    }
}

async fn leave(conn: &mut Conn, page: &Page, join_ref: &str) {
    send(
        conn,
        json!([join_ref, "bye", page.topic(), "phx_leave", {}]),
    )
    .await;
    reply_to(conn, "bye").await;
    let close = recv(conn).await;
    assert_eq!(close[3], "phx_close", "{close}");
}

#[actix_rt::test]
async fn a_view_that_adopts_its_dead_render_mounts_once_and_one_that_does_not_twice() {
    let _serial = serial().await;
    let addr = server();
    let (mounts, connected) = (ADOPTING.mounts(), ADOPTING.connected());

    let page_a = page(addr, "/adopt").await;
    assert_eq!(ADOPTING.mounts(), mounts + 1, "the dead render mounts");
    assert_eq!(
        ADOPTING.connected(),
        connected,
        "`connected` never runs in a dead render"
    );
    assert_eq!(adoptable_view_count(), 1);
    assert!(
        page_a.inner().contains("<p id=\"live\">false</p>"),
        "{}",
        page_a.html
    );
    let mut conn = connect(&page_a).await;
    let rendered = join_rendered(&mut conn, &page_a, "1").await;
    assert_eq!(shown(&rendered), ("0".into(), "0".into(), "true".into()));
    assert_eq!(
        ADOPTING.mounts(),
        mounts + 1,
        "the join adopted the dead render's state"
    );
    assert_eq!(ADOPTING.connected(), connected + 1);
    assert_eq!(adoptable_view_count(), 0);
    // The adopted view is live: events, diffs, and a second page's join is its own.
    click_to(&mut conn, &page_a, "1", 2).await;

    let (plain_mounts, plain_connected) = (PLAIN.mounts(), PLAIN.connected());
    let page_p = page(addr, "/plain").await;
    assert_eq!(
        adoptable_view_count(),
        0,
        "a view that did not opt in is not kept"
    );
    let rendered = join_rendered(&mut conn, &page_p, "2").await;
    assert_eq!(shown(&rendered), ("0".into(), "0".into(), "true".into()));
    assert_eq!(
        PLAIN.mounts(),
        plain_mounts + 2,
        "the usual lifecycle: mount, then mount again"
    );
    assert_eq!(
        PLAIN.connected(),
        plain_connected + 1,
        "`connected` runs after a live mount too"
    );

    leave(&mut conn, &page_a, "1").await;
    leave(&mut conn, &page_p, "2").await;
    views_settle_at(0).await;
    assert_eq!(unexpected_panics(), 0);
}

#[actix_rt::test]
async fn a_dropped_socket_reattaches_to_its_living_view_with_what_happened_meanwhile() {
    let _serial = serial().await;
    let addr = server();
    let board = page(addr, "/board").await;
    let mut conn = connect(&board).await;
    join_rendered(&mut conn, &board, "1").await;
    let mounts = BOARD.mounts();
    click_to(&mut conn, &board, "1", 5).await;

    // The network drops: no phx_leave, no Close frame.
    drop(conn);
    wait_for("the view to wait for its client", || {
        orphaned_view_count() == 1
    })
    .await;
    assert_eq!(
        live_view_count(),
        1,
        "an orphan counts in live_view_count()"
    );
    // A PubSub message while nobody is connected: the living view handles it.
    let infos = BOARD.infos.load(Ordering::SeqCst);
    pubsub().broadcast(&NEWS, 42).expect("broadcast");
    wait_for("the orphan to handle the news", || {
        BOARD.infos.load(Ordering::SeqCst) > infos
    })
    .await;

    // The client reconnects and rejoins the same page with a new join ref.
    let mut conn = connect(&board).await;
    let rendered = join_rendered(&mut conn, &board, "7").await;
    assert_eq!(shown(&rendered), ("5".into(), "42".into(), "true".into()));
    assert_eq!(BOARD.mounts(), mounts, "re-attached, not mounted again");
    assert_eq!(orphaned_view_count(), 0);
    // It goes on under the new join ref, diffing against what this client now holds.
    send(&mut conn, click(&board, "7", "c6", "inc")).await;
    let reply = reply_to(&mut conn, "c6").await;
    assert_eq!(
        reply,
        json!(["7", "c6", board.topic(), "phx_reply",
            {"status": "ok", "response": {"diff": {"0": "6"}}}])
    );

    // A second drop and rejoin: the relayed view lingers again, and re-attaches again.
    drop(conn);
    wait_for("the view to wait again", || orphaned_view_count() == 1).await;
    let mut conn = connect(&board).await;
    let rendered = join_rendered(&mut conn, &board, "9").await;
    assert_eq!(shown(&rendered), ("6".into(), "42".into(), "true".into()));
    assert_eq!(BOARD.mounts(), mounts);

    // `phx_leave` stops it at once.
    leave(&mut conn, &board, "9").await;
    views_settle_at(0).await;
    assert_eq!(orphaned_view_count(), 0);
    assert_eq!(unexpected_panics(), 0);
}

#[actix_rt::test]
async fn after_the_grace_period_a_rejoin_mounts_afresh() {
    let _serial = serial().await;
    let addr = short_server();
    let board = page(addr, "/board").await;
    let mut conn = connect(&board).await;
    join_rendered(&mut conn, &board, "1").await;
    click_to(&mut conn, &board, "1", 3).await;
    let mounts = BOARD.mounts();
    drop(conn);
    wait_for("the view to wait for its client", || {
        orphaned_view_count() == 1
    })
    .await;
    // The grace period (400 ms) passes: the view stops, its `terminate` runs.
    views_settle_at(0).await;
    assert_eq!(orphaned_view_count(), 0);

    let mut conn = connect(&board).await;
    let rendered = join_rendered(&mut conn, &board, "2").await;
    assert_eq!(shown(&rendered), ("0".into(), "0".into(), "true".into()));
    assert_eq!(BOARD.mounts(), mounts + 1, "a fresh mount");
    leave(&mut conn, &board, "2").await;
    views_settle_at(0).await;
}

#[actix_rt::test]
async fn a_close_frame_stops_the_views_at_once() {
    let _serial = serial().await;
    let addr = server();
    let board = page(addr, "/board").await;
    let mut conn = connect(&board).await;
    join_rendered(&mut conn, &board, "1").await;
    // The client closes its socket itself (a page it unloads does): nothing waits for a
    // rejoin, though the grace period is 30 s.
    support::send_raw(
        &mut conn,
        &support::raw_frame(actix_http::ws::OpCode::Close, true, &[0x03, 0xe8]),
    )
    .await;
    views_settle_at(0).await;
    assert_eq!(orphaned_view_count(), 0);
}

#[actix_rt::test]
async fn a_token_replayed_from_another_browser_session_never_gets_the_living_view() {
    let _serial = serial().await;
    let addr = short_server();
    let victim = page(addr, "/board").await;
    let mut conn = connect(&victim).await;
    join_rendered(&mut conn, &victim, "1").await;
    click_to(&mut conn, &victim, "1", 3).await;
    drop(conn);
    wait_for("the victim's view to wait for its client", || {
        orphaned_view_count() == 1
    })
    .await;

    // Another browser session: its own cookie and CSRF token, the victim's session token.
    let other = page(addr, "/board").await;
    let replay = Page {
        cookie: other.cookie.clone(),
        csrf: other.csrf.clone(),
        ..victim.clone()
    };
    let mut conn = connect(&replay).await;
    let reply = join(&mut conn, &replay, "1").await;
    let status = reply[4]["status"].as_str().unwrap_or_default().to_owned();
    if status == "ok" {
        let rendered = &reply[4]["response"]["rendered"];
        assert_eq!(
            shown(rendered).0,
            "0",
            "a fresh mount, never the victim's state"
        );
    } else {
        assert_eq!(reply[4]["response"]["reason"], "stale", "{reply}");
    }
    assert_eq!(
        orphaned_view_count(),
        1,
        "the victim's view still waits for the victim"
    );
    drop(conn);

    // The victim's CSRF token with the other session's cookie: refused at the socket.
    let replay = Page {
        cookie: other.cookie.clone(),
        ..victim.clone()
    };
    if let Ok(mut conn) = liveview_test::ws::try_connect(&replay).await {
        let reply = join(&mut conn, &replay, "1").await;
        assert_eq!(reply[4]["status"], "error", "{reply}");
    }
    // The victim itself gets its view back.
    let mut conn = connect(&victim).await;
    let rendered = join_rendered(&mut conn, &victim, "2").await;
    assert_eq!(shown(&rendered).0, "3");
    leave(&mut conn, &victim, "2").await;
    views_settle_at(0).await;
}

#[actix_rt::test]
async fn a_flood_of_dead_renders_that_never_join_stays_within_the_adoption_limits() {
    let _serial = serial().await;
    let addr = short_server();
    // The limits of `short_server`: 8 views, 1 KiB of HTML (a page of `/adopt` is ~60 bytes).
    let mut most = 0;
    for _ in 0..100 {
        page(addr, "/adopt").await;
        most = most.max(adoptable_view_count());
        assert!(adoptable_view_count() <= 8, "{}", adoptable_view_count());
        wait_for("evicted views to stop", || live_view_count() <= 8).await;
    }
    assert_eq!(most, 8, "the bound was reached and held");
    views_settle_at(0).await;

    // The byte bound: 200 bytes hold three pages of `/adopt`.
    let tiny = tiny_server();
    let bytes = page(tiny, "/adopt").await.inner().len();
    assert!(
        (51..=66).contains(&bytes),
        "a page of /adopt holds {bytes} bytes"
    );
    let mut most = 0;
    for _ in 0..50 {
        page(tiny, "/adopt").await;
        most = most.max(adoptable_view_count());
        assert!(
            adoptable_view_count() * bytes <= 200,
            "{}",
            adoptable_view_count()
        );
        wait_for("evicted views to stop", || live_view_count() <= 200 / bytes).await;
    }
    assert_eq!(most, 200 / bytes, "the byte bound was reached and held");
    // Unclaimed, they stop after their time to live (400 ms).
    views_settle_at(0).await;
    assert_eq!(adoptable_view_count(), 0);

    // A join after its view expired mounts afresh.
    let page_a = page(addr, "/adopt").await;
    views_settle_at(0).await;
    let mounts = ADOPTING.mounts();
    let mut conn = connect(&page_a).await;
    join_rendered(&mut conn, &page_a, "1").await;
    assert_eq!(ADOPTING.mounts(), mounts + 1);
    leave(&mut conn, &page_a, "1").await;
    views_settle_at(0).await;
}

#[actix_rt::test]
async fn a_mass_disconnect_leaves_no_view_behind_after_the_grace_period() {
    let _serial = serial().await;
    let addr = short_server();
    let board = page(addr, "/board").await;
    let mut conns = Vec::new();
    for _ in 0..200 {
        let mut conn = connect(&board).await;
        join_rendered(&mut conn, &board, "1").await;
        conns.push(conn);
    }
    assert_eq!(live_view_count(), 200);
    drop(conns);
    // All 200 share one page's key: each newer orphan replaces the older one, which stops.
    views_settle_at(0).await;
    assert_eq!(orphaned_view_count(), 0);

    // 200 distinct pages.
    let mut conns = Vec::new();
    for _ in 0..200 {
        let p = page(addr, "/board").await;
        let mut conn = connect(&p).await;
        join_rendered(&mut conn, &p, "1").await;
        conns.push(conn);
    }
    drop(conns);
    wait_for("200 orphans", || orphaned_view_count() == 200).await;
    views_settle_at(0).await;
    assert_eq!(orphaned_view_count(), 0);
    assert_eq!(unexpected_panics(), 0);
}

/// Joins `board` on a raw socket and reads frames until the join's reply.
fn raw_joined(board: &Page) -> std::net::TcpStream {
    let mut stream = support::raw_websocket(board, None);
    support::raw_send(&mut stream, &support::join_frame(board, "1"));
    let mut buf = actix_web::web::BytesMut::new();
    loop {
        let (_, payload) = support::raw_next_frame(&mut stream, &mut buf).expect("the join reply");
        let frame: Value = serde_json::from_slice(&payload).expect("a JSON frame");
        if frame[3] == "phx_reply" && frame[1] == "1" {
            assert_eq!(frame[4]["status"], "ok", "{frame}");
            return stream;
        }
    }
}

#[actix_rt::test]
async fn a_reset_connection_keeps_its_views_for_a_rejoin() {
    let _serial = serial().await;
    let addr = server();
    let board = page(addr, "/board").await;
    let stream = raw_joined(&board);
    let mounts = BOARD.mounts();
    // RST, no FIN: a connection that broke.
    support::reset(stream);
    wait_for("the view to wait for its client", || {
        orphaned_view_count() == 1
    })
    .await;
    let mut conn = connect(&board).await;
    join_rendered(&mut conn, &board, "2").await;
    assert_eq!(BOARD.mounts(), mounts, "re-attached, not mounted again");
    leave(&mut conn, &board, "2").await;
    views_settle_at(0).await;
}

#[actix_rt::test]
async fn a_close_frame_with_the_fin_behind_it_stops_the_views_at_once() {
    use std::io::Write as _;
    let _serial = serial().await;
    let addr = server();
    let board = page(addr, "/board").await;
    let mut stream = raw_joined(&board);
    // What a browser leaving a page sends: its Close frame, and its FIN right behind it, in
    // one go. The Close frame counts: the client left.
    stream
        .write_all(&support::raw_close(1001))
        .expect("the Close frame");
    stream.shutdown(std::net::Shutdown::Write).expect("the FIN");
    views_settle_at(0).await;
    assert_eq!(orphaned_view_count(), 0);
}

#[actix_rt::test]
async fn a_client_that_closes_after_a_heartbeat_timeout_finds_its_views_waiting() {
    use std::io::Write as _;
    let _serial = serial().await;
    let addr = server();
    let board = page(addr, "/board").await;
    let mut stream = raw_joined(&board);
    let mounts = BOARD.mounts();
    // phoenix.js (and our client) close with 1000 "heartbeat timeout" when a heartbeat went
    // unanswered, and reconnect: that is a connection in trouble, not a client leaving.
    let mut payload = 1000_u16.to_be_bytes().to_vec();
    payload.extend_from_slice(b"heartbeat timeout");
    let close = support::raw_frame(actix_http::ws::OpCode::Close, true, &payload);
    stream.write_all(&close).expect("the Close frame");
    wait_for("the view to wait for its client", || {
        orphaned_view_count() == 1
    })
    .await;
    let mut conn = connect(&board).await;
    join_rendered(&mut conn, &board, "2").await;
    assert_eq!(BOARD.mounts(), mounts, "re-attached, not mounted again");
    leave(&mut conn, &board, "2").await;
    views_settle_at(0).await;
}
