//! The reference client merger: applies diffs exactly as `phoenix_live_view@1.2.12`'s
//! `Rendered` does, and produces the HTML it would hand to the DOM patcher.
//!
//! It works on `serde_json::Value` trees (it is a test tool, not on the server's hot path), and
//! follows the official client rule for rule: templates are resolved at render time and
//! written back, keyed entries move only with `km`, components share statics through positive
//! (this diff) and negative (previous render) ids, root nodes (`r: 1`) get magic ids and are
//! emitted as skip stubs when the last diff did not touch them, and stream entries are dropped
//! from the tree once rendered.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::wire::{
    COMPONENTS, EVENTS, KEYED, KEYED_COUNT, KEYED_MOVED, REPLY, STATICS, STREAM, TEMPLATES, TITLE,
};

const MAGIC_ID: &str = "magicId";
const NEW_RENDER: &str = "newRender";
const RESET: &str = "reset";
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// The client's copy of one view's rendered tree.
///
/// ```
/// use liveview_diff::ClientTree;
///
/// let mut tree = ClientTree::from_json(r#"{"0":"A","s":["<p>","</p>"]}"#).unwrap();
/// tree.merge_json(r#"{"0":"B","t":"title"}"#).unwrap();
/// assert_eq!(tree.to_html(), "<p>B</p>");
/// assert_eq!(tree.title(), Some("title"));
/// ```
#[derive(Debug, Clone)]
pub struct ClientTree {
    view_id: String,
    rendered: Map<String, Value>,
    magic_id: u64,
    title: Option<String>,
    streams: Vec<Value>,
    html: String,
    /// The components the diff being rendered named; the others render as skip stubs.
    only_cids: Option<Vec<u64>>,
    /// The page as the browser shows it after patching: skip stubs expanded.
    dom: String,
    /// Rendering `dom`: nothing is skipped.
    expand: bool,
    /// What each stream (by reference) shows in the page, in order: `(dom id, HTML)`. The
    /// browser keeps stream items in the DOM; so does `dom`.
    stream_dom: HashMap<String, Vec<(String, String)>>,
}

/// The key marking a streamed comprehension with its stream's reference, for `dom`.
const STREAM_MARK: &str = "__stream_ref";

/// What the client takes out of a diff before merging it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// `t`, the new page title.
    pub title: Option<String>,
    /// `e`, the pushed events.
    pub events: Vec<Value>,
    /// `r`, the reply to a hook.
    pub reply: Option<Value>,
}

impl ClientTree {
    /// A tree from a join reply's `rendered` JSON, for a view with id `phx-test`.
    pub fn from_json(rendered: &str) -> Result<Self, Error> {
        Self::with_view_id("phx-test", rendered)
    }

    /// A tree from a join reply's `rendered` JSON, for the view with id `view_id` (which shows
    /// in magic ids and component attributes).
    pub fn with_view_id(view_id: &str, rendered: &str) -> Result<Self, Error> {
        let value: Value = serde_json::from_str(rendered).map_err(Error::Json)?;
        Self::from_value(view_id, value)
    }

    /// A tree from a parsed join `rendered` value.
    pub fn from_value(view_id: &str, rendered: Value) -> Result<Self, Error> {
        let mut tree = Self {
            view_id: view_id.to_owned(),
            rendered: Map::new(),
            magic_id: 0,
            title: None,
            streams: Vec::new(),
            html: String::new(),
            dom: String::new(),
            expand: false,
            stream_dom: HashMap::new(),
            only_cids: None,
        };
        tree.merge_value(rendered)?;
        Ok(tree)
    }

    /// Merges a diff given as JSON text.
    pub fn merge_json(&mut self, diff: &str) -> Result<Extracted, Error> {
        let value: Value = serde_json::from_str(diff).map_err(Error::Json)?;
        self.merge_value(value)
    }

