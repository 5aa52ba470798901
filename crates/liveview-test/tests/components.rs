//! Live components over a real websocket: CIDs, the `c` section and its shared statics, events
//! routed by `cid`, the two-step destroy with revival, and bad input (unknown or destroyed
//! CIDs, `cids_destroyed` for CIDs never marked).

use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{
    Assigns, ComponentSocket, LiveAssigns, LiveComponent, LiveEvent, LiveView, Params, Session,
    Socket, ViewError,
};
use liveview_test::socket::TestServer;
use liveview_test::ws;
use serde_json::{json, Value};

#[derive(LiveAssigns)]
#[live(crate = liveview_session)]
struct CellState {
    label: String,
    count: i64,
}

#[derive(LiveEvent)]
#[live(crate = liveview_session)]
enum CellMsg {
    Inc,
}

#[derive(Default)]
struct Cell;

impl LiveComponent for Cell {
    type Props = String;
    type Event = CellMsg;
    type Update = i64;

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign_all(CellState {
            label: String::new(),
            count: 0,
        });
        Ok(())
    }

    fn update(
        &mut self,
        label: String,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(CellState::label, label);
        Ok(())
    }

    fn on_event(
        &mut self,
        msg: CellMsg,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        match msg {
            CellMsg::Inc => socket.update(CellState::count, |n| *n += 1),
        };
        Ok(())
    }

    fn handle_update(
        &mut self,
        to: i64,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(CellState::count, to);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div.cell {
                (a[CellState::label]) "=" (a[CellState::count])
                button phx-click=(CellMsg::Inc) phx-target=(a.myself()) { "+" }
            }
        }
    }
}

#[derive(LiveAssigns)]
#[live(crate = liveview_session)]
struct BoardState {
    cells: usize,
    shown: bool,
}

#[derive(LiveEvent)]
#[live(crate = liveview_session)]
enum BoardMsg {
    Hide,
    Show,
    Reset,
}

#[derive(Default)]
struct Board;

impl LiveView for Board {
    type Info = ();
    type Event = BoardMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(BoardState {
            cells: 100,
            shown: true,
        });
        Ok(())
    }

    fn update(&mut self, msg: BoardMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            BoardMsg::Hide => socket.assign(BoardState::shown, false),
            BoardMsg::Show => socket.assign(BoardState::shown, true),
            BoardMsg::Reset => socket.send_update::<Cell>("cell-0", 0),
        };
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            main {
                @if a[BoardState::shown] {
                    section {
                        @for i in 0..a[BoardState::cells] {
                            (a.live_component::<Cell>(format_args!("cell-{i}"), format!("c{i}")))
                        }
                    }
                }
            }
        }
    }
}

fn server() -> TestServer {
    TestServer::live(LiveConfig::from_env().live::<Board>("/"))
}

fn frame(reference: &str, topic: &str, event: &str, payload: Value) -> Value {
    json!(["1", reference, topic, event, payload])
}

async fn joined() -> (TestServer, ws::Page, ws::Conn, Value) {
    let server = server();
    let page = ws::page(server.addr(), "/").await;
    let mut conn = ws::connect(&page).await;
    let reply = ws::join(&mut conn, &page, "1").await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    (server, page, conn, reply)
}

#[actix_rt::test]
async fn the_dead_render_inlines_every_component() {
    let server = server();
    let page = ws::page(server.addr(), "/").await;
    let html = page.inner();
    assert!(html.contains(
        r#"<div class="cell">c0=0<button phx-click="inc" phx-target="1">+</button></div>"#
    ));
    assert!(html.contains(
        r#"<div class="cell">c99=0<button phx-click="inc" phx-target="100">+</button></div>"#
    ));
}

