//! [`LiveViewTest`]: a mounted view driven the way the official client drives it (events
//! built from the element's bindings, forms serialised field by field) and read back through
//! the reference client merger, over either transport.

use std::cell::RefCell;
use std::fmt::{self, Debug};
use std::time::Instant;

use liveview_session::{DestroyComponents, Navigation};
use serde_json::{Map, Value};

use crate::client::{nav_target, Client};
use crate::dom::{self, Dom};
use crate::mailbox::DEFAULT_TIMEOUT;
use crate::transport::Transport;

/// How many rounds of the destroy exchange one settle runs at most.
const MAX_DESTROY_ROUNDS: usize = 64;

/// The id of the view's container in tests (`lv:phx-test` is its topic).
pub const TEST_VIEW_ID: &str = "phx-test";

/// A view mounted for a test, with the HTML its client holds and its actor's [`Mailbox`](crate::Mailbox).
///
/// Built by [`live`](crate::live) or [`LiveViewTest::builder`]. Interactions (`click`, `change`, `submit`,
/// `keydown`, `patch`, `send_info`) send exactly what the official client would, wait for the
/// reply, apply the diff and return the HTML. Reads (`render`, `text`, `has_element`) first
/// apply whatever the view pushed since.
///
/// The type parameter is the transport: [`InProcess<V>`](crate::InProcess) (built by [`live`](crate::live)) drives a view
/// actor through the typed messages; [`Connection`](crate::socket::Connection) (built by
/// [`socket::connect`](crate::socket::connect)) drives a real server over a websocket. Both
/// build event payloads from the same DOM code and apply what comes back through the same
/// merger; only how a payload travels differs.
pub struct LiveViewTest<T: Transport> {
    transport: T,
    dead_html: String,
    dead_title: Option<String>,
    client: RefCell<Client>,
}

impl<T: Transport> Debug for LiveViewTest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveViewTest")
            .field("transport", &self.transport)
            .field("html", &self.client.borrow().html)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Drop for LiveViewTest<T> {
    fn drop(&mut self) {
        let open = self.client.get_mut().closed.is_none();
        self.transport.drop_client(open);
    }
}

impl<T: Transport> LiveViewTest<T> {
    pub(crate) fn new(
        transport: T,
        dead_html: String,
        dead_title: Option<String>,
        client: Client,
    ) -> Self {
        Self {
            transport,
            dead_html,
            dead_title,
            client: RefCell::new(client),
        }
    }

    pub(crate) fn transport(&self) -> &T {
        &self.transport
    }

    pub(crate) fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// The HTML of the dead (HTTP) render, before the client connected.
    pub fn dead_html(&self) -> &str {
        &self.dead_html
    }

    /// The HTML the client holds now (through the reference merger), with what the view
    /// pushed so far applied.
    pub fn render(&self) -> String {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        c.html.clone()
    }

    /// The page title: the last one a diff carried, else the dead render's.
    pub fn page_title(&self) -> Option<String> {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        c.tree
            .title()
            .map(str::to_owned)
            .or_else(|| self.dead_title.clone())
    }

    /// The current URL (changed by patches).
    pub fn uri(&self) -> String {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        c.uri.clone()
    }

    /// The text of the one element `selector` matches, trimmed.
    ///
    /// # Panics
    ///
    /// When `selector` matches no element or several, listing what the view holds.
    pub fn text(&self, selector: &str) -> String {
        let dom = Dom::parse(&self.render());
        dom::text_of(dom.select_one(selector))
    }

    /// The outer HTML of the one element `selector` matches.
    ///
    /// # Panics
    ///
    /// As [`LiveViewTest::text`].
    pub fn element_html(&self, selector: &str) -> String {
        let dom = Dom::parse(&self.render());
        dom.select_one(selector).html()
    }

    /// Whether an element matches `selector` (and, with `text_filter`, contains that text).
    pub fn has_element(&self, selector: &str, text_filter: Option<&str>) -> bool {
        let dom = Dom::parse(&self.render());
        let found = dom.select_all(selector);
        found.iter().any(|el| match text_filter {
            Some(t) => el.text().collect::<String>().contains(t),
            None => true,
        })
    }

    /// Clicks the element `selector` matches: sends its `phx-click` event with its
    /// `phx-value-*` attributes (and `value`, as the client does), and returns the HTML after
    /// the reply's diff.
    ///
    /// # Panics
    ///
    /// When the selector does not match exactly one element, that element has no
    /// `phx-click`, or it is disabled (a `disabled` button or input, or one in a disabled
    /// `fieldset`): a browser fires no click there.
    pub async fn click(&mut self, selector: &str) -> String {
        self.click_with(selector, Value::Object(Map::new())).await
    }

