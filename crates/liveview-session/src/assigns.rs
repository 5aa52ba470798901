//! The assigns: the state a template shows, kept in a map by name so that change tracking
//! works per key, and reached through typed [`Key`]s so that a wrong name or type does not
//! compile.
//!
//! A view declares its assigns once, as a struct deriving [`LiveAssigns`]. The derive keeps
//! the struct's fields as the names and types of the assigns and gives the struct one
//! associated constant per field, a [`Key`] of the field's type named like the field:
//!
//! ```
//! use liveview_session::{Key, LiveAssigns};
//!
//! #[derive(LiveAssigns)]
//! # #[live(crate = liveview_session)]
//! struct Counter {
//!     count: i64,
//!     label: Option<String>,
//! }
//!
//! let key: Key<i64> = Counter::count;
//! assert_eq!(key.name(), "count");
//! ```
//!
//! `mount` assigns the whole struct ([`SocketCore::assign_all`]: every field must be given, so
//! nothing is left unassigned), callbacks change single keys ([`SocketCore::assign`],
//! [`SocketCore::update`]) and `render` reads them (`assigns[Counter::count]`), each without a
//! type annotation. `Counter::cuont` is a compile error (no such associated item, with the
//! right name suggested), and so is `socket.assign(Counter::count, "three")` (the key holds an
//! `i64`).
//!
//! String keys remain for the dynamic cases, such as a live-session hook that runs for views
//! of any type: `socket.assign("user", name)`, `assigns.try_get::<String>("user")`.
//!
//! [`SocketCore::assign_all`]: crate::SocketCore::assign_all
//! [`SocketCore::assign`]: crate::SocketCore::assign
//! [`SocketCore::update`]: crate::SocketCore::update

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use std::cell::RefCell;

use liveview_diff::Cid;

use crate::component::{LiveComponent, RenderScope};
use crate::flash::{Flash, NO_FLASH};
use crate::socket::SocketCore;

/// The name and type of one assign: `Key<i64>` reads and writes an `i64`.
///
/// Keys are constants, usually made by `#[derive(LiveAssigns)]` (one per field, named like
/// the field); [`Key::new`] makes one by hand. Two keys with the same name are the same
/// assign, so give one name one type: the derive does, since a struct's fields are unique.
///
/// ```
/// use liveview_session::Key;
///
/// const COUNT: Key<i64> = Key::new("count");
/// assert_eq!(COUNT.name(), "count");
/// ```
pub struct Key<T> {
    name: &'static str,
    ty: PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    /// The key of the assign `name`, holding a `T`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            ty: PhantomData,
        }
    }

    /// The assign's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> Clone for Key<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Key<T> {}

impl<T> fmt::Debug for Key<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key<{}>({:?})", std::any::type_name::<T>(), self.name)
    }
}

impl<T> PartialEq for Key<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T> Eq for Key<T> {}

/// What names an assign holding a `T`: a typed [`Key<T>`] (checked when compiling), or a
/// `&'static str` for the dynamic cases (checked when running).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key of a `{T}` assign",
    label = "this key holds another type than `{T}`",
    note = "a `Key<X>` reads and writes values of type `X` only: pass a value of the key's type, or read it as that type"
)]
pub trait AssignKey<T> {
    /// The assign's name.
    fn name(&self) -> &'static str;
}

impl<T> AssignKey<T> for Key<T> {
    fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> AssignKey<T> for &'static str {
    fn name(&self) -> &'static str {
        self
    }
}

