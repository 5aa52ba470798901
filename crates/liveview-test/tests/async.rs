//! Async assigns and tasks (`assign_async`, `start_async`, `cancel_async`) through the
//! harness, in process and over a real websocket.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use liveview_diff::{html, Rendered};
use liveview_http::LiveConfig;
use liveview_session::{
    Assigns, AsyncDone, AsyncKey, AsyncResult, AsyncState, Key, LiveView, Params, Session, Socket,
    ViewError,
};
use liveview_test::socket::TestServer;
use liveview_test::{assert_sent, LiveViewTest, Outbound, PushKind};
use serde_json::{json, Value};
use tokio::sync::oneshot;

const DATA: Key<AsyncResult<String>> = Key::new("data");
const LOG: Key<Vec<String>> = Key::new("log");
const CLICKS: Key<u32> = Key::new("clicks");
const JOB: AsyncKey<String> = AsyncKey::new("job");
const EVENTS: [&str; 10] = [
    "load",
    "load_reset",
    "error",
    "boom",
    "cancel",
    "start",
    "start_boom",
    "cancel_job",
    "click",
    "crash",
];

/// Where a waiting task gets its result.
type Gate = oneshot::Sender<Result<String, String>>;

/// What the tests see of the view's futures: the gates that finish them, and counters.
#[derive(Clone, Default)]
struct Gates {
    open: Rc<RefCell<HashMap<String, Gate>>>,
    /// Futures polled at least once (a task that ran).
    started: Rc<Cell<usize>>,
    /// Futures dropped before they finished (aborted).
    aborted: Rc<Cell<usize>>,
}

/// Counts a future dropped before it finished.
struct Abort(Rc<Cell<usize>>, bool);

impl Drop for Abort {
    fn drop(&mut self) {
        if !self.1 {
            self.0.set(self.0.get() + 1);
        }
    }
}

impl Gates {
    /// A future that waits for the gate `tag`.
    fn wait(&self, tag: &str) -> impl std::future::Future<Output = Result<String, String>> {
        let (tx, rx) = oneshot::channel();
        let (gates, tag) = (self.clone(), tag.to_owned());
        async move {
            gates.started.set(gates.started.get() + 1);
            gates.open.borrow_mut().insert(tag, tx);
            let mut guard = Abort(Rc::clone(&gates.aborted), false);
            let out = rx.await.unwrap_or_else(|_| Err("gate dropped".to_owned()));
            guard.1 = true;
            out
        }
    }

    /// Finishes the task waiting at `tag`; false when no task waits there (it was aborted,
    /// or never started).
    fn finish(&self, tag: &str, result: Result<&str, &str>) -> bool {
        let tx = self.open.borrow_mut().remove(tag);
        tx.is_some_and(|tx| {
            tx.send(result.map(str::to_owned).map_err(str::to_owned))
                .is_ok()
        })
    }

