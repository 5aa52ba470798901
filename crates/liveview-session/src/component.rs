//! Live components: stateful parts of a view, each with its own assigns, events and render,
//! addressed by a component id (CID) and re-rendered on their own.
//!
//! A component is placed by any render with
//! [`Assigns::live_component::<C>(id, props)`](crate::Assigns::live_component), a splice
//! like any other. The first render that meets `(C, id)` gives it the next CID of the view
//! (from 1, in render order), creates it with `Default`, runs [`LiveComponent::mount`] and
//! [`LiveComponent::update`]; later renders run `update` only when the props differ from the
//! last ones, and render the component only when its assigns changed. An event whose
//! `phx-target` is the component ([`Assigns::myself`](crate::Assigns::myself), or a selector
//! inside it) runs its [`LiveComponent::handle_event`], and the answer carries only that
//! component's entry of the diff's `c` object.
//!
//! Component state belongs to its view's actor: one supervised actor per view stays the rule,
//! and a panic in a component is a panic in its view (the view restarts).
//!
//! A component lives until the browser says its element is gone: `cids_will_destroy` marks
//! it, `cids_destroyed` deletes it if it is still marked. A marked component rendered again in
//! between is revived and sent in full, with the components inside it.
//!
//! ```
//! use liveview_diff::{html, Rendered};
//! use liveview_session::*;
//!
//! #[derive(Default)]
//! struct Counter;
//!
//! #[derive(LiveAssigns)]
//! # #[live(crate = liveview_session)]
//! struct CounterState { label: String, count: i64 }
//!
//! #[derive(LiveEvent)]
//! # #[live(crate = liveview_session)]
//! enum CounterMsg { Inc }
//!
//! impl LiveComponent for Counter {
//!     type Props = String;
//!     type Event = CounterMsg;
//!     type Update = i64;
//!
//!     fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
//!         socket.assign_all(CounterState { label: String::new(), count: 0 });
//!         Ok(())
//!     }
//!     fn update(&mut self, label: String, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
//!         socket.assign(CounterState::label, label);
//!         Ok(())
//!     }
//!     fn on_event(&mut self, CounterMsg::Inc: CounterMsg, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
//!         socket.update(CounterState::count, |n| *n += 1);
//!         Ok(())
//!     }
//!     fn handle_update(&mut self, to: i64, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
//!         socket.assign(CounterState::count, to);
//!         Ok(())
//!     }
//!     fn render(&self, a: &Assigns) -> Rendered {
//!         html! {
//!             div {
//!                 (a[CounterState::label]) ": " (a[CounterState::count])
//!                 button phx-click=(CounterMsg::Inc) phx-target=(a.myself()) { "+" }
//!             }
//!         }
//!     }
//! }
//!
//! #[derive(Default)]
//! struct Page;
//!
//! impl LiveView for Page {
//!     type Info = ();
//!     type Event = ();
//!     fn mount(&mut self, _: &Params, _: &Session, _: &mut Socket<Self>) -> Result<(), ViewError> {
//!         Ok(())
//!     }
//!     fn render(&self, a: &Assigns) -> Rendered {
//!         html! {
//!             main {
//!                 (a.live_component::<Counter>("apples", "Apples".to_owned()))
//!                 (a.live_component::<Counter>("pears", "Pears".to_owned()))
//!             }
//!         }
//!     }
//! }
//!
//! let page = dead_render(&mut Page, &Params::new(), &Session::new(), "/").unwrap();
//! let DeadRender::Page { html, .. } = page else { unreachable!() };
//! assert_eq!(
//!     html,
//!     "<main><div>Apples: 0<button phx-click=\"inc\" phx-target=\"1\">+</button></div>\
//!      <div>Pears: 0<button phx-click=\"inc\" phx-target=\"2\">+</button></div></main>"
//! );
//! ```

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use liveview_diff::{Cid, ComponentRender, Rendered};
use serde_json::Value;

use actix::SpawnHandle;

