//! Live components through the harness, over both transports: `phx-target` resolved to the
//! CID (`@myself`, a selector, a selector outside any component), the browser's two-step
//! destroy after each diff (with `cids_destroyed` held for a revival, Phoenix's LC-09), moved
//! and nested components, `send_update` as a component-only push, the mailbox entries of
//! component events, and `render_component`.

use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{
    Assigns, ComponentSocket, DestroyComponents, LiveComponent, LiveView, Params, PushKind,
    Session, Socket, ViewError,
};
use liveview_test::socket::{Connection, FrameEntry, TestServer};
use liveview_test::{
    assert_no_more, assert_receive, assert_sent, live, render_component, InProcess, Inbound,
    LiveViewTest, MailboxEntry, Outbound, Transport,
};
use serde_json::{json, Value};

/// A row of the shop: a count, a note set by its form, the last key pressed in it, and a
/// nested [`Tag`].
#[derive(Default)]
struct Row;

impl LiveComponent for Row {
    type Props = u32;
    type Event = ();
    type Update = ();

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign("count", 0_i64);
        socket.assign("note", String::new());
        socket.assign("key", String::new());
        Ok(())
    }

    fn update(&mut self, id: u32, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign("id", id);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        let text = |k: &str| value[k].as_str().unwrap_or_default().to_owned();
        match event {
            "bump" => {
                socket.update("count", |n: &mut i64| *n += 1);
            }
            "save" => {
                socket.assign("note", text("note"));
            }
            "validate" => {
                socket.assign("note", format!("{}?", text("note")));
            }
            "key" => {
                socket.assign("key", text("key"));
            }
            other => return Err(ViewError::other(format!("row: unknown event {other}"))),
        }
        Ok(())
    }

    fn handle_update(
        &mut self,
        (): (),
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("count", 0_i64);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let id: u32 = a.get("id");
        let count: i64 = a.get("count");
        let note: String = a.get("note");
        let key: String = a.get("key");
        html! {
            div.row id=(format!("row-{id}")) {
                span.count { (count) }
                button.bump phx-click="bump" phx-target=(a.myself()) { "+" }
                form phx-submit="save" phx-change="validate" phx-target=(a.myself()) {
                    input name="note" value=(note);
                }
                input.key phx-keydown="key" phx-target=(a.myself());
                span.note { (note) }
                span.last-key { (key) }
                (a.live_component::<Tag>(format_args!("tag-{id}"), id))
            }
        }
    }
}

/// A component inside each row, with a count of its own.
#[derive(Default)]
struct Tag;

impl LiveComponent for Tag {
    type Props = u32;
    type Event = ();
    type Update = ();

    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign("n", 0_i64);
        Ok(())
    }

    fn update(&mut self, id: u32, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign("id", id);
        Ok(())
    }

    fn handle_event(
        &mut self,
        _: &str,
        _: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.update("n", |n: &mut i64| *n += 1);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let id: u32 = a.get("id");
        let n: i64 = a.get("n");
        html! {
            em.tag id=(format!("tag-{id}")) {
                "n=" (n)
                button.tag-bump phx-click="bump" phx-target=(a.myself()) { "+" }
            }
        }
    }
}

/// A page of rows, with buttons aimed at components by selector.
#[derive(Default)]
struct Shop;