    /// [`click`](LiveViewTest::click) with extra values merged over the element's (like a
    /// `JS.push` value).
    pub async fn click_with(&mut self, selector: &str, extra: Value) -> String {
        let (event, mut value, targets) = {
            let dom = Dom::parse(&self.render());
            let el = dom.select_one(selector);
            refuse_disabled(el, selector, "click");
            let event = dom::binding(&dom, el, selector, &["phx-click"]);
            let targets = dom::event_targets(&dom, el, selector);
            (event, dom::extract_value(el), targets)
        };
        merge_extra(&mut value, extra);
        let payload = serde_json::json!({"type": "click", "event": event, "value": value});
        self.push_to(&payload, &targets).await
    }

    /// Presses `key` on the element `selector` matches: its `phx-keydown` (or
    /// `phx-window-keydown`) event with `{"key": key, ...}`. An element whose `phx-key` names
    /// another key sends nothing, as in the browser; the HTML is returned unchanged.
    ///
    /// # Panics
    ///
    /// As [`click`](LiveViewTest::click), for `phx-keydown`.
    pub async fn keydown(&mut self, selector: &str, key: &str) -> String {
        self.key("keydown", selector, key).await
    }

    /// Releases `key` on the element: `phx-keyup`, like [`keydown`](LiveViewTest::keydown).
    pub async fn keyup(&mut self, selector: &str, key: &str) -> String {
        self.key("keyup", selector, key).await
    }

    async fn key(&mut self, kind: &str, selector: &str, key: &str) -> String {
        let attrs = [format!("phx-{kind}"), format!("phx-window-{kind}")];
        let attrs = [attrs[0].as_str(), attrs[1].as_str()];
        let built = {
            let dom = Dom::parse(&self.render());
            let el = dom.select_one(selector);
            refuse_disabled(el, selector, kind);
            let event = dom::binding(&dom, el, selector, &attrs);
            let filter = el.value().attr("phx-key").map(str::to_ascii_lowercase);
            if filter.is_some_and(|f| f != key.to_ascii_lowercase()) {
                None
            } else {
                let mut value = dom::extract_value(el);
                value.insert("key".to_owned(), Value::String(key.to_owned()));
                let targets = dom::event_targets(&dom, el, selector);
                Some((
                    serde_json::json!({"type": kind, "event": event, "value": value}),
                    targets,
                ))
            }
        };
        match built {
            Some((payload, targets)) => self.push_to(&payload, &targets).await,
            None => self.render(),
        }
    }

    /// Changes fields of the form `form_selector` matches: sends its `phx-change` event with
    /// the form serialised as the client does (every field, `values` replacing theirs,
    /// `_unused_` markers for fields not yet used, `_target` naming the first given field).
    ///
    /// `values` nests like the field names: `json!({"user": {"email": "a@b"}})` sets
    /// `user[email]`.
    ///
    /// # Panics
    ///
    /// When the selector does not match one element, it has no `phx-change`, or a value names
    /// a field the form does not have (the message lists the fields).
    pub async fn change(&mut self, form_selector: &str, values: Value) -> String {
        self.form("phx-change", form_selector, &values).await
    }

    /// Submits the form `form_selector` matches: its `phx-submit` event with every field,
    /// `values` replacing theirs. Panics as [`change`](LiveViewTest::change) does.
    pub async fn submit(&mut self, form_selector: &str, values: Value) -> String {
        self.form("phx-submit", form_selector, &values).await
    }

    async fn form(&mut self, attr: &str, selector: &str, values: &Value) -> String {
        let given = dom::flatten(values);
        let (payload, targets) = {
            let html = self.render();
            let dom = Dom::parse(&html);
            let form = dom.select_one(selector);
            let event = dom::binding(&dom, form, selector, &[attr]);
            let (entries, fields) = dom::form_data(form);
            let desc = dom::describe(form);
            let entries = dom::merge_values(&desc, entries, &fields, &given);
            let mut meta = dom::form_meta(form);
            let mut c = self.client.borrow_mut();
            let skip_unused = form.value().attr("phx-no-unused-field").is_some();
            let encoded = if attr == "phx-submit" {
                // Submitting marks every field used.
                c.used.extend(fields.iter().map(|f| f.name.clone()));
                dom::encode_form(&entries, &fields, &|_| true, skip_unused)
            } else {
                c.used.extend(given.iter().map(|(n, _)| n.clone()));
                let target = given.first().map_or("undefined", |(n, _)| n.as_str());
                meta.insert("_target".to_owned(), Value::String(target.to_owned()));
                let used = &c.used;
                dom::encode_form(&entries, &fields, &|n| used.contains(n), skip_unused)
            };
            let mut payload = serde_json::json!({
                "type": "form", "event": event, "value": encoded, "meta": meta,
            });
            let targets = if attr == "phx-change" {
                payload["uploads"] = serde_json::json!({});
                vec![dom::change_target(form)]
            } else {
                dom::event_targets(&dom, form, selector)
            };
            (payload, targets)
        };
        self.push_to(&payload, &targets).await
    }