use crate::assigns::Assigns;
use crate::async_task::{AsyncDone, AsyncFinished, AsyncTasks, Delivery};
use crate::error::ViewError;
use crate::event::LiveEvent;
use crate::socket::SocketCore;

/// A stateful part of a view: its own assigns, events and render, addressed by a CID.
///
/// Created with `Default` the first time a render places it
/// ([`Assigns::live_component`](crate::Assigns::live_component)); then
/// [`mount`](LiveComponent::mount) once and [`update`](LiveComponent::update) with the props,
/// again whenever a render passes props that differ from the last ones.
pub trait LiveComponent: Default + Unpin + 'static {
    /// What the parent passes each time it renders the component. Equal props (by
    /// `PartialEq`) mean no `update` and, unless the component's own assigns changed, no
    /// render.
    type Props: Clone + PartialEq + 'static;

    /// The events [`on_event`](LiveComponent::on_event) receives: an enum deriving
    /// [`LiveEvent`](crate::LiveEvent). Use `()` when the component takes none.
    type Event: LiveEvent;

    /// The messages [`handle_update`](LiveComponent::handle_update) receives from
    /// [`SocketCore::send_update`]. Use `()` when the component takes none.
    type Update: 'static;

    /// Runs once, when the component is created, before the first `update`.
    fn mount(&mut self, socket: &mut ComponentSocket<Self>) -> Result<(), ViewError> {
        let _ = socket;
        Ok(())
    }

    /// Receives the props a render passed: the first time, and whenever they changed.
    fn update(
        &mut self,
        props: Self::Props,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError>;

    /// Receives, at once, the props of every component of this type that one render pass
    /// updates (a list of rows, say), so that their data can be loaded in one query. The
    /// default calls [`update`](LiveComponent::update) for each.
    fn update_many(
        batch: Vec<(&mut Self, Self::Props, &mut ComponentSocket<Self>)>,
    ) -> Result<(), ViewError> {
        for (component, props, socket) in batch {
            component.update(props, socket)?;
        }
        Ok(())
    }

    /// Handles an event sent to this component by name and value. The default decodes it
    /// into [`Self::Event`](LiveComponent::Event) and calls
    /// [`on_event`](LiveComponent::on_event).
    fn handle_event(
        &mut self,
        event: &str,
        value: &Value,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        let event = Self::Event::decode(event, value)?;
        self.on_event(event, socket)
    }

    /// Handles a typed event. The default does nothing.
    fn on_event(
        &mut self,
        event: Self::Event,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        let _ = (event, socket);
        Ok(())
    }

    /// Receives the result of a task started with
    /// [`SocketCore::start_async`](crate::SocketCore::start_async) on the component's socket
    /// (as [`LiveView::handle_async`](crate::LiveView::handle_async) does for views). The
    /// default ignores it.
    fn handle_async(
        &mut self,
        done: AsyncDone,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        let _ = socket;
        log::debug!(
            "async task `{}` finished; the component ignores it",
            done.name()
        );
        Ok(())
    }

    /// Handles a message sent with [`SocketCore::send_update`]. The default does nothing.
    fn handle_update(
        &mut self,
        msg: Self::Update,
        socket: &mut ComponentSocket<Self>,
    ) -> Result<(), ViewError> {
        let _ = (msg, socket);
        Ok(())
    }

    /// Renders the component's assigns. The template must have a single root element (the
    /// browser marks it with the CID); [`Assigns::myself`](crate::Assigns::myself) is the
    /// component's CID, for `phx-target`.
    fn render(&self, assigns: &Assigns) -> Rendered;
}

/// What a component's callbacks work on: a [`SocketCore`] of its own (assigns, pushed events,
/// reply, flash, navigation; reached through `Deref`) and its CID.
pub struct ComponentSocket<C: LiveComponent> {
    core: SocketCore,
    myself: Cid,
    component: PhantomData<fn() -> C>,
}

impl<C: LiveComponent> fmt::Debug for ComponentSocket<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ComponentSocket")
            .field("myself", &self.myself)
            .field("core", &self.core)
            .finish()
    }
}