/// A struct whose fields are a view's assigns: derive it with `#[derive(LiveAssigns)]`.
///
/// The derive gives the struct one associated constant per field, a [`Key`] named like the
/// field and typed like it (`Counter::count: Key<i64>`), and this trait, which assigns every
/// field at once ([`SocketCore::assign_all`](crate::SocketCore::assign_all)). Each field is
/// still its own assign: assigning the struct again marks only the fields whose value
/// changed, and the template re-renders only what reads them.
///
/// Field types need `PartialEq` (an equal value changes nothing) and `'static`. Outside the
/// `liveview` facade, name the crate that holds this trait: `#[live(crate = liveview_session)]`.
///
/// ```
/// use liveview_diff::{html, Rendered};
/// use liveview_session::{Assigns, LiveAssigns, LiveView, Params, Session, Socket, ViewError};
///
/// #[derive(LiveAssigns)]
/// # #[live(crate = liveview_session)]
/// struct Greeting {
///     name: String,
///     visits: u32,
/// }
///
/// #[derive(Default)]
/// struct Hello;
///
/// impl LiveView for Hello {
///     type Info = ();
///     type Event = ();
///
///     fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
///         socket.assign_all(Greeting { name: "world".into(), visits: 1 });
///         Ok(())
///     }
///
///     fn render(&self, assigns: &Assigns) -> Rendered {
///         html! { p { "Hello " (assigns[Greeting::name]) " (" (assigns[Greeting::visits]) ")" } }
///     }
/// }
/// # let page = liveview_session::dead_render(&mut Hello, &Params::new(), &Session::new(), "/").unwrap();
/// # assert!(matches!(page, liveview_session::DeadRender::Page { ref html, .. } if html == "<p>Hello world (1)</p>"));
/// ```
pub trait LiveAssigns: Sized + 'static {
    /// Assigns every field under its key; an assign whose value is unchanged is not marked.
    fn assign_to(self, socket: &mut SocketCore);

    /// The names of the assigns, in field order.
    fn names() -> &'static [&'static str];
}

trait AssignValue: Any {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn type_name(&self) -> &'static str;
}

impl<T: Any> AssignValue for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

/// The assigns map: typed values by name, read by `render` without any JSON round trip.
///
/// Read with a typed [`Key`]: `assigns[Counter::count]` (a reference; panics when the view
/// never assigned it, which [`assign_all`](crate::SocketCore::assign_all) in `mount` rules
/// out), [`Assigns::get`] (a clone) or [`Assigns::try_get`] (an `Option`). The same methods
/// take a `&'static str` name for the dynamic cases, with the type given:
/// `assigns.try_get::<u64>("user_id")`.
#[derive(Default)]
pub struct Assigns {
    values: HashMap<&'static str, Box<dyn AssignValue>>,
    /// The component's own CID, in a live component's assigns.
    myself: Option<Cid>,
    /// The render pass under way, which places live components.
    scope: RefCell<Option<Box<RenderScope>>>,
}

impl fmt::Debug for Assigns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.values {
            m.entry(k, &(**v).type_name());
        }
        m.finish()
    }
}

impl<T: 'static> std::ops::Index<Key<T>> for Assigns {
    type Output = T;

    /// The value of the assign `key`.
    ///
    /// # Panics
    ///
    /// When the view never assigned `key` (a bug of the view, reported with what is
    /// assigned); assign the whole [`LiveAssigns`] struct in `mount` to rule it out.
    fn index(&self, key: Key<T>) -> &T {
        self.get_ref(key)
    }
}

impl Assigns {
    /// Places the live component `(C, id)` here: a splice, `(a.live_component::<Row>(id, props))`.
    ///
    /// The first render that places `(C, id)` creates the component (it gets the next CID of
    /// the view); later ones pass it `props`, which run [`LiveComponent::update`] only when
    /// they differ from the last ones. `id` is unique per component type within a view: two
    /// placements of the same `(C, id)` in one render are a bug, and panic (the view
    /// restarts), as Phoenix raises.
    ///
    /// # Panics
    ///
    /// Outside the render of a live view or component (a render function called by hand), or
    /// for a duplicate id.
    pub fn live_component<C: LiveComponent>(&self, id: impl fmt::Display, props: C::Props) -> Cid {
        let mut scope = self.scope.borrow_mut();
        match scope.as_mut() {
            Some(scope) => scope.place::<C>(&id, props),
            None => panic!(
                "live_component::<{}>(\"{id}\") outside the render of a live view",
                std::any::type_name::<C>()
            ),
        }
    }

    /// The CID of the live component whose assigns these are: what `phx-target` takes to send
    /// an event to the component itself (Phoenix's `@myself`).
    ///
    /// # Panics
    ///
    /// In a view's assigns (only components have a CID).
    pub fn myself(&self) -> Cid {
        match self.myself {
            Some(cid) => cid,
            None => panic!("Assigns::myself is only set in a live component's render"),
        }
    }

    /// The component's CID, or `None` in a view's assigns.
    pub(crate) fn myself_opt(&self) -> Option<Cid> {
        self.myself
    }