#[actix_rt::test]
async fn the_join_numbers_components_in_render_order_and_shares_their_statics() {
    let (_server, _page, _conn, reply) = joined().await;
    let rendered = &reply[4]["response"]["rendered"];
    let c = rendered["c"].as_object().expect("a c section");
    assert_eq!(c.len(), 100);
    assert_eq!(c["1"]["r"], 1);
    assert_eq!(c["1"]["0"], "c0");
    assert!(c["1"]["s"].is_array());
    // Every other cell sends only its label and shares the first one's statics.
    assert_eq!(c["2"], json!({"0": "c1", "3": "2", "s": 1}));
    assert_eq!(c["100"], json!({"0": "c99", "3": "100", "s": 1}));
    // The view's loop holds the CIDs, in render order.
    let rows = &rendered["0"]["0"]["k"];
    assert_eq!(rows["0"]["0"], 1);
    assert_eq!(rows["99"]["0"], 100);
}

#[actix_rt::test]
async fn a_click_in_one_of_100_components_sends_only_its_entry() {
    let (_server, page, mut conn, _) = joined().await;
    ws::send(
        &mut conn,
        frame(
            "2",
            &page.topic(),
            "event",
            json!({"type": "click", "event": "inc", "value": {}, "cid": 37}),
        ),
    )
    .await;
    let reply = ws::reply_to(&mut conn, "2").await;
    let diff = &reply[4]["response"]["diff"];
    assert_eq!(diff, &json!({"c": {"37": {"1": "1"}}}));
    let bytes = serde_json::to_string(diff).map(|s| s.len()).unwrap_or(0);
    assert!(bytes <= 24, "{bytes} bytes: {diff}");
}

#[actix_rt::test]
async fn events_for_unknown_cids_are_answered_empty_and_never_reach_the_view() {
    let (_server, page, mut conn, _) = joined().await;
    // `hide` is the view's event: sent to a CID that does not exist, nothing happens.
    ws::send(
        &mut conn,
        frame(
            "2",
            &page.topic(),
            "event",
            json!({"type": "click", "event": "hide", "value": {}, "cid": 999}),
        ),
    )
    .await;
    let reply = ws::reply_to(&mut conn, "2").await;
    assert_eq!(reply[4], json!({"status": "ok", "response": {}}));
    ws::send(
        &mut conn,
        frame(
            "3",
            &page.topic(),
            "event",
            json!({"type": "click", "event": "inc", "value": {}, "cid": 1}),
        ),
    )
    .await;
    let reply = ws::reply_to(&mut conn, "3").await;
    assert_eq!(
        reply[4]["response"]["diff"],
        json!({"c": {"1": {"1": "1"}}})
    );
}