impl<C: LiveComponent> Deref for ComponentSocket<C> {
    type Target = SocketCore;

    fn deref(&self) -> &SocketCore {
        &self.core
    }
}

impl<C: LiveComponent> DerefMut for ComponentSocket<C> {
    fn deref_mut(&mut self) -> &mut SocketCore {
        &mut self.core
    }
}

impl<C: LiveComponent> ComponentSocket<C> {
    /// The component's CID: what `phx-target` takes to send events to it.
    pub fn myself(&self) -> Cid {
        self.myself
    }

    /// Sends `msg` to the view the component is in: its
    /// [`handle_info`](crate::LiveView::handle_info) runs after the current callback
    /// (Phoenix's `send(self(), msg)` from a component). `M` must be the view's
    /// [`Info`](crate::LiveView::Info) type; a message of another type is dropped with an
    /// error in the log, naming both types.
    pub fn send_parent<M: 'static>(&mut self, msg: M) -> &mut Self {
        self.core.to_parent.push(ParentMsg {
            msg: Box::new(msg),
            type_name: std::any::type_name::<M>(),
        });
        self
    }
}

/// A [`ComponentSocket::send_parent`] on its way to the view.
pub(crate) struct ParentMsg {
    pub(crate) msg: Box<dyn Any>,
    pub(crate) type_name: &'static str,
}

impl fmt::Debug for ParentMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParentMsg")
            .field("type", &self.type_name)
            .finish_non_exhaustive()
    }
}

/// A [`SocketCore::send_update`] on its way to a component.
pub(crate) struct ComponentUpdate {
    pub(crate) component: TypeId,
    pub(crate) id: Box<str>,
    pub(crate) msg: Box<dyn Any>,
    pub(crate) delay: Option<Duration>,
}

impl fmt::Debug for ComponentUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ComponentUpdate")
            .field("id", &self.id)
            .field("delay", &self.delay)
            .finish_non_exhaustive()
    }
}

impl SocketCore {
    /// Sends `msg` to the component `(C, id)` of this view: its
    /// [`handle_update`](LiveComponent::handle_update) runs after the current callback, and
    /// what it changes is pushed as a diff of that component alone. A component that does not
    /// exist (any more) is skipped with a log line.
    pub fn send_update<C: LiveComponent>(
        &mut self,
        id: impl fmt::Display,
        msg: C::Update,
    ) -> &mut Self {
        self.queue_update::<C>(id, msg, None)
    }

    /// [`SocketCore::send_update`] after `delay`.
    pub fn send_update_after<C: LiveComponent>(
        &mut self,
        delay: Duration,
        id: impl fmt::Display,
        msg: C::Update,
    ) -> &mut Self {
        self.queue_update::<C>(id, msg, Some(delay))
    }

    fn queue_update<C: LiveComponent>(
        &mut self,
        id: impl fmt::Display,
        msg: C::Update,
        delay: Option<Duration>,
    ) -> &mut Self {
        if self.connected() {
            self.updates.push(ComponentUpdate {
                component: TypeId::of::<C>(),
                id: id.to_string().into_boxed_str(),
                msg: Box::new(msg),
                delay,
            });
        }
        self
    }
}

/// The CIDs a render pass meets, handed from render to render through the assigns.
#[derive(Default)]
pub(crate) struct RenderScope {
    ids: HashMap<TypeId, HashMap<Box<str>, u32>>,
    next_cid: u32,
    calls: Vec<ComponentCall>,
    seen: HashSet<u32>,
    id_buf: String,
}

/// One placement of a component met by a render.
struct ComponentCall {
    cid: u32,
    type_id: TypeId,
    props: Box<dyn Any>,
    ops: Ops,
}

/// The components of a view, by CID.
type Slots = HashMap<u32, Box<dyn Slot>>;

/// One placement handed to `update_many`: its CID, its props, and whether it must update
/// (new or revived) even with props equal to the last ones.
type Placement = (u32, Box<dyn Any>, bool);

