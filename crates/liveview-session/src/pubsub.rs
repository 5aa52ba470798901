//! PubSub for views: the broker is the `liveview-pubsub` crate (re-exported here, so
//! `liveview_session::PubSub` and friends keep working); this module ties a subscription to a
//! view's life ([`Socket::subscribe`]) and turns [`PubSubError`] into a [`ViewError`].
//!
//! - A view calls [`Socket::subscribe`] during a connected `mount`: the socket keeps the
//!   subscription until the view stops (`Shutdown`, the socket closing, a crash loop it gives
//!   up on), and then releases it. A view that crashes and restarts subscribes again in its new
//!   `mount`; its old subscription ends with its old socket. So a stopped view is never
//!   delivered to, never counted, and not kept alive by the broker (its supervisor would
//!   otherwise restart it for as long as someone holds its address).
//! - A view that fell a whole backlog behind is told through
//!   [`LiveView::handle_missed`](crate::LiveView::handle_missed), so it can reload its state.
//! - With a cluster adapter, broadcasts also reach the views of other nodes; see the
//!   `liveview-pubsub` crate docs and `docs/guides/pubsub.md`.

pub use liveview_pubsub::{
    Adapter, Broadcast, DropCause, Dropped, Frame, LinkState, MemoryAdapter, MemoryBus, Meta,
    NodeId, Payload, Presence, PresenceConfig, PresenceDiff, PresenceError, PresenceList, PubSub,
    PubSubActor, PubSubBuilder, PubSubError, Stats, Subscribe, SubscriberCount, Subscription,
    Topic, Tracked, LINK_TOPIC,
};

use crate::error::ViewError;
use crate::view::{LiveView, Socket};

impl From<PubSubError> for ViewError {
    fn from(e: PubSubError) -> Self {
        ViewError::other(e)
    }
}

impl<V: LiveView> Socket<V> {
    /// Subscribes this view to `topic` for as long as it runs: every message broadcast there
    /// reaches [`LiveView::handle_info`] as `V::Info::from(message)`.
    ///
    /// Call it in `mount`. It does nothing in the dead render (the page is not connected; there
    /// is no view actor to deliver to), and nothing when the view is already subscribed to
    /// `topic`. The subscription ends when the view stops (the client left, the socket closed,
    /// a crash loop was given up on); after a crash, the restarted view's `mount` subscribes
    /// again.
    ///
    /// ```
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::{Assigns, LiveView, Params, PubSub, Session, Socket, Topic, ViewError};
    ///
    /// static SCORES: Topic<u32> = Topic::new("scores");
    ///
    /// struct Scoreboard { pubsub: PubSub }
    ///
    /// impl LiveView for Scoreboard {
    ///     type Info = u32;
    ///     type Event = ();
    ///
    ///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.subscribe(&self.pubsub, &SCORES)?;
    ///         socket.assign("score", 0_u32);
    ///         Ok(())
    ///     }
    ///
    ///     fn handle_info(&mut self, score: u32, socket: &mut Socket<Self>) -> Result<(), ViewError> {
    ///         socket.assign("score", score);
    ///         Ok(())
    ///     }
    ///
    ///     fn render(&self, assigns: &Assigns) -> Rendered {
    ///         let score: u32 = assigns.get("score");
    ///         html! { b #score { (score) } }
    ///     }
    /// }
    /// ```
    pub fn subscribe<T>(&mut self, pubsub: &PubSub, topic: &Topic<T>) -> Result<(), PubSubError>
    where
        T: Payload,
        V::Info: From<T>,
    {
        let Some(recipient) = self.recipient() else {
            return Ok(());
        };
        if self.subscriptions_mut().iter().any(|s| s.is_for(topic)) {
            return Ok(());
        }
        let subscription = pubsub.subscribe(topic, recipient)?;
        self.subscriptions_mut().push(subscription);
        Ok(())
    }

