//! The render tree, the diff engine and the wire encoding of Phoenix LiveView 1.2 diffs.
//!
//! A template (written with [`html!`] in maud's syntax) renders to a [`Rendered`] tree:
//! compile-time statics with a fingerprint, and positional dynamics. A [`DiffTracker`] remembers
//! what the client already holds and turns each new render into the smallest diff the official
//! `phoenix_live_view@1.2.12` client understands, encoded straight to JSON bytes. With the
//! `test-support` feature, `ClientTree` is the reference merger: it applies diffs exactly as
//! the browser does and renders the HTML, for tests and the test harness (`liveview-test`
//! enables it); an app's build does not compile it.
//!
//! ```
//! use liveview_diff::{html, ClientTree, DiffTracker, Extras};
//!
//! fn counter(count: i64) -> liveview_diff::Rendered {
//!     html! { span #count { (count) } }
//! }
//!
//! let mut tracker = DiffTracker::new();
//! let join = tracker.render_full(counter(0), &Extras::default());
//! assert_eq!(join, r#"{"0":"0","s":["<span id=\"count\">","</span>"]}"#);
//!
//! let diff = tracker.render_diff(counter(1), &Extras::default()).unwrap();
//! assert_eq!(diff, r#"{"0":"1"}"#);
//! assert_eq!(tracker.render_diff(counter(1), &Extras::default()), None);
//!
//! let mut client = ClientTree::from_json(&join).unwrap();
//! client.merge_json(&diff).unwrap();
//! assert_eq!(client.to_html(), "<span id=\"count\">1</span>");
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::print_stdout))]

mod diff;
mod error;
#[cfg(feature = "test-support")]
mod merge;
mod rendered;
pub mod wire;

#[doc(inline)]
pub use diff::{diff, ComponentRender, Diff, DiffTracker, Extras, PushedEvent};
#[doc(inline)]
pub use error::Error;
#[cfg(feature = "test-support")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-support")))]
#[doc(inline)]
pub use merge::ClientTree;
#[doc(inline)]
pub use rendered::{
    Cid, Comprehension, Dynamic, Entry, Rendered, Row, StreamInsert, StreamOps, Template, Text,
};

/// Compiles maud's template syntax to a [`Rendered`] tree of statics and dynamics.
///
/// See the `liveview-macros` crate for the accepted syntax.
///
/// ```
/// use liveview_diff::html;
///
/// let name = "<script>";
/// let page = html! { p.greeting { "Hello, " (name) "!" } };
/// assert_eq!(page.to_html(), "<p class=\"greeting\">Hello, &lt;script&gt;!</p>");
/// ```
#[cfg(feature = "macros")]
#[macro_export]
macro_rules! html {
    ($($tokens:tt)*) => {
        $crate::__private::html_impl!(($crate) $($tokens)*)
    };
}

/// What an event attribute (`phx-click=(Msg::Inc)`, `phx-submit`, `phx-change`, ...) renders
/// for a typed event: its name, and one `phx-value-<field>` attribute per value it carries.
///
/// `liveview_session`'s `#[derive(LiveEvent)]` implements it for a view's event enum; the
/// browser sends the name and values back, and the same enum decodes them. In `html!`, an
/// event attribute whose value is a splice of a type implementing it renders as
/// `phx-click="delete" phx-value-id="7"`; any other splice renders as before.
///
/// ```
/// use liveview_diff::{html, EventBinding};
///
/// struct Delete(u32);
///
/// impl EventBinding for Delete {
///     fn event_name(&self) -> &str { "delete" }
///     fn event_values(&self) -> Vec<(&'static str, String)> { vec![("id", self.0.to_string())] }
/// }
///
/// let button = html! { button phx-click=(Delete(7)) { "x" } };
/// assert_eq!(button.to_html(), r#"<button phx-click="delete" phx-value-id="7">x</button>"#);
/// ```
pub trait EventBinding {
    /// The event's name, as the view decodes it.
    fn event_name(&self) -> &str;

    /// The values the event carries, as `(field, text)`: each becomes `phx-value-<field>`.
    fn event_values(&self) -> Vec<(&'static str, String)>;
}

impl<T: EventBinding + ?Sized> EventBinding for &T {
    fn event_name(&self) -> &str {
        (**self).event_name()
    }

