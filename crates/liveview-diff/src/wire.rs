//! The wire format of Phoenix LiveView 1.2 rendered trees and diffs: the only Rust file that
//! spells wire keys.
//!
//! Keys (PROTOCOL.md §4.1), with literal values:
//!
//! | constant | key | example |
//! |---|---|---|
//! | [`STATICS`] | `s` | `{"0":"1","s":["<b>","</b>"]}`; or `"s":0`, an index into `p` |
//! | [`TEMPLATES`] | `p` | `{"0":{"0":"A","s":0},"1":{"0":"B","s":0},"p":{"0":["<i>","</i>"]}}` |
//! | [`KEYED`] | `k` | `{"k":{"0":{"0":"A"},"1":1,"kc":2,"km":true}}` |
//! | [`KEYED_COUNT`] | `kc` | the number of entries after the diff |
//! | [`KEYED_MOVED`] | `km` | `true` whenever an entry is an integer or a `[old, diff]` pair |
//! | [`COMPONENTS`] | `c` | `{"c":{"1":{"0":"x","r":1,"s":["<p>","</p>"]}}}` |
//! | [`TITLE`] | `t` | `{"t":"Counter 1"}` |
//! | [`EVENTS`] | `e` | `{"e":[["highlight",{"id":"b"}],["early",{},true]]}` |
//! | [`REPLY`] | `r` | at the top level of a diff: a hook's reply; nested `"r":1`: the root flag |
//! | [`STREAM`] | `stream` | `["0",[["songs-1",-1,null,false]],[]]` |
//!
//! Text is always a JSON string; integers are component ids. Encoding goes straight from the
//! [`Diff`] to bytes, without an intermediate `serde_json::Value`.

use crate::diff::{Changes, Diff, DynDiff, EntryOp, Extras, KeyedDiff, NodeDiff};
use crate::rendered::{Comprehension, Dynamic, Rendered, Row, StreamOps, Template};

/// Statics: an array of strings, or an integer index into the diff's templates.
pub const STATICS: &str = "s";
/// Templates shared by the nodes of one diff, renumbered from 0 in every diff.
pub const TEMPLATES: &str = "p";
/// Keyed comprehension entries.
pub const KEYED: &str = "k";
/// The number of comprehension entries after the diff.
pub const KEYED_COUNT: &str = "kc";
/// Present (and `true`) when comprehension entries moved.
pub const KEYED_MOVED: &str = "km";
/// Live components by id, top level only.
pub const COMPONENTS: &str = "c";
/// The page title, top level only.
pub const TITLE: &str = "t";
/// Pushed events, top level only.
pub const EVENTS: &str = "e";
/// The reply to a hook at the top level; the root flag (`1`) on nested nodes.
pub const REPLY: &str = "r";
/// Stream operations on a comprehension.
pub const STREAM: &str = "stream";
/// The LiveView client version our server speaks; sent as `liveview_version` in join replies.
pub const LIVEVIEW_VERSION: &str = "1.2.12";

/// Writes one diff; templates used more than once in it go to a top-level `p`, the others
/// inline, whichever is shorter on the wire.
pub(crate) struct Encoder {
    out: String,
    /// Templates used by full nodes in this diff, in order of first use, with their use count.
    templates: Vec<(&'static Template, usize)>,
    /// The `p` index of each template used more than once, assigned on first write.
    indices: Vec<Option<usize>>,
    next_index: usize,
}

impl Encoder {
    pub(crate) fn new(diff: &Diff<'_>) -> Self {
        Self::with_buffer(diff, String::with_capacity(64))
    }

