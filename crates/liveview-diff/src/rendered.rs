//! The render tree: what a template produces, before any diffing.
//!
//! A [`Rendered`] pairs a compile-time [`Template`] (the static HTML between the holes, with a
//! fingerprint) with the positional [`Dynamic`] values that fill the holes. `@if`/`@match`
//! branches are nested `Rendered` values with their own templates, `@for` loops are
//! [`Comprehension`]s whose template is sent once and whose rows carry only dynamics.

use std::fmt;

/// The static parts of a template, known at compile time, and their fingerprint.
///
/// A template with `n` holes has `n + 1` statics. The fingerprint identifies the statics: two
/// renders with the same fingerprint differ only in their dynamics, so the diff engine sends the
/// statics once and afterwards only the dynamics that changed.
///
/// `html!` emits one `static` template per element tree, branch and loop body; the fingerprint
/// is computed by the `const fn` [`Template::new`] while compiling.
///
/// ```
/// use liveview_diff::Template;
///
/// static COUNTER: Template = Template::new(&["<span id=\"count\">", "</span>"]);
/// assert_eq!(COUNTER.statics().len(), 2);
/// assert_eq!(COUNTER.fingerprint(), Template::new(&["<span id=\"count\">", "</span>"]).fingerprint());
/// ```
#[derive(Clone, Copy)]
pub struct Template {
    statics: &'static [&'static str],
    fingerprint: u64,
    root: bool,
}

impl Template {
    /// Creates a template from its statics, hashing them into a fingerprint at compile time.
    pub const fn new(statics: &'static [&'static str]) -> Self {
        Self {
            statics,
            fingerprint: fingerprint(statics),
            root: false,
        }
    }

    /// [`Template::new`] for a template that is one element with its body (`html!` emits it
    /// for `html! { div { … } }`): what a live component's template must be.
    ///
    /// ```
    /// use liveview_diff::html;
    ///
    /// assert!(html! { div.row { "a" (1) } }.template().is_root());
    /// assert!(!html! { div {} div {} }.template().is_root());
    /// assert!(!html! { "text" }.template().is_root());
    /// ```
    pub const fn new_root(statics: &'static [&'static str]) -> Self {
        Self {
            statics,
            fingerprint: fingerprint(statics),
            root: true,
        }
    }

    /// Whether the template is a single element ([`Template::new_root`]).
    pub const fn is_root(&self) -> bool {
        self.root
    }

    /// The static HTML pieces; there is one more of them than there are holes.
    pub const fn statics(&self) -> &'static [&'static str] {
        self.statics
    }

    /// The number of dynamic holes.
    pub const fn holes(&self) -> usize {
        self.statics.len().saturating_sub(1)
    }

    /// The 64-bit FNV-1a fingerprint of the statics (lengths included, so that
    /// `["a", "b"]` and `["ab"]` differ).
    pub const fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.fingerprint == other.fingerprint && self.statics == other.statics
    }
}

impl Eq for Template {}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("statics", &self.statics)
            .field("fingerprint", &format_args!("{:#018x}", self.fingerprint))
            .finish()
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

const fn fnv_byte(hash: u64, byte: u8) -> u64 {
    (hash ^ byte as u64).wrapping_mul(FNV_PRIME)
}

const fn fingerprint(statics: &[&str]) -> u64 {
    let mut hash = FNV_OFFSET;
    let mut i = 0;
    while i < statics.len() {
        let bytes = statics[i].as_bytes();
        let len = bytes.len() as u64;
        let mut shift = 0;
        while shift < 64 {
            hash = fnv_byte(hash, (len >> shift) as u8);
            shift += 8;
        }
        let mut j = 0;
        while j < bytes.len() {
            hash = fnv_byte(hash, bytes[j]);
            j += 1;
        }
        i += 1;
    }
    hash
}

/// One rendered template: a [`Template`] and the values of its holes, in order.
///
/// Built by `html!`; built by hand in tests and in code that renders without the macro.
///
/// ```
/// use liveview_diff::{Dynamic, Rendered, Template};
///
/// static T: Template = Template::new(&["<p>Hello, ", "!</p>"]);
/// let page = Rendered::new(&T, vec![Dynamic::text("world")]);
/// assert_eq!(page.to_html(), "<p>Hello, world!</p>");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    template: &'static Template,
    /// A boxed slice, not a `Vec`: one word less in every nested [`Dynamic`].
    dynamics: Box<[Dynamic]>,
}