    /// Waits (with a timeout) until the future `tag` runs.
    async fn running(&self, tag: &str) {
        let deadline = Instant::now() + Duration::from_secs(2);
        while !self.open.borrow().contains_key(tag) {
            assert!(Instant::now() < deadline, "task `{tag}` never started");
            actix_rt::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

struct Loader {
    gates: Gates,
}

impl LiveView for Loader {
    type Info = ();
    type Event = ();

    fn mount(&mut self, p: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign(DATA, AsyncResult::loading());
        s.assign(LOG, Vec::new());
        s.assign(CLICKS, 0);
        if let Some(tag) = p.get("auto") {
            s.assign_async(DATA, self.gates.wait(tag));
        }
        Ok(())
    }

    fn handle_event(&mut self, e: &str, v: &Value, s: &mut Socket<Self>) -> Result<(), ViewError> {
        let tag = v.get("tag").and_then(Value::as_str).unwrap_or("");
        match e {
            "load" => s.assign_async(DATA, self.gates.wait(tag)),
            "load_reset" => s.assign_async_reset(DATA, self.gates.wait(tag)),
            "error" => s.assign_async(DATA, async { Err::<String, _>("no such org") }),
            "boom" => s.assign_async(DATA, async {
                if true {
                    panic!("kaboom");
                }
                Ok::<String, String>(String::new())
            }),
            "cancel" => s.cancel_async(DATA),
            "start" => {
                let wait = self.gates.wait(tag);
                s.start_async(JOB, async move { wait.await.unwrap_or_else(|e| e) })
            }
            "start_boom" => s.start_async(JOB, async {
                if true {
                    panic!("job died");
                }
                String::new()
            }),
            "cancel_job" => s.cancel_async(JOB),
            "click" => s.update(CLICKS, |n| *n += 1),
            "crash" => panic!("the view crashed"),
            other => return Err(ViewError::unknown_event(other)),
        };
        Ok(())
    }

    fn handle_async(&mut self, mut done: AsyncDone, s: &mut Socket<Self>) -> Result<(), ViewError> {
        if let Some(result) = done.take(JOB) {
            let line = match result {
                Ok(v) => format!("ok:{v}"),
                Err(exit) => format!("exit:{exit}"),
            };
            s.update(LOG, |l| l.push(line));
        }
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let data = &a[DATA];
        html! {
            @match data.state() {
                AsyncState::Loading => p #data { "loading" }
                AsyncState::Ok(v) => p #data { (v) }
                AsyncState::Failed(why) => p #data.failed { (why) }
            }
            @if data.is_loading() { span #reloading {} }
            @if let Some(why) = data.failed() { span #failed { (why) } }
            ul #log { @for line in &a[LOG] { li { (line) } } }
            b #clicks { (a[CLICKS]) }
            @for name in EVENTS { button id=(name) phx-click=(name) {} }
        }
    }
}

async fn mount(gates: &Gates, path: &str) -> LiveViewTest<liveview_test::InProcess<Loader>> {
    let g = gates.clone();
    LiveViewTest::builder(move || Loader { gates: g.clone() })
        .path(path)
        .mount()
        .await
}

/// Clicks the button of event `name` with `tag` as its value.
async fn click(view: &mut LiveViewTest<liveview_test::InProcess<Loader>>, name: &str, tag: &str) {
    view.click_with(&format!("#{name}"), json!({ "tag": tag }))
        .await;
}

#[actix_rt::test]
async fn the_dead_render_starts_no_task_and_the_join_does() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/?auto=a").await;
    assert_eq!(
        view.dead_html().split("<ul").next(),
        Some(r#"<p id="data">loading</p><span id="reloading"></span>"#)
    );
    gates.running("a").await;
    assert_eq!(
        gates.started.get(),
        1,
        "only the connected mount runs the task"
    );
    assert!(gates.finish("a", Ok("Acme")));
    view.render_async().await;
    assert_eq!(view.text("#data"), "Acme");
    assert!(!view.has_element("#reloading", None));
}

#[actix_rt::test]
async fn a_result_is_rendered_when_it_arrives_and_the_view_stays_responsive_meanwhile() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/").await;
    click(&mut view, "load", "a").await;
    gates.running("a").await;
    assert_eq!(view.text("#data"), "loading");
    // The task does not block the view.
    click(&mut view, "click", "").await;
    assert_eq!(view.text("#clicks"), "1");
    assert!(gates.finish("a", Ok("Acme")));
    assert!(view
        .render_async()
        .await
        .contains(r#"<p id="data">Acme</p>"#));
    assert!(!view.has_element("#reloading", None));
    // It came as a push, not as a reply.
    assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(d)) if d.contains("Acme"));
}

#[actix_rt::test]
async fn a_newer_assign_async_makes_the_older_result_stale() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/").await;
    click(&mut view, "load", "old").await;
    gates.running("old").await;
    click(&mut view, "load", "new").await;
    gates.running("new").await;
    // The older task was aborted: nothing waits at its gate any more.
    assert!(
        !gates.finish("old", Ok("OLD")),
        "the replaced task still runs"
    );
    assert_eq!(gates.aborted.get(), 1);
    assert!(gates.finish("new", Ok("NEW")));
    view.render_async().await;
    assert_eq!(view.text("#data"), "NEW");
}

#[actix_rt::test]
async fn a_reload_keeps_the_value_unless_reset() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/").await;
    click(&mut view, "load", "1").await;
    gates.running("1").await;
    gates.finish("1", Ok("one"));
    view.render_async().await;
    click(&mut view, "load", "2").await;
    // Loading again, still showing the value it has.
    assert_eq!(view.text("#data"), "one");
    assert!(view.has_element("#reloading", None));
    gates.running("2").await;
    click(&mut view, "load_reset", "3").await;
    assert_eq!(view.text("#data"), "loading");
    gates.running("3").await;
    gates.finish("3", Ok("three"));
    view.render_async().await;
    assert_eq!(view.text("#data"), "three");
}

#[actix_rt::test]
async fn errors_and_panics_fail_the_assign_and_the_view_goes_on() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/").await;
    click(&mut view, "error", "").await;
    view.render_async().await;
    assert_eq!(view.text("#data.failed"), "no such org");
    click(&mut view, "boom", "").await;
    view.render_async().await;
    assert_eq!(view.text("#data.failed"), "panicked: kaboom");
    // Not a crash: the state is intact (a restart would have mounted afresh).
    click(&mut view, "click", "").await;
    assert_eq!(view.text("#clicks"), "1");
    // A failed reload keeps the value it had.
    click(&mut view, "load", "ok").await;
    gates.running("ok").await;
    gates.finish("ok", Ok("fine"));
    view.render_async().await;
    click(&mut view, "error", "").await;
    view.render_async().await;
    assert_eq!(view.text("#data"), "fine");
    assert_eq!(view.text("#failed"), "no such org");
}

#[actix_rt::test]
async fn cancel_async_aborts_the_task_and_fails_the_assign() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/").await;
    click(&mut view, "load", "a").await;
    gates.running("a").await;
    click(&mut view, "cancel", "").await;
    view.render_async().await;
    assert_eq!(view.text("#data.failed"), "cancelled");
    assert_eq!(gates.aborted.get(), 1);
    assert!(!gates.finish("a", Ok("late")));
    // Cancelling when nothing runs changes nothing.
    click(&mut view, "cancel", "").await;
    assert_eq!(view.render_async().await.matches("cancelled").count(), 2);
}

