//! An endless feed built on a stream: the newest posts first, older ones loaded as the reader
//! scrolls to the bottom (`phx-viewport-bottom`, or the "Load more" button), new posts from
//! every reader inserted at the top as they are written (PubSub), and a window of at most
//! [`WINDOW`] posts in the page. The server keeps none of the posts it has shown: each render
//! sends what was inserted or deleted, and forgets it.
//!
//! | route | view |
//! |---|---|
//! | `/` | [`Feed`] |

// The board stands in for the app's database: a lock held for a Vec operation is the honest
// stand-in; the runtime's own state stays in actors (clippy.toml).
#[allow(clippy::disallowed_types)]
use std::sync::Mutex;
use std::sync::{Arc, PoisonError};

use actix_web::web;
use liveview::prelude::*;
use liveview::{InsertOpts, PubSubError, Stream, StreamItem};
use serde::{Deserialize, Serialize};

/// How many posts a page loads at a time.
pub const PAGE: u64 = 20;
/// How many posts a page shows at most; older ones leave as new ones arrive.
pub const WINDOW: i64 = 60;
/// How many posts the feed starts with (generated, numbered 1 to `HISTORY`).
pub const HISTORY: u64 = 10_000;

/// One post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// Unique, growing: newer posts have larger ids. The list item's id is `posts-<id>`.
    pub id: u64,
    /// What it says.
    pub body: String,
}

impl StreamItem for Post {
    type Id = u64;

    fn id(&self) -> u64 {
        self.id
    }
}

/// New posts, as broadcast to every reader.
pub static NEW_POSTS: Topic<Post> = Topic::tagged("feed:new", "example_feed.Post/1");

/// The feed's store: generated history below [`HISTORY`], new posts above it, and the PubSub
/// readers hear them on.
#[derive(Debug, Clone)]
#[allow(clippy::disallowed_types)]
pub struct Board {
    pubsub: PubSub,
    /// The posts written since the start, oldest first (ids from `HISTORY + 1`).
    written: Arc<Mutex<Vec<Post>>>,
}