/// The functions of one component type, monomorphised where the type is known.
#[derive(Clone, Copy)]
struct Ops {
    make: fn(Cid, bool) -> Box<dyn Slot>,
    update: fn(&mut Slots, Vec<Placement>) -> Result<(), ViewError>,
}

impl RenderScope {
    /// The CID of `(C, id)`, allocated when new; queues the props for the render pass.
    pub(crate) fn place<C: LiveComponent>(
        &mut self,
        id: &dyn fmt::Display,
        props: C::Props,
    ) -> Cid {
        let type_id = TypeId::of::<C>();
        self.id_buf.clear();
        let _ = write!(self.id_buf, "{id}");
        let known = self
            .ids
            .get(&type_id)
            .and_then(|ids| ids.get(self.id_buf.as_str()))
            .copied();
        let cid = match known {
            Some(cid) => cid,
            None => {
                self.next_cid += 1;
                let cid = self.next_cid;
                self.ids
                    .entry(type_id)
                    .or_default()
                    .insert(self.id_buf.clone().into_boxed_str(), cid);
                cid
            }
        };
        if !self.seen.insert(cid) {
            panic!(
                "found duplicate id `{}` for component {} when rendering a template",
                self.id_buf,
                std::any::type_name::<C>()
            );
        }
        self.calls.push(ComponentCall {
            cid,
            type_id,
            props: Box::new(props),
            ops: Ops {
                make: make_slot::<C>,
                update: update_group::<C>,
            },
        });
        Cid::new(cid)
    }
}

/// A component of some type, with its socket, behind a trait object.
trait Slot: Any {
    fn core(&mut self) -> &mut SocketCore;
    fn mount(&mut self) -> Result<(), ViewError>;
    fn handle_event(&mut self, event: &str, value: &Value) -> Result<(), ViewError>;
    fn handle_update(&mut self, msg: Box<dyn Any>) -> Result<(), ViewError>;
    fn handle_async(&mut self, done: AsyncDone) -> Result<(), ViewError>;
    fn render(&mut self, scope: Box<RenderScope>) -> (Rendered, Box<RenderScope>);
    fn type_name(&self) -> &'static str;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

struct SlotOf<C: LiveComponent> {
    component: C,
    socket: ComponentSocket<C>,
    props: Option<C::Props>,
}

fn make_slot<C: LiveComponent>(myself: Cid, connected: bool) -> Box<dyn Slot> {
    let mut core = SocketCore::new(connected);
    core.assigns_mut().set_myself(myself);
    Box::new(SlotOf::<C> {
        component: C::default(),
        socket: ComponentSocket {
            core,
            myself,
            component: PhantomData,
        },
        props: None,
    })
}

/// Runs `update_many` for the components of type `C` in `calls` whose props changed (or that
/// are new or revived: `force`).
fn update_group<C: LiveComponent>(
    slots: &mut Slots,
    calls: Vec<Placement>,
) -> Result<(), ViewError> {
    let mut taken: Vec<(u32, Box<SlotOf<C>>, C::Props)> = Vec::with_capacity(calls.len());
    for (cid, props, force) in calls {
        let Ok(props) = props.downcast::<C::Props>() else {
            continue;
        };
        let Some(slot) = slots.remove(&cid) else {
            continue;
        };
        let Ok(slot) = slot.into_any().downcast::<SlotOf<C>>() else {
            continue;
        };
        if !force && slot.props.as_ref() == Some(&*props) {
            slots.insert(cid, slot);
            continue;
        }
        taken.push((cid, slot, *props));
    }
    if taken.is_empty() {
        return Ok(());
    }
    let batch = taken
        .iter_mut()
        .map(|(_, slot, props)| {
            slot.props = Some(props.clone());
            let SlotOf {
                component, socket, ..
            } = &mut **slot;
            (component, props.clone(), socket)
        })
        .collect();
    let result = C::update_many(batch);
    for (cid, slot, _) in taken {
        slots.insert(cid, slot);
    }
    result
}

impl<C: LiveComponent> Slot for SlotOf<C> {
    fn core(&mut self) -> &mut SocketCore {
        &mut self.socket.core
    }