impl Rendered {
    /// Pairs a template with its dynamics.
    ///
    /// # Panics
    ///
    /// In debug builds, when the number of dynamics is not the template's number of holes
    /// (`html!` always gets this right).
    pub fn new(template: &'static Template, dynamics: Vec<Dynamic>) -> Self {
        debug_assert_eq!(
            template.holes(),
            dynamics.len(),
            "a template with {} holes was given {} dynamics",
            template.holes(),
            dynamics.len()
        );
        // `html!` allocates exactly `holes` dynamics, so this does not reallocate.
        Self {
            template,
            dynamics: dynamics.into_boxed_slice(),
        }
    }

    /// The template this tree was rendered from.
    pub fn template(&self) -> &'static Template {
        self.template
    }

    /// The dynamic values, one per hole.
    pub fn dynamics(&self) -> &[Dynamic] {
        &self.dynamics
    }

    /// The full HTML of this tree, as the dead render serves it.
    pub fn to_html(&self) -> String {
        let mut out = String::with_capacity(self.size_hint());
        self.write_html(&mut out);
        out
    }

    /// Appends the full HTML of this tree to `out`.
    pub fn write_html(&self, out: &mut String) {
        write_interleaved(self.template.statics, &self.dynamics, out);
    }

    /// Appends the full HTML of this tree to `out`, with each live component's HTML (from
    /// `component`, by CID) where the component is placed: the dead render of a view with
    /// components. A CID `component` does not know renders nothing.
    pub fn write_html_with<'r>(
        &self,
        out: &mut String,
        component: &dyn Fn(u32) -> Option<&'r Rendered>,
    ) {
        for (i, s) in self.template.statics.iter().enumerate() {
            out.push_str(s);
            if let Some(d) = self.dynamics.get(i) {
                d.write_html_with(out, component);
            }
        }
    }

    fn size_hint(&self) -> usize {
        self.template.statics.iter().map(|s| s.len()).sum::<usize>() + 16 * self.dynamics.len()
    }
}

fn write_interleaved(statics: &[&str], dynamics: &[Dynamic], out: &mut String) {
    for (i, s) in statics.iter().enumerate() {
        out.push_str(s);
        if let Some(d) = dynamics.get(i) {
            d.write_html(out);
        }
    }
}

const INLINE: usize = 22;

/// A short string stored inline (no allocation up to 22 bytes), or a boxed one.
///
/// Most dynamics are short (numbers, names, ids), so rendering a page of them allocates little;
/// this is what keeps a render + diff close to the cost of a plain maud render.
///
/// ```
/// use liveview_diff::Text;
///
/// let t = Text::from("row-42");
/// assert_eq!(t.as_str(), "row-42");
/// assert_eq!(Text::from("x".repeat(100)).as_str().len(), 100);
/// ```
#[derive(Clone)]
pub struct Text(TextRepr);

#[derive(Clone)]
enum TextRepr {
    Inline { len: u8, buf: [u8; INLINE] },
    Heap(Box<str>),
}