    /// Merges a parsed diff and renders, as the client's `View.update` does. Returns the
    /// title, events and reply taken out of it.
    pub fn merge_value(&mut self, diff: Value) -> Result<Extracted, Error> {
        let Value::Object(mut diff) = diff else {
            return Err(Error::Malformed("a diff must be a JSON object".into()));
        };
        let extracted = Extracted {
            title: diff
                .remove(TITLE)
                .and_then(|t| t.as_str().map(str::to_owned)),
            events: match diff.remove(EVENTS) {
                Some(Value::Array(e)) => e,
                _ => Vec::new(),
            },
            reply: diff.remove(REPLY),
        };
        if let Some(t) = &extracted.title {
            self.title = Some(t.clone());
        }
        // The join renders every component; a later render only those its diff names.
        let joined = !self.rendered.is_empty();
        self.only_cids = joined.then(|| match diff.get(COMPONENTS) {
            Some(Value::Object(c)) => c.keys().filter_map(|k| k.parse().ok()).collect(),
            _ => Vec::new(),
        });
        self.merge_diff(diff)?;
        self.html = self.render()?;
        // The DOM patcher keeps what a skip stub stands for: render again without skipping.
        let streams = std::mem::take(&mut self.streams);
        self.expand = true;
        let dom = self.render();
        self.expand = false;
        self.streams = streams;
        self.dom = dom?;
        Ok(extracted)
    }

    /// The HTML the client handed to the DOM patcher after the last merge (skip stubs and
    /// magic ids included, exactly as the official client produces them).
    pub fn to_html(&self) -> String {
        self.html.clone()
    }

    /// The HTML the page shows after the last merge: [`ClientTree::to_html`] with every skip
    /// stub replaced by what it stands for (the element the DOM patcher keeps). What a test
    /// harness reads.
    pub fn dom_html(&self) -> String {
        self.dom.clone()
    }

    /// The last title a diff carried.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The stream operations of the last render (`[ref, inserts, deletes, reset?]`).
    pub fn streams(&self) -> &[Value] {
        &self.streams
    }

    /// Removes components, as the client does after `cids_destroyed` is answered.
    pub fn prune_cids(&mut self, cids: &[u64]) {
        if let Some(Value::Object(c)) = self.rendered.get_mut(COMPONENTS) {
            for cid in cids {
                c.remove(&cid.to_string());
            }
        }
    }

    fn merge_diff(&mut self, mut diff: Map<String, Value>) -> Result<(), Error> {
        let newc = diff.remove(COMPONENTS);
        if diff.contains_key(STATICS) {
            // A new root fingerprint replaces the whole tree, components included, as the
            // client's `mutableMerge` does.
            self.rendered = diff;
        } else {
            do_mutable_merge(&mut self.rendered, diff);
        }
        if !matches!(self.rendered.get(COMPONENTS), Some(Value::Object(_))) {
            self.rendered
                .insert(COMPONENTS.into(), Value::Object(Map::new()));
        }
        if let Some(Value::Object(newc)) = newc {
            let oldc = match self.rendered.get(COMPONENTS) {
                Some(Value::Object(o)) => o.clone(),
                _ => Map::new(),
            };
            let mut cache: Map<String, Value> = Map::new();
            let cids: Vec<String> = newc.keys().cloned().collect();
            for cid in &cids {
                find_component(cid, &newc, &oldc, &mut cache, 0)?;
            }
            if let Some(Value::Object(target)) = self.rendered.get_mut(COMPONENTS) {
                for cid in cids {
                    if let Some(v) = cache.remove(&cid) {
                        target.insert(cid, v);
                    }
                }
            }
        }
        Ok(())
    }

    fn render(&mut self) -> Result<String, Error> {
        self.streams.clear();
        let mut components = match self.rendered.remove(COMPONENTS) {
            Some(Value::Object(c)) => c,
            _ => Map::new(),
        };
        let mut out = String::new();
        let mut rendered = std::mem::take(&mut self.rendered);
        let result = self.node_to_html(&mut rendered, None, &mut components, true, &[], &mut out);
        rendered.insert(COMPONENTS.into(), Value::Object(components));
        self.rendered = rendered;
        result.map(|()| out)
    }

    fn next_magic_id(&mut self) -> String {
        self.magic_id += 1;
        format!("m{}-{}", self.magic_id, self.view_id)
    }