    /// An encoder appending to `out` (a frame already begun, say).
    pub(crate) fn with_buffer(diff: &Diff<'_>, out: String) -> Self {
        let mut templates = Vec::new();
        if let Some(root) = &diff.root {
            count_node(root, &mut templates);
        }
        let indices = vec![None; templates.len()];
        Self {
            out,
            templates,
            indices,
            next_index: 0,
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }

    pub(crate) fn write_top(&mut self, diff: &Diff<'_>, extras: &Extras<'_>) {
        self.write_top_with(diff, "", extras);
    }

    /// The top-level object; `components` is the body of the `c` object (`"1":{…},"2":{…}`),
    /// already encoded by [`encode_component`], or empty for none.
    pub(crate) fn write_top_with(
        &mut self,
        diff: &Diff<'_>,
        components: &str,
        extras: &Extras<'_>,
    ) {
        self.out.push('{');
        let mut first = true;
        match &diff.root {
            Some(NodeDiff::Full(r)) => self.write_rendered_fields(r, &mut first),
            Some(NodeDiff::Changes(c)) => self.write_changes_fields(c, &mut first),
            None => {}
        }
        if !components.is_empty() {
            self.key(COMPONENTS, &mut first);
            self.out.push('{');
            self.out.push_str(components);
            self.out.push('}');
        }
        if self.next_index > 0 {
            self.key(TEMPLATES, &mut first);
            self.out.push('{');
            let mut by_index: Vec<(usize, &'static Template)> = self
                .indices
                .iter()
                .zip(&self.templates)
                .filter_map(|(i, (t, _))| i.map(|i| (i, *t)))
                .collect();
            by_index.sort_unstable_by_key(|(i, _)| *i);
            for (n, (i, t)) in by_index.into_iter().enumerate() {
                if n > 0 {
                    self.out.push(',');
                }
                self.out.push('"');
                push_usize(&mut self.out, i);
                self.out.push_str("\":");
                self.write_statics_array(t);
            }
            self.out.push('}');
        }
        if let Some(title) = extras.title {
            self.key(TITLE, &mut first);
            push_json_str(&mut self.out, title);
        }
        if !extras.events.is_empty() {
            self.key(EVENTS, &mut first);
            self.out.push('[');
            for (n, e) in extras.events.iter().enumerate() {
                if n > 0 {
                    self.out.push(',');
                }
                self.out.push('[');
                push_json_str(&mut self.out, &e.name);
                self.out.push(',');
                self.out.push_str(&e.payload.to_string());
                if e.before_patch {
                    self.out.push_str(",true");
                }
                self.out.push(']');
            }
            self.out.push(']');
        }
        if let Some(reply) = extras.reply {
            self.key(REPLY, &mut first);
            self.out.push_str(&reply.to_string());
        }
        self.out.push('}');
    }

    fn key(&mut self, key: &str, first: &mut bool) {
        if !*first {
            self.out.push(',');
        }
        *first = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    fn index_key(&mut self, i: usize, first: &mut bool) {
        if !*first {
            self.out.push(',');
        }
        *first = false;
        self.out.push('"');
        push_usize(&mut self.out, i);
        self.out.push_str("\":");
    }

    /// `"0":…,"1":…,"s":…` of a full node.
    fn write_rendered_fields(&mut self, r: &Rendered, first: &mut bool) {
        for (i, d) in r.dynamics().iter().enumerate() {
            self.index_key(i, first);
            self.write_dynamic(d);
        }
        self.key(STATICS, first);
        self.write_statics(r.template());
    }

    fn write_changes_fields(&mut self, changes: &Changes<'_>, first: &mut bool) {
        for (i, d) in changes {
            self.index_key(*i, first);
            match d {
                DynDiff::Whole(d) => self.write_dynamic(d),
                DynDiff::Node(c) => {
                    self.out.push('{');
                    let mut f = true;
                    self.write_changes_fields(c, &mut f);
                    self.out.push('}');
                }
                DynDiff::Keyed(k) => self.write_keyed_diff(k),
                DynDiff::Stream(c) => self.write_stream_diff(c),
            }
        }
    }

    /// A streamed loop whose statics the client holds: its rows in full at positions from 0,
    /// and the stream operations.
    fn write_stream_diff(&mut self, c: &Comprehension) {
        self.out.push('{');
        self.write_rows(c);
        if let Some(ops) = c.stream() {
            self.write_stream_ops(ops);
        }
        self.out.push('}');
    }

    /// `,"stream":[ref,[[dom_id,at,limit,update_only],…],[deleted…](,true)]`.
    fn write_stream_ops(&mut self, ops: &StreamOps) {
        self.out.push_str(",\"");
        self.out.push_str(STREAM);
        self.out.push_str("\":[");
        push_json_str(&mut self.out, &ops.reference);
        self.out.push_str(",[");
        for (i, ins) in ops.inserts.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push('[');
            push_json_str(&mut self.out, &ins.dom_id);
            self.out.push(',');
            push_i64(&mut self.out, ins.at);
            self.out.push(',');
            match ins.limit {
                Some(l) => push_i64(&mut self.out, l),
                None => self.out.push_str("null"),
            }
            self.out
                .push_str(if ins.update_only { ",true]" } else { ",false]" });
        }
        self.out.push_str("],[");
        for (i, id) in ops.deletes.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_json_str(&mut self.out, id);
        }
        self.out.push(']');
        if ops.reset {
            self.out.push_str(",true");
        }
        self.out.push(']');
    }

    fn write_dynamic(&mut self, d: &Dynamic) {
        match d {
            Dynamic::Text(s) => push_json_str(&mut self.out, s.as_str()),
            Dynamic::Component(cid) => push_usize(&mut self.out, *cid as usize),
            Dynamic::Nested(r) => {
                self.out.push('{');
                let mut f = true;
                self.write_rendered_fields(r, &mut f);
                self.out.push('}');
            }
            Dynamic::Comprehension(c) => self.write_comprehension(c),
        }
    }

    /// `"k":{"0":{…},…,"kc":n}`: every row of `c` in full, from position 0.
    fn write_rows(&mut self, c: &Comprehension) {
        self.out.push('"');
        self.out.push_str(KEYED);
        self.out.push_str("\":{");
        let mut f = true;
        for (i, r) in c.rows().enumerate() {
            self.index_key(i, &mut f);
            self.write_entry(r);
        }
        self.key(KEYED_COUNT, &mut f);
        push_usize(&mut self.out, c.len());
        self.out.push('}');
    }

    fn write_comprehension(&mut self, c: &Comprehension) {
        self.out.push('{');
        self.write_rows(c);
        self.out.push_str(",\"");
        self.out.push_str(STATICS);
        self.out.push_str("\":");
        self.write_statics(c.template());
        if let Some(ops) = c.stream() {
            self.write_stream_ops(ops);
        }
        self.out.push('}');
    }

    fn write_entry(&mut self, e: Row<'_>) {
        self.out.push('{');
        let mut f = true;
        for (i, d) in e.dynamics().iter().enumerate() {
            self.index_key(i, &mut f);
            self.write_dynamic(d);
        }
        self.out.push('}');
    }

    fn write_keyed_diff(&mut self, k: &KeyedDiff<'_>) {
        self.out.push_str("{\"");
        self.out.push_str(KEYED);
        self.out.push_str("\":{");
        let mut f = true;
        for (i, op) in &k.ops {
            self.index_key(*i, &mut f);
            match op {
                EntryOp::Full(e) => self.write_entry(*e),
                EntryOp::Changes(c) => self.write_change_object(c),
                EntryOp::Moved(j) => push_usize(&mut self.out, *j),
                EntryOp::MovedChanged(j, c) => {
                    self.out.push('[');
                    push_usize(&mut self.out, *j);
                    self.out.push(',');
                    self.write_change_object(c);
                    self.out.push(']');
                }
            }
        }
        self.key(KEYED_COUNT, &mut f);
        push_usize(&mut self.out, k.count);
        if k.moved {
            self.key(KEYED_MOVED, &mut f);
            self.out.push_str("true");
        }
        self.out.push_str("}}");
    }

    fn write_change_object(&mut self, c: &Changes<'_>) {
        self.out.push('{');
        let mut f = true;
        self.write_changes_fields(c, &mut f);
        self.out.push('}');
    }

    /// The value of an `s` key: an index into `p` for shared templates, else the array.
    fn write_statics(&mut self, t: &'static Template) {
        let pos = self.templates.iter().position(|(u, _)| same(u, t));
        match pos {
            Some(pos) if self.templates[pos].1 > 1 => {
                let index = match self.indices[pos] {
                    Some(i) => i,
                    None => {
                        let i = self.next_index;
                        self.next_index += 1;
                        self.indices[pos] = Some(i);
                        i
                    }
                };
                push_usize(&mut self.out, index);
            }
            _ => self.write_statics_array(t),
        }
    }

    fn write_statics_array(&mut self, t: &Template) {
        self.out.push('[');
        for (i, s) in t.statics().iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_json_str(&mut self.out, s);
        }
        self.out.push(']');
    }
}

/// Appends one entry of a diff's `c` object, `"<cid>":{…}`, to `out` (with a leading comma
/// unless `out` is empty).
///
/// `node` is the component's diff: against the render the client holds for it, or, when the
/// component shares statics (`share`, `-cid` for a component of the previous render, `+cid`
/// for one earlier in this diff), against that component's render. A component whose statics
/// are sent carries the root flag `"r":1`. Templates are written inline: the `p` of a diff
/// belongs to its top level.
pub(crate) fn encode_component(
    out: &mut String,
    cid: u32,
    node: Option<&NodeDiff<'_>>,
    share: Option<i64>,
) {
    if !out.is_empty() {
        out.push(',');
    }
    out.push('"');
    push_usize(out, cid as usize);
    out.push_str("\":{");
    let mut enc = Encoder {
        out: std::mem::take(out),
        templates: Vec::new(),
        indices: Vec::new(),
        next_index: 0,
    };
    let mut first = true;
    match node {
        Some(NodeDiff::Full(r)) => {
            enc.write_rendered_fields(r, &mut first);
            if share.is_none() {
                enc.key(REPLY, &mut first);
                enc.out.push('1');
            }
        }
        Some(NodeDiff::Changes(c)) => enc.write_changes_fields(c, &mut first),
        None => {}
    }
    if let Some(source) = share {
        enc.key(STATICS, &mut first);
        if source < 0 {
            enc.out.push('-');
        }
        push_usize(&mut enc.out, source.unsigned_abs() as usize);
    }
    enc.out.push('}');
    *out = enc.out;
}

fn same(a: &Template, b: &Template) -> bool {
    std::ptr::eq(a, b) || a == b
}

fn count_template(t: &'static Template, seen: &mut Vec<(&'static Template, usize)>) {
    match seen.iter_mut().find(|(u, _)| same(u, t)) {
        Some((_, n)) => *n += 1,
        None => seen.push((t, 1)),
    }
}

