//! Streams over a real websocket: the join sends every queued item with the stream's
//! operations, later diffs only what was inserted or deleted, an idle stream nothing, and the
//! server keeps no item after a render.

use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{
    Assigns, InsertOpts, LiveAssigns, LiveEvent, LiveView, Params, Session, Socket, Stream,
    StreamItem, ViewError,
};
use liveview_test::socket::TestServer;
use liveview_test::ws;
use serde_json::{json, Value};

#[derive(Clone, Debug)]
struct Item {
    id: u64,
    text: String,
}

impl StreamItem for Item {
    type Id = u64;
    fn id(&self) -> u64 {
        self.id
    }
}

#[derive(LiveAssigns)]
#[live(crate = liveview_session)]
struct FeedState {
    items: Stream<Item>,
    next: u64,
    tick: u64,
}

#[derive(LiveEvent)]
#[live(crate = liveview_session)]
enum FeedMsg {
    Add,
    Top,
    Delete { id: u64 },
    Reset,
    Tick,
}

#[derive(Default)]
struct Feed;

impl Feed {
    fn item(socket: &mut Socket<Self>) -> Item {
        let id = socket.assigns()[FeedState::next];
        socket.assign(FeedState::next, id + 1);
        Item {
            id,
            text: format!("item {id}"),
        }
    }
}

impl LiveView for Feed {
    type Info = ();
    type Event = FeedMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(FeedState {
            items: Stream::counted(),
            next: 3,
            tick: 0,
        });
        socket.stream(
            FeedState::items,
            [1, 2].map(|id| Item {
                id,
                text: format!("item {id}"),
            }),
        );
        Ok(())
    }

    fn update(&mut self, msg: FeedMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            FeedMsg::Add => {
                let item = Self::item(socket);
                socket.stream_insert(FeedState::items, item, -1);
            }
            FeedMsg::Top => {
                let item = Self::item(socket);
                let opts = InsertOpts {
                    at: 0,
                    limit: Some(3),
                    update_only: false,
                };
                socket.stream_insert_with(&FeedState::items, item, opts);
            }
            FeedMsg::Delete { id } => {
                socket.stream_delete_by_dom_id(FeedState::items, &format!("items-{id}"));
            }
            FeedMsg::Reset => {
                let item = Self::item(socket);
                socket.stream_reset(FeedState::items, [item]);
            }
            FeedMsg::Tick => {
                socket.update(FeedState::tick, |t| *t += 1);
            }
        }
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let items = &a[FeedState::items];
        html! {
            p #count { (items.len().unwrap_or(0)) " items, tick " (a[FeedState::tick]) }
            ul #items phx-update="stream" {
                @for (dom_id, item) in items { li id=(dom_id) { (item.text) } }
            }
            button #add phx-click=(FeedMsg::Add) { "add" }
            button #top phx-click=(FeedMsg::Top) { "top" }
            button #reset phx-click=(FeedMsg::Reset) { "reset" }
            button #tick phx-click=(FeedMsg::Tick) { "tick" }
            button #del-2 phx-click=(FeedMsg::Delete { id: 2 }) { "delete 2" }
        }
    }
}

fn frame(reference: &str, topic: &str, event: &str, value: Value) -> Value {
    json!(["1", reference, topic, "event", {"type": "click", "event": event, "value": value}])
}

async fn joined() -> (TestServer, ws::Page, ws::Conn, Value) {
    let server = TestServer::live(LiveConfig::from_env().live::<Feed>("/"));
    let page = ws::page(server.addr(), "/").await;
    let mut conn = ws::connect(&page).await;
    let reply = ws::join(&mut conn, &page, "1").await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    (server, page, conn, reply)
}

#[actix_rt::test]
async fn the_dead_render_shows_every_item() {
    let server = TestServer::live(LiveConfig::from_env().live::<Feed>("/"));
    let page = ws::page(server.addr(), "/").await;
    assert!(page.inner().contains(
        r#"<ul id="items" phx-update="stream"><li id="items-1">item 1</li><li id="items-2">item 2</li></ul>"#
    ));
}