    fn node_to_html(
        &mut self,
        node: &mut Map<String, Value>,
        templates: Option<&Map<String, Value>>,
        components: &mut Map<String, Value>,
        change_tracking: bool,
        root_attrs: &[(String, String)],
        out: &mut String,
    ) -> Result<(), Error> {
        if node.contains_key(KEYED) {
            return self.comprehension_to_html(node, templates, components, change_tracking, out);
        }
        let own_templates = match node.remove(TEMPLATES) {
            Some(Value::Object(p)) => Some(p),
            _ => None,
        };
        let templates = own_templates.as_ref().or(templates);
        let statics = resolve_statics(node, templates)?;
        let is_root = is_truthy(node.get("r"));
        let mut inner = String::new();
        let target: &mut String = if is_root { &mut inner } else { out };
        if change_tracking && is_root && !node.contains_key(MAGIC_ID) {
            node.insert(NEW_RENDER.into(), Value::Bool(true));
            let id = self.next_magic_id();
            node.insert(MAGIC_ID.into(), Value::String(id));
        }
        for (i, s) in statics.iter().enumerate() {
            target.push_str(s);
            if i + 1 < statics.len() {
                let key = i.to_string();
                let mut value = node.remove(&key);
                let r = self.dynamic_to_html(
                    value.as_mut(),
                    templates,
                    components,
                    change_tracking,
                    target,
                );
                if let Some(v) = value {
                    node.insert(key, v);
                }
                r?;
            }
        }
        if is_root {
            let magic = node
                .get(MAGIC_ID)
                .and_then(Value::as_str)
                .map(str::to_owned);
            let mut attrs: Vec<(String, Option<String>)> = Vec::new();
            let mut skip = false;
            if change_tracking || magic.is_some() {
                skip = change_tracking && !self.expand && !is_truthy(node.get(NEW_RENDER));
                attrs.push((
                    "data-phx-id".into(),
                    Some(magic.unwrap_or_else(|| "undefined".into())),
                ));
            }
            for (k, v) in root_attrs {
                if let Some(slot) = attrs.iter_mut().find(|(a, _)| a == k) {
                    slot.1 = Some(v.clone());
                } else {
                    attrs.push((k.clone(), Some(v.clone())));
                }
            }
            if skip {
                attrs.push(("data-phx-skip".into(), None));
            }
            modify_root(&inner, &attrs, skip, out)?;
            node.insert(NEW_RENDER.into(), Value::Bool(false));
        }
        Ok(())
    }

    fn comprehension_to_html(
        &mut self,
        node: &mut Map<String, Value>,
        templates: Option<&Map<String, Value>>,
        components: &mut Map<String, Value>,
        change_tracking: bool,
        out: &mut String,
    ) -> Result<(), Error> {
        let own = match node.remove(TEMPLATES) {
            Some(Value::Object(p)) => Some(p),
            _ => None,
        };
        let keyed_templates = templates.or(own.as_ref());
        let statics = resolve_statics(node, templates)?;
        if self.expand {
            if let Some(reference) = node.get(STREAM_MARK).and_then(Value::as_str) {
                for (_, html) in self.stream_dom.get(reference).into_iter().flatten() {
                    out.push_str(html);
                }
                return Ok(());
            }
        }
        let mut rows: Vec<String> = Vec::new();
        let count = node
            .get(KEYED)
            .and_then(|k| k.get(KEYED_COUNT))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        for i in 0..count {
            let row_start = out.len();
            let key = i.to_string();
            let mut entry = match node.get_mut(KEYED).and_then(|k| k.as_object_mut()) {
                Some(k) => k.remove(&key),
                None => None,
            };
            let result = match entry.as_mut() {
                Some(Value::Object(e)) => {
                    let mut r = Ok(());
                    for (j, s) in statics.iter().enumerate() {
                        out.push_str(s);
                        if j + 1 < statics.len() {
                            let dkey = j.to_string();
                            let mut value = e.remove(&dkey);
                            r = self.dynamic_to_html(
                                value.as_mut(),
                                keyed_templates,
                                components,
                                change_tracking,
                                out,
                            );
                            if let Some(v) = value {
                                e.insert(dkey, v);
                            }
                            if r.is_err() {
                                break;
                            }
                        }
                    }
                    r
                }
                _ => Err(Error::Malformed(format!(
                    "comprehension entry {i} is missing"
                ))),
            };
            if let (Some(e), Some(Value::Object(k))) = (entry, node.get_mut(KEYED)) {
                k.insert(key, e);
            }
            result?;
            rows.push(out.get(row_start..).unwrap_or_default().to_owned());
        }
        if let Some(stream) = node.get(STREAM).cloned() {
            if !self.expand {
                if let Some(reference) = stream.get(0).and_then(Value::as_str) {
                    node.insert(STREAM_MARK.into(), Value::String(reference.to_owned()));
                    apply_stream(
                        self.stream_dom.entry(reference.to_owned()).or_default(),
                        &stream,
                        rows,
                    );
                }
            }
            let deletes = stream.get(2).and_then(Value::as_array).map_or(0, Vec::len);
            let reset = stream.get(3).is_some();
            if count > 0 || deletes > 0 || reset {
                node.remove(STREAM);
                let mut k = Map::new();
                k.insert(KEYED_COUNT.into(), Value::from(0));
                node.insert(KEYED.into(), Value::Object(k));
                self.streams.push(stream);
            }
        }
        Ok(())
    }