#[actix_rt::test]
async fn start_async_delivers_to_handle_async_including_cancel_and_panic() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/").await;
    click(&mut view, "start", "j1").await;
    gates.running("j1").await;
    // A second start replaces the first: only its result is handled.
    click(&mut view, "start", "j2").await;
    gates.running("j2").await;
    assert!(!gates.finish("j1", Ok("first")));
    assert!(gates.finish("j2", Ok("second")));
    view.render_async().await;
    click(&mut view, "start", "j3").await;
    gates.running("j3").await;
    click(&mut view, "cancel_job", "").await;
    view.render_async().await;
    click(&mut view, "start_boom", "").await;
    view.render_async().await;
    let log: Vec<String> = view
        .element_html("#log")
        .split("<li>")
        .skip(1)
        .map(|li| li.split('<').next().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        log,
        ["ok:second", "exit:cancelled", "exit:panicked: job died"]
    );
}

#[actix_rt::test]
async fn the_tasks_of_a_stopped_view_are_aborted() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/").await;
    click(&mut view, "load", "a").await;
    click(&mut view, "start", "b").await;
    gates.running("a").await;
    gates.running("b").await;
    view.leave().await;
    let deadline = Instant::now() + Duration::from_secs(2);
    while gates.aborted.get() < 2 {
        assert!(
            Instant::now() < deadline,
            "aborted: {}",
            gates.aborted.get()
        );
        actix_rt::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(!gates.finish("a", Ok("late")) && !gates.finish("b", Ok("late")));
}