    /// Stores `value` under `name`, replacing what was there.
    pub(crate) fn insert<T: 'static>(&mut self, name: &'static str, value: T) {
        self.values.insert(name, Box::new(value));
    }

    /// The value under `name`, mutably, if it has type `T`.
    pub(crate) fn get_mut<T: 'static>(&mut self, name: &'static str) -> Option<&mut T> {
        self.values
            .get_mut(name)
            .and_then(|v| (**v).as_any_mut().downcast_mut::<T>())
    }

    pub(crate) fn set_myself(&mut self, cid: Cid) {
        self.myself = Some(cid);
    }

    pub(crate) fn install_scope(&mut self, scope: Box<RenderScope>) {
        *self.scope.get_mut() = Some(scope);
    }

    pub(crate) fn take_scope(&mut self) -> Option<Box<RenderScope>> {
        self.scope.get_mut().take()
    }

    /// A clone of the value assigned to `key`.
    ///
    /// # Panics
    ///
    /// When nothing is assigned to `key`, or it holds another type (only possible with a
    /// string key): a bug of the view, reported with what is assigned. Use
    /// [`Assigns::try_get`] for optional assigns.
    pub fn get<T: Clone + 'static>(&self, key: impl AssignKey<T>) -> T {
        self.get_ref(key).clone()
    }

    /// A reference to the value assigned to `key`, if there is one of type `T`.
    pub fn try_get<T: 'static>(&self, key: impl AssignKey<T>) -> Option<&T> {
        (**self.values.get(key.name())?).as_any().downcast_ref()
    }

    /// A reference to the value assigned to `key` (what `assigns[key]` returns).
    ///
    /// # Panics
    ///
    /// As [`Assigns::get`].
    pub fn get_ref<T: 'static>(&self, key: impl AssignKey<T>) -> &T {
        let name = key.name();
        match self.try_get::<T>(name) {
            Some(v) => v,
            None => panic!("{}", self.missing(name, std::any::type_name::<T>())),
        }
    }

    /// Whether anything is assigned to `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The flash messages ([`SocketCore::put_flash`](crate::SocketCore::put_flash), or carried
    /// over by a navigation): the `flash` assign, empty when there is none.
    ///
    /// ```
    /// use liveview_diff::{html, Rendered};
    /// use liveview_session::Assigns;
    ///
    /// fn flash_area(assigns: &Assigns) -> Rendered {
    ///     let info = assigns.flash().get("info").cloned();
    ///     html! {
    ///         @if let Some(msg) = info {
    ///             p #flash-info role="alert" phx-click="lv:clear-flash" phx-value-key="info" { (msg) }
    ///         }
    ///     }
    /// }
    /// ```
    pub fn flash(&self) -> &Flash {
        self.try_get::<Flash>("flash").unwrap_or(&NO_FLASH)
    }

    /// Stores `value` under `name`; whether that changed the assign.
    pub(crate) fn put<T: PartialEq + 'static>(&mut self, name: &'static str, value: T) -> bool {
        if let Some(old) = self.try_get::<T>(name) {
            if *old == value {
                return false;
            }
        }
        self.values.insert(name, Box::new(value));
        true
    }

    /// Changes the value under `name` in place; whether it differs after.
    ///
    /// # Panics
    ///
    /// As [`Assigns::get`].
    pub(crate) fn change<T: Clone + PartialEq + 'static>(
        &mut self,
        name: &'static str,
        f: impl FnOnce(&mut T),
    ) -> bool {
        // The message is built only when it is needed: this is on every event's path.
        if self.try_get::<T>(name).is_none() {
            panic!("{}", self.missing(name, std::any::type_name::<T>()));
        }
        let Some(value) = self
            .values
            .get_mut(name)
            .and_then(|v| (**v).as_any_mut().downcast_mut::<T>())
        else {
            return false;
        };
        let before = value.clone();
        f(value);
        *value != before
    }

    fn missing(&self, key: &str, wanted: &str) -> String {
        match self.values.get(key) {
            Some(v) => {
                let held = (**v).type_name();
                format!(
                    "assign `{key}` holds a `{held}`, not a `{wanted}`; one name is one assign \
                     of one type (declare it once, as a field of a `#[derive(LiveAssigns)]` struct)"
                )
            }
            None => {
                let mut known: Vec<&str> = self.values.keys().copied().collect();
                known.sort_unstable();
                format!(
                    "no assign `{key}` (assigned: {known:?}); assign it in `mount`, e.g. with \
                     `socket.assign_all(..)` of the view's `#[derive(LiveAssigns)]` struct"
                )
            }
        }
    }
}