impl Text {
    /// Copies `s`, inline when it is short.
    #[inline]
    pub fn new(s: &str) -> Self {
        let b = s.as_bytes();
        let n = b.len();
        if n <= INLINE {
            // Two overlapping copies of a fixed size instead of a call to `memcpy` with a
            // variable length: this runs for every dynamic of every render.
            // (Whole words read and written: written as three alike `copy_from_slice` branches,
            // LLVM merges them back into one `memcpy` of a variable length.)
            let mut buf = [0; INLINE];
            if n >= 16 {
                buf[..16].copy_from_slice(&b[..16]);
                buf[n - 16..][..16].copy_from_slice(&b[n - 16..][..16]);
            } else if n >= 8 {
                let head = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                let t = &b[n - 8..];
                let tail = u64::from_le_bytes([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]]);
                buf[n - 8..][..8].copy_from_slice(&tail.to_le_bytes());
                buf[..8].copy_from_slice(&head.to_le_bytes());
            } else if n >= 4 {
                let head = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                let t = &b[n - 4..];
                let tail = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
                buf[n - 4..][..4].copy_from_slice(&tail.to_le_bytes());
                buf[..4].copy_from_slice(&head.to_le_bytes());
            } else if n > 0 {
                // One to three bytes: first, middle and last cover them all.
                buf[0] = b[0];
                buf[n / 2] = b[n / 2];
                buf[n - 1] = b[n - 1];
            }
            Self(TextRepr::Inline { len: n as u8, buf })
        } else {
            Self(TextRepr::Heap(s.into()))
        }
    }

    /// The decimal digits of `magnitude`, after a `-` when `negative`: what `itoa` (maud's
    /// `Render`) and `Display` print for an integer. Always inline (at most 21 bytes).
    #[inline]
    pub(crate) fn from_int(negative: bool, magnitude: u64) -> Self {
        // "00" to "99": two digits per division, as `itoa` does.
        const PAIRS: &[u8; 200] = b"\
            0001020304050607080910111213141516171819\
            2021222324252627282930313233343536373839\
            4041424344454647484950515253545556575859\
            6061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899";
        // Small numbers (ids, counts) are the common case: a few comparisons beat `ilog10`.
        let digits = match magnitude {
            0..=9 => 1,
            10..=99 => 2,
            100..=999 => 3,
            1_000..=9_999 => 4,
            m => m.ilog10() as usize + 1,
        };
        let len = digits + usize::from(negative);
        let mut buf = [0; INLINE];
        if negative {
            buf[0] = b'-';
        }
        let mut m = magnitude;
        let mut end = len;
        while m >= 100 {
            let pair = (m % 100) as usize * 2;
            m /= 100;
            buf[end - 2] = PAIRS[pair];
            buf[end - 1] = PAIRS[pair + 1];
            end -= 2;
        }
        if m >= 10 {
            let pair = m as usize * 2;
            buf[end - 2] = PAIRS[pair];
            buf[end - 1] = PAIRS[pair + 1];
        } else {
            buf[end - 1] = b'0' + m as u8;
        }
        Self(TextRepr::Inline {
            len: len as u8,
            buf,
        })
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Built from a whole `&str`, so the bytes are valid UTF-8 up to `len`.
            TextRepr::Inline { len, buf } => {
                std::str::from_utf8(&buf[..usize::from(*len)]).unwrap_or_default()
            }
            TextRepr::Heap(s) => s,
        }
    }

    /// The bytes of the string (no UTF-8 check, for comparisons).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            TextRepr::Inline { len, buf } => &buf[..usize::from(*len)],
            TextRepr::Heap(s) => s.as_bytes(),
        }
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        // Short strings are always inline and zero-padded, so comparing the whole inline buffer
        // is exact (and needs no call to memcmp).
        match (&self.0, &other.0) {
            (TextRepr::Inline { len: a, buf: x }, TextRepr::Inline { len: b, buf: y }) => {
                a == b && x == y
            }
            (TextRepr::Heap(x), TextRepr::Heap(y)) => x == y,
            _ => false,
        }
    }
}

impl Eq for Text {}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        if s.len() <= INLINE {
            Self::new(&s)
        } else {
            Self(TextRepr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Self {
        Self::new(s)
    }
}

/// A live component's id in its view (its CID), numbered from 1 in render order.
///
/// Spliced into a template's body it places the component there (`Dynamic::Component`);
/// spliced into an attribute it renders as its number, which is what `phx-target` takes to
/// send an event to the component itself (Phoenix's `@myself`).
///
/// ```
/// use liveview_diff::{html, Cid, Dynamic};
///
/// let myself = Cid::new(3);
/// let button = html! { button phx-click="inc" phx-target=(myself) { "+" } };
/// assert_eq!(button.to_html(), r#"<button phx-click="inc" phx-target="3">+</button>"#);
/// let slot = html! { div { (myself) } };
/// assert_eq!(slot.dynamics(), &[Dynamic::Component(3)]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cid(u32);

impl Cid {
    /// The component id `n`.
    pub const fn new(n: u32) -> Self {
        Self(n)
    }

    /// Its number.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Cid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<Cid> for Dynamic {
    fn from(c: Cid) -> Self {
        Self::Component(c.0)
    }
}

/// The value of one hole in a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dynamic {
    /// An HTML fragment, already escaped (text splices go through maud's escaper; a
    /// `PreEscaped` or `Markup` splice is kept verbatim). Always a JSON string on the wire.
    Text(Text),
    /// A nested tree with its own template: an `@if`/`@match` branch or a spliced `Rendered`.
    Nested(Rendered),
    /// A loop: statics once, one row of dynamics per item.
    Comprehension(Comprehension),
    /// A reference to a live component by its id (CID); a JSON integer on the wire.
    Component(u32),
}