    /// Ends this view's subscription to `topic`, if it has one.
    pub fn unsubscribe<T: 'static>(&mut self, topic: &Topic<T>) {
        self.subscriptions_mut().retain(|s| !s.is_for(topic));
    }

    /// Broadcasts `message` on `topic` to every subscriber but this view (on this node and,
    /// with a cluster adapter, on the others): for a change this view already applied. When
    /// the view is not subscribed to `topic`, it is a plain [`PubSub::broadcast`].
    pub fn broadcast_from<T: Payload>(
        &mut self,
        pubsub: &PubSub,
        topic: &Topic<T>,
        message: T,
    ) -> Result<(), PubSubError> {
        match self.subscriptions_mut().iter().find(|s| s.is_for(topic)) {
            Some(me) => pubsub.broadcast_from(me, topic, message),
            None => pubsub.broadcast(topic, message),
        }
    }
}

#[cfg(test)]
mod tests {

    use actix::{Actor, Addr, Context, Handler, Message};
    use liveview_diff::{html, Rendered};
    use serde_json::Value;

    use super::*;
    use crate::message::{HandleEvent, Mount, PushKind, Shutdown, ViewPush};
    use crate::view::{dead_render, Assigns, Params, Session};
    use crate::view_actor::{start_view, SpawnArgs};

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Note(String);

    static NOTES: Topic<Note> = Topic::new("notes");

    async fn broadcast(pubsub: &PubSub, note: &str) -> usize {
        let msg = Broadcast {
            topic: NOTES.clone(),
            message: Note(note.to_owned()),
        };
        pubsub.addr().send(msg).await.expect("broker running")
    }

    #[test]
    fn a_pubsub_error_is_a_view_error() {
        let err: ViewError = PubSubError::Full.into();
        assert!(err.to_string().contains("full"), "{err}");
    }

    /// Subscribes in mount; shows the last note; `boom` panics.
    struct Listener {
        pubsub: PubSub,
    }

    impl LiveView for Listener {
        type Info = Note;
        type Event = ();

        fn mount(
            &mut self,
            _: &Params,
            _: &Session,
            socket: &mut Socket<Self>,
        ) -> Result<(), ViewError> {
            socket.subscribe(&self.pubsub, &NOTES)?;
            // A second subscription to the same topic is a no-op.
            socket.subscribe(&self.pubsub, &NOTES)?;
            socket.assign("last", "none".to_owned());
            Ok(())
        }

        fn handle_event(
            &mut self,
            event: &str,
            _: &Value,
            socket: &mut Socket<Self>,
        ) -> Result<(), ViewError> {
            match event {
                "boom" => panic!("boom"),
                "quiet" => socket.unsubscribe(&NOTES),
                // Tells the others, applies it itself.
                "tell" => {
                    socket.broadcast_from(&self.pubsub, &NOTES, Note("told".to_owned()))?;
                    socket.assign("last", "me: told".to_owned());
                }
                other => return Err(ViewError::unknown_event(other)),
            }
            Ok(())
        }

        fn handle_info(
            &mut self,
            Note(n): Note,
            socket: &mut Socket<Self>,
        ) -> Result<(), ViewError> {
            socket.assign("last", n);
            Ok(())
        }

        fn render(&self, assigns: &Assigns) -> Rendered {
            let last: String = assigns.get("last");
            html! { b { (last) } }
        }
    }

    /// Collects a view's pushes.
    #[derive(Default)]
    struct Pushes(Vec<PushKind>);
    impl Actor for Pushes {
        type Context = Context<Self>;
    }
    impl Handler<ViewPush> for Pushes {
        type Result = ();
        fn handle(&mut self, m: ViewPush, _: &mut Context<Self>) {
            self.0.push(m.kind);
        }
    }
    struct TakePushes;
    impl Message for TakePushes {
        type Result = Vec<PushKind>;
    }
    impl Handler<TakePushes> for Pushes {
        type Result = actix::MessageResult<TakePushes>;
        fn handle(&mut self, _: TakePushes, _: &mut Context<Self>) -> Self::Result {
            actix::MessageResult(std::mem::take(&mut self.0))
        }
    }

    fn event(name: &str) -> HandleEvent {
        HandleEvent {
            kind: "click".into(),
            event: name.into(),
            value: serde_json::json!({}),
            cid: None,
        }
    }

