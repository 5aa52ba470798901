//! Reading the HTML the client holds with CSS selectors (scraper), and building the event
//! payloads the official client would send for an element: `phx-click`, keys, and forms
//! serialised field by field. Every lookup that fails explains what it found instead.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;

use scraper::{ElementRef, Html, Selector};
use serde_json::{Map, Value};

const BINDINGS: &[&str] = &[
    "phx-click",
    "phx-submit",
    "phx-change",
    "phx-keydown",
    "phx-keyup",
    "phx-blur",
    "phx-focus",
    "phx-window-keydown",
    "phx-window-keyup",
    "phx-click-away",
];

/// The parsed HTML of a view.
pub(crate) struct Dom {
    html: Html,
}

impl Dom {
    pub(crate) fn parse(html: &str) -> Self {
        Self {
            html: Html::parse_fragment(html),
        }
    }

    pub(crate) fn select_all<'a>(&'a self, selector: &str) -> Vec<ElementRef<'a>> {
        self.html.select(&parse_selector(selector)).collect()
    }

    /// The one element `selector` matches, or a panic that lists what is there.
    pub(crate) fn select_one<'a>(&'a self, selector: &str) -> ElementRef<'a> {
        let found = self.select_all(selector);
        match found.len() {
            1 => found[0],
            0 => panic!(
                "selector `{selector}` matched no element in the view\n{}",
                self.inventory()
            ),
            n => panic!(
                "selector `{selector}` matched {n} elements, expected exactly one: {}\n\
                 make it more specific (an `#id`, or a `[phx-value-…]` attribute)",
                found
                    .iter()
                    .map(|e| describe(*e))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// What a test can aim at: elements with an id, and elements with a binding.
    pub(crate) fn inventory(&self) -> String {
        let all = parse_selector("*");
        let mut ids = Vec::new();
        let mut bound = Vec::new();
        for el in self.html.select(&all) {
            if let Some(id) = el.value().id() {
                ids.push(format!("#{id}"));
            }
            if BINDINGS.iter().any(|b| el.value().attr(b).is_some()) {
                bound.push(describe(el));
            }
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            "elements with an id: {}",
            if ids.is_empty() {
                "(none)".to_owned()
            } else {
                ids.join(", ")
            }
        );
        let _ = write!(
            out,
            "elements with a phx binding: {}",
            if bound.is_empty() {
                "(none)".to_owned()
            } else {
                bound.join(", ")
            }
        );
        out
    }

    /// Elements carrying `attr`, described, for "no such binding" messages.
    pub(crate) fn with_attr(&self, attr: &str) -> String {
        let sel = Selector::parse(&format!("[{attr}]")).expect("a binding name is a selector");
        let found: Vec<String> = self.html.select(&sel).map(describe).collect();
        if found.is_empty() {
            format!("no element in the view has `{attr}`")
        } else {
            format!("elements with `{attr}`: {}", found.join(", "))
        }
    }
}

/// The CIDs of the component elements in `html` (`data-phx-component`).
pub(crate) fn component_cids(html: &str) -> BTreeSet<u32> {
    if !html.contains(COMPONENT_ATTR) {
        return BTreeSet::new();
    }
    let dom = Dom::parse(html);
    dom.html
        .select(&parse_selector("[data-phx-component]"))
        .filter_map(component_id)
        .collect()
}

const COMPONENT_ATTR: &str = "data-phx-component";

/// The CID an element is the root of, if it is a component's root.
fn component_id(el: ElementRef<'_>) -> Option<u32> {
    el.value().attr(COMPONENT_ATTR)?.parse().ok()
}

/// The client's `closestComponentID`: the CID of the closest component root among the element
/// and its ancestors, `None` (the view) when there is none.
pub(crate) fn closest_component(el: ElementRef<'_>) -> Option<u32> {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .find_map(component_id)
}

/// The client's `isCid`: a `phx-target` that is a CID rather than a selector.
fn as_cid(target: &str) -> Option<u32> {
    let digits = !target.is_empty() && target.bytes().all(|b| b.is_ascii_digit());
    let canonical = target == "0" || !target.starts_with('0');
    if digits && canonical {
        target.parse().ok()
    } else {
        None
    }
}

/// Where the official client sends the event `el` binds (`withinTargets` then
/// `targetComponentID`): one entry per push, each the CID of the component it goes to or
/// `None` for the view.
///
/// * no `phx-target`: one push to the view;
/// * a CID (`@myself`): one push to that component, which must be in the page;
/// * a CSS selector: one push per element it matches, each to the closest component root
///   among that element and its ancestors (the view when there is none).
///
/// # Panics
///
/// When the client would send nothing: a CID no component element carries, or a selector
/// that matches no element (the official client logs "nothing found matching the phx-target
/// selector" and sends no event).
pub(crate) fn event_targets(dom: &Dom, el: ElementRef<'_>, selector: &str) -> Vec<Option<u32>> {
    let Some(target) = el.value().attr("phx-target") else {
        return vec![None];
    };
    if let Some(cid) = as_cid(target) {
        let present = dom
            .select_all("[data-phx-component]")
            .into_iter()
            .any(|e| component_id(e) == Some(cid));
        assert!(
            present,
            "element {} (matched by `{selector}`) has phx-target=\"{cid}\", but no component \
             with that CID is in the page, so the client would send nothing (it logs \"no \
             component found matching phx-target\"); components in the page: {:?}",
            describe(el),
            component_cids(&dom.html.html()),
        );
        return vec![Some(cid)];
    }
    let matched = dom.select_all(target);
    assert!(
        !matched.is_empty(),
        "element {} (matched by `{selector}`) has phx-target=\"{target}\", which matches no \
         element, so the client would send nothing (it logs \"nothing found matching the \
         phx-target selector\")\n{}",
        describe(el),
        dom.inventory()
    );
    matched.into_iter().map(closest_component).collect()
}

/// The component a form's `phx-change` goes to: the event is dispatched from the input, so a
/// selector in the form's `phx-target` means the closest component of the input (here, of
/// the form), never the elements the selector matches.
pub(crate) fn change_target(form: ElementRef<'_>) -> Option<u32> {
    let target = form.value().attr("phx-target")?;
    as_cid(target).or_else(|| closest_component(form))
}

pub(crate) fn parse_selector(selector: &str) -> Selector {
    match Selector::parse(selector) {
        Ok(s) => s,
        Err(e) => panic!("`{selector}` is not a valid CSS selector: {e}"),
    }
}

/// `button#inc.big[phx-click="inc"]`: enough to recognise an element in a message.
pub(crate) fn describe(el: ElementRef<'_>) -> String {
    let v = el.value();
    let mut out = v.name().to_owned();
    if let Some(id) = v.id() {
        let _ = write!(out, "#{id}");
    }
    for class in v.classes() {
        let _ = write!(out, ".{class}");
    }
    for b in BINDINGS {
        if let Some(val) = v.attr(b) {
            let _ = write!(out, "[{b}=\"{val}\"]");
        }
    }
    if let Some(name) = v.attr("name") {
        let _ = write!(out, "[name=\"{name}\"]");
    }
    out
}

/// The text of an element, whitespace-trimmed at both ends.
pub(crate) fn text_of(el: ElementRef<'_>) -> String {
    el.text().collect::<String>().trim().to_owned()
}

/// Whether a browser treats `el` as disabled, and so fires no click or key event on it: a form
/// control (`button`, `input`, `select`, `textarea`, `option`, `optgroup`, `fieldset`) with a
/// `disabled` attribute, or one inside a disabled `fieldset` (HTML's "actually disabled").
pub(crate) fn is_disabled(el: ElementRef<'_>) -> bool {
    const CONTROLS: [&str; 7] = [
        "button", "input", "select", "textarea", "option", "optgroup", "fieldset",
    ];
    if !CONTROLS.contains(&el.value().name()) {
        return false;
    }
    el.value().attr("disabled").is_some()
        || el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().name() == "fieldset" && a.value().attr("disabled").is_some())
}