    fn mount(&mut self) -> Result<(), ViewError> {
        self.component.mount(&mut self.socket)
    }

    fn handle_event(&mut self, event: &str, value: &Value) -> Result<(), ViewError> {
        self.component.handle_event(event, value, &mut self.socket)
    }

    fn handle_update(&mut self, msg: Box<dyn Any>) -> Result<(), ViewError> {
        match msg.downcast::<C::Update>() {
            Ok(msg) => self.component.handle_update(*msg, &mut self.socket),
            Err(_) => Err(ViewError::other("send_update: message of the wrong type")),
        }
    }

    fn handle_async(&mut self, done: AsyncDone) -> Result<(), ViewError> {
        self.component.handle_async(done, &mut self.socket)
    }

    fn render(&mut self, scope: Box<RenderScope>) -> (Rendered, Box<RenderScope>) {
        let assigns = self.socket.core.assigns_mut();
        assigns.install_scope(scope);
        let rendered = self.component.render(self.socket.core.assigns());
        let scope = self
            .socket
            .core
            .assigns_mut()
            .take_scope()
            .unwrap_or_default();
        (rendered, scope)
    }

    fn type_name(&self) -> &'static str {
        std::any::type_name::<C>()
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// A view's live components: their state, their CIDs and their destroy marks.
#[derive(Default)]
pub(crate) struct Components {
    slots: HashMap<u32, Box<dyn Slot>>,
    ids: HashMap<TypeId, HashMap<Box<str>, u32>>,
    next_cid: u32,
    /// Named by `cids_will_destroy` and not rendered since.
    marked: HashSet<u32>,
    /// Components whose assigns changed outside a render of their parent (an event, an update).
    dirty: Vec<u32>,
    /// Components whose last callback started or cancelled an async task.
    async_work: Vec<u32>,
}

impl fmt::Debug for Components {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Components")
            .field("count", &self.slots.len())
            .field("next_cid", &self.next_cid)
            .field("marked", &self.marked)
            .finish_non_exhaustive()
    }
}

/// The full HTML of a view's render with its components' renders inlined (the dead render).
pub(crate) fn inline_html(root: &Rendered, components: &[ComponentRender]) -> String {
    let by_cid: HashMap<u32, &Rendered> = components.iter().map(|c| (c.cid, &c.rendered)).collect();
    let mut out = String::new();
    root.write_html_with(&mut out, &|cid| by_cid.get(&cid).copied());
    out
}

impl Components {
    /// Whether a component changed outside a render of its parent.
    pub(crate) fn has_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// The CID of the component `(type, id)`, if it exists.
    pub(crate) fn cid_of(&self, type_id: TypeId, id: &str) -> Option<u32> {
        self.ids.get(&type_id)?.get(id).copied()
    }

    /// Starts a render pass: the scope a render places components in (install it in the
    /// assigns being rendered), then [`Components::finish`].
    pub(crate) fn open(&mut self) -> Box<RenderScope> {
        Box::new(RenderScope {
            ids: std::mem::take(&mut self.ids),
            next_cid: self.next_cid,
            ..RenderScope::default()
        })
    }