#[actix_rt::test]
async fn a_crash_drops_the_tasks_and_the_restarted_view_starts_afresh() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/?auto=first").await;
    gates.running("first").await;
    click(&mut view, "load", "a").await;
    gates.running("a").await;
    click(&mut view, "click", "").await;
    click(&mut view, "crash", "").await;
    let deadline = Instant::now() + Duration::from_secs(2);
    while gates.aborted.get() < 1 {
        assert!(
            Instant::now() < deadline,
            "the crashed view's task still runs"
        );
        actix_rt::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(!gates.finish("a", Ok("late")), "a task of the crashed view");
    // The restart mounted afresh (clicks back to 0) and started its own task.
    assert_eq!(view.text("#clicks"), "0");
    assert_eq!(gates.started.get(), 3);
    assert!(gates.finish("first", Ok("again")));
    view.render_async().await;
    assert_eq!(view.text("#data"), "again");
}

#[actix_rt::test]
#[should_panic(expected = "1 async task(s) of the view still running")]
async fn render_async_fails_when_a_task_never_ends() {
    let gates = Gates::default();
    let mut view = mount(&gates, "/").await;
    click(&mut view, "load", "never").await;
    view.render_async_within(Duration::from_millis(30)).await;
}

/// Loads its assign in a task that yields once, then answers.
#[derive(Default)]
struct Slow;

impl LiveView for Slow {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, s: &mut Socket<Self>) -> Result<(), ViewError> {
        s.assign_async(DATA, async {
            actix_rt::task::yield_now().await;
            Ok::<_, String>("loaded asynchronously".to_owned())
        });
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            @match a[DATA].state() {
                AsyncState::Ok(v) => div #async { (v) }
                _ => div #async { "Loading data..." }
            }
        }
    }
}

#[actix_rt::test]
async fn over_a_websocket_the_result_is_pushed_as_a_diff() {
    let server = TestServer::live(
        LiveConfig::new("liveview-test async: a secret of 32+ bytes!!").live::<Slow>("/slow"),
    );
    let view = server.connect("/slow").await;
    assert!(
        view.dead_html().contains("Loading data..."),
        "{}",
        view.dead_html()
    );
    assert_sent!(view.frames(), f if f.event == "phx_reply"
        && f.payload["response"]["rendered"].to_string().contains("Loading data..."));
    let push = assert_sent!(view.frames(), f if f.event == "diff");
    assert_eq!(push.reference, None, "a push, not a reply");
    assert!(
        push.payload.to_string().contains("loaded asynchronously"),
        "{push:?}"
    );
    assert_eq!(view.text("#async"), "loaded asynchronously");
}

// Live components run async work too: an `assign_async` in a component's `update` loads
// after the join and is pushed as a diff of that component alone (LC-02's shape).

const ROW_DATA: Key<AsyncResult<String>> = Key::new("row_data");

#[derive(Default)]
struct AsyncRow;

impl liveview_session::LiveComponent for AsyncRow {
    type Props = String;
    type Event = ();
    type Update = ();

    fn update(
        &mut self,
        id: String,
        socket: &mut liveview_session::ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_async(
            ROW_DATA,
            async move { Ok::<_, String>(format!("loaded {id}")) },
        );
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            div {
                @match a[ROW_DATA].state() {
                    AsyncState::Ok(text) => { span.ok { (text) } }
                    AsyncState::Loading => { span.loading { "loading" } }
                    AsyncState::Failed(e) => { span.failed { (e) } }
                }
            }
        }
    }
}

#[derive(Default)]
struct Rows;

impl LiveView for Rows {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        html! {
            main {
                (a.live_component::<AsyncRow>("row-1", "row-1".to_owned()))
                (a.live_component::<AsyncRow>("row-2", "row-2".to_owned()))
            }
        }
    }
}

#[actix_rt::test]
async fn a_components_assign_async_loads_after_the_join_as_a_component_diff() {
    let mut view = LiveViewTest::builder(Rows::default).mount().await;
    // The dead render ran no task: both rows show loading there.
    assert_eq!(view.dead_html().matches(r#"class="loading""#).count(), 2);
    let html = view.render_async().await;
    assert!(
        html.contains("loaded row-1") && html.contains("loaded row-2"),
        "{html}"
    );
    // Each result arrived as a diff of its component alone.
    assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(d)) if d.starts_with(r#"{"c":{"#) && d.contains("loaded row-1"));
}