/// The event name an element binds with `attr`, or a panic naming the elements that have it.
pub(crate) fn binding(dom: &Dom, el: ElementRef<'_>, selector: &str, attrs: &[&str]) -> String {
    for attr in attrs {
        if let Some(event) = el.value().attr(attr) {
            return event.to_owned();
        }
    }
    panic!(
        "element {} (matched by `{selector}`) has no `{}` attribute, so the client would send \
         nothing; {}",
        describe(el),
        attrs[0],
        dom.with_attr(attrs[0])
    )
}

/// The client's `extractValue`: `phx-value-*` attributes, plus `value` for elements that have
/// a value property (unchecked checkboxes and radios send none).
pub(crate) fn extract_value(el: ElementRef<'_>) -> Map<String, Value> {
    let mut value = Map::new();
    for (name, v) in el.value().attrs() {
        if let Some(key) = name.strip_prefix("phx-value-") {
            value.insert(key.to_owned(), Value::String(v.to_owned()));
        }
    }
    if let Some(v) = value_property(el) {
        value.insert("value".to_owned(), v);
    }
    value
}

/// `el.value` in the browser, for the elements that have one.
fn value_property(el: ElementRef<'_>) -> Option<Value> {
    let v = el.value();
    let attr = |n: &str| v.attr(n).unwrap_or_default().to_owned();
    match v.name() {
        "input" => {
            let ty = v.attr("type").unwrap_or("text").to_ascii_lowercase();
            let checkable = ty == "checkbox" || ty == "radio";
            if checkable && v.attr("checked").is_none() {
                return None;
            }
            if checkable && v.attr("value").is_none() {
                return Some(Value::String("on".to_owned()));
            }
            Some(Value::String(attr("value")))
        }
        "button" | "option" | "output" | "data" | "param" => Some(Value::String(match v.name() {
            "option" if v.attr("value").is_none() => collapse(&text_of(el)),
            "output" => text_of(el),
            _ => attr("value"),
        })),
        "textarea" => Some(Value::String(el.text().collect())),
        "select" => Some(Value::String(
            select_values(el).into_iter().next().unwrap_or_default(),
        )),
        "li" => Some(Value::from(
            v.attr("value")
                .and_then(|s| s.trim().parse::<i64>().ok())
                .unwrap_or(0),
        )),
        _ => None,
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn option_value(opt: ElementRef<'_>) -> String {
    match opt.value().attr("value") {
        Some(v) => v.to_owned(),
        None => collapse(&text_of(opt)),
    }
}

/// The values a `<select>` submits: the selected options, or the first one of a single select.
fn select_values(select: ElementRef<'_>) -> Vec<String> {
    let options: Vec<ElementRef<'_>> = select.select(&parse_selector("option")).collect();
    let selected: Vec<String> = options
        .iter()
        .filter(|o| o.value().attr("selected").is_some() && o.value().attr("disabled").is_none())
        .map(|o| option_value(*o))
        .collect();
    if !selected.is_empty() || select.value().attr("multiple").is_some() {
        return selected;
    }
    options
        .iter()
        .find(|o| o.value().attr("disabled").is_none())
        .map(|o| vec![option_value(*o)])
        .unwrap_or_default()
}

/// One named control of a form.
#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) kind: String,
}

/// What `new FormData(form)` holds: `(name, value)` pairs in document order, and every named
/// control (for validation and the `_unused_` markers).
pub(crate) fn form_data(form: ElementRef<'_>) -> (Vec<(String, String)>, Vec<Field>) {
    let controls = parse_selector("input, select, textarea, button");
    let mut entries = Vec::new();
    let mut fields = Vec::new();
    for el in form.select(&controls) {
        let v = el.value();
        let Some(name) = v.attr("name").filter(|n| !n.is_empty()) else {
            continue;
        };
        let ty = match v.name() {
            "input" => v.attr("type").unwrap_or("text").to_ascii_lowercase(),
            other => other.to_owned(),
        };
        fields.push(Field {
            name: name.to_owned(),
            kind: ty.clone(),
        });
        if v.attr("disabled").is_some() {
            continue;
        }
        match ty.as_str() {
            // Files are not serialised; buttons only as the submitter (none in a test).
            "file" | "button" | "submit" | "reset" | "image" => {}
            "checkbox" | "radio" => {
                if v.attr("checked").is_some() {
                    let value = v.attr("value").unwrap_or("on");
                    entries.push((name.to_owned(), value.to_owned()));
                }
            }
            "select" => {
                for value in select_values(el) {
                    entries.push((name.to_owned(), value));
                }
            }
            "textarea" => entries.push((name.to_owned(), el.text().collect())),
            _ => entries.push((
                name.to_owned(),
                v.attr("value").unwrap_or_default().to_owned(),
            )),
        }
    }
    (entries, fields)
}

/// Flattens test values (`{"user": {"name": "x"}, "tags": ["a"]}`) into form names
/// (`user[name]`, `tags[]`), Plug-style.
pub(crate) fn flatten(values: &Value) -> Vec<(String, String)> {
    fn go(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}[{k}]")
                    };
                    go(&key, v, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    go(&format!("{prefix}[]"), item, out);
                }
            }
            Value::String(s) => out.push((prefix.to_owned(), s.clone())),
            Value::Null => out.push((prefix.to_owned(), String::new())),
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    match values {
        Value::Object(_) => go("", values, &mut out),
        Value::Null => {}
        other => panic!("form values must be a JSON object of field names, got `{other}`"),
    }
    out
}

