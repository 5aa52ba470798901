//! The chat: every connected page of the room sees every message, through a local
//! [`PubSub`]. The binary (`src/main.rs`) serves it; tests build the same app from [`app`].
//!
//! The app starts one broker in `main` and hands it to every view through the view factory
//! ([`live_config`] uses `LiveConfig::live_with`): no global state, and each test can start a
//! room of its own. A view subscribes to [`LOBBY`] in its connected `mount`; submitting the
//! form broadcasts a [`ChatMessage`] there, and every subscribed view, the sender's included,
//! appends it in `handle_info`. A view that stops (tab closed) ends its subscription.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use actix_web::web::ServiceConfig;
use liveview::prelude::*;
use liveview_session::{PubSub, Topic};

/// The one topic of the chat.
pub static LOBBY: Topic<ChatMessage> = Topic::new("chat:lobby");

/// How many messages a page keeps (older ones scroll away).
pub const MAX_MESSAGES: usize = 50;

/// The longest message body, in characters; longer ones are cut.
pub const MAX_BODY: usize = 280;

/// One chat message, as broadcast on [`LOBBY`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChatMessage {
    /// Unique in the room; the list item's id is `msg-<id>`.
    pub id: u64,
    /// Who sent it (`guest-<n>`).
    pub author: String,
    /// What they wrote.
    pub body: String,
}

/// A chat room: the broker and the room's counters. Cheap to clone; every view holds one.
#[derive(Debug, Clone)]
pub struct Room {
    pubsub: PubSub,
    next_message: Arc<AtomicU64>,
    next_guest: Arc<AtomicU64>,
}

impl Room {
    /// A room broadcasting through `pubsub`.
    pub fn new(pubsub: PubSub) -> Self {
        Self {
            pubsub,
            next_message: Arc::new(AtomicU64::new(1)),
            next_guest: Arc::new(AtomicU64::new(1)),
        }
    }

    /// The room's broker.
    pub fn pubsub(&self) -> &PubSub {
        &self.pubsub
    }
}

/// A chat page: `#messages` lists the messages, the `#compose` form sends one.
#[derive(Debug)]
pub struct Chat {
    room: Room,
}

impl Chat {
    /// A page of `room`.
    pub fn new(room: Room) -> Self {
        Self { room }
    }
}

impl LiveView for Chat {
    type Info = ChatMessage;

    fn mount(
        &mut self,
        _params: &Params,
        _session: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        let me = if socket.connected() {
            // Only a connected page gets a name and a subscription (the dead render is
            // thrown away once the browser joins).
            socket.subscribe(self.room.pubsub(), &LOBBY)?;
            let n = self.room.next_guest.fetch_add(1, Ordering::Relaxed);
            format!("guest-{n}")
        } else {
            "…".to_owned()
        };
        socket.assign("me", me);
        socket.assign("messages", Vec::<ChatMessage>::new());
        socket.page_title("Chat");
        Ok(())
    }

    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        match event {
            "send" => {
                let body = value.get("body").and_then(Value::as_str).unwrap_or("");
                let body: String = body.trim().chars().take(MAX_BODY).collect();
                if body.is_empty() {
                    return Ok(());
                }
                let message = ChatMessage {
                    id: self.room.next_message.fetch_add(1, Ordering::Relaxed),
                    author: socket.assigns().get("me"),
                    body,
                };
                // Every subscriber gets it, this view too: the list changes in handle_info.
                self.room.pubsub().broadcast(&LOBBY, message)?;
                Ok(())
            }
            other => Err(ViewError::unknown_event(other)),
        }
    }

    fn handle_info(
        &mut self,
        message: ChatMessage,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.update("messages", |list: &mut Vec<ChatMessage>| {
            list.push(message);
            if list.len() > MAX_MESSAGES {
                list.remove(0);
            }
        });
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let me: String = assigns.get("me");
        let messages: &Vec<ChatMessage> = assigns.get_ref("messages");
        html! {
            h1 { "Chat" }
            p { "You are " b #me { (me) } }
            ul #messages {
                @for m in messages; key = (m.id) {
                    li id=(format!("msg-{}", m.id)) {
                        b.author { (m.author) } ": " span.body { (m.body) }
                    }
                }
            }
            form #compose phx-submit="send" {
                input type="text" name="body" placeholder="Say something" autocomplete="off";
                button type="submit" { "Send" }
            }
        }
    }
}

/// The live configuration: the chat of `room` at `/`, signed with `$SECRET_KEY_BASE` when set
/// (at least 32 bytes), else with a random secret.
pub fn live_config(room: Room) -> LiveConfig {
    let live = match std::env::var("SECRET_KEY_BASE") {
        Ok(secret) if secret.len() >= liveview::http::MIN_SECRET_LEN => LiveConfig::new(secret),
        _ => LiveConfig::with_random_secret(),
    };
    live.live_with("/", move || Chat::new(room.clone()))
}

/// The app: pass it to `App::configure`.
///
/// ```
/// # actix_web::rt::System::new().block_on(async {
/// use actix_web::{test, App};
/// use example_chat::{live_config, Room};
/// use liveview_session::PubSub;
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