fn count_node(n: &NodeDiff<'_>, seen: &mut Vec<(&'static Template, usize)>) {
    match n {
        NodeDiff::Full(r) => count_rendered(r, seen),
        NodeDiff::Changes(c) => count_changes(c, seen),
    }
}

fn count_changes(c: &Changes<'_>, seen: &mut Vec<(&'static Template, usize)>) {
    for (_, d) in c {
        match d {
            DynDiff::Whole(d) => count_dynamic(d, seen),
            DynDiff::Node(c) => count_changes(c, seen),
            DynDiff::Stream(c) => {
                for r in c.rows() {
                    r.dynamics().iter().for_each(|d| count_dynamic(d, seen));
                }
            }
            DynDiff::Keyed(k) => {
                for (_, op) in &k.ops {
                    match op {
                        EntryOp::Full(e) => {
                            e.dynamics().iter().for_each(|d| count_dynamic(d, seen))
                        }
                        EntryOp::Changes(c) | EntryOp::MovedChanged(_, c) => count_changes(c, seen),
                        EntryOp::Moved(_) => {}
                    }
                }
            }
        }
    }
}

fn count_rendered(r: &Rendered, seen: &mut Vec<(&'static Template, usize)>) {
    count_template(r.template(), seen);
    r.dynamics().iter().for_each(|d| count_dynamic(d, seen));
}

fn count_dynamic(d: &Dynamic, seen: &mut Vec<(&'static Template, usize)>) {
    match d {
        Dynamic::Nested(r) => count_rendered(r, seen),
        Dynamic::Comprehension(c) => {
            count_template(c.template(), seen);
            for r in c.rows() {
                r.dynamics().iter().for_each(|d| count_dynamic(d, seen));
            }
        }
        Dynamic::Text(_) | Dynamic::Component(_) => {}
    }
}

fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_usize(out, n.unsigned_abs() as usize);
}

fn push_usize(out: &mut String, n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// Appends `s` as a JSON string literal.
pub fn push_json_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        let mut s = String::new();
        push_json_str(&mut s, "a\"b\\c\nd\u{1}é<");
        assert_eq!(s, r#""a\"b\\c\nd\u0001é<""#);
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "a\"b\\c\nd\u{1}é<");
    }

    #[test]
    fn numbers_print_in_decimal() {
        let mut s = String::new();
        push_usize(&mut s, 0);
        s.push(' ');
        push_usize(&mut s, 1_234_567);
        assert_eq!(s, "0 1234567");
    }
}