    fn dynamic_to_html(
        &mut self,
        value: Option<&mut Value>,
        templates: Option<&Map<String, Value>>,
        components: &mut Map<String, Value>,
        change_tracking: bool,
        out: &mut String,
    ) -> Result<(), Error> {
        match value {
            None => out.push_str("undefined"),
            Some(Value::String(s)) => out.push_str(s),
            Some(Value::Number(n)) => {
                let cid = n
                    .as_u64()
                    .ok_or_else(|| Error::Malformed(format!("bad cid {n}")))?;
                self.component_to_html(cid, components, out)?;
            }
            Some(Value::Object(node)) => {
                self.node_to_html(node, templates, components, change_tracking, &[], out)?;
            }
            Some(other) => out.push_str(&other.to_string()),
        }
        Ok(())
    }

    fn component_to_html(
        &mut self,
        cid: u64,
        components: &mut Map<String, Value>,
        out: &mut String,
    ) -> Result<(), Error> {
        let key = cid.to_string();
        let Some(Value::Object(mut component)) = components.remove(&key) else {
            return Err(Error::MissingComponent(cid));
        };
        let skip = !self.expand
            && self
                .only_cids
                .as_ref()
                .is_some_and(|only| !only.contains(&cid));
        component.insert(NEW_RENDER.into(), Value::Bool(!skip));
        component.insert(
            MAGIC_ID.into(),
            Value::String(format!("c{cid}-{}", self.view_id)),
        );
        let change_tracking = !is_truthy(component.get(RESET));
        let attrs = [
            ("data-phx-component".to_owned(), cid.to_string()),
            ("data-phx-view".to_owned(), self.view_id.clone()),
        ];
        let result = self.node_to_html(
            &mut component,
            None,
            components,
            change_tracking,
            &attrs,
            out,
        );
        component.remove(RESET);
        components.insert(key, Value::Object(component));
        result
    }
}

/// Applies a stream's operations to what the page shows of it, as the browser's DOM patcher
/// does: a reset first, then deletes, then each insert (an id already shown is updated in
/// place; `update_only` inserts nothing new), each followed by its limit.
fn apply_stream(items: &mut Vec<(String, String)>, stream: &Value, rows: Vec<String>) {
    if stream.get(3).is_some() {
        items.clear();
    }
    for id in stream
        .get(2)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = id.as_str() {
            items.retain(|(d, _)| d != id);
        }
    }
    let inserts = stream
        .get(1)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (insert, html) in inserts.iter().zip(rows) {
        let Some(dom_id) = insert.get(0).and_then(Value::as_str) else {
            continue;
        };
        let at = insert.get(1).and_then(Value::as_i64).unwrap_or(-1);
        let limit = insert.get(2).and_then(Value::as_i64);
        let update_only = insert.get(3).and_then(Value::as_bool).unwrap_or(false);
        if let Some(slot) = items.iter_mut().find(|(d, _)| d == dom_id) {
            slot.1 = html;
            continue;
        }
        if update_only {
            continue;
        }
        let item = (dom_id.to_owned(), html);
        match usize::try_from(at) {
            Ok(at) if at < items.len() => items.insert(at, item),
            _ => items.push(item),
        }
        if let Some(limit) = limit {
            let keep = limit.unsigned_abs() as usize;
            if items.len() > keep {
                if limit >= 0 {
                    items.truncate(keep);
                } else {
                    items.drain(..items.len() - keep);
                }
            }
        }
    }
}

