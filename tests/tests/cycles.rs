//! Nothing leaks across connections: after many connect / join / disconnect cycles every
//! session actor and view actor is gone (DESIGN.md §6: when the socket closes every view is
//! shut down; the counts are the runtime's own metrics).

mod support;

use awc::ws;
use futures_util::future::join_all;
use futures_util::SinkExt as _;
use liveview_session::{live_session_count, live_view_count};
use support::{
    click, connect, join_ok, page, reply_to, send, serial, server, sessions_settle_at,
    views_settle_at, Page,
};

const CYCLES: usize = 1_000;
const LANES: usize = 8;

/// One lane of cycles: connect, join, click, then leave by a close handshake (even cycles)
/// or by dropping the TCP connection without one (odd cycles).
async fn lane(page: &Page, cycles: usize) {
    for i in 0..cycles {
        let mut conn = connect(page).await;
        join_ok(&mut conn, page, "1").await;
        send(&mut conn, click(page, "1", "2", "inc")).await;
        reply_to(&mut conn, "2").await;
        if i % 2 == 0 {
            conn.send(ws::Message::Close(Some(ws::CloseCode::Away.into())))
                .await
                .expect("send close");
        }
        drop(conn);
    }
}

// 1,000 cycles, eight at a time, half closed cleanly and half dropped: afterwards
// `live_view_count()` and `live_session_count()` are back where they started.
#[actix_rt::test]
async fn thousand_connect_join_disconnect_cycles_leave_no_view_or_session_behind() {
    let _serial = serial().await;
    let (views_before, sessions_before) = (live_view_count(), live_session_count());
    let page = page(server(), "/lab").await;
    join_all((0..LANES).map(|_| lane(&page, CYCLES / LANES))).await;
    views_settle_at(views_before).await;
    sessions_settle_at(sessions_before).await;
}
