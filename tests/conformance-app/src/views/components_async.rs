//! Live components with async assigns (E2E_SCENARIOS.md §5.10, stage 5-async):
//! `/issues/3117` (LC-02), `/issues/3941` (LC-04, custom layout: the
//! `PagePositionNotifier` hook) and `/issues/4027?case=first|second` (LC-06).
//!
//! Adaptation: Phoenix's `Process.sleep(100)` inside the async function is an async sleep of
//! the same length in the task.

use std::time::Duration;

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<Issue3117>("/issues/3117")
            .live::<Issue4027>("/issues/4027")
    })
    // Outside any live_session in Phoenix (custom layout).
    .live::<Issue3941>("/issues/3941")
}

fn page(path: &str) -> Option<PageOpts> {
    (path == "/issues/3941").then_some(PageOpts {
        pre_script: HOOK_3941,
        ..PageOpts::default()
    })
}

// ---------------------------------------------------------------------------------------
// /issues/3117 (LC-02)

/// `/issues/3117`: a navigate link to itself and two rows, each a component loading an async
/// assign on every update, with a static function component inside.
#[derive(Debug, Default)]
pub struct Issue3117;

impl LiveView for Issue3117 {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            a #navigate href="/issues/3117?nav" data-phx-link="redirect" data-phx-link-state="push" { "Navigate" }
            @for i in [1, 2] {
                div { (a.live_component::<Row3117>(format_args!("row-{i}"), format!("row-{i}"))) }
            }
        }
    }
}

/// 3117's row: `update` starts `assign_async(:foo)`.
#[derive(Debug, Default)]
pub struct Row3117;

/// The row's DOM id.
const ID: Key<String> = Key::new("id");
/// The row's async assign: Elixir's inspect of `%{foo: :bar}` once loaded.
const FOO: Key<AsyncResult<String>> = Key::new("foo");

impl LiveComponent for Row3117 {
    type Props = String;
    type Event = ();
    type Update = ();

    fn update(&mut self, id: String, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        socket.assign(ID, id);
        socket.assign_async(FOO, async { Ok::<_, String>("%{foo: :bar}".to_owned()) });
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let result = a[FOO].ok().map_or("nil", String::as_str);
        html! {
            div id=(a[ID]) {
                "Example LC Row " (result)
                (static_fc())
            }
        }
    }
}

/// 3117's function component.
fn static_fc() -> Rendered {
    html! { div.static { "static content" } }
}

// ---------------------------------------------------------------------------------------
// /issues/4027 (LC-06)

/// One entry of 4027's data: `(id, value)`.
type Entry = (u32, String);

/// 4027's data: `AsyncResult.ok([])` at first, then loaded by `assign_async`.
const DATA: Key<AsyncResult<Vec<Entry>>> = Key::new("data");
/// `?case=`: `first` (the view unwraps the result) or `second` (the component does).
const CASE: Key<String> = Key::new("case");

/// How long loading takes (Phoenix: `Process.sleep(100)`).
const LOAD: Duration = Duration::from_millis(100);

fn entries(from: u32) -> Vec<Entry> {
    [(1, "First"), (2, "Second"), (3, "Third")]
        .into_iter()
        .filter(|(id, _)| *id >= from)
        .map(|(id, v)| (id, v.to_owned()))
        .collect()
}

/// `/issues/4027?case=…`: "Load data" loads three entries, "Remove first entry" two, each
/// with `assign_async`; a component shows them.
#[derive(Debug, Default)]
pub struct Issue4027;

impl LiveView for Issue4027 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        params: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket
            .assign(DATA, AsyncResult::from_ok(Vec::new()))
            .assign(CASE, params.get("case").unwrap_or("first").to_owned());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        _: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let from = match event {
            "load" => 1,
            "remove" => 2,
            other => return Err(ViewError::unknown_event(other)),
        };
        socket.assign_async(DATA, async move {
            actix_web::rt::time::sleep(LOAD).await;
            Ok::<_, String>(entries(from))
        });
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let data = &a[DATA];
        let first = a[CASE] == "first";
        html! {
            div.p-4 {
                p.my-4 {
                    "Click Load Data. 3 items should be displayed. Then click Remove First entry. \
                     The expected result is 2 items displayed."
                }
                div {
                    // `<.async_result :let={data}>`: the inner block while there is a value.
                    @if first {
                        @if let Some(items) = data.ok() {
                            (a.live_component::<Repro4027>("repro", items.clone()))
                        }
                    } @else {
                        div style="margin: 10px; height: 1px; background-color: black;" {}
                        (a.live_component::<ReproAsync4027>("repro_async", data.clone()))
                    }
                }
                div {
                    button phx-click="load" { "Load data" }
                    button phx-click="remove" { "Remove first entry" }
                }
            }
        }
    }
}