fn is_truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// Resolves a node's `s` against the templates and writes the array back, as the client does.
fn resolve_statics(
    node: &mut Map<String, Value>,
    templates: Option<&Map<String, Value>>,
) -> Result<Vec<String>, Error> {
    let resolved = match node.get(STATICS) {
        Some(Value::Number(n)) => {
            let t = templates
                .and_then(|p| p.get(&n.to_string()))
                .ok_or_else(|| Error::Malformed(format!("template {n} is not in `p`")))?;
            t.clone()
        }
        Some(v @ Value::Array(_)) => v.clone(),
        _ => return Err(Error::Malformed("a node has no statics".into())),
    };
    let statics = resolved
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .ok_or_else(|| Error::Malformed("statics must be an array".into()))?;
    node.insert(STATICS.into(), resolved);
    Ok(statics)
}

fn do_mutable_merge(target: &mut Map<String, Value>, source: Map<String, Value>) {
    if source.contains_key(KEYED) {
        merge_keyed(target, source);
    } else {
        for (key, val) in source {
            let replace = !(val.is_object() && val.get(STATICS).is_none());
            match target.get_mut(&key) {
                Some(Value::Object(t)) if !replace => {
                    if let Value::Object(v) = val {
                        do_mutable_merge(t, v);
                    }
                }
                _ => {
                    target.insert(key, val);
                }
            }
        }
    }
    if is_truthy(target.get("r")) {
        target.insert(NEW_RENDER.into(), Value::Bool(true));
    }
}

fn merge_keyed(target: &mut Map<String, Value>, mut source: Map<String, Value>) {
    let Some(Value::Object(src_k)) = source.remove(KEYED) else {
        return;
    };
    let moved = is_truthy(src_k.get(KEYED_MOVED));
    let cloned = if moved {
        target.get(KEYED).cloned()
    } else {
        None
    };
    if !matches!(target.get(KEYED), Some(Value::Object(_))) {
        target.insert(KEYED.into(), Value::Object(Map::new()));
    }
    let Some(Value::Object(tk)) = target.get_mut(KEYED) else {
        return;
    };
    let old_count = tk.get(KEYED_COUNT).and_then(Value::as_u64).unwrap_or(0);
    let new_count = src_k.get(KEYED_COUNT).and_then(Value::as_u64).unwrap_or(0);
    for (i, entry) in src_k {
        if i == KEYED_COUNT || i == KEYED_MOVED {
            continue;
        }
        match entry {
            Value::Array(pair) => {
                let old = pair.first().map(|v| v.to_string()).unwrap_or_default();
                let mut e = cloned
                    .as_ref()
                    .and_then(|c| c.get(&old))
                    .cloned()
                    .unwrap_or(Value::Null);
                if let (Value::Object(e), Some(Value::Object(d))) = (&mut e, pair.get(1)) {
                    do_mutable_merge(e, d.clone());
                }
                tk.insert(i, e);
            }
            Value::Number(j) => {
                let e = cloned
                    .as_ref()
                    .and_then(|c| c.get(j.to_string()))
                    .cloned()
                    .unwrap_or(Value::Null);
                tk.insert(i, e);
            }
            Value::Object(d) => {
                let slot = tk.entry(i).or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(e) = slot {
                    do_mutable_merge(e, d);
                }
            }
            _ => {}
        }
    }
    for i in new_count..old_count {
        tk.remove(&i.to_string());
    }
    tk.insert(KEYED_COUNT.into(), Value::from(new_count));
    if let Some(s) = source.remove(STREAM) {
        target.insert(STREAM.into(), s);
    }
    if let Some(p) = source.remove(TEMPLATES) {
        target.insert(TEMPLATES.into(), p);
    }
    if is_truthy(target.get("r")) {
        target.insert(NEW_RENDER.into(), Value::Bool(true));
    }
}