    #[actix_rt::test]
    async fn the_dead_render_subscribes_nothing() {
        let pubsub = PubSub::start();
        let mut view = Listener {
            pubsub: pubsub.clone(),
        };
        dead_render(&mut view, &Params::new(), &Session::new(), "/").unwrap();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 0);
    }

    #[actix_rt::test]
    async fn a_view_subscribed_in_mount_gets_broadcasts_until_it_stops() {
        let pubsub = PubSub::start();
        let pushes = Pushes::default().start();
        let args = SpawnArgs::new(
            "lv:1",
            Params::new(),
            Session::new(),
            pushes.clone().recipient(),
        );
        let ps = pubsub.clone();
        let view = start_view(move || Listener { pubsub: ps.clone() }, args);
        view.send(Mount).await.unwrap().unwrap();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 1);

        assert_eq!(broadcast(&pubsub, "hi").await, 1);
        // Anything sent to the view after the note is answered after the note was handled.
        view.send(event("nothing")).await.unwrap().unwrap();
        assert_eq!(
            pushes.send(TakePushes).await.unwrap(),
            [PushKind::Diff(r#"{"0":"hi"}"#.into())]
        );

        view.send(Shutdown).await.unwrap();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 0);
        assert_eq!(broadcast(&pubsub, "after").await, 0);
    }

    #[actix_rt::test]
    async fn a_view_that_unsubscribes_gets_no_more_broadcasts() {
        let pubsub = PubSub::start();
        let pushes = Pushes::default().start();
        let args = SpawnArgs::new("lv:1", Params::new(), Session::new(), pushes.recipient());
        let ps = pubsub.clone();
        let view = start_view(move || Listener { pubsub: ps.clone() }, args);
        view.send(Mount).await.unwrap().unwrap();
        view.send(event("quiet")).await.unwrap().unwrap();
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 0);
        assert_eq!(broadcast(&pubsub, "unheard").await, 0);
    }

    #[actix_rt::test]
    async fn a_crashed_view_is_subscribed_once_after_its_restart() {
        let pubsub = PubSub::start();
        let pushes = Pushes::default().start();
        let args = SpawnArgs::new(
            "lv:1",
            Params::new(),
            Session::new(),
            pushes.clone().recipient(),
        );
        let ps = pubsub.clone();
        let view = start_view(move || Listener { pubsub: ps.clone() }, args);
        view.send(Mount).await.unwrap().unwrap();
        assert!(view.send(event("boom")).await.unwrap().is_err());
        // The restart re-mounted (a full render) and subscribed again; the old subscription
        // ended with the old socket.
        assert_eq!(pubsub.subscriber_count(&NOTES).await.unwrap(), 1);
        assert_eq!(broadcast(&pubsub, "again").await, 1);
        view.send(event("nothing")).await.unwrap().unwrap();
        let pushed = pushes.send(TakePushes).await.unwrap();
        assert_eq!(pushed.len(), 2, "{pushed:?}");
        assert_eq!(pushed[1], PushKind::Diff(r#"{"0":"again"}"#.into()));
    }

    #[actix_rt::test]
    async fn broadcast_from_a_view_reaches_the_others_but_not_itself() {
        let pubsub = PubSub::start();
        let (pushes_a, pushes_b) = (Pushes::default().start(), Pushes::default().start());
        let start = |topic: &str, pushes: &Addr<Pushes>| {
            let args = SpawnArgs::new(
                topic,
                Params::new(),
                Session::new(),
                pushes.clone().recipient(),
            );
            let ps = pubsub.clone();
            start_view(move || Listener { pubsub: ps.clone() }, args)
        };
        let (a, b) = (start("lv:a", &pushes_a), start("lv:b", &pushes_b));
        a.send(Mount).await.unwrap().unwrap();
        b.send(Mount).await.unwrap().unwrap();
        let reply = a.send(event("tell")).await.unwrap().unwrap();
        assert_eq!(reply.diff.as_deref(), Some(r#"{"0":"me: told"}"#));
        // Both views answered a later event: the note, if any, was handled before it.
        a.send(event("nothing")).await.unwrap().unwrap();
        b.send(event("nothing")).await.unwrap().unwrap();
        assert!(pushes_a.send(TakePushes).await.unwrap().is_empty());
        assert_eq!(
            pushes_b.send(TakePushes).await.unwrap(),
            [PushKind::Diff(r#"{"0":"told"}"#.into())]
        );
    }
}
