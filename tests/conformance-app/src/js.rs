//! A small `Phoenix.LiveView.JS` builder: the JSON `[[op, args], ...]` that Elixir's `JS`
//! module renders into `phx-*` attributes (PROTOCOL.md §9).
//!
//! Encoding rules copied from `Phoenix.LiveView.JS` 1.x: options that were not given are
//! left out (`drop_nil_values`), argument maps are encoded with sorted keys (Elixir's small
//! maps), class strings are split on spaces, a transition is `[[transition], [start], [end]]`,
//! and `time` is only present when given.
//!
//! ```ignore
//! let js = JS::new().show(Args::new().to("#modal").transition("fade-in").time(50));
//! assert_eq!(js.to_string(), r#"[["show",{"time":50,"to":"#modal","transition":[["fade-in"],[],[]]}]]"#);
//! ```

use std::fmt;

use serde_json::{json, Map, Value};

/// A JS command: a list of operations, rendered as JSON (escaped by the template).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JS(Vec<Value>);

/// The options of one operation (the keyword list of the Elixir call).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args(Map<String, Value>);

fn classes(names: &str) -> Value {
    Value::Array(
        names
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(|s| json!(s))
            .collect(),
    )
}

/// A transition given as one class string (`"fade-in"`): `[["fade-in"], [], []]`.
pub fn transition(names: &str) -> Value {
    json!([classes(names), [], []])
}

/// A transition given as a 3-tuple `{transition, start, end}`.
pub fn transition3(t: &str, start: &str, end: &str) -> Value {
    json!([classes(t), classes(start), classes(end)])
}

impl Args {
    /// No options.
    pub fn new() -> Self {
        Self::default()
    }
    fn put(mut self, k: &str, v: Value) -> Self {
        self.0.insert(k.to_owned(), v);
        self
    }
    /// `to: "selector"`.
    pub fn to(self, selector: &str) -> Self {
        self.put("to", json!(selector))
    }
    /// `to: {:closest, selector}`.
    pub fn closest(self, selector: &str) -> Self {
        self.put("to", json!({ "closest": selector }))
    }
    /// `to: {:inner, selector}`.
    pub fn inner(self, selector: &str) -> Self {
        self.put("to", json!({ "inner": selector }))
    }
    /// `transition: "classes"`.
    pub fn transition(self, names: &str) -> Self {
        self.put("transition", transition(names))
    }
    /// `transition: {t, start, end}`.
    pub fn transition3(self, t: &str, start: &str, end: &str) -> Self {
        self.put("transition", transition3(t, start, end))
    }
    /// `in: "classes"` (toggle).
    pub fn ins(self, names: &str) -> Self {
        self.put("ins", transition(names))
    }
    /// `out: "classes"` (toggle).
    pub fn outs(self, names: &str) -> Self {
        self.put("outs", transition(names))
    }
    /// `time: ms`.
    pub fn time(self, ms: u64) -> Self {
        self.put("time", json!(ms))
    }
    /// `display: "flex"`.
    pub fn display(self, display: &str) -> Self {
        self.put("display", json!(display))
    }
    /// `blocking: bool`.
    pub fn blocking(self, blocking: bool) -> Self {
        self.put("blocking", json!(blocking))
    }
    /// `value: %{...}` (push).
    pub fn value(self, value: Value) -> Self {
        self.put("value", value)
    }
    /// `target: selector` (push).
    pub fn target(self, selector: &str) -> Self {
        self.put("target", json!(selector))
    }
    /// `detail: %{...}` (dispatch).
    pub fn detail(self, detail: Value) -> Self {
        self.put("detail", detail)
    }
    /// `bubbles: bool` (dispatch).
    pub fn bubbles(self, bubbles: bool) -> Self {
        self.put("bubbles", json!(bubbles))
    }
}

impl JS {
    /// `%JS{}`.
    pub fn new() -> Self {
        Self::default()
    }

    fn op(mut self, kind: &str, args: Args) -> Self {
        self.0.push(json!([kind, Value::Object(args.0)]));
        self
    }