impl Board {
    /// A board whose new posts go out on `pubsub`.
    pub fn new(pubsub: PubSub) -> Self {
        Self {
            pubsub,
            written: Arc::default(),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Vec<Post>) -> T) -> T {
        f(&mut self.written.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The newest post's id.
    pub fn newest(&self) -> u64 {
        self.with(|w| w.last().map_or(HISTORY, |p| p.id))
    }

    /// Up to `n` posts older than `before`, newest first (a stand-in for a database query).
    pub fn older(&self, before: u64, n: u64) -> Vec<Post> {
        let lowest = before.saturating_sub(n).max(1);
        self.with(|written| {
            (lowest..before)
                .rev()
                .filter_map(|id| match id.checked_sub(HISTORY + 1) {
                    Some(i) => usize::try_from(i)
                        .ok()
                        .and_then(|i| written.get(i))
                        .cloned(),
                    None => Some(Post {
                        id,
                        body: format!("Post number {id}"),
                    }),
                })
                .collect()
        })
    }

    /// Writes a post and tells every reader.
    pub fn publish(&self, body: &str) -> Result<Post, PubSubError> {
        let post = self.with(|written| {
            let post = Post {
                id: HISTORY + 1 + written.len() as u64,
                body: body.to_owned(),
            };
            written.push(post.clone());
            post
        });
        self.pubsub.broadcast(&NEW_POSTS, post.clone())?;
        Ok(post)
    }
}

/// A reader's assigns.
#[derive(Debug, LiveAssigns)]
pub struct State {
    /// The posts: a stream, so the server keeps none of them after a render.
    pub posts: Stream<Post>,
    /// The oldest post loaded: "Load more" fetches older ones.
    pub oldest: u64,
    /// Whether the oldest post of all is shown.
    pub at_end: bool,
}

/// A reader's events.
#[derive(Debug, LiveEvent)]
pub enum Msg {
    /// The reader reached the bottom: load older posts.
    LoadMore,
    /// The `#compose` form was submitted.
    Publish {
        /// What they wrote.
        body: String,
    },
}

/// New posts arriving, from [`NEW_POSTS`].
#[derive(Debug)]
pub struct Arrived(pub Post);

impl From<Post> for Arrived {
    fn from(p: Post) -> Self {
        Self(p)
    }
}

/// The feed page. The app registers its [`Board`] as actix-web app data
/// (`web::Data<Board>`, see [`app`]), and the view reads it in `mount` as a handler would
/// extract it: one registration for views and ordinary handlers alike.
#[derive(Debug, Default)]
pub struct Feed {
    board: Option<web::Data<Board>>,
}

impl Feed {
    /// A reader of `board`, given directly (tests; the app passes it as app data).
    pub fn new(board: Board) -> Self {
        Self {
            board: Some(web::Data::new(board)),
        }
    }

    fn board(&self) -> Result<&Board, ViewError> {
        self.board
            .as_ref()
            .map(|b| &***b)
            .ok_or_else(|| ViewError::other("the app registered no web::Data<Board>"))
    }
}

impl LiveView for Feed {
    type Info = Arrived;
    type Event = Msg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        if self.board.is_none() {
            self.board = socket.data::<Board>();
        }
        let board = self.board()?.clone();
        if socket.connected() {
            socket.subscribe(&board.pubsub, &NEW_POSTS)?;
        }
        let first = board.older(board.newest() + 1, PAGE);
        let oldest = first.last().map_or(1, |p| p.id);
        socket
            .assign_all(State {
                posts: Stream::counted(),
                oldest,
                at_end: oldest <= 1,
            })
            .stream(State::posts, first)
            .page_title("Feed");
        Ok(())
    }

    fn update(&mut self, msg: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg::LoadMore => {
                let before = socket.assigns()[State::oldest];
                let older = self.board()?.older(before, PAGE);
                let oldest = older.last().map_or(before, |p| p.id);
                for post in older {
                    // Appended, keeping the last `WINDOW`: the newest leave the top.
                    let opts = InsertOpts {
                        at: -1,
                        limit: Some(-WINDOW),
                        update_only: false,
                    };
                    socket.stream_insert_with(&State::posts, post, opts);
                }
                socket
                    .assign(State::oldest, oldest)
                    .assign(State::at_end, oldest <= 1);
            }
            Msg::Publish { body } => {
                let body = body.trim();
                if !body.is_empty() {
                    self.board()?.publish(body).map_err(ViewError::other)?;
                }
            }
        }
        Ok(())
    }

    fn handle_info(
        &mut self,
        Arrived(post): Arrived,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        // At the top, keeping the first `WINDOW`: the oldest leave the bottom.
        let opts = InsertOpts {
            at: 0,
            limit: Some(WINDOW),
            update_only: false,
        };
        socket.stream_insert_with(&State::posts, post, opts);
        Ok(())
    }

    fn render(&self, a: &Assigns) -> Rendered {
        let posts = &a[State::posts];
        html! {
            h1 { "Feed" }
            form #compose phx-submit=(Msg::publish) {
                input type="text" name="body" placeholder="Write a post" autocomplete="off";
                button type="submit" { "Post" }
            }
            p #shown { (posts.len().unwrap_or(0)) " posts shown" }
            ol #posts phx-update="stream" phx-viewport-bottom=[(!a[State::at_end]).then_some("load_more")] {
                @for (dom_id, post) in posts {
                    li id=(dom_id) { span.id { (post.id) } " " span.body { (post.body) } }
                }
            }
            @if a[State::at_end] {
                p #end { "You have read everything." }
            } @else {
                button #more phx-click=(Msg::LoadMore) { "Load more" }
            }
        }
    }
}

/// The routes: the feed at `/`, a plain view (`Default`) that reads the board from app data.
pub fn live_config() -> LiveConfig {
    LiveConfig::from_env().live::<Feed>("/")
}

/// The app: the board as app data (what the view reads, and any ordinary handler could
/// extract as `web::Data<Board>`), and the live routes. Pass it to `App::configure`.
pub fn app(board: web::Data<Board>, live: LiveConfig) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(board);
        liveview::config(live)(cfg);
    }
}