    /// Patches the URL, as `<.link patch>` does: `handle_params` runs with the parameters of
    /// `path`, and the HTML after its diff is returned.
    pub async fn patch(&mut self, path: &str) -> String {
        self.ensure_open("patch");
        let uri = self.transport.absolute(path);
        self.client.get_mut().uri.clone_from(&uri);
        self.transport.send_patch(path, &uri).await;
        self.settle().await
    }

    /// Leaves the view, as the client's `phx_leave` does: the view gets
    /// [`Shutdown`](liveview_session::Shutdown) and terminates.
    pub async fn leave(&mut self) {
        self.ensure_open("leave");
        self.transport.leave().await;
        self.client.get_mut().closed = Some("the test left it".to_owned());
    }

    /// Asserts the view asked for a full redirect or a live navigation to `to` (from an
    /// event's reply, a push, or a crash loop's reload), waiting up to a second for it.
    ///
    /// # Panics
    ///
    /// When none arrives, listing the navigations seen.
    pub async fn assert_redirect(&self, to: &str) -> Navigation {
        self.take_navigation(to, "a redirect", |n| {
            matches!(n, Navigation::Redirect { .. } | Navigation::Navigate { .. })
        })
        .await
    }

    /// Asserts the view patched its URL to `to` (`push_patch`), waiting up to a second.
    ///
    /// # Panics
    ///
    /// When none arrives, listing the navigations seen.
    pub async fn assert_patch(&self, to: &str) -> Navigation {
        self.take_navigation(to, "a patch", |n| matches!(n, Navigation::Patch { .. }))
            .await
    }

    /// The live navigation (`push_navigate`) or redirect the view asked for first and that
    /// was not asserted yet, waiting up to a second; consumed. [`LiveViewTest::follow_redirect`]
    /// mounts where it leads.
    ///
    /// # Panics
    ///
    /// When none arrives, listing the navigations seen.
    pub async fn assert_redirected(&self) -> Navigation {
        self.wait_navigation("a redirect or a live navigation", |n| {
            matches!(n, Navigation::Redirect { .. } | Navigation::Navigate { .. })
        })
        .await
    }

    async fn take_navigation(
        &self,
        to: &str,
        what: &str,
        kind: impl Fn(&Navigation) -> bool,
    ) -> Navigation {
        self.wait_navigation(&format!("{what} to `{to}`"), |n| {
            kind(n) && nav_target(n) == to
        })
        .await
    }