    fn event_values(&self) -> Vec<(&'static str, String)> {
        (**self).event_values()
    }
}

/// The name of an event alone, without values: what a form's `phx-submit` or `phx-change`
/// names (the form's fields are the value). `#[derive(LiveEvent)]` makes one per variant that
/// carries data, named like the variant in `snake_case`: `phx-submit=(Msg::save)` for
/// `Msg::Save(Form<NewTodo>)`.
///
/// ```
/// use liveview_diff::{html, EventName};
///
/// const SAVE: EventName = EventName::new("save");
/// let form = html! { form phx-submit=(SAVE) { button { "Save" } } };
/// assert_eq!(form.to_html(), r#"<form phx-submit="save"><button>Save</button></form>"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventName(&'static str);

impl EventName {
    /// The event `name`.
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    /// The name.
    pub const fn as_str(&self) -> &'static str {
        self.0
    }
}

impl EventBinding for EventName {
    fn event_name(&self) -> &str {
        self.0
    }

    fn event_values(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// What a streamed loop iterates: `@for` over one carries its [`StreamOps`] into the
/// [`Comprehension`] it builds (`liveview_session`'s stream iterator implements it).
///
/// ```
/// use liveview_diff::{html, Dynamic, StreamOps, StreamSource};
///
/// struct Rows(Vec<(&'static str, u32)>, StreamOps);
/// struct Iter<'a>(std::slice::Iter<'a, (&'static str, u32)>, &'a StreamOps);
/// impl<'a> Iterator for Iter<'a> {
///     type Item = &'a (&'static str, u32);
///     fn next(&mut self) -> Option<Self::Item> { self.0.next() }
/// }
/// impl StreamSource for Iter<'_> {
///     fn stream_ops(&self) -> StreamOps { self.1.clone() }
/// }
/// impl<'a> IntoIterator for &'a Rows {
///     type Item = &'a (&'static str, u32);
///     type IntoIter = Iter<'a>;
///     fn into_iter(self) -> Iter<'a> { Iter(self.0.iter(), &self.1) }
/// }
///
/// let rows = Rows(vec![("n-1", 1)], StreamOps { reference: "0".into(), ..StreamOps::default() });
/// let list = html! { ul #n phx-update="stream" { @for (id, n) in &rows { li id=(id) { (n) } } } };
/// let Dynamic::Comprehension(c) = &list.dynamics()[0] else { unreachable!() };
/// assert_eq!(c.stream().map(|s| s.reference.as_str()), Some("0"));
/// ```
pub trait StreamSource {
    /// The operations of the stream being iterated.
    fn stream_ops(&self) -> StreamOps;
}

/// Support for the code that `html!` generates. Not public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "macros")]
    pub use liveview_macros::html_impl;
    pub use maud;

    use crate::{Dynamic, Rendered, Text};
    use maud::Render as _;

    /// What a splice `(expr)` can be: anything maud can render (escaped text, or verbatim
    /// `PreEscaped`/`Markup`), or a nested `Rendered` tree.
    pub trait Splice {
        /// The dynamic for this value, rendered through `scratch`.
        fn to_dynamic(&self, scratch: &mut String) -> Dynamic;
    }

    impl<T: maud::Render + ?Sized> Splice for T {
        fn to_dynamic(&self, scratch: &mut String) -> Dynamic {
            scratch.clear();
            self.render_to(scratch);
            Dynamic::Text(Text::new(scratch))
        }
    }

    impl Splice for crate::Cid {
        fn to_dynamic(&self, _: &mut String) -> Dynamic {
            Dynamic::Component(self.get())
        }
    }

    impl Splice for Rendered {
        fn to_dynamic(&self, _: &mut String) -> Dynamic {
            Dynamic::Nested(self.clone())
        }
    }

    /// Finds, by autoref specialisation, the stream operations of what a `@for` iterates:
    /// `(&&StreamProbe(&iter)).stream_ops()` is `Some` for a [`StreamSource`](crate::StreamSource).
    #[derive(Debug)]
    pub struct StreamProbe<'a, T>(pub &'a T);

    /// The stream path of [`StreamProbe`].
    pub trait ProbeStream {
        /// The iterated stream's operations.
        fn stream_ops(&self) -> Option<crate::StreamOps>;
    }