#[actix_rt::test]
async fn destroy_deletes_only_marked_components_and_revival_keeps_state() {
    let (_server, page, mut conn, _) = joined().await;
    let topic = page.topic();
    // Never marked: nothing is deleted.
    ws::send(
        &mut conn,
        frame("2", &topic, "cids_destroyed", json!({"cids": [1, 2, 77]})),
    )
    .await;
    assert_eq!(
        ws::reply_to(&mut conn, "2").await[4]["response"],
        json!({"cids": []})
    );
    ws::send(
        &mut conn,
        frame(
            "3",
            &topic,
            "event",
            json!({"type": "click", "event": "inc", "value": {}, "cid": 1}),
        ),
    )
    .await;
    ws::reply_to(&mut conn, "3").await;

    // Hidden, marked, then shown again before `cids_destroyed`: revived, sent in full.
    ws::send(
        &mut conn,
        frame(
            "4",
            &topic,
            "event",
            json!({"type": "click", "event": "hide", "value": {}}),
        ),
    )
    .await;
    ws::reply_to(&mut conn, "4").await;
    let all: Vec<u32> = (1..=100).collect();
    ws::send(
        &mut conn,
        frame("5", &topic, "cids_will_destroy", json!({"cids": all})),
    )
    .await;
    assert_eq!(ws::reply_to(&mut conn, "5").await[4]["response"], json!({}));
    ws::send(
        &mut conn,
        frame(
            "6",
            &topic,
            "event",
            json!({"type": "click", "event": "show", "value": {}}),
        ),
    )
    .await;
    let shown = ws::reply_to(&mut conn, "6").await;
    let c = &shown[4]["response"]["diff"]["c"];
    assert_eq!(c.as_object().map(|c| c.len()), Some(100));
    // Marked components are no source of shared statics: the first one is sent whole.
    assert!(c["1"]["s"].is_array(), "{}", c["1"]);
    assert_eq!(c["1"]["1"], "1", "the revived component kept its count");
    ws::send(
        &mut conn,
        frame("7", &topic, "cids_destroyed", json!({"cids": all})),
    )
    .await;
    assert_eq!(
        ws::reply_to(&mut conn, "7").await[4]["response"],
        json!({"cids": []})
    );

    // Hidden and destroyed for good: gone, and its events are answered empty.
    ws::send(
        &mut conn,
        frame(
            "8",
            &topic,
            "event",
            json!({"type": "click", "event": "hide", "value": {}}),
        ),
    )
    .await;
    ws::reply_to(&mut conn, "8").await;
    ws::send(
        &mut conn,
        frame("9", &topic, "cids_will_destroy", json!({"cids": [1, 2]})),
    )
    .await;
    ws::reply_to(&mut conn, "9").await;
    ws::send(
        &mut conn,
        frame("10", &topic, "cids_destroyed", json!({"cids": [1, 2, 3]})),
    )
    .await;
    assert_eq!(
        ws::reply_to(&mut conn, "10").await[4]["response"],
        json!({"cids": [1, 2]})
    );
    ws::send(
        &mut conn,
        frame(
            "11",
            &topic,
            "event",
            json!({"type": "click", "event": "inc", "value": {}, "cid": 1}),
        ),
    )
    .await;
    assert_eq!(
        ws::reply_to(&mut conn, "11").await[4]["response"],
        json!({})
    );

    // Shown again: the deleted ones come back as new components with new CIDs.
    ws::send(
        &mut conn,
        frame(
            "12",
            &topic,
            "event",
            json!({"type": "click", "event": "show", "value": {}}),
        ),
    )
    .await;
    let shown = ws::reply_to(&mut conn, "12").await;
    let c = shown[4]["response"]["diff"]["c"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert!(
        c.contains_key("101") && c.contains_key("102"),
        "{:?}",
        c.keys()
    );
    assert!(!c.contains_key("1"));
}

#[actix_rt::test]
async fn send_update_pushes_a_component_only_diff() {
    let (_server, page, mut conn, _) = joined().await;
    let topic = page.topic();
    ws::send(
        &mut conn,
        frame(
            "2",
            &topic,
            "event",
            json!({"type": "click", "event": "inc", "value": {}, "cid": 1}),
        ),
    )
    .await;
    ws::reply_to(&mut conn, "2").await;
    ws::send(
        &mut conn,
        frame(
            "3",
            &topic,
            "event",
            json!({"type": "click", "event": "reset", "value": {}}),
        ),
    )
    .await;
    let frames = ws::until_reply(&mut conn, "3").await;
    let mut seen = frames;
    while !seen.iter().any(|f| f[3] == "diff") {
        seen.push(ws::recv(&mut conn).await);
    }
    let push = seen
        .iter()
        .find(|f| f[3] == "diff")
        .cloned()
        .unwrap_or_default();
    assert_eq!(push[4], json!({"c": {"1": {"1": "0"}}}));
}

#[actix_rt::test]
async fn malformed_cid_lists_are_answered_without_effect() {
    let (_server, page, mut conn, _) = joined().await;
    let topic = page.topic();
    ws::send(
        &mut conn,
        frame("2", &topic, "cids_will_destroy", json!({"cids": "all"})),
    )
    .await;
    assert_eq!(ws::reply_to(&mut conn, "2").await[4]["response"], json!({}));
    ws::send(
        &mut conn,
        frame("3", &topic, "cids_destroyed", json!({"cids": [-1, "x"]})),
    )
    .await;
    assert_eq!(
        ws::reply_to(&mut conn, "3").await[4]["response"],
        json!({"cids": []})
    );
    ws::send(
        &mut conn,
        frame(
            "4",
            &topic,
            "event",
            json!({"type": "click", "event": "inc", "value": {}, "cid": 2}),
        ),
    )
    .await;
    assert_eq!(
        ws::reply_to(&mut conn, "4").await[4]["response"]["diff"],
        json!({"c": {"2": {"1": "1"}}})
    );
}