    /// Waits up to a second for a navigation `wanted` accepts, and consumes it.
    async fn wait_navigation(
        &self,
        what: &str,
        wanted: impl Fn(&Navigation) -> bool,
    ) -> Navigation {
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        loop {
            {
                let mut c = self.client.borrow_mut();
                self.transport.sync(&mut c);
                if let Some(i) = c.navigations.iter().position(&wanted) {
                    return c.navigations.remove(i);
                }
                if Instant::now() >= deadline {
                    panic!(
                        "expected {what} within {DEFAULT_TIMEOUT:?}; navigations the view asked for: {:?}",
                        c.navigations
                    );
                }
            }
            actix_rt::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// Asserts the view pushed the event `name` (`push_event`) with `payload`, waiting up to
    /// a second; consumes it.
    ///
    /// # Panics
    ///
    /// When none arrives, listing the events pushed.
    pub async fn assert_push_event(&self, name: &str, payload: &Value) {
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        loop {
            {
                let mut c = self.client.borrow_mut();
                self.transport.sync(&mut c);
                if let Some(i) = c.events.iter().position(|(n, p)| n == name && p == payload) {
                    c.events.remove(i);
                    return;
                }
                if Instant::now() >= deadline {
                    panic!(
                        "expected the view to push event `{name}` with {payload} within {DEFAULT_TIMEOUT:?}; events pushed (not yet asserted): {:?}",
                        c.events
                    );
                }
            }
            actix_rt::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// The hook replies (`r`) the view sent, oldest first.
    pub fn hook_replies(&self) -> Vec<Value> {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        c.replies.clone()
    }

    pub(crate) fn ensure_open(&self, action: &str) {
        let mut c = self.client.borrow_mut();
        self.transport.sync(&mut c);
        if let Some(why) = &c.closed {
            panic!(
                "cannot {action}: the view no longer takes events because {why} \
                 (check navigations with `assert_redirect`)"
            );
        }
    }

    /// Sends an event payload once per target (its `cid` set when the target is a component,
    /// as the client's `pushEvent` does), settling after each.
    async fn push_to(&mut self, payload: &Value, targets: &[Option<u32>]) -> String {
        let mut html = String::new();
        for target in targets {
            let mut payload = payload.clone();
            if let (Some(cid), Value::Object(p)) = (target, &mut payload) {
                p.insert("cid".to_owned(), Value::from(*cid));
            }
            html = self.push_event(&payload).await;
        }
        html
    }

    /// Sends an event payload (decoded as the session decodes it, or as a frame) and settles.
    async fn push_event(&mut self, payload: &Value) -> String {
        let action = payload["type"].as_str().unwrap_or("event").to_owned();
        self.ensure_open(&action);
        self.transport.send_event(payload).await;
        self.settle().await
    }

    /// Lets replies and pushes arrive, applies them, runs the browser's destroy exchange for
    /// the components they removed, and renders.
    pub(crate) async fn settle(&mut self) -> String {
        self.transport.settle(self.client.get_mut()).await;
        self.destroy_removed().await;
        self.render()
    }

    /// What the official client does after a patch (`maybePushComponentsDestroyed`): the
    /// components whose element left the page are named in `cids_will_destroy`; once that is
    /// answered, those still absent are named in `cids_destroyed` (unless held, see
    /// [`hold_cids_destroyed`](LiveViewTest::hold_cids_destroyed)), and the client forgets the
    /// ones the view answered it deleted.
    async fn destroy_removed(&mut self) {
        // Every round names components no earlier round named; the bound only guards against
        // a view that keeps pushing diffs that remove components.
        for _ in 0..MAX_DESTROY_ROUNDS {
            let client = self.client.get_mut();
            if client.closed.is_some() {
                return;
            }
            let removed = client.take_removed_cids();
            if removed.is_empty() {
                return;
            }
            self.transport
                .destroy(DestroyComponents::WillDestroy(removed.clone()))
                .await;
            self.transport.settle(self.client.get_mut()).await;
            let client = self.client.get_mut();
            if client.hold_destroyed {
                client.held_destroyed.extend(removed);
                continue;
            }
            let gone = client.still_removed(&removed);
            if gone.is_empty() {
                continue;
            }
            let deleted = self
                .transport
                .destroy(DestroyComponents::Destroyed(gone))
                .await;
            self.client.get_mut().prune_cids(&deleted);
            self.transport.settle(self.client.get_mut()).await;
        }
    }

    /// Holds back `cids_destroyed` from now on: after an interaction removes components, the
    /// harness still sends `cids_will_destroy` (the view marks them) but keeps the
    /// `cids_destroyed` that would follow until
    /// [`release_cids_destroyed`](LiveViewTest::release_cids_destroyed). A test renders the
    /// components again in between to check that the view revives them (Phoenix's LC-09: the
    /// browser waits for transitions before `cids_destroyed`, and the server may render a
    /// marked component in that window).
    pub fn hold_cids_destroyed(&mut self) {
        self.client.get_mut().hold_destroyed = true;
    }

    /// The CIDs whose `cids_destroyed` is held back, in order.
    pub fn held_cids_destroyed(&self) -> Vec<u32> {
        self.client
            .borrow()
            .held_destroyed
            .iter()
            .copied()
            .collect()
    }

    /// Stops holding `cids_destroyed` and sends the one held back, for the components still
    /// absent from the page (those rendered again since were revived and are left out, and no
    /// frame is sent when none is left). Returns the CIDs the view answered it deleted, which
    /// the client forgets.
    pub async fn release_cids_destroyed(&mut self) -> Vec<u32> {
        self.transport.settle(self.client.get_mut()).await;
        let client = self.client.get_mut();
        client.hold_destroyed = false;
        let held: Vec<u32> = std::mem::take(&mut client.held_destroyed)
            .into_iter()
            .collect();
        let gone = client.still_removed(&held);
        if gone.is_empty() {
            return Vec::new();
        }
        let deleted = self
            .transport
            .destroy(DestroyComponents::Destroyed(gone))
            .await;
        self.client.get_mut().prune_cids(&deleted);
        self.settle().await;
        deleted
    }
}

/// A browser fires no click or key event on a disabled control; neither does the harness.
fn refuse_disabled(el: scraper::ElementRef<'_>, selector: &str, action: &str) {
    assert!(
        !dom::is_disabled(el),
        "cannot {action} `{selector}`: it is disabled, and a browser sends nothing for a \
         disabled control ({}); to check that it is disabled, use \
         `has_element(\"{selector}[disabled]\", None)`",
        dom::describe(el)
    );
}

fn merge_extra(value: &mut Map<String, Value>, extra: Value) {
    match extra {
        Value::Object(m) => value.extend(m),
        Value::Null => {}
        other => panic!("extra values must be a JSON object, got `{other}`"),
    }
}