impl LiveView for Shop {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign("items", vec![1_u32, 2, 3]);
        socket.assign("shown", true);
        socket.assign("tick", 0_i64);
        socket.assign("view_bumps", 0_i64);
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "tick" => {
                socket.update("tick", |n: &mut i64| *n += 1);
            }
            "bump" => {
                socket.update("view_bumps", |n: &mut i64| *n += 1);
            }
            "hide" => {
                socket.assign("shown", false);
            }
            "show" => {
                socket.assign("shown", true);
            }
            "reverse" => {
                socket.update("items", |items: &mut Vec<u32>| items.reverse());
            }
            "remove_first" => {
                socket.update("items", |items: &mut Vec<u32>| {
                    items.remove(0);
                });
            }
            "add" => {
                let id = value["id"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(9);
                socket.update("items", |items: &mut Vec<u32>| items.push(id));
            }
            "reset" => {
                let id = value["id"].as_str().unwrap_or_default().to_owned();
                socket.send_update::<Row>(id, ());
            }
            other => return Err(ViewError::other(format!("shop: unknown event {other}"))),
        }
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let items: Vec<u32> = a.get("items");
        let shown: bool = a.get("shown");
        let tick: i64 = a.get("tick");
        let view_bumps: i64 = a.get("view_bumps");
        html! {
            main {
                p #tick { "tick: " (tick) }
                p #view-bumps { (view_bumps) }
                button #do-tick phx-click="tick" { "tick" }
                button #hide phx-click="hide" { "hide" }
                button #show phx-click="show" { "show" }
                button #reverse phx-click="reverse" { "reverse" }
                button #remove-first phx-click="remove_first" { "remove" }
                button #add-3 phx-click="add" phx-value-id="3" { "add 3" }
                button #bump-3 phx-click="bump" phx-target="#row-3" { "bump 3" }
                button #bump-rows phx-click="bump" phx-target=".row" { "bump all" }
                button #bump-view phx-click="bump" phx-target="#tick" { "bump view" }
                button #bump-nothing phx-click="bump" phx-target="#missing" { "bump nothing" }
                button #bump-cid-99 phx-click="bump" phx-target="99" { "bump 99" }
                button #reset-2 phx-click="reset" phx-value-id="2" { "reset 2" }
                @if shown {
                    div #wrapper {
                        @for id in &items {
                            (a.live_component::<Row>(id, *id))
                        }
                    }
                }
            }
        }
    }
}

async fn in_process() -> LiveViewTest<InProcess<Shop>> {
    live::<Shop>("/").await
}

async fn over_socket() -> (TestServer, LiveViewTest<Connection>) {
    let server = TestServer::live(LiveConfig::from_env().live::<Shop>("/"));
    let view = server.connect("/").await;
    (server, view)
}

/// The `data-phx-component` of the element `selector` matches.
fn cid_of<T: Transport>(view: &LiveViewTest<T>, selector: &str) -> u32 {
    let html = view.element_html(selector);
    let from = html.find("data-phx-component=\"").map(|i| i + 20);
    from.and_then(|i| html[i..].split('"').next()?.parse().ok())
        .unwrap_or_else(|| panic!("{selector} is not a component root: {html}"))
}

// ---------------------------------------------------------------------------------------------
// phx-target

async fn targets<T: Transport>(view: &mut LiveViewTest<T>) {
    // `@myself`: only that row changes.
    view.click("#row-2 button.bump").await;
    assert_eq!(view.text("#row-2 .count"), "1");
    assert_eq!(view.text("#row-1 .count"), "0");
    assert_eq!(view.text("#view-bumps"), "0");
    // The nested component's own `@myself`.
    view.click("#tag-2 button").await;
    assert_eq!(view.text("#tag-2"), "n=1+");
    assert_eq!(view.text("#row-2 .count"), "1");
    // A selector: the closest component of the element it matches.
    view.click("#bump-3").await;
    assert_eq!(view.text("#row-3 .count"), "1");
    // A selector matching three rows: one push to each.
    view.click("#bump-rows").await;
    assert_eq!(view.text("#row-1 .count"), "1");
    assert_eq!(view.text("#row-2 .count"), "2");
    assert_eq!(view.text("#row-3 .count"), "2");
    assert_eq!(view.text("#view-bumps"), "0");
    // A selector matching an element outside every component: the view.
    view.click("#bump-view").await;
    assert_eq!(view.text("#view-bumps"), "1");
    // Forms and keys aimed at `@myself`.
    view.change("#row-1 form", json!({"note": "draft"})).await;
    assert_eq!(view.text("#row-1 .note"), "draft?");
    view.submit("#row-1 form", json!({"note": "kept"})).await;
    assert_eq!(view.text("#row-1 .note"), "kept");
    view.keydown("#row-3 input.key", "Enter").await;
    assert_eq!(view.text("#row-3 .last-key"), "Enter");
    assert_eq!(view.text("#row-1 .last-key"), "");
}