impl Dynamic {
    /// A text dynamic from an already escaped HTML fragment.
    pub fn text(html: impl Into<Text>) -> Self {
        Self::Text(html.into())
    }

    /// The empty dynamic, used for an `@if` whose condition is false and which has no `@else`.
    pub const fn empty() -> Self {
        Self::Text(Text(TextRepr::Inline {
            len: 0,
            buf: [0; INLINE],
        }))
    }

    /// Appends this value's HTML to `out`. Component references render nothing here: their
    /// HTML belongs to the component registry of a later milestone.
    pub fn write_html(&self, out: &mut String) {
        match self {
            Self::Text(s) => out.push_str(s.as_str()),
            Self::Nested(r) => r.write_html(out),
            Self::Comprehension(c) => c.write_html(out),
            Self::Component(_) => {}
        }
    }
}

impl Dynamic {
    /// [`Dynamic::write_html`], with components resolved by `component` (see
    /// [`Rendered::write_html_with`]).
    pub fn write_html_with<'r>(
        &self,
        out: &mut String,
        component: &dyn Fn(u32) -> Option<&'r Rendered>,
    ) {
        match self {
            Self::Text(s) => out.push_str(s.as_str()),
            Self::Nested(r) => r.write_html_with(out, component),
            Self::Comprehension(c) => {
                for row in c.rows() {
                    let statics = c.template().statics();
                    for (i, s) in statics.iter().enumerate() {
                        out.push_str(s);
                        if let Some(d) = row.dynamics().get(i) {
                            d.write_html_with(out, component);
                        }
                    }
                }
            }
            Self::Component(cid) => {
                if let Some(r) = component(*cid) {
                    r.write_html_with(out, component);
                }
            }
        }
    }
}

impl From<Rendered> for Dynamic {
    fn from(r: Rendered) -> Self {
        Self::Nested(r)
    }
}

impl From<Comprehension> for Dynamic {
    fn from(c: Comprehension) -> Self {
        Self::Comprehension(c)
    }
}

/// A rendered loop: one template shared by every row, and the rows.
///
/// The rows' dynamics are stored in one flat vector (row after row), so a loop of a thousand
/// rows costs one allocation, not a thousand.
///
/// ```
/// use liveview_diff::{Comprehension, Dynamic, Entry, Template};
///
/// static ROW: Template = Template::new(&["<li>", "</li>"]);
/// let list = Comprehension::new(&ROW, vec![
///     Entry::keyed("a", vec![Dynamic::text("A")]),
///     Entry::keyed("b", vec![Dynamic::text("B")]),
/// ]);
/// let mut html = String::new();
/// list.write_html(&mut html);
/// assert_eq!(html, "<li>A</li><li>B</li>");
/// assert_eq!(list.row(1).key().map(|k| k.as_str()), Some("b"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Comprehension(Box<Rows>);

/// The contents of a [`Comprehension`], boxed so that a [`Dynamic`] stays small (a loop is one
/// dynamic among many texts, and every dynamic is as large as its largest variant).
#[derive(Clone, PartialEq, Eq)]
struct Rows {
    template: &'static Template,
    /// One key per row, or none at all (rows matched by position).
    keys: Vec<Text>,
    rows: usize,
    dynamics: Vec<Dynamic>,
    /// A streamed loop's operations: its rows are only the items inserted since the last
    /// render, and the client keeps the others in the DOM.
    stream: Option<Box<StreamOps>>,
}

/// What a streamed loop tells the client besides its new rows (Phoenix's `stream` key):
/// where each inserted row goes, which DOM ids to remove, and whether to reset first.
///
/// ```
/// use liveview_diff::{StreamInsert, StreamOps};
///
/// let ops = StreamOps {
///     reference: "0".into(),
///     inserts: vec![StreamInsert { dom_id: "songs-1".into(), at: -1, limit: None, update_only: false }],
///     deletes: vec!["songs-7".into()],
///     reset: false,
/// };
/// assert!(!ops.is_empty());
/// assert!(StreamOps { reference: "0".into(), ..StreamOps::default() }.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamOps {
    /// The stream's reference in its view (`"0"`, `"1"`, … and `"<cid>-<n>"` in components).
    pub reference: String,
    /// One per new row, in the rows' order.
    pub inserts: Vec<StreamInsert>,
    /// DOM ids to remove.
    pub deletes: Vec<String>,
    /// Remove every item the client holds before inserting.
    pub reset: bool,
}