fn find_component(
    cid: &str,
    newc: &Map<String, Value>,
    oldc: &Map<String, Value>,
    cache: &mut Map<String, Value>,
    depth: usize,
) -> Result<Value, Error> {
    if let Some(v) = cache.get(cid) {
        return Ok(v.clone());
    }
    if depth > newc.len() {
        return Err(Error::Malformed(format!(
            "component {cid} shares statics in a cycle"
        )));
    }
    let cdiff = newc
        .get(cid)
        .ok_or_else(|| Error::MissingComponent(cid.parse().unwrap_or(0)))?;
    let result = match cdiff.get(STATICS) {
        Some(Value::Number(n)) => {
            let scid = n.as_i64().unwrap_or(0);
            let tdiff = if scid > 0 {
                find_component(&scid.to_string(), newc, oldc, cache, depth + 1)?
            } else {
                oldc.get(&(-scid).to_string())
                    .cloned()
                    .ok_or(Error::MissingComponent(scid.unsigned_abs()))?
            };
            let stat = tdiff.get(STATICS).cloned().unwrap_or(Value::Null);
            let mut merged = clone_merge(&tdiff, cdiff, true);
            if let Value::Object(m) = &mut merged {
                m.insert(STATICS.into(), stat);
            }
            merged
        }
        Some(_) => cdiff.clone(),
        None => match oldc.get(cid) {
            None => cdiff.clone(),
            Some(old) => clone_merge(old, cdiff, false),
        },
    };
    cache.insert(cid.to_owned(), result.clone());
    Ok(result)
}

fn clone_merge(target: &Value, source: &Value, prune: bool) -> Value {
    let (Value::Object(t), Value::Object(s)) = (target, source) else {
        return source.clone();
    };
    let mut merged;
    if s.contains_key(KEYED) {
        merged = t.clone();
        merge_keyed(&mut merged, s.clone());
        if prune {
            prune_internal_ids(&mut merged);
        }
    } else {
        merged = t.clone();
        for (k, v) in s {
            merged.insert(k.clone(), v.clone());
        }
        let keys: Vec<String> = merged.keys().cloned().collect();
        for key in keys {
            let val = s.get(&key);
            let tval = t.get(&key);
            match (val, tval) {
                (Some(v @ Value::Object(vo)), Some(tv @ Value::Object(_)))
                    if !vo.contains_key(STATICS) =>
                {
                    merged.insert(key, clone_merge(tv, v, prune));
                }
                (None, Some(tv @ Value::Object(_))) => {
                    merged.insert(key, clone_merge(tv, &Value::Object(Map::new()), prune));
                }
                _ => {}
            }
        }
    }
    if prune {
        merged.remove(MAGIC_ID);
        merged.remove(NEW_RENDER);
    } else if is_truthy(t.get("r")) {
        merged.insert(NEW_RENDER.into(), Value::Bool(true));
    }
    Value::Object(merged)
}

fn prune_internal_ids(node: &mut Map<String, Value>) {
    for v in node.values_mut() {
        if let Value::Object(o) = v {
            prune_internal_ids(o);
        }
    }
    node.remove(MAGIC_ID);
    node.remove(NEW_RENDER);
}