#[actix_rt::test]
async fn the_join_carries_the_items_and_the_stream() {
    let (_server, _page, _conn, reply) = joined().await;
    let list = &reply[4]["response"]["rendered"]["2"];
    assert_eq!(list["k"]["kc"], 2);
    assert_eq!(list["k"]["0"], json!({"0": "items-1", "1": "item 1"}));
    assert_eq!(
        list["stream"],
        json!([
            "0",
            [["items-1", -1, null, false], ["items-2", -1, null, false]],
            []
        ])
    );
}

#[actix_rt::test]
async fn diffs_carry_only_what_changed_in_the_stream() {
    let (_server, page, mut conn, _) = joined().await;
    let topic = page.topic();
    // An event that does not touch the stream sends no stream at all.
    ws::send(&mut conn, frame("2", &topic, "tick", json!({}))).await;
    let diff = ws::reply_to(&mut conn, "2").await[4]["response"]["diff"].clone();
    assert_eq!(diff, json!({"1": "1"}), "{diff}");

    ws::send(&mut conn, frame("3", &topic, "add", json!({}))).await;
    let diff = ws::reply_to(&mut conn, "3").await[4]["response"]["diff"].clone();
    assert_eq!(
        diff["2"],
        json!({"k": {"0": {"0": "items-3", "1": "item 3"}, "kc": 1}, "stream": ["0", [["items-3", -1, null, false]], []]})
    );
    assert_eq!(diff["0"], "3");

    ws::send(&mut conn, frame("4", &topic, "top", json!({}))).await;
    let diff = ws::reply_to(&mut conn, "4").await[4]["response"]["diff"].clone();
    assert_eq!(
        diff["2"]["stream"],
        json!(["0", [["items-4", 0, 3, false]], []])
    );

    ws::send(&mut conn, frame("5", &topic, "delete", json!({"id": "1"}))).await;
    let diff = ws::reply_to(&mut conn, "5").await[4]["response"]["diff"].clone();
    assert_eq!(
        diff["2"],
        json!({"k": {"kc": 0}, "stream": ["0", [], ["items-1"]]})
    );

    ws::send(&mut conn, frame("6", &topic, "reset", json!({}))).await;
    let diff = ws::reply_to(&mut conn, "6").await[4]["response"]["diff"].clone();
    assert_eq!(
        diff["2"]["stream"],
        json!(["0", [["items-5", -1, null, false]], [], true])
    );
    assert_eq!(diff["0"], "1");
}

#[actix_rt::test]
async fn deleting_an_unknown_dom_id_is_sent_and_harmless() {
    let (_server, page, mut conn, _) = joined().await;
    let topic = page.topic();
    ws::send(
        &mut conn,
        frame("2", &topic, "delete", json!({"id": "999"})),
    )
    .await;
    let reply = ws::reply_to(&mut conn, "2").await;
    assert_eq!(reply[4]["status"], "ok");
    ws::send(&mut conn, frame("3", &topic, "add", json!({}))).await;
    assert_eq!(ws::reply_to(&mut conn, "3").await[4]["status"], "ok");
}

fn ids(view: &liveview_test::LiveViewTest<impl liveview_test::Transport>) -> Vec<String> {
    let html = view.element_html("#items");
    html.split("<li id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

#[actix_rt::test]
async fn the_harness_dom_keeps_streamed_items_as_a_browser_does() {
    let mut view = liveview_test::live::<Feed>("/").await;
    assert_eq!(ids(&view), ["items-1", "items-2"]);
    view.click("#tick").await;
    assert_eq!(ids(&view), ["items-1", "items-2"]);
    view.click("#add").await;
    assert_eq!(ids(&view), ["items-1", "items-2", "items-3"]);
    // At the top, keeping three.
    view.click("#top").await;
    assert_eq!(ids(&view), ["items-4", "items-1", "items-2"]);
    view.click("#del-2").await;
    assert_eq!(ids(&view), ["items-4", "items-1"]);
    assert_eq!(view.text("#count"), "2 items, tick 1");
    view.click("#reset").await;
    assert_eq!(ids(&view), ["items-5"]);
    assert_eq!(view.text("#count"), "1 items, tick 1");
}