impl StreamOps {
    /// Nothing to insert, delete or reset: an unchanged stream, which sends nothing.
    pub fn is_empty(&self) -> bool {
        self.inserts.is_empty() && self.deletes.is_empty() && !self.reset
    }
}

/// Where one inserted stream row goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamInsert {
    /// The row's DOM id (its root element's `id`).
    pub dom_id: String,
    /// Its position: `-1` appends, `0` prepends, `n` inserts before the n-th item.
    pub at: i64,
    /// Keep at most this many items after inserting (negative: the last ones).
    pub limit: Option<i64>,
    /// Only update the row if the client has it; never insert it.
    pub update_only: bool,
}

impl fmt::Debug for Comprehension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Comprehension")
            .field("template", &self.0.template)
            .field("keys", &self.0.keys)
            .field("rows", &self.0.rows)
            .field("dynamics", &self.0.dynamics)
            .field("stream", &self.0.stream)
            .finish()
    }
}

impl Comprehension {
    /// A comprehension of `entries`, each filling `template`'s holes.
    ///
    /// # Panics
    ///
    /// In debug builds, when some entries have keys and others do not.
    pub fn new(template: &'static Template, entries: Vec<Entry>) -> Self {
        let rows = entries.len();
        let keyed = entries.iter().filter(|e| e.key.is_some()).count();
        debug_assert!(
            keyed == 0 || keyed == rows,
            "either every comprehension entry has a key or none has"
        );
        let mut keys = Vec::with_capacity(keyed);
        let mut dynamics = Vec::with_capacity(rows * template.holes());
        for e in entries {
            keys.extend(e.key);
            dynamics.extend(e.dynamics);
        }
        Self::from_rows(template, keys, rows, dynamics)
    }

    /// A comprehension of `rows` rows whose dynamics are `dynamics`, row after row, with one
    /// key per row in `keys` (or no keys). This is what `html!` builds.
    pub fn from_rows(
        template: &'static Template,
        keys: Vec<Text>,
        rows: usize,
        dynamics: Vec<Dynamic>,
    ) -> Self {
        debug_assert_eq!(
            dynamics.len(),
            rows * template.holes(),
            "every comprehension row must fill the template's {} holes",
            template.holes()
        );
        debug_assert!(keys.is_empty() || keys.len() == rows);
        Self(Box::new(Rows {
            template,
            keys,
            rows,
            dynamics,
            stream: None,
        }))
    }

    /// This loop as a stream's rows, with the stream's operations.
    pub fn with_stream(mut self, ops: StreamOps) -> Self {
        self.0.stream = Some(Box::new(ops));
        self
    }

    /// The stream operations of a streamed loop.
    pub fn stream(&self) -> Option<&StreamOps> {
        self.0.stream.as_deref()
    }

    /// The template shared by every row.
    pub fn template(&self) -> &'static Template {
        self.0.template
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.0.rows
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.0.rows == 0
    }

    /// The keys, one per row, or none when the loop has no keys.
    pub(crate) fn keys(&self) -> &[Text] {
        &self.0.keys
    }

    /// Every row's dynamics, row after row.
    pub(crate) fn flat_dynamics(&self) -> &[Dynamic] {
        &self.0.dynamics
    }

    /// Row `i`.
    ///
    /// # Panics
    ///
    /// When `i` is out of bounds.
    pub fn row(&self, i: usize) -> Row<'_> {
        let holes = self.0.template.holes();
        Row {
            key: self.0.keys.get(i),
            dynamics: &self.0.dynamics[i * holes..(i + 1) * holes],
        }
    }

    /// The rows, in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + '_ {
        (0..self.0.rows).map(|i| self.row(i))
    }

    /// The rows as owned entries (for inspection and tests; the renderer uses [`rows`]).
    ///
    /// [`rows`]: Comprehension::rows
    pub fn entries(&self) -> Vec<Entry> {
        self.rows()
            .map(|r| Entry {
                key: r.key.cloned(),
                dynamics: r.dynamics.to_vec(),
            })
            .collect()
    }

    /// Appends the HTML of every row to `out`.
    pub fn write_html(&self, out: &mut String) {
        for r in self.rows() {
            write_interleaved(self.0.template.statics, r.dynamics, out);
        }
    }
}