#[actix_rt::test]
async fn phx_target_reaches_the_component_in_process() {
    let mut view = in_process().await;
    targets(&mut view).await;
    // The mailbox shows which component each event went to.
    let cids: Vec<Option<u64>> = view
        .mailbox()
        .entries()
        .into_iter()
        .filter_map(|e| match e {
            MailboxEntry::In(Inbound::Event { event, cid, .. }) if event == "bump" => Some(cid),
            _ => None,
        })
        .collect();
    // Rows are CIDs 1, 2, 3 and their tags 4, 5, 6: the components a component places get
    // their CIDs after every component of the level above.
    assert_eq!(
        cids,
        vec![Some(2), Some(5), Some(3), Some(1), Some(2), Some(3), None]
    );
}

#[actix_rt::test]
async fn phx_target_reaches_the_component_over_a_socket() {
    let (_server, mut view) = over_socket().await;
    targets(&mut view).await;
    let sent: Vec<Value> = view
        .frames()
        .entries()
        .into_iter()
        .filter_map(|e| match e {
            FrameEntry::In(f) if f.event == "event" && f.payload["event"] == "bump" => {
                Some(f.payload["cid"].clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        sent,
        vec![
            json!(2),
            json!(5),
            json!(3),
            json!(1),
            json!(2),
            json!(3),
            Value::Null
        ]
    );
}

#[actix_rt::test]
#[should_panic(expected = "matches no element, so the client would send nothing")]
async fn a_selector_matching_nothing_sends_nothing() {
    let mut view = in_process().await;
    view.click("#bump-nothing").await;
}

#[actix_rt::test]
#[should_panic(expected = "no component with that CID is in the page")]
async fn a_cid_with_no_component_sends_nothing() {
    let mut view = in_process().await;
    view.click("#bump-cid-99").await;
}

// ---------------------------------------------------------------------------------------------
// Destroy, move, revival

/// The `cids_will_destroy` / `cids_destroyed` the harness sent and what the view answered.
fn destroy_log_in_process(view: &LiveViewTest<InProcess<Shop>>) -> Vec<String> {
    view.mailbox()
        .entries()
        .into_iter()
        .filter_map(|e| match e {
            MailboxEntry::In(Inbound::Destroy(DestroyComponents::WillDestroy(c))) => {
                Some(format!("will_destroy {c:?}"))
            }
            MailboxEntry::In(Inbound::Destroy(DestroyComponents::Destroyed(c))) => {
                Some(format!("destroyed {c:?}"))
            }
            MailboxEntry::Out(Outbound::Destroyed(c)) if !c.is_empty() => {
                Some(format!("deleted {c:?}"))
            }
            _ => None,
        })
        .collect()
}

fn destroy_log_socket(view: &LiveViewTest<Connection>) -> Vec<String> {
    view.frames()
        .entries()
        .into_iter()
        .filter_map(|e| match e {
            FrameEntry::In(f) if f.event == "cids_will_destroy" => {
                Some(format!("will_destroy {}", f.payload["cids"]))
            }
            FrameEntry::In(f) if f.event == "cids_destroyed" => {
                Some(format!("destroyed {}", f.payload["cids"]))
            }
            FrameEntry::Out(f)
                if f.event == "phx_reply"
                    && f.payload["response"]["cids"]
                        .as_array()
                        .is_some_and(|c| !c.is_empty()) =>
            {
                Some(format!("deleted {}", f.payload["response"]["cids"]))
            }
            _ => None,
        })
        .collect()
}

async fn move_and_destroy<T: Transport>(view: &mut LiveViewTest<T>) {
    view.click("#row-3 button.bump").await;
    // Moved: every component keeps its CID and its state, nothing is destroyed.
    view.click("#reverse").await;
    assert_eq!(cid_of(view, "#row-3"), 3);
    assert_eq!(view.text("#row-3 .count"), "1");
    let order: Vec<&str> = ["#row-3", "#row-2", "#row-1"].to_vec();
    let html = view.render();
    let at: Vec<usize> = order
        .iter()
        .map(|s| html.find(&format!("id=\"{}\"", &s[1..])).unwrap_or(0))
        .collect();
    assert!(at[0] < at[1] && at[1] < at[2], "{html}");
    // Removed: the row and its nested tag are destroyed (both steps), then forgotten.
    view.click("#remove-first").await;
    assert!(!view.has_element("#row-3", None));
    // Added back: a new component, with new CIDs and a fresh state.
    view.click("#add-3").await;
    assert_eq!(cid_of(view, "#row-3"), 7);
    assert_eq!(cid_of(view, "#tag-3"), 8);
    assert_eq!(view.text("#row-3 .count"), "0");
}

#[actix_rt::test]
async fn moved_components_keep_state_and_removed_ones_are_destroyed_in_process() {
    let mut view = in_process().await;
    move_and_destroy(&mut view).await;
    assert_eq!(
        destroy_log_in_process(&view),
        vec!["will_destroy [3, 6]", "destroyed [3, 6]", "deleted [3, 6]"]
    );
}

#[actix_rt::test]
async fn moved_components_keep_state_and_removed_ones_are_destroyed_over_a_socket() {
    let (_server, mut view) = over_socket().await;
    move_and_destroy(&mut view).await;
    assert_eq!(
        destroy_log_socket(&view),
        vec!["will_destroy [3,6]", "destroyed [3,6]", "deleted [3,6]"]
    );
}

async fn destroyed_for_good<T: Transport>(view: &mut LiveViewTest<T>) {
    view.click("#row-1 button.bump").await;
    view.click("#hide").await;
    assert!(!view.has_element("#wrapper", None));
    view.click("#show").await;
    // Deleted on the server: shown again as new components, with new CIDs and fresh state.
    assert_eq!(view.text("#row-1 .count"), "0");
    assert_eq!(cid_of(view, "#row-1"), 7);
    assert_eq!(cid_of(view, "#tag-1"), 10);
    view.click("#row-1 button.bump").await;
    assert_eq!(view.text("#row-1 .count"), "1");
}

#[actix_rt::test]
async fn hidden_components_are_destroyed_and_come_back_new_in_process() {
    let mut view = in_process().await;
    destroyed_for_good(&mut view).await;
    assert_eq!(
        destroy_log_in_process(&view),
        vec![
            "will_destroy [1, 2, 3, 4, 5, 6]",
            "destroyed [1, 2, 3, 4, 5, 6]",
            "deleted [1, 2, 3, 4, 5, 6]"
        ]
    );
}

#[actix_rt::test]
async fn hidden_components_are_destroyed_and_come_back_new_over_a_socket() {
    let (_server, mut view) = over_socket().await;
    destroyed_for_good(&mut view).await;
    assert_eq!(
        destroy_log_socket(&view),
        vec![
            "will_destroy [1,2,3,4,5,6]",
            "destroyed [1,2,3,4,5,6]",
            "deleted [1,2,3,4,5,6]"
        ]
    );
}

/// Phoenix's LC-09 (issue 4350): a component hidden and shown again while `cids_destroyed` is
/// in flight is revived, with its nested component, which change tracking had left out.
async fn revival<T: Transport>(view: &mut LiveViewTest<T>) {
    view.click("#tag-2 button").await;
    assert_eq!(view.text("#tag-2"), "n=1+");
    view.click("#do-tick").await;
    assert_eq!(view.text("#tick"), "tick: 1");
    let leaf = cid_of(view, "#tag-2");
    view.hold_cids_destroyed();
    view.click("#hide").await;
    assert!(!view.has_element("#wrapper", None));
    assert_eq!(view.held_cids_destroyed(), vec![1, 2, 3, 4, 5, 6]);
    view.click("#show").await;
    assert_eq!(view.text("#tag-2"), "n=1+", "revived with its state");
    // Every component is back: nothing is left to destroy, and no frame is sent.
    assert_eq!(view.release_cids_destroyed().await, Vec::<u32>::new());
    assert_eq!(cid_of(view, "#tag-2"), leaf, "the same CID");
    view.click("#tag-2 button").await;
    assert_eq!(view.text("#tag-2"), "n=2+", "still alive on the server");
    // Held again, and this time partly revived: only the rest is destroyed.
    view.hold_cids_destroyed();
    view.click("#remove-first").await;
    view.click("#hide").await;
    view.click("#show").await;
    assert_eq!(view.release_cids_destroyed().await, vec![1, 4]);
    assert!(!view.has_element("#row-1", None));
    view.click("#row-2 button.bump").await;
    assert_eq!(view.text("#row-2 .count"), "1");
}

#[actix_rt::test]
async fn a_component_shown_again_before_cids_destroyed_is_revived_in_process() {
    let mut view = in_process().await;
    revival(&mut view).await;
    assert_eq!(
        destroy_log_in_process(&view),
        vec![
            "will_destroy [1, 2, 3, 4, 5, 6]",
            "will_destroy [1, 4]",
            "will_destroy [2, 3, 5, 6]",
            "destroyed [1, 4]",
            "deleted [1, 4]"
        ]
    );
}

#[actix_rt::test]
async fn a_component_shown_again_before_cids_destroyed_is_revived_over_a_socket() {
    let (_server, mut view) = over_socket().await;
    revival(&mut view).await;
    assert_eq!(
        destroy_log_socket(&view),
        vec![
            "will_destroy [1,2,3,4,5,6]",
            "will_destroy [1,4]",
            "will_destroy [2,3,5,6]",
            "destroyed [1,4]",
            "deleted [1,4]"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// send_update and the mailbox

#[actix_rt::test]
async fn send_update_shows_as_a_pushed_component_only_diff() {
    let mut view = in_process().await;
    view.click("#row-2 button.bump").await;
    assert_eq!(view.text("#row-2 .count"), "1");
    view.mailbox().flush();
    view.click("#reset-2").await;
    // The event goes to the view (no cid); the view's own render is unchanged, so its reply
    // carries no diff.
    assert_receive!(
        view.mailbox(),
        Inbound::Event { event, cid: None, .. } if event == "reset"
    );
    assert_sent!(view.mailbox(), Outbound::Reply { diff: None, .. });
    // `handle_update` runs after the event, as a message of its own: the component's new render
    // arrives as a push of its `c` entry alone (here row 2 is CID 2, its count dynamic 1).
    let pushed = assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(_)));
    assert_eq!(
        pushed,
        Outbound::Push(PushKind::Diff(r#"{"c":{"2":{"1":"0"}}}"#.into()))
    );
    assert_eq!(view.text("#row-2 .count"), "0");
    assert_no_more!(view.mailbox());
}

#[actix_rt::test]
async fn component_events_are_answered_with_the_component_entry_alone() {
    let mut view = in_process().await;
    let from = view.mailbox().len();
    view.click("#row-1 button.bump").await;
    let after: Vec<MailboxEntry> = view.mailbox().entries().split_off(from);
    assert_eq!(
        after,
        vec![
            MailboxEntry::In(Inbound::Event {
                kind: "click".into(),
                event: "bump".into(),
                value: json!({"value": ""}),
                cid: Some(1),
            }),
            MailboxEntry::Out(Outbound::Reply {
                diff: Some(r#"{"c":{"1":{"1":"1"}}}"#.into()),
                navigation: None,
            }),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// render_component

#[test]
fn render_component_renders_one_component_with_its_children_inlined() {
    let html = render_component::<Row>(7);
    assert!(
        html.starts_with(r#"<div class="row" id="row-7"><span class="count">0</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"phx-target="1""#), "{html}");
    // The nested component is rendered in place, with the next CID.
    assert!(
        html.contains(r#"<em class="tag" id="tag-7">n=0<button class="tag-bump" phx-click="bump" phx-target="2">+</button></em>"#),
        "{html}"
    );
    assert!(!html.contains("data-phx-component"), "{html}");
    assert_eq!(
        render_component::<Tag>(3),
        r#"<em class="tag" id="tag-3">n=0<button class="tag-bump" phx-click="bump" phx-target="1">+</button></em>"#
    );
}