    /// Ends a render pass: creates, updates and renders the components placed, and the
    /// components that changed on their own. With `full`, every component placed renders, for
    /// a client that holds nothing (a join), and the components not placed are dropped.
    pub(crate) fn finish(
        &mut self,
        core: &mut SocketCore,
        mut scope: Box<RenderScope>,
        full: bool,
    ) -> Vec<ComponentRender> {
        let mut components = Vec::new();
        let mut rendered: HashSet<u32> = HashSet::new();
        loop {
            scope = self.run_calls(core, scope, full, &mut rendered, &mut components);
            // Components that changed on their own (and that no parent rendered in this
            // pass) render now; what they place joins the queue.
            let dirty = std::mem::take(&mut self.dirty);
            if dirty.is_empty() {
                break;
            }
            for cid in dirty {
                if rendered.contains(&cid) {
                    continue;
                }
                let Some(slot) = self.slots.get_mut(&cid) else {
                    continue;
                };
                if !slot.core().take_changed() {
                    continue;
                }
                scope = render_slot(
                    slot.as_mut(),
                    cid,
                    false,
                    scope,
                    &mut rendered,
                    &mut components,
                );
            }
        }
        if full {
            // The client starts from this render: a component it does not place is gone.
            self.slots.retain(|cid, _| rendered.contains(cid));
            self.marked.clear();
            for ids in scope.ids.values_mut() {
                ids.retain(|_, cid| rendered.contains(cid));
            }
            scope.ids.retain(|_, ids| !ids.is_empty());
        }
        self.ids = std::mem::take(&mut scope.ids);
        self.next_cid = scope.next_cid;
        components
    }

    /// Creates, updates and renders the components the render pass placed, level by level,
    /// until no component places another.
    fn run_calls(
        &mut self,
        core: &mut SocketCore,
        mut scope: Box<RenderScope>,
        full: bool,
        rendered: &mut HashSet<u32>,
        components: &mut Vec<ComponentRender>,
    ) -> Box<RenderScope> {
        let connected = core.connected();
        loop {
            let calls = std::mem::take(&mut scope.calls);
            if calls.is_empty() {
                return scope;
            }
            // One `update_many` per component type, types in the order first met.
            let mut groups: Vec<(TypeId, Ops, Vec<ComponentCall>)> = Vec::new();
            for call in calls {
                match groups.iter_mut().find(|(t, _, _)| *t == call.type_id) {
                    Some((_, _, g)) => g.push(call),
                    None => groups.push((call.type_id, call.ops, vec![call])),
                }
            }
            for (_, ops, group) in groups {
                let mut order = Vec::with_capacity(group.len());
                let mut batch = Vec::with_capacity(group.len());
                for call in group {
                    // A marked component placed again is revived: the client reports its
                    // whole subtree destroyed, so it is sent in full, its children too.
                    let revived = self.marked.remove(&call.cid);
                    let is_new = !self.slots.contains_key(&call.cid);
                    if is_new {
                        let mut slot = (ops.make)(Cid::new(call.cid), connected);
                        if let Err(e) = slot.mount() {
                            log::warn!("component {} mount: {e}", slot.type_name());
                        }
                        absorb(core, slot.core());
                        self.slots.insert(call.cid, slot);
                    }
                    let fresh = is_new || revived;
                    order.push((call.cid, fresh));
                    batch.push((call.cid, call.props, fresh));
                }
                if let Err(e) = (ops.update)(&mut self.slots, batch) {
                    log::warn!("component update: {e}");
                }
                for (cid, fresh) in order {
                    let Some(slot) = self.slots.get_mut(&cid) else {
                        continue;
                    };
                    absorb(core, slot.core());
                    note_async(&mut self.async_work, cid, slot.core());
                    let changed = slot.core().take_changed();
                    if !(changed || fresh || full) || rendered.contains(&cid) {
                        continue;
                    }
                    scope = render_slot(
                        slot.as_mut(),
                        cid,
                        fresh || full,
                        scope,
                        rendered,
                        components,
                    );
                }
            }
        }
    }

    /// Runs an event on component `cid`; `None` when there is no such component.
    pub(crate) fn event(
        &mut self,
        core: &mut SocketCore,
        cid: u32,
        event: &str,
        value: &Value,
    ) -> Option<Result<(), ViewError>> {
        let slot = self.slots.get_mut(&cid)?;
        let result = slot.handle_event(event, value);
        self.after_callback(core, cid);
        Some(result)
    }

    /// Runs a `send_update` on its component; `None` when there is no such component.
    pub(crate) fn update(
        &mut self,
        core: &mut SocketCore,
        update: ComponentUpdate,
    ) -> Option<Result<(), ViewError>> {
        let cid = self.cid_of(update.component, &update.id)?;
        let slot = self.slots.get_mut(&cid)?;
        let result = slot.handle_update(update.msg);
        self.after_callback(core, cid);
        Some(result)
    }