/// A borrowed row of a [`Comprehension`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    key: Option<&'a Text>,
    dynamics: &'a [Dynamic],
}

impl<'a> Row<'a> {
    /// The row's key, if the loop has keys.
    pub fn key(&self) -> Option<&'a Text> {
        self.key
    }

    /// The row's dynamics.
    pub fn dynamics(&self) -> &'a [Dynamic] {
        self.dynamics
    }
}

/// One row of a [`Comprehension`]: its dynamics and an optional key.
///
/// Rows with keys are matched across renders by key, so reordering sends moves (`km`) instead
/// of new content; rows without keys are matched by position, as Phoenix does without `:key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    key: Option<Text>,
    dynamics: Vec<Dynamic>,
}

impl Entry {
    /// A row matched by its position.
    pub fn new(dynamics: Vec<Dynamic>) -> Self {
        Self {
            key: None,
            dynamics,
        }
    }

    /// A row matched by `key` across renders.
    pub fn keyed(key: impl Into<Text>, dynamics: Vec<Dynamic>) -> Self {
        Self {
            key: Some(key.into()),
            dynamics,
        }
    }

    /// The row's key, if it has one.
    pub fn key(&self) -> Option<&str> {
        self.key.as_ref().map(Text::as_str)
    }

    /// The row's key as bytes (cheaper to compare than [`Entry::key`]).
    pub fn key_bytes(&self) -> Option<&[u8]> {
        self.key.as_ref().map(Text::as_bytes)
    }

    /// The row's dynamics.
    pub fn dynamics(&self) -> &[Dynamic] {
        &self.dynamics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dynamic_is_four_words() {
        // Every hole of every render is one `Dynamic`: its size is the tree's memory traffic.
        assert!(std::mem::size_of::<Dynamic>() <= 32);
        assert_eq!(std::mem::size_of::<Text>(), 24);
    }

    #[test]
    fn texts_of_every_short_length_round_trip() {
        let s = "abcdefghijklmnopqrstuvwxyz";
        for n in 0..=s.len() {
            let t = Text::new(&s[..n]);
            assert_eq!(t.as_str(), &s[..n]);
            assert_eq!(t, Text::from(s[..n].to_owned()));
        }
        assert_eq!(Text::from_int(true, 0).as_str(), "-0");
        assert_eq!(
            Text::from_int(false, u64::MAX).as_str(),
            u64::MAX.to_string()
        );
        let mut n = 1u64;
        for _ in 0..20 {
            for m in [n - 1, n, n + 1, n.saturating_mul(7) / 3] {
                assert_eq!(Text::from_int(false, m).as_str(), m.to_string());
                assert_eq!(Text::from_int(true, m).as_str(), format!("-{m}"));
            }
            n = n.saturating_mul(10);
        }
    }

    #[test]
    fn fingerprint_distinguishes_split_points() {
        assert_ne!(
            Template::new(&["a", "b"]).fingerprint(),
            Template::new(&["ab"]).fingerprint()
        );
        assert_ne!(
            Template::new(&["ab", ""]).fingerprint(),
            Template::new(&["a", "b"]).fingerprint()
        );
    }

    #[test]
    fn fingerprint_is_computed_at_compile_time() {
        const FP: u64 = Template::new(&["<p>", "</p>"]).fingerprint();
        assert_eq!(FP, Template::new(&["<p>", "</p>"]).fingerprint());
    }

    #[test]
    fn renders_nested_trees_and_rows_in_order() {
        static OUTER: Template = Template::new(&["<div>", "|", "</div>"]);
        static INNER: Template = Template::new(&["<b>", "</b>"]);
        static ROW: Template = Template::new(&["<i>", "</i>"]);
        let r = Rendered::new(
            &OUTER,
            vec![
                Rendered::new(&INNER, vec![Dynamic::text("x")]).into(),
                Comprehension::new(
                    &ROW,
                    vec![
                        Entry::new(vec![Dynamic::text("1")]),
                        Entry::new(vec![Dynamic::text("2")]),
                    ],
                )
                .into(),
            ],
        );
        assert_eq!(r.to_html(), "<div><b>x</b>|<i>1</i><i>2</i></div>");
    }
}