    impl<T: crate::StreamSource> ProbeStream for &StreamProbe<'_, T> {
        fn stream_ops(&self) -> Option<crate::StreamOps> {
            Some(self.0.stream_ops())
        }
    }

    /// The fallback of [`StreamProbe`]: not a stream.
    pub trait ProbeOther {
        /// `None`.
        fn stream_ops(&self) -> Option<crate::StreamOps>;
    }

    impl<T> ProbeOther for StreamProbe<'_, T> {
        fn stream_ops(&self) -> Option<crate::StreamOps> {
            None
        }
    }

    /// A loop's comprehension, with the stream operations of what it iterated.
    pub fn streamed(c: crate::Comprehension, ops: Option<crate::StreamOps>) -> Dynamic {
        Dynamic::Comprehension(match ops {
            Some(ops) => c.with_stream(ops),
            None => c,
        })
    }

    /// The dynamic of a splice.
    pub fn splice<T: Splice + ?Sized>(scratch: &mut String, value: &T) -> Dynamic {
        value.to_dynamic(scratch)
    }

    /// A text dynamic of `prefix`, `value` rendered escaped, and `suffix`.
    pub fn text_with<T: maud::Render + ?Sized>(
        scratch: &mut String,
        prefix: &str,
        value: &T,
        suffix: &str,
    ) -> Dynamic {
        scratch.clear();
        scratch.push_str(prefix);
        value.render_to(scratch);
        scratch.push_str(suffix);
        Dynamic::Text(Text::new(scratch))
    }

    /// Picks, by autoref specialisation, maud's `Render` when the value implements it and
    /// `Display` (escaped) otherwise, as maud 0.27's splices do.
    ///
    /// Body splices and keys are called as `(&&Choose(&value)).method()`, which tries, in
    /// order, an impl for `&Choose` (integers: [`SpliceInt`], [`KeyInt`]), one for `&&Choose`
    /// (`Render`: [`SpliceRender`], [`KeyRender`]) and one for `Choose` (`Display`:
    /// [`SpliceDisplay`]). Attribute splices are called as `(&Choose(&value))`: `Render` for
    /// `Choose`, then `Display` for `&Choose`.
    #[derive(Debug)]
    pub struct Choose<'a, T: ?Sized>(pub &'a T);

    /// The integer path of a body splice: the digits straight into a [`Text`], exactly as
    /// maud renders them (`itoa`), without the scratch buffer.
    pub trait SpliceInt {
        /// The dynamic of the splice.
        fn splice_into(&self, scratch: &mut String) -> Dynamic;
    }

    /// The integer path of a loop key.
    pub trait KeyInt {
        /// The key.
        fn key_into(&self, scratch: &mut String) -> Text;
    }

    macro_rules! int_paths {
        ($($t:ty => |$x:ident| $parts:expr),* $(,)?) => {$(
            impl SpliceInt for &Choose<'_, $t> {
                #[inline]
                fn splice_into(&self, _: &mut String) -> Dynamic {
                    let $x = *self.0;
                    let (negative, magnitude) = $parts;
                    Dynamic::Text(Text::from_int(negative, magnitude))
                }
            }

            impl KeyInt for &Choose<'_, $t> {
                #[inline]
                fn key_into(&self, _: &mut String) -> Text {
                    let $x = *self.0;
                    let (negative, magnitude) = $parts;
                    Text::from_int(negative, magnitude)
                }
            }
        )*};
    }

    int_paths! {
        u8 => |x| (false, u64::from(x)),
        u16 => |x| (false, u64::from(x)),
        u32 => |x| (false, u64::from(x)),
        u64 => |x| (false, x),
        usize => |x| (false, x as u64),
        i8 => |x| (x < 0, i64::from(x).unsigned_abs()),
        i16 => |x| (x < 0, i64::from(x).unsigned_abs()),
        i32 => |x| (x < 0, i64::from(x).unsigned_abs()),
        i64 => |x| (x < 0, x.unsigned_abs()),
        isize => |x| (x < 0, (x as i64).unsigned_abs()),
    }

    /// The `Render` (or nested `Rendered`) path of a body splice.
    pub trait SpliceRender {
        /// The dynamic of the splice.
        fn splice_into(&self, scratch: &mut String) -> Dynamic;
    }

    impl<T: Splice + ?Sized> SpliceRender for &&Choose<'_, T> {
        fn splice_into(&self, scratch: &mut String) -> Dynamic {
            self.0.to_dynamic(scratch)
        }
    }

    /// The `Display` fallback of a body splice.
    pub trait SpliceDisplay {
        /// The dynamic of the splice.
        fn splice_into(&self, scratch: &mut String) -> Dynamic;
    }

    impl<T: std::fmt::Display + ?Sized> SpliceDisplay for Choose<'_, T> {
        fn splice_into(&self, scratch: &mut String) -> Dynamic {
            maud::display(self.0).to_dynamic(scratch)
        }
    }

    /// The `Render` path of a loop key.
    pub trait KeyRender {
        /// The key.
        fn key_into(&self, scratch: &mut String) -> Text;
    }

    impl<T: maud::Render + ?Sized> KeyRender for &&Choose<'_, T> {
        fn key_into(&self, scratch: &mut String) -> Text {
            key(scratch, self.0)
        }
    }

    /// The `Render` path of an attribute splice.
    pub trait TextRender {
        /// The text dynamic `prefix`, the value escaped, `suffix`.
        fn text_into(&self, scratch: &mut String, prefix: &str, suffix: &str) -> Dynamic;
    }

    impl<T: maud::Render + ?Sized> TextRender for Choose<'_, T> {
        fn text_into(&self, scratch: &mut String, prefix: &str, suffix: &str) -> Dynamic {
            text_with(scratch, prefix, self.0, suffix)
        }
    }

    /// The `Display` fallback of an attribute splice.
    pub trait TextDisplay {
        /// The text dynamic `prefix`, the value escaped, `suffix`.
        fn text_into(&self, scratch: &mut String, prefix: &str, suffix: &str) -> Dynamic;
    }

    impl<T: std::fmt::Display + ?Sized> TextDisplay for &Choose<'_, T> {
        fn text_into(&self, scratch: &mut String, prefix: &str, suffix: &str) -> Dynamic {
            text_with(scratch, prefix, &maud::display(self.0), suffix)
        }
    }

    /// The typed-event path of an event attribute (`phx-click=(Msg::Inc)`): the whole
    /// attribute, `name="event"` and a `phx-value-*` per value. Called as
    /// `(&&&Choose(&value)).attr_into(..)`, it comes before [`AttrRender`] and [`AttrDisplay`].
    pub trait AttrEvent {
        /// The text dynamic of the whole attribute, led by a space.
        fn attr_into(&self, scratch: &mut String, name: &str) -> Dynamic;
    }

    impl<T: crate::EventBinding + ?Sized> AttrEvent for &&Choose<'_, T> {
        fn attr_into(&self, scratch: &mut String, name: &str) -> Dynamic {
            scratch.clear();
            scratch.push(' ');
            scratch.push_str(name);
            scratch.push_str("=\"");
            self.0.event_name().render_to(scratch);
            scratch.push('"');
            for (field, text) in self.0.event_values() {
                scratch.push_str(" phx-value-");
                field.render_to(scratch);
                scratch.push_str("=\"");
                text.render_to(scratch);
                scratch.push('"');
            }
            Dynamic::Text(Text::new(scratch))
        }
    }

    /// The `Render` path of an event attribute: ` name="value"`, escaped.
    pub trait AttrRender {
        /// The text dynamic of the whole attribute, led by a space.
        fn attr_into(&self, scratch: &mut String, name: &str) -> Dynamic;
    }

    impl<T: maud::Render + ?Sized> AttrRender for &Choose<'_, T> {
        fn attr_into(&self, scratch: &mut String, name: &str) -> Dynamic {
            scratch.clear();
            scratch.push(' ');
            scratch.push_str(name);
            scratch.push_str("=\"");
            self.0.render_to(scratch);
            scratch.push('"');
            Dynamic::Text(Text::new(scratch))
        }
    }

    /// The `Display` fallback of an event attribute.
    pub trait AttrDisplay {
        /// The text dynamic of the whole attribute, led by a space.
        fn attr_into(&self, scratch: &mut String, name: &str) -> Dynamic;
    }

    impl<T: std::fmt::Display + ?Sized> AttrDisplay for Choose<'_, T> {
        fn attr_into(&self, scratch: &mut String, name: &str) -> Dynamic {
            scratch.clear();
            scratch.push(' ');
            scratch.push_str(name);
            scratch.push_str("=\"");
            maud::display(self.0).render_to(scratch);
            scratch.push('"');
            Dynamic::Text(Text::new(scratch))
        }
    }

    /// A comprehension key: the value as maud renders it (integers, strings, anything that
    /// implements `maud::Render`).
    pub fn key<T: maud::Render + ?Sized>(scratch: &mut String, value: &T) -> Text {
        scratch.clear();
        value.render_to(scratch);
        Text::new(scratch)
    }

    /// Renders `value` escaped (through maud's `Render`) and appends it to `out`.
    pub fn render_to<T: maud::Render + ?Sized>(value: &T, out: &mut String) {
        value.render_to(out);
    }
}
