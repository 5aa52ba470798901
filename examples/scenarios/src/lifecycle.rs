//! The lifecycle scenarios of issue 21 (`tests/browser/test/lifecycle.test.mjs`): a view that
//! adopts its dead render and one that does not, each showing how often `mount` ran for its
//! page view, and a counter that survives a dropped connection.
//!
//! A page view is told apart by its `?page=` parameter (the browser test makes one up per
//! load); `#mounts` shows how many times `mount` ran with it so far.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use actix_web::{web, HttpResponse};
use liveview::prelude::*;

/// The PubSub topic [`ReconnectView`] listens to; `POST /news?n=<u64>` broadcasts on it.
pub static NEWS: Topic<u64> = Topic::new("scenarios-news");

/// This process's broker, started on first use (inside a worker).
pub fn pubsub() -> PubSub {
    static PUBSUB: OnceLock<PubSub> = OnceLock::new();
    PUBSUB.get_or_init(PubSub::start).clone()
}

/// The most page views [`count_mount`] remembers: the oldest is forgotten to make room.
const MAX_PAGES: usize = 1024;

/// Counts one more `mount` for the page view `page` and returns its count.
fn count_mount(params: &Params) -> u32 {
    static MOUNTS: Mutex<BTreeMap<String, u32>> = Mutex::new(BTreeMap::new());
    let page = params.get("page").unwrap_or_default().to_owned();
    let mut mounts = MOUNTS.lock().unwrap_or_else(PoisonError::into_inner);
    if !mounts.contains_key(&page) && mounts.len() >= MAX_PAGES {
        mounts.pop_first();
    }
    let n = mounts.entry(page).or_default();
    *n += 1;
    *n
}

/// How many times `mount` ran for this page view.
pub const MOUNTS: Key<u32> = Key::new("mounts");
/// Whether `connected` ran (the view is live).
pub const LIVE: Key<bool> = Key::new("live");
/// The last news [`ReconnectView`] received.
pub const NEWS_SEEN: Key<u64> = Key::new("news");
/// [`ReconnectView`]'s count.
pub const CLICKS: Key<u32> = Key::new("clicks");

fn counts(params: &Params, socket: &mut Socket<impl LiveView>) {
    socket
        .assign(MOUNTS, count_mount(params))
        .assign(LIVE, false)
        .page_title("Lifecycle");
}

fn show(assigns: &Assigns) -> Rendered {
    html! {
        p { "mount ran " span #mounts { (assigns[MOUNTS]) } " time(s); live: " span #live { (assigns[LIVE]) } }
    }
}

/// Adopts its dead render: `mount` runs once per page view (`#mounts` 1 once connected).
#[derive(Debug, Default)]
pub struct AdoptView;

impl LiveView for AdoptView {
    type Info = ();
    type Event = ();
    const ADOPT_DEAD_RENDER: bool = true;

    fn mount(
        &mut self,
        p: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        counts(p, socket);
        Ok(())
    }

    fn connected(&mut self, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.assign(LIVE, true);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        show(assigns)
    }
}

/// The usual lifecycle: `mount` runs for the dead render and again at join (`#mounts` 2).
#[derive(Debug, Default)]
pub struct TwiceView;

impl LiveView for TwiceView {
    type Info = ();
    type Event = ();

    fn mount(
        &mut self,
        p: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        counts(p, socket);
        Ok(())
    }

    fn connected(&mut self, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.assign(LIVE, true);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        show(assigns)
    }
}

/// The events of [`ReconnectView`].
#[derive(Debug, LiveEvent)]
pub enum ReconnectMsg {
    /// One more.
    Inc,
}

/// A counter that listens to [`NEWS`] once live: after a dropped connection its client
/// re-attaches to it, count and news intact, without a new `mount`.
#[derive(Debug, Default)]
pub struct ReconnectView;

impl LiveView for ReconnectView {
    type Info = u64;
    type Event = ReconnectMsg;

    fn mount(
        &mut self,
        p: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        counts(p, socket);
        socket.assign(CLICKS, 0).assign(NEWS_SEEN, 0);
        Ok(())
    }

    fn connected(&mut self, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.assign(LIVE, true);
        socket.subscribe(&pubsub(), &NEWS)?;
        Ok(())
    }

    fn update(&mut self, msg: ReconnectMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let ReconnectMsg::Inc = msg;
        socket.update(CLICKS, |n| *n += 1);
        Ok(())
    }

    fn handle_info(&mut self, news: u64, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.assign(NEWS_SEEN, news);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            (show(assigns))
            p { "Count: " span #count { (assigns[CLICKS]) } " news: " span #news { (assigns[NEWS_SEEN]) } }
            button #inc phx-click=(ReconnectMsg::Inc) { "+" }
        }
    }
}

/// The query of `POST /news`.
#[derive(Debug, serde::Deserialize)]
pub struct NewsQuery {
    n: u64,
}

/// `GET /stats`: the process's view counts, as JSON (`views`, `orphans`, `adoptable`), for
/// the browser tests to see when views stop.
pub async fn get_stats() -> HttpResponse {
    HttpResponse::Ok().json(Stats {
        views: liveview::live_view_count(),
        orphans: liveview::orphaned_view_count(),
        adoptable: liveview::adoptable_view_count(),
    })
}

/// What `GET /stats` answers.
#[derive(Debug, serde::Serialize)]
pub struct Stats {
    /// View actors alive (orphans and adoptable views included).
    pub views: usize,
    /// Views of dropped sockets waiting for their client.
    pub orphans: usize,
    /// Views kept from dead renders waiting for their join.
    pub adoptable: usize,
}

/// `POST /news?n=<u64>`: broadcasts `n` on [`NEWS`].
pub async fn post_news(query: web::Query<NewsQuery>) -> HttpResponse {
    match pubsub().broadcast(&NEWS, query.n) {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(e) => HttpResponse::ServiceUnavailable().body(e.to_string()),
    }
}