/// Replaces the form's entries with the given values, field by field, checking each exists.
pub(crate) fn merge_values(
    form_desc: &str,
    entries: Vec<(String, String)>,
    fields: &[Field],
    given: &[(String, String)],
) -> Vec<(String, String)> {
    let names: HashSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    for (name, _) in given {
        if !names.contains(name.as_str()) {
            let mut known: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            known.dedup();
            panic!(
                "form {form_desc} has no field named `{name}`; its fields are: {}\n\
                 values are given as JSON nesting the way the names do, e.g. \
                 `json!({{\"user\": {{\"email\": \"a@b\"}}}})` for `user[email]`",
                if known.is_empty() {
                    "(none)".to_owned()
                } else {
                    known.join(", ")
                }
            );
        }
    }
    let given_names: HashSet<&str> = given.iter().map(|(n, _)| n.as_str()).collect();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut placed: HashSet<&str> = HashSet::new();
    for (name, value) in entries {
        if given_names.contains(name.as_str()) {
            if placed.insert(given_names.get(name.as_str()).copied().unwrap_or_default()) {
                out.extend(given.iter().filter(|(n, _)| *n == name).cloned());
            }
        } else {
            out.push((name, value));
        }
    }
    for (name, value) in given {
        if !placed.contains(name.as_str()) {
            out.push((name.clone(), value.clone()));
        }
    }
    out
}

