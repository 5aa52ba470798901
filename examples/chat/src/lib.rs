//! The chat: every connected page of the room sees every message, through a [`PubSub`], and
//! who is here, through a [`Presence`]. The binary (`src/main.rs`) serves it; tests build the
//! same app from [`app`].
//!
//! The app starts one broker in `main` and hands it to every view through the view factory
//! ([`live_config`] uses `LiveConfig::live_with`): no global state, and each test can start a
//! room of its own. A view subscribes to [`LOBBY`] in its connected `mount`; submitting the
//! form broadcasts a [`ChatMessage`] there, and every subscribed view, the sender's included,
//! appends it in `handle_info`. A view that stops (tab closed) ends its subscription and its
//! presence.
//!
//! **Cluster mode.** With `REDIS_URL` set, `main` joins the broker to the other nodes through
//! Redis (`liveview-pubsub-redis`), named by `LIVEVIEW_NODE`: a message typed on one server
//! reaches the pages of every server, and "who is here" lists the guests of all of them.
//! Message ids and guest names then carry the node's name, so two nodes never hand out the
//! same one. While the link to Redis is down the page says so (`#paused`) and keeps working
//! for the guests of its own server.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use actix_web::web::ServiceConfig;
use liveview::prelude::*;
use liveview_session::LINK_TOPIC;
use liveview_session::{LinkState, Presence, PresenceDiff, PresenceList, PubSub, Topic, Tracked};
use serde::{Deserialize, Serialize};

/// The one topic of the chat. Its tag is pinned so that nodes built from different versions
/// of this code still understand each other.
pub static LOBBY: Topic<ChatMessage> = Topic::tagged("chat:lobby", "example_chat.ChatMessage/1");

/// How many messages a page keeps (older ones scroll away).
pub const MAX_MESSAGES: usize = 50;

/// The longest message body, in characters; longer ones are cut.
pub const MAX_BODY: usize = 280;

/// One chat message, as broadcast on [`LOBBY`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Unique in the room, across nodes; the list item's id is `msg-<id>`.
    pub id: String,
    /// Who sent it (`guest-<n>`, or `guest-<n>-<node>` in cluster mode).
    pub author: String,
    /// What they wrote.
    pub body: String,
}

/// What a chat page hears: messages, presence changes, and the cluster link's state.
#[derive(Debug, Clone)]
pub enum ChatEvent {
    /// A message on [`LOBBY`].
    Message(ChatMessage),
    /// Guests joined or left.
    Presence(PresenceDiff),
    /// The link to the other nodes went down or came back.
    Link(LinkState),
}

impl From<ChatMessage> for ChatEvent {
    fn from(m: ChatMessage) -> Self {
        Self::Message(m)
    }
}

impl From<PresenceDiff> for ChatEvent {
    fn from(d: PresenceDiff) -> Self {
        Self::Presence(d)
    }
}

impl From<LinkState> for ChatEvent {
    fn from(s: LinkState) -> Self {
        Self::Link(s)
    }
}

/// A chat room: the broker, presence and the room's counters. Cheap to clone; every view
/// holds one.
#[derive(Debug, Clone)]
pub struct Room {
    pubsub: PubSub,
    presence: Presence,
    /// Empty on a single node; `-<node>` in cluster mode, so ids differ between nodes.
    suffix: Arc<str>,
    next_message: Arc<AtomicU64>,
    next_guest: Arc<AtomicU64>,
}

impl Room {
    /// A room broadcasting through `pubsub` (and tracking presence on it). Must run inside an
    /// actix system.
    pub fn new(pubsub: PubSub) -> Self {
        let suffix = if pubsub.stats().clustered {
            format!("-{}", dom_safe(pubsub.node()))
        } else {
            String::new()
        };
        Self {
            presence: Presence::start(&pubsub),
            pubsub,
            suffix: suffix.into(),
            next_message: Arc::new(AtomicU64::new(1)),
            next_guest: Arc::new(AtomicU64::new(1)),
        }
    }

    /// The room's broker.
    pub fn pubsub(&self) -> &PubSub {
        &self.pubsub
    }

    /// Who is in the room.
    pub fn presence(&self) -> &Presence {
        &self.presence
    }

    fn message_id(&self) -> String {
        let n = self.next_message.fetch_add(1, Ordering::Relaxed);
        if self.suffix.is_empty() {
            n.to_string()
        } else {
            // The node's incarnation too: a restarted node starts counting again.
            let inc = self.pubsub.node_id().incarnation() & 0xffff;
            format!("{n}{}-{inc:04x}", self.suffix)
        }
    }

    fn guest_name(&self) -> String {
        let n = self.next_guest.fetch_add(1, Ordering::Relaxed);
        format!("guest-{n}{}", self.suffix)
    }
}

/// `s` with every character that is not an ASCII letter, digit, `-` or `_` replaced by `_`,
/// so it can be part of an element id.
fn dom_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A chat page's assigns.
#[derive(Debug, LiveAssigns)]
pub struct State {
    /// This page's name (`guest-<n>`; `…` in the dead render).
    pub me: String,
    /// The node this page is served by.
    pub node: String,
    /// Whether the link to the other nodes is down.
    pub paused: bool,
    /// Who is here, on every node.
    pub who: PresenceList,
    /// The latest messages, oldest first, at most [`MAX_MESSAGES`].
    pub messages: Vec<ChatMessage>,
}