/// Adds `attrs` to the start tag of the single root element in `html` (and empties it when
/// `clear`), as the client's `modifyRoot` does.
fn modify_root(
    html: &str,
    attrs: &[(String, Option<String>)],
    clear: bool,
    out: &mut String,
) -> Result<(), Error> {
    let bytes = html.as_bytes();
    // Leading whitespace and comments.
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if html[i..].starts_with("<!--") {
            match html[i + 4..].find("-->") {
                Some(end) => i = i + 4 + end + 3,
                None => return Err(Error::Malformed(format!("malformed html {html}"))),
            }
        } else {
            break;
        }
    }
    let before = &html[..i];
    if bytes.get(i) != Some(&b'<') {
        return Err(Error::Malformed(format!("malformed html {html}")));
    }
    let name_start = i + 1;
    let mut j = name_start;
    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'/' && bytes[j] != b'>'
    {
        j += 1;
    }
    if j == name_start {
        return Err(Error::Malformed(format!("malformed html {html}")));
    }
    let tag = &html[name_start..j];
    let tag_name_ends = j;
    let mut id = None;
    let mut k = j;
    while k < bytes.len() {
        if bytes[k] == b'>' {
            break;
        }
        if bytes[k] == b'=' {
            let is_id = k >= 3 && &html[k - 3..k] == " id";
            k += 1;
            if let Some(&q) = bytes.get(k) {
                if q == b'"' || q == b'\'' {
                    let start = k;
                    k += 1;
                    while k < bytes.len() && bytes[k] != q {
                        k += 1;
                    }
                    if is_id {
                        id = Some(&html[start + 1..k.min(bytes.len())]);
                        break;
                    }
                }
            }
        }
        k += 1;
    }
    // The closing `>` of the element, skipping trailing comments.
    let min = before.len() + tag.len();
    let mut close = bytes.len().saturating_sub(1);
    let mut in_comment = false;
    while close >= min && close < bytes.len() {
        let c = bytes[close];
        if in_comment {
            if c == b'-' && close >= 3 && &html[close - 3..close] == "<!-" {
                in_comment = false;
                if close < 4 {
                    break;
                }
                close -= 4;
            } else {
                close -= 1;
            }
        } else if c == b'>' && close >= 2 && &html[close - 2..close] == "--" {
            in_comment = true;
            close -= 3;
        } else if c == b'>' || close == 0 {
            break;
        } else {
            close -= 1;
        }
    }
    let after = &html[(close + 1).min(html.len())..];
    let attrs_str = attrs
        .iter()
        .map(|(k, v)| match v {
            None => k.clone(),
            Some(v) => format!("{k}=\"{v}\""),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let sep = if attrs_str.is_empty() { "" } else { " " };
    out.push_str(before);
    if clear {
        let id_attr = id.map(|id| format!(" id=\"{id}\"")).unwrap_or_default();
        if VOID_TAGS.contains(&tag) {
            out.push_str(&format!("<{tag}{id_attr}{sep}{attrs_str}/>"));
        } else {
            out.push_str(&format!("<{tag}{id_attr}{sep}{attrs_str}></{tag}>"));
        }
    } else {
        out.push_str(&format!(
            "<{tag}{sep}{attrs_str}{}",
            &html[tag_name_ends..(close + 1).min(html.len())]
        ));
    }
    out.push_str(after);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_example_renders_and_patches() {
        let mut t = ClientTree::from_json(
            r#"{"0":"0","s":0,"p":{"0":["<div><h1>Count: ","</h1></div>"]}}"#,
        )
        .unwrap();
        assert_eq!(t.to_html(), "<div><h1>Count: 0</h1></div>");
        t.merge_json(r#"{"0":"1","t":"Counter 1"}"#).unwrap();
        assert_eq!(t.to_html(), "<div><h1>Count: 1</h1></div>");
        assert_eq!(t.title(), Some("Counter 1"));
    }

    #[test]
    fn root_nodes_get_magic_ids_and_skip_stubs() {
        let mut t = ClientTree::with_view_id(
            "phx-cond",
            r#"{"0":"Hello","1":{"0":"1","s":0,"r":1},"s":1,"p":{"0":["<p class=\"on\">ON ","</p>"],"1":["<div><h1>","</h1>","</div>"]}}"#,
        )
        .unwrap();
        assert_eq!(
            t.to_html(),
            r#"<div><h1>Hello</h1><p data-phx-id="m1-phx-cond" class="on">ON 1</p></div>"#
        );
        t.merge_json(r#"{"0":"World"}"#).unwrap();
        assert_eq!(
            t.to_html(),
            r#"<div><h1>World</h1><p data-phx-id="m1-phx-cond" data-phx-skip></p></div>"#
        );
    }

    #[test]
    fn number_dynamics_are_components_and_missing_ones_fail() {
        let err = ClientTree::from_json(r#"{"0":5,"s":["<p>","</p>"]}"#).unwrap_err();
        assert!(matches!(err, Error::MissingComponent(5)));
    }

    #[test]
    fn components_get_their_attributes() {
        let t = ClientTree::with_view_id(
            "v",
            r#"{"0":1,"s":["<div>","</div>"],"c":{"1":{"0":"x","r":1,"s":["<p>","</p>"]}}}"#,
        )
        .unwrap();
        assert_eq!(
            t.to_html(),
            r#"<div><p data-phx-id="c1-v" data-phx-component="1" data-phx-view="v">x</p></div>"#
        );
    }
}