/// The client's `encodeForm`: URL encoding, with `_unused_` markers for named fields nobody
/// used (not hidden ones), unless `skip_unused`.
pub(crate) fn encode_form(
    entries: &[(String, String)],
    fields: &[Field],
    used: &dyn Fn(&str) -> bool,
    skip_unused: bool,
) -> String {
    let mut unused: Vec<(&str, bool, bool)> = Vec::new(); // name, unused, only hidden
    for f in fields {
        match unused.iter_mut().find(|(n, _, _)| *n == f.name) {
            Some(e) => {
                e.1 = e.1 && !used(&f.name);
                e.2 = e.2 && f.kind == "hidden";
            }
            None => unused.push((&f.name, !used(&f.name), f.kind == "hidden")),
        }
    }
    let mut out = String::new();
    let mut push = |k: &str, v: &str| {
        if !out.is_empty() {
            out.push('&');
        }
        url_encode(k, &mut out);
        out.push('=');
        url_encode(v, &mut out);
    };
    for (key, value) in entries {
        let is_unused = unused
            .iter()
            .any(|(n, u, hidden)| n == key && *u && !*hidden);
        if !skip_unused && is_unused {
            push(&unused_key(key), "");
        }
        push(key, value);
    }
    out
}

/// `user[name]` -> `user[_unused_name]`, `tags[]` -> `_unused_tags[]`.
fn unused_key(key: &str) -> String {
    let (base, array) = match key.strip_suffix("[]") {
        Some(b) => (b, true),
        None => (key, false),
    };
    let with = match base.strip_suffix(']') {
        Some(inner) => match inner.rfind('[') {
            Some(i) => format!("{}[_unused_{}]", &inner[..i], &inner[i + 1..]),
            None => format!("_unused_{base}"),
        },
        None => format!("_unused_{base}"),
    };
    if array {
        with + "[]"
    } else {
        with
    }
}

/// `URLSearchParams` serialisation: `*-._` and alphanumerics stay, space is `+`.
pub(crate) fn url_encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
}

/// `phx-value-*` of a form (the `meta` of its events).
pub(crate) fn form_meta(form: ElementRef<'_>) -> Map<String, Value> {
    let mut meta = Map::new();
    for (name, v) in form.value().attrs() {
        if let Some(key) = name.strip_prefix("phx-value-") {
            meta.insert(key.to_owned(), Value::String(v.to_owned()));
        }
    }
    meta
}

/// Decodes `%XX` and `+` of a query string component, as the session does.
#[cfg(test)]
use liveview_session::percent_decode;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_like_url_search_params() {
        let mut out = String::new();
        url_encode("user[name] é*~", &mut out);
        assert_eq!(out, "user%5Bname%5D+%C3%A9*%7E");
    }

    #[test]
    fn unused_keys_follow_the_client() {
        assert_eq!(unused_key("user[name]"), "user[_unused_name]");
        assert_eq!(unused_key("tags[]"), "_unused_tags[]");
        assert_eq!(unused_key("q"), "_unused_q");
    }

    #[test]
    fn flattens_nested_values_into_form_names() {
        let v = flatten(&json!({"user": {"name": "x", "tags": ["a", "b"]}, "n": 3}));
        assert!(v.contains(&("user[name]".into(), "x".into())));
        assert!(v.contains(&("user[tags][]".into(), "b".into())));
        assert!(v.contains(&("n".into(), "3".into())));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a+b%2Fc%zz%4"), "a b/c%zz%4");
    }
}