    fn after_callback(&mut self, core: &mut SocketCore, cid: u32) {
        if let Some(slot) = self.slots.get_mut(&cid) {
            absorb(core, slot.core());
            if slot.core().is_changed() && !self.dirty.contains(&cid) {
                self.dirty.push(cid);
            }
            note_async(&mut self.async_work, cid, slot.core());
        }
    }

    /// The components whose tasks wait to be spawned (or aborted), each with its tasks.
    pub(crate) fn take_async_work(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.async_work)
    }

    /// The async tasks of component `cid`.
    pub(crate) fn tasks_mut(&mut self, cid: u32) -> Option<&mut AsyncTasks> {
        Some(self.slots.get_mut(&cid)?.core().async_tasks_mut())
    }

    /// How many async tasks the components are running.
    pub(crate) fn async_pending(&mut self) -> usize {
        self.slots
            .values_mut()
            .map(|s| s.core().async_pending())
            .sum()
    }

    /// Delivers a finished task to component `cid`: its assign, or its `handle_async`. `None`
    /// when the component is gone (its result is dropped) or the result was stale.
    pub(crate) fn deliver(
        &mut self,
        core: &mut SocketCore,
        cid: u32,
        done: AsyncFinished,
    ) -> Option<Result<(), ViewError>> {
        let slot = self.slots.get_mut(&cid)?;
        let result = match done.deliver(slot.core()) {
            Delivery::Dropped => return None,
            Delivery::Assigned => Ok(()),
            Delivery::HandleAsync(done) => slot.handle_async(done),
        };
        self.after_callback(core, cid);
        Some(result)
    }

    /// `cids_will_destroy`: marks the components the browser no longer shows.
    pub(crate) fn mark(&mut self, cids: &[u32]) {
        for cid in cids {
            if self.slots.contains_key(cid) {
                self.marked.insert(*cid);
            }
        }
    }

    /// `cids_destroyed`: deletes the components still marked; returns their CIDs, and the
    /// handles of their async tasks to abort.
    pub(crate) fn destroy(&mut self, cids: &[u32]) -> (Vec<u32>, Vec<SpawnHandle>) {
        let mut gone = Vec::new();
        let mut aborts = Vec::new();
        for cid in cids {
            if !self.marked.remove(cid) {
                continue;
            }
            if let Some(mut slot) = self.slots.remove(cid) {
                aborts.extend(slot.core().async_tasks_mut().clear());
            }
            for ids in self.ids.values_mut() {
                ids.retain(|_, c| c != cid);
            }
            gone.push(*cid);
        }
        self.ids.retain(|_, ids| !ids.is_empty());
        (gone, aborts)
    }
}

/// Renders component `cid` in the pass under way: its render joins `components` (with `fresh`:
/// the client holds nothing for it) and `cid` is recorded as rendered; returns the scope.
fn render_slot(
    slot: &mut dyn Slot,
    cid: u32,
    fresh: bool,
    scope: Box<RenderScope>,
    rendered: &mut HashSet<u32>,
    components: &mut Vec<ComponentRender>,
) -> Box<RenderScope> {
    let (r, scope) = slot.render(scope);
    rendered.insert(cid);
    components.push(ComponentRender {
        cid,
        rendered: r,
        fresh,
    });
    scope
}

/// Records that component `cid`'s last callback started or cancelled an async task, for the
/// view actor to spawn or abort (`Components::take_async_work`).
fn note_async(work: &mut Vec<u32>, cid: u32, core: &SocketCore) {
    if core.async_tasks().has_work() && !work.contains(&cid) {
        work.push(cid);
    }
}

/// Moves what a component's callback asked for (events, a reply, a navigation, the flash,
/// updates for other components) to its view's socket, which sends it.
fn absorb(view: &mut SocketCore, component: &mut SocketCore) {
    view.absorb_effects(component);
}