/// A chat page's events.
#[derive(Debug, LiveEvent)]
pub enum Msg {
    /// The `#compose` form was submitted with its `body` field.
    Send {
        /// What the user typed.
        body: String,
    },
}

/// A chat page: `#messages` lists the messages, `#who` who is here, the `#compose` form sends
/// one.
#[derive(Debug)]
pub struct Chat {
    room: Room,
    /// This page's presence: dropped (untracked) when the view stops.
    tracked: Option<Tracked>,
}

impl Chat {
    /// A page of `room`.
    pub fn new(room: Room) -> Self {
        Self {
            room,
            tracked: None,
        }
    }
}

impl LiveView for Chat {
    type Info = ChatEvent;
    type Event = Msg;

    fn mount(
        &mut self,
        _params: &Params,
        _session: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let pubsub = self.room.pubsub().clone();
        let presence = self.room.presence().clone();
        let (me, who) = if socket.connected() {
            // Only a connected page gets a name, subscriptions and a presence (the dead
            // render is thrown away once the browser joins). Subscribe before listing, so
            // no change falls between the list and the first diff.
            socket.subscribe(&pubsub, &LOBBY)?;
            socket.subscribe(&pubsub, &presence.diffs(LOBBY.name()))?;
            socket.subscribe(&pubsub, &LINK_TOPIC)?;
            let me = self.room.guest_name();
            self.tracked = Some(
                presence
                    .track(
                        LOBBY.name(),
                        &me,
                        serde_json::json!({ "node": pubsub.node() }),
                    )
                    .map_err(ViewError::other)?,
            );
            (me, presence.list(LOBBY.name()))
        } else {
            ("…".to_owned(), PresenceList::new())
        };
        let stats = pubsub.stats();
        socket
            .assign_all(State {
                me,
                node: pubsub.node().to_owned(),
                paused: stats.clustered && !stats.connected,
                who,
                messages: Vec::new(),
            })
            .page_title("Chat");
        Ok(())
    }

    fn update(&mut self, msg: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let Msg::Send { body } = msg;
        let body: String = body.trim().chars().take(MAX_BODY).collect();
        if body.is_empty() {
            return Ok(());
        }
        let message = ChatMessage {
            id: self.room.message_id(),
            author: socket.assigns().get(State::me),
            body,
        };
        // Every subscriber gets it, this view too: the list changes in handle_info.
        self.room.pubsub().broadcast(&LOBBY, message)?;
        Ok(())
    }

    fn handle_info(
        &mut self,
        event: ChatEvent,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            ChatEvent::Message(message) => {
                socket.update(State::messages, |list| {
                    list.push(message);
                    if list.len() > MAX_MESSAGES {
                        list.remove(0);
                    }
                });
            }
            ChatEvent::Presence(diff) => {
                socket.update(State::who, |who| diff.apply_to(who));
            }
            ChatEvent::Link(state) => {
                socket.assign(State::paused, state == LinkState::Down);
            }
        }
        Ok(())
    }

    fn terminate(&mut self, _socket: &mut Socket<Self>) {
        // Untracks: the other pages see this guest leave.
        self.tracked = None;
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        html! {
            h1 { "Chat" }
            p { "You are " b #me { (assigns[State::me]) } " on " b #node { (assigns[State::node]) } }
            @if assigns[State::paused] {
                p #paused { "Live updates from the other servers are paused; reconnecting…" }
            }
            ul #messages {
                @for m in &assigns[State::messages]; key = (m.id) {
                    li id=(format!("msg-{}", m.id)) {
                        b.author { (m.author) } ": " span.body { (m.body) }
                    }
                }
            }
            h2 { "Who is here" }
            ul #who {
                @for name in assigns[State::who].keys(); key = (name) {
                    li id=(format!("who-{}", dom_safe(name))) { (name) }
                }
            }
            form #compose phx-submit=(Msg::send) {
                input type="text" name="body" placeholder="Say something" autocomplete="off";
                button type="submit" { "Send" }
            }
        }
    }
}

/// The live configuration: the chat of `room` at `/`, signed with `$SECRET_KEY_BASE`
/// (a random secret when it is not set).
pub fn live_config(room: Room) -> LiveConfig {
    let live = LiveConfig::from_env();
    live.live_with("/", move || Chat::new(room.clone()))
}

/// The app: pass it to `App::configure`.
///
/// ```
/// # actix_web::rt::System::new().block_on(async {
/// use actix_web::{test, App};
/// use example_chat::{live_config, Room};
/// use liveview::prelude::PubSub;
///
/// let room = Room::new(PubSub::start());
/// let app = test::init_service(App::new().configure(example_chat::app(live_config(room)))).await;
/// let res = test::call_service(&app, test::TestRequest::get().uri("/").to_request()).await;
/// assert!(res.status().is_success());
/// # });
/// ```
pub fn app(live: LiveConfig) -> impl FnOnce(&mut ServiceConfig) {
    liveview::config(live)
}

/// The snippets of `docs/guides/pubsub.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/pubsub.md")]
pub struct PubSubGuide;