/// 4027's `ReproLiveComponent`: the entries it is given.
#[derive(Debug, Default)]
pub struct Repro4027;

/// The entries a 4027 component shows.
const ITEMS: Key<Vec<Entry>> = Key::new("items");

impl LiveComponent for Repro4027 {
    type Props = Vec<Entry>;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        items: Vec<Entry>,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(ITEMS, items);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div #result {
                @for (_, value) in a[ITEMS].iter() { p { (value) } }
            }
        }
    }
}

/// 4027's `ReproLiveComponentWithAsyncResult`: unwraps the result itself.
#[derive(Debug, Default)]
pub struct ReproAsync4027;

impl LiveComponent for ReproAsync4027 {
    type Props = AsyncResult<Vec<Entry>>;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        data: AsyncResult<Vec<Entry>>,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(DATA, data);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div #result {
                @if let Some(items) = a[DATA].ok() {
                    @for (_, value) in items.iter() { p { (value) } }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// /issues/3941 (LC-04)

/// 3941's layout hook: a push (a no-op for the view) as each item mounts, which locks the
/// item's root while component-only async results arrive for the header inside it.
const HOOK_3941: &str = r#"
window.hooks.PagePositionNotifier = {
  mounted() { this.pushEvent("page_position_update", {}); },
};
"#;

/// The items 3941 offers.
const ALL_ITEMS: [&str; 2] = ["Item_1", "Item_2"];
/// The items 3941 shows (sorted).
const SELECTED: Key<Vec<String>> = Key::new("selected_items");

/// `/issues/3941`: a checkbox per item; each checked item is a component holding a header
/// component whose content is an async assign (`reset: true`).
#[derive(Debug, Default)]
pub struct Issue3941;

impl LiveView for Issue3941 {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(SELECTED, ALL_ITEMS.map(str::to_owned).to_vec());
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "toggle_item" => {
                let clicked = value
                    .get("clicked")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let checked = value
                    .get("value")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                socket.update(SELECTED, |selected| {
                    match checked {
                        None => selected.retain(|s| *s != clicked),
                        Some(v) => selected.push(v),
                    }
                    selected.sort();
                });
                Ok(())
            }
            "page_position_update" => Ok(()),
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let selected = &a[SELECTED];
        html! {
            @for item in ALL_ITEMS {
                div {
                    label for={ "item-select-" (item) } {
                        input type="checkbox" phx-click="toggle_item" phx-value-clicked=(item)
                            id={ "select-" (item) } name="select" value=(item)
                            checked[selected.iter().any(|s| s == item)];
                        (item)
                    }
                }
            }
            @for item in selected.iter() {
                div { (a.live_component::<Item3941>(format_args!("item-{item}"), item.clone())) }
            }
        }
    }
}

/// The item a 3941 component shows.
const ITEM: Key<String> = Key::new("item");
/// An async assign 3941's item starts and never renders (Phoenix: it would raise if rendered).
const ANY: Key<AsyncResult<bool>> = Key::new("any_assign");
/// 3941's header content.
const HEADER: Key<AsyncResult<String>> = Key::new("async_assign");

/// 3941's item: its root has the hook.
#[derive(Debug, Default)]
pub struct Item3941;

impl LiveComponent for Item3941 {
    type Props = String;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        item: String,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(ITEM, item);
        socket.assign_async(ANY, async { Ok::<_, String>(true) });
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let item = &a[ITEM];
        html! {
            div id={ "item-" (item) } phx-hook="PagePositionNotifier" {
                (a.live_component::<ItemHeader3941>(format_args!("item-header-{item}"), item.clone()))
            }
        }
    }
}

/// 3941's item header: loading, then loaded (`assign_async(reset: true)` on every update).
#[derive(Debug, Default)]
pub struct ItemHeader3941;

impl LiveComponent for ItemHeader3941 {
    type Props = String;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        item: String,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(ITEM, item);
        socket.assign_async_reset(HEADER, async { Ok::<_, String>("assign".to_owned()) });
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let item = &a[ITEM];
        html! {
            div id={ "header-" (item) } {
                @match a[HEADER].state() {
                    AsyncState::Loading => div id=(item) class="border border-y-0 bg-red-500 text-white" {
                        (item) " - I AM LOADING"
                    }
                    AsyncState::Ok(_) => div id=(item) class="border border-y-0 bg-green-500 text-white" {
                        (item) " - I AM LOADED!"
                    }
                    AsyncState::Failed(_) => {}
                }
            }
        }
    }
}