    /// `JS.push(event, opts)`.
    pub fn push(self, event: &str, args: Args) -> Self {
        self.op("push", args.put("event", json!(event)))
    }
    /// `JS.dispatch(event, opts)`.
    pub fn dispatch(self, event: &str, args: Args) -> Self {
        self.op("dispatch", args.put("event", json!(event)))
    }
    /// `JS.show(opts)`.
    pub fn show(self, args: Args) -> Self {
        self.op("show", args)
    }
    /// `JS.hide(opts)`.
    pub fn hide(self, args: Args) -> Self {
        self.op("hide", args)
    }
    /// `JS.toggle(opts)` (`in:`/`out:` are [`Args::ins`]/[`Args::outs`]).
    pub fn toggle(self, args: Args) -> Self {
        self.op("toggle", args)
    }
    /// `JS.add_class(names, opts)`.
    pub fn add_class(self, names: &str, args: Args) -> Self {
        self.op("add_class", args.put("names", classes(names)))
    }
    /// `JS.remove_class(names, opts)`.
    pub fn remove_class(self, names: &str, args: Args) -> Self {
        self.op("remove_class", args.put("names", classes(names)))
    }
    /// `JS.toggle_class(names, opts)`.
    pub fn toggle_class(self, names: &str, args: Args) -> Self {
        self.op("toggle_class", args.put("names", classes(names)))
    }
    /// `JS.transition(classes, opts)`.
    pub fn transition(self, names: &str, args: Args) -> Self {
        self.op("transition", args.put("transition", transition(names)))
    }
    /// `JS.set_attribute({name, value}, opts)`.
    pub fn set_attribute(self, name: &str, value: &str, args: Args) -> Self {
        self.op("set_attr", args.put("attr", json!([name, value])))
    }
    /// `JS.remove_attribute(name, opts)`.
    pub fn remove_attribute(self, name: &str, args: Args) -> Self {
        self.op("remove_attr", args.put("attr", json!(name)))
    }
    /// `JS.toggle_attribute({name, v1})` or `{name, v1, v2}`.
    pub fn toggle_attribute(self, name: &str, on: &str, off: Option<&str>, args: Args) -> Self {
        let attr = match off {
            Some(off) => json!([name, on, off]),
            None => json!([name, on]),
        };
        self.op("toggle_attr", args.put("attr", attr))
    }
    /// `JS.ignore_attributes(attrs, opts)`.
    pub fn ignore_attributes(self, attrs: &[&str], args: Args) -> Self {
        self.op("ignore_attrs", args.put("attrs", json!(attrs)))
    }
    /// `JS.focus(opts)`.
    pub fn focus(self, args: Args) -> Self {
        self.op("focus", args)
    }
    /// `JS.focus_first(opts)`.
    pub fn focus_first(self, args: Args) -> Self {
        self.op("focus_first", args)
    }
    /// `JS.push_focus(opts)`.
    pub fn push_focus(self, args: Args) -> Self {
        self.op("push_focus", args)
    }
    /// `JS.pop_focus()`.
    pub fn pop_focus(self) -> Self {
        self.op("pop_focus", Args::new())
    }
    /// `JS.navigate(href, replace: ...)`.
    pub fn navigate(self, href: &str, replace: bool) -> Self {
        self.op(
            "navigate",
            Args::new()
                .put("href", json!(href))
                .put("replace", json!(replace)),
        )
    }
    /// `JS.patch(href, replace: ...)`.
    pub fn patch(self, href: &str, replace: bool) -> Self {
        self.op(
            "patch",
            Args::new()
                .put("href", json!(href))
                .put("replace", json!(replace)),
        )
    }
    /// `JS.exec(attr, opts)`.
    pub fn exec(self, attr: &str, args: Args) -> Self {
        self.op("exec", args.put("attr", json!(attr)))
    }
    /// `JS.concat(a, b)`.
    pub fn concat(mut self, other: JS) -> Self {
        self.0.extend(other.0);
        self
    }
    /// The ops as a JSON value (for `push_event` payloads).
    pub fn to_value(&self) -> Value {
        Value::Array(self.0.clone())
    }
}

impl fmt::Display for JS {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(&self.0).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_phoenix() {
        let js = JS::new()
            .show(Args::new().to("#my-modal").transition("fade-in").time(50))
            .set_attribute("aria-expanded", "true", Args::new().to("#my-modal"));
        assert_eq!(
            js.to_string(),
            r##"[["show",{"time":50,"to":"#my-modal","transition":[["fade-in"],[],[]]}],["set_attr",{"attr":["aria-expanded","true"],"to":"#my-modal"}]]"##
        );
        assert_eq!(
            JS::new()
                .toggle_attribute("open", "true", None, Args::new())
                .to_string(),
            r#"[["toggle_attr",{"attr":["open","true"]}]]"#
        );
        assert_eq!(
            JS::new()
                .ignore_attributes(&["open"], Args::new())
                .to_string(),
            r#"[["ignore_attrs",{"attrs":["open"]}]]"#
        );
        assert_eq!(
            JS::new().patch("/x", false).to_string(),
            r#"[["patch",{"href":"/x","replace":false}]]"#
        );
    }
}
